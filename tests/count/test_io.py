"""Ballot-file readers: BLT (fast and line-by-line paths) and CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet.count.ballots import RankedBallots, group_rows
from soviet.count.io import (
    BallotFileError,
    _parse_block_fast,
    parse_blt,
    read_blt,
    read_csv_approval,
    read_csv_ranked,
    write_blt,
)

DATA = Path(__file__).parent.parent / "data"

GOOD = """3 2
2 1 2 0
1 3 0
2 1 2 0
0
"A"
"B"
"C"
"Title"
"""


def as_dict(b: RankedBallots) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for row, w in zip(b.rankings.tolist(), b.weights.tolist(), strict=True):
        key = tuple(b.candidates[c] for c in row if c >= 0)
        out[key] = out.get(key, 0) + w
    return out


def test_good_file_groups_identical_ballots() -> None:
    b, seats = parse_blt(GOOD)
    assert seats == 2
    assert b.candidates == ("A", "B", "C")
    assert b.title == "Title"
    assert as_dict(b) == {("A", "B"): 4, ("C",): 1}
    assert b.rankings.dtype == np.int32 and b.weights.dtype == np.int64


def test_withdrawn_file(tmp_path: Path) -> None:
    b, seats = parse_blt(DATA / "withdrawn.blt")
    assert seats == 2
    assert b.withdrawn == frozenset({1})
    assert as_dict(b) == {
        ("Alice", "Bob", "Carol"): 3,
        ("Bob", "Carol"): 2,
        ("Carol", "Alice"): 4,
        ("Dave",): 1,
    }
    assert read_blt(str(DATA / "food.blt")).title.startswith("Food election")


def test_empty_ballot_and_crlf() -> None:
    text = GOOD.replace("1 3 0", "5 0").replace("\n", "\r\n")
    b = read_blt(text)
    assert as_dict(b)[()] == 5


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "empty file"),
        ("3\n0\n", 1, "header must be two whole numbers"),
        ("3 4\n0\n", 1, "4 seats but only 3 candidates"),
        (GOOD.replace("1 3 0", "1 9 0"), 3, "candidate 9 out of range 1..3"),
        (GOOD.replace("1 3 0", "1 3 3 0"), 3, "candidate 3 ranked twice"),
        (GOOD.replace("1 3 0", "1 3=1 0"), 3, "equal rankings ('=') are not supported"),
        (GOOD.replace("1 3 0", "1 3 -1 0"), 3, "negative number -1 on a ballot line"),
        (GOOD.replace("1 3 0", "1 3"), 3, "a ballot line must end with 0"),
        (GOOD.replace("1 3 0", "1 0 3 0"), 3, "0 before the end of a ballot line"),
        (GOOD.replace("1 3 0", "1.5 3 0"), 3, "expected whole numbers, got '1.5'"),
        (GOOD.replace("1 3 0", "(x) 1 3 0"), 3, "expected whole numbers, got '(x)'"),
        (GOOD.replace("2 1 2 0\n0\n", "2 1 2 0\n"), 5, "missing end-of-ballots line '0'"),
        ("3 2\n1 1 0\n", 3, "no end-of-ballots line '0' after the ballots"),
        (GOOD.replace('"C"\n"Title"\n', ""), 8, "expected 3 candidate names, found 2"),
        (GOOD.replace('"C"', "C"), 8, "expected a quoted candidate name, got 'C'"),
        (GOOD.replace('"C"', '"A"'), 8, "candidate name 'A' appears twice"),
        (GOOD + '"extra"\n', 10, "unexpected text after the title"),
        (GOOD.replace("3 2\n", "3 2\n-4\n"), 2, "withdrawn candidate 4 out of range 1..3"),
    ],
)
def test_malformed_blt_names_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(BallotFileError) as info:
        read_blt(text if text else b"")
    assert info.value.line_no == line, str(info.value)
    assert reason in str(info.value)
    assert str(info.value).startswith(f"<text>:{line}: ")


def test_error_message_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ballots.blt"
    path.write_text("5 2\n1 1 2 0\n1 9 0\n0\n" + '"a"\n"b"\n"c"\n"d"\n"e"\n')
    with pytest.raises(BallotFileError) as info:
        read_blt(path)
    assert str(info.value) == f"{path}:3: candidate 9 out of range 1..5"
    with pytest.raises(BallotFileError, match="cannot read"):
        read_blt(tmp_path / "missing.blt")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.permutations(range(6)), st.integers(0, 6)),
        min_size=0,
        max_size=40,
    ),
    st.booleans(),
)
def test_fast_reader_matches_python_grouping(
    rows: list[tuple[int, list[int], int]], blank_lines: bool
) -> None:
    names = [f"c{i}" for i in range(6)]
    lines = [" ".join([str(w)] + [str(c + 1) for c in p[:k]] + ["0"]) for w, p, k in rows]
    sep = "\n\n" if blank_lines else "\n"
    text = "6 2\n" + sep.join(lines) + "\n0\n" + "".join(f'"{n}"\n' for n in names)
    b = read_blt(text)
    expected: dict[tuple[str, ...], int] = {}
    for w, p, k in rows:
        if w:
            key = tuple(names[c] for c in p[:k])
            expected[key] = expected.get(key, 0) + w
    assert as_dict(b) == expected
    # Round trip through the writer (raw = one ballot per line).
    again = read_blt(write_blt(b, 2, raw=True)) if b.total < 500 else b
    assert as_dict(again) == expected


def test_fast_path_rejects_what_slow_path_reports() -> None:
    assert _parse_block_fast(b"1 2 2 0\n", 3) is None
    assert _parse_block_fast(b"1 2 x 0\n", 3) is None
    rows, w = _parse_block_fast(b"3 1 2 0\n 1 3 0 \n", 3)  # type: ignore[misc]
    assert rows.tolist() == [[0, 1], [2, -1]] and w.tolist() == [3, 1]


def test_hash_collisions_fall_back_to_exact_grouping(monkeypatch: pytest.MonkeyPatch) -> None:
    import soviet.count.io as io_mod

    monkeypatch.setattr(io_mod, "_HASH_MULT", np.uint64(0))  # hash sees only the first pref
    text = "4 1\n1 1 2 0\n1 1 3 0\n2 1 2 0\n1 4 0\n0\n" + "".join(f'"{c}"\n' for c in "abcd")
    b = read_blt(text)
    assert as_dict(b) == {("a", "b"): 3, ("a", "c"): 1, ("d",): 1}


def test_group_rows_merges_and_drops_zero_weights() -> None:
    rows = np.array([[0, 1, -1], [0, 1, -1], [2, -1, -1], [1, -1, -1]], np.int32)
    r, w = group_rows(rows, np.array([1, 2, 0, 4], np.int64))
    got = {tuple(x): y for x, y in zip(r.tolist(), w.tolist(), strict=True)}
    assert got == {(0, 1): 3, (1, -1): 4}


def test_csv_preference_list(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    p.write_text("weight,1,2,3\n3,Ann,Bob,\n2,Bob,,\n1,Cy,Ann,Bob\n")
    b = read_csv_ranked(p)
    assert b.candidates == ("Ann", "Bob", "Cy")
    assert as_dict(b) == {("Ann", "Bob"): 3, ("Bob",): 2, ("Cy", "Ann", "Bob"): 1}


def test_csv_rank_grid(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text("Ann,Bob,Cy\n1,2,\n,1,\n2,3,1\n")
    b = read_csv_ranked(p)
    assert as_dict(b) == {("Ann", "Bob"): 1, ("Bob",): 1, ("Cy", "Ann", "Bob"): 1}
    p.write_text("Ann,Bob,Cy\n1,1,\n")
    with pytest.raises(BallotFileError, match=r"g.csv:2: equal rank 1"):
        read_csv_ranked(p)


def test_csv_errors(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("weight,1,2\nx,Ann,Bob\n")
    with pytest.raises(BallotFileError, match=r"e.csv:2: weight must be a whole number"):
        read_csv_ranked(p)
    p.write_text("1,2,3\nAnn,,Bob\n")
    with pytest.raises(BallotFileError, match=r"e.csv:2: blank cell between preferences"):
        read_csv_ranked(p)
    p.write_text("1,2\nAnn,Ann\n")
    with pytest.raises(BallotFileError, match=r"e.csv:2: candidate 'Ann' ranked twice"):
        read_csv_ranked(p)


def test_csv_approval(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("weight,Ann,Bob,Cy\n2,1,x,\n1,0,,yes\n")
    a = read_csv_approval(p)
    assert a.candidates == ("Ann", "Bob", "Cy")
    assert a.approvals.tolist() == [[True, True, False], [False, False, True]]
    assert a.weights.tolist() == [2, 1]
    p.write_text("Ann,Bob\n1,maybe\n")
    with pytest.raises(BallotFileError, match=r"a.csv:2: approval cell"):
        read_csv_approval(p)
