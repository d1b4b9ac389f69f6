"""The Constituent Assembly replayed against the Soviets (issue 12, "The replay").

Figures: the local results 003:3323-3347; lists frozen 000:2990-2994; SR list three to
one in favour of the right wing 000:3010-3013; SR majority 000:3059-3060; the opening
quorum of 400 and the 172 who came 003:46725-46730, 46873-46877; the recall decree of
21 Nov 003:46760-46770; dissolved the first day it met 001:261-263.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from soviet.adapters.cli import common
from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import _TextDatesLoader, load_scenario
from soviet.adapters.storage import open_service
from soviet.application.scenario import Scenario
from soviet.count.apportion import DivisorMethod
from soviet.views import assembly as views
from soviet.views.assembly import assembly_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "scenario.schema.json"
ASSEMBLY = "Constituent Assembly"


def _cited(source: str | None) -> bool:
    source = source or ""
    return "ILLUSTRATIVE" in source or any(ch.isdigit() for ch in source.split(":")[0])


def test_the_file_validates_cites_and_is_the_generated_one() -> None:
    data = yaml.load(scenario_path("constituent-assembly").read_text(), Loader=_TextDatesLoader)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    scenario = load_scenario(scenario_path("constituent-assembly"))
    assert scenario.calendar == "julian"
    assert all(_cited(step.source) for step in scenario.steps)
    spec = importlib.util.spec_from_file_location(
        "build_ca", ROOT / "tools" / "build_constituent_assembly_scenario.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert Scenario.model_validate(module.build()) == scenario


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The demo's output (wide, so lines do not wrap) and its database."""
    db = str(tmp_path_factory.mktemp("ca") / "demo.db")
    mp = pytest.MonkeyPatch()
    mp.setattr(common.console, "width", 200)
    try:
        result = CliRunner().invoke(app, ["--db", db, "demo", "constituent-assembly"])
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return result.output, db


def test_the_seats_are_dhondt_per_district_with_the_seeds_local_votes(
    demo: tuple[str, str],
) -> None:
    _, db = demo
    report = open_service(db).query(lambda org: assembly_report(org, ASSEMBLY))
    assert report["votes"]["Ivanovo-Voznesensk"]["Bolshevik"] == 17166  # 003:3323
    assert report["votes"]["Kineshma"] == {"Bolshevik": 3567, "SR": 858, "Menshevik": 815}
    assert report["votes"]["Ekaterinburg"] == {"Bolshevik": 11827, "SR": 4293, "Menshevik": 567}
    for district, seats in report["districts"].items():  # each district counted alone
        expected = DivisorMethod("dhondt").allocate(report["votes"][district], seats).seats
        got = {p: len(ms) for p, ms in report["members"][district].items()}
        assert got == {p: n for p, n in expected.items() if n}
    by_list = report["seats_by_list"]
    assert sum(by_list.values()) == 703 and 2 * by_list["SR"] > 703  # 000:3059-3060
    # three Right SRs to one Left (000:3010-3013), less the six recalled Right SRs
    groups = report["seats_by_group"]
    assert groups["Right SR"] + 6 == 275 and groups["Left SR"] == 90
    assert [r["member"] for r in report["recalled"]] == [  # by date, then name
        "Avksentyev", "Gotz", "Argunov", "Likhach", "Breshko-Breshkovskaya", "Bulat",
    ]  # fmt: skip
    assert report["dissolved_on"] == report["opened_on"] == "1918-01-18"  # 5 Jan O.S.


def test_the_demo_shows_refusals_lag_and_the_seeds_disagreeing(demo: tuple[str, str]) -> None:
    out, db = demo
    assert "lists of assembly 'Constituent Assembly' closed (1917-09-07): lists are frozen" in out
    assert "cannot open on 1917-12-11: 172 deputies present, 400 needed  (nothing written)" in out
    lag = open_service(db).query(
        lambda org: views.lag(org, ASSEMBLY, ["Petrograd Soviet"], None, None, "lists")
    )
    assert lag["from"] == "1917-12-03" and lag["to"] == "1918-01-18"
    assert "disagreed with the Petrograd Soviet's on 134 of 134 days" in out
    # the Petrograd Soviet turns Bolshevik on 30 Aug O.S. (petrograd-1917.yaml)
    assert "│ 1917-09-12  │ Bolshevik 163, SR 83, Menshevik 60  │" in out
    # Ivanovo-Voznesensk: 679 and 3,389 of 26,822 are 2.5 % and 12.6 %, not 2.6 and 12.7
    assert "│ 2.6 %         │ 2.5 %  ⚠" in out and "│ 12.7 %        │ 12.6 %  ⚠" in out
    assert "soviet verify: intact" in out
