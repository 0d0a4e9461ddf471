"""OKR cycles are calendar quarters, named like "2026-Q4"."""

from __future__ import annotations

import re
from datetime import date, timedelta

_CYCLE = re.compile(r"^(\d{4})-Q([1-4])$")


def cycle_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_cycle(name: str) -> tuple[int, int] | None:
    match = _CYCLE.match(name.strip().upper())
    return (int(match.group(1)), int(match.group(2))) if match else None


def cycle_bounds(name: str) -> tuple[date, date]:
    """First and last day of the cycle."""
    parsed = parse_cycle(name)
    if parsed is None:
        raise ValueError(f"not a cycle: {name!r} (expected like 2026-Q4)")
    year, quarter = parsed
    start = date(year, 3 * quarter - 2, 1)
    next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, next_start - timedelta(days=1)


def next_cycle(name: str) -> str:
    _, end = cycle_bounds(name)
    return cycle_of(end + timedelta(days=1))
