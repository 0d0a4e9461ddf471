"""A worker dies mid-draft: Slack's retry or the sweeper finishes it, with exactly one reply."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.deps import Deps
from bot.draft_replies import REVIEW_METADATA_EVENT, DraftReplies
from bot.drafts import DraftMessage, DraftService
from bot.event_claims import LEASE, EventClaims
from bot.models import CoachingReview, ProcessedEvent
from bot.post_pace import Pace, ReplyPace
from bot.slack_client import create_web_client
from handlers.events import renderers
from tests.app_fixtures import Harness
from tests.fakeslack import FakeSlack
from tests.netproxy import TcpProxy
from tests.slack_requests import message_event_body, post_signed
from tests.wire.test_over_the_wire import free_port, procfile_command, running, server_env

DRAFT = "Objective: Answer every support email within 24 hours"


def as_message(body: dict) -> DraftMessage:
    event = body["event"]
    return DraftMessage(
        team_id=body["team_id"],
        channel_id=event["channel"],
        user_id=event["user"],
        ts=event["ts"],
        text=event["text"],
        event_id=body["event_id"],
    )


def counts(h: Harness) -> tuple[int, int]:
    with h.deps.session_factory() as session:
        reviews = session.scalar(select(func.count()).select_from(CoachingReview)) or 0
        replied = (
            session.scalar(
                select(func.count())
                .select_from(CoachingReview)
                .where(CoachingReview.reply_ts.is_not(None))
            )
            or 0
        )
    return reviews, replied


def test_died_after_the_claim_the_sweeper_finishes_it_once(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    assert DraftService(harness.deps).begin(as_message(body))  # ...and the worker dies here

    # Slack's immediate retry finds the claim still leased: no second worker piles in.
    harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"})
    assert harness.fake.calls_to("chat.postMessage") == []

    client = create_web_client(harness.deps.settings)
    assert (
        DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 0
    )  # lease still running
    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 1
    assert DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 0
    harness.dispatch(body, headers={"X-Slack-Retry-Num": "2"})

    (reply,) = harness.fake.calls_to("chat.postMessage")
    assert reply.params["thread_ts"] == body["event"]["ts"]
    assert counts(harness) == (1, 1)
    with harness.deps.session_factory() as session:
        claim = session.scalars(select(ProcessedEvent)).one()
    assert claim.completed_at is not None and claim.payload is None


def test_died_after_storing_the_review_a_late_retry_takes_it_over(harness: Harness) -> None:
    body = message_event_body(DRAFT)
    assert DraftService(harness.deps).begin(as_message(body)) is not None  # dies before posting
    harness.dispatch(body, headers={"X-Slack-Retry-Num": "1"})
    assert harness.fake.calls_to("chat.postMessage") == []

    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    harness.dispatch(body, headers={"X-Slack-Retry-Num": "2"})
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    assert counts(harness) == (1, 1)


class WorkerDied(BaseException):
    """Stands in for SIGKILL between Slack's answer and the database write."""


class DiesBeforeRecording(DraftService):
    def finish(self, *args: object, **kwargs: object) -> None:
        raise WorkerDied


def dying_replies(deps: Deps) -> DraftReplies:
    """The draft path with a worker that dies after Slack accepted the reply."""
    replies = DraftReplies(deps, renderers())
    replies.service = DiesBeforeRecording(deps)
    return replies


def test_died_after_slack_accepted_the_reply_the_sweeper_records_it_once(
    harness: Harness,
) -> None:
    body = message_event_body(DRAFT)
    message = as_message(body)
    started = DraftService(harness.deps).begin(message)
    assert started is not None
    client = create_web_client(harness.deps.settings)
    with pytest.raises(WorkerDied):
        dying_replies(harness.deps).post_review(message, started, client)
    (first,) = harness.fake.calls_to("chat.postMessage")
    assert first.params["metadata"]["event_type"] == REVIEW_METADATA_EVENT
    assert counts(harness) == (1, 0)  # Slack has the reply; the database never heard

    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 1

    assert len(harness.fake.calls_to("chat.postMessage")) == 1  # found, not posted again
    assert harness.fake.last("conversations.replies").params["ts"] == body["event"]["ts"]
    with harness.deps.session_factory() as session:
        review = session.scalars(select(CoachingReview)).one()
        claim = session.scalars(select(ProcessedEvent)).one()
    assert review.reply_ts == first.response["ts"]
    assert claim.completed_at is not None


def test_a_resumed_draft_whose_thread_cannot_be_read_is_still_answered(
    harness: Harness,
) -> None:
    body = message_event_body(DRAFT)
    assert DraftService(harness.deps).begin(as_message(body)) is not None  # dies before posting
    harness.fake.fail("conversations.replies", "ratelimited")
    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    client = create_web_client(harness.deps.settings)
    assert DraftReplies(harness.deps, renderers()).redrive_stale(lambda team: client) == 1
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    assert counts(harness) == (1, 1)


def test_the_usual_path_never_reads_the_thread(harness: Harness) -> None:
    harness.dispatch(message_event_body(DRAFT))
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    assert harness.fake.calls_to("conversations.replies") == []


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@pytest.mark.postgres
def test_a_worker_killed_mid_request_replies_exactly_once_after_slacks_retry(
    postgres_migrated_url: str, fake_slack: FakeSlack
) -> None:
    url = make_url(postgres_migrated_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    port = free_port()
    env = server_env(fake_slack, proxied, port) | {"WEB_CONCURRENCY": "1"}
    events_url = f"http://127.0.0.1:{port}/slack/events"
    body = message_event_body(DRAFT)
    try:
        with running(procfile_command("web"), env, port):
            master = int(
                subprocess.check_output(["pgrep", "-f", "-o", f"0.0.0.0:{port}"]).split()[0]
            )
            (worker,) = _worker_pids(master)
            proxy.pause()  # the worker's next query hangs: it is mid-request
            outcome: dict[str, object] = {}

            def deliver() -> None:
                try:
                    outcome["status"] = post_signed(events_url, body, timeout=30)[0]
                except OSError as error:  # the connection dies with the worker
                    outcome["status"] = type(error).__name__

            sender = threading.Thread(target=deliver)
            sender.start()
            time.sleep(0.5)  # let the request reach the stuck query
            os.kill(worker, signal.SIGKILL)
            sender.join(timeout=30)
            assert outcome.get("status") != 200  # Slack saw a failure and will retry
            proxy.resume()

            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and _worker_pids(master) in ([], [worker]):
                time.sleep(0.1)
            status = 0
            while time.monotonic() < deadline and status != 200:
                status, _, _ = post_signed(
                    events_url, body, extra_headers={"X-Slack-Retry-Num": "1"}
                )
                time.sleep(0.1)
            assert status == 200
            fake_slack.wait_for("chat.postMessage", timeout=15)
            time.sleep(0.5)  # a duplicate, if any, would arrive now
    finally:
        proxy.close()
    replies = fake_slack.calls_to("chat.postMessage", thread_ts=body["event"]["ts"])
    assert len(replies) == 1


def test_the_clock_job_sweeps_abandoned_drafts_and_prunes_old_claims(harness: Harness) -> None:
    import bot.jobs
    from bot.reminders import ReminderConfig
    from handlers.checkin_blocks import reminder_renderers
    from tests.reminders.tokens import StaticTokens

    body = message_event_body(DRAFT)
    assert DraftService(harness.deps).begin(as_message(body)) is not None  # the worker dies
    bot.jobs.install(
        bot.jobs.Runtime(
            harness.deps,
            StaticTokens({"T0001": "xoxb-test"}),
            ReminderConfig(),
            reminder_renderers(),
            renderers(),
        )
    )
    harness.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert bot.jobs.sweep_drafts() == 1
    assert len(harness.fake.calls_to("chat.postMessage")) == 1

    harness.clock.advance(days=8)
    bot.jobs.sweep_drafts()
    with harness.deps.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
    assert counts(harness) == (1, 1)  # the review itself stays


def test_a_reply_queued_behind_a_long_burst_keeps_its_claim_while_it_waits(
    harness: Harness,
) -> None:
    """A hundred drafts ahead in one channel is 110 s of waiting, longer than the claim's
    lease: the claim must be kept before the wait starts, or the sweeper would take the
    draft over mid-wait and answer it a second time."""
    message = as_message(message_event_body(DRAFT))
    started = DraftService(harness.deps).begin(message)
    assert started is not None
    seconds = [time.time()]
    seen_by_sweeper: list[list[str]] = []

    def sleep(wait: float) -> None:
        # What the sweeper finds at the end of this wait, had the worker only slept.
        harness.clock.advance(seconds=wait)
        seconds[0] += wait
        stale = EventClaims(harness.deps.session_factory).stale(harness.clock())
        seen_by_sweeper.append([claim.event_id for claim in stale])

    pace = ReplyPace(
        harness.deps.engine_for_drafts(), Pace(1.1, 300), now=lambda: seconds[0], sleep=sleep
    )
    for _ in range(100):
        pace.queue(message.team_id, message.channel_id)
    replies = DraftReplies(harness.deps, renderers(), pace=pace)

    replies.post_review(message, started, create_web_client(harness.deps.settings))

    assert seen_by_sweeper and all(found == [] for found in seen_by_sweeper)
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    assert counts(harness) == (1, 1)
