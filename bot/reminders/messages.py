"""What each reminder says: the objectives it is about, and the message built from them.

The Block Kit itself is handed in (``Renderers``) by the composition root: this package
decides what to say and to whom, ``handlers/checkin_blocks.py`` how it looks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.cycles import cycle_bounds
from bot.deps import Deps
from bot.models import Objective
from bot.objectives import ObjectiveView, to_views
from bot.reminders.deliveries import FOLLOW_UP, GRADE, PAUSE_PROMPT, WEEKLY, Item
from bot.reminders.planning import IGNORED_BEFORE_PROMPT
from bot.slack_messages import metadata

if TYPE_CHECKING:
    from bot.reminders.digest import DigestData

METADATA_EVENT = "okr_coach_reminder"
Message = dict[str, Any]  # chat.postMessage's text and blocks


@dataclass(frozen=True)
class Renderers:
    """Pure builders from data to a message, one per kind of reminder."""

    # The objectives to list, and the member's reminder weekday (0 = Monday) and minute.
    weekly: Callable[[Sequence[ObjectiveView], int, int], Message]
    follow_up: Callable[[Sequence[ObjectiveView]], Message]
    # The ungraded objectives, the cycle ("2026-Q4") and its last day.
    grade: Callable[[Sequence[ObjectiveView], str, date], Message]
    pause_prompt: Callable[[ObjectiveView], Message]
    digest: Callable[[DigestData], Message]


def load_views(
    deps: Deps, team_id: str, cycle: str, user_ids: Sequence[str]
) -> dict[str, list[ObjectiveView]]:
    from sqlalchemy.orm import selectinload

    with deps.session_factory() as session:
        objectives = session.scalars(
            select(Objective)
            .where(
                Objective.slack_team_id == team_id,
                Objective.owner_slack_user_id.in_(list(user_ids)),
                Objective.cycle == cycle,
                Objective.status.in_(("active", "paused")),
            )
            .options(selectinload(Objective.key_results))
            .order_by(Objective.created_at, Objective.id)
        )
        views = to_views(session, objectives)
    found: dict[str, list[ObjectiveView]] = defaultdict(list)
    for view in views:
        found[view.owner_id].append(view)
    return found


def build_message(
    item: Item, objectives: Sequence[ObjectiveView], cycle: str, render: Renderers
) -> tuple[Message | None, tuple[int, ...]]:
    """The DM for ``item`` and the objectives it reminds about; None when nothing to say."""
    active = [o for o in objectives if o.status == "active"]
    if item.kind == WEEKLY:
        listed = [o for o in active if o.reminders_ignored < IGNORED_BEFORE_PROMPT]
        if not listed:
            return None, ()
        return render.weekly(listed, *item.schedule), tuple(o.id for o in listed)
    if item.kind == PAUSE_PROMPT:
        target = [o for o in active if o.id == item.objective_id]
        if not target or target[0].reminders_ignored != IGNORED_BEFORE_PROMPT:
            return None, ()
        return render.pause_prompt(target[0]), (target[0].id,)
    if item.kind == FOLLOW_UP:
        listed = [o for o in active if o.reminders_ignored <= IGNORED_BEFORE_PROMPT]
        return (render.follow_up(listed), ()) if listed else (None, ())
    if item.kind == GRADE:
        ungraded = [o for o in objectives if o.grade is None and o.cycle == cycle]
        if not ungraded:
            return None, ()
        end = cycle_bounds(cycle)[1]
        return render.grade(ungraded, cycle, end), ()
    return None, ()


def reminder_metadata(item: Item, bump: Sequence[int]) -> dict[str, Any]:
    return metadata(METADATA_EVENT, kind=item.kind, period=item.period, objectives=list(bump))
