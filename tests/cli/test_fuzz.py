"""Fuzzing the command line: Hypothesis builds invocations from the real Typer app.

The click command tree is walked for every command with its arguments and options; each
case picks a command, fills its parameters (and sometimes adds a stray token) with values
from a mix of valid names, huge integers, non-ASCII digits, NULs, long strings and paths
to odd files, and runs it in-process against a copy of a small prepared SQLite database.

A case fails on any exception other than a clean exit, on a traceback or the CLI's
last-resort "internal error" line, on a failed command that did not end with exactly one
``error:`` line, on a ledger that grew under a command that failed, and on a command
that takes longer than ``HANG_SECONDS`` (the fuzz run of issue 9 found four hangs).

``SOVIET_FUZZ_EXAMPLES`` sets the number of cases (default 300, well under a minute);
``pytest -m fuzz tests/cli/test_fuzz.py`` runs the long variant (``SOVIET_FUZZ_LONG``,
default 5,000).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage.sql import database_url, engine_for

runner = CliRunner()
EXAMPLES = int(os.environ.get("SOVIET_FUZZ_EXAMPLES", "300"))
LONG_EXAMPLES = int(os.environ.get("SOVIET_FUZZ_LONG", "5000"))
HANG_SECONDS = 10.0
# ``demo`` replays a whole 1917 scenario into its own database (seconds per case);
# ``--help`` of every command is exercised by the docs tests. Neither is bad input.
# ``serve`` with good values serves until stopped (its bad input: tests/http).
SKIPPED = {("demo",), ("demo", "second-congress"), ("serve",)}

COUNCIL = "Tenants Federation"
CONGRESS = "Assembly"
RULE = '{"method": "per-unit", "per": 50}'


# --- the command tree -------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    """One argument or option of a command, as the fuzzer sees it."""

    name: str
    opt: str | None  # None: a positional argument
    kind: str  # "int", "path", "flag" or "str"
    required: bool
    many: bool  # nargs=-1 or multiple=True


@dataclass(frozen=True)
class Leaf:
    """A command that can be run: each level of its path (``congress``, ``vote``, ``open``)
    with the parameters taken at that level (``congress vote NAME open MOTION``)."""

    levels: tuple[tuple[str, tuple[Param, ...]], ...]

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.levels)


def _kind(param: Any) -> str:
    if getattr(param, "is_flag", False):
        return "flag"
    annotation = str(param.type_descriptor.annotation)
    if "int" in annotation:
        return "int"
    if "Path" in annotation:
        return "path"
    return "str"


def _param(param: Any) -> Param:
    is_option = param.param_type_name == "option"
    opt = max(param.opts, key=len) if is_option else None
    many = bool(param.multiple) or param.nargs == -1
    return Param(param.name, opt, _kind(param), bool(param.required), many)


def _own_params(command: Any) -> tuple[Param, ...]:
    return tuple(_param(p) for p in command.params if p.name != "help")


def _leaves(command: Any, levels: tuple[tuple[str, tuple[Param, ...]], ...] = ()) -> Iterator[Leaf]:
    subs = getattr(command, "commands", None)
    runnable = subs is None or getattr(command, "invoke_without_command", False)
    if runnable and levels and Leaf(levels).path not in SKIPPED:
        yield Leaf(levels)
    for name, sub in sorted((subs or {}).items()):
        yield from _leaves(sub, (*levels, (name, _own_params(sub))))


LEAVES = tuple(_leaves(typer.main.get_command(app)))


def test_the_tree_walk_finds_the_commands() -> None:
    paths = {leaf.path for leaf in LEAVES}
    assert {("init",), ("import",), ("count",), ("elect",), ("verify",)} <= paths
    assert ("congress", "vote", "close") in paths and ("checkpoint",) in paths
    assert len(LEAVES) > 60


# --- the files and the database ---------------------------------------------------------
@dataclass(frozen=True)
class Fixtures:
    """The prepared database and the odd files the values point at."""

    root: Path
    db: Path
    paths: tuple[str, ...]


def _prepare(root: Path) -> Fixtures:
    db = root / "prepared.db"
    url = str(db)
    for args in (
        ["init"],
        ["council", "create", COUNCIL, "--seat-rule", RULE, "--may-convene", CONGRESS],
        ["constituency", "create", "Oak House", "--council", COUNCIL, "--headcount", "120"],
        ["constituency", "create", "Elm House", "--council", COUNCIL, "--elector", "ana",
         "--elector", "bo"],
        ["elect", "Oak House", "Ann@L=30", "Bo@M=20", "--method", "block", "--date",
         "2026-01-01"],
        ["recall", "open", "Oak House", "--seat", "1", "--by", "Oak House#1", "--date",
         "2026-01-02"],
        ["congress", "convene", CONGRESS, "--by", COUNCIL, "--opens", "2026-02-01",
         "--quorum", "1/2", "--sender", f"{COUNCIL}=2", "--date", "2026-01-01"],
        ["congress", "credentials", CONGRESS, "present", "--delegate", "Ann", "--sent-by",
         COUNCIL, "--elected", "2026-01-01", "--date", "2026-01-03", "--group", "L"],
        ["congress", "credentials", CONGRESS, "accept", "1", "--date", "2026-01-04"],
        ["congress", "open", CONGRESS, "--date", "2026-02-01"],
        ["congress", "register", CONGRESS, "1", "--date", "2026-02-01"],
        ["congress", "motion", CONGRESS, "--title", "T", "--text", "X", "--mover", "1",
         "--date", "2026-02-01"],
        ["congress", "vote", CONGRESS, "open", "1", "--date", "2026-02-01"],
    ):  # fmt: skip
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, (args, result.stderr)
    engine_for(database_url(url)).dispose()
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    files = root / "files"
    files.mkdir()
    (files / "good.blt").write_text('3 1\n4 1 2 0\n3 2 0\n2 3 1 0\n0\n"Ann"\n"Bo"\n"Cy"\n"t"\n')
    (files / "grid.csv").write_text("Ann,Bob,Cy\n1,2,\n2,x,1\n")
    (files / "binary.yaml").write_bytes(b"\xff\xfe\x00\x01\x80binary")
    (files / "latin1.yaml").write_bytes(b"scenario: Jos\xe9\n")
    levels = zip("abcdefg", "bcdefgh", strict=True)
    (files / "bomb.yaml").write_text(
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in levels)
    )
    (files / "scenario.yaml").write_text("scenario: tiny\ncouncils: []\n")
    (files / "checkpoints.json").write_text('[{"format": "soviet-checkpoint/1"}]\n')
    (files / "notdb.db").write_text("not a database\n")
    with (files / "sparse.blt").open("wb") as fh:
        fh.truncate(65 * 2**20)  # above the 64 MiB cap, without writing it
    paths = (
        *(str(p) for p in sorted(files.iterdir())),
        str(files),
        str(files / "missing.yaml"),
        str(root / "no-folder" / "x"),
        "/dev/zero",
        "/dev/null",
        "-",
    )
    return Fixtures(root, db, paths)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixtures]:
    # typer.testing rebuilds the click command tree on every invoke (a fifth of a
    # second): build it once for the module, so a case costs what the command costs.
    cli = typer.main.get_command(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", lambda _app: cli)
        yield _prepare(tmp_path_factory.mktemp("fuzz"))


def _ledger_rows(db: Path) -> int | None:
    """Entries in the ledger of the SQLite file, None when it holds no ledger."""
    if not db.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM ledger").fetchone()[0])
    except sqlite3.Error:
        return None


# --- values -----------------------------------------------------------------------------
NAMES = [COUNCIL, CONGRESS, "Oak House", "Elm House", "Oak House#1", "ana", "Ann", "1"]
HUGE = [str(2**63), str(2**64), "9" * 40, "-1", "-" + str(2**63 + 1), "0", "1e9", "1_000"]
DIGITS = ["²", "٣", "１２", "1-²", "A@L=²", "A=٣", "٢٠٢٦-01-01", "Oak House#²", "²/³"]
NASTY = ["a\x00b", "\x00", "tab\there", "new\nline", "", " ", "\u202e", "'", '"', "{", "[]"]
LONG = ["x" * 201, "é" * 5_000, "y" * 100_000]
# Values a parameter would accept, by a word in its name: a case gets past the first
# checks of a command and reaches the parsing and the rules behind them.
VALID_BY_NAME: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("date", ("2026-01-01", "1917-03-01")),
    ("opens", ("2026-02-01",)),
    ("elected", ("2026-01-01",)),
    ("on", ("2026-01-01",)),
    ("calendar", ("gregorian", "julian")),
    ("seat_rule", (RULE,)),
    ("rule", (RULE,)),
    ("candidate", ("Ann@L=3", "Bo@M=2", "Cy=1")),
    ("replacement", ("Cy@L",)),
    ("numbers", ("1-3", "2")),
    ("elector", ("Oak House#2", "ana", "bo")),
    ("by", ("Oak House#3", COUNCIL)),
    ("constituency", ("Oak House", "Elm House")),
    ("council", (COUNCIL,)),
    ("congress", (CONGRESS,)),
    ("name", (CONGRESS, COUNCIL, "Oak House")),
    ("delegate", ("Ann", "Bo")),
    ("sent_by", (COUNCIL,)),
    ("group", ("L", "M")),
    ("choice", ("for", "against", "abstain")),
    ("stage", ("final", "amendment")),
    ("mode", ("show-of-hands", "roll-call", "secret")),
    ("majority", ("simple", "2/3")),
    ("sender", (f"{COUNCIL}=2",)),
    ("weights", ("A=10", "B=5")),
    ("parties", ("A=10:2", "B=5:1")),
    ("method", ("dhondt", "block", "irv", "plurality", "stv-scottish")),
    ("quorum", ("1/2", "3")),
    ("threshold", ("1/3",)),
    ("format", ("blt", "csv")),
    ("checkpoint", ("1:" + "0" * 64,)),
)


def _valid(param: Param, fixtures: Fixtures) -> list[str]:
    if param.kind == "int":
        return ["1", "2", "3", "0"]
    if param.kind == "path":
        return [p for p in fixtures.paths if p.endswith((".blt", ".csv", ".yaml", ".json"))]
    for word, values in VALID_BY_NAME:
        if word in param.name:
            return list(values)
    return NAMES


def _spoilt(value: str) -> list[str]:
    """A valid value made bad in the ways the fuzz run of issue 9 found."""
    return [
        value + "²",
        "".join("٣" if c.isdigit() else c for c in value),
        "".join(str(2**64) if c.isdigit() else c for c in value) or str(2**64),
        value + "\x00",
        value[:1] + "\x00" + value[1:],
        (value or "x") * (201 // max(len(value), 1) + 1),
        value + "x" * 100_000,
        value.replace("-", "-²"),
        "",
    ]


def _values(fixtures: Fixtures, param: Param) -> st.SearchStrategy[str]:
    valid = _valid(param, fixtures)
    bad: list[st.SearchStrategy[str]] = [
        st.sampled_from(valid).flatmap(lambda v: st.sampled_from(_spoilt(v))),
        st.sampled_from(HUGE + DIGITS + NASTY + LONG),
        st.sampled_from(fixtures.paths),
        st.text(max_size=30),
    ]
    if param.kind == "int":
        bad.insert(0, st.integers(min_value=-(2**70), max_value=2**70).map(str))
    return st.one_of(st.sampled_from(valid), st.one_of(*bad))


STRAY = Param("stray", None, "str", False, False)


def _odd_databases(fixtures: Fixtures) -> list[str]:
    """``--db`` values that cannot be used (one case in ten gets one instead of its copy)."""
    files = fixtures.root / "files"
    return [
        str(files),
        str(files / "notdb.db"),
        str(fixtures.root / "no-folder" / "x.db"),
        "nosuch://",
        "mysql://user:secret@db.example/soviet",
        "postgresql+psycopg://x@127.0.0.1:1/db",
        "sqlite:///" + str(fixtures.root / "no-folder" / "x.db"),
        "a\x00b.db",
        "d" * 5_000,
        "://",
        "",
    ]


@st.composite
def invocations(draw: st.DrawFn, fixtures: Fixtures) -> list[str]:
    """Arguments for one run: ``--db`` (the case's copy, or now and then an odd value)
    then a command, some of its parameters at each level of its path, maybe a stray
    token after the path."""
    leaf = draw(st.sampled_from(LEAVES))
    args: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        args += ["--db", draw(st.sampled_from(_odd_databases(fixtures)))]
    for name, params in leaf.levels:
        args.append(name)
        options: list[str] = []
        positional: list[str] = []
        for param in params:
            if not param.required and not draw(st.booleans()):
                continue
            if param.kind == "flag":
                options.append(param.opt or param.name)
                continue
            for _ in range(draw(st.integers(1, 3)) if param.many else 1):
                value = draw(_values(fixtures, param))
                if param.opt is None:
                    positional.append(value)
                else:
                    options += [param.opt, value]
        args += options + positional
    if draw(st.integers(0, 9)) == 0:  # a stray token: unknown option, extra argument
        where = draw(st.integers(args.index(leaf.levels[0][0]) + len(leaf.levels), len(args)))
        args.insert(where, draw(_values(fixtures, STRAY)))
    return args


# --- the property -----------------------------------------------------------------------
def _check(fixtures: Fixtures, args: list[str], case: int) -> None:
    db = fixtures.root / f"case-{case}.db"
    shutil.copyfile(fixtures.db, db)
    before = _ledger_rows(db)
    started = time.monotonic()
    with contextlib.chdir(fixtures.root):  # files a command writes land in the tmp dir
        result = runner.invoke(app, ["--db", str(db), *args])
    elapsed = time.monotonic() - started
    engine_for(database_url(str(db))).dispose()
    shown = [a if len(a) <= 60 else a[:60] + f"…({len(a)})" for a in args]
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), (shown, repr(exc))
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (shown, output[-2000:])
    assert "internal error" not in result.stderr, (shown, result.stderr)
    assert elapsed < HANG_SECONDS, (shown, elapsed)
    if result.exit_code != 0:
        assert result.exit_code in (1, 2), (shown, result.exit_code)
        err = result.stderr
        if result.exit_code == 2 and "Usage:" not in err:  # a bare group prints its help
            assert err.startswith("error: ") and err.count("\n") == 1, (shown, err[:2000])
        assert _ledger_rows(db) == before, (shown, "the ledger grew under a failed command")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _fuzz(fixtures: Fixtures, examples: int) -> None:
    cases = itertools.count(1)

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(args=invocations(fixtures))
    def run(args: list[str]) -> None:
        _check(fixtures, args, next(cases))

    run()


def test_fuzz_the_command_line(fixtures: Fixtures) -> None:
    _fuzz(fixtures, EXAMPLES)


@pytest.mark.fuzz
def test_fuzz_the_command_line_long(fixtures: Fixtures, request: pytest.FixtureRequest) -> None:
    if "fuzz" not in (request.config.option.markexpr or ""):
        pytest.skip("the long fuzz run: pytest -m fuzz")
    _fuzz(fixtures, LONG_EXAMPLES)
