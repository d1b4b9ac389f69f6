"""CLI: ``soviet apportion`` (weights -> seats) and ``soviet indices`` (disproportionality)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, print_json
from soviet.count.names import DEFAULT_SEED, DIVISOR_METHODS, QUOTAS

if TYPE_CHECKING:
    from soviet.count.apportion import Allocation, SeatRule

METHODS = (*DIVISOR_METHODS, *QUOTAS, "per-unit")
_ROWS_SHOWN = 200  # rich tables list at most this many units


def _threshold(text: str | None) -> Fraction | None:
    if text is None:
        return None
    t = text.strip()
    try:
        value = Fraction(t[:-1]) / 100 if t.endswith("%") else Fraction(t)
    except (ValueError, ZeroDivisionError):
        fail(f"--threshold: {text!r} is not a number (e.g. 0.05, 5%, 1/20)")
    if not 0 <= value <= 1:
        fail(f"--threshold: {text!r} must be between 0 and 1")
    return value


def _rule(
    method: str | None,
    seats: int | None,
    threshold: str | None,
    threshold_votes: int | None,
    minimum: int | None,
    maximum: int | None,
    per: int | None,
) -> SeatRule:
    from soviet.count.apportion import DivisorMethod, LargestRemainder, PerUnit

    if per is not None or method == "per-unit":
        if method not in (None, "per-unit"):
            fail(f"--per: one seat per N is its own method, not {method!r}")
        if per is None:
            fail("--per: method per-unit needs --per N")
        if threshold is not None or threshold_votes is not None or maximum is not None:
            fail("--per: thresholds and --maximum do not apply to one seat per N")
        return PerUnit(per=per, minimum=1 if minimum is None else minimum)
    method = method or "dhondt"
    if method not in METHODS:
        fail(f"--method: {method!r} is not one of {', '.join(METHODS)}")
    if seats is None:
        fail(f"--seats: {method} needs a house size (--seats N)")
    kwargs: dict[str, Any] = {
        "threshold": _threshold(threshold),
        "threshold_votes": threshold_votes,
        "minimum": minimum or 0,
        "maximum": maximum,
    }
    if method in DIVISOR_METHODS:
        return DivisorMethod(method, **kwargs)
    return LargestRemainder(method, **kwargs)


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.2f}%" if den else "-"


def _short(q: str) -> str:
    """A quotient for display: exact fractions as 2-decimal numbers."""
    return q if q == "inf" or "/" not in q else f"{float(Fraction(q)):.2f}"


def _render(weights: dict[str, int], alloc: Allocation) -> None:
    from rich.table import Table

    tw, ts = sum(weights.values()), alloc.total
    table = Table(title=f"{alloc.method}: {ts} seats")
    for col in ("unit", "weight", "share", "seats", "seat share"):
        table.add_column(col, justify="left" if col == "unit" else "right")
    for u in list(weights)[:_ROWS_SHOWN]:
        s = alloc.seats[u]
        table.add_row(u, str(weights[u]), _pct(weights[u], tw), str(s), _pct(s, ts))
    console.print(table)
    if len(weights) > _ROWS_SHOWN:
        console.print(f"... {len(weights) - _ROWS_SHOWN} more units (use --json)")
    steps = alloc.steps
    if steps.get("kind") == "divisor":
        console.print(f"divisors: {steps['divisors']}")
        if steps.get("quotients"):
            qt = Table(title="quotients (* = seat won)")
            qt.add_column("unit")
            width = max(len(r) for r in steps["quotients"].values())
            for i in range(width):
                qt.add_column(f"seat {i + 1 + steps['minimum']}", justify="right")
            for u, rows in steps["quotients"].items():
                cells = [f"{_short(r['quotient'])}{'*' if r['won'] else ''}" for r in rows]
                qt.add_row(u, *cells, *[""] * (width - len(cells)))
            console.print(qt)
        if "last_quotient" in steps:
            console.print(
                f"last seat at quotient {steps['last_quotient']}; "
                f"next would be {steps.get('next_quotient', '-')}"
            )
    elif steps.get("kind") == "largest-remainder":
        console.print(f"quota: {steps['quota']} (= {steps['quota_float']:.4f})")
        if steps.get("integer_parts") is not None:
            rt = Table(title="integer parts and remainders")
            for col in ("unit", "integer part", "remainder", "remainder seat"):
                rt.add_column(col, justify="left" if col == "unit" else "right")
            extra = steps.get("remainder_seats") or []
            for u, ip in steps["integer_parts"].items():
                mark = "+" * extra.count(u)
                rt.add_row(u, str(ip), steps["remainders"][u], mark)
            console.print(rt)
        if steps.get("taken_back"):
            console.print(f"taken back (integer parts over the house): {steps['taken_back']}")
    elif steps.get("kind") == "per-unit":
        console.print(
            f"one seat per {steps['per']} ({steps['rounding']}), at least {steps['minimum']} "
            f"each; raised to the minimum: {len(steps['raised_to_minimum'])} unit(s)"
        )
    if steps.get("excluded"):
        for u, why in list(steps["excluded"].items())[:_ROWS_SHOWN]:
            console.print(f"excluded: {u} ({why})")
    for d in alloc.tie_breaks:
        console.print(f"tie broken by lot (seed {alloc.seed}): {d}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main application."""

    @app.command("apportion")
    def apportion(
        units: list[str] = typer.Argument(..., help="NAME=WEIGHT tokens, e.g. A=326 B=183."),
        method: str | None = typer.Option(
            None, "--method", "-m", help=f"One of: {', '.join(METHODS)} (default dhondt)."
        ),
        seats: int | None = typer.Option(None, "--seats", "-s", help="House size."),
        threshold: str | None = typer.Option(
            None, "--threshold", help="Minimum share of the total, e.g. 0.05 or 5%."
        ),
        threshold_votes: int | None = typer.Option(
            None, "--threshold-votes", help="Minimum weight to qualify."
        ),
        minimum: int | None = typer.Option(None, "--minimum", help="Minimum seats per unit."),
        maximum: int | None = typer.Option(None, "--maximum", help="Maximum seats per unit."),
        per: int | None = typer.Option(
            None, "--per", help="One seat per N (at least --minimum, default 1, each)."
        ),
        seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Seed for ties broken by lot."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Turn weights (votes, headcounts) into seats, with the steps that produced them."""
        from soviet.count.apportion import ApportionmentError
        from soviet.count.parse import CountParseError, parse_weights
        from soviet.count.ties import Lot

        for name, val in (
            ("--seats", seats),
            ("--minimum", minimum),
            ("--maximum", maximum),
            ("--threshold-votes", threshold_votes),
        ):
            if val is not None and val < 0:
                fail(f"{name}: {val} is negative")
        if per is not None and per <= 0:
            fail(f"--per: {per} must be positive")
        try:
            weights = parse_weights(units)
        except CountParseError as exc:
            fail(str(exc))
        try:
            rule = _rule(method, seats, threshold, threshold_votes, minimum, maximum, per)
            alloc = rule.allocate(weights, seats, lot=Lot(seed))
        except ApportionmentError as exc:
            fail(str(exc))
        if as_json:
            print_json(alloc.to_json())
        else:
            _render(weights, alloc)

    @app.command("indices")
    def indices(
        units: list[str] = typer.Argument(..., help="NAME=VOTES:SEATS tokens, e.g. A=50:6."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Disproportionality: Gallagher, Loosemore-Hanby, Sainte-Laguë, ENP, weight ratio."""
        from rich.table import Table

        from soviet.count.indices import all_indices
        from soviet.count.parse import CountParseError, parse_votes_seats

        try:
            votes, seat_counts = parse_votes_seats(units)
        except CountParseError as exc:
            fail(str(exc))
        result = all_indices(votes, seat_counts)
        if as_json:
            print_json(result)
            return
        tv, ts = sum(votes.values()), sum(seat_counts.values())
        table = Table(title="votes and seats")
        for col in ("unit", "votes", "vote share", "seats", "seat share"):
            table.add_column(col, justify="left" if col == "unit" else "right")
        for u in list(votes)[:_ROWS_SHOWN]:
            table.add_row(
                u, str(votes[u]), _pct(votes[u], tv), str(seat_counts[u]), _pct(seat_counts[u], ts)
            )
        console.print(table)
        it = Table(title="indices (Gallagher, Loosemore-Hanby, Sainte-Laguë in points)")
        it.add_column("index")
        it.add_column("value", justify="right")
        for k, v in result.items():
            it.add_row(k, f"{v:.4f}")
        console.print(it)
