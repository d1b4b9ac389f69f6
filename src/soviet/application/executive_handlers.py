"""Handlers of the executive commands (council of commissioners, department heads,
decrees): each decides its command by one rule of ``soviet.domain.executive_rules``, in
the command's transaction. Imported by ``soviet.application.handlers``."""

from __future__ import annotations

from soviet.application import commands as cmd
from soviet.application.decree_documents import verifies_signed_text
from soviet.application.handlers import Transaction, _handles
from soviet.application.ledger import LedgerEntry
from soviet.domain import executive_rules as xr


@_handles(cmd.FormCommissionersCouncil)
def _form_council(c: cmd.FormCommissionersCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: xr.form_council(org, c.name, c.congress, c.date))


@_handles(cmd.AppointDepartmentHead)
def _appoint_head(c: cmd.AppointDepartmentHead, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.appoint_head(
            org, c.council, c.department, c.member, c.by, c.date, vote=c.vote
        )
    )


@_handles(cmd.DismissDepartmentHead)
def _dismiss_head(c: cmd.DismissDepartmentHead, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.dismiss_head(org, c.council, c.department, c.by, c.date, vote=c.vote)
    )


@_handles(cmd.GrantUrgentPowers)
def _grant_powers(c: cmd.GrantUrgentPowers, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.grant_urgent_powers(org, c.council, c.by, c.ratify_within_days, c.date)
    )


@_handles(cmd.IssueDecree)
def _issue_decree(c: cmd.IssueDecree, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.issue_decree(
            org,
            c.council,
            c.registry,
            c.title,
            c.text,
            c.department,
            c.date,
            urgent=c.urgent,
            signatories=c.signatories,
            adopted_by=c.adopted_by,
            tally=c.tally,
            congress_decree=c.congress_decree,
        )
    )


@_handles(cmd.RegisterSigningKey)
def _register_key(c: cmd.RegisterSigningKey, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: xr.register_signing_key(org, c.holder, c.public_key, c.date))


@_handles(cmd.SignDecree)
def _sign_decree(c: cmd.SignDecree, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.sign_decree(
            org, c.registry, c.signer, c.signature, c.date, verifies=verifies_signed_text
        )
    )


@_handles(cmd.RatifyDecree)
def _ratify_decree(c: cmd.RatifyDecree, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: xr.ratify_decree(org, c.registry, c.by, c.date, tally=c.tally))


@_handles(cmd.AnnulDecree)
def _annul_decree(c: cmd.AnnulDecree, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: xr.annul_decree(org, c.registry, c.by, c.date, tally=c.tally))


@_handles(cmd.LapseDecree)
def _lapse_decree(c: cmd.LapseDecree, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: xr.lapse_decree(org, c.registry, c.date))


@_handles(cmd.VoteConfidence)
def _vote_confidence(c: cmd.VoteConfidence, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: xr.vote_confidence(
            org, c.council, c.by, c.in_favour, c.against, c.abstaining, c.date
        )
    )
