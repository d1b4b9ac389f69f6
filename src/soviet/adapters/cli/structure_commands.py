"""CLI commands that set up an organisation without a scenario file: councils and
constituencies created, changed, renamed, removed; and the ``list`` commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, lazy_module, print_json
from soviet.adapters.cli.congress_commands import _changed, congress_app, parse_seat_rule
from soviet.adapters.cli.council_commands import (
    AS_OF,
    CALENDAR,
    DATE,
    JSON,
    _date,
    _view,
    council_app,
    mandate_app,
    print_petitions,
)

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.application.commands import Command
    from soviet.views import structure as views
else:
    cmd = lazy_module("soviet.application.commands")
    views = lazy_module("soviet.views.structure")

constituency_app = typer.Typer(
    help="Constituencies: create, change, rename, remove, list (rolls: `soviet elector`)."
)
petition_app = typer.Typer(help="Recall petitions: list them (open and sign: `soviet recall`).")


def _apply(ctx: typer.Context, json_out: bool, command: Command, message: str) -> None:
    """Run the command; the ledger entry with --json, else ``message`` and its event."""
    entry = _changed(ctx, json_out, command)
    if not json_out:
        console.print(f"{message} (event {entry['seq']})", markup=False, highlight=False)


# --- councils -------------------------------------------------------------------------
@council_app.command("create")
def council_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    seat_rule: str = typer.Option(
        ...,
        "--seat-rule",
        help='Seat rule as JSON, e.g. \'{"method": "per-unit", "electors_per_seat": 1000}\' '
        'or \'{"method": "dhondt", "seats": 40}\' (docs/scenarios.md).',
    ),
    section: list[str] = typer.Option([], "--section", help="A section (repeat for several)."),
    apart: bool = typer.Option(False, "--apart", help="Sections sit apart (default: merged)."),
    recall_threshold: str = typer.Option(
        "1/2", "--recall-threshold", help="Share of the roll that recalls, e.g. 1/2 or 2/3."
    ),
    recall_mode: str = typer.Option(
        "by-election", "--recall-mode", help="by-election or replacement."
    ),
    max_term_days: int | None = typer.Option(
        None, "--max-term-days", help="Longest a delegate may sit without re-election."
    ),
    calendar: str = typer.Option("gregorian", "--calendar", help="gregorian or julian."),
    description: str = typer.Option("", "--description", help="What the council is."),
    may_convene: list[str] = typer.Option(
        [], "--may-convene", help="A congress this council may convene (repeat; * for any)."
    ),
    json_out: bool = JSON,
) -> None:
    """Create a council with its seat rule and recall rule."""
    command = cmd.CreateCouncil(
        name=name,
        seat_rule=parse_seat_rule(seat_rule),
        sections=section,
        sections_merged=not apart,
        recall_threshold=recall_threshold,
        recall_mode=recall_mode,
        max_term_days=max_term_days,
        calendar=calendar,
        description=description,
        may_convene=may_convene,
    )
    _apply(ctx, json_out, command, f"council {name} created")


@council_app.command("change")
def council_change(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    seat_rule: str | None = typer.Option(None, "--seat-rule", help="New seat rule (JSON)."),
    recall_threshold: str | None = typer.Option(
        None, "--recall-threshold", help="New recall threshold, e.g. 2/3."
    ),
    recall_mode: str | None = typer.Option(
        None, "--recall-mode", help="by-election or replacement."
    ),
    max_term_days: int | None = typer.Option(None, "--max-term-days", help="New maximum term."),
    no_max_term: bool = typer.Option(False, "--no-max-term", help="No maximum term."),
    may_convene: list[str] = typer.Option(
        [], "--may-convene", help="Congresses it may convene (repeat; replaces the list)."
    ),
    no_may_convene: bool = typer.Option(
        False, "--no-may-convene", help="It may convene no congress."
    ),
    description: str | None = typer.Option(None, "--description", help="New description."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Change a council's seat rule, recall rule, maximum term, description or the
    congresses it may convene; what is not given stays."""
    if max_term_days is not None and no_max_term:
        fail("--no-max-term: give --max-term-days or --no-max-term, not both")
    if may_convene and no_may_convene:
        fail("--no-may-convene: give --may-convene or --no-may-convene, not both")
    changes: dict[str, Any] = {}
    if seat_rule is not None:
        changes["seat_rule"] = parse_seat_rule(seat_rule)
    if recall_threshold is not None:
        changes["recall_threshold"] = recall_threshold
    if recall_mode is not None:
        changes["recall_mode"] = recall_mode
    if max_term_days is not None or no_max_term:
        changes["max_term_days"] = max_term_days
    if may_convene or no_may_convene:
        changes["may_convene"] = list(may_convene)
    if description is not None:
        changes["description"] = description
    if not changes:
        fail(f"council {name!r}: name at least one setting to change (see --help)")
    when = _date(date, calendar)
    command = cmd.ChangeCouncil(council=name, changes=changes, date=when)
    _apply(ctx, json_out, command, f"council {name} changed: {', '.join(sorted(changes))}")


@council_app.command("rename")
def council_rename(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    to: str = typer.Argument(..., help="New name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Give a council a new name; its constituencies follow it."""
    command = cmd.RenameCouncil(council=name, to=to, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"council {name} renamed {to}")


@council_app.command("remove")
def council_remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Remove a council that has no constituencies left."""
    command = cmd.RemoveCouncil(council=name, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"council {name} removed")


@council_app.command("list")
def council_list(ctx: typer.Context, json_out: bool = JSON, as_of: int | None = AS_OF) -> None:
    """Every council: seat rule, recall rule, seats and how many are filled."""
    from rich.table import Table

    rows = _view(ctx, views.councils, as_of)
    if json_out:
        print_json({"councils": rows})
        return
    table = Table(title="Councils")
    for col in ("council", "seat rule", "recall", "term", "units", "seats", "filled"):
        table.add_column(col)
    for r in rows:
        term = f"{r['max_term_days']} days" if r["max_term_days"] else ""
        table.add_row(
            r["name"],
            str(r["seat_rule"].get("method")),
            f"{r['recall_threshold']} ({r['recall_mode']})",
            term,
            str(r["constituencies"]),
            str(r["seats"]),
            str(r["filled"]),
        )
    console.print(table)


# --- constituencies ---------------------------------------------------------------------
@constituency_app.command("create")
def constituency_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Constituency name (no '#')."),
    council: str = typer.Option(..., "--council", help="The council it elects to."),
    section: str | None = typer.Option(None, "--section", help="Section of the council."),
    kind: str | None = typer.Option(None, "--kind", help="Kind: factory, regiment, house..."),
    headcount: int | None = typer.Option(
        None, "--headcount", help="A numbered roll of this many electors (NAME#1..NAME#N)."
    ),
    elector: list[str] = typer.Option(
        [], "--elector", help="An elector of a named roll (repeat; or `soviet roll import`)."
    ),
    json_out: bool = JSON,
) -> None:
    """Create a constituency with a numbered roll (--headcount) or a named one."""
    if headcount is not None and elector:
        fail("--headcount: give --headcount or --elector, not both")
    command = cmd.CreateConstituency(
        name=name,
        council=council,
        section=section,
        kind=kind,
        headcount=headcount,
        electors=None if headcount is not None else elector,
    )
    _apply(ctx, json_out, command, f"constituency {name} created in {council}")


@constituency_app.command("change")
def constituency_change(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Constituency name."),
    section: str | None = typer.Option(None, "--section", help="Move it to this section."),
    kind: str | None = typer.Option(None, "--kind", help="New kind."),
    no_kind: bool = typer.Option(False, "--no-kind", help="Clear its kind."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Move a constituency to another section, or change its kind (headcounts and rolls:
    `soviet elector`, `soviet roll`)."""
    if kind is not None and no_kind:
        fail("--no-kind: give --kind or --no-kind, not both")
    changes: dict[str, Any] = {}
    if section is not None:
        changes["section"] = section
    if kind is not None or no_kind:
        changes["kind"] = kind
    if not changes:
        fail(f"constituency {name!r}: name at least one setting to change (--section, --kind)")
    when = _date(date, calendar)
    command = cmd.ChangeConstituency(constituency=name, changes=changes, date=when)
    _apply(ctx, json_out, command, f"constituency {name} changed: {', '.join(sorted(changes))}")


@constituency_app.command("rename")
def constituency_rename(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Constituency name."),
    to: str = typer.Argument(..., help="New name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Give a constituency a new name: delegates, electors, mandates, petitions follow."""
    command = cmd.RenameConstituency(constituency=name, to=to, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"constituency {name} renamed {to}")


@constituency_app.command("remove")
def constituency_remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Constituency name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Remove a constituency with no delegates or petitions on record (and its roll)."""
    command = cmd.RemoveConstituency(constituency=name, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"constituency {name} removed")


@constituency_app.command("list")
def constituency_list(
    ctx: typer.Context,
    council: str | None = typer.Option(None, "--council", help="Only this council's."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Constituencies with their roll, seats, sitting delegates and open petitions."""
    from rich.table import Table

    rows = _view(ctx, lambda org: views.constituencies(org, council), as_of)
    if json_out:
        print_json({"constituencies": rows})
        return
    table = Table(title="Constituencies")
    # Columns that say nothing here (one council, no sections, no kinds) are left out so
    # that the names fit a terminal.
    columns: dict[str, Callable[[dict[str, Any]], str]] = {
        "constituency": lambda r: r["name"],
        "council": lambda r: r["council"],
        "section": lambda r: r["section"] or "",
        "kind": lambda r: r["kind"] or "",
        "roll": lambda r: r["roll"],
        "electors": lambda r: str(r["headcount"]),
        "seats": lambda r: str(r["seats"]),
        "sitting": lambda r: str(r["sitting"]),
        "petitions": lambda r: str(r["open_petitions"]) if r["open_petitions"] else "",
    }
    if council is not None or len({r["council"] for r in rows}) <= 1:
        del columns["council"]
    for optional in ("section", "kind", "petitions"):
        if not any(columns[optional](r) for r in rows):
            del columns[optional]
    for col in columns:
        table.add_column(col)
    for r in rows:
        table.add_row(*(cell(r) for cell in columns.values()))
    console.print(table)


# --- congresses, petitions, mandates ----------------------------------------------------
@congress_app.command("list")
def congress_list(ctx: typer.Context, json_out: bool = JSON, as_of: int | None = AS_OF) -> None:
    """Every congress: convened by, opening date, state, credentials, decrees."""
    from rich.table import Table

    rows = _view(ctx, views.congresses, as_of)
    if json_out:
        print_json({"congresses": rows})
        return
    table = Table(title="Congresses")
    for col in ("congress", "convened by", "opens", "status", "credentials", "seated"):
        table.add_column(col)
    table.add_column("decrees")
    for r in rows:
        table.add_row(
            r["name"],
            r["convened_by"],
            r["opens_on"],
            r["status"],
            str(r["credentials"]),
            str(r["seated"]),
            str(r["decrees"]),
        )
    console.print(table)


@petition_app.command("list")
def petition_list(
    ctx: typer.Context,
    council: str | None = typer.Option(None, "--council", help="Only this council's."),
    constituency: str | None = typer.Option(None, "--constituency", help="Only this one's."),
    status: str | None = typer.Option(None, "--status", help="open, succeeded or lapsed."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Recall petitions, with signatures against the number needed."""
    if status is not None and status not in ("open", "succeeded", "lapsed"):
        fail(f"--status: expected open, succeeded or lapsed, got {status!r}")
    rows = _view(
        ctx,
        lambda org: views.petitions(org, council=council, constituency=constituency, status=status),
        as_of,
    )
    if json_out:
        print_json({"petitions": rows})
        return
    print_petitions(rows)


@mandate_app.command("list")
def mandate_list(
    ctx: typer.Context,
    council: str | None = typer.Option(None, "--council", help="Only this council's."),
    constituency: str | None = typer.Option(None, "--constituency", help="Only this one's."),
    seat: int | None = typer.Option(None, "--seat", help="Only this seat (with --constituency)."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Mandates by seat: each seat's history across the delegates who held it."""
    from rich.table import Table

    if seat is not None and constituency is None:
        fail(f"--seat: {seat} needs --constituency")
    rows = _view(
        ctx,
        lambda org: views.mandates(org, council=council, constituency=constituency, seat=seat),
        as_of,
    )
    if json_out:
        print_json({"mandates": rows})
        return
    table = Table(title="Mandates")
    for col in ("#", "constituency", "seat", "delegate", "adopted", "text"):
        table.add_column(col)
    for r in rows:
        who = r["delegate"] or f"delegate {r['delegate_id']}"
        if r["delegate_status"] and r["delegate_status"] != "sitting":
            who += f" ({r['delegate_status']})"
        table.add_row(
            str(r["number"]), r["constituency"], str(r["seat"]), who, r["adopted_on"], r["text"]
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach the constituency and petition groups (the other commands join the council,
    congress and mandate groups when this module is imported)."""
    app.add_typer(constituency_app, name="constituency")
    app.add_typer(petition_app, name="petition")
