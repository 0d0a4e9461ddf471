"""One error handler for every listener: log with the traceback and context."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError

logger = logging.getLogger("okr_coach.errors")
UNHANDLED = '{"ok": false, "error": "unhandled_request"}'


def _field(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _context_of(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        return {}
    team = body.get("team_id") or _field(body.get("team"), "id")
    user = body.get("user_id") or _field(body.get("user"), "id")
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    return {
        "team_id": team,
        "user_id": user or event.get("user"),
        "event_id": body.get("event_id"),
        "payload_type": body.get("type") or body.get("command"),
    }


def handle_error(error: Exception, body: Any) -> BoltResponse:
    if isinstance(error, BoltUnhandledRequestError):
        # A signed request no listener matches (a payload type we do not know): say so.
        logger.warning("unhandled request", extra=_context_of(body))
        return BoltResponse(status=404, body=UNHANDLED)
    logger.exception("listener failed: %s", error, extra=_context_of(body), exc_info=error)
    return BoltResponse(status=500, body="")


def register(app: App) -> None:
    app.error(handle_error)
