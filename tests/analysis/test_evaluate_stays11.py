"""Robustness review 11: a stay that cannot be known (no start date, or an end before the
start) is left out of the retention curve with a note, not the whole report refused."""

from __future__ import annotations

import re
import shutil

import pytest

import analysis
import surveys

START = 11    # "Début du télétravail" in the demo's agents file
END = 12      # "Fin du télétravail"


def _pilot(demo_dir, tmp_path, start: str, end: str, weighted: bool):
    """The demo pilot with the first agent's telework dates replaced."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder, ignore=shutil.ignore_patterns("report"))
    path = folder / "agents_cd14.csv"
    with path.open(encoding="cp1252", newline="") as file:
        lines = file.read().split("\r\n")
    cells = lines[1].split(";")
    cells[START], cells[END] = start, end
    lines[1] = ";".join(cells)
    with path.open("w", encoding="cp1252", newline="") as file:
        file.write("\r\n".join(lines))
    if not weighted:
        toml = folder / "pilot.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(re.sub(r"\[weighting\.agents\][^\[]*", "", text), encoding="utf-8")
    return surveys.read_pilot(folder / "pilot.toml")


def _curve_notes(evaluation) -> list[str]:
    table = evaluation.sections["retention"].tables["agents_stays_curve"]
    return [note.in_language("fr") for note in table.notes if hasattr(note, "in_language")]


@pytest.mark.parametrize("weighted", [False, True])
def test_no_start_is_left_out_with_a_note(demo_dir, tmp_path, weighted):
    """A blank start date: the curve is drawn on the others, and a note counts it."""
    evaluation = analysis.evaluate(_pilot(demo_dir, tmp_path, "", "", weighted))
    notes = _curve_notes(evaluation)
    assert any("1 ligne sans « Début du télétravail »" in n for n in notes), notes


@pytest.mark.parametrize("weighted", [False, True])
def test_end_before_start_is_left_out_with_a_note(demo_dir, tmp_path, weighted):
    """An end before the start: left out of the curve, the note names both columns."""
    evaluation = analysis.evaluate(_pilot(demo_dir, tmp_path, "16/10/2015", "01/01/2015",
                                          weighted))
    notes = _curve_notes(evaluation)
    assert any("où « Fin du télétravail » précède « Début du télétravail »" in n
               for n in notes), notes
    curve = evaluation.sections["retention"].tables["agents_stays_curve"].data
    assert int(curve["at_risk"].max()) == 45   # 46 agents, one left out
