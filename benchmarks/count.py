"""Benchmark of the ranked-ballot counting core against pyrankvote, votelib and pref_voting.

Generates N ranked ballots (default 1,000,000) over 20 candidates from a seeded
mixture model (four voter blocs, each a Plackett-Luce model around its own
candidate utilities, ballots truncated at a random length), writes them as a raw
BLT file (one ballot per line) in a temporary directory, and prints, on the same
ballots:

* this engine: BLT read time, Scottish STV and Meek (5 seats), IRV and Schulze
  counting times (medians of a few runs), and the wall time of the whole
  ``soviet count FILE.blt --json`` process;
* the peers, each in its own subprocess with a time limit (``--peer-timeout``,
  default 600 s): their counting time, or the time at which they were stopped,
  or their error; building their input objects is timed separately;
* ratios (peer / this engine).

No assertions: it prints figures. ``--ballots N`` runs smaller.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

N_CAND = 20
SEATS = 5


def generate(n: int, seed: int = 1917) -> tuple[np.ndarray, np.ndarray]:
    """Rankings (n x 20, padded with -1) from a four-bloc Plackett-Luce mixture."""
    rng = np.random.default_rng(seed)
    blocs = 4
    share = np.array([0.4, 0.3, 0.2, 0.1])
    utility = rng.normal(0.0, 1.5, size=(blocs, N_CAND))
    bloc = rng.choice(blocs, size=n, p=share)
    noise = rng.gumbel(size=(n, N_CAND))
    order = np.argsort(-(utility[bloc] + noise), axis=1).astype(np.int32)
    length = np.minimum(rng.geometric(0.25, size=n), N_CAND)
    order[np.arange(N_CAND)[None, :] >= length[:, None]] = -1
    return order, length


def write_raw_blt(path: Path, rows: np.ndarray, lengths: np.ndarray) -> None:
    """One ballot per line: ``1 a b c 0``."""
    names = [f"Candidate {i + 1}" for i in range(N_CAND)]
    tokens = (rows + 1).astype(str)
    with path.open("w") as f:
        f.write(f"{N_CAND} {SEATS}\n")
        chunk = 100_000
        for start in range(0, rows.shape[0], chunk):
            part = tokens[start : start + chunk]
            lens = lengths[start : start + chunk]
            pairs = zip(part.tolist(), lens.tolist(), strict=True)
            f.write("".join("1 " + " ".join(r[:k]) + " 0\n" for r, k in pairs))
        f.write("0\n")
        for name in names:
            f.write(f'"{name}"\n')
        f.write('"Benchmark election"\n')


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# ----------------------------------------------------------------- peers (subprocess)

PEERS = {
    "pyrankvote": ["stv", "irv"],
    "votelib": ["stv", "irv", "schulze"],
    "pref_voting": ["stv-scottish", "stv-meek", "irv", "schulze"],
}


def run_peer(lib: str, method: str, data: Path) -> dict[str, Any]:
    """Runs inside the subprocess: build the peer's input, count, report JSON."""
    z = np.load(data)
    rows, weights = z["rows"], z["weights"]
    grouped = [tuple(int(c) for c in r if c >= 0) for r in rows.tolist()]
    counts = weights.tolist()
    t0 = time.perf_counter()
    if lib == "pyrankvote":
        import pyrankvote

        cands = [pyrankvote.Candidate(str(i)) for i in range(N_CAND)]
        ballots = [
            pyrankvote.Ballot(ranked_candidates=[cands[c] for c in r])
            for r, w in zip(grouped, counts, strict=True)
            for _ in range(w)
        ]
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        if method == "stv":
            res = pyrankvote.single_transferable_vote(cands, ballots, SEATS)
        else:
            res = pyrankvote.instant_runoff_voting(cands, ballots)
        winners = [c.name for c in res.get_winners()]
    elif lib == "votelib":
        votes = dict(zip(grouped, counts, strict=True))
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        if method == "schulze":
            import votelib.convert as convert
            import votelib.evaluate.condorcet as cond

            pairwise = convert.RankedToCondorcetVotes(unranked_at_bottom=True).convert(votes)
            winners = [str(c) for c in cond.Schulze().evaluate(pairwise, 1)]
        else:
            import votelib.evaluate.sequential as seq

            sel = seq.TransferableVoteSelector(transferer="Gregory", quota_function="droop")
            winners = [str(c) for c in sel.evaluate(votes, SEATS if method == "stv" else 1)]
    else:
        from pref_voting.profiles_with_ties import ProfileWithTies

        prof = ProfileWithTies(
            [{c: i + 1 for i, c in enumerate(r)} for r in grouped],
            rcounts=counts,
            candidates=list(range(N_CAND)),
        )
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        if method == "stv-scottish":
            from pref_voting.proportional_methods import stv_scottish

            winners = [str(c) for c in stv_scottish(prof, num_seats=SEATS)]
        elif method == "stv-meek":
            from pref_voting.proportional_methods import stv_meek

            winners = [str(c) for c in stv_meek(prof, num_seats=SEATS)]
        elif method == "irv":
            from pref_voting.iterative_methods import (
                instant_runoff_for_truncated_linear_orders as irv,
            )

            winners = [str(c) for c in irv(prof)]
        else:
            from pref_voting.margin_based_methods import beat_path  # Schulze

            prof.use_extended_strict_preference()  # unranked below ranked, as ours
            winners = [str(c) for c in beat_path(prof)]
    elapsed = time.perf_counter() - t1
    # Report candidates 1-based, as this engine's "Candidate N" names.
    return {"build": build, "count": elapsed, "winners": [str(int(w) + 1) for w in winners]}


def peer_subprocess(lib: str, method: str, data: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--peer", lib, method, str(data)]
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"stopped at {time.perf_counter() - t:.0f} s (time limit)"}
    if proc.returncode != 0:
        lines = (proc.stderr or "").strip().splitlines()
        return {"status": "error: " + (lines[-1] if lines else f"exit {proc.returncode}")}
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["status"] = "ok"
    return out


# ----------------------------------------------------------------- main


def soviet_command() -> list[str]:
    exe = Path(sys.executable).with_name("soviet")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("soviet")
    if found:
        return [found]
    return [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-timeout", type=float, default=600.0)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peer", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer:
        lib, method, data = args.peer
        print(json.dumps(run_peer(lib, method, Path(data))))
        return

    from soviet.count.io import read_blt
    from soviet.count.irv import irv
    from soviet.count.single import schulze
    from soviet.count.stv import stv_meek, stv_scottish

    n = args.ballots
    print(f"{n:,} ballots, {N_CAND} candidates, {SEATS} seats; {os.cpu_count()} CPUs")
    t = time.perf_counter()
    rows, lengths = generate(n)
    tmp = Path(tempfile.mkdtemp(prefix="soviet-bench-"))
    blt = tmp / "ballots.blt"
    write_raw_blt(blt, rows, lengths)
    print(
        f"generated and wrote {blt} ({blt.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - t:.1f} s"
    )

    t_read, ballots = median_time(lambda: read_blt(blt), args.runs)
    print(f"distinct rankings: {ballots.rankings.shape[0]:,}")
    ours: dict[str, float] = {"read": t_read}
    winners: dict[str, list[str]] = {}
    for name, fn, runs in (
        ("stv-scottish", lambda: stv_scottish(ballots, SEATS), args.runs),
        ("stv-meek", lambda: stv_meek(ballots, SEATS), max(1, args.runs)),
        ("irv", lambda: irv(ballots), args.runs),
        ("schulze", lambda: schulze(ballots), args.runs),
    ):
        ours[name], res = median_time(fn, runs)
        winners[name] = [s.replace("Candidate ", "") for s in res.elected]

    cli: dict[str, float] = {}
    for method in ("stv-scottish", "irv"):
        cmd = [*soviet_command(), "count", str(blt), "--method", method, "--json"]
        if method == "stv-scottish":
            cmd += ["--seats", str(SEATS)]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        cli[method] = time.perf_counter() - t
        if proc.returncode != 0:
            print(f"  soviet count failed: {proc.stderr.strip()[:200]}")

    print("\nthis engine (medians):")
    print(f"  read BLT                 {ours['read']:8.3f} s")
    for k in ("stv-scottish", "stv-meek", "irv", "schulze"):
        print(f"  {k:<24} {ours[k]:8.3f} s   winners {winners[k]}")
    print(f"  meek / scottish          {ours['stv-meek'] / ours['stv-scottish']:8.1f} x")
    for k, v in cli.items():
        print(f"  `soviet count` {k:<9} {v:8.3f} s  (whole process, raw BLT)")

    if args.no_peers:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    data = tmp / "grouped.npz"
    np.savez(data, rows=ballots.rankings, weights=ballots.weights)
    ours_key = {
        "stv": "stv-scottish",
        "stv-scottish": "stv-scottish",
        "stv-meek": "stv-meek",
        "irv": "irv",
        "schulze": "schulze",
    }
    print(f"\npeers (subprocess each, limit {args.peer_timeout:.0f} s; count time excludes input):")
    for lib, methods in PEERS.items():
        for method in methods:
            res = peer_subprocess(lib, method, data, args.peer_timeout)
            mine = ours[ours_key[method]]
            if res["status"] == "ok":
                ratio = res["count"] / mine if mine else float("inf")
                print(
                    f"  {lib:<12} {method:<13} {res['count']:9.2f} s  (input {res['build']:.1f} s)"
                    f"  = {ratio:7.0f} x ours   winners {sorted(res['winners'], key=int)}"
                )
            else:
                print(f"  {lib:<12} {method:<13} {res['status']}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
