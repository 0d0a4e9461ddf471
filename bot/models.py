"""Typed SQLAlchemy models. Every row is scoped by ``slack_team_id``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, UtcDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    # False: for drafts nobody saved, keep only the verdict and rule ids, not the text.
    keep_draft_text: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where the optional weekly digest goes; None turns the digest off.
    digest_channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(255))
    # IANA time zone from users.info / users.list, e.g. "Europe/Berlin".
    tz: Mapped[str | None] = mapped_column(String(64))
    # Deactivated in Slack, or left the workspace: never DM them.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Weekly reminder slot in the member's own time zone: Monday=0, minutes after midnight.
    reminder_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reminder_minute: Mapped[int] = mapped_column(Integer, default=540, server_default="540")
    # Cached conversations.open result, so the rate-limited call is paid once per member.
    slack_dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    # Set when a DM failed for good (user_disabled, channel_not_found): skip, don't retry.
    dm_blocked_reason: Mapped[str | None] = mapped_column(String(64))
    last_checkin_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    profile_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class Objective(Base):
    __tablename__ = "objective"
    __table_args__ = (
        Index("ix_objective_owner_cycle", "slack_team_id", "owner_slack_user_id", "cycle"),
        # One objective per reviewed draft, so a second click or a race never saves it twice.
        UniqueConstraint("slack_team_id", "source_review_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    owner_slack_user_id: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    # A quarter such as "2026-Q4".
    cycle: Mapped[str] = mapped_column(String(16))
    # "committed" or "aspirational".
    commitment: Mapped[str] = mapped_column(String(16), default="committed")
    # "active", "paused" or "closed".
    status: Mapped[str] = mapped_column(String(16), default="active")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id", ondelete="SET NULL"))
    source_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("coaching_review.id", ondelete="SET NULL")
    )
    # Final grade from 0.0 to 1.0, set when the cycle is graded.
    grade: Mapped[float | None] = mapped_column(Float)
    last_checkin_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Weekly reminders sent since the last check-in; three means ask to close or pause.
    reminders_ignored: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    key_results: Mapped[list[KeyResult]] = relationship(
        back_populates="objective",
        cascade="all, delete-orphan",
        order_by="KeyResult.position",
    )


class KeyResult(Base):
    __tablename__ = "key_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    metric: Mapped[str | None] = mapped_column(String(255))
    unit: Mapped[str | None] = mapped_column(String(32))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    current: Mapped[float | None] = mapped_column(Float)
    # Latest confidence from 1 to 10.
    confidence: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    objective: Mapped[Objective] = relationship(back_populates="key_results")


class CoachingReview(Base):
    """The bot's review of one draft message; one row per message, so an edit updates it."""

    __tablename__ = "coaching_review"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_channel_id", "message_ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    slack_channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    # The ts of the bot's threaded reply, once posted.
    reply_ts: Mapped[str | None] = mapped_column(String(32))
    # None when the workspace keeps only verdicts for drafts nobody saved.
    draft_text: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    rule_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "pending", "saved" or "saved_rewrite" (became an objective, as written or from the
    # coach's rewrite) or "routine" (the author agreed it is a task).
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ProcessedEvent(Base):
    """A claimed Slack ``event_id``: retries and duplicate deliveries find it and stop."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_event_id: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The claimant's lease; once it runs out an unfinished claim may be taken over.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # What is needed to finish the work if its worker dies; cleared on completion.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    last_error: Mapped[str | None] = mapped_column(String(255))


class CheckIn(Base):
    """One progress update on one key result (a check-in writes one row per key result)."""

    __tablename__ = "check_in"
    __table_args__ = (Index("ix_check_in_objective_created", "objective_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    key_result_id: Mapped[int] = mapped_column(
        ForeignKey("key_result.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float | None] = mapped_column(Float)
    # Progress from 0.0 to 1.0 at the time of the check-in.
    progress: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ReminderDelivery(Base):
    """One reminder to one member for one period, claimed before it is sent.

    The unique key makes every reminder idempotent: a rerun, a retry or a second clock
    finds the row and sends nothing.
    """

    __tablename__ = "reminder_delivery"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_user_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    # "weekly", "grade", "follow_up", "pause_prompt", "digest", ...
    kind: Mapped[str] = mapped_column(String(32))
    # The period it covers, e.g. an ISO week "2026-W48" or a cycle "2026-Q4".
    period: Mapped[str] = mapped_column(String(64))
    # "claimed", "sent", "failed" (will retry) or "gave_up".
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))
    slack_message_ts: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PostPace(Base):
    """When the next message may go to a channel (or anywhere in a workspace, scope "*").

    Every worker reserves its turn here before it posts a reply, so together they keep to
    Slack's limits, which count per app and workspace, not per process.
    """

    __tablename__ = "post_pace"
    __table_args__ = (UniqueConstraint("slack_team_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    # A channel id, or "*" for the workspace as a whole.
    scope: Mapped[str] = mapped_column(String(32))
    # Wall-clock seconds since the epoch: compared and moved in one statement on any backend.
    next_at: Mapped[float] = mapped_column(Float, default=0.0)
    # A channel's row only: when its latest reply was scheduled to reach Slack (next_at is
    # the channel's queue; the workspace may make a reply go later than its turn there).
    posted_at: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))


class FindingFeedback(Base):
    """A person said a finding was not helpful: counted per rule id."""

    __tablename__ = "finding_feedback"
    __table_args__ = (
        UniqueConstraint("slack_team_id", "coaching_review_id", "rule_id", "slack_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    coaching_review_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_review.id", ondelete="CASCADE")
    )
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WarningFeedback(Base):
    """A person said a progress warning was not helpful: counted per rule id, and that rule
    is no longer shown to them for that key result."""

    __tablename__ = "warning_feedback"
    __table_args__ = (
        UniqueConstraint("slack_team_id", "slack_user_id", "rule_id", "key_result_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    key_result_id: Mapped[int] = mapped_column(ForeignKey("key_result.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Installation(Base):
    """A workspace's install of the app (distributed mode). Tokens are encrypted at rest."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    slack_enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(255))
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(Text)
    # Fernet ciphertexts (see bot.crypto): the raw database never holds xoxb- or xoxe-.
    bot_token_encrypted: Mapped[str | None] = mapped_column(Text)
    bot_refresh_token_encrypted: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    installer_slack_user_id: Mapped[str | None] = mapped_column(String(32))
    # While set in the future, one process is refreshing the token; others wait for it.
    refresh_lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class OAuthState(Base):
    """A one-time ``state`` for the OAuth install flow, consumed on the redirect."""

    __tablename__ = "oauth_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
