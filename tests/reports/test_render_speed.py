"""The fast paths of rendering give what the plain pandas/openpyxl paths gave."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

from reports import render
from reports.html import _rows
from reports.render import _collector_paused
from reports.suppression import numeric_columns
from reports.xlsx import _width


def _mixed() -> pd.DataFrame:
    """One column of each kind a published table holds, with missing values."""
    return pd.DataFrame({
        "text": ["a", None, "=1+1", "é" * 30],
        "number": [0.1 + 0.2, np.nan, 1e16, -0.0],
        "small": np.float32([0.1, 1 / 3, 2.5, np.nan]),
        "count": [1, 12345678901, 3, 4],
        "flag": [True, False, True, False],
        "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
        "boolean": pd.array([True, None, False, True], dtype="boolean"),
        "date": pd.to_datetime(["2020-01-01", None, "2021-06-30", "2019-12-31"]),
        "code": pd.Categorical(["x", "yy", None, "x"]),
        "mixed": [1, "b", 2.5, pd.NA],
    })


def _pandas_width(frame: pd.DataFrame, column) -> float:
    """The width the workbook used to compute, through ``astype(str)``."""
    sample = frame[column].head(200).astype(str).str.len()
    longest = max(len(str(column)), int(sample.max()) if len(sample) else 0)
    return float(min(max(longest + 2, 8), 48))


def test_column_width_measures_values_as_astype_str_does():
    """Every dtype's width equals the width measured on ``astype(str)``."""
    frame = _mixed()
    got = [_width(c, s) for c, s in frame.head(200).items()]
    assert got == [_pandas_width(frame, c) for c in frame.columns]


def test_column_width_of_an_empty_column_is_its_header():
    """A table without rows takes its widths from the headers."""
    assert _width("estimate_long_name", pd.Series([], dtype=float)) == 20.0


def test_numeric_columns_reads_the_dtypes():
    """Numbers (nullable ones too) are numeric; booleans, dates, codes and text are not."""
    assert numeric_columns(_mixed()) == ["number", "small", "count", "nullable"]


def test_html_rows_hold_what_iterrows_gives():
    """Each row dict holds the very values (and types) a Series from ``iterrows`` holds."""
    frame = _mixed()
    for got, (_, row) in zip(_rows(frame), frame.iterrows(), strict=True):
        assert list(got) == list(row.index)
        for column in frame.columns:
            want = row[column]
            assert type(got[column]) is type(want)
            assert got[column] is want or got[column] == want or (pd.isna(want) and pd.isna(got[column]))


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": [1.5, 2.0], "b": [3.0, np.nan]}),
    pd.DataFrame({"d": pd.to_datetime(["2020-01-01", "2020-02-01"])}),
    pd.DataFrame({"n": [1, 2], "m": [3, 4]}),
])
def test_html_rows_of_single_dtype_tables_match_iterrows(frame):
    """Tables of one dtype (numbers, dates) give iterrows' scalars: np.float64, Timestamp."""
    for got, (_, row) in zip(_rows(frame), frame.iterrows(), strict=True):
        want = [row[column] for column in frame.columns]
        assert [type(v) for v in got.values()] == [type(v) for v in want]
        assert [str(v) for v in got.values()] == [str(v) for v in want]


def test_collector_is_paused_inside_and_restored_after():
    """The garbage collector is off while rendering and on again afterwards."""
    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_is_restored_after_an_error():
    """An error while rendering still turns the collector back on."""
    with pytest.raises(ValueError), _collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_collector_left_off_when_the_caller_turned_it_off():
    """A caller that disabled the collector finds it still disabled."""
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_render_restores_the_collector(tmp_path, evaluation):
    """A whole render leaves the collector on, as it found it."""
    render(evaluation, tmp_path)
    assert gc.isenabled()
