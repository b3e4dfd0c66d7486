"""Formula neutralisation (CSV and XLSX) and the guard keeping free text and pii out."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.safe_output import drop_private, neutralise, neutralise_frame

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe(text):
    """Each dangerous first character is masked as LimeSurvey's csvMaskEquations does."""
    assert neutralise(text) == "'" + text


def test_numbers_and_harmless_text_are_unchanged():
    """Negative numbers stay numbers; text starting elsewhere is left alone."""
    frame = pd.DataFrame({"label": ["3-6m", "a=b", None], "n": [-1, 2, 3],
                          "estimate": [-0.5, 0.1, float("nan")]})
    out = neutralise_frame(frame)
    assert out["label"].tolist()[:2] == ["3-6m", "a=b"] and out["label"].isna().tolist()[2]
    assert out["n"].tolist() == [-1, 2, 3]
    assert out["estimate"].dtype == float and out["estimate"].tolist()[0] == -0.5


def test_categorical_cells_and_column_names_are_neutralised():
    """A category label and a header are text cells too."""
    frame = pd.DataFrame({"=cmd": pd.Categorical(["-x", "ok"])})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=cmd"]
    assert out["'=cmd"].tolist() == ["'-x", "ok"]


def test_private_columns_are_dropped():
    """Free text, e-mail and respondent identifiers go; place identifiers stay."""
    frame = pd.DataFrame({"place_id": ["p1"], "comment": ["nul"], "email": ["a@b.fr"],
                          "respondent_id": ["h1"], "company_name": ["ACME"], "n": [9]})
    assert list(drop_private(frame).columns) == ["place_id", "n"]


def test_multiselect_columns_of_a_private_variable_are_dropped():
    """``<variable>__<code>`` columns of a private variable are private too."""
    frame = pd.DataFrame({"comment__long": [True], "barriers__management": [True]})
    assert list(drop_private(frame).columns) == ["barriers__management"]


def test_allowed_private_column_is_kept():
    """A column the pilot file explicitly allows is kept."""
    frame = pd.DataFrame({"comment": ["ok"], "n": [1]})
    assert list(drop_private(frame, allow=["comment"]).columns) == ["comment", "n"]


def _evaluation() -> Evaluation:
    """A table whose labels are formulas and that carries free text and an e-mail."""
    frame = pd.DataFrame({
        "service": FORMULAS, "n": [10, 11, 12, 13, 14, 15],
        "estimate": [-0.5, 0.2, 0.3, 0.4, 0.5, 0.6],
        "comment": ["secret words"] * 6, "email": ["agent@cd14.fr"] * 6,
    })
    evaluation = Evaluation("=Pilote", min_cell=5)
    evaluation.section("satisfaction").add(
        Table("by_service", frame, "tables.satisfaction.by_service", count_column="n",
              group_columns=["service"]))
    return evaluation


def test_csv_cells_cannot_start_a_formula(tmp_path):
    """Every text cell of the CSV starting with = + - @ tab CR carries an apostrophe."""
    render(_evaluation(), tmp_path)
    with open(tmp_path / "csv" / "satisfaction_by_service.csv", newline="",
              encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert rows[1][2] == "-0.5"  # a negative number stays a number


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    """The workbook holds the masked text as strings and the numbers as numbers."""
    render(_evaluation(), tmp_path)
    sheet = load_workbook(tmp_path / "tables.xlsx").worksheets[1]
    labels = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    # XML parsers normalise a carriage return to a line feed on reading
    assert [c.value for c in labels] == ["'" + f.replace("\r", "\n") for f in FORMULAS]
    assert {c.data_type for c in labels} == {"s"}
    assert sheet.cell(row=2, column=3).value == -0.5
    assert sheet.cell(row=2, column=2).data_type == "n"


def test_free_text_and_pii_reach_no_output(tmp_path):
    """Neither the comment nor the e-mail is in the CSV, the XLSX or the HTML."""
    paths = render(_evaluation(), tmp_path)
    for path in paths:
        if path.suffix == ".xlsx":
            book = load_workbook(path)
            text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
        else:
            text = path.read_text(encoding="utf-8")
        assert "secret words" not in text and "agent@cd14.fr" not in text, path.name
    header = (tmp_path / "csv" / "satisfaction_by_service.csv").read_bytes().split(b"\r\n")[0]
    assert header == b"service,n,estimate,suppressed"
