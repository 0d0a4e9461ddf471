"""Progress warnings: each fires when the numbers and the confidence disagree, and only then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coaching.checkins.warnings import (
    BEHIND_SCHEDULE,
    CONFIDENCE_FALLING,
    FLAT_BUT_CONFIDENT,
    NEVER_CHECKED_IN,
    REACHED_EARLY,
    Point,
    elapsed_share,
    key_result_warnings,
)

START = datetime(2026, 10, 1, tzinfo=UTC)


def week(n: int, progress: float | None, confidence: int | None) -> Point:
    return Point(START + timedelta(weeks=n), progress, confidence)


@pytest.mark.parametrize(
    ("history", "elapsed", "rules"),
    [
        # Confidence high, progress flat for three check-ins.
        ([week(1, 0.30, 8), week(2, 0.30, 8), week(3, 0.31, 8)], 0.3, {FLAT_BUT_CONFIDENT}),
        # Flat but honest about it: no warning.
        ([week(1, 0.30, 4), week(2, 0.30, 4), week(3, 0.30, 4)], 0.3, set()),
        # Flat for two check-ins only: too soon to say.
        ([week(1, 0.30, 8), week(2, 0.30, 8)], 0.2, set()),
        # Moving, and sure: all good.
        ([week(1, 0.20, 8), week(2, 0.30, 8), week(3, 0.40, 8)], 0.3, set()),
        # Confidence falling two check-ins in a row.
        ([week(1, 0.20, 8), week(2, 0.30, 6), week(3, 0.35, 5)], 0.3, {CONFIDENCE_FALLING}),
        # Falling once, then steady: not a trend.
        ([week(1, 0.20, 8), week(2, 0.30, 6), week(3, 0.35, 6)], 0.3, set()),
        # Far behind the share of the cycle gone.
        ([week(5, 0.10, 6)], 0.6, {BEHIND_SCHEDULE}),
        # A little behind is normal.
        ([week(5, 0.45, 6)], 0.6, set()),
        # Behind, but early in the cycle: too soon.
        ([week(1, 0.0, 6)], 0.2, set()),
        # Never checked in past the middle of the cycle.
        ([], 0.55, {NEVER_CHECKED_IN}),
        ([], 0.4, set()),
        # Target reached early: raise it, or was it a stretch?
        ([week(4, 1.0, 9)], 0.4, {REACHED_EARLY}),
        ([week(11, 1.0, 9)], 0.9, set()),
        # Reached and flat and sure is the early-win case, not a flat one.
        ([week(1, 1.0, 9), week(2, 1.0, 9), week(3, 1.0, 9)], 0.3, {REACHED_EARLY}),
        # Unknown progress (no target): only the confidence rules apply.
        ([week(1, None, 9), week(2, None, 7), week(3, None, 5)], 0.8, {CONFIDENCE_FALLING}),
        # Several at once.
        (
            [week(6, 0.10, 9), week(7, 0.10, 8), week(8, 0.105, 7)],
            0.7,
            {BEHIND_SCHEDULE, CONFIDENCE_FALLING, FLAT_BUT_CONFIDENT},
        ),
    ],
)
def test_warnings(history: list[Point], elapsed: float, rules: set[str]) -> None:
    found = key_result_warnings(7, history, elapsed=elapsed)
    assert {w.rule_id for w in found} == rules
    assert all(w.key == 7 and w.why.endswith(".") and w.fix for w in found)


def test_order_of_check_ins_does_not_matter() -> None:
    history = [week(3, 0.35, 5), week(1, 0.20, 8), week(2, 0.30, 6)]
    assert [w.rule_id for w in key_result_warnings(1, history, elapsed=0.3)] == [CONFIDENCE_FALLING]


def test_the_why_reads_the_numbers() -> None:
    (behind,) = key_result_warnings(1, [week(5, 0.1, 6)], elapsed=0.6)
    assert behind.why == "10% done with 60% of the cycle gone."
    (falling,) = key_result_warnings(
        1, [week(1, 0.2, 8), week(2, 0.3, 6), week(3, 0.35, 5)], elapsed=0.3
    )
    assert "8 → 6 → 5" in falling.why


def test_elapsed_share() -> None:
    end = START + timedelta(days=100)
    assert elapsed_share(START, end, START + timedelta(days=25)) == pytest.approx(0.25)
    assert elapsed_share(START, end, START - timedelta(days=3)) == 0.0
    assert elapsed_share(START, end, end + timedelta(days=3)) == 1.0
    assert elapsed_share(START, START, START) == 1.0
