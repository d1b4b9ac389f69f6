"""The council of commissioners, department heads and decrees round trip on SQLite and
PostgreSQL (migration 0010): states, history and refusals survive a reopen, and
``verify`` proves the live tables equal the ledger's replay."""

from __future__ import annotations

import datetime as dt

import pytest

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import migrate
from soviet.application import commands as cmd
from soviet.application.service import CouncilService
from soviet.domain.errors import DomainError

D = dt.date(1917, 10, 26)  # illustrative
D2 = dt.date(1917, 10, 27)
D5 = dt.date(1917, 10, 31)


def test_decrees_round_trip_and_verify(database_url: str) -> None:
    migrate(database_url)
    service = open_service(database_url)

    def h(c: cmd.Command) -> None:
        service.handle(c, "t")

    h(
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        )
    )
    h(
        cmd.CallCongress(
            name="Congress",
            convened_by="Soviet",
            date=D,
            opens_on=D,
            quorum="1/2",
            senders={"Soviet": 3},
        )
    )
    h(cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=D))
    h(
        cmd.AppointDepartmentHead(
            council="Sovnarkom",
            department="Labour",
            member="m1",
            by="Congress",
            vote="v1",
            date=D,
        )
    )
    h(
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="1",
            title="Eight hours",
            text="t",
            department="Labour",
            urgent=True,
            date=D,
        )
    )
    h(cmd.GrantUrgentPowers(council="Sovnarkom", by="Congress", ratify_within_days=3, date=D))
    h(
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="2",
            title="Control",
            text="t",
            department="Labour",
            urgent=True,
            date=D,
        )
    )
    h(
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="3",
            title="Press",
            text="t",
            department="Labour",
            urgent=True,
            date=D,
        )
    )
    h(cmd.RatifyDecree(registry="1", by="Congress", date=D2))
    h(cmd.AnnulDecree(registry="3", by="Congress", date=D2))
    with pytest.raises(DomainError, match="may be ratified until 1917-10-29"):
        h(cmd.LapseDecree(registry="2", date=D2))
    h(cmd.LapseDecree(registry="2", date=D5))
    with pytest.raises(DomainError, match="decree '1' is ratified and cannot be ratified"):
        h(cmd.RatifyDecree(registry="1", by="Congress", date=D5))
    with pytest.raises(DomainError, match="'Elsewhere' cannot annul decrees"):
        h(cmd.AnnulDecree(registry="1", by="Elsewhere", date=D5))
    h(cmd.DismissDepartmentHead(council="Sovnarkom", department="Labour", by="Congress", date=D5))

    reopened = open_service(database_url)
    org = reopened.state()
    assert {r: d.status for r, d in org.executive_decrees.items()} == {
        "1": "ratified",
        "2": "lapsed",
        "3": "annulled",
    }
    assert org.executive_decrees["2"].history == [
        ["1917-10-26", "in-force-pending-ratification", "Sovnarkom"],
        ["1917-10-31", "lapsed", "deadline"],
    ]
    assert org.commissioners_councils["Sovnarkom"].urgent_days == 3
    head = org.department_heads[1]
    assert (head.member, head.vote, head.dismissed_on, head.dismissed_by) == (
        "m1",
        "v1",
        D5,
        "Congress",
    )
    report = reopened.verify()
    assert report.ok, report


def test_a_council_that_lost_confidence_resigns_and_survives_a_reopen(database_url: str) -> None:
    migrate(database_url)  # 0014: resigned_on, resigned_after
    service = open_service(database_url)

    def h(c: cmd.Command) -> None:
        service.handle(c, "t")

    h(cmd.CreateCouncil(name="Soviet", seat_rule={"method": "per-unit", "per": 1000},
                        may_convene=["*"]))  # fmt: skip
    h(cmd.CallCongress(name="Congress", convened_by="Soviet", date=D, opens_on=D,
                       quorum="1/2", senders={"Soviet": 3}))  # fmt: skip
    h(cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=D))
    h(cmd.AppointDepartmentHead(council="Sovnarkom", department="Labour", member="m1",
                                by="Congress", date=D))  # fmt: skip
    h(cmd.VoteConfidence(council="Sovnarkom", by="Congress", in_favour=25, against=23, date=D2))
    h(cmd.VoteConfidence(council="Sovnarkom", by="Congress", in_favour=20, against=28,
                         abstaining=2, date=D5))  # fmt: skip
    with pytest.raises(DomainError, match="resigned on 1917-10-31"):
        h(cmd.IssueDecree(council="Sovnarkom", registry="1", title="t", text="t",
                          department="Labour", date=D5))  # fmt: skip
    reopened = open_service(database_url)
    org = reopened.state()
    k = org.commissioners_councils["Sovnarkom"]
    assert (k.resigned_on, k.resigned_after) == (D5, "Congress")
    assert org.department_heads[1].dismissed_on == D5
    report = reopened.verify()
    assert report.ok, report


def _sovnarkom(database_url: str) -> CouncilService:
    """A migrated database holding a council, its congress and the congress's council of
    commissioners "Sovnarkom"."""
    migrate(database_url)
    service = open_service(database_url)
    for c in (
        cmd.CreateCouncil(
            name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
        ),
        cmd.CallCongress(
            name="Congress",
            convened_by="Soviet",
            date=D,
            opens_on=D,
            quorum="1/2",
            senders={"Soviet": 3},
        ),
        cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=D),
    ):
        service.handle(c, "t")
    return service


def test_signatures_and_keys_round_trip_and_verify(database_url: str) -> None:
    """Migration 0015: a decree awaiting signatures, its signatures and the keys survive a
    reopen on both back ends, a bad signature writes nothing, and verify proves the
    live tables equal the replay."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from soviet.application.checkpoints import public_key_hex
    from soviet.application.decree_documents import signed_bytes

    service = _sovnarkom(database_url)
    keys = {
        n: Ed25519PrivateKey.from_private_bytes(bytes([i + 7]) * 32) for i, n in enumerate("ab")
    }
    for c in (
        cmd.AppointDepartmentHead(
            council="Sovnarkom", department="Labour", member="m1", by="Congress", date=D
        ),
        *(
            cmd.RegisterSigningKey(holder=n, public_key=public_key_hex(k.public_key()), date=D)
            for n, k in keys.items()
        ),
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="1",
            title="Control",
            text="t",
            department="Labour",
            signatories=["a", "b"],
            date=D,
        ),
    ):
        service.handle(c, "t")

    def signature(signer: str, key: str) -> str:
        decree = service.query(lambda org: org.executive_decrees["1"])
        return keys[key].sign(signed_bytes(decree)).hex()

    service.handle(
        cmd.SignDecree(registry="1", signer="a", signature=signature("a", "a"), date=D2), "t"
    )
    seq = service.last_seq()
    with pytest.raises(DomainError, match="does not verify with the key of 'b'"):
        service.handle(
            cmd.SignDecree(registry="1", signer="b", signature=signature("b", "a"), date=D2), "t"
        )
    assert service.last_seq() == seq
    reopened = open_service(database_url)
    d = reopened.query(lambda org: org.executive_decrees["1"])
    assert (d.status, d.awaiting, [s["signer"] for s in d.signatures]) == ("draft", "draft", ["a"])
    reopened.handle(
        cmd.SignDecree(registry="1", signer="b", signature=signature("b", "b"), date=D5), "t"
    )
    d = open_service(database_url).query(lambda org: org.executive_decrees["1"])
    assert (d.status, d.awaiting, d.signed_on, d.issued_on) == ("draft", None, D5, D)
    assert reopened.query(lambda org: sorted(org.signing_keys)) == ["a", "b"]
    report = reopened.verify()
    assert report.ok, report


def test_a_decree_adopted_by_the_congress_with_its_tally_round_trips(database_url: str) -> None:
    """Migration 0017: ``adopted_by`` and ``tally`` survive a reopen; verify agrees."""
    service = _sovnarkom(database_url)
    for c in (
        cmd.IssueDecree(
            council="Sovnarkom",
            registry="1",
            title="Peace",
            text="t",
            department="Foreign Affairs",
            adopted_by="Congress",
            tally={"for": 30, "against": 2},
            date=D,
        ),
    ):
        service.handle(c, "t")
    d = open_service(database_url).query(lambda org: org.executive_decrees["1"])
    assert (d.status, d.adopted_by, d.tally) == (
        "ratified",
        "Congress",
        {"for": 30, "against": 2, "abstain": 0},
    )
    assert service.verify().ok
