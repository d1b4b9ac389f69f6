"""Shared fixtures: storage tests run against both SQLite and a throwaway PostgreSQL.

Fixtures
--------
``postgres_server`` (session)
    A started :class:`pgserver.ThrowawayPostgres`, one per pytest process (so one
    per xdist worker).  Started lazily on first use; stopped, with its files
    removed, at session end even when tests fail or the run is interrupted.
    Skips when PostgreSQL is not installed, except under ``CI=true`` where that
    is an error.
``database_url`` (function, params ``sqlite`` / ``postgresql``)
    SQLAlchemy URL of a fresh, empty database.  The ``postgresql`` variant
    carries the ``postgres`` marker, so ``-m "not postgres"`` never starts a server.
``sqlite_url`` (function)
    SQLite only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgserver import PostgresUnavailable, ThrowawayPostgres


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs the throwaway PostgreSQL server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that use the server directly are "postgres" tests too.
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    # Registered before start(): teardown runs even if start-up fails half-way.
    request.addfinalizer(server.stop)
    try:
        server.start()
    except PostgresUnavailable as exc:
        if _in_ci():
            raise RuntimeError(f"CI=true but PostgreSQL is unavailable: {exc}") from exc
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/soviet.db"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield _sqlite_url(tmp_path)
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
    with server.database() as dbname:
        yield server.url(dbname)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return _sqlite_url(tmp_path)
