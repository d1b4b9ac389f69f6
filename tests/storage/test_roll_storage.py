"""A member register imported into one roll reads that roll, not the organisation's, and
leaves live tables equal to the ledger's replay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import engine_for
from soviet.application import commands as cmd
from soviet.domain.roll import RollEntry

D = dt.date(2026, 3, 1)


@contextmanager
def statements(url: str) -> Iterator[list[str]]:
    """The SQL statements run on ``url``'s engine inside the block."""
    seen: list[str] = []
    engine = engine_for(url)

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _import_statements(url: str, constituencies: int) -> list[str]:
    service = open_service(url, initialise=True)

    def setup(tx: Any) -> None:
        tx.handle(cmd.CreateCouncil(name="Union", seat_rule={"method": "per-unit", "per": 10}))
        for k in range(constituencies):
            names = [f"e{k}-{i}" for i in range(30)]
            tx.handle(cmd.CreateConstituency(name=f"Shop {k}", council="Union", electors=names))

    service.execute(setup, "setup")
    # Shop 0's register: two kept, one renamed, one moved in from Shop 1, one new; the
    # other 26 of its electors struck off.
    members = [
        RollEntry("e0-0", "e0-0", "Shop 0"),
        RollEntry("e0-1", "e0-1", "Shop 0"),
        RollEntry("e0-2", "Eve", "Shop 0"),
        RollEntry("e1-0", "e1-0", "Shop 0"),
        RollEntry("new", "Neu", "Shop 0"),
    ]
    with statements(url) as seen:
        entry = service.handle(cmd.ImportRoll(constituency="Shop 0", members=members, date=D), "t")
    assert entry.type == "RollImported"
    report = service.verify()
    assert report.ok and report.state is not None and report.state.ok, report
    state = service.state()
    assert sorted(k for k, v in state.electors.items() if v == "Shop 0") == [
        "e0-0",
        "e0-1",
        "e0-2",
        "e1-0",
        "new",
    ]
    assert state.member_names == {"e0-2": "Eve", "new": "Neu"}
    assert state.constituencies["Shop 0"].headcount == 5
    assert state.constituencies["Shop 1"].headcount == 29
    return seen


def test_a_scoped_import_reads_its_roll_only(tmp_path: Any) -> None:
    few = _import_statements(f"sqlite:///{tmp_path}/few.db", 3)
    many = _import_statements(f"sqlite:///{tmp_path}/many.db", 30)
    assert len(few) == len(many), (few, many)
    whole_table = [
        s for s in many if s.startswith("SELECT") and "FROM electors" in s and "WHERE" not in s
    ]
    assert whole_table == []
