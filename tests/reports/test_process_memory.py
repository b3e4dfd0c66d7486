"""The command keeps freed memory for reuse where the C library can be asked (glibc)."""

from __future__ import annotations

import platform
import sys

from reports.process_memory import keep_freed_memory


def test_glibc_takes_the_settings():
    """On Linux with glibc both mallopt calls succeed; elsewhere nothing is asked."""
    expected = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is expected
