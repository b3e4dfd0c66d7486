"""Long tables: fast XLSX rows, tables split over sheets, thinned survival curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook

from reports import xlsx
from reports.figures import draw
from reports.xlsx import Sheet, excel_value, write_workbook


def _mixed(n: int = 300) -> pd.DataFrame:
    """Every kind of column a report table holds, with missing values in each."""
    rng = np.random.default_rng(7)
    floats = rng.normal(size=n)
    floats[::17] = np.nan
    floats[5] = np.inf
    dates = pd.Series(pd.date_range("2015-01-01", periods=n, freq="D"))
    dates[::13] = pd.NaT
    texts = np.array(["plain", "  padded ", "=1+1", "-3 cells", "#N/A", "", "<b>&amp;",
                      None, "é à ç"], dtype=object)
    return pd.DataFrame({
        "count": rng.integers(0, 10**6, size=n),
        "share": floats,
        "n": pd.array(np.where(np.arange(n) % 11 == 0, None, np.arange(n)), dtype="Int64"),
        "flag": pd.array(np.where(np.arange(n) % 7 == 0, None, np.arange(n) % 2 == 0),
                         dtype="boolean"),
        "date": dates,
        "label": texts[np.arange(n) % len(texts)],
        "category": pd.Categorical(np.array(["a", "b", None], dtype=object)[np.arange(n) % 3]),
        "mixed": np.array([True, 1, 1.5, "x", None, False, 0], dtype=object)[np.arange(n) % 7],
    })


def _reference(frame: pd.DataFrame, path) -> None:
    """The same sheet written cell by cell by openpyxl, dates formatted yyyy-mm-dd."""
    wb = Workbook()
    ws = wb.active
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([excel_value(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    wb.save(path)


def test_long_sheet_reads_back_as_openpyxl_writes_it(tmp_path):
    """Every cell of a 300-row sheet: same value, type and number format as openpyxl's."""
    frame = _mixed()
    write_workbook(tmp_path / "fast.xlsx", [Sheet("t", "T", frame)], contents_title="C",
                   contents_headers=["sheet", "title"])
    _reference(frame, tmp_path / "slow.xlsx")
    fast = load_workbook(tmp_path / "fast.xlsx")["t"]
    slow = load_workbook(tmp_path / "slow.xlsx").active
    assert (fast.max_row, fast.max_column) == (slow.max_row, slow.max_column) == (301, 8)
    seen = [(c.value, c.data_type, c.number_format) for row in fast.iter_rows() for c in row]
    want = [(c.value, c.data_type, c.number_format) for row in slow.iter_rows() for c in row]
    assert seen == want


def test_long_sheet_dimension_covers_every_row(tmp_path):
    """The sheet's declared size (what read-only readers trust) counts every row."""
    frame = _mixed(50)
    write_workbook(tmp_path / "t.xlsx", [Sheet("t", "T", frame)], contents_title="C",
                   contents_headers=["sheet", "title"])
    book = load_workbook(tmp_path / "t.xlsx", read_only=True)
    try:
        sheet = book["t"]
        assert sheet.calculate_dimension() == "A1:H51"
        assert len(list(sheet.values)) == 51
    finally:
        book.close()


def _long_curve(n: int = 50_000) -> pd.DataFrame:
    """A Kaplan–Meier-like curve with one row per distinct time (as from a check-in log)."""
    rng = np.random.default_rng(3)
    time = np.sort(rng.uniform(0, 24, size=n))
    survival = np.cumprod(1 - rng.uniform(0, 4 / n, size=n))
    return pd.DataFrame({"time": time, "survival": survival,
                         "ci_low": survival * 0.97, "ci_high": np.minimum(survival * 1.03, 1)})


def test_km_curve_draws_a_long_curve_from_few_points():
    """50,000 distinct times are drawn with a few thousand points, the last one kept."""
    curve = _long_curve()
    line = draw("km_curve", curve).axes[0].lines[0]
    assert len(line.get_xdata()) < 5000
    assert line.get_xdata()[-1] == curve["time"].iloc[-1]


def test_km_curve_thinning_moves_the_curve_less_than_a_thousandth():
    """At every time of the table, the drawn step is within 1/1000 of the survival range."""
    curve = _long_curve()
    line = draw("km_curve", curve).axes[0].lines[0]
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    drawn = y[np.searchsorted(x, curve["time"].to_numpy(), side="right") - 1]
    exact = curve["survival"].to_numpy() * 100
    assert np.abs(drawn - exact).max() <= np.ptp(exact) / 1000 + 1e-9


def test_table_longer_than_a_sheet_continues_on_next_sheets(tmp_path, monkeypatch):
    """Past the sheet's row limit, the rows go on to sheets "(2)", "(3)": none is lost."""
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)
    frame = pd.DataFrame({"k": np.arange(25), "x": np.arange(25) / 4})
    write_workbook(tmp_path / "t.xlsx", [Sheet("t", "T", frame)], contents_title="C",
                   contents_headers=["sheet", "title"])
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["C", "t", "t (2)", "t (3)"]
    rows = [row for name in book.sheetnames[1:]
            for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in rows] == list(range(25))
    assert [book[name]["A1"].value for name in book.sheetnames[1:]] == ["k"] * 3
