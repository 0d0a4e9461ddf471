"""Reading and validating modal input: pure functions from Slack's view state to typed values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.cycles import parse_cycle
from bot.objectives import COMMITMENTS, KeyResultInput, ObjectiveInput
from handlers.ranges import Range, find_range, format_range, parse_range

MAX_KEY_RESULTS = 5
TITLE_LIMIT = 300
KR_TEXT_LIMIT = 300

# Block and action ids of the "add objective" modal.
TITLE_BLOCK = "title"
KR_BLOCK = "kr{index}"
RANGE_BLOCK = "kr{index}_range"
COMMITMENT_BLOCK = "commitment"
CYCLE_BLOCK = "cycle"
PARENT_BLOCK = "parent"
INPUT_ACTION = "value"

ERROR_TITLE_EMPTY = "Give the objective a short, inspiring title."
ERROR_TITLE_LONG = f"Keep the title under {TITLE_LIMIT} characters."
ERROR_NO_KEY_RESULTS = "Key result 1 is required: how will you know you got there?"
# Shown as plain text under the field, so no mrkdwn.
ERROR_RANGE_FORMAT = (
    "Write it as baseline → target with one unit, like 120 → 300 teams, 5 days → 1 day, "
    "$40k → $90k or 8% to 4%."
)
ERROR_RANGE_WITHOUT_KR = "Describe this key result above, or clear the numbers."
ERROR_RANGE_FLAT = "The target equals the baseline: what would change?"
ERROR_KR_LONG = f"Keep each key result under {KR_TEXT_LIMIT} characters."
ERROR_CYCLE = "Pick a cycle like 2026-Q4."
ERROR_COMMITMENT = "Choose committed or aspirational."


def guess_range(kr_text: str) -> str | None:
    """The range field's prefill for a key result like "raise X from 120 to 300 by June"."""
    found = find_range(kr_text)
    return format_range(found) if found else None


def _value(state: Mapping[str, Any], block_id: str) -> Any:
    element = (state.get(block_id) or {}).get(INPUT_ACTION) or {}
    if "selected_option" in element:
        option = element.get("selected_option") or {}
        return option.get("value")
    return element.get("value")


def text_value(state: Mapping[str, Any], block_id: str) -> str:
    value = _value(state, block_id)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class FormResult:
    value: ObjectiveInput | None
    errors: dict[str, str]


def read_objective_form(state: Mapping[str, Any]) -> FormResult:
    """Validate the "add objective" modal; errors are keyed by block id for inline display."""
    errors: dict[str, str] = {}
    title = text_value(state, TITLE_BLOCK)
    if not title:
        errors[TITLE_BLOCK] = ERROR_TITLE_EMPTY
    elif len(title) > TITLE_LIMIT:
        errors[TITLE_BLOCK] = ERROR_TITLE_LONG

    key_results: list[KeyResultInput] = []
    for index in range(1, MAX_KEY_RESULTS + 1):
        kr_block, range_block = KR_BLOCK.format(index=index), RANGE_BLOCK.format(index=index)
        text, raw_range = text_value(state, kr_block), text_value(state, range_block)
        if not text:
            if raw_range:
                errors[range_block] = ERROR_RANGE_WITHOUT_KR
            continue
        if len(text) > KR_TEXT_LIMIT:
            errors[kr_block] = ERROR_KR_LONG
            continue
        parsed: Range | None = None
        if raw_range:
            parsed = parse_range(raw_range)
            if parsed is None:
                errors[range_block] = ERROR_RANGE_FORMAT
                continue
            if parsed.baseline is not None and parsed.baseline == parsed.target:
                errors[range_block] = ERROR_RANGE_FLAT
                continue
        key_results.append(
            KeyResultInput(
                text=text,
                metric=text[:255],
                baseline=parsed.baseline if parsed else None,
                target=parsed.target if parsed else None,
                unit=parsed.unit if parsed else None,
            )
        )
    if not key_results and not any(k.startswith("kr") for k in errors):
        errors[KR_BLOCK.format(index=1)] = ERROR_NO_KEY_RESULTS

    commitment = text_value(state, COMMITMENT_BLOCK) or "committed"
    if commitment not in COMMITMENTS:
        errors[COMMITMENT_BLOCK] = ERROR_COMMITMENT
    cycle = text_value(state, CYCLE_BLOCK)
    if parse_cycle(cycle) is None:
        errors[CYCLE_BLOCK] = ERROR_CYCLE
    parent_raw = text_value(state, PARENT_BLOCK)
    parent_id = int(parent_raw) if parent_raw.isdigit() else None

    if errors:
        return FormResult(None, errors)
    return FormResult(
        ObjectiveInput(
            title=title,
            cycle=cycle.upper(),
            key_results=tuple(key_results),
            commitment=commitment,
            parent_id=parent_id,
        ),
        {},
    )
