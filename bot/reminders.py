"""Reminder preferences, the schedule arithmetic, and the reminder pass.

One pass (run by the clock's tick, or ``okr-coach remind-now``) looks at our own tables,
works out which members' local reminder time has come, claims one delivery row per
(workspace, member, kind, period) and sends the DMs, paced per workspace and method. The
claim comes before the send, so a rerun, a retry or a second clock never DMs anyone twice.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.cycles import cycle_bounds, cycle_of
from bot.deps import Deps
from bot.member_sync import sync_members
from bot.models import CheckIn, Member, Objective, ReminderDelivery, Workspace
from bot.objectives import ObjectiveView, to_views
from bot.pacing import PacedRateLimitRetryHandler, Rate, WorkspacePacer
from bot.slack_client import create_web_client, slack_error_code
from bot.slack_messages import find_by_metadata, metadata
from bot.workspaces import ensure_member

logger = logging.getLogger(__name__)

# ---- kinds, statuses, policy ----------------------------------------------------------------

WEEKLY, FOLLOW_UP, GRADE, PAUSE_PROMPT, DIGEST = (
    "weekly",
    "follow_up",
    "grade",
    "pause_prompt",
    "digest",
)
DM_KINDS = (PAUSE_PROMPT, WEEKLY, GRADE, FOLLOW_UP)  # also the priority under the weekly cap
CLAIMED, SENT, FAILED, GAVE_UP, SKIPPED = "claimed", "sent", "failed", "gave_up", "skipped"

DEFAULT_WEEKDAY, DEFAULT_MINUTE = 0, 9 * 60
IGNORED_BEFORE_PROMPT = 3
GRADE_LEAD = timedelta(days=14)
FOLLOW_UP_DELAY = timedelta(days=2)
DIGEST_WEEKDAY, DIGEST_MINUTE = 4, 15 * 60  # Friday 15:00 UTC
AT_RISK_CONFIDENCE = 4
METADATA_EVENT = "okr_coach_reminder"

# A DM that fails with one of these will fail again: mark the member, stop trying.
PERMANENT_MEMBER_ERRORS = frozenset(
    {
        "user_disabled",
        "channel_not_found",
        "user_not_found",
        "cannot_dm_bot",
        "is_archived",
        "messages_tab_disabled",
        "user_not_visible",
    }
)
# The token itself is gone: nothing in this workspace can be sent until it comes back.
WORKSPACE_ERRORS = frozenset(
    {
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_authed",
        "missing_scope",
        "team_access_not_granted",
        "no_permission",
    }
)

# 429s one message may meet (after slack_sdk's own retries) before it counts as failed.
RATE_LIMIT_ROUNDS = 5
POST, OPEN, HISTORY, USERS_LIST = (
    "chat.postMessage",
    "conversations.open",
    "conversations.history",
    "users.list",
)


@dataclass(frozen=True)
class ReminderConfig:
    """Pacing and politeness. Rates are per workspace and per REAL minute."""

    post_per_minute: float = 100.0
    post_burst: float = 5.0
    open_per_minute: float = 45.0
    open_burst: float = 3.0
    history_per_minute: float = 45.0
    users_list_per_minute: float = 18.0
    senders_per_workspace: int = 4
    parallel_workspaces: int = 8
    batch_size: int = 200
    # A claim older than this whose outcome was never written is checked and resumed.
    claim_lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    retry_backoff: timedelta = timedelta(minutes=5)
    recent_checkin: timedelta = timedelta(days=3)
    catch_up: timedelta = timedelta(hours=36)
    quiet_start_minute: int = 21 * 60
    quiet_end_minute: int = 7 * 60
    max_dms_per_week: int = 3
    progress_every: int = 500

    def rates(self) -> dict[str, Rate]:
        return {
            POST: Rate(self.post_per_minute, self.post_burst),
            OPEN: Rate(self.open_per_minute, self.open_burst),
            HISTORY: Rate(self.history_per_minute, 1.0),
            USERS_LIST: Rate(self.users_list_per_minute, 1.0),
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ReminderConfig:
        """Entry points only: REMINDER_POST_PER_MINUTE, REMINDER_OPEN_PER_MINUTE, ...

        Every value must be a positive number; all bad ones are named in one error.
        """
        from bot.config import ConfigError

        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for name, attr, kind in (
            ("REMINDER_POST_PER_MINUTE", "post_per_minute", float),
            ("REMINDER_POST_BURST", "post_burst", float),
            ("REMINDER_OPEN_PER_MINUTE", "open_per_minute", float),
            ("REMINDER_OPEN_BURST", "open_burst", float),
            ("REMINDER_SENDERS_PER_WORKSPACE", "senders_per_workspace", int),
            ("REMINDER_PARALLEL_WORKSPACES", "parallel_workspaces", int),
            ("REMINDER_MAX_DMS_PER_WEEK", "max_dms_per_week", int),
            ("REMINDER_CLAIM_LEASE_SECONDS", "claim_lease", float),
        ):
            raw = env.get(name, "").strip()
            if not raw:
                continue
            try:
                value = kind(raw)
            except ValueError:
                value = 0
            if value <= 0:
                problems.append(f"{name} must be a positive number, not {raw!r}")
                continue
            changes[attr] = timedelta(seconds=value) if attr == "claim_lease" else value
        if problems:
            raise ConfigError("; ".join(problems))
        return replace(cls(), **changes)


# ---- preferences (/okr remind) --------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REMIND_USAGE = (
    "Try `/okr remind monday 09:30`, `/okr remind fri 16:00`, `/okr remind tuesday`, "
    "`/okr remind off` or `/okr remind on`."
)
REMIND_BAD_TIME = "I could not read the time {value!r}: use 24-hour time like 09:30 or 16:00."
REMIND_QUIET = "{value} is in quiet hours: pick a time between 07:00 and 21:00."
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


@dataclass(frozen=True)
class ReminderPrefs:
    enabled: bool
    weekday: int
    minute: int
    tz: str | None


@dataclass(frozen=True)
class RemindChange:
    enabled: bool | None = None
    weekday: int | None = None
    minute: int | None = None


def _parse_weekday(word: str) -> int | None:
    word = word.lower().rstrip(".,")
    if len(word) < 2:
        return None
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word) or (word.endswith("s") and name == word[:-1]):
            return index
    return None


def _parse_time(word: str) -> int | None:
    match = _TIME.match(word.lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def parse_remind_args(text: str, config: ReminderConfig | None = None) -> RemindChange | str:
    """``/okr remind`` arguments to a change, or a message for the person."""
    config = config or ReminderConfig()
    words = text.lower().replace(" at ", " ").split()
    if not words:
        return REMIND_USAGE
    if words == ["off"]:
        return RemindChange(enabled=False)
    if words == ["on"]:
        return RemindChange(enabled=True)
    weekday = minute = None
    for word in words:
        day = _parse_weekday(word)
        if day is not None and weekday is None:
            weekday = day
            continue
        at = _parse_time(word)
        if at is not None and minute is None:
            if in_quiet_hours(at, config):
                return REMIND_QUIET.format(value=word)
            minute = at
            continue
        if any(ch.isdigit() for ch in word):
            return REMIND_BAD_TIME.format(value=word)
        return REMIND_USAGE
    return RemindChange(enabled=True, weekday=weekday, minute=minute)


def get_prefs(deps: Deps, team_id: str, user_id: str) -> ReminderPrefs:
    with deps.session_factory() as session:
        member = session.scalar(
            select(Member).where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
        )
        if member is None:
            return ReminderPrefs(True, DEFAULT_WEEKDAY, DEFAULT_MINUTE, None)
        return ReminderPrefs(
            member.reminders_enabled, member.reminder_weekday, member.reminder_minute, member.tz
        )


def set_prefs(
    deps: Deps,
    team_id: str,
    user_id: str,
    *,
    enabled: bool | None = None,
    weekday: int | None = None,
    minute: int | None = None,
) -> ReminderPrefs:
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValueError(f"weekday {weekday} out of range")
    if minute is not None and not 0 <= minute < 24 * 60:
        raise ValueError(f"minute {minute} out of range")
    with deps.session_factory.begin() as session:
        member = ensure_member(session, team_id, user_id)
        if enabled is not None:
            member.reminders_enabled = enabled
        if weekday is not None:
            member.reminder_weekday = weekday
        if minute is not None:
            member.reminder_minute = minute
        session.flush()
        return ReminderPrefs(
            member.reminders_enabled, member.reminder_weekday, member.reminder_minute, member.tz
        )


def set_digest_channel(deps: Deps, team_id: str, channel_id: str | None) -> None:
    """Where the weekly digest goes (None turns it off)."""
    from bot.workspaces import ensure_workspace

    with deps.session_factory.begin() as session:
        workspace = ensure_workspace(
            session, team_id, keep_draft_text=deps.settings.keep_draft_text
        )
        workspace.digest_channel_id = channel_id


# ---- schedule arithmetic (pure) -------------------------------------------------------------


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def slot_in_week(monday: date, tz: ZoneInfo, weekday: int, minute: int) -> datetime:
    """The UTC instant of (weekday, minute) in the local week starting ``monday``.

    A wall time that does not exist (inside a spring-forward gap) resolves to the same
    offset as before the gap, i.e. a little later in real time; it never fires twice.
    """
    local = datetime.combine(monday + timedelta(days=weekday), dtime(minute // 60, minute % 60))
    return local.replace(tzinfo=tz).astimezone(UTC)


def due_slot(
    now: datetime,
    tz: ZoneInfo,
    weekday: int,
    minute: int,
    window: timedelta,
    delay: timedelta = timedelta(0),
) -> tuple[str, datetime] | None:
    """(ISO week of the slot, slot) when a weekly slot (+delay) passed less than ``window`` ago."""
    local_today = now.astimezone(tz).date()
    this_monday = local_today - timedelta(days=local_today.weekday())
    for monday in (this_monday, this_monday - timedelta(days=7)):
        slot = slot_in_week(monday, tz, weekday, minute) + delay
        if slot <= now < slot + window:
            return iso_week(monday), slot
    return None


def previous_week(period: str) -> str:
    year, week = period.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return iso_week(monday - timedelta(days=7))


def local_minute(now: datetime, tz: ZoneInfo) -> int:
    local = now.astimezone(tz)
    return local.hour * 60 + local.minute


def in_quiet_hours(minute: int, config: ReminderConfig) -> bool:
    start, end = config.quiet_start_minute, config.quiet_end_minute
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end


# ---- workspaces and their clients -----------------------------------------------------------


class TokenProvider(Protocol):
    def team_ids(self) -> list[str]: ...

    def token_for(self, team_id: str) -> str: ...


class BotTokenProvider:
    """Single-workspace mode: the one bot token; its team comes from ``auth.test``."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._team: str | None = None

    def team_ids(self) -> list[str]:
        if self._team is None:
            client = create_web_client(self._deps.settings)
            self._team = str(client.auth_test()["team_id"])
        return [self._team]

    def token_for(self, team_id: str) -> str:
        token = self._deps.settings.slack_bot_token
        if not token or team_id not in self.team_ids():
            raise LookupError(f"no token for team {team_id}")
        return token


class StaticTokens:
    """Several workspaces with known tokens (benchmarks; later the OAuth installation store)."""

    def __init__(self, tokens: Mapping[str, str]) -> None:
        self._tokens = dict(tokens)

    def team_ids(self) -> list[str]:
        return sorted(self._tokens)

    def token_for(self, team_id: str) -> str:
        return self._tokens[team_id]


def token_provider(deps: Deps) -> TokenProvider:
    """Installed workspaces in distributed mode (tokens refreshed before the fan-out), else
    the one bot token."""
    if getattr(deps.settings, "distributed", False):
        from bot.oauth import build_token_service

        return build_token_service(deps.settings, deps.session_factory, deps.clock)
    return BotTokenProvider(deps)


def paced_client(deps: Deps, token: str, pacer: WorkspacePacer) -> WebClient:
    client = create_web_client(deps.settings, token)
    # The 429 backstop shares its wait with every thread of the workspace (see pacing.py).
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        PacedRateLimitRetryHandler(pacer, max_retry_count=3),
    ]
    return client


# ---- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Existing:
    id: int
    status: str
    attempts: int
    claimed_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None


@dataclass
class Item:
    """One DM to send: who, which reminder, and what we know about its delivery row."""

    user_id: str
    kind: str
    period: str
    channel_id: str | None
    existing: Existing | None = None
    objective_id: int | None = None  # pause prompts are per objective
    schedule: tuple[int, int] = (DEFAULT_WEEKDAY, DEFAULT_MINUTE)
    message: dict[str, Any] | None = None
    bump: tuple[int, ...] = ()  # objectives whose ignored-reminder count goes up on send
    opened: bool = False
    holds_room: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.user_id, self.kind, self.period)

    @property
    def stale_claim(self) -> bool:
        return self.existing is not None and self.existing.status == CLAIMED


@dataclass
class WorkspaceReport:
    team_id: str
    planned: int = 0
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    skipped: int = 0
    blocked: int = 0
    already_claimed: int = 0
    reconciled: int = 0
    opened: int = 0
    rate_limited: int = 0
    digest: bool = False
    error: str | None = None
    seconds: float = 0.0


@dataclass
class PassReport:
    workspaces: list[WorkspaceReport] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, name: str) -> int:
        return sum(int(getattr(w, name)) for w in self.workspaces)

    def as_dict(self) -> dict[str, Any]:
        names = (
            "planned",
            "sent",
            "failed",
            "gave_up",
            "skipped",
            "blocked",
            "already_claimed",
            "reconciled",
            "opened",
            "rate_limited",
        )
        return {
            "seconds": round(self.seconds, 3),
            **{n: self.total(n) for n in names},
            "workspaces": [w.__dict__ for w in self.workspaces],
        }


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

    def plan(
        self, session: Session, team_id: str, now: datetime, wall: datetime | None = None
    ) -> tuple[list[Item], list[Item]]:
        """(items to send, weekly items to record as skipped because of a recent check-in)."""
        config = self._config
        cycle = cycle_of(now.date())
        cycle_end = cycle_bounds(cycle)[1]
        members = _members(session, team_id, cycle)
        prompts = _prompt_objectives(session, team_id, cycle)
        wanted: list[Item] = []
        periods: set[str] = {cycle}
        for m in members:
            weekly = due_slot(now, m.tz, m.weekday, m.minute, config.catch_up)
            if weekly is not None:
                period = weekly[0]
                periods.add(period)
                wanted.append(Item(m.user_id, WEEKLY, period, m.channel_id))
                for objective_id in prompts.get(m.user_id, ()):
                    wanted.append(
                        Item(
                            m.user_id,
                            PAUSE_PROMPT,
                            f"{period}:o{objective_id}",
                            m.channel_id,
                            objective_id=objective_id,
                        )
                    )
            follow = due_slot(now, m.tz, m.weekday, m.minute, config.catch_up, FOLLOW_UP_DELAY)
            if follow is not None:
                periods.update((follow[0], previous_week(follow[0])))
                wanted.append(Item(m.user_id, FOLLOW_UP, follow[0], m.channel_id))
            local = now.astimezone(m.tz)
            if local.date() >= cycle_end - GRADE_LEAD and local_minute(now, m.tz) >= m.minute:
                wanted.append(Item(m.user_id, GRADE, cycle, m.channel_id))
        # Slots are due by ``now`` (remind-now --at may pretend); rows were stamped by the
        # wall clock, so leases, backoffs and the weekly cap are judged by it.
        wall = wall or now
        existing = _existing(session, team_id, periods, wall, config.claim_lease)
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
        sent_counts = _sent_this_week(session, team_id, wall)
        order = {kind: index for index, kind in enumerate(DM_KINDS)}
        wanted.sort(key=lambda i: (i.channel_id is None, i.user_id, order[i.kind]))
        items: list[Item] = []
        skipped: list[Item] = []
        for item in wanted:
            member = by_user[item.user_id]
            item.existing = existing.get(item.key)
            item.schedule = (member.weekday, member.minute)
            if not self._open(item.existing, wall):
                continue
            if in_quiet_hours(local_minute(now, member.tz), config):
                continue
            if (
                item.kind == WEEKLY
                and item.existing is None
                and (
                    member.last_checkin_at is not None
                    and wall - member.last_checkin_at < config.recent_checkin
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


# ---- delivery rows --------------------------------------------------------------------------


class Deliveries:
    """Claims and outcomes: short transactions, never spanning a Slack call."""

    def __init__(self, deps: Deps, team_id: str, config: ReminderConfig) -> None:
        self._deps = deps
        self._team = team_id
        self._config = config

    def _insert(self, session: Session) -> Any:
        dialect = session.get_bind().dialect.name
        return pg_insert if dialect == "postgresql" else sqlite_insert

    def claim(self, item: Item, status: str = CLAIMED) -> bool:
        """True when this process now owns the delivery (inserted, or taken over)."""
        now = self._deps.clock()
        with self._deps.session_factory.begin() as session:
            if item.existing is None:
                insert = self._insert(session)
                statement = (
                    insert(ReminderDelivery)
                    .values(
                        slack_team_id=self._team,
                        slack_user_id=item.user_id,
                        kind=item.kind,
                        period=item.period,
                        status=status,
                        attempts=0,
                        claimed_at=now,
                        sent_at=now if status == SKIPPED else None,
                    )
                    .on_conflict_do_nothing()
                    .returning(ReminderDelivery.id)
                )
                new_id = session.scalar(statement)
                if new_id is None:
                    return False
                item.existing = Existing(new_id, status, 0, now, None, None)
                return True
            old = item.existing
            result = session.execute(
                update(ReminderDelivery)
                .where(
                    ReminderDelivery.id == old.id,
                    ReminderDelivery.status == old.status,
                    ReminderDelivery.attempts == old.attempts,
                    ReminderDelivery.claimed_at == old.claimed_at,
                )
                .values(status=CLAIMED, claimed_at=now)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
            item.existing = replace(old, status=CLAIMED, claimed_at=now)
            return True

    def sent(self, item: Item, ts: str | None, bump: Sequence[int]) -> None:
        assert item.existing is not None
        now = self._deps.clock()
        with self._deps.session_factory.begin() as session:
            session.execute(
                update(ReminderDelivery)
                .where(ReminderDelivery.id == item.existing.id)
                .values(
                    status=SENT,
                    sent_at=now,
                    slack_message_ts=ts,
                    attempts=ReminderDelivery.attempts + 1,
                    last_error=None,
                    next_attempt_at=None,
                )
            )
            if bump:
                session.execute(
                    update(Objective)
                    .where(Objective.slack_team_id == self._team, Objective.id.in_(list(bump)))
                    .values(reminders_ignored=Objective.reminders_ignored + 1)
                    .execution_options(synchronize_session=False)
                )
            if item.opened and item.channel_id:
                self._cache_channel(session, item.user_id, item.channel_id)

    def failed(self, item: Item, error: str) -> str:
        """Record a failure; returns the new status (failed, or gave_up after the last try)."""
        assert item.existing is not None
        now = self._deps.clock()
        attempts = item.existing.attempts + 1
        status = GAVE_UP if attempts >= self._config.max_attempts else FAILED
        delay = self._config.retry_backoff * (2 ** (attempts - 1))
        with self._deps.session_factory.begin() as session:
            session.execute(
                update(ReminderDelivery)
                .where(ReminderDelivery.id == item.existing.id)
                .values(
                    status=status,
                    attempts=attempts,
                    last_error=error[:255],
                    next_attempt_at=None if status == GAVE_UP else now + delay,
                )
            )
            if item.opened and item.channel_id:
                self._cache_channel(session, item.user_id, item.channel_id)
        return status

    def finish(self, item: Item, status: str, error: str | None = None) -> None:
        """Close a claimed row without sending (skipped: nothing to say)."""
        assert item.existing is not None
        with self._deps.session_factory.begin() as session:
            session.execute(
                update(ReminderDelivery)
                .where(ReminderDelivery.id == item.existing.id)
                .values(status=status, last_error=error, sent_at=self._deps.clock())
            )

    def block_member(self, item: Item, reason: str) -> None:
        """A permanent DM failure: the member is skipped from now on."""
        with self._deps.session_factory.begin() as session:
            if item.existing is not None:
                session.execute(
                    update(ReminderDelivery)
                    .where(ReminderDelivery.id == item.existing.id)
                    .values(
                        status=GAVE_UP, last_error=reason, attempts=ReminderDelivery.attempts + 1
                    )
                )
            session.execute(
                update(Member)
                .where(Member.slack_team_id == self._team, Member.slack_user_id == item.user_id)
                .values(dm_blocked_reason=reason[:64], slack_dm_channel_id=None)
            )

    def _cache_channel(self, session: Session, user_id: str, channel_id: str) -> None:
        session.execute(
            update(Member)
            .where(Member.slack_team_id == self._team, Member.slack_user_id == user_id)
            .values(slack_dm_channel_id=channel_id)
        )


# ---- message content ------------------------------------------------------------------------


def _load_views(
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
    item: Item, objectives: Sequence[ObjectiveView], cycle: str
) -> tuple[dict[str, Any] | None, tuple[int, ...]]:
    """The DM for ``item`` and the objectives it reminds about; None when nothing to say."""
    from handlers import checkin_blocks as blocks

    active = [o for o in objectives if o.status == "active"]
    if item.kind == WEEKLY:
        listed = [o for o in active if o.reminders_ignored < IGNORED_BEFORE_PROMPT]
        if not listed:
            return None, ()
        return (
            blocks.reminder_dm(listed, schedule=blocks.schedule_text(*item.schedule)),
            tuple(o.id for o in listed),
        )
    if item.kind == PAUSE_PROMPT:
        target = [o for o in active if o.id == item.objective_id]
        if not target or target[0].reminders_ignored != IGNORED_BEFORE_PROMPT:
            return None, ()
        return blocks.pause_prompt(target[0]), (target[0].id,)
    if item.kind == FOLLOW_UP:
        listed = [o for o in active if o.reminders_ignored <= IGNORED_BEFORE_PROMPT]
        return (blocks.follow_up(listed), ()) if listed else (None, ())
    if item.kind == GRADE:
        ungraded = [o for o in objectives if o.grade is None and o.cycle == cycle]
        if not ungraded:
            return None, ()
        end = cycle_bounds(cycle)[1]
        return blocks.grade_reminder(ungraded, cycle=cycle, cycle_end=end), ()
    return None, ()


def _metadata(item: Item, bump: Sequence[int]) -> dict[str, Any]:
    return metadata(METADATA_EVENT, kind=item.kind, period=item.period, objectives=list(bump))


# ---- the pass -------------------------------------------------------------------------------


class _WorkspaceStop(Exception):
    """The workspace's token stopped working: give up on it for this pass."""


_DONE: Any = object()


class WorkspaceRun:
    """Sends one workspace's reminders: a producer, an opener and a few senders."""

    def __init__(
        self,
        deps: Deps,
        team_id: str,
        client: WebClient,
        pacer: WorkspacePacer,
        config: ReminderConfig,
        now: datetime,
    ) -> None:
        self.deps = deps
        self.team_id = team_id
        self.client = client
        self.pacer = pacer
        self.config = config
        self.now = now
        self.cycle = cycle_of(now.date())
        self.deliveries = Deliveries(deps, team_id, config)
        self.report = WorkspaceReport(team_id)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = 0
        self._room = threading.BoundedSemaphore(1)

    def _count(self, name: str, by: int = 1) -> None:
        with self._lock:
            setattr(self.report, name, getattr(self.report, name) + by)
            if name in ("sent", "failed", "gave_up", "blocked", "skipped", "reconciled"):
                self._done += by
                done = self._done
            else:
                return
        if done % self.config.progress_every == 0:
            logger.info(
                "reminders: %d of %d done (%d sent)",
                done,
                self.report.planned,
                self.report.sent,
                extra={"team_id": self.team_id},
            )

    def run(self) -> WorkspaceReport:
        started = time.monotonic()
        try:
            self._sync_profiles_if_stale()
            with self.deps.session_factory() as session:
                items, recent = Planner(self.config).plan(
                    session, self.team_id, self.now, self.deps.clock()
                )
            for item in recent:
                if self.deliveries.claim(item, status=SKIPPED):
                    self._count("skipped")
            self.report.planned = len(items)
            if items:
                self._send_all(items)
            self._digest()
        except _WorkspaceStop as stop:
            self.report.error = str(stop)
        finally:
            self.report.rate_limited = self.pacer.rate_limited
            self.report.seconds = time.monotonic() - started
        return self.report

    # -- profiles --

    def _sync_profiles_if_stale(self) -> None:
        # The daily member_sync job keeps everyone fresh; a tick only syncs when someone new
        # (never synced: no time zone yet) would otherwise be reminded on UTC.
        with self.deps.session_factory() as session:
            stale = session.scalar(
                select(func.count())
                .select_from(Member)
                .where(
                    Member.slack_team_id == self.team_id,
                    Member.deleted.is_(False),
                    Member.profile_synced_at.is_(None),
                )
            )
        if not stale:
            return
        try:
            sync_members(self.deps, self.client, self.team_id, pacer=self.pacer, now=self.now)
        except SlackApiError as error:
            code = slack_error_code(error)
            if code in WORKSPACE_ERRORS:
                raise _WorkspaceStop(code) from error
            # Stale time zones are better than no reminders: carry on with what we have.
            logger.warning("member sync failed: %s", code, extra={"team_id": self.team_id})

    # -- pipeline --

    def _send_all(self, items: list[Item]) -> None:
        # Small queues: the producer waits for the senders, so only a few batches of built
        # messages are ever in memory, whatever the size of the workspace.
        depth = 2 * self.config.batch_size
        to_open: queue.Queue[Any] = queue.Queue(maxsize=depth)
        # Unbounded, so the opener (the slowest, rate-limited stage) never waits for a sender
        # stalled on the database: an open slot not taken is time lost for good. The
        # producer's own items are bounded by ``_room`` instead.
        to_post: queue.Queue[Any] = queue.Queue()
        self._room = threading.BoundedSemaphore(depth)
        senders = max(1, self.config.senders_per_workspace)
        threads = [
            threading.Thread(
                target=self._opener,
                args=(to_open, to_post, senders),
                name=f"open-{self.team_id}",
                daemon=True,
            )
        ] + [
            threading.Thread(
                target=self._sender, args=(to_post,), name=f"send-{self.team_id}-{n}", daemon=True
            )
            for n in range(senders)
        ]
        for thread in threads:
            thread.start()
        try:
            for start in range(0, len(items), self.config.batch_size):
                if self._stop.is_set():
                    break
                batch = items[start : start + self.config.batch_size]
                views = _load_views(
                    self.deps, self.team_id, self.cycle, sorted({i.user_id for i in batch})
                )
                for item in batch:
                    message, bump = build_message(item, views.get(item.user_id, ()), self.cycle)
                    item.message, item.bump = message, bump
                    if item.channel_id:
                        self._room.acquire()
                        item.holds_room = True
                        to_post.put(item)
                    else:
                        to_open.put(item)
        finally:
            to_open.put(_DONE)
            for thread in threads:
                thread.join()
        if self._stop.is_set():
            raise _WorkspaceStop(self.report.error or "workspace stopped")

    def _opener(self, to_open: queue.Queue[Any], to_post: queue.Queue[Any], senders: int) -> None:
        try:
            while True:
                item = to_open.get()
                if item is _DONE:
                    return
                if self._stop.is_set() or item.message is None:
                    to_post.put(item)  # the sender records "nothing to say" without a call
                    continue
                try:
                    user_id = item.user_id
                    response = self._paced(
                        OPEN, lambda user_id=user_id: self.client.conversations_open(users=user_id)
                    )
                except SlackApiError as error:
                    self._handle_error(item, error, claimed=False)
                    continue
                except Exception as error:  # timeouts, refused connections: retry later
                    logger.warning(
                        "conversations.open failed: %s",
                        error,
                        extra={"team_id": self.team_id, "user_id": item.user_id},
                    )
                    continue
                item.channel_id = str(response["channel"]["id"])
                item.opened = True
                self._count("opened")
                to_post.put(item)
        finally:
            for _ in range(senders):
                to_post.put(_DONE)

    def _sender(self, to_post: queue.Queue[Any]) -> None:
        while True:
            item = to_post.get()
            if item is _DONE:
                return
            try:
                if not self._stop.is_set():
                    self._deliver(item)
            except Exception:
                # One member's surprise must not stop the others; the claim is retried later.
                logger.exception(
                    "reminder failed", extra={"team_id": self.team_id, "user_id": item.user_id}
                )
                if item.existing is not None and item.existing.status == CLAIMED:
                    self.deliveries.failed(item, "internal_error")
                    self._count("failed")
            finally:
                item.message = None  # sent or recorded: let the blocks go
                if item.holds_room:
                    item.holds_room = False
                    self._room.release()

    def _deliver(self, item: Item) -> None:
        stale = item.stale_claim
        if item.message is None:
            if self.deliveries.claim(item):
                self.deliveries.finish(item, SKIPPED, "nothing to remind")
                self._count("skipped")
            return
        if not self.deliveries.claim(item):
            self._count("already_claimed")
            return
        if stale and item.channel_id and self._reconcile(item):
            return
        assert item.channel_id is not None
        try:
            response = self._post(item)
        except SlackApiError as error:
            self._handle_error(item, error, claimed=True)
            return
        except Exception as error:
            status = self.deliveries.failed(item, f"{type(error).__name__}: {error}")
            self._count("gave_up" if status == GAVE_UP else "failed")
            return
        self.deliveries.sent(item, response.get("ts"), item.bump)
        self._count("sent")

    def _paced(self, method: str, call: Callable[[], Any]) -> Any:
        """One paced Web API call that sits out 429s with the rest of the workspace.

        A 429 that outlasted slack_sdk's own retries is no failure of this reminder: the
        pacer already holds the pause for every thread, so wait for it and go on.
        """
        for round_ in range(RATE_LIMIT_ROUNDS):
            self.pacer.acquire(method)
            try:
                return call()
            except SlackApiError as error:
                if error.response.status_code != 429 or round_ == RATE_LIMIT_ROUNDS - 1:
                    raise
        raise AssertionError("unreachable")

    def _post(self, item: Item) -> Any:
        assert item.channel_id is not None and item.message is not None
        message = item.message
        return self._paced(
            POST,
            lambda: self.client.chat_postMessage(
                channel=item.channel_id,
                unfurl_links=False,
                unfurl_media=False,
                metadata=_metadata(item, item.bump),
                **message,
            ),
        )

    def _reconcile(self, item: Item) -> bool:
        """A claim whose outcome was never written: was the DM sent before the crash?"""
        assert item.existing is not None and item.channel_id is not None
        try:
            self.pacer.acquire(HISTORY)
            message = find_by_metadata(
                self.client,
                channel=item.channel_id,
                event_type=METADATA_EVENT,
                matches=lambda p: p.get("kind") == item.kind and p.get("period") == item.period,
                oldest=str(item.existing.claimed_at.timestamp() - 3600),
                limit=50,
            )
        except SlackApiError as error:
            logger.warning(
                "cannot check an interrupted reminder: %s",
                slack_error_code(error),
                extra={"team_id": self.team_id, "user_id": item.user_id},
            )
            return False
        if message is None:
            return False
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        bump = [int(o) for o in payload.get("objectives") or []]
        self.deliveries.sent(item, message.get("ts"), bump)
        self._count("reconciled")
        return True

    def _handle_error(self, item: Item, error: SlackApiError, *, claimed: bool) -> None:
        code = slack_error_code(error)
        context = {"team_id": self.team_id, "user_id": item.user_id}
        if code in WORKSPACE_ERRORS:
            with self._lock:
                self.report.error = code
            self._stop.set()
            if claimed:
                self.deliveries.failed(item, code)
            logger.error("workspace token failed: %s; stopping this pass", code, extra=context)
            return
        if code in PERMANENT_MEMBER_ERRORS:
            self.deliveries.block_member(item, code)
            logger.info("member cannot be DMed (%s): skipped from now on", code, extra=context)
            self._count("blocked")
            return
        if not claimed:
            # Nothing claimed yet: the next pass tries again from scratch.
            logger.warning("conversations.open failed: %s", code, extra=context)
            return
        status = self.deliveries.failed(item, code or "unknown_error")
        logger.warning("reminder failed: %s (%s)", code, status, extra=context)
        self._count("gave_up" if status == GAVE_UP else "failed")

    # -- digest --

    def _digest(self) -> None:
        now = self.now
        with self.deps.session_factory() as session:
            channel = session.scalar(
                select(Workspace.digest_channel_id).where(Workspace.slack_team_id == self.team_id)
            )
        if not channel or now.weekday() < DIGEST_WEEKDAY:
            return
        if now.weekday() == DIGEST_WEEKDAY and now.hour * 60 + now.minute < DIGEST_MINUTE:
            return
        item = Item(channel, DIGEST, iso_week(now.date()), channel)
        with self.deps.session_factory() as session:
            row = session.scalar(
                select(ReminderDelivery).where(
                    ReminderDelivery.slack_team_id == self.team_id,
                    ReminderDelivery.slack_user_id == channel,
                    ReminderDelivery.kind == DIGEST,
                    ReminderDelivery.period == item.period,
                )
            )
            if row is not None:
                wall = self.deps.clock()
                if row.status != FAILED or (row.next_attempt_at and row.next_attempt_at > wall):
                    return
                item.existing = Existing(
                    row.id,
                    row.status,
                    row.attempts,
                    row.claimed_at,
                    row.next_attempt_at,
                    row.sent_at,
                )
        item.message = digest_message(self.deps, self.team_id, self.cycle, now)
        self.pacer.acquire(POST)
        if not self.deliveries.claim(item):
            return
        try:
            response = self.client.chat_postMessage(channel=channel, **item.message)
        except SlackApiError as error:
            self.deliveries.failed(item, slack_error_code(error) or "unknown_error")
            logger.warning(
                "digest failed: %s", slack_error_code(error), extra={"team_id": self.team_id}
            )
            return
        self.deliveries.sent(item, response.get("ts"), ())
        self.report.digest = True


def digest_message(deps: Deps, team_id: str, cycle: str, now: datetime) -> dict[str, Any]:
    from handlers import checkin_blocks as blocks

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
    return blocks.digest(blocks.DigestData(checked_in, falling, at_risk))


class ReminderPass:
    """One pass over every workspace, in parallel. Safe to run twice, or twice at once."""

    def __init__(
        self,
        deps: Deps,
        tokens: TokenProvider,
        config: ReminderConfig | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.deps = deps
        self.tokens = tokens
        self.config = config or ReminderConfig()
        self._monotonic = monotonic
        self._sleep = sleep

    def run_workspace(self, team_id: str, now: datetime) -> WorkspaceReport:
        pacer = WorkspacePacer(
            team_id, self.config.rates(), monotonic=self._monotonic, sleep=self._sleep
        )
        try:
            token = self.tokens.token_for(team_id)
        except LookupError as error:
            return WorkspaceReport(team_id, error=str(error))
        client = paced_client(self.deps, token, pacer)
        report = WorkspaceRun(self.deps, team_id, client, pacer, self.config, now).run()
        logger.info(
            "reminder pass: %d sent, %d failed, %d skipped, %d blocked in %.1fs",
            report.sent,
            report.failed,
            report.skipped,
            report.blocked,
            report.seconds,
            extra={"team_id": team_id},
        )
        return report

    def run(self, now: datetime | None = None) -> PassReport:
        started = time.monotonic()
        now = now or self.deps.clock()
        teams = self.tokens.team_ids()
        report = PassReport()
        if teams:
            workers = max(1, min(len(teams), self.config.parallel_workspaces))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="remind") as pool:
                report.workspaces = list(pool.map(lambda t: self.run_workspace(t, now), teams))
        report.seconds = time.monotonic() - started
        return report
