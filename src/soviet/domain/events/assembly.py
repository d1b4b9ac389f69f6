"""Events of list assemblies: the counter-example to councils (issue 12).

SYSTEM.md, "The counter-example: list elections": the Constituent Assembly was elected
from party lists "drawn up two or three months before October" and not changeable; the
Left and Right SRs still stood on one list (000:2988-3013). An assembly's composition is
fixed for its term; there is no recall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.domain.events.base import OMIT_IF_NONE, Event


@dataclass(frozen=True, kw_only=True)
class AssemblyCreated(Event):
    """An assembly elected from party lists: ``districts`` maps each district to its
    seats; ``rule`` is a seat-rule configuration of the counting engine (``{"method":
    "dhondt", "threshold": "0.05"}``) applied per district or nationally (``scope``);
    ``lists`` are ``closed`` or ``open``; lists close on ``closing``; members sit for
    ``term_days`` from the allocation."""

    name: str
    districts: dict[str, int]
    rule: dict[str, str]
    scope: str
    lists: str
    closing: dt.date
    term_days: int
    opening_quorum: int | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class PartyListRegistered(Event):
    """A party's ordered list of candidates in one district (frozen once registered)."""

    assembly: str
    party: str
    district: str
    candidates: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ListVotesRecorded(Event):
    """A district's votes per list and, for open lists, the candidates' personal votes."""

    assembly: str
    district: str
    votes: dict[str, int]
    personal: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AssemblySeatsAllocated(Event):
    """The counting engine's result: ``members`` maps each district to its elected
    candidates by party (``{district: {party: [candidate, ...]}}``); ``seats`` totals
    seats per party."""

    assembly: str
    members: dict[str, dict[str, list[str]]]
    seats: dict[str, int]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class SplitAttributed(Event):
    """A party that split after the lists closed keeps its one list; its elected members
    are attributed to ``successors`` by the stated ``rule`` (``positions``: list positions
    named per successor; ``affiliation``: each member's declared group).
    ``attribution`` maps every elected member of the party to a successor."""

    assembly: str
    party: str
    rule: str
    successors: list[str]
    attribution: dict[str, str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AssemblyOpened(Event):
    """The assembly's first sitting, with the deputies present (at least its opening
    quorum, 003:46725-46730)."""

    assembly: str
    present: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AssemblyRecallEmpowered(Event):
    """A higher body (``by``: a council or congress) empowered ``councils`` ("*": any
    council) to recall the assembly's members (003:46760-46770)."""

    assembly: str
    by: str
    councils: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AssemblyMemberRecalled(Event):
    """A council recalled a member of the assembly; the seat stays vacant."""

    assembly: str
    member: str
    council: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AssemblyDissolved(Event):
    """A council or congress (``by``) dissolved the assembly before its term ended (the
    Constituent Assembly, "the very first day it met", 001:261-263)."""

    assembly: str
    by: str
    date: dt.date
