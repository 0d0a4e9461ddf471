"""A rewrite read as form fields and shown with its blanks marked; button values."""

from __future__ import annotations

import pytest

from handlers.button_values import (
    ReviewButton,
    fingerprint,
    parse_review_button,
    review_button,
)
from handlers.rewrite_fields import RewriteKeyResult, mark_blanks, rewrite_fields


def guess_range(text: str) -> str | None:
    """Stands in for the form's own reader of numbers: only where numbers go is tested here."""
    return f"range of {text}" if any(c.isdigit() for c in text) else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Raise the share of support emails answered within 24h from X% to Y% by "
            "<end of quarter>",
            RewriteKeyResult(
                "Raise the share of support emails answered within 24h", None, None, "X% → Y%"
            ),
        ),
        (
            "Raise satisfaction with the sync from X/10 to Y/10 by <end of quarter>",
            RewriteKeyResult("Raise satisfaction with the sync", None, None, "X/10 → Y/10"),
        ),
        (
            "Cut the time spent on the audit from X to Y hours a month by <end of quarter>",
            RewriteKeyResult("Cut the time spent on the audit", None, None, "X → Y hours a month"),
        ),
        (
            "more signups, measured as signups moving from X to Y by <end of quarter>",
            RewriteKeyResult("more signups", None, None, "X → Y"),
        ),
        (
            "Raise uptime from 99% to Y% by <end of quarter>",
            RewriteKeyResult("Raise uptime", None, None, "99% → Y%"),
        ),
        (
            "Keep the rota, moving from where it is today to Y by <end of quarter>",
            RewriteKeyResult("Keep the rota", None, None, "today → Y"),
        ),
        (
            "Win ten design partners (from X today) by <end of quarter>",
            RewriteKeyResult("Win ten design partners", None, None, "today → target"),
        ),
        (
            "Raise <main measure of the platform> from X to Y by <end of quarter>",
            RewriteKeyResult("", None, "Raise main measure of the platform", "X → Y"),
        ),
        (
            "Raise weekly active teams from 120 to 300 by <end of quarter>",
            RewriteKeyResult(
                "Raise weekly active teams from 120 to 300",
                "range of Raise weekly active teams from 120 to 300",
            ),
        ),
        (
            "Raise week-1 activation from 35% to 60% by end of Q4",
            RewriteKeyResult(
                "Raise week-1 activation from 35% to 60% by end of Q4",
                "range of Raise week-1 activation from 35% to 60% by end of Q4",
            ),
        ),
        ("Improve NPS", RewriteKeyResult("Improve NPS")),
        (
            "Ship the fix for Project X to <@U123> by <end of quarter>",
            RewriteKeyResult(
                "Ship the fix for Project X to <@U123>",
                "range of Ship the fix for Project X to <@U123>",
            ),
        ),
    ],
)
def test_a_rewritten_key_result_becomes_the_authors_words_and_empty_blanks(
    line: str, expected: RewriteKeyResult
) -> None:
    (kr,) = rewrite_fields(f"Objective: Grow\nKR1: {line}", guess_range).key_results
    assert kr == expected


def test_the_objective_line_is_the_title_and_the_confidence_line_is_not_a_field() -> None:
    fields = rewrite_fields(
        "Objective: Use the sync to decide faster\nKR1: Cut reopened decisions\nConfidence: ?/10",
        guess_range,
    )
    assert fields.title == "Use the sync to decide faster"
    assert [kr.text for kr in fields.key_results] == ["Cut reopened decisions"]


def test_a_lone_key_result_has_no_title() -> None:
    fields = rewrite_fields("KR: Raise NPS from 20 to 40 by Q4", guess_range)
    assert fields.title == ""
    (kr,) = fields.key_results
    assert kr == RewriteKeyResult("Raise NPS from 20 to 40 by Q4", "range of " + kr.text)


def test_blanks_are_marked_as_code_and_everything_else_escaped() -> None:
    shown = mark_blanks(
        "Objective: Serve <@U1> & co\n"
        "KR1: Cut <the main thing holding back us> from X to Y hours a month by <end of quarter>\n"
        "KR2: Raise uptime from 99% to Y% (from X today)\n"
        "Confidence: ?/10"
    )
    assert shown.splitlines() == [
        "Objective: Serve &lt;@U1&gt; &amp; co",
        "KR1: Cut `the main thing holding back us` from `X` to `Y` hours a month by "
        "`end of quarter`",
        "KR2: Raise uptime from 99% to `Y%` (from `X` today)",
        "Confidence: `?`/10",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", ReviewButton(12)),
        (f"12.{fingerprint('draft')}", ReviewButton(12, fingerprint("draft"))),
        ("12.nothex0123456789", None),
        ("12.abc", None),
        ("x.0123456789abcdef", None),
        ("", None),
    ],
)
def test_button_values_round_trip_and_refuse_what_we_never_drew(
    value: str, expected: ReviewButton | None
) -> None:
    assert parse_review_button(value) == expected


def test_a_button_shows_only_the_text_it_was_drawn_for() -> None:
    drawn = parse_review_button(review_button(5, "Objective: Grow").value())
    assert drawn is not None
    assert drawn.shows("Objective: Grow")
    assert not drawn.shows("Objective: Grow faster") and not drawn.shows(None)
    assert not ReviewButton(5).shows("Objective: Grow")
