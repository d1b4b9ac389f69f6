"""The live tables' columns as plain data: what the state proof and the mappings need,
without SQLAlchemy.

``tables.py`` defines the schema for SQLAlchemy (types, lengths, keys, indexes); this
module says, for each state table, its columns in table order, its primary key and
which columns are dates or booleans (the two that compare in a normal form). The stdlib
``sqlite3`` read path (``storage.sqlite_ledger``), ``state_check`` and ``entities`` use it, so
that ``soviet verify`` on SQLite imports no SQLAlchemy (decisions/0012). ``tables.py``
checks at import that every table agrees with its entry here, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """One table: its name, columns in order, primary key, date and boolean columns."""

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    dates: frozenset[str] = frozenset()
    booleans: frozenset[str] = frozenset()


def _table(name: str, columns: str) -> TableSpec:
    """A spec from ``"*key other:date flag:bool ..."``: ``*`` marks a primary-key column,
    ``:date`` and ``:bool`` the columns of those types."""
    names, key, dates, booleans = [], [], set(), set()
    for word in columns.split():
        column, _, kind = word.lstrip("*").partition(":")
        names.append(column)
        if word.startswith("*"):
            key.append(column)
        if kind == "date":
            dates.add(column)
        elif kind == "bool":
            booleans.add(column)
        elif kind:
            raise ValueError(f"{name}.{column}: unknown kind {kind!r}")
    return TableSpec(name, tuple(names), tuple(key), frozenset(dates), frozenset(booleans))


LEDGER = _table("ledger", "*seq recorded_at actor type payload prev_hash hash")
LEDGER_COLUMNS = LEDGER.columns
"""The ledger's columns, in the order ``application.ledger.Row`` holds them."""
LEDGER_HEAD = _table("ledger_head", "*id seq hash first_date:date last_date:date")

COUNCILS = _table(
    "councils",
    "*name seat_rule sections sections_merged:bool recall_threshold recall_mode "
    "max_term_days calendar description may_convene",
)
CONSTITUENCIES = _table("constituencies", "*name council section kind roll headcount")
ELECTORS = _table("electors", "*elector constituency")
MEMBER_NAMES = _table("member_names", "*elector name")
SECRETARIES = _table("secretaries", "*number council member appointed_on:date dismissed_on:date")
DELEGATES = _table(
    "delegates",
    "*id name constituency seat group_name rights elected_on:date term_days status left_on:date",
)
MANDATES = _table("mandates", "*number delegate_id text adopted_on:date constituency seat")
PETITIONS = _table("petitions", "*id constituency opened_on:date opened_by status closed_on:date")
PETITION_TARGETS = _table(
    "petition_targets",
    "*petition_id *position delegate_id replacement_name replacement_group",
)
SIGNATURES = _table("signatures", "*petition_id *elector signed_on:date")
CONGRESSES = _table(
    "congresses",
    "*name convened_by opens_on:date called_on:date quorum senders "
    "max_credential_age_days previous status postponements agenda credentials_committee "
    "outside_delegates:bool self_registration:bool proxies_allowed:bool",
)
CREDENTIALS = _table(
    "credentials",
    "*congress *number delegate sent_by elected_on:date rights status reason ruled_by "
    "problems group_name present:bool weight",
)
GROUP_CHANGES = _table("group_changes", "*congress *position credential group_name changed_on:date")
ATTENDANCE = _table(
    "attendance", "*congress *position credential present:bool recorded_on:date reason"
)
COMMITTEES = _table(
    "committees",
    "*congress *name position kind elected_on:date method seats allocation declined "
    "mandate_ended_on:date",
)
COMMITTEE_MEMBERS = _table("committee_members", "*congress *committee *position name group_name")
MOTIONS = _table(
    "motions",
    "*congress *number title text mover tabled_on:date amends decree:bool urgent:bool "
    "without_debate:bool item status position replaces",
)
VOTES = _table(
    "votes",
    "*congress *number motion stage mode majority abstentions opened_on:date status "
    "counts ballots entitled present carried:bool supersedes weighted:bool weighted_counts "
    "entitled_weight",
)
VOTE_ROLL = _table("vote_roll", "*congress *vote *credential choice")
VOTES_CAST = _table("votes_cast", "*congress *vote *credential")
DECREES = _table("decrees", "*number title text adopted_on:date body motion tally amendments")
# --- weighted votes, proxies, mandates against votes (issue 11) ---
PROXIES = _table("proxies", "*congress *number giver holder granted_on:date revoked_on:date")
VOTE_WEIGHTS = _table("vote_weights", "*congress *vote *credential weight")
VOTE_PROXIES = _table("vote_proxies", "*congress *vote *credential holder")
MANDATE_BINDINGS = _table(
    "mandate_bindings", "*number mandate delegate_id congress motion position bound_on:date"
)
VOTE_RECALLS = _table("vote_recalls", "*petition congress vote bindings")

# --- orders: units, oversight committees, commissioners, countersigned orders ---------
OVERSIGHT_COMMITTEES = _table(
    "oversight_committees", "*name council members rule formed_on:date k roles required_roles"
)
UNITS = _table("units", "*name council created_on:date constituency committee restricted")
COMMISSIONERS = _table(
    "commissioners", "*number unit member committee appointed_on:date recalled_on:date"
)
UNIT_ORDERS = _table(
    "unit_orders",
    "*number unit issuer by_commissioner:bool action text committee issued_on:date status "
    "countersigned_by valid_on:date returned_by reason returned_on:date",
)
UNIT_ACTIONS = _table("unit_actions", "*number unit action taken_by taken_on:date order_number")

# --- executive: council of commissioners, department heads, decrees -----------------
COMMISSIONERS_COUNCILS = _table(
    "commissioners_councils",
    "*name congress ratifier formed_on:date urgent_granted_by urgent_granted_on:date urgent_days "
    "resigned_on:date resigned_after",
)
DEPARTMENT_HEADS = _table(
    "department_heads",
    "*number council department member appointed_by appointed_on:date vote "
    "dismissed_on:date dismissed_by dismissal_vote",
)
EXECUTIVE_DECREES = _table(
    "executive_decrees",
    "*registry council title text department urgent:bool signed_on:date status history "
    "issued_on:date signatories signatures awaiting adopted_by tally congress_decree",
)
SIGNING_KEYS = _table("signing_keys", "*holder public_key registered_on:date")

# --- consent workflows (workers' control) -------------------------------------------
CONSENT_RULES = _table(
    "consent_rules",
    "*name council workplace actions committee general escalation conciliation "
    "deadline_days default_outcome set_up_on:date",
)
WORKPLACE_ACTIONS = _table(
    "workplace_actions",
    "*number rule action subject proposed_by committee proposed_on:date status final:bool "
    "effective:bool decided_by decided_on:date reason appeal",
)

# --- list assemblies (issue 12) --------------------------------------------------------
ASSEMBLIES = _table(
    "assemblies",
    "*name districts rule scope lists closing:date term_days created_on:date votes personal "
    "members seats allocated_on:date attribution opening_quorum opened_on:date "
    "present_at_opening recall_councils recall_empowered_by recall_empowered_on:date recalled "
    "split_on dissolved_on:date dissolved_by",
)
PARTY_LISTS = _table("party_lists", "*assembly *district *party candidates registered_on:date")

STATE_TABLES = (
    COUNCILS,
    CONSTITUENCIES,
    ELECTORS,
    MEMBER_NAMES,
    SECRETARIES,
    DELEGATES,
    MANDATES,
    PETITIONS,
    PETITION_TARGETS,
    SIGNATURES,
    CONGRESSES,
    CREDENTIALS,
    GROUP_CHANGES,
    ATTENDANCE,
    COMMITTEES,
    COMMITTEE_MEMBERS,
    MOTIONS,
    VOTES,
    VOTE_ROLL,
    VOTES_CAST,
    DECREES,
    # orders
    OVERSIGHT_COMMITTEES,
    UNITS,
    COMMISSIONERS,
    UNIT_ORDERS,
    UNIT_ACTIONS,
    # weighted votes, proxies, mandates against votes (issue 11)
    PROXIES,
    VOTE_WEIGHTS,
    VOTE_PROXIES,
    MANDATE_BINDINGS,
    VOTE_RECALLS,
    # --- executive ---
    COMMISSIONERS_COUNCILS,
    DEPARTMENT_HEADS,
    EXECUTIVE_DECREES,
    SIGNING_KEYS,
    # --- consent ---
    CONSENT_RULES,
    WORKPLACE_ACTIONS,
    # --- list assemblies ---
    ASSEMBLIES,
    PARTY_LISTS,
)
"""The state's tables, parents before children (``tables.STATE_TABLES``' order)."""
