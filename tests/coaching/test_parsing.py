from __future__ import annotations

import pytest

from coaching.parsing import (
    MAX_CHARS,
    MAX_OBJECTIVES,
    confidence_level,
    parse_draft,
    strip_slack_markup,
)


@pytest.mark.parametrize(
    ("text", "objective", "krs"),
    [
        ("Objective: Grow our meetup scene\nKR1: Host 4 meetups", "Grow our meetup scene", 1),
        ("O: Delight new hires\n- Cut time to first commit", "Delight new hires", 1),
        ("O1: Make billing painless\n* Halve billing tickets", "Make billing painless", 1),
        ("OKR: Win the design market\n• Reach 40 agencies", "Win the design market", 1),
        ("Goal - Be the fastest checkout\n1. Cut p95 to 1s", "Be the fastest checkout", 1),
        ("Objective 2: Sell abroad\n1) Open 2 countries\n2) Hire 3 reps", "Sell abroad", 2),
        ("objective:   spaced out   \nKR: one", "spaced out", 1),
        (
            "Make onboarding joyful\nRaise NPS from 20 to 40\nCut drop-off by half",
            "Make onboarding joyful",
            2,
        ),
        ("*Objective:* Grow _paid_ plans\n- KR1: Convert 5% of trials", "Grow paid plans", 1),
        ("Objective: Ship faster KR1: Cut lead time KR2: Cut failures", "Ship faster", 2),
    ],
)
def test_objective_and_key_results_in_every_format(text: str, objective: str, krs: int) -> None:
    parsed = parse_draft(text)
    assert len(parsed.objectives) == 1
    assert parsed.objectives[0].text == objective
    assert len(parsed.objectives[0].key_results) == krs


@pytest.mark.parametrize(
    "text",
    [
        "Objective: Grow revenue\n- KR a\n- KR b\n\nObjective: Cut churn\n- KR c",
        "O1: Grow revenue\nKR1: a\nKR2: b\nO2: Cut churn\nKR1: c",
        "Grow revenue\n- a\n- b\nCut churn\n- c",
        "Grow revenue\na\nb\n\nCut churn\nc",
    ],
)
def test_several_objectives_in_one_message(text: str) -> None:
    parsed = parse_draft(text)
    assert [o.text for o in parsed.objectives] == ["Grow revenue", "Cut churn"]
    assert [len(o.key_results) for o in parsed.objectives] == [2, 1]


def test_key_result_bullets_keep_their_kr_prefix_out() -> None:
    parsed = parse_draft("O: Grow\n- KR1: Reach 10 pilots\n- KR2 - Sign 3 partners")
    assert parsed.objectives[0].key_results == ("Reach 10 pilots", "Sign 3 partners")


def test_lone_key_result_is_flagged() -> None:
    parsed = parse_draft("KR: Raise weekly active teams from 40 to 90")
    (only,) = parsed.objectives
    assert only.lone_key_result
    assert only.text == "Raise weekly active teams from 40 to 90"
    assert only.key_results == ()


def test_one_line_task() -> None:
    (only,) = parse_draft("Send the invoice reminders").objectives
    assert only.text == "Send the invoice reminders"
    assert not only.lone_key_result
    assert only.key_results == ()


def test_bullets_without_a_heading_are_separate_drafts() -> None:
    parsed = parse_draft("- Book the offsite venue\n- Renew the domain")
    assert [o.text for o in parsed.objectives] == ["Book the offsite venue", "Renew the domain"]


def test_key_results_heading_is_not_a_key_result() -> None:
    parsed = parse_draft("Objective: Grow\nKey results:\n- a 1\n- b 2")
    assert parsed.objectives[0].key_results == ("a 1", "b 2")


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("Ask <@U123ABC> today", "Ask someone today"),
        ("Ask <@U123ABC|dana> today", "Ask dana today"),
        ("Post in <#C0123|launch-room>", "Post in launch-room"),
        ("Post in <#C0123>", "Post in a channel"),
        ("Read <https://example.com/plan|the plan>", "Read the plan"),
        ("Read <https://example.com/plan>", "Read https://example.com/plan"),
        ("<!here> grow users", "grow users"),
        ("<!subteam^S1|@growth> owns it", "growth owns it"),
        ("*bold* and _italic_ and ~gone~", "bold and italic and gone"),
        ("Ship it :rocket: :+1::skin-tone-2:", "Ship it"),
        ("keep snake_case_names and 2*3*4", "keep snake_case_names and 2*3*4"),
        ("R&amp;D &lt;3", "R&D <3"),
        ("Use `make test`", "Use make test"),
    ],
)
def test_strip_slack_markup(markup: str, plain: str) -> None:
    assert strip_slack_markup(markup) == plain


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("confidence 6/10", 6),
        ("Confidence: 7", 7),
        ("(8/10)", 8),
        ("conf 3/10", 3),
        ("confidence level: 5 out of 10", 5),
        ("nothing here", None),
        ("confidence 42", None),
        ("reach 10/10 teams", None),
    ],
)
def test_confidence_level(text: str, level: int | None) -> None:
    assert confidence_level(text) == level


def test_confidence_line_is_metadata_not_a_key_result() -> None:
    (only,) = parse_draft("O: Grow\n- KR a 10\n- KR b 20\nConfidence: 6/10").objectives
    assert only.confidence_level == 6
    assert only.key_results == ("KR a 10", "KR b 20")


def test_confidence_inside_a_key_result_is_read_and_removed() -> None:
    (only,) = parse_draft("O: Grow\n- Reach 40 teams (confidence 4/10)").objectives
    assert only.confidence_level == 4
    assert only.key_results == ("Reach 40 teams",)


def test_long_input_is_capped_and_flagged() -> None:
    text = "\n".join(f"Objective: Grow market number {i}" for i in range(3000))
    parsed = parse_draft(text)
    assert parsed.truncated
    assert len(parsed.objectives) == MAX_OBJECTIVES
    assert parsed.chars_read <= MAX_CHARS


def test_many_objectives_within_char_cap_still_flag_truncation() -> None:
    text = "\n\n".join(f"Objective: Grow region {i}" for i in range(MAX_OBJECTIVES + 2))
    parsed = parse_draft(text)
    assert parsed.truncated
    assert parsed.objectives_found == MAX_OBJECTIVES + 2


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", ":tada: :tada:", "<!here>"])
def test_nothing_to_review(text: str) -> None:
    assert parse_draft(text).objectives == ()
