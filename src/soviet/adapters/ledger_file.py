"""The ledger as JSON Lines: ``soviet export ledger`` writes it, ``soviet import-ledger``
reads it back. One entry per line, its payload as a JSON object; the hash covers the
payload's canonical text (decision 0002), which the object re-creates exactly, so the
file can be checked by ``soviet/standalone/verify_ledger.py`` with no engine at all."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO

from soviet.application.ledger import LedgerEntry, LedgerError, canonical_json
from soviet.standalone.verify_ledger import FIELDS

VERIFIER = "verify_ledger.py"


def write_jsonl(entries: Iterable[LedgerEntry], out: IO[str]) -> int:
    """Write one line per entry; the number written."""
    n = 0
    for entry in entries:
        out.write(json.dumps(entry.data(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def verifier_source() -> str:
    """The standalone verifier's text, to put beside an export."""
    return (resources.files("soviet.standalone") / VERIFIER).read_text(encoding="utf-8")


def read_jsonl(path: Path) -> Iterator[LedgerEntry]:
    """The entries of an export, in order; LedgerError names a malformed line."""
    try:
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if line.strip():
                    yield _entry(line, f"{path}:{number}")
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not UTF-8 ({exc.reason})") from None


def _entry(line: str, where: str) -> LedgerEntry:
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise LedgerError(f"{where}: not JSON ({exc})") from None
    if not isinstance(data, dict) or sorted(data) != sorted(FIELDS):
        raise LedgerError(f"{where}: an entry has exactly the fields {', '.join(FIELDS)}")
    texts = [data[k] for k in FIELDS if k not in ("seq", "payload")]
    if not isinstance(data["seq"], int) or isinstance(data["seq"], bool):
        raise LedgerError(f"{where}: seq must be a whole number, got {data['seq']!r}")
    if not isinstance(data["payload"], dict) or not all(isinstance(t, str) for t in texts):
        raise LedgerError(f"{where}: payload must be an object and the other fields text")
    try:
        payload = canonical_json(data["payload"])
    except LedgerError as exc:
        raise LedgerError(f"{where}: {exc}") from None
    return LedgerEntry(
        data["seq"],
        data["recorded_at"],
        data["actor"],
        data["type"],
        payload,
        data["prev_hash"],
        data["hash"],
    )
