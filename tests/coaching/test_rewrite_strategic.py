"""A strategic draft's rewrite changes only what a finding asked for, and keeps every number.

Drafts here are invented for these tests (see invented_drafts.py for the style).
"""

from __future__ import annotations

import re

import pytest

from coaching import review_draft
from coaching.parsing import parse_draft
from coaching.rewrite import SHORT_OBJECTIVE_MAX_WORDS, fix_key_result, shorten
from tests.coaching.fixed_model import SURE_ROUTINE, SURE_STRATEGIC
from tests.coaching.invented_drafts import INVENTED


def _rewrite(draft: str) -> str:
    review = review_draft(draft, SURE_STRATEGIC).primary  # type: ignore[arg-type]
    assert review is not None and review.rewrite is not None
    return review.rewrite


def _lines(draft: str) -> list[str]:
    return _rewrite(draft).splitlines()


def _rule_ids(text: str) -> set[str]:
    return set(review_draft(text, SURE_STRATEGIC).rule_ids)  # type: ignore[arg-type]


# --- numbers the author gave are kept, and move out of the objective -------------------


@pytest.mark.parametrize(
    ("draft", "objective", "key_result"),
    [
        (
            "Objective: Grow paying teams from 120 to 300 by June\n"
            "KR1: Run 4 webinars\nKR2: Launch the referral programme",
            "Objective: Grow paying teams",
            "KR1: Grow paying teams from 120 to 300 by June",
        ),
        (
            "Increase trial-to-paid conversion from 8% to 12%",
            "Objective: Increase trial-to-paid conversion",
            "KR1: Increase trial-to-paid conversion from 8% to 12% by <end of quarter>",
        ),
        (
            "Raise employee engagement from 62 to 75",
            "Objective: Raise employee engagement",
            "KR1: Raise employee engagement from 62 to 75 by <end of quarter>",
        ),
        (
            "Launch the enterprise tier and sign our first 10 customers",
            "Objective: Launch the enterprise tier and sign our first customers",
            "KR1: Sign our first 10 customers (from 0 today) by <end of quarter>",
        ),
        (
            "Cut new-customer churn in the first 90 days by half",
            "Objective: Cut new-customer churn by half",
            "KR1: Cut new-customer churn in the first 90 days by half",
        ),
        (
            "Make checkout effortless. 30% fewer abandoned carts by Q4.",
            "Objective: Make checkout effortless",
            "KR1: Make checkout effortless: 30% fewer abandoned carts (from X today) by Q4",
        ),
        (
            "Grow repeat orders from 20% to 35% by Q4 by giving loyal customers early access, "
            "personal offers and a simpler reorder button in the app and on the web",
            "Objective: Grow repeat orders",
            "KR1: Grow repeat orders from 20% to 35% by Q4",
        ),
        (
            "Hit 99.95% uptime on the booking API",
            "Objective: Raise uptime on the booking API",
            "KR1: Hit 99.95% uptime on the booking API",
        ),
    ],
)
def test_numbers_in_the_objective_move_into_a_key_result(
    draft: str, objective: str, key_result: str
) -> None:
    assert "objective.has_numbers" in _rule_ids(draft)
    lines = _lines(draft)
    assert lines[0] == objective
    assert lines[1].startswith(key_result)
    # The rewritten objective no longer trips the coach's own rule.
    assert "objective.has_numbers" not in _rule_ids(_rewrite(draft))


def test_the_objectives_key_results_follow_the_moved_one() -> None:
    lines = _lines(
        "Objective: Grow paying teams from 120 to 300 by June\n"
        "KR1: Run 4 webinars\nKR2: Launch the referral programme"
    )
    assert lines[2].startswith("KR2: ") and "running 4 webinars" in lines[2]
    assert lines[3].startswith("KR3: ") and "the referral programme" in lines[3]


def test_a_number_that_is_part_of_a_name_stays_in_the_objective() -> None:
    lines = _lines("Certify every plugin against Ubuntu 24.04 for our enterprise customers")
    assert (
        lines[0]
        == "Objective: Certify every plugin against Ubuntu 24.04 for our enterprise customers"
    )


def test_numbers_a_key_result_already_carries_are_not_copied_again() -> None:
    lines = _lines(
        "Objective: Double weekly active teams to 2,000\n"
        "KR1: Grow weekly active teams from 1,000 to 2,000 by Q3\n"
        "KR2: Raise week-4 retention from 40% to 55% by Q3"
    )
    assert lines[0] == "Objective: Double weekly active teams"
    assert sum("2,000" in line for line in lines) == 1


@pytest.mark.parametrize(
    ("kr", "fixed", "both_given"),
    [
        # Baseline and target given: kept verbatim.
        ("Raise win rate from 15% to 35% by Q3", "Raise win rate from 15% to 35% by Q3", True),
        # Both numbers given without "from": "from" added, no placeholder.
        ("Lift activation 20% to 30% by Q3", "Lift activation from 20% to 30% by Q3", True),
        ("Cut churn 6% -> 4% by Q3", "Cut churn from 6% to 4% by Q3", True),
        # A target and no baseline: X for the baseline, never a second target.
        ("Grow paying teams to 500 by Q3", "Grow paying teams from X to 500 by Q3", False),
        (
            "Reach 60% self-serve resolution by Q2",
            "Reach 60% self-serve resolution (from X today) by Q2",
            False,
        ),
    ],
)
def test_key_results_keep_the_authors_numbers_and_use_placeholders_only_for_gaps(
    kr: str, fixed: str, both_given: bool
) -> None:
    draft = f"Objective: Win mid-market accounts\nKR1: {kr}\nKR2: Raise NPS from 30 to 45 by Q3"
    line = _lines(draft)[1]
    assert line == f"KR1: {fixed}"
    assert all(number in line for number in re.findall(r"\d+", kr))
    assert "Y" not in line.split()  # the author gave the target: it is never a placeholder
    if both_given:
        assert "X" not in line.split()


@pytest.mark.parametrize(
    ("kr", "rule", "expected"),
    [
        ("Maintain 99% uptime", "kr.sandbag", "Raise uptime from 99% to Y% by <end of quarter>"),
        ("Keep churn below 2%", "kr.sandbag", "Cut churn from 2% to Y% by <end of quarter>"),
        (
            "Keep the average resolution at 7 days",
            "kr.sandbag",
            "Cut the average resolution from 7 days to Y days by <end of quarter>",
        ),
        (
            "Sign our first 10 customers",
            "kr.baseline",
            "Sign our first 10 customers (from 0 today)",
        ),
    ],
)
def test_a_held_level_says_which_way_it_should_move(kr: str, rule: str, expected: str) -> None:
    assert fix_key_result(kr, rule, "unused").startswith(expected)


@pytest.mark.parametrize("draft", [text for text, _ in INVENTED])
def test_every_invented_draft_keeps_its_numbers(draft: str) -> None:
    rewrite = _rewrite(draft)
    written = re.sub(r"^KR\d*:", "", draft)  # "KR2:" is a label, not a number
    for number in re.findall(r"\d+(?:[.,]\d+)*", written):
        assert number in rewrite, (number, rewrite)


# --- a long objective is cut back to its head ------------------------------------------

LONG = [
    (
        "Make our onboarding so simple that every new customer, whether a small shop or a "
        "large enterprise, can get value within the first day without calling support",
        "Make our onboarding so simple",
    ),
    (
        "Build a partner programme that lets regional resellers sell our product in their own "
        "language, with local pricing, training and a shared lead pipeline across Europe",
        "Build a partner programme",
    ),
    (
        "Become the bakery that wedding planners in our city call first, because our cakes "
        "arrive on time, look like the sketch and taste as good as they look",
        "Become the bakery that wedding planners",
    ),
    (
        "Turn our support team into a reason customers renew, by answering faster, fixing "
        "root causes and sharing what we learn with product every single week",
        "Turn our support team into a reason customers renew",
    ),
    (
        "Expand into the Nordic market with a local sales team, localised pricing and a "
        "partner network that can install and service our machines within two days",
        "Expand into the Nordic market",
    ),
]


@pytest.mark.parametrize(("draft", "head"), LONG)
def test_a_long_objective_is_cut_back_to_its_head(draft: str, head: str) -> None:
    assert "objective.too_long" in _rule_ids(draft)
    objective = _lines(draft)[0].removeprefix("Objective: ")
    assert objective.startswith(head)
    assert 3 <= len(objective.split()) <= SHORT_OBJECTIVE_MAX_WORDS
    assert objective.split()[-1].lower() not in {"to", "of", "for", "the", "a", "and", "with"}
    assert "objective.too_long" not in _rule_ids(_rewrite(draft))


def test_a_long_objectives_numbers_go_to_a_key_result() -> None:
    lines = _lines(
        "Win back lapsed subscribers through a new pause option, a cheaper annual plan and "
        "a personal note from the founders, growing reactivations from 150 to 400 a month"
    )
    assert len(lines[0].split()) - 1 <= SHORT_OBJECTIVE_MAX_WORDS
    assert not re.search(r"\d", lines[0])
    assert any("from 150 to 400" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grow the regional team", "Grow the regional team"),
        (
            "When a store opens in a new town, make its first month as profitable as the "
            "average store in its region by sharing playbooks",
            "Make its first month as profitable as the average store",
        ),
    ],
)
def test_shorten(text: str, expected: str) -> None:
    assert shorten(text) == expected


# --- the author's confidence is kept -----------------------------------------------------

KRS = "\nKR1: Raise win rate from 15% to 35% by Q3\nKR2: Grow deals from 10 to 25 by Q3"


@pytest.mark.parametrize(
    ("draft", "last_line"),
    [
        (f"Objective: Win mid-market accounts{KRS}\nconfidence 6/10", "Confidence: 6/10"),
        (f"Objective: Win mid-market accounts (7/10){KRS}", "Confidence: 7/10"),
        (f"Objective: Win mid-market accounts{KRS}\nConfidence: 9/10", "Confidence: 9/10"),
        (f"Objective: Win mid-market accounts{KRS}", "Confidence: ?/10"),
        ("Answer support emails within 24h (confidence 8/10)", "Confidence: 8/10"),
        ("KR: Grow weekly active teams to 2,000 - confidence 5/10", "Confidence: 5/10"),
    ],
)
def test_the_authors_confidence_is_kept(draft: str, last_line: str) -> None:
    lines = _lines(draft)
    assert lines[-1] == last_line
    assert sum(line.startswith("Confidence:") for line in lines) == 1


@pytest.mark.parametrize(
    "draft",
    ["Answer support emails within 24h", "Attend the weekly design sync", "KR: Hold 3 workshops"],
)
def test_no_confidence_line_without_one_on_a_routine_draft(draft: str) -> None:
    review = review_draft(draft, SURE_ROUTINE).primary  # type: ignore[arg-type]
    assert review is not None and review.rewrite is not None
    assert "Confidence:" not in review.rewrite


# --- a strategic draft that is already fine is not changed -------------------------------

FINE = (
    "Objective: Become the default choice for indie studios\n"
    "KR1: Grow studios on paid plans from 40 to 90 by end of Q3\n"
    "KR2: Raise NPS from 30 to 45 by end of Q3\n"
    "Confidence: 5/10"
)


def test_a_fine_strategic_draft_is_returned_as_written() -> None:
    assert review_draft(FINE).primary.findings == ()  # type: ignore[union-attr]
    assert _rewrite(FINE) == FINE


def test_only_the_key_result_a_finding_points_at_changes() -> None:
    draft = (
        "Objective: Make support a reason customers stay\n"
        "KR1: Raise CSAT from 82% to 90% by Q2\n"
        "KR2: Cut first response time from 9 hours to 2 hours by Q2\n"
        "KR3: Reach 60% self-serve resolution by Q2\n"
        "confidence 5/10"
    )
    assert _rule_ids(draft) == {"kr.baseline"}
    lines = _lines(draft)
    assert lines[:3] == draft.splitlines()[:3]
    assert lines[3] == "KR3: Reach 60% self-serve resolution (from X today) by Q2"
    assert lines[4] == "Confidence: 5/10"


def test_deadlines_are_added_only_when_no_key_result_has_one() -> None:
    with_one = _lines(
        "Objective: Win mid-market accounts\n"
        "KR1: Raise win rate from 15% to 35% by Q3\nKR2: Grow deals from 10 to 25"
    )
    assert with_one[2] == "KR2: Grow deals from 10 to 25"
    without = _lines(
        "Objective: Win mid-market accounts\n"
        "KR1: Raise win rate from 15% to 35%\nKR2: Grow deals from 10 to 25"
    )
    assert without[1] == "KR1: Raise win rate from 15% to 35% by <end of quarter>"
    assert without[2] == "KR2: Grow deals from 10 to 25 by <end of quarter>"


def test_a_lone_key_result_gets_a_second_one_to_look_from_another_side() -> None:
    lines = _lines("Objective: Win mid-market accounts\nKR1: Raise win rate from 15% to 35% by Q3")
    assert lines[1] == "KR1: Raise win rate from 15% to 35% by Q3"
    assert lines[2].startswith("KR2: Cut <the main thing holding back mid-market accounts>")


def test_a_skeleton_follows_the_direction_of_the_objective() -> None:
    assert _lines("Reduce churn for small teams")[1].startswith("KR1: Cut churn from X to Y")
    assert _lines("Grow activation for small teams")[1].startswith("KR1: Raise activation")


# --- the rewrite is a draft the coach reads back -----------------------------------------


@pytest.mark.parametrize(
    "draft",
    [text for text, _ in INVENTED if not text.startswith("KR")]
    + [d for d, _ in LONG]
    + [FINE, f"Objective: Win mid-market accounts{KRS}\nconfidence 6/10"],
)
def test_use_this_rewrite_reads_back_the_same_objective_and_key_results(draft: str) -> None:
    rewrite = _rewrite(draft)
    lines = rewrite.splitlines()
    parsed = parse_draft(rewrite).objectives
    assert len(parsed) == 1
    assert parsed[0].text == lines[0].removeprefix("Objective: ")
    krs = [line.split(": ", 1)[1] for line in lines if re.match(r"KR\d+: ", line)]
    assert list(parsed[0].key_results) == krs
    written = review_draft(draft).primary.confidence_level  # type: ignore[union-attr]
    if written is not None:
        assert parsed[0].confidence_level == written
