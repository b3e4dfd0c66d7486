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


def _with_unknown_places(demo_reports, tmp_path, lines: list[str]):
    """The demo pilot with check-in lines appended to its log (lieu,badge,horodatage)."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_reports["fr"].parent.parent, folder,
                    ignore=shutil.ignore_patterns("report", "en"))
    log = folder / "badges_tiers_lieux.csv"
    with log.open(encoding="utf-8", newline="") as file:
        text = file.read()
    assert text.startswith("lieu,badge,horodatage")
    with log.open("a", encoding="utf-8", newline="") as file:
        file.write(("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n")
    return folder / "pilot.toml"


def test_unknown_places_are_said_in_the_report(demo_reports, tmp_path):
    """Check-ins of 5 users at a place missing from the places file: the attendance
    tables say how many were left out, and which code; a code that looks like an e-mail
    is not written."""
    lines = [f"TL999,B9999{i},06/01/2015 13:19" for i in range(5)]
    lines.append("jean.dupont@example.org,B88888,07/01/2015 10:00")
    pilot = _with_unknown_places(demo_reports, tmp_path, lines)
    assert main(["report", str(pilot), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "6 passages dont le code de lieu manque au fichier des lieux (&#39;TL999&#39; et 1 " \
        "autre valeur non écrite ici" in page
    assert "jean.dupont" not in page


def test_unknown_places_of_few_users_give_no_count(demo_reports, tmp_path, capsys):
    """One badge at an unknown place: the report gives no count (it would rest on one
    person) and no code; `bilan validate` lists the code for the user."""
    pilot = _with_unknown_places(demo_reports, tmp_path,
                                 [f"TL999,B77777,0{d}/03/2016 10:00" for d in (3, 4, 5)])
    assert main(["report", str(pilot), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "des passages de moins de 5 usagers, dont le code de lieu manque" in page
    assert "TL999" not in page
    main(["validate", str(pilot)])
    assert "3 passages dans des lieux absents du fichier des lieux" in capsys.readouterr().out


def test_validate_names_the_rows_of_each_problem(demo_reports, capsys):
    """`bilan validate` says which data rows hold each column's problems (the demo's
    corrected telework days are on data row 6)."""
    pilot = demo_reports["fr"].parent.parent / "pilot.toml"
    main(["validate", str(pilot)])
    out = capsys.readouterr().out
    assert "« Jours de télétravail / semaine » : 1 (ligne de données 6)" in out
