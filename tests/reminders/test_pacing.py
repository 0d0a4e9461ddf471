"""Token buckets and workspace-wide pauses, in fake time."""

from __future__ import annotations

import threading

from bot.pacing import Rate, WorkspacePacer
from tests.reminders.helpers import FakeTime


def test_calls_are_spread_at_the_configured_rate_after_the_burst() -> None:
    time = FakeTime()
    pacer = WorkspacePacer(
        "T1", {"chat.postMessage": Rate(60, 3)}, monotonic=time.monotonic, sleep=time.sleep
    )
    start = time.now
    for _ in range(13):
        pacer.acquire("chat.postMessage")
    # 3 at once, then one a second.
    assert round(time.now - start, 6) == 10.0


def test_a_429_pauses_every_thread_of_the_workspace() -> None:
    time = FakeTime()
    pacer = WorkspacePacer(
        "T1", {"chat.postMessage": Rate(600, 10)}, monotonic=time.monotonic, sleep=time.sleep
    )
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
    pacer = WorkspacePacer("T1", {}, monotonic=time.monotonic, sleep=time.sleep)
    pacer.acquire("views.open")
    assert time.slept == []
    pacer.throttled("views.open", 5)
    pacer.acquire("views.open")
    assert time.now >= 1005
