"""Parsing aggregated counts given on the command line: ``A=326`` and ``A=326:8`` tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["CountParseError", "parse_token", "parse_votes_seats", "parse_weights"]

_INT = re.compile(r"[0-9]+")


class CountParseError(ValueError):
    """A malformed token; the message names the token and the reason."""


def _int(token: str, text: str, what: str) -> int:
    text = text.strip().replace("_", "")
    if text.startswith("-") and _INT.fullmatch(text[1:]):
        raise CountParseError(f"{token!r}: {what} {text} is negative")
    if not _INT.fullmatch(text):
        reason = "is missing" if not text else f"{text!r} is not a whole number"
        raise CountParseError(f"{token!r}: {what} {reason}")
    return int(text)


def parse_token(token: str, *, with_seats: bool = False) -> tuple[str, int, int | None]:
    """``NAME=WEIGHT`` (or ``NAME=VOTES:SEATS`` when ``with_seats``) -> (name, weight, seats)."""
    name, sep, rest = token.partition("=")
    name = name.strip()
    if not sep:
        form = "NAME=VOTES:SEATS" if with_seats else "NAME=WEIGHT"
        raise CountParseError(f"{token!r}: expected {form}")
    if not name:
        raise CountParseError(f"{token!r}: the name before '=' is empty")
    if with_seats:
        votes_text, colon, seats_text = rest.partition(":")
        if not colon:
            raise CountParseError(f"{token!r}: expected NAME=VOTES:SEATS (no ':SEATS')")
        return name, _int(token, votes_text, "votes"), _int(token, seats_text, "seats")
    if ":" in rest:
        raise CountParseError(f"{token!r}: expected NAME=WEIGHT (unexpected ':')")
    return name, _int(token, rest, "weight"), None


def parse_weights(tokens: Sequence[str]) -> dict[str, int]:
    """``["A=326", "B=183"]`` -> ``{"A": 326, "B": 183}`` (order kept, duplicates rejected)."""
    if not tokens:
        raise CountParseError("no NAME=WEIGHT tokens given")
    out: dict[str, int] = {}
    for token in tokens:
        name, weight, _ = parse_token(token)
        if name in out:
            raise CountParseError(f"{token!r}: duplicate name {name!r}")
        out[name] = weight
    return out


def parse_votes_seats(tokens: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """``["A=50:6", "B=30:3"]`` -> (votes, seats)."""
    if not tokens:
        raise CountParseError("no NAME=VOTES:SEATS tokens given")
    votes: dict[str, int] = {}
    seats: dict[str, int] = {}
    for token in tokens:
        name, v, s = parse_token(token, with_seats=True)
        if name in votes:
            raise CountParseError(f"{token!r}: duplicate name {name!r}")
        votes[name] = v
        seats[name] = s if s is not None else 0
    return votes, seats
