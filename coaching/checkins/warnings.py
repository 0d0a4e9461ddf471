"""Warnings a good coach gives when a key result's numbers and its confidence disagree.

Each warning has a rule id (like the coaching findings, so "Not helpful" counts per rule),
one line saying why, and what to do. Pure: a key result's check-in history and where the
cycle stands in, warnings out. Shown with a check-in, on App Home and in the team digest;
never a reason for a message of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# Confidence at or above this is "sure we'll make it".
HIGH_CONFIDENCE = 7
# Progress moving less than this between check-ins is flat.
FLAT = 0.02
# Behind by at least this share of the cycle, once a quarter of it has passed.
BEHIND_BY = 0.3
BEHIND_AFTER = 0.25
MID_CYCLE = 0.5
# Reaching the target before this share of the cycle is early.
EARLY_BEFORE = 0.75

FLAT_BUT_CONFIDENT = "progress.flat_but_confident"
CONFIDENCE_FALLING = "progress.confidence_falling"
BEHIND_SCHEDULE = "progress.behind_schedule"
NEVER_CHECKED_IN = "progress.never_checked_in"
REACHED_EARLY = "progress.reached_early"

WHY: dict[str, str] = {
    FLAT_BUT_CONFIDENT: "Confidence is {confidence}/10 but progress hasn't moved in three "
    "check-ins.",
    CONFIDENCE_FALLING: "Confidence fell two check-ins in a row ({trend}).",
    BEHIND_SCHEDULE: "{progress:.0%} done with {elapsed:.0%} of the cycle gone.",
    NEVER_CHECKED_IN: "No check-in yet, and the cycle is past its middle.",
    REACHED_EARLY: "Target reached with {left:.0%} of the cycle still to go.",
}
FIX: dict[str, str] = {
    FLAT_BUT_CONFIDENT: "What will move the number this week? If nothing, lower the confidence.",
    CONFIDENCE_FALLING: "Name the blocker and who can help remove it.",
    BEHIND_SCHEDULE: "Decide now: change the plan, get help, or lower the target.",
    NEVER_CHECKED_IN: "Add where it stands today, even if it's zero.",
    REACHED_EARLY: "Raise the target for the rest of the cycle, or ask whether it was a stretch.",
}


@dataclass(frozen=True, slots=True)
class Point:
    """One check-in on one key result."""

    at: datetime
    # 0.0 to 1.0 of the way from baseline to target; None when it cannot be known.
    progress: float | None
    confidence: int | None


@dataclass(frozen=True, slots=True)
class ProgressWarning:
    rule_id: str
    key: int
    why: str
    fix: str


def elapsed_share(start: datetime, end: datetime, now: datetime) -> float:
    """How much of the cycle has passed, 0.0 to 1.0."""
    total = (end - start).total_seconds()
    if total <= 0:
        return 1.0
    return max(0.0, min(1.0, (now - start).total_seconds() / total))


def key_result_warnings(
    key: int, history: Sequence[Point], *, elapsed: float
) -> list[ProgressWarning]:
    """The warnings for one key result, most pressing first (at most one of each kind)."""
    points = sorted(history, key=lambda p: p.at)
    out: list[ProgressWarning] = []

    def warn(rule_id: str, **values: object) -> None:
        out.append(ProgressWarning(rule_id, key, WHY[rule_id].format(**values), FIX[rule_id]))

    if not points:
        if elapsed >= MID_CYCLE:
            warn(NEVER_CHECKED_IN)
        return out
    latest = points[-1]
    progress = latest.progress
    if progress is not None and progress >= 1.0 and elapsed < EARLY_BEFORE:
        warn(REACHED_EARLY, left=1.0 - elapsed)
    elif progress is not None and elapsed >= BEHIND_AFTER and elapsed - progress >= BEHIND_BY:
        warn(BEHIND_SCHEDULE, progress=progress, elapsed=elapsed)
    recent = points[-3:]
    confidences = [p.confidence for p in recent if p.confidence is not None]
    if len(confidences) == 3 and confidences[0] > confidences[1] > confidences[2]:
        warn(CONFIDENCE_FALLING, trend=" → ".join(str(c) for c in confidences))
    progresses = [p.progress for p in recent if p.progress is not None]
    if (
        len(progresses) == 3
        and max(progresses) - min(progresses) < FLAT
        and progresses[-1] < 1.0
        and (latest.confidence or 0) >= HIGH_CONFIDENCE
    ):
        warn(FLAT_BUT_CONFIDENT, confidence=latest.confidence)
    return out
