"""The pace of replies, kept in the database every worker already shares.

Slack lets an app post about one message a second in a channel and several hundred a
minute in a workspace, counted per app and workspace, not per process; past that it
answers 429 with Retry-After. A burst of drafts in one channel (a team's planning session)
would otherwise reply in a rush, be refused, and fall back to the sweeper minutes later.

Before it posts, a worker reserves its turn: one short transaction moves the channel's and
the workspace's ``next_at`` forward and returns the time its message may go. The worker
then waits outside any transaction. A 429 pushes both rows back by Retry-After, so every
worker slows down together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, case, update
from sqlalchemy.engine import Connection

from bot.db import insert_or_ignore
from bot.models import PostPace

WORKSPACE = "*"
_TABLE = PostPace.__table__
_SCOPE = (_TABLE.c.slack_team_id == bindparam("team")) & (_TABLE.c.scope == bindparam("which"))
# next_at = max(next_at, :not_before) + :interval, returning the new value; portable SQL.
_RESERVE = (
    update(_TABLE)
    .where(_SCOPE)
    .values(
        next_at=case(
            (_TABLE.c.next_at > bindparam("not_before"), _TABLE.c.next_at),
            else_=bindparam("not_before"),
        )
        + bindparam("interval")
    )
    .returning(_TABLE.c.next_at)
)
_SET = update(_TABLE).where(_SCOPE).values(next_at=bindparam("at"))
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

    def reserve(self, team_id: str, channel_id: str) -> float:
        """The wall-clock time this message may be posted (now, or later in a burst)."""
        now = self._now()
        ic, iw = self._pace.seconds_per_channel, self._pace.workspace_interval
        with self._engine.begin() as connection:
            channel = self._reserve(connection, team_id, channel_id, now, ic)
            turn = self._reserve(connection, team_id, WORKSPACE, channel, iw)
            if turn > channel:
                # The workspace made this message wait: the channel's next one follows it.
                connection.execute(_SET, {"team": team_id, "which": channel_id, "at": turn + ic})
        return turn

    def wait_turn(self, team_id: str, channel_id: str) -> float:
        """Reserve a turn and sleep until it comes; the seconds waited."""
        wait = max(0.0, self.reserve(team_id, channel_id) - self._now())
        if wait:
            self._sleep(wait)
        return wait

    def slow_down(self, team_id: str, channel_id: str, seconds: float) -> None:
        """Slack said 429: nobody posts in this channel or workspace for ``seconds``."""
        until = self._now() + seconds
        with self._engine.begin() as connection:
            for scope in (channel_id, WORKSPACE):
                _create(connection, team_id, scope, until)
                connection.execute(_PUSH_BACK, {"team": team_id, "which": scope, "until": until})

    @staticmethod
    def _reserve(
        connection: Connection, team_id: str, scope: str, not_before: float, interval: float
    ) -> float:
        params = {"team": team_id, "which": scope, "not_before": not_before, "interval": interval}
        after = connection.execute(_RESERVE, params).scalar_one_or_none()
        if after is None:
            # The first message ever here: create the row (another worker may be creating
            # it too; the unique key makes one of them wait and do nothing), then reserve.
            _create(connection, team_id, scope, not_before)
            after = connection.execute(_RESERVE, params).scalar_one()
        return float(after) - interval


def _create(connection: Connection, team_id: str, scope: str, next_at: float) -> None:
    insert_or_ignore(
        connection,
        PostPace,
        {"slack_team_id": team_id, "scope": scope, "next_at": next_at},
        ["slack_team_id", "scope"],
    )
