"""analysis.forked: work run in a forked child, waited for like a thread's future."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import surveys
from analysis import _log_lanes as LANES
from analysis import evaluate, forked
from surveys.errors import SurveyError

pytestmark = pytest.mark.skipif(not forked.can_fork(),
                                reason="this system does not fork, or has one processor")


def _fail(message: str) -> None:
    raise SurveyError(message)


def _pid() -> int:
    return os.getpid()


def test_result_comes_from_another_process():
    """The function runs in the child: its process id is not this one's."""
    child = forked.start_child(_pid)
    assert child.result() != os.getpid()


def test_the_childs_error_is_raised_here():
    """A user error in the child is raised by result(), message and type kept."""
    child = forked.start_child(_fail, "badges.csv: no column for user_id.")
    with pytest.raises(SurveyError, match="badges.csv: no column for user_id"):
        child.result()


def test_a_child_that_dies_is_replaced_by_running_here(monkeypatch):
    """A child that dies without answering (killed, out of memory): the work is done in
    this process instead."""
    monkeypatch.setattr(forked, "run_in_child", lambda sender, function, args: os._exit(1))
    child = forked.start_child(_pid)
    assert child.result() == os.getpid()


def test_a_child_that_does_not_answer_is_killed(monkeypatch):
    """A child silent past PATIENCE is killed and its work done here."""
    import time

    monkeypatch.setattr(forked, "PATIENCE", 0.2)
    monkeypatch.setattr(forked, "run_in_child", lambda sender, function, args: time.sleep(30))
    child = forked.start_child(_pid)
    started = time.perf_counter()
    assert child.result() == os.getpid()
    assert time.perf_counter() - started < 10


def test_evaluate_reads_the_log_here_when_its_child_dies(demo_dir, monkeypatch):
    """evaluate: the log's child dies; the log is read here, with the same tables."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    monkeypatch.setattr(LANES, "FORK_BYTES", float("inf"))
    expected = evaluate(pilot)
    monkeypatch.setattr(LANES, "FORK_BYTES", 0)
    monkeypatch.setattr(forked, "run_in_child", lambda sender, function, args: os._exit(1))
    got = evaluate(pilot)
    for section, key in [("attendance", "by_place_year"), ("retention", "checkins_users_curve"),
                         ("quality", "summary")]:
        pd.testing.assert_frame_equal(got.sections[section].tables[key].data,
                                      expected.sections[section].tables[key].data,
                                      check_exact=True)
