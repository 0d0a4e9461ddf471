"""Telling the person who acted something only they see, wherever they acted from."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from handlers.blocks import Message


def _user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    return body.get("user_id")


def _channel_id(body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    if isinstance(channel, dict):
        return channel.get("id")
    return body.get("channel_id")


def tell(
    body: dict[str, Any], client: WebClient, respond: Respond | None, message: Message
) -> None:
    """Ephemeral where Slack gives us a way (a response_url or a channel), else a DM.

    App Home buttons and modal submissions carry neither, so the app's own DM is the only
    private place left.
    """
    if respond is not None and body.get("response_url"):
        respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
        return
    user_id = _user_id(body)
    channel_id = _channel_id(body)
    if channel_id and user_id and not channel_id.startswith("D"):
        client.chat_postEphemeral(channel=channel_id, user=user_id, **message.as_kwargs())
        return
    if user_id:
        client.chat_postMessage(channel=user_id, **message.as_kwargs())


def show_privately(
    body: dict[str, Any], client: WebClient, respond: Respond | None, message: Message
) -> None:
    """Something the person will want to keep reading, like their full review.

    In a DM with the bot it is a message of its own, which stays; elsewhere it is ephemeral,
    seen by them alone.
    """
    channel_id = _channel_id(body) or ""
    if channel_id.startswith("D"):
        client.chat_postMessage(channel=channel_id, **message.as_kwargs())
        return
    tell(body, client, respond, message)
