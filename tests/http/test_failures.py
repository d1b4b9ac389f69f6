"""When storage fails: the server refuses to start on a database it cannot open, and a
database that goes away while it runs is a 503 that does not tell anonymous readers
where the database lives."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
from serving import cli

from soviet.adapters.http.app import create_app
from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, is_contention
from soviet.application.service import CouncilService


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens there once the socket is closed


def _nowhere() -> str:
    return f"postgresql+psycopg://soviet@127.0.0.1:{_closed_port()}/soviet"


def test_serve_refuses_a_database_it_cannot_reach_in_one_line() -> None:
    url = _nowhere()
    code, out, err = cli(url, "serve")
    assert code == 2 and out == ""
    assert err.startswith(f"error: --db: cannot use {url!r}: ") and err.count("\n") == 1
    assert "refused" in err.lower() or "failed" in err.lower()


def test_a_database_lost_while_serving_is_503(tmp_path: Path) -> None:
    db = str(tmp_path / "soviet.db")
    open_service(db, initialise=True)
    app = create_app(db)
    gone = _nowhere()
    # The storage the server reads from stops answering (here: a server that is not there).
    app.state.service = CouncilService(
        lambda: SqlUnitOfWork(gone),
        SqlLedger(gone),
        reader_factory=lambda: SqlUnitOfWork(gone, write=False),
        is_contention=is_contention,
    )

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://soviet") as client:
            return await client.get(path)

    for path in ("/api/councils", "/healthz", "/api/ledger"):
        response = asyncio.run(get(path))
        assert response.status_code == 503, (path, response.text)
        assert response.json() == {"detail": "the database cannot be reached: try again later"}
        assert response.headers["retry-after"] == "5"
    # A web page says the same, as a page (tests/web has the pages themselves).
    for path in ("/", "/ledger", "/councils/Petrograd%20Soviet"):
        response = asyncio.run(get(path))
        assert response.status_code == 503, (path, response.text)
        assert response.headers["content-type"].startswith("text/html")
        assert (
            '<p class="problem" id="message">the database cannot be reached: try again later</p>'
            in (response.text)
        )
        assert "127.0.0.1" not in response.text  # where the database lives stays unsaid
    # As documented.
    document = asyncio.run(get("/openapi.json")).json()
    for path in ("/api/councils", "/healthz", "/api/ledger"):
        assert "503" in document["paths"][path]["get"]["responses"], path
