"""A short soak of the Procfile's ``web`` command: mixed good, repeated and hostile requests
from eight threads, on SQLite and PostgreSQL. Bounded: a few hundred requests, seconds."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.models import CoachingReview, ProcessedEvent
from tests.db_fixtures import Database
from tests.fakeslack import FakeSlack
from tests.slack_requests import SIGNING_SECRET, TEAM_ID, message_event_body
from tests.wire.test_over_the_wire import (
    REPO,
    free_port,
    procfile_command,
    server_env,
    wait_healthy,
)

SENDER_THREADS = 8
DRAFTS = 60
FORGED = STALE = 20
OVERSIZE = 5
ONE_MIB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
MALFORMED_BODIES: tuple[bytes, ...] = (
    b"{not json",
    b"[1, 2, 3]",
    b'{"type": "event_callback", "event": "nope"}',
    b'{"type": "event_callback"}',
    b"payload=%7Bbroken",
    b"\xff\xfe\x00 not utf-8",
    b"",
)


@dataclass(frozen=True)
class Delivery:
    kind: str  # draft | retry | duplicate | forged | stale | malformed | oversize
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Answer:
    kind: str
    status: int


@contextmanager
def web_server(env: dict[str, str], port: int, log_path: Path) -> Iterator[None]:
    """The Procfile's web line; its log goes to a file (a pipe could fill and stall it)."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {procfile_command('web')}"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            wait_healthy(port, process)
            yield
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def signed(
    kind: str, body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> Delivery:
    """Slack's v0 signature over the raw bytes (a body need not even be valid UTF-8)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    content_type = "application/json" if body.lstrip().startswith((b"{", b"[")) else FORM
    headers = {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": content_type,
    }
    return Delivery(kind, body, headers)


def plan(rng: random.Random) -> tuple[list[Delivery], list[dict]]:
    drafts = [
        message_event_body(f"Objective: Grow paying teams, attempt {n}") for n in range(DRAFTS)
    ]
    deliveries: list[Delivery] = []
    for body in drafts:
        raw = json.dumps(body).encode()
        first = signed("draft", raw)
        # Slack's retry of a slow ack carries the same event_id, a new signature and a count.
        retry = signed("retry", raw)
        retry.headers.update({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        deliveries += [first, retry, Delivery("duplicate", raw, dict(first.headers))]
    for n in range(FORGED):
        raw = json.dumps(message_event_body(f"Objective: forged {n}")).encode()
        deliveries.append(signed("forged", raw, secret="not-the-signing-secret"))
    for n in range(STALE):
        raw = json.dumps(message_event_body(f"Objective: replayed {n}")).encode()
        deliveries.append(signed("stale", raw, timestamp=int(time.time()) - 600))
    deliveries += [signed("malformed", body) for body in MALFORMED_BODIES * 2]
    for _ in range(OVERSIZE):
        padding = "x" * (ONE_MIB + 1024)
        raw = json.dumps(message_event_body(f"Objective: huge {padding}")).encode()
        deliveries.append(signed("oversize", raw))
    rng.shuffle(deliveries)
    return deliveries, drafts


def deliver(port: int, delivery: Delivery) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        # The server may answer 413 and close before an oversize body is fully sent; its
        # answer is still waiting to be read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(
                "POST", "/slack/events", body=delivery.body, headers=delivery.headers
            )
        response = connection.getresponse()
        response.read()
        return Answer(delivery.kind, response.status)
    finally:
        connection.close()


def wait_until_settled(db: Database, drafts: list[dict], timeout: float = 30.0) -> None:
    """Every draft's review has its reply_ts and its claim is complete: no reply can follow."""
    ts_values = [d["event"]["ts"] for d in drafts]
    event_ids = [d["event_id"] for d in drafts]
    deadline = time.monotonic() + timeout
    while True:
        with db.session_factory() as session:
            replied = session.scalars(
                select(CoachingReview.message_ts).where(
                    CoachingReview.message_ts.in_(ts_values), CoachingReview.reply_ts.is_not(None)
                )
            ).all()
            done = session.scalars(
                select(ProcessedEvent.slack_event_id).where(
                    ProcessedEvent.slack_event_id.in_(event_ids),
                    ProcessedEvent.completed_at.is_not(None),
                )
            ).all()
        if len(replied) == len(drafts) and len(done) == len(drafts):
            return
        assert time.monotonic() < deadline, (
            f"after {timeout}s: {len(replied)} replies stored, {len(done)} claims complete, "
            f"of {len(drafts)} drafts"
        )
        time.sleep(0.05)


def test_soak_mixed_requests_over_the_wire(
    db: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    deliveries, drafts = plan(random.Random(6))
    port = free_port()
    log_path = tmp_path / "web.log"
    with web_server(server_env(fake_slack, db.url, port), port, log_path):
        with ThreadPoolExecutor(SENDER_THREADS) as pool:
            answers = list(pool.map(lambda d: deliver(port, d), deliveries))
        fake_slack.wait_for("chat.postMessage", count=DRAFTS, timeout=30)
        wait_until_settled(db, drafts)
        replies = fake_slack.calls_to("chat.postMessage")

    statuses = Counter((a.kind, a.status) for a in answers)
    assert not [a for a in answers if a.status >= 500], statuses
    for kind in ("draft", "retry", "duplicate"):
        assert statuses[(kind, 200)] == DRAFTS, statuses
    assert statuses[("forged", 401)] == FORGED, statuses
    assert statuses[("stale", 401)] == STALE, statuses
    assert statuses[("oversize", 413)] == OVERSIZE, statuses
    assert all(400 <= a.status < 500 for a in answers if a.kind == "malformed"), statuses

    # Exactly one reply per distinct draft, each in its draft's thread.
    per_thread = Counter(call.params["thread_ts"] for call in replies)
    assert sorted(per_thread) == sorted(d["event"]["ts"] for d in drafts)
    assert set(per_thread.values()) == {1}
    assert all(call.ok for call in replies)

    with db.session_factory() as session:
        rows = session.scalars(select(CoachingReview)).all()
    assert len(rows) == DRAFTS
    assert {r.message_ts for r in rows} == set(per_thread)
    assert all(r.slack_team_id == TEAM_ID for r in rows)
    reply_ts = {call.params["thread_ts"]: call.response["ts"] for call in replies}
    assert {r.message_ts: r.reply_ts for r in rows} == reply_ts

    logged_errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if '"level": "error"' in line or "Traceback" in line
    ]
    assert logged_errors == []
