"""CLI: ``export ledger`` (JSON Lines, with the standalone verifier), ``import-ledger``,
and ``export council|congress|assembly NAME --format csv|json --out DIR`` (issue 12).

A published ledger can be checked by anyone with Python and nothing else
(``python3 verify_ledger.py ledger.jsonl``), and imported into a new database, where
``soviet verify`` proves the live tables it builds equal its events (decision 0009).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from soviet.adapters.cli.common import console, fail
from soviet.adapters.cli.council_commands import AS_OF, _view

export_app = typer.Typer(
    help="Export the ledger (JSON Lines, with a standalone verifier), or a council, "
    "congress or assembly as CSV tables or JSON (a council's ranked ballots as BLT)."
)

#: What ``export KIND`` writes (one function each in soviet.adapters.exports).
KINDS = ("council", "congress", "assembly")

LEDGER_OUT = typer.Option(
    None,
    "--out",
    help="Write the JSON Lines here (its folder made if need be) and verify_ledger.py "
    "beside it (default: stdout, no verifier).",
)


def export_ledger(
    ctx: typer.Context,
    out: Path | None = LEDGER_OUT,
    up_to: int | None = typer.Option(None, "--up-to", min=1, help="Stop after event SEQ."),
) -> None:
    """The ledger as JSON Lines, one entry a line (docs/cli.md, "Exports")."""
    from soviet.adapters.ledger_file import VERIFIER, verifier_source, write_jsonl
    from soviet.adapters.storage import StorageError, open_service

    try:
        service = open_service(ctx.obj.db)
    except StorageError as exc:
        fail(str(exc))
    entries = service.history(up_to=up_to)
    if out is None:
        write_jsonl(entries, sys.stdout)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            n = write_jsonl(entries, f)
        verifier = out.parent / VERIFIER
        verifier.write_text(verifier_source(), encoding="utf-8")
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    console.print(f"exported {n} events to {out}; check it with: python3 {verifier} {out}")


def import_ledger(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A ledger exported with 'soviet export ledger'."),
) -> None:
    """Import an exported ledger into a new database: the same events, times, actors and
    hashes, and the live tables built from them; all or nothing."""
    from soviet.adapters.cli.council_commands import guard
    from soviet.adapters.ledger_file import read_jsonl
    from soviet.adapters.storage import open_service

    with guard():
        service = open_service(ctx.obj.db, initialise=True)
        n = service.import_ledger(read_jsonl(path))
        seq, head = service.head()
    console.print(f"imported {n} events into {ctx.obj.db}; head {seq}:{head}")


def _body_exporter(kind: str) -> Callable[..., None]:
    """The ``export KIND NAME`` command: the exporter of ``kind`` run on the live state
    (or after ``--as-of``), its tables written into ``--out``."""

    def export_body(
        ctx: typer.Context,
        name: str = typer.Argument(..., help=f"The {kind}'s name."),
        fmt: str = typer.Option(
            "csv",
            "--format",
            help="csv (one file a table) or json"
            + (
                ", or blt (one ballot file per election counted from ranked ballots)."
                if kind == "council"
                else "."
            ),
        ),
        out: Path = typer.Option(..., "--out", help="Folder to write into (made if need be)."),
        as_of: int | None = AS_OF,
    ) -> None:
        formats = ("csv", "json", "blt") if kind == "council" else ("csv", "json")
        if fmt not in formats:
            fail(f"--format: expected {' or '.join(formats)}, got {fmt!r}")
        from soviet.adapters import exports

        if fmt == "blt":
            _export_blt(ctx, name, out, as_of)
            return

        data = _view(ctx, lambda org: exports.EXPORTERS[kind](org, name), as_of)
        try:
            written = exports.write(data, fmt, out)
        except OSError as exc:
            fail(f"--out: cannot write {out}: {exc.strerror or exc}")
        files = ", ".join(p.name for p in written)
        console.print(f"exported {kind} {data.name} to {out}: {files}", markup=False)

    article = "An" if kind[0] in "aeiou" else "A"
    ballots = "; a council's ranked ballots also as BLT files (--format blt)" * (kind == "council")
    export_body.__doc__ = (
        f"{article} {kind} as CSV tables (one file a table, header row, UTF-8) or one JSON "
        f'document of the views\' --json shapes{ballots} (docs/cli.md, "Exports").'
    )
    return export_body


def _export_blt(ctx: typer.Context, council: str, out: Path, as_of: int | None) -> None:
    """A council's ranked-ballot elections as BLT files, read from the ledger."""
    from soviet.adapters import exports
    from soviet.adapters.cli.council_commands import _service

    entries = list(_service(ctx).history(up_to=as_of))
    files = _view(ctx, lambda org: exports.ranked_ballot_files(org, council, entries), as_of)
    if not files:
        fail(f"council {council!r} has no election counted from ranked ballots on record")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for file_name, text in files:
            (out / file_name).write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    names = ", ".join(f for f, _ in files)
    console.print(
        f"exported {len(files)} ballot files of {council} to {out}: {names}", markup=False
    )


def register(app: typer.Typer) -> None:
    """Attach ``export`` and ``import-ledger``."""
    export_app.command("ledger")(export_ledger)
    for kind in KINDS:
        export_app.command(kind)(_body_exporter(kind))
    app.add_typer(export_app, name="export")
    app.command("import-ledger")(import_ledger)
