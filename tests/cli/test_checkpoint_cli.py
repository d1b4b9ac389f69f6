"""``soviet verify`` (chain, state, checkpoints) and ``soviet checkpoint`` end to end."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from test_council_cli import SCENARIO, invoke

from soviet.adapters.storage.sql import engine_for
from soviet.application.ledger import GENESIS_HASH, entry_hash


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    assert invoke(path, "init")[0] == 0
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO)
    code, _, err = invoke(path, "import", str(scenario))
    assert code == 0, err
    return path


def sql(db: str, statement: str) -> None:
    with engine_for(f"sqlite:///{db}").begin() as conn:
        conn.execute(text(statement))


def rehash(db: str) -> None:
    """Recompute every hash and the head: whatever was edited, the chain is consistent."""
    with engine_for(f"sqlite:///{db}").begin() as conn:
        rows = conn.execute(text("SELECT * FROM ledger ORDER BY seq")).all()
        prev = GENESIS_HASH
        for r in rows:
            digest = entry_hash(r.seq, r.recorded_at, r.actor, r.type, r.payload, prev)
            conn.execute(
                text("UPDATE ledger SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": r.seq},
            )
            prev = digest
        conn.execute(
            text("UPDATE ledger_head SET seq = :s, hash = :h"), {"s": len(rows), "h": prev}
        )


def checkpoint_json(db: str, *args: str) -> dict[str, object]:
    code, out, err = invoke(db, "checkpoint", "--json", *args)
    assert code == 0, err
    assert out.count("\n") == 1  # one line, to publish or append to a file
    data: dict[str, object] = json.loads(out)
    assert out.strip() == json.dumps(data, sort_keys=True, separators=(",", ":"))
    return data


def test_verify_json_keeps_the_chain_keys_and_adds_the_state_and_checkpoints(db: str) -> None:
    code, out, _ = invoke(db, "verify", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"ok", "checked", "head_hash", "first_bad_seq", "problem"} <= data.keys()
    assert (data["ok"], data["state_ok"], data["state_problem"], data["checkpoints"]) == (
        True,
        True,
        None,
        [],
    )
    code, out, _ = invoke(db, "verify")
    assert code == 0 and "ledger intact: 5 events" in out and "state matches the ledger" in out


def test_a_live_table_edit_fails_verify_naming_the_row(db: str) -> None:
    sql(db, "UPDATE delegates SET group_name = 'Anarchist' WHERE id = 1")
    code, out, _ = invoke(db, "verify")
    assert code == 1
    assert "ledger intact: 5 events" in out and "state differs" in out
    assert "delegates (id=1): group_name is 'Anarchist' in the live table" in out
    code, out, _ = invoke(db, "verify", "--json")
    data = json.loads(out)
    assert (code, data["ok"], data["problem"], data["state_ok"]) == (1, False, None, False)
    assert data["state"]["table"] == "delegates" and data["state"]["key"] == {"id": 1}
    assert invoke(db, "verify", "--chain-only")[0] == 0


def test_checkpoint_then_a_consistent_rewrite_fails_verify_checkpoint(db: str) -> None:
    doc = checkpoint_json(db)
    assert (doc["format"], doc["seq"], doc["signatures"]) == ("soviet-checkpoint/1", 5, [])
    pair = f"{doc['seq']}:{doc['hash']}"
    code, out, _ = invoke(db, "verify", "--checkpoint", pair)
    assert code == 0 and f"checkpoint 5:{str(doc['hash'])[:16]}... (--checkpoint): held" in out
    sql(db, "UPDATE ledger SET actor = 'mallory' WHERE seq = 2")
    rehash(db)
    assert invoke(db, "verify", "--chain-only")[0] == 0
    code, out, _ = invoke(db, "verify", "--chain-only", "--checkpoint", pair, "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["checkpoints_ok"] is False
    (result,) = data["checkpoints"]
    assert result["ok"] is False and result["ledger_hash"] not in (None, doc["hash"])
    code, out, _ = invoke(db, "verify", "--checkpoint", pair)
    assert code == 1 and "FAILED checkpoint 5:" in out and "(rewritten?)" in out


def test_the_human_form_says_how_to_check_it(db: str) -> None:
    code, out, _ = invoke(db, "checkpoint")
    assert code == 0
    assert "event     5" in out and "soviet verify --checkpoint 5:" in out


def test_a_malformed_checkpoint_exits_2_naming_the_value(db: str, tmp_path: Path) -> None:
    code, _, err = invoke(db, "verify", "--checkpoint", "5:xyz")
    assert code == 2
    assert err.strip().splitlines() == [
        "error: --checkpoint: HASH must be 64 hex digits, got '5:xyz'"
    ]
    bad = tmp_path / "cps.jsonl"
    bad.write_text('{"seq": 4}\n')
    code, _, err = invoke(db, "verify", "--checkpoints", str(bad))
    assert code == 2 and f"{bad}:1: missing" in err
    code, _, err = invoke(db, "verify", "--checkpoints", str(tmp_path / "none.jsonl"))
    assert code == 2 and "--checkpoints: cannot read" in err


def test_signed_checkpoint_countersigned_and_trusted(db: str, tmp_path: Path) -> None:
    officer, witness = tmp_path / "officer.pem", tmp_path / "witness.pem"
    code, out, _ = invoke(db, "checkpoint", "keygen", str(officer), "--json")
    assert code == 0
    keys = json.loads(out)
    assert stat.S_IMODE(officer.stat().st_mode) == 0o600
    assert Path(keys["public_key_file"]).read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert invoke(db, "checkpoint", "keygen", str(officer))[0] == 2  # never overwrite a key
    assert invoke(db, "checkpoint", "keygen", str(witness))[0] == 0

    doc = checkpoint_json(db, "--sign", str(officer), "--signer", "Secretary")
    published = tmp_path / "published.jsonl"
    published.write_text(json.dumps(doc) + "\n")
    code, out, err = invoke(
        db, "checkpoint", "countersign", str(published), "--sign", str(witness), "--signer", "W"
    )
    assert code == 0, err
    both = json.loads(out)
    assert [s["signer"] for s in both["signatures"]] == ["Secretary", "W"]
    published.write_text(out)

    code, out, _ = invoke(
        db, "verify", "--checkpoints", str(published), "--trust", keys["public_key"]
    )
    assert code == 0 and "signed by Secretary, W" in out
    code, out, _ = invoke(
        db, "verify", "--checkpoints", str(published), "--trust", f"{witness}.pub", "--json"
    )
    assert code == 0 and json.loads(out)["checkpoints"][0]["signers"] == ["Secretary", "W"]

    stranger = tmp_path / "stranger.pem"
    invoke(db, "checkpoint", "keygen", str(stranger))
    code, out, _ = invoke(
        db, "verify", "--checkpoints", str(published), "--trust", f"{stranger}.pub"
    )
    assert code == 1 and "no valid signature by a trusted key" in out

    forged = dict(both, recorded_at="2026-01-01T00:00:00+00:00")
    published.write_text(json.dumps(forged) + "\n")
    code, out, _ = invoke(db, "verify", "--checkpoints", str(published))
    assert code == 1 and "the signature by 'Secretary'" in out and "does not verify" in out
    code, _, err = invoke(
        db, "checkpoint", "countersign", str(published), "--sign", str(witness), "--signer", "X"
    )
    assert code == 1 and "does not verify: not signing" in err


def test_sign_needs_a_signer_and_a_real_key(db: str, tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    assert invoke(db, "checkpoint", "keygen", str(key))[0] == 0
    code, _, err = invoke(db, "checkpoint", "--sign", str(key))
    assert code == 2 and "--sign needs --signer" in err
    (tmp_path / "junk.pem").write_text("junk")
    code, _, err = invoke(db, "checkpoint", "--sign", str(tmp_path / "junk.pem"), "--signer", "S")
    assert code == 2 and "not an unencrypted PEM private key" in err


def test_no_checkpoint_of_a_ledger_that_does_not_verify(db: str) -> None:
    sql(db, "UPDATE delegates SET group_name = 'Anarchist' WHERE id = 1")
    code, _, err = invoke(db, "checkpoint", "--json")
    assert code == 1 and "the ledger does not verify" in err
