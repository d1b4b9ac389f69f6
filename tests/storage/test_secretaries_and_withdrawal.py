"""Secretaries of councils and withdrawn signatures: the rules, the live table, replay.

Each change is checked by ``verify``: the live tables must equal the state the ledger
rebuilds (decision 0009), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from accounts_world import build
from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.application.service import CouncilService
from soviet.domain import events as ev
from soviet.domain.errors import DomainError, UnknownEntity

DAY = dt.date(1917, 10, 26)


@pytest.fixture
def service(database_url: str) -> CouncilService:
    migrate(database_url)
    service = open_service(database_url)
    build(service)
    return service


def _payload(service: CouncilService) -> dict[str, object]:
    last = list(service.history(start=service.last_seq()))[-1]
    data: dict[str, object] = json.loads(last.payload)
    return data


def test_a_signature_is_withdrawn_once_and_only_from_an_open_petition(
    service: CouncilService,
) -> None:
    withdraw = cmd.WithdrawSignature(petition=1, elector="e0-2", date=DAY)
    service.handle(withdraw, "t")
    assert _payload(service) == {
        "petition": 1,
        "elector": "e0-2",
        "signatures": 0,
        "date": "1917-10-26",
    }
    assert service.query(lambda org: dict(org.petitions[1].signatures)) == {}
    with pytest.raises(DomainError, match="'e0-2' has not signed petition 1"):
        service.handle(withdraw, "t")
    service.handle(cmd.SignRecall(petition=1, electors=["e0-2"], date=DAY), "t")  # again
    with pytest.raises(DomainError, match="before 'e0-2' signed"):
        service.handle(dataclasses.replace(withdraw, date=dt.date(1917, 10, 1)), "t")
    with pytest.raises(UnknownEntity):
        service.handle(cmd.WithdrawSignature(petition=9, elector="e0-2", date=DAY), "t")
    assert service.verify().ok


def test_secretaries_are_appointed_dismissed_renamed_and_removed_with_their_council(
    service: CouncilService,
) -> None:
    with pytest.raises(DomainError, match="already a secretary"):
        service.handle(cmd.AppointSecretary(council="Soviet", member="sec-1", date=DAY), "t")
    with pytest.raises(DomainError, match="'e0-1' is not a secretary of 'Soviet'"):
        service.handle(cmd.DismissSecretary(council="Soviet", member="e0-1", date=DAY), "t")
    with pytest.raises(UnknownEntity):
        service.handle(cmd.AppointSecretary(council="Nowhere", member="x", date=DAY), "t")
    service.handle(cmd.DismissSecretary(council="Soviet", member="sec-2", date=DAY), "t")
    dismissed = _payload(service)
    assert dismissed["member"] == "sec-2" and dismissed["date"] == "1917-10-26"
    # Appointed again: a new appointment, the old one kept with its end.
    service.handle(cmd.AppointSecretary(council="Soviet", member="sec-2", date=DAY), "t")
    rows = service.query(
        lambda org: [
            (s.number, s.member, s.dismissed_on)
            for s in sorted(org.secretaries.values(), key=lambda s: s.number)
            if s.council == "Soviet"
        ]
    )
    assert [(m, end) for _, m, end in rows] == [("sec-1", None), ("sec-2", DAY), ("sec-2", None)]
    service.handle(cmd.RenameCouncil(council="Quiet Soviet", to="Calm Soviet", date=DAY), "t")
    assert service.query(lambda org: org.is_secretary("Calm Soviet", "sec-1"))
    assert not service.query(lambda org: org.is_secretary("Quiet Soviet", "sec-1"))
    service.handle(cmd.RemoveCouncil(council="Empty Soviet", date=DAY), "t")
    assert service.query(lambda org: org.secretaries_of("Empty Soviet")) == []
    assert service.verify().ok


def test_self_registration_is_recorded_only_when_allowed(service: CouncilService) -> None:
    calls = [e for e in service.history() if e.type == "CongressCalled"]
    first, later = (json.loads(e.payload) for e in calls)
    assert first["self_registration"] is True
    assert "self_registration" not in later  # unset: old calls hash as they did
    assert ev.CongressCalled.from_payload(later).self_registration is None
    assert service.query(lambda org: org.congresses["Later Congress"].self_registration) is False
