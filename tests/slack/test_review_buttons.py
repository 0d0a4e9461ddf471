"""Buttons on the threaded review, edits of the draft, and stale or foreign clicks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.models import CoachingReview, FindingFeedback, Objective
from handlers import forms, ids
from handlers.actions import (
    ALREADY_FEEDBACK,
    NOT_YOURS,
    STALE,
    TEXT_GONE,
    THANKS_FEEDBACK,
    THANKS_ROUTINE,
)
from handlers.blocks import EDITED_NOTE, USE_REWRITE_LABEL, feedback_value
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack_requests import event_body, message_event_body

ROUTINE_DRAFT = "Objective: Answer every support email within 24 hours"
STRATEGIC_DRAFT = (
    "Objective: Make onboarding effortless for new teams\n"
    "KR1: Raise week-1 activation from 35% to 60% by end of Q4\n"
    "KR2: Cut time to first value from 3 days to 1 day by end of Q4"
)


def post_draft(h: Harness, text: str, **event: Any) -> tuple[dict[str, Any], CoachingReview]:
    body = message_event_body(text, **event)
    assert h.dispatch(body).status == 200
    with h.deps.session_factory() as session:
        row = session.scalars(
            select(CoachingReview).where(CoachingReview.message_ts == body["event"]["ts"])
        ).one()
    return body, row


def reply_blocks(h: Harness) -> str:
    return json.dumps(h.fake.last("chat.postMessage").params["blocks"], ensure_ascii=False)


def test_the_review_carries_one_primary_and_two_secondary_actions(harness: Harness) -> None:
    _, row = post_draft(harness, STRATEGIC_DRAFT)
    blocks = harness.fake.last("chat.postMessage").params["blocks"]
    (actions,) = [b for b in blocks if b["type"] == "actions"]
    action_ids = [e["action_id"] for e in actions["elements"]]
    assert action_ids[0] == ids.ACTION_SAVE_AS_OKR
    assert set(action_ids) == {
        ids.ACTION_SAVE_AS_OKR,
        ids.ACTION_SHOW_REWRITE,
        ids.ACTION_MARK_ROUTINE,
    }
    assert [e.get("style") for e in actions["elements"]].count("primary") == 1
    assert all(e["value"] == str(row.id) for e in actions["elements"])


def test_save_as_okr_opens_a_prefilled_modal_for_the_author(harness: Harness) -> None:
    _, row = post_draft(harness, STRATEGIC_DRAFT)
    harness.click(ids.ACTION_SAVE_AS_OKR, str(row.id), trigger_id="TRIG-1")
    call = harness.fake.last("views.open")
    assert call.params["trigger_id"] == "TRIG-1"
    view = call.params["view"]
    by_block = {b.get("block_id"): b for b in view["blocks"]}
    title = by_block[forms.TITLE_BLOCK]["element"]["initial_value"]
    assert title == "Make onboarding effortless for new teams"
    assert by_block["kr1_range"]["element"]["initial_value"] == "35% → 60%"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C0001", "review_id": row.id}


def test_someone_elses_draft_cannot_be_saved_or_marked(harness: Harness) -> None:
    _, row = post_draft(harness, STRATEGIC_DRAFT)
    stranger = {"user": {"id": "U0999", "username": "kim", "name": "kim", "team_id": "T0001"}}
    harness.click(ids.ACTION_SAVE_AS_OKR, str(row.id), **stranger)
    harness.click(ids.ACTION_MARK_ROUTINE, str(row.id), **stranger)
    assert harness.fake.calls_to("views.open") == []
    assert harness.ephemeral_texts() == [NOT_YOURS.format(author="U0001")] * 2
    with harness.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "pending"


def test_marking_routine_records_it_and_thanks_the_author(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    harness.click(ids.ACTION_MARK_ROUTINE, str(row.id))
    assert harness.ephemeral_texts() == [THANKS_ROUTINE]
    with harness.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "routine"


def test_show_then_use_the_rewrite_saves_it_in_one_click(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    harness.click(ids.ACTION_SHOW_REWRITE, str(row.id))
    shown = harness.fake.last("response_url").params
    assert USE_REWRITE_LABEL in json.dumps(shown["blocks"])
    assert shown["replace_original"] is False

    harness.click(ids.ACTION_USE_REWRITE, str(row.id))
    with harness.deps.session_factory() as session:
        objective = session.scalars(select(Objective)).one()
        assert objective.source_review_id == row.id
        assert objective.owner_slack_user_id == "U0001"
        assert objective.cycle == "2026-Q4"
        assert session.get(CoachingReview, row.id).outcome == "saved"
    assert harness.fake.last("views.publish").params["user_id"] == "U0001"
    assert harness.ephemeral_texts()[-1].startswith("Saved *")


def test_not_helpful_is_counted_once_per_person_and_rule(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    rule = row.rule_ids[0]
    option = {"selected_option": {"value": feedback_value(row.id, rule)}, "type": "overflow"}
    harness.click(
        ids.ACTION_NOT_HELPFUL,
        actions=[{"action_id": ids.ACTION_NOT_HELPFUL, "block_id": "f", **option}],
    )
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


def test_findings_offer_not_helpful_beside_them(harness: Harness) -> None:
    _, row = post_draft(harness, ROUTINE_DRAFT)
    blocks = harness.fake.last("chat.postMessage").params["blocks"]
    menus = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "overflow"]
    assert menus
    assert {m["options"][0]["value"] for m in menus} == {
        feedback_value(row.id, rule) for rule in row.rule_ids[: len(menus)]
    }


@pytest.mark.parametrize("value", ["999999", "not-a-number", ""])
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
    h.click(ids.ACTION_MARK_ROUTINE, str(row.id))  # the click comes from T0001
    assert h.ephemeral_texts() == [STALE]
    with h.deps.session_factory() as session:
        assert session.get(CoachingReview, row.id).outcome == "pending"


def test_unknown_action_ids_get_a_kind_answer(harness: Harness) -> None:
    response = harness.click("button_from_2019", "1")
    assert response.status == 200
    assert harness.ephemeral_texts() == [STALE]


def test_editing_the_draft_updates_the_reply_in_place(harness: Harness) -> None:
    body, row = post_draft(harness, ROUTINE_DRAFT)
    ts = body["event"]["ts"]
    edit = event_body(
        "message_changed",
        event={
            "channel": "C0001",
            "message": {"text": STRATEGIC_DRAFT, "ts": ts, "user": "U0001"},
            "previous_message": {"text": ROUTINE_DRAFT, "ts": ts, "user": "U0001"},
        },
    )
    assert harness.dispatch(edit).status == 200
    assert harness.dispatch(edit, headers={"X-Slack-Retry-Num": "1"}).status == 200
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    (update,) = harness.fake.calls_to("chat.update")
    assert update.params["ts"] == row.reply_ts
    assert update.params["channel"] == "C0001"
    assert EDITED_NOTE in json.dumps(update.params["blocks"])
    with harness.deps.session_factory() as session:
        updated = session.get(CoachingReview, row.id)
        assert updated.verdict == "strategic"
        assert updated.draft_text == STRATEGIC_DRAFT


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
    edit = event_body(
        "message_changed",
        event={
            "message": {"text": ROUTINE_DRAFT, "ts": ts, "user": "U0001"},
            "previous_message": {"text": "answer support emails", "ts": ts, "user": "U0001"},
        },
    )
    harness.dispatch(edit)
    (reply,) = harness.fake.calls_to("chat.postMessage")
    assert reply.params["thread_ts"] == ts


def test_without_stored_text_the_draft_is_read_back_from_slack(
    db: Database, fake_slack: FakeSlack
) -> None:
    h = make_harness(db, fake_slack, keep_draft_text=False)
    ts = fake_slack.add_message("C0001", STRATEGIC_DRAFT)
    _, row = post_draft(h, STRATEGIC_DRAFT, ts=ts)
    assert row.draft_text is None
    h.click(ids.ACTION_SAVE_AS_OKR, str(row.id))
    assert fake_slack.last("conversations.replies").params["ts"] == ts
    assert fake_slack.calls_to("views.open")

    fake_slack.fail("conversations.replies", error="thread_not_found")
    h.click(ids.ACTION_SHOW_REWRITE, str(row.id))
    assert h.ephemeral_texts()[-1] == TEXT_GONE
