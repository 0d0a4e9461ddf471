"""Reviewing drafts posted in channels: claim, coach and store; then record the reply.

Two transactions per draft: ``begin`` (claim the delivery, store the review) runs before
Slack gets its 200; ``finish`` (reply recorded, claim completed) after the reply is posted.
No transaction ever spans a Slack call. This is the busiest path in the app, so it runs
prebuilt Core statements on plain connections of ``Deps.engine_for_drafts()``, without the
ORM session's bookkeeping, and on PostgreSQL each write is a single statement
(``bot/draft_statements.py``) whenever the workspace and member rows are known to exist.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from bot.db import insert_or_ignore
from bot.deps import Deps
from bot.draft_statements import RECORD_REPLY, SingleStatementWrites
from bot.event_claims import LEASE, EventClaims
from bot.models import CoachingReview, Member, Workspace
from coaching import DraftReview

logger = logging.getLogger(__name__)

# Workspaces and members change rarely; remembering that they exist saves two queries a draft.
KNOWN_ROWS_TTL_SECONDS = 300.0


@dataclass(frozen=True)
class DraftMessage:
    team_id: str
    channel_id: str
    user_id: str
    ts: str
    text: str
    event_id: str
    # The thread the draft was posted in, when it was (a mention of the bot in a thread).
    thread_ts: str | None = None
    # A DM with the bot: the reply follows the draft in the conversation, not in a thread.
    in_dm: bool = False

    @property
    def reply_thread_ts(self) -> str | None:
        """The thread the reply goes in; None for the conversation itself."""
        if self.thread_ts:
            return self.thread_ts
        return None if self.in_dm else self.ts


@dataclass(frozen=True)
class StartedReview:
    review_id: int
    review: DraftReview
    # Taken over from an earlier attempt whose worker died: it may have replied already.
    resumed: bool = False


def _payload(message: DraftMessage) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "channel": message.channel_id,
        "user": message.user_id,
        "ts": message.ts,
        "text": message.text,
    }
    if message.thread_ts:
        payload["thread_ts"] = message.thread_ts
    if message.in_dm:
        payload["dm"] = True
    return payload


def _review_row(
    message: DraftMessage, review: DraftReview, now: datetime, keep_text: bool
) -> dict[str, Any]:
    return {
        "slack_team_id": message.team_id,
        "slack_user_id": message.user_id,
        "slack_channel_id": message.channel_id,
        "message_ts": message.ts,
        "draft_text": message.text if keep_text else None,
        "verdict": review.verdict.value,
        "confidence": review.confidence,
        "rule_ids": list(review.rule_ids),
        "outcome": "pending",
        "created_at": now,
        "updated_at": now,
    }


def _fresh(seen_at: float | None) -> bool:
    """Whether a row remembered at ``seen_at`` (monotonic) can still be trusted to exist."""
    return seen_at is not None and time.monotonic() - seen_at < KNOWN_ROWS_TTL_SECONDS


class DraftService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._engine = deps.engine_for_drafts()
        self._claims = EventClaims(deps.session_factory)
        self._single = (
            SingleStatementWrites(self._engine)
            if self._engine.dialect.name == "postgresql"
            else None
        )
        self._workspaces: dict[str, tuple[bool, float]] = {}
        self._members: dict[tuple[str, str], float] = {}

    def begin(self, message: DraftMessage) -> StartedReview | None:
        """Claim the delivery, coach the draft and store the review, in one transaction.

        None when this delivery or this message was already handled. Two guards: the event
        id (Slack retries and duplicate deliveries) and the message itself (a mention
        arrives both as ``message`` and as ``app_mention``). Both are leases: work whose
        worker died is taken over once the lease runs out.
        """
        review = self._deps.coach(message.text)  # pure CPU, kept out of the transaction
        now = self._deps.clock()
        claim_held = False
        keep_text = self._known_keep_text(message.team_id, message.user_id)
        if self._single is not None and keep_text is not None:
            done = self._single.claim_and_store(
                _review_row(message, review, now, keep_text),
                event_id=message.event_id,
                lease_until=now + LEASE,
                payload=_payload(message),
            )
            if done.review_id is not None:
                return StartedReview(review_id=done.review_id, review=review)
            # A retry, a duplicate or a message reviewed before: the transaction sorts it out.
            claim_held = done.claimed
        with self._engine.begin() as connection:
            if not claim_held and not self._claims.claim_in(
                connection, message.team_id, message.event_id, now, payload=_payload(message)
            ):
                logger.info(
                    "duplicate delivery ignored",
                    extra={"team_id": message.team_id, "event_id": message.event_id},
                )
                return None
            keep_text = self._workspace(connection, message.team_id)
            self._member(connection, message.team_id, message.user_id)
            review_id = insert_or_ignore(
                connection,
                CoachingReview,
                _review_row(message, review, now, keep_text),
                ["slack_team_id", "slack_channel_id", "message_ts"],
            )
            resumed = review_id is None
            if resumed:
                review_id = self._take_over_review(connection, message, now)
            if review_id is None:
                self._claims.complete_in(connection, message.team_id, message.event_id, now)
                return None
        return StartedReview(review_id=review_id, review=review, resumed=resumed)

    def finish(self, message: DraftMessage, started: StartedReview, reply_ts: str) -> None:
        now = self._deps.clock()
        if self._single is not None:
            self._single.record_and_complete(
                team_id=message.team_id,
                event_id=message.event_id,
                review_id=started.review_id,
                reply_ts=reply_ts,
                now=now,
            )
            return
        with self._engine.begin() as connection:
            connection.execute(
                RECORD_REPLY,
                {
                    "review_id": started.review_id,
                    "team": message.team_id,
                    "ts": reply_ts,
                    "now": now,
                },
            )
            self._claims.complete_in(connection, message.team_id, message.event_id, now)

    def abandon(self, message: DraftMessage, started: StartedReview, error: str = "") -> None:
        """The reply could not be posted: let a retry, or the sweeper, start afresh."""
        with self._engine.begin() as connection:
            connection.execute(
                delete(CoachingReview).where(
                    CoachingReview.id == started.review_id,
                    CoachingReview.slack_team_id == message.team_id,
                    CoachingReview.reply_ts.is_(None),
                )
            )
            self._claims.release_in(
                connection, message.team_id, message.event_id, self._deps.clock(), error
            )

    def finish_without_reply(self, message: DraftMessage) -> None:
        """The reply failed for good (channel gone, bot removed): never retry it."""
        self._claims.complete(message.team_id, message.event_id, self._deps.clock())

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
                    thread_ts=payload.get("thread_ts") or None,
                    in_dm=payload.get("dm") is True,
                )
            )
        return found

    # -- rows the review depends on ----------------------------------------------------------

    def _known_keep_text(self, team_id: str, user_id: str) -> bool | None:
        """The workspace's keep-text setting if both its row and the member's were seen
        recently (so the single-statement write can skip them); None otherwise."""
        workspace = self._workspaces.get(team_id)
        if workspace is None or not _fresh(workspace[1]):
            return None
        if not _fresh(self._members.get((team_id, user_id))):
            return None
        return workspace[0]

    def _workspace(self, connection: Connection, team_id: str) -> bool:
        """Ensure the workspace row; returns whether it keeps draft text."""
        cached = self._workspaces.get(team_id)
        if cached is not None and _fresh(cached[1]):
            return cached[0]
        insert_or_ignore(
            connection,
            Workspace,
            {
                "slack_team_id": team_id,
                "keep_draft_text": self._deps.settings.keep_draft_text,
                "created_at": self._deps.clock(),
                "updated_at": self._deps.clock(),
            },
            ["slack_team_id"],
        )
        keep = bool(
            connection.scalar(
                select(Workspace.keep_draft_text).where(Workspace.slack_team_id == team_id)
            )
        )
        self._workspaces[team_id] = (keep, time.monotonic())
        return keep

    def _member(self, connection: Connection, team_id: str, user_id: str) -> None:
        if _fresh(self._members.get((team_id, user_id))):
            return
        insert_or_ignore(
            connection,
            Member,
            {
                "slack_team_id": team_id,
                "slack_user_id": user_id,
                "created_at": self._deps.clock(),
                "updated_at": self._deps.clock(),
            },
            ["slack_team_id", "slack_user_id"],
        )
        self._members[(team_id, user_id)] = time.monotonic()

    def _take_over_review(
        self, connection: Connection, message: DraftMessage, now: datetime
    ) -> int | None:
        """The message already has a review: done, in progress elsewhere, or abandoned.

        Only an unanswered review untouched for a whole lease is taken over; the update is
        conditional, so two takers cannot both win.
        """
        taken = connection.execute(
            update(CoachingReview)
            .where(
                CoachingReview.slack_team_id == message.team_id,
                CoachingReview.slack_channel_id == message.channel_id,
                CoachingReview.message_ts == message.ts,
                CoachingReview.reply_ts.is_(None),
                CoachingReview.updated_at <= now - LEASE,
            )
            .values(updated_at=now)
            .returning(CoachingReview.id)
        )
        return taken.scalar_one_or_none()
