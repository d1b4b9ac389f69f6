"""``soviet account``: enrol members and delegates, admins, API tokens (docs/http.md).

Enrolment prints one-time codes (or writes them to a CSV for mail-merge, like Belenios's
credential sheets): each code is shown once, stored only as a hash, and issuing another
for the same account invalidates the old one. The holder uses it at ``POST /api/enrol``
to set a password or to get a login link. Heavy modules are imported where they are
used (docs/decisions/0012-lazy-imports.md).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import AppState, fail, print_json

if TYPE_CHECKING:
    from soviet.adapters.storage.accounts import AccountStore
    from soviet.application.service import CouncilService
    from soviet.domain.model import Organisation

account_app = typer.Typer(help="Accounts for the HTTP API: enrolment codes, admins, tokens.")

CSV_COLUMNS = ("login", "display_name", "subject", "code")


@dataclass(frozen=True)
class Enrolee:
    """Someone to issue a code to: the subject, what they log in as, their name."""

    subject: str
    login: str
    display_name: str


def _open(ctx: typer.Context) -> tuple[CouncilService, AccountStore]:
    from soviet.adapters.storage import StorageError, open_service
    from soviet.adapters.storage.accounts import AccountStore
    from soviet.adapters.storage.sql import database_url

    state: AppState = ctx.obj
    try:
        service = open_service(state.db)
        return service, AccountStore(database_url(state.db))
    except StorageError as exc:
        fail(str(exc))


def members_of(org: Organisation, constituency: str | None) -> list[Enrolee]:
    """The electors of one named roll (None: of every named roll), by member id."""
    from soviet.domain.records import keys_with, where
    from soviet.domain.rules import get_constituency

    if constituency is not None:
        c = get_constituency(org, constituency)
        if c.roll != "named":
            raise ValueError(f"{constituency!r} has a numbered roll: its electors have no ids")
        names = [constituency]
    else:
        names = [c.name for c in where(org.constituencies, roll="named")]
    members = sorted({m for name in names for m in keys_with(org.electors, name)})
    return [Enrolee(f"member:{m}", m, org.member_names.get(m, m)) for m in members]


def delegates_of(org: Organisation, congress: str) -> list[Enrolee]:
    """The holders of a congress's credentials not rejected, by credential number."""
    from soviet.domain.congress_rules import get_congress

    c = get_congress(org, congress)
    return [
        Enrolee(f"credential:{congress}:{n}", f"{congress}:{n}", cred.delegate)
        for n, cred in sorted(c.credentials.items())
        if cred.status != "rejected"
    ]


def issue(store: AccountStore, people: list[Enrolee]) -> list[tuple[Enrolee, str]]:
    """Accounts for ``people`` (made when missing) and a fresh code for each."""
    ids = [store.ensure(p.subject, p.login, p.display_name) for p in people]
    codes = store.issue_codes(ids)
    return [(p, codes[i]) for p, i in zip(people, ids, strict=True)]


def _emit(issued: list[tuple[Enrolee, str]], csv_file: Path | None, as_json: bool) -> None:
    if as_json:
        print_json([{**vars(p), "code": code} for p, code in issued])
        return
    if csv_file is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for p, code in issued:
            writer.writerow((p.login, p.display_name, p.subject, code))
        try:
            # Codes are secrets: the sheet is readable by its owner only.
            with csv_file.open("w", encoding="utf-8", newline="") as fh:
                csv_file.chmod(0o600)
                fh.write(buffer.getvalue())
        except OSError as exc:
            fail(f"--csv: cannot write {csv_file}: {exc.strerror}")
        typer.echo(f"{len(issued)} enrolment codes written to {csv_file}")
        return
    for p, code in issued:
        sys.stdout.write(f"{p.login}\t{p.display_name}\t{code}\n")


@account_app.command("enrol")
def enrol(
    ctx: typer.Context,
    constituency: str | None = typer.Argument(None, help="A constituency with a named roll."),
    every: bool = typer.Option(False, "--all", help="Every elector of every named roll."),
    congress: str | None = typer.Option(None, "--congress", help="A congress's delegates."),
    member: list[str] = typer.Option(
        [], "--member", help="A member id, on a roll or not (a secretary); repeat."
    ),
    csv_file: Path | None = typer.Option(None, "--csv", help="Write the codes to this CSV."),
    as_json: bool = typer.Option(False, "--json", help="Print the codes as JSON."),
) -> None:
    """Issue one-time enrolment codes (a new code invalidates an earlier one)."""
    from soviet.domain.errors import DomainError

    chosen = sum([constituency is not None, every, congress is not None, bool(member)])
    if chosen != 1:
        fail("give one of: CONSTITUENCY, --all, --congress NAME, --member ID")
    service, store = _open(ctx)
    try:
        if congress is not None:
            name = congress
            people = service.query(lambda org: delegates_of(org, name))
        elif member:
            ids = list(member)
            names = service.query(lambda org: [org.member_names.get(m, m) for m in ids])
            people = [Enrolee(f"member:{m}", m, n) for m, n in zip(ids, names, strict=True)]
        else:
            people = service.query(lambda org: members_of(org, constituency))
    except (DomainError, ValueError) as exc:
        fail(str(exc))
    if not people:
        fail("nobody to enrol there")
    from soviet.adapters.storage.accounts import AccountError

    try:
        issued = issue(store, people)
    except AccountError as exc:
        fail(str(exc))
    _emit(issued, csv_file, as_json)


@account_app.command("admin")
def admin(
    ctx: typer.Context, name: str = typer.Argument(..., help="The admin's login name.")
) -> None:
    """Create (or re-issue) an admin account for instance set-up; prints a one-time code."""
    from soviet.adapters.storage.accounts import AccountError

    if not name.strip() or "\x00" in name or len(name) > 200:
        fail("NAME: expected a login name (1 to 200 characters)")
    _service, store = _open(ctx)
    try:
        account_id = store.ensure(f"admin:{name}", name, name, admin=True)
        code = store.issue_code(account_id)
    except AccountError as exc:
        fail(str(exc))
    sys.stdout.write(f"{name}\t{code}\n")


@account_app.command("list")
def list_accounts(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Every account: id, login, subject, name, admin, whether a password is set."""
    _service, store = _open(ctx)
    accounts = store.all()
    if as_json:
        print_json({"accounts": [a.data() for a in accounts]})
        return
    for a in accounts:
        flags = ("admin " if a.admin else "") + ("password" if a.has_password else "no password")
        sys.stdout.write(f"{a.id}\t{a.login}\t{a.subject}\t{a.display_name}\t{flags}\n")


@account_app.command("token")
def token(
    ctx: typer.Context,
    login: str = typer.Argument(..., help="The account's login name."),
    label: str = typer.Option("script", "--name", help="What the token is for."),
) -> None:
    """Print a new API token (a bearer token for scripts) for an account."""
    _service, store = _open(ctx)
    account = store.by_login(login)
    if account is None:
        fail(f"no account logs in as {login!r} (soviet account list)")
    sys.stdout.write(store.create_token(account.id, label) + "\n")


DEMO_COUNCIL = "Petrograd Soviet"
DEMO_CONSTITUENCY = "Bakery"
DEMO_CONGRESS = "Demo Congress"
DEMO_SECRETARY = "demo-secretary"
SENDER = "Petrograd district soviets"
DEMO_DELEGATES = ("Alexandra Kollontai", "Yakov Sverdlov", "Maria Spiridonova")


def demo_setup(service: CouncilService) -> None:
    """What the demo accounts need, recorded once on the Petrograd demo: a secretary of
    the Petrograd Soviet, an open recall petition in the Bakery, and a small congress in
    session (self-registration allowed, a chair, a motion and an open roll-call vote)."""
    import datetime as dt

    from soviet.application import commands as cmd
    from soviet.domain.rules import Candidate

    day = dt.date(1917, 11, 20)

    def work(tx: Any) -> None:
        org = tx.org
        if DEMO_COUNCIL not in org.councils or DEMO_CONSTITUENCY not in org.constituencies:
            raise ValueError(f"no {DEMO_COUNCIL} with a {DEMO_CONSTITUENCY}: run soviet demo first")
        if not org.is_secretary(DEMO_COUNCIL, DEMO_SECRETARY):
            tx.handle(cmd.AppointSecretary(council=DEMO_COUNCIL, member=DEMO_SECRETARY, date=day))
        sitting = org.sitting_delegates(DEMO_CONSTITUENCY)
        if sitting and org.open_petition_against(sitting[0].id) is None:
            tx.handle(
                cmd.OpenRecall(constituency=DEMO_CONSTITUENCY, opened_by="baker 01", date=day)
            )
        if DEMO_CONGRESS in org.congresses:
            return
        council = org.councils[DEMO_COUNCIL]
        tx.handle(
            cmd.ChangeCouncil(
                council=DEMO_COUNCIL,
                changes={"may_convene": [*council.may_convene, DEMO_CONGRESS]},
                date=day,
            )
        )
        g = DEMO_CONGRESS
        tx.handle(
            cmd.CallCongress(
                name=g,
                convened_by=DEMO_COUNCIL,
                date=day,
                opens_on=day,
                quorum="1/2",
                senders={"Petrograd district soviets": len(DEMO_DELEGATES)},
                external=True,
                self_registration=True,
            )
        )
        for name in DEMO_DELEGATES:
            tx.handle(
                cmd.PresentCredential(
                    congress=g,
                    delegate=name,
                    sent_by="Petrograd district soviets",
                    elected_on=day,
                    date=day,
                )
            )
        tx.handle(cmd.RuleOnCredentials(congress=g, credentials=None, accept=True, date=day))
        tx.handle(cmd.OpenCongress(congress=g, date=day))
        tx.handle(cmd.RegisterAttendance(congress=g, arriving=True, date=day, credentials=[1, 2]))
        tx.handle(
            cmd.ElectPost(
                congress=g,
                post="Chair",
                date=day,
                candidates=[Candidate(DEMO_DELEGATES[0], votes=2)],
            )
        )
        tx.handle(
            cmd.TableMotion(
                congress=g, title="Bread", text="Bread to the cities.", mover=2, date=day
            )
        )
        tx.handle(cmd.OpenVote(congress=g, motion=1, date=day, mode="roll-call"))

    service.execute(work, "demo")


@account_app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Demo accounts on the Petrograd demo (make serve): an elector who can sign an open
    recall petition, a congress delegate, a chair and a secretary, with one-time codes."""
    from soviet.domain.errors import DomainError

    service, store = _open(ctx)
    try:
        demo_setup(service)
    except (DomainError, ValueError) as exc:
        fail(str(exc))

    def delegate(n: int) -> Enrolee:
        name = f"{DEMO_CONGRESS}:{n}"
        return Enrolee(f"credential:{name}", name, DEMO_DELEGATES[n - 1])

    people = [
        (
            "elector of the Bakery (an open recall petition)",
            Enrolee("member:baker 02", "baker 02", "baker 02"),
        ),
        ("delegate (may vote, move motions, change group)", delegate(2)),
        ("delegate not yet registered (may register)", delegate(3)),
        ("chair of the Demo Congress", delegate(1)),
        (
            "secretary of the Petrograd Soviet",
            Enrolee(f"member:{DEMO_SECRETARY}", DEMO_SECRETARY, "Demo Secretary"),
        ),
    ]
    issued = issue(store, [p for _, p in people])
    typer.echo("Demo accounts (one-time codes: POST /api/enrol {code, password}, then log in):")
    for (role, p), (_, code) in zip(people, issued, strict=True):
        typer.echo(f"  {role:<50} login {p.login!r:<22} code {code}")


def register(app: typer.Typer) -> None:
    """Attach ``soviet account`` to the main application."""
    app.add_typer(account_app, name="account")
