"""Pages in process on databases made for them: the vote page of a secret vote still
open, and then closed (how many of the entitled have voted, never how; the result once
closed); an empty database's pages. In process (httpx over ASGI) on a
small congress built for it (the demo's votes are all closed shows of hands)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from fastapi import FastAPI
from serving import cli

from soviet.adapters.http.app import create_app
from soviet.adapters.storage import open_service
from soviet.domain import congress_rules as cr
from soviet.domain import rules

C = "Small Congress"
DAY = dt.date(1917, 11, 7)


def _congress(db: str) -> None:
    """Called, four credentials (one voice only), all accepted, opened, all present."""
    with open_service(db, initialise=True).transaction("test") as tx:
        tx.run(
            lambda o: rules.create_council(
                o, "CEC", {"method": "dhondt", "seats": 3}, may_convene=[C]
            )
        )
        tx.run(
            lambda o: cr.call_congress(
                o, C, "CEC", DAY, DAY, quorum="1/2", senders={"Town": 4}, external=True
            )
        )
        for name, rights in (
            ("Lenin", "voice-and-vote"),
            ("Kamkov", "voice-and-vote"),
            ("Martov", "voice-and-vote"),
            ("Guest", "voice-only"),
        ):
            tx.run(
                lambda o, n=name, r=rights: cr.present_credential(
                    o, C, n, "Town", DAY, DAY, rights=r
                )
            )
        for n in (1, 2, 3, 4):
            tx.run(lambda o, n=n: cr.rule_on_credential(o, C, n, True, DAY))
        tx.run(lambda o: cr.open_congress(o, C, DAY))
        tx.run(lambda o: cr.register(o, C, DAY, arriving=True, credentials=[1, 2, 3, 4]))


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://soviet") as client:
            return await client.get(path)

    # In a thread of its own: this thread may hold another event loop (Playwright's).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, get()).result()


def _ok(db: str, *args: str) -> None:
    code, _, err = cli(db, "--force-date", *args)
    assert code == 0, f"{args}: {err}"


def test_a_secret_vote_page_shows_progress_and_then_the_result(tmp_path: Path) -> None:
    db = str(tmp_path / "small.db")
    _congress(db)
    _ok(db, "congress", "motion", C, "--title", "Peace", "--text", "Now.", "--mover", "1")
    _ok(db, "congress", "vote", C, "open", "1", "--mode", "secret")
    _ok(db, "congress", "vote", C, "cast", "1", "1", "against")
    _ok(db, "congress", "vote", C, "cast", "1", "2", "for")
    app = create_app(db)
    page = _get(app, f"/congresses/{C}/votes/1")
    assert page.status_code == 200
    html = page.text
    # The figures are marked for live.js (spans, data-live attributes): read the text.
    assert "2 of 3 entitled delegates have voted" in re.sub(r"<[^>]+>", "", html)
    assert re.search(r'<progress [^>]*id="voted" value="2" max="3">', html)
    assert "Not yet: the vote is open." in html
    assert "against" not in html.split('id="progress-h"')[1]  # nothing of how anyone voted
    _ok(db, "congress", "vote", C, "close", "1")
    closed = _get(app, f"/congresses/{C}/votes/1").text
    assert "<strong>Lost</strong>: 1 for, 1 against, 0 abstaining." in closed
    assert 'id="roll"' not in closed  # a secret vote has no roll to show


def test_an_empty_database_has_its_pages(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    open_service(db, initialise=True)
    app = create_app(db)
    overview = _get(app, "/")
    assert overview.status_code == 200
    assert "No council yet." in overview.text and "The ledger is empty." in overview.text
    ledger = _get(app, "/ledger")
    assert ledger.status_code == 200 and "No event." in ledger.text
    assert 'id="checkpoint"' not in ledger.text
    assert "No decree adopted." in _get(app, "/decrees").text
