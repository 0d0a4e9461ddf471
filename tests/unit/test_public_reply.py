"""The reply colleagues see: short, kind, one fix, one primary button, nothing internal."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from coaching import DraftReview, review_draft
from coaching.messages import UNSURE_QUESTION
from handlers import ids
from handlers.blocks import EDITED_NOTE, HEADLINE_EMPTY, review_reply
from handlers.button_values import fingerprint, parse_review_button
from handlers.public_blocks import (
    CLEAN_LEAD,
    DETAILS_LABEL,
    LONE_KEY_RESULT_LEAD,
    OUTCOME_FIX,
    ROUTINE_LEAD,
    SAVE_FIRST_LABEL,
    SAVED_NOTE,
    public_reply,
)
from tests.coaching.fixed_model import FixedModel
from tests.coaching.invented_drafts import INVENTED
from tests.coaching.shared_data import shared_data
from tests.reply_text import (
    CERTAINTY,
    RULE_ID,
    buttons,
    primary_count,
    text_lines,
    word_count,
)

MAX_LINES = 6
MAX_WORDS = 60

ROUTINE = "Answer support emails within 24h"
STRATEGIC = (
    "Objective: Grow paying teams\n"
    "KR1: more signups\n"
    "KR2: happier customers\n"
    "KR3: Raise NPS from 20 to 40 by Q4\n"
    "confidence 5/10"
)
CLEAN = (
    "Objective: Make onboarding effortless for new teams\n"
    "KR1: Raise week-1 activation from 35% to 60% by end of Q4\n"
    "KR2: Cut time to first value from 3 days to 1 day by end of Q4\n"
    "confidence 6/10"
)
SEVERAL = (
    "Objective: Answer tickets\n"
    "Objective: Grow revenue in Europe from 1M to 2M\n"
    "Objective: Make onboarding effortless for new teams"
)
LONE_KR = "KR1: Raise NPS from 20 to 40 by Q4"


def unsure(text: str) -> DraftReview:
    return review_draft(text, model=FixedModel(0.64))  # type: ignore[arg-type]


DRAFTS = {
    "routine": lambda: review_draft(ROUTINE),
    "strategic": lambda: review_draft(STRATEGIC),
    "clean": lambda: review_draft(CLEAN),
    "unsure": lambda: unsure("Objective: Revamp how partners hear about new releases"),
    "several": lambda: review_draft(SEVERAL),
    "lone key result": lambda: review_draft(LONE_KR),
    "long": lambda: review_draft(
        "\n".join(f"Objective: Grow market {i} by 20%" for i in range(40))
    ),
}


@pytest.mark.parametrize("kind", DRAFTS)
@pytest.mark.parametrize("edited", [False, True], ids=["new", "edited"])
def test_the_public_reply_fits_on_a_phone_and_keeps_internals_private(
    kind: str, edited: bool
) -> None:
    review = DRAFTS[kind]()
    message = public_reply(review, review_id=42, edited=edited)
    lines = text_lines(message.blocks)
    assert len(lines) <= MAX_LINES, lines
    assert word_count(message.blocks) <= MAX_WORDS, lines
    shown = "\n".join([message.text, *lines]).lower()
    assert RULE_ID.search(shown) is None
    assert "not an okr" not in shown and "routine" not in shown
    said = shown.replace(UNSURE_QUESTION.lower(), "")
    assert CERTAINTY.search(said) is None
    assert primary_count(message.blocks) == 1
    for block in Block.parse_all(message.blocks):
        block.validate_json()


def test_routine_work_is_asked_what_it_protects_and_shown_an_outcome() -> None:
    review = review_draft(ROUTINE)
    message = public_reply(review, review_id=1)
    lines = text_lines(message.blocks)
    assert message.text == lines[0] == ROUTINE_LEAD
    outcome = review.primary.rewrite.splitlines()[0].removeprefix("Objective: ")  # type: ignore[union-attr]
    assert lines[1] == OUTCOME_FIX.format(objective=outcome)
    # Reading why comes first; saving routine work as an OKR is not the next step.
    assert [(b["action_id"], b.get("style")) for b in buttons(message.blocks)] == [
        (ids.ACTION_SHOW_DETAILS, "primary"),
        (ids.ACTION_SAVE_AS_OKR, None),
    ]


def test_a_strong_objective_is_told_what_its_key_results_need() -> None:
    message = public_reply(review_draft(STRATEGIC), review_id=1)
    assert message.text == "A strong objective; two key results need numbers."
    assert '"more signups"' in text_lines(message.blocks)[1]
    (save, details) = buttons(message.blocks)
    assert (save["action_id"], save["style"]) == (ids.ACTION_SAVE_AS_OKR, "primary")
    assert details["text"]["text"] == DETAILS_LABEL and "style" not in details


def test_a_clean_objective_is_ready_to_save() -> None:
    message = public_reply(review_draft(CLEAN), review_id=1)
    assert message.text == CLEAN_LEAD
    assert len(text_lines(message.blocks)) == 3  # the sentence and two buttons


def test_when_unsure_the_public_sentence_is_the_question() -> None:
    message = public_reply(unsure("Objective: Revamp how partners hear about new releases"))
    assert message.text == UNSURE_QUESTION
    assert text_lines(message.blocks)[0] == UNSURE_QUESTION


def test_several_objectives_are_counted_kindly_and_the_fix_names_its_objective() -> None:
    message = public_reply(review_draft(SEVERAL), review_id=1)
    assert message.text.startswith("3 objectives here: ")
    assert "For “Answer tickets”" in text_lines(message.blocks)[1]
    assert SAVE_FIRST_LABEL in [b["text"]["text"] for b in buttons(message.blocks)]


def test_a_lone_key_result_is_asked_for_its_objective() -> None:
    assert public_reply(review_draft(LONE_KR)).text == LONE_KEY_RESULT_LEAD


def test_buttons_carry_the_fingerprint_of_the_draft_they_were_drawn_for() -> None:
    message = public_reply(review_draft(STRATEGIC), review_id=77)
    for button in buttons(message.blocks):
        parsed = parse_review_button(button["value"])
        assert parsed is not None and parsed.review_id == 77
        assert parsed.fingerprint == fingerprint(STRATEGIC)


def test_notes_for_edits_and_saves_and_no_second_save() -> None:
    message = public_reply(review_draft(STRATEGIC), review_id=1, edited=True, saved=True)
    lines = text_lines(message.blocks)
    assert any(SAVED_NOTE in line and EDITED_NOTE in line for line in lines)
    assert [b["action_id"] for b in buttons(message.blocks)] == [ids.ACTION_SHOW_DETAILS]
    assert primary_count(message.blocks) == 0


def test_without_a_stored_review_there_are_no_buttons() -> None:
    assert buttons(public_reply(review_draft(STRATEGIC)).blocks) == []


def test_nothing_to_review_explains_the_format() -> None:
    message = public_reply(review_draft("   "), review_id=1)
    assert message.text == HEADLINE_EMPTY
    assert buttons(message.blocks) == []


def every_draft() -> list[str]:
    drafts = [text for text, _ in INVENTED]
    for path in sorted(shared_data().glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            drafts += [str(json.loads(line).get("text") or "") for line in lines if line.strip()]
    return drafts


def test_every_known_draft_gets_a_phone_sized_reply_and_a_dozen_block_review() -> None:
    """Over every invented and labelled draft: the bounds hold for real writing, not just ours."""
    for text in every_draft():
        review = review_draft(text)
        public = public_reply(review, review_id=1, edited=True)
        lines = text_lines(public.blocks)
        assert len(lines) <= MAX_LINES and word_count(public.blocks) <= MAX_WORDS, (text, lines)
        shown = "\n".join(lines)
        assert RULE_ID.search(shown) is None and "not an OKR" not in shown, (text, lines)
        assert len(review_reply(review, review_id=1).blocks) <= 12, text
