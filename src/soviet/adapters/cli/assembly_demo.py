"""``soviet demo constituent-assembly``: the narration of the list assembly's replay and
its closing (the lag behind the councils, the refused opening, the seeds' own figures
checked). The replay itself is data (constituent-assembly-1917.yaml), run after the
Petrograd and Second Congress replays on the same ledger."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from soviet.adapters.cli.common import console

if TYPE_CHECKING:
    from soviet.application.ledger import LedgerEntry
    from soviet.application.scenario import Scenario, Step
    from soviet.domain.model import Organisation

ASSEMBLY = "Constituent Assembly"
SOVIET = "Petrograd Soviet"
CONGRESS = "Second All-Russian Congress of Soviets"
CLOSING = dt.date(1917, 9, 7)  # 25 Aug 1917 O.S., the lists' closing
OPENING_SET = dt.date(1917, 12, 11)  # 28 Nov 1917 O.S. (003:46725-46730)
MET = dt.date(1918, 1, 18)  # 5 Jan 1918 O.S.

#: The Second Congress's groups under the names the assembly and the Soviet use.
CONGRESS_GROUPS = {
    "Bolsheviks": "Bolshevik",
    "Left SRs": "Left SR",
    "Right and Centre SRs": "Right SR",
    "Mensheviks (incl. Bund)": "Menshevik",
}

#: The seeds' percentages, to recompute from the replay's votes (003:3323-3343).
LOCAL_CHECKS = [
    ("Ivanovo-Voznesensk", "Bolshevik", 64.0, "003:3323-3325"),
    ("Ivanovo-Voznesensk", "Menshevik", 2.6, "003:3325"),
    ("Ivanovo-Voznesensk", "SR", 12.7, "003:3325-3327"),
    ("Vladimir Uyezd", "Bolshevik", 71.0, "003:3333-3335"),
    ("Shuya Uyezd", "Bolshevik", 63.5, "003:3339-3341"),
    ("Shuya Uyezd", "SR", 22.0, "003:3341-3343"),
    ("Shuya Uyezd", "Menshevik", 2.0, "003:3343"),
]


class AssemblyNarrator:
    """Narrates the assembly's steps (as the other replays are) and shows, at the dates
    they belong to, what the engine refuses: a list after closing, an opening below the
    quorum. A refusal is the rule's own answer on the state of that moment; nothing is
    written."""

    def __init__(self, scenario: Scenario) -> None:
        from soviet.adapters.cli.demo_commands import ReplayNarrator

        self.inner = ReplayNarrator(scenario)
        self.shown: set[str] = set()

    def structure(self, org: Organisation) -> None:
        """After the (absent) structure: the replay's heading."""
        self.inner.structure(org)

    def step(self, index: int, step: Step, entry: LedgerEntry, org: Organisation) -> None:
        """One step; then any refusal that falls due."""
        from soviet.domain import assembly_rules as ar
        from soviet.domain.errors import DomainError

        self.inner.step(index, step, entry, org)
        if entry.type == "AssemblySeatsAllocated" and "list" not in self.shown:
            self.shown.add("list")
            try:
                ar.register_list(org, ASSEMBLY, "Left SR", "Rest of Russia", ["Spiridonova"],
                                 dt.date(1917, 12, 2))  # fmt: skip
            except DomainError as exc:
                self._refused("A separate Left SR list, after the split (000:2990-2994)", exc)
        # after the last recall dated before 28 Nov: the opening set for that day
        if (
            entry.type == "AssemblyMemberRecalled"
            and "opening" not in self.shown
            and len(org.assemblies[ASSEMBLY].recalled) == 6
        ):
            self.shown.add("opening")
            try:
                ar.open_assembly(org, ASSEMBLY, 172, OPENING_SET)
            except DomainError as exc:
                self._refused("28 Nov: the opening, with 172 deputies come (003:46873-46877)", exc)

    def _refused(self, what: str, exc: Exception) -> None:
        if self.inner.silent:  # the untitled steps before it, as the replay counts them
            console.print(f"[dim]   ... and {self.inner.silent} more steps[/]")
            self.inner.silent = 0
        console.print(f"\n[bold red]refused[/]  [bold]{what}[/]")
        console.print(f"   [red]{exc}[/]  [dim](nothing written)[/]", markup=True)


def _share(seats: dict[str, int]) -> dict[str, float]:
    total = sum(seats.values()) or 1
    return {g: 100 * n / total for g, n in seats.items()}


def closing(db: str) -> dict[str, Any]:
    """The lag behind the Petrograd Soviet, the comparison with the Second Congress and
    the seeds' local figures recomputed; returns the lag report."""
    from rich.table import Table

    from soviet.adapters.storage import open_service
    from soviet.count.indices import gallagher, loosemore_hanby
    from soviet.views import assembly as views
    from soviet.views import congress as congress_views

    service = open_service(db)

    def gather(org: Organisation) -> dict[str, Any]:
        report = views.assembly_report(org, ASSEMBLY)
        by_lists = views.lag(org, ASSEMBLY, [SOVIET], CLOSING, MET, by="lists")
        congress = congress_views.congress_report(org, CONGRESS)
        a = org.assemblies[ASSEMBLY]
        return {
            "report": report,
            "lag": by_lists,
            "congress": congress["group_history"][-1]["sizes"],
            "house": a.house_on(MET, "groups"),
            "soviet": views.council_strength(org, [SOVIET], MET),
        }

    data: dict[str, Any] = service.query(gather)
    report, lag = data["report"], data["lag"]
    console.rule("[bold]The lag")
    console.print(
        f"{ASSEMBLY}: {report['seats']} seats; by list: "
        + ", ".join(f"{p} {n}" for p, n in report["seats_by_list"].items())
        + " (an SR majority, 000:3059-3060); by group after the split: "
        + ", ".join(f"{g} {n}" for g, n in report["seats_by_group"].items())
        + f" ({'majority ' + report['majority'] if report['majority'] else 'no majority'})",
        markup=False,
        highlight=False,
    )
    table = Table("date (N.S.)", "Petrograd Soviet", "assembly (by list)", "Gallagher",
                  "LH", "majorities")  # fmt: skip
    previous: tuple[Any, ...] | None = None
    for row in lag["rows"]:
        key = (tuple(row["councils"].items()), tuple(row["assembly"].items()))
        if key == previous and row is not lag["rows"][-1]:
            continue
        previous = key
        table.add_row(
            row["date"],
            ", ".join(f"{g} {n}" for g, n in row["councils"].items()),
            ", ".join(f"{g} {n}" for g, n in row["assembly"].items()),
            "-" if row["gallagher"] is None else f"{row['gallagher']:.1f}",
            "-" if row["loosemore_hanby"] is None else f"{row['loosemore_hanby']:.1f}",
            "disagree" if row["majorities_disagree"] else "agree",
        )
    console.print(table)
    console.print(
        f"From the lists' closing to the day it met, the Assembly's majority disagreed with "
        f"the Petrograd Soviet's on {lag['days_majorities_disagree']} of {lag['days']} days "
        "(000:3032-3035: it 'lagged behind the course of political events')."
    )
    congress = {CONGRESS_GROUPS.get(g, g): n for g, n in data["congress"].items()}
    house, soviet = data["house"], data["soviet"]
    groups = list(dict.fromkeys([*house, *congress, *soviet]))
    sh, sc, ss = _share(house), _share(congress), _share(soviet)
    table = Table("group", "Assembly, 5 Jan (by group)", "Second Congress", "Petrograd Soviet")
    for g in groups:
        table.add_row(g, f"{sh.get(g, 0):.1f} %", f"{sc.get(g, 0):.1f} %", f"{ss.get(g, 0):.1f} %")
    console.print(table)
    console.print(
        f"Assembly against the Second Congress: Gallagher {gallagher(congress, house):.1f}, "
        f"Loosemore-Hanby {loosemore_hanby(congress, house):.1f} (the congress's groups at "
        "its close, named as the assembly's)."
    )
    table = Table("district", "list", "the seed says", "the votes give", "source")
    for district, party, said, source in LOCAL_CHECKS:
        votes = report["votes"][district]
        got = 100 * votes[party] / sum(votes.values())
        mark = "" if abs(got - said) < 0.05 else "  ⚠"
        table.add_row(district, party, f"{said:.1f} %", f"{got:.1f} %{mark}", source)
    console.print(table)
    result: dict[str, Any] = lag
    return result
