"""Events of congresses: the call, credentials, attendance, groups, committees, motions,
votes and decrees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict

from soviet.domain.events.base import OMIT_IF_NONE, Event
from soviet.domain.events.council import TieBreak


class IssuedCredential(TypedDict):
    """A credential issued to a delegate a council elected to the congress."""

    number: int
    delegate: str
    group: str | None
    rights: str
    problems: list[str]


class ElectedMember(TypedDict):
    """A member of an elected committee, with their group."""

    name: str
    group: str | None


class EndedMandate(TypedDict):
    """The executive committee whose mandate a new congress ends."""

    congress: str
    committee: str


class AdoptedDecree(TypedDict):
    """The decree a carried final vote makes."""

    number: int
    title: str
    text: str
    amendments: list[int]


@dataclass(frozen=True, kw_only=True)
class CongressCalled(Event):
    """A body with authority convened a congress."""

    name: str
    convened_by: str
    date: dt.date
    opens_on: dt.date
    quorum: str
    senders: dict[str, int]
    max_credential_age_days: int | None
    previous: str | None
    credentials_committee: str | None = None
    #: True when the call lets councils send delegates who are not their own delegates
    #: (left out of the payload otherwise, so older calls hash as they did).
    outside_delegates: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    #: True when delegates may register their own arrival and departure (left out of
    #: the payload otherwise, so older calls hash as they did).
    self_registration: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    #: True when delegates may give their vote to another delegate (a proxy, one hop;
    #: left out of the payload otherwise, so older calls hash as they did).
    proxies: bool | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class CongressPostponed(Event):
    """The convening body moved the opening date."""

    congress: str
    by: str
    opens_on: dt.date
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CredentialPresented(Event):
    """A delegate presented a credential; the automatic checks' findings go with it."""

    congress: str
    number: int
    delegate: str
    sent_by: str
    elected_on: dt.date
    rights: str
    group: str | None
    problems: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CongressDelegatesElected(Event):
    """A lower council elected its delegates to the congress; each got a credential."""

    congress: str
    council: str
    method: str
    tally: dict[str, int]
    credentials: list[IssuedCredential]
    seed: int | None
    tie_breaks: list[TieBreak]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CredentialRuled(Event):
    """The credentials committee accepted or rejected a credential."""

    congress: str
    number: int
    accepted: bool
    override: bool
    reason: str | None
    date: dt.date
    committee: str | None = None


@dataclass(frozen=True, kw_only=True)
class CredentialsRuled(Event):
    """The credentials committee accepted or rejected several credentials at once."""

    congress: str
    numbers: list[int]
    accepted: bool
    overridden: list[int]
    reason: str | None
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CredentialReconsidered(Event):
    """The credentials committee reversed an earlier ruling, with its reason."""

    congress: str
    number: int
    accepted: bool
    was: str
    override: bool
    reason: str
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AttendanceRecorded(Event):
    """Delegates arrived or left (a walk-out is a departure with a reason)."""

    congress: str
    credentials: list[int]
    present: bool
    reason: str | None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CongressOpened(Event):
    """The session opened; a new congress ends the previous executive's mandate."""

    congress: str
    date: dt.date
    ended_committee: EndedMandate | None


@dataclass(frozen=True, kw_only=True)
class CongressClosed(Event):
    """The congress closed."""

    congress: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class GroupDeclared(Event):
    """Delegates declared or changed their group (None: no group)."""

    congress: str
    credentials: list[int]
    group: str | None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CommitteeElected(Event):
    """A presidium, executive, credentials committee or single post elected.

    ``steps`` records how the count went: its seed and every drawing of lots (absent
    only from proportional committees recorded before that was kept).
    """

    congress: str
    committee: str
    kind: str
    method: str
    seats: int
    allocation: dict[str, int]
    declined: list[str]
    declined_seats: str
    group_sizes: dict[str, int]
    members: list[ElectedMember]
    date: dt.date
    steps: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class MotionTabled(Event):
    """A motion or an amendment moved."""

    congress: str
    number: int
    title: str
    text: str
    mover: int
    amends: int | None
    decree: bool
    urgent: bool
    without_debate: bool
    date: dt.date
    item: str | None = None
    replaces: str | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class AgendaAdopted(Event):
    """The congress adopted (or replaced) its agenda."""

    congress: str
    items: list[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class MotionsOrdered(Event):
    """The order in which competing motions are put."""

    congress: str
    order: list[int]
    decided_by: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class MotionWithdrawn(Event):
    """The mover withdrew a motion."""

    congress: str
    motion: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class VoteOpened(Event):
    """A motion put to the vote."""

    congress: str
    vote: int
    motion: int
    stage: str
    mode: str
    majority: str
    abstentions: str
    supersedes: int | None
    date: dt.date
    #: True when each ballot weighs the electors its delegate represents (left out of
    #: the payload otherwise, so older votes hash as they did).
    weighted: bool | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class BallotCast(Event):
    """A delegate voted; in a secret ballot ``choice`` is absent (it went to the box).

    ``proxy_for`` are the delegates whose proxies the voter held and cast with the same
    choice in the same action; ``weights`` the weight of each ballot cast (the voter's
    and the proxies', by credential) in a weighted vote. Both are left out when unset.
    """

    congress: str
    vote: int
    credential: int
    date: dt.date
    choice: str | None = field(default=None, metadata=OMIT_IF_NONE)
    proxy_for: list[int] | None = field(default=None, metadata=OMIT_IF_NONE)
    weights: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True, kw_only=True)
class VoteClosed(Event):
    """A vote closed with its tally, who was entitled and present, and its outcome."""

    congress: str
    vote: int
    counts: dict[str, int]
    ballots: list[str]
    entitled: list[int]
    present: list[int]
    carried: bool
    motion_status: str
    decree: AdoptedDecree | None
    date: dt.date
    #: A weighted vote's tally by weight, and the weight of all who were entitled (the
    #: base of an absolute majority); left out of unweighted votes.
    weighted_counts: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)
    entitled_weight: int | None = field(default=None, metadata=OMIT_IF_NONE)
