"""Ballot-file readers: BLT (the format of STV counting programs) and CSV.

BLT
---
::

    5 2                 <- number of candidates, number of seats
    -2                  <- optional: withdrawn candidates, as negative numbers
    3 1 3 4 0           <- weight, then candidate numbers (1-based) in order of preference, 0
    1 2 0
    0                   <- end of ballots
    "Alice"             <- one quoted name per candidate, in number order
    "Bob"
    ...
    "Title of the election"   <- optional

Equal rankings (``=``), skipped preferences (``-``), ballot ids in parentheses and
fractional weights are rejected with the line and the reason. A candidate ranked
twice on one ballot is rejected. Blank lines are ignored. Ballots that rank no
candidate (``4 0``) are kept as empty ballots: the counts treat them as invalid
(no first preference), they count towards no quota.

The ballot block is parsed without per-ballot Python objects: NumPy reads the
integers (its text parser, or digit runs of the raw bytes), ballot boundaries
come from the closing zeros checked against the newlines, and identical
ballots are grouped over token arrays. Only when that
fast path finds something wrong does a line-by-line reader run, to name the
first offending line.

CSV (ranked), two shapes, both with a header row
-------------------------------------------------
*Preference list*: each row lists candidate names in order of preference, blank
cells at the end are ignored; the header names the columns (e.g. ``1,2,3``) and
is otherwise unused. Candidates are taken in order of first appearance.

*Rank grid*: the header lists the candidates; each cell holds the rank (1 = first
choice) that the ballot gives to that column's candidate, blank = unranked.
Equal ranks are rejected.

In both shapes a first column headed ``weight`` (any case) gives each row's
weight (a non-negative integer). The shape is detected: a file whose body cells
(weight aside) are all integers or blank is a rank grid.

CSV (approval)
--------------
Header lists the candidates (optionally preceded by ``weight``); each cell is
``1``/``x``/``yes``/``true`` (approved) or ``0``/``no``/``false``/blank.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt

from soviet.count.ballots import NO_CANDIDATE, ApprovalBallots, RankedBallots, group_rows
from soviet.count.files import NotUTF8, decode_utf8, read_bounded

_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[[9, 10, 13, 32]] = True
_ALLOWED[48:58] = True
_MAX_DIGITS = 15


class BallotFileError(ValueError):
    """A malformed ballot file: ``str()`` is ``"path:line: reason"``."""

    def __init__(self, path: str, line_no: int, reason: str) -> None:
        self.path = path
        self.line_no = line_no
        self.reason = reason
        super().__init__(f"{path}:{line_no}: {reason}" if line_no else f"{path}: {reason}")


def _load(path_or_text: str | Path | bytes) -> tuple[str, bytes]:
    """Return (display name, content) for a path, a BLT text or raw bytes."""
    if isinstance(path_or_text, bytes):
        return "<text>", path_or_text
    if isinstance(path_or_text, str) and ("\n" in path_or_text or not path_or_text.strip()):
        return "<text>", path_or_text.encode()
    try:
        return str(path_or_text), read_bounded(path_or_text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BallotFileError(str(path_or_text), 0, f"cannot read: {reason}") from None


def _line_no(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _next_content_line(data: bytes, pos: int) -> tuple[int, int, bytes]:
    """Skip blank lines from ``pos``; return (start, end_exclusive_of_newline, line)."""
    n = len(data)
    while pos < n:
        end = data.find(b"\n", pos)
        end = n if end < 0 else end
        line = data[pos:end]
        if line.strip():
            return pos, end, line
        pos = end + 1
    return n, n, b""


def read_blt(path_or_text: str | Path | bytes) -> RankedBallots:
    """Read a BLT ballot file (a path, or the text itself when it contains a newline)."""
    return parse_blt(path_or_text)[0]


def parse_blt(path_or_text: str | Path | bytes) -> tuple[RankedBallots, int]:
    """Read a BLT ballot file; return the ballots and the number of seats in its header."""
    name, data = _load(path_or_text)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]

    def err(pos: int, reason: str) -> BallotFileError:
        return BallotFileError(name, _line_no(data, pos), reason)

    # Header: "C S".
    start, end, line = _next_content_line(data, 0)
    if not line:
        raise BallotFileError(name, 1, "empty file: expected a header 'candidates seats'")
    parts = line.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise err(start, "header must be two whole numbers: 'candidates seats'")
    n_cand, seats = int(parts[0]), int(parts[1])
    if n_cand < 1:
        raise err(start, "the number of candidates must be at least 1")
    if seats < 1:
        raise err(start, "the number of seats must be at least 1")
    if seats > n_cand:
        raise err(start, f"{seats} seats but only {n_cand} candidates")
    if n_cand > data.count(b"\n") + 1:  # each candidate's name takes a line
        raise err(start, f"{n_cand} candidates, more than the file has lines to name them")
    pos = end + 1

    # Optional withdrawn line: negative numbers only.
    withdrawn: set[int] = set()
    start, end, line = _next_content_line(data, pos)
    toks = line.split()
    if toks and toks[0].startswith(b"-"):
        for tok in toks:
            if not re.fullmatch(rb"-\d+", tok):
                got = tok.decode(errors="replace")
                raise err(start, f"withdrawn line: expected negative numbers, got {got!r}")
            c = -int(tok)
            if not 1 <= c <= n_cand:
                raise err(start, f"withdrawn candidate {c} out of range 1..{n_cand}")
            withdrawn.add(c - 1)
        pos = end + 1

    # Ballot block: up to a line holding only "0".
    term = _find_terminator(data, pos)
    if term is None:
        _parse_block_slow(data[pos:], n_cand, name, _line_no(data, pos))
        raise BallotFileError(
            name, _line_no(data, len(data)), "no end-of-ballots line '0' after the ballots"
        )
    block = data[pos : term[0]]
    first_line = _line_no(data, pos)
    parsed = _parse_block_fast(block, n_cand)
    if parsed is None:
        _parse_block_slow(block, n_cand, name, first_line)  # raises with the line number
        raise BallotFileError(name, first_line, "malformed ballot block")  # pragma: no cover
    rows, weights = parsed

    # Names and title.
    names: list[str] = []
    title = ""
    pos = term[1] + 1
    while True:
        start, end, line = _next_content_line(data, pos)
        if not line:
            break
        text = line.decode("utf-8", errors="replace").strip()
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', text)
        if m is None:
            what = "candidate name" if len(names) < n_cand else "title"
            raise err(start, f"expected a quoted {what}, got {text[:40]!r}")
        value = re.sub(r"\\(.)", r"\1", m.group(1))
        if len(names) < n_cand:
            if value in names:
                raise err(start, f"candidate name {value!r} appears twice")
            names.append(value)
        elif not title:
            title = value
        else:
            raise err(start, "unexpected text after the title")
        pos = end + 1
    if len(names) < n_cand:
        raise BallotFileError(
            name,
            _line_no(data, len(data)),
            f"expected {n_cand} candidate names, found {len(names)}",
        )
    ballots = RankedBallots(tuple(names), rows, weights, frozenset(withdrawn), title)
    return ballots, seats


def _find_terminator(data: bytes, pos: int) -> tuple[int, int] | None:
    """(start, end) of the end-of-ballots line: the last line holding only ``0``."""
    n = len(data)
    stop = n
    while True:
        i = data.rfind(b"\n0", max(pos - 1, 0), stop)
        if i < 0:
            break
        j = i + 2
        while j < n and data[j] in b" \t\r":
            j += 1
        if j == n or data[j] == 10:
            return i + 1, j
        stop = i + 1
    m = re.compile(rb"(?m)^[ \t]*0[ \t]*\r?$").search(data, pos)
    return None if m is None else (m.start(), m.end())


_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)
_HASH_LEN = np.uint64(0xC2B2AE3D27D4EB4F)


def _parse_block_fast(
    block: bytes, n_cand: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]] | None:
    """Vectorised parse and grouping of ballot lines; ``None`` when anything is malformed.

    Integers are read by NumPy's text parser (lines found by their closing 0) or,
    when that cannot delimit lines safely, from digit runs of the raw bytes. Each
    line is hashed (a polynomial hash of its preferences, mixed with its length),
    lines are grouped by hash and every line is then compared token by token with
    its group's first line, so the grouping is exact; on a hash collision every row
    is built and grouped exactly (``group_rows``).
    Returns grouped rows and weights.
    """
    u = np.frombuffer(block, dtype=np.uint8)
    empty = np.full((0, 1), NO_CANDIDATE, np.int32), np.zeros(0, np.int64)
    if u.size == 0:
        return empty
    if not bool(_ALLOWED[u].all()):
        return None
    tokens = _tokens_by_terminators(block, u)
    if tokens is None:
        tokens = _tokens_by_bytes(u)
    if tokens is None:
        return None
    values, first_tok, counts = tokens
    n_tok = values.size
    if n_tok == 0:
        return empty
    last_tok = first_tok + counts - 1
    if int(counts.min()) < 2 or bool(values[last_tok].any()):
        return None
    n_lines = first_tok.size
    line_id = np.repeat(np.arange(n_lines), counts)
    col = np.arange(n_tok) - first_tok[line_id] - 1
    is_pref = np.ones(n_tok, dtype=bool)
    is_pref[first_tok] = False
    is_pref[last_tok] = False
    pref_idx = np.flatnonzero(is_pref)
    prefs = values[pref_idx]
    pref_line = line_id[pref_idx]
    pref_col = col[pref_idx]
    pref_counts = counts - 2
    if prefs.size:
        if int(prefs.min()) < 1 or int(prefs.max()) > n_cand:
            return None
        has = np.flatnonzero(pref_counts > 0)
        seg = np.zeros(n_lines, dtype=np.int64)
        np.cumsum(pref_counts[:-1], out=seg[1:])
        seg = seg[has]
        if n_cand <= 62:
            bits = np.left_shift(np.int64(1), prefs - 1)
            if bool((np.add.reduceat(bits, seg) != np.bitwise_or.reduceat(bits, seg)).any()):
                return None
        depth = max(int(pref_counts.max()), 1)
        mult = int(_HASH_MULT)
        powers = np.array([pow(mult, j, 2**64) for j in range(depth)], dtype=np.uint64)
        contrib = (prefs.astype(np.uint64) + np.uint64(1)) * powers[pref_col]
        h = np.zeros(n_lines, dtype=np.uint64)
        h[has] = np.add.reduceat(contrib, seg)
    else:
        depth = 1
        h = np.zeros(n_lines, dtype=np.uint64)
    h += pref_counts.astype(np.uint64) * _HASH_LEN
    _, rep, group = np.unique(h, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    rep_of_line = rep[group]
    exact = bool((pref_counts[rep_of_line] == pref_counts).all())
    if exact and prefs.size:
        rep_tok = first_tok[rep_of_line[pref_line]] + 1 + pref_col
        exact = bool((values[rep_tok] == prefs).all())
    weights = values[first_tok]
    if not exact:  # hash collision: build every row and group exactly
        rows = np.full((n_lines, depth), NO_CANDIDATE, dtype=np.int32)
        rows[pref_line, pref_col] = (prefs - 1).astype(np.int32)
        return group_rows(rows, weights)
    grouped_w = _exact_sums(group, weights, rep.size)
    rows = np.full((rep.size, depth), NO_CANDIDATE, dtype=np.int32)
    is_rep = np.zeros(n_lines, dtype=bool)
    is_rep[rep] = True
    take = is_rep[pref_line]
    rows[group[pref_line[take]], pref_col[take]] = (prefs[take] - 1).astype(np.int32)
    keep = grouped_w > 0
    if not bool(keep.all()):
        rows, grouped_w = rows[keep], grouped_w[keep]
    return rows, grouped_w


def _tokens_by_terminators(
    block: bytes, u: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Tokens via NumPy's text parser, lines found by their closing ``0``.

    Checks that every non-blank line ends with a standalone ``0`` token and that
    the number of ``0`` tokens equals the number of non-blank lines: then every
    ``0`` closes a line and the lines are the runs between them. Files where
    this does not hold (e.g. a ballot of weight 0) return ``None``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = np.fromstring(block, dtype=np.int64, sep=" ")
    if values.size == 0 or int(values.max()) >= 10**_MAX_DIGITS or int(values.min()) < 0:
        return None
    nl = np.flatnonzero(u == 10)
    if u[-1] != 10:
        return None
    q = nl - 1
    space = np.zeros(256, dtype=bool)
    space[[9, 13, 32]] = True
    while True:
        inside = q >= 0
        step = np.zeros(q.size, dtype=bool)
        step[inside] = space[u[q[inside]]]
        if not bool(step.any()):
            break
        q[step] -= 1
    blank = q < 0
    blank[~blank] = u[q[~blank]] == 10
    q = q[~blank]
    if not bool((u[q] == 48).all()):
        return None
    before = q - 1
    ok = before < 0
    ok[~ok] = (u[before[~ok]] - np.uint8(48)) >= 10
    if not bool(ok.all()):
        return None
    zeros = np.flatnonzero(values == 0)
    if zeros.size != q.size:
        return None
    first_tok = np.empty(zeros.size, dtype=np.int64)
    first_tok[0] = 0
    first_tok[1:] = zeros[:-1] + 1
    return values, first_tok, zeros - first_tok + 1


def _tokens_by_bytes(
    u: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Tokens from digit runs of the raw bytes, lines by a running newline count."""
    isd = (u - np.uint8(48)) < 10
    edges = np.flatnonzero(np.diff(isd.view(np.int8), prepend=np.int8(0), append=np.int8(0)))
    if edges.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    starts, ends = edges[0::2], edges[1::2]
    lengths = ends - starts
    max_len = int(lengths.max())
    if max_len > _MAX_DIGITS:
        return None
    values = (u[starts] - np.uint8(48)).astype(np.int64)
    for k in range(1, max_len):
        more = np.flatnonzero(lengths > k)
        values[more] = values[more] * 10 + (u[starts[more] + k] - np.uint8(48))
    newline_count = np.cumsum(u == 10, dtype=np.int32)
    line_of_tok = newline_count[starts]
    del newline_count
    new_line = np.empty(starts.size, dtype=bool)
    new_line[0] = True
    np.not_equal(line_of_tok[1:], line_of_tok[:-1], out=new_line[1:])
    first_tok = np.flatnonzero(new_line)
    counts = np.diff(np.append(first_tok, starts.size))
    return values, first_tok, counts


def _exact_sums(
    index: npt.NDArray[np.intp], weights: npt.NDArray[np.int64], n: int
) -> npt.NDArray[np.int64]:
    if float(weights.sum()) < 2.0**52:
        return np.rint(np.bincount(index, weights=weights, minlength=n)).astype(np.int64)
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, index, weights)
    return out


def _parse_block_slow(block: bytes, n_cand: int, name: str, first_line: int) -> None:
    """Line-by-line check of the ballot block; raises on the first malformed line."""
    for offset, raw in enumerate(block.split(b"\n")):
        line_no = first_line + offset
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            continue

        def fail(reason: str, line_no: int = line_no) -> BallotFileError:
            return BallotFileError(name, line_no, reason)

        if text.startswith('"'):
            raise fail("missing end-of-ballots line '0' before the candidate names")
        if "=" in text:
            raise fail("equal rankings ('=') are not supported")
        toks = text.split()
        for tok in toks:
            if not tok.isdigit() or not tok.isascii():
                if re.fullmatch(r"-\d+", tok):
                    raise fail(f"negative number {tok} on a ballot line")
                raise fail(f"expected whole numbers, got {tok[:20]!r}")
            if len(tok) > _MAX_DIGITS:
                raise fail(f"number {tok[:20]} is too large")
        if len(toks) < 2:
            raise fail("a ballot line needs a weight and a closing 0")
        if toks[-1] != "0" and int(toks[-1]) != 0:
            raise fail("a ballot line must end with 0")
        seen: set[int] = set()
        for tok in toks[1:-1]:
            c = int(tok)
            if c == 0:
                raise fail("0 before the end of a ballot line")
            if not 1 <= c <= n_cand:
                raise fail(f"candidate {c} out of range 1..{n_cand}")
            if c in seen:
                raise fail(f"candidate {c} ranked twice")
            seen.add(c)


# --------------------------------------------------------------------------- CSV

_TRUE = {"1", "x", "yes", "true", "y"}
_FALSE = {"", "0", "no", "false", "n"}


_WHOLE = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")


def _decode(name: str, data: bytes) -> str:
    """UTF-8 text (a BOM dropped); a file that is not UTF-8 names the first bad byte."""
    try:
        return decode_utf8(data, bom=True)
    except NotUTF8 as exc:
        raise BallotFileError(name, exc.line, str(exc)) from None


def _csv_rows(path_or_text: str | Path) -> tuple[str, list[list[str]]]:
    name, data = _load(path_or_text)
    text = _decode(name, data)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a field longer than csv.field_size_limit(), a stray quote
        raise BallotFileError(name, 0, f"malformed CSV: {exc}") from None
    return name, rows


def _split_weight(
    name: str, header: list[str], body: list[tuple[int, list[str]]]
) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
    has_weight = bool(header) and header[0].strip().lower() == "weight"
    out: list[tuple[int, int, list[str]]] = []
    for line_no, row in body:
        if has_weight:
            cell = row[0].strip() if row else ""
            if not _WHOLE.fullmatch(cell) or len(cell) > _MAX_DIGITS:
                shown = cell[:20] + ("…" if len(cell) > 20 else "")
                raise BallotFileError(
                    name, line_no, f"weight must be a whole number, got {shown!r}"
                )
            out.append((line_no, int(cell), row[1:]))
        else:
            out.append((line_no, 1, row))
    return (header[1:] if has_weight else header), out


def _body(rows: list[list[str]]) -> list[tuple[int, list[str]]]:
    return [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]


def read_csv_ranked(path_or_text: str | Path) -> RankedBallots:
    """Read ranked ballots from CSV (preference-list or rank-grid shape, see module doc)."""
    name, rows = _csv_rows(path_or_text)
    if not rows:
        raise BallotFileError(name, 1, "empty file: expected a header row")
    header, body = _split_weight(name, [h.strip() for h in rows[0]], _body(rows))
    cells = [c.strip() for _, _, r in body for c in r]
    # A rank grid's header names the candidates and its cells are ranks; a preference
    # list's header numbers the preferences (1,2,3) and its cells name candidates. A
    # body with any number in it under a header of names is a grid, so a stray "x" or
    # "-1" there is an error rather than a candidate called "-1".
    header_numbers = all(_WHOLE.fullmatch(h) for h in header if h)
    grid = bool(body) and (
        all(c == "" or _WHOLE.fullmatch(c) for c in cells)
        or (not header_numbers and any(_SIGNED.fullmatch(c) for c in cells))
    )
    rankings: list[list[str]] = []
    weights: list[int] = []
    if grid:
        candidates = header
        if len(set(candidates)) != len(candidates) or any(not c for c in candidates):
            raise BallotFileError(name, 1, "rank grid header must list distinct candidate names")
        for line_no, w, r in body:
            if len(r) > len(candidates):
                raise BallotFileError(
                    name, line_no, f"{len(r)} cells for {len(candidates)} candidates"
                )
            ranks: dict[int, str] = {}
            for cand, cell in zip(candidates, r, strict=False):
                cell = cell.strip()
                if not cell:
                    continue
                if not _SIGNED.fullmatch(cell) or len(cell) > _MAX_DIGITS:
                    shown = cell[:20] + ("…" if len(cell) > 20 else "")
                    raise BallotFileError(
                        name,
                        line_no,
                        f"rank for {cand!r} must be a whole number >= 1, got {shown!r}",
                    )
                k = int(cell)
                if k < 1:
                    raise BallotFileError(name, line_no, f"rank must be >= 1, got {k}")
                if k in ranks:
                    raise BallotFileError(
                        name,
                        line_no,
                        f"equal rank {k} for {ranks[k]!r} and {cand!r} is not supported",
                    )
                ranks[k] = cand
            rankings.append([ranks[k] for k in sorted(ranks)])
            weights.append(w)
    else:
        candidates = []
        known: set[str] = set()
        for line_no, w, r in body:
            cells = [c.strip() for c in r]
            while cells and not cells[-1]:
                cells.pop()
            if "" in cells:
                raise BallotFileError(name, line_no, "blank cell between preferences")
            if len(set(cells)) != len(cells):
                dup = next(c for c in cells if cells.count(c) > 1)
                raise BallotFileError(name, line_no, f"candidate {dup!r} ranked twice")
            for c in cells:
                if c not in known:
                    known.add(c)
                    candidates.append(c)
            rankings.append(cells)
            weights.append(w)
    if not candidates:
        raise BallotFileError(name, 1, "no candidates found")
    return RankedBallots.from_rankings(candidates, rankings, weights)


def read_csv_approval(path_or_text: str | Path) -> ApprovalBallots:
    """Read approval ballots from CSV (header of candidates, cells 1/x/yes or 0/blank)."""
    name, rows = _csv_rows(path_or_text)
    if not rows:
        raise BallotFileError(name, 1, "empty file: expected a header row")
    candidates, body = _split_weight(name, [h.strip() for h in rows[0]], _body(rows))
    if not candidates or len(set(candidates)) != len(candidates) or any(not c for c in candidates):
        raise BallotFileError(name, 1, "header must list distinct candidate names")
    approvals = np.zeros((len(body), len(candidates)), dtype=bool)
    weights = np.zeros(len(body), dtype=np.int64)
    for i, (line_no, w, r) in enumerate(body):
        if len(r) > len(candidates):
            raise BallotFileError(name, line_no, f"{len(r)} cells for {len(candidates)} candidates")
        for j, cell in enumerate(r):
            v = cell.strip().lower()
            if v in _TRUE:
                approvals[i, j] = True
            elif v not in _FALSE:
                raise BallotFileError(
                    name, line_no, f"approval cell must be 1/x/yes or 0/blank, got {cell!r}"
                )
        weights[i] = w
    return ApprovalBallots(tuple(candidates), approvals, weights)


def write_blt(ballots: RankedBallots, seats: int, *, raw: bool = False) -> str:
    """Render ballots as BLT text (grouped, or one line per ballot when ``raw``)."""
    out = io.StringIO()
    out.write(f"{len(ballots.candidates)} {seats}\n")
    if ballots.withdrawn:
        out.write(" ".join(f"-{c + 1}" for c in sorted(ballots.withdrawn)) + "\n")
    for row, w in zip(ballots.rankings.tolist(), ballots.weights.tolist(), strict=True):
        prefs = " ".join(str(c + 1) for c in row if c != NO_CANDIDATE)
        body = f"{prefs} 0" if prefs else "0"
        if raw:
            out.write(f"1 {body}\n" * int(w))
        else:
            out.write(f"{w} {body}\n")
    out.write("0\n")
    for cand in ballots.candidates:
        out.write('"' + cand.replace("\\", "\\\\").replace('"', '\\"') + '"\n')
    out.write('"' + ballots.title.replace("\\", "\\\\").replace('"', '\\"') + '"\n')
    return out.getvalue()
