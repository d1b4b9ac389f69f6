"""Congresses in storage: live tables, replay, the secret ballot box, the migration."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text

from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import Rows, from_rows, to_rows
from soviet.adapters.storage.sql import (
    SqlUnitOfWork,
    _alembic_config,
    engine_for,
    head_revision,
    migrate,
)
from soviet.application.commands import CastVote, CloseVote
from soviet.application.service import CouncilService
from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation

C = rules.Candidate
CALLED = dt.date(1917, 10, 10)
ELECTED = dt.date(1917, 10, 15)
OPENS = dt.date(1917, 10, 20)
DAY = dt.date(1917, 10, 25)
NIGHT = dt.date(1917, 10, 26)
NEXT = dt.date(1917, 12, 9)
CONGRESS = "Second Congress"

Decision = Callable[[Organisation], Event]

# number: (delegate, sent by, rights, group) -- presented in this order
DELEGATES = [
    ("Lenin", "Petrograd Soviet", "voice-and-vote", "B"),
    ("Trotsky", "Petrograd Soviet", "voice-and-vote", "B"),
    ("Kamenev", "Moscow Soviet", "voice-and-vote", "B"),
    ("Martov", "Petrograd Soviet", "voice-and-vote", "M"),
    ("Dan", "Moscow Soviet", "voice-and-vote", "M"),
    ("Chernov", "Petrograd Soviet", "voice-and-vote", "SR"),
    ("Avksentiev", "Moscow Soviet", "voice-and-vote", "SR"),
    ("Sukhanov", "Petrograd Soviet", "voice-only", None),
    ("Dybenko", "Kronstadt Soviet", "voice-and-vote", None),  # Kronstadt is not a sender
    ("Lenin", "Moscow Soviet", "voice-and-vote", "B"),  # a second credential
]


class Driver:
    """Runs decisions against a service, or applies them to an in-memory organisation."""

    def __init__(self, service: CouncilService | None = None) -> None:
        self.service = service
        self.org = Organisation()
        self.box: list[str] = []  # the in-memory ballot box

    def __call__(self, decide: Decision) -> None:
        if self.service is not None:
            self.service.run(decide, "test")
        else:
            self.org.apply(decide(self.org))

    def cast(self, vote: int, credential: int, choice: str, date: dt.date = NIGHT) -> None:
        if self.service is not None:
            self.service.handle(
                CastVote(
                    congress=CONGRESS, vote=vote, credential=credential, choice=choice, date=date
                ),
                "test",
            )
        else:
            self(lambda o: cr.cast(o, CONGRESS, vote, credential, choice, date))
            if self.org.congresses[CONGRESS].votes[vote].mode == "secret":
                self.box.append(choice)

    def close(self, vote: int, counts: dict[str, int] | None = None) -> None:
        if self.service is not None:
            self.service.handle(
                CloseVote(congress=CONGRESS, vote=vote, date=NIGHT, counts=counts), "test"
            )
        else:
            box, self.box = self.box, []
            self(lambda o: cr.close_vote(o, CONGRESS, vote, NIGHT, counts=counts, ballot_box=box))


def convene(run: Driver) -> None:
    """Councils, the call and its postponement, credentials, rulings, arrivals, groups."""
    run(
        lambda o: rules.create_council(
            o, "Petrograd Soviet", {"method": "per-unit", "per": 1000}, may_convene=[CONGRESS]
        )
    )
    run(lambda o: rules.create_council(o, "Moscow Soviet", {"method": "per-unit", "per": 1000}))
    run(
        lambda o: cr.call_congress(
            o,
            CONGRESS,
            "Petrograd Soviet",
            CALLED,
            dt.date(1917, 10, 18),
            quorum="1/2",
            senders={"Petrograd Soviet": 5, "Moscow Soviet": 3},
            max_credential_age_days=30,
            # the soviets' own delegates are not modelled: the call lets them send anyone
            outside_delegates=True,
        )
    )
    run(lambda o: cr.postpone(o, CONGRESS, "Petrograd Soviet", OPENS, dt.date(1917, 10, 12)))
    for name, sent_by, rights, group in DELEGATES:
        run(
            partial(
                cr.present_credential,
                congress=CONGRESS,
                delegate=name,
                sent_by=sent_by,
                elected_on=ELECTED,
                date=OPENS,
                rights=rights,
                group=group,
            )
        )
    for number in range(1, 9):
        run(
            partial(
                cr.rule_on_credential, congress=CONGRESS, number=number, accept=True, date=OPENS
            )
        )
    run(
        lambda o: cr.rule_on_credential(
            o, CONGRESS, 9, True, OPENS, reason="Kronstadt seated by the committee", override=True
        )
    )
    run(
        lambda o: cr.rule_on_credential(
            o, CONGRESS, 10, False, OPENS, reason="holds credential 1 already"
        )
    )
    run(lambda o: cr.register(o, CONGRESS, OPENS, arriving=True, credentials=list(range(1, 10))))
    run(lambda o: cr.open_congress(o, CONGRESS, DAY))
    run(lambda o: cr.declare_group(o, CONGRESS, [9], "B", DAY))
    run(lambda o: cr.declare_group(o, CONGRESS, [5], "M-Int", DAY))


def session(run: Driver, *, by_ballots: bool = False) -> None:
    """Elections, a walk-out, motions and votes in all four modes, a decree, a successor.

    Committees are elected in proportion to the groups by D'Hondt (the presidium with a
    declining group whose seats stay empty), or ``by_ballots`` by STV over ranked ballots.
    """
    presidium = {"B": ["Lenin", "Trotsky", "Kamenev"], "SR": ["Chernov"], "M": ["Martov"]}
    if by_ballots:
        run(
            lambda o: cr.elect_committee(
                o,
                CONGRESS,
                "Presidium",
                4,
                DAY,
                kind="presidium",
                method="stv-scottish",
                candidates=presidium,
                rankings=[(["Lenin", "Trotsky", "Kamenev"], 4), (["Chernov"], 2), (["Martov"], 2)],
                seed=1917,
            )
        )
    else:
        run(
            lambda o: cr.elect_committee(
                o,
                CONGRESS,
                "Presidium",
                4,
                DAY,
                kind="presidium",
                method="dhondt",
                declined=["SR"],
                declined_seats="empty",
            )
        )
    run(
        lambda o: cr.register(
            o, CONGRESS, DAY, arriving=False, group="SR", reason="walk-out of the SRs"
        )
    )
    cec = {"B": ["Kamenev", "Lenin", "Trotsky"]}
    if by_ballots:
        run(
            lambda o: cr.elect_committee(
                o,
                CONGRESS,
                "CEC",
                3,
                NIGHT,
                method="stv-meek",
                candidates=cec,
                rankings=[(["Kamenev", "Lenin", "Trotsky"], 4), (["Martov"], 1)],
                seed=1917,
            )
        )
    else:
        run(lambda o: cr.elect_committee(o, CONGRESS, "CEC", 3, NIGHT, candidates=cec))
    run(
        lambda o: cr.elect_post(
            o, CONGRESS, "Chair", NIGHT, candidates=[C("Kamenev", "B", 6), C("Martov", "M", 2)]
        )
    )
    run(
        lambda o: cr.table_motion(
            o, CONGRESS, "Decree on Land", "All land...", 1, NIGHT, decree=True
        )
    )
    run(lambda o: cr.table_motion(o, CONGRESS, "Amendment", "Except...", 4, NIGHT, amends=1))
    run(lambda o: cr.table_motion(o, CONGRESS, "Manifesto", "To all...", 8, NIGHT, urgent=True))
    run(lambda o: cr.order_motions(o, CONGRESS, [2, 1, 3], NIGHT, decided_by="chair"))
    run(lambda o: cr.withdraw_motion(o, CONGRESS, 3, NIGHT))
    # 1: show of hands on the amendment, 2: a division demanded on it supersedes it
    run(lambda o: cr.open_vote(o, CONGRESS, 2, NIGHT, stage="amendment"))
    run.close(1, {"for": 4, "against": 2, "abstain": 0})
    run(
        lambda o: cr.open_vote(
            o, CONGRESS, 2, NIGHT, stage="amendment", mode="division", supersedes=1
        )
    )
    run.close(2, {"for": 2, "against": 3, "abstain": 1})
    # 3: roll call on the decree as a basis
    run(lambda o: cr.open_vote(o, CONGRESS, 1, NIGHT, stage="basis", mode="roll-call"))
    for number, choice in [(1, "for"), (2, "for"), (4, "against"), (9, "abstain")]:
        run.cast(3, number, choice)
    run.close(3)
    # 4: secret ballot on the final text, two thirds, abstentions counting against
    run(
        lambda o: cr.open_vote(
            o,
            CONGRESS,
            1,
            NIGHT,
            mode="secret",
            majority="2/3",
            abstentions="count-against",
        )
    )
    for number, choice in [(3, "for"), (1, "for"), (9, "for"), (5, "abstain"), (2, "for")]:
        run.cast(4, number, choice)
    run.close(4)
    run(lambda o: cr.close_congress(o, CONGRESS, NIGHT))
    # the executive it elected calls the next congress, whose opening ends its mandate
    run(
        lambda o: cr.call_congress(
            o,
            "Third Congress",
            f"{CONGRESS}/CEC",
            NIGHT,
            NEXT,
            quorum="10",
            senders={"Petrograd Soviet": 10},
            previous=CONGRESS,
        )
    )
    run(lambda o: cr.open_congress(o, "Third Congress", NEXT))


def build(run: Driver, *, by_ballots: bool = False) -> None:
    convene(run)
    session(run, by_ballots=by_ballots)


def _listed(rows: Rows) -> dict[str, list[dict[str, Any]]]:
    return {name: list(table.values()) for name, table in rows.items()}


@pytest.fixture
def service(database_url: str) -> CouncilService:
    return open_service(database_url, initialise=True)


def _ballot_box(url: str) -> list[dict[str, Any]]:
    with engine_for(url).connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(select(t.ballot_box))]
        conn.rollback()
    return found


# --- in memory -------------------------------------------------------------------------
def test_the_scenario_exercises_every_rule_it_claims_to() -> None:
    run = Driver()
    build(run)
    org = run.org
    g = org.congresses[CONGRESS]
    assert g.postponements == [dt.date(1917, 10, 18)]
    assert g.credentials[9].problems and g.credentials[9].status == "accepted"
    assert g.credentials[10].status == "rejected"
    assert [c.present for c in (g.credentials[6], g.credentials[7])] == [False, False]
    assert g.committees["Presidium"].allocation.get("SR") and g.committees["Presidium"].declined
    assert g.committees["CEC"].mandate_ended_on == NEXT
    assert [m.name for m in g.committees["CEC"].members] == ["Kamenev", "Lenin", "Trotsky"]
    assert g.committees["Chair"].members[0].name == "Kamenev"
    assert [(v.mode, v.status) for v in g.votes.values()] == [
        ("show-of-hands", "superseded"),
        ("division", "closed"),
        ("roll-call", "closed"),
        ("secret", "closed"),
    ]
    assert g.votes[4].ballots == ["abstain", "for", "for", "for", "for"]
    assert g.votes[4].voted == {1, 2, 3, 5, 9}
    assert g.motions[1].status == "adopted" and g.motions[2].status == "rejected"
    assert g.motions[3].status == "withdrawn"
    assert org.decrees[1].tally == {"for": 4, "against": 0, "abstain": 1}
    assert org.councils["Petrograd Soviet"].may_convene == [CONGRESS]


@pytest.mark.parametrize("by_ballots", [False, True], ids=["dhondt", "stv"])
def test_rows_round_trip_exactly(by_ballots: bool) -> None:
    run = Driver()
    build(run, by_ballots=by_ballots)
    rows = to_rows(run.org)
    # The congress tables up to decrees (issue 11's: tests/storage/test_weighted_storage.py).
    congress_tables = t.STATE_TABLES[t.STATE_TABLES.index(t.congresses) :]
    congress_tables = congress_tables[: congress_tables.index(t.decrees) + 1]
    for table in (t.councils, *congress_tables):
        assert rows[table.name], f"the scenario leaves {table.name} empty"
    assert from_rows(_listed(rows)) == run.org
    assert to_rows(from_rows(_listed(rows))) == rows


def test_json_columns_are_canonical() -> None:
    run = Driver()
    build(run)
    rows = to_rows(run.org)
    for table in t.STATE_TABLES:
        for column in table.columns:
            if column.type.python_type is not str or column.name in {"text", "title", "reason"}:
                continue
            for row in rows[table.name].values():
                value = row[column.name]
                if isinstance(value, str) and value.startswith(("[", "{")):
                    assert value == json.dumps(json.loads(value), sort_keys=True)


# --- both back ends --------------------------------------------------------------------
@pytest.mark.parametrize(
    "by_ballots",
    [pytest.param(False, id="dhondt"), pytest.param(True, id="stv")],
)
def test_replay_equals_the_live_tables(service: CouncilService, by_ballots: bool) -> None:
    run = Driver(service)
    convene(run)
    assert to_rows(service.replay()) == to_rows(service.state())
    session(run, by_ballots=by_ballots)
    live = service.state()
    assert to_rows(service.replay()) == to_rows(live)
    assert service.replay() == live
    memory = Driver()
    build(memory, by_ballots=by_ballots)
    assert to_rows(live) == to_rows(memory.org)
    assert service.verify().ok


def test_secret_ballots_are_boxed_without_voters_then_published(
    service: CouncilService, database_url: str
) -> None:
    run = Driver(service)
    convene(run)
    run(lambda o: cr.table_motion(o, CONGRESS, "Peace", "A just peace...", 1, NIGHT))
    run(lambda o: cr.open_vote(o, CONGRESS, 1, NIGHT, mode="secret"))
    cast = [(3, "for"), (4, "against"), (1, "for"), (5, "abstain")]
    for number, choice in cast:
        run.cast(1, number, choice)

    box = _ballot_box(database_url)
    assert sorted(b["choice"] for b in box) == ["abstain", "against", "for", "for"]
    assert all(set(b) == {"id", "congress", "vote", "choice"} for b in box)
    assert all(re.fullmatch(r"[0-9a-f]{32}", b["id"]) for b in box)
    assert len({b["id"] for b in box}) == len(box)
    # who voted is kept apart; the live vote shows no ballots while open
    live = service.state().congresses[CONGRESS].votes[1]
    assert live.voted == {1, 3, 4, 5} and live.ballots == [] and live.counts == {}
    for entry in service.history():
        if entry.type == "BallotCast":
            payload = json.loads(entry.payload)
            assert "choice" not in payload
            assert set(payload) == {"congress", "vote", "credential", "date"}
    assert to_rows(service.replay()) == to_rows(service.state())

    run.close(1)
    assert _ballot_box(database_url) == []
    closed = [e for e in service.history() if e.type == "VoteClosed"][-1]
    payload = json.loads(closed.payload)
    assert payload["ballots"] == ["abstain", "against", "for", "for"]
    assert payload["counts"] == {"for": 2, "against": 1, "abstain": 1}
    assert payload["entitled"] == [1, 2, 3, 4, 5, 6, 7, 9]
    assert payload["present"] == [1, 2, 3, 4, 5, 6, 7, 9]
    vote = service.state().congresses[CONGRESS].votes[1]
    assert vote.ballots == payload["ballots"] and vote.counts == payload["counts"]
    assert to_rows(service.replay()) == to_rows(service.state())


def test_ballot_box_keeps_no_casting_order(database_url: str, service: CouncilService) -> None:
    run = Driver(service)
    convene(run)
    run(lambda o: cr.table_motion(o, CONGRESS, "Peace", "A just peace...", 1, NIGHT))
    run(lambda o: cr.open_vote(o, CONGRESS, 1, NIGHT, mode="secret"))
    with service.transaction("test") as tx:  # several ballots in one transaction
        for number, choice in [(1, "for"), (2, "against"), (3, "abstain"), (4, "for")]:
            tx.run(
                partial(
                    cr.cast, congress=CONGRESS, vote=1, credential=number, choice=choice, date=NIGHT
                )
            )
            tx.deposit_ballot(CONGRESS, 1, choice)
    with SqlUnitOfWork(database_url) as uow:
        assert uow.ballot_box(CONGRESS, 1) == ["abstain", "against", "for", "for"]
        assert uow.ballot_box(CONGRESS, 2) == []
    if database_url.startswith("sqlite"):
        with engine_for(database_url).connect() as conn:
            ddl = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'ballot_box'")
            ).scalar_one()
            conn.rollback()
        assert "WITHOUT ROWID" in ddl.upper()


def test_a_failed_command_leaves_nothing_behind(service: CouncilService, database_url: str) -> None:
    run = Driver(service)
    convene(run)
    run(lambda o: cr.table_motion(o, CONGRESS, "Peace", "A just peace...", 1, NIGHT))
    run(lambda o: cr.open_vote(o, CONGRESS, 1, NIGHT, mode="secret"))
    run.cast(1, 1, "for")
    before_rows = to_rows(service.state())
    before_seq = service.last_seq()
    before_box = _ballot_box(database_url)

    with pytest.raises(DomainError, match="already voted"):
        run.cast(1, 1, "against")
    with pytest.raises(DomainError, match=r"left the congress|not seated"):
        run.cast(1, 10, "against")
    with pytest.raises(DomainError, match="already voted"), service.transaction("test") as tx:
        # a good ballot, then a double vote: the whole transaction goes
        tx.run(lambda o: cr.cast(o, CONGRESS, 1, 2, "against", NIGHT))
        tx.deposit_ballot(CONGRESS, 1, "against")
        tx.run(lambda o: cr.cast(o, CONGRESS, 1, 2, "against", NIGHT))
    # a closed count must match who voted: a stuffed box is refused
    with pytest.raises(DomainError, match="ballot box holds"), service.transaction("t") as tx:
        tx.deposit_ballot(CONGRESS, 1, "for")
        tx.run(
            lambda o: cr.close_vote(o, CONGRESS, 1, NIGHT, ballot_box=tx.ballot_box(CONGRESS, 1))
        )

    assert service.last_seq() == before_seq
    assert to_rows(service.state()) == before_rows
    assert _ballot_box(database_url) == before_box
    assert to_rows(service.replay()) == before_rows
    run.close(1)
    assert service.state().congresses[CONGRESS].votes[1].counts["for"] == 1


# --- the schema ------------------------------------------------------------------------
def test_migrations_build_exactly_the_declared_schema(database_url: str) -> None:
    migrate(database_url)
    with engine_for(database_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diffs = compare_metadata(context, t.metadata)
        inspector = inspect(conn)
        reflected = {
            name: {c["name"]: c for c in inspector.get_columns(name)}
            for name in inspector.get_table_names()
            if name != "alembic_version"
        }
        foreign = {
            name: sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(name)
            )
            for name in reflected
        }
        conn.rollback()
    assert diffs == []
    assert set(reflected) == set(t.metadata.tables)
    for name, table in t.metadata.tables.items():
        assert list(reflected[name]) == [c.name for c in table.columns], name
        for column in table.columns:
            assert reflected[name][column.name]["nullable"] == column.nullable, (name, column)
        declared = sorted(
            (tuple(c.name for c in fk.columns), fk.referred_table.name)
            for fk in table.foreign_key_constraints
        )
        assert foreign[name] == declared, name


def test_upgrade_from_0001_keeps_councils_and_adds_may_convene(database_url: str) -> None:
    engine = engine_for(database_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
    with engine.begin() as conn:
        conn.execute(
            insert(t.councils).values(
                name="Soviet",
                seat_rule=json.dumps({"method": "per-unit", "per": 1000}),
                sections="[]",
                sections_merged=True,
                recall_threshold="1/2",
                recall_mode="by-election",
                max_term_days=None,
                calendar="gregorian",
                description="",
            )
        )
    assert migrate(database_url) == head_revision()
    service = open_service(database_url)
    assert service.state().councils["Soviet"].may_convene == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ballot_box)).scalar_one() == 0
        conn.rollback()


def test_downgrade_to_0001_and_back(database_url: str) -> None:
    engine = engine_for(database_url)
    migrate(database_url)
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")
    with engine.connect() as conn:
        inspector = inspect(conn)
        assert "congresses" not in inspector.get_table_names()
        assert "may_convene" not in {c["name"] for c in inspector.get_columns("councils")}
        conn.rollback()
    assert migrate(database_url) == head_revision()
