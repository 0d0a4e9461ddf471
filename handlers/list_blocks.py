"""Ephemeral answers to /okr: help, lists of objectives, reviews of saved OKRs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.objectives import ObjectiveView
from coaching import DraftReview, Verdict
from handlers.blocks import Message, headline
from handlers.home_blocks import objective_blocks
from handlers.text import escape, truncate

MAX_LISTED = 8  # up to five blocks each keeps a message under Slack's 50

HELP_TEXT = (
    "*OKR Coach* helps you tell routine work from strategic OKRs.\n"
    "• `/okr review <draft>`: coach a draft, only you see it\n"
    "• `/okr review`: paste a longer draft in a form\n"
    "• `/okr review mine`: coach your saved OKRs for this cycle\n"
    "• `/okr add`: save an objective with its key results\n"
    "• `/okr list`, `/okr list @someone`, `/okr list team`: see OKRs for this cycle\n"
    "• `/okr checkin`: record progress and confidence for an objective\n"
    "• `/okr remind`: see or change your weekly reminder "
    "(`/okr remind off`, `/okr remind on`, `/okr remind friday 16:00`)\n"
    "• `/okr digest here`, `/okr digest #channel`, `/okr digest off`: the team's weekly digest "
    "(admins)\n"
    "Or post a draft in a channel starting with `Objective:` and I'll reply in the thread."
)
UNKNOWN_SUBCOMMAND = "I don't know `/okr {sub}`. Here is what I can do:"
NOTHING_LISTED_MINE = "You have no objectives for {cycle} yet. Add one with `/okr add`."
NOTHING_LISTED_USER = "<@{user}> has no objectives for {cycle}."
NOTHING_LISTED_TEAM = "Nobody in this workspace has objectives for {cycle} yet."
LIST_HEADING_MINE = "Your OKRs for {cycle}"
LIST_HEADING_USER = "OKRs of <@{user}> for {cycle}"
LIST_HEADING_TEAM = "Everyone's OKRs for {cycle}"
MORE_LISTED = "and {count} more: see the App Home tab for yours."
REVIEW_MINE_HEADING = "How your saved OKRs for {cycle} read"


def help_message(unknown: str | None = None) -> Message:
    text = HELP_TEXT
    if unknown is not None:
        text = UNKNOWN_SUBCOMMAND.format(sub=truncate(escape(unknown), 40)) + "\n" + HELP_TEXT
    return Message(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}


def objectives_message(
    objectives: Sequence[ObjectiveView], *, heading: str, empty: str, show_owner: bool
) -> Message:
    if not objectives:
        return Message(text=empty, blocks=[_section(empty)])
    blocks: list[dict[str, Any]] = [_section(f"*{heading}*")]
    for objective in objectives[:MAX_LISTED]:
        if show_owner:
            blocks.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": f"<@{objective.owner_id}>"}],
                }
            )
        blocks.extend(objective_blocks(objective, actions=False))
    hidden = len(objectives) - MAX_LISTED
    if hidden > 0:
        blocks.append(_section(MORE_LISTED.format(count=hidden)))
    return Message(text=heading, blocks=blocks)


def review_mine_message(
    cycle: str, reviewed: Sequence[tuple[ObjectiveView, DraftReview]]
) -> Message:
    heading = REVIEW_MINE_HEADING.format(cycle=cycle)
    if not reviewed:
        empty = NOTHING_LISTED_MINE.format(cycle=cycle)
        return Message(text=empty, blocks=[_section(empty)])
    blocks: list[dict[str, Any]] = [_section(f"*{heading}*")]
    for objective, review in reviewed[:MAX_LISTED]:
        mark = ":white_check_mark:" if review.verdict is Verdict.STRATEGIC else ":warning:"
        lines = [f"{mark} *{truncate(escape(objective.title), 200)}*", headline(review)]
        for finding in review.findings[:2]:
            target = f"{escape(finding.target)}: " if finding.target else ""
            lines.append(f"• {target}{escape(finding.message)} _({escape(finding.rule_id)})_")
        blocks.append(_section("\n".join(lines)))
    return Message(text=heading, blocks=blocks)
