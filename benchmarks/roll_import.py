"""Member register benchmark (issue 9): ``soviet roll import`` of 10,000 and 100,000
members on SQLite, as a user runs it (the command line, a whole process each time).

For each size, each repetition builds a fresh database (one council, 20 constituencies
with named rolls), writes a register spread over them, and times:

- ``first``: importing it into empty rolls (``--all``);
- ``again``: importing the same file again (nothing changed, nothing recorded);
- ``changes``: a file with 1% of members moved, 1% renamed, 1% left out, 1% new;
- ``export``: ``soviet roll export`` of the whole register;
- ``verify``: ``soviet verify`` (the hash chain, and the live tables against the ledger);
- ``start-up``: ``soviet --help``, the cost of starting a process, included in the others.

Medians of ``--reps`` runs (default 3), wall clock and CPU (user + system, of the
process), and the ratio of the largest size to the smallest. The target: 100,000
members imported (first, and again) within 30 s::

    .venv/bin/python benchmarks/roll_import.py [--sizes 10000,100000] [--reps 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOVIET = [str(Path(sys.executable).with_name("soviet"))]  # the console script beside python
UNITS = 20
STEPS = ("start-up", "first", "again", "changes", "export", "verify")
TARGET_S = 30.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def soviet(db: Path, *args: str) -> tuple[float, float]:
    """Run one ``soviet`` command: its wall-clock and CPU seconds (a failure stops the run).
    On a shared machine the wall clock also counts the time spent waiting for a core."""
    env = {**os.environ, "SOVIET_DB": str(db)}
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [*SOVIET, *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"soviet {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return elapsed, _children_cpu() - cpu


def register(path: Path, members: int, *, changed: bool = False) -> None:
    """A register of ``members`` spread over the constituencies; ``changed``: 1% moved,
    1% renamed, 1% left out and as many new."""
    step = 100
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("member_id,name,constituency,email\n")
        for i in range(members):
            unit = i % UNITS
            name = f"Member {i}"
            if changed and i % step == 1:
                unit = (unit + 1) % UNITS
            if changed and i % step == 2:
                name = f"Member {i} (renamed)"
            if changed and i % step == 3:
                continue
            out.write(f"M{i:07d},{name},Unit {unit:02d},m{i}@example.org\n")
        if changed:
            for i in range(members, members + members // step):
                out.write(f"M{i:07d},Member {i},Unit {i % UNITS:02d},\n")


def setup(db: Path) -> None:
    """The council and its constituencies, in-process (not what is measured)."""
    from soviet.adapters.storage import open_service
    from soviet.application import commands as cmd

    service = open_service(str(db), initialise=True)
    rule = {"method": "per-unit", "per": 1000}
    service.handle(cmd.CreateCouncil(name="Union", seat_rule=rule), "bench")
    for unit in range(UNITS):
        name = f"Unit {unit:02d}"
        service.handle(cmd.CreateConstituency(name=name, council="Union", electors=[]), "bench")


def run(members: int, work: Path) -> dict[str, tuple[float, float]]:
    # A new file each time: the set-up's engine (cached by URL) would still hold the old.
    db = work / f"roll-{members}-{time.monotonic_ns()}.db"
    setup(db)
    first, changes = work / f"first-{members}.csv", work / f"changes-{members}.csv"
    if not first.exists():
        register(first, members)
        register(changes, members, changed=True)
    return {
        "start-up": soviet(db, "--help"),
        "first": soviet(db, "roll", "import", "--all", str(first)),
        "again": soviet(db, "roll", "import", "--all", str(first)),
        "changes": soviet(db, "roll", "import", "--all", str(changes)),
        "export": soviet(db, "roll", "export", "--output", str(work / "export.csv")),
        "verify": soviet(db, "verify"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    medians: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="soviet-roll-") as tmp:
        for size in sizes:
            runs = [run(size, Path(tmp)) for _ in range(args.reps)]
            medians[size] = {s: statistics.median(r[s][0] for r in runs) for s in STEPS}
            cpu = {s: statistics.median(r[s][1] for r in runs) for s in STEPS}
            cells = "  ".join(f"{s} {medians[size][s]:6.2f} s" for s in STEPS)
            print(f"{size:>9,} members, wall (median of {args.reps}): {cells}", flush=True)
            cells = "  ".join(f"{s} {cpu[s]:6.2f} s" for s in STEPS)
            print(f"{size:>9,} members, CPU  (median of {args.reps}): {cells}", flush=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        ratios = "  ".join(f"{s} {medians[large][s] / medians[small][s]:5.1f}x" for s in STEPS)
        print(f"{large:,} / {small:,} members, wall: {ratios}")
    largest = medians[max(sizes)]
    verdict = "within" if max(largest["first"], largest["again"]) <= TARGET_S else "OVER"
    print(
        f"{max(sizes):,} members: first import {largest['first']:.1f} s, "
        f"re-import {largest['again']:.1f} s ({verdict} the {TARGET_S:.0f} s target)"
    )


if __name__ == "__main__":
    main()
