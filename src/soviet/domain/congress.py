"""Congresses: councils whose seats are filled by lower councils.

State (dataclasses) and how each congress event changes it. The decisions live in
``soviet.domain.congress_rules``. Sources: SYSTEM.md, "Congresses, credentials, quorum,
sessions" and "Motions and voting".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from soviet.domain.model import Organisation

CredentialStatus = Literal["pending", "accepted", "rejected"]
CongressStatus = Literal["called", "open", "closed"]
VoteMode = Literal["show-of-hands", "division", "roll-call", "secret"]
Choice = Literal["for", "against", "abstain"]
CHOICES: tuple[Choice, ...] = ("for", "against", "abstain")
MotionStatus = Literal["tabled", "basis", "adopted", "rejected", "withdrawn"]


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


@dataclass
class Credential:
    """A delegate's credential: who, sent by which body, elected when, with which rights."""

    number: int
    delegate: str
    sent_by: str
    elected_on: dt.date
    rights: Literal["voice-and-vote", "voice-only"]
    status: CredentialStatus = "pending"
    reason: str | None = None
    ruled_by: str | None = None
    problems: list[str] = field(default_factory=list)
    group: str | None = None
    present: bool = False

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
    kind: Literal["presidium", "executive", "credentials", "post"]
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
    stage: Literal["amendment", "basis", "final"]
    mode: VoteMode
    majority: str
    abstentions: Literal["ignored", "count-against"]
    opened_on: dt.date
    status: Literal["open", "closed", "superseded"] = "open"
    counts: dict[str, int] = field(default_factory=dict)
    roll: dict[int, Choice] = field(default_factory=dict)
    ballots: list[Choice] = field(default_factory=list)
    voted: set[int] = field(default_factory=set)
    entitled: list[int] = field(default_factory=list)
    present: list[int] = field(default_factory=list)
    carried: bool | None = None
    supersedes: int | None = None


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
    status: CongressStatus = "called"
    postponements: list[dt.date] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    credentials: dict[int, Credential] = field(default_factory=dict)
    attendance: list[Attendance] = field(default_factory=list)
    group_changes: list[GroupChange] = field(default_factory=list)
    committees: dict[str, Committee] = field(default_factory=dict)
    motions: dict[int, Motion] = field(default_factory=dict)
    votes: dict[int, VoteRecord] = field(default_factory=dict)

    def seated(self) -> list[Credential]:
        """Accepted credentials, by number."""
        return [c for _, c in sorted(self.credentials.items()) if c.seated]

    def entitled_present(self) -> list[Credential]:
        """Seated, present delegates with a vote."""
        return [c for c in self.seated() if c.votes]

    def group_sizes(self, *, present_only: bool = False) -> dict[str, int]:
        """Seated delegates per group (present ones only, if asked)."""
        sizes: dict[str, int] = {}
        for c in self.seated():
            if present_only and not c.present:
                continue
            key = c.group or "(no group)"
            sizes[key] = sizes.get(key, 0) + 1
        return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))

    def credentials_from(self, body: str) -> int:
        """Credentials a sending body holds, rejected ones apart."""
        return sum(
            1 for c in self.credentials.values() if c.sent_by == body and c.status != "rejected"
        )

    def credential_of(self, delegate: str) -> Credential | None:
        """The credential carrying this delegate's name, if any."""
        for c in self.credentials.values():
            if c.delegate == delegate:
                return c
        return None


@dataclass
class Decree:
    """An adopted motion that is a decree."""

    number: int
    title: str
    text: str
    adopted_on: dt.date
    body: str
    motion: int
    tally: dict[str, int]


# --- applying events -------------------------------------------------------------------
def _congress_called(org: Organisation, p: dict[str, Any]) -> None:
    org.congresses[p["name"]] = Congress(
        name=p["name"],
        convened_by=p["convened_by"],
        opens_on=_date(p["opens_on"]),
        called_on=_date(p["date"]),
        quorum=p["quorum"],
        senders=dict(p["senders"]),
        max_credential_age_days=p["max_credential_age_days"],
        previous=p["previous"],
        credentials_committee=p.get("credentials_committee") or p["convened_by"],
    )


def _congress_postponed(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    congress.postponements.append(congress.opens_on)
    congress.opens_on = _date(p["opens_on"])


def _credential_presented(org: Organisation, p: dict[str, Any]) -> None:
    org.congresses[p["congress"]].credentials[p["number"]] = Credential(
        number=p["number"],
        delegate=p["delegate"],
        sent_by=p["sent_by"],
        elected_on=_date(p["elected_on"]),
        rights=p["rights"],
        problems=list(p["problems"]),
        group=p["group"],
    )
    if p["group"] is not None:
        congress = org.congresses[p["congress"]]
        congress.group_changes.append(
            GroupChange(len(congress.group_changes) + 1, p["number"], p["group"], _date(p["date"]))
        )


def _congress_delegates_elected(org: Organisation, p: dict[str, Any]) -> None:
    for credential in p["credentials"]:
        _credential_presented(
            org,
            {
                "congress": p["congress"],
                "sent_by": p["council"],
                "elected_on": p["date"],
                "date": p["date"],
                **credential,
            },
        )


def _credential_ruled(org: Organisation, p: dict[str, Any]) -> None:
    credential = org.congresses[p["congress"]].credentials[p["number"]]
    credential.status = "accepted" if p["accepted"] else "rejected"
    credential.reason = p["reason"]
    credential.ruled_by = p.get("committee")


def _attendance(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    present = p["present"]
    for number in p["credentials"]:
        congress.credentials[number].present = present
        congress.attendance.append(
            Attendance(len(congress.attendance) + 1, number, present, _date(p["date"]), p["reason"])
        )


def _congress_opened(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    congress.status = "open"
    ended = p["ended_committee"]
    if ended is not None:
        previous = org.congresses[ended["congress"]]
        previous.committees[ended["committee"]].mandate_ended_on = _date(p["date"])


def _congress_closed(org: Organisation, p: dict[str, Any]) -> None:
    org.congresses[p["congress"]].status = "closed"


def _groups_declared(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    for number in p["credentials"]:
        congress.credentials[number].group = p["group"]
        congress.group_changes.append(
            GroupChange(len(congress.group_changes) + 1, number, p["group"], _date(p["date"]))
        )


def _committee_elected(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    congress.committees[p["committee"]] = Committee(
        name=p["committee"],
        kind=p["kind"],
        elected_on=_date(p["date"]),
        method=p["method"],
        seats=p["seats"],
        members=[CommitteeMember(m["name"], m["group"]) for m in p["members"]],
        allocation=dict(p["allocation"]),
        declined=list(p["declined"]),
    )
    if p["kind"] == "credentials":  # an elected credentials committee takes over the rulings
        congress.credentials_committee = p["committee"]


def _motion_tabled(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    congress.motions[p["number"]] = Motion(
        number=p["number"],
        title=p["title"],
        text=p["text"],
        mover=p["mover"],
        tabled_on=_date(p["date"]),
        amends=p["amends"],
        decree=p["decree"],
        urgent=p["urgent"],
        without_debate=p["without_debate"],
        order=p["number"],
        item=p.get("item"),
    )


def _agenda_adopted(org: Organisation, p: dict[str, Any]) -> None:
    org.congresses[p["congress"]].agenda = list(p["items"])


def _motions_ordered(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    for position, number in enumerate(p["order"], start=1):
        congress.motions[number].order = position


def _vote_opened(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    congress.votes[p["vote"]] = VoteRecord(
        number=p["vote"],
        motion=p["motion"],
        stage=p["stage"],
        mode=p["mode"],
        majority=p["majority"],
        abstentions=p["abstentions"],
        opened_on=_date(p["date"]),
        supersedes=p["supersedes"],
    )


def _ballot_cast(org: Organisation, p: dict[str, Any]) -> None:
    vote = org.congresses[p["congress"]].votes[p["vote"]]
    if vote.mode == "roll-call":
        vote.roll[p["credential"]] = p["choice"]
    else:  # secret: the ledger learns who voted; the ballot itself waits in the box
        vote.voted.add(p["credential"])


def _vote_closed(org: Organisation, p: dict[str, Any]) -> None:
    congress = org.congresses[p["congress"]]
    vote = congress.votes[p["vote"]]
    vote.status = "closed"
    vote.counts = dict(p["counts"])
    vote.ballots = list(p["ballots"])
    vote.entitled = list(p["entitled"])
    vote.present = list(p["present"])
    vote.carried = p["carried"]
    if vote.supersedes is not None:
        congress.votes[vote.supersedes].status = "superseded"
    motion = congress.motions[vote.motion]
    motion.status = p["motion_status"]
    if p["decree"] is not None:
        d = p["decree"]
        org.decrees[d["number"]] = Decree(
            number=d["number"],
            title=d["title"],
            text=d["text"],
            adopted_on=_date(p["date"]),
            body=p["congress"],
            motion=vote.motion,
            tally=dict(p["counts"]),
        )


def _motion_withdrawn(org: Organisation, p: dict[str, Any]) -> None:
    org.congresses[p["congress"]].motions[p["motion"]].status = "withdrawn"


CONGRESS_HANDLERS: dict[str, Callable[[Organisation, dict[str, Any]], None]] = {
    "CongressCalled": _congress_called,
    "CongressPostponed": _congress_postponed,
    "CredentialPresented": _credential_presented,
    "CongressDelegatesElected": _congress_delegates_elected,
    "CredentialRuled": _credential_ruled,
    "AttendanceRecorded": _attendance,
    "CongressOpened": _congress_opened,
    "CongressClosed": _congress_closed,
    "GroupDeclared": _groups_declared,
    "CommitteeElected": _committee_elected,
    "MotionTabled": _motion_tabled,
    "AgendaAdopted": _agenda_adopted,
    "MotionsOrdered": _motions_ordered,
    "MotionWithdrawn": _motion_withdrawn,
    "VoteOpened": _vote_opened,
    "BallotCast": _ballot_cast,
    "VoteClosed": _vote_closed,
}
