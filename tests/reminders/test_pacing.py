"""Token buckets and workspace-wide pauses, in fake time."""

from __future__ import annotations

import threading

import pytest

from bot.pacing import RECOVERY_SECONDS, SLOWEST, Rate, Timing, WorkspacePacer
from tests.reminders.helpers import FakeTime


def test_calls_are_spread_at_the_configured_rate_after_the_burst() -> None:
    time = FakeTime()
    pacer = WorkspacePacer("T1", {"chat.postMessage": Rate(60, 3)}, timing=time.timing)
    start = time.now
    for _ in range(13):
        pacer.acquire("chat.postMessage")
    # 3 at once, then one a second.
    assert round(time.now - start, 6) == 10.0


def test_a_429_pauses_every_thread_of_the_workspace() -> None:
    time = FakeTime()
    pacer = WorkspacePacer("T1", {"chat.postMessage": Rate(600, 10)}, timing=time.timing)
    pacer.throttled("chat.postMessage", 30)
    start = time.now
    done: list[float] = []

    def call() -> None:
        pacer.acquire("chat.postMessage")
        done.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 4 and min(done) >= start + 30
    assert pacer.rate_limited == 1


def test_unpaced_methods_still_honour_a_pause() -> None:
    time = FakeTime()
    pacer = WorkspacePacer("T1", {}, timing=time.timing)
    pacer.acquire("views.open")
    assert time.slept == []
    pacer.throttled("views.open", 5)
    pacer.acquire("views.open")
    assert time.now >= 1005


def test_a_429_halves_the_pace_which_then_recovers_while_slack_is_quiet() -> None:
    time = FakeTime()
    pacer = WorkspacePacer("T1", {"chat.postMessage": Rate(60, 1)}, timing=time.timing)
    assert pacer.pace("chat.postMessage") == 60

    pacer.throttled("chat.postMessage", 10)

    assert pacer.pace("chat.postMessage") == 30
    start = time.now
    pacer.acquire("chat.postMessage")  # waits out the pause, then a token at the slower pace
    assert time.now - start >= 10 + 2 - 1e-6
    time.sleep(RECOVERY_SECONDS / 2)  # quiet: back to the published rate
    assert pacer.pace("chat.postMessage") == 60
    before = time.now
    for _ in range(3):
        pacer.acquire("chat.postMessage")
    assert round(time.now - before, 6) == 2.0  # one a second again (one token was waiting)


def test_repeated_429s_slow_down_to_a_floor_not_to_a_halt() -> None:
    time = FakeTime()
    pacer = WorkspacePacer("T1", {"conversations.open": Rate(50, 3)}, timing=time.timing)
    for _ in range(10):
        pacer.throttled("conversations.open", 1)
    assert pacer.pace("conversations.open") == pytest.approx(50 * SLOWEST)
    assert pacer.rate_limited == 10


def test_posts_to_one_channel_are_a_second_apart_and_other_channels_do_not_wait() -> None:
    time = FakeTime()
    pacer = WorkspacePacer(
        "T1",
        {"chat.postMessage": Rate(600, 10)},
        per_channel={"chat.postMessage": Rate(60, 1)},
        timing=time.timing,
    )
    start = time.now
    for channel in ("D1", "D2", "D3"):
        pacer.acquire("chat.postMessage", channel)
    assert time.now == start
    for _ in range(2):
        pacer.acquire("chat.postMessage", "D1")
    assert time.now == start + 2


def test_a_time_scale_compresses_the_pace_not_the_pause() -> None:
    """Benchmarks: the stand-in Slack's minute lasts a second; Retry-After stays real."""
    time = FakeTime()
    pacer = WorkspacePacer(
        "T1",
        {"chat.postMessage": Rate(300, 1)},
        timing=Timing(time.monotonic, time.sleep, scale=60),
    )
    start = time.now
    for _ in range(301):
        pacer.acquire("chat.postMessage")
    assert round(time.now - start, 6) == 1.0
    assert pacer.pace("chat.postMessage") == 300
    pacer.throttled("chat.postMessage", 2)
    before = time.now
    pacer.acquire("chat.postMessage")
    assert time.now - before >= 2
