"""CLI: ``verify`` (chain, state, checkpoints) and ``checkpoint`` (publish, sign, keys).

See docs/decisions/0009-checkpoints.md for what a checkpoint proves and docs/cli.md for
the formats.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from soviet.adapters.cli.common import console, err_console, fail, print_json
from soviet.domain.limits import FILE_MAX, shorten

if TYPE_CHECKING:
    from soviet.application.checkpoints import Checkpoint, Document, SigningKey
    from soviet.application.service import CouncilService
    from soviet.application.verification import VerifyReport

checkpoint_app = typer.Typer(
    help="Verify the ledger and print its head as a checkpoint to publish (--sign to "
    "sign it); make keys; counter-sign as a witness. See docs/decisions/0009.",
    invoke_without_command=True,
)

JSON = typer.Option(False, "--json", help="Print JSON (stable shape, see docs/cli.md).")
SIGN = typer.Option(None, "--sign", help="Sign with this Ed25519 private key (PEM file).")
SIGNER = typer.Option(None, "--signer", help="The signer's name, shown beside the signature.")


def _service(ctx: typer.Context) -> CouncilService:
    from soviet.adapters.storage import StorageError, open_service

    try:
        return open_service(ctx.obj.db)
    except StorageError as exc:
        fail(str(exc))


def _read_bytes(path: Path, option: str) -> bytes:
    """A file's bytes ('-': stdin), at most FILE_MAX of them; one line naming the option
    for a missing or oversized file, a folder or a device."""
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(FILE_MAX + 1)
            if len(data) > FILE_MAX:
                fail(f"{option}: stdin holds more than the limit of {FILE_MAX:,} bytes")
            return data
        from soviet.count.files import read_bounded

        return read_bounded(path, FILE_MAX)
    except OSError as exc:
        fail(f"{option}: cannot read {path}: {exc.strerror or exc}")


def _read(path: Path, option: str) -> str:
    from soviet.count.files import NotUTF8, decode_utf8

    try:
        return decode_utf8(_read_bytes(path, option))
    except NotUTF8 as exc:
        fail(f"{option}: {path}: {exc}")


def _checkpoints(pairs: list[str], files: list[Path]) -> list[Checkpoint]:
    if not pairs and not files:
        return []
    from soviet.application.checkpoints import CheckpointError, parse_pair, read_checkpoints

    try:
        found = [parse_pair(pair) for pair in pairs]
        for path in files:
            found += read_checkpoints(_read(path, "--checkpoints"), str(path))
    except CheckpointError as exc:
        fail(str(exc))
    return found


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; False for what cannot be a file name at all (a
    hex key longer than a file name may be, a NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _trusted(keys: list[str]) -> list[str]:
    """Public keys given as hex, or as files holding hex or PEM."""
    if not keys:
        return []
    from soviet.application.checkpoints import CheckpointError, parse_public_key

    out = []
    for key in keys:
        path = Path(key)
        text = _read(path, "--trust") if _is_file(path) else key
        try:
            out.append(parse_public_key(text, f"--trust {key}"))
        except CheckpointError as exc:
            fail(str(exc))
    return out


def _private_key(path: Path, signer: str | None) -> tuple[SigningKey, str]:
    from soviet.application.checkpoints import CheckpointError, load_private_key

    if signer is None:
        fail("--sign needs --signer NAME (who signs)")
    data = _read_bytes(path, "--sign")
    try:
        return load_private_key(data, str(path)), signer
    except CheckpointError as exc:
        fail(str(exc))


def print_report(report: VerifyReport) -> None:
    """The verdict in one line for the chain and state, one per checkpoint."""
    if report.ok:
        # Nothing to show in red: plain lines, without importing rich (decisions/0012).
        _print_plain_report(report)
        return
    from rich.markup import escape

    chain = report.chain
    if not chain.ok:
        console.print(
            f"[red]ledger broken[/] at event {chain.first_bad_seq}: {escape(chain.problem or '')}",
            soft_wrap=True,
        )
    else:
        line = f"ledger intact: {chain.checked} events, head {chain.head_hash}"
        if report.state is None:
            line += "; state not checked (--chain-only)"
        elif report.state.ok:
            line += "; state matches the ledger"
        else:
            line += f"; [red]state differs[/]: {escape(report.state.problem or '')}"
        console.print(line, soft_wrap=True)
    for result in report.checkpoints:
        label = f"checkpoint {result.seq}:{result.hash[:16]}... ({escape(result.source)})"
        if result.ok:
            signed = f", signed by {escape(', '.join(result.signers))}" if result.signers else ""
            console.print(f"{label}: held{signed}", soft_wrap=True)
        else:
            console.print(f"[red]FAILED[/] {escape(result.problem or '')}", soft_wrap=True)


def _print_plain_report(report: VerifyReport) -> None:
    """The lines of a report that holds, as ``print_report`` words them, without markup."""
    chain, state = report.chain, report.state
    line = f"ledger intact: {chain.checked} events, head {chain.head_hash}"
    if state is None:
        line += "; state not checked (--chain-only)"
    else:
        line += "; state matches the ledger"
    typer.echo(line)
    for result in report.checkpoints:
        label = f"checkpoint {result.seq}:{result.hash[:16]}... ({result.source})"
        signed = f", signed by {', '.join(result.signers)}" if result.signers else ""
        typer.echo(f"{label}: held{signed}")


def verify(
    ctx: typer.Context,
    json_out: bool = JSON,
    chain_only: bool = typer.Option(
        False, "--chain-only", help="Skip the state proof (live tables against the ledger)."
    ),
    checkpoint: list[str] | None = typer.Option(
        None,
        "--checkpoint",
        metavar="SEQ:HASH",
        help="A published checkpoint: event SEQ must still have hash HASH (repeatable).",
    ),
    checkpoints: list[Path] | None = typer.Option(
        None,
        "--checkpoints",
        metavar="FILE",
        help="Published checkpoint documents: a JSON array or one per line (repeatable).",
    ),
    trust: list[str] | None = typer.Option(
        None,
        "--trust",
        metavar="PUBKEY",
        help="Require each document in --checkpoints to be signed by one of these keys "
        "(hex, or a file holding hex or PEM; repeatable).",
    ),
) -> None:
    """Check the hash chain, the live tables against the ledger, and checkpoints.

    Recomputes the hash chain, proves that the live tables equal the state rebuilt from
    the ledger, and checks that the ledger still holds each published checkpoint.
    Exit 0 when all hold, 1 when not.
    """
    found = _checkpoints(checkpoint or [], checkpoints or [])
    keys = _trusted(trust or [])
    service = _service(ctx)
    report = service.verify(state=not chain_only, checkpoints=found, trusted=keys)
    if json_out:
        print_json(report.data())
    else:
        print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_document(document: Document) -> None:
    s = document.statement
    lines = [
        f"soviet ledger checkpoint ({s.format})",
        f"  event     {s.seq}",
        f"  recorded  {s.recorded_at}",
        f"  hash      {s.hash}",
        *(f"  signed by {sig.signer}, key {sig.public_key}" for sig in document.signatures),
        f"check it with: soviet verify --checkpoint {s.seq}:{s.hash}",
    ]
    if document.signatures:
        lines.append("(--json prints the signed document to publish)")
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@checkpoint_app.callback()
def checkpoint(
    ctx: typer.Context,
    json_out: bool = JSON,
    sign: Path | None = SIGN,
    signer: str | None = SIGNER,
    seq: int | None = typer.Option(None, "--seq", help="An earlier event instead of the head."),
) -> None:
    """Verify the ledger, then print its head as a checkpoint to publish.

    For the minutes, a notice board, members' own copies; optionally signed (--sign).
    """
    if ctx.invoked_subcommand is not None:
        return
    from soviet.application.checkpoints import CheckpointError, Document

    key = _private_key(sign, signer) if sign is not None else None
    if key is None and signer is not None:
        fail("--signer needs --sign KEYFILE")
    service = _service(ctx)
    report = service.verify()
    if not report.ok:
        print_report(report)
        err_console.print("error: the ledger does not verify: no checkpoint of it", markup=False)
        raise typer.Exit(1)
    at = report.checked if seq is None else seq
    if not 1 <= at <= report.checked:
        fail(f"--seq: no event {at} (the ledger holds 1..{report.checked})")
    try:
        document = Document(service.checkpoint(at))
        if key is not None:
            document = document.signed(*key)
    except CheckpointError as exc:
        fail(str(exc))
    if json_out:
        sys.stdout.write(document.to_json() + "\n")
    else:
        _print_document(document)


@checkpoint_app.command("countersign")
def countersign(
    document: Path = typer.Argument(
        ..., help="The published checkpoint (one JSON document; '-' for stdin)."
    ),
    sign: Path = typer.Option(..., "--sign", help="The witness's Ed25519 private key (PEM)."),
    signer: str = typer.Option(..., "--signer", help="The witness's name."),
) -> None:
    """A witness adds a signature to a published checkpoint.

    Prints the document (one line of JSON) with the witness's signature over the same
    statement. Every signature already on it must verify. Check the checkpoint against
    your own copy of the ledger first: soviet verify --checkpoints FILE.
    """
    from soviet.application.checkpoints import CheckpointError, read_checkpoints

    key = _private_key(sign, signer)
    text = _read(document, "countersign")
    try:
        found = read_checkpoints(text, str(document))
        if len(found) != 1 or found[0].document is None:
            raise CheckpointError(f"{document}: expected one checkpoint document")
        doc = found[0].document
        bad = [s.signer for s in doc.signatures if not s.verifies(doc.statement)]
        if bad:
            err_console.print(
                f"error: {document}: the signature by {bad[0]!r} does not verify: not signing",
                markup=False,
            )
            raise typer.Exit(1)
        doc = doc.signed(*key)
    except CheckpointError as exc:
        fail(str(exc))
    sys.stdout.write(doc.to_json() + "\n")


@checkpoint_app.command("keygen")
def keygen(
    keyfile: Path = typer.Argument(..., help="Where to write the private key (PEM, mode 0600)."),
    json_out: bool = JSON,
) -> None:
    """Make an Ed25519 key pair for signing checkpoints.

    The private key goes to KEYFILE (readable by you only), the public key to
    KEYFILE.pub (PEM) and is printed (hex), to hand to those who --trust it.
    """
    if not keyfile.name:
        fail(f"KEYFILE: not a file name: {str(keyfile)!r}")
    from soviet.application.checkpoints import (
        generate_key,
        private_key_pem,
        public_key_hex,
        public_key_pem,
    )

    public_file = keyfile.with_name(keyfile.name + ".pub")
    try:
        for path in (keyfile, public_file):
            if os.path.lexists(path):
                fail(f"{path} exists: not overwriting a key")
        key = generate_key()
        fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(private_key_pem(key))
        public_file.write_bytes(public_key_pem(key.public_key()))
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        fail(f"KEYFILE: cannot write the key {shorten(str(keyfile))}: {exc}")
    public = public_key_hex(key.public_key())
    if json_out:
        print_json(
            {
                "private_key_file": str(keyfile),
                "public_key_file": str(public_file),
                "public_key": public,
            }
        )
        return
    for line in (
        f"private key: {keyfile} (keep it private)",
        f"public key:  {public_file}",
        f"public key (hex, for --trust): {public}",
    ):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach ``verify`` and ``checkpoint`` to the main application."""
    app.command("verify")(verify)
    app.add_typer(checkpoint_app, name="checkpoint")
