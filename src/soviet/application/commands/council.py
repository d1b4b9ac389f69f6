"""Commands to councils: structure, rolls, elections, mandates, recall, dissolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from soviet.application.commands.base import Command
from soviet.domain.roll import RollEntry
from soviet.domain.rules import Candidate, GroupList

Ranking = tuple[Sequence[str], int]
"""A ranked ballot: the candidates in order of preference, and how many ballots carry it."""


@dataclass(frozen=True, kw_only=True)
class CreateCouncil(Command):
    """Create a council with its seat rule, recall rule and sections."""

    name: str
    seat_rule: Mapping[str, Any]
    sections: Sequence[str] = ()
    sections_merged: bool = True
    recall_threshold: str = "1/2"
    recall_mode: str = "by-election"
    max_term_days: int | None = None
    calendar: str = "gregorian"
    description: str = ""
    may_convene: Sequence[str] = ()


@dataclass(frozen=True, kw_only=True)
class ArrangeSections(Command):
    """A council's sections sit together (``merged``) or apart."""

    council: str
    merged: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CreateConstituency(Command):
    """A constituency with a numbered roll (``headcount``) or a named one (``electors``)."""

    name: str
    council: str
    section: str | None = None
    kind: str | None = None
    headcount: int | None = None
    electors: Sequence[str] | None = None


@dataclass(frozen=True, kw_only=True)
class SetHeadcount(Command):
    """Change the headcount of a numbered roll; a cut below the sitting delegates is
    refused unless ``vacate_surplus`` (the delegates in seats above the new count lose them)."""

    constituency: str
    headcount: int
    date: dt.date
    vacate_surplus: bool = False


@dataclass(frozen=True, kw_only=True)
class EnrolElectors(Command):
    """Add electors to a named roll."""

    constituency: str
    electors: Sequence[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class MoveElector(Command):
    """Move an elector to another constituency's named roll."""

    elector: str
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ImportRoll(Command):
    """Replace the named roll of ``constituency`` (None: every named roll) with a member
    register; only the differences are recorded. When there are none the handler raises
    ``NothingChanged`` (not a DomainError), which rolls its transaction back."""

    constituency: str | None
    members: Sequence[RollEntry]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RemoveElector(Command):
    """Strike an elector off their roll."""

    elector: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ElectDelegates(Command):
    """Fill a constituency's vacant seats from counts, closed lists or ranked ballots."""

    constituency: str
    date: dt.date
    candidates: Sequence[Candidate] = ()
    seats: int | None = None
    method: str = "plurality"
    term_days: int | None = None
    seed: int | None = None
    lists: Sequence[GroupList] = ()
    rankings: Sequence[Ranking] = ()


@dataclass(frozen=True, kw_only=True)
class AdoptMandate(Command):
    """A constituency's electors instruct their delegate (by seat when there are several)."""

    constituency: str
    text: str
    date: dt.date
    seat: int | None = None


@dataclass(frozen=True, kw_only=True)
class OpenRecall(Command):
    """An elector opens a petition to recall delegates of their constituency."""

    constituency: str
    opened_by: str
    date: dt.date
    seats: Sequence[int] = ()
    whole_delegation: bool = False
    replacements: Sequence[Candidate] = field(default=())


@dataclass(frozen=True, kw_only=True)
class SignRecall(Command):
    """Electors sign a recall petition; reaching the threshold recalls at once."""

    petition: int
    electors: Sequence[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WithdrawSignature(Command):
    """An elector takes their signature off an open recall petition."""

    petition: int
    elector: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AppointSecretary(Command):
    """Appoint a member (by member id) a secretary of a council."""

    council: str
    member: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DismissSecretary(Command):
    """Dismiss a secretary of a council."""

    council: str
    member: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DissolveCouncil(Command):
    """The council votes to dissolve itself; every seat falls vacant."""

    council: str
    date: dt.date
    votes_for: int | None = None
    votes_against: int | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeCouncil(Command):
    """Change some settings of a council (see ``structure.COUNCIL_SETTINGS``)."""

    council: str
    changes: Mapping[str, Any]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RenameCouncil(Command):
    """Give a council a new name."""

    council: str
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RemoveCouncil(Command):
    """Remove a council with no constituencies."""

    council: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ChangeConstituency(Command):
    """Change a constituency's section or kind."""

    constituency: str
    changes: Mapping[str, Any]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RenameConstituency(Command):
    """Give a constituency a new name."""

    constituency: str
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RemoveConstituency(Command):
    """Remove a constituency with no delegates or petitions on record."""

    constituency: str
    date: dt.date
