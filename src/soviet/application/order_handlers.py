"""Handlers of the orders commands (units, oversight committees, commissioners,
countersigned orders): each decides its command by one rule of
``soviet.domain.order_rules``, in the command's transaction. Imported by
``soviet.application.handlers``, which registers them."""

from __future__ import annotations

from soviet.application import commands as cmd
from soviet.application.handlers import Transaction, _handles
from soviet.application.ledger import LedgerEntry
from soviet.domain import order_rules as orr


@_handles(cmd.FormOversightCommittee)
def _form_committee(c: cmd.FormOversightCommittee, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: orr.form_committee(
            org,
            c.name,
            c.council,
            c.members,
            c.rule,
            c.date,
            k=c.k,
            roles=c.roles,
            required_roles=c.required_roles,
        )
    )


@_handles(cmd.CreateUnit)
def _create_unit(c: cmd.CreateUnit, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: orr.create_unit(
            org,
            c.name,
            c.council,
            c.date,
            constituency=c.constituency,
            committee=c.committee,
            restricted=c.restricted,
        )
    )


@_handles(cmd.PlaceUnit)
def _place_unit(c: cmd.PlaceUnit, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: orr.place_unit(org, c.unit, c.committee, c.date))


@_handles(cmd.AppointCommissioner)
def _appoint_commissioner(c: cmd.AppointCommissioner, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: orr.appoint_commissioner(org, c.unit, c.member, c.date))


@_handles(cmd.RecallCommissioner)
def _recall_commissioner(c: cmd.RecallCommissioner, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: orr.recall_commissioner(org, c.unit, c.member, c.date))


@_handles(cmd.IssueOrder)
def _issue_order(c: cmd.IssueOrder, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: orr.issue_order(
            org, c.unit, c.issuer, c.action, c.text, c.date, by_commissioner=c.by_commissioner
        )
    )


@_handles(cmd.CountersignOrder)
def _countersign_order(c: cmd.CountersignOrder, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: orr.countersign_order(org, c.order, c.member, c.date))


@_handles(cmd.ReturnOrder)
def _return_order(c: cmd.ReturnOrder, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: orr.return_order(org, c.order, c.member, c.reason, c.date))


@_handles(cmd.TakeAction)
def _take_action(c: cmd.TakeAction, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: orr.take_action(org, c.unit, c.action, c.taken_by, c.date, order=c.order)
    )
