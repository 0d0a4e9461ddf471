"""Rules that read drafts as people write them (coaching v2), one table per habit.

Every draft here is invented for the test.
"""

from __future__ import annotations

import pytest

from coaching import review_draft
from coaching.classify import classify
from coaching.craft import quote
from coaching.features import objective_cues
from coaching.parsing import parse_draft
from coaching.reading import read
from coaching.textutil import stem


def _rules(text: str) -> set[str]:
    (objective,) = parse_draft(text).objectives
    return {c.rule_id for c in objective_cues(objective.text, objective.key_results)}


def _evidence(text: str, rule_id: str) -> list[str]:
    return [c.evidence for c in objective_cues(text) if c.rule_id == rule_id]


# --- key results without a "KR:" prefix ---------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "objective", "key_results"),
    [
        (
            "Win back lapsed members\n- Lapsed members rejoining from 40 to 90\n"
            "- Churn from 6% to 4%",
            "Win back lapsed members",
            ("Lapsed members rejoining from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "Win back lapsed members\n* Rejoins from 40 to 90\n* Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "Win back lapsed members\n• Rejoins from 40 to 90\n• Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "Win back lapsed members\n1. Rejoins from 40 to 90\n2) Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "Objective: Win back lapsed members\nRejoins from 40 to 90\nChurn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "Win back lapsed members:\n\n- Rejoins from 40 to 90\n- Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        # Slack's own list markup: a nested list is indented, with another bullet.
        (
            "• Win back lapsed members\n    ◦ Rejoins from 40 to 90\n    ◦ Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "1. Win back lapsed members\n   a. Rejoins from 40 to 90\n   b. Churn from 6% to 4%",
            "Win back lapsed members",
            ("Rejoins from 40 to 90", "Churn from 6% to 4%"),
        ),
        (
            "- Win back lapsed members\n\t- Rejoins from 40 to 90",
            "Win back lapsed members",
            ("Rejoins from 40 to 90",),
        ),
    ],
)
def test_key_results_are_read_without_a_prefix(
    draft: str, objective: str, key_results: tuple[str, ...]
) -> None:
    (only,) = parse_draft(draft).objectives
    assert only.text == objective
    assert only.key_results == key_results
    review = review_draft(draft)
    assert "kr.count" not in review.rule_ids or len(key_results) == 1


def test_bullets_at_one_depth_are_still_separate_drafts() -> None:
    parsed = parse_draft("• Book the venue for the offsite\n• Renew the office lease")
    assert [o.text for o in parsed.objectives] == [
        "Book the venue for the offsite",
        "Renew the office lease",
    ]


# --- a cadence in a metric's name is a metric ---------------------------------------------


@pytest.mark.parametrize(
    "draft",
    [
        "Grow weekly active listeners",
        "Raise monthly recurring revenue from small studios",
        "Double daily active reviewers on the marketplace",
        "Lift weekly active teams from 300 to 450",
        "Reach 2,000 monthly paying subscribers",
        "Increase annual recurring revenue to $4M",
        "Grow monthly IARR in the mid-market",
    ],
)
def test_a_metric_named_with_a_cadence_is_not_recurring_work(draft: str) -> None:
    assert "scope.recurring" not in _rules(draft)


@pytest.mark.parametrize(
    "draft",
    [
        "Send the monthly sales report",
        "Review weekly active users every Monday",
        "Run the weekly OKR review",
        "Post the daily standup notes",
    ],
)
def test_a_cadence_on_the_work_itself_is_still_recurring(draft: str) -> None:
    assert "scope.recurring" in _rules(draft)


# --- release channels and code fire no chore, admin or personal cue ----------------------

ROUTINE_SIDE = {"scope.chore", "scope.admin", "alignment.personal", "scope.recurring"}


@pytest.mark.parametrize(
    ("draft", "absent"),
    [
        ("Ship the faster resolver on nightly", {"scope.recurring"}),
        ("Let every crate build with the new linker on stable", {"scope.recurring"}),
        ("Make `sync_state` safe to call from any thread", {"scope.admin"}),
        ("Make the `post_message` helper retry on its own", {"scope.admin"}),
        ("Teach StableSchema to validate your_config files", {"alignment.personal"}),
        ("Speed up report_builder for large teams", {"scope.admin"}),
        ("Unify the ReportQueue and TicketBoard engines", {"scope.admin"}),
        ("Keep every replica in sync with the primary", {"scope.admin"}),
        ("Grow recurring revenue from schools", {"scope.recurring"}),
    ],
)
def test_code_and_release_channels_are_names_not_chores(draft: str, absent: set[str]) -> None:
    assert not (_rules(draft) & absent & ROUTINE_SIDE)


def test_a_nightly_job_is_still_a_cadence() -> None:
    assert "scope.recurring" in _rules("Run nightly builds and check them")


def test_reading_sets_code_and_channels_aside_and_says_what() -> None:
    reading = read("Ship `async fn` support on stable for MyCrate users")
    assert reading.code == ("`async fn`", "MyCrate")
    assert reading.channels == ("on stable",)
    assert "async" not in reading.text and "stable" not in reading.text


def test_shipping_to_stable_counts_as_change() -> None:
    assert "impact.change" in _rules("Support for offline mode on stable")


# --- baselines and targets -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kr",
    [
        "KR: Cut p95 page load to 1.5 s (current is 4 s) by Q3",
        "KR: Raise repeat orders to 35% by June, today: 22%",
        "KR: 1,240 signups a month by Q4, up from 800",
        "KR: Reach 60 NPS by Q2 (currently 41)",
    ],
)
def test_current_today_and_up_from_are_baselines(kr: str) -> None:
    review = review_draft(kr)
    assert "kr.baseline" not in review.rule_ids
    assert "impact.service_standard" not in {
        c.rule_id for c in objective_cues(parse_draft(kr).objectives[0].text)
    }


@pytest.mark.parametrize(
    ("line", "standard"),
    [
        ("Cut p95 checkout latency to under 2 s", False),
        ("Bring first response time down to within 5 minutes", False),
        ("Reduce time to restore service to under 1 hour", False),
        ("Answer partner emails within 2 hours", True),
        ("Resolve P1 incidents in under 4 hours", True),
    ],
)
def test_under_and_within_are_targets_when_the_line_moves_a_measure(
    line: str, standard: bool
) -> None:
    rules = _rules(line)
    assert ("impact.service_standard" in rules) is standard
    if not standard:
        assert "impact.target" in rules


# --- an ambitious object, nouns of change --------------------------------------------------


@pytest.mark.parametrize(
    "draft",
    [
        "Sign 20 new clinics through 4 reseller partners",
        "Add 40 paying agencies in the Nordics",
        "Onboard 300 new schools before the autumn term",
    ],
)
def test_an_ambitious_object_outweighs_a_chore_verb(draft: str) -> None:
    cues = objective_cues(draft)
    chore = sum(c.weight for c in cues if c.rule_id == "scope.chore")
    target = sum(c.weight for c in cues if c.rule_id == "impact.target")
    assert target > 0 and target >= -chore
    assert classify(draft).score > 0


def test_a_few_people_to_invite_is_not_an_ambitious_object() -> None:
    assert "impact.target" not in _rules("Invite 3 speakers to the meetup")


@pytest.mark.parametrize(
    "draft",
    [
        "Stabilisation of the plugin API",
        "Full modernization of the billing stack",
        "An overhaul of how teams request hardware",
    ],
)
def test_nouns_of_change_count_as_change(draft: str) -> None:
    assert "impact.change" in _rules(draft)


# --- cadence and output inside key results --------------------------------------------------


def test_an_okr_shaped_plan_to_publish_at_a_pace_is_still_routine() -> None:
    draft = (
        "Objective: Grow our blog audience\n"
        "KR1: Publish 2 posts every week\n"
        "KR2: Send the newsletter monthly\n"
        "KR3: Write 6 guest articles"
    )
    (objective,) = parse_draft(draft).objectives
    rules = _rules(draft)
    assert {"scope.recurring", "impact.output"} <= rules
    assert "scope.key_results" not in rules
    assert classify(objective.text, objective.key_results).score < 0


def test_measured_key_results_still_make_an_effort() -> None:
    draft = (
        "Objective: Grow our blog audience\n"
        "KR1: Monthly readers from 8,000 to 14,000\n"
        "KR2: Newsletter subscribers from 900 to 1,500"
    )
    rules = _rules(draft)
    assert "scope.key_results" in rules
    assert "scope.recurring" not in rules


# --- words, patterns and quotes never mangle the author's text ---------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("not", "note"),
        ("mad", "made"),
        ("plan", "plane"),
        ("new", "news"),
        ("com", "come"),
        ("stat", "state"),
        ("us", "use"),
        ("hop", "hope"),
    ],
)
def test_stems_of_different_words_never_collide(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize(
    "family",
    [
        ("note", "notes", "noted", "noting"),
        ("update", "updates", "updated", "updating"),
        ("make", "makes", "making"),
        ("use", "uses", "used", "using"),
        ("plan", "plans", "planned", "planning"),
        ("write", "writes", "writing"),
        ("close", "closes", "closed", "closing"),
        ("stop", "stops", "stopped", "stopping"),
    ],
)
def test_inflections_of_one_word_share_a_stem(family: tuple[str, ...]) -> None:
    assert len({stem(w) for w in family}) == 1


def test_do_not_is_not_about_notes() -> None:
    assert "scope.admin" not in _rules("Do not break the public API")


@pytest.mark.parametrize(
    ("line", "procedure"),
    [
        ("See Appendix B for the export steps", True),
        ("see how teams adopt the new planner", False),
        ("Help customers see a clear path to value", False),
    ],
)
def test_a_case_insensitive_pattern_never_matches_ordinary_lower_case_words(
    line: str, procedure: bool
) -> None:
    assert ("scope.procedure" in _rules(line)) is procedure


def test_evidence_quotes_the_whole_number() -> None:
    (evidence,) = _evidence("Reduce p95 checkout latency from 900 ms", "impact.target")
    assert "p95" in evidence


@pytest.mark.parametrize(
    "text",
    [
        "Raise weekly active listeners from 15,000 to 35,000 by the end of Q3 2027 please",
        "Cut onboarding time for enterprise customers from 14.5 days to 3.25 days",
    ],
)
def test_a_quoted_fragment_never_cuts_a_number_in_half(text: str) -> None:
    short = quote(text, 48)
    assert short.endswith("…")
    kept = short.rstrip("…")
    assert text.startswith(kept)
    # The cut falls on a word boundary, so the last number quoted is whole.
    assert text[len(kept)] == " "


@pytest.mark.parametrize(
    ("draft", "chore"),
    [
        ("Using the API from a phone should be as easy as from a laptop", False),
        ("Booking a room must feel effortless for every visitor", False),
        ("Updating the roadmap deck", True),
        ("Answering support tickets within 24h", True),
    ],
)
def test_a_gerund_subject_of_a_state_to_reach_is_no_chore(draft: str, chore: bool) -> None:
    assert ("scope.chore" in _rules(draft)) is chore
