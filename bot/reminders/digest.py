"""The weekly digest: who checked in, objectives losing confidence, key results at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.models import CheckIn, ReminderDelivery, Workspace
from bot.objectives import KeyResultView, ObjectiveView
from bot.progress_warnings import warnings_for
from bot.reminders.deliveries import DIGEST, FAILED, Existing, Item
from bot.reminders.schedule import iso_week
from coaching.checkins.warnings import ProgressWarning

DIGEST_WEEKDAY, DIGEST_MINUTE = 4, 15 * 60  # Friday 15:00 UTC
AT_RISK_CONFIDENCE = 4


@dataclass(frozen=True)
class DigestData:
    checked_in: tuple[str, ...]  # Slack user ids
    falling: tuple[ObjectiveView, ...]
    at_risk: tuple[tuple[ObjectiveView, KeyResultView], ...]
    # Progress warnings (numbers and confidence disagreeing), each with its objective.
    warnings: tuple[tuple[ObjectiveView, ProgressWarning], ...] = ()


def digest_data(deps: Deps, team_id: str, cycle: str, now: datetime) -> DigestData:
    since = now - timedelta(days=7)
    with deps.session_factory() as session:
        checked_in = tuple(
            session.scalars(
                select(CheckIn.slack_user_id)
                .where(CheckIn.slack_team_id == team_id, CheckIn.created_at >= since)
                .distinct()
                .order_by(CheckIn.slack_user_id)
            )
        )
    from bot.objectives import ObjectiveService

    views = [
        v for v in ObjectiveService(deps).list_for_team(team_id, cycle) if v.status == "active"
    ]
    falling = tuple(
        v
        for v in views
        if len(v.confidence_trend) >= 2 and v.confidence_trend[-1] < v.confidence_trend[0]
    )
    at_risk = tuple(
        (v, kr)
        for v in views
        for kr in v.key_results
        if kr.confidence is not None and kr.confidence <= AT_RISK_CONFIDENCE
    )
    by_owner: dict[str, list[ObjectiveView]] = {}
    for view in views:
        by_owner.setdefault(view.owner_id, []).append(view)
    warned: list[tuple[ObjectiveView, ProgressWarning]] = []
    for owner, owned in sorted(by_owner.items()):
        found = warnings_for(deps, team_id, owned, now, for_user=owner)
        warned += [(v, w) for v in owned for w in found.get(v.id, ())]
    return DigestData(checked_in, falling, at_risk, tuple(warned))


def due_digest(session: Session, team_id: str, now: datetime) -> Item | None:
    """This week's digest when it is due (Friday from 15:00 UTC, a channel set, not yet sent
    or its retry due); None otherwise."""
    channel = session.scalar(
        select(Workspace.digest_channel_id).where(Workspace.slack_team_id == team_id)
    )
    if not channel or now.weekday() < DIGEST_WEEKDAY:
        return None
    if now.weekday() == DIGEST_WEEKDAY and now.hour * 60 + now.minute < DIGEST_MINUTE:
        return None
    # The row's "member" is the channel: one digest per channel and week.
    item = Item(channel, DIGEST, iso_week(now.date()), channel)
    row = session.scalar(
        select(ReminderDelivery).where(
            ReminderDelivery.slack_team_id == team_id,
            ReminderDelivery.slack_user_id == channel,
            ReminderDelivery.kind == DIGEST,
            ReminderDelivery.period == item.period,
        )
    )
    if row is not None:
        if row.status != FAILED or (row.next_attempt_at and row.next_attempt_at > now):
            return None
        item.existing = Existing(
            row.id, row.status, row.attempts, row.claimed_at, row.next_attempt_at, row.sent_at
        )
    return item
