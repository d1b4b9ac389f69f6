"""The congress rules: each function decides one command and returns its event.

Convening (003:2855-2883), credentials (003:2541-2545, 15625-15627, 24036-24040), quorum
(003:46725-46730), groups and walk-outs (003:24216-24242), proportional committees
(000:871-875, 003:23897-23907), votes by show of hands, division, roll call or secret
ballot (003:16801-16807, 003:5434-5438), decrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from soviet.count.apportion import ApportionmentError, rule_from_config
from soviet.count.ballots import RankedBallots
from soviet.count.methods import count as count_ballots
from soviet.count.result import ElectionResult
from soviet.count.ties import Lot
from soviet.domain import events as ev
from soviet.domain.congress import CHOICES, Congress, Credential, Motion, VoteRecord
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.rules import RIGHTS, Candidate, GroupList, count_election

MAJORITIES = ("simple", "absolute")
STAGES = ("amendment", "basis", "final")
MODES = ("show-of-hands", "division", "roll-call", "secret")


def _iso(date: dt.date) -> str:
    return date.isoformat()


def get_congress(org: Organisation, name: str) -> Congress:
    """The congress called ``name`` or UnknownEntity."""
    try:
        return org.congresses[name]
    except KeyError:
        raise UnknownEntity("congress", name) from None


def _credential(congress: Congress, number: int) -> Credential:
    try:
        return congress.credentials[number]
    except KeyError:
        raise UnknownEntity("credential", number) from None


def _motion(congress: Congress, number: int) -> Motion:
    try:
        return congress.motions[number]
    except KeyError:
        raise UnknownEntity("motion", number) from None


def _vote(congress: Congress, number: int) -> VoteRecord:
    try:
        return congress.votes[number]
    except KeyError:
        raise UnknownEntity("vote", number) from None


def _not_closed(congress: Congress) -> None:
    if congress.status == "closed":
        raise DomainError(
            f"congress {congress.name!r} is closed", field="congress", value=congress.name
        )


def _is_open(congress: Congress) -> None:
    if congress.status != "open":
        raise DomainError(
            f"congress {congress.name!r} is {congress.status}, not in session",
            field="congress",
            value=congress.name,
        )


def parse_quorum(text: str) -> int | Fraction:
    """A quorum: a number of delegates (``400``) or a share of the seated (``1/2``)."""
    try:
        if "/" in text or "." in text:
            share = Fraction(text)
            if not 0 < share <= 1:
                raise ValueError
            return share
        number = int(text)
        if number < 0:
            raise ValueError
        return number
    except (ValueError, ZeroDivisionError):
        raise DomainError(
            f"quorum must be a number of delegates (400) or a share (1/2), got {text!r}",
            field="quorum",
            value=text,
        ) from None


def quorum_needed(congress: Congress) -> int:
    """How many seated, present, voting delegates the congress needs to decide anything."""
    quorum = parse_quorum(congress.quorum)
    if isinstance(quorum, int):
        return quorum
    seated = sum(1 for c in congress.seated() if c.rights == "voice-and-vote")
    # a share of the seated: the smallest whole number at or above it
    return -((-quorum.numerator * seated) // quorum.denominator)


def _check_quorum(congress: Congress) -> None:
    present = len(congress.entitled_present())
    needed = quorum_needed(congress)
    if present < needed:
        raise DomainError(
            f"no quorum in {congress.name!r}: {present} voting delegates present, {needed} needed",
            field="quorum",
            value=present,
        )


# --- convening -----------------------------------------------------------------------
def _has_authority(org: Organisation, body: str, congress: str, previous: str | None) -> bool:
    council = org.councils.get(body)
    if council is not None:
        return congress in council.may_convene or "*" in council.may_convene
    # An executive committee elected by the previous congress may convene the next one.
    prior, _, committee = body.partition("/")
    if previous is None or prior != previous or prior not in org.congresses:
        return False
    elected = org.congresses[prior].committees.get(committee)
    return elected is not None and elected.kind == "executive" and elected.mandate_ended_on is None


def call_congress(
    org: Organisation,
    name: str,
    convened_by: str,
    date: dt.date,
    opens_on: dt.date,
    *,
    quorum: str,
    senders: Mapping[str, int] | None = None,
    seat_rule: Mapping[str, Any] | None = None,
    sending_councils: Sequence[str] = (),
    max_credential_age_days: int | None = None,
    previous: str | None = None,
    credentials_committee: str | None = None,
) -> Event:
    """A convening call: body, date, delegates per sending body, quorum.

    The call appoints the credentials committee that rules on credentials until the
    congress elects its own (default: the convening body itself).

    ``senders`` fixes the numbers; or ``seat_rule`` allots them over the electors of
    ``sending_councils`` (one per 25,000, D'Hondt over 300 seats...). Only a body with
    authority may convene: a council whose ``may_convene`` names the congress, or the
    executive committee (``CONGRESS/COMMITTEE``) of the previous congress. A call from
    any other body is refused; its meeting would be a private conference (003:2855-2883).
    """
    if not name.strip():
        raise DomainError("congress name must not be empty", field="name", value=name)
    if name in org.congresses:
        raise AlreadyExists("congress", name)
    if previous is not None:
        get_congress(org, previous)
    if not _has_authority(org, convened_by, name, previous):
        raise DomainError(
            f"{convened_by!r} has no authority to convene {name!r}: its meeting would be a "
            "private conference, not a congress",
            field="convened_by",
            value=convened_by,
        )
    if opens_on < date:
        raise DomainError(
            f"opening date {opens_on} is before the call ({date})",
            field="opens_on",
            value=_iso(opens_on),
        )
    parse_quorum(quorum)
    numbers = _sender_numbers(org, senders, seat_rule, sending_councils)
    if max_credential_age_days is not None and max_credential_age_days <= 0:
        raise DomainError(
            f"max_credential_age_days must be positive, got {max_credential_age_days}",
            field="max_credential_age_days",
            value=max_credential_age_days,
        )
    return ev.CongressCalled(
        name=name,
        convened_by=convened_by,
        date=date,
        opens_on=opens_on,
        quorum=quorum,
        senders=numbers,
        max_credential_age_days=max_credential_age_days,
        previous=previous,
        credentials_committee=credentials_committee or convened_by,
    )


def _sender_numbers(
    org: Organisation,
    senders: Mapping[str, int] | None,
    seat_rule: Mapping[str, Any] | None,
    sending_councils: Sequence[str],
) -> dict[str, int]:
    if (senders is None) == (seat_rule is None):
        raise DomainError(
            "give either fixed numbers per sending body or a seat rule over sending councils",
            field="senders",
            value=senders,
        )
    if senders is not None:
        for body, number in senders.items():
            if number < 0:
                raise DomainError(
                    f"{body!r} may send {number} delegates: must be 0 or more",
                    field="senders",
                    value=number,
                )
        if not senders:
            raise DomainError("no sending bodies given", field="senders", value={})
        return dict(senders)
    assert seat_rule is not None
    if not sending_councils:
        raise DomainError("no sending councils given", field="sending_councils", value=[])
    electors = {}
    for council in sending_councils:
        if council not in org.councils:
            raise UnknownEntity("council", council)
        electors[council] = sum(c.headcount for c in org.constituencies_of(council))
    config = dict(seat_rule)
    total = config.pop("seats", None)
    try:
        return rule_from_config(config).allocate(electors, total).seats
    except ApportionmentError as exc:
        raise DomainError(f"seat_rule: {exc}", field="seat_rule", value=seat_rule) from None


def postpone(org: Organisation, congress: str, by: str, opens_on: dt.date, date: dt.date) -> Event:
    """The convening body moves the opening date of a congress not yet open."""
    c = get_congress(org, congress)
    if by != c.convened_by:
        raise DomainError(
            f"only {c.convened_by!r}, which convened {congress!r}, may postpone it",
            field="by",
            value=by,
        )
    if c.status != "called":
        raise DomainError(f"congress {congress!r} is already {c.status}", field="congress")
    if opens_on <= date:
        raise DomainError(
            f"new opening date {opens_on} is not after {date}",
            field="opens_on",
            value=_iso(opens_on),
        )
    return ev.CongressPostponed(congress=congress, by=by, opens_on=opens_on, date=date)


# --- credentials -----------------------------------------------------------------------
def present_credential(
    org: Organisation,
    congress: str,
    delegate: str,
    sent_by: str,
    elected_on: dt.date,
    date: dt.date,
    *,
    rights: str = "voice-and-vote",
    group: str | None = None,
) -> Event:
    """A delegate presents a credential; the automatic checks are recorded with it."""
    c = get_congress(org, congress)
    _not_closed(c)
    if not delegate.strip():
        raise DomainError("delegate name must not be empty", field="delegate", value=delegate)
    if rights not in RIGHTS:
        raise DomainError(
            f"rights must be one of {RIGHTS}, got {rights!r}", field="rights", value=rights
        )
    if elected_on > date:
        raise DomainError(
            f"elected on {elected_on}, after the credential was presented ({date})",
            field="elected_on",
            value=_iso(elected_on),
        )
    problems = _credential_problems(c, delegate, sent_by, elected_on)
    return ev.CredentialPresented(
        congress=congress,
        number=max(c.credentials, default=0) + 1,
        delegate=delegate,
        sent_by=sent_by,
        elected_on=elected_on,
        rights=rights,
        group=group,
        problems=problems,
        date=date,
    )


def _credential_problems(
    c: Congress, delegate: str, sent_by: str, elected_on: dt.date, pending: Sequence[str] = ()
) -> list[str]:
    """The automatic checks: entitled body within its number, one credential per
    delegate, an election not older than the call allows. ``pending`` are names being
    credentialled in the same event, ahead of this one."""
    problems = []
    if sent_by not in c.senders:
        problems.append(f"{sent_by!r} is not entitled to send delegates")
    else:
        if c.credentials_from(sent_by) + len(pending) >= c.senders[sent_by]:
            problems.append(f"{sent_by!r} has already sent its {c.senders[sent_by]} delegates")
    other = c.credential_of(delegate)
    if other is not None and other.status != "rejected":
        problems.append(f"{delegate!r} already holds credential {other.number}")
    elif delegate in pending:
        problems.append(f"{delegate!r} is elected twice")
    age = (c.opens_on - elected_on).days
    if c.max_credential_age_days is not None and age > c.max_credential_age_days:
        problems.append(
            f"elected {age} days before the opening; the call allows "
            f"{c.max_credential_age_days} ('When were you elected?')"
        )
    return problems


def elect_congress_delegates(
    org: Organisation,
    congress: str,
    council: str,
    candidates: Sequence[Candidate],
    date: dt.date,
    *,
    method: str = "block",
    seats: int | None = None,
    lists: Sequence[GroupList] = (),
    rankings: Sequence[tuple[Sequence[str], int]] = (),
    seed: int | None = None,
) -> Event:
    """A lower council elects its delegates to the congress; each winner gets a credential.

    The council votes with the same election counting as a constituency (plurality,
    block, a PR method over groups, closed lists, or ballots). The number to elect is
    what the call allots the council, less the credentials it already holds; the
    automatic checks are recorded on each credential, for the credentials committee.
    """
    c = get_congress(org, congress)
    _not_closed(c)
    if council not in org.councils:
        raise UnknownEntity("council", council)
    if council not in c.senders:
        raise DomainError(
            f"council {council!r} is not entitled to send delegates to {congress!r}",
            field="council",
            value=council,
        )
    allotted = c.senders[council] - c.credentials_from(council)
    to_elect = allotted if seats is None else seats
    if not 1 <= to_elect <= allotted:
        raise DomainError(
            f"council {council!r} may elect {allotted} more delegates to {congress!r}, "
            f"not {to_elect}",
            field="seats",
            value=to_elect,
        )
    if lists:
        candidates = [Candidate(name, gl.group) for gl in lists for name in gl.candidates]
    if len({x.name for x in candidates}) != len(candidates) or not candidates:
        raise DomainError("candidates must be given, each once", field="candidates")
    lot = Lot(seed) if seed is not None else Lot()
    winners, tally = count_election(
        candidates, to_elect, method, lot, lists=lists, rankings=rankings
    )
    group_of = {x.name: x.group for x in candidates}
    rights = {x.name: x.rights for x in candidates}
    first = max(c.credentials, default=0) + 1
    credentials: list[ev.IssuedCredential] = []
    for i, name in enumerate(winners):
        problems = _credential_problems(c, name, council, date, pending=winners[:i])
        credentials.append(
            ev.IssuedCredential(
                number=first + i,
                delegate=name,
                group=group_of.get(name),
                rights=rights.get(name, "voice-and-vote"),
                problems=problems,
            )
        )
    return ev.CongressDelegatesElected(
        congress=congress,
        council=council,
        method=method,
        tally=tally,
        credentials=credentials,
        seed=lot.seed,
        tie_breaks=lot.draws,
        date=date,
    )


def rule_on_credential(
    org: Organisation,
    congress: str,
    number: int,
    accept: bool,
    date: dt.date,
    *,
    reason: str | None = None,
    override: bool = False,
) -> Event:
    """The credentials committee accepts or rejects a credential, with its reason.

    The ruling records which committee ruled: the one the call appointed, or the one the
    congress elected (``elect_committee(kind="credentials")``), which takes over.

    A credential with problems from the automatic checks is accepted only by an explicit
    override with a recorded reason; a rejection always needs a reason.
    """
    c = get_congress(org, congress)
    _not_closed(c)
    credential = _credential(c, number)
    if credential.status != "pending":
        raise DomainError(
            f"credential {number} ({credential.delegate}) was already {credential.status}",
            field="credential",
            value=number,
        )
    if not accept and not reason:
        raise DomainError("a rejection needs a reason", field="reason", value=reason)
    if accept and credential.problems and not (override and reason):
        raise DomainError(
            f"credential {number} ({credential.delegate}) failed the checks: "
            f"{'; '.join(credential.problems)}; accept it only as an override with a reason",
            field="credential",
            value=number,
        )
    return ev.CredentialRuled(
        congress=congress,
        number=number,
        accepted=accept,
        override=bool(accept and credential.problems),
        reason=reason,
        committee=c.credentials_committee,
        date=date,
    )


# --- session ---------------------------------------------------------------------------
def _numbers_of(
    congress: Congress, credentials: Sequence[int] | None, group: str | None, present: bool
) -> list[int]:
    if credentials:
        for n in credentials:
            _credential(congress, n)
        if len(set(credentials)) != len(credentials):
            raise DomainError(
                f"a credential is named twice: {list(credentials)}",
                field="credentials",
                value=list(credentials),
            )
        return list(credentials)
    if group is not None:
        found = [x.number for x in congress.seated() if x.group == group and x.present == present]
        if not found:
            state = "present" if present else "absent"
            raise DomainError(
                f"no {state} seated delegate in group {group!r}", field="group", value=group
            )
        return found
    raise DomainError("name credentials or a group", field="credentials", value=None)


def register(
    org: Organisation,
    congress: str,
    date: dt.date,
    *,
    arriving: bool,
    credentials: Sequence[int] | None = None,
    group: str | None = None,
    reason: str | None = None,
) -> Event:
    """Arrivals and departures; a walk-out is a departure (of a group or of delegates)."""
    c = get_congress(org, congress)
    _not_closed(c)
    numbers = _numbers_of(c, credentials, group, present=not arriving)
    for n in numbers:
        credential = c.credentials[n]
        if arriving and not credential.seated:
            raise DomainError(
                f"credential {n} ({credential.delegate}) is {credential.status}, not seated",
                field="credential",
                value=n,
            )
        if credential.present == arriving:
            state = "present" if arriving else "absent"
            raise DomainError(
                f"{credential.delegate} (credential {n}) is already {state}",
                field="credential",
                value=n,
            )
    return ev.AttendanceRecorded(
        congress=congress, credentials=numbers, present=arriving, reason=reason, date=date
    )


def open_congress(org: Organisation, congress: str, date: dt.date) -> Event:
    """Open the session; a new congress ends the mandate of the previous one's executive."""
    c = get_congress(org, congress)
    if c.status != "called":
        raise DomainError(f"congress {congress!r} is already {c.status}", field="congress")
    if date < c.opens_on:
        raise DomainError(
            f"{congress!r} is called for {c.opens_on}, not {date}",
            field="date",
            value=_iso(date),
        )
    ended: ev.EndedMandate | None = None
    if c.previous is not None:
        previous = org.congresses[c.previous]
        for committee in previous.committees.values():
            if committee.kind == "executive" and committee.mandate_ended_on is None:
                ended = ev.EndedMandate(congress=previous.name, committee=committee.name)
    return ev.CongressOpened(congress=congress, date=date, ended_committee=ended)


def close_congress(org: Organisation, congress: str, date: dt.date) -> Event:
    """Close the congress; no open vote may remain."""
    c = get_congress(org, congress)
    _is_open(c)
    for vote in c.votes.values():
        if vote.status == "open":
            raise DomainError(f"vote {vote.number} is still open", field="vote", value=vote.number)
    return ev.CongressClosed(congress=congress, date=date)


def declare_group(
    org: Organisation,
    congress: str,
    credentials: Sequence[int],
    group: str | None,
    date: dt.date,
) -> Event:
    """Delegates declare or change their group (``None``: leave every group)."""
    c = get_congress(org, congress)
    _not_closed(c)
    numbers = _numbers_of(c, credentials, None, present=True)
    for n in numbers:
        if c.credentials[n].group == group:
            raise DomainError(
                f"{c.credentials[n].delegate} (credential {n}) is already in group {group!r}",
                field="group",
                value=group,
            )
    return ev.GroupDeclared(congress=congress, credentials=numbers, group=group, date=date)


# --- committees and posts ------------------------------------------------------------
def elect_committee(
    org: Organisation,
    congress: str,
    committee: str,
    seats: int,
    date: dt.date,
    *,
    kind: str = "executive",
    method: str = "dhondt",
    declined: Sequence[str] = (),
    declined_seats: str = "redistribute",
    candidates: Mapping[str, Sequence[str]] | None = None,
    group_sizes: Mapping[str, int] | None = None,
    rankings: Sequence[tuple[Sequence[str], int]] = (),
    seed: int | None = None,
) -> Event:
    """Elect a presidium or executive committee in proportion to the groups.

    Groups are the seated, present delegates' groups, or ``group_sizes`` when the
    congress votes on declared strengths. Declining groups (003:23897-23907) either leave
    their seats empty (``declined_seats="empty"``) or are left out of the count so that
    the seats go to the others (``"redistribute"``). Members come from each group's
    ``candidates`` in order, or are named ``GROUP member k``. With ``rankings`` (ranked
    ballots over the candidates) the committee is elected by an STV method instead, and
    ``candidates`` maps each group to its candidates so members keep their group.
    """
    c = get_congress(org, congress)
    _is_open(c)
    _check_quorum(c)
    if kind not in ("presidium", "executive", "credentials"):
        raise DomainError(
            f"kind must be presidium, executive or credentials, got {kind!r}",
            field="kind",
            value=kind,
        )
    if committee in c.committees:
        raise AlreadyExists("committee", committee)
    if seats <= 0:
        raise DomainError(f"seats must be positive, got {seats}", field="seats", value=seats)
    if declined_seats not in ("empty", "redistribute"):
        raise DomainError(
            f"declined_seats must be 'empty' or 'redistribute', got {declined_seats!r}",
            field="declined_seats",
            value=declined_seats,
        )
    if rankings:
        return _committee_by_ballots(
            congress, committee, kind, seats, method, candidates or {}, rankings, seed, date
        )
    sizes = dict(group_sizes) if group_sizes is not None else c.group_sizes(present_only=True)
    for group in declined:
        if group not in sizes:
            raise DomainError(
                f"no group {group!r} to decline (groups: {sorted(sizes)})",
                field="declined",
                value=group,
            )
    weights = {g: n for g, n in sizes.items() if declined_seats == "empty" or g not in declined}
    lot = Lot(seed) if seed is not None else Lot()
    try:
        allocation = rule_from_config({"method": method}).allocate(weights, seats, lot=lot)
    except ApportionmentError as exc:
        raise DomainError(f"method {method!r}: {exc}", field="method", value=method) from None
    members: list[ev.ElectedMember] = []
    for group, n in allocation.seats.items():
        if group in declined:
            continue
        names = list((candidates or {}).get(group, []))
        if names and len(names) < n:
            raise DomainError(
                f"group {group!r} won {n} seats but named {len(names)} candidates",
                field="candidates",
                value=group,
            )
        names = names or [f"{group} member {k}" for k in range(1, n + 1)]
        members.extend(ev.ElectedMember(name=name, group=group) for name in names[:n])
    return ev.CommitteeElected(
        congress=congress,
        committee=committee,
        kind=kind,
        method=method,
        seats=seats,
        allocation=allocation.seats,
        declined=list(declined),
        declined_seats=declined_seats,
        group_sizes=sizes,
        members=members,
        date=date,
        steps={"seed": lot.seed, "tie_breaks": lot.draws},
    )


def _committee_by_ballots(
    congress: str,
    committee: str,
    kind: str,
    seats: int,
    method: str,
    candidates: Mapping[str, Sequence[str]],
    rankings: Sequence[tuple[Sequence[str], int]],
    seed: int | None,
    date: dt.date,
) -> Event:
    if not method.startswith("stv"):
        raise DomainError(
            f"ranked ballots elect a committee by stv-scottish or stv-meek, not {method!r}",
            field="method",
            value=method,
        )
    group_of = {name: group for group, names in candidates.items() for name in names}
    lot = Lot(seed) if seed is not None else Lot()
    result = _count_rankings(rankings, method, seats, lot, extra=list(group_of))
    allocation: dict[str, int] = {}
    for name in result.elected:
        group = group_of.get(name) or "(no group)"
        allocation[group] = allocation.get(group, 0) + 1
    return ev.CommitteeElected(
        congress=congress,
        committee=committee,
        kind=kind,
        method=method,
        seats=seats,
        allocation=allocation,
        declined=[],
        declined_seats="empty",
        group_sizes={},
        members=[{"name": n, "group": group_of.get(n)} for n in result.elected],
        steps={"rounds": len(result.rounds), "seed": lot.seed, "tie_breaks": lot.draws},
        date=date,
    )


def elect_post(
    org: Organisation,
    congress: str,
    post: str,
    date: dt.date,
    *,
    candidates: Sequence[Candidate] = (),
    rankings: Sequence[tuple[Sequence[str], int]] = (),
    method: str = "plurality",
    seed: int | None = None,
) -> Event:
    """Elect a chair or another single post by a single-winner method.

    Aggregated counts (``candidates`` with votes) are counted by plurality; ranked
    ballots (``rankings``: order of names and how many ballots) by any method of the
    counting engine (irv, schulze, ranked-pairs, borda, two-round, plurality).
    """
    c = get_congress(org, congress)
    _is_open(c)
    _check_quorum(c)
    if post in c.committees:
        raise AlreadyExists("post", post)
    lot = Lot(seed) if seed is not None else Lot()
    groups = {cand.name: cand.group for cand in candidates}
    if rankings:
        result = _count_rankings(rankings, method, 1, lot, extra=list(groups))
        winner = result.elected[0]
        tally: dict[str, int] = {}
    else:
        if not candidates:
            raise DomainError("no candidates given", field="candidates", value=[])
        best = max(cand.votes for cand in candidates)
        winner = lot.choose([x.name for x in candidates if x.votes == best], f"post {post}")
        tally = {cand.name: cand.votes for cand in candidates}
        method = "plurality"
    return ev.CommitteeElected(
        congress=congress,
        committee=post,
        kind="post",
        method=method,
        seats=1,
        allocation={},
        declined=[],
        declined_seats="empty",
        group_sizes={},
        members=[{"name": winner, "group": groups.get(winner)}],
        steps={"tally": tally, "seed": lot.seed, "tie_breaks": lot.draws},
        date=date,
    )


def _count_rankings(
    rankings: Sequence[tuple[Sequence[str], int]],
    method: str,
    seats: int,
    lot: Lot,
    *,
    extra: Sequence[str] = (),
) -> ElectionResult:
    names = sorted({name for ranking, _ in rankings for name in ranking} | set(extra))
    try:
        ballots = RankedBallots.from_rankings(
            names, [r for r, _ in rankings], [n for _, n in rankings]
        )
        return count_ballots(method, ballots, seats=seats, lot=lot)
    except ValueError as exc:
        raise DomainError(f"ballots: {exc}", field="rankings", value=method) from None


# --- motions and votes -----------------------------------------------------------------
def _speaker(congress: Congress, credential: int) -> Credential:
    c = _credential(congress, credential)
    if not c.seated:
        raise DomainError(
            f"{c.delegate} (credential {credential}) is not seated and can neither move nor speak",
            field="credential",
            value=credential,
        )
    if not c.present:
        raise DomainError(
            f"{c.delegate} (credential {credential}) is not present",
            field="credential",
            value=credential,
        )
    return c


def table_motion(
    org: Organisation,
    congress: str,
    title: str,
    text: str,
    mover: int,
    date: dt.date,
    *,
    amends: int | None = None,
    decree: bool = False,
    urgent: bool = False,
    without_debate: bool = False,
    item: str | None = None,
) -> Event:
    """A seated, present delegate (with vote or voice only) moves a motion or amendment,
    under an item of the agenda when the congress adopted one."""
    c = get_congress(org, congress)
    _is_open(c)
    _speaker(c, mover)
    if item is not None and item not in c.agenda:
        raise DomainError(
            f"{item!r} is not on the agenda of {congress!r} ({c.agenda or 'no agenda adopted'})",
            field="item",
            value=item,
        )
    if not title.strip():
        raise DomainError("motion title must not be empty", field="title", value=title)
    if amends is not None:
        target = _motion(c, amends)
        if target.amends is not None:
            raise DomainError(
                f"motion {amends} is itself an amendment", field="amends", value=amends
            )
        if target.status not in ("tabled", "basis"):
            raise DomainError(
                f"motion {amends} is {target.status} and can no longer be amended",
                field="amends",
                value=amends,
            )
        if decree:
            raise DomainError("an amendment cannot be a decree", field="decree", value=decree)
    return ev.MotionTabled(
        congress=congress,
        number=max(c.motions, default=0) + 1,
        title=title,
        text=text,
        mover=mover,
        amends=amends,
        decree=decree,
        urgent=urgent,
        without_debate=without_debate,
        item=item,
        date=date,
    )


def adopt_agenda(org: Organisation, congress: str, items: Sequence[str], date: dt.date) -> Event:
    """The congress adopts (or replaces) its agenda: an ordered list of items."""
    c = get_congress(org, congress)
    _is_open(c)
    if not items or any(not i.strip() for i in items) or len(set(items)) != len(items):
        raise DomainError(
            f"an agenda is a list of distinct, non-empty items, got {list(items)}",
            field="items",
            value=list(items),
        )
    return ev.AgendaAdopted(congress=congress, items=list(items), date=date)


def order_motions(
    org: Organisation, congress: str, order: Sequence[int], date: dt.date, *, decided_by: str
) -> Event:
    """The chair or a vote sets the order in which competing motions are put."""
    c = get_congress(org, congress)
    _is_open(c)
    for n in order:
        _motion(c, n)
    if len(set(order)) != len(order) or not order:
        raise DomainError(f"bad order {list(order)}", field="order", value=list(order))
    if decided_by != "chair" and not decided_by.startswith("vote "):
        raise DomainError(
            f"decided_by must be 'chair' or 'vote N', got {decided_by!r}",
            field="decided_by",
            value=decided_by,
        )
    return ev.MotionsOrdered(congress=congress, order=list(order), decided_by=decided_by, date=date)


def withdraw_motion(org: Organisation, congress: str, motion: int, date: dt.date) -> Event:
    """The mover withdraws a motion not yet decided."""
    c = get_congress(org, congress)
    m = _motion(c, motion)
    if m.status not in ("tabled", "basis"):
        raise DomainError(f"motion {motion} is {m.status}", field="motion", value=motion)
    return ev.MotionWithdrawn(congress=congress, motion=motion, date=date)


def _parse_majority(text: str) -> Fraction | None:
    if text in MAJORITIES:
        return None
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        value = Fraction(-1)
    if not Fraction(1, 2) <= value < 1:
        raise DomainError(
            f"majority must be simple, absolute or a fraction from 1/2 below 1 such as 2/3, "
            f"got {text!r}",
            field="majority",
            value=text,
        )
    return value


def open_vote(
    org: Organisation,
    congress: str,
    motion: int,
    date: dt.date,
    *,
    stage: str = "final",
    mode: str = "show-of-hands",
    majority: str = "simple",
    abstentions: str = "ignored",
    supersedes: int | None = None,
) -> Event:
    """Put a motion to the vote (quorum first; amendments before the motion they amend).

    A division may be demanded after a show of hands on the same question and
    supersedes it (003:16801-16807).
    """
    c = get_congress(org, congress)
    _is_open(c)
    m = _motion(c, motion)
    if stage not in STAGES:
        raise DomainError(f"stage must be one of {STAGES}, got {stage!r}", field="stage")
    if mode not in MODES:
        raise DomainError(f"mode must be one of {MODES}, got {mode!r}", field="mode", value=mode)
    _parse_majority(majority)
    if abstentions not in ("ignored", "count-against"):
        raise DomainError(
            f"abstentions must be 'ignored' or 'count-against', got {abstentions!r}",
            field="abstentions",
            value=abstentions,
        )
    for other in c.votes.values():
        if other.status == "open":
            raise DomainError(
                f"vote {other.number} on motion {other.motion} is still open",
                field="vote",
                value=other.number,
            )
    if supersedes is not None:
        earlier = _vote(c, supersedes)
        if mode != "division" or earlier.mode != "show-of-hands":
            raise DomainError(
                "only a division can supersede, and only a show of hands",
                field="supersedes",
                value=supersedes,
            )
        if earlier.status != "closed" or earlier.motion != motion or earlier.stage != stage:
            raise DomainError(
                f"vote {supersedes} is not a closed show of hands on this question",
                field="supersedes",
                value=supersedes,
            )
        if any(v.supersedes == supersedes for v in c.votes.values()):
            raise DomainError(
                f"a division was already taken on vote {supersedes}",
                field="supersedes",
                value=supersedes,
            )
    else:
        _check_stage(c, m, stage)
    _check_quorum(c)
    return ev.VoteOpened(
        congress=congress,
        vote=max(c.votes, default=0) + 1,
        motion=motion,
        stage=stage,
        mode=mode,
        majority=majority,
        abstentions=abstentions,
        supersedes=supersedes,
        date=date,
    )


def _check_stage(c: Congress, m: Motion, stage: str) -> None:
    if m.status not in ("tabled", "basis"):
        raise DomainError(f"motion {m.number} is {m.status}", field="motion", value=m.number)
    if stage == "amendment" and m.amends is None:
        raise DomainError(f"motion {m.number} is not an amendment", field="stage", value=stage)
    if stage != "amendment" and m.amends is not None:
        raise DomainError(
            f"motion {m.number} is an amendment: vote on it at stage 'amendment'",
            field="stage",
            value=stage,
        )
    if stage == "basis" and m.status == "basis":
        raise DomainError(
            f"motion {m.number} is already adopted as a basis", field="stage", value=stage
        )
    if stage == "final":
        pending = [
            a.number for a in c.motions.values() if a.amends == m.number and a.status == "tabled"
        ]
        if pending:
            raise DomainError(
                f"amendments {pending} to motion {m.number} must be voted first",
                field="motion",
                value=m.number,
            )


def cast(
    org: Organisation, congress: str, vote: int, credential: int, choice: str, date: dt.date
) -> Event:
    """A delegate votes in a roll call or a secret ballot.

    For a secret ballot the event records only *that* the delegate voted; the choice goes
    to the ballot box, which keeps no link to the voter (see the application layer).
    """
    c = get_congress(org, congress)
    v = _vote(c, vote)
    if v.status != "open":
        raise DomainError(f"vote {vote} is closed", field="vote", value=vote)
    if v.mode not in ("roll-call", "secret"):
        raise DomainError(
            f"vote {vote} is a {v.mode}: it is counted, not cast one by one",
            field="vote",
            value=vote,
        )
    if choice not in CHOICES:
        raise DomainError(
            f"choice must be one of {CHOICES}, got {choice!r}", field="choice", value=choice
        )
    who = _credential(c, credential)
    if not who.seated:
        raise DomainError(
            f"{who.delegate} (credential {credential}) is not seated",
            field="credential",
            value=credential,
        )
    if who.rights != "voice-and-vote":
        raise DomainError(
            f"{who.delegate} (credential {credential}) has a voice but no vote",
            field="credential",
            value=credential,
        )
    if not who.present:
        raise DomainError(
            f"{who.delegate} (credential {credential}) has left the congress",
            field="credential",
            value=credential,
        )
    if credential in v.roll or credential in v.voted:
        raise DomainError(
            f"{who.delegate} (credential {credential}) has already voted in vote {vote}",
            field="credential",
            value=credential,
        )
    return ev.BallotCast(
        congress=congress,
        vote=vote,
        credential=credential,
        date=date,
        choice=choice if v.mode == "roll-call" else None,
    )


def close_vote(
    org: Organisation,
    congress: str,
    vote: int,
    date: dt.date,
    *,
    counts: Mapping[str, int] | None = None,
    ballot_box: Sequence[str] = (),
) -> Event:
    """Close a vote: count, apply the majority rule, record who was entitled and present.

    Show of hands and division take ``counts`` (for, against, abstain); roll calls are
    counted from the roll; secret ballots from ``ballot_box``, whose size must equal the
    number who voted. Ties fail. A carried final vote on a decree makes a decree.
    """
    c = get_congress(org, congress)
    v = _vote(c, vote)
    if v.status != "open":
        raise DomainError(f"vote {vote} is already closed", field="vote", value=vote)
    entitled = [x.number for x in c.seated() if x.rights == "voice-and-vote"]
    present = [x.number for x in c.entitled_present()]
    tally = _tally(v, counts, ballot_box, len(present))
    carried = _carried(v, tally, len(entitled))
    m = c.motions[v.motion]
    if v.stage == "amendment":
        status = "adopted" if carried else "rejected"
    elif v.stage == "basis":
        status = "basis" if carried else "rejected"
    else:
        status = "adopted" if carried else "rejected"
    decree: ev.AdoptedDecree | None = None
    if carried and v.stage == "final" and m.decree:
        decree = ev.AdoptedDecree(
            number=max(org.decrees, default=0) + 1,
            title=m.title,
            text=m.text,
            amendments=sorted(
                a.number
                for a in c.motions.values()
                if a.amends == m.number and a.status == "adopted"
            ),
        )
    return ev.VoteClosed(
        congress=congress,
        vote=vote,
        counts=tally,
        ballots=sorted(ballot_box) if v.mode == "secret" else [],
        entitled=entitled,
        present=present,
        carried=carried,
        motion_status=status,
        decree=decree,
        date=date,
    )


def _tally(
    v: VoteRecord, counts: Mapping[str, int] | None, box: Sequence[str], present: int
) -> dict[str, int]:
    if v.mode in ("show-of-hands", "division"):
        if counts is None:
            raise DomainError(
                f"a {v.mode} needs the counts for, against and abstaining",
                field="counts",
                value=None,
            )
        unknown = set(counts) - set(CHOICES)
        if unknown:
            raise DomainError(
                f"counts has unknown keys {sorted(unknown)}", field="counts", value=dict(counts)
            )
        tally: dict[str, int] = {k: int(counts.get(k, 0)) for k in CHOICES}
        if any(n < 0 for n in tally.values()):
            raise DomainError(
                f"counts must be 0 or more: {tally}", field="counts", value=dict(counts)
            )
    elif counts is not None:
        raise DomainError(
            f"a {v.mode} is counted from its ballots; counts cannot be given",
            field="counts",
            value=dict(counts),
        )
    elif v.mode == "roll-call":
        tally = {k: sum(1 for x in v.roll.values() if x == k) for k in CHOICES}
    else:
        if len(box) != len(v.voted):
            raise DomainError(
                f"the ballot box holds {len(box)} ballots but {len(v.voted)} delegates voted",
                field="ballot_box",
                value=len(box),
            )
        tally = {k: sum(1 for x in box if x == k) for k in CHOICES}
    if sum(tally.values()) > present:
        raise DomainError(
            f"{sum(tally.values())} votes counted but only {present} voting delegates are present",
            field="counts",
            value=tally,
        )
    return tally


def _carried(v: VoteRecord, tally: Mapping[str, int], entitled: int) -> bool:
    yes, no, abstain = tally["for"], tally["against"], tally["abstain"]
    if v.abstentions == "count-against":
        no += abstain
    share = _parse_majority(v.majority)
    if v.majority == "simple":
        return yes > no
    if v.majority == "absolute":
        return 2 * yes > entitled
    assert share is not None
    return yes > no and yes >= share * (yes + no)
