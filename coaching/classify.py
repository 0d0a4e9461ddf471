"""Weigh the cues of one objective into a verdict, a confidence and three short reasons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from coaching import messages as msg
from coaching.features import Cue, objective_cues
from coaching.model import Dimension, DimensionJudgement, Verdict


@dataclass(frozen=True, slots=True)
class Weights:
    """The few global knobs on top of the hand-set cue weights.

    ``bias`` < 0 because most drafts people post are routine work: an objective must show
    some evidence of change before it is called strategic, so ties and faint signals stay
    routine. The multipliers scale each dimension's cues as a whole; they are the only
    values tuned on labelled data (benchmarks/eval_publishers.py checks they transfer to
    publishers they were not tuned on).
    """

    bias: float = -0.6
    scope: float = 1.15
    impact: float = 0.85
    alignment: float = 0.85

    def multiplier(self, dimension: Dimension) -> float:
        return {
            Dimension.SCOPE: self.scope,
            Dimension.IMPACT: self.impact,
            Dimension.ALIGNMENT: self.alignment,
        }[dimension]

    def score(self, cues: Sequence[Cue]) -> float:
        return self.bias + sum(c.weight * self.multiplier(c.dimension) for c in cues)


DEFAULT_WEIGHTS = Weights()
# Converts the signed score to a probability-like confidence; 1.0 keeps a score of +-2
# (one clear cue) near 0.88.
STEEPNESS = 1.0
MAX_CONFIDENCE = 0.99


@dataclass(frozen=True, slots=True)
class Classification:
    verdict: Verdict
    confidence: float
    score: float
    dimensions: tuple[DimensionJudgement, ...]
    cues: tuple[Cue, ...]

    def decided(self, verdict: Verdict, confidence: float) -> Classification:
        """The same evidence read for a verdict decided elsewhere (by the learned layer)."""
        dimensions = tuple(_judge(d, self.cues, verdict) for d in Dimension)
        return Classification(verdict, round(confidence, 3), self.score, dimensions, self.cues)

    @property
    def rules_verdict(self) -> Verdict:
        """What the hand-set weights alone would say."""
        return Verdict.STRATEGIC if self.score > 0 else Verdict.ROUTINE

    def drivers(self) -> tuple[Cue, ...]:
        """Cues that pushed the way the verdict went, strongest first."""
        sign = 1.0 if self.verdict is Verdict.STRATEGIC else -1.0
        agreeing = [c for c in self.cues if c.weight * sign > 0]
        return tuple(sorted(agreeing, key=lambda c: -abs(c.weight)))


def classify(
    text: str, key_results: Sequence[str] = (), weights: Weights = DEFAULT_WEIGHTS
) -> Classification:
    cues = tuple(objective_cues(text, key_results))
    score = weights.score(cues)
    verdict = Verdict.STRATEGIC if score > 0 else Verdict.ROUTINE
    probability = 1.0 / (1.0 + math.exp(-STEEPNESS * score))
    confidence = min(MAX_CONFIDENCE, max(probability, 1.0 - probability))
    dimensions = tuple(_judge(d, cues, verdict) for d in Dimension)
    return Classification(verdict, round(confidence, 3), round(score, 3), dimensions, cues)


def reason(cue: Cue) -> str:
    template = msg.CUE_REASONS.get(cue.rule_id, "{e}")
    return template.format(e=cue.evidence.strip())


def _judge(dimension: Dimension, cues: Sequence[Cue], verdict: Verdict) -> DimensionJudgement:
    mine = [c for c in cues if c.dimension is dimension]
    total = sum(c.weight for c in mine)
    if total > 0:
        leaning = Verdict.STRATEGIC
    elif total < 0:
        leaning = Verdict.ROUTINE
    else:
        leaning = verdict
    sign = 1.0 if leaning is Verdict.STRATEGIC else -1.0
    agreeing = sorted((c for c in mine if c.weight * sign > 0), key=lambda c: -abs(c.weight))
    line = reason(agreeing[0]) if agreeing else msg.DEFAULT_DIMENSION_LINES[dimension, leaning]
    return DimensionJudgement(dimension, leaning, _sentence(line))


def _sentence(line: str) -> str:
    line = line.strip()
    if not line:
        return line
    return line[0].upper() + line[1:] + ("" if line.endswith((".", "!", "?")) else ".")
