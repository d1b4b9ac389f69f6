"""Congresses: credentials, attendance, groups, committees, motions, votes, decrees,
the secret ballot box, and which congresses a council may convene.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _to_credential() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["congress", "credential"], ["credentials.congress", "credentials.number"]
    )


def _to_vote() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"])


def upgrade() -> None:
    with op.batch_alter_table("councils") as batch:
        batch.add_column(sa.Column("may_convene", sa.Text, nullable=False, server_default="[]"))
    op.create_table(
        "congresses",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("convened_by", sa.String(200), nullable=False),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("called_on", sa.Date, nullable=False),
        sa.Column("quorum", sa.String(40), nullable=False),
        sa.Column("senders", sa.Text, nullable=False),
        sa.Column("max_credential_age_days", sa.Integer, nullable=True),
        sa.Column("previous", sa.String(200), sa.ForeignKey("congresses.name"), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("postponements", sa.Text, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("credentials_committee", sa.String(200), nullable=False),
    )
    op.create_table(
        "credentials",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("delegate", sa.String(200), nullable=False),
        sa.Column("sent_by", sa.String(200), nullable=False),
        sa.Column("elected_on", sa.Date, nullable=False),
        sa.Column("rights", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("ruled_by", sa.String(200), nullable=True),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("group_name", sa.String(200), nullable=True),
        sa.Column("present", sa.Boolean, nullable=False),
    )
    op.create_table(
        "group_changes",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, nullable=False),
        sa.Column("group_name", sa.String(200), nullable=True),
        sa.Column("changed_on", sa.Date, nullable=False),
        _to_credential(),
    )
    op.create_table(
        "attendance",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        _to_credential(),
    )
    op.create_table(
        "committees",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("elected_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("allocation", sa.Text, nullable=False),
        sa.Column("declined", sa.Text, nullable=False),
        sa.Column("mandate_ended_on", sa.Date, nullable=True),
    )
    op.create_table(
        "committee_members",
        sa.Column("congress", sa.String(200), primary_key=True),
        sa.Column("committee", sa.String(200), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("group_name", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["congress", "committee"], ["committees.congress", "committees.name"]
        ),
    )
    op.create_table(
        "motions",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("mover", sa.Integer, nullable=False),
        sa.Column("tabled_on", sa.Date, nullable=False),
        sa.Column("amends", sa.Integer, nullable=True),
        sa.Column("decree", sa.Boolean, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("without_debate", sa.Boolean, nullable=False),
        sa.Column("item", sa.Text, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["congress", "mover"], ["credentials.congress", "credentials.number"]
        ),
        sa.ForeignKeyConstraint(["congress", "amends"], ["motions.congress", "motions.number"]),
    )
    op.create_table(
        "votes",
        sa.Column("congress", sa.String(200), sa.ForeignKey("congresses.name"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("motion", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("majority", sa.String(40), nullable=False),
        sa.Column("abstentions", sa.String(20), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("ballots", sa.Text, nullable=False),
        sa.Column("entitled", sa.Text, nullable=False),
        sa.Column("present", sa.Text, nullable=False),
        sa.Column("carried", sa.Boolean, nullable=True),
        sa.Column("supersedes", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(["congress", "motion"], ["motions.congress", "motions.number"]),
        sa.ForeignKeyConstraint(["congress", "supersedes"], ["votes.congress", "votes.number"]),
    )
    op.create_table(
        "vote_roll",
        sa.Column("congress", sa.String(200), primary_key=True),
        sa.Column("vote", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("choice", sa.String(20), nullable=False),
        _to_vote(),
        _to_credential(),
    )
    op.create_table(
        "votes_cast",
        sa.Column("congress", sa.String(200), primary_key=True),
        sa.Column("vote", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("credential", sa.Integer, primary_key=True, autoincrement=False),
        _to_vote(),
        _to_credential(),
    )
    op.create_table(
        "decrees",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("adopted_on", sa.Date, nullable=False),
        sa.Column("body", sa.String(200), sa.ForeignKey("congresses.name"), nullable=False),
        sa.Column("motion", sa.Integer, nullable=False),
        sa.Column("tally", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["body", "motion"], ["motions.congress", "motions.number"]),
    )
    op.create_table(
        "ballot_box",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("congress", sa.String(200), nullable=False),
        sa.Column("vote", sa.Integer, nullable=False),
        sa.Column("choice", sa.String(20), nullable=False),
        _to_vote(),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_ballot_box_congress_vote", "ballot_box", ["congress", "vote"])


def downgrade() -> None:
    op.drop_index("ix_ballot_box_congress_vote", table_name="ballot_box")
    for name in (
        "ballot_box",
        "decrees",
        "votes_cast",
        "vote_roll",
        "votes",
        "motions",
        "committee_members",
        "committees",
        "attendance",
        "group_changes",
        "credentials",
        "congresses",
    ):
        op.drop_table(name)
    with op.batch_alter_table("councils") as batch:
        batch.drop_column("may_convene")
