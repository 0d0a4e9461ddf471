"""Who is due at a moment: pure reads of our own tables, no Slack."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.cycles import cycle_bounds, cycle_of
from bot.models import Member, Objective, ReminderDelivery
from bot.reminders.deliveries import (
    CLAIMED,
    DM_KINDS,
    FAILED,
    FOLLOW_UP,
    GRADE,
    PAUSE_PROMPT,
    SENT,
    WEEKLY,
    Existing,
    Item,
)
from bot.reminders.schedule import due_slot, in_quiet_hours, local_minute, previous_week, zone
from bot.reminders.settings import ReminderConfig

logger = logging.getLogger(__name__)


IGNORED_BEFORE_PROMPT = 3
GRADE_LEAD = timedelta(days=14)
FOLLOW_UP_DELAY = timedelta(days=2)


@dataclass(frozen=True)
class MemberRow:
    user_id: str
    tz: ZoneInfo
    weekday: int
    minute: int
    channel_id: str | None
    last_checkin_at: datetime | None
    profile_synced_at: datetime | None


def _members(session: Session, team_id: str, cycle: str) -> list[MemberRow]:
    owns = (
        select(Objective.id)
        .where(
            Objective.slack_team_id == team_id,
            Objective.owner_slack_user_id == Member.slack_user_id,
            Objective.cycle == cycle,
            Objective.status.in_(("active", "paused")),
        )
        .exists()
    )
    rows = session.execute(
        select(
            Member.slack_user_id,
            Member.tz,
            Member.reminder_weekday,
            Member.reminder_minute,
            Member.slack_dm_channel_id,
            Member.last_checkin_at,
            Member.profile_synced_at,
        ).where(
            Member.slack_team_id == team_id,
            Member.deleted.is_(False),
            Member.reminders_enabled.is_(True),
            Member.dm_blocked_reason.is_(None),
            owns,
        )
    )
    return [MemberRow(r[0], zone(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]


def _existing(
    session: Session, team_id: str, periods: Iterable[str], now: datetime, lease: timedelta
) -> dict[tuple[str, str, str], Existing]:
    """Delivery rows for the candidate periods, plus every retry due and every stale claim."""
    periods = sorted(set(periods))
    found: dict[tuple[str, str, str], Existing] = {}
    base = select(
        ReminderDelivery.slack_user_id,
        ReminderDelivery.kind,
        ReminderDelivery.period,
        ReminderDelivery.id,
        ReminderDelivery.status,
        ReminderDelivery.attempts,
        ReminderDelivery.claimed_at,
        ReminderDelivery.next_attempt_at,
        ReminderDelivery.sent_at,
    ).where(ReminderDelivery.slack_team_id == team_id, ReminderDelivery.kind.in_(DM_KINDS))
    conditions = [
        ReminderDelivery.status == FAILED,
        (ReminderDelivery.status == CLAIMED) & (ReminderDelivery.claimed_at < now - lease),
    ]
    for start in range(0, max(len(periods), 1), 500):
        chunk = periods[start : start + 500]
        query = base.where(or_(ReminderDelivery.period.in_(chunk), *conditions))
        for r in session.execute(query):
            found[(r[0], r[1], r[2])] = Existing(r[3], r[4], r[5], r[6], r[7], r[8])
    return found


def _sent_this_week(session: Session, team_id: str, now: datetime) -> Counter[str]:
    rows = session.execute(
        select(ReminderDelivery.slack_user_id, func.count())
        .where(
            ReminderDelivery.slack_team_id == team_id,
            ReminderDelivery.kind.in_(DM_KINDS),
            ReminderDelivery.status == SENT,
            ReminderDelivery.sent_at >= now - timedelta(days=7),
        )
        .group_by(ReminderDelivery.slack_user_id)
    )
    return Counter({user: count for user, count in rows})


def _prompt_objectives(session: Session, team_id: str, cycle: str) -> dict[str, list[int]]:
    rows = session.execute(
        select(Objective.owner_slack_user_id, Objective.id).where(
            Objective.slack_team_id == team_id,
            Objective.cycle == cycle,
            Objective.status == "active",
            Objective.reminders_ignored == IGNORED_BEFORE_PROMPT,
        )
    )
    found: dict[str, list[int]] = defaultdict(list)
    for owner, objective_id in rows:
        found[owner].append(objective_id)
    return found


class Planner:
    """Which reminders are due for one workspace at ``now``: pure reads, no Slack."""

    def __init__(self, config: ReminderConfig) -> None:
        self._config = config

    def plan(self, session: Session, team_id: str, now: datetime) -> tuple[list[Item], list[Item]]:
        """(items to send, weekly items to record as skipped because of a recent check-in).

        Every rule reads ``now``: the slots, the claim lease, the retry backoff, the weekly
        cap and "checked in recently" alike, so a pass at a pretended time is a faithful one.
        """
        config = self._config
        cycle = cycle_of(now.date())
        cycle_end = cycle_bounds(cycle)[1]
        members = _members(session, team_id, cycle)
        prompts = _prompt_objectives(session, team_id, cycle)
        slots: list[tuple[MemberRow, str | None, str | None]] = []
        periods: set[str] = {cycle}
        for m in members:
            weekly = due_slot(now, m.tz, m.weekday, m.minute, config.catch_up)
            follow = due_slot(now, m.tz, m.weekday, m.minute, config.catch_up, FOLLOW_UP_DELAY)
            if weekly is not None:
                periods.add(weekly[0])
            if follow is not None:
                periods.update((follow[0], previous_week(follow[0])))
            slots.append((m, weekly[0] if weekly else None, follow[0] if follow else None))
        existing = _existing(session, team_id, periods, now, config.claim_lease)
        wanted: list[Item] = []
        for m, week, follow_week in slots:
            if week is not None:
                wanted.append(Item(m.user_id, WEEKLY, week, m.channel_id))
                # The prompt takes the place of the next weekly reminder about its objective.
                # When this week's went out already, it was the third: the prompt waits a week.
                this_week = existing.get((m.user_id, WEEKLY, week))
                if this_week is None or this_week.status != SENT:
                    wanted.extend(
                        Item(
                            m.user_id,
                            PAUSE_PROMPT,
                            f"{week}:o{objective_id}",
                            m.channel_id,
                            objective_id=objective_id,
                        )
                        for objective_id in prompts.get(m.user_id, ())
                    )
            if follow_week is not None:
                wanted.append(Item(m.user_id, FOLLOW_UP, follow_week, m.channel_id))
            local = now.astimezone(m.tz)
            if local.date() >= cycle_end - GRADE_LEAD and local_minute(now, m.tz) >= m.minute:
                wanted.append(Item(m.user_id, GRADE, cycle, m.channel_id))
        by_user = {m.user_id: m for m in members}
        # Retries and stale claims come back even when their slot has passed.
        planned_keys = {item.key for item in wanted}
        for key, row in existing.items():
            if key in planned_keys or key[0] not in by_user:
                continue
            if row.status in (FAILED, CLAIMED):
                user_id, kind, period = key
                objective_id = None
                if kind == PAUSE_PROMPT and ":o" in period:
                    objective_id = int(period.rsplit(":o", 1)[1])
                wanted.append(
                    Item(
                        user_id,
                        kind,
                        period,
                        by_user[user_id].channel_id,
                        objective_id=objective_id,
                    )
                )
        sent_counts = _sent_this_week(session, team_id, now)
        order = {kind: index for index, kind in enumerate(DM_KINDS)}
        wanted.sort(key=lambda i: (i.channel_id is None, i.user_id, order[i.kind]))
        items: list[Item] = []
        skipped: list[Item] = []
        for item in wanted:
            member = by_user[item.user_id]
            item.existing = existing.get(item.key)
            item.schedule = (member.weekday, member.minute)
            if not self._open(item.existing, now):
                continue
            if in_quiet_hours(local_minute(now, member.tz), config):
                continue
            if (
                item.kind == WEEKLY
                and item.existing is None
                and (
                    member.last_checkin_at is not None
                    and now - member.last_checkin_at < config.recent_checkin
                )
            ):
                skipped.append(item)
                continue
            if item.kind == FOLLOW_UP and not self._skipped_twice(item, member, existing):
                continue
            if sent_counts[item.user_id] >= config.max_dms_per_week and not item.stale_claim:
                logger.info(
                    "weekly DM cap reached; %s waits",
                    item.kind,
                    extra={"team_id": team_id, "user_id": item.user_id},
                )
                continue
            sent_counts[item.user_id] += 1
            items.append(item)
        return items, skipped

    def _open(self, row: Existing | None, now: datetime) -> bool:
        if row is None:
            return True
        if row.status == FAILED:
            return row.next_attempt_at is None or row.next_attempt_at <= now
        if row.status == CLAIMED:
            return row.claimed_at < now - self._config.claim_lease
        return False

    @staticmethod
    def _skipped_twice(
        item: Item, member: MemberRow, existing: Mapping[tuple[str, str, str], Existing]
    ) -> bool:
        if item.existing is not None:
            return True  # a retry of a follow-up already decided on
        this = existing.get((item.user_id, WEEKLY, item.period))
        before = existing.get((item.user_id, WEEKLY, previous_week(item.period)))
        if this is None or before is None or this.status != SENT or before.status != SENT:
            return False
        assert before.sent_at is not None
        return member.last_checkin_at is None or member.last_checkin_at < before.sent_at
