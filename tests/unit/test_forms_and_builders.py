"""Pure builders and form readers: ranges, the add modal, the home view, lists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.objectives import KeyResultView, ObjectiveView
from handlers import forms, ids
from handlers.home_blocks import DUE_CHECKIN, DUE_GRADE, NOTHING_DUE, home_view
from handlers.list_blocks import MAX_LISTED, objectives_message
from handlers.modal_blocks import (
    KeyResultPrefill,
    ObjectivePrefill,
    add_objective_modal,
    review_draft_modal,
)
from handlers.text import progress_bar


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120 → 300 teams", (120.0, 300.0, "teams")),
        ("from 8% to 4%", (8.0, 4.0, "%")),
        ("1,200 -> 2,500 users", (1200.0, 2500.0, "users")),
        ("$10k to $25k", (10_000.0, 25_000.0, "$")),
        ("2.5m => 4m", (2_500_000.0, 4_000_000.0, None)),
        ("300", (None, 300.0, None)),
        ("-5 to 5", (-5.0, 5.0, None)),
    ],
)
def test_ranges_people_write(text: str, expected: tuple[Any, ...]) -> None:
    parsed = forms.parse_range(text)
    assert parsed is not None
    assert (parsed.baseline, parsed.target, parsed.unit) == expected


@pytest.mark.parametrize("text", ["lots", "more than before", "→"])
def test_ranges_that_are_not_numbers(text: str) -> None:
    assert forms.parse_range(text) is None


@pytest.mark.parametrize(
    ("kr", "expected"),
    [
        ("Raise weekly active teams from 120 to 300 teams by Q3", "120 → 300 teams"),
        ("Cut churn from 8% to 4%", "8% → 4%"),
        ("Ship the new onboarding", None),
    ],
)
def test_guessing_a_range_from_a_draft(kr: str, expected: str | None) -> None:
    assert forms.guess_range(kr) == expected


def _state(**values: str) -> dict[str, Any]:
    state: dict[str, Any] = {
        forms.CYCLE_BLOCK: {forms.INPUT_ACTION: {"selected_option": {"value": "2026-Q4"}}}
    }
    for block, value in values.items():
        state[block] = {forms.INPUT_ACTION: {"value": value}}
    return state


def test_form_with_no_key_results_asks_for_one() -> None:
    result = forms.read_objective_form(_state(title="Grow"))
    assert result.value is None
    assert result.errors == {"kr1": forms.ERROR_NO_KEY_RESULTS}


def test_form_flat_range_and_long_title() -> None:
    result = forms.read_objective_form(_state(title="x" * 301, kr1="Activation", kr1_range="5 → 5"))
    assert result.errors == {
        forms.TITLE_BLOCK: forms.ERROR_TITLE_LONG,
        "kr1_range": forms.ERROR_RANGE_FLAT,
    }


def test_form_reads_a_valid_objective() -> None:
    result = forms.read_objective_form(
        _state(title=" Grow ", kr1="Revenue", kr1_range="1 to 2 teams", kr3="Teams")
    )
    assert result.errors == {}
    assert result.value is not None
    assert result.value.title == "Grow"
    assert [(k.text, k.target) for k in result.value.key_results] == [
        ("Revenue", 2.0),
        ("Teams", None),
    ]


def test_add_modal_is_valid_and_prefilled() -> None:
    prefill = ObjectivePrefill(
        title="Grow the community",
        key_results=tuple(KeyResultPrefill(f"KR {i}", "1 → 2") for i in range(1, 6)),
    )
    view = add_objective_modal(
        cycles=["2026-Q4", "2027-Q1"],
        default_cycle="2026-Q4",
        parents=[(i, f"Parent {i} " + "x" * 100) for i in range(150)],
        prefill=prefill,
        private_metadata='{"review_id": 1}',
    )
    View(**view).validate_json()
    block_ids = [b["block_id"] for b in view["blocks"]]
    assert block_ids.count("kr5") == 1
    parent = next(b for b in view["blocks"] if b["block_id"] == forms.PARENT_BLOCK)
    assert len(parent["element"]["options"]) == 100
    assert all(len(o["text"]["text"]) <= 75 for o in parent["element"]["options"])


def test_add_modal_without_prefill_shows_three_key_results_and_no_parent() -> None:
    view = add_objective_modal(cycles=["2026-Q4"], default_cycle="2026-Q4")
    View(**view).validate_json()
    ids_ = [b["block_id"] for b in view["blocks"]]
    assert "kr3" in ids_ and "kr4" not in ids_ and forms.PARENT_BLOCK not in ids_


def test_review_modal_is_valid() -> None:
    view = review_draft_modal("{}")
    View(**view).validate_json()
    assert view["callback_id"] == ids.VIEW_REVIEW_DRAFT


def objective(index: int, **changes: Any) -> ObjectiveView:
    base: dict[str, Any] = dict(
        id=index,
        team_id="T1",
        owner_id="U1",
        title=f"Objective {index} <!here>",
        cycle="2026-Q4",
        commitment="committed",
        status="active",
        parent_id=None,
        grade=None,
        last_checkin_at=datetime(2026, 11, 20, tzinfo=UTC),
        reminders_ignored=0,
        key_results=(KeyResultView(1, 0, "Active teams", None, "teams", 100, 200, 150, 7, 0.5),),
        confidence_trend=(7, 5),
    )
    base.update(changes)
    return ObjectiveView(**base)


def test_home_view_shows_progress_confidence_trend_and_dates() -> None:
    view = home_view(
        [objective(1)],
        cycle="2026-Q4",
        today=date(2026, 11, 23),
        cycle_end=date(2026, 12, 31),
        checkin_due=True,
    )
    View(**view).validate_json()
    text = str(view)
    assert "▓▓▓▓▓░░░░░ 50%" in text
    assert "confidence 7 → 5" in text
    assert "<!date^" in text
    assert "&lt;!here&gt;" in text and "<!here>" not in text
    assert DUE_CHECKIN in text


def test_home_view_stays_under_100_blocks_and_knows_grading_time() -> None:
    many = [objective(i) for i in range(40)]
    view = home_view(
        many,
        cycle="2026-Q4",
        today=date(2026, 12, 20),
        cycle_end=date(2026, 12, 31),
        checkin_due=False,
    )
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    assert DUE_GRADE.format(when="2026-12-31") in str(view)
    assert DUE_CHECKIN not in str(view)


def test_nothing_due() -> None:
    view = home_view(
        [],
        cycle="2026-Q4",
        today=date(2026, 11, 1),
        cycle_end=date(2026, 12, 31),
        checkin_due=True,
    )
    assert NOTHING_DUE in str(view)


def test_lists_are_capped_under_slacks_block_limit() -> None:
    message = objectives_message(
        [objective(i) for i in range(30)], heading="All", empty="none", show_owner=True
    )
    assert len(message.blocks) <= 50
    assert f"and {30 - MAX_LISTED} more" in str(message.blocks[-1])


@pytest.mark.parametrize(
    ("fraction", "bar"),
    [
        (None, "░░░░░░░░░░ no data yet"),
        (0.0, "░░░░░░░░░░ 0%"),
        (0.6, "▓▓▓▓▓▓░░░░ 60%"),
        (1.7, "▓▓▓▓▓▓▓▓▓▓ 100%"),
    ],
)
def test_progress_bar(fraction: float | None, bar: str) -> None:
    assert progress_bar(fraction) == bar
