"""The Council of People's Commissars replayed on the Second Congress's ledger (issue 11,
"Replays"): formed by the congress, answerable to its CEC (003:25460-25492); urgent powers
granted 25 to 23 (003:44884-44922); the Duma decree in force at once, then endorsed
(003:46600-46713); a decree in force the moment it is signed (003:47007-47028)."""

from __future__ import annotations

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
from soviet.views.executive import department_heads, executive_decrees

ROOT = Path(__file__).resolve().parents[2]


def test_the_file_validates_and_every_step_cites() -> None:
    text = scenario_path("council-of-commissioners").read_text()
    schema = json.loads((ROOT / "schemas" / "scenario.schema.json").read_text())
    jsonschema.validate(yaml.load(text, Loader=_TextDatesLoader), schema)
    scenario = load_scenario(scenario_path("council-of-commissioners"))
    assert all(s.source and ("003:" in s.source or "ILLUSTRATIVE" in s.source)
               for s in scenario.steps)  # fmt: skip


def test_the_demo_forms_the_council_and_its_decrees_stand_as_the_texts_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common.console, "width", 200)
    db = str(tmp_path / "cc.db")
    result = CliRunner().invoke(app, ["--db", db, "demo", "council-of-commissioners"])
    assert result.exit_code == 0, result.output
    assert "soviet verify: intact" in result.output
    assert "kept its confidence in Council of People's Commissars (25 for, 23 against" in (
        result.output
    )
    service = open_service(db)
    decrees = {d["registry"]: d for d in service.query(executive_decrees)}
    assert decrees["1"]["state"] == "ratified"
    assert [h["state"] for h in decrees["1"]["history"]] == [
        "in-force-pending-ratification",
        "ratified",
    ]
    assert decrees["1"]["history"][1] == {
        "date": "1917-12-07",  # 24 Nov O.S.
        "state": "ratified",
        "by": "Central Executive Committee",
    }
    # in force the moment it is signed (003:47024), still awaiting the CEC at the end
    assert decrees["2"]["state"] == "in-force-pending-ratification"
    assert decrees["2"]["signed_on"] == "1917-12-11"  # 28 Nov O.S.
    heads = {h["member"]: h for h in service.query(department_heads)}
    assert heads["Lenin"]["department"] == "Chairman"
    assert heads["Stalin"]["department"] == "National Affairs"
    assert heads["Stalin"]["appointed_by"] == "Second All-Russian Congress of Soviets"
    # The CEC's own decree, signed by Lenin, Stalin and Sverdlov (003:48585-48589).
    three = decrees["3"]
    assert (three["state"], three["adopted_by"], three["missing_signatures"]) == (
        "ratified",
        "Central Executive Committee",
        [],
    )
    assert [s["signer"] for s in three["signatures"]] == ["Lenin", "Stalin", "Sverdlov"]
    assert "decree 3 exported and checked offline: valid, signed by Lenin, Stalin, Sverdlov, " \
        "sealed by Council of People's Commissars" in " ".join(result.output.split())  # fmt: skip


def test_the_demo_keys_are_the_ones_the_scenario_says() -> None:
    """Each registered key is the demo key derived from its holder's name, and each
    signature in the file verifies with it over the decree's signed text: the data can
    be re-made by anyone, nothing in it is taken on trust."""
    from soviet.adapters.cli.demo_commands import demo_key
    from soviet.application.checkpoints import public_key_hex

    scenario = load_scenario(scenario_path("council-of-commissioners"))
    keys = {
        s.fields["holder"]: s.fields["public_key"]
        for s in scenario.steps
        if getattr(s, "command", None) == "register-signing-key"
    }
    assert set(keys) == {"Lenin", "Stalin", "Sverdlov", "Council of People's Commissars"}
    for holder, public in keys.items():
        assert public_key_hex(demo_key(holder).public_key()) == public, holder
