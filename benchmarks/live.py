"""Live updates under many open streams (issue 10): fan-out latency, what the server spends.

Starts ``soviet serve`` on a temporary SQLite database holding an open congress of
``--delegates`` seated delegates, opens ``--streams`` event streams on it (one asyncio
httpx client, a connection each, all on 127.0.0.1), then from this process (another
process than the server, like the CLI) registers the delegates, opens a roll call and
casts ``--casts`` votes as fast as the service takes them, and closes it. Prints, per
phase, how long after the commit the first and the last stream saw the change, how
many ``vote`` events a stream got for the casts (changes within one poll are sent as
one), and the server's resident memory and CPU time. Figures, not assertions: the
machine is shared, and the clients run on it too.

    .venv/bin/python benchmarks/live.py [--streams 1000] [--delegates 1000] [--casts 300]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx

from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.domain import congress_rules as cr
from soviet.domain import rules

C = "Benchmark Congress"
DAY = dt.date(1917, 11, 8)


def prepare(db: str, delegates: int) -> None:
    """An open congress of ``delegates`` seated delegates (nobody present) and a motion."""
    service = open_service(db, initialise=True)
    opening = dt.date(1917, 11, 7)
    with service.transaction("bench") as tx:
        tx.run(
            lambda o: rules.create_council(
                o, "CEC", {"method": "dhondt", "seats": 10}, may_convene=[C]
            )
        )
        tx.run(
            lambda o: cr.call_congress(
                o,
                C,
                "CEC",
                dt.date(1917, 10, 6),
                opening,
                quorum="1/2",
                senders={"Soviets": delegates},
                external=True,
            )
        )
        for n in range(1, delegates + 1):
            tx.run(
                lambda o, n=n: cr.present_credential(
                    o, C, f"Delegate {n}", "Soviets", dt.date(1917, 10, 23), dt.date(1917, 11, 6)
                )
            )
        tx.run(lambda o: cr.rule_on_credentials(o, C, None, True, opening))
        tx.run(lambda o: cr.open_congress(o, C, opening))
        tx.run(lambda o: cr.register(o, C, opening, arriving=True, credentials=[1]))
        tx.run(lambda o: cr.table_motion(o, C, "Decree on Peace", "x", 1, opening, decree=True))


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Streams:
    """``count`` open streams; for each, the time it first saw each ledger seq."""

    def __init__(self, url: str, path: str, count: int) -> None:
        self.url, self.path, self.count = url, path, count
        self.seen: list[dict[int, float]] = [{} for _ in range(count)]
        self.votes = [0] * count  # vote events received
        self.opened = 0

    async def _one(self, client: httpx.AsyncClient, i: int) -> None:
        async with client.stream("GET", self.path) as response:
            self.opened += 1
            name = None
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    name = line[7:]
                    if name == "vote":
                        self.votes[i] += 1
                elif line.startswith("id: "):
                    self.seen[i].setdefault(int(line[4:]), time.monotonic())

    async def run(self, body: asyncio.Future[None]) -> None:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
        timeout = httpx.Timeout(60, read=None)
        async with httpx.AsyncClient(base_url=self.url, limits=limits, timeout=timeout) as client:
            tasks = [asyncio.create_task(self._one(client, i)) for i in range(self.count)]
            await body
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def until(self, seq: int, timeout: float = 60) -> tuple[float, float, int]:
        """Wait until every stream saw ``seq`` or later: (first, last) arrival, how many."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            times = [
                min((t for s, t in seen.items() if s >= seq), default=None) for seen in self.seen
            ]
            done = [t for t in times if t is not None]
            if len(done) == self.count:
                return min(done), max(done), len(done)
            await asyncio.sleep(0.02)
        done = [t for t in times if t is not None]
        return (min(done) if done else float("nan")), float("nan"), len(done)


async def main_async(args: argparse.Namespace, url: str, pid: int, db: str) -> None:
    service = open_service(db)
    path = f"/api/congresses/{urllib.parse.quote(C)}/live"
    streams = Streams(url, path, args.streams)
    body: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    runner = asyncio.create_task(streams.run(body))
    rss0, cpu0 = rss_kb(pid), cpu_s(pid)
    started = time.monotonic()
    head = service.head()[0]
    _, last, n = await streams.until(head, timeout=120)
    print(f"{n} of {args.streams} streams open with the state in {last - started:.2f} s")
    print(f"server: RSS {rss0 // 1024} -> {rss_kb(pid) // 1024} MiB with the streams open")

    def report(what: str, seq: int, committed: float, first: float, last: float, n: int) -> None:
        print(
            f"{what}: first stream {1000 * (first - committed):.0f} ms, "
            f"last {1000 * (last - committed):.0f} ms after the commit ({n} streams)"
        )

    async def step(what: str, command: cmd.Command) -> int:
        entry = await asyncio.to_thread(service.handle, command, "bench")
        committed = time.monotonic()
        report(what, entry.seq, committed, *await streams.until(entry.seq))
        return entry.seq

    await step(
        "arrivals",
        cmd.RegisterAttendance(
            congress=C, arriving=True, date=DAY, credentials=list(range(2, args.delegates + 1))
        ),
    )
    await step("vote opened", cmd.OpenVote(congress=C, motion=1, date=DAY, mode="roll-call"))
    votes_before = sum(streams.votes)
    cpu1 = cpu_s(pid)
    t0 = time.monotonic()

    def cast_all() -> int:
        seq = 0
        for n in range(1, args.casts + 1):
            seq = service.handle(
                cmd.CastVote(congress=C, vote=1, credential=n, choice="for", date=DAY), "bench"
            ).seq
        return seq

    seq = await asyncio.to_thread(cast_all)
    committed = time.monotonic()
    print(f"{args.casts} casts in {committed - t0:.2f} s ({args.casts / (committed - t0):.0f}/s)")
    report("last cast", seq, committed, *await streams.until(seq))
    per_stream = (sum(streams.votes) - votes_before) / args.streams
    print(
        f"vote events per stream for {args.casts} casts: {per_stream:.1f}"
        " (changes within one poll are sent as one)"
    )
    print(f"server CPU during the casts and their fan-out: {cpu_s(pid) - cpu1:.2f} s")
    await step("vote closed", cmd.CloseVote(congress=C, vote=1, date=DAY))
    print(f"server: RSS {rss_kb(pid) // 1024} MiB, CPU {cpu_s(pid) - cpu0:.2f} s over the run")
    body.set_result(None)
    await runner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--casts", type=int, default=300)
    args = parser.parse_args()
    args.casts = min(args.casts, args.delegates)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "live.db")
        t = time.monotonic()
        prepare(db, args.delegates)
        print(f"congress of {args.delegates} prepared in {time.monotonic() - t:.1f} s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        argv = [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [*argv, "--db", db, "serve", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                for _ in range(600):
                    try:
                        if httpx.get(f"{url}/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                asyncio.run(main_async(args, url, server.pid, db))
            finally:
                stopped = time.monotonic()
                server.terminate()
                server.wait(timeout=30)
                print(f"server stopped in {time.monotonic() - stopped:.2f} s")


if __name__ == "__main__":
    main()
