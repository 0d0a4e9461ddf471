"""The check-in round trip through a real Bolt app: DM button, modal, submission, summary."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.checkins import ERROR_CONFIDENCE, ERROR_GRADE, ERROR_NOT_A_NUMBER, ERROR_PERCENT_RANGE
from bot.models import CheckIn, KeyResult, Member, Objective
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService, ObjectiveView
from handlers import checkin_blocks as blocks
from handlers import ids
from handlers.checkin import NOT_YOURS
from tests.app_fixtures import Harness

DM = {"container": {"type": "message", "channel_id": "DU0001", "message_ts": "1700000100.0003"}}


def objective(h: Harness, owner: str = "U0001", title: str = "Grow paying teams") -> ObjectiveView:
    return ObjectiveService(h.deps).create(
        "T0001",
        owner,
        ObjectiveInput(
            title=title,
            cycle="2026-Q4",
            key_results=(
                KeyResultInput("Paying teams from 40 to 90", "teams", 40, 90),
                KeyResultInput("Ship the onboarding revamp"),
            ),
        ),
    )


def values(view: ObjectiveView, entries: list[tuple[str, str | None]], note: str = "") -> dict:
    state: dict[str, dict[str, Any]] = {}
    for kr, (value, confidence) in zip(view.key_results, entries, strict=True):
        state[blocks.value_block_id(kr.id)] = {blocks.VALUE_ACTION: value}
        option = {"value": confidence} if confidence else None
        state[blocks.confidence_block_id(kr.id)] = {
            blocks.CONFIDENCE_ACTION: {"type": "static_select", "selected_option": option}
        }
    state[blocks.NOTE_BLOCK] = {blocks.NOTE_ACTION: note}
    return state


def submit(h: Harness, view: ObjectiveView, state: dict, user: str = "U0001") -> Any:
    return h.submit(
        ids.VIEW_CHECKIN,
        state,
        private_metadata=json.dumps({"objective_id": view.id}),
        user={"id": user},
    )


def test_the_dm_button_opens_the_check_in_modal_for_that_objective(harness: Harness) -> None:
    view = objective(harness)

    assert harness.click(ids.ACTION_OPEN_CHECKIN, str(view.id), **DM).status == 200

    (call,) = harness.fake.calls_to("views.open")
    modal = call.params["view"]
    assert modal["callback_id"] == ids.VIEW_CHECKIN
    assert json.loads(modal["private_metadata"]) == {"objective_id": view.id}
    block_ids = [b.get("block_id") for b in modal["blocks"]]
    for kr in view.key_results:
        assert blocks.value_block_id(kr.id) in block_ids
        assert blocks.confidence_block_id(kr.id) in block_ids
    assert blocks.NOTE_BLOCK in block_ids
    percent = next(
        b
        for b in modal["blocks"]
        if b.get("block_id") == blocks.value_block_id(view.key_results[1].id)
    )
    assert percent["label"]["text"] == blocks.VALUE_LABEL_PERCENT.format(
        kr=blocks.kr_name(2, "Ship the onboarding revamp")
    )


def test_a_valid_check_in_is_stored_summarised_in_the_dm_and_refreshes_home(
    harness: Harness,
) -> None:
    view = objective(harness)
    state = values(view, [("65", "7"), ("50%", "4")], note="Blocked on <!channel> legal review")

    response = submit(harness, view, state)

    assert response.status == 200
    assert response.body == ""  # closes the modal
    with harness.deps.session_factory() as s:
        rows = list(s.scalars(select(CheckIn).order_by(CheckIn.key_result_id)))
        krs = list(s.scalars(select(KeyResult).order_by(KeyResult.position)))
        obj = s.get(Objective, view.id)
        member = s.scalars(select(Member).where(Member.slack_user_id == "U0001")).one()
    assert [(r.value, r.progress, r.confidence) for r in rows] == [(65, 0.5, 7), (50, 0.5, 4)]
    assert {r.note for r in rows} == {"Blocked on <!channel> legal review"}
    assert [(k.current, k.confidence) for k in krs] == [(65, 7), (50, 4)]
    assert (krs[1].baseline, krs[1].target, krs[1].unit) == (0, 100, "%")
    assert obj is not None and obj.last_checkin_at == harness.clock.now
    assert obj.reminders_ignored == 0
    assert member.last_checkin_at == harness.clock.now
    assert member.slack_dm_channel_id == "DU0001"
    (dm,) = harness.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "DU0001"
    assert dm.params["text"] == "Check-in saved for Grow paying teams: 50%"
    summary = json.dumps(dm.params["blocks"], ensure_ascii=False)
    assert "&lt;!channel&gt;" in summary and "<!channel>" not in summary
    assert "▓▓▓▓▓░░░░░ 50%" in summary
    (home,) = harness.fake.calls_to("views.publish")
    assert home.params["user_id"] == "U0001"


@pytest.mark.parametrize(
    ("entries", "block", "message"),
    [
        ([("sixty", "7"), ("", "5")], "value0", ERROR_NOT_A_NUMBER),
        ([("nan", "7"), ("", "5")], "value0", ERROR_NOT_A_NUMBER),
        ([("70", "7"), ("140%", "5")], "value1", ERROR_PERCENT_RANGE),
        ([("70", "7"), ("20", None)], "confidence1", ERROR_CONFIDENCE),
        ([("70", "11"), ("20", "5")], "confidence0", ERROR_CONFIDENCE),
    ],
)
def test_invalid_values_are_shown_inline_and_nothing_is_stored(
    harness: Harness, entries: list, block: str, message: str
) -> None:
    view = objective(harness)

    response = submit(harness, view, values(view, entries))

    kr = view.key_results[int(block[-1])]
    block_id = (
        blocks.value_block_id(kr.id)
        if block.startswith("value")
        else blocks.confidence_block_id(kr.id)
    )
    assert response.status == 200
    assert json.loads(response.body) == {"response_action": "errors", "errors": {block_id: message}}
    with harness.deps.session_factory() as s:
        assert list(s.scalars(select(CheckIn))) == []
    assert harness.fake.calls_to("chat.postMessage") == []


def test_an_empty_value_keeps_the_current_one(harness: Harness) -> None:
    view = objective(harness)
    assert submit(harness, view, values(view, [("", "8"), ("", "6")])).status == 200
    with harness.deps.session_factory() as s:
        rows = list(s.scalars(select(CheckIn).order_by(CheckIn.key_result_id)))
    assert [(r.value, r.confidence) for r in rows] == [(40, 8), (None, 6)]


def test_only_the_owner_can_check_in(harness: Harness) -> None:
    view = objective(harness, owner="U0002")

    harness.click(ids.ACTION_OPEN_CHECKIN, str(view.id), **DM)
    response = submit(harness, view, values(view, [("50", "5"), ("", "5")]))

    assert harness.fake.calls_to("views.open") == []
    assert NOT_YOURS in harness.ephemeral_texts()
    assert json.loads(response.body)["response_action"] == "errors"
    assert NOT_YOURS in json.loads(response.body)["errors"].values()
    with harness.deps.session_factory() as s:
        assert list(s.scalars(select(CheckIn))) == []


def test_several_objectives_open_a_picker_then_the_chosen_modal(harness: Harness) -> None:
    from handlers.checkin import open_checkin_modal

    first = objective(harness, title="First")
    objective(harness, title="Second")
    open_checkin_modal(
        harness.app.client, harness.deps, team_id="T0001", user_id="U0001", trigger_id="t.1"
    )
    (picker,) = harness.fake.calls_to("views.open")
    select_menu = picker.params["view"]["blocks"][1]["elements"][0]
    assert select_menu["action_id"] == ids.ACTION_CHECKIN_OBJECTIVE
    assert [o["text"]["text"] for o in select_menu["options"]] == ["First", "Second"]

    harness.click(
        ids.ACTION_CHECKIN_OBJECTIVE,
        container={"type": "view", "view_id": "V1"},
        view={"id": "V1", "hash": "h1", "type": "modal"},
        actions=[
            {
                "action_id": ids.ACTION_CHECKIN_OBJECTIVE,
                "block_id": "pick_objective",
                "type": "static_select",
                "action_ts": "1.2",
                "selected_option": {"value": str(first.id)},
            }
        ],
    )
    (update,) = harness.fake.calls_to("views.update")
    assert update.params["view_id"] == "V1"
    assert json.loads(update.params["view"]["private_metadata"]) == {"objective_id": first.id}


def test_no_objectives_raises_for_the_caller(harness: Harness) -> None:
    from bot.checkins import NoObjectives
    from handlers.checkin import open_checkin_modal

    with pytest.raises(NoObjectives):
        open_checkin_modal(
            harness.app.client, harness.deps, team_id="T0001", user_id="U0001", trigger_id="t"
        )


@pytest.mark.parametrize(
    ("action", "status", "text"),
    [
        (ids.ACTION_PAUSE_OBJECTIVE, "paused", blocks.PAUSED_TEXT),
        (ids.ACTION_CLOSE_OBJECTIVE, "closed", blocks.CLOSED_TEXT),
        (ids.ACTION_KEEP_OBJECTIVE, "active", blocks.KEPT_TEXT),
    ],
)
def test_pause_close_or_keep_from_the_prompt(
    harness: Harness, action: str, status: str, text: str
) -> None:
    view = objective(harness)
    with harness.deps.session_factory.begin() as s:
        row = s.get(Objective, view.id)
        assert row is not None
        row.reminders_ignored = 4

    harness.click(action, str(view.id), **DM)

    with harness.deps.session_factory() as s:
        row = s.get(Objective, view.id)
        assert row is not None and (row.status, row.reminders_ignored) == (status, 0)
    (update,) = harness.fake.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("DU0001", "1700000100.0003")
    assert update.params["text"] == text.format(title=view.title)


def grade_submit(h: Harness, view: ObjectiveView, raw: str, user: str = "U0001") -> Any:
    return h.submit(
        ids.VIEW_GRADE,
        {blocks.GRADE_BLOCK: {blocks.GRADE_ACTION: raw}},
        private_metadata=json.dumps({"objective_id": view.id}),
        user={"id": user},
    )


def test_grading_from_the_grade_reminder(harness: Harness) -> None:
    view = objective(harness)

    harness.click(ids.ACTION_GRADE_OBJECTIVE, str(view.id), **DM)
    (opened,) = harness.fake.calls_to("views.open")
    assert opened.params["view"]["callback_id"] == ids.VIEW_GRADE

    for raw in ("1.5", "seventy", "-0.1"):
        response = grade_submit(harness, view, raw)
        assert json.loads(response.body) == {
            "response_action": "errors",
            "errors": {blocks.GRADE_BLOCK: ERROR_GRADE},
        }
    assert grade_submit(harness, view, "70%").body == ""

    with harness.deps.session_factory() as s:
        row = s.get(Objective, view.id)
        assert row is not None and row.grade == 0.7
    assert len(harness.fake.calls_to("views.publish")) == 1


def test_only_the_owner_can_grade(harness: Harness) -> None:
    view = objective(harness, owner="U0002")
    response = grade_submit(harness, view, "0.5")
    assert json.loads(response.body)["errors"] == {blocks.GRADE_BLOCK: NOT_YOURS}
    with harness.deps.session_factory() as s:
        row = s.get(Objective, view.id)
        assert row is not None and row.grade is None
