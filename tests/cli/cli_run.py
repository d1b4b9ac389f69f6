"""Running soviet's command line in-process on one database, for the CLI tests."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    """``soviet --db DB ARGS...``: exit code, stdout, stderr."""
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(db: str, *args: str) -> str:
    """The output of a command that must succeed."""
    code, out, err = invoke(db, *args)
    assert code == 0, f"{args}: {err}"
    return out


def ok_json(db: str, *args: str) -> Any:
    """The ``--json`` output of a command that must succeed."""
    return json.loads(ok(db, *args, "--json"))


def events(db: str) -> int:
    """How many events the ledger holds."""
    return len(ok_json(db, "history")["events"])
