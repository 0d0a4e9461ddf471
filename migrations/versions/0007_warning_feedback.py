"""Feedback on progress warnings ("Not helpful"), per rule id and key result.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warning_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("key_result_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_result.id"],
            name=op.f("fk_warning_feedback_key_result_id_key_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_feedback")),
        sa.UniqueConstraint(
            "slack_team_id",
            "slack_user_id",
            "rule_id",
            "key_result_id",
            name=op.f("uq_warning_feedback_slack_team_id_slack_user_id_rule_id_key_result_id"),
        ),
    )
    op.create_index(
        op.f("ix_warning_feedback_rule_id"), "warning_feedback", ["rule_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_warning_feedback_rule_id"), table_name="warning_feedback")
    op.drop_table("warning_feedback")
