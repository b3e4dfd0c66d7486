"""The pilot file's [attendance] settings reach the attendance tables and their note."""

from __future__ import annotations

import shutil

import surveys
from analysis import evaluate


def _demo(demo_dir, tmp_path, extra: str):
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return evaluate(surveys.read_pilot(path)).sections["attendance"].tables["by_place_year"]


def test_weekdays_raise_occupancy_and_threshold_moves_the_flag(demo_dir, tmp_path):
    """Counting weekdays only divides by fewer days (occupancy up by about 7/5); a 1 %
    threshold leaves fewer places little used; the note says which rule was used."""
    plain = _demo(demo_dir, tmp_path / "a", "")
    weekdays = _demo(demo_dir, tmp_path / "b",
                     '\n[attendance]\nopen_days = "weekdays"\nlittle_used = 0.01\n')
    ratio = (weekdays.data["occupancy"] / plain.data["occupancy"]).median()
    assert 1.35 < ratio < 1.45
    assert weekdays.data["little_used"].sum() < plain.data["little_used"].sum()
    note = next(n for n in weekdays.notes if getattr(n, "key", None) == "occupancy_rule")
    assert "du lundi au vendredi" in note.in_language("fr")
    assert "1 %" in note.in_language("fr") and "1%" in note.in_language("en")
