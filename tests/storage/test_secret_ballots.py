"""Secret ballots that cannot be joined back to their voters, cast in batches.

The probes below are the queries an attacker with read access to the database would
run after a secret vote (docs/secret-ballots.md): on PostgreSQL every row carries the id
of the transaction that wrote it (``xmin``) and a physical position (``ctid``). Cast one
per transaction, the ballots join back to their voters 30 of 30; cast in batches through
the :class:`CastBatcher`, the probes learn each voter's batch and nothing finer.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text
from test_concurrency import CONGRESS, OPEN, build_congress

from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, engine_for, is_contention, migrate
from soviet.application.batcher import UNBATCHED, BatchPolicy, CastBatcher
from soviet.application.commands import CastVote, CloseVote
from soviet.application.ledger import LedgerEntry
from soviet.application.ports import Busy
from soviet.application.service import CouncilService, RetryPolicy
from soviet.domain.errors import DomainError

VOTERS = 30
WAVE = 10  # one batch per wave: the batch closes when its tenth cast arrives
CHOICES = ("for", "against", "abstain")
# Each wave of ten holds 4 + 3 + 3 of the three choices: no batch is unanimous, so batch
# membership alone names nobody's choice.
IN_WAVES = BatchPolicy(max_size=WAVE, window=30.0, min_size=WAVE, max_wait=30.0)


def choice_of(credential: int) -> str:
    return CHOICES[credential % 3]


def cast_command(credential: int, choice: str | None = None) -> CastVote:
    return CastVote(
        congress=CONGRESS,
        vote=1,
        credential=credential,
        choice=choice or choice_of(credential),
        date=OPEN,
    )


def secret_vote(url: str, voters: int = VOTERS) -> CouncilService:
    migrate(url)
    service = open_service(url)
    build_congress(service, voters, "secret")
    return service


def submit_together(batcher: CastBatcher, commands: Sequence[CastVote]) -> list[object]:
    """Submit from one thread per command, all released at once; each one's answer."""
    answers: list[object] = [None] * len(commands)
    start = threading.Barrier(len(commands))

    def client(i: int) -> None:
        start.wait(30)
        try:
            answers[i] = batcher.submit(commands[i], f"delegate {commands[i].credential}")
        except Exception as exc:
            answers[i] = exc

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def cast_all(service: CouncilService, policy: BatchPolicy, waves: Sequence[range]) -> CastBatcher:
    with CastBatcher(service, policy) as batcher:
        for wave in waves:
            answers = submit_together(batcher, [cast_command(k) for k in wave])
            assert all(isinstance(a, LedgerEntry) for a in answers), answers
    return batcher


# --- the probes: what an attacker reading the database runs -----------------------------
def _ledger_casts(conn: Connection) -> list[tuple[int, str, int]]:
    """(seq, xmin, credential) of every BallotCast entry, in ledger order."""
    rows = conn.execute(
        text("SELECT seq, xmin::text, payload FROM ledger WHERE type = 'BallotCast' ORDER BY seq")
    ).all()
    return [(int(seq), str(x), int(json.loads(p)["credential"])) for seq, x, p in rows]


def probe_by_xmin(conn: Connection) -> dict[int, Counter[str]]:
    """Each voter's candidate ballots: the box rows written by the same transaction as
    their ledger entry and their "has voted" row."""
    boxes: dict[str, Counter[str]] = {}
    for x, choice in conn.execute(text("SELECT xmin::text, choice FROM ballot_box")).all():
        boxes.setdefault(str(x), Counter())[str(choice)] += 1
    marks = dict(
        conn.execute(text("SELECT credential, xmin::text FROM votes_cast WHERE vote = 1")).all()
    )
    guesses: dict[int, Counter[str]] = {}
    for _, x, credential in _ledger_casts(conn):
        assert marks[credential] == x  # the ledger entry and the mark: one transaction
        guesses[credential] = boxes.get(x, Counter())
    return guesses


def probe_by_position(conn: Connection) -> dict[int, str]:
    """Box rows by physical position paired, rank for rank, with the "has voted" rows."""
    box = conn.execute(text("SELECT choice FROM ballot_box ORDER BY ctid")).scalars().all()
    marks = (
        conn.execute(text("SELECT credential FROM votes_cast WHERE vote = 1 ORDER BY ctid"))
        .scalars()
        .all()
    )
    return {int(k): str(c) for k, c in zip(marks, box, strict=True)}


def probe_by_commit_order(conn: Connection) -> dict[int, str]:
    """Box rows by physical position (writers are serialised, so rows appended one
    transaction after another lie in commit order) paired with the ledger's BallotCast
    entries, whose order is the order of commits."""
    box = conn.execute(text("SELECT choice FROM ballot_box ORDER BY ctid")).scalars().all()
    voters = [credential for _, _, credential in _ledger_casts(conn)]
    return {k: str(c) for k, c in zip(voters, box, strict=True)}


def recovered(guesses: dict[int, Counter[str]]) -> set[int]:
    """Voters whose candidate ballots all say the same: their choice is known."""
    return {k for k, box in guesses.items() if len(box) == 1}


def right(pairs: dict[int, str]) -> int:
    return sum(1 for k, c in pairs.items() if c == choice_of(k))


@pytest.fixture
def pg_url(postgres_server: object, request: pytest.FixtureRequest) -> Iterator[str]:
    from pgserver import ThrowawayPostgres

    server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
    with server.database() as dbname:
        yield server.url(dbname)


@pytest.mark.postgres
def test_probe_joins_unbatched_ballots_to_their_voters(pg_url: str) -> None:
    """One transaction per cast (today's path, a batch of one): every probe joins 30 of
    30 ballots to their voters; this is what the batching test below must defeat."""
    service = secret_vote(pg_url)
    cast_all(service, UNBATCHED, [range(1, VOTERS + 1)])
    with engine_for(pg_url).connect() as conn:
        guesses = probe_by_xmin(conn)
        assert len(guesses) == VOTERS
        assert recovered(guesses) == set(range(1, VOTERS + 1))
        assert all(box == Counter([choice_of(k)]) for k, box in guesses.items())
        assert right(probe_by_position(conn)) == VOTERS
        assert right(probe_by_commit_order(conn)) == VOTERS


@pytest.mark.postgres
def test_probe_learns_only_the_batch_of_batched_ballots(pg_url: str) -> None:
    """30 voters cast concurrently in three batches of ten: the transaction-id probe
    finds each voter's batch (ten ballots, 4 + 3 + 3) and no single ballot; the
    physical and commit-order probes do no better than guessing within the batch."""
    service = secret_vote(pg_url)
    waves = [range(w, w + WAVE) for w in range(1, VOTERS + 1, WAVE)]
    batcher = cast_all(service, IN_WAVES, waves)
    assert list(batcher.sizes) == [WAVE] * 3
    with engine_for(pg_url).connect() as conn:
        guesses = probe_by_xmin(conn)
        assert len(guesses) == VOTERS
        assert recovered(guesses) == set()
        for wave in waves:
            # What the probe knows of a voter is exactly their batch's tally.
            tally = Counter(choice_of(k) for k in wave)
            assert all(guesses[k] == tally for k in wave)
            assert sorted(tally.values()) == [3, 3, 4]
        batches = {x for _, x, _ in _ledger_casts(conn)}
        assert len(batches) == 3
        # The casts' transactions wrote the entries, the marks, the box and the head's
        # move, and nothing else: no counter, no vote row (whose versions would leak).
        written = {
            str(table): int(n)
            for table in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            if (
                n := conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE xmin::text = ANY(:x)'),
                    {"x": sorted(batches)},
                ).scalar()
            )
        }
        assert written == {"ledger": 30, "votes_cast": 30, "ballot_box": 30, "ledger_head": 1}
        # Shuffled within each batch: a random pairing gets about a third right (10 of
        # 30); 21 or more would happen by chance about once in 100,000 runs.
        assert right(probe_by_position(conn)) <= 20
        assert right(probe_by_commit_order(conn)) <= 20


@pytest.mark.postgres
def test_a_closed_secret_vote_leaves_no_ballot_rows(pg_url: str) -> None:
    """Closing publishes the tally on the ledger, empties the box and vacuums it, so no
    dead row version (with its transaction id) is left for the probe."""
    service = secret_vote(pg_url, voters=12)
    cast_all(service, IN_WAVES, [range(1, 11)])
    with CastBatcher(service, BatchPolicy(min_size=1)) as batcher:
        batcher.submit(cast_command(11), "delegate 11")
        batcher.submit(cast_command(12), "delegate 12")
    entry = service.handle(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")
    payload = json.loads(entry.payload)
    assert payload["counts"] == dict(Counter(choice_of(k) for k in range(1, 13)))
    assert sorted(payload["ballots"]) == payload["ballots"]
    with engine_for(pg_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ballot_box)).scalar() == 0
        # VACUUM removed the dead versions and, the pages left empty, truncated the
        # table's file: no tuple of the box is left on disk, live or dead.
        assert conn.execute(text("SELECT pg_relation_size('ballot_box')")).scalar() == 0


# --- the batcher's answers -------------------------------------------------------------
def test_one_batch_answers_each_cast_and_refuses_a_second_by_the_same_voter(
    database_url: str,
) -> None:
    """Six casts in one batch, one of them a second vote by delegate 2 and one from a
    delegate with no credential: the rules refuse those two, the other four are
    recorded once, in one transaction, and the ledger and state still verify."""
    service = secret_vote(database_url, voters=6)
    before = service.last_seq()
    commands = [cast_command(k) for k in (1, 2, 3, 4)]
    commands += [cast_command(2, "against"), cast_command(99)]
    policy = BatchPolicy(max_size=6, window=30.0, min_size=6, max_wait=30.0)
    with CastBatcher(service, policy) as batcher:
        answers = submit_together(batcher, commands)
    assert list(batcher.sizes) == [6]
    entries = [a for a in answers if isinstance(a, LedgerEntry)]
    refusals = [a for a in answers if isinstance(a, DomainError)]
    assert len(entries) == 4 and len(refusals) == 2, answers
    messages = sorted(str(r) for r in refusals)
    assert "already voted" in "".join(messages)
    assert any("99" in m for m in messages)
    assert service.last_seq() == before + 4
    voters = [json.loads(e.payload)["credential"] for e in service.history(start=before + 1)]
    assert sorted(voters) == [1, 2, 3, 4]
    assert {e.actor for e in entries} == {f"delegate {k}" for k in voters}
    assert all("choice" not in json.loads(e.payload) for e in entries)
    with SqlUnitOfWork(database_url, write=False) as reader:
        assert len(reader.ballot_box(CONGRESS, 1)) == 4
    report = service.verify()
    assert report.chain.ok and report.state is not None and report.state.ok


class _FlakyCommit(SqlUnitOfWork):
    """A unit of work whose first commit meets contention (after every row is written)."""

    failures = 1

    def commit(self) -> None:
        if _FlakyCommit.failures:
            _FlakyCommit.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        super().commit()


def flaky_service(url: str, retry: RetryPolicy) -> CouncilService:
    return CouncilService(
        lambda: _FlakyCommit(url),
        SqlLedger(url),
        reader_factory=lambda: SqlUnitOfWork(url, write=False),
        is_contention=is_contention,
        retry=retry,
    )


def test_a_retried_batch_records_each_cast_once(database_url: str) -> None:
    """The batch's first commit fails for contention: the service rolls it back and
    re-runs the whole batch, which records each cast once and answers each caller once."""
    service = secret_vote(database_url, voters=8)
    flaky = flaky_service(database_url, RetryPolicy(base_delay=0.001))
    _FlakyCommit.failures = 1
    before = service.last_seq()
    policy = BatchPolicy(max_size=8, window=30.0, min_size=8, max_wait=30.0)
    with CastBatcher(flaky, policy) as batcher:
        answers = submit_together(batcher, [cast_command(k) for k in range(1, 9)])
    assert _FlakyCommit.failures == 0  # the failure happened
    assert all(isinstance(a, LedgerEntry) for a in answers), answers
    assert [a.seq for a in answers if isinstance(a, LedgerEntry)] != []
    assert sorted(a.seq for a in answers if isinstance(a, LedgerEntry)) == list(
        range(before + 1, before + 9)
    )
    casts = [json.loads(e.payload)["credential"] for e in service.history(start=before + 1)]
    assert sorted(casts) == list(range(1, 9))
    with SqlUnitOfWork(database_url, write=False) as reader:
        assert len(reader.ballot_box(CONGRESS, 1)) == 8


def test_a_batch_that_cannot_commit_answers_busy_and_records_nothing(database_url: str) -> None:
    service = secret_vote(database_url, voters=3)
    flaky = flaky_service(database_url, RetryPolicy(attempts=2, base_delay=0.001))
    _FlakyCommit.failures = 2
    before = service.last_seq()
    policy = BatchPolicy(max_size=3, window=30.0, min_size=3, max_wait=30.0)
    with CastBatcher(flaky, policy) as batcher:
        answers = submit_together(batcher, [cast_command(k) for k in (1, 2, 3)])
    assert all(isinstance(a, Busy) for a in answers), answers
    assert service.last_seq() == before
    with SqlUnitOfWork(database_url, write=False) as reader:
        assert reader.ballot_box(CONGRESS, 1) == []


def test_batch_closes_at_its_size_or_its_window(sqlite_url: str) -> None:
    """Five lone casts with min_size 1 and a short window make batches of one; the
    policy's bounds are checked when it is made."""
    service = secret_vote(sqlite_url, voters=5)
    with CastBatcher(service, BatchPolicy(max_size=64, window=0.001, min_size=1)) as batcher:
        for k in range(1, 6):
            assert batcher.submit(cast_command(k), f"delegate {k}").type == "BallotCast"
    assert list(batcher.sizes) == [1] * 5
    with pytest.raises(TypeError, match="casts votes only"):
        batcher.submit(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        BatchPolicy(max_size=4, min_size=5)
    with pytest.raises(RuntimeError, match="closed"):
        batcher.submit(cast_command(1), "delegate 1")


def test_a_lone_cast_waits_for_company_up_to_max_wait(sqlite_url: str) -> None:
    """Below min_size the batch waits up to max_wait, then commits as it is."""
    import time

    service = secret_vote(sqlite_url, voters=2)
    policy = BatchPolicy(max_size=64, window=0.001, min_size=4, max_wait=0.3)
    with CastBatcher(service, policy) as batcher:
        began = time.monotonic()
        batcher.submit(cast_command(1), "delegate 1")
        waited = time.monotonic() - began
    assert 0.3 <= waited < 5
    assert list(batcher.sizes) == [1]


def test_flush_commits_the_waiting_casts_before_a_close(sqlite_url: str) -> None:
    """Two casts wait for company (min_size 8, up to 30 s); flush commits them at once,
    returns when they are answered, and the vote then closes counting both."""
    import time

    service = secret_vote(sqlite_url, voters=3)
    policy = BatchPolicy(max_size=64, window=0.01, min_size=8, max_wait=30.0)
    with CastBatcher(service, policy) as batcher:
        batcher.flush()  # nothing waiting: returns at once and changes nothing
        answers: list[object] = []
        threads = [
            threading.Thread(
                target=lambda k=k: answers.append(batcher.submit(cast_command(k), f"d{k}"))
            )
            for k in (1, 2)
        ]
        for thread in threads:
            thread.start()
        while len(batcher._queue) < 2:  # both are waiting in the batch
            time.sleep(0.005)
        began = time.monotonic()
        batcher.flush()
        assert time.monotonic() - began < 5
        for thread in threads:
            thread.join(5)  # answered: each thread has only to note its answer
        assert len(answers) == 2 and all(isinstance(a, LedgerEntry) for a in answers)
        closed = service.handle(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")
    assert list(batcher.sizes) == [2]
    counts = json.loads(closed.payload)["counts"]
    assert counts == {"for": 0, "against": 1, "abstain": 1}  # delegates 1 and 2


# --- SQLite ------------------------------------------------------------------------------
def test_sqlite_secure_delete_is_on_for_every_connection(sqlite_url: str) -> None:
    secret_vote(sqlite_url, voters=2)
    engine = engine_for(sqlite_url)
    conns = [engine.connect() for _ in range(3)]  # three pooled connections, each new
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        for conn in conns:
            conn.close()
    with SqlUnitOfWork(sqlite_url) as uow:
        assert uow.connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_sqlite_closed_box_leaves_no_ballot_bytes(sqlite_url: str) -> None:
    """After the close, neither the database file nor its journal holds the box's
    ballots: secure_delete zeroed the rows and the journal was checkpointed away
    (read while the service's connections are still open, so SQLite has not yet
    checkpointed on its own at the last close)."""
    service = secret_vote(sqlite_url, voters=6)
    policy = BatchPolicy(max_size=6, min_size=6, window=5, max_wait=5)
    with CastBatcher(service, policy) as batcher:
        submit_together(batcher, [cast_command(k, "against") for k in range(1, 7)])
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    wal = Path(f"{path}-wal")
    with SqlUnitOfWork(sqlite_url, write=False) as reader:
        assert len(reader.ballot_box(CONGRESS, 1)) == 6
        # Before the close the journal holds the box's rows (the choice unquoted).
        assert _unquoted(path.read_bytes() + wal.read_bytes(), b"against") > 0
    service.handle(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")
    assert wal.read_bytes() == b""
    # The ledger and the votes table hold "against" only inside JSON (quoted); a box
    # row held it bare. No bare copy survives.
    assert _unquoted(path.read_bytes(), b"against") == 0


def _wal_commits(path: Path) -> Iterator[tuple[set[int], Counter[str]]]:
    """The attacker's reading of SQLite's write-ahead log: the database as it stood after
    each commit the log holds (the file with the log cut after that commit's last
    frame, opened by SQLite itself), as (who has voted, the box's ballots)."""
    wal = Path(f"{path}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    frame = 24 + page_size
    ends = [
        32 + (i + 1) * frame
        for i in range((len(wal) - 32) // frame)
        if int.from_bytes(wal[32 + i * frame + 4 : 32 + i * frame + 8], "big")  # commit
    ]
    base = path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        for n, end in enumerate(ends):
            copy = Path(tmp) / f"at-{n}.db"
            copy.write_bytes(base)
            Path(f"{copy}-wal").write_bytes(wal[:end])
            conn = sqlite3.connect(copy)
            try:
                voted = {int(k) for (k,) in conn.execute("SELECT credential FROM votes_cast")}
                box = Counter(str(c) for (c,) in conn.execute("SELECT choice FROM ballot_box"))
            finally:
                conn.close()
            yield voted, box


def probe_sqlite_journal(path: Path) -> dict[int, Counter[str]]:
    """Each voter's candidate ballots: those that entered the box in the commit that
    marked them as having voted."""
    guesses: dict[int, Counter[str]] = {}
    voted_before: set[int] = set()
    box_before: Counter[str] = Counter()
    for voted, box in _wal_commits(path):
        for k in voted - voted_before:
            guesses[k] = box - box_before
        voted_before, box_before = voted, box
    return guesses


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
def test_sqlite_journal_probe_learns_only_the_batch(sqlite_url: str, batched: bool) -> None:
    """SQLite has no transaction ids, but its log keeps each commit's pages until a
    checkpoint: read commit by commit, it joins 30 of 30 ballots cast one per
    transaction, and only batches when cast in batches of ten."""
    service = secret_vote(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log holds the casts alone
    raw.close()
    waves = [range(w, w + WAVE) for w in range(1, VOTERS + 1, WAVE)]
    if batched:
        cast_all(service, IN_WAVES, waves)
    else:
        cast_all(service, UNBATCHED, [range(1, VOTERS + 1)])
    guesses = probe_sqlite_journal(path)
    assert set(guesses) == set(range(1, VOTERS + 1))
    if not batched:
        assert all(box == Counter([choice_of(k)]) for k, box in guesses.items())
        return
    assert recovered(guesses) == set()
    for wave in waves:
        tally = Counter(choice_of(k) for k in wave)
        assert all(guesses[k] == tally for k in wave)


def _unquoted(data: bytes, word: bytes) -> int:
    return data.count(word) - data.count(b'"' + word + b'"')


# --- crash durability ------------------------------------------------------------------
CRASH_VOTERS = 240
KILL_AFTER = 60  # acknowledgements read before the SIGKILL


def _recorded(url: str) -> tuple[Counter[int], int, int]:
    """(credentials on the ledger's BallotCast entries, "has voted" rows, box rows)."""
    with engine_for(url).connect() as conn:
        ledger = Counter(
            int(json.loads(p)["credential"])
            for p in conn.execute(
                select(t.ledger.c.payload).where(t.ledger.c.type == "BallotCast")
            ).scalars()
        )
        marks = conn.execute(select(func.count()).select_from(t.votes_cast)).scalar_one()
        box = conn.execute(select(func.count()).select_from(t.ballot_box)).scalar_one()
    return ledger, int(marks), int(box)


def test_casts_acknowledged_before_a_crash_are_kept_once(database_url: str) -> None:
    """A casting process killed with SIGKILL part-way: every cast it acknowledged is on
    the ledger, marked and in the box after the restart; none is there twice; casting
    everyone again after the restart records only the missing ones, and the closed
    vote counts every voter once."""
    import os
    import signal
    import subprocess
    import sys

    service = secret_vote(database_url, voters=CRASH_VOTERS)
    engine_for(database_url).dispose()
    script = Path(__file__).with_name("cast_server.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), database_url, str(CRASH_VOTERS), "16"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(script.parent)},
    )
    acked: list[int] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            assert line.startswith("ACK "), line
            acked.append(int(line.split()[1]))
            if len(acked) == KILL_AFTER:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL  # killed mid-run, not finished
    ledger, marks, box = _recorded(database_url)
    assert set(acked) <= set(ledger)
    assert all(n == 1 for n in ledger.values())
    assert marks == box == sum(ledger.values()) < CRASH_VOTERS

    # The restart: everyone casts again; the recorded are refused, the rest recorded.
    service = open_service(database_url)
    with CastBatcher(service, BatchPolicy(min_size=1)) as batcher:
        answers = submit_together(batcher, [cast_command(k) for k in range(1, CRASH_VOTERS + 1)])
    refused = {k for k in range(1, CRASH_VOTERS + 1) if isinstance(answers[k - 1], DomainError)}
    assert refused == set(ledger)
    assert all("already voted" in str(answers[k - 1]) for k in refused)
    ledger, marks, box = _recorded(database_url)
    assert ledger == Counter(range(1, CRASH_VOTERS + 1))
    assert marks == box == CRASH_VOTERS
    closed = service.handle(CloseVote(congress=CONGRESS, vote=1, date=OPEN), "chair")
    counts = json.loads(closed.payload)["counts"]
    assert counts == dict(Counter(choice_of(k) for k in range(1, CRASH_VOTERS + 1)))
    report = service.verify()
    assert report.chain.ok and report.state is not None and report.state.ok
