"""Talking to the bot: DMs are a conversation, and a mention in a thread is answered there."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.draft_replies import REVIEW_METADATA_EVENT, DraftReplies
from bot.drafts import DraftMessage, DraftService
from bot.event_claims import LEASE
from bot.models import CoachingReview
from bot.slack_client import create_web_client
from handlers.conversation_blocks import HELLO
from handlers.events import renderers
from handlers.public_blocks import ROUTINE_LEAD
from tests.app_fixtures import Harness
from tests.faults.test_worker_death import WorkerDied, dying_replies
from tests.reply_text import text_lines
from tests.slack_requests import BOT_USER_ID, event_body, message_event_body

DM = "D0001"
DRAFT = "Objective: Answer every support email within 24 hours"
PARENT = "1700000000.000100"


def dm(text: str, **event: Any) -> dict[str, Any]:
    return message_event_body(text, channel=DM, channel_type="im", **event)


def posts(h: Harness) -> list[Any]:
    return h.fake.calls_to("chat.postMessage")


def stored(h: Harness) -> list[CoachingReview]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(CoachingReview)))


@pytest.mark.parametrize("text", ["help", "hi", "hello", "thanks", "?", "Thank you!", "hey :wave:"])
def test_small_talk_in_a_dm_gets_a_friendly_help_answer_not_a_review(
    harness: Harness, text: str
) -> None:
    body = dm(text)
    assert harness.dispatch(body).status == 200
    assert harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    (answer,) = posts(harness)
    assert answer.params["channel"] == DM
    assert "thread_ts" not in answer.params
    assert answer.params["text"] == HELLO
    assert stored(harness) == []


def test_a_draft_in_a_dm_is_answered_in_the_dm_itself(harness: Harness) -> None:
    assert harness.dispatch(dm(DRAFT)).status == 200
    (reply,) = posts(harness)
    assert reply.params["channel"] == DM
    assert "thread_ts" not in reply.params
    assert reply.params["text"] == ROUTINE_LEAD
    assert len(text_lines(reply.params["blocks"])) <= 6
    (row,) = stored(harness)
    assert reply.params["metadata"]["event_payload"] == {"review_id": row.id}
    assert row.reply_ts == reply.response["ts"]


def test_an_edited_dm_draft_updates_the_answer_in_place(harness: Harness) -> None:
    body = dm("Objective: Attend the weekly sync")
    harness.dispatch(body)
    ts = body["event"]["ts"]
    edit = event_body(
        "message_changed",
        event={
            "channel": DM,
            "channel_type": "im",
            "message": {"text": DRAFT, "ts": ts, "user": "U0001"},
            "previous_message": {"text": "Objective: Attend the weekly sync", "ts": ts},
        },
    )
    assert harness.dispatch(edit).status == 200
    (update,) = harness.fake.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (DM, stored(harness)[0].reply_ts)


def mention_in_thread(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same mention as Slack delivers it twice: a `message` and an `app_mention`."""
    message = message_event_body(f"<@{BOT_USER_ID}> {text}", thread_ts=PARENT)
    event = message["event"]
    mention = event_body(
        "app_mention",
        event={"text": event["text"], "ts": event["ts"], "thread_ts": PARENT, "channel": "C0001"},
    )
    return message, mention


def test_a_mention_inside_a_thread_is_answered_in_that_thread_once(harness: Harness) -> None:
    message, mention = mention_in_thread(DRAFT)
    assert harness.dispatch(mention).status == 200
    assert harness.dispatch(message).status == 200
    (reply,) = posts(harness)
    assert (reply.params["channel"], reply.params["thread_ts"]) == ("C0001", PARENT)
    assert reply.params["text"] == ROUTINE_LEAD
    (row,) = stored(harness)
    assert row.message_ts == message["event"]["ts"]


def test_small_talk_mentioning_the_bot_in_a_thread_gets_help_there_once(
    harness: Harness,
) -> None:
    message, mention = mention_in_thread("thanks!")
    harness.dispatch(message)
    harness.dispatch(mention)
    (answer,) = posts(harness)
    assert (answer.params["thread_ts"], answer.params["text"]) == (PARENT, HELLO)
    assert stored(harness) == []


def test_a_thread_reply_without_a_mention_stays_unanswered(harness: Harness) -> None:
    assert harness.dispatch(message_event_body(DRAFT, thread_ts=PARENT)).status == 200
    assert posts(harness) == []


@pytest.mark.parametrize(
    ("where", "look_up"),
    [
        ({"channel_id": DM, "in_dm": True}, "conversations.history"),
        ({"channel_id": "C0001", "thread_ts": PARENT}, "conversations.replies"),
    ],
    ids=["dm", "thread"],
)
def test_a_reply_posted_by_a_worker_that_died_is_found_where_it_was_posted(
    harness: Harness, where: dict[str, Any], look_up: str
) -> None:
    message = DraftMessage(
        team_id="T0001",
        user_id="U0001",
        ts="1700000001.000200",
        text=DRAFT,
        event_id="Ev-died",
        **where,
    )
    started = DraftService(harness.deps).begin(message)
    assert started is not None
    client = create_web_client(harness.deps.settings)
    with pytest.raises(WorkerDied):
        dying_replies(harness.deps).post_review(message, started, client)
    (first,) = posts(harness)
    assert first.params.get("thread_ts") == where.get("thread_ts")
    assert first.params["metadata"]["event_type"] == REVIEW_METADATA_EVENT

    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 1
    assert len(posts(harness)) == 1  # found, not posted again
    assert harness.fake.calls_to(look_up)
    (row,) = stored(harness)
    assert row.reply_ts == first.response["ts"]
