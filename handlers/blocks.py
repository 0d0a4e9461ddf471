"""Pure Block Kit builders: typed values in, Slack message dicts out.

A review has two faces (DESIGN.md section 7). In the channel, a short reply colleagues can
read too (``handlers/public_blocks.py``). Here, the full review for the author alone: why,
the findings with their fixes and rule ids, and the rewrite with one primary action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coaching import Dimension, DraftReview, Finding, ObjectiveReview, Verdict
from coaching import messages as coach_messages
from handlers import ids
from handlers.button_values import feedback_value, review_button
from handlers.rewrite_fields import mark_blanks, rewrite_fields
from handlers.text import blockquote, escape, truncate

# Slack's own limits, with room for the markup we add around user text.
SECTION_TEXT_LIMIT = 3000
CONTEXT_TEXT_LIMIT = 2000
MAX_FINDINGS_SHOWN = 3
MAX_ALL_FINDINGS = 15
MAX_OBJECTIVES_LISTED = 5
REWRITE_QUOTE_LIMIT = 1500

HEADLINE_ROUTINE = coach_messages.VERDICT_ROUTINE
HEADLINE_STRATEGIC = coach_messages.VERDICT_STRATEGIC
HEADLINE_STRATEGIC_CLEAN = "A strong strategic objective"
HEADLINE_UNSURE = coach_messages.UNSURE_QUESTION
HEADLINE_EMPTY = "I couldn't find a draft objective in that message"
EMPTY_HINT = (
    "Write your objective on the first line and each key result on its own line, "
    "for example `Objective: …` followed by `KR1: …`."
)
# Said once, up front; the coach also opens the first routine fix with it.
ROUTINE_NOTE = coach_messages.ROUTINE_IS_NECESSARY
WHY_TITLE = "*Why*"
REWRITE_TITLE = "*A possible rewrite, from your own words*"
BLANKS_HINT = (
    "The `highlighted` parts are yours to fill in: `X` is where you are today, `Y` where you "
    "want to be."
)
BLANKS_FORM_HINT = "*Use this rewrite* puts your words in the add form and leaves those empty."
NUMBERS_HINT = "Check the numbers against your real baseline and target before you save it."
MORE_FINDINGS = "+{count} more suggestion{s}."
SHOW_ALL_LABEL = "Show all"
TRUNCATED_RULE = "draft.truncated"
SAVE_LABEL = "Save as my OKR"
ROUTINE_LABEL = "It's a routine task"
USE_REWRITE_LABEL = "Use this rewrite"
NOT_HELPFUL_LABEL = "Not helpful"
RULE_LINE = "rule `{rule}`"
EDITED_NOTE = "Updated after you edited the draft."
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


def section(text: str) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, SECTION_TEXT_LIMIT)},
    }


def context(text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(text, CONTEXT_TEXT_LIMIT)}],
    }


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if primary:
        element["style"] = "primary"
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def fix_of(finding: Finding) -> str:
    """The finding's fix, without the "routine work is necessary" line said once up front."""
    return finding.suggestion.removeprefix(ROUTINE_NOTE).strip()


def said_under_why(finding: Finding, why: tuple[str, ...]) -> bool:
    """Whether the finding's reason is already one of the "Why" lines: then say it once."""

    def plain(sentence: str) -> str:
        return sentence.strip().rstrip(".").lower()

    return any(plain(finding.message) == plain(line) for line in why)


def _why_lines(objective: ObjectiveReview) -> str:
    lines = [WHY_TITLE]
    for judgement in objective.dimensions:
        label = DIMENSION_LABELS.get(judgement.dimension, judgement.dimension.value.title())
        lines.append(f"• *{label}*: {escape(judgement.explanation)}")
    return "\n".join(lines)


def _finding_block(
    index: int, finding: Finding, why: tuple[str, ...], review_id: int | None
) -> dict[str, Any]:
    # A reason already given under "Why" is not said twice: the finding is then its fix.
    lines = [f"*{index}.* {escape(fix_of(finding))}"]
    if not said_under_why(finding, why):
        lines = [f"*{index}.* {escape(finding.message)}", escape(fix_of(finding))]
    lines.append(RULE_LINE.format(rule=escape(finding.rule_id)))
    block = section("\n".join(lines))
    if review_id is not None:
        # Quiet, beside the finding: an overflow menu rather than a loud button.
        block["accessory"] = {
            "type": "overflow",
            "action_id": ids.ACTION_NOT_HELPFUL,
            "options": [
                {
                    "text": {"type": "plain_text", "text": NOT_HELPFUL_LABEL},
                    "value": feedback_value(review_id, finding.rule_id),
                }
            ],
        }
    return block


def _objectives_overview(review: DraftReview) -> str:
    lines = [f"*Your message has {len(review.objectives)} objectives*"]
    for objective in review.objectives[:MAX_OBJECTIVES_LISTED]:
        mark = "routine task" if objective.verdict is Verdict.ROUTINE else "strategic"
        lines.append(f"• {truncate(escape(objective.objective), 150)}: _{mark}_")
    hidden = len(review.objectives) - MAX_OBJECTIVES_LISTED
    if hidden > 0:
        lines.append(f"• and {hidden} more")
    return "\n".join(lines)


def rewrite_offered(objective: ObjectiveReview) -> str | None:
    """The rewrite, when it changes something: one that repeats the draft is not offered."""
    rewrite = objective.rewrite
    if not rewrite or "`" in mark_blanks(rewrite):
        return rewrite
    fields = rewrite_fields(rewrite, lambda _: None)
    same_title = fields.title == objective.objective or objective.lone_key_result
    same_krs = tuple(kr.text for kr in fields.key_results) == objective.key_results
    return None if same_title and same_krs else rewrite


def _rewrite_blocks(rewrite: str, *, with_button: bool) -> list[dict[str, Any]]:
    marked = mark_blanks(rewrite)
    hint = NUMBERS_HINT
    if "`" in marked:
        hint = f"{BLANKS_HINT} {BLANKS_FORM_HINT}" if with_button else BLANKS_HINT
    return [section(f"{REWRITE_TITLE}\n{blockquote(marked, REWRITE_QUOTE_LIMIT)}"), context(hint)]


def _review_actions(review: DraftReview, review_id: int) -> dict[str, Any]:
    """One primary action: the rewrite when there is one, else the draft as written."""
    primary = review.primary
    assert primary is not None
    rewrite = rewrite_offered(primary)
    if rewrite:
        value = review_button(review_id, rewrite).value()
        main = button(USE_REWRITE_LABEL, ids.ACTION_USE_REWRITE, value, primary=True)
    else:
        value = review_button(review_id, review.text).value()
        main = button(SAVE_LABEL, ids.ACTION_SAVE_AS_OKR, value, primary=True)
    elements = [main]
    if primary.verdict is Verdict.ROUTINE:
        value = review_button(review_id, review.text).value()
        elements.append(button(ROUTINE_LABEL, ids.ACTION_MARK_ROUTINE, value))
    return actions(f"{ids.BLOCK_FULL_REVIEW_ACTIONS}{review_id}", *elements)


def review_reply(
    review: DraftReview,
    *,
    review_id: int | None = None,
    show_all: bool = False,
    saved_note: str | None = None,
) -> Message:
    """The full review, for the author alone: why, the top fixes, a rewrite, one action.

    Without a ``review_id`` (the terminal, ``/okr review``) there is nothing stored to act
    on, so no buttons. With ``saved_note`` the draft was saved: the note replaces the buttons.
    """
    title = headline(review)
    primary = review.primary
    if primary is None:
        return Message(text=title, blocks=[section(f"*{title}*"), context(EMPTY_HINT)])

    blocks: list[dict[str, Any]] = [section(f"*{title}*")]
    # A cut-short draft is said up front, where nobody can miss it, not ranked as a finding.
    for note in (f for f in review.findings if f.rule_id == TRUNCATED_RULE):
        blocks.append(context(f"{escape(note.message)} {escape(note.suggestion)}"))
    if primary.verdict is Verdict.ROUTINE and not primary.unsure:
        blocks.append(context(ROUTINE_NOTE))
    if len(review.objectives) > 1:
        blocks.append(section(_objectives_overview(review)))
    if primary.dimensions:
        blocks.append(section(_why_lines(primary)))

    why = tuple(j.explanation for j in primary.dimensions)
    findings = tuple(f for f in review.findings if f.rule_id != TRUNCATED_RULE)
    shown = MAX_ALL_FINDINGS if show_all else MAX_FINDINGS_SHOWN
    for index, finding in enumerate(findings[:shown], start=1):
        blocks.append(_finding_block(index, finding, why, review_id))
    hidden = len(findings) - shown
    if hidden > 0:
        more = MORE_FINDINGS.format(count=hidden, s="" if hidden == 1 else "s")
        if review_id is None:
            blocks.append(context(more))
        else:
            block = section(more)
            value = review_button(review_id, review.text).value()
            block["accessory"] = button(SHOW_ALL_LABEL, ids.ACTION_SHOW_ALL, value)
            blocks.append(block)
    if not findings and primary.verdict is Verdict.STRATEGIC:
        blocks.append(context(NOTHING_TO_FIX))

    rewrite = rewrite_offered(primary)
    if rewrite:
        blocks.extend(
            _rewrite_blocks(rewrite, with_button=review_id is not None and not saved_note)
        )
    if saved_note is not None:
        blocks.append(context(saved_note))
    elif review_id is not None:
        blocks.append(_review_actions(review, review_id))
    return Message(text=title, blocks=blocks)


def all_findings_message(review: DraftReview, review_id: int | None = None) -> Message:
    """Every finding, for "Show all"; ephemeral, so only the asker sees the long list."""
    findings = review.findings
    primary = review.primary
    why = tuple(j.explanation for j in primary.dimensions) if primary else ()
    blocks = [section(f"*All {len(findings)} suggestions for this draft*")]
    for index, finding in enumerate(findings[:MAX_ALL_FINDINGS], start=1):
        blocks.append(_finding_block(index, finding, why, review_id))
    return Message(text=f"All {len(findings)} suggestions for this draft", blocks=blocks)


def plain_message(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])
