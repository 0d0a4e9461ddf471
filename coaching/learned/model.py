"""The learned verdict: four linear readers of a draft, stacked by a fifth.

- ``word`` and ``char``: tf-idf of words and word pairs, and of character n-grams;
- ``embedding``: the static sentence embedding of the draft;
- ``cues``: the rule engine's evidence (summed cue weights and the draft's shape).
Each gives a logit; ``meta`` weighs the four logits into the probability that the draft
is strategic. All weights come from ``okr-coach train`` (see ``coaching.training``) and
live in one JSON file stamped with the hash of the data they were fitted on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from coaching.learned.embedding import StaticEmbedding
from coaching.learned.features import CUE_FEATURES, ModelInputs, char_terms, word_terms

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = "verdict_model.json"
TABLE_FILE = "embeddings.i8"
TABLE_META_FILE = "embeddings.json"
PARTS: tuple[str, ...] = ("word", "char", "embedding", "cues")
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Prediction:
    """The probability that a draft is strategic, and what each reader said (logits)."""

    probability: float
    parts: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class TfidfPart:
    """A logistic model on l2-normalised sublinear tf-idf of some terms."""

    intercept: float
    # term -> (idf, weight)
    terms: Mapping[str, tuple[float, float]]

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> TfidfPart:
        terms = {term: (float(v[0]), float(v[1])) for term, v in spec["terms"].items()}
        return cls(float(spec["intercept"]), terms)

    def logit(self, counts: Mapping[str, int]) -> float:
        dot = norm = 0.0
        terms = self.terms
        for term, count in counts.items():
            known = terms.get(term)
            if known is None:
                continue
            value = (1.0 + math.log(count)) * known[0]
            norm += value * value
            dot += value * known[1]
        return self.intercept + (dot / math.sqrt(norm) if norm else 0.0)


@dataclass(frozen=True, slots=True)
class DensePart:
    """A logistic model on a fixed-length vector."""

    intercept: float
    weights: tuple[float, ...]

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> DensePart:
        return cls(float(spec["intercept"]), tuple(float(w) for w in spec["weights"]))

    def logit(self, vector: Sequence[float]) -> float:
        return self.intercept + math.fsum(w * x for w, x in zip(self.weights, vector, strict=True))


class VerdictModel:
    """Applies a trained verdict model to the inputs of one objective."""

    def __init__(self, spec: Mapping[str, Any], embedding: StaticEmbedding) -> None:
        if spec.get("format") != FORMAT:
            raise ValueError(f"verdict model format {spec.get('format')!r}, expected {FORMAT}")
        parts = spec["parts"]
        if tuple(parts["cues"]["features"]) != CUE_FEATURES:
            raise ValueError("the verdict model was trained on other cue features; retrain it")
        if spec["embedding_sha256"] != embedding.info.sha256:
            raise ValueError("the verdict model was trained on another embedding; retrain it")
        self.spec = spec
        self.embedding = embedding
        self.word = TfidfPart.from_spec(parts["word"])
        self.char = TfidfPart.from_spec(parts["char"])
        self.vector = DensePart.from_spec(parts["embedding"])
        self.cues = DensePart.from_spec(parts["cues"])
        self.meta = DensePart.from_spec(spec["meta"])

    @classmethod
    def load(cls, model: Path = DATA_DIR / MODEL_FILE, tables: Path = DATA_DIR) -> VerdictModel:
        spec = json.loads(model.read_text(encoding="utf-8"))
        return cls(spec, load_embedding(tables))

    @property
    def data_sha256(self) -> str:
        return str(self.spec["data"]["sha256"])

    def predict(self, inputs: ModelInputs) -> Prediction:
        logits = {
            "word": self.word.logit(word_terms(inputs.unit)),
            "char": self.char.logit(char_terms(inputs.unit)),
            "embedding": self.vector.logit(self.embedding.vector(inputs.unit)),
            "cues": self.cues.logit(inputs.cues),
        }
        z = self.meta.logit([logits[name] for name in PARTS])
        return Prediction(_sigmoid(z), logits)


def load_embedding(directory: Path = DATA_DIR) -> StaticEmbedding:
    return StaticEmbedding(directory / TABLE_FILE, directory / TABLE_META_FILE)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def default_model() -> VerdictModel:
    """The model shipped with the package, loaded once per process."""
    return VerdictModel.load()
