"""Units, oversight committees, commissioners and countersigned orders: every rule and
error, on SQLite and PostgreSQL, with ``verify`` proving the live tables equal the
ledger's replay after each scene (decision 0009)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.application.service import CouncilService
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity
from soviet.views.orders import unit_log, units

D = dt.date(1917, 10, 21)
D2 = dt.date(1917, 10, 22)
D3 = dt.date(1917, 10, 23)


@pytest.fixture
def service(database_url: str) -> CouncilService:
    migrate(database_url)
    service = open_service(database_url)
    h = _h(service)
    h(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}))
    h(cmd.CreateCouncil(name="Other", seat_rule={"method": "per-unit", "per": 1000}))
    h(cmd.CreateConstituency(name="Pavlovsky", council="Soviet", headcount=900))
    h(cmd.CreateConstituency(name="Elsewhere", council="Other", headcount=10))
    h(cmd.FormOversightCommittee(name="MRC", council="Soviet", members=["a", "b", "c"], date=D))
    h(
        cmd.CreateUnit(
            name="Pavlovsky Regiment",
            council="Soviet",
            constituency="Pavlovsky",
            committee="MRC",
            restricted=["issue-arms"],
            date=D,
        )
    )
    h(cmd.AppointCommissioner(unit="Pavlovsky Regiment", member="cm", date=D))
    return service


def _h(service: CouncilService) -> Any:
    return lambda c: service.handle(c, "t")


def _payload(service: CouncilService) -> dict[str, Any]:
    last = list(service.history(start=service.last_seq()))[-1]
    data: dict[str, Any] = json.loads(last.payload)
    return data


def _refused(service: CouncilService, command: cmd.Command, match: str, field: str) -> None:
    before = service.last_seq()
    with pytest.raises(DomainError, match=match) as raised:
        service.handle(command, "t")
    assert raised.value.field == field
    assert service.last_seq() == before  # nothing written


ARMS = cmd.IssueOrder(
    unit="Pavlovsky Regiment", issuer="cm", action="issue-arms", text="Issue rifles", date=D2
)


def test_an_order_is_valid_only_when_every_member_has_countersigned(
    service: CouncilService,
) -> None:
    h = _h(service)
    h(ARMS)
    assert _payload(service) == {
        "number": 1,
        "unit": "Pavlovsky Regiment",
        "issuer": "cm",
        "by_commissioner": True,
        "action": "issue-arms",
        "text": "Issue rifles",
        "committee": "MRC",
        "date": "1917-10-22",
    }
    act = cmd.TakeAction(
        unit="Pavlovsky Regiment", action="issue-arms", taken_by="cm", order=1, date=D3
    )
    for member, valid in (("a", False), ("b", False)):
        h(cmd.CountersignOrder(order=1, member=member, date=D2))
        assert _payload(service)["valid"] is valid
        _refused(
            service,
            act,
            r"order 1 is not valid: it awaits the countersignature of 'MRC' "
            r"\(all 3 members; \d signed\)",
            "order",
        )
    h(cmd.CountersignOrder(order=1, member="c", date=D2))
    assert _payload(service) == {
        "order": 1,
        "member": "c",
        "signatures": 3,
        "valid": True,
        "date": "1917-10-22",
    }
    h(act)
    log = service.query(unit_log("Pavlovsky Regiment"))
    (order,) = log["orders"]
    assert order["status"] == "valid" and order["countersigned_by"] == ["a", "b", "c"]
    assert order["valid_on"] == "1917-10-22" and order["actions"] == [1]
    assert log["counts"] == {"valid": 1, "pending": 0, "returned": 0}
    assert log["actions"] == [
        {
            "number": 1,
            "action": "issue-arms",
            "taken_by": "cm",
            "taken_on": "1917-10-23",
            "order": 1,
        }
    ]
    _refused(
        service,
        cmd.CountersignOrder(order=1, member="a", date=D3),
        "order 1 is valid",
        "order",
    )
    assert service.verify().ok


def test_an_order_is_returned_with_the_reason_and_can_then_not_be_acted_on(
    service: CouncilService,
) -> None:
    h = _h(service)
    h(
        cmd.IssueOrder(
            unit="Pavlovsky Regiment",
            issuer="District Staff",
            by_commissioner=False,
            action="march",
            text="March to the front",
            date=D2,
        )
    )
    h(cmd.CountersignOrder(order=1, member="a", date=D2))
    _refused(
        service,
        cmd.ReturnOrder(order=1, member="a", reason="  ", date=D2),
        "reason must not be empty",
        "reason",
    )
    _refused(
        service,
        cmd.ReturnOrder(order=1, member="cm", reason="no", date=D2),
        "'cm' is not a member of the committee 'MRC'",
        "member",
    )
    h(cmd.ReturnOrder(order=1, member="b", reason="Not countersigned by the MRC", date=D2))
    assert _payload(service)["reason"] == "Not countersigned by the MRC"
    _refused(
        service,
        cmd.TakeAction(unit="Pavlovsky Regiment", action="march", taken_by="x", order=1, date=D3),
        r"order 1 was returned by 'b' on 1917-10-22: Not countersigned by the MRC",
        "order",
    )
    _refused(
        service,
        cmd.CountersignOrder(order=1, member="c", date=D3),
        "order 1 was returned",
        "order",
    )
    _refused(
        service,
        cmd.ReturnOrder(order=1, member="c", reason="again", date=D3),
        "order 1 was returned",
        "order",
    )
    log = service.query(unit_log("Pavlovsky Regiment"))
    assert log["orders"][0]["status"] == "returned"
    assert log["orders"][0]["returned_by"] == "b"
    assert log["counts"] == {"valid": 0, "pending": 0, "returned": 1}
    assert service.verify().ok


def test_restricted_actions_need_a_valid_order_of_a_commissioner(
    service: CouncilService,
) -> None:
    h = _h(service)
    _refused(
        service,
        cmd.TakeAction(unit="Pavlovsky Regiment", action="issue-arms", taken_by="x", date=D2),
        "'issue-arms' in unit 'Pavlovsky Regiment' is valid only on order of its commissioners",
        "order",
    )
    _refused(
        service,
        dataclasses.replace(ARMS, issuer="Staff", by_commissioner=False),
        "valid only on order of its commissioners, and 'Staff' is not one",
        "issuer",
    )
    _refused(
        service,
        dataclasses.replace(ARMS, issuer="stranger"),
        "'stranger' is not a commissioner of unit 'Pavlovsky Regiment'",
        "issuer",
    )
    # An unrestricted action needs no order.
    h(cmd.TakeAction(unit="Pavlovsky Regiment", action="drill", taken_by="cm", date=D2))
    assert "order" not in _payload(service)
    h(ARMS)
    for m in "abc":
        h(cmd.CountersignOrder(order=1, member=m, date=D2))
    _refused(
        service,
        cmd.TakeAction(unit="Pavlovsky Regiment", action="drill", taken_by="cm", order=1, date=D2),
        "order 1 orders 'issue-arms', not 'drill'",
        "action",
    )
    _refused(
        service,
        cmd.TakeAction(
            unit="Pavlovsky Regiment",
            action="issue-arms",
            taken_by="cm",
            order=1,
            date=dt.date(1917, 10, 1),
        ),
        "date 1917-10-01 is before order 1 became valid",
        "date",
    )
    with pytest.raises(UnknownEntity, match="unknown order 9"):
        h(
            cmd.TakeAction(
                unit="Pavlovsky Regiment", action="drill", taken_by="cm", order=9, date=D2
            )
        )
    assert service.verify().ok


def test_commissioners_are_appointed_and_recalled_and_a_recalled_ones_order_lapses(
    service: CouncilService,
) -> None:
    h = _h(service)
    unit = "Pavlovsky Regiment"
    _refused(
        service,
        cmd.AppointCommissioner(unit=unit, member="cm", date=D2),
        "'cm' is already a commissioner",
        "member",
    )
    h(ARMS)
    h(cmd.RecallCommissioner(unit=unit, member="cm", date=D2))
    assert _payload(service) == {"unit": unit, "member": "cm", "number": 1, "date": "1917-10-22"}
    _refused(
        service,
        cmd.CountersignOrder(order=1, member="a", date=D2),
        "issued by 'cm', no longer a commissioner",
        "order",
    )
    _refused(
        service,
        cmd.RecallCommissioner(unit=unit, member="cm", date=D2),
        "'cm' is not a commissioner of unit",
        "member",
    )
    _refused(service, ARMS, "'cm' is not a commissioner", "issuer")
    h(cmd.AppointCommissioner(unit=unit, member="cm", date=D3))  # again: a new appointment
    assert _payload(service)["number"] == 2
    _refused(
        service,
        cmd.RecallCommissioner(unit=unit, member="cm", date=D),
        "date 1917-10-21 is before 'cm' was appointed",
        "date",
    )
    log = service.query(unit_log(unit))
    assert [(c["member"], c["recalled_on"]) for c in log["commissioners"]] == [
        ("cm", "1917-10-22"),
        ("cm", None),
    ]
    assert service.verify().ok


def test_k_of_n_and_named_roles(service: CouncilService) -> None:
    h = _h(service)
    h(
        cmd.FormOversightCommittee(
            name="Two of three",
            council="Soviet",
            members=["a", "b", "c"],
            rule="k-of-n",
            k=2,
            date=D,
        )
    )
    h(
        cmd.FormOversightCommittee(
            name="Bureau",
            council="Soviet",
            members=["p", "s", "m"],
            rule="roles",
            roles={"p": "chair", "s": "secretary"},
            required_roles=["chair", "secretary"],
            date=D,
        )
    )
    h(cmd.CreateUnit(name="Arsenal", council="Soviet", committee="Two of three", date=D))
    h(cmd.CreateUnit(name="Fortress", council="Soviet", date=D))
    _refused(
        service,
        cmd.IssueOrder(
            unit="Fortress", issuer="x", by_commissioner=False, action="a", text="t", date=D2
        ),
        "unit 'Fortress' has no oversight committee",
        "unit",
    )
    _refused(
        service,
        cmd.AppointCommissioner(unit="Fortress", member="x", date=D2),
        "unit 'Fortress' has no oversight committee",
        "unit",
    )
    h(cmd.PlaceUnit(unit="Fortress", committee="Bureau", date=D2))
    _refused(
        service,
        cmd.PlaceUnit(unit="Fortress", committee="Bureau", date=D2),
        "already overseen by 'Bureau'",
        "committee",
    )
    body = {"issuer": "Staff", "by_commissioner": False, "action": "guard", "text": "Guard"}
    h(cmd.IssueOrder(unit="Arsenal", date=D2, **body))
    h(cmd.CountersignOrder(order=1, member="c", date=D2))
    assert _payload(service)["valid"] is False
    h(cmd.CountersignOrder(order=1, member="a", date=D2))
    assert _payload(service)["valid"] is True
    h(cmd.IssueOrder(unit="Fortress", date=D2, **body))
    for member, valid in (("m", False), ("p", False), ("s", True)):
        h(cmd.CountersignOrder(order=2, member=member, date=D2))
        assert _payload(service)["valid"] is valid
    _refused(
        service,
        cmd.CountersignOrder(order=2, member="s", date=D2),
        "order 2 is valid",
        "order",
    )
    h(cmd.IssueOrder(unit="Fortress", date=D2, **body))
    h(cmd.CountersignOrder(order=3, member="p", date=D2))
    _refused(
        service,
        cmd.CountersignOrder(order=3, member="p", date=D2),
        "'p' has already countersigned order 3",
        "member",
    )
    pending = service.query(unit_log("Fortress"))["orders"][1]
    assert pending["needs"] == "chair and secretary"
    assert pending["awaiting"] == ["s", "m"]
    rows = {r["name"]: r["orders"] for r in service.query(units)}
    assert rows["Fortress"] == {"valid": 1, "pending": 1, "returned": 0}
    assert rows["Arsenal"] == {"valid": 1, "pending": 0, "returned": 0}
    assert service.verify().ok


@pytest.mark.parametrize(
    ("changes", "match", "field"),
    [
        ({"council": "Nowhere"}, "unknown council 'Nowhere'", "council"),
        ({"name": "MRC"}, "oversight committee 'MRC' already exists", "oversight committee"),
        ({"name": " "}, "committee name must not be empty", "name"),
        ({"members": []}, "at least one member", "members"),
        ({"members": ["a", "a"]}, "member 'a' is named twice", "members"),
        ({"rule": "most"}, "rule must be one of all, k-of-n, roles, got 'most'", "rule"),
        ({"rule": "k-of-n"}, "k between 1 and 2 .* got None", "k"),
        ({"rule": "k-of-n", "k": 3}, "k between 1 and 2 .* got 3", "k"),
        ({"k": 1}, "k is for the rule k-of-n, not all", "k"),
        ({"roles": {"z": "chair"}}, "roles names 'z', who is not a member", "roles"),
        ({"rule": "roles"}, "needs the roles whose signatures are required", "required_roles"),
        (
            {"rule": "roles", "roles": {"a": "chair"}, "required_roles": ["treasurer"]},
            "no member holds the required role 'treasurer'",
            "required_roles",
        ),
        ({"required_roles": ["chair"]}, "required_roles are for the rule roles", "required_roles"),
    ],
)
def test_a_committee_is_refused_with_the_field_named(
    service: CouncilService, changes: dict[str, Any], match: str, field: str
) -> None:
    base = cmd.FormOversightCommittee(name="New", council="Soviet", members=["a", "b"], date=D)
    _refused(service, dataclasses.replace(base, **changes), match, field)


@pytest.mark.parametrize(
    ("changes", "match", "field"),
    [
        ({"council": "Nowhere"}, "unknown council 'Nowhere'", "council"),
        ({"name": "Pavlovsky Regiment"}, "unit 'Pavlovsky Regiment' already exists", "unit"),
        ({"name": ""}, "unit name must not be empty", "name"),
        ({"constituency": "Nowhere"}, "unknown constituency 'Nowhere'", "constituency"),
        (
            {"constituency": "Elsewhere"},
            "constituency 'Elsewhere' is of council 'Other', not 'Soviet'",
            "constituency",
        ),
        ({"committee": "Nobody"}, "unknown oversight committee 'Nobody'", "oversight committee"),
        ({"committee": "MRC", "date": dt.date(1917, 10, 1)}, "before 'MRC' was formed", "date"),
        ({"restricted": ["x", "x"]}, "action 'x' is named twice", "restricted"),
        ({"restricted": [""]}, "action type must not be empty", "restricted"),
    ],
)
def test_a_unit_is_refused_with_the_field_named(
    service: CouncilService, changes: dict[str, Any], match: str, field: str
) -> None:
    base = cmd.CreateUnit(name="New", council="Soviet", date=D)
    _refused(service, dataclasses.replace(base, **changes), match, field)


def test_names_follow_renames_and_named_records_cannot_be_removed(
    service: CouncilService,
) -> None:
    h = _h(service)
    h(cmd.RenameConstituency(constituency="Pavlovsky", to="Pavlovsky reserve", date=D2))
    h(cmd.RenameCouncil(council="Soviet", to="Petrograd Soviet", date=D2))
    log = service.query(unit_log("Pavlovsky Regiment"))
    assert log["council"] == "Petrograd Soviet"
    assert log["constituency"] == "Pavlovsky reserve"
    assert log["committee"]["council"] == "Petrograd Soviet"
    _refused(
        service,
        cmd.RemoveConstituency(constituency="Pavlovsky reserve", date=D2),
        "named by unit 'Pavlovsky Regiment'",
        "constituency",
    )
    assert service.verify().ok


def test_unknown_names_and_dates_before_the_unit(service: CouncilService) -> None:
    with pytest.raises(UnknownEntity, match="unknown unit 'Nowhere'"):
        service.handle(cmd.AppointCommissioner(unit="Nowhere", member="x", date=D), "t")
    with pytest.raises(UnknownEntity, match="unknown order 4"):
        service.handle(cmd.CountersignOrder(order=4, member="a", date=D), "t")
    with pytest.raises(UnknownEntity, match="unknown unit 'Nowhere'"):
        service.query(unit_log("Nowhere"))
    _refused(
        service,
        dataclasses.replace(ARMS, date=dt.date(1917, 10, 1)),
        "date 1917-10-01 is before unit 'Pavlovsky Regiment' was created",
        "date",
    )
    _refused(service, dataclasses.replace(ARMS, text=" "), "order text must not be empty", "text")
    _refused(service, dataclasses.replace(ARMS, action=""), "action must not be empty", "action")
    with pytest.raises(AlreadyExists):
        service.handle(cmd.CreateUnit(name="Pavlovsky Regiment", council="Soviet", date=D), "t")


def test_the_log_as_of_an_earlier_event_is_the_replayed_one(service: CouncilService) -> None:
    h = _h(service)
    h(ARMS)
    seq = service.last_seq()
    for m in "abc":
        h(cmd.CountersignOrder(order=1, member=m, date=D2))
    before = service.query(unit_log("Pavlovsky Regiment"), seq)
    assert before["orders"][0]["status"] == "pending"
    assert before["orders"][0]["awaiting"] == ["a", "b", "c"]
    now = service.query(unit_log("Pavlovsky Regiment"))
    assert now["orders"][0]["status"] == "valid"
    assert service.verify().ok
