"""Survival curves published month by month, not at each person's event time.

A Kaplan–Meier curve has one step per stay that ended: on a pilot of 46 agents, the
step at 4.008 months is one agent, and with the HR file's start dates anyone could
tell which agent stopped teleworking, and on which day. The analysis keeps the exact
curve (it is what R's ``survfit``/``svykm`` give, and what the horizons and quantiles
are read from); the report publishes it at the end of each month: the survival and
its interval as they stand then, the people still followed then, and the stays ended
or censored during the month. The suppression rule then applies to these
rows as to any other table (:mod:`reports.suppression`).

With a ``min_cell``, the month's counts are published only where they rest on enough
people (:func:`protected_counts`): the exits and censorings of a month are each empty
or of ``min_cell`` people or more, and the people followed are given only at the months
where they differ from the last count given by nobody or by ``min_cell`` people or
more, since ``at_risk(k - 1) - at_risk(k)`` is the month's exits and censorings added
up. The level and its band are kept at every month.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from reports.suppression import blank_cells, hidden_parts, hidden_rows

__all__ = ["monthly_curve", "published_curve", "protected_counts", "published_quantiles"]

#: Columns read at the end of each month (the last step on or before it).
_LEVELS = ["survival", "se", "ci_low", "ci_high"]
#: Counts added up over the month.
_COUNTS = ["events", "censored"]


def published_curve(table, min_cell: int | None = None, given=()):
    """The table as the report publishes it: a Kaplan–Meier curve of people's stays
    (a ``km_curve`` figure with ``events`` counted at each time) on the month grid of
    :func:`monthly_curve`, its counts made safe by :func:`protected_counts` when a
    ``min_cell`` is given (with a note saying what the counts are; ``given``: the
    months whose followed count another table publishes); any other table as it is.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"time": [0.5, 2.25], "at_risk": [9, 8], "events": [1, 1],
    ...                   "censored": [0, 7], "survival": [0.889, 0.778]})
    >>> published_curve(Table("c", f, "t", figure="km_curve")).data["time"].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    frame = table.data
    if table.figure != "km_curve" or not {"time", "at_risk", "events"} <= set(frame.columns):
        return table
    monthly = monthly_curve(frame)
    if min_cell is None:
        return replace(table, data=monthly)
    return replace(table, data=protected_counts(monthly, min_cell, given),
                   notes=[*table.notes, "report.curve_counts"])


def protected_counts(curve: pd.DataFrame, min_cell: int = 5, given=()) -> pd.DataFrame:
    """A monthly curve (:func:`monthly_curve`) whose counts no longer give away fewer
    than ``min_cell`` people, directly or by difference.

    Months are read in order. The people followed at month ``k`` are given when they
    differ from the last count given by 0 or by ``min_cell`` people or more, and are
    themselves 0 or ``min_cell`` or more; otherwise the cell is left empty (a count
    published elsewhere, ``given``, is always given unless its row is hidden). Between
    two counts given (and after the last one, when everyone has left), the months' exits
    and censorings add up to their difference: in each such stretch, a count of fewer
    than ``min_cell`` people is hidden, then the smallest visible ones until the hidden
    ones add up to 0 or ``min_cell`` or more (:func:`reports.suppression.hidden_parts`).
    Months whose followed count is below ``min_cell`` (but not 0) are left as they are
    for the suppression of the whole row (:func:`reports.suppression.hidden_rows`).

    Parameters
    ----------
    curve : DataFrame
        ``time``, ``at_risk``, ``events``, ``censored`` (if present) and the levels, one
        row per month.
    min_cell : int
        Smallest number of people a published count may rest on.
    given : sequence of float
        Months whose followed count another table publishes (the horizons table's 3,
        6, 12 and 24 months): what can be worked out from them is protected too.

    Returns
    -------
    DataFrame
        The same rows and columns; the hidden counts missing (integer counts become
        nullable ``Int64``). The levels and their band are unchanged.

    Examples
    --------
    One exit in month 2 among 40 people, 20 stays censored in month 3: the 39 followed
    at month 2 and the exit are hidden, and so are the 20 censored, since 40 - 19 - 20
    would give the exit back.

    >>> c = pd.DataFrame({"time": [0.0, 1.0, 2.0, 3.0], "at_risk": [40, 40, 39, 19],
    ...                   "events": [0, 0, 1, 0], "censored": [0, 0, 0, 20],
    ...                   "survival": [1.0, 1.0, 0.975, 0.975]})
    >>> protected_counts(c)
       time  at_risk  events  censored  survival
    0   0.0       40       0         0     1.000
    1   1.0       40       0         0     1.000
    2   2.0     <NA>    <NA>         0     0.975
    3   3.0       19       0      <NA>     0.975
    """
    at_risk = pd.to_numeric(curve["at_risk"], errors="coerce").astype(float).to_numpy()
    counts = [c for c in _COUNTS if c in curve]
    if len(curve) == 0 or not counts:
        return curve
    whole_row = hidden_rows(curve, "at_risk", min_cell=min_cell)  # hidden row by row later
    forced = np.isin(curve["time"].to_numpy(dtype=float), np.asarray(given, dtype=float))
    anchors = _anchors(at_risk, whole_row, forced, min_cell)
    # the stretch of each month: the first count given at or after it (month 0, whose
    # count is everyone, opens the first); after the last, everyone left (0 given)
    later = anchors[anchors > 0]
    stretch = np.searchsorted(later, np.maximum(np.arange(len(curve)), 1), side="left")
    published = np.r_[at_risk[anchors], 0.0]
    totals = published[:-1] - published[1:]
    values = curve[counts].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    hidden = hidden_parts(values.ravel(), np.repeat(stretch, len(counts)), totals,
                          np.repeat(whole_row, len(counts)), min_cell).reshape(values.shape)
    kept = np.zeros(len(curve), dtype=bool)
    kept[anchors] = True
    cells = {"at_risk": ~kept & ~whole_row}
    cells.update({c: hidden[:, j] & ~whole_row for j, c in enumerate(counts)})
    return blank_cells(curve, cells)


def _anchors(at_risk: np.ndarray, whole_row: np.ndarray, forced: np.ndarray,
             min_cell: int) -> np.ndarray:
    """The months whose followed count is given: month 0 (everyone), then each month
    not hidden whose count differs from the last given by 0 or ``min_cell`` or more, or
    is published elsewhere (``forced``); a loop over the months of one curve."""
    anchors, last = [0], at_risk[0]
    for month in range(1, len(at_risk)):
        gone = last - at_risk[month]
        if not whole_row[month] and (forced[month] or gone < 0.5 or gone > min_cell - 0.5):
            anchors.append(month)
            last = at_risk[month]
    return np.asarray(anchors, dtype=np.int64)


def monthly_curve(curve: pd.DataFrame, step: float = 1.0) -> pd.DataFrame:
    """A curve at event times resampled on whole months (``step``).

    Parameters
    ----------
    curve : DataFrame
        One row per event time: ``time`` (months), ``at_risk`` (people whose stay lasts
        at least ``time``), ``events``, ``censored``, the levels ``survival``, ``se``,
        ``ci_low``, ``ci_high`` (as far as present), any other column (``method``) with
        one value throughout.

    Returns
    -------
    DataFrame
        The same columns, one row per month ``k`` from 0 to the month of the last time:
        ``time`` = k; ``at_risk`` = people still followed at month k (stays of k
        months or more, as :func:`analysis.retention_at` counts them); ``events`` and
        ``censored`` = stays ended or censored in (k - 1, k] (at 0: same-day stays);
        the levels as they stand at ``k`` (1 and no interval before the first event).

    Examples
    --------
    >>> c = pd.DataFrame({"time": [0.0, 0.4, 1.7, 1.9], "at_risk": [10, 8, 6, 3],
    ...                   "events": [2, 1, 1, 1], "censored": [0, 1, 2, 2],
    ...                   "survival": [0.8, 0.7, 0.583, 0.389], "method": "KM"})
    >>> monthly_curve(c)[["time", "at_risk", "events", "censored", "survival"]]
       time  at_risk  events  censored  survival
    0   0.0       10       2         0     0.800
    1   1.0        6       1         1     0.700
    2   2.0        0       2         4     0.389
    """
    curve = curve.sort_values("time", kind="stable").reset_index(drop=True)
    times = curve["time"].to_numpy(dtype=float)
    if len(times) == 0:
        return curve
    months = np.arange(0.0, np.ceil(times[-1] / step) * step + step / 2, step)
    # the month each row falls in: (k - 1, k] -> k, a time of 0 in month 0
    month = np.ceil(times / step - 1e-9).astype(np.int64)
    out = {"time": months}
    # still followed at month k (stays of k months or more, as the horizons table
    # counts them): the at-risk count of the first row at or after k, none past the last
    first = np.searchsorted(times, months - 1e-9, side="left")
    at_risk = curve["at_risk"].to_numpy()
    out["at_risk"] = np.where(first < len(times), at_risk[np.minimum(first, len(times) - 1)], 0)
    for column in _COUNTS:
        if column in curve:
            out[column] = np.bincount(month, weights=curve[column].to_numpy(dtype=float),
                                      minlength=len(months))[: len(months)]
    # the levels at k: the last row at or before k (none before the first time)
    last = np.searchsorted(times, months + 1e-9, side="right") - 1
    for column in _LEVELS:
        if column not in curve:
            continue
        values = curve[column].to_numpy(dtype=float)
        before = 0.0 if column == "se" else 1.0  # no step yet: surely all there
        out[column] = np.where(last >= 0, values[np.maximum(last, 0)], before)
    frame = pd.DataFrame(out)
    for column in curve.columns:
        if column not in frame:
            frame[column] = curve[column].iloc[0]
    frame = frame[list(curve.columns)]
    return frame.astype({c: curve[c].dtype for c in ("at_risk", *_COUNTS) if c in curve})


def published_quantiles(table):
    """A retention table's quantiles (``probability``, ``estimate`` and its interval, in
    months) as the month in which they fall, as the monthly curve shows them: the first
    month whose level is at or below the threshold is the exact quantile rounded up, so
    no exit time (8.34 months: one company's) is printed; any other table as it is.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"probability": [0.25], "estimate": [np.nan], "ci_low": [8.34],
    ...                   "ci_high": [np.nan]})
    >>> published_quantiles(Table("c_stays_median", f, "t")).data["ci_low"].tolist()
    [9.0]
    """
    frame = table.data
    if not (table.key.endswith("_median") and {"probability", "estimate"} <= set(frame)):
        return table
    months = [c for c in ("estimate", "ci_low", "ci_high") if c in frame]
    rounded = frame.assign(**{c: np.ceil(frame[c].astype(float) - 1e-9) for c in months})
    return replace(table, data=rounded, notes=[*table.notes, "report.quantiles_in_months"])
