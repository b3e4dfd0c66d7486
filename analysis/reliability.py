"""Internal consistency of a multi-item scale: Cronbach's alpha and item diagnostics."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, as_list, check_columns
from surveys.errors import DataQualityWarning, SurveyError

__all__ = ["cronbach_alpha"]

_METHOD = "Cronbach's raw alpha on complete cases; Feldt interval"


def cronbach_alpha(
    data,
    items: Sequence[str],
    *,
    reverse: Sequence[str] | None = None,
    level: float = 0.95,
    scale: Sequence | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha of a scale, with the Feldt interval and item diagnostics.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        The answers (numbers, or ordered Categoricals of numbers). "Don't know"
        answers must be missing (as in ``Survey.data``).
    items : list of str
        The items of the scale (at least 2).
    reverse : list of str, optional
        Reverse-keyed items, recoded ``min + max - x`` on the scale before anything
        else (``6 - x`` on a 1-5 scale).
    level : float
        Confidence level of the Feldt interval.
    scale : list, optional
        The scale's levels, for ``reverse``; by default the categories of Categorical
        items, else the smallest and largest answer seen in any item.

    Returns
    -------
    pandas.DataFrame
        One scale row (``statistic == "alpha"``, ``item`` None) then one row per item
        (``statistic == "item"``). Columns: ``item``, ``statistic``, ``n`` (complete
        cases), ``estimate`` (alpha; NaN on item rows), ``alpha`` (the same value, the
        name the public contract gives it), ``ci_low``, ``ci_high`` (Feldt),
        ``alpha_if_deleted``, ``item_total_r`` (corrected item-total correlation: the
        item against the sum of the other items), ``reversed`` (recoded by
        ``reverse``), ``reversed_suspect`` (negative ``item_total_r``), ``method`` and
        ``note`` (why a value is undefined, else None).

    Warns
    -----
    DataQualityWarning
        When an item correlates negatively with the rest of the scale (probably
        reverse-keyed): pass it in ``reverse``.

    Notes
    -----
    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(total))`` from the covariance matrix
    of the complete cases; Feldt's interval
    ``1 - (1 - alpha) * F(q; n - 1, (n - 1)(k - 1))``. Checked against R
    ``psych::alpha`` 2.2.9 (``raw_alpha``, ``feldt``, ``alpha.drop``, ``item.stats$r.drop``)
    on complete cases (``na.omit``; psych's own default is pairwise covariances):
    tests/fixtures/psych/make_reference.R. Edge cases (tests/fixtures/edge12): an item
    that never varies is kept in the formula (psych's default ``delete = TRUE`` drops
    it with a warning, and stops with ``delete = FALSE``); with two items
    ``alpha_if_deleted`` is NaN (one item has no alpha; psych shows the inter-item
    correlation there).

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [4, 5, 3, 4, 2], "q2": [4, 4, 3, 5, 2], "q3": [3, 5, 2, 4, 3]})
    >>> out = cronbach_alpha(df, ["q1", "q2", "q3"])
    >>> out[["item", "statistic", "n", "estimate"]].round(4)
       item statistic  n  estimate
    0  None     alpha  5     0.871
    1    q1      item  5       NaN
    2    q2      item  5       NaN
    3    q3      item  5       NaN
    """
    frame = as_frame(data)
    items, reverse = as_list(items), as_list(reverse)
    check_columns(frame, items + reverse)
    _check_arguments(items, reverse, level)
    values = _numeric(frame, items)
    if reverse:
        values = _reversed(values, items, reverse, _bounds(frame, items, values, scale))
    complete = values[~np.logical_or.reduce([np.isnan(column) for column in values.T])]
    n = len(complete)
    cov = np.cov(complete, rowvar=False) if n >= 2 else None   # once, for both
    summary, note = _alpha(cov, n, level)
    per_item = _item_statistics(cov, len(items))
    _warn_reversed(items, per_item["item_total_r"])
    return _result(items, reverse, len(complete), summary, note, per_item)


def _check_arguments(items: list, reverse: list, level: float) -> None:
    if len(items) < 2:
        raise SurveyError(f"Cronbach's alpha needs at least 2 items; got {items}.")
    stray = [r for r in reverse if r not in items]
    if stray:
        raise SurveyError(f"reverse={stray} names columns that are not among items {items}.")
    if not 0 < level < 1:
        raise SurveyError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")


def _numeric(frame: pd.DataFrame, items: list) -> np.ndarray:
    """Items as a float matrix (NaN = missing); categories must be numbers."""
    columns = []
    for item in items:
        series = frame[item]
        if isinstance(series.dtype, pd.CategoricalDtype):
            # the categories are converted, not every answer
            codes = series.cat.codes.to_numpy()
            numbers = _numbers(pd.Series(series.cat.categories.astype(object)), item, codes)
            columns.append(np.append(numbers, np.nan)[codes])   # code -1 (missing): NaN
        else:
            columns.append(_numbers(series, item))
    return np.column_stack(columns)


def _numbers(values: pd.Series, item: str, codes: np.ndarray | None = None) -> np.ndarray:
    """``values`` as floats (NaN = missing); a value that is not a number is an error.

    With ``codes``, ``values`` are the categories of the answers ``codes`` (-1 missing):
    only a category that is answered is an error.
    """
    numbers = pd.to_numeric(values, errors="coerce")
    bad = (numbers.isna() & values.notna()).to_numpy()
    rows = np.flatnonzero(bad) if codes is None else \
        np.flatnonzero((codes >= 0) & bad[np.maximum(codes, 0)])
    if len(rows):
        first = rows[0] if codes is None else codes[rows[0]]
        raise SurveyError(
            f"Column '{item}' holds {values.iloc[first]!r}, not a number; set "
            "non-substantive answers to missing before computing alpha."
        )
    return numbers.to_numpy(dtype=float, na_value=np.nan)


def _bounds(frame: pd.DataFrame, items: list, values: np.ndarray, scale) -> tuple[float, float]:
    if scale is not None:
        levels = np.asarray(list(scale), dtype=float)
    elif all(isinstance(frame[i].dtype, pd.CategoricalDtype) for i in items):
        levels = np.concatenate([np.asarray(frame[i].cat.categories, dtype=float) for i in items])
    else:
        levels = values[~np.isnan(values)]
    if levels.size == 0:
        return np.nan, np.nan
    return float(levels.min()), float(levels.max())


def _reversed(values: np.ndarray, items: list, reverse: list, bounds) -> np.ndarray:
    values = values.copy()
    for name in reverse:
        j = items.index(name)
        values[:, j] = bounds[0] + bounds[1] - values[:, j]
    return values


def _alpha(cov: np.ndarray | None, n: int,
           level: float) -> tuple[tuple[float, float, float], str | None]:
    """(alpha, ci_low, ci_high) from the items' covariance matrix on ``n`` complete cases
    (None below 2), and a note when alpha is undefined."""
    if cov is None:
        return (np.nan, np.nan, np.nan), f"alpha is undefined with {n} complete case(s)"
    k = len(cov)
    total = cov.sum()
    if not total > 0:
        return (np.nan, np.nan, np.nan), "alpha is undefined: the total score does not vary"
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)
    tail = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return (alpha, low, high), None


def _item_statistics(cov: np.ndarray | None, k: int) -> dict[str, np.ndarray]:
    """alpha if each of the ``k`` items is deleted and its corrected item-total
    correlation, from the items' covariance matrix (None below 2 complete cases)."""
    if cov is None:
        return {"alpha_if_deleted": np.full(k, np.nan), "item_total_r": np.full(k, np.nan)}
    variances, row_sums = np.diag(cov), cov.sum(axis=1)
    rest_var = cov.sum() - 2 * row_sums + variances
    with np.errstate(divide="ignore", invalid="ignore"):
        dropped = (np.trace(cov) - variances) / rest_var
        alpha_drop = (k - 1) / (k - 2) * (1 - dropped) if k > 2 else np.full(k, np.nan)
        r_drop = (row_sums - variances) / np.sqrt(variances * rest_var)
    alpha_drop = np.where(rest_var > 0, alpha_drop, np.nan)
    r_drop = np.where((variances > 0) & (rest_var > 0), r_drop, np.nan)
    return {"alpha_if_deleted": alpha_drop, "item_total_r": r_drop}


def _warn_reversed(items: list, item_total_r: np.ndarray) -> None:
    suspects = [item for item, r in zip(items, item_total_r) if r < 0]
    if suspects:
        warnings.warn(
            f"Items {suspects} correlate negatively with the rest of the scale; they are "
            f"probably reverse-keyed: pass reverse={suspects} to cronbach_alpha.",
            DataQualityWarning,
            stacklevel=3,
        )


def _result(items, reverse, n, summary, note, per_item) -> pd.DataFrame:
    k = len(items)
    alpha, low, high = summary
    return pd.DataFrame(
        {
            "item": [None, *items],
            "statistic": ["alpha"] + ["item"] * k,
            "n": [n] * (k + 1),
            "estimate": [alpha] + [np.nan] * k,
            "alpha": [alpha] + [np.nan] * k,
            "ci_low": [low] + [np.nan] * k,
            "ci_high": [high] + [np.nan] * k,
            "alpha_if_deleted": [np.nan, *per_item["alpha_if_deleted"]],
            "item_total_r": [np.nan, *per_item["item_total_r"]],
            "reversed": [False] + [item in reverse for item in items],
            "reversed_suspect": [False] + [bool(r < 0) for r in per_item["item_total_r"]],
            "method": [_METHOD] * (k + 1),
            "note": [note] * (k + 1),
        }
    )
