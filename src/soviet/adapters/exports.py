"""Exports of a council, a congress or an assembly (issue 12) as CSV tables or one JSON
document.

Built from the views only (``soviet.views``): the JSON document holds the views' own
``--json`` shapes, and each CSV table flattens one part of them, one file a table, with a
header row, UTF-8, written by the ``csv`` module. An exporter is one function
``(org, name) -> Export`` in :data:`EXPORTERS`; adding one adds the ``soviet export
KIND`` command with it.

Imported only by the ``soviet export`` commands (decision 0012).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soviet.domain.model import Organisation
from soviet.views import assembly as assembly_views
from soviet.views import congress as congress_views
from soviet.views import council as council_views
from soviet.views.executive import executive_decrees

Row = dict[str, Any]


@dataclass(frozen=True)
class Export:
    """What one export writes: ``document`` as ``KIND.json``, or each of ``tables`` as
    ``TABLE.csv`` (its rows' keys, in order, are the header; ``headers``, or else
    :data:`EMPTY_HEADERS`, give the header of a table without rows)."""

    kind: str
    name: str
    document: dict[str, Any]
    tables: dict[str, list[Row]]
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _cell(value: Any) -> str:
    """One CSV cell: empty for None, ``true``/``false``, lists joined by ``; ``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def csv_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """``rows`` as the CSV file holds them (every cell a string): what reading the file
    back with ``csv.DictReader`` gives."""
    return [{k: _cell(v) for k, v in r.items()} for r in rows]


# --- councils --------------------------------------------------------------------------
def council_export(org: Organisation, name: str) -> Export:
    """A council: ``composition`` (``council show --json``) and the recall ``petitions``
    in its constituencies (rows of ``recall status --json``)."""
    comp = council_views.composition(org, name)
    mine = {c["name"] for c in comp["constituencies"]}
    petitions = [p for p in council_views.petitions(org) if p["constituency"] in mine]
    groups: list[Row] = [
        {"section": None, "group": g, "delegates": n} for g, n in comp["groups"].items()
    ]
    for section, counts in comp["groups_by_section"].items():
        groups += [{"section": section, "group": g, "delegates": n} for g, n in counts.items()]
    tables = {
        "composition": groups,
        "constituencies": [
            {
                **{k: c[k] for k in ("name", "section", "kind", "roll", "headcount", "seats")},
                "delegates": len(c["delegates"]),
            }
            for c in comp["constituencies"]
        ],
        "delegates": [
            {
                "id": d["id"],
                "constituency": c["name"],
                **{k: d[k] for k in ("seat", "name", "group", "rights", "elected_on")},
                "mandates": len(d["mandates"]),
            }
            for c in comp["constituencies"]
            for d in c["delegates"]
        ],
        "petitions": [{k: v for k, v in p.items() if k != "delegate_ids"} for p in petitions],
    }
    return Export("council", name, {"composition": comp, "petitions": petitions}, tables)


# --- congresses ------------------------------------------------------------------------
def congress_decrees(org: Organisation, name: str) -> dict[str, list[Row]]:
    """``decrees --json`` for one congress: the decrees it adopted, and those of the
    councils of commissioners it formed."""
    councils = {c.name for c in org.commissioners_councils.values() if c.congress == name}
    return {
        "decrees": [d for d in congress_views.decrees(org) if d["body"] == name],
        "executive": [x for x in executive_decrees(org) if x["council"] in councils],
    }


def roll_calls(report: Mapping[str, Any], credentials: list[Row]) -> list[Row]:
    """Every roll-call ballot: vote, motion, credential, delegate, group and choice (a
    proxy's ballot names the holder who cast it)."""
    by_number = {c["number"]: c for c in credentials}
    rows: list[Row] = []
    for m in report["motions"]:
        for v in m["votes"]:
            for number, choice in v["roll"].items():
                c = by_number[int(number)]
                rows.append(
                    {
                        "vote": v["vote"],
                        "motion": m["number"],
                        "credential": int(number),
                        "delegate": c["delegate"],
                        "group": c["group"],
                        "choice": choice,
                        "weight": v["weights"].get(number),
                        "cast_by_proxy": v["proxied"].get(number),
                    }
                )
    return rows


def congress_export(org: Organisation, name: str) -> Export:
    """A congress: its ``report`` (``congress show --json``), ``credentials``
    (``congress credentials NAME list --json``) and decrees (``decrees --json``, this
    congress's only)."""
    report = congress_views.congress_report(org, name)
    creds = congress_views.credentials(org.congresses[report["congress"]])
    decrees = congress_decrees(org, name)
    by_number = {c["number"]: c for c in creds}
    present, seated = report["groups"]["present"], report["groups"]["seated"]
    vote_keys = ("vote", "stage", "mode", "majority", "abstentions", "opened_on", "status")
    tables: dict[str, list[Row]] = {
        "credentials": [{k: v for k, v in c.items()} for c in creds],
        "groups": [
            {"group": g, "seated": n, "present": present.get(g, 0)} for g, n in seated.items()
        ],
        "walkouts": [
            {
                "date": w["date"],
                "reason": w["reason"],
                "credential": n,
                "delegate": by_number[n]["delegate"],
                "group": by_number[n]["group"],
            }
            for w in report["walkouts"]
            for n in w["credentials"]
        ],
        "motions": [{k: v for k, v in m.items() if k != "votes"} for m in report["motions"]],
        "votes": [
            {
                "motion": m["number"],
                **{k: v[k] for k in vote_keys},
                **{c: v["counts"].get(c) for c in ("for", "against", "abstain")},
                **{k: v[k] for k in ("carried", "entitled", "present", "voted", "weighted")},
                **{k: v[k] for k in ("supersedes", "superseded_by")},
            }
            for m in report["motions"]
            for v in m["votes"]
        ],
        "roll_calls": roll_calls(report, creds),
        "decrees": [
            {
                **{k: d[k] for k in ("number", "title", "date", "body", "motion")},
                **{c: d["tally"].get(c) for c in ("for", "against", "abstain")},
                "amendments": d["amendments"],
            }
            for d in decrees["decrees"]
        ],
        "executive_decrees": [
            {k: v for k, v in x.items() if k != "history"} for x in decrees["executive"]
        ],
    }
    document = {"report": report, "credentials": creds, **decrees}
    return Export("congress", report["congress"], document, tables)


# --- assemblies ------------------------------------------------------------------------
def assembly_export(org: Organisation, name: str) -> Export:
    """An assembly: its report (``assembly show --json``), and as tables the frozen
    ``lists`` (one row a candidate, by list position), the list ``votes``, the
    ``personal_votes`` of open lists, and the ``members`` elected, each with their list
    position, their group after an attributed split and the day of any recall."""
    report = assembly_views.assembly_report(org, name)
    position = {
        (pl["district"], pl["party"], c): i
        for pl in report["party_lists"]
        for i, c in enumerate(pl["candidates"], 1)
    }
    attribution = report["attribution"]
    recalled = {r["member"]: r["date"] for r in report["recalled"]}
    tables: dict[str, list[Row]] = {
        "lists": [
            {"district": pl["district"], "party": pl["party"], "position": i, "candidate": c}
            for pl in report["party_lists"]
            for i, c in enumerate(pl["candidates"], 1)
        ],
        "votes": sorted(
            (
                {"district": d, "party": p, "votes": v}
                for d, by_party in report["votes"].items()
                for p, v in by_party.items()
            ),
            key=lambda r: (r["district"], -r["votes"], r["party"]),  # a stable order
        ),
        "personal_votes": [
            {"district": d, "candidate": c, "votes": v}
            for d, by_candidate in report["personal_votes"].items()
            for c, v in by_candidate.items()
        ],
        "members": [
            {
                "district": d,
                "party": p,
                "position": position[(d, p, m)],
                "member": m,
                "group": attribution.get(p, {}).get(m, p),
                "recalled_on": recalled.get(m),
            }
            for d, by_party in sorted(report["members"].items())
            for p, ms in sorted(by_party.items())
            for m in ms
        ],
    }
    return Export("assembly", report["assembly"], report, tables, ASSEMBLY_HEADERS)


#: The assembly's tables' headers (any of them is empty before the lists close or the
#: seats are allocated).
ASSEMBLY_HEADERS: dict[str, tuple[str, ...]] = {
    "lists": ("district", "party", "position", "candidate"),
    "votes": ("district", "party", "votes"),
    "personal_votes": ("district", "candidate", "votes"),
    "members": ("district", "party", "position", "member", "group", "recalled_on"),
}


#: The header of a table that may have no rows (the others have a row in any export).
EMPTY_HEADERS: dict[str, tuple[str, ...]] = {
    "petitions": (
        "petition",
        "constituency",
        "delegates",
        "status",
        "signatures",
        "needed",
        "headcount",
        "opened_on",
        "closed_on",
        "replacements",
    ),
    "walkouts": ("date", "reason", "credential", "delegate", "group"),
    "roll_calls": (
        "vote",
        "motion",
        "credential",
        "delegate",
        "group",
        "choice",
        "weight",
        "cast_by_proxy",
    ),
    "decrees": (
        "number",
        "title",
        "date",
        "body",
        "motion",
        "for",
        "against",
        "abstain",
        "amendments",
    ),
    "executive_decrees": (
        "registry",
        "council",
        "title",
        "department",
        "urgent",
        "signed_on",
        "state",
        "deadline",
    ),
}


# --- ballots ---------------------------------------------------------------------------
def ranked_ballot_files(
    org: Organisation, council: str, entries: Iterable[Any]
) -> list[tuple[str, str]]:
    """The BLT files of a council's elections counted from ranked ballots: one
    ``(file name, BLT text)`` per election in the ledger ``entries``, named
    ``election-CONSTITUENCY-DATE[-N].blt``, with the seats, the candidates and a title
    naming the method. Counting a file again gives the same winners (tests/cli)."""
    from soviet.count.ballots import RankedBallots
    from soviet.count.io import write_blt
    from soviet.domain.rules import get_council

    get_council(org, council)
    ours = {name for name, c in org.constituencies.items() if c.council == council}
    files: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.type != "DelegatesElected":
            continue
        payload = json.loads(entry.payload)
        ballots = payload.get("ballots")
        if ballots is None or payload["constituency"] not in ours:
            continue
        rankings = ballots["rankings"]
        counted = RankedBallots.from_rankings(
            ballots["candidates"],
            [r for r, _ in rankings],
            [n for _, n in rankings],
            title=f"{payload['constituency']}, {payload['date']} ({payload['method']})",
        )
        stem = "election-" + "".join(
            ch if ch.isalnum() or ch in "-_" else "_" for ch in payload["constituency"]
        )
        stem += f"-{payload['date']}"
        seen[stem] = seen.get(stem, 0) + 1
        name = stem + (f"-{seen[stem]}" if seen[stem] > 1 else "") + ".blt"
        files.append((name, write_blt(counted, int(ballots["seats"]))))
    return files


#: ``soviet export KIND NAME``: each kind's exporter.
EXPORTERS: dict[str, Callable[[Organisation, str], Export]] = {
    "council": council_export,
    "congress": congress_export,
    "assembly": assembly_export,
}


def write(export: Export, fmt: str, out: Path) -> list[Path]:
    """Write ``export`` into the folder ``out`` (made if need be): ``KIND.json`` for
    ``json``, one ``TABLE.csv`` a table for ``csv``. Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path = out / f"{export.kind}.json"
        text = json.dumps(export.document, ensure_ascii=False, indent=1, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        return [path]
    written = []
    for table, rows in export.tables.items():
        path = out / f"{table}.csv"
        empty = export.headers.get(table) or EMPTY_HEADERS.get(table, ())
        header = list(rows[0]) if rows else list(empty)
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(csv_rows(rows))
        written.append(path)
    return written
