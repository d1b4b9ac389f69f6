"""Review of the rows-on-demand identity map (adapters/storage/records.py).

The oracle: after any sequence of commands, however split into transactions, the live
tables equal the state rebuilt from the ledger.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.scenario_file import load_scenario
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, migrate
from soviet.application import commands as cmd
from soviet.application.commands import Command
from soviet.application.scenario import run_scenario
from soviet.application.service import CouncilService, Transaction
from soviet.domain.errors import DomainError
from soviet.domain.model import Petition
from soviet.domain.records import count, keys_where, next_number, tally, where
from soviet.domain.rules import Candidate

D = dt.date(1917, 3, 14)


def _service(url: str) -> CouncilService:
    migrate(url)
    ticks = itertools.count()

    def clock() -> str:
        return f"2026-01-01T00:00:00.{next(ticks):06d}+00:00"

    return CouncilService(lambda: SqlUnitOfWork(url), SqlLedger(url), clock=clock)


def _same(service: CouncilService) -> None:
    assert to_rows(service.replay()) == to_rows(service.state())


_COMMANDS: dict[str, list[Command]] = {}


def _scenario_commands(name: str, url: str, monkeypatch: pytest.MonkeyPatch) -> list[Command]:
    """The commands a worked example runs (captured from one run of it)."""
    if name not in _COMMANDS:
        captured: list[Command] = []
        original = Transaction.handle

        def spy(self: Transaction, command: Command) -> Any:
            captured.append(command)
            return original(self, command)

        with monkeypatch.context() as m:
            m.setattr(Transaction, "handle", spy)
            run_scenario(_service(url), load_scenario(scenario_path(name)), "test")
        _COMMANDS[name] = captured
    return _COMMANDS[name]


def _run_in_chunks(service: CouncilService, commands: list[Command], sizes: Iterator[int]) -> None:
    i = 0
    while i < len(commands):
        chunk = commands[i : i + next(sizes)]
        i += len(chunk)

        def work(tx: Transaction, chunk: list[Command] = chunk) -> None:
            for c in chunk:
                tx.handle(c)

        service.execute(work, "test")


@pytest.mark.parametrize("name", ["second-congress"])
@pytest.mark.parametrize("sizes", [(5, 1, 7)], ids=["5-1-7"])
def test_worked_examples_split_into_transactions_equal_their_replay(
    name: str, sizes: tuple[int, ...], database_url: str, tmp_path: Any, monkeypatch: Any
) -> None:
    commands = _scenario_commands(name, f"sqlite:///{tmp_path}/capture.db", monkeypatch)
    service = _service(database_url)
    _run_in_chunks(service, commands, itertools.cycle(sizes))
    _same(service)


def _council(service: CouncilService) -> None:
    def work(tx: Transaction) -> None:
        tx.handle(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}))
        for k in range(2):
            names = [f"e{k}-{i}" for i in range(3)]
            tx.handle(cmd.CreateConstituency(name=f"Shop {k}", council="Soviet", electors=names))
            tx.handle(
                cmd.ElectDelegates(
                    constituency=f"Shop {k}", candidates=[Candidate(f"d{k}", "B", 3)], date=D
                )
            )
        tx.handle(cmd.OpenRecall(constituency="Shop 0", opened_by="e0-0", date=D))

    service.execute(work, "setup")


def _stored(url: str) -> Any:
    with SqlUnitOfWork(url, write=False) as reader:
        return reader.load_all()


def test_a_replaced_record_keeps_being_tracked(sqlite_url: str) -> None:
    service = _service(sqlite_url)
    _council(service)
    with SqlUnitOfWork(sqlite_url) as uow:
        org = uow.load()
        org.delegates[1] = dataclasses.replace(org.delegates[1], status="recalled")
        uow.save(org)  # written: the key was marked changed by __setitem__
        org.delegates[1].left_on = D  # a later command of the same transaction
        uow.save(org)
        uow.commit()
    stored = _stored(sqlite_url).delegates[1]
    assert (stored.status, stored.left_on) == ("recalled", D)


def test_a_record_holding_others_is_not_replaced_but_refused(sqlite_url: str) -> None:
    """A petition holds its signatures: putting a fresh object in its place would lose
    them (or the new ones), so it is refused by name; such records change in place."""
    service = _service(sqlite_url)
    _council(service)
    with SqlUnitOfWork(sqlite_url) as uow:
        org = uow.load()
        old = org.petitions[1]
        fresh = Petition(
            id=1,
            constituency=old.constituency,
            delegate_ids=list(old.delegate_ids),
            opened_on=old.opened_on,
            opened_by=old.opened_by,
            signatures={"e0-1": D},
        )
        with pytest.raises(TypeError, match="Petition 1 holds other records: change it in place"):
            org.petitions[1] = fresh


def test_a_list_changed_in_place_then_a_field_set_is_written(sqlite_url: str) -> None:
    service = _service(sqlite_url)
    _council(service)
    with SqlUnitOfWork(sqlite_url) as uow:
        org = uow.load()
        council = org.councils["Soviet"]
        council.may_convene.append("Congress")  # unseen by __setattr__
        council.description = "the Soviet"  # seen: the record is diffed
        uow.save(org)
        uow.commit()
    stored = _stored(sqlite_url).councils["Soviet"]
    assert (stored.description, stored.may_convene) == ("the Soviet", ["Congress"])


def test_a_record_deleted_and_added_again_is_one_update(sqlite_url: str) -> None:
    service = _service(sqlite_url)
    _council(service)
    with SqlUnitOfWork(sqlite_url) as uow:
        org = uow.load()
        d = org.delegates[1]
        assert len(org.delegates) == 2
        del org.delegates[1]
        assert 1 not in org.delegates and len(org.delegates) == 1
        assert [x.id for x in where(org.delegates, status="sitting")] == [2]
        org.delegates[1] = dataclasses.replace(d, name="again")
        assert len(org.delegates) == 2 and org.delegates.count(status="sitting") == 2
        uow.save(org)
        assert len(org.delegates) == 2 and next_number(org.delegates) == 3
        uow.commit()
    assert _stored(sqlite_url).delegates[1].name == "again"


def test_values_and_logs_count_what_is_waiting(sqlite_url: str) -> None:
    service = _service(sqlite_url)
    _council(service)
    with SqlUnitOfWork(sqlite_url) as uow:
        org = uow.load()
        assert len(org.electors) == 6
        del org.electors["e0-0"]
        org.electors["e0-0"] = "Shop 1"  # deleted, then set again: an update
        del org.electors["e0-1"]
        org.electors["new"] = "Shop 0"
        assert len(org.electors) == 6
        uow.save(org)
        assert len(org.electors) == 6
        del org.electors["new"]
        uow.save(org)
        org.electors["new"] = "Shop 1"  # deleted and flushed, then added again
        org.electors.prefetch(["e0-1", "nobody", "new"])
        assert "e0-1" not in org.electors and "nobody" not in org.electors
        assert len(org.electors) == 6
        uow.save(org)
        uow.commit()
    assert dict(_stored(sqlite_url).electors) == {
        "e0-0": "Shop 1",
        "e0-2": "Shop 0",
        "e1-0": "Shop 1",
        "e1-1": "Shop 1",
        "e1-2": "Shop 1",
        "new": "Shop 1",
    }


def test_a_failing_second_command_writes_nothing(database_url: str) -> None:
    service = _service(database_url)
    _council(service)
    before = to_rows(service.state())

    def work(tx: Transaction) -> None:
        tx.handle(cmd.SignRecall(petition=1, electors=["e0-1"], date=D))
        tx.handle(cmd.SignRecall(petition=1, electors=["stranger"], date=D))

    with pytest.raises(DomainError):
        service.execute(work, "test")
    assert to_rows(service.state()) == before
    service.handle(cmd.SignRecall(petition=1, electors=["e0-1"], date=D), "e0-1")
    _same(service)


def test_records_read_on_demand_equal_plain_ones(sqlite_url: str) -> None:
    service = _service(sqlite_url)
    _council(service)
    service.handle(cmd.SignRecall(petition=1, electors=["e0-1"], date=D), "e0-1")
    plain = _stored(sqlite_url)
    with SqlUnitOfWork(sqlite_url, write=False) as reader:
        org = reader.load()
        for table in ("delegates", "petitions", "councils", "constituencies"):
            lazy = getattr(org, table)
            for key, record in getattr(plain, table).items():
                assert lazy[key] == record and record == lazy[key]
                assert type(lazy[key]).__name__ == type(record).__name__
                assert isinstance(lazy[key], type(record))
        assert dataclasses.asdict(org.delegates[1]) == dataclasses.asdict(plain.delegates[1])


def _questions(records: Any) -> tuple[Any, ...]:
    """The by-field questions the rules ask, answered by ``records``."""
    return (
        keys_where(records, status="sitting"),
        keys_where(records, status="sitting", group="B"),
        tally(records, "group"),
        tally(records, "group", status="sitting"),
        tally(records, "left_on", status="recalled"),
        count(records, status="sitting"),
        count(records, group=None),
    )


def _recall(records: Any) -> None:
    records[2].status = "recalled"
    records[2].left_on = D


def _add(records: Any) -> None:
    records[7] = dataclasses.replace(records[2], id=7, status="sitting", left_on=None)


def _ungroup(records: Any) -> None:
    records[7].group = None


def _regroup(records: Any) -> None:
    records[1].group = "M"


def _remove(records: Any) -> None:
    del records[2]


def test_fields_asked_of_the_database_count_what_is_waiting(database_url: str) -> None:
    """keys_where, tally and count ask the stored rows by field (no record built) and
    correct them for the records changed, added or deleted and not yet flushed: the
    answers equal a plain dict's at every step, before and after a flush."""
    service = _service(database_url)
    _council(service)
    plain = dict(_stored(database_url).delegates)
    with SqlUnitOfWork(database_url) as uow:
        org = uow.load()
        assert _questions(org.delegates) == _questions(plain)
        for step in (_regroup, _recall, _add, _ungroup, _remove):
            step(org.delegates)
            step(plain)
            assert _questions(org.delegates) == _questions(plain), step.__name__
            uow.save(org)  # flushed: now the stored rows answer
            assert _questions(org.delegates) == _questions(plain), step.__name__
        list(org.delegates)  # every record held: answered from them
        assert _questions(org.delegates) == _questions(plain)
