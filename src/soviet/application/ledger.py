"""The hash-chained ledger: canonical payloads, entry hashes, verification.

Each entry's hash is SHA-256 over its sequence number, time, actor, type, canonical
JSON payload and the previous entry's hash, joined by the ASCII unit separator (which
cannot occur unescaped in canonical JSON, and which actor and type may not contain).
Verification recomputes the chain from the stored text only, without parsing JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
_SEP = "\x1f"


class LedgerError(ValueError):
    """An event cannot be put on the ledger as given."""


def _check_json(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise LedgerError(f"payload field {path} is a float ({value!r}); use an integer or string")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise LedgerError(f"payload key {key!r} at {path} is not a string")
            _check_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, f"{path}[{i}]")
    elif not (value is None or isinstance(value, str | int | bool)):
        raise LedgerError(f"payload field {path} has type {type(value).__name__}")


def canonical_json(payload: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 text, no floats: one text for one payload."""
    _check_json(payload, "payload")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _check_label(name: str, value: str) -> None:
    if not value or any(ord(ch) < 32 for ch in value):
        raise LedgerError(f"{name} must be non-empty text without control characters: {value!r}")


def entry_hash(
    seq: int, recorded_at: str, actor: str, type_: str, payload: str, prev_hash: str
) -> str:
    """SHA-256 (hex) of one entry's fields and its predecessor's hash."""
    text = _SEP.join((str(seq), recorded_at, actor, type_, payload, prev_hash))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LedgerEntry:
    """One recorded event with its place in the chain."""

    seq: int
    recorded_at: str
    actor: str
    type: str
    payload: str
    prev_hash: str
    hash: str

    @classmethod
    def make(
        cls,
        seq: int,
        recorded_at: str,
        actor: str,
        type_: str,
        payload: dict[str, Any],
        prev_hash: str,
    ) -> LedgerEntry:
        """Seal a new entry after ``prev_hash``."""
        _check_label("actor", actor)
        _check_label("type", type_)
        text = canonical_json(payload)
        digest = entry_hash(seq, recorded_at, actor, type_, text, prev_hash)
        return cls(seq, recorded_at, actor, type_, text, prev_hash, digest)

    def data(self) -> dict[str, Any]:
        """The entry as a JSON object (payload parsed)."""
        return {
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "type": self.type,
            "payload": json.loads(self.payload),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain."""

    ok: bool
    checked: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None


Row = tuple[int, str, str, str, str, str, str]


@dataclass(frozen=True)
class Segment:
    """The outcome of checking one run of consecutive entries, for joining with others."""

    first_seq: int
    first_prev: str | None  # prev_hash of the first row, None when the run was empty
    last_seq: int  # the last sequence number checked (first_seq - 1 when none)
    last_hash: str | None
    checked: int
    bad_seq: int | None = None
    problem: str | None = None


def verify_segment(rows: Iterable[Row], first_seq: int, prev: str | None) -> Segment:
    """Check rows expected to run from ``first_seq``; ``prev`` is the hash the first row
    must link to, or None when it is checked later (by :func:`join_segments`)."""
    expected = first_seq
    checked = 0
    first_prev: str | None = None
    last: str | None = None
    sha256, sep = hashlib.sha256, _SEP  # the hot loop: entry_hash inlined, names local
    for seq, recorded_at, actor, type_, payload, prev_hash, digest in rows:
        if checked == 0:
            first_prev = prev_hash
        if seq != expected:
            if seq > expected:
                what = f"event {expected} is missing (deleted?)"
                return Segment(first_seq, first_prev, expected - 1, last, checked, expected, what)
            what = f"event {seq} appears again after {expected - 1} (inserted?)"
            return Segment(first_seq, first_prev, expected - 1, last, checked, seq, what)
        link = prev if checked == 0 else last
        if link is not None and prev_hash != link:
            what = f"event {seq} does not link to event {seq - 1} (inserted or replaced?)"
            return Segment(first_seq, first_prev, expected - 1, last, checked, seq, what)
        text = sep.join((str(seq), recorded_at, actor, type_, payload, prev_hash))
        if sha256(text.encode()).hexdigest() != digest:
            what = f"event {seq} was altered"
            return Segment(first_seq, first_prev, expected - 1, last, checked, seq, what)
        last = digest
        expected += 1
        checked += 1
    return Segment(first_seq, first_prev, expected - 1, last, checked)


def join_segments(segments: list[Segment], head: tuple[int, str] | None) -> Verification:
    """Join segments that cover consecutive ranges of sequence numbers, in order, checking
    that each one continues the last (no gap, and its first entry links to the last hash),
    then compare the chain's end with the stored head."""
    prev = GENESIS_HASH
    last_seq = 0
    checked = 0
    for segment in segments:
        if segment.checked == 0 and segment.bad_seq is None:
            continue  # an empty range: the next non-empty one must still continue the chain
        if segment.first_seq != last_seq + 1:
            what = f"event {last_seq + 1} is missing (deleted?)"
            return Verification(False, checked, prev, last_seq + 1, what)
        if segment.checked and segment.first_prev != prev:
            seq = segment.first_seq
            what = f"event {seq} does not link to event {seq - 1} (inserted or replaced?)"
            return Verification(False, checked, prev, seq, what)
        if segment.bad_seq is not None:
            at = segment.last_hash or prev
            return Verification(
                False, checked + segment.checked, at, segment.bad_seq, segment.problem
            )
        prev = segment.last_hash or prev
        last_seq = segment.last_seq
        checked += segment.checked
    if head is not None and (head[0], head[1]) != (last_seq, prev):
        if head[0] > last_seq:
            what = f"events {last_seq + 1}..{head[0]} are missing (deleted from the end?)"
            return Verification(False, checked, prev, last_seq + 1, what)
        what = f"the ledger head records event {head[0]} but the chain ends at {last_seq}"
        return Verification(False, checked, prev, min(head[0] + 1, last_seq), what)
    if head is None and last_seq > 0:
        return Verification(False, checked, prev, last_seq, "the ledger head is missing")
    return Verification(True, checked, prev)


def verify_rows(rows: Iterable[Row], head: tuple[int, str] | None) -> Verification:
    """Check rows ``(seq, recorded_at, actor, type, payload, prev_hash, hash)`` in seq order.

    Names the first event that was altered (its hash no longer matches), inserted
    (duplicate or out-of-place sequence number, or a broken link) or deleted (a gap in
    the numbers, or a head that no longer matches the last event).
    """
    return join_segments([verify_segment(rows, 1, GENESIS_HASH)], head)
