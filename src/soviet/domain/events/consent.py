"""Events of consent workflows (workers' control): rules naming who must consent to a
workplace's actions, the actions proposed, and their decisions.

SYSTEM.md, "Consent workflows"; Moscow "Decree No. 1" on workers' control (003:5747-5787),
Note 2 (003:5765-5768): the factory committee may challenge an office committee's
decision before the Soviet's conciliation committee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from soviet.domain.events.base import OMIT_IF_NONE, Event


@dataclass(frozen=True, kw_only=True)
class ConsentRuleSetUp(Event):
    """A council made the listed action types of a workplace (a unit) need a committee's
    consent. ``committee`` is the office's own; ``general`` decides where it has none.
    ``deadline_days`` and ``default_outcome`` are illustrative settings, not in the decree."""

    name: str
    council: str
    workplace: str
    actions: list[str]
    committee: str | None = field(default=None, metadata=OMIT_IF_NONE)
    general: str | None = field(default=None, metadata=OMIT_IF_NONE)
    escalation: str
    conciliation: str
    deadline_days: int
    default_outcome: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionProposed(Event):
    """The management proposed an action; pending until finally decided."""

    number: int
    rule: str
    action: str
    subject: str
    proposed_by: str
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionConsented(Event):
    """The deciding committee consented: the action takes effect."""

    number: int
    committee: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionRefused(Event):
    """The deciding committee refused, with the reason; nothing takes effect."""

    number: int
    committee: str
    reason: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionEscalated(Event):
    """A refused action went to the rule's higher council."""

    number: int
    council: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionChallenged(Event):
    """The general (factory) committee challenged the office committee's refusal before
    the conciliation committee (003:5765-5768)."""

    number: int
    by: str
    conciliation: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class WorkplaceActionDecided(Event):
    """The escalation council or the conciliation committee decided, binding both
    sides; ``consent`` says whether the action takes effect."""

    number: int
    body: str
    consent: bool
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ConsentDefaultApplied(Event):
    """The deadline passed with no decision: the rule's default outcome applies."""

    number: int
    consent: bool
    date: dt.date
