"""The figures cross-validation prints, on inputs small enough to check by hand."""

from __future__ import annotations

import pytest

from coaching.training.crossval import reliability, scores


def test_scores_on_a_known_confusion() -> None:
    truth = [True, True, True, False, False, False, False, False]
    guess = [True, True, False, True, False, False, False, False]
    s = scores(truth, guess)
    assert s.n == 8 and s.accuracy == pytest.approx(6 / 8)
    assert s.f1_strategic == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert s.f1_routine == pytest.approx(2 * 4 / (2 * 4 + 1 + 1))
    assert s.recall_strategic == pytest.approx(2 / 3)


def test_reliability_buckets_and_expected_calibration_error() -> None:
    # Four drafts at 0.95 confidence, three right; two at 0.65, both right.
    truth = [True, True, True, False, False, True]
    probability = [0.95, 0.95, 0.95, 0.95, 0.35, 0.65]
    buckets, ece = reliability(truth, probability)
    by_low = {b.low: b for b in buckets}
    assert by_low[0.9].n == 4 and by_low[0.9].accuracy == pytest.approx(0.75)
    assert by_low[0.6].n == 2 and by_low[0.6].accuracy == 1.0
    assert by_low[0.6].mean_confidence == pytest.approx(0.65)
    assert by_low[0.5].n == 0
    assert ece == pytest.approx(4 / 6 * 0.2 + 2 / 6 * 0.35)


def test_a_certain_probability_falls_in_the_top_bucket() -> None:
    buckets, ece = reliability([True, False], [1.0, 0.0])
    assert buckets[-1].n == 2 and ece == pytest.approx(0.0)
