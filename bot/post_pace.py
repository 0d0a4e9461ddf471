"""The pace of replies, kept in the database every worker already shares.

Slack lets an app post about one message a second in a channel and several hundred a
minute in a workspace, counted per app and workspace, not per process; past that it
answers 429 with Retry-After. A burst of drafts in one channel (a team's planning session)
would otherwise reply in a rush, be refused, and fall back to the sweeper minutes later.

A reply waits in two places. First in its channel's queue: one short transaction moves
the channel's ``next_at`` forward and returns its turn, and the worker sleeps outside any
transaction until then. Then, at that turn, it takes the workspace's next slot (the same
transaction when the channel was free). Taking the workspace slot only at the channel turn
matters: a burst of forty drafts in one channel must not book the workspace forty seconds
ahead, or every other channel would wait behind it. A channel's ``posted_at`` keeps its
replies a full interval apart when the workspace makes one of them go later than its turn.
A 429 pushes both rows back by Retry-After, so every worker slows down together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, case, update
from sqlalchemy.engine import Connection, Row

from bot.db import insert_or_ignore
from bot.models import PostPace

WORKSPACE = "*"
_TABLE = PostPace.__table__
_SCOPE = (_TABLE.c.slack_team_id == bindparam("team")) & (_TABLE.c.scope == bindparam("which"))
_NOW = bindparam("now")
_INTERVAL = bindparam("interval")


def _later(column: Any, moment: Any) -> Any:
    """max(column, moment) in portable SQL (SQLite has no GREATEST)."""
    return case((column > moment, column), else_=moment)


# A channel's queue or the workspace's slots: next_at = max(next_at, :now) + :interval,
# returning the new value (and, for a channel, when its last reply was to go). The update
# also locks the row (on SQLite, the database), so the decision that follows is this
# worker's alone.
_ADVANCE = (
    update(_TABLE)
    .where(_SCOPE)
    .values(next_at=_later(_TABLE.c.next_at, _NOW) + _INTERVAL)
    .returning(_TABLE.c.next_at, _TABLE.c.posted_at)
)
# Back at the channel turn: lock the row and read when its last reply was to go.
_LOCK_POSTED = (
    update(_TABLE).where(_SCOPE).values(posted_at=_TABLE.c.posted_at).returning(_TABLE.c.posted_at)
)
_SET_POSTED = update(_TABLE).where(_SCOPE).values(posted_at=bindparam("at"))
_PUSH_BACK = (
    update(_TABLE)
    .where(_SCOPE, _TABLE.c.next_at < bindparam("until"))
    .values(next_at=bindparam("until"))
)


@dataclass(frozen=True)
class Pace:
    seconds_per_channel: float
    per_minute: int

    @property
    def workspace_interval(self) -> float:
        return 60.0 / self.per_minute


class ReplyPace:
    """Turns to post, shared by every thread and worker through the database."""

    def __init__(
        self,
        engine: Engine,
        pace: Pace,
        *,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._engine = engine
        self._pace = pace
        self._now = now
        self._sleep = sleep

    def queue(self, team_id: str, channel_id: str) -> tuple[float, bool]:
        """Join the channel's queue: (when to come back, or when to post if final).

        When the channel is free the workspace slot is taken at once, in the same
        transaction. A workspace slot is only ever taken for a reply ready to go now, so
        the workspace's schedule has no holes another channel could have used."""
        now = self._now()
        ic = self._pace.seconds_per_channel
        with self._engine.begin() as connection:
            row = _advance(connection, team_id, channel_id, now, ic)
            turn, posted = float(row.next_at) - ic, float(row.posted_at)
            if turn > now:
                return turn, False
            if posted + ic > now:  # the last reply here goes less than an interval before
                return posted + ic, False
            return self._take_slot(connection, team_id, channel_id, now), True

    def at_turn(self, team_id: str, channel_id: str) -> tuple[float, bool]:
        """Come back at the channel turn: (when to post, True), or (when to come back, False)
        while the channel's last reply, delayed by the workspace, is too recent."""
        now = self._now()
        ic = self._pace.seconds_per_channel
        params = {"team": team_id, "which": channel_id}
        with self._engine.begin() as connection:
            posted = connection.execute(_LOCK_POSTED, params).scalar_one_or_none()
            if posted is None:  # the row went away under us (the workspace uninstalled)
                _create(connection, team_id, channel_id, now)
                posted = 0.0
            if float(posted) + ic > now:
                return float(posted) + ic, False
            return self._take_slot(connection, team_id, channel_id, now), True

    def wait_turn(
        self,
        team_id: str,
        channel_id: str,
        *,
        before_waiting: Callable[[float], None] | None = None,
    ) -> float:
        """Wait for the channel's turn, then the workspace's slot; the seconds waited.

        ``before_waiting`` hears each wait's length before it starts (to keep a claim)."""
        started = self._now()
        at, final = self.queue(team_id, channel_id)
        while not final:
            self._sleep_until(at, before_waiting)
            at, final = self.at_turn(team_id, channel_id)
        self._sleep_until(at, before_waiting)
        return max(0.0, self._now() - started)

    def _sleep_until(self, moment: float, before_waiting: Callable[[float], None] | None) -> None:
        wait = moment - self._now()
        if wait > 0:
            if before_waiting is not None:
                before_waiting(wait)
            self._sleep(wait)

    def _take_slot(
        self, connection: Connection, team_id: str, channel_id: str, now: float
    ) -> float:
        iw = self._pace.workspace_interval
        slot = float(_advance(connection, team_id, WORKSPACE, now, iw).next_at) - iw
        # The channel's next reply follows this one, however long the workspace made it wait.
        connection.execute(_SET_POSTED, {"team": team_id, "which": channel_id, "at": slot})
        return slot

    def slow_down(self, team_id: str, channel_id: str, seconds: float) -> None:
        """Slack said 429: nobody posts in this channel or workspace for ``seconds``."""
        until = self._now() + seconds
        with self._engine.begin() as connection:
            for scope in (channel_id, WORKSPACE):
                _create(connection, team_id, scope, until)
                connection.execute(_PUSH_BACK, {"team": team_id, "which": scope, "until": until})


def _advance(
    connection: Connection, team_id: str, scope: str, now: float, interval: float
) -> Row[Any]:
    params = {"team": team_id, "which": scope, "now": now, "interval": interval}
    row = connection.execute(_ADVANCE, params).one_or_none()
    if row is None:
        # The first message ever here: create the row (another worker may be creating it
        # too; the unique key makes one of them wait and do nothing), then advance it.
        _create(connection, team_id, scope, now)
        row = connection.execute(_ADVANCE, params).one()
    return row


def _create(connection: Connection, team_id: str, scope: str, next_at: float) -> None:
    insert_or_ignore(
        connection,
        PostPace,
        {"slack_team_id": team_id, "scope": scope, "next_at": next_at},
        ["slack_team_id", "scope"],
    )
