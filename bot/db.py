"""Engine, sessions and schema upgrades."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
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
# Per engine per gunicorn worker (DATABASE_POOL_SIZE). No overflow: a connection opened for
# a burst and closed right after costs PostgreSQL a backend process start each time, which
# under load cost more CPU than the queries; threads wait for a pooled one instead
# (DATABASE_POOL_TIMEOUT), and WEB_CONCURRENCY workers stay well under 100 connections.
POOL_SIZE = 10
POOL_OVERFLOW = 0
POOL_TIMEOUT_SECONDS = 10
# A connection used this recently is trusted without a ping (HikariCP's "alive bypass window"):
# under load every checkout would otherwise pay a round trip for nothing.
PING_AFTER_IDLE_SECONDS = 2.0
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


# The database cannot serve this request right now: down, unreachable, or every pooled
# connection busy past the pool timeout. Handlers answer these with a friendly retry message.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (DBAPIError, exc.TimeoutError)


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


def create_db_engine(
    database_url: str,
    *,
    synchronous_commit: bool = True,
    statement_timeout_ms: int | None = None,
    ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
    **kwargs: Any,
) -> Engine:
    """An engine tuned for a threaded web server.

    SQLite gets WAL (readers never block the writer), a busy timeout instead of instant
    ``database is locked`` errors, and foreign keys. PostgreSQL connections idle for a while
    are pinged on checkout, so a restarted server is noticed there rather than as a failed
    request. ``synchronous_commit=False`` (PostgreSQL only) makes every commit on this engine
    return before its WAL flush, and ``statement_timeout_ms`` (PostgreSQL only) cancels any
    statement, lock waits included, that runs longer: see ``build_deps`` for the one engine
    that uses them.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 15})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    settings = []
    if not synchronous_commit:
        settings.append("-c synchronous_commit=off")
    if statement_timeout_ms is not None:
        settings.append(f"-c statement_timeout={statement_timeout_ms}")
    if settings:
        # Set once per connection at connect time: a SET per transaction costs a round trip.
        connect_args = dict(kwargs.pop("connect_args", {}))
        options = " ".join(filter(None, [connect_args.get("options"), *settings]))
        kwargs["connect_args"] = {**connect_args, "options": options}
    if "poolclass" not in kwargs:  # a NullPool (migrations, one-off commands) takes no sizes
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_OVERFLOW)
        kwargs.setdefault("pool_timeout", POOL_TIMEOUT_SECONDS)
        kwargs.setdefault("pool_recycle", 1800)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_idle_connections(engine, ping_after_idle)
    return engine


def _ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection on checkout only if it sat idle for ``idle_seconds``.

    A failed ping raises ``DisconnectionError``, on which the pool replaces the connection
    and checks out again. A busy connection that dies is caught by SQLAlchemy's disconnect
    handling instead, which invalidates the whole pool.
    """

    @event.listens_for(engine.pool, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError("connection failed its ping after idling") from error


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


@dataclass(frozen=True)
class Migration:
    """Where a migration run started and ended (None: no migration applied)."""

    before: str | None
    after: str | None


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database; None when there is no alembic_version table."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate_database(engine: Engine, revision: str = "head", *, down: bool = False) -> Migration:
    """Run Alembic migrations on ``engine`` (the one connection is handed to env.py)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        before = current_revision(connection)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        return Migration(before, current_revision(connection))


def upgrade_database(engine: Engine, revision: str = "head") -> Migration:
    return migrate_database(engine, revision)


def dialect_name(executor: Session | Connection) -> str:
    """The backend's name for a Session or a Core Connection alike."""
    if isinstance(executor, Connection):
        return executor.dialect.name
    return executor.get_bind().dialect.name


_INSERT_IGNORE_CACHE: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def insert_or_ignore(
    session: Session | Connection, model: Any, values: dict[str, Any], conflict_columns: list[str]
) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new id, or None if it existed.

    One round trip and no savepoint, and a conflict leaves the transaction usable (a
    failed plain INSERT would abort it on PostgreSQL). The statement is a Core statement
    built once per shape and fed parameters, which keeps the ORM's per-call statement
    building off this hot path.
    """
    dialect = dialect_name(session)
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
