"""CPU per draft, single-threaded and in-process: OKR Coach's Bolt app against the anchor.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_draft_cpu.py [--drafts 1000]

Each app is built in this process with ``process_before_response=True``, so one dispatch runs
the whole draft path (signature check, claim, coach, store, reply, record) on this thread. The
fake Slack runs in its own process and OKR Coach gets a fresh migrated PostgreSQL database, so
the CPU time read here is the app's own. Complements bench_load.py, whose figures include
gunicorn, thread contention and the other processes on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from benchmarks.load_db import create_migrated_database, drop_database
from benchmarks.load_fake import FakeSlackProcess
from benchmarks.load_senders import PLACES, signed_drafts, spread

SECRET = "bench-signing-secret-0123456789abcdef"
WARMUP = PLACES  # every workspace and channel seen once, as bench_load.py does


def cpu_ms_per_draft(app: App, drafts: int) -> float:
    requests = signed_drafts(WARMUP + drafts, SECRET, spread)

    def dispatch(batch: list[Any]) -> None:
        for request in batch:
            response = app.dispatch(
                BoltRequest(body=request.body.decode(), headers=request.headers)
            )
            if response.status != 200:
                raise RuntimeError(f"dispatch answered {response.status}: {response.body}")

    dispatch(requests[:WARMUP])  # imports, caches, prepared statements
    started = time.process_time()
    dispatch(requests[WARMUP:])
    return (time.process_time() - started) * 1000 / drafts


def okr_coach_app(database_url: str, api_url: str) -> App:
    os.environ.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=api_url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-test",
    )
    from bot.app import build_deps, create_app
    from bot.config import load_settings
    from bot.slack_client import create_web_client

    settings = load_settings()
    return create_app(
        settings,
        client=create_web_client(settings),
        deps=build_deps(settings),
        process_before_response=True,
    )


def anchor_app(api_url: str) -> App:
    """benchmarks/load_anchor.py's app, run inline like OKR Coach's."""
    app = App(
        signing_secret=SECRET,
        client=WebClient(token="xoxb-test", base_url=api_url),
        process_before_response=True,
    )

    @app.event("message")
    def reply(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="ok")

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=1000, help="timed drafts per app (1000)")
    args = parser.parse_args(argv)
    database_url, note = create_migrated_database()
    try:
        with FakeSlackProcess.start() as fake:
            okr = cpu_ms_per_draft(okr_coach_app(database_url, fake.base_url), args.drafts)
            anchor = cpu_ms_per_draft(anchor_app(fake.base_url), args.drafts)
    finally:
        drop_database(database_url)
    print(f"{args.drafts} drafts each, one thread, fake Slack in its own process")
    print(f"okr-coach  {okr:.2f} ms CPU per draft")
    print(f"anchor     {anchor:.2f} ms CPU per draft")
    if note:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
