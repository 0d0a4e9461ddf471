"""Slack misbehaves: rate limits, dead tokens, timeouts. Logged with context, nothing lost."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from bot.models import CoachingReview, ProcessedEvent
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack_requests import message_event_body

DRAFT = "Objective: Answer every support email within 24 hours"


def rows(h: Harness) -> list[CoachingReview]:
    with h.deps.session_factory() as session:
        return list(session.scalars(select(CoachingReview)))


def test_a_rate_limited_reply_is_retried_after_retry_after(harness: Harness) -> None:
    harness.fake.rate_limit("chat.postMessage", retry_after=1, times=1)
    assert harness.dispatch(message_event_body(DRAFT)).status == 200
    calls = harness.fake.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    (row,) = rows(harness)
    assert row.reply_ts == calls[-1].response["ts"]


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive", "token_revoked"])
def test_a_dead_token_is_logged_and_not_retried(
    harness: Harness, error: str, caplog: pytest.LogCaptureFixture
) -> None:
    harness.fake.fail("chat.postMessage", error=error, times=3)
    body = message_event_body(DRAFT)
    with caplog.at_level(logging.WARNING):
        assert harness.dispatch(body).status == 200
        assert harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    record = next(r for r in caplog.records if error in r.getMessage())
    assert getattr(record, "team_id", None) == "T0001"
    with harness.deps.session_factory() as session:
        claim = session.scalars(select(ProcessedEvent)).one()
    assert claim.completed_at is not None


def test_a_timeout_is_logged_and_slacks_retry_replies_once(
    db: Database, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    h = make_harness(db, fake_slack, slack_timeout=1)
    fake_slack.delay("chat.postMessage", 2.5)
    body = message_event_body(DRAFT)
    with caplog.at_level(logging.ERROR):
        assert h.dispatch(body).status == 500  # Slack will retry this delivery
    assert "listener failed" in caplog.text
    assert rows(h) == []

    fake_slack.delay("chat.postMessage", 0)
    assert h.dispatch(body, headers={"X-Slack-Retry-Num": "1"}).status == 200
    (row,) = rows(h)
    assert row.reply_ts is not None
    answered = [c for c in fake_slack.calls_to("chat.postMessage") if c.ok]
    assert row.reply_ts in {c.response["ts"] for c in answered}


def test_slow_event_listeners_never_delay_a_slash_command_ack(
    db: Database, fake_slack: FakeSlack
) -> None:
    """Twenty drafts stuck on a slow Slack do not make /okr miss its 3-second ack."""
    h = make_harness(db, fake_slack, process_before_response=False)
    fake_slack.delay("chat.postMessage", 3.0)
    for _ in range(20):
        assert h.dispatch(message_event_body(DRAFT)).status == 200
    fake_slack.wait_for("chat.postMessage", count=20, timeout=10)  # all twenty in flight

    started = time.monotonic()
    response = h.command("help")
    elapsed = time.monotonic() - started

    assert response.status == 200
    assert elapsed < 1.0, f"/okr took {elapsed:.2f}s to be acknowledged"
    fake_slack.wait_for("response_url", timeout=5)
    # Let the slow listeners finish before the fake and the database go away.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and sum(r.reply_ts is not None for r in rows(h)) < 20:
        time.sleep(0.05)
    assert sum(r.reply_ts is not None for r in rows(h)) == 20
