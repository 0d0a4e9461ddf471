"""One error handler for every listener: log with context, and tell the person what happened.

Failures a person can meet (a button that expired, a permission the install lacks, a channel
the bot is not in, the database down) get a specific private answer and a warning in the
log; anything else is logged with its traceback and answered with a kind apology. Nothing
fails silently: a slash command is answered through its response_url, a form keeps its
input and shows the answer under its first field, a button anywhere (App Home included) is
answered ephemerally or in the app's DM.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import DATABASE_UNAVAILABLE
from bot.installations import RefreshPending
from bot.slack_client import slack_error_code
from handlers.blocks import Message, plain_message
from handlers.notice_blocks import (
    DATABASE_DOWN,
    EXPIRED_TRIGGER,
    NOT_IN_CHANNEL,
    RESTRICTED_ACTION,
    SOMETHING_WRONG,
    TOKEN_RENEWING,
    expired_button,
    missing_scope,
)
from handlers.replies import tell

__all__ = [
    "DATABASE_DOWN",
    "SOMETHING_WRONG",
    "TOKEN_RENEWING",
    "handle_error",
    "notice_for",
    "register",
]

logger = logging.getLogger("okr_coach.errors")
UNHANDLED = '{"ok": false, "error": "unhandled_request"}'
NO_RETRY = {"X-Slack-No-Retry": "1", "Content-Type": "application/json"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
# views.open's answers when a trigger_id is older than Slack's three seconds, or used twice.
TRIGGER_ERRORS = frozenset(
    {"expired_trigger_id", "trigger_expired", "invalid_trigger_id", "trigger_exchanged"}
)
NOT_IN_CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# Payloads a person sent by acting; events are Slack's and retried, so nobody is told.
_INTERACTIVE = frozenset({"block_actions", "view_submission", "shortcut", "message_action"})


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


def _action_id(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return _field(first, "action_id")


def notice_for(error: Exception, body: dict[str, Any]) -> Message | None:
    """The specific answer to a failure a person can meet; None for a bug."""
    if isinstance(error, DATABASE_UNAVAILABLE):
        return plain_message(DATABASE_DOWN)
    if not isinstance(error, SlackApiError):
        return None
    code = slack_error_code(error)
    if code in TRIGGER_ERRORS:
        if body.get("type") == "block_actions":
            return expired_button(_action_id(body))
        return plain_message(EXPIRED_TRIGGER)
    if code == "missing_scope":
        return missing_scope(error.response.get("needed"))
    if code == "restricted_action":
        return plain_message(RESTRICTED_ACTION)
    if code in NOT_IN_CHANNEL_ERRORS:
        return plain_message(NOT_IN_CHANNEL)
    return None


def _first_input_block(body: dict[str, Any]) -> str | None:
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    values = _field(view.get("state"), "values")
    return next(iter(values), None) if isinstance(values, dict) else None


def _tell(body: dict[str, Any], client: WebClient, respond: Respond, message: Message) -> None:
    """Privately, where the person acted; telling is best effort, the failure is logged."""
    try:
        if body.get("response_url"):
            respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
        elif body.get("type") in _INTERACTIVE:
            tell(body, client, None, message)
    except Exception:  # the original failure is already logged with its traceback
        logger.warning("could not tell the user about the failure", extra=context_of(body))


def handle_error(
    error: Exception,
    body: Any,
    respond: Respond,
    client: WebClient,
    ack: Ack,
    response: BoltResponse | None,
) -> BoltResponse | None:
    if isinstance(error, BoltUnhandledRequestError):
        # A signed request no listener matches (a payload type we do not know): say so,
        # and ask Slack not to retry something that will never match.
        logger.warning("unhandled request", extra=context_of(body))
        return BoltResponse(status=404, body=UNHANDLED, headers=NO_RETRY)
    if isinstance(error, RefreshPending):
        return _come_back(body)
    body = body if isinstance(body, dict) else {}
    notice = notice_for(error, body)
    if isinstance(error, SlackApiError) and notice is not None:
        logger.warning(
            "listener met a Slack error: %s", slack_error_code(error), extra=context_of(body)
        )
    else:
        logger.error("listener failed: %r", error, extra=context_of(body), exc_info=error)
    message = notice or plain_message(SOMETHING_WRONG)
    block = _first_input_block(body) if body.get("type") == "view_submission" else None
    if response is not None and ack.response is None and block is not None:
        # The form is still open: keep what was typed and say why it was not saved.
        errors = {"response_action": "errors", "errors": {block: message.text}}
        return BoltResponse(status=200, body=json.dumps(errors), headers=JSON)
    _tell(body, client, respond, message)
    if response is None:
        return None  # already acknowledged: Slack has had its answer
    answered = notice is not None and (body.get("type") in _INTERACTIVE or "command" in body)
    return BoltResponse(status=200 if answered else 500, body="")


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
