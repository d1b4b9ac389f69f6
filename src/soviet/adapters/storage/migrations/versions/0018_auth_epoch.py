"""A database-wide counter of account changes that end a session or a password
(issue 10, decision 0026).

``auth_epoch`` holds one row, bumped in the same transaction as every logout, new
password and redeemed enrolment code. A server process trusts the sessions it has
cached while the counter is as it last read it (read again at most every
``SOVIET_AUTH_CACHE_SECONDS``), so a change made by another process (the CLI, a second
server) is seen within that bound, and a session is not read from the database on every
request.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "auth_epoch",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("epoch", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "epoch": 0}])


def downgrade() -> None:
    op.drop_table("auth_epoch")
