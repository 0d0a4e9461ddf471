"""The renderers the composition root hands the reminder service: every kind of reminder, as
Block Kit that slack_sdk's own models accept, built from data alone."""

from __future__ import annotations

from datetime import date

from bot.reminders import DigestData, Renderers
from handlers import checkin_blocks as blocks
from tests.fakeslack.blockkit import check_message
from tests.unit.test_reminder_and_checkin_builders import kr, objective


def test_every_renderer_builds_a_valid_message_from_data() -> None:
    render = blocks.reminder_renderers()
    at_risk = objective(2, kr(20, "Churn from 8% to 4%", confidence=3))
    objectives = [objective(1), at_risk]

    messages = {
        "weekly": render.weekly(objectives, 4, 16 * 60),
        "follow_up": render.follow_up(objectives),
        "grade": render.grade(objectives, "2026-Q4", date(2026, 12, 31)),
        "pause_prompt": render.pause_prompt(at_risk),
        "digest": render.digest(
            DigestData(("U1",), (objective(1),), ((at_risk, at_risk.key_results[0]),))
        ),
    }

    assert set(messages) == {name for name in Renderers.__dataclass_fields__}
    for name, message in messages.items():
        assert message["text"], name
        assert check_message(message, require_content=True) == [], name
    assert "every Friday at 16:00" in str(messages["weekly"]["blocks"])
    assert messages["grade"]["text"].startswith("The cycle 2026-Q4 ends")
