"""The load path: casts authorized inside their batch, and benchmarks/serve.py in small
(correctness only: every vote recorded exactly once, no error; never its speed)."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accounts_world import OPENS, copy_world, make_template, tokens
from soviet.adapters.http.app import create_app
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd

ROOT = Path(__file__).resolve().parents[2]
DAY = "1917-10-26"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


def _ledger(db: Path) -> list[tuple[str, str]]:
    return [(e.type, e.actor) for e in open_service(str(db)).history()]


def test_casts_refused_inside_a_batch_leave_the_others_in(template: Path, tmp_path: Path) -> None:
    """Three casts at once in the world's roll call: delegate 2's own (200), delegate 2
    for credential 3 (403: not their own) and delegate 5 whose credential was just
    rejected (403: no longer a delegate). The two refusals are decided in the batch's
    transaction and answered alone; the ledger gains delegate 2's cast only."""
    db = copy_world(template / "world.db", tmp_path)
    keys = tokens(template)
    service = open_service(str(db))
    service.handle(
        cmd.ReconsiderCredential(
            congress="Congress", credential=5, accept=False, reason="not elected", date=OPENS
        ),
        "setup",
    )
    before = _ledger(db)
    bodies: dict[str, tuple[str, dict[str, Any]]] = {
        "own": ("d2", {"congress": "Congress", "vote": 1, "choice": "for", "date": DAY}),
        "other's": (
            "d2",
            {"congress": "Congress", "vote": 1, "choice": "for", "date": DAY, "credential": 3},
        ),
        "rejected": ("d5", {"congress": "Congress", "vote": 1, "choice": "for", "date": DAY}),
    }
    answers: dict[str, tuple[int, Any]] = {}
    app = create_app(str(db))
    with TestClient(app) as client:
        start = threading.Barrier(len(bodies))

        def cast(name: str) -> None:
            account, body = bodies[name]
            start.wait(30)
            r = client.post(
                command_path("CastVote"),
                json=body,
                headers={"Authorization": f"Bearer {keys[account]}"},
            )
            answers[name] = (r.status_code, r.json())

        threads = [threading.Thread(target=cast, args=(n,)) for n in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        # Someone with no credential in the congress is refused at once, outside a batch.
        chair = client.post(
            command_path("CastVote"),
            json={"congress": "Congress", "vote": 1, "credential": 1, "choice": "for", "date": DAY},
            headers={"Authorization": f"Bearer {keys['sec-1']}"},
        )
        sizes = list(app.state.cast_batcher.sizes)
    assert answers["own"][0] == 200 and answers["own"][1]["payload"]["credential"] == 2
    assert answers["other's"][0] == 403
    assert "credential is their own" in answers["other's"][1]["detail"]
    assert answers["rejected"][0] == 403
    assert "delegate of 'Congress'" in answers["rejected"][1]["detail"]
    assert chair.status_code == 403
    assert sum(sizes) == 3  # the three delegates' casts went through the batcher only
    after = _ledger(db)
    assert after[: len(before)] == before
    assert [t for t, _ in after[len(before) :]] == ["BallotCast"]
    assert after[-1][1].endswith("/delegate")


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_serve", ROOT / "benchmarks/serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_serve_benchmark_in_small_records_every_vote_once(tmp_path: Path) -> None:
    """benchmarks/serve.py with 200 delegates and 16 clients on SQLite, through a real
    ``soviet serve``: every request answered without error, each vote's tally and the
    ledger's casts equal to 200 with no duplicate, the roll naming each delegate once,
    and the 50 signatures on the petition."""
    bench = _benchmark()
    out = tmp_path / "figures.json"
    args = bench.parse(
        "--delegates 200 --clients 16 --signers 50 --electors 120 --password-logins 4 "
        f"--backends sqlite --timeout 600 --json {out}".split()
    )
    (result,) = bench.run(args)
    assert {k: f["errors"] for k, f in result["phases"].items()} == {
        "enrol": 0,
        "login_password": 0,
        "login_link": 0,
        "roll-call": 0,
        "secret": 0,
        "sign": 0,
    }
    assert result["phases"]["roll-call"]["requests"] == 200
    assert result["phases"]["login_password"]["requests"] == 5  # four delegates, the chair
    for mode in ("roll-call", "secret"):
        checks = result["results"][mode]["checks"]
        assert checks and all(checks.values()), checks
        # The result reached the congress's live stream too, after the last ballot.
        assert result["results"][mode]["streamed_after_last_ballot_ms"] > 0
    assert "roll names each once" in result["results"]["roll-call"]["checks"]
    assert result["results"]["petition"] == {"signatures": 50, "expected": 50, "status": "open"}
    assert json.loads(out.read_text())[0]["delegates"] == 200
