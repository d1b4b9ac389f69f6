"""The state of one organisation: councils, constituencies, delegates, petitions.

The state changes only by applying events (``Organisation.apply``). Deciding whether
a command is allowed, and which event it produces, lives in ``soviet.domain.rules``;
applying an event never fails, so replaying the ledger rebuilds exactly the state
that the commands built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from soviet.domain.congress import CONGRESS_HANDLERS, Congress, Decree
from soviet.domain.events import Event

Rights = Literal["voice-and-vote", "voice-only"]
RollKind = Literal["named", "numbered"]
RecallMode = Literal["by-election", "replacement"]
DelegateStatus = Literal["sitting", "recalled", "dissolved"]
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
    calendar: Literal["gregorian", "julian"] = "gregorian"
    description: str = ""
    may_convene: list[str] = field(default_factory=list)


@dataclass
class Constituency:
    """An organic group of electors (shop, factory, regiment...) electing to one council.

    A *named* roll lists its electors; a *numbered* roll has only a headcount and its
    electors are known by number (``NAME#17``), which keeps large historical units cheap
    while signatures can still be checked for membership and duplicates.
    """

    name: str
    council: str
    section: str | None = None
    kind: str | None = None
    roll: RollKind = "named"
    declared_headcount: int = 0
    electors: set[str] = field(default_factory=set)

    @property
    def headcount(self) -> int:
        """Electors on the roll."""
        return len(self.electors) if self.roll == "named" else self.declared_headcount


@dataclass
class Mandate:
    """Instructions a constituency adopted for its delegate."""

    number: int
    delegate_id: int
    text: str
    adopted_on: dt.date


@dataclass
class Delegate:
    """Holds seat ``seat`` of ``constituency`` until recalled or the council is dissolved."""

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
    signatures: dict[str, dt.date] = field(default_factory=dict)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _opt_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


@dataclass
class Organisation:
    """Everything the council rules need to decide a command."""

    councils: dict[str, Council] = field(default_factory=dict)
    constituencies: dict[str, Constituency] = field(default_factory=dict)
    delegates: dict[int, Delegate] = field(default_factory=dict)
    mandates: dict[int, Mandate] = field(default_factory=dict)
    petitions: dict[int, Petition] = field(default_factory=dict)
    congresses: dict[str, Congress] = field(default_factory=dict)
    decrees: dict[int, Decree] = field(default_factory=dict)

    # --- queries -----------------------------------------------------------------
    def constituencies_of(self, council: str) -> list[Constituency]:
        """The council's constituencies in name order."""
        return sorted(
            (c for c in self.constituencies.values() if c.council == council),
            key=lambda c: c.name,
        )

    def sitting_delegates(self, constituency: str | None = None) -> list[Delegate]:
        """Sitting delegates, by constituency then seat."""
        found = [
            d
            for d in self.delegates.values()
            if d.sitting and (constituency is None or d.constituency == constituency)
        ]
        return sorted(found, key=lambda d: (d.constituency, d.seat))

    def elector_constituency(self, elector: str) -> str | None:
        """Which constituency an elector belongs to (named or numbered roll), if any."""
        name, sep, number = elector.rpartition("#")
        if sep:  # named electors may not contain '#', so this can only be a roll number
            c = self.constituencies.get(name)
            numbered = c is not None and c.roll == "numbered" and number.isdigit()
            if c is not None and numbered and 1 <= int(number) <= c.headcount:
                return c.name
            return None
        for c in self.constituencies.values():
            if c.roll == "named" and elector in c.electors:
                return c.name
        return None

    def open_petition_against(self, delegate_id: int) -> Petition | None:
        """The open petition against a delegate, if any."""
        for p in self.petitions.values():
            if delegate_id in p.delegate_ids and p.status == "open":
                return p
        return None

    def next_id(self, table: dict[int, Any]) -> int:
        """The next free number in a table of numbered records."""
        return max(table, default=0) + 1

    # --- applying events ---------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Change the state as ``event`` records; never fails on a decided event."""
        handler = _APPLY[event.type]
        handler(self, event.payload)


def _council_created(org: Organisation, p: dict[str, Any]) -> None:
    org.councils[p["name"]] = Council(
        name=p["name"],
        seat_rule=p["seat_rule"],
        sections=list(p["sections"]),
        sections_merged=p["sections_merged"],
        recall_threshold=p["recall_threshold"],
        recall_mode=p["recall_mode"],
        max_term_days=p["max_term_days"],
        calendar=p["calendar"],
        description=p.get("description", ""),
        may_convene=list(p.get("may_convene", [])),
    )


def _sections_arranged(org: Organisation, p: dict[str, Any]) -> None:
    org.councils[p["council"]].sections_merged = p["merged"]


def _constituency_created(org: Organisation, p: dict[str, Any]) -> None:
    org.constituencies[p["name"]] = Constituency(
        name=p["name"],
        council=p["council"],
        section=p["section"],
        kind=p["kind"],
        roll=p["roll"],
        declared_headcount=p["headcount"] if p["roll"] == "numbered" else 0,
        electors=set(p.get("electors", [])),
    )


def _headcount_set(org: Organisation, p: dict[str, Any]) -> None:
    org.constituencies[p["constituency"]].declared_headcount = p["headcount"]


def _electors_enrolled(org: Organisation, p: dict[str, Any]) -> None:
    org.constituencies[p["constituency"]].electors.update(p["electors"])


def _elector_moved(org: Organisation, p: dict[str, Any]) -> None:
    org.constituencies[p["from"]].electors.discard(p["elector"])
    org.constituencies[p["to"]].electors.add(p["elector"])


def _elector_removed(org: Organisation, p: dict[str, Any]) -> None:
    org.constituencies[p["constituency"]].electors.discard(p["elector"])


def _delegates_elected(org: Organisation, p: dict[str, Any]) -> None:
    for seat in p["elected"]:
        org.delegates[seat["delegate_id"]] = Delegate(
            id=seat["delegate_id"],
            name=seat["name"],
            constituency=p["constituency"],
            seat=seat["seat"],
            group=seat["group"],
            rights=seat["rights"],
            elected_on=_date(p["date"]),
            term_days=seat["term_days"],
        )


def _mandate_adopted(org: Organisation, p: dict[str, Any]) -> None:
    org.mandates[p["number"]] = Mandate(
        number=p["number"],
        delegate_id=p["delegate_id"],
        text=p["text"],
        adopted_on=_date(p["date"]),
    )


def _recall_opened(org: Organisation, p: dict[str, Any]) -> None:
    org.petitions[p["petition"]] = Petition(
        id=p["petition"],
        constituency=p["constituency"],
        delegate_ids=list(p["delegate_ids"]),
        opened_on=_date(p["date"]),
        opened_by=p["opened_by"],
        replacements=[Replacement(r["name"], r["group"]) for r in p["replacements"]],
    )


def _recall_signed(org: Organisation, p: dict[str, Any]) -> None:
    petition = org.petitions[p["petition"]]
    signed_on = _date(p["date"])
    for elector in p["electors"]:
        petition.signatures[elector] = signed_on
    outcome = p["outcome"]
    if outcome is None:
        return
    petition.status = "succeeded"
    petition.closed_on = signed_on
    for delegate_id in outcome["recalled"]:
        recalled = org.delegates[delegate_id]
        recalled.status = "recalled"
        recalled.left_on = signed_on
    _delegates_elected(
        org,
        {
            "constituency": petition.constituency,
            "date": p["date"],
            "elected": outcome["replacements"],
        },
    )


def _council_dissolved(org: Organisation, p: dict[str, Any]) -> None:
    left_on = _date(p["date"])
    for delegate_id in p["vacated"]:
        delegate = org.delegates[delegate_id]
        delegate.status = "dissolved"
        delegate.left_on = left_on
    for petition_id in p["closed_petitions"]:
        org.petitions[petition_id].status = "lapsed"
        org.petitions[petition_id].closed_on = left_on


_APPLY: dict[str, Callable[[Organisation, dict[str, Any]], None]] = {
    "CouncilCreated": _council_created,
    "CouncilSectionsArranged": _sections_arranged,
    "ConstituencyCreated": _constituency_created,
    "HeadcountSet": _headcount_set,
    "ElectorsEnrolled": _electors_enrolled,
    "ElectorMoved": _elector_moved,
    "ElectorRemoved": _elector_removed,
    "DelegatesElected": _delegates_elected,
    "MandateAdopted": _mandate_adopted,
    "RecallOpened": _recall_opened,
    "RecallSigned": _recall_signed,
    "CouncilDissolved": _council_dissolved,
    **CONGRESS_HANDLERS,
}

EVENT_TYPES = frozenset(_APPLY)


def replay(events: list[Event]) -> Organisation:
    """Rebuild the organisation from its ledger."""
    org = Organisation()
    for event in events:
        org.apply(event)
    return org
