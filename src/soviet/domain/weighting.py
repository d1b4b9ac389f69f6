"""Weighted votes, proxies and mandates that bind a vote: state and how its events change
it (issue 11; docs/decisions/0022-weighted-votes-and-proxies.md).

A congress's proxies and a credential's declared weight live with the congress
(``Congress.proxies``, ``Credential.weight``); what a ballot weighed and who cast it by
proxy live with the vote (``VoteRecord.weights``, ``VoteRecord.proxied``). Here: the
bindings of mandates to motions and the recall petitions opened citing a vote, the
mutators of the new events, and the questions the rules and views ask of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from soviet.domain import events as ev
from soviet.domain.congress import Congress, Credential, Proxy
from soviet.domain.records import where

Position = Literal["for", "against", "free"]
POSITIONS: tuple[Position, ...] = ("for", "against", "free")


@dataclass
class MandateBinding:
    """A mandate's instruction on one motion of a congress: vote for, against, or free.

    A later binding of the same mandate on the same motion replaces the earlier one
    (both stay on the ledger and in the table, numbered)."""

    number: int
    mandate: int
    delegate_id: int
    congress: str
    motion: int
    position: Position
    bound_on: dt.date


@dataclass
class VoteRecall:
    """A recall petition opened citing a vote in which its delegates broke mandates."""

    petition: int
    congress: str
    vote: int
    bindings: list[int] = field(default_factory=list)


class WeightingState(Protocol):
    """What the events of this module change."""

    congresses: MutableMapping[str, Congress]
    mandate_bindings: MutableMapping[int, MandateBinding]
    vote_recalls: MutableMapping[int, VoteRecall]


# --- questions -------------------------------------------------------------------------
def standing_proxy(congress: Congress, giver: int) -> Proxy | None:
    """The giver's proxy not revoked, if any."""
    if not congress.proxies:  # counted once per transaction, not asked once per ballot
        return None
    found = where(congress.proxies, giver=giver, revoked_on=None)
    return found[0] if found else None


def proxies_held(congress: Congress, holder: int) -> list[Proxy]:
    """The standing proxies a delegate holds, by number."""
    return where(congress.proxies, holder=holder, revoked_on=None)


def binding_on(
    org: WeightingState, congress: str, motion: int, mandate: int
) -> MandateBinding | None:
    """The binding in force of a mandate on a motion: the latest."""
    found = where(org.mandate_bindings, congress=congress, motion=motion, mandate=mandate)
    return max(found, key=lambda b: b.number) if found else None


def bindings_on(org: WeightingState, congress: str, motion: int) -> list[MandateBinding]:
    """Every binding in force on a motion (the latest per mandate), by number."""
    latest: dict[int, MandateBinding] = {}
    for b in where(org.mandate_bindings, congress=congress, motion=motion):
        if b.mandate not in latest or b.number > latest[b.mandate].number:
            latest[b.mandate] = b
    return sorted(latest.values(), key=lambda b: b.number)


# --- applying events -------------------------------------------------------------------
def _weight_declared(org: WeightingState, e: ev.WeightDeclared) -> None:
    credential: Credential = org.congresses[e.congress].credentials[e.credential]
    credential.weight = e.weight


def _proxy_granted(org: WeightingState, e: ev.ProxyGranted) -> None:
    org.congresses[e.congress].proxies[e.number] = Proxy(
        number=e.number, giver=e.giver, holder=e.holder, granted_on=e.date
    )


def _proxy_revoked(org: WeightingState, e: ev.ProxyRevoked) -> None:
    org.congresses[e.congress].proxies[e.number].revoked_on = e.date


def _mandate_bound(org: WeightingState, e: ev.MandateBound) -> None:
    org.mandate_bindings[e.number] = MandateBinding(
        number=e.number,
        mandate=e.mandate,
        delegate_id=e.delegate_id,
        congress=e.congress,
        motion=e.motion,
        position=e.position,  # type: ignore[arg-type]  # checked by the rule
        bound_on=e.date,
    )


def _recall_opened_on_vote(org: Any, e: ev.RecallOpenedOnVote) -> None:
    from soviet.domain.model import _recall_opened  # the petition is an ordinary one

    _recall_opened(org, e)  # type: ignore[arg-type]  # the same fields as RecallOpened
    org.vote_recalls[e.petition] = VoteRecall(
        petition=e.petition, congress=e.congress, vote=e.vote, bindings=list(e.bindings)
    )


WEIGHTING_MUTATORS: dict[type[ev.Event], Callable[[Any, Any], None]] = {
    ev.WeightDeclared: _weight_declared,
    ev.ProxyGranted: _proxy_granted,
    ev.ProxyRevoked: _proxy_revoked,
    ev.MandateBound: _mandate_bound,
    ev.RecallOpenedOnVote: _recall_opened_on_vote,
}
