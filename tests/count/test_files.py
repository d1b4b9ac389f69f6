"""Bounded reads and strict UTF-8, shared by every file the engine reads."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from soviet.count.files import NotUTF8, decode_utf8, read_bounded


def test_decode_locates_the_first_bad_byte() -> None:
    with pytest.raises(NotUTF8) as caught:
        decode_utf8(b"ok\nstill ok\n\xe9t\xe9")
    assert (caught.value.offset, caught.value.line, caught.value.byte) == (12, 3, 0xE9)
    assert str(caught.value) == "not UTF-8: byte 0xe9 at offset 12"


def test_a_byte_order_mark_is_dropped_and_offsets_still_count_it() -> None:
    marked = codecs.BOM_UTF8 + b"a\n\xff"
    assert decode_utf8(codecs.BOM_UTF8 + b"caf\xc3\xa9", bom=True) == "café"
    with pytest.raises(NotUTF8) as caught:
        decode_utf8(marked, bom=True)
    assert (caught.value.offset, caught.value.line, caught.value.byte) == (5, 2, 0xFF)
    assert decode_utf8(marked[:-1]) == "\ufeffa\n"  # without bom=True the mark is text


def test_a_path_with_a_nul_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="embedded null byte"):
        read_bounded(f"{tmp_path}/a\x00b")
