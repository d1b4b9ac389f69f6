"""Commands to congresses: the call, credentials, the session, committees, motions, votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from soviet.application.commands.base import Command
from soviet.application.commands.council import Ranking
from soviet.domain.rules import Candidate, GroupList


@dataclass(frozen=True, kw_only=True)
class CallCongress(Command):
    """A body with authority convenes a congress: fixed ``senders`` or a ``seat_rule``."""

    name: str
    convened_by: str
    date: dt.date
    opens_on: dt.date
    quorum: str
    senders: Mapping[str, int] | None = None
    seat_rule: Mapping[str, Any] | None = None
    sending_councils: Sequence[str] = ()
    max_credential_age_days: int | None = None
    previous: str | None = None
    credentials_committee: str | None = None
    #: Permission (not recorded): fixed senders may be bodies that are not councils.
    external: bool = False
    #: A fact of the call (recorded): councils may send delegates not their own.
    outside_delegates: bool = False
    #: A fact of the call (recorded): delegates may register their own attendance.
    self_registration: bool = False
    #: A fact of the call (recorded): delegates may give their vote to another (proxy).
    proxies: bool = False


@dataclass(frozen=True, kw_only=True)
class PostponeCongress(Command):
    """The convening body moves the opening date."""

    congress: str
    by: str
    opens_on: dt.date
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class PresentCredential(Command):
    """A delegate presents a credential from the body that elected them."""

    congress: str
    delegate: str
    sent_by: str
    elected_on: dt.date
    date: dt.date
    rights: str = "voice-and-vote"
    group: str | None = None


@dataclass(frozen=True, kw_only=True)
class ElectCongressDelegates(Command):
    """A lower council elects its delegates to the congress."""

    congress: str
    council: str
    date: dt.date
    candidates: Sequence[Candidate] = ()
    method: str = "block"
    seats: int | None = None
    lists: Sequence[GroupList] = ()
    rankings: Sequence[Ranking] = ()
    seed: int | None = None


@dataclass(frozen=True, kw_only=True)
class RuleOnCredential(Command):
    """The credentials committee accepts or rejects a credential."""

    congress: str
    credential: int
    accept: bool
    date: dt.date
    reason: str | None = None
    override: bool = False


@dataclass(frozen=True, kw_only=True)
class RuleOnCredentials(Command):
    """The credentials committee accepts or rejects several credentials in one ruling;
    ``credentials=None`` accepts every pending credential that passed the checks."""

    congress: str
    credentials: Sequence[int] | None
    accept: bool
    date: dt.date
    reason: str | None = None
    override: bool = False


@dataclass(frozen=True, kw_only=True)
class ReconsiderCredential(Command):
    """The credentials committee reverses its ruling on a credential, with its reason."""

    congress: str
    credential: int
    accept: bool
    reason: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RegisterAttendance(Command):
    """Delegates (by credential, or a whole group) arrive or leave."""

    congress: str
    arriving: bool
    date: dt.date
    credentials: Sequence[int] = ()
    group: str | None = None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpenCongress(Command):
    """Open the session."""

    congress: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class CloseCongress(Command):
    """Close the congress."""

    congress: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DeclareGroup(Command):
    """Delegates declare or change their group (None: leave every group)."""

    congress: str
    credentials: Sequence[int]
    group: str | None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ElectCommittee(Command):
    """Elect a presidium, executive or credentials committee in proportion to groups."""

    congress: str
    committee: str
    seats: int
    date: dt.date
    kind: str = "executive"
    method: str = "dhondt"
    declined: Sequence[str] = ()
    declined_seats: str = "redistribute"
    candidates: Mapping[str, Sequence[str]] | None = None
    group_sizes: Mapping[str, int] | None = None
    rankings: Sequence[Ranking] = ()
    seed: int | None = None


@dataclass(frozen=True, kw_only=True)
class ElectPost(Command):
    """Elect a chair or another single post."""

    congress: str
    post: str
    date: dt.date
    candidates: Sequence[Candidate] = ()
    rankings: Sequence[Ranking] = ()
    method: str = "plurality"
    seed: int | None = None


@dataclass(frozen=True, kw_only=True)
class TableMotion(Command):
    """A seated, present delegate moves a motion or an amendment."""

    congress: str
    title: str
    text: str
    mover: int
    date: dt.date
    amends: int | None = None
    decree: bool = False
    urgent: bool = False
    without_debate: bool = False
    item: str | None = None
    replaces: str | None = None


@dataclass(frozen=True, kw_only=True)
class AdoptAgenda(Command):
    """The congress adopts (or replaces) its agenda."""

    congress: str
    items: Sequence[str]
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OrderMotions(Command):
    """The chair or a vote sets the order in which motions are put."""

    congress: str
    order: Sequence[int]
    date: dt.date
    decided_by: str


@dataclass(frozen=True, kw_only=True)
class WithdrawMotion(Command):
    """The mover withdraws a motion not yet decided."""

    congress: str
    motion: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class OpenVote(Command):
    """Put a motion to the vote."""

    congress: str
    motion: int
    date: dt.date
    stage: str | None = None  # amendment for an amendment, else final
    mode: str = "show-of-hands"
    majority: str = "simple"
    abstentions: str = "ignored"
    supersedes: int | None = None
    #: A roll call whose ballots weigh the electors each delegate represents.
    weighted: bool = False


@dataclass(frozen=True, kw_only=True)
class CastVote(Command):
    """A delegate votes in a roll call or a secret ballot."""

    congress: str
    vote: int
    credential: int
    choice: str
    date: dt.date
    #: Cast, with one's own, the ballot of every delegate whose proxy one holds.
    proxies: bool = False


@dataclass(frozen=True, kw_only=True)
class CloseVote(Command):
    """Close a vote; a show of hands or division gives its ``counts``."""

    congress: str
    vote: int
    date: dt.date
    counts: Mapping[str, int] | None = None
