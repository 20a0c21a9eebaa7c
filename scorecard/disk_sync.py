"""A batch's files flushed to disk in one call (scorecard.writing): Linux's `syncfs`.

`syncfs` writes out everything not yet on disk in the filesystem holding a folder, and
waits for it: every file of the batch at once, where an `fsync` a file costs a call and a
wait each (some 0.2 to 0.4 s for an every-organisation build's 3,510 files). Since Linux
5.8 it also reports a write that failed, as `fsync` does. Elsewhere (another system, an
older kernel, a C library without it) `sync_filesystem` says so, and the files are synced
one by one.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

REPORTS_ERRORS = (5, 8)  # the first Linux whose syncfs reports a failed write


def sync_filesystem(folder: Path) -> bool:
    """Flush the filesystem holding `folder`; False if `syncfs` cannot be had here (nothing
    was flushed). An OSError if the flush failed."""
    call = syncfs()
    if call is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        call(fd)
    finally:
        os.close(fd)
    return True


@cache
def syncfs() -> Callable[[int], None] | None:
    """`syncfs(fd)`, raising OSError when it fails; None where it does not report errors."""
    if sys.platform != "linux" or kernel() < REPORTS_ERRORS:
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int

    def call(fd: int) -> None:
        if function(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))

    return call


def kernel() -> tuple[int, int]:
    """The running kernel's major and minor version ((0, 0) if it cannot be read)."""
    found = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return (int(found[1]), int(found[2])) if found else (0, 0)
