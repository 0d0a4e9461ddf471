"""Channel drafts through a real Bolt app: signed request in, threaded reply out, row stored."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.models import CoachingReview, ProcessedEvent, Workspace
from bot.wsgi import OkrCoachWsgi
from coaching import review_draft
from coaching.messages import UNSURE_QUESTION
from handlers.blocks import ROUTINE_NOTE
from handlers.public_blocks import ROUTINE_LEAD
from tests.app_fixtures import Harness, make_harness
from tests.coaching.fixed_model import FixedModel
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.reply_text import CERTAINTY, RULE_ID, primary_count, text_lines, word_count
from tests.slack_requests import BOT_USER_ID, event_body, message_event_body, sign
from tests.wsgi_client import call_wsgi

DRAFT = "Objective: Answer every support email within 24 hours"


def reviews(h: Harness) -> list[CoachingReview]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(CoachingReview).order_by(CoachingReview.id)))


def replies(h: Harness) -> list[Any]:
    return h.fake.calls_to("chat.postMessage")


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_a_prefixed_draft_gets_a_threaded_review_and_is_stored(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    event = body["event"]

    response = harness.dispatch(body)

    assert response.status == 200
    (call,) = replies(harness)
    assert call.params["channel"] == event["channel"]
    assert call.params["thread_ts"] == event["ts"]
    assert call.params["text"] == ROUTINE_LEAD
    assert call.params["metadata"]["event_payload"] == {"review_id": reviews(harness)[0].id}
    (row,) = reviews(harness)
    assert (row.slack_team_id, row.slack_user_id, row.slack_channel_id, row.message_ts) == (
        body["team_id"],
        event["user"],
        event["channel"],
        event["ts"],
    )
    assert row.verdict == "routine"
    assert row.draft_text == DRAFT
    assert row.reply_ts == call.response["ts"]
    assert row.created_at is not None


def test_when_the_coach_is_not_sure_the_reply_asks_instead_of_judging(
    db: Database, fake_slack: FakeSlack
) -> None:
    """A draft the learned layer is unsure about gets a question, not a verdict."""
    unsure = FixedModel(0.64)
    h = make_harness(db, fake_slack, coach=lambda text: review_draft(text, model=unsure))  # type: ignore[arg-type]
    body = message_event_body("Objective: Revamp how partners hear about new releases")

    assert h.dispatch(body).status == 200

    (call,) = replies(h)
    assert call.params["text"] == UNSURE_QUESTION
    shown = blocks_text(call.params["blocks"])
    assert UNSURE_QUESTION in shown
    assert ROUTINE_NOTE not in shown and "very sure" not in shown
    (row,) = reviews(h)
    assert row.verdict == "strategic"


PUBLIC_DRAFTS = {
    "routine": ("Objective: Answer support emails within 24h", None),
    "strategic": (
        "Objective: Make onboarding effortless for new teams\n"
        "KR1: Raise weekly active teams from 120 to 300 by end of Q4\n"
        "KR2: Improve NPS\n"
        "KR3: Launch the new wizard",
        None,
    ),
    "unsure": ("Objective: Revamp how partners hear about new releases", FixedModel(0.64)),
    "several": (
        "Objective: Answer tickets\nObjective: Grow revenue in Europe from 1M to 2M\n"
        "Objective: Attend the weekly sync",
        None,
    ),
}


@pytest.mark.parametrize("kind", PUBLIC_DRAFTS)
def test_the_threaded_reply_is_short_and_says_nothing_internal_in_public(
    db: Database, fake_slack: FakeSlack, kind: str
) -> None:
    """Measured at the fake Slack: what the author's colleagues read in the thread."""
    text, model = PUBLIC_DRAFTS[kind]
    h = make_harness(db, fake_slack, coach=lambda t: review_draft(t, model=model))  # type: ignore[arg-type]
    assert h.dispatch(message_event_body(text)).status == 200

    (call,) = replies(h)
    blocks = call.params["blocks"]
    lines = text_lines(blocks)
    assert len(lines) <= 6, lines
    assert word_count(blocks) <= 60, lines
    shown = "\n".join([call.params["text"], *lines])
    assert RULE_ID.search(shown) is None
    assert "not an OKR" not in shown and "routine" not in shown.lower()
    assert CERTAINTY.search(shown.replace(UNSURE_QUESTION, "")) is None
    assert primary_count(blocks) == 1
    if kind == "unsure":
        assert call.params["text"] == UNSURE_QUESTION


def test_slack_retries_of_the_same_event_never_reply_twice(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    assert harness.dispatch(body).status == 200
    for attempt in (1, 2, 3):
        retry = harness.dispatch(
            body,
            headers={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"},
        )
        assert retry.status == 200
    assert len(replies(harness)) == 1
    assert len(reviews(harness)) == 1


def test_duplicate_delivery_with_a_new_event_id_of_the_same_message_is_ignored(
    harness: Harness,
) -> None:
    """A mention arrives as `message` and as `app_mention`, each with its own event id."""
    text = f"<@{BOT_USER_ID}> Grow paying teams from 40 to 90 this quarter"
    message = message_event_body(text)
    mention = event_body(
        "app_mention",
        event={"text": text, "ts": message["event"]["ts"], "channel": message["event"]["channel"]},
    )
    assert harness.dispatch(message).status == 200
    assert harness.dispatch(mention).status == 200
    assert len(replies(harness)) == 1
    with harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2


@pytest.mark.parametrize(
    "event",
    [
        {"text": "lunch anyone?"},
        {"text": DRAFT, "subtype": "bot_message", "bot_id": "B9"},
        {"text": DRAFT, "user": BOT_USER_ID},
        {"text": DRAFT, "thread_ts": "1600000000.000001"},
        {"text": "", "files": []},
        {"text": "   \n  "},
    ],
    ids=["chatter", "bot", "self", "thread", "empty", "whitespace"],
)
def test_ignored_messages_get_a_quiet_200(harness: Harness, event: dict[str, Any]) -> None:
    assert harness.dispatch(message_event_body(**event)).status == 200
    assert replies(harness) == []
    assert reviews(harness) == []


def test_edits_are_acknowledged_and_not_reviewed_as_new_drafts(harness: Harness) -> None:
    body = event_body("message_changed")
    assert harness.dispatch(body).status == 200
    assert replies(harness) == []


@pytest.mark.parametrize(
    "kind", ["app_home_opened", "app_uninstalled", "tokens_revoked", "message_changed"]
)
def test_every_subscribed_event_gets_a_2xx(harness: Harness, kind: str) -> None:
    assert harness.dispatch(event_body(kind)).status == 200


def test_unknown_event_types_get_a_2xx(harness: Harness) -> None:
    body = event_body("message")
    body["event"] = {"type": "brand_new_event", "event_ts": "1.2"}
    assert harness.dispatch(body).status == 200
    assert harness.fake.calls_to("chat.postMessage") == []


def test_url_verification_echoes_the_challenge(harness: Harness) -> None:
    response = harness.dispatch(event_body("url_verification"))
    assert response.status == 200
    assert "challenge" in response.body


def test_forged_signature_is_refused(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    response = harness.dispatch(body, headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert response.status == 401
    assert replies(harness) == [] and reviews(harness) == []


def test_stale_timestamp_is_refused(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    response = harness.dispatch(body, timestamp=int(time.time()) - 6 * 60)
    assert response.status == 401
    assert replies(harness) == []


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("{not json", 400),
        ('{"type": "event_callback", "event": "nope"}', 400),
        # A message event without its fields: nothing to do, and nothing to retry.
        ('{"type": "event_callback", "team_id": "T0001", "event": {"type": "message"}}', 200),
        # Bolt reads a body that is not a JSON object as an empty form: no request at all.
        ("[]", 404),
        ("null", 404),
        ('"text"', 404),
        ("payload=%7Bbroken", 400),
        ("payload=[]", 400),
        ("\udcff garbage", 400),
    ],
)
def test_malformed_signed_bodies_get_a_no_retry_4xx_or_a_quiet_200(
    harness: Harness, raw: str, status: int
) -> None:
    wsgi = OkrCoachWsgi(harness.app, harness.deps)
    data = raw.encode("utf-8", "surrogateescape")
    response = call_wsgi(wsgi, "POST", "/slack/events", data, sign(data.decode("latin-1")))
    assert response.status == status, response.body
    # Slack retries what failed; a request that can never succeed must say so once.
    assert response.headers.get("x-slack-no-retry") == ("1" if status >= 400 else None)
    assert replies(harness) == []


@pytest.mark.parametrize(
    "text",
    [
        "Objective: " + "Grow the business with our customers. " * 1100,  # ~40,000 characters
        "Objective: 🚀🚀 Make our customers 😍 the product",
        "Objective: Сделать онбординг быстрее для всех команд",
        "Objective: 让新用户在第一周内成功上手",
        "Objective: *Grow* <#C1|general> with <@U123> and <https://x.example|the plan> _now_",
    ],
    ids=["40k", "emoji", "cyrillic", "cjk", "markup"],
)
def test_any_draft_text_gets_a_valid_reply(harness: Harness, text: str) -> None:
    assert harness.dispatch(message_event_body(text[:40_000])).status == 200
    (call,) = replies(harness)  # the fake checks the blocks against Slack's limits
    assert len(call.params["blocks"]) <= 50
    assert len(reviews(harness)) == 1


def test_broadcasts_in_the_draft_are_never_echoed_live(harness: Harness) -> None:
    harness.dispatch(message_event_body("Objective: <!channel> grow @here <!subteam^S1|@devs>"))
    (call,) = replies(harness)
    sent = call.params["text"] + blocks_text(call.params["blocks"])
    for live in ("<!channel>", "<!here>", "<!subteam", "@here"):
        assert live not in sent


def test_workspace_can_keep_only_verdicts(db: Database, fake_slack: FakeSlack) -> None:
    h = make_harness(db, fake_slack, keep_draft_text=False)
    h.dispatch(message_event_body(DRAFT))
    (row,) = reviews(h)
    assert row.draft_text is None
    assert row.verdict in {"routine", "strategic"}
    assert isinstance(row.rule_ids, list)
    with h.deps.session_factory() as session:
        workspace = session.scalars(select(Workspace)).one()
    assert workspace.keep_draft_text is False


def test_okr_channels_review_unprefixed_messages(db: Database, fake_slack: FakeSlack) -> None:
    h = make_harness(db, fake_slack, okr_channel_ids=frozenset({"C0001"}))
    h.dispatch(message_event_body("Grow paying teams from 40 to 90 this quarter"))
    assert len(replies(h)) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_permanent_slack_errors_are_not_retried(harness: Harness, error: str) -> None:
    harness.fake.fail("chat.postMessage", error=error, times=5)
    body = message_event_body(DRAFT)
    assert harness.dispatch(body).status == 200
    assert harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    assert len(harness.fake.calls_to("chat.postMessage")) == 1


def test_transient_failure_lets_slacks_retry_reply_once(harness: Harness) -> None:
    harness.fake.http_error("chat.postMessage", status=500, times=1)
    body = message_event_body(DRAFT)
    first = harness.dispatch(body)
    assert first.status == 500
    assert reviews(harness) == []
    retry = harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"})
    assert retry.status == 200
    delivered = [c for c in harness.fake.calls_to("chat.postMessage") if c.ok]
    assert len(delivered) == 1
    (row,) = reviews(harness)
    assert row.reply_ts == delivered[0].response["ts"]
