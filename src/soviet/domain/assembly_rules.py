"""The rules of list assemblies (issue 12): create, register lists, record votes,
allocate seats with the counting engine, attribute a split party's members; no recall.

Each rule reads the state and returns the one event that records the decision, or raises
a ``DomainError`` naming the field and value. The lists close on the assembly's closing
date and are frozen from then (no second list for a party, no reorder), so a party that
split after closing keeps one list, as the SRs did (000:2988-3013).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from soviet.count.apportion import ApportionmentError, rule_from_config
from soviet.count.lists import list_election
from soviet.count.names import DIVISOR_METHODS, QUOTAS
from soviet.domain import events as ev
from soviet.domain.assembly import LIST_KINDS, SCOPES, SPLIT_RULES, Assembly
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity, shown
from soviet.domain.model import Organisation

LIST_RULES: tuple[str, ...] = (*DIVISOR_METHODS, *QUOTAS)
"""The counting engine's list rules an assembly may use (a threshold is optional)."""


def get_assembly(org: Organisation, name: str) -> Assembly:
    """The assembly called ``name`` or UnknownEntity."""
    try:
        return org.assemblies[name]
    except KeyError:
        raise UnknownEntity("assembly", name) from None


def _district(a: Assembly, district: str) -> None:
    if district not in a.districts:
        raise DomainError(
            f"district {shown(district)} is not a district of assembly {a.name!r}",
            field="district",
            value=district,
        )


def create_assembly(
    org: Organisation,
    name: str,
    districts: Mapping[str, int],
    rule: Mapping[str, str],
    scope: str,
    lists: str,
    closing: dt.date,
    term_days: int,
    date: dt.date,
    opening_quorum: int | None = None,
) -> ev.AssemblyCreated:
    """A new list assembly; its seat rule must be one of the engine's list rules, its
    ``opening_quorum`` (deputies needed at the first sitting) at most its seats."""
    if not name.strip():
        raise DomainError("assembly name must not be empty", field="name", value=name)
    if name in org.assemblies:
        raise AlreadyExists("assembly", name)
    if not districts:
        raise DomainError("an assembly needs at least one district", field="districts", value={})
    for d, seats in districts.items():
        if not d.strip():
            raise DomainError("district name must not be empty", field="districts", value=d)
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise DomainError(
                f"districts[{d!r}]: {shown(seats)} is not a positive number of seats",
                field="districts",
                value=seats,
            )
    method = rule.get("method")
    if method not in LIST_RULES:
        raise DomainError(
            f"rule method {shown(method)} is not a list rule (one of {', '.join(LIST_RULES)})",
            field="rule",
            value=method,
        )
    try:
        rule_from_config(rule)
    except ApportionmentError as exc:
        raise DomainError(f"rule: {exc}", field="rule", value=dict(rule)) from None
    if scope not in SCOPES:
        raise DomainError(
            f"scope {shown(scope)} is not one of {', '.join(SCOPES)}", field="scope", value=scope
        )
    if lists not in LIST_KINDS:
        raise DomainError(
            f"lists {shown(lists)} is not one of {', '.join(LIST_KINDS)}",
            field="lists",
            value=lists,
        )
    if closing < date:
        raise DomainError(
            f"closing {closing} is before the assembly is created ({date})",
            field="closing",
            value=closing.isoformat(),
        )
    if term_days < 1:
        raise DomainError(
            f"term_days {term_days} is not a positive number of days",
            field="term_days",
            value=term_days,
        )
    seats = sum(districts.values())
    if opening_quorum is not None and not 1 <= opening_quorum <= seats:
        raise DomainError(
            f"opening_quorum {shown(opening_quorum)} is not between 1 and the {seats} seats",
            field="opening_quorum",
            value=opening_quorum,
        )
    return ev.AssemblyCreated(
        name=name,
        opening_quorum=opening_quorum,
        districts=dict(districts),
        rule={k: str(v) for k, v in rule.items()},
        scope=scope,
        lists=lists,
        closing=closing,
        term_days=term_days,
        date=date,
    )


def register_list(
    org: Organisation,
    assembly: str,
    party: str,
    district: str,
    candidates: Sequence[str],
    date: dt.date,
) -> ev.PartyListRegistered:
    """A party's ordered list in a district, up to the closing date and once only."""
    a = get_assembly(org, assembly)
    if date > a.closing:
        raise DomainError(
            f"date {date} is after the lists of assembly {assembly!r} closed ({a.closing}): "
            "lists are frozen",
            field="date",
            value=date.isoformat(),
        )
    _district(a, district)
    if not party.strip():
        raise DomainError("party must not be empty", field="party", value=party)
    if (district, party) in a.party_lists:
        raise DomainError(
            f"party {party!r} already has a list in district {district!r}: lists are frozen "
            "once registered (no second list, no reorder)",
            field="party",
            value=party,
        )
    if not candidates:
        raise DomainError("a list needs at least one candidate", field="candidates", value=[])
    standing = {c: pl for pl in a.party_lists.values() for c in pl.candidates}
    seen: set[str] = set()
    for c in candidates:
        if not c.strip() or c in seen:
            raise DomainError(
                f"candidate {shown(c)} is empty or listed twice", field="candidates", value=c
            )
        seen.add(c)
        if c in standing:
            pl = standing[c]
            raise DomainError(
                f"candidate {c!r} already stands on the {pl.party!r} list in {pl.district!r}",
                field="candidates",
                value=c,
            )
    return ev.PartyListRegistered(
        assembly=assembly, party=party, district=district, candidates=list(candidates), date=date
    )


def record_list_votes(
    org: Organisation,
    assembly: str,
    district: str,
    votes: Mapping[str, int],
    personal: Mapping[str, int] | None,
    date: dt.date,
) -> ev.ListVotesRecorded:
    """A district's votes per list (and personal votes, open lists only)."""
    a = get_assembly(org, assembly)
    _district(a, district)
    if a.allocated_on is not None:
        raise DomainError(
            f"assembly {assembly!r} seats were allocated on {a.allocated_on}: its votes are final",
            field="assembly",
            value=assembly,
        )
    if date < a.closing:
        raise DomainError(
            f"date {date} is before the lists closed ({a.closing})",
            field="date",
            value=date.isoformat(),
        )
    if not votes:
        raise DomainError("votes must name at least one list", field="votes", value={})
    for party, v in votes.items():
        if (district, party) not in a.party_lists:
            raise DomainError(
                f"votes[{party!r}]: party {party!r} has no list in district {district!r}",
                field="votes",
                value=party,
            )
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise DomainError(
                f"votes[{party!r}]: {shown(v)} is not a non-negative number of votes",
                field="votes",
                value=v,
            )
    if personal is not None:
        if a.lists == "closed":
            raise DomainError(
                f"assembly {assembly!r} has closed lists: no personal votes",
                field="personal",
                value=dict(personal),
            )
        listed = {c for (d, _), pl in a.party_lists.items() if d == district for c in pl.candidates}
        for c, v in personal.items():
            if c not in listed or isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise DomainError(
                    f"personal[{c!r}]: {shown(v)} is not a non-negative vote for a candidate "
                    f"listed in {district!r}",
                    field="personal",
                    value=c,
                )
    return ev.ListVotesRecorded(
        assembly=assembly,
        district=district,
        votes=dict(votes),
        personal=dict(personal) if personal is not None else None,
        date=date,
    )


def _fill(a: Assembly, district: str, seats: Mapping[str, int]) -> dict[str, list[str]]:
    """Fill ``seats`` per party from its list in ``district``: list order, or personal
    votes for open lists (ties in list order, as ``count.lists`` does)."""
    out: dict[str, list[str]] = {}
    personal = a.personal.get(district) if a.lists == "open" else None
    for party, n in seats.items():
        if n <= 0:
            continue
        cands = list(a.party_lists[(district, party)].candidates)
        if personal is not None:
            cands.sort(key=lambda c: -personal.get(c, 0))
        out[party] = cands[:n]  # a short list leaves seats vacant (count.lists' rule)
    return out


def allocate_seats(org: Organisation, assembly: str, date: dt.date) -> ev.AssemblySeatsAllocated:
    """Allocate the seats with the counting engine once every district has voted.

    ``district`` scope: ``count.lists.list_election`` in each district. ``national``
    scope: the rule apportions the house among the parties' national totals, then each
    party's seats among its district lists by the same rule on its district votes."""
    a = get_assembly(org, assembly)
    if a.allocated_on is not None:
        raise DomainError(
            f"assembly {assembly!r} seats were already allocated on {a.allocated_on}",
            field="assembly",
            value=assembly,
        )
    missing = [d for d in a.districts if d not in a.votes]
    if missing:
        raise DomainError(
            f"district {missing[0]!r} of assembly {assembly!r} has no votes recorded",
            field="district",
            value=missing[0],
        )
    last_vote = a.closing
    if date < last_vote:
        raise DomainError(
            f"date {date} is before the lists closed ({a.closing})",
            field="date",
            value=date.isoformat(),
        )
    rule = rule_from_config(a.rule)
    members: dict[str, dict[str, list[str]]] = {}
    try:
        if a.scope == "district":
            for d, n in a.districts.items():
                lists = {p: a.party_lists[(d, p)].candidates for p in a.votes[d]}
                personal = a.personal.get(d, {}) if a.lists == "open" else None
                res = list_election(a.votes[d], lists, n, rule, open_votes=personal)
                by_party = res.details["elected_by_party"]
                members[d] = {p: list(ms) for p, ms in by_party.items() if ms}
        else:
            national: dict[str, int] = {}
            for d in a.districts:
                for p, v in a.votes[d].items():
                    national[p] = national.get(p, 0) + v
            party_seats = rule.allocate(national, a.total_seats).seats
            per_district: dict[str, dict[str, int]] = {d: {} for d in a.districts}
            for p, n in party_seats.items():
                if n <= 0:
                    continue
                weights = {d: a.votes[d][p] for d in a.districts if p in a.votes[d]}
                # the party's own split among districts has no threshold
                split = rule_from_config({"method": a.rule["method"]}).allocate(weights, n).seats
                for d, k in split.items():
                    per_district[d][p] = k
            for d in a.districts:
                filled = _fill(a, d, per_district[d])
                if filled:
                    members[d] = filled
    except ApportionmentError as exc:
        raise DomainError(f"allocation: {exc}", field="assembly", value=assembly) from None
    seats: dict[str, int] = {}
    for by_party in members.values():
        for p, ms in by_party.items():
            seats[p] = seats.get(p, 0) + len(ms)
    return ev.AssemblySeatsAllocated(
        assembly=assembly,
        members=members,
        seats=dict(sorted(seats.items(), key=lambda kv: (-kv[1], kv[0]))),
        date=date,
    )


def attribute_split(
    org: Organisation,
    assembly: str,
    party: str,
    rule: str,
    successors: Sequence[str],
    date: dt.date,
    *,
    positions: Mapping[str, Sequence[int]] | None = None,
    affiliation: Mapping[str, str] | None = None,
) -> ev.SplitAttributed:
    """Attribute the elected members of a party that split after closing to its
    successor groups: by ``positions`` (successor -> 1-based list positions, in every
    district) or by declared ``affiliation`` (member -> successor). Every member must be
    attributed, to exactly one successor."""
    a = get_assembly(org, assembly)
    if a.allocated_on is None:
        raise DomainError(
            f"assembly {assembly!r} has no seats allocated yet", field="assembly", value=assembly
        )
    if date <= a.closing:
        raise DomainError(
            f"date {date} is not after the lists closed ({a.closing}): a party that split "
            "before closing registers its own lists",
            field="date",
            value=date.isoformat(),
        )
    if party in a.attribution:
        raise AlreadyExists("split of party", party)
    elected = {d: by[party] for d, by in a.members.items() if party in by}
    if not elected:
        raise DomainError(
            f"party {party!r} has no members in assembly {assembly!r}", field="party", value=party
        )
    if rule not in SPLIT_RULES:
        raise DomainError(
            f"rule {shown(rule)} is not one of {', '.join(SPLIT_RULES)}", field="rule", value=rule
        )
    if len(successors) < 2 or len(set(successors)) != len(successors):
        raise DomainError(
            "a split needs at least two distinct successor groups",
            field="successors",
            value=list(successors),
        )
    attribution: dict[str, str] = {}
    if rule == "positions":
        if positions is None or affiliation is not None:
            raise DomainError(
                "rule 'positions' takes positions (and no affiliation)",
                field="positions",
                value=None,
            )
        group_at: dict[int, str] = {}
        for g, ps in positions.items():
            if g not in successors:
                raise DomainError(
                    f"positions[{g!r}]: {g!r} is not a successor", field="positions", value=g
                )
            for p in ps:
                if p in group_at:
                    raise DomainError(
                        f"position {p} is given to both {group_at[p]!r} and {g!r}",
                        field="positions",
                        value=p,
                    )
                group_at[p] = g
        for d, ms in elected.items():
            order = a.party_lists[(d, party)].candidates
            for m in ms:
                pos = order.index(m) + 1
                if pos not in group_at:
                    raise DomainError(
                        f"member {m!r} (position {pos} in {d!r}) is attributed to no successor",
                        field="positions",
                        value=pos,
                    )
                attribution[m] = group_at[pos]
    else:
        if affiliation is None or positions is not None:
            raise DomainError(
                "rule 'affiliation' takes affiliation (and no positions)",
                field="affiliation",
                value=None,
            )
        members = {m for ms in elected.values() for m in ms}
        for m, g in affiliation.items():
            if m not in members:
                raise DomainError(
                    f"affiliation[{m!r}]: {m!r} is not an elected member of {party!r}",
                    field="affiliation",
                    value=m,
                )
            if g not in successors:
                raise DomainError(
                    f"affiliation[{m!r}]: {g!r} is not a successor", field="affiliation", value=g
                )
        missing = sorted(members - set(affiliation))
        if missing:
            raise DomainError(
                f"member {missing[0]!r} declared no affiliation",
                field="affiliation",
                value=missing[0],
            )
        attribution = dict(affiliation)
    return ev.SplitAttributed(
        assembly=assembly,
        party=party,
        rule=rule,
        successors=list(successors),
        attribution=attribution,
        date=date,
    )


def empower_recall(
    org: Organisation, assembly: str, by: str, councils: Sequence[str], date: dt.date
) -> ev.AssemblyRecallEmpowered:
    """``by`` (a council or a congress) empowers ``councils`` ("*" for any council) to
    recall the assembly's members, as the recall decree of 21 Nov 1917 empowered the local
    Soviets (003:46760-46770). Without it an assembly sits for its fixed term."""
    a = get_assembly(org, assembly)
    if a.allocated_on is None:
        raise DomainError(
            f"assembly {assembly!r} has no seats allocated yet", field="assembly", value=assembly
        )
    if by not in org.councils and by not in org.congresses:
        raise DomainError(
            f"by {shown(by)} is neither a council nor a congress", field="by", value=by
        )
    if not councils:
        raise DomainError("name the councils empowered, or '*'", field="councils", value=[])
    for c in councils:
        if c != "*" and c not in org.councils:
            raise UnknownEntity("council", c)
    if date < a.allocated_on:
        raise DomainError(
            f"date {date} is before the seats were allocated ({a.allocated_on})",
            field="date",
            value=date.isoformat(),
        )
    return ev.AssemblyRecallEmpowered(
        assembly=assembly, by=by, councils=list(dict.fromkeys(councils)), date=date
    )


def recall_member(
    org: Organisation, assembly: str, member: str, council: str, date: dt.date
) -> ev.AssemblyMemberRecalled:
    """A council recalls a member of the assembly; refused unless a higher body empowered
    it (an assembly elected from party lists sits for its fixed term, 000:2988-3013)."""
    a = get_assembly(org, assembly)
    if member not in a.member_party():
        raise UnknownEntity("assembly member", member)
    if member in a.recalled:
        when, by = a.recalled[member]
        raise DomainError(
            f"member {member!r} of assembly {assembly!r} was already recalled on {when} by {by}",
            field="member",
            value=member,
        )
    if a.recall_empowered_on is None:
        until = f" until {a.term_ends}" if a.term_ends else ""
        raise DomainError(
            f"member {member!r} of assembly {assembly!r} cannot be recalled: an assembly "
            f"elected from party lists sits for its fixed term{until}; no council has been "
            "empowered to recall its members",
            field="member",
            value=member,
        )
    if council not in org.councils:
        raise UnknownEntity("council", council)
    if "*" not in a.recall_councils and council not in a.recall_councils:
        raise DomainError(
            f"council {council!r} is not empowered to recall members of {assembly!r} "
            f"(empowered: {', '.join(a.recall_councils)})",
            field="council",
            value=council,
        )
    if date < a.recall_empowered_on:
        raise DomainError(
            f"date {date} is before recall was empowered ({a.recall_empowered_on})",
            field="date",
            value=date.isoformat(),
        )
    return ev.AssemblyMemberRecalled(assembly=assembly, member=member, council=council, date=date)


def open_assembly(
    org: Organisation, assembly: str, present: int, date: dt.date
) -> ev.AssemblyOpened:
    """The first sitting, once the seats are allocated and, where the assembly has an
    opening quorum, at least that many deputies are present (it was to open only if 400
    had come; 172 had, 003:46725-46730, 46873-46877)."""
    a = get_assembly(org, assembly)
    if a.allocated_on is None:
        raise DomainError(
            f"assembly {assembly!r} has no seats allocated yet", field="assembly", value=assembly
        )
    if a.opened_on is not None:
        raise DomainError(
            f"assembly {assembly!r} already opened on {a.opened_on}",
            field="assembly",
            value=assembly,
        )
    if date < a.allocated_on:
        raise DomainError(
            f"date {date} is before the seats were allocated ({a.allocated_on})",
            field="date",
            value=date.isoformat(),
        )
    filled = len(a.member_party())
    if isinstance(present, bool) or not isinstance(present, int) or not 0 <= present <= filled:
        raise DomainError(
            f"present {shown(present)} is not between 0 and the {filled} members elected",
            field="present",
            value=present,
        )
    if a.opening_quorum is not None and present < a.opening_quorum:
        raise DomainError(
            f"assembly {assembly!r} cannot open on {date}: {present} deputies present, "
            f"{a.opening_quorum} needed",
            field="present",
            value=present,
        )
    return ev.AssemblyOpened(assembly=assembly, present=present, date=date)


def dissolve_assembly(
    org: Organisation, assembly: str, by: str, date: dt.date
) -> ev.AssemblyDissolved:
    """``by`` (a council or a congress) dissolves the assembly; it sits no more (the
    Soviets dissolved the Constituent Assembly the first day it met, 001:261-263)."""
    a = get_assembly(org, assembly)
    if a.allocated_on is None:
        raise DomainError(
            f"assembly {assembly!r} has no seats allocated yet", field="assembly", value=assembly
        )
    if a.dissolved_on is not None:
        raise DomainError(
            f"assembly {assembly!r} was already dissolved on {a.dissolved_on} by {a.dissolved_by}",
            field="assembly",
            value=assembly,
        )
    if by not in org.councils and by not in org.congresses:
        raise DomainError(
            f"by {shown(by)} is neither a council nor a congress", field="by", value=by
        )
    if date < a.allocated_on or (a.opened_on is not None and date < a.opened_on):
        since = a.opened_on or a.allocated_on
        raise DomainError(
            f"date {date} is before the assembly {'opened' if a.opened_on else 'was elected'} "
            f"({since})",
            field="date",
            value=date.isoformat(),
        )
    return ev.AssemblyDissolved(assembly=assembly, by=by, date=date)
