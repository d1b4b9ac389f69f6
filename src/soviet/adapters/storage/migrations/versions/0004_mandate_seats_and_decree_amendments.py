"""Mandates keep the constituency and seat they were adopted for; an amendment may name
the passage it replaces; decrees keep the amendments folded into their text.

A seat's mandates are then listed across the delegates who held it, and a decree shows
which carried amendments made its consolidated text. Both are filled in for existing
rows from what the other tables already hold (the delegate's seat; the amendments
carried on the decree's motion, which is what the ledger recorded when it was adopted).

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mandates", sa.Column("constituency", sa.String(200), nullable=False,
                                        server_default=sa.text("''")))  # fmt: skip
    op.add_column("mandates", sa.Column("seat", sa.Integer, nullable=False, server_default="0"))
    op.execute(
        "UPDATE mandates SET constituency = "
        "(SELECT d.constituency FROM delegates d WHERE d.id = mandates.delegate_id), "
        "seat = (SELECT d.seat FROM delegates d WHERE d.id = mandates.delegate_id)"
    )
    op.create_index("ix_mandates_constituency", "mandates", ["constituency"])
    op.add_column("motions", sa.Column("replaces", sa.Text, nullable=True))
    op.add_column("decrees", sa.Column("amendments", sa.Text, nullable=False, server_default="[]"))
    conn = op.get_bind()
    decrees = conn.execute(sa.text("SELECT number, body, motion FROM decrees")).all()
    for number, body, motion in decrees:
        carried = conn.execute(
            sa.text(
                "SELECT number FROM motions WHERE congress = :body AND amends = :motion "
                "AND status = 'adopted' ORDER BY number"
            ),
            {"body": body, "motion": motion},
        ).scalars()
        conn.execute(
            sa.text("UPDATE decrees SET amendments = :a WHERE number = :n"),
            {"a": json.dumps(list(carried)), "n": number},
        )


def downgrade() -> None:
    op.drop_column("motions", "replaces")
    op.drop_column("decrees", "amendments")
    op.drop_index("ix_mandates_constituency", table_name="mandates")
    op.drop_column("mandates", "seat")
    op.drop_column("mandates", "constituency")
