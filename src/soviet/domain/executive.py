"""The council of commissioners, its department heads and its decrees.

State (dataclasses) and how each of their events changes it; the decisions live in
``soviet.domain.executive_rules``. Sources: SYSTEM.md, "Executive, decrees,
ratification" (003:25469-25487, 44887-44900, 46600-46713, 47007-47028).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from soviet.domain import events as ev
from soviet.domain.records import where

DecreeState = Literal["draft", "in-force-pending-ratification", "ratified", "annulled", "lapsed"]
DECREE_STATES: tuple[DecreeState, ...] = (
    "draft",
    "in-force-pending-ratification",
    "ratified",
    "annulled",
    "lapsed",
)
# A decree in one of these states binds; "draft" does not yet, the others no longer.
IN_FORCE: tuple[DecreeState, ...] = ("in-force-pending-ratification", "ratified")


@dataclass
class CommissionersCouncil:
    """A council of commissioners formed by a congress, answerable to ``ratifier``;
    ``urgent_days`` is set once urgent powers are granted (the ratification deadline)."""

    name: str
    congress: str
    ratifier: str
    formed_on: dt.date
    urgent_granted_by: str | None = None
    urgent_granted_on: dt.date | None = None
    urgent_days: int | None = None
    # A council that lost a vote of confidence resigns (003:5083-5089).
    resigned_on: dt.date | None = None
    resigned_after: str | None = None


@dataclass
class DepartmentHead:
    """An appointment of a member as head of a department, current while
    ``dismissed_on`` is None."""

    number: int
    council: str
    department: str
    member: str
    appointed_by: str
    appointed_on: dt.date
    vote: str | None = None
    dismissed_on: dt.date | None = None
    dismissed_by: str | None = None
    dismissal_vote: str | None = None


@dataclass
class ExecutiveDecree:
    """A decree of the council; ``history`` lists ``[date, state, by]`` steps.

    ``signatories`` name the signatures it needs (003:48585-48589); ``signatures`` holds
    those given (``signer``, ``public_key``, ``signature``, ``date``); while one is
    missing the decree is a draft and ``awaiting`` is the state it will then take.
    ``signed_on`` is the day the decree was fully signed (the issue day without
    signatories), from which an urgent decree's ratification deadline runs."""

    registry: str
    council: str
    title: str
    text: str
    department: str
    urgent: bool
    signed_on: dt.date
    status: DecreeState
    history: list[list[str]] = field(default_factory=list)
    issued_on: dt.date | None = None
    signatories: list[str] = field(default_factory=list)
    signatures: list[dict[str, str]] = field(default_factory=list)
    awaiting: str | None = None
    adopted_by: str | None = None
    tally: dict[str, int] = field(default_factory=dict)  # {} when no vote is recorded
    congress_decree: int | None = None


@dataclass
class SigningKey:
    """The public key with which ``holder`` (a member, or a council's seal) signs now."""

    holder: str
    public_key: str
    registered_on: dt.date


DECREE_FORMAT = "soviet-decree/1"


def signed_text(d: ExecutiveDecree) -> dict[str, object]:
    """What each signatory signs: the decree's registry number, body, title, text,
    department, urgency, issue day and the signatures it needs (not its state, which
    ratification changes later)."""
    return {
        "format": DECREE_FORMAT,
        "registry": d.registry,
        "council": d.council,
        "title": d.title,
        "text": d.text,
        "department": d.department,
        "urgent": d.urgent,
        "issued_on": (d.issued_on or d.signed_on).isoformat(),
        "signatories": list(d.signatories),
        "adopted_by": d.adopted_by or d.council,
        "tally": dict(d.tally) if d.tally else None,
        "congress_decree": d.congress_decree,
    }


def missing_signatures(d: ExecutiveDecree) -> list[str]:
    """The signatories who have not yet signed, in the order the decree names them."""
    given = {s["signer"] for s in d.signatures}
    return [name for name in d.signatories if name not in given]


class ExecutiveState(Protocol):
    """What these events change."""

    commissioners_councils: MutableMapping[str, CommissionersCouncil]
    department_heads: MutableMapping[int, DepartmentHead]
    executive_decrees: MutableMapping[str, ExecutiveDecree]
    signing_keys: MutableMapping[str, SigningKey]


def current_heads(org: ExecutiveState, council: str) -> list[DepartmentHead]:
    """The council's department heads now, by appointment number."""
    return where(org.department_heads, council=council, dismissed_on=None)


def is_department_head(org: ExecutiveState, council: str, member: str) -> bool:
    """Whether ``member`` now heads a department of ``council``."""
    return bool(where(org.department_heads, council=council, member=member, dismissed_on=None))


def _step(d: ExecutiveDecree, date: dt.date, status: DecreeState, by: str) -> None:
    d.status = status
    d.history = [*d.history, [date.isoformat(), status, by]]


# --- applying events -------------------------------------------------------------------
def _council_formed(org: ExecutiveState, e: ev.CommissionersCouncilFormed) -> None:
    org.commissioners_councils[e.name] = CommissionersCouncil(
        name=e.name, congress=e.congress, ratifier=e.ratifier, formed_on=e.date
    )


def _head_appointed(org: ExecutiveState, e: ev.DepartmentHeadAppointed) -> None:
    org.department_heads[e.number] = DepartmentHead(
        number=e.number,
        council=e.council,
        department=e.department,
        member=e.member,
        appointed_by=e.appointed_by,
        appointed_on=e.date,
        vote=e.vote,
    )


def _head_dismissed(org: ExecutiveState, e: ev.DepartmentHeadDismissed) -> None:
    head = org.department_heads[e.number]
    head.dismissed_on = e.date
    head.dismissed_by = e.dismissed_by
    head.dismissal_vote = e.vote


def _powers_granted(org: ExecutiveState, e: ev.UrgentPowersGranted) -> None:
    c = org.commissioners_councils[e.council]
    c.urgent_granted_by = e.granted_by
    c.urgent_granted_on = e.date
    c.urgent_days = e.ratify_within_days


def _tally(tally: dict[str, int] | None) -> str:
    """A vote's tally as the history shows it: " (25-23-0)" (for, against, abstaining)."""
    if not tally:
        return ""
    return f" ({tally.get('for', 0)}-{tally.get('against', 0)}-{tally.get('abstain', 0)})"


def _state(value: str | None) -> DecreeState:
    """A state as an event records it (issued: draft, in force pending, or ratified when
    the ratifying body adopted the decree itself)."""
    for state in ("in-force-pending-ratification", "ratified"):
        if value == state:
            return state
    return "draft"


def _decree_issued(org: ExecutiveState, e: ev.ExecutiveDecreeIssued) -> None:
    status = _state(e.status)
    org.executive_decrees[e.registry] = ExecutiveDecree(
        registry=e.registry,
        council=e.council,
        title=e.title,
        text=e.text,
        department=e.department,
        urgent=e.urgent,
        signed_on=e.date,
        status=status,
        history=[[e.date.isoformat(), status, (e.adopted_by or e.council) + _tally(e.tally)]],
        issued_on=e.date,
        signatories=list(e.signatories or ()),
        awaiting=e.awaiting,
        adopted_by=e.adopted_by,
        tally=dict(e.tally or {}),
        congress_decree=e.congress_decree,
    )


def _key_registered(org: ExecutiveState, e: ev.SigningKeyRegistered) -> None:
    org.signing_keys[e.holder] = SigningKey(e.holder, e.public_key, e.date)


def _decree_signed(org: ExecutiveState, e: ev.ExecutiveDecreeSigned) -> None:
    d = org.executive_decrees[e.registry]
    given = {
        "signer": e.signer,
        "public_key": e.public_key,
        "signature": e.signature,
        "date": e.date.isoformat(),
    }
    d.signatures = [*d.signatures, given]
    if e.complete:
        d.signed_on = e.date
        status = _state(d.awaiting)
        d.awaiting = None
        _step(d, e.date, status, f"signed by {', '.join(d.signatories)}")
    else:
        _step(d, e.date, d.status, f"signature of {e.signer}")


def _decree_ratified(org: ExecutiveState, e: ev.ExecutiveDecreeRatified) -> None:
    _step(org.executive_decrees[e.registry], e.date, "ratified", e.by + _tally(e.tally))


def _decree_annulled(org: ExecutiveState, e: ev.ExecutiveDecreeAnnulled) -> None:
    _step(org.executive_decrees[e.registry], e.date, "annulled", e.by + _tally(e.tally))


def _decree_lapsed(org: ExecutiveState, e: ev.ExecutiveDecreeLapsed) -> None:
    _step(org.executive_decrees[e.registry], e.date, "lapsed", "deadline")


def _confidence_voted(org: ExecutiveState, e: ev.ConfidenceVoted) -> None:
    if e.carried:
        return
    c = org.commissioners_councils[e.council]
    c.resigned_on = e.date
    c.resigned_after = e.by
    for head in current_heads(org, e.council):
        head.dismissed_on = e.date
        head.dismissed_by = e.by


EXECUTIVE_MUTATORS: dict[type[ev.Event], Callable[[ExecutiveState, Any], None]] = {
    ev.CommissionersCouncilFormed: _council_formed,
    ev.DepartmentHeadAppointed: _head_appointed,
    ev.DepartmentHeadDismissed: _head_dismissed,
    ev.UrgentPowersGranted: _powers_granted,
    ev.ExecutiveDecreeIssued: _decree_issued,
    ev.ExecutiveDecreeRatified: _decree_ratified,
    ev.ExecutiveDecreeAnnulled: _decree_annulled,
    ev.ExecutiveDecreeLapsed: _decree_lapsed,
    ev.ConfidenceVoted: _confidence_voted,
    ev.SigningKeyRegistered: _key_registered,
    ev.ExecutiveDecreeSigned: _decree_signed,
}
