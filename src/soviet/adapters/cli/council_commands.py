"""CLI commands for councils, constituencies, elections, recall and the ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from soviet.adapters.cli.common import AppState, console, fail, is_instance, lazy_module, print_json

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from soviet.application import commands as cmd
    from soviet.application.commands import Command
    from soviet.application.service import CouncilService
    from soviet.domain import rules
    from soviet.domain.calendar import Calendar
    from soviet.domain.model import Organisation
    from soviet.views import council as council_views
else:
    cmd = lazy_module("soviet.application.commands")
    rules = lazy_module("soviet.domain.rules")
    council_views = lazy_module("soviet.views.council")

# The errors a command reports as one line (exit 2); named, not imported (see is_instance).
_USER_ERRORS = (
    "soviet.domain.errors:DomainError",
    "soviet.adapters.storage.base:StorageError",
    "soviet.application.scenario:ScenarioError",
    "soviet.adapters.scenario_file:ScenarioFileError",
    "soviet.application.ledger:LedgerError",
)

council_app = typer.Typer(help="Show, report on, dissolve councils; list stale delegates.")
recall_app = typer.Typer(help="Recall petitions: open, sign, status.")
elector_app = typer.Typer(help="Elector rolls: add, move, remove electors; set headcounts.")
mandate_app = typer.Typer(
    help="Mandates: binding instructions a constituency adopts for its delegate."
)

T = TypeVar("T")
_WHOLE = re.compile(r"[0-9]+")  # ASCII digits: str.isdigit would take "²", int() "٣"

AS_OF = typer.Option(None, "--as-of", help="Show the state after ledger event SEQ (replayed).")
JSON = typer.Option(False, "--json", help="Print JSON (stable shape, see docs/cli.md).")
DATE = typer.Option(None, "--date", help="YYYY-MM-DD (default: today).")
CALENDAR = typer.Option("gregorian", "--calendar", help="Calendar of --date: gregorian or julian.")


@contextmanager
def guard() -> Iterator[None]:
    """Turn rule and input errors into one line on stderr and exit code 2."""
    try:
        yield
    except Exception as exc:
        if not is_instance(exc, *_USER_ERRORS):
            raise
        fail(str(exc))


def _service(ctx: typer.Context) -> CouncilService:
    from soviet.adapters.storage import open_service

    state: AppState = ctx.obj
    with guard():
        return open_service(state.db)
    raise AssertionError("unreachable")


def _date(text: str | None, calendar: str, option: str = "--date") -> dt.date:
    """A date option in the ``--calendar`` given (default today); a bad one is one line
    naming the option."""
    if calendar not in ("gregorian", "julian"):
        fail(f"--calendar must be gregorian or julian, got {calendar!r}")
    if text is None:
        return dt.date.today()
    from soviet.domain.calendar import parse_date

    try:
        cal: Calendar = "julian" if calendar == "julian" else "gregorian"
        return parse_date(text, cal)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def _run(ctx: typer.Context, command: Command) -> dict[str, Any]:
    """Hand the command to the service; the ledger entry it appended, as JSON data."""
    service = _service(ctx)
    if ctx.obj.force_date:
        command = dataclasses.replace(command, force_date=True)
    with guard():
        entry = service.handle(command, ctx.obj.recorder())
        return entry.data()
    raise AssertionError("unreachable")


def _view(ctx: typer.Context, view: Callable[[Organisation], T], as_of: int | None) -> T:
    """Run a view (``soviet.views``) on the live state, or on the state after event
    ``as_of``; rule errors (an unknown council...) become one line and exit 2."""
    service = _service(ctx)
    if as_of is not None and not 0 <= as_of <= service.last_seq():
        fail(f"--as-of: no ledger event {as_of} (the ledger holds 1..{service.last_seq()})")
    with guard():
        return service.query(view, as_of)
    raise AssertionError("unreachable")


def _dual(iso: str | None) -> str:
    from soviet.domain.calendar import format_dual

    return "" if iso is None else format_dual(dt.date.fromisoformat(iso))


# --- set-up ----------------------------------------------------------------------------
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the database schema."""
    from soviet.adapters.storage import open_service

    with guard():
        open_service(ctx.obj.db, initialise=True)
    console.print(f"initialised {ctx.obj.db}")


def import_scenario(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., help="Scenario YAML file (schema: schemas/scenario.schema.json)."
    ),
    json_out: bool = JSON,
) -> None:
    """Import a scenario: all of it in one transaction, or nothing."""
    from soviet.adapters.scenario_file import load_scenario
    from soviet.adapters.storage import open_service
    from soviet.application.scenario import ScenarioError, run_scenario

    with guard():
        scenario = load_scenario(path)
        service = open_service(ctx.obj.db)
        try:
            entries = run_scenario(service, scenario, ctx.obj.recorder())
        except ScenarioError as exc:
            fail(f"{path}: {exc}")
    if json_out:
        print_json(
            {
                "scenario": scenario.scenario,
                "events": len(entries),
                "first_seq": entries[0].seq if entries else None,
                "last_seq": entries[-1].seq if entries else None,
            }
        )
        return
    console.print(f"imported {scenario.scenario!r}: {len(entries)} events")


def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from soviet.application.scenario import scenario_json_schema

    print_json(scenario_json_schema())


# --- council ---------------------------------------------------------------------------
PLOT = typer.Option(
    None, "--plot", help="Also draw the figure to FILE.svg or FILE.png (matplotlib)."
)


def save_plot(figure: Figure, path: Path) -> None:
    """Write ``figure`` to ``path`` (.svg or .png) or fail with one line naming it."""
    if path.suffix.lower() not in (".svg", ".png"):
        fail(f"--plot: {str(path)!r} must end in .svg or .png")
    try:
        figure.savefig(path, bbox_inches="tight")
    except OSError as exc:
        fail(f"--plot: cannot write {path}: {exc.strerror or exc}")
    typer.echo(f"figure written to {path}", err=True)  # stderr: --json stays clean


@council_app.command("show")
def council_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
    plot: Path | None = PLOT,
) -> None:
    """Composition: seats, delegates, groups; ``--plot`` draws it as a hemicycle."""
    from soviet.views.council import composition

    data = _view(ctx, lambda org: composition(org, name), as_of)
    if plot is not None:
        from soviet.adapters.figures import hemicycle

        save_plot(hemicycle(data), plot)
    if json_out:
        print_json(data)
        return
    print_composition(data)


def print_composition(data: dict[str, Any], *, delegates: bool = True) -> None:
    """Render a council's composition with rich."""
    from rich.table import Table

    console.print(
        f"[bold]{data['council']}[/]: {data['seats']} seats, {data['filled']} filled, "
        f"{data['vacant']} vacant"
        + (
            ""
            if not data["sections"]
            else f"; sections {', '.join(data['sections'])} sit "
            + ("together" if data["sections_merged"] else "apart")
        )
    )
    groups = Table(title="Seats by group")
    groups.add_column("group")
    groups.add_column("seats", justify="right")
    groups.add_column("share", justify="right")
    for group, n in data["groups"].items():
        groups.add_row(group, str(n), f"{n / data['seats']:.1%}" if data["seats"] else "-")
    console.print(groups)
    if data["largest_group"]:
        verdict = "holds a majority" if data["largest_group_has_majority"] else "has no majority"
        console.print(f"largest group: {data['largest_group']} ({verdict})")
    if not delegates:
        return
    table = Table(title="Delegates")
    for col in ("constituency", "seats", "seat", "delegate", "group", "rights", "elected"):
        table.add_column(col)
    for c in data["constituencies"]:
        held = {d["seat"]: d for d in c["delegates"]}
        for seat in range(1, c["seats"] + 1):
            d = held.get(seat)
            table.add_row(
                c["name"],
                str(c["seats"]),
                str(seat),
                d["name"] if d else "[dim]vacant[/]",
                (d["group"] or "") if d else "",
                d["rights"] if d else "",
                d["elected_on"] if d else "",
            )
    console.print(table)
    mandates = [
        f"{c['name']}, seat {d['seat']} ({d['name']}): mandate {m['number']} of "
        f"{m['adopted_on']}: {m['text']}"
        for c in data["constituencies"]
        for d in c["delegates"]
        for m in d["mandates"]
    ]
    if mandates:
        console.print("Mandates of the sitting delegates:")
        for line in mandates:
            console.print(f"  {line}", markup=False, highlight=False)


@council_app.command("report")
def council_report(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    section: str | None = typer.Option(None, "--section", help="Only this section."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
    plot: Path | None = PLOT,
) -> None:
    """Representation report: seats against electors, weights, disproportionality indices;
    ``--plot`` draws electors per seat by constituency."""
    from soviet.views.council import representation_report

    data = _view(ctx, lambda org: representation_report(org, name, section), as_of)
    if plot is not None:
        from soviet.adapters.figures import electors_per_seat

        save_plot(electors_per_seat(data), plot)
    if json_out:
        print_json(data)
        return
    print_report(data)


def _fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def print_report(data: dict[str, Any], *, constituencies: bool = True) -> None:
    """Render a representation report with rich."""
    from rich.table import Table

    where = f", {data['section']} section" if data["section"] else ""
    console.print(
        f"[bold]{data['council']}{where}[/]: {data['seats']} seats for {data['electors']:,} "
        f"electors (rule: {json.dumps(data['seat_rule'])})"
    )
    for title, key, show in (
        ("By kind of constituency", "kinds", True),
        ("By constituency", "constituencies", constituencies),
    ):
        if not show:
            continue
        table = Table(title=title)
        for col in (
            "unit",
            "electors",
            "elector share",
            "seats",
            "seat share",
            "electors/seat",
            "weight",
        ):
            table.add_column(col, justify="left" if col == "unit" else "right")
        for u in data[key]:
            table.add_row(
                u["name"],
                f"{u['electors']:,}",
                f"{u['elector_share']:.1%}",
                str(u["seats"]),
                f"{u['seat_share']:.1%}",
                _fmt(u["electors_per_seat"], ",.0f"),
                _fmt(u["weight"], ".2f"),
            )
        console.print(table)
    ix = data["indices"]
    console.print(
        f"Loosemore-Hanby {ix['loosemore_hanby']:.2f} "
        f"(by kind {ix['loosemore_hanby_by_kind']:.2f}), "
        f"Gallagher {ix['gallagher']:.2f} (by kind {ix['gallagher_by_kind']:.2f}), "
        f"largest weight ratio {_fmt(ix['max_weight_ratio'], '.1f')}"
    )


@council_app.command("dissolve")
def council_dissolve(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    votes_for: int | None = typer.Option(None, "--for", help="Votes for dissolution."),
    votes_against: int | None = typer.Option(None, "--against", help="Votes against."),
    json_out: bool = JSON,
) -> None:
    """The council votes to dissolve itself: every seat falls vacant for re-election."""
    from soviet.domain.calendar import format_dual

    when = _date(date, calendar)
    entry = _run(
        ctx,
        cmd.DissolveCouncil(
            council=name, date=when, votes_for=votes_for, votes_against=votes_against
        ),
    )
    if json_out:
        print_json(entry)
        return
    console.print(
        f"{name} dissolved on {format_dual(when)}: "
        f"{len(entry['payload']['vacated'])} seats vacant (event {entry['seq']})"
    )


@council_app.command("sections")
def council_sections(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    merge: bool = typer.Option(..., "--merge/--apart", help="Sections sit together or apart."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Merge a council's sections or let them sit apart."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.ArrangeSections(council=name, merged=merge, date=when))
    console.print(f"{name}: sections {'merged' if merge else 'apart'} (event {entry['seq']})")


@council_app.command("stale")
def council_stale(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Council name."),
    on: str | None = typer.Option(
        None, "--on", help="Reference date, YYYY-MM-DD (default: today)."
    ),
    calendar: str = typer.Option(
        "gregorian", "--calendar", help="Calendar of --on: gregorian or julian."
    ),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Delegates elected longer ago than their term or the council's maximum term."""
    from rich.table import Table

    from soviet.domain.calendar import format_dual

    when = _date(on, calendar, "--on")
    data = _view(ctx, lambda org: council_views.stale(org, name, when), as_of)
    rows = data["stale"]
    if json_out:
        print_json(data)
        return
    table = Table(title=f"{name}: delegates past their term on {format_dual(when)}")
    for col in ("constituency", "seat", "delegate", "group", "elected", "days", "limit"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["constituency"],
            str(r["seat"]),
            r["name"],
            r["group"] or "",
            _dual(r["elected_on"]),
            str(r["days"]),
            str(r["limit_days"]),
        )
    console.print(table if rows else f"{name}: no stale delegates on {format_dual(when)}")


# --- elections and mandates -------------------------------------------------------------
def parse_candidate(token: str, voice_only: set[str]) -> rules.Candidate:
    """``NAME[@GROUP][=VOTES]``."""
    head, sep, votes_text = token.partition("=")
    name, _, group = head.partition("@")
    votes = 0
    if sep:
        if not _WHOLE.fullmatch(votes_text.strip()):
            fail(f"candidate {token!r}: votes must be a whole number >= 0, got {votes_text!r}")
        votes = int(votes_text)
    if not name.strip():
        fail(f"candidate {token!r}: name is empty")
    rights = "voice-only" if name in voice_only else "voice-and-vote"
    return rules.Candidate(name.strip(), group.strip() or None, votes, rights)  # type: ignore[arg-type]


def elect(
    ctx: typer.Context,
    constituency: str = typer.Argument(..., help="Constituency electing."),
    candidates: list[str] = typer.Argument(
        None, help="Candidates as NAME[@GROUP]=VOTES (with --ballots: NAME@GROUP)."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    method: str = typer.Option(
        "plurality",
        "--method",
        help="plurality (one seat), block, or a PR method over groups "
        "(dhondt, sainte-lague, hare...).",
    ),
    seats: int | None = typer.Option(None, "--seats", help="Seats to fill (default: all vacant)."),
    term_days: int | None = typer.Option(None, "--term-days", help="Term limit in days."),
    voice_only: list[str] = typer.Option(
        [], "--voice-only", help="Candidate with voice but no vote."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed for ties broken by lot."),
    ballots: Path | None = typer.Option(
        None,
        "--ballots",
        help="Ranked ballots (BLT, or CSV with --format csv); counted by --method "
        "(stv-scottish, stv-meek, irv, schulze, block...). Candidates then only give groups.",
    ),
    ballot_format: str = typer.Option("blt", "--format", help="Ballot file format: blt or csv."),
    json_out: bool = JSON,
) -> None:
    """Elect delegates to a constituency's vacant seats from counts or ballots."""
    from soviet.domain.calendar import format_dual

    when = _date(date, calendar)
    parsed = [parse_candidate(c, set(voice_only)) for c in candidates or []]
    rankings = _read_rankings(ballots, ballot_format) if ballots else []
    entry = _run(
        ctx,
        cmd.ElectDelegates(
            constituency=constituency,
            candidates=parsed,
            date=when,
            seats=seats,
            method=method,
            term_days=term_days,
            seed=seed,
            rankings=rankings,
        ),
    )
    if json_out:
        print_json(entry)
        return
    for d in entry["payload"]["elected"]:
        console.print(
            f"{constituency} seat {d['seat']}: {d['name']} "
            f"({d['group'] or 'no group'}) elected {format_dual(when)}"
        )


def _read_rankings(path: Path, fmt: str) -> list[tuple[list[str], int]]:
    """Ballots from a file as (ranking, count) pairs, grouped."""
    from soviet.count.io import BallotFileError, read_blt, read_csv_ranked

    if fmt not in ("blt", "csv"):
        fail(f"--format must be blt or csv, got {fmt!r}")
    try:
        ballots = read_blt(path) if fmt == "blt" else read_csv_ranked(path)
    except (BallotFileError, OSError) as exc:
        fail(str(exc))
    names = ballots.candidates
    return [
        ([names[i] for i in row if i >= 0], int(n))
        for row, n in zip(ballots.rankings.tolist(), ballots.weights.tolist(), strict=True)
        if n > 0
    ]


@mandate_app.command("adopt")
def mandate(
    ctx: typer.Context,
    constituency: str = typer.Argument(..., help="Constituency giving the mandate."),
    text: str = typer.Argument(..., help="The instructions."),
    seat: int | None = typer.Option(None, "--seat", help="Seat, when several delegates sit."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Adopt a mandate (binding instructions) for the constituency's delegate."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.AdoptMandate(constituency=constituency, text=text, date=when, seat=seat))
    console.print(f"mandate {entry['payload']['number']} adopted (event {entry['seq']})")


# --- recall ----------------------------------------------------------------------------
@recall_app.command("open")
def recall_open(
    ctx: typer.Context,
    constituency: str = typer.Argument(..., help="Constituency of the delegate(s)."),
    by: str = typer.Option(
        ..., "--by", help="Elector opening the petition (NAME#k on numbered rolls)."
    ),
    seat: list[int] = typer.Option([], "--seat", help="Seat to recall (repeat for several)."),
    whole: bool = typer.Option(False, "--all", help="Recall the whole delegation."),
    replacement: list[str] = typer.Option(
        [],
        "--replacement",
        help="NAME[@GROUP] to take a recalled seat, one per delegate (replacement councils).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Open a recall petition against a constituency's delegate(s)."""
    when = _date(date, calendar)
    repl = [parse_candidate(r, set()) for r in replacement]
    entry = _run(
        ctx,
        cmd.OpenRecall(
            constituency=constituency,
            opened_by=by,
            date=when,
            seats=seat,
            whole_delegation=whole,
            replacements=repl,
        ),
    )
    if json_out:
        print_json(entry)
        return
    payload = entry["payload"]
    console.print(
        f"petition {payload['petition']} opened against {len(payload['delegate_ids'])} "
        f"delegate(s) of {constituency} (event {entry['seq']})"
    )


@recall_app.command("sign")
def recall_sign(
    ctx: typer.Context,
    petition: int = typer.Argument(..., help="Petition number."),
    electors: list[str] = typer.Argument(None, help="Signing electors."),
    numbers: str | None = typer.Option(None, "--numbers", help="Numbered roll range FIRST-LAST."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Sign a recall petition; reaching the threshold recalls the delegate."""
    from soviet.application.numbers import parse_range

    when = _date(date, calendar)
    signers = list(electors or [])
    if numbers:
        try:
            roll = parse_range(numbers)
        except ValueError as exc:
            fail(f"--numbers: {exc}")
        home = _view(ctx, lambda org: rules.get_petition(org, petition).constituency, None)
        signers += [f"{home}#{k}" for k in roll]
    entry = _run(ctx, cmd.SignRecall(petition=petition, electors=signers, date=when))
    if json_out:
        print_json(entry)
        return
    payload = entry["payload"]
    outcome = payload["outcome"]
    console.print(f"petition {petition}: {payload['signatures']} signatures (event {entry['seq']})")
    if outcome:
        console.print(
            f"recalled: delegates {', '.join(map(str, outcome['recalled']))}; "
            + (
                "replaced by " + ", ".join(r["name"] for r in outcome["replacements"])
                if outcome["replacements"]
                else "the seats are open for a by-election"
            )
        )


@recall_app.command("withdraw")
def recall_withdraw(
    ctx: typer.Context,
    petition: int = typer.Argument(..., help="Petition number."),
    elector: str = typer.Argument(..., help="The elector taking their signature back."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Take an elector's signature off a petition that is still open."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.WithdrawSignature(petition=petition, elector=elector, date=when))
    if json_out:
        print_json(entry)
        return
    left = entry["payload"]["signatures"]
    console.print(
        f"petition {petition}: {elector} withdrew, {left} signatures left (event {entry['seq']})"
    )


@council_app.command("secretary")
def council_secretary(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council."),
    member: str = typer.Argument(..., help="The member (their member id)."),
    dismiss: bool = typer.Option(False, "--dismiss", help="Dismiss instead of appointing."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Appoint a member a secretary of a council (who keeps its rolls, elections and
    petitions through the HTTP API), or with --dismiss end the appointment."""
    when = _date(date, calendar)
    kind = cmd.DismissSecretary if dismiss else cmd.AppointSecretary
    entry = _run(ctx, kind(council=council, member=member, date=when))
    if json_out:
        print_json(entry)
        return
    done = "dismissed as" if dismiss else "appointed"
    console.print(f"{member} {done} a secretary of {council} (event {entry['seq']})")


@recall_app.command("status")
def recall_status(
    ctx: typer.Context,
    petition: int | None = typer.Argument(None, help="Petition number (default: all)."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Petitions with their signatures against the number needed."""
    rows = _view(ctx, lambda org: council_views.petitions(org, petition), as_of)
    if json_out:
        print_json({"petitions": rows})
        return
    print_petitions(rows)


def print_petitions(rows: list[dict[str, Any]]) -> None:
    """Petitions (``views.council.petitions`` rows) as a table."""
    from rich.table import Table

    table = Table(title="Recall petitions")
    for col in (
        "#",
        "constituency",
        "delegates",
        "status",
        "signatures",
        "needed",
        "roll",
        "opened",
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["petition"]),
            r["constituency"],
            ", ".join(r["delegates"]),
            r["status"],
            str(r["signatures"]),
            str(r["needed"]),
            str(r["headcount"]),
            _dual(r["opened_on"]),
        )
    console.print(table)


# --- electors --------------------------------------------------------------------------
@elector_app.command("add")
def elector_add(
    ctx: typer.Context,
    constituency: str = typer.Argument(..., help="Constituency with a named roll."),
    electors: list[str] = typer.Argument(..., help="Elector names."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Enrol electors on a named roll."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.EnrolElectors(constituency=constituency, electors=electors, date=when))
    console.print(f"{len(electors)} enrolled in {constituency} (event {entry['seq']})")


@elector_app.command("move")
def elector_move(
    ctx: typer.Context,
    elector: str = typer.Argument(..., help="Elector name."),
    to: str = typer.Option(..., "--to", help="Destination constituency."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Move an elector to another constituency."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.MoveElector(elector=elector, to=to, date=when))
    console.print(f"{elector} moved to {to} (event {entry['seq']})")


@elector_app.command("remove")
def elector_remove(
    ctx: typer.Context,
    elector: str = typer.Argument(..., help="Elector name."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Strike an elector off the roll."""
    when = _date(date, calendar)
    entry = _run(ctx, cmd.RemoveElector(elector=elector, date=when))
    console.print(f"{elector} removed (event {entry['seq']})")


@elector_app.command("headcount")
def elector_headcount(
    ctx: typer.Context,
    constituency: str = typer.Argument(..., help="Constituency with a numbered roll."),
    headcount: int = typer.Argument(..., help="New headcount."),
    vacate_surplus: bool = typer.Option(
        False,
        "--vacate-surplus",
        help="A cut that abolishes seats delegates hold (seats above the new count) "
        "unseats them (otherwise it is refused).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
) -> None:
    """Set the headcount of a numbered roll."""
    when = _date(date, calendar)
    command = cmd.SetHeadcount(
        constituency=constituency, headcount=headcount, date=when, vacate_surplus=vacate_surplus
    )
    entry = _run(ctx, command)
    vacated = entry["payload"].get("vacated") or []
    unseated = f"; {len(vacated)} delegates unseated" if vacated else ""
    console.print(f"{constituency}: headcount {headcount}{unseated} (event {entry['seq']})")


# --- ledger ----------------------------------------------------------------------------
def history(
    ctx: typer.Context,
    json_out: bool = JSON,
    as_of: int | None = typer.Option(None, "--as-of", help="Only events up to SEQ."),
    event_type: str | None = typer.Option(None, "--type", help="Only events of this type."),
) -> None:
    """List ledger events, each as a sentence (``--json``: the entries themselves)."""
    from rich.table import Table

    service = _service(ctx)
    if json_out:
        entries = [e for e in service.history(as_of) if event_type in (None, e.type)]
        print_json({"events": [e.data() for e in entries]})
        return
    from soviet.views.history import Narrator

    operator: str = ctx.obj.operator()
    narrator = Narrator()
    rows: list[tuple[str, str, str, str]] = []
    for e in service.history(as_of):
        # Every entry is narrated, shown or not: later sentences name what earlier ones set up.
        line = narrator.line(e.type, e.payload)
        if event_type in (None, e.type):
            rows.append(
                (str(e.seq), line.date, line.sentence, "" if e.actor == operator else e.actor)
            )
    table = Table(title="Ledger")
    table.add_column("seq", justify="right")
    table.add_column("date", no_wrap=True)
    table.add_column("event")
    with_actor = any(r[3] for r in rows)
    if with_actor:
        table.add_column("actor")
    for row in rows:
        table.add_row(*(row if with_actor else row[:3]))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach the council commands to the main application."""
    app.command("init")(init)
    app.command("import")(import_scenario)
    app.command("schema")(schema)
    app.command("elect")(elect)
    app.add_typer(mandate_app, name="mandate")
    app.command("history")(history)
    app.add_typer(council_app, name="council")
    app.add_typer(recall_app, name="recall")
    app.add_typer(elector_app, name="elector")
