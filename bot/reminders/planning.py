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


@dataclass(frozen=True)
class _Slots:
    """The ISO weeks whose weekly reminder and follow-up are due for a member now, if any."""

    week: str | None
    follow_up_week: str | None

    @property
    def periods(self) -> list[str]:
        found = [self.week] if self.week else []
        if self.follow_up_week:
            # A follow-up looks at its week's weekly reminder and the one before.
            found += [self.follow_up_week, previous_week(self.follow_up_week)]
        return found


def _retries(
    existing: Mapping[tuple[str, str, str], Existing],
    planned: set[tuple[str, str, str]],
    by_user: Mapping[str, MemberRow],
) -> list[Item]:
    """Failed deliveries and stale claims come back even when their slot has passed."""
    found: list[Item] = []
    for key, row in existing.items():
        if key in planned or key[0] not in by_user or row.status not in (FAILED, CLAIMED):
            continue
        user_id, kind, period = key
        objective_id = None
        if kind == PAUSE_PROMPT and ":o" in period:
            objective_id = int(period.rsplit(":o", 1)[1])
        found.append(
            Item(user_id, kind, period, by_user[user_id].channel_id, objective_id=objective_id)
        )
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
        cycle = cycle_of(now.date())
        members = _members(session, team_id, cycle)
        slots = {m.user_id: self._slots(m, now) for m in members}
        periods = {cycle} | {p for slot in slots.values() for p in slot.periods}
        existing = _existing(session, team_id, periods, now, self._config.claim_lease)
        prompts = _prompt_objectives(session, team_id, cycle)
        wanted = [
            item
            for m in members
            for item in self._due(m, slots[m.user_id], cycle, now, prompts, existing)
        ]
        by_user = {m.user_id: m for m in members}
        wanted += _retries(existing, {item.key for item in wanted}, by_user)
        return self._choose(session, team_id, now, wanted, existing, by_user)

    def _slots(self, m: MemberRow, now: datetime) -> _Slots:
        catch_up = self._config.catch_up
        weekly = due_slot(now, m.tz, m.weekday, m.minute, catch_up)
        follow = due_slot(now, m.tz, m.weekday, m.minute, catch_up, FOLLOW_UP_DELAY)
        return _Slots(weekly[0] if weekly else None, follow[0] if follow else None)

    @staticmethod
    def _due(
        m: MemberRow,
        slots: _Slots,
        cycle: str,
        now: datetime,
        prompts: Mapping[str, list[int]],
        existing: Mapping[tuple[str, str, str], Existing],
    ) -> list[Item]:
        """The reminders whose moment has come for member ``m``, before any rule says no."""
        due: list[Item] = []
        if slots.week is not None:
            due.append(Item(m.user_id, WEEKLY, slots.week, m.channel_id))
            # The prompt takes the place of the next weekly reminder about its objective.
            # When this week's went out already, it was the third: the prompt waits a week.
            this_week = existing.get((m.user_id, WEEKLY, slots.week))
            if this_week is None or this_week.status != SENT:
                due.extend(
                    Item(
                        m.user_id,
                        PAUSE_PROMPT,
                        f"{slots.week}:o{objective_id}",
                        m.channel_id,
                        objective_id=objective_id,
                    )
                    for objective_id in prompts.get(m.user_id, ())
                )
        if slots.follow_up_week is not None:
            due.append(Item(m.user_id, FOLLOW_UP, slots.follow_up_week, m.channel_id))
        grading = now.astimezone(m.tz).date() >= cycle_bounds(cycle)[1] - GRADE_LEAD
        if grading and local_minute(now, m.tz) >= m.minute:
            due.append(Item(m.user_id, GRADE, cycle, m.channel_id))
        return due

    def _choose(
        self,
        session: Session,
        team_id: str,
        now: datetime,
        wanted: list[Item],
        existing: Mapping[tuple[str, str, str], Existing],
        by_user: Mapping[str, MemberRow],
    ) -> tuple[list[Item], list[Item]]:
        """The rules: not already done, no quiet hours, no nagging, the weekly cap."""
        config = self._config
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
