"""The result of a count: winners plus the steps that produced them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ElectionResult:
    """Winners in order of election, and a JSON-serialisable explanation.

    ``rounds`` holds one dict per round or step (votes, transfers, exhausted,
    elected, excluded ... as the method defines); ``tie_breaks`` lists every
    draw by lot; ``seed`` is the lot's seed, so the count can be replayed.
    """

    method: str
    elected: list[str]
    rounds: list[dict[str, Any]] = field(default_factory=list)
    seats: int = 1
    seed: int | None = None
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape.

        Keys: method, seats, elected, rounds, seed, tie_breaks, details.
        """
        return {
            "method": self.method,
            "seats": self.seats,
            "elected": list(self.elected),
            "rounds": self.rounds,
            "seed": self.seed,
            "tie_breaks": self.tie_breaks,
            "details": self.details,
        }
