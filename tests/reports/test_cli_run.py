"""The console entry point ``reports.cli:run`` exits at once, with everything written."""

from __future__ import annotations

import os
import subprocess
import sys

_RUN = "import sys; from reports.cli import run; sys.argv[0] = 'bilan'; run()"


def _bilan(*args: str, **kwargs) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "BILAN_LANG"}
    return subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True,
                          text=True, env=environment, timeout=300, **kwargs)


def test_demo_writes_complete_files(tmp_path):
    """Exit code 0, the report and the workbook whole, stdout flushed before exiting."""
    done = _bilan("demo", "--out", str(tmp_path / "demo"))
    assert done.returncode == 0, done.stderr
    report = tmp_path / "demo" / "report" / "report.html"
    assert report.read_text(encoding="utf-8").rstrip().endswith("</html>")
    import openpyxl
    book = openpyxl.load_workbook(tmp_path / "demo" / "report" / "tables.xlsx")
    assert len(book.sheetnames) > 5
    assert str(report) in done.stdout  # the last lines printed reached the pipe


def test_user_error_exit_code_and_message(tmp_path):
    """A missing pilot file: exit code 2, the message names it, no traceback."""
    done = _bilan("report", str(tmp_path / "absent.toml"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "absent.toml" in done.stderr and "Traceback" not in done.stderr


def test_reader_gone_exits_quietly():
    """`bilan baselines | head`: exit code 1, no traceback."""
    environment = {k: v for k, v in os.environ.items() if k != "BILAN_LANG"}
    with subprocess.Popen([sys.executable, "-c", _RUN, "baselines"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=environment) as child:
        child.stdout.close()
        err = child.stderr.read().decode()
        code = child.wait(timeout=120)
    assert code == 1
    assert "Traceback" not in err
