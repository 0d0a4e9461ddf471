"""SQLite under the threaded server: WAL, a busy timeout and short transactions, so eight
concurrent writers (two workers' engines on one file) never see ``database is locked``."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.db import SQLITE_BUSY_TIMEOUT_MS, create_db_engine, create_session_factory
from bot.deps import Deps
from bot.drafts import DraftMessage, DraftService
from bot.event_claims import EventClaims
from bot.models import CoachingReview, ProcessedEvent, utcnow

THREADS = 8
DRAFTS_PER_THREAD = 150
CONTESTED_EVENTS = 150
TEAM = "T0001"
DRAFT = "Objective: Grow paying teams from 40 to 90 by Q3\nKR1: Raise activation from 30% to 45%"


@pytest.fixture
def engines(sqlite_migrated_template: Path, tmp_path: Path) -> Iterator[list[Engine]]:
    """One SQLite file built by the migrations, opened by two engines like two workers."""
    path = tmp_path / "concurrent.db"
    shutil.copyfile(sqlite_migrated_template, path)
    made = [create_db_engine(f"sqlite:///{path}") for _ in range(2)]
    yield made
    for engine in made:
        engine.dispose()


def run_threads(work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(n)`` on THREADS threads released together; return what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def runner(n: int) -> None:
        start.wait()
        try:
            work(n)
        except BaseException as error:  # every failure is reported, not just the first
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return errors


def test_connections_use_wal_and_a_busy_timeout(engines: list[Engine]) -> None:
    with engines[0].connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS


def test_eight_writers_store_every_review_without_locking_errors(engines: list[Engine]) -> None:
    factories = [create_session_factory(engine) for engine in engines]
    url = str(engines[0].url)
    services = [
        DraftService(Deps(settings=Settings("secret", database_url=url), session_factory=f))
        for f in factories
    ]

    def write(n: int) -> None:
        service = services[n % len(services)]
        for i in range(DRAFTS_PER_THREAD):
            message = DraftMessage(
                team_id=TEAM,
                channel_id=f"C{n}",
                user_id=f"U{i % 7}",  # shared members: ensure_member races on its insert
                ts=f"1700000000.{i:06d}",
                text=DRAFT,
                event_id=f"Ev{n}-{i}",
            )
            started = service.begin(message)
            assert started is not None
            service.finish(message, started, reply_ts=f"1800000000.{n}{i:05d}")

    assert run_threads(write) == []

    total = THREADS * DRAFTS_PER_THREAD
    with factories[0]() as session:
        assert session.scalar(select(func.count()).select_from(CoachingReview)) == total
        unreplied = select(func.count()).where(CoachingReview.reply_ts.is_(None))
        assert session.scalar(unreplied) == 0
        open_claims = select(func.count()).where(ProcessedEvent.completed_at.is_(None))
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == total
        assert session.scalar(open_claims) == 0


def test_eight_writers_racing_for_the_same_events_claim_each_once(engines: list[Engine]) -> None:
    factories: list[sessionmaker] = [create_session_factory(engine) for engine in engines]
    wins: list[str] = []
    lock = threading.Lock()

    def claim(n: int) -> None:
        claims = EventClaims(factories[n % len(factories)])
        for i in range(CONTESTED_EVENTS):
            if claims.claim(TEAM, f"EvShared{i}", utcnow()):
                with lock:
                    wins.append(f"EvShared{i}")

    assert run_threads(claim) == []
    assert sorted(wins) == sorted(f"EvShared{i}" for i in range(CONTESTED_EVENTS))
    with factories[0]() as session:
        stored = session.scalar(select(func.count()).select_from(ProcessedEvent))
    assert stored == CONTESTED_EVENTS
