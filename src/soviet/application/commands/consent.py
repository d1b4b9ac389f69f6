"""Commands of consent workflows (workers' control)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.application.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class SetUpConsentRule(Command):
    """A council makes a workplace's ``actions`` need a committee's consent.
    ``deadline_days``/``default_outcome`` are illustrative settings (not in the decree)."""

    name: str
    council: str
    workplace: str
    actions: list[str] = field(default_factory=list)
    committee: str | None = None
    general: str | None = None
    escalation: str
    conciliation: str
    deadline_days: int = 3
    default_outcome: str = "refuse"
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ProposeAction(Command):
    """The management proposes an action of a covered type (pending)."""

    rule: str
    action: str
    subject: str
    proposed_by: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConsentToAction(Command):
    """The deciding committee consents to a pending action."""

    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RefuseAction(Command):
    """The deciding committee refuses a pending action, with the reason."""

    number: int
    reason: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class EscalateAction(Command):
    """A refused action goes to the rule's higher council."""

    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ChallengeAction(Command):
    """The general committee challenges a refusal before the conciliation committee."""

    number: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DecideAction(Command):
    """The escalation council or conciliation committee decides, binding both sides."""

    number: int
    consent: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ApplyConsentDefault(Command):
    """After the deadline, the rule's default outcome applies to a pending action."""

    number: int
    date: dt.date
