"""The terminal shows the full review: every finding with its rule id, why, and the rewrite."""

from __future__ import annotations

from coaching import review_draft
from handlers.blocks import ROUTINE_NOTE
from handlers.terminal import render_review


def test_the_terminal_shows_the_full_review_saying_each_reason_once() -> None:
    review = review_draft("Answer support emails within 24h")
    out = render_review(review)
    primary = review.primary
    assert primary is not None and primary.rewrite is not None
    for finding in review.findings:
        assert f"[{finding.rule_id}]" in out
    for judgement in primary.dimensions:
        assert out.count(judgement.explanation) == 1
    assert out.count(ROUTINE_NOTE) == 1
    assert primary.rewrite.splitlines()[0] in out
