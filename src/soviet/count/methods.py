"""Registry of ballot-counting methods, by the names the CLI and the councils use.

``METHODS[name]`` describes a method; :func:`count` runs one with a uniform call::

    count("stv-scottish", ballots, seats=3, seed=1917)

Names: ``stv-scottish``, ``stv-meek``, ``irv``, ``schulze``, ``ranked-pairs``,
``plurality``, ``two-round``, ``borda``, ``approval``, ``block``.

Single-winner methods take ``seats=1`` only. ``approval`` and ``block`` accept
ranked ballots too: every candidate ranked on a ballot counts as approved by it
(for ``block`` the ranked ballots go to the method itself, which reads the top
``seats`` preferences).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from soviet.count.ballots import ApprovalBallots, RankedBallots, ranked_to_approval
from soviet.count.irv import irv
from soviet.count.multi import block_vote
from soviet.count.result import ElectionResult
from soviet.count.single import approval, borda, plurality, ranked_pairs, schulze, two_round
from soviet.count.stv import stv_meek, stv_scottish
from soviet.count.ties import DEFAULT_SEED, Lot

Ballots = RankedBallots | ApprovalBallots
Runner = Callable[[Ballots, int, Lot], ElectionResult]


@dataclass(frozen=True)
class Method:
    """A counting method: what ballots it reads and whether it fills several seats."""

    name: str
    description: str
    ballots: str  # "ranked", "approval" or "either"
    multi_seat: bool
    run: Runner


def _ranked(ballots: Ballots, name: str) -> RankedBallots:
    if not isinstance(ballots, RankedBallots):
        raise ValueError(f"method {name!r} needs ranked ballots, got approval ballots")
    return ballots


def _single(name: str, fn: Callable[..., ElectionResult]) -> Runner:
    def run(ballots: Ballots, seats: int, lot: Lot) -> ElectionResult:
        if seats != 1:
            raise ValueError(f"method {name!r} elects one winner; seats must be 1, got {seats}")
        return fn(_ranked(ballots, name), lot=lot)

    return run


def _stv(fn: Callable[..., ElectionResult]) -> Runner:
    def run(ballots: Ballots, seats: int, lot: Lot) -> ElectionResult:
        return fn(_ranked(ballots, fn.__name__), seats, lot=lot)

    return run


def _approval(ballots: Ballots, seats: int, lot: Lot) -> ElectionResult:
    if isinstance(ballots, RankedBallots):
        ballots = ranked_to_approval(ballots)
    return approval(ballots, seats=seats, lot=lot)


def _block(ballots: Ballots, seats: int, lot: Lot) -> ElectionResult:
    return block_vote(ballots, seats, lot=lot)


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            "stv-scottish",
            "STV, Scottish 2007 rules (WIGM, 5 decimals)",
            "ranked",
            True,
            _stv(stv_scottish),
        ),
        Method(
            "stv-meek",
            "STV, Meek's method (keep factors, 9 decimals)",
            "ranked",
            True,
            _stv(stv_meek),
        ),
        Method("irv", "instant-runoff voting", "ranked", False, _single("irv", irv)),
        Method("schulze", "Schulze (beatpath)", "ranked", False, _single("schulze", schulze)),
        Method(
            "ranked-pairs",
            "ranked pairs (Tideman)",
            "ranked",
            False,
            _single("ranked-pairs", ranked_pairs),
        ),
        Method(
            "plurality",
            "plurality (first preferences)",
            "ranked",
            False,
            _single("plurality", plurality),
        ),
        Method("two-round", "two-round runoff", "ranked", False, _single("two-round", two_round)),
        Method("borda", "Borda count", "ranked", False, _single("borda", borda)),
        Method("approval", "approval voting (ranked = approved)", "either", True, _approval),
        Method("block", "block vote", "either", True, _block),
    )
}


def count(
    method: str,
    ballots: Ballots,
    *,
    seats: int = 1,
    seed: int | None = None,
    lot: Lot | None = None,
) -> ElectionResult:
    """Run the named method; the lot (or a new one from ``seed``) breaks any final ties."""
    try:
        spec = METHODS[method]
    except KeyError:
        known = ", ".join(METHODS)
        raise ValueError(f"unknown method {method!r}; known: {known}") from None
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if lot is None:
        lot = Lot(DEFAULT_SEED if seed is None else seed)
    return spec.run(ballots, seats, lot)
