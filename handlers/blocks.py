"""Pure Block Kit builders: typed values in, Slack message dicts out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coaching import Dimension, DraftReview, Finding, ObjectiveReview, Verdict
from coaching.messages import UNSURE_QUESTION
from handlers import ids
from handlers.text import escape, quote, truncate

# Slack's own limits, with room for the markup we add around user text.
SECTION_TEXT_LIMIT = 3000
CONTEXT_TEXT_LIMIT = 2000
MAX_FINDINGS_SHOWN = 3
MAX_OBJECTIVES_LISTED = 5
QUOTE_LIMIT = 600

HEADLINE_ROUTINE = "This reads like routine work, not an OKR"
HEADLINE_STRATEGIC = "This reads like a strategic objective"
HEADLINE_STRATEGIC_CLEAN = "A strong strategic objective"
HEADLINE_UNSURE = UNSURE_QUESTION
HEADLINE_EMPTY = "I couldn't find a draft objective in that message"
EMPTY_HINT = (
    "Write your objective on the first line and each key result on its own line, "
    "for example `Objective: …` followed by `KR1: …`."
)
ROUTINE_NOTE = (
    "Routine work keeps things running and it matters. It belongs on a task list, though, "
    "not in your OKRs."
)
WHY_TITLE = "*Why*"
FIXES_TITLE = "*What to work on*"
REWRITE_TITLE = "*A possible rewrite, from your own words*"
MORE_FINDINGS = "+{count} more suggestion{s}."
SHOW_ALL_LABEL = "Show all"
CONFIDENCE_PROMPT = (
    "How confident are you that you'll hit this, from 1 to 10? Add it to the draft, "
    "like `confidence 6/10`."
)
TRUNCATED_RULE = "draft.truncated"
SAVE_LABEL = "Save as my OKR"
REWRITE_LABEL = "Show me a rewrite"
ROUTINE_LABEL = "It's a routine task"
USE_REWRITE_LABEL = "Use this rewrite"
NOT_HELPFUL_LABEL = "Not helpful"
EDITED_NOTE = "Updated after you edited the draft."
NO_REWRITE = "I don't have a rewrite for this one: it already reads well."
REWRITE_HINT = "Edit the numbers to your real baseline and target before you commit to it."
MAX_ALL_FINDINGS = 15
REWRITE_QUOTE_LIMIT = 2800
NOTHING_TO_FIX = "Nothing to fix: every key result is measurable, time-bound and an outcome."
DIMENSION_LABELS = {
    Dimension.SCOPE: "Scope",
    Dimension.IMPACT: "Impact",
    Dimension.ALIGNMENT: "Alignment",
}


def headline(review: DraftReview) -> str:
    """The verdict in plain words; how sure the coach is only said when it is not."""
    primary = review.primary
    if primary is None:
        return HEADLINE_EMPTY
    if primary.unsure:
        return HEADLINE_UNSURE
    if primary.verdict is Verdict.ROUTINE:
        return HEADLINE_ROUTINE
    kr_issues = sum(1 for f in primary.findings if f.rule_id.startswith("kr."))
    if kr_issues:
        noun = "finding" if kr_issues == 1 else "findings"
        return f"{HEADLINE_STRATEGIC}; {kr_issues} key-result {noun} below"
    if not primary.findings:
        return HEADLINE_STRATEGIC_CLEAN
    return HEADLINE_STRATEGIC


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _section(text: str) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, SECTION_TEXT_LIMIT)},
    }


def _context(text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(text, CONTEXT_TEXT_LIMIT)}],
    }


def _why_lines(objective: ObjectiveReview) -> str:
    lines = [WHY_TITLE]
    for judgement in objective.dimensions:
        label = DIMENSION_LABELS.get(judgement.dimension, judgement.dimension.value.title())
        lines.append(f"• *{label}*: {escape(judgement.explanation)}")
    return "\n".join(lines)


def _finding_blocks(index: int, finding: Finding, review_id: int | None) -> list[dict[str, Any]]:
    target = f"{escape(finding.target)}: " if finding.target else ""
    body = f"*{index}. {target}{escape(finding.message)}*\n{escape(finding.suggestion)}"
    section = _section(body)
    if review_id is not None:
        # Quiet, beside the finding: an overflow menu rather than a loud button.
        section["accessory"] = {
            "type": "overflow",
            "action_id": ids.ACTION_NOT_HELPFUL,
            "options": [
                {
                    "text": {"type": "plain_text", "text": NOT_HELPFUL_LABEL},
                    "value": feedback_value(review_id, finding.rule_id),
                }
            ],
        }
    return [section, _context(f"rule `{escape(finding.rule_id)}`")]


def feedback_value(review_id: int, rule_id: str) -> str:
    return f"{review_id}|{rule_id}"


def parse_feedback_value(value: str) -> tuple[int, str] | None:
    review, _, rule = value.partition("|")
    return (int(review), rule) if review.isdigit() and rule else None


def _button(label: str, action_id: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if primary:
        button["style"] = "primary"
    return button


def review_actions(review: DraftReview, review_id: int) -> dict[str, Any]:
    """One primary action and at most two secondary ones, ordered by what the verdict needs."""
    value = str(review_id)
    save = _button(SAVE_LABEL, ids.ACTION_SAVE_AS_OKR, value)
    rewrite = _button(REWRITE_LABEL, ids.ACTION_SHOW_REWRITE, value)
    routine = _button(ROUTINE_LABEL, ids.ACTION_MARK_ROUTINE, value)
    if review.verdict is Verdict.ROUTINE:
        rewrite["style"] = "primary"
        buttons = [rewrite, routine, save]
    else:
        save["style"] = "primary"
        buttons = [save, rewrite, routine]
    return {"type": "actions", "block_id": f"review_{review_id}", "elements": buttons}


def _objectives_overview(review: DraftReview) -> str:
    lines = [f"*Your message has {len(review.objectives)} objectives*"]
    for objective in review.objectives[:MAX_OBJECTIVES_LISTED]:
        mark = "routine task" if objective.verdict is Verdict.ROUTINE else "strategic"
        lines.append(f"• {truncate(escape(objective.objective), 150)}: _{mark}_")
    hidden = len(review.objectives) - MAX_OBJECTIVES_LISTED
    if hidden > 0:
        lines.append(f"• and {hidden} more")
    return "\n".join(lines)


def review_reply(
    review: DraftReview,
    *,
    review_id: int | None = None,
    edited: bool = False,
    show_all: bool = False,
) -> Message:
    """The threaded reply to a draft: verdict, why, the top fixes, a rewrite, actions.

    Without a ``review_id`` (the terminal, an ephemeral ``/okr review``) there is nothing
    stored to act on, so no buttons.
    """
    title = headline(review)
    primary = review.primary
    if primary is None:
        return Message(text=title, blocks=[_section(f"*{title}*"), _context(EMPTY_HINT)])

    blocks: list[dict[str, Any]] = [_section(f"*{title}*")]
    if primary.verdict is Verdict.ROUTINE and not primary.unsure:
        blocks.append(_context(ROUTINE_NOTE))
    if len(review.objectives) > 1:
        blocks.append(_section(_objectives_overview(review)))
    if primary.dimensions:
        blocks.append(_section(_why_lines(primary)))

    # A cut-short draft is said up front, where nobody can miss it, not ranked as a finding.
    notes = [f for f in review.findings if f.rule_id == TRUNCATED_RULE]
    for note in notes:
        blocks.insert(1, _context(f"{escape(note.message)} {escape(note.suggestion)}"))
    findings = tuple(f for f in review.findings if f.rule_id != TRUNCATED_RULE)
    if findings:
        blocks.append({"type": "divider"})
        shown = MAX_ALL_FINDINGS if show_all else MAX_FINDINGS_SHOWN
        for index, finding in enumerate(findings[:shown], start=1):
            blocks.extend(_finding_blocks(index, finding, review_id))
        hidden = len(findings) - shown
        if hidden > 0:
            more = MORE_FINDINGS.format(count=hidden, s="" if hidden == 1 else "s")
            if review_id is None:
                blocks.append(_context(more))
            else:
                section = _section(more)
                section["accessory"] = _button(SHOW_ALL_LABEL, ids.ACTION_SHOW_ALL, str(review_id))
                blocks.append(section)
    elif primary.verdict is Verdict.STRATEGIC:
        blocks.append(_context(NOTHING_TO_FIX))

    if primary.rewrite:
        blocks.append(_section(f"{REWRITE_TITLE}\n{quote(primary.rewrite, QUOTE_LIMIT)}"))
    if not any(f.rule_id == "okr.confidence" for f in findings[:MAX_FINDINGS_SHOWN]):
        blocks.append(_context(CONFIDENCE_PROMPT))
    if review_id is not None:
        blocks.append(review_actions(review, review_id))
    if edited:
        blocks.append(_context(EDITED_NOTE))
    return Message(text=title, blocks=blocks)


def all_findings_message(review: DraftReview) -> Message:
    """Every finding, for "Show all"; ephemeral, so only the asker sees the long list."""
    findings = review.findings
    blocks = [_section(f"*All {len(findings)} suggestions for this draft*")]
    for index, finding in enumerate(findings[:MAX_ALL_FINDINGS], start=1):
        blocks.extend(_finding_blocks(index, finding, None))
    return Message(text=f"All {len(findings)} suggestions for this draft", blocks=blocks)


def rewrite_message(review: DraftReview, review_id: int) -> Message:
    primary = review.primary
    if primary is None or not primary.rewrite:
        return Message(text=NO_REWRITE, blocks=[_section(NO_REWRITE)])
    return Message(
        text=REWRITE_TITLE.strip("*"),
        blocks=[
            _section(f"{REWRITE_TITLE}\n{quote(primary.rewrite, REWRITE_QUOTE_LIMIT)}"),
            _context(REWRITE_HINT),
            {
                "type": "actions",
                "elements": [
                    _button(USE_REWRITE_LABEL, ids.ACTION_USE_REWRITE, str(review_id), primary=True)
                ],
            },
        ],
    )


def plain_message(text: str) -> Message:
    return Message(text=text, blocks=[_section(text)])
