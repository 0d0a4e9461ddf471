"""Check-ins: one row per key result, progress and confidence updated, reminders reset."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.cycles import cycle_of
from bot.deps import Deps
from bot.models import CheckIn, Objective
from bot.objectives import (
    ACTIVE,
    KeyResultView,
    NotOwner,
    ObjectiveNotFound,
    ObjectiveService,
    ObjectiveView,
    to_views,
)
from bot.progress import kr_progress
from bot.workspaces import ensure_member

__all__ = [
    "CheckInEntry",
    "CheckInResult",
    "CheckInService",
    "InvalidCheckIn",
    "NoObjectives",
    "NotOwner",
    "ObjectiveNotFound",
    "grade_objective",
    "parse_confidence",
    "parse_grade",
    "parse_kr_value",
]

MIN_CONFIDENCE, MAX_CONFIDENCE = 1, 10
MAX_NOTE_LENGTH = 3000

ERROR_NOT_A_NUMBER = "Enter a number, like 42 or 60%."
ERROR_PERCENT_RANGE = "A percentage goes from 0% to 100%."
ERROR_CONFIDENCE = "Pick a confidence from 1 (unlikely) to 10 (certain)."
ERROR_GRADE = "A grade goes from 0.0 to 1.0, like 0.7 (or 70%)."

_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(%?)$")


class NoObjectives(LookupError):
    """The member has no active objective this cycle: nothing to check in on."""


class InvalidCheckIn(ValueError):
    """Values that do not belong to the objective (a stale or forged submission)."""


@dataclass(frozen=True)
class CheckInEntry:
    key_result_id: int
    # None keeps the current value (the field was left empty).
    value: float | None
    # None keeps the current confidence (a check-in in plain words that gave none).
    confidence: int | None


@dataclass(frozen=True)
class CheckInResult:
    before: ObjectiveView
    after: ObjectiveView
    note: str | None
    at: datetime


def percent_mode(kr: KeyResultView) -> bool:
    """Key results without a numeric target are checked in as a percentage done."""
    return kr.target is None


def parse_kr_value(raw: str | None, kr: KeyResultView) -> float | None:
    """The value typed for ``kr``: a number, or a percentage of the way from baseline to target.

    Empty means "unchanged" (None). Raises ValueError with a message for the person.
    """
    text = (raw or "").strip().replace(",", "").replace("\u00a0", "")
    if not text:
        return None
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(ERROR_NOT_A_NUMBER)
    number = float(match.group(1))
    if not math.isfinite(number):
        raise ValueError(ERROR_NOT_A_NUMBER)
    is_percent = bool(match.group(2))
    if percent_mode(kr):
        if not 0 <= number <= 100:
            raise ValueError(ERROR_PERCENT_RANGE)
        return number
    if is_percent and (kr.unit or "").strip() != "%":
        # "60%" of a key result measured in something else: 60% of the way to the target.
        if not 0 <= number <= 100:
            raise ValueError(ERROR_PERCENT_RANGE)
        start = kr.baseline or 0.0
        assert kr.target is not None
        return start + (kr.target - start) * number / 100
    return number


def parse_confidence(raw: str | None) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError(ERROR_CONFIDENCE) from None
    if not MIN_CONFIDENCE <= value <= MAX_CONFIDENCE:
        raise ValueError(ERROR_CONFIDENCE)
    return value


def parse_grade(raw: str | None) -> float:
    """A grade from 0.0 to 1.0; "70%" means 0.7. Raises ValueError with a message."""
    text = (raw or "").strip().replace(",", ".")
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(ERROR_GRADE)
    value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(ERROR_GRADE)
    return round(value, 2)


class CheckInService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._objectives = ObjectiveService(deps)

    def active_objectives(self, team_id: str, user_id: str) -> list[ObjectiveView]:
        """The member's active objectives for the current cycle; NoObjectives when none."""
        cycle = cycle_of(self._deps.clock().date())
        found = self._objectives.list_for_owner(team_id, user_id, cycle, active_only=True)
        if not found:
            raise NoObjectives(user_id)
        return found

    def owned(self, team_id: str, user_id: str, objective_id: int) -> ObjectiveView:
        return self._objectives.get_owned(team_id, user_id, objective_id)

    def record(
        self,
        team_id: str,
        user_id: str,
        objective_id: int,
        entries: Sequence[CheckInEntry],
        note: str | None,
    ) -> CheckInResult:
        """Store one check-in row per key result and move the objective forward."""
        now = self._deps.clock()
        note = (note or "").strip()[:MAX_NOTE_LENGTH] or None
        with self._deps.session_factory.begin() as session:
            objective = session.scalar(
                select(Objective)
                .where(Objective.id == objective_id, Objective.slack_team_id == team_id)
                .options(selectinload(Objective.key_results))
                .with_for_update()
            )
            if objective is None:
                raise ObjectiveNotFound(objective_id)
            if objective.owner_slack_user_id != user_id:
                raise NotOwner(objective_id)
            before = to_views(session, [objective])[0]
            by_id = {kr.id: kr for kr in objective.key_results}
            if not entries or any(e.key_result_id not in by_id for e in entries):
                raise InvalidCheckIn(objective_id)
            for entry in entries:
                kr = by_id[entry.key_result_id]
                if entry.value is not None:
                    if kr.target is None:
                        # Percent mode: the key result becomes "0 → 100 %" from now on.
                        kr.baseline, kr.target = 0.0, 100.0
                        kr.unit = kr.unit or "%"
                    kr.current = entry.value
                if entry.confidence is not None:
                    kr.confidence = entry.confidence
                kr.updated_at = now
                session.add(
                    CheckIn(
                        slack_team_id=team_id,
                        slack_user_id=user_id,
                        objective_id=objective.id,
                        key_result_id=kr.id,
                        value=kr.current,
                        progress=kr_progress(kr.baseline, kr.target, kr.current),
                        confidence=kr.confidence,
                        note=note,
                        created_at=now,
                    )
                )
            objective.last_checkin_at = now
            objective.reminders_ignored = 0
            objective.updated_at = now
            member = ensure_member(session, team_id, user_id)
            member.last_checkin_at = now
            session.flush()
            after = to_views(session, [objective])[0]
        return CheckInResult(before=before, after=after, note=note, at=now)


def grade_objective(
    deps: Deps, team_id: str, user_id: str, objective_id: int, grade: float
) -> ObjectiveView:
    """The owner's end-of-cycle grade, 0.0 to 1.0."""
    with deps.session_factory.begin() as session:
        objective = session.scalar(
            select(Objective)
            .where(Objective.id == objective_id, Objective.slack_team_id == team_id)
            .options(selectinload(Objective.key_results))
        )
        if objective is None:
            raise ObjectiveNotFound(objective_id)
        if objective.owner_slack_user_id != user_id:
            raise NotOwner(objective_id)
        objective.grade = grade
        objective.updated_at = deps.clock()
        session.flush()
        return to_views(session, [objective])[0]


def is_active(view: ObjectiveView) -> bool:
    return view.status == ACTIVE
