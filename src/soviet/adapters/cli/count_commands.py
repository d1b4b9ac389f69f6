"""CLI commands of the counting engine: ``soviet count BALLOTS --method ...``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, err_console, fail, print_json
from soviet.count.names import COUNT_METHODS, DEFAULT_SEED

if TYPE_CHECKING:
    from soviet.count.ballots import ApprovalBallots, RankedBallots
    from soviet.count.result import ElectionResult

FORMATS = ("blt", "csv", "csv-approval")


def _read(path: Path, fmt: str) -> tuple[RankedBallots | ApprovalBallots, int | None]:
    from soviet.count.io import parse_blt, read_csv_approval, read_csv_ranked

    if fmt == "blt":
        return parse_blt(path)
    if fmt == "csv":
        return read_csv_ranked(path), None
    return read_csv_approval(path), None


def _guess_format(path: Path) -> str:
    return "csv" if path.suffix.lower() == ".csv" else "blt"


def _num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.5f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return str(v)


def _render(result: ElectionResult) -> None:
    from rich.table import Table

    rounds = [r for r in result.rounds if isinstance(r.get("votes"), dict)]
    if rounds:
        names = list(rounds[0]["votes"])
        table = Table(title=f"{result.method}: round by round", show_lines=False)
        table.add_column("candidate", style="bold")
        for r in rounds:
            label = str(r.get("round", ""))
            action = r.get("action")
            if action:
                label += f"\n{action}"
            table.add_column(label, justify="right")
        for name in names:
            cells = []
            for r in rounds:
                cell = _num(r["votes"].get(name, ""))
                if name in r.get("elected", []):
                    cell = f"[green]{cell} ✓[/green]"
                elif name in r.get("excluded", []):
                    cell = f"[red]{cell} ✗[/red]"
                cells.append(cell)
            table.add_row(name, *cells)
        for extra in ("exhausted", "loss"):
            if any(extra in r for r in rounds):
                table.add_row(extra, *[_num(r.get(extra, "")) for r in rounds], style="dim")
        quotas = [r.get("quota", r.get("threshold")) for r in rounds]
        if any(q is not None for q in quotas):
            table.add_row("quota", *[_num(q) if q is not None else "" for q in quotas], style="dim")
        console.print(table)
    if result.tie_breaks:
        for draw in result.tie_breaks:
            console.print(f"tie broken by lot ({draw.get('purpose')}): {draw}", markup=False)
    console.print(f"seed: {result.seed}", markup=False)
    winners = ", ".join(result.elected) if result.elected else "(none)"
    console.print(f"[bold]Elected ({result.seats} seat(s)):[/bold] {winners}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main application."""

    @app.command("count")
    def count_command(
        ballots_file: Path = typer.Argument(..., help="Ballot file (BLT or CSV)."),
        method: str = typer.Option(
            "stv-scottish", "--method", "-m", help="Method: " + ", ".join(COUNT_METHODS) + "."
        ),
        seats: int | None = typer.Option(
            None, "--seats", help="Seats to fill (default: the BLT header, or 1)."
        ),
        seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed of the lot for ties."),
        fmt: str | None = typer.Option(
            None, "--format", help="blt, csv or csv-approval (default: from the file suffix)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Count a ballot file by the chosen method and show the round-by-round result."""
        from soviet.count.ballots import ApprovalBallots
        from soviet.count.io import BallotFileError
        from soviet.count.methods import METHODS, count

        if method not in METHODS:
            fail(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
        spec = METHODS[method]
        fmt = fmt or _guess_format(ballots_file)
        if fmt not in FORMATS:
            fail(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
        if seats is not None and seats < 1:
            fail(f"--seats must be at least 1, got {seats}")
        if seats is not None and seats > 1 and not spec.multi_seat:
            fail(f"method {method!r} elects one winner; --seats must be 1")
        try:
            if as_json:
                ballots, header_seats = _read(ballots_file, fmt)
            else:
                with err_console.status(f"reading {ballots_file} ..."):
                    ballots, header_seats = _read(ballots_file, fmt)
        except BallotFileError as exc:
            fail(str(exc))
        if spec.ballots == "ranked" and isinstance(ballots, ApprovalBallots):
            fail(f"method {method!r} needs ranked ballots; {ballots_file} holds approval ballots")
        n_seats = seats if seats is not None else (header_seats or 1) if spec.multi_seat else 1
        try:
            result = count(method, ballots, seats=n_seats, seed=seed)
        except ValueError as exc:
            fail(f"{ballots_file}: {exc}")
        if as_json:
            print_json(result.to_json())
        else:
            _render(result)
