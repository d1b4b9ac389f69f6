"""Committees and posts: presidium and executive in proportion to the groups, declined seats,
committees by ballots, single posts (000:871-875, 003:23897-23907, 003:25529-25535).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from soviet.count.apportion import ApportionmentError, rule_from_config
from soviet.count.ballots import RankedBallots
from soviet.count.methods import count as count_ballots
from soviet.count.result import ElectionResult
from soviet.count.ties import Lot
from soviet.domain import events as ev
from soviet.domain.congress_rules.common import (
    _check_quorum,
    _is_open,
    get_congress,
)
from soviet.domain.errors import AlreadyExists, DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.rules import Candidate


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
    for group in candidates or {}:
        if group not in sizes:
            raise DomainError(
                f"group {group!r} names candidates but is not standing (groups: {sorted(sizes)})",
                field="candidates",
                value=group,
            )
        if group in declined:
            raise DomainError(
                f"group {group!r} names candidates but declines its seats",
                field="candidates",
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
