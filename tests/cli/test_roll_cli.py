"""The member register from the command line: `soviet roll import` and `soviet roll export`.

A union keeps its members in a CSV file (member id, name, constituency, e-mail); importing
it records only what differs from the rolls, importing it again records nothing, and the
export reads back as the same register. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cli_run import events, invoke, ok, ok_json
from rich.console import Console
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from soviet.adapters.cli import roll_commands
from soviet.adapters.storage.sql import database_url

runner = CliRunner()
UNION = "Transport Union"
HEADER = "member_id,name,constituency,email\n"


def refused(db: str, *args: str) -> list[str]:
    """Exit 2, nothing written; the lines on stderr."""
    before = events(db)
    code, _, err = invoke(db, *args)
    assert code == 2, (args, err)
    lines = err.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), err
    assert events(db) == before
    return lines


def write(tmp_path: Path, name: str, body: str, header: str = HEADER) -> str:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return str(path)


def exported(db: str, *args: str) -> list[list[str]]:
    out = ok(db, "roll", "export", *args)
    lines = out.splitlines()
    assert lines[0] == "member_id,name,constituency"
    return [line.split(",") for line in lines[1:]]


def headcounts(db: str) -> dict[str, int]:
    rows = ok_json(db, "constituency", "list")["constituencies"]
    return {r["name"]: r["headcount"] for r in rows}


def verified(db: str) -> None:
    report = ok_json(db, "verify")
    assert report["ok"] and report["state"]["ok"], report


@pytest.fixture
def db(database_url: str) -> str:
    ok(database_url, "init")
    ok(database_url, "council", "create", UNION, "--seat-rule", '{"method": "per-unit", "per": 2}')
    ok(database_url, "constituency", "create", "Depot", "--council", UNION, "--elector", "ana")
    ok(database_url, "constituency", "create", "Yard", "--council", UNION, "--elector", "zed")
    ok(database_url, "constituency", "create", "Mill", "--council", UNION, "--headcount", "50")
    return database_url


DEPOT = (
    "m1,Ana Petrova,Depot,ana@example.org\n"
    "m2,Boris Ivanov,Depot,\n"
    "m3,Clara Zetkin,Depot,clara@example.org\n"
)


def test_import_records_the_differences_and_a_reimport_nothing(db: str, tmp_path: Path) -> None:
    path = write(tmp_path, "depot.csv", DEPOT)
    before = events(db)
    counts = ok_json(db, "roll", "import", "Depot", path, "--date", "2026-03-01")
    # 'ana', enrolled by name and absent from the register, is struck off Depot.
    assert counts == {
        "added": 3,
        "moved": 0,
        "removed": 1,
        "renamed": 0,
        "unchanged": 0,
        "event": before + 1,
    }
    assert exported(db, "Depot") == [
        ["m1", "Ana Petrova", "Depot"],
        ["m2", "Boris Ivanov", "Depot"],
        ["m3", "Clara Zetkin", "Depot"],
    ]
    assert headcounts(db) == {"Depot": 3, "Yard": 1, "Mill": 50}
    (event,) = ok_json(db, "history", "--type", "RollImported")["events"]
    assert event["seq"] == before + 1
    assert event["payload"] == {
        "constituency": "Depot",
        "added": [
            {"member": "m1", "name": "Ana Petrova", "constituency": "Depot"},
            {"member": "m2", "name": "Boris Ivanov", "constituency": "Depot"},
            {"member": "m3", "name": "Clara Zetkin", "constituency": "Depot"},
        ],
        "moved": [],
        "renamed": [],
        "removed": [{"member": "ana", "constituency": "Depot"}],
        "date": "2026-03-01",
    }
    table = ok(db, "history", "--type", "RollImported")
    sentence = " ".join(
        cell.strip()
        for line in table.splitlines()
        if line.startswith("│")
        for cell in line.split("│")[3:4]
    )
    assert " ".join(sentence.split()) == (
        "Imported the roll of Depot: 3 members added and 1 member removed"
    )
    verified(db)

    # The same file again: nothing to record, and that is not an error.
    assert ok(db, "roll", "import", "Depot", path).strip() == (
        "nothing changed: the roll of Depot already holds these 3 members"
    )
    again = ok_json(db, "roll", "import", "Depot", path)
    assert again == {
        "added": 0,
        "moved": 0,
        "removed": 0,
        "renamed": 0,
        "unchanged": 3,
        "event": None,
    }
    assert events(db) == before + 1
    # The summary table, without --json.
    changed = write(tmp_path, "d2.csv", DEPOT + "m4,Dmitri,Depot,\n")
    out = ok(db, "roll", "import", "Depot", changed)
    assert f"Register imported into the roll of Depot (event {before + 2})" in out
    assert "added" in out and "unchanged" in out
    verified(db)


def test_e_mail_addresses_never_reach_the_ledger_or_the_tables(db: str, tmp_path: Path) -> None:
    ok(db, "roll", "import", "Depot", write(tmp_path, "depot.csv", DEPOT))
    url = database_url(db)
    engine = create_engine(url)
    with engine.connect() as conn:
        payloads = conn.execute(text("SELECT payload FROM ledger")).scalars().all()
        names = conn.execute(text("SELECT elector, name FROM member_names ORDER BY 1")).all()
    engine.dispose()
    assert not any("example.org" in p for p in payloads)
    assert [tuple(r) for r in names] == [
        ("m1", "Ana Petrova"),
        ("m2", "Boris Ivanov"),
        ("m3", "Clara Zetkin"),
    ]


def test_moves_renames_and_removals(db: str, tmp_path: Path) -> None:
    ok(db, "roll", "import", "--all", write(tmp_path, "all.csv", DEPOT + "zed,Zed,Yard,\n"))
    assert headcounts(db) == {"Depot": 3, "Yard": 1, "Mill": 50}
    # Boris moves to the Yard, Ana marries, Clara leaves, Dmitri joins; Zed is unchanged.
    changed = write(
        tmp_path,
        "changed.csv",
        "m1,Ana Ivanova,Depot,ana@example.org\n"
        "m2,Boris Ivanov,Yard,\n"
        "m4,Dmitri,Yard,\n"
        "zed,Zed,Yard,\n",
    )
    counts = ok_json(db, "roll", "import", "--all", changed)
    assert counts == {
        "added": 1,
        "moved": 1,
        "removed": 1,
        "renamed": 1,
        "unchanged": 1,
        "event": counts["event"],
    }
    (_, event) = ok_json(db, "history", "--type", "RollImported")["events"]
    payload = event["payload"]
    assert payload["constituency"] is None
    assert payload["moved"] == [{"member": "m2", "from": "Depot", "to": "Yard"}]
    assert payload["renamed"] == [{"member": "m1", "name": "Ana Ivanova"}]
    assert payload["removed"] == [{"member": "m3", "constituency": "Depot"}]
    assert exported(db) == [
        ["m1", "Ana Ivanova", "Depot"],
        ["m2", "Boris Ivanov", "Yard"],
        ["m4", "Dmitri", "Yard"],
        ["zed", "Zed", "Yard"],
    ]
    assert headcounts(db) == {"Depot": 1, "Yard": 3, "Mill": 50}
    verified(db)
    # The member id is the elector: the renamed member is moved by id, and keeps the name.
    ok(db, "elector", "move", "m1", "--to", "Yard")
    assert ["m1", "Ana Ivanova", "Yard"] in exported(db, "Yard")
    # A roll imported alone may take a member in from another roll (a move), and strikes
    # off its own members that the file leaves out.
    yard = write(tmp_path, "yard.csv", "m1,Ana Ivanova,Yard,\nm3,Clara Zetkin,Yard,\n")
    counts = ok_json(db, "roll", "import", "Yard", yard)
    assert (counts["added"], counts["removed"]) == (1, 3)  # m3 back; m2, m4, zed gone
    ok(db, "elector", "add", "Depot", "m2")  # enrolled by name again: no member name
    assert exported(db, "Depot") == [["m2", "m2", "Depot"]]
    ok(db, "elector", "remove", "m1")  # its name goes with it
    assert exported(db) == [["m2", "m2", "Depot"], ["m3", "Clara Zetkin", "Yard"]]
    verified(db)


def test_export_round_trips(db: str, tmp_path: Path) -> None:
    ok(db, "roll", "import", "Depot", write(tmp_path, "depot.csv", DEPOT))
    target = tmp_path / "export.csv"
    out = ok(db, "roll", "export", "--output", str(target))
    assert out.strip() == f"4 members written to {target}"
    assert target.read_text(encoding="utf-8").splitlines() == [
        "member_id,name,constituency",
        "m1,Ana Petrova,Depot",
        "m2,Boris Ivanov,Depot",
        "m3,Clara Zetkin,Depot",
        "zed,zed,Yard",  # enrolled by name: known by their key
    ]
    before = events(db)
    assert ok_json(db, "roll", "import", "--all", str(target))["event"] is None
    depot = tmp_path / "depot-export.csv"
    ok(db, "roll", "export", "Depot", "-o", str(depot))
    assert ok_json(db, "roll", "import", "Depot", str(depot))["unchanged"] == 3
    assert events(db) == before
    # Commas and quotes survive the trip.
    quoted = write(tmp_path, "q.csv", 'm9,"Ivanov, ""Vanya""",Yard,\n', HEADER)
    ok(db, "roll", "import", "Yard", quoted)
    ok(db, "roll", "export", "Yard", "-o", str(depot))
    assert depot.read_text(encoding="utf-8").splitlines()[1] == 'm9,"Ivanov, ""Vanya""",Yard'
    assert ok_json(db, "roll", "import", "Yard", str(depot))["event"] is None
    assert refused(db, "roll", "export", "Mill") == [
        "error: CONSTITUENCY: constituency 'Mill' has a numbered roll (a headcount, no "
        "names): set its headcount with `soviet elector headcount` instead"
    ]
    assert refused(db, "roll", "export", "Nowhere") == [
        "error: CONSTITUENCY: unknown constituency 'Nowhere'"
    ]


def test_bad_rows_are_reported_one_line_each(db: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "m1,Ana,Depot,ana@example.org\n"  # 2: fine
        ",Nobody,Depot,\n"  # 3
        "m#2,Boris,Depot,\n"  # 4
        "m1,Ana again,Depot,\n"  # 5
        "m5,,Depot,\n"  # 6
        "m6,Fedor,Yard,\n"  # 7
        "m7,Galina,Depot,not-an-address\n"  # 8
        "m8,Hanna,Depot\n"  # 9
        f"m9,{'x' * 201},Depot,\n",  # 10
    )
    assert refused(db, "roll", "import", "Depot", path) == [
        f"error: {path}:3: column 'member_id': bad value '' (empty)",
        f"error: {path}:4: column 'member_id': bad value 'm#2' "
        "('#' marks a number on a numbered roll)",
        f"error: {path}:5: column 'member_id': bad value 'm1' (duplicate of line 2)",
        f"error: {path}:6: column 'name': bad value '' (empty)",
        f"error: {path}:7: column 'constituency': bad value 'Yard' "
        "(outside the roll imported, 'Depot')",
        f"error: {path}:8: column 'email': bad value 'not-an-address' (not an e-mail address)",
        f"error: {path}:9: expected 4 columns (member_id,name,constituency,email), got 3",
        f"error: {path}:10: column 'name': bad value '{'x' * 57}...' (longer than 200 characters)",
    ]
    assert exported(db, "Depot") == [["ana", "ana", "Depot"]]


def test_rows_the_rolls_refuse_name_their_line(db: str, tmp_path: Path) -> None:
    unknown = write(tmp_path, "u.csv", "m1,Ana,Depot,\nm2,Boris,Mars,\n")
    assert refused(db, "roll", "import", "--all", unknown) == [
        f"error: {unknown}:3: column 'constituency': bad value 'Mars' (unknown constituency 'Mars')"
    ]
    numbered = write(tmp_path, "n.csv", "m1,Ana,Depot,\nm2,Boris,Mill,\n")
    assert refused(db, "roll", "import", "--all", numbered) == [
        f"error: {numbered}:3: column 'constituency': bad value 'Mill' (constituency 'Mill' "
        "has a numbered roll (a headcount, no names): set its headcount with "
        "`soviet elector headcount` instead)"
    ]
    mill = write(tmp_path, "m.csv", "m2,Boris,Mill,\n")
    assert refused(db, "roll", "import", "Mill", mill) == [
        "error: CONSTITUENCY: constituency 'Mill' has a numbered roll (a headcount, no "
        "names): set its headcount with `soviet elector headcount` instead"
    ]
    mars = write(tmp_path, "mars.csv", "m2,Boris,Mars,\n")
    assert refused(db, "roll", "import", "Mars", mars) == [
        "error: CONSTITUENCY: unknown constituency 'Mars'"
    ]


def test_bad_files_and_arguments(db: str, tmp_path: Path) -> None:
    header = write(tmp_path, "h.csv", "m1,Ana,Depot\n", "id,name,constituency\n")
    assert refused(db, "roll", "import", "Depot", header) == [
        f"error: {header}:1: header: expected member_id,name,constituency[,email], "
        "got 'id,name,constituency'"
    ]
    empty = write(tmp_path, "e.csv", "", "")
    assert refused(db, "roll", "import", "Depot", empty) == [
        f"error: {empty}:1: empty file: expected the header member_id,name,constituency[,email]"
    ]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"member_id,name,constituency\nm1,Jos\xe9,Depot\n")
    assert refused(db, "roll", "import", "Depot", str(latin)) == [
        f"error: {latin}:2: not UTF-8 text (byte 0xe9)"
    ]
    missing = str(tmp_path / "missing.csv")
    (line,) = refused(db, "roll", "import", "Depot", missing)
    assert line.startswith(f"error: FILE: cannot read '{missing}'")
    assert refused(db, "roll", "import", "Depot") == [
        "error: FILE: missing (CONSTITUENCY FILE, or --all FILE)"
    ]
    assert refused(db, "roll", "import", "Depot", header, "--all") == [
        "error: give --all FILE or CONSTITUENCY FILE, not both a constituency and --all"
    ]
    # Without the optional e-mail column, with a byte-order mark and blank lines.
    plain = tmp_path / "plain.csv"
    plain.write_text("\ufeffmember_id,name,constituency\n\nm1, Ana ,Depot\n", encoding="utf-8")
    assert ok_json(db, "roll", "import", "Depot", str(plain))["added"] == 1
    assert exported(db, "Depot") == [["m1", "Ana", "Depot"]]


def test_many_bad_rows_are_cut_short(db: str, tmp_path: Path) -> None:
    body = "".join(f"m{i},,Depot,\n" for i in range(roll_commands.MAX_REPORTED + 5))
    lines = refused(db, "roll", "import", "Depot", write(tmp_path, "many.csv", body))
    assert len(lines) == roll_commands.MAX_REPORTED + 1
    assert lines[-1].endswith("many.csv: 5 more bad rows not shown")


def test_a_large_file_shows_progress_on_a_terminal(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = roll_commands.PROGRESS_FROM + 1
    body = "".join(f"m{i:05d},Member {i},Depot,\n" for i in range(rows))
    path = write(tmp_path, "big.csv", body)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(roll_commands, "err_console", terminal)
    counts = ok_json(db, "roll", "import", "Depot", path)
    assert (counts["added"], counts["removed"]) == (rows, 1)
    assert "reading big.csv" in screen.getvalue()
    assert headcounts(db)["Depot"] == rows
    verified(db)
    # Not on a terminal: no progress display at all.
    monkeypatch.setattr(roll_commands, "err_console", Console(file=io.StringIO()))
    code, _, err = invoke(db, "roll", "import", "Depot", path)
    assert code == 0 and err == ""


def test_a_device_or_folder_is_refused_before_reading(db: str, tmp_path: Path) -> None:
    cases = (
        ("/dev/zero", "not a regular file"),
        (str(tmp_path), "is a directory"),
        ("a\x00b", "embedded null byte"),  # no file can have that name
    )
    for path, why in cases:
        assert refused(db, "roll", "import", "--all", path) == [
            f"error: FILE: cannot read {path!r}: {why}"
        ]
