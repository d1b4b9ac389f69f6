"""Concurrent clients on one database, on SQLite and PostgreSQL.

Writers lock the ledger head and are re-run on contention; readers take snapshots and
never wait; a writer still locked out after its retries fails with ``Busy``, which the
CLI reports in one line with exit 2, writing nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import queue
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import BUSY_RETRIES_ENV, BUSY_TIMEOUT_ENV, open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.sql import SqlUnitOfWork, engine_for, is_contention, migrate
from soviet.application.commands import CastVote, CloseVote
from soviet.application.ledger import GENESIS_HASH
from soviet.application.ports import Busy
from soviet.application.service import CouncilService, RetryPolicy, Transaction, utc_now
from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.errors import DomainError

CONGRESS = "Congress"
CALL = dt.date(1917, 10, 6)
ELECTED = dt.date(1917, 10, 20)
OPEN = dt.date(1917, 11, 7)
VOTERS = 64
DUPLICATES = 16
CHOICES = ("for", "against", "abstain")
Outcome = tuple[int, str, str]  # credential, "ok" | "refused" | "error", message


def choice_of(credential: int) -> str:
    return CHOICES[credential % 3]


def build_congress(service: CouncilService, delegates: int, mode: str) -> None:
    """A congress of ``delegates`` seated, present voters with vote 1 open, in one go."""

    def work(tx: Transaction) -> None:
        tx.run(
            lambda o: rules.create_council(
                o, "CEC", {"method": "dhondt", "seats": 10}, may_convene=[CONGRESS]
            )
        )
        tx.run(
            lambda o: cr.call_congress(
                o,
                CONGRESS,
                "CEC",
                CALL,
                OPEN,
                quorum="1/2",
                senders={"Soviets": delegates},
                external=True,
            )
        )
        for k in range(1, delegates + 1):
            tx.run(
                partial(
                    cr.present_credential,
                    congress=CONGRESS,
                    delegate=f"D{k}",
                    sent_by="Soviets",
                    elected_on=ELECTED,
                    date=OPEN,
                )
            )
            tx.run(
                partial(cr.rule_on_credential, congress=CONGRESS, number=k, accept=True, date=OPEN)
            )
        tx.run(lambda o: cr.open_congress(o, CONGRESS, OPEN))
        everyone = list(range(1, delegates + 1))
        tx.run(lambda o: cr.register(o, CONGRESS, OPEN, arriving=True, credentials=everyone))
        tx.run(lambda o: cr.table_motion(o, CONGRESS, "Peace", "A just peace.", 1, OPEN))
        tx.run(lambda o: cr.open_vote(o, CONGRESS, 1, OPEN, mode=mode))

    service.execute(work, "setup")


def cast(service: CouncilService, credential: int) -> Outcome:
    try:
        service.handle(
            CastVote(
                congress=CONGRESS,
                vote=1,
                credential=credential,
                choice=choice_of(credential),
                date=OPEN,
            ),
            f"delegate {credential}",
        )
    except DomainError as exc:
        return credential, "refused", str(exc)
    except Exception as exc:  # any other failure is what the test is looking for
        return credential, "error", f"{type(exc).__name__}: {exc}"
    return credential, "ok", ""


def _cast_in_process(url: str, credential: int, start: Any, out: Any) -> None:
    engine_for(url).dispose(close=False)  # a forked child opens its own connections
    try:
        service = open_service(url)
        start.wait(60)
        out.put(cast(service, credential))
    except BaseException as exc:
        out.put((credential, "error", f"{type(exc).__name__}: {exc}"))


def cast_in_processes(url: str, attempts: list[int]) -> list[Outcome]:
    """One process per attempt, all released at once."""
    engine_for(url).dispose()  # no pooled connection may be inherited by the children
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(attempts))
    out = context.Queue()
    procs = [context.Process(target=_cast_in_process, args=(url, k, start, out)) for k in attempts]
    gc.freeze()  # the children's collector would otherwise copy every page it visits
    try:
        for proc in procs:
            proc.start()
    finally:
        gc.unfreeze()
    try:
        results = [out.get(timeout=120) for _ in procs]
    finally:
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
    assert all(proc.exitcode == 0 for proc in procs)
    return results


def cast_in_threads(url: str, attempts: list[int]) -> list[Outcome]:
    """One thread (with its own service) per attempt, all released at once."""
    start = threading.Barrier(len(attempts))
    results: list[Outcome] = []

    def client(credential: int) -> None:
        service = open_service(url)
        start.wait(60)
        results.append(cast(service, credential))

    threads = [threading.Thread(target=client, args=(k,)) for k in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.mark.parametrize("mode", ["roll-call", "secret"])
def test_64_clients_cast_in_one_vote(database_url: str, mode: str) -> None:
    """One process per client on SQLite; threads, each with its own service, for the
    secret ballot (to save the forks) and on PostgreSQL (whose test server allows only
    50 connections: the threads share a pool there)."""
    migrate(database_url)
    service = open_service(database_url)
    build_congress(service, VOTERS, mode)
    before = service.last_seq()
    attempts = list(range(1, VOTERS + 1)) + random.sample(range(1, VOTERS + 1), DUPLICATES)
    random.shuffle(attempts)

    began = time.perf_counter()
    clients = (
        "processes" if mode == "roll-call" and database_url.startswith("sqlite") else "threads"
    )
    if clients == "processes":
        outcomes = cast_in_processes(database_url, attempts)
    else:
        outcomes = cast_in_threads(database_url, attempts)
    elapsed = time.perf_counter() - began

    errors = [o for o in outcomes if o[1] == "error"]
    assert errors == [], errors
    assert len(outcomes) == len(attempts)
    voted = Counter(k for k, status, _ in outcomes if status == "ok")
    assert voted == Counter(range(1, VOTERS + 1))  # every voter once
    refused = [message for _, status, message in outcomes if status == "refused"]
    assert len(refused) == DUPLICATES
    assert all("already voted" in message for message in refused), refused

    assert service.last_seq() == before + VOTERS
    vote = service.state().congresses[CONGRESS].votes[1]
    if mode == "roll-call":
        assert vote.roll == {k: choice_of(k) for k in range(1, VOTERS + 1)}
    else:
        assert vote.voted == set(range(1, VOTERS + 1))
        with SqlUnitOfWork(database_url, write=False) as reader:
            assert len(reader.ballot_box(CONGRESS, 1)) == VOTERS
    cast_events = [e for e in service.history() if e.type == "BallotCast"]
    assert len(cast_events) == VOTERS

    closed = service.handle(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")
    counts = service.state().congresses[CONGRESS].votes[1].counts
    assert sum(counts.values()) == VOTERS
    assert counts == Counter(choice_of(k) for k in range(1, VOTERS + 1))
    result = service.verify()
    assert result.ok and result.checked == closed.seq == before + VOTERS + 1
    assert to_rows(service.replay()) == to_rows(service.state())
    backend = database_url.split(":")[0]
    print(f"{len(attempts)} {mode} attempts by {clients} on {backend}: {elapsed:.2f} s")


# --- readers and a writer holding the lock -------------------------------------------
@contextmanager
def writer_holding_lock(url: str) -> Iterator[SqlUnitOfWork]:
    """An open write transaction that has locked the head and written an uncommitted
    event (a council named Held), as a slow command would."""
    with SqlUnitOfWork(url) as uow:
        tx = Transaction(uow, "slow writer", utc_now)
        tx.run(lambda o: rules.create_council(o, "Held", {"method": "dhondt", "seats": 5}))
        uow.save(tx.org)
        uow.append(tx.entries)
        yield uow


@pytest.fixture
def fail_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two attempts, each waiting at most 0.2 s for a lock."""
    monkeypatch.setenv(BUSY_RETRIES_ENV, "2")
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "0.2")


def _council(name: str) -> Callable[[Any], Any]:
    return lambda o: rules.create_council(o, name, {"method": "dhondt", "seats": 5})


def test_readers_work_while_a_writer_holds_the_lock(database_url: str, fail_fast: None) -> None:
    migrate(database_url)
    service = open_service(database_url)
    service.run(_council("Petrograd Soviet"), "test")
    with writer_holding_lock(database_url) as uow:
        began = time.perf_counter()
        assert set(service.state().councils) == {"Petrograd Soviet"}  # the last commit
        result = service.verify()
        assert result.ok and result.checked == 1
        assert [e.seq for e in service.history()] == [1]
        assert service.last_seq() == 1
        assert set(service.state(as_of=1).councils) == {"Petrograd Soviet"}
        assert time.perf_counter() - began < 2  # nobody waited out a lock
        uow.commit()
    assert set(service.state().councils) == {"Petrograd Soviet", "Held"}
    assert service.verify().ok


def test_a_writer_locked_out_past_its_retries_is_busy(database_url: str, fail_fast: None) -> None:
    migrate(database_url)
    service = open_service(database_url)
    service.run(_council("Petrograd Soviet"), "test")
    with writer_holding_lock(database_url):
        began = time.perf_counter()
        with pytest.raises(Busy, match="busy: the database is locked") as caught:
            service.run(_council("Moscow Soviet"), "impatient")
        assert caught.value.attempts == 2
        assert is_contention(caught.value.__cause__)  # type: ignore[arg-type]
        assert time.perf_counter() - began < 3
    # the held transaction rolled back, the impatient one never wrote
    assert service.last_seq() == 1
    assert set(service.state().councils) == {"Petrograd Soviet"}
    assert service.verify().ok


def test_busy_on_the_command_line(database_url: str, fail_fast: None) -> None:
    """Exit 2, one line, no traceback, nothing written; the readers still answer."""
    migrate(database_url)
    build_congress(open_service(database_url), 4, "roll-call")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--db", database_url, *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = invoke("history", "--json")
    assert code == 0
    events = out.count('"seq"')
    with writer_holding_lock(database_url):
        code, out, err = invoke("congress", "vote", CONGRESS, "cast", "1", "2", "for")
        assert code == 2, (out, err)
        assert err.startswith("error: busy:") and err.count("\n") == 1, err
        assert "Traceback" not in out + err
        for reader in (
            ["verify"],
            ["history"],
            ["council", "show", "CEC"],
            ["congress", "show", CONGRESS],
        ):
            code, out, err = invoke(*reader)
            assert code == 0, (reader, out, err)
    code, out, _ = invoke("history", "--json")
    assert out.count('"seq"') == events  # nothing written


# --- the first writers ---------------------------------------------------------------
def test_init_creates_the_head_row(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)
    with engine_for(database_url).connect() as conn:
        # no dated event yet: no first or last date on record
        assert conn.execute(select(t.ledger_head)).all() == [(1, 0, GENESIS_HASH, None, None)]
        conn.rollback()
    assert service.last_seq() == 0
    result = service.verify()
    assert result.ok and result.checked == 0 and result.head_hash == GENESIS_HASH
    migrate(database_url)  # again: still one row
    with engine_for(database_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ledger_head)).scalar() == 1
        conn.rollback()


def _first_writers(url: str, names: list[str]) -> list[str]:
    """Each name's council created by its own thread at once; the errors, if any."""
    start = threading.Barrier(len(names))
    errors: list[str] = []

    def client(name: str) -> None:
        service = open_service(url)
        start.wait(30)
        try:
            service.run(_council(name), name)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.mark.parametrize("head_row", ["created by init", "missing (older database)"])
def test_first_writers_on_an_empty_ledger_never_collide(database_url: str, head_row: str) -> None:
    migrate(database_url)
    if head_row.startswith("missing"):
        with engine_for(database_url).begin() as conn:
            conn.execute(delete(t.ledger_head))
    service = open_service(database_url)
    names = [f"Soviet {k}" for k in range(8)]
    assert _first_writers(database_url, names) == []
    assert service.last_seq() == len(names)
    assert set(service.state().councils) == set(names)
    assert service.verify().ok


def test_a_first_writer_waiting_on_a_missing_head_row_is_re_run(database_url: str) -> None:
    """Without a head row to lock, the second writer would insert event 1 as well (on
    PostgreSQL: a unique violation); it must be re-run and become event 2."""
    migrate(database_url)
    with engine_for(database_url).begin() as conn:
        conn.execute(delete(t.ledger_head))
    service = open_service(database_url)
    done: queue.Queue[str] = queue.Queue()
    with writer_holding_lock(database_url) as uow:
        second = threading.Thread(
            target=lambda: done.put(str(service.run(_council("Moscow Soviet"), "second").seq))
        )
        second.start()
        time.sleep(0.3)  # the second writer is now waiting for the first
        uow.commit()
    second.join(30)
    assert done.get_nowait() == "2"
    assert set(service.state().councils) == {"Held", "Moscow Soviet"}
    assert service.verify().ok


# --- what is contention --------------------------------------------------------------
class _PgError(Exception):
    def __init__(self, sqlstate: str, constraint: str | None = None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate
        self.diag = type("Diag", (), {"constraint_name": constraint})()


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("database is busy"), True),
        (sqlite3.OperationalError("no such table: ledger"), False),
        (sqlite3.IntegrityError("UNIQUE constraint failed: ledger.seq"), True),
        (sqlite3.IntegrityError("UNIQUE constraint failed: councils.name"), False),
        (_PgError("40001"), True),  # serialization failure
        (_PgError("40P01"), True),  # deadlock detected
        (_PgError("55P03"), True),  # lock not available (lock_timeout)
        (_PgError("23505", "ledger_pkey"), True),
        (_PgError("23505", "ledger_head_pkey"), True),
        (_PgError("23505", "councils_pkey"), False),
        (_PgError("42P01"), False),  # undefined table
        (DomainError("already voted"), False),
    ],
)
def test_what_counts_as_contention(error: Exception, retried: bool) -> None:
    assert is_contention(error) is retried
    wrapped = OperationalError("SELECT 1", {}, error)  # as SQLAlchemy raises it
    assert is_contention(wrapped) is retried


def test_the_back_off_grows_and_is_jittered() -> None:
    policy = RetryPolicy(attempts=8, base_delay=0.05, max_delay=2.0)
    for attempt, cap in [(0, 0.05), (1, 0.1), (3, 0.4), (10, 2.0)]:
        delays = [policy.delay(attempt) for _ in range(50)]
        assert all(cap / 2 <= d <= cap for d in delays)
        assert len(set(delays)) > 1
