"""Commands, the ledger and replay on both storage back ends."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from sqlalchemy import text

from soviet.adapters.storage import open_service
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.sql import StorageError, engine_for
from soviet.application.ledger import GENESIS_HASH, LedgerEntry, entry_hash
from soviet.application.service import CouncilService
from soviet.domain import rules
from soviet.domain.errors import DomainError

C = rules.Candidate
D = dt.date(1917, 3, 14)
LATER = dt.date(1917, 9, 14)


def build(service: CouncilService) -> None:
    """A council with a factory, a workshop and a named shop, elected and partly recalled."""
    with service.transaction("test") as tx:
        tx.run(
            lambda o: rules.create_council(
                o,
                "Soviet",
                {"method": "per-unit", "per": 1000, "minimum": 1},
                recall_mode="replacement",
            )
        )
        tx.run(lambda o: rules.create_constituency(o, "Putilov", "Soviet", headcount=3000))
        tx.run(
            lambda o: rules.create_constituency(o, "Shop", "Soviet", electors=["ann", "bob", "cat"])
        )
    service.run(
        lambda o: rules.elect(
            o, "Putilov", [C("a1", "SR", 9), C("a2", "SR", 8), C("b1", "B", 7)], D, method="block"
        ),
        "test",
    )
    service.run(lambda o: rules.elect(o, "Shop", [C("ann", "M", 2), C("bob", "B", 1)], D), "t")
    service.run(lambda o: rules.adopt_mandate(o, "Shop", "Peace", D), "t")
    service.run(
        lambda o: rules.open_recall(
            o, "Putilov", "Putilov#1", LATER, seats=[1], replacements=[C("r1", "B")]
        ),
        "t",
    )
    service.run(
        lambda o: rules.sign_recall(o, 1, [f"Putilov#{k}" for k in range(1, 1502)], LATER), "t"
    )
    service.run(lambda o: rules.remove_elector(o, "cat", LATER), "t")


@pytest.fixture
def service(database_url: str) -> CouncilService:
    return open_service(database_url, initialise=True)


def test_commands_update_tables_and_append_a_chained_event_each(service: CouncilService) -> None:
    build(service)
    entries = list(service.history())
    assert [e.seq for e in entries] == list(range(1, 10))
    assert entries[0].prev_hash == GENESIS_HASH
    for prev, entry in itertools.pairwise(entries):
        assert entry.prev_hash == prev.hash
    assert [e.type for e in entries] == [
        "CouncilCreated",
        "ConstituencyCreated",
        "ConstituencyCreated",
        "DelegatesElected",
        "DelegatesElected",
        "MandateAdopted",
        "RecallOpened",
        "RecallSigned",
        "ElectorRemoved",
    ]
    org = service.state()
    assert {d.seat: d.name for d in org.sitting_delegates("Putilov")} == {1: "r1", 2: "a2", 3: "b1"}
    assert {e for e, home in org.electors.items() if home == "Shop"} == {"ann", "bob"}
    assert org.constituencies["Shop"].headcount == 2
    assert service.verify().ok


def test_replay_of_the_ledger_equals_the_live_tables(service: CouncilService) -> None:
    build(service)
    assert to_rows(service.replay()) == to_rows(service.state())


def test_as_of_shows_the_state_after_an_earlier_event(service: CouncilService) -> None:
    build(service)
    before_recall = service.state(as_of=7)
    assert {d.name for d in before_recall.sitting_delegates("Putilov")} == {"a1", "a2", "b1"}
    assert service.state(as_of=0).councils == {}


def test_a_failed_command_leaves_nothing_behind(service: CouncilService) -> None:
    build(service)
    rows_before = to_rows(service.state())
    with pytest.raises(DomainError):
        service.run(lambda o: rules.sign_recall(o, 1, ["Putilov#1"], LATER), "t")
    with pytest.raises(DomainError), service.transaction("t") as tx:
        tx.run(lambda o: rules.create_constituency(o, "Fresh", "Soviet", headcount=10))
        tx.run(lambda o: rules.create_constituency(o, "Fresh", "Soviet", headcount=10))
    assert to_rows(service.state()) == rows_before
    assert service.last_seq() == 9
    assert service.verify().ok


def _tamper(url: str, sql: str, **params: object) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(text(sql), params)


def test_verify_names_an_altered_event(service: CouncilService, database_url: str) -> None:
    build(service)
    payload = next(e for e in service.history() if e.seq == 4).payload
    forged = payload.replace('"SR"', '"B"', 1)
    assert forged != payload
    _tamper(database_url, "UPDATE ledger SET payload = :p WHERE seq = 4", p=forged)
    result = service.verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "event 4 was altered")


def test_verify_names_a_deleted_event(service: CouncilService, database_url: str) -> None:
    build(service)
    _tamper(database_url, "DELETE FROM ledger WHERE seq = 5")
    result = service.verify()
    assert (result.first_bad_seq, result.problem) == (5, "event 5 is missing (deleted?)")


def test_verify_names_events_deleted_from_the_end(
    service: CouncilService, database_url: str
) -> None:
    build(service)
    _tamper(database_url, "DELETE FROM ledger WHERE seq >= 8")
    result = service.verify()
    assert not result.ok and result.first_bad_seq == 8
    assert "events 8..9 are missing" in (result.problem or "")


def test_verify_names_an_inserted_event(service: CouncilService, database_url: str) -> None:
    build(service)
    _tamper(database_url, "UPDATE ledger SET seq = seq + 100 WHERE seq >= 6")
    _tamper(database_url, "UPDATE ledger SET seq = seq - 99 WHERE seq >= 106")
    fake = LedgerEntry.make(
        6, "2026-01-01T00:00:00+00:00", "forger", "MandateAdopted", {"x": 1}, "0" * 64
    )
    _tamper(
        database_url,
        "INSERT INTO ledger VALUES (6, :at, 'forger', 'MandateAdopted', :p, :prev, :h)",
        at=fake.recorded_at,
        p=fake.payload,
        prev=fake.prev_hash,
        h=fake.hash,
    )
    result = service.verify()
    assert (result.first_bad_seq, result.problem) == (
        6,
        "event 6 does not link to event 5 (inserted or replaced?)",
    )


def test_every_single_byte_change_in_a_stored_field_is_detected() -> None:
    entry = LedgerEntry.make(
        3,
        "2026-11-22T00:00:00+00:00",
        "cli",
        "RecallSigned",
        {"petition": 1, "electors": ["ann"]},
        "a" * 64,
    )
    fields = [entry.recorded_at, entry.actor, entry.type, entry.payload, entry.prev_hash]
    for i, value in enumerate(fields):
        for pos in range(len(value)):
            changed = value[:pos] + chr((ord(value[pos]) + 1) % 128 or 1) + value[pos + 1 :]
            args = [*fields]
            args[i] = changed
            assert entry_hash(3, *args) != entry.hash


def test_uninitialised_database_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.db"
    with pytest.raises(StorageError, match=r"no database at .*empty.db \(run soviet init\)"):
        open_service(str(path))
    assert not path.exists()  # a service that only reads never creates the file
    path.touch()  # SQLite's empty database: there, but not initialised
    with pytest.raises(StorageError, match="not initialised: run 'soviet init' first"):
        open_service(str(path))


def test_payloads_are_canonical_json(service: CouncilService) -> None:
    build(service)
    for e in service.history():
        assert e.payload == json.dumps(
            json.loads(e.payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
