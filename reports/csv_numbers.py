"""The CSV files' numbers, rounded as the report writes them.

The CSV files are the report's tables for machines: dot decimals, shares as fractions,
ISO dates. Their numbers are those the page and the workbook publish, at the precision
these write them (:func:`reports.workbook_view.page_numbers`: a share to its whole
percentage, a mean to its decimals, a count whole), not the analysis' fifteen digits.

Fifteen digits give away what the rounded figures do not. Reviews of the demo report
worked out, from full-precision CSV values alone: the raking weights' classes behind a
weighted mean (the gender of those who did not answer a question), how each pair of
answers moved between two waves (from a test's mean change, rank sums and p-value), and
hidden cells from a test's exact p-value. The analysis functions still return every
digit, for anyone computing in Python.

A paired rank test's statistic (Wilcoxon's rank sum) is left out: with n, the mean
change and the p-value it gives back how each pair of answers moved.

Numbers that name a row (a month, a quantile's level, a band's bounds) and whole
numbers (counts) are kept as they are. A figure a reference or a model published
(``value``, and ``baseline`` beside the pilot's estimate) is written as the page and the
workbook write it: with its own decimals (0.455, 0.844 EUR/km), a share given as a
fraction (« un tiers ») to its whole percentage
(:func:`reports.presentation.given_fractions`). Places' occupancy is a share like any
other, rounded as the page and the workbook round it (fact-check 13, item 6: the CSV
gave 0.016016859852476292 where the workbook gave 0.02 and the page 2 %). The figures
are drawn from the same rounded numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.presentation import Prepared, given_fractions, share_mask
from reports.suppression import KEPT_ON_HIDDEN, numeric_columns
from reports.workbook_view import BOUNDS, SCORES, page_numbers, rounded_p_values

__all__ = ["published_numbers"]

#: A reference's or model's given figure (0.455, 0.844 EUR/km), beside the pilot's
#: estimate too (``baseline``): written with its own decimals, as the page writes it,
#: though a hidden row keeps it (``KEPT_ON_HIDDEN``).
_GIVEN = frozenset({"value", "baseline"})


def published_numbers(item: Prepared) -> pd.DataFrame:
    """The table of ``item`` with its numbers rounded as the report writes them.

    Parameters
    ----------
    item : Prepared
        A table ready to publish (suppressed).

    Returns
    -------
    pandas.DataFrame
        The same rows and columns; each real-valued column rounded by the page's rules
        (shares to whole percentages, p-values to three decimals or four under 0.05).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"statistic": ["mean", "top2"], "n": [46, 46],
    ...                   "estimate": [3.94961, 0.648223], "p_value": [0.0123456, 0.5]})
    >>> t = Table("x", f, "t", share_columns=["estimate"], share_rows={"statistic": ["top2"]})
    >>> published_numbers(Prepared("s", t, f, "x"))[["n", "estimate", "p_value"]]
        n  estimate  p_value
    0  46      3.95   0.0123
    1  46      0.65   0.5000
    """
    frame = given_fractions(item.table, item.data)
    out = frame.copy()
    shares = share_mask(item.table, frame)
    share_columns = set(item.table.share_columns)
    for column in numeric_columns(frame):
        values = frame[column]
        if (column in KEPT_ON_HIDDEN and column not in _GIVEN) or \
                pd.api.types.is_integer_dtype(values):
            continue
        number = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        present = ~np.isnan(number)
        if not present.any() or (number[present] == np.round(number[present])).all():
            continue
        if column in ("p_value", "p_adjusted"):
            out[column] = rounded_p_values(values)
            continue
        if "promoters" in frame.columns and column in SCORES:  # a score: whole, as the page
            out[column] = np.round(number) + 0.0
            continue
        share = shares & present if column in share_columns else np.zeros(len(frame), bool)
        partner = BOUNDS.get(column)
        other = frame[partner] if partner in frame.columns else None
        out[column] = page_numbers(values.astype(float), column, share, other)[0]
    if {"test", "statistic"} <= set(frame.columns) and \
            pd.api.types.is_numeric_dtype(frame["statistic"]):
        # a paired rank test's exact rank sum, with n, the mean change and the p-value,
        # gives back how each pair moved (review 10d); its p and effect size say the
        # result (the page and the workbook do not show the statistic either)
        ranked = (frame["test"] == "wilcoxon").to_numpy(dtype=bool)
        out["statistic"] = out["statistic"].astype(float).mask(ranked)
    return out
