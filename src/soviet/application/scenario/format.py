"""The scenario format: an organisation's structure and a dated script of steps.

The Pydantic models below are the format's definition; ``schemas/scenario.schema.json``
is generated from them (``soviet schema``) and a test keeps the two identical. What each
step does is ``soviet.application.scenario.compile``'s business.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from soviet.application.commands.base import command_by_kebab, command_field_names
from soviet.application.numbers import parse_range
from soviet.domain import rules
from soviet.domain.calendar import Calendar, parse_date

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
    force_date: bool = Field(
        False,
        description="Record the step although its date lies more than 10 years outside the "
        "dates on record (a permission, not recorded).",
    )


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
        if value is not None:
            parse_range(value)  # ValueError names the value
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
    vacate_surplus: bool = Field(
        False,
        description="A cut that abolishes seats delegates hold (seats above the new count) "
        "unseats them (otherwise it is refused).",
    )


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
    external: bool = Field(
        False,
        description="Senders may be bodies that are not councils (a permission, not recorded).",
    )
    outside_delegates: bool = Field(
        False,
        description="Councils may send delegates who are not their own delegates (recorded).",
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
    replaces: str | None = Field(
        None,
        description="An amendment's passage of the motion it replaces with 'text' "
        "(without it, 'text' is added at the end).",
    )
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


class CommandStep(_Step):
    """Any command of the engine, by its name, with its fields: what
    ``POST /api/commands/{command}`` takes as its body. ``date`` fields (and the
    command's own ``date``, filled from the step's when not given) are in the scenario's
    calendar."""

    action: Literal["command"]
    command: str = Field(
        min_length=1,
        description="The command's name in kebab case, e.g. 'appoint-secretary'.",
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        alias="with",
        description="The command's fields, as the HTTP API's body names them.",
    )

    @field_validator("command")
    @classmethod
    def _known(cls, name: str) -> str:
        try:
            command_by_kebab(name)
        except KeyError:
            raise ValueError(f"no command is called {name!r} (e.g. 'appoint-secretary')") from None
        return name

    @model_validator(mode="after")
    def _its_fields(self) -> CommandStep:
        known = command_field_names(command_by_kebab(self.command)) - {"force_date"}
        if "force_date" in self.fields:
            raise ValueError("say force_date on the step, not in 'with'")
        unknown = sorted(set(self.fields) - known)
        if unknown:
            raise ValueError(
                f"{self.command} has no field {unknown[0]!r} (its fields: "
                f"{', '.join(sorted(known))})"
            )
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
    | CongressCloseStep
    | CommandStep,
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


def step_date(step: Step, calendar: Calendar) -> dt.date:
    """A step's date as a (Gregorian) ``date``."""
    return parse_date(step.date, calendar)
