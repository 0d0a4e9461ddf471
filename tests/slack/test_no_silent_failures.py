"""Every failure a person can meet gets a private, specific answer, through the real app and
the fake Slack scripted to fail the way Slack fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import create_db_engine, create_session_factory
from bot.models import Objective
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService, ObjectiveView
from handlers import checkin_blocks, forms, ids
from handlers.home_blocks import GRADE_SAVED
from handlers.modal_blocks import add_objective_modal
from handlers.notice_blocks import (
    DATABASE_DOWN,
    EXPIRED_TRIGGER,
    MISSING_SCOPE,
    RESTRICTED_ACTION,
    SAVED_NOT_IN_CHANNEL,
    SAVED_RESTRICTED,
    SOMETHING_WRONG,
    expired_button,
)
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack.test_modals_and_home import form

CYCLE = "2026-Q4"
BOT = "UBOT"
# A click on App Home: no channel and no response_url, only the user and the view.
HOME: dict[str, Any] = {
    "container": {"type": "view", "view_id": "V1"},
    "channel": None,
    "response_url": None,
    "message": None,
}
# A click on a button in the app's DM (a reminder or a nudge).
DM: dict[str, Any] = {
    "container": {"type": "message", "channel_id": "DU0001", "message_ts": "1700000100.0003"},
    "channel": {"id": "DU0001", "name": "directmessage"},
}


def objective(h: Harness, title: str = "Grow paying teams") -> ObjectiveView:
    data = ObjectiveInput(
        title=title,
        cycle=CYCLE,
        key_results=(KeyResultInput("Paying teams", baseline=40, target=90, unit="teams"),),
    )
    return ObjectiveService(h.deps).create("T0001", "U0001", data)


def dms(h: Harness) -> list[str]:
    return [str(c.params["text"]) for c in h.fake.calls_to("chat.postMessage", channel="U0001")]


# ---- buttons whose form expired -------------------------------------------------------------


@pytest.mark.parametrize("error", ["expired_trigger_id", "trigger_expired"])
def test_app_home_check_in_with_an_expired_trigger_says_so_in_the_dm(
    harness: Harness, error: str
) -> None:
    view = objective(harness)
    harness.fake.fail("views.open", error)

    response = harness.click(ids.ACTION_HOME_CHECKIN, str(view.id), **HOME)

    assert response.status == 200
    expected = expired_button(ids.ACTION_HOME_CHECKIN).text
    assert dms(harness) == [expected]
    assert "Click it again" in expected and "`/okr checkin`" in expected


def test_an_expired_home_button_is_answered_in_production_mode_too(
    db: Database, fake_slack: FakeSlack
) -> None:
    """Listeners run after the ack there: the handler has no response left to change."""
    h = make_harness(db, fake_slack, process_before_response=False)
    view = objective(h)
    fake_slack.fail("views.open", "expired_trigger_id")

    assert h.click(ids.ACTION_HOME_CHECKIN, str(view.id), **HOME).status == 200

    (dm,) = fake_slack.wait_for("chat.postMessage", channel="U0001")
    assert dm.params["text"] == expired_button(ids.ACTION_HOME_CHECKIN).text


@pytest.mark.parametrize(
    ("action", "where"),
    [
        (ids.ACTION_OPEN_CHECKIN, DM),
        (ids.ACTION_GRADE_OBJECTIVE, DM),
        (ids.ACTION_HOME_ADD, HOME),
    ],
)
def test_every_button_that_opens_a_form_says_when_it_expired(
    harness: Harness, action: str, where: dict[str, Any]
) -> None:
    view = objective(harness)
    harness.fake.fail("views.open", "expired_trigger_id")

    assert harness.click(action, str(view.id), **where).status == 200

    told = harness.ephemeral_texts() + dms(harness)
    assert len(told) == 1
    assert told[0].startswith("That button took too long to open its form")
    assert told[0] in {expired_button(action).text, expired_button(None).text}


@pytest.mark.parametrize("text", ["add", "checkin", "review"])
def test_a_command_whose_form_expired_says_so(harness: Harness, text: str) -> None:
    objective(harness)
    harness.fake.fail("views.open", "expired_trigger_id")
    assert harness.command(text).status == 200
    assert harness.fake.last("response_url").params["text"] == EXPIRED_TRIGGER


# ---- /okr add from a channel the bot is not in ------------------------------------------------


def add_from(h: Harness, channel: str) -> dict[str, Any]:
    h.command("add Grow paying teams", channel_id=channel)
    view = h.fake.last("views.open").params["view"]
    state = form(title="Grow paying teams", kr1="Paying teams", kr1_range="from 40 to 90 by June")
    response = h.submit(ids.VIEW_ADD_OBJECTIVE, state, private_metadata=view["private_metadata"])
    assert response.status == 200 and response.body == ""
    return json.loads(view["private_metadata"])


def saved(h: Harness) -> list[str]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(Objective.title)))


def test_add_from_a_channel_the_bot_is_not_in_saves_and_confirms_privately(
    harness: Harness,
) -> None:
    harness.fake.add_channel("T0001", "C0099", "elsewhere", members=["U0001"])

    meta = add_from(harness, "C0099")

    assert saved(harness) == ["Grow paying teams"]
    assert harness.fake.last("chat.postEphemeral").error == "not_in_channel"
    answer = harness.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Saved *Grow paying teams* with 1 key result")
    assert SAVED_NOT_IN_CHANNEL.format(channel="C0099") in answer["text"]
    assert "/invite @OKR Coach" in answer["text"]
    assert meta["response_url"].startswith(harness.fake.url)  # the command's own
    assert dms(harness) == []


def test_without_a_working_response_url_the_confirmation_comes_by_dm(harness: Harness) -> None:
    harness.fake.add_channel("T0001", "C0099", "elsewhere", members=["U0001"])
    harness.fake.fail("response_url", "expired_url")

    add_from(harness, "C0099")

    assert saved(harness) == ["Grow paying teams"]
    (dm,) = dms(harness)
    assert dm.startswith("Saved *Grow paying teams*") and "/invite @OKR Coach" in dm


def test_a_channel_where_posting_is_restricted_says_so(harness: Harness) -> None:
    harness.fake.fail("chat.postEphemeral", "restricted_action")
    add_from(harness, "C0001")
    text = harness.fake.last("response_url").params["text"]
    assert text.startswith("Saved *Grow paying teams*")
    assert SAVED_RESTRICTED.format(channel="C0001") in text


def test_add_from_a_channel_the_bot_is_in_stays_ephemeral_there(harness: Harness) -> None:
    harness.fake.add_channel("T0001", "C0042", "okrs", members=["U0001", BOT])
    add_from(harness, "C0042")
    confirm = harness.fake.last("chat.postEphemeral")
    assert confirm.ok and confirm.params["channel"] == "C0042"
    assert harness.fake.calls_to("response_url") == [] and dms(harness) == []


# ---- permissions ------------------------------------------------------------------------------


def test_a_missing_scope_names_it_and_says_how_to_get_it(harness: Harness) -> None:
    view = objective(harness)
    harness.fake.fail("conversations.open", "missing_scope", needed="im:write")
    state = {
        checkin_blocks.value_block_id(view.key_results[0].id): {checkin_blocks.VALUE_ACTION: "60"},
        checkin_blocks.confidence_block_id(view.key_results[0].id): {
            checkin_blocks.CONFIDENCE_ACTION: {
                "type": "static_select",
                "selected_option": {"value": "7"},
            }
        },
    }
    response = harness.submit(
        ids.VIEW_CHECKIN, state, private_metadata=json.dumps({"objective_id": view.id})
    )
    assert response.status == 200
    assert dms(harness) == [MISSING_SCOPE.format(needed="`im:write`")]


def test_a_restricted_action_on_a_button_is_answered_privately(harness: Harness) -> None:
    view = objective(harness)
    harness.fake.fail("chat.update", "restricted_action")
    response = harness.click(ids.ACTION_PAUSE_OBJECTIVE, str(view.id), **DM)
    assert response.status == 200
    assert harness.fake.last("response_url").params["text"] == RESTRICTED_ACTION


def test_an_unexpected_failure_on_app_home_is_still_answered(harness: Harness) -> None:
    view = objective(harness)
    harness.fake.fail("views.open", "internal_error")
    response = harness.click(ids.ACTION_HOME_CHECKIN, str(view.id), **HOME)
    assert response.status == 500
    assert dms(harness) == [SOMETHING_WRONG]


# ---- the database is down ---------------------------------------------------------------------


@pytest.fixture
def no_database(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[Harness]:
    """A SQLite file in a folder that does not exist: every connection fails, as when down."""
    url = f"sqlite:///{tmp_path / 'missing' / 'okr.db'}"
    engine = create_db_engine(url)
    db = Database("sqlite", url, engine, create_session_factory(engine))
    yield make_harness(db, fake_slack)
    engine.dispose()


def test_a_form_submitted_while_the_database_is_down_stays_open_and_says_so(
    no_database: Harness,
) -> None:
    state = form(title="Grow", kr1="Paying teams")
    # Slack sends the view's blocks with its state; the answer goes under the first input.
    blocks = add_objective_modal(cycles=[CYCLE], default_cycle=CYCLE)["blocks"]
    response = no_database.submit(ids.VIEW_ADD_OBJECTIVE, state, view={"blocks": blocks})
    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {forms.TITLE_BLOCK: DATABASE_DOWN},
    }


def test_buttons_and_commands_while_the_database_is_down_say_so(no_database: Harness) -> None:
    assert no_database.click(ids.ACTION_HOME_CHECKIN, "1", **HOME).status == 200
    assert dms(no_database) == [DATABASE_DOWN]
    assert no_database.command("list").status == 200
    assert no_database.fake.last("response_url").params["text"] == DATABASE_DOWN


# ---- grades -----------------------------------------------------------------------------------


def test_a_saved_grade_is_confirmed_privately_and_shown_on_app_home(harness: Harness) -> None:
    view = objective(harness)
    response = harness.submit(
        ids.VIEW_GRADE,
        {checkin_blocks.GRADE_BLOCK: {checkin_blocks.GRADE_ACTION: "0.7"}},
        private_metadata=json.dumps({"objective_id": view.id}),
    )
    assert response.status == 200 and response.body == ""
    (confirm,) = harness.fake.calls_to("chat.postMessage")
    assert confirm.params["channel"] == "DU0001"  # the app's DM, where the grade button was
    assert confirm.params["text"] == GRADE_SAVED.format(title=view.title, grade="0.7")
    home = json.dumps(harness.fake.last("views.publish").params["view"], ensure_ascii=False)
    assert "graded 0.7" in home
