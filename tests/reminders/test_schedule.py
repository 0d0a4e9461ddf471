"""Local reminder times, DST edges and /okr remind parsing, with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminders import ReminderConfig, get_prefs, set_prefs
from bot.reminders.schedule import due_slot, in_quiet_hours, previous_week
from handlers.checkin_blocks import REMINDER_TEXT
from handlers.remind import REMIND_QUIET, REMIND_USAGE, RemindChange, parse_remind_args
from tests.reminders.helpers import World

WINDOW = timedelta(hours=36)


@pytest.mark.parametrize(
    ("zone", "monday", "expected_utc"),
    [
        # The Monday after each zone's DST change, and the Monday before it.
        ("Pacific/Auckland", "2026-09-28", datetime(2026, 9, 27, 20, 0, tzinfo=UTC)),  # NZDT
        ("Pacific/Auckland", "2026-09-21", datetime(2026, 9, 20, 21, 0, tzinfo=UTC)),  # NZST
        ("Pacific/Auckland", "2026-04-06", datetime(2026, 4, 5, 21, 0, tzinfo=UTC)),  # NZST
        ("Europe/Berlin", "2026-10-26", datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),  # CET
        ("Europe/Berlin", "2026-10-19", datetime(2026, 10, 19, 7, 0, tzinfo=UTC)),  # CEST
        ("Europe/Berlin", "2026-03-30", datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),  # CEST
        ("America/Los_Angeles", "2026-03-09", datetime(2026, 3, 9, 16, 0, tzinfo=UTC)),  # PDT
        ("America/Los_Angeles", "2026-03-02", datetime(2026, 3, 2, 17, 0, tzinfo=UTC)),  # PST
        ("America/Los_Angeles", "2026-11-02", datetime(2026, 11, 2, 17, 0, tzinfo=UTC)),  # PST
    ],
)
def test_monday_nine_is_local_across_dst_changes(
    zone: str, monday: str, expected_utc: datetime
) -> None:
    tz = ZoneInfo(zone)
    assert due_slot(expected_utc - timedelta(minutes=1), tz, 0, 540, WINDOW) is None or (
        # Just before this Monday's slot, only last week's slot could still be in its window.
        due_slot(expected_utc - timedelta(minutes=1), tz, 0, 540, WINDOW)[1]  # type: ignore[index]
        < expected_utc - timedelta(days=6)
    )
    found = due_slot(expected_utc, tz, 0, 540, WINDOW)
    assert found is not None
    period, slot = found
    assert slot == expected_utc
    assert slot.astimezone(tz).strftime("%a %H:%M") == "Mon 09:00"
    year, week, _ = datetime.fromisoformat(monday).isocalendar()
    assert period == f"{year}-W{week:02d}"
    assert due_slot(expected_utc + WINDOW, tz, 0, 540, WINDOW) is None


def test_a_slot_inside_the_spring_forward_gap_fires_once() -> None:
    tz = ZoneInfo("America/Los_Angeles")  # 02:30 on Sunday 8 March 2026 does not exist
    first = due_slot(datetime(2026, 3, 8, 11, 0, tzinfo=UTC), tz, 6, 150, WINDOW)
    assert first is not None
    later = due_slot(first[1] + timedelta(hours=2), tz, 6, 150, WINDOW)
    assert later == first


def test_last_weeks_slot_is_still_caught_up_after_the_week_turns() -> None:
    tz = ZoneInfo("Europe/Berlin")
    # Sunday 19:00 slot; the clock was down until Monday 08:00.
    found = due_slot(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), tz, 6, 19 * 60, WINDOW)
    assert found is not None and found[0] == "2026-W48"
    assert previous_week("2026-W01") == "2025-W52"
    assert previous_week("2026-W48") == "2026-W47"


def test_quiet_hours_wrap_past_midnight() -> None:
    config = ReminderConfig()
    assert in_quiet_hours(21 * 60, config) and in_quiet_hours(3 * 60, config)
    assert not in_quiet_hours(7 * 60, config) and not in_quiet_hours(20 * 60 + 59, config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("off", RemindChange(enabled=False)),
        ("ON", RemindChange(enabled=True)),
        ("monday 09:30", RemindChange(enabled=True, weekday=0, minute=570)),
        ("fri 16:00", RemindChange(enabled=True, weekday=4, minute=960)),
        ("tuesday", RemindChange(enabled=True, weekday=1)),
        ("wednesdays at 8am", RemindChange(enabled=True, weekday=2, minute=480)),
        ("14:15", RemindChange(enabled=True, minute=855)),
        ("thu 2pm", RemindChange(enabled=True, weekday=3, minute=840)),
    ],
)
def test_remind_arguments(text: str, expected: RemindChange) -> None:
    assert parse_remind_args(text) == expected


@pytest.mark.parametrize("text", ["", "sometimes", "monday tuesday", "x 09:00"])
def test_unreadable_remind_arguments_get_the_usage(text: str) -> None:
    assert parse_remind_args(text) == REMIND_USAGE


def test_remind_times_are_checked() -> None:
    assert parse_remind_args("monday 25:00") == (
        "I could not read the time '25:00': use 24-hour time like 09:30 or 16:00."
    )
    assert parse_remind_args("monday 23:00") == REMIND_QUIET.format(value="23:00")


def test_prefs_round_trip_and_drive_the_pass(world: World) -> None:
    world.member("U0002", tz="Europe/Berlin")
    assert get_prefs(world.deps, "T0001", "U0002").minute == 540
    assert get_prefs(world.deps, "T0001", "U0099").enabled is True  # a stranger: defaults

    prefs = set_prefs(world.deps, "T0001", "U0002", weekday=1, minute=570)
    assert (prefs.enabled, prefs.weekday, prefs.minute, prefs.tz) == (
        True,
        1,
        570,
        "Europe/Berlin",
    )
    world.make_pass().run()  # Monday: not their day any more
    assert world.dms() == []
    world.at(datetime(2026, 11, 24, 8, 29, tzinfo=UTC))  # Tuesday 09:29 Berlin
    world.make_pass().run()
    assert world.dms() == []
    world.at(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    world.make_pass().run()
    assert [c.params["text"] for c in world.dms()] == [REMINDER_TEXT]

    set_prefs(world.deps, "T0001", "U0002", enabled=False)
    world.advance(days=7)
    world.make_pass().run()
    assert len(world.dms()) == 1


def test_monday_nine_in_auckland_berlin_and_los_angeles(world: World) -> None:
    world.member("U0002", tz="Pacific/Auckland")
    world.member("U0003", tz="Europe/Berlin")
    world.member("U0004", tz="America/Los_Angeles")
    slots = [
        (datetime(2026, 11, 29, 20, 0, tzinfo=UTC), "DU0002"),  # Mon 30 Nov 09:00 NZDT
        (datetime(2026, 11, 30, 8, 0, tzinfo=UTC), "DU0003"),  # 09:00 CET
        (datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "DU0004"),  # 09:00 PST
    ]
    # The first tick of the day (profiles are synced then) is before any of the slots.
    world.at(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    world.make_pass().run()
    sent: list[str] = []
    for slot, channel in slots:
        world.at(slot - timedelta(minutes=1))
        world.make_pass().run()
        assert [c.params["channel"] for c in world.dms()] == sent
        world.at(slot)
        world.make_pass().run()
        sent.append(channel)
        assert [c.params["channel"] for c in world.dms()] == sent
    assert {r.period for r in world.deliveries()} == {"2026-W49"}
