"""What users run: the Procfile's gunicorn line and `okr-coach serve`, over real HTTP."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from bot.models import CoachingReview
from tests.db_fixtures import Database
from tests.fakeslack import DEFAULT_TOKEN, FakeSlack
from tests.slack_requests import SIGNING_SECRET, message_event_body, post_signed

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_command(process: str) -> str:
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"no {process} line in Procfile")


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                return json.loads(reply.read())
        except OSError as error:
            last_error = error
            time.sleep(0.1)
    raise AssertionError(f"server never became healthy: {last_error}")


@contextmanager
def running(command: str, env: dict[str, str], port: int) -> Iterator[dict]:
    """Run ``command`` until the block ends; yields its first /healthz answer."""
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        yield wait_healthy(port, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def server_env(fake: FakeSlack, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "WEB_THREADS": "4",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        # Many drafts go to one channel within seconds; Slack's real pace (one reply a
        # second) is tested where it is the point (tests/slack/test_reply_pace.py).
        "REPLY_SECONDS_PER_CHANNEL": "0.005",
        "REPLIES_PER_MINUTE": "60000",
    }


def test_procfile_web_replies_in_thread_and_stores_the_review(
    db: Database, fake_slack: FakeSlack
) -> None:
    port = free_port()
    with running(procfile_command("web"), server_env(fake_slack, db.url, port), port):
        body = message_event_body("Objective: Attend the weekly sync every Monday")
        status, _, _ = post_signed(f"http://127.0.0.1:{port}/slack/events", body)
        assert status == 200

        (reply,) = fake_slack.wait_for("chat.postMessage", timeout=15)
        assert reply.params["thread_ts"] == body["event"]["ts"]
        assert reply.params["channel"] == body["event"]["channel"]

        # The reply is recorded right after Slack answers; poll for it, bounded.
        deadline = time.monotonic() + 10
        row = None
        while time.monotonic() < deadline and (row is None or row.reply_ts is None):
            with db.session_factory() as session:
                row = session.scalar(select(CoachingReview))
            time.sleep(0.05)
        assert row is not None and row.reply_ts == reply.response["ts"]
        assert row.message_ts == body["event"]["ts"]

        # A forged request over the wire is refused and changes nothing.
        forged = message_event_body("Objective: forged")
        status, _, _ = post_signed(
            f"http://127.0.0.1:{port}/slack/events", forged, secret="not-the-secret"
        )
        assert status == 401
        assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_serve_quick_start_creates_and_migrates_the_sqlite_file(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = free_port()
    database = tmp_path / "quickstart.db"
    env = server_env(fake_slack, f"sqlite:///{database}", port)
    command = f"{shlex.quote(str(BIN / 'okr-coach'))} serve --workers 1 --threads 4"
    with running(command, env, port) as health:
        assert health == {"ok": True, "database": "ok"}
        body = message_event_body("Objective: Double weekly active teams by Q3")
        status, _, _ = post_signed(f"http://127.0.0.1:{port}/slack/events", body)
        assert status == 200
        fake_slack.wait_for("chat.postMessage", timeout=15)
    assert database.exists()
