"""SQLAlchemy storage: engines, the unit of work, the ledger reader, migrations."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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
from sqlalchemy.exc import ArgumentError

from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import Rows, from_rows, to_rows
from soviet.application.ledger import (
    GENESIS_HASH,
    LedgerEntry,
    Row,
    Segment,
    Verification,
    join_segments,
    verify_rows,
    verify_segment,
)
from soviet.domain.model import Organisation

MIGRATIONS = Path(__file__).parent / "migrations"
_BATCH = 10_000
_PARALLEL_FROM = 20_000  # below this, process start-up costs more than it saves


class StorageError(RuntimeError):
    """The database cannot be used as asked (bad URL, not initialised...)."""


def database_url(db: str) -> str:
    """A SQLAlchemy URL from a URL or a plain SQLite file path."""
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise StorageError(f"--db: not a database URL: {db!r}") from None
        return db
    return f"sqlite:///{db}"


@cache
def engine_for(url: str) -> Engine:
    """One engine per URL and process. SQLite writers take the lock at BEGIN."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling would defer the lock; we BEGIN ourselves.
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(url: str) -> str:
    """Create or upgrade the schema to the newest migration; returns its revision."""
    engine = engine_for(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        return current_revision(conn) or ""


def current_revision(conn: Connection) -> str | None:
    """The schema revision stored in the database, None when not initialised."""
    return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration shipped with this version of soviet."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def check_schema(url: str) -> None:
    """Raise StorageError unless the database holds the current schema."""
    with engine_for(url).connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    if revision is None:
        raise StorageError(f"database {url!r} is not initialised: run 'soviet init' first")
    if revision != head_revision():
        raise StorageError(
            f"database {url!r} is at schema {revision}, this soviet needs {head_revision()}: "
            "run 'soviet init' to upgrade"
        )


def _read_rows(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    return {
        table.name: [dict(r._mapping) for r in conn.execute(select(table))]
        for table in t.STATE_TABLES
    }


def _index(raw: dict[str, list[dict[str, Any]]]) -> Rows:
    keyed: Rows = {}
    for table in t.STATE_TABLES:
        pk = [c.name for c in table.primary_key.columns]
        keyed[table.name] = {tuple(r[c] for c in pk): r for r in raw[table.name]}
    return keyed


class SqlUnitOfWork:
    """One transaction on a SQLAlchemy engine, implementing ``application.ports.UnitOfWork``."""

    def __init__(self, url: str) -> None:
        self._engine = engine_for(url)
        self._conn: Connection | None = None
        self._snapshot: Rows = {}

    def __enter__(self) -> SqlUnitOfWork:
        self._conn = self._engine.connect()
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

    @property
    def connection(self) -> Connection:
        """The open connection (only inside ``with``)."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'with'")
        return self._conn

    def head(self) -> tuple[int, str]:
        """Lock and read the ledger head."""
        stmt = select(t.ledger_head.c.seq, t.ledger_head.c.hash).where(t.ledger_head.c.id == 1)
        if self.connection.dialect.name != "sqlite":
            stmt = stmt.with_for_update()
        row = self.connection.execute(stmt).first()
        return (0, GENESIS_HASH) if row is None else (int(row.seq), str(row.hash))

    def load(self) -> Organisation:
        """Lock the ledger head, then read the live tables."""
        self.head()
        raw = _read_rows(self.connection)
        self._snapshot = _index(raw)
        return from_rows(raw)

    def save(self, org: Organisation) -> None:
        """Write only the rows that differ from what ``load`` read."""
        after = to_rows(org)
        conn = self.connection
        for table in reversed(t.STATE_TABLES):
            gone = self._snapshot.get(table.name, {}).keys() - after[table.name].keys()
            pk = list(table.primary_key.columns)
            for key in gone:
                conn.execute(delete(table).where(*(c == v for c, v in zip(pk, key, strict=True))))
        for table in t.STATE_TABLES:
            before = self._snapshot.get(table.name, {})
            new = [row for key, row in after[table.name].items() if key not in before]
            if new:
                conn.execute(insert(table), new)
            pk = list(table.primary_key.columns)
            for key, row in after[table.name].items():
                if key in before and before[key] != row:
                    conn.execute(
                        update(table)
                        .where(*(c == v for c, v in zip(pk, key, strict=True)))
                        .values(row)
                    )
        self._snapshot = after

    def append(self, entries: list[LedgerEntry]) -> None:
        """Insert sealed entries and move the head to the last one."""
        if not entries:
            return
        conn = self.connection
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
        if moved.rowcount == 0:
            conn.execute(insert(t.ledger_head).values(id=1, seq=last.seq, hash=last.hash))

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
        """Put ballots in the box under random ids, sorted so that the order in which
        they were cast within the transaction is not kept either."""
        if not ballots:
            return
        self.connection.execute(
            insert(t.ballot_box),
            [
                {"id": uuid.uuid4().hex, "congress": congress, "vote": vote, "choice": choice}
                for congress, vote, choice in sorted(ballots)
            ],
        )

    def empty_ballot_box(self, congress: str, vote: int) -> None:
        """Remove every ballot of a closed vote (they are on the ledger now)."""
        box = t.ballot_box
        self.connection.execute(delete(box).where(box.c.congress == congress, box.c.vote == vote))

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

    def entries(self, up_to: int | None = None) -> Iterator[LedgerEntry]:
        """Entries in sequence order, up to ``up_to`` inclusive."""
        for row in self.rows(up_to):
            yield LedgerEntry(*row)

    def rows(self, up_to: int | None = None, start: int | None = None) -> Iterator[Row]:
        """Raw rows in sequence order, fetched in large batches straight from the driver.

        Verification is bound by reading, so this bypasses SQLAlchemy's row objects; on
        PostgreSQL a server-side cursor streams the ledger without loading it whole.
        """
        sql = "SELECT seq, recorded_at, actor, type, payload, prev_hash, hash FROM ledger"
        where = []
        if start is not None:
            where.append(f"seq >= {int(start)}")
        if up_to is not None:
            where.append(f"seq <= {int(up_to)}")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        with self._engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            if conn.dialect.name == "postgresql":
                cursor = dbapi.cursor(name="soviet_ledger_rows")
            else:
                cursor = dbapi.cursor()
            try:
                cursor.execute(sql)
                while batch := cursor.fetchmany(_BATCH):
                    yield from batch
            finally:
                cursor.close()
                conn.rollback()

    def verify(self, workers: int | None = None) -> Verification:
        """Recompute the chain, in parallel segments on large ledgers.

        Each worker process reads and checks one range of sequence numbers; the segments
        are then joined (links at the boundaries, gaps, the head) by
        ``application.ledger.join_segments``, which reports the first problem in order.
        """
        head = self.stored_head()
        with self._engine.connect() as conn:
            low, high = conn.execute(
                select(func.min(t.ledger.c.seq), func.max(t.ledger.c.seq))
            ).one()
        low, high = min(int(low or 1), 1), int(high or 0)
        workers = workers or min(os.cpu_count() or 1, 4)
        if workers < 2 or high - low < _PARALLEL_FROM:
            return verify_rows(self.rows(), head)
        step = -(-(high - low + 1) // workers)
        ranges = [(lo, min(lo + step - 1, high)) for lo in range(low, high + 1, step)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            len(ranges), mp_context=context, initializer=_forget_engines
        ) as pool:
            segments = list(pool.map(_verify_range, [(self._url, lo, hi) for lo, hi in ranges]))
        return join_segments(segments, head)

    def stored_head(self) -> tuple[int, str] | None:
        """The head row, or None when absent."""
        with self._engine.connect() as conn:
            row = conn.execute(select(t.ledger_head.c.seq, t.ledger_head.c.hash)).first()
        return None if row is None else (int(row.seq), str(row.hash))
