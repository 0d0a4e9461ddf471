"""When the last reply in a channel was scheduled to go, apart from the channel's queue.

A reply waits for its turn in the channel first and takes a workspace slot only then, so a
burst in one channel never pushes the whole workspace's schedule into the future; this
column keeps two replies in a channel a full interval apart when the workspace delays one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_pace") as batch:
        batch.add_column(
            sa.Column("posted_at", sa.Float(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("post_pace") as batch:
        batch.drop_column("posted_at")
