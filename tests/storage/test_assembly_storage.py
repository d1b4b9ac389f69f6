"""List assemblies round trip on SQLite and PostgreSQL (migration 0011): lists, votes,
seats and an attributed split survive a reopen, a refused command writes nothing, and
``verify`` proves the live tables equal the ledger's replay."""

from __future__ import annotations

import datetime as dt

import pytest

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.domain.errors import DomainError

OPEN = dt.date(1917, 8, 1)  # illustrative dates
CLOSE = dt.date(1917, 9, 20)
VOTE = dt.date(1917, 11, 12)
LATER = dt.date(1917, 11, 25)


def test_an_assembly_round_trips_and_verifies(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)

    def h(c: cmd.Command) -> None:
        service.handle(c, "t")

    h(
        cmd.CreateAssembly(
            name="CA",
            districts={"North": 3, "South": 2},
            rule={"method": "dhondt"},
            closing=CLOSE,
            term_days=4 * 365,
            date=OPEN,
        )
    )
    h(
        cmd.RegisterPartyList(
            assembly="CA", party="SR", district="North", candidates=["n1", "n2", "n3"], date=CLOSE
        )
    )
    h(
        cmd.RegisterPartyList(
            assembly="CA", party="B", district="North", candidates=["b1", "b2"], date=CLOSE
        )
    )
    h(
        cmd.RegisterPartyList(
            assembly="CA", party="SR", district="South", candidates=["s1", "s2"], date=CLOSE
        )
    )
    h(
        cmd.RegisterPartyList(
            assembly="CA", party="B", district="South", candidates=["c1", "c2"], date=CLOSE
        )
    )
    with pytest.raises(DomainError, match=r"closed \(1917-09-20\): lists are frozen"):
        h(
            cmd.RegisterPartyList(
                assembly="CA", party="Left SR", district="North", candidates=["x"], date=VOTE
            )
        )
    h(cmd.RecordListVotes(assembly="CA", district="North", votes={"SR": 600, "B": 300}, date=VOTE))
    h(cmd.RecordListVotes(assembly="CA", district="South", votes={"SR": 100, "B": 300}, date=VOTE))
    h(cmd.AllocateAssemblySeats(assembly="CA", date=VOTE))
    h(
        cmd.AttributeSplit(
            assembly="CA",
            party="SR",
            rule="positions",
            successors=["Right SR", "Left SR"],
            positions={"Right SR": [1], "Left SR": [2, 3]},
            date=LATER,
        )
    )

    with pytest.raises(DomainError, match="no council has been empowered"):
        h(cmd.RecallAssemblyMember(assembly="CA", member="n2", council="Soviet", date=LATER))
    h(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}))
    h(cmd.EmpowerAssemblyRecall(assembly="CA", by="Soviet", councils=["*"], date=LATER))
    h(cmd.RecallAssemblyMember(assembly="CA", member="n2", council="Soviet", date=LATER))
    h(cmd.OpenAssembly(assembly="CA", present=3, date=LATER))
    h(cmd.DissolveAssembly(assembly="CA", by="Soviet", date=LATER))
    with pytest.raises(DomainError, match="already dissolved on 1917-11-25 by Soviet"):
        h(cmd.DissolveAssembly(assembly="CA", by="Soviet", date=LATER))

    reopened = open_service(database_url)
    org = reopened.state()
    ca = org.assemblies["CA"]
    assert ca.members == {
        "North": {"SR": ["n1", "n2"], "B": ["b1"]},
        "South": {"B": ["c1", "c2"]},
    }
    assert ca.group_seats() == {"B": 3, "Right SR": 1}  # n2 (Left SR) recalled
    assert ca.recalled == {"n2": [LATER.isoformat(), "Soviet"]}
    assert (ca.recall_councils, ca.recall_empowered_by) == (["*"], "Soviet")
    assert (ca.opened_on, ca.present_at_opening) == (LATER, 3)
    assert ca.party_lists[("South", "SR")].candidates == ["s1", "s2"]
    assert ("North", "Left SR") not in ca.party_lists
    assert ca.term_ends == LATER  # dissolved
    assert ca.house_on(LATER + dt.timedelta(days=1)) == {}
    report = reopened.verify()
    assert report.ok, report
