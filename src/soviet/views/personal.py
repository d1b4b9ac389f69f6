"""What a page shows one person about their own part: whether they signed a petition,
whether they voted in a vote (and, in a roll call, how: the roll is public anyway).

Reads only; the rules (may they sign, may they vote) stay in the domain and in
``soviet.application.authorization``, which the write decides by. A page uses these to
choose which button to offer, never to allow anything.
"""

from __future__ import annotations

from typing import Any

from soviet.domain import congress_rules, rules
from soviet.domain.errors import UnknownEntity
from soviet.domain.model import Organisation


def petition_standing(org: Organisation, number: int, member: str | None) -> dict[str, Any]:
    """``member``'s place on petition ``number``: on its constituency's roll (``elector``)
    and whether they have signed it (``signed``). ``member`` None: an anonymous reader."""
    petition = rules.get_petition(org, number)
    if member is None:
        return {"elector": False, "signed": False}
    return {
        "elector": org.electors.get(member) == petition.constituency,
        "signed": member in petition.signatures,
    }


def vote_standing(org: Organisation, congress: str, number: int, credential: int) -> dict[str, Any]:
    """Whether credential ``credential`` has voted in vote ``number`` of ``congress``;
    ``choice`` is its choice in a roll call (public) and None in any other mode."""
    c = congress_rules.get_congress(org, congress)
    record = c.votes.get(number)
    if record is None:
        raise UnknownEntity("vote", number)
    if record.mode == "roll-call":
        choice = record.roll.get(credential)
        return {"voted": choice is not None, "choice": choice}
    # A secret vote's state knows who voted, never how.
    return {"voted": credential in record.voted, "choice": None}
