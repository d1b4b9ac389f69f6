"""``soviet export ledger`` and ``import-ledger``: a published ledger that anyone can check
with the standalone verifier (Python's standard library only), and that imports back
into a new database with the very same hashes."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.cli.main import app
from soviet.adapters.ledger_file import read_jsonl
from soviet.adapters.scenario_file import load_scenario
from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import engine_for
from soviet.application.ledger import LedgerEntry, LedgerError
from soviet.application.scenario import run_scenario
from soviet.application.service import CouncilService
from soviet.standalone import verify_ledger

VERIFIER = Path(verify_ledger.__file__)


def _petrograd(url: str) -> CouncilService:
    service = open_service(url, initialise=True)
    run_scenario(service, load_scenario(scenario_path("petrograd")), "os:test")
    return service


def _export(db: str, out: Path) -> str:
    result = CliRunner().invoke(app, ["--db", db, "export", "ledger", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def _standalone(*args: str) -> subprocess.CompletedProcess[str]:
    """The verifier as a reader would run it: its own file, isolated (-I) and without
    site-packages (-S), so nothing but the standard library can be imported."""
    return subprocess.run(
        [sys.executable, "-I", "-S", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, CouncilService]:
    folder = tmp_path_factory.mktemp("published")
    db = str(folder / "soviet.db")
    service = _petrograd(f"sqlite:///{db}")
    _export(db, folder / "ledger.jsonl")
    return db, folder / "ledger.jsonl", service


def test_the_export_checks_with_nothing_but_the_standard_library(
    published: tuple[str, Path, CouncilService],
) -> None:
    _, ledger, service = published
    beside = ledger.parent / "verify_ledger.py"
    assert beside.read_text() == VERIFIER.read_text()
    seq, head = service.head()
    done = _standalone(str(beside), str(ledger))
    assert (done.returncode, done.stdout) == (0, f"intact: {seq} events, head {head}\n")
    done = _standalone(str(beside), str(ledger), "--head", f"{seq}:{head}")
    assert done.returncode == 0 and done.stdout.endswith(f"event {seq} is the published {head}\n")
    # A head published earlier checks the prefix it covers.
    fifth = next(e for e in service.history() if e.seq == 5)
    assert _standalone(str(beside), str(ledger), "--head", f"5:{fifth.hash}").returncode == 0


def test_the_verifier_imports_only_the_standard_library() -> None:
    tree = ast.parse(VERIFIER.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert imported - {"__future__"} <= sys.stdlib_module_names, imported


def _lines(ledger: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in ledger.read_text().splitlines()]


def _write(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
    return path


def _tampered_both_ways(
    published: tuple[str, Path, CouncilService], tmp_path: Path, sql: list[str]
) -> tuple[str | None, str]:
    """Tamper a copy of the database with ``sql``; what ``soviet verify`` says of it, and
    what the standalone verifier says of the ledger exported from it."""
    db, _, _ = published
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(db).read_bytes())
    with engine_for(f"sqlite:///{copy}").begin() as conn:
        for statement in sql:
            if statement.startswith("REPLACE "):
                seq = int(statement.split()[1])
                row = conn.execute(text(f"SELECT * FROM ledger WHERE seq = {seq}")).one()
                before = conn.execute(text(f"SELECT hash FROM ledger WHERE seq = {seq - 2}"))
                forged = LedgerEntry.make(
                    seq,
                    row.recorded_at,
                    row.actor,
                    row.type,
                    json.loads(row.payload),
                    before.scalar_one(),
                )
                conn.execute(
                    text("UPDATE ledger SET prev_hash = :p, hash = :h WHERE seq = :s"),
                    {"p": forged.prev_hash, "h": forged.hash, "s": seq},
                )
            else:
                conn.execute(text(statement))
    verdict = open_service(f"sqlite:///{copy}").verify()
    _export(str(copy), tmp_path / "out.jsonl")
    done = _standalone(str(VERIFIER), str(tmp_path / "out.jsonl"))
    assert done.returncode == 1, done.stdout
    return verdict.problem, done.stdout


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        (
            ["UPDATE ledger SET actor = 'os:forger' WHERE seq = 7"],
            "event 7 was altered",
        ),
        (["DELETE FROM ledger WHERE seq = 12"], "event 12 is missing (deleted?)"),
        (
            # Event 30 sealed anew after event 28, skipping 29: its own hash is right,
            # its link is not.
            ["REPLACE 30"],
            "event 30 does not link to event 29 (inserted or replaced?)",
        ),
    ],
)
def test_the_standalone_verifier_names_the_tampering_soviet_verify_names(
    published: tuple[str, Path, CouncilService],
    tmp_path: Path,
    sql: list[str],
    problem: str,
) -> None:
    ours, standalone = _tampered_both_ways(published, tmp_path, sql)
    assert ours == problem
    assert standalone.startswith(f"BROKEN at {problem}: ")


def test_a_rewritten_chain_is_caught_only_against_a_published_head(
    published: tuple[str, Path, CouncilService], tmp_path: Path
) -> None:
    """Every hash recomputed after a change: consistent with itself, so only a head
    published elsewhere shows it (as soviet verify --checkpoint does)."""
    _, ledger, service = published
    seq, head = service.head()
    entries = _lines(ledger)
    entries[2]["actor"] = "os:forger"
    prev = "0" * 64
    for e in entries:
        e["prev_hash"] = prev
        e["hash"] = prev = verify_ledger.entry_hash(e)
    forged = _write(tmp_path / "forged.jsonl", entries)
    assert _standalone(str(VERIFIER), str(forged)).returncode == 0
    done = _standalone(str(VERIFIER), str(forged), "--head", f"{seq}:{head}")
    assert done.returncode == 1
    assert done.stdout == f"BROKEN: event {seq} has hash {prev}, not the published {head}\n"


def test_the_verifier_names_a_line_that_is_not_an_entry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq": 1}\n')
    done = _standalone(str(VERIFIER), str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}:1: an entry has exactly seq, recorded_at")


def test_export_then_import_gives_the_identical_ledger(
    published: tuple[str, Path, CouncilService], database_url: str, tmp_path: Path
) -> None:
    """The round trip on both back ends: the same entries, byte for byte, the same head,
    and live tables that soviet verify proves equal to the events."""
    _, ledger, service = published
    imported = open_service(database_url, initialise=True)
    assert imported.import_ledger(read_jsonl(ledger)) == service.last_seq()
    assert imported.head() == service.head()
    assert list(imported.history()) == list(service.history())
    report = imported.verify()
    assert report.ok
    again = tmp_path / "again.jsonl"
    result = CliRunner().invoke(app, ["--db", database_url, "export", "ledger"])
    assert result.exit_code == 0
    again.write_text(result.stdout)
    assert again.read_bytes() == ledger.read_bytes()


def test_import_refuses_a_ledger_that_does_not_hold_and_writes_nothing(
    published: tuple[str, Path, CouncilService], tmp_path: Path
) -> None:
    _, ledger, _ = published
    entries = _lines(ledger)
    entries[9]["payload"] = {**entries[9]["payload"], "date": "1917-01-01"}  # type: ignore[dict-item]
    bad = _write(tmp_path / "bad.jsonl", entries)
    target = open_service(f"sqlite:///{tmp_path / 'new.db'}", initialise=True)
    with pytest.raises(LedgerError, match="event 10 was altered"):
        target.import_ledger(read_jsonl(bad))
    assert target.last_seq() == 0
    db = str(tmp_path / "new.db")
    result = CliRunner().invoke(app, ["--db", db, "import-ledger", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().endswith("event 10 was altered (its hash is not its own)")


def test_import_refuses_a_database_that_already_holds_events(
    published: tuple[str, Path, CouncilService],
) -> None:
    db, ledger, service = published
    result = CliRunner().invoke(app, ["--db", db, "import-ledger", str(ledger)])
    assert result.exit_code == 2
    held = service.last_seq()
    assert f"the ledger already holds {held} events: import into a new one" in result.output


def test_import_names_a_malformed_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"seq": 1}\nnot json\n')
    with pytest.raises(LedgerError, match=r"bad.jsonl:1: an entry has exactly the fields"):
        list(read_jsonl(bad))
    entry = LedgerEntry.make(1, "2026-01-01T00:00:00+00:00", "os:a", "X", {"n": 1}, "0" * 64)
    bad.write_text(json.dumps({**entry.data(), "seq": True}) + "\n")
    with pytest.raises(LedgerError, match=r"bad.jsonl:1: seq must be a whole number"):
        list(read_jsonl(bad))
