"""Commands of weighted votes, proxies and mandates that bind a vote (issue 11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from soviet.application.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class DeclareWeight(Command):
    """Declare the weight of a credential's ballot in weighted votes (the electors its
    delegate stands for); without ``weight``, weigh it by its constituency again."""

    congress: str
    credential: int
    date: dt.date
    weight: int | None = None


@dataclass(frozen=True, kw_only=True)
class GrantProxy(Command):
    """A delegate gives their vote to another delegate (where the call allows proxies)."""

    congress: str
    giver: int
    holder: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RevokeProxy(Command):
    """A delegate takes back the vote they gave."""

    congress: str
    giver: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class BindMandate(Command):
    """A constituency's mandate binds its delegate's vote on a congress motion."""

    mandate: int
    congress: str
    motion: int
    position: str  # for, against or free
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecallOnMandate(Command):
    """Open a recall petition against a constituency's delegates who voted against
    their mandate in a congress vote, citing that vote."""

    congress: str
    vote: int
    constituency: str
    opened_by: str
    date: dt.date
