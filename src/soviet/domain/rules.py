"""The council rules: each function decides one command.

A decision reads the organisation, raises a ``DomainError`` naming the field and the
value at fault when the command breaks a rule, and otherwise returns the single event
that records what happened. Deciding never changes the state: the caller applies the
event (and appends it to the ledger) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from soviet.count.apportion import Allocation, ApportionmentError, SeatRule, rule_from_config
from soviet.count.ballots import RankedBallots
from soviet.count.lists import list_election
from soviet.count.methods import count as count_ballots
from soviet.count.ties import Lot
from soviet.domain import events as ev
from soviet.domain.congress import Rights
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity
from soviet.domain.events import Event
from soviet.domain.limits import CODE_MAX, MAX_ELECTORS, MAX_SEATS, check_at_most, shorten
from soviet.domain.model import (
    Constituency,
    Council,
    Delegate,
    Organisation,
    Petition,
)
from soviet.domain.records import next_number, prefetch, where

RIGHTS: tuple[Rights, ...] = ("voice-and-vote", "voice-only")
COUNT_METHODS = ("plurality", "block")


def _iso(date: dt.date) -> str:
    return date.isoformat()


def _not_before(date: dt.date, earlier: dt.date, what: str) -> None:
    """Refuse ``date`` when it falls before ``earlier``, the date of ``what`` (a phrase:
    "petition 3 opened")."""
    if date < earlier:
        raise DomainError(
            f"date {date} is before {what} ({earlier})", field="date", value=_iso(date)
        )


# --- lookups -------------------------------------------------------------------------
def get_council(org: Organisation, name: str) -> Council:
    """The council called ``name`` or UnknownEntity."""
    try:
        return org.councils[name]
    except KeyError:
        raise UnknownEntity("council", name) from None


def get_constituency(org: Organisation, name: str) -> Constituency:
    """The constituency called ``name`` or UnknownEntity."""
    try:
        return org.constituencies[name]
    except KeyError:
        raise UnknownEntity("constituency", name) from None


def get_petition(org: Organisation, number: int) -> Petition:
    """Petition number ``number`` or UnknownEntity."""
    try:
        return org.petitions[number]
    except KeyError:
        raise UnknownEntity("petition", number) from None


def parse_threshold(text: str) -> Fraction:
    """A recall threshold such as ``1/2`` or ``0.4``: a fraction in [0, 1)."""
    try:
        if not text.isascii() or len(text) > CODE_MAX:  # Fraction takes "٣/٤"
            raise ValueError
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise DomainError(
            f"recall_threshold must be a fraction such as 1/2, got {shorten(text, 60)!r}",
            field="recall_threshold",
            value=text,
        ) from None
    if not 0 <= value < 1:
        raise DomainError(
            f"recall_threshold must be at least 0 and below 1, got {text!r}",
            field="recall_threshold",
            value=text,
        )
    return value


# --- seats ---------------------------------------------------------------------------
def _rule_config(
    council: Council, org: Organisation, seat_rule: Mapping[str, Any]
) -> tuple[dict[str, Any], int | None]:
    config, total = _split_house_size(seat_rule)
    if config.get("method") == "parity":
        config["section_of"] = {
            c.name: c.section or "" for c in org.constituencies_of(council.name)
        }
    return config, total


def _split_house_size(seat_rule: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
    """A rule's ``seats`` key is the house size, except for fixed rules where it maps units."""
    config = dict(seat_rule)
    if config.get("method") == "fixed":
        return config, None
    return config, config.pop("seats", None)


def _allocate(config: dict[str, Any], total: int | None, weights: dict[str, int]) -> Allocation:
    if not weights:
        return Allocation(method=str(config.get("method")), seats={}, steps={})
    return rule_from_config(config).allocate(weights, total)


def apportion(
    org: Organisation, council_name: str, seat_rule: Mapping[str, Any] | None = None
) -> Allocation:
    """Seats per constituency under the council's seat rule (or the ``seat_rule`` it
    would have) and current headcounts.

    A rule ``{method: by-section, sections: {NAME: RULE, ...}}`` applies a separate rule
    in each section (the Petrograd Soviet counted workers per thousand and soldiers per
    company).
    """
    council = get_council(org, council_name)
    rule = council.seat_rule if seat_rule is None else seat_rule
    constituencies = org.constituencies_of(council_name)
    try:
        if rule.get("method") == "by-section":
            seats: dict[str, int] = {}
            steps: dict[str, Any] = {}
            for section, section_rule in rule["sections"].items():
                config, total = _split_house_size(section_rule)
                weights = {c.name: c.headcount for c in constituencies if c.section == section}
                part = _allocate(config, total, weights)
                seats.update(part.seats)
                steps[section] = part.to_json()
            return Allocation(method="by-section", seats=seats, steps=steps)
        config, total = _rule_config(council, org, rule)
        return _allocate(config, total, {c.name: c.headcount for c in constituencies})
    except ApportionmentError as exc:
        raise DomainError(
            f"council {council_name!r}: seat rule cannot allocate: {exc}",
            field="seat_rule",
            value=rule,
        ) from None


_LOCAL_METHODS = ("per-unit", "fixed")  # a unit's seats depend on that unit alone


def seats_of(org: Organisation, constituency: str) -> int:
    """Seats the constituency holds under its council's rule today.

    Under a rule that gives each unit seats by its own size (``per-unit``, ``fixed``,
    also within a section) only this constituency is read; any other rule apportions the
    whole council.
    """
    c = get_constituency(org, constituency)
    council = get_council(org, c.council)
    rule: Mapping[str, Any] = council.seat_rule
    if rule.get("method") == "by-section":
        rule = rule.get("sections", {}).get(c.section, {})
    config, total = _split_house_size(rule)
    if config.get("method") in _LOCAL_METHODS and total is None:
        try:
            return _allocate(config, None, {c.name: c.headcount}).seats.get(c.name, 0)
        except ApportionmentError as exc:
            raise DomainError(
                f"council {council.name!r}: seat rule cannot allocate: {exc}",
                field="seat_rule",
                value=council.seat_rule,
            ) from None
    return apportion(org, c.council).seats.get(c.name, 0)


# --- structure -----------------------------------------------------------------------
def create_council(
    org: Organisation,
    name: str,
    seat_rule: Mapping[str, Any],
    *,
    sections: Sequence[str] = (),
    sections_merged: bool = True,
    recall_threshold: str = "1/2",
    recall_mode: str = "by-election",
    max_term_days: int | None = None,
    calendar: str = "gregorian",
    description: str = "",
    may_convene: Sequence[str] = (),
) -> Event:
    """Create a council with its seat rule and recall rule.

    ``may_convene`` names the congresses this council has authority to convene.
    """
    if not name.strip():
        raise DomainError("council name must not be empty", field="name", value=name)
    if name in org.councils:
        raise AlreadyExists("council", name)
    config = dict(seat_rule)
    check_council_settings(
        config,
        sections,
        recall_threshold=recall_threshold,
        recall_mode=recall_mode,
        max_term_days=max_term_days,
        calendar=calendar,
    )
    if len(set(sections)) != len(sections):
        raise DomainError(f"sections repeat a name: {list(sections)}", field="sections")
    return ev.CouncilCreated(
        name=name,
        seat_rule=config,
        sections=list(sections),
        sections_merged=sections_merged,
        recall_threshold=recall_threshold,
        recall_mode=recall_mode,
        max_term_days=max_term_days,
        calendar=calendar,
        description=description,
        may_convene=list(may_convene),
    )


def check_council_settings(
    config: dict[str, Any],
    sections: Sequence[str],
    *,
    recall_threshold: str,
    recall_mode: str,
    max_term_days: int | None,
    calendar: str,
) -> None:
    """Refuse a seat rule, recall rule, term or calendar a council cannot have."""
    _check_seat_rule(config, sections)
    if (
        config.get("method") != "fixed"
        and "seats" in config
        and (not isinstance(config["seats"], int) or config["seats"] < 0)
    ):
        raise DomainError(
            f"seat_rule.seats must be a whole number >= 0, got {config['seats']!r}",
            field="seat_rule.seats",
            value=config["seats"],
        )
    if config.get("method") != "fixed" and "seats" in config:
        check_at_most("seat_rule.seats", config["seats"], MAX_SEATS)
    parse_threshold(recall_threshold)
    if recall_mode not in ("by-election", "replacement"):
        raise DomainError(
            f"recall_mode must be 'by-election' or 'replacement', got {recall_mode!r}",
            field="recall_mode",
            value=recall_mode,
        )
    if max_term_days is not None and max_term_days <= 0:
        raise DomainError(
            f"max_term_days must be positive, got {max_term_days}",
            field="max_term_days",
            value=max_term_days,
        )
    if calendar not in ("gregorian", "julian"):
        raise DomainError(
            f"calendar must be 'gregorian' or 'julian', got {calendar!r}",
            field="calendar",
            value=calendar,
        )


def _check_seat_rule(config: dict[str, Any], sections: Sequence[str]) -> None:
    if config.get("method") == "by-section":
        parts = config.get("sections")
        if not isinstance(parts, dict) or set(parts) != set(sections):
            raise DomainError(
                f"seat_rule.sections must give one rule for each section {list(sections)}, "
                f"got {parts!r}",
                field="seat_rule.sections",
                value=parts,
            )
        for part in parts.values():
            _check_seat_rule(dict(part), ())
        return
    probe, _ = _split_house_size(config)
    if probe.get("method") == "parity":
        probe["section_of"] = {}
    try:
        rule_from_config(probe)
    except ApportionmentError as exc:
        raise DomainError(f"seat_rule: {exc}", field="seat_rule", value=config) from None


def arrange_sections(org: Organisation, council: str, *, merged: bool, date: dt.date) -> Event:
    """Sections sit together (merged) or apart."""
    c = get_council(org, council)
    if not c.sections:
        raise DomainError(f"council {council!r} has no sections", field="council", value=council)
    if c.sections_merged == merged:
        state = "merged" if merged else "apart"
        raise DomainError(
            f"council {council!r} sections already sit {state}", field="merged", value=merged
        )
    return ev.CouncilSectionsArranged(council=council, merged=merged, date=date)


def create_constituency(
    org: Organisation,
    name: str,
    council: str,
    *,
    section: str | None = None,
    kind: str | None = None,
    headcount: int | None = None,
    electors: Sequence[str] | None = None,
) -> Event:
    """A constituency with either a headcount (numbered roll) or a list of electors."""
    if not name.strip() or "#" in name:
        raise DomainError(
            f"constituency name must be non-empty and contain no '#', got {name!r}",
            field="name",
            value=name,
        )
    if name in org.constituencies:
        raise AlreadyExists("constituency", name)
    c = get_council(org, council)
    if section is not None and section not in c.sections:
        raise DomainError(
            f"council {council!r} has no section {section!r} (sections: {c.sections})",
            field="section",
            value=section,
        )
    if c.sections and section is None:
        raise DomainError(
            f"council {council!r} has sections {c.sections}: constituency {name!r} needs one",
            field="section",
            value=None,
        )
    if headcount is not None and electors is not None:
        raise DomainError(
            f"constituency {name!r}: give a headcount or a list of electors, not both",
            field="headcount",
            value=headcount,
        )
    roll = "named"
    names: list[str] = []
    if headcount is not None:
        _check_headcount(headcount)
        roll = "numbered"
    else:
        names = list(electors or [])
        check_at_most("electors", len(names), MAX_ELECTORS)
        _check_new_electors(org, names)
    _local_seats(c, section, name, headcount if headcount is not None else len(names))
    return ev.ConstituencyCreated(
        name=name,
        council=council,
        section=section,
        kind=kind,
        roll=roll,
        headcount=headcount if headcount is not None else len(names),
        electors=sorted(names),
    )


def _check_headcount(headcount: int) -> None:
    if headcount < 0:
        raise DomainError(
            f"headcount must be 0 or more, got {headcount}", field="headcount", value=headcount
        )
    check_at_most("headcount", headcount, MAX_ELECTORS)


def _check_new_electors(org: Organisation, electors: Sequence[str]) -> None:
    seen: set[str] = set()
    prefetch(org.electors, (e for e in electors if "#" not in e))
    for elector in electors:
        if not elector.strip() or "#" in elector:
            raise DomainError(
                f"elector name must be non-empty and contain no '#', got {elector!r}",
                field="elector",
                value=elector,
            )
        if elector in seen:
            raise DomainError(f"elector {elector!r} listed twice", field="elector", value=elector)
        seen.add(elector)
        home = org.elector_constituency(elector)
        if home is not None:
            raise DomainError(
                f"elector {elector!r} already belongs to constituency {home!r}; move them instead",
                field="elector",
                value=elector,
            )


def set_headcount(
    org: Organisation,
    constituency: str,
    headcount: int,
    date: dt.date,
    *,
    vacate_surplus: bool = False,
) -> Event:
    """Change the headcount of a numbered roll.

    Seats are numbered 1..N, so a change that leaves a constituency (this one, or another
    sharing a house with it) N seats abolishes its seats above N. When delegates hold
    them it is refused, naming how many sit and how many seats remain, unless
    ``vacate_surplus``: then the delegates in the abolished seats lose them (status
    ``unseated``), recorded on the event.
    """
    c = get_constituency(org, constituency)
    if c.roll != "numbered":
        raise DomainError(
            f"constituency {constituency!r} has a named roll: enrol or remove electors instead",
            field="constituency",
            value=constituency,
        )
    _check_headcount(headcount)
    local = _local_seats(get_council(org, c.council), c.section, c.name, headcount)
    if local is not None:  # only this unit's seats change, and only a cut can lose any
        after = {c.name: local} if headcount < c.headcount else {}
    else:  # a house shared out: any change may take seats from some unit
        after = _shared_seats_after(org, c, headcount)
    vacated: list[int] = []
    for name, seats in after.items():
        sitting = org.sitting_delegates(name)
        # Seats are numbered 1..N: a cut to N abolishes the seats above N.
        above = [d for d in sitting if d.seat > seats]
        if not above:
            continue
        if not vacate_surplus:
            raise DomainError(
                f"headcount {headcount} leaves {name!r} {_seats(seats)}, but {len(sitting)} "
                f"delegates sit and {len(above)} of them hold seats above {seats}: give "
                f"vacate_surplus (--vacate-surplus) to unseat those {len(above)}",
                field="headcount",
                value=headcount,
            )
        for d in above:
            petition = org.open_petition_against(d.id)
            if petition is not None:
                raise DomainError(
                    f"{d.name!r} would lose seat {d.seat} of {name!r}, but recall "
                    f"petition {petition.id} against them is open",
                    field="headcount",
                    value=headcount,
                )
            vacated.append(d.id)
    return ev.HeadcountSet(
        constituency=constituency,
        headcount=headcount,
        date=date,
        vacated=sorted(vacated) or None,
    )


def _local_seats(council: Council, section: str | None, name: str, headcount: int) -> int | None:
    """Seats a unit of ``headcount`` electors gets under a rule that seats each unit by its
    own size (None under any other rule); a size the rule cannot seat (more than
    MAX_SEATS seats) is refused up front, naming the limit."""
    rule: Mapping[str, Any] = council.seat_rule
    if rule.get("method") == "by-section":
        rule = rule.get("sections", {}).get(section, {})
    config, total = _split_house_size(rule)
    if config.get("method") not in _LOCAL_METHODS or total is not None:
        return None
    if config.get("method") == "fixed" and name not in config.get("seats", {}):
        return None  # refused when seats are read, as before: no fixed seats for it
    try:
        return _allocate(config, None, {name: headcount}).seats.get(name, 0)
    except ApportionmentError as exc:
        raise DomainError(
            f"council {council.name!r}: seat rule cannot allocate: {exc}",
            field="headcount",
            value=headcount,
        ) from None


def _seats(n: int) -> str:
    return f"{n} seat" if n == 1 else f"{n} seats"


def _shared_seats_after(org: Organisation, c: Constituency, headcount: int) -> dict[str, int]:
    """Seats per constituency of the house (the council, or ``c``'s section under a
    by-section rule) once ``c`` has ``headcount`` electors."""
    council = get_council(org, c.council)
    rule: Mapping[str, Any] = council.seat_rule
    if rule.get("method") == "by-section":
        rule = rule.get("sections", {}).get(c.section, {})
    config, total = _split_house_size(rule)
    try:
        units = [c2 for c2 in org.constituencies_of(c.council) if c2.section == c.section]
        if council.seat_rule.get("method") != "by-section":
            units = org.constituencies_of(c.council)
            config, total = _rule_config(council, org, council.seat_rule)
        if total is None and config.get("method") != "parity":
            return {}  # a rule without a house size seats no one: there is nothing to lose
        weights = {u.name: headcount if u.name == c.name else u.headcount for u in units}
        return dict(_allocate(config, total, weights).seats)
    except ApportionmentError as exc:
        raise DomainError(
            f"council {council.name!r}: seat rule cannot allocate: {exc}",
            field="seat_rule",
            value=council.seat_rule,
        ) from None


def enrol(org: Organisation, constituency: str, electors: Sequence[str], date: dt.date) -> Event:
    """Add electors to a named roll; an elector belongs to one constituency at a time."""
    c = get_constituency(org, constituency)
    if c.roll != "named":
        raise DomainError(
            f"constituency {constituency!r} has a numbered roll: set its headcount instead",
            field="constituency",
            value=constituency,
        )
    if not electors:
        raise DomainError("no electors given", field="electors", value=[])
    check_at_most("electors", c.headcount + len(electors), MAX_ELECTORS)
    _check_new_electors(org, electors)
    return ev.ElectorsEnrolled(constituency=constituency, electors=sorted(electors), date=date)


def _named_home(org: Organisation, elector: str) -> Constituency:
    home = org.elector_constituency(elector)
    if home is None:
        raise UnknownEntity("elector", elector)
    c = org.constituencies[home]
    if c.roll != "named":
        raise DomainError(
            f"elector {elector!r} is a number on a numbered roll and cannot move",
            field="elector",
            value=elector,
        )
    return c


def move_elector(org: Organisation, elector: str, to: str, date: dt.date) -> Event:
    """Move an elector to another constituency's named roll."""
    home = _named_home(org, elector)
    target = get_constituency(org, to)
    if target.roll != "named":
        raise DomainError(f"constituency {to!r} has a numbered roll", field="to", value=to)
    if target.name == home.name:
        raise DomainError(f"elector {elector!r} is already in {to!r}", field="to", value=to)
    return ev.ElectorMoved(elector=elector, from_=home.name, to=to, date=date)


def remove_elector(org: Organisation, elector: str, date: dt.date) -> Event:
    """Strike an elector off their roll."""
    home = _named_home(org, elector)
    return ev.ElectorRemoved(elector=elector, constituency=home.name, date=date)


# --- elections -----------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A candidate in a constituency election, with aggregated votes."""

    name: str
    group: str | None = None
    votes: int = 0
    rights: Rights = "voice-and-vote"


@dataclass(frozen=True)
class GroupList:
    """A closed list: a group's votes and its candidates in list order."""

    group: str
    votes: int
    candidates: tuple[str, ...]


def vacant_seats(org: Organisation, constituency: str) -> list[int]:
    """Seat numbers of the constituency with no sitting delegate."""
    held = {d.seat for d in org.sitting_delegates(constituency)}
    return [s for s in range(1, seats_of(org, constituency) + 1) if s not in held]


def elect(
    org: Organisation,
    constituency: str,
    candidates: Sequence[Candidate],
    date: dt.date,
    *,
    seats: int | None = None,
    method: str = "plurality",
    term_days: int | None = None,
    seed: int | None = None,
    lists: Sequence[GroupList] = (),
    rankings: Sequence[tuple[Sequence[str], int]] = (),
) -> Event:
    """Fill vacant seats from aggregated counts, closed lists or ballots.

    ``plurality`` fills one seat with the most-voted candidate; ``block`` fills ``seats``
    with the most-voted candidates; any apportionment method (``dhondt``,
    ``sainte-lague``, ``hare`` ...) allocates the seats between groups by their summed
    votes and fills them from each group's candidates by personal votes (open lists),
    or, given ``lists`` instead of candidates, from closed lists in list order.
    Given ``rankings`` (ballots: an order of candidate names and how many ballots carry
    it), any method of the counting engine decides (``stv-scottish``, ``stv-meek``,
    ``irv``, ``schulze``, ``block``...); ``candidates`` then only name the groups.
    Ties are broken by lot from ``seed``, recorded on the event.
    """
    c = get_constituency(org, constituency)
    if seats is not None and seats <= 0:
        raise DomainError(f"seats must be 1 or more, got {seats}", field="seats", value=seats)
    if rankings:
        named = {name for ranking, _ in rankings for name in ranking}
        candidates = [
            *candidates,
            *(Candidate(n) for n in sorted(named - {x.name for x in candidates})),
        ]
    if lists:
        if candidates:
            raise DomainError(
                "give candidates or closed lists, not both", field="lists", value=len(lists)
            )
        if method in COUNT_METHODS:
            raise DomainError(
                f"closed lists need a proportional method (dhondt, sainte-lague, hare...), "
                f"got {method!r}",
                field="method",
                value=method,
            )
        candidates = [Candidate(name, gl.group) for gl in lists for name in gl.candidates]
    vacant = vacant_seats(org, constituency)
    to_fill = len(vacant) if seats is None else seats
    if to_fill <= 0:
        raise DomainError(
            f"constituency {constituency!r} has no vacant seat "
            f"({seats_of(org, constituency)} seats, all filled)",
            field="seats",
            value=to_fill,
        )
    if to_fill > len(vacant):
        raise DomainError(
            f"cannot elect {to_fill} delegates in {constituency!r}: "
            f"only {len(vacant)} of its {seats_of(org, constituency)} seats are vacant",
            field="seats",
            value=to_fill,
        )
    _check_candidates(org, c, candidates)
    _check_votes_within_roll(c, to_fill, method, candidates, lists, rankings)
    _check_fell_vacant(org, constituency, vacant[:to_fill], date)
    if method == "plurality" and to_fill != 1 and not rankings:
        raise DomainError(
            f"plurality fills one seat; {to_fill} are to be filled (use block or a PR method)",
            field="method",
            value=method,
        )
    if len(candidates) < to_fill:
        raise DomainError(
            f"{len(candidates)} candidates for {to_fill} seats in {constituency!r}",
            field="candidates",
            value=len(candidates),
        )
    if term_days is not None and term_days <= 0:
        raise DomainError(
            f"term_days must be positive, got {term_days}", field="term_days", value=term_days
        )
    lot = Lot(seed) if seed is not None else Lot()
    winners, tally = count_election(
        candidates, to_fill, method, lot, lists=lists, rankings=rankings
    )
    by_name = {cand.name: cand for cand in candidates}
    next_id = next_number(org.delegates)
    elected = [
        ev.ElectedSeat(
            delegate_id=next_id + i,
            seat=seat,
            name=name,
            group=by_name[name].group,
            rights=by_name[name].rights,
            term_days=term_days,
        )
        for i, (seat, name) in enumerate(zip(vacant, winners, strict=False))
    ]
    return ev.DelegatesElected(
        constituency=constituency,
        date=date,
        method=method,
        tally=tally,
        elected=elected,
        seed=lot.seed,
        tie_breaks=lot.draws,
        ballots=(
            {
                "candidates": [cand.name for cand in candidates],
                "seats": to_fill,
                "rankings": [[list(r), n] for r, n in rankings],
            }
            if rankings
            else None
        ),
    )


def _check_votes_within_roll(
    c: Constituency,
    seats: int,
    method: str,
    candidates: Sequence[Candidate],
    lists: Sequence[GroupList],
    rankings: Sequence[tuple[Sequence[str], int]],
) -> None:
    """No more votes than the roll has electors: one vote (or ballot) each, ``seats``
    each under block voting."""
    if rankings:
        votes, what = sum(n for _, n in rankings), "ballots"
    elif lists:
        votes, what = sum(gl.votes for gl in lists), "votes"
    else:
        votes, what = sum(x.votes for x in candidates), "votes"
    per_elector = seats if method == "block" and not rankings else 1
    if votes > c.headcount * per_elector:
        each = f" ({per_elector} each)" if per_elector > 1 else ""
        raise DomainError(
            f"{votes} {what} cast in {c.name!r} but its roll has {c.headcount} electors{each}",
            field=what,
            value=votes,
        )


def _check_fell_vacant(
    org: Organisation, constituency: str, seats: Sequence[int], date: dt.date
) -> None:
    """A by-election is not dated before the seat it fills fell vacant."""
    left: dict[int, dt.date] = {}
    for d in where(org.delegates, constituency=constituency):
        if d.left_on is not None and d.seat in seats:
            left[d.seat] = max(left.get(d.seat, d.left_on), d.left_on)
    for seat in seats:
        if seat in left:
            _not_before(date, left[seat], f"seat {seat} of {constituency!r} fell vacant")


def count_election(
    candidates: Sequence[Candidate],
    seats: int,
    method: str,
    lot: Lot,
    *,
    lists: Sequence[GroupList] = (),
    rankings: Sequence[tuple[Sequence[str], int]] = (),
) -> tuple[list[str], dict[str, int]]:
    """Winners of an election and its tally: from closed lists, ballots or counts.

    The one place where every election (constituencies, councils electing congress
    delegates) turns votes into names.
    """
    if lists:
        _check_lists(lists)
        return _count_lists(lists, seats, method, lot), {gl.group: gl.votes for gl in lists}
    if rankings:
        return _count_ballots(candidates, rankings, seats, method, lot)
    return _count(candidates, seats, method, lot), {c.name: c.votes for c in candidates}


def _check_candidates(org: Organisation, c: Constituency, candidates: Sequence[Candidate]) -> None:
    if not candidates:
        raise DomainError("no candidates given", field="candidates", value=[])
    sitting = {d.name for d in org.sitting_delegates(c.name)}
    seen: set[str] = set()
    for cand in candidates:
        if not cand.name.strip():
            raise DomainError("candidate name must not be empty", field="candidate", value="")
        if cand.name in seen:
            raise DomainError(
                f"candidate {cand.name!r} listed twice", field="candidate", value=cand.name
            )
        seen.add(cand.name)
        if cand.votes < 0:
            raise DomainError(
                f"votes for {cand.name!r} must be 0 or more, got {cand.votes}",
                field="votes",
                value=cand.votes,
            )
        if cand.rights not in RIGHTS:
            raise DomainError(
                f"rights must be one of {RIGHTS}, got {cand.rights!r}",
                field="rights",
                value=cand.rights,
            )
        if cand.name in sitting:
            raise DomainError(
                f"{cand.name!r} already sits for {c.name!r}", field="candidate", value=cand.name
            )


def _count(candidates: Sequence[Candidate], seats: int, method: str, lot: Lot) -> list[str]:
    if method in COUNT_METHODS:
        ranked = _most_voted(candidates, lot)
        return ranked[:seats]
    rule = _pr_rule(method)
    lists: dict[str, list[str]] = {}
    group_votes: dict[str, int] = {}
    for cand in candidates:
        group = cand.group or cand.name
        lists.setdefault(group, []).append(cand.name)
        group_votes[group] = group_votes.get(group, 0) + cand.votes
    result = list_election(
        group_votes,
        lists,
        seats,
        rule,
        open_votes={cand.name: cand.votes for cand in candidates},
        lot=lot,
    )
    return list(result.elected)


def _check_lists(lists: Sequence[GroupList]) -> None:
    groups = [gl.group for gl in lists]
    if len(set(groups)) != len(groups):
        raise DomainError(f"a group has two lists: {groups}", field="lists", value=groups)
    for gl in lists:
        if gl.votes < 0:
            raise DomainError(
                f"votes for list {gl.group!r} must be 0 or more, got {gl.votes}",
                field="votes",
                value=gl.votes,
            )
        if not gl.candidates:
            raise DomainError(f"list {gl.group!r} has no candidates", field="lists", value=gl.group)


def _count_ballots(
    candidates: Sequence[Candidate],
    rankings: Sequence[tuple[Sequence[str], int]],
    seats: int,
    method: str,
    lot: Lot,
) -> tuple[list[str], dict[str, int]]:
    """Winners by a counting-engine method; the tally is the first preferences."""
    names = [cand.name for cand in candidates]
    try:
        ballots = RankedBallots.from_rankings(
            names, [r for r, _ in rankings], [n for _, n in rankings]
        )
        result = count_ballots(method, ballots, seats=seats, lot=lot)
    except ValueError as exc:
        raise DomainError(f"ballots: {exc}", field="rankings", value=method) from None
    first = {name: 0 for name in names}
    for ranking, n in rankings:
        if ranking:
            first[ranking[0]] += n
    return list(result.elected)[:seats], first


def _pr_rule(method: str) -> SeatRule:
    try:
        return rule_from_config({"method": method})
    except ApportionmentError:
        raise DomainError(
            f"unknown election method {method!r}: use plurality, block, or an "
            "apportionment method such as dhondt or sainte-lague",
            field="method",
            value=method,
        ) from None


def _count_lists(lists: Sequence[GroupList], seats: int, method: str, lot: Lot) -> list[str]:
    result = list_election(
        {gl.group: gl.votes for gl in lists},
        {gl.group: list(gl.candidates) for gl in lists},
        seats,
        _pr_rule(method),
        lot=lot,
    )
    return list(result.elected)


def _most_voted(candidates: Sequence[Candidate], lot: Lot) -> list[str]:
    """Candidates by votes, equal votes ordered by lot."""
    by_votes: dict[int, list[str]] = {}
    for cand in candidates:
        by_votes.setdefault(cand.votes, []).append(cand.name)
    ordered: list[str] = []
    for votes in sorted(by_votes, reverse=True):
        ordered.extend(lot.order(by_votes[votes], f"equal votes ({votes})"))
    return ordered


def adopt_mandate(
    org: Organisation, constituency: str, text: str, date: dt.date, *, seat: int | None = None
) -> Event:
    """The constituency's electors instruct their delegate."""
    delegate = _target_delegate(org, constituency, seat)
    if not text.strip():
        raise DomainError("mandate text must not be empty", field="text", value=text)
    _not_before(date, delegate.elected_on, f"{delegate.name!r} was elected")
    return ev.MandateAdopted(
        number=next_number(org.mandates),
        constituency=constituency,
        delegate_id=delegate.id,
        text=text,
        date=date,
    )


def _target_delegate(org: Organisation, constituency: str, seat: int | None) -> Delegate:
    get_constituency(org, constituency)
    sitting = org.sitting_delegates(constituency)
    if seat is None:
        if len(sitting) == 1:
            return sitting[0]
        if not sitting:
            raise DomainError(
                f"constituency {constituency!r} has no sitting delegate (its seats are vacant)",
                field="constituency",
                value=constituency,
            )
        raise DomainError(
            f"constituency {constituency!r} has {len(sitting)} delegates: name the seat "
            f"({', '.join(str(d.seat) for d in sitting)})",
            field="seat",
            value=None,
        )
    for d in sitting:
        if d.seat == seat:
            return d
    if 1 <= seat <= seats_of(org, constituency):
        raise DomainError(f"seat {seat} of {constituency!r} is vacant", field="seat", value=seat)
    raise DomainError(f"constituency {constituency!r} has no seat {seat}", field="seat", value=seat)


# --- recall --------------------------------------------------------------------------
def _check_elector_of(org: Organisation, elector: str, constituency: str) -> None:
    home = org.elector_constituency(elector)
    if home is None:
        raise UnknownEntity("elector", elector)
    if home != constituency:
        raise DomainError(
            f"elector {elector!r} belongs to {home!r}, not {constituency!r}",
            field="elector",
            value=elector,
        )


def _targets(org: Organisation, constituency: str, seats: Sequence[int] | None) -> list[Delegate]:
    if not seats:
        return [_target_delegate(org, constituency, None)]
    if len(set(seats)) != len(seats):
        raise DomainError(f"a seat is named twice: {list(seats)}", field="seat", value=list(seats))
    return [_target_delegate(org, constituency, seat) for seat in seats]


def open_recall(
    org: Organisation,
    constituency: str,
    opened_by: str,
    date: dt.date,
    *,
    seats: Sequence[int] | None = None,
    whole_delegation: bool = False,
    replacements: Sequence[Candidate] = (),
) -> Event:
    """Any elector of the constituency may open a petition to recall its delegate(s).

    ``seats`` names the delegates by seat; ``whole_delegation`` targets every sitting
    delegate; with neither, the constituency must have exactly one delegate. In a
    council whose rule is ``replacement`` the petition may name one replacement per
    recalled delegate, who take the seats when the petition succeeds; otherwise the seats
    fall vacant for a by-election.
    """
    c = get_constituency(org, constituency)
    if whole_delegation:
        if seats:
            raise DomainError(
                "name seats or the whole delegation, not both", field="seats", value=list(seats)
            )
        targets = org.sitting_delegates(constituency)
        if not targets:
            raise DomainError(
                f"constituency {constituency!r} has no sitting delegate (its seats are vacant)",
                field="constituency",
                value=constituency,
            )
    else:
        targets = _targets(org, constituency, seats)
    _check_elector_of(org, opened_by, constituency)
    for delegate in targets:
        existing = org.open_petition_against(delegate.id)
        if existing is not None:
            raise DomainError(
                f"petition {existing.id} against {delegate.name!r} is already open",
                field="delegate",
                value=delegate.name,
            )
        _not_before(date, delegate.elected_on, f"{delegate.name!r} was elected")
    council = org.councils[c.council]
    if replacements:
        if council.recall_mode != "replacement":
            raise DomainError(
                f"council {council.name!r} fills recalled seats by by-election; "
                "a petition cannot name a replacement",
                field="replacement",
                value=replacements[0].name,
            )
        if len(replacements) != len(targets):
            raise DomainError(
                f"{len(replacements)} replacements named for {len(targets)} recalled delegates",
                field="replacement",
                value=[r.name for r in replacements],
            )
        _check_candidates(org, c, replacements)
    return ev.RecallOpened(
        petition=next_number(org.petitions),
        constituency=constituency,
        delegate_ids=[d.id for d in targets],
        opened_by=opened_by,
        replacements=[{"name": r.name, "group": r.group} for r in replacements],
        date=date,
    )


def signatures_needed(org: Organisation, petition: Petition) -> int:
    """Fewest signatures that exceed the council's threshold share of the roll."""
    c = org.constituencies[petition.constituency]
    threshold = parse_threshold(org.councils[c.council].recall_threshold)
    # "more than" the share: the smallest integer strictly above threshold * headcount
    return int(threshold * c.headcount) + 1


def sign_recall(
    org: Organisation, petition_id: int, electors: Sequence[str], date: dt.date
) -> Event:
    """Electors sign; reaching the threshold recalls the delegates at once."""
    petition = get_petition(org, petition_id)
    if petition.status != "open":
        raise DomainError(
            f"petition {petition_id} is closed ({petition.status} on {petition.closed_on})",
            field="petition",
            value=petition_id,
        )
    if not electors:
        raise DomainError("no signatures given", field="electors", value=[])
    _not_before(date, petition.opened_on, f"petition {petition_id} opened")
    batch: set[str] = set()
    for elector in electors:
        _check_elector_of(org, elector, petition.constituency)
        if elector in petition.signatures or elector in batch:
            raise DomainError(
                f"elector {elector!r} has already signed petition {petition_id}",
                field="elector",
                value=elector,
            )
        batch.add(elector)
    total = len(petition.signatures) + len(batch)
    outcome: ev.RecallOutcome | None = None
    if total >= signatures_needed(org, petition):
        next_id = next_number(org.delegates)
        replacements = [
            ev.ElectedSeat(
                delegate_id=next_id + i,
                seat=org.delegates[delegate_id].seat,
                name=r.name,
                group=r.group,
                rights="voice-and-vote",
                term_days=None,
            )
            for i, (delegate_id, r) in enumerate(
                zip(petition.delegate_ids, petition.replacements, strict=False)
            )
        ]
        outcome = ev.RecallOutcome(recalled=list(petition.delegate_ids), replacements=replacements)
    return ev.RecallSigned(
        petition=petition_id,
        electors=sorted(batch),
        signatures=total,
        needed=signatures_needed(org, petition),
        date=date,
        outcome=outcome,
    )


def withdraw_signature(org: Organisation, petition_id: int, elector: str, date: dt.date) -> Event:
    """An elector takes their signature off a petition that is still open (a petition
    that has recalled is closed: its signatures stand)."""
    petition = get_petition(org, petition_id)
    if petition.status != "open":
        raise DomainError(
            f"petition {petition_id} is closed ({petition.status} on {petition.closed_on})",
            field="petition",
            value=petition_id,
        )
    if elector not in petition.signatures:
        raise DomainError(
            f"elector {elector!r} has not signed petition {petition_id}",
            field="elector",
            value=elector,
        )
    signed_on = petition.signatures[elector]
    _not_before(date, signed_on, f"{elector!r} signed petition {petition_id}")
    return ev.SignatureWithdrawn(
        petition=petition_id,
        elector=elector,
        signatures=len(petition.signatures) - 1,
        date=date,
    )


# --- secretaries -----------------------------------------------------------------------
def appoint_secretary(org: Organisation, council: str, member: str, date: dt.date) -> Event:
    """A member (by member id, the key of the register) becomes a secretary of a council.

    The member need not be on one of the council's rolls yet: a new council's first
    secretary sets up its constituencies and imports its rolls."""
    get_council(org, council)
    if not member.strip():
        raise DomainError("member must not be empty", field="member", value=member)
    if org.is_secretary(council, member):
        raise DomainError(
            f"{member!r} is already a secretary of {council!r}", field="member", value=member
        )
    return ev.SecretaryAppointed(
        council=council, member=member, number=next_number(org.secretaries), date=date
    )


def dismiss_secretary(org: Organisation, council: str, member: str, date: dt.date) -> Event:
    """A secretary of a council is dismissed."""
    get_council(org, council)
    current = where(org.secretaries, council=council, member=member, dismissed_on=None)
    if not current:
        raise DomainError(
            f"{member!r} is not a secretary of {council!r}", field="member", value=member
        )
    appointment = current[0]
    _not_before(date, appointment.appointed_on, f"{member!r} was appointed")
    return ev.SecretaryDismissed(
        council=council, member=member, number=appointment.number, date=date
    )


def dissolve(
    org: Organisation,
    council: str,
    date: dt.date,
    *,
    votes_for: int | None = None,
    votes_against: int | None = None,
) -> Event:
    """The council votes to dissolve itself: every seat falls vacant for re-election."""
    get_council(org, council)
    if (votes_for is None) != (votes_against is None):
        raise DomainError(
            "give both votes_for and votes_against, or neither", field="votes_for", value=votes_for
        )
    if votes_for is not None and votes_against is not None:
        if votes_for < 0 or votes_against < 0:
            raise DomainError("vote counts must be 0 or more", field="votes", value=votes_for)
        if votes_for <= votes_against:
            raise DomainError(
                f"dissolution of {council!r} not carried: {votes_for} for, {votes_against} against",
                field="votes_for",
                value=votes_for,
            )
    if votes_for is not None and votes_against is not None:
        seats = apportion(org, council).total
        if votes_for + votes_against > seats:
            raise DomainError(
                f"{votes_for + votes_against} votes on dissolving {council!r} "
                f"({votes_for} for, {votes_against} against) but it has {seats} seats",
                field="votes",
                value=votes_for + votes_against,
            )
    names = {c.name for c in org.constituencies_of(council)}
    vacated = [d.id for d in org.sitting_delegates() if d.constituency in names]
    if not vacated:
        raise DomainError(
            f"council {council!r} has no sitting delegate to dissolve",
            field="council",
            value=council,
        )
    lapsed = sorted(p.id for p in where(org.petitions, status="open") if p.constituency in names)
    return ev.CouncilDissolved(
        council=council,
        date=date,
        votes_for=votes_for,
        votes_against=votes_against,
        vacated=vacated,
        closed_petitions=lapsed,
    )


# --- staleness -----------------------------------------------------------------------
@dataclass(frozen=True)
class StaleDelegate:
    """A delegate sitting longer than their term allows."""

    delegate: Delegate
    days: int
    limit: int


def stale_delegates(org: Organisation, council: str, on: dt.date) -> list[StaleDelegate]:
    """Sitting delegates elected longer ago than their own term or the council's maximum."""
    c = get_council(org, council)
    names = {x.name for x in org.constituencies_of(council)}
    stale = []
    for d in org.sitting_delegates():
        if d.constituency not in names:
            continue
        limits = [x for x in (d.term_days, c.max_term_days) if x is not None]
        if not limits:
            continue
        days = (on - d.elected_on).days
        if days > min(limits):
            stale.append(StaleDelegate(d, days, min(limits)))
    return stale
