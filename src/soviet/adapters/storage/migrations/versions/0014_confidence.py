"""A council of commissioners that lost a vote of confidence resigns (issue 11).

Two nullable columns on ``commissioners_councils``: ``resigned_on`` and
``resigned_after`` (the body whose confidence it lost). No event before this revision
sets them, so every existing row keeps NULL.

Revision ID: 0014
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commissioners_councils") as batch:
        batch.add_column(sa.Column("resigned_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("resigned_after", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commissioners_councils") as batch:
        batch.drop_column("resigned_after")
        batch.drop_column("resigned_on")
