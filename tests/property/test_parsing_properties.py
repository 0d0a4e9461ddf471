"""The parser and the coach are total, deterministic and bounded on any text."""

from __future__ import annotations

from hypothesis import given, settings

from coaching import parse_draft, review_draft
from coaching.parsing import MAX_CHARS, MAX_KEY_RESULTS, MAX_LINE_CHARS, MAX_OBJECTIVES
from tests.property.strategies import slack_text


@settings(max_examples=150, deadline=None)
@given(slack_text)
def test_parse_draft_is_total_deterministic_and_capped(text: str) -> None:
    parsed = parse_draft(text)

    assert parse_draft(text) == parsed
    assert len(parsed.objectives) <= MAX_OBJECTIVES
    assert parsed.chars_read <= MAX_CHARS
    assert parsed.objectives_found >= len(parsed.objectives)
    if len(text) > MAX_CHARS or parsed.objectives_found > MAX_OBJECTIVES:
        assert parsed.truncated
    for objective in parsed.objectives:
        assert objective.text.strip()
        assert len(objective.text) <= MAX_LINE_CHARS
        assert len(objective.key_results) <= MAX_KEY_RESULTS
        assert objective.key_result_count >= len(objective.key_results)
        assert all(len(kr) <= MAX_LINE_CHARS for kr in objective.key_results)
        assert objective.confidence_level is None or 1 <= objective.confidence_level <= 10


@settings(max_examples=100, deadline=None)
@given(slack_text)
def test_review_draft_is_total_deterministic_and_capped(text: str) -> None:
    review = review_draft(text)

    assert review_draft(text).to_dict() == review.to_dict()
    assert len(review.objectives) <= MAX_OBJECTIVES
    for objective in review.objectives:
        assert 0.0 <= objective.confidence <= 1.0
    if len(text) > MAX_CHARS:
        assert review.truncated
