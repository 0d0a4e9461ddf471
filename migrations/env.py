"""Alembic environment: the app's metadata, ``DATABASE_URL``, or a connection from tests."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, pool

from bot import models  # noqa: F401  (registers the tables on Base.metadata)
from bot.config import DEFAULT_DATABASE_URL, normalise_database_url
from bot.db import Base, UtcDateTime, create_db_engine

config = context.config
target_metadata = Base.metadata

# Tables other libraries own in our database; autogenerate must leave them alone.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name in FOREIGN_TABLES)


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations stay static: our UTC wrapper is stored as a plain timezone-aware DateTime.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or normalise_database_url(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        include_object=include_object,
        literal_binds=True,
        render_as_batch=_database_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    handed_in = config.attributes.get("connection")
    if handed_in is not None:
        _configure(handed_in)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(_database_url(), poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            _configure(connection)
            context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
