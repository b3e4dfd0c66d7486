"""The command keeps freed memory for reuse where the allocators can be asked."""

from __future__ import annotations

import platform
import sys

import pyarrow as pa

from reports.process_memory import keep_freed_memory


def test_allocators_take_the_settings():
    """On Linux with glibc both mallopt calls succeed; Arrow's pool becomes jemalloc
    where pyarrow has it (the Linux wheels do); elsewhere nothing is asked."""
    before = pa.default_memory_pool()
    try:
        done = keep_freed_memory()
        glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
        assert done["malloc"] is glibc
        assert done["arrow"] is (pa.default_memory_pool().backend_name == "jemalloc")
        if sys.platform.startswith("linux"):
            assert done["arrow"]
    finally:
        pa.set_memory_pool(before)
