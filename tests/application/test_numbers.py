"""Ranges of numbers, parsed once for the CLI, scenario files and the API."""

from __future__ import annotations

import pytest

from soviet.application.numbers import parse_numbers, parse_range


def test_a_range_covers_its_ends() -> None:
    assert list(parse_range("3-6")) == [3, 4, 5, 6]
    assert list(parse_range(" 1 - 1 ")) == [1]


@pytest.mark.parametrize("text", ["1-²", "²-3", "0-5", "6-3", "1-", "-4", "7", "1-2-3", "a-b", ""])
def test_a_bad_range_is_refused_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="a range must look like 1-600, got"):
        parse_range(text)


def test_numbers_mix_ranges_and_single_numbers() -> None:
    assert parse_numbers("1-3, 7") == [1, 2, 3, 7]
    assert parse_numbers("9") == [9]


@pytest.mark.parametrize(
    ("text", "message"),
    [("3-1", "runs backwards"), ("1,,2", "must look like"), ("1-²", "must look like")],
)
def test_bad_numbers_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_numbers(text)
