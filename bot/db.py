"""Engine, sessions and schema upgrades."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names make migrations reproducible and batch mode on SQLite possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 15_000
# Per gunicorn worker: enough for its HTTP threads plus the listener pools' bursts, while
# WEB_CONCURRENCY workers together stay well under PostgreSQL's default 100 connections.
POOL_SIZE = 10
POOL_OVERFLOW = 10
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def create_db_engine(database_url: str, **kwargs: Any) -> Engine:
    """An engine tuned for a threaded web server.

    SQLite gets WAL (readers never block the writer), a busy timeout instead of instant
    ``database is locked`` errors, and foreign keys. PostgreSQL gets pre-ping so a restarted
    server is noticed on checkout rather than as a failed request.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 15})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:  # a NullPool (migrations, one-off commands) takes no sizes
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_OVERFLOW)
        kwargs.setdefault("pool_recycle", 1800)
    return create_engine(url, **kwargs)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_session_factory(engine: Engine) -> sessionmaker:
    # expire_on_commit=False lets services hand plain loaded rows back to handlers.
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(database_url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        # ConfigParser interpolation would choke on a literal % in a password.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations on ``engine`` (the one connection is handed to env.py)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


_INSERT_IGNORE_CACHE: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def insert_or_ignore(
    session: Any, model: Any, values: dict[str, Any], conflict_columns: list[str]
) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new id, or None if it existed.

    One round trip and no savepoint, and a conflict leaves the transaction usable (a
    failed plain INSERT would abort it on PostgreSQL). The statement is a Core statement
    built once per shape and fed parameters, which keeps the ORM's per-call statement
    building off this hot path.
    """
    dialect = session.get_bind().dialect.name
    table = model.__table__
    key = (dialect, table.name, tuple(conflict_columns), tuple(sorted(values)))
    statement = _INSERT_IGNORE_CACHE.get(key)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - only the two supported backends reach here
            raise NotImplementedError(dialect)
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=conflict_columns)
            .returning(table.c.id)
        )
        _INSERT_IGNORE_CACHE[key] = statement
    return session.execute(statement, values).scalar_one_or_none()
