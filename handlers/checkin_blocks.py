"""Pure builders for reminders and check-ins: DMs, the check-in modal, summaries, the digest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.checkins import CheckInResult, percent_mode
from bot.objectives import KeyResultView, ObjectiveView
from bot.reminders import DigestData, Renderers
from handlers import ids
from handlers.home_blocks import confidence_text, kr_line, slack_date
from handlers.text import escape, progress_bar, truncate

Message = dict[str, Any]

# ---- weekly reminder DM ---------------------------------------------------------------------

REMINDER_TEXT = "Time for your weekly OKR check-in: how far along is each key result?"
REMINDER_INTRO = (
    "*Time for your weekly check-in.* Two clicks: open the objective, set each key result "
    "and how confident you are."
)
REMINDER_FOOTER = (
    "Reminders come {when}. Change it with `/okr remind monday 09:30`, or `/okr remind off`."
)
CHECKIN_BUTTON = "Check in"
# Read by screen readers instead of the button text, so five "Check in" buttons differ.
CHECKIN_BUTTON_ACCESSIBLE = "Check in on {title}"
MAX_OBJECTIVES_IN_DM = 8  # 3 blocks each keeps a DM well under Slack's 50
ACCESSIBILITY_LABEL_LIMIT = 75  # Slack's limit for a button's accessibility_label


def _section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _button(
    text: str,
    action_id: str,
    value: str,
    style: str | None = None,
    *,
    accessible: str | None = None,
) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }
    if style:
        button["style"] = style
    if accessible:
        button["accessibility_label"] = truncate(accessible, ACCESSIBILITY_LABEL_LIMIT)
    return button


def objective_summary_line(objective: ObjectiveView) -> str:
    title = truncate(escape(objective.title), 300)
    return f"*{title}*\n{progress_bar(objective.progress)} · {confidence_text(objective)}"


def _plain_title(objective: ObjectiveView) -> str:
    return " ".join(objective.title.split())


def _objective_rows(
    objectives: Sequence[ObjectiveView],
    *,
    block_prefix: str,
    label: str,
    accessible: str,
    action_id: str,
    with_key_results: bool = False,
) -> list[dict[str, Any]]:
    """One section per objective, its button beside it.

    Only the first button is primary: Slack asks for one primary action per message, and the
    first objective is where the reader starts. Each button still opens its own objective, so
    a check-in stays one short form rather than every key result of every objective at once.
    """
    rows: list[dict[str, Any]] = []
    for index, objective in enumerate(objectives[:MAX_OBJECTIVES_IN_DM]):
        button = _button(
            label,
            action_id,
            str(objective.id),
            "primary" if index == 0 else None,
            accessible=accessible.format(title=_plain_title(objective)),
        )
        rows.append(
            _section(
                objective_summary_line(objective),
                block_id=f"{block_prefix}_{objective.id}",
                accessory=button,
            )
        )
        if with_key_results and objective.key_results:
            lines = "\n".join(kr_line(kr) for kr in objective.key_results[:5])
            rows.append(_context(truncate(lines, 2900)))
    return rows


def reminder_dm(objectives: Sequence[ObjectiveView], *, schedule: str) -> Message:
    blocks: list[dict[str, Any]] = [_section(REMINDER_INTRO)]
    blocks.extend(
        _objective_rows(
            objectives,
            block_prefix="reminder_objective",
            label=CHECKIN_BUTTON,
            accessible=CHECKIN_BUTTON_ACCESSIBLE,
            action_id=ids.ACTION_OPEN_CHECKIN,
            with_key_results=True,
        )
    )
    hidden = len(objectives) - MAX_OBJECTIVES_IN_DM
    if hidden > 0:
        blocks.append(_context(f"and {hidden} more in the app's Home tab"))
    blocks.append(_context(REMINDER_FOOTER.format(when=schedule)))
    return {"text": REMINDER_TEXT, "blocks": blocks}


# ---- check-in modal -------------------------------------------------------------------------

CHECKIN_TITLE = "Weekly check-in"
CHECKIN_SUBMIT = "Save check-in"
PICKER_TITLE = "Check in"
PICKER_PROMPT = "Which objective do you want to check in on?"
PICKER_PLACEHOLDER = "Pick an objective"
# Every input names its key result: a screen reader announces the label alone, so twenty
# identical "Percent done" fields could not be told apart.
KR_NAME = "KR{number} · {text}"
KR_NAME_TEXT_LIMIT = 60  # long key results are cut with an ellipsis; the hint has them whole
VALUE_LABEL = "{kr} — current value"
VALUE_LABEL_PERCENT = "{kr} — progress (0 to 100%)"
VALUE_HINT = "From {baseline} to {target}{unit}. Leave empty to keep {current}."
VALUE_HINT_PERCENT = "How far along, as a percentage. Leave empty to keep it."
CONFIDENCE_LABEL = "{kr} — confidence you will hit it (1 to 10)"
CONFIDENCE_PLACEHOLDER = "1 = unlikely, 10 = certain"
NOTE_LABEL = "Blockers and next steps for this objective"
NOTE_PLACEHOLDER = "What is in the way, and what happens next?"
VALUE_ACTION = "value"
CONFIDENCE_ACTION = "confidence"
NOTE_BLOCK = "note"
NOTE_ACTION = "note"
MAX_KEY_RESULTS_IN_MODAL = 20  # 2 inputs each plus the header and the note: under Slack's 100
LABEL_LIMIT = 2000  # Slack's limit for an input block's label and hint


def value_block_id(kr_id: int) -> str:
    return f"kr_{kr_id}_value"


def confidence_block_id(kr_id: int) -> str:
    return f"kr_{kr_id}_confidence"


def _plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _confidence_option(value: int) -> dict[str, Any]:
    return {"text": _plain(str(value)), "value": str(value)}


def kr_name(number: int, text: str) -> str:
    """``KR2 · Weekly active teams from 40 to 90``, cut to fit a label on a phone."""
    one_line = " ".join(text.split())
    return KR_NAME.format(number=number, text=truncate(one_line, KR_NAME_TEXT_LIMIT))


def _value_hint(kr: KeyResultView, name: str) -> str:
    if percent_mode(kr):
        hint = VALUE_HINT_PERCENT
    else:
        unit = f" {kr.unit}" if kr.unit else ""
        hint = VALUE_HINT.format(
            baseline=_number(kr.baseline),
            target=_number(kr.target),
            unit=unit,
            current=_number(kr.current),
        )
    whole = " ".join(kr.text.split())
    if whole not in name:
        hint = f"{whole}\n{hint}"
    return hint


def _kr_blocks(kr: KeyResultView, number: int) -> list[dict[str, Any]]:
    name = kr_name(number, kr.text)
    percent = percent_mode(kr)
    value_input: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE_ACTION}
    if kr.current is not None:
        value_input["initial_value"] = _number(kr.current)
    confidence: dict[str, Any] = {
        "type": "static_select",
        "action_id": CONFIDENCE_ACTION,
        "placeholder": _plain(CONFIDENCE_PLACEHOLDER),
        "options": [_confidence_option(v) for v in range(1, 11)],
    }
    if kr.confidence is not None and 1 <= kr.confidence <= 10:
        confidence["initial_option"] = _confidence_option(kr.confidence)
    value_label = VALUE_LABEL_PERCENT if percent else VALUE_LABEL
    return [
        {
            "type": "input",
            "block_id": value_block_id(kr.id),
            "optional": True,
            "label": _plain(value_label.format(kr=name), LABEL_LIMIT),
            "hint": _plain(_value_hint(kr, name), LABEL_LIMIT),
            "element": value_input,
        },
        {
            "type": "input",
            "block_id": confidence_block_id(kr.id),
            "label": _plain(CONFIDENCE_LABEL.format(kr=name), LABEL_LIMIT),
            "element": confidence,
        },
    ]


def checkin_modal(objective: ObjectiveView, *, note: str = "") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        _section(f"*{truncate(escape(objective.title), 2900)}*\n{progress_bar(objective.progress)}")
    ]
    for number, kr in enumerate(objective.key_results[:MAX_KEY_RESULTS_IN_MODAL], start=1):
        blocks.extend(_kr_blocks(kr, number))
    blocks.append(
        {
            "type": "input",
            "block_id": NOTE_BLOCK,
            "optional": True,
            "label": _plain(NOTE_LABEL),
            "element": {
                "type": "plain_text_input",
                "action_id": NOTE_ACTION,
                "multiline": True,
                "max_length": 3000,
                "placeholder": _plain(NOTE_PLACEHOLDER),
                **({"initial_value": note[:3000]} if note else {}),
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": ids.VIEW_CHECKIN,
        "private_metadata": json.dumps({"objective_id": objective.id}),
        "title": _plain(CHECKIN_TITLE, 24),
        "submit": _plain(CHECKIN_SUBMIT, 24),
        "close": _plain("Cancel", 24),
        "blocks": blocks,
    }


def objective_picker_modal(objectives: Sequence[ObjectiveView]) -> dict[str, Any]:
    options = [{"text": _plain(o.title, 75), "value": str(o.id)} for o in objectives[:100]]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_CHECKIN,
        "title": _plain(PICKER_TITLE, 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            _section(PICKER_PROMPT),
            {
                "type": "actions",
                "block_id": "pick_objective",
                "elements": [
                    {
                        "type": "static_select",
                        "action_id": ids.ACTION_CHECKIN_OBJECTIVE,
                        "placeholder": _plain(PICKER_PLACEHOLDER),
                        "options": options,
                    }
                ],
            },
        ],
    }


# ---- after a check-in -----------------------------------------------------------------------

SUMMARY_TEXT = "Check-in saved for {title}: {progress}"
SUMMARY_HEADLINE = "*Check-in saved.* {title}"
SUMMARY_MOVED = "Progress {before} → {after}"
SUMMARY_NOTE = "Your note: {note}"


def _percent(value: float | None) -> str:
    return "no data" if value is None else f"{round(value * 100)}%"


def checkin_summary(result: CheckInResult) -> Message:
    after = result.after
    title = truncate(escape(after.title), 300)
    lines = [
        SUMMARY_HEADLINE.format(title=f"*{title}*"),
        f"{progress_bar(after.progress)} · {confidence_text(after)}",
    ]
    if result.before.progress != after.progress:
        lines.append(
            SUMMARY_MOVED.format(
                before=_percent(result.before.progress), after=_percent(after.progress)
            )
        )
    blocks = [_section("\n".join(lines))]
    if after.key_results:
        text = "\n".join(kr_line(kr) for kr in after.key_results[:5])
        blocks.append(_context(truncate(text, 2900)))
    if result.note:
        blocks.append(_context(SUMMARY_NOTE.format(note=truncate(escape(result.note), 2800))))
    plain_title = truncate(after.title.replace("\n", " "), 120)
    return {
        "text": SUMMARY_TEXT.format(title=plain_title, progress=_percent(after.progress)),
        "blocks": blocks,
    }


# ---- nudges ---------------------------------------------------------------------------------

GRADE_TEXT = "The cycle {cycle} ends {when}: time to grade your objectives from 0.0 to 1.0."
GRADE_BODY = (
    "*{cycle} ends in two weeks.* Grade each objective from 0.0 to 1.0: 0.7 on an ambitious "
    "objective is a good result. Be honest, it is how the next cycle gets better."
)
FOLLOW_UP_TEXT = "You skipped the last two check-ins. Five minutes now keeps your OKRs alive."
FOLLOW_UP_BODY = (
    "*Two weeks without a check-in.* OKRs die quietly when nobody looks at them. "
    "Where do things stand?"
)
PAUSE_TEXT = "Is this objective still on? Close it, pause it, or keep it."
PAUSE_BODY = (
    "You have not checked in on *{title}* after three reminders. Is it still on? Closing or "
    "pausing it stops the reminders; that is fine, plans change."
)
PAUSE_BUTTON, CLOSE_BUTTON, KEEP_BUTTON = "Pause it", "Close it", "Keep it"
GRADE_BUTTON = "Grade"
GRADE_BUTTON_ACCESSIBLE = "Grade {title}"
PAUSED_TEXT = "Paused {title}. No more reminders for it until you resume it."
CLOSED_TEXT = "Closed {title}. No more reminders for it."
KEPT_TEXT = "Kept {title}. Reminders continue weekly."


def grade_reminder(objectives: Sequence[ObjectiveView], cycle: str, cycle_end: date) -> Message:
    end = datetime(cycle_end.year, cycle_end.month, cycle_end.day, 12)
    blocks: list[dict[str, Any]] = [_section(GRADE_BODY.format(cycle=cycle))]
    blocks.extend(
        _objective_rows(
            objectives,
            block_prefix="grade_objective",
            label=GRADE_BUTTON,
            accessible=GRADE_BUTTON_ACCESSIBLE,
            action_id=ids.ACTION_GRADE_OBJECTIVE,
        )
    )
    return {
        "text": GRADE_TEXT.format(cycle=cycle, when=slack_date(end)),
        "blocks": blocks,
    }


GRADE_TITLE = "Grade an objective"
GRADE_SUBMIT = "Save grade"
GRADE_LABEL = "Grade from 0.0 to 1.0"
GRADE_HINT = "0.7 on an ambitious objective is a good result. Progress so far: {progress}."
GRADE_BLOCK = "grade"
GRADE_ACTION = "grade"
GRADED_TEXT = "Graded {title}: {grade}"


def grade_modal(objective: ObjectiveView) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": GRADE_ACTION,
        "placeholder": _plain("0.7"),
    }
    if objective.grade is not None:
        element["initial_value"] = f"{objective.grade:g}"
    progress = _percent(objective.progress)
    return {
        "type": "modal",
        "callback_id": ids.VIEW_GRADE,
        "private_metadata": json.dumps({"objective_id": objective.id}),
        "title": _plain(GRADE_TITLE, 24),
        "submit": _plain(GRADE_SUBMIT, 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            _section(f"*{truncate(escape(objective.title), 2900)}*"),
            {
                "type": "input",
                "block_id": GRADE_BLOCK,
                "label": _plain(GRADE_LABEL),
                "hint": _plain(GRADE_HINT.format(progress=progress), 2000),
                "element": element,
            },
        ],
    }


def follow_up(objectives: Sequence[ObjectiveView]) -> Message:
    blocks: list[dict[str, Any]] = [_section(FOLLOW_UP_BODY)]
    blocks.extend(
        _objective_rows(
            objectives,
            block_prefix="follow_up_objective",
            label=CHECKIN_BUTTON,
            accessible=CHECKIN_BUTTON_ACCESSIBLE,
            action_id=ids.ACTION_OPEN_CHECKIN,
        )
    )
    return {"text": FOLLOW_UP_TEXT, "blocks": blocks}


def pause_prompt(objective: ObjectiveView) -> Message:
    value = str(objective.id)
    return {
        "text": PAUSE_TEXT,
        "blocks": [
            _section(PAUSE_BODY.format(title=truncate(escape(objective.title), 300))),
            {
                "type": "actions",
                "block_id": f"pause_prompt_{objective.id}",
                "elements": [
                    _button(CLOSE_BUTTON, ids.ACTION_CLOSE_OBJECTIVE, value),
                    _button(PAUSE_BUTTON, ids.ACTION_PAUSE_OBJECTIVE, value),
                    _button(KEEP_BUTTON, ids.ACTION_KEEP_OBJECTIVE, value, "primary"),
                ],
            },
        ],
    }


def pause_outcome(title: str, status: str) -> Message:
    template = {"paused": PAUSED_TEXT, "closed": CLOSED_TEXT}.get(status, KEPT_TEXT)
    text = template.format(title=truncate(escape(title), 300))
    return {"text": text, "blocks": [_section(text)]}


# ---- weekly digest --------------------------------------------------------------------------

DIGEST_TEXT = "Weekly OKR digest: {count} check-ins, {falling} objectives losing confidence."
DIGEST_TITLE = "Weekly OKR digest"
DIGEST_CHECKED_IN = "*Checked in this week ({count}):* {people}"
DIGEST_NOBODY = "*Nobody checked in this week.*"
DIGEST_FALLING = "*Confidence trending down*"
DIGEST_AT_RISK = "*Key results at risk*"
DIGEST_ALL_CLEAR = "No key result looks at risk. Nice."
MAX_DIGEST_LINES = 10


DIGEST_WARNINGS = "*Where the numbers and the confidence disagree*"
MAX_DIGEST_WARNINGS = 8
NOT_HELPFUL = "Not helpful"


def _not_helpful(key_result_id: int, rule_id: str) -> dict[str, Any]:
    """A quiet overflow menu, like the coaching findings': feedback by rule id."""
    return {
        "type": "overflow",
        "action_id": ids.ACTION_WARNING_NOT_HELPFUL,
        "options": [
            {
                "text": {"type": "plain_text", "text": NOT_HELPFUL},
                "value": f"{key_result_id}|{rule_id}",
            }
        ],
    }


def digest(data: DigestData) -> Message:
    people = ", ".join(f"<@{u}>" for u in data.checked_in[:30])
    if len(data.checked_in) > 30:
        people += f" and {len(data.checked_in) - 30} more"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(DIGEST_TITLE)},
        _section(
            DIGEST_CHECKED_IN.format(count=len(data.checked_in), people=people)
            if data.checked_in
            else DIGEST_NOBODY
        ),
    ]
    if data.falling:
        lines = [
            f"• <@{o.owner_id}> {truncate(escape(o.title), 150)}: {confidence_text(o)}"
            for o in data.falling[:MAX_DIGEST_LINES]
        ]
        blocks.append(_section(truncate(DIGEST_FALLING + "\n" + "\n".join(lines), 2900)))
    if data.at_risk:
        lines = [
            f"• <@{o.owner_id}> {truncate(escape(kr.text), 150)}: confidence {kr.confidence}"
            f", {progress_bar(kr.progress)}"
            for o, kr in data.at_risk[:MAX_DIGEST_LINES]
        ]
        blocks.append(_section(truncate(DIGEST_AT_RISK + "\n" + "\n".join(lines), 2900)))
    else:
        blocks.append(_context(DIGEST_ALL_CLEAR))
    if data.warnings:
        blocks.append(_section(DIGEST_WARNINGS))
        for objective, warning in data.warnings[:MAX_DIGEST_WARNINGS]:
            line = (
                f"<@{objective.owner_id}> {truncate(escape(objective.title), 120)}: {warning.why}"
            )
            blocks.append(_section(line, accessory=_not_helpful(warning.key, warning.rule_id)))
    return {
        "text": DIGEST_TEXT.format(count=len(data.checked_in), falling=len(data.falling)),
        "blocks": blocks,
    }


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def schedule_text(weekday: int, minute: int) -> str:
    return f"every {WEEKDAY_NAMES[weekday]} at {minute // 60:02d}:{minute % 60:02d}"


def weekly_reminder(objectives: Sequence[ObjectiveView], weekday: int, minute: int) -> Message:
    return reminder_dm(objectives, schedule=schedule_text(weekday, minute))


def reminder_renderers() -> Renderers:
    """The reminder service's Block Kit, handed to it by the composition root."""
    return Renderers(
        weekly=weekly_reminder,
        follow_up=follow_up,
        grade=grade_reminder,
        pause_prompt=pause_prompt,
        digest=digest,
    )
