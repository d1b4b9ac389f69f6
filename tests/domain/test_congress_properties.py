"""Random sessions: tallies never exceed the present voters; snapshots match the ledger."""

from __future__ import annotations

import hypothesis
from congress_factory import NAME, OPEN, seated
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.domain import congress_rules as cr
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation, replay

CREDENTIALS = st.integers(1, 8)
CHOICE = st.sampled_from(["for", "against", "abstain"])
vote_round = st.tuples(
    st.sampled_from(["show-of-hands", "division", "roll-call", "secret"]),
    st.lists(st.tuples(CREDENTIALS, CHOICE), max_size=10),
    st.integers(0, 5),
    st.integers(0, 5),
)
step = st.one_of(
    st.tuples(st.just("arrive"), CREDENTIALS, st.just(0)),
    st.tuples(st.just("depart"), CREDENTIALS, st.just(0)),
    st.tuples(st.just("group"), CREDENTIALS, st.sampled_from(["B", "L", "M", "X"])),
    vote_round.map(lambda r: ("round", r, 0)),
)


def _expand(actions: list[tuple[str, object, object]]) -> list[tuple[str, object, object]]:
    """A vote round becomes: table, open, casts, close."""
    out: list[tuple[str, object, object]] = []
    for action in actions:
        if action[0] != "round":
            out.append(action)
            continue
        mode, casts, yes, no = action[1]  # type: ignore[misc]
        out += [("table", 0, 0), ("open", mode, 0)]
        out += [("cast", k, c) for k, c in casts]
        out.append(("close", yes, no))
    return out


def _decide(org: Organisation, box: list[str], action: tuple[str, object, object]) -> Event:
    kind, a, b = action
    congress = org.congresses[NAME]
    open_votes = [v for v in congress.votes.values() if v.status == "open"]
    if kind in ("arrive", "depart"):
        return cr.register(org, NAME, OPEN, arriving=kind == "arrive", credentials=[int(a)])
    if kind == "group":
        return cr.declare_group(org, NAME, [int(a)], str(b), OPEN)
    if kind == "table":
        return cr.table_motion(org, NAME, "M", "...", 1, OPEN)
    if kind == "open":
        tabled = [m.number for m in congress.motions.values() if m.status == "tabled"]
        if not tabled:
            raise DomainError("no motion to put")
        return cr.open_vote(org, NAME, tabled[-1], OPEN, mode=str(a))
    if not open_votes:
        raise DomainError("no open vote")
    vote = open_votes[0]
    if kind == "cast":
        event = cr.cast(org, NAME, vote.number, int(a), str(b), OPEN)
        if vote.mode == "secret":
            box.append(str(b))
        return event
    by_hand = vote.mode in ("show-of-hands", "division")
    counts = {"for": int(a), "against": int(b)} if by_hand else None
    return cr.close_vote(org, NAME, vote.number, OPEN, counts=counts, ballot_box=list(box))


@settings(max_examples=150, deadline=None)
@given(st.lists(step, max_size=12))
def test_tallies_and_snapshots(actions: list[tuple[str, object, object]]) -> None:
    events: list[Event] = []
    org = seated(events, quorum="1")
    box: list[str] = []
    for action in _expand(actions):
        try:
            event = _decide(org, box, action)
        except DomainError:
            continue
        org.apply(event)
        events.append(event)
        if event.type == "VoteClosed":
            hypothesis.event(f"closed a {org.congresses[NAME].votes[event.payload['vote']].mode}")
            box.clear()
            p = event.payload
            assert sum(p["counts"].values()) <= len(p["present"])
            before = replay(events[:-1]).congresses[NAME]
            assert p["present"] == [c.number for c in before.entitled_present()]
            assert p["entitled"] == [
                c.number for c in before.seated() if c.rights == "voice-and-vote"
            ]
    assert replay(events) == org
