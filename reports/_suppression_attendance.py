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

from analysis._log_lanes import (COHORT_USERS, PLACE_YEARS, SERIES_MARGINS,
                                 SERIES_MONTH_USERS, SERIES_PLACE_USERS, SERIES_USERS,
                                 YEAR_USERS)
from reports._suppression_rows import (_DERIVED_TEXT, _group_ids, _margin_groups,
                                       hidden_parts, hidden_rows, key_columns)

__all__ = ["SERIES_MONTH_USERS", "SERIES_PLACE_USERS", "SERIES_USERS", "YEAR_USERS",
           "COHORT_USERS", "PLACE_YEARS"]


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
    both tables first hide a row of the same second one (:func:`_series_partner`).
    A series or a year of 1 to ``min_cell - 1`` users in all is hidden as one block,
    its empty rows too (:func:`_quiet_rows`), and a series with a month under
    ``min_cell`` hides its months with nobody between hidden ones (:func:`_stretch_rows`)."""
    counts = pd.to_numeric(data[count_column], errors="coerce").astype(float).to_numpy()
    hidden = hidden | _quiet_rows(data, min_cell)
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
        more = more | _stretch_rows(data, counts, gid, more, min_cell)
        if (more == hidden).all():
            return hidden
        hidden = more


def _quiet_rows(data: pd.DataFrame, min_cell: int) -> np.ndarray:
    """The rows of a series (the table by type and zone: :data:`SERIES_USERS`) or of a
    year (both attendance tables: :data:`YEAR_USERS`) that 1 to ``min_cell - 1``
    distinct users had in all: hidden together, the months or places with nobody too.

    A month with nobody is published as 0 and one of 1 to 4 users is hidden: where one
    badge was the only user of a type and zone's year, the hidden months and the 0s
    between them were that person's calendar (January hidden, February 0, March
    hidden...), and in a year one badge alone used, the places published with 0 users
    named the one hidden (privacy review 13, finding 2). The block is the rule the
    stays' curve follows: a few people's figures are hidden as a whole, not one by one.

    Within a busier year, a quiet series' places published with 0 stay: the months are
    hidden whole, so no calendar is left, and a hidden place-year says by itself that
    someone came (a 0 is never hidden for its own sake); only in a year of fewer than
    ``min_cell`` users in all do the 0s of every other place say where those few went.

    Examples
    --------
    >>> months = pd.DataFrame({"users": [1, 0, 1, 12], "series_users": [1, 1, 1, 30]})
    >>> _quiet_rows(months, 5).tolist()
    [True, True, True, False]
    """
    quiet = np.zeros(len(data), dtype=bool)
    for column in (SERIES_USERS, YEAR_USERS):
        if column in data.columns:
            users = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
            quiet |= (users > 0) & (users < min_cell)
    return quiet


def _stretch_rows(data: pd.DataFrame, counts: np.ndarray, gid: np.ndarray,
                  hidden: np.ndarray, min_cell: int) -> np.ndarray:
    """The months with nobody (``counts`` 0) lying between two ``hidden`` months of
    their series (``gid``: a type and zone's year) in the table by type and zone, where
    the series has a month of 1 to ``min_cell - 1`` users.

    Inside a busy year, a series of ``min_cell`` users or more is not hidden as a block
    (:func:`_quiet_rows`), but its months of a few users are hidden one by one: « January
    hidden, February 0, March hidden, April 0, May hidden » was a newcomer's calendar,
    read beside the months of the others, known to the reader (privacy review 13b,
    finding 2). The 0s between the series' first and last hidden months are hidden too:
    the stretch then says when the few came, not which of its months they skipped.

    The 0s before the first hidden month or after the last stay, as do those of a series
    with no month under ``min_cell`` (its months hidden, if any, hold ``min_cell`` users
    each) and all of the table by place and year (no :data:`SERIES_USERS`): on the demo,
    hiding every 0 of such a series hid four January 2015 rows (the log's first month,
    before the places' first users), and these hide none.

    Examples
    --------
    >>> months = pd.DataFrame({"users": [0, 2, 0, 3, 0, 40, 0],
    ...     "period": pd.to_datetime(["2017-01-01", "2017-02-01", "2017-03-01",
    ...                               "2017-04-01", "2017-05-01"] + ["2017-01-01"] * 2),
    ...     "series_users": 7})
    >>> counts = months["users"].to_numpy(float)
    >>> gid = np.array([0, 0, 0, 0, 0, 1, 2])
    >>> _stretch_rows(months, counts, gid, counts == 2, 5).tolist()
    [False, False, False, False, False, False, False]
    >>> _stretch_rows(months, counts, gid, (counts > 0) & (counts < 5), 5).tolist()
    [False, False, True, False, False, False, False]
    """
    none = np.zeros(len(data), dtype=bool)
    if SERIES_USERS not in data.columns or "period" not in data.columns or not len(data):
        return none
    few = (counts > 0) & (counts < min_cell)
    size = int(gid.max()) + 1
    series = np.bincount(gid[few], minlength=size) > 0
    if not series.any():
        return none
    order = np.lexsort((data["period"].to_numpy(), gid))
    group, shown = gid[order], hidden[order].astype(np.int64)
    before = np.cumsum(shown) - np.concatenate([[0], np.cumsum(shown)])[
        np.searchsorted(group, group)]          # hidden rows of the series up to here
    total = np.bincount(group, weights=shown, minlength=size)[group]
    between = (before > 0) & (before < total)
    out = np.zeros(len(data), dtype=bool)
    out[order] = between
    return out & series[gid] & (counts == 0) & ~hidden


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
    next year's growth gave its 2 users back (privacy review 12, finding 2).
"""
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


def _growth_rows(data: pd.DataFrame, hidden: np.ndarray, min_cell: int) -> np.ndarray:
    """``hidden`` with the places' growth rows whose first or last year the table by
    place and year hides.

    A place's growth prints its first and last full years' users, the very counts of
    two rows of the table by place and year, which hides some rows of 5 users or more
    to protect others (a partner of its series, :func:`_series_partner`): C4's 2016,
    hidden there, was printed here as ``last_value 12`` (privacy review 12c, finding 6;
    13, finding 7). That table (with its private columns) comes in the growth table's
    ``attrs`` (:data:`PLACE_YEARS`, set by ``analysis``), and is suppressed here as the
    report suppresses it, to read its final ``suppressed``.
    """
    years = data.attrs.get(PLACE_YEARS)
    if years is None or not len(data) or not len(years):
        return hidden
    from reports.suppression import SUPPRESSED, suppress   # the entry point imports us
    shown = suppress(years, "users", min_cell=min_cell, count_margins=SERIES_MARGINS)
    gone = shown.loc[shown[SUPPRESSED], ["place_id", "period"]]
    gone = pd.MultiIndex.from_arrays([gone["place_id"].astype(str).to_numpy(),
                                      gone["period"].dt.year.to_numpy(dtype=np.int64)])
    place = data["place_id"].astype(str).to_numpy()
    ends = [pd.MultiIndex.from_arrays([place, pd.to_numeric(data[column], errors="coerce")
                                       .fillna(-1).to_numpy(dtype=np.int64)])
            for column in ("first_year", "last_year")]
    return hidden | ends[0].isin(gone) | ends[1].isin(gone)
