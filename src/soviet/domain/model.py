"""The state of one organisation: councils, constituencies, delegates, petitions.

The state changes only by applying events (``Organisation.apply``). Deciding whether
a command is allowed, and which event it produces, lives in ``soviet.domain.rules``;
applying an event never fails, so replaying the ledger rebuilds exactly the state
that the commands built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, cast

from soviet.domain import events as ev

# --- assembly ---
from soviet.domain.assembly import ASSEMBLY_MUTATORS, Assembly
from soviet.domain.congress import CONGRESS_MUTATORS, Congress, Decree, Rights

# --- consent ---
from soviet.domain.consent import CONSENT_MUTATORS, ConsentRule, WorkplaceAction
from soviet.domain.events import Event

# --- executive ---
from soviet.domain.executive import (
    EXECUTIVE_MUTATORS,
    CommissionersCouncil,
    DepartmentHead,
    ExecutiveDecree,
    SigningKey,
)

# --- orders: units, oversight committees, commissioners, countersigned orders ---
from soviet.domain.orders import (
    ORDERS_MUTATORS,
    Commissioner,
    OversightCommittee,
    Unit,
    UnitAction,
    UnitOrder,
    constituency_renamed,
    council_renamed,
)
from soviet.domain.records import keys_with, prefetch, where

# --- weighted votes, proxies, mandates against votes (issue 11) ---
from soviet.domain.weighting import WEIGHTING_MUTATORS, MandateBinding, VoteRecall

RollKind = Literal["named", "numbered"]
CalendarName = Literal["gregorian", "julian"]
RecallMode = Literal["by-election", "replacement"]
DelegateStatus = Literal["sitting", "recalled", "dissolved", "unseated"]
PetitionStatus = Literal["open", "succeeded", "lapsed"]

DEFAULT_RECALL_THRESHOLD = "1/2"


@dataclass
class Council:
    """A body of delegates elected by constituencies under one seat rule."""

    name: str
    seat_rule: dict[str, Any]
    sections: list[str] = field(default_factory=list)
    sections_merged: bool = True
    recall_threshold: str = DEFAULT_RECALL_THRESHOLD
    recall_mode: RecallMode = "by-election"
    max_term_days: int | None = None
    calendar: CalendarName = "gregorian"
    description: str = ""
    may_convene: list[str] = field(default_factory=list)


@dataclass
class Constituency:
    """An organic group of electors (shop, factory, regiment...) electing to one council.

    A *named* roll lists its electors (``Organisation.electors``, each elector's home);
    a *numbered* roll has only a headcount and its electors are known by number
    (``NAME#17``), which keeps large historical units cheap while signatures can still be
    checked for membership and duplicates. ``headcount`` is the roll's size either way
    (for a named roll it is kept as electors are enrolled, moved and removed).
    """

    name: str
    council: str
    section: str | None = None
    kind: str | None = None
    roll: RollKind = "named"
    headcount: int = 0


@dataclass
class Mandate:
    """Instructions a constituency adopted for the delegate holding one of its seats.

    The constituency and seat are kept with the mandate, so a seat's mandates can be
    listed across the delegates who held it (recalled, re-elected, replaced).
    """

    number: int
    delegate_id: int
    text: str
    adopted_on: dt.date
    constituency: str = ""
    seat: int = 0


@dataclass
class Delegate:
    """Holds seat ``seat`` of ``constituency`` until recalled, the council is dissolved, or
    a cut in the headcount takes the seat away (``unseated``)."""

    id: int
    name: str
    constituency: str
    seat: int
    group: str | None
    rights: Rights
    elected_on: dt.date
    term_days: int | None = None
    status: DelegateStatus = "sitting"
    left_on: dt.date | None = None

    @property
    def sitting(self) -> bool:
        """True while the delegate holds the seat."""
        return self.status == "sitting"


@dataclass
class Replacement:
    """The person a petition names to take a recalled delegate's seat."""

    name: str
    group: str | None = None


@dataclass
class Petition:
    """A recall petition against one or more delegates of a constituency.

    ``replacements`` is empty (the seats fall vacant for a by-election) or names one
    replacement per recalled delegate, in the order of ``delegate_ids``.
    """

    id: int
    constituency: str
    delegate_ids: list[int]
    opened_on: dt.date
    opened_by: str
    replacements: list[Replacement] = field(default_factory=list)
    status: PetitionStatus = "open"
    closed_on: dt.date | None = None
    signatures: MutableMapping[str, dt.date] = field(default_factory=dict)


@dataclass
class Secretary:
    """An appointment of a member as a secretary of a council, current while
    ``dismissed_on`` is None (appointments are kept, numbered, when they end)."""

    number: int
    council: str
    member: str
    appointed_on: dt.date
    dismissed_on: dt.date | None = None


@dataclass
class Organisation:
    """Everything the council rules need to decide a command.

    Each table is a mapping by key; ``electors`` maps each elector of a named roll to
    their constituency, and ``member_names`` the electors imported from a member register
    (keyed by member id) to their names (an elector without one is known by their key).
    Storage may hand over mappings that load rows on demand (``soviet.domain.records``),
    so the queries below ask by field, never scan.
    """

    councils: MutableMapping[str, Council] = field(default_factory=dict)
    constituencies: MutableMapping[str, Constituency] = field(default_factory=dict)
    electors: MutableMapping[str, str] = field(default_factory=dict)
    member_names: MutableMapping[str, str] = field(default_factory=dict)
    delegates: MutableMapping[int, Delegate] = field(default_factory=dict)
    mandates: MutableMapping[int, Mandate] = field(default_factory=dict)
    petitions: MutableMapping[int, Petition] = field(default_factory=dict)
    congresses: MutableMapping[str, Congress] = field(default_factory=dict)
    decrees: MutableMapping[int, Decree] = field(default_factory=dict)
    secretaries: MutableMapping[int, Secretary] = field(default_factory=dict)
    # --- orders: units, oversight committees, commissioners, countersigned orders ---
    oversight_committees: MutableMapping[str, OversightCommittee] = field(default_factory=dict)
    units: MutableMapping[str, Unit] = field(default_factory=dict)
    commissioners: MutableMapping[int, Commissioner] = field(default_factory=dict)
    unit_orders: MutableMapping[int, UnitOrder] = field(default_factory=dict)
    unit_actions: MutableMapping[int, UnitAction] = field(default_factory=dict)
    # --- weighted votes, proxies, mandates against votes (issue 11) ---
    mandate_bindings: MutableMapping[int, MandateBinding] = field(default_factory=dict)
    vote_recalls: MutableMapping[int, VoteRecall] = field(default_factory=dict)
    # --- executive ---
    commissioners_councils: MutableMapping[str, CommissionersCouncil] = field(default_factory=dict)
    department_heads: MutableMapping[int, DepartmentHead] = field(default_factory=dict)
    executive_decrees: MutableMapping[str, ExecutiveDecree] = field(default_factory=dict)
    signing_keys: MutableMapping[str, SigningKey] = field(default_factory=dict)
    # --- assembly ---
    assemblies: MutableMapping[str, Assembly] = field(default_factory=dict)
    # --- consent ---
    consent_rules: MutableMapping[str, ConsentRule] = field(default_factory=dict)
    workplace_actions: MutableMapping[int, WorkplaceAction] = field(default_factory=dict)

    # --- queries -----------------------------------------------------------------
    def constituencies_of(self, council: str) -> list[Constituency]:
        """The council's constituencies in name order."""
        return sorted(where(self.constituencies, council=council), key=lambda c: c.name)

    def sitting_delegates(self, constituency: str | None = None) -> list[Delegate]:
        """Sitting delegates, by constituency then seat."""
        if constituency is None:
            found = where(self.delegates, status="sitting")
        else:
            found = where(self.delegates, constituency=constituency, status="sitting")
        return sorted(found, key=lambda d: (d.constituency, d.seat))

    def elector_constituency(self, elector: str) -> str | None:
        """Which constituency an elector belongs to (named or numbered roll), if any."""
        name, sep, number = elector.rpartition("#")
        if sep:  # named electors may not contain '#', so this can only be a roll number
            c = self.constituencies.get(name)
            numbered = (
                c is not None and c.roll == "numbered" and number.isascii() and number.isdigit()
            )
            if c is not None and numbered and 1 <= int(number) <= c.headcount:
                return c.name
            return None
        return self.electors.get(elector)

    def secretaries_of(self, council: str) -> list[Secretary]:
        """The council's current secretaries, by appointment number."""
        return where(self.secretaries, council=council, dismissed_on=None)

    def is_secretary(self, council: str, member: str) -> bool:
        """Whether ``member`` is now a secretary of ``council``."""
        return bool(where(self.secretaries, council=council, member=member, dismissed_on=None))

    def open_petition_against(self, delegate_id: int) -> Petition | None:
        """The open petition against a delegate, if any."""
        delegate = self.delegates.get(delegate_id)
        if delegate is None:
            return None
        for p in where(self.petitions, constituency=delegate.constituency, status="open"):
            if delegate_id in p.delegate_ids:
                return p
        return None

    # --- applying events ---------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Change the state as ``event`` records; never fails on a decided event."""
        _MUTATORS[type(event)](self, event)


def _council_created(org: Organisation, e: ev.CouncilCreated) -> None:
    org.councils[e.name] = Council(
        name=e.name,
        seat_rule=e.seat_rule,
        sections=list(e.sections),
        sections_merged=e.sections_merged,
        recall_threshold=e.recall_threshold,
        recall_mode=cast(RecallMode, e.recall_mode),
        max_term_days=e.max_term_days,
        calendar=cast(CalendarName, e.calendar),
        description=e.description,
        may_convene=list(e.may_convene),
    )


def _sections_arranged(org: Organisation, e: ev.CouncilSectionsArranged) -> None:
    org.councils[e.council].sections_merged = e.merged


def _constituency_created(org: Organisation, e: ev.ConstituencyCreated) -> None:
    org.constituencies[e.name] = Constituency(
        name=e.name,
        council=e.council,
        section=e.section,
        kind=e.kind,
        roll=cast(RollKind, e.roll),
        headcount=e.headcount if e.roll == "numbered" else len(e.electors),
    )
    for elector in e.electors:
        org.electors[elector] = e.name


def _headcount_set(org: Organisation, e: ev.HeadcountSet) -> None:
    org.constituencies[e.constituency].headcount = e.headcount
    for delegate_id in e.vacated or ():
        delegate = org.delegates[delegate_id]
        delegate.status = "unseated"
        delegate.left_on = e.date


def _electors_enrolled(org: Organisation, e: ev.ElectorsEnrolled) -> None:
    for elector in e.electors:
        org.electors[elector] = e.constituency
    org.constituencies[e.constituency].headcount += len(e.electors)


def _elector_moved(org: Organisation, e: ev.ElectorMoved) -> None:
    org.electors[e.elector] = e.to
    org.constituencies[e.from_].headcount -= 1
    org.constituencies[e.to].headcount += 1


def _elector_removed(org: Organisation, e: ev.ElectorRemoved) -> None:
    org.member_names.pop(e.elector, None)
    del org.electors[e.elector]
    org.constituencies[e.constituency].headcount -= 1


def _roll_imported(org: Organisation, e: ev.RollImported) -> None:
    # Headcounts change once per constituency, not once per member.
    delta: dict[str, int] = {}
    removed = [r["member"] for r in e.removed]
    prefetch(org.member_names, removed)
    for r in e.removed:
        org.member_names.pop(r["member"], None)
        del org.electors[r["member"]]
        delta[r["constituency"]] = delta.get(r["constituency"], 0) - 1
    for m in e.moved:
        org.electors[m["member"]] = m["to"]
        delta[m["from"]] = delta.get(m["from"], 0) - 1
        delta[m["to"]] = delta.get(m["to"], 0) + 1
    for a in e.added:
        org.electors[a["member"]] = a["constituency"]
        org.member_names[a["member"]] = a["name"]
        delta[a["constituency"]] = delta.get(a["constituency"], 0) + 1
    for n in e.renamed:
        org.member_names[n["member"]] = n["name"]
    for name, change in sorted(delta.items()):
        if change:
            org.constituencies[name].headcount += change


def _seat_delegates(
    org: Organisation, constituency: str, date: dt.date, seats: list[ev.ElectedSeat]
) -> None:
    for seat in seats:
        org.delegates[seat["delegate_id"]] = Delegate(
            id=seat["delegate_id"],
            name=seat["name"],
            constituency=constituency,
            seat=seat["seat"],
            group=seat["group"],
            rights=cast(Rights, seat["rights"]),
            elected_on=date,
            term_days=seat["term_days"],
        )


def _delegates_elected(org: Organisation, e: ev.DelegatesElected) -> None:
    _seat_delegates(org, e.constituency, e.date, e.elected)


def _mandate_adopted(org: Organisation, e: ev.MandateAdopted) -> None:
    org.mandates[e.number] = Mandate(
        number=e.number,
        delegate_id=e.delegate_id,
        text=e.text,
        adopted_on=e.date,
        constituency=e.constituency,
        seat=org.delegates[e.delegate_id].seat,
    )


def _recall_opened(org: Organisation, e: ev.RecallOpened) -> None:
    org.petitions[e.petition] = Petition(
        id=e.petition,
        constituency=e.constituency,
        delegate_ids=list(e.delegate_ids),
        opened_on=e.date,
        opened_by=e.opened_by,
        replacements=[Replacement(r["name"], r["group"]) for r in e.replacements],
    )


def _recall_signed(org: Organisation, e: ev.RecallSigned) -> None:
    petition = org.petitions[e.petition]
    for elector in e.electors:
        petition.signatures[elector] = e.date
    if e.outcome is None:
        return
    petition.status = "succeeded"
    petition.closed_on = e.date
    for delegate_id in e.outcome["recalled"]:
        recalled = org.delegates[delegate_id]
        recalled.status = "recalled"
        recalled.left_on = e.date
    _seat_delegates(org, petition.constituency, e.date, e.outcome["replacements"])


def _signature_withdrawn(org: Organisation, e: ev.SignatureWithdrawn) -> None:
    del org.petitions[e.petition].signatures[e.elector]


def _secretary_appointed(org: Organisation, e: ev.SecretaryAppointed) -> None:
    org.secretaries[e.number] = Secretary(
        number=e.number, council=e.council, member=e.member, appointed_on=e.date
    )


def _secretary_dismissed(org: Organisation, e: ev.SecretaryDismissed) -> None:
    org.secretaries[e.number].dismissed_on = e.date


def _council_dissolved(org: Organisation, e: ev.CouncilDissolved) -> None:
    for delegate_id in e.vacated:
        delegate = org.delegates[delegate_id]
        delegate.status = "dissolved"
        delegate.left_on = e.date
    for petition_id in e.closed_petitions:
        org.petitions[petition_id].status = "lapsed"
        org.petitions[petition_id].closed_on = e.date


def _council_changed(org: Organisation, e: ev.CouncilChanged) -> None:
    council = org.councils[e.council]
    for name, value in e.changes.items():
        setattr(council, name, list(value) if isinstance(value, list) else value)


def _council_renamed(org: Organisation, e: ev.CouncilRenamed) -> None:
    old = org.councils[e.name]
    constituencies = where(org.constituencies, council=e.name)
    org.councils[e.to] = _plain(old, Council, name=e.to)
    for c in constituencies:
        c.council = e.to
    for s in where(org.secretaries, council=e.name):
        s.council = e.to
    council_renamed(org, e.name, e.to)  # orders: its committees and units
    del org.councils[e.name]


def _council_removed(org: Organisation, e: ev.CouncilRemoved) -> None:
    # Its appointments go with it (ended or not): they name a council no longer there.
    for s in where(org.secretaries, council=e.name):
        del org.secretaries[s.number]
    del org.councils[e.name]


def _constituency_changed(org: Organisation, e: ev.ConstituencyChanged) -> None:
    constituency = org.constituencies[e.constituency]
    for name, value in e.changes.items():
        setattr(constituency, name, value)


def _constituency_renamed(org: Organisation, e: ev.ConstituencyRenamed) -> None:
    old = org.constituencies[e.name]
    org.constituencies[e.to] = _plain(old, Constituency, name=e.to)
    for elector in keys_with(org.electors, e.name):
        org.electors[elector] = e.to
    for delegate in where(org.delegates, constituency=e.name):
        delegate.constituency = e.to
    for mandate in where(org.mandates, constituency=e.name):
        mandate.constituency = e.to
    constituency_renamed(org, e.name, e.to)  # orders: the units naming it
    prefix = f"{e.name}#"
    for petition in where(org.petitions, constituency=e.name):
        petition.constituency = e.to
        if old.roll == "numbered":
            renumbered = {
                f"{e.to}#{k[len(prefix) :]}" if k.startswith(prefix) else k: v
                for k, v in petition.signatures.items()
            }
            petition.signatures.clear()
            petition.signatures.update(renumbered)
    del org.constituencies[e.name]


def _constituency_removed(org: Organisation, e: ev.ConstituencyRemoved) -> None:
    prefetch(org.member_names, e.electors)
    for elector in e.electors:
        org.member_names.pop(elector, None)
        del org.electors[elector]
    del org.constituencies[e.name]


def _plain(record: Any, cls: type[Any], **changed: Any) -> Any:
    """A new ``cls`` record with ``record``'s fields (lists copied) and ``changed`` set: a
    record's key is its name, so a renamed record is a new record under the new key."""
    values = {f.name: getattr(record, f.name) for f in fields(cls)}
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = list(value)
    return cls(**(values | changed))


_MUTATORS: dict[type[Event], Callable[[Organisation, Any], None]] = {
    ev.CouncilCreated: _council_created,
    ev.CouncilSectionsArranged: _sections_arranged,
    ev.ConstituencyCreated: _constituency_created,
    ev.HeadcountSet: _headcount_set,
    ev.ElectorsEnrolled: _electors_enrolled,
    ev.ElectorMoved: _elector_moved,
    ev.ElectorRemoved: _elector_removed,
    ev.RollImported: _roll_imported,
    ev.DelegatesElected: _delegates_elected,
    ev.MandateAdopted: _mandate_adopted,
    ev.RecallOpened: _recall_opened,
    ev.RecallSigned: _recall_signed,
    ev.SignatureWithdrawn: _signature_withdrawn,
    ev.SecretaryAppointed: _secretary_appointed,
    ev.SecretaryDismissed: _secretary_dismissed,
    ev.CouncilDissolved: _council_dissolved,
    ev.CouncilChanged: _council_changed,
    ev.CouncilRenamed: _council_renamed,
    ev.CouncilRemoved: _council_removed,
    ev.ConstituencyChanged: _constituency_changed,
    ev.ConstituencyRenamed: _constituency_renamed,
    ev.ConstituencyRemoved: _constituency_removed,
    **CONGRESS_MUTATORS,
    **ORDERS_MUTATORS,  # orders
    # --- weighted votes, proxies, mandates against votes (issue 11) ---
    **WEIGHTING_MUTATORS,
    # --- executive ---
    **EXECUTIVE_MUTATORS,
    # --- assembly ---
    **ASSEMBLY_MUTATORS,
    # --- consent ---
    **CONSENT_MUTATORS,
}


def replay(events: Iterable[Event]) -> Organisation:
    """Rebuild the organisation from its ledger."""
    org = Organisation()
    for event in events:
        org.apply(event)
    return org
