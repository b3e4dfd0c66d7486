"""Review 10, item 10: the workbook's p-values are stored with the decimals its format
shows (three; four under 0.05), not with the analysis' full precision."""

from __future__ import annotations

import openpyxl
import pandas as pd

from reports.i18n import catalogue


def test_p_values_stored_as_written(demo_reports):
    """Every p-value cell of the French demo workbook has at most 4 decimals, and at most
    3 from 0.05 up; under 0.001 (written "< 0,001"), one significant digit, never 0."""
    cat = catalogue("fr")
    names = {cat.column("p_value"), cat.column("p_adjusted")}
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    seen = 0
    for sheet in book.worksheets[2:]:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        at = [i for i, name in enumerate(header) if name in names]
        for row in rows:
            for i in at:
                value = row[i]
                if isinstance(value, float):
                    seen += 1
                    if value < 0.001:
                        assert value > 0 and float(f"{value:.0e}") == value, value
                        continue
                    places = 4 if value < 0.05 else 3
                    assert value == round(value, places), (sheet.title, value)
    assert seen >= 10


def test_csv_p_values_as_the_workbook(demo_reports):
    """The CSV files hold p-values at the published precision too (reports.csv_numbers):
    four decimals under 0.05, three above."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "satisfaction_agents_before_after.csv")
    p = table["p_value"].dropna()
    assert len(p) and (p == p.where(p < 0.05, p.round(3)).round(4)).all()
