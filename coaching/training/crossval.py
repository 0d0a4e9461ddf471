"""Cross-validation of the whole pipeline, grouped by publisher, with a reliability table.

Each fold holds out every draft of one publisher and refits the learned layer (all four
readers and the stacker, with its own inner folds) on the rest, so every figure is on
drafts from a publisher the learned layer never saw. The hand-written rules and lexicon
are not refitted: they were written having read every publisher, so the ``rules`` and
``cues`` figures flatter them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from typing import Any

from threadpoolctl import threadpool_limits

from coaching.learned.model import PARTS
from coaching.training.fit import Featurized, FittedModel, Hyper, fit_model

BUCKETS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, slots=True)
class Scores:
    n: int
    accuracy: float
    f1_routine: float
    f1_strategic: float
    recall_strategic: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(getattr(self, k), 4) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class Bucket:
    low: float
    high: float
    n: int
    accuracy: float
    mean_confidence: float


@dataclass(frozen=True, slots=True)
class CrossValidation:
    pipeline: Scores
    ece: float
    reliability: tuple[Bucket, ...]
    rules: Scores
    parts: dict[str, Scores]
    per_publisher: dict[str, tuple[int, float]]
    hyper: dict[str, float]
    probabilities: tuple[float, ...] = field(repr=False, default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": "leave one publisher out; learned layer refitted per fold",
            "pipeline": self.pipeline.as_dict(),
            "expected_calibration_error": round(self.ece, 4),
            "reliability": [
                {
                    "confidence": f"{b.low:.1f}-{b.high:.1f}",
                    "n": b.n,
                    "accuracy": round(b.accuracy, 4),
                    "mean_confidence": round(b.mean_confidence, 4),
                }
                for b in self.reliability
            ],
            "rules_alone": self.rules.as_dict(),
            "readers_alone": {name: s.as_dict() for name, s in self.parts.items()},
            "per_publisher": {
                p: {"n": n, "accuracy": round(a, 4)} for p, (n, a) in self.per_publisher.items()
            },
            "hyper": self.hyper,
        }

    def format_text(self) -> str:
        p = self.pipeline
        lines = [
            f"grouped by publisher ({len(self.per_publisher)} folds), n = {p.n}",
            f"pipeline   accuracy {p.accuracy:.1%}  F1 routine {p.f1_routine:.3f}  "
            f"F1 strategic {p.f1_strategic:.3f}  ECE {self.ece:.3f}",
            f"rules only accuracy {self.rules.accuracy:.1%}  F1 routine "
            f"{self.rules.f1_routine:.3f}  F1 strategic {self.rules.f1_strategic:.3f}",
        ]
        for name, s in self.parts.items():
            lines.append(
                f"  {name:<10} alone: accuracy {s.accuracy:.1%}  F1 strategic {s.f1_strategic:.3f}"
            )
        lines += ["", "reliability (confidence bucket, n, accuracy, mean confidence)"]
        for b in self.reliability:
            lines.append(
                f"  {b.low:.1f}-{b.high:.1f}  {b.n:>4}  {b.accuracy:>7.1%}  {b.mean_confidence:.3f}"
            )
        lines += ["", "per held-out publisher (n, accuracy)"]
        for pub, (n, acc) in self.per_publisher.items():
            lines.append(f"  {pub:<26} {n:>4}  {acc:>7.1%}")
        return "\n".join(lines)


def scores(truth: Sequence[bool], predicted: Sequence[bool]) -> Scores:
    n = len(truth)
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    tn = sum(not t and not p for t, p in zip(truth, predicted, strict=True))
    fp = sum(not t and p for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    return Scores(
        n=n,
        accuracy=(tp + tn) / n if n else 0.0,
        f1_routine=_f1(tn, fn, fp),
        f1_strategic=_f1(tp, fp, fn),
        recall_strategic=tp / (tp + fn) if tp + fn else 0.0,
    )


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def reliability(
    truth: Sequence[bool], probability: Sequence[float]
) -> tuple[tuple[Bucket, ...], float]:
    """Accuracy and mean confidence per confidence bucket, and the expected calibration
    error (the bucket-size-weighted gap between the two)."""
    n = len(truth)
    # (confidence, right) per draft; a confidence of exactly 1.0 joins the top bucket.
    judged = [(max(p, 1 - p), t == (p >= 0.5)) for t, p in zip(truth, probability, strict=True)]
    buckets: list[Bucket] = []
    ece = 0.0
    for low, high in pairwise(BUCKETS):
        members = [(c, right) for c, right in judged if low <= c < high or c == high == 1.0]
        if not members:
            buckets.append(Bucket(low, high, 0, 0.0, 0.0))
            continue
        accuracy = sum(right for _, right in members) / len(members)
        confidence = sum(c for c, _ in members) / len(members)
        buckets.append(Bucket(low, high, len(members), accuracy, confidence))
        ece += len(members) / n * abs(accuracy - confidence)
    return tuple(buckets), ece


def _fold(feats: Sequence[Featurized], held_out: str, hyper: Hyper) -> list[list[float]]:
    """Refit everything without ``held_out``; its drafts' probabilities, pipeline first."""
    # One BLAS thread per fold: the folds themselves fill the cores.
    with threadpool_limits(1):
        model = FittedModel(fit_model([f for f in feats if f.publisher != held_out], hyper))
    return [
        [model.probability(f), *model.part_probabilities(f)]
        for f in feats
        if f.publisher == held_out
    ]


def cross_validate(
    feats: Sequence[Featurized], hyper: Hyper | None = None, *, workers: int | None = None
) -> CrossValidation:
    hyper = hyper or Hyper()
    publishers = sorted({f.publisher for f in feats})
    workers = workers or min(len(publishers), os.cpu_count() or 1)
    # Folds are independent and deterministic, so processes change the time, not the figures.
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            folds = list(pool.map(_fold, repeat(feats), publishers, repeat(hyper)))
    else:
        folds = [_fold(feats, held_out, hyper) for held_out in publishers]
    rows: list[list[float]] = [[] for _ in feats]
    for held_out, fold in zip(publishers, folds, strict=True):
        members = (i for i, f in enumerate(feats) if f.publisher == held_out)
        for i, figures in zip(members, fold, strict=True):
            rows[i] = figures
    probability = [r[0] for r in rows]
    truth = [f.strategic for f in feats]
    predicted = [p >= 0.5 for p in probability]
    table, ece = reliability(truth, probability)
    per_publisher = {}
    for pub in publishers:
        members_of = [i for i, f in enumerate(feats) if f.publisher == pub]
        right = sum(truth[i] == predicted[i] for i in members_of)
        per_publisher[pub] = (len(members_of), right / len(members_of))
    return CrossValidation(
        pipeline=scores(truth, predicted),
        ece=ece,
        reliability=table,
        rules=scores(truth, [f.rules_strategic for f in feats]),
        parts={
            name: scores(truth, [r[k + 1] >= 0.5 for r in rows]) for k, name in enumerate(PARTS)
        },
        per_publisher=per_publisher,
        hyper=hyper.as_dict(),
        probabilities=tuple(probability),
    )
