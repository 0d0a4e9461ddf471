"""Per-workspace pacing of Web API calls at the pace Slack allows, shared by all threads.

Slack's limits are per method and per workspace, so every thread that talks to one workspace
draws from the same token bucket per method; ``chat.postMessage`` is also limited to about
one message a second in each channel. A bucket starts at Slack's published rate. A ``429``
pauses the method for the whole workspace for its ``Retry-After`` (every thread waits, not
only the one that was told) and halves the method's pace; the pace then recovers gradually
while Slack stays quiet. Rate limits are retried in one place only: the client's
``PacedRateLimitRetryHandler``, which shares its waits with the pacer.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

logger = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Sleep = Callable[[float], None]

# After a 429 the pace halves, never below a tenth of the published rate...
SLOWDOWN = 0.5
SLOWEST = 0.1
# ...and climbs back to it linearly, by the whole published rate every this many seconds
# without another 429 (from half to full in one minute).
RECOVERY_SECONDS = 120.0
# Retries of one call after a 429 (each waits out Retry-After); then the call fails and the
# caller's own schedule (a reminder's backoff) takes over.
RATE_LIMIT_RETRIES = 3
# Channels remembered for the per-channel pace before the ones long past are forgotten.
CHANNELS_KEPT = 4096


@dataclass(frozen=True)
class Timing:
    """How a pacer reads the time and waits: the real clock, or a fake one in tests.

    ``scale`` is for benchmarks against a stand-in Slack whose time runs that many times
    faster than the real clock: rates are then per simulated minute, Retry-After real seconds.
    """

    monotonic: Monotonic = time.monotonic
    sleep: Sleep = time.sleep
    scale: float = 1.0


REAL_TIME = Timing()


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: float = 1.0


# Methods we do not pace still honour a 429's pause through a bucket this generous.
UNPACED = Rate(per_minute=60_000.0, burst=1_000.0)


class Bucket:
    """A blocking token bucket whose pace adapts to 429s; ``pause`` holds every caller."""

    def __init__(self, rate: Rate, timing: Timing = REAL_TIME) -> None:
        if rate.per_minute <= 0 or timing.scale <= 0:
            raise ValueError("rate and time scale must be positive")
        self._ceiling = rate.per_minute / 60.0 * timing.scale
        self._per_second = self._ceiling
        self._recovery = RECOVERY_SECONDS / timing.scale
        self._time_scale = timing.scale
        self._burst = max(1.0, rate.burst)
        self._monotonic = timing.monotonic
        self._sleep = timing.sleep
        self._lock = threading.Lock()
        self._tokens = self._burst
        self._updated = timing.monotonic()
        self._paused_until = 0.0
        self.waited = 0.0  # seconds callers spent waiting, for progress logs

    @property
    def per_minute(self) -> float:
        """The pace now, per (simulated) minute: the published rate unless slowed by a 429."""
        with self._lock:
            self._refill(self._monotonic())
            return self._per_second * 60.0 / self._time_scale

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        if self._per_second < self._ceiling and now > self._paused_until:
            calm = min(elapsed, now - self._paused_until)
            self._per_second = min(
                self._ceiling, self._per_second + self._ceiling * calm / self._recovery
            )
        self._tokens = min(self._burst, self._tokens + elapsed * self._per_second)
        self._updated = max(self._updated, now)

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

    def pause(self, seconds: float, *, slow_down: bool = True) -> None:
        """Nobody calls this method again for ``seconds``; the bucket restarts empty after,
        at a slower pace unless ``slow_down`` is false."""
        with self._lock:
            now = self._monotonic()
            self._refill(now)
            if slow_down:
                self._per_second = max(self._ceiling * SLOWEST, self._per_second * SLOWDOWN)
            until = now + seconds
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


class ChannelSpacing:
    """At most one call per channel every ``1 / rate`` (Slack: about a message a second)."""

    def __init__(self, rate: Rate, timing: Timing = REAL_TIME) -> None:
        self._interval = 60.0 / rate.per_minute / timing.scale
        self._monotonic = timing.monotonic
        self._sleep = timing.sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def acquire(self, channel: str) -> None:
        while True:
            with self._lock:
                now = self._monotonic()
                wait = self._next.get(channel, now) - now
                if wait <= 0:
                    if len(self._next) >= CHANNELS_KEPT:
                        self._next = {c: t for c, t in self._next.items() if t > now}
                    self._next[channel] = now + self._interval
                    return
            self._sleep(wait)


class WorkspacePacer:
    """The buckets of one workspace, created on first use per method."""

    def __init__(
        self,
        team_id: str,
        rates: dict[str, Rate],
        *,
        per_channel: dict[str, Rate] | None = None,
        timing: Timing = REAL_TIME,
    ) -> None:
        self.team_id = team_id
        self._rates = rates
        self._timing = timing
        self._buckets: dict[str, Bucket] = {}
        self._channels = {
            method: ChannelSpacing(rate, timing) for method, rate in (per_channel or {}).items()
        }
        self._lock = threading.Lock()
        self.rate_limited = 0  # 429s seen, for progress logs and benchmarks

    def _bucket(self, method: str, rate: Rate | None) -> Bucket | None:
        with self._lock:
            found = self._buckets.get(method)
            if found is None and rate is not None:
                found = self._buckets[method] = Bucket(rate, self._timing)
            return found

    def bucket(self, method: str) -> Bucket | None:
        return self._bucket(method, self._rates.get(method))

    def acquire(self, method: str, channel: str | None = None) -> None:
        """Wait until ``method`` may be called (in ``channel``, for per-channel limits)."""
        spacing = self._channels.get(method)
        if spacing is not None and channel is not None:
            spacing.acquire(channel)
        bucket = self.bucket(method)
        if bucket is not None:
            bucket.acquire()

    def pace(self, method: str) -> float | None:
        """The method's pace now, per minute; None when it is not paced."""
        bucket = self.bucket(method)
        return None if bucket is None else bucket.per_minute

    def throttled(self, method: str, retry_after: float) -> None:
        """Slack said 429: the whole workspace waits ``retry_after`` and slows down."""
        with self._lock:
            self.rate_limited += 1
        paced = method in self._rates
        # Unpaced methods get a bucket just to hold the pause.
        bucket = self._bucket(method, self._rates.get(method, UNPACED))
        assert bucket is not None
        bucket.pause(retry_after, slow_down=paced)
        logger.warning(
            "rate limited on %s: the workspace waits %.1fs%s",
            method,
            retry_after,
            f", then goes on at {bucket.per_minute:.0f} a minute" if paced else "",
            extra={"team_id": self.team_id},
        )

    def wait_until_open(self, method: str) -> None:
        bucket = self.bucket(method)
        if bucket is not None:
            bucket.wait_until_open()


def method_of(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def retry_after_of(response: HttpResponse | None) -> float:
    return 1.0 if response is None else retry_after_in(response.headers)


def retry_after_in(headers: Mapping[str, Any]) -> float:
    """Seconds from a Retry-After header (a list of values, or one); about one if absent."""
    for name, values in headers.items():
        if name.lower() == "retry-after" and values:
            value = values[0] if isinstance(values, list) else values
            try:
                return max(0.0, float(value))
            except ValueError:
                break
    return 1.0 + random.random()


class PacedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """The one retry layer for 429s: slack_sdk's handler, its wait shared by the workspace."""

    def __init__(self, pacer: WorkspacePacer, max_retry_count: int = RATE_LIMIT_RETRIES) -> None:
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
