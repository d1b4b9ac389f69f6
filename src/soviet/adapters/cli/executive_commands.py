"""``soviet executive`` and ``soviet decree``: the council of commissioners formed by a
congress, its department heads, and its decrees from issue through signatures to
ratification, annulment or lapse; signed decrees exported and checked offline.

Each command builds the same command object the HTTP API and scenario files do
(``soviet.application.commands.executive``). Sources: SYSTEM.md, "Executive, decrees,
ratification" (003:25469-25487, 44887-44900, 46600-46713, 47007-47028, 48585-48589,
47794-47818).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.checkpoint_commands import _is_file, _read, _read_bytes
from soviet.adapters.cli.common import EXIT_USAGE, console, fail, lazy_module, print_json
from soviet.adapters.cli.council_commands import (
    AS_OF,
    CALENDAR,
    DATE,
    JSON,
    _date,
    _service,
    _view,
    guard,
)
from soviet.adapters.cli.order_commands import _apply

if TYPE_CHECKING:
    from soviet.application import commands as cmd
    from soviet.domain.executive import ExecutiveDecree, SigningKey
    from soviet.domain.model import Organisation
    from soviet.views import executive as views
else:
    cmd = lazy_module("soviet.application.commands")
    views = lazy_module("soviet.views.executive")

executive_app = typer.Typer(
    help="The council of commissioners: form it, appoint and dismiss department heads, "
    "grant urgent powers, vote confidence, show it.",
    no_args_is_help=True,
)
decree_app = typer.Typer(
    help="Decrees of a council of commissioners: issue, sign, ratify, annul, lapse; "
    "signing keys; export a signed decree and check one offline.",
    no_args_is_help=True,
)
BY = typer.Option(..., "--by", help="The deciding body: the congress or its executive committee.")
VOTE = typer.Option(None, "--vote", help="The vote that decided it (a reference, e.g. 'CEC 4').")
FOR = typer.Option(None, "--for", help="The vote's tally: in favour (with --against).")
AGAINST = typer.Option(None, "--against", help="The vote's tally: against.")
ABSTAINING = typer.Option(0, "--abstaining", help="The vote's tally: abstaining.")


def _tally(in_favour: int | None, against: int | None, abstaining: int) -> dict[str, int] | None:
    """The tally of --for/--against/--abstaining, or None when no vote is given."""
    if in_favour is None and against is None:
        return None
    if in_favour is None or against is None:
        fail("give a vote's tally with both --for and --against")
    return {"for": in_favour, "against": against, "abstain": abstaining}


# --- the council of commissioners ---------------------------------------------------------
@executive_app.command("form")
def form(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Name of the council of commissioners."),
    congress: str = typer.Option(..., "--congress", help="The congress forming it."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Form a council of commissioners, answerable to the congress's executive committee
    (or to the congress where it elected none)."""
    command = cmd.FormCommissionersCouncil(name=name, congress=congress, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"council of commissioners {name} formed")


@executive_app.command("appoint")
def appoint(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council of commissioners."),
    department: str = typer.Option(..., "--department", help="The department to head."),
    member: str = typer.Option(..., "--member", help="Who heads it."),
    by: str = BY,
    vote: str | None = VOTE,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Appoint a department head (003:25469-25487)."""
    command = cmd.AppointDepartmentHead(
        council=council,
        department=department,
        member=member,
        by=by,
        vote=vote,
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"{member} heads {department} of {council}")


@executive_app.command("dismiss")
def dismiss(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council of commissioners."),
    department: str = typer.Option(..., "--department", help="The department."),
    by: str = BY,
    vote: str | None = VOTE,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Dismiss a department's head."""
    command = cmd.DismissDepartmentHead(
        council=council, department=department, by=by, vote=vote, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"the head of {department} of {council} dismissed")


@executive_app.command("grant-urgent")
def grant_urgent(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council of commissioners."),
    by: str = BY,
    days: int = typer.Option(
        ..., "--days", help="Days within which an urgent decree must be ratified or lapse."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Grant the right to pass urgent decrees, in force at signing (003:44887-44900)."""
    command = cmd.GrantUrgentPowers(
        council=council, by=by, ratify_within_days=days, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"{council} may pass urgent decrees (ratify within {days} d)")


@executive_app.command("confidence")
def confidence(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council of commissioners."),
    by: str = BY,
    in_favour: int = typer.Option(..., "--for", help="Votes of confidence."),
    against: int = typer.Option(..., "--against", help="Votes against."),
    abstaining: int = typer.Option(0, "--abstaining", help="Abstentions."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Record a vote of confidence; lost, the council resigns (003:5083-5089)."""
    command = cmd.VoteConfidence(
        council=council,
        by=by,
        in_favour=in_favour,
        against=against,
        abstaining=abstaining,
        date=_date(date, calendar),
    )
    carried = in_favour > against
    _apply(
        ctx,
        json_out,
        command,
        f"confidence in {council} {'carried' if carried else 'lost'} "
        f"{in_favour}-{against}-{abstaining}" + ("" if carried else f": {council} resigns"),
    )


@executive_app.command("show")
def show(ctx: typer.Context, json_out: bool = JSON, as_of: int | None = AS_OF) -> None:
    """Councils of commissioners and every appointment of a department head."""
    heads = _view(ctx, views.department_heads, as_of)
    councils = _view(ctx, views.commissioners_councils, as_of)
    if json_out:
        print_json({"councils": councils, "department_heads": heads})
        return
    if not councils:
        console.print("no council of commissioners")
        return
    from rich.table import Table

    for k in councils:
        state = f"resigned {k['resigned_on']}" if k["resigned_on"] else "sitting"
        urgent = (
            f"; urgent powers from {k['urgent_granted_on']} ({k['urgent_days']} d)"
            if k["urgent_granted_on"]
            else ""
        )
        table = Table(
            title=f"{k['name']} (formed {k['formed_on']} by {k['congress']}, answerable to "
            f"{k['ratifier']}; {state}{urgent})"
        )
        for col in ("department", "head", "appointed", "by", "left office"):
            table.add_column(col)
        for h in (h for h in heads if h["council"] == k["name"]):
            gone = f"{h['dismissed_on']} ({h['dismissed_by']})" if h["dismissed_on"] else ""
            table.add_row(h["department"], h["member"], h["appointed_on"], h["appointed_by"], gone)
        console.print(table)


# --- decrees ---------------------------------------------------------------------------------
@decree_app.command("issue")
def issue(
    ctx: typer.Context,
    council: str = typer.Argument(..., help="The council of commissioners."),
    registry: str = typer.Argument(..., help="Registry (file) number of the decree."),
    title: str | None = typer.Option(None, "--title", help="Title."),
    text: str | None = typer.Option(None, "--text", help="The text (or --text-file)."),
    text_file: Path | None = typer.Option(None, "--text-file", help="Read the text from FILE."),
    department: str = typer.Option(..., "--department", help="The department issuing it."),
    urgent: bool = typer.Option(
        False, "--urgent", help="Urgent: in force at signing where urgent powers were granted."
    ),
    signatory: list[str] = typer.Option(
        [], "--signatory", help="A name whose signature it needs (repeat; 003:48585-48589)."
    ),
    adopted_by: str | None = typer.Option(
        None,
        "--adopted-by",
        help="The ratifying body or the congress, when it adopts the decree itself.",
    ),
    in_favour: int | None = FOR,
    against: int | None = AGAINST,
    abstaining: int = ABSTAINING,
    congress_decree: int | None = typer.Option(
        None,
        "--congress-decree",
        help="Register decree N the congress adopted by vote (its title, text and tally).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Issue a decree; with --signatory it is a draft until each has signed; with
    --adopted-by the executive committee or congress adopts it, in force as adopted;
    with --congress-decree N it registers the congress's decree N to be signed."""
    if congress_decree is not None:
        if title is not None or text is not None or text_file is not None:
            fail("--congress-decree: the decree keeps its congress's title and text")
        title, body = "", ""
    else:
        if title is None:
            fail("give the decree's --title")
        if (text is None) == (text_file is None):
            fail("give the decree's text with exactly one of --text and --text-file")
        body = text if text is not None else _read(text_file or Path(), "--text-file")
    command = cmd.IssueDecree(
        council=council,
        registry=registry,
        title=title,
        text=body,
        department=department,
        urgent=urgent,
        signatories=signatory,
        adopted_by=adopted_by,
        tally=_tally(in_favour, against, abstaining),
        congress_decree=congress_decree,
        date=_date(date, calendar),
    )
    waiting = f", awaiting the signatures of {', '.join(signatory)}" if signatory else ""
    _apply(ctx, json_out, command, f"decree {registry} issued by {council}{waiting}")


@decree_app.command("ratify")
def ratify(
    ctx: typer.Context,
    registry: str = typer.Argument(..., help="Registry number."),
    by: str = BY,
    in_favour: int | None = FOR,
    against: int | None = AGAINST,
    abstaining: int = ABSTAINING,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Endorse a decree (003:46600-46713)."""
    command = cmd.RatifyDecree(
        registry=registry,
        by=by,
        tally=_tally(in_favour, against, abstaining),
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"decree {registry} ratified by {by}")


@decree_app.command("annul")
def annul(
    ctx: typer.Context,
    registry: str = typer.Argument(..., help="Registry number."),
    by: str = BY,
    in_favour: int | None = FOR,
    against: int | None = AGAINST,
    abstaining: int = ABSTAINING,
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Annul a decree."""
    command = cmd.AnnulDecree(
        registry=registry,
        by=by,
        tally=_tally(in_favour, against, abstaining),
        date=_date(date, calendar),
    )
    _apply(ctx, json_out, command, f"decree {registry} annulled by {by}")


@decree_app.command("lapse")
def lapse(
    ctx: typer.Context,
    registry: str = typer.Argument(..., help="Registry number."),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Record that an urgent decree unratified past its deadline lapsed."""
    command = cmd.LapseDecree(registry=registry, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"decree {registry} lapsed")


@decree_app.command("register-key")
def register_key(
    ctx: typer.Context,
    holder: str = typer.Argument(..., help="A signatory's name, or a council (its seal)."),
    public_key: str = typer.Option(
        ...,
        "--public-key",
        help="64 hex digits, or a file with them or a PEM public key "
        "(KEYFILE.pub from `soviet checkpoint keygen KEYFILE`).",
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Register the public key with which HOLDER signs (a new one replaces the old)."""
    from soviet.application.checkpoints import CheckpointError, parse_public_key

    path = Path(public_key)
    text = _read(path, "--public-key") if _is_file(path) else public_key
    try:
        key = parse_public_key(text, "--public-key")
    except CheckpointError as exc:
        fail(str(exc))
    command = cmd.RegisterSigningKey(holder=holder, public_key=key, date=_date(date, calendar))
    _apply(ctx, json_out, command, f"{holder} signs with key {key}")


@decree_app.command("keys")
def keys(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help="Write the keys file to FILE."),
    as_of: int | None = AS_OF,
) -> None:
    """The registered public keys as a keys file, to publish beside signed decrees."""
    from soviet.application import decree_documents as docs

    data = _view(ctx, docs.keys_file, as_of)
    if out is None:
        print_json(data)
        return
    _write(out, data, "--out")
    console.print(f"{len(data['keys'])} keys written to {out}", markup=False, highlight=False)


def _write(path: Path, data: Any, option: str) -> None:
    import json

    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    except (OSError, ValueError) as exc:
        fail(f"{option}: cannot write {path}: {getattr(exc, 'strerror', None) or exc}")


def _private_key(path: Path, option: str) -> Any:
    from soviet.application.checkpoints import CheckpointError, load_private_key

    try:
        return load_private_key(_read_bytes(path, option), f"{option} {path}")
    except CheckpointError as exc:
        fail(str(exc))


@decree_app.command("sign")
def sign(
    ctx: typer.Context,
    registry: str = typer.Argument(..., help="Registry number."),
    signer: str = typer.Option(..., "--signer", help="The signatory signing."),
    key: Path = typer.Option(
        ..., "--key", help="The signatory's private key (PEM); it never leaves this machine."
    ),
    date: str | None = DATE,
    calendar: str = CALENDAR,
    json_out: bool = JSON,
) -> None:
    """Sign a decree's text with your key; the ledger records the signature, which the
    engine checks against your registered public key."""
    from soviet.application.decree_documents import signed_bytes
    from soviet.domain import executive_rules as xr

    private = _private_key(key, "--key")
    decree = _view(ctx, lambda org: xr.get_executive_decree(org, registry), None)
    signature = private.sign(signed_bytes(decree)).hex()
    command = cmd.SignDecree(
        registry=registry, signer=signer, signature=signature, date=_date(date, calendar)
    )
    _apply(ctx, json_out, command, f"decree {registry} signed by {signer}")


@decree_app.command("export")
def export(
    ctx: typer.Context,
    registry: str = typer.Argument(..., help="Registry number."),
    out: Path = typer.Option(..., "--out", help="Write the signed document to FILE.json."),
    seal_key: Path | None = typer.Option(
        None,
        "--seal-key",
        help="The council's seal (its private key, registered with register-key COUNCIL); "
        "without a seal the document is not valid.",
    ),
) -> None:
    """Export a fully signed decree as a document that `soviet decree check` verifies
    offline: its text, signatures, the ledger entry that recorded them, and the seal."""
    from soviet.application import decree_documents as docs
    from soviet.application.checkpoints import public_key_hex
    from soviet.domain import executive_rules as xr

    service = _service(ctx)

    def decree_and_seal(org: Organisation) -> tuple[ExecutiveDecree, SigningKey | None]:
        d = xr.get_executive_decree(org, registry)
        return d, org.signing_keys.get(d.council)

    with guard():
        decree, registered = service.query(decree_and_seal)
    try:
        document = docs.document(decree, docs.anchor(service.history(), registry))
    except docs.DocumentError as exc:
        fail(str(exc))
    if seal_key is not None:
        private = _private_key(seal_key, "--seal-key")
        if registered is None or registered.public_key != public_key_hex(private.public_key()):
            fail(
                f"--seal-key: not the registered seal of {decree.council!r}"
                + ("" if registered else " (none registered: soviet decree register-key)")
            )
        document = docs.seal(document, private, decree.council)
    _write(out, document, "--out")
    sealed = "sealed" if seal_key is not None else "not sealed (no --seal-key): not valid"
    console.print(
        f"decree {registry} written to {out}: {len(document['signatures'])} signatures, {sealed}",
        markup=False,
        highlight=False,
    )


@decree_app.command("check")
def check(
    document: Path = typer.Argument(..., help="A signed decree (soviet decree export)."),
    keys_file: Path | None = typer.Option(
        None,
        "--keys",
        help="A keys file (soviet decree keys) from a source you trust: whose keys they are.",
    ),
    json_out: bool = JSON,
) -> None:
    """Check a signed decree offline: each signatory's signature, the registry number
    and the seal. Exit 0 valid, 1 invalid (each problem named), 2 unreadable."""
    from soviet.application import decree_documents as docs

    try:
        data = docs.parse(_read(document, "DOCUMENT"), str(document))
        trusted = (
            None
            if keys_file is None
            else docs.read_keys(_read(keys_file, "--keys"), str(keys_file))
        )
    except docs.DocumentError as exc:
        fail(str(exc), EXIT_USAGE)
    result = docs.check(data, trusted)
    if json_out:
        print_json(result.data())
    else:
        head = f"decree {result.registry or '?'} {result.title!r}"
        if result.valid:
            lines = [
                f"valid: {head}, signed by {', '.join(result.signed_by) or 'nobody'}, "
                f"sealed by {result.sealed_by}; recorded at ledger event "
                f"{result.ledger.get('seq')} ({result.ledger.get('hash')})"
            ]
        else:
            lines = [f"invalid: {head}", *(f"  {p}" for p in result.problems)]
        if not result.trusted_keys:
            lines.append(
                "note: checked with the keys inside the document, which shows it is intact, "
                "not who signed it: pass --keys FILE from a source you trust"
            )
        for line in lines:
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(0 if result.valid else 1)


def register(app: typer.Typer) -> None:
    """Attach ``soviet executive`` and ``soviet decree``."""
    app.add_typer(executive_app, name="executive")
    app.add_typer(decree_app, name="decree")
