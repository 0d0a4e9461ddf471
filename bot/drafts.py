"""Reviewing drafts posted in channels: claim, coach, store, then record the reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from bot.event_claims import EventClaims
from bot.models import CoachingReview
from bot.workspaces import ensure_member, ensure_workspace
from coaching import DraftReview

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftMessage:
    team_id: str
    channel_id: str
    user_id: str
    ts: str
    text: str
    event_id: str


@dataclass(frozen=True)
class StartedReview:
    review_id: int
    review: DraftReview


class DraftService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._sessions = deps.session_factory
        self._claims = EventClaims(deps.session_factory)

    def start(self, message: DraftMessage) -> StartedReview | None:
        """Coach the draft and store the review; None when this message was already handled.

        Two guards: the event id (Slack retries and duplicate deliveries) and the message
        itself (a mention arrives both as ``message`` and as ``app_mention``).
        """
        now = self._deps.clock()
        if not self._claims.claim(message.team_id, message.event_id, now):
            logger.info(
                "duplicate delivery ignored",
                extra={"team_id": message.team_id, "event_id": message.event_id},
            )
            return None
        try:
            review = self._deps.coach(message.text)
            review_id = self._store(message, review)
        except Exception:
            self._claims.release(message.team_id, message.event_id)
            raise
        if review_id is None:
            self._claims.complete(message.team_id, message.event_id, now)
            return None
        return StartedReview(review_id=review_id, review=review)

    def _store(self, message: DraftMessage, review: DraftReview) -> int | None:
        with self._sessions.begin() as session:
            workspace = ensure_workspace(
                session, message.team_id, keep_draft_text=self._deps.settings.keep_draft_text
            )
            ensure_member(session, message.team_id, message.user_id)
            row = CoachingReview(
                slack_team_id=message.team_id,
                slack_user_id=message.user_id,
                slack_channel_id=message.channel_id,
                message_ts=message.ts,
                draft_text=message.text if workspace.keep_draft_text else None,
                verdict=review.verdict.value,
                confidence=review.confidence,
                rule_ids=list(review.rule_ids),
                created_at=self._deps.clock(),
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                return None
            return row.id

    def record_reply(self, message: DraftMessage, started: StartedReview, reply_ts: str) -> None:
        now = self._deps.clock()
        with self._sessions.begin() as session:
            session.execute(
                update(CoachingReview)
                .where(
                    CoachingReview.id == started.review_id,
                    CoachingReview.slack_team_id == message.team_id,
                )
                .values(reply_ts=reply_ts, updated_at=now)
            )
        self._claims.complete(message.team_id, message.event_id, now)

    def abandon(self, message: DraftMessage, started: StartedReview) -> None:
        """The reply could not be posted: drop the review so a retry starts afresh."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(CoachingReview).where(
                    CoachingReview.id == started.review_id,
                    CoachingReview.slack_team_id == message.team_id,
                )
            )
            if row is not None and row.reply_ts is None:
                session.delete(row)
        self._claims.release(message.team_id, message.event_id)

    def finish_without_reply(self, message: DraftMessage) -> None:
        """The reply failed for good (channel gone, bot removed): never retry it."""
        self._claims.complete(message.team_id, message.event_id, self._deps.clock())
