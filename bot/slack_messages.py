"""Find a message the bot posted earlier by the metadata it carries.

Both the draft path and the reminders post with message metadata naming what the message
is for; when a worker dies between Slack accepting a message and the database recording
it, whoever takes the work over looks for that message before posting again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient

# Enough for any thread or DM the bot has just posted in.
HISTORY_LIMIT = 200


def metadata(event_type: str, **payload: Any) -> dict[str, Any]:
    """The ``metadata`` argument of chat.postMessage."""
    return {"event_type": event_type, "event_payload": payload}


def find_by_metadata(
    client: WebClient,
    *,
    channel: str,
    event_type: str,
    matches: Callable[[Mapping[str, Any]], bool],
    thread_ts: str | None = None,
    oldest: str | None = None,
    limit: int = HISTORY_LIMIT,
) -> Mapping[str, Any] | None:
    """The first message in the thread (or the channel since ``oldest``) whose metadata is of
    ``event_type`` and whose payload ``matches``. Slack errors are the caller's to handle."""
    if thread_ts is not None:
        page = client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=limit
        )
    else:
        page = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=limit
        )
    for message in page.get("messages") or []:
        meta = message.get("metadata") or {}
        if meta.get("event_type") == event_type and matches(meta.get("event_payload") or {}):
            return dict(message)
    return None
