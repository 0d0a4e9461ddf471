"""Where a database stands in the migrations, read without creating or changing anything.

Commands that need tables check here first, so a database nobody migrated gets one line
that says to run ``okr-coach db upgrade`` instead of a SQLAlchemy traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from bot.config import ConfigError, redact_url, sqlite_path
from bot.db import Migration, alembic_config, create_db_engine, current_revision

# What `okr-coach db current` and `db upgrade` print.
NOT_MIGRATED = "no migrations applied yet (run okr-coach db upgrade)"
AT_HEAD = "{current} (head)"
BEHIND = "{current} (head is {head}: run okr-coach db upgrade)"
UNKNOWN = "{current} (a migration this version does not know; its head is {head})"
UPGRADED = "upgraded from {before} to {after}"
DOWNGRADED = "downgraded from {before} to {after}"
ALREADY_AT_HEAD = "already at head {head}"
ALREADY = "already at {where}"
EMPTY = "an empty database"
BASE = "base (no migrations applied)"

# Why a command that needs tables will not start.
SCHEMA_MISSING = "the database at {url} has no tables yet: run okr-coach db upgrade"
SCHEMA_BEHIND = (
    "the database at {url} is at migration {current} and this version needs {head}: "
    "run okr-coach db upgrade"
)
DATABASE_UNREACHABLE = "cannot open the database at {url} ({reason}): check DATABASE_URL"


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: no migration applied
    head: str
    known: frozenset[str]  # every revision this version ships

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    @property
    def behind(self) -> bool:
        """Older than this version needs. A revision we do not know is newer code's: let it be."""
        return self.current is None or (self.current in self.known and not self.at_head)


@lru_cache(maxsize=1)
def _revisions() -> tuple[str, frozenset[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "migrations/ has no head revision"
    return head, frozenset(r.revision for r in script.walk_revisions())


def read_schema_state(database_url: str) -> SchemaState:
    """The database's revision; a SQLite file that does not exist is left uncreated."""
    head, known = _revisions()
    try:
        path = sqlite_path(database_url)
        if path is not None and not path.exists():
            return SchemaState(None, head, known)
        engine = create_db_engine(database_url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return SchemaState(current_revision(connection), head, known)
        finally:
            engine.dispose()
    except (DBAPIError, ArgumentError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        url = redact_url(database_url)
        raise ConfigError(DATABASE_UNREACHABLE.format(url=url, reason=reason)) from None


def require_current_schema(database_url: str) -> SchemaState:
    """Raise ConfigError with the one line to print unless the database is migrated."""
    state = read_schema_state(database_url)
    url = redact_url(database_url)
    if state.current is None:
        raise ConfigError(SCHEMA_MISSING.format(url=url))
    if state.behind:
        raise ConfigError(SCHEMA_BEHIND.format(url=url, current=state.current, head=state.head))
    return state


def describe_state(state: SchemaState) -> str:
    if state.current is None:
        return NOT_MIGRATED
    if state.at_head:
        return AT_HEAD.format(current=state.current)
    template = BEHIND if state.current in state.known else UNKNOWN
    return template.format(current=state.current, head=state.head)


def _where(revision: str | None, head: str, *, none: str) -> str:
    if revision is None:
        return none
    return AT_HEAD.format(current=revision) if revision == head else revision


def describe_migration(migration: Migration, *, down: bool = False) -> str:
    head, _ = _revisions()
    if migration.before == migration.after:
        if migration.after == head:
            return ALREADY_AT_HEAD.format(head=head)
        return ALREADY.format(where=migration.after or BASE)
    template = DOWNGRADED if down else UPGRADED
    return template.format(
        before=_where(migration.before, head, none=EMPTY),
        after=_where(migration.after, head, none=BASE),
    )
