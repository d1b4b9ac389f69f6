"""Commands of list assemblies: the counter-example to councils (issue 12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from soviet.application.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class CreateAssembly(Command):
    """A body elected from party lists for a fixed term: ``districts`` maps each district
    to its seats, ``rule`` is a list rule of the counting engine (``{"method":
    "dhondt", "threshold": "0.05"}``), applied per ``district`` or ``national``ly; lists
    are ``closed`` (list order) or ``open`` (personal votes) and close on ``closing``."""

    name: str
    districts: Mapping[str, int]
    rule: Mapping[str, str]
    scope: str = "district"
    lists: str = "closed"
    closing: dt.date
    term_days: int
    opening_quorum: int | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RegisterPartyList(Command):
    """A party's ordered list of candidates in one district, by the closing date."""

    assembly: str
    party: str
    district: str
    candidates: Sequence[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecordListVotes(Command):
    """A district's result: votes per list, and personal votes where lists are open."""

    assembly: str
    district: str
    votes: Mapping[str, int]
    personal: Mapping[str, int] | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AllocateAssemblySeats(Command):
    """Count the seats by the assembly's rule once every district has voted."""

    assembly: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AttributeSplit(Command):
    """Attribute the elected members of a party that split after its lists froze to its
    successor groups: by list ``positions`` (successor -> positions) or by declared
    ``affiliation`` (member -> successor)."""

    assembly: str
    party: str
    rule: str
    successors: Sequence[str]
    positions: Mapping[str, Sequence[int]] | None = None
    affiliation: Mapping[str, str] | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OpenAssembly(Command):
    """The assembly's first sitting with ``present`` deputies; refused below its opening
    quorum."""

    assembly: str
    present: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class EmpowerAssemblyRecall(Command):
    """A council or congress (``by``) empowers ``councils`` ("*": any) to recall the
    assembly's members."""

    assembly: str
    by: str
    councils: Sequence[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallAssemblyMember(Command):
    """An empowered council recalls a member of the assembly; the seat stays vacant."""

    assembly: str
    member: str
    council: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DissolveAssembly(Command):
    """A council or congress (``by``) dissolves the assembly before its term ends."""

    assembly: str
    by: str
    date: dt.date
