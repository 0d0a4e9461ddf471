"""The reply everyone in the channel sees: short, kind, and one step forward. Pure.

It fits on a phone screen: one plain sentence saying what would make the draft stronger,
the single most useful fix, and buttons to save it or to see the full review (which goes to
the author alone). No rule ids, no grades, no verdict said over the author's head.
"""

from __future__ import annotations

from typing import Any

from coaching import DraftReview, Finding, ObjectiveReview, Verdict
from coaching.messages import UNSURE_QUESTION
from handlers import ids
from handlers.blocks import (
    EDITED_NOTE,
    EMPTY_HINT,
    HEADLINE_EMPTY,
    SAVE_LABEL,
    TRUNCATED_RULE,
    Message,
    actions,
    button,
    context,
    fix_of,
    section,
)
from handlers.button_values import review_button
from handlers.text import escape, truncate

ROUTINE_LEAD = "This reads like work that keeps things running: what outcome does it protect?"
STRONG_LEAD = "A strong objective; {need}."
CLEAN_LEAD = "A strong objective with measurable key results, ready to save."
LONE_KEY_RESULT_LEAD = "A key result on its own: which objective does it serve?"
SEVERAL_LEAD = "{count} objectives here: {kinds}."
KIND_STRONG = "{n} strong"
KIND_RUNNING = "{n} about keeping things running"
KIND_UNSURE = "{n} I'm not sure about"
OUTCOME_FIX = "*An outcome it could aim for:* {objective}"
NEXT_FIX = "*Try this:* {fix}"
FOR_OBJECTIVE = "For “{objective}”: "
DETAILS_LABEL = "See full review"
SAVE_FIRST_LABEL = "Save the first as my OKR"
SAVED_NOTE = "Saved as an OKR."
TRUNCATED_NOTE = "I read only the first part: post one objective at a time."
FIX_LIMIT = 180
LONE_KEY_RESULT_RULE = "objective.missing"
OBJECTIVE_NAME_LIMIT = 60

# What the most pressing finding asks for, for one key result and for several.
_KR_NEEDS: dict[str, tuple[str, str]] = {
    "kr.measurable": ("one key result needs a number", "{n} key results need numbers"),
    "kr.binary": (
        "one key result names a deliverable: measure what it should change",
        "{n} key results name deliverables: measure what they should change",
    ),
    "kr.output": (
        "one key result counts output: measure the change it should cause",
        "{n} key results count output: measure the change they should cause",
    ),
    "kr.baseline": (
        "one key result needs a starting point",
        "{n} key results need starting points",
    ),
    "kr.sandbag": (
        "one key result holds a level: aim for a new one",
        "{n} key results hold a level: aim for new ones",
    ),
    "kr.too_ambitious": (
        "one key result may be out of reach",
        "{n} key results may be out of reach",
    ),
}
_NEEDS: dict[str, str] = {
    "kr.deadline": "the key results need a deadline",
    "objective.has_numbers": "move its numbers into key results",
    "objective.too_long": "a shorter line would be easier to remember",
}
NEED_KEY_RESULTS = "now add key results to measure it"
NEED_ONE_MORE = "a second key result would measure it better"
NEED_FEWER = "fewer key results would keep it focused"
NEED_CONFIDENCE = "add how confident you are, from 1 to 10"
NEED_STRETCH = "aim for a confidence near 5 in 10"
NEED_ANYTHING = "one change would make it stronger"
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def _need(objective: ObjectiveReview, finding: Finding) -> str:
    rule = finding.rule_id
    if rule in _KR_NEEDS:
        count = sum(1 for f in objective.findings if f.rule_id == rule)
        one, many = _KR_NEEDS[rule]
        return one if count == 1 else many.format(n=_NUMBER_WORDS.get(count, str(count)))
    if rule == "kr.count":
        written = len(objective.key_results)
        return NEED_KEY_RESULTS if written == 0 else NEED_ONE_MORE if written == 1 else NEED_FEWER
    if rule == "okr.confidence":
        return NEED_CONFIDENCE if objective.confidence_level is None else NEED_STRETCH
    return _NEEDS.get(rule, NEED_ANYTHING)


def _top_finding(objective: ObjectiveReview) -> Finding | None:
    findings = [f for f in objective.findings if f.rule_id != TRUNCATED_RULE]
    if objective.lone_key_result:
        # The question asked is which objective it serves: the fix answers that first.
        findings.sort(key=lambda f: f.rule_id != LONE_KEY_RESULT_RULE)
    # The coach sorts an objective's findings, most severe first.
    return findings[0] if findings else None


def _lead_for(objective: ObjectiveReview) -> str:
    if objective.unsure:
        return UNSURE_QUESTION
    if objective.lone_key_result:
        return LONE_KEY_RESULT_LEAD
    if objective.verdict is Verdict.ROUTINE:
        return ROUTINE_LEAD
    top = _top_finding(objective)
    return CLEAN_LEAD if top is None else STRONG_LEAD.format(need=_need(objective, top))


def lead(review: DraftReview) -> str:
    """One plain sentence: what would make this draft stronger (a question when unsure)."""
    primary = review.primary
    if primary is None:
        return HEADLINE_EMPTY
    if len(review.objectives) == 1 or primary.unsure:
        return _lead_for(primary)
    unsure = sum(1 for o in review.objectives if o.unsure)
    running = sum(1 for o in review.objectives if not o.unsure and o.verdict is Verdict.ROUTINE)
    strong = len(review.objectives) - unsure - running
    kinds = [
        template.format(n=n)
        for template, n in ((KIND_STRONG, strong), (KIND_RUNNING, running), (KIND_UNSURE, unsure))
        if n
    ]
    return SEVERAL_LEAD.format(count=len(review.objectives), kinds=", ".join(kinds))


def _outcome(objective: ObjectiveReview) -> str | None:
    """The rewrite's objective line: the outcome routine work could serve."""
    for line in (objective.rewrite or "").splitlines():
        if line.startswith("Objective:"):
            return line.removeprefix("Objective:").strip() or None
    return None


def _fix_for(objective: ObjectiveReview) -> str | None:
    outcome = _outcome(objective) if objective.verdict is Verdict.ROUTINE else None
    if outcome and outcome != objective.objective:
        return OUTCOME_FIX.format(objective=escape(outcome))
    top = _top_finding(objective)
    return NEXT_FIX.format(fix=escape(fix_of(top))) if top else None


def most_useful_fix(review: DraftReview) -> str | None:
    """The one fix to show: for the objective whose most pressing finding matters most."""
    ranked = [
        (top.severity.rank, index, objective)
        for index, objective in enumerate(review.objectives)
        if (top := _top_finding(objective)) is not None
    ]
    if not ranked:
        return None
    *_, objective = min(ranked, key=lambda item: item[:2])
    fix = _fix_for(objective)
    if fix is None:
        return None
    if len(review.objectives) > 1:
        name = truncate(escape(objective.objective), OBJECTIVE_NAME_LIMIT)
        fix = FOR_OBJECTIVE.format(objective=name) + fix
    return truncate(fix, FIX_LIMIT)


def _buttons(review: DraftReview, review_id: int, *, saved: bool) -> dict[str, Any]:
    primary = review.primary
    assert primary is not None
    value = review_button(review_id, review.text).value()
    block_id = f"{ids.BLOCK_PUBLIC_REPLY_ACTIONS}{review_id}"
    if saved:
        return actions(block_id, button(DETAILS_LABEL, ids.ACTION_SHOW_DETAILS, value))
    # Saving is the next step for an objective the coach is sure of; otherwise reading why.
    save_first = primary.verdict is Verdict.STRATEGIC and not primary.unsure
    details = button(DETAILS_LABEL, ids.ACTION_SHOW_DETAILS, value, primary=not save_first)
    label = SAVE_LABEL if len(review.objectives) == 1 else SAVE_FIRST_LABEL
    save = button(label, ids.ACTION_SAVE_AS_OKR, value, primary=save_first)
    ordered = (save, details) if save_first else (details, save)
    return actions(block_id, *ordered)


def public_reply(
    review: DraftReview,
    *,
    review_id: int | None = None,
    edited: bool = False,
    saved: bool = False,
) -> Message:
    """The threaded reply to a draft. Without a ``review_id`` nothing is stored: no buttons."""
    sentence = lead(review)
    if review.primary is None:
        return Message(text=sentence, blocks=[section(sentence), context(EMPTY_HINT)])
    blocks: list[dict[str, Any]] = [section(escape(sentence))]
    fix = most_useful_fix(review)
    if fix:
        blocks.append(section(fix))
    notes = [TRUNCATED_NOTE] if review.truncated else []
    notes += [SAVED_NOTE] if saved else []
    notes += [EDITED_NOTE] if edited else []
    if notes:
        blocks.append(context(escape(" ".join(notes))))
    if review_id is not None:
        blocks.append(_buttons(review, review_id, saved=saved))
    return Message(text=sentence, blocks=blocks)
