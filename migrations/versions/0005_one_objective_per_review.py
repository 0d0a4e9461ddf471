"""One objective per reviewed draft: a second "Use this rewrite" can no longer save it twice.

Objectives already saved twice from one review keep their rows; only the first keeps the link
to its review, so the unique key can be added.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_objective_slack_team_id_source_review_id"


def upgrade() -> None:
    op.execute(
        "UPDATE objective SET source_review_id = NULL "
        "WHERE source_review_id IS NOT NULL AND id NOT IN ("
        "SELECT first_id FROM (SELECT MIN(id) AS first_id FROM objective "
        "WHERE source_review_id IS NOT NULL GROUP BY slack_team_id, source_review_id) AS firsts)"
    )
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f(UNIQUE), ["slack_team_id", "source_review_id"])


def downgrade() -> None:
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(UNIQUE), type_="unique")
