"""The ledger and the live tables of councils, constituencies, delegates and recall.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "councils",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("seat_rule", sa.Text, nullable=False),
        sa.Column("sections", sa.Text, nullable=False),
        sa.Column("sections_merged", sa.Boolean, nullable=False),
        sa.Column("recall_threshold", sa.String(40), nullable=False),
        sa.Column("recall_mode", sa.String(20), nullable=False),
        sa.Column("max_term_days", sa.Integer, nullable=True),
        sa.Column("calendar", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_table(
        "constituencies",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("council", sa.String(200), sa.ForeignKey("councils.name"), nullable=False),
        sa.Column("section", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(200), nullable=True),
        sa.Column("roll", sa.String(20), nullable=False),
        sa.Column("declared_headcount", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_constituencies_council", "constituencies", ["council"])
    op.create_table(
        "electors",
        sa.Column("elector", sa.String(200), primary_key=True),
        sa.Column(
            "constituency", sa.String(200), sa.ForeignKey("constituencies.name"), nullable=False
        ),
    )
    op.create_index("ix_electors_constituency", "electors", ["constituency"])
    op.create_table(
        "delegates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column(
            "constituency", sa.String(200), sa.ForeignKey("constituencies.name"), nullable=False
        ),
        sa.Column("seat", sa.Integer, nullable=False),
        sa.Column("group_name", sa.String(200), nullable=True),
        sa.Column("rights", sa.String(20), nullable=False),
        sa.Column("elected_on", sa.Date, nullable=False),
        sa.Column("term_days", sa.Integer, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("left_on", sa.Date, nullable=True),
    )
    op.create_index("ix_delegates_constituency", "delegates", ["constituency"])
    op.create_table(
        "mandates",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("delegate_id", sa.Integer, sa.ForeignKey("delegates.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("adopted_on", sa.Date, nullable=False),
    )
    op.create_table(
        "petitions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(
            "constituency", sa.String(200), sa.ForeignKey("constituencies.name"), nullable=False
        ),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
    )
    op.create_table(
        "petition_targets",
        sa.Column("petition_id", sa.Integer, sa.ForeignKey("petitions.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("delegate_id", sa.Integer, sa.ForeignKey("delegates.id"), nullable=False),
        sa.Column("replacement_name", sa.String(200), nullable=True),
        sa.Column("replacement_group", sa.String(200), nullable=True),
    )
    op.create_table(
        "signatures",
        sa.Column("petition_id", sa.Integer, sa.ForeignKey("petitions.id"), primary_key=True),
        sa.Column("elector", sa.String(200), primary_key=True),
        sa.Column("signed_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "signatures",
        "petition_targets",
        "petitions",
        "mandates",
        "delegates",
        "electors",
        "constituencies",
        "councils",
        "ledger_head",
        "ledger",
    ):
        op.drop_table(name)
