"""Who may ask for what: roles derived from the state, and one table of permissions.

Roles are never stored or typed in: each request derives them from the domain (an
elector is on a roll, a delegate holds an accepted credential, a secretary has an
appointment on the ledger, a chair sits on the congress's presidium...). The table
``PERMISSIONS`` says, for every command class, which roles may ask for it, how the
role's scope (a constituency, a council, a congress) is read from the command's fields,
and what "for themselves only" means for it. The HTTP API authorizes through
:func:`authorize`; the docs table and the tests are generated from ``PERMISSIONS``.

The CLI is the local administrator's tool and is not authorized here.
docs/decisions/0016-accounts-and-roles.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from soviet.application import commands as cmd

# --- orders ---
# --- executive, consent ---
from soviet.domain import consent_rules, executive_rules, order_rules, rules
from soviet.domain.congress import Congress, Credential
from soviet.domain.congress_rules import get_congress
from soviet.domain.errors import UnknownEntity
from soviet.domain.executive import is_department_head
from soviet.domain.model import Organisation
from soviet.domain.orders import is_commissioner
from soviet.domain.records import where

RoleKind = Literal[
    "admin",
    "secretary",
    "chair",
    "credentials-committee",
    "elector",
    "delegate",
    "observer",
    # orders
    "oversight-member",
    "unit-commissioner",
    # --- executive ---
    "department-head",
    "signatory",
]
#: What each kind of role is scoped by.
SCOPE_OF: dict[str, str] = {
    "admin": "the instance",
    "secretary": "council",
    "chair": "congress",
    "credentials-committee": "congress",
    "elector": "constituency",
    "delegate": "congress",
    "observer": "anything (every GET)",
    # orders
    "oversight-member": "oversight committee",
    "unit-commissioner": "unit",
    # --- executive ---
    "department-head": "council of commissioners",
    "signatory": "decree (its registry number)",
}


class Forbidden(Exception):
    """The principal holds none of the roles a command needs (HTTP 403)."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: an account and the subject that links it to the domain."""

    account_id: int
    subject: str
    admin: bool = False

    @property
    def member(self) -> str | None:
        """The member id of a ``member:<id>`` subject."""
        kind, _, rest = self.subject.partition(":")
        return rest if kind == "member" and rest else None

    @property
    def credential(self) -> tuple[str, int] | None:
        """(congress, number) of a ``credential:<congress>:<number>`` subject."""
        kind, _, rest = self.subject.partition(":")
        if kind != "credential":
            return None
        congress, _, number = rest.rpartition(":")
        if not congress or not number.isascii() or not number.isdigit():
            return None
        return congress, int(number)


@dataclass(frozen=True, order=True)
class Role:
    """A role and its scope (a council, constituency or congress name; "" for admin)."""

    kind: RoleKind
    scope: str = ""
    credential: int | None = None

    def data(self) -> dict[str, Any]:
        """The role as JSON (``/api/me``)."""
        out: dict[str, Any] = {"role": self.kind, "scope": self.scope}
        if self.credential is not None:
            out["credential"] = self.credential
        return out

    def __str__(self) -> str:
        return f"{self.kind} of {self.scope!r}" if self.scope else self.kind


# --- holding a role ----------------------------------------------------------------------
def _own_credential(principal: Principal, org: Organisation, congress: str) -> Credential | None:
    """The principal's credential in ``congress`` when it is not rejected."""
    held = principal.credential
    if held is None or held[0] != congress:
        return None
    c = org.congresses.get(congress)
    if c is None:
        return None
    credential = c.credentials.get(held[1])
    if credential is None or credential.status == "rejected":
        return None
    return credential


def _on_committee(congress: Congress, credential: Credential, committee: str) -> bool:
    k = congress.committees.get(committee)
    return (
        k is not None
        and k.mandate_ended_on is None
        and any(m.name == credential.delegate for m in k.members)
    )


def _chairs(congress: Congress) -> list[str]:
    """The committees whose members chair the congress: its presidium, and a post named
    chair (``ElectPost`` ``Chair``)."""
    return [
        k.name
        for k in congress.committees.values()
        if k.mandate_ended_on is None
        and (k.kind == "presidium" or (k.kind == "post" and k.name.lower().startswith("chair")))
    ]


def holds(principal: Principal, role: Role, org: Organisation) -> bool:
    """Whether ``principal`` holds ``role`` in the state ``org`` now."""
    member = principal.member
    match role.kind:
        case "observer":
            return True
        case "admin":
            return principal.admin
        case "elector":
            return member is not None and org.electors.get(member) == role.scope
        case "secretary":
            return member is not None and org.is_secretary(role.scope, member)
        case "delegate":
            credential = _own_credential(principal, org, role.scope)
            return credential is not None and credential.seated
        case "credentials-committee":
            congress = org.congresses.get(role.scope)
            if congress is None:
                return False
            body = congress.credentials_committee
            if body in congress.committees:
                credential = _own_credential(principal, org, role.scope)
                return credential is not None and _on_committee(congress, credential, body)
            return member is not None and org.is_secretary(body, member)
        case "chair":
            congress = org.congresses.get(role.scope)
            if congress is None:
                return False
            chairs = _chairs(congress)
            if chairs:
                credential = _own_credential(principal, org, role.scope)
                return credential is not None and any(
                    _on_committee(congress, credential, k) for k in chairs
                )
            # Before the congress has a presidium, the convening council's secretaries
            # open it and run its first business.
            return member is not None and org.is_secretary(congress.convened_by, member)
        # --- orders ---
        case "oversight-member":
            committee = org.oversight_committees.get(role.scope)
            return member is not None and committee is not None and member in committee.members
        case "unit-commissioner":
            return member is not None and is_commissioner(org, role.scope, member)
        # --- executive ---
        case "department-head":
            return member is not None and is_department_head(org, role.scope, member)
        case "signatory":
            decree = org.executive_decrees.get(role.scope)
            return member is not None and decree is not None and member in decree.signatories
    return False  # pragma: no cover - every kind is matched above


def roles(principal: Principal, org: Organisation) -> frozenset[Role]:
    """Every role ``principal`` holds now (observer always), read on demand: the rows
    of the principal's own roll entry, appointments and credential, not the whole state."""
    found: set[Role] = {Role("observer")}
    if principal.admin:
        found.add(Role("admin"))
    member = principal.member
    if member is not None:
        home = org.electors.get(member)
        if home is not None:
            found.add(Role("elector", home))
        for appointment in where(org.secretaries, member=member, dismissed_on=None):
            found.add(Role("secretary", appointment.council))
            for body in ("credentials_committee", "convened_by"):
                for congress in where(org.congresses, **{body: appointment.council}):
                    for role in (
                        Role("credentials-committee", congress.name),
                        Role("chair", congress.name),
                    ):
                        if holds(principal, role, org):
                            found.add(role)
    held = principal.credential
    if held is not None and held[0] in org.congresses:
        name, number = held
        if holds(principal, Role("delegate", name), org):
            found.add(Role("delegate", name, number))
        for role in (Role("credentials-committee", name), Role("chair", name)):
            if holds(principal, role, org):
                found.add(role)
    if member is not None:  # --- orders ---
        for attached in where(org.commissioners, member=member, recalled_on=None):
            found.add(Role("unit-commissioner", attached.unit))
        # Committees are few (one per council, as a rule): read them all.
        for committee in list(org.oversight_committees.values()):
            if member in committee.members:
                found.add(Role("oversight-member", committee.name))
    if member is not None:  # --- executive ---
        for head in where(org.department_heads, member=member, dismissed_on=None):
            found.add(Role("department-head", head.council))
        # Decrees waiting for signatures are few at any time (a council signs a handful
        # a day): read those, not every decree.
        for decree in where(org.executive_decrees, status="draft"):
            if member in decree.signatories and decree.awaiting is not None:
                found.add(Role("signatory", decree.registry))
    return frozenset(found)


# --- the permission table -------------------------------------------------------------
Scope = Callable[[Any, Organisation], Sequence[str]]
Own = Callable[[Any, Principal, Organisation], bool]


@dataclass(frozen=True)
class Grant:
    """One role that may ask for a command: its kind, its scopes read from the command
    (every one must be held), and for "themselves only" grants the condition on the
    command's fields (``own``), described in ``note``."""

    kind: RoleKind
    scope: Scope
    scope_text: str
    own: Own | None = None
    note: str = ""


@dataclass(frozen=True)
class Permission:
    """Who may ask for one command class; ``self_fields`` are the fields the API fills
    with the caller's own member id or credential when the body leaves them out."""

    command: type[cmd.Command]
    grants: tuple[Grant, ...]
    self_fields: dict[str, str] = field(default_factory=dict)


def _council_of_constituency(org: Organisation, name: str) -> str:
    return rules.get_constituency(org, name).council


def _council_of_elector(org: Organisation, elector: str) -> str:
    home = org.elector_constituency(elector)
    if home is None:
        raise UnknownEntity("elector", elector)
    return _council_of_constituency(org, home)


def _petition_constituency(org: Organisation, number: int) -> str:
    return rules.get_petition(org, number).constituency


# Scope readers: each returns the names the role must hold (one, or several).
def _f(name: str) -> Scope:
    """The scope is the command's field ``name`` itself."""
    return lambda c, _org: (getattr(c, name),)


def _council_via_constituency(name: str) -> Scope:
    return lambda c, org: (_council_of_constituency(org, getattr(c, name)),)


def _petition_home(c: Any, org: Organisation) -> Sequence[str]:
    return (_petition_constituency(org, c.petition),)


def _petition_council(c: Any, org: Organisation) -> Sequence[str]:
    return (_council_of_constituency(org, _petition_constituency(org, c.petition)),)


def _move_councils(c: cmd.MoveElector, org: Organisation) -> Sequence[str]:
    return tuple(sorted({_council_of_elector(org, c.elector), _council_of_constituency(org, c.to)}))


def _import_councils(c: cmd.ImportRoll, org: Organisation) -> Sequence[str]:
    if c.constituency is not None:
        return (_council_of_constituency(org, c.constituency),)
    # Every named roll is replaced: its councils', and those the register names.
    named = {k.council for k in where(org.constituencies, roll="named")}
    for entry in c.members:
        named.add(_council_of_constituency(org, entry.constituency))
    return tuple(sorted(named))


def _elector_council(c: cmd.RemoveElector, org: Organisation) -> Sequence[str]:
    return (_council_of_elector(org, c.elector),)


def _convener(c: Any, org: Organisation) -> Sequence[str]:
    return (get_congress(org, c.congress).convened_by,)


def _congress(c: Any, _org: Organisation) -> Sequence[str]:
    return (c.congress,)


# "Themselves only" conditions.
def _opens_as_self(c: cmd.OpenRecall, p: Principal, _org: Organisation) -> bool:
    return c.opened_by == p.member


def _signs_as_self(c: cmd.SignRecall, p: Principal, _org: Organisation) -> bool:
    return list(c.electors) == [p.member]


def _withdraws_own(c: cmd.WithdrawSignature, p: Principal, _org: Organisation) -> bool:
    return c.elector == p.member


def _number(p: Principal) -> int | None:
    held = p.credential
    return None if held is None else held[1]


def _own_credentials(c: Any, p: Principal, _org: Organisation) -> bool:
    return list(c.credentials) == [_number(p)]


def _casts_own(c: cmd.CastVote, p: Principal, _org: Organisation) -> bool:
    return c.credential == _number(p)


def _moves_as_self(c: cmd.TableMotion, p: Principal, _org: Organisation) -> bool:
    return c.mover == _number(p)


def _own_motion(c: cmd.WithdrawMotion, p: Principal, org: Organisation) -> bool:
    motion = get_congress(org, c.congress).motions.get(c.motion)
    return motion is not None and motion.mover == _number(p)


def _registers_self(c: cmd.RegisterAttendance, p: Principal, org: Organisation) -> bool:
    congress = get_congress(org, c.congress)
    return congress.self_registration and c.group is None and list(c.credentials) == [_number(p)]


def _secretary(scope: Scope, text: str) -> Grant:
    return Grant("secretary", scope, text)


_ADMIN = Grant("admin", lambda _c, _org: ("",), "")
_CHAIR = Grant("chair", _congress, "congress")
_COMMITTEE = Grant("credentials-committee", _congress, "congress")
_OF_COUNCIL = _secretary(_f("council"), "council")
_OF_CONSTITUENCY = _secretary(
    _council_via_constituency("constituency"), "council of the constituency"
)


# --- orders: units, oversight committees, commissioners, countersigned orders ---
def _unit_council(c: Any, org: Organisation) -> Sequence[str]:
    return (order_rules.get_unit(org, c.unit).council,)


def _unit_overseer(c: Any, org: Organisation) -> Sequence[str]:
    """The committee overseeing the command's unit ("" when none: nobody holds it)."""
    return (order_rules.get_unit(org, c.unit).committee or "",)


def _order_committee(c: Any, org: Organisation) -> Sequence[str]:
    return (order_rules.get_order(org, c.order).committee,)


def _order_unit_council(c: Any, org: Organisation) -> Sequence[str]:
    unit = order_rules.get_order(org, c.order).unit
    return (order_rules.get_unit(org, unit).council,)


def _issues_as_self(c: cmd.IssueOrder, p: Principal, _org: Organisation) -> bool:
    return c.by_commissioner and c.issuer == p.member


def _signs_own(c: Any, p: Principal, _org: Organisation) -> bool:
    return bool(c.member == p.member)


def _takes_as_self(c: cmd.TakeAction, p: Principal, _org: Organisation) -> bool:
    return c.taken_by == p.member


def _order_permissions() -> list[Permission]:
    c = cmd
    unit_secretary = _secretary(_unit_council, "council of the unit")
    overseer = Grant("oversight-member", _unit_overseer, "committee overseeing the unit")
    own_signature = Grant(
        "oversight-member", _order_committee, "order's committee", _signs_own, "member is their own"
    )
    return [
        Permission(c.FormOversightCommittee, (_OF_COUNCIL,)),
        Permission(c.CreateUnit, (_OF_COUNCIL,)),
        Permission(c.PlaceUnit, (unit_secretary,)),
        Permission(c.AppointCommissioner, (overseer,)),
        Permission(c.RecallCommissioner, (overseer,)),
        # A commissioner issues in their own name; a secretary enters a body's order.
        Permission(
            c.IssueOrder,
            (
                Grant(
                    "unit-commissioner",
                    _f("unit"),
                    "unit",
                    _issues_as_self,
                    "issuer is their own member id, by_commissioner",
                ),
                unit_secretary,
            ),
            {"issuer": "member"},
        ),
        Permission(c.CountersignOrder, (own_signature,), {"member": "member"}),
        Permission(c.ReturnOrder, (own_signature,), {"member": "member"}),
        Permission(
            c.TakeAction,
            (
                Grant(
                    "unit-commissioner", _f("unit"), "unit", _takes_as_self, "taken_by is their own"
                ),
                unit_secretary,
            ),
            {"taken_by": "member"},
        ),
    ]


# --- weighted votes, proxies, mandates against votes (issue 11) ---
def _gives_own(c: cmd.GrantProxy | cmd.RevokeProxy, p: Principal, _org: Organisation) -> bool:
    return c.giver == _number(p)


def _mandate_council(c: cmd.BindMandate, org: Organisation) -> Sequence[str]:
    mandate = org.mandates.get(c.mandate)
    if mandate is None:
        raise UnknownEntity("mandate", c.mandate)
    return (_council_of_constituency(org, mandate.constituency),)


def _recalls_as_self(c: cmd.RecallOnMandate, p: Principal, _org: Organisation) -> bool:
    return c.opened_by == p.member


def _weighting_permissions() -> list[Permission]:
    c = cmd
    return [
        Permission(c.DeclareWeight, (_COMMITTEE,)),
        Permission(
            c.GrantProxy,
            (Grant("delegate", _congress, "congress", _gives_own, "giver is their own"), _CHAIR),
            {"giver": "credential"},
        ),
        Permission(
            c.RevokeProxy,
            (Grant("delegate", _congress, "congress", _gives_own, "giver is their own"), _CHAIR),
            {"giver": "credential"},
        ),
        Permission(
            c.BindMandate,
            (_secretary(_mandate_council, "council of the mandate's constituency"),),
        ),
        Permission(
            c.RecallOnMandate,
            (
                Grant(
                    "elector",
                    _f("constituency"),
                    "constituency",
                    _recalls_as_self,
                    "opened_by is their own member id",
                ),
                _OF_CONSTITUENCY,
            ),
            {"opened_by": "member"},
        ),
    ]


# --- executive: council of commissioners, department heads, decrees ---
def _council_congress(c: Any, org: Organisation) -> Sequence[str]:
    return (executive_rules.get_commissioners_council(org, c.council).congress,)


def _decree_congress(c: Any, org: Organisation) -> Sequence[str]:
    d = executive_rules.get_executive_decree(org, c.registry)
    return (executive_rules.get_commissioners_council(org, d.council).congress,)


def _heads_department(c: cmd.IssueDecree, p: Principal, org: Organisation) -> bool:
    return bool(
        where(
            org.department_heads,
            council=c.council,
            department=c.department,
            member=p.member,
            dismissed_on=None,
        )
    )


def _signs_decree_as_self(c: cmd.SignDecree, p: Principal, _org: Organisation) -> bool:
    return c.signer == p.member


def _executive_permissions() -> list[Permission]:
    c = cmd
    # The congress (its chair enters the congress's and its executive committee's
    # decisions) appoints, dismisses, grants powers and ratifies (003:25469-25487).
    chair = Grant("chair", _council_congress, "congress of the council")
    decree_chair = Grant("chair", _decree_congress, "congress of the decree's council")
    head = Grant(
        "department-head", _f("council"), "council", _heads_department, "heads the department"
    )
    return [
        Permission(c.FormCommissionersCouncil, (_CHAIR,)),
        Permission(c.AppointDepartmentHead, (chair,)),
        Permission(c.DismissDepartmentHead, (chair,)),
        Permission(c.GrantUrgentPowers, (chair,)),
        Permission(c.VoteConfidence, (chair,)),
        # A decree the ratifying body or the congress adopts itself is entered by the
        # congress's chair, as its other decisions are.
        Permission(
            c.IssueDecree,
            (
                head,
                Grant(
                    "chair",
                    _council_congress,
                    "congress of the council",
                    lambda c, _p, _org: c.adopted_by is not None or c.congress_decree is not None,
                    "adopted_by or congress_decree is set",
                ),
            ),
        ),
        Permission(c.RatifyDecree, (decree_chair,)),
        Permission(c.AnnulDecree, (decree_chair,)),
        Permission(c.LapseDecree, (decree_chair,)),
        # Keys are enrolled with the instance, like accounts; each signatory signs in
        # their own name with a key the engine never sees.
        Permission(c.RegisterSigningKey, (_ADMIN,)),
        Permission(
            c.SignDecree,
            (
                Grant(
                    "signatory",
                    _f("registry"),
                    "decree",
                    _signs_decree_as_self,
                    "signer is their own",
                ),
            ),
            {"signer": "member"},
        ),
    ]


# --- list assemblies (issue 12) ---
def _assembly_permissions() -> list[Permission]:
    # An assembly elected from lists has no secretary, no chair and no electors in the
    # engine: the returning officer who enters lists and results is the instance admin.
    c = cmd
    return [
        Permission(k, (_ADMIN,))
        for k in (
            c.CreateAssembly,
            c.RegisterPartyList,
            c.RecordListVotes,
            c.AllocateAssemblySeats,
            c.AttributeSplit,
            c.OpenAssembly,
            c.EmpowerAssemblyRecall,
            c.RecallAssemblyMember,
            c.DissolveAssembly,
        )
    ]


# --- consent: workers' control (Decree No. 1, 003:5747-5787) ---
def _consent_rule_council(c: Any, org: Organisation) -> Sequence[str]:
    return (consent_rules.get_rule(org, c.rule).council,)


def _consent_action_council(c: Any, org: Organisation) -> Sequence[str]:
    a = consent_rules.get_action(org, c.number)
    return (consent_rules.get_rule(org, a.rule).council,)


def _consent_permissions() -> list[Permission]:
    """The council's secretary enters each step (the committees and the management act
    on paper; they hold no accounts of their own yet)."""
    c = cmd
    of_rule = _secretary(_consent_rule_council, "council of the consent rule")
    of_action = _secretary(_consent_action_council, "council of the action's consent rule")
    return [
        Permission(c.SetUpConsentRule, (_OF_COUNCIL,)),
        Permission(c.ProposeAction, (of_rule,)),
        Permission(c.ConsentToAction, (of_action,)),
        Permission(c.RefuseAction, (of_action,)),
        Permission(c.EscalateAction, (of_action,)),
        Permission(c.ChallengeAction, (of_action,)),
        Permission(c.DecideAction, (of_action,)),
        Permission(c.ApplyConsentDefault, (of_action,)),
    ]


def _table() -> dict[type[cmd.Command], Permission]:
    c = cmd
    member = {"opened_by": "member"}
    entries = [
        Permission(c.CreateCouncil, (_ADMIN,)),
        Permission(c.AppointSecretary, (_ADMIN, _OF_COUNCIL)),
        Permission(c.DismissSecretary, (_ADMIN, _OF_COUNCIL)),
        # Council set-up, by its secretaries.
        Permission(c.ArrangeSections, (_OF_COUNCIL,)),
        Permission(c.CreateConstituency, (_OF_COUNCIL,)),
        Permission(c.SetHeadcount, (_OF_CONSTITUENCY,)),
        Permission(c.ChangeCouncil, (_OF_COUNCIL,)),
        Permission(c.RenameCouncil, (_OF_COUNCIL,)),
        Permission(c.RemoveCouncil, (_OF_COUNCIL,)),
        Permission(c.ChangeConstituency, (_OF_CONSTITUENCY,)),
        Permission(c.RenameConstituency, (_OF_CONSTITUENCY,)),
        Permission(c.RemoveConstituency, (_OF_CONSTITUENCY,)),
        Permission(c.DissolveCouncil, (_OF_COUNCIL,)),
        # Rolls and elections.
        Permission(c.EnrolElectors, (_OF_CONSTITUENCY,)),
        Permission(
            c.MoveElector,
            (_secretary(_move_councils, "councils of the elector's roll and of to"),),
        ),
        Permission(
            c.ImportRoll,
            (
                _secretary(
                    _import_councils,
                    "council of the constituency (without one: of every named roll)",
                ),
            ),
        ),
        Permission(
            c.RemoveElector,
            (
                _secretary(
                    lambda x, org: (_council_of_elector(org, x.elector),), "elector's council"
                ),
            ),
        ),
        Permission(c.ElectDelegates, (_OF_CONSTITUENCY,)),
        Permission(c.AdoptMandate, (_OF_CONSTITUENCY,)),
        # Recall: electors for themselves; a secretary enters a paper petition.
        Permission(
            c.OpenRecall,
            (
                Grant(
                    "elector",
                    _f("constituency"),
                    "constituency",
                    _opens_as_self,
                    "opened_by is their own member id",
                ),
                _OF_CONSTITUENCY,
            ),
            member,
        ),
        Permission(
            c.SignRecall,
            (
                Grant(
                    "elector",
                    _petition_home,
                    "petition's constituency",
                    _signs_as_self,
                    "electors is [their own member id]",
                ),
                _secretary(_petition_council, "council of the petition's constituency"),
            ),
            {"electors": "members"},
        ),
        Permission(
            c.WithdrawSignature,
            (
                Grant(
                    "elector",
                    _petition_home,
                    "petition's constituency",
                    _withdraws_own,
                    "their own signature",
                ),
                _secretary(_petition_council, "council of the petition's constituency"),
            ),
            {"elector": "member"},
        ),
        # Congresses: the call, by the convening council's secretaries.
        Permission(c.CallCongress, (_secretary(_f("convened_by"), "council convened_by names"),)),
        Permission(c.PostponeCongress, (_secretary(_convener, "council convening the congress"),)),
        Permission(c.PresentCredential, (_secretary(_f("sent_by"), "council sent_by names"),)),
        Permission(c.ElectCongressDelegates, (_OF_COUNCIL,)),
        # Credentials.
        Permission(c.RuleOnCredential, (_COMMITTEE,)),
        Permission(c.RuleOnCredentials, (_COMMITTEE,)),
        Permission(c.ReconsiderCredential, (_COMMITTEE,)),
        # The session, run by the chair.
        Permission(c.OpenCongress, (_CHAIR,)),
        Permission(c.CloseCongress, (_CHAIR,)),
        Permission(c.ElectCommittee, (_CHAIR,)),
        Permission(c.ElectPost, (_CHAIR,)),
        Permission(c.AdoptAgenda, (_CHAIR,)),
        Permission(c.OrderMotions, (_CHAIR,)),
        Permission(c.OpenVote, (_CHAIR,)),
        Permission(c.CloseVote, (_CHAIR,)),
        Permission(
            c.RegisterAttendance,
            (
                Grant(
                    "delegate",
                    _congress,
                    "congress",
                    _registers_self,
                    "credentials is [their own], no group, where the call allows self-registration",
                ),
                _CHAIR,
            ),
            {"credentials": "credentials"},
        ),
        # Delegates, for themselves.
        Permission(
            c.DeclareGroup,
            (
                Grant(
                    "delegate",
                    _congress,
                    "congress",
                    _own_credentials,
                    "credentials is [their own]",
                ),
                _CHAIR,
            ),
            {"credentials": "credentials"},
        ),
        Permission(
            c.TableMotion,
            (Grant("delegate", _congress, "congress", _moves_as_self, "mover is their own"),),
            {"mover": "credential"},
        ),
        Permission(
            c.WithdrawMotion,
            (
                Grant("delegate", _congress, "congress", _own_motion, "their own motion"),
                _CHAIR,
            ),
        ),
        Permission(
            c.CastVote,
            (Grant("delegate", _congress, "congress", _casts_own, "credential is their own"),),
            {"credential": "credential"},
        ),
        # weighted votes, proxies, mandates against votes (issue 11)
        *_weighting_permissions(),
    ]
    entries += _order_permissions()  # orders
    entries += _executive_permissions()  # --- executive ---
    entries += _assembly_permissions()  # --- list assemblies ---
    entries += _consent_permissions()  # --- consent ---
    return {p.command: p for p in entries}


PERMISSIONS: dict[type[cmd.Command], Permission] = _table()


def permission(command_type: type[cmd.Command]) -> Permission:
    """The permission entry of a command class (KeyError: none, which a test forbids)."""
    return PERMISSIONS[command_type]


def authorize(command: cmd.Command, principal: Principal, org: Organisation) -> Role:
    """The role under which ``principal`` may ask for ``command`` in state ``org``, or
    :class:`Forbidden` naming what was needed. An unknown name in the command (its
    constituency, petition, congress) raises the rules' ``UnknownEntity``."""
    entry = PERMISSIONS[type(command)]
    needed: list[str] = []
    for grant in entry.grants:
        scopes = grant.scope(command, org)
        held = [Role(grant.kind, s) for s in scopes]
        if all(holds(principal, role, org) for role in held) and (
            grant.own is None or grant.own(command, principal, org)
        ):
            return held[0]
        names = " and ".join(str(r) for r in held)
        needed.append(f"{names} ({grant.note})" if grant.note else names)
    raise Forbidden(f"{type(command).__name__} needs: " + ", or ".join(needed))


def self_values(principal: Principal) -> dict[str, Any]:
    """The values ``self_fields`` stand for, for this principal (absent: not theirs)."""
    out: dict[str, Any] = {}
    if principal.member is not None:
        out["member"] = principal.member
        out["members"] = [principal.member]
    held = principal.credential
    if held is not None:
        out["credential"] = held[1]
        out["credentials"] = [held[1]]
    return out


def actor(principal: Principal, role: Role) -> str:
    """What the ledger records as the actor: the account and the role it acted in."""
    return f"account:{principal.account_id}/{role.kind}"
