"""Weighted votes, proxies and mandates that bind a vote (issue 11, decision 0022).

New columns: ``congresses.proxies_allowed`` (false for every existing call),
``credentials.weight`` (none declared), ``votes.weighted`` / ``weighted_counts`` /
``entitled_weight`` (no existing vote is weighted). New live tables, empty on every
existing ledger (no event before this revision fills them): ``proxies``,
``vote_weights``, ``vote_proxies``, ``mandate_bindings``, ``vote_recalls``.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "congresses",
        sa.Column("proxies_allowed", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("credentials", sa.Column("weight", sa.Integer, nullable=True))
    op.add_column(
        "votes", sa.Column("weighted", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column(
        "votes", sa.Column("weighted_counts", sa.Text, nullable=False, server_default="{}")
    )
    op.add_column("votes", sa.Column("entitled_weight", sa.BigInteger, nullable=True))
    op.create_table(
        "proxies",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("giver", sa.Integer, nullable=False),
        sa.Column("holder", sa.Integer, nullable=False),
        sa.Column("granted_on", sa.Date, nullable=False),
        sa.Column("revoked_on", sa.Date, nullable=True),
        sa.ForeignKeyConstraint(
            ["congress", "giver"], ["credentials.congress", "credentials.number"]
        ),
        sa.ForeignKeyConstraint(
            ["congress", "holder"], ["credentials.congress", "credentials.number"]
        ),
        sa.Index("ix_proxies_giver", "congress", "giver", "revoked_on"),
        sa.Index("ix_proxies_holder", "congress", "holder", "revoked_on"),
    )
    op.create_table(
        "vote_weights",
        sa.Column("congress", sa.String(200), primary_key=True),
        sa.Column("vote", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("weight", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    )
    op.create_table(
        "vote_proxies",
        sa.Column("congress", sa.String(200), primary_key=True),
        sa.Column("vote", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("holder", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    )
    op.create_table(
        "mandate_bindings",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("mandate", sa.Integer, sa.ForeignKey("mandates.number"), nullable=False),
        sa.Column("delegate_id", sa.Integer, sa.ForeignKey("delegates.id"), nullable=False),
        sa.Column("congress", sa.String(200), nullable=False),
        sa.Column("motion", sa.Integer, nullable=False),
        sa.Column("position", sa.String(20), nullable=False),
        sa.Column("bound_on", sa.Date, nullable=False),
        sa.ForeignKeyConstraint(["congress", "motion"], ["motions.congress", "motions.number"]),
        sa.Index("ix_mandate_bindings_motion", "congress", "motion", "mandate"),
    )
    op.create_table(
        "vote_recalls",
        sa.Column("petition", sa.Integer, sa.ForeignKey("petitions.id"), primary_key=True),
        sa.Column("congress", sa.String(200), nullable=False),
        sa.Column("vote", sa.Integer, nullable=False),
        sa.Column("bindings", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
        sa.Index("ix_vote_recalls_vote", "congress", "vote"),
    )


def downgrade() -> None:
    for name in ("vote_recalls", "mandate_bindings", "vote_proxies", "vote_weights", "proxies"):
        op.drop_table(name)
    for column in ("entitled_weight", "weighted_counts", "weighted"):
        op.drop_column("votes", column)
    op.drop_column("credentials", "weight")
    op.drop_column("congresses", "proxies_allowed")
