"""Claim each Slack event id once, so retries and duplicate deliveries never act twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.models import ProcessedEvent


class EventClaims:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._sessions = session_factory

    def claim(self, team_id: str, event_id: str, now: datetime) -> bool:
        """True for the first delivery of ``event_id``; False for every later one.

        The unique key decides, so two workers receiving the same retry at once cannot
        both win.
        """
        try:
            with self._sessions.begin() as session:
                session.add(
                    ProcessedEvent(slack_team_id=team_id, slack_event_id=event_id, claimed_at=now)
                )
        except IntegrityError:
            return False
        return True

    def complete(self, team_id: str, event_id: str, now: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(ProcessedEvent)
                .where(
                    ProcessedEvent.slack_team_id == team_id,
                    ProcessedEvent.slack_event_id == event_id,
                )
                .values(completed_at=now)
            )

    def release(self, team_id: str, event_id: str) -> None:
        """Forget a claim whose work failed, so Slack's retry of it is processed."""
        with self._sessions.begin() as session:
            session.execute(
                delete(ProcessedEvent).where(
                    ProcessedEvent.slack_team_id == team_id,
                    ProcessedEvent.slack_event_id == event_id,
                    ProcessedEvent.completed_at.is_(None),
                )
            )
