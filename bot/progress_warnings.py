"""Progress warnings for saved objectives: their check-in history read by the pure rules.

The rules live in ``coaching/checkins/warnings.py``; this reads the history they need
(every check-in of each key result this cycle, scoped to the workspace), leaves out what
the person said was not helpful, and records that feedback.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from sqlalchemy import select

from bot.cycles import cycle_bounds
from bot.db import insert_or_ignore
from bot.deps import Deps
from bot.models import CheckIn, KeyResult, WarningFeedback
from bot.objectives import ObjectiveView
from coaching.checkins.warnings import Point, ProgressWarning, elapsed_share, key_result_warnings

# At most this many warnings per objective where they are shown: the most pressing ones.
MAX_PER_OBJECTIVE = 3


def elapsed_in(cycle: str, now: datetime) -> float:
    start, end = cycle_bounds(cycle)
    return elapsed_share(
        datetime.combine(start, time.min, tzinfo=UTC),
        datetime.combine(end, time.max, tzinfo=UTC),
        now,
    )


def warnings_for(
    deps: Deps, team_id: str, objectives: Sequence[ObjectiveView], now: datetime, *, for_user: str
) -> dict[int, list[ProgressWarning]]:
    """Objective id -> its warnings, for the objectives given (active ones only)."""
    active = [o for o in objectives if o.status == "active"]
    kr_ids = [kr.id for o in active for kr in o.key_results]
    if not kr_ids:
        return {}
    with deps.session_factory() as session:
        rows = session.execute(
            select(CheckIn.key_result_id, CheckIn.created_at, CheckIn.progress, CheckIn.confidence)
            .where(CheckIn.slack_team_id == team_id, CheckIn.key_result_id.in_(kr_ids))
            .order_by(CheckIn.created_at)
        ).all()
        muted = set(
            session.execute(
                select(WarningFeedback.key_result_id, WarningFeedback.rule_id).where(
                    WarningFeedback.slack_team_id == team_id,
                    WarningFeedback.slack_user_id == for_user,
                    WarningFeedback.key_result_id.in_(kr_ids),
                )
            ).all()
        )
    history: dict[int, list[Point]] = {kr_id: [] for kr_id in kr_ids}
    for kr_id, at, progress, confidence in rows:
        history[kr_id].append(Point(at, progress, confidence))
    out: dict[int, list[ProgressWarning]] = {}
    for objective in active:
        elapsed = elapsed_in(objective.cycle, now)
        found = [
            w
            for kr in objective.key_results
            for w in key_result_warnings(kr.id, history[kr.id], elapsed=elapsed)
            if (kr.id, w.rule_id) not in muted
        ]
        if found:
            out[objective.id] = found[:MAX_PER_OBJECTIVE]
    return out


def not_helpful(
    deps: Deps, team_id: str, user_id: str, key_result_id: int, rule_id: str, now: datetime
) -> bool:
    """Record the feedback once; False when it was given before or the key result is not
    in this workspace."""
    with deps.session_factory.begin() as session:
        known = session.scalar(
            select(KeyResult.id).where(
                KeyResult.id == key_result_id, KeyResult.slack_team_id == team_id
            )
        )
        if known is None:
            return False
        new = insert_or_ignore(
            session,
            WarningFeedback,
            {
                "slack_team_id": team_id,
                "slack_user_id": user_id,
                "rule_id": rule_id,
                "key_result_id": key_result_id,
                "created_at": now,
            },
            ["slack_team_id", "slack_user_id", "rule_id", "key_result_id"],
        )
    return new is not None
