"""Decrees that need named signatures, and the keys they are signed with (issue 11).

``executive_decrees`` gains ``issued_on`` (the issue day: before this revision the only
day, so it is copied from ``signed_on``), ``signatories`` and ``signatures`` (JSON
lists, empty for every existing decree) and ``awaiting`` (NULL: no existing decree waits
for a signature). The new table ``signing_keys`` is empty: no event before this revision
registers a key. So the live tables equal a replay of the ledger after the upgrade.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("executive_decrees") as batch:
        batch.add_column(sa.Column("issued_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("signatories", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("signatures", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("awaiting", sa.String(40), nullable=True))
    op.execute("UPDATE executive_decrees SET issued_on = signed_on")
    with op.batch_alter_table("executive_decrees") as batch:
        # The engine always writes both; the defaults only filled the existing rows.
        batch.alter_column("signatories", server_default=None)
        batch.alter_column("signatures", server_default=None)
    op.create_table(
        "signing_keys",
        sa.Column("holder", sa.String(200), primary_key=True),
        sa.Column("public_key", sa.String(64), nullable=False, unique=True),
        sa.Column("registered_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
    with op.batch_alter_table("executive_decrees") as batch:
        for column in ("awaiting", "signatures", "signatories", "issued_on"):
            batch.drop_column(column)
