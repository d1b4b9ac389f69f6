"""Consent workflows, workers' control (issue 11; Decree No. 1, 003:5747-5787).

Two new live tables, empty on every existing ledger (no event before this revision
fills them): ``consent_rules`` (which action types of a workplace need whose consent,
where disputes go, the deadline and default outcome) and ``workplace_actions`` (each
proposed action and how it was decided).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_rules",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("council", sa.String(200), sa.ForeignKey("councils.name"), nullable=False),
        sa.Column("workplace", sa.String(200), sa.ForeignKey("units.name"), nullable=False),
        sa.Column("actions", sa.Text, nullable=False),
        sa.Column("committee", sa.String(200), nullable=True),
        sa.Column("general", sa.String(200), nullable=True),
        sa.Column("escalation", sa.String(200), nullable=False),
        sa.Column("conciliation", sa.String(200), nullable=False),
        sa.Column("deadline_days", sa.Integer, nullable=False),
        sa.Column("default_outcome", sa.String(20), nullable=False),
        sa.Column("set_up_on", sa.Date, nullable=False),
    )
    op.create_table(
        "workplace_actions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("rule", sa.String(200), sa.ForeignKey("consent_rules.name"), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("committee", sa.String(200), nullable=False),
        sa.Column("proposed_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("final", sa.Boolean, nullable=False),
        sa.Column("effective", sa.Boolean, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("appeal", sa.String(200), nullable=True),
        sa.Index("ix_workplace_actions_rule", "rule"),
    )


def downgrade() -> None:
    op.drop_table("workplace_actions")
    op.drop_table("consent_rules")
