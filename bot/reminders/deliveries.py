"""Delivery rows: one per (workspace, member, kind, period), claimed before it is sent.

Short transactions, never spanning a Slack call: a rerun, a retry or a second clock finds
the row and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.db import insert_or_ignore
from bot.deps import Deps
from bot.models import Member, Objective, ReminderDelivery
from bot.reminders.schedule import DEFAULT_MINUTE, DEFAULT_WEEKDAY
from bot.reminders.settings import ReminderConfig

WEEKLY, FOLLOW_UP, GRADE, PAUSE_PROMPT, DIGEST = (
    "weekly",
    "follow_up",
    "grade",
    "pause_prompt",
    "digest",
)
DM_KINDS = (PAUSE_PROMPT, WEEKLY, GRADE, FOLLOW_UP)  # also the priority under the weekly cap
CLAIMED, SENT, FAILED, GAVE_UP, SKIPPED = "claimed", "sent", "failed", "gave_up", "skipped"
# The delivery row's unique key (see models.ReminderDelivery).
UNIQUE_KEY = ("slack_team_id", "slack_user_id", "kind", "period")


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
    claimed: bool = False  # this pass owns the delivery: Slack calls may be made for it
    before: Existing | None = None  # the row as it was before this pass claimed it
    resumed: bool = False  # it was a claim left unfinished: check Slack before resending

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.user_id, self.kind, self.period)

    @property
    def stale_claim(self) -> bool:
        return self.existing is not None and self.existing.status == CLAIMED


class Deliveries:
    """Claims and outcomes: short transactions, never spanning a Slack call."""

    def __init__(
        self, deps: Deps, team_id: str, config: ReminderConfig, clock: Callable[[], datetime]
    ) -> None:
        self._deps = deps
        self._team = team_id
        self._config = config
        self._clock = clock  # the pass's clock: rows are stamped with the time its rules read

    def claim(self, item: Item, status: str = CLAIMED) -> bool:
        """True when this process now owns the delivery (inserted, or taken over)."""
        now = self._clock()
        item.before = item.existing
        with self._deps.session_factory.begin() as session:
            if item.existing is None:
                values = {
                    "slack_team_id": self._team,
                    "slack_user_id": item.user_id,
                    "kind": item.kind,
                    "period": item.period,
                    "status": status,
                    "attempts": 0,
                    "claimed_at": now,
                    "sent_at": now if status == SKIPPED else None,
                }
                new_id = insert_or_ignore(session, ReminderDelivery, values, list(UNIQUE_KEY))
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
        with self._deps.session_factory.begin() as session:
            self._update(
                session,
                item,
                status=SENT,
                sent_at=self._clock(),
                slack_message_ts=ts,
                attempts=ReminderDelivery.attempts + 1,
                last_error=None,
                next_attempt_at=None,
            )
            if bump:
                session.execute(
                    update(Objective)
                    .where(Objective.slack_team_id == self._team, Objective.id.in_(list(bump)))
                    .values(reminders_ignored=Objective.reminders_ignored + 1)
                    .execution_options(synchronize_session=False)
                )
            self._cache_channel(session, item)

    def failed(self, item: Item, error: str) -> str:
        """Record a failure; returns the new status (failed, or gave_up after the last try)."""
        assert item.existing is not None
        attempts = item.existing.attempts + 1
        status = GAVE_UP if attempts >= self._config.max_attempts else FAILED
        delay = self._config.retry_backoff * (2 ** (attempts - 1))
        with self._deps.session_factory.begin() as session:
            self._update(
                session,
                item,
                status=status,
                attempts=attempts,
                last_error=error[:255],
                next_attempt_at=None if status == GAVE_UP else self._clock() + delay,
            )
            self._cache_channel(session, item)
        return status

    def finish(self, item: Item, status: str, error: str | None = None) -> None:
        """Close a claimed row without sending (skipped: nothing to say)."""
        with self._deps.session_factory.begin() as session:
            self._update(session, item, status=status, last_error=error, sent_at=self._clock())

    def release(self, item: Item) -> None:
        """Give a claim back untouched (the pass stopped before posting): the row is as it was,
        so the next pass takes it up without a backoff or a spent attempt."""
        assert item.existing is not None
        mine = (
            (ReminderDelivery.id == item.existing.id)
            & (ReminderDelivery.status == CLAIMED)
            & (ReminderDelivery.claimed_at == item.existing.claimed_at)
        )
        with self._deps.session_factory.begin() as session:
            if item.before is None:
                session.execute(delete(ReminderDelivery).where(mine))
            else:
                session.execute(
                    update(ReminderDelivery)
                    .where(mine)
                    .values(status=item.before.status, claimed_at=item.before.claimed_at)
                )

    def block_member(self, item: Item, reason: str) -> None:
        """A permanent DM failure: the member is skipped from now on."""
        with self._deps.session_factory.begin() as session:
            if item.existing is not None:
                attempts = ReminderDelivery.attempts + 1
                self._update(session, item, status=GAVE_UP, last_error=reason, attempts=attempts)
            session.execute(
                update(Member)
                .where(Member.slack_team_id == self._team, Member.slack_user_id == item.user_id)
                .values(dm_blocked_reason=reason[:64], slack_dm_channel_id=None)
            )

    @staticmethod
    def _update(session: Session, item: Item, **values: Any) -> None:
        assert item.existing is not None
        session.execute(
            update(ReminderDelivery).where(ReminderDelivery.id == item.existing.id).values(**values)
        )

    def _cache_channel(self, session: Session, item: Item) -> None:
        """A DM channel this pass opened is remembered: conversations.open is paid once."""
        if item.opened and item.channel_id:
            session.execute(
                update(Member)
                .where(Member.slack_team_id == self._team, Member.slack_user_id == item.user_id)
                .values(slack_dm_channel_id=item.channel_id)
            )
