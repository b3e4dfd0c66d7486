"""The workbook's cohort sheet: a retention triangle, one row per month of arrival."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.formatting import format_value
from reports.i18n import catalogue
from reports.presentation import Prepared
from reports.suppression import SUPPRESSED
from reports.workbook_view import workbook_table

_CSV = Path("csv") / "retention_checkins_cohorts.csv"


def _sheet_of(report: Path, lang: str):
    """The demo workbook's cohort sheet (the one headed "month of arrival")."""
    book = load_workbook(report.parent / "tables.xlsx")
    heading = catalogue(lang).text("report.cohort_month")
    sheets = [ws for ws in book.worksheets[1:] if ws.cell(row=1, column=1).value == heading]
    assert len(sheets) == 1
    return sheets[0]


@pytest.fixture(scope="module")
def sheets(demo_reports):
    """The demo's cohort sheet in French and in English."""
    return {lang: _sheet_of(path, lang) for lang, path in demo_reports.items()}


@pytest.fixture(scope="module")
def long_table(demo_reports) -> pd.DataFrame:
    """The demo's cohort table as its CSV file keeps it (the machine table)."""
    return pd.read_csv(demo_reports["fr"].parent / _CSV, parse_dates=["cohort"])


def _cell(sheet, long_table: pd.DataFrame, cohort, month: int):
    """The sheet's cell of a cohort (its row, in time order) and a month since arrival."""
    cohorts = sorted(long_table["cohort"].unique())
    return sheet.cell(row=2 + cohorts.index(cohort), column=3 + month)


def _prepared(frame: pd.DataFrame) -> Prepared:
    """A cohort table as ``reports.render.prepare`` hands it on."""
    table = Table("checkins_cohorts", frame, "tables.retention.cohorts", count_column="users",
                  share_columns=["share"])
    return Prepared("retention", table, frame, "retention_checkins_cohorts")


def _triangle() -> pd.DataFrame:
    """Two cohorts: the first followed for two months, the second only in its first."""
    return pd.DataFrame({
        "cohort": pd.to_datetime(["2015-01-01"] * 3 + ["2015-02-01"] * 2),
        "period_index": [0, 1, 2, 0, 1], "users": [18.0, 18, 18, 30, 30],
        "active": [18.0, 9, 8, 30, 12], "share": [1.0, 0.5, 8 / 18, 1.0, 0.4],
        SUPPRESSED: [False] * 5})


def test_sheet_has_one_row_per_cohort_and_one_column_per_month_reached(sheets, long_table):
    """Rows are the cohorts; columns the month, the new users and each month reached."""
    sheet = sheets["fr"]
    assert sheet.max_row - 1 == long_table["cohort"].nunique() == 24
    assert sheet.max_column - 2 == long_table["period_index"].nunique() == 24


def test_each_share_is_the_long_tables_share_as_the_page_rounds_it(sheets, long_table):
    """Every published share of the CSV is in its cell, rounded to the page's percentage."""
    published = long_table[~long_table[SUPPRESSED] & long_table["share"].notna()]
    assert len(published) > 150
    got = [_cell(sheets["en"], long_table, c, k).value
           for c, k in zip(published["cohort"], published["period_index"])]
    page = [float(format_value(s, "share", "en", share=True).rstrip("%")) / 100
            for s in published["share"]]
    assert got == pytest.approx(page, abs=1e-12)


def test_a_suppressed_cell_is_empty_in_the_sheet(sheets, long_table):
    """A share the suppression hid is an empty cell, not a number."""
    hidden = long_table[long_table[SUPPRESSED]]
    assert len(hidden) > 0
    values = [_cell(sheets["fr"], long_table, c, k).value
              for c, k in zip(hidden["cohort"], hidden["period_index"])]
    assert values == [None] * len(hidden)


def test_a_month_the_log_does_not_reach_is_empty(sheets, long_table):
    """The last cohort, followed for its first month only, has no later share."""
    last = long_table["cohort"].max()
    assert long_table.loc[long_table["cohort"] == last, "period_index"].tolist() == [0]
    assert _cell(sheets["fr"], long_table, last, 1).value is None


def test_month_of_arrival_is_a_date_written_as_the_page_writes_months(sheets):
    """The month is an Excel date formatted as a month in the report's language."""
    fr, en = (sheets[lang].cell(row=2, column=1) for lang in ("fr", "en"))
    assert fr.value == en.value == datetime(2015, 1, 1)
    assert (fr.number_format, en.number_format) == ("[$-40C]mmmm yyyy", "[$-809]mmmm yyyy")


def test_shares_carry_the_workbook_percent_format(sheets):
    """A share is a fraction shown as a whole percentage, the users a whole count."""
    row = sheets["fr"][3]  # February 2015
    assert row[3].value == 0.57 and row[3].number_format == "#,##0%"
    assert row[1].value == 30 and row[1].number_format == "#,##0"


def test_french_headings(sheets):
    """The French sheet is headed from the French catalogue."""
    headings = [c.value for c in sheets["fr"][1]]
    assert headings[:4] == ["Mois d'arrivée", "Nouveaux usagers", "M+0", "M+1"]
    assert headings[-1] == "M+23"


def test_english_headings(sheets):
    """The English sheet is headed from the English catalogue."""
    headings = [c.value for c in sheets["en"][1]]
    assert headings[:4] == ["Month of arrival", "New users", "M+0", "M+1"]


def test_csv_keeps_the_long_table(long_table):
    """The CSV file is still the machine table: one row per cohort and month since."""
    assert {"cohort", "period_index", "users", "active", "share"} <= set(long_table.columns)
    assert len(long_table) == 24 * 25 // 2


def test_a_cohort_hidden_whole_has_empty_cells():
    """A cohort the suppression hid whole shows no users and no share."""
    frame = _triangle()
    frame.loc[3:, ["users", "active", "share"]] = float("nan")
    frame.loc[3:, SUPPRESSED] = True
    data = workbook_table(_prepared(frame), catalogue("en")).data
    assert data.iloc[1, 1:].isna().all() and data.iloc[0, 1:].notna().all()


def test_notes_say_why_the_bottom_right_cells_are_empty():
    """A triangle's notes explain the months not observed yet and what M+1 means."""
    cat = catalogue("fr")
    notes = workbook_table(_prepared(_triangle()), cat).notes
    assert cat.text("report.cohort_not_observed_cells") in notes
    assert cat.text("report.cohort_since_note") in notes


def test_no_unobserved_note_when_every_month_is_observed():
    """When each cohort reaches every month shown, no cell is said to be unobserved."""
    cat = catalogue("fr")
    full = _triangle().iloc[[0, 1, 3, 4]]
    assert cat.text("report.cohort_not_observed_cells") not in \
        workbook_table(_prepared(full), cat).notes


def _cohort_evaluation() -> Evaluation:
    """An evaluation holding a cohort table only."""
    evaluation = Evaluation("Pilote")
    frame = _triangle().drop(columns=SUPPRESSED)
    evaluation.section("retention").add(
        Table("checkins_cohorts", frame, "tables.retention.cohorts", count_column="users",
              share_columns=["share"]))
    return evaluation


def test_workbook_with_a_cohort_triangle_is_the_same_bytes_twice(tmp_path):
    """Two renderings of the same cohort table write byte-identical workbooks."""
    first = render(_cohort_evaluation(), tmp_path / "a")[1]
    second = render(_cohort_evaluation(), tmp_path / "b")[1]
    assert first.name == "tables.xlsx"
    assert first.read_bytes() == second.read_bytes()
