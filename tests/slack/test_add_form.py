"""The add form through a real Bolt app: what it asks for, how it reads numbers, what App
Home then shows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.models import KeyResult, Objective
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService
from handlers import forms, ids
from handlers.modal_blocks import (
    PARENT_LABEL,
    KeyResultPrefill,
    ObjectivePrefill,
    add_objective_modal,
)
from tests.app_fixtures import Harness
from tests.slack.test_modals_and_home import form as state

CYCLE = "2026-Q4"


def opened_form(h: Harness, text: str = "add", **fields: Any) -> dict[str, Any]:
    h.command(text, **fields)
    view = h.fake.last("views.open").params["view"]
    assert view["callback_id"] == ids.VIEW_ADD_OBJECTIVE
    return view


def home_text(h: Harness) -> str:
    return json.dumps(h.fake.last("views.publish").params["view"], ensure_ascii=False)


def test_numbers_are_read_as_written_and_app_home_shows_them_so(harness: Harness) -> None:
    response = harness.submit(
        ids.VIEW_ADD_OBJECTIVE,
        state(
            title="Make onboarding effortless",
            kr1="Weekly active teams",
            kr1_range="from 120 to 300 by June",
            kr2="Time to first value",
            kr2_range="from 5 days to 1 day",
            kr3="Monthly recurring revenue",
            kr3_range="$40k → $90k",
            kr4="Escalations",
            kr4_range="from 30 to 10 a week",
            kr5="Retention",
            kr5_range="by 20%",
        ),
        private_metadata=json.dumps({"channel_id": "C0001"}),
    )

    assert response.status == 200 and response.body == ""
    with harness.deps.session_factory() as session:
        rows = session.scalars(select(KeyResult).order_by(KeyResult.position)).all()
    assert [(k.baseline, k.target, k.unit) for k in rows] == [
        (120, 300, None),
        (5, 1, "days"),
        (40_000, 90_000, "$"),
        (30, 10, "per week"),
        (None, 20, "%"),
    ]
    shown = home_text(harness)
    for expected in (
        "(120 → 300, now 120)",
        "(5 days → 1 day, now 5 days)",
        "($40k → $90k, now $40k)",
        "(30 → 10 a week, now 30 a week)",
        "(target 20%)",
    ):
        assert expected in shown
    assert " by " not in shown and "by →" not in shown


def test_a_range_that_is_no_range_is_refused_inline(harness: Harness) -> None:
    response = harness.submit(
        ids.VIEW_ADD_OBJECTIVE,
        state(title="Grow", kr1="Active teams", kr1_range="5 days → 3 hours", kr2=None),
    )
    body = json.loads(response.body)
    assert body == {"response_action": "errors", "errors": {"kr1_range": forms.ERROR_RANGE_FORMAT}}
    with harness.deps.session_factory() as session:
        assert session.scalars(select(Objective)).all() == []


def test_the_form_says_what_is_required_and_slack_adds_optional(harness: Harness) -> None:
    view = opened_form(harness)
    by_block = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert by_block[forms.TITLE_BLOCK]["optional"] is False
    assert by_block["kr1"]["optional"] is False
    assert by_block["kr2"]["optional"] is True and by_block["kr3"]["optional"] is True
    assert all(by_block[f"kr{i}_range"]["optional"] is True for i in (1, 2, 3))
    # Slack writes "(optional)" after an optional input's label itself.
    assert all("optional" not in b["label"]["text"].lower() for b in view["blocks"] if "label" in b)


def test_a_form_without_a_key_result_says_the_first_is_required(harness: Harness) -> None:
    response = harness.submit(ids.VIEW_ADD_OBJECTIVE, state(title="Grow", kr1="   ", kr2=None))
    body = json.loads(response.body)
    assert body == {"response_action": "errors", "errors": {"kr1": forms.ERROR_NO_KEY_RESULTS}}
    assert "required" in forms.ERROR_NO_KEY_RESULTS


def save(h: Harness, title: str, owner: str, *, team: str = "T0001") -> int:
    data = ObjectiveInput(title=title, cycle=CYCLE, key_results=(KeyResultInput("Revenue"),))
    return ObjectiveService(h.deps).create(team, owner, data).id


def test_parent_objectives_are_listed_once_and_only_from_this_workspace(
    harness: Harness,
) -> None:
    first = save(harness, "Company: win the mid-market", "U0002")
    save(harness, "Company: win the mid-market", "U0002")  # saved twice
    save(harness, "company:  win the Mid-Market", "U0003")  # written again by someone else
    paused = save(harness, "Paused objective", "U0002")
    ObjectiveService(harness.deps).set_status("T0001", "U0002", paused, "paused")
    save(harness, "Another workspace's objective", "U0009", team="T0002")
    other = save(harness, "Delight customers", "U0003")

    view = opened_form(harness)

    (parent,) = [b for b in view["blocks"] if b.get("block_id") == forms.PARENT_BLOCK]
    assert parent["label"]["text"] == PARENT_LABEL == "Aligns to"
    assert parent["optional"] is True
    options = [(o["value"], o["text"]["text"]) for o in parent["element"]["options"]]
    assert options == [
        (str(first), "Company: win the mid-market"),
        (str(other), "Delight customers"),
    ]


@pytest.mark.parametrize(
    ("kr", "prefilled"),
    [
        ("Raise weekly active teams from 120 to 300 by June", "120 → 300"),
        ("Cut escalations from 30 to 10 a week", "30 → 10 a week"),
        ("Cut time to first value from 5 days to 1 day", "5 days → 1 day"),
        ("Grow MRR from $40k to $90k", "$40k → $90k"),
    ],
)
def test_a_prefilled_range_is_what_the_person_wrote(kr: str, prefilled: str) -> None:
    prefill = ObjectivePrefill("Grow", (KeyResultPrefill(kr, forms.guess_range(kr)),))
    view = add_objective_modal(cycles=[CYCLE], default_cycle=CYCLE, prefill=prefill)
    by_block = {b["block_id"]: b for b in view["blocks"]}
    assert by_block["kr1_range"]["element"]["initial_value"] == prefilled
    # And the form reads its own prefill back to the same numbers.
    assert forms.parse_range(prefilled) == forms.parse_range(forms.guess_range(kr) or "")
