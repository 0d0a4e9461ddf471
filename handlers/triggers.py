"""Which Slack messages read as draft objectives. Pure: an event dict in, a decision out.

The rules (documented in README.md, "What the bot reads"):
- only new, top-level messages written by people: edits, deletions, bot messages, the
  bot's own messages and replies inside threads are ignored;
- a message is a draft when its first line starts with a draft prefix ("Objective:",
  "O:", "O1:", "OKR:", "Goal:", "Goal -", "KR:", "KR1:"), when it mentions the bot, when
  it is posted in a channel configured as an OKR channel, or when it is a direct message
  to the bot;
- empty and whitespace-only messages are never drafts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_PREFIX = re.compile(
    r"""^[\s>*_~`]*                      # quote and emphasis markup before the prefix
        (?:objective|okr|goal|o\d{0,2}|kr\d{0,2}|key\ results?)
        [*_~`]*\s*(?::|-|\u2013|\u2014)""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"[ \t]{2,}")
_HUMAN_CHANNEL_TYPES = frozenset({"channel", "group", "im", "mpim"})
# Subtypes that still carry a person's new top-level message.
_ALLOWED_SUBTYPES = frozenset({None, "file_share"})


class TriggerReason(StrEnum):
    PREFIX = "prefix"
    MENTION = "mention"
    OKR_CHANNEL = "okr_channel"
    DIRECT_MESSAGE = "direct_message"


@dataclass(frozen=True)
class DraftTrigger:
    reason: TriggerReason
    # The draft text with the bot's own mention removed.
    text: str


def _mention_pattern(bot_user_id: str) -> re.Pattern[str]:
    return re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>")


def draft_text(text: str, bot_user_id: str | None) -> str:
    """The text the coach reads: the message without the bot's mention, trimmed."""
    if bot_user_id:
        text = _SPACES.sub(" ", _mention_pattern(bot_user_id).sub(" ", text))
    return text.strip()


def detect_draft(
    event: Mapping[str, Any],
    *,
    bot_user_id: str | None,
    bot_id: str | None = None,
    okr_channel_ids: frozenset[str] = frozenset(),
) -> DraftTrigger | None:
    if event.get("type") not in {"message", "app_mention"}:
        return None
    if event.get("subtype") not in _ALLOWED_SUBTYPES:
        return None
    if event.get("bot_id") or event.get("bot_profile"):
        return None
    user = event.get("user")
    if not isinstance(user, str) or not user or user == bot_user_id:
        return None
    if bot_id and event.get("bot_id") == bot_id:
        return None
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != event.get("ts"):
        return None
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        return None

    if bot_user_id:
        mention = _mention_pattern(bot_user_id)
        if mention.search(text) or event.get("type") == "app_mention":
            stripped = _SPACES.sub(" ", mention.sub(" ", text)).strip()
            return DraftTrigger(TriggerReason.MENTION, stripped) if stripped else None

    channel_type = event.get("channel_type")
    if channel_type is not None and channel_type not in _HUMAN_CHANNEL_TYPES:
        return None
    if channel_type == "im":
        return DraftTrigger(TriggerReason.DIRECT_MESSAGE, text.strip())
    if _PREFIX.match(text):
        return DraftTrigger(TriggerReason.PREFIX, text.strip())
    if event.get("channel") in okr_channel_ids:
        return DraftTrigger(TriggerReason.OKR_CHANNEL, text.strip())
    return None


def edited_message(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The new version of an edited message as a plain message event, when its text changed.

    Link unfurls and reactions also arrive as ``message_changed`` with the same text; those
    are not edits of the draft.
    """
    if event.get("subtype") != "message_changed":
        return None
    message = event.get("message")
    previous = event.get("previous_message") or {}
    if not isinstance(message, dict) or not isinstance(previous, dict):
        return None
    if message.get("text") == previous.get("text"):
        return None
    return {
        "type": "message",
        "channel": event.get("channel"),
        "channel_type": event.get("channel_type"),
        "user": message.get("user"),
        "bot_id": message.get("bot_id"),
        "text": message.get("text"),
        "ts": message.get("ts"),
        "thread_ts": message.get("thread_ts"),
    }
