"""Rows of the live tables <-> the domain's ``Organisation``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from soviet.adapters.storage import tables as t
from soviet.domain.congress import (
    Attendance,
    Committee,
    CommitteeMember,
    Congress,
    Credential,
    Decree,
    GroupChange,
    Motion,
    VoteRecord,
)
from soviet.domain.model import (
    Constituency,
    Council,
    Delegate,
    Mandate,
    Organisation,
    Petition,
    Replacement,
)

Rows = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def _json(value: Any) -> str:
    """The canonical JSON text of a column holding a dict or a list."""
    return json.dumps(value, sort_keys=True)


def to_rows(org: Organisation) -> Rows:
    """Every live-table row of the organisation, keyed by table name and primary key."""
    rows: Rows = {table.name: {} for table in t.STATE_TABLES}
    for c in org.councils.values():
        rows["councils"][(c.name,)] = {
            "name": c.name,
            "seat_rule": json.dumps(c.seat_rule, sort_keys=True),
            "sections": json.dumps(c.sections),
            "sections_merged": c.sections_merged,
            "recall_threshold": c.recall_threshold,
            "recall_mode": c.recall_mode,
            "max_term_days": c.max_term_days,
            "calendar": c.calendar,
            "description": c.description,
            "may_convene": _json(c.may_convene),
        }
    for k in org.constituencies.values():
        rows["constituencies"][(k.name,)] = {
            "name": k.name,
            "council": k.council,
            "section": k.section,
            "kind": k.kind,
            "roll": k.roll,
            "declared_headcount": k.declared_headcount,
        }
        for elector in k.electors:
            rows["electors"][(elector,)] = {"elector": elector, "constituency": k.name}
    for d in org.delegates.values():
        rows["delegates"][(d.id,)] = {
            "id": d.id,
            "name": d.name,
            "constituency": d.constituency,
            "seat": d.seat,
            "group_name": d.group,
            "rights": d.rights,
            "elected_on": d.elected_on,
            "term_days": d.term_days,
            "status": d.status,
            "left_on": d.left_on,
        }
    for m in org.mandates.values():
        rows["mandates"][(m.number,)] = {
            "number": m.number,
            "delegate_id": m.delegate_id,
            "text": m.text,
            "adopted_on": m.adopted_on,
        }
    for p in org.petitions.values():
        rows["petitions"][(p.id,)] = {
            "id": p.id,
            "constituency": p.constituency,
            "opened_on": p.opened_on,
            "opened_by": p.opened_by,
            "status": p.status,
            "closed_on": p.closed_on,
        }
        for position, delegate_id in enumerate(p.delegate_ids):
            replacement = p.replacements[position] if p.replacements else None
            rows["petition_targets"][(p.id, position)] = {
                "petition_id": p.id,
                "position": position,
                "delegate_id": delegate_id,
                "replacement_name": replacement.name if replacement else None,
                "replacement_group": replacement.group if replacement else None,
            }
        for elector, signed_on in p.signatures.items():
            rows["signatures"][(p.id, elector)] = {
                "petition_id": p.id,
                "elector": elector,
                "signed_on": signed_on,
            }
    for congress in org.congresses.values():
        _congress_rows(congress, rows)
    for decree in org.decrees.values():
        rows["decrees"][(decree.number,)] = {
            "number": decree.number,
            "title": decree.title,
            "text": decree.text,
            "adopted_on": decree.adopted_on,
            "body": decree.body,
            "motion": decree.motion,
            "tally": _json(decree.tally),
        }
    return rows


def _congress_rows(g: Congress, rows: Rows) -> None:
    rows["congresses"][(g.name,)] = {
        "name": g.name,
        "convened_by": g.convened_by,
        "opens_on": g.opens_on,
        "called_on": g.called_on,
        "quorum": g.quorum,
        "senders": _json(g.senders),
        "max_credential_age_days": g.max_credential_age_days,
        "previous": g.previous,
        "status": g.status,
        "postponements": _json([d.isoformat() for d in g.postponements]),
        "agenda": _json(g.agenda),
        "credentials_committee": g.credentials_committee,
    }
    for c in g.credentials.values():
        rows["credentials"][(g.name, c.number)] = {
            "congress": g.name,
            "number": c.number,
            "delegate": c.delegate,
            "sent_by": c.sent_by,
            "elected_on": c.elected_on,
            "rights": c.rights,
            "status": c.status,
            "reason": c.reason,
            "ruled_by": c.ruled_by,
            "problems": _json(c.problems),
            "group_name": c.group,
            "present": c.present,
        }
    for gc in g.group_changes:
        rows["group_changes"][(g.name, gc.order)] = {
            "congress": g.name,
            "position": gc.order,
            "credential": gc.credential,
            "group_name": gc.group,
            "changed_on": gc.date,
        }
    for a in g.attendance:
        rows["attendance"][(g.name, a.order)] = {
            "congress": g.name,
            "position": a.order,
            "credential": a.credential,
            "present": a.present,
            "recorded_on": a.date,
            "reason": a.reason,
        }
    for position, k in enumerate(g.committees.values()):
        rows["committees"][(g.name, k.name)] = {
            "congress": g.name,
            "name": k.name,
            "position": position,
            "kind": k.kind,
            "elected_on": k.elected_on,
            "method": k.method,
            "seats": k.seats,
            "allocation": _json(k.allocation),
            "declined": _json(k.declined),
            "mandate_ended_on": k.mandate_ended_on,
        }
        for seat, member in enumerate(k.members):
            rows["committee_members"][(g.name, k.name, seat)] = {
                "congress": g.name,
                "committee": k.name,
                "position": seat,
                "name": member.name,
                "group_name": member.group,
            }
    for m in g.motions.values():
        rows["motions"][(g.name, m.number)] = {
            "congress": g.name,
            "number": m.number,
            "title": m.title,
            "text": m.text,
            "mover": m.mover,
            "tabled_on": m.tabled_on,
            "amends": m.amends,
            "decree": m.decree,
            "urgent": m.urgent,
            "without_debate": m.without_debate,
            "item": m.item,
            "status": m.status,
            "position": m.order,
        }
    for v in g.votes.values():
        rows["votes"][(g.name, v.number)] = {
            "congress": g.name,
            "number": v.number,
            "motion": v.motion,
            "stage": v.stage,
            "mode": v.mode,
            "majority": v.majority,
            "abstentions": v.abstentions,
            "opened_on": v.opened_on,
            "status": v.status,
            "counts": _json(v.counts),
            "ballots": _json(v.ballots),
            "entitled": _json(v.entitled),
            "present": _json(v.present),
            "carried": v.carried,
            "supersedes": v.supersedes,
        }
        for credential, choice in v.roll.items():
            rows["vote_roll"][(g.name, v.number, credential)] = {
                "congress": g.name,
                "vote": v.number,
                "credential": credential,
                "choice": choice,
            }
        for credential in v.voted:
            rows["votes_cast"][(g.name, v.number, credential)] = {
                "congress": g.name,
                "vote": v.number,
                "credential": credential,
            }


def from_rows(rows: Mapping[str, list[dict[str, Any]]]) -> Organisation:
    """Rebuild the organisation from live-table rows."""
    org = Organisation()
    for r in rows["councils"]:
        org.councils[r["name"]] = Council(
            name=r["name"],
            seat_rule=json.loads(r["seat_rule"]),
            sections=json.loads(r["sections"]),
            sections_merged=bool(r["sections_merged"]),
            recall_threshold=r["recall_threshold"],
            recall_mode=r["recall_mode"],
            max_term_days=r["max_term_days"],
            calendar=r["calendar"],
            description=r["description"],
            may_convene=json.loads(r["may_convene"]),
        )
    for r in rows["constituencies"]:
        org.constituencies[r["name"]] = Constituency(
            name=r["name"],
            council=r["council"],
            section=r["section"],
            kind=r["kind"],
            roll=r["roll"],
            declared_headcount=int(r["declared_headcount"]),
        )
    for r in rows["electors"]:
        org.constituencies[r["constituency"]].electors.add(r["elector"])
    for r in rows["delegates"]:
        org.delegates[r["id"]] = Delegate(
            id=r["id"],
            name=r["name"],
            constituency=r["constituency"],
            seat=r["seat"],
            group=r["group_name"],
            rights=r["rights"],
            elected_on=r["elected_on"],
            term_days=r["term_days"],
            status=r["status"],
            left_on=r["left_on"],
        )
    for r in rows["mandates"]:
        org.mandates[r["number"]] = Mandate(
            number=r["number"],
            delegate_id=r["delegate_id"],
            text=r["text"],
            adopted_on=r["adopted_on"],
        )
    for r in rows["petitions"]:
        org.petitions[r["id"]] = Petition(
            id=r["id"],
            constituency=r["constituency"],
            delegate_ids=[],
            opened_on=r["opened_on"],
            opened_by=r["opened_by"],
            status=r["status"],
            closed_on=r["closed_on"],
        )
    for r in sorted(rows["petition_targets"], key=lambda r: (r["petition_id"], r["position"])):
        petition = org.petitions[r["petition_id"]]
        petition.delegate_ids.append(r["delegate_id"])
        if r["replacement_name"] is not None:
            petition.replacements.append(Replacement(r["replacement_name"], r["replacement_group"]))
    for r in rows["signatures"]:
        org.petitions[r["petition_id"]].signatures[r["elector"]] = r["signed_on"]
    _congresses_from_rows(org, rows)
    for r in sorted(rows["decrees"], key=lambda r: r["number"]):
        org.decrees[r["number"]] = Decree(
            number=r["number"],
            title=r["title"],
            text=r["text"],
            adopted_on=r["adopted_on"],
            body=r["body"],
            motion=r["motion"],
            tally=json.loads(r["tally"]),
        )
    return org


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _congresses_from_rows(org: Organisation, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """Congresses and their records; dicts keyed by number are filled in number order,
    lists in their recorded order, so the state equals the one the events built."""

    def ordered(table: str, *key: str) -> list[dict[str, Any]]:
        return sorted(rows[table], key=lambda r: tuple(r[k] for k in key))

    for r in ordered("congresses", "called_on", "name"):
        org.congresses[r["name"]] = Congress(
            name=r["name"],
            convened_by=r["convened_by"],
            opens_on=r["opens_on"],
            called_on=r["called_on"],
            quorum=r["quorum"],
            senders=json.loads(r["senders"]),
            max_credential_age_days=r["max_credential_age_days"],
            previous=r["previous"],
            status=r["status"],
            postponements=[dt.date.fromisoformat(d) for d in json.loads(r["postponements"])],
            agenda=json.loads(r["agenda"]),
            credentials_committee=r["credentials_committee"],
        )
    congresses = org.congresses
    for r in ordered("credentials", "congress", "number"):
        congresses[r["congress"]].credentials[r["number"]] = Credential(
            number=r["number"],
            delegate=r["delegate"],
            sent_by=r["sent_by"],
            elected_on=r["elected_on"],
            rights=r["rights"],
            status=r["status"],
            reason=r["reason"],
            ruled_by=r["ruled_by"],
            problems=json.loads(r["problems"]),
            group=r["group_name"],
            present=bool(r["present"]),
        )
    for r in ordered("group_changes", "congress", "position"):
        congresses[r["congress"]].group_changes.append(
            GroupChange(r["position"], r["credential"], r["group_name"], r["changed_on"])
        )
    for r in ordered("attendance", "congress", "position"):
        congresses[r["congress"]].attendance.append(
            Attendance(
                r["position"], r["credential"], bool(r["present"]), r["recorded_on"], r["reason"]
            )
        )
    for r in ordered("committees", "congress", "position"):
        congresses[r["congress"]].committees[r["name"]] = Committee(
            name=r["name"],
            kind=r["kind"],
            elected_on=r["elected_on"],
            method=r["method"],
            seats=r["seats"],
            members=[],
            allocation=json.loads(r["allocation"]),
            declined=json.loads(r["declined"]),
            mandate_ended_on=r["mandate_ended_on"],
        )
    for r in ordered("committee_members", "congress", "committee", "position"):
        congresses[r["congress"]].committees[r["committee"]].members.append(
            CommitteeMember(r["name"], r["group_name"])
        )
    for r in ordered("motions", "congress", "number"):
        congresses[r["congress"]].motions[r["number"]] = Motion(
            number=r["number"],
            title=r["title"],
            text=r["text"],
            mover=r["mover"],
            tabled_on=r["tabled_on"],
            amends=r["amends"],
            decree=bool(r["decree"]),
            urgent=bool(r["urgent"]),
            without_debate=bool(r["without_debate"]),
            item=r["item"],
            status=r["status"],
            order=r["position"],
        )
    for r in ordered("votes", "congress", "number"):
        congresses[r["congress"]].votes[r["number"]] = VoteRecord(
            number=r["number"],
            motion=r["motion"],
            stage=r["stage"],
            mode=r["mode"],
            majority=r["majority"],
            abstentions=r["abstentions"],
            opened_on=r["opened_on"],
            status=r["status"],
            counts=json.loads(r["counts"]),
            ballots=json.loads(r["ballots"]),
            entitled=json.loads(r["entitled"]),
            present=json.loads(r["present"]),
            carried=_optional_bool(r["carried"]),
            supersedes=r["supersedes"],
        )
    for r in ordered("vote_roll", "congress", "vote", "credential"):
        congresses[r["congress"]].votes[r["vote"]].roll[r["credential"]] = r["choice"]
    for r in rows["votes_cast"]:
        congresses[r["congress"]].votes[r["vote"]].voted.add(r["credential"])
