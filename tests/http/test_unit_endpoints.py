"""``GET /api/units/{name}/log``: the same JSON as ``soviet unit show NAME --json``, a 404
naming an unknown unit."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from soviet.adapters.cli.main import app as cli
from soviet.adapters.http.app import create_app

runner = CliRunner()

STEPS = [
    ["init"],
    ["council", "create", "Soviet", "--seat-rule", '{"method": "per-unit", "per": 1000}'],
    ["oversight", "form", "MRC", "--council", "Soviet", "--member", "a", "--member", "b",
     "--rule", "roles", "--role", "a=chair", "--role", "b=secretary", "--require", "chair",
     "--require", "secretary", "--date", "1917-10-21"],  # illustrative
    ["unit", "create", "Arsenal", "--council", "Soviet", "--committee", "MRC",
     "--restricted", "issue-arms", "--date", "1917-10-21"],
    ["commissioner", "appoint", "Arsenal", "cm", "--date", "1917-10-21"],
    ["order", "issue", "Arsenal", "--by", "cm", "--action", "issue-arms", "--text", "Rifles",
     "--date", "1917-10-22"],
    ["order", "countersign", "1", "--member", "a", "--date", "1917-10-22"],
]  # fmt: skip


def test_unit_log_equals_cli_json_and_unknown_unit_is_404(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    for args in STEPS:
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.output)
    expected = json.loads(
        runner.invoke(cli, ["--db", db, "unit", "show", "Arsenal", "--json"]).output
    )
    with TestClient(create_app(db)) as client:
        got = client.get("/api/units/Arsenal/log")
        assert got.status_code == 200
        assert got.json() == expected
        assert got.json()["orders"][0]["status"] == "pending"
        assert got.json()["orders"][0]["awaiting"] == ["b"]
        # The answer has the shape /openapi.json documents for it.
        openapi = client.get("/openapi.json").json()
        ref = openapi["paths"]["/api/units/{name}/log"]["get"]["responses"]["200"]["content"]
        schema = {**ref["application/json"]["schema"], "components": openapi["components"]}
        errors = list(Draft202012Validator(schema).iter_errors(got.json()))
        assert not errors, errors[0].message
        missing = client.get("/api/units/Nowhere/log")
        assert missing.status_code == 404
        assert "Nowhere" in missing.text


def test_unit_page_shows_each_order_state_and_unknown_unit_is_a_404_page(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    for args in STEPS:
        assert runner.invoke(cli, ["--db", db, *args]).exit_code == 0, args
    with TestClient(create_app(db)) as client:
        page = client.get("/units/Arsenal")
        assert page.status_code == 200
        assert '<td class="state">pending</td>' in page.text
        assert "awaiting b" in page.text
        missing = client.get("/units/Nowhere")
        assert missing.status_code == 404
        assert "Nowhere" in missing.text


def test_proxies_and_mandates_of_an_unknown_congress_are_404s_naming_it(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    with TestClient(create_app(db)) as client:
        for path in ("/api/congresses/Ghost/proxies", "/api/congresses/Ghost/votes/1/mandates"):
            got = client.get(path)
            assert got.status_code == 404, path
            assert "Ghost" in got.text, path
        assert client.get("/api/congresses/Ghost/votes/0/mandates").status_code == 422
