"""What ``verify`` found: the hash chain, the state proof and the published checkpoints.

The chain proves that the ledger was not edited in place; the state proof that the live
tables (which ``council show`` and every command read) equal the state the ledger's
events imply; checkpoints that history up to a published event was not rewritten, even
consistently (see docs/decisions/0009-checkpoints.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soviet.application.checkpoints import CheckpointResult
from soviet.application.ledger import Verification


@dataclass(frozen=True)
class StateCheck:
    """The live tables compared with the state rebuilt from the ledger up to ``seq``.

    On a difference, ``table`` and ``key`` (primary-key column -> value) name the first
    differing row, in the order of the state tables and then of the key; ``column``
    names its first differing column, with the ``live`` value and the value the ``ledger``
    implies. A missing row has ``column`` None and ``ledger`` the whole row; a row that the
    ledger does not imply has ``live`` the whole row.
    """

    ok: bool
    seq: int
    rows: int = 0
    table: str | None = None
    key: dict[str, Any] | None = None
    column: str | None = None
    live: Any = None
    ledger: Any = None
    problem: str | None = None

    def data(self) -> dict[str, Any]:
        """A JSON object (the ``state`` key of ``verify --json``)."""
        return {
            "ok": self.ok,
            "seq": self.seq,
            "rows": self.rows,
            "table": self.table,
            "key": self.key,
            "column": self.column,
            "live": self.live,
            "ledger": self.ledger,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class VerifyReport:
    """The chain's verdict, the state proof's (None when not made: asked to skip it, or
    the chain is broken, which is reported first) and one result per checkpoint."""

    chain: Verification
    state: StateCheck | None = None
    checkpoints: tuple[CheckpointResult, ...] = ()

    @property
    def ok(self) -> bool:
        """Chain intact, state equal to the ledger's (when checked), every checkpoint held."""
        return (
            self.chain.ok
            and (self.state is None or self.state.ok)
            and all(c.ok for c in self.checkpoints)
        )

    # The chain's fields, as before the state proof existed.
    @property
    def checked(self) -> int:
        """Events whose hash was recomputed."""
        return self.chain.checked

    @property
    def head_hash(self) -> str:
        """The hash of the last event checked."""
        return self.chain.head_hash

    @property
    def first_bad_seq(self) -> int | None:
        """The first event where the chain breaks."""
        return self.chain.first_bad_seq

    @property
    def problem(self) -> str | None:
        """What breaks the chain there."""
        return self.chain.problem

    def data(self) -> dict[str, Any]:
        """The ``verify --json`` document (docs/cli.md)."""
        return {
            "ok": self.ok,
            "checked": self.chain.checked,
            "head_hash": self.chain.head_hash,
            "first_bad_seq": self.chain.first_bad_seq,
            "problem": self.chain.problem,
            "chain_ok": self.chain.ok,
            "state_ok": None if self.state is None else self.state.ok,
            "state_problem": None if self.state is None else self.state.problem,
            "state": None if self.state is None else self.state.data(),
            "checkpoints": [c.data() for c in self.checkpoints],
            "checkpoints_ok": all(c.ok for c in self.checkpoints),
        }
