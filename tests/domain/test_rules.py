"""The council rules: seats, elections, mandates, recall, dissolution, staleness, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import D, elect_all, petrograd_like, run
from hypothesis import given
from hypothesis import strategies as st

from soviet.domain import rules
from soviet.domain.errors import DomainError, UnknownEntity
from soviet.domain.model import Organisation
from soviet.views.council import composition, representation_report

C = rules.Candidate
LATER = dt.date(1917, 9, 14)


def test_per_thousand_rule_gives_one_seat_per_thousand_and_one_per_workshop() -> None:
    org = petrograd_like()
    assert rules.apportion(org, "Soviet").seats == {"Putilov": 3, "Shop": 1, "Workshop": 1}


def test_representation_report_measures_the_distortion() -> None:
    org = petrograd_like()
    report = representation_report(org, "Soviet")
    kinds = {k["name"]: k for k in report["kinds"]}
    assert kinds["large"]["seats"] == 3 and kinds["small"]["seats"] == 2
    assert kinds["large"]["electors_per_seat"] == 1000
    assert kinds["small"]["electors_per_seat"] == pytest.approx(77)
    # shares 3000/3154 vs 3/5: LH = |95.117% - 60%| = 35.117 points
    assert report["indices"]["loosemore_hanby_by_kind"] == pytest.approx(35.117, abs=1e-3)
    assert report["indices"]["max_weight_ratio"] == pytest.approx(1000 / 4)


def test_elections_fill_vacant_seats_in_order_with_groups() -> None:
    org = petrograd_like()
    elect_all(org)
    data = composition(org, "Soviet")
    assert data["filled"] == 5 and data["vacant"] == 0
    assert data["groups"] == {"B": 1, "M": 2, "SR": 2}
    putilov = [d for d in org.sitting_delegates("Putilov")]
    assert [(d.seat, d.name) for d in putilov] == [(1, "a1"), (2, "a2"), (3, "b1")]


def test_plurality_tie_is_broken_by_recorded_lot() -> None:
    org = petrograd_like()
    event = rules.elect(org, "Workshop", [C("x", "B", 5), C("y", "M", 5)], D, seed=7)
    assert event.payload["seed"] == 7
    assert event.payload["tie_breaks"][0]["tied"] == ["x", "y"]
    again = rules.elect(org, "Workshop", [C("x", "B", 5), C("y", "M", 5)], D, seed=7)
    assert again.payload["elected"] == event.payload["elected"]


def test_proportional_election_from_closed_lists() -> None:
    org = petrograd_like()
    lists = [
        rules.GroupList("SR", 2000, ("s1", "s2", "s3")),
        rules.GroupList("B", 1000, ("b1", "b2", "b3")),
    ]
    event = rules.elect(org, "Putilov", [], D, method="dhondt", lists=lists)
    assert sorted(e["name"] for e in event.payload["elected"]) == ["b1", "s1", "s2"]
    assert event.payload["tally"] == {"SR": 2000, "B": 1000}


@pytest.mark.parametrize(
    ("decide", "message"),
    [
        (
            lambda o: rules.elect(o, "Workshop", [C("x"), C("y")], D, seats=2),
            "cannot elect 2 delegates in 'Workshop': only 1 of its 1 seats are vacant",
        ),
        (
            lambda o: rules.elect(o, "Putilov", [C("x"), C("y")], D, method="block"),
            "2 candidates for 3 seats in 'Putilov'",
        ),
        (lambda o: rules.elect(o, "Nowhere", [C("x")], D), "unknown constituency 'Nowhere'"),
        (
            lambda o: rules.elect(o, "Workshop", [C("x", votes=-1)], D),
            "votes for 'x' must be 0 or more, got -1",
        ),
        (lambda o: rules.elect(o, "Workshop", [C("x"), C("x")], D), "candidate 'x' listed twice"),
        (
            lambda o: rules.elect(o, "Putilov", [C("x"), C("y"), C("z")], D, method="plurality"),
            "plurality fills one seat; 3 are to be filled",
        ),
        (
            lambda o: rules.elect(o, "Putilov", [C("x"), C("y"), C("z")], D, method="borda-ish"),
            "unknown election method 'borda-ish'",
        ),
        (
            lambda o: rules.create_constituency(o, "Neg", "Soviet", headcount=-5),
            "headcount must be 0 or more, got -5",
        ),
        (
            lambda o: rules.create_constituency(o, "X", "Nope", headcount=5),
            "unknown council 'Nope'",
        ),
        (
            lambda o: rules.create_constituency(o, "Shop", "Soviet", headcount=5),
            "constituency 'Shop' already exists",
        ),
        (lambda o: rules.create_council(o, "C2", {"method": "dhondtt"}), "seat_rule"),
        (
            lambda o: rules.create_council(o, "C2", {"method": "dhondt"}, recall_threshold="2"),
            "recall_threshold must be at least 0 and below 1, got '2'",
        ),
        (lambda o: rules.open_recall(o, "Shop", "ann", D), "has no sitting delegate"),
        (lambda o: rules.set_headcount(o, "Shop", 10, D), "has a named roll"),
        (lambda o: rules.enrol(o, "Shop", ["ann"], D), "already belongs to constituency 'Shop'"),
        (lambda o: rules.move_elector(o, "zed", "Shop", D), "unknown elector 'zed'"),
    ],
)
def test_misuse_raises_a_domain_error_naming_the_problem(decide, message: str) -> None:  # type: ignore[no-untyped-def]
    org = petrograd_like()
    with pytest.raises(DomainError) as info:
        decide(org)
    assert message in str(info.value)


def test_errors_carry_field_and_value() -> None:
    org = petrograd_like()
    with pytest.raises(DomainError) as info:
        rules.create_constituency(org, "Neg", "Soviet", headcount=-5)
    assert (info.value.field, info.value.value) == ("headcount", -5)
    with pytest.raises(UnknownEntity) as unknown:
        rules.get_council(org, "Nope")
    assert (unknown.value.field, unknown.value.value) == ("council", "Nope")


def test_roll_membership_moves_and_removal() -> None:
    org = petrograd_like()
    run(org, lambda o: rules.create_constituency(o, "Shop2", "Soviet", electors=["eve"]))
    run(org, lambda o: rules.move_elector(o, "ann", "Shop2", D))
    assert org.elector_constituency("ann") == "Shop2"
    assert org.constituencies["Shop"].headcount == 3
    run(org, lambda o: rules.remove_elector(o, "bob", D))
    assert org.elector_constituency("bob") is None
    assert org.elector_constituency("Putilov#3000") == "Putilov"
    assert org.elector_constituency("Putilov#3001") is None
    with pytest.raises(DomainError, match="numbered roll and cannot move"):
        rules.move_elector(org, "Putilov#1", "Shop", D)


def test_mandate_is_kept_with_the_delegate() -> None:
    org = petrograd_like()
    elect_all(org)
    event = run(org, lambda o: rules.adopt_mandate(o, "Putilov", "Peace now", D, seat=2))
    mandate = org.mandates[event.payload["number"]]
    assert org.delegates[mandate.delegate_id].name == "a2"
    with pytest.raises(DomainError, match="has 3 delegates: name the seat"):
        rules.adopt_mandate(org, "Putilov", "x", D)
    with pytest.raises(DomainError, match="has no seat 9"):
        rules.adopt_mandate(org, "Putilov", "x", D, seat=9)


def recalled_shop(org: Organisation) -> None:
    run(org, lambda o: rules.open_recall(o, "Shop", "bob", LATER))


def test_recall_by_more_than_half_the_roll_vacates_the_seat() -> None:
    org = petrograd_like()
    elect_all(org)
    recalled_shop(org)
    petition = org.petitions[1]
    assert rules.signatures_needed(org, petition) == 3  # more than half of 4
    first = run(org, lambda o: rules.sign_recall(o, 1, ["bob", "cat"], LATER))
    assert first.payload["outcome"] is None and org.delegates[3 + 2].sitting
    second = run(org, lambda o: rules.sign_recall(o, 1, ["dan"], LATER))
    assert second.payload["outcome"] == {"recalled": [5], "replacements": []}
    assert org.sitting_delegates("Shop") == []
    assert rules.vacant_seats(org, "Shop") == [1]
    assert petition.status == "succeeded"
    # the by-election fills the seat again
    run(org, lambda o: rules.elect(o, "Shop", [C("cat", "B", 3)], LATER))
    assert [d.name for d in org.sitting_delegates("Shop")] == ["cat"]


def test_recall_errors() -> None:
    org = petrograd_like()
    elect_all(org)
    recalled_shop(org)
    with pytest.raises(DomainError, match="already signed petition 1"):
        rules.sign_recall(org, 1, ["bob", "bob"], LATER)
    run(org, lambda o: rules.sign_recall(o, 1, ["bob"], LATER))
    with pytest.raises(DomainError, match="'bob' has already signed petition 1"):
        rules.sign_recall(org, 1, ["bob"], LATER)
    with pytest.raises(DomainError, match="belongs to 'Putilov', not 'Shop'"):
        rules.sign_recall(org, 1, ["Putilov#4"], LATER)
    with pytest.raises(UnknownEntity, match="unknown petition 9"):
        rules.sign_recall(org, 9, ["cat"], LATER)
    with pytest.raises(DomainError, match="petition 1 against 'ann' is already open"):
        rules.open_recall(org, "Shop", "cat", LATER)
    with pytest.raises(DomainError, match="cannot name a replacement"):
        rules.open_recall(org, "Workshop", "Workshop#1", LATER, replacements=[C("new")])
    with pytest.raises(DomainError, match="belongs to 'Shop', not 'Workshop'"):
        rules.open_recall(org, "Workshop", "cat", LATER)
    run(org, lambda o: rules.sign_recall(o, 1, ["cat", "dan"], LATER))
    with pytest.raises(DomainError, match="petition 1 is closed"):
        rules.sign_recall(org, 1, ["ann"], LATER)
    with pytest.raises(DomainError, match="seat 1 of 'Shop' is vacant"):
        rules.open_recall(org, "Shop", "ann", LATER, seats=[1])


def test_recall_with_replacement_puts_the_named_person_in_the_same_seat() -> None:
    org = petrograd_like(recall_mode="replacement")
    elect_all(org)
    run(
        org,
        lambda o: rules.open_recall(
            o,
            "Putilov",
            "Putilov#10",
            LATER,
            seats=[1, 2],
            replacements=[C("r1", "B"), C("r2", "B")],
        ),
    )
    run(org, lambda o: rules.sign_recall(o, 1, [f"Putilov#{k}" for k in range(1, 1502)], LATER))
    seats = {d.seat: (d.name, d.group) for d in org.sitting_delegates("Putilov")}
    assert seats == {1: ("r1", "B"), 2: ("r2", "B"), 3: ("b1", "B")}
    with pytest.raises(DomainError, match="1 replacements named for 3 recalled delegates"):
        rules.open_recall(
            org, "Putilov", "Putilov#1", LATER, whole_delegation=True, replacements=[C("x")]
        )


def test_dissolution_vacates_every_seat_and_lapses_petitions() -> None:
    org = petrograd_like()
    elect_all(org)
    recalled_shop(org)
    with pytest.raises(DomainError, match="not carried: 2 for, 3 against"):
        rules.dissolve(org, "Soviet", LATER, votes_for=2, votes_against=3)
    # the council's 5 delegates vote: 30 and 12 would be more votes than seats
    with pytest.raises(DomainError, match=r"42 votes .* but it has 5 seats"):
        rules.dissolve(org, "Soviet", LATER, votes_for=30, votes_against=12)
    run(org, lambda o: rules.dissolve(o, "Soviet", LATER, votes_for=4, votes_against=1))
    assert org.sitting_delegates() == []
    assert org.petitions[1].status == "lapsed"
    assert {d.status for d in org.delegates.values()} == {"dissolved"}
    with pytest.raises(DomainError, match="no sitting delegate to dissolve"):
        rules.dissolve(org, "Soviet", LATER)


def test_stale_delegates_are_those_past_the_council_or_their_own_term() -> None:
    org = petrograd_like()
    elect_all(org)
    assert rules.stale_delegates(org, "Soviet", D + dt.timedelta(days=60)) == []
    stale = rules.stale_delegates(org, "Soviet", D + dt.timedelta(days=61))
    assert len(stale) == 5 and {s.limit for s in stale} == {60}


def test_sections_and_by_section_seat_rules() -> None:
    org = Organisation()
    run(
        org,
        lambda o: rules.create_council(
            o,
            "S",
            {
                "method": "by-section",
                "sections": {
                    "workers": {"method": "per-unit", "per": 1000},
                    "soldiers": {"method": "per-unit", "per": 250},
                },
            },
            sections=["workers", "soldiers"],
        ),
    )
    run(org, lambda o: rules.create_constituency(o, "F", "S", section="workers", headcount=2500))
    run(org, lambda o: rules.create_constituency(o, "R", "S", section="soldiers", headcount=1000))
    assert rules.apportion(org, "S").seats == {"F": 2, "R": 4}
    with pytest.raises(DomainError, match="needs one"):
        rules.create_constituency(org, "X", "S", headcount=1)
    with pytest.raises(DomainError, match="has no section 'sailors'"):
        rules.create_constituency(org, "X", "S", section="sailors", headcount=1)
    run(org, lambda o: rules.arrange_sections(o, "S", merged=False, date=D))
    assert composition(org, "S")["groups_by_section"] == {"workers": {}, "soldiers": {}}
    with pytest.raises(DomainError, match="already sit apart"):
        rules.arrange_sections(org, "S", merged=False, date=D)
    with pytest.raises(DomainError, match="one rule for each section"):
        rules.create_council(
            org, "T", {"method": "by-section", "sections": {"a": {}}}, sections=["a", "b"]
        )


@given(
    st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=12),
    st.sampled_from(
        [
            {"method": "per-unit", "per": 1000},
            {"method": "per-unit", "per": 700, "minimum": 0, "rounding": "round"},
            {"method": "dhondt", "seats": 9},
        ]
    ),
)
def test_seats_of_one_constituency_agree_with_the_whole_apportionment(
    headcounts: list[int], seat_rule: dict[str, object]
) -> None:
    """``seats_of`` reads one constituency under a local rule; it must agree with the
    apportionment of the whole council, whatever the rule."""
    org = Organisation()
    org.apply(rules.create_council(org, "Soviet", seat_rule))
    for k, n in enumerate(headcounts):
        org.apply(rules.create_constituency(org, f"U{k}", "Soviet", headcount=n))
    try:
        whole = rules.apportion(org, "Soviet").seats
    except DomainError:  # a house to fill from rolls all empty: no unit's seats either
        for k in range(len(headcounts)):
            with pytest.raises(DomainError, match="every qualifying unit has weight 0"):
                rules.seats_of(org, f"U{k}")
        return
    assert {f"U{k}": rules.seats_of(org, f"U{k}") for k in range(len(headcounts))} == whole
