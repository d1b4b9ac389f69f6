"""``soviet oversight``, ``soviet unit``, ``soviet commissioner``, ``soviet order``: units
and the committees that oversee them, commissioners attached to units, orders valid only
when countersigned, and the unit's log. Each builds the same command the HTTP API does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, lazy_module, print_json
from soviet.adapters.cli.congress_commands import _changed
from soviet.adapters.cli.council_commands import AS_OF, CALENDAR, DATE, JSON, _date, _dual, _view

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.application.commands import Command
    from soviet.views import orders as views
else:
    cmd = lazy_module("soviet.application.commands")
    views = lazy_module("soviet.views.orders")

oversight_app = typer.Typer(
    help="Oversight committees: form one whose countersignature orders to its units need."
)
unit_app = typer.Typer(
    help="Units (a regiment, an institution): create, place under a committee, record an "
    "action, list, show the log."
)
commissioner_app = typer.Typer(help="Commissioners attached to units: appoint, recall.")
order_app = typer.Typer(
    help="Orders to units: issue, countersign, return with the reason (valid only when "
    "countersigned)."
)


def _apply(ctx: typer.Context, json_out: bool, command: Command, message: str) -> None:
    """Run the command; the ledger entry with --json, else ``message`` and its event."""
    entry = _changed(ctx, json_out, command)
    if not json_out:
        console.print(f"{message} (event {entry['seq']})", markup=False, highlight=False)


# --- oversight committees --------------------------------------------------------------
@oversight_app.command("form")
def oversight_form(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Committee name."),
    council: str = typer.Option(..., "--council", help="The council forming it."),
    member: list[str] = typer.Option(..., "--member", help="A member id (repeat)."),
    rule: str = typer.Option(
        "all", "--rule", help="Whose countersignature makes an order valid: all, k-of-n, roles."
    ),
    k: int | None = typer.Option(None, "--k", help="With --rule k-of-n: how many members."),
    role: list[str] = typer.Option(
        [], "--role", help="MEMBER=ROLE: a member's role on the committee (repeat)."
    ),
    require: list[str] = typer.Option(
        [], "--require", help="With --rule roles: a role whose signature is needed (repeat)."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Form an oversight committee of a council, with its rule of countersignature."""
    roles: dict[str, str] = {}
    for token in role:
        who, sep, what = token.partition("=")
        if not sep or not who.strip() or not what.strip():
            fail(f"--role: expected MEMBER=ROLE, got {token!r}")
        roles[who.strip()] = what.strip()
    command = cmd.FormOversightCommittee(
        name=name,
        council=council,
        members=member,
        rule=rule,
        k=k,
        roles=roles,
        required_roles=require,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"oversight committee {name} formed")


# --- units -----------------------------------------------------------------------------
@unit_app.command("create")
def unit_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Unit name."),
    council: str = typer.Option(..., "--council", help="The council it belongs to."),
    constituency: str | None = typer.Option(
        None, "--constituency", help="The constituency it forms (default: none, it stands alone)."
    ),
    committee: str | None = typer.Option(
        None, "--committee", help="The oversight committee over it."
    ),
    restricted: list[str] = typer.Option(
        [],
        "--restricted",
        help="An action type valid only on order of its commissioners (repeat), e.g. issue-arms.",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Create a unit of a council."""
    command = cmd.CreateUnit(
        name=name,
        council=council,
        constituency=constituency,
        committee=committee,
        restricted=restricted,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"unit {name} created")


@unit_app.command("place")
def unit_place(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit name."),
    committee: str = typer.Option(..., "--committee", help="The oversight committee."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Place a unit under an oversight committee (orders issued from then on need its
    countersignature)."""
    command = cmd.PlaceUnit(unit=unit, committee=committee, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"unit {unit} placed under {committee}")


@unit_app.command("act")
def unit_act(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit name."),
    action: str = typer.Argument(..., help="Action type, e.g. issue-arms."),
    by: str = typer.Option(..., "--by", help="Who took it."),
    order: int | None = typer.Option(None, "--order", help="The valid order it carries out."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Record an action taken in a unit: on a valid order, or (for an action type the
    unit does not restrict) without one. An order not countersigned is refused."""
    command = cmd.TakeAction(
        unit=unit, action=action, taken_by=by, order=order, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"{action} recorded in {unit}")


@unit_app.command("list")
def unit_list(ctx: typer.Context, as_of: int | None = AS_OF, json_out: bool = JSON) -> None:
    """Every unit: its committee, commissioners, and orders valid, pending, returned."""
    rows = _view(ctx, views.units, as_of)
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title="Units")
    for col in ("unit", "council", "committee", "commissioners", "valid", "pending", "returned"):
        table.add_column(col)
    for r in rows:
        o = r["orders"]
        table.add_row(
            r["name"],
            r["council"],
            r["committee"] or "",
            ", ".join(r["commissioners"]),
            str(o["valid"]),
            str(o["pending"]),
            str(o["returned"]),
        )
    console.print(table)


@unit_app.command("show")
def unit_show(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit name."),
    as_of: int | None = AS_OF,
    json_out: bool = JSON,
) -> None:
    """A unit's log: its committee and rule, commissioners, orders (valid, pending,
    returned with the reason) and the actions taken on them."""
    log = _view(ctx, views.unit_log(unit), as_of)
    if json_out:
        print_json(log)
        return
    print_log(log)


def print_log(log: dict[str, Any]) -> None:
    """A unit's log (``views.orders.unit_log``) as text and tables."""
    from rich.table import Table

    k = log["committee"]
    head = f"Unit {log['unit']} of {log['council']}"
    if log["constituency"]:
        head += f" (constituency {log['constituency']})"
    console.print(head, markup=False, highlight=False)
    if k is None:
        console.print("No oversight committee.", markup=False, highlight=False)
    else:
        console.print(
            f"Overseen by {k['name']} ({', '.join(k['members'])}): orders valid when "
            f"countersigned by {k['needs']}",
            markup=False,
            highlight=False,
        )
    if log["restricted"]:
        console.print(
            "Only on order of its commissioners: " + ", ".join(log["restricted"]),
            markup=False,
            highlight=False,
        )
    c = log["counts"]
    console.print(
        f"Orders: {c['valid']} valid, {c['pending']} pending, {c['returned']} returned",
        markup=False,
        highlight=False,
    )
    commissioners = Table(title="Commissioners")
    for col in ("#", "member", "appointed", "recalled"):
        commissioners.add_column(col)
    for m in log["commissioners"]:
        commissioners.add_row(
            str(m["number"]), m["member"], _dual(m["appointed_on"]), _dual(m["recalled_on"])
        )
    console.print(commissioners)
    orders = Table(title="Orders")
    for col in ("#", "issued", "by", "action", "text", "status", "countersigned", "why / actions"):
        orders.add_column(col)
    for o in log["orders"]:
        if o["status"] == "returned":
            note = f"returned by {o['returned_by']}: {o['reason']}"
        elif o["status"] == "pending":
            note = f"needs {o['needs']}; awaiting " + ", ".join(o["awaiting"])
        else:
            note = "actions " + ", ".join(str(n) for n in o["actions"]) if o["actions"] else ""
        orders.add_row(
            str(o["number"]),
            _dual(o["issued_on"]),
            o["issuer"] if o["by_commissioner"] else f"{o['issuer']} (body)",
            o["action"],
            o["text"],
            o["status"],
            ", ".join(o["countersigned_by"]),
            note,
        )
    console.print(orders)
    actions = Table(title="Actions")
    for col in ("#", "date", "action", "by", "order"):
        actions.add_column(col)
    for a in log["actions"]:
        actions.add_row(
            str(a["number"]),
            _dual(a["taken_on"]),
            a["action"],
            a["taken_by"],
            "" if a["order"] is None else str(a["order"]),
        )
    console.print(actions)


# --- commissioners ---------------------------------------------------------------------
@commissioner_app.command("appoint")
def commissioner_appoint(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit name."),
    member: str = typer.Argument(..., help="Member id of the commissioner."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Attach a commissioner to a unit (for its oversight committee)."""
    command = cmd.AppointCommissioner(unit=unit, member=member, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"{member} appointed commissioner of {unit}")


@commissioner_app.command("recall")
def commissioner_recall(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit name."),
    member: str = typer.Argument(..., help="Member id of the commissioner."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Recall a commissioner of a unit."""
    command = cmd.RecallCommissioner(unit=unit, member=member, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"{member} recalled as commissioner of {unit}")


# --- orders ----------------------------------------------------------------------------
@order_app.command("issue")
def order_issue(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="Unit the order is to."),
    action: str = typer.Option(..., "--action", help="Action type ordered, e.g. issue-arms."),
    text: str = typer.Option(..., "--text", help="The order's text."),
    by: str | None = typer.Option(None, "--by", help="The commissioner issuing it (member id)."),
    body: str | None = typer.Option(
        None, "--body", help="Or: the body issuing it (a staff, a council...)."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Issue an order to a unit; it is pending until the unit's committee countersigns it."""
    if (by is None) == (body is None):
        fail("--by/--body: give the commissioner (--by) or the body (--body), one of them")
    command = cmd.IssueOrder(
        unit=unit,
        issuer=by if by is not None else str(body),
        by_commissioner=by is not None,
        action=action,
        text=text,
        date=_date(date, calendar),
    )
    entry = _changed(ctx, json_out, command)
    if not json_out:
        console.print(
            f"order {entry['payload']['number']} to {unit} issued, pending countersignature "
            f"(event {entry['seq']})",
            markup=False,
            highlight=False,
        )


@order_app.command("countersign")
def order_countersign(
    ctx: typer.Context,
    order: int = typer.Argument(..., help="Order number."),
    member: str = typer.Option(..., "--member", help="The committee member signing."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Countersign an order for its committee; valid once the committee's rule is met."""
    command = cmd.CountersignOrder(order=order, member=member, date=_date(date, calendar))
    entry = _changed(ctx, json_out, command)
    if not json_out:
        state = "now valid" if entry["payload"]["valid"] else "still pending"
        console.print(
            f"order {order} countersigned by {member}: {state} (event {entry['seq']})",
            markup=False,
            highlight=False,
        )


@order_app.command("return")
def order_return(
    ctx: typer.Context,
    order: int = typer.Argument(..., help="Order number."),
    member: str = typer.Option(..., "--member", help="The committee member returning it."),
    reason: str = typer.Option(..., "--reason", help="Why it is refused."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Refuse a pending order and return it with the reason."""
    command = cmd.ReturnOrder(order=order, member=member, reason=reason, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"order {order} returned")


def register(app: typer.Typer) -> None:
    """Attach the oversight, unit, commissioner and order groups."""
    app.add_typer(oversight_app, name="oversight")
    app.add_typer(unit_app, name="unit")
    app.add_typer(commissioner_app, name="commissioner")
    app.add_typer(order_app, name="order")
