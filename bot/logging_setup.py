"""Structured, secret-free logs: one JSON object per line with the request's context."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

CONTEXT_FIELDS = ("team_id", "user_id", "channel_id", "event_id", "payload_type", "job")
_SECRET = re.compile(r"xox[abeprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _SECRET.sub(lambda m: m.group(0)[:5] + "[redacted]", text)


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        # Exact secrets (the signing secret has no recognisable prefix), longest first.
        self._secrets = tuple(sorted((s for s in secrets if len(s) >= 8), key=len, reverse=True))

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str), self._secrets)


def configure_logging(level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic logs a dozen INFO lines per start (plugins, each step); the entry point logs
    # one line saying where the database went instead.
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
