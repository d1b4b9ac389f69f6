"""``soviet assembly`` and ``soviet lag``: list assemblies, the counter-example to councils
(issue 12), and how far such an assembly lags the recallable councils.

Each sub-command builds the same command object the HTTP API and scenario files do; the
reading ones print the views' ``--json`` shapes (docs/cli.md, "List assemblies").
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, lazy_module, print_json
from soviet.adapters.cli.congress_commands import _changed
from soviet.adapters.cli.council_commands import (
    AS_OF,
    CALENDAR,
    DATE,
    JSON,
    PLOT,
    _date,
    _view,
    save_plot,
)

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.application.commands import Command
    from soviet.views import assembly as views
else:
    cmd = lazy_module("soviet.application.commands")
    views = lazy_module("soviet.views.assembly")

assembly_app = typer.Typer(
    help="List assemblies: elected from frozen party lists for a fixed term, no recall "
    "(create, register lists, record votes, allocate seats, attribute a split, show)."
)


def _apply(ctx: typer.Context, json_out: bool, command: Command, message: str) -> None:
    entry = _changed(ctx, json_out, command)
    if not json_out:
        console.print(f"{message} (event {entry['seq']})", markup=False, highlight=False)


def _pairs(tokens: list[str], option: str, what: str) -> dict[str, int]:
    """``NAME=N`` tokens into {name: n}, naming the option and the bad token."""
    out: dict[str, int] = {}
    for token in tokens:
        name, sep, number = token.rpartition("=")
        name = name.strip()
        if not sep or not name:
            fail(f"{option}: expected {what}=N, got {token!r}")
        if name in out:
            fail(f"{option}: {name!r} is given twice")
        try:
            out[name] = int(number)
        except ValueError:
            fail(f"{option}: {number!r} for {name!r} is not a whole number")
    return out


@assembly_app.command("create")
def assembly_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Assembly name."),
    district: list[str] = typer.Option(
        ..., "--district", help="DISTRICT=SEATS (repeat): the districts and their seats."
    ),
    method: str = typer.Option(
        "dhondt",
        "--method",
        help="Seat rule: dhondt, sainte-lague, hare, droop (any list rule of the engine).",
    ),
    threshold: str | None = typer.Option(
        None, "--threshold", help="Legal threshold as a share of the votes, e.g. 0.05."
    ),
    scope: str = typer.Option(
        "district", "--scope", help="Apply the rule per district or national(ly)."
    ),
    lists: str = typer.Option(
        "closed", "--lists", help="closed (seats in list order) or open (by personal votes)."
    ),
    closing: str = typer.Option(..., "--closing", help="The day lists close, YYYY-MM-DD."),
    term_days: int = typer.Option(
        4 * 365, "--term-days", min=1, help="The fixed term, in days from the allocation."
    ),
    opening_quorum: int | None = typer.Option(
        None, "--opening-quorum", help="Deputies who must be present for the first sitting."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Create a list assembly: districts, seat rule, closing date of lists, fixed term."""
    rule = {"method": method} | ({"threshold": threshold} if threshold is not None else {})
    command = cmd.CreateAssembly(
        name=name,
        districts=_pairs(district, "--district", "DISTRICT"),
        rule=rule,
        scope=scope,
        lists=lists,
        closing=_date(closing, calendar, "--closing"),
        term_days=term_days,
        opening_quorum=opening_quorum,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"assembly {name} created")


@assembly_app.command("register-list")
def assembly_register_list(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    party: str = typer.Option(..., "--party", help="The party whose list it is."),
    district: str = typer.Option(..., "--district", help="The district."),
    candidate: list[str] = typer.Option(
        ..., "--candidate", help="A candidate, in list order (repeat)."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Register a party's list in a district, by the closing date; frozen afterwards."""
    command = cmd.RegisterPartyList(
        assembly=assembly,
        party=party,
        district=district,
        candidates=candidate,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"list of {party} in {district} registered")


@assembly_app.command("votes")
def assembly_votes(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    district: str = typer.Option(..., "--district", help="The district."),
    votes: list[str] = typer.Option(..., "--votes", help="PARTY=VOTES (repeat)."),
    personal: list[str] = typer.Option(
        [], "--personal", help="CANDIDATE=VOTES (repeat): personal votes on open lists."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Record a district's result: votes per list (and personal votes on open lists)."""
    command = cmd.RecordListVotes(
        assembly=assembly,
        district=district,
        votes=_pairs(votes, "--votes", "PARTY"),
        personal=_pairs(personal, "--personal", "CANDIDATE") if personal else None,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"votes of {district} recorded")


@assembly_app.command("allocate")
def assembly_allocate(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Allocate the seats by the assembly's rule once every district has voted."""
    command = cmd.AllocateAssemblySeats(assembly=assembly, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"seats of {assembly} allocated")


@assembly_app.command("split")
def assembly_split(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    party: str = typer.Option(..., "--party", help="The party that split after its lists froze."),
    positions: list[str] = typer.Option(
        [],
        "--positions",
        help="SUCCESSOR=1,2,... (repeat): list positions going to each successor.",
    ),
    member: list[str] = typer.Option(
        [], "--member", help="MEMBER=SUCCESSOR (repeat): a member's declared affiliation."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Attribute a split party's members to its successors, by list --positions or by
    declared affiliation (--member)."""
    if bool(positions) == bool(member):
        fail("give either --positions (by list position) or --member (by affiliation)")
    by_positions: dict[str, list[int]] = {}
    for token in positions:
        group, sep, numbers = token.partition("=")
        group = group.strip()
        if not sep or not group:
            fail(f"--positions: expected SUCCESSOR=1,2,..., got {token!r}")
        try:
            by_positions[group] = [int(n) for n in numbers.split(",") if n.strip()]
        except ValueError:
            fail(f"--positions: {numbers!r} for {group!r} is not a list of whole numbers")
    affiliation: dict[str, str] = {}
    for token in member:
        who, sep, group = token.partition("=")
        if not sep or not who.strip() or not group.strip():
            fail(f"--member: expected MEMBER=SUCCESSOR, got {token!r}")
        affiliation[who.strip()] = group.strip()
    successors = list(by_positions) or list(dict.fromkeys(affiliation.values()))
    command = cmd.AttributeSplit(
        assembly=assembly,
        party=party,
        rule="positions" if by_positions else "affiliation",
        successors=successors,
        positions=by_positions or None,
        affiliation=affiliation or None,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"split of {party} attributed")


@assembly_app.command("open")
def assembly_open(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    present: int = typer.Option(..., "--present", help="Deputies present."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Open the first sitting; refused when fewer than the opening quorum are present."""
    command = cmd.OpenAssembly(assembly=assembly, present=present, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"{assembly} opened with {present} deputies present")


@assembly_app.command("empower-recall")
def assembly_empower_recall(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    by: str = typer.Option(..., "--by", help="The council or congress that empowers."),
    council: list[str] = typer.Option(
        ..., "--council", help="A council empowered to recall members (repeat), or '*'."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Empower councils to recall the assembly's members (the recall decree of 21 Nov
    1917); without it an assembly sits for its fixed term."""
    command = cmd.EmpowerAssemblyRecall(
        assembly=assembly, by=by, councils=council, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"councils empowered to recall members of {assembly}")


@assembly_app.command("recall")
def assembly_recall(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    member: str = typer.Argument(..., help="The member recalled."),
    council: str = typer.Option(..., "--council", help="The recalling council."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Recall a member of the assembly by an empowered council; the seat stays vacant."""
    command = cmd.RecallAssemblyMember(
        assembly=assembly, member=member, council=council, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"{member} recalled from {assembly} by {council}")


@assembly_app.command("dissolve")
def assembly_dissolve(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    by: str = typer.Option(..., "--by", help="The council or congress that dissolves it."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Dissolve the assembly before its term ends."""
    command = cmd.DissolveAssembly(assembly=assembly, by=by, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"{assembly} dissolved by {by}")


@assembly_app.command("show")
def assembly_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Assembly."),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    plot: Path | None = PLOT,
) -> None:
    """The assembly: rule, lists, votes, members, seats by list and by group; --plot
    draws its hemicycle."""
    report = _view(ctx, lambda org: views.assembly_report(org, name), as_of)
    if plot is not None:
        from soviet.adapters import figures

        composition = {
            "council": report["assembly"],
            "seats": report["seats"],
            "groups": report["seats_by_group"],
        }
        save_plot(figures.hemicycle(composition), plot)
    if json_out:
        print_json(report)
        return
    _print_assembly(report)


def _print_assembly(r: dict[str, Any]) -> None:
    from rich.table import Table

    threshold = r["rule"].get("threshold")
    console.print(
        f"{r['assembly']}: {r['seats']} seats in {len(r['districts'])} districts, "
        f"{r['rule']['method']}"
        + (f" (threshold {threshold})" if threshold else "")
        + f" per {r['scope']}, {r['lists']} lists closing {r['closing']}"
        + ("; recall empowered" if r["recall"] else "; no recall"),
        markup=False,
        highlight=False,
    )
    if r["allocated_on"] is None:
        console.print(f"{len(r['party_lists'])} lists registered; seats not yet allocated")
        return
    console.print(
        f"allocated {r['allocated_on']}, sits until {r['term_ends']}; "
        f"majority: {r['majority'] or 'none'}"
        + (f"; vacant seats: {r['vacant']}" if r["vacant"] else "")
        + (f"; members recalled: {len(r['recalled'])}" if r["recalled"] else ""),
        markup=False,
        highlight=False,
    )
    table = Table("group", "seats")
    for group, seats in r["seats_by_group"].items():
        table.add_row(group, str(seats))
    console.print(table)


def lag(
    ctx: typer.Context,
    assembly: str = typer.Argument(..., help="Assembly."),
    against: str = typer.Option(
        ..., "--against", help="COUNCIL[,COUNCIL...]: the recallable councils to compare."
    ),
    start: str | None = typer.Option(
        None, "--from", help="First day (default: the allocation), YYYY-MM-DD."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Last day (default: the end of the term), YYYY-MM-DD."
    ),
    by: str = typer.Option(
        "groups",
        "--by",
        help="Count the assembly by groups (a split party's successors, from the split) "
        "or by lists (as elected).",
    ),
    calendar: str = CALENDAR,
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
    csv_out: bool = typer.Option(False, "--csv", help="Print CSV: one row per day and group."),
    plot: Path | None = PLOT,
) -> None:
    """How far a list assembly lags recallable councils: per day, Gallagher and
    Loosemore-Hanby between them, the seat difference per group, and the days their
    majorities disagree."""
    if json_out and csv_out:
        fail("give --json or --csv, not both")
    councils = [c.strip() for c in against.split(",") if c.strip()]
    first = _date(start, calendar, "--from") if start else None
    last = _date(end, calendar, "--to") if end else None
    report = _view(ctx, lambda org: views.lag(org, assembly, councils, first, last, by), as_of)
    if plot is not None:
        from soviet.adapters import figures

        save_plot(figures.lag(report), plot)
    if json_out:
        print_json(report)
        return
    if csv_out:
        csv.writer(sys.stdout, lineterminator="\n").writerows(views.lag_csv_rows(report))
        return
    _print_lag(report)


def _print_lag(r: dict[str, Any]) -> None:
    from rich.table import Table

    console.print(
        f"{r['assembly']} against {', '.join(r['against'])}, {r['from']} to {r['to']}: "
        f"majorities disagree on {r['days_majorities_disagree']} of {r['days']} days",
        markup=False,
        highlight=False,
    )
    table = Table("date", "councils", "assembly", "Gallagher", "Loosemore-Hanby", "majorities")
    previous: tuple[Any, ...] | None = None
    for row in r["rows"]:
        # One line per change: the days between repeat the one above.
        key = (tuple(row["councils"].items()), tuple(row["assembly"].items()))
        if key == previous and row is not r["rows"][-1]:
            continue
        previous = key
        table.add_row(
            row["date"],
            ", ".join(f"{g} {n}" for g, n in row["councils"].items()) or "-",
            ", ".join(f"{g} {n}" for g, n in row["assembly"].items()) or "-",
            "-" if row["gallagher"] is None else f"{row['gallagher']:.2f}",
            "-" if row["loosemore_hanby"] is None else f"{row['loosemore_hanby']:.2f}",
            "disagree" if row["majorities_disagree"] else "agree",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``assembly`` and ``lag`` to the application."""
    app.add_typer(assembly_app, name="assembly")
    app.command("lag")(lag)
