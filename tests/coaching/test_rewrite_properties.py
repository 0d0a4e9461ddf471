"""Whatever the text, the rewrite helpers answer, in the format the Slack side parses."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching import review_draft
from coaching.rewrite import routine_rewrite, shorten, strategic_rewrite, topic

# Words the reader reacts to (verbs, quantifiers, numbers, clause words, kinds of chores),
# so generated drafts reach its branches rather than only its fallback.
VOCAB = re.findall(
    r"\S+",
    "answer attend send update keep make sure check grow reduce launch the a every all our "
    "weekly monthly 24h 95% 1,200 from to by within of on in with and , . : ; - ( ) Q3 "
    "support emails meeting sync report dashboard servers invoices new hires role page "
    "blog posts release survey backlog access bugs team customers partners first 10 X Y "
    "is are be updated tidy confidence 6/10 hi it",
)
drafts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(VOCAB), max_size=40).map(" ".join),
)
LINE = re.compile(r"^(?:Objective: \S.*|KR\d+: \S.*|Confidence: (?:\?|\d{1,2})/10)$")


@settings(max_examples=200, deadline=None)
@given(drafts)
def test_topic_is_total_and_never_empty(text: str) -> None:
    result = topic(text)
    assert isinstance(result, str)
    assert result.strip() == result and result


@settings(max_examples=200, deadline=None)
@given(drafts, st.one_of(st.none(), st.integers(min_value=1, max_value=10)))
def test_routine_rewrite_keeps_the_format(text: str, level: int | None) -> None:
    lines = routine_rewrite(text, confidence_level=level).splitlines()
    assert lines[0].startswith("Objective: ") and lines[0] != "Objective: "
    assert all(LINE.match(line) for line in lines), lines
    assert 2 <= sum(line.startswith("KR") for line in lines) <= 3
    assert (lines[-1] == f"Confidence: {level}/10") == (level is not None)


@settings(max_examples=200, deadline=None)
@given(drafts, st.lists(drafts, max_size=4))
def test_strategic_rewrite_keeps_the_format(text: str, key_results: list[str]) -> None:
    krs = [kr.replace("\n", " ").strip() or "x" for kr in key_results]
    lines = strategic_rewrite(text.replace("\n", " ") or "x", krs, ()).splitlines()
    assert lines[0].startswith("Objective: ")
    assert lines[-1] == "Confidence: ?/10"
    assert sum(line.startswith("KR") for line in lines) >= len(krs)


@settings(max_examples=150, deadline=None)
@given(drafts)
def test_every_review_has_a_well_formed_rewrite(text: str) -> None:
    for objective in review_draft(text).objectives:
        rewrite = objective.rewrite
        assert rewrite
        lines = rewrite.splitlines()
        if objective.lone_key_result:
            assert lines[0].startswith("KR: ")
            continue
        assert lines[0].startswith("Objective: ")
        assert sum(line.startswith("Confidence:") for line in lines) <= 1


@settings(max_examples=200, deadline=None)
@given(drafts)
def test_shorten_never_grows_and_stays_short(text: str) -> None:
    short = shorten(text)
    assert len(short.split()) <= max(len(text.split()), 1)
    assert len(short.split()) <= 14 or len(text.split()) <= 12
