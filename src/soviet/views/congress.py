"""Views of congresses: the report (``congress show``), credentials, decrees.

Plain data in the ``--json`` shapes of docs/cli.md, for the CLI and the HTTP API alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from soviet.domain import congress_rules as rules
from soviet.domain.calendar import GREGORIAN_IN_RUSSIA, format_dual
from soviet.domain.congress import Congress, Credential, VoteRecord
from soviet.domain.errors import UnknownEntity
from soviet.domain.model import Organisation
from soviet.domain.records import keys_where, tally


def when(date: dt.date | None) -> str:
    """A date for display: both calendars in the Julian era, ISO afterwards."""
    if date is None:
        return ""
    return format_dual(date) if date < GREGORIAN_IN_RUSSIA else date.isoformat()


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def credential_row(c: Credential) -> dict[str, Any]:
    """One credential as ``credentials list --json`` shows it."""
    return {
        "number": c.number,
        "delegate": c.delegate,
        "sent_by": c.sent_by,
        "elected_on": c.elected_on.isoformat(),
        "rights": c.rights,
        "status": c.status,
        "reason": c.reason,
        "ruled_by": c.ruled_by,
        "problems": list(c.problems),
        "group": c.group,
        "present": c.present,
    }


def credentials(congress: Congress) -> list[dict[str, Any]]:
    """Every credential of the congress, by number."""
    return [credential_row(c) for _, c in sorted(congress.credentials.items())]


# --- the congress report ---------------------------------------------------------------
def _group_history(congress: Congress) -> list[dict[str, Any]]:
    """After each change (consecutive changes to one group on one day taken together),
    the size of every group over the credentials not rejected."""
    rejected = set(keys_where(congress.credentials, status="rejected"))
    current: dict[int, str | None] = {}
    counts: dict[str, int] = {}
    steps: list[dict[str, Any]] = []
    for change in sorted(congress.group_changes, key=lambda g: g.order):
        before = current.get(change.credential)
        current[change.credential] = change.group
        if change.credential not in rejected:
            if before is not None:
                counts[before] -= 1
            if change.group is not None:
                counts[change.group] = counts.get(change.group, 0) + 1
        last = steps[-1] if steps else None
        if last is not None and (last["date"], last["group"]) == (
            change.date.isoformat(),
            change.group,
        ):
            last["credentials"].append(change.credential)
        else:
            last = {"date": change.date.isoformat(), "group": change.group, "credentials": []}
            last["credentials"].append(change.credential)
            steps.append(last)
        last["sizes"] = dict(
            sorted(((g, n) for g, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))
        )
    return steps


def _walkouts(congress: Congress) -> list[dict[str, Any]]:
    """Departures with a reason; consecutive ones with one reason on one day together."""
    found: list[dict[str, Any]] = []
    for a in sorted(congress.attendance, key=lambda x: x.order):
        if a.present or a.reason is None:
            continue
        last = found[-1] if found else None
        if last is None or (last["date"], last["reason"]) != (a.date.isoformat(), a.reason):
            last = {"date": a.date.isoformat(), "reason": a.reason, "credentials": []}
            found.append(last)
        last["credentials"].append(a.credential)
    for w in found:
        groups: dict[str, int] = {}
        for number in w["credentials"]:
            key = congress.credentials[number].group or "(no group)"
            groups[key] = groups.get(key, 0) + 1
        w["delegates"] = len(w["credentials"])
        w["groups"] = groups
    return found


def _vote_row(congress: Congress, v: VoteRecord) -> dict[str, Any]:
    superseded_by = next(
        (o.number for o in congress.votes.values() if o.supersedes == v.number), None
    )
    return {
        "vote": v.number,
        "stage": v.stage,
        "mode": v.mode,
        "majority": v.majority,
        "abstentions": v.abstentions,
        "opened_on": v.opened_on.isoformat(),
        "status": v.status,
        "counts": dict(v.counts),
        "carried": v.carried,
        "entitled": len(v.entitled),
        "present": len(v.present),
        "roll": {str(k): choice for k, choice in sorted(v.roll.items())},
        "voted": len(v.voted) if v.mode == "secret" else len(v.roll),
        "supersedes": v.supersedes,
        "superseded": v.status == "superseded",
        "superseded_by": superseded_by if v.status == "superseded" else None,
        # weighted votes and proxies (issue 11): the tally by weight beside ``counts``
        # (by heads), each ballot's weight, and who cast a ballot by proxy.
        "weighted": v.weighted,
        "weighted_counts": dict(v.weighted_counts) if v.weighted else None,
        "entitled_weight": v.entitled_weight,
        "weights": {str(k): w for k, w in sorted(v.weights.items())},
        "proxied": {str(k): h for k, h in sorted(v.proxied.items())},
    }


def _attendance(c: Congress, needed: int) -> dict[str, Any]:
    """Seated, present, present with a vote, and whether that meets the quorum."""
    entitled_present = c.seated_count(rights="voice-and-vote", present=True)
    return {
        "seated": c.seated_count(),
        "present": c.seated_count(present=True),
        "entitled_present": entitled_present,
        "quorum_met": entitled_present >= needed,
    }


def congress_report(org: Organisation, name: str) -> dict[str, Any]:
    """Everything ``congress show --json`` prints (shape in docs/cli.md)."""
    c = rules.get_congress(org, name)
    by_status = {s: 0 for s in ("pending", "accepted", "rejected")}
    by_status.update(tally(c.credentials, "status"))
    needed = rules.quorum_needed(c)
    committees = [
        {
            "name": k.name,
            "kind": k.kind,
            "elected_on": k.elected_on.isoformat(),
            "method": k.method,
            "seats": k.seats,
            "allocation": dict(k.allocation),
            "declined": list(k.declined),
            "members": [{"name": m.name, "group": m.group} for m in k.members],
            "mandate_ended_on": _iso(k.mandate_ended_on),
        }
        for k in c.committees.values()
    ]
    motions = [
        {
            "number": m.number,
            "title": m.title,
            "text": m.text,
            "mover": m.mover,
            "mover_name": c.credentials[m.mover].delegate if m.mover in c.credentials else None,
            "tabled_on": m.tabled_on.isoformat(),
            "amends": m.amends,
            "decree": m.decree,
            "urgent": m.urgent,
            "without_debate": m.without_debate,
            "item": m.item,
            "status": m.status,
            "order": m.order,
            "votes": [_vote_row(c, v) for _, v in sorted(c.votes.items()) if v.motion == m.number],
        }
        for m in sorted(c.motions.values(), key=lambda m: (m.order, m.number))
    ]
    return {
        "congress": c.name,
        "status": c.status,
        "agenda": list(c.agenda),
        "call": {
            "convened_by": c.convened_by,
            "called_on": c.called_on.isoformat(),
            "opens_on": c.opens_on.isoformat(),
            "postponed_from": [d.isoformat() for d in c.postponements],
            "quorum": c.quorum,
            "quorum_needed": needed,
            "credentials_committee": c.credentials_committee,
            "senders": dict(c.senders),
            "max_credential_age_days": c.max_credential_age_days,
            "previous": c.previous,
        },
        "counts": {"credentials": by_status, **_attendance(c, needed)},
        "groups": {
            "present": c.group_sizes(present_only=True),
            "seated": c.group_sizes(),
        },
        "group_history": _group_history(c),
        "walkouts": _walkouts(c),
        "committees": committees,
        "motions": motions,
    }


def decrees(org: Organisation) -> list[dict[str, Any]]:
    """Decrees adopted by congresses, by number (``decrees --json``)."""
    return [
        {
            "number": d.number,
            "title": d.title,
            "text": d.text,
            "date": d.adopted_on.isoformat(),
            "date_display": when(d.adopted_on),
            "body": d.body,
            "motion": d.motion,
            "tally": dict(d.tally),
            "amendments": list(d.amendments),
        }
        for _, d in sorted(org.decrees.items())
    ]


# --- what a live page shows ------------------------------------------------------------
#: What the progress of an open vote shows: never a choice (a secret vote's ``roll`` is
#: empty, and its ballots are not in the row), never who voted in a secret vote.
_PROGRESS = ("vote", "stage", "mode", "majority", "abstentions", "opened_on", "status", "voted")


def congress_live(org: Organisation, name: str) -> dict[str, Any]:
    """What changes while a congress sits (``/api/congresses/NAME/live``), as parts of
    ``congress_report``: ``attendance`` (its counts and quorum), ``votes`` (each open
    vote's progress: how many voted, of how many entitled and present now, and for a roll
    call the public roll) and ``results`` (every other vote's row as the report has it)."""
    c = rules.get_congress(org, name)
    needed = rules.quorum_needed(c)
    attendance = _attendance(c, needed)
    # Who the closing of a vote will count as entitled: the seated with a vote (present
    # or not), as close_vote records them; the present are those of them here now.
    entitled = c.seated_count(rights="voice-and-vote")
    votes: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for _, v in sorted(c.votes.items()):
        row = _vote_row(c, v)
        if v.status == "open":
            progress = {k: row[k] for k in _PROGRESS}
            progress.update(
                congress=c.name,
                motion=v.motion,
                entitled=entitled,
                present=attendance["entitled_present"],
            )
            if v.mode == "roll-call":  # a roll call is public as it is taken
                progress["roll"] = row["roll"]
                progress["proxied"] = row["proxied"]  # issue 11
            votes.append(progress)
        else:
            results.append({**row, "congress": c.name, "motion": v.motion})
    return {
        "attendance": {
            "congress": c.name,
            "status": c.status,
            "quorum": c.quorum,
            "quorum_needed": needed,
            **attendance,
        },
        "votes": votes,
        "results": results,
    }


def vote(org: Organisation, name: str, number: int) -> dict[str, Any]:
    """One vote for its page: the row ``congress show`` gives it, with its motion, how
    many ballots were counted, and how many may vote and are present (``entitled_count``,
    ``present_count``: recorded at the close, or the congress's figures now while the
    vote is open). A secret vote's row says how many voted, never how."""
    c = rules.get_congress(org, name)
    record = c.votes.get(number)
    if record is None:
        raise UnknownEntity("vote", number)
    motion = c.motions[record.motion]
    row = _vote_row(c, record)
    if record.status == "open":
        entitled = c.seated_count(rights="voice-and-vote")
        present = c.seated_count(rights="voice-and-vote", present=True)
    else:
        entitled, present = len(record.entitled), len(record.present)
    return {
        **row,
        "congress": c.name,
        "congress_status": c.status,
        "motion": {
            "number": motion.number,
            "title": motion.title,
            "text": motion.text,
            "amends": motion.amends,
            "status": motion.status,
        },
        "counted": sum(record.counts.values()),
        "entitled_count": entitled,
        "present_count": present,
    }
