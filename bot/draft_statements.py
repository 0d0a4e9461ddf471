"""The draft path's two writes as single PostgreSQL statements, one round trip each.

``bot/drafts.py`` claims a delivery and stores its review before Slack gets its 200, then
records the reply and completes the claim. As transactions those cost BEGIN, two
statements and COMMIT each. PostgreSQL runs data-modifying CTEs atomically in one
statement, so on PostgreSQL each write is one autocommitted statement; SQLite, which has no
data-modifying CTEs, keeps the transactions. Built once with SQLAlchemy Core at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Executable, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert

from bot.event_claims import COMPLETE
from bot.models import CoachingReview, ProcessedEvent

_CLAIMS = ProcessedEvent.__table__
_REVIEWS = CoachingReview.__table__
_REVIEW_VALUES = (
    "slack_team_id",
    "slack_user_id",
    "slack_channel_id",
    "message_ts",
    "draft_text",
    "verdict",
    "confidence",
    "rule_ids",
    "outcome",
    "created_at",
    "updated_at",
)

_claim = (
    insert(_CLAIMS)
    .values(
        slack_team_id=bindparam("slack_team_id"),
        slack_event_id=bindparam("event_id"),
        claimed_at=bindparam("created_at"),
        lease_until=bindparam("lease_until"),
        attempts=1,
        payload=bindparam("payload"),
    )
    .on_conflict_do_nothing(index_elements=["slack_team_id", "slack_event_id"])
    .returning(_CLAIMS.c.id)
    .cte("claim")
)
# The review row only if the claim row was inserted: selected from the claim's RETURNING.
_review = (
    insert(_REVIEWS)
    .from_select(
        list(_REVIEW_VALUES),
        select(*(bindparam(name, type_=_REVIEWS.c[name].type) for name in _REVIEW_VALUES))
        .select_from(_claim)
        .limit(1),
    )
    .on_conflict_do_nothing(index_elements=["slack_team_id", "slack_channel_id", "message_ts"])
    .returning(_REVIEWS.c.id)
    .cte("review")
)
CLAIM_AND_STORE = select(
    select(func.count()).select_from(_claim).scalar_subquery().label("claimed"),
    select(_review.c.id).scalar_subquery().label("review_id"),
)

# Recording the reply: on its own in SQLite's transaction, a CTE of one statement here.
RECORD_REPLY = (
    update(_REVIEWS)
    .where(
        _REVIEWS.c.id == bindparam("review_id"),
        _REVIEWS.c.slack_team_id == bindparam("team"),
    )
    .values(reply_ts=bindparam("ts"), updated_at=bindparam("now"))
)
# PostgreSQL runs the CTE though the outer statement (completing the claim) never reads it.
RECORD_AND_COMPLETE = COMPLETE.add_cte(RECORD_REPLY.cte("record_reply"))


@dataclass(frozen=True)
class ClaimAndStore:
    claimed: bool  # False: the event id was claimed before (a retry, or a duplicate)
    review_id: int | None  # None: not stored (not claimed, or the message has a review)


class SingleStatementWrites:
    """Runs the statements above on their own autocommitted connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim_and_store(
        self, review: dict[str, Any], *, event_id: str, lease_until: datetime, payload: Any
    ) -> ClaimAndStore:
        params = {**review, "event_id": event_id, "lease_until": lease_until, "payload": payload}
        row = self._execute(CLAIM_AND_STORE, params)
        return ClaimAndStore(claimed=bool(row.claimed), review_id=row.review_id)

    def record_and_complete(
        self, *, team_id: str, event_id: str, review_id: int, reply_ts: str, now: datetime
    ) -> None:
        params = {"team": team_id, "event": event_id, "review_id": review_id, "ts": reply_ts}
        self._execute(RECORD_AND_COMPLETE, {**params, "now": now})

    def _execute(self, statement: Executable, params: dict[str, Any]) -> Any:
        """One statement, autocommitted; its single row if it returns rows."""
        with self._engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            result = connection.execute(statement, params)
            return result.one() if result.returns_rows else None
