"""Reading consent workflows (workers' control): each rule, and each proposed action with
its state, whether it has taken effect, and the deadline from which the rule's default
may apply (``soviet consent show``)."""

from __future__ import annotations

from typing import Any

from soviet.domain import consent_rules as cr
from soviet.domain.consent import ConsentRule, WorkplaceAction
from soviet.domain.model import Organisation
from soviet.domain.records import where


def _rule(r: ConsentRule) -> dict[str, Any]:
    return {
        "name": r.name,
        "council": r.council,
        "workplace": r.workplace,
        "actions": list(r.actions),
        "committee": r.committee,
        "general": r.general,
        "decider": r.decider,
        "escalation": r.escalation,
        "conciliation": r.conciliation,
        "deadline_days": r.deadline_days,
        "default_outcome": r.default_outcome,
        "set_up_on": r.set_up_on.isoformat(),
    }


def _action(org: Organisation, a: WorkplaceAction) -> dict[str, Any]:
    return {
        "number": a.number,
        "rule": a.rule,
        "action": a.action,
        "subject": a.subject,
        "proposed_by": a.proposed_by,
        "committee": a.committee,
        "proposed_on": a.proposed_on.isoformat(),
        "status": a.status,
        "final": a.final,
        "effective": a.effective,
        "decided_by": a.decided_by,
        "decided_on": a.decided_on.isoformat() if a.decided_on else None,
        "reason": a.reason,
        "appeal": a.appeal,
        "deadline": cr.deadline(org, a).isoformat() if a.status == "pending" else None,
    }


def consent(org: Organisation) -> dict[str, Any]:
    """Every consent rule by name and every workplace action by number."""
    return {
        "rules": [_rule(org.consent_rules[n]) for n in sorted(org.consent_rules)],
        "actions": [_action(org, org.workplace_actions[n]) for n in sorted(org.workplace_actions)],
    }


def consent_rule(org: Organisation, name: str) -> dict[str, Any]:
    """One rule with its actions, by number; UnknownEntity for an unknown name."""
    r = cr.get_rule(org, name)
    actions = sorted(where(org.workplace_actions, rule=name), key=lambda a: a.number)
    return {**_rule(r), "actions_proposed": [_action(org, a) for a in actions]}
