"""Apportionment timings: this engine at 100,000 units against votelib and `apportionment`.

Run: .venv/bin/python benchmarks/apportion.py   (prints medians of 7 runs; no assertions)
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

import apportionment.methods as apm
from votelib.evaluate.proportional import HighestAverages
from votelib.evaluate.proportional import LargestRemainder as VotelibLR

from soviet.count.apportion import DivisorMethod, LargestRemainder
from soviet.count.ties import Lot

RUNS = 7


def median_time(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def weights(n: int, seed: int = 1917) -> dict[str, int]:
    rng = random.Random(seed)
    return {f"u{i}": rng.randint(1, 1_000_000) for i in range(n)}


def ours(method: str) -> DivisorMethod | LargestRemainder:
    return LargestRemainder(method) if method == "hare" else DivisorMethod(method)


PEERS: dict[str, tuple[Callable[[dict[str, int], int], object] | None, ...]] = {
    "dhondt": (
        lambda w, s: HighestAverages("d_hondt").evaluate(w, s),
        lambda w, s: apm.compute("dhondt", list(w.values()), s, parties=list(w)),
    ),
    "sainte-lague": (
        lambda w, s: HighestAverages("sainte_lague").evaluate(w, s),
        lambda w, s: apm.compute("saintelague", list(w.values()), s, parties=list(w)),
    ),
    "hare": (
        lambda w, s: VotelibLR("hare").evaluate(w, s),
        lambda w, s: apm.compute("largest_remainder", list(w.values()), s, parties=list(w)),
    ),
    "huntington-hill": (
        None,  # votelib 0.4.0's HH divisor cannot be used (Decimal), see the cross-checks
        lambda w, s: apm.compute("huntington", list(w.values()), s, parties=list(w)),
    ),
}


def main() -> None:
    big = weights(100_000)
    seats_big = 150_000
    print(f"this engine, 100,000 units, {seats_big} seats (median of {RUNS}):")
    mine_big: dict[str, float] = {}
    for m in PEERS:
        rule = ours(m)
        mine_big[m] = median_time(lambda r=rule: r.allocate(big, seats_big, lot=Lot()))
        print(f"  {m:16s} {mine_big[m] * 1000:8.1f} ms")
    for n in (1_000, 10_000):
        w = weights(n)
        s = n + n // 2
        print(f"\n{n:,} units, {s} seats: ours / votelib / apportionment (median of {RUNS})")
        for m, (vl, ap_) in PEERS.items():
            rule = ours(m)
            t_ours = median_time(lambda r=rule, w=w, s=s: r.allocate(w, s, lot=Lot()))
            cells = [f"ours {t_ours * 1000:8.2f} ms"]
            for label, fn in (("votelib", vl), ("apportionment", ap_)):
                if fn is None:
                    cells.append(f"{label}: n/a")
                    continue
                if label == "apportionment" and n > 1_000 and m != "hare":
                    # its divisor methods build a units x seats float matrix (1.2 GB here)
                    cells.append(f"{label}: skipped (memory)")
                    continue
                runs = RUNS if n <= 1_000 else 3
                try:
                    t = median_time(lambda f=fn, w=w, s=s: f(w, s), runs)
                except Exception as exc:  # report a peer's failure instead of stopping
                    cells.append(f"{label}: failed ({type(exc).__name__})")
                    continue
                cells.append(f"{label} {t * 1000:9.1f} ms (x{t / t_ours:,.0f})")
            print(f"  {m:16s} " + " | ".join(cells))


if __name__ == "__main__":
    main()
