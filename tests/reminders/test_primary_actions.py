"""What the reminder pass and the check-in button send, seen at the fake Slack: one primary
action per message, and a check-in form whose every input names its key result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers import checkin_blocks as blocks
from handlers import ids
from tests.app_fixtures import Harness
from tests.reminders.helpers import World

DM = {"container": {"type": "message", "channel_id": "DU0001", "message_ts": "1700000100.0003"}}


def primaries(message_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in message_blocks:
        elements = [block["accessory"]] if "accessory" in block else block.get("elements", [])
        found += [e for e in elements if e.get("style") == "primary"]
    return found


def test_a_weekly_reminder_about_five_objectives_has_one_primary_button(world: World) -> None:
    objectives = world.member("U0002", objectives=5)

    world.make_pass().run()

    (dm,) = world.dms()
    assert dm.params["text"] == blocks.REMINDER_TEXT
    (primary,) = primaries(dm.params["blocks"])
    assert (primary["action_id"], primary["value"]) == (
        ids.ACTION_OPEN_CHECKIN,
        str(objectives[0].id),
    )
    check_ins = [b["accessory"] for b in dm.params["blocks"] if "accessory" in b]
    assert [b["value"] for b in check_ins] == [str(o.id) for o in objectives]
    spoken = [b["accessibility_label"] for b in check_ins]
    assert spoken == [f"Check in on {o.title}" for o in objectives]


def test_the_grade_reminder_has_one_primary_button(world: World) -> None:
    objectives = world.member("U0002", objectives=3)
    world.at(datetime(2026, 12, 17, 9, 0, tzinfo=UTC))  # two weeks before the cycle ends

    world.make_pass().run()

    (grade_dm,) = [c for c in world.dms() if c.params["text"].startswith("The cycle 2026-Q4")]
    (primary,) = primaries(grade_dm.params["blocks"])
    assert (primary["action_id"], primary["value"]) == (
        ids.ACTION_GRADE_OBJECTIVE,
        str(objectives[0].id),
    )


def test_the_check_in_form_names_each_key_result_in_its_inputs(harness: Harness) -> None:
    long_text = "Cut the time from sign-up to a team's first shared objective " * 3
    goal = ObjectiveService(harness.deps).create(
        "T0001",
        "U0001",
        ObjectiveInput(
            title="Make onboarding effortless",
            cycle="2026-Q4",
            key_results=(
                KeyResultInput("Weekly active teams from 40 to 90", "teams", 40, 90),
                KeyResultInput("Ship the onboarding revamp"),
                KeyResultInput(long_text),
                KeyResultInput(long_text),
            ),
        ),
    )

    assert harness.click(ids.ACTION_OPEN_CHECKIN, str(goal.id), **DM).status == 200

    # The fake ran the view through slack_sdk's models; a label over Slack's limits fails here.
    (call,) = harness.fake.calls_to("views.open")
    assert call.ok
    found = {
        b["block_id"]: b["label"]["text"] for b in call.params["view"]["blocks"] if "label" in b
    }
    labels = list(found.values())
    assert len(labels) == len(set(labels)) == 2 * len(goal.key_results) + 1
    for number, kr in enumerate(goal.key_results, start=1):
        name = blocks.kr_name(number, kr.text)
        assert found[blocks.value_block_id(kr.id)].startswith(name + " — ")
        assert found[blocks.confidence_block_id(kr.id)].startswith(name + " — confidence")
    assert found[blocks.value_block_id(goal.key_results[1].id)] == (
        "KR2 · Ship the onboarding revamp — progress (0 to 100%)"
    )
