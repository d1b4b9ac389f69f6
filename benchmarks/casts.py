"""Cast throughput and latency through the CastBatcher (issue 10's load target, without
HTTP): a congress of ``--delegates`` seated delegates, one secret vote, ``--clients``
threads casting every delegate's ballot once, against SQLite and a throwaway PostgreSQL
(durability off: fsync and synchronous_commit, see tests/pgserver.py).

Printed per back end and mode: casts per second (all casts / wall time), median and
p99 latency of one cast (submit to answer), this process's CPU time per cast (the
database server's is not counted), the number of commits, and a check that
every delegate was recorded exactly once. ``batched`` is the CastBatcher with its
default policy; ``unbatched`` is ``service.handle`` per cast (one transaction each, the
path before decision 0015)::

    .venv/bin/python benchmarks/casts.py --delegates 10000 --clients 64
    .venv/bin/python benchmarks/casts.py --delegates 2000 --backends sqlite --modes unbatched
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from soviet.adapters.storage import open_service
from soviet.adapters.storage import tables as t
from soviet.adapters.storage.sql import engine_for, migrate
from soviet.application.batcher import BatchPolicy, CastBatcher
from soviet.application.commands import CastVote
from soviet.application.service import CouncilService, Transaction
from soviet.domain import congress_rules as cr
from soviet.domain import rules

ROOT = Path(__file__).resolve().parent.parent
CONGRESS = "Congress"
OPEN = dt.date(1917, 11, 7)
CHOICES = ("for", "against", "abstain")


def build(service: CouncilService, delegates: int) -> None:
    """A congress of ``delegates`` seated and present, with secret vote 1 open."""

    def work(tx: Transaction) -> None:
        tx.run(
            lambda o: rules.create_council(
                o, "CEC", {"method": "dhondt", "seats": 10}, may_convene=[CONGRESS]
            )
        )
        tx.run(
            lambda o: cr.call_congress(
                o,
                CONGRESS,
                "CEC",
                dt.date(1917, 10, 6),
                OPEN,
                quorum="1/2",
                senders={"Soviets": delegates},
                external=True,
            )
        )
        for k in range(1, delegates + 1):
            tx.run(
                partial(
                    cr.present_credential,
                    congress=CONGRESS,
                    delegate=f"D{k}",
                    sent_by="Soviets",
                    elected_on=dt.date(1917, 10, 20),
                    date=OPEN,
                )
            )
            tx.run(
                partial(cr.rule_on_credential, congress=CONGRESS, number=k, accept=True, date=OPEN)
            )
        tx.run(lambda o: cr.open_congress(o, CONGRESS, OPEN))
        everyone = list(range(1, delegates + 1))
        tx.run(lambda o: cr.register(o, CONGRESS, OPEN, arriving=True, credentials=everyone))
        tx.run(lambda o: cr.table_motion(o, CONGRESS, "Peace", "A just peace.", 1, OPEN))
        tx.run(lambda o: cr.open_vote(o, CONGRESS, 1, OPEN, mode="secret"))

    service.execute(work, "setup")


def run(url: str, delegates: int, clients: int, mode: str) -> dict[str, float]:
    migrate(url)
    service = open_service(url)
    began = time.perf_counter()
    build(service, delegates)
    setup = time.perf_counter() - began
    todo = iter(range(1, delegates + 1))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    batcher = CastBatcher(service, BatchPolicy()) if mode == "batched" else None
    submit: Callable[[CastVote, str], object] = (
        batcher.submit if batcher is not None else service.handle
    )

    def client() -> None:
        while True:
            with lock:
                k = next(todo, None)
            if k is None:
                return
            command = CastVote(
                congress=CONGRESS, vote=1, credential=k, choice=CHOICES[k % 3], date=OPEN
            )
            start = time.perf_counter()
            try:
                submit(command, f"delegate {k}")
            except Exception as exc:
                errors.append(f"{k}: {type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    if batcher is not None:
        batcher.close()
    with engine_for(url).connect() as conn:
        marks = conn.execute(select(func.count()).select_from(t.votes_cast)).scalar_one()
        box = conn.execute(select(func.count()).select_from(t.ballot_box)).scalar_one()
    recorded = Counter(
        e.seq for e in service.history() if e.type == "BallotCast"
    )  # one entry per cast
    latencies.sort()
    return {
        "setup_s": setup,
        "cpu_ms": 1000 * cpu / delegates,  # this process's CPU per cast (not the server's)
        "casts_per_s": delegates / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "commits": batcher.batches if batcher is not None else float(delegates),
        "errors": float(len(errors)),
        "exactly_once": float(marks == box == len(recorded) == delegates),
    }


@contextmanager
def databases(backends: list[str]) -> Iterator[dict[str, Callable[[], str]]]:
    made: dict[str, Callable[[], str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1_000_000))
        made["sqlite"] = lambda: f"sqlite:///{tmp}/casts-{next(counter)}.db"
        if "postgresql" not in backends:
            yield made
            return
        sys.path.insert(0, str(ROOT / "tests"))
        from pgserver import ThrowawayPostgres  # type: ignore[import-not-found]

        with ThrowawayPostgres() as pg:
            made["postgresql"] = lambda: pg.url(pg.create_database())
            yield made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--modes", default="batched,unbatched")
    args = parser.parse_args()
    backends = args.backends.split(",")
    with databases(backends) as made:
        for backend in backends:
            for mode in args.modes.split(","):
                r = run(made[backend](), args.delegates, args.clients, mode)
                print(
                    f"{backend:10} {mode:9} {args.delegates} casts, {args.clients} clients: "
                    f"{r['casts_per_s']:7.0f} casts/s, p50 {r['p50_ms']:6.1f} ms, "
                    f"p99 {r['p99_ms']:6.1f} ms, CPU {r['cpu_ms']:.2f} ms/cast, "
                    f"{r['commits']:.0f} commits, "
                    f"errors {r['errors']:.0f}, exactly once: {bool(r['exactly_once'])} "
                    f"(setup {r['setup_s']:.1f} s)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
