"""Baselines, targets and units as people write them: the range field, the prefill guess and
what App Home writes back."""

from __future__ import annotations

from typing import Any

import pytest

from bot.objectives import KeyResultView
from handlers.home_blocks import kr_numbers
from handlers.ranges import Range, Unit, find_range, format_range, parse_range

# (what was typed, (baseline, target, unit, deadline, relative))
WRITTEN = [
    # the phrasings from the issue
    ("from 120 to 300 by June", (120, 300, None, "June", False)),
    ("from 30 to 10 a week", (30, 10, "per week", None, False)),
    ("from 5 days to 1 day", (5, 1, "days", None, False)),
    ("5 days → 1 day", (5, 1, "days", None, False)),
    ("$40k → $90k", (40_000, 90_000, "$", None, False)),
    ("30 → 10 a week", (30, 10, "per week", None, False)),
    ("40% to 55%", (40, 55, "%", None, False)),
    ("from 3.2 to 4.5 stars", (3.2, 4.5, "stars", None, False)),
    ("1,200 → 2,000 signups", (1200, 2000, "signups", None, False)),
    ("by 20%", (None, 20, "%", None, True)),
    # arrows and words between the two numbers
    ("120 → 300 teams", (120, 300, "teams", None, False)),
    ("120 -> 300", (120, 300, None, None, False)),
    ("120 => 300", (120, 300, None, None, False)),
    ("120 \u2013 300", (120, 300, None, None, False)),  # en dash
    ("120—300", (120, 300, None, None, False)),
    ("120 - 300", (120, 300, None, None, False)),
    ("120-300", (120, 300, None, None, False)),
    ("120 to 300", (120, 300, None, None, False)),
    ("-5 to 5", (-5, 5, None, None, False)),
    ("from -5 to 5", (-5, 5, None, None, False)),
    # percentages
    ("from 8% to 4%", (8, 4, "%", None, False)),
    ("8 → 4%", (8, 4, "%", None, False)),
    ("40 percent to 55 percent", (40, 55, "%", None, False)),
    ("99.5% → 99.9%", (99.5, 99.9, "%", None, False)),
    ("35% → 60% of new teams", (35, 60, "%", None, False)),
    # money and large numbers
    ("$10k to $25k", (10_000, 25_000, "$", None, False)),
    ("€1.5m → €3m", (1_500_000, 3_000_000, "€", None, False)),
    ("£200 → £350 a month", (200, 350, "£ per month", None, False)),
    ("2.5m => 4m", (2_500_000, 4_000_000, None, None, False)),
    ("10k → 50k users", (10_000, 50_000, "users", None, False)),
    ("1,200 -> 2,500 users", (1200, 2500, "users", None, False)),
    ("3 million to 5 million", (3_000_000, 5_000_000, None, None, False)),
    # units written against the number, and nouns
    ("200ms → 100ms", (200, 100, "ms", None, False)),
    ("from 4h to 2h", (4, 2, "h", None, False)),
    ("3 to 1 days", (3, 1, "days", None, False)),
    ("from 1 day to 5 days", (1, 5, "days", None, False)),
    ("from 40 to 90 paying teams", (40, 90, "paying teams", None, False)),
    ("NPS 30 → 45", (30, 45, None, None, False)),
    ("Active teams: 120 → 300", (120, 300, None, None, False)),
    # rates
    ("30 a week → 10 a week", (30, 10, "per week", None, False)),
    ("30/week → 10/week", (30, 10, "per week", None, False)),
    ("30 → 10 weekly", (30, 10, "per week", None, False)),
    ("from 12 to 20 tickets per month", (12, 20, "tickets per month", None, False)),
    ("2 → 5 deploys per day", (2, 5, "deploys per day", None, False)),
    # deadlines are read, never taken for a unit
    ("from 40 to 90 by end of Q3", (40, 90, None, "end of Q3", False)),
    ("120 → 300 teams in Q4", (120, 300, "teams", "Q4", False)),
    ("from 8% to 4% by 31 March", (8, 4, "%", "31 March", False)),
    ("120 → 300 by 2027-03-31", (120, 300, None, "2027-03-31", False)),
    ("120 → 300 before next quarter", (120, 300, None, "next quarter", False)),
    ("120 → 300 within 6 weeks", (120, 300, None, "6 weeks", False)),
    ("from 120 to 300 by EOY", (120, 300, None, "EOY", False)),
    # a target alone, or a change
    ("300", (None, 300, None, None, False)),
    ("to 300 teams", (None, 300, "teams", None, False)),
    ("→ 300", (None, 300, None, None, False)),
    ("+20%", (None, 20, "%", None, True)),
    ("by $10k a month", (None, 10_000, "$ per month", None, True)),
    ("by 2000 signups", (None, 2000, "signups", None, True)),
]

REFUSED = [
    "",
    "lots",
    "more than before",
    "→",
    "from 5",
    "5 →",
    "by June",
    "by Q3",
    "Q3",
    "v2",
    "TBD",
    "between 5 and 10",
    "5 or 6",
    "100 → 200 → 300",
    "5 days → 3 hours",
    "$40k → €90k",
    "40% → 55 stars",
    "from X% to Y%",
    "from X/10 to Y/10",
    "double it",
]


def _as_tuple(found: Range) -> tuple[Any, ...]:
    return (found.baseline, found.target, found.unit, found.deadline, found.relative)


@pytest.mark.parametrize(("text", "expected"), WRITTEN)
def test_ranges_as_people_write_them(text: str, expected: tuple[Any, ...]) -> None:
    found = parse_range(text)
    assert found is not None, text
    assert _as_tuple(found) == expected


def test_there_are_at_least_forty_phrasings() -> None:
    assert len(WRITTEN) >= 40 and len(REFUSED) >= 15


@pytest.mark.parametrize("text", REFUSED)
def test_no_range_is_written_there(text: str) -> None:
    assert parse_range(text) is None


@pytest.mark.parametrize(("text", "expected"), WRITTEN)
def test_what_is_written_back_reads_back_the_same(text: str, expected: tuple[Any, ...]) -> None:
    found = parse_range(text)
    assert found is not None
    again = parse_range(format_range(found))
    assert again is not None
    assert _as_tuple(again)[:3] == _as_tuple(found)[:3]
    assert again.relative == found.relative


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("from 120 to 300 by June", "120 → 300"),
        ("from 5 days to 1 day", "5 days → 1 day"),
        ("$40k → $90k", "$40k → $90k"),
        ("from 30 to 10 a week", "30 → 10 a week"),
        ("40% to 55%", "40% → 55%"),
        ("from 3.2 to 4.5 stars", "3.2 → 4.5 stars"),
        ("1,200 → 2,000 signups", "1,200 → 2,000 signups"),
        ("by 20%", "by 20%"),
        ("300 teams", "→ 300 teams"),
        ("2.5m => 4m", "2.5m → 4m"),
        ("from 1 day to 5 days", "1 day → 5 days"),
        ("200ms → 100ms", "200ms → 100ms"),
        ("from 12 to 20 tickets per month", "12 → 20 tickets a month"),
    ],
)
def test_the_range_field_is_written_the_way_people_write_it(text: str, shown: str) -> None:
    found = parse_range(text)
    assert found is not None
    assert format_range(found) == shown


@pytest.mark.parametrize(
    ("kr", "prefill"),
    [
        ("Raise weekly active teams from 120 to 300 by June", "120 → 300"),
        ("Raise weekly active teams from 120 to 300 teams by Q3", "120 → 300 teams"),
        ("Cut time to first value from 5 days to 1 day", "5 days → 1 day"),
        ("Grow MRR from $40k to $90k by the end of the year", "$40k → $90k"),
        ("Cut escalations from 30 to 10 a week", "30 → 10 a week"),
        ("Lift activation 40% → 55%", "40% → 55%"),
        ("App store rating from 3.2 to 4.5 stars", "3.2 → 4.5 stars"),
        ("Weekly signups 1,200 → 2,000 signups", "1,200 → 2,000 signups"),
        ("Increase retention by 20% by June", "by 20%"),
        ("Bring first response time down to 2 hours", "→ 2 hours"),
        ("Grow from 120 to 300 teams using the app", "120 → 300 teams"),
        # nothing to guess: no range, only a count, or a placeholder
        ("Ship the new onboarding", None),
        ("Answer support emails within 24 hours", None),
        ("Hire 3 engineers by June", None),
        ("Launch v2 in Q3", None),
        ("Cut churn from X% to Y% by <end of quarter>", None),
        ("Raise NPS from X/10 to Y/10", None),
    ],
)
def test_the_prefill_is_guessed_from_the_key_results_sentence(kr: str, prefill: str | None) -> None:
    found = find_range(kr)
    assert (format_range(found) if found else None) == prefill


def test_a_deadline_in_the_sentence_is_kept_apart() -> None:
    found = find_range("Raise weekly active teams from 120 to 300 by June")
    assert found is not None
    assert (found.unit, found.deadline) == (None, "June")


@pytest.mark.parametrize(
    ("stored", "parts"),
    [
        ("$", Unit(currency="$")),
        ("%", Unit(suffix="%")),
        ("days", Unit(noun="days")),
        ("tickets per week", Unit(noun="tickets", per="week")),
        ("$ per month", Unit(currency="$", per="month")),
        ("per week", Unit(per="week")),
        ("superpowers", Unit(noun="superpowers")),
        (None, Unit()),
    ],
)
def test_stored_units_read_back(stored: str | None, parts: Unit) -> None:
    assert Unit.parse(stored) == parts
    if stored:
        assert str(parts) == stored


def kr(baseline: float | None, target: float | None, current: float | None, unit: str | None):
    return KeyResultView(1, 0, "A key result", None, unit, baseline, target, current, None, None)


@pytest.mark.parametrize(
    ("view", "shown"),
    [
        (kr(120, 300, 120, None), "120 → 300, now 120"),
        (kr(5, 1, 3, "days"), "5 days → 1 day, now 3 days"),
        (kr(40_000, 90_000, 55_000, "$"), "$40k → $90k, now $55k"),
        (kr(30, 10, 20, "per week"), "30 → 10 a week, now 20 a week"),
        (kr(40, 55, 47.5, "%"), "40% → 55%, now 47.5%"),
        (kr(1200, 2000, 1500, "signups"), "1,200 → 2,000 signups, now 1,500 signups"),
        (kr(None, 20, None, "%"), "target 20%"),
        # stored before units were read properly: shown, escaped, never broken
        (kr(120, 300, 150, "by"), "120 → 300 by, now 150 by"),
        (kr(3, 4, 3, "<b>&"), "3 → 4 &lt;b&gt;&amp;, now 3 &lt;b&gt;&amp;"),
        (kr(None, None, None, "teams"), None),
    ],
)
def test_app_home_shows_numbers_the_way_they_were_written(
    view: KeyResultView, shown: str | None
) -> None:
    assert kr_numbers(view) == shown
