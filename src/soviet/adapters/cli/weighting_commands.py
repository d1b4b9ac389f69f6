"""CLI commands of weighted votes, proxies and mandates against votes (issue 11):
``soviet congress weight``, ``soviet congress proxy NAME grant|revoke|list`` and
``soviet congress mandate NAME bind|report|recall``. Weighted votes themselves are
``soviet congress vote open --weighted``; proxies are cast with ``vote cast --proxies``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, lazy_module, print_json
from soviet.adapters.cli.congress_commands import _changed, _congress_name, _int, congress_app
from soviet.adapters.cli.council_commands import AS_OF, CALENDAR, DATE, JSON, _date, _view

if TYPE_CHECKING:
    from soviet.application.commands import weighting as cmd
    from soviet.views import weighting as views
else:
    cmd = lazy_module("soviet.application.commands.weighting")
    views = lazy_module("soviet.views.weighting")

proxy_app = typer.Typer(
    help="Proxies of a congress: a delegate gives their vote to another (one hop).",
    no_args_is_help=True,
)
mandate_app = typer.Typer(
    help="Mandates against votes: bind a mandate to a motion, report breaches, recall.",
    no_args_is_help=True,
)


def weight(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="Congress."),
    credential: str = typer.Argument(..., metavar="CREDENTIAL", help="Credential number."),
    value: str | None = typer.Argument(
        None, metavar="WEIGHT", help="Electors the delegate stands for (omit with --clear)."
    ),
    clear: bool = typer.Option(
        False, "--clear", help="Weigh by the constituency's headcount again."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Declare the weight of a credential's ballot in weighted votes."""
    number = _int(credential, "credential", minimum=1)
    if clear == (value is not None):
        fail("weight: give WEIGHT, or --clear, not both or neither")
    amount = None if value is None else _int(value, "weight", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.DeclareWeight(congress=name, credential=number, weight=amount, date=when),
    )
    if not json_out:
        what = "cleared" if amount is None else f"set to {amount}"
        console.print(f"credential {number}: weight {what} (event {entry['seq']})")


@proxy_app.command("grant")
def proxy_grant(
    ctx: typer.Context,
    giver: str = typer.Argument(..., metavar="GIVER", help="Credential giving its vote."),
    holder: str = typer.Argument(..., metavar="HOLDER", help="Credential receiving it."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """GIVER gives their vote to HOLDER (where the call allows proxies)."""
    name = _congress_name(ctx)
    g = _int(giver, "giver", minimum=1)
    h = _int(holder, "holder", minimum=1)
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.GrantProxy(congress=name, giver=g, holder=h, date=when))
    if not json_out:
        number = entry["payload"]["number"]
        console.print(
            f"proxy {number}: credential {g} gave their vote to credential {h} "
            f"(event {entry['seq']})"
        )


@proxy_app.command("revoke")
def proxy_revoke(
    ctx: typer.Context,
    giver: str = typer.Argument(..., metavar="GIVER", help="Credential that gave its vote."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """GIVER takes back their vote (ballots already cast by the holder stay cast)."""
    name = _congress_name(ctx)
    g = _int(giver, "giver", minimum=1)
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.RevokeProxy(congress=name, giver=g, date=when))
    if not json_out:
        number = entry["payload"]["number"]
        console.print(f"proxy {number} revoked (event {entry['seq']})")


@proxy_app.command("list")
def proxy_list(
    ctx: typer.Context,
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """The congress's proxies, standing and revoked."""
    name = _congress_name(ctx)
    data = _view(ctx, lambda org: views.proxies(org, name), as_of)
    if json_out:
        print_json(data)
        return
    if not data["proxies"]:
        console.print(f"no proxies in {name}")
        return
    for p in data["proxies"]:
        state = "standing" if p["standing"] else f"revoked {p['revoked_on']}"
        console.print(
            f"proxy {p['number']}: {p['giver_name']} ({p['giver']}) -> "
            f"{p['holder_name']} ({p['holder']}), granted {p['granted_on']}, {state}",
            markup=False,
            highlight=False,
        )


@mandate_app.command("bind")
def mandate_bind(
    ctx: typer.Context,
    mandate: str = typer.Argument(..., metavar="MANDATE", help="Mandate number."),
    motion: str = typer.Argument(..., metavar="MOTION", help="Motion number."),
    position: str = typer.Argument(..., metavar="for|against|free", help="How to vote."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Bind a constituency's mandate to a motion: its delegate votes for, against, or free."""
    name = _congress_name(ctx)
    m = _int(mandate, "mandate", minimum=1)
    n = _int(motion, "motion", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.BindMandate(mandate=m, congress=name, motion=n, position=position, date=when),
    )
    if not json_out:
        number = entry["payload"]["number"]
        console.print(
            f"binding {number}: mandate {m} binds its delegate to vote {position} on motion "
            f"{n} (event {entry['seq']})"
        )


def print_report(data: dict[str, Any]) -> None:
    """Render ``views.weighting.mandate_report`` with rich."""
    from rich.table import Table

    t = data["counts"]
    tally = f"{t.get('for', 0)}-{t.get('against', 0)}-{t.get('abstain', 0)} by heads"
    w = data["weighted_counts"]
    if w is not None:
        tally = f"{w['for']}-{w['against']}-{w['abstain']} by weight, {tally}"
    console.print(
        f"vote {data['vote']} of {data['congress']} on motion {data['motion']} "
        f"({data['motion_title']}): {tally}",
        markup=False,
        highlight=False,
    )
    if not data["bindings"]:
        console.print("no mandate binds this motion")
        return
    table = Table(title="Mandates on the motion")
    for col in ("mandate", "constituency", "delegate", "bound", "voted", "cast by", "verdict"):
        table.add_column(col)
    for r in data["bindings"]:
        table.add_row(
            str(r["mandate"]),
            r["constituency"],
            r["delegate"],
            r["position"],
            r["choice"] or "-",
            r["cast_by_name"] or "",
            r["verdict"] + (f" (petition {r['recall_petition']})" if r["recall_petition"] else ""),
        )
    console.print(table)
    broke = data["against_mandate"]
    console.print(f"{len(broke)} voted against their mandate")


@mandate_app.command("report")
def mandate_report(
    ctx: typer.Context,
    vote: str = typer.Argument(..., metavar="VOTE", help="A closed roll call (or weighted vote)."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Who voted against their mandate in a roll call: each binding, kept or broken."""
    name = _congress_name(ctx)
    number = _int(vote, "vote", minimum=1)
    data = _view(ctx, lambda org: views.mandate_report(org, name, number), as_of)
    if json_out:
        print_json(data)
        return
    print_report(data)


@mandate_app.command("recall")
def mandate_recall(
    ctx: typer.Context,
    vote: str = typer.Argument(..., metavar="VOTE", help="The vote the report is of."),
    constituency: str = typer.Argument(..., metavar="CONSTITUENCY", help="Its delegate's."),
    by: str = typer.Option(..., "--by", help="The elector opening the petition."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Open a recall petition against CONSTITUENCY's delegates who voted against their
    mandate in VOTE, citing it (one step from the report)."""
    name = _congress_name(ctx)
    number = _int(vote, "vote", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.RecallOnMandate(
            congress=name, vote=number, constituency=constituency, opened_by=by, date=when
        ),
    )
    if not json_out:
        p = entry["payload"]
        console.print(
            f"recall petition {p['petition']} opened in {constituency} citing vote {number} "
            f"of {name} (event {entry['seq']})"
        )


@proxy_app.callback()
def proxy(
    ctx: typer.Context, name: str = typer.Argument(..., help="Congress.", metavar="NAME")
) -> None:
    """Proxies of congress NAME: grant, revoke, list (where its call allows them)."""
    ctx.meta["soviet.congress"] = name


@mandate_app.callback()
def mandate(
    ctx: typer.Context, name: str = typer.Argument(..., help="Congress.", metavar="NAME")
) -> None:
    """Mandates against the votes of congress NAME: bind, report, recall."""
    ctx.meta["soviet.congress"] = name


def register(app: typer.Typer) -> None:
    """Attach ``soviet congress weight|proxy|mandate`` (to the congress group)."""
    congress_app.command("weight")(weight)
    congress_app.add_typer(proxy_app, name="proxy")
    congress_app.add_typer(mandate_app, name="mandate")
