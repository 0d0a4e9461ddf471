"""A check-in written in plain words in the DM, through the real app and the fake Slack.

Nothing is stored until the person presses Save; Save stores exactly one check-in row per
key result it names; Cancel stores nothing; only the owner's words and buttons ever move
the owner's key results; something that is not a check-in gets help, never an error.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.models import CheckIn, KeyResult, WarningFeedback
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from bot.progress_warnings import warnings_for
from handlers import checkin_talk, ids
from handlers import checkin_talk_blocks as talk
from handlers.conversation_blocks import help_reply
from tests.app_fixtures import Harness
from tests.slack_requests import message_event_body

DM = "D0USER1"


def objective(h: Harness, owner: str = "U0001", team: str = "T0001") -> Any:
    data = ObjectiveInput(
        title="Grow paying teams in Europe",
        cycle="2026-Q4",
        key_results=(
            KeyResultInput("Grow weekly signups from 800 to 1,500", "signups", 800, 1500),
            KeyResultInput("Raise NPS from 30 to 45", "NPS", 30, 45),
        ),
    )
    return ObjectiveService(h.deps).create(team, owner, data)


def dm(h: Harness, text: str, **event: Any) -> Any:
    body = message_event_body(text, channel=DM, channel_type="im", **event)
    assert h.dispatch(body).status == 200
    return body


def posted(h: Harness) -> list[Any]:
    return [c for c in h.fake.calls_to("chat.postMessage") if c.params.get("channel") == DM]


def buttons(call: Any) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in call.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def click(
    h: Harness,
    action_id: str,
    value: str,
    user: str = "U0001",
    team: str = "T0001",
    on: Any = None,
) -> Any:
    """A click on a button of the bot's answer ``on`` (default: its latest DM)."""
    message_ts = (on or posted(h)[-1]).response["ts"]
    return h.click(
        action_id,
        value,
        user={"id": user, "team_id": team},
        team={"id": team},
        container={"type": "message", "message_ts": message_ts, "channel_id": DM},
        channel={"id": DM, "name": "directmessage"},
    )


def check_ins(h: Harness) -> list[CheckIn]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(CheckIn).order_by(CheckIn.id)))


def test_a_dm_check_in_is_shown_back_and_stored_only_on_save(harness: Harness) -> None:
    saved = objective(harness)
    nps = saved.key_results[1]

    dm(harness, "KR2 now 41, confidence 6, waiting on legal")

    (answer,) = posted(harness)
    assert answer.params["text"] == talk.UNDERSTOOD_TEXT
    shown = json.dumps(answer.params["blocks"])
    assert "*41*" in shown and "confidence *6*" in shown and "waiting on legal" in shown
    found = buttons(answer)
    assert [b.get("style") for b in found.values()] == ["primary", None, None]
    assert check_ins(harness) == []

    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, found[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"])

    (row,) = check_ins(harness)
    assert (row.key_result_id, row.value, row.confidence, row.note) == (
        nps.id,
        41.0,
        6,
        "waiting on legal",
    )
    with harness.deps.session_factory() as session:
        kr = session.get(KeyResult, nps.id)
        assert kr is not None and (kr.current, kr.confidence) == (41.0, 6)
    replaced = harness.fake.last("response_url").params
    assert replaced["replace_original"] in (True, "true")
    assert "Check-in saved" in replaced["text"]
    assert harness.fake.calls_to("views.publish")  # App Home shows it at once


def test_a_second_save_stores_nothing_more(harness: Harness) -> None:
    objective(harness)
    dm(harness, "signups 1,240 (conf 7)")
    value = buttons(posted(harness)[0])[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"]

    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value)
    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value)

    assert len(check_ins(harness)) == 1
    assert harness.fake.last("response_url").params["text"] == talk.ALREADY_SAVED_TEXT


def test_cancel_stores_nothing(harness: Harness) -> None:
    objective(harness)
    dm(harness, "signups 1,240 (conf 7)")
    click(harness, ids.ACTION_PLAIN_CHECKIN_CANCEL, "cancel")
    assert check_ins(harness) == []
    assert harness.fake.last("response_url").params["text"] == talk.CANCELLED_TEXT


def test_edit_opens_the_usual_form_with_what_was_read(harness: Harness) -> None:
    saved = objective(harness)
    dm(harness, "signups 1,240 (conf 7), the launch helped")
    value = buttons(posted(harness)[0])[ids.ACTION_PLAIN_CHECKIN_EDIT]["value"]

    click(harness, ids.ACTION_PLAIN_CHECKIN_EDIT, value)

    view = harness.fake.last("views.open").params["view"]
    assert view["callback_id"] == ids.VIEW_CHECKIN
    by_block = {b.get("block_id"): b for b in view["blocks"]}
    signups = saved.key_results[0].id
    assert by_block[f"kr_{signups}_value"]["element"]["initial_value"] == "1240"
    confidence = by_block[f"kr_{signups}_confidence"]["element"]["initial_option"]
    assert confidence["value"] == "7"
    assert check_ins(harness) == []


def test_only_the_owner_can_save_a_check_in_on_their_key_results(harness: Harness) -> None:
    objective(harness, owner="U0001")
    dm(harness, "KR1 1,100")
    value = buttons(posted(harness)[0])[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"]

    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value, user="U0002")

    assert check_ins(harness) == []
    assert checkin_talk.NOT_YOURS in harness.ephemeral_texts()


def test_a_plan_from_another_workspace_stores_nothing(harness: Harness) -> None:
    objective(harness, team="T0001")
    dm(harness, "KR1 1,100")
    value = buttons(posted(harness)[0])[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"]

    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value, team="T0002")

    assert check_ins(harness) == []
    assert checkin_talk.GONE in harness.ephemeral_texts()


def test_what_cannot_be_placed_is_said_plainly_with_the_form(harness: Harness) -> None:
    objective(harness)
    dm(harness, "45")
    (answer,) = posted(harness)
    assert answer.params["text"].startswith("I couldn't tell which key result “45” is for")
    assert "KR1" in json.dumps(answer.params["blocks"])
    assert ids.ACTION_OPEN_CHECKIN in buttons(answer)
    assert check_ins(harness) == []


def test_small_talk_gets_help_and_a_draft_gets_a_review(harness: Harness) -> None:
    objective(harness)
    dm(harness, "hi")
    dm(harness, "what is this?")
    dm(harness, "Objective: Grow partner revenue across Europe")
    texts = [c.params["text"] for c in posted(harness)]
    assert texts[:2] == [help_reply().text, help_reply().text]
    assert texts[2] not in (talk.UNDERSTOOD_TEXT, help_reply().text)
    assert check_ins(harness) == []


def test_without_objectives_a_number_is_not_a_check_in(harness: Harness) -> None:
    dm(harness, "KR1 1,100")
    (answer,) = posted(harness)
    assert answer.params["text"] != talk.UNDERSTOOD_TEXT


def test_a_reply_in_the_reminders_thread_is_answered_there_once(harness: Harness) -> None:
    objective(harness)
    body = dm(harness, "NPS 39 now", thread_ts="1700000500.000100")
    assert harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    (answer,) = posted(harness)
    assert answer.params["thread_ts"] == "1700000500.000100"
    assert answer.params["text"] == talk.UNDERSTOOD_TEXT


def test_the_confirmation_warns_when_confidence_keeps_falling(harness: Harness) -> None:
    saved = objective(harness)
    nps = saved.key_results[1]
    for confidence in (8, 6):
        dm(harness, f"NPS 33, confidence {confidence}")
        value = buttons(posted(harness)[-1])[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"]
        click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value)
        harness.clock.advance(days=7)
    dm(harness, "NPS 34, confidence 4")
    value = buttons(posted(harness)[-1])[ids.ACTION_PLAIN_CHECKIN_SAVE]["value"]
    click(harness, ids.ACTION_PLAIN_CHECKIN_SAVE, value)

    shown = json.dumps(harness.fake.last("response_url").params["blocks"], ensure_ascii=False)
    assert "Confidence fell two check-ins in a row (8 → 6 → 4)" in shown
    assert ids.ACTION_WARNING_NOT_HELPFUL in shown

    harness.click(
        ids.ACTION_WARNING_NOT_HELPFUL,
        None,
        actions=[
            {
                "action_id": ids.ACTION_WARNING_NOT_HELPFUL,
                "block_id": "w",
                "type": "overflow",
                "selected_option": {"value": f"{nps.id}|progress.confidence_falling"},
                "action_ts": "1700000999.1",
            }
        ],
    )
    assert checkin_talk.THANKS in harness.ephemeral_texts()
    with harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(WarningFeedback)) == 1
    # Not raised again for that key result, to that person.
    fresh = ObjectiveService(harness.deps).get_owned("T0001", "U0001", saved.id)
    again = warnings_for(harness.deps, "T0001", [fresh], harness.clock(), for_user="U0001")
    assert not any(w.rule_id == "progress.confidence_falling" for w in again.get(saved.id, []))
