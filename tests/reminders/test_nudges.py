"""Pause prompts, follow-ups, grade reminders, the digest and the weekly DM cap."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.reminders import SENT, ReminderConfig, set_digest_channel
from handlers import checkin_blocks as blocks
from handlers import ids
from tests.reminders.helpers import MONDAY, World


def texts(world: World) -> list[str]:
    return [c.params["text"] for c in world.dms()]


def test_three_ignored_reminders_turn_into_one_close_or_pause_prompt(world: World) -> None:
    (objective,) = world.member("U0002")
    world.at(datetime(2026, 10, 26, 9, 0, tzinfo=UTC))  # five Mondays before grading starts
    for _ in range(5):
        world.make_pass().run()
        world.advance(days=7)

    assert texts(world) == [blocks.REMINDER_TEXT] * 3 + [blocks.PAUSE_TEXT]
    prompt = world.dms()[3]
    buttons = prompt.params["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == [
        ids.ACTION_CLOSE_OBJECTIVE,
        ids.ACTION_PAUSE_OBJECTIVE,
        ids.ACTION_KEEP_OBJECTIVE,
    ]
    assert {b["value"] for b in buttons} == {str(objective.id)}
    assert world.objective_row(objective.id).reminders_ignored == 4
    kinds = [(r.kind, r.status) for r in world.deliveries()]
    assert ("pause_prompt", SENT) in kinds
    assert ("weekly", "skipped") in kinds  # weeks 4 and 5: nothing left to remind about


def test_a_check_in_resets_the_ignored_count(world: World) -> None:
    (objective,) = world.member("U0002")
    for _ in range(2):
        world.make_pass().run()
        world.advance(days=7)
    world.advance(days=-4)
    world.check_in("U0002", objective)
    world.advance(days=4)
    for _ in range(2):
        world.make_pass().run()
        world.advance(days=7)
    assert world.objective_row(objective.id).reminders_ignored == 2
    assert blocks.PAUSE_TEXT not in texts(world)


def test_a_follow_up_after_two_skipped_check_ins(world: World) -> None:
    world.member("U0002")
    (checked,) = world.member("U0003")
    world.make_pass().run()
    world.advance(days=7)
    world.make_pass().run()
    world.advance(days=1)
    world.check_in("U0003", checked)  # U0003 answered the second reminder
    world.advance(days=1)  # Wednesday 09:00 UTC, 10:00 in Berlin

    world.make_pass().run()
    world.advance(hours=2)
    world.make_pass().run()

    follow_ups = [c for c in world.dms() if c.params["text"] == blocks.FOLLOW_UP_TEXT]
    assert [c.params["channel"] for c in follow_ups] == ["DU0002"]


def test_the_grade_reminder_comes_once_two_weeks_before_the_cycle_ends(world: World) -> None:
    (objective,) = world.member("U0002")
    world.at(datetime(2026, 12, 16, 12, 0, tzinfo=UTC))  # 15 days before 31 December
    world.make_pass().run()
    assert texts(world) == []

    world.at(datetime(2026, 12, 17, 9, 0, tzinfo=UTC))  # Thursday, 10:00 in Berlin
    world.make_pass().run()
    world.advance(hours=1)
    world.make_pass().run()

    grades = [t for t in texts(world) if t.startswith("The cycle 2026-Q4 ends")]
    assert len(grades) == 1
    assert "<!date^" in grades[0]
    (grade_dm,) = [c for c in world.dms() if c.params["text"] == grades[0]]
    button = grade_dm.params["blocks"][1]["accessory"]
    assert (button["action_id"], button["value"]) == (ids.ACTION_GRADE_OBJECTIVE, str(objective.id))


def test_the_weekly_cap_holds_back_extra_dms(world: World) -> None:
    world.member("U0002")
    world.at(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))  # Monday, inside the grading window
    config = ReminderConfig(max_dms_per_week=1)

    world.make_pass(config).run()
    world.advance(hours=2)
    world.make_pass(config).run()

    assert texts(world) == [blocks.REMINDER_TEXT]


def test_the_weekly_digest_goes_to_the_configured_channel_once(world: World) -> None:
    (falling,) = world.member("U0002")
    (steady,) = world.member("U0003")
    world.check_in("U0002", falling, confidence=8)
    world.advance(days=3)
    world.check_in("U0002", falling, confidence=3)
    world.check_in("U0003", steady, confidence=9)
    set_digest_channel(world.deps, "T0001", "C0DIGEST")
    world.at(datetime(2026, 11, 27, 15, 30, tzinfo=UTC))  # Friday afternoon

    world.make_pass().run()
    world.advance(hours=1)
    world.make_pass().run()

    (digest,) = world.dms("C0DIGEST")
    assert digest.params["text"] == blocks.DIGEST_TEXT.format(count=2, falling=1)
    shown = json.dumps(digest.params["blocks"], ensure_ascii=False)
    assert "<@U0002>" in shown and "<@U0003>" in shown
    assert blocks.DIGEST_FALLING in shown and "confidence 8 → 3" in shown
    assert blocks.DIGEST_AT_RISK in shown
    (row,) = world.deliveries(kind="digest")
    assert (row.slack_user_id, row.period, row.status) == ("C0DIGEST", "2026-W48", SENT)


def test_no_digest_without_a_channel_or_before_friday_afternoon(world: World) -> None:
    world.member("U0002")
    world.at(MONDAY.replace(day=27, hour=16))
    world.make_pass().run()
    set_digest_channel(world.deps, "T0001", "C0DIGEST")
    world.at(MONDAY.replace(day=27, hour=14, minute=59))
    world.make_pass().run()
    assert world.deliveries(kind="digest") == []
    world.at(MONDAY.replace(day=27, hour=15))
    world.make_pass().run()
    assert [r.status for r in world.deliveries(kind="digest")] == [SENT]
