"""Typed results of a coaching review.

These types are the public contract of ``coaching``: the Slack handlers, the CLI and the
database layer all consume them, so fields are only ever added, never renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    ROUTINE = "routine"
    STRATEGIC = "strategic"


class Severity(StrEnum):
    """How much a finding matters; handlers sort by it, most severe first."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


class Dimension(StrEnum):
    SCOPE = "scope"
    IMPACT = "impact"
    ALIGNMENT = "alignment"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired, with the reason and a fix phrased for this draft."""

    rule_id: str
    severity: Severity
    message: str
    suggestion: str
    # What the finding points at: "objective", "KR2", ... (None for the draft as a whole).
    target: str | None = None


@dataclass(frozen=True, slots=True)
class DimensionJudgement:
    """Where the objective sits on one of the three distinctions, in one short line."""

    dimension: Dimension
    leaning: Verdict
    explanation: str


@dataclass(frozen=True, slots=True)
class ObjectiveReview:
    objective: str
    key_results: tuple[str, ...]
    verdict: Verdict
    # Calibrated probability that the verdict is right, 0.5 (a coin toss) to 1.0 (certain);
    # from the learned layer, so 0.8 means right about 8 times in 10.
    confidence: float
    # The rules' signed strategic score: > 0 leans strategic, < 0 leans routine.
    score: float
    dimensions: tuple[DimensionJudgement, ...]
    findings: tuple[Finding, ...]
    rewrite: str | None = None
    # One plain sentence: the verdict, how sure, and the reasons that drove it.
    summary: str = ""
    # The author's own 1-10 confidence when they wrote one ("confidence 6/10").
    confidence_level: int | None = None
    # True when the message was a key result with no objective above it.
    lone_key_result: bool = False
    # True when the coach is not sure: low confidence, or the learned layer and the rules
    # disagree. The reply then asks the author instead of giving a verdict.
    unsure: bool = False


@dataclass(frozen=True, slots=True)
class DraftReview:
    """The review of one message, which may hold several objectives."""

    text: str
    objectives: tuple[ObjectiveReview, ...] = field(default_factory=tuple)
    # Findings about the message as a whole (e.g. ``draft.truncated``).
    notes: tuple[Finding, ...] = field(default_factory=tuple)
    # True when only part of a very long message was reviewed.
    truncated: bool = False

    @property
    def primary(self) -> ObjectiveReview | None:
        return self.objectives[0] if self.objectives else None

    @property
    def verdict(self) -> Verdict:
        primary = self.primary
        return primary.verdict if primary else Verdict.ROUTINE

    @property
    def confidence(self) -> float:
        primary = self.primary
        return primary.confidence if primary else 0.5

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings of all objectives, most severe first (stable within a severity)."""
        every = [f for o in self.objectives for f in o.findings] + list(self.notes)
        return tuple(sorted(every, key=lambda f: f.severity.rank))

    @property
    def unsure(self) -> bool:
        primary = self.primary
        return primary.unsure if primary else False

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule_id for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "confidence": round(self.confidence, 3),
            "unsure": self.unsure,
            "findings": [asdict(f) for f in self.findings],
            "objectives": [asdict(o) for o in self.objectives],
            "truncated": self.truncated,
        }
