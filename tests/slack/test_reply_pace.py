"""A burst of drafts in one channel is answered at the pace Slack allows: every one, once.

The fake Slack enforces a per-channel limit like Slack's (one message per simulated second
for chat.postMessage) and answers 429 past it. Time is compressed (a simulated second is
0.1 real seconds here) and the bot's pace is set to match, so a burst of a dozen drafts
takes about a second. Margins are generous: what is asserted is order and counts, and that
no reply went faster than the limit, never how fast the machine is.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.models import CoachingReview, ProcessedEvent
from tests.app_fixtures import Harness, make_harness
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack_requests import message_event_body

REAL_SECONDS_PER_SLACK_SECOND = 0.1


def paced(db: Database, fake: FakeSlack, *, seconds: float, per_minute: int = 60_000) -> Harness:
    fake.time_scale = 1 / REAL_SECONDS_PER_SLACK_SECOND
    # Slack tolerates a short burst: a reply that left on time but arrived a hair early.
    fake.set_channel_rate_limit("chat.postMessage", per_minute=60, burst=2)
    return make_harness(db, fake, reply_seconds_per_channel=seconds, replies_per_minute=per_minute)


def burst(harnesses: list[Harness], bodies: list[dict[str, Any]]) -> list[int]:
    """Deliver every body at once, from as many threads, spread over the harnesses."""
    statuses: list[int] = []
    barrier = threading.Barrier(len(bodies))

    def deliver(n: int) -> None:
        barrier.wait()
        statuses.append(harnesses[n % len(harnesses)].dispatch(bodies[n]).status)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def drafts(n: int, channel: str = "C0001") -> list[dict[str, Any]]:
    return [
        message_event_body(f"Objective: Grow partner revenue in region {i}", channel=channel)
        for i in range(n)
    ]


def replies(fake: FakeSlack) -> list[Any]:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok]


def no_faster_than(calls: list[Any], interval: float) -> bool:
    """No faster than one per ``interval`` but for a burst of two (the first reply may leave
    a little after its turn, bringing the next closer; the fake's 429 count is the exact
    check of the limit)."""
    times = sorted(c.at for c in calls)
    return times[-1] - times[0] >= (len(times) - 2) * interval * 0.9


def stored(h: Harness) -> tuple[int, int]:
    with h.deps.session_factory() as session:
        reviews = session.scalar(select(func.count()).select_from(CoachingReview))
        open_claims = session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.completed_at.is_(None))
        )
    return int(reviews or 0), int(open_claims or 0)


def test_a_burst_in_one_channel_is_answered_in_full_at_the_channel_pace(
    db: Database, fake_slack: FakeSlack
) -> None:
    h = paced(db, fake_slack, seconds=REAL_SECONDS_PER_SLACK_SECOND)
    statuses = burst([h], drafts(12))

    assert statuses == [200] * 12
    answered = replies(fake_slack)
    assert len(answered) == 12
    assert fake_slack.count_429 == 0
    assert no_faster_than(answered, REAL_SECONDS_PER_SLACK_SECOND)
    threads = Counter(c.params["thread_ts"] for c in answered)
    assert len(threads) == 12 and set(threads.values()) == {1}
    assert stored(h) == (12, 0)


def test_two_workers_share_one_pace_through_the_database(
    db: Database, fake_slack: FakeSlack
) -> None:
    first = paced(db, fake_slack, seconds=REAL_SECONDS_PER_SLACK_SECOND)
    second = make_harness(
        db,
        fake_slack,
        reply_seconds_per_channel=REAL_SECONDS_PER_SLACK_SECOND,
        replies_per_minute=60_000,
    )
    statuses = burst([first, second], drafts(10))

    assert statuses == [200] * 10
    answered = replies(fake_slack)
    assert len(answered) == 10 and fake_slack.count_429 == 0
    assert no_faster_than(answered, REAL_SECONDS_PER_SLACK_SECOND)


def test_channels_do_not_wait_for_each_other(db: Database, fake_slack: FakeSlack) -> None:
    h = paced(db, fake_slack, seconds=REAL_SECONDS_PER_SLACK_SECOND)
    bodies = [b for channel in ("C0001", "C0002", "C0003") for b in drafts(4, channel)]
    burst([h], bodies)

    answered = replies(fake_slack)
    assert len(answered) == 12 and fake_slack.count_429 == 0
    by_channel: dict[str, list[Any]] = {}
    for call in answered:
        by_channel.setdefault(call.params["channel"], []).append(call)
    for calls in by_channel.values():
        assert no_faster_than(calls, REAL_SECONDS_PER_SLACK_SECOND)
    # Three channels side by side: well under the 1.2 s that one channel of 12 would take.
    times = sorted(c.at for c in answered)
    assert times[-1] - times[0] < 12 * REAL_SECONDS_PER_SLACK_SECOND


def test_the_workspace_pace_holds_across_channels(db: Database, fake_slack: FakeSlack) -> None:
    # 300 a minute is 5 a second; three channels could go at 10 a second each.
    h = paced(db, fake_slack, seconds=REAL_SECONDS_PER_SLACK_SECOND / 10, per_minute=300)
    bodies = [b for channel in ("C0001", "C0002", "C0003") for b in drafts(3, channel)]
    fake_slack.set_channel_rate_limit("chat.postMessage", per_minute=None)
    burst([h], bodies)

    answered = replies(fake_slack)
    assert len(answered) == 9
    assert no_faster_than(answered, 0.2)


def test_a_429_slows_every_reply_down_and_none_is_lost(
    db: Database, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    # The bot's pace is ten times too fast for this Slack: it must learn from the 429s.
    h = paced(db, fake_slack, seconds=REAL_SECONDS_PER_SLACK_SECOND / 10)
    with caplog.at_level(logging.INFO):
        statuses = burst([h], drafts(3))

    assert statuses == [200] * 3
    assert fake_slack.count_429 >= 1
    answered = replies(fake_slack)
    assert len(answered) == 3
    assert len({c.params["thread_ts"] for c in answered}) == 3
    assert stored(h) == (3, 0)
    slowed = [r for r in caplog.records if "slow down" in r.getMessage()]
    assert slowed and all(r.levelno == logging.WARNING and not r.exc_info for r in slowed)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
