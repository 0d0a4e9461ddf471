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
from handlers.blocks import (
    CONFIDENCE_PROMPT,
    HEADLINE_EMPTY,
    HEADLINE_ROUTINE,
    HEADLINE_STRATEGIC_CLEAN,
    HEADLINE_UNSURE,
    MAX_FINDINGS_SHOWN,
    ROUTINE_NOTE,
    review_reply,
)


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


def test_clean_strategic_draft_gets_praise_and_a_confidence_prompt() -> None:
    message = review_reply(DraftReview("x", (objective(),)))
    assert message.text.startswith(HEADLINE_STRATEGIC_CLEAN)
    assert CONFIDENCE_PROMPT in all_text(message.blocks)


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
