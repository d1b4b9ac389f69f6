"""Roles derived from the state, and the permission table (pure: no HTTP).

The world is tests/accounts_world.py's; each test changes it with commands and reads the
roles again, as the API does on each request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from accounts_world import build
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.application.authorization import (
    PERMISSIONS,
    SCOPE_OF,
    Forbidden,
    Principal,
    Role,
    actor,
    authorize,
    roles,
)
from soviet.application.service import CouncilService
from soviet.domain.errors import UnknownEntity

DAY = dt.date(1917, 10, 26)
SEC = Principal(2, "member:sec-1")
D1 = Principal(3, "credential:Congress:1")
D2 = Principal(4, "credential:Congress:2")


@pytest.fixture
def service(tmp_path: Path) -> CouncilService:
    service = open_service(str(tmp_path / "world.db"), initialise=True)
    build(service)
    return service


def held(service: CouncilService, principal: Principal) -> set[Role]:
    return set(service.query(lambda org: roles(principal, org)))


def test_roles_follow_the_roll_the_appointments_and_the_credentials(
    service: CouncilService,
) -> None:
    assert held(service, Principal(1, "admin:root", admin=True)) == {
        Role("observer"),
        Role("admin"),
    }
    assert held(service, Principal(5, "member:e0-1")) == {
        Role("observer"),
        Role("elector", "Shop 0"),
    }
    assert held(service, Principal(6, "member:nobody")) == {Role("observer")}
    assert held(service, SEC) == {
        Role("observer"),
        Role("secretary", "Soviet"),
        Role("secretary", "Empty Soviet"),
        Role("secretary", "Quiet Soviet"),
        # No presidium yet, and the calls named the council as credentials committee.
        Role("chair", "Congress"),
        Role("chair", "Later Congress"),
        Role("credentials-committee", "Congress"),
        Role("credentials-committee", "Later Congress"),
    }
    assert held(service, D2) == {Role("observer"), Role("delegate", "Congress", 2)}
    # A subject that names nothing the state knows holds nothing but observer.
    assert held(service, Principal(9, "credential:Nowhere:1")) == {Role("observer")}
    assert held(service, Principal(9, "credential:Congress:x")) == {Role("observer")}


def test_a_dismissed_secretary_loses_the_council_and_its_congresses(
    service: CouncilService,
) -> None:
    service.handle(cmd.DismissSecretary(council="Soviet", member="sec-1", date=DAY), "t")
    assert held(service, SEC) == {
        Role("observer"),
        Role("secretary", "Empty Soviet"),
        Role("secretary", "Quiet Soviet"),
    }
    command = cmd.CloseVote(congress="Congress", vote=1, date=DAY)
    with pytest.raises(Forbidden, match=r"CloseVote needs: chair of 'Congress'"):
        service.query(lambda org: authorize(command, SEC, org))


def test_an_elected_presidium_chairs_and_an_elected_committee_rules(
    service: CouncilService,
) -> None:
    service.handle(
        cmd.ElectCommittee(
            congress="Congress", committee="Presidium", seats=1, kind="presidium", date=DAY,
            candidates={"(no group)": ["D1"]},
        ),
        "t",
    )  # fmt: skip
    assert Role("chair", "Congress") in held(service, D1)
    assert Role("chair", "Congress") not in held(service, SEC)  # the presidium took over
    assert Role("chair", "Congress") not in held(service, D2)
    service.handle(
        cmd.ElectCommittee(
            congress="Congress", committee="Mandates", seats=1, kind="credentials", date=DAY,
            candidates={"(no group)": ["D2"]},
        ),
        "t",
    )  # fmt: skip
    assert Role("credentials-committee", "Congress") in held(service, D2)
    assert Role("credentials-committee", "Congress") not in held(service, SEC)
    ruling = cmd.ReconsiderCredential(
        congress="Congress", credential=5, accept=False, reason="r", date=DAY
    )
    role = service.query(lambda org: authorize(ruling, D2, org))
    assert role == Role("credentials-committee", "Congress")
    assert actor(D2, role) == "account:4/credentials-committee"


def test_a_rejected_credential_is_no_delegate(service: CouncilService) -> None:
    service.handle(
        cmd.ReconsiderCredential(
            congress="Congress", credential=2, accept=False, reason="forged", date=DAY
        ),
        "t",
    )
    assert held(service, D2) == {Role("observer")}
    vote = cmd.CastVote(congress="Congress", vote=1, credential=2, choice="for", date=DAY)
    with pytest.raises(Forbidden, match="delegate of 'Congress'"):
        service.query(lambda org: authorize(vote, D2, org))


def test_a_moved_elector_acts_in_their_new_constituency(service: CouncilService) -> None:
    e = Principal(5, "member:e0-1")
    service.handle(cmd.MoveElector(elector="e0-1", to="Shop 1", date=DAY), "t")
    assert held(service, e) == {Role("observer"), Role("elector", "Shop 1")}
    sign = cmd.SignRecall(petition=1, electors=["e0-1"], date=DAY)
    with pytest.raises(Forbidden, match=r"elector of 'Shop 0'"):
        service.query(lambda org: authorize(sign, e, org))


def test_an_unknown_scope_is_the_rules_unknown_entity(service: CouncilService) -> None:
    sign = cmd.SignRecall(petition=99, electors=["e0-1"], date=DAY)
    with pytest.raises(UnknownEntity, match="petition"):
        service.query(lambda org: authorize(sign, Principal(5, "member:e0-1"), org))


def test_every_grant_names_a_known_role_and_a_scope_field_the_command_has() -> None:
    for command, permission in PERMISSIONS.items():
        assert permission.grants, command.__name__
        fields = {f.name for f in dataclasses.fields(command)}
        for grant in permission.grants:
            assert grant.kind in SCOPE_OF
            assert grant.kind != "observer"  # observers only read
        assert set(permission.self_fields) <= fields, command.__name__


def test_a_role_lost_between_the_snapshot_and_the_transaction_writes_nothing(
    service: CouncilService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from soviet.adapters.http.commands import decide

    query = service.query

    def query_then_dismiss(view: Any, as_of: int | None = None) -> Any:
        found = query(view, as_of)
        # The dismissal lands after the role was read, before the command's transaction.
        service.handle(cmd.DismissSecretary(council="Soviet", member="sec-1", date=DAY), "t")
        return found

    monkeypatch.setattr(service, "query", query_then_dismiss)
    enrol = cmd.EnrolElectors(constituency="Shop 1", electors=["late"], date=DAY)
    before = service.last_seq()
    with pytest.raises(Forbidden, match="EnrolElectors needs: secretary of 'Soviet'"):
        decide(service, enrol, SEC)
    assert service.last_seq() == before + 1  # the dismissal only
    assert list(service.history(start=before + 1))[-1].type == "SecretaryDismissed"
