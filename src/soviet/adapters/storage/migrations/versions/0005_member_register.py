"""Member register: the names of electors imported from a member file, keyed by the
member id that is their elector key (so a rename keeps their signatures). No e-mail
column: contact data is not kept (docs/decisions/0011-member-register.md).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_names",
        sa.Column("elector", sa.String(200), sa.ForeignKey("electors.elector"), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("member_names")
