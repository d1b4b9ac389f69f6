"""The ledger of a SQLite file read with the standard library's ``sqlite3``, read-only.

``verify``, ``checkpoint`` and the history read plain rows: the chain check and the state
proof need no SQLAlchemy (nor do they, in the spirit of Belenios's verifier, need any of
the code that wrote them). This reader implements ``application.ports.LedgerReader``
like ``sql.SqlLedger``, with the same queries (columns named in ``schema``), the same
snapshots (one deferred ``BEGIN`` per read: in WAL mode it sees the last commit and
takes no lock) and the same state proof (``state_check``, on the ``sqlite3``
connection). Opened ``mode=ro``: a reader cannot write, whatever it is asked.
PostgreSQL, and SQLite given as a URL with options, keep ``sql.SqlLedger``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from soviet.adapters.storage import state_check
from soviet.adapters.storage.base import (
    StorageError,
    busy_timeout,
    check_revision,
    verify_in_segments,
    verify_workers,
)
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.schema import LEDGER_COLUMNS
from soviet.application.ledger import (
    LedgerEntry,
    Row,
    Segment,
    Verification,
    verify_rows,
    verify_segment,
)
from soviet.application.verification import StateCheck
from soviet.domain.model import Organisation

_PREFIX = "sqlite:///"


def sqlite_file(db: str) -> str | None:
    """The file name ``--db`` gives when this reader can open it: a plain path, or a
    ``sqlite:///PATH`` URL with nothing SQLAlchemy would read differently (no query, no
    %-escapes, no driver name); None for any other URL and for ``:memory:``."""
    if "://" not in db:
        name = db
    elif db.startswith(_PREFIX) and not any(c in db for c in "?%#"):
        name = db[len(_PREFIX) :]
    else:
        return None
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    return name


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection in autocommit mode (transactions are begun by hand)."""
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)


@contextmanager
def snapshot(path: str) -> Iterator[sqlite3.Connection]:
    """One read transaction: every statement in it sees the same commit."""
    conn = connect(path)
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()  # rolls the read transaction back


def current_revision(conn: sqlite3.Connection) -> str | None:
    """The schema revision stored (alembic's ``alembic_version``), None when the table
    is missing (never initialised)."""
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    if len(rows) > 1:  # a branched history: soviet's migrations are one line
        raise StorageError(f"the database records {len(rows)} schema heads, expected one")
    return str(rows[0][0]) if rows else None


def check_schema(path: str, url: str) -> None:
    """Raise StorageError unless the file holds the current schema (``url``: its name
    in the message, as ``sql.check_schema`` gives it)."""
    with snapshot(path) as conn:
        revision = current_revision(conn)
    check_revision(revision, url)


def _stream(conn: sqlite3.Connection, up_to: int | None, start: int | None) -> Iterator[Row]:
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
    for batch in state_check.driver_batches(conn, False, sql):
        yield from batch


def _stored_head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT seq, hash FROM ledger_head").fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _verify_range(job: tuple[str, int, int]) -> Segment:
    path, low, high = job
    return verify_segment(SqliteLedger(path).rows(up_to=high, start=low), low, None)


class SqliteLedger:
    """Read access to a SQLite file's ledger (``application.ports.LedgerReader``)."""

    def __init__(self, path: str) -> None:
        self._path = path

    def entries(self, up_to: int | None = None, *, start: int = 1) -> Iterator[LedgerEntry]:
        """Entries in sequence order, from ``start`` up to ``up_to`` inclusive."""
        for row in self.rows(up_to, None if start <= 1 else start):
            yield LedgerEntry(*row)

    def rows(self, up_to: int | None = None, start: int | None = None) -> Iterator[Row]:
        """Raw rows in sequence order, fetched in large batches, in one snapshot."""
        with snapshot(self._path) as conn:
            yield from _stream(conn, up_to, start)

    def verify(self, workers: int | None = None) -> Verification:
        """Recompute the chain, in parallel segments on large ledgers (as SqlLedger)."""
        return self.start_verify(workers)()

    def start_verify(self, workers: int | None = None) -> Callable[[], Verification]:
        """Start recomputing the chain; returns the function that waits for the verdict
        (see ``sql.SqlLedger.start_verify``: the same snapshot rule, the same workers)."""
        with snapshot(self._path) as conn:
            head = _stored_head(conn)
            low, high = conn.execute("SELECT min(seq), max(seq) FROM ledger").fetchone()
            low, high = min(int(low or 1), 1), int(high or 0)
            workers = verify_workers(workers, low, high)
            if workers == 1:
                verdict = verify_rows(_stream(conn, None, None), head)
                return lambda: verdict
        return verify_in_segments(_verify_range, self._path, low, high, workers, head)

    def stored_head(self) -> tuple[int, str] | None:
        """The head row, or None when absent."""
        with snapshot(self._path) as conn:
            return _stored_head(conn)

    def entry(self, seq: int) -> LedgerEntry | None:
        """Event ``seq`` as stored, or None when the ledger holds no such event."""
        with snapshot(self._path) as conn:
            rows = list(_stream(conn, seq, seq))
        return LedgerEntry(*rows[0]) if rows else None

    def check_state(self, expected: Organisation, seq: int) -> StateCheck:
        """Compare the live tables with ``expected``, the state after event ``seq``, in
        one snapshot with the head (see ``sql.SqlLedger.check_state``)."""
        with snapshot(self._path) as conn:
            head = _stored_head(conn)
            at = 0 if head is None else head[0]
            if at != seq:
                return StateCheck(False, at, problem=f"the ledger moved to event {at}")
            return state_check.compare(conn, False, to_rows(expected), seq)
