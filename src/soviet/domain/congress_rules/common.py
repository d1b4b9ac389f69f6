"""Lookups, the state checks every congress rule makes, and the quorum (003:46725-46730)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from soviet.domain.congress import Congress, Credential, Motion, VoteRecord
from soviet.domain.errors import DomainError, UnknownEntity
from soviet.domain.limits import CODE_MAX
from soviet.domain.model import Organisation

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
        if not text.isascii() or len(text) > CODE_MAX:  # Fraction and int() take "٣"
            raise ValueError
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
    seated = congress.seated_count(rights="voice-and-vote")
    # a share of the seated: the smallest whole number at or above it
    return -((-quorum.numerator * seated) // quorum.denominator)


def _check_quorum(congress: Congress) -> None:
    present = congress.seated_count(rights="voice-and-vote", present=True)
    needed = quorum_needed(congress)
    if present < needed:
        raise DomainError(
            f"no quorum in {congress.name!r}: {present} voting delegates present, {needed} needed",
            field="quorum",
            value=present,
        )
