"""Scenario files: the committed JSON Schema, and the 1917 data with its sources."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from soviet.adapters.cli.demo_commands import DEMOS, scenario_path
from soviet.adapters.scenario_file import _TextDatesLoader, load_scenario
from soviet.application.scenario import scenario_json_schema
from soviet.domain import rules
from soviet.domain.model import Organisation
from soviet.views.council import representation_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "scenario.schema.json"


def test_committed_schema_is_the_generated_one() -> None:
    assert json.loads(SCHEMA.read_text()) == scenario_json_schema(), (
        "regenerate with: soviet schema > schemas/scenario.schema.json"
    )


def test_packaged_scenarios_validate_against_the_json_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    for name in DEMOS:
        data = yaml.load(scenario_path(name).read_text(), Loader=_TextDatesLoader)
        jsonschema.validate(data, schema)


def test_every_petrograd_figure_carries_a_source() -> None:
    scenario = load_scenario(scenario_path("petrograd"))
    assert all(c.source for c in scenario.councils)
    assert all(k.source for k in scenario.constituencies)
    assert all(s.source for s in scenario.steps)
    for item in [*scenario.constituencies, *scenario.steps]:
        source = item.source or ""
        assert "ILLUSTRATIVE" in source or any(ch.isdigit() for ch in source.split(":")[0])


def test_petrograd_rule_reproduces_120_against_122_seats() -> None:
    scenario = load_scenario(scenario_path("petrograd"))
    org = Organisation()
    council = scenario.councils[0]
    org.apply(rules.create_council(org, council.name, council.seat_rule, sections=council.sections))
    for k in scenario.constituencies:
        org.apply(
            rules.create_constituency(
                org,
                k.name,
                k.council,
                section=k.section,
                kind=k.kind,
                headcount=k.headcount,
                electors=k.electors,
            )
        )
    report = representation_report(org, council.name, "workers")
    kinds = {k["name"]: k for k in report["kinds"]}
    assert kinds["large factory"]["seats"] == 120  # 004:170
    assert kinds["small workshop"]["seats"] == 122  # 004:170
    assert round(kinds["large factory"]["elector_share"], 3) == 0.870  # 87%, 004:170
    assert round(report["indices"]["loosemore_hanby_by_kind"], 1) == 37.4
