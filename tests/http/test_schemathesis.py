"""Schemathesis against the real server's /openapi.json (issue 10).

Every operation the served document lists is fuzzed, with valid (positive) and invalid
(negative) requests, against ``soviet serve`` on a copy of the demo database (the other
HTTP tests' database is never touched). Each answer must be no 5xx, have a documented
status code and content type, and conform to its documented schema. After every request
the ledger head is read again: only an accepted (2xx) write may move it, and then only
forward, keeping the entries it had; a read or a refused request leaves it as it was.

The operations are taken from the document at run time, so every endpoint is fuzzed as
soon as it is served (the accounts' login, enrolment and ``/api/commands/...`` writes
among them). Writes need a login: the ``auth_headers`` fixture is where a test account's
headers (a session cookie, ``Authorization: Bearer`` with a token from ``soviet account
token``) go; left empty, as now, every write must be refused with a documented status
(401) and write nothing.

The default run sends at least ``MIN_REQUESTS`` requests (counted and asserted), shared
out over the operations; ``pytest -m fuzz tests/http/test_schemathesis.py`` runs the
long variant (at least ``LONG_MIN_REQUESTS``). Generation is derandomized: the same
requests on every run. Only 127.0.0.1 is ever sent to, and no proxy is taken from the
environment (one that nothing listens on is set there for the run).

Schemathesis is used as a library (``APIOperation.as_strategy`` under Hypothesis's
``@given``, ``Case.call_and_validate``), one subtest per operation and mode: its pytest
loader for a fixture-made schema (``schemathesis.pytest.from_fixture``) fails on
pytest 9.2 (it sets ``request.node._nodeid``, which pytest no longer has), and the
schema is only known once the server runs.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from serving import Server, cli, free_port, running_server

#: The least number of requests in all (default run, ``-m fuzz`` run). The examples per
#: operation and mode are these shared out with a margin (an operation with a small
#: input space, such as none, runs fewer), and at least ``LEAST_EXAMPLES``: the run
#: takes about as long however many operations the document lists.
MIN_REQUESTS = 1000
LONG_MIN_REQUESTS = 10_000
MARGIN = 1.15
LEAST_EXAMPLES = 8

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # Not negative_data_rejection (an invalid request is a 4xx): an HTML form post to
    # /api/login or /api/enrol is refused with a 303 back to its page, by design.
]
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Command body values that the rules accept, by key (a random seat rule never is).
BODY: dict[str, st.SearchStrategy[Any]] = {
    "seat_rule": st.sampled_from(
        [{"method": "dhondt", "seats": 5}, {"method": "per-unit", "electors_per_seat": 1000}]
    ),
    "recall_threshold": st.sampled_from(["1/2", "2/3"]),
    "recall_mode": st.sampled_from(["by-election", "replacement"]),
    "calendar": st.sampled_from(["gregorian", "julian"]),
    "sections": st.sampled_from([[], ["workers", "soldiers"]]),
    "may_convene": st.just([]),
    "max_term_days": st.none() | st.integers(1, 365),
    # A random name is refused for a control character more often than not (the
    # negative cases and the other modes' keys still try them).
    "name": st.integers(1, 10**6).map(lambda n: f"Fuzz council {n}"),
}
#: The writes run as an admin: the least number of requests, and examples per mode.
ADMIN_REQUESTS = 250
ADMIN_EXAMPLES = 3
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
HOST = "127.0.0.1"


@dataclass
class Tally:
    """The requests sent, by operation and status, and the ledger head after the last."""

    head: tuple[int, str]
    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    moved_by: list[str] = field(default_factory=list)
    seconds: Counter[str] = field(default_factory=Counter)

    def total(self) -> int:
        return sum(self.sent.values())

    def summary(self) -> str:
        """One line per operation: requests sent, by status, and the time they took."""
        lines = [f"{self.total()} requests in {sum(self.seconds.values()):.1f} s"]
        for label, count in self.sent.items():
            statuses = sorted((s, n) for (op, s), n in self.statuses.items() if op == label)
            by_status = ", ".join(f"{s}: {n}" for s, n in statuses)
            lines.append(f"  {label}: {count} ({by_status}) {self.seconds[label]:.1f} s")
        return "\n".join(lines)


class LocalSession(requests.Session):
    """A session that sends only to 127.0.0.1 and takes no proxy (nor anything else)
    from the environment."""

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        host = urlsplit(request.url or "").hostname
        assert host == HOST, f"a request to {request.url!r}, not to the server under test"
        assert not kwargs.get("proxies"), kwargs["proxies"]
        return super().send(request, **kwargs)


def _head(session: requests.Session, server: Server) -> tuple[int, str]:
    response = session.get(f"{server.url}/healthz", timeout=30)
    assert response.status_code == 200, response.text
    data = response.json()
    return data["seq"], data["hash"]


def _hash_at(db: str, seq: int) -> str | None:
    """The hash of ledger entry ``seq`` in the database file, read directly."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT hash FROM ledger WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else str(row[0])


@pytest.fixture
def fuzz_server(demo_db: str, tmp_path: Path) -> Iterator[Server]:
    """``soviet serve`` on a copy of the demo database, for one run."""
    db = f"{tmp_path}/demo.db"
    # The backup API copies a consistent database whatever its journal mode.
    with closing(sqlite3.connect(demo_db)) as source, closing(sqlite3.connect(db)) as target:
        source.backup(target)
    with running_server(db) as running:
        yield running


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[requests.Session]:
    """The one connection pool for the run. A proxy that nothing listens on is set in the
    environment: a request that took it would fail."""
    nowhere = f"http://{HOST}:{free_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, nowhere)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with LocalSession() as s:
        yield s


@pytest.fixture
def auth_headers() -> dict[str, str]:
    """Headers sent with every request: the hook for a logged-in test account once write
    endpoints exist (``{"Cookie": "session=..."}``, ``{"Authorization": "Bearer ..."}``).
    Empty: an anonymous reader, whose writes must all be refused."""
    return {}


def _load(server: Server, session: requests.Session) -> schemathesis.BaseSchema:
    """The server's own /openapi.json, with no configuration file read."""
    response = session.get(f"{server.url}/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    loaded = schemathesis.openapi.from_dict(response.json(), config=schemathesis.Config())
    loaded.config.update(base_url=server.url)
    return loaded


def _check_one(
    case: schemathesis.Case,
    session: requests.Session,
    headers: dict[str, str],
    server: Server,
    tally: Tally,
) -> None:
    """Send one case, validate the answer, and see what it did to the ledger head."""
    label = case.operation.label
    tally.sent[label] += 1
    started = time.monotonic()
    response = case.call_and_validate(
        base_url=server.url, session=session, headers=dict(headers), checks=CHECKS
    )
    tally.seconds[label] += time.monotonic() - started
    session.cookies.clear()  # a login that a case won must not carry to the next case
    tally.statuses[(label, response.status_code)] += 1
    before = tally.head
    after = _head(session, server)
    now_at_before = before[1] if after == before else _hash_at(server.db, before[0])
    wrong = ledger_change_wrong(case.method, response.status_code, before, after, now_at_before)
    assert wrong is None, f"{label}: {wrong}"
    if after != before:
        tally.moved_by.append(label)
    tally.head = after


def ledger_change_wrong(
    method: str,
    status: int,
    before: tuple[int, str],
    after: tuple[int, str],
    hash_now_at_before: str | None,
) -> str | None:
    """What is wrong with the ledger head going from ``before`` to ``after`` (SEQ, HASH)
    under one request, or None: only an accepted (2xx) write may move it, and only
    forward, with the entry that was the head still there unchanged."""
    if after == before:
        return None
    if method.upper() not in WRITES or not 200 <= status < 300:
        return f"a {method.upper()} answered {status} and moved the ledger {before} -> {after}"
    if after[0] <= before[0]:
        return f"the ledger head went back: {before} -> {after}"
    if hash_now_at_before != before[1]:
        return f"entry {before[0]} was rewritten: {before[1]} -> {hash_now_at_before}"
    return None


def _known(
    server: Server, session: requests.Session, head: int
) -> dict[str, st.SearchStrategy[Any]]:
    """Values that name something on the demo database, by parameter name (``name`` is a
    council's or a congress's, by path): a random name is almost always a 404 and a
    random ``as_of`` past the head, so positive cases mostly draw from these, to reach
    the views behind the lookups. Names with a ``/report``-like tail are requests for the
    bare name's route that the server must not take for the longer one."""

    def rows(path: str, key: str) -> list[dict[str, Any]]:
        response = session.get(f"{server.url}{path}", params={"limit": 1000}, timeout=30)
        assert response.status_code == 200, (path, response.text)
        found: list[dict[str, Any]] = response.json()[key]
        return found

    councils = sorted({c["name"] for c in rows("/api/councils", "councils")})
    congresses = sorted({c["name"] for c in rows("/api/congresses", "congresses")})
    constituencies = rows("/api/constituencies", "constituencies")
    petitions = sorted({p["petition"] for p in rows("/api/petitions", "petitions")})
    events = rows("/api/ledger", "events")
    pairs = [f"{e['seq']}:{e['hash']}" for e in events[:: max(1, len(events) // 20)]]

    def names(found: list[str]) -> st.SearchStrategy[str]:
        tails = ("/report", "/stale", "/credentials")
        return st.sampled_from(found) | st.sampled_from([n + t for n in found for t in tails])

    return {
        "/api/councils": names(councils),
        "/api/congresses": names(congresses),
        "council": st.sampled_from(councils),
        "constituency": st.sampled_from(sorted({c["name"] for c in constituencies})),
        "section": st.sampled_from(sorted({str(c["section"]) for c in constituencies})),
        "number": st.sampled_from(petitions),
        "seat": st.integers(1, 3),
        "as_of": st.integers(0, head + 1),  # head + 1: the first SEQ that is refused
        "after": st.integers(0, head + 1),
        "type": st.sampled_from(sorted({e["type"] for e in events})),
        "on": st.dates().map(str),
        "checkpoint": st.lists(
            st.sampled_from([*pairs, f"1:{'0' * 64}", f"{head + 1}:{'0' * 64}"]), max_size=3
        ),
    }


def _inform(
    case: schemathesis.Case, data: st.DataObject, known: dict[str, st.SearchStrategy[Any]]
) -> None:
    """Replace some of a case's path, query and body values by known ones."""
    names = known["/api/congresses" if case.path.startswith("/api/congresses") else "/api/councils"]
    for container in (case.path_parameters, case.query):
        if container is None:
            continue
        for key in list(container):
            strategy = (
                names if key == "name" and container is case.path_parameters else known.get(key)
            )
            if strategy is not None and data.draw(st.integers(0, 3)):  # 3 times in 4
                value = data.draw(strategy)
                # Path values are sent encoded, as Schemathesis encodes its own ("/" too).
                is_path = container is case.path_parameters and isinstance(value, str)
                container[key] = quote(value, safe="") if is_path else value
    if isinstance(case.body, dict):
        for key in list(case.body):
            if key in BODY:  # always: each random value would be refused
                case.body[key] = data.draw(BODY[key])


def _has_inputs(operation: schemathesis.APIOperation) -> bool:
    """Whether the operation takes anything that a negative case could make invalid."""
    containers = (operation.path_parameters, operation.query, operation.headers)
    return any(len(c) for c in (*containers, operation.cookies)) or bool(list(operation.body))


def _run(
    operation: schemathesis.APIOperation,
    mode: schemathesis.GenerationMode,
    examples: int,
    known: dict[str, st.SearchStrategy[Any]],
    check: Callable[[schemathesis.Case], None],
) -> None:
    """Hypothesis over one operation's cases of one mode (positive ones informed)."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same cases on every run
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: schemathesis.Case, data: st.DataObject) -> None:
        if mode is schemathesis.GenerationMode.POSITIVE:
            _inform(case, data, known)
        check(case)

    run()


def _fuzz(
    server: Server,
    session: requests.Session,
    headers: dict[str, str],
    subtests: pytest.Subtests,
    least: int,
    select: Callable[[schemathesis.APIOperation], bool] = lambda _operation: True,
    least_examples: int = LEAST_EXAMPLES,
) -> Tally:
    """Every operation (that ``select`` takes), positive then negative cases, ``least``
    requests or more in all: one subtest each (a failure does not stop the others)."""
    schema = _load(server, session)
    tally = Tally(head=_head(session, server))
    start = tally.head
    known = _known(server, session, start[0])
    sent = (session, headers, server, tally)
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()  # an operation the loader cannot read is an error
        if select(operation):
            operations.append(operation)
    examples = max(least_examples, math.ceil(least * MARGIN / (2 * len(operations))))
    for operation in operations:
        for mode in MODES if _has_inputs(operation) else MODES[:1]:
            with subtests.test(msg=f"{operation.label} {mode.value}"):
                try:
                    _run(operation, mode, examples, known, lambda case: _check_one(case, *sent))
                except Unsatisfiable:
                    if mode is schemathesis.GenerationMode.POSITIVE:
                        raise
                    # No input of this operation can be made invalid (a free string).
                    pytest.skip(f"{operation.label}: no invalid request to make")
    expected = {op.label for op in operations}
    assert set(tally.sent) == expected, "an operation was never sent"
    if not tally.moved_by:
        assert tally.head == start
    assert _hash_at(server.db, start[0]) == start[1]
    return tally


def test_the_api_fuzzed(
    fuzz_server: Server,
    session: requests.Session,
    auth_headers: dict[str, str],
    subtests: pytest.Subtests,
) -> None:
    tally = _fuzz(fuzz_server, session, auth_headers, subtests, MIN_REQUESTS)
    print(tally.summary())  # shown with -s or on failure
    assert tally.total() >= MIN_REQUESTS, tally.sent


@pytest.fixture
def admin_headers(fuzz_server: Server) -> dict[str, str]:
    """A bearer token of an admin account made on the fuzzed database."""
    for args in (("account", "admin", "fuzz-admin"), ("account", "token", "fuzz-admin")):
        code, out, err = cli(fuzz_server.db, *args)
        assert code == 0, err
    return {"Authorization": f"Bearer {out.strip()}"}


def test_the_writes_fuzzed_as_an_admin(
    fuzz_server: Server,
    session: requests.Session,
    admin_headers: dict[str, str],
    subtests: pytest.Subtests,
) -> None:
    """Logged in, a write is accepted (an admin may create a council) or refused (403,
    404, 422), and only the accepted ones move the ledger."""
    tally = _fuzz(
        fuzz_server,
        session,
        admin_headers,
        subtests,
        ADMIN_REQUESTS,
        select=lambda operation: operation.method.upper() in WRITES,
        least_examples=ADMIN_EXAMPLES,
    )
    print(tally.summary())
    assert tally.total() >= ADMIN_REQUESTS, tally.sent
    commands = {s for (op, s), _n in tally.statuses.items() if "/api/commands/" in op}
    assert 401 not in commands, "the token was not taken"
    assert tally.moved_by, "no write was accepted"


@pytest.mark.fuzz
def test_the_api_fuzzed_long(
    fuzz_server: Server,
    session: requests.Session,
    auth_headers: dict[str, str],
    subtests: pytest.Subtests,
    request: pytest.FixtureRequest,
) -> None:
    if "fuzz" not in (request.config.option.markexpr or ""):
        pytest.skip("the long fuzz run: pytest -m fuzz")
    tally = _fuzz(fuzz_server, session, auth_headers, subtests, LONG_MIN_REQUESTS)
    print(tally.summary())
    assert tally.total() >= LONG_MIN_REQUESTS, tally.sent


H1, H2, H3 = "1" * 64, "2" * 64, "3" * 64


@pytest.mark.parametrize(
    ("method", "status", "after", "now_at_before", "wrong"),
    [
        ("GET", 200, (5, H1), H1, None),  # a read that writes nothing
        ("POST", 403, (5, H1), H1, None),  # a refused write that writes nothing
        ("POST", 201, (7, H2), H1, None),  # an accepted write that appends
        ("GET", 200, (6, H2), H1, "a GET answered 200 and moved the ledger"),
        ("POST", 422, (6, H2), H1, "a POST answered 422 and moved the ledger"),
        ("POST", 401, (5, H3), H3, "a POST answered 401 and moved the ledger"),
        ("DELETE", 204, (4, H3), H3, "the ledger head went back"),
        ("PUT", 200, (6, H2), H3, "entry 5 was rewritten"),
    ],
)
def test_only_an_accepted_write_moves_the_ledger(
    method: str, status: int, after: tuple[int, str], now_at_before: str, wrong: str | None
) -> None:
    found = ledger_change_wrong(method, status, (5, H1), after, now_at_before)
    assert (found is None) if wrong is None else (found is not None and found.startswith(wrong))
