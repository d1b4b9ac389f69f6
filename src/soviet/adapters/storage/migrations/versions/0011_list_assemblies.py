"""List assemblies and their frozen party lists (decision 0023).

New live tables, empty on every existing ledger (no event before this revision fills
them): ``assemblies`` (districts, rule, votes, members, seats and a split's attribution
as JSON text) and ``party_lists`` (one frozen list per assembly, district and party).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assemblies",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("districts", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("scope", sa.String(40), nullable=False),
        sa.Column("lists", sa.String(40), nullable=False),
        sa.Column("closing", sa.Date, nullable=False),
        sa.Column("term_days", sa.Integer, nullable=False),
        sa.Column("created_on", sa.Date, nullable=False),
        sa.Column("votes", sa.Text, nullable=False),
        sa.Column("personal", sa.Text, nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("seats", sa.Text, nullable=False),
        sa.Column("allocated_on", sa.Date, nullable=True),
        sa.Column("attribution", sa.Text, nullable=False),
        sa.Column("opening_quorum", sa.Integer, nullable=True),
        sa.Column("opened_on", sa.Date, nullable=True),
        sa.Column("present_at_opening", sa.Integer, nullable=True),
        sa.Column("recall_councils", sa.Text, nullable=False),
        sa.Column("recall_empowered_by", sa.String(200), nullable=True),
        sa.Column("recall_empowered_on", sa.Date, nullable=True),
        sa.Column("recalled", sa.Text, nullable=False),
        sa.Column("split_on", sa.Text, nullable=False),
        sa.Column("dissolved_on", sa.Date, nullable=True),
        sa.Column("dissolved_by", sa.String(200), nullable=True),
    )
    op.create_table(
        "party_lists",
        sa.Column("assembly", sa.String(200), sa.ForeignKey("assemblies.name"), primary_key=True),
        sa.Column("district", sa.String(200), primary_key=True),
        sa.Column("party", sa.String(200), primary_key=True),
        sa.Column("candidates", sa.Text, nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for name in ("party_lists", "assemblies"):
        op.drop_table(name)
