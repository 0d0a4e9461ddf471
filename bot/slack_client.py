"""The Web API client: pointed at ``SLACK_API_URL``, retrying what Slack asks us to retry."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings


def retry_handlers() -> list:
    # Rate limits: slack_sdk sleeps for Retry-After, then tries again (a backstop only;
    # bulk senders pace themselves).
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
    ]


def create_web_client(
    settings: Settings, token: str | None = None, *, logger: logging.Logger | None = None
) -> WebClient:
    """A client with ``token`` (default: the bot token); "" means one without a token."""
    if token is None:
        token = settings.slack_bot_token
    return WebClient(
        # None, not "": Bolt takes an empty string for a token and warns it will be ignored.
        token=token or None,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
        retry_handlers=retry_handlers(),
        logger=logger,
    )


def paced_by_caller(client: WebClient) -> WebClient:
    """The same client without slack_sdk's own 429 retries: for callers that pace themselves
    and handle a 429 in one place (the sleep, and telling every other worker to slow down)."""
    paced = WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        retry_handlers=[
            h for h in client.retry_handlers if not isinstance(h, RateLimitErrorRetryHandler)
        ],
        logger=client._logger,
    )
    paced.default_params = dict(client.default_params)
    return paced


def retry_after(error: SlackApiError, default: float = 1.0) -> float | None:
    """Seconds Slack asked us to wait, when the error is a rate limit (429); else None."""
    response = error.response
    if response is None or getattr(response, "status_code", None) != 429:
        return None
    headers = response.headers or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), default)
    if isinstance(value, list):  # urllib gives each header's values as a list
        value = value[0] if value else default
    try:
        return max(default, float(value))
    except (TypeError, ValueError):
        return default


def slack_error_code(error: SlackApiError) -> str:
    """The ``error`` field of a failed Web API call, or "" when there is none to read."""
    response = error.response
    try:
        return str(response.get("error") or "") if response is not None else ""
    except Exception:
        return ""
