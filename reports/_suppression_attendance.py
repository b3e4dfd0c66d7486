"""Margins of the attendance and check-in tables: place-years and months of the same
series, a second open series, periods' growth, check-in cohorts.

A type and zone's year adds up by month in one table and by place in the other, and
every year by the log's check-ins: hidden rows are protected against each of those
totals (:func:`_margin_rows`, :func:`_series_partner`); a growth is hidden with the
previous period (:func:`_growth_cells`); the check-in cohorts' sizes add up to the log's
users, and a cohort hidden alone takes another with it (:func:`_cohort_rows`). The rules are described as a whole in
:mod:`reports.suppression`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis._log_lanes import COHORT_USERS, SERIES_MONTH_USERS, SERIES_PLACE_USERS
from reports._suppression_rows import (_DERIVED_TEXT, _group_ids, _margin_groups,
                                       hidden_parts, hidden_rows, key_columns)

__all__ = ["SERIES_MONTH_USERS", "SERIES_PLACE_USERS", "COHORT_USERS"]


def _margin_rows(data: pd.DataFrame, count_column: str, margins: Sequence[str],
                 hidden: np.ndarray, group_columns: Sequence[str], total_row,
                 min_cell: int) -> np.ndarray:
    """``hidden`` with the rows a published total of ``margins``' groups would give back
    hidden too, and their siblings, until neither hides more.

    The groups add up to the whole table, whose total is published as well (a log's
    check-ins: its kept rows): the rows hidden in the whole table are never alone either
    and hold ``min_cell`` people together. A row hidden alone in its group for want of
    siblings (a place alone of its type and zone) takes another row, first one alone in
    its own group: a row with siblings would take one of them with it, and the other
    table's total of their group would give the pair back, then the first row by
    difference (privacy review 12, finding 1). Such a partner protects only if its own
    group's total is unknown too: where the attendance tables' private series minima
    say a single type and zone's year has both a hidden month and a hidden place-year,
    both tables first hide a row of the same second one (:func:`_series_partner`)."""
    counts = pd.to_numeric(data[count_column], errors="coerce").astype(float).to_numpy()
    gid = _margin_groups(data, margins)
    totals = np.bincount(gid, weights=np.nan_to_num(counts))
    whole = np.zeros(len(data), dtype=np.int64)
    grand = np.array([np.nansum(counts)])
    alone = (np.bincount(gid[counts > 0], minlength=totals.size) == 1)[gid]
    hidden = hidden | _series_partner(data, counts, gid, margins, min_cell)
    while True:
        more = hidden_parts(counts, gid, totals, hidden, min_cell)
        more = hidden_parts(counts, whole, grand, more, min_cell, prefer=alone)
        more = hidden_rows(data, count_column, group_columns=group_columns,
                           total_row=total_row, min_cell=min_cell, hidden=more)
        if (more == hidden).all():
            return hidden
        hidden = more


def _series_partner(data: pd.DataFrame, counts: np.ndarray, gid: np.ndarray,
                    margins: Sequence[str], min_cell: int) -> np.ndarray:
    """The rows of a second series to hide where one series alone is open.

    A type and zone's year (a series, ``gid``) adds up by month in one table and by
    place in the other, and every series by the log's check-ins total. A series is
    *open* when it has a hidden month and a hidden place-year: its total is then known
    neither way. Where a single series is open, the check-ins minus every other series
    (known by month or by place) give its total, so its one hidden place-year (a place
    alone of its type and zone, 2 users: privacy review 12b, finding A) comes back, and
    no partner taken in the table by place and year helps unless its own series is open
    too. So both tables, from the same private minima (:data:`SERIES_MONTH_USERS`,
    :data:`SERIES_PLACE_USERS`), tell the series open for sure (a month and a place-year
    under ``min_cell``) and, if there is exactly one, open the same second series: the
    one that is half open already (a month or a place-year under ``min_cell``, so that
    only the other table hides more), else the one whose smallest place-year is the
    smallest; each table then hides that series' smallest row unless one of its rows is
    under ``min_cell`` already. The series' totals then add up to a known sum only
    together, and a hidden month of the second keeps the first's total unknown.
    """
    none = np.zeros(len(data), dtype=bool)
    if SERIES_MONTH_USERS not in data.columns or SERIES_PLACE_USERS not in data.columns:
        return none
    size = int(gid.max()) + 1 if len(gid) else 0
    smallest = []
    for column in (SERIES_MONTH_USERS, SERIES_PLACE_USERS):
        values = pd.to_numeric(data[column], errors="coerce").astype(float).to_numpy()
        by_series = np.full(size, np.nan)
        by_series[gid] = values   # one value per series
        smallest.append(by_series)
    months, places = smallest
    small_month, small_place = months < min_cell, places < min_cell   # NaN: False
    opened = small_month & small_place
    # the open series' hidden place-years add up to a known sum (the check-ins less
    # every other series): fewer than min_cell users in all, one of them could take
    # their own visits off and read the other's (two open series of one user each:
    # privacy review 12c, finding 1); more series are opened until they are enough
    hidden_users = float(np.nansum(places[opened]))
    if not opened.any() or (opened.sum() >= 2 and hidden_users >= min_cell):
        return none
    labels = _margin_labels(data, margins)
    label = np.empty(size, dtype=object)
    label[gid] = labels
    half = small_month | small_place
    while True:
        candidates = np.flatnonzero(~opened & (months > 0) & (places > 0))
        if not candidates.size:
            return none   # the check-ins total is the open series' own
        series = min(candidates, key=lambda g: (not half[g], places[g], str(label[g])))
        opened[series] = True
        hidden_users += places[series]
        rows = (gid == series) & (counts > 0)
        if not (rows & (counts < min_cell)).any():   # else hidden here already
            pick = np.flatnonzero(rows)
            none[pick[np.argmin(counts[pick])]] = True
        if hidden_users >= min_cell:
            return none


def _margin_labels(data: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Each row's margin group as text (``"coworking|urban|2016"``): the same in both
    attendance tables, to choose the same series in each."""
    parts = []
    for key in keys:
        name, _, freq = str(key).partition(":")
        column = data[name]
        parts.append((column.dt.to_period(freq) if freq else column).astype(str))
    return pd.concat(parts, axis=1).agg("|".join, axis=1).to_numpy()


def _growth_cells(out: pd.DataFrame, hidden: np.ndarray) -> dict[str, np.ndarray]:
    """The ``growth`` cells to hide: a period's change from the previous row of its series
    (the same keys but ``period``, as ``analysis.attendance`` computes it) rests on both
    periods, so it is hidden when the previous one is (its users are this period's
    divided by 1 + growth).

    The series is told by the row's identifying labels only: a flag (``little_used``) or
    a derived text, blanked on the hidden row, put it in a series of its own, and the
    next year's growth gave its 2 users back (privacy review 12, finding 2)."""
    if "growth" not in out.columns or "period" not in out.columns or not hidden.any():
        return {}
    keys = [c for c in key_columns(out) if c != "period" and c not in _DERIVED_TEXT
            and not pd.api.types.is_bool_dtype(out[c])]
    before = pd.Series(hidden.astype(float), index=out.index)
    before = (before.groupby([out[c] for c in keys], observed=True, dropna=False).shift(1)
              if keys else before.shift(1))
    return {"growth": (before.to_numpy() == 1) & ~hidden & out["growth"].notna().to_numpy()}


def _cohort_rows(data: pd.DataFrame, hidden: np.ndarray, min_cell: int) -> np.ndarray:
    """``hidden`` with every row of the cohorts hidden to keep the hidden cohorts' sizes
    from being worked out from the log's users.

    A cohort (the rows sharing their labels: one month of arrival) of fewer than
    ``min_cell`` badges has every row hidden, but the cohorts' sizes
    (:data:`COHORT_USERS`, private) add up to the log's users, which the report
    publishes: 1 026 users less the visible cohorts gave a lone hidden cohort's size back
    (privacy review 12c). So the cohorts whose rows are all hidden are parts of that
    total (:func:`hidden_parts`): while they are a single one, or hold 1 to
    ``min_cell - 1`` users together, the smallest visible cohort is hidden whole too.

    Examples
    --------
    >>> data = pd.DataFrame({"cohort": ["2016-01", "2016-02", "2016-03"],
    ...                      "cohort_users": [12, 30, 1]})
    >>> _cohort_rows(data, np.array([False, False, True]), 5).tolist()
    [True, False, True]
    """
    if COHORT_USERS not in data.columns or not len(data):
        return hidden
    cohort = _group_ids(data, key_columns(data))
    count = int(cohort.max()) + 1
    sizes = np.zeros(count)
    sizes[cohort] = np.nan_to_num(pd.to_numeric(data[COHORT_USERS], errors="coerce")
                                  .to_numpy(dtype=float, na_value=np.nan))
    shown = np.bincount(cohort[~hidden], minlength=count) > 0
    parts = hidden_parts(sizes, np.zeros(count, dtype=np.int64), np.array([sizes.sum()]),
                         ~shown, min_cell)
    return hidden | parts[cohort]
