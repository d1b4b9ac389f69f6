"""Apportionment timings: this engine at 100,000 units against votelib and `apportionment`.

Run: .venv/bin/python benchmarks/apportion.py   (prints medians of 15 runs; no assertions)

The target (issue 3) is 100,000 units in <= 50 ms for a whole ``allocate`` call: input
check, counting, and the plain ``dict`` of seats the caller gets back.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

import apportionment.methods as apm
from votelib.evaluate.proportional import HighestAverages
from votelib.evaluate.proportional import LargestRemainder as VotelibLR

from soviet.count.apportion import (
    DIVISOR_METHODS,
    QUOTAS,
    DivisorMethod,
    LargestRemainder,
    PerUnit,
    SeatRule,
)
from soviet.count.ties import Lot

RUNS = 15
TARGET_MS = 50.0


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
    print(f"this engine, 100,000 units, {seats_big:,} seats, whole allocate() (median of {RUNS}):")
    rules: dict[str, tuple[SeatRule, int | None]] = {
        m: (DivisorMethod(m), seats_big) for m in DIVISOR_METHODS
    }
    rules |= {m: (LargestRemainder(m), seats_big) for m in QUOTAS}
    rules["dhondt, threshold 0.001%"] = (DivisorMethod("dhondt", threshold="0.00001"), seats_big)
    rules["sainte-lague, 1..4"] = (DivisorMethod("sainte-lague", minimum=1, maximum=4), seats_big)
    rules["per-unit 1000, min 1"] = (PerUnit(1000), None)
    # Round-robin, one call of each rule per round, so that the host's load (which drifts
    # over seconds on this shared machine) falls on every rule alike.
    samples: dict[str, list[float]] = {label: [] for label in rules}
    for _ in range(RUNS):
        for label, (rule, house) in rules.items():
            t = time.perf_counter()
            rule.allocate(big, house, lot=Lot())
            samples[label].append(time.perf_counter() - t)
    worst = 0.0
    for label, times in samples.items():
        med = statistics.median(times)
        worst = max(worst, med)
        print(f"  {label:26s} {med * 1000:7.1f} ms   (fastest {min(times) * 1000:5.1f} ms)")
    verdict = "met" if worst * 1000 <= TARGET_MS else "MISSED"
    print(f"  slowest median {worst * 1000:.1f} ms; target <= {TARGET_MS:.0f} ms: {verdict}")
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
