"""A command reads only the rows it needs, and writes back only what it changed.

The live state handed to the rules is read on demand (``adapters/storage/records.py``):
these tests pin that the work of a command does not grow with the organisation (the
statements it runs are the same for 20 constituencies as for 200, for 10 delegates as
for 100), that questions asked by field see what the transaction itself changed, and
that the live tables still equal the state rebuilt from the ledger.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.scenario_file import load_scenario
from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.sql import (
    SqlLedger,
    SqlUnitOfWork,
    _alembic_config,
    engine_for,
    head_revision,
    migrate,
)
from soviet.application import commands as cmd
from soviet.application.scenario import run_scenario
from soviet.application.service import CouncilService
from soviet.domain.records import next_number, where
from soviet.domain.rules import Candidate

D = dt.date(1917, 3, 14)
LATER = dt.date(1917, 9, 14)


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


def _council(service: CouncilService, constituencies: int, electors: int) -> None:
    """``constituencies`` named rolls of ``electors`` each, one delegate elected in each."""

    def work(tx: Any) -> None:
        tx.handle(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}))
        for k in range(constituencies):
            names = [f"e{k}-{i}" for i in range(electors)]
            tx.handle(cmd.CreateConstituency(name=f"Shop {k}", council="Soviet", electors=names))
            tx.handle(
                cmd.ElectDelegates(
                    constituency=f"Shop {k}", candidates=[Candidate(f"d{k}", "B", 2)], date=D
                )
            )
        tx.handle(cmd.OpenRecall(constituency="Shop 0", opened_by="e0-0", date=LATER))

    service.execute(work, "setup")


def _sign_statements(url: str, constituencies: int) -> list[str]:
    migrate(url)
    service = open_service(url)
    _council(service, constituencies, electors=20)
    with statements(url) as seen:
        service.handle(cmd.SignRecall(petition=1, electors=["e0-1"], date=LATER), "e0-1")
    return seen


def test_a_signature_runs_the_same_statements_whatever_the_size(tmp_path: Any) -> None:
    small = _sign_statements(f"sqlite:///{tmp_path}/small.db", 20)
    large = _sign_statements(f"sqlite:///{tmp_path}/large.db", 200)
    assert small == large
    assert len(small) <= 20, small
    # No statement reads a whole table of the roll or of the delegates.
    for sql in small:
        if sql.startswith("SELECT") and (" FROM electors" in sql or " FROM delegates" in sql):
            assert " WHERE " in sql, sql


def _congress(service: CouncilService, delegates: int) -> None:
    def work(tx: Any) -> None:
        tx.handle(
            cmd.CreateCouncil(
                name="CEC", seat_rule={"method": "dhondt", "seats": 5}, may_convene=["Congress"]
            )
        )
        tx.handle(
            cmd.CallCongress(
                name="Congress",
                convened_by="CEC",
                date=D,
                opens_on=D,
                quorum="1/2",
                senders={"North": delegates},
                external=True,
            )
        )
        for k in range(1, delegates + 1):
            tx.handle(
                cmd.PresentCredential(
                    congress="Congress", delegate=f"D{k}", sent_by="North", elected_on=D, date=D
                )
            )
            tx.handle(cmd.RuleOnCredential(congress="Congress", credential=k, accept=True, date=D))
        tx.handle(cmd.OpenCongress(congress="Congress", date=D))
        tx.handle(
            cmd.RegisterAttendance(
                congress="Congress",
                arriving=True,
                date=D,
                credentials=list(range(1, delegates + 1)),
            )
        )
        tx.handle(cmd.TableMotion(congress="Congress", title="Peace", text="", mover=1, date=D))
        tx.handle(cmd.OpenVote(congress="Congress", motion=1, date=D, mode="roll-call"))

    service.execute(work, "setup")


def _cast_statements(url: str, delegates: int) -> list[str]:
    migrate(url)
    service = open_service(url)
    _congress(service, delegates)
    service.handle(
        cmd.CastVote(congress="Congress", vote=1, credential=1, choice="for", date=D), "D1"
    )
    with statements(url) as seen:
        service.handle(
            cmd.CastVote(congress="Congress", vote=1, credential=2, choice="against", date=D),
            "D2",
        )
    return seen


def test_a_cast_runs_the_same_statements_whatever_the_size(tmp_path: Any) -> None:
    small = _cast_statements(f"sqlite:///{tmp_path}/small.db", 10)
    large = _cast_statements(f"sqlite:///{tmp_path}/large.db", 100)
    assert small == large
    assert len(small) <= 20, small
    for sql in small:
        if sql.startswith("SELECT") and " FROM credentials" in sql:
            assert " WHERE " in sql, sql


def test_questions_by_field_see_the_transactions_own_changes(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)
    _council(service, constituencies=3, electors=2)
    with SqlUnitOfWork(database_url) as uow:
        org = uow.load()
        sitting = where(org.delegates, status="sitting")
        assert [d.name for d in sitting] == ["d0", "d1", "d2"]
        org.delegates[2].status = "recalled"  # changed here, not yet written
        assert [d.name for d in where(org.delegates, status="sitting")] == ["d0", "d2"]
        assert next_number(org.delegates) == 4
        org.electors["newcomer"] = "Shop 1"
        assert org.electors["newcomer"] == "Shop 1" and len(org.electors) == 7
        del org.electors["e2-0"]
        assert "e2-0" not in org.electors and len(org.electors) == 6
        uow.save(org)
        uow.commit()
    with SqlUnitOfWork(database_url, write=False) as reader:
        org = reader.load()
        assert org.delegates[2].status == "recalled"
        assert org.electors.get("newcomer") == "Shop 1"
        assert org.electors.get("e2-0") is None
        assert [d.name for d in where(org.delegates, status="sitting")] == ["d0", "d2"]


def test_named_rolls_keep_their_headcount(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)
    _council(service, constituencies=2, electors=3)
    service.handle(cmd.EnrolElectors(constituency="Shop 1", electors=["x", "y"], date=D), "s")
    service.handle(cmd.MoveElector(elector="x", to="Shop 0", date=D), "s")
    service.handle(cmd.RemoveElector(elector="e1-0", date=D), "s")
    live = service.state()
    assert {k: c.headcount for k, c in live.constituencies.items()} == {"Shop 0": 4, "Shop 1": 3}
    assert to_rows(service.replay()) == to_rows(live)


def test_upgrade_from_0002_counts_named_rolls(database_url: str) -> None:
    """Migration 0003: ``declared_headcount`` becomes ``headcount``, counted for named rolls."""
    from alembic import command

    engine = engine_for(database_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        conn.execute(
            insert(t.councils).values(
                name="Soviet",
                seat_rule=json.dumps({"method": "per-unit", "per": 1000}),
                sections="[]",
                sections_merged=True,
                recall_threshold="1/2",
                recall_mode="by-election",
                max_term_days=None,
                calendar="gregorian",
                description="",
            )
        )
        for name, roll, declared in (("Shop", "named", 0), ("Putilov", "numbered", 3000)):
            conn.exec_driver_sql(
                "INSERT INTO constituencies (name, council, roll, declared_headcount) "
                f"VALUES ('{name}', 'Soviet', '{roll}', {declared})"
            )
        for elector in ("ann", "bob", "cat"):
            conn.exec_driver_sql(
                f"INSERT INTO electors (elector, constituency) VALUES ('{elector}', 'Shop')"
            )
    assert migrate(database_url) == head_revision()
    with engine.connect() as conn:
        rows = conn.execute(select(t.constituencies.c.name, t.constituencies.c.headcount))
        assert dict(rows.all()) == {"Shop": 3, "Putilov": 3000}
        conn.rollback()


@pytest.mark.parametrize("name", ["petrograd", "second-congress"])
def test_the_worked_examples_live_tables_equal_their_replay(name: str, database_url: str) -> None:
    migrate(database_url)
    ticks = itertools.count()

    def clock() -> str:
        return f"2026-01-01T00:00:00.{next(ticks):06d}+00:00"

    service = CouncilService(
        lambda: SqlUnitOfWork(database_url), SqlLedger(database_url), clock=clock
    )
    run_scenario(service, load_scenario(scenario_path(name)), "test")
    assert to_rows(service.replay()) == to_rows(service.state())
