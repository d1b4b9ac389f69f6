"""Commands of the council of commissioners, its department heads and its decrees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.application.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class FormCommissionersCouncil(Command):
    """A congress forms a council of commissioners (answerable to its executive
    committee, or to the congress where it elected none)."""

    name: str
    congress: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AppointDepartmentHead(Command):
    """The congress or its executive committee (``by``) appoints a department head,
    optionally citing the vote that decided it."""

    council: str
    department: str
    member: str
    by: str
    vote: str | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DismissDepartmentHead(Command):
    """The congress or its executive committee (``by``) dismisses a department's head."""

    council: str
    department: str
    by: str
    vote: str | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class GrantUrgentPowers(Command):
    """The ratifying body lets the council pass urgent decrees in force at signing,
    to be ratified within ``ratify_within_days`` days or lapse."""

    council: str
    by: str
    ratify_within_days: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class IssueDecree(Command):
    """The council issues a decree of one of its departments; one naming
    ``signatories`` is valid only once each of them has signed it (003:48585-48589).
    ``adopted_by`` the ratifying body or the congress, it is theirs, in force as adopted,
    with the vote's ``tally`` (for/against/abstain). ``congress_decree`` registers a
    decree the congress adopted by vote (title and text left empty: they are its own)."""

    council: str
    registry: str
    title: str
    text: str
    department: str
    urgent: bool = False
    signatories: list[str] = field(default_factory=list)
    adopted_by: str | None = None
    tally: dict[str, int] | None = None
    congress_decree: int | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RegisterSigningKey(Command):
    """Register the Ed25519 public key (64 hex digits) with which ``holder`` signs: a
    member, or a council of commissioners (its seal)."""

    holder: str
    public_key: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class SignDecree(Command):
    """A signatory's Ed25519 signature (128 hex digits) over the decree's signed text,
    made with their own key wherever they keep it: the engine never sees the key."""

    registry: str
    signer: str
    signature: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RatifyDecree(Command):
    """The ratifying body endorses a decree (``tally``: its vote, for/against/abstain)."""

    registry: str
    by: str
    tally: dict[str, int] | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AnnulDecree(Command):
    """The ratifying body annuls a decree (``tally``: its vote, for/against/abstain)."""

    registry: str
    by: str
    tally: dict[str, int] | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class LapseDecree(Command):
    """Record that an urgent decree unratified past its deadline lapsed."""

    registry: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class VoteConfidence(Command):
    """The ratifying body or the congress votes on its confidence in the council of
    commissioners; lost (no more in favour than against), the council resigns."""

    council: str
    by: str
    in_favour: int
    against: int
    abstaining: int = 0
    date: dt.date
