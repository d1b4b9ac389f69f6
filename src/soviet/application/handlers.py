"""One handler per command: each decides its command against the state, in a transaction.

A handler turns a command's fields into the call of the domain rule that decides it
(``soviet.domain.rules``, ``soviet.domain.congress_rules``) and records the event; the
few that need more than one decision's worth of work (a secret ballot goes to the box,
a closing vote counts the box) do that here, and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from soviet.application import commands as cmd
from soviet.application.commands.base import check_fields
from soviet.application.ledger import LedgerEntry
from soviet.domain import congress_rules as cr
from soviet.domain import roll, rules, structure
from soviet.domain.dates import DateSpan, check_in_span
from soviet.domain.events import Event
from soviet.domain.model import Organisation


class Transaction(Protocol):
    """What a handler needs from the transaction it runs in."""

    org: Organisation

    def run(self, decide: Callable[[Organisation], Event]) -> LedgerEntry:
        """Decide against the state, apply the event and seal its ledger entry."""

    def deposit_ballot(self, congress: str, vote: int, choice: str) -> None:
        """Put a secret ballot in the box, unlinked from the voter."""

    def ballot_box(self, congress: str, vote: int) -> list[str]:
        """The ballots in a vote's box."""

    def date_span(self) -> DateSpan | None:
        """The first and last date on record (None before any dated event)."""


C = TypeVar("C", bound=cmd.Command)
Handler = Callable[[Any, Transaction], LedgerEntry]
_HANDLERS: dict[type[cmd.Command], Handler] = {}


def _handles(kind: type[C]) -> Callable[[Callable[[C, Transaction], LedgerEntry]], Handler]:
    def register(fn: Callable[[C, Transaction], LedgerEntry]) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def handle(command: cmd.Command, tx: Transaction) -> LedgerEntry:
    """Decide ``command`` in ``tx`` and return the ledger entry it appended (its fields
    checked first, see :func:`soviet.application.commands.base.check_fields`)."""
    try:
        handler = _HANDLERS[type(command)]
    except KeyError:
        raise TypeError(f"no handler for command {type(command).__name__}") from None
    check_fields(command)
    if not command.force_date:
        _check_dates(command, tx.date_span())
    return handler(command, tx)


def _check_dates(command: cmd.Command, span: DateSpan | None) -> None:
    """Every date the command gives lies within the organisation's range (see
    ``soviet.domain.dates``); ``force_date`` lets a command past this."""
    if span is None:
        return
    for f in dataclasses.fields(command):
        value = getattr(command, f.name)
        if isinstance(value, dt.date):
            check_in_span(f.name, value, span)


def handled() -> frozenset[type[cmd.Command]]:
    """Every command kind that has a handler."""
    return frozenset(_HANDLERS)


# --- councils ------------------------------------------------------------------------
@_handles(cmd.CreateCouncil)
def _create_council(c: cmd.CreateCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.create_council(
            org,
            c.name,
            c.seat_rule,
            sections=c.sections,
            sections_merged=c.sections_merged,
            recall_threshold=c.recall_threshold,
            recall_mode=c.recall_mode,
            max_term_days=c.max_term_days,
            calendar=c.calendar,
            description=c.description,
            may_convene=c.may_convene,
        )
    )


@_handles(cmd.ArrangeSections)
def _arrange_sections(c: cmd.ArrangeSections, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.arrange_sections(org, c.council, merged=c.merged, date=c.date))


@_handles(cmd.CreateConstituency)
def _create_constituency(c: cmd.CreateConstituency, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.create_constituency(
            org,
            c.name,
            c.council,
            section=c.section,
            kind=c.kind,
            headcount=c.headcount,
            electors=c.electors,
        )
    )


@_handles(cmd.SetHeadcount)
def _set_headcount(c: cmd.SetHeadcount, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.set_headcount(
            org, c.constituency, c.headcount, c.date, vacate_surplus=c.vacate_surplus
        )
    )


@_handles(cmd.EnrolElectors)
def _enrol(c: cmd.EnrolElectors, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.enrol(org, c.constituency, c.electors, c.date))


@_handles(cmd.MoveElector)
def _move_elector(c: cmd.MoveElector, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.move_elector(org, c.elector, c.to, c.date))


@_handles(cmd.ImportRoll)
def _import_roll(c: cmd.ImportRoll, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: roll.import_roll(org, c.constituency, c.members, c.date))


@_handles(cmd.RemoveElector)
def _remove_elector(c: cmd.RemoveElector, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.remove_elector(org, c.elector, c.date))


@_handles(cmd.ElectDelegates)
def _elect(c: cmd.ElectDelegates, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.elect(
            org,
            c.constituency,
            c.candidates,
            c.date,
            seats=c.seats,
            method=c.method,
            term_days=c.term_days,
            seed=c.seed,
            lists=c.lists,
            rankings=c.rankings,
        )
    )


@_handles(cmd.AdoptMandate)
def _adopt_mandate(c: cmd.AdoptMandate, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.adopt_mandate(org, c.constituency, c.text, c.date, seat=c.seat))


@_handles(cmd.OpenRecall)
def _open_recall(c: cmd.OpenRecall, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.open_recall(
            org,
            c.constituency,
            c.opened_by,
            c.date,
            seats=c.seats,
            whole_delegation=c.whole_delegation,
            replacements=c.replacements,
        )
    )


@_handles(cmd.SignRecall)
def _sign_recall(c: cmd.SignRecall, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.sign_recall(org, c.petition, c.electors, c.date))


@_handles(cmd.WithdrawSignature)
def _withdraw_signature(c: cmd.WithdrawSignature, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.withdraw_signature(org, c.petition, c.elector, c.date))


@_handles(cmd.AppointSecretary)
def _appoint_secretary(c: cmd.AppointSecretary, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.appoint_secretary(org, c.council, c.member, c.date))


@_handles(cmd.DismissSecretary)
def _dismiss_secretary(c: cmd.DismissSecretary, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: rules.dismiss_secretary(org, c.council, c.member, c.date))


@_handles(cmd.DissolveCouncil)
def _dissolve(c: cmd.DissolveCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: rules.dissolve(
            org, c.council, c.date, votes_for=c.votes_for, votes_against=c.votes_against
        )
    )


# --- congresses ----------------------------------------------------------------------
@_handles(cmd.CallCongress)
def _call_congress(c: cmd.CallCongress, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.call_congress(
            org,
            c.name,
            c.convened_by,
            c.date,
            c.opens_on,
            quorum=c.quorum,
            senders=c.senders,
            seat_rule=c.seat_rule,
            sending_councils=c.sending_councils,
            max_credential_age_days=c.max_credential_age_days,
            previous=c.previous,
            credentials_committee=c.credentials_committee,
            external=c.external,
            outside_delegates=c.outside_delegates,
            self_registration=c.self_registration,
            proxies=c.proxies,
        )
    )


@_handles(cmd.PostponeCongress)
def _postpone(c: cmd.PostponeCongress, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.postpone(org, c.congress, c.by, c.opens_on, c.date))


@_handles(cmd.PresentCredential)
def _present_credential(c: cmd.PresentCredential, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.present_credential(
            org,
            c.congress,
            c.delegate,
            c.sent_by,
            c.elected_on,
            c.date,
            rights=c.rights,
            group=c.group,
        )
    )


@_handles(cmd.ElectCongressDelegates)
def _elect_congress_delegates(c: cmd.ElectCongressDelegates, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.elect_congress_delegates(
            org,
            c.congress,
            c.council,
            c.candidates,
            c.date,
            method=c.method,
            seats=c.seats,
            lists=c.lists,
            rankings=c.rankings,
            seed=c.seed,
        )
    )


@_handles(cmd.RuleOnCredential)
def _rule_on_credential(c: cmd.RuleOnCredential, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.rule_on_credential(
            org, c.congress, c.credential, c.accept, c.date, reason=c.reason, override=c.override
        )
    )


@_handles(cmd.ChangeCouncil)
def _change_council(c: cmd.ChangeCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.change_council(org, c.council, c.changes, c.date))


@_handles(cmd.RenameCouncil)
def _rename_council(c: cmd.RenameCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.rename_council(org, c.council, c.to, c.date))


@_handles(cmd.RemoveCouncil)
def _remove_council(c: cmd.RemoveCouncil, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.remove_council(org, c.council, c.date))


@_handles(cmd.ChangeConstituency)
def _change_constituency(c: cmd.ChangeConstituency, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.change_constituency(org, c.constituency, c.changes, c.date))


@_handles(cmd.RenameConstituency)
def _rename_constituency(c: cmd.RenameConstituency, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.rename_constituency(org, c.constituency, c.to, c.date))


@_handles(cmd.RemoveConstituency)
def _remove_constituency(c: cmd.RemoveConstituency, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: structure.remove_constituency(org, c.constituency, c.date))


@_handles(cmd.RuleOnCredentials)
def _rule_on_credentials(c: cmd.RuleOnCredentials, tx: Transaction) -> LedgerEntry:
    numbers = None if c.credentials is None else list(c.credentials)
    return tx.run(
        lambda org: cr.rule_on_credentials(
            org, c.congress, numbers, c.accept, c.date, reason=c.reason, override=c.override
        )
    )


@_handles(cmd.ReconsiderCredential)
def _reconsider_credential(c: cmd.ReconsiderCredential, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.reconsider_credential(
            org, c.congress, c.credential, c.accept, c.reason, c.date
        )
    )


@_handles(cmd.RegisterAttendance)
def _register(c: cmd.RegisterAttendance, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.register(
            org,
            c.congress,
            c.date,
            arriving=c.arriving,
            credentials=c.credentials,
            group=c.group,
            reason=c.reason,
        )
    )


@_handles(cmd.OpenCongress)
def _open_congress(c: cmd.OpenCongress, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.open_congress(org, c.congress, c.date))


@_handles(cmd.CloseCongress)
def _close_congress(c: cmd.CloseCongress, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.close_congress(org, c.congress, c.date))


@_handles(cmd.DeclareGroup)
def _declare_group(c: cmd.DeclareGroup, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.declare_group(org, c.congress, c.credentials, c.group, c.date))


@_handles(cmd.ElectCommittee)
def _elect_committee(c: cmd.ElectCommittee, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.elect_committee(
            org,
            c.congress,
            c.committee,
            c.seats,
            c.date,
            kind=c.kind,
            method=c.method,
            declined=c.declined,
            declined_seats=c.declined_seats,
            candidates=c.candidates,
            group_sizes=c.group_sizes,
            rankings=c.rankings,
            seed=c.seed,
        )
    )


@_handles(cmd.ElectPost)
def _elect_post(c: cmd.ElectPost, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.elect_post(
            org,
            c.congress,
            c.post,
            c.date,
            candidates=c.candidates,
            rankings=c.rankings,
            method=c.method,
            seed=c.seed,
        )
    )


@_handles(cmd.TableMotion)
def _table_motion(c: cmd.TableMotion, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.table_motion(
            org,
            c.congress,
            c.title,
            c.text,
            c.mover,
            c.date,
            amends=c.amends,
            decree=c.decree,
            urgent=c.urgent,
            without_debate=c.without_debate,
            item=c.item,
            replaces=c.replaces,
        )
    )


@_handles(cmd.AdoptAgenda)
def _adopt_agenda(c: cmd.AdoptAgenda, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.adopt_agenda(org, c.congress, c.items, c.date))


@_handles(cmd.OrderMotions)
def _order_motions(c: cmd.OrderMotions, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.order_motions(org, c.congress, c.order, c.date, decided_by=c.decided_by)
    )


@_handles(cmd.WithdrawMotion)
def _withdraw_motion(c: cmd.WithdrawMotion, tx: Transaction) -> LedgerEntry:
    return tx.run(lambda org: cr.withdraw_motion(org, c.congress, c.motion, c.date))


@_handles(cmd.OpenVote)
def _open_vote(c: cmd.OpenVote, tx: Transaction) -> LedgerEntry:
    return tx.run(
        lambda org: cr.open_vote(
            org,
            c.congress,
            c.motion,
            c.date,
            stage=c.stage,
            mode=c.mode,
            majority=c.majority,
            abstentions=c.abstentions,
            supersedes=c.supersedes,
            weighted=c.weighted,
        )
    )


@_handles(cmd.CastVote)
def _cast_vote(c: cmd.CastVote, tx: Transaction) -> LedgerEntry:
    """In a secret ballot the ledger learns only that the delegate voted; the choice goes
    to the ballot box, which holds no voter and no order."""
    entry = tx.run(
        lambda org: cr.cast(
            org, c.congress, c.vote, c.credential, c.choice, c.date, proxies=c.proxies
        )
    )
    if tx.org.congresses[c.congress].votes[c.vote].mode == "secret":
        tx.deposit_ballot(c.congress, c.vote, c.choice)
    return entry


@_handles(cmd.CloseVote)
def _close_vote(c: cmd.CloseVote, tx: Transaction) -> LedgerEntry:
    """A secret ballot's box is counted, published sorted, and emptied."""
    box = tx.ballot_box(c.congress, c.vote)
    return tx.run(
        lambda org: cr.close_vote(org, c.congress, c.vote, c.date, counts=c.counts, ballot_box=box)
    )


# --- orders: units, oversight committees, commissioners, countersigned orders ---
# --- list assemblies ---
from soviet.application import assembly_handlers as _assembly_handlers  # noqa: E402, F401

# --- consent ---
from soviet.application import consent_handlers as _consent_handlers  # noqa: E402, F401

# --- executive ---
from soviet.application import executive_handlers as _executive_handlers  # noqa: E402, F401
from soviet.application import order_handlers as _order_handlers  # noqa: E402,F401  (registers)

# --- weighted votes, proxies, mandates against votes (issue 11) ---
from soviet.application import weighting_handlers as _weighting_handlers  # noqa: E402, F401
