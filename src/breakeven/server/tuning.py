"""Process settings for a long-running server (``breakeven serve``; not for the library).

A simulation of 10,000 samples allocates about 150 MB of arrays and frees them when it is done.
By default glibc's malloc serves blocks that large with fresh ``mmap`` pages and gives them back
on ``free``, so every request pays a page fault per 4 KiB it touches — about a sixth of the
server time of a 10,000-sample run. :func:`keep_freed_memory` asks malloc to keep such blocks in
its heap for the next request instead: the numbers do not change, only where the memory comes
from (the server keeps what its largest run needed, up to the trim threshold).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest: blocks up to 32 MiB come from the heap
TRIM_THRESHOLD = 512 << 20  # give memory back once 512 MiB at the heap's top are free


def keep_freed_memory() -> bool:
    """Tune glibc's malloc as the module docstring says; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok


__all__ = ["keep_freed_memory"]
