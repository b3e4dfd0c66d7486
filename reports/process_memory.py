"""How the ``bilan`` process allocates memory: freed memory is kept for reuse.

A report on a large pilot allocates and frees arrays of tens of megabytes many times
over (a column, its codes, its hashes, a filtered copy). With the allocators' defaults
much of that memory goes back to the system as soon as it is freed, and the next array
faults its pages in again, each zeroed by the kernel: on a million respondents and ten
million check-ins, about a fifth of the report's processor time was spent in the
kernel doing so.

The command is short-lived, so it asks both allocators to keep what they free:

- glibc's ``malloc`` (numpy and pandas arrays) serves large blocks from its heap and
  keeps freed memory there (``mallopt``);
- Arrow's buffers (the CSV reader, Arrow strings) come from jemalloc, which reuses
  freed pages, rather than mimalloc, pyarrow's default on Linux, which returns them.

The peak resident memory grows a little (1.3 to 1.5 GB on the scale-1400 pilot, whose
report takes about a second less); the memory is returned when the command exits.
Where an allocator cannot be asked (macOS, Windows, musl, a pyarrow built without
jemalloc) nothing changes. The library never does this on its own: it is the command's
choice for its own process (``reports.cli.run``, the console entry point).
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["keep_freed_memory"]

#: ``mallopt`` parameters (glibc's ``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
#: Free memory at the top of the heap kept rather than trimmed (the largest int).
_KEEP = 2**31 - 1


def keep_freed_memory() -> dict[str, bool]:
    """Ask glibc and Arrow to keep freed memory for reuse instead of returning it.

    Returns
    -------
    dict
        ``{"malloc": ..., "arrow": ...}``: whether glibc took the settings, and whether
        Arrow's default memory pool is now jemalloc. False changes nothing.

    Examples
    --------
    >>> sorted(keep_freed_memory())
    ['arrow', 'malloc']
    """
    return {"malloc": _glibc(), "arrow": _arrow()}


def _glibc() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no C library to ask, or one without mallopt
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # mallopt returns 1 on success, 0 on error
    return bool(mallopt(_M_MMAP_MAX, 0)) & bool(mallopt(_M_TRIM_THRESHOLD, _KEEP))


def _arrow() -> bool:
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc
        return False
    return pa.default_memory_pool().backend_name == "jemalloc"
