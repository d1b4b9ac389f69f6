"""The council of commissioners, its department heads and its decrees (decision 0018).

New live tables, empty on every existing ledger (no event before this revision fills
them): ``commissioners_councils``, ``department_heads``, ``executive_decrees``.
Congress-adopted decrees stay in ``decrees`` ("adopted").

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commissioners_councils",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), nullable=False),
        sa.Column("ratifier", sa.String(200), nullable=False),
        sa.Column("formed_on", sa.Date, nullable=False),
        sa.Column("urgent_granted_by", sa.String(200), nullable=True),
        sa.Column("urgent_granted_on", sa.Date, nullable=True),
        sa.Column("urgent_days", sa.Integer, nullable=True),
    )
    op.create_table(
        "department_heads",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(
            "council",
            sa.String(200),
            sa.ForeignKey("commissioners_councils.name"),
            nullable=False,
        ),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("member", sa.String(200), nullable=False),
        sa.Column("appointed_by", sa.String(200), nullable=False),
        sa.Column("appointed_on", sa.Date, nullable=False),
        sa.Column("vote", sa.String(200), nullable=True),
        sa.Column("dismissed_on", sa.Date, nullable=True),
        sa.Column("dismissed_by", sa.String(200), nullable=True),
        sa.Column("dismissal_vote", sa.String(200), nullable=True),
        sa.Index("ix_department_heads_council_department", "council", "department"),
        sa.Index("ix_department_heads_member", "member"),
    )
    op.create_table(
        "executive_decrees",
        sa.Column("registry", sa.String(200), primary_key=True),
        sa.Column(
            "council",
            sa.String(200),
            sa.ForeignKey("commissioners_councils.name"),
            nullable=False,
        ),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("history", sa.Text, nullable=False),
        sa.Index("ix_executive_decrees_council", "council"),
    )


def downgrade() -> None:
    for name in ("executive_decrees", "department_heads", "commissioners_councils"):
        op.drop_table(name)
