"""The rules of consent workflows (workers' control).

Each rule reads the state and returns the one event recording the decision, or raises a
``DomainError`` naming the field and value. Core rule: nothing a consent rule covers
takes effect until finally decided (a committee's consent, the escalation council's or
conciliation committee's binding decision, or the illustrative default after the
deadline), and each final decision applies once (Decree No. 1, 003:5747-5787; Note 2,
003:5765-5768).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from soviet.domain import events as ev
from soviet.domain.consent import DEFAULTS, ConsentRule, WorkplaceAction
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity, shown
from soviet.domain.model import Organisation
from soviet.domain.order_rules import get_unit
from soviet.domain.records import next_number
from soviet.domain.rules import get_council


def _named(value: str, what: str, field_name: str) -> None:
    if not value.strip():
        raise DomainError(f"{what} must not be empty", field=field_name, value=value)


def _not_before(date: dt.date, earlier: dt.date, what: str) -> None:
    if date < earlier:
        raise DomainError(
            f"date {date} is before {what} ({earlier})", field="date", value=date.isoformat()
        )


def get_rule(org: Organisation, name: str) -> ConsentRule:
    """The consent rule called ``name`` or UnknownEntity."""
    try:
        return org.consent_rules[name]
    except KeyError:
        raise UnknownEntity("consent rule", name) from None


def get_action(org: Organisation, number: int) -> WorkplaceAction:
    """Workplace action number ``number`` or UnknownEntity."""
    try:
        return org.workplace_actions[number]
    except KeyError:
        raise UnknownEntity("workplace action", number) from None


def deadline(org: Organisation, a: WorkplaceAction) -> dt.date:
    """The day from which the rule's default may apply to the action."""
    return a.proposed_on + dt.timedelta(days=get_rule(org, a.rule).deadline_days)


def set_up_rule(
    org: Organisation,
    name: str,
    council: str,
    workplace: str,
    actions: Sequence[str],
    date: dt.date,
    *,
    committee: str | None,
    general: str | None,
    escalation: str,
    conciliation: str,
    deadline_days: int,
    default_outcome: str,
) -> ev.Event:
    """A council makes a workplace's action types need a committee's consent."""
    get_council(org, council)
    _named(name, "rule name", "name")
    if name in org.consent_rules:
        raise AlreadyExists("consent rule", name)
    unit = get_unit(org, workplace)
    if unit.council != council:
        raise DomainError(
            f"workplace {workplace!r} is of council {unit.council!r}, not {council!r}",
            field="workplace",
            value=workplace,
        )
    _not_before(date, unit.created_on, f"{workplace!r} was created")
    if not actions:
        raise DomainError(
            "a consent rule needs at least one action type", field="actions", value=[]
        )
    for a in actions:
        _named(a, "action type", "actions")
    if committee is None and general is None:
        raise DomainError(
            "a consent rule needs the office's committee or a general committee",
            field="committee",
            value=None,
        )
    for f, v in (("committee", committee), ("general", general)):
        if v is not None:
            _named(v, f, f)
    get_council(org, escalation)
    if escalation == council:
        raise DomainError(
            f"escalation must be a council other than {council!r}",
            field="escalation",
            value=escalation,
        )
    _named(conciliation, "conciliation committee", "conciliation")
    if deadline_days < 1:
        raise DomainError(
            f"deadline_days must be at least 1, got {deadline_days}",
            field="deadline_days",
            value=deadline_days,
        )
    if default_outcome not in DEFAULTS:
        raise DomainError(
            f"default_outcome must be one of {', '.join(DEFAULTS)}, got {shown(default_outcome)}",
            field="default_outcome",
            value=default_outcome,
        )
    return ev.ConsentRuleSetUp(
        name=name,
        council=council,
        workplace=workplace,
        actions=list(actions),
        committee=committee,
        general=general,
        escalation=escalation,
        conciliation=conciliation,
        deadline_days=deadline_days,
        default_outcome=default_outcome,
        date=date,
    )


def propose_action(
    org: Organisation, rule: str, action: str, subject: str, proposed_by: str, date: dt.date
) -> ev.Event:
    """The management proposes an action of a covered type: pending."""
    r = get_rule(org, rule)
    if action not in r.actions:
        raise DomainError(
            f"action {action!r} is not covered by rule {rule!r} ({', '.join(r.actions)})",
            field="action",
            value=action,
        )
    _named(subject, "subject", "subject")
    _named(proposed_by, "proposer", "proposed_by")
    _not_before(date, r.set_up_on, f"rule {rule!r} was set up")
    return ev.WorkplaceActionProposed(
        number=next_number(org.workplace_actions),
        rule=rule,
        action=action,
        subject=subject,
        proposed_by=proposed_by,
        committee=r.decider,
        date=date,
    )


def _open(a: WorkplaceAction, expected: str, doing: str) -> None:
    if a.final:
        raise DomainError(
            f"workplace action {a.number} was already finally decided by {a.decided_by!r} "
            f"on {a.decided_on}: cannot {doing}",
            field="number",
            value=a.number,
        )
    if a.status != expected:
        raise DomainError(
            f"workplace action {a.number} is {a.status}, not {expected}: cannot {doing}",
            field="number",
            value=a.number,
        )


def consent(org: Organisation, number: int, date: dt.date) -> ev.Event:
    """The deciding committee consents: the action takes effect."""
    a = get_action(org, number)
    _open(a, "pending", "consent")
    _not_before(date, a.proposed_on, f"action {number} was proposed")
    return ev.WorkplaceActionConsented(number=number, committee=a.committee, date=date)


def refuse(org: Organisation, number: int, reason: str, date: dt.date) -> ev.Event:
    """The deciding committee refuses, with the reason."""
    a = get_action(org, number)
    _open(a, "pending", "refuse")
    _named(reason, "reason", "reason")
    _not_before(date, a.proposed_on, f"action {number} was proposed")
    return ev.WorkplaceActionRefused(number=number, committee=a.committee, reason=reason, date=date)


def escalate(org: Organisation, number: int, date: dt.date) -> ev.Event:
    """The management takes a refusal to the rule's higher council."""
    a = get_action(org, number)
    _open(a, "refused", "escalate")
    _not_before(date, a.decided_on or a.proposed_on, f"action {number} was refused")
    return ev.WorkplaceActionEscalated(
        number=number, council=get_rule(org, a.rule).escalation, date=date
    )


def challenge(org: Organisation, number: int, date: dt.date) -> ev.Event:
    """The general (factory) committee challenges the office committee's refusal before
    the conciliation committee (Note 2, 003:5765-5768)."""
    a = get_action(org, number)
    r = get_rule(org, a.rule)
    _open(a, "refused", "challenge")
    if r.general is None or r.committee is None or r.general == r.committee:
        raise DomainError(
            f"rule {r.name!r} has no office committee distinct from a general committee: "
            "nobody can challenge its decision",
            field="number",
            value=number,
        )
    _not_before(date, a.decided_on or a.proposed_on, f"action {number} was refused")
    return ev.WorkplaceActionChallenged(
        number=number, by=r.general, conciliation=r.conciliation, date=date
    )


def decide(org: Organisation, number: int, consent: bool, date: dt.date) -> ev.Event:
    """The escalation council or conciliation committee decides, binding both sides."""
    a = get_action(org, number)
    if a.final:
        _open(a, a.status, "decide")  # raises: already finally decided
    if a.status not in ("escalated", "challenged"):
        raise DomainError(
            f"workplace action {number} is {a.status}, not escalated or challenged: cannot decide",
            field="number",
            value=number,
        )
    _not_before(date, a.decided_on or a.proposed_on, f"action {number}'s last decision")
    return ev.WorkplaceActionDecided(number=number, body=a.appeal or "", consent=consent, date=date)


def apply_default(org: Organisation, number: int, date: dt.date) -> ev.Event:
    """After the deadline with no committee decision, the rule's default applies."""
    a = get_action(org, number)
    _open(a, "pending", "apply the default")
    due = deadline(org, a)
    if date < due:
        raise DomainError(
            f"the deadline of workplace action {number} is {due}: date {date} is before it",
            field="date",
            value=date.isoformat(),
        )
    return ev.ConsentDefaultApplied(
        number=number, consent=get_rule(org, a.rule).default_outcome == "consent", date=date
    )
