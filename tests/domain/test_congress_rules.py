"""Congress rules: convening, credentials, quorum, groups, committees, motions, votes."""

from __future__ import annotations

import datetime as dt

import pytest
from congress_factory import NAME, OPEN, called, seated
from factories import run

from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.errors import DomainError

LATER = OPEN + dt.timedelta(days=1)


def test_a_body_without_authority_cannot_convene() -> None:
    org = called()
    run(org, lambda o: rules.create_council(o, "Northern Region", {"method": "dhondt"}))
    with pytest.raises(DomainError, match="'Northern Region' has no authority to convene"):
        cr.call_congress(
            org, "Other", "Northern Region", OPEN, OPEN, quorum="1", senders={"A": 1}, external=True
        )


def test_executive_of_the_previous_congress_may_convene_and_its_mandate_ends() -> None:
    org = seated()
    run(org, lambda o: cr.elect_committee(o, NAME, "CEC", 5, OPEN))
    run(org, lambda o: cr.close_congress(o, NAME, LATER))
    nxt = "Third Congress"
    run(
        org,
        lambda o: cr.call_congress(
            o,
            nxt,
            f"{NAME}/CEC",
            LATER,
            LATER,
            quorum="1",
            senders={"A": 1},
            previous=NAME,
            external=True,
        ),
    )
    assert org.congresses[NAME].committees["CEC"].mandate_ended_on is None
    run(org, lambda o: cr.open_congress(o, nxt, LATER))
    assert org.congresses[NAME].committees["CEC"].mandate_ended_on == LATER


def test_postponement_only_by_the_convening_body() -> None:
    org = called()
    with pytest.raises(DomainError, match="only 'CEC', which convened"):
        cr.postpone(org, NAME, "Somebody", OPEN + dt.timedelta(days=5), OPEN)
    run(org, lambda o: cr.postpone(o, NAME, "CEC", dt.date(1917, 11, 12), OPEN))
    assert org.congresses[NAME].opens_on == dt.date(1917, 11, 12)
    assert org.congresses[NAME].postponements == [OPEN]


def test_credential_checks_are_recorded_and_need_an_override() -> None:
    org = called()
    old = dt.date(1917, 6, 1)
    run(org, lambda o: cr.present_credential(o, NAME, "Old", "North", old, OPEN))
    run(org, lambda o: cr.present_credential(o, NAME, "Stranger", "West", OPEN, OPEN))
    run(org, lambda o: cr.present_credential(o, NAME, "Old", "South", OPEN, OPEN))
    creds = org.congresses[NAME].credentials
    assert creds[1].problems == [
        "elected 159 days before the opening; the call allows 60 ('When were you elected?')"
    ]
    assert creds[2].problems == ["'West' is not entitled to send delegates"]
    assert creds[3].problems == ["'Old' already holds credential 1"]
    with pytest.raises(DomainError, match="failed the checks"):
        cr.rule_on_credential(org, NAME, 1, True, OPEN)
    with pytest.raises(DomainError, match="a rejection needs a reason"):
        cr.rule_on_credential(org, NAME, 2, False, OPEN)
    run(
        org,
        lambda o: cr.rule_on_credential(
            o, NAME, 1, True, OPEN, reason="re-elected by acclamation on arrival", override=True
        ),
    )
    assert creds[1].seated and creds[1].reason
    with pytest.raises(DomainError, match="was already accepted"):
        cr.rule_on_credential(org, NAME, 1, False, OPEN, reason="x")


def test_a_body_over_its_number_is_flagged() -> None:
    org = called()
    for k in range(4):
        run(org, lambda o, k=k: cr.present_credential(o, NAME, f"N{k}", "North", OPEN, OPEN))
    assert org.congresses[NAME].credentials[4].problems == [
        "'North' has already sent its 3 delegates"
    ]


def test_quorum_is_checked_before_any_vote() -> None:
    org = seated(quorum="7")
    run(org, lambda o: cr.table_motion(o, NAME, "Peace", "...", 1, OPEN))
    assert cr.quorum_needed(org.congresses[NAME]) == 7
    run(org, lambda o: cr.register(o, NAME, OPEN, arriving=False, credentials=[6]))
    with pytest.raises(
        DomainError, match="no quorum in 'Congress': 6 voting delegates present, 7 needed"
    ):
        cr.open_vote(org, NAME, 1, OPEN)


def test_quorum_as_a_share_of_the_seated() -> None:
    org = seated(quorum="2/3")
    assert cr.quorum_needed(org.congresses[NAME]) == 5  # 2/3 of 7 voting seats, rounded up


def test_groups_history_and_walkout() -> None:
    org = seated()
    congress = org.congresses[NAME]
    run(org, lambda o: cr.declare_group(o, NAME, [6, 7], "B", OPEN))
    assert congress.group_sizes() == {"B": 7, "M": 1}
    assert [(g.credential, g.group) for g in congress.group_changes[-2:]] == [(6, "B"), (7, "B")]
    run(org, lambda o: cr.register(o, NAME, OPEN, arriving=False, group="M", reason="walk-out"))
    assert congress.group_sizes(present_only=True) == {"B": 7}
    assert congress.attendance[-1].reason == "walk-out"
    with pytest.raises(DomainError, match="already absent"):
        cr.register(org, NAME, OPEN, arriving=False, credentials=[8])


def test_committee_in_proportion_with_a_declining_group() -> None:
    org = seated()
    run(
        org,
        lambda o: cr.elect_committee(
            o, NAME, "Presidium", 4, OPEN, kind="presidium", declined=["L"], declined_seats="empty"
        ),
    )
    presidium = org.congresses[NAME].committees["Presidium"]
    # D'Hondt over B 5, L 2, M 1: B gets 3, L 1 (declined, left empty)
    assert presidium.allocation == {"B": 3, "L": 1, "M": 0}
    assert [m.group for m in presidium.members] == ["B", "B", "B"]
    run(
        org,
        lambda o: cr.elect_committee(
            o, NAME, "Presidium 2", 4, OPEN, kind="presidium", declined=["L"]
        ),
    )
    assert org.congresses[NAME].committees["Presidium 2"].allocation == {"B": 4, "M": 0}


def test_chair_by_single_winner_method() -> None:
    org = seated()
    run(
        org,
        lambda o: cr.elect_post(
            o,
            NAME,
            "Chair",
            OPEN,
            method="irv",
            rankings=[(["A", "B"], 3), (["B", "A"], 2), (["C", "B"], 2)],
        ),
    )
    assert org.congresses[NAME].committees["Chair"].members[0].name == "B"


def _vote(org, motion: int, mode: str, **kw):  # type: ignore[no-untyped-def]
    run(org, lambda o: cr.open_vote(o, NAME, motion, OPEN, mode=mode, **kw))
    return max(org.congresses[NAME].votes)


def test_amendments_first_then_basis_then_final_and_decree() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "Decree on Land", "...", 1, OPEN, decree=True))
    run(org, lambda o: cr.table_motion(o, NAME, "Amendment", "...", 8, OPEN, amends=1))
    basis = _vote(org, 1, "show-of-hands", stage="basis")
    run(org, lambda o: cr.close_vote(o, NAME, basis, OPEN, counts={"for": 5, "against": 2}))
    assert org.congresses[NAME].motions[1].status == "basis"
    with pytest.raises(DomainError, match=r"amendments \[2\] to motion 1 must be voted first"):
        cr.open_vote(org, NAME, 1, OPEN)
    amend = _vote(org, 2, "show-of-hands", stage="amendment")
    run(org, lambda o: cr.close_vote(o, NAME, amend, OPEN, counts={"for": 4, "against": 3}))
    final = _vote(org, 1, "show-of-hands")
    run(
        org,
        lambda o: cr.close_vote(
            o, NAME, final, OPEN, counts={"for": 6, "against": 1, "abstain": 0}
        ),
    )
    decree = org.decrees[1]
    assert (decree.title, decree.tally) == (
        "Decree on Land",
        {"for": 6, "against": 1, "abstain": 0},
    )


def test_division_supersedes_a_show_of_hands() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "M", "...", 1, OPEN))
    hands = _vote(org, 1, "show-of-hands")
    run(org, lambda o: cr.close_vote(o, NAME, hands, OPEN, counts={"for": 4, "against": 3}))
    assert org.congresses[NAME].motions[1].status == "adopted"
    division = _vote(org, 1, "division", supersedes=hands)
    run(org, lambda o: cr.close_vote(o, NAME, division, OPEN, counts={"for": 3, "against": 4}))
    congress = org.congresses[NAME]
    assert congress.votes[hands].status == "superseded"
    assert congress.motions[1].status == "rejected"


def test_roll_call_secret_ballot_and_voting_errors() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "M", "...", 8, OPEN))  # voice-only may move
    roll = _vote(org, 1, "roll-call", majority="2/3")
    for k, choice in [(1, "for"), (2, "for"), (3, "for"), (4, "for"), (5, "against")]:
        run(org, lambda o, k=k, c=choice: cr.cast(o, NAME, roll, k, c, OPEN))
    with pytest.raises(DomainError, match="has already voted"):
        cr.cast(org, NAME, roll, 1, "against", OPEN)
    with pytest.raises(DomainError, match="has a voice but no vote"):
        cr.cast(org, NAME, roll, 8, "for", OPEN)
    run(org, lambda o: cr.register(o, NAME, OPEN, arriving=False, credentials=[7]))
    with pytest.raises(DomainError, match="has left the congress"):
        cr.cast(org, NAME, roll, 7, "for", OPEN)
    event = run(org, lambda o: cr.close_vote(o, NAME, roll, OPEN))
    assert event.payload["counts"] == {"for": 4, "against": 1, "abstain": 0}
    assert event.payload["carried"] is True  # 4 of 5 >= 2/3
    assert event.payload["present"] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(DomainError, match="vote 1 is closed"):
        cr.cast(org, NAME, roll, 6, "for", OPEN)
    run(org, lambda o: cr.table_motion(o, NAME, "S", "...", 1, OPEN))
    secret = _vote(org, 2, "secret")
    cast = run(org, lambda o: cr.cast(o, NAME, secret, 1, "against", OPEN))
    assert "choice" not in cast.payload
    with pytest.raises(DomainError, match="ballot box holds 0 ballots but 1 delegates voted"):
        cr.close_vote(org, NAME, secret, OPEN)
    closed = run(org, lambda o: cr.close_vote(o, NAME, secret, OPEN, ballot_box=["against"]))
    assert closed.payload["carried"] is False  # a lone vote against


def test_ties_fail_and_tallies_cannot_exceed_the_present() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "M", "...", 1, OPEN))
    v = _vote(org, 1, "show-of-hands")
    with pytest.raises(DomainError, match="8 votes counted but only 7 voting delegates"):
        cr.close_vote(org, NAME, v, OPEN, counts={"for": 4, "against": 4})
    event = run(org, lambda o: cr.close_vote(o, NAME, v, OPEN, counts={"for": 3, "against": 3}))
    assert event.payload["carried"] is False


def test_absolute_majority_counts_seated_not_present() -> None:
    org = seated()
    run(org, lambda o: cr.table_motion(o, NAME, "M", "...", 1, OPEN))
    v = _vote(org, 1, "show-of-hands", majority="absolute")
    event = run(org, lambda o: cr.close_vote(o, NAME, v, OPEN, counts={"for": 3, "against": 0}))
    assert event.payload["carried"] is False  # 3 of 7 seated voters is no absolute majority


def test_unseated_delegates_can_neither_move_nor_vote() -> None:
    org = called()
    run(org, lambda o: cr.present_credential(o, NAME, "X", "North", OPEN, OPEN))
    run(org, lambda o: cr.open_congress(o, NAME, OPEN))
    with pytest.raises(DomainError, match="not seated and can neither move nor speak"):
        cr.table_motion(org, NAME, "M", "...", 1, OPEN)


def test_a_lower_council_elects_its_delegates_and_they_get_credentials() -> None:
    c = rules.Candidate
    strict = called()
    run(strict, lambda o: rules.create_council(o, "North", {"method": "dhondt", "seats": 10}))
    with pytest.raises(DomainError, match="'Ann' is not a sitting delegate of council 'North'"):
        cr.elect_congress_delegates(strict, NAME, "North", [c("Ann", "B", 40)], OPEN)
    # The call lets the councils send people who do not sit on them.
    org = called(outside_delegates=True)
    run(org, lambda o: rules.create_council(o, "North", {"method": "dhondt", "seats": 10}))
    event = run(
        org,
        lambda o: cr.elect_congress_delegates(
            o,
            NAME,
            "North",
            [c("Ann", "B", 40), c("Bo", "L", 35), c("Cy", "B", 30), c("Di", "L", 5)],
            OPEN - dt.timedelta(days=3),
            method="block",
        ),
    )
    creds = org.congresses[NAME].credentials
    assert [(x.delegate, x.sent_by, x.group, x.problems) for x in creds.values()] == [
        ("Ann", "North", "B", []),
        ("Bo", "North", "L", []),
        ("Cy", "North", "B", []),
    ]
    assert event.payload["tally"] == {"Ann": 40, "Bo": 35, "Cy": 30, "Di": 5}
    assert all(x.elected_on == OPEN - dt.timedelta(days=3) for x in creds.values())
    with pytest.raises(DomainError, match="may elect 0 more delegates"):
        cr.elect_congress_delegates(org, NAME, "North", [c("Ed")], OPEN)
    with pytest.raises(DomainError, match="'CEC' is not entitled to send delegates"):
        cr.elect_congress_delegates(org, NAME, "CEC", [c("Ed")], OPEN)


def test_motions_are_tabled_under_an_adopted_agenda_item() -> None:
    org = seated()
    with pytest.raises(DomainError, match="'Peace' is not on the agenda"):
        cr.table_motion(org, NAME, "M", "...", 1, OPEN, item="Peace")
    run(org, lambda o: cr.adopt_agenda(o, NAME, ["Power", "Peace", "Land"], OPEN))
    run(
        org,
        lambda o: cr.table_motion(
            o, NAME, "Decree on Peace", "...", 1, OPEN, item="Peace", decree=True
        ),
    )
    assert org.congresses[NAME].motions[1].item == "Peace"
    assert org.congresses[NAME].agenda == ["Power", "Peace", "Land"]
    with pytest.raises(DomainError, match="distinct, non-empty items"):
        cr.adopt_agenda(org, NAME, ["Peace", "Peace"], OPEN)


def test_rulings_record_the_credentials_committee_appointed_then_elected() -> None:
    org = called(quorum="1")
    congress = org.congresses[NAME]
    assert congress.credentials_committee == "CEC"  # the call appointed none: its body rules
    run(org, lambda o: cr.present_credential(o, NAME, "A", "North", OPEN, OPEN, group="B"))
    run(org, lambda o: cr.present_credential(o, NAME, "B", "North", OPEN, OPEN, group="B"))
    run(org, lambda o: cr.rule_on_credential(o, NAME, 1, True, OPEN))
    assert congress.credentials[1].ruled_by == "CEC"
    run(org, lambda o: cr.open_congress(o, NAME, OPEN))
    run(org, lambda o: cr.register(o, NAME, OPEN, arriving=True, credentials=[1]))
    run(
        org,
        lambda o: cr.elect_committee(o, NAME, "Credentials Committee", 1, OPEN, kind="credentials"),
    )
    assert congress.credentials_committee == "Credentials Committee"
    run(org, lambda o: cr.rule_on_credential(o, NAME, 2, False, OPEN, reason="no mandate"))
    assert congress.credentials[2].ruled_by == "Credentials Committee"
