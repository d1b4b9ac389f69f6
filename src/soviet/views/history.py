"""The ledger as sentences (``soviet history``): one renderer per event class.

Each event becomes one short plain-English sentence naming the people, bodies, numbers
and outcome ("Ivanova (Left) elected for Press shop, 212 votes"). Events name delegates,
credentials, motions and petitions by number, so a :class:`Narrator` reads the ledger
in order and remembers who and what each number stands for. An entry it cannot read (a
type this soviet does not know, a payload of the wrong shape from an old or foreign
ledger) is shown as its type and compact payload: history never fails on a bad entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from soviet.application.ledger import LedgerEntry
from soviet.domain import events as ev
from soviet.domain.events import Event
from soviet.views.congress import when

TEXT_SHORT = 60
"""Quoted texts (motions, mandates, reasons) are cut at a word boundary near this length."""
PAYLOAD_SHORT = 120
"""A fallback's compact payload is cut to this length."""
NAMES_LISTED = 3
"""Up to this many people are named; more are counted (by group where known)."""

E = TypeVar("E", bound=Event)
Renderer = Callable[[Any, "Narrator"], str]

RENDERERS: dict[type[Event], Renderer] = {}
"""The renderer of each event class (a test checks that every exported class has one)."""


def renders(cls: type[E]) -> Callable[[Callable[[E, Narrator], str]], Callable[[E, Narrator], str]]:
    """Register the decorated function as the sentence of events of class ``cls``."""

    def register(fn: Callable[[E, Narrator], str]) -> Callable[[E, Narrator], str]:
        if cls in RENDERERS:
            raise TypeError(f"two renderers for {cls.__name__}")
        RENDERERS[cls] = cast(Renderer, fn)
        return fn

    return register


@dataclass(frozen=True)
class Line:
    """One ledger entry as history shows it: the event's date (ISO, "" when it has none),
    its sentence, and whether that is the fallback (type name and compact payload)."""

    date: str
    sentence: str
    fallback: bool = False


@dataclass
class _Delegate:
    name: str
    group: str | None


@dataclass
class Narrator:
    """Turns ledger entries, read in order, into :class:`Line` s.

    It remembers what earlier events established (delegates by id, credentials,
    motions and votes by congress and number, petitions), so later sentences can name
    them; feed it every entry, also those a filter will not show.
    """

    delegates: dict[int, _Delegate] = field(default_factory=dict)
    credentials: dict[tuple[str, int], _Delegate] = field(default_factory=dict)
    motions: dict[tuple[str, int], str] = field(default_factory=dict)
    amends: dict[tuple[str, int], int] = field(default_factory=dict)
    votes: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    petitions: dict[int, str] = field(default_factory=dict)

    def line(self, type_name: str, payload: str | Mapping[str, Any]) -> Line:
        """The line of one entry (``payload`` as the ledger stores it, or parsed)."""
        data: Any = payload
        try:
            if isinstance(payload, str):
                data = json.loads(payload)
            event = ev.event_from_record(type_name, data)
            renderer = RENDERERS.get(type(event))
            if renderer is None:
                return fallback(type_name, data)
            sentence = renderer(event, self)
            self._learn(event)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            # Unknown type, unknown fields, or values of the wrong shape: a foreign or
            # damaged entry is shown raw rather than stopping the whole history.
            return fallback(type_name, data)
        date = getattr(event, "date", None)
        return Line(date.isoformat() if isinstance(date, dt.date) else "", sentence)

    # --- what later sentences need to know --------------------------------------------
    def _learn(self, event: Event) -> None:
        match event:
            case ev.DelegatesElected(elected=seats):
                self._seat(seats)
            case ev.RecallSigned(outcome=outcome) if outcome is not None:
                self._seat(outcome["replacements"])
            case ev.RecallOpened(petition=number, constituency=constituency):
                self.petitions[number] = constituency
            case ev.RecallOpenedOnVote(petition=number, constituency=constituency):
                self.petitions[number] = constituency
            case ev.ConstituencyRenamed(name=old, to=new):
                # Petitions follow their constituency to its new name.
                for number, where in self.petitions.items():
                    if where == old:
                        self.petitions[number] = new
            case ev.CredentialPresented(congress=congress, number=number) as c:
                self.credentials[congress, number] = _Delegate(c.delegate, c.group)
            case ev.CongressDelegatesElected(congress=congress, credentials=issued):
                for i in issued:
                    self.credentials[congress, i["number"]] = _Delegate(i["delegate"], i["group"])
            case ev.GroupDeclared(congress=congress, credentials=numbers, group=group):
                for n in numbers:
                    self.credential(congress, n).group = group
            case ev.MotionTabled(congress=congress, number=number, title=title, amends=amends):
                self.motions[congress, number] = title
                if amends is not None:
                    self.amends[congress, number] = amends
            case ev.VoteOpened(congress=congress, vote=vote, motion=motion, stage=stage):
                self.votes[congress, vote] = (motion, stage)
            case _:
                pass

    def _seat(self, seats: Iterable[ev.ElectedSeat]) -> None:
        for s in seats:
            self.delegates[s["delegate_id"]] = _Delegate(s["name"], s["group"])

    # --- names of what events refer to by number --------------------------------------
    def delegate(self, delegate_id: int) -> str:
        """A delegate's name (``delegate 7`` when the ledger read so far does not say)."""
        known = self.delegates.get(delegate_id)
        return known.name if known else f"delegate {delegate_id}"

    def credential(self, congress: str, number: int) -> _Delegate:
        """The delegate holding a credential (a placeholder when not yet presented)."""
        known = self.credentials.get((congress, number))
        if known is None:
            known = self.credentials[congress, number] = _Delegate(f"credential {number}", None)
        return known

    def credential_of(self, congress: str, number: int) -> str:
        """``Credential 5 (Lenin)``, or ``Credential 5`` when its holder is not known."""
        if (congress, number) not in self.credentials:
            return f"Credential {number}"
        return f"Credential {number} ({self.credentials[congress, number].name})"

    def holders(self, congress: str, numbers: Sequence[int]) -> str:
        """The delegates holding ``numbers``: named when few, else counted by group."""
        people = [self.credential(congress, n) for n in numbers]
        if len(people) <= NAMES_LISTED:
            return _and([p.name for p in people])
        return f"{len(people)} delegates{_by_group(p.group for p in people)}"

    def motion(self, congress: str, number: int) -> str:
        """``motion 2`` or ``amendment 4 to motion 2``."""
        amends = self.amends.get((congress, number))
        if amends is None:
            return f"motion {number}"
        return f"amendment {number} to motion {amends}"


# --- helpers ------------------------------------------------------------------------------
def shorten(text: str, limit: int = TEXT_SHORT) -> str:
    """``text`` cut at the last word boundary before ``limit`` characters, with an
    ellipsis; a text without spaces is cut at the limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]  # a space just after the limit's last word keeps that word
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[: limit - 1]
    return cut.rstrip(" ,;:.-(") + "…"


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _group_sizes(groups: Iterable[str | None]) -> tuple[str, bool]:
    """``Bolsheviks 80, Left SRs 22, no group 1`` (largest first), or the one group's name
    alone, with whether it is alone; "" when no group is known."""
    sizes = Counter(g or "no group" for g in groups)
    if set(sizes) <= {"no group"}:
        return "", False
    if len(sizes) == 1:
        return next(iter(sizes)), True
    parts = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{g} {n}" for g, n in parts), False


def _by_group(groups: Iterable[str | None]) -> str:
    """`` (Bolsheviks 80, Left SRs 22)`` or `` (all Bolsheviks)``; "" if no group is known."""
    sizes, alone = _group_sizes(groups)
    if not sizes:
        return ""
    return f" (all {sizes})" if alone else f" ({sizes})"


def _person(name: str, group: str | None) -> str:
    return f"{name} ({group})" if group else name


def _numbers(numbers: Sequence[int]) -> str:
    """``1-30, 35``: sorted numbers with runs joined."""
    runs: list[str] = []
    ordered = sorted(set(numbers))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        runs.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return shorten(", ".join(runs), TEXT_SHORT)


def _quote(text: str) -> str:
    return f"“{shorten(text)}”"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def fallback(type_name: str, payload: Any) -> Line:
    """An entry no renderer can read: its type and compact payload, shortened."""
    date = payload.get("date") if isinstance(payload, Mapping) else None
    text = payload if isinstance(payload, str) else _compact(payload)
    return Line(
        date if isinstance(date, str) else "", f"{type_name}: {shorten(text, PAYLOAD_SHORT)}", True
    )


def _changes(changes: Mapping[str, Any]) -> str:
    parts = []
    for name, value in sorted(changes.items()):
        if value is None:
            shown = "none"
        elif isinstance(value, str):
            shown = value
        elif isinstance(value, list) and all(isinstance(x, str) for x in value):
            shown = _and(value) or "none"
        else:
            shown = _compact(value)
        parts.append(f"{name.replace('_', ' ')} {shorten(str(shown), 40)}")
    return ", ".join(parts) or "nothing"


# --- councils, constituencies and rolls ---------------------------------------------------
@renders(ev.CouncilCreated)
def _council_created(e: ev.CouncilCreated, _: Narrator) -> str:
    parts = [f"seat rule {e.seat_rule.get('method', '?')}"]
    if e.sections:
        parts.append(f"sections {_and(e.sections)}" + ("" if e.sections_merged else " apart"))
    parts.append(f"recall on more than {e.recall_threshold} of electors, then {e.recall_mode}")
    if e.max_term_days is not None:
        parts.append(f"terms of at most {e.max_term_days} days")
    return f"Council {e.name} created: " + ", ".join(parts)


@renders(ev.CouncilSectionsArranged)
def _sections(e: ev.CouncilSectionsArranged, _: Narrator) -> str:
    return f"{e.council}'s sections now sit {'together' if e.merged else 'apart'}"


@renders(ev.ConstituencyCreated)
def _constituency_created(e: ev.ConstituencyCreated, _: Narrator) -> str:
    about = ", ".join(x for x in (e.kind, e.section) if x)
    roll = (
        f"{_plural(e.headcount, 'elector')}"
        if e.roll == "numbered"
        else f"named roll of {_plural(len(e.electors), 'elector')}"
    )
    kind = f" ({about})" if about else ""
    return f"Constituency {e.name}{kind} created in {e.council}, {roll}"


@renders(ev.HeadcountSet)
def _headcount(e: ev.HeadcountSet, _: Narrator) -> str:
    return f"{e.constituency} now has {_plural(e.headcount, 'elector')}"


@renders(ev.ElectorsEnrolled)
def _enrolled(e: ev.ElectorsEnrolled, _: Narrator) -> str:
    if len(e.electors) <= NAMES_LISTED:
        return f"{_and(e.electors)} enrolled in {e.constituency}"
    return f"{len(e.electors)} electors enrolled in {e.constituency}"


@renders(ev.RollImported)
def _roll_imported(e: ev.RollImported, _: Narrator) -> str:
    where = f"the roll of {e.constituency}" if e.constituency else "the member register"
    counts = [
        _plural(len(items), "member") + " " + verb
        for items, verb in (
            (e.added, "added"),
            (e.moved, "moved"),
            (e.renamed, "renamed"),
            (e.removed, "removed"),
        )
        if items
    ]
    return f"Imported {where}: {_and(counts) if counts else 'nothing changed'}"


@renders(ev.ElectorMoved)
def _moved(e: ev.ElectorMoved, _: Narrator) -> str:
    return f"Elector {e.elector} moved from {e.from_} to {e.to}"


@renders(ev.ElectorRemoved)
def _elector_removed(e: ev.ElectorRemoved, _: Narrator) -> str:
    return f"Elector {e.elector} struck off the roll of {e.constituency}"


@renders(ev.CouncilChanged)
def _council_changed(e: ev.CouncilChanged, _: Narrator) -> str:
    return f"Council {e.council} changed: {_changes(e.changes)}"


@renders(ev.CouncilRenamed)
def _council_renamed(e: ev.CouncilRenamed, _: Narrator) -> str:
    return f"Council {e.name} renamed {e.to}"


@renders(ev.CouncilRemoved)
def _council_removed(e: ev.CouncilRemoved, _: Narrator) -> str:
    return f"Council {e.name} removed"


@renders(ev.ConstituencyChanged)
def _constituency_changed(e: ev.ConstituencyChanged, _: Narrator) -> str:
    return f"Constituency {e.constituency} changed: {_changes(e.changes)}"


@renders(ev.ConstituencyRenamed)
def _constituency_renamed(e: ev.ConstituencyRenamed, _: Narrator) -> str:
    return f"Constituency {e.name} renamed {e.to}"


@renders(ev.ConstituencyRemoved)
def _constituency_removed(e: ev.ConstituencyRemoved, _: Narrator) -> str:
    roll = f" with {_plural(len(e.electors), 'elector')}" if e.electors else ""
    return f"Constituency {e.name} removed{roll}"


# --- elections, mandates, recall, dissolution ---------------------------------------------
def _votes(n: int | None) -> str:
    return "" if n is None else f", {_plural(n, 'vote')}"


@renders(ev.DelegatesElected)
def _elected(e: ev.DelegatesElected, _: Narrator) -> str:
    lots = "; lots drawn" if e.tie_breaks else ""
    seats = e.elected
    if not seats:
        return f"No delegate elected for {e.constituency}{lots}"

    def votes_of(s: ev.ElectedSeat) -> int | None:
        # Candidates are tallied by name, lists by group.
        if s["name"] in e.tally:
            return e.tally[s["name"]]
        return e.tally.get(s["group"]) if s["group"] is not None else None

    if len(seats) == 1:
        s = seats[0]
        who = _person(s["name"], s["group"])
        return f"{who} elected for {e.constituency}{_votes(votes_of(s))}{lots}"
    if len(seats) <= NAMES_LISTED and all(s["name"] in e.tally for s in seats):
        named = [
            f"{s['name']} ({s['group'] + ', ' if s['group'] else ''}"
            f"{_plural(e.tally[s['name']], 'vote')})"
            for s in seats
        ]
        return f"{_and(named)} elected for {e.constituency}{lots}"
    won = Counter(s["group"] or "no group" for s in seats)
    parts = []
    for group, n in sorted(won.items(), key=lambda kv: (-kv[1], kv[0])):
        votes = e.tally.get(group)
        parts.append(f"{group} {n}" + (f" ({_plural(votes, 'vote')})" if votes is not None else ""))
    return (
        f"{len(seats)} delegates elected for {e.constituency} by {e.method}: "
        f"{', '.join(parts)}{lots}"
    )


@renders(ev.MandateAdopted)
def _mandate(e: ev.MandateAdopted, n: Narrator) -> str:
    who = n.delegate(e.delegate_id)
    return f"{e.constituency} adopted mandate {e.number} for {who}: {_quote(e.text)}"


@renders(ev.RecallOpened)
def _recall_opened(e: ev.RecallOpened, n: Narrator) -> str:
    ids = e.delegate_ids
    against = (
        _and([n.delegate(d) for d in ids]) if len(ids) <= NAMES_LISTED else f"{len(ids)} delegates"
    )
    named = ""
    if e.replacements:
        people = [_person(r["name"], r["group"]) for r in e.replacements]
        named = ", naming " + (
            _and(people) if len(people) <= NAMES_LISTED else _plural(len(people), "replacement")
        )
    return f"Recall petition {e.petition} against {against} opened in {e.constituency}{named}"


@renders(ev.RecallSigned)
def _recall_signed(e: ev.RecallSigned, n: Narrator) -> str:
    if e.outcome is None:
        return (
            f"{_plural(len(e.electors), 'elector')} signed recall petition {e.petition}: "
            f"{e.signatures} of {e.needed} signatures needed"
        )
    recalled = e.outcome["recalled"]
    who = (
        _and([n.delegate(d) for d in recalled])
        if len(recalled) <= NAMES_LISTED
        else f"{len(recalled)} delegates"
    )
    where = n.petitions.get(e.petition)
    sentence = (
        f"Recall petition {e.petition} reached {e.signatures} signatures ({e.needed} needed): "
        f"{who}{' of ' + where if where else ''} recalled"
    )
    replacements = e.outcome["replacements"]
    if replacements:
        people = [_person(r["name"], r["group"]) for r in replacements]
        sentence += ", replaced by " + (
            _and(people) if len(people) <= NAMES_LISTED else _plural(len(people), "new delegate")
        )
    return sentence


@renders(ev.SignatureWithdrawn)
def _signature_withdrawn(e: ev.SignatureWithdrawn, _: Narrator) -> str:
    return (
        f"{e.elector} withdrew their signature from recall petition {e.petition}: "
        f"{_plural(e.signatures, 'signature')} left"
    )


@renders(ev.SecretaryAppointed)
def _secretary_appointed(e: ev.SecretaryAppointed, _: Narrator) -> str:
    return f"{e.member} appointed a secretary of {e.council}"


@renders(ev.SecretaryDismissed)
def _secretary_dismissed(e: ev.SecretaryDismissed, _: Narrator) -> str:
    return f"{e.member} dismissed as a secretary of {e.council}"


@renders(ev.CouncilDissolved)
def _dissolved(e: ev.CouncilDissolved, _: Narrator) -> str:
    vote = ""
    if e.votes_for is not None and e.votes_against is not None:
        vote = f" by {e.votes_for} votes to {e.votes_against}"
    lapsed = (
        f", {_plural(len(e.closed_petitions), 'petition')} lapsed" if e.closed_petitions else ""
    )
    return f"{e.council} dissolved{vote}: {_plural(len(e.vacated), 'seat')} vacated{lapsed}"


# --- congresses: the call and credentials -------------------------------------------------
@renders(ev.CongressCalled)
def _called(e: ev.CongressCalled, _: Narrator) -> str:
    seats = sum(e.senders.values())
    return (
        f"{e.convened_by} called {e.name} for {when(e.opens_on)}: "
        f"{_plural(seats, 'seat')} from {_plural(len(e.senders), 'sender')}, quorum {e.quorum}"
    )


@renders(ev.CongressPostponed)
def _postponed(e: ev.CongressPostponed, _: Narrator) -> str:
    return f"{e.by} postponed {e.congress} to {when(e.opens_on)}"


def _problems(problems: Sequence[str]) -> str:
    return f"; problems: {shorten('; '.join(problems))}" if problems else ""


@renders(ev.CredentialPresented)
def _presented(e: ev.CredentialPresented, _: Narrator) -> str:
    voice = ", voice only" if e.rights == "voice-only" else ""
    return (
        f"{_person(e.delegate, e.group)} presented credential {e.number} from "
        f"{e.sent_by}{voice}{_problems(e.problems)}"
    )


@renders(ev.CongressDelegatesElected)
def _congress_elected(e: ev.CongressDelegatesElected, _: Narrator) -> str:
    issued = e.credentials
    if len(issued) <= NAMES_LISTED:
        who = _and([_person(c["delegate"], c["group"]) for c in issued]) or "no delegate"
    else:
        who = f"{len(issued)} delegates{_by_group(c['group'] for c in issued)}"
    flagged = sum(1 for c in issued if c["problems"])
    problems = f"; {flagged} with problems" if flagged else ""
    lots = "; lots drawn" if e.tie_breaks else ""
    return f"{e.council} elected {who} to {e.congress}{problems}{lots}"


def _ruling(accepted: bool, override: bool, reason: str | None) -> str:
    verdict = "accepted" if accepted else "rejected"
    if override:
        verdict += " despite its problems"
    return verdict + (f": {shorten(reason)}" if reason else "")


@renders(ev.CredentialRuled)
def _ruled(e: ev.CredentialRuled, n: Narrator) -> str:
    return f"{n.credential_of(e.congress, e.number)} {_ruling(e.accepted, e.override, e.reason)}"


@renders(ev.CredentialsRuled)
def _ruled_many(e: ev.CredentialsRuled, _: Narrator) -> str:
    verdict = "accepted" if e.accepted else "rejected"
    over = f" ({len(e.overridden)} despite their problems)" if e.overridden else ""
    reason = f"; {shorten(e.reason)}" if e.reason else ""
    return f"{_plural(len(e.numbers), 'credential')} {verdict}{over}: {_numbers(e.numbers)}{reason}"


@renders(ev.CredentialReconsidered)
def _reconsidered(e: ev.CredentialReconsidered, n: Narrator) -> str:
    return (
        f"{n.credential_of(e.congress, e.number)} reconsidered, now "
        f"{_ruling(e.accepted, e.override, e.reason)} (was {e.was})"
    )


# --- congresses: the session ----------------------------------------------------------------
@renders(ev.AttendanceRecorded)
def _attendance(e: ev.AttendanceRecorded, n: Narrator) -> str:
    who = n.holders(e.congress, e.credentials)
    verb = "arrived" if e.present else "left"
    return f"{who} {verb}" + (f": {shorten(e.reason)}" if e.reason else "")


@renders(ev.CongressOpened)
def _opened(e: ev.CongressOpened, _: Narrator) -> str:
    ended = e.ended_committee
    if ended is None:
        return f"{e.congress} opened"
    return f"{e.congress} opened, ending the mandate of {ended['congress']}'s {ended['committee']}"


@renders(ev.CongressClosed)
def _closed(e: ev.CongressClosed, _: Narrator) -> str:
    return f"{e.congress} closed"


@renders(ev.GroupDeclared)
def _group(e: ev.GroupDeclared, n: Narrator) -> str:
    # Where they came from is read before _learn moves them.
    came_from, _ = _group_sizes(n.credential(e.congress, c).group for c in e.credentials)
    people = [n.credential(e.congress, c).name for c in e.credentials]
    who = _and(people) if len(people) <= NAMES_LISTED else f"{len(people)} delegates"
    if e.group is None:
        groups = "their group" if len(people) == 1 else "their groups"
        return f"{who} left {groups}" + (f" ({came_from})" if came_from else "")
    return f"{who} joined {e.group}" + (f" (from {came_from})" if came_from else "")


@renders(ev.CommitteeElected)
def _committee(e: ev.CommitteeElected, _: Narrator) -> str:
    if e.kind == "post":
        m = e.members[0] if e.members else None
        who = _person(m["name"], m["group"]) if m else "nobody"
        return f"{who} elected {e.committee} of {e.congress}"
    seats = {g: k for g, k in e.allocation.items() if k > 0}
    empty = sum(k for g, k in seats.items() if g in e.declined)
    filled = sorted(
        ((g, k) for g, k in seats.items() if g not in e.declined), key=lambda kv: (-kv[1], kv[0])
    )
    sentence = f"{e.committee} of {e.congress} elected, {_plural(e.seats, 'seat')}: " + ", ".join(
        f"{g} {k}" for g, k in filled
    )
    if e.declined:
        left = f"{_plural(empty, 'seat')} left empty" if empty else "their seats shared out"
        sentence += f"; {_and(e.declined)} declined, {left}"
    return sentence


@renders(ev.AgendaAdopted)
def _agenda(e: ev.AgendaAdopted, _: Narrator) -> str:
    items = "; ".join(f"{i}. {x}" for i, x in enumerate(e.items, 1))
    return f"{e.congress} adopted an agenda of {_plural(len(e.items), 'item')}: {shorten(items)}"


@renders(ev.MotionTabled)
def _tabled(e: ev.MotionTabled, n: Narrator) -> str:
    mover = n.credential(e.congress, e.mover).name
    what = (
        f"Amendment {e.number} to motion {e.amends}"
        if e.amends is not None
        else f"Motion {e.number}"
    )
    flags = [
        x
        for x, on in (("decree", e.decree), ("urgent", e.urgent), ("no debate", e.without_debate))
        if on
    ]
    extra = f" ({', '.join(flags)})" if flags else ""
    item = f" under {shorten(e.item, 40)}" if e.item else ""
    replaces = f", replacing {_quote(e.replaces)} with" if e.replaces is not None else ","
    return (
        f"{what} tabled by {mover}{item}{extra}: {shorten(e.title, 40)}{replaces} {_quote(e.text)}"
    )


@renders(ev.MotionsOrdered)
def _ordered(e: ev.MotionsOrdered, _: Narrator) -> str:
    order = ", ".join(str(m) for m in e.order)
    return f"Motions to be put in the order {order}, decided by {e.decided_by}"


@renders(ev.MotionWithdrawn)
def _withdrawn(e: ev.MotionWithdrawn, n: Narrator) -> str:
    return f"{n.motion(e.congress, e.motion).capitalize()} withdrawn"


@renders(ev.VoteOpened)
def _vote_opened(e: ev.VoteOpened, n: Narrator) -> str:
    title = n.motions.get((e.congress, e.motion))
    about = f" ({shorten(title, 40)})" if title else ""
    how = [
        e.stage + " vote" if e.stage != "basis" else "as a basis",
        e.mode.replace("-", " "),
        f"{e.majority} majority",
    ]
    if e.abstentions != "ignored":
        how.append(f"abstentions {e.abstentions.replace('-', ' ')}")
    if e.weighted:
        how.append("weighted by electors represented")
    supersedes = f", superseding vote {e.supersedes}" if e.supersedes is not None else ""
    motion = n.motion(e.congress, e.motion)
    return f"Vote {e.vote} opened on {motion}{about}: {', '.join(how)}{supersedes}"


@renders(ev.BallotCast)
def _cast(e: ev.BallotCast, n: Narrator) -> str:
    who = n.credential(e.congress, e.credential).name
    if e.choice is None:
        return f"{who} cast a secret ballot in vote {e.vote}"
    choice = {"for": "for", "against": "against", "abstain": "to abstain"}.get(e.choice, e.choice)
    sentence = f"{who} voted {choice} in vote {e.vote}"
    if e.proxy_for:
        givers = [n.credential(e.congress, g).name for g in e.proxy_for]
        sentence += f", and by proxy for {_and(givers)}"
    if e.weights:
        sentence += f" (weight {sum(e.weights.values()):,})"
    return sentence


@renders(ev.VoteClosed)
def _vote_closed(e: ev.VoteClosed, n: Narrator) -> str:
    motion, stage = n.votes.get((e.congress, e.vote), (None, "final"))
    what = n.motion(e.congress, motion).capitalize() if motion is not None else f"Vote {e.vote}"
    if stage == "basis":
        outcome = "adopted as a basis" if e.carried else "not adopted as a basis"
    else:
        outcome = "carried" if e.carried else "lost"
    c = e.counts
    tally = (
        f"{c.get('for', 0)} for, {c.get('against', 0)} against, {c.get('abstain', 0)} abstaining"
    )
    decree = ""
    if e.decree is not None:
        decree = f"; decree {e.decree['number']} adopted: {shorten(e.decree['title'], 40)}"
    if e.weighted_counts is not None:
        w = e.weighted_counts
        tally = (
            f"by weight {w.get('for', 0):,} for, {w.get('against', 0):,} against, "
            f"{w.get('abstain', 0):,} abstaining (by heads {tally})"
        )
    return f"{what} {outcome}: {tally}{decree}"


# --- orders: units, oversight committees, commissioners, countersigned orders ---
def _countersign_rule(e: ev.OversightCommitteeFormed) -> str:
    if e.rule == "all":
        return f"all {_plural(len(e.members), 'member')}"
    if e.rule == "k-of-n":
        return f"{e.k} of {_plural(len(e.members), 'member')}"
    return _and(list(e.required_roles or []))


@renders(ev.OversightCommitteeFormed)
def _oversight_committee_formed(e: ev.OversightCommitteeFormed, _: Narrator) -> str:
    return (
        f"{e.council} formed the oversight committee {e.name} ({_and(e.members)}): orders "
        f"to its units need the countersignature of {_countersign_rule(e)}"
    )


@renders(ev.UnitCreated)
def _unit_created(e: ev.UnitCreated, _: Narrator) -> str:
    sentence = f"Unit {e.name} created in {e.council}"
    if e.constituency is not None:
        sentence += f" (constituency {e.constituency})"
    if e.committee is not None:
        sentence += f", overseen by {e.committee}"
    if e.restricted:
        sentence += f"; {_and(e.restricted)} only on order of its commissioners"
    return sentence


@renders(ev.UnitPlaced)
def _unit_placed(e: ev.UnitPlaced, _: Narrator) -> str:
    return f"Unit {e.unit} placed under the oversight of {e.committee}"


@renders(ev.CommissionerAppointed)
def _commissioner_appointed(e: ev.CommissionerAppointed, _: Narrator) -> str:
    return f"{e.member} appointed commissioner of unit {e.unit} by {e.committee}"


@renders(ev.CommissionerRecalled)
def _commissioner_recalled(e: ev.CommissionerRecalled, _: Narrator) -> str:
    return f"{e.member} recalled as commissioner of unit {e.unit}"


@renders(ev.OrderIssued)
def _order_issued(e: ev.OrderIssued, _: Narrator) -> str:
    by = f"commissioner {e.issuer}" if e.by_commissioner else e.issuer
    return (
        f"Order {e.number} to {e.unit} issued by {by}: {e.action}, “{shorten(e.text, 60)}”; "
        f"pending the countersignature of {e.committee}"
    )


@renders(ev.OrderCountersigned)
def _order_countersigned(e: ev.OrderCountersigned, _: Narrator) -> str:
    outcome = "now valid" if e.valid else "still pending"
    return (
        f"Order {e.order} countersigned by {e.member} "
        f"({_plural(e.signatures, 'signature')}): {outcome}"
    )


@renders(ev.OrderReturned)
def _order_returned(e: ev.OrderReturned, _: Narrator) -> str:
    return f"Order {e.order} refused and returned by {e.member}: {shorten(e.reason, 80)}"


@renders(ev.UnitActionTaken)
def _unit_action_taken(e: ev.UnitActionTaken, _: Narrator) -> str:
    on = f"on order {e.order}" if e.order is not None else "without an order"
    return f"In unit {e.unit}: {e.action} by {e.taken_by}, {on}"


# --- executive: the council of commissioners and its decrees (decision 0018) ---
def _by_vote(vote: str | None) -> str:
    return f" (vote {vote})" if vote else ""


@renders(ev.CommissionersCouncilFormed)
def _commissioners_council(e: ev.CommissionersCouncilFormed, _: Narrator) -> str:
    return f"{e.congress} formed the council of commissioners {e.name}, answerable to {e.ratifier}"


@renders(ev.DepartmentHeadAppointed)
def _department_head_appointed(e: ev.DepartmentHeadAppointed, _: Narrator) -> str:
    return (
        f"{e.appointed_by} appointed {e.member} head of {e.department} in {e.council}"
        f"{_by_vote(e.vote)}"
    )


@renders(ev.DepartmentHeadDismissed)
def _department_head_dismissed(e: ev.DepartmentHeadDismissed, _: Narrator) -> str:
    return (
        f"{e.dismissed_by} dismissed {e.member} as head of {e.department} in {e.council}"
        f"{_by_vote(e.vote)}"
    )


@renders(ev.UrgentPowersGranted)
def _urgent_powers(e: ev.UrgentPowersGranted, _: Narrator) -> str:
    return (
        f"{e.granted_by} granted {e.council} urgent decrees, to be ratified within "
        f"{e.ratify_within_days} days of signing"
    )


@renders(ev.ExecutiveDecreeIssued)
def _executive_decree(e: ev.ExecutiveDecreeIssued, _: Narrator) -> str:
    urgent = "urgent decree" if e.urgent else "decree"
    return f"{e.council} issued {urgent} {e.registry} ({e.department}): {e.title}; {e.status}"


@renders(ev.ExecutiveDecreeRatified)
def _executive_decree_ratified(e: ev.ExecutiveDecreeRatified, _: Narrator) -> str:
    return f"Decree {e.registry} ratified by {e.by}"


@renders(ev.ExecutiveDecreeAnnulled)
def _executive_decree_annulled(e: ev.ExecutiveDecreeAnnulled, _: Narrator) -> str:
    return f"Decree {e.registry} annulled by {e.by}"


@renders(ev.ExecutiveDecreeLapsed)
def _executive_decree_lapsed(e: ev.ExecutiveDecreeLapsed, _: Narrator) -> str:
    return f"Decree {e.registry} lapsed: not ratified by {e.deadline.isoformat()}"


@renders(ev.ConfidenceVoted)
def _confidence_voted(e: ev.ConfidenceVoted, _: Narrator) -> str:
    tally = f"{e.in_favour} for, {e.against} against, {e.abstaining} abstaining"
    if e.carried:
        return f"{e.by} kept its confidence in {e.council} ({tally})"
    return f"{e.by} withdrew its confidence from {e.council} ({tally}): the council resigns"


@renders(ev.SigningKeyRegistered)
def _signing_key(e: ev.SigningKeyRegistered, _: Narrator) -> str:
    return f"{e.holder} signs with key {e.public_key[:16]}..."


@renders(ev.ExecutiveDecreeSigned)
def _executive_decree_signed(e: ev.ExecutiveDecreeSigned, _: Narrator) -> str:
    done = ": every signature given" if e.complete else ""
    return f"{e.signer} signed decree {e.registry}{done}"


# --- consent workflows (workers' control) ---------------------------------------------------
@renders(ev.ConsentRuleSetUp)
def _consent_rule(e: ev.ConsentRuleSetUp, _: Narrator) -> str:
    decider = e.committee or e.general
    return (
        f"{e.council} made {', '.join(e.actions)} at {e.workplace} need the consent of "
        f"{decider} ({e.name}); disagreements to {e.escalation}"
    )


@renders(ev.WorkplaceActionProposed)
def _workplace_proposed(e: ev.WorkplaceActionProposed, _: Narrator) -> str:
    return (
        f"{e.proposed_by} proposed to {e.action} {e.subject} (case {e.number}): awaiting "
        f"{e.committee}"
    )


@renders(ev.WorkplaceActionConsented)
def _workplace_consented(e: ev.WorkplaceActionConsented, _: Narrator) -> str:
    return f"{e.committee} consented to case {e.number}: in effect"


@renders(ev.WorkplaceActionRefused)
def _workplace_refused(e: ev.WorkplaceActionRefused, _: Narrator) -> str:
    return f"{e.committee} refused case {e.number}: {e.reason}"


@renders(ev.WorkplaceActionEscalated)
def _workplace_escalated(e: ev.WorkplaceActionEscalated, _: Narrator) -> str:
    return f"Case {e.number} submitted to {e.council}"


@renders(ev.WorkplaceActionChallenged)
def _workplace_challenged(e: ev.WorkplaceActionChallenged, _: Narrator) -> str:
    return f"{e.by} challenged case {e.number} before {e.conciliation}"


@renders(ev.WorkplaceActionDecided)
def _workplace_decided(e: ev.WorkplaceActionDecided, _: Narrator) -> str:
    outcome = "in effect" if e.consent else "not in effect"
    return f"{e.body} decided case {e.number}, binding both sides: {outcome}"


@renders(ev.ConsentDefaultApplied)
def _consent_default(e: ev.ConsentDefaultApplied, _: Narrator) -> str:
    outcome = "consented, in effect" if e.consent else "refused"
    return f"No decision on case {e.number} by the deadline: {outcome} by default"


# --- list assemblies (issue 12) -----------------------------------------------------------
@renders(ev.AssemblyCreated)
def _assembly_created(e: ev.AssemblyCreated, _: Narrator) -> str:
    seats = sum(e.districts.values())
    rule = e.rule.get("method", "?")
    if e.rule.get("threshold"):
        rule += f", threshold {e.rule['threshold']}"
    return (
        f"Assembly {e.name} created: {seats} seats in {len(e.districts)} "
        f"district{'s' if len(e.districts) != 1 else ''}, {e.lists} lists by {rule} "
        f"({e.scope}), lists close {e.closing.isoformat()}, a fixed term of {e.term_days} "
        "days"
        + (f", opens with {e.opening_quorum} deputies present" if e.opening_quorum else "")
        + ", no recall"
    )


@renders(ev.PartyListRegistered)
def _party_list(e: ev.PartyListRegistered, _: Narrator) -> str:
    n = len(e.candidates)
    return (
        f"{e.party} registered its list in {e.district} for {e.assembly}: {n} "
        f"candidate{'s' if n != 1 else ''}, headed by {e.candidates[0]}"
    )


@renders(ev.ListVotesRecorded)
def _list_votes(e: ev.ListVotesRecorded, _: Narrator) -> str:
    votes = ", ".join(f"{p} {v:,}" for p, v in e.votes.items())
    return f"{e.district} voted for {e.assembly}'s lists: {votes}"


@renders(ev.AssemblySeatsAllocated)
def _assembly_seats(e: ev.AssemblySeatsAllocated, _: Narrator) -> str:
    seats = ", ".join(f"{p} {n}" for p, n in e.seats.items())
    return f"{e.assembly}'s seats allocated: {seats}"


@renders(ev.SplitAttributed)
def _split_attributed(e: ev.SplitAttributed, _: Narrator) -> str:
    shares = ", ".join(
        f"{g} {sum(1 for s in e.attribution.values() if s == g)}" for g in e.successors
    )
    return f"{e.party}'s members of {e.assembly} attributed by {e.rule} after its split: {shares}"


@renders(ev.AssemblyOpened)
def _assembly_opened(e: ev.AssemblyOpened, _: Narrator) -> str:
    return f"{e.assembly} opened with {e.present} deputies present"


@renders(ev.AssemblyRecallEmpowered)
def _assembly_recall_empowered(e: ev.AssemblyRecallEmpowered, _: Narrator) -> str:
    who = "any council" if "*" in e.councils else ", ".join(e.councils)
    return f"{e.by} empowered {who} to recall members of {e.assembly}"


@renders(ev.AssemblyMemberRecalled)
def _assembly_member_recalled(e: ev.AssemblyMemberRecalled, _: Narrator) -> str:
    return f"{e.council} recalled {e.member} from {e.assembly}; the seat stays vacant"


@renders(ev.AssemblyDissolved)
def _assembly_dissolved(e: ev.AssemblyDissolved, _: Narrator) -> str:
    return f"{e.by} dissolved {e.assembly}"


# --- weighted votes, proxies, mandates against votes (issue 11) ---------------------------
@renders(ev.WeightDeclared)
def _weight_declared(e: ev.WeightDeclared, n: Narrator) -> str:
    who = n.credential(e.congress, e.credential).name
    if e.weight is None:
        return f"{who}'s declared weight cleared: weighed by their constituency's headcount"
    return f"{who}'s ballot weighs {e.weight:,} in weighted votes of {e.congress}"


@renders(ev.ProxyGranted)
def _proxy_granted(e: ev.ProxyGranted, n: Narrator) -> str:
    giver = n.credential(e.congress, e.giver).name
    holder = n.credential(e.congress, e.holder).name
    return f"{giver} gave their vote to {holder} (proxy {e.number})"


@renders(ev.ProxyRevoked)
def _proxy_revoked(e: ev.ProxyRevoked, n: Narrator) -> str:
    giver = n.credential(e.congress, e.giver).name
    holder = n.credential(e.congress, e.holder).name
    return f"{giver} took back the vote given to {holder} (proxy {e.number})"


@renders(ev.MandateBound)
def _mandate_bound(e: ev.MandateBound, n: Narrator) -> str:
    who = n.delegate(e.delegate_id)
    if e.position == "free":
        how = f"leaves {who} free to vote as they judge"
    else:
        how = f"binds {who} to vote {e.position}"
    return f"{e.constituency}'s mandate {e.mandate} {how} on {n.motion(e.congress, e.motion)}"


@renders(ev.RecallOpenedOnVote)
def _recall_opened_on_vote(e: ev.RecallOpenedOnVote, n: Narrator) -> str:
    against = _and([n.delegate(d) for d in e.delegate_ids])
    return (
        f"Recall petition {e.petition} against {against} opened in {e.constituency}, "
        f"citing vote {e.vote} of {e.congress}, against {_plural(len(e.bindings), 'mandate')}"
    )


@dataclass(frozen=True)
class Entry:
    """One ledger entry on a page of the history: number, date, sentence, actor, hash."""

    seq: int
    date: str
    sentence: str
    actor: str
    hash: str
    recorded_at: str


def narrate(entries: Iterable[LedgerEntry], first: int) -> list[Entry]:
    """The entries from sequence number ``first`` on, as sentences. ``entries`` are read
    from the start of the ledger: the earlier ones are narrated too, unseen, because
    later sentences name what they set up."""
    narrator = Narrator()
    shown: list[Entry] = []
    for e in entries:
        line = narrator.line(e.type, e.payload)
        if e.seq >= first:
            shown.append(Entry(e.seq, line.date, line.sentence, e.actor, e.hash, e.recorded_at))
    return shown
