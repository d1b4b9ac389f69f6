"""Ballot collections, grouped: identical ballots are stored once with a weight.

Counting cost therefore grows with the number of distinct rankings, not raw ballots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

NO_CANDIDATE = -1


@dataclass(frozen=True)
class RankedBallots:
    """Strict (possibly truncated) rankings over ``candidates``.

    ``rankings`` is an ``int32`` array of shape ``(distinct, depth)``: row ``i`` lists
    candidate indices in order of preference, padded with ``NO_CANDIDATE`` (-1).
    ``weights[i]`` is how many ballots carry that ranking (``int64``).
    """

    candidates: tuple[str, ...]
    rankings: npt.NDArray[np.int32]
    weights: npt.NDArray[np.int64]
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[str]],
        weights: Iterable[int] | None = None,
        *,
        withdrawn: Iterable[str] = (),
        title: str = "",
    ) -> RankedBallots:
        """Group ballots given as candidate names; a name twice in one ballot is an error."""
        index = {name: i for i, name in enumerate(candidates)}
        if len(index) != len(candidates):
            raise ValueError("candidate names must be unique")
        grouped: dict[tuple[int, ...], int] = {}
        weight_iter = iter(weights) if weights is not None else None
        for ballot in rankings:
            w = next(weight_iter) if weight_iter is not None else 1
            if w < 0:
                raise ValueError(f"ballot weight must be >= 0, got {w}")
            try:
                row = tuple(index[name] for name in ballot)
            except KeyError as exc:
                raise ValueError(f"unknown candidate {exc.args[0]!r} on a ballot") from None
            if len(set(row)) != len(row):
                raise ValueError(f"candidate ranked twice on a ballot: {list(ballot)}")
            grouped[row] = grouped.get(row, 0) + w
        return cls.from_grouped(
            tuple(candidates),
            grouped,
            withdrawn=frozenset(index[n] for n in withdrawn),
            title=title,
        )

    @classmethod
    def from_grouped(
        cls,
        candidates: tuple[str, ...],
        grouped: dict[tuple[int, ...], int],
        *,
        withdrawn: frozenset[int] = frozenset(),
        title: str = "",
    ) -> RankedBallots:
        """Build from a mapping of index-tuples to counts."""
        depth = max((len(r) for r in grouped), default=0)
        rankings = np.full((len(grouped), max(depth, 1)), NO_CANDIDATE, dtype=np.int32)
        weights = np.zeros(len(grouped), dtype=np.int64)
        for i, (row, w) in enumerate(grouped.items()):
            rankings[i, : len(row)] = row
            weights[i] = w
        return cls(tuple(candidates), rankings, weights, withdrawn, title)

    @classmethod
    def from_arrays(
        cls,
        candidates: Sequence[str],
        rankings: npt.ArrayLike,
        weights: npt.ArrayLike | None = None,
        *,
        withdrawn: Iterable[int] = (),
        title: str = "",
    ) -> RankedBallots:
        """Group raw (or partly grouped) rankings given as an index array, without Python loops.

        ``rankings`` is ``(n, depth)`` of candidate indices padded with ``NO_CANDIDATE``;
        ``weights`` defaults to one per row. Identical rows are merged (their weights
        added), rows of weight 0 dropped. Indices are not re-validated beyond range.
        """
        rows = np.ascontiguousarray(np.asarray(rankings, dtype=np.int32))
        if rows.ndim != 2:
            raise ValueError("rankings must be a 2-D array")
        n = rows.shape[0]
        w = (
            np.ones(n, dtype=np.int64)
            if weights is None
            else np.asarray(weights, dtype=np.int64).reshape(-1)
        )
        if w.shape[0] != n:
            raise ValueError("one weight per ranking row is needed")
        if n and int(w.min()) < 0:
            raise ValueError("ballot weights must be >= 0")
        cands = tuple(candidates)
        if rows.size and (int(rows.max()) >= len(cands) or int(rows.min()) < NO_CANDIDATE):
            raise ValueError("candidate index out of range")
        rows, w = group_rows(rows, w)
        return cls(cands, rows, w, frozenset(int(c) for c in withdrawn), title)

    @property
    def total(self) -> int:
        """Number of ballots (sum of weights)."""
        return int(self.weights.sum())


def _row_hash(rows: npt.NDArray[np.int32]) -> npt.NDArray[np.uint64]:
    """A 64-bit polynomial hash of each row (wrapping arithmetic)."""
    h = np.full(rows.shape[0], 1469598103934665603, dtype=np.uint64)
    mult = np.uint64(1099511628211)
    for j in range(rows.shape[1]):
        h *= mult
        h ^= rows[:, j].astype(np.int64).view(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    return h


def group_rows(
    rows: npt.NDArray[np.int32], weights: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Merge identical rows (adding weights) and drop zero-weight rows; vectorised.

    Rows are trimmed of all-padding trailing columns. Grouping hashes each row to 64
    bits, groups by hash and verifies every row against its group's representative;
    on a (vanishingly unlikely) collision it falls back to an exact row sort.
    """
    keep = weights > 0
    if not bool(keep.all()):
        rows, weights = rows[keep], weights[keep]
    if rows.shape[0] == 0:
        return np.full((0, max(rows.shape[1], 1)), NO_CANDIDATE, np.int32), weights[:0]
    used = np.flatnonzero((rows != NO_CANDIDATE).any(axis=0))
    depth = int(used[-1]) + 1 if used.size else 1
    rows = np.ascontiguousarray(rows[:, :depth])
    h = _row_hash(rows)
    uniq, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    reps = rows[first]
    if not bool((reps[inverse] == rows).all()):  # hash collision: exact grouping
        void = rows.view(np.dtype((np.void, rows.dtype.itemsize * depth))).reshape(-1)
        _, first, inverse = np.unique(void, return_index=True, return_inverse=True)
        reps = rows[first]
    summed = np.bincount(inverse.reshape(-1), weights=weights, minlength=reps.shape[0])
    if float(weights.sum()) < 2.0**53:
        grouped_w = summed.astype(np.int64)
    else:  # pragma: no cover - beyond float precision: exact integer sum
        grouped_w = np.zeros(reps.shape[0], np.int64)
        np.add.at(grouped_w, inverse.reshape(-1), weights)
    del uniq
    return np.ascontiguousarray(reps, dtype=np.int32), grouped_w


@dataclass(frozen=True)
class ApprovalBallots:
    """Approval ballots: ``approvals[i, c]`` is True when row ``i`` approves candidate ``c``."""

    candidates: tuple[str, ...]
    approvals: npt.NDArray[np.bool_]
    weights: npt.NDArray[np.int64]
    title: str = ""

    @property
    def total(self) -> int:
        """Number of ballots (sum of weights)."""
        return int(self.weights.sum())


def ranked_to_approval(ballots: RankedBallots) -> ApprovalBallots:
    """Approval ballots approving every (non-withdrawn) candidate a ranked ballot ranks."""
    n_cand = len(ballots.candidates)
    rows = ballots.rankings
    approvals = np.zeros((rows.shape[0], n_cand + 1), dtype=bool)
    approvals[np.arange(rows.shape[0])[:, None], rows] = True
    approvals = approvals[:, :n_cand]
    for c in ballots.withdrawn:
        approvals[:, c] = False
    return ApprovalBallots(ballots.candidates, approvals, ballots.weights.copy(), ballots.title)
