"""Accuracy of the coach on labelled drafts: per-class precision, recall, F1 and the misses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coaching.engine import review_draft
from coaching.model import DraftReview, Verdict

CLASSES: tuple[str, ...] = (Verdict.ROUTINE.value, Verdict.STRATEGIC.value)


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Miss:
    text: str
    expected: str
    got: str
    confidence: float


@dataclass(frozen=True, slots=True)
class EvalReport:
    n: int
    accuracy: float
    per_class: dict[str, ClassScores]
    # confusion[expected][got] = count
    confusion: dict[str, dict[str, int]]
    misclassified: tuple[Miss, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "per_class": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for name, s in self.per_class.items()
            },
            "confusion": {k: dict(v) for k, v in self.confusion.items()},
            "misclassified": [
                {
                    "text": m.text,
                    "expected": m.expected,
                    "got": m.got,
                    "confidence": round(m.confidence, 3),
                }
                for m in self.misclassified
            ],
        }

    def format_text(self) -> str:
        lines = [f"n = {self.n}    accuracy = {self.accuracy:.1%}", ""]
        lines.append(f"{'class':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for name, s in self.per_class.items():
            lines.append(
                f"{name:<10} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8}"
            )
        lines += ["", "confusion (rows: expected, columns: got)"]
        lines.append(f"{'':<10} " + " ".join(f"{c:>10}" for c in CLASSES))
        for exp in CLASSES:
            row = self.confusion.get(exp, {})
            lines.append(f"{exp:<10} " + " ".join(f"{row.get(g, 0):>10}" for g in CLASSES))
        if self.misclassified:
            lines += ["", f"misclassified ({len(self.misclassified)}):"]
            for m in self.misclassified:
                text = " / ".join(m.text.split("\n"))
                text = text if len(text) <= 90 else text[:89] + "…"
                lines.append(
                    f"  expected {m.expected:<9} got {m.got:<9} ({m.confidence:.2f})  {text}"
                )
        return "\n".join(lines)


def evaluate(
    items: Iterable[tuple[str, str]],
    review: Callable[[str], DraftReview] = review_draft,
) -> EvalReport:
    """Score ``review`` on (text, label) pairs; labels are "routine" or "strategic"."""
    confusion: dict[str, dict[str, int]] = {e: dict.fromkeys(CLASSES, 0) for e in CLASSES}
    misses: list[Miss] = []
    n = correct = 0
    for text, label in items:
        expected = label.strip().lower()
        if expected not in CLASSES:
            raise ValueError(f"unknown label {label!r}; expected one of {', '.join(CLASSES)}")
        result = review(text)
        got = result.verdict.value
        n += 1
        confusion[expected][got] += 1
        if got == expected:
            correct += 1
        else:
            misses.append(Miss(text, expected, got, result.confidence))
    per_class = {c: _scores(c, confusion) for c in CLASSES}
    return EvalReport(
        n=n,
        accuracy=correct / n if n else 0.0,
        per_class=per_class,
        confusion=confusion,
        misclassified=tuple(misses),
    )


def _scores(cls: str, confusion: dict[str, dict[str, int]]) -> ClassScores:
    tp = confusion[cls][cls]
    predicted = sum(confusion[e][cls] for e in CLASSES)
    support = sum(confusion[cls].values())
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassScores(precision, recall, f1, support)


def load_jsonl(path: str | Path) -> list[tuple[str, str]]:
    """(text, label) pairs from a JSONL file with ``text`` and ``label`` fields."""
    pairs: list[tuple[str, str]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append((str(row["text"]), str(row["label"])))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(
                    f"{path}:{number}: expected an object with text and label"
                ) from exc
    return pairs
