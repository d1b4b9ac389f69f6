"""``GET /api/assemblies/{name}`` and ``/lag``: the same JSON as ``soviet assembly show
--json`` and ``soviet lag --json``, in the documented shapes; unknown names are 404s and
bad parameters 422s naming them; the page shows the hemicycle and the lag figure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from soviet.adapters.cli.main import app as cli
from soviet.adapters.http.app import create_app

runner = CliRunner()

STEPS = [
    ["init"],
    ["council", "create", "Soviet", "--seat-rule", '{"method": "per-unit", "per": 1000}'],
    ["constituency", "create", "Mill", "--council", "Soviet", "--headcount", "4000"],
    ["elect", "Mill", "s1@SR=9", "s2@SR=8", "b1@B=7", "b2@B=6", "--method", "block",
     "--date", "1917-11-12"],
    ["assembly", "create", "CA", "--district", "North=4", "--closing", "1917-09-20",
     "--date", "1917-08-01"],
    ["assembly", "register-list", "CA", "--party", "SR", "--district", "North",
     "--candidate", "r1", "--candidate", "r2", "--candidate", "r3", "--date", "1917-09-20"],
    ["assembly", "register-list", "CA", "--party", "B", "--district", "North",
     "--candidate", "x1", "--candidate", "x2", "--date", "1917-09-20"],
    ["assembly", "votes", "CA", "--district", "North", "--votes", "SR=700", "--votes", "B=300",
     "--date", "1917-11-12"],
    ["assembly", "allocate", "CA", "--date", "1917-11-12"],
]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("asm") / "a.db")
    for args in STEPS:
        result = runner.invoke(cli, ["--db", path, *args])
        assert result.exit_code == 0, (args, result.output)
    return path


def _cli_json(db: str, *args: str) -> Any:
    result = runner.invoke(cli, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _check_shape(client: TestClient, path: str, body: Any) -> None:
    openapi = client.get("/openapi.json").json()
    ref = openapi["paths"][path]["get"]["responses"]["200"]["content"]
    schema = {**ref["application/json"]["schema"], "components": openapi["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(body))
    assert not errors, errors[0].message


def test_assembly_and_lag_equal_the_cli_json(db: str) -> None:
    show = _cli_json(db, "assembly", "show", "CA")
    lag = _cli_json(db, "lag", "CA", "--against", "Soviet", "--from", "1917-11-12",
                    "--to", "1917-11-14", "--by", "lists")  # fmt: skip
    with TestClient(create_app(db)) as client:
        got = client.get("/api/assemblies/CA")
        assert got.status_code == 200 and got.json() == show
        assert got.json()["seats_by_list"] == {"SR": 3, "B": 1}
        _check_shape(client, "/api/assemblies/{name}", got.json())
        query = {"against": "Soviet", "from": "1917-11-12", "to": "1917-11-14", "by": "lists"}
        got = client.get("/api/assemblies/CA/lag", params=query)
        assert got.status_code == 200 and got.json() == lag
        assert got.json()["rows"][0]["loosemore_hanby"] == 25.0  # 75/25 against 50/50
        _check_shape(client, "/api/assemblies/{name}/lag", got.json())


def test_unknown_names_are_404s_and_bad_parameters_422s(db: str) -> None:
    with TestClient(create_app(db)) as client:
        missing = client.get("/api/assemblies/Nowhere")
        assert missing.status_code == 404 and "Nowhere" in missing.text
        no_council = client.get("/api/assemblies/CA/lag", params={"against": "Elsewhere"})
        assert no_council.status_code == 404 and "Elsewhere" in no_council.text
        bad_by = client.get("/api/assemblies/CA/lag", params={"against": "Soviet", "by": "x"})
        assert bad_by.status_code == 422 and "by" in bad_by.text
        bad_day = client.get(
            "/api/assemblies/CA/lag", params={"against": "Soviet", "from": "1917-13-01"}
        )
        assert bad_day.status_code == 422 and "from" in bad_day.text
        reversed_range = client.get(
            "/api/assemblies/CA/lag",
            params={"against": "Soviet", "from": "1917-11-14", "to": "1917-11-12"},
        )
        assert reversed_range.status_code == 422
        assert "to 1917-11-12 is before from 1917-11-14" in reversed_range.text


def test_the_page_shows_the_hemicycle_lists_and_the_lag_figure(db: str) -> None:
    with TestClient(create_app(db)) as client:
        page = client.get("/assemblies/CA")
        assert page.status_code == 200
        assert page.text.count('class="seat') == 4
        assert 'data-group="SR"' in page.text and "r1, r2, r3" in page.text
        assert "no recall" in page.text
        page = client.get("/assemblies/CA", params={"against": "Soviet", "by": "lists"})
        assert page.status_code == 200
        assert '<svg class="lag"' in page.text  # the lag figure, drawn by adapters.figures
        assert "majorities disagree on" in page.text
        overview = client.get("/")
        assert '<a href="/assemblies/CA">CA</a>: 4 seats, elected 1917-11-12' in overview.text
        missing = client.get("/assemblies/Nowhere")
        assert missing.status_code == 404 and "Nowhere" in missing.text
