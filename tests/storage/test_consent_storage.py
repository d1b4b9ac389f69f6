"""Consent workflows round trip on SQLite and PostgreSQL (migration 0016): the
decree-no-1 replay's rules and cases survive a reopen, a refused step writes nothing, and
``verify`` proves the live tables equal the ledger's replay."""

from __future__ import annotations

import datetime as dt

import pytest

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.scenario_file import load_scenario
from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.application.scenario import run_scenario
from soviet.domain.errors import DomainError
from soviet.views.consent import consent


def test_rules_and_cases_round_trip_and_verify(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)
    run_scenario(service, load_scenario(scenario_path("decree-no-1")), "t")
    before = service.query(consent)
    seq = service.last_seq()
    with pytest.raises(DomainError, match="already finally decided"):
        service.handle(cmd.DecideAction(number=1, consent=True, date=dt.date(1917, 11, 24)), "t")
    assert service.last_seq() == seq
    reopened = open_service(database_url)
    assert reopened.query(consent) == before
    assert [a["effective"] for a in before["actions"]] == [False, True, True, False]
    reopened.handle(
        cmd.ProposeAction(
            rule="Decree No. 1, section 1 (workers)",
            action="hire",
            subject="a carder",
            proposed_by="The management",
            date=dt.date(1917, 11, 30),
        ),
        "t",
    )
    pending = open_service(database_url).query(lambda org: org.workplace_actions[5])
    assert (pending.status, pending.effective, pending.final) == ("pending", False, False)
    report = reopened.verify()
    assert report.ok, report
