"""gunicorn server hooks for the Procfile's ``web`` line (``-c python:bot.gunicorn_hooks``).

gunicorn runs ``on_starting`` once, in the master, before it binds the port or forks a
worker. Checking there turns a wrong token or an unmigrated database into one line and a
non-zero exit, instead of a traceback from every worker and "Worker failed to boot".
"""

from __future__ import annotations

import sys
from typing import Any

from bot.config import EXIT_CONFIG, ConfigError, load_settings
from bot.preflight import check_before_starting


def on_starting(server: Any) -> None:
    try:
        check_before_starting(load_settings())
    except ConfigError as error:
        print(f"okr-coach: {error}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_CONFIG) from None
