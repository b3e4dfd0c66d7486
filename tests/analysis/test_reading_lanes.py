"""analysis.evaluate reads each large people's source in a forked child (Linux, two
processors or more): the evaluation and its errors are those of reading the sources
one after the other in this process."""

from __future__ import annotations

import shutil
import sys

import pandas as pd
import pytest

import surveys
from analysis import _reading_lanes as READERS
from analysis import evaluate, forked
from surveys.errors import SurveyError

_BROKEN = "a,b\n1,2\n"  # a CSV without any of the pilot's columns

pytestmark = pytest.mark.skipif(not forked.can_fork(),
                                reason="this system does not fork, or has one processor")


def _copy(demo_dir, tmp_path, broken=()):
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    for name in broken:
        (folder / name).write_text(_BROKEN, encoding="utf-8")
    return folder / "pilot.toml"


def test_every_people_source_is_read_in_a_child(demo_dir, monkeypatch):
    """With no size threshold, each of the demo's three people's sources has a child."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    children = READERS.start_readers(pilot, ["agents", "companies", "users"])
    assert sorted(children) == ["agents", "companies", "users"]
    for name, child in children.items():
        pd.testing.assert_frame_equal(child.result().data, pilot.read(name).data,
                                      check_exact=True)


def test_a_source_read_already_is_not_read_again(demo_dir, monkeypatch):
    """A source the pilot has read (a notebook's) gets no child."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    pilot.read("agents")
    children = READERS.start_readers(pilot, ["agents", "users"])
    assert list(children) == ["users"]
    children["users"].result()  # the child ends once its answer is taken


def test_children_give_the_same_evaluation(demo_dir, monkeypatch):
    """Every table and note is the same, the people's sources read in children or here."""
    monkeypatch.setattr(READERS, "READ_BYTES", float("inf"))
    here = evaluate(surveys.read_pilot(demo_dir / "pilot.toml"))
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    there = evaluate(surveys.read_pilot(demo_dir / "pilot.toml"))
    assert list(here.sections) == list(there.sections)
    for key, section in here.sections.items():
        assert list(section.tables) == list(there.sections[key].tables)
        for name, table in section.tables.items():
            other = there.sections[key].tables[name]
            pd.testing.assert_frame_equal(table.data, other.data, check_exact=True)
            assert table.notes == other.notes


def test_a_child_reading_error_is_raised_here(demo_dir, tmp_path, monkeypatch):
    """A people's source that cannot be read gives the error it gives when read here."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    path = _copy(demo_dir, tmp_path, broken=["tiers_lieux_limesurvey.csv"])
    with pytest.raises(SurveyError, match="tiers_lieux_limesurvey.csv"):
        evaluate(surveys.read_pilot(path))


def test_an_earlier_source_read_in_a_child_is_reported_first(demo_dir, tmp_path,
                                                              monkeypatch):
    """The agents' file (read in a child) comes before the places file (read here):
    both are broken, and the agents' error is the one reported."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    path = _copy(demo_dir, tmp_path, broken=["agents_cd14.csv", "lieux.csv"])
    with pytest.raises(SurveyError, match="agents_cd14.csv"):
        evaluate(surveys.read_pilot(path))


def test_a_later_source_read_in_a_child_is_not_reported_first(demo_dir, tmp_path,
                                                               monkeypatch):
    """The users' file (read in a child) comes after the agents' file (read here):
    both are broken, and the agents' error is the one reported."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    start = READERS.start_readers
    monkeypatch.setattr(sys.modules["analysis.evaluate"], "_start_readers",
                        lambda pilot, names: start(pilot, ["users"]))
    path = _copy(demo_dir, tmp_path, broken=["agents_cd14.csv", "tiers_lieux_limesurvey.csv"])
    with pytest.raises(SurveyError, match="agents_cd14.csv"):
        evaluate(surveys.read_pilot(path))


def test_children_are_stopped_when_a_source_cannot_be_read(demo_dir, tmp_path, monkeypatch):
    """An error stops the children still reading: none is left waiting to hand over a
    source no one will take (a notebook's kernel would keep them)."""
    monkeypatch.setattr(READERS, "READ_BYTES", 0)
    started = []
    start = READERS.start_readers

    def keep(pilot, names):
        children = start(pilot, names)
        started.extend(children.values())
        return children

    monkeypatch.setattr(sys.modules["analysis.evaluate"], "_start_readers", keep)
    path = _copy(demo_dir, tmp_path, broken=["agents_cd14.csv"])
    with pytest.raises(SurveyError, match="agents_cd14.csv"):
        evaluate(surveys.read_pilot(path))
    assert started and not any(child._process.is_alive() for child in started)
