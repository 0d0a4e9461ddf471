"""The review reply builder, checked for meaning rather than as a JSON snapshot."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_sdk.models.blocks import Block

from coaching import (
    Dimension,
    DimensionJudgement,
    DraftReview,
    Finding,
    ObjectiveReview,
    Severity,
    Verdict,
)
from handlers import ids
from handlers.blocks import (
    BLANKS_FORM_HINT,
    BLANKS_HINT,
    HEADLINE_EMPTY,
    HEADLINE_ROUTINE,
    HEADLINE_STRATEGIC_CLEAN,
    HEADLINE_UNSURE,
    MAX_FINDINGS_SHOWN,
    NOTHING_TO_FIX,
    REWRITE_TITLE,
    ROUTINE_NOTE,
    review_reply,
)
from handlers.button_values import fingerprint, parse_review_button
from tests.reply_text import buttons, primary_count


def finding(rule_id: str, severity: Severity = Severity.MEDIUM, msg: str = "why") -> Finding:
    return Finding(rule_id, severity, msg, f"fix for {rule_id}", target="KR1")


def objective(
    verdict: Verdict = Verdict.STRATEGIC,
    findings: tuple[Finding, ...] = (),
    rewrite: str | None = None,
    text: str = "Grow the community",
    confidence: float = 0.9,
) -> ObjectiveReview:
    return ObjectiveReview(
        objective=text,
        key_results=(),
        verdict=verdict,
        confidence=confidence,
        score=1.0 if verdict is Verdict.STRATEGIC else -1.0,
        dimensions=(
            DimensionJudgement(Dimension.SCOPE, verdict, "a scope line"),
            DimensionJudgement(Dimension.IMPACT, verdict, "an impact line"),
            DimensionJudgement(Dimension.ALIGNMENT, verdict, "an alignment line"),
        ),
        findings=findings,
        rewrite=rewrite,
    )


def all_text(blocks: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text", "")
            parts.append(text["text"] if isinstance(text, dict) else text)
    return "\n".join(parts)


def assert_valid(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()


def test_routine_verdict_leads_with_plain_words_and_respect_for_the_work() -> None:
    message = review_reply(DraftReview("x", (objective(Verdict.ROUTINE, confidence=0.75),)))
    assert message.text == HEADLINE_ROUTINE
    assert "sure" not in message.text
    assert ROUTINE_NOTE in all_text(message.blocks)
    assert_valid(message.blocks)


def test_an_unsure_review_asks_instead_of_giving_a_verdict() -> None:
    unsure = replace(objective(Verdict.ROUTINE, confidence=0.62), unsure=True)
    message = review_reply(DraftReview("x", (unsure,)))
    assert message.text == HEADLINE_UNSURE
    assert "not sure" in message.text and message.text.endswith("?")
    assert ROUTINE_NOTE not in all_text(message.blocks)
    assert HEADLINE_ROUTINE not in all_text(message.blocks)
    assert_valid(message.blocks)


def test_clean_strategic_draft_gets_praise_and_nothing_to_fix() -> None:
    message = review_reply(DraftReview("x", (objective(),)))
    assert message.text.startswith(HEADLINE_STRATEGIC_CLEAN)
    assert NOTHING_TO_FIX in all_text(message.blocks)


def test_why_names_the_three_distinctions() -> None:
    text = all_text(review_reply(DraftReview("x", (objective(),))).blocks)
    for label in ("*Scope*: a scope line", "*Impact*: an impact line", "*Alignment*"):
        assert label in text


def test_at_most_three_findings_most_severe_first_with_rule_ids() -> None:
    findings = (
        finding("kr.deadline", Severity.LOW),
        finding("kr.baseline", Severity.HIGH),
        finding("kr.count", Severity.MEDIUM),
        finding("kr.output", Severity.MEDIUM),
        finding("kr.binary", Severity.LOW),
    )
    message = review_reply(DraftReview("x", (objective(findings=findings),)))
    text = all_text(message.blocks)
    assert text.index("kr.baseline") < text.index("kr.count") < text.index("kr.output")
    assert "kr.deadline" not in text and "kr.binary" not in text
    assert f"+{len(findings) - MAX_FINDINGS_SHOWN} more suggestions" in text
    assert "5 key-result findings" in message.text
    assert_valid(message.blocks)


def test_user_text_is_escaped_everywhere_it_is_echoed() -> None:
    hostile = "<!channel> grow @here <https://evil|click>"
    review = DraftReview(
        hostile,
        (
            objective(text=hostile, rewrite=hostile, findings=(finding("kr.x", msg=hostile),)),
            objective(text=hostile),
        ),
    )
    text = all_text(review_reply(review).blocks)
    assert "<!channel>" not in text and "@here" not in text and "<https://" not in text
    assert "&lt;!channel&gt;" in text


def test_huge_drafts_stay_within_block_limits() -> None:
    huge = "Grow " * 8000
    many = tuple(objective(text=huge, rewrite=huge) for _ in range(40))
    message = review_reply(DraftReview(huge, many))
    assert_valid(message.blocks)
    assert len(message.blocks) <= 15
    assert "and 35 more" in all_text(message.blocks)


def test_no_objective_found_explains_the_format() -> None:
    message = review_reply(DraftReview("   "))
    assert message.text == HEADLINE_EMPTY
    assert_valid(message.blocks)


def test_a_long_draft_says_up_front_that_it_was_cut() -> None:
    from coaching import review_draft

    review = review_draft("\n".join(f"Objective: Grow market {i} by 20%" for i in range(400)))
    assert review.truncated
    message = review_reply(review, review_id=7)
    second = message.blocks[1]
    assert second["type"] == "context"
    assert "long" in second["elements"][0]["text"]
    assert "draft.truncated" not in all_text(message.blocks[2:])
    assert_valid(message.blocks)


def test_a_reason_given_under_why_is_not_repeated_by_its_finding() -> None:
    why = "it opens with attend, a checklist step"
    routine = replace(
        objective(Verdict.ROUTINE, findings=(finding("scope.chore", msg=why.capitalize() + "."),)),
        dimensions=(DimensionJudgement(Dimension.SCOPE, Verdict.ROUTINE, why),),
    )
    text = all_text(review_reply(DraftReview("x", (routine,)), review_id=3).blocks)
    assert text.lower().count(why) == 1
    assert "fix for scope.chore" in text and "`scope.chore`" in text


def test_routine_work_is_called_necessary_once_not_twice() -> None:
    first = Finding("scope.chore", Severity.HIGH, "why", f"{ROUTINE_NOTE} Ask why it matters.")
    text = all_text(review_reply(DraftReview("x", (objective(Verdict.ROUTINE, (first,)),))).blocks)
    assert text.count(ROUTINE_NOTE) == 1
    assert "Ask why it matters." in text


def test_the_full_review_has_one_primary_action_carrying_what_it_shows() -> None:
    rewrite = "Objective: Grow the community\nKR1: Raise members from 40 to 90 by Q4"
    review = DraftReview("Objective: Grow the community", (objective(rewrite=rewrite),))
    message = review_reply(review, review_id=9)
    (use,) = buttons(message.blocks)
    assert (use["action_id"], use["style"]) == (ids.ACTION_USE_REWRITE, "primary")
    assert parse_review_button(use["value"]) is not None
    assert parse_review_button(use["value"]).fingerprint == fingerprint(rewrite)  # type: ignore[union-attr]
    assert REWRITE_TITLE in all_text(message.blocks)
    assert_valid(message.blocks)


def test_routine_drafts_can_also_be_kept_as_a_task_quietly() -> None:
    review = DraftReview("x", (objective(Verdict.ROUTINE, rewrite="Objective: Serve people"),))
    message = review_reply(review, review_id=9)
    assert [b["action_id"] for b in buttons(message.blocks)] == [
        ids.ACTION_USE_REWRITE,
        ids.ACTION_MARK_ROUTINE,
    ]
    assert primary_count(message.blocks) == 1


def test_a_rewrite_that_repeats_the_draft_is_not_offered() -> None:
    same = "Objective: Grow the community"
    message = review_reply(DraftReview(same, (objective(rewrite=same),)), review_id=4)
    assert REWRITE_TITLE not in all_text(message.blocks)
    (save,) = buttons(message.blocks)
    assert (save["action_id"], save["style"]) == (ids.ACTION_SAVE_AS_OKR, "primary")
    assert parse_review_button(save["value"]).fingerprint == fingerprint(same)  # type: ignore[union-attr]


def test_blanks_in_the_rewrite_are_marked_and_explained() -> None:
    rewrite = (
        "Objective: Serve people\nKR1: Raise satisfaction from X/10 to Y/10 by <end of quarter>"
    )
    review = DraftReview("x", (objective(rewrite=rewrite),))
    text = all_text(review_reply(review).blocks)
    assert "from `X/10` to `Y/10` by `end of quarter`" in text
    # Without a stored review (the terminal, /okr review) there is no button to speak of.
    assert BLANKS_HINT in text and BLANKS_FORM_HINT not in text
    assert BLANKS_FORM_HINT in all_text(review_reply(review, review_id=2).blocks)


def test_once_saved_the_full_review_shows_what_was_saved_instead_of_buttons() -> None:
    review = DraftReview("x", (objective(rewrite="Objective: Serve people"),))
    message = review_reply(review, review_id=9, saved_note="Saved as your OKR")
    assert buttons(message.blocks) == []
    assert "Saved as your OKR" in all_text(message.blocks)
