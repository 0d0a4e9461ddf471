"""What people do with a review: agree it is routine, save it, say a finding did not help."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from bot.event_claims import EventClaims
from bot.models import CoachingReview, FindingFeedback
from coaching import DraftReview


class ReviewNotFound(LookupError):
    """No such review in this workspace."""


class NotAuthor(PermissionError):
    """Only the draft's author may act on it for themselves."""


# A review's outcome once its draft became an objective: as the author wrote it, or from the
# coach's rewrite ("Use this rewrite").
SAVED_AS_WRITTEN = "saved"
SAVED_REWRITE = "saved_rewrite"
SAVED_OUTCOMES = frozenset({SAVED_AS_WRITTEN, SAVED_REWRITE})


def is_saved(outcome: str) -> bool:
    return outcome in SAVED_OUTCOMES


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    team_id: str
    author_id: str
    channel_id: str
    message_ts: str
    reply_ts: str | None
    draft_text: str | None
    verdict: str
    outcome: str


def _record(row: CoachingReview) -> ReviewRecord:
    return ReviewRecord(
        id=row.id,
        team_id=row.slack_team_id,
        author_id=row.slack_user_id,
        channel_id=row.slack_channel_id,
        message_ts=row.message_ts,
        reply_ts=row.reply_ts,
        draft_text=row.draft_text,
        verdict=row.verdict,
        outcome=row.outcome,
    )


@dataclass(frozen=True)
class EditedReview:
    record: ReviewRecord
    review: DraftReview


class ReviewService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._sessions = deps.session_factory

    def get(self, team_id: str, review_id: int) -> ReviewRecord:
        with self._sessions() as session:
            row = session.scalar(
                select(CoachingReview).where(
                    CoachingReview.id == review_id, CoachingReview.slack_team_id == team_id
                )
            )
            if row is None:
                raise ReviewNotFound(review_id)
            return _record(row)

    def get_authored(self, team_id: str, user_id: str, review_id: int) -> ReviewRecord:
        record = self.get(team_id, review_id)
        if record.author_id != user_id:
            raise NotAuthor(review_id)
        return record

    def set_outcome(self, team_id: str, user_id: str, review_id: int, outcome: str) -> None:
        with self._sessions.begin() as session:
            row = session.scalar(
                select(CoachingReview).where(
                    CoachingReview.id == review_id, CoachingReview.slack_team_id == team_id
                )
            )
            if row is None:
                raise ReviewNotFound(review_id)
            if row.slack_user_id != user_id:
                raise NotAuthor(review_id)
            row.outcome = outcome
            row.updated_at = self._deps.clock()

    def record_not_helpful(self, team_id: str, user_id: str, review_id: int, rule_id: str) -> bool:
        """True when recorded now, False when this person had already said so."""
        self.get(team_id, review_id)
        try:
            with self._sessions.begin() as session:
                session.add(
                    FindingFeedback(
                        slack_team_id=team_id,
                        slack_user_id=user_id,
                        coaching_review_id=review_id,
                        rule_id=rule_id[:64],
                        created_at=self._deps.clock(),
                    )
                )
        except IntegrityError:
            return False
        return True

    def re_review(
        self, team_id: str, channel_id: str, message_ts: str, text: str, event_id: str
    ) -> EditedReview | None:
        """Coach an edited draft again; None when it was never answered (or a retry)."""
        claims = EventClaims(self._sessions)
        now = self._deps.clock()
        if not claims.claim(team_id, event_id, now):
            return None
        with self._sessions.begin() as session:
            row = session.scalar(
                select(CoachingReview).where(
                    CoachingReview.slack_team_id == team_id,
                    CoachingReview.slack_channel_id == channel_id,
                    CoachingReview.message_ts == message_ts,
                )
            )
            if row is None or row.reply_ts is None:
                claims.release(team_id, event_id, now)
                return None
            review = self._deps.coach(text)
            row.verdict = review.verdict.value
            row.confidence = review.confidence
            row.rule_ids = list(review.rule_ids)
            if row.draft_text is not None:
                row.draft_text = text
            row.updated_at = now
            record = _record(row)
        claims.complete(team_id, event_id, now)
        return EditedReview(record=record, review=review)
