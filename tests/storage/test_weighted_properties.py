"""Property: a weighted vote's tally equals the sum of the weights of its ballots, choice
by choice, and its count by heads the number of ballots (a proxy's ballot counting for
its giver too), whatever the declared weights, proxies and choices (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.application.service import CouncilService
from soviet.domain.rules import Candidate

D = dt.date(1917, 10, 1)  # illustrative
OPENS = dt.date(1917, 10, 25)
C = "Congress"


def _world(db: str) -> CouncilService:
    service = open_service(db, initialise=True)
    h = lambda c: service.handle(c, "t")  # noqa: E731
    h(
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        )
    )
    for name, headcount, delegates in (("Works", 3001, 3), ("Mill", 1000, 1), ("Shop", 200, 1)):
        h(cmd.CreateConstituency(name=name, council="Soviet", headcount=headcount))
        candidates = [Candidate(f"{name}{i}", "B", 9 - i) for i in range(delegates)]
        h(cmd.ElectDelegates(constituency=name, candidates=candidates, method="block", date=D))
    h(cmd.CallCongress(name=C, convened_by="Soviet", date=D, opens_on=OPENS, quorum="1/2",
                       senders={"Soviet": 5}, proxies=True))  # fmt: skip
    for name in ("Works0", "Works1", "Works2", "Mill0", "Shop0"):
        h(cmd.PresentCredential(congress=C, delegate=name, sent_by="Soviet", elected_on=D, date=D))
    h(cmd.RuleOnCredentials(congress=C, credentials=None, accept=True, date=D))
    h(cmd.OpenCongress(congress=C, date=OPENS))
    h(cmd.RegisterAttendance(congress=C, arriving=True, date=OPENS, credentials=[1, 2, 3, 4, 5]))
    h(cmd.TableMotion(congress=C, title="Peace", text="Peace now", mover=1, date=OPENS))
    return service


CHOICES = st.sampled_from(["for", "against", "abstain", None])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    weights=st.dictionaries(st.integers(1, 5), st.integers(1, 10_000), max_size=5),
    choices=st.lists(CHOICES, min_size=5, max_size=5),
    proxy=st.one_of(st.none(), st.tuples(st.integers(1, 5), st.integers(1, 5))),
)
def test_the_weighted_tally_is_the_sum_of_the_ballots_weights(
    weights: dict[int, int], choices: list[str | None], proxy: tuple[int, int] | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        service = _world(str(Path(tmp) / "w.db"))
        h = lambda c: service.handle(c, "t")  # noqa: E731
        for credential, weight in weights.items():
            h(cmd.DeclareWeight(congress=C, credential=credential, weight=weight, date=OPENS))
        holders: set[int] = set()
        givers: set[int] = set()
        if proxy is not None and proxy[0] != proxy[1]:
            giver, holder = proxy
            h(cmd.GrantProxy(congress=C, giver=giver, holder=holder, date=OPENS))
            givers.add(giver)
            holders.add(holder)
        h(cmd.OpenVote(congress=C, motion=1, date=OPENS, mode="roll-call", weighted=True))
        casts = []
        for credential, choice in enumerate(choices, start=1):
            if choice is None or credential in givers:
                continue
            casts.append(
                h(
                    cmd.CastVote(
                        congress=C,
                        vote=1,
                        credential=credential,
                        choice=choice,
                        date=OPENS,
                        proxies=credential in holders,
                    )
                )
            )
        if not casts:
            return
        closed = h(cmd.CloseVote(congress=C, vote=1, date=OPENS)).data()["payload"]
        weighted = {"for": 0, "against": 0, "abstain": 0}
        heads = {"for": 0, "against": 0, "abstain": 0}
        for entry in casts:
            payload = json.loads(entry.payload)
            for weight in payload["weights"].values():
                weighted[payload["choice"]] += weight
                heads[payload["choice"]] += 1
        assert closed["weighted_counts"] == weighted
        assert closed["counts"] == heads
        assert service.verify().ok
