"""A congress call may allow delegates from outside the sending councils; the ledger head
keeps the first and last date on record.

``congresses.outside_delegates`` is false for every existing call (no call allowed them
before). ``ledger_head.first_date``/``last_date`` are filled from the events already on
the ledger, read once here, so that the date check (``soviet.domain.dates``) knows the
organisation's range without reading the ledger on every command.

Revision ID: 0006
Revises: 0005
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "congresses",
        sa.Column("outside_delegates", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("ledger_head", sa.Column("first_date", sa.Date, nullable=True))
    op.add_column("ledger_head", sa.Column("last_date", sa.Date, nullable=True))
    from soviet.domain.dates import widen
    from soviet.domain.events import event_from_record

    conn = op.get_bind()
    span = None
    rows = conn.execute(sa.text("SELECT type, payload FROM ledger ORDER BY seq"))
    for type_name, payload in rows:
        span = widen(span, event_from_record(type_name, json.loads(payload)))
    if span is not None:
        conn.execute(
            sa.text("UPDATE ledger_head SET first_date = :f, last_date = :l WHERE id = 1"),
            {"f": span.first, "l": span.last},
        )


def downgrade() -> None:
    op.drop_column("ledger_head", "last_date")
    op.drop_column("ledger_head", "first_date")
    op.drop_column("congresses", "outside_delegates")
