"""Consent workflows (workers' control): state and how each event changes it; the
decisions live in ``soviet.domain.consent_rules``. Sources: SYSTEM.md, "Consent
workflows"; Moscow "Decree No. 1" (003:5747-5787), Note 2 (003:5765-5768).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from soviet.domain import events as ev

ConsentStatus = Literal["pending", "consented", "refused", "escalated", "challenged", "decided"]
DEFAULTS: tuple[str, ...] = ("consent", "refuse")


@dataclass
class ConsentRule:
    """Which action types of a workplace need whose consent, and where disputes go.
    ``deadline_days``/``default_outcome`` are illustrative (the decree names none)."""

    name: str
    council: str
    workplace: str
    actions: list[str]
    committee: str | None
    general: str | None
    escalation: str
    conciliation: str
    deadline_days: int
    default_outcome: str
    set_up_on: dt.date

    @property
    def decider(self) -> str:
        """The committee that consents: the office's own, else the general one."""
        return self.committee or self.general or ""


@dataclass
class WorkplaceAction:
    """A proposed action. ``effective`` is True only once finally decided with consent;
    ``final`` once a decision binds (a consent, a council's or conciliation's decision,
    or the default)."""

    number: int
    rule: str
    action: str
    subject: str
    proposed_by: str
    committee: str
    proposed_on: dt.date
    status: ConsentStatus = "pending"
    final: bool = False
    effective: bool = False
    decided_by: str | None = None
    decided_on: dt.date | None = None
    reason: str | None = None
    appeal: str | None = None


class ConsentState(Protocol):
    """What these events change."""

    consent_rules: MutableMapping[str, ConsentRule]
    workplace_actions: MutableMapping[int, WorkplaceAction]


def _rule_set_up(org: ConsentState, e: ev.ConsentRuleSetUp) -> None:
    org.consent_rules[e.name] = ConsentRule(
        name=e.name,
        council=e.council,
        workplace=e.workplace,
        actions=list(e.actions),
        committee=e.committee,
        general=e.general,
        escalation=e.escalation,
        conciliation=e.conciliation,
        deadline_days=e.deadline_days,
        default_outcome=e.default_outcome,
        set_up_on=e.date,
    )


def _proposed(org: ConsentState, e: ev.WorkplaceActionProposed) -> None:
    org.workplace_actions[e.number] = WorkplaceAction(
        number=e.number,
        rule=e.rule,
        action=e.action,
        subject=e.subject,
        proposed_by=e.proposed_by,
        committee=e.committee,
        proposed_on=e.date,
    )


def _finish(a: WorkplaceAction, by: str, consent: bool, date: dt.date) -> None:
    a.final = True
    a.effective = consent
    a.decided_by = by
    a.decided_on = date


def _consented(org: ConsentState, e: ev.WorkplaceActionConsented) -> None:
    a = org.workplace_actions[e.number]
    a.status = "consented"
    _finish(a, e.committee, True, e.date)


def _refused(org: ConsentState, e: ev.WorkplaceActionRefused) -> None:
    a = org.workplace_actions[e.number]
    a.status = "refused"
    a.decided_by = e.committee
    a.decided_on = e.date
    a.reason = e.reason


def _escalated(org: ConsentState, e: ev.WorkplaceActionEscalated) -> None:
    a = org.workplace_actions[e.number]
    a.status = "escalated"
    a.appeal = e.council


def _challenged(org: ConsentState, e: ev.WorkplaceActionChallenged) -> None:
    a = org.workplace_actions[e.number]
    a.status = "challenged"
    a.appeal = e.conciliation


def _decided(org: ConsentState, e: ev.WorkplaceActionDecided) -> None:
    a = org.workplace_actions[e.number]
    a.status = "decided"
    _finish(a, e.body, e.consent, e.date)


def _default(org: ConsentState, e: ev.ConsentDefaultApplied) -> None:
    a = org.workplace_actions[e.number]
    a.status = "consented" if e.consent else "refused"
    _finish(a, "default", e.consent, e.date)


CONSENT_MUTATORS: dict[type[ev.Event], Callable[[ConsentState, Any], None]] = {
    ev.ConsentRuleSetUp: _rule_set_up,
    ev.WorkplaceActionProposed: _proposed,
    ev.WorkplaceActionConsented: _consented,
    ev.WorkplaceActionRefused: _refused,
    ev.WorkplaceActionEscalated: _escalated,
    ev.WorkplaceActionChallenged: _challenged,
    ev.WorkplaceActionDecided: _decided,
    ev.ConsentDefaultApplied: _default,
}
