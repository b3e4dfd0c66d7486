"""Helpers shared by the benchmark scripts (run as ``python benchmarks/<name>.py``).

Every benchmark takes ``--quick`` (smaller data, under about a minute) and ``--smoke``
(the smallest data that still runs every code path and every equality check against
the peers, in seconds; for CI: ``tests/test_benchmarks_smoke.py``). A smoke run's times
measure nothing: ``arguments`` says so on the first line, and ``timed`` runs each
function once. After its checks pass, a benchmark calls ``checked``, which prints the
``checked: <benchmark>: ... equal`` line the smoke test looks for; a check that fails
raises, so the script exits non-zero before that line. This module imports only the
standard library (``ingest.py`` measures its children's peak memory, which would count
the parent's).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from typing import Any, Callable

__all__ = ["arguments", "checked", "pick", "timed"]

#: Largest number of repeats ``timed`` makes (1 in a smoke run).
_max_repeat = 1_000_000


def arguments(doc: str, quick: str, extra: Callable[[argparse.ArgumentParser], None] | None
              = None, argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line: ``--quick`` (help text ``quick``) or ``--smoke``, and the
    benchmark's own options added by ``extra``. A smoke run caps ``timed`` at one run
    and prints that its times are not measurements."""
    global _max_repeat
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help=quick)
    size.add_argument("--smoke", action="store_true",
                      help="tiny data, every code path and check, seconds (CI); times "
                           "printed are not measurements")
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        _max_repeat = 1
        print("smoke run (--smoke): tiny data, to check the code and the results; "
              "the times printed below measure nothing", flush=True)
    return args


def pick(args: argparse.Namespace, full: Any, quick: Any, smoke: Any) -> Any:
    """The value for this run's size: ``smoke``, ``quick`` or ``full``."""
    return smoke if args.smoke else quick if args.quick else full


def checked(benchmark: str, what: str) -> None:
    """Print that ``benchmark``'s results were checked equal to ``what`` (call it only
    after the checks passed)."""
    print(f"checked: {benchmark}: {what} equal", flush=True)


def timed(function, repeat: int = 3):
    """Best wall time of ``repeat`` runs (one in a smoke run) and the last result."""
    best, result = float("inf"), None
    for _ in range(min(repeat, _max_repeat)):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def r_has(package: str) -> bool:
    """Whether ``Rscript`` is installed with the R ``package`` (the R comparison runs)."""
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(["Rscript", "-e",
                           f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
                          capture_output=True)
    return done.returncode == 0
