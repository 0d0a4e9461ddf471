"""What a long-running process checks once before it starts: the tokens and the schema.

Each failure is a ConfigError carrying the one line to print, so a first run with a wrong
token, an unreachable Slack or an unmigrated database ends calmly instead of in tracebacks.
"""

from __future__ import annotations

from bot.config import Settings, sqlite_path
from bot.schema import require_current_schema
from bot.slack_check import check_app_token, check_bot_token


def check_before_starting(
    settings: Settings,
    *,
    slack: bool = True,
    socket_mode: bool = False,
    upgrades_sqlite: bool = False,
) -> None:
    """Raise ConfigError unless Slack accepts our tokens and the database is migrated.

    ``slack``: check SLACK_BOT_TOKEN (distributed mode has no bot token of its own).
    ``socket_mode``: this process connects with SLACK_APP_TOKEN, so check that one too.
    ``upgrades_sqlite``: the caller migrates a SQLite file itself right after, so a missing or
    old one is fine (the quick start needs no separate ``db upgrade``).
    """
    if slack and not settings.distributed:
        check_bot_token(settings)
    if socket_mode:
        check_app_token(settings)
    if not (upgrades_sqlite and sqlite_path(settings.database_url) is not None):
        require_current_schema(settings.database_url)
