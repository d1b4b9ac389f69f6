"""``soviet consent``: consent workflows (workers' control). A management's action of a
covered type (hire, dismiss, or any configured type) needs a committee's consent; on
disagreement it goes to a higher council whose decision binds both sides; nothing takes
effect until finally decided; where the office committee does not exist the general one
consents; a challenge goes to a conciliation committee (Moscow "Decree No. 1",
003:5747-5787). Each command builds the command object the HTTP API builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from soviet.adapters.cli.common import console, lazy_module, print_json
from soviet.adapters.cli.council_commands import AS_OF, CALENDAR, DATE, JSON, _date, _view
from soviet.adapters.cli.order_commands import _apply

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.views import consent as views
else:
    cmd = lazy_module("soviet.application.commands")
    views = lazy_module("soviet.views.consent")

consent_app = typer.Typer(
    help="Consent workflows: rules, proposed actions, consent, refusal, escalation, "
    "challenge, binding decisions, defaults after the deadline.",
    no_args_is_help=True,
)
NUMBER = typer.Argument(..., help="The workplace action's number.")


@consent_app.command("rule")
def rule(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Name of the rule."),
    council: str = typer.Option(..., "--council", help="The council setting it up."),
    workplace: str = typer.Option(..., "--workplace", help="The workplace (a unit of it)."),
    action: list[str] = typer.Option(
        ..., "--action", help="An action type that needs consent (repeat): hire, dismiss..."
    ),
    committee: str | None = typer.Option(
        None, "--committee", help="The committee of the employees concerned (the office's)."
    ),
    general: str | None = typer.Option(
        None, "--general", help="The general (factory) committee: consents where no --committee."
    ),
    escalation: str = typer.Option(
        ..., "--escalation", help="The higher council that decides a disagreement, binding."
    ),
    conciliation: str = typer.Option(
        ..., "--conciliation", help="The conciliation committee set up by the council."
    ),
    deadline_days: int = typer.Option(
        3, "--deadline-days", help="Days for the committee to decide before the default."
    ),
    default_outcome: str = typer.Option(
        "refuse",
        "--default-outcome",
        help="Outcome when the committee does not decide in time: refuse|consent.",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Make a workplace's action types need a committee's consent."""
    command = cmd.SetUpConsentRule(
        name=name,
        council=council,
        workplace=workplace,
        actions=action,
        committee=committee,
        general=general,
        escalation=escalation,
        conciliation=conciliation,
        deadline_days=deadline_days,
        default_outcome=default_outcome,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"consent rule {name} set up for {workplace}")


@consent_app.command("propose")
def propose(
    ctx: typer.Context,
    rule_name: str = typer.Argument(..., metavar="RULE", help="The consent rule."),
    action: str = typer.Argument(..., help="The action type (hire, dismiss...)."),
    subject: str = typer.Argument(..., help="Whom or what it concerns."),
    by: str = typer.Option(..., "--by", help="The management proposing it."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The management proposes an action: pending, not in effect."""
    command = cmd.ProposeAction(
        rule=rule_name, action=action, subject=subject, proposed_by=by, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"{action} of {subject} proposed by {by}: pending")


@consent_app.command("approve")
def approve(
    ctx: typer.Context,
    number: int = NUMBER,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The committee consents: the action takes effect."""
    command = cmd.ConsentToAction(number=number, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"action {number}: consented, in effect")


@consent_app.command("refuse")
def refuse(
    ctx: typer.Context,
    number: int = NUMBER,
    reason: str = typer.Option(..., "--reason", help="Why."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The committee refuses, with the reason: nothing takes effect."""
    command = cmd.RefuseAction(number=number, reason=reason, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"action {number}: refused")


@consent_app.command("escalate")
def escalate(
    ctx: typer.Context,
    number: int = NUMBER,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Submit a refused action to the higher council, whose decision binds both sides."""
    command = cmd.EscalateAction(number=number, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"action {number}: submitted to the higher council")


@consent_app.command("challenge")
def challenge(
    ctx: typer.Context,
    number: int = NUMBER,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The general committee challenges the office committee's refusal before the
    conciliation committee (003:5765-5768)."""
    command = cmd.ChallengeAction(number=number, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"action {number}: challenged before conciliation")


@consent_app.command("decide")
def decide(
    ctx: typer.Context,
    number: int = NUMBER,
    consent: bool = typer.Option(
        ..., "--consent/--refuse", help="The binding decision: the action takes effect or not."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The higher council or conciliation committee decides, binding both sides."""
    command = cmd.DecideAction(number=number, consent=consent, date=_date(date, calendar))
    outcome = "in effect" if consent else "not in effect"
    _apply(ctx, json_out, command, f"action {number}: finally decided, {outcome}")


@consent_app.command("default")
def default(
    ctx: typer.Context,
    number: int = NUMBER,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """After the deadline with no decision, the rule's default outcome applies."""
    command = cmd.ApplyConsentDefault(number=number, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"action {number}: the rule's default applied")


@consent_app.command("show")
def show(
    ctx: typer.Context,
    rule_name: str | None = typer.Argument(None, metavar="[RULE]", help="One rule only."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
) -> None:
    """Consent rules and every proposed action: state, in effect or not, who decided."""
    if rule_name is not None:
        one = _view(ctx, lambda org: views.consent_rule(org, rule_name), as_of)
        if json_out:
            print_json(one)
            return
        data = {"rules": [one], "actions": one["actions_proposed"]}
    else:
        data = _view(ctx, views.consent, as_of)
        if json_out:
            print_json(data)
            return
    if not data["rules"]:
        console.print("no consent rules")
        return
    from rich.table import Table

    for r in data["rules"]:
        console.print(
            f"{r['name']}: {', '.join(r['actions'])} at {r['workplace']} need the consent of "
            f"{r['decider']}; disagreement to {r['escalation']}, challenge to "
            f"{r['conciliation']}; default after {r['deadline_days']} d: {r['default_outcome']}",
            markup=False,
            highlight=False,
        )
    table = Table(title="Workplace actions")
    for col in ("#", "rule", "action", "subject", "proposed", "state", "in effect", "decided by"):
        table.add_column(col)
    for a in data["actions"]:
        state = a["status"] + (" (final)" if a["final"] else "")
        if a["reason"]:
            state += f": {a['reason']}"
        table.add_row(
            str(a["number"]),
            a["rule"],
            a["action"],
            a["subject"],
            f"{a['proposed_on']} by {a['proposed_by']}",
            state,
            "yes" if a["effective"] else "no",
            a["decided_by"] or "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach ``soviet consent``."""
    app.add_typer(consent_app, name="consent")
