"""Robustness review 11 on the report: --out naming a file, growth notes with hidden
years, check-ins at unknown places said in the report."""

from __future__ import annotations

import shutil

import pandas as pd

from reports.cli import main
from reports.i18n import catalogue
from reports.table_layouts import growth_notes


def test_out_naming_a_file_is_one_sentence(demo_reports, tmp_path, capsys):
    """`--out rapport.html` (an existing file) exits 2 with a sentence naming --out."""
    target = tmp_path / "rapport.html"
    target.write_text("x", encoding="utf-8")
    pilot = demo_reports["fr"].parent.parent / "pilot.toml"
    assert main(["report", str(pilot), "--out", str(target)]) == 2
    error = capsys.readouterr().err
    assert "--out" in error and "est un fichier" in error and "Traceback" not in error


def test_growth_notes_skip_hidden_years():
    """A place whose first or last year is hidden (NA) is not called a one-year place."""
    frame = pd.DataFrame({"place_id": ["P1", "P2", "P3"],
                          "first_year": pd.array([2015, pd.NA, 2016], dtype="Int64"),
                          "last_year": pd.array([2016, 2016, 2016], dtype="Int64")})
    notes = growth_notes(frame, {"P1": "Hub", "P2": "Lab", "P3": "Den"}, catalogue("en"))
    assert notes[1] == "Only one full year, so no yearly change: Den."


def test_unknown_places_are_said_in_the_report(demo_reports, tmp_path):
    """Check-ins at a place missing from the places file: the attendance tables say how
    many were left out, and which code."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_reports["fr"].parent.parent, folder,
                    ignore=shutil.ignore_patterns("report", "en"))
    log = folder / "badges_tiers_lieux.csv"     # lieu,badge,horodatage
    with log.open(encoding="utf-8", newline="") as file:
        text = file.read()
    assert text.startswith("lieu,badge,horodatage")
    with log.open("a", encoding="utf-8", newline="") as file:
        file.write(("" if text.endswith("\n") else "\n") + "TL999,B99999,06/01/2015 13:19\n")
    assert main(["report", str(folder / "pilot.toml"), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "1 passage dont le code de lieu manque au fichier des lieux (&#39;TL999&#39;)" in page


def test_validate_names_the_rows_of_each_problem(demo_reports, capsys):
    """`bilan validate` says which data rows hold each column's problems (the demo's
    corrected telework days are on data row 6)."""
    pilot = demo_reports["fr"].parent.parent / "pilot.toml"
    main(["validate", str(pilot)])
    out = capsys.readouterr().out
    assert "« Jours de télétravail / semaine » : 1 (ligne de données 6)" in out
