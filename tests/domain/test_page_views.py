"""The views behind the web pages that the CLI has no command for: one vote
(``views.congress.vote``) and one constituency (``views.structure.constituency``)."""

from __future__ import annotations

import pytest
from congress_factory import NAME, OPEN, seated
from factories import elect_all, petrograd_like, run

from soviet.domain import congress_rules as cr
from soviet.domain.errors import UnknownEntity
from soviet.views import congress as congress_views
from soviet.views import structure


def test_a_secret_vote_shows_how_many_voted_and_never_how() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "S", "text", 1, OPEN))
    run(org, lambda o: cr.open_vote(o, NAME, 1, OPEN, mode="secret"))
    run(org, lambda o: cr.cast(o, NAME, 1, 1, "against", OPEN))
    run(org, lambda o: cr.cast(o, NAME, 1, 2, "for", OPEN))
    shown = congress_views.vote(org, NAME, 1)
    assert (shown["mode"], shown["status"], shown["voted"]) == ("secret", "open", 2)
    assert shown["entitled_count"] == 7 and shown["present_count"] == 7
    assert shown["roll"] == {} and shown["counts"] == {}
    assert "against" not in repr(shown) and "ballots" not in shown
    assert shown["motion"]["title"] == "S" and shown["counted"] == 0
    run(org, lambda o: cr.close_vote(o, NAME, 1, OPEN, ballot_box=["against", "for"]))
    closed = congress_views.vote(org, NAME, 1)
    assert closed["counts"] == {"for": 1, "against": 1, "abstain": 0}
    assert closed["carried"] is False and closed["counted"] == 2 and closed["roll"] == {}
    assert closed["entitled_count"] == len(
        closed_entitled := org.congresses[NAME].votes[1].entitled
    )
    assert closed_entitled == [1, 2, 3, 4, 5, 6, 7]


def test_a_roll_call_vote_is_public() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "R", "text", 1, OPEN))
    run(org, lambda o: cr.open_vote(o, NAME, 1, OPEN, mode="roll-call"))
    run(org, lambda o: cr.cast(o, NAME, 1, 3, "for", OPEN))
    shown = congress_views.vote(org, NAME, 1)
    assert shown["roll"] == {"3": "for"} and shown["voted"] == 1


def test_an_unknown_vote_is_unknown() -> None:
    org = seated()
    with pytest.raises(UnknownEntity, match="unknown vote 9"):
        congress_views.vote(org, NAME, 9)
    with pytest.raises(UnknownEntity, match="unknown congress 'Nowhere'"):
        congress_views.vote(org, "Nowhere", 1)


def test_a_constituency_with_its_delegates_mandates_and_petitions() -> None:
    org = petrograd_like()
    elect_all(org)
    name = next(iter(org.constituencies))
    shown = structure.constituency(org, name)
    (row,) = [r for r in structure.constituencies(org) if r["name"] == name]
    assert {k: shown[k] for k in row} == row
    assert len(shown["delegates"]) == row["sitting"] > 0
    assert [d["seat"] for d in shown["delegates"]] == sorted(d["seat"] for d in shown["delegates"])
    assert shown["mandates"] == [] and shown["petitions"] == []
    with pytest.raises(UnknownEntity, match="unknown constituency 'Nowhere'"):
        structure.constituency(org, "Nowhere")
