"""Weighted votes, proxies and mandates that bind a vote (issue 11; decision 0022).

A weighted vote weighs each delegate's ballot by the electors they represent: a weight
declared on the credential, or else the headcount of the constituency the delegate sits
for in the sending council, shared among its sitting delegates. A delegate may give
their vote to another delegate where the call allows proxies (one hop: neither side may
pass it on); the holder casts both in one action. A constituency's mandate may bind its
delegate's vote on a motion; after a roll call the breaches are listed and a recall
petition can be opened citing the vote (000:985-989: electors may "prepare a mandate to
him, censure him, recall or replace him").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from soviet.domain import events as ev
from soviet.domain.congress import Congress, Credential, VoteRecord
from soviet.domain.congress_rules.common import (
    _credential,
    _iso,
    _motion,
    _not_closed,
    _vote,
    get_congress,
)
from soviet.domain.errors import DomainError, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.model import Constituency, Delegate, Organisation
from soviet.domain.records import next_number, where
from soviet.domain.weighting import (
    POSITIONS,
    bindings_on,
    proxies_held,
    standing_proxy,
)

#: The most a declared weight may be (a bound on the sums kept as integers).
MAX_WEIGHT = 10**9


# --- weights -----------------------------------------------------------------------------
def _share(org: Organisation, k: Constituency, d: Delegate) -> int:
    """The delegate's share of the constituency's headcount: equal shares, the remainder
    one each to the lowest seats, so the shares add up to the headcount exactly."""
    sitting = sorted(org.sitting_delegates(k.name), key=lambda x: (x.seat, x.id))
    n = len(sitting)
    index = next(i for i, x in enumerate(sitting) if x.id == d.id)
    return k.headcount // n + (1 if index < k.headcount % n else 0)


def weight_of(org: Organisation, credential: Credential) -> int:
    """The weight of a credential's ballot: the declared one, or the delegate's share of
    the headcount of the constituency they sit for in the sending council."""
    if credential.weight is not None:
        return credential.weight
    if credential.sent_by in org.councils:
        for d in where(org.delegates, name=credential.delegate, status="sitting"):
            k = org.constituencies[d.constituency]
            if k.council == credential.sent_by:
                return _share(org, k, d)
    raise DomainError(
        f"credential {credential.number} ({credential.delegate}) has no declared weight and "
        f"no constituency of {credential.sent_by!r} to weigh it by: declare its weight "
        "(soviet congress weight)",
        field="credential",
        value=credential.number,
    )


def entitled_weights(org: Organisation, c: Congress) -> dict[int, int]:
    """The weight of every seated delegate with a vote, by credential."""
    return {x.number: weight_of(org, x) for x in c.seated() if x.rights == "voice-and-vote"}


def check_weighted(org: Organisation, c: Congress, mode: str) -> None:
    """A weighted vote is a roll call whose every entitled delegate has a weight.

    A secret ballot cannot be weighted: the ballot box would hold each ballot's weight,
    and a weight held by one delegate alone names its voter (decision 0022). A show of
    hands or a division is counted by heads, not by whom."""
    if mode == "secret":
        raise DomainError(
            "a secret ballot cannot be weighted: a weight held by one delegate alone would "
            "name the voter of that ballot in the box (decision 0022)",
            field="weighted",
            value=mode,
        )
    if mode != "roll-call":
        raise DomainError(
            f"a {mode} is counted by heads; only a roll call can be weighted",
            field="weighted",
            value=mode,
        )
    entitled_weights(org, c)  # raises naming a credential without a weight


def weighted_tally(v: VoteRecord) -> dict[str, int]:
    """The tally by weight: the sum of the weights of the ballots for each choice."""
    out = {"for": 0, "against": 0, "abstain": 0}
    for credential, choice in v.roll.items():
        out[choice] += v.weights[credential]
    return out


def declare_weight(
    org: Organisation, congress: str, credential: int, weight: int | None, date: dt.date
) -> Event:
    """Declare (or, with None, clear) the weight of a credential's ballot."""
    c = get_congress(org, congress)
    _not_closed(c)
    who = _credential(c, credential)
    if who.status == "rejected":
        raise DomainError(
            f"credential {credential} ({who.delegate}) was rejected",
            field="credential",
            value=credential,
        )
    if weight is not None and not 1 <= weight <= MAX_WEIGHT:
        raise DomainError(
            f"weight must be from 1 to {MAX_WEIGHT}, got {weight}", field="weight", value=weight
        )
    for v in c.open_votes():
        if v.weighted and credential in v.weights:
            raise DomainError(
                f"credential {credential} has voted in weighted vote {v.number}, which is "
                "open: its weight changes after the vote",
                field="credential",
                value=credential,
            )
    return ev.WeightDeclared(congress=congress, credential=credential, weight=weight, date=date)


# --- proxies -----------------------------------------------------------------------------
def _voting(c: Congress, number: int, field: str) -> Credential:
    who = _credential(c, number)
    if not who.seated or who.rights != "voice-and-vote":
        raise DomainError(
            f"{who.delegate} (credential {number}) is not a seated delegate with a vote",
            field=field,
            value=number,
        )
    return who


def grant_proxy(org: Organisation, congress: str, giver: int, holder: int, date: dt.date) -> Event:
    """A delegate gives their vote to another delegate; one hop only."""
    c = get_congress(org, congress)
    _not_closed(c)
    if not c.proxies_allowed:
        raise DomainError(
            f"the call of {congress!r} does not allow proxies (--proxies)",
            field="congress",
            value=congress,
        )
    if giver == holder:
        raise DomainError("a delegate cannot hold their own proxy", field="holder", value=holder)
    g = _voting(c, giver, "giver")
    h = _voting(c, holder, "holder")
    held = standing_proxy(c, giver)
    if held is not None:
        raise DomainError(
            f"{g.delegate} (credential {giver}) already gave their vote to credential "
            f"{held.holder} (proxy {held.number}): revoke it first",
            field="giver",
            value=giver,
        )
    passed = standing_proxy(c, holder)
    if passed is not None:
        raise DomainError(
            f"{h.delegate} (credential {holder}) gave their own vote to credential "
            f"{passed.holder}: a proxy cannot be passed on",
            field="holder",
            value=holder,
        )
    carried = proxies_held(c, giver)
    if carried:
        raise DomainError(
            f"{g.delegate} (credential {giver}) holds the proxies of credentials "
            f"{[p.giver for p in carried]}: a proxy cannot be passed on",
            field="giver",
            value=giver,
        )
    return ev.ProxyGranted(
        congress=congress, number=next_number(c.proxies), giver=giver, holder=holder, date=date
    )


def revoke_proxy(org: Organisation, congress: str, giver: int, date: dt.date) -> Event:
    """The giver takes their vote back (ballots already cast by the holder stay cast)."""
    c = get_congress(org, congress)
    _not_closed(c)
    _credential(c, giver)
    p = standing_proxy(c, giver)
    if p is None:
        raise DomainError(
            f"credential {giver} has no standing proxy to revoke", field="giver", value=giver
        )
    if date < p.granted_on:
        raise DomainError(
            f"date {date} is before proxy {p.number} was granted ({p.granted_on})",
            field="date",
            value=_iso(date),
        )
    return ev.ProxyRevoked(
        congress=congress, number=p.number, giver=giver, holder=p.holder, date=date
    )


def proxy_ballots(c: Congress, v: VoteRecord, holder: int) -> list[int]:
    """The givers whose ballots the holder casts with their own: every standing proxy
    held whose giver has not voted in this vote (each ballot counts once)."""
    if v.mode != "roll-call":
        raise DomainError(
            f"vote {v.number} is a {v.mode}: proxies are cast in roll calls",
            field="proxies",
            value=True,
        )
    if not c.proxies_allowed:
        raise DomainError(
            f"the call of {c.name!r} does not allow proxies", field="proxies", value=True
        )
    givers = [p.giver for p in proxies_held(c, holder) if p.giver not in v.roll]
    if not givers:
        raise DomainError(
            f"credential {holder} holds no proxy whose ballot is still to cast in vote {v.number}",
            field="proxies",
            value=True,
        )
    for giver in givers:
        _voting(c, giver, "proxies")
    return sorted(givers)


def check_not_given(c: Congress, credential: int) -> None:
    """A delegate whose proxy stands votes through the holder, not in person."""
    p = standing_proxy(c, credential)
    if p is not None:
        raise DomainError(
            f"credential {credential} gave their vote to credential {p.holder} (proxy "
            f"{p.number}): revoke it to vote in person",
            field="credential",
            value=credential,
        )


# --- mandates against votes --------------------------------------------------------------
def bind_mandate(
    org: Organisation, mandate: int, congress: str, motion: int, position: str, date: dt.date
) -> Event:
    """A constituency's mandate binds its delegate's vote on a motion (for, against, or
    free), before the motion is decided."""
    m = org.mandates.get(mandate)
    if m is None:
        raise UnknownEntity("mandate", mandate)
    c = get_congress(org, congress)
    _not_closed(c)
    mo = _motion(c, motion)
    if mo.status not in ("tabled", "basis"):
        raise DomainError(
            f"motion {motion} is {mo.status}: a mandate binds a vote still to come",
            field="motion",
            value=motion,
        )
    if position not in POSITIONS:
        raise DomainError(
            f"position must be one of {POSITIONS}, got {position!r}",
            field="position",
            value=position,
        )
    delegate = org.delegates[m.delegate_id]
    if delegate.status != "sitting":
        raise DomainError(
            f"mandate {mandate} was given to {delegate.name!r}, who no longer sits",
            field="mandate",
            value=mandate,
        )
    if date < m.adopted_on:
        raise DomainError(
            f"date {date} is before mandate {mandate} was adopted ({m.adopted_on})",
            field="date",
            value=_iso(date),
        )
    return ev.MandateBound(
        number=next_number(org.mandate_bindings),
        mandate=mandate,
        constituency=m.constituency,
        delegate_id=m.delegate_id,
        congress=congress,
        motion=motion,
        position=position,
        date=date,
    )


def mandate_report(org: Organisation, congress: str, vote: int) -> dict[str, Any]:
    """Each binding on the vote's motion against the roll: kept, broken, or not voted.

    Only a roll call shows how each delegate voted (a weighted vote is one); a vote still
    open has no report yet. Abstaining on a mandate for or against breaks it."""
    c = get_congress(org, congress)
    v = _vote(c, vote)
    if v.mode != "roll-call":
        raise DomainError(
            f"vote {vote} is a {v.mode}: only a roll call shows how each delegate voted",
            field="vote",
            value=vote,
        )
    if v.status == "open":
        raise DomainError(f"vote {vote} is still open", field="vote", value=vote)
    rows: list[dict[str, Any]] = []
    for b in bindings_on(org, congress, v.motion):
        delegate = org.delegates[b.delegate_id]
        m = org.mandates[b.mandate]
        cred = c.credential_of(delegate.name)
        number = None if cred is None or cred.status == "rejected" else cred.number
        choice = None if number is None else v.roll.get(number)
        if b.position == "free":
            verdict = "free"
        elif choice is None:
            verdict = "did-not-vote"
        else:
            verdict = "kept" if choice == b.position else "broke"
        rows.append(
            {
                "binding": b.number,
                "mandate": b.mandate,
                "constituency": m.constituency,
                "delegate_id": b.delegate_id,
                "delegate": delegate.name,
                "sitting": delegate.status == "sitting",
                "credential": number,
                "position": b.position,
                "choice": choice,
                "cast_by": None if number is None else v.proxied.get(number),
                "verdict": verdict,
                "recall_petition": _petition_citing(org, congress, vote, b.number),
            }
        )
    return {
        "congress": congress,
        "vote": vote,
        "motion": v.motion,
        "mode": v.mode,
        "weighted": v.weighted,
        "status": v.status,
        "bindings": rows,
        "against_mandate": [r for r in rows if r["verdict"] == "broke"],
    }


def _petition_citing(org: Organisation, congress: str, vote: int, binding: int) -> int | None:
    for r in where(org.vote_recalls, congress=congress, vote=vote):
        if binding in r.bindings:
            return r.petition
    return None


def open_recall_on_vote(
    org: Organisation,
    congress: str,
    vote: int,
    constituency: str,
    opened_by: str,
    date: dt.date,
) -> Event:
    """Open a recall petition against the constituency's delegates who voted against its
    mandate in ``vote``, citing the vote and the bindings broken (one step from the
    report). The petition is then signed like any other."""
    from soviet.domain import rules

    report = mandate_report(org, congress, vote)
    broke = [
        r for r in report["against_mandate"] if r["constituency"] == constituency and r["sitting"]
    ]
    if not broke:
        raise DomainError(
            f"no sitting delegate of {constituency!r} voted against their mandate in vote "
            f"{vote} of {congress!r}",
            field="constituency",
            value=constituency,
        )
    seats = sorted({org.delegates[r["delegate_id"]].seat for r in broke})
    opened = rules.open_recall(org, constituency, opened_by, date, seats=seats)
    assert isinstance(opened, ev.RecallOpened)
    return ev.RecallOpenedOnVote(
        petition=opened.petition,
        constituency=opened.constituency,
        delegate_ids=opened.delegate_ids,
        opened_by=opened.opened_by,
        replacements=opened.replacements,
        congress=congress,
        vote=vote,
        bindings=sorted({r["binding"] for r in broke}),
        date=date,
    )
