"""Shared set-up for reminder tests: members, objectives, a pass with time that never sleeps."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.checkins import CheckInEntry, CheckInService
from bot.deps import Deps
from bot.models import Member, Objective, ReminderDelivery
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService, ObjectiveView
from bot.pacing import Timing
from bot.reminders import ReminderConfig, ReminderPass
from handlers.checkin_blocks import reminder_renderers
from tests.app_fixtures import FakeClock, make_settings
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TEAM, DEFAULT_TOKEN, FakeSlack
from tests.reminders.tokens import StaticTokens

# Monday 23 November 2026, 09:00 UTC: 10:00 in Berlin, 01:00 in Los Angeles.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CYCLE = "2026-Q4"


class FakeTime:
    """A monotonic clock whose sleep returns at once and moves time on (pacer waits)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    @property
    def timing(self) -> Timing:
        return Timing(self.monotonic, self.sleep)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(seconds, 0.0)


@dataclass
class World:
    db: Database
    fake: FakeSlack
    clock: FakeClock
    deps: Deps
    time: FakeTime

    def make_pass(self, config: ReminderConfig | None = None, **tokens: str) -> ReminderPass:
        return ReminderPass(
            self.deps,
            StaticTokens(tokens or {DEFAULT_TEAM: DEFAULT_TOKEN}),
            config or ReminderConfig(),
            reminder_renderers(),
            timing=self.time.timing,
        )

    def member(
        self,
        user_id: str,
        *,
        tz: str = "Europe/Berlin",
        team_id: str = DEFAULT_TEAM,
        objectives: int = 1,
        in_slack: bool = True,
        cycle: str = CYCLE,
        **fields: Any,
    ) -> list[ObjectiveView]:
        if in_slack and (team_id, user_id) != (DEFAULT_TEAM, "U0001"):
            self.fake.add_user(team_id, user_id, tz=tz)
        service = ObjectiveService(self.deps)
        views = [
            service.create(
                team_id,
                user_id,
                ObjectiveInput(
                    title=f"Grow {user_id} adoption {n}",
                    cycle=cycle,
                    key_results=(
                        KeyResultInput("Weekly active teams from 40 to 90", "teams", 40, 90),
                        KeyResultInput("Churn from 8% to 4%", "churn", 8, 4, "%"),
                    ),
                ),
            )
            for n in range(objectives)
        ]
        with self.deps.session_factory.begin() as s:
            s.execute(
                update(Member)
                .where(Member.slack_team_id == team_id, Member.slack_user_id == user_id)
                .values(tz=tz, **fields)
            )
        return views

    def deliveries(self, **where: Any) -> list[ReminderDelivery]:
        with self.deps.session_factory() as s:
            query = select(ReminderDelivery).order_by(ReminderDelivery.id)
            for key, value in where.items():
                query = query.where(getattr(ReminderDelivery, key) == value)
            return list(s.scalars(query))

    def member_row(self, user_id: str, team_id: str = DEFAULT_TEAM) -> Member:
        with self.deps.session_factory() as s:
            return s.scalars(
                select(Member).where(
                    Member.slack_team_id == team_id, Member.slack_user_id == user_id
                )
            ).one()

    def objective_row(self, objective_id: int) -> Objective:
        with self.deps.session_factory() as s:
            found = s.get(Objective, objective_id)
            assert found is not None
            return found

    def check_in(self, user_id: str, objective: ObjectiveView, confidence: int = 7) -> None:
        CheckInService(self.deps).record(
            objective.team_id,
            user_id,
            objective.id,
            [CheckInEntry(kr.id, None, confidence) for kr in objective.key_results],
            None,
        )

    def dms(self, channel: str | None = None) -> list[Any]:
        calls = [c for c in self.fake.calls_to("chat.postMessage") if c.ok]
        return [c for c in calls if channel is None or c.params["channel"] == channel]

    def at(self, moment: datetime) -> None:
        self.clock.now = moment

    def advance(self, **delta: float) -> None:
        self.clock.now += timedelta(**delta)


def make_world(db: Database, fake: FakeSlack, start: datetime = MONDAY) -> World:
    clock = FakeClock(start)
    deps = Deps(settings=make_settings(db, fake), session_factory=db.session_factory, clock=clock)
    return World(db=db, fake=fake, clock=clock, deps=deps, time=FakeTime())
