"""Handlers of weighted votes, proxies and mandates that bind a vote (issue 11)."""

from __future__ import annotations

from soviet.application.commands import weighting as cmd
from soviet.application.handlers import Transaction, _handles
from soviet.application.ledger import LedgerEntry
from soviet.domain.congress_rules import weighting as rules


@_handles(cmd.DeclareWeight)
def _declare_weight(c: cmd.DeclareWeight, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.declare_weight(org, c.congress, c.credential, c.weight, c.date))


@_handles(cmd.GrantProxy)
def _grant_proxy(c: cmd.GrantProxy, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.grant_proxy(org, c.congress, c.giver, c.holder, c.date))


@_handles(cmd.RevokeProxy)
def _revoke_proxy(c: cmd.RevokeProxy, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.revoke_proxy(org, c.congress, c.giver, c.date))


@_handles(cmd.BindMandate)
def _bind_mandate(c: cmd.BindMandate, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.bind_mandate(org, c.mandate, c.congress, c.motion, c.position, c.date)
    )


@_handles(cmd.RecallOnMandate)
def _recall_on_mandate(c: cmd.RecallOnMandate, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.open_recall_on_vote(
            org, c.congress, c.vote, c.constituency, c.opened_by, c.date
        )
    )
