"""``soviet roll``: the member register read from and written to CSV.

The file is parsed and checked here, every bad row reported as one line naming the file,
line, column and value; the rules then compare it with the rolls (soviet.domain.roll).
Heavy modules (storage, rich tables and progress) are imported where they are used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from soviet.adapters.cli.common import EXIT_USAGE, console, err_console, fail, print_json
from soviet.domain.errors import DomainError, NothingChanged
from soviet.domain.limits import NAME_MAX

if TYPE_CHECKING:
    from soviet.application.service import CouncilService
    from soviet.domain.model import Organisation
    from soviet.domain.roll import RollEntry

T = TypeVar("T")

roll_app = typer.Typer(help="The member register: import named rolls from CSV, export them.")

COLUMNS = ("member_id", "name", "constituency")
OPTIONAL_COLUMNS = ("email",)
HEADER_HELP = "member_id,name,constituency[,email]"
PROGRESS_FROM = 10_000
"""Files with more rows than this show a progress bar (on a terminal, on stderr)."""
MAX_REPORTED = 100
"""Bad rows reported one by one; past this, one line says how many more there are."""
EMAIL_MAX = 254  # RFC 5321's longest forward path
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SHOWN = 60  # characters of a bad value quoted in a message


@dataclass
class RollFile:
    """A register read from a file: its members, and the line each came from."""

    path: str
    entries: list[RollEntry] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def bad(self, line: int, column: str, value: str, why: str) -> None:
        """Report one bad row (its first bad column)."""
        shown = value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."
        self.errors.append(f"{self.path}:{line}: column {column!r}: bad value {shown!r} ({why})")

    def line_of(self, column: str, value: object) -> int | None:
        """The first line whose ``column`` holds ``value``."""

        get: Callable[[RollEntry], str] = {
            "member_id": lambda e: e.member,
            "name": lambda e: e.name,
            "constituency": lambda e: e.constituency,
        }[column]
        for entry, line in zip(self.entries, self.lines, strict=True):
            if get(entry) == value:
                return line
        return None


def _check_text(roll: RollFile, line: int, column: str, value: str, limit: int = NAME_MAX) -> bool:
    if not value:
        roll.bad(line, column, value, "empty")
        return False
    if len(value) > limit:
        roll.bad(line, column, value, f"longer than {limit} characters")
        return False
    if any(ord(ch) < 32 or ch == "\x7f" for ch in value):
        roll.bad(line, column, value, "control character")
        return False
    return True


def _check_row(
    roll: RollFile,
    line: int,
    row: list[str],
    scope: str | None,
    seen: dict[str, int],
) -> RollEntry | None:
    """The member on one row, or None with the row reported (its first bad column)."""
    from soviet.domain.roll import RollEntry

    member, name, constituency = (cell.strip() for cell in row[:3])
    if not _check_text(roll, line, "member_id", member):
        return None
    if "#" in member:
        roll.bad(line, "member_id", member, "'#' marks a number on a numbered roll")
        return None
    if member in seen:
        roll.bad(line, "member_id", member, f"duplicate of line {seen[member]}")
        return None
    seen[member] = line
    if not _check_text(roll, line, "name", name):
        return None
    if not _check_text(roll, line, "constituency", constituency):
        return None
    if scope is not None and constituency != scope:
        roll.bad(line, "constituency", constituency, f"outside the roll imported, {scope!r}")
        return None
    if len(row) > 3:
        email = row[3].strip()
        if email and (len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email)):
            roll.bad(line, "email", email, "not an e-mail address")
            return None
    return RollEntry(member, name, constituency)


def _read_text(path: Path) -> str:
    from soviet.count.files import NotUTF8, decode_utf8, read_bounded

    try:
        # /dev/zero, a multi-GB file or a NUL in the path: refused before reading
        return decode_utf8(read_bounded(path), bom=True)
    except OSError as exc:
        fail(f"FILE: cannot read {str(path)!r}: {exc.strerror or exc}")
    except NotUTF8 as exc:
        fail(f"{path}:{exc.line}: not UTF-8 text (byte 0x{exc.byte:02x})")


def read_roll(
    path: Path, text: str, scope: str | None, progress: Callable[[int], None] | None = None
) -> RollFile:
    """Parse and check a register file's ``text``; ``progress`` is told the rows read."""
    roll = RollFile(str(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        fail(f"{path}:1: empty file: expected the header {HEADER_HELP}")
    except csv.Error as exc:
        fail(f"{path}:1: not CSV: {exc}")
    if tuple(header[:3]) != COLUMNS or tuple(header[3:]) not in ((), OPTIONAL_COLUMNS):
        fail(f"{path}:1: header: expected {HEADER_HELP}, got {','.join(header)!r}")
    width = len(header)
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            roll.errors.append(f"{path}:{line}: not CSV: {exc}")
            break
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
        if not row or (len(row) == 1 and not row[0].strip()):
            line = reader.line_num + 1
            continue  # a blank line
        if len(row) != width:
            roll.errors.append(
                f"{path}:{line}: expected {width} columns ({','.join(header)}), got {len(row)}"
            )
        else:
            entry = _check_row(roll, line, row, scope, seen)
            if entry is not None:
                roll.entries.append(entry)
                roll.lines.append(line)
        line = reader.line_num + 1
    if progress is not None:
        progress(count)
    return roll


def _report(roll: RollFile) -> NoReturn:
    """Every bad row, one line each (up to MAX_REPORTED), then exit 2."""
    for message in roll.errors[:MAX_REPORTED]:
        err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    more = len(roll.errors) - MAX_REPORTED
    if more > 0:
        err_console.print(
            f"error: {roll.path}: {more:,} more bad rows not shown",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    raise typer.Exit(EXIT_USAGE)


@contextmanager
def _guard(roll: RollFile | None = None, scope: str | None = None) -> Iterator[None]:
    """Rule and storage errors as one line, exit 2; a rule's complaint about a value
    of the file names the file and the first line holding it."""
    from soviet.adapters.storage import StorageError
    from soviet.application.ledger import LedgerError

    try:
        yield
    except DomainError as exc:
        column, value = exc.field, exc.value
        if scope is not None and column == "constituency" and value == scope:
            fail(f"CONSTITUENCY: {exc}")
        if roll is not None and column in ("constituency", "member_id", "name"):
            line = roll.line_of(column, value)
            if line is not None:
                roll.errors = []
                roll.bad(line, column, str(value), str(exc))
                _report(roll)
        fail(str(exc))
    except (StorageError, LedgerError) as exc:
        fail(str(exc))


def _service(ctx: typer.Context) -> CouncilService:
    from soviet.adapters.storage import open_service

    with _guard():
        return open_service(ctx.obj.db)
    raise AssertionError("unreachable")


def _date(text: str | None, calendar: str) -> dt.date:
    from soviet.domain.calendar import Calendar, parse_date

    if calendar not in ("gregorian", "julian"):
        fail(f"--calendar must be gregorian or julian, got {calendar!r}")
    if text is None:
        return dt.date.today()
    try:
        cal: Calendar = "julian" if calendar == "julian" else "gregorian"
        return parse_date(text, cal)
    except ValueError as exc:
        fail(f"--date: {exc}")


def _progress(rows: int) -> Any:
    """A rich progress display on stderr for a large file on a terminal, else None."""
    if rows <= PROGRESS_FROM or not err_console.is_terminal:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    )


def _summary(payload: dict[str, Any], members: int) -> dict[str, int]:
    touched = {r["member"] for key in ("added", "moved", "renamed") for r in payload[key]}
    return {
        "added": len(payload["added"]),
        "moved": len(payload["moved"]),
        "removed": len(payload["removed"]),
        "renamed": len(payload["renamed"]),
        "unchanged": members - len(touched),
    }


def _print_summary(title: str, counts: dict[str, int]) -> None:
    from rich.table import Table

    console.print(title, markup=False, highlight=False, soft_wrap=True)
    table = Table()
    table.add_column("members")
    table.add_column("count", justify="right")
    for key in ("added", "moved", "renamed", "removed", "unchanged"):
        table.add_row(key, f"{counts[key]:,}")
    console.print(table)


@roll_app.command("import")
def roll_import(
    ctx: typer.Context,
    target: str = typer.Argument(
        ..., metavar="CONSTITUENCY", help="The named roll to replace (with --all: the FILE)."
    ),
    file: Path | None = typer.Argument(
        None, metavar="FILE", help=f"CSV with the header {HEADER_HELP}."
    ),
    whole: bool = typer.Option(
        False, "--all", help="Replace every named roll: the file is the whole register."
    ),
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
    calendar: str = typer.Option("gregorian", "--calendar", help="gregorian or julian."),
    json_out: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Import a member register: CONSTITUENCY FILE replaces that named roll, --all FILE
    every named roll. Only the differences are recorded (one RollImported event); a
    file the rolls already hold records nothing."""
    if whole:
        if file is not None:
            fail("give --all FILE or CONSTITUENCY FILE, not both a constituency and --all")
        scope, path = None, Path(target)
    else:
        if file is None:
            fail("FILE: missing (CONSTITUENCY FILE, or --all FILE)")
        scope, path = target, file
    when = _date(date, calendar)
    from soviet.application import commands as cmd

    text = _read_text(path)
    display = _progress(max(text.count("\n") - 1, 0))
    context: AbstractContextManager[Any] = display if display is not None else nullcontext()
    with context:
        tell: Callable[[int], None] | None = None
        if display is not None:
            reading = display.add_task(f"reading {path.name}", total=text.count("\n"))

            def tell(n: int) -> None:
                display.update(reading, completed=n)

        roll = read_roll(path, text, scope, tell)
        if roll.errors:
            _report(roll)
        service = _service(ctx)
        if display is not None:
            display.add_task("recording", total=None)
        command = cmd.ImportRoll(constituency=scope, members=roll.entries, date=when)
        try:
            with _guard(roll, scope):
                entry = service.handle(command, ctx.obj.recorder())
        except NothingChanged as exc:
            counts = {"added": 0, "moved": 0, "removed": 0, "renamed": 0}
            counts["unchanged"] = exc.unchanged
            if json_out:
                print_json({**counts, "event": None})
            else:
                console.print(str(exc), markup=False, highlight=False, soft_wrap=True)
            return
    counts = _summary(json.loads(entry.payload), len(roll.entries))
    if json_out:
        print_json({**counts, "event": entry.seq})
        return
    what = f"the roll of {scope}" if scope is not None else "every named roll"
    _print_summary(f"Register imported into {what} (event {entry.seq})", counts)


@roll_app.command("export")
def roll_export(
    ctx: typer.Context,
    constituency: str | None = typer.Argument(
        None, help="The named roll to export (default: every named roll)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to FILE (default: standard output)."
    ),
) -> None:
    """Export the register as CSV (member_id,name,constituency), by constituency then
    member id: importing it again changes nothing."""
    from soviet.domain import roll as rolls

    service = _service(ctx)

    def register(org: Organisation) -> list[RollEntry]:
        return rolls.register(org, constituency)

    with _guard(None, constituency):
        entries = service.query(register)
    if output is None:
        _write(sys.stdout, entries)
        return
    try:
        with output.open("w", newline="", encoding="utf-8") as out:
            _write(out, entries)
    except OSError as exc:
        fail(f"--output: cannot write {str(output)!r}: {exc.strerror or exc}")
    console.print(
        f"{len(entries):,} members written to {output}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _write(out: Any, entries: list[RollEntry]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((e.member, e.name, e.constituency) for e in entries)


def register(app: typer.Typer) -> None:
    """Attach ``soviet roll`` to the main application."""
    app.add_typer(roll_app, name="roll")
