"""Congress commands that need more than one decision's worth of work: secret ballots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from soviet.application.ledger import LedgerEntry
from soviet.application.service import CouncilService
from soviet.domain import congress_rules as rules


def cast_vote(
    service: CouncilService,
    congress: str,
    vote: int,
    credential: int,
    choice: str,
    date: dt.date,
    actor: str,
) -> LedgerEntry:
    """Record a vote. In a secret ballot the ledger learns only that the delegate voted;
    the choice goes to the ballot box, which holds no voter and no order."""
    with service.transaction(actor) as tx:
        entry = tx.run(lambda o: rules.cast(o, congress, vote, credential, choice, date))
        if tx.org.congresses[congress].votes[vote].mode == "secret":
            tx.deposit_ballot(congress, vote, choice)
        return entry


def close_vote(
    service: CouncilService,
    congress: str,
    vote: int,
    date: dt.date,
    actor: str,
    counts: Mapping[str, int] | None = None,
) -> LedgerEntry:
    """Close a vote; a secret ballot's box is counted, published sorted, and emptied."""
    with service.transaction(actor) as tx:
        box = tx.ballot_box(congress, vote)
        return tx.run(
            lambda o: rules.close_vote(o, congress, vote, date, counts=counts, ballot_box=box)
        )
