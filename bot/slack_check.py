"""Asking Slack once, before serving, whether it accepts the tokens we were given.

Bolt would ask too, with ``auth.test`` in every gunicorn worker: a wrong token then ends in
a traceback per worker and "Worker failed to boot". Asked here, in the process that starts
the workers, a wrong token or an unreachable Slack costs one line that says what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.client import HTTPException

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.config import ConfigError, Settings
from bot.slack_client import create_web_client, slack_error_code

# Slack's answers to a token it will not accept, whatever the request.
REJECTED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
# The token was good once: the app was uninstalled, or the workspace or token deactivated.
NO_LONGER_VALID = frozenset({"account_inactive", "token_revoked", "token_expired"})

BOT_TOKEN_REJECTED = "Slack rejected SLACK_BOT_TOKEN ({error}): {fix}"
BOT_TOKEN_FIX = "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page"
BOT_TOKEN_REINSTALL = (
    "reinstall the app from its OAuth & Permissions page, then copy the new Bot User OAuth "
    "Token (xoxb-…)"
)
APP_TOKEN_REJECTED = (
    "Slack rejected SLACK_APP_TOKEN ({error}): turn on Socket Mode in the app's settings and "
    "copy an app-level token (xapp-…) with connections:write from Basic Information → "
    "App-Level Tokens, or unset SLACK_APP_TOKEN to serve over HTTP"
)
UNREACHABLE = (
    "cannot reach the Slack API at {url} ({reason}): check the network, or SLACK_API_URL if "
    "you set it"
)
FAILED = (
    "Slack's {method} at {url} failed ({error}): try again in a minute, or check SLACK_API_URL "
    "if you set it"
)
REASON_LIMIT = 120  # a proxy's HTML error page is not a reason anyone wants to read in full


class SlackCheckFailed(ConfigError):
    """Slack refused a token, or could not be asked."""


def _quiet_logger() -> logging.Logger:
    # slack_sdk logs every failed attempt at ERROR; the one line we raise says it all.
    quiet = logging.getLogger("okr_coach.slack_check")
    quiet.propagate = False
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    return quiet


def _short(reason: object) -> str:
    text = " ".join(str(reason).split()) or "no answer"
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def _ask(
    settings: Settings,
    method: str,
    call: Callable[[WebClient], SlackResponse],
    rejected: Callable[[str], str],
) -> SlackResponse:
    try:
        return call(create_web_client(settings, logger=_quiet_logger()))
    except SlackApiError as error:
        code = slack_error_code(error)
        if code in REJECTED:
            raise SlackCheckFailed(rejected(code)) from None
        if not code and error.response is not None:
            code = f"HTTP {error.response.status_code}"
        url = settings.slack_api_url
        raise SlackCheckFailed(FAILED.format(method=method, url=url, error=_short(code))) from None
    except (OSError, HTTPException) as error:
        # URLError wraps the socket's own error (refused, DNS, TLS) in .reason.
        reason = _short(getattr(error, "reason", None) or error)
        url = settings.slack_api_url
        raise SlackCheckFailed(UNREACHABLE.format(url=url, reason=reason)) from None


def _bot_token_rejected(code: str) -> str:
    fix = BOT_TOKEN_REINSTALL if code in NO_LONGER_VALID else BOT_TOKEN_FIX
    return BOT_TOKEN_REJECTED.format(error=code, fix=fix)


def check_bot_token(settings: Settings) -> SlackResponse:
    """``auth.test`` with SLACK_BOT_TOKEN; raises SlackCheckFailed with the line to print."""
    return _ask(settings, "auth.test", lambda client: client.auth_test(), _bot_token_rejected)


def check_app_token(settings: Settings) -> None:
    """Socket Mode's ``apps.connections.open`` with SLACK_APP_TOKEN, the call it starts with.

    The WebSocket URL it returns is left unused: the handler asks for its own when it connects.
    """
    _ask(
        settings,
        "apps.connections.open",
        lambda client: client.apps_connections_open(app_token=settings.slack_app_token or ""),
        lambda code: APP_TOKEN_REJECTED.format(error=code),
    )


def check_tokens(settings: Settings) -> None:
    """Every token this process will use. Distributed mode has no bot token of its own."""
    if not settings.distributed:
        check_bot_token(settings)
    if settings.socket_mode:
        check_app_token(settings)
