"""Each craft rule fires when it should, stays quiet when it should, and names the KR."""

from __future__ import annotations

import pytest

from coaching import Severity, review_draft
from coaching.model import DraftReview, Finding

GOOD = (
    "Objective: Make onboarding a delight for new teams\n"
    "KR1: Raise week-1 activation from 30% to 45% by end of Q3\n"
    "KR2: Cut time to first report from 3 days to 1 day by end of Q3\n"
    "KR3: Lift onboarding satisfaction from 6/10 to 8/10 by end of Q3\n"
    "Confidence: 6/10"
)


def _by_rule(review: DraftReview, rule_id: str) -> list[Finding]:
    return [f for f in review.findings if f.rule_id == rule_id]


def test_a_good_okr_has_no_craft_findings() -> None:
    review = review_draft(GOOD)
    assert review.verdict.value == "strategic"
    craft = [r for r in review.rule_ids if r.startswith(("kr.", "objective.", "okr."))]
    assert craft == []


@pytest.mark.parametrize(
    ("draft", "rule_id", "target", "quoted"),
    [
        (
            "O: Grow the community\n- Launch the new forum\n- Raise monthly posters from 200 "
            "to 300 by Q3",
            "kr.binary",
            "KR1",
            "Launch the new forum",
        ),
        (
            "O: Grow the community\n- Raise monthly posters from 200 to 300 by Q3\n"
            "- Better forum vibes",
            "kr.measurable",
            "KR2",
            "Better forum vibes",
        ),
        (
            "O: Grow the community\n- Raise monthly posters from 200 to 300 by Q3\n"
            "- Reach 500 newsletter subscribers by Q3",
            "kr.baseline",
            "KR2",
            "Reach 500 newsletter subscribers",
        ),
        (
            "O: Grow the community\n- Write 4 blog posts about the forum by Q3\n"
            "- Raise monthly posters from 200 to 300 by Q3",
            "kr.output",
            "KR1",
            "Write 4 blog posts",
        ),
        (
            "O: Grow the community\n- Raise monthly posters from 200 to 300 by Q3\n"
            "- Maintain 99% forum uptime",
            "kr.sandbag",
            "KR2",
            "Maintain 99% forum uptime",
        ),
        (
            "O: Grow the community\n- Raise monthly posters from 20 to 900 by Q3\n"
            "- Cut unanswered threads from 40% to 20% by Q3",
            "kr.too_ambitious",
            "KR1",
            "from 20 to 900",
        ),
    ],
)
def test_key_result_rule_fires_names_the_kr_and_quotes_it(
    draft: str, rule_id: str, target: str, quoted: str
) -> None:
    review = review_draft(draft)
    found = _by_rule(review, rule_id)
    assert found, review.rule_ids
    finding = found[0]
    assert finding.target == target
    assert target in finding.message
    assert quoted in finding.message or quoted in finding.suggestion
    assert finding.suggestion


@pytest.mark.parametrize(
    "rule_id",
    [
        "kr.binary",
        "kr.measurable",
        "kr.baseline",
        "kr.output",
        "kr.sandbag",
        "kr.too_ambitious",
        "kr.deadline",
        "kr.count",
        "okr.confidence",
        "objective.has_numbers",
        "objective.too_long",
    ],
)
def test_rules_stay_quiet_on_a_good_okr(rule_id: str) -> None:
    assert rule_id not in review_draft(GOOD).rule_ids


def test_baseline_message_explains_why() -> None:
    review = review_draft("O: Grow sales\n- Reach 40 paying teams by Q3\n- Raise ARR from 1 to 2")
    (finding,) = _by_rule(review, "kr.baseline")
    assert finding.message == (
        "KR1 has a target but no baseline, so nobody can tell a stretch from a rounding error."
    )


@pytest.mark.parametrize(
    ("draft", "fires"),
    [
        ("Objective: Become the favourite tool of indie studios", True),
        (
            "Objective: Become the favourite tool of indie studios\n- Raise studios from 10 to 30",
            True,
        ),
        (GOOD, False),
        (
            "Objective: Win indie studios\n"
            + "\n".join(f"- Raise metric {i} from {i} to {i + 1} by Q3" for i in range(1, 8)),
            True,
        ),
    ],
)
def test_kr_count(draft: str, fires: bool) -> None:
    assert ("kr.count" in review_draft(draft).rule_ids) is fires


def test_kr_count_message_says_how_many_when_too_many() -> None:
    draft = "Objective: Win indie studios\n" + "\n".join(
        f"- Raise metric {i} from {i} to {i + 1} by Q3" for i in range(1, 8)
    )
    (finding,) = _by_rule(review_draft(draft), "kr.count")
    assert "7 key results" in finding.message


def test_kr_deadline_fires_when_no_kr_has_a_date() -> None:
    review = review_draft(
        "O: Grow sales\n- Raise ARR from 1m to 2m\n- Cut sales cycle from 60 to 40 days"
    )
    assert "kr.deadline" in review.rule_ids
    dated = review_draft(
        "O: Grow sales\n- Raise ARR from 1m to 2m by end of Q4\n- Cut cycle from 60 to 40 days "
        "by December"
    )
    assert "kr.deadline" not in dated.rule_ids


@pytest.mark.parametrize(
    ("draft", "fires"),
    [
        ("Double revenue from agencies by winning 120 new accounts this year", True),
        ("Double revenue from agencies", False),
    ],
)
def test_objective_has_numbers(draft: str, fires: bool) -> None:
    assert ("objective.has_numbers" in review_draft(draft).rule_ids) is fires


def test_objective_too_long() -> None:
    long = (
        "Become the platform that every small and medium agency across Europe and the Americas "
        "reaches for first whenever they need to plan, price and ship a client project quickly"
    )
    review = review_draft(long)
    assert "objective.too_long" in review.rule_ids
    assert "objective.too_long" not in review_draft("Become the agency favourite").rule_ids


def test_confidence_prompt_when_missing_and_quiet_when_given() -> None:
    missing = review_draft(GOOD.replace("\nConfidence: 6/10", ""))
    (finding,) = _by_rule(missing, "okr.confidence")
    assert "1 to 10" in finding.suggestion
    given = review_draft(GOOD)
    assert "okr.confidence" not in given.rule_ids
    assert given.primary is not None and given.primary.confidence_level == 6


@pytest.mark.parametrize(("level", "word"), [(10, "10/10"), (1, "1/10")])
def test_confidence_extremes_are_questioned(level: int, word: str) -> None:
    review = review_draft(GOOD.replace("6/10", f"{level}/10"))
    (finding,) = _by_rule(review, "okr.confidence")
    assert word in finding.message


def test_lone_key_result_asks_for_its_objective() -> None:
    review = review_draft("KR: Raise weekly active teams from 40 to 90 by end of Q2")
    assert "objective.missing" in review.rule_ids
    assert "kr.count" not in review.rule_ids


def test_routine_finding_says_the_work_is_necessary_first() -> None:
    review = review_draft("Answer support emails within 24h")
    first = review.findings[0]
    assert first.severity is Severity.HIGH
    assert first.suggestion.startswith("This is necessary work")
    assert "Answer support emails within 24h" in first.suggestion


def test_truncated_draft_says_so() -> None:
    review = review_draft("Objective: Grow the market\n" + "- Raise sign-ups by 5%\n" * 5000)
    assert review.truncated
    assert "draft.truncated" in review.rule_ids


def test_every_rule_id_is_documented() -> None:
    from pathlib import Path

    rules = (Path(__file__).resolve().parents[2] / "coaching" / "RULES.md").read_text()
    drafts = [GOOD, "Answer support emails within 24h", "KR: Reach 5", "Attend weekly sync"]
    seen = {r for d in drafts for r in review_draft(d).rule_ids}
    from coaching.messages import CUE_FIXES, CUE_REASONS

    for rule_id in seen | set(CUE_REASONS) | set(CUE_FIXES) | {"impact.no_change"}:
        assert f"`{rule_id}`" in rules, rule_id


@pytest.mark.parametrize(
    "text",
    ["Answer support emails within 24h", GOOD, "Launch the new onboarding flow"],
)
def test_suggestions_are_second_person_and_never_grade_the_person(text: str) -> None:
    for finding in review_draft(text).findings:
        lowered = f" {finding.message} {finding.suggestion} ".lower()
        for bad in (" bad ", " poor ", " wrong ", " lazy ", " failed ", " you failed", "grade"):
            assert bad not in lowered
