"""The tests between a profile's groups: chi-square or Fisher (exact 2 x 2, Monte-Carlo
larger) and Kruskal–Wallis on plain samples, Rao–Scott and design-based Wald where the
design has weights or strata (:mod:`analysis.design_tests`).

:func:`analysis.profile.profile` runs one test per variable; this module holds what they
share (:class:`_Comparison`: the groups as the tests number them) and each test's
computation from the variable's codes or values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis._design import Design, Groups
from analysis.design_tests import means_test, no_test, table_test

#: Fisher's exact test (2 x 2) or its Monte-Carlo version (larger tables) replaces the
#: chi-square when an expected count is below this.
_MIN_EXPECTED = 5
_RESAMPLES = 9_999
_SEED = 20161021


@dataclass(frozen=True)
class _Comparison:
    """What the tests between ``by`` groups share across variables.

    ``design`` is the estimates' design (its population size too); ``design_based``
    says whether the tests are Rao–Scott / Wald (weights or strata) or chi-square /
    Kruskal–Wallis. Groups are numbered as the tests see them: ``order`` ranks them as
    ``pd.factorize(sort=True)`` ranks their labels, ``label_order`` as their labels sorted
    as objects (the contingency tables' columns).
    """

    design: Design
    design_based: bool
    groups: Groups
    order: np.ndarray
    label_order: np.ndarray


def _comparison(frame, design: Design, groups: Groups, by: list, strata, population,
                *, design_based: bool) -> _Comparison | None:
    """The shared inputs of the tests (None without ``by``)."""
    if not by:
        return None
    if len(by) > 1:  # groups labelled "a / b", sorted as text
        labels = groups.keys.astype(str).agg(" / ".join, axis=1).to_numpy(dtype=object)
        order = label_order = _object_rank(labels)
    else:
        order = np.arange(groups.count)
        label_order = _object_rank(groups.keys[by[0]])
    return _Comparison(design, design_based, groups, order, label_order)


def _object_rank(labels) -> np.ndarray:
    """Rank of each (distinct) label among the labels sorted as Python objects."""
    objects = np.asarray(pd.Series(labels).astype(object))
    return pd.factorize(objects, sort=True)[0].astype(np.int64)


def _renumber(codes: np.ndarray, keep: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Codes of the kept rows renumbered ``0 ..`` in the order of ``rank`` among the codes
    they use (-1 elsewhere), as ``pd.factorize(sort=True)`` of the kept rows' labels."""
    used = np.bincount(codes[keep], minlength=rank.size) > 0
    if used.all() and (np.diff(rank) > 0).all():    # already numbered so
        return np.where(keep, codes, -1)
    order = np.argsort(rank, kind="stable")
    new = np.full(rank.size, -1, dtype=np.int64)
    new[order[used[order]]] = np.arange(int(used.sum()))
    return np.where(keep, new[np.maximum(codes, 0)], -1)


def _categorical_test(comparison: _Comparison, answer: np.ndarray, categories,
                      counts: np.ndarray) -> dict:
    """Rao–Scott (weights or strata) or chi-square / Fisher on the (group, category)
    ``counts`` of the rows where both are known."""
    codes = comparison.groups.codes
    if comparison.design_based:
        keep = (answer >= 0) & (codes >= 0)
        rows = _renumber(answer, keep, np.arange(len(categories)))
        return table_test(comparison.design, rows, _renumber(codes, keep, comparison.order))
    # rows: categories, columns: groups, each sorted as objects; unused ones left out
    row_order = np.argsort(_object_rank(categories), kind="stable")
    column_order = np.argsort(comparison.label_order, kind="stable")
    table = counts.T[row_order][:, column_order]
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    return _independence_table(table)


def _numeric_test(comparison: _Comparison, x: np.ndarray, cells: dict) -> dict:
    """Design-based Wald test (weights or strata) or Kruskal–Wallis from the value cells
    (group, distinct value) of the rows with a value and a group."""
    codes = comparison.groups.codes
    if comparison.design_based:
        keep = np.isfinite(x) & (codes >= 0)
        return means_test(comparison.design, x, _renumber(codes, keep, comparison.order))
    return _kruskal_cells(cells, codes[(codes >= 0) & ~np.isnan(x)])


def _independence(values: pd.Series, groups: pd.Series) -> dict:
    """Chi-square, or Fisher (exact 2 x 2, Monte-Carlo larger) for small expected counts,
    on two Series without missing values (the direct route; :func:`profile` builds the
    same table from the shares' counts)."""
    return _independence_table(_crosstab(values, groups))


def _independence_table(table: np.ndarray) -> dict:
    """:func:`_independence` on the counts (rows and columns sorted as objects)."""
    if min(table.shape) < 2:
        return no_test("none: fewer than two categories or groups")
    chi2, p, dof, expected = stats.chi2_contingency(table, correction=False)
    if (expected >= _MIN_EXPECTED).all():
        return {"test": "chi2", "test_statistic": float(chi2), "df": float(dof),
                "df_denominator": np.nan, "p_value": float(p)}
    if table.shape == (2, 2):
        return {"test": "fisher_exact", "test_statistic": np.nan, "df": np.nan,
                "df_denominator": np.nan, "p_value": float(stats.fisher_exact(table).pvalue)}
    method = stats.MonteCarloMethod(n_resamples=_RESAMPLES, rng=np.random.default_rng(_SEED))
    result = stats.fisher_exact(table, method=method)
    # scipy 1.17 returns a one-element array for some tables (a statistic no resample
    # can differ from: every resample is as extreme, p = 1)
    p_value = float(np.asarray(result.pvalue, dtype=float).reshape(-1)[0])
    return {"test": "fisher_monte_carlo", "test_statistic": np.nan, "df": np.nan,
            "df_denominator": np.nan, "p_value": p_value}


def _crosstab(rows: pd.Series, columns: pd.Series) -> np.ndarray:
    """Counts of the (row, column) pairs of two Series without missing values, their
    values sorted as objects: ``pd.crosstab(rows.astype(object).to_numpy(),
    columns.astype(object).to_numpy()).to_numpy()``."""
    row_codes, n_rows = _sorted_codes(rows)
    column_codes, n_columns = _sorted_codes(columns)
    counts = np.bincount(row_codes * n_columns + column_codes, minlength=n_rows * n_columns)
    return counts.reshape(n_rows, n_columns)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of the values in the order of their sorted object values, and their number.

    Categorical and boolean codes are taken as they are stored; only the distinct values
    are turned into objects and sorted.
    """
    codes, uniques = pd.factorize(values)
    rank, labels = pd.factorize(np.asarray(pd.Series(uniques).astype(object)), sort=True)
    return rank[codes], len(labels)


def _kruskal_cells(cells: dict, kept_codes: np.ndarray) -> dict:
    """Kruskal–Wallis test across the groups, ``scipy.stats.kruskal`` computed from the
    (group, distinct value) cells of one stratum, ``kept_codes`` the groups of the rows
    with a value in row order (the groups are taken in their order of appearance).

    Every rank is a multiple of 1/2 and every sum of ranks below 2**52, so the ranks'
    sums per group are exact, as scipy's; the tie correction and the statistic are then
    computed with scipy's expressions in scipy's order: the same numbers.
    """
    values, value_code = np.unique(cells["x"], return_inverse=True)
    ties = np.bincount(value_code, weights=cells["count"], minlength=values.size)
    total = int(ties.sum())
    groups = pd.unique(kept_codes)
    if len(groups) < 2 or values.size < 2:
        return no_test("none: fewer than two groups or no variation")
    if total * (total + 1.0) >= 2.0**53:   # sums of ranks no longer exact: scipy itself
        x = np.repeat(cells["x"], cells["count"].astype(np.int64))
        code = np.repeat(cells["code"], cells["count"].astype(np.int64))
        result = stats.kruskal(*[x[code == g] for g in groups])
        return _kruskal_result(float(result.statistic), float(result.pvalue), len(groups))
    starts = np.cumsum(ties) - ties                   # rows below each distinct value
    midrank = (starts + 1) + (ties - 1) / 2
    rank_sums = np.bincount(cells["code"], weights=cells["count"] * midrank[value_code])
    sizes = np.bincount(cells["code"], weights=cells["count"]).astype(np.int64)
    correction = 1 - _tie_sum(ties, starts, total) / (total**3 - total)
    ssbn = sum(rank_sums[g] ** 2 / int(sizes[g]) for g in groups)
    h = 12.0 / (total * (total + 1)) * ssbn - 3 * (total + 1)
    h /= correction
    df = np.asarray(len(groups) - 1, dtype=float)
    return _kruskal_result(float(h), float(special.chdtrc(df, h)), len(groups))


def _tie_sum(ties: np.ndarray, starts: np.ndarray, total: int) -> float:
    """scipy's ``sum(t**3 - t)`` over its ``total`` rows (``t`` the size of a tie at the
    first row of each distinct value, 0 elsewhere), from the ``ties`` alone when that
    gives the same number: whole numbers whose sum stays below 2**53 sum exactly in
    any order."""
    if np.sum(ties**3) < 2.0**53:
        return float(np.sum(ties**3 - ties))
    tied = np.zeros(total)
    tied[starts.astype(np.int64)] = ties
    return float(np.sum(tied**3 - tied))


def _kruskal_result(statistic: float, p_value: float, groups: int) -> dict:
    return {"test": "kruskal_wallis", "test_statistic": statistic,
            "df": float(groups - 1), "df_denominator": np.nan, "p_value": p_value}
