"""Handlers of the consent-workflow commands: each decides its command by one rule of
``soviet.domain.consent_rules`` in the command's transaction. Imported (registered) by
``soviet.application.handlers``."""

from __future__ import annotations

from soviet.application import commands as cmd
from soviet.application.handlers import Transaction, _handles
from soviet.application.ledger import LedgerEntry
from soviet.domain import consent_rules as cr


@_handles(cmd.SetUpConsentRule)
def _set_up(c: cmd.SetUpConsentRule, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.set_up_rule(
            org,
            c.name,
            c.council,
            c.workplace,
            c.actions,
            c.date,
            committee=c.committee,
            general=c.general,
            escalation=c.escalation,
            conciliation=c.conciliation,
            deadline_days=c.deadline_days,
            default_outcome=c.default_outcome,
        )
    )


@_handles(cmd.ProposeAction)
def _propose(c: cmd.ProposeAction, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.propose_action(org, c.rule, c.action, c.subject, c.proposed_by, c.date)
    )


@_handles(cmd.ConsentToAction)
def _consent(c: cmd.ConsentToAction, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.consent(org, c.number, c.date))


@_handles(cmd.RefuseAction)
def _refuse(c: cmd.RefuseAction, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.refuse(org, c.number, c.reason, c.date))


@_handles(cmd.EscalateAction)
def _escalate(c: cmd.EscalateAction, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.escalate(org, c.number, c.date))


@_handles(cmd.ChallengeAction)
def _challenge(c: cmd.ChallengeAction, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.challenge(org, c.number, c.date))


@_handles(cmd.DecideAction)
def _decide(c: cmd.DecideAction, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.decide(org, c.number, c.consent, c.date))


@_handles(cmd.ApplyConsentDefault)
def _default(c: cmd.ApplyConsentDefault, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.apply_default(org, c.number, c.date))
