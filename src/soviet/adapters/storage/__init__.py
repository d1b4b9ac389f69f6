"""Storage adapter: SQLAlchemy 2 over SQLite (default) or PostgreSQL."""

from __future__ import annotations

import os

from sqlalchemy.exc import ArgumentError, DBAPIError

from soviet.adapters.storage.sql import (
    BUSY_TIMEOUT_ENV,
    SqlLedger,
    SqlUnitOfWork,
    StorageError,
    busy_timeout,
    check_schema,
    check_sqlite_file,
    database_url,
    engine_for,
    is_contention,
    migrate,
    shown_url,
)
from soviet.application.service import CouncilService, RetryPolicy

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


def open_service(db: str, *, initialise: bool = False) -> CouncilService:
    """A service on ``db`` (path or URL); with ``initialise`` create or upgrade the schema.

    Commands write in transactions that lock out other writers and are re-run on
    contention (``$SOVIET_BUSY_RETRIES`` attempts, each waiting up to
    ``$SOVIET_BUSY_TIMEOUT`` seconds for a lock); queries read snapshots and never wait.
    """
    url = database_url(db)
    policy = retry_policy()
    busy_timeout()  # a bad $SOVIET_BUSY_TIMEOUT is refused here, not deep in a connection
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
    return CouncilService(
        lambda: SqlUnitOfWork(url),
        SqlLedger(url),
        reader_factory=lambda: SqlUnitOfWork(url, write=False),
        is_contention=is_contention,
        retry=policy,
    )


__all__ = ["BUSY_RETRIES_ENV", "BUSY_TIMEOUT_ENV", "StorageError", "open_service"]
