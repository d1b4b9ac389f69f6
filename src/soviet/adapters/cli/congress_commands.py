"""CLI commands for congresses: the call, credentials, the session, elections, motions,
votes and decrees (``soviet congress ...`` and ``soviet decrees``).

The CLI only parses, builds a command (``soviet.application.commands``), hands it to the
service and renders what comes back; the views it renders are ``soviet.views.congress``.
Bad input prints one line on stderr and exits 2; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail, lazy_module, print_json
from soviet.adapters.cli.council_commands import (
    AS_OF,
    CALENDAR,
    DATE,
    JSON,
    PLOT,
    _date,
    _run,
    _service,
    _view,
    parse_candidate,
    save_plot,
)

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.application.commands import Command
    from soviet.domain import congress_rules as rules
    from soviet.domain.calendar import Calendar
    from soviet.views import congress as congress_views
else:
    cmd = lazy_module("soviet.application.commands")
    rules = lazy_module("soviet.domain.congress_rules")
    congress_views = lazy_module("soviet.views.congress")

congress_app = typer.Typer(
    help="Congresses: convene, check credentials, sit, elect, move, vote, adopt decrees.",
    no_args_is_help=True,
)
credentials_app = typer.Typer(
    help="Credentials of a congress: present, accept, reject, list.", no_args_is_help=True
)
vote_app = typer.Typer(help="Votes of a congress: open, cast, close.", no_args_is_help=True)


# --- parsing ---------------------------------------------------------------------------
_WHOLE = re.compile(r"[0-9]+")  # ASCII digits: int() takes "٣" and " 1_000 "


def _int(text: str, what: str, *, minimum: int = 0) -> int:
    """A whole number from the command line, or one line naming the field and exit 2."""
    stripped = text.strip()
    value = int(stripped) if _WHOLE.fullmatch(stripped) else minimum - 1
    if value < minimum:
        fail(f"{what}: expected a whole number >= {minimum}, got {text!r}")
    return value


def _ints(texts: Sequence[str], what: str) -> list[int]:
    return [_int(t, what, minimum=1) for t in texts]


def _day(text: str, what: str, calendar: str) -> dt.date:
    """A date option other than --date (--opens, --elected), in the --calendar given."""
    from soviet.domain.calendar import parse_date

    cal: Calendar = "julian" if calendar == "julian" else "gregorian"
    try:
        return parse_date(text, cal)
    except ValueError as exc:
        fail(f"{what}: {exc}")


def parse_senders(tokens: Sequence[str]) -> dict[str, int]:
    """``BODY=N`` tokens into {body: n}."""
    senders: dict[str, int] = {}
    for token in tokens:
        body, sep, number = token.rpartition("=")
        if not sep or not body.strip():
            fail(f"--sender: expected BODY=N, got {token!r}")
        if body.strip() in senders:
            fail(f"--sender: {body.strip()!r} is given twice")
        senders[body.strip()] = _int(number, f"--sender {body.strip()}")
    return senders


def parse_seat_rule(text: str) -> dict[str, Any]:
    """A JSON object such as ``{"method": "per-unit", "per": 25000}``."""
    try:
        rule = json.loads(text)
    except json.JSONDecodeError:
        fail(f"--seat-rule: not valid JSON: {text!r}")
    if not isinstance(rule, dict):
        fail(f"--seat-rule: expected a JSON object, got {text!r}")
    return rule


def parse_group_candidates(tokens: Sequence[str]) -> dict[str, list[str]]:
    """``GROUP=a,b,c`` tokens into {group: [a, b, c]}."""
    found: dict[str, list[str]] = {}
    for token in tokens:
        group, sep, names = token.partition("=")
        members = [n.strip() for n in names.split(",") if n.strip()]
        if not sep or not group.strip() or not members:
            fail(f"--candidates: expected GROUP=name,name,..., got {token!r}")
        if group.strip() in found:
            fail(f"--candidates: group {group.strip()!r} is given twice")
        found[group.strip()] = members
    return found


def _julian_era(date: dt.date) -> bool:
    from soviet.domain.calendar import GREGORIAN_IN_RUSSIA

    return date < GREGORIAN_IN_RUSSIA


def _when(date: dt.date | None) -> str:
    """A date for tables: both calendars in the Julian era, ISO afterwards."""
    from soviet.domain.calendar import format_dual

    if date is None:
        return ""
    return format_dual(date) if _julian_era(date) else date.isoformat()


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def _congress_name(ctx: typer.Context) -> str:
    name: str = ctx.meta["soviet.congress"]
    return name


def _changed(ctx: typer.Context, json_out: bool, command: Command) -> Any:
    """Run one command; print the ledger entry when --json. Returns the entry."""
    entry = _run(ctx, command)
    if json_out:
        print_json(entry)
    return entry


# --- convening -------------------------------------------------------------------------
@congress_app.command("convene")
def convene(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Name of the congress."),
    by: str = typer.Option(
        ...,
        "--by",
        help="Convening body: a council whose may_convene names the congress, or "
        "PREVIOUS-CONGRESS/EXECUTIVE-COMMITTEE.",
    ),
    opens: str = typer.Option(..., "--opens", help="Opening date YYYY-MM-DD (in --calendar)."),
    quorum: str = typer.Option(
        ..., "--quorum", help="Delegates needed (400) or a share of the seated (1/2)."
    ),
    sender: list[str] = typer.Option(
        [], "--sender", help="BODY=N: BODY may send N delegates (repeat)."
    ),
    seat_rule: str | None = typer.Option(
        None,
        "--seat-rule",
        help="Seat rule over the sending councils' electors, as JSON: '{\"method\": "
        '"per-unit", "per": 25000}\' or \'{"method": "dhondt", "seats": 300}\'.',
    ),
    sending_council: list[str] = typer.Option(
        [], "--sending-council", help="Council sending delegates under --seat-rule (repeat)."
    ),
    max_age: str | None = typer.Option(
        None,
        "--max-credential-age-days",
        metavar="N",
        help="Credentials from elections more than N days before the opening fail the check.",
    ),
    previous: str | None = typer.Option(
        None, "--previous", help="The previous congress (its executive's mandate ends here)."
    ),
    credentials_committee: str | None = typer.Option(
        None,
        "--credentials-committee",
        help="Committee the call appoints to rule on credentials (default: the convening "
        "body), until the congress elects its own.",
    ),
    external: bool = typer.Option(
        False, "--external", help="--sender bodies may be bodies that are not councils."
    ),
    outside_delegates: bool = typer.Option(
        False,
        "--outside-delegates",
        help="Councils may send delegates who are not their own delegates (recorded).",
    ),
    self_registration: bool = typer.Option(
        False,
        "--self-registration",
        help="Delegates may register their own arrival and departure (recorded).",
    ),
    proxies: bool = typer.Option(
        False,
        "--proxies",
        help="Delegates may give their vote to another delegate, one hop (recorded).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Convene a congress: convening body, opening date, quorum, who may send how many."""
    when = _date(date, calendar)
    opens_on = _day(opens, "--opens", calendar)
    if sender and seat_rule is not None:
        fail("--sender: give fixed numbers (--sender) or --seat-rule, not both")
    if sending_council and seat_rule is None:
        fail(f"--sending-council: needs --seat-rule, got councils {list(sending_council)}")
    senders = parse_senders(sender) if sender else None
    rule = parse_seat_rule(seat_rule) if seat_rule is not None else None
    max_days = _int(max_age, "--max-credential-age-days", minimum=1) if max_age else None
    entry = _changed(
        ctx,
        json_out,
        cmd.CallCongress(
            name=name,
            convened_by=by,
            date=when,
            opens_on=opens_on,
            quorum=quorum,
            senders=senders,
            seat_rule=rule,
            sending_councils=list(sending_council),
            max_credential_age_days=max_days,
            previous=previous,
            credentials_committee=credentials_committee,
            external=external,
            outside_delegates=outside_delegates,
            self_registration=self_registration,
            proxies=proxies,
        ),
    )
    if json_out:
        return
    p = entry["payload"]
    total = sum(p["senders"].values())
    console.print(
        f"{name} convened by {by} for {_when(opens_on)}: {total} delegates from "
        f"{len(p['senders'])} bodies, quorum {quorum} (event {entry['seq']})"
    )


@congress_app.command("postpone")
def postpone(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    by: str = typer.Option(..., "--by", help="The convening body (only it may postpone)."),
    opens: str = typer.Option(..., "--opens", help="New opening date YYYY-MM-DD (in --calendar)."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Move the opening of a congress not yet open."""
    when = _date(date, calendar)
    opens_on = _day(opens, "--opens", calendar)
    entry = _changed(
        ctx, json_out, cmd.PostponeCongress(congress=name, by=by, opens_on=opens_on, date=when)
    )
    if not json_out:
        console.print(f"{name} postponed to {_when(opens_on)} (event {entry['seq']})")


# --- credentials -----------------------------------------------------------------------
@credentials_app.callback()
def credentials(
    ctx: typer.Context, name: str = typer.Argument(..., help="Congress.", metavar="NAME")
) -> None:
    """Credentials of congress NAME: present, accept, reject, list."""
    ctx.meta["soviet.congress"] = name


def _print_credential(credential: dict[str, Any], detail: str, seq: int) -> None:
    """One credential as recorded, then each automatic check it failed."""
    console.print(
        f"credential {credential['number']}: {credential['delegate']} {detail} (event {seq})"
    )
    for problem in credential["problems"]:
        console.print(f"  [yellow]check failed:[/] {problem}")


@credentials_app.command("present")
def credentials_present(
    ctx: typer.Context,
    delegate: str = typer.Option(..., "--delegate", help="Delegate's name."),
    sent_by: str = typer.Option(..., "--sent-by", help="Body that sent the delegate."),
    elected: str = typer.Option(..., "--elected", help="Election date YYYY-MM-DD (in --calendar)."),
    voice_only: bool = typer.Option(False, "--voice-only", help="Voice but no vote."),
    group: str | None = typer.Option(None, "--group", help="Group (faction) declared."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """A delegate presents a credential; the automatic checks are recorded with it."""
    name = _congress_name(ctx)
    when = _date(date, calendar)
    elected_on = _day(elected, "--elected", calendar)
    rights = "voice-only" if voice_only else "voice-and-vote"
    entry = _changed(
        ctx,
        json_out,
        cmd.PresentCredential(
            congress=name,
            delegate=delegate,
            sent_by=sent_by,
            elected_on=elected_on,
            date=when,
            rights=rights,
            group=group,
        ),
    )
    if json_out:
        return
    p = entry["payload"]
    _print_credential(p, f"from {sent_by} ({rights})", entry["seq"])


@credentials_app.command("elect")
def credentials_elect(
    ctx: typer.Context,
    council: str = typer.Option(..., "--council", help="The lower council electing."),
    candidates: list[str] = typer.Argument(..., help="Candidates as NAME[@GROUP]=VOTES."),
    method: str = typer.Option(
        "block", "--method", help="plurality, block, or a PR method over groups (dhondt...)."
    ),
    seats: str | None = typer.Option(
        None, "--seats", help="How many to elect (default: all the council may still send)."
    ),
    seed: str | None = typer.Option(None, "--seed", help="Seed for ties broken by lot."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """A lower council elects its delegates to the congress; each winner gets a credential."""
    name = _congress_name(ctx)
    when = _date(date, calendar)
    parsed = [parse_candidate(token, set()) for token in candidates]
    number = None if seats is None else _int(seats, "--seats", minimum=1)
    lot_seed = None if seed is None else _int(seed, "--seed")
    entry = _changed(
        ctx,
        json_out,
        cmd.ElectCongressDelegates(
            congress=name,
            council=council,
            candidates=parsed,
            date=when,
            method=method,
            seats=number,
            seed=lot_seed,
        ),
    )
    if json_out:
        return
    for credential in entry["payload"]["credentials"]:
        group = credential["group"] or "no group"
        _print_credential(credential, f"({group}) elected by {council}", entry["seq"])


def _ruling(
    ctx: typer.Context,
    numbers: list[str],
    accept: bool,
    json_out: bool,
    when: dt.date,
    *,
    reason: str | None,
    override: bool = False,
    all_clean: bool = False,
) -> None:
    """One credential is one ruling (``CredentialRuled``); several, or every clean one, are
    one ruling on them all (``CredentialsRuled``)."""
    name = _congress_name(ctx)
    if all_clean and numbers:
        fail(f"--all-clean: give credential numbers or --all-clean, not both ({' '.join(numbers)})")
    if not all_clean and not numbers:
        fail("N: name at least one credential number (or --all-clean)")
    chosen = _ints(numbers, "credential")
    verb = "accepted" if accept else "rejected"
    if len(chosen) == 1:
        n = chosen[0]
        entry = _changed(
            ctx,
            json_out,
            cmd.RuleOnCredential(
                congress=name,
                credential=n,
                accept=accept,
                date=when,
                reason=reason,
                override=override,
            ),
        )
        if not json_out:
            how = " as an override" if entry["payload"]["override"] else ""
            why = f": {reason}" if reason and not accept else ""
            console.print(f"credential {n} {verb}{how}{why} (event {entry['seq']})")
        return
    entry = _changed(
        ctx,
        json_out,
        cmd.RuleOnCredentials(
            congress=name,
            credentials=None if all_clean else chosen,
            accept=accept,
            date=when,
            reason=reason,
            override=override,
        ),
    )
    if not json_out:
        payload = entry["payload"]
        listed = ", ".join(str(n) for n in payload["numbers"])
        how = (
            f"; overrides: {', '.join(map(str, payload['overridden']))}"
            if payload["overridden"]
            else ""
        )
        why = f": {reason}" if reason and not accept else ""
        console.print(
            f"credentials {listed} {verb}{why}{how} (event {entry['seq']})",
            markup=False,
            highlight=False,
        )


@credentials_app.command("accept")
def credentials_accept(
    ctx: typer.Context,
    numbers: list[str] = typer.Argument(None, metavar="N...", help="Credential numbers."),
    all_clean: bool = typer.Option(
        False, "--all-clean", help="Every pending credential that passed the automatic checks."
    ),
    override: bool = typer.Option(
        False, "--override", help="Accept although the automatic checks failed (needs --reason)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Reason, recorded."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The credentials committee accepts credentials (one, several, or --all-clean): the
    delegates are seated."""
    if override and not reason:
        fail("--override: a credential can be accepted as an override only with --reason")
    when = _date(date, calendar)
    _ruling(
        ctx,
        numbers or [],
        True,
        json_out,
        when,
        reason=reason,
        override=override,
        all_clean=all_clean,
    )


@credentials_app.command("reject")
def credentials_reject(
    ctx: typer.Context,
    numbers: list[str] = typer.Argument(..., metavar="N...", help="Credential numbers."),
    reason: str | None = typer.Option(None, "--reason", help="Reason, recorded (required)."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The credentials committee rejects credentials (one or several), with its reason."""
    when = _date(date, calendar)
    _ruling(ctx, numbers, False, json_out, when, reason=reason)


@credentials_app.command("reconsider")
def credentials_reconsider(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="N", help="Credential number."),
    accept: bool = typer.Option(
        False, "--accept", help="Seat the delegate after all (the credential was rejected)."
    ),
    reject: bool = typer.Option(
        False, "--reject", help="Unseat the delegate (the credential was accepted)."
    ),
    reason: str = typer.Option(..., "--reason", help="Why the ruling is reversed (recorded)."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """The credentials committee reverses its ruling on a credential, with a reason."""
    name = _congress_name(ctx)
    if accept == reject:
        fail("--accept/--reject: give exactly one of them")
    n = _int(number, "credential", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.ReconsiderCredential(
            congress=name, credential=n, accept=accept, reason=reason, date=when
        ),
    )
    if not json_out:
        payload = entry["payload"]
        now = "accepted" if accept else "rejected"
        console.print(
            f"credential {n} reconsidered: {payload['was']} -> {now}: {reason} "
            f"(event {entry['seq']})",
            markup=False,
            highlight=False,
        )


@credentials_app.command("list")
def credentials_list(ctx: typer.Context, json_out: bool = JSON, as_of: int | None = AS_OF) -> None:
    """Every credential: who, from where, elected when, rights, ruling, checks, presence."""
    from rich.table import Table

    name = _congress_name(ctx)
    rows = _view(ctx, lambda org: congress_views.credentials(rules.get_congress(org, name)), as_of)
    if json_out:
        print_json({"congress": name, "credentials": rows})
        return
    table = Table(title=f"{name}: credentials")
    for col in ("#", "delegate", "sent by", "elected", "rights", "status", "group", "here"):
        table.add_column(col)
    notes: list[str] = []
    for r in rows:
        table.add_row(
            str(r["number"]),
            r["delegate"],
            r["sent_by"],
            _when(dt.date.fromisoformat(r["elected_on"])),
            "vote" if r["rights"] == "voice-and-vote" else "voice only",
            r["status"],
            r["group"] or "",
            "yes" if r["present"] else "",
        )
        if r["reason"]:
            notes.append(f"{r['number']}: {r['status']}: {r['reason']}")
        notes.extend(f"{r['number']}: check failed: {p}" for p in r["problems"])
    console.print(table)
    for line in notes:
        console.print(line, markup=False, highlight=False)


# --- session ---------------------------------------------------------------------------
@congress_app.command("open")
def open_session(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Open the session (ends the mandate of the previous congress's executive committee)."""
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.OpenCongress(congress=name, date=when))
    if json_out:
        return
    console.print(f"{name} opened on {_when(when)} (event {entry['seq']})")
    ended = entry["payload"]["ended_committee"]
    if ended:
        console.print(f"mandate of {ended['congress']}'s {ended['committee']} ended")


@congress_app.command("close")
def close_session(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Close the session (no vote may be open)."""
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.CloseCongress(congress=name, date=when))
    if not json_out:
        console.print(f"{name} closed on {_when(when)} (event {entry['seq']})")


@congress_app.command("register")
def register_attendance(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    numbers: list[str] = typer.Argument(..., metavar="N...", help="Credential numbers."),
    depart: bool = typer.Option(False, "--depart", help="Departures instead of arrivals."),
    reason: str | None = typer.Option(None, "--reason", help="Reason, recorded."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Register arrivals of seated delegates (or, with --depart, departures)."""
    credentials = _ints(numbers, "credential")
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.RegisterAttendance(
            congress=name,
            arriving=not depart,
            date=when,
            credentials=credentials,
            reason=reason,
        ),
    )
    if not json_out:
        what = "departed" if depart else "arrived"
        console.print(f"{len(credentials)} delegate(s) {what} (event {entry['seq']})")


@congress_app.command("walkout")
def walkout(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    numbers: list[str] = typer.Argument(None, metavar="[N...]", help="Credential numbers."),
    group: str | None = typer.Option(
        None, "--group", help="The whole group walks out (its present delegates)."
    ),
    reason: str = typer.Option("walk-out", "--reason", help="Reason, recorded."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """A group or single delegates walk out: a departure with a reason."""
    credentials = _ints(numbers or [], "credential")
    if bool(credentials) == (group is not None):
        fail(f"--group: name a group or credential numbers, not both or neither (got {group!r})")
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.RegisterAttendance(
            congress=name,
            arriving=False,
            date=when,
            credentials=credentials,
            group=group,
            reason=reason,
        ),
    )
    if not json_out:
        left = len(entry["payload"]["credentials"])
        who = f"group {group}" if group else "delegates"
        console.print(f"{who} walked out: {left} left ({reason}) (event {entry['seq']})")


@congress_app.command("group")
def declare_group(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    args: list[str] = typer.Argument(
        ...,
        metavar="GROUP N...",
        help="The group, then credential numbers (with --none: only the numbers).",
    ),
    none: bool = typer.Option(False, "--none", help="The delegates leave every group."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Delegates declare or change their group (faction)."""
    group = None if none else args[0]
    credentials = _ints(args if none else args[1:], "credential")
    if not credentials:
        fail(f"credentials: name at least one credential number after the group {group!r}")
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.DeclareGroup(congress=name, credentials=credentials, group=group, date=when),
    )
    if not json_out:
        target = f"group {group}" if group else "no group"
        console.print(f"{len(credentials)} delegate(s) now in {target} (event {entry['seq']})")


# --- elections -------------------------------------------------------------------------
def _elect(
    ctx: typer.Context,
    name: str,
    committee: str,
    kind: str,
    seats: str,
    method: str,
    decline: Sequence[str],
    declined_seats: str,
    candidates: Sequence[str],
    date: str | None,
    calendar: str,
    json_out: bool,
) -> None:
    from rich.table import Table

    n = _int(seats, "--seats", minimum=1)
    named = parse_group_candidates(candidates)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.ElectCommittee(
            congress=name,
            committee=committee,
            seats=n,
            date=when,
            kind=kind,
            method=method,
            declined=list(decline),
            declined_seats=declined_seats,
            candidates=named or None,
        ),
    )
    if json_out:
        return
    p = entry["payload"]
    table = Table(title=f"{name}: {committee} ({n} seats, {method})")
    for col in ("group", "size", "seats", ""):
        table.add_column(col)
    for group in sorted(
        set(p["group_sizes"]) | set(p["allocation"]), key=lambda g: -p["allocation"].get(g, 0)
    ):
        note = ""
        if group in p["declined"]:
            note = "declined: " + ("left empty" if declined_seats == "empty" else "redistributed")
        table.add_row(
            group,
            str(p["group_sizes"].get(group, "")),
            str(p["allocation"].get(group, 0)),
            note,
        )
    console.print(table)
    console.print(f"{len(p['members'])} members elected (event {entry['seq']})")


METHOD = typer.Option(
    "dhondt", "--method", help="dhondt, sainte-lague, hare (largest remainder), droop..."
)
DECLINE = typer.Option([], "--decline", help="A group declining its seats (repeat).")
DECLINED_SEATS = typer.Option(
    "redistribute",
    "--declined-seats",
    help="Declined seats: 'empty' (left empty) or 'redistribute' (shared among the others).",
)
CANDIDATES = typer.Option(
    [], "--candidates", help="GROUP=a,b,c: a group's candidates in order (repeat)."
)


def _committee_command(kind: str, default_name: str, what: str, doc: str) -> None:
    """Register ``congress elect-KIND``: one command shape for every proportional committee."""

    def command(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="Congress."),
        seats: str = typer.Option(..., "--seats", metavar="N", help=f"Seats on the {what}."),
        method: str = METHOD,
        decline: list[str] = DECLINE,
        declined_seats: str = DECLINED_SEATS,
        committee: str = typer.Option(default_name, "--name", help=f"Name of the {what}."),
        candidates: list[str] = CANDIDATES,
        date: str | None = DATE,
        calendar: str = CALENDAR,
        json_out: bool = JSON,
    ) -> None:
        _elect(
            ctx,
            name,
            committee,
            kind,
            seats,
            method,
            decline,
            declined_seats,
            candidates,
            date,
            calendar,
            json_out,
        )

    command.__doc__ = doc
    congress_app.command(f"elect-{kind}")(command)


_committee_command(
    "presidium",
    "presidium",
    "presidium",
    "Elect the presidium in proportion to the groups of present, seated delegates.",
)
_committee_command(
    "executive",
    "Central Executive Committee",
    "executive committee",
    "Elect the executive committee in proportion to the groups; members keep their group.",
)
_committee_command(
    "credentials",
    "Credentials Committee",
    "credentials committee",
    "Elect the credentials committee in proportion to the groups; it rules from then on.",
)


@congress_app.command("elect-post")
def elect_post(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    post: str = typer.Argument(..., help="The post (chair...)."),
    candidates: list[str] = typer.Argument(..., help="Candidates as NAME[@GROUP]=VOTES."),
    seed: str | None = typer.Option(None, "--seed", help="Seed for a tie broken by lot."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Elect a chair or another single post by plurality over vote counts."""
    parsed = [parse_candidate(c, set()) for c in candidates]
    lot_seed = _int(seed, "--seed") if seed is not None else None
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.ElectPost(congress=name, post=post, date=when, candidates=parsed, seed=lot_seed),
    )
    if not json_out:
        winner = entry["payload"]["members"][0]
        group = f" ({winner['group']})" if winner["group"] else ""
        console.print(f"{post}: {winner['name']}{group} elected (event {entry['seq']})")


# --- motions ---------------------------------------------------------------------------
@congress_app.command("motion")
def motion(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    title: str = typer.Option(..., "--title", help="Title."),
    text: str = typer.Option(..., "--text", help="Text."),
    mover: str = typer.Option(..., "--mover", metavar="N", help="Mover's credential number."),
    decree: bool = typer.Option(False, "--decree", help="If adopted, it becomes a decree."),
    urgent: bool = typer.Option(False, "--urgent", help="Urgency motion."),
    without_debate: bool = typer.Option(
        False, "--without-debate", help="Put to the vote without debate."
    ),
    item: str | None = typer.Option(None, "--item", help="The agenda item it belongs to."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Table a motion (the mover must be seated and present; voice only is enough)."""
    by = _int(mover, "--mover", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.TableMotion(
            congress=name,
            title=title,
            text=text,
            mover=by,
            date=when,
            decree=decree,
            urgent=urgent,
            without_debate=without_debate,
            item=item,
        ),
    )
    if not json_out:
        console.print(f"motion {entry['payload']['number']}: {title} (event {entry['seq']})")


@congress_app.command("agenda")
def agenda(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    items: list[str] = typer.Argument(..., help="The agenda items, in order."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Adopt the agenda: motions are then tabled under one of its items (--item)."""
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.AdoptAgenda(congress=name, items=items, date=when))
    if not json_out:
        console.print(f"agenda of {name}: {', '.join(items)} (event {entry['seq']})")


@congress_app.command("amend")
def amend(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    target: str = typer.Argument(..., metavar="MOTION", help="Number of the motion amended."),
    title: str = typer.Option(..., "--title", help="Title."),
    text: str = typer.Option(
        ..., "--text", help="The new text: replaces --replaces, or is added as a paragraph."
    ),
    mover: str = typer.Option(..., "--mover", metavar="N", help="Mover's credential number."),
    replaces: str | None = typer.Option(
        None,
        "--replaces",
        help="The passage of the motion this amendment replaces (must occur exactly once; "
        "an empty --text strikes it out). Without it the text is added at the end.",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Table an amendment; it is voted before the motion it amends, and a carried one is
    folded into the decree's text."""
    amends = _int(target, "motion", minimum=1)
    by = _int(mover, "--mover", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.TableMotion(
            congress=name,
            title=title,
            text=text,
            mover=by,
            date=when,
            amends=amends,
            replaces=replaces,
        ),
    )
    if not json_out:
        console.print(
            f"motion {entry['payload']['number']} amends motion {amends}: {title} "
            f"(event {entry['seq']})"
        )


@congress_app.command("order")
def order(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    motions: list[str] = typer.Argument(..., metavar="M...", help="Motion numbers in order."),
    by: str = typer.Option(..., "--by", help="Who set the order: 'chair' or 'vote N'."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Set the order in which competing motions are put (by the chair or by a vote)."""
    numbers = _ints(motions, "motion")
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.OrderMotions(congress=name, order=numbers, date=when, decided_by=by),
    )
    if not json_out:
        console.print(f"order: {', '.join(map(str, numbers))} (by {by}) (event {entry['seq']})")


@congress_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    target: str = typer.Argument(..., metavar="MOTION", help="Motion number."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Withdraw a motion not yet decided."""
    number = _int(target, "motion", minimum=1)
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.WithdrawMotion(congress=name, motion=number, date=when))
    if not json_out:
        console.print(f"motion {number} withdrawn (event {entry['seq']})")


# --- votes -----------------------------------------------------------------------------
@vote_app.callback()
def vote(
    ctx: typer.Context, name: str = typer.Argument(..., help="Congress.", metavar="NAME")
) -> None:
    """Votes of congress NAME: open, cast (roll call, secret ballot), close."""
    ctx.meta["soviet.congress"] = name


@vote_app.command("open")
def vote_open(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="MOTION", help="Motion number."),
    stage: str | None = typer.Option(
        None,
        "--stage",
        help="final, basis or amendment (default: amendment for an amendment, else final).",
    ),
    mode: str = typer.Option(
        "show-of-hands", "--mode", help="show-of-hands, division, roll-call or secret."
    ),
    majority: str = typer.Option(
        "simple", "--majority", help="simple, absolute (of the seated) or a fraction like 2/3."
    ),
    abstentions: str = typer.Option("ignored", "--abstentions", help="ignored or count-against."),
    supersedes: str | None = typer.Option(
        None,
        "--supersedes",
        metavar="VOTE",
        help="A division demanded after this show of hands, which it supersedes.",
    ),
    weighted: bool = typer.Option(
        False,
        "--weighted",
        help="A roll call whose ballots weigh the electors each delegate represents "
        "(declared weight, else the constituency's headcount); decided by weight.",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Put a motion to the vote (the quorum is checked first)."""
    name = _congress_name(ctx)
    motion_number = _int(target, "motion", minimum=1)
    earlier = _int(supersedes, "--supersedes", minimum=1) if supersedes is not None else None
    when = _date(date, calendar)

    entry = _changed(
        ctx,
        json_out,
        cmd.OpenVote(
            congress=name,
            motion=motion_number,
            date=when,
            stage=stage,
            mode=mode,
            majority=majority,
            abstentions=abstentions,
            supersedes=earlier,
            weighted=weighted,
        ),
    )
    if not json_out:
        p = entry["payload"]
        how = ", weighted" if p.get("weighted") else ""
        console.print(
            f"vote {p['vote']} opened on motion {motion_number} ({p['stage']}, {p['mode']}, "
            f"{p['majority']} majority{how}) (event {entry['seq']})"
        )


@vote_app.command("cast")
def vote_cast(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="VOTE", help="Vote number."),
    credential: str = typer.Argument(..., metavar="CREDENTIAL", help="Voter's credential."),
    choice: str = typer.Argument(..., metavar="for|against|abstain", help="The vote."),
    proxies: bool = typer.Option(
        False,
        "--proxies",
        help="Also cast, with the same choice, the ballot of every delegate whose proxy "
        "CREDENTIAL holds (roll calls).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Cast a vote in a roll call (public) or a secret ballot (the ballot keeps no voter)."""
    name = _congress_name(ctx)
    v = _int(number, "vote", minimum=1)
    who = _int(credential, "credential", minimum=1)
    when = _date(date, calendar)
    entry = _changed(
        ctx,
        json_out,
        cmd.CastVote(
            congress=name, vote=v, credential=who, choice=choice, date=when, proxies=proxies
        ),
    )
    if not json_out:
        p = entry["payload"]
        by_proxy = p.get("proxy_for")
        also = f" and by proxy for credentials {by_proxy}" if by_proxy else ""
        weights = p.get("weights")
        weight = f", weight {sum(weights.values())}" if weights else ""
        console.print(f"credential {who} voted in vote {v}{also}{weight} (event {entry['seq']})")


@vote_app.command("close")
def vote_close(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="VOTE", help="Vote number."),
    votes_for: str | None = typer.Option(
        None, "--for", metavar="N", help="Votes for (show of hands, division)."
    ),
    votes_against: str | None = typer.Option(None, "--against", metavar="N", help="Against."),
    votes_abstain: str | None = typer.Option(None, "--abstain", metavar="N", help="Abstaining."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Close a vote: counted, carried or lost; a carried decree gets its number."""
    name = _congress_name(ctx)
    v = _int(number, "vote", minimum=1)
    given = {"for": votes_for, "against": votes_against, "abstain": votes_abstain}
    counts = (
        {k: _int(t, f"--{k}") if t is not None else 0 for k, t in given.items()}
        if any(t is not None for t in given.values())
        else None
    )
    when = _date(date, calendar)
    entry = _changed(ctx, json_out, cmd.CloseVote(congress=name, vote=v, date=when, counts=counts))
    if json_out:
        return
    p = entry["payload"]
    t = p["counts"]
    outcome = "carried" if p["carried"] else "lost"
    console.print(
        f"vote {v}: {outcome}, {t['for']} for, {t['against']} against, "
        f"{t['abstain']} abstaining ({len(p['present'])} of {len(p['entitled'])} voting "
        f"delegates present) (event {entry['seq']})"
    )
    w = p.get("weighted_counts")
    if w is not None:
        console.print(
            f"by weight: {w['for']} for, {w['against']} against, {w['abstain']} abstaining "
            f"of an entitled weight of {p['entitled_weight']}"
        )
    if p["decree"]:
        console.print(f"decree {p['decree']['number']}: {p['decree']['title']}")


# --- show --------------------------------------------------------------------
@congress_app.command("show")
def show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    json_out: bool = JSON,
    as_of: int | None = AS_OF,
    plot: Path | None = PLOT,
) -> None:
    """The call, attendance, groups and their history, walk-outs, committees, motions,
    votes; ``--plot`` draws each group's strength through the congress."""
    data = _view(ctx, lambda org: congress_views.congress_report(org, name), as_of)
    if plot is not None:
        from soviet.adapters.figures import group_strength

        save_plot(group_strength(data["group_history"]), plot)
    if json_out:
        print_json(data)
        return
    print_congress(data)


def _d(iso: str | None) -> str:
    return "" if iso is None else _when(dt.date.fromisoformat(iso))


def _sizes(sizes: dict[str, int]) -> str:
    return ", ".join(f"{g} {n}" for g, n in sizes.items()) or "-"


def print_congress(data: dict[str, Any]) -> None:
    """Render ``congress_report`` with rich."""
    from rich.table import Table

    call, counts = data["call"], data["counts"]
    postponed = (
        f" (postponed from {', '.join(_d(x) for x in call['postponed_from'])})"
        if call["postponed_from"]
        else ""
    )
    console.print(
        f"[bold]{data['congress']}[/] ({data['status']}): convened by {call['convened_by']} "
        f"on {_d(call['called_on'])} for {_d(call['opens_on'])}{postponed}"
    )
    cred = counts["credentials"]
    console.print(
        f"credentials: {cred['accepted']} accepted, {cred['rejected']} rejected, "
        f"{cred['pending']} pending; {counts['seated']} seated, {counts['present']} present, "
        f"{counts['entitled_present']} voting present; quorum {call['quorum']} = "
        f"{call['quorum_needed']} ({'met' if counts['quorum_met'] else 'NOT met'})"
    )
    groups = Table(title="Groups")
    for col in ("group", "present", "seated"):
        groups.add_column(col, justify="left" if col == "group" else "right")
    for group, n in data["groups"]["seated"].items():
        groups.add_row(group, str(data["groups"]["present"].get(group, 0)), str(n))
    console.print(groups)
    if data["group_history"]:
        history = Table(title="Group sizes over time")
        for col in ("date", "change", "sizes after"):
            history.add_column(col)
        for step in data["group_history"]:
            history.add_row(
                _d(step["date"]),
                f"{len(step['credentials'])} to {step['group'] or '(no group)'}",
                _sizes(step["sizes"]),
            )
        console.print(history)
    for w in data["walkouts"]:
        console.print(
            f"walk-out {_d(w['date'])}: {w['delegates']} delegates ({_sizes(w['groups'])}): "
            f"{w['reason']}"
        )
    for k in data["committees"]:
        ended = f", mandate ended {_d(k['mandate_ended_on'])}" if k["mandate_ended_on"] else ""
        if k["kind"] == "post":
            who = k["members"][0] if k["members"] else {"name": "-", "group": None}
            group = f" ({who['group']})" if who["group"] else ""
            console.print(
                f"[bold]{k['name']}[/]: {who['name']}{group}, elected {_d(k['elected_on'])}{ended}"
            )
            continue
        console.print(
            f"[bold]{k['name']}[/] ({k['kind']}, {k['method']}, {k['seats']} seats, elected "
            f"{_d(k['elected_on'])}{ended}): {_sizes(k['allocation'])}"
            + (f"; declined: {', '.join(k['declined'])}" if k["declined"] else "")
        )
    if data["motions"]:
        table = Table(title="Motions and votes")
        for col in ("#", "motion", "mover", "status", "votes"):
            table.add_column(col)
        for m in data["motions"]:
            flags = [f for f in ("decree", "urgent") if m[f]]
            if m["without_debate"]:
                flags.append("without debate")
            if m["amends"]:
                flags.append(f"amends {m['amends']}")
            votes = []
            for v in m["votes"]:
                t = v["counts"]
                tally = f"{t['for']}-{t['against']}-{t['abstain']}" if t else "open"
                w = v.get("weighted_counts")
                if w:  # issue 11: by weight, then by heads
                    tally = f"weighted {w['for']}-{w['against']}-{w['abstain']} ({tally})"
                outcome = "" if v["carried"] is None else (" carried" if v["carried"] else " lost")
                gone = f" superseded by {v['superseded_by']}" if v["superseded"] else ""
                votes.append(f"{v['vote']}: {v['stage']} {v['mode']} {tally}{outcome}{gone}")
            table.add_row(
                str(m["number"]),
                m["title"] + (f" [dim]({', '.join(flags)})[/]" if flags else ""),
                m["mover_name"] or str(m["mover"]),
                m["status"],
                "\n".join(votes),
            )
        console.print(table)


# --- decrees ---------------------------------------------------------------------------
def decrees(ctx: typer.Context, json_out: bool = JSON, as_of: int | None = AS_OF) -> None:
    """Decrees adopted by congresses: number, title, date, adopting body, tally."""
    from rich.table import Table

    from soviet.views.executive import executive_decrees  # --- executive ---

    rows = _view(ctx, congress_views.decrees, as_of)
    executive = _view(ctx, executive_decrees, as_of)
    if json_out:
        # Congress-adopted decrees stay under "decrees" (state "adopted"); the council of
        # commissioners' decrees, with their state and history, under "executive".
        print_json({"decrees": rows, "executive": executive})
        return
    if executive:
        xt = Table(title="Decrees of the council of commissioners")
        for col in ("registry", "title", "department", "signed", "state", "history"):
            xt.add_column(col)
        for x in executive:
            steps = "; ".join(f"{h['date']} {h['state']} ({h['by']})" for h in x["history"])
            xt.add_row(
                x["registry"], x["title"], x["department"], x["signed_on"], x["state"], steps
            )
        console.print(xt)
    if not rows:
        if not executive:
            console.print("no decrees")
        return
    table = Table(title="Decrees")
    for col in ("#", "title", "adopted", "by", "for", "against", "abstaining"):
        table.add_column(col)
    for r in rows:
        t = r["tally"]
        table.add_row(
            str(r["number"]),
            r["title"],
            r["date_display"],
            r["body"],
            str(t.get("for", 0)),
            str(t.get("against", 0)),
            str(t.get("abstain", 0)),
        )
    console.print(table)
    for r in rows:
        if r["amendments"]:
            made = ", ".join(str(n) for n in r["amendments"])
            console.print(
                f"decree {r['number']}: motion {r['motion']} as amended by {made}",
                markup=False,
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    """Attach ``soviet congress ...`` and ``soviet decrees`` to the main application."""
    congress_app.add_typer(credentials_app, name="credentials")
    congress_app.add_typer(vote_app, name="vote")
    app.add_typer(congress_app, name="congress")
    app.command("decrees")(decrees)


# --- minutes (issue 12) ----------------------------------------------------------------
def minutes(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Congress."),
    out: str = typer.Option(..., "--out", help="FILE.html or FILE.pdf."),
    session: str | None = typer.Option(
        None, "--session", help="Only this sitting day: what was done on DATE."
    ),
    calendar: str = typer.Option(
        "gregorian", "--calendar", help="Calendar of --session: gregorian or julian."
    ),
) -> None:
    """Minutes of a congress (attendance, quorum, departures, motions, votes with roll
    calls, decrees) as HTML or PDF; ``--session DATE`` for one sitting day."""
    if not out.endswith((".html", ".pdf")):
        fail(f"--out: expected a .html or .pdf file, got {out!r}")
    from soviet.adapters import minutes as render

    data = _view(ctx, lambda org: render.minutes_data(org, name), None)
    if session is not None:
        day = _date(session, calendar, "--session").isoformat()
        if day not in data["sittings"]:
            fail(
                f"--session: {data['congress']!r} did nothing on {day} "
                f"(its sittings: {', '.join(data['sittings']) or 'none'})"
            )
        # Attendance as it stood at the end of that day: the state after the last event
        # dated on or before it (commands are dated; the ledger keeps them in order).
        as_of = 0
        for entry in _service(ctx).history():
            dated = json.loads(entry.payload).get("date")
            if isinstance(dated, str) and dated <= day:
                as_of = entry.seq
        data = _view(ctx, lambda org: render.minutes_data(org, name, day), as_of)
    try:
        if out.endswith(".html"):
            with open(out, "w", encoding="utf-8") as f:
                f.write(render.html(data))
        else:
            with open(out, "wb") as f:
                f.write(render.pdf(data))
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    console.print(f"minutes of {data['congress']} written to {out}", markup=False)


def register_minutes(app: typer.Typer) -> None:
    """Attach ``soviet minutes``."""
    app.command("minutes")(minutes)
