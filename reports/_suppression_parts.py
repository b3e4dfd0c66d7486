"""Cells hidden in the rows a suppressed table keeps: parts of a row's people, "no
opinion" counts, one respondent's own values, and tests between groups.

A row kept can still give a few people away through a count of part of them (a month's
3 returning users: :func:`_hidden_subcounts`), its "no opinion" answers
(:func:`_no_opinion_cells`), a quartile or interval bound with fewer than ``min_cell``
respondents at or beyond it (:func:`_extreme_values`), or a test between groups that is
a known function of a table with hidden cells (:func:`_untested_cells`,
:func:`_untold_tests`). The rules are described as a whole in :mod:`reports.suppression`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis._cell_counts import BEYOND
from reports._suppression_rows import (HIDDEN_CELLS, _margin_groups, _siblings,
                                       hidden_parts, key_columns)

__all__ = ["BEYOND", "NO_OPINION", "NO_ANSWER"]


#: Column counting a row's "no opinion" answers ("ne sait pas"), outside its ``n``.
NO_OPINION = "nonsubstantive"

#: Columns counting a row's people who gave no answer at all (published: they say
#: nothing of anyone's answer, and are the group's size minus its answers anyway).
NO_ANSWER = ("missing", "n_missing")

#: A test between the groups of a breakdown, repeated on each row of its variable.
_TEST_COLUMNS = ("test_statistic", "df", "df_denominator", "p_value", "p_adjusted",
                 "effect_size")

#: Cells whose hiding leaves the variable's test able to give them back.
_TESTED_CELLS = ("n", "count", "estimate", "se", "ci_low", "ci_high")


def _hidden_subcounts(data: pd.DataFrame, count_column: str, columns: Sequence[str],
                      rows: np.ndarray, min_cell: int,
                      margins: Mapping[str, Sequence[str]] | None = None,
                      ) -> dict[str, np.ndarray]:
    """The cells of ``columns`` (parts of ``count_column``'s people) to hide in the
    rows kept (``~rows``): :func:`hidden_parts` with one group per row, and for each
    column of ``margins`` with the groups of rows whose sum is published elsewhere,
    until neither hides more."""
    columns = list(columns)
    if not columns or not len(data):
        return {}
    values = np.column_stack([pd.to_numeric(data[c], errors="coerce").astype(float)
                              .to_numpy() for c in columns])
    totals = pd.to_numeric(data[count_column], errors="coerce").astype(float).to_numpy()
    totals = np.where(rows, np.nan, totals)  # a hidden row's count is not published
    groups = np.repeat(np.arange(len(data)), len(columns))
    sums = {}
    for column, keys in (margins or {}).items():
        gid = _margin_groups(data, keys)
        j = columns.index(column)
        sums[j] = gid, np.bincount(gid, weights=np.nan_to_num(values[:, j]))
    # a cell protects another of its margin group only if its row has another part
    # that is not empty (else it is the row's count minus zeros)
    parts = (values > 0).sum(axis=1, keepdims=True) - (values > 0)
    hidden = np.repeat(rows, len(columns)).reshape(values.shape)
    before = -1
    while hidden.sum() != before:
        before = hidden.sum()
        hidden = hidden_parts(values.ravel(), groups, totals, hidden.ravel(), min_cell,
                              empty_protects=True).reshape(values.shape)
        for j, (gid, total) in sums.items():
            hidden[:, j] = hidden_parts(values[:, j], gid, total, hidden[:, j], min_cell,
                                        prefer=parts[:, j] > 0)
    cells = {c: hidden[:, j] & ~rows for j, c in enumerate(columns)}
    return {c: mask for c, mask in cells.items() if mask.any()}


def _no_opinion_cells(data: pd.DataFrame, rows: np.ndarray, group_columns: Sequence[str],
                      total_row: Mapping | None, min_cell: int) -> dict[str, np.ndarray]:
    """The cells of :data:`NO_OPINION` to hide in the rows kept (``~rows``), and with
    each the row's :data:`NO_ANSWER` counts.

    A count of "no opinion" answers of fewer than ``min_cell`` people is hidden; the
    sibling rows of a breakdown add up to the whole table's count, published in the
    table without the breakdown, so :func:`hidden_parts` hides as many siblings' counts
    as it takes for the hidden ones not to be worked out by difference (a hidden row's
    small count is protected too). The row's count of people who did not answer is
    hidden with it: the group's size minus its answers and its non-answers would give
    it back."""
    if NO_OPINION not in data or not len(data):
        return {}
    values = pd.to_numeric(data[NO_OPINION], errors="coerce").astype(float).to_numpy()
    hidden = (values > 0) & (values < min_cell)
    keys, total_row = key_columns(data), dict(total_row or {})
    groupings = []
    for column in group_columns:
        gid, cell = _siblings(data, keys, column, total_row)
        gid = np.where(cell, gid, gid.max() + 1 + np.arange(len(data)))  # a total: alone
        groupings.append((gid, np.bincount(gid, weights=np.nan_to_num(values))))
    before = -1
    while hidden.sum() != before:
        before = hidden.sum()
        for gid, totals in groupings:
            # a hidden row's count is not shown: hiding it to protect others costs nothing
            hidden = hidden_parts(values, gid, totals, hidden, min_cell, prefer=rows)
    hidden &= ~rows
    if not hidden.any():
        return {}
    return {column: hidden for column in (NO_OPINION, *NO_ANSWER) if column in data}


def _extreme_values(data: pd.DataFrame, rows: np.ndarray, min_cell: int) -> dict[str, np.ndarray]:
    """The cells of each column with a ``<column>_beyond`` companion, in the rows kept
    (``~rows``), whose value has fewer than ``min_cell`` respondents at or beyond it (a
    missing tail count: no constraint)."""
    cells = {}
    for column in data.columns:
        if f"{column}{BEYOND}" in data.columns:
            tails = pd.to_numeric(data[f"{column}{BEYOND}"], errors="coerce").astype(float)
            cells[column] = (tails.to_numpy() < min_cell) & ~rows
    return cells


def _untested_cells(out: pd.DataFrame, hidden: np.ndarray) -> dict[str, np.ndarray]:
    """The test columns to hide on the rows still published: every row of a variable
    (``variable``) whose table by group has a hidden row or any hidden figure (a count,
    a share, a mean's spread, a quartile or one of its bounds).

    A test between groups is a known function of the whole table: among the tables that
    fit the published margins, usually only one gives the published p-value or
    statistic (a Fisher test's p gave back a hidden 6 + 1 split, a Rao-Scott statistic
    the 7 women and 1 man among 8 managers). So a variable's test is published only
    when every cell of its table is.
    """
    tests = [c for c in _TEST_COLUMNS if c in out.columns]
    if "variable" not in out.columns or not tests:
        return {}
    touched = hidden.copy()
    if HIDDEN_CELLS in out.columns:
        # any hidden figure of the variable counts, a quartile or a bound hidden by its
        # tail too: a rank test's statistic with the published levels gave back whole
        # hidden distributions of 2 to 4 companies (privacy review 11)
        pattern = "(?:^|,)(?:" + "|".join(_TESTED_CELLS) + ")(?:,|$)"
        touched |= out[HIDDEN_CELLS].fillna("").astype(str).str.contains(pattern).to_numpy()
    if not touched.any():
        return {}
    rows = out["variable"].isin(out.loc[touched, "variable"].unique()).to_numpy() & ~hidden
    return {column: rows & out[column].notna().to_numpy() for column in tests}


def _untold_tests(out: pd.DataFrame, withheld: np.ndarray) -> pd.DataFrame:
    """Blank the ``test`` name on the rows of a variable whose test is withheld (hidden
    rows included): the name is chosen from the data (Fisher's test for a 2 x 2 table
    observed, "none: fewer than two categories" when everybody gave one answer), so on a
    wholly hidden variable it said which hidden values exist (privacy review 12)."""
    if "test" not in out.columns or "variable" not in out.columns or not withheld.any():
        return out
    rows = out["variable"].isin(out.loc[withheld, "variable"].unique()).to_numpy()
    out = out.copy()
    out["test"] = out["test"].astype(object)
    out.loc[rows, "test"] = None
    return out
