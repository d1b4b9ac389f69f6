"""The application service: every command runs in one transaction and appends to the ledger."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from soviet.application.ledger import LedgerEntry, Verification
from soviet.application.ports import LedgerReader, UnitOfWork
from soviet.domain.events import Event, event_from_record
from soviet.domain.model import Organisation, replay

Decision = Callable[[Organisation], Event]


def utc_now() -> str:
    """The recording time: UTC, ISO 8601, microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Transaction:
    """Commands decided one after another against the same state, committed together."""

    def __init__(self, uow: UnitOfWork, actor: str, clock: Callable[[], str]) -> None:
        self._uow = uow
        self._actor = actor
        self._clock = clock
        self.org = uow.load()
        self._seq, self._hash = uow.head()
        self.entries: list[LedgerEntry] = []
        self.deposits: list[tuple[str, int, str]] = []

    def run(self, decide: Decision) -> LedgerEntry:
        """Decide a command, apply its event and seal a ledger entry for it."""
        event = decide(self.org)
        entry = LedgerEntry.make(
            self._seq + 1, self._clock(), self._actor, event.type, event.payload, self._hash
        )
        self.org.apply(event)
        self._seq, self._hash = entry.seq, entry.hash
        self.entries.append(entry)
        return entry

    def deposit_ballot(self, congress: str, vote: int, choice: str) -> None:
        """A secret ballot for the box: stored apart from the ledger and from the voter."""
        self.deposits.append((congress, vote, choice))

    def ballot_box(self, congress: str, vote: int) -> list[str]:
        """The ballots in a vote's box, including those deposited in this transaction."""
        pending = [c for g, v, c in self.deposits if (g, v) == (congress, vote)]
        return self._uow.ballot_box(congress, vote) + pending

    def _closed_boxes(self) -> list[tuple[str, int]]:
        return [
            (p["congress"], p["vote"])
            for p in (json.loads(e.payload) for e in self.entries if e.type == "VoteClosed")
        ]


class CouncilService:
    """Runs commands and queries over a storage back end."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        ledger: LedgerReader,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self._uow_factory = uow_factory
        self._ledger = ledger
        self._clock = clock

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Transaction]:
        """Several commands, all or nothing: any error rolls every one of them back."""
        with self._uow_factory() as uow:
            tx = Transaction(uow, actor, self._clock)
            yield tx
            if tx.entries:
                uow.save(tx.org)
                uow.append(tx.entries)
                uow.deposit_ballots(tx.deposits)
                for congress, vote in tx._closed_boxes():
                    uow.empty_ballot_box(congress, vote)
                uow.commit()

    def run(self, decide: Decision, actor: str) -> LedgerEntry:
        """One command in its own transaction."""
        with self.transaction(actor) as tx:
            return tx.run(decide)

    def state(self, as_of: int | None = None) -> Organisation:
        """The live state, or the state after event ``as_of`` rebuilt from the ledger."""
        if as_of is not None:
            return self.replay(as_of)
        with self._uow_factory() as uow:
            return uow.load()

    def replay(self, up_to: int | None = None) -> Organisation:
        """Rebuild the state by applying ledger events in order."""
        return replay(
            event_from_record(e.type, json.loads(e.payload)) for e in self._ledger.entries(up_to)
        )

    def history(self, up_to: int | None = None) -> Iterator[LedgerEntry]:
        """Ledger entries in order."""
        return self._ledger.entries(up_to)

    def verify(self) -> Verification:
        """Recompute the whole hash chain."""
        return self._ledger.verify()

    def last_seq(self) -> int:
        """The newest event's sequence number (0 for an empty ledger)."""
        head = self._ledger.stored_head()
        return 0 if head is None else head[0]
