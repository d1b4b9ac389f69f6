"""A small organisation with one account per role, and one example body per command.

The world: the council ``Soviet`` (secretaries ``sec-1`` and ``sec-2``; ``sec-1`` also of
``Empty Soviet`` and of ``Quiet Soviet``, whose ``Quiet shop`` no congress names) with named rolls
``Shop 0`` (an open recall petition, signed by ``e0-2``) and ``Shop 1``, a spare named
roll and a numbered one; ``Congress`` convened by it (self-registration allowed) open,
with five accepted credentials (1-4 present), motions 1 (by 1) and 2 (by 2) and an open
roll-call vote on motion 1; ``Later Congress``, called, with one pending credential.

``EXAMPLES`` gives, for every command class, a body that succeeds in that world for the
account named with it; the matrix tests run each against every account.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from soviet.adapters.storage import open_service
from soviet.adapters.storage.accounts import AccountStore
from soviet.adapters.storage.sql import database_url
from soviet.application import commands as cmd
from soviet.application.checkpoints import public_key_hex
from soviet.application.decree_documents import signed_bytes
from soviet.application.service import CouncilService
from soviet.domain.executive import ExecutiveDecree
from soviet.domain.rules import Candidate

D = dt.date(1917, 3, 14)
LATER = dt.date(1917, 9, 14)
CALL = dt.date(1917, 10, 20)
OPENS = dt.date(1917, 10, 25)
DAY = "1917-10-26"

#: Account name -> subject (and admin flag). ``nobody`` holds no role but observer.
ACCOUNTS: dict[str, tuple[str, bool]] = {
    "root": ("admin:root", True),
    "sec-1": ("member:sec-1", False),
    "e0-1": ("member:e0-1", False),
    "e0-2": ("member:e0-2", False),
    "e1-1": ("member:e1-1", False),
    "d2": ("credential:Congress:2", False),
    "d5": ("credential:Congress:5", False),
    "nobody": ("member:nobody", False),
    # orders
    "mrc-1": ("member:mrc-1", False),
    "cm-1": ("member:cm-1", False),
    # --- executive ---
    "dh-1": ("member:dh-1", False),
    "sg-1": ("member:sg-1", False),
}
#: One account per role, for the matrix.
ROLE_ACCOUNTS = {
    "admin": "root",
    "secretary": "sec-1",
    "chair": "sec-1",  # no presidium yet: the convening council's secretaries chair
    "credentials-committee": "sec-1",  # the call named the council as committee
    "elector": "e0-1",
    "delegate": "d2",
    "observer": "nobody",
    # orders
    "oversight-member": "mrc-1",
    "unit-commissioner": "cm-1",
    # --- executive ---
    "department-head": "dh-1",
    "signatory": "sg-1",
}


def build(service: CouncilService) -> None:
    """Record the world (one transaction)."""

    def work(tx: Any) -> None:
        h = tx.handle
        h(
            cmd.CreateCouncil(
                name="Soviet", seat_rule={"method": "per-unit", "per": 1000}, may_convene=["*"]
            )
        )
        h(
            cmd.CreateCouncil(
                name="Empty Soviet",
                seat_rule={"method": "per-unit", "per": 1000},
                sections=["workers", "soldiers"],
            )
        )
        for member in ("sec-1", "sec-2"):
            h(cmd.AppointSecretary(council="Soviet", member=member, date=D))
        h(cmd.AppointSecretary(council="Empty Soviet", member="sec-1", date=D))
        # A council no congress names, whose names may change.
        h(cmd.CreateCouncil(name="Quiet Soviet", seat_rule={"method": "per-unit", "per": 1000}))
        h(cmd.AppointSecretary(council="Quiet Soviet", member="sec-1", date=D))
        h(cmd.CreateConstituency(name="Quiet shop", council="Quiet Soviet", electors=["q-0"]))
        for k in range(2):
            names = [f"e{k}-{i}" for i in range(10)]
            h(cmd.CreateConstituency(name=f"Shop {k}", council="Soviet", electors=names))
            h(
                cmd.ElectDelegates(
                    constituency=f"Shop {k}", candidates=[Candidate(f"d{k}", "B", 9)], date=D
                )
            )
        # Issue 11: Shop 1's mandate 1 for its delegate d1, to bind to a motion.
        h(cmd.AdoptMandate(constituency="Shop 1", text="Vote for peace", date=D))
        h(cmd.CreateConstituency(name="Spare shop", council="Soviet", electors=["s-0", "s-1"]))
        h(cmd.CreateConstituency(name="Depot", council="Soviet", headcount=100))
        h(cmd.OpenRecall(constituency="Shop 0", opened_by="e0-0", date=LATER))
        h(cmd.SignRecall(petition=1, electors=["e0-2"], date=LATER))
        h(
            cmd.CallCongress(
                name="Congress",
                convened_by="Soviet",
                date=CALL,
                opens_on=OPENS,
                quorum="1/2",
                senders={"North": 5},
                external=True,
                self_registration=True,
                proxies=True,
            )
        )
        for n in range(1, 6):
            h(
                cmd.PresentCredential(
                    congress="Congress",
                    delegate=f"D{n}",
                    sent_by="North",
                    elected_on=CALL,
                    date=CALL,
                )
            )
        h(cmd.RuleOnCredentials(congress="Congress", credentials=None, accept=True, date=CALL))
        h(cmd.OpenCongress(congress="Congress", date=OPENS))
        h(
            cmd.RegisterAttendance(
                congress="Congress", arriving=True, date=OPENS, credentials=[1, 2, 3, 4]
            )
        )
        h(
            cmd.TableMotion(
                congress="Congress", title="Peace", text="Peace now", mover=1, date=OPENS
            )
        )
        h(
            cmd.TableMotion(
                congress="Congress", title="Bread", text="Bread now", mover=2, date=OPENS
            )
        )
        h(cmd.OpenVote(congress="Congress", motion=1, date=OPENS, mode="roll-call"))
        h(
            cmd.CallCongress(
                name="Later Congress",
                convened_by="Soviet",
                date=CALL,
                opens_on=dt.date(1917, 12, 1),
                quorum="1/2",
                senders={"Soviet": 3},
                outside_delegates=True,
            )
        )
        h(
            cmd.PresentCredential(
                congress="Later Congress",
                delegate="X",
                sent_by="Soviet",
                elected_on=CALL,
                date=CALL,
            )
        )
        # --- orders: a committee of two (all must countersign) over the Regiment, whose
        # arms are issued only on order of its commissioner cm-1; order 1 (cm-1's,
        # countersigned by mrc-2 only) and order 2 (a body's) are pending.
        h(
            cmd.FormOversightCommittee(
                name="Garrison Committee", council="Soviet", members=["mrc-1", "mrc-2"], date=LATER
            )
        )
        h(
            cmd.CreateUnit(
                name="Regiment",
                council="Soviet",
                constituency="Depot",
                committee="Garrison Committee",
                restricted=["issue-arms"],
                date=LATER,
            )
        )
        h(cmd.CreateUnit(name="Spare unit", council="Soviet", date=LATER))
        # --- consent: hiring at the Spare unit needs the office committee's consent;
        # actions 1-2 pending, 3-4 refused, 5 escalated, 6 pending (for the default).
        h(
            cmd.SetUpConsentRule(
                name="Works",
                council="Soviet",
                workplace="Spare unit",
                actions=["hire", "dismiss"],
                committee="Office committee",
                general="Factory committee",
                escalation="Empty Soviet",
                conciliation="Conciliation",
                date=LATER,
            )
        )
        for n in range(1, 7):
            h(
                cmd.ProposeAction(
                    rule="Works", action="hire", subject=f"w{n}", proposed_by="Board", date=LATER
                )
            )
        for n in (3, 4, 5):
            h(cmd.RefuseAction(number=n, reason="No", date=LATER))
        h(cmd.EscalateAction(number=5, date=LATER))
        h(cmd.AppointCommissioner(unit="Regiment", member="cm-1", date=LATER))
        h(
            cmd.IssueOrder(
                unit="Regiment", issuer="cm-1", action="issue-arms", text="Rifles", date=LATER
            )
        )
        h(cmd.CountersignOrder(order=1, member="mrc-2", date=LATER))
        h(
            cmd.IssueOrder(
                unit="Regiment",
                issuer="Staff",
                by_commissioner=False,
                action="march",
                text="March out",
                date=LATER,
            )
        )
        # --- executive: the congress's council of commissioners, dh-1 heading Labour,
        # urgent powers (1 day); decrees 1 and 2 drafts, 3 urgent and in force.
        h(cmd.FormCommissionersCouncil(name="Sovnarkom", congress="Congress", date=OPENS))
        h(
            cmd.AppointDepartmentHead(
                council="Sovnarkom", department="Labour", member="dh-1", by="Congress", date=OPENS
            )
        )
        h(
            cmd.GrantUrgentPowers(
                council="Sovnarkom", by="Congress", ratify_within_days=1, date=OPENS
            )
        )
        for registry, urgent in (("1", False), ("2", False), ("3", True)):
            h(
                cmd.IssueDecree(
                    council="Sovnarkom",
                    registry=registry,
                    title=f"Decree {registry}",
                    text="Text",
                    department="Labour",
                    urgent=urgent,
                    date=OPENS,
                )
            )
        # Decree 4 needs sg-1's signature; sg-1's key is registered.
        h(cmd.RegisterSigningKey(holder="sg-1", public_key=SIGNER_PUBLIC, date=OPENS))
        h(
            cmd.IssueDecree(
                council="Sovnarkom",
                registry="4",
                title="Decree 4",
                text="Text",
                department="Labour",
                signatories=["sg-1"],
                date=OPENS,
            )
        )
        # --- list assemblies: CA, one district of 3 seats, lists closing on DAY.
        h(
            cmd.CreateAssembly(
                name="CA",
                districts={"North": 3},
                rule={"method": "dhondt"},
                closing=dt.date(1917, 10, 26),
                term_days=365,
                date=OPENS,
            )
        )
        for party, names in (("SR", ["sr-1", "sr-2", "sr-3"]), ("B", ["b-1", "b-2"])):
            h(
                cmd.RegisterPartyList(
                    assembly="CA", party=party, district="North", candidates=names, date=OPENS
                )
            )

    service.execute(work, "setup")


def make_template(folder: Path) -> Path:
    """The world's database and its accounts (one API token each, in ``tokens.txt``)."""
    db = folder / "world.db"
    service = open_service(str(db), initialise=True)
    build(service)
    store = AccountStore(database_url(str(db)))
    lines = []
    for name, (subject, admin) in ACCOUNTS.items():
        account = store.ensure(subject, name, name, admin=admin)
        lines.append(f"{name}\t{store.create_token(account, 'tests')}")
    (folder / "tokens.txt").write_text("\n".join(lines) + "\n")
    return db


def tokens(folder: Path) -> dict[str, str]:
    """Account name -> API token of a template made by ``make_template``."""
    pairs = (line.split("\t") for line in (folder / "tokens.txt").read_text().splitlines())
    return dict(pairs)  # type: ignore[arg-type]


def copy_world(template: Path, to: Path) -> Path:
    """A fresh copy of the world's database (with its WAL, which holds the last commits)."""
    target = to / "world.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return target


@dataclass(frozen=True)
class Example:
    """A body that succeeds for ``account``; ``before`` runs first (as the set-up)."""

    body: dict[str, Any]
    account: str
    before: tuple[cmd.Command, ...] = field(default=())


def _e(body: dict[str, Any], account: str, *before: cmd.Command) -> Example:
    return Example(body, account, before)


C = "Congress"
# A fixed key, so that the example signature is the same on every run.
SIGNER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SIGNER_PUBLIC = public_key_hex(SIGNER_KEY.public_key())
DECREE_4 = ExecutiveDecree(
    registry="4",
    council="Sovnarkom",
    title="Decree 4",
    text="Text",
    department="Labour",
    urgent=False,
    signed_on=OPENS,
    status="draft",
    issued_on=OPENS,
    signatories=["sg-1"],
)
_CA_VOTES = {"assembly": "CA", "district": "North", "votes": {"SR": 400, "B": 100}, "date": DAY}


def _ca_votes() -> dict[str, Any]:
    return {**_CA_VOTES, "date": dt.date.fromisoformat(DAY)}


EXAMPLES: dict[str, Example] = {
    "CreateCouncil": _e(
        {"name": "New Soviet", "seat_rule": {"method": "per-unit", "per": 100}}, "root"
    ),
    "AppointSecretary": _e({"council": "Soviet", "member": "e1-2", "date": "1917-09-14"}, "sec-1"),
    "DismissSecretary": _e({"council": "Soviet", "member": "sec-2", "date": "1917-09-14"}, "sec-1"),
    "ArrangeSections": _e(
        {"council": "Empty Soviet", "merged": False, "date": "1917-09-14"}, "sec-1"
    ),
    "CreateConstituency": _e(
        {"name": "Shop 9", "council": "Soviet", "electors": ["e9-0"]}, "sec-1"
    ),
    "SetHeadcount": _e({"constituency": "Depot", "headcount": 120, "date": "1917-09-14"}, "sec-1"),
    "ChangeCouncil": _e(
        {"council": "Soviet", "changes": {"description": "Workers"}, "date": "1917-09-14"}, "sec-1"
    ),
    "RenameCouncil": _e({"council": "Quiet Soviet", "to": "Calm Soviet", "date": DAY}, "sec-1"),
    "RemoveCouncil": _e({"council": "Empty Soviet", "date": "1917-09-14"}, "sec-1"),
    "ChangeConstituency": _e(
        {"constituency": "Shop 1", "changes": {"kind": "small"}, "date": "1917-09-14"}, "sec-1"
    ),
    "RenameConstituency": _e(
        {"constituency": "Quiet shop", "to": "Calm shop", "date": DAY}, "sec-1"
    ),
    "RemoveConstituency": _e({"constituency": "Spare shop", "date": "1917-09-14"}, "sec-1"),
    "DissolveCouncil": _e({"council": "Soviet", "date": "1917-09-14"}, "sec-1"),
    "EnrolElectors": _e(
        {"constituency": "Shop 1", "electors": ["e1-new"], "date": "1917-09-14"}, "sec-1"
    ),
    "MoveElector": _e({"elector": "e1-5", "to": "Shop 0", "date": "1917-09-14"}, "sec-1"),
    "ImportRoll": _e(
        {
            "constituency": "Spare shop",
            "members": [{"member": "s-0", "name": "Sasha", "constituency": "Spare shop"}],
            "date": "1917-09-14",
        },
        "sec-1",
    ),
    "RemoveElector": _e({"elector": "e1-6", "date": "1917-09-14"}, "sec-1"),
    "ElectDelegates": _e(
        {
            "constituency": "Spare shop",
            "date": "1917-09-14",
            "candidates": [{"name": "Spare", "group": "B", "votes": 2}],
        },
        "sec-1",
    ),
    "AdoptMandate": _e({"constituency": "Shop 1", "text": "Peace", "date": "1917-09-14"}, "sec-1"),
    "OpenRecall": _e({"constituency": "Shop 1", "date": "1917-09-14"}, "e1-1"),
    "SignRecall": _e({"petition": 1, "date": "1917-09-15"}, "e0-1"),
    "WithdrawSignature": _e({"petition": 1, "date": "1917-09-15"}, "e0-2"),
    "CallCongress": _e(
        {
            "name": "Congress 3",
            "convened_by": "Soviet",
            "date": "1917-10-20",
            "opens_on": "1917-11-20",
            "quorum": "1/2",
            "senders": {"North": 3},
            "external": True,
        },
        "sec-1",
    ),
    "PostponeCongress": _e(
        {
            "congress": "Later Congress",
            "by": "Soviet",
            "opens_on": "1917-12-05",
            "date": "1917-10-26",
        },
        "sec-1",
    ),
    "PresentCredential": _e(
        {
            "congress": "Later Congress",
            "delegate": "Y",
            "sent_by": "Soviet",
            "elected_on": "1917-10-20",
            "date": "1917-10-26",
        },
        "sec-1",
    ),
    "ElectCongressDelegates": _e(
        {
            "congress": "Later Congress",
            "council": "Soviet",
            "date": "1917-10-26",
            "seats": 1,
            "candidates": [{"name": "Z", "votes": 5}],
        },
        "sec-1",
    ),
    "RuleOnCredential": _e(
        {"congress": "Later Congress", "credential": 1, "accept": True, "date": "1917-10-26"},
        "sec-1",
    ),
    "RuleOnCredentials": _e(
        {"congress": "Later Congress", "credentials": None, "accept": True, "date": "1917-10-26"},
        "sec-1",
    ),
    "ReconsiderCredential": _e(
        {"congress": C, "credential": 5, "accept": False, "reason": "not elected", "date": DAY},
        "sec-1",
    ),
    "OpenCongress": _e(
        {"congress": "Later Congress", "date": "1917-12-01"},
        "sec-1",
        cmd.RuleOnCredential(
            congress="Later Congress", credential=1, accept=True, date=dt.date(1917, 10, 26)
        ),
    ),
    "CloseCongress": _e(
        {"congress": C, "date": DAY},
        "sec-1",
        cmd.CloseVote(congress=C, vote=1, date=dt.date(1917, 10, 26)),
    ),
    "ElectCommittee": _e(
        {
            "congress": C,
            "committee": "Presidium",
            "seats": 2,
            "kind": "presidium",
            "date": DAY,
            "candidates": {"(no group)": ["D1", "D2"]},
        },
        "sec-1",
    ),
    "ElectPost": _e(
        {"congress": C, "post": "Chair", "date": DAY, "candidates": [{"name": "D1", "votes": 3}]},
        "sec-1",
    ),
    "AdoptAgenda": _e({"congress": C, "items": ["Peace", "Bread"], "date": DAY}, "sec-1"),
    "OrderMotions": _e(
        {"congress": C, "order": [2, 1], "decided_by": "chair", "date": DAY}, "sec-1"
    ),
    "OpenVote": _e(
        {"congress": C, "motion": 2, "date": DAY},
        "sec-1",
        cmd.CloseVote(congress=C, vote=1, date=dt.date(1917, 10, 26)),
    ),
    "CloseVote": _e({"congress": C, "vote": 1, "date": DAY}, "sec-1"),
    "RegisterAttendance": _e({"congress": C, "arriving": True, "date": DAY}, "d5"),
    "DeclareGroup": _e({"congress": C, "group": "Left", "date": DAY}, "d2"),
    "TableMotion": _e(
        {"congress": C, "title": "Land", "text": "Land to the tillers", "date": DAY}, "d2"
    ),
    "WithdrawMotion": _e({"congress": C, "motion": 2, "date": DAY}, "d2"),
    "CastVote": _e({"congress": C, "vote": 1, "choice": "for", "date": DAY}, "d2"),
    # orders
    "FormOversightCommittee": _e(
        {"name": "New Committee", "council": "Soviet", "members": ["x"], "date": DAY}, "sec-1"
    ),
    "CreateUnit": _e({"name": "New unit", "council": "Soviet", "date": DAY}, "sec-1"),
    "PlaceUnit": _e(
        {"unit": "Spare unit", "committee": "Garrison Committee", "date": DAY}, "sec-1"
    ),
    "AppointCommissioner": _e({"unit": "Regiment", "member": "cm-2", "date": DAY}, "mrc-1"),
    "RecallCommissioner": _e({"unit": "Regiment", "member": "cm-1", "date": DAY}, "mrc-1"),
    "IssueOrder": _e(
        {"unit": "Regiment", "action": "issue-arms", "text": "Rifles", "date": DAY}, "cm-1"
    ),
    "CountersignOrder": _e({"order": 1, "date": DAY}, "mrc-1"),
    "ReturnOrder": _e({"order": 2, "reason": "not countersigned", "date": DAY}, "mrc-1"),
    "TakeAction": _e({"unit": "Regiment", "action": "drill", "date": DAY}, "cm-1"),
    # weighted votes, proxies, mandates against votes (issue 11)
    "DeclareWeight": _e({"congress": C, "credential": 1, "weight": 1000, "date": DAY}, "sec-1"),
    "GrantProxy": _e({"congress": C, "holder": 1, "date": DAY}, "d2"),
    "RevokeProxy": _e(
        {"congress": C, "date": DAY},
        "d2",
        cmd.GrantProxy(congress=C, giver=2, holder=1, date=dt.date(1917, 10, 26)),
    ),
    "BindMandate": _e(
        {"mandate": 1, "congress": C, "motion": 2, "position": "for", "date": DAY}, "sec-1"
    ),
    "RecallOnMandate": _e(
        {"congress": C, "vote": 1, "constituency": "Shop 1", "date": DAY},
        "e1-1",
        cmd.BindMandate(mandate=1, congress=C, motion=1, position="for", date=OPENS),
        cmd.PresentCredential(
            congress=C, delegate="d1", sent_by="North", elected_on=CALL, date=OPENS
        ),
        cmd.RuleOnCredential(
            congress=C, credential=6, accept=True, override=True, reason="seated", date=OPENS
        ),
        cmd.RegisterAttendance(congress=C, arriving=True, date=OPENS, credentials=[6]),
        cmd.CastVote(congress=C, vote=1, credential=6, choice="against", date=OPENS),
        cmd.CloseVote(congress=C, vote=1, date=OPENS),
    ),
    # --- executive ---
    "FormCommissionersCouncil": _e(
        {"name": "Second Council", "congress": "Congress", "date": DAY}, "sec-1"
    ),
    "AppointDepartmentHead": _e(
        {
            "council": "Sovnarkom",
            "department": "Food",
            "member": "dh-2",
            "by": "Congress",
            "date": DAY,
        },
        "sec-1",
    ),
    "DismissDepartmentHead": _e(
        {"council": "Sovnarkom", "department": "Labour", "by": "Congress", "date": DAY}, "sec-1"
    ),
    "GrantUrgentPowers": _e(
        {"council": "Sovnarkom", "by": "Congress", "ratify_within_days": 7, "date": DAY}, "sec-1"
    ),
    "VoteConfidence": _e(
        {"council": "Sovnarkom", "by": "Congress", "in_favour": 25, "against": 23, "date": DAY},
        "sec-1",
    ),
    "IssueDecree": _e(
        {
            "council": "Sovnarkom",
            "registry": "9",
            "title": "Eight hours",
            "text": "Text",
            "department": "Labour",
            "date": DAY,
        },
        "dh-1",
    ),
    "RatifyDecree": _e({"registry": "1", "by": "Congress", "date": DAY}, "sec-1"),
    "AnnulDecree": _e({"registry": "2", "by": "Congress", "date": DAY}, "sec-1"),
    "LapseDecree": _e({"registry": "3", "date": "1917-10-27"}, "sec-1"),
    # --- consent ---
    "SetUpConsentRule": _e(
        {
            "name": "Depot rule",
            "council": "Soviet",
            "workplace": "Regiment",
            "actions": ["dismiss"],
            "general": "Regimental committee",
            "escalation": "Empty Soviet",
            "conciliation": "Conciliation",
            "date": DAY,
        },
        "sec-1",
    ),
    "ProposeAction": _e(
        {
            "rule": "Works",
            "action": "dismiss",
            "subject": "w9",
            "proposed_by": "Board",
            "date": DAY,
        },
        "sec-1",
    ),
    "ConsentToAction": _e({"number": 1, "date": DAY}, "sec-1"),
    "RefuseAction": _e({"number": 2, "reason": "Not needed", "date": DAY}, "sec-1"),
    "EscalateAction": _e({"number": 3, "date": DAY}, "sec-1"),
    "ChallengeAction": _e({"number": 4, "date": DAY}, "sec-1"),
    "DecideAction": _e({"number": 5, "consent": True, "date": DAY}, "sec-1"),
    "ApplyConsentDefault": _e({"number": 6, "date": DAY}, "sec-1"),
    "RegisterSigningKey": _e({"holder": "Sovnarkom", "public_key": "ab" * 32, "date": DAY}, "root"),
    "SignDecree": _e(
        {
            "registry": "4",
            "signer": "sg-1",
            "signature": SIGNER_KEY.sign(signed_bytes(DECREE_4)).hex(),
            "date": DAY,
        },
        "sg-1",
    ),
    # --- list assemblies ---
    "CreateAssembly": _e(
        {
            "name": "New Assembly",
            "districts": {"South": 2},
            "rule": {"method": "sainte-lague"},
            "closing": DAY,
            "term_days": 30,
            "date": DAY,
        },
        "root",
    ),
    "RegisterPartyList": _e(
        {"assembly": "CA", "party": "K", "district": "North", "candidates": ["k-1"], "date": DAY},
        "root",
    ),
    "RecordListVotes": _e(_CA_VOTES, "root"),
    "AllocateAssemblySeats": _e(
        {"assembly": "CA", "date": DAY}, "root", cmd.RecordListVotes(**_ca_votes())
    ),
    "AttributeSplit": _e(
        {
            "assembly": "CA",
            "party": "SR",
            "rule": "positions",
            "successors": ["Right SR", "Left SR"],
            "positions": {"Right SR": [1, 2], "Left SR": [3]},
            "date": "1917-10-27",
        },
        "root",
        cmd.RecordListVotes(**_ca_votes()),
        cmd.AllocateAssemblySeats(assembly="CA", date=dt.date(1917, 10, 26)),
    ),
    "EmpowerAssemblyRecall": _e(
        {"assembly": "CA", "by": "Soviet", "councils": ["*"], "date": "1917-10-27"},
        "root",
        cmd.RecordListVotes(**_ca_votes()),
        cmd.AllocateAssemblySeats(assembly="CA", date=dt.date(1917, 10, 26)),
    ),
    "RecallAssemblyMember": _e(
        {"assembly": "CA", "member": "sr-1", "council": "Soviet", "date": "1917-10-28"},
        "root",
        cmd.RecordListVotes(**_ca_votes()),
        cmd.AllocateAssemblySeats(assembly="CA", date=dt.date(1917, 10, 26)),
        cmd.EmpowerAssemblyRecall(
            assembly="CA", by="Soviet", councils=["Soviet"], date=dt.date(1917, 10, 27)
        ),
    ),
    "DissolveAssembly": _e(
        {"assembly": "CA", "by": "Soviet", "date": "1917-10-28"},
        "root",
        cmd.RecordListVotes(**_ca_votes()),
        cmd.AllocateAssemblySeats(assembly="CA", date=dt.date(1917, 10, 26)),
    ),
    "OpenAssembly": _e(
        {"assembly": "CA", "present": 2, "date": "1917-10-27"},
        "root",
        cmd.RecordListVotes(**_ca_votes()),
        cmd.AllocateAssemblySeats(assembly="CA", date=dt.date(1917, 10, 26)),
    ),
}


def complete(name: str) -> dict[str, Any]:
    """The example's body with every field the API would fill for its account given."""
    example = EXAMPLES[name]
    fields = SELF_FIELDS.get(name, {})
    return {**{k: v for k, v in fields.items() if k not in example.body}, **example.body}


#: The fields each example leaves for the API to fill, as its account's own values.
SELF_FIELDS: dict[str, dict[str, Any]] = {
    "OpenRecall": {"opened_by": "e1-1"},
    "SignRecall": {"electors": ["e0-1"]},
    "WithdrawSignature": {"elector": "e0-2"},
    "RegisterAttendance": {"credentials": [5]},
    "DeclareGroup": {"credentials": [2]},
    "TableMotion": {"mover": 2},
    "CastVote": {"credential": 2},
    # orders
    "IssueOrder": {"issuer": "cm-1"},
    "CountersignOrder": {"member": "mrc-1"},
    "ReturnOrder": {"member": "mrc-1"},
    "TakeAction": {"taken_by": "cm-1"},
    # weighted votes, proxies, mandates against votes (issue 11)
    "GrantProxy": {"giver": 2},
    "RevokeProxy": {"giver": 2},
    "RecallOnMandate": {"opened_by": "e1-1"},
}
