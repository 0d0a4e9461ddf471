"""One error handler for every listener: log with the traceback and context, tell the user."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError

from bot.db import DATABASE_UNAVAILABLE
from bot.installations import RefreshPending

logger = logging.getLogger("okr_coach.errors")
UNHANDLED = '{"ok": false, "error": "unhandled_request"}'
NO_RETRY = {"X-Slack-No-Retry": "1", "Content-Type": "application/json"}
DATABASE_DOWN = (
    "I can't reach my database right now, so nothing was saved. Please try again in a minute."
)
SOMETHING_WRONG = "Something went wrong on my side. It's logged; please try again."
TOKEN_RENEWING = "OKR Coach is renewing its access to this workspace. Try again in a few seconds."


def _field(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def context_of(body: Any) -> dict[str, Any]:
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


def handle_error(error: Exception, body: Any, respond: Respond) -> BoltResponse:
    if isinstance(error, BoltUnhandledRequestError):
        # A signed request no listener matches (a payload type we do not know): say so,
        # and ask Slack not to retry something that will never match.
        logger.warning("unhandled request", extra=context_of(body))
        return BoltResponse(status=404, body=UNHANDLED, headers=NO_RETRY)
    if isinstance(error, RefreshPending):
        return _come_back(body)
    logger.error("listener failed: %r", error, extra=context_of(body), exc_info=error)
    if isinstance(body, dict) and body.get("response_url"):
        text = DATABASE_DOWN if isinstance(error, DATABASE_UNAVAILABLE) else SOMETHING_WRONG
        try:
            respond(response_type="ephemeral", replace_original=False, text=text)
        except Exception:  # telling the user is best effort; the failure itself is logged
            logger.warning("could not tell the user about the failure", extra=context_of(body))
    return BoltResponse(status=500, body="")


def _come_back(body: Any) -> BoltResponse:
    """The workspace's token is being refreshed: an event comes back by Slack's own retry,
    a command or a click (never retried) gets a short private note."""
    logger.info("token refresh in progress: answered at once", extra=context_of(body))
    if isinstance(body, dict) and body.get("type") == "event_callback":
        return BoltResponse(status=503, body='{"ok": false, "error": "token_refresh"}')
    note = json.dumps({"response_type": "ephemeral", "text": TOKEN_RENEWING})
    return BoltResponse(status=200, body=note, headers={"Content-Type": "application/json"})


def register(app: App) -> None:
    app.error(handle_error)
