"""Modal submissions (valid and invalid) and the App Home tab."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.models import CoachingReview, KeyResult, Objective
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers import forms, ids
from handlers.actions import NOT_YOUR_OBJECTIVE, STALE
from handlers.home_blocks import EMPTY_HOME, HOME_TITLE
from handlers.modal_blocks import DRAFT_BLOCK, REVIEW_RESULT_TITLE
from handlers.views import ERROR_EMPTY_DRAFT, ERROR_PARENT_GONE
from tests.app_fixtures import Harness
from tests.slack_requests import event_body, message_event_body

CYCLE = "2026-Q4"


def select_state(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def form(**values: str | None) -> dict[str, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = {
        forms.COMMITMENT_BLOCK: {
            forms.INPUT_ACTION: {"type": "radio_buttons", "selected_option": {"value": "committed"}}
        },
        forms.CYCLE_BLOCK: {forms.INPUT_ACTION: select_state(CYCLE)},
    }
    for block, value in values.items():
        state[block] = {forms.INPUT_ACTION: {"type": "plain_text_input", "value": value}}
    return state


def response_json(response: Any) -> dict[str, Any]:
    return json.loads(response.body) if response.body else {}


def test_a_valid_objective_is_saved_confirmed_and_shown_at_home(harness: Harness) -> None:
    response = harness.submit(
        ids.VIEW_ADD_OBJECTIVE,
        form(
            title="Make onboarding effortless",
            kr1="Week-1 activation",
            kr1_range="35% → 60%",
            kr2="Time to first value in days",
            kr2_range="3 to 1 days",
            kr3=None,
        ),
        private_metadata=json.dumps({"channel_id": "C0001"}),
    )
    assert response.status == 200
    assert response_json(response) == {}
    with harness.deps.session_factory() as session:
        objective = session.scalars(select(Objective)).one()
        krs = session.scalars(select(KeyResult).order_by(KeyResult.position)).all()
    assert (objective.title, objective.cycle, objective.owner_slack_user_id) == (
        "Make onboarding effortless",
        CYCLE,
        "U0001",
    )
    assert [(k.text, k.baseline, k.target, k.unit) for k in krs] == [
        ("Week-1 activation", 35.0, 60.0, "%"),
        ("Time to first value in days", 3.0, 1.0, "days"),
    ]
    confirm = harness.fake.last("chat.postEphemeral")
    assert (confirm.params["channel"], confirm.params["user"]) == ("C0001", "U0001")
    assert confirm.params["text"].startswith("Saved *Make onboarding effortless* with 2 key")
    home = harness.fake.last("views.publish").params
    assert home["user_id"] == "U0001"
    assert "Make onboarding effortless" in json.dumps(home["view"])


def test_invalid_input_is_shown_inline_and_nothing_is_saved(harness: Harness) -> None:
    response = harness.submit(
        ids.VIEW_ADD_OBJECTIVE,
        form(title="   ", kr1="Activation", kr1_range="lots", kr2=None, kr2_range="3 to 5"),
    )
    body = response_json(response)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {forms.TITLE_BLOCK, "kr1_range", "kr2_range"}
    assert body["errors"]["kr1_range"] == forms.ERROR_RANGE_FORMAT
    with harness.deps.session_factory() as session:
        assert session.scalars(select(Objective)).all() == []
    assert harness.fake.calls_to("views.publish") == []


def test_a_vanished_parent_is_an_inline_error(harness: Harness) -> None:
    state = form(title="Grow", kr1="Revenue", kr1_range="1 to 2")
    state[forms.PARENT_BLOCK] = {forms.INPUT_ACTION: select_state("424242")}
    body = response_json(harness.submit(ids.VIEW_ADD_OBJECTIVE, state))
    assert body == {"response_action": "errors", "errors": {forms.PARENT_BLOCK: ERROR_PARENT_GONE}}


def test_saving_from_a_review_links_it_and_marks_it_saved(harness: Harness) -> None:
    harness.dispatch(message_event_body("Objective: Grow the community"))
    with harness.deps.session_factory() as session:
        review = session.scalars(select(CoachingReview)).one()
    harness.submit(
        ids.VIEW_ADD_OBJECTIVE,
        form(title="Grow the community", kr1="Monthly contributors", kr1_range="40 → 90"),
        private_metadata=json.dumps({"channel_id": "C0001", "review_id": review.id}),
    )
    with harness.deps.session_factory() as session:
        assert session.scalars(select(Objective)).one().source_review_id == review.id
        assert session.get(CoachingReview, review.id).outcome == "saved"


def test_the_paste_modal_updates_itself_with_the_review(harness: Harness) -> None:
    body = response_json(
        harness.submit(ids.VIEW_REVIEW_DRAFT, {DRAFT_BLOCK: {forms.INPUT_ACTION: "Attend standup"}})
    )
    assert body["response_action"] == "update"
    assert body["view"]["title"]["text"] == REVIEW_RESULT_TITLE
    assert "routine" in json.dumps(body["view"]["blocks"])
    empty = response_json(
        harness.submit(ids.VIEW_REVIEW_DRAFT, {DRAFT_BLOCK: {forms.INPUT_ACTION: "  "}})
    )
    assert empty == {"response_action": "errors", "errors": {DRAFT_BLOCK: ERROR_EMPTY_DRAFT}}


def test_unknown_views_are_closed_quietly(harness: Harness) -> None:
    response = harness.submit("modal_from_an_old_version", {})
    assert response.status == 200


def save(harness: Harness, owner: str = "U0001", team: str = "T0001") -> int:
    data = ObjectiveInput(
        title=f"Objective of {owner}",
        cycle=CYCLE,
        key_results=(KeyResultInput("Active teams", baseline=100, target=200),),
    )
    return ObjectiveService(harness.deps).create(team, owner, data).id


def test_home_lists_the_viewers_objectives_with_progress(harness: Harness) -> None:
    harness.dispatch(event_body("app_home_opened"))
    empty = harness.fake.last("views.publish").params
    assert empty["user_id"] == "U0001"
    assert EMPTY_HOME in json.dumps(empty["view"])

    save(harness)
    save(harness, owner="U0002")
    harness.dispatch(event_body("app_home_opened"))
    view = harness.fake.last("views.publish").params["view"]
    text = json.dumps(view, ensure_ascii=False)
    assert view["blocks"][0]["text"]["text"] == HOME_TITLE.format(cycle=CYCLE)
    assert "Objective of U0001" in text and "Objective of U0002" not in text
    assert "░░░░░░░░░░ 0%" in text
    assert "confidence not rated yet" in text


def test_only_the_owner_deletes_from_home(harness: Harness) -> None:
    mine, theirs = save(harness), save(harness, owner="U0002")
    home = {
        "container": {"type": "view", "view_id": "V1"},
        "channel": None,
        "response_url": None,
        "message": None,
    }
    harness.click(ids.ACTION_HOME_DELETE, str(theirs), **home)
    harness.click(ids.ACTION_HOME_DELETE, str(mine), **home)
    with harness.deps.session_factory() as session:
        left = [o.id for o in session.scalars(select(Objective))]
    assert left == [theirs]
    dm = harness.fake.calls_to("chat.postMessage")
    assert [c.params["text"] for c in dm] == [NOT_YOUR_OBJECTIVE]
    assert dm[0].params["channel"] == "U0001"
    assert len(harness.fake.calls_to("views.publish")) == 2

    harness.click(ids.ACTION_HOME_DELETE, str(mine), **home)
    assert harness.fake.calls_to("chat.postMessage")[-1].params["text"] == STALE
