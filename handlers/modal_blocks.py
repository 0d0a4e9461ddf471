"""Pure builders for the modals: paste a draft, add an objective, see a review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coaching import DraftReview
from handlers import forms, ids
from handlers.blocks import review_reply
from handlers.rewrite_fields import rewrite_fields
from handlers.text import truncate

MODAL_TITLE_LIMIT = 24
OPTION_TEXT_LIMIT = 75
MAX_SELECT_OPTIONS = 100
DRAFT_INPUT_LIMIT = 3000

REVIEW_MODAL_TITLE = "Review a draft"
REVIEW_MODAL_LABEL = "Your draft objective and key results"
REVIEW_MODAL_PLACEHOLDER = "Objective: …\nKR1: …\nKR2: …"
REVIEW_RESULT_TITLE = "Your review"
DRAFT_BLOCK = "draft"

ADD_MODAL_TITLE = "Add an objective"
ADD_SUBMIT = "Save"
CANCEL = "Cancel"
CLOSE = "Close"
TITLE_LABEL = "Objective"
TITLE_PLACEHOLDER = "An inspiring, qualitative goal, e.g. Make onboarding effortless"
KR_LABEL = "Key result {index}"
KR_PLACEHOLDER = "What you will measure, e.g. Weekly active teams"
RANGE_LABEL = "Key result {index}: baseline → target"
RANGE_PLACEHOLDER = "e.g. 120 → 300 teams"
RANGE_HINT = "Where it is now and where it should be by the end of the cycle."
COMMITMENT_LABEL = "Commitment"
COMMITTED_TEXT = "Committed: we will hit it"
ASPIRATIONAL_TEXT = "Aspirational: a stretch, 70% is a win"
CYCLE_LABEL = "Cycle"
# Slack adds "(optional)" to optional inputs itself; a label never says it.
PARENT_LABEL = "Aligns to"
PARENT_PLACEHOLDER = "A team or company objective"
PREFILLED_KEY_RESULTS = 3


@dataclass(frozen=True)
class KeyResultPrefill:
    text: str
    range_text: str | None = None
    # Greyed hints for fields left empty for the author to fill.
    text_hint: str | None = None
    range_hint: str | None = None


@dataclass(frozen=True)
class ObjectivePrefill:
    title: str = ""
    key_results: tuple[KeyResultPrefill, ...] = field(default_factory=tuple)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _text_input(
    block_id: str,
    label: str,
    *,
    placeholder: str | None = None,
    initial: str | None = None,
    optional: bool = True,
    multiline: bool = False,
    max_length: int | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": forms.INPUT_ACTION,
        "multiline": multiline,
    }
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    if initial:
        element["initial_value"] = initial[: max_length or 3000]
    if max_length:
        element["max_length"] = max_length
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(truncate(text, OPTION_TEXT_LIMIT)), "value": value}


def _modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    submit: str | None,
    close: str,
    private_metadata: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(truncate(title, MODAL_TITLE_LIMIT)),
        "close": _plain(close),
        "blocks": blocks,
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = _plain(submit)
    return view


def review_draft_modal(private_metadata: str = "") -> dict[str, Any]:
    return _modal(
        ids.VIEW_REVIEW_DRAFT,
        REVIEW_MODAL_TITLE,
        [
            _text_input(
                DRAFT_BLOCK,
                REVIEW_MODAL_LABEL,
                placeholder=REVIEW_MODAL_PLACEHOLDER,
                optional=False,
                multiline=True,
                max_length=DRAFT_INPUT_LIMIT,
            )
        ],
        submit="Review",
        close=CANCEL,
        private_metadata=private_metadata,
    )


def review_result_modal(review: DraftReview) -> dict[str, Any]:
    reply = review_reply(review)
    return _modal(
        ids.VIEW_REVIEW_DRAFT + "_result",
        REVIEW_RESULT_TITLE,
        reply.blocks,
        submit=None,
        close=CLOSE,
    )


def add_objective_modal(
    *,
    cycles: Sequence[str],
    default_cycle: str,
    parents: Sequence[tuple[int, str]] = (),
    prefill: ObjectivePrefill | None = None,
    private_metadata: str = "",
) -> dict[str, Any]:
    prefill = prefill or ObjectivePrefill()
    blocks: list[dict[str, Any]] = [
        _text_input(
            forms.TITLE_BLOCK,
            TITLE_LABEL,
            placeholder=TITLE_PLACEHOLDER,
            initial=prefill.title,
            optional=False,
            max_length=forms.TITLE_LIMIT,
        )
    ]
    shown = max(PREFILLED_KEY_RESULTS, len(prefill.key_results))
    for index in range(1, min(shown, forms.MAX_KEY_RESULTS) + 1):
        kr = prefill.key_results[index - 1] if index <= len(prefill.key_results) else None
        blocks.append(
            _text_input(
                forms.KR_BLOCK.format(index=index),
                KR_LABEL.format(index=index),
                placeholder=(kr and kr.text_hint) or KR_PLACEHOLDER,
                initial=kr.text if kr else None,
                # The form needs one key result: the first is required, the rest optional.
                optional=index > 1,
                max_length=forms.KR_TEXT_LIMIT,
            )
        )
        blocks.append(
            _text_input(
                forms.RANGE_BLOCK.format(index=index),
                RANGE_LABEL.format(index=index),
                placeholder=(kr and kr.range_hint) or RANGE_PLACEHOLDER,
                initial=kr.range_text if kr else None,
                max_length=80,
                hint=RANGE_HINT if index == 1 else None,
            )
        )
    committed = _option(COMMITTED_TEXT, "committed")
    blocks.append(
        {
            "type": "input",
            "block_id": forms.COMMITMENT_BLOCK,
            "label": _plain(COMMITMENT_LABEL),
            "element": {
                "type": "radio_buttons",
                "action_id": forms.INPUT_ACTION,
                "initial_option": committed,
                "options": [committed, _option(ASPIRATIONAL_TEXT, "aspirational")],
            },
        }
    )
    cycle_options = [_option(c, c) for c in cycles]
    default = next((o for o in cycle_options if o["value"] == default_cycle), cycle_options[0])
    blocks.append(
        {
            "type": "input",
            "block_id": forms.CYCLE_BLOCK,
            "label": _plain(CYCLE_LABEL),
            "element": {
                "type": "static_select",
                "action_id": forms.INPUT_ACTION,
                "initial_option": default,
                "options": cycle_options,
            },
        }
    )
    if parents:
        blocks.append(
            {
                "type": "input",
                "block_id": forms.PARENT_BLOCK,
                "optional": True,
                "label": _plain(PARENT_LABEL),
                "element": {
                    "type": "static_select",
                    "action_id": forms.INPUT_ACTION,
                    "placeholder": _plain(PARENT_PLACEHOLDER),
                    "options": [
                        _option(title, str(pid)) for pid, title in parents[:MAX_SELECT_OPTIONS]
                    ],
                },
            }
        )
    return _modal(
        ids.VIEW_ADD_OBJECTIVE,
        ADD_MODAL_TITLE,
        blocks,
        submit=ADD_SUBMIT,
        close=CANCEL,
        private_metadata=private_metadata,
    )


def prefill_from_review(review: DraftReview, *, use_rewrite: bool = False) -> ObjectivePrefill:
    """The "add" modal filled from a coached draft: its objective and key results as written,
    or (``use_rewrite``) exactly the rewrite shown, its blanks left empty with a hint."""
    primary = review.primary
    if primary is None:
        return ObjectivePrefill()
    if use_rewrite and primary.rewrite:
        fields = rewrite_fields(primary.rewrite, forms.guess_range)
        return ObjectivePrefill(
            title=fields.title[: forms.TITLE_LIMIT],
            key_results=tuple(
                KeyResultPrefill(
                    text=kr.text[: forms.KR_TEXT_LIMIT],
                    range_text=kr.range_text,
                    text_hint=kr.text_hint,
                    range_hint=kr.range_hint,
                )
                for kr in fields.key_results[: forms.MAX_KEY_RESULTS]
            ),
        )
    return ObjectivePrefill(
        title=primary.objective[: forms.TITLE_LIMIT],
        key_results=tuple(
            KeyResultPrefill(text=kr[: forms.KR_TEXT_LIMIT], range_text=forms.guess_range(kr))
            for kr in primary.key_results[: forms.MAX_KEY_RESULTS]
        ),
    )
