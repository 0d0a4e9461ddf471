"""Per-workspace pacing of Web API calls: one token bucket per method, shared by all threads.

Slack's limits are per method and per workspace, so every thread that talks to one workspace
draws from the same buckets. A 429 pauses the method for the whole workspace (every thread
waits out Retry-After), not only the thread that was told.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

logger = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: float = 1.0


# Methods we do not pace still honour a 429's pause through a bucket this generous.
UNPACED = Rate(per_minute=60_000.0, burst=1_000.0)


class Bucket:
    """A blocking token bucket; ``pause`` holds every caller until a moment has passed."""

    def __init__(self, rate: Rate, *, monotonic: Monotonic, sleep: Sleep) -> None:
        if rate.per_minute <= 0:
            raise ValueError("rate must be positive")
        self._per_second = rate.per_minute / 60.0
        self._burst = max(1.0, rate.burst)
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self._burst
        self._updated = monotonic()
        self._paused_until = 0.0
        self.waited = 0.0  # seconds callers spent waiting, for progress logs

    def _refill(self, now: float) -> None:
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._per_second)
        self._updated = now

    def acquire(self) -> None:
        """Take one token, waiting for it (and for any pause) as long as needed."""
        while True:
            with self._lock:
                now = self._monotonic()
                if now < self._paused_until:
                    wait = self._paused_until - now
                else:
                    self._refill(now)
                    # The epsilon keeps float rounding from leaving a wait too small to pass.
                    if self._tokens >= 1.0 - 1e-6:
                        self._tokens = max(0.0, self._tokens - 1.0)
                        return
                    wait = max((1.0 - self._tokens) / self._per_second, 1e-3)
                self.waited += wait
            self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Nobody calls this method again for ``seconds``; the bucket restarts empty after."""
        with self._lock:
            until = self._monotonic() + seconds
            if until > self._paused_until:
                self._paused_until = until
                self._tokens = 0.0
                self._updated = until

    def wait_until_open(self) -> None:
        while True:
            with self._lock:
                wait = self._paused_until - self._monotonic()
            if wait <= 0:
                return
            self._sleep(wait)


class WorkspacePacer:
    """The buckets of one workspace, created on first use per method."""

    def __init__(
        self,
        team_id: str,
        rates: dict[str, Rate],
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.team_id = team_id
        self._rates = rates
        self._monotonic = monotonic
        self._sleep = sleep
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()
        self.rate_limited = 0  # 429s seen, for progress logs and benchmarks

    def bucket(self, method: str) -> Bucket | None:
        with self._lock:
            found = self._buckets.get(method)
            if found is None:
                rate = self._rates.get(method)
                if rate is None:
                    return None
                found = self._buckets[method] = Bucket(
                    rate, monotonic=self._monotonic, sleep=self._sleep
                )
            return found

    def acquire(self, method: str) -> None:
        bucket = self.bucket(method)
        if bucket is not None:
            bucket.acquire()

    def throttled(self, method: str, retry_after: float) -> None:
        """Slack said 429: the whole workspace waits ``retry_after`` on this method."""
        with self._lock:
            self.rate_limited += 1
        logger.warning(
            "rate limited on %s: waiting %.1fs for the whole workspace",
            method,
            retry_after,
            extra={"team_id": self.team_id},
        )
        bucket = self.bucket(method)
        if bucket is None:
            # Unpaced method: create a bucket just to hold the pause.
            with self._lock:
                bucket = self._buckets.setdefault(
                    method, Bucket(UNPACED, monotonic=self._monotonic, sleep=self._sleep)
                )
        bucket.pause(retry_after)

    def wait_until_open(self, method: str) -> None:
        bucket = self.bucket(method)
        if bucket is not None:
            bucket.wait_until_open()


def method_of(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def retry_after_of(response: HttpResponse | None) -> float:
    if response is None:
        return 1.0
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0 + random.random()


class PacedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 backstop, but the wait is shared by the workspace's pacer."""

    def __init__(self, pacer: WorkspacePacer, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._pacer = pacer

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        method = method_of(request)
        self._pacer.throttled(method, retry_after_of(response))
        # The retry is a call like any other: it waits for the pause and takes a token.
        self._pacer.acquire(method)
        state.increment_current_attempt()


def describe_rates(rates: dict[str, Rate]) -> dict[str, Any]:
    return {m: {"per_minute": r.per_minute, "burst": r.burst} for m, r in rates.items()}
