"""The shapes the HTTP API returns, for its OpenAPI document.

Each endpoint returns exactly what the matching CLI command prints with ``--json``
(docs/cli.md): the data of a view in ``soviet.views``, passed through unchanged. These
models describe that data for ``/openapi.json``; they are not used to build or filter
responses (a key a view adds later still reaches the client, as ``extra="allow"`` says),
and tests/http check every response against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Shape(BaseModel):
    """A documented JSON object; keys may be added later, none removed or renamed."""

    model_config = ConfigDict(extra="allow")


# --- councils --------------------------------------------------------------------------
class CouncilRow(Shape):
    name: str
    seat_rule: dict[str, Any] = Field(description="As in a scenario file.")
    sections: list[str]
    recall_threshold: str = Field(examples=["1/2"])
    recall_mode: str = Field(examples=["by-election", "replacement"])
    max_term_days: int | None
    calendar: str = Field(examples=["gregorian", "julian"])
    may_convene: list[str]
    description: str | None
    constituencies: int
    seats: int
    filled: int


class Councils(Shape):
    """``soviet council list --json``."""

    councils: list[CouncilRow]


class MandateRef(Shape):
    number: int
    text: str
    adopted_on: str = Field(description="ISO date.")


class SittingDelegate(Shape):
    id: int
    seat: int
    name: str
    group: str | None
    rights: Literal["voice-and-vote", "voice-only"]
    elected_on: str = Field(description="ISO date.")
    mandates: list[MandateRef]


class CompositionUnit(Shape):
    name: str
    section: str | None
    kind: str | None
    roll: Literal["numbered", "named"]
    headcount: int
    seats: int
    delegates: list[SittingDelegate]


class Composition(Shape):
    """``soviet council show NAME --json``: who sits, seats per group."""

    council: str
    sections: list[str]
    sections_merged: bool
    seats: int
    filled: int
    vacant: int
    voting: int
    groups: dict[str, int] = Field(description="Seats per group, largest first.")
    groups_by_section: dict[str, dict[str, int]] = Field(
        description="Filled when the sections sit apart."
    )
    largest_group: str | None
    largest_group_has_majority: bool
    constituencies: list[CompositionUnit]


class Unit(Shape):
    name: str
    electors: int
    seats: int
    electors_per_seat: float | None
    weight: float | None = Field(
        description="Seats per elector relative to the council average (1.0 = fair)."
    )
    elector_share: float
    seat_share: float


class Indices(Shape):
    loosemore_hanby: float = Field(description="Percentage points.")
    gallagher: float
    loosemore_hanby_by_kind: float
    gallagher_by_kind: float
    max_weight_ratio: float | None


class Allocation(Shape):
    method: str
    seats: dict[str, int]
    steps: Any = Field(description="How the method reached its seats (method-specific).")
    seed: int | None
    tie_breaks: list[Any]


class Report(Shape):
    """``soviet council report NAME [--section S] --json``."""

    council: str
    section: str | None
    seat_rule: dict[str, Any]
    seats: int
    electors: int
    constituencies: list[Unit]
    kinds: list[Unit]
    indices: Indices
    allocation: Allocation


class StaleDelegate(Shape):
    id: int
    name: str
    constituency: str
    seat: int
    group: str | None
    elected_on: str
    days: int
    limit_days: int


class Stale(Shape):
    """``soviet council stale NAME --on DATE --json``."""

    council: str
    on: str = Field(description="The reference date, ISO.")
    stale: list[StaleDelegate]


class ConstituencyRow(Shape):
    name: str
    council: str
    section: str | None
    kind: str | None
    roll: Literal["numbered", "named"]
    headcount: int
    seats: int
    sitting: int
    open_petitions: int


class Constituencies(Shape):
    """``soviet constituency list [--council C] --json``."""

    constituencies: list[ConstituencyRow]


class PetitionRow(Shape):
    petition: int
    constituency: str
    delegate_ids: list[int]
    delegates: list[str]
    status: Literal["open", "succeeded", "lapsed"]
    signatures: int
    needed: int
    headcount: int
    opened_on: str
    closed_on: str | None
    replacements: list[str]


class Petitions(Shape):
    """``soviet petition list --json`` (and ``recall status [N] --json``)."""

    petitions: list[PetitionRow]


class MandateRow(Shape):
    number: int
    constituency: str
    seat: int
    delegate_id: int
    delegate: str | None
    delegate_status: str | None
    text: str
    adopted_on: str


class Mandates(Shape):
    """``soviet mandate list --json``."""

    mandates: list[MandateRow]


# --- congresses ------------------------------------------------------------------------
class CongressRow(Shape):
    name: str
    convened_by: str
    called_on: str
    opens_on: str
    status: str
    previous: str | None
    credentials: int
    seated: int
    motions: int
    decrees: int


class Congresses(Shape):
    """``soviet congress list --json``."""

    congresses: list[CongressRow]


class Call(Shape):
    convened_by: str
    called_on: str
    opens_on: str
    postponed_from: list[str]
    quorum: str
    quorum_needed: int
    credentials_committee: str | None
    senders: dict[str, int]
    max_credential_age_days: int | None
    previous: str | None


class Counts(Shape):
    credentials: dict[str, int] = Field(description="pending, accepted, rejected.")
    seated: int
    present: int
    entitled_present: int
    quorum_met: bool


class Groups(Shape):
    present: dict[str, int]
    seated: dict[str, int]


class GroupStep(Shape):
    date: str
    group: str | None
    credentials: list[int]
    sizes: dict[str, int]


class Walkout(Shape):
    date: str
    reason: str
    credentials: list[int]
    delegates: int
    groups: dict[str, int]


class Member(Shape):
    name: str
    group: str | None


class Committee(Shape):
    name: str
    kind: str
    elected_on: str
    method: str
    seats: int
    allocation: dict[str, int]
    declined: list[str]
    members: list[Member]
    mandate_ended_on: str | None


class Vote(Shape):
    vote: int
    stage: str
    mode: str = Field(examples=["show-of-hands", "roll-call", "secret"])
    majority: str
    abstentions: str
    opened_on: str
    status: str
    counts: dict[str, int]
    carried: bool | None
    entitled: int
    present: int
    roll: dict[str, str] = Field(
        description="Credential number -> choice, for votes that are not secret."
    )
    voted: int
    supersedes: int | None
    superseded: bool
    superseded_by: int | None


class Motion(Shape):
    number: int
    title: str
    text: str
    mover: int
    mover_name: str | None
    tabled_on: str
    amends: int | None
    decree: bool
    urgent: bool
    without_debate: bool
    item: int | None
    status: str
    order: int
    votes: list[Vote]


class CongressReport(Shape):
    """``soviet congress show NAME --json``."""

    congress: str
    status: str
    agenda: list[Any]
    call: Call
    counts: Counts
    groups: Groups
    group_history: list[GroupStep]
    walkouts: list[Walkout]
    committees: list[Committee]
    motions: list[Motion]


class Credential(Shape):
    number: int
    delegate: str
    sent_by: str
    elected_on: str
    rights: str
    status: Literal["pending", "accepted", "rejected"]
    reason: str | None
    ruled_by: str | None
    problems: list[str]
    group: str | None
    present: bool


class Credentials(Shape):
    """``soviet congress credentials list --json``."""

    congress: str
    credentials: list[Credential]


class Decree(Shape):
    number: int
    title: str
    text: str
    date: str
    date_display: str
    body: str
    motion: int | None
    tally: dict[str, int]
    amendments: list[int]


class DecreeStep(Shape):
    date: str
    state: str
    by: str


class DecreeSignature(Shape):
    """One signatory's Ed25519 signature, as recorded (``soviet decree export`` gives it
    in full)."""

    signer: str
    public_key: str = Field(description="64 hex digits: the key it was made with.")
    date: str


class ExecutiveDecree(Shape):
    """A decree of a council of commissioners, with its state and history (decision 0018)."""

    registry: str
    council: str
    title: str
    department: str
    urgent: bool
    signed_on: str
    state: str = Field(
        description="draft, in-force-pending-ratification, ratified, annulled or lapsed."
    )
    deadline: str | None
    history: list[DecreeStep]
    signatories: list[str] = Field(description="Whose signatures it needs (003:48585-48589).")
    signatures: list[DecreeSignature]
    missing_signatures: list[str] = Field(description="Signatories yet to sign: a draft.")
    adopted_by: str = Field(description="The council, or the ratifying body or congress.")
    tally: dict[str, int] | None = Field(description="The adopting vote: for/against/abstain.")
    congress_decree: int | None = Field(description="The congress's decree it registers.")


class Decrees(Shape):
    """``soviet decrees --json``."""

    decrees: list[Decree]
    executive: list[ExecutiveDecree]


# --- the ledger ------------------------------------------------------------------------
class Entry(Shape):
    seq: int
    recorded_at: str = Field(description="UTC, ISO 8601, microseconds.")
    actor: str
    type: str = Field(description="The event's class name (domain/events).")
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class Ledger(Shape):
    """``soviet history --json``, one page of it."""

    events: list[Entry]
    next_after: int | None = Field(
        description="Pass as ?after= for the next page; null on the last page."
    )


class StateProof(Shape):
    ok: bool
    seq: int
    rows: int | None
    table: str | None
    key: dict[str, Any] | None
    column: str | None
    live: Any
    ledger: Any
    problem: str | None


class CheckpointResult(Shape):
    seq: int
    hash: str
    source: str
    ok: bool
    ledger_hash: str | None
    signers: list[str]
    problem: str | None


class VerifyReport(Shape):
    """``soviet verify --json``."""

    ok: bool
    checked: int
    head_hash: str | None
    first_bad_seq: int | None
    problem: str | None
    chain_ok: bool
    state_ok: bool | None
    state_problem: str | None
    state: StateProof | None
    checkpoints_ok: bool
    checkpoints: list[CheckpointResult]


class Health(Shape):
    """The server is up and its database answers."""

    ok: bool
    seq: int = Field(description="The ledger head's sequence number (0: empty ledger).")
    hash: str | None = Field(description="The ledger head's hash (null: empty ledger).")


class Problem(Shape):
    """An error: one line naming what is wrong."""

    detail: str


class FieldError(Shape):
    """One malformed parameter, as FastAPI reports it."""

    loc: list[str | int] = Field(description='Where: ["query", "as_of"], ["path", "name"].')
    msg: str
    type: str


class Invalid(Shape):
    """A bad query value: FastAPI's list of errors for a malformed one, or the rules'
    one line for a value they refuse."""

    detail: list[FieldError] | str


# --- unitpages ---
class UnitLog(Shape):
    """``soviet unit show NAME --json``: the unit's log."""

    unit: str
    council: str | None
    committee: dict[str, Any] | None
    commissioners: list[dict[str, Any]]
    orders: list[dict[str, Any]] = Field(description="valid, pending or returned.")
    counts: dict[str, int]
    actions: list[dict[str, Any]]


class MandateReport(Shape):
    """``soviet congress NAME mandate report VOTE --json``."""

    congress: str
    vote: int
    bindings: list[dict[str, Any]]
    against_mandate: list[Any]
    counts: dict[str, int]
    weighted_counts: dict[str, int] | None


class Proxies(Shape):
    """``soviet congress NAME proxy list --json``."""

    congress: str
    proxies_allowed: bool
    proxies: list[dict[str, Any]]


# --- list assemblies (issue 12) ---------------------------------------------------------
class Assembly(Shape):
    """``soviet assembly show NAME --json``."""

    assembly: str
    districts: dict[str, int]
    seats: int
    rule: dict[str, str]
    scope: Literal["district", "national"]
    lists: Literal["closed", "open"]
    closing: str
    term_days: int
    allocated_on: str | None
    term_ends: str | None
    recall: bool = Field(description="Whether a council or congress empowered recall.")
    recalled: list[dict[str, Any]]
    party_lists: list[dict[str, Any]]
    votes: dict[str, dict[str, int]]
    members: dict[str, dict[str, list[str]]]
    seats_by_list: dict[str, int]
    seats_by_group: dict[str, int]
    vacant: int | None
    attribution: dict[str, dict[str, str]]
    majority: str | None
    dissolved_on: str | None
    opening_quorum: int | None
    opened_on: str | None


class LagDay(Shape):
    """One day of the lag."""

    date: str
    councils: dict[str, int]
    assembly: dict[str, int]
    gallagher: float | None
    loosemore_hanby: float | None
    seat_difference: dict[str, float]
    council_majority: str | None
    assembly_majority: str | None
    majorities_disagree: bool


class Lag(Shape):
    """``soviet lag NAME --against COUNCIL --json``."""

    assembly: str
    against: list[str]
    start: str = Field(alias="from", description="The first day.")
    end: str = Field(alias="to", description="The last day.")
    by: Literal["groups", "lists"]
    assembly_seats: dict[str, int]
    days: int
    days_majorities_disagree: int
    rows: list[LagDay]


# --- executive and consent (issue 11) ------------------------------------------------
class CommissionersCouncil(Shape):
    """A council of commissioners (``soviet executive show --json``)."""

    name: str
    congress: str
    ratifier: str = Field(description="Its executive committee, or the congress itself.")
    formed_on: str
    urgent_granted_by: str | None
    urgent_granted_on: str | None
    urgent_days: int | None = Field(description="Days to ratify an urgent decree, or lapse.")
    resigned_on: str | None
    resigned_after: str | None


class DepartmentHead(Shape):
    """An appointment of a department head."""

    number: int
    council: str
    department: str
    member: str
    appointed_by: str
    appointed_on: str
    vote: str | None
    dismissed_on: str | None
    dismissed_by: str | None


class Executive(Shape):
    """``soviet executive show --json``."""

    councils: list[CommissionersCouncil]
    department_heads: list[DepartmentHead]


class SigningKeys(Shape):
    """``soviet decree keys``: holder -> Ed25519 public key (64 hex digits)."""

    format: str
    keys: dict[str, str]


class ConsentRule(Shape):
    """A consent rule: which action types of a workplace need whose consent."""

    name: str
    council: str
    workplace: str
    actions: list[str]
    committee: str | None
    general: str | None
    decider: str = Field(description="Who consents: the committee, else the general one.")
    escalation: str
    conciliation: str
    deadline_days: int
    default_outcome: str = Field(description="refuse or consent, after the deadline.")
    set_up_on: str


class WorkplaceAction(Shape):
    """A proposed action and how it was decided; ``effective`` only once ``final``."""

    number: int
    rule: str
    action: str
    subject: str
    proposed_by: str
    committee: str
    proposed_on: str
    status: str = Field(
        description="pending, consented, refused, escalated, challenged or decided."
    )
    final: bool
    effective: bool
    decided_by: str | None
    decided_on: str | None
    reason: str | None
    appeal: str | None
    deadline: str | None = Field(description="While pending: the day the default may apply.")


class Consent(Shape):
    """``soviet consent show --json``."""

    rules: list[ConsentRule]
    actions: list[WorkplaceAction]


class ConsentRuleWithActions(ConsentRule):
    """``soviet consent show RULE --json``."""

    actions_proposed: list[WorkplaceAction]
