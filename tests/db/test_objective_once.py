"""A reviewed draft becomes at most one objective, whatever clicks and submissions race."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from bot.config import Settings
from bot.db import alembic_config, create_db_engine
from bot.deps import Deps
from bot.objectives import KeyResultInput, ObjectiveInput, ObjectiveService, ObjectiveView
from tests.db_fixtures import Database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DRAFT = ObjectiveInput(
    title="Make onboarding effortless",
    cycle="2026-Q4",
    key_results=(KeyResultInput(text="Week-1 activation", baseline=35.0, target=60.0),),
)


def deps_for(db: Database) -> Deps:
    settings = Settings(slack_signing_secret="s", slack_bot_token="xoxb-t", database_url=db.url)
    return Deps(settings=settings, session_factory=db.session_factory, clock=lambda: NOW)


def a_review(db: Database, team: str = "T0001") -> int:
    with db.session_factory.begin() as session:
        return int(
            session.execute(
                text(
                    "INSERT INTO coaching_review (slack_team_id, slack_user_id, "
                    "slack_channel_id, message_ts, verdict, confidence, rule_ids, outcome, "
                    "created_at, updated_at) VALUES (:team, 'U0001', 'C0001', '1.2', "
                    "'strategic', 0.9, '[]', 'pending', :now, :now) RETURNING id"
                ),
                {"team": team, "now": NOW},
            ).scalar_one()
        )


def objective_count(db: Database) -> int:
    with db.session_factory() as session:
        return int(session.execute(text("SELECT COUNT(*) FROM objective")).scalar_one())


def test_saving_a_review_twice_returns_the_first_objective(db: Database) -> None:
    service = ObjectiveService(deps_for(db))
    review_id = a_review(db)
    first = service.create("T0001", "U0001", DRAFT, source_review_id=review_id)
    again = service.create("T0001", "U0001", DRAFT, source_review_id=review_id)
    assert again.id == first.id
    assert objective_count(db) == 1
    # Objectives typed by hand are never merged.
    service.create("T0001", "U0001", DRAFT)
    service.create("T0001", "U0001", DRAFT)
    assert objective_count(db) == 3


class BothCheckedFirst(ObjectiveService):
    """Two submissions that both looked before either saved: the database decides."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.looks = 0

    def from_review(self, team_id: str, review_id: int) -> ObjectiveView | None:
        self.looks += 1
        return None if self.looks == 1 else super().from_review(team_id, review_id)


def test_a_race_past_the_check_still_saves_once(db: Database) -> None:
    deps = deps_for(db)
    review_id = a_review(db)
    first = ObjectiveService(deps).create("T0001", "U0001", DRAFT, source_review_id=review_id)
    racer = BothCheckedFirst(deps)
    assert racer.create("T0001", "U0001", DRAFT, source_review_id=review_id).id == first.id
    assert racer.looks == 2
    assert objective_count(db) == 1


def test_the_saved_objective_is_found_only_in_its_workspace(db: Database) -> None:
    service = ObjectiveService(deps_for(db))
    review_id = a_review(db)
    service.create("T0001", "U0001", DRAFT, source_review_id=review_id)
    assert service.from_review("T0001", review_id) is not None
    assert service.from_review("T0002", review_id) is None


def test_the_migration_keeps_objectives_saved_twice_and_links_only_the_first(
    empty_database_url: str,
) -> None:
    engine = create_db_engine(empty_database_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO coaching_review (id, slack_team_id, slack_user_id, "
                    "slack_channel_id, message_ts, verdict, confidence, rule_ids, outcome, "
                    "created_at, updated_at) VALUES (7, 'T1', 'U1', 'C1', '1.2', 'routine', "
                    "0.9, '[]', 'saved', :now, :now)"
                ),
                {"now": NOW},
            )
            for objective_id in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO objective (id, slack_team_id, owner_slack_user_id, title, "
                        "cycle, commitment, status, source_review_id, reminders_ignored, "
                        "created_at, updated_at) VALUES (:id, 'T1', 'U1', 'Grow', '2026-Q4', "
                        "'committed', 'active', 7, 0, :now, :now)"
                    ),
                    {"id": objective_id, "now": NOW},
                )
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, source_review_id FROM objective ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [(1, 7), (2, None)]
    finally:
        engine.dispose()
