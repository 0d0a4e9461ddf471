"""Progress warnings on App Home and in the digest; the team's coaching picture for admins."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.checkins import CheckInEntry, CheckInService
from bot.models import CoachingReview, FindingFeedback
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService, ObjectiveView
from bot.reminders.digest import digest_data
from bot.reviews import SAVED_AS_WRITTEN, SAVED_REWRITE
from bot.team_insights import team_picture
from handlers import home_blocks, ids
from handlers.checkin_blocks import DIGEST_WARNINGS, digest
from handlers.home import publish_home
from tests.app_fixtures import Harness
from tests.fakeslack.blockkit import check_view

CYCLE = "2026-Q4"
START = datetime(2026, 10, 5, 9, tzinfo=UTC)


def objective(h: Harness, owner: str = "U0001", team: str = "T0001") -> ObjectiveView:
    data = ObjectiveInput(
        title="Grow paying teams in Europe",
        cycle=CYCLE,
        key_results=(KeyResultInput("Raise NPS from 30 to 45", "NPS", 30, 45),),
    )
    return ObjectiveService(h.deps).create(team, owner, data)


def falling_confidence(h: Harness, saved: ObjectiveView, team: str = "T0001") -> None:
    kr = saved.key_results[0]
    for week, confidence in enumerate((8, 6, 4)):
        h.clock.now = START + timedelta(weeks=week)
        CheckInService(h.deps).record(
            team, saved.owner_id, saved.id, [CheckInEntry(kr.id, 33.0 + week, confidence)], None
        )


def home_of(h: Harness, user: str = "U0001") -> dict[str, Any]:
    publish_home(h.app.client, h.deps, "T0001", user)
    view = h.fake.last("views.publish").params["view"]
    assert check_view(view) == []
    return dict(view)


def test_app_home_shows_an_objectives_warnings_with_not_helpful(harness: Harness) -> None:
    saved = objective(harness)
    falling_confidence(harness, saved)

    view = home_of(harness)

    shown = json.dumps(view, ensure_ascii=False)
    assert home_blocks.WARNINGS_LEAD in shown
    assert "Confidence fell two check-ins in a row (8 → 6 → 4)" in shown
    assert f"{saved.key_results[0].id}|progress.confidence_falling" in shown
    assert ids.ACTION_WARNING_NOT_HELPFUL in shown


def test_the_team_picture_is_for_admins_only(harness: Harness) -> None:
    objective(harness)
    harness.fake.add_user("T0001", "U0001", name="alex")
    harness.fake.add_user("T0001", "U0009", name="lead", is_admin=True)

    assert "coaching picture" not in json.dumps(home_of(harness, "U0001"))
    assert "coaching picture" in json.dumps(home_of(harness, "U0009"))


def test_the_digest_lists_the_warnings(harness: Harness) -> None:
    saved = objective(harness)
    falling_confidence(harness, saved)
    data = digest_data(harness.deps, "T0001", CYCLE, harness.clock())
    assert [(o.id, w.rule_id) for o, w in data.warnings] == [
        (saved.id, "progress.confidence_falling")
    ]
    message = digest(data)
    shown = json.dumps(message["blocks"], ensure_ascii=False)
    assert DIGEST_WARNINGS in shown and "<@U0001>" in shown
    assert ids.ACTION_WARNING_NOT_HELPFUL in shown


def review(
    h: Harness, team: str, rules: list[str], outcome: str, at: datetime, n: int
) -> CoachingReview:
    with h.deps.session_factory.begin() as session:
        row = CoachingReview(
            slack_team_id=team,
            slack_user_id="U0001",
            slack_channel_id="C0001",
            message_ts=f"1700000{n:03d}.000100",
            verdict="routine",
            confidence=0.9,
            rule_ids=rules,
            outcome=outcome,
            created_at=at,
        )
        session.add(row)
        session.flush()
        session.expunge(row)
    return row


def test_team_picture_counts_rules_saves_rewrites_and_not_helpful(harness: Harness) -> None:
    at = START
    first = review(harness, "T0001", ["scope.chore", "kr.count"], SAVED_AS_WRITTEN, at, 1)
    review(harness, "T0001", ["scope.chore"], SAVED_REWRITE, at, 2)
    review(harness, "T0001", ["impact.output", "scope.chore"], "pending", at, 3)
    review(harness, "T0001", ["kr.count"], "routine", at, 4)
    # Another workspace, and the previous cycle: neither counts.
    review(harness, "T0002", ["scope.recurring"], SAVED_REWRITE, at, 5)
    review(harness, "T0001", ["scope.admin"], SAVED_AS_WRITTEN, datetime(2026, 9, 1, tzinfo=UTC), 6)
    with harness.deps.session_factory.begin() as session:
        for user in ("U0001", "U0002"):
            session.add(
                FindingFeedback(
                    slack_team_id="T0001",
                    slack_user_id=user,
                    coaching_review_id=first.id,
                    rule_id="kr.count",
                    created_at=at,
                )
            )

    picture = team_picture(harness.deps, "T0001", CYCLE)

    assert picture.drafts == 4
    assert picture.saved == 2 and picture.saved_share == 0.5
    assert picture.rewrites_taken == 1 and picture.rewrite_share == 0.25
    assert picture.top_rules[:2] == (("scope.chore", 3), ("kr.count", 2))
    assert "scope.recurring" not in dict(picture.top_rules)
    assert picture.least_helpful == (("kr.count", 2),)
    text = json.dumps(home_blocks.team_picture_blocks(picture))
    assert "4 drafts reviewed" in text and "50% became OKRs" in text
