"""Fit the learned layer: four logistic readers, and a stacker fitted on their held-out logits.

Deterministic: the same data gives the same weights (lbfgs, fixed fold assignment by
publisher, no random state anywhere).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from coaching.learned.embedding import StaticEmbedding
from coaching.learned.features import CUE_FEATURES, char_terms, model_inputs, word_terms
from coaching.learned.model import FORMAT, PARTS, DensePart, TfidfPart, _sigmoid
from coaching.parsing import ParsedObjective, parse_draft
from coaching.training.dataset import LabelledDraft


@dataclass(frozen=True, slots=True)
class Hyper:
    """Regularisation of each reader (smaller C, stronger prior) and the stacking folds."""

    word_c: float = 10.0
    char_c: float = 10.0
    embedding_c: float = 3.0
    cues_c: float = 0.3
    meta_c: float = 0.1
    min_df: int = 2
    inner_folds: int = 5

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Featurized:
    """One labelled draft as every reader sees it, computed once."""

    words: Counter[str]
    chars: Counter[str]
    vector: tuple[float, ...]
    cues: tuple[float, ...]
    strategic: bool
    publisher: str
    rules_strategic: bool


def featurize(drafts: Sequence[LabelledDraft], embedding: StaticEmbedding) -> list[Featurized]:
    out: list[Featurized] = []
    for draft in drafts:
        parsed = parse_draft(draft.text)
        first = parsed.objectives[0] if parsed.objectives else ParsedObjective("")
        inputs = model_inputs(first)
        out.append(
            Featurized(
                words=word_terms(inputs.unit),
                chars=char_terms(inputs.unit),
                vector=tuple(embedding.vector(inputs.unit)),
                cues=inputs.cues,
                strategic=draft.strategic,
                publisher=draft.publisher,
                rules_strategic=inputs.rules.score > 0,
            )
        )
    return out


def _round(x: float) -> float:
    return float(f"{x:.7g}")


def _logistic(c: float, *, balanced: bool) -> LogisticRegression:
    return LogisticRegression(
        C=c, class_weight="balanced" if balanced else None, max_iter=10_000, tol=1e-6
    )


def fit_tfidf(docs: Sequence[Counter[str]], y: np.ndarray, c: float, min_df: int) -> dict[str, Any]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    vocab = sorted(term for term, count in df.items() if count >= min_df)
    index = {term: i for i, term in enumerate(vocab)}
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab])
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, doc in enumerate(docs):
        entries = [
            (index[t], (1.0 + math.log(k)) * idf[index[t]]) for t, k in doc.items() if t in index
        ]
        norm = math.sqrt(sum(v * v for _, v in entries)) or 1.0
        for col, value in entries:
            rows.append(r)
            cols.append(col)
            values.append(value / norm)
    matrix = csr_matrix((values, (rows, cols)), shape=(n, len(vocab)))
    model = _logistic(c, balanced=True).fit(matrix, y)
    weights = model.coef_[0]
    return {
        "intercept": _round(float(model.intercept_[0])),
        "terms": {
            t: [_round(float(idf[i])), _round(float(weights[i]))] for i, t in enumerate(vocab)
        },
    }


def fit_dense(
    matrix: np.ndarray, y: np.ndarray, c: float, *, balanced: bool = True
) -> dict[str, Any]:
    model = _logistic(c, balanced=balanced).fit(matrix, y)
    return {
        "intercept": _round(float(model.intercept_[0])),
        "weights": [_round(float(w)) for w in model.coef_[0]],
    }


def fit_parts(feats: Sequence[Featurized], hyper: Hyper) -> dict[str, dict[str, Any]]:
    y = np.array([f.strategic for f in feats], dtype=int)
    cues = fit_dense(np.array([f.cues for f in feats]), y, hyper.cues_c)
    cues["features"] = list(CUE_FEATURES)
    return {
        "word": fit_tfidf([f.words for f in feats], y, hyper.word_c, hyper.min_df),
        "char": fit_tfidf([f.chars for f in feats], y, hyper.char_c, hyper.min_df),
        "embedding": fit_dense(np.array([f.vector for f in feats]), y, hyper.embedding_c),
        "cues": cues,
    }


class FittedParts:
    """The runtime readers built from fitted specs, so training scores what ships."""

    def __init__(self, parts: Mapping[str, Mapping[str, Any]]) -> None:
        self.word = TfidfPart.from_spec(parts["word"])
        self.char = TfidfPart.from_spec(parts["char"])
        self.vector = DensePart.from_spec(parts["embedding"])
        self.cues = DensePart.from_spec(parts["cues"])

    def logits(self, f: Featurized) -> list[float]:
        return [
            self.word.logit(f.words),
            self.char.logit(f.chars),
            self.vector.logit(f.vector),
            self.cues.logit(f.cues),
        ]


def fit_model(feats: Sequence[Featurized], hyper: Hyper) -> dict[str, Any]:
    """Readers fitted on every draft; the stacker on logits of drafts each reader never saw."""
    y = np.array([f.strategic for f in feats], dtype=int)
    groups = [f.publisher for f in feats]
    held_out = np.zeros((len(feats), len(PARTS)))
    folds = GroupKFold(n_splits=min(hyper.inner_folds, len(set(groups))))
    for inner_train, inner_test in folds.split(held_out, y, groups):
        readers = FittedParts(fit_parts([feats[i] for i in inner_train], hyper))
        for i in inner_test:
            held_out[i] = readers.logits(feats[i])
    meta = fit_dense(held_out, y, hyper.meta_c, balanced=False)
    meta["inputs"] = list(PARTS)
    return {"format": FORMAT, "parts": fit_parts(feats, hyper), "meta": meta}


class FittedModel:
    """A fitted spec applied to featurized drafts (the runtime arithmetic, minus I/O)."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.readers = FittedParts(spec["parts"])
        self.meta = DensePart.from_spec(spec["meta"])

    def probability(self, f: Featurized) -> float:
        return _sigmoid(self.meta.logit(self.readers.logits(f)))

    def part_probabilities(self, f: Featurized) -> list[float]:
        return [_sigmoid(z) for z in self.readers.logits(f)]
