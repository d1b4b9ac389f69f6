#!/usr/bin/env python3
"""Check a soviet ledger exported as JSON Lines, with nothing but Python's standard library.

    python3 verify_ledger.py ledger.jsonl [--head SEQ:HASH]

Each line is one entry: ``seq``, ``recorded_at``, ``actor``, ``type``, ``payload`` (a
JSON object), ``prev_hash`` and ``hash``. An entry's hash is the SHA-256 (hex) of

    seq US recorded_at US actor US type US canonical(payload) US prev_hash

where US is the ASCII unit separator (0x1F) and canonical(payload) is the payload as
JSON with keys sorted (by code point), no spaces, UTF-8, not ASCII-escaped; payloads
hold no floats. The first entry links to 64 zeros. The check recomputes every hash
and every link and names the first entry that was altered, inserted or deleted.

A rewritten chain whose every hash was recomputed is consistent with itself: compare
it with a head published elsewhere (``soviet checkpoint`` prints one), with ``--head
SEQ:HASH``: event SEQ must carry HASH (a head published earlier checks the prefix it
covers). Exit status: 0 intact, 1 broken (or not the head given), 2 the
file cannot be read as a ledger export.
"""

from __future__ import annotations

import hashlib
import json
import sys

GENESIS = "0" * 64
FIELDS = ("seq", "recorded_at", "actor", "type", "payload", "prev_hash", "hash")
SEP = "\x1f"


def canonical(payload: object) -> str:
    """The canonical JSON text of a payload (the text the engine hashed)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: dict[str, object]) -> str:
    """The hash an entry must carry."""
    text = SEP.join(
        (
            str(entry["seq"]),
            str(entry["recorded_at"]),
            str(entry["actor"]),
            str(entry["type"]),
            canonical(entry["payload"]),
            str(entry["prev_hash"]),
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Unreadable(ValueError):
    """The file is not a ledger export (names the line)."""


def read_entries(path: str) -> list[dict[str, object]]:
    """The entries of an export, in file order; Unreadable names a malformed line."""
    entries: list[dict[str, object]] = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except ValueError as exc:
                    raise Unreadable(f"{path}:{number}: not JSON ({exc})") from None
                if not isinstance(entry, dict) or sorted(entry) != sorted(FIELDS):
                    raise Unreadable(f"{path}:{number}: an entry has exactly {', '.join(FIELDS)}")
                if not isinstance(entry["seq"], int) or not isinstance(entry["payload"], dict):
                    raise Unreadable(f"{path}:{number}: seq is a number, payload an object")
                entries.append(entry)
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path}: not UTF-8 ({exc.reason})") from None
    return entries


def check(entries: list[dict[str, object]]) -> tuple[int, str, str | None]:
    """(entries checked, head hash, the first problem or None)."""
    prev, expected = GENESIS, 1
    for entry in entries:
        seq = entry["seq"]
        if seq != expected:
            assert isinstance(seq, int)
            if seq > expected:
                return expected - 1, prev, f"event {expected} is missing (deleted?)"
            return expected - 1, prev, f"event {seq} appears again after {expected - 1} (inserted?)"
        if entry["prev_hash"] != prev:
            what = f"event {seq} does not link to event {expected - 1} (inserted or replaced?)"
            return expected - 1, prev, what
        if entry_hash(entry) != entry["hash"]:
            return expected - 1, prev, f"event {seq} was altered"
        prev = str(entry["hash"])
        expected += 1
    return expected - 1, prev, None


def main(argv: list[str]) -> int:
    """Check the export named in ``argv``; print one line; the exit status."""
    args = list(argv)
    head: tuple[int, str] | None = None
    if "--head" in args:
        i = args.index("--head")
        try:
            seq_text, digest = args[i + 1].split(":", 1)
            head = (int(seq_text), digest.lower())
        except (IndexError, ValueError):
            print("error: --head takes SEQ:HASH, e.g. --head 404:9f2c...", file=sys.stderr)
            return 2
        del args[i : i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        entries = read_entries(args[0])
    except Unreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    checked, last, problem = check(entries)
    if problem is not None:
        print(f"BROKEN at {problem}: {checked} events intact before it")
        return 1
    if head is not None:
        seq, digest = head
        if seq > checked or seq < 1:
            print(f"BROKEN: the published head is event {seq}, the chain ends at {checked}")
            return 1
        held = entries[seq - 1]["hash"]
        if held != digest:
            print(f"BROKEN: event {seq} has hash {held}, not the published {digest}")
            return 1
        print(f"intact: {checked} events, head {last}; event {seq} is the published {digest}")
        return 0
    print(f"intact: {checked} events, head {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
