"""The member register's rule: only differences recorded, ids stable, replay exact."""

from __future__ import annotations

import contextlib

import pytest
from factories import D, petrograd_like, run
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.domain import events as ev
from soviet.domain import rules, structure
from soviet.domain.errors import DomainError, NothingChanged, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.model import Organisation, replay
from soviet.domain.roll import RollEntry, diff_roll, import_roll, register

E = RollEntry


def _org(log: list[Event]) -> Organisation:
    org = petrograd_like(log=log)  # Shop: ann, bob, cat, dan (named); Putilov numbered
    run(org, lambda o: rules.create_constituency(o, "Depot", "Soviet", electors=[]), log)
    return org


def test_an_import_records_the_differences_and_replays_exactly() -> None:
    log: list[Event] = []
    org = _org(log)
    file = [E("ann", "Ann Smith", "Shop"), E("bob", "bob", "Depot"), E("m1", "Mo", "Shop")]
    event = run(org, lambda o: import_roll(o, None, file, D), log)
    assert isinstance(event, ev.RollImported)
    assert event.added == [{"member": "m1", "name": "Mo", "constituency": "Shop"}]
    assert event.moved == [{"member": "bob", "from": "Shop", "to": "Depot"}]
    assert event.renamed == [{"member": "ann", "name": "Ann Smith"}]
    assert event.removed == [
        {"member": "cat", "constituency": "Shop"},
        {"member": "dan", "constituency": "Shop"},
    ]
    assert ev.RollImported.from_payload(event.payload) == event
    assert event.payload["moved"] == [{"member": "bob", "from": "Shop", "to": "Depot"}]
    assert org.electors == {"ann": "Shop", "bob": "Depot", "m1": "Shop"}
    assert org.member_names == {"ann": "Ann Smith", "m1": "Mo"}
    assert (org.constituencies["Shop"].headcount, org.constituencies["Depot"].headcount) == (
        2,
        1,
    )
    assert replay(log) == org
    assert register(org, None) == sorted(file, key=lambda e: (e.constituency, e.member))
    with pytest.raises(NothingChanged, match="every named roll already holds these 3"):
        import_roll(org, None, file, D)
    assert diff_roll(org, "Shop", [E("ann", "Ann Smith", "Shop")], D).summary() == {
        "added": 0,
        "moved": 0,
        "removed": 1,
        "renamed": 0,
        "unchanged": 1,
    }


def test_removed_electors_take_their_names_with_them() -> None:
    log: list[Event] = []
    org = _org(log)
    run(org, lambda o: import_roll(o, "Depot", [E("m1", "Mo", "Depot")], D), log)
    run(org, lambda o: rules.remove_elector(o, "m1", D), log)
    assert "m1" not in org.member_names
    run(org, lambda o: import_roll(o, "Depot", [E("m2", "Li", "Depot")], D), log)
    run(org, lambda o: structure.remove_constituency(o, "Depot", D), log)
    assert org.member_names == {} and replay(log) == org


def test_what_the_rule_refuses() -> None:
    org = _org([])
    with pytest.raises(UnknownEntity, match="unknown constituency 'Mars'"):
        import_roll(org, None, [E("m1", "Mo", "Mars")], D)
    with pytest.raises(DomainError, match="'Putilov' has a numbered roll") as numbered:
        import_roll(org, "Putilov", [], D)
    assert (numbered.value.field, numbered.value.value) == ("constituency", "Putilov")
    with pytest.raises(DomainError, match="'Depot' is outside the roll imported"):
        import_roll(org, "Shop", [E("m1", "Mo", "Depot")], D)
    with pytest.raises(DomainError, match="listed twice") as twice:
        import_roll(org, "Shop", [E("m1", "Mo", "Shop"), E("m1", "Li", "Shop")], D)
    assert (twice.value.field, twice.value.value) == ("member_id", "m1")
    with pytest.raises(DomainError, match="no '#'"):
        import_roll(org, "Shop", [E("Shop#1", "Mo", "Shop")], D)
    with pytest.raises(DomainError, match="name must be 1 to 200 characters"):
        import_roll(org, "Shop", [E("m1", "x" * 201, "Shop")], D)


_ids = st.sampled_from(["ann", "bob", "cat", "dan", "m1", "m2", "m3"])
_entries = st.lists(
    st.tuples(_ids, st.sampled_from(["A", "B"]), st.sampled_from(["Shop", "Depot"])),
    unique_by=lambda t: t[0],
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_entries, min_size=1, max_size=4))
def test_each_import_leaves_the_rolls_as_the_file_says(files: list[list[tuple[str, ...]]]) -> None:
    log: list[Event] = []
    org = _org(log)
    for rows in files:
        file = [E(*row) for row in rows]
        with contextlib.suppress(NothingChanged):  # a file the rolls already hold
            run(org, lambda o, f=file: import_roll(o, None, f, D), log)
        assert register(org, None) == sorted(file, key=lambda e: (e.constituency, e.member))
        for name in ("Shop", "Depot"):
            on_roll = sum(1 for home in org.electors.values() if home == name)
            assert org.constituencies[name].headcount == on_roll
    assert replay(log) == org
