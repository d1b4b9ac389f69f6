"""Running a scenario: its commands, in order, in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from soviet.application.ledger import LedgerEntry
from soviet.application.scenario.compile import step_commands, structure_commands
from soviet.application.scenario.format import Scenario, Step
from soviet.application.service import CouncilService, Transaction
from soviet.domain.errors import DomainError
from soviet.domain.model import Organisation


class ScenarioError(ValueError):
    """A scenario step broke a council rule; names the step."""

    def __init__(self, where: str, error: DomainError) -> None:
        super().__init__(f"{where}: {error}")
        self.where = where
        self.error = error


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
    """Import a scenario in one transaction: a failing step writes nothing at all.

    Re-run from the start on contention, so the hooks may see the same steps twice.
    """

    def work(tx: Transaction) -> list[LedgerEntry]:
        _run(tx, scenario, on_structure, on_step)
        return list(tx.entries)

    return service.execute(work, actor)


def run_step(tx: Transaction, step: Step, scenario: Scenario) -> list[LedgerEntry]:
    """Run one step's commands in the transaction; one ledger entry each."""
    return [tx.handle(c) for c in step_commands(step, scenario.calendar, lambda: tx.org)]


def _run(
    tx: Transaction,
    scenario: Scenario,
    on_structure: Callable[[Organisation], None] | None,
    on_step: StepHook | None,
) -> None:
    for where, command in structure_commands(scenario):
        try:
            tx.handle(command)
        except DomainError as exc:
            raise ScenarioError(where, exc) from None
    if on_structure is not None:
        on_structure(tx.org)
    for i, step in enumerate(scenario.steps):
        try:
            entries = run_step(tx, step, scenario)
        except DomainError as exc:
            raise ScenarioError(f"steps[{i}] ({step.action})", exc) from None
        except ValueError as exc:  # a date that does not exist
            raise ScenarioError(f"steps[{i}] ({step.action})", DomainError(str(exc))) from None
        if on_step is not None and entries:
            on_step(i, step, entries[-1], tx.org)
