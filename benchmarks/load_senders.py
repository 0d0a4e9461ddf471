"""Concurrent senders of pre-signed Slack events, each timing its own acks."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tests.slack_requests import event_body, sign

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
    ts: str = ""  # the draft's message ts: its reply's thread_ts
    sent_at: float = 0.0  # time.time() when the request was sent


# Where draft n is posted: (workspace, channel).
Place = Callable[[int], tuple[str, str]]


def one_channel(n: int) -> tuple[str, str]:
    return "T0001", "C0001"


WORKSPACES = 200
CHANNELS_PER_WORKSPACE = 4
PLACES = WORKSPACES * CHANNELS_PER_WORKSPACE


def spread(n: int) -> tuple[str, str]:
    """Draft n round-robin over 800 channels in 200 workspaces: a server this busy serves
    many workspaces, each within Slack's pace for one (a reply a second per channel, a few
    hundred a minute per workspace), so the shipped pace never holds a reply back here."""
    team = n % WORKSPACES
    channel = (n // WORKSPACES) % CHANNELS_PER_WORKSPACE
    return f"T{team:05d}", f"C{team:05d}{channel:02d}"


def signed_drafts(count: int, secret: str, place: Place = one_channel) -> list[Signed]:
    """Every request signed before the clock starts, so the senders only send."""
    requests: list[Signed] = []
    for n in range(count):
        team, channel = place(n)
        event = {"text": f"{DRAFTS[n % len(DRAFTS)]} ({n})", "channel": channel, "team": team}
        authorization = {
            "enterprise_id": None,
            "team_id": team,
            "user_id": "UBOT",
            "is_bot": True,
            "is_enterprise_install": False,
        }
        body = event_body(
            "message",
            team_id=team,
            context_team_id=team,
            authorizations=[authorization],
            event=event,
        )
        text = json.dumps(body)
        requests.append(Signed(text.encode(), sign(text, secret), channel, body["event"]["ts"]))
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
            request = requests[index]
            sent_at, start = time.time(), time.perf_counter()
            try:
                status = _send_one(connection, request)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = None
            latency = time.perf_counter() - start
            mine.append(Outcome(status, latency, sent_at + latency, request.ts, sent_at))
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


def send_at_rate(
    port: int,
    requests: Sequence[Signed],
    *,
    rate: float,
    senders: int = 64,
    start_in: float = 0.1,
) -> list[Outcome]:
    """Open loop: request n is due at start + n / rate, whatever the acks do, as Slack
    delivers events. Latency counts from the moment a request was due, so a server that
    falls behind is charged for the wait (no coordinated omission)."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    indexes = itertools.count()
    start = time.time() + start_in

    def sender() -> None:
        mine: list[Outcome] = []
        while True:
            with lock:
                index = next(indexes)
            if index >= len(requests):
                break
            due = start + index / rate
            if due > time.time():
                time.sleep(due - time.time())
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            request = requests[index]
            try:
                status = _send_one(connection, request)
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                connection.close()
            done = time.time()
            mine.append(Outcome(status, done - due, done, request.ts, due))
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def percentile(samples: Sequence[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
