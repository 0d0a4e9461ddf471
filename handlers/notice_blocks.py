"""Private notices for what went wrong: each says what happened and what to do about it.

Pure builders; ``handlers.errors`` and the listeners decide where the notice goes.
"""

from __future__ import annotations

from handlers import ids
from handlers.blocks import Message, plain_message

INVITE_HINT = "invite me with `/invite @OKR Coach`"
EXPIRED_BUTTON = (
    "That button took too long to open its form (Slack allows three seconds), so nothing "
    "opened. Click it again{alternative}."
)
EXPIRED_ALTERNATIVE = " or type `{command}`"
EXPIRED_TRIGGER = (
    "Slack closed that form before I could open it (it allows three seconds). "
    "Please run the command again."
)
MISSING_SCOPE = (
    "I don't have the Slack permission this needs ({needed}). Ask a workspace admin to "
    "reinstall OKR Coach from its app settings (*Install App*), so it gets every permission "
    "in its manifest."
)
MISSING_SCOPE_UNNAMED = "a permission added in a newer version of the app"
RESTRICTED_ACTION = (
    "Slack's settings for this workspace or channel don't let me do that (posting may be "
    "limited to admins). Ask a workspace admin, or try it in a DM with me."
)
NOT_IN_CHANNEL = (
    "I'm not a member of that channel, so I can't post there. To use me in it, " + INVITE_HINT + "."
)
SAVED_NOT_IN_CHANNEL = (
    "(I'm not in <#{channel}>, so this came here instead. To see my answers in that channel, "
    + INVITE_HINT
    + " there.)"
)
SAVED_RESTRICTED = (
    "(Slack's settings don't let me post in <#{channel}>, so this came here instead. A "
    "workspace admin can change who may post there.)"
)
DATABASE_DOWN = (
    "I can't reach my database right now, so nothing was saved. Please try again in a minute."
)
TOKEN_RENEWING = "OKR Coach is renewing its access to this workspace. Try again in a few seconds."
SOMETHING_WRONG = "Something went wrong on my side. It's logged; please try again."

# Commands that do what a button does, for when the button keeps expiring.
_COMMAND_FOR_ACTION = {
    ids.ACTION_HOME_CHECKIN: "/okr checkin",
    ids.ACTION_OPEN_CHECKIN: "/okr checkin",
    ids.ACTION_HOME_ADD: "/okr add",
    ids.ACTION_SAVE_AS_OKR: "/okr add",
}


def expired_button(action_id: str | None) -> Message:
    command = _COMMAND_FOR_ACTION.get(action_id or "")
    alternative = EXPIRED_ALTERNATIVE.format(command=command) if command else ""
    return plain_message(EXPIRED_BUTTON.format(alternative=alternative))


def missing_scope(needed: str | None) -> Message:
    scopes = ", ".join(f"`{s}`" for s in (needed or "").split(",") if s.strip())
    return plain_message(MISSING_SCOPE.format(needed=scopes or MISSING_SCOPE_UNNAMED))


def saved_elsewhere(message: Message, channel_id: str, error: str) -> Message:
    """A confirmation meant for a channel the bot could not post in, saying how to fix it."""
    template = SAVED_RESTRICTED if error == "restricted_action" else SAVED_NOT_IN_CHANNEL
    note = template.format(channel=channel_id)
    return plain_message(f"{message.text}\n{note}")
