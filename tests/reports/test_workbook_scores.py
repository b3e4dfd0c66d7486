"""A net promoter score in the workbook is written as the page and the cards write it:
signed and whole (+34, −17 – +31), not 33.78 with a general format."""

from __future__ import annotations

import openpyxl
import pandas as pd

from analysis.evaluation_model import Table
from reports.i18n import catalogue
from reports.presentation import Prepared
from reports.workbook_view import SCORE_FORMAT, workbook_table


def test_scores_rounded_whole_with_a_signed_format():
    """Estimate and bounds of an NPS row are whole numbers with the signed format; its
    shares keep theirs."""
    frame = pd.DataFrame({"n": [27], "promoters": [0.33], "passives": [0.41],
                          "detractors": [0.26], "estimate": [7.4074], "se": [12.1],
                          "ci_low": [-17.22], "ci_high": [30.55]})
    table = Table("companies_nps", frame, "tables.satisfaction.nps",
                  share_columns=["promoters", "passives", "detractors"])
    cat = catalogue("fr")
    view = workbook_table(Prepared("satisfaction", table, frame, "n"), cat)
    estimate, low = cat.column("estimate"), cat.column("ci_low")
    assert view.data[estimate].tolist() == [7.0]
    assert view.data[low].tolist() == [-17.0]
    assert view.formats[estimate].tolist() == [SCORE_FORMAT] == view.formats[low].tolist()


def test_demo_workbook_scores_are_whole(demo_reports):
    """Every NPS sheet of the French demo workbook stores whole, signed-format scores."""
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx")
    estimate = catalogue("fr").column("estimate")
    seen = 0
    for sheet in book.worksheets:
        if not sheet.title.split(" ", 1)[-1].startswith("Recommandation"):
            continue
        header = [cell.value for cell in sheet[1]]
        cell = sheet.cell(row=2, column=header.index(estimate) + 1)
        if isinstance(cell.value, (int, float)):
            seen += 1
            assert float(cell.value).is_integer()
            assert cell.number_format == SCORE_FORMAT
    assert seen >= 2


def test_glance_sheet_scores_are_signed(demo_reports):
    """The workbook's 'at a glance' sheet writes the NPS cards with the signed format,
    as the cards and the NPS sheets do."""
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx")
    sheet = book.worksheets[1]
    formats = [row[1].number_format for row in sheet.iter_rows(min_row=2)
               if "recommandation" in str(row[0].value).lower()]
    assert formats and set(formats) == {SCORE_FORMAT}
