"""Ledger throughput: appends (batched and one per transaction) and chain verification.

Prints events per second (median of --repeat runs) on SQLite and on a throwaway
PostgreSQL server started for the run. Figures, not assertions: the machine is shared.

    .venv/bin/python benchmarks/ledger.py [--events 100000] [--batch 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, migrate
from soviet.application.ledger import GENESIS_HASH, LedgerEntry, Verification, verify_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pgserver import ThrowawayPostgres

TARGETS = {"batched": 5_000, "verify": 200_000}  # events/s on SQLite (issue 2)


def _entries(n: int) -> list[LedgerEntry]:
    out: list[LedgerEntry] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        entry = LedgerEntry.make(
            seq,
            "2026-11-22T00:00:00.000000+00:00",
            "bench",
            "RecallSigned",
            {"petition": seq % 97, "electors": [f"Putilov#{seq}"], "date": "1917-09-14"},
            prev,
        )
        out.append(entry)
        prev = entry.hash
    return out


def _append(url: str, entries: list[LedgerEntry], batch: int) -> None:
    for start in range(0, len(entries), batch):
        with SqlUnitOfWork(url) as uow:
            uow.head()  # takes the writers' lock, as every command does
            uow.append(entries[start : start + batch])
            uow.commit()


def _check(result: Verification) -> None:
    if not result.ok:
        raise SystemExit(f"benchmark ledger failed verification: {result.problem}")


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


@contextmanager
def _backends(with_postgres: bool) -> Iterator[list[tuple[str, Callable[[], str]]]]:
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1_000_000))
        backends: list[tuple[str, Callable[[], str]]] = [
            ("sqlite", lambda: f"sqlite:///{tmp}/ledger-{next(counter)}.db")
        ]
        if not with_postgres:
            yield backends
            return
        with ThrowawayPostgres() as pg:
            backends.append(("postgresql", lambda: pg.url(pg.create_database())))
            yield backends


def main() -> None:
    """Run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--single",
        type=int,
        default=None,
        help="events for one-per-transaction (default: --events)",
    )
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    single = args.single or args.events
    entries = _entries(args.events)
    print(
        f"ledger benchmark: {args.events:,} events, batches of {args.batch:,}, "
        f"median of {args.repeat} runs"
    )
    with _backends(not args.no_postgres) as backends:
        for name, fresh_url in backends:
            rates: dict[str, list[float]] = {
                "batched": [],
                "single": [],
                "verify (serial)": [],
                "verify": [],
            }
            for _ in range(args.repeat):
                url = fresh_url()
                migrate(url)
                rates["batched"].append(
                    args.events / _timed(lambda u=url: _append(u, entries, args.batch))
                )
                ledger = SqlLedger(url)
                serial = _timed(lambda lg=ledger: _check(verify_rows(lg.rows(), lg.stored_head())))
                rates["verify (serial)"].append(args.events / serial)
                parallel = _timed(lambda lg=ledger: _check(lg.verify()))
                rates["verify"].append(args.events / parallel)
                url = fresh_url()
                migrate(url)
                rates["single"].append(
                    single / _timed(lambda u=url: _append(u, entries[:single], 1))
                )
            for kind, values in rates.items():
                median = statistics.median(values)
                target = TARGETS.get(kind) if name == "sqlite" else None
                note = (
                    f"  (target >= {target:,}/s: {'met' if median >= target else 'MISSED'})"
                    if target
                    else ""
                )
                label = {
                    "batched": f"append, {args.batch}/transaction",
                    "single": "append, 1/transaction",
                    "verify (serial)": "verify chain, one process",
                    "verify": "verify chain (soviet verify)",
                }[kind]
                print(f"{name:11} {label:28} {median:>12,.0f} events/s{note}")


if __name__ == "__main__":
    main()
