"""Reading a file whole, with a bound: for ballot files here, and for the scenario and
checkpoint files the adapters read (no NumPy, so importing it costs nothing)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from soviet.count.limits import FILE_BYTES_MAX


def read_bounded(path: str | Path, limit: int = FILE_BYTES_MAX) -> bytes:
    """The bytes of a file of at most ``limit`` bytes.

    A device (``/dev/zero``), a directory or a larger file raises OSError (its
    ``strerror`` says why) before anything is read: reading them whole would never end
    or exhaust memory. Pipes are read up to the limit.
    """
    mode = os.stat(path).st_mode
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
