"""Reading a file whole, with a bound: for ballot files here, and for the scenario and
checkpoint files the adapters read (no NumPy, so importing it costs nothing)."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from soviet.count.limits import FILE_BYTES_MAX


def read_bounded(path: str | Path, limit: int = FILE_BYTES_MAX) -> bytes:
    """The bytes of a file of at most ``limit`` bytes.

    A device (``/dev/zero``), a directory, a larger file or a path with a NUL raises OSError (its
    ``strerror`` says why) before anything is read: reading them whole would never end
    or exhaust memory. Pipes are read up to the limit.
    """
    try:
        mode = os.stat(path).st_mode
    except ValueError as exc:  # a path with a NUL in it: no such file can exist
        raise OSError(errno.EINVAL, str(exc), str(path)) from None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    too_large = OSError(errno.EFBIG, f"larger than the limit of {limit:,} bytes", str(path))
    if stat.S_ISREG(mode) and os.stat(path).st_size > limit:
        raise too_large
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


class NotUTF8(ValueError):
    """Bytes that are not UTF-8 text: where the first bad byte is (``offset`` into the
    bytes, its ``line``, the ``byte`` itself); ``str()`` is ``not UTF-8: byte 0xNN at
    offset K``."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.offset = offset
        self.line = data.count(b"\n", 0, offset) + 1
        self.byte = data[offset]
        super().__init__(f"not UTF-8: byte 0x{self.byte:02x} at offset {offset}")


def decode_utf8(data: bytes, *, bom: bool = False) -> str:
    """``data`` decoded strictly as UTF-8 (with ``bom``, a leading byte-order mark is
    dropped), or NotUTF8 locating the first bad byte in ``data`` as given."""
    skip = len(codecs.BOM_UTF8) if bom and data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUTF8(data, skip + exc.start) from None
