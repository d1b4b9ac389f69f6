"""Accounts (identities for the HTTP API) and the secretaries of councils; congress calls
may let delegates register their own attendance.

The account tables are storage only, never the ledger: they hold hashes of enrolment
codes, login links, session and API tokens (SHA-256 of 128-bit random secrets) and of
passwords (argon2id), never a secret itself (docs/decisions/0016-accounts-and-roles.md).
``secretaries`` is a live table of the state (SecretaryAppointed/SecretaryDismissed on
the ledger); no ledger before this revision appoints one, so it starts empty.
``congresses.self_registration`` is false for every existing call.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "congresses",
        sa.Column("self_registration", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "secretaries",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("council", sa.String(200), sa.ForeignKey("councils.name"), nullable=False),
        sa.Column("member", sa.String(200), nullable=False),
        sa.Column("appointed_on", sa.Date, nullable=False),
        sa.Column("dismissed_on", sa.Date, nullable=True),
        sa.Index("ix_secretaries_council_member", "council", "member"),
        sa.Index("ix_secretaries_member", "member"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(500), nullable=False, unique=True),
        sa.Column("login", sa.String(500), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("admin", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.BigInteger, nullable=True),
    )
    for name in ("login_links", "web_sessions", "api_tokens"):
        columns: list[sa.schema.SchemaItem] = [
            sa.Column("token_hash", sa.String(64), primary_key=True),
            sa.Column(
                "account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False, index=True
            ),
        ]
        if name == "web_sessions":
            columns.append(sa.Column("csrf", sa.String(64), nullable=False))
        if name == "api_tokens":
            columns.append(sa.Column("name", sa.String(200), nullable=False))
        columns.append(sa.Column("created_at", sa.BigInteger, nullable=False))
        if name != "api_tokens":
            columns.append(sa.Column("expires_at", sa.BigInteger, nullable=False))
        op.create_table(name, *columns)


def downgrade() -> None:
    for name in ("api_tokens", "web_sessions", "login_links", "enrolment_codes", "accounts"):
        op.drop_table(name)
    op.drop_table("secretaries")
    op.drop_column("congresses", "self_registration")
