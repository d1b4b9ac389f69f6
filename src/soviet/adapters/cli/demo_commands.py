"""``soviet demo``: the worked examples, narrated step by step."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from soviet.adapters.cli.common import console, fail
from soviet.adapters.cli.council_commands import guard, print_composition, print_report

if TYPE_CHECKING:
    from soviet.application.ledger import LedgerEntry
    from soviet.application.scenario import Scenario, Step
    from soviet.domain.congress import Congress
    from soviet.domain.model import Organisation

#: The packaged replays by name: their scenario files in ``soviet/scenarios/data``.
DEMOS = {
    "petrograd": "petrograd-1917.yaml",
    "second-congress": "second-congress-1917.yaml",
    "military-revolutionary-committee": "military-revolutionary-committee-1917.yaml",  # orders
    "constituent-assembly": "constituent-assembly-1917.yaml",  # list assemblies (issue 12)
    "council-of-commissioners": "council-of-commissioners-1917.yaml",  # executive (issue 11)
    "decree-no-1": "decree-no-1-1917.yaml",  # consent workflows, workers' control (issue 11)
}

#: Replays a demo runs first, unnarrated, on the same ledger (the assembly's lag is
#: measured against their councils and congress).
PRELUDES = {
    "constituent-assembly": ("petrograd", "second-congress"),
    "council-of-commissioners": ("second-congress",),
}


def program() -> str:
    """How the reader calls soviet again: ``soviet`` when it is on PATH (an activated
    .venv), else the path it was started by (``.venv/bin/soviet`` after ``make demo``)."""
    started = Path(sys.argv[0])
    if started.name != "soviet" or shutil.which("soviet"):
        return "soviet"
    return str(started)


def scenario_path(name: str) -> Path:
    """The packaged scenario file of a demo."""
    return Path(str(resources.files("soviet.scenarios") / "data" / DEMOS[name]))


def _proportional_split(report: dict[str, Any]) -> str:
    """The same seats shared between kinds of constituency in proportion to electors."""
    from soviet.count.apportion import DivisorMethod

    kinds = {k["name"]: k for k in report["kinds"]}
    weights = {name: int(k["electors"]) for name, k in kinds.items()}
    fair = DivisorMethod("sainte-lague").allocate(weights, int(report["seats"])).seats
    return ", ".join(f"{name} {fair[name]} (not {kinds[name]['seats']})" for name in weights)


class Narrator:
    """Prints a scenario as it runs: titled steps, checkpoints, a closing summary."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.council = scenario.councils[0].name
        self.silent = 0
        self.checkpoints: list[tuple[str, int]] = []

    def structure(self, org: Organisation) -> None:
        """After the councils and constituencies exist: the apportionment and its distortion."""
        from soviet.views.council import representation_report

        console.rule("[bold]1. Apportionment")
        sections = self.scenario.councils[0].sections
        for section in sections:
            report = representation_report(org, self.council, section)
            print_report(report, constituencies=False)
            if len(report["kinds"]) > 1:
                console.print(
                    f"Shared in proportion to electors (Sainte-Laguë), the {section}' seats "
                    "would be: " + _proportional_split(report)
                )
        print_report(representation_report(org, self.council), constituencies=False)
        console.rule("[bold]2. Elections, mandates, recalls")

    def step(self, index: int, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        """One step of the script."""
        from soviet.application.scenario import step_date
        from soviet.domain.calendar import format_dual

        if not step.title:
            self.silent += 1
            if step.checkpoint:
                self._checkpoint(step, entry, org)
            return
        if self.silent:
            console.print(f"[dim]   ... and {self.silent} more events of the same kind[/]")
            self.silent = 0
        when = format_dual(step_date(step, self.scenario.calendar))
        console.print(f"\n[bold cyan]{when}[/]  [bold]{step.title}[/]  [dim](event {entry.seq})[/]")
        if step.narrative:
            console.print(f"   {step.narrative}")
        if step.source:
            console.print(f"   [dim]source: {step.source}[/]")
        payload = entry.data()["payload"]
        if entry.type == "RecallSigned" and payload["outcome"]:
            outcome = payload["outcome"]
            console.print(
                f"   {payload['signatures']} of {payload['needed']} needed signatures: "
                f"{len(outcome['recalled'])} delegate(s) recalled"
                + (", replaced at once" if outcome["replacements"] else "")
            )
        if step.checkpoint:
            self._checkpoint(step, entry, org)

    def _checkpoint(self, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        from soviet.application.scenario import step_date
        from soviet.domain.calendar import format_dual
        from soviet.views.council import composition

        if self.silent:
            console.print(f"[dim]   ... and {self.silent} more events of the same kind[/]")
            self.silent = 0
        when = format_dual(step_date(step, self.scenario.calendar))
        console.print(f"\n[bold]Composition on {when}[/] (after event {entry.seq}):")
        print_composition(composition(org, self.council), delegates=False)
        self.checkpoints.append((when, entry.seq))


def _closing(db: str, narrator: Narrator, entries: list[LedgerEntry]) -> None:
    from rich.table import Table

    from soviet.adapters.storage import open_service
    from soviet.domain import rules
    from soviet.domain.calendar import format_dual, parse_date
    from soviet.views.council import composition

    service = open_service(db)
    org = service.state()
    council = narrator.council
    console.rule("[bold]3. Where it stands")
    print_composition(composition(org, council), delegates=False)
    on = parse_date("1917-09-25", "julian")
    stale = rules.stale_delegates(org, council, on)
    limit = org.councils[council].max_term_days
    console.print(
        f"\n[bold]soviet council stale[/] on {format_dual(on)}: {len(stale)} delegates have sat "
        f"longer than {limit} days without re-election, e.g."
    )
    table = Table()
    for col in ("constituency", "delegate", "group", "elected", "days"):
        table.add_column(col)
    for s in stale[:5]:
        table.add_row(
            s.delegate.constituency,
            s.delegate.name,
            s.delegate.group or "",
            format_dual(s.delegate.elected_on),
            str(s.days),
        )
    console.print(table)
    console.rule("[bold]4. The ledger")
    result = service.verify()
    status = "[green]intact[/]" if result.ok else f"[red]BROKEN[/] at {result.first_bad_seq}"
    console.print(
        f"soviet verify: {status}: {result.checked} events, head {result.head_hash[:16]}..."
    )
    console.print("Look back at any moment by replaying the ledger:")
    prog = program()
    for when, seq in narrator.checkpoints:
        console.print(f"   {prog} --db {db} council show '{council}' --as-of {seq}   # {when}")
    console.print(f"   {prog} --db {db} council report '{council}'")
    console.print(f"   {prog} --db {db} history --type RecallSigned")
    if not result.ok:
        raise typer.Exit(1)
    del entries


# --- the Second Congress ---------------------------------------------------------------
CEC_SEATS = 101
CEC_METHODS = {
    "dhondt": "D'Hondt",
    "sainte-lague": "Sainte-Laguë",
    "hare": "Hare",
    "droop": "Droop",
}
# The CEC as the texts report it: 003:25529-25535 and 004:143.
CEC_003 = {
    "Bolsheviks": 62,
    "Left SRs": 29,
    "United Internationalists": 6,
    "Ukrainian SRs": 3,  # 003: "three Ukrainian Socialists"
    "Maximalist SRs": 1,
}
CEC_004 = {"Bolsheviks": 69, "Left SRs": 29}  # + "half-dozen others, making 105 in all"
SOURCES_TABLE = [
    # figure, 003, 004, 000
    (
        "Delegates at the opening",
        "650 (003:23684-23688)",
        "670 (004:141)",
        "≈600 implied: 'sixty ... about one-tenth' (000:2143-2145)",
    ),
    ("Bolsheviks", "390 (003:23684-23688)", "300 (004:141)", "—"),
    ("Left SRs", "179, after the night (003:24234-24236)", "169 (004:141)", "—"),
    ("Mensheviks incl. Bund", "about 80 (003:23743-23747)", "68 (004:141)", "—"),
    ("Right and Centre SRs", "60 (003:23731-23733)", "24 (004:141)", "—"),
    ("Walked out", "70, not 140 (003:24216-24242)", "—", "60 (000:2143-2145)"),
    ("Manifesto", "2 against, 12 abstaining (003:24529-24533)", "no tally (004:164)", "—"),
    ("Decree on Peace", "no tally (003:25060-25062)", "—", "'unanimously' (000:2204-2207)"),
    (
        "Decree on Land",
        "1 against, 8 abstaining (003:25374-25376)",
        "—",
        "'unanimously' (000:2204-2207)",
    ),
    ("CEC size", "101 (003:25529-25531)", "'105 in all' (004:143)", "—"),
    ("CEC Bolsheviks", "62 (003:25531)", "69 (004:143)", "—"),
    ("CEC Left SRs", "29 (003:25531-25533)", "29 (004:143)", "—"),
    (
        "CEC others",
        "10 = 6 United Internationalists + 3 Ukrainian Socialists + 1 Maximalist SR "
        "(003:25533-25535)",
        "'half-dozen' (004:143); 105 - 69 - 29 = 7",
        "—",
    ),
]


class CongressNarrator:
    """Prints the congress scenario as it runs, and remembers what the closing compares."""

    def __init__(self, scenario: Scenario) -> None:
        from soviet.application.scenario import CongressCallStep

        self.scenario = scenario
        self.congress = next(
            (s.name for s in scenario.steps if isinstance(s, CongressCallStep)), ""
        )
        self.last_seq = len(scenario.councils) + len(scenario.constituencies)
        self.checkpoints: list[tuple[str, int]] = []
        self.opening: dict[str, int] | None = None
        self.cec_groups: dict[str, int] | None = None

    def structure(self, org: Organisation) -> None:
        """After the convening councils exist."""
        del org
        console.rule("[bold]1. The congress, step by step")

    def step(self, index: int, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        """One step: its title, narrative and source, and what the engine recorded."""
        from soviet.application.scenario import CommitteeStep, step_date
        from soviet.domain.calendar import format_dual

        del index
        first, self.last_seq = self.last_seq + 1, entry.seq
        congress = org.congresses.get(self.congress)
        if isinstance(step, CommitteeStep) and step.kind == "executive" and congress:
            self.cec_groups = congress.group_sizes(present_only=True)
        if not step.title:
            return
        when = format_dual(step_date(step, self.scenario.calendar))
        events = f"event {entry.seq}" if first == entry.seq else f"events {first}-{entry.seq}"
        console.print(f"\n[bold cyan]{when}[/]  [bold]{step.title}[/]  [dim]({events})[/]")
        if step.narrative:
            console.print(f"   {step.narrative}")
        if step.source:
            console.print(f"   [dim]source: {step.source}[/]")
        if congress is not None:
            self._detail(step, entry, congress)
        if step.checkpoint and congress is not None:
            self._checkpoint(step, entry, congress)

    def _detail(self, step: Step, entry: LedgerEntry, congress: Congress) -> None:
        from soviet.application.scenario import (
            CommitteeStep,
            CongressCallStep,
            CongressGroupStep,
            CongressPostponeStep,
            CongressRegisterStep,
            CredentialsRuleStep,
            CredentialsStep,
            VoteStep,
        )
        from soviet.domain.calendar import format_dual

        payload = entry.data()["payload"]
        if isinstance(step, CongressCallStep):
            senders = ", ".join(f"{k} {v}" for k, v in congress.senders.items())
            console.print(
                f"   -> called by {congress.convened_by} for {format_dual(congress.opens_on)}; "
                f"quorum {congress.quorum}; senders: {senders}"
            )
        elif isinstance(step, CongressPostponeStep):
            console.print(f"   -> now opens {format_dual(congress.opens_on)}")
        elif isinstance(step, CredentialsStep):
            flagged = [
                c for c in congress.credentials.values() if c.problems and c.status == "pending"
            ]
            console.print(f"   -> {len(congress.credentials)} credentials presented so far")
            for c in flagged:
                console.print(
                    f"   [yellow]flagged[/] no. {c.number} {c.delegate} ({c.sent_by}): "
                    + "; ".join(c.problems)
                )
        elif isinstance(step, CredentialsRuleStep):
            seated = len(congress.seated())
            rejected = sum(1 for c in congress.credentials.values() if c.status == "rejected")
            console.print(f"   -> {seated} seated, {rejected} rejected")
            if step.reason:
                console.print(f"   reason recorded: {step.reason}")
        elif isinstance(step, CongressRegisterStep):
            present = congress.entitled_present()
            console.print(f"   -> {len(present)} voting delegates present")
            if step.movement == "arrive" and self.opening is None:
                self.opening = congress.group_sizes(present_only=True)
        elif isinstance(step, CongressGroupStep):
            sizes = congress.group_sizes(present_only=True)
            to = step.to_group or "(no group)"
            before = step.from_group or ""
            console.print(f"   -> {to}: {sizes.get(to, 0)}; {before}: {sizes.get(before, 0)}")
        elif isinstance(step, CommitteeStep):
            alloc = ", ".join(f"{g} {n}" for g, n in payload["allocation"].items())
            console.print(
                f"   -> {step.committee} ({payload['method']}, {payload['seats']} seats): {alloc}"
            )
            if payload["declined"]:
                console.print(
                    f"   declined: {', '.join(payload['declined'])} "
                    f"(their seats: {payload['declined_seats']})"
                )
        elif isinstance(step, VoteStep):
            counts = payload["counts"]
            outcome = "carried" if payload["carried"] else "lost"
            console.print(
                f"   -> for {counts['for']}, against {counts['against']}, abstaining "
                f"{counts['abstain']}: {outcome} ({len(payload['present'])} voting delegates "
                "present)"
            )
            if payload["decree"]:
                console.print(
                    f"   decree no. {payload['decree']['number']}: {payload['decree']['title']}"
                )

    def _checkpoint(self, step: Step, entry: LedgerEntry, congress: Congress) -> None:
        from rich.table import Table

        from soviet.application.scenario import step_date
        from soviet.domain.calendar import format_dual

        when = format_dual(step_date(step, self.scenario.calendar))
        sizes = congress.group_sizes(present_only=True)
        table = Table(title=f"Groups present on {when} (after event {entry.seq})")
        table.add_column("group")
        table.add_column("present", justify="right")
        for group, n in sizes.items():
            table.add_row(group, str(n))
        table.add_row("[bold]total[/]", f"[bold]{sum(sizes.values())}[/]")
        console.print(table)
        self.checkpoints.append((when, entry.seq))


def cec_comparison(groups: dict[str, int], seats: int = CEC_SEATS) -> dict[str, dict[str, int]]:
    """The CEC's seats shared over the groups present, by each method of CEC_METHODS."""
    from soviet.count.apportion import rule_from_config

    return {
        method: rule_from_config({"method": method}).allocate(groups, seats).seats
        for method in CEC_METHODS
    }


def _differences(alloc: dict[str, int], historical: dict[str, int]) -> str:
    names = sorted(set(alloc) | set(historical), key=lambda g: -historical.get(g, 0))
    diffs = [
        f"{g} {alloc.get(g, 0) - historical.get(g, 0):+d}"
        for g in names
        if alloc.get(g, 0) != historical.get(g, 0)
    ]
    return ", ".join(diffs) if diffs else "none"


def print_cec_comparison(groups: dict[str, int]) -> None:
    """The 101 seats by several methods beside 003's and 004's CEC, and why they differ."""
    from rich.table import Table

    by_method = cec_comparison(groups)
    table = Table(
        title=f"The CEC's {CEC_SEATS} seats over the groups present at its election "
        f"({sum(groups.values())} delegates)"
    )
    table.add_column("group", overflow="fold")
    table.add_column("present", justify="right")
    for label in CEC_METHODS.values():
        table.add_column(label, justify="right", min_width=len(label))
    table.add_column("003", justify="right")
    table.add_column("004", justify="right", overflow="fold")
    rows = list(groups) + [g for g in CEC_003 if g not in groups]
    for g in rows:
        table.add_row(
            g + (" *" if g == "Ukrainian SRs" else ""),
            str(groups.get(g, 0)),
            *(str(by_method[m].get(g, 0)) for m in CEC_METHODS),
            str(CEC_003.get(g, 0)),
            str(CEC_004[g]) if g in CEC_004 else "—",
        )
    table.add_row("others", "", *("" for _ in CEC_METHODS), "", "7?")
    table.add_row(
        "[bold]total[/]",
        str(sum(groups.values())),
        *(str(sum(by_method[m].values())) for m in CEC_METHODS),
        str(sum(CEC_003.values())),
        "105",
    )
    console.print(table)
    console.print(
        "003 = 003:25529-25535. 004 = 004:143: 'half-dozen "
        "others, making 105 in all', so 105 - 69 - 29 = 7 others. * 003 says 'three "
        "Ukrainian Socialists'."
    )
    total = sum(groups.values())
    hare_quota = total / CEC_SEATS
    droop_quota = total // (CEC_SEATS + 1) + 1
    by_quota = sum(n // droop_quota for n in groups.values())
    console.print("[bold]Where and why they differ from 003[/]")
    for method, label in CEC_METHODS.items():
        console.print(f" - {label}: {_differences(by_method[method], CEC_003)}")
    biggest = max(groups, key=lambda g: groups[g])
    console.print(
        f" - No method gives the Maximalist SR seat: 003 names a Maximalist on the CEC but no "
        f"Maximalist group among the delegates, so the groups present have none to share. "
        f"The reported list gave that seat, and {CEC_003[biggest] - by_method['hare'][biggest]:+d} "
        f"for the {biggest} against Hare's {by_method['hare'][biggest]}, to others: the texts do "
        "not say how the list was drawn up (research note §5)."
    )
    console.print(
        f" - D'Hondt favours the largest group ({biggest} {by_method['dhondt'][biggest]}); "
        f"Sainte-Laguë and Hare (quota {hare_quota:.2f} delegates a seat) come closest to 003."
    )
    console.print(
        f" - Droop with whole quotas: floor({total}/{CEC_SEATS + 1}) + 1 = {droop_quota} "
        f"delegates a seat, MORE than Hare's {hare_quota:.2f}, so the quotas fill only "
        f"{by_quota} seats and the other {CEC_SEATS - by_quota} go by largest remainders, "
        "several to each group: the small groups gain."
    )
    console.print(
        f" - 004:143's '105 in all' (69 Bolsheviks, {CEC_004['Left SRs']} Left SRs, "
        "'half-dozen others') agrees with 003 only on the 29 Left SRs; 69/105 = "
        f"{69 / 105:.1%} Bolsheviks against 003's 62/101 = {62 / 101:.1%}."
    )


def print_sources_table(replay: dict[str, str]) -> None:
    """003's figures beside 004's and 000's, with the replay's own numbers."""
    from rich.table import Table

    table = Table(title="The texts disagree: 003 beside 004 and 000, and what the replay used")
    for col in (
        "figure",
        "003 (official history, O.S.)",
        "004 (popular account, N.S.)",
        "000 (Trotsky)",
        "replay",
    ):
        table.add_column(col, overflow="fold")
    for figure, a, b, c in SOURCES_TABLE:
        table.add_row(figure, a, b, c, replay.get(figure, ""))
    console.print(table)


def _congress_closing(db: str, narrator: CongressNarrator) -> None:
    from soviet.adapters.storage import open_service
    from soviet.domain.calendar import format_dual

    service = open_service(db)
    org = service.state()
    congress = org.congresses[narrator.congress]
    console.rule("[bold]2. The Central Executive Committee of 101, by several methods")
    groups = narrator.cec_groups or congress.group_sizes(present_only=True)
    print_cec_comparison(groups)
    console.rule("[bold]3. Where the texts disagree")
    opening = narrator.opening or {}
    departures = [a for a in congress.attendance if not a.present]
    votes = {congress.motions[v.motion].title: v.counts for v in congress.votes.values()}
    cec = next((c for c in congress.committees.values() if c.kind == "executive"), None)

    def tally(title: str) -> str:
        t = votes.get(title)
        return (
            ""
            if t is None
            else f"{t['for']} for, {t['against']} against, {t['abstain']} abstaining"
        )

    replay = {
        "Delegates at the opening": str(sum(opening.values())),
        "Bolsheviks": str(opening.get("Bolsheviks", "")),
        "Left SRs": str(groups.get("Left SRs", "")),
        "Mensheviks incl. Bund": str(opening.get("Mensheviks (incl. Bund)", "")),
        "Right and Centre SRs": str(opening.get("Right and Centre SRs", "")),
        "Walked out": str(len(departures)),
        "Manifesto": tally("To the Workers, Soldiers and Peasants"),
        "Decree on Peace": tally("Decree on Peace") + " (derived)",
        "Decree on Land": tally("Decree on Land"),
        "CEC size": str(cec.seats) if cec else "",
        "CEC Bolsheviks": str(cec.allocation.get("Bolsheviks", "")) if cec else "",
        "CEC Left SRs": str(cec.allocation.get("Left SRs", "")) if cec else "",
    }
    print_sources_table(replay)
    console.rule("[bold]4. Decrees and the ledger")
    for d in org.decrees.values():
        console.print(
            f"Decree no. {d.number}: {d.title}, adopted {format_dual(d.adopted_on)} by {d.body}: "
            f"for {d.tally['for']}, against {d.tally['against']}, abstaining {d.tally['abstain']}"
        )
    result = service.verify()
    status = "[green]intact[/]" if result.ok else f"[red]BROKEN[/] at {result.first_bad_seq}"
    console.print(
        f"soviet verify: {status}: {result.checked} events, head {result.head_hash[:16]}..."
    )
    console.print("Look back at any moment by replaying the ledger:")
    prog = program()
    console.print(f"   {prog} --db {db} congress show '{narrator.congress}'")
    console.print(f"   {prog} --db {db} decrees")
    console.print(f"   {prog} --db {db} history --type VoteClosed")
    console.print(f"   {prog} --db {db} history --type GroupDeclared")
    if not result.ok:
        raise typer.Exit(1)


class ReplayNarrator:
    """Prints any other replay as it runs: each titled step with its date, narrative,
    source and what the ledger recorded (the history's sentence), then verify."""

    def __init__(self, scenario: Scenario) -> None:
        from soviet.views.history import Narrator as HistoryNarrator

        self.scenario = scenario
        self.history = HistoryNarrator()
        self.silent = 0

    def structure(self, org: Organisation) -> None:
        """After the councils and constituencies exist."""
        console.rule("[bold]The replay")

    def step(self, index: int, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        """One step of the script: its title, narrative and source, and the entry."""
        from soviet.application.scenario import step_date
        from soviet.domain.calendar import format_dual

        line = self.history.line(entry.type, entry.payload)
        if not step.title:
            self.silent += 1
            return
        if self.silent:
            console.print(f"[dim]   ... and {self.silent} more steps[/]")
            self.silent = 0
        when = format_dual(step_date(step, self.scenario.calendar))
        console.print(f"\n[bold cyan]{when}[/]  [bold]{step.title}[/]  [dim](event {entry.seq})[/]")
        if step.narrative:
            console.print(f"   {step.narrative}")
        console.print(f"   [green]recorded:[/] {line.sentence}")
        if step.source:
            console.print(f"   [dim]source: {step.source}[/]")


def _decrees_closing(db: str) -> None:
    """The commissioners' decrees as they stand at the end, with their history."""
    from rich.table import Table

    from soviet.adapters.storage import open_service
    from soviet.views.executive import executive_decrees

    console.rule("[bold]The decrees")
    table = Table("decree", "title", "state", "history")
    for d in open_service(db).query(executive_decrees):
        steps = "; ".join(f"{h['date']} {h['state']} ({h['by']})" for h in d["history"])
        state = d["state"] + (f", lapses after {d['deadline']}" if d["deadline"] else "")
        table.add_row(d["registry"], d["title"], state, steps)
    console.print(table)
    _signed_decree_check(db)
    console.print(f"   {program()} --db {db} decrees")


#: The replay's demo keys: Ed25519 keys from SHA-256("soviet demo key: HOLDER"), public
#: knowledge so that anyone can replay the signatures; never for real use.
DEMO_SEAL = "Council of People's Commissars"


def demo_key(holder: str) -> Any:
    """The demo signing key of ``holder`` (see the scenario's sources)."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hashlib.sha256(f"soviet demo key: {holder}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _signed_decree_check(db: str) -> None:
    """Decree 3 as a signed document, sealed with the demo seal and checked as anyone
    holding the published keys would check it (``soviet decree check``)."""
    from soviet.adapters.storage import open_service
    from soviet.application import decree_documents as docs

    service = open_service(db)
    decree, keys = service.query(lambda org: (org.executive_decrees["3"], docs.keys_file(org)))
    document = docs.seal(
        docs.document(decree, docs.anchor(service.history(), "3")), demo_key(DEMO_SEAL), DEMO_SEAL
    )
    result = docs.check(document, keys["keys"])
    verdict = "valid" if result.valid else "INVALID: " + "; ".join(result.problems)
    console.print(
        f"decree 3 exported and checked offline: {verdict}, signed by "
        f"{', '.join(result.signed_by)}, sealed by {result.sealed_by} (ledger event "
        f"{result.ledger['seq']})",
        markup=False,
        highlight=False,
    )


def _consent_closing(db: str) -> None:
    """Each workplace action as it stands: finally decided or not, in effect or not; and
    a finally decided case that cannot be reopened."""
    from rich.table import Table

    from soviet.adapters.storage import open_service
    from soviet.application import commands as cmd
    from soviet.domain.errors import DomainError
    from soviet.views.consent import consent

    service = open_service(db)
    console.rule("[bold]The cases")
    table = Table("#", "action", "decided by", "state", "in effect")
    for a in service.query(consent)["actions"]:
        state = a["status"] + (" (final)" if a["final"] else "")
        table.add_row(
            str(a["number"]),
            f"{a['action']} {a['subject']}",
            a["decided_by"] or "",
            state,
            "yes" if a["effective"] else "no",
        )
    console.print(table)
    try:  # the District Soviet's decision binds both sides: no second round
        service.handle(cmd.EscalateAction(number=1, date=dt.date(1917, 11, 24)), "demo")
    except DomainError as exc:
        console.print(f"refused: {exc}", markup=False, highlight=False)
    console.print(f"   {program()} --db {db} consent show")


def _replay_closing(db: str, entries: list[LedgerEntry]) -> None:
    from soviet.adapters.storage import open_service

    result = open_service(db).verify()
    status = "[green]intact[/]" if result.ok else f"[red]BROKEN[/] at {result.first_bad_seq}"
    console.rule("[bold]The ledger")
    console.print(
        f"soviet verify: {status}: {result.checked} events, head {result.head_hash[:16]}..."
    )
    console.print(f"   {program()} --db {db} history")
    if not result.ok:
        raise typer.Exit(1)
    del entries


def _list_demos(value: bool) -> None:
    if not value:
        return
    from soviet.adapters.scenario_file import load_scenario

    for name in DEMOS:
        console.print(f"[bold]{name}[/]  {load_scenario(scenario_path(name)).scenario}")
    raise typer.Exit(0)


def demo(
    ctx: typer.Context,
    name: str = typer.Argument("petrograd", help=f"Which demo: {', '.join(DEMOS)}."),
    list_: bool = typer.Option(
        False,
        "--list",
        help="List the replays with their titles, and stop.",
        callback=_list_demos,
        is_eager=True,
    ),
) -> None:
    """Run a worked example on an empty database, narrated, ending with 'soviet verify'."""
    from rich.panel import Panel

    from soviet.adapters.cli.assembly_demo import ASSEMBLY, AssemblyNarrator
    from soviet.adapters.cli.assembly_demo import closing as assembly_closing
    from soviet.adapters.scenario_file import load_scenario
    from soviet.adapters.storage import open_service
    from soviet.application.scenario import ScenarioError, run_scenario

    del list_
    if name not in DEMOS:
        fail(f"unknown demo {name!r}: choose from {', '.join(DEMOS)} (soviet demo --list)")
    db = ctx.obj.db
    with guard():
        service = open_service(db, initialise=True)
        if service.last_seq() > 0:
            fail(
                f"the demo needs an empty database: {db} already holds {service.last_seq()} "
                "events (use --db with a new file)"
            )
        scenario = load_scenario(scenario_path(name))
    console.print(Panel.fit(f"[bold]{scenario.scenario}[/]\n{scenario.description}"))
    for note in scenario.notes:
        console.print(f"[dim]- {note}[/]")
    for prelude in PRELUDES.get(name, ()):
        earlier = load_scenario(scenario_path(prelude))
        with console.status(f"replaying {earlier.scenario} first ..."):
            try:
                done = run_scenario(service, earlier, ctx.obj.recorder())
            except ScenarioError as exc:
                fail(f"{prelude}: {exc}")
        console.print(f"[dim]{earlier.scenario}: {len(done)} events replayed first[/]")
    narrator: Narrator | CongressNarrator | ReplayNarrator | AssemblyNarrator
    if name == "constituent-assembly":
        narrator = AssemblyNarrator(scenario)
    elif name == "second-congress":
        narrator = CongressNarrator(scenario)
    elif name == "petrograd":
        narrator = Narrator(scenario)
    else:
        narrator = ReplayNarrator(scenario)
    started = dt.datetime.now()
    try:
        entries = run_scenario(
            service,
            scenario,
            ctx.obj.recorder(),
            on_structure=narrator.structure,
            on_step=narrator.step,
        )
    except ScenarioError as exc:
        fail(f"{name}: {exc}")
    elapsed = (dt.datetime.now() - started).total_seconds()
    console.print(f"\n[dim]{len(entries)} events recorded in one transaction ({elapsed:.1f} s)[/]")
    if isinstance(narrator, AssemblyNarrator):
        assembly_closing(db)
        _replay_closing(db, entries)
        prog = program()
        console.print(f"   {prog} --db {db} assembly show '{ASSEMBLY}' --plot assembly.svg")
        console.print(
            f"   {prog} --db {db} lag '{ASSEMBLY}' --against 'Petrograd Soviet' --by lists "
            "--from 1917-08-25 --to 1918-01-05 --calendar julian --plot lag.svg"
        )
    elif isinstance(narrator, CongressNarrator):
        _congress_closing(db, narrator)
    elif isinstance(narrator, ReplayNarrator):
        if name == "council-of-commissioners":
            _decrees_closing(db)
        if name == "decree-no-1":
            _consent_closing(db)
        _replay_closing(db, entries)
    else:
        _closing(db, narrator, entries)


def register(app: typer.Typer) -> None:
    """Attach the demo command."""
    app.command("demo")(demo)
