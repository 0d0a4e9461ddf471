"""Real databases for tests, built with the real migrations (never ``create_all``).

Every test that asks for ``db`` runs twice: on a fresh SQLite file and on PostgreSQL. The
PostgreSQL case is skipped only when no server answers, unless ``OKR_REQUIRE_POSTGRES=1``
(CI sets it), in which case an unreachable server fails the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from bot.db import Base, create_db_engine, create_session_factory, upgrade_database

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("OKR_REQUIRE_POSTGRES") == "1"


@dataclass
class Database:
    backend: str
    url: str
    engine: Engine
    session_factory: sessionmaker


def _postgres_reachable() -> str | None:
    """None when reachable, else the reason."""
    engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    finally:
        engine.dispose()


def _need_postgres() -> None:
    reason = _postgres_reachable()
    if reason is None:
        return
    message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {reason}"
    if REQUIRE_POSTGRES:
        pytest.fail(message)
    pytest.skip(message)


def create_postgres_database() -> str:
    """A new, empty database on the test server; returns its URL."""
    name = f"okr_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_available() -> None:
    """Skips (or, under OKR_REQUIRE_POSTGRES=1, fails) when no PostgreSQL answers."""
    _need_postgres()


@pytest.fixture(scope="session")
def postgres_migrated_url() -> Iterator[str]:
    _need_postgres()
    url = create_postgres_database()
    engine = create_db_engine(url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        upgrade_database(engine)
        with engine.connect() as connection:
            # Fold the WAL into the main file so a plain copy carries the schema.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


def _truncate_all(engine: Engine) -> None:
    present = set(inspect(engine).get_table_names())
    names = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in present]
    extra = [n for n in ("apscheduler_jobs",) if n in present]
    with engine.begin() as connection:
        connection.execute(
            text(
                "TRUNCATE "
                + ", ".join(f'"{n}"' for n in names + extra)
                + " RESTART IDENTITY CASCADE"
            )
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_migrated_template")
        path = tmp_path / "okr.db"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_migrated_url")
    engine = create_db_engine(url)
    if request.param == "postgres":
        _truncate_all(engine)
    yield Database(request.param, url, engine, create_session_factory(engine))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    _need_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)
