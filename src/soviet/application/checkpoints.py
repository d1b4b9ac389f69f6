"""Published checkpoints of the ledger: statement, Ed25519 signatures, checks.

A checkpoint states that event ``seq`` of the ledger has hash ``hash`` (and was recorded
at ``recorded_at``). Published where the operator cannot reach it (minutes, a notice
board, members' own copies), it pins the whole history up to ``seq``: every entry's hash
covers its predecessor's, so no rewrite of those events can keep that hash, however
consistently the later hashes are recomputed (docs/decisions/0009-checkpoints.md).

What is signed is the *statement*: the canonical JSON (sorted keys, no spaces, UTF-8) of
exactly ``{"format", "hash", "recorded_at", "seq"}``. An officer signs it, witnesses
counter-sign the same bytes, so anyone can check any signature with any Ed25519 tool.
Keys and signatures are written as lowercase hex (raw 32-byte keys, 64-byte signatures).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

# cryptography is imported where a key or signature is handled: 'verify' without
# signed checkpoints never needs it (docs/decisions/0012-lazy-imports.md).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    SigningKey = Ed25519PrivateKey

FORMAT = "soviet-checkpoint/1"
_HASH = re.compile(r"[0-9a-f]{64}")
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
_STATEMENT_KEYS = ("format", "hash", "recorded_at", "seq")


class CheckpointError(ValueError):
    """A checkpoint, document or key cannot be read as given."""


@dataclass(frozen=True)
class Statement:
    """What a checkpoint asserts, and what its signatures sign."""

    seq: int
    hash: str
    recorded_at: str
    format: str = FORMAT

    def data(self) -> dict[str, Any]:
        """The statement as a JSON object."""
        return {
            "format": self.format,
            "hash": self.hash,
            "recorded_at": self.recorded_at,
            "seq": self.seq,
        }

    def canonical(self) -> bytes:
        """The signed bytes: canonical JSON, sorted keys, no spaces, UTF-8."""
        text = json.dumps(self.data(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")


@dataclass(frozen=True)
class Signature:
    """One Ed25519 signature over a statement; ``signer`` is a label, the key is who."""

    signer: str
    public_key: str
    signature: str

    def data(self) -> dict[str, str]:
        """The signature as a JSON object."""
        return {"public_key": self.public_key, "signature": self.signature, "signer": self.signer}

    def verifies(self, statement: Statement) -> bool:
        """Whether this is a valid signature of ``statement`` by ``public_key``."""
        return ed25519_verifies(self.public_key, self.signature, statement.canonical())


def ed25519_verifies(public_key: str, signature: str, message: bytes) -> bool:
    """Whether ``signature`` (hex) is a valid Ed25519 signature of ``message`` by the
    raw public key ``public_key`` (hex); False for malformed hex as for a bad signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Document:
    """A published checkpoint: the statement and the signatures over it."""

    statement: Statement
    signatures: tuple[Signature, ...] = ()

    def data(self) -> dict[str, Any]:
        """The document as a JSON object: the statement's keys plus ``signatures``."""
        return {**self.statement.data(), "signatures": [s.data() for s in self.signatures]}

    def to_json(self) -> str:
        """The document on one line (canonical JSON), to publish or append to a file."""
        return json.dumps(self.data(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def signed(self, key: Ed25519PrivateKey, signer: str) -> Document:
        """The document with one more signature (an officer's, or a witness's)."""
        _check_signer(signer)
        public = public_key_hex(key.public_key())
        if any(s.public_key == public for s in self.signatures):
            raise CheckpointError(f"the checkpoint already carries a signature by key {public}")
        signature = Signature(signer, public, key.sign(self.statement.canonical()).hex())
        return replace(self, signatures=(*self.signatures, signature))


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint to verify the ledger against: ``SEQ:HASH`` or a published document.

    ``published`` marks one read from a file of published checkpoints, which ``--trust``
    requires to be signed (not one the verifier typed on the command line)."""

    seq: int
    hash: str
    source: str
    document: Document | None = None
    published: bool = False


@dataclass(frozen=True)
class CheckpointResult:
    """Whether the ledger still holds the checkpoint's event with the checkpoint's hash,
    and whether its signatures verify. ``ledger_hash`` is what the ledger holds at ``seq``
    (None: no such event); ``signers`` the signatures that verified."""

    seq: int
    hash: str
    source: str
    ok: bool
    ledger_hash: str | None
    signers: tuple[str, ...] = field(default=())
    problem: str | None = None

    def data(self) -> dict[str, Any]:
        """A JSON object (an item of ``checkpoints`` in ``verify --json``)."""
        return {
            "seq": self.seq,
            "hash": self.hash,
            "source": self.source,
            "ok": self.ok,
            "ledger_hash": self.ledger_hash,
            "signers": list(self.signers),
            "problem": self.problem,
        }


def _check_signer(signer: str) -> None:
    if not signer.strip() or any(ord(ch) < 32 for ch in signer):
        raise CheckpointError(
            f"signer must be a non-empty name without control characters: {signer!r}"
        )


def _check_hash(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise CheckpointError(f"{where}: hash must be 64 lowercase hex digits, got {value!r}")
    return value


def parse_pair(text: str, source: str = "--checkpoint") -> Checkpoint:
    """``SEQ:HASH`` (a sequence number >= 1 and the 64-hex-digit hash of that event);
    ``source`` names where it was given, in errors and results."""
    seq_text, sep, digest = text.strip().partition(":")
    if not (sep and seq_text.isascii() and seq_text.isdigit()) or int(seq_text) < 1:
        raise CheckpointError(f"{source}: expected SEQ:HASH (e.g. 404:3fa2...), got {text!r}")
    if not _HASH.fullmatch(digest.lower()):
        raise CheckpointError(f"{source}: HASH must be 64 hex digits, got {text!r}")
    return Checkpoint(int(seq_text), digest.lower(), source)


def parse_document(data: Any, source: str) -> Document:
    """A published checkpoint document, checked field by field (signatures not yet)."""
    if not isinstance(data, dict):
        raise CheckpointError(f"{source}: a checkpoint document must be a JSON object")
    unknown = set(data) - {*_STATEMENT_KEYS, "signatures"}
    if unknown:
        # Refused rather than ignored: a reader could take an extra key for a signed one.
        raise CheckpointError(
            f"{source}: unknown keys {sorted(unknown)} (only the statement's are signed)"
        )
    missing = [k for k in _STATEMENT_KEYS if k not in data]
    if missing:
        raise CheckpointError(f"{source}: missing {missing}")
    if data["format"] != FORMAT:
        raise CheckpointError(f"{source}: format must be {FORMAT!r}, got {data['format']!r}")
    seq = data["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise CheckpointError(f"{source}: seq must be a whole number >= 1, got {seq!r}")
    if not isinstance(data["recorded_at"], str):
        raise CheckpointError(f"{source}: recorded_at must be text, got {data['recorded_at']!r}")
    statement = Statement(seq, _check_hash(data["hash"], source), data["recorded_at"])
    raw = data.get("signatures", [])
    if not isinstance(raw, list):
        raise CheckpointError(f"{source}: signatures must be a list")
    signatures = []
    for i, item in enumerate(raw):
        where = f"{source}: signatures[{i}]"
        if not isinstance(item, dict) or set(item) != {"signer", "public_key", "signature"}:
            raise CheckpointError(f"{where}: expected {{signer, public_key, signature}}")
        if not all(isinstance(v, str) for v in item.values()):
            raise CheckpointError(f"{where}: signer, public_key and signature must be text")
        if not _HEX_KEY.fullmatch(item["public_key"]):
            raise CheckpointError(f"{where}: public_key must be 64 hex digits")
        if not re.fullmatch(r"[0-9a-fA-F]{128}", item["signature"]):
            raise CheckpointError(f"{where}: signature must be 128 hex digits")
        signatures.append(
            Signature(item["signer"], item["public_key"].lower(), item["signature"].lower())
        )
    return Document(statement, tuple(signatures))


def document_checkpoint(document: Document, source: str) -> Checkpoint:
    """The checkpoint a document states."""
    return Checkpoint(document.statement.seq, document.statement.hash, source, document, True)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def read_checkpoints(text: str, source: str) -> list[Checkpoint]:
    """Checkpoints from a file: a JSON array of documents, one document (even spread over
    lines), or one per line (a JSON document or ``SEQ:HASH``; blank lines and lines
    starting with ``#`` are skipped)."""
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith("{") and not _is_json(first):
        try:
            whole = json.loads(text)  # one document, pretty-printed
        except json.JSONDecodeError:
            pass  # reported line by line below
        else:
            return [document_checkpoint(parse_document(whole, source), source)]
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"{source}: not valid JSON: {exc}") from None
        return [
            document_checkpoint(parse_document(item, f"{source}[{i}]"), f"{source}[{i}]")
            for i, item in enumerate(items)
        ]
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        where = f"{source}:{number}"
        if not line or line.startswith("#"):
            continue
        if not line.startswith("{"):
            found.append(replace(parse_pair(line, where), published=True))
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"{where}: not valid JSON: {exc}") from None
        found.append(document_checkpoint(parse_document(data, where), where))
    return found


def check(
    checkpoint: Checkpoint,
    held: tuple[str, str] | None,
    last_seq: int,
    trusted: Iterable[str] = (),
) -> CheckpointResult:
    """Compare a checkpoint with what the ledger holds at its ``seq``: ``held`` is that
    event's ``(hash, recorded_at)``, None when there is no such event (the ledger ends at
    ``last_seq``). A document's signatures must all verify, and with ``trusted`` public
    keys (hex), at least one of them must be by a trusted key."""
    seq, digest = checkpoint.seq, checkpoint.hash
    keys = {k.lower() for k in trusted}
    doc = checkpoint.document
    signers: list[str] = []
    problems: list[str] = []
    if doc is not None:
        for s in doc.signatures:
            if s.verifies(doc.statement):
                signers.append(s.signer)
            else:
                problems.append(
                    f"the signature by {s.signer!r} (key {s.public_key[:16]}...) does not verify"
                )
        if keys and not any(
            s.public_key in keys and s.verifies(doc.statement) for s in doc.signatures
        ):
            problems.append("it carries no valid signature by a trusted key (--trust)")
    elif keys and checkpoint.published:
        problems.append("it is not signed, and --trust asks for a trusted signature")
    ledger_hash = None if held is None else held[0]
    if held is None:
        problems.insert(0, f"the ledger holds no event {seq} (it ends at event {last_seq})")
    elif held[0] != digest:
        problems.insert(
            0, f"the ledger holds event {seq} with hash {held[0]}, not {digest} (rewritten?)"
        )
    elif doc is not None and doc.statement.recorded_at != held[1]:
        problems.append(
            f"it says event {seq} was recorded at {doc.statement.recorded_at}, "
            f"the ledger says {held[1]}"
        )
    problem = None
    if problems:
        problem = f"checkpoint {seq}:{digest[:16]}... ({checkpoint.source}): " + "; ".join(problems)
    return CheckpointResult(
        seq, digest, checkpoint.source, not problems, ledger_hash, tuple(signers), problem
    )


# --- keys ------------------------------------------------------------------------------
def generate_key() -> Ed25519PrivateKey:
    """A new Ed25519 signing key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The signing key as unencrypted PKCS#8 PEM (keep the file private: mode 0600)."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    """The public key as SubjectPublicKeyInfo PEM (what ``openssl pkeyutl -pubin`` reads)."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_hex(key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key in hex, as checkpoint documents carry it."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_private_key(pem: bytes, source: str) -> Ed25519PrivateKey:
    """An Ed25519 signing key from PEM (as ``soviet checkpoint keygen`` writes it)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"{source}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{source}: not an Ed25519 key ({type(key).__name__})")
    return key


def parse_public_key(text: str, source: str) -> str:
    """A public key given as 64 hex digits or as PEM text; returns the hex form."""
    text = text.strip()
    if _HEX_KEY.fullmatch(text):
        return text.lower()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(text.encode())
    except (ValueError, TypeError):
        raise CheckpointError(
            f"{source}: not a public key (64 hex digits or a PEM public key): {text[:40]!r}"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{source}: not an Ed25519 public key ({type(key).__name__})")
    return public_key_hex(key)
