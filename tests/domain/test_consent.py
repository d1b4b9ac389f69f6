"""Consent workflows, workers' control: Moscow "Decree No. 1" (003:5747-5787). Hiring and
dismissal with the factory committee's consent; a disagreement goes to the District
Soviet, whose decision binds both sides; nothing is valid until finally decided; the
general factory committee consents where no office committee exists (Note 1); the
factory committee may challenge an office committee before a conciliation committee
(Note 2). Names are illustrative; deadlines and defaults are settings, not in the decree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.domain import consent_rules as cr
from soviet.domain import order_rules, rules
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation

D = dt.date(1917, 11, 6)  # 24 Oct 1917 O.S., the joint meeting (003:5700-5701, 5739-5745)
RULE = {"method": "per-unit", "per": 1000}


def world(*, office: bool = True, default: str = "refuse") -> Organisation:
    org = Organisation()
    for name in ("Moscow Soviet", "Zamoskvorechye District Soviet"):
        org.apply(rules.create_council(org, name, RULE))
    org.apply(order_rules.create_unit(org, "Works", "Moscow Soviet", D))
    org.apply(
        cr.set_up_rule(
            org,
            "Decree No. 1",
            "Moscow Soviet",
            "Works",
            ["hire", "dismiss"],
            D,
            committee="Office committee" if office else None,
            general="Factory committee",
            escalation="Zamoskvorechye District Soviet",
            conciliation="Conciliation committee",
            deadline_days=3,
            default_outcome=default,
        )
    )
    return org


def propose(org: Organisation, action: str = "dismiss", subject: str = "a fitter") -> int:
    e = cr.propose_action(org, "Decree No. 1", action, subject, "Management", D)
    org.apply(e)
    return e.number  # type: ignore[attr-defined, no-any-return]


def test_consent_makes_it_valid_at_once() -> None:
    org = world()
    n = propose(org)
    a = org.workplace_actions[n]
    assert (a.status, a.effective, a.final, a.committee) == (
        "pending",
        False,
        False,
        "Office committee",
    )
    org.apply(cr.consent(org, n, D))
    assert (a.status, a.effective, a.final, a.decided_by) == (
        "consented",
        True,
        True,
        "Office committee",
    )


def test_a_disagreement_goes_to_the_district_soviet_whose_decision_binds() -> None:
    org = world()
    n = propose(org)
    org.apply(cr.refuse(org, n, "no cause given", D))
    a = org.workplace_actions[n]
    assert (a.status, a.effective, a.final) == ("refused", False, False)
    org.apply(cr.escalate(org, n, D))
    assert (a.status, a.appeal) == ("escalated", "Zamoskvorechye District Soviet")
    org.apply(cr.decide(org, n, True, D + dt.timedelta(days=2)))
    assert (a.status, a.effective, a.final) == ("decided", True, True)
    assert a.decided_by == "Zamoskvorechye District Soviet"
    # Binding on both sides: nobody can reopen it.
    for step in (
        lambda: cr.decide(org, n, False, D),
        lambda: cr.escalate(org, n, D),
        lambda: cr.refuse(org, n, "again", D),
        lambda: cr.challenge(org, n, D),
    ):
        with pytest.raises(DomainError, match="already finally decided") as exc:
            step()
        assert exc.value.field == "number"


def test_without_an_office_committee_the_general_committee_consents() -> None:
    org = world(office=False)
    n = propose(org, "hire", "a clerk")
    assert org.workplace_actions[n].committee == "Factory committee"  # Note 1
    org.apply(cr.refuse(org, n, "not needed", D))
    with pytest.raises(DomainError, match="no office committee distinct from a general"):
        cr.challenge(org, n, D)


def test_the_factory_committee_challenges_before_conciliation() -> None:
    org = world()
    n = propose(org, "hire", "a clerk")
    org.apply(cr.refuse(org, n, "office staff complete", D))
    org.apply(cr.challenge(org, n, D))  # Note 2
    a = org.workplace_actions[n]
    assert (a.status, a.appeal, a.effective) == ("challenged", "Conciliation committee", False)
    org.apply(cr.decide(org, n, False, D))
    assert (a.status, a.effective, a.final, a.decided_by) == (
        "decided",
        False,
        True,
        "Conciliation committee",
    )


@pytest.mark.parametrize(("default", "effective"), [("refuse", False), ("consent", True)])
def test_the_default_applies_after_the_deadline_only(default: str, effective: bool) -> None:
    org = world(default=default)
    n = propose(org)
    with pytest.raises(DomainError, match="the deadline of workplace action 1 is 1917-11-09") as e:
        cr.apply_default(org, n, D + dt.timedelta(days=2))
    assert e.value.field == "date"
    org.apply(cr.apply_default(org, n, D + dt.timedelta(days=3)))
    a = org.workplace_actions[n]
    assert (a.effective, a.final, a.decided_by) == (effective, True, "default")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"actions": []}, "actions", "at least one action type"),
        ({"committee": None, "general": None}, "committee", "needs the office's committee"),
        ({"escalation": "Moscow Soviet"}, "escalation", "a council other than"),
        ({"deadline_days": 0}, "deadline_days", "at least 1"),
        ({"default_outcome": "maybe"}, "default_outcome", "refuse"),
        ({"workplace": "Nowhere"}, None, "Nowhere"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(
    change: dict[str, object], field: str | None, message: str
) -> None:
    org = world()
    args: dict[str, object] = {
        "actions": ["hire"],
        "committee": "Office committee",
        "general": "Factory committee",
        "escalation": "Zamoskvorechye District Soviet",
        "deadline_days": 3,
        "default_outcome": "refuse",
        "workplace": "Works",
    }
    args.update(change)
    with pytest.raises(DomainError, match=message) as exc:
        cr.set_up_rule(
            org,
            "Second rule",
            "Moscow Soviet",
            args["workplace"],  # type: ignore[arg-type]
            args["actions"],  # type: ignore[arg-type]
            D,
            committee=args["committee"],  # type: ignore[arg-type]
            general=args["general"],  # type: ignore[arg-type]
            escalation=args["escalation"],  # type: ignore[arg-type]
            conciliation="Conciliation committee",
            deadline_days=args["deadline_days"],  # type: ignore[arg-type]
            default_outcome=args["default_outcome"],  # type: ignore[arg-type]
        )
    if field is not None:
        assert exc.value.field == field


def test_an_action_type_the_rule_does_not_cover_is_refused() -> None:
    org = world()
    with pytest.raises(DomainError, match="action 'promote' is not covered") as exc:
        cr.propose_action(org, "Decree No. 1", "promote", "x", "Management", D)
    assert exc.value.field == "action"


STEPS = st.sampled_from(["consent", "refuse", "escalate", "challenge", "yes", "no", "default"])


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(STEPS, max_size=8), office=st.booleans())
def test_nothing_takes_effect_until_finally_decided_and_a_decision_applies_once(
    steps: list[str], office: bool
) -> None:
    org = world(office=office, default="consent")
    n = propose(org)
    a = org.workplace_actions[n]
    later = D + dt.timedelta(days=5)
    finals = 0
    for step in steps:
        decide = {
            "consent": lambda: cr.consent(org, n, D),
            "refuse": lambda: cr.refuse(org, n, "r", D),
            "escalate": lambda: cr.escalate(org, n, D),
            "challenge": lambda: cr.challenge(org, n, D),
            "yes": lambda: cr.decide(org, n, True, later),
            "no": lambda: cr.decide(org, n, False, later),
            "default": lambda: cr.apply_default(org, n, later),
        }[step]
        was_final = a.final
        try:
            org.apply(decide())
        except DomainError:
            continue
        assert not was_final, "a finally decided action changed"
        finals += a.final
        assert not a.effective or a.final, "in effect before it was finally decided"
    assert finals <= 1
