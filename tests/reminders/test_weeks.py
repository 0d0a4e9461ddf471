"""Six weeks of clock ticks against one injected clock, in seconds and without sleeping: what
a member who never checks in receives, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.reminders import FOLLOW_UP, PAUSE_PROMPT, SENT, WEEKLY
from tests.reminders.helpers import World

# The clock runs a pass every few minutes (--tick-minutes); every half hour keeps six weeks of
# passes quick on both databases, and any tick after the third reminder would show a prompt
# sent too early.
TICK = timedelta(minutes=30)
START = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)  # Sunday; grading starts 17 December
WEEKS = 6


def run_every_tick(world: World, until: datetime) -> int:
    world.at(START)
    passes = 0
    reminders = world.make_pass()
    while world.clock.now < until:
        reminders.run()
        passes += 1
        world.advance(minutes=TICK.total_seconds() / 60)
    return passes


def test_the_pause_prompt_replaces_the_fourth_unanswered_reminder(world: World) -> None:
    (objective,) = world.member("U0002", tz="Europe/Berlin")  # Mondays 09:00, 08:00 UTC

    passes = run_every_tick(world, START + timedelta(weeks=WEEKS))

    assert passes == WEEKS * 7 * 48
    sent = sorted(
        ((r.sent_at, r.kind) for r in world.deliveries(status=SENT)), key=lambda row: row[0]
    )
    monday = [datetime(2026, 10, 26, 8, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(6)]
    wednesday = [m + timedelta(days=2) for m in monday]
    assert sent == [
        (monday[0], WEEKLY),
        (monday[1], WEEKLY),
        (wednesday[1], FOLLOW_UP),
        (monday[2], WEEKLY),
        (wednesday[2], FOLLOW_UP),
        (monday[3], PAUSE_PROMPT),  # in place of the fourth, a week after the third
    ]
    assert len(world.dms()) == len(sent)
    assert world.objective_row(objective.id).reminders_ignored == 4
