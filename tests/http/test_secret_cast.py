"""Secret ballots cast through the API go through the app's CastBatcher: casts that
arrive together are committed together (docs/secret-ballots.md)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts_world import OPENS, copy_world, make_template
from soviet.adapters.http.app import create_app
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage import open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import SqlUnitOfWork, database_url
from soviet.application import commands as cmd

DAY = "1917-10-26"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


def test_concurrent_secret_casts_share_one_batch(template: Path, tmp_path: Path) -> None:
    """Delegates 1-4 cast in a secret vote at once: four 200s, each answer the voter's
    own entry without the choice, one batch of four, four ballots in the box."""
    db = copy_world(template / "world.db", tmp_path)
    service = open_service(str(db))
    # The world's open roll call is closed and a secret vote opened on motion 2.
    service.handle(cmd.CloseVote(congress="Congress", vote=1, date=OPENS), "setup")
    service.handle(cmd.OpenVote(congress="Congress", motion=2, date=OPENS, mode="secret"), "setup")
    store = AccountStore(database_url(str(db)))
    tokens = {}
    for k in (1, 2, 3, 4):
        account = store.ensure(f"credential:Congress:{k}", f"voter-{k}", f"voter-{k}")
        tokens[k] = store.create_token(account, "test")
    choices = {1: "for", 2: "against", 3: "for", 4: "abstain"}
    answers: dict[int, tuple[int, dict[str, object]]] = {}
    app = create_app(str(db))
    with TestClient(app) as client:
        start = threading.Barrier(4)

        def cast(k: int) -> None:
            start.wait(30)
            r = client.post(
                command_path("CastVote"),
                json={"congress": "Congress", "vote": 2, "choice": choices[k], "date": DAY},
                headers={"Authorization": f"Bearer {tokens[k]}"},
            )
            answers[k] = (r.status_code, r.json())

        threads = [threading.Thread(target=cast, args=(k,)) for k in choices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert {k: status for k, (status, _) in answers.items()} == dict.fromkeys(choices, 200)
    for k, (_, entry) in answers.items():
        payload = entry["payload"]
        assert isinstance(payload, dict) and payload["credential"] == k
        assert "choice" not in payload and choices[k] not in json.dumps(payload)
    assert list(app.state.cast_batcher.sizes) == [4]
    with SqlUnitOfWork(database_url(str(db)), write=False) as reader:
        assert reader.ballot_box("Congress", 2) == ["abstain", "against", "for", "for"]
