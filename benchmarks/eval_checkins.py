"""How well check-ins written in plain words are read: the labelled table and fresh phrasings.

    PYTHONPATH=. .venv/bin/python benchmarks/eval_checkins.py

The table (tests/checkins/phrasings.py, PHRASINGS) is what the parser was built against,
so it must read all of it; FRESH was written afterwards and never used to tune it, so its
figure says how the parser does on phrasings it has not seen. Misses are listed.
"""

from __future__ import annotations

import sys
import time

from coaching.checkins import read_check_in
from tests.checkins.phrasings import FRESH, PHRASINGS, Row
from tests.checkins.test_phrases import matches


def score(name: str, rows: tuple[Row, ...]) -> int:
    misses = []
    started = time.perf_counter()
    for text, key_results, expected in rows:
        if not matches(read_check_in(text, key_results), expected):
            misses.append(text)
    per_row_ms = (time.perf_counter() - started) * 1000 / len(rows)
    right = len(rows) - len(misses)
    refusals = sum(expected is None for _, _, expected in rows)
    print(
        f"{name:<8} {right}/{len(rows)} read right ({right / len(rows):.1%}); "
        f"{refusals} must be refused; {per_row_ms:.3f} ms per phrasing"
    )
    for text in misses:
        print(f"  missed: {text!r}")
    return len(misses)


def main() -> int:
    score("table", PHRASINGS)
    score("fresh", FRESH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
