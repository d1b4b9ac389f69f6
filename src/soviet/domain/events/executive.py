"""Events of the council of commissioners, its department heads and its decrees.

SYSTEM.md, "Executive, decrees, ratification": the congress forms the council of
commissioners and, with its executive committee, appoints and dismisses them
(003:25469-25487); the executive committee granted the right to pass urgent decrees
(003:44887-44900), endorsed or annulled later (003:46600-46713); some decrees come into
force the moment they are signed (003:47007-47028).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.domain.events.base import OMIT_IF_NONE, Event


@dataclass(frozen=True, kw_only=True)
class CommissionersCouncilFormed(Event):
    """A congress formed a council of commissioners, answerable to ``ratifier`` (its
    executive committee, or the congress itself where it elected none)."""

    name: str
    congress: str
    ratifier: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DepartmentHeadAppointed(Event):
    """A member was appointed head of a department of the council (``number`` numbers
    the appointment; ``vote`` refers to the vote that decided it, if any)."""

    number: int
    council: str
    department: str
    member: str
    appointed_by: str
    vote: str | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DepartmentHeadDismissed(Event):
    """Appointment ``number`` ended by dismissal."""

    number: int
    council: str
    department: str
    member: str
    dismissed_by: str
    vote: str | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class UrgentPowersGranted(Event):
    """The ratifying body granted the council the right to pass urgent decrees, to be
    ratified within ``ratify_within_days`` days of signing or lapse (003:44887-44900)."""

    council: str
    granted_by: str
    ratify_within_days: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ExecutiveDecreeIssued(Event):
    """The council signed a decree; ``status`` is ``draft`` or
    ``in-force-pending-ratification`` (an urgent decree under urgent powers)."""

    registry: str
    council: str
    title: str
    text: str
    department: str
    urgent: bool
    status: str
    # Named signatures the decree needs before it is valid (003:48585-48589); until the
    # last is given it is a draft, and then takes the state ``awaiting``.
    signatories: list[str] | None = field(default=None, metadata=OMIT_IF_NONE)
    awaiting: str | None = field(default=None, metadata=OMIT_IF_NONE)
    # Adopted by the ratifying body or the congress itself rather than the council
    # (003:48585-48589: the CEC "passed a decree"), with the vote's tally.
    adopted_by: str | None = field(default=None, metadata=OMIT_IF_NONE)
    tally: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)
    # The congress's decree (its number) this registers, with its consolidated text.
    congress_decree: int | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ExecutiveDecreeRatified(Event):
    """The ratifying body endorsed a decree (``tally``: its vote, when recorded)."""

    registry: str
    by: str
    tally: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ExecutiveDecreeAnnulled(Event):
    """The ratifying body annulled a decree (``tally``: its vote, when recorded)."""

    registry: str
    by: str
    tally: dict[str, int] | None = field(default=None, metadata=OMIT_IF_NONE)
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ExecutiveDecreeLapsed(Event):
    """An urgent decree left unratified past its deadline lapsed."""

    registry: str
    deadline: dt.date
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConfidenceVoted(Event):
    """The ratifying body or the congress voted on its confidence in the council of
    commissioners; a council that loses it resigns and its department heads leave office
    (003:5083-5089)."""

    council: str
    by: str
    in_favour: int
    against: int
    abstaining: int
    carried: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class SigningKeyRegistered(Event):
    """The Ed25519 public key (64 hex digits) with which ``holder`` signs: a member who
    signs decrees, or a council of commissioners whose seal it is (003:47794-47818). A
    new key replaces the holder's old one; signatures already given keep theirs."""

    holder: str
    public_key: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ExecutiveDecreeSigned(Event):
    """A signatory signed the decree's text: ``signature`` (128 hex digits) verifies with
    ``public_key`` over it. ``complete`` when it was the last signature needed, so that
    the decree now takes the state it was awaiting."""

    registry: str
    signer: str
    public_key: str
    signature: str
    complete: bool
    date: dt.date
