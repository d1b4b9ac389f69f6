"""``soviet executive`` and ``soviet decree``: the council of commissioners from the command
line, and a decree signed by three named signatories (003:48585-48589), exported with its
seal and checked offline, naming a missing or bad signature (003:47794-47818). Names and
dates are illustrative."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd

runner = CliRunner()
D = dt.date(1917, 11, 8)
K = "Sovnarkom"
SIGNERS = ("Lenin", "Stalin", "Sverdlov")


def soviet(db: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == code, result.output + result.stderr
    return result.stdout + result.stderr


@pytest.fixture
def world(tmp_path: Path) -> tuple[str, Path]:
    """A congress, its council of commissioners formed and staffed through the CLI, keys
    made for three signatories and the council's seal."""
    db = str(tmp_path / "x.db")
    soviet(db, "init")
    service = open_service(db)
    for c in (
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        ),
        cmd.CallCongress(
            name="Congress",
            convened_by="Soviet",
            date=D,
            opens_on=D,
            quorum="1/2",
            senders={"Soviet": 3},
        ),
    ):
        service.handle(c, "t")
    soviet(db, "executive", "form", K, "--congress", "Congress", "--date", "1917-11-08")
    for department, member in (("Chairman", "Lenin"), ("Nationalities", "Stalin")):
        soviet(
            db, "executive", "appoint", K, "--department", department, "--member", member,
            "--by", "Congress", "--date", "1917-11-08",
        )  # fmt: skip
    soviet(db, "executive", "grant-urgent", K, "--by", "Congress", "--days", "7",
           "--date", "1917-11-17")  # fmt: skip
    for holder in (*SIGNERS, K):
        key = tmp_path / f"{holder}.pem"
        soviet(db, "checkpoint", "keygen", str(key))
        soviet(db, "decree", "register-key", holder, "--public-key", f"{key}.pub",
               "--date", "1917-11-17")  # fmt: skip
    return db, tmp_path


def issue(db: str, registry: str = "1", *extra: str) -> None:
    signatories = [a for n in SIGNERS for a in ("--signatory", n)]
    soviet(
        db, "decree", "issue", K, registry, "--title", "On the Supreme Council of National Economy",
        "--text", "A Supreme Council of National Economy is formed.", "--department", "Chairman",
        *signatories, "--date", "1917-12-14", *extra,
    )  # fmt: skip


def sign(
    db: str, keys: Path, registry: str, signer: str, key: str | None = None, code: int = 0
) -> str:
    pem = str(keys / f"{key or signer}.pem")
    return soviet(
        db, "decree", "sign", registry, "--signer", signer, "--key", pem, "--date", "1917-12-14",
        code=code,
    )  # fmt: skip


def decree(db: str, registry: str) -> dict[str, object]:
    data = json.loads(soviet(db, "decrees", "--json"))
    return next(x for x in data["executive"] if x["registry"] == registry)


def test_the_executive_from_the_command_line(world: tuple[str, Path]) -> None:
    db, _ = world
    shown = json.loads(soviet(db, "executive", "show", "--json"))
    assert [(h["department"], h["member"]) for h in shown["department_heads"]] == [
        ("Chairman", "Lenin"),
        ("Nationalities", "Stalin"),
    ]
    assert shown["councils"][0]["urgent_days"] == 7
    out = soviet(db, "executive", "confidence", K, "--by", "Congress", "--for", "25",
                 "--against", "23", "--date", "1917-11-17")  # fmt: skip
    assert "confidence in Sovnarkom carried 25-23-0" in out
    out = soviet(db, "executive", "dismiss", K, "--department", "Nationalities", "--by",
                 "Trotsky", "--date", "1917-11-18", code=2)  # fmt: skip
    assert "'Trotsky' cannot dismiss department heads for 'Sovnarkom'" in out
    assert "Sovnarkom (formed 1917-11-08 by Congress" in soviet(db, "executive", "show")


def test_signed_by_all_exported_sealed_and_checked_offline(world: tuple[str, Path]) -> None:
    db, keys = world
    issue(db, "1", "--urgent")
    assert decree(db, "1")["state"] == "draft"
    out = soviet(db, "decree", "export", "1", "--out", str(keys / "d.json"), code=2)
    assert "lacks the signatures of 'Lenin', 'Stalin', 'Sverdlov'" in out
    sign(db, keys, "1", "Lenin")
    out = sign(db, keys, "1", "Stalin", key="Lenin", code=2)
    assert "the signature does not verify with the key of 'Stalin'" in out
    sign(db, keys, "1", "Stalin")
    sign(db, keys, "1", "Sverdlov")
    x = decree(db, "1")
    assert x["state"] == "in-force-pending-ratification" and x["missing_signatures"] == []
    assert [s["signer"] for s in x["signatures"]] == list(SIGNERS)  # type: ignore[union-attr]

    doc, keyfile = keys / "d.json", keys / "keys.json"
    out = soviet(
        db,
        "decree",
        "export",
        "1",
        "--out",
        str(doc),
        "--seal-key",
        str(keys / "Lenin.pem"),
        code=2,
    )
    assert "--seal-key: not the registered seal of 'Sovnarkom'" in out
    soviet(db, "decree", "export", "1", "--out", str(doc), "--seal-key", str(keys / f"{K}.pem"))
    soviet(db, "decree", "keys", "--out", str(keyfile))
    # The check needs neither the database nor the engine's state: another --db.
    offline = str(keys / "elsewhere.db")
    result = runner.invoke(
        app, ["--db", offline, "decree", "check", str(doc), "--keys", str(keyfile), "--json"]
    )
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["valid"] and verdict["signed_by"] == list(SIGNERS)
    assert verdict["sealed_by"] == K and verdict["trusted_keys"] is True
    assert not Path(offline).exists()


def _tampered(doc: Path, tmp: Path, change: str) -> Path:
    data = json.loads(doc.read_text())
    if change == "text":
        data["decree"]["text"] += " And abolished."
    elif change == "drop":
        data["signatures"] = data["signatures"][:2]
    elif change == "registry":
        data["decree"]["registry"] = ""
    elif change == "unsealed":
        del data["seal"]
    out = tmp / f"{change}.json"
    out.write_text(json.dumps(data))
    return out


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            "text",
            [
                "bad signature of 'Lenin': it does not verify",
                "bad signature of 'Stalin': it does not verify",
                "bad signature of 'Sverdlov': it does not verify",
                "bad seal: it does not verify over the decree and its signatures",
            ],
        ),
        (
            "drop",
            [
                "missing signature of 'Sverdlov'",
                "bad seal: it does not verify over the decree and its signatures",
            ],
        ),
        ("unsealed", ["no seal: without its seal the decree is not valid"]),
    ],
)
def test_a_tampered_document_is_invalid_naming_each_problem(
    world: tuple[str, Path], change: str, problems: list[str]
) -> None:
    db, keys = world
    issue(db)
    for name in SIGNERS:
        sign(db, keys, "1", name)
    doc, keyfile = keys / "d.json", keys / "keys.json"
    soviet(db, "decree", "export", "1", "--out", str(doc), "--seal-key", str(keys / f"{K}.pem"))
    soviet(db, "decree", "keys", "--out", str(keyfile))
    bad = _tampered(doc, keys, change)
    out = soviet(db, "decree", "check", str(bad), "--keys", str(keyfile), code=1)
    assert out.splitlines() == [
        "invalid: decree 1 'On the Supreme Council of National Economy'",
        *(f"  {p}" for p in problems),
    ]


def test_keys_from_a_trusted_source_catch_a_swapped_key(world: tuple[str, Path]) -> None:
    """A forger who re-signs with their own key and puts that key in the document passes
    a check against the document's own keys, never one against the published keys."""
    db, keys = world
    issue(db)
    for name in SIGNERS:
        sign(db, keys, "1", name)
    doc, keyfile = keys / "d.json", keys / "keys.json"
    soviet(db, "decree", "export", "1", "--out", str(doc), "--seal-key", str(keys / f"{K}.pem"))
    soviet(db, "decree", "keys", "--out", str(keyfile))
    forged = json.loads(doc.read_text())
    published = json.loads(keyfile.read_text())["keys"]
    wrong = json.loads(keyfile.read_text())
    wrong["keys"]["Lenin"] = published["Stalin"]
    other = keys / "other-keys.json"
    other.write_text(json.dumps(wrong))
    out = soviet(db, "decree", "check", str(doc), "--keys", str(other), code=1)
    assert "signature of 'Lenin' is by key" in out and f"({published['Stalin'][:16]}...)" in out
    assert soviet(db, "decree", "check", str(doc)).startswith("valid: decree 1")
    assert forged["ledger"]["seq"] > 0


def test_unreadable_documents_exit_2_naming_the_file(world: tuple[str, Path]) -> None:
    db, keys = world
    (keys / "junk.json").write_text("{not json")
    assert "junk.json: not JSON" in soviet(db, "decree", "check", str(keys / "junk.json"), code=2)
    (keys / "keys-only.json").write_text(json.dumps({"format": "soviet-keys/1", "keys": {}}))
    out = soviet(db, "decree", "check", str(keys / "keys-only.json"), code=2)
    assert "not a signed decree (format 'soviet-signed-decree/1')" in out
    out = soviet(db, "decree", "register-key", "X", "--public-key", "12ab", code=2)
    assert "--public-key: not a public key" in out


def test_ratification_waits_for_the_signatures(world: tuple[str, Path]) -> None:
    db, keys = world
    issue(db)
    sign(db, keys, "1", "Lenin")
    out = soviet(db, "decree", "ratify", "1", "--by", "Congress", "--date", "1917-12-15", code=2)
    assert "lacks the signatures of 'Stalin', 'Sverdlov': without them it is not valid" in out
    for name in ("Stalin", "Sverdlov"):
        sign(db, keys, "1", name)
    soviet(db, "decree", "ratify", "1", "--by", "Congress", "--date", "1917-12-15")
    x = decree(db, "1")
    assert x["state"] == "ratified"
    assert [h["by"] for h in x["history"]] == [  # type: ignore[union-attr]
        K,
        "signature of Lenin",
        "signature of Stalin",
        "signed by Lenin, Stalin, Sverdlov",
        "Congress",
    ]
    assert "state matches the ledger" in soviet(db, "verify")


def test_a_decree_adopted_by_the_congress_with_its_tally(world: tuple[str, Path]) -> None:
    db, keys = world
    out = soviet(db, "decree", "issue", K, "5", "--title", "Peace", "--text", "t",
                 "--department", "Foreign Affairs", "--adopted-by", "Congress", "--for", "30",
                 "--date", "1917-12-14", code=2)  # fmt: skip
    assert "give a vote's tally with both --for and --against" in out
    soviet(db, "decree", "issue", K, "5", "--title", "Peace", "--text", "t", "--department",
           "Foreign Affairs", "--adopted-by", "Congress", "--for", "30", "--against", "2",
           "--date", "1917-12-14")  # fmt: skip
    x = decree(db, "5")
    assert (x["state"], x["adopted_by"], x["tally"]) == (
        "ratified",
        "Congress",
        {"for": 30, "against": 2, "abstain": 0},
    )
    issue(db, "6")
    for name in SIGNERS:
        sign(db, keys, "6", name)
    soviet(db, "decree", "ratify", "6", "--by", "Congress", "--for", "25", "--against", "23",
           "--date", "1917-12-15")  # fmt: skip
    assert decree(db, "6")["history"][-1] == {  # type: ignore[index]
        "date": "1917-12-15",
        "state": "ratified",
        "by": "Congress (25-23-0)",
    }


def test_a_congress_decree_is_registered_signed_and_checked(tmp_path: Path) -> None:
    """The Decree on Peace, adopted by the Second Congress (decree 1 of the replay), enters
    the registry with its consolidated text and tally, is signed and checks offline."""
    db = str(tmp_path / "cc.db")
    soviet(db, "demo", "council-of-commissioners")
    council = "Council of People's Commissars"
    key = tmp_path / "lenin.pem"
    soviet(db, "checkpoint", "keygen", str(key))
    soviet(
        db, "decree", "register-key", "Lenin", "--public-key", f"{key}.pub", "--date", "1917-12-20"
    )
    out = soviet(db, "decree", "issue", council, "P-1", "--department", "Chairman",
                 "--congress-decree", "1", "--title", "Peace", "--date", "1917-12-20",
                 code=2)  # fmt: skip
    assert "--congress-decree: the decree keeps its congress's title and text" in out
    soviet(db, "decree", "issue", council, "P-1", "--department", "Chairman", "--congress-decree",
           "1", "--signatory", "Lenin", "--date", "1917-12-20")  # fmt: skip
    out = soviet(db, "decree", "issue", council, "P-2", "--department", "Chairman",
                 "--congress-decree", "1", "--date", "1917-12-20", code=2)  # fmt: skip
    assert "decree 1 is already registered as 'P-1'" in out
    adopted = json.loads(soviet(db, "decrees", "--json"))
    peace = adopted["decrees"][0]
    x = next(d for d in adopted["executive"] if d["registry"] == "P-1")
    assert (x["title"], x["adopted_by"], x["congress_decree"]) == (peace["title"], peace["body"], 1)
    assert x["tally"] == {k: peace["tally"].get(k, 0) for k in ("for", "against", "abstain")}
    assert x["state"] == "draft" and x["missing_signatures"] == ["Lenin"]
    soviet(
        db, "decree", "sign", "P-1", "--signer", "Lenin", "--key", str(key), "--date", "1917-12-20"
    )
    assert decree(db, "P-1")["state"] == "ratified"
    seal = tmp_path / "seal.pem"
    soviet(db, "checkpoint", "keygen", str(seal))
    soviet(
        db, "decree", "register-key", council, "--public-key", f"{seal}.pub", "--date", "1917-12-20"
    )
    doc, keys = tmp_path / "peace.json", tmp_path / "keys.json"
    soviet(db, "decree", "export", "P-1", "--out", str(doc), "--seal-key", str(seal))
    soviet(db, "decree", "keys", "--out", str(keys))
    document = json.loads(doc.read_text())
    assert document["decree"]["text"] == peace["text"]
    out = soviet(db, "decree", "check", str(doc), "--keys", str(keys))
    assert out.startswith(f"valid: decree P-1 {peace['title']!r}, signed by Lenin")
