"""No decree is in force that the rules do not allow: random sequences of grant, appoint,
dismiss, issue, ratify, annul and lapse.

Each step is decided by the rules (a refusal records nothing) and applied; after every
step an oracle written apart from the code checks every decree: in force at signing only
when urgent under urgent powers granted by then, ratification or annulment applied at most
once and only to an open decree, a lapse only past the deadline. Replaying the events
gives the same state; on SQLite the live tables equal the replay (``verify``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.domain import executive_rules as xr
from soviet.domain import rules
from soviet.domain.congress_rules.call import call_congress
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation, replay

D = dt.date(1917, 10, 26)
DEPARTMENTS = ["Labour", "Food", "War"]
REGISTRIES = ["1", "2", "3", "4", "5"]
BODIES = ["Congress", "Elsewhere"]

_STEPS = {
    "grant": st.tuples(st.sampled_from(BODIES), st.integers(0, 4)),
    "appoint": st.tuples(st.sampled_from(DEPARTMENTS), st.sampled_from(["m1", "m2"])),
    "dismiss": st.tuples(st.sampled_from(DEPARTMENTS), st.sampled_from(BODIES)),
    "issue": st.tuples(st.sampled_from(REGISTRIES), st.sampled_from(DEPARTMENTS), st.booleans()),
    "ratify": st.tuples(st.sampled_from(REGISTRIES), st.sampled_from(BODIES)),
    "annul": st.tuples(st.sampled_from(REGISTRIES), st.sampled_from(BODIES)),
    "lapse": st.tuples(st.sampled_from(REGISTRIES)),
}
_KINDS = ["grant", "appoint", "appoint", "dismiss", "issue", "issue", "issue"]
_KINDS += ["ratify", "annul", "lapse", "lapse"]
# A step is its kind, its fields and how many days after the last step it falls.
step = st.tuples(
    st.sampled_from(_KINDS).flatmap(lambda k: _STEPS[k].map(lambda rest: (k, *rest))),
    st.integers(0, 3),
)


def setup(org: Organisation) -> list[Event]:
    """A council, its congress and the congress's council of commissioners."""
    events = [
        rules.create_council(org, "Soviet", {"method": "per-unit", "per": 1000}, may_convene=["*"]),
    ]
    org.apply(events[0])
    for e in (
        lambda: call_congress(org, "Congress", "Soviet", D, D, quorum="1/2", senders={"Soviet": 3}),
        lambda: xr.form_council(org, "Sovnarkom", "Congress", D),
    ):
        event = e()
        org.apply(event)
        events.append(event)
    return events


def to_command(s: tuple[Any, ...], date: dt.date) -> cmd.Command:
    kind = s[0]
    k = "Sovnarkom"
    if kind == "grant":
        return cmd.GrantUrgentPowers(council=k, by=s[1], ratify_within_days=s[2], date=date)
    if kind == "appoint":
        return cmd.AppointDepartmentHead(
            council=k, department=s[1], member=s[2], by="Congress", date=date
        )
    if kind == "dismiss":
        return cmd.DismissDepartmentHead(council=k, department=s[1], by=s[2], date=date)
    if kind == "issue":
        return cmd.IssueDecree(
            council=k, registry=s[1], title="T", text="t", department=s[2], urgent=s[3], date=date
        )
    if kind == "ratify":
        return cmd.RatifyDecree(registry=s[1], by=s[2], date=date)
    if kind == "annul":
        return cmd.AnnulDecree(registry=s[1], by=s[2], date=date)
    return cmd.LapseDecree(registry=s[1], date=date)


def decide(org: Organisation, c: cmd.Command) -> Event:
    """The rule each command calls (as its handler does)."""
    match c:
        case cmd.GrantUrgentPowers():
            return xr.grant_urgent_powers(org, c.council, c.by, c.ratify_within_days, c.date)
        case cmd.AppointDepartmentHead():
            return xr.appoint_head(org, c.council, c.department, c.member, c.by, c.date)
        case cmd.DismissDepartmentHead():
            return xr.dismiss_head(org, c.council, c.department, c.by, c.date)
        case cmd.IssueDecree():
            return xr.issue_decree(
                org, c.council, c.registry, c.title, c.text, c.department, c.date, urgent=c.urgent
            )
        case cmd.RatifyDecree():
            return xr.ratify_decree(org, c.registry, c.by, c.date)
        case cmd.AnnulDecree():
            return xr.annul_decree(org, c.registry, c.by, c.date)
        case cmd.LapseDecree():
            return xr.lapse_decree(org, c.registry, c.date)
    raise AssertionError(c)


def check_invariants(
    org: Organisation, grants: list[tuple[dt.date, int]], powers: dict[str, bool]
) -> None:
    """``grants``: the (date, days) of every grant of urgent powers, in order;
    ``powers``: whether urgent powers had been granted when each decree was issued."""
    for d in org.executive_decrees.values():
        opened = d.history[0][1]
        in_force = d.urgent and powers[d.registry]
        assert opened == ("in-force-pending-ratification" if in_force else "draft"), d
        states = [h[1] for h in d.history]
        # At most one decision after signing, and never a second ratification or annulment.
        assert len(states) <= 2, d
        assert states[-1] == d.status
        if d.status == "lapsed":
            assert opened == "in-force-pending-ratification"
            # The deadline in force when it lapsed is the latest grant's.
            days = grants[-1][1]
            assert dt.date.fromisoformat(d.history[1][0]) > d.signed_on + dt.timedelta(days=days)
        if d.status in ("ratified", "annulled"):
            assert d.history[1][2] == "Congress"


def run(org: Organisation, steps: list[tuple[Any, ...]]) -> tuple[list[Event], list[Any]]:
    events = setup(org)
    grants: list[tuple[dt.date, int]] = []
    powers: dict[str, bool] = {}
    date = D
    for s, gap in steps:
        date += dt.timedelta(days=gap)
        try:
            e = decide(org, to_command(s, date))
        except DomainError:
            continue
        org.apply(e)
        events.append(e)
        if s[0] == "grant":
            grants.append((date, s[2]))
        if s[0] == "issue":
            powers[s[1]] = bool(grants)
        check_invariants(org, grants, powers)
    return events, grants


@settings(max_examples=100, deadline=None)
@given(st.lists(step, min_size=10, max_size=40))
def test_no_decree_in_force_that_the_rules_do_not_allow(steps: list[Any]) -> None:
    org = Organisation()
    events, _ = run(org, steps)
    assert replay(events) == org


def test_ratification_applies_once_and_names_the_decree() -> None:
    org = Organisation()
    run(org, [])
    org.apply(xr.appoint_head(org, "Sovnarkom", "Labour", "m1", "Congress", D))
    org.apply(xr.issue_decree(org, "Sovnarkom", "7", "Eight hours", "t", "Labour", D))
    org.apply(xr.ratify_decree(org, "7", "Congress", D))
    try:
        xr.annul_decree(org, "7", "Congress", D)
    except DomainError as err:
        assert str(err) == "decree '7' is ratified and cannot be annulled"
        assert (err.field, err.value) == ("registry", "7")
    else:  # pragma: no cover
        raise AssertionError("a second decision was allowed")


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=5, max_size=25))
def test_the_live_tables_equal_the_replay_on_sqlite(
    steps: list[Any], tmp_path_factory: Any
) -> None:
    db = tmp_path_factory.mktemp("executive") / "s.db"
    service = open_service(str(db), initialise=True)
    service.handle(
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        ),
        "t",
    )
    service.handle(
        cmd.CallCongress(
            name="Congress",
            convened_by="Soviet",
            date=D,
            opens_on=D,
            quorum="1/2",
            senders={"Soviet": 3},
        ),
        "t",
    )
    service.handle(cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=D), "t")
    date = D
    for s, gap in steps:
        date += dt.timedelta(days=gap)
        try:
            service.handle(to_command(s, date), "t")
        except DomainError:
            continue
    live = service.state()
    org = Organisation()
    run(org, steps)
    assert {r: d.status for r, d in live.executive_decrees.items()} == {
        r: d.status for r, d in org.executive_decrees.items()
    }
    report = service.verify()
    assert report.ok, report
