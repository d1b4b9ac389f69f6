"""The engine's sanity checks (issue 9), rule by rule: each refusal names field and value."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from congress_factory import NAME, OPEN, seated
from factories import D, elect_all, petrograd_like, run

from soviet.count.apportion import ApportionmentError, DivisorMethod, Fixed, PerUnit
from soviet.count.limits import SEATS_MAX
from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.dates import DateSpan, check_in_span, event_dates
from soviet.domain.errors import DomainError
from soviet.domain.events import HeadcountSet
from soviet.domain.model import Organisation

c = rules.Candidate
LATER = D + dt.timedelta(days=30)


def refused(decide: object, message: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        decide()  # type: ignore[operator]
    assert str(info.value) == message
    return info.value


# --- dates in order ------------------------------------------------------------------
def test_a_by_election_is_not_dated_before_the_seat_fell_vacant() -> None:
    org = petrograd_like()
    elect_all(org)
    run(org, lambda o: rules.open_recall(o, "Shop", "bob", LATER))
    run(org, lambda o: rules.sign_recall(o, 1, ["bob", "cat", "dan"], LATER))
    err = refused(
        lambda: rules.elect(org, "Shop", [c("cat", "B", 2)], LATER - dt.timedelta(days=1)),
        "date 1917-04-12 is before seat 1 of 'Shop' fell vacant (1917-04-13)",
    )
    assert (err.field, err.value) == ("date", "1917-04-12")
    run(org, lambda o: rules.elect(o, "Shop", [c("cat", "B", 2)], LATER))
    assert [d.name for d in org.sitting_delegates("Shop")] == ["cat"]


def test_a_mandate_is_not_older_than_its_delegates_election() -> None:
    org = petrograd_like()
    elect_all(org)
    err = refused(
        lambda: rules.adopt_mandate(org, "Shop", "Bread", D - dt.timedelta(days=1)),
        "date 1917-03-13 is before 'ann' was elected (1917-03-14)",
    )
    assert err.field == "date"
    run(org, lambda o: rules.adopt_mandate(o, "Shop", "Bread", D))


def test_votes_close_and_casts_fall_within_the_vote() -> None:
    org = seated(quorum="1")
    run(org, lambda o: cr.table_motion(o, NAME, "Peace", "...", 1, OPEN))
    later = OPEN + dt.timedelta(days=1)
    run(org, lambda o: cr.open_vote(o, NAME, 1, later, mode="roll-call"))
    refused(
        lambda: cr.cast(org, NAME, 1, 1, "for", OPEN),
        "date 1917-11-07 is before vote 1 opened (1917-11-08)",
    )
    refused(
        lambda: cr.close_vote(org, NAME, 1, OPEN),
        "date 1917-11-07 is before vote 1 opened (1917-11-08)",
    )
    refused(
        lambda: cr.close_vote(org, NAME, 1, OPEN - dt.timedelta(days=2)),
        "date 1917-11-05 is before 'Congress' opened (1917-11-07)",
    )
    run(org, lambda o: cr.cast(o, NAME, 1, 1, "for", later))
    run(org, lambda o: cr.close_vote(o, NAME, 1, later))


def test_the_date_span_and_the_ten_year_rule() -> None:
    span = DateSpan(dt.date(1917, 3, 1), dt.date(1918, 1, 5))
    check_in_span("date", dt.date(1907, 3, 1), span)  # exactly ten years before
    check_in_span("date", dt.date(1928, 1, 5), span)
    err = refused(
        lambda: check_in_span("date", dt.date(1197, 3, 1), span),
        "date 1197-03-01 is more than 10 years before the first date on record (1917-03-01): "
        "give force_date (--force-date) if it is right",
    )
    assert (err.field, err.value) == ("date", "1197-03-01")
    refused(
        lambda: check_in_span("opens_on", dt.date(2026, 1, 1), span),
        "opens_on 2026-01-01 is more than 10 years after the last date on record "
        "(1918-01-05): give force_date (--force-date) if it is right",
    )
    check_in_span("date", dt.date(1, 1, 1), None)  # nothing on record: anything goes
    leap = DateSpan(dt.date(1916, 2, 29), dt.date(1916, 2, 29))
    check_in_span("date", dt.date(1906, 2, 28), leap)
    event = HeadcountSet(constituency="X", headcount=1, date=dt.date(1917, 1, 1))
    assert event_dates(event) == [dt.date(1917, 1, 1)]


# --- totals --------------------------------------------------------------------------
def test_votes_in_an_election_fit_the_roll() -> None:
    org = petrograd_like()
    refused(
        lambda: rules.elect(org, "Shop", [c("ann", "M", 4), c("bob", "B", 1)], D),
        "5 votes cast in 'Shop' but its roll has 4 electors",
    )
    # block voting: each elector has a vote per seat (Putilov: 3 seats, 3000 electors)
    refused(
        lambda: rules.elect(
            org, "Putilov", [c("a", votes=9000), c("b", votes=1), c("x"), c("y")], D, method="block"
        ),
        "9001 votes cast in 'Putilov' but its roll has 3000 electors (3 each)",
    )
    refused(
        lambda: rules.elect(
            org,
            "Putilov",
            [],
            D,
            method="dhondt",
            lists=[rules.GroupList("SR", 2500, ("a", "b", "c")), rules.GroupList("B", 600, ("d",))],
        ),
        "3100 votes cast in 'Putilov' but its roll has 3000 electors",
    )
    refused(
        lambda: rules.elect(org, "Shop", [], D, method="irv", rankings=[(("ann", "bob"), 5)]),
        "5 ballots cast in 'Shop' but its roll has 4 electors",
    )


def test_seats_to_fill_are_one_or_more() -> None:
    org = petrograd_like()
    for seats in (0, -2):
        err = refused(
            lambda s=seats: rules.elect(org, "Putilov", [c("a", votes=1)], D, seats=s),
            f"seats must be 1 or more, got {seats}",
        )
        assert err.field == "seats"


def test_a_dissolution_vote_has_no_more_votes_than_seats() -> None:
    org = petrograd_like()
    elect_all(org)
    refused(
        lambda: rules.dissolve(org, "Soviet", LATER, votes_for=5, votes_against=1),
        "6 votes on dissolving 'Soviet' (5 for, 1 against) but it has 5 seats",
    )
    run(org, lambda o: rules.dissolve(o, "Soviet", LATER, votes_for=3, votes_against=2))


def test_a_show_of_hands_counts_no_more_than_are_present() -> None:
    org = seated(quorum="1")
    run(org, lambda o: cr.table_motion(o, NAME, "Peace", "...", 1, OPEN))
    run(org, lambda o: cr.open_vote(o, NAME, 1, OPEN))
    refused(
        lambda: cr.close_vote(org, NAME, 1, OPEN, counts={"for": 5, "against": 3}),
        "8 votes counted but only 7 voting delegates are present",
    )


# --- names ---------------------------------------------------------------------------
def test_senders_are_councils_unless_the_call_says_external() -> None:
    org = Organisation()
    run(org, lambda o: rules.create_council(o, "CEC", {"method": "dhondt"}, may_convene=["*"]))
    run(org, lambda o: rules.create_council(o, "Moscow Soviet", {"method": "dhondt"}))
    err = refused(
        lambda: cr.call_congress(
            org, "C", "CEC", D, LATER, quorum="1", senders={"Moscow Soviet": 2, "Army": 1}
        ),
        "sender 'Army' is not a known council: give external (--external) to let bodies "
        "outside the councils send delegates",
    )
    assert (err.field, err.value) == ("sender", "Army")
    event = cr.call_congress(
        org, "C", "CEC", D, LATER, quorum="1", senders={"Army": 1}, external=True
    )
    assert "external" not in event.payload  # a permission, not a fact
    assert "outside_delegates" not in event.payload


def test_a_quorum_is_no_larger_than_the_congress() -> None:
    org = Organisation()
    run(org, lambda o: rules.create_council(o, "CEC", {"method": "dhondt"}, may_convene=["*"]))
    err = refused(
        lambda: cr.call_congress(org, "C", "CEC", D, LATER, quorum="9", senders={"CEC": 8}),
        "quorum 9 is larger than the congress: the call allows 8 delegates",
    )
    assert (err.field, err.value) == ("quorum", "9")
    cr.call_congress(org, "C", "CEC", D, LATER, quorum="8", senders={"CEC": 8})
    cr.call_congress(org, "C", "CEC", D, LATER, quorum="1/2", senders={"CEC": 8})


def test_a_council_sends_its_own_delegates_unless_the_call_allows_others() -> None:
    org = petrograd_like()
    elect_all(org)
    run(org, lambda o: rules.create_council(o, "CEC", {"method": "dhondt"}, may_convene=["*"]))
    run(
        org,
        lambda o: cr.call_congress(o, "C", "CEC", D, LATER, quorum="1", senders={"Soviet": 3}),
    )
    refused(
        lambda: cr.elect_congress_delegates(org, "C", "Soviet", [c("a1"), c("Lenin")], D),
        "'Lenin' is not a sitting delegate of council 'Soviet', and the call of 'C' does not "
        "allow outside delegates (--outside-delegates)",
    )
    refused(
        lambda: cr.present_credential(org, "C", "Lenin", "Soviet", D, D),
        "'Lenin' is not a sitting delegate of council 'Soviet', and the call of 'C' does not "
        "allow outside delegates (--outside-delegates)",
    )
    run(org, lambda o: cr.elect_congress_delegates(o, "C", "Soviet", [c("a1"), c("b1")], D))
    assert [x.delegate for x in org.congresses["C"].credentials.values()] == ["a1", "b1"]
    event = run(
        org,
        lambda o: cr.call_congress(
            o, "D", "CEC", D, LATER, quorum="1", senders={"Soviet": 3}, outside_delegates=True
        ),
    )
    assert event.payload["outside_delegates"] is True  # a fact of the call
    assert org.congresses["D"].outside_delegates
    run(org, lambda o: cr.present_credential(o, "D", "Lenin", "Soviet", D, D))


def test_a_group_naming_candidates_must_be_standing() -> None:
    org = seated(quorum="1")
    refused(
        lambda: cr.elect_committee(org, NAME, "Presidium", 3, OPEN, candidates={"K": ["Kamenev"]}),
        "group 'K' names candidates but is not standing (groups: ['B', 'L', 'M'])",
    )
    refused(
        lambda: cr.elect_committee(
            org, NAME, "Presidium", 3, OPEN, declined=["L"], candidates={"L": ["L1"]}
        ),
        "group 'L' names candidates but declines its seats",
    )


# --- headcount cuts ------------------------------------------------------------------
def test_a_headcount_cut_below_the_sitting_delegates_is_refused_or_vacates_by_rule() -> None:
    org = petrograd_like()
    elect_all(org)  # Putilov: 3 seats, a1 (seat 1), a2 (seat 2), b1 (seat 3)
    run(org, lambda o: rules.open_recall(o, "Putilov", "Putilov#1", LATER, seats=[2]))
    run(org, lambda o: rules.sign_recall(o, 1, [f"Putilov#{k}" for k in range(1, 1502)], LATER))
    later = LATER + dt.timedelta(days=1)
    run(org, lambda o: rules.elect(o, "Putilov", [c("n2", votes=5)], later))  # seat 2 again
    err = refused(
        lambda: rules.set_headcount(org, "Putilov", 1200, later),
        "headcount 1200 leaves 'Putilov' 1 seat, but 3 delegates sit and 2 of them hold seats "
        "above 1: give vacate_surplus (--vacate-surplus) to unseat those 2",
    )
    assert (err.field, err.value) == ("headcount", 1200)
    event = run(org, lambda o: rules.set_headcount(o, "Putilov", 1200, later, vacate_surplus=True))
    # seats 2 (n2, elected again after a recall) and 3 (b1) are abolished
    by_id = {d.id: d.name for d in org.delegates.values()}
    assert [by_id[i] for i in event.payload["vacated"]] == ["b1", "n2"]
    assert [d.name for d in org.sitting_delegates("Putilov")] == ["a1"]
    assert {d.status for d in org.delegates.values() if d.name in ("b1", "n2")} == {"unseated"}
    assert rules.vacant_seats(org, "Putilov") == []
    # a cut that leaves every delegate a seat vacates nothing and records nothing extra
    plain = rules.set_headcount(org, "Putilov", 1100, later)
    assert "vacated" not in plain.payload


def test_a_cut_abolishes_the_highest_seats_even_with_a_vacancy_below() -> None:
    org = petrograd_like()
    elect_all(org)  # Putilov: a1, a2, b1 in seats 1-3
    run(org, lambda o: rules.open_recall(o, "Putilov", "Putilov#1", LATER, seats=[1]))
    run(org, lambda o: rules.sign_recall(o, 1, [f"Putilov#{k}" for k in range(1, 1502)], LATER))
    # two sit for two seats, but b1 holds seat 3, which a cut to 2 seats abolishes
    refused(
        lambda: rules.set_headcount(org, "Putilov", 2500, LATER),
        "headcount 2500 leaves 'Putilov' 2 seats, but 2 delegates sit and 1 of them hold seats "
        "above 2: give vacate_surplus (--vacate-surplus) to unseat those 1",
    )
    run(org, lambda o: rules.set_headcount(o, "Putilov", 2500, LATER, vacate_surplus=True))
    assert [d.seat for d in org.sitting_delegates("Putilov")] == [2]
    assert rules.vacant_seats(org, "Putilov") == [1]


def test_under_a_shared_house_a_raise_elsewhere_can_abolish_seats() -> None:
    org = Organisation()
    run(org, lambda o: rules.create_council(o, "S", {"method": "dhondt", "seats": 4}))
    run(org, lambda o: rules.create_constituency(o, "A", "S", headcount=500))
    run(org, lambda o: rules.create_constituency(o, "B", "S", headcount=500))
    for unit in ("A", "B"):
        run(org, lambda o, u=unit: rules.elect(o, u, [c(f"{u}1"), c(f"{u}2")], D, method="block"))
    refused(
        lambda: rules.set_headcount(org, "A", 1500, D),
        "headcount 1500 leaves 'B' 1 seat, but 2 delegates sit and 1 of them hold seats above 1: "
        "give vacate_surplus (--vacate-surplus) to unseat those 1",
    )


# --- bounds --------------------------------------------------------------------------
def test_absurd_sizes_are_refused_up_front_with_the_limit() -> None:
    org = Organisation()
    refused(
        lambda: rules.create_council(org, "S", {"method": "dhondt", "seats": 10**12}),
        "seat_rule.seats 1000000000000 is above the limit of 100,000",
    )
    run(org, lambda o: rules.create_council(o, "S", {"method": "per-unit", "per": 1}))
    refused(
        lambda: rules.create_constituency(org, "Big", "S", headcount=2 * 10**9),
        "headcount 2000000000 is above the limit of 100,000,000",
    )
    refused(
        lambda: rules.create_constituency(org, "Big", "S", headcount=100_001),
        "council 'S': seat rule cannot allocate: seats (derived, per=1): 100001 is above the "
        "limit of 100,000 seats",
    )
    run(org, lambda o: rules.create_constituency(o, "Small", "S", headcount=10))
    refused(
        lambda: rules.set_headcount(org, "Small", 10**6, D),
        "council 'S': seat rule cannot allocate: seats (derived, per=1): 1000000 is above the "
        "limit of 100,000 seats",
    )


def test_the_counting_engine_refuses_absurd_house_sizes_before_allocating() -> None:
    start = time.perf_counter()
    with pytest.raises(ApportionmentError, match="seats: 1000000000000 is above the limit"):
        DivisorMethod("dhondt").allocate({"A": 1}, 10**12)
    with pytest.raises(ApportionmentError, match="100,000 seats"):
        PerUnit(1).allocate({"A": 2 * 10**9})
    with pytest.raises(ApportionmentError, match="seats \\(fixed total\\)"):
        Fixed({"A": SEATS_MAX, "B": 1})
    with pytest.raises(ApportionmentError, match="minimum: 1000000 is above"):
        DivisorMethod("dhondt", minimum=10**6)
    assert time.perf_counter() - start < 2
