"""Pure builders for check-ins in plain words, and for progress warnings wherever they show.

What the coach understood is shown back as a draft check-in with Save (the one primary
action), Edit and Cancel; what it could not place is said plainly, with the form offered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.checkins import CheckInResult
from bot.plain_checkins import PlannedUpdate, Understood
from coaching.checkins.warnings import ProgressWarning
from handlers import ids
from handlers.blocks import actions, button, context, section
from handlers.checkin_blocks import checkin_summary
from handlers.home_blocks import kr_numbers
from handlers.text import escape, truncate

Message = dict[str, Any]

UNDERSTOOD_TEXT = "Here's the check-in I read from your message. Save it?"
UNDERSTOOD_TITLE = "*Here's the check-in I read.* Nothing is saved until you say so."
UPDATE_LINE = "• *{label}* {text}: {change}"
VALUE_CHANGE = "*{after}* (was {before})"
NEW_VALUE = "*{after}*"
CONFIDENCE_CHANGE = "confidence *{after}*"
NO_NUMBER = "no new number"
NOTE_LINE = "_Note:_ {note}"
SAVE_LABEL, EDIT_LABEL, CANCEL_LABEL = "Save", "Edit", "Cancel"
SAVED_TEXT = "Saved your check-in."
CANCELLED_TEXT = "Cancelled: nothing was saved."
ALREADY_SAVED_TEXT = "That check-in is already saved."
NOT_PLACED_TEXT = "I couldn't tell which key result {what} {is_for}."
NOTHING_TO_READ = "I read your message, but found no number or confidence to check in."
YOURS = "Your key results: {list}."
HOW_TO = (
    'Reply like "KR2 now 45%, confidence 6, waiting on legal", or use the form: '
    "it takes two clicks."
)
OPEN_FORM_LABEL = "Check in with the form"
WARNINGS_TITLE = "*Worth a look*"
WARNING_LINE = "*{label}* {why} {fix}"
NOT_HELPFUL_LABEL = "Not helpful"
MAX_LISTED_KEY_RESULTS = 8


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _update_line(update: PlannedUpdate) -> str:
    kr = update.key_result
    parts = []
    if update.value is not None:
        template = VALUE_CHANGE if kr.current is not None else NEW_VALUE
        parts.append(template.format(after=_number(update.value), before=_number(kr.current)))
    else:
        parts.append(NO_NUMBER)
    if update.confidence is not None:
        parts.append(CONFIDENCE_CHANGE.format(after=update.confidence))
    return UPDATE_LINE.format(
        label=update.label, text=escape(truncate(kr.text, 90)), change=" · ".join(parts)
    )


def understood(reading: Understood) -> Message:
    """The draft check-in to confirm: what changes, the note, Save / Edit / Cancel."""
    lines = [UNDERSTOOD_TITLE, *(_update_line(u) for u in reading.updates)]
    blocks = [section("\n".join(lines))]
    if reading.note:
        blocks.append(context(NOTE_LINE.format(note=escape(truncate(reading.note, 500)))))
    plan = json.dumps(reading.plan(), separators=(",", ":"))
    blocks.append(
        actions(
            ids.BLOCK_PLAIN_CHECKIN,
            button(SAVE_LABEL, ids.ACTION_PLAIN_CHECKIN_SAVE, plan, primary=True),
            button(EDIT_LABEL, ids.ACTION_PLAIN_CHECKIN_EDIT, plan),
            button(CANCEL_LABEL, ids.ACTION_PLAIN_CHECKIN_CANCEL, "cancel"),
        )
    )
    return {"text": UNDERSTOOD_TEXT, "blocks": blocks}


def not_placed(reading: Understood) -> Message:
    """Plainly what could not be placed, the key results to name, and the form."""
    unplaced = reading.draft.unplaced
    if unplaced:
        what = ", ".join(f"“{escape(u)}”" for u in unplaced[:3])
        head = NOT_PLACED_TEXT.format(
            what=what, is_for="is for" if len(unplaced) == 1 else "are for"
        )
    else:
        head = NOTHING_TO_READ
    listing = "; ".join(
        f"*{label}* {escape(truncate(text, 60))}"
        for label, text in reading.labels[:MAX_LISTED_KEY_RESULTS]
    )
    blocks = [
        section(f"{head}\n{YOURS.format(list=listing)}"),
        context(HOW_TO),
        actions(
            ids.BLOCK_PLAIN_CHECKIN_FORM,
            button(OPEN_FORM_LABEL, ids.ACTION_OPEN_CHECKIN, "", primary=True),
        ),
    ]
    return {"text": head, "blocks": blocks}


def done(text: str) -> Message:
    return {"text": text, "blocks": [section(text)]}


def warning_blocks(
    warnings: Sequence[ProgressWarning], labels: Mapping[int, str], *, feedback: bool = True
) -> list[dict[str, Any]]:
    """One section per warning: its key result, why, what to do, and a quiet "Not helpful"."""
    blocks: list[dict[str, Any]] = []
    for warning in warnings:
        label = labels.get(warning.key, "")
        block = section(WARNING_LINE.format(label=escape(label), why=warning.why, fix=warning.fix))
        if feedback:
            block["accessory"] = {
                "type": "overflow",
                "action_id": ids.ACTION_WARNING_NOT_HELPFUL,
                "options": [
                    {
                        "text": {"type": "plain_text", "text": NOT_HELPFUL_LABEL},
                        "value": f"{warning.key}|{warning.rule_id}",
                    }
                ],
            }
        blocks.append(block)
    return blocks


def saved(
    results: Sequence[CheckInResult], warnings: Mapping[int, Sequence[ProgressWarning]]
) -> Message:
    """What was saved, objective by objective, with the warnings a coach would give."""
    blocks: list[dict[str, Any]] = []
    summaries = [checkin_summary(result) for result in results]
    for result, summary in zip(results, summaries, strict=True):
        blocks.extend(summary["blocks"])
        found = warnings.get(result.after.id, ())
        if found:
            labels = {
                kr.id: f"KR{n} · {truncate(kr.text, 60)} ({kr_numbers(kr) or 'no numbers'})"
                for n, kr in enumerate(result.after.key_results, start=1)
            }
            blocks.append(section(WARNINGS_TITLE))
            blocks.extend(warning_blocks(found, labels))
    text = summaries[0]["text"] if len(summaries) == 1 else SAVED_TEXT
    return {"text": text, "blocks": blocks[:40]}


def parse_warning_feedback(value: str) -> tuple[int, str] | None:
    key, _, rule = value.partition("|")
    return (int(key), rule) if key.isdigit() and rule.startswith("progress.") else None
