"""Units, oversight committees, commissioners attached to units, countersigned orders and
the actions taken on them (docs/decisions/0020-orders-and-countersignature.md).

Live tables of the state (OversightCommitteeFormed, UnitCreated, CommissionerAppointed,
OrderIssued ... on the ledger); no ledger before this revision records one, so they
start empty.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oversight_committees",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("council", sa.String(200), sa.ForeignKey("councils.name"), nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("formed_on", sa.Date, nullable=False),
        sa.Column("k", sa.Integer, nullable=True),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("required_roles", sa.Text, nullable=False),
        sa.Index("ix_oversight_committees_council", "council"),
    )
    op.create_table(
        "units",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("council", sa.String(200), sa.ForeignKey("councils.name"), nullable=False),
        sa.Column("created_on", sa.Date, nullable=False),
        sa.Column("constituency", sa.String(200), nullable=True),
        sa.Column(
            "committee",
            sa.String(200),
            sa.ForeignKey("oversight_committees.name"),
            nullable=True,
        ),
        sa.Column("restricted", sa.Text, nullable=False),
        sa.Index("ix_units_council", "council"),
        sa.Index("ix_units_constituency", "constituency"),
        sa.Index("ix_units_committee", "committee"),
    )
    op.create_table(
        "commissioners",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("unit", sa.String(200), sa.ForeignKey("units.name"), nullable=False),
        sa.Column("member", sa.String(200), nullable=False),
        sa.Column(
            "committee",
            sa.String(200),
            sa.ForeignKey("oversight_committees.name"),
            nullable=False,
        ),
        sa.Column("appointed_on", sa.Date, nullable=False),
        sa.Column("recalled_on", sa.Date, nullable=True),
        sa.Index("ix_commissioners_unit_member", "unit", "member"),
        sa.Index("ix_commissioners_member", "member"),
    )
    op.create_table(
        "unit_orders",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("unit", sa.String(200), sa.ForeignKey("units.name"), nullable=False),
        sa.Column("issuer", sa.String(200), nullable=False),
        sa.Column("by_commissioner", sa.Boolean, nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column(
            "committee",
            sa.String(200),
            sa.ForeignKey("oversight_committees.name"),
            nullable=False,
        ),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("countersigned_by", sa.Text, nullable=False),
        sa.Column("valid_on", sa.Date, nullable=True),
        sa.Column("returned_by", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("returned_on", sa.Date, nullable=True),
        sa.Index("ix_unit_orders_unit", "unit"),
    )
    op.create_table(
        "unit_actions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("unit", sa.String(200), sa.ForeignKey("units.name"), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("taken_by", sa.String(200), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("order_number", sa.Integer, sa.ForeignKey("unit_orders.number"), nullable=True),
        sa.Index("ix_unit_actions_unit", "unit"),
    )


def downgrade() -> None:
    for name in ("unit_actions", "unit_orders", "commissioners", "units", "oversight_committees"):
        op.drop_table(name)
