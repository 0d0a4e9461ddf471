"""Concurrent senders of pre-signed Slack events, each timing its own acks."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tests.slack_requests import message_event_body, sign

DRAFTS = (
    "Objective: Attend the weekly design sync every Monday",
    "Objective: Make onboarding a delight for new teams\n"
    "KR1: Raise week-1 activation from 30% to 45% by end of Q3\n"
    "KR2: Launch the new onboarding flow\n"
    "KR3: Cut time to first report from 3 days to 1 day",
    "Goal: Answer support emails within 24h",
    "OKR: Become the default choice for indie studios\n"
    "- Grow paying studios from 40 to 90 by December\n"
    "- Raise NPS from 31 to 45\n"
    "Confidence: 6/10",
    "O1: Grow self-serve revenue from small agencies\nKR: Ship 3 case studies",
    "Objective: Update the weekly report and send it to <@U0002> and <!channel>",
)


@dataclass(frozen=True)
class Signed:
    body: bytes
    headers: dict[str, str]
    channel: str
    ts: str


@dataclass(frozen=True)
class Outcome:
    status: int  # 0 when the connection failed
    latency: float  # seconds from sending the request to reading the whole answer
    done_at: float  # time.time() when the answer arrived


def signed_drafts(count: int, secret: str) -> list[Signed]:
    """Every request signed before the clock starts, so the senders only send."""
    requests: list[Signed] = []
    for n in range(count):
        body = message_event_body(f"{DRAFTS[n % len(DRAFTS)]} ({n})")
        text = json.dumps(body)
        event = body["event"]
        requests.append(Signed(text.encode(), sign(text, secret), event["channel"], event["ts"]))
    return requests


def _send_one(connection: http.client.HTTPConnection, request: Signed) -> int:
    connection.request("POST", "/slack/events", body=request.body, headers=request.headers)
    response = connection.getresponse()
    response.read()
    return response.status


def send_all(
    port: int,
    requests: Sequence[Signed],
    *,
    senders: int,
    deadline_seconds: float,
    keepalive: bool = False,
) -> list[Outcome]:
    """Closed loop: each sender sends its next request as soon as the last one is acked.

    Without keep-alive every request opens a connection, as Slack's deliveries mostly do, and
    the kernel spreads them over gunicorn's workers.
    """
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    indexes = itertools.count()
    stop_at = time.monotonic() + deadline_seconds

    def sender() -> None:
        connection: http.client.HTTPConnection | None = None
        mine: list[Outcome] = []
        while time.monotonic() < stop_at:
            with lock:
                index = next(indexes)
            if index >= len(requests):
                break
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            start = time.perf_counter()
            try:
                status = _send_one(connection, requests[index])
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = None
            mine.append(Outcome(status, time.perf_counter() - start, time.time()))
            if connection is not None and not keepalive:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=deadline_seconds + 30)
    return outcomes


def percentile(samples: Sequence[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
