"""Apportionment timings: this engine at 100,000 units against votelib and `apportionment`.

Run: .venv/bin/python benchmarks/apportion.py   (prints medians of 21 runs; no assertions)

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

RUNS = 21
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


def rebuild(w: dict[str, int]) -> dict[str, int]:
    """The same-size dict work any dict-returning call does: read the names and values
    and write a fresh name -> int dict. A host-independent yardstick for the figures."""
    out = w.copy()
    out.update(zip(list(w), list(w.values()), strict=True))
    return out


def main() -> None:
    big = weights(100_000)
    seats_big = 150_000
    print(f"this engine, 100,000 units, {seats_big:,} seats, whole allocate() (median of {RUNS}):")
    target: dict[str, tuple[SeatRule, int | None]] = {
        m: (DivisorMethod(m), seats_big) for m in DIVISOR_METHODS
    }
    target |= {m: (LargestRemainder(m), seats_big) for m in QUOTAS}
    other: dict[str, tuple[SeatRule, int | None]] = {
        "dhondt, threshold 0.001%": (DivisorMethod("dhondt", threshold="0.00001"), seats_big),
        "sainte-lague, 1..4 each": (DivisorMethod("sainte-lague", minimum=1, maximum=4), seats_big),
        "per-unit 1000, min 1": (PerUnit(1000), None),
    }
    # Round-robin, one call of each rule per round, so that the host's load (which drifts
    # over seconds on this shared machine) falls on every rule alike.
    samples: dict[str, list[float]] = {label: [] for label in (*target, *other, "rebuild")}
    for _ in range(RUNS):
        for label, (rule, house) in (target | other).items():
            t = time.perf_counter()
            rule.allocate(big, house, lot=Lot())
            samples[label].append(time.perf_counter() - t)
        t = time.perf_counter()
        rebuild(big)
        samples["rebuild"].append(time.perf_counter() - t)
    yardstick = statistics.median(samples["rebuild"])
    worst = 0.0
    for label, times in samples.items():
        if label == "rebuild":
            continue
        if label == next(iter(other)):
            print("  other rules (not part of the target):")
        med = statistics.median(times)
        if label in target:
            worst = max(worst, med)
        print(
            f"  {label:26s} {med * 1000:7.1f} ms  = {med / yardstick:4.1f} x yardstick"
            f"   (fastest {min(times) * 1000:5.1f} ms)"
        )
    print(f"  yardstick: copy and refill a 100,000-entry dict {yardstick * 1000:.1f} ms")
    verdict = "met" if worst * 1000 <= TARGET_MS else "MISSED"
    print(
        f"  slowest method, median {worst * 1000:.1f} ms; target <= {TARGET_MS:.0f} ms: {verdict}"
    )
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
