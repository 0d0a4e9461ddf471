"""Verdicts on invented drafts, and the reasons the coach gives for them."""

from __future__ import annotations

import pytest

from coaching import Dimension, Verdict, review_draft
from coaching.features import Cue, objective_cues

ROUTINE_DRAFTS = [
    "Answer support emails within 24h",
    "Attend the weekly sync",
    "Respond to 95% of tickets within 5 minutes",
    "Update the sales dashboard every Monday",
    "Send the monthly investor report",
    "Go through the expense receipts and file them",
    "Schedule 1-1s with each new hire",
    "Maintain the release checklist",
    "Review open pull requests daily",
    "Post the sprint demo recording in the team channel",
    "Keep the onboarding wiki page up to date",
    "I will check the on-call inbox twice a day",
    "Book the meeting room for the quarterly planning",
    "Renew the SSL certificates before they expire",
    "Process vendor invoices and approve payments",
]

STRATEGIC_DRAFTS = [
    "Become the default choice for independent bookshops",
    "Double self-serve revenue from small teams",
    "Make checkout effortless for first-time buyers",
    "Reduce customer churn from 6% to 3% a month",
    "Establish our brand as the trusted voice in open data",
    "Grow the contributor community across three continents",
    "Objective: Delight new customers in their first week\n"
    "KR1: Raise week-1 activation from 30% to 45%\nKR2: Cut setup time from 2 days to 2 hours",
    "Transform how small clinics manage patient records",
    "Scale the partner program to every major cloud marketplace",
    "Customers can deploy a working store in under ten minutes",
]


@pytest.mark.parametrize("text", ROUTINE_DRAFTS)
def test_routine_work_is_called_routine(text: str) -> None:
    assert review_draft(text).verdict is Verdict.ROUTINE


@pytest.mark.parametrize("text", STRATEGIC_DRAFTS)
def test_strategic_objectives_are_never_confidently_called_routine(text: str) -> None:
    """The learned layer decides; where it leans the wrong way it must say it is unsure."""
    review = review_draft(text)
    assert review.verdict is Verdict.STRATEGIC or review.unsure


def test_numbers_do_not_make_a_chore_strategic() -> None:
    review = review_draft("Respond to 95% of tickets within 5 minutes")
    assert review.verdict is Verdict.ROUTINE
    assert "impact.service_standard" in review.rule_ids


def test_no_numbers_does_not_make_an_aspiration_routine() -> None:
    review = review_draft("Become the default choice for design agencies")
    assert review.verdict is Verdict.STRATEGIC


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("Update the roadmap deck weekly", "scope.recurring"),
        ("Check the build logs", "scope.chore"),
        ("Make sure the calendar invites are right", "scope.chore"),
        ("Meeting notes and agenda for the board", "scope.admin"),
        ("Up to 2 hours a week triaging the inbox", "scope.time_box"),
        ("Reply to partner emails within 2 business days", "impact.service_standard"),
        ("Maintain the staging servers", "impact.upkeep"),
        ("My to-do: tidy the shared drive", "alignment.personal"),
    ],
)
def test_routine_cue_fires_and_is_a_finding(text: str, rule_id: str) -> None:
    review = review_draft(text)
    assert review.verdict is Verdict.ROUTINE
    assert rule_id in review.rule_ids


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Grow the partner ecosystem", "scope.recurring"),
        ("Grow the partner ecosystem", "scope.chore"),
        ("Reduce time to first value from 5 days to 1", "impact.service_standard"),
        ("Become the go-to tool for data teams", "alignment.personal"),
    ],
)
def test_routine_cue_does_not_fire_on_strategic_text(text: str, absent: str) -> None:
    review = review_draft(text)
    assert absent not in review.rule_ids
    assert absent not in {c.rule_id for c in _cues(text)}


def _cues(text: str) -> list[Cue]:
    return objective_cues(text)


def test_three_dimensions_each_with_a_line() -> None:
    review = review_draft("Attend the weekly sync").primary
    assert review is not None
    assert [d.dimension for d in review.dimensions] == [
        Dimension.SCOPE,
        Dimension.IMPACT,
        Dimension.ALIGNMENT,
    ]
    scope = review.dimensions[0]
    assert scope.leaning is Verdict.ROUTINE
    assert "weekly" in scope.explanation
    assert all(d.explanation.endswith(".") for d in review.dimensions)


def test_dimensions_lean_strategic_for_a_strong_okr() -> None:
    review = review_draft(STRATEGIC_DRAFTS[6]).primary
    assert review is not None
    leanings = {d.dimension: d.leaning for d in review.dimensions}
    assert leanings[Dimension.SCOPE] is Verdict.STRATEGIC
    assert leanings[Dimension.IMPACT] is Verdict.STRATEGIC


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Answer support emails within 24h", ("answer", "within 24h")),
        ("Attend the weekly sync", ("weekly", "attend")),
        ("Become the default choice for design agencies", ("become",)),
    ],
)
def test_summary_names_the_reasons_that_drove_the_verdict(
    text: str, words: tuple[str, ...]
) -> None:
    review = review_draft(text).primary
    assert review is not None
    for word in words:
        assert f'"{word}' in review.summary
    expected = "routine work" if review.verdict is Verdict.ROUTINE else "strategic objective"
    assert expected in review.summary


def test_confidence_is_probability_like_and_tracks_evidence() -> None:
    faint = review_draft("Handle the thing for the partners").primary
    strong = review_draft("Attend the weekly sync and send the weekly report").primary
    assert faint is not None and strong is not None
    assert 0.5 <= faint.confidence <= 1.0
    assert strong.confidence > faint.confidence
    assert strong.score < 0
    assert not strong.unsure


def test_key_result_list_pushes_towards_strategic() -> None:
    alone = review_draft("Improve the docs search").primary
    with_krs = review_draft(
        "Improve the docs search\n- Raise search success from 40% to 70%\n- Cut zero-result "
        "queries by half"
    ).primary
    assert alone is not None and with_krs is not None
    assert with_krs.score > alone.score
    assert with_krs.verdict is Verdict.STRATEGIC
