"""Finding people and channels by the name someone typed, and checking where the bot may post.

Slack sends ids for mentions when the slash command escapes them; older installs send the
typed ``@bob`` or ``#team-okrs``, which only Slack's own directory can turn into ids. Names are
matched the way Slack shows them: handle, display name or full name for people (a display
name is not unique, so two matches are reported rather than guessed), name for channels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

PAGE_SIZE = 200
CHANNEL_TYPES = "public_channel,private_channel"
# Slackbot is a user in users.list but never anyone's colleague.
_SLACKBOT = "USLACKBOT"


class NameNotFound(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class NameAmbiguous(LookupError):
    def __init__(self, name: str, ids: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.ids = ids


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _pages(response: Any, key: str) -> Iterator[dict[str, Any]]:
    # A SlackResponse iterates over its pages, following next_cursor.
    for page in response:
        yield from page.get(key) or []


def _user_names(user: dict[str, Any]) -> set[str]:
    profile = user.get("profile") or {}
    names = (
        user.get("name"),
        user.get("real_name"),
        profile.get("display_name"),
        profile.get("display_name_normalized"),
        profile.get("real_name"),
        profile.get("real_name_normalized"),
    )
    return {_key(n) for n in names if isinstance(n, str) and n.strip()}


def _one(name: str, matches: Iterable[str]) -> str:
    found = sorted(set(matches))
    if not found:
        raise NameNotFound(name)
    if len(found) > 1:
        raise NameAmbiguous(name, found)
    return found[0]


def find_user(client: WebClient, name: str) -> str:
    """The id of the one active person called ``name``; NameNotFound or NameAmbiguous."""
    wanted = _key(name)
    members = _pages(client.users_list(limit=PAGE_SIZE), "members")
    return _one(
        name,
        (
            str(user["id"])
            for user in members
            if not user.get("deleted")
            and not user.get("is_bot")
            and user.get("id") != _SLACKBOT
            and wanted in _user_names(user)
        ),
    )


def find_channel(client: WebClient, name: str) -> str:
    """The id of the channel called ``name`` (private ones only if the bot is in them)."""
    wanted = _key(name)
    channels = _pages(
        client.conversations_list(types=CHANNEL_TYPES, exclude_archived=True, limit=PAGE_SIZE),
        "channels",
    )
    return _one(name, (str(c["id"]) for c in channels if _key(str(c.get("name", ""))) == wanted))


@dataclass(frozen=True)
class ChannelAccess:
    """What ``conversations.info`` says about posting in a channel."""

    channel_id: str
    is_direct: bool
    is_archived: bool
    is_member: bool

    @property
    def can_post(self) -> bool:
        return not self.is_direct and not self.is_archived and self.is_member


def channel_access(client: WebClient, channel_id: str) -> ChannelAccess:
    """Raises SlackApiError (``channel_not_found`` for a private channel the bot is not in)."""
    channel = client.conversations_info(channel=channel_id).get("channel") or {}
    return ChannelAccess(
        channel_id=channel_id,
        is_direct=bool(channel.get("is_im") or channel.get("is_mpim")),
        is_archived=bool(channel.get("is_archived")),
        is_member=bool(channel.get("is_member")),
    )
