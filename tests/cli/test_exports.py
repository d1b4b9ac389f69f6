"""``soviet export council|congress|assembly``: CSV tables and a JSON document built from
the views, on the Petrograd demo, the second congress in Russian (cyrillic_congress) and
two ILLUSTRATIVE list assemblies (one with closed lists and a split, one with open lists)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cyrillic_congress import LEFT_SR, NAME, ROLL, SOVNARKOM, database
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.views.assembly import assembly_report

runner = CliRunner()
COUNCIL = "Petrograd Soviet"


def run(db: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(db: str, *args: str) -> Any:
    return json.loads(run(db, *args, "--json"))


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def petrograd(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("petrograd") / "p.db")
    run(db, "demo", "petrograd")
    return db


@pytest.fixture(scope="module")
def congress(tmp_path_factory: pytest.TempPathFactory) -> str:
    return database(tmp_path_factory.mktemp("congress"))


# ILLUSTRATIVE assemblies: names, dates and votes are invented.
CLOSED, OPEN_LISTS = "Closed Assembly", "Open Assembly"
CREATED, CLOSING, VOTED, SPLIT = (dt.date(1917, 8, 1), dt.date(1917, 9, 20),
                                  dt.date(1917, 11, 12), dt.date(1917, 11, 25))  # fmt: skip


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("assembly") / "a.db")
    service = open_service(db, initialise=True)
    commands: list[cmd.Command] = [
        cmd.CreateAssembly(
            name=CLOSED,
            districts={"North": 3, "South": 2},
            rule={"method": "dhondt"},
            closing=CLOSING,
            term_days=4 * 365,
            date=CREATED,
        ),
        *(
            cmd.RegisterPartyList(assembly=CLOSED, party=p, district=d, candidates=cs, date=CLOSING)
            for p, d, cs in [
                ("SR", "North", ["n1", "n2", "n3"]),
                ("B", "North", ["b1", "b2"]),
                ("SR", "South", ["s1", "s2"]),
                ("B", "South", ["c1", "c2"]),
            ]
        ),
        cmd.RecordListVotes(
            assembly=CLOSED, district="North", votes={"SR": 600, "B": 300}, date=VOTED
        ),
        cmd.RecordListVotes(
            assembly=CLOSED, district="South", votes={"SR": 100, "B": 300}, date=VOTED
        ),
        cmd.AllocateAssemblySeats(assembly=CLOSED, date=VOTED),
        cmd.AttributeSplit(
            assembly=CLOSED,
            party="SR",
            rule="positions",
            successors=["Right SR", "Left SR"],
            positions={"Right SR": [1], "Left SR": [2, 3]},
            date=SPLIT,
        ),
        cmd.CreateAssembly(
            name=OPEN_LISTS,
            districts={"Centre": 3},
            rule={"method": "sainte-lague"},
            lists="open",
            closing=CLOSING,
            term_days=365,
            date=CREATED,
        ),
        cmd.RegisterPartyList(
            assembly=OPEN_LISTS,
            party="K",
            district="Centre",
            candidates=["k1", "k2", "k3"],
            date=CLOSING,
        ),
        cmd.RegisterPartyList(
            assembly=OPEN_LISTS,
            party="M",
            district="Centre",
            candidates=["m1", "m2"],
            date=CLOSING,
        ),
        cmd.RecordListVotes(
            assembly=OPEN_LISTS,
            district="Centre",
            votes={"K": 500, "M": 260},
            personal={"k1": 40, "k2": 10, "k3": 300, "m1": 5, "m2": 90},
            date=VOTED,
        ),
        cmd.AllocateAssemblySeats(assembly=OPEN_LISTS, date=VOTED),
    ]
    for c in commands:
        service.handle(c, "t")
    return db


def test_council_json_is_the_views(petrograd: str, tmp_path: Path) -> None:
    out = run(petrograd, "export", "council", COUNCIL, "--format", "json", "--out", str(tmp_path))
    assert "council.json" in out
    doc = json.loads((tmp_path / "council.json").read_text(encoding="utf-8"))
    composition = as_json(petrograd, "council", "show", COUNCIL)
    assert doc["composition"] == composition
    mine = {c["name"] for c in composition["constituencies"]}
    petitions = as_json(petrograd, "recall", "status")["petitions"]
    assert petitions and doc["petitions"] == [p for p in petitions if p["constituency"] in mine]


def test_council_csv_parses_back_to_the_views(petrograd: str, tmp_path: Path) -> None:
    run(petrograd, "export", "council", COUNCIL, "--out", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "composition.csv",
        "constituencies.csv",
        "delegates.csv",
        "petitions.csv",
    ]
    view = as_json(petrograd, "council", "show", COUNCIL)
    overall = {
        r["group"]: int(r["delegates"]) for r in table(tmp_path, "composition") if not r["section"]
    }
    assert overall == view["groups"]
    by_section: dict[str, dict[str, int]] = {}
    for r in table(tmp_path, "composition"):
        if r["section"]:
            by_section.setdefault(r["section"], {})[r["group"]] = int(r["delegates"])
    assert by_section == view["groups_by_section"]
    delegates = table(tmp_path, "delegates")
    assert len(delegates) == view["filled"] == 306
    expected = [
        (str(d["id"]), c["name"], d["name"], d["group"] or "", d["elected_on"])
        for c in view["constituencies"]
        for d in c["delegates"]
    ]
    got = [(r["id"], r["constituency"], r["name"], r["group"], r["elected_on"]) for r in delegates]
    assert got == expected
    units = table(tmp_path, "constituencies")
    assert [(u["name"], int(u["seats"]), int(u["headcount"])) for u in units] == [
        (c["name"], c["seats"], c["headcount"]) for c in view["constituencies"]
    ]
    petitions = table(tmp_path, "petitions")
    status = {p["petition"]: p for p in as_json(petrograd, "recall", "status")["petitions"]}
    assert petitions
    for row in petitions:
        p = status[int(row["petition"])]
        assert (int(row["signatures"]), int(row["needed"]), row["status"]) == (
            p["signatures"],
            p["needed"],
            p["status"],
        )
        assert row["delegates"].split("; ") == p["delegates"]


def test_congress_json_is_the_views(congress: str, tmp_path: Path) -> None:
    run(congress, "export", "congress", NAME, "--format", "json", "--out", str(tmp_path))
    doc = json.loads((tmp_path / "congress.json").read_text(encoding="utf-8"))
    assert doc["report"] == as_json(congress, "congress", "show", NAME)
    listed = as_json(congress, "congress", "credentials", NAME, "list")
    assert doc["credentials"] == listed["credentials"]
    decrees = as_json(congress, "decrees")
    assert doc["decrees"] == decrees["decrees"] and len(doc["decrees"]) == 2
    assert doc["executive"] == decrees["executive"]
    assert [x["council"] for x in doc["executive"]] == [SOVNARKOM]


def test_congress_roll_call_lists_every_delegates_choice(congress: str, tmp_path: Path) -> None:
    run(congress, "export", "congress", NAME, "--out", str(tmp_path))
    report = as_json(congress, "congress", "show", NAME)
    (vote,) = [v for m in report["motions"] for v in m["votes"] if v["mode"] == "roll-call"]
    rows = [r for r in table(tmp_path, "roll_calls") if r["vote"] == str(vote["vote"])]
    assert {r["credential"]: r["choice"] for r in rows} == vote["roll"]
    credentials = {
        str(c["number"]): c
        for c in as_json(congress, "congress", "credentials", NAME, "list")["credentials"]
    }
    present_voters = {
        n
        for n, c in credentials.items()
        if c["present"] and c["status"] == "accepted" and c["rights"] == "voice-and-vote"
    }
    assert {r["credential"] for r in rows} == present_voters
    for r in rows:
        assert r["delegate"] == credentials[r["credential"]]["delegate"]
        assert r["choice"] == ROLL[r["group"]]
    assert any(r["delegate"].startswith(LEFT_SR) for r in rows)  # UTF-8 back from the file
    tally = {k: sum(1 for r in rows if r["choice"] == k) for k in ("for", "against", "abstain")}
    assert tally == vote["counts"]
    (votes_row,) = [r for r in table(tmp_path, "votes") if r["vote"] == str(vote["vote"])]
    assert (votes_row["mode"], votes_row["for"], votes_row["carried"]) == (
        "roll-call",
        str(tally["for"]),
        "true",
    )


def test_congress_csv_tables_parse_back(congress: str, tmp_path: Path) -> None:
    run(congress, "export", "congress", NAME, "--out", str(tmp_path))
    report = as_json(congress, "congress", "show", NAME)
    motions = table(tmp_path, "motions")
    assert [(m["number"], m["title"], m["status"]) for m in motions] == [
        (str(m["number"]), m["title"], m["status"]) for m in report["motions"]
    ]
    votes = table(tmp_path, "votes")
    assert [(v["vote"], v["for"], v["against"], v["abstain"]) for v in votes] == [
        (str(v["vote"]), *(str(v["counts"][k]) for k in ("for", "against", "abstain")))
        for m in report["motions"]
        for v in m["votes"]
    ]
    groups = {g["group"]: (int(g["seated"]), int(g["present"])) for g in table(tmp_path, "groups")}
    assert groups == {
        g: (n, report["groups"]["present"].get(g, 0)) for g, n in report["groups"]["seated"].items()
    }
    walkouts = table(tmp_path, "walkouts")
    assert len(walkouts) == sum(w["delegates"] for w in report["walkouts"]) == 70
    decrees = as_json(congress, "decrees")
    assert [(d["number"], d["title"], d["for"]) for d in table(tmp_path, "decrees")] == [
        (str(d["number"]), d["title"], str(d["tally"]["for"])) for d in decrees["decrees"]
    ]
    assert [x["title"] for x in table(tmp_path, "executive_decrees")] == [
        x["title"] for x in decrees["executive"]
    ]
    assert len(table(tmp_path, "credentials")) == len(
        as_json(congress, "congress", "credentials", NAME, "list")["credentials"]
    )


def test_assembly_json_is_the_view(assemblies: str, tmp_path: Path) -> None:
    out = run(assemblies, "export", "assembly", CLOSED, "--format", "json", "--out", str(tmp_path))
    assert f"exported assembly {CLOSED} to {tmp_path}: assembly.json" in " ".join(out.split())
    doc = json.loads((tmp_path / "assembly.json").read_text(encoding="utf-8"))
    report = open_service(assemblies).query(lambda org: assembly_report(org, CLOSED))
    assert doc == report
    assert doc["seats_by_group"] == {"B": 3, "Left SR": 1, "Right SR": 1}


def test_assembly_csv_tables_are_the_views_data(assemblies: str, tmp_path: Path) -> None:
    run(assemblies, "export", "assembly", CLOSED, "--out", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lists.csv",
        "members.csv",
        "personal_votes.csv",
        "votes.csv",
    ]
    report = open_service(assemblies).query(lambda org: assembly_report(org, CLOSED))
    assert table(tmp_path, "lists") == [
        {"district": pl["district"], "party": pl["party"], "position": str(i), "candidate": c}
        for pl in report["party_lists"]
        for i, c in enumerate(pl["candidates"], 1)
    ]
    assert [tuple(r.values()) for r in table(tmp_path, "lists")][:3] == [
        ("North", "B", "1", "b1"),
        ("North", "B", "2", "b2"),
        ("North", "SR", "1", "n1"),
    ]
    assert [tuple(r.values()) for r in table(tmp_path, "votes")] == [
        ("North", "SR", "600"),  # by district, most votes first
        ("North", "B", "300"),
        ("South", "B", "300"),
        ("South", "SR", "100"),
    ]
    assert table(tmp_path, "personal_votes") == []
    header = (tmp_path / "personal_votes.csv").read_text(encoding="utf-8")
    assert header == "district,candidate,votes\n"
    members = table(tmp_path, "members")
    assert [tuple(r.values()) for r in members] == [
        ("North", "B", "1", "b1", "B", ""),  # by district and list
        ("North", "SR", "1", "n1", "Right SR", ""),
        ("North", "SR", "2", "n2", "Left SR", ""),
        ("South", "B", "1", "c1", "B", ""),
        ("South", "B", "2", "c2", "B", ""),
    ]
    assert sorted(r["member"] for r in members) == sorted(
        m for by_party in report["members"].values() for ms in by_party.values() for m in ms
    )
    groups: dict[str, int] = {}
    for r in members:
        groups[r["group"]] = groups.get(r["group"], 0) + 1
    assert groups == report["seats_by_group"]


def test_open_lists_members_keep_their_list_positions(assemblies: str, tmp_path: Path) -> None:
    run(assemblies, "export", "assembly", OPEN_LISTS, "--out", str(tmp_path))
    report = open_service(assemblies).query(lambda org: assembly_report(org, OPEN_LISTS))
    # Sainte-Laguë on 500 and 260 for 3 seats: K 2, M 1; personal votes reorder the lists.
    assert [tuple(r.values()) for r in table(tmp_path, "members")] == [
        ("Centre", "K", "3", "k3", "K", ""),
        ("Centre", "K", "1", "k1", "K", ""),
        ("Centre", "M", "2", "m2", "M", ""),
    ]
    assert {r["candidate"]: int(r["votes"]) for r in table(tmp_path, "personal_votes")} == (
        report["personal_votes"]["Centre"]
    )


@pytest.mark.parametrize(
    ("kind", "name"),
    [("council", "Moscow Soviet"), ("congress", "Съезд X"), ("assembly", "Учредительное")],
)
def test_unknown_name_is_one_line_naming_it(
    petrograd: str, tmp_path: Path, kind: str, name: str
) -> None:
    result = runner.invoke(app, ["--db", petrograd, "export", kind, name, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: unknown {kind} {name!r}\n"
    assert not any(tmp_path.iterdir())


def test_bad_format_names_the_option(petrograd: str, tmp_path: Path) -> None:
    args = ["export", "council", COUNCIL, "--format", "xlsx", "--out", str(tmp_path)]
    result = runner.invoke(app, ["--db", petrograd, *args])
    assert result.exit_code == 2
    assert "--format" in result.stderr and "'xlsx'" in result.stderr


# --- ballots as BLT -------------------------------------------------------------------
RANKED = """3 2
4 1 2 0
3 2 1 0
2 3 1 0
0
"Ann"
"Bob"
"Cai"
"Branch"
"""


def test_ranked_elections_export_as_blt_that_counts_to_the_same_winners(tmp_path: Path) -> None:
    from soviet.count.io import parse_blt
    from soviet.count.methods import count

    db = str(tmp_path / "b.db")
    (tmp_path / "ballots.blt").write_text(RANKED, encoding="utf-8")
    steps = [
        ["init"],
        ["council", "create", "Union", "--seat-rule", '{"method": "per-unit", "per": 10}'],
        ["constituency", "create", "Branch", "--council", "Union", "--headcount", "20"],
        ["constituency", "create", "Depot", "--council", "Union", "--headcount", "10"],
        ["elect", "Depot", "Dan=5", "--date", "2026-11-01"],  # counts, not ballots
        ["elect", "Branch", "Ann@Left", "Bob@Right", "Cai@Left", "--ballots",
         str(tmp_path / "ballots.blt"), "--method", "stv-meek", "--date", "2026-11-01"],
    ]  # fmt: skip
    for args in steps:
        r = runner.invoke(app, ["--db", db, *args])
        assert r.exit_code == 0, (args, r.output)
    elected = json.loads(
        runner.invoke(app, ["--db", db, "council", "show", "Union", "--json"]).output
    )
    winners = sorted(d["name"] for u in elected["constituencies"] if u["name"] == "Branch"
                     for d in u["delegates"])  # fmt: skip
    out = tmp_path / "blt"
    r = runner.invoke(app, ["--db", db, "export", "council", "Union", "--format", "blt",
                            "--out", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["election-Branch-2026-11-01.blt"]
    ballots, seats = parse_blt(out / "election-Branch-2026-11-01.blt")
    original, _ = parse_blt(RANKED)
    assert seats == 2 and ballots.candidates == original.candidates
    assert ballots.rankings.tolist() == original.rankings.tolist()
    assert ballots.weights.tolist() == original.weights.tolist()
    assert ballots.title == "Branch, 2026-11-01 (stv-meek)"
    recount = count("stv-meek", ballots, seats=seats)
    assert sorted(recount.elected) == winners == ["Ann", "Bob"]


def test_blt_of_a_council_without_ranked_elections_exits_2(petrograd: str, tmp_path: Path) -> None:
    db = petrograd
    r = runner.invoke(app, ["--db", db, "export", "council", "Petrograd Soviet", "--format", "blt",
                            "--out", str(tmp_path / "x")])  # fmt: skip
    assert r.exit_code == 2
    assert "has no election counted from ranked ballots on record" in r.output
    r = runner.invoke(app, ["--db", db, "export", "congress", "X", "--format", "blt",
                            "--out", str(tmp_path / "x")])  # fmt: skip
    assert r.exit_code == 2 and "--format: expected csv or json, got 'blt'" in r.output
