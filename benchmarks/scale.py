"""Scale benchmark (issue 8): commands, views and verification against organisations of
1,000 / 100,000 / 1,000,000 electors and congresses of 100 / 1,000 / 10,000 delegates.

Figures, not timed tests: medians (and p90) of repeated runs, in-process (the service
call alone) and whole-process (the ``soviet`` command line as a subprocess), on SQLite
and on a throwaway PostgreSQL server started for the run. The machine is shared, so the
figures are noisy; compare medians, and compare runs made the same day.

It runs against whichever code tree is on the path, so the same script measures the
code before and after a change (the small adapter layer below keeps the difference)::

    # the current tree
    .venv/bin/python benchmarks/scale.py --sizes 1000,100000,1000000 --delegates 100,1000,10000
    # an older tree, e.g. a git worktree of an earlier commit
    PYTHONPATH=/tmp/scale-before/src .venv/bin/python benchmarks/scale.py --no-postgres

Options: ``--sizes``, ``--delegates``, ``--reps N`` (in-process repetitions),
``--cli-reps N`` (whole-process; 1 at the largest sizes), ``--op-budget S`` (stop
repeating an operation after S seconds, once it has 3 samples), ``--case-timeout S``
(each size and back end runs in its own process, killed at S seconds: what did not
finish prints as "> X s" or, not reached, "(> S s)"),
``--backends sqlite,postgresql`` / ``--no-postgres``,
``--cases council,congress,import,enrol``, ``--import-named N``, ``--enrol N``,
``--json FILE`` (the raw figures), ``--render FILE...`` (print the tables of earlier
``--json`` files, merged: e.g. small sizes with a long limit, large ones with a short one).

How the organisations are built: one transaction holding one ``CreateConstituency``
per constituency, with a named roll of 100 electors up to ``--named-up-to`` electors
(default 100,000) and a numbered roll of 50 beyond; the seat rule is ``per-unit`` with
five seats to a constituency's roll, and a second transaction seats
one delegate per constituency by recording the ``DelegatesElected`` events an election
would record (the election rule itself is what the benchmark measures, afterwards,
into the four seats left vacant). Recall petitions are opened against seat 1 and
signed one elector per command, never reaching the threshold.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]

# --- the adapter layer: the one place where the two code trees differ ----------------------
AFTER = importlib.util.find_spec("soviet.application.commands") is not None
"""The current tree has commands (``service.handle``) and views (``service.query``)."""

ACTOR = "bench"
Step = Any  # a command (after) or a decision, Organisation -> Event (before)
Service = Any  # soviet.application.service.CouncilService of the tree on the path
Candidates = Sequence[tuple[str, str, int]]  # name, group, votes


class _Before:
    """The original tree: ``service.run(decision)``, ``service.state()`` + reports."""

    name = "before"

    def __init__(self) -> None:
        # (mypy sees the current tree, where these are gone.)
        from soviet.adapters.cli.congress_commands import (  # type: ignore[attr-defined]
            congress_report,
        )
        from soviet.adapters.storage import open_service
        from soviet.application import congress as app_congress  # type: ignore[attr-defined]
        from soviet.domain import congress_rules, reports, rules  # type: ignore[attr-defined]
        from soviet.domain.events import Event

        self._open = open_service
        self._rules = rules
        self._cr = congress_rules
        self._reports = reports
        self._congress_report = congress_report
        self._app_congress = app_congress
        self._event = Event

    def open(self, url: str) -> Service:
        return self._open(url, initialise=True)

    # steps
    def council(self, name: str, seat_rule: dict[str, Any], may_convene: Sequence[str]) -> Step:
        return lambda org: self._rules.create_council(
            org, name, seat_rule, may_convene=list(may_convene)
        )

    def constituency(
        self, name: str, council: str, *, headcount: int | None, electors: list[str] | None
    ) -> Step:
        return lambda org: self._rules.create_constituency(
            org, name, council, headcount=headcount, electors=electors
        )

    def enrol(self, constituency: str, electors: list[str], date: dt.date) -> Step:
        return lambda org: self._rules.enrol(org, constituency, electors, date)

    def seated(self, payload: dict[str, Any]) -> Step:
        return lambda org: self._event("DelegatesElected", payload)  # type: ignore[call-arg]

    def elect(self, constituency: str, candidates: Candidates, date: dt.date) -> Step:
        cands = [self._rules.Candidate(n, g, v) for n, g, v in candidates]
        return lambda org: self._rules.elect(org, constituency, cands, date, seats=1)

    def open_recall(self, constituency: str, opened_by: str, date: dt.date) -> Step:
        return lambda org: self._rules.open_recall(org, constituency, opened_by, date, seats=[1])

    def sign(self, petition: int, electors: list[str], date: dt.date) -> Step:
        return lambda org: self._rules.sign_recall(org, petition, electors, date)

    def call(self, name: str, by: str, date: dt.date, opens_on: dt.date, senders: int) -> Step:
        return lambda org: self._cr.call_congress(
            org, name, by, date, opens_on, quorum="1/2", senders={by: senders}
        )

    def present(
        self, congress: str, delegate: str, by: str, elected_on: dt.date, date: dt.date, group: str
    ) -> Step:
        return lambda org: self._cr.present_credential(
            org, congress, delegate, by, elected_on, date, group=group
        )

    def accept(self, congress: str, number: int, date: dt.date) -> Step:
        return lambda org: self._cr.rule_on_credential(org, congress, number, True, date)

    def register(self, congress: str, numbers: list[int], arriving: bool, date: dt.date) -> Step:
        return lambda org: self._cr.register(
            org, congress, date, arriving=arriving, credentials=numbers
        )

    def open_congress(self, congress: str, date: dt.date) -> Step:
        return lambda org: self._cr.open_congress(org, congress, date)

    def motion(self, congress: str, title: str, mover: int, date: dt.date) -> Step:
        return lambda org: self._cr.table_motion(org, congress, title, title, mover, date)

    def open_vote(self, congress: str, motion: int, date: dt.date) -> Step:
        return lambda org: self._cr.open_vote(
            org, congress, motion, date, stage="final", mode="roll-call"
        )

    def cast(self, congress: str, vote: int, credential: int, choice: str, date: dt.date) -> Step:
        # A roll call: no ballot box (cast_vote would deposit nothing either).
        return lambda org: self._cr.cast(org, congress, vote, credential, choice, date)

    # running
    def one(self, service: Service, step: Step) -> None:
        service.run(step, ACTOR)

    def batch(self, service: Service, steps: Sequence[Step]) -> None:
        with service.transaction(ACTOR) as tx:
            for step in steps:
                tx.run(step)

    def hold(self, service: Service, step: Step, wait: Callable[[], None]) -> None:
        """Decide ``step`` in a transaction, call ``wait`` holding it, then commit."""
        with service.transaction(ACTOR) as tx:
            tx.run(step)
            wait()

    def cast_one(
        self, service: Service, congress: str, vote: int, credential: int, choice: str, day: dt.date
    ) -> None:
        self._app_congress.cast_vote(service, congress, vote, credential, choice, day, ACTOR)

    def close_vote(self, service: Service, congress: str, vote: int, date: dt.date) -> None:
        self._app_congress.close_vote(service, congress, vote, date, ACTOR)

    # reading
    def composition(self, service: Service, council: str) -> object:
        return self._reports.composition(service.state(), council)

    def report(self, service: Service, council: str) -> object:
        return self._reports.representation_report(service.state(), council)

    def congress_show(self, service: Service, congress: str) -> object:
        return self._congress_report(service.state(), congress)

    def verify(self, service: Service) -> str | None:
        """None when the ledger verifies, else its problem."""
        result = service.verify()
        return None if getattr(result, "ok", False) else str(getattr(result, "problem", result))


class _After:
    """The current tree: ``service.handle(Command)``, ``service.query(view)``."""

    name = "after"

    def __init__(self) -> None:
        from soviet.adapters.storage import open_service
        from soviet.application import commands
        from soviet.domain.events import event_from_record
        from soviet.domain.rules import Candidate
        from soviet.views import congress as congress_views
        from soviet.views import council as council_views

        self._open = open_service
        self._c = commands
        self._event = event_from_record
        self._candidate = Candidate
        self._council_views = council_views
        self._congress_views = congress_views

    def open(self, url: str) -> Service:
        return self._open(url, initialise=True)

    # steps
    def council(self, name: str, seat_rule: dict[str, Any], may_convene: Sequence[str]) -> Step:
        return self._c.CreateCouncil(name=name, seat_rule=seat_rule, may_convene=list(may_convene))

    def constituency(
        self, name: str, council: str, *, headcount: int | None, electors: list[str] | None
    ) -> Step:
        return self._c.CreateConstituency(
            name=name, council=council, headcount=headcount, electors=electors
        )

    def enrol(self, constituency: str, electors: list[str], date: dt.date) -> Step:
        return self._c.EnrolElectors(constituency=constituency, electors=electors, date=date)

    def seated(self, payload: dict[str, Any]) -> Step:
        event = self._event("DelegatesElected", payload)
        return lambda org: event

    def elect(self, constituency: str, candidates: Candidates, date: dt.date) -> Step:
        cands = [self._candidate(n, g, v) for n, g, v in candidates]
        return self._c.ElectDelegates(
            constituency=constituency, candidates=cands, date=date, seats=1
        )

    def open_recall(self, constituency: str, opened_by: str, date: dt.date) -> Step:
        return self._c.OpenRecall(
            constituency=constituency, opened_by=opened_by, date=date, seats=[1]
        )

    def sign(self, petition: int, electors: list[str], date: dt.date) -> Step:
        return self._c.SignRecall(petition=petition, electors=electors, date=date)

    def call(self, name: str, by: str, date: dt.date, opens_on: dt.date, senders: int) -> Step:
        # "Delegate 00001"... are not sitting delegates of the council that sends them.
        return self._c.CallCongress(
            name=name, convened_by=by, date=date, opens_on=opens_on, quorum="1/2",
            senders={by: senders}, outside_delegates=True,
        )  # fmt: skip

    def present(
        self, congress: str, delegate: str, by: str, elected_on: dt.date, date: dt.date, group: str
    ) -> Step:
        return self._c.PresentCredential(
            congress=congress, delegate=delegate, sent_by=by, elected_on=elected_on, date=date,
            group=group,
        )  # fmt: skip

    def accept(self, congress: str, number: int, date: dt.date) -> Step:
        return self._c.RuleOnCredential(
            congress=congress, credential=number, accept=True, date=date
        )

    def register(self, congress: str, numbers: list[int], arriving: bool, date: dt.date) -> Step:
        return self._c.RegisterAttendance(
            congress=congress, arriving=arriving, date=date, credentials=numbers
        )

    def open_congress(self, congress: str, date: dt.date) -> Step:
        return self._c.OpenCongress(congress=congress, date=date)

    def motion(self, congress: str, title: str, mover: int, date: dt.date) -> Step:
        return self._c.TableMotion(
            congress=congress, title=title, text=title, mover=mover, date=date
        )

    def open_vote(self, congress: str, motion: int, date: dt.date) -> Step:
        return self._c.OpenVote(
            congress=congress, motion=motion, date=date, stage="final", mode="roll-call"
        )

    def cast(self, congress: str, vote: int, credential: int, choice: str, date: dt.date) -> Step:
        return self._c.CastVote(
            congress=congress, vote=vote, credential=credential, choice=choice, date=date
        )

    # running
    def _do(self, tx: Any, step: Step) -> None:
        if isinstance(step, self._c.Command):
            tx.handle(step)
        else:
            tx.run(step)

    def one(self, service: Service, step: Step) -> None:
        if isinstance(step, self._c.Command):
            service.handle(step, ACTOR)
        else:
            service.run(step, ACTOR)

    def batch(self, service: Service, steps: Sequence[Step]) -> None:
        def work(tx: Any) -> None:
            for step in steps:
                self._do(tx, step)

        service.execute(work, ACTOR)

    def hold(self, service: Service, step: Step, wait: Callable[[], None]) -> None:
        """Decide ``step`` in a transaction, call ``wait`` holding it, then commit."""
        with service.transaction(ACTOR) as tx:
            self._do(tx, step)
            wait()

    def cast_one(
        self, service: Service, congress: str, vote: int, credential: int, choice: str, day: dt.date
    ) -> None:
        self.one(service, self.cast(congress, vote, credential, choice, day))

    def close_vote(self, service: Service, congress: str, vote: int, date: dt.date) -> None:
        self.one(service, self._c.CloseVote(congress=congress, vote=vote, date=date))

    # reading
    def composition(self, service: Service, council: str) -> object:
        return service.query(lambda org: self._council_views.composition(org, council))

    def report(self, service: Service, council: str) -> object:
        return service.query(lambda org: self._council_views.representation_report(org, council))

    def congress_show(self, service: Service, congress: str) -> object:
        return service.query(lambda org: self._congress_views.congress_report(org, congress))

    def verify(self, service: Service) -> str | None:
        """None when the ledger (and, where checked, the state) verifies, else the problem."""
        result = service.verify()
        if getattr(result, "ok", False):
            return None
        for part in ("chain", "state"):
            problem = getattr(getattr(result, part, None), "problem", None)
            if problem:
                return f"{part}: {problem}"
        return repr(result)


def _api() -> _Before | _After:
    return _After() if AFTER else _Before()


# --- the organisations -------------------------------------------------------------------
COUNCIL = "Soviet"
CONGRESS = "Congress"
NAMED_ROLL = 100  # electors per constituency, named rolls
NUMBERED_ROLL = 50  # electors per constituency, numbered rolls (as issue 8 measured)
SEATS = 5  # per constituency: one seated at set-up, four left for the elections measured
GROUPS = ("Bolsheviks", "Mensheviks", "SRs")
SET_UP_DAY = dt.date(1917, 9, 1)
RECALL_DAY = dt.date(1917, 10, 1)
ELECTION_DAY = dt.date(1917, 10, 3)
CALLED, ELECTED, PRESENTED, OPENS = (
    dt.date(1917, 10, 20),
    dt.date(1917, 10, 1),
    dt.date(1917, 10, 24),
    dt.date(1917, 10, 25),
)
CHOICES = ("for", "for", "against", "abstain")
REGISTER_REPS = 5  # each adds 2N attendance records (an arrival, a departure)
HOLD_SECONDS = 6.0  # how long the writer of the read-during-write check holds its lock


def _spread(n: int, count: int) -> list[int]:
    """``count`` indices spread evenly over ``range(n)`` (distinct when count <= n)."""
    count = min(count, n)
    return sorted({(i * n) // count for i in range(count)})


def _constituencies(size: int, named_up_to: int) -> tuple[list[str], int, bool]:
    named = size <= named_up_to
    per = NAMED_ROLL if named else NUMBERED_ROLL
    count = max(1, size // per)
    return [f"K{i:05d}" for i in range(1, count + 1)], per, named


def _roll(constituency: str, per: int, named: bool) -> list[str]:
    if named:
        return [f"{constituency}-{j:03d}" for j in range(1, per + 1)]
    return [f"{constituency}#{j}" for j in range(1, per + 1)]


def _import_steps(
    api: _Before | _After, names: list[str], per: int, named: bool, may_convene: Sequence[str] = ()
) -> list[Step]:
    rule = {"method": "per-unit", "per": per // SEATS}
    steps: list[Step] = [api.council(COUNCIL, rule, may_convene)]
    for k in names:
        if named:
            steps.append(api.constituency(k, COUNCIL, headcount=None, electors=_roll(k, per, True)))
        else:
            steps.append(api.constituency(k, COUNCIL, headcount=per, electors=None))
    return steps


def _seat_steps(api: _Before | _After, names: list[str]) -> list[Step]:
    """The DelegatesElected events a plurality election of one delegate would record."""
    steps = []
    for i, k in enumerate(names):
        group = GROUPS[i % len(GROUPS)]
        payload = {
            "constituency": k,
            "date": SET_UP_DAY.isoformat(),
            "method": "plurality",
            "tally": {f"Delegate {k}": 100},
            "elected": [
                {
                    "delegate_id": i + 1,
                    "seat": 1,
                    "name": f"Delegate {k}",
                    "group": group,
                    "rights": "voice-and-vote",
                    "term_days": None,
                }
            ],
            "seed": None,
            "tie_breaks": [],
        }
        steps.append(api.seated(payload))
    return steps


# --- measuring (in the case process) -----------------------------------------------------
class Recorder:
    """Writes each figure as one JSON line as soon as it is taken, so that a case killed
    at its time limit keeps what it measured."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115

    def write(self, **row: Any) -> None:
        row["t"] = time.time()
        self._file.write(json.dumps(row) + "\n")
        self._file.flush()

    def begin(self, op: str, mode: str, planned: int) -> None:
        self.write(kind="begin", op=op, mode=mode, planned=planned)

    def sample(self, op: str, mode: str, seconds: float) -> None:
        self.write(kind="sample", op=op, mode=mode, s=seconds)

    def done(self, op: str, mode: str) -> None:
        self.write(kind="done", op=op, mode=mode)

    def error(self, op: str, mode: str, exc: BaseException) -> None:
        text = f"{type(exc).__name__}: {exc}".splitlines()
        self.write(kind="error", op=op, mode=mode, error=" ".join(text)[:400])


@dataclass
class Spec:
    """What one case process does."""

    kind: str  # council | congress | import | enrol
    backend: str
    size: int  # electors (council, import, enrol) or delegates (congress)
    url: str
    results: str
    reps: int
    cli_reps: int
    budget: float
    named_up_to: int
    concurrency: bool = False
    count: int = 0  # enrol: electors to enrol


class Case:
    """One size on one back end, in its own process."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rec = Recorder(spec.results)
        self.api = _api()
        self.env = dict(os.environ)
        soviet = Path(sys.executable).with_name("soviet")
        self.cli_base = (
            [str(soviet)]
            if soviet.exists()
            else [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]
        )

    # timing helpers
    def once(self, op: str, fn: Callable[[], object], mode: str = "in") -> bool:
        """Time ``fn`` once; False (and the error recorded) when it raised."""
        self.rec.begin(op, mode, 1)
        try:
            started = time.perf_counter()
            fn()
            self.rec.sample(op, mode, time.perf_counter() - started)
        except Exception as exc:
            self.rec.error(op, mode, exc)
            return False
        self.rec.done(op, mode)
        return True

    def repeat(
        self,
        op: str,
        mode: str,
        reps: int,
        prepare: Callable[[int], Callable[[], object]],
        reset: Callable[[], None] | None = None,
    ) -> int:
        """Time ``prepare(i)()`` up to ``reps`` times, stopping once the operation (with
        any untimed ``reset`` between samples) has used the budget and has 3 samples, or
        one sample takes a third of the budget. Returns the number of samples."""
        self.rec.begin(op, mode, reps)
        started = time.perf_counter()
        samples: list[float] = []
        try:
            for i in range(reps):
                if i:
                    spent = time.perf_counter() - started
                    if spent >= self.spec.budget and (
                        len(samples) >= 3 or statistics.fmean(samples) >= self.spec.budget / 3
                    ):
                        break
                    if reset is not None:
                        reset()
                fn = prepare(i)
                t0 = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t0)
                self.rec.sample(op, mode, samples[-1])
        except Exception as exc:
            self.rec.error(op, mode, exc)
            return len(samples)
        self.rec.done(op, mode)
        return len(samples)

    def cli(self, *args: str) -> Callable[[], None]:
        """A whole-process run of ``soviet --db URL ARGS...``; raises on a non-zero exit."""
        command = [*self.cli_base, "--db", self.spec.url, *args]

        def run() -> None:
            done = subprocess.run(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=self.env,
                check=False,
            )
            if done.returncode != 0:
                tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
                raise RuntimeError(f"exit {done.returncode}: {' '.join(tail)[:300]}")

        return run

    # the cases
    def council(self) -> None:
        s, api = self.spec, self.api
        service = api.open(s.url)
        names, per, named = _constituencies(s.size, s.named_up_to)
        steps = _import_steps(api, names, per, named)
        if not self.once("import electors", lambda: api.batch(service, steps)):
            raise SystemExit(3)
        steps = []  # free the memory
        seats = _seat_steps(api, names)
        if not self.once("set-up: seat one delegate each", lambda: api.batch(service, seats)):
            raise SystemExit(3)
        seats = []  # free the memory

        # Petitions, signed one elector per command and never to the threshold (1/2).
        wanted = s.reps + s.cli_reps + 1  # the last one for the read-during-write check
        cap = per // 2
        petitioned = [names[i] for i in _spread(len(names), math.ceil(wanted / cap))]
        opened = [api.open_recall(k, _roll(k, per, named)[0], RECALL_DAY) for k in petitioned]
        self.once("set-up: open petitions", lambda: api.batch(service, opened))
        signers = [
            (number, elector)
            for number, k in enumerate(petitioned, start=1)
            for elector in _roll(k, per, named)[1 : 1 + cap]
        ]
        # Elections into the vacant seats, spread over the council.
        slots = [
            names[i] for _ in range(SEATS - 1) for i in _spread(len(names), s.reps + s.cli_reps)
        ]

        def candidates(i: int) -> list[tuple[str, str, int]]:
            return [
                (f"Candidate {i:03d}a", GROUPS[i % 3], 60),
                (f"Candidate {i:03d}b", GROUPS[(i + 1) % 3], 40),
            ]

        def sign(i: int) -> Callable[[], object]:
            number, elector = signers[i]
            step = api.sign(number, [elector], RECALL_DAY)
            return lambda: api.one(service, step)

        def elect(i: int) -> Callable[[], object]:
            step = api.elect(slots[i], candidates(i), ELECTION_DAY)
            return lambda: api.one(service, step)

        reps = s.reps
        self.repeat("recall signature", "in", min(reps, len(signers)), sign)
        self.repeat("election in one constituency", "in", min(reps, len(slots)), elect)
        self.repeat("council show", "in", reps, lambda i: lambda: api.composition(service, COUNCIL))
        self.repeat("council report", "in", reps, lambda i: lambda: api.report(service, COUNCIL))
        self.repeat("verify", "in", reps, lambda i: lambda: self._verified(service))

        cli = s.cli_reps
        day = RECALL_DAY.isoformat()

        def sign_cli(i: int) -> Callable[[], object]:
            number, elector = signers[reps + i]
            return self.cli("recall", "sign", str(number), elector, "--date", day, "--json")

        def elect_cli(i: int) -> Callable[[], object]:
            tokens = [f"{n}@{g}={v}" for n, g, v in candidates(reps + i)]
            return self.cli(
                "elect", slots[reps + i], *tokens, "--seats", "1",
                "--date", ELECTION_DAY.isoformat(), "--json",
            )  # fmt: skip

        self.repeat("recall signature", "whole", min(cli, len(signers) - reps), sign_cli)
        self.repeat("election in one constituency", "whole", min(cli, len(slots) - reps), elect_cli)
        show = self.cli("council", "show", COUNCIL, "--json")
        self.repeat("council show", "whole", cli, lambda i: show)
        report = self.cli("council", "report", COUNCIL, "--json")
        self.repeat("council report", "whole", cli, lambda i: report)
        verify = self.cli("verify", "--json")
        self.repeat("verify", "whole", cli, lambda i: verify)
        if s.concurrency and len(signers) > reps + cli:
            self.read_during_write(service, *signers[reps + cli])

    def _verified(self, service: Service) -> None:
        problem = self.api.verify(service)
        if problem is not None:
            raise RuntimeError(f"verify failed: {problem}")

    def read_during_write(self, service: Service, petition: int, elector: str) -> None:
        """Time ``council show`` while another process holds a write transaction open
        (it has decided a recall signature and waits, at most HOLD_SECONDS, to commit)."""
        op = "read while a writer holds its transaction"
        self.rec.begin(op, "in", 1)
        writer = subprocess.Popen(
            [sys.executable, __file__, "_hold", self.spec.url, str(petition), elector],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=self.env,
        )  # fmt: skip
        assert writer.stdin is not None and writer.stdout is not None
        ready, _, _ = select.select([writer.stdout], [], [], 60)
        line = writer.stdout.readline() if ready else ""
        if line.strip() != "holding":
            writer.kill()
            _, err = writer.communicate()
            self.rec.error(op, "in", RuntimeError(f"writer did not start: {err.strip()[-300:]}"))
            return
        error: str | None = None
        started = time.perf_counter()
        try:
            self.api.composition(service, COUNCIL)
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        seconds = time.perf_counter() - started
        with contextlib.suppress(BrokenPipeError):
            writer.stdin.write("go\n")
            writer.stdin.flush()
        out, err = writer.communicate(timeout=60)
        committed = "committed" in out
        self.rec.write(
            kind="check", op=op, mode="in", s=seconds, error=error, writer_committed=committed,
            writer_error=None if committed else err.strip()[-300:],
        )  # fmt: skip
        self.rec.sample(op, "in", seconds)
        self.rec.done(op, "in")

    def congress(self) -> None:
        s, api = self.spec, self.api
        service = api.open(s.url)
        n = s.size
        numbers = list(range(1, n + 1))
        setup = [
            api.council(COUNCIL, {"method": "per-unit", "per": 1000}, [CONGRESS]),
            api.call(CONGRESS, COUNCIL, CALLED, OPENS, n),
        ]
        if not self.once("set-up: call the congress", lambda: api.batch(service, setup)):
            raise SystemExit(3)
        presents = [
            api.present(CONGRESS, f"Delegate {i:05d}", COUNCIL, ELECTED, PRESENTED, GROUPS[i % 3])
            for i in numbers
        ]
        if not self.once("set-up: present credentials", lambda: api.batch(service, presents)):
            raise SystemExit(3)
        presents = []  # free the memory
        accepts = [api.accept(CONGRESS, i, PRESENTED) for i in numbers]
        if not self.once("set-up: accept credentials", lambda: api.batch(service, accepts)):
            raise SystemExit(3)
        accepts = []  # free the memory

        arrive = api.register(CONGRESS, numbers, True, OPENS)
        depart = api.register(CONGRESS, numbers, False, OPENS)
        # Each repetition follows a departure of all (untimed): the attendance history
        # grows by 2N records per repetition, so only a few.
        self.repeat(
            "register all arrivals", "in", min(s.reps, REGISTER_REPS),
            lambda i: lambda: api.one(service, arrive), reset=lambda: api.one(service, depart),
        )  # fmt: skip
        tokens = [str(i) for i in numbers]
        arrive_cli = self.cli("congress", "register", CONGRESS, *tokens, "--date", str(OPENS))
        api.one(service, depart)
        got = self.repeat(
            "register all arrivals", "whole", s.cli_reps,
            lambda i: arrive_cli, reset=lambda: api.one(service, depart),
        )  # fmt: skip
        if not got:  # (the whole-process run failed: the delegates are still away)
            with contextlib.suppress(Exception):
                api.one(service, arrive)
        opening = [
            api.open_congress(CONGRESS, OPENS),
            api.motion(CONGRESS, "Decree on Peace", 1, OPENS),
            api.open_vote(CONGRESS, 1, OPENS),
        ]
        if not self.once(
            "set-up: open, move, open a roll call", lambda: api.batch(service, opening)
        ):
            raise SystemExit(3)

        # Casts: the first window one per command, a few whole-process, the middle in one
        # transaction, the last window (as many as the first) one per command.
        def choice(i: int) -> str:
            return CHOICES[i % len(CHOICES)]

        def cast(credential: int) -> Callable[[], object]:
            return lambda: api.cast_one(service, CONGRESS, 1, credential, choice(credential), OPENS)

        window = max(1, min(200, (n - s.cli_reps) // 2))
        first = self.repeat("roll-call cast, first window", "in", window, lambda i: cast(i + 1))
        cli_from = first + 1

        def cast_cli(i: int) -> Callable[[], object]:
            k = cli_from + i
            return self.cli("congress", "vote", CONGRESS, "cast", "1", str(k), choice(k),
                            "--date", OPENS.isoformat(), "--json")  # fmt: skip

        by_cli = self.repeat("roll-call cast", "whole", s.cli_reps, cast_cli)
        last_from = n - first + 1
        middle = [
            api.cast(CONGRESS, 1, k, choice(k), OPENS) for k in range(cli_from + by_cli, last_from)
        ]
        self.once("set-up: the middle casts, one transaction", lambda: api.batch(service, middle))
        middle = []  # free the memory
        saved_budget, s.budget = s.budget, math.inf  # the last window as long as the first
        self.repeat("roll-call cast, last window", "in", first, lambda i: cast(last_from + i))
        s.budget = saved_budget
        self.once("close the vote", lambda: api.close_vote(service, CONGRESS, 1, OPENS))

        # A second roll call of every delegate, for closing one whole-process.
        second = [
            api.motion(CONGRESS, "Decree on Land", 1, OPENS),
            api.open_vote(CONGRESS, 2, OPENS),
            *(api.cast(CONGRESS, 2, k, choice(k), OPENS) for k in numbers),
        ]
        if self.once(
            "set-up: a second roll call, one transaction", lambda: api.batch(service, second)
        ):
            close = self.cli("congress", "vote", CONGRESS, "close", "2", "--date",
                             OPENS.isoformat(), "--json")  # fmt: skip
            self.once("close the vote", close, mode="whole")
        second = []  # free the memory
        show = self.cli("congress", "show", CONGRESS, "--json")
        verify = self.cli("verify", "--json")
        self.repeat(
            "congress show", "in", s.reps, lambda i: lambda: api.congress_show(service, CONGRESS)
        )
        self.repeat("verify", "in", s.reps, lambda i: lambda: self._verified(service))
        self.repeat("congress show", "whole", s.cli_reps, lambda i: show)
        self.repeat("verify", "whole", s.cli_reps, lambda i: verify)

    def import_named(self) -> None:
        """Import ``size`` named electors (constituencies of 100) in one transaction."""
        service = self.api.open(self.spec.url)
        names, per, _ = _constituencies(self.spec.size, self.spec.size)
        steps = _import_steps(self.api, names, per, True)
        self.once("import named electors", lambda: self.api.batch(service, steps))

    def enrol(self) -> None:
        """Enrol ``count`` named electors into one constituency of a ``size`` council."""
        s, api = self.spec, self.api
        service = api.open(s.url)
        names, per, named = _constituencies(s.size, s.named_up_to)
        steps = _import_steps(api, names, per, named)
        if not self.once("set-up: import electors", lambda: api.batch(service, steps)):
            raise SystemExit(3)
        electors = [f"Newcomer {j:07d}" for j in range(1, s.count + 1)]
        step = api.enrol(names[0], electors, RECALL_DAY)
        self.once("enrol electors into one constituency", lambda: api.one(service, step))


def _hold(url: str, petition: int, elector: str) -> None:
    """The writer of the read-during-write check (runs in its own process)."""
    api = _api()
    service = api.open(url)

    def wait() -> None:
        print("holding", flush=True)
        select.select([sys.stdin], [], [], HOLD_SECONDS)

    api.hold(service, api.sign(petition, [elector], RECALL_DAY), wait)
    print("committed", flush=True)


def _run_case(spec_json: str) -> None:
    spec = Spec(**json.loads(spec_json))
    case = Case(spec)
    {
        "council": case.council,
        "congress": case.congress,
        "import": case.import_named,
        "enrol": case.enrol,
    }[spec.kind]()


# --- running the cases (in the parent) -----------------------------------------------------
@dataclass
class Figure:
    """One operation's figures in one case."""

    op: str
    mode: str
    planned: int = 0
    samples: list[float] = field(default_factory=list)
    done: bool = False
    error: str | None = None
    check: dict[str, Any] | None = None
    began: float | None = None  # wall-clock time of its start
    last: float | None = None  # ... and of its last sample (or start)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p90(self) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]


@dataclass
class CaseResult:
    """What one case process measured, and how it ended."""

    kind: str
    backend: str
    size: int
    status: str  # ok | killed | failed
    seconds: float
    limit: float
    figures: dict[str, Figure] = field(default_factory=dict)
    log_tail: str = ""
    count: int = 0  # enrol: electors enrolled
    ended: float = 0.0  # wall-clock time when it ended (or was killed)

    def unfinished(self, fig: Figure | None) -> float | None:
        """Seconds that ``fig``'s run in progress had taken when the case was killed
        (None unless killed during it)."""
        if self.status != "killed" or fig is None or fig.done or fig.error or not self.ended:
            return None
        since = fig.last if fig.last is not None else fig.began
        return None if since is None else max(0.0, self.ended - since)

    def get(self, op: str, mode: str = "in") -> Figure | None:
        return self.figures.get(f"{op}|{mode}")


def _read_results(path: Path) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    if not path.exists():
        return figures
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by the kill
        key = f"{row['op']}|{row['mode']}"
        fig = figures.setdefault(key, Figure(row["op"], row["mode"]))
        kind = row["kind"]
        if kind == "begin":
            fig.planned = row["planned"]
            fig.began = fig.last = row.get("t")
        elif kind == "sample":
            fig.samples.append(row["s"])
            fig.last = row.get("t")
        elif kind == "done":
            fig.done = True
        elif kind == "error":
            fig.error = row["error"]
        elif kind == "check":
            fig.check = {k: v for k, v in row.items() if k not in ("kind", "op", "mode")}
    return figures


def run_case(spec: Spec, limit: float, work: Path, console: Console) -> CaseResult:
    """Run one case in its own process group, killed (with its children) at ``limit``."""
    log = work / (Path(spec.results).stem + ".log")
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, __file__, "_case", json.dumps(asdict(spec))],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            rc = proc.wait(timeout=limit)
            status = "ok" if rc == 0 else "failed"
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            status = "killed"
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # stray whole-process runs
    seconds = time.perf_counter() - started
    ended = time.time()
    tail = ""
    if status == "failed":
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-8:])
    result = CaseResult(
        spec.kind, spec.backend, spec.size, status, seconds, limit,
        _read_results(Path(spec.results)), tail, spec.count, ended,
    )  # fmt: skip
    what = f"{spec.backend:10} {spec.kind:8} {spec.size:>9,}"
    note = {"ok": "done", "killed": f"killed at the {limit:.0f} s limit", "failed": "FAILED"}[
        status
    ]
    console.print(f"  {what}: {note} ({seconds:.1f} s)", highlight=False)
    errors = [f for f in result.figures.values() if f.error]
    for f in errors:
        console.print(f"      error in {f.op} ({f.mode}): {f.error}", highlight=False, markup=False)
    if tail:
        console.print(tail, markup=False, highlight=False)
    return result


Fresh = Callable[[], tuple[str, Callable[[], None]]]


@contextlib.contextmanager
def _databases(backends: Sequence[str], work: Path) -> Iterator[dict[str, Fresh]]:
    """Per back end: make a fresh database, giving its URL and how to drop it afterwards
    (PostgreSQL: on a throwaway server started here, as benchmarks/ledger.py does)."""
    counter = iter(range(1_000_000))
    made: dict[str, Fresh] = {}

    def sqlite() -> tuple[str, Callable[[], None]]:
        path = work / f"scale-{next(counter)}.db"

        def drop() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    path.with_name(path.name + suffix).unlink()

        return f"sqlite:///{path}", drop

    if "sqlite" in backends:
        made["sqlite"] = sqlite
    if "postgresql" not in backends:
        yield made
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import ThrowawayPostgres  # type: ignore[import-not-found]

    with ThrowawayPostgres() as pg:

        def postgresql() -> tuple[str, Callable[[], None]]:
            name = pg.create_database()
            return pg.url(name), lambda: pg.drop_database(name)

        made["postgresql"] = postgresql
        yield made


# --- the tables ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A target of issue 8: at most ``limit`` seconds (at ``at``, or at every size), and
    a ratio bound (largest / smallest size, or last / first window)."""

    text: str
    limit: float | None = None
    at: int | None = None
    ratio: float | None = None


WRITE = Target("≤ 10 ms; largest ≤ 1.3× smallest", 0.010, None, 1.3)
COUNCIL_ROWS: list[tuple[str, str, str, Target | None]] = [
    ("import electors", "in", "import electors, 1 tx (a)",
     Target("100k named ≤ 30 s", 30.0, 100_000)),
    ("set-up: seat one delegate each", "in", "set-up: seat a delegate each, 1 tx",
     None),
    ("recall signature", "in", "one recall signature", WRITE),
    ("recall signature", "whole", "  whole process", None),
    ("election in one constituency", "in", "one election in one constituency", WRITE),
    ("election in one constituency", "whole", "  whole process", None),
    ("council show", "in", "council show", Target("≤ 1 s at 1,000,000", 1.0, 1_000_000)),
    ("council show", "whole", "  whole process", None),
    ("council report", "in", "council report", Target("≤ 1 s at 1,000,000", 1.0, 1_000_000)),
    ("council report", "whole", "  whole process", None),
    ("verify", "in", "verify", None),
    ("verify", "whole", "  whole process", None),
]  # fmt: skip
CONGRESS_ROWS: list[tuple[str, str, str, Target | None]] = [
    ("set-up: present credentials", "in", "set-up: present every credential, 1 tx", None),
    ("set-up: accept credentials", "in", "set-up: accept every credential, 1 tx", None),
    ("register all arrivals", "in", "register all arrivals, one command",
     Target("≤ 2 s at 10,000", 2.0, 10_000)),
    ("register all arrivals", "whole", "  whole process", None),
    ("roll-call cast, first window", "in", "roll-call cast, first 200 (at 100: first half)",
     Target("≤ 5 ms at 10,000", 0.005, 10_000)),
    ("roll-call cast, last window", "in", "roll-call cast, last 200 (at 100: last half)",
     Target("≤ 5 ms; last ≤ 1.3× first, at 10,000", 0.005, 10_000, 1.3)),
    ("roll-call cast", "whole", "  whole process (casts after the first window)", None),
    ("close the vote", "in", "close the vote", Target("≤ 1 s at 10,000", 1.0, 10_000)),
    ("close the vote", "whole", "  whole process (a second roll call)", None),
    ("congress show", "in", "congress show", None),
    ("congress show", "whole", "  whole process", None),
    ("verify", "in", "verify", None),
    ("verify", "whole", "  whole process", None),
]  # fmt: skip


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.2f}"
    if ms < 100:
        return f"{ms:.1f}"
    return f"{ms:,.0f}"


def _cell(result: CaseResult | None, op: str, mode: str) -> tuple[str, float | None]:
    """The cell text and the median (None when there is no figure)."""
    if result is None:
        return "", None
    fig = result.get(op, mode)
    if fig is None or not fig.samples:
        if fig is not None and fig.error:
            return "error", None
        running = result.unfinished(fig)
        if running is not None:
            return f"> {running:,.0f} s" if running >= 10 else f"> {running:.1f} s", None
        if result.status == "killed":
            return f"(> {result.limit:.0f} s)", None
        return ("failed" if result.status == "failed" else "-"), None
    median = fig.median
    assert median is not None
    text = _ms(median)
    if len(fig.samples) > 1:
        p90 = fig.p90
        assert p90 is not None
        text += f" ({_ms(p90)})"
    if not fig.done:
        text += f" *{len(fig.samples)}"  # cut short: by the time limit or an error
    elif 1 < len(fig.samples) < fig.planned:
        text += f" n{len(fig.samples)}"  # fewer than planned: the operation's time budget
    return text, median


def _verdict(
    target: Target | None, medians: dict[int, float | None], running: dict[int, float | None]
) -> tuple[str, str]:
    """(verdict, ratio text) for one row."""
    if target is None:
        return "", ""
    sizes = sorted(medians)
    checked = [target.at] if target.at is not None else sizes
    if target.at is not None and target.at not in medians:
        return "n/a", ""
    missed = False
    unknown = False
    for size in checked:
        m = medians.get(size)
        if m is None:
            bound = running.get(size)  # a first run still going when the case was killed
            if bound is not None and target.limit is not None and bound > target.limit:
                missed = True
            else:
                unknown = True
        elif target.limit is not None and m > target.limit:
            missed = True
    ratio_text = ""
    if target.ratio is not None and target.at is None and len(sizes) > 1:
        low, high = medians.get(sizes[0]), medians.get(sizes[-1])
        if low and high:
            ratio = high / low
            ratio_text = f"×{ratio:.2f} ({sizes[-1]:,}/{sizes[0]:,})"
            missed = missed or ratio > target.ratio
        else:
            unknown = True
    if missed:
        return "[red]MISSED[/]", ratio_text
    return ("?" if unknown else "[green]met[/]"), ratio_text


def _table(
    title: str,
    unit: str,
    rows: list[tuple[str, str, str, Target | None]],
    results: dict[int, CaseResult],
    ratio_rows: dict[tuple[str, str], tuple[str, str]] | None = None,
    caption: str | None = None,
) -> Table:
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    table.add_column("operation (median (p90) ms)")
    sizes = sorted(results)
    for size in sizes:
        table.add_column(f"{size:,} {unit}", justify="right")
    table.add_column("target (issue 8)")
    table.add_column("verdict")
    table.add_column("ratio")
    for op, mode, label, target in rows:
        cells: list[str] = []
        medians: dict[int, float | None] = {}
        running: dict[int, float | None] = {}
        for size in sizes:
            text, median = _cell(results[size], op, mode)
            cells.append(text)
            medians[size] = median
            running[size] = results[size].unfinished(results[size].get(op, mode))
        verdict, ratio = _verdict(target, medians, running)
        if ratio_rows and (op, mode) in ratio_rows:
            ratio = _ratio(results, *ratio_rows[(op, mode)])
            if target is not None and target.ratio is not None and target.at is not None:
                at = results.get(target.at)
                r = _raw_ratio(at, *ratio_rows[(op, mode)]) if at else None
                if r is not None and r > target.ratio:
                    verdict = "[red]MISSED[/]"
                elif r is None and verdict == "[green]met[/]":
                    verdict = "?"
        table.add_row(label, *cells, target.text if target else "", verdict, ratio)
    return table


def _raw_ratio(result: CaseResult, over: str, under: str) -> float | None:
    a, b = result.get(over), result.get(under)
    if a is None or b is None or a.median is None or b.median is None or not b.median:
        return None
    return a.median / b.median


def _ratio(results: dict[int, CaseResult], over: str, under: str) -> str:
    parts = []
    for size in sorted(results):
        r = _raw_ratio(results[size], over, under)
        if r is not None:
            parts.append(f"×{r:.2f} ({size:,})")
    return " ".join(parts)


LEGEND = (
    "Cells: median (p90) in ms. 'nK': K runs (the operation used its time budget); "
    "'*K': cut short after K runs; '> X s': a run still going when the case was killed "
    "after X s of it; '(> L s)': not reached, the case was killed at its L s limit. "
    "Whole process: the soviet command as a subprocess, Python start-up included. "
    "The machine is shared (2 cores, other jobs): figures are noisy, compare medians."
)


def render(cases: list[CaseResult], console: Console, backends: Sequence[str]) -> None:
    """Print the tables, one set per back end."""
    console.print(LEGEND, highlight=False)
    for backend in backends:
        mine = [c for c in cases if c.backend == backend]
        if not mine:
            continue
        councils = {c.size: c for c in mine if c.kind == "council"}
        congresses = {c.size: c for c in mine if c.kind == "congress"}
        if councils:
            caption = (
                "(a) named rolls of 100 electors up to --named-up-to, numbered rolls of 50 "
                "beyond. Five seats per constituency, one filled at set-up; elections fill "
                "the others; signatures never reach the recall threshold."
            )
            console.print(
                _table(
                    f"{backend}: organisations", "electors", COUNCIL_ROWS, councils, None, caption
                )
            )
        if congresses:
            ratios = {
                ("roll-call cast, last window", "in"): (
                    "roll-call cast, last window",
                    "roll-call cast, first window",
                )
            }
            caption = (
                f"register: up to {REGISTER_REPS} in-process runs, then whole-process ones, "
                "each after a departure of all (untimed), so every run finds 2N more "
                "attendance records. Casts: one per command; the middle of the vote in one "
                "transaction."
            )
            console.print(
                _table(
                    f"{backend}: congresses",
                    "delegates",
                    CONGRESS_ROWS,
                    congresses,
                    ratios,
                    caption,
                )
            )
        extra = Table(title=f"{backend}: bulk imports and concurrency", title_justify="left")
        for col in ("case", "figure", "target (issue 8)", "verdict"):
            extra.add_column(col)
        for c in mine:
            if c.kind == "import":
                limit = 300.0 if c.size >= 1_000_000 else 30.0 if c.size >= 100_000 else None
                label = f"import {c.size:,} named electors, 1 tx"
                _bulk_row(extra, c, "import named electors", label, limit)
            elif c.kind == "enrol":
                label = f"enrol {c.count:,} named electors into one constituency, 1 command"
                _bulk_row(extra, c, "enrol electors into one constituency", label, None)
        for c in mine:
            fig = c.get("read while a writer holds its transaction")
            if c.kind == "council" and fig is not None:
                _concurrency_row(extra, c, fig)
        if extra.row_count:
            console.print(extra)


def _bulk_row(table: Table, c: CaseResult, op: str, label: str, limit: float | None) -> None:
    fig = c.get(op)
    if fig is not None and fig.samples:
        seconds = fig.samples[0]
        text = f"{seconds:,.2f} s"
        verdict = (
            "" if limit is None else ("[green]met[/]" if seconds <= limit else "[red]MISSED[/]")
        )
    elif fig is not None and fig.error:
        text, verdict = f"error: {fig.error[:60]}", ""
    elif c.status == "killed":
        text = f"> {c.limit:.0f} s"
        verdict = "" if limit is None else ("[red]MISSED[/]" if c.limit >= limit else "?")
    else:
        text, verdict = c.status, ""
    target = "" if limit is None else f"≤ {limit:.0f} s"
    table.add_row(label, text, target, verdict)


def _concurrency_row(table: Table, c: CaseResult, fig: Figure) -> None:
    check = fig.check or {}
    seconds = check.get("s")
    if seconds is None:
        text, verdict = (fig.error or "not measured")[:80], "?"
    elif check.get("error"):
        text, verdict = f"failed after {seconds:.1f} s: {check['error'][:90]}", "[red]MISSED[/]"
    elif seconds >= 1.0:
        text, verdict = f"waited {seconds:.1f} s for the writer", "[red]MISSED[/]"
    else:
        text, verdict = f"read in {_ms(seconds)} ms, writer still holding", "[green]met[/]"
    if check and not check.get("writer_committed"):
        text += f" (writer did not commit: {str(check.get('writer_error'))[:60]})"
    table.add_row(
        f"council show while a writer holds its transaction ({c.size:,} electors)",
        text,
        "readers never take the write lock",
        verdict,
    )


def _save(path: Path, info: dict[str, Any], args: dict[str, Any], cases: list[CaseResult]) -> None:
    """Write the raw figures (``--json``)."""
    payload = {
        **info,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "args": args,
        "cases": [
            {
                "kind": c.kind,
                "backend": c.backend,
                "size": c.size,
                "status": c.status,
                "seconds": c.seconds,
                "limit": c.limit,
                "count": c.count,
                "ended": c.ended,
                "figures": [asdict(f) for f in c.figures.values()],
                "log_tail": c.log_tail,
            }
            for c in cases
        ],
    }
    path.write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")


def _load(path: Path) -> tuple[dict[str, Any], list[CaseResult]]:
    """The header and the cases of a ``--json`` file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    cases = []
    for c in data["cases"]:
        figures = {f"{f['op']}|{f['mode']}": Figure(**f) for f in c["figures"]}
        cases.append(
            CaseResult(
                c["kind"],
                c["backend"],
                c["size"],
                c["status"],
                c["seconds"],
                c["limit"],
                figures,
                c.get("log_tail", ""),
                c.get("count") or 0,
                c.get("ended") or 0.0,
            )
        )
    return data, cases


def _merged(
    files: Sequence[Path], console: Console
) -> tuple[dict[str, Any], list[CaseResult], list[str]]:
    """The header of the last of several ``--json`` files, their cases (a later file's
    case replaces an earlier one of the same kind, size and back end), and their back
    ends in order."""
    chosen: dict[tuple[str, str, int], CaseResult] = {}
    info: dict[str, Any] = {}
    for path in files:
        info, cases = _load(path)
        console.print(
            f"{path}: tree [bold]{info.get('tree')}[/] ({info.get('source')}, "
            f"{info.get('commit', 'no git')}), {info.get('when')}, case limit "
            f"{info.get('args', {}).get('case_timeout')} s",
            highlight=False,
        )
        for c in cases:
            chosen[(c.backend, c.kind, c.size)] = c
    backends = [b for b in ("sqlite", "postgresql") if any(k[0] == b for k in chosen)]
    header = {k: v for k, v in info.items() if k not in ("cases", "args", "python", "cpus")}
    header["merged_from"] = [str(p) for p in files]
    return header, list(chosen.values()), backends


# --- main ----------------------------------------------------------------------------------
def _ints(text: str) -> list[int]:
    return sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})


def _tree() -> dict[str, str]:
    import soviet

    src = Path(soviet.__file__).resolve().parents[1]
    info = {"tree": "after" if AFTER else "before", "source": str(src)}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--untracked-files=no", "."],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        if head.returncode == 0:
            info["commit"] = head.stdout.strip() + (" + changes" if dirty.stdout.strip() else "")
    return info


def _plan(
    args: argparse.Namespace,
    backend: str,
    kinds: set[str],
    sizes: list[int],
    delegates: list[int],
    work: Path,
) -> list[Spec]:
    """The cases to run on one back end, in order."""

    def spec(kind: str, size: int, largest: bool, **extra: Any) -> Spec:
        return Spec(
            kind=kind, backend=backend, size=size, url="",
            results=str(work / f"{backend}-{kind}-{size}.jsonl"), reps=args.reps,
            cli_reps=1 if largest else args.cli_reps, budget=args.op_budget,
            named_up_to=args.named_up_to, **extra,
        )  # fmt: skip

    plan: list[Spec] = []
    if "council" in kinds:
        plan += [
            spec("council", size, size >= 1_000_000, concurrency=i == 0)
            for i, size in enumerate(sizes)
        ]
    if "congress" in kinds:
        plan += [spec("congress", n, n >= 10_000) for n in delegates]
    if "import" in kinds and args.import_named:
        plan.append(spec("import", args.import_named, True))
    if "enrol" in kinds and args.enrol:
        plan.append(spec("enrol", sizes[0] if sizes else 1000, True, count=args.enrol))
    return plan


def main() -> None:
    """Run the cases and print the figures."""
    if len(sys.argv) > 1 and sys.argv[1] == "_case":
        _run_case(sys.argv[2])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_hold":
        _hold(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000", help="electors per council")
    parser.add_argument("--delegates", default="100,1000,10000", help="delegates per congress")
    parser.add_argument("--reps", type=int, default=20, help="in-process repetitions")
    parser.add_argument("--cli-reps", type=int, default=3, help="whole-process repetitions")
    parser.add_argument("--op-budget", type=float, default=20.0, help="seconds per operation")
    parser.add_argument("--case-timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--cases", default="council,congress,import,enrol")
    parser.add_argument("--named-up-to", type=int, default=100_000, help="named rolls up to")
    parser.add_argument("--import-named", type=int, default=1_000_000, help="0: skip")
    parser.add_argument("--enrol", type=int, default=100_000, help="0: skip")
    parser.add_argument("--json", type=Path, default=None, help="write the raw figures here")
    parser.add_argument(
        "--render", type=Path, nargs="+", default=None, metavar="JSON",
        help="only print the tables of earlier --json files (merged, later files win)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.render:
        console = Console(width=max(Console().width, 200))
        header, merged, present = _merged(args.render, console)
        render(merged, console, present)
        if args.json:
            _save(args.json, header, vars(args), merged)
        return
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.no_postgres:
        backends = [b for b in backends if b != "postgresql"]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"--backends: unknown {sorted(unknown)}")
    kinds = {k.strip() for k in args.cases.split(",") if k.strip()}
    sizes, delegates = _ints(args.sizes), _ints(args.delegates)

    console = Console(width=max(Console().width, 200))
    info = _tree()
    when = dt.datetime.now().isoformat(timespec="seconds")
    console.print(
        f"soviet scale benchmark (issue 8): tree [bold]{info['tree']}[/] "
        f"({info['source']}, {info.get('commit', 'no git')}); Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {when}",
        highlight=False,
    )
    console.print(
        f"in-process: median (p90) of up to {args.reps} runs (fewer once an operation has "
        f"used {args.op_budget:.0f} s); whole process: up to {args.cli_reps} runs (1 at the "
        f"largest sizes); each case killed at {args.case_timeout:.0f} s.",
        highlight=False,
    )
    started = time.perf_counter()
    cases: list[CaseResult] = []
    work = Path(tempfile.mkdtemp(prefix="soviet-scale-"))
    try:
        with _databases(backends, work) as fresh:
            for backend in backends:
                for spec in _plan(args, backend, kinds, sizes, delegates, work):
                    spec.url, drop = fresh[backend]()
                    cases.append(run_case(spec, args.case_timeout, work, console))
                    with contextlib.suppress(Exception):
                        drop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    render(cases, console, backends)
    console.print(f"total {time.perf_counter() - started:,.0f} s", highlight=False)
    if args.json:
        _save(args.json, {**info, "when": when}, vars(args), cases)


if __name__ == "__main__":
    main()
