"""Verification time: the hash chain alone against chain + state proof (issue 8).

Builds a ledger of real domain events (councils, constituencies, elections, mandates,
roll changes, recall petitions opened and signed in batches, by-elections, dissolutions
and roll-call congresses), decided by the domain rules, sealed in chain order and applied
to an ``Organisation``; writes the ledger and the live rows the final state maps to on
SQLite; then times ``CouncilService.verify`` with and without the state proof (median of
--repeat runs, whole call in-process). Figures, not assertions: the machine is shared.

    .venv/bin/python benchmarks/verify.py [--events 100000] [--repeat 3] [--db PATH]

With ``--db PATH`` the database is kept, and reused when it exists (building 1,000,000
events takes a few minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, insert, select, update

from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.mapping import to_rows
from soviet.adapters.storage.sql import SqlLedger, engine_for, migrate
from soviet.application.ledger import GENESIS_HASH, LedgerEntry
from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation

TARGET_RATIO = 3.0  # chain + state within 3x chain only (issue 8)
C = rules.Candidate
GROUPS = ("Bolshevik", "Menshevik", "SR", "Left SR", "Anarchist")


class Full(Exception):
    """The ledger has the events asked for."""


class LedgerBuilder:
    """Decides commands with the domain rules, applies them and seals ledger entries."""

    def __init__(self, limit: int, seed: int = 1917) -> None:
        self.limit = limit
        self.rng = random.Random(seed)
        self.org = Organisation()
        self.entries: list[LedgerEntry] = []
        self.prev = GENESIS_HASH
        self.day = dt.date(1917, 3, 1)
        self.clock = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        # per open petition: electors who have not signed yet, in the order they will
        self.unsigned: dict[int, list[str]] = {}
        self.petition_unit: dict[int, str] = {}
        self.rolls: dict[str, set[str]] = {}  # the named rolls, kept here: cheap to sample
        self.named_serial = 0
        self.congresses = 0

    # --- recording -------------------------------------------------------------------
    def record(self, decide: Callable[[Organisation], Event], actor: str = "secretary") -> Event:
        """Decide, seal (chain order) and apply one event."""
        if len(self.entries) >= self.limit:
            raise Full
        event = decide(self.org)
        self.clock += dt.timedelta(seconds=7)
        entry = LedgerEntry.make(
            len(self.entries) + 1,
            self.clock.isoformat(timespec="microseconds"),
            actor,
            event.type,
            event.payload,
            self.prev,
        )
        self.org.apply(event)
        self.entries.append(entry)
        self.prev = entry.hash
        return event

    def tick(self) -> None:
        """Days pass now and then: dates stay in order, as the rules require."""
        if self.rng.random() < 0.004:
            self.day += dt.timedelta(days=1)

    # --- structure -------------------------------------------------------------------
    def council(self, index: int) -> None:
        """A council of 20 numbered and 5 named constituencies, all elected."""
        name = f"Soviet {index}"
        mode = "replacement" if index % 2 else "by-election"
        self.record(
            lambda o: rules.create_council(
                o,
                name,
                {"method": "per-unit", "per": 500, "minimum": 1},
                recall_mode=mode,
                max_term_days=90,
            )
        )
        for k in range(20):
            headcount = self.rng.randint(200, 3000)
            unit = f"{name} works {k}"
            self.record(
                lambda o, u=unit, h=headcount: rules.create_constituency(
                    o, u, name, kind="factory", headcount=h
                )
            )
        for k in range(5):
            unit = f"{name} shop {k}"
            electors = [self.new_elector() for _ in range(self.rng.randint(8, 40))]
            self.record(
                lambda o, u=unit, e=electors: rules.create_constituency(
                    o, u, name, kind="shop", electors=e
                )
            )
            self.rolls[unit] = set(electors)
        for c in self.org.constituencies_of(name):
            self.election(c.name)

    def new_elector(self) -> str:
        self.named_serial += 1
        return f"worker{self.named_serial}"

    def election(self, constituency: str) -> None:
        """Fill the vacant seats by block vote (plurality for one seat)."""
        vacant = len(rules.vacant_seats(self.org, constituency))
        if vacant == 0:
            return
        rng = self.rng
        method = "plurality" if vacant == 1 else "block"
        count = vacant + rng.randint(1, 3)
        # no more votes than the roll has (one per elector, one per seat under block)
        roll = self.org.constituencies[constituency].headcount
        cap = min(99, roll * (vacant if method == "block" else 1) // count)
        candidates = [
            C(
                f"{constituency} cand {len(self.entries)}-{i}",
                rng.choice(GROUPS),
                rng.randint(0, cap),
            )
            for i in range(count)
        ]
        self.record(lambda o: rules.elect(o, constituency, candidates, self.day, method=method))

    # --- the daily business --------------------------------------------------------------
    def open_recall(self) -> None:
        """An elector opens a petition against a delegate not already under one."""
        rng, org = self.rng, self.org
        delegate = rng.choice(org.sitting_delegates())
        if org.open_petition_against(delegate.id) is not None:
            return
        c = org.constituencies[delegate.constituency]
        if c.roll == "numbered":
            electors = [f"{c.name}#{k}" for k in range(1, c.headcount + 1)]
        else:
            electors = sorted(self.rolls[c.name])
        if not electors:
            return
        rng.shuffle(electors)
        council = org.councils[c.council]
        replacements = [C(f"{c.name} repl {len(self.entries)}", rng.choice(GROUPS))]
        self.record(
            lambda o: rules.open_recall(
                o,
                c.name,
                electors[0],
                self.day,
                seats=[delegate.seat],
                replacements=replacements if council.recall_mode == "replacement" else (),
            )
        )
        self.unsigned[max(org.petitions)] = electors
        self.petition_unit[max(org.petitions)] = c.name

    def sign(self) -> None:
        """A batch of signatures (mostly one to three, sometimes a sheet of ten)."""
        rng = self.rng
        petition = rng.choice(list(self.unsigned))
        left = self.unsigned[petition]
        size = rng.choice((1, 1, 1, 2, 2, 3, 5, 10))
        batch, self.unsigned[petition] = left[:size], left[size:]
        event = self.record(lambda o: rules.sign_recall(o, petition, batch, self.day))
        if event.payload["outcome"] is not None or not self.unsigned[petition]:
            del self.unsigned[petition]
            if event.payload["outcome"] is not None:
                self.election(self.org.petitions[petition].constituency)

    def mandate(self) -> None:
        rng, org = self.rng, self.org
        delegate = rng.choice(org.sitting_delegates())
        demand = rng.choice(("peace", "bread", "land", "the 8-hour day"))
        text = f"Instruct {delegate.name}: {demand}"
        self.record(
            lambda o: rules.adopt_mandate(
                o, delegate.constituency, text, self.day, seat=delegate.seat
            )
        )

    def roll_change(self) -> None:
        """Named rolls: an elector joins, moves to another shop or leaves."""
        rng, rolls = self.rng, self.rolls
        shop = rng.choice(sorted(rolls))
        action = rng.random()
        if action < 0.5 or len(rolls[shop]) < 5:
            electors = [self.new_elector() for _ in range(rng.randint(1, 3))]
            self.record(lambda o: rules.enrol(o, shop, electors, self.day))
            rolls[shop].update(electors)
            return
        elector = rng.choice(sorted(rolls[shop]))
        if any(elector in self.unsigned[p] for p in self.unsigned if self.petition_unit[p] == shop):
            return  # keep the generator's petition lists valid
        if action < 0.8:
            to = rng.choice([name for name in rolls if name != shop])
            self.record(lambda o: rules.move_elector(o, elector, to, self.day))
            rolls[to].add(elector)
        else:
            self.record(lambda o: rules.remove_elector(o, elector, self.day))
        rolls[shop].discard(elector)

    def dissolve(self) -> None:
        """A council dissolves itself and every constituency re-elects."""
        name = self.rng.choice(sorted(self.org.councils))
        closed = [p for p in self.unsigned if self.org.petitions[p].constituency.startswith(name)]
        try:
            self.record(lambda o: rules.dissolve(o, name, self.day, votes_for=30, votes_against=9))
        except DomainError:
            return
        for p in closed:
            self.unsigned.pop(p, None)
        for c in self.org.constituencies_of(name):
            self.election(c.name)

    def congress(self, delegates: int = 120) -> None:
        """A congress: call, credentials, opening, groups, motions and roll-call votes."""
        self.congresses += 1
        name = f"Congress {self.congresses}"
        convener = f"CEC {self.congresses}"
        rng = self.rng
        self.record(
            lambda o: rules.create_council(
                o, convener, {"method": "dhondt", "seats": 10}, may_convene=[name]
            )
        )
        half = delegates // 2
        self.record(
            lambda o: cr.call_congress(
                o,
                name,
                convener,
                self.day,
                self.day,
                quorum="1/2",
                senders={"North": half, "South": delegates - half},
                external=True,  # the sending bodies are not modelled as councils
                max_credential_age_days=60,
            )
        )
        for i in range(delegates):
            body = "North" if i < half else "South"
            self.record(
                lambda o, i=i, b=body: cr.present_credential(
                    o, name, f"{name} delegate {i}", b, self.day, self.day, group=rng.choice(GROUPS)
                )
            )
        for number in range(1, delegates + 1):
            self.record(lambda o, n=number: cr.rule_on_credential(o, name, n, True, self.day))
        self.record(lambda o: cr.open_congress(o, name, self.day))
        everyone = list(range(1, delegates + 1))
        self.record(lambda o: cr.register(o, name, self.day, arriving=True, credentials=everyone))
        for motion in range(1, 4):
            mover = rng.randint(1, delegates)
            self.record(
                lambda o, m=motion, by=mover: cr.table_motion(
                    o,
                    name,
                    f"Motion {m}",
                    f"The congress resolves {m}.",
                    by,
                    self.day,
                    decree=m == 1,
                )
            )
            event = self.record(
                lambda o, m=motion: cr.open_vote(o, name, m, self.day, mode="roll-call")
            )
            vote = event.payload["vote"]
            for credential in everyone:
                choice = rng.choice(("for", "for", "against", "abstain"))
                self.record(
                    lambda o, v=vote, k=credential, x=choice: cr.cast(o, name, v, k, x, self.day)
                )
            self.record(lambda o, v=vote: cr.close_vote(o, name, v, self.day))
        self.record(lambda o: cr.close_congress(o, name, self.day))

    def build(self) -> None:
        """Councils first, then the daily mix until the limit."""
        with contextlib.suppress(Full):
            self._build(self.limit)

    def _build(self, events: int) -> None:
        councils = max(2, events // 100_000)
        for index in range(1, councils + 1):
            self.council(index)
        congress_every = max(events // 8, 20_000)
        next_congress = congress_every
        rng = self.rng
        while True:
            self.tick()
            if len(self.entries) >= next_congress and events - len(self.entries) > 2_000:
                self.congress()
                next_congress += congress_every
                continue
            roll = rng.random()
            if roll < 0.85 and self.unsigned:
                self.sign()
            elif roll < 0.90 or not self.unsigned:
                if len(self.unsigned) < 40:
                    self.open_recall()
            elif roll < 0.94:
                self.mandate()
            elif roll < 0.9999:
                self.roll_change()
            else:
                self.dissolve()


def write(url: str, builder: LedgerBuilder) -> None:
    """The ledger and the live rows of the final state, as the commands would leave them."""
    migrate(url)
    rows = to_rows(builder.org)
    entries = builder.entries
    with engine_for(url).begin() as conn:
        for table in t.STATE_TABLES:
            if rows[table.name]:
                conn.execute(insert(table), list(rows[table.name].values()))
        for start in range(0, len(entries), 50_000):
            conn.execute(
                insert(t.ledger),
                [
                    {
                        "seq": e.seq,
                        "recorded_at": e.recorded_at,
                        "actor": e.actor,
                        "type": e.type,
                        "payload": e.payload,
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                    }
                    for e in entries[start : start + 50_000]
                ],
            )
        head = {"seq": entries[-1].seq, "hash": entries[-1].hash}
        if conn.execute(update(t.ledger_head).values(**head)).rowcount == 0:
            conn.execute(insert(t.ledger_head).values(id=1, **head))


def build_database(url: str, events: int) -> None:
    started = time.perf_counter()
    builder = LedgerBuilder(events)
    builder.build()
    built = time.perf_counter() - started
    write(url, builder)
    print(
        f"built {events:,} events in {built:.1f} s, wrote them and the live rows in "
        f"{time.perf_counter() - started - built:.1f} s"
    )


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def describe(url: str) -> None:
    """Event types and live rows, so the figures can be read against the mix."""
    with engine_for(url).connect() as conn:
        kinds = conn.execute(
            select(t.ledger.c.type, func.count())
            .group_by(t.ledger.c.type)
            .order_by(func.count().desc())
        ).all()
        rows = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in t.STATE_TABLES
        }
        conn.rollback()
    print("events: " + ", ".join(f"{k} {n:,}" for k, n in kinds))
    print("live rows: " + ", ".join(f"{k} {n:,}" for k, n in rows.items() if n))


def main() -> None:
    """Build (or reuse) the ledger, then print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, default=None, help="keep (or reuse) the database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "verify.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            build_database(url, args.events)
        service = open_service(url)
        describe(url)
        ledger = SqlLedger(url)
        events = service.last_seq()
        chain: list[float] = []
        full: list[float] = []
        replay: list[float] = []
        compare: list[float] = []
        for _ in range(args.repeat):
            chain.append(_timed(lambda: _check(service.verify(state=False))))
            full.append(_timed(lambda: _check(service.verify())))
            # The state proof's two halves on their own (no chain check alongside).
            started = time.perf_counter()
            org = service.replay(events)
            replay.append(time.perf_counter() - started)
            compare.append(_timed(lambda o=org: _check(ledger.check_state(o, events))))
            del org
        chain_s, full_s = statistics.median(chain), statistics.median(full)
        ratio = full_s / chain_s
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(f"verify, {events:,} events on SQLite, median of {args.repeat} runs")
        print(f"  chain only      {chain_s:8.2f} s  ({events / chain_s:,.0f} events/s)")
        print(f"  chain + state   {full_s:8.2f} s  ({events / full_s:,.0f} events/s)")
        print(f"  ratio           {ratio:8.2f} x  (target <= {TARGET_RATIO:.0f}x: {verdict})")
        print(f"  of which: replay {statistics.median(replay):.2f} s (service.replay), ", end="")
        print(
            f"comparison {statistics.median(compare):.2f} s (SqlLedger.check_state, to_rows incl.)"
        )


def _check(result: object) -> None:
    if not getattr(result, "ok", False):
        raise SystemExit(f"benchmark ledger failed verification: {result}")


if __name__ == "__main__":
    main()
