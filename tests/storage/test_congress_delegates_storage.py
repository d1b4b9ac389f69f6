"""Congress delegates elected by a lower council: credentials stored and replayed."""

from __future__ import annotations

import datetime as dt

from soviet.adapters.storage import open_service
from soviet.adapters.storage.mapping import to_rows
from soviet.domain import congress_rules as cr
from soviet.domain import rules

DAY = dt.date(1917, 11, 7)


def test_council_elected_delegates_replay_equal_live(database_url: str) -> None:
    service = open_service(database_url, initialise=True)
    c = rules.Candidate
    with service.transaction("test") as tx:
        tx.run(
            lambda o: rules.create_council(
                o, "CEC", {"method": "dhondt", "seats": 9}, may_convene=["Congress"]
            )
        )
        tx.run(lambda o: rules.create_council(o, "Moscow Soviet", {"method": "dhondt", "seats": 9}))
        tx.run(
            lambda o: cr.call_congress(
                o,
                "Congress",
                "CEC",
                DAY,
                DAY,
                quorum="1",
                senders={"Moscow Soviet": 2},
                outside_delegates=True,  # the Moscow Soviet has no delegates here
            )
        )
    service.run(
        lambda o: cr.elect_congress_delegates(
            o,
            "Congress",
            "Moscow Soviet",
            [c("A", "B", 9), c("Bo", "SR", 5), c("C", "B", 4)],
            DAY,
            method="sainte-lague",
        ),
        "test",
    )
    creds = service.state().congresses["Congress"].credentials
    assert sorted((x.delegate, x.group) for x in creds.values()) == [("A", "B"), ("Bo", "SR")]
    assert to_rows(service.replay()) == to_rows(service.state())
    assert service.verify().ok
