"""Group commit of casts: many delegates' votes decided and committed in one transaction.

A :class:`CastBatcher` collects :class:`~soviet.application.commands.CastVote` commands
from concurrent callers (the HTTP API's request threads) and runs each batch in ONE
transaction of the service (``CouncilService.execute``): every command decided in turn
by its rule, its entry recording its own actor; a command the rules refuse is answered
with that refusal and leaves the others in. Each caller waits until its batch is
committed and only then gets its answer, so an acknowledged ballot is durable.

Why (docs/decisions/0015-secret-ballots.md): on PostgreSQL every row a transaction
writes carries its id (``xmin``), so one transaction per cast joins each ballot in the
box to its voter's "has voted" row and ledger entry. In a batch all the rows share one
id and the batch's ballots go in the box in a random order: a voter can be linked to
their batch, not to their ballot. One commit per batch is also what makes a thousand
casts a second reachable.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from soviet.application.authorization import Forbidden
from soviet.application.commands import CastVote
from soviet.application.ledger import LedgerEntry
from soviet.application.ports import Busy
from soviet.domain.errors import DomainError
from soviet.domain.limits import check_string
from soviet.domain.records import prefetch

if TYPE_CHECKING:
    from soviet.application.service import CouncilService, Transaction
    from soviet.domain.model import Organisation

# A wait for the batch's commit that never ends would hold a request thread forever:
# the service's retries are bounded, so this is only a guard against a stuck database.
_ANSWER_TIMEOUT = 300.0


@dataclass(frozen=True)
class BatchPolicy:
    """When a batch closes.

    A batch opens with its first command and closes when it holds ``max_size``
    commands, or ``window`` seconds after it opened if it holds at least ``min_size``;
    short of ``min_size`` it waits for more up to ``max_wait`` seconds after it opened,
    then closes as it is. ``min_size`` narrows the "batch of one" hole (a voter alone in
    a batch is linkable to their ballot): a lone voter waits up to ``max_wait`` for
    company, which under load costs nothing (batches fill in milliseconds).
    """

    max_size: int = 64
    window: float = 0.020
    min_size: int = 8
    max_wait: float = 1.0

    def __post_init__(self) -> None:
        if self.max_size < 1 or not 1 <= self.min_size <= self.max_size:
            raise ValueError(f"need 1 <= min_size <= max_size, got {self}")
        if self.window < 0 or self.max_wait < self.window:
            raise ValueError(f"need 0 <= window <= max_wait, got {self}")


UNBATCHED = BatchPolicy(max_size=1, window=0.0, min_size=1, max_wait=0.0)
"""One command per transaction: what ``service.handle`` does (for comparison in tests)."""


#: Who casts: the actor's text, or a check made in the batch's own transaction that
#: returns it (the caller's authorization: it raises to refuse this cast alone).
Actor = str | Callable[["Organisation"], str]


@dataclass
class _Pending:
    command: CastVote
    actor: Actor
    answer: Future[LedgerEntry]


class CastBatcher:
    """Runs concurrent casts in batches, one transaction (and one commit) each.

    ``submit`` is thread-safe and blocking. One worker thread, started with the batcher,
    runs the batches one after another (writers are serialised on the ledger head
    anyway); a batch collects while the one before it commits. Use as a context
    manager, or call :meth:`close`, which answers every command already submitted.
    """

    def __init__(self, service: CouncilService, policy: BatchPolicy | None = None) -> None:
        self._service = service
        self.policy = policy or BatchPolicy()
        self._queue: deque[_Pending] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._flush = False
        self._running: list[_Pending] = []  # the batch being committed
        self.batches = 0  # committed batches (tests and benchmarks read these)
        self.sizes: deque[int] = deque(maxlen=10_000)  # the sizes of the latest batches
        self._worker = threading.Thread(target=self._run, name="cast-batcher", daemon=True)
        self._worker.start()

    def __enter__(self) -> CastBatcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, command: CastVote, actor: Actor) -> LedgerEntry:
        """Cast ``command`` for ``actor``; return its ledger entry once its batch is
        committed (the ballot is then durable), or raise the rules' DomainError for this
        command alone, or :class:`Busy` (or the storage error) when the whole batch could
        not be committed, in which case nothing of it was recorded."""
        return self.submit_future(command, actor).result(timeout=_ANSWER_TIMEOUT)

    def submit_future(self, command: CastVote, actor: Actor) -> Future[LedgerEntry]:
        """Queue ``command`` and return at once the future that :meth:`submit` waits on:
        for a caller that waits without holding a thread (an async endpoint awaits it
        with ``asyncio.wrap_future``). Its result is set after the batch's commit.

        ``actor`` may be a function of the state, called in the batch's transaction
        before the command is decided: it returns the actor's text, or raises
        ``DomainError`` or ``Forbidden`` to refuse this cast alone (an authorization
        made against the very state the cast is decided on, read once per batch)."""
        if not isinstance(command, CastVote):
            # Only a command whose handler makes one decision can be refused without
            # disturbing the others: the rule raises before anything is applied.
            raise TypeError(f"the batcher casts votes only, not {type(command).__name__}")
        if isinstance(actor, str):
            check_string("actor", actor)
        answer: Future[LedgerEntry] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("the cast batcher is closed")
            self._queue.append(_Pending(command, actor, answer))
            self._cond.notify_all()
        return answer

    def flush(self) -> None:
        """Close the collecting batch now, without waiting for ``window`` or
        ``min_size``, and return once every cast submitted before the call is answered:
        call it before closing a vote, so that no cast already made waits past the close
        (and is refused for it). The last batch may then be small (see the docs)."""
        with self._cond:
            waiting = [p.answer for p in self._queue] + [p.answer for p in self._running]
            self._flush = bool(self._queue)  # an empty queue: nothing to hurry
            self._cond.notify_all()
        for answer in waiting:
            answer.exception(timeout=_ANSWER_TIMEOUT)  # answered, either way

    def close(self) -> None:
        """Commit what was submitted, then stop the worker."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._worker.join()

    # --- the worker -------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            batch = self._collect()
            if batch is None:
                return
            self._commit(batch)

    def _collect(self) -> list[_Pending] | None:
        """Wait for a batch to close by the policy; None once closed and drained."""
        policy = self.policy
        with self._cond:
            while not self._queue:
                if self._closed:
                    return None
                self._cond.wait()
            opened = time.monotonic()
            while True:
                size = len(self._queue)
                age = time.monotonic() - opened
                if (
                    size >= policy.max_size
                    or self._closed
                    or self._flush
                    or (size >= policy.min_size and age >= policy.window)
                    or age >= policy.max_wait
                ):
                    break
                deadline = policy.window if size >= policy.min_size else policy.max_wait
                self._cond.wait(max(deadline - age, 0.0))
            self._flush = False
            take = min(len(self._queue), policy.max_size)
            self._running = [self._queue.popleft() for _ in range(take)]
            return self._running

    def _commit(self, batch: list[_Pending]) -> None:
        results: list[LedgerEntry | DomainError | Forbidden] = []

        def work(tx: Transaction) -> None:
            # Re-run from the start on contention: the answers of a failed attempt go.
            results.clear()
            tx.flush_each = False  # the cast rule asks by key only; written at the end
            _prefetch(tx, [p.command for p in batch])
            for pending in batch:
                try:
                    who = pending.actor
                    if not isinstance(who, str):
                        who = who(tx.org)  # the authorization reads only
                        check_string("actor", who)
                    results.append(tx.handle(pending.command, who))
                except (DomainError, Forbidden) as exc:
                    # The cast rule raises before it applies anything, so the state
                    # and the batch's other commands are as they were.
                    results.append(exc)

        try:
            self._service.execute(work, "cast-batcher")
        except BaseException as exc:
            for pending in batch:
                failure = Busy(exc.attempts) if isinstance(exc, Busy) else exc
                if failure is not exc:
                    failure.__cause__ = exc
                pending.answer.set_exception(failure)
            if not isinstance(exc, Exception):
                raise
            return
        self.batches += 1
        self.sizes.append(len(batch))
        for pending, result in zip(batch, results, strict=True):
            if isinstance(result, DomainError | Forbidden):
                pending.answer.set_exception(result)
            else:
                pending.answer.set_result(result)


def _prefetch(tx: Transaction, commands: list[CastVote]) -> None:
    """Read the credentials and the "has voted" marks a batch will ask about, one query
    per table rather than one per cast. Only a cost: a missing congress or vote is left
    for the rule to refuse."""
    wanted: dict[tuple[str, int], list[int]] = {}
    for c in commands:
        wanted.setdefault((c.congress, c.vote), []).append(c.credential)
    for (name, number), credentials in wanted.items():
        congress = tx.org.congresses.get(name)
        vote = None if congress is None else congress.votes.get(number)
        if congress is None or vote is None:
            continue
        prefetch(congress.credentials, credentials)
        prefetch(vote.roll, credentials)
        prefetch(vote.voted, credentials)
