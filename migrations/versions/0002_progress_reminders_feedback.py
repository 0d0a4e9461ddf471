"""Check-ins, reminder deliveries, finding feedback and reminder preferences.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("slack_message_ts", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_delivery")),
        sa.UniqueConstraint(
            "slack_team_id",
            "slack_user_id",
            "kind",
            "period",
            name=op.f("uq_reminder_delivery_slack_team_id_slack_user_id_kind_period"),
        ),
    )
    op.create_table(
        "finding_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("coaching_review_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coaching_review_id"],
            ["coaching_review.id"],
            name=op.f("fk_finding_feedback_coaching_review_id_coaching_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_feedback")),
        sa.UniqueConstraint(
            "slack_team_id",
            "coaching_review_id",
            "rule_id",
            "slack_user_id",
            name=op.f("uq_finding_feedback_slack_team_id_coaching_review_id_rule_id_slack_user_id"),
        ),
    )
    with op.batch_alter_table("finding_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_feedback_rule_id"), ["rule_id"], unique=False)

    op.create_table(
        "check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("key_result_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_result.id"],
            name=op.f("fk_check_in_key_result_id_key_result"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objective.id"],
            name=op.f("fk_check_in_objective_id_objective"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in")),
    )
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_in_key_result_id"), ["key_result_id"], unique=False
        )
        batch_op.create_index(
            "ix_check_in_objective_created", ["objective_id", "created_at"], unique=False
        )

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminder_weekday", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reminder_minute", sa.Integer(), server_default="540", nullable=False)
        )
        batch_op.add_column(sa.Column("slack_dm_channel_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("dm_blocked_reason", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("last_checkin_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("profile_synced_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_checkin_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("reminders_ignored", sa.Integer(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_channel_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("digest_channel_id")

    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_column("reminders_ignored")
        batch_op.drop_column("last_checkin_at")

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("profile_synced_at")
        batch_op.drop_column("last_checkin_at")
        batch_op.drop_column("dm_blocked_reason")
        batch_op.drop_column("slack_dm_channel_id")
        batch_op.drop_column("reminder_minute")
        batch_op.drop_column("reminder_weekday")
        batch_op.drop_column("reminders_enabled")
        batch_op.drop_column("deleted")

    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.drop_index("ix_check_in_objective_created")
        batch_op.drop_index(batch_op.f("ix_check_in_key_result_id"))

    op.drop_table("check_in")
    with op.batch_alter_table("finding_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_feedback_rule_id"))

    op.drop_table("finding_feedback")
    op.drop_table("reminder_delivery")
