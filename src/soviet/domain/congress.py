"""Congresses: councils whose seats are filled by lower councils.

State (dataclasses) and how each congress event changes it. The decisions live in
``soviet.domain.congress_rules``. Sources: SYSTEM.md, "Congresses, credentials, quorum,
sessions" and "Motions and voting".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping, MutableSequence, MutableSet
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, cast

from soviet.domain import events as ev
from soviet.domain.records import count, first, keys_where, tally, where

CredentialStatus = Literal["pending", "accepted", "rejected"]
CongressStatus = Literal["called", "open", "closed"]
VoteMode = Literal["show-of-hands", "division", "roll-call", "secret"]
Choice = Literal["for", "against", "abstain"]
CHOICES: tuple[Choice, ...] = ("for", "against", "abstain")
MotionStatus = Literal["tabled", "basis", "adopted", "rejected", "withdrawn"]
Rights = Literal["voice-and-vote", "voice-only"]
CommitteeKind = Literal["presidium", "executive", "credentials", "post"]
Stage = Literal["amendment", "basis", "final"]
Abstentions = Literal["ignored", "count-against"]


@dataclass
class Credential:
    """A delegate's credential: who, sent by which body, elected when, with which rights."""

    number: int
    delegate: str
    sent_by: str
    elected_on: dt.date
    rights: Rights
    status: CredentialStatus = "pending"
    reason: str | None = None
    ruled_by: str | None = None
    problems: list[str] = field(default_factory=list)
    group: str | None = None
    present: bool = False
    #: A declared weight (the electors the delegate stands for) in weighted votes; None:
    #: weighed by the headcount of the constituency the delegate sits for.
    weight: int | None = None

    @property
    def seated(self) -> bool:
        """Accepted by the credentials committee."""
        return self.status == "accepted"

    @property
    def votes(self) -> bool:
        """Seated, present and with the right to vote."""
        return self.seated and self.present and self.rights == "voice-and-vote"


@dataclass
class GroupChange:
    """A delegate declared or changed group (the history of group sizes)."""

    order: int
    credential: int
    group: str | None
    date: dt.date


@dataclass
class Attendance:
    """An arrival or departure (a walk-out is a departure with a reason)."""

    order: int
    credential: int
    present: bool
    date: dt.date
    reason: str | None = None


@dataclass
class CommitteeMember:
    """A member of a committee elected by the congress, with their group."""

    name: str
    group: str | None


@dataclass
class Committee:
    """A presidium, executive committee or single post elected by the congress."""

    name: str
    kind: CommitteeKind
    elected_on: dt.date
    method: str
    seats: int
    members: list[CommitteeMember]
    allocation: dict[str, int] = field(default_factory=dict)
    declined: list[str] = field(default_factory=list)
    mandate_ended_on: dt.date | None = None


@dataclass
class VoteRecord:
    """One vote on a motion: its mode, its rule, what was counted, and who could vote."""

    number: int
    motion: int
    stage: Stage
    mode: VoteMode
    majority: str
    abstentions: Abstentions
    opened_on: dt.date
    status: Literal["open", "closed", "superseded"] = "open"
    counts: dict[str, int] = field(default_factory=dict)
    roll: MutableMapping[int, Choice] = field(default_factory=dict)
    ballots: list[Choice] = field(default_factory=list)
    voted: MutableSet[int] = field(default_factory=set)
    entitled: list[int] = field(default_factory=list)
    present: list[int] = field(default_factory=list)
    carried: bool | None = None
    supersedes: int | None = None
    #: Weighted votes (decision 0022): each ballot's weight by credential, the tally by
    #: weight and the weight of all who were entitled when it closed.
    weighted: bool = False
    weights: MutableMapping[int, int] = field(default_factory=dict)
    weighted_counts: dict[str, int] = field(default_factory=dict)
    entitled_weight: int | None = None
    #: Ballots cast by proxy: the giver's credential -> the holder's who cast it.
    proxied: MutableMapping[int, int] = field(default_factory=dict)


@dataclass
class Proxy:
    """A delegate's vote given to another delegate (one hop), standing until revoked."""

    number: int
    giver: int
    holder: int
    granted_on: dt.date
    revoked_on: dt.date | None = None


@dataclass
class Motion:
    """A motion, or an amendment to one, with its votes."""

    number: int
    title: str
    text: str
    mover: int
    tabled_on: dt.date
    amends: int | None = None
    decree: bool = False
    urgent: bool = False
    without_debate: bool = False
    status: MotionStatus = "tabled"
    order: int = 0
    item: str | None = None
    replaces: str | None = None


@dataclass
class Congress:
    """A congress: its call, credentials, attendance, groups, committees and motions."""

    name: str
    convened_by: str
    opens_on: dt.date
    called_on: dt.date
    quorum: str
    senders: dict[str, int]
    max_credential_age_days: int | None
    previous: str | None = None
    credentials_committee: str = ""
    #: The call lets a council send delegates who are not its own delegates.
    outside_delegates: bool = False
    #: Delegates may register their own arrival and departure.
    self_registration: bool = False
    #: Delegates may give their vote to another delegate (decision 0022).
    proxies_allowed: bool = False
    status: CongressStatus = "called"
    postponements: list[dt.date] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    credentials: MutableMapping[int, Credential] = field(default_factory=dict)
    attendance: MutableSequence[Attendance] = field(default_factory=list)
    group_changes: MutableSequence[GroupChange] = field(default_factory=list)
    committees: MutableMapping[str, Committee] = field(default_factory=dict)
    motions: MutableMapping[int, Motion] = field(default_factory=dict)
    votes: MutableMapping[int, VoteRecord] = field(default_factory=dict)
    proxies: MutableMapping[int, Proxy] = field(default_factory=dict)

    def seated(self) -> list[Credential]:
        """Accepted credentials, by number."""
        return where(self.credentials, status="accepted")

    def entitled_present(self) -> list[Credential]:
        """Seated, present delegates with a vote."""
        return where(self.credentials, status="accepted", rights="voice-and-vote", present=True)

    def entitled(self, *, present_only: bool = False) -> list[int]:
        """The numbers of the seated delegates with a vote (present ones only, if asked):
        asked by field, no credential read whole."""
        equal: dict[str, object] = {"present": True} if present_only else {}
        return keys_where(self.credentials, status="accepted", rights="voice-and-vote", **equal)

    def seated_count(self, **equal: object) -> int:
        """How many seated delegates have fields equal to the values given."""
        return count(self.credentials, status="accepted", **equal)

    def group_sizes(self, *, present_only: bool = False) -> dict[str, int]:
        """Seated delegates per group (present ones only, if asked)."""
        equal: dict[str, object] = {"present": True} if present_only else {}
        sizes: dict[str, int] = {}
        for group, n in tally(self.credentials, "group", status="accepted", **equal).items():
            key = group or "(no group)"
            sizes[key] = sizes.get(key, 0) + n
        return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))

    def credentials_from(self, body: str) -> int:
        """Credentials a sending body holds, rejected ones apart."""
        sent = count(self.credentials, sent_by=body)
        return sent - count(self.credentials, sent_by=body, status="rejected")

    def credential_of(self, delegate: str) -> Credential | None:
        """The credential carrying this delegate's name (the first, by number), if any."""
        return first(self.credentials, delegate=delegate)

    def open_votes(self) -> list[VoteRecord]:
        """Votes not yet closed (at most one, as the rules keep it)."""
        return where(self.votes, status="open")


@dataclass
class Decree:
    """An adopted motion that is a decree: its consolidated text (the motion's text with
    the carried amendments folded in, in the order they were carried) and those
    amendments by motion number."""

    number: int
    title: str
    text: str
    adopted_on: dt.date
    body: str
    motion: int
    tally: dict[str, int]
    amendments: list[int] = field(default_factory=list)


# --- applying events -------------------------------------------------------------------
class CongressState(Protocol):
    """What congress events change: the organisation's congresses and decrees."""

    congresses: MutableMapping[str, Congress]
    decrees: MutableMapping[int, Decree]


def _congress_called(org: CongressState, e: ev.CongressCalled) -> None:
    org.congresses[e.name] = Congress(
        name=e.name,
        convened_by=e.convened_by,
        opens_on=e.opens_on,
        called_on=e.date,
        quorum=e.quorum,
        senders=dict(e.senders),
        max_credential_age_days=e.max_credential_age_days,
        previous=e.previous,
        credentials_committee=e.credentials_committee or e.convened_by,
        outside_delegates=bool(e.outside_delegates),
        self_registration=bool(e.self_registration),
        proxies_allowed=bool(e.proxies),
    )


def _congress_postponed(org: CongressState, e: ev.CongressPostponed) -> None:
    congress = org.congresses[e.congress]
    congress.postponements.append(congress.opens_on)
    congress.opens_on = e.opens_on


def _present(
    congress: Congress,
    number: int,
    delegate: str,
    sent_by: str,
    elected_on: dt.date,
    rights: str,
    problems: list[str],
    group: str | None,
    date: dt.date,
) -> None:
    congress.credentials[number] = Credential(
        number=number,
        delegate=delegate,
        sent_by=sent_by,
        elected_on=elected_on,
        rights=cast(Rights, rights),
        problems=list(problems),
        group=group,
    )
    if group is not None:
        congress.group_changes.append(
            GroupChange(len(congress.group_changes) + 1, number, group, date)
        )


def _credential_presented(org: CongressState, e: ev.CredentialPresented) -> None:
    _present(
        org.congresses[e.congress],
        e.number,
        e.delegate,
        e.sent_by,
        e.elected_on,
        e.rights,
        e.problems,
        e.group,
        e.date,
    )


def _congress_delegates_elected(org: CongressState, e: ev.CongressDelegatesElected) -> None:
    congress = org.congresses[e.congress]
    for c in e.credentials:
        _present(
            congress,
            c["number"],
            c["delegate"],
            e.council,
            e.date,
            c["rights"],
            c["problems"],
            c["group"],
            e.date,
        )


def _rule(
    credential: Credential, accepted: bool, reason: str | None, committee: str | None
) -> None:
    credential.status = "accepted" if accepted else "rejected"
    credential.reason = reason
    credential.ruled_by = committee


def _credential_ruled(org: CongressState, e: ev.CredentialRuled) -> None:
    _rule(org.congresses[e.congress].credentials[e.number], e.accepted, e.reason, e.committee)


def _credentials_ruled(org: CongressState, e: ev.CredentialsRuled) -> None:
    credentials = org.congresses[e.congress].credentials
    for number in e.numbers:
        _rule(credentials[number], e.accepted, e.reason, e.committee)


def _credential_reconsidered(org: CongressState, e: ev.CredentialReconsidered) -> None:
    _rule(org.congresses[e.congress].credentials[e.number], e.accepted, e.reason, e.committee)


def _attendance(org: CongressState, e: ev.AttendanceRecorded) -> None:
    congress = org.congresses[e.congress]
    for number in e.credentials:
        congress.credentials[number].present = e.present
        congress.attendance.append(
            Attendance(len(congress.attendance) + 1, number, e.present, e.date, e.reason)
        )


def _congress_opened(org: CongressState, e: ev.CongressOpened) -> None:
    org.congresses[e.congress].status = "open"
    ended = e.ended_committee
    if ended is not None:
        previous = org.congresses[ended["congress"]]
        previous.committees[ended["committee"]].mandate_ended_on = e.date


def _congress_closed(org: CongressState, e: ev.CongressClosed) -> None:
    org.congresses[e.congress].status = "closed"


def _groups_declared(org: CongressState, e: ev.GroupDeclared) -> None:
    congress = org.congresses[e.congress]
    for number in e.credentials:
        congress.credentials[number].group = e.group
        congress.group_changes.append(
            GroupChange(len(congress.group_changes) + 1, number, e.group, e.date)
        )


def _committee_elected(org: CongressState, e: ev.CommitteeElected) -> None:
    congress = org.congresses[e.congress]
    congress.committees[e.committee] = Committee(
        name=e.committee,
        kind=cast(CommitteeKind, e.kind),
        elected_on=e.date,
        method=e.method,
        seats=e.seats,
        members=[CommitteeMember(m["name"], m["group"]) for m in e.members],
        allocation=dict(e.allocation),
        declined=list(e.declined),
    )
    if e.kind == "credentials":  # an elected credentials committee takes over the rulings
        congress.credentials_committee = e.committee


def _motion_tabled(org: CongressState, e: ev.MotionTabled) -> None:
    org.congresses[e.congress].motions[e.number] = Motion(
        number=e.number,
        title=e.title,
        text=e.text,
        mover=e.mover,
        tabled_on=e.date,
        amends=e.amends,
        decree=e.decree,
        urgent=e.urgent,
        without_debate=e.without_debate,
        order=e.number,
        item=e.item,
        replaces=e.replaces,
    )


def _agenda_adopted(org: CongressState, e: ev.AgendaAdopted) -> None:
    org.congresses[e.congress].agenda = list(e.items)


def _motions_ordered(org: CongressState, e: ev.MotionsOrdered) -> None:
    congress = org.congresses[e.congress]
    for position, number in enumerate(e.order, start=1):
        congress.motions[number].order = position


def _vote_opened(org: CongressState, e: ev.VoteOpened) -> None:
    org.congresses[e.congress].votes[e.vote] = VoteRecord(
        number=e.vote,
        motion=e.motion,
        stage=cast(Stage, e.stage),
        mode=cast(VoteMode, e.mode),
        majority=e.majority,
        abstentions=cast(Abstentions, e.abstentions),
        opened_on=e.date,
        supersedes=e.supersedes,
        weighted=bool(e.weighted),
    )


def _ballot_cast(org: CongressState, e: ev.BallotCast) -> None:
    vote = org.congresses[e.congress].votes[e.vote]
    if vote.mode == "roll-call":
        vote.roll[e.credential] = cast(Choice, e.choice)
        for giver in e.proxy_for or ():
            vote.roll[giver] = cast(Choice, e.choice)
            vote.proxied[giver] = e.credential
    else:  # secret: the ledger learns who voted; the ballot itself waits in the box
        vote.voted.add(e.credential)
    for credential, weight in (e.weights or {}).items():
        vote.weights[int(credential)] = weight


def _vote_closed(org: CongressState, e: ev.VoteClosed) -> None:
    congress = org.congresses[e.congress]
    vote = congress.votes[e.vote]
    vote.status = "closed"
    vote.counts = dict(e.counts)
    vote.ballots = cast(list[Choice], list(e.ballots))
    vote.entitled = list(e.entitled)
    vote.present = list(e.present)
    vote.carried = e.carried
    vote.weighted_counts = dict(e.weighted_counts or {})
    vote.entitled_weight = e.entitled_weight
    if vote.supersedes is not None:
        congress.votes[vote.supersedes].status = "superseded"
    congress.motions[vote.motion].status = cast(MotionStatus, e.motion_status)
    if e.decree is not None:
        org.decrees[e.decree["number"]] = Decree(
            number=e.decree["number"],
            title=e.decree["title"],
            text=e.decree["text"],
            adopted_on=e.date,
            body=e.congress,
            motion=vote.motion,
            tally=dict(e.counts),
            amendments=list(e.decree["amendments"]),
        )


def _motion_withdrawn(org: CongressState, e: ev.MotionWithdrawn) -> None:
    org.congresses[e.congress].motions[e.motion].status = "withdrawn"


CONGRESS_MUTATORS: dict[type[ev.Event], Callable[[CongressState, Any], None]] = {
    ev.CongressCalled: _congress_called,
    ev.CongressPostponed: _congress_postponed,
    ev.CredentialPresented: _credential_presented,
    ev.CongressDelegatesElected: _congress_delegates_elected,
    ev.CredentialRuled: _credential_ruled,
    ev.CredentialsRuled: _credentials_ruled,
    ev.CredentialReconsidered: _credential_reconsidered,
    ev.AttendanceRecorded: _attendance,
    ev.CongressOpened: _congress_opened,
    ev.CongressClosed: _congress_closed,
    ev.GroupDeclared: _groups_declared,
    ev.CommitteeElected: _committee_elected,
    ev.MotionTabled: _motion_tabled,
    ev.AgendaAdopted: _agenda_adopted,
    ev.MotionsOrdered: _motions_ordered,
    ev.MotionWithdrawn: _motion_withdrawn,
    ev.VoteOpened: _vote_opened,
    ev.BallotCast: _ballot_cast,
    ev.VoteClosed: _vote_closed,
}
