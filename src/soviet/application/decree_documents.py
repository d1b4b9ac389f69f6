"""Signed decrees as documents anyone can check offline (``soviet decree export|check``).

A document carries the decree's signed text (``soviet.domain.executive.signed_text``),
each signatory's Ed25519 signature over its canonical JSON, the ledger entry that
recorded the last signature (``seq`` and ``hash``: published checkpoints pin it) and the
seal: the council's own key signing the canonical JSON of ``{"decree", "signatures",
"ledger"}``, which binds the registry number to that set of signatures. Without its
registry number and seal a document "is invalid" (003:47794-47818).

Checking needs no database and no server: the document and, to know *whose* keys they
are, a keys file (``soviet decree keys``) obtained from a source one trusts. Without it
the keys inside the document are used, which shows the document is intact but not who
signed it; the result says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from soviet.application.checkpoints import ed25519_verifies, public_key_hex
from soviet.application.ledger import LedgerEntry, LedgerError, canonical_json
from soviet.domain.executive import (
    DECREE_FORMAT,
    ExecutiveDecree,
    missing_signatures,
    signed_text,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from soviet.domain.model import Organisation

DOCUMENT_FORMAT = "soviet-signed-decree/1"
KEYS_FORMAT = "soviet-keys/1"
_HEX64 = re.compile(r"[0-9a-f]{64}")


class DocumentError(ValueError):
    """A document or keys file cannot be read as given (exit 2, not "invalid")."""


def anchor(entries: Iterable[LedgerEntry], registry: str) -> tuple[int, str]:
    """The ledger entry that made the decree whole: its last signature, or its issue
    when it names no signatories."""
    found: tuple[int, str] | None = None
    for entry in entries:
        if entry.type not in ("ExecutiveDecreeIssued", "ExecutiveDecreeSigned"):
            continue
        payload = json.loads(entry.payload)
        if payload.get("registry") != registry:
            continue
        if entry.type == "ExecutiveDecreeIssued" or payload.get("complete"):
            found = (entry.seq, entry.hash)
    if found is None:
        raise DocumentError(f"decree {registry!r} is not on the ledger")
    return found


def canonical_bytes(value: Mapping[str, Any]) -> bytes:
    """The bytes a signature covers: the ledger's canonical JSON (sorted keys, no spaces,
    UTF-8), so that any Ed25519 tool can check it. Empty for what has no canonical form
    (a float, from a document made elsewhere): no signature holds over it."""
    try:
        return canonical_json(dict(value)).encode("utf-8")
    except LedgerError:
        return b""


def signed_bytes(d: ExecutiveDecree) -> bytes:
    """What each signatory of ``d`` signs: the canonical JSON of its signed text."""
    return canonical_bytes(signed_text(d))


def verifies_signed_text(public_key: str, signature: str, text: Mapping[str, Any]) -> bool:
    """Whether ``signature`` is ``public_key``'s Ed25519 signature over ``text``'s
    canonical JSON (the verifier ``executive_rules.sign_decree`` is given)."""
    return ed25519_verifies(public_key, signature, canonical_bytes(text))


def _sealed_part(document: Mapping[str, Any]) -> bytes:
    return canonical_bytes(
        {
            "decree": document["decree"],
            "signatures": document["signatures"],
            "ledger": document["ledger"],
        }
    )


def document(d: ExecutiveDecree, ledger: tuple[int, str]) -> dict[str, Any]:
    """The decree as a document to publish, not yet sealed; refused while a signature
    is missing (an unsigned decree is no valid document)."""
    missing = missing_signatures(d)
    if missing:
        raise DocumentError(
            f"decree {d.registry!r} lacks the signatures of "
            + ", ".join(repr(n) for n in missing)
            + ": it cannot be exported as a signed document yet"
        )
    return {
        "format": DOCUMENT_FORMAT,
        "decree": signed_text(d),
        "state": d.status,
        "signed_on": d.signed_on.isoformat(),
        "signatures": [
            {"signer": s["signer"], "public_key": s["public_key"], "signature": s["signature"]}
            for s in d.signatures
        ],
        "ledger": {"seq": ledger[0], "hash": ledger[1]},
    }


def seal(doc: dict[str, Any], key: Ed25519PrivateKey, holder: str) -> dict[str, Any]:
    """The document with the seal of ``holder`` (the decree's council) made by ``key``."""
    signature = key.sign(_sealed_part(doc)).hex()
    return {
        **doc,
        "seal": {
            "holder": holder,
            "public_key": public_key_hex(key.public_key()),
            "signature": signature,
        },
    }


def keys_file(org: Organisation) -> dict[str, Any]:
    """Every holder's current public key, to publish beside the documents."""
    return {
        "format": KEYS_FORMAT,
        "keys": {h: org.signing_keys[h].public_key for h in sorted(org.signing_keys)},
    }


def read_keys(text: str, source: str) -> dict[str, str]:
    """Holder -> public key from a keys file (``soviet decree keys``)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DocumentError(f"{source}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != KEYS_FORMAT:
        raise DocumentError(f"{source}: not a keys file (format {KEYS_FORMAT!r})")
    keys = data.get("keys")
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and _HEX64.fullmatch(v) for k, v in keys.items()
    ):
        raise DocumentError(f"{source}: keys must map each holder to 64 lowercase hex digits")
    return dict(keys)


@dataclass
class DecreeCheck:
    """What ``soviet decree check`` found: ``problems`` make the document invalid."""

    registry: str
    title: str
    signed_by: list[str] = field(default_factory=list)
    sealed_by: str | None = None
    problems: list[str] = field(default_factory=list)
    trusted_keys: bool = False
    ledger: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """No missing or bad signature, a registry number and a good seal."""
        return not self.problems

    def data(self) -> dict[str, Any]:
        """The result as JSON (``--json``)."""
        return {
            "valid": self.valid,
            "registry": self.registry,
            "title": self.title,
            "signed_by": self.signed_by,
            "sealed_by": self.sealed_by,
            "problems": self.problems,
            "trusted_keys": self.trusted_keys,
            "ledger": self.ledger,
        }


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where} must be a string, got {value!r}")
    return value


def parse(text: str, source: str) -> dict[str, Any]:
    """A document's JSON, its shape checked (not its signatures)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DocumentError(f"{source}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != DOCUMENT_FORMAT:
        raise DocumentError(f"{source}: not a signed decree (format {DOCUMENT_FORMAT!r})")
    decree = data.get("decree")
    if not isinstance(decree, dict) or decree.get("format") != DECREE_FORMAT:
        raise DocumentError(f"{source}: decree: missing, or not format {DECREE_FORMAT!r}")
    for name in ("council", "title"):
        _text(decree.get(name), f"{source}: decree.{name}")
    signatories = decree.get("signatories")
    if not isinstance(signatories, list) or not all(isinstance(n, str) for n in signatories):
        raise DocumentError(f"{source}: decree.signatories must be a list of names")
    signatures = data.get("signatures")
    if not isinstance(signatures, list):
        raise DocumentError(f"{source}: signatures must be a list")
    for i, s in enumerate(signatures):
        if not isinstance(s, dict):
            raise DocumentError(f"{source}: signatures[{i}] must be an object")
        for name in ("signer", "public_key", "signature"):
            _text(s.get(name), f"{source}: signatures[{i}].{name}")
    if not isinstance(data.get("ledger"), dict):
        raise DocumentError(f"{source}: ledger must be an object with seq and hash")
    return data


def check(data: dict[str, Any], keys: Mapping[str, str] | None = None) -> DecreeCheck:
    """Check a parsed document: every signatory signed the decree's text with their key
    (from ``keys`` when given, else the document's own), none signed twice, nobody else
    signed, the registry number is there and the seal verifies."""
    decree = data["decree"]
    registry = decree.get("registry")
    result = DecreeCheck(
        registry=registry if isinstance(registry, str) else "",
        title=decree["title"],
        trusted_keys=keys is not None,
        ledger=dict(data["ledger"]),
    )
    if not result.registry.strip():
        result.problems.append("no registry number: without one the decree is not valid")
    text = canonical_bytes(decree)
    by_signer: dict[str, list[dict[str, str]]] = {}
    for s in data["signatures"]:
        by_signer.setdefault(s["signer"], []).append(s)
    for name in decree["signatories"]:
        given = by_signer.pop(name, [])
        if not given:
            result.problems.append(f"missing signature of {name!r}")
            continue
        if len(given) > 1:
            result.problems.append(f"{name!r} signed {len(given)} times")
        s = given[0]
        expected = s["public_key"] if keys is None else keys.get(name)
        if expected is None:
            result.problems.append(f"no key for {name!r} in the keys file")
        elif expected != s["public_key"]:
            result.problems.append(
                f"signature of {name!r} is by key {s['public_key'][:16]}..., not by the key "
                f"of {name!r} ({expected[:16]}...)"
            )
        elif not ed25519_verifies(expected, s["signature"], text):
            result.problems.append(f"bad signature of {name!r}: it does not verify")
        else:
            result.signed_by.append(name)
    for name in by_signer:
        result.problems.append(f"signature by {name!r}, who is not a signatory")
    _check_seal(data, keys, result)
    return result


def _check_seal(data: dict[str, Any], keys: Mapping[str, str] | None, r: DecreeCheck) -> None:
    stamp = data.get("seal")
    council = data["decree"]["council"]
    if stamp is None:
        r.problems.append("no seal: without its seal the decree is not valid")
        return
    if not isinstance(stamp, dict) or not all(
        isinstance(stamp.get(k), str) for k in ("holder", "public_key", "signature")
    ):
        r.problems.append("the seal must give holder, public_key and signature")
        return
    if stamp["holder"] != council:
        r.problems.append(f"sealed by {stamp['holder']!r}, not by the council {council!r}")
        return
    expected = stamp["public_key"] if keys is None else keys.get(council)
    if expected is None:
        r.problems.append(f"no key for the seal of {council!r} in the keys file")
    elif expected != stamp["public_key"]:
        r.problems.append(f"the seal is not made with the key of {council!r}")
    elif not ed25519_verifies(expected, stamp["signature"], _sealed_part(data)):
        r.problems.append("bad seal: it does not verify over the decree and its signatures")
    else:
        r.sealed_by = council
