"""A person or channel named in a command, as a Slack id or as a private answer saying why not.

Escaped mentions carry their id; typed names are looked up in Slack's directory.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.directory import NameAmbiguous, NameNotFound, find_channel, find_user
from bot.slack_client import slack_error_code
from handlers.blocks import Message, plain_message
from handlers.mentions import Reference
from handlers.notice_blocks import INVITE_HINT, missing_scope
from handlers.text import escape, truncate

NAME_LIMIT = 80
MAX_CANDIDATES = 5
USER_UNKNOWN = (
    "I can't find anyone called @{name} in this workspace. Type @ and pick them from the list "
    "Slack shows, like `/okr list @someone`."
)
USER_AMBIGUOUS = (
    "More than one person goes by @{name}: {people}. Type @ and pick the one you mean from the "
    "list Slack shows."
)
CHANNEL_UNKNOWN = (
    "I can't find a channel called #{name}. Check the name; if it's private, "
    + INVITE_HINT
    + " there first, then try again."
)
CHANNEL_AMBIGUOUS = (
    "More than one channel is called #{name}. Type # and pick it from the list Slack shows."
)


def _shown(name: str) -> str:
    return truncate(escape(name), NAME_LIMIT)


def _directory_failure(error: SlackApiError) -> Message:
    """Lookups need ``users:read`` or ``channels:read``; older installs may lack the latter."""
    if slack_error_code(error) != "missing_scope":
        raise error
    return missing_scope(error.response.get("needed"))


def _resolve(
    client: WebClient,
    reference: Reference,
    find: Callable[[WebClient, str], str],
    unknown: str,
    ambiguous: Callable[[str, list[str]], str],
) -> str | Message:
    if reference.id:
        return reference.id
    name = reference.name or ""
    try:
        return find(client, name)
    except NameNotFound:
        return plain_message(unknown.format(name=_shown(name)))
    except NameAmbiguous as error:
        return plain_message(ambiguous(_shown(name), error.ids))
    except SlackApiError as error:
        return _directory_failure(error)


def _people(name: str, ids: list[str]) -> str:
    people = ", ".join(f"<@{user}>" for user in ids[:MAX_CANDIDATES])
    return USER_AMBIGUOUS.format(name=name, people=people)


def resolve_user(client: WebClient, reference: Reference) -> str | Message:
    """The person's id, or why it cannot be told (unknown, several people, no permission)."""
    return _resolve(client, reference, find_user, USER_UNKNOWN, _people)


def resolve_channel(client: WebClient, reference: Reference) -> str | Message:
    """The channel's id, or why it cannot be told."""
    return _resolve(
        client,
        reference,
        find_channel,
        CHANNEL_UNKNOWN,
        lambda name, _ids: CHANNEL_AMBIGUOUS.format(name=name),
    )
