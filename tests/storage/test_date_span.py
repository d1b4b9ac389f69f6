"""The dates on record kept with the ledger head, and migration 0006 filling them in."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command as alembic
from sqlalchemy import select, text

from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.sql import _alembic_config, _writing, engine_for, migrate
from soviet.application import commands as cmd
from soviet.domain.dates import DateSpan
from soviet.domain.errors import DomainError
from soviet.domain.rules import Candidate

MARCH = dt.date(1917, 3, 1)
OCTOBER = dt.date(1917, 10, 25)


def _organisation(url: str) -> None:
    service = open_service(url)
    service.handle(
        cmd.CreateCouncil(name="Soviet", seat_rule={"method": "dhondt", "seats": 3}), "t"
    )
    cec = cmd.CreateCouncil(name="CEC", seat_rule={"method": "dhondt"}, may_convene=["*"])
    service.handle(cec, "t")
    service.handle(cmd.CreateConstituency(name="Shop", council="Soviet", headcount=30), "t")
    service.handle(
        cmd.ElectDelegates(
            constituency="Shop", candidates=[Candidate("ann", votes=20)], seats=1, date=MARCH
        ),
        "t",
    )
    service.handle(
        cmd.CallCongress(
            name="C", convened_by="CEC", date=MARCH, opens_on=OCTOBER, quorum="1",
            senders={"Soviet": 1},
        ),
        "t",
    )  # fmt: skip


def _head(url: str) -> tuple[dt.date | None, dt.date | None]:
    with engine_for(url).connect() as conn:
        row = conn.execute(select(t.ledger_head.c.first_date, t.ledger_head.c.last_date)).one()
        conn.rollback()
    return row.first_date, row.last_date


def test_the_head_keeps_the_first_and_last_date_on_record(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)
    service.handle(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "dhondt"}), "t")
    assert _head(database_url) == (None, None)  # no dated event yet
    for command in (
        cmd.CreateConstituency(name="Shop", council="Soviet", headcount=30),
        cmd.SetHeadcount(constituency="Shop", headcount=40, date=MARCH),
        cmd.SetHeadcount(constituency="Shop", headcount=50, date=OCTOBER),
    ):
        service.handle(command, "t")
    assert _head(database_url) == (MARCH, OCTOBER)
    with pytest.raises(DomainError, match="more than 10 years after the last date on record"):
        late = cmd.SetHeadcount(constituency="Shop", headcount=60, date=dt.date(1930, 1, 1))
        service.handle(late, "t")
    assert _head(database_url) == (MARCH, OCTOBER)  # the refused command changed nothing
    service.handle(
        cmd.SetHeadcount(
            constituency="Shop", headcount=60, date=dt.date(1930, 1, 1), force_date=True
        ),
        "t",
    )
    assert _head(database_url) == (MARCH, dt.date(1930, 1, 1))


def test_migration_0006_fills_the_dates_and_the_calls_allowance(database_url: str) -> None:
    migrate(database_url)
    _organisation(database_url)
    assert _head(database_url) == (MARCH, OCTOBER)
    engine = engine_for(database_url)
    with _writing(engine.connect()) as conn, conn.begin():
        alembic.downgrade(_alembic_config(conn), "0005")
    with _writing(engine.connect()) as conn, conn.begin():
        alembic.upgrade(_alembic_config(conn), "head")
        allowed = conn.execute(text("SELECT outside_delegates FROM congresses")).scalars().all()
    assert allowed == [False]
    assert _head(database_url) == (MARCH, OCTOBER)
    service = open_service(database_url)
    assert service.verify().ok
    with service.transaction("t") as tx:
        assert tx.date_span() == DateSpan(MARCH, OCTOBER)
