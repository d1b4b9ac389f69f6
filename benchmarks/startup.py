"""Start-up time of the command line (issue 9): whole processes, not in-process calls.

Runs each case N times in fresh processes and prints the median wall time, the median
CPU time (user + system of the child: less disturbed by other work on a shared machine
than wall time), and the ratio of the wall median to the budget (0.3 s). Then the top
self-time imports of ``python -X importtime`` for the import of the CLI and for
``soviet verify``, and what each heavy package costs imported alone. Figures, not
assertions: the machine is shared.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--top 10] [--small PATH] [--demo PATH]

Two ledgers, made in a temporary directory unless named (and made there if absent): a
small one of 3 events (three councils created), on which ``verify`` and ``council
list`` are start-up and little else, and the demo ledger (``soviet demo``, about 400
events), whose state proof reads and compares thousands of electors; ``--chain-only``
separates start-up from that proof, whose cost grows with the live tables, not with
imports.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BUDGET = 0.3  # seconds, whole process (issue 9)
HEAVY = ("typer", "rich", "sqlalchemy", "sqlalchemy.orm", "alembic", "numpy", "pydantic")
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")
# Runs soviet's entry point under this interpreter, so that -X importtime can be given.
_MAIN = "import sys; from soviet.adapters.cli.main import run; sys.argv[0] = 'soviet'; run()"


def timed(argv: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall and CPU seconds of ``argv`` run ``runs`` times in fresh processes."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(
            after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(walls), statistics.median(cpus)


def import_times(args: list[str]) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) for each import of ``python -X importtime ARGS``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if m := _LINE.match(line):
            rows.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    return rows


def print_imports(title: str, rows: list[tuple[int, int, str]], top: int) -> None:
    """The top self-time modules and the self time summed by top-level package."""
    total = sum(r[0] for r in rows)
    print(f"\n{title}: {len(rows)} modules, {total / 1e6:.3f} s of import (self, summed)")
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {self_us / 1e3:8.1f} ms self {cumulative_us / 1e3:8.1f} ms cumul.  {name}")
    packages: dict[str, int] = defaultdict(int)
    for self_us, _, name in rows:
        packages[name.split(".")[0]] += self_us
    biggest = sorted(packages.items(), key=lambda kv: -kv[1])[:top]
    print("  by package: " + ", ".join(f"{p} {us / 1e3:.0f} ms" for p, us in biggest))


def _soviet(*args: str) -> None:
    subprocess.run([sys.executable, "-c", _MAIN, *args], stdout=subprocess.DEVNULL, check=True)


def small_ledger(db: Path) -> Path:
    """A ledger of 3 events: three councils created (made once)."""
    if not db.exists():
        _soviet("--db", str(db), "init")
        for name in ("Petrograd", "Moscow", "Kiev"):
            seats = '{"method": "dhondt", "seats": 40}'
            _soviet("--db", str(db), "council", "create", name, "--seat-rule", seats)
    return db


def demo_ledger(db: Path) -> Path:
    """The demo ledger, about 400 events (made once)."""
    if not db.exists():
        _soviet("--db", str(db), "demo")
    return db


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    """Time the cases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="processes per case (median)")
    parser.add_argument("--top", type=int, default=10, help="imports listed")
    parser.add_argument("--small", type=Path, help="the 3-event ledger (default: a temporary one)")
    parser.add_argument("--demo", type=Path, help="the demo ledger (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = small_ledger(args.small or Path(tmp) / "small.db")
        demo = demo_ledger(args.demo or Path(tmp) / "demo.db")
        soviet = [sys.executable, "-c", _MAIN]
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import soviet.adapters.cli.main": [
                sys.executable,
                "-c",
                "import soviet.adapters.cli.main",
            ],
            "soviet --help": [*soviet, "--help"],
            "soviet verify (3 events)": [*soviet, "--db", str(small), "verify"],
            "soviet council list (3 events)": [*soviet, "--db", str(small), "council", "list"],
            "soviet verify (demo, 404 events)": [*soviet, "--db", str(demo), "verify"],
            # The chain alone: start-up plus reading 400 rows, without the state proof
            # (which reads and compares every live row, thousands of electors here).
            "soviet verify --chain-only (demo)": [
                *soviet,
                "--db",
                str(demo),
                "verify",
                "--chain-only",
            ],
        }
        envs: dict[str, dict[str, str] | None] = dict.fromkeys(cases)
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            # Every process then compiles soviet's own modules from source (an editable
            # install has no .pyc otherwise): also time what an installed soviet does.
            cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            name = "soviet verify (3 events, .pyc kept)"
            cases[name] = [*soviet, "--db", str(small), "verify"]
            envs[name] = cached
            subprocess.run(cases[name], env=cached, stdout=subprocess.DEVNULL, check=True)
        print(f"{args.runs} runs each, budget {BUDGET:.2f} s (wall, whole process)")
        bytecode = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
        print(f"bytecode cache (.pyc): {bytecode}; load average before: {_load()}")
        print(f"{'case':36} {'wall':>8} {'cpu':>8} {'wall/budget':>12}")
        for name, argv in cases.items():
            wall, cpu = timed(argv, args.runs, envs[name])
            print(f"{name:36} {wall:7.3f}s {cpu:7.3f}s {wall / BUDGET:11.2f}x")
        print(f"\nload average after: {_load()}")
        print_imports(
            "import soviet.adapters.cli.main",
            import_times(["-c", "import soviet.adapters.cli.main"]),
            args.top,
        )
        print_imports(
            "soviet verify (3 events)",
            import_times(["-c", _MAIN, "--db", str(small), "verify"]),
            args.top,
        )
    print("\neach heavy package imported alone (median wall, cpu):")
    for module in HEAVY:
        wall, cpu = timed([sys.executable, "-c", f"import {module}"], args.runs)
        print(f"  {module:16} {wall:6.3f}s {cpu:6.3f}s")


if __name__ == "__main__":
    main()
