"""Typed SQLAlchemy models. Every row is scoped by ``slack_team_id``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    # False: for drafts nobody saved, keep only the verdict and rule ids, not the text.
    keep_draft_text: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(255))
    tz: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Objective(Base):
    __tablename__ = "objective"
    __table_args__ = (
        Index("ix_objective_owner_cycle", "slack_team_id", "owner_slack_user_id", "cycle"),
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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

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
    # "pending", "saved" (became an objective) or "routine" (author agreed it is a task).
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ProcessedEvent(Base):
    """A claimed Slack ``event_id``: retries and duplicate deliveries find it and stop."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("slack_team_id", "slack_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_event_id: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
