"""Slack's limits in a pass: one retry layer for 429s, calm logs, every post paced (the digest
too), one message a second per channel. Time is fake: nothing here sleeps."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.pacing import RATE_LIMIT_RETRIES
from bot.reminders import FAILED, SENT, ReminderConfig, set_digest_channel
from tests.reminders.helpers import World


def test_a_429_storm_is_retried_in_one_layer_and_logged_without_tracebacks(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.member("U0002", slack_dm_channel_id="DU0002", profile_synced_at=world.clock.now)
    world.fake.rate_limit("chat.postMessage", retry_after=2, times=RATE_LIMIT_RETRIES + 1)

    with caplog.at_level(logging.DEBUG):
        report = world.make_pass().run()

    # One call, retried by the client's handler alone: no second loop multiplying attempts.
    posts = world.fake.calls_to("chat.postMessage")
    assert [c.status for c in posts] == [429] * (RATE_LIMIT_RETRIES + 1)
    assert report.total("rate_limited") == RATE_LIMIT_RETRIES + 1
    # Every wait was Retry-After long, in the pacer's (fake) time.
    assert world.time.slept.count(2.0) >= RATE_LIMIT_RETRIES
    (row,) = world.deliveries()
    assert (row.status, row.last_error) == (FAILED, "ratelimited")
    # Expected: WARNING lines, never an ERROR nor a traceback.
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert any("rate limited on chat.postMessage" in r.getMessage() for r in caplog.records)

    world.advance(minutes=5)  # the delivery's own backoff, then Slack answers again
    world.make_pass().run()
    assert [r.status for r in world.deliveries()] == [SENT]
    assert len(world.dms()) == 1


def test_the_digest_is_paced_like_every_other_post(world: World) -> None:
    # Slack (the fake, in the pacer's fake time) allows one post a minute; so do we.
    world.fake.use_clock(world.time.monotonic)
    world.fake.set_rate_limit("chat.postMessage", 1, burst=1)
    config = ReminderConfig(post_per_minute=1, post_burst=1)
    friday = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
    world.member(
        "U0002",
        slack_dm_channel_id="DU0002",
        profile_synced_at=friday,
        reminder_weekday=4,
        reminder_minute=16 * 60,  # Friday 16:00 in Berlin: due with the digest
    )
    set_digest_channel(world.deps, "T0001", "C0DIGEST")
    world.at(friday)
    start = world.time.now

    report = world.make_pass(config).run()

    assert [c.params["channel"] for c in world.dms()] == ["DU0002", "C0DIGEST"]
    assert report.workspaces[0].digest is True
    assert world.fake.count_429 == 0 and report.total("rate_limited") == 0
    assert world.time.now - start >= 60  # the digest waited for its turn


def test_two_dms_to_one_member_in_one_pass_are_a_second_apart(world: World) -> None:
    world.member("U0002", slack_dm_channel_id="DU0002", profile_synced_at=world.clock.now)
    world.at(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))  # Monday: weekly and grade reminders

    report = world.make_pass().run()

    assert report.total("sent") == 2
    assert [c.params["channel"] for c in world.dms()] == ["DU0002", "DU0002"]
    assert 1.0 in world.time.slept  # the second waited a second for the channel
