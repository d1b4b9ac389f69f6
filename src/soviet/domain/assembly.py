"""List assemblies: state (dataclasses) and how each of their events changes it.

The decisions live in ``soviet.domain.assembly_rules``. Source: SYSTEM.md, "The
counter-example: list elections" (000:2988-3013): lists fixed months in advance, not
changeable, a split party still on one list, so the assembly lags opinion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from soviet.domain import events as ev

Scope = Literal["district", "national"]
ListKind = Literal["closed", "open"]
SCOPES: tuple[Scope, ...] = ("district", "national")
LIST_KINDS: tuple[ListKind, ...] = ("closed", "open")
SPLIT_RULES: tuple[str, ...] = ("positions", "affiliation")


@dataclass
class PartyList:
    """A party's ordered candidates in one district, frozen once registered."""

    party: str
    district: str
    candidates: list[str]
    registered_on: dt.date


@dataclass
class Assembly:
    """An assembly elected from party lists for a fixed term; no recall."""

    name: str
    districts: dict[str, int]
    rule: dict[str, str]
    scope: Scope
    lists: ListKind
    closing: dt.date
    term_days: int
    created_on: dt.date
    party_lists: dict[tuple[str, str], PartyList] = field(default_factory=dict)
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    personal: dict[str, dict[str, int]] = field(default_factory=dict)
    members: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    seats: dict[str, int] = field(default_factory=dict)
    allocated_on: dt.date | None = None
    # party -> member -> successor group (a split after closing, 000:2988-3013)
    attribution: dict[str, dict[str, str]] = field(default_factory=dict)
    split_on: dict[str, str] = field(default_factory=dict)  # party -> ISO date
    dissolved_on: dt.date | None = None
    dissolved_by: str | None = None
    # deputies who must be present for the first sitting (400, 003:46725-46730)
    opening_quorum: int | None = None
    opened_on: dt.date | None = None
    present_at_opening: int | None = None
    # The councils a higher body empowered to recall its members ("*": any council), and
    # by whom and when (the recall decree of 21 Nov 1917, 003:46760-46770).
    recall_councils: list[str] = field(default_factory=list)
    recall_empowered_by: str | None = None
    recall_empowered_on: dt.date | None = None
    # member -> [date recalled (ISO), council]
    recalled: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total_seats(self) -> int:
        """The house size: the districts' seats."""
        return sum(self.districts.values())

    @property
    def term_ends(self) -> dt.date | None:
        """The last day it sits: its dissolution, else the end of the fixed term (None
        before allocation)."""
        if self.allocated_on is None:
            return None
        if self.dissolved_on is not None:
            return self.dissolved_on
        return self.allocated_on + dt.timedelta(days=self.term_days)

    def member_party(self) -> dict[str, str]:
        """Every elected member and the list they were elected on."""
        return {
            m: party
            for by_party in self.members.values()
            for party, names in by_party.items()
            for m in names
        }

    def sitting(self) -> dict[str, str]:
        """The members still sitting (not recalled) and their lists."""
        return {m: p for m, p in self.member_party().items() if m not in self.recalled}

    def group_seats(self) -> dict[str, int]:
        """Seats per group of the sitting members: a party's seats, or its successors'
        after an attributed split."""
        return self.house_on(None)

    def house_on(self, day: dt.date | None, by: str = "groups") -> dict[str, int]:
        """Seats of the members sitting on ``day`` (None: now; recalled members leave on
        the day of their recall), by list, or by group (``by="groups"``: a split party's
        members count with its successors from the day the split was attributed)."""
        iso = day.isoformat() if day else None
        out: dict[str, int] = {}
        if self.dissolved_on is not None and day is not None and day > self.dissolved_on:
            return out
        for member, party in self.member_party().items():
            gone = self.recalled.get(member)
            if gone is not None and (iso is None or gone[0] <= iso):
                continue
            group = party
            split = self.split_on.get(party)
            if by == "groups" and split is not None and (iso is None or split <= iso):
                group = self.attribution[party].get(member, party)
            out[group] = out.get(group, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


class AssemblyState(Protocol):
    """What these events change: the organisation's assemblies."""

    assemblies: MutableMapping[str, Assembly]


def _created(org: AssemblyState, e: ev.AssemblyCreated) -> None:
    org.assemblies[e.name] = Assembly(
        name=e.name,
        districts=dict(e.districts),
        rule=dict(e.rule),
        scope=e.scope,  # type: ignore[arg-type]  # checked by the rule
        lists=e.lists,  # type: ignore[arg-type]  # checked by the rule
        closing=e.closing,
        term_days=e.term_days,
        created_on=e.date,
        opening_quorum=e.opening_quorum,
    )


def _list_registered(org: AssemblyState, e: ev.PartyListRegistered) -> None:
    org.assemblies[e.assembly].party_lists[(e.district, e.party)] = PartyList(
        party=e.party, district=e.district, candidates=list(e.candidates), registered_on=e.date
    )


def _votes_recorded(org: AssemblyState, e: ev.ListVotesRecorded) -> None:
    a = org.assemblies[e.assembly]
    # Fields are replaced, never changed in place, so that storage sees the change.
    a.votes = {**a.votes, e.district: dict(e.votes)}
    if e.personal is not None:
        a.personal = {**a.personal, e.district: dict(e.personal)}


def _allocated(org: AssemblyState, e: ev.AssemblySeatsAllocated) -> None:
    a = org.assemblies[e.assembly]
    a.members = {d: {p: list(ms) for p, ms in by.items()} for d, by in e.members.items()}
    a.seats = dict(e.seats)
    a.allocated_on = e.date


def _split(org: AssemblyState, e: ev.SplitAttributed) -> None:
    a = org.assemblies[e.assembly]
    a.attribution = {**a.attribution, e.party: dict(e.attribution)}
    a.split_on = {**a.split_on, e.party: e.date.isoformat()}


def _opened(org: AssemblyState, e: ev.AssemblyOpened) -> None:
    a = org.assemblies[e.assembly]
    a.opened_on = e.date
    a.present_at_opening = e.present


def _recall_empowered(org: AssemblyState, e: ev.AssemblyRecallEmpowered) -> None:
    a = org.assemblies[e.assembly]
    a.recall_councils = list(e.councils)
    a.recall_empowered_by = e.by
    a.recall_empowered_on = e.date


def _member_recalled(org: AssemblyState, e: ev.AssemblyMemberRecalled) -> None:
    a = org.assemblies[e.assembly]
    a.recalled = {**a.recalled, e.member: [e.date.isoformat(), e.council]}


def _dissolved(org: AssemblyState, e: ev.AssemblyDissolved) -> None:
    a = org.assemblies[e.assembly]
    a.dissolved_on = e.date
    a.dissolved_by = e.by


ASSEMBLY_MUTATORS: dict[type[ev.Event], Callable[[AssemblyState, Any], None]] = {
    ev.AssemblyCreated: _created,
    ev.PartyListRegistered: _list_registered,
    ev.ListVotesRecorded: _votes_recorded,
    ev.AssemblySeatsAllocated: _allocated,
    ev.SplitAttributed: _split,
    ev.AssemblyOpened: _opened,
    ev.AssemblyRecallEmpowered: _recall_empowered,
    ev.AssemblyMemberRecalled: _member_recalled,
    ev.AssemblyDissolved: _dissolved,
}
