"""The Second All-Russian Congress of Soviets replayed (issue 4, "The replay").

Figures: docs/research/second-congress-1917.md; 650 / 390 (003:23684-23688), 7 -> 21,
14 -> 35, 179 (003:24216-24242), 70 walked out (003:24240), manifesto 2 against and 12
abstaining (003:24529-24533), Land 1 against and 8 abstaining (003:25374-25376), CEC of
101 (003:25529-25535); 004:141-143 disagrees.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from soviet.adapters.cli import common
from soviet.adapters.cli.demo_commands import cec_comparison, scenario_path
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import _TextDatesLoader, load_scenario, parse_scenario
from soviet.adapters.storage import open_service
from soviet.application.ledger import LedgerEntry
from soviet.application.scenario import (
    CredentialBatchSpec,
    CredentialsStep,
    Scenario,
    ScenarioError,
    Step,
    parse_numbers,
    run_scenario,
)
from soviet.domain.calendar import parse_date
from soviet.domain.model import Organisation

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "scenario.schema.json"
CONGRESS = "Second All-Russian Congress of Soviets"


def _cited(source: str | None) -> bool:
    source = source or ""
    return "ILLUSTRATIVE" in source or any(ch.isdigit() for ch in source.split(":")[0])


# --- the file ---------------------------------------------------------------------------
def test_scenario_validates_against_the_committed_json_schema() -> None:
    data = yaml.load(scenario_path("second-congress").read_text(), Loader=_TextDatesLoader)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))


def test_every_step_and_credential_batch_carries_a_source() -> None:
    scenario = load_scenario(scenario_path("second-congress"))
    assert scenario.calendar == "julian"
    assert all(_cited(c.source) for c in scenario.councils)
    for step in scenario.steps:
        assert _cited(step.source), step
        if isinstance(step, CredentialsStep):
            assert all(_cited(spec.source) for spec in step.delegates), step


def test_the_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_second_congress", ROOT / "tools" / "build_second_congress_scenario.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = Scenario.model_validate(module.build())
    assert built == load_scenario(scenario_path("second-congress"))


def test_batches_are_compact() -> None:
    scenario = load_scenario(scenario_path("second-congress"))
    batches = [
        spec
        for step in scenario.steps
        if isinstance(step, CredentialsStep)
        for spec in step.delegates
        if isinstance(spec, CredentialBatchSpec)
    ]
    assert sum(b.count for b in batches) == 650 - 1 + 45  # less the Front Group delegate


# --- the replay -------------------------------------------------------------------------
@dataclass
class Replay:
    org: Organisation
    entries: list[LedgerEntry]
    after: dict[str, dict[str, int]] = field(default_factory=dict)
    url: str = ""


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    url = f"sqlite:///{tmp_path_factory.mktemp('congress')}/soviet.db"
    service = open_service(url, initialise=True)
    scenario = load_scenario(scenario_path("second-congress"))
    after: dict[str, dict[str, int]] = {}

    def on_step(index: int, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        del entry
        congress = org.congresses.get(CONGRESS)
        if congress is not None and step.title:
            after[step.title] = congress.group_sizes(present_only=True)

    entries = run_scenario(service, scenario, "test", on_step=on_step)
    assert service.verify().ok
    return Replay(service.state(), entries, after, url)


def _sizes_after(replay: Replay, title_start: str) -> dict[str, int]:
    found = [sizes for title, sizes in replay.after.items() if title.startswith(title_start)]
    assert len(found) == 1, title_start
    return found[0]


def test_the_call_and_the_postponement(replay: Replay) -> None:
    congress = replay.org.congresses[CONGRESS]
    assert congress.convened_by == "Central Executive Committee (elected June 1917)"
    assert congress.called_on == parse_date("1917-09-23", "julian")
    assert congress.postponements == [parse_date("1917-10-20", "julian")]
    assert congress.opens_on == parse_date("1917-10-25", "julian") == dt.date(1917, 11, 7)
    assert congress.status == "closed"


def test_650_delegates_at_the_opening_390_of_them_bolsheviks(replay: Replay) -> None:
    sizes = _sizes_after(replay, "650 delegates at the opening")
    assert sum(sizes.values()) == 650
    assert sizes["Bolsheviks"] == 390
    assert sizes["Right and Centre SRs"] == 60
    assert sizes["Mensheviks (incl. Bund)"] == 80
    assert sizes["United Internationalists"] == 14
    assert sizes["Ukrainian SRs"] == 7


def test_the_groups_after_the_night(replay: Replay) -> None:
    sizes = _sizes_after(replay, "The Left SR group reaches 179")
    assert sizes["Ukrainian SRs"] == 21
    assert sizes["United Internationalists"] == 35
    assert sizes["Left SRs"] == 179
    # group sizes are history: every change is kept
    congress = replay.org.congresses[CONGRESS]
    changes = Counter(c.credential for c in congress.group_changes)
    assert sum(1 for n in changes.values() if n > 1) == 14 + 21 + 35


def test_70_walked_out_not_140(replay: Replay) -> None:
    congress = replay.org.congresses[CONGRESS]
    departed = [a for a in congress.attendance if not a.present]
    assert len(departed) == 70
    assert all(a.reason and "003:24194-24196" in a.reason for a in departed)
    groups = {congress.credentials[a.credential].group for a in departed}
    assert groups == {"Mensheviks (incl. Bund)", "Right and Centre SRs"}
    after = _sizes_after(replay, "The walk-out")
    assert after == {
        "Bolsheviks": 390,
        "Left SRs": 179,
        "United Internationalists": 35,
        "Ukrainian SRs": 21,
    }


def test_the_challenged_credential_is_ruled_with_a_reason(replay: Replay) -> None:
    congress = replay.org.congresses[CONGRESS]
    front = congress.credential_of("Front Group delegate")
    assert front is not None and front.status == "accepted"
    assert any("When were you elected?" in p for p in front.problems)
    assert front.reason and "003:24098-24102" in front.reason
    rejected = [c for c in congress.credentials.values() if c.status == "rejected"]
    assert len(rejected) == 1 and rejected[0].reason
    assert any("already holds credential" in p for p in rejected[0].problems)


def test_presidium_in_proportion_with_two_groups_declining(replay: Replay) -> None:
    presidium = replay.org.congresses[CONGRESS].committees["Presidium"]
    assert presidium.kind == "presidium"
    assert set(presidium.declined) == {"Mensheviks (incl. Bund)", "Right and Centre SRs"}
    member_groups = {m.group for m in presidium.members}
    assert not member_groups & set(presidium.declined)
    assert len(presidium.members) < presidium.seats  # the declined seats stay empty


def _vote_on(replay: Replay, title: str) -> dict[str, int]:
    congress = replay.org.congresses[CONGRESS]
    (vote,) = [v for v in congress.votes.values() if congress.motions[v.motion].title == title]
    assert vote.status == "closed" and vote.carried
    assert sum(vote.counts.values()) == len(vote.present)  # 'for' derived: the rest present
    return vote.counts


def test_the_manifesto_two_against_twelve_abstaining(replay: Replay) -> None:
    counts = _vote_on(replay, "To the Workers, Soldiers and Peasants")
    assert counts["against"] == 2 and counts["abstain"] == 12
    assert counts["for"] == 625 - 14


def test_the_decrees(replay: Replay) -> None:
    land = _vote_on(replay, "Decree on Land")
    assert land["against"] == 1 and land["abstain"] == 8
    peace = _vote_on(replay, "Decree on Peace")
    assert peace["against"] == 0 and peace["abstain"] == 0
    decrees = {d.title: d for d in replay.org.decrees.values()}
    assert set(decrees) == {"Decree on Peace", "Decree on Land"}
    assert decrees["Decree on Land"].tally == land
    assert all(d.body == CONGRESS for d in decrees.values())
    assert all(d.adopted_on == parse_date("1917-10-26", "julian") for d in decrees.values())


def test_the_cec_of_101(replay: Replay) -> None:
    cec = replay.org.congresses[CONGRESS].committees["Central Executive Committee"]
    assert cec.kind == "executive" and cec.seats == 101 and len(cec.members) == 101
    assert cec.allocation == {
        "Bolsheviks": 62,
        "Left SRs": 29,
        "United Internationalists": 6,
        "Ukrainian Socialists": 3,
        "Maximalist SRs": 1,
    }


def test_the_methods_over_the_groups_present_differ_from_the_record() -> None:
    groups = {
        "Bolsheviks": 390,
        "Left SRs": 179,
        "United Internationalists": 35,
        "Ukrainian SRs": 21,
    }
    by = cec_comparison(groups)
    # research note §5: largest remainder 63/29/6/3, D'Hondt 64/29/5/3
    assert list(by["hare"].values()) == [63, 29, 6, 3]
    assert list(by["dhondt"].values()) == [64, 29, 5, 3]
    assert all(sum(seats.values()) == 101 for seats in by.values())


def test_demo_second_congress_prints_the_comparison(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common.console, "width", 200)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "demo.db"), "demo", "second-congress"])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("D'Hondt", "Sainte-Laguë", "Hare", "Droop", "Maximalist"):
        assert text in out
    for text in ("650 (003:23684-23688)", "670 (004:141)", "300 (004:141)", "69 (004:143)"):
        assert text in out
    for text in ("003:25529-25535", "'105 in all' (004:143)", "62 (003:25531)"):
        assert text in out
    assert "soviet verify: intact" in out


# --- the congress steps of the scenario format ------------------------------------------
SMALL = """
scenario: A small congress
calendar: gregorian
councils:
  - {name: Federation, seat_rule: {method: dhondt}, may_convene: [Congress]}
steps:
  - {action: congress-call, date: 2026-01-01, name: Congress, convened_by: Federation,
     opens_on: 2026-02-01, quorum: "3", senders: {Branch: 10}}
  - action: credentials
    date: 2026-01-20
    congress: Congress
    delegates:
      - {count: 3, prefix: Red, sent_by: Branch, elected_on: 2026-01-10, group: Red}
      - {count: 2, prefix: Blue, sent_by: Branch, elected_on: 2026-01-10, group: Blue}
  - {action: credentials-rule, date: 2026-01-20, congress: Congress, ruling: accept,
     all_clean: true}
  - {action: congress-open, date: 2026-02-01, congress: Congress}
  - {action: congress-register, date: 2026-02-01, congress: Congress, movement: arrive,
     numbers: "1-5"}
  - {action: motion, date: 2026-02-01, congress: Congress, motion_title: Strike,
     mover: Red 1, decree: true}
  - {action: vote, date: 2026-02-01, congress: Congress, motion: Strike, mode: MODE,
     by_group: {Red: for, Blue: against}}
  - {action: congress-close, date: 2026-02-01, congress: Congress}
"""


@pytest.mark.parametrize("mode", ["secret", "roll-call"])
def test_a_vote_step_casts_and_closes(sqlite_url: str, mode: str) -> None:
    service = open_service(sqlite_url, initialise=True)
    entries = run_scenario(service, parse_scenario(SMALL.replace("MODE", mode)), "test")
    org = service.state()
    (vote,) = org.congresses["Congress"].votes.values()
    assert vote.counts == {"for": 3, "against": 2, "abstain": 0}
    casts = [json.loads(e.payload) for e in entries if e.type == "BallotCast"]
    assert len(casts) == 5
    if mode == "secret":  # the ledger learns who voted, never how
        assert all("choice" not in c for c in casts)
    else:
        assert {c["choice"] for c in casts} == {"for", "against"}
    assert [d.title for d in org.decrees.values()] == ["Strike"]


def test_a_failing_congress_step_writes_nothing(sqlite_url: str) -> None:
    service = open_service(sqlite_url, initialise=True)
    bad = SMALL.replace("MODE", "secret").replace('quorum: "3"', 'quorum: "6"')
    with pytest.raises(ScenarioError, match=r"steps\[6\] \(vote\).*no quorum"):
        run_scenario(service, parse_scenario(bad), "test")
    assert service.last_seq() == 0


def test_a_call_from_a_body_without_authority_is_refused(sqlite_url: str) -> None:
    service = open_service(sqlite_url, initialise=True)
    bad = SMALL.replace("may_convene: [Congress]", "may_convene: []").replace("MODE", "secret")
    with pytest.raises(ScenarioError, match="no authority"):
        run_scenario(service, parse_scenario(bad), "test")


def test_show_of_hands_counts_rest_and_schema_errors() -> None:
    text = SMALL.replace(
        "mode: MODE,\n     by_group: {Red: for, Blue: against}",
        "counts: {for: rest, against: 1}",
    )
    parse_scenario(text)
    with pytest.raises(ValueError, match="takes counts"):
        parse_scenario(SMALL.replace("MODE", "show-of-hands"))
    assert parse_numbers("1-3, 7") == [1, 2, 3, 7]
