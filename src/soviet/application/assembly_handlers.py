"""Handlers of the list assemblies' commands: each decides its command by one rule of
``soviet.domain.assembly_rules``, in the command's transaction. Imported by
``soviet.application.handlers``."""

from __future__ import annotations

from soviet.application import commands as cmd
from soviet.application.handlers import Transaction, _handles
from soviet.application.ledger import LedgerEntry
from soviet.domain import assembly_rules as ar


@_handles(cmd.CreateAssembly)
def _create_assembly(c: cmd.CreateAssembly, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: ar.create_assembly(
            org,
            c.name,
            c.districts,
            c.rule,
            c.scope,
            c.lists,
            c.closing,
            c.term_days,
            c.date,
            c.opening_quorum,
        )
    )


@_handles(cmd.RegisterPartyList)
def _register_list(c: cmd.RegisterPartyList, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: ar.register_list(org, c.assembly, c.party, c.district, c.candidates, c.date)
    )


@_handles(cmd.RecordListVotes)
def _record_votes(c: cmd.RecordListVotes, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: ar.record_list_votes(org, c.assembly, c.district, c.votes, c.personal, c.date)
    )


@_handles(cmd.AllocateAssemblySeats)
def _allocate(c: cmd.AllocateAssemblySeats, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: ar.allocate_seats(org, c.assembly, c.date))


@_handles(cmd.AttributeSplit)
def _attribute_split(c: cmd.AttributeSplit, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: ar.attribute_split(
            org,
            c.assembly,
            c.party,
            c.rule,
            c.successors,
            c.date,
            positions=c.positions,
            affiliation=c.affiliation,
        )
    )


@_handles(cmd.OpenAssembly)
def _open(c: cmd.OpenAssembly, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: ar.open_assembly(org, c.assembly, c.present, c.date))


@_handles(cmd.EmpowerAssemblyRecall)
def _empower_recall(c: cmd.EmpowerAssemblyRecall, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: ar.empower_recall(org, c.assembly, c.by, c.councils, c.date))


@_handles(cmd.RecallAssemblyMember)
def _recall_member(c: cmd.RecallAssemblyMember, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: ar.recall_member(org, c.assembly, c.member, c.council, c.date))


@_handles(cmd.DissolveAssembly)
def _dissolve(c: cmd.DissolveAssembly, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: ar.dissolve_assembly(org, c.assembly, c.by, c.date))
