"""When storage fails: the server refuses to start on a database it cannot open, and a
database that goes away while it runs is a 503 that does not tell anonymous readers
where the database lives."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
from serving import Server, cli

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


# Found by the Schemathesis run (tests/http/test_schemathesis.py): a name is one path
# parameter, so its "/" is sent as %2F; the router decodes the path first, and
# /api/councils/Works%2Freport (the council "Works/report") was answered with the
# report of "Works" (a Report where a Composition is documented), likewise .../stale and
# a congress's .../credentials.


def _in_process(app: object, *paths: str) -> list[httpx.Response]:
    async def get_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://soviet") as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(get_all())


def test_a_name_with_an_encoded_slash_is_the_name_not_a_route(tmp_path: Path) -> None:
    db = str(tmp_path / "soviet.db")
    open_service(db, initialise=True)
    for name in ("Works", "Works/report", "Works/stale"):
        code, _, err = cli(
            db, "council", "create", name, "--seat-rule", '{"method": "dhondt", "seats": 5}'
        )
        assert code == 0, err
    shown, report, report_of_slashed, stale_named, stale = _in_process(
        create_app(db),
        "/api/councils/Works%2Freport",
        "/api/councils/Works/report",
        "/api/councils/Works%2Freport/report",
        "/api/councils/Works%2fstale",  # lower-case hex is the same
        "/api/councils/Works/stale?on=1917-01-01",
    )
    assert shown.status_code == 200 and shown.json()["council"] == "Works/report"
    assert "vacant" in shown.json() and "seat_rule" not in shown.json()  # a composition
    assert report.status_code == 200 and report.json()["council"] == "Works"
    assert "seat_rule" in report.json()
    assert report_of_slashed.status_code == 200
    assert report_of_slashed.json()["council"] == "Works/report"
    assert "seat_rule" in report_of_slashed.json()
    assert stale_named.status_code == 200 and stale_named.json()["council"] == "Works/stale"
    assert "vacant" in stale_named.json()
    assert stale.status_code == 200 and stale.json() == {
        "council": "Works",
        "on": "1917-01-01",
        "stale": [],
    }


def test_a_congress_name_with_an_encoded_slash_is_the_name(server: Server) -> None:
    congress = "Second%20All-Russian%20Congress%20of%20Soviets"
    slashed = server.client.get(f"/api/congresses/{congress}%2Fcredentials")
    assert slashed.status_code == 404
    assert slashed.json() == {
        "detail": "unknown congress 'Second All-Russian Congress of Soviets/credentials'"
    }
    listed = server.client.get(f"/api/congresses/{congress}/credentials")
    assert listed.status_code == 200 and len(listed.json()["credentials"]) == 696
    for tail in ("report", "stale"):
        response = server.client.get(f"/api/councils/Petrograd%20Soviet%2F{tail}")
        assert response.status_code == 404, tail
        assert response.json() == {"detail": f"unknown council 'Petrograd Soviet/{tail}'"}


def test_a_refused_enrolment_form_is_a_documented_303(server: Server) -> None:
    # Found by the Schemathesis run: a form post to /api/enrol is sent back to the page
    # with a 303, which the document did not list (it followed to a 404 page).
    response = server.client.post("/api/enrol", data={"code": "nope", "password": "x" * 12})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/enrol?error=")
    document = server.get("/openapi.json").json()
    for path in ("/api/enrol", "/api/logout", "/api/login"):
        assert "303" in document["paths"][path]["post"]["responses"], path
