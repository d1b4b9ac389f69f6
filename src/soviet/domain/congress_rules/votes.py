"""Votes: show of hands, division, roll call and secret ballot, majorities, tallies, and the
decree a carried final vote makes (003:16801-16807, 003:5434-5438, 003:31507-31521).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

from soviet.domain import events as ev
from soviet.domain.congress import CHOICES, Congress, Motion, VoteRecord
from soviet.domain.congress_rules.common import (
    MAJORITIES,
    MODES,
    STAGES,
    _check_quorum,
    _credential,
    _is_open,
    _motion,
    _vote,
    get_congress,
)
from soviet.domain.congress_rules.motions import (
    carried_amendments,
    check_passage,
    consolidated_text,
)
from soviet.domain.congress_rules.weighting import (
    check_not_given,
    check_weighted,
    entitled_weights,
    proxy_ballots,
    weight_of,
    weighted_tally,
)
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation
from soviet.domain.records import next_number, where


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
    stage: str | None = None,
    mode: str = "show-of-hands",
    majority: str = "simple",
    abstentions: str = "ignored",
    supersedes: int | None = None,
    weighted: bool = False,
) -> Event:
    """Put a motion to the vote (quorum first; amendments before the motion they amend).

    A ``weighted`` vote is a roll call in which each ballot weighs the electors its
    delegate represents (``congress_rules.weighting``); it is carried or lost on the
    tally by weight.

    A division may be demanded after a show of hands on the same question and
    supersedes it (003:16801-16807). Without a ``stage``, an amendment is voted at stage
    ``amendment`` and any other motion at ``final``.
    """
    c = get_congress(org, congress)
    _is_open(c)
    m = _motion(c, motion)
    if stage is None:
        stage = "amendment" if m.amends is not None else "final"
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
    for other in c.open_votes():
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
        if where(c.votes, supersedes=supersedes):
            raise DomainError(
                f"a division was already taken on vote {supersedes}",
                field="supersedes",
                value=supersedes,
            )
    else:
        _check_stage(c, m, stage)
    if m.amends is not None and m.replaces is not None:
        # An amendment carried since this one was tabled may have changed its passage.
        so_far = consolidated_text(c.motions[m.amends].text, carried_amendments(c, m.amends))
        check_passage(so_far, m.replaces, f"motion {m.amends} as amended so far")
    _check_quorum(c)
    if weighted:
        check_weighted(org, c, mode)
    return ev.VoteOpened(
        congress=congress,
        vote=next_number(c.votes),
        motion=motion,
        stage=stage,
        mode=mode,
        majority=majority,
        abstentions=abstentions,
        supersedes=supersedes,
        date=date,
        weighted=True if weighted else None,
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
        pending = [a.number for a in where(c.motions, amends=m.number, status="tabled")]
        if pending:
            raise DomainError(
                f"amendments {pending} to motion {m.number} must be voted first",
                field="motion",
                value=m.number,
            )


def cast(
    org: Organisation,
    congress: str,
    vote: int,
    credential: int,
    choice: str,
    date: dt.date,
    *,
    proxies: bool = False,
) -> Event:
    """A delegate votes in a roll call or a secret ballot.

    For a secret ballot the event records only *that* the delegate voted; the choice goes
    to the ballot box, which keeps no link to the voter (see the application layer).
    With ``proxies`` the delegate casts, with their own, the ballot of every delegate
    whose proxy they hold and who has not voted (one action, OpenSlides #6825); in a
    weighted vote the event records each ballot's weight.
    """
    c = get_congress(org, congress)
    v = _vote(c, vote)
    if v.status != "open":
        raise DomainError(f"vote {vote} is closed", field="vote", value=vote)
    if date < v.opened_on:
        raise DomainError(
            f"date {date} is before vote {vote} opened ({v.opened_on})",
            field="date",
            value=date.isoformat(),
        )
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
    if v.mode == "roll-call":
        check_not_given(c, credential)
    givers = proxy_ballots(c, v, credential) if proxies else []
    weights = None
    if v.weighted:
        weights = {str(n): weight_of(org, c.credentials[n]) for n in [credential, *givers]}
    return ev.BallotCast(
        congress=congress,
        vote=vote,
        credential=credential,
        date=date,
        choice=choice if v.mode == "roll-call" else None,
        proxy_for=givers or None,
        weights=weights,
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
    if date < c.opens_on:
        raise DomainError(
            f"date {date} is before {congress!r} opened ({c.opens_on})",
            field="date",
            value=date.isoformat(),
        )
    if date < v.opened_on:
        raise DomainError(
            f"date {date} is before vote {vote} opened ({v.opened_on})",
            field="date",
            value=date.isoformat(),
        )
    entitled = c.entitled()
    present = c.entitled(present_only=True)
    # Ballots cast by proxy for delegates not present count beyond those present.
    by_proxy_absent = len(set(v.proxied) - set(present))
    tally = _tally(v, counts, ballot_box, len(present) + by_proxy_absent)
    weighted_counts: dict[str, int] | None = None
    entitled_weight: int | None = None
    if v.weighted:
        weighted_counts = weighted_tally(v)
        entitled_weight = sum(entitled_weights(org, c).values())
        carried = _carried(v, weighted_counts, entitled_weight)
    else:
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
        amendments = carried_amendments(c, m.number)
        decree = ev.AdoptedDecree(
            number=next_number(org.decrees),
            title=m.title,
            text=consolidated_text(m.text, amendments),
            amendments=[a.number for a in amendments],
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
        weighted_counts=weighted_counts,
        entitled_weight=entitled_weight,
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
