"""Figures drawn in a forked process: the same SVG text as drawn here, errors and a
dead child handled."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest

import surveys
from analysis import evaluate
from reports import figure_process
from reports.figure_process import draw_all, start_drawing
from reports.render import _figure_data, prepare
from surveys.errors import SurveyError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="figures are drawn in a forked child on Linux only")


@pytest.fixture(scope="module")
def jobs(tmp_path_factory):
    pilot = surveys.read_pilot(surveys.demo(tmp_path_factory.mktemp("figures")))
    prepared = prepare(evaluate(pilot), figures=False)
    return [(item.stem, item.table.figure, _figure_data(item.table, item.data))
            for item in prepared if item.table.figure]


def test_forked_figures_are_the_same_text(jobs):
    """Drawn by the child and the parent together, the SVG text is the in-process text."""
    assert len(jobs) > 3
    here = draw_all(jobs, "fr")
    forked = start_drawing(jobs, "fr", fork=True)()
    assert list(forked) == list(here)
    assert forked == here


def test_an_error_in_the_child_reaches_the_caller():
    """A figure that cannot be drawn raises its error in the caller."""
    bad = [("a", "no_such_figure", pd.DataFrame({"x": [1]})),
           ("b", "impact_bars", pd.DataFrame({"indicator": ["km"], "estimate": [1.0]}))]
    svgs = start_drawing(bad, "fr", fork=True)
    with pytest.raises(SurveyError, match="no_such_figure"):
        svgs()


_PARENT = os.getpid()
_REAL = figure_process.draw_all


def _dies_in_the_child(jobs, lang):
    if os.getpid() != _PARENT:
        os._exit(9)  # as if killed (out of memory)
    return _REAL(jobs, lang)


def test_a_dead_child_is_replaced_by_drawing_here(jobs, monkeypatch):
    """A child that dies (killed, out of memory): its figures are drawn here."""
    monkeypatch.setattr(figure_process, "draw_all", _dies_in_the_child)
    assert start_drawing(jobs[:2], "en", fork=True)() == _REAL(jobs[:2], "en")


def _hangs_in_the_child(jobs, lang):
    if os.getpid() != _PARENT:
        import time
        time.sleep(60)
    return _REAL(jobs, lang)


def test_a_silent_child_is_killed_and_replaced(jobs, monkeypatch):
    """A child that does not answer in time (a lock held at the fork) is killed."""
    monkeypatch.setattr(figure_process, "draw_all", _hangs_in_the_child)
    monkeypatch.setattr(figure_process, "PATIENCE", 1.0)
    assert start_drawing(jobs[:2], "fr", fork=True)() == _REAL(jobs[:2], "fr")


def test_buffered_output_is_not_written_twice(tmp_path):
    """Text still in the parent's stdout buffer at the fork is written once."""
    import subprocess

    script = (
        "import sys, pandas as pd\n"
        "from reports.figure_process import start_drawing\n"
        "sys.stdout.write('written once')\n"
        "jobs = [(s, 'impact_bars', pd.DataFrame({'indicator': ['km'], 'estimate': [1.0]}))"
        " for s in ('a', 'b')]\n"
        "assert sorted(start_drawing(jobs, 'fr', fork=True)()) == ['a', 'b']\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "written once"
