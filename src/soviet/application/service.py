"""The application service: every command runs in one transaction and appends to the ledger."""

from __future__ import annotations

import datetime as dt
import gc
import json
import random
import secrets
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from soviet.application.checkpoints import Checkpoint, CheckpointError, Statement
from soviet.application.checkpoints import check as check_checkpoint
from soviet.application.ledger import LedgerEntry, LedgerError, Verification
from soviet.application.ports import Busy, LedgerReader, StateReader, UnitOfWork
from soviet.application.verification import StateCheck, VerifyReport
from soviet.domain.dates import DateSpan, widen
from soviet.domain.events import Event, event_from_record
from soviet.domain.limits import check_string
from soviet.domain.model import Organisation, replay

if TYPE_CHECKING:
    from soviet.application.commands import Command

Decision = Callable[[Organisation], Event]
T = TypeVar("T")
_STATE_ATTEMPTS = 3  # chain + state, when commands keep landing in between
# Shuffles a transaction's ballots before they go in the box: the order of the rows (and
# their physical position) must owe nothing to the order the voters cast in.
_BALLOT_ORDER = secrets.SystemRandom()


def _never(_exc: BaseException) -> bool:
    return False


@dataclass(frozen=True)
class RetryPolicy:
    """How often a command meeting contention is re-run, and how long to wait in between.

    The wait before attempt ``n + 1`` is drawn from ``[cap/2, cap]`` with
    ``cap = min(max_delay, base_delay * 2**n)``: exponential, and jittered so that
    writers who collided once do not collide again in step.
    """

    attempts: int = 8
    base_delay: float = 0.05
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based)."""
        cap = min(self.max_delay, self.base_delay * 2.0**attempt)
        return cap / 2 + random.uniform(0, cap / 2)

    def run(self, attempt: Callable[[], T], is_contention: Callable[[BaseException], bool]) -> T:
        """Call ``attempt`` until it returns, re-calling it after contention (an error that
        ``is_contention`` accepts, or :class:`Busy`); after the last attempt raise Busy.
        Any other error propagates at once."""
        attempts = max(self.attempts, 1)
        last: BaseException | None = None
        for n in range(attempts):
            if n:
                time.sleep(self.delay(n - 1))
            try:
                return attempt()
            except Busy as exc:
                last = exc.__cause__ or exc
            except Exception as exc:
                if not is_contention(exc):
                    raise
                last = exc
        raise Busy(attempts) from last


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Rebuilding and comparing a large state makes millions of objects that all live to
    the end: the cyclic garbage collector's passes over them would only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        self._span: DateSpan | None = None
        self._span_read = False
        self.span_changed = False
        # Write each command's rows as it goes, so that the next command's questions
        # (``where``) are answered by the database; a batch of casts, whose rule asks
        # only by key (answered from what was read), turns it off and is written once.
        self.flush_each = True

    def handle(self, command: Command, actor: str | None = None) -> LedgerEntry:
        """Decide a command with its handler, in this transaction; its entries record
        ``actor`` (default: the transaction's), so that one transaction can carry the
        commands of several members (a batch of casts, see ``application.batcher``)."""
        # The handlers pull in every rule and the counting engine (NumPy): imported when
        # a command is decided, not by the reading commands (decisions/0012).
        from soviet.application import handlers

        if actor is None:
            return handlers.handle(command, self)
        check_string("actor", actor)
        own, self._actor = self._actor, actor
        try:
            return handlers.handle(command, self)
        finally:
            self._actor = own

    def run(self, decide: Decision) -> LedgerEntry:
        """Decide a command, apply its event and seal a ledger entry for it."""
        event = decide(self.org)
        entry = LedgerEntry.make(
            self._seq + 1, self._clock(), self._actor, event.type, event.payload, self._hash
        )
        self._append(event, entry)
        return entry

    def _append(self, event: Event, entry: LedgerEntry) -> None:
        """Apply ``event``, widen the date span, and put ``entry`` at the head."""
        self.org.apply(event)
        span = widen(self.date_span(), event)
        if span != self._span:
            self._span, self.span_changed = span, True
        # Written as each command goes (the transaction still commits or rolls back
        # whole), so the next command's questions are asked of the database itself.
        if self.flush_each:
            self._uow.save(self.org)
        self._seq, self._hash = entry.seq, entry.hash
        self.entries.append(entry)

    def record(self, entry: LedgerEntry) -> None:
        """Put an entry sealed elsewhere on this ledger as it is (an imported ledger):
        it must be the next one and link to the head, its hash must be its own, and
        its event is applied as a command's would be. LedgerError names what is wrong."""
        if entry.seq != self._seq + 1:
            raise LedgerError(f"event {entry.seq} cannot follow event {self._seq}")
        if entry.prev_hash != self._hash:
            raise LedgerError(f"event {entry.seq} does not link to event {self._seq}")
        sealed = LedgerEntry.make(
            entry.seq,
            entry.recorded_at,
            entry.actor,
            entry.type,
            json.loads(entry.payload),
            entry.prev_hash,
        )
        if sealed != entry:
            raise LedgerError(f"event {entry.seq} was altered (its hash is not its own)")
        self._append(event_from_record(entry.type, json.loads(entry.payload)), entry)

    def date_span(self) -> DateSpan | None:
        """The first and last date on record, with this transaction's events."""
        if not self._span_read:
            self._span, self._span_read = self._uow.date_span(), True
        return self._span

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
        *,
        reader_factory: Callable[[], StateReader] | None = None,
        is_contention: Callable[[BaseException], bool] = _never,
        retry: RetryPolicy | None = None,
    ) -> None:
        """``uow_factory`` opens write transactions (they lock out other writers),
        ``reader_factory`` read-only ones that take no lock (default: ``uow_factory``);
        ``is_contention`` is storage's word on whether an error is a lock or
        serialization conflict, worth re-running the command for."""
        self._uow_factory = uow_factory
        self._reader_factory: Callable[[], StateReader] = reader_factory or uow_factory
        self._ledger = ledger
        self._clock = clock
        self._is_contention = is_contention
        self._retry = retry or RetryPolicy()

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Transaction]:
        """Several commands, all or nothing: any error rolls every one of them back.

        One attempt only: contention raises :class:`Busy` at once. Commands use
        :meth:`execute`, which re-runs the whole of the work instead.
        """
        try:
            with self._uow_factory() as uow:
                tx = Transaction(uow, actor, self._clock)
                yield tx
                if tx.entries:
                    uow.save(tx.org)
                    uow.append(tx.entries)
                    if tx.span_changed:
                        uow.set_date_span(tx.date_span())
                    ballots = list(tx.deposits)
                    _BALLOT_ORDER.shuffle(ballots)
                    uow.deposit_ballots(ballots)
                    closed = tx._closed_boxes()
                    for congress, vote in closed:
                        uow.empty_ballot_box(congress, vote)
                    uow.commit()
                    if closed:
                        # After the commit, outside any transaction: the dead rows of
                        # the emptied box go (docs/secret-ballots.md). Best effort: the
                        # close is recorded whatever happens here.
                        uow.purge_ballot_box()
        except Exception as exc:
            if self._is_contention(exc):
                raise Busy(1) from exc
            raise

    def execute(self, work: Callable[[Transaction], T], actor: str) -> T:
        """Run ``work`` in one transaction and commit what it recorded, all or nothing.

        On contention the transaction is rolled back and ``work`` runs again from the
        start, against fresh state (so its decisions are re-made), up to the retry
        policy's attempts; then :class:`Busy`. ``work`` must therefore have no effects
        outside the transaction that it cannot repeat.
        """

        check_string("actor", actor)  # recorded on every entry, in a VARCHAR(NAME_MAX)

        def attempt() -> T:
            with self.transaction(actor) as tx:
                return work(tx)

        return self._retrying(attempt)

    def _retrying(self, attempt: Callable[[], T]) -> T:
        return self._retry.run(attempt, self._is_contention)

    def handle(self, command: Command, actor: str) -> LedgerEntry:
        """One command in its own transaction, decided by its handler (re-run on
        contention, see :meth:`execute`)."""
        return self.execute(lambda tx: tx.handle(command), actor)

    def run(self, decide: Decision, actor: str) -> LedgerEntry:
        """One command in its own transaction (re-run on contention, see :meth:`execute`)."""
        return self.execute(lambda tx: tx.run(decide), actor)

    def import_ledger(self, entries: Iterable[LedgerEntry]) -> int:
        """Put an exported ledger into this empty one, entry for entry (same times,
        actors and hashes), building the live tables from its events; all or nothing.

        Refused (LedgerError) when this ledger already holds events, when an entry does
        not follow, link or hash as it should, or when the ledger ends with a secret
        vote open: its ballot box is kept apart from the ledger and is not exported."""
        held = self.last_seq()
        if held:
            raise LedgerError(f"the ledger already holds {held} events: import into a new one")

        def work(tx: Transaction) -> int:
            for entry in entries:
                tx.record(entry)
            for congress in tx.org.congresses.values():
                for vote in congress.open_votes():
                    if vote.mode == "secret":
                        raise LedgerError(
                            f"the ledger ends with secret vote {vote.number} of "
                            f"{congress.name} open: its ballots are not on the ledger"
                        )
            return len(tx.entries)

        return self.execute(work, "import")

    def state(self, as_of: int | None = None) -> Organisation:
        """The live state, or the state after event ``as_of`` rebuilt from the ledger.

        A read-only snapshot: it never waits for writers, nor makes them wait.
        """
        if as_of is not None:
            return self._retrying(lambda: self.replay(as_of))

        def load() -> Organisation:
            with self._reader_factory() as reader:
                return reader.load_all()

        return self._retrying(load)

    def query(self, view: Callable[[Organisation], T], as_of: int | None = None) -> T:
        """Run a view (a read-only function of the state) against the live state in one
        snapshot, or against the state after event ``as_of`` rebuilt from the ledger.

        The view must finish inside the call: the live state it is given reads rows on
        demand from that snapshot, and is gone afterwards.
        """
        if as_of is not None:
            return self._retrying(lambda: view(self.replay(as_of)))

        def read() -> T:
            with self._reader_factory() as reader:
                return view(reader.load())

        return self._retrying(read)

    def query_at_head(self, view: Callable[[Organisation], T]) -> tuple[int, str, T]:
        """Run a view against the live state, with the ledger head of the same snapshot:
        (seq, hash, result), so the result is known to be the state after event seq (a
        live stream labels its events with it)."""

        def read() -> tuple[int, str, T]:
            with self._reader_factory() as reader:
                org = reader.load()
                seq, head_hash = reader.head()
                return seq, head_hash, view(org)

        return self._retrying(read)

    def replay(self, up_to: int | None = None) -> Organisation:
        """Rebuild the state by applying ledger events in order."""
        # Straight from the stored rows (seq, recorded_at, actor, type, payload, ...):
        # replay is the bulk of verify's state proof.
        loads = json.loads
        return replay(event_from_record(r[3], loads(r[4])) for r in self._ledger.rows(up_to))

    def history(
        self, up_to: int | None = None, *, start: int = 1
    ) -> Generator[LedgerEntry, None, None]:
        """Ledger entries in order, from event ``start`` up to ``up_to`` (both inclusive)."""
        try:
            yield from self._ledger.entries(up_to, start=start)
        except Exception as exc:
            # Already yielded entries cannot be taken back, so there is no retry here.
            if self._is_contention(exc):
                raise Busy(1) from exc
            raise

    def verify(
        self,
        *,
        state: bool = True,
        checkpoints: Sequence[Checkpoint] = (),
        trusted: Iterable[str] = (),
    ) -> VerifyReport:
        """Recompute the hash chain; with ``state``, prove that the live tables equal the
        state rebuilt from the ledger; check each checkpoint (its event still on the
        ledger with its hash, its signatures valid, one by a ``trusted`` key if given).

        The state is rebuilt while the chain is checked (in other processes on a large
        ledger), but reported only on an intact chain: a broken one is reported first.
        """
        for _ in range(_STATE_ATTEMPTS):
            chain, proof = self._retrying(lambda: self._verify_once(state))
            if proof is None or proof.seq == chain.checked:
                break
            # A command was recorded between the chain's snapshot and the state's.
        else:
            problem = (
                "commands kept being recorded during verification, so the state never "
                "matched the chain's head: run it again"
            )
            proof = StateCheck(False, chain.checked, problem=problem)
        end = self.last_seq()
        results = tuple(check_checkpoint(c, self._held(c.seq), end, trusted) for c in checkpoints)
        return VerifyReport(chain, proof, results)

    def _verify_once(self, state: bool) -> tuple[Verification, StateCheck | None]:
        wait = self._ledger.start_verify()  # the chain is checked meanwhile
        rebuilt: Organisation | StateCheck | None = None
        seq = 0
        try:
            if state:
                head = self._ledger.stored_head()
                seq = 0 if head is None else head[0]
                rebuilt = self._rebuild(seq)
        finally:
            chain = wait()
        if not chain.ok or rebuilt is None:
            return chain, None
        if isinstance(rebuilt, StateCheck):
            return chain, rebuilt
        with _collector_paused():
            return chain, self._ledger.check_state(rebuilt, seq)

    def _rebuild(self, seq: int) -> Organisation | StateCheck:
        """The state after event ``seq`` replayed, or the failure to replay it."""
        with _collector_paused():
            try:
                return self.replay(seq)
            except Exception as exc:
                if self._is_contention(exc):
                    raise
                # A consistently rewritten ledger can hold events that no rule decides.
                name = type(exc).__name__
                problem = f"the ledger cannot be replayed: {name}: {exc}"
                return StateCheck(False, seq, problem=problem)

    def _held(self, seq: int) -> tuple[str, str] | None:
        entry = self._retrying(lambda: self._ledger.entry(seq))
        return None if entry is None else (entry.hash, entry.recorded_at)

    def checkpoint(self, seq: int | None = None) -> Statement:
        """A checkpoint statement for event ``seq`` (default: the head), to publish."""
        at = self.last_seq() if seq is None else seq
        entry = self._retrying(lambda: self._ledger.entry(at)) if at > 0 else None
        if entry is None:
            raise CheckpointError(
                "the ledger is empty: nothing to checkpoint" if at == 0 else f"no event {at}"
            )
        return Statement(entry.seq, entry.hash, entry.recorded_at)

    def head(self) -> tuple[int, str | None]:
        """The newest event's sequence number and hash, read together ((0, None): empty)."""
        head = self._retrying(self._ledger.stored_head)
        return (0, None) if head is None else head

    def date_span(self) -> DateSpan | None:
        """The first and last date on record (None for an empty ledger), read now."""

        def read() -> DateSpan | None:
            with self._reader_factory() as reader:
                return reader.date_span()

        return self._retrying(read)

    def last_seq(self) -> int:
        """The newest event's sequence number (0 for an empty ledger)."""
        head = self._retrying(self._ledger.stored_head)
        return 0 if head is None else head[0]
