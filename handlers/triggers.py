"""What the bot does with a Slack message. Pure: an event dict in, a decision out.

Every message event goes through ``route_message``, the one place that decides, so new kinds
of conversation (say, replies to the weekly reminder read as check-ins) slot in here.

The rules (documented in README.md, "What the bot reads"):
- only messages written by people: edits, deletions, bot messages and the bot's own messages
  are ignored;
- replies inside threads are ignored unless they mention the bot, which answers in that
  thread;
- a top-level message is a draft when its first line starts with a draft prefix
  ("Objective:", "O:", "O1:", "OKR:", "Goal:", "Goal -", "KR:", "KR1:"), when it mentions the
  bot, when it is posted in a channel configured as an OKR channel, or when it is a direct
  message to the bot;
- small talk ("hi", "thanks", "help", "?") is never coached: in a DM or a mention it gets a
  friendly help answer, in an OKR channel nothing;
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
# Subtypes that still carry a person's new message.
_ALLOWED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Small talk: short, no numbers, nothing but greetings, thanks and words about the bot.
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
SMALL_TALK_MAX_WORDS = 6
# Longer than this is never small talk; checked first, so a long draft costs nothing here.
SMALL_TALK_MAX_CHARS = 120
_SMALL_TALK = _words(
    "hi hello hey heya hiya yo howdy greetings gm morning afternoon evening good day",
    "night thanks thank thx ty tysm cheers ta you so much lot lots very many again ok",
    "okay k kk cool great nice awesome perfect sure yes yeah yep no nope got it bye",
    "goodbye later see ya cya hmm hm oh ah lol test testing ping hellooo please pls",
    "plz help me us what's whats how's hows up sup going are doing is this there all",
    "everyone folks team dear friend coach bot okr okrs a the an i we",
)
# A short question to the bot ("what can you do?") asks for help, not for a review.
_QUESTION_WORDS = _words(
    "what how who why can could do does is are where when should will would which"
)


class Action(StrEnum):
    REVIEW = "review"
    HELP = "help"


class TriggerReason(StrEnum):
    PREFIX = "prefix"
    MENTION = "mention"
    OKR_CHANNEL = "okr_channel"
    DIRECT_MESSAGE = "direct_message"


@dataclass(frozen=True)
class Route:
    action: Action
    reason: TriggerReason
    # The draft text with the bot's own mention removed.
    text: str
    # The thread to answer in; None answers in the conversation itself (a DM).
    thread_ts: str | None


def _mention_pattern(bot_user_id: str) -> re.Pattern[str]:
    return re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>")


def mentions_bot(text: str, bot_user_id: str | None) -> bool:
    return bool(bot_user_id) and _mention_pattern(str(bot_user_id)).search(text) is not None


def draft_text(text: str, bot_user_id: str | None) -> str:
    """The text the coach reads: the message without the bot's mention, trimmed."""
    if bot_user_id:
        text = _SPACES.sub(" ", _mention_pattern(bot_user_id).sub(" ", text))
    return text.strip()


def is_small_talk(text: str) -> bool:
    """Greetings, thanks, "help" and short questions to the bot: nothing to coach."""
    if len(text) > SMALL_TALK_MAX_CHARS or _PREFIX.match(text):
        return False
    if any(ch.isdigit() for ch in text):
        return False
    words = _WORD.findall(_EMOJI_CODE.sub(" ", text).replace("\u2019", "'").lower())
    if not words:
        return True  # "?", an emoji, a lone mention
    if len(words) > SMALL_TALK_MAX_WORDS:
        return False
    if all(word in _SMALL_TALK for word in words) or words[0] == "help":
        return True
    return text.rstrip().endswith("?") and words[0] in _QUESTION_WORDS


def _is_from_a_person(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    if event.get("type") not in {"message", "app_mention"}:
        return False
    if event.get("subtype") not in _ALLOWED_SUBTYPES:
        return False
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    user = event.get("user")
    return isinstance(user, str) and bool(user) and user != bot_user_id


def route_message(
    event: Mapping[str, Any],
    *,
    bot_user_id: str | None,
    okr_channel_ids: frozenset[str] = frozenset(),
) -> Route | None:
    """What to do with a message event, or None to stay quiet."""
    if not _is_from_a_person(event, bot_user_id):
        return None
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    channel_type = event.get("channel_type")
    if channel_type is not None and channel_type not in _HUMAN_CHANNEL_TYPES:
        return None
    ts = event.get("ts")
    thread_ts = event.get("thread_ts")
    in_thread = bool(thread_ts) and thread_ts != ts
    cleaned = draft_text(text, bot_user_id)
    action = Action.HELP if is_small_talk(cleaned) else Action.REVIEW

    # Answer where the person spoke: in their thread, in a new thread under a channel
    # message, or straight in the DM.
    answer_in = thread_ts if in_thread else None if channel_type == "im" else ts
    if event.get("type") == "app_mention" or mentions_bot(text, bot_user_id):
        return Route(action, TriggerReason.MENTION, cleaned, answer_in)
    if channel_type == "im":
        # In a DM everything is said to the bot, a reply in a thread (the weekly reminder's,
        # say) included: answered where it was said.
        return Route(action, TriggerReason.DIRECT_MESSAGE, cleaned, answer_in)
    if in_thread:
        return None
    if _PREFIX.match(text):
        return Route(Action.REVIEW, TriggerReason.PREFIX, cleaned, ts)
    if event.get("channel") in okr_channel_ids and action is Action.REVIEW:
        return Route(Action.REVIEW, TriggerReason.OKR_CHANNEL, cleaned, ts)
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
