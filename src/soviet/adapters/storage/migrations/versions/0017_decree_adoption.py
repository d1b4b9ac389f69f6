"""Decrees adopted by the ratifying body or the congress itself, with their tally
(issue 11; 003:48585-48589).

``executive_decrees`` gains ``adopted_by`` (NULL: before this revision every decree was
the council's own) and ``tally`` (JSON, ``{}`` for every existing decree: none recorded
a vote) and ``congress_decree`` (NULL: none registered a congress's decree), so the
live tables equal a replay of the ledger after the upgrade.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("executive_decrees") as batch:
        batch.add_column(sa.Column("adopted_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("tally", sa.Text, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("congress_decree", sa.Integer, nullable=True))
    with op.batch_alter_table("executive_decrees") as batch:
        # The engine always writes it; the default only filled the existing rows.
        batch.alter_column("tally", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("executive_decrees") as batch:
        batch.drop_column("congress_decree")
        batch.drop_column("tally")
        batch.drop_column("adopted_by")
