"""Blank cells and rows: every column representation gives the same answer as a plain
Python check of each cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveys._columns import blank_mask, blank_rows

_VALUES = ["a", " ", None, "", "\t b", "  ", "x", None]


def _expected(values) -> list[bool]:
    return [v is None or (isinstance(v, str) and not v.strip()) for v in values]


@pytest.mark.parametrize("dtype", ["object", "category", "string[pyarrow]"])
def test_blank_mask_every_representation(dtype):
    """Object, categorical and Arrow strings: blank where missing or only white space."""
    series = pd.Series(_VALUES, dtype=dtype)
    assert blank_mask(series).tolist() == _expected(_VALUES)


def test_categorical_with_unused_and_missing_categories():
    """Unused categories (blank or not) change nothing; a missing code is blank."""
    series = pd.Series(pd.Categorical(["x", None, "y", "x"], categories=["x", " ", "y", "z"]))
    assert blank_mask(series).tolist() == [False, True, False, False]
    empty = pd.Series(pd.Categorical([None, None], categories=["a"]))
    assert blank_mask(empty).tolist() == [True, True]
    none = pd.Series(pd.Categorical([None, None]))
    assert blank_mask(none).tolist() == [True, True]


def test_blank_rows_matches_cell_by_cell():
    """Mixed column types, all rows or a chosen subset: the cell-by-cell answer."""
    rng = np.random.default_rng(3)
    columns = {f"c{j}": rng.choice(np.array(_VALUES, dtype=object), size=300) for j in range(3)}
    frame = pd.DataFrame(columns)
    frame["c1"] = frame["c1"].astype("category")
    frame["c2"] = frame["c2"].astype("string[pyarrow]")
    expected = np.all([_expected(list(columns[c])) for c in columns], axis=0)
    assert expected.any() and not expected.all()
    result = blank_rows(frame)
    assert result.flags.writeable and result.tolist() == expected.tolist()
    rows = np.array([5, 0, 299, 17, 17])
    assert blank_rows(frame, rows).tolist() == expected[rows].tolist()


def test_blank_rows_without_columns_and_with_a_full_first_column():
    """No column: every row is blank; a full first column: none is (the second unread)."""
    assert blank_rows(pd.DataFrame(index=range(3))).tolist() == [True, True, True]
    frame = pd.DataFrame({"a": ["x", "y"], "b": [None, None]})
    assert blank_rows(frame).tolist() == [False, False]
