"""The stdlib sqlite3 reader of a SQLite file's ledger agrees with SQLAlchemy's (issue 9).

``open_service`` on a SQLite file reads the ledger (chain, state proof, history) with
``sqlite_ledger.SqliteLedger``; ``sql.SqlLedger`` reads PostgreSQL, and must give the
same verdicts on the same file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from test_ledger_storage import build

from soviet.adapters.storage import base, open_service, schema, sqlite_ledger
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, engine_for
from soviet.adapters.storage.sqlite_ledger import SqliteLedger, sqlite_file
from soviet.application.service import CouncilService


def test_schema_lists_every_table_as_tables_defines_it() -> None:
    tables = (t.ledger, t.ledger_head, *t.STATE_TABLES)
    specs = (schema.LEDGER, schema.LEDGER_HEAD, *schema.STATE_TABLES)
    assert [t.spec_of(table) for table in tables] == list(specs)
    assert schema.DELEGATES.dates == {"elected_on", "left_on"}
    assert schema.MOTIONS.booleans == {"decree", "urgent", "without_debate"}
    assert schema.VOTE_ROLL.primary_key == ("congress", "vote", "credential")


@pytest.mark.parametrize(
    ("db", "name"),
    [
        ("soviet.db", "soviet.db"),
        ("/tmp/x/soviet.db", "/tmp/x/soviet.db"),
        ("sqlite:///rel/soviet.db", "rel/soviet.db"),
        ("sqlite:////abs/soviet.db", "/abs/soviet.db"),
        ("sqlite:///a%20b.db", None),  # SQLAlchemy would unescape it
        ("sqlite:///x.db?mode=ro", None),
        ("sqlite+pysqlite:///x.db", None),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/db", None),
    ],
)
def test_the_files_the_stdlib_reader_opens(db: str, name: str | None) -> None:
    assert sqlite_file(db) == name


@pytest.fixture
def url(sqlite_url: str) -> str:
    build(open_service(sqlite_url, initialise=True))
    return sqlite_url


def _path(url: str) -> str:
    name = sqlite_file(url)
    assert name is not None
    return name


def _both(url: str) -> tuple[CouncilService, CouncilService]:
    """A service reading through sqlite3 and one reading through SQLAlchemy."""
    light = open_service(url)
    assert isinstance(light._ledger, SqliteLedger)  # what open_service chose
    heavy = CouncilService(
        lambda: SqlUnitOfWork(url),
        SqlLedger(url),
        reader_factory=lambda: SqlUnitOfWork(url, write=False),
    )
    return light, heavy


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE delegates SET group_name = 'B' WHERE id = 2",
        "UPDATE councils SET sections_merged = 0",
        "UPDATE mandates SET adopted_on = '1917-03-15'",
        "DELETE FROM signatures WHERE elector = 'Putilov#700'",
        "INSERT INTO electors (elector, constituency) VALUES ('dan', 'Shop')",
        "UPDATE signatures SET petition_id = 'one' WHERE elector = 'Putilov#9'",
        "UPDATE ledger SET actor = 'x' WHERE seq = 3",
        "DELETE FROM ledger WHERE seq = 9",
        "UPDATE ledger_head SET seq = 8",
    ],
)
def test_both_readers_give_the_same_report(url: str, tamper: str | None) -> None:
    if tamper:  # plain sqlite3: foreign keys unchecked, as an operator's own edit
        with sqlite3.connect(_path(url)) as conn:
            conn.execute(tamper)
    light, heavy = _both(url)
    report = light.verify()
    assert report.data() == heavy.verify().data()
    assert report.ok is (tamper is None)
    assert light.verify(state=False).data() == heavy.verify(state=False).data()
    assert list(light.history()) == list(heavy.history())
    assert light.head() == heavy.head()


def test_checkpoints_and_entries_read_the_same(url: str) -> None:
    light, heavy = _both(url)
    assert light.checkpoint() == heavy.checkpoint()
    assert light.checkpoint(4) == heavy.checkpoint(4)
    assert list(light.history(5, start=2)) == list(heavy.history(5, start=2))
    assert light.replay(6) == heavy.replay(6)


def test_the_reader_cannot_write(url: str) -> None:
    conn = sqlite_ledger.connect(_path(url))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM ledger")
    conn.close()
    assert open_service(url).verify().ok


def test_parallel_segments_agree_with_the_serial_walk(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "PARALLEL_FROM", 2)
    ledger = SqliteLedger(_path(url))
    assert ledger.verify(workers=3) == ledger.verify(workers=1)
    with engine_for(url).begin() as conn:
        conn.execute(text("UPDATE ledger SET payload = '{}' WHERE seq = 5"))
    parallel = ledger.verify(workers=3)
    assert parallel == ledger.verify(workers=1)
    assert not parallel.ok and parallel.first_bad_seq == 5


def test_a_file_that_is_not_initialised_or_is_damaged_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"")
    from soviet.adapters.storage import StorageError

    with pytest.raises(StorageError, match="is not initialised: run 'soviet init' first"):
        open_service(str(empty))
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(StorageError, match=r"--db: cannot use 'sqlite:///.*damaged.db': "):
        open_service(str(damaged))
