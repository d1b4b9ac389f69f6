"""No order is ever valid without its countersignature: random sequences of issue,
countersign, return, appoint, recall and act, under each rule of countersignature.

Each step is decided by the rules (a refusal records nothing) and applied; after every
step, every valid order's countersignatures meet its committee's rule, a pending one's
do not, and every action taken on an order, or of a restricted type, rests on a valid
order (of a commissioner). Replaying the events gives the same state; on SQLite the
live tables equal the replay (``verify``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.domain import order_rules as orr
from soviet.domain import rules
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation, replay

D = dt.date(1917, 10, 21)
MEMBERS = ["a", "b", "c"]
PEOPLE = ["cm1", "cm2", "x"]
UNITS = ["All", "Two", "Roles"]

_member = st.sampled_from([*MEMBERS, "x"])
_order = st.integers(0, 7)  # an order by its place among those issued (6, 7: unknown)
_STEPS = {
    "issue": st.tuples(
        st.sampled_from(UNITS),
        st.sampled_from(PEOPLE),
        st.booleans(),
        st.sampled_from(["issue-arms", "march"]),
    ),
    "countersign": st.tuples(_member, _order),
    "return": st.tuples(_member, _order),
    "appoint": st.tuples(st.sampled_from(UNITS), st.sampled_from(PEOPLE)),
    "recall": st.tuples(st.sampled_from(UNITS), st.sampled_from(PEOPLE)),
    "act": st.tuples(
        st.sampled_from(UNITS),
        st.sampled_from(["issue-arms", "march"]),
        st.one_of(st.none(), _order),
    ),
}
# Countersignatures come most often, so that many orders become valid.
_KINDS = ["issue"] * 3 + ["countersign"] * 6 + ["return", "appoint", "recall", "act", "act"]
step = st.sampled_from(_KINDS).flatmap(lambda k: _STEPS[k].map(lambda rest: (k, *rest)))


def setup_commands() -> list[cmd.Command]:
    return [
        cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000}),
        cmd.FormOversightCommittee(name="All", council="Soviet", members=MEMBERS, date=D),
        cmd.FormOversightCommittee(
            name="Two", council="Soviet", members=MEMBERS, rule="k-of-n", k=2, date=D
        ),
        cmd.FormOversightCommittee(
            name="Roles",
            council="Soviet",
            members=MEMBERS,
            rule="roles",
            roles={"a": "chair", "b": "secretary"},
            required_roles=["chair", "secretary"],
            date=D,
        ),
        *(
            cmd.CreateUnit(name=u, council="Soviet", committee=u, restricted=["issue-arms"], date=D)
            for u in UNITS
        ),
        *(cmd.AppointCommissioner(unit=u, member="cm1", date=D) for u in UNITS),
    ]


def to_command(s: tuple[Any, ...], orders: list[int]) -> cmd.Command:
    """The step's command; an order is named by its place among the orders issued so far
    (so that countersignatures fall on orders that exist), or a number past them."""
    kind = s[0]
    if kind in ("countersign", "return", "act") and s[-1] is not None:
        numbers = orders or [1]
        s = (*s[:-1], numbers[s[-1] % len(numbers)] if s[-1] < 6 else s[-1])
    if kind == "issue":
        _, unit, who, by_commissioner, action = s
        return cmd.IssueOrder(
            unit=unit,
            issuer=who,
            by_commissioner=by_commissioner,
            action=action,
            text="t",
            date=D,
        )
    if kind == "countersign":
        return cmd.CountersignOrder(order=s[2], member=s[1], date=D)
    if kind == "return":
        return cmd.ReturnOrder(order=s[2], member=s[1], reason="not countersigned", date=D)
    if kind == "appoint":
        return cmd.AppointCommissioner(unit=s[1], member=s[2], date=D)
    if kind == "recall":
        return cmd.RecallCommissioner(unit=s[1], member=s[2], date=D)
    return cmd.TakeAction(unit=s[1], action=s[2], taken_by="x", order=s[3], date=D)


def decide(org: Organisation, c: cmd.Command) -> Event:
    """The rule each command calls (as its handler does)."""
    match c:
        case cmd.CreateCouncil():
            return rules.create_council(org, c.name, c.seat_rule)
        case cmd.FormOversightCommittee():
            return orr.form_committee(
                org,
                c.name,
                c.council,
                c.members,
                c.rule,
                c.date,
                k=c.k,
                roles=c.roles,
                required_roles=c.required_roles,
            )
        case cmd.CreateUnit():
            return orr.create_unit(
                org, c.name, c.council, c.date, committee=c.committee, restricted=c.restricted
            )
        case cmd.IssueOrder():
            return orr.issue_order(
                org, c.unit, c.issuer, c.action, c.text, c.date, by_commissioner=c.by_commissioner
            )
        case cmd.CountersignOrder():
            return orr.countersign_order(org, c.order, c.member, c.date)
        case cmd.ReturnOrder():
            return orr.return_order(org, c.order, c.member, c.reason, c.date)
        case cmd.AppointCommissioner():
            return orr.appoint_commissioner(org, c.unit, c.member, c.date)
        case cmd.RecallCommissioner():
            return orr.recall_commissioner(org, c.unit, c.member, c.date)
        case cmd.TakeAction():
            return orr.take_action(org, c.unit, c.action, c.taken_by, c.date, order=c.order)
    raise AssertionError(c)


#: Each committee's rule written out again, apart from the code under test.
ORACLE = {
    "All": lambda signed: signed == {"a", "b", "c"},
    "Two": lambda signed: len(signed & {"a", "b", "c"}) >= 2,
    "Roles": lambda signed: {"a", "b"} <= signed,
}


def check_invariants(org: Organisation) -> None:
    for o in org.unit_orders.values():
        k = org.oversight_committees[o.committee]
        assert (o.status == "valid") == ORACLE[o.committee](set(o.countersigned_by)) or (
            o.status == "returned" and not ORACLE[o.committee](set(o.countersigned_by))
        ), o
        assert set(o.countersigned_by) <= set(k.members)
        assert len(set(o.countersigned_by)) == len(o.countersigned_by)
        if o.status == "valid":
            assert k.satisfied_by(o.countersigned_by), o
            assert o.valid_on is not None
        else:
            assert not k.satisfied_by(o.countersigned_by) or o.status == "returned", o
            assert o.valid_on is None
        # A returned order was never valid: returning needs a pending order.
        if o.status == "returned":
            assert not k.satisfied_by(o.countersigned_by)
    for a in org.unit_actions.values():
        unit = org.units[a.unit]
        if a.order is not None:
            o = org.unit_orders[a.order]
            assert o.status == "valid" and o.unit == a.unit and o.action == a.action
        if a.action in unit.restricted:
            assert a.order is not None and org.unit_orders[a.order].by_commissioner


@settings(max_examples=300, deadline=None)
@given(st.lists(step, min_size=10, max_size=40))
def test_no_order_is_valid_without_its_countersignature(steps: list[tuple[Any, ...]]) -> None:
    org = Organisation()
    events: list[Event] = []
    for c in setup_commands():
        e = decide(org, c)
        org.apply(e)
        events.append(e)
    for s in steps:
        try:
            e = decide(org, to_command(s, sorted(org.unit_orders)))
        except DomainError:
            continue
        org.apply(e)
        events.append(e)
        check_invariants(org)
    assert replay(events) == org


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=5, max_size=25))
def test_the_live_tables_equal_the_replay_on_sqlite(
    steps: list[tuple[Any, ...]], tmp_path_factory: Any
) -> None:
    db = tmp_path_factory.mktemp("orders") / "s.db"
    service = open_service(str(db), initialise=True)
    for c in setup_commands():
        service.handle(c, "t")
    for s in steps:
        try:
            orders = service.query(lambda org: sorted(org.unit_orders))
            service.handle(to_command(s, orders), "t")
        except DomainError:
            continue
    check_invariants(service.state())
    report = service.verify()
    assert report.ok, report
