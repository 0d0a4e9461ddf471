"""Reviewing drafts posted in channels: claim, coach, store, then record the reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.event_claims import LEASE, EventClaims
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


def _payload(message: DraftMessage) -> dict[str, str]:
    return {
        "channel": message.channel_id,
        "user": message.user_id,
        "ts": message.ts,
        "text": message.text,
    }


class DraftService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._sessions = deps.session_factory
        self._claims = EventClaims(deps.session_factory)

    def claim(self, message: DraftMessage) -> bool:
        """Claim the delivery with what is needed to finish it; False if already claimed."""
        claimed = self._claims.claim(
            message.team_id, message.event_id, self._deps.clock(), payload=_payload(message)
        )
        if not claimed:
            logger.info(
                "duplicate delivery ignored",
                extra={"team_id": message.team_id, "event_id": message.event_id},
            )
        return claimed

    def start(self, message: DraftMessage, *, claimed: bool = False) -> StartedReview | None:
        """Coach the draft and store the review; None when this message was already handled.

        Two guards: the event id (Slack retries and duplicate deliveries) and the message
        itself (a mention arrives both as ``message`` and as ``app_mention``). Both are
        leases: work whose worker died is taken over once the lease runs out.
        """
        now = self._deps.clock()
        if not claimed and not self.claim(message):
            return None
        try:
            review = self._deps.coach(message.text)
            review_id = self._store(message, review, now)
        except Exception as error:
            self._claims.release(message.team_id, message.event_id, now, repr(error))
            raise
        if review_id is None:
            self._claims.complete(message.team_id, message.event_id, now)
            return None
        return StartedReview(review_id=review_id, review=review)

    def stale_messages(self, limit: int = 100) -> list[DraftMessage]:
        """Drafts whose worker died before replying, for the clock's sweeper to finish."""
        found = []
        for claim in self._claims.stale(self._deps.clock(), limit):
            payload = claim.payload
            if not all(isinstance(payload.get(k), str) for k in ("channel", "user", "ts", "text")):
                continue
            found.append(
                DraftMessage(
                    team_id=claim.team_id,
                    channel_id=payload["channel"],
                    user_id=payload["user"],
                    ts=payload["ts"],
                    text=payload["text"],
                    event_id=claim.event_id,
                )
            )
        return found

    def _store(self, message: DraftMessage, review: DraftReview, now: datetime) -> int | None:
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
                created_at=now,
                updated_at=now,
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                return self._take_over_review(session, message, now)
            return row.id

    def _take_over_review(
        self, session: Session, message: DraftMessage, now: datetime
    ) -> int | None:
        """The message already has a review: done, in progress elsewhere, or abandoned.

        Only an unanswered review untouched for a whole lease is taken over; the update is
        conditional, so two takers cannot both win.
        """
        existing = session.scalar(
            select(CoachingReview).where(
                CoachingReview.slack_team_id == message.team_id,
                CoachingReview.slack_channel_id == message.channel_id,
                CoachingReview.message_ts == message.ts,
            )
        )
        if existing is None or existing.reply_ts is not None:
            return None
        taken = session.execute(
            update(CoachingReview)
            .where(
                CoachingReview.id == existing.id,
                CoachingReview.reply_ts.is_(None),
                CoachingReview.updated_at <= now - LEASE,
            )
            .values(updated_at=now)
        )
        return existing.id if getattr(taken, "rowcount", 0) == 1 else None

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

    def abandon(self, message: DraftMessage, started: StartedReview, error: str = "") -> None:
        """The reply could not be posted: let a retry, or the sweeper, start afresh."""
        now = self._deps.clock()
        with self._sessions.begin() as session:
            row = session.scalar(
                select(CoachingReview).where(
                    CoachingReview.id == started.review_id,
                    CoachingReview.slack_team_id == message.team_id,
                )
            )
            if row is not None and row.reply_ts is None:
                session.delete(row)
        self._claims.release(message.team_id, message.event_id, now, error)

    def finish_without_reply(self, message: DraftMessage) -> None:
        """The reply failed for good (channel gone, bot removed): never retry it."""
        self._claims.complete(message.team_id, message.event_id, self._deps.clock())
