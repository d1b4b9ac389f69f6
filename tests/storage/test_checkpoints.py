"""Checkpoints catch history rewritten consistently, which the hash chain alone cannot.

Each tamper below rewrites the ``ledger`` and ``ledger_head`` tables with direct SQL and
recomputes every hash after the change (``application.ledger.entry_hash``), so the
chain is consistent and chain-only verification passes; the checkpoint published before
the tamper is what fails. Signatures: Ed25519 over the canonical statement.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from test_ledger_storage import build

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import engine_for
from soviet.application import checkpoints as cp
from soviet.application.checkpoints import Checkpoint, CheckpointError, Document, Statement
from soviet.application.ledger import GENESIS_HASH, entry_hash
from soviet.application.service import CouncilService

Event = list[str]  # recorded_at, actor, type, payload
Tamper = Callable[[list[Event]], list[Event]]


@pytest.fixture
def service(database_url: str) -> CouncilService:
    service = open_service(database_url, initialise=True)
    build(service)
    return service


def published(service: CouncilService) -> Checkpoint:
    """The head as published before anything was tampered with."""
    statement = service.checkpoint()
    return cp.parse_pair(f"{statement.seq}:{statement.hash}")


def rewrite(url: str, tamper: Tamper) -> None:
    """Replace the ledger by ``tamper`` of its events, renumbered and re-hashed."""
    with engine_for(url).begin() as conn:
        rows = conn.execute(
            text("SELECT recorded_at, actor, type, payload FROM ledger ORDER BY seq")
        ).all()
        events = tamper([list(r) for r in rows])
        conn.execute(text("DELETE FROM ledger"))
        prev = GENESIS_HASH
        for seq, (at, actor, type_, payload) in enumerate(events, start=1):
            digest = entry_hash(seq, at, actor, type_, payload, prev)
            conn.execute(
                text("INSERT INTO ledger VALUES (:s, :at, :actor, :type, :p, :prev, :h)"),
                {"s": seq, "at": at, "actor": actor, "type": type_, "p": payload, "prev": prev,
                 "h": digest},
            )  # fmt: skip
            prev = digest
        conn.execute(
            text("UPDATE ledger_head SET seq = :s, hash = :h"), {"s": len(events), "h": prev}
        )


def _edit(index: int, field: int, change: Callable[[str], str]) -> Tamper:
    def tamper(events: list[Event]) -> list[Event]:
        events[index][field] = change(events[index][field])
        return events

    return tamper


def _delete(index: int) -> Tamper:
    return lambda events: events[:index] + events[index + 1 :]


def _insert(events: list[Event]) -> list[Event]:
    forged = [events[5][0], "secretary", "MandateAdopted", events[5][3].replace("Peace", "War")]
    return [*events[:6], forged, *events[6:]]


def _swap(events: list[Event]) -> list[Event]:
    # The two constituencies' creation: the state replays the same, only the order changes.
    events[1], events[2] = events[2], events[1]
    return events


TAMPERS: dict[str, Tamper] = {
    "payload rewritten": _edit(3, 3, lambda p: p.replace('"SR"', '"B"', 1)),
    "actor rewritten": _edit(2, 1, lambda _: "mallory"),
    "time rewritten": _edit(4, 0, lambda at: at.replace(at[:4], "1999", 1)),
    "event deleted, the rest renumbered": _delete(5),
    "event inserted": _insert,
    "two events swapped": _swap,
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_a_consistent_rewrite_before_the_checkpoint_is_caught(
    service: CouncilService, database_url: str, name: str
) -> None:
    checkpoint = published(service)
    rewrite(database_url, TAMPERS[name])
    assert service.verify(state=False).ok  # the chain alone cannot tell
    report = service.verify(state=False, checkpoints=[checkpoint])
    assert not report.ok
    (result,) = report.checkpoints
    assert not result.ok and result.seq == 9
    if result.ledger_hash is None:
        assert f"the ledger holds no event 9 (it ends at event {service.last_seq()})" in (
            result.problem or ""
        )
    else:
        assert result.ledger_hash != checkpoint.hash
        assert f"holds event 9 with hash {result.ledger_hash}, not {checkpoint.hash}" in (
            result.problem or ""
        )
    assert report.data()["checkpoints"][0]["ok"] is False


def test_an_older_checkpoint_catches_a_rewrite_before_it(
    service: CouncilService, database_url: str
) -> None:
    statement = service.checkpoint(seq=5)
    rewrite(database_url, _edit(2, 1, lambda _: "mallory"))
    report = service.verify(state=False, checkpoints=[cp.parse_pair(f"5:{statement.hash}")])
    assert not report.checkpoints[0].ok


def test_the_tail_truncated_and_the_head_moved_is_caught(
    service: CouncilService, database_url: str
) -> None:
    checkpoint = published(service)
    with engine_for(database_url).begin() as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq >= 8"))
        seven = conn.execute(text("SELECT hash FROM ledger WHERE seq = 7")).scalar_one()
        conn.execute(text("UPDATE ledger_head SET seq = 7, hash = :h"), {"h": seven})
    assert service.verify(state=False).ok
    (result,) = service.verify(state=False, checkpoints=[checkpoint]).checkpoints
    assert not result.ok and result.ledger_hash is None
    assert "the ledger holds no event 9 (it ends at event 7)" in (result.problem or "")


def test_the_whole_ledger_replaced_is_caught(service: CouncilService, database_url: str) -> None:
    checkpoint = published(service)
    # A different, self-consistent history of the same length.
    other = [
        ["2026-01-01T00:00:00.000000+00:00", "forger", "X", json.dumps({"n": n})] for n in range(9)
    ]
    rewrite(database_url, lambda _events: other)
    assert service.verify(state=False).ok
    (result,) = service.verify(state=False, checkpoints=[checkpoint]).checkpoints
    assert not result.ok and result.ledger_hash not in (None, checkpoint.hash)


def test_an_untouched_ledger_holds_its_checkpoints(service: CouncilService) -> None:
    first = service.checkpoint(seq=1)
    head = service.checkpoint()
    report = service.verify(
        checkpoints=[cp.parse_pair(f"{first.seq}:{first.hash}"), cp.parse_pair(f"9:{head.hash}")]
    )
    assert report.ok and all(r.ok for r in report.checkpoints)
    assert head.recorded_at == next(e for e in service.history() if e.seq == 9).recorded_at


def test_a_checkpoint_beyond_the_head_fails(service: CouncilService) -> None:
    (result,) = service.verify(checkpoints=[cp.parse_pair(f"12:{'a' * 64}")]).checkpoints
    assert not result.ok and "holds no event 12 (it ends at event 9)" in (result.problem or "")


# --- documents and signatures ------------------------------------------------------------
STATEMENT = Statement(404, "3f" * 32, "2026-11-22T10:00:00.000000+00:00")


def test_the_signed_statement_is_canonical_json() -> None:
    assert STATEMENT.canonical() == (
        b'{"format":"soviet-checkpoint/1","hash":"' + b"3f" * 32 + b'",'
        b'"recorded_at":"2026-11-22T10:00:00.000000+00:00","seq":404}'
    )


def _held(statement: Statement) -> tuple[str, str]:
    return statement.hash, statement.recorded_at


def test_a_good_signature_and_a_witness_countersignature_verify() -> None:
    officer, witness = cp.generate_key(), cp.generate_key()
    doc = Document(STATEMENT).signed(officer, "Secretary").signed(witness, "Witness A")
    parsed = cp.read_checkpoints(doc.to_json(), "published.jsonl")
    (checkpoint,) = parsed
    result = cp.check(checkpoint, _held(STATEMENT), 404)
    assert result.ok and result.signers == ("Secretary", "Witness A")
    trusted = [cp.public_key_hex(witness.public_key())]
    assert cp.check(checkpoint, _held(STATEMENT), 404, trusted).ok


@pytest.mark.parametrize(
    "field, value",
    [("seq", 403), ("hash", "4e" * 32), ("recorded_at", "2026-11-22T10:00:00.000001+00:00")],
)
def test_a_tampered_document_fails_its_signature(field: str, value: object) -> None:
    doc = Document(STATEMENT).signed(cp.generate_key(), "Secretary")
    data = doc.data()
    data[field] = value
    (checkpoint,) = cp.read_checkpoints(json.dumps(data), "doc.json")
    held = (data["hash"], data["recorded_at"])
    result = cp.check(checkpoint, held, 404)
    assert not result.ok and result.signers == ()
    assert "the signature by 'Secretary'" in (result.problem or "")
    assert "does not verify" in (result.problem or "")


def test_a_signature_by_another_key_fails() -> None:
    doc = Document(STATEMENT).signed(cp.generate_key(), "Secretary")
    data = doc.data()
    data["signatures"][0]["public_key"] = cp.public_key_hex(cp.generate_key().public_key())
    (checkpoint,) = cp.read_checkpoints(json.dumps(data), "doc.json")
    assert not cp.check(checkpoint, _held(STATEMENT), 404).ok


def test_trust_requires_a_valid_signature_by_a_trusted_key() -> None:
    signed = Document(STATEMENT).signed(cp.generate_key(), "Secretary")
    stranger = cp.public_key_hex(cp.generate_key().public_key())
    (checkpoint,) = cp.read_checkpoints(signed.to_json(), "doc.json")
    result = cp.check(checkpoint, _held(STATEMENT), 404, [stranger])
    assert not result.ok and "no valid signature by a trusted key" in (result.problem or "")
    (bare,) = cp.read_checkpoints(f"404:{STATEMENT.hash}\n", "list.txt")
    assert not cp.check(bare, _held(STATEMENT), 404, [stranger]).ok
    typed = cp.parse_pair(f"404:{STATEMENT.hash}")  # the verifier's own: nothing to trust
    assert cp.check(typed, _held(STATEMENT), 404, [stranger]).ok


def test_a_document_whose_recorded_at_disagrees_with_the_ledger_fails() -> None:
    (checkpoint,) = cp.read_checkpoints(Document(STATEMENT).to_json(), "doc.json")
    result = cp.check(checkpoint, (STATEMENT.hash, "2026-11-23T00:00:00+00:00"), 404)
    assert not result.ok and "the ledger says 2026-11-23" in (result.problem or "")


def test_a_signer_cannot_sign_twice() -> None:
    key = cp.generate_key()
    with pytest.raises(CheckpointError, match="already carries a signature"):
        Document(STATEMENT).signed(key, "A").signed(key, "B")


@pytest.mark.parametrize(
    "text, message",
    [
        ("404", "expected SEQ:HASH"),
        ("0:" + "a" * 64, "expected SEQ:HASH"),
        ("x:" + "a" * 64, "expected SEQ:HASH"),
        ("404:abc", "HASH must be 64 hex digits"),
    ],
)
def test_a_malformed_pair_is_refused_naming_it(text: str, message: str) -> None:
    with pytest.raises(CheckpointError, match=message) as info:
        cp.parse_pair(text)
    assert str(info.value).startswith("--checkpoint: ") and repr(text) in str(info.value)


@pytest.mark.parametrize(
    "document, message",
    [
        ('{"seq": 1}', r"missing \['format', 'hash', 'recorded_at'\]"),
        (
            '{"format": "soviet-checkpoint/1", "seq": 1, "hash": "' + "a" * 64 + '", '
            '"recorded_at": "t", "note": "signed?"}',
            "unknown keys",
        ),
        (
            '{"format": "other/2", "seq": 1, "hash": "' + "a" * 64 + '", "recorded_at": "t"}',
            "format must be",
        ),
        ("[1]", r"doc.json\[0\]: a checkpoint document must be a JSON object"),
        ("{not json", "doc.json:1: not valid JSON"),
    ],
)
def test_a_malformed_document_is_refused_naming_the_file(document: str, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        cp.read_checkpoints(document, "doc.json")


def test_files_hold_an_array_or_lines_with_comments() -> None:
    doc = Document(STATEMENT)
    as_array = cp.read_checkpoints(json.dumps([doc.data(), doc.data()]), "a.json")
    as_lines = cp.read_checkpoints(
        f"# minutes of 22 November\n{doc.to_json()}\n\n404:{STATEMENT.hash}\n", "b.jsonl"
    )
    (pretty,) = cp.read_checkpoints(json.dumps(doc.data(), indent=2), "c.json")
    assert pretty.document == doc and pretty.source == "c.json"
    assert [c.source for c in as_array] == ["a.json[0]", "a.json[1]"]
    assert [c.source for c in as_lines] == ["b.jsonl:2", "b.jsonl:4"]
    assert all(c.published for c in [*as_array, *as_lines])


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_any_ed25519_tool_checks_a_signature(tmp_path: Path) -> None:
    key = cp.generate_key()
    doc = Document(STATEMENT).signed(key, "Secretary")
    (tmp_path / "statement.json").write_bytes(doc.statement.canonical())
    (tmp_path / "sig.bin").write_bytes(bytes.fromhex(doc.signatures[0].signature))
    (tmp_path / "officer.pub").write_bytes(cp.public_key_pem(key.public_key()))
    done = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "officer.pub", "-rawin",
         "-in", "statement.json", "-sigfile", "sig.bin"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Signature Verified Successfully" in done.stdout


def test_keys_round_trip_through_pem() -> None:
    key = cp.generate_key()
    loaded = cp.load_private_key(cp.private_key_pem(key), "k.pem")
    public = cp.public_key_hex(key.public_key())
    assert cp.public_key_hex(loaded.public_key()) == public
    pem = cp.public_key_pem(key.public_key()).decode()
    assert cp.parse_public_key(pem, "k.pub") == public == cp.parse_public_key(public.upper(), "x")
    with pytest.raises(CheckpointError, match="not an unencrypted PEM private key"):
        cp.load_private_key(b"nonsense", "k.pem")
