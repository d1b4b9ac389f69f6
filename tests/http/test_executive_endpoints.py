"""``GET /api/executive``, ``/api/decree-keys``, ``/api/consent[/{rule}]``: the same JSON
as the CLI's, in the shapes /openapi.json documents; a 404 naming an unknown rule; the
decrees page shows each executive decree's signatures and the consent page each case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from soviet.adapters.cli.main import app as cli
from soviet.adapters.http.app import create_app

runner = CliRunner()


def _cli(db: str, *args: str) -> Any:
    result = runner.invoke(cli, ["--db", db, *args])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _shape(client: TestClient, template: str, body: Any) -> None:
    openapi = client.get("/openapi.json").json()
    ref = openapi["paths"][template]["get"]["responses"]["200"]["content"]
    schema = {**ref["application/json"]["schema"], "components": openapi["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert not errors, (template, errors[0].message)


def test_consent_equals_the_cli_and_the_page_shows_each_case(tmp_path: Path) -> None:
    db = str(tmp_path / "d1.db")
    _cli(db, "demo", "decree-no-1")
    rule = "Decree No. 1, section 1 (workers)"
    with TestClient(create_app(db)) as client:
        for path, args, template in (
            ("/api/consent", ["consent", "show", "--json"], "/api/consent"),
            (f"/api/consent/{rule}", ["consent", "show", rule, "--json"], "/api/consent/{name}"),
        ):
            got = client.get(path)
            assert got.status_code == 200, path
            assert got.json() == json.loads(_cli(db, *args))
            _shape(client, template, got.json())
        missing = client.get("/api/consent/Nowhere")
        assert missing.status_code == 404 and "Nowhere" in missing.text
        page = client.get("/consent")
        assert page.status_code == 200
        row = page.text.split('<tr id="case-1">', 1)[1].split("</tr>", 1)[0]
        assert '<td class="state">decided (final): Dismissed for' in row
        assert '<td class="effective">no</td><td>Presnya District Soviet</td>' in row
        assert "need the consent of Factory committee" in page.text


def test_executive_and_keys_equal_the_cli_and_the_page_shows_signatures(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    _cli(db, "demo", "council-of-commissioners")
    key = tmp_path / "lenin.pem"
    _cli(db, "checkpoint", "keygen", str(key))
    _cli(
        db, "decree", "register-key", "Lenin", "--public-key", f"{key}.pub", "--date", "1917-12-01"
    )
    _cli(
        db, "decree", "issue", "Council of People's Commissars", "7", "--title", "On the Supreme "
        "Council of National Economy", "--text", "Formed.", "--department", "Chairman",
        "--signatory", "Lenin", "--signatory", "Stalin", "--date", "1917-12-01",
    )  # fmt: skip
    _cli(db, "decree", "sign", "7", "--signer", "Lenin", "--key", str(key), "--date", "1917-12-01")
    with TestClient(create_app(db)) as client:
        got = client.get("/api/executive")
        assert got.status_code == 200
        assert got.json() == json.loads(_cli(db, "executive", "show", "--json"))
        _shape(client, "/api/executive", got.json())
        keys = client.get("/api/decree-keys")
        assert keys.json() == json.loads(_cli(db, "decree", "keys"))
        _shape(client, "/api/decree-keys", keys.json())
        decrees = client.get("/api/decrees").json()["executive"]
        seven = next(x for x in decrees if x["registry"] == "7")
        assert (seven["state"], seven["missing_signatures"]) == ("draft", ["Stalin"])
        page = client.get("/decrees")
        assert page.status_code == 200
        assert '<td class="signatures">signed by Lenin; awaiting Stalin</td>' in page.text
