"""What the application needs from storage (implemented by ``soviet.adapters.storage``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Protocol

from soviet.application.ledger import LedgerEntry, Row, Verification
from soviet.application.verification import StateCheck
from soviet.domain.dates import DateSpan
from soviet.domain.model import Organisation


class Busy(RuntimeError):
    """Other writers kept the database locked through every attempt; nothing was written.

    Storage conflicts (a lock wait that timed out, a serialization failure, two first
    writers on an empty ledger) are retried by the service; this is what is left after
    the last attempt.
    """

    def __init__(self, attempts: int) -> None:
        super().__init__("busy: the database is locked by another writer, try again")
        self.attempts = attempts


class StateReader(Protocol):
    """A read-only transaction on the live tables: a consistent snapshot, no write lock."""

    def __enter__(self) -> StateReader: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def load(self) -> Organisation:
        """The organisation as the live tables hold it, read on demand: usable only
        inside this transaction."""

    def load_all(self) -> Organisation:
        """The whole organisation read into memory now, usable afterwards."""

    def head(self) -> tuple[int, str]:
        """The ledger head this snapshot sees: (seq, hash), (0, the genesis hash) if empty."""


class UnitOfWork(Protocol):
    """One transaction: load the state, save it and append ledger entries, commit or roll back."""

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def load(self) -> Organisation:
        """The organisation as the live tables hold it, read on demand (locks out other
        writers); usable only inside this transaction."""

    def load_all(self) -> Organisation:
        """The whole organisation read into memory now, usable afterwards."""

    def save(self, org: Organisation) -> None:
        """Write the changed rows of ``org`` to the live tables."""

    def head(self) -> tuple[int, str]:
        """Sequence number and hash of the last entry (0 and the genesis hash when empty)."""

    def append(self, entries: list[LedgerEntry]) -> None:
        """Append sealed entries and move the head."""

    def commit(self) -> None:
        """Make everything since ``__enter__`` durable."""

    def date_span(self) -> DateSpan | None:
        """The first and last date the recorded events carry (None when none does)."""

    def set_date_span(self, span: DateSpan | None) -> None:
        """Record the span after this transaction's events (kept with the ledger head)."""

    def ballot_box(self, congress: str, vote: int) -> list[str]:
        """The choices deposited for an open secret vote (no voter, no order)."""

    def deposit_ballots(self, ballots: list[tuple[str, int, str]]) -> None:
        """Put ``(congress, vote, choice)`` ballots in the box, unlinked from any voter."""

    def empty_ballot_box(self, congress: str, vote: int) -> None:
        """Empty the box of a closed vote (its ballots are now on the ledger)."""

    def purge_ballot_box(self) -> None:
        """After the commit that emptied a box: remove what the database keeps of the
        deleted ballots (old row versions, journal pages), as far as it can; never fails."""


class LedgerReader(Protocol):
    """Read access to the ledger for history, replay and verification."""

    def entries(self, up_to: int | None = None, *, start: int = 1) -> Iterator[LedgerEntry]:
        """Entries in sequence order from ``start``, optionally up to ``up_to`` inclusive."""

    def rows(self, up_to: int | None = None) -> Iterator[Row]:
        """Raw rows in sequence order, for fast verification."""

    def stored_head(self) -> tuple[int, str] | None:
        """The head row as stored."""

    def verify(self) -> Verification:
        """Recompute the chain (``application.ledger.verify_rows`` or segments of it)."""

    def start_verify(self) -> Callable[[], Verification]:
        """Start recomputing the chain (in other processes where that pays) and return
        the function that waits for the verdict, so that the caller can work meanwhile."""

    def entry(self, seq: int) -> LedgerEntry | None:
        """Event ``seq`` as stored, None when there is no such event (for checkpoints)."""

    def check_state(self, expected: Organisation, seq: int) -> StateCheck:
        """Compare the live tables with ``expected``, the state rebuilt from the ledger up
        to event ``seq``, naming the first differing row; not ok, with the head's ``seq``,
        when the head is no longer at ``seq``."""
