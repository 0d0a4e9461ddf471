"""What the bot says when someone talks to it rather than posting a draft. Pure."""

from __future__ import annotations

from handlers.blocks import Message, context, section

HELLO = (
    "Hi! I'm OKR Coach. Send me a draft objective and I'll tell you what would make it stronger."
)
HOW_TO_DRAFT = (
    "Put the objective on the first line and each key result on its own line:\n"
    "> Objective: Make onboarding effortless for new teams\n"
    "> KR1: Raise week-1 activation from 35% to 60% by end of Q4"
)
WHERE_ELSE = (
    "In a channel, start a message with `Objective:` or mention me, and I'll answer in its "
    "thread. `/okr help` lists everything else."
)


def help_reply() -> Message:
    """A friendly answer to "hi", "thanks", "help" or "?": how to get a review."""
    return Message(text=HELLO, blocks=[section(HELLO), section(HOW_TO_DRAFT), context(WHERE_ELSE)])
