"""A workspace uninstalls the app or revokes its tokens: forget the tokens, maybe the data."""

from __future__ import annotations

import logging

from sqlalchemy import delete

from bot.deps import Deps
from bot.models import (
    CheckIn,
    CoachingReview,
    FindingFeedback,
    Installation,
    KeyResult,
    Member,
    Objective,
    ProcessedEvent,
    ReminderDelivery,
    Workspace,
)

logger = logging.getLogger(__name__)

# Children before parents, so foreign keys never block a delete.
WORKSPACE_TABLES = (
    FindingFeedback,
    CheckIn,
    KeyResult,
    Objective,
    CoachingReview,
    ReminderDelivery,
    ProcessedEvent,
    Member,
    Workspace,
)


def forget_tokens(deps: Deps, team_id: str) -> None:
    """Nothing is sent to the workspace again until it reinstalls."""
    with deps.session_factory.begin() as session:
        session.execute(delete(Installation).where(Installation.slack_team_id == team_id))
    logger.info("tokens deleted", extra={"team_id": team_id})


def forget_workspace(deps: Deps, team_id: str) -> None:
    """``app_uninstalled``: tokens go; OKR data goes too when DATA_RETENTION=delete."""
    forget_tokens(deps, team_id)
    if deps.settings.data_retention != "delete":
        logger.info("workspace uninstalled; data kept", extra={"team_id": team_id})
        return
    with deps.session_factory.begin() as session:
        # Objectives point at each other and at reviews; unlink before deleting.
        session.execute(
            Objective.__table__.update()
            .where(Objective.slack_team_id == team_id)
            .values(parent_id=None, source_review_id=None)
        )
        for model in WORKSPACE_TABLES:
            session.execute(delete(model).where(model.slack_team_id == team_id))
    logger.info("workspace uninstalled; data deleted", extra={"team_id": team_id})
