"""analysis.evaluate reads a check-in log beside the other sources, in a second thread
or (a large log, on Linux) in a forked child: the evaluation and its errors are those
of reading the sources one after the other. Each test runs both ways."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import surveys
from analysis import _log_lanes as LANES
from analysis import evaluate, forked
from analysis.evaluation_model import SECTION_KEYS
from surveys.errors import SurveyError

_BROKEN = "a,b\n1,2\n"  # a CSV without any of the pilot's columns


@pytest.fixture(autouse=True, params=["thread", "child"])
def lane(request, monkeypatch):
    """The log read in a thread, or in a forked child (every log is large enough)."""
    if request.param == "child":
        if not forked.can_fork():
            pytest.skip("this system does not fork, or has one processor")
        monkeypatch.setattr(LANES, "FORK_BYTES", 0)
    else:
        monkeypatch.setattr(LANES, "FORK_BYTES", float("inf"))
    return request.param


def _copy(demo_dir, tmp_path, broken=(), margin=None):
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    for name in broken:
        (folder / name).write_text(_BROKEN, encoding="utf-8")
    if margin is not None:
        path = folder / "pilot.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("gender = { F = 0.65, M = 0.35 }", margin),
                        encoding="utf-8")
    return folder / "pilot.toml"


def test_sections_in_display_order_with_a_log_only(demo_dir, tmp_path):
    """A pilot of a log and places: the log's sections are computed last, yet the
    sections come in display order (data quality first)."""
    path = _copy(demo_dir, tmp_path)
    text = path.read_text(encoding="utf-8")
    keep = text[:text.index("[sources.agents]")] + text[text.index("[sources.checkins]"):]
    keep = keep[:keep.index("[weighting.agents]")] + keep[keep.index("[baselines]"):]
    path.write_text(keep, encoding="utf-8")
    keys = list(evaluate(surveys.read_pilot(path)).sections)
    assert keys[0] == "quality" and keys[-1] == "methods"
    assert keys == [k for k in SECTION_KEYS if k in keys]
    assert {"retention", "attendance"} <= set(keys)


def test_log_tables_follow_the_people_tables(demo_dir):
    """Retention shows the companies' and agents' curves, then the log's; the quality
    table lists the sources in the pilot file's order."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    evaluation = evaluate(pilot)
    assert list(evaluation.sections) == [k for k in SECTION_KEYS if k in evaluation.sections]
    retention = list(evaluation.sections["retention"].tables)
    first_log = next(i for i, key in enumerate(retention) if key.startswith("checkins_"))
    assert first_log > 0
    assert all(key.startswith("checkins_") for key in retention[first_log:])
    assert any(key.startswith("companies_") for key in retention[:first_log])
    quality = evaluation.sections["quality"].tables["summary"].data
    assert list(dict.fromkeys(quality["source"])) == list(pilot.sources)
    assert list(evaluation.sections["attendance"].tables) == ["by_type_zone", "by_place_year",
                                                              "growth"]


def test_a_broken_log_is_reported_before_a_later_source(demo_dir, tmp_path):
    """The log (read in the background) comes before the places file in the pilot:
    its error is the one reported, as when the sources are read in turn."""
    path = _copy(demo_dir, tmp_path, broken=["badges_tiers_lieux.csv", "lieux.csv"])
    with pytest.raises(SurveyError, match="badges_tiers_lieux.csv"):
        evaluate(surveys.read_pilot(path))


def test_an_earlier_source_is_reported_before_a_broken_log(demo_dir, tmp_path):
    """The agents' file comes before the log: its error is the one reported."""
    path = _copy(demo_dir, tmp_path, broken=["badges_tiers_lieux.csv", "agents_cd14.csv"])
    with pytest.raises(SurveyError, match="agents_cd14.csv"):
        evaluate(surveys.read_pilot(path))


def test_a_broken_log_is_reported_before_a_weighting_error(demo_dir, tmp_path):
    """Reading comes before weighting: a bad margin is reported only once every source
    could be read."""
    margin = "gender = { F = 0.65, X = 0.35 }"
    path = _copy(demo_dir, tmp_path, margin=margin)
    with pytest.raises(SurveyError, match="weighting|pondération|margin|marge"):
        evaluate(surveys.read_pilot(path))
    path = _copy(demo_dir, tmp_path / "both", broken=["badges_tiers_lieux.csv"],
                 margin=margin)
    with pytest.raises(SurveyError, match="badges_tiers_lieux.csv"):
        evaluate(surveys.read_pilot(path))


def test_child_gives_the_threads_tables(demo_dir, lane, monkeypatch):
    """Every table of the evaluation is the same, read in the child or in the thread."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    here = evaluate(pilot)
    monkeypatch.setattr(LANES, "FORK_BYTES", 0 if lane == "thread" else float("inf"))
    there = evaluate(pilot)
    assert list(here.sections) == list(there.sections)
    for key, section in here.sections.items():
        assert list(section.tables) == list(there.sections[key].tables)
        for name, table in section.tables.items():
            pd.testing.assert_frame_equal(table.data, there.sections[key].tables[name].data,
                                          check_exact=True)
            assert table.notes == there.sections[key].tables[name].notes

