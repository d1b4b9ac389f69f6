"""Storage adapter: SQLAlchemy 2 over SQLite (default) or PostgreSQL."""

from __future__ import annotations

from soviet.adapters.storage.sql import (
    SqlLedger,
    SqlUnitOfWork,
    StorageError,
    check_schema,
    database_url,
    migrate,
)
from soviet.application.service import CouncilService


def open_service(db: str, *, initialise: bool = False) -> CouncilService:
    """A service on ``db`` (path or URL); with ``initialise`` create or upgrade the schema."""
    url = database_url(db)
    if initialise:
        migrate(url)
    else:
        check_schema(url)
    return CouncilService(lambda: SqlUnitOfWork(url), SqlLedger(url))


__all__ = ["StorageError", "open_service"]
