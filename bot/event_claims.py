"""Claim each Slack event id once, so retries and duplicate deliveries never act twice.

A claim is also a lease. The claimant holds it while it works; finishing completes it. If
the worker dies mid-way (killed, OOM, deploy), the lease runs out and the claim can be taken
over: by Slack's retry of the same event, or by the clock's sweeper, which re-drives the
work from the payload kept on the claim until it completes.

Each operation has an ``*_in`` form that joins the caller's transaction, so the hot path
(claim, coach, store) costs one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from bot.db import insert_or_ignore
from bot.models import ProcessedEvent

# The ``*_in`` forms run on the caller's ORM session or Core connection alike.
Executor = Session | Connection

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
ERROR_LIMIT = 255
_KEY = ["slack_team_id", "slack_event_id"]
_TABLE = ProcessedEvent.__table__
# Built once: the hot path runs it for every draft.
COMPLETE = (
    update(_TABLE)
    .where(
        _TABLE.c.slack_team_id == bindparam("team"),
        _TABLE.c.slack_event_id == bindparam("event"),
        _TABLE.c.completed_at.is_(None),
    )
    .values(completed_at=bindparam("now"), lease_until=None, payload=None)
)


@dataclass(frozen=True)
class StaleClaim:
    team_id: str
    event_id: str
    payload: dict[str, Any]
    attempts: int


class EventClaims:
    def __init__(self, session_factory: sessionmaker, lease: timedelta = LEASE) -> None:
        self._sessions = session_factory
        self._lease = lease

    def claim(
        self, team_id: str, event_id: str, now: datetime, *, payload: dict[str, Any] | None = None
    ) -> bool:
        with self._sessions.begin() as session:
            return self.claim_in(session, team_id, event_id, now, payload=payload)

    def claim_in(
        self,
        session: Executor,
        team_id: str,
        event_id: str,
        now: datetime,
        *,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """True for the first delivery of ``event_id``, or when its last claimant gave up
        or died (lease run out); False while it is being handled or once it is done.

        The unique key decides, so two workers receiving the same retry at once cannot
        both win.
        """
        inserted = insert_or_ignore(
            session,
            ProcessedEvent,
            {
                "slack_team_id": team_id,
                "slack_event_id": event_id,
                "claimed_at": now,
                "lease_until": now + self._lease,
                "attempts": 1,
                "payload": payload,
            },
            _KEY,
        )
        if inserted is not None:
            return True
        result = session.execute(
            update(ProcessedEvent)
            .where(
                ProcessedEvent.slack_team_id == team_id,
                ProcessedEvent.slack_event_id == event_id,
                ProcessedEvent.completed_at.is_(None),
                or_(ProcessedEvent.lease_until.is_(None), ProcessedEvent.lease_until <= now),
                ProcessedEvent.attempts < MAX_ATTEMPTS,
            )
            .values(
                claimed_at=now, lease_until=now + self._lease, attempts=ProcessedEvent.attempts + 1
            )
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def complete(self, team_id: str, event_id: str, now: datetime) -> None:
        with self._sessions.begin() as session:
            self.complete_in(session, team_id, event_id, now)

    def complete_in(self, session: Executor, team_id: str, event_id: str, now: datetime) -> None:
        session.execute(COMPLETE, {"team": team_id, "event": event_id, "now": now})

    def release(self, team_id: str, event_id: str, now: datetime, error: str = "") -> None:
        with self._sessions.begin() as session:
            self.release_in(session, team_id, event_id, now, error)

    def release_in(
        self, session: Executor, team_id: str, event_id: str, now: datetime, error: str = ""
    ) -> None:
        """The work failed: end the lease now, so a retry or the sweeper can take over."""
        _set(session, team_id, event_id, lease_until=now, last_error=error[:ERROR_LIMIT] or None)

    def extend(self, team_id: str, event_id: str, until: datetime) -> None:
        """Keep a claim that is still being worked on (a reply queued behind a burst)."""
        with self._sessions.begin() as session:
            session.execute(
                update(ProcessedEvent)
                .where(
                    ProcessedEvent.slack_team_id == team_id,
                    ProcessedEvent.slack_event_id == event_id,
                    ProcessedEvent.completed_at.is_(None),
                    or_(
                        ProcessedEvent.lease_until.is_(None),
                        ProcessedEvent.lease_until < until,
                    ),
                )
                .values(lease_until=until)
            )

    def stale(self, now: datetime, limit: int = 100) -> list[StaleClaim]:
        """Unfinished claims whose lease ran out, with the payload needed to finish them."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ProcessedEvent)
                .where(
                    ProcessedEvent.completed_at.is_(None),
                    ProcessedEvent.lease_until <= now,
                    ProcessedEvent.attempts < MAX_ATTEMPTS,
                    ProcessedEvent.payload.is_not(None),
                )
                .order_by(ProcessedEvent.claimed_at)
                .limit(limit)
            )
            return [
                StaleClaim(r.slack_team_id, r.slack_event_id, dict(r.payload or {}), r.attempts)
                for r in rows
            ]


def prune(session_factory: sessionmaker, before: datetime) -> int:
    """Forget completed claims older than ``before``: Slack retries within minutes, not days."""
    with session_factory.begin() as session:
        result = session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.completed_at.is_not(None), ProcessedEvent.completed_at < before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _set(session: Executor, team_id: str, event_id: str, **values: Any) -> None:
    session.execute(
        update(ProcessedEvent)
        .where(
            ProcessedEvent.slack_team_id == team_id,
            ProcessedEvent.slack_event_id == event_id,
            ProcessedEvent.completed_at.is_(None),
        )
        .values(**values)
    )
