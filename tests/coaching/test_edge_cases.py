"""review_draft is total, fast on long input, deterministic and JSON-friendly."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching import DraftReview, Verdict, review_draft
from coaching.parsing import MAX_KEY_RESULTS, MAX_OBJECTIVES


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "<!here>", ":wave:"])
def test_empty_text_has_no_objectives(text: str) -> None:
    review = review_draft(text)
    assert review.objectives == ()
    assert review.verdict is Verdict.ROUTINE
    assert review.confidence == 0.5
    assert review.findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "🚀🚀🚀",
        "Grow 🌱 our community 🎉",
        "Увеличить выручку на 20% к концу квартала",
        "提高用户留存率",
        "売上を倍増させる\n- 新規顧客を100社獲得",
        "مرحبا بالعالم",
        "Objective: <@U1> <#C1|x> <https://a.b|c> *d* _e_ ~f~ :g:",
        "\x00\x01\x02 control chars",
        "KR:",
        "Objective:",
        "- \n* \n1.",
        "*" * 50,
        "<<<>>>&&&;;;",
    ],
)
def test_unusual_text_gives_a_review(text: str) -> None:
    review = review_draft(text)
    assert isinstance(review, DraftReview)
    json.dumps(review.to_dict())
    for o in review.objectives:
        assert o.verdict in (Verdict.ROUTINE, Verdict.STRATEGIC)
        assert 0.5 <= o.confidence <= 1.0
        assert len(o.dimensions) == 3


def test_forty_thousand_chars_is_fast_and_says_it_was_cut() -> None:
    text = ("Objective: Grow the partner ecosystem\n- Raise partners from 10 to 20 by Q3\n") * 550
    text = text[:40_000]
    assert len(text) == 40_000
    start = time.perf_counter()
    review = review_draft(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.25
    assert review.truncated
    assert len(review.objectives) <= MAX_OBJECTIVES
    assert "draft.truncated" in review.rule_ids


def test_forty_thousand_chars_on_one_line() -> None:
    review = review_draft("update the weekly report " * 1600)
    assert review.truncated
    assert len(review.objectives) == 1


@pytest.mark.parametrize(
    "text",
    ["Answer support emails within 24h", "Objective: Grow\n- Raise a from 1 to 2\n- Launch b"],
)
def test_deterministic(text: str) -> None:
    first = review_draft(text).to_dict()
    for _ in range(3):
        assert review_draft(text).to_dict() == first


def test_to_dict_shape() -> None:
    data = review_draft("Attend the weekly sync").to_dict()
    assert data["verdict"] == "routine"
    assert set(data) >= {"verdict", "confidence", "findings", "objectives", "truncated"}
    assert data["findings"][0]["rule_id"] == "scope.recurring"
    assert data["objectives"][0]["rewrite"].startswith("Objective: ")
    json.dumps(data)


def test_findings_sorted_most_severe_first() -> None:
    review = review_draft("O: Grow\n- Launch the app\n- Reach 40 teams\n- Maintain 99% uptime")
    ranks = [f.severity.rank for f in review.findings]
    assert ranks == sorted(ranks)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_total_on_any_text(text: str) -> None:
    review = review_draft(text)
    json.dumps(review.to_dict())
    assert all(f.rule_id and f.message and f.suggestion for f in review.findings)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Objective:",
                "KR1:",
                "- ",
                "* ",
                "• ",
                "1. ",
                "O:",
                "<@U1>",
                "*",
                "_",
                "~",
                ":x:",
                "grow",
                "weekly",
                "from 1 to 2",
                "%",
                "\n",
                "\n\n",
                "maintain",
                "launch",
                "10/10",
            ]
        ),
        max_size=40,
    )
)
def test_total_on_okr_shaped_noise(parts: list[str]) -> None:
    review = review_draft(" ".join(parts))
    json.dumps(review.to_dict())
    assert len(review.objectives) <= MAX_OBJECTIVES
    ranks = [f.severity.rank for f in review.findings]
    assert ranks == sorted(ranks)
    for objective in review.objectives:
        assert objective.objective.strip()
        assert 0.5 <= objective.confidence <= 1.0
        assert objective.unsure or objective.confidence >= 0.8
        assert len(objective.key_results) <= MAX_KEY_RESULTS
        assert all(kr.strip() for kr in objective.key_results)
