"""Making user text safe and short enough to echo back into Slack."""

from __future__ import annotations

import re

# Slack parses these three characters as control sequences (<!channel>, <@U1>, links).
_CONTROL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Plain-text broadcasts Slack may linkify; a zero-width joiner keeps them readable but inert.
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ZWJ = "\u200d"
ELLIPSIS = "…"


def escape(text: str) -> str:
    """User text made inert for mrkdwn and plain_text: no pings, no links, no mentions."""
    return _BROADCAST.sub(lambda m: "@" + _ZWJ + m.group(1), text.translate(_CONTROL))


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut on a word boundary where one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    # Never end inside an HTML entity that escape() produced.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + ELLIPSIS


def quote(text: str, limit: int) -> str:
    """Escaped, truncated and shown as a mrkdwn block quote."""
    return blockquote(escape(text.strip()), limit)


def blockquote(mrkdwn: str, limit: int) -> str:
    """Text already safe for mrkdwn, truncated and shown as a block quote."""
    body = truncate(mrkdwn.strip(), limit)
    return "\n".join("> " + line if line else ">" for line in body.splitlines())


BAR_WIDTH = 10


def progress_bar(fraction: float | None) -> str:
    """``▓▓▓▓▓▓░░░░ 60%``, readable at a glance on a phone."""
    if fraction is None:
        return "░" * BAR_WIDTH + " no data yet"
    clipped = max(0.0, min(1.0, fraction))
    filled = round(clipped * BAR_WIDTH)
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {round(clipped * 100)}%"
