"""Events of councils: structure, rolls, elections, mandates, recall, dissolution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict

from soviet.domain.events.base import OMIT_IF_NONE, Event, key


class ElectedSeat(TypedDict):
    """A seat filled: the new delegate's number, seat, name, group, rights and term."""

    delegate_id: int
    seat: int
    name: str
    group: str | None
    rights: str
    term_days: int | None


class RollMember(TypedDict):
    """A member added to a named roll from a register: id (the elector), name, constituency."""

    member: str
    name: str
    constituency: str


RollMove = TypedDict("RollMove", {"member": str, "from": str, "to": str})
"""A member of the register who moved from one named roll (``from``) to another (``to``)."""


class RollRename(TypedDict):
    """A member of the register whose name changed (their id, the elector, did not)."""

    member: str
    name: str


class RollRemoval(TypedDict):
    """A member struck off a named roll because the register no longer lists them."""

    member: str
    constituency: str


class NamedReplacement(TypedDict):
    """The person a petition names to take a recalled delegate's seat."""

    name: str
    group: str | None


class RecallOutcome(TypedDict):
    """What a signature that completes a petition does: who is recalled, who replaces them."""

    recalled: list[int]
    replacements: list[ElectedSeat]


TieBreak = dict[str, Any]
"""One drawing of lots, as ``count.ties.Lot`` logs it."""


@dataclass(frozen=True, kw_only=True)
class CouncilCreated(Event):
    """A council with its seat rule and recall rule."""

    name: str
    seat_rule: dict[str, Any]
    sections: list[str]
    sections_merged: bool
    recall_threshold: str
    recall_mode: str
    max_term_days: int | None
    calendar: str
    description: str = ""
    may_convene: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CouncilSectionsArranged(Event):
    """A council's sections now sit together (merged) or apart."""

    council: str
    merged: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConstituencyCreated(Event):
    """A constituency with a numbered roll (headcount) or a named roll (electors)."""

    name: str
    council: str
    section: str | None
    kind: str | None
    roll: str
    headcount: int
    electors: list[str]


@dataclass(frozen=True, kw_only=True)
class HeadcountSet(Event):
    """A numbered roll's headcount changed; ``vacated`` are the delegates whose seats the
    cut abolished (those above the new seat count), left out when there are none."""

    constituency: str
    headcount: int
    date: dt.date
    vacated: list[int] | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class ElectorsEnrolled(Event):
    """Electors added to a named roll."""

    constituency: str
    electors: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ElectorMoved(Event):
    """An elector moved from one named roll to another."""

    elector: str
    from_: str = field(metadata=key("from"))
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ElectorRemoved(Event):
    """An elector struck off a named roll."""

    elector: str
    constituency: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RollImported(Event):
    """A member register replaced the named roll of ``constituency`` (None: every named
    roll). Only the differences are recorded: members added, moved, renamed, removed
    (ids sorted); a member's id is their elector key, so a new name is a rename. E-mail
    addresses are never recorded (docs/decisions/0011)."""

    constituency: str | None
    added: list[RollMember]
    moved: list[RollMove]
    renamed: list[RollRename]
    removed: list[RollRemoval]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DelegatesElected(Event):
    """Vacant seats of a constituency filled by an election, with its tally and lots."""

    constituency: str
    date: dt.date
    method: str
    tally: dict[str, int]
    elected: list[ElectedSeat]
    seed: int | None
    tie_breaks: list[TieBreak]
    # Counted from ranked ballots: {"candidates": [names], "seats": n, "rankings":
    # [[[names in order], ballots], ...]}, anonymous and grouped as a BLT file holds them
    # (decision 0005), so the count can be published and re-counted. Absent otherwise, and
    # on every event recorded before it existed, whose hash it leaves unchanged.
    ballots: dict[str, Any] | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class MandateAdopted(Event):
    """A constituency's electors instructed their delegate."""

    number: int
    constituency: str
    delegate_id: int
    text: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallOpened(Event):
    """A recall petition opened against delegates of a constituency."""

    petition: int
    constituency: str
    delegate_ids: list[int]
    opened_by: str
    replacements: list[NamedReplacement]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallSigned(Event):
    """Electors signed a petition; ``outcome`` is set when the signatures recalled."""

    petition: int
    electors: list[str]
    signatures: int
    needed: int
    date: dt.date
    outcome: RecallOutcome | None


@dataclass(frozen=True, kw_only=True)
class SignatureWithdrawn(Event):
    """An elector took their signature off an open petition."""

    petition: int
    elector: str
    signatures: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class SecretaryAppointed(Event):
    """A member was appointed a secretary of a council (its rolls, elections, petitions
    and set-up, as docs/decisions/0016 lists); ``number`` numbers the appointment."""

    council: str
    member: str
    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class SecretaryDismissed(Event):
    """A secretary of a council was dismissed (appointment ``number`` ended)."""

    council: str
    member: str
    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CouncilDissolved(Event):
    """A council dissolved itself: its seats fell vacant and its open petitions lapsed."""

    council: str
    date: dt.date
    votes_for: int | None
    votes_against: int | None
    vacated: list[int]
    closed_petitions: list[int]


@dataclass(frozen=True, kw_only=True)
class CouncilChanged(Event):
    """A council's settings changed: only the settings named in ``changes``, to the values
    given (seat rule, recall threshold and mode, maximum term, congresses it may convene,
    description)."""

    council: str
    changes: dict[str, Any]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CouncilRenamed(Event):
    """A council took a new name; its constituencies follow it."""

    name: str
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CouncilRemoved(Event):
    """A council with no constituencies left was removed."""

    name: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConstituencyChanged(Event):
    """A constituency's section or kind changed (only the keys in ``changes``)."""

    constituency: str
    changes: dict[str, Any]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConstituencyRenamed(Event):
    """A constituency took a new name: its delegates, electors, petitions and the roll
    numbers signed on them (``NAME#17``) follow it."""

    name: str
    to: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConstituencyRemoved(Event):
    """A constituency with no delegates or petitions on record was removed, with the
    electors of its named roll."""

    name: str
    electors: list[str]
    date: dt.date
