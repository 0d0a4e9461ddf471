"""Reminder, check-in and digest builders: one primary action per message, labels that say
what each input is for, all of it accepted by slack_sdk's own Block Kit models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.checkins import CheckInResult
from bot.objectives import KeyResultView, ObjectiveView
from handlers import checkin_blocks as blocks
from handlers import ids
from handlers.home_blocks import home_view
from handlers.text import ELLIPSIS
from tests.fakeslack.blockkit import check_message, check_view

LONG_KR = (
    "Cut the time a new team needs from sign-up to its first shared objective, measured "
    "on every workspace created this quarter, from 9 days to 2 days"
)


def kr(kr_id: int, text: str, *, target: float | None = 90.0, **changes: Any) -> KeyResultView:
    base: dict[str, Any] = dict(
        id=kr_id,
        position=kr_id - 1,
        text=text,
        metric=None,
        unit="teams" if target is not None else None,
        baseline=40.0 if target is not None else None,
        target=target,
        current=55.0 if target is not None else None,
        confidence=6,
        progress=0.3,
    )
    base.update(changes)
    return KeyResultView(**base)


def objective(index: int, *key_results: KeyResultView, **changes: Any) -> ObjectiveView:
    base: dict[str, Any] = dict(
        id=index,
        team_id="T1",
        owner_id="U1",
        title=f"Grow adoption in region {index}",
        cycle="2026-Q4",
        commitment="committed",
        status="active",
        parent_id=None,
        grade=None,
        last_checkin_at=datetime(2026, 11, 20, tzinfo=UTC),
        reminders_ignored=0,
        key_results=key_results or (kr(index * 10, "Weekly active teams from 40 to 90"),),
        confidence_trend=(7, 5),
    )
    base.update(changes)
    return ObjectiveView(**base)


def styled(node: Any, style: str) -> list[dict[str, Any]]:
    """Every element anywhere in ``node`` whose style is ``style``."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("style") == style:
            found.append(node)
        for value in node.values():
            found.extend(styled(value, style))
    elif isinstance(node, list):
        for item in node:
            found.extend(styled(item, style))
    return found


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        b["accessory"] for b in message["blocks"] if b.get("accessory", {}).get("type") == "button"
    ]


def assert_valid_message(message: dict[str, Any]) -> None:
    assert message["text"], "a top-level text for notifications and screen readers"
    assert check_message(message, require_content=True) == []


# ---- one primary action per message -------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 5, 8, 11])
def test_a_reminder_has_one_primary_check_in_the_first_objectives(count: int) -> None:
    objectives = [objective(i) for i in range(1, count + 1)]

    message = blocks.reminder_dm(objectives, schedule="every Monday at 09:00")

    assert_valid_message(message)
    (primary,) = styled(message["blocks"], "primary")
    assert (primary["action_id"], primary["value"]) == (ids.ACTION_OPEN_CHECKIN, "1")
    shown = buttons(message)
    assert len(shown) == min(count, blocks.MAX_OBJECTIVES_IN_DM)
    assert all(b["text"]["text"] == blocks.CHECKIN_BUTTON for b in shown)
    assert [b.get("style") for b in shown[1:]] == [None] * (len(shown) - 1)
    assert [b["value"] for b in shown] == [str(o.id) for o in objectives[: len(shown)]]


def test_each_check_in_button_tells_a_screen_reader_which_objective_it_opens() -> None:
    long_title = "Make onboarding so clear that " + "new teams never need a call " * 8
    objectives = [objective(1), objective(2), objective(3, title=long_title)]

    shown = buttons(blocks.reminder_dm(objectives, schedule="every Monday at 09:00"))

    labels = [b["accessibility_label"] for b in shown]
    assert labels[:2] == [
        blocks.CHECKIN_BUTTON_ACCESSIBLE.format(title="Grow adoption in region 1"),
        blocks.CHECKIN_BUTTON_ACCESSIBLE.format(title="Grow adoption in region 2"),
    ]
    assert len(set(labels)) == 3
    assert len(labels[2]) <= blocks.ACCESSIBILITY_LABEL_LIMIT
    assert labels[2].startswith("Check in on Make onboarding") and labels[2].endswith(ELLIPSIS)


def test_follow_up_and_grade_reminders_have_one_primary_action_too() -> None:
    objectives = [objective(i) for i in range(1, 6)]

    follow_up = blocks.follow_up(objectives)
    grade = blocks.grade_reminder(objectives, cycle="2026-Q4", cycle_end=date(2026, 12, 31))

    for message, action in (
        (follow_up, ids.ACTION_OPEN_CHECKIN),
        (grade, ids.ACTION_GRADE_OBJECTIVE),
    ):
        assert_valid_message(message)
        (primary,) = styled(message["blocks"], "primary")
        assert (primary["action_id"], primary["value"]) == (action, "1")
        assert len({b["accessibility_label"] for b in buttons(message)}) == 5
    assert buttons(grade)[1]["accessibility_label"] == "Grade Grow adoption in region 2"


def test_the_pause_prompt_makes_keeping_the_objective_the_one_primary_action() -> None:
    message = blocks.pause_prompt(objective(4))

    assert_valid_message(message)
    (primary,) = styled(message["blocks"], "primary")
    assert primary["action_id"] == ids.ACTION_KEEP_OBJECTIVE


def test_digest_summary_and_outcomes_have_no_competing_primary_buttons() -> None:
    falling = objective(1)
    at_risk = objective(2, kr(20, "Churn from 8% to 4%", confidence=3))
    messages = [
        blocks.digest(
            blocks.DigestData(("U1", "U2"), (falling,), ((at_risk, at_risk.key_results[0]),))
        ),
        blocks.checkin_summary(
            CheckInResult(
                before=falling, after=falling, note="Waiting on legal", at=datetime.now(UTC)
            )
        ),
        blocks.pause_outcome("Grow adoption", "paused"),
    ]
    for message in messages:
        assert_valid_message(message)
        assert len(styled(message["blocks"], "primary")) <= 1


@pytest.mark.parametrize("count", [0, 1, 6, 20])
def test_app_home_has_at_most_one_primary_button(count: int) -> None:
    view = home_view(
        [objective(i) for i in range(1, count + 1)],
        cycle="2026-Q4",
        today=date(2026, 11, 23),
        cycle_end=date(2026, 12, 31),
        checkin_due=True,
    )

    assert check_view(view) == []
    assert len(styled(view["blocks"], "primary")) <= 1


# ---- every input says what it is for ------------------------------------------------------


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def test_each_key_results_inputs_name_that_key_result() -> None:
    goal = objective(
        1,
        kr(1, "Weekly active teams from 40 to 90"),
        kr(2, "Ship the onboarding revamp", target=None),
        kr(3, "Churn from 8% to 4%", unit="%", baseline=8, target=4, current=6),
    )

    view = blocks.checkin_modal(goal)

    assert check_view(view) == []
    found = inputs(view)
    value = {k.id: found[blocks.value_block_id(k.id)]["label"]["text"] for k in goal.key_results}
    confidence = {
        k.id: found[blocks.confidence_block_id(k.id)]["label"]["text"] for k in goal.key_results
    }
    assert value == {
        1: "KR1 · Weekly active teams from 40 to 90 — current value",
        2: "KR2 · Ship the onboarding revamp — progress (0 to 100%)",
        3: "KR3 · Churn from 8% to 4% — current value",
    }
    assert (
        confidence[2] == "KR2 · Ship the onboarding revamp — confidence you will hit it (1 to 10)"
    )
    labels = [block["label"]["text"] for block in found.values()]
    assert len(labels) == len(set(labels)) == 7
    assert found[blocks.NOTE_BLOCK]["label"]["text"] == blocks.NOTE_LABEL
    # The key result is named in its label, so no separate line repeats it.
    assert [b["type"] for b in view["blocks"]] == ["section"] + ["input"] * 7


def test_identical_key_results_still_get_distinct_labels() -> None:
    goal = objective(1, kr(1, "Ship it", target=None), kr(2, "Ship it", target=None))

    labels = [b["label"]["text"] for b in inputs(blocks.checkin_modal(goal)).values()]

    assert len(labels) == len(set(labels))
    assert labels[0].startswith("KR1 · Ship it") and labels[2].startswith("KR2 · Ship it")


def test_a_long_key_result_is_cut_in_its_label_and_given_whole_in_the_hint() -> None:
    goal = objective(1, kr(1, LONG_KR), kr(2, LONG_KR.replace("9 days", "8 days")))

    view = blocks.checkin_modal(goal)

    assert check_view(view) == []
    first = inputs(view)[blocks.value_block_id(1)]
    label = first["label"]["text"]
    name = label.removesuffix(" — current value")
    assert name.startswith("KR1 · Cut the time") and name.endswith(ELLIPSIS)
    assert len(name) <= len("KR1 · ") + blocks.KR_NAME_TEXT_LIMIT
    assert first["hint"]["text"].startswith(LONG_KR + "\n")
    assert "From 40 to 90 teams" in first["hint"]["text"]
    labels = [b["label"]["text"] for b in inputs(view).values()]
    assert len(labels) == len(set(labels))


def test_a_key_result_written_over_several_lines_gets_a_one_line_label() -> None:
    assert blocks.kr_name(4, "Grow paying\n  teams\tfrom 40 to 90") == (
        "KR4 · Grow paying teams from 40 to 90"
    )


def test_the_modal_with_the_most_key_results_stays_valid() -> None:
    many = tuple(kr(n, f"{LONG_KR} #{n}") for n in range(1, 31))

    view = blocks.checkin_modal(objective(1, *many))

    assert check_view(view) == []
    labels = [b["label"]["text"] for b in inputs(view).values()]
    assert len(labels) == 2 * blocks.MAX_KEY_RESULTS_IN_MODAL + 1 == len(set(labels))
