"""Start-up stays light (issue 9): structural checks, no timing assertions."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.count import names
from soviet.count.apportion import DIVISOR_METHODS, QUOTAS
from soviet.count.methods import METHODS
from soviet.count.ties import DEFAULT_SEED, Lot

HEAVY = {
    "sqlalchemy", "alembic", "numpy", "rich", "jsonschema", "yaml", "cryptography", "pydantic",
    "matplotlib", "fpdf",
}  # fmt: skip


def _imported_after(code: str) -> list[str]:
    """The heavy top-level packages loaded by ``code`` in a fresh interpreter."""
    probe = (
        f"import json, sys\n{code}\n"
        f"heavy = set({sorted(HEAVY)!r})\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_cli_pulls_no_heavy_module() -> None:
    assert _imported_after("import soviet.adapters.cli.main") == []


def test_help_pulls_no_storage_or_engine() -> None:
    """``soviet --help`` and a sub-command's help import no storage, alembic, counting
    engine, scenario format or rich (help is plain). Below the top level typer coerces
    the global options' values with pydantic."""
    for args in (["--help"], ["council", "--help"], ["verify", "--help"]):
        loaded = _imported_after(
            "from soviet.adapters.cli.main import app\n"
            "from typer.testing import CliRunner\n"
            f"assert CliRunner().invoke(app, {args!r}).exit_code == 0"
        )
        allowed = [] if args == ["--help"] else ["pydantic"]
        assert [m for m in loaded if m not in allowed] == [], args


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    section = result.stdout.split("\nCommands:\n", 1)[1]  # plain help: "  name  help"
    listed = {line.split()[0] for line in section.splitlines() if line.startswith("  ")}
    commands = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert None not in commands
    assert commands <= listed, commands - listed
    # The commands the other sub-command modules register, by name.
    assert {
        "init",
        "verify",
        "checkpoint",
        "council",
        "congress",
        "decrees",
        "demo",
        "apportion",
        "indices",
        "count",
    } <= listed


def test_names_without_numpy_match_the_engine() -> None:
    """The CLI's help shows names from ``soviet.count.names``; the engine agrees."""
    assert tuple(METHODS) == names.COUNT_METHODS
    assert DIVISOR_METHODS == names.DIVISOR_METHODS
    assert QUOTAS == names.QUOTAS
    assert Lot().seed == DEFAULT_SEED == names.DEFAULT_SEED
    assert _imported_after("import soviet.count.names") == []


def test_errors_named_by_the_cli_exist() -> None:
    """The classes ``guard()`` names without importing are real exception classes, and
    ``is_instance`` recognises them once their module is loaded."""
    import importlib

    from soviet.adapters.cli.common import is_instance
    from soviet.adapters.cli.council_commands import _USER_ERRORS

    for spec in _USER_ERRORS:
        module, _, name = spec.partition(":")
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, Exception), spec
        raised = cls.__new__(cls)  # an instance, whatever its constructor takes
        assert is_instance(raised, *_USER_ERRORS), spec
    assert not is_instance(ValueError("x"), *_USER_ERRORS)
    assert not is_instance(ValueError("x"), "soviet.no_such_module:Error")


def _small_ledger(db: str) -> None:
    """A ledger of 3 events: three councils created."""
    from cli_run import ok

    ok(db, "init")
    for name in ("Petrograd", "Moscow", "Kiev"):
        ok(db, "council", "create", name, "--seat-rule", '{"method": "dhondt", "seats": 40}')


def _run_soviet(*args: str) -> str:
    """``soviet ARGS`` as the console script runs it, then the heavy packages loaded."""
    return (
        "from soviet.adapters.cli.main import run\n"
        f"sys.argv = ['soviet', *{list(args)!r}]\n"
        "try:\n    run()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
    )


def test_verify_on_sqlite_reads_plain_rows(tmp_path: Path) -> None:
    """``soviet verify`` on a small SQLite ledger (chain and state proof) imports no
    SQLAlchemy (the stdlib sqlite3 reader), no pydantic (typer converts nothing), no rich
    (nothing to show in red); a broken state still prints through rich."""
    db = str(tmp_path / "small.db")
    _small_ledger(db)
    for args in (["verify"], ["verify", "--chain-only"], ["verify", "--json"]):
        assert _imported_after(_run_soviet("--db", db, *args)) == [], args
    # 'checkpoint' verifies the same way (and prints its statement with rich).
    assert _imported_after(_run_soviet("--db", db, "checkpoint")) == ["rich"]
    # The same path reads a URL of the file; a tampered live row is still caught.
    url = f"sqlite:///{db}"
    assert _imported_after(_run_soviet("--db", url, "verify")) == []
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE councils SET description = 'edited' WHERE name = 'Kiev'")
    probe = _run_soviet("--db", db, "verify").replace("exc.code == 0", "exc.code == 1")
    assert _imported_after(probe) == ["rich"]


def test_commands_that_write_still_load_sqlalchemy(tmp_path: Path) -> None:
    """The light path is for reading: a command that records an event opens its
    transaction through SQLAlchemy, as before."""
    db = str(tmp_path / "small.db")
    _small_ledger(db)
    seats = '{"method": "dhondt", "seats": 4}'
    loaded = _imported_after(
        _run_soviet("--db", db, "council", "create", "Tsaritsyn", "--seat-rule", seats)
    )
    assert "sqlalchemy" in loaded


def test_a_missing_database_is_one_line_in_a_fresh_process(tmp_path: Path) -> None:
    """In a fresh interpreter (where only the modules the command needs are loaded) a
    missing --db is the one-line user error and exit 2, not an internal error: the
    error class is looked up where it is defined (storage.base), which an in-process
    test, with every storage module already imported, could not tell."""
    missing = tmp_path / "nope.db"
    soviet = [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]
    for args in (["council", "list"], ["import", str(tmp_path / "x.yaml")]):
        done = subprocess.run(
            [*soviet, "--db", str(missing), *args],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert "internal error" not in done.stderr
    done = subprocess.run(
        [*soviet, "--db", str(missing), "council", "list"],
        capture_output=True,
        text=True,
    )
    assert done.stderr == f"error: --db: no database at {missing} (run soviet init)\n"
