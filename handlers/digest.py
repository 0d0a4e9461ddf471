"""``/okr digest``: where the team's weekly digest goes, checked before it is saved.

A workspace-wide setting, so admins and owners only. A channel is saved only once the bot
can post there: a member of it, and it is not archived nor a DM. Otherwise the answer says
what to fix and nothing changes.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.directory import channel_access
from bot.reminders import set_digest_channel
from bot.slack_client import slack_error_code
from handlers.blocks import Message, plain_message
from handlers.lookup import resolve_channel
from handlers.mentions import Reference, channel_reference
from handlers.notice_blocks import INVITE_HINT, missing_scope

logger = logging.getLogger(__name__)

DIGEST_ON = (
    "The weekly digest (who checked in, confidence falling, key results at risk) will go to "
    "<#{channel}> on Fridays."
)
DIGEST_OFF = "The weekly digest is off."
DIGEST_USAGE = "Try `/okr digest here`, `/okr digest #channel` or `/okr digest off`."
DIGEST_ADMINS_ONLY = (
    "Only workspace admins and owners can choose where the weekly digest goes. "
    "Ask one of them to run `/okr digest`."
)
PERMISSION_UNKNOWN = "I couldn't check your permissions with Slack just now. Please try again."
DIGEST_NOT_MEMBER = (
    "I'm not in <#{channel}>, so I couldn't post the digest there; nothing was changed. "
    "To fix it, " + INVITE_HINT + " in <#{channel}>, then run this command again."
)
DIGEST_CANT_SEE = (
    "I can't see that channel: it is private and I'm not in it. To fix it, "
    + INVITE_HINT
    + " there, then run this command again. Nothing was changed."
)
DIGEST_ARCHIVED = "<#{channel}> is archived, so nobody would read the digest there. Pick another."
DIGEST_NOT_A_CHANNEL = (
    "The digest goes to a channel the team reads, not a direct message. Run `/okr digest here` "
    "in that channel, or name it: `/okr digest #channel`."
)


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Admins, owners and the primary owner, as Slack reports them (``users:read``)."""
    user = client.users_info(user=user_id).get("user") or {}
    return any(user.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))


def _is_direct(channel_id: str) -> bool:
    return channel_id.startswith("D")


def _reference(arg: str, here: str | None) -> Reference | None:
    if arg.lower() == "here":
        return Reference(id=here) if here else None
    return channel_reference(arg)


def _checked(client: WebClient, channel_id: str) -> Message | None:
    """Why the digest cannot go to ``channel_id``; None when the bot can post there."""
    if _is_direct(channel_id):
        return plain_message(DIGEST_NOT_A_CHANNEL)
    try:
        access = channel_access(client, channel_id)
    except SlackApiError as error:
        code = slack_error_code(error)
        if code == "channel_not_found":
            return plain_message(DIGEST_CANT_SEE)
        if code == "missing_scope":
            return missing_scope(error.response.get("needed"))
        raise
    if access.is_direct:
        return plain_message(DIGEST_NOT_A_CHANNEL)
    if access.is_archived:
        return plain_message(DIGEST_ARCHIVED.format(channel=channel_id))
    if not access.is_member:
        return plain_message(DIGEST_NOT_MEMBER.format(channel=channel_id))
    return None


def digest_reply(
    deps: Deps, client: WebClient, team_id: str, user_id: str, rest: str, here: str | None
) -> Message:
    arg = " ".join(rest.split())
    turning_off = arg.lower() == "off"
    reference = None if turning_off else _reference(arg, here)
    if reference is None and not turning_off:
        return plain_message(DIGEST_USAGE)
    try:
        if not is_workspace_admin(client, user_id):
            return plain_message(DIGEST_ADMINS_ONLY)
    except SlackApiError as error:
        logger.warning(
            "users.info failed while checking digest permissions: %s",
            slack_error_code(error),
            extra={"team_id": team_id, "user_id": user_id},
        )
        return plain_message(PERMISSION_UNKNOWN)
    if reference is None:
        set_digest_channel(deps, team_id, None)
        return plain_message(DIGEST_OFF)
    channel = resolve_channel(client, reference)
    if isinstance(channel, Message):
        return channel
    problem = _checked(client, channel)
    if problem is not None:
        return problem
    set_digest_channel(deps, team_id, channel)
    return plain_message(DIGEST_ON.format(channel=channel))
