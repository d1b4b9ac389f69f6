"""Weighted votes, proxies and mandates against votes, end to end on SQLite and
PostgreSQL: tallies by weight and by heads, a proxy counted once, the mandate report, a
recall opened from it, and replay == live (``verify``)."""

from __future__ import annotations

import datetime as dt

import pytest

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.application.service import CouncilService
from soviet.domain.errors import DomainError
from soviet.domain.rules import Candidate
from soviet.views import weighting as views

D = dt.date(1917, 10, 1)
OPENS = dt.date(1917, 10, 25)
C = "Congress"


@pytest.fixture
def service(database_url: str) -> CouncilService:
    migrate(database_url)
    service = open_service(database_url)
    h = lambda c: service.handle(c, "t")  # noqa: E731
    h(
        cmd.CreateCouncil(
            name="Soviet",
            seat_rule={"method": "per-unit", "per": 1000, "minimum": 1},
            may_convene=["*"],
        )
    )
    h(cmd.CreateConstituency(name="Works", council="Soviet", headcount=3001))
    h(cmd.CreateConstituency(name="Mill", council="Soviet", headcount=1000))
    h(cmd.CreateConstituency(name="Shop", council="Soviet", headcount=200))
    h(
        cmd.ElectDelegates(
            constituency="Works",
            candidates=[Candidate("A1", "B", 9), Candidate("A2", "B", 8), Candidate("A3", "B", 7)],
            method="block",
            date=D,
        )
    )
    h(cmd.ElectDelegates(constituency="Mill", candidates=[Candidate("M1", "L", 9)], date=D))
    h(cmd.ElectDelegates(constituency="Shop", candidates=[Candidate("S1", "L", 9)], date=D))
    h(cmd.AdoptMandate(constituency="Shop", text="Vote for peace", date=D))
    h(
        cmd.CallCongress(
            name=C,
            convened_by="Soviet",
            date=D,
            opens_on=OPENS,
            quorum="1/2",
            senders={"Soviet": 5},
            proxies=True,
        )
    )
    for name in ("A1", "A2", "A3", "M1", "S1"):
        h(cmd.PresentCredential(congress=C, delegate=name, sent_by="Soviet", elected_on=D, date=D))
    h(cmd.RuleOnCredentials(congress=C, credentials=None, accept=True, date=D))
    h(cmd.OpenCongress(congress=C, date=OPENS))
    h(cmd.RegisterAttendance(congress=C, arriving=True, date=OPENS, credentials=[1, 2, 3, 4, 5]))
    h(cmd.TableMotion(congress=C, title="Peace", text="Peace now", mover=1, date=OPENS))
    return service


def test_weighted_vote_with_a_proxy_and_a_broken_mandate(service: CouncilService) -> None:
    h = lambda c: service.handle(c, "t")  # noqa: E731
    h(cmd.BindMandate(mandate=1, congress=C, motion=1, position="for", date=OPENS))
    h(cmd.DeclareWeight(congress=C, credential=4, weight=5000, date=OPENS))
    h(cmd.GrantProxy(congress=C, giver=2, holder=1, date=OPENS))
    with pytest.raises(DomainError, match="a proxy cannot be passed on"):
        h(cmd.GrantProxy(congress=C, giver=1, holder=3, date=OPENS))
    with pytest.raises(DomainError, match="secret ballot cannot be weighted"):
        h(cmd.OpenVote(congress=C, motion=1, date=OPENS, mode="secret", weighted=True))
    h(cmd.OpenVote(congress=C, motion=1, date=OPENS, mode="roll-call", weighted=True))
    with pytest.raises(DomainError, match="revoke it to vote in person"):
        h(cmd.CastVote(congress=C, vote=1, credential=2, choice="for", date=OPENS))
    entry = h(
        cmd.CastVote(congress=C, vote=1, credential=1, choice="for", date=OPENS, proxies=True)
    )
    assert entry.data()["payload"]["proxy_for"] == [2]
    assert entry.data()["payload"]["weights"] == {"1": 1001, "2": 1000}
    with pytest.raises(DomainError, match="already voted"):
        h(cmd.CastVote(congress=C, vote=1, credential=2, choice="for", date=OPENS))
    h(cmd.CastVote(congress=C, vote=1, credential=3, choice="for", date=OPENS))
    h(cmd.CastVote(congress=C, vote=1, credential=4, choice="against", date=OPENS))
    h(cmd.CastVote(congress=C, vote=1, credential=5, choice="against", date=OPENS))
    closed = h(cmd.CloseVote(congress=C, vote=1, date=OPENS)).data()["payload"]
    assert closed["counts"] == {"for": 3, "against": 2, "abstain": 0}  # carried by heads
    assert closed["weighted_counts"] == {"for": 3001, "against": 5200, "abstain": 0}
    assert closed["entitled_weight"] == 8201 and closed["carried"] is False  # lost by weight
    report = service.query(lambda org: views.mandate_report(org, C, 1))
    assert [(r["delegate"], r["position"], r["choice"]) for r in report["against_mandate"]] == [
        ("S1", "for", "against")
    ]
    with pytest.raises(DomainError, match="no sitting delegate of 'Mill'"):
        h(
            cmd.RecallOnMandate(
                congress=C, vote=1, constituency="Mill", opened_by="Mill#1", date=OPENS
            )
        )
    opened = h(
        cmd.RecallOnMandate(congress=C, vote=1, constituency="Shop", opened_by="Shop#1", date=OPENS)
    )
    assert opened.data()["payload"]["bindings"] == [1]
    report = service.query(lambda org: views.mandate_report(org, C, 1))
    assert report["against_mandate"][0]["recall_petition"] == 1
    h(cmd.RevokeProxy(congress=C, giver=2, date=OPENS))
    assert service.verify().ok
