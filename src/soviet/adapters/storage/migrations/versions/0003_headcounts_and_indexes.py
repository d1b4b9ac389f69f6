"""Named rolls keep their headcount; indexes for the questions commands ask by field.

A command now reads only the rows it needs (an elector by name, a congress's open vote,
a body's credentials...), so the columns it asks by get indexes. The constituency's
``declared_headcount`` becomes ``headcount`` and holds the roll's size for named rolls
too (kept as electors are enrolled, moved and removed), so no command counts electors.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_petitions_constituency_status": ("petitions", ["constituency", "status"]),
    "ix_petitions_status": ("petitions", ["status"]),
    # sent_by first and status with it: "how many has this body sent, rejected ones
    # apart" is answered from the index alone (a status index of its own would tempt
    # SQLite's planner into scanning every credential of one status).
    "ix_credentials_sent_by": ("credentials", ["congress", "sent_by", "status"]),
    "ix_credentials_delegate": ("credentials", ["congress", "delegate"]),
    "ix_credentials_status": ("credentials", ["congress", "status"]),
    "ix_motions_amends": ("motions", ["congress", "amends"]),
    "ix_votes_status": ("votes", ["congress", "status"]),
    "ix_votes_supersedes": ("votes", ["congress", "supersedes"]),
}


def upgrade() -> None:
    # A plain RENAME COLUMN (SQLite >= 3.25, PostgreSQL): a batch copy of the table would
    # have to drop a table that others reference.
    op.execute("ALTER TABLE constituencies RENAME COLUMN declared_headcount TO headcount")
    op.execute(
        sa.text(
            "UPDATE constituencies SET headcount = (SELECT COUNT(*) FROM electors "
            "WHERE electors.constituency = constituencies.name) WHERE roll = 'named'"
        )
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    op.execute("UPDATE constituencies SET headcount = 0 WHERE roll = 'named'")
    op.execute("ALTER TABLE constituencies RENAME COLUMN headcount TO declared_headcount")
