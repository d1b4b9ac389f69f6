"""What both read paths share, without SQLAlchemy: errors, the busy timeout, contention,
the schema's head revision, the checks on a SQLite file and the parallel chain check
(decisions/0012).

``sql`` (SQLAlchemy, every back end) and ``sqlite`` (stdlib ``sqlite3``, the reading
commands on a SQLite file) both use these, so that the two cannot differ in what they
refuse or retry.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from soviet.application.ledger import Segment, Verification, join_segments
from soviet.domain.limits import shorten

MIGRATIONS = Path(__file__).parent / "migrations"
# Migration files are named after their revision: ``NNNN_what.py`` holds revision "NNNN".
_MIGRATION_FILE = re.compile(r"(\d{4})_\w+\.py")
BUSY_TIMEOUT_ENV = "SOVIET_BUSY_TIMEOUT"
_DEFAULT_BUSY_TIMEOUT = 5.0
# SQLSTATEs of PostgreSQL conflicts that a re-run can resolve: serialization failure,
# deadlock detected, lock wait timed out (lock_timeout, set for writers in ``sql``).
_PG_RETRY_STATES = {"40001", "40P01", "55P03"}
_LEDGER_KEYS = {"ledger_pkey", "ledger_head_pkey"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
PARALLEL_FROM = 20_000  # events: below this, process start-up costs more than it saves


class StorageError(RuntimeError):
    """The database cannot be used as asked (bad URL, not initialised...)."""


def busy_timeout() -> float:
    """Seconds a transaction waits for another writer's lock before giving up (and the
    service retrying): ``$SOVIET_BUSY_TIMEOUT``, default 5."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    try:
        return max(float(text), 0.0) if text else _DEFAULT_BUSY_TIMEOUT
    except ValueError:
        raise StorageError(f"${BUSY_TIMEOUT_ENV}: not a number of seconds: {text!r}") from None


def is_contention(exc: BaseException) -> bool:
    """Whether ``exc`` is a conflict with another transaction that re-running the whole
    command can resolve: SQLite busy or locked; PostgreSQL serialization failure,
    deadlock or lock timeout; or two first writers inserting the same ledger entry.

    ``exc`` is a driver's error or SQLAlchemy's wrapping of one (looked for only when
    SQLAlchemy is loaded: otherwise it cannot have raised)."""
    orig: BaseException | None = exc
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return True
        text = str(orig).lower()
        if "database is locked" in text or "database is busy" in text:
            return True
        return isinstance(orig, sqlite3.IntegrityError) and (
            "ledger.seq" in text or "ledger_head.id" in text
        )
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _PG_RETRY_STATES:
        return True
    if sqlstate == "23505":  # unique violation: only on the ledger's own keys
        diag = getattr(orig, "diag", None)
        return getattr(diag, "constraint_name", None) in _LEDGER_KEYS
    return False


def head_revision() -> str:
    """The newest migration shipped with this version of soviet: the highest-numbered
    ``versions/NNNN_*.py`` file (its revision is its number; a test checks that this
    equals alembic's own head, see tests/storage/test_schema_version.py)."""
    numbers = [
        m.group(1)
        for entry in (MIGRATIONS / "versions").iterdir()
        if (m := _MIGRATION_FILE.fullmatch(entry.name))
    ]
    if not numbers:
        raise StorageError(f"no migrations in {MIGRATIONS / 'versions'}")
    return max(numbers)


def check_revision(revision: str | None, url: str) -> None:
    """Raise StorageError unless ``revision`` (read from the database at ``url``) is the
    current schema's."""
    if revision is None:
        raise StorageError(f"database {url!r} is not initialised: run 'soviet init' first")
    if revision != head_revision():
        raise StorageError(
            f"database {url!r} is at schema {revision}, this soviet needs {head_revision()}: "
            "run 'soviet init' to upgrade"
        )


def check_sqlite_path(name: str, *, create: bool) -> None:
    """Refuse, with one line naming ``--db``, a SQLite file name that cannot be a
    database: a missing folder, a folder, a file that is not SQLite, or (unless
    ``create``) a file that does not exist, which a read must not create."""
    if "\x00" in name:
        raise StorageError(f"--db: a file name cannot hold NUL: {shorten(name)!r}")
    path = Path(name)
    try:
        is_dir, exists, parent_is_dir = path.is_dir(), path.exists(), path.parent.is_dir()
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        raise StorageError(f"--db: not a usable file name: {shorten(name)!r} ({exc})") from None
    if is_dir:
        raise StorageError(f"--db: {name} is a folder, not a database file")
    if not exists:
        if not parent_is_dir:
            raise StorageError(f"--db: no folder {str(path.parent)!r} for the database {name}")
        if not create:
            raise StorageError(f"--db: no database at {name} (run soviet init)")
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(f"--db: cannot read {name}: {exc.strerror}") from None
    if head and head != _SQLITE_MAGIC:
        raise StorageError(f"--db: {name} is not a SQLite database")


def verify_workers(requested: int | None, low: int, high: int) -> int:
    """How many processes check the chain of events ``low..high``: 1 (serially, in the
    caller's snapshot) below ``PARALLEL_FROM`` events or when fewer than two are asked
    for; else ``requested``, by default the cores up to 4."""
    workers = requested or min(os.cpu_count() or 1, 4)
    return 1 if workers < 2 or high - low < PARALLEL_FROM else workers


def verify_in_segments(
    verify_range: Callable[[tuple[Any, int, int]], Segment],
    source: Any,
    low: int,
    high: int,
    workers: int,
    head: tuple[int, str] | None,
    initializer: Callable[[], None] | None = None,
) -> Callable[[], Verification]:
    """Fork ``workers`` processes, each calling ``verify_range((source, lo, hi))`` on its
    share of ``low..high``; returns the function that waits and joins their segments."""
    # Imported only for a large ledger: process pools cost a small 'verify' more to
    # import than it spends checking (decisions/0012).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    step = -(-(high - low + 1) // workers)
    ranges = [(lo, min(lo + step - 1, high)) for lo in range(low, high + 1, step)]
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(len(ranges), mp_context=context, initializer=initializer)
    try:
        jobs = [pool.submit(verify_range, (source, lo, hi)) for lo, hi in ranges]
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise

    def wait() -> Verification:
        with pool:
            return join_segments([job.result() for job in jobs], head)

    return wait
