"""Parallel verification gives the same verdict as the serial chain walk."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, engine_for, migrate
from soviet.application.ledger import GENESIS_HASH, LedgerEntry, verify_rows

N = 25_000  # above the parallel threshold


def _fill(url: str) -> None:
    migrate(url)
    entries, prev = [], GENESIS_HASH
    for seq in range(1, N + 1):
        entry = LedgerEntry.make(seq, "2026-11-22T00:00:00+00:00", "t", "X", {"n": seq}, prev)
        entries.append(entry)
        prev = entry.hash
    with SqlUnitOfWork(url) as uow:
        uow.head()
        uow.append(entries)
        uow.commit()


@pytest.fixture
def ledger_url(database_url: str) -> str:
    _fill(database_url)
    return database_url


def _both(url: str) -> tuple[object, object]:
    ledger = SqlLedger(url)
    serial = verify_rows(ledger.rows(), ledger.stored_head())
    parallel = ledger.verify(workers=3)
    return serial, parallel


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE ledger SET actor = 'x' WHERE seq = 1",
        "UPDATE ledger SET actor = 'x' WHERE seq = 8334",  # first of the second range
        "UPDATE ledger SET payload = '{}' WHERE seq = 8333",  # last of the first range
        "DELETE FROM ledger WHERE seq = 8334",
        "DELETE FROM ledger WHERE seq BETWEEN 8334 AND 16667",  # a whole range
        "DELETE FROM ledger WHERE seq >= 24990",
        "UPDATE ledger SET seq = seq + 1 WHERE seq = 25000",
    ],
)
def test_parallel_and_serial_verdicts_agree(ledger_url: str, tamper: str | None) -> None:
    if tamper:
        with engine_for(ledger_url).begin() as conn:
            conn.execute(text(tamper))
    serial, parallel = _both(ledger_url)
    assert parallel == serial
    assert serial.ok is (tamper is None)  # type: ignore[attr-defined]
