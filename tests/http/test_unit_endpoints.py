"""``GET /api/units/{name}/log``: the same JSON as ``soviet unit show NAME --json``, a 404
naming an unknown unit."""

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


def test_mandates_and_proxies_of_a_weighted_roll_call_equal_the_cli(tmp_path: Path) -> None:
    import datetime as dt

    from soviet.adapters.storage import open_service
    from soviet.application import commands as cmd
    from soviet.domain.rules import Candidate

    db = str(tmp_path / "w.db")
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    service = open_service(db)
    d, opens, c = dt.date(1917, 10, 1), dt.date(1917, 10, 25), "Congress"
    for command in [
        cmd.CreateCouncil(
            name="Soviet",
            seat_rule={"method": "per-unit", "per": 1000, "minimum": 1},
            may_convene=["*"],
        ),
        cmd.CreateConstituency(name="Works", council="Soviet", headcount=2000),
        cmd.CreateConstituency(name="Shop", council="Soviet", headcount=200),
        cmd.ElectDelegates(
            constituency="Works",
            candidates=[Candidate("A1", "B", 9), Candidate("A2", "B", 8)],
            method="block",
            date=d,
        ),
        cmd.ElectDelegates(constituency="Shop", candidates=[Candidate("S1", "L", 9)], date=d),
        cmd.AdoptMandate(constituency="Shop", text="Vote for peace", date=d),
        cmd.CallCongress(
            name=c,
            convened_by="Soviet",
            date=d,
            opens_on=opens,
            quorum="1/2",
            senders={"Soviet": 3},
            proxies=True,
        ),
        *[
            cmd.PresentCredential(congress=c, delegate=n, sent_by="Soviet", elected_on=d, date=d)
            for n in ("A1", "A2", "S1")
        ],
        cmd.RuleOnCredentials(congress=c, credentials=None, accept=True, date=d),
        cmd.OpenCongress(congress=c, date=opens),
        cmd.RegisterAttendance(congress=c, arriving=True, date=opens, credentials=[1, 2, 3]),
        cmd.TableMotion(congress=c, title="Peace", text="Peace now", mover=1, date=opens),
        cmd.BindMandate(mandate=1, congress=c, motion=1, position="for", date=opens),
        cmd.GrantProxy(congress=c, giver=2, holder=1, date=opens),
        cmd.OpenVote(congress=c, motion=1, date=opens, mode="roll-call", weighted=True),
        cmd.CastVote(congress=c, vote=1, credential=1, choice="for", date=opens, proxies=True),
        cmd.CastVote(congress=c, vote=1, credential=3, choice="against", date=opens),
        cmd.CloseVote(congress=c, vote=1, date=opens),
    ]:
        service.handle(command, "t")

    def cli_json(*args: str) -> Any:
        result = runner.invoke(cli, ["--db", db, "congress", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    with TestClient(create_app(db)) as client:
        openapi = client.get("/openapi.json").json()
        for path, args in [
            ("/api/congresses/Congress/votes/1/mandates", ("mandate", c, "report", "1")),
            ("/api/congresses/Congress/proxies", ("proxy", c, "list")),
        ]:
            got = client.get(path)
            assert got.status_code == 200, got.text
            assert got.json() == cli_json(*args)
            template = path.replace("Congress", "{name}").replace("/1/", "/{number}/")
            content = openapi["paths"][template]["get"]["responses"]["200"]["content"]
            schema = {**content["application/json"]["schema"], "components": openapi["components"]}
            errors = list(Draft202012Validator(schema).iter_errors(got.json()))
            assert not errors, (path, errors[0].message)
        report = client.get("/api/congresses/Congress/votes/1/mandates").json()
        assert [(r["delegate"], r["choice"]) for r in report["against_mandate"]] == [
            ("S1", "against")
        ]
        assert [
            p["giver_name"] for p in client.get(f"/api/congresses/{c}/proxies").json()["proxies"]
        ] == ["A2"]
