"""SQLAlchemy storage: engines, the unit of work, the ledger reader, migrations."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from soviet.adapters.storage import state_check
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.base import (  # re-exported: sql's names since before base
    BUSY_TIMEOUT_ENV as BUSY_TIMEOUT_ENV,
)
from soviet.adapters.storage.base import MIGRATIONS as MIGRATIONS
from soviet.adapters.storage.base import StorageError as StorageError
from soviet.adapters.storage.base import busy_timeout as busy_timeout
from soviet.adapters.storage.base import (
    check_revision,
    check_sqlite_path,
    verify_in_segments,
    verify_workers,
)
from soviet.adapters.storage.base import head_revision as head_revision
from soviet.adapters.storage.base import is_contention as is_contention
from soviet.adapters.storage.mapping import from_rows, to_rows
from soviet.adapters.storage.records import Session, lazy_organisation, row_dicts
from soviet.adapters.storage.schema import LEDGER_COLUMNS
from soviet.application.ledger import (
    GENESIS_HASH,
    LedgerEntry,
    Row,
    Segment,
    Verification,
    verify_rows,
    verify_segment,
)
from soviet.application.verification import StateCheck
from soviet.domain.dates import DateSpan
from soviet.domain.model import Organisation

if TYPE_CHECKING:  # alembic is imported by the paths that migrate, not by every command
    from alembic.config import Config

_WRITE = "soviet_write"  # execution option: this connection's transactions will write
_HOLDS_LOCK = "soviet_holds_write_lock"  # connection info: it holds the process's write lock
_PURGE_WAIT_MS = 250  # how long the checkpoint after a close waits for readers


def database_url(db: str) -> str:
    """A SQLAlchemy URL from a URL or a plain SQLite file path."""
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise StorageError(f"--db: not a database URL: {db!r}") from None
        return db
    return f"sqlite:///{db}"


_PG_CONNECT_TIMEOUT = 10  # seconds: an unreachable server is an error, not a hang


def shown_url(url: str) -> str:
    """``url`` as it may be printed: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_sqlite_file(url: str, *, create: bool) -> None:
    """Refuse, with one line naming ``--db``, a SQLite database that cannot be one: a
    missing folder, a folder, a file that is not SQLite, or (unless ``create``) a file
    that does not exist, which a read must not create."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return
    name = sa_url.database or ""
    if name in ("", ":memory:") or name.startswith("file:"):
        return
    check_sqlite_path(name, create=create)


def _writing(conn: Connection) -> Connection:
    """Mark a connection as a writer's (before its first transaction begins)."""
    return conn.execution_options(**{_WRITE: True})


#: Connections an engine keeps open, and how many more it may open under a burst.
POOL_SIZE = 32
POOL_OVERFLOW = 16


@cache
def engine_for(url: str) -> Engine:
    """One engine per URL and process.

    SQLite: WAL journal (readers see the last commit while a writer works), a busy
    timeout, and our own BEGIN: ``BEGIN IMMEDIATE`` for writers (the write lock taken up
    front, so two writers never both read the same head), a deferred ``BEGIN`` for
    readers (a snapshot, no lock). PostgreSQL: writers wait at most the busy timeout for
    a lock; readers are read-only REPEATABLE READ snapshots (see ``_reading``).
    """
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        # A pool as large as the server's request threads: a connection opened per
        # request costs its PRAGMAs (benchmarks/serve.py).
        engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling would defer the lock; we BEGIN ourselves.
            dbapi_connection.isolation_level = None
            dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
            # Persistent in the file; a no-op once set (and "memory" for :memory:).
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
            # Deleted rows (an emptied ballot box above all) are overwritten with zeros,
            # not left in free space; per connection, so set on every one.
            dbapi_connection.execute("PRAGMA secure_delete = ON")

        # Writers of this process queue on a lock of their own before BEGIN IMMEDIATE:
        # SQLite's busy handler sleeps and polls (up to 100 ms a try, unfair), so under
        # dozens of request threads a writer could wait out the busy timeout (a 503)
        # while others went ahead; the lock hands over at once, in about arrival order.
        # Held from BEGIN until the connection goes back to the pool (after its commit
        # or rollback). Other processes still meet SQLite's own locking.
        writers = threading.Lock()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # Set per transaction: pooled connections outlive a change of the setting.
            timeout = busy_timeout()
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            write = conn.get_execution_options().get(_WRITE, False)
            if write and not conn.info.get(_HOLDS_LOCK):
                # Bounded: past it, SQLite's own busy handling decides, as before.
                conn.info[_HOLDS_LOCK] = writers.acquire(timeout=timeout)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        def _release(_dbapi: Any, record: Any, *_rest: Any) -> None:
            if record is not None and record.info.pop(_HOLDS_LOCK, False):
                writers.release()

        for name in ("checkin", "invalidate", "soft_invalidate"):
            event.listen(engine, name, _release)
        return engine
    connect_args: dict[str, Any] = {}
    if sa_url.get_backend_name() == "postgresql" and "connect_timeout" not in sa_url.query:
        connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args=connect_args,
        # A server's request threads (anyio's 40) each hold one connection at a time:
        # with the default pool (5 + 10 overflow) they queued for one, and overflow
        # connections were opened and closed per request (benchmarks/serve.py).
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
    )

    @event.listens_for(engine, "begin")
    def _lock_timeout(conn: Connection) -> None:
        # Without it a writer queued behind a stuck transaction would wait forever.
        if conn.get_execution_options().get(_WRITE, False):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(busy_timeout() * 1000)}")

    return engine


def _reading(engine: Engine) -> Connection:
    """A connection for a read-only snapshot: several statements, one consistent view,
    and no lock that a writer would wait for (PostgreSQL: REPEATABLE READ READ ONLY,
    which never fails for serialization; SQLite in WAL: a deferred BEGIN)."""
    conn = engine.connect()
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return conn


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(url: str) -> str:
    """Create or upgrade the schema to the newest migration; returns its revision.

    Also creates the ``ledger_head`` row (seq 0, the genesis hash) when absent, so that
    the first writers on an empty ledger lock an existing row like every later writer
    rather than both inserting entry 1 (a unique violation on PostgreSQL).
    """
    from alembic import command

    engine = engine_for(url)
    with _writing(engine.connect()) as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "head")
        head = t.ledger_head
        if conn.execute(select(head.c.id).where(head.c.id == 1)).first() is None:
            last = conn.execute(
                select(t.ledger.c.seq, t.ledger.c.hash).order_by(t.ledger.c.seq.desc()).limit(1)
            ).first()
            if last is None:  # a non-empty ledger without a head is for verify to report
                conn.execute(insert(head).values(id=1, seq=0, hash=GENESIS_HASH))
        return current_revision(conn) or ""


def current_revision(conn: Connection) -> str | None:
    """The schema revision stored in the database, None when not initialised.

    Read with plain SQL from alembic's own table (one row, ``version_num``), so that
    commands which only read never import alembic (docs/decisions/0012-lazy-imports.md).
    The table is probed in a savepoint: on PostgreSQL a failed statement would
    otherwise abort the caller's transaction.
    """
    try:
        with conn.begin_nested():
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except (OperationalError, ProgrammingError):  # no such table: never initialised
        return None
    if len(rows) > 1:  # a branched history: soviet's migrations are one line
        raise StorageError(f"the database records {len(rows)} schema heads, expected one")
    return str(rows[0][0]) if rows else None


def alembic_head_revision() -> str:
    """The head revision as alembic computes it from the migrations' ``down_revision``
    links (imports alembic: for ``init`` and tests, not for reading commands)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise StorageError(f"no migrations in {MIGRATIONS / 'versions'}")
    return head


def check_schema(url: str) -> None:
    """Raise StorageError unless the database holds the current schema."""
    with _reading(engine_for(url)) as conn:
        revision = current_revision(conn)
        conn.rollback()
    check_revision(revision, url)


def read_all(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every live table."""
    return {table.name: row_dicts(conn.execute(select(table))) for table in t.STATE_TABLES}


class SqlUnitOfWork:
    """One transaction on a SQLAlchemy engine, implementing ``application.ports.UnitOfWork``.

    ``write=False`` gives a read-only snapshot (``application.ports.StateReader``) that
    takes no lock: ``load`` then reads without locking the head, and writing fails.
    """

    def __init__(self, url: str, *, write: bool = True) -> None:
        self._engine = engine_for(url)
        self._write = write
        self._conn: Connection | None = None
        self._session: Session | None = None
        self._head: tuple[int, str] | None = None

    def __enter__(self) -> SqlUnitOfWork:
        engine = self._engine
        self._conn = _writing(engine.connect()) if self._write else _reading(engine)
        self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.connection
        if conn.in_transaction():
            conn.rollback()
        conn.close()
        self._conn = None
        self._session = None
        self._head = None

    @property
    def connection(self) -> Connection:
        """The open connection (only inside ``with``)."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'with'")
        return self._conn

    def _writable(self) -> Connection:
        # On SQLite a deferred (reader's) transaction could still write, taking the lock
        # late and unguarded: refuse instead.
        if not self._write:
            raise RuntimeError("a read-only unit of work cannot write")
        return self.connection

    def head(self) -> tuple[int, str]:
        """Lock (when writing) and read the ledger head (once per transaction)."""
        if self._head is None:
            self._head = self._read_head()
        return self._head

    def _read_head(self) -> tuple[int, str]:
        stmt = select(t.ledger_head.c.seq, t.ledger_head.c.hash).where(t.ledger_head.c.id == 1)
        conn = self.connection
        if self._write and conn.dialect.name != "sqlite":
            stmt = stmt.with_for_update()  # SQLite writers hold the lock since BEGIN IMMEDIATE
        row = conn.execute(stmt).first()
        if row is not None:
            return int(row.seq), str(row.hash)
        if self._write and conn.execute(select(t.ledger.c.seq).limit(1)).first() is None:
            # An empty ledger initialised before 'init' created the head row: create it
            # now, so that concurrent first writers collide on its key (and are re-run)
            # instead of both going on to write event 1.
            conn.execute(insert(t.ledger_head).values(id=1, seq=0, hash=GENESIS_HASH))
        return 0, GENESIS_HASH

    def load(self) -> Organisation:
        """Lock the ledger head (when writing); the organisation, read on demand.

        Nothing is read yet: each record is read when the rules first ask for it, and
        kept, with a copy of its rows, until ``save`` writes back what changed. The
        state is usable only inside this unit of work.
        """
        self.head()
        self._session = Session(self.connection)
        return lazy_organisation(self._session)

    def load_all(self) -> Organisation:
        """The whole organisation read now into memory, usable after the transaction."""
        return from_rows(read_all(self.connection))

    def save(self, org: Organisation) -> None:
        """Write only the rows that differ from what was read (``load``), in bulk."""
        conn = self._writable()
        if self._session is None:  # the state was not read from this unit of work
            raise RuntimeError("save() needs the state that load() returned")
        assert self._session.conn is conn
        self._session.flush()

    def append(self, entries: list[LedgerEntry]) -> None:
        """Insert sealed entries and move the head to the last one."""
        if not entries:
            return
        conn = self._writable()
        conn.execute(
            insert(t.ledger),
            [
                {
                    "seq": e.seq,
                    "recorded_at": e.recorded_at,
                    "actor": e.actor,
                    "type": e.type,
                    "payload": e.payload,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in entries
            ],
        )
        last = entries[-1]
        moved = conn.execute(
            update(t.ledger_head)
            .where(t.ledger_head.c.id == 1)
            .values(seq=last.seq, hash=last.hash)
        )
        if moved.rowcount == 0:  # a database initialised before 'init' created the head row
            conn.execute(insert(t.ledger_head).values(id=1, seq=last.seq, hash=last.hash))
        self._head = (last.seq, last.hash)

    def date_span(self) -> DateSpan | None:
        """The first and last date on record, as the ledger head keeps them."""
        row = self.connection.execute(
            select(t.ledger_head.c.first_date, t.ledger_head.c.last_date).where(
                t.ledger_head.c.id == 1
            )
        ).first()
        if row is None or row.first_date is None or row.last_date is None:
            return None
        return DateSpan(row.first_date, row.last_date)

    def set_date_span(self, span: DateSpan | None) -> None:
        """Keep the span with the ledger head (its row exists once entries are appended)."""
        if span is None:
            return
        self._writable().execute(
            update(t.ledger_head)
            .where(t.ledger_head.c.id == 1)
            .values(first_date=span.first, last_date=span.last)
        )

    def ballot_box(self, congress: str, vote: int) -> list[str]:
        """The choices in an open secret vote's box, sorted: no voter, no casting order."""
        box = t.ballot_box
        stmt = (
            select(box.c.choice)
            .where(box.c.congress == congress, box.c.vote == vote)
            .order_by(box.c.choice)
        )
        return [str(choice) for choice in self.connection.execute(stmt).scalars()]

    def deposit_ballots(self, ballots: list[tuple[str, int, str]]) -> None:
        """Put ballots in the box under random ids, in the order given (the service
        shuffles them, so that no order of casting is kept): choice only, no voter."""
        if not ballots:
            return
        self._writable().execute(
            insert(t.ballot_box),
            [
                {"id": secrets.token_hex(16), "congress": congress, "vote": vote, "choice": c}
                for congress, vote, c in ballots
            ],
        )

    def empty_ballot_box(self, congress: str, vote: int) -> None:
        """Remove every ballot of a closed vote (they are on the ledger now)."""
        box = t.ballot_box
        self._writable().execute(delete(box).where(box.c.congress == congress, box.c.vote == vote))

    def purge_ballot_box(self) -> None:
        """After the commit that emptied a box, outside any transaction: PostgreSQL
        ``VACUUM ballot_box`` (the dead row versions, which carry their transaction's id,
        go); SQLite ``wal_checkpoint(TRUNCATE)`` (the journal's copies of the box's pages
        go; ``secure_delete`` already zeroed the rows in the file). Best effort: a busy
        database leaves it to the next close, and the close stays recorded."""
        name = self._engine.dialect.name
        raw = self._engine.raw_connection()
        try:
            driver: Any = raw.driver_connection
            if name == "sqlite":
                # The connection is in autocommit (isolation_level None, see engine_for)
                # and this statement bypasses SQLAlchemy, so no BEGIN is issued.
                # A TRUNCATE checkpoint waits for readers to leave the log: briefly, so
                # that busy readers delay the closing command by no more than this.
                try:
                    driver.execute(f"PRAGMA busy_timeout = {_PURGE_WAIT_MS}")
                    driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    driver.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
                except sqlite3.Error:
                    raw.invalidate()
            elif name == "postgresql":
                import psycopg

                driver.autocommit = True  # VACUUM cannot run inside a transaction
                try:
                    driver.execute("VACUUM ballot_box")
                except psycopg.Error:
                    raw.invalidate()
                else:
                    driver.autocommit = False
        finally:
            raw.close()

    def commit(self) -> None:
        """Commit the transaction."""
        self.connection.commit()


def _forget_engines() -> None:
    # A forked worker must not share the parent's pooled connections.
    engine_for.cache_clear()


def _verify_range(job: tuple[str, int, int]) -> Segment:
    url, low, high = job
    rows = SqlLedger(url).rows(up_to=high, start=low)
    return verify_segment(rows, low, None)


class SqlLedger:
    """Read access to the ledger (``application.ports.LedgerReader``)."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine = engine_for(url)

    def entries(self, up_to: int | None = None, *, start: int = 1) -> Iterator[LedgerEntry]:
        """Entries in sequence order, from ``start`` up to ``up_to`` inclusive."""
        for row in self.rows(up_to, None if start <= 1 else start):
            yield LedgerEntry(*row)

    def rows(self, up_to: int | None = None, start: int | None = None) -> Iterator[Row]:
        """Raw rows in sequence order, fetched in large batches straight from the driver.

        Verification is bound by reading, so this bypasses SQLAlchemy's row objects; on
        PostgreSQL a server-side cursor streams the ledger without loading it whole.
        """
        with _reading(self._engine) as conn, conn.begin():
            yield from _stream(conn, up_to, start)

    def verify(self, workers: int | None = None) -> Verification:
        """Recompute the chain, in parallel segments on large ledgers.

        Each worker process reads and checks one range of sequence numbers; the segments
        are then joined (links at the boundaries, gaps, the head) by
        ``application.ledger.join_segments``, which reports the first problem in order.
        """
        return self.start_verify(workers)()

    def start_verify(self, workers: int | None = None) -> Callable[[], Verification]:
        """Start recomputing the chain; returns the function that waits for the verdict.

        On a large ledger the worker processes run while the caller goes on (the state
        proof rebuilds the state meanwhile); a small ledger is checked at once. The
        workers are forked here, before the caller does anything else.
        """
        # The head, the range and (serially) the rows come from one snapshot, so that a
        # writer committing meanwhile cannot make the head and the chain disagree. The
        # workers read below ``high`` only: rows that existed then, and never change.
        with _reading(self._engine) as conn, conn.begin():
            head = _stored_head(conn)
            low, high = conn.execute(
                select(func.min(t.ledger.c.seq), func.max(t.ledger.c.seq))
            ).one()
            low, high = min(int(low or 1), 1), int(high or 0)
            workers = verify_workers(workers, low, high)
            if workers == 1:
                verdict = verify_rows(_stream(conn), head)
                return lambda: verdict
        return verify_in_segments(
            _verify_range, self._url, low, high, workers, head, initializer=_forget_engines
        )

    def stored_head(self) -> tuple[int, str] | None:
        """The head row, or None when absent."""
        with _reading(self._engine) as conn, conn.begin():
            return _stored_head(conn)

    def entry(self, seq: int) -> LedgerEntry | None:
        """Event ``seq`` as stored, or None when the ledger holds no such event."""
        with _reading(self._engine) as conn, conn.begin():
            rows = list(_stream(conn, seq, seq))
        return LedgerEntry(*rows[0]) if rows else None

    def check_state(self, expected: Organisation, seq: int) -> StateCheck:
        """Compare the live tables with ``expected``, the state the ledger implies after
        event ``seq`` (see ``state_check``), reading the head and the tables in one
        snapshot. If the head is no longer at ``seq`` (a command was recorded since),
        the result is not ok and carries the head's ``seq``: rebuild and check again."""
        with _reading(self._engine) as conn, conn.begin():
            head = _stored_head(conn)
            at = 0 if head is None else head[0]
            if at != seq:
                return StateCheck(False, at, problem=f"the ledger moved to event {at}")
            dbapi, postgres = _driver(conn)
            return state_check.compare(dbapi, postgres, to_rows(expected), seq)


def _driver(conn: Connection) -> tuple[Any, bool]:
    """The DB-API connection under ``conn``, and whether it is PostgreSQL's."""
    return conn.connection.dbapi_connection, conn.dialect.name == "postgresql"


def _stored_head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(t.ledger_head.c.seq, t.ledger_head.c.hash)).first()
    return None if row is None else (int(row.seq), str(row.hash))


def _stream(conn: Connection, up_to: int | None = None, start: int | None = None) -> Iterator[Row]:
    """Ledger rows in sequence order, in the connection's open transaction."""
    sql = f"SELECT {', '.join(LEDGER_COLUMNS)} FROM ledger"
    where = []
    if start is not None:
        where.append(f"seq >= {int(start)}")
    if up_to is not None:
        where.append(f"seq <= {int(up_to)}")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq"
    for batch in state_check.driver_batches(*_driver(conn), sql, "soviet_ledger_rows"):
        yield from batch
