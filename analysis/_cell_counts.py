"""How many people a published share rests on, where the same people are a profile's
cell: for the report's suppression rule.

A profile publishes each category's count and hides those under ``min_cell``
(:mod:`reports.suppression`). A comparison with a reference publishes the share of a
category of the same variable: 6 % of 46 agents shows the 3 the profile hides, and
94 % of 46 the same 3 (those not in the category). So a comparison's share rests on
the fewer of its two groups (unweighted answers); a mean on all its answers. A count
of 0 hides nothing: an empty group singles out no one. (A share that stands alone,
such as the satisfied among a group's answers, rests on the group: its ``n``.)

Every share of people the report publishes follows the same rule (:func:`share_cells`):
a profile's categories, the top-2 and bottom-2 shares and net score of Likert items
(:func:`likert_cells`: 3 of 8 managers satisfied rests on 3), the shares of an NPS
(:func:`nps_cells`). People are counted unweighted: a weighted share of 38 % of 8 is
still 3 people. A quantile, or a bound of its interval, is one respondent's value: it
is published only with ``min_cell`` answers at or beyond it on its nearer tail
(:func:`quantile_tails`), so that the largest company's size is not printed as a
quartile's upper bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CELL_COUNT", "BEYOND", "QUANTILES", "comparison_cells", "share_cells",
           "profile_cells", "likert_cells", "nps_cells", "quantile_tails"]

#: The column the suppression rule reads (the fewer people on either side of a share).
CELL_COUNT = "cell_count"


def comparison_cells(table: pd.DataFrame, places: set) -> np.ndarray:
    """The cell count of each baseline comparison row.

    A share of people: the fewer of those in its category (``count``) and those not
    (:func:`share_cells`: a share of 0 % or 100 % rests on the whole group, so that a
    weighting class of one person with a share of 0 % is not taken for an empty one);
    a mean, its ``n``; a share of places (not people), its ``n``. The categories of a
    distribution (adding up to ``n``, with one goodness-of-fit statistic for all) all
    rest on the smallest: a hidden category could be worked out from the others, or
    from the statistic.

    Examples
    --------
    >>> t = pd.DataFrame({"source_id": "bva-2015", "source": "agents", "unit": "share",
    ...                   "distribution": None,
    ...                   "n": [46, 46], "count": [43, 27]})
    >>> comparison_cells(t, set()).tolist()
    [3.0, 19.0]
    """
    n, count = table["n"].to_numpy(), table["count"].to_numpy()
    share = (table["unit"] == "share").to_numpy() & ~table["source"].isin(places).to_numpy()
    cells = np.where(share, share_cells(count, n), n)
    parts = table[share & table["distribution"].notna().to_numpy()]
    for _, group in parts.groupby(["source_id", "source", "distribution"], sort=False):
        at = table.index.get_indexer(group.index)
        used = group["count"][group["count"] > 0]  # an empty category rests on nobody
        if len(used):
            cells[at] = min(int(used.min()), int(cells[at].min()))
    return cells


def share_cells(count, n) -> np.ndarray:
    """The people a share of ``count`` among ``n`` rests on: the fewer of those in its
    category and those not, counting only a side that has someone in it (a share of 0 %
    or 100 % rests on the whole group, ``n``; no one at all: 0).

    Examples
    --------
    >>> share_cells([3, 0, 8, 45, 0], [8, 8, 8, 46, 0]).tolist()
    [3.0, 8.0, 8.0, 1.0, 0.0]
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    rest = n - count
    sides = np.minimum(np.where(count > 0, count, np.inf), np.where(rest > 0, rest, np.inf))
    return np.where(np.isinf(sides), np.where(n > 0, n, 0.0), sides)


def profile_cells(table: pd.DataFrame) -> np.ndarray:
    """The cell count of each row of a profile (with its ``count`` filled, as
    ``analysis.evaluate`` does): a category's share rests on the fewer of its people and
    the others (:func:`share_cells`), an empty category on nobody (0, as its count); any
    other statistic on its ``count``.

    Examples
    --------
    >>> t = pd.DataFrame({"statistic": ["share", "share", "share", "mean"],
    ...                   "n": [7, 7, 7, 7], "count": [6, 1, 0, 7]})
    >>> profile_cells(t).tolist()
    [1.0, 1.0, 0.0, 7.0]
    """
    count = table["count"].to_numpy(dtype=float)
    share = (table["statistic"] == "share").to_numpy()
    cells = share_cells(count, table["n"].to_numpy(dtype=float))
    return np.where(share & (count != 0), cells, count)


def likert_cells(table: pd.DataFrame, plain: pd.DataFrame, by: list | None = None) -> np.ndarray:
    """The cell count of each row of a Likert table (``analysis.likert``, weighted or
    not), from the same answers' unweighted table ``plain``: the top-2 and bottom-2
    shares rest on :func:`share_cells` of their respondents (estimate times ``n``,
    unweighted), the net score on the fewer of those two, the mean on its ``n``.

    Parameters
    ----------
    table, plain : pandas.DataFrame
        The published Likert table and the same answers' unweighted one.
    by : list of str, optional
        Their breakdown columns (rows are matched on these, ``item`` and ``statistic``).

    Returns
    -------
    numpy.ndarray
        One cell count per row of ``table``.

    Examples
    --------
    >>> from analysis.likert import likert
    >>> df = pd.DataFrame({"sat": [1, 4, 4, 5, 5, 5, 3, 4]})
    >>> t = likert(df, "sat", scale=[1, 2, 3, 4, 5])
    >>> likert_cells(t, t).tolist()
    [8.0, 2.0, 1.0, 1.0]
    """
    keys = list(by or []) + ["item", "statistic"]
    rows = pd.MultiIndex.from_frame(table[keys])
    at = pd.MultiIndex.from_frame(plain[keys]).get_indexer(rows)
    n = np.where(at >= 0, plain["n"].to_numpy(dtype=float)[at], np.nan)
    hits = np.rint(np.where(at >= 0, plain["estimate"].to_numpy(dtype=float)[at], np.nan) * n)
    statistic = table["statistic"].to_numpy()
    cells = np.where(np.isin(statistic, ["top2", "bottom2"]), share_cells(hits, n), n)
    # net = top2 - bottom2: rests on whichever of the two rests on fewer people
    net = np.flatnonzero(statistic == "net")
    for part in ("top2", "bottom2"):
        of = rows.get_indexer(pd.MultiIndex.from_frame(
            table[keys].iloc[net].assign(statistic=part)))
        found = of >= 0
        cells[net[found]] = np.minimum(cells[net[found]], cells[of[found]])
    return cells


def nps_cells(table: pd.DataFrame, plain: pd.DataFrame, by: list | None = None) -> np.ndarray:
    """The cell count of each row of an NPS table (``analysis.nps``): the fewest people
    any of its three shares (promoters, passives, detractors) rests on
    (:func:`share_cells`), counted on the same answers' unweighted table ``plain``.

    Examples
    --------
    >>> from analysis.nps import nps
    >>> t = nps(pd.DataFrame({"recommend": [10, 9, 9, 9, 9, 8, 8, 8, 8, 8, 3]}), "recommend")
    >>> nps_cells(t, t).tolist()
    [1.0]
    """
    keys = list(by or [])
    classes = ["promoters", "passives", "detractors"]
    counts = (table[keys].merge(plain[keys + ["n"] + classes], on=keys, how="left",
                                validate="one_to_one") if keys else plain)
    n = counts["n"].to_numpy(dtype=float)
    cells = [share_cells(np.rint(counts[c].to_numpy(dtype=float) * n), n) for c in classes]
    return np.minimum.reduce(cells)


#: Suffix of a column counting the observations at or beyond the value of another
#: column on its nearer tail (``ci_high_beyond``); ``reports.suppression`` hides the
#: value when they are fewer than ``min_cell`` (and drops the column).
BEYOND = "_beyond"
#: A profile's statistics that are one respondent's value (or between two).
QUANTILES = ("q1", "median", "q3")


def quantile_tails(table: pd.DataFrame, data: pd.DataFrame, by: str | None = None,
                   columns: tuple = ("estimate", "ci_low", "ci_high")) -> pd.DataFrame:
    """For the quantile rows of a profile, how many respondents' values lie at or
    beyond each of ``columns`` on its nearer tail: ``min(#{x <= v}, #{x >= v})`` among
    the answers of the row's group (``by``) to its ``variable``, unweighted. A value
    among the ``k`` smallest or largest of its group has a tail of at most ``k``: the
    largest company's size printed as a quartile's upper bound has 1. The ``se`` of a
    quantile is its interval's half-width over the t quantile, so it gets the fewer of
    its bounds'.

    Parameters
    ----------
    table : pandas.DataFrame
        A profile (``analysis.profile``): ``variable``, ``statistic``, ``columns`` and,
        with ``by``, that column.
    data : pandas.DataFrame
        The respondents the profile describes.
    by : str, optional
        The profile's breakdown column.
    columns : tuple of str
        The values to count the tails of.

    Returns
    -------
    pandas.DataFrame
        On ``table``'s index, one column ``<column>_beyond`` per column and
        ``se_beyond``: the tail counts (float), NaN on other rows (no constraint).

    Examples
    --------
    >>> data = pd.DataFrame({"size": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 172]})
    >>> t = pd.DataFrame({"variable": "size", "statistic": ["mean", "q3"],
    ...                   "estimate": [21.7, 8.0], "ci_low": [0.0, 5.0],
    ...                   "ci_high": [50.0, 172.0]})
    >>> quantile_tails(t, data)
       estimate_beyond  ci_low_beyond  ci_high_beyond  se_beyond
    0              NaN            NaN             NaN        NaN
    1              3.0            5.0             1.0        1.0
    """
    names = [c + BEYOND for c in columns]
    tails = np.full((len(table), len(columns) + 1), np.nan)
    rows = np.flatnonzero(table["statistic"].isin(QUANTILES).to_numpy())
    variables = table["variable"].to_numpy()
    groups = table[by].to_numpy() if by else np.zeros(len(table))
    members = data.groupby(by, observed=True, sort=False).indices if by else None
    bounds = table[list(columns)].to_numpy(dtype=float)
    for group, variable in dict.fromkeys(zip(groups[rows], variables[rows])):
        if variable not in data or not pd.api.types.is_numeric_dtype(data[variable]):
            continue
        column = data[variable].to_numpy(dtype=float, na_value=np.nan)
        if members is not None:
            column = column[members.get(group, np.array([], dtype=np.int64))]
        values = np.sort(column[~np.isnan(column)])
        at = rows[(groups[rows] == group) & (variables[rows] == variable)]
        below = np.searchsorted(values, bounds[at], side="right")
        above = len(values) - np.searchsorted(values, bounds[at], side="left")
        tails[at, :-1] = np.where(np.isnan(bounds[at]), np.nan, np.minimum(below, above))
    # the se of a quantile is its interval's half-width over a t quantile: its bounds'
    spread = [j for j, c in enumerate(columns) if c in ("ci_low", "ci_high")]
    if spread:
        tails[:, -1] = np.fmin.reduce(tails[:, spread], axis=1)
    return pd.DataFrame(tails, index=table.index, columns=names + ["se" + BEYOND])
