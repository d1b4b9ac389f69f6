"""The same server over PostgreSQL: the demo served from a throwaway PostgreSQL database
answers what the CLI prints from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serving import Server, cli, cli_json, running_server

from pgserver import ThrowawayPostgres
from soviet.adapters.cli.demo_commands import scenario_path

PETROGRAD = "Petrograd Soviet"


@pytest.fixture(scope="module")
def pg_server(postgres_server: ThrowawayPostgres) -> Iterator[Server]:
    with postgres_server.database() as name:
        url = postgres_server.url(name)
        # The demo's scenario imported (the narration around it is not needed here).
        for args in (("init",), ("import", str(scenario_path("petrograd")))):
            code, _, err = cli(url, *args)
            assert code == 0, err
        with running_server(url) as running:
            yield running


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "query", "command"),
    [
        (f"/api/councils/{PETROGRAD}", {}, ("council", "show", PETROGRAD)),
        (
            f"/api/councils/{PETROGRAD}",
            {"as_of": 200},
            ("council", "show", PETROGRAD, "--as-of", "200"),
        ),
        (f"/api/councils/{PETROGRAD}/report", {}, ("council", "report", PETROGRAD)),
        ("/api/petitions", {}, ("petition", "list")),
        ("/api/verify", {}, ("verify",)),
    ],
)
def test_postgres_answers_what_the_cli_prints(
    pg_server: Server, path: str, query: dict[str, object], command: tuple[str, ...]
) -> None:
    response = pg_server.get(path, **query)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(pg_server.db, *command)


@pytest.mark.postgres
def test_postgres_ledger_pages_and_health(pg_server: Server) -> None:
    history = cli_json(pg_server.db, "history")["events"]
    first = pg_server.get("/api/ledger", limit=300).json()
    rest = pg_server.get("/api/ledger", after=first["next_after"], limit=300).json()
    assert first["events"] + rest["events"] == history and rest["next_after"] is None
    assert pg_server.get("/healthz").json() == {
        "ok": True,
        "seq": len(history),
        "hash": history[-1]["hash"],
    }
    assert pg_server.get("/api/councils/Nope").json() == {"detail": "unknown council 'Nope'"}


@pytest.mark.postgres
def test_a_command_typed_at_the_cli_shows_at_once(pg_server: Server) -> None:
    before = pg_server.get("/healthz").json()["seq"]
    rule = '{"method": "per-unit", "per": 50}'
    code, _, err = cli(pg_server.db, "council", "create", "Tenants Union", "--seat-rule", rule)
    assert code == 0, err
    assert pg_server.get("/healthz").json()["seq"] == before + 1
    names = [c["name"] for c in pg_server.get("/api/councils").json()["councils"]]
    assert "Tenants Union" in names
    assert pg_server.get("/api/councils/Tenants Union").json()["seats"] == 0
