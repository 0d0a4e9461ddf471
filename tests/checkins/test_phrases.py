"""Check-ins in plain words, read against a labelled table of phrasings."""

from __future__ import annotations

import pytest

from coaching.checkins import CheckInDraft, KeyResultRef, read_check_in
from tests.checkins.phrasings import PHRASINGS, TEAM, Expected, Row


def matches(draft: CheckInDraft | None, expected: Expected | None) -> bool:
    if expected is None or draft is None:
        return draft is None and expected is None
    got = {u.key: (u.value, u.confidence) for u in draft.updates}
    if set(got) != set(expected.updates):
        return False
    for key, (value, confidence) in expected.updates.items():
        got_value, got_confidence = got[key]
        if got_confidence != confidence:
            return False
        if (value is None) != (got_value is None):
            return False
        if value is not None and got_value is not None and abs(got_value - value) > 1e-6:
            return False
    return (
        draft.confidence == expected.confidence
        and len(draft.unplaced) == expected.unplaced
        and expected.note.lower() in draft.note.lower()
    )


def test_the_table_is_big_enough_and_has_refusals() -> None:
    assert len(PHRASINGS) >= 60
    assert sum(expected is None for _, _, expected in PHRASINGS) >= 10
    assert sum(bool(e and e.unplaced) for _, _, e in PHRASINGS) >= 5


@pytest.mark.parametrize("row", PHRASINGS, ids=lambda row: row[0][:40] or "<empty>")
def test_phrasing(row: Row) -> None:
    text, key_results, expected = row
    draft = read_check_in(text, key_results)
    assert matches(draft, expected), draft


def test_reading_is_deterministic() -> None:
    for text, key_results, _ in PHRASINGS:
        assert read_check_in(text, key_results) == read_check_in(text, key_results)


def test_only_complete_readings_are_offered_to_save() -> None:
    placed = read_check_in("signups 1,240 (conf 7)", TEAM)
    guessed = read_check_in("1,200 and 40", TEAM)
    assert placed is not None and placed.complete
    assert guessed is not None and not guessed.complete


def test_no_key_results_means_nothing_to_read() -> None:
    assert read_check_in("KR1 40", ()) is None


def test_a_pasted_document_is_read_only_so_far() -> None:
    solo = (KeyResultRef(1, 1, "Raise weekly active teams from 300 to 450", None, 300, 450),)
    long = "340, " + "blah " * 5000
    draft = read_check_in(long, solo)
    assert draft is not None and draft.updates[0].value == 340
    assert len(draft.note) <= 1000
