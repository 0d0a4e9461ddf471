"""A fresh PostgreSQL database per run, migrated by the production command, counted after."""

from __future__ import annotations

import os
import subprocess
import time

from sqlalchemy import create_engine, text

from benchmarks.load_server import BIN, REPO
from bot.db import create_db_engine, upgrade_database
from tests.db_fixtures import create_postgres_database, drop_postgres_database


def create_migrated_database() -> tuple[str, str | None]:
    """(URL, a note when ``okr-coach db upgrade`` failed and the fallback migrated instead)."""
    url = create_postgres_database()
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [str(BIN / "okr-coach"), "db", "upgrade"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return url, None
    # The same Alembic scripts, handed a connection (as the tests do), so the benchmark
    # still measures the server; the failure itself is reported, not hidden.
    engine = create_db_engine(url)
    try:
        upgrade_database(engine)
    except Exception:
        drop_postgres_database(url)
        raise
    finally:
        engine.dispose()
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return url, f"`okr-coach db upgrade` failed on PostgreSQL ({last[:160]}); migrated in-process"


def drop_database(url: str) -> None:
    drop_postgres_database(url)


def stored_reviews(url: str) -> tuple[int, int]:
    """(rows with reply_ts, distinct (team, channel, message_ts)) in coaching_review."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            replied = connection.scalar(
                text("SELECT count(*) FROM coaching_review WHERE reply_ts IS NOT NULL")
            )
            distinct = connection.scalar(
                text(
                    "SELECT count(*) FROM (SELECT DISTINCT slack_team_id, slack_channel_id,"
                    " message_ts FROM coaching_review) AS d"
                )
            )
        return int(replied or 0), int(distinct or 0)
    finally:
        engine.dispose()


def wait_stored(url: str, expected: int, timeout: float) -> tuple[int, int]:
    """The reply_ts is written right after Slack answers; poll for it, bounded."""
    deadline = time.monotonic() + timeout
    counts = stored_reviews(url)
    while counts[0] < expected and time.monotonic() < deadline:
        time.sleep(0.2)
        counts = stored_reviews(url)
    return counts
