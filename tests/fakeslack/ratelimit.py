"""Steady-state rate limiting in simulated time, so benchmarks can compress minutes."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class TokenBucket:
    """A bucket of `burst` tokens refilled at `per_minute` per simulated minute.

    The default burst is one minute's allowance: Slack tolerates short bursts, and a test of
    "N calls per minute" then sees exactly N successes in a quick loop.
    """

    per_minute: float
    burst: float
    tokens: float
    updated: float  # simulated seconds

    @classmethod
    def full(cls, per_minute: float, burst: float | None, now: float) -> TokenBucket:
        size = float(burst) if burst is not None else float(per_minute)
        return cls(per_minute=per_minute, burst=size, tokens=size, updated=now)

    def take(self, now: float) -> float:
        """Spend one token; return 0.0 on success, else simulated seconds until one is due."""
        rate = self.per_minute / 60.0
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate


def retry_after_header(simulated_wait: float, time_scale: float) -> int:
    """Retry-After in REAL whole seconds (clients sleep in real time), at least 1 like Slack."""
    return max(1, math.ceil(simulated_wait / time_scale))
