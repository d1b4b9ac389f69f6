"""Compiling a scenario into commands.

A step says what happened in the words of the scenario format (a signature on "the
petition in Putilov", a vote "by group"); compiling turns it into the commands the
service runs (``soviet.application.commands``), resolving names against the state as it
stands when each command is due. Commands are yielded one at a time, so a step's later
commands see what its earlier ones did (a vote's casts need the number of the vote just
opened). Nothing here decides a rule: the handlers do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from soviet.application import commands as cmd
from soviet.application.commands.base import command_by_kebab
from soviet.application.numbers import parse_numbers, parse_range
from soviet.application.scenario.format import (
    ChoiceName,
    CommandStep,
    CommitteeStep,
    CongressCallStep,
    CongressCloseStep,
    CongressGroupStep,
    CongressOpenStep,
    CongressPostponeStep,
    CongressRegisterStep,
    CredentialSpec,
    CredentialsRuleStep,
    CredentialsStep,
    DissolveStep,
    ElectStep,
    EnrolStep,
    HeadcountStep,
    MandateStep,
    MotionOrderStep,
    MotionStep,
    MoveStep,
    PostStep,
    RankingSpec,
    RecallOpenStep,
    RecallSignStep,
    RemoveStep,
    Scenario,
    SectionsStep,
    Step,
    VoteStep,
)
from soviet.domain import congress_rules, rules
from soviet.domain.calendar import Calendar, parse_date
from soviet.domain.congress import Congress
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation
from soviet.domain.records import where

State = Callable[[], Organisation]
"""The state as it stands now (after the commands already run)."""


def structure_commands(scenario: Scenario) -> Iterator[tuple[str, cmd.Command]]:
    """The councils and constituencies, each with where it stands in the file."""
    for i, c in enumerate(scenario.councils):
        yield (
            f"councils[{i}] ({c.name})",
            cmd.CreateCouncil(
                name=c.name,
                seat_rule=c.seat_rule,
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
    for i, k in enumerate(scenario.constituencies):
        yield (
            f"constituencies[{i}] ({k.name})",
            cmd.CreateConstituency(
                name=k.name,
                council=k.council,
                section=k.section,
                kind=k.kind,
                headcount=k.headcount,
                electors=k.electors,
            ),
        )


def step_commands(step: Step, calendar: Calendar, state: State) -> Iterator[cmd.Command]:
    """The commands a step stands for, in order; ``state`` is read as each one is due.

    A step with ``force_date`` gives that permission to each of its commands."""
    for command in _step_commands(step, calendar, state):
        yield dataclasses.replace(command, force_date=True) if step.force_date else command


def _step_commands(step: Step, calendar: Calendar, state: State) -> Iterator[cmd.Command]:
    date = parse_date(step.date, calendar)
    match step:
        case CommandStep():
            yield command_of(step, calendar, date)
        case ElectStep():
            yield cmd.ElectDelegates(
                constituency=step.constituency,
                candidates=[c.domain() for c in step.candidates],
                date=date,
                seats=step.seats,
                method=step.method,
                term_days=step.term_days,
                seed=step.seed,
                lists=_closed_lists(state(), step),
                rankings=_rankings(step.ballots),
            )
        case RecallOpenStep():
            yield cmd.OpenRecall(
                constituency=step.constituency,
                opened_by=step.by,
                date=date,
                seats=step.seats or (),
                whole_delegation=step.whole_delegation,
                replacements=[r.domain() for r in step.replacements],
            )
        case RecallSignStep():
            petition = _petition_for(state(), step.constituency, step.seat)
            yield cmd.SignRecall(petition=petition, electors=_signers(step), date=date)
        case MandateStep():
            yield cmd.AdoptMandate(
                constituency=step.constituency, text=step.text, date=date, seat=step.seat
            )
        case DissolveStep():
            yield cmd.DissolveCouncil(
                council=step.council,
                date=date,
                votes_for=step.votes_for,
                votes_against=step.votes_against,
            )
        case HeadcountStep():
            yield cmd.SetHeadcount(
                constituency=step.constituency,
                headcount=step.headcount,
                date=date,
                vacate_surplus=step.vacate_surplus,
            )
        case EnrolStep():
            yield cmd.EnrolElectors(
                constituency=step.constituency, electors=step.electors, date=date
            )
        case MoveStep():
            yield cmd.MoveElector(elector=step.elector, to=step.to, date=date)
        case RemoveStep():
            yield cmd.RemoveElector(elector=step.elector, date=date)
        case SectionsStep():
            yield cmd.ArrangeSections(council=step.council, merged=step.merged, date=date)
        case CongressCallStep():
            yield cmd.CallCongress(
                name=step.name,
                convened_by=step.convened_by,
                date=date,
                opens_on=parse_date(step.opens_on, calendar),
                quorum=step.quorum,
                senders=step.senders,
                seat_rule=step.seat_rule,
                sending_councils=step.sending_councils,
                max_credential_age_days=step.max_credential_age_days,
                previous=step.previous,
                credentials_committee=step.credentials_committee,
                external=step.external,
                outside_delegates=step.outside_delegates,
            )
        case CongressPostponeStep():
            yield cmd.PostponeCongress(
                congress=step.congress,
                by=step.by,
                opens_on=parse_date(step.opens_on, calendar),
                date=date,
            )
        case CongressOpenStep():
            yield cmd.OpenCongress(congress=step.congress, date=date)
        case CongressCloseStep():
            yield cmd.CloseCongress(congress=step.congress, date=date)
        case CredentialsStep():
            yield from _credentials(step, calendar)
        case CredentialsRuleStep():
            yield from _rulings(step, date, state)
        case CongressRegisterStep():
            yield from _attendance(step, date, state)
        case CongressGroupStep():
            yield _regroup(step, date, state)
        case CommitteeStep():
            yield cmd.ElectCommittee(
                congress=step.congress,
                committee=step.committee,
                seats=step.seats,
                date=date,
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
            yield cmd.ElectPost(
                congress=step.congress,
                post=step.post,
                date=date,
                candidates=[c.domain() for c in step.candidates],
                rankings=_rankings(step.rankings),
                method=step.method,
                seed=step.seed,
            )
        case MotionStep():
            congress = _congress(state, step.congress)
            yield cmd.TableMotion(
                congress=step.congress,
                title=step.motion_title,
                text=step.text,
                mover=_credential_number(congress, step.mover),
                date=date,
                amends=None if step.amends is None else _motion_number(congress, step.amends),
                replaces=step.replaces,
                decree=step.decree,
                urgent=step.urgent,
                without_debate=step.without_debate,
            )
        case MotionOrderStep():
            congress = _congress(state, step.congress)
            yield cmd.OrderMotions(
                congress=step.congress,
                order=[_motion_number(congress, ref) for ref in step.order],
                date=date,
                decided_by=step.decided_by,
            )
        case VoteStep():
            yield from _vote(step, date, state)
        case _:  # pragma: no cover - the format's union is closed
            raise AssertionError(f"no commands for step {step.action}")


# --- councils --------------------------------------------------------------------------
def _rankings(specs: list[RankingSpec]) -> list[cmd.Ranking]:
    return [(r.ranking, r.count) for r in specs]


def _petition_for(org: Organisation, constituency: str, seat: int | None) -> int:
    rules.get_constituency(org, constituency)
    open_here = where(org.petitions, constituency=constituency, status="open")
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
        names += [f"{step.constituency}#{k}" for k in parse_range(step.numbers)]
    return names


# --- congresses ------------------------------------------------------------------------
def _congress(state: State, name: str) -> Congress:
    return congress_rules.get_congress(state(), name)


def _credential_number(congress: Congress, ref: int | str) -> int:
    if isinstance(ref, int):
        return ref
    found = where(congress.credentials, delegate=ref)
    live = [c for c in found if c.status != "rejected"] or found
    if not live:
        raise DomainError(f"no credential for delegate {ref!r}", field="delegate", value=ref)
    return live[-1].number


def _named(congress: Congress, numbers: str | None, delegates: list[str]) -> list[int]:
    try:
        named = parse_numbers(numbers) if numbers else []
    except ValueError as exc:
        raise DomainError(str(exc), field="numbers", value=numbers) from None
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


def _credentials(step: CredentialsStep, calendar: Calendar) -> Iterator[cmd.Command]:
    date = parse_date(step.date, calendar)
    for spec in step.delegates:
        if isinstance(spec, CredentialSpec):
            names = [spec.delegate]
        else:
            names = [f"{spec.prefix} {k}" for k in range(spec.start, spec.start + spec.count)]
        elected = parse_date(spec.elected_on, calendar)
        for delegate in names:
            yield cmd.PresentCredential(
                congress=step.congress,
                delegate=delegate,
                sent_by=spec.sent_by,
                elected_on=elected,
                date=date,
                rights=spec.rights,
                group=spec.group,
            )


def _rulings(step: CredentialsRuleStep, date: dt.date, state: State) -> Iterator[cmd.Command]:
    congress = _congress(state, step.congress)
    numbers = _named(congress, step.numbers, step.delegates)
    if step.all_clean:
        numbers += [
            c.number
            for _, c in sorted(congress.credentials.items())
            if c.status == "pending" and not c.problems and c.number not in numbers
        ]
    for n in numbers:
        yield cmd.RuleOnCredential(
            congress=step.congress,
            credential=n,
            accept=step.ruling != "reject",
            date=date,
            reason=step.reason,
            override=step.ruling == "override",
        )


def _attendance(step: CongressRegisterStep, date: dt.date, state: State) -> Iterator[cmd.Command]:
    arriving = step.movement == "arrive"
    for group in step.groups:
        yield cmd.RegisterAttendance(
            congress=step.congress, arriving=arriving, date=date, group=group, reason=step.reason
        )
    if step.numbers or step.delegates:
        yield cmd.RegisterAttendance(
            congress=step.congress,
            arriving=arriving,
            date=date,
            credentials=_named(_congress(state, step.congress), step.numbers, step.delegates),
            reason=step.reason,
        )


def _regroup(step: CongressGroupStep, date: dt.date, state: State) -> cmd.Command:
    congress = _congress(state, step.congress)
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
    return cmd.DeclareGroup(
        congress=step.congress, credentials=numbers, group=step.to_group, date=date
    )


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


def _vote(step: VoteStep, date: dt.date, state: State) -> Iterator[cmd.Command]:
    """Open the vote, cast each delegate's ballot (roll call, secret) or take the counts
    (show of hands, division), close it."""
    name = step.congress
    yield cmd.OpenVote(
        congress=name,
        motion=_motion_number(_congress(state, name), step.motion),
        date=date,
        stage=step.stage,
        mode=step.mode,
        majority=step.majority,
        abstentions=step.abstentions,
        supersedes=step.supersedes,
    )
    congress = _congress(state, name)
    vote = max(congress.votes)
    counts = None
    if step.counts is not None:
        counts = _counts(congress, step.counts)
    else:
        for credential, choice in _voters(congress, step):
            yield cmd.CastVote(
                congress=name, vote=vote, credential=credential, choice=choice, date=date
            )
    yield cmd.CloseVote(congress=name, vote=vote, date=date, counts=counts)


def command_of(step: CommandStep, calendar: Calendar, date: dt.date) -> cmd.Command:
    """The command a ``command`` step names, built from its fields as the HTTP API builds
    a body (Pydantic), its dates read in the scenario's calendar and its ``date`` the
    step's when not given. A field of the wrong shape is a DomainError naming it."""
    cls = command_by_kebab(step.command)
    hints = typing.get_type_hints(cls)
    values = dict(step.fields)
    if "date" in hints and "date" not in values:
        values["date"] = date
    for name, value in values.items():
        if isinstance(value, str) and _is_date(hints.get(name)):
            try:
                values[name] = parse_date(value, calendar)
            except ValueError as exc:
                raise DomainError(f"{step.command}: with.{name}: {exc}") from None
    try:
        return TypeAdapter(cls).validate_python(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DomainError(f"{step.command}: with.{where}: {first['msg']}") from None


def _is_date(hint: object) -> bool:
    """Whether a field's type is a date (or an optional one)."""
    return hint is dt.date or dt.date in typing.get_args(hint)
