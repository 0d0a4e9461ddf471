"""Key-result progress from baseline, target and the current value."""

from __future__ import annotations


def kr_progress(
    baseline: float | None, target: float | None, current: float | None
) -> float | None:
    """Fraction of the way from baseline to target, clipped to 0..1; None when unknowable.

    Works for targets below the baseline too ("cut churn from 8% to 4%").
    """
    if target is None or current is None:
        return None
    start = 0.0 if baseline is None else baseline
    if target == start:
        return 1.0 if current == target else 0.0
    return max(0.0, min(1.0, (current - start) / (target - start)))


def objective_progress(fractions: list[float | None]) -> float | None:
    known = [f for f in fractions if f is not None]
    return sum(known) / len(known) if known else None
