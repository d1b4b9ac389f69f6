"""Fixtures: the demo database and ``soviet serve`` on it, one per test session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from serving import Server, prepare, running_server


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("http") / "demo.db")
    prepare(db)
    return db


@pytest.fixture(scope="session")
def server(demo_db: str) -> Iterator[Server]:
    with running_server(demo_db) as running:
        yield running


@pytest.fixture(scope="session")
def openapi(server: Server) -> dict[str, Any]:
    response = server.get("/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc
