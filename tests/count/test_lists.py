"""Party-list PR: closed and open lists, vacancies, errors."""

from __future__ import annotations

import json

import pytest

from soviet.count.apportion import ApportionmentError, DivisorMethod, LargestRemainder
from soviet.count.lists import list_election

LISTS = {"SR": ["s1", "s2", "s3", "s4"], "Bol": ["b1", "b2", "b3"], "Kad": ["k1"]}
VOTES = {"SR": 580, "Bol": 250, "Kad": 50}


def test_closed_lists_take_candidates_in_list_order() -> None:
    r = list_election(VOTES, LISTS, 6, DivisorMethod("dhondt"))
    # D'Hondt: SR 580 290 193 145, Bol 250 125 -> SR 4, Bol 2, Kad 0
    assert r.details["allocation"]["seats"] == {"SR": 4, "Bol": 2, "Kad": 0}
    assert r.elected == ["s1", "s2", "s3", "s4", "b1", "b2"]
    assert r.seats == 6 and r.method == "list-dhondt"
    assert r.details["vacant"] == {}
    json.dumps(r.to_json())


def test_open_lists_order_by_personal_votes_ties_in_list_order() -> None:
    open_votes = {"s1": 10, "s2": 50, "s3": 50, "s4": 5, "b1": 1, "b2": 9, "b3": 9}
    r = list_election(VOTES, LISTS, 6, DivisorMethod("dhondt"), open_votes=open_votes)
    assert r.details["elected_by_party"]["SR"] == ["s2", "s3", "s1", "s4"]
    assert r.details["elected_by_party"]["Bol"] == ["b2", "b3"]  # 9 = 9: list order
    assert r.rounds[1]["step"] == "order by personal votes"


def test_more_seats_than_candidates_leaves_seats_vacant() -> None:
    lists = {"A": ["a1"], "B": ["b1", "b2"]}
    r = list_election({"A": 800, "B": 200}, lists, 5, LargestRemainder("hare"))
    assert r.details["allocation"]["seats"] == {"A": 4, "B": 1}  # quota 200: exact 4 and 1
    assert r.details["vacant"] == {"A": 3}
    assert r.elected == ["a1", "b1"]


@pytest.mark.parametrize(
    ("votes", "lists", "open_votes", "match"),
    [
        ({"X": 1}, {"A": ["a"]}, None, "no list for party 'X'"),
        ({"A": 1, "B": 1}, {"A": ["a"], "B": ["a"]}, None, "stands on both"),
        ({"A": 1}, {"A": ["a"]}, {"zz": 3}, "open_votes\\['zz'\\]"),
    ],
)
def test_errors(votes, lists, open_votes, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApportionmentError, match=match):
        list_election(votes, lists, 1, DivisorMethod("dhondt"), open_votes=open_votes)
