"""A congress of ``--delegates`` delegates through the HTTP API of ``soviet serve``
(issue 10, "Load"): printed figures, traffic to 127.0.0.1 only, bounded in count and time.

Per back end (SQLite file; a throwaway PostgreSQL, tests/pgserver.py, durability off):

* set-up, not timed: the congress built with the engine's own commands in one
  transaction (every credential accepted, every delegate present, two motions), a council
  whose secretary chairs it, a constituency of ``--electors`` members with an open recall
  petition; accounts and one-time enrolment codes for every delegate and elector (what
  ``soviet account enrol`` does), then ``soviet serve`` started as a subprocess on
  127.0.0.1 and every code redeemed at ``POST /api/enrol``: ``--password-logins`` of the
  delegates set a password (argon2id), the others keep a login link;
* timed, from ``--clients`` concurrent httpx clients: all delegates log in (password
  logins and login-link logins timed apart), the chair opens a roll-call vote, all cast,
  the chair closes it; then a secret vote: open, all cast, close; then ``--signers``
  members sign the recall petition, each their own signature;
* checked through the API: errors (must be 0), each vote's ``voted`` and tally equal to
  the number of delegates, the roll (roll-call) naming every credential once, the ledger's
  ``BallotCast`` entries one per credential and vote (no duplicate), the petition's
  signatures; the time from the last ballot's answer to the result visible on
  ``GET /api/congresses/{name}`` (the close included); the server's RSS
  (/proc/PID/status VmRSS) sampled every 0.5 s.

    .venv/bin/python benchmarks/serve.py                      # 10,000 delegates, 64 clients
    .venv/bin/python benchmarks/serve.py --delegates 200 --clients 16 --backends sqlite

Targets to report against (not asserted): >= 1,000 casts/s on PostgreSQL, p99 <= 200 ms,
the result < 1 s after the last ballot, memory flat. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import httpx

from soviet.adapters.storage import open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url
from soviet.application import commands as cmd
from soviet.application.service import CouncilService, Transaction
from soviet.domain.rules import Candidate

ROOT = Path(__file__).resolve().parent.parent
CONGRESS = "Congress"
COUNCIL = "CEC"
WORKS = "Works"
CHAIR = "chair"
D = dt.date(1917, 3, 14)
CALL = dt.date(1917, 10, 6)
OPENS = dt.date(1917, 11, 7)
DAY = OPENS.isoformat()
CHOICES = ("for", "against", "abstain")
PASSWORD = "a long enough password"
START_TIMEOUT = 120.0


# --- set-up ------------------------------------------------------------------------------
def build(service: CouncilService, delegates: int, electors: int, rounds: int = 1) -> None:
    """The congress, the chair's council and the recall constituency, in one transaction."""

    def work(tx: Transaction) -> None:
        h = tx.handle
        h(
            cmd.CreateCouncil(
                name=COUNCIL, seat_rule={"method": "per-unit", "per": 1_000_000}, may_convene=["*"]
            )
        )
        # The convening council's secretaries chair its congress (no presidium elected).
        h(cmd.AppointSecretary(council=COUNCIL, member=CHAIR, date=D))
        members = [f"m{i}" for i in range(electors)]
        h(cmd.CreateConstituency(name=WORKS, council=COUNCIL, electors=members))
        h(
            cmd.ElectDelegates(
                constituency=WORKS, candidates=[Candidate("Deputy", "B", electors)], date=D
            )
        )
        h(cmd.OpenRecall(constituency=WORKS, opened_by=members[0], date=OPENS))
        h(
            cmd.CallCongress(
                name=CONGRESS,
                convened_by=COUNCIL,
                date=CALL,
                opens_on=OPENS,
                quorum="1/2",
                senders={"Soviets": delegates},
                external=True,
            )
        )
        for k in range(1, delegates + 1):
            h(
                cmd.PresentCredential(
                    congress=CONGRESS,
                    delegate=f"D{k}",
                    sent_by="Soviets",
                    elected_on=CALL,
                    date=CALL,
                )
            )
        h(cmd.RuleOnCredentials(congress=CONGRESS, credentials=None, accept=True, date=CALL))
        h(cmd.OpenCongress(congress=CONGRESS, date=OPENS))
        everyone = list(range(1, delegates + 1))
        h(
            cmd.RegisterAttendance(
                congress=CONGRESS, arriving=True, date=OPENS, credentials=everyone
            )
        )
        h(
            cmd.TableMotion(
                congress=CONGRESS, title="Peace", text="A just peace.", mover=1, date=OPENS
            )
        )
        for k in range(rounds):  # one motion per secret vote
            h(
                cmd.TableMotion(
                    congress=CONGRESS, title=f"Land {k + 1}", text="Land.", mover=2, date=OPENS
                )
            )

    service.execute(work, "setup")


@dataclass
class Person:
    """Someone who logs in: their login name, enrolment code, then their session."""

    login: str
    code: str
    password: bool = False
    link: str | None = None
    cookie: str | None = None
    csrf: str | None = None

    def headers(self) -> dict[str, str]:
        assert self.cookie is not None and self.csrf is not None
        return {"Cookie": f"soviet_session={self.cookie}", "X-CSRF-Token": self.csrf}


def enrol_accounts(
    url: str, delegates: int, signers: int
) -> tuple[list[Person], list[Person], Person]:
    """Accounts and enrolment codes (what ``soviet account enrol`` issues)."""
    store = AccountStore(url)

    def issue(people: list[tuple[str, str]]) -> list[Person]:
        ids = [store.ensure(subject, login, login) for subject, login in people]
        codes = store.issue_codes(ids)
        return [Person(login, codes[i]) for (_s, login), i in zip(people, ids, strict=True)]

    ds = issue([(f"credential:{CONGRESS}:{k}", f"{CONGRESS}:{k}") for k in range(1, delegates + 1)])
    # The opener m0 signed when opening: the signers are m1..m<signers>.
    ms = issue([(f"member:m{i}", f"m{i}") for i in range(1, signers + 1)])
    (chair,) = issue([(f"member:{CHAIR}", CHAIR)])
    return ds, ms, chair


# --- the server ----------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Serving:
    """A running ``soviet serve`` subprocess."""

    process: subprocess.Popen[bytes]
    url: str
    log: IO[bytes]

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


@contextmanager
def serve(db: str, env: dict[str, str]) -> Iterator[Serving]:
    """``soviet --db DB serve`` on a free 127.0.0.1 port until /healthz answers; stopped
    (SIGTERM, then SIGKILL) afterwards."""
    argv = [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]
    with tempfile.TemporaryFile() as log:
        port = free_port()
        process = subprocess.Popen(
            [*argv, "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
        serving = Serving(process, f"http://127.0.0.1:{port}", log)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            with httpx.Client(base_url=serving.url, timeout=10.0) as client:
                while True:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"soviet serve did not start:\n{serving.output()}")
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.2)
            yield serving
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class RSS:
    """The server's resident memory (VmRSS, MiB), sampled every 0.5 s by a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.marks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def read(self) -> float | None:
        try:
            with open(f"/proc/{self.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            value = self.read()
            if value is not None:
                self.samples.append((time.monotonic(), value))
            self._stop.wait(0.5)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def mark(self, name: str) -> None:
        """Note where a phase starts (an index into the samples)."""
        value = self.read()
        if value is not None:
            self.samples.append((time.monotonic(), value))
        self.marks[name] = len(self.samples) - 1

    def span(self, first: str, last: str | None = None) -> tuple[float, float, float]:
        """Start, max and end RSS from mark ``first`` to mark ``last`` (or the end)."""
        a = self.marks[first]
        b = self.marks[last] + 1 if last is not None else len(self.samples)
        values = [v for _t, v in self.samples[a:b]]
        return values[0], max(values), values[-1]


# --- the clients ---------------------------------------------------------------------------
class RawResponse:
    """What the timed phases read of an answer: its status, headers and body."""

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class RawClient:
    """One keep-alive HTTP/1.1 connection to the server, for the timed casts and
    signatures (``--client raw``, the default): a request is bytes written and an answer
    parsed by its Content-Length, about a twentieth of httpx's CPU per request. On a
    2-core machine the clients share the cores with the server and the database, so the
    load generator's own CPU is taken from the thing measured (what wrk or h2load avoid
    by being written in C). The set-up phases, the checks and ``--client httpx`` use
    httpx."""

    #: Reconnect after this long idle (uvicorn drops a keep-alive connection after 5 s).
    IDLE = 2.0

    def __init__(self, url: str) -> None:
        host, _, port = url.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._used = 0.0

    async def post(self, path: str, json: Any, headers: dict[str, str]) -> RawResponse:
        """POST ``json`` to ``path``; raises ValueError for an answer it cannot read."""
        body = _json_bytes(json)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{head}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        if self._writer is None or time.monotonic() - self._used > self.IDLE:
            await self.aclose()
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None and self._writer is not None
        self._writer.write(request)
        try:
            raw = await self._reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            await self.aclose()
            raise ValueError(f"the connection closed before an answer: {exc}") from None
        status_line, *lines = raw.decode("latin-1").split("\r\n")
        fields = {}
        for line in lines:
            name, colon, value = line.partition(":")
            if colon:
                fields[name.strip().lower()] = value.strip()
        content = await self._reader.readexactly(int(fields.get("content-length", "0")))
        self._used = time.monotonic()
        if fields.get("connection", "").lower() == "close":
            await self.aclose()
        return RawResponse(int(status_line.split(" ", 2)[1]), fields, content)

    async def aclose(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


#: A client of the timed phases: httpx's, or the lean one.
Client = httpx.AsyncClient | RawClient
Answer = httpx.Response | RawResponse


@dataclass
class Phase:
    """One timed phase: requests, their latencies, errors, wall time."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    last_answer: float = 0.0
    server_cpu: float = 0.0  # the server process's CPU seconds (user + system) in the phase
    client_cpu: float = 0.0  # this process's (the clients')

    def figures(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        n = len(lat)

        def pct(p: float) -> float:
            return 1000 * lat[min(n - 1, int(p * n))] if n else 0.0

        return {
            "requests": n,
            "per_s": n / self.wall if self.wall else 0.0,
            "p50_ms": 1000 * statistics.median(lat) if n else 0.0,
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "max_ms": 1000 * lat[-1] if n else 0.0,
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "wall_s": self.wall,
            "server_cpu_ms_per_req": 1000 * self.server_cpu / n if n else 0.0,
            "client_cpu_ms_per_req": 1000 * self.client_cpu / n if n else 0.0,
        }


#: What a request may fail with, counted as an error (the lean client's: OSError, EOFError).
FAILURES = (httpx.HTTPError, OSError, EOFError, ValueError, KeyError, AssertionError)


async def run_phase(
    name: str,
    clients: list[Any],
    items: list[Any],
    request: Callable[[Any, Any], Awaitable[Any]],
    check: Callable[[Any, Any], str | None],
) -> Phase:
    """Send one request per item from ``len(clients)`` concurrent clients, each taking the
    next item when its last one is answered; a non-2xx answer or a failed check is an
    error (kept, not raised)."""
    phase = Phase(name)
    todo = iter(items)

    async def worker(client: Any) -> None:
        for item in todo:
            start = time.perf_counter()
            try:
                response = await request(client, item)
                problem = (
                    f"{response.status_code} {response.text[:200]}"
                    if response.status_code >= 300 and response.status_code != 303
                    else check(item, response)
                )
            except FAILURES as exc:
                # Counted as errors, not raised: the run goes on and reports them.
                problem = f"{type(exc).__name__}: {exc}"
            end = time.perf_counter()
            phase.latencies.append(end - start)
            phase.last_answer = max(phase.last_answer, end)
            if problem is not None:
                phase.errors.append(f"{item!r:.60}: {problem}")

    began, cpu, own = time.perf_counter(), server_cpu(), time.process_time()
    await asyncio.gather(*(worker(c) for c in clients))
    phase.wall = time.perf_counter() - began
    phase.server_cpu = server_cpu() - cpu
    phase.client_cpu = time.process_time() - own
    return phase


#: The server's process id, for ``server_cpu`` (set when it starts).
SERVER_PID: list[int] = []


def server_cpu() -> float:
    """CPU seconds (user + system) the server process has used so far."""
    if not SERVER_PID:
        return 0.0
    try:
        with open(f"/proc/{SERVER_PID[0]}/stat") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _session(person: Person, response: httpx.Response) -> str | None:
    cookie = response.cookies.get("soviet_session")
    if not cookie:
        return "no session cookie"
    person.cookie = cookie
    return None


async def _me(client: httpx.AsyncClient, person: Person) -> None:
    """After a login-link login: the session's CSRF token (GET /api/me)."""
    response = await client.get("/api/me", headers={"Cookie": f"soviet_session={person.cookie}"})
    response.raise_for_status()
    person.csrf = response.json()["csrf_token"]


async def enrol_all(clients: list[httpx.AsyncClient], people: list[Person]) -> Phase:
    async def request(client: httpx.AsyncClient, p: Person) -> httpx.Response:
        body = {"code": p.code, **({"password": PASSWORD} if p.password else {})}
        return await client.post("/api/enrol", json=body)

    def check(p: Person, r: httpx.Response) -> str | None:
        if not p.password:
            p.link = r.json().get("login_link")
            return None if p.link else "no login link"
        return None

    return await run_phase("enrol", clients, people, request, check)


async def login_all(clients: list[httpx.AsyncClient], people: list[Person], how: str) -> Phase:
    """Log each in: with the password (POST /api/login, which gives the CSRF token), or
    with the login link (GET it, then GET /api/me for the CSRF token)."""

    async def request(client: httpx.AsyncClient, p: Person) -> httpx.Response:
        if how == "password":
            return await client.post("/api/login", json={"login": p.login, "password": PASSWORD})
        assert p.link is not None
        response = await client.get(p.link, follow_redirects=False)
        if response.status_code == 303 and _session(p, response) is None:
            await _me(client, p)
        return response

    def check(p: Person, r: httpx.Response) -> str | None:
        if how == "password":
            p.csrf = r.json().get("csrf_token")
            return _session(p, r)
        return None if p.cookie and p.csrf else "no session"

    return await run_phase(f"login ({how})", clients, people, request, check)


async def command(client: Client, person: Person, name: str, body: dict[str, Any]) -> Answer:
    return await client.post(f"/api/commands/{name}", json=body, headers=person.headers())


async def cast_all(clients: list[Client], people: list[Person], vote: int) -> Phase:
    async def request(client: Client, item: tuple[int, Person]) -> Answer:
        k, p = item
        body = {"congress": CONGRESS, "vote": vote, "choice": CHOICES[k % 3], "date": DAY}
        return await command(client, p, "cast-vote", body)

    def check(item: tuple[int, Person], r: Answer) -> str | None:
        return None if r.json().get("type") == "BallotCast" else f"entry {r.text[:100]}"

    return await run_phase(
        f"cast (vote {vote})", clients, list(enumerate(people, 1)), request, check
    )


async def sign_all(clients: list[Client], people: list[Person], petition: int) -> Phase:
    async def request(client: Client, p: Person) -> Answer:
        return await command(client, p, "sign-recall", {"petition": petition, "date": DAY})

    def check(_p: Person, r: Answer) -> str | None:
        return None if r.json().get("type") == "RecallSigned" else f"entry {r.text[:100]}"

    return await run_phase("sign recall", clients, people, request, check)


def congress_path() -> str:
    return f"/api/congresses/{quote(CONGRESS)}"


def vote_row(report: dict[str, Any], vote: int) -> dict[str, Any]:
    for motion in report["motions"]:
        for v in motion["votes"]:
            if v["vote"] == vote:
                return dict(v)
    raise KeyError(vote)


async def close_and_wait(
    client: httpx.AsyncClient, chair: Person, vote: int, last_ballot: float
) -> dict[str, Any]:
    """The chair closes the vote; then GET the congress until the result shows. The time
    from the last ballot's answer to the result visible (on GET, and as the ``result``
    event of the congress's live stream, followed from just before the close), and the
    close's own latency."""
    opening = time.perf_counter()
    stream = asyncio.create_task(live_result(client, vote))
    await asyncio.sleep(0.2)  # the stream is open and has sent the state before the close
    began = time.perf_counter()
    # Not counted: the chair would close at once; the pause is the benchmark's own.
    last_ballot += began - opening
    closed = await command(
        client, chair, "close-vote", {"congress": CONGRESS, "vote": vote, "date": DAY}
    )
    close_ms = 1000 * (time.perf_counter() - began)
    if closed.status_code != 200:
        raise RuntimeError(f"close vote {vote}: {closed.status_code} {closed.text[:300]}")
    deadline = time.monotonic() + 60
    while True:
        row = vote_row((await client.get(congress_path())).json(), vote)
        if row["status"] != "open" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.01)
    visible = time.perf_counter()
    try:
        streamed: float | None = await asyncio.wait_for(stream, 60)
    except (TimeoutError, httpx.HTTPError):
        streamed = None
    return {
        "close_ms": close_ms,
        "result_after_last_ballot_ms": 1000 * (visible - last_ballot),
        "streamed_after_last_ballot_ms": (
            None if streamed is None else 1000 * (streamed - last_ballot)
        ),
        "row": row,
    }


async def live_result(client: httpx.AsyncClient, vote: int) -> float | None:
    """When the ``result`` event of ``vote`` arrives on the congress's live stream (on a
    connection of its own); None if the stream ends without it."""
    async with httpx.AsyncClient(base_url=client.base_url, timeout=60.0) as own:
        path = f"{congress_path()}/live"
        async with own.stream("GET", path, headers={"Accept": "text/event-stream"}) as r:
            if r.status_code != 200:
                return None
            event = ""
            async for line in r.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "result":
                    data = json.loads(line[5:])
                    if data.get("vote") == vote:
                        return time.perf_counter()
    return None


async def ledger_casts(client: httpx.AsyncClient, after: int) -> list[dict[str, Any]]:
    """The ``BallotCast`` entries after ``after``, page by page."""
    found: list[dict[str, Any]] = []
    cursor: int | None = after
    while cursor is not None:
        page = (
            await client.get(
                "/api/ledger", params={"after": cursor, "limit": 1000, "type": "BallotCast"}
            )
        ).json()
        found.extend(page["events"])
        cursor = page["next_after"]
    return found


async def head(client: httpx.AsyncClient) -> int:
    return int((await client.get("/healthz")).json()["seq"])


def exactly_once(
    row: dict[str, Any], casts: list[dict[str, Any]], vote: int, n: int, mode: str
) -> dict[str, Any]:
    """The checks of one closed vote: the vote's own figures and the ledger's entries."""
    mine = [e for e in casts if e["payload"].get("vote") == vote]
    per_credential = Counter(int(e["payload"]["credential"]) for e in mine)
    counts = row["counts"]
    tally = sum(counts.get(c, 0) for c in CHOICES)
    expected = Counter(CHOICES[k % 3] for k in range(1, n + 1))
    checks = {
        "voted == N": row["voted"] == n,
        "tally == N": tally == n,
        "tally by choice": all(counts.get(c, 0) == expected[c] for c in CHOICES),
        "ledger casts == N": len(mine) == n,
        "no duplicate on the ledger": all(v == 1 for v in per_credential.values())
        and set(per_credential) == set(range(1, n + 1)),
    }
    if mode == "roll-call":
        checks["roll names each once"] = sorted(map(int, row["roll"])) == list(range(1, n + 1))
    return checks


async def run_backend(
    backend: str, url: str, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    n, signers = args.delegates, args.signers
    electors = max(args.electors, 2 * signers + 2)  # the petition must stay open
    service = open_service(url, initialise=True)
    t0 = time.perf_counter()
    build(service, n, electors, args.rounds)
    delegates, members, chair = enrol_accounts(database_url(url), n, signers)
    for p in delegates[: args.password_logins]:
        p.password = True
    chair.password = True
    setup_s = time.perf_counter() - t0
    out: dict[str, Any] = {
        "backend": backend,
        "delegates": n,
        "clients": args.clients,
        "client": args.client,
        "setup_s": setup_s,
    }
    # Idle connections are dropped before uvicorn's keep-alive timeout (5 s) would close
    # them under a request being sent (a ReadError that is the client's doing).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=2.0)
    with serve(url, env) as server:
        rss = RSS(server.process.pid)
        SERVER_PID[:] = [server.process.pid]
        rss.start()
        timeout = httpx.Timeout(120.0)
        clients = [
            httpx.AsyncClient(base_url=server.url, limits=limits, timeout=timeout)
            for _ in range(args.clients)
        ]
        timed: list[Client] = (
            [RawClient(server.url) for _ in range(args.clients)]
            if args.client == "raw"
            else list(clients)
        )
        try:
            rss.mark("enrol")
            phases: dict[str, Phase] = {}
            phases["enrol"] = await enrol_all(clients, [*delegates, *members, chair])
            rss.mark("login")
            pw = [p for p in [*delegates, chair] if p.password]
            link = [p for p in [*delegates, *members] if not p.password]
            phases["login_password"] = await login_all(clients, pw, "password")
            phases["login_link"] = await login_all(clients, link, "link")
            rss.mark("votes")
            spy = spy_on(server.process.pid, args.py_spy, backend)
            c = clients[0]
            results: dict[str, Any] = {}
            votes = [(1, "roll-call", "roll-call")] + [
                (k + 2, "secret", "secret" if k == 0 else f"secret {k + 1}")
                for k in range(args.rounds)
            ]
            for vote, mode, key in votes:
                opened = await command(
                    c,
                    chair,
                    "open-vote",
                    {"congress": CONGRESS, "motion": vote, "date": DAY, "mode": mode},
                )
                if opened.status_code != 200:
                    raise RuntimeError(f"open vote: {opened.status_code} {opened.text[:300]}")
                seq = await head(c)
                phase = phases[key] = await cast_all(timed, delegates, vote)
                closed = await close_and_wait(c, chair, vote, phase.last_answer)
                casts = await ledger_casts(c, seq)
                results[key] = {
                    "rss_after_mib": rss.read(),
                    "streamed_after_last_ballot_ms": closed["streamed_after_last_ballot_ms"],
                    "close_ms": closed["close_ms"],
                    "result_after_last_ballot_ms": closed["result_after_last_ballot_ms"],
                    "checks": exactly_once(closed["row"], casts, vote, n, mode),
                }
            stop_spy(spy)
            rss.mark("petition")
            phases["sign"] = await sign_all(timed, members, 1)
            petition = (await c.get("/api/petitions/1")).json()["petitions"][0]
            results["petition"] = {
                "signatures": petition["signatures"],
                "expected": signers,  # the opener's own signature is not taken
                "status": petition["status"],
            }
            rss.mark("end")
        finally:
            await asyncio.gather(*(cl.aclose() for cl in clients))
            if args.client == "raw":
                await asyncio.gather(*(cl.aclose() for cl in timed))
            rss.stop()
        out["phases"] = {k: v.figures() for k, v in phases.items()}
        out["results"] = results
        out["rss_mib"] = {
            "whole run": rss.span("enrol"),
            "votes": rss.span("votes", "petition"),
        }
        out["server_log_tail"] = server.output()[-2000:] if args.verbose else ""
    return out


def spy_on(pid: int, folder: Path | None, backend: str) -> subprocess.Popen[bytes] | None:
    """``py-spy record`` of the server (collapsed stacks) while the votes run, if asked."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    spy = Path(sys.executable).with_name("py-spy")
    out = folder / f"{backend}.txt"
    argv = [str(spy), "record", "--pid", str(pid), "--format", "raw", "-o", str(out)]
    return subprocess.Popen(
        [*argv, "--rate", "100", "--nonblocking", "--gil"], stdout=subprocess.DEVNULL
    )


def stop_spy(spy: subprocess.Popen[bytes] | None) -> None:
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        spy.wait(timeout=60)


@contextmanager
def databases(backends: list[str], folder: str) -> Iterator[dict[str, Callable[[], str]]]:
    made: dict[str, Callable[[], str]] = {}
    counter = iter(range(1_000_000))
    made["sqlite"] = lambda: f"{folder}/serve-{next(counter)}.db"
    if "postgresql" not in backends:
        yield made
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import ThrowawayPostgres  # type: ignore[import-not-found]

    with ThrowawayPostgres() as pg:
        made["postgresql"] = lambda: str(pg.url(pg.create_database()))
        yield made


def report(r: dict[str, Any]) -> str:
    """The printed summary of one back end."""
    lines = [
        f"== {r['backend']}: {r['delegates']} delegates, {r['clients']} clients "
        f"({r['client']} for the casts and signatures) "
        f"(set-up {r['setup_s']:.1f} s, not timed)"
    ]
    names = {
        "enrol": "enrol (codes)",
        "login_password": "login, password",
        "login_link": "login, link",
        "roll-call": "cast, roll-call",
        "secret": "cast, secret",
        "sign": "sign recall",
    }
    for k in r["phases"]:
        if k.startswith("secret "):
            names[k] = f"cast, {k}"
    for key, label in names.items():
        f = r["phases"][key]
        lines.append(
            f"  {label:17} {f['requests']:6} req {f['wall_s']:7.2f} s {f['per_s']:7.0f}/s  "
            f"p50 {f['p50_ms']:6.1f}  p95 {f['p95_ms']:6.1f}  p99 {f['p99_ms']:6.1f}  "
            f"max {f['max_ms']:6.1f} ms  CPU/req server {f['server_cpu_ms_per_req']:4.1f} ms "
            f"client {f['client_cpu_ms_per_req']:4.1f} ms  "
            f"errors {f['errors']}"
            + (f"  e.g. {f['first_errors'][0]}" if f["first_errors"] else "")
        )
    for mode in [k for k in r["results"] if k != "petition"]:
        v = r["results"][mode]
        ok = all(v["checks"].values())
        failed = [k for k, good in v["checks"].items() if not good]
        lines.append(
            f"  {mode:9} vote: close {v['close_ms']:.0f} ms, result visible "
            f"{v['result_after_last_ballot_ms']:.0f} ms after the last ballot (live stream: "
            + (
                "none"
                if v["streamed_after_last_ballot_ms"] is None
                else f"{v['streamed_after_last_ballot_ms']:.0f} ms"
            )
            + "); exactly once: "
            f"{ok}"
            + (f" (failed: {', '.join(failed)})" if failed else "")
            + f"; server RSS then {v['rss_after_mib']:.0f} MiB"
        )
    p = r["results"]["petition"]
    lines.append(
        f"  petition: {p['signatures']} signatures (expected {p['expected']}), {p['status']}"
    )
    for span, (start, peak, end) in r["rss_mib"].items():
        lines.append(
            f"  server RSS ({span}): start {start:.0f} MiB, max {peak:.0f}, end {end:.0f} "
            f"(max/start {peak / start:.2f})"
        )
    return "\n".join(lines)


OPENSLIDES = """\
OpenSlides, for comparison (not run here: its stack needs Docker images from outside the
allowed registries): users report polls slowing past ~450 participants
(OpenSlides/openslides-client#4966, 2025), the page slowing past ~1,000 users in a meeting
(openslides-client#811, 2022), and votes taking minutes with 60 participants on a 4-vCPU
VM (OpenSlides#6064, 2021). Those are user reports, not a measurement on this machine."""


def _backends(text: str) -> str:
    """``--backends``: a comma-separated list of known back ends (argparse names a bad one)."""
    unknown = sorted(set(text.split(",")) - {"sqlite", "postgresql"})
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown back end {unknown[0]!r}: sqlite, postgresql")
    return text


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    backends = args.backends.split(",")
    results = []
    env: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, databases(backends, tmp) as made:
        for backend in backends:
            r = await asyncio.wait_for(
                run_backend(backend, made[backend](), args, env), args.timeout
            )
            print(report(r), flush=True)
            results.append(r)
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's options (``argv``: the command line's, by default)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--delegates", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--signers", type=int, default=1_000, help="members signing the recall")
    parser.add_argument("--electors", type=int, default=2_500, help="the constituency's roll")
    parser.add_argument(
        "--password-logins",
        type=int,
        default=64,
        help="delegates who log in with a password (argon2id); the others use a login link",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="secret votes one after another (memory over time)"
    )
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        type=_backends,
        help="comma-separated: sqlite, postgresql (default both)",
    )
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="the timed casts' and signatures' client: lean HTTP/1.1 (default) or httpx",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per back end")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--py-spy", type=Path, help="record the server with py-spy during the votes, into DIR"
    )
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.delegates <= 100_000 or not 1 <= args.clients <= 512:
        parser.error("--delegates 1..100000, --clients 1..512")
    args.password_logins = min(args.password_logins, args.delegates)
    return args


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Run the benchmark on each back end; the figures (also printed, and written to
    ``--json``)."""
    results = asyncio.run(main_async(args))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return results


def main() -> None:
    args = parse()
    run(args)
    print(OPENSLIDES)


if __name__ == "__main__":
    main()
