"""Live updates: Server-Sent Events of a congress's attendance, votes and results, and of
the ledger head (docs/http.md "Live updates", decision 0017).

One ``Changes`` per app notices new ledger events two ways: the server's own write path
calls ``notify()`` after a commit, and one poller reads the ledger head (one row) every
``poll_interval`` seconds for writes made by the CLI or another process. On a change,
each topic's state (a congress, or the organisation) is read once, by a view of
``soviet.views`` in one snapshot with the head, and fanned out to every subscriber of
that topic; each subscriber sends only the events whose data changed since it last sent
them. A stream ends when the client leaves or when the server shuts down (``close``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio.to_thread
import uvicorn
from fastapi import APIRouter, FastAPI, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse

from soviet.adapters.http.common import ERRORS, NAME, SovietJSON
from soviet.application.service import CouncilService
from soviet.domain.errors import DomainError
from soviet.domain.limits import INT64_MAX
from soviet.domain.model import Organisation
from soviet.views import congress as congress_views

log = logging.getLogger(__name__)

#: Seconds between two reads of the ledger head (writes by other processes show this late).
POLL_INTERVAL = 0.5
#: Seconds between two reads of the head at least, however often ``notify`` is called.
MIN_INTERVAL = 0.1
#: Seconds of silence after which a stream sends a comment, so proxies and clients keep it.
HEARTBEAT = 15.0
#: Open streams one server keeps at most; more are refused with a 503.
MAX_SUBSCRIBERS = 1000
#: What a client waits before reconnecting (milliseconds, the stream's ``retry:``).
RETRY_MS = 2000

#: One event of a snapshot: (key, name, data); the key tells events of one name apart
#: (``vote.3``), so that a subscriber resends an event only when its data changed.
Event = tuple[str, str, bytes]


@dataclass(frozen=True)
class Snapshot:
    """A topic's events in the state after ledger event ``seq``."""

    seq: int
    events: tuple[Event, ...]


def _json(data: Any) -> bytes:
    # The API's own JSON (sorted keys, UTF-8, compact: one line, as a data: field needs).
    return bytes(SovietJSON(data).body)


def _head(seq: int, head_hash: str) -> Event:
    # As /healthz has it (an empty ledger: seq 0 and the genesis hash).
    return ("head", "head", _json({"seq": seq, "hash": head_hash}))


def congress_events(name: str) -> Callable[[Organisation], list[Event]]:
    """The events of congress ``name``: ``attendance``, one ``vote`` per open vote, one
    ``result`` per other vote (``views.congress.congress_live``)."""

    def view(org: Organisation) -> list[Event]:
        live = congress_views.congress_live(org, name)
        events: list[Event] = [("attendance", "attendance", _json(live["attendance"]))]
        events += [(f"vote.{v['vote']}", "vote", _json(v)) for v in live["votes"]]
        events += [(f"result.{r['vote']}", "result", _json(r)) for r in live["results"]]
        return events

    return view


def _no_events(_org: Organisation) -> list[Event]:
    return []


@dataclass(eq=False)
class Subscriber:
    """One open stream: the topic it follows and the flag its wake-ups set."""

    topic: str | None
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class Refused(Exception):
    """A stream cannot be opened now (too many, or the server is stopping): a 503."""


class Changes:
    """The app's change notifier: one head poller, fan-out to the open streams.

    Its asyncio parts live on the loop of the first subscriber; the poller runs only
    while someone subscribes. ``notify`` may be called from any thread.
    """

    def __init__(
        self,
        service: CouncilService,
        *,
        poll_interval: float = POLL_INTERVAL,
        heartbeat: float = HEARTBEAT,
        max_subscribers: int = MAX_SUBSCRIBERS,
    ) -> None:
        self.service = service
        self.poll_interval = poll_interval
        self.heartbeat = heartbeat
        self.max_subscribers = max_subscribers
        self.closed = False
        self._subscribers: set[Subscriber] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._poke: asyncio.Event | None = None
        self._poller: asyncio.Task[None] | None = None
        self._seq: int | None = None  # the head the poller last read
        # One snapshot per topic, shared by its subscribers: (head it was asked at, task).
        self._snapshots: dict[str | None, tuple[int | None, asyncio.Task[Snapshot]]] = {}
        self._latest: dict[str | None, Snapshot] = {}  # the last one read, per topic

    @property
    def subscribers(self) -> int:
        """How many streams are open."""
        return len(self._subscribers)

    def notify(self) -> None:
        """A command was committed: read the head now rather than at the next tick.

        For the write path (call it after ``service.handle``); safe from any thread, and
        a no-op while nobody subscribes."""
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._poke_now)

    def _poke_now(self) -> None:
        if self._poke is not None:
            self._poke.set()

    def subscribe(self, topic: str | None) -> Subscriber:
        """A new stream on ``topic`` (a congress's name, or None: the organisation); raises
        Refused when the server is stopping or ``max_subscribers`` are open."""
        if self.closed:
            raise Refused("the server is shutting down")
        if len(self._subscribers) >= self.max_subscribers:
            raise Refused(f"{self.max_subscribers} live streams are open: try again later")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # the first subscriber (again), or a new loop
            self._loop = loop
            self._poke = asyncio.Event()
            self._snapshots.clear()
            self._latest.clear()
            self._seq = None
            self._poller = None  # one on another loop is gone with it
        subscriber = Subscriber(topic)
        self._subscribers.add(subscriber)
        if self._poller is None or self._poller.done():
            self._poller = loop.create_task(self._poll())
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """A stream ended; the last one stops the poller."""
        self._subscribers.discard(subscriber)
        if not any(s.topic == subscriber.topic for s in self._subscribers):
            self._snapshots.pop(subscriber.topic, None)
            self._latest.pop(subscriber.topic, None)
        if not self._subscribers and self._poller is not None:
            self._poller.cancel()
            self._poller = None
            self._loop = None

    def close(self) -> None:
        """End every stream and refuse new ones (the server is stopping); in the loop."""
        self.closed = True
        for subscriber in self._subscribers:
            subscriber.changed.set()
        if self._poller is not None:
            self._poller.cancel()

    async def _poll(self) -> None:
        assert self._poke is not None
        poke = self._poke
        loop = asyncio.get_running_loop()
        failing = False  # logged once when reads start failing, once when they recover
        while not self.closed:
            poke.clear()  # before the read: a notify during it is not lost
            read_at = loop.time()
            try:
                seq, _ = await anyio.to_thread.run_sync(self.service.head)
            except Exception:  # storage down or busy: keep the streams, try again
                if not failing:
                    log.warning("live updates: reading the ledger head failed", exc_info=True)
                failing = True
            else:
                if failing:
                    log.warning("live updates: the ledger head can be read again")
                failing = False
                if seq != self._seq:
                    self._seq = seq
                    for subscriber in self._subscribers:
                        subscriber.changed.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(poke.wait(), self.poll_interval)
            # Many commits a second (a vote's casts) are read together, not one by one.
            await asyncio.sleep(max(0.0, read_at + MIN_INTERVAL - loop.time()))

    async def snapshot(self, topic: str | None) -> Snapshot:
        """The topic's events now: read once per head for all its subscribers (an
        UnknownEntity for a congress that does not exist)."""
        cached = self._snapshots.get(topic)
        if cached is not None:
            asked_at, task = cached
            if not task.done():
                # One read per topic at a time, however fast the head moves: join it (a
                # subscriber given an older state than the head asks again, see behind).
                return await asyncio.shield(task)
            if asked_at == self._seq and self._seq is not None and task.exception() is None:
                return task.result()
        task = asyncio.get_running_loop().create_task(self._read(topic))
        self._snapshots[topic] = (self._seq, task)
        return await asyncio.shield(task)

    def behind(self, snapshot: Snapshot) -> bool:
        """The head has moved past the snapshot's state (read again)."""
        return self._seq is not None and snapshot.seq < self._seq

    async def _read(self, topic: str | None) -> Snapshot:
        view = _no_events if topic is None else congress_events(topic)
        try:
            seq, head_hash, events = await anyio.to_thread.run_sync(
                self.service.query_at_head, view
            )
        except Exception as exc:  # logged once here, not once per subscriber
            if not isinstance(exc, DomainError):  # an unknown congress is the client's 404
                log.warning("live updates: reading %r failed", topic, exc_info=True)
            raise
        # An event whose data did not change keeps the previous snapshot's bytes: the
        # subscribers' comparisons are then identity checks, and they share one copy.
        latest = self._latest.get(topic)
        before = {} if latest is None else {key: data for key, _, data in latest.events}
        kept = tuple(
            (key, name, before[key] if before.get(key) == data else data)
            for key, name, data in (*events, _head(seq, head_hash))
        )
        snapshot = Snapshot(seq, kept)
        if topic in self._snapshots:  # still followed
            self._latest[topic] = snapshot
        return snapshot


def _frame(name: str, data: bytes, seq: int | None = None) -> bytes:
    head = f"event: {name}\n" + ("" if seq is None else f"id: {seq}\n")
    return head.encode() + b"data: " + data + b"\n\n"


async def _stream(
    changes: Changes, subscriber: Subscriber, first: Snapshot, last_id: int | None
) -> AsyncIterator[bytes]:
    """A subscriber's events: the state now, then what changes, until the end."""
    sent: dict[str, bytes] = {}
    snapshot: Snapshot | None = first
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()
        if last_id is not None and last_id == first.seq:
            # The client saw this state whole (the id comes last in a batch): only the head.
            sent = {key: data for key, _, data in first.events}
            sent.pop("head")
        while not changes.closed:
            if snapshot is not None:
                *body, (_, _, head) = snapshot.events
                for key, name, data in body:
                    if sent.get(key) != data:
                        sent[key] = data
                        yield _frame(name, data)
                if sent.get("head") != head:
                    # The id closes the batch: a client that has it has all of its events.
                    sent["head"] = head
                    yield _frame("head", head, snapshot.seq)
                if changes.behind(snapshot):
                    subscriber.changed.set()
            try:
                await asyncio.wait_for(subscriber.changed.wait(), changes.heartbeat)
            except TimeoutError:
                yield b": heartbeat\n\n"
                snapshot = None
                continue
            subscriber.changed.clear()
            if changes.closed:
                break
            try:
                snapshot = await changes.snapshot(subscriber.topic)
            except Exception:  # storage down or busy (logged): send nothing, try again later
                snapshot = None
    finally:
        changes.unsubscribe(subscriber)


# --- the endpoints -----------------------------------------------------------------------
router = APIRouter(tags=["live"])

LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        description="The last `id:` the client received (EventSource sends it when it "
        "reconnects): if the ledger has not moved since, only `head` is sent again.",
    ),
]

STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        # One event as a client parses it: its name, its data (one line of JSON), and
        # on `head` its id (the ledger seq).
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "event": {"enum": ["attendance", "vote", "result", "head"]},
                        "data": {"type": "string", "contentMediaType": "application/json"},
                        "id": {"type": "string", "pattern": "^[0-9]+$"},
                    },
                }
            }
        },
        "description": "Server-Sent Events: `attendance`, `vote`, `result`, `head` (docs/http.md).",
    },
    **ERRORS,
}


def _last_id(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if not text.isdecimal() or int(text) > INT64_MAX:
        error = {
            "type": "value_error",
            "loc": ("header", "Last-Event-ID"),
            "msg": "expected a ledger sequence number (an id: this stream sent)",
            "input": value,
        }
        raise RequestValidationError([error])
    return int(text)


async def _open(request: Request, topic: str | None, last_event_id: str | None) -> Any:
    changes: Changes = request.app.state.changes
    last_id = _last_id(last_event_id)
    try:
        subscriber = changes.subscribe(topic)
    except Refused as exc:
        return SovietJSON({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})
    try:
        first = await changes.snapshot(topic)  # an unknown congress is a 404 here
    except BaseException:
        changes.unsubscribe(subscriber)
        raise
    return StreamingResponse(
        _stream(changes, subscriber, first, last_id),
        media_type="text/event-stream",
        # Not stored by caches, not held back by a buffering proxy (nginx).
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/api/congresses/{name:path}/live",
    summary="Live updates of a congress",
    response_class=StreamingResponse,
    responses=STREAM,
)
async def congress_live(
    request: Request,
    name: Annotated[str, Path(description="The congress's name.", **NAME)],
    last_event_id: LastEventId = None,
) -> Any:
    """A stream of Server-Sent Events: `attendance` (present, entitled, quorum), `vote`
    (each open vote's progress: how many voted, never how), `result` (each closed vote)
    and `head` (the ledger head, `id:` its seq), first the state now, then each change."""
    return await _open(request, name, last_event_id)


@router.get(
    "/api/live",
    summary="Live updates of the ledger head",
    response_class=StreamingResponse,
    responses=STREAM,
)
async def organisation_live(request: Request, last_event_id: LastEventId = None) -> Any:
    """A stream of Server-Sent Events: `head` (the ledger head, `id:` its seq) now and
    after every new ledger event; a page reloads what it shows when it moves."""
    return await _open(request, None, last_event_id)


def install(app: FastAPI, service: CouncilService) -> Changes:
    """Give ``app`` its notifier (``app.state.changes``) and the live endpoints."""
    changes = Changes(service)
    app.state.changes = changes
    app.include_router(router)
    return changes


class Server(uvicorn.Server):
    """uvicorn that ends the live streams when it shuts down: it waits for every open
    response to finish before it stops, and a stream would not finish by itself."""

    async def shutdown(self, sockets: Any = None) -> None:
        """Close the app's ``Changes`` (streams end), then uvicorn's own shutdown."""
        app = self.config.app
        changes = getattr(getattr(app, "state", None), "changes", None)
        if isinstance(changes, Changes):
            changes.close()
        await super().shutdown(sockets)


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serve ``app`` with uvicorn until interrupted (what ``uvicorn.run`` does, with live
    streams ended at shutdown)."""
    from soviet.adapters.http.auth import LoginLinkRedaction

    config = uvicorn.Config(app, host=host, port=port, log_level="info")
    logging.getLogger("uvicorn.access").addFilter(LoginLinkRedaction())  # after its set-up
    Server(config).run()
