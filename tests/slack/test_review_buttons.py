"""Buttons on a review: the public reply's, the full review's, edits, stale and foreign clicks.

Every button acts for the draft's author only, on the version of the draft it was drawn for,
and once: a second click (or an old copy of a button) never saves a second objective.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from bot.models import CoachingReview, FindingFeedback, KeyResult, Objective
from handlers import forms, ids
from handlers.actions import (
    ALREADY_FEEDBACK,
    ALREADY_SAVED,
    DETAILS_NOT_YOURS,
    DRAFT_CHANGED,
    NOT_YOURS,
    STALE,
    TEXT_GONE,
    THANKS_FEEDBACK,
    THANKS_ROUTINE,
)
from handlers.blocks import EDITED_NOTE, REWRITE_TITLE, USE_REWRITE_LABEL, feedback_value
from handlers.notice_blocks import expired_button
from handlers.public_blocks import DETAILS_LABEL, SAVED_NOTE
from handlers.review_messages import SAVED_DETAILS
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.reply_text import RULE_ID, buttons, primary_count, text_lines
from tests.slack_requests import event_body, message_event_body

ROUTINE_DRAFT = "Objective: Answer every support email within 24 hours"
STRATEGIC_DRAFT = (
    "Objective: Make onboarding effortless for new teams\n"
    "KR1: Raise week-1 activation from 35% to 60% by end of Q4\n"
    "KR2: Cut time to first value from 3 days to 1 day by end of Q4"
)
# The rewrite keeps the author's numbers and adds what is missing around them.
NUMBERS_DRAFT = (
    "Objective: Make onboarding effortless for new teams\n"
    "KR1: Raise weekly active teams from 120 to 300\n"
    "KR2: Launch the new setup wizard"
)
STRANGER = {"user": {"id": "U0999", "username": "kim", "name": "kim", "team_id": "T0001"}}
PLACEHOLDER = re.compile(r"\bX\b|\bY\b|<end of quarter>|end of quarter|\?/10")


def post_draft(h: Harness, text: str, **event: Any) -> tuple[dict[str, Any], CoachingReview]:
    body = message_event_body(text, **event)
    assert h.dispatch(body).status == 200
    with h.deps.session_factory() as session:
        row = session.scalars(
            select(CoachingReview).where(CoachingReview.message_ts == body["event"]["ts"])
        ).one()
    return body, row


def button_in(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    (found,) = [b for b in buttons(blocks) if b["action_id"] == action_id]
    return found


def block_of(blocks: list[dict[str, Any]], action_id: str) -> str:
    for block in blocks:
        if any(e.get("action_id") == action_id for e in block.get("elements", [])):
            return str(block["block_id"])
    raise AssertionError(f"no {action_id} in {blocks}")


def press(h: Harness, blocks: list[dict[str, Any]], action_id: str, **overrides: Any) -> None:
    """Click the button ``action_id`` drawn in ``blocks``, as Slack reports it."""
    element = button_in(blocks, action_id)
    action = {
        "action_id": action_id,
        "block_id": block_of(blocks, action_id),
        "type": "button",
        "value": element["value"],
        "text": element["text"],
        "action_ts": "1700000900.000100",
    }
    assert h.click(action_id, actions=[action], **overrides).status == 200


def public_blocks(h: Harness) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = h.fake.last("chat.postMessage").params["blocks"]
    return blocks


def open_details(h: Harness) -> list[dict[str, Any]]:
    """See full review, from the public reply: answered to the clicker alone."""
    press(h, public_blocks(h), ids.ACTION_SHOW_DETAILS)
    answer = h.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    blocks: list[dict[str, Any]] = answer["blocks"]
    return blocks


def submit_as_prefilled(h: Harness, view: dict[str, Any]) -> Any:
    """The author presses Save without changing anything in the form."""
    state: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        if element["type"] == "plain_text_input":
            value = {"type": "plain_text_input", "value": element.get("initial_value")}
        else:
            value = {"type": element["type"], "selected_option": element.get("initial_option")}
        state[block["block_id"]] = {forms.INPUT_ACTION: value}
    return h.submit(ids.VIEW_ADD_OBJECTIVE, state, private_metadata=view["private_metadata"])


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def objectives(h: Harness) -> list[Objective]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(Objective)))


def edit(h: Harness, body: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The author edits the draft; returns the event, for redelivering it."""
    ts = body["event"]["ts"]
    changed = event_body(
        "message_changed",
        event={
            "channel": "C0001",
            "message": {"text": new, "ts": ts, "user": "U0001"},
            "previous_message": {"text": old, "ts": ts, "user": "U0001"},
        },
    )
    assert h.dispatch(changed).status == 200
    return changed


# -- the public reply's buttons ---------------------------------------------------------------


def test_the_public_reply_offers_save_and_the_full_review_with_one_primary(
    harness: Harness,
) -> None:
    _, row = post_draft(harness, STRATEGIC_DRAFT)
    blocks = public_blocks(harness)
    assert [b["action_id"] for b in buttons(blocks)] == [
        ids.ACTION_SAVE_AS_OKR,
        ids.ACTION_SHOW_DETAILS,
    ]
    assert primary_count(blocks) == 1
    assert all(b["value"].startswith(f"{row.id}.") for b in buttons(blocks))


def test_save_as_okr_opens_a_prefilled_modal_for_the_author(harness: Harness) -> None:
    _, row = post_draft(harness, STRATEGIC_DRAFT)
    press(harness, public_blocks(harness), ids.ACTION_SAVE_AS_OKR, trigger_id="TRIG-1")
    call = harness.fake.last("views.open")
    assert call.params["trigger_id"] == "TRIG-1"
    view = call.params["view"]
    fields = inputs(view)
    assert fields[forms.TITLE_BLOCK]["initial_value"] == "Make onboarding effortless for new teams"
    assert fields["kr1_range"]["initial_value"] == "35% → 60%"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C0001", "review_id": row.id}


def test_someone_elses_draft_cannot_be_saved_opened_or_marked(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    public = public_blocks(harness)
    details = open_details(harness)
    press(harness, public, ids.ACTION_SAVE_AS_OKR, **STRANGER)
    press(harness, public, ids.ACTION_SHOW_DETAILS, **STRANGER)
    press(harness, details, ids.ACTION_MARK_ROUTINE, **STRANGER)
    press(harness, details, ids.ACTION_USE_REWRITE, **STRANGER)
    assert harness.fake.calls_to("views.open") == []
    assert harness.ephemeral_texts()[1:] == [
        NOT_YOURS.format(author="U0001"),
        DETAILS_NOT_YOURS.format(author="U0001"),
        NOT_YOURS.format(author="U0001"),
        NOT_YOURS.format(author="U0001"),
    ]
    with harness.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "pending"


# -- the full review, in private -----------------------------------------------------------------


def test_the_full_review_goes_to_the_author_alone_with_everything_the_thread_leaves_out(
    harness: Harness,
) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    assert DETAILS_LABEL in json.dumps(public_blocks(harness))
    details = open_details(harness)
    shown = "\n".join(text_lines(details))
    for part in ("*Why*", "*Scope*", "*Impact*", "*Alignment*", REWRITE_TITLE, USE_REWRITE_LABEL):
        assert part in shown
    assert RULE_ID.search(shown) is not None  # rule ids, beside each finding
    assert len(details) <= 12
    assert primary_count(details) == 1
    assert button_in(details, ids.ACTION_USE_REWRITE)["style"] == "primary"
    menus = [b["accessory"] for b in details if b.get("accessory", {}).get("type") == "overflow"]
    assert 1 <= len(menus) <= 3
    assert {m["options"][0]["value"] for m in menus} == {
        feedback_value(row.id, rule) for rule in row.rule_ids[: len(menus)]
    }


def test_in_a_dm_the_full_review_is_a_message_that_stays(harness: Harness) -> None:
    post_draft(harness, ROUTINE_DRAFT, channel="D0001", channel_type="im")
    reply = harness.fake.last("chat.postMessage").params
    assert reply["channel"] == "D0001" and "thread_ts" not in reply
    press(harness, reply["blocks"], ids.ACTION_SHOW_DETAILS, channel={"id": "D0001"})
    details = harness.fake.last("chat.postMessage").params
    assert details["channel"] == "D0001" and "thread_ts" not in details
    assert USE_REWRITE_LABEL in json.dumps(details["blocks"])
    assert harness.fake.calls_to("response_url") == []


def test_marking_routine_records_it_and_thanks_the_author(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    press(harness, open_details(harness), ids.ACTION_MARK_ROUTINE)
    assert harness.ephemeral_texts()[-1] == THANKS_ROUTINE
    with harness.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "routine"


def test_not_helpful_is_counted_once_per_person_and_rule(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    rule = row.rule_ids[0]
    option = {"selected_option": {"value": feedback_value(row.id, rule)}, "type": "overflow"}
    for _ in range(2):
        harness.click(
            ids.ACTION_NOT_HELPFUL,
            actions=[{"action_id": ids.ACTION_NOT_HELPFUL, "block_id": "f", **option}],
        )
    assert harness.ephemeral_texts() == [
        THANKS_FEEDBACK.format(rule=rule),
        ALREADY_FEEDBACK.format(rule=rule),
    ]
    with harness.deps.session_factory() as session:
        rows = session.scalars(select(FindingFeedback)).all()
    assert [(r.rule_id, r.slack_user_id, r.coaching_review_id) for r in rows] == [
        (rule, "U0001", row.id)
    ]


# -- "Use this rewrite": exactly what it shows, never placeholders, once ------------------------


def shown_rewrite(details: list[dict[str, Any]]) -> list[str]:
    """The rewrite's lines as the author read them, blanks marked `like this`."""
    (text,) = [
        b["text"]["text"] for b in details if REWRITE_TITLE in b.get("text", {}).get("text", "")
    ]
    return [line.removeprefix("> ") for line in text.splitlines()[1:]]


def test_use_this_rewrite_fills_the_form_with_exactly_the_words_shown_and_no_placeholders(
    harness: Harness,
) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    details = open_details(harness)
    lines = shown_rewrite(details)
    press(harness, details, ids.ACTION_USE_REWRITE)

    view = harness.fake.last("views.open").params["view"]
    fields = inputs(view)
    assert lines[0] == f"Objective: {fields[forms.TITLE_BLOCK]['initial_value']}"
    krs = [line.split(": ", 1)[1] for line in lines if line.startswith("KR")]
    assert len(krs) == 3
    for index, shown in enumerate(krs, start=1):
        text = fields[f"kr{index}"]["initial_value"]
        # The author's words, exactly as shown, up to the first blank (`X`, `Y`, a deadline).
        assert shown.startswith(text + " from `")
        assert "initial_value" not in fields[f"kr{index}_range"]
        assert "X" in fields[f"kr{index}_range"]["placeholder"]["text"]
    every_value = json.dumps([f.get("initial_value") for f in fields.values()])
    assert PLACEHOLDER.search(every_value) is None
    assert json.loads(view["private_metadata"])["review_id"] == row.id

    submit_as_prefilled(harness, view)
    (saved,) = objectives(harness)
    with harness.deps.session_factory() as session:
        krs_saved = session.scalars(select(KeyResult).order_by(KeyResult.position)).all()
    assert saved.source_review_id == row.id
    assert [k.text for k in krs_saved] == [fields[f"kr{i}"]["initial_value"] for i in (1, 2, 3)]
    assert all(k.baseline is None and k.target is None for k in krs_saved)
    assert PLACEHOLDER.search(json.dumps([k.text for k in krs_saved])) is None


def test_the_authors_own_numbers_are_prefilled_as_baseline_and_target(harness: Harness) -> None:
    post_draft(harness, NUMBERS_DRAFT)
    details = open_details(harness)
    assert "KR1: Raise weekly active teams from 120 to 300 by `end of quarter`" in shown_rewrite(
        details
    )
    press(harness, details, ids.ACTION_USE_REWRITE)
    fields = inputs(harness.fake.last("views.open").params["view"])
    assert fields["kr1"]["initial_value"] == "Raise weekly active teams from 120 to 300"
    assert fields["kr1_range"]["initial_value"] == "120 → 300"


def test_saving_turns_both_messages_saved_and_a_second_click_saves_nothing(
    harness: Harness,
) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    details = open_details(harness)
    press(harness, details, ids.ACTION_USE_REWRITE)
    view = harness.fake.last("views.open").params["view"]
    assert json.loads(view["private_metadata"])["response_url"]

    submit_as_prefilled(harness, view)
    (saved,) = objectives(harness)
    # The full review the click came from: its button gives way to what was saved.
    replaced = harness.fake.last("response_url", replace_original=True).params
    assert SAVED_DETAILS.format(cycle=saved.cycle, title=saved.title) in json.dumps(
        replaced["blocks"], ensure_ascii=False
    )
    assert buttons(replaced["blocks"]) == []
    # The public reply: saved, and nothing left to save.
    (update,) = harness.fake.calls_to("chat.update")
    assert update.params["ts"] == row.reply_ts
    assert SAVED_NOTE in json.dumps(update.params["blocks"])
    assert [b["action_id"] for b in buttons(update.params["blocks"])] == [ids.ACTION_SHOW_DETAILS]

    # An old copy of either button, or the same form sent twice, saves nothing more.
    press(harness, details, ids.ACTION_USE_REWRITE)
    press(harness, public_blocks(harness), ids.ACTION_SAVE_AS_OKR)
    submit_as_prefilled(harness, view)
    assert len(harness.fake.calls_to("views.open")) == 1
    told = [c.params.get("text") for c in harness.fake.calls_to("response_url")]
    assert told.count(ALREADY_SAVED.format(title=saved.title)) == 2
    assert [o.id for o in objectives(harness)] == [saved.id]


def test_the_save_stands_when_slack_refuses_to_redraw_the_messages(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    post_draft(harness, ROUTINE_DRAFT)
    press(harness, open_details(harness), ids.ACTION_USE_REWRITE)
    view = harness.fake.last("views.open").params["view"]
    harness.fake.fail("chat.update", error="message_not_found")
    harness.fake.http_error("response_url", status=404)  # the response_url expired

    response = submit_as_prefilled(harness, view)

    assert response.status == 200 and not response.body
    (saved,) = objectives(harness)
    assert (
        harness.fake.last("chat.postEphemeral").params["text"].startswith(f"Saved *{saved.title}")
    )
    assert "could not mark the reply saved: message_not_found" in caplog.text
    assert "could not mark the full review saved: HTTP 404" in caplog.text


def test_an_expired_trigger_on_use_this_rewrite_gets_a_kind_word(harness: Harness) -> None:
    post_draft(harness, ROUTINE_DRAFT)
    harness.fake.fail("views.open", error="expired_trigger_id")
    press(harness, open_details(harness), ids.ACTION_USE_REWRITE)
    assert harness.ephemeral_texts()[-1] == expired_button(ids.ACTION_USE_REWRITE).text
    assert objectives(harness) == []


def test_a_button_drawn_before_an_edit_says_so_instead_of_acting(harness: Harness) -> None:
    body, _ = post_draft(harness, ROUTINE_DRAFT)
    old_public = public_blocks(harness)
    old_details = open_details(harness)
    edit(harness, body, ROUTINE_DRAFT, STRATEGIC_DRAFT)

    for blocks, action in (
        (old_details, ids.ACTION_USE_REWRITE),
        (old_public, ids.ACTION_SAVE_AS_OKR),
        (old_details, ids.ACTION_MARK_ROUTINE),
    ):
        press(harness, blocks, action)
        answer = harness.fake.last("response_url").params
        assert answer["blocks"][0]["elements"][0]["text"] == DRAFT_CHANGED
        assert answer["replace_original"] is False
    assert harness.fake.calls_to("views.open") == []
    assert objectives(harness) == []
    # The note comes with fresh buttons, drawn for the draft as it is now.
    press(harness, answer["blocks"], ids.ACTION_USE_REWRITE)
    assert len(harness.fake.calls_to("views.open")) == 1


def test_buttons_from_replies_posted_before_this_version_show_the_current_review(
    harness: Harness,
) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    harness.click(ids.ACTION_SHOW_REWRITE, str(row.id))
    assert USE_REWRITE_LABEL in json.dumps(harness.fake.last("response_url").params["blocks"])
    harness.click(ids.ACTION_SAVE_AS_OKR, str(row.id))  # cannot prove what it showed
    assert harness.fake.last("response_url").params["blocks"][0]["elements"][0]["text"] == (
        DRAFT_CHANGED
    )
    assert harness.fake.calls_to("views.open") == []


# -- stale, foreign and edited ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["999999", "999999.0123456789abcdef", "not-a-number", ""])
def test_unknown_review_ids_answer_stale(harness: Harness, value: str) -> None:
    harness.click(ids.ACTION_SAVE_AS_OKR, value)
    assert harness.ephemeral_texts() == [STALE]


def test_a_review_from_another_workspace_is_stale_here(db: Database, fake_slack: FakeSlack) -> None:
    h = make_harness(db, fake_slack)
    body = message_event_body(ROUTINE_DRAFT)
    body["team_id"] = "T0002"
    body["authorizations"][0]["team_id"] = "T0002"
    fake_slack.register_token("xoxb-test", "T0001")
    h.dispatch(body)
    with h.deps.session_factory() as session:
        row = session.scalars(select(CoachingReview)).one()
    assert row.slack_team_id == "T0002"
    press(h, public_blocks(h), ids.ACTION_SHOW_DETAILS)  # the click comes from T0001
    h.click(ids.ACTION_MARK_ROUTINE, str(row.id))
    assert h.ephemeral_texts() == [STALE, STALE]
    with h.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "pending"


def test_unknown_action_ids_get_a_kind_answer(harness: Harness) -> None:
    response = harness.click("button_from_2019", "1")
    assert response.status == 200
    assert harness.ephemeral_texts() == [STALE]


def test_editing_the_draft_updates_the_reply_in_place(harness: Harness) -> None:
    body, row = post_draft(harness, ROUTINE_DRAFT)
    edit(harness, body, ROUTINE_DRAFT, STRATEGIC_DRAFT)
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    (update,) = harness.fake.calls_to("chat.update")
    assert update.params["ts"] == row.reply_ts
    assert update.params["channel"] == "C0001"
    assert EDITED_NOTE in json.dumps(update.params["blocks"])
    assert len(text_lines(update.params["blocks"])) <= 6
    with harness.deps.session_factory() as session:
        updated = session.get(CoachingReview, row.id)
        assert updated.verdict == "strategic"
        assert updated.draft_text == STRATEGIC_DRAFT


def test_an_edit_delivered_twice_updates_the_reply_once(harness: Harness) -> None:
    body, _ = post_draft(harness, ROUTINE_DRAFT)
    changed = edit(harness, body, ROUTINE_DRAFT, STRATEGIC_DRAFT)
    assert harness.dispatch(changed, headers={"X-Slack-Retry-Num": "1"}).status == 200
    assert len(harness.fake.calls_to("chat.update")) == 1


def test_an_unfurl_is_not_an_edit(harness: Harness) -> None:
    body, _ = post_draft(harness, ROUTINE_DRAFT)
    ts = body["event"]["ts"]
    unfurl = event_body(
        "message_changed",
        event={
            "message": {"text": ROUTINE_DRAFT, "ts": ts, "user": "U0001", "attachments": []},
            "previous_message": {"text": ROUTINE_DRAFT, "ts": ts, "user": "U0001"},
        },
    )
    harness.dispatch(unfurl)
    assert harness.fake.calls_to("chat.update") == []


def test_adding_a_prefix_in_an_edit_gets_a_first_reply(harness: Harness) -> None:
    ts = "1700000500.000100"
    edit_body = event_body(
        "message_changed",
        event={
            "message": {"text": ROUTINE_DRAFT, "ts": ts, "user": "U0001"},
            "previous_message": {"text": "answer support emails", "ts": ts, "user": "U0001"},
        },
    )
    harness.dispatch(edit_body)
    (reply,) = harness.fake.calls_to("chat.postMessage")
    assert reply.params["thread_ts"] == ts


def test_without_stored_text_the_draft_is_read_back_from_slack(
    db: Database, fake_slack: FakeSlack
) -> None:
    h = make_harness(db, fake_slack, keep_draft_text=False)
    ts = fake_slack.add_message("C0001", STRATEGIC_DRAFT)
    _, row = post_draft(h, STRATEGIC_DRAFT, ts=ts)
    assert row.draft_text is None
    public = public_blocks(h)
    press(h, public, ids.ACTION_SAVE_AS_OKR)
    assert fake_slack.last("conversations.replies").params["ts"] == ts
    assert fake_slack.calls_to("views.open")

    fake_slack.fail("conversations.replies", error="thread_not_found")
    press(h, public, ids.ACTION_SHOW_DETAILS)
    assert h.ephemeral_texts()[-1] == TEXT_GONE
