"""Credentials: presented or issued by a lower council's election, checked, ruled on by the
credentials committee (003:2541-2545, 15625-15627, 24036-24040).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from soviet.count.ties import Lot
from soviet.domain import events as ev
from soviet.domain.congress import Congress, Credential
from soviet.domain.congress_rules.common import (
    _credential,
    _iso,
    _not_closed,
    get_congress,
)
from soviet.domain.errors import DomainError, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.records import next_number, where
from soviet.domain.rules import RIGHTS, Candidate, GroupList, count_election


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
    if sent_by in org.councils:
        _check_own_delegate(org, c, sent_by, delegate, "delegate")
    problems = _credential_problems(c, delegate, sent_by, elected_on)
    return ev.CredentialPresented(
        congress=congress,
        number=next_number(c.credentials),
        delegate=delegate,
        sent_by=sent_by,
        elected_on=elected_on,
        rights=rights,
        group=group,
        problems=problems,
        date=date,
    )


def _check_own_delegate(
    org: Organisation, c: Congress, council: str, name: str, field: str
) -> None:
    """A council sends its own sitting delegates, unless the call allows others."""
    if c.outside_delegates:
        return
    for d in where(org.delegates, name=name, status="sitting"):
        if org.constituencies[d.constituency].council == council:
            return
    raise DomainError(
        f"{name!r} is not a sitting delegate of council {council!r}, and the call of "
        f"{c.name!r} does not allow outside delegates (--outside-delegates)",
        field=field,
        value=name,
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
    for x in candidates:
        _check_own_delegate(org, c, council, x.name, "candidate")
    lot = Lot(seed) if seed is not None else Lot()
    winners, tally = count_election(
        candidates, to_elect, method, lot, lists=lists, rankings=rankings
    )
    group_of = {x.name: x.group for x in candidates}
    rights = {x.name: x.rights for x in candidates}
    first = next_number(c.credentials)
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
    overridden = _check_ruling(_credential(c, number), accept, reason, override)
    if not accept and not reason:
        raise DomainError("a rejection needs a reason", field="reason", value=reason)
    return ev.CredentialRuled(
        congress=congress,
        number=number,
        accepted=accept,
        override=overridden,
        reason=reason,
        committee=c.credentials_committee,
        date=date,
    )


def _check_ruling(credential: Credential, accept: bool, reason: str | None, override: bool) -> bool:
    """Refuse ruling on a credential already ruled, or accepting one that failed the
    checks without an override and a reason; True when the acceptance is an override."""
    if credential.status != "pending":
        raise DomainError(
            f"credential {credential.number} ({credential.delegate}) was already "
            f"{credential.status}",
            field="credential",
            value=credential.number,
        )
    if accept and credential.problems and not (override and reason):
        raise DomainError(
            f"credential {credential.number} ({credential.delegate}) failed the checks: "
            f"{'; '.join(credential.problems)}; accept it only as an override with a reason",
            field="credential",
            value=credential.number,
        )
    return bool(accept and credential.problems)


def rule_on_credentials(
    org: Organisation,
    congress: str,
    numbers: Sequence[int] | None,
    accept: bool,
    date: dt.date,
    *,
    reason: str | None = None,
    override: bool = False,
) -> Event:
    """The credentials committee rules on several pending credentials in one ruling.

    ``numbers=None`` means every pending credential that passed the automatic checks
    ("all clean"; acceptance only). The rules of :func:`rule_on_credential` apply to each:
    a rejection needs a reason, and a credential that failed the checks is accepted only
    as an override with a reason. One bad number refuses the whole ruling.
    """
    c = get_congress(org, congress)
    _not_closed(c)
    if numbers is None:
        if not accept:
            raise DomainError(
                "only an acceptance can take every clean credential", field="all_clean", value=True
            )
        chosen = [x for x in where(c.credentials, status="pending") if not x.problems]
        if not chosen:
            raise DomainError(
                f"{congress!r} has no pending credential that passed the checks",
                field="all_clean",
                value=True,
            )
    else:
        if not numbers:
            raise DomainError("name at least one credential", field="credentials", value=[])
        if len(set(numbers)) != len(numbers):
            raise DomainError(
                f"credentials repeat a number: {list(numbers)}",
                field="credentials",
                value=list(numbers),
            )
        chosen = [_credential(c, n) for n in numbers]
    if not accept and not reason:
        raise DomainError("a rejection needs a reason", field="reason", value=reason)
    overridden = [x.number for x in chosen if _check_ruling(x, accept, reason, override)]
    return ev.CredentialsRuled(
        congress=congress,
        numbers=sorted(x.number for x in chosen),
        accepted=accept,
        overridden=overridden,
        reason=reason,
        committee=c.credentials_committee,
        date=date,
    )


def reconsider_credential(
    org: Organisation, congress: str, number: int, accept: bool, reason: str, date: dt.date
) -> Event:
    """The credentials committee reverses its ruling on a credential, with a recorded reason.

    Only a ruled credential can be reconsidered, only to the other ruling, and only
    before the congress closes. Seating a delegate whose credential failed the automatic
    checks is recorded as an override.
    """
    c = get_congress(org, congress)
    _not_closed(c)
    credential = _credential(c, number)
    if credential.status == "pending":
        raise DomainError(
            f"credential {number} ({credential.delegate}) has not been ruled on yet: "
            "accept or reject it",
            field="credential",
            value=number,
        )
    wanted = "accepted" if accept else "rejected"
    if credential.status == wanted:
        raise DomainError(
            f"credential {number} ({credential.delegate}) is already {wanted}",
            field="credential",
            value=number,
        )
    if not reason or not reason.strip():
        raise DomainError("a reconsidered ruling needs a reason", field="reason", value=reason)
    return ev.CredentialReconsidered(
        congress=congress,
        number=number,
        accepted=accept,
        was=credential.status,
        override=bool(accept and credential.problems),
        reason=reason,
        committee=c.credentials_committee,
        date=date,
    )
