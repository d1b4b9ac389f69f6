"""The schema: the append-only ledger and the live state tables it projects to."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)

from soviet.adapters.storage import schema

metadata = MetaData()

ledger = Table(
    "ledger",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("type", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

# One row: the last sequence number and hash. Writers lock it, so commands serialise
# and the chain never forks; verification compares it with the chain's end.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    # The first and last date the recorded events carry (soviet.domain.dates): commands
    # dated far outside them are refused unless forced.
    Column("first_date", Date, nullable=True),
    Column("last_date", Date, nullable=True),
)

councils = Table(
    "councils",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("seat_rule", Text, nullable=False),
    Column("sections", Text, nullable=False),
    Column("sections_merged", Boolean, nullable=False),
    Column("recall_threshold", String(40), nullable=False),
    Column("recall_mode", String(20), nullable=False),
    Column("max_term_days", Integer, nullable=True),
    Column("calendar", String(20), nullable=False),
    Column("description", Text, nullable=False),
    # JSON list of the congresses this council may convene ("*": any).
    Column("may_convene", Text, nullable=False, server_default="[]"),
)

constituencies = Table(
    "constituencies",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("council", String(200), ForeignKey("councils.name"), nullable=False, index=True),
    Column("section", String(200), nullable=True),
    Column("kind", String(200), nullable=True),
    Column("roll", String(20), nullable=False),
    # The roll's size: declared for a numbered roll, kept as electors come and go for a
    # named one.
    Column("headcount", BigInteger, nullable=False),
)

electors = Table(
    "electors",
    metadata,
    Column("elector", String(200), primary_key=True),
    Column(
        "constituency", String(200), ForeignKey("constituencies.name"), nullable=False, index=True
    ),
)

# The names of electors imported from a member register: the elector key is the member
# id (stable, what petitions and signatures name), the name may change. An elector
# enrolled by name has no row here. No e-mail: see docs/decisions/0011.
member_names = Table(
    "member_names",
    metadata,
    Column("elector", String(200), ForeignKey("electors.elector"), primary_key=True),
    Column("name", String(200), nullable=False),
)

delegates = Table(
    "delegates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column(
        "constituency", String(200), ForeignKey("constituencies.name"), nullable=False, index=True
    ),
    Column("seat", Integer, nullable=False),
    Column("group_name", String(200), nullable=True),
    Column("rights", String(20), nullable=False),
    Column("elected_on", Date, nullable=False),
    Column("term_days", Integer, nullable=True),
    Column("status", String(20), nullable=False),
    Column("left_on", Date, nullable=True),
)

mandates = Table(
    "mandates",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("delegate_id", Integer, ForeignKey("delegates.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("constituency", String(200), nullable=False, server_default=text("''"), index=True),
    Column("seat", Integer, nullable=False, server_default="0"),
)

petitions = Table(
    "petitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("constituency", String(200), ForeignKey("constituencies.name"), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("opened_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("closed_on", Date, nullable=True),
    Index("ix_petitions_constituency_status", "constituency", "status"),
    Index("ix_petitions_status", "status"),
)

# The delegates a petition would recall, in order, with the replacement named for each.
petition_targets = Table(
    "petition_targets",
    metadata,
    Column("petition_id", Integer, ForeignKey("petitions.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("delegate_id", Integer, ForeignKey("delegates.id"), nullable=False),
    Column("replacement_name", String(200), nullable=True),
    Column("replacement_group", String(200), nullable=True),
)

signatures = Table(
    "signatures",
    metadata,
    Column("petition_id", Integer, ForeignKey("petitions.id"), primary_key=True),
    Column("elector", String(200), primary_key=True),
    Column("signed_on", Date, nullable=False),
)

# --- congresses ----------------------------------------------------------------------
# Dicts and lists of plain values are JSON text (json.dumps(sort_keys=True)); records
# that are queried on their own (credentials, attendance, votes...) have tables.
congresses = Table(
    "congresses",
    metadata,
    Column("name", String(200), primary_key=True),
    # A council, or "CONGRESS/COMMITTEE" for the previous congress's executive.
    Column("convened_by", String(200), nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("called_on", Date, nullable=False),
    Column("quorum", String(40), nullable=False),
    Column("senders", Text, nullable=False),
    Column("max_credential_age_days", Integer, nullable=True),
    Column("previous", String(200), ForeignKey("congresses.name"), nullable=True),
    Column("status", String(20), nullable=False),
    Column("postponements", Text, nullable=False),
    Column("agenda", Text, nullable=False),
    Column("credentials_committee", String(200), nullable=False),
    # The call lets councils send delegates who are not their own delegates.
    Column("outside_delegates", Boolean, nullable=False, server_default=false()),
    # Delegates may register their own arrival and departure.
    Column("self_registration", Boolean, nullable=False, server_default=false()),
    # Delegates may give their vote to another delegate (issue 11, decision 0022).
    Column("proxies_allowed", Boolean, nullable=False, server_default=false()),
)

credentials = Table(
    "credentials",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("delegate", String(200), nullable=False),
    Column("sent_by", String(200), nullable=False),
    Column("elected_on", Date, nullable=False),
    Column("rights", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    Column("ruled_by", String(200), nullable=True),
    Column("problems", Text, nullable=False),
    Column("group_name", String(200), nullable=True),
    Column("present", Boolean, nullable=False),
    # A declared weight in weighted votes (NULL: weighed by the constituency's headcount).
    Column("weight", Integer, nullable=True),
    Index("ix_credentials_sent_by", "congress", "sent_by", "status"),
    Index("ix_credentials_delegate", "congress", "delegate"),
    Index("ix_credentials_status", "congress", "status"),
)

# The history of group declarations, in order (group sizes at any moment).
group_changes = Table(
    "group_changes",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, nullable=False),
    Column("group_name", String(200), nullable=True),
    Column("changed_on", Date, nullable=False),
    ForeignKeyConstraint(
        ["congress", "credential"], ["credentials.congress", "credentials.number"]
    ),
)

# Arrivals and departures (walk-outs) in order.
attendance = Table(
    "attendance",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, nullable=False),
    Column("present", Boolean, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("reason", Text, nullable=True),
    ForeignKeyConstraint(
        ["congress", "credential"], ["credentials.congress", "credentials.number"]
    ),
)

# Presidium, executive committees and single posts; position is the election order.
committees = Table(
    "committees",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("elected_on", Date, nullable=False),
    Column("method", String(100), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("allocation", Text, nullable=False),
    Column("declined", Text, nullable=False),
    Column("mandate_ended_on", Date, nullable=True),
)

committee_members = Table(
    "committee_members",
    metadata,
    Column("congress", String(200), primary_key=True),
    Column("committee", String(200), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("group_name", String(200), nullable=True),
    ForeignKeyConstraint(["congress", "committee"], ["committees.congress", "committees.name"]),
)

motions = Table(
    "motions",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("mover", Integer, nullable=False),
    Column("tabled_on", Date, nullable=False),
    Column("amends", Integer, nullable=True),
    Column("decree", Boolean, nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("without_debate", Boolean, nullable=False),
    Column("item", Text, nullable=True),
    Column("status", String(20), nullable=False),
    Column("position", Integer, nullable=False),
    # The passage of the amended motion an amendment's text replaces (NULL: it adds).
    Column("replaces", Text, nullable=True),
    ForeignKeyConstraint(["congress", "mover"], ["credentials.congress", "credentials.number"]),
    ForeignKeyConstraint(["congress", "amends"], ["motions.congress", "motions.number"]),
    Index("ix_motions_amends", "congress", "amends"),
)

# A vote on a motion. counts, the snapshot of who was entitled and present when it
# closed (credential numbers) and a closed secret vote's ballots (sorted, no voter)
# are JSON text.
votes = Table(
    "votes",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("motion", Integer, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("mode", String(20), nullable=False),
    Column("majority", String(40), nullable=False),
    Column("abstentions", String(20), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("counts", Text, nullable=False),
    Column("ballots", Text, nullable=False),
    Column("entitled", Text, nullable=False),
    Column("present", Text, nullable=False),
    Column("carried", Boolean, nullable=True),
    Column("supersedes", Integer, nullable=True),
    # Weighted votes (decision 0022): the tally by weight (JSON) and the entitled weight.
    Column("weighted", Boolean, nullable=False, server_default=false()),
    Column("weighted_counts", Text, nullable=False, server_default="{}"),
    Column("entitled_weight", BigInteger, nullable=True),
    ForeignKeyConstraint(["congress", "motion"], ["motions.congress", "motions.number"]),
    ForeignKeyConstraint(["congress", "supersedes"], ["votes.congress", "votes.number"]),
    Index("ix_votes_status", "congress", "status"),
    Index("ix_votes_supersedes", "congress", "supersedes"),
)

# A roll call: each delegate's public vote.
vote_roll = Table(
    "vote_roll",
    metadata,
    Column("congress", String(200), primary_key=True),
    Column("vote", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, primary_key=True, autoincrement=False),
    Column("choice", String(20), nullable=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    ForeignKeyConstraint(
        ["congress", "credential"], ["credentials.congress", "credentials.number"]
    ),
)

# A secret ballot: who has voted, and nothing about how (the choices are in ballot_box).
votes_cast = Table(
    "votes_cast",
    metadata,
    Column("congress", String(200), primary_key=True),
    Column("vote", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, primary_key=True, autoincrement=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    ForeignKeyConstraint(
        ["congress", "credential"], ["credentials.congress", "credentials.number"]
    ),
)

decrees = Table(
    "decrees",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("body", String(200), ForeignKey("congresses.name"), nullable=False),
    Column("motion", Integer, nullable=False),
    Column("tally", Text, nullable=False),
    Column("amendments", Text, nullable=False, server_default="[]"),
    ForeignKeyConstraint(["body", "motion"], ["motions.congress", "motions.number"]),
)

# The ballot box of open secret votes: not part of the organisation's state (never
# loaded, never replayed). A ballot is a random id and a choice: no voter, no time, no
# sequence; WITHOUT ROWID on SQLite so rows are stored in random-id order, not in the
# order they were cast. Emptied when the vote closes (the ballots are then on the ledger).
ballot_box = Table(
    "ballot_box",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("congress", String(200), nullable=False),
    Column("vote", Integer, nullable=False),
    Column("choice", String(20), nullable=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    Index("ix_ballot_box_congress_vote", "congress", "vote"),
    sqlite_with_rowid=False,
)

# Appointments of members as secretaries of councils (a domain fact, on the ledger:
# SecretaryAppointed/SecretaryDismissed); kept, numbered, when they end.
secretaries = Table(
    "secretaries",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("council", String(200), ForeignKey("councils.name"), nullable=False),
    Column("member", String(200), nullable=False),
    Column("appointed_on", Date, nullable=False),
    Column("dismissed_on", Date, nullable=True),
    Index("ix_secretaries_council_member", "council", "member"),
    Index("ix_secretaries_member", "member"),
)

# --- orders: units, oversight committees, commissioners, countersigned orders ---------
# Live tables of the state (domain/orders.py); lists and mappings are JSON text.
oversight_committees = Table(
    "oversight_committees",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("council", String(200), ForeignKey("councils.name"), nullable=False),
    Column("members", Text, nullable=False),
    Column("rule", String(20), nullable=False),
    Column("formed_on", Date, nullable=False),
    Column("k", Integer, nullable=True),
    Column("roles", Text, nullable=False),
    Column("required_roles", Text, nullable=False),
    Index("ix_oversight_committees_council", "council"),
)

units = Table(
    "units",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("council", String(200), ForeignKey("councils.name"), nullable=False),
    Column("created_on", Date, nullable=False),
    Column("constituency", String(200), nullable=True),
    Column("committee", String(200), ForeignKey("oversight_committees.name"), nullable=True),
    Column("restricted", Text, nullable=False),
    Index("ix_units_council", "council"),
    Index("ix_units_constituency", "constituency"),
    Index("ix_units_committee", "committee"),
)

commissioners = Table(
    "commissioners",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("unit", String(200), ForeignKey("units.name"), nullable=False),
    Column("member", String(200), nullable=False),
    Column("committee", String(200), ForeignKey("oversight_committees.name"), nullable=False),
    Column("appointed_on", Date, nullable=False),
    Column("recalled_on", Date, nullable=True),
    Index("ix_commissioners_unit_member", "unit", "member"),
    Index("ix_commissioners_member", "member"),
)

unit_orders = Table(
    "unit_orders",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("unit", String(200), ForeignKey("units.name"), nullable=False),
    Column("issuer", String(200), nullable=False),
    Column("by_commissioner", Boolean, nullable=False),
    Column("action", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("committee", String(200), ForeignKey("oversight_committees.name"), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("countersigned_by", Text, nullable=False),
    Column("valid_on", Date, nullable=True),
    Column("returned_by", String(200), nullable=True),
    Column("reason", Text, nullable=True),
    Column("returned_on", Date, nullable=True),
    Index("ix_unit_orders_unit", "unit"),
)

unit_actions = Table(
    "unit_actions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("unit", String(200), ForeignKey("units.name"), nullable=False),
    Column("action", String(200), nullable=False),
    Column("taken_by", String(200), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("order_number", Integer, ForeignKey("unit_orders.number"), nullable=True),
    Index("ix_unit_actions_unit", "unit"),
)

# --- identities: storage only, never the ledger (docs/decisions/0016) -----------------
# Secrets are kept only as hashes: SHA-256 of 128-bit random codes and tokens, argon2id
# of passwords. Times are UTC seconds since the epoch.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # What links the account to the domain: member:<id>, credential:<congress>:<n>,
    # admin:<name>.
    Column("subject", String(500), nullable=False, unique=True),
    # What the holder types to log in: the member id, CONGRESS:N, or the admin's name.
    Column("login", String(500), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("admin", Boolean, nullable=False, server_default=false()),
    Column("password_hash", String(200), nullable=True),
    Column("created_at", BigInteger, nullable=False),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    # One code per account: issuing another replaces (invalidates) the old one.
    Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("issued_at", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
)

login_links = Table(
    "login_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# --- weighted votes, proxies, mandates against votes (issue 11, decision 0022) ---------
# A delegate's vote given to another delegate of the congress, standing until revoked.
proxies = Table(
    "proxies",
    metadata,
    Column("congress", String(200), ForeignKey("congresses.name"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("giver", Integer, nullable=False),
    Column("holder", Integer, nullable=False),
    Column("granted_on", Date, nullable=False),
    Column("revoked_on", Date, nullable=True),
    ForeignKeyConstraint(["congress", "giver"], ["credentials.congress", "credentials.number"]),
    ForeignKeyConstraint(["congress", "holder"], ["credentials.congress", "credentials.number"]),
    Index("ix_proxies_giver", "congress", "giver", "revoked_on"),
    Index("ix_proxies_holder", "congress", "holder", "revoked_on"),
)

# The weight of each ballot of a weighted vote (roll calls only: public, like the roll).
vote_weights = Table(
    "vote_weights",
    metadata,
    Column("congress", String(200), primary_key=True),
    Column("vote", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, primary_key=True, autoincrement=False),
    Column("weight", BigInteger, nullable=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
)

# Ballots of a roll call cast by proxy: the giver's credential and the holder who cast it.
vote_proxies = Table(
    "vote_proxies",
    metadata,
    Column("congress", String(200), primary_key=True),
    Column("vote", Integer, primary_key=True, autoincrement=False),
    Column("credential", Integer, primary_key=True, autoincrement=False),
    Column("holder", Integer, nullable=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
)

# A mandate's instruction on one congress motion: for, against or free.
mandate_bindings = Table(
    "mandate_bindings",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("mandate", Integer, ForeignKey("mandates.number"), nullable=False),
    Column("delegate_id", Integer, ForeignKey("delegates.id"), nullable=False),
    Column("congress", String(200), nullable=False),
    Column("motion", Integer, nullable=False),
    Column("position", String(20), nullable=False),
    Column("bound_on", Date, nullable=False),
    ForeignKeyConstraint(["congress", "motion"], ["motions.congress", "motions.number"]),
    Index("ix_mandate_bindings_motion", "congress", "motion", "mandate"),
)

# A recall petition opened citing the vote in which its delegates broke their mandates.
vote_recalls = Table(
    "vote_recalls",
    metadata,
    Column("petition", Integer, ForeignKey("petitions.id"), primary_key=True),
    Column("congress", String(200), nullable=False),
    Column("vote", Integer, nullable=False),
    Column("bindings", Text, nullable=False),
    ForeignKeyConstraint(["congress", "vote"], ["votes.congress", "votes.number"]),
    Index("ix_vote_recalls_vote", "congress", "vote"),
)

# One row: bumped by every logout, new password or redeemed code, so that a process
# trusting its cached sessions sees another process's change (decision 0026).
auth_epoch = Table(
    "auth_epoch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("epoch", BigInteger, nullable=False),
)

ACCOUNT_TABLES = (accounts, enrolment_codes, login_links, web_sessions, api_tokens, auth_epoch)

# --- executive: council of commissioners, department heads, decrees -----------------
commissioners_councils = Table(
    "commissioners_councils",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("congress", String(200), ForeignKey("congresses.name"), nullable=False),
    Column("ratifier", String(200), nullable=False),
    Column("formed_on", Date, nullable=False),
    Column("urgent_granted_by", String(200), nullable=True),
    Column("urgent_granted_on", Date, nullable=True),
    Column("urgent_days", Integer, nullable=True),
    Column("resigned_on", Date, nullable=True),
    Column("resigned_after", String(200), nullable=True),
)

department_heads = Table(
    "department_heads",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("council", String(200), ForeignKey("commissioners_councils.name"), nullable=False),
    Column("department", String(200), nullable=False),
    Column("member", String(200), nullable=False),
    Column("appointed_by", String(200), nullable=False),
    Column("appointed_on", Date, nullable=False),
    Column("vote", String(200), nullable=True),
    Column("dismissed_on", Date, nullable=True),
    Column("dismissed_by", String(200), nullable=True),
    Column("dismissal_vote", String(200), nullable=True),
    Index("ix_department_heads_council_department", "council", "department"),
    Index("ix_department_heads_member", "member"),
)

executive_decrees = Table(
    "executive_decrees",
    metadata,
    Column("registry", String(200), primary_key=True),
    Column("council", String(200), ForeignKey("commissioners_councils.name"), nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("department", String(200), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("status", String(40), nullable=False),
    Column("history", Text, nullable=False),
    Column("issued_on", Date, nullable=True),
    Column("signatories", Text, nullable=False),
    Column("signatures", Text, nullable=False),
    Column("awaiting", String(40), nullable=True),
    Column("adopted_by", String(200), nullable=True),
    Column("tally", Text, nullable=False),
    Column("congress_decree", Integer, nullable=True),
    Index("ix_executive_decrees_council", "council"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("holder", String(200), primary_key=True),
    Column("public_key", String(64), nullable=False, unique=True),
    Column("registered_on", Date, nullable=False),
)

# --- consent workflows (workers' control): actions is JSON text -------------------------
consent_rules = Table(
    "consent_rules",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("council", String(200), ForeignKey("councils.name"), nullable=False),
    Column("workplace", String(200), ForeignKey("units.name"), nullable=False),
    Column("actions", Text, nullable=False),
    Column("committee", String(200), nullable=True),
    Column("general", String(200), nullable=True),
    Column("escalation", String(200), nullable=False),
    Column("conciliation", String(200), nullable=False),
    Column("deadline_days", Integer, nullable=False),
    Column("default_outcome", String(20), nullable=False),
    Column("set_up_on", Date, nullable=False),
)

workplace_actions = Table(
    "workplace_actions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("rule", String(200), ForeignKey("consent_rules.name"), nullable=False),
    Column("action", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("committee", String(200), nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("final", Boolean, nullable=False),
    Column("effective", Boolean, nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_on", Date, nullable=True),
    Column("reason", Text, nullable=True),
    Column("appeal", String(200), nullable=True),
    Index("ix_workplace_actions_rule", "rule"),
)

# --- list assemblies (issue 12): dict fields are JSON text --------------------------
assemblies = Table(
    "assemblies",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("districts", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("scope", String(40), nullable=False),
    Column("lists", String(40), nullable=False),
    Column("closing", Date, nullable=False),
    Column("term_days", Integer, nullable=False),
    Column("created_on", Date, nullable=False),
    Column("votes", Text, nullable=False),
    Column("personal", Text, nullable=False),
    Column("members", Text, nullable=False),
    Column("seats", Text, nullable=False),
    Column("allocated_on", Date, nullable=True),
    Column("attribution", Text, nullable=False),
    Column("opening_quorum", Integer, nullable=True),
    Column("opened_on", Date, nullable=True),
    Column("present_at_opening", Integer, nullable=True),
    Column("recall_councils", Text, nullable=False),
    Column("recall_empowered_by", String(200), nullable=True),
    Column("recall_empowered_on", Date, nullable=True),
    Column("recalled", Text, nullable=False),
    Column("split_on", Text, nullable=False),
    Column("dissolved_on", Date, nullable=True),
    Column("dissolved_by", String(200), nullable=True),
)

party_lists = Table(
    "party_lists",
    metadata,
    Column("assembly", String(200), ForeignKey("assemblies.name"), primary_key=True),
    Column("district", String(200), primary_key=True),
    Column("party", String(200), primary_key=True),
    Column("candidates", Text, nullable=False),
    Column("registered_on", Date, nullable=False),
)

# Parents before children: inserts run in this order, deletes in reverse.
STATE_TABLES = (
    councils,
    constituencies,
    electors,
    member_names,
    secretaries,
    delegates,
    mandates,
    petitions,
    petition_targets,
    signatures,
    congresses,
    credentials,
    group_changes,
    attendance,
    committees,
    committee_members,
    motions,
    votes,
    vote_roll,
    votes_cast,
    decrees,
    # orders
    oversight_committees,
    units,
    commissioners,
    unit_orders,
    unit_actions,
    # weighted votes, proxies, mandates against votes (issue 11)
    proxies,
    vote_weights,
    vote_proxies,
    mandate_bindings,
    vote_recalls,
    # --- executive ---
    commissioners_councils,
    department_heads,
    executive_decrees,
    signing_keys,
    consent_rules,
    workplace_actions,
    # --- list assemblies ---
    assemblies,
    party_lists,
)


def spec_of(table: Table) -> schema.TableSpec:
    """What ``schema`` says of a table, read from its SQLAlchemy definition."""
    return schema.TableSpec(
        table.name,
        tuple(c.name for c in table.columns),
        tuple(c.name for c in table.primary_key.columns),
        frozenset(c.name for c in table.columns if isinstance(c.type, Date)),
        frozenset(c.name for c in table.columns if isinstance(c.type, Boolean)),
    )


# The stdlib read path (verify on SQLite) knows the tables from schema.py alone: refuse
# to start with a definition here that it does not know of.
for _table, _spec in zip(
    (ledger, ledger_head, *STATE_TABLES),
    (schema.LEDGER, schema.LEDGER_HEAD, *schema.STATE_TABLES),
    strict=True,
):
    if spec_of(_table) != _spec:
        raise RuntimeError(f"tables.{_table.name} and schema.py disagree: {spec_of(_table)}")
del _table, _spec

BY_NAME = {
    table.name: table for table in (ledger, ledger_head, ballot_box, *STATE_TABLES, *ACCOUNT_TABLES)
}


def table(spec: schema.TableSpec) -> Table:
    """The SQLAlchemy table of a schema entry."""
    return BY_NAME[spec.name]
