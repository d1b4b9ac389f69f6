"""Invariants under random sequences of elections, recalls and dissolutions."""

from __future__ import annotations

import datetime as dt

from factories import D, petrograd_like
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.domain import rules
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation, replay

C = rules.Candidate
CONSTITUENCIES = ["Putilov", "Workshop", "Shop"]

action = st.one_of(
    st.tuples(st.just("elect"), st.sampled_from(CONSTITUENCIES), st.integers(0, 3)),
    st.tuples(st.just("open"), st.sampled_from(CONSTITUENCIES), st.booleans()),
    st.tuples(st.just("sign"), st.integers(1, 6), st.integers(1, 2000)),
    st.tuples(st.just("dissolve"), st.just("Soviet"), st.just(0)),
)


def _signers(org: Organisation, petition: int, n: int) -> list[str]:
    p = org.petitions.get(petition)
    if p is None:
        return ["ann"]
    c = org.constituencies[p.constituency]
    if c.roll == "named":
        return sorted(e for e, home in org.electors.items() if home == c.name)[: max(1, n % 5)]
    return [f"{c.name}#{k}" for k in range(1, min(n, c.headcount) + 1)]


def _decide(org: Organisation, step: tuple[str, str | int, int | bool], day: dt.date) -> Event:
    kind, target, n = step
    if kind == "elect":
        return rules.elect(
            org,
            str(target),
            [C(f"c{i}{day}", "B" if i % 2 else "M", i) for i in range(4)],
            day,
            method="block" if len(rules.vacant_seats(org, str(target))) > 1 else "plurality",
        )
    if kind == "open":
        by = "ann" if target == "Shop" else f"{target}#1"
        return rules.open_recall(org, str(target), by, day, whole_delegation=bool(n))
    if kind == "sign":
        return rules.sign_recall(org, int(target), _signers(org, int(target), int(n)), day)
    return rules.dissolve(org, str(target), day)


@settings(max_examples=150, deadline=None)
@given(st.lists(action, max_size=25))
def test_recall_never_doubles_a_seat_and_replay_equals_state(steps: list) -> None:  # type: ignore[type-arg]
    events: list[Event] = []
    org = petrograd_like(recall_mode="by-election", log=events)
    for i, step in enumerate(steps):
        day = D + dt.timedelta(days=i)
        try:
            event = _decide(org, step, day)
        except DomainError:
            continue
        org.apply(event)
        events.append(event)
        seats = rules.apportion(org, "Soviet").seats
        held: set[tuple[str, int]] = set()
        for d in org.sitting_delegates():
            key = (d.constituency, d.seat)
            assert key not in held, f"two delegates on {key}"
            held.add(key)
            assert 1 <= d.seat <= seats[d.constituency]
        for p in org.petitions.values():
            for delegate_id in p.delegate_ids:
                assert org.delegates[delegate_id].constituency == p.constituency
            if p.status == "open":
                assert len(p.signatures) < rules.signatures_needed(org, p)
    assert replay(events) == org
