"""Live updates (Server-Sent Events) from the real server, driven by the CLI on the same
database: events arrive in order, with the figures of the matching ``--json`` views,
within a bound; a secret vote's stream holds no choice; a reconnecting client gets the
current state; the server stops promptly with streams open."""

from __future__ import annotations

import datetime as dt
import json
import queue
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from serving import Server, cli, cli_json, free_port, running_server
from sqlalchemy.exc import OperationalError

from soviet.adapters.http.app import create_app
from soviet.adapters.http.live import Changes
from soviet.adapters.http.live import Server as LiveServer
from soviet.adapters.storage import open_service
from soviet.application import commands as cmd
from soviet.domain import congress_rules as cr
from soviet.domain import rules

C = "Live Congress"
CONGRESS = "Second All-Russian Congress of Soviets"  # the demo's, in docs/http.md
LIVE = f"/api/congresses/{urllib.parse.quote(C)}/live"
DAY = ("--date", "1917-11-08")
OPENING = dt.date(1917, 11, 7)
BOUND = 5.0  # seconds from a CLI command's return to its event (the poller reads 2/s)
# number, delegate, sent by, rights
CREDENTIALS = [
    (1, "Lenin", "Petrograd", "voice-and-vote"),
    (2, "Trotsky", "Petrograd", "voice-and-vote"),
    (3, "Kamkov", "Petrograd", "voice-and-vote"),
    (4, "Martov", "Moscow", "voice-and-vote"),
    (5, "Raskolnikov", "Kronstadt", "voice-only"),
]


def prepare_congress(db: str) -> None:
    """A congress opened with five credentials seated (one with a voice only, present),
    and two motions: built through the service, so that the tests start quickly."""
    assert cli(db, "init")[0] == 0
    service = open_service(db)
    with service.transaction("test") as tx:
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
                OPENING,
                quorum="1/2",
                senders={"Petrograd": 3, "Moscow": 1, "Kronstadt": 1},
                external=True,
            )
        )
        for _, name, sent_by, rights in CREDENTIALS:
            tx.run(
                lambda o, n=name, s=sent_by, r=rights: cr.present_credential(
                    o, C, n, s, dt.date(1917, 10, 23), dt.date(1917, 11, 6), rights=r
                )
            )
        for number, *_ in CREDENTIALS:
            tx.run(lambda o, n=number: cr.rule_on_credential(o, C, n, True, OPENING))
        tx.run(lambda o: cr.open_congress(o, C, OPENING))
        # Raskolnikov (a voice only) is here to move the motions; no voter is yet.
        tx.run(lambda o: cr.register(o, C, OPENING, arriving=True, credentials=[5]))
        for title in ("Decree on Land", "Decree on Peace"):
            tx.run(lambda o, t=title: cr.table_motion(o, C, t, "x", 5, OPENING, decree=True))


@dataclass
class Message:
    """One event as received: its name, decoded data, ``id:`` if any."""

    name: str
    data: Any
    id: int | None


@dataclass
class Stream:
    """An open event stream, read in a thread: its events in a queue, its bytes kept."""

    url: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    events: queue.Queue[Message | None] = field(default_factory=queue.Queue)
    raw: bytearray = field(default_factory=bytearray)
    comments: list[str] = field(default_factory=list)
    opened: threading.Event = field(default_factory=threading.Event)
    status: int | None = None
    error: BaseException | None = None
    _response: httpx.Response | None = None

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        assert self.opened.wait(30), "the stream did not open"

    def _read(self) -> None:
        try:
            with (
                httpx.Client(base_url=self.url, timeout=httpx.Timeout(30, read=None)) as client,
                client.stream("GET", self.path, headers=self.headers) as response,
            ):
                self._response = response
                self.status = response.status_code
                self.content_type = response.headers.get("content-type", "")
                self.opened.set()
                fields: dict[str, str] = {}
                for line in response.iter_lines():
                    self.raw += line.encode() + b"\n"
                    if line.startswith(":"):
                        self.comments.append(line)
                    elif line:
                        key, _, value = line.partition(":")
                        fields[key] = value.removeprefix(" ")
                    elif "event" in fields:
                        seq = int(fields["id"]) if "id" in fields else None
                        self.events.put(Message(fields["event"], json.loads(fields["data"]), seq))
                        fields = {}
                    else:
                        fields = {}  # retry: and the like
        except BaseException as exc:  # closed from the test: recorded, not raised here
            self.error = exc
        finally:
            self.opened.set()
            self.events.put(None)

    def next(self, timeout: float = BOUND) -> Message:
        """The next event, within ``timeout`` seconds."""
        message = self.events.get(timeout=timeout)
        assert message is not None, f"the stream ended ({self.error!r})"
        return message

    def batch(self, seq: int | None = None, timeout: float = BOUND) -> list[Message]:
        """Events up to and with the ``head`` that carries id ``seq`` (the next head if
        None), within ``timeout`` seconds; every head before it is in the list too."""
        deadline = time.monotonic() + timeout
        got: list[Message] = []
        while True:
            message = self.next(max(0.01, deadline - time.monotonic()))
            got.append(message)
            if message.name == "head" and (seq is None or message.id == seq):
                return got

    def close(self) -> None:
        if self._response is not None:
            self._response.close()


@pytest.fixture(scope="module")
def congress_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("live") / "live.db")
    prepare_congress(db)
    return db


@pytest.fixture(scope="module")
def live_server(congress_db: str) -> Iterator[Server]:
    with running_server(congress_db) as running:
        yield running


def timed(
    server: Server, stream: Stream, *args: str
) -> tuple[dict[str, Any], list[Message], float]:
    """Run a CLI command (``--json``); its ledger entry, the stream's events up to the
    head at that entry, and the seconds from the command's return to that head."""
    entry = cli_json(server.db, *args, *DAY)
    done = time.monotonic()
    events = stream.batch(entry["seq"])
    return entry, events, time.monotonic() - done


def named(events: list[Message], name: str) -> list[Any]:
    return [m.data for m in events if m.name == name]


def show(db: str) -> dict[str, Any]:
    data: dict[str, Any] = cli_json(db, "congress", "show", C)
    return data


def report_vote(db: str, number: int) -> dict[str, Any]:
    """Vote ``number``'s row in ``congress show --json``, with its motion."""
    for motion in show(db)["motions"]:
        for row in motion["votes"]:
            if row["vote"] == number:
                return {**row, "motion": motion["number"], "congress": C}
    raise AssertionError(number)


def attendance_from_show(db: str) -> dict[str, Any]:
    data = show(db)
    counts = {k: v for k, v in data["counts"].items() if k != "credentials"}
    return {
        "congress": C,
        "status": data["status"],
        "quorum": data["call"]["quorum"],
        "quorum_needed": data["call"]["quorum_needed"],
        **counts,
    }


def test_cli_commands_arrive_in_order_with_the_views_figures(live_server: Server) -> None:
    db = live_server.db
    stream = Stream(live_server.url, LIVE)
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    first = stream.batch()
    head = live_server.get("/healthz").json()
    assert [m.name for m in first] == ["attendance", "head"]  # nothing voted yet
    assert first[-1].id == head["seq"] and first[-1].data == {k: head[k] for k in ("seq", "hash")}
    assert first[0].data == attendance_from_show(db)
    assert (first[0].data["entitled_present"], first[0].data["quorum_met"]) == (0, False)
    latencies = []

    # Arrivals: attendance, then the head, which carries the id.
    _, events, took = timed(live_server, stream, "congress", "register", C, "1", "2", "3")
    latencies.append(took)
    assert [m.name for m in events] == ["attendance", "head"]
    assert [m.id for m in events] == [None, events[-1].id]
    assert named(events, "attendance") == [attendance_from_show(db)]
    assert named(events, "attendance")[0]["entitled_present"] == 3
    assert named(events, "attendance")[0]["quorum_met"] is True

    # A roll call: opened, then each vote as it is cast (the roll is public), then closed.
    entry, events, took = timed(
        live_server, stream, "congress", "vote", C, "open", "1", "--mode", "roll-call"
    )
    latencies.append(took)
    vote = entry["payload"]["vote"]
    assert [m.name for m in events] == ["vote", "head"]
    progress = events[0].data
    assert progress["vote"] == vote and progress["motion"] == 1 and progress["mode"] == "roll-call"
    # entitled: the seated with a vote (four; Raskolnikov has a voice only), present: of
    # them here now (the report's counts), voted: the report's row.
    assert (progress["entitled"], progress["present"], progress["voted"]) == (4, 3, 0)
    assert progress["present"] == show(db)["counts"]["entitled_present"]
    for n, (credential, choice) in enumerate((("1", "for"), ("2", "for"), ("3", "against")), 1):
        _, events, took = timed(
            live_server, stream, "congress", "vote", C, "cast", str(vote), credential, choice
        )
        latencies.append(took)
        assert [m.name for m in events] == ["vote", "head"]
        row = report_vote(db, vote)
        assert events[0].data["voted"] == row["voted"] == n
        assert events[0].data["roll"] == row["roll"] and row["roll"][credential] == choice
    _, events, took = timed(live_server, stream, "congress", "vote", C, "close", str(vote))
    latencies.append(took)
    assert [m.name for m in events] == ["result", "head"]
    assert events[0].data == report_vote(db, vote)
    assert events[0].data["counts"] == {"for": 2, "against": 1, "abstain": 0}
    assert events[0].data["carried"] is True

    # A departure: the quorum is lost, and the stream says so.
    _, events, took = timed(
        live_server, stream, "congress", "register", C, "2", "3", "--depart", "--reason", "x"
    )
    latencies.append(took)
    assert named(events, "attendance") == [attendance_from_show(db)]
    assert named(events, "attendance")[0]["quorum_met"] is False
    _, events, _ = timed(live_server, stream, "congress", "register", C, "2", "3")
    assert named(events, "attendance")[0]["quorum_met"] is True
    stream.close()
    assert max(latencies) < BOUND, latencies
    print(f"live: CLI command to event, max {max(latencies):.2f} s of {len(latencies)}")


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own, for a test that needs the congress as prepared."""
    db = str(tmp_path / "fresh.db")
    prepare_congress(db)
    with running_server(db) as running:
        yield running


def test_a_secret_vote_streams_progress_and_never_a_choice(fresh_server: Server) -> None:
    live_server = fresh_server
    db = live_server.db
    assert cli(db, "congress", "register", C, "1", "2", "3", *DAY)[0] == 0
    head = live_server.get("/healthz").json()
    # Picking up at the current head: only the head again, then this vote's events.
    stream = Stream(live_server.url, LIVE, {"Last-Event-ID": str(head["seq"])})
    assert [(m.name, m.id) for m in stream.batch()] == [("head", head["seq"])]
    entry, events, _ = timed(
        live_server, stream, "congress", "vote", C, "open", "2", "--mode", "secret"
    )
    vote = entry["payload"]["vote"]
    assert named(events, "vote")[0]["voted"] == 0
    cast = [("1", "for"), ("2", "against"), ("3", "abstain")]
    for n, (credential, choice) in enumerate(cast, 1):
        _, events, _ = timed(
            live_server, stream, "congress", "vote", C, "cast", str(vote), credential, choice
        )
        (progress,) = named(events, "vote")
        assert progress["voted"] == report_vote(db, vote)["voted"] == n
        # How many, never who: the row names no credential, has no roll and no counts.
        assert sorted(progress) == sorted(
            [
                "abstentions",
                "congress",
                "entitled",
                "majority",
                "mode",
                "motion",
                "opened_on",
                "present",
                "stage",
                "status",
                "vote",
                "voted",
            ]
        )
    # The raw bytes of everything streamed while the vote was open: no choice in them.
    before_result = bytes(stream.raw)
    for choice in (b"for", b"against", b"abstain"):
        assert choice not in before_result, choice
    _, events, _ = timed(live_server, stream, "congress", "vote", C, "close", str(vote))
    (result,) = named(events, "result")
    assert result == report_vote(db, vote)
    assert result["counts"] == {"for": 1, "against": 1, "abstain": 1} and result["roll"] == {}
    stream.close()


def test_a_reconnecting_client_gets_the_current_state(live_server: Server) -> None:
    fresh = Stream(live_server.url, LIVE)
    state = fresh.batch()
    fresh.close()
    seq = state[-1].id
    assert seq is not None and {m.name for m in state} >= {"attendance", "head"}
    # From an older id (events missed): the whole current state again, as a new client.
    again = Stream(live_server.url, LIVE, {"Last-Event-ID": str(seq - 3)})
    assert [(m.name, m.data, m.id) for m in again.batch()] == [
        (m.name, m.data, m.id) for m in state
    ]
    again.close()
    # The organisation's stream: the head.
    org = Stream(live_server.url, "/api/live", {"Last-Event-ID": "1"})
    assert [(m.name, m.id) for m in org.batch()] == [("head", seq)]
    org.close()
    # A Last-Event-ID that is not a sequence number is refused, naming it.
    bad = live_server.client.get(LIVE, headers={"Last-Event-ID": "x"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["header", "Last-Event-ID"]


def test_an_unknown_congress_is_404(live_server: Server) -> None:
    response = live_server.client.get("/api/congresses/Nope/live")
    assert response.status_code == 404
    assert response.json() == {"detail": "unknown congress 'Nope'"}


def test_the_docs_curl_example_runs(live_server: Server) -> None:
    text = (Path(__file__).parents[2] / "docs" / "http.md").read_text(encoding="utf-8")
    section = text.split("## Live updates", 1)[1]
    commands = re.findall(r"^(curl -sN [^\n#]*?)\s*(?:#.*)?$", section, re.MULTILINE)
    assert commands, "no curl example in the Live updates section"
    for command in commands:
        command = re.sub(r"http://127\.0\.0\.1:\d+", live_server.url, command)
        command = command.replace(
            "Second%20All-Russian%20Congress%20of%20Soviets", "Live%20Congress"
        )
        run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
        assert run.returncode == 28, run.stderr  # curl's exit for --max-time: it streamed
        assert "event: head\nid: " in run.stdout, run.stdout


def test_the_server_stops_promptly_with_streams_open(congress_db: str) -> None:
    with running_server(congress_db) as server:
        streams = [Stream(server.url, path) for path in (LIVE, LIVE, "/api/live")]
        for stream in streams:
            assert stream.batch()[-1].name == "head"
        started = time.monotonic()
        server.process.terminate()
        server.process.wait(timeout=30)
        took = time.monotonic() - started
        for stream in streams:
            stream.thread.join(timeout=5)
            assert not stream.thread.is_alive()
            assert stream.error is None, stream.error  # the stream ended, not broke
        assert took < 5, took
        print(f"live: server stopped in {took:.2f} s with 3 streams open")


# --- in process: the notifier, the heartbeat, the bound ---------------------------------------
@dataclass
class Threaded:
    """``create_app`` on uvicorn in a thread of this process (what ``soviet serve`` runs)."""

    url: str
    changes: Changes
    server: LiveServer
    thread: threading.Thread


@pytest.fixture(scope="module")
def own_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("live") / "threaded.db")
    prepare_congress(db)
    return db


@contextmanager
def in_thread(app: FastAPI) -> Iterator[Threaded]:
    """``app`` served by the live uvicorn in a thread of this process, then stopped."""
    port = free_port()
    server = LiveServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        yield Threaded(f"http://127.0.0.1:{port}", app.state.changes, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def threaded(own_db: str) -> Iterator[Threaded]:
    with in_thread(create_app(own_db)) as running:
        yield running


def test_an_empty_ledger_streams_the_head_health_names(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    open_service(db, initialise=True)
    with in_thread(create_app(db)) as running:
        stream = Stream(running.url, "/api/live")
        (head,) = stream.batch()
        health = httpx.get(f"{running.url}/healthz").json()
        assert (head.id, head.data) == (0, {"seq": health["seq"], "hash": health["hash"]})
        stream.close()


def test_a_commit_notified_by_the_server_arrives_at_once(threaded: Threaded) -> None:
    # The poller would take a minute: only notify() can bring the event in time.
    threaded.changes.poll_interval = 60.0
    stream = Stream(threaded.url, LIVE)
    stream.batch()
    service = threaded.changes.service
    command = cmd.RegisterAttendance(
        congress=C, arriving=True, date=dt.date(1917, 11, 8), credentials=[4]
    )
    started = time.monotonic()
    entry = service.handle(command, "test")
    threaded.changes.notify()  # what a write endpoint does after its commit
    events = stream.batch(entry.seq, timeout=2.0)
    assert time.monotonic() - started < 2.0
    assert named(events, "attendance")[0]["present"] >= 1
    stream.close()


def test_a_write_through_the_api_arrives_at_once(tmp_path: Path) -> None:
    # The accounts' world: delegate 5 of "Congress" registers their own arrival.
    from accounts_world import DAY as WORLD_DAY
    from accounts_world import make_template, tokens

    db = make_template(tmp_path)
    with in_thread(create_app(str(db))) as running:
        running.changes.poll_interval = 60.0  # only the endpoint's notify() can be in time
        stream = Stream(running.url, "/api/congresses/Congress/live")
        (before,) = named(stream.batch(), "attendance")
        headers = {"Authorization": f"Bearer {tokens(tmp_path)['d5']}"}
        started = time.monotonic()
        response = httpx.post(
            f"{running.url}/api/commands/register-attendance",
            json={"congress": "Congress", "arriving": True, "date": WORLD_DAY},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        events = stream.batch(response.json()["seq"], timeout=2.0)
        assert time.monotonic() - started < 2.0
        (after,) = named(events, "attendance")
        assert after["present"] == before["present"] + 1
        stream.close()


class Counting:
    """The service, counting the two reads the notifier makes."""

    def __init__(self, service: Any, delay: float = 0.0) -> None:
        self.service = service
        self.heads = 0
        self.views = 0
        self.delay = delay  # a slow view (a large congress)
        self.reading = 0
        self.most = 0  # most views read at once
        self._lock = threading.Lock()

    def head(self) -> tuple[int, str | None]:
        self.heads += 1
        result: tuple[int, str | None] = self.service.head()
        return result

    def query_at_head(self, view: Any) -> Any:
        with self._lock:
            self.views += 1
            self.reading += 1
            self.most = max(self.most, self.reading)
        try:
            time.sleep(self.delay)
            return self.service.query_at_head(view)
        finally:
            with self._lock:
                self.reading -= 1


def test_one_poller_and_one_read_per_change_serve_every_stream(threaded: Threaded) -> None:
    counting = Counting(threaded.changes.service)
    threaded.changes.service = counting  # type: ignore[assignment]
    streams = [Stream(threaded.url, LIVE) for _ in range(40)]
    for stream in streams:
        stream.batch()
    heads, views = counting.heads, counting.views
    time.sleep(1.0)  # the poller ticks, nothing changes
    assert counting.heads - heads <= 4  # two reads of the head a second, for all 40 streams
    assert counting.views == views  # no change, no read
    views = counting.views
    command = cmd.RegisterAttendance(
        congress=C, arriving=True, date=dt.date(1917, 11, 8), credentials=[2]
    )
    entry = counting.service.handle(command, "test")
    for stream in streams:
        events = stream.batch(entry.seq)
        assert [m.name for m in events] == ["attendance", "head"]
    # One read of the congress for the change, shared by the 40.
    assert counting.views - views == 1
    for stream in streams:
        stream.close()


def test_a_burst_of_commits_is_read_one_view_at_a_time(threaded: Threaded) -> None:
    counting = Counting(threaded.changes.service, delay=0.3)
    threaded.changes.service = counting  # type: ignore[assignment]
    streams = [Stream(threaded.url, LIVE) for _ in range(10)]
    for stream in streams:
        stream.batch()
    views = counting.views
    # 20 commits notified as they come (Raskolnikov leaves and comes back): the ten
    # streams follow with one view read at a time, and end at the last state.
    # Streams opening meanwhile ask at other heads than the ten: they join the read too.
    joining: list[Stream] = []
    openers = [
        threading.Timer(0.1 * i, lambda: joining.append(Stream(threaded.url, LIVE)))
        for i in range(1, 8)
    ]
    for opener in openers:
        opener.start()
    last = 0
    for n in range(20):
        command = cmd.RegisterAttendance(
            congress=C, arriving=n % 2 == 1, date=dt.date(1917, 11, 8), credentials=[5]
        )
        last = counting.service.handle(command, "test").seq
        threaded.changes.notify()
        time.sleep(0.05)
    for opener in openers:
        opener.join()
    streams += joining
    for stream in streams:
        stream.batch(last, timeout=10)
    assert counting.most == 1
    assert counting.views - views < 20  # commits read together, not one by one
    for stream in streams:
        stream.close()


class Flaky(Counting):
    """The service, whose reads fail while ``down`` is set (storage unreachable)."""

    down = False

    def head(self) -> tuple[int, str | None]:
        if self.down:
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return super().head()

    def query_at_head(self, view: Any) -> Any:
        if self.down:
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return super().query_at_head(view)


def test_streams_outlive_storage_that_is_down_for_a_while(threaded: Threaded) -> None:
    flaky = Flaky(threaded.changes.service)
    threaded.changes.service = flaky  # type: ignore[assignment]
    threaded.changes.heartbeat = 0.2
    stream = Stream(threaded.url, LIVE)
    stream.batch()
    flaky.down = True
    entry = flaky.service.handle(
        cmd.RegisterAttendance(
            congress=C, arriving=True, date=dt.date(1917, 11, 8), credentials=[3]
        ),
        "test",
    )
    threaded.changes.notify()
    time.sleep(1.0)  # the poller fails twice a second meanwhile
    assert stream.events.empty() and stream.thread.is_alive()  # no event, still open
    assert stream.comments.count(": heartbeat") >= 2
    flaky.down = False  # back: the change made meanwhile arrives
    events = stream.batch(entry.seq)
    assert named(events, "attendance")[0]["entitled_present"] >= 1
    stream.close()


def test_heartbeats_and_the_bound_on_streams(threaded: Threaded) -> None:
    threaded.changes.heartbeat = 0.2
    threaded.changes.max_subscribers = 2
    streams = [Stream(threaded.url, "/api/live") for _ in range(2)]
    for stream in streams:
        stream.batch()
    with httpx.Client(base_url=threaded.url) as client:
        refused = client.get("/api/live")
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert "2 live streams are open" in refused.json()["detail"]
    time.sleep(0.7)
    assert streams[0].comments.count(": heartbeat") >= 2
    for stream in streams:
        stream.close()
        stream.thread.join(timeout=5)
    # Closed streams are let go: a new one is served.
    deadline = time.monotonic() + 5
    while threaded.changes.subscribers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threaded.changes.subscribers == 0
    again = Stream(threaded.url, "/api/live")
    assert again.status == 200 and again.batch()[-1].name == "head"
    again.close()


def test_stopping_the_server_ends_its_streams(threaded: Threaded) -> None:
    streams = [Stream(threaded.url, LIVE) for _ in range(3)]
    for stream in streams:
        stream.batch()
    started = time.monotonic()
    threaded.server.should_exit = True
    threaded.thread.join(timeout=10)
    assert not threaded.thread.is_alive()
    assert time.monotonic() - started < 5
    for stream in streams:
        stream.thread.join(timeout=5)
        assert stream.error is None
    assert threaded.changes.closed


# --- live.js -----------------------------------------------------------------------------
def test_live_js_is_served_by_the_app_beside_the_docs_assets(live_server: Server) -> None:
    script = live_server.get("/static/web/live.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "new EventSource(" in script.text and "aria-live" in script.text
    # The docs pages' own assets are still theirs (mounted first, at /static/docs).
    docs = live_server.get("/docs").text
    asset = re.search(r'src="(/static/docs/[^"]+)"', docs)
    assert asset is not None and live_server.get(asset.group(1)).status_code == 200


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>live</title></head><body>
<section data-live-source="{source}">
  <p>Present: <span id="present" data-live="attendance.entitled_present">?</span>;
     quorum <span id="quorum" data-live="attendance.quorum_met" data-live-true="reached"
     data-live-false="not reached">?</span>; at <span id="seq" data-live="head.seq">?</span></p>
  <ul id="votes" data-live-list="vote"></ul>
  <template data-live-template="vote">
    <li data-live-vote="{{vote}}"><span class="voted" data-live="vote.{{vote}}.voted"></span>
      of <span class="entitled" data-live="vote.{{vote}}.entitled"></span>
      <progress data-live="vote.{{vote}}.voted" data-live-max="vote.{{vote}}.entitled"></progress>
    </li>
  </template>
  <p id="said" data-live-announce aria-live="polite" role="status"></p>
</section>
<script src="/static/web/live.js"></script>
<!-- A stream in a frame holds the page's load event, so that chromium's dump waits for
     --timeout and shows the page as live.js left it, not as it was served. -->
<iframe src="/api/live" hidden></iframe>
</body></html>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: live.js not run in a browser")
def test_a_page_updates_without_reload_in_chromium(tmp_path: Path) -> None:
    db = str(tmp_path / "browser.db")
    prepare_congress(db)
    app = create_app(db)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "congress.html").write_text(PAGE.format(source=LIVE), encoding="utf-8")
    app.mount("/test-pages", StaticFiles(directory=pages))
    changes: Changes = app.state.changes
    with in_thread(app) as running:
        deadline = time.monotonic() + 30
        assert CHROMIUM is not None
        browser = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--timeout=8000",
                "--dump-dom",
                f"{running.url}/test-pages/congress.html",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            # The page is open once its two streams are (the section's and the frame's).
            while changes.subscribers < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert changes.subscribers >= 2, "the page did not subscribe"
            day = dt.date(1917, 11, 8)
            service = changes.service
            for command in (
                cmd.RegisterAttendance(congress=C, arriving=True, date=day, credentials=[1, 2, 3]),
                cmd.OpenVote(congress=C, motion=1, date=day, mode="secret"),
                cmd.CastVote(congress=C, vote=1, credential=1, choice="for", date=day),
                cmd.CastVote(congress=C, vote=1, credential=2, choice="against", date=day),
            ):
                entry = service.handle(command, "test")
                changes.notify()
                time.sleep(0.3)
            dom, _ = browser.communicate(timeout=60)
        finally:
            if browser.poll() is None:  # a failure above: no browser left behind
                browser.kill()
                browser.wait()
    (tmp_path / "congress.dom.html").write_text(dom, encoding="utf-8")  # kept for a look

    def text(element_id: str) -> str:
        found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', dom)
        assert found is not None, (element_id, dom)
        return found.group(1)

    assert (text("present"), text("quorum"), text("seq")) == ("3", "reached", str(entry.seq))
    # The vote opened after the page was made, added from the template, with its progress.
    item = re.search(r'<li data-live-vote="1" data-status="open">(.*?)</li>', dom, re.DOTALL)
    assert item is not None, dom
    assert re.search(r'class="voted"[^>]*>2<', item.group(1))
    assert re.search(r'class="entitled"[^>]*>4<', item.group(1))
    assert (
        '<progress data-live="vote.1.voted" data-live-max="vote.1.entitled" value="2" max="4">'
        in (item.group(1))
    )
    # The aria-live region spoke the quorum, then the new vote (its progress waits 30 s).
    assert text("said") == "Vote 1 is open (secret)."
    assert "against" not in dom and "for" not in re.sub(r"<[^>]*>", "", dom)


# --- over PostgreSQL ---------------------------------------------------------------------
@pytest.mark.postgres
def test_postgres_streams_a_cli_command(postgres_server: Any) -> None:
    with postgres_server.database() as name:
        url = postgres_server.url(name)
        prepare_congress(url)
        with running_server(url) as server:
            stream = Stream(server.url, LIVE)
            first = stream.batch()
            assert first[-1].id == server.get("/healthz").json()["seq"]
            _, events, took = timed(server, stream, "congress", "register", C, "1", "2")
            assert named(events, "attendance") == [attendance_from_show(url)]
            assert named(events, "attendance")[0]["entitled_present"] == 2
            assert took < BOUND
            stream.close()
