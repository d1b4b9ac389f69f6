"""Scenario files: an organisation's structure and a dated script of commands.

The Pydantic models below are the format's definition; ``schemas/scenario.schema.json``
is generated from them (``soviet schema``) and a test keeps the two identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from soviet.application.ledger import LedgerEntry
from soviet.application.service import CouncilService, Transaction
from soviet.domain import congress_rules, rules
from soviet.domain.calendar import Calendar, parse_date
from soviet.domain.congress import Congress
from soviet.domain.errors import DomainError
from soviet.domain.events import Event
from soviet.domain.model import Organisation

Source = Annotated[
    str,
    Field(
        description="Where the figures come from: 'file:line' in the seeds, or 'illustrative'.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CouncilSpec(_Strict):
    """A council and its rules."""

    name: str = Field(min_length=1)
    seat_rule: dict[str, Any] = Field(
        description="Seat rule for the counting engine, e.g. {method: per-unit, per: 1000, "
        "minimum: 1} or {method: dhondt, seats: 40}."
    )
    sections: list[str] = Field(default_factory=list)
    sections_merged: bool = True
    recall_threshold: str = Field(
        "1/2", description="Recall needs MORE than this share of the roll."
    )
    recall_mode: Literal["by-election", "replacement"] = "by-election"
    max_term_days: int | None = Field(None, gt=0)
    calendar: Calendar = "gregorian"
    description: str = ""
    may_convene: list[str] = Field(
        default_factory=list,
        description="Congresses this council has authority to convene ('*': any).",
    )
    source: Source | None = None


class ConstituencySpec(_Strict):
    """A constituency: a headcount (numbered roll) or a list of electors (named roll)."""

    name: str = Field(min_length=1)
    council: str
    section: str | None = None
    kind: str | None = Field(None, description="A label such as 'large factory' for the report.")
    headcount: int | None = Field(None, ge=0)
    electors: list[str] | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _one_roll(self) -> ConstituencySpec:
        if (self.headcount is None) == (self.electors is None):
            raise ValueError("give exactly one of 'headcount' or 'electors'")
        return self


class CandidateSpec(_Strict):
    """A candidate with aggregated votes."""

    name: str = Field(min_length=1)
    group: str | None = None
    votes: int = Field(0, ge=0)
    rights: Literal["voice-and-vote", "voice-only"] = "voice-and-vote"

    def domain(self) -> rules.Candidate:
        """The domain's candidate."""
        return rules.Candidate(self.name, self.group, self.votes, self.rights)


class _Step(_Strict):
    date: str = Field(description="YYYY-MM-DD in the scenario's calendar.")
    title: str = Field("", description="Shown by narrators such as 'soviet demo'.")
    narrative: str = ""
    source: Source | None = None
    checkpoint: bool = Field(False, description="Narrators show the composition after it.")


class ListSpec(_Strict):
    """A closed list: a group's votes and its candidates in list order."""

    group: str = Field(min_length=1)
    votes: int = Field(ge=0)
    candidates: list[str] | None = Field(
        None,
        description="Names in list order; when the sources name none, as many placeholders "
        "'GROUP list no. k (CONSTITUENCY, DATE)' as there are seats to fill.",
    )


class RankingSpec(_Strict):
    """Ranked ballots: an order of names and how many ballots carry it."""

    ranking: list[str] = Field(min_length=1)
    count: int = Field(ge=1)


class ElectStep(_Step):
    """Fill vacant seats of a constituency from candidates' votes, closed lists or ballots.

    With ``ballots``, ``method`` is any counting-engine method (stv-scottish, irv...) and
    ``candidates`` (optional) only give the candidates' groups.
    """

    action: Literal["elect"]
    constituency: str
    candidates: list[CandidateSpec] = Field(default_factory=list)
    lists: list[ListSpec] = Field(default_factory=list)
    ballots: list[RankingSpec] = Field(default_factory=list)
    method: str = "plurality"
    seats: int | None = Field(None, ge=1)
    term_days: int | None = Field(None, gt=0)
    seed: int | None = None

    @model_validator(mode="after")
    def _candidates_or_lists(self) -> ElectStep:
        if bool(self.candidates or self.ballots) == bool(self.lists):
            raise ValueError("give either 'candidates' (and/or 'ballots') or 'lists'")
        return self


class RecallOpenStep(_Step):
    """An elector opens a recall petition."""

    action: Literal["recall-open"]
    constituency: str
    by: str = Field(description="The elector opening the petition (NAME#k on a numbered roll).")
    seats: list[int] = Field(default_factory=list, description="Seats to recall.")
    whole_delegation: bool = Field(False, description="Recall every sitting delegate.")
    replacements: list[CandidateSpec] = Field(
        default_factory=list, description="One per recalled delegate (replacement councils)."
    )


class RecallSignStep(_Step):
    """Electors sign a petition, by name or by number range on a numbered roll."""

    action: Literal["recall-sign"]
    constituency: str
    seat: int | None = None
    electors: list[str] = Field(default_factory=list)
    numbers: str | None = Field(None, description="A range 'FIRST-LAST' of roll numbers.")

    @field_validator("numbers")
    @classmethod
    def _range(cls, value: str | None) -> str | None:
        if value is None:
            return value
        first, sep, last = value.partition("-")
        if not (sep and first.isdigit() and last.isdigit() and 1 <= int(first) <= int(last)):
            raise ValueError(f"numbers must look like '1-600', got {value!r}")
        return value


class MandateStep(_Step):
    """The electors instruct their delegate."""

    action: Literal["mandate"]
    constituency: str
    text: str = Field(min_length=1)
    seat: int | None = None


class DissolveStep(_Step):
    """The council votes to dissolve itself."""

    action: Literal["dissolve"]
    council: str
    votes_for: int | None = Field(None, ge=0)
    votes_against: int | None = Field(None, ge=0)


class HeadcountStep(_Step):
    """A numbered roll grows or shrinks."""

    action: Literal["headcount"]
    constituency: str
    headcount: int = Field(ge=0)


class EnrolStep(_Step):
    """Electors join a named roll."""

    action: Literal["enrol"]
    constituency: str
    electors: list[str] = Field(min_length=1)


class MoveStep(_Step):
    """An elector moves to another constituency."""

    action: Literal["move"]
    elector: str
    to: str


class RemoveStep(_Step):
    """An elector leaves the roll."""

    action: Literal["remove"]
    elector: str


class SectionsStep(_Step):
    """A council's sections merge or sit apart."""

    action: Literal["sections"]
    council: str
    merged: bool


# --- congress steps ----------------------------------------------------------------------
Numbers = Annotated[
    str,
    Field(
        description="Credential numbers: ranges and single numbers, e.g. '1-650' or '3,7-9'.",
        pattern=r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$",
    ),
]
Ref = Annotated[
    int | str,
    Field(description="A number, or a name (delegate) or title (motion) that names one."),
]
ChoiceName = Literal["for", "against", "abstain"]


class _CongressStep(_Step):
    congress: str = Field(min_length=1)


class CongressCallStep(_Step):
    """A convening call: body, opening date, delegates per sending body, quorum."""

    action: Literal["congress-call"]
    name: str = Field(min_length=1, description="The congress.")
    convened_by: str = Field(
        description="A council whose may_convene names the congress, or "
        "'PREVIOUS CONGRESS/COMMITTEE' (the previous congress's executive committee)."
    )
    opens_on: str = Field(description="YYYY-MM-DD in the scenario's calendar.")
    quorum: str = Field(
        description="A number of delegates ('400') or a share of the seated ('1/2')."
    )
    senders: dict[str, int] | None = Field(
        None, description="Fixed numbers: how many delegates each body may send."
    )
    seat_rule: dict[str, Any] | None = Field(
        None, description="Or a seat rule over the electors of sending_councils."
    )
    sending_councils: list[str] = Field(default_factory=list)
    max_credential_age_days: int | None = Field(
        None, gt=0, description="Credentials elected longer before the opening are flagged."
    )
    previous: str | None = Field(None, description="The previous congress, if any.")
    credentials_committee: str | None = Field(
        None, description="Appointed to rule on credentials (default: the convening body)."
    )


class CongressPostponeStep(_CongressStep):
    """The convening body moves the opening date."""

    action: Literal["congress-postpone"]
    by: str
    opens_on: str = Field(description="YYYY-MM-DD in the scenario's calendar.")


class CredentialSpec(_Strict):
    """One credential: a named delegate."""

    delegate: str = Field(min_length=1)
    sent_by: str
    elected_on: str = Field(description="YYYY-MM-DD in the scenario's calendar.")
    rights: Literal["voice-and-vote", "voice-only"] = "voice-and-vote"
    group: str | None = None
    source: Source | None = None


class CredentialBatchSpec(_Strict):
    """Many credentials at once: delegates 'PREFIX k' for k = start .. start+count-1."""

    count: int = Field(ge=1)
    prefix: str = Field(min_length=1)
    start: int = Field(1, ge=0, description="The first k.")
    sent_by: str
    elected_on: str = Field(description="YYYY-MM-DD in the scenario's calendar.")
    rights: Literal["voice-and-vote", "voice-only"] = "voice-and-vote"
    group: str | None = None
    source: Source | None = None


class CredentialsStep(_CongressStep):
    """Delegates present their credentials (one event each, with the automatic checks)."""

    action: Literal["credentials"]
    delegates: list[CredentialSpec | CredentialBatchSpec] = Field(min_length=1)


class CredentialsRuleStep(_CongressStep):
    """The credentials committee rules: accept, reject, or accept over failed checks."""

    action: Literal["credentials-rule"]
    ruling: Literal["accept", "reject", "override"] = Field(
        description="'override' accepts credentials that failed the automatic checks."
    )
    all_clean: bool = Field(
        False,
        description="Accept every pending credential that passed the automatic checks "
        "(those that failed stay pending for an explicit ruling).",
    )
    numbers: Numbers | None = None
    delegates: list[str] = Field(default_factory=list)
    reason: str | None = None

    @model_validator(mode="after")
    def _whom(self) -> CredentialsRuleStep:
        if self.all_clean and self.ruling != "accept":
            raise ValueError("all_clean goes only with ruling 'accept'")
        if not (self.all_clean or self.numbers or self.delegates):
            raise ValueError("name the credentials: all_clean, numbers or delegates")
        if self.ruling != "accept" and not self.reason:
            raise ValueError(f"ruling {self.ruling!r} needs a reason")
        return self


class CongressOpenStep(_CongressStep):
    """The session opens (ending the previous congress's executive's mandate)."""

    action: Literal["congress-open"]


class CongressCloseStep(_CongressStep):
    """The congress closes."""

    action: Literal["congress-close"]


class CongressRegisterStep(_CongressStep):
    """Arrivals or departures (a walk-out is a departure with a reason): one event per group,
    and one for the named credentials."""

    action: Literal["congress-register"]
    movement: Literal["arrive", "depart"]
    groups: list[str] = Field(default_factory=list)
    numbers: Numbers | None = None
    delegates: list[str] = Field(default_factory=list)
    reason: str | None = None

    @model_validator(mode="after")
    def _whom(self) -> CongressRegisterStep:
        if not (self.groups or self.numbers or self.delegates):
            raise ValueError("name groups, numbers or delegates")
        return self


class CongressGroupStep(_CongressStep):
    """Delegates declare or change their group: ``count`` present members of
    ``from_group`` (lowest credential numbers first), or the named credentials."""

    action: Literal["congress-group"]
    to_group: str | None = Field(description="The new group; null leaves every group.")
    from_group: str | None = None
    count: int | None = Field(None, ge=1)
    numbers: Numbers | None = None
    delegates: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _whom(self) -> CongressGroupStep:
        by_count = self.from_group is not None and self.count is not None
        named = bool(self.numbers or self.delegates)
        if by_count == named:
            raise ValueError("give either from_group and count, or numbers/delegates")
        return self


class CommitteeStep(_CongressStep):
    """Elect a presidium or executive committee in proportion to the groups."""

    action: Literal["committee"]
    committee: str = Field(min_length=1)
    seats: int = Field(ge=1)
    kind: Literal["presidium", "executive", "credentials"] = "executive"
    method: str = "dhondt"
    declined: list[str] = Field(default_factory=list)
    declined_seats: Literal["empty", "redistribute"] = "redistribute"
    candidates: dict[str, list[str]] | None = None
    group_sizes: dict[str, int] | None = Field(
        None,
        description="Declared strengths to share the seats over, instead of the groups present.",
    )
    rankings: list[RankingSpec] = Field(default_factory=list)
    seed: int | None = None


class PostStep(_CongressStep):
    """Elect a chair or another single post."""

    action: Literal["post"]
    post: str = Field(min_length=1)
    candidates: list[CandidateSpec] = Field(default_factory=list)
    rankings: list[RankingSpec] = Field(default_factory=list)
    method: str = "plurality"
    seed: int | None = None


class MotionStep(_CongressStep):
    """A seated, present delegate moves a motion or an amendment."""

    action: Literal["motion"]
    motion_title: str = Field(
        min_length=1, description="The motion's title ('title' is the narrator's)."
    )
    text: str = ""
    mover: Ref = Field(description="Credential number or delegate name.")
    amends: Ref | None = Field(None, description="The motion amended (number or title).")
    decree: bool = False
    urgent: bool = False
    without_debate: bool = False


class MotionOrderStep(_CongressStep):
    """The chair or a vote sets the order of competing motions."""

    action: Literal["motion-order"]
    order: list[Ref] = Field(min_length=1)
    decided_by: str = Field("chair", description="'chair' or 'vote N'.")


class VoteStep(_CongressStep):
    """Open a vote, take it, close it.

    Show of hands and division take ``counts`` (one of them may be ``rest``: the present
    voting delegates not otherwise counted). Roll call and secret ballot take ``by_group``
    (every present voting member of the group casts that choice) and ``others`` for
    present voters outside those groups; secret ballots go through the ballot box.
    """

    action: Literal["vote"]
    motion: Ref = Field(description="Motion number or title.")
    stage: Literal["amendment", "basis", "final"] = "final"
    mode: Literal["show-of-hands", "division", "roll-call", "secret"] = "show-of-hands"
    majority: str = "simple"
    abstentions: Literal["ignored", "count-against"] = "ignored"
    supersedes: int | None = Field(None, description="The show of hands a division replaces.")
    counts: dict[ChoiceName, int | Literal["rest"]] | None = None
    by_group: dict[str, ChoiceName] | None = None
    others: ChoiceName | None = None

    @model_validator(mode="after")
    def _how(self) -> VoteStep:
        counted = self.mode in ("show-of-hands", "division")
        if counted and (self.counts is None or self.by_group is not None or self.others):
            raise ValueError(f"a {self.mode} takes counts (for, against, abstain)")
        if not counted and (self.counts is not None or not (self.by_group or self.others)):
            raise ValueError(f"a {self.mode} takes by_group and/or others, not counts")
        if self.counts is not None and list(self.counts.values()).count("rest") > 1:
            raise ValueError("only one of the counts may be 'rest'")
        return self


Step = Annotated[
    ElectStep
    | RecallOpenStep
    | RecallSignStep
    | MandateStep
    | DissolveStep
    | HeadcountStep
    | EnrolStep
    | MoveStep
    | RemoveStep
    | SectionsStep
    | CongressCallStep
    | CongressPostponeStep
    | CredentialsStep
    | CredentialsRuleStep
    | CongressOpenStep
    | CongressRegisterStep
    | CongressGroupStep
    | CommitteeStep
    | PostStep
    | MotionStep
    | MotionOrderStep
    | VoteStep
    | CongressCloseStep,
    Field(discriminator="action"),
]

STEP_ACTIONS: frozenset[str] = frozenset(
    tag
    for model in get_args(get_args(Step)[0])
    for tag in get_args(model.model_fields["action"].annotation)
)


class Scenario(_Strict):
    """An organisation's councils and constituencies, and a dated script of steps."""

    scenario: str = Field(min_length=1, description="The scenario's title.")
    description: str = ""
    calendar: Calendar = Field("gregorian", description="Calendar of every date in the file.")
    notes: list[str] = Field(default_factory=list)
    councils: list[CouncilSpec] = Field(default_factory=list)
    constituencies: list[ConstituencySpec] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://soviet.invalid/schemas/scenario.schema.json"
    return schema


class ScenarioError(ValueError):
    """A scenario step broke a council rule; names the step."""

    def __init__(self, where: str, error: DomainError) -> None:
        super().__init__(f"{where}: {error}")
        self.where = where
        self.error = error


def _petition_for(org: Organisation, constituency: str, seat: int | None) -> int:
    rules.get_constituency(org, constituency)
    open_here = [
        p for p in org.petitions.values() if p.constituency == constituency and p.status == "open"
    ]
    if seat is not None:
        delegate = rules._target_delegate(org, constituency, seat)
        open_here = [p for p in open_here if delegate.id in p.delegate_ids]
    if len(open_here) == 1:
        return open_here[0].id
    if not open_here:
        raise DomainError(
            f"no open recall petition in {constituency!r}"
            + ("" if seat is None else f" against seat {seat}"),
            field="constituency",
            value=constituency,
        )
    raise DomainError(
        f"{len(open_here)} petitions are open in {constituency!r}: name the seat",
        field="seat",
        value=None,
    )


def _closed_lists(org: Organisation, step: ElectStep) -> list[rules.GroupList]:
    if not step.lists:
        return []
    size = step.seats or len(rules.vacant_seats(org, step.constituency))
    return [
        rules.GroupList(
            gl.group,
            gl.votes,
            tuple(
                gl.candidates
                if gl.candidates is not None
                else [
                    f"{gl.group} list no. {k} ({step.constituency}, {step.date})"
                    for k in range(1, size + 1)
                ]
            ),
        )
        for gl in step.lists
    ]


def _signers(step: RecallSignStep) -> list[str]:
    names = list(step.electors)
    if step.numbers:
        first, _, last = step.numbers.partition("-")
        names += [f"{step.constituency}#{k}" for k in range(int(first), int(last) + 1)]
    return names


def step_decision(step: Step, calendar: Calendar) -> Callable[[Organisation], Event]:
    """The domain decision a step stands for."""
    date = parse_date(step.date, calendar)
    match step:
        case ElectStep():
            return lambda org: rules.elect(
                org,
                step.constituency,
                [c.domain() for c in step.candidates],
                date,
                seats=step.seats,
                method=step.method,
                term_days=step.term_days,
                seed=step.seed,
                lists=_closed_lists(org, step),
                rankings=[(b.ranking, b.count) for b in step.ballots],
            )
        case RecallOpenStep():
            return lambda org: rules.open_recall(
                org,
                step.constituency,
                step.by,
                date,
                seats=step.seats,
                whole_delegation=step.whole_delegation,
                replacements=[r.domain() for r in step.replacements],
            )
        case RecallSignStep():
            return lambda org: rules.sign_recall(
                org, _petition_for(org, step.constituency, step.seat), _signers(step), date
            )
        case MandateStep():
            return lambda org: rules.adopt_mandate(
                org, step.constituency, step.text, date, seat=step.seat
            )
        case DissolveStep():
            return lambda org: rules.dissolve(
                org, step.council, date, votes_for=step.votes_for, votes_against=step.votes_against
            )
        case HeadcountStep():
            return lambda org: rules.set_headcount(org, step.constituency, step.headcount, date)
        case EnrolStep():
            return lambda org: rules.enrol(org, step.constituency, step.electors, date)
        case MoveStep():
            return lambda org: rules.move_elector(org, step.elector, step.to, date)
        case RemoveStep():
            return lambda org: rules.remove_elector(org, step.elector, date)
        case SectionsStep():
            return lambda org: rules.arrange_sections(
                org, step.council, merged=step.merged, date=date
            )
    raise AssertionError(f"not a single-decision step: {step.action} (use run_step)")


# --- running congress steps ----------------------------------------------------------------
CONGRESS_STEPS = (
    CongressCallStep,
    CongressPostponeStep,
    CredentialsStep,
    CredentialsRuleStep,
    CongressOpenStep,
    CongressRegisterStep,
    CongressGroupStep,
    CommitteeStep,
    PostStep,
    MotionStep,
    MotionOrderStep,
    VoteStep,
    CongressCloseStep,
)


def parse_numbers(text: str) -> list[int]:
    """'1-3,7' -> [1, 2, 3, 7]."""
    out: list[int] = []
    for part in text.split(","):
        first, sep, last = part.strip().partition("-")
        lo = int(first)
        hi = int(last) if sep else lo
        if hi < lo:
            raise DomainError(f"range {part.strip()!r} runs backwards", field="numbers", value=text)
        out.extend(range(lo, hi + 1))
    return out


def _credential_number(congress: Congress, ref: int | str) -> int:
    if isinstance(ref, int):
        return ref
    found = [c.number for c in congress.credentials.values() if c.delegate == ref]
    live = [n for n in found if congress.credentials[n].status != "rejected"] or found
    if not live:
        raise DomainError(f"no credential for delegate {ref!r}", field="delegate", value=ref)
    return live[-1]


def _named(congress: Congress, numbers: str | None, delegates: list[str]) -> list[int]:
    named = parse_numbers(numbers) if numbers else []
    return named + [_credential_number(congress, d) for d in delegates]


def _motion_number(congress: Congress, ref: int | str) -> int:
    if isinstance(ref, int):
        return ref
    found = [m.number for m in congress.motions.values() if m.title == ref]
    if len(found) != 1:
        raise DomainError(
            f"{len(found)} motions are titled {ref!r}: name it by number",
            field="motion",
            value=ref,
        )
    return found[0]


def _counts(congress: Congress, counts: dict[ChoiceName, int | Literal["rest"]]) -> dict[str, int]:
    given = {k: v for k, v in counts.items() if v != "rest"}
    out: dict[str, int] = {k: int(v) for k, v in given.items()}
    for key, value in counts.items():
        if value == "rest":
            present = len(congress.entitled_present())
            out[key] = present - sum(out.values())
            if out[key] < 0:
                raise DomainError(
                    f"counts {dict(given)} exceed the {present} voting delegates present",
                    field="counts",
                    value=dict(given),
                )
    return out


def _voters(congress: Congress, step: VoteStep) -> list[tuple[int, str]]:
    by_group = step.by_group or {}
    out: list[tuple[int, str]] = []
    for c in congress.entitled_present():
        choice = by_group.get(c.group or "", step.others)
        if choice is not None:
            out.append((c.number, choice))
    return out


def _vote(tx: Transaction, step: VoteStep, date: dt.date) -> list[LedgerEntry]:
    name = step.congress
    congress = congress_rules.get_congress(tx.org, name)
    motion = _motion_number(congress, step.motion)
    opened = tx.run(
        lambda org: congress_rules.open_vote(
            org,
            name,
            motion,
            date,
            stage=step.stage,
            mode=step.mode,
            majority=step.majority,
            abstentions=step.abstentions,
            supersedes=step.supersedes,
        )
    )
    entries = [opened]
    vote = max(tx.org.congresses[name].votes)
    counts = None
    if step.counts is not None:
        counts = _counts(tx.org.congresses[name], step.counts)
    else:
        for credential, choice in _voters(tx.org.congresses[name], step):
            entries.append(
                tx.run(
                    lambda org, n=credential, ch=choice: congress_rules.cast(  # type: ignore[misc]
                        org, name, vote, n, ch, date
                    )
                )
            )
            if step.mode == "secret":  # the choice goes to the box, never to the ledger
                tx.deposit_ballot(name, vote, choice)
    box = tx.ballot_box(name, vote) if step.mode == "secret" else []
    entries.append(
        tx.run(
            lambda org: congress_rules.close_vote(
                org, name, vote, date, counts=counts, ballot_box=box
            )
        )
    )
    return entries


def _credentials(tx: Transaction, step: CredentialsStep, calendar: Calendar) -> list[LedgerEntry]:
    date = parse_date(step.date, calendar)
    entries = []
    for spec in step.delegates:
        if isinstance(spec, CredentialSpec):
            names = [spec.delegate]
        else:
            names = [f"{spec.prefix} {k}" for k in range(spec.start, spec.start + spec.count)]
        elected = parse_date(spec.elected_on, calendar)
        for delegate in names:
            entries.append(
                tx.run(
                    lambda org, d=delegate, s=spec, e=elected: congress_rules.present_credential(  # type: ignore[misc]
                        org,
                        step.congress,
                        d,
                        s.sent_by,
                        e,
                        date,
                        rights=s.rights,
                        group=s.group,
                    )
                )
            )
    return entries


def _rule(tx: Transaction, step: CredentialsRuleStep, date: dt.date) -> list[LedgerEntry]:
    congress = congress_rules.get_congress(tx.org, step.congress)
    numbers = _named(congress, step.numbers, step.delegates)
    if step.all_clean:
        numbers += [
            c.number
            for _, c in sorted(congress.credentials.items())
            if c.status == "pending" and not c.problems and c.number not in numbers
        ]
    return [
        tx.run(
            lambda org, n=n: congress_rules.rule_on_credential(  # type: ignore[misc]
                org,
                step.congress,
                n,
                step.ruling != "reject",
                date,
                reason=step.reason,
                override=step.ruling == "override",
            )
        )
        for n in numbers
    ]


def _register(tx: Transaction, step: CongressRegisterStep, date: dt.date) -> list[LedgerEntry]:
    arriving = step.movement == "arrive"
    entries = [
        tx.run(
            lambda org, g=group: congress_rules.register(  # type: ignore[misc]
                org, step.congress, date, arriving=arriving, group=g, reason=step.reason
            )
        )
        for group in step.groups
    ]
    if step.numbers or step.delegates:
        numbers = _named(
            congress_rules.get_congress(tx.org, step.congress), step.numbers, step.delegates
        )
        entries.append(
            tx.run(
                lambda org: congress_rules.register(
                    org,
                    step.congress,
                    date,
                    arriving=arriving,
                    credentials=numbers,
                    reason=step.reason,
                )
            )
        )
    return entries


def _regroup(tx: Transaction, step: CongressGroupStep, date: dt.date) -> list[LedgerEntry]:
    congress = congress_rules.get_congress(tx.org, step.congress)
    if step.count is not None:
        members = [c.number for c in congress.seated() if c.present and c.group == step.from_group]
        if len(members) < step.count:
            raise DomainError(
                f"group {step.from_group!r} has {len(members)} present members, not {step.count}",
                field="count",
                value=step.count,
            )
        numbers = members[: step.count]
    else:
        numbers = _named(congress, step.numbers, step.delegates)
    return [
        tx.run(
            lambda org: congress_rules.declare_group(
                org, step.congress, numbers, step.to_group, date
            )
        )
    ]


def _rankings(specs: list[RankingSpec]) -> list[tuple[list[str], int]]:
    return [(r.ranking, r.count) for r in specs]


def _congress_decision(
    tx: Transaction, step: Step, calendar: Calendar
) -> Callable[[Organisation], Event] | None:
    """The one decision of a single-event congress step (None for multi-event steps)."""
    date = parse_date(step.date, calendar)
    match step:
        case CongressCallStep():
            opens_on = parse_date(step.opens_on, calendar)
            return lambda org: congress_rules.call_congress(
                org,
                step.name,
                step.convened_by,
                date,
                opens_on,
                quorum=step.quorum,
                senders=step.senders,
                seat_rule=step.seat_rule,
                sending_councils=step.sending_councils,
                max_credential_age_days=step.max_credential_age_days,
                previous=step.previous,
                credentials_committee=step.credentials_committee,
            )
        case CongressPostponeStep():
            new_date = parse_date(step.opens_on, calendar)
            return lambda org: congress_rules.postpone(org, step.congress, step.by, new_date, date)
        case CongressOpenStep():
            return lambda org: congress_rules.open_congress(org, step.congress, date)
        case CongressCloseStep():
            return lambda org: congress_rules.close_congress(org, step.congress, date)
        case CommitteeStep():
            return lambda org: congress_rules.elect_committee(
                org,
                step.congress,
                step.committee,
                step.seats,
                date,
                kind=step.kind,
                method=step.method,
                declined=step.declined,
                declined_seats=step.declined_seats,
                candidates=step.candidates,
                group_sizes=step.group_sizes,
                rankings=_rankings(step.rankings),
                seed=step.seed,
            )
        case PostStep():
            return lambda org: congress_rules.elect_post(
                org,
                step.congress,
                step.post,
                date,
                candidates=[c.domain() for c in step.candidates],
                rankings=_rankings(step.rankings),
                method=step.method,
                seed=step.seed,
            )
        case MotionStep():
            congress = congress_rules.get_congress(tx.org, step.congress)
            mover = _credential_number(congress, step.mover)
            amends = None if step.amends is None else _motion_number(congress, step.amends)
            return lambda org: congress_rules.table_motion(
                org,
                step.congress,
                step.motion_title,
                step.text,
                mover,
                date,
                amends=amends,
                decree=step.decree,
                urgent=step.urgent,
                without_debate=step.without_debate,
            )
        case MotionOrderStep():
            congress = congress_rules.get_congress(tx.org, step.congress)
            order = [_motion_number(congress, ref) for ref in step.order]
            return lambda org: congress_rules.order_motions(
                org, step.congress, order, date, decided_by=step.decided_by
            )
    return None


def run_step(tx: Transaction, step: Step, calendar: Calendar) -> list[LedgerEntry]:
    """Run one step in the transaction: one or more decisions, one event each."""
    if not isinstance(step, CONGRESS_STEPS):
        return [tx.run(step_decision(step, calendar))]
    date = parse_date(step.date, calendar)
    match step:
        case CredentialsStep():
            return _credentials(tx, step, calendar)
        case CredentialsRuleStep():
            return _rule(tx, step, date)
        case CongressRegisterStep():
            return _register(tx, step, date)
        case CongressGroupStep():
            return _regroup(tx, step, date)
        case VoteStep():
            return _vote(tx, step, date)
    decide = _congress_decision(tx, step, calendar)
    assert decide is not None, f"unhandled step {step!r}"
    return [tx.run(decide)]


def _structure(scenario: Scenario) -> list[tuple[str, Callable[[Organisation], Event]]]:
    decisions: list[tuple[str, Callable[[Organisation], Event]]] = []
    for i, c in enumerate(scenario.councils):
        decisions.append(
            (
                f"councils[{i}] ({c.name})",
                lambda org, c=c: rules.create_council(  # type: ignore[misc]
                    org,
                    c.name,
                    c.seat_rule,
                    sections=c.sections,
                    sections_merged=c.sections_merged,
                    recall_threshold=c.recall_threshold,
                    recall_mode=c.recall_mode,
                    max_term_days=c.max_term_days,
                    calendar=c.calendar,
                    description=c.description,
                    may_convene=c.may_convene,
                ),
            )
        )
    for i, k in enumerate(scenario.constituencies):
        decisions.append(
            (
                f"constituencies[{i}] ({k.name})",
                lambda org, k=k: rules.create_constituency(  # type: ignore[misc]
                    org,
                    k.name,
                    k.council,
                    section=k.section,
                    kind=k.kind,
                    headcount=k.headcount,
                    electors=k.electors,
                ),
            )
        )
    return decisions


StepHook = Callable[[int, Step, LedgerEntry, Organisation], None]
"""Called after each step with its index, the step, its last ledger entry and the state."""


def run_scenario(
    service: CouncilService,
    scenario: Scenario,
    actor: str,
    *,
    on_structure: Callable[[Organisation], None] | None = None,
    on_step: StepHook | None = None,
) -> list[LedgerEntry]:
    """Import a scenario in one transaction: a failing step writes nothing at all."""
    with service.transaction(actor) as tx:
        _run(tx, scenario, on_structure, on_step)
        return list(tx.entries)


def _run(
    tx: Transaction,
    scenario: Scenario,
    on_structure: Callable[[Organisation], None] | None,
    on_step: StepHook | None,
) -> None:
    for where, decide in _structure(scenario):
        try:
            tx.run(decide)
        except DomainError as exc:
            raise ScenarioError(where, exc) from None
    if on_structure is not None:
        on_structure(tx.org)
    for i, step in enumerate(scenario.steps):
        try:
            entries = run_step(tx, step, scenario.calendar)
        except DomainError as exc:
            raise ScenarioError(f"steps[{i}] ({step.action})", exc) from None
        except ValueError as exc:  # a date that does not exist
            raise ScenarioError(f"steps[{i}] ({step.action})", DomainError(str(exc))) from None
        if on_step is not None and entries:
            on_step(i, step, entries[-1], tx.org)


def step_date(step: Step, calendar: Calendar) -> dt.date:
    """A step's date as a (Gregorian) ``date``."""
    return parse_date(step.date, calendar)
