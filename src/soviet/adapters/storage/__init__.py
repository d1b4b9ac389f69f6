"""Storage adapter: SQLAlchemy 2 over SQLite (default) or PostgreSQL.

Imported by every command that opens a database, so it imports no SQLAlchemy itself:
the reading commands on a SQLite file (``verify``, ``checkpoint``, the history) read its
ledger with the standard library (``sqlite_ledger``); SQLAlchemy (``sql``) is imported
when a transaction or a state read first needs it, and for PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

from soviet.adapters.storage.base import (
    BUSY_TIMEOUT_ENV,
    StorageError,
    busy_timeout,
    check_sqlite_path,
    is_contention,
)
from soviet.application.service import CouncilService, RetryPolicy

if TYPE_CHECKING:
    from soviet.adapters.storage.sql import SqlUnitOfWork
    from soviet.application.ports import LedgerReader

BUSY_RETRIES_ENV = "SOVIET_BUSY_RETRIES"


def retry_policy() -> RetryPolicy:
    """Attempts per command on contention: ``$SOVIET_BUSY_RETRIES`` (default 8)."""
    text = os.environ.get(BUSY_RETRIES_ENV, "").strip()
    if not text:
        return RetryPolicy()
    try:
        attempts = int(text)
    except ValueError:
        attempts = 0
    if attempts < 1:
        raise StorageError(f"${BUSY_RETRIES_ENV}: expected a whole number >= 1, got {text!r}")
    return RetryPolicy(attempts=attempts)


def _unit_of_work(url: str, *, write: bool = True) -> SqlUnitOfWork:
    # SQLAlchemy is imported by the first transaction or state read, not by opening.
    from soviet.adapters.storage.sql import SqlUnitOfWork

    return SqlUnitOfWork(url, write=write)


def open_service(db: str, *, initialise: bool = False) -> CouncilService:
    """A service on ``db`` (path or URL); with ``initialise`` create or upgrade the schema.

    Commands write in transactions that lock out other writers and are re-run on
    contention (``$SOVIET_BUSY_RETRIES`` attempts, each waiting up to
    ``$SOVIET_BUSY_TIMEOUT`` seconds for a lock); queries read snapshots and never wait.
    """
    from soviet.adapters.storage.sqlite_ledger import SqliteLedger, check_schema, sqlite_file

    policy = retry_policy()
    busy_timeout()  # a bad $SOVIET_BUSY_TIMEOUT is refused here, not deep in a connection
    path = sqlite_file(db)
    if path is None or initialise:
        url = _open_with_sqlalchemy(db, policy, initialise=initialise)
    else:
        url = f"sqlite:///{path}"
        check_sqlite_path(path, create=False)
        try:
            policy.run(lambda: check_schema(path, url), is_contention)
        except sqlite3.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise StorageError(f"--db: cannot use {url!r}: {reason}") from None
    ledger: LedgerReader
    if path is not None:
        ledger = SqliteLedger(path)
    else:
        from soviet.adapters.storage.sql import SqlLedger

        ledger = SqlLedger(url)
    return CouncilService(
        lambda: _unit_of_work(url),
        ledger,
        reader_factory=lambda: _unit_of_work(url, write=False),
        is_contention=is_contention,
        retry=policy,
    )


def _open_with_sqlalchemy(db: str, policy: RetryPolicy, *, initialise: bool) -> str:
    """Check (or, with ``initialise``, create or upgrade) the database through
    SQLAlchemy; returns its URL."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from soviet.adapters.storage.sql import (
        check_schema,
        check_sqlite_file,
        database_url,
        engine_for,
        migrate,
        shown_url,
    )

    url = database_url(db)
    check_sqlite_file(url, create=initialise)
    try:
        engine_for(url)
    except ImportError as exc:  # the dialect is known, its driver not installed
        raise StorageError(
            f"--db: the driver for {shown_url(url)!r} is not installed ({exc})"
        ) from None
    except ArgumentError as exc:  # NoSuchModuleError: no such dialect
        raise StorageError(f"--db: unknown database driver in {shown_url(url)!r} ({exc})") from None
    try:
        if initialise:
            policy.run(lambda: migrate(url), is_contention)
        else:
            policy.run(lambda: check_schema(url), is_contention)
    except DBAPIError as exc:
        if is_contention(exc):
            raise
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else repr(exc)
        raise StorageError(f"--db: cannot use {shown_url(url)!r}: {reason}") from None
    return url


__all__ = ["BUSY_RETRIES_ENV", "BUSY_TIMEOUT_ENV", "StorageError", "open_service"]
