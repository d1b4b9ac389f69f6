"""Small organisations for tests, built through the same decisions the commands use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from soviet.domain import rules
from soviet.domain.events import Event
from soviet.domain.model import Organisation

D = dt.date(1917, 3, 14)


def run(
    org: Organisation, decide: Callable[[Organisation], Event], log: list[Event] | None = None
) -> Event:
    """Decide and apply, as a command does; optionally keep the event."""
    event = decide(org)
    org.apply(event)
    if log is not None:
        log.append(event)
    return event


def petrograd_like(
    recall_mode: str = "by-election", threshold: str = "1/2", log: list[Event] | None = None
) -> Organisation:
    """A council under the one-per-thousand rule with a factory, a workshop and a shop."""
    org = Organisation()
    decisions: list[Callable[[Organisation], Event]] = [
        lambda o: rules.create_council(
            o,
            "Soviet",
            {"method": "per-unit", "per": 1000, "minimum": 1},
            recall_mode=recall_mode,
            recall_threshold=threshold,
            max_term_days=60,
        ),
        lambda o: rules.create_constituency(o, "Putilov", "Soviet", kind="large", headcount=3000),
        lambda o: rules.create_constituency(o, "Workshop", "Soviet", kind="small", headcount=150),
        lambda o: rules.create_constituency(
            o, "Shop", "Soviet", kind="small", electors=["ann", "bob", "cat", "dan"]
        ),
    ]
    for decide in decisions:
        run(org, decide, log)
    return org


def elect_all(org: Organisation) -> None:
    """Fill every seat: Putilov by block vote, the others by plurality."""
    c = rules.Candidate
    run(
        org,
        lambda o: rules.elect(
            o,
            "Putilov",
            [c("a1", "SR", 900), c("a2", "SR", 800), c("b1", "B", 700), c("b2", "B", 10)],
            D,
            method="block",
        ),
    )
    run(org, lambda o: rules.elect(o, "Workshop", [c("w1", "M", 80), c("w2", "B", 70)], D))
    run(org, lambda o: rules.elect(o, "Shop", [c("ann", "M", 3), c("bob", "B", 1)], D))
