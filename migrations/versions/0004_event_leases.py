"""Leases, attempts and payloads on event claims, so unfinished work is re-driven.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("payload", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_event", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("payload")
        batch_op.drop_column("attempts")
        batch_op.drop_column("lease_until")
