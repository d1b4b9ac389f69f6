"""A small congress built through the real decisions, for the congress tests."""

from __future__ import annotations

import datetime as dt

from factories import run

from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.events import Event
from soviet.domain.model import Organisation

CALL = dt.date(1917, 10, 6)
OPEN = dt.date(1917, 11, 7)
NAME = "Congress"


def called(
    log: list[Event] | None = None,
    quorum: str = "6",
    max_age: int | None = 60,
    *,
    outside_delegates: bool = False,
) -> Organisation:
    """A convening council and a call for 3 + 5 delegates from two bodies."""
    org = Organisation()
    run(
        org,
        lambda o: rules.create_council(
            o, "CEC", {"method": "dhondt", "seats": 10}, may_convene=[NAME]
        ),
        log,
    )
    run(
        org,
        lambda o: cr.call_congress(
            o,
            NAME,
            "CEC",
            CALL,
            OPEN,
            quorum=quorum,
            senders={"North": 3, "South": 5},
            external=True,  # the sending bodies are not modelled as councils
            max_credential_age_days=max_age,
            outside_delegates=outside_delegates,
        ),
        log,
    )
    return org


def seated(log: list[Event] | None = None, quorum: str = "6") -> Organisation:
    """Eight delegates seated and present: five B, two L, one M (voice only: M1)."""
    org = called(log, quorum)
    people = [
        ("B1", "South", "B"),
        ("B2", "South", "B"),
        ("B3", "South", "B"),
        ("B4", "South", "B"),
        ("B5", "South", "B"),
        ("L1", "North", "L"),
        ("L2", "North", "L"),
        ("M1", "North", "M"),
    ]
    for name, body, group in people:
        rights = "voice-only" if name == "M1" else "voice-and-vote"
        run(
            org,
            lambda o, n=name, b=body, g=group, r=rights: cr.present_credential(
                o, NAME, n, b, dt.date(1917, 10, 20), OPEN, rights=r, group=g
            ),
            log,
        )
    for number in range(1, 9):
        run(org, lambda o, k=number: cr.rule_on_credential(o, NAME, k, True, OPEN), log)
    run(org, lambda o: cr.open_congress(o, NAME, OPEN), log)
    run(
        org, lambda o: cr.register(o, NAME, OPEN, arriving=True, credentials=list(range(1, 9))), log
    )
    return org
