"""Events of weighted votes, proxies and mandates that bind a vote (issue 11).

Weights and proxies belong to a congress's votes; a binding ties a constituency's
mandate to a motion; a recall petition may be opened citing the vote in which its
delegate broke the mandate (docs/decisions/0022-weighted-votes-and-proxies.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from soviet.domain.events.base import Event
from soviet.domain.events.council import NamedReplacement


@dataclass(frozen=True, kw_only=True)
class WeightDeclared(Event):
    """A credential's weight (the electors its delegate stands for) was declared; None
    clears it, and the delegate is weighed by their constituency's headcount again."""

    congress: str
    credential: int
    weight: int | None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ProxyGranted(Event):
    """A delegate gave their vote to another delegate of the congress (one hop)."""

    congress: str
    number: int
    giver: int
    holder: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ProxyRevoked(Event):
    """A standing proxy was revoked (ballots it already cast stay cast)."""

    congress: str
    number: int
    giver: int
    holder: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class MandateBound(Event):
    """A constituency's mandate binds its delegate's vote on a congress motion."""

    number: int
    mandate: int
    constituency: str
    delegate_id: int
    congress: str
    motion: int
    position: str  # for, against or free
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallOpenedOnVote(Event):
    """A recall petition opened against delegates who voted against their mandate in a
    congress vote; the petition is an ordinary one (signed, withdrawn, recalled) that
    cites the vote and the bindings broken."""

    petition: int
    constituency: str
    delegate_ids: list[int]
    opened_by: str
    replacements: list[NamedReplacement]
    congress: str
    vote: int
    bindings: list[int]
    date: dt.date
