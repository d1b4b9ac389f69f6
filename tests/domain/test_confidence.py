"""A council of commissioners that loses a vote of confidence resigns (003:5083-5089):
its department heads leave office, it acts no more, and a new council is formed."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.domain.test_executive_properties import setup

from soviet.domain import executive_rules as xr
from soviet.domain.errors import DomainError
from soviet.domain.executive import current_heads
from soviet.domain.model import Organisation

D = dt.date(1917, 10, 26)  # illustrative
D2 = dt.date(1917, 11, 4)


def world() -> Organisation:
    org = Organisation()
    setup(org)
    for department, member in (("Labour", "m1"), ("Food", "m2")):
        org.apply(xr.appoint_head(org, "Sovnarkom", department, member, "Congress", D))
    return org


def test_a_vote_carried_changes_nothing() -> None:
    org = world()
    e = xr.vote_confidence(org, "Sovnarkom", "Congress", 25, 23, 0, D2)  # 003:44916-44922
    assert e.carried is True  # type: ignore[attr-defined]
    org.apply(e)
    assert org.commissioners_councils["Sovnarkom"].resigned_on is None
    assert [h.member for h in current_heads(org, "Sovnarkom")] == ["m1", "m2"]


def test_a_vote_lost_makes_the_council_resign_and_a_new_one_is_formed() -> None:
    org = world()
    e = xr.vote_confidence(org, "Sovnarkom", "Congress", 23, 23, 4, D2)  # a tie is lost
    assert e.carried is False  # type: ignore[attr-defined]
    org.apply(e)
    k = org.commissioners_councils["Sovnarkom"]
    assert (k.resigned_on, k.resigned_after) == (D2, "Congress")
    assert current_heads(org, "Sovnarkom") == []
    assert {(h.dismissed_on, h.dismissed_by) for h in org.department_heads.values()} == {
        (D2, "Congress")
    }
    resigned = "'Sovnarkom' resigned on 1917-11-04 after losing a vote of confidence of Congress"
    with pytest.raises(DomainError, match=resigned) as exc:
        xr.issue_decree(org, "Sovnarkom", "1", "t", "x", "Labour", D2)
    assert exc.value.field == "council"
    with pytest.raises(DomainError, match="cannot have department heads appointed"):
        xr.appoint_head(org, "Sovnarkom", "Labour", "m3", "Congress", D2)
    with pytest.raises(DomainError, match="cannot face another vote of confidence"):
        xr.vote_confidence(org, "Sovnarkom", "Congress", 30, 1, 0, D2)
    org.apply(xr.form_council(org, "Second Sovnarkom", "Congress", D2))
    org.apply(xr.appoint_head(org, "Second Sovnarkom", "Labour", "m3", "Congress", D2))
    assert [h.member for h in current_heads(org, "Second Sovnarkom")] == ["m3"]


def test_refusals_name_the_field() -> None:
    org = world()
    with pytest.raises(DomainError, match="'Elsewhere' cannot vote on confidence") as exc:
        xr.vote_confidence(org, "Sovnarkom", "Elsewhere", 1, 0, 0, D2)
    assert exc.value.field == "by"
    with pytest.raises(DomainError, match="against -1 is not a count of votes") as exc:
        xr.vote_confidence(org, "Sovnarkom", "Congress", 1, -1, 0, D2)
    assert exc.value.field == "against"
    with pytest.raises(DomainError, match="no votes were cast"):
        xr.vote_confidence(org, "Sovnarkom", "Congress", 0, 0, 0, D2)
    with pytest.raises(DomainError, match="before 'Sovnarkom' was formed"):
        xr.vote_confidence(org, "Sovnarkom", "Congress", 1, 0, 0, D - dt.timedelta(days=1))
