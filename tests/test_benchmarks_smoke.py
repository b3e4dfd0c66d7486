"""Every benchmark runs at its smallest size (``--smoke``) and its checks pass.

Each test runs ``python benchmarks/<name>.py --smoke`` in a fresh interpreter from the
repository's root, as a user would, and looks for the ``checked: <name>: ... equal``
line the script prints only after its results were checked equal to its peers'. A
benchmark whose peer is not installed is skipped (CI installs the ``bench`` extra).
The whole file took 36 s on this two-core machine under a load average of 7.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _r_has(package: str) -> bool:
    """Whether the R comparison runs: ``benchmarks/_timing.py``'s own test."""
    spec = importlib.util.spec_from_file_location("_timing", BENCHMARKS / "_timing.py")
    timing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(timing)
    return timing.r_has(package)


def _need(*modules: str) -> None:
    """Skip unless every peer package imports (samplics warns it is archived)."""
    for module in modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pytest.importorskip(module)


def _run(script: Path) -> subprocess.CompletedProcess:
    """``python <script> --smoke`` from the repository's root, assertions enabled."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONOPTIMIZE"}
    return subprocess.run([sys.executable, str(script), "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _smoke(name: str) -> str:
    """Run benchmark ``name`` with ``--smoke``; its one ``checked:`` line."""
    done = _run(BENCHMARKS / f"{name}.py")
    assert done.returncode == 0, done.stderr[-4000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith(f"checked: {name}: ")]
    assert len(lines) == 1, done.stdout[-4000:]
    assert lines[0].endswith(" equal"), lines[0]
    return lines[0]


def test_attendance_smoke():
    """attendance.py: the summary equals both DuckDB queries' on a tiny log."""
    _need("duckdb")
    line = _smoke("attendance")
    assert "duckdb (joined and layered queries)" in line


def test_estimation_smoke():
    """estimation.py: proportions, means and raking equal samplics', weightipy's (and R's)."""
    _need("samplics", "weightipy")
    line = _smoke("estimation")
    assert "samplics, weightipy" in line
    assert ("R survey" in line) == _r_has("survey")


def test_ingest_smoke():
    """ingest.py: surveys.read and read_raw see pyarrow's rows and commute distances."""
    _need("pyarrow")
    line = _smoke("ingest")
    assert "surveys.read and read_raw (3 string modes) against pyarrow.csv" in line


def test_likert_smoke():
    """likert.py: every estimate equals the naive pandas computation."""
    line = _smoke("likert")
    assert "4000 estimates" in line and "1000 weighted top2" in line


def test_render_smoke():
    """render.py: every phase times a called function; a copy of reports writes the same bytes."""
    line = _smoke("render")
    assert "every phase timed a called function" in line
    assert "against the baseline (HTML, CSV)" in line


def test_report_smoke():
    """report.py: the report is written and surveys reads the rows pyarrow/calamine count."""
    _need("pyarrow", "python_calamine")
    line = _smoke("report")
    assert "rows of the 5 sources" in line


def test_retention_smoke():
    """retention.py: durations, KM, log-rank, Turnbull equal lifelines', statsmodels', DuckDB's."""
    _need("lifelines", "duckdb", "statsmodels")
    line = _smoke("retention")
    assert "duckdb + lifelines" in line and "statsmodels" in line
    assert ("R survival" in line) == _r_has("survival")


def test_results_that_differ_fail_the_run(tmp_path):
    """A benchmark whose results differ from its reference exits non-zero, no checked line."""
    source = (BENCHMARKS / "likert.py").read_text(encoding="utf-8")
    wrong = "top = counts[[4, 5]].sum(axis=1) / n"
    assert source.count(wrong) == 1
    (tmp_path / "likert.py").write_text(
        source.replace(wrong, "top = counts[[3, 4, 5]].sum(axis=1) / n"), encoding="utf-8")
    shutil.copy(BENCHMARKS / "_timing.py", tmp_path / "_timing.py")
    done = _run(tmp_path / "likert.py")
    assert done.returncode != 0
    assert "AssertionError" in done.stderr
    assert "checked:" not in done.stdout


def test_fast_mending_smoke():
    """fast_mending.py: a log with a few bad rows, fast route equal to the exact route."""
    line = _smoke("fast_mending")
    assert "exact route" in line
