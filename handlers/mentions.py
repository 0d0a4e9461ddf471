"""People and channels named in a slash command, in every form Slack may send them.

Pure: text in, a ``Reference`` out. With ``should_escape: true`` (our manifest) Slack sends ids:
``<@U123|bob>``, ``<@U123>``, ``<#C123|team-okrs>``, ``<#C123>``. Installs made from an older
manifest send what was typed: ``@bob``, ``@Bob Smith``, ``#team-okrs``; those names are
looked up in ``bot.directory``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_USER_ESCAPED = re.compile(r"^<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL_ESCAPED = re.compile(r"^<#(?P<id>[CG][A-Z0-9]+)(?:\|[^>]*)?>$")
# A display name may hold spaces and most punctuation, never Slack's control characters.
_USER_RAW = re.compile(r"^@(?P<name>[^\s<>@#&][^<>@#&]{0,79})$")
# Slack channel names: lower case letters, digits, hyphens, underscores and periods, 80 at most.
_CHANNEL_RAW = re.compile(r"^#(?P<name>[\w.-]{1,80})$")


@dataclass(frozen=True)
class Reference:
    """A Slack id when Slack escaped the mention, else the name as typed (without @ or #)."""

    id: str | None = None
    name: str | None = None


def _reference(text: str, escaped: re.Pattern[str], raw: re.Pattern[str]) -> Reference | None:
    stripped = " ".join(text.split())
    found = escaped.match(stripped)
    if found:
        return Reference(id=found.group("id"))
    found = raw.match(stripped)
    if found:
        return Reference(name=found.group("name").strip())
    return None


def user_reference(text: str) -> Reference | None:
    """``<@U123|bob>``, ``<@U123>``, ``@bob`` or ``@Bob Smith``; None for anything else."""
    return _reference(text, _USER_ESCAPED, _USER_RAW)


def channel_reference(text: str) -> Reference | None:
    """``<#C123|team-okrs>``, ``<#C123>`` or ``#team-okrs``; None for anything else."""
    found = _reference(text, _CHANNEL_ESCAPED, _CHANNEL_RAW)
    # Slack's channel names are lower case; people type them any way.
    return Reference(name=found.name.lower()) if found and found.name else found
