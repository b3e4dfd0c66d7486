"""Survival curves published month by month, not at each person's event time.

A Kaplan–Meier curve has one step per stay that ended: on a pilot of 46 agents, the
step at 4.008 months is one agent, and with the HR file's start dates anyone could
tell which agent stopped teleworking, and on which day. The analysis keeps the exact
curve (it is what R's ``survfit``/``svykm`` give, and what the horizons and quantiles
are read from); the report publishes it at the end of each month: the survival and
its interval as they stand then, the people still followed then, and the stays ended
or censored during the month, so that each month's followed count is the previous one
minus the month's exits and censorings. The suppression rule then applies to these
rows as to any other table (:mod:`reports.suppression`).

With a ``min_cell``, nothing published rests on fewer people:

- the level and its band are published only at the months where the exits since the
  last level published number none or ``min_cell`` or more (:func:`level_steps`): a
  step of the curve is never one or two people's exit (26/27 reads as one company
  out of 27), and neither is the ratio of any two levels published;
- the month's counts are published only where they rest on enough people
  (:func:`protected_counts`), and between two levels published (or after the last)
  with a hidden level in between, not at all (:func:`level_blocks`): shown zeros
  beside hidden exits, with the level rule (1 to 4 exits since the last level), gave
  each hidden monthly exit back (privacy review 12, finding 7);
- the horizons table (:func:`published_horizons`) and the quantiles
  (:func:`published_quantiles`) publish only what the curve publishes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from reports.suppression import blank_cells, hidden_parts, hidden_rows

__all__ = ["monthly_curve", "level_steps", "level_blocks", "class_months", "published_curve",
           "published_bands", "protected_counts", "published_horizons", "published_quantiles"]

#: Columns read at the end of each month (the last step on or before it).
_LEVELS = ["survival", "se", "ci_low", "ci_high"]
#: Counts added up over the month.
_COUNTS = ["events", "censored"]
#: A time this close to a month's end falls in that month (days / 30.4375 of a month).
_TOLERANCE = 1e-9


def _is_curve(table) -> bool:
    """A Kaplan–Meier curve of people's stays, with its exits counted at each time."""
    return table.figure == "km_curve" and {"time", "at_risk", "events"} <= set(table.data)


def published_curve(table, min_cell: int | None = None, given=()):
    """The table as the report publishes it: a Kaplan–Meier curve of people's stays
    (a ``km_curve`` figure with ``events`` counted at each time) on the month grid of
    :func:`monthly_curve`; when a ``min_cell`` is given, its levels only where they
    step by enough exits (:func:`level_steps`) and its counts made safe by
    :func:`protected_counts` (``given``: the months whose followed count another
    table publishes), with notes saying so; any other table as it is.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"time": [0.5, 2.25], "at_risk": [9, 8], "events": [1, 1],
    ...                   "censored": [0, 7], "survival": [0.889, 0.778]})
    >>> published_curve(Table("c", f, "t", figure="km_curve")).data["time"].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    if not _is_curve(table):
        return table
    monthly = monthly_curve(table.data)
    if min_cell is None:
        return replace(table, data=monthly)
    steps = level_steps(monthly, min_cell, class_months(table, len(monthly)))
    levels = [c for c in _LEVELS if c in monthly]
    data = blank_cells(monthly, {c: ~steps for c in levels})
    notes = [*table.notes, "report.curve_counts"]
    if not steps.all():
        notes.append("report.curve_levels")
    data = protected_counts(data, min_cell, given)
    block = level_blocks(steps)
    counts = {c: block & data[c].notna().to_numpy() for c in _COUNTS if c in data}
    return replace(table, data=blank_cells(data, counts), notes=notes)


def level_blocks(steps: np.ndarray) -> np.ndarray:
    """The months whose exits and censorings are hidden together: every month of a
    stretch from just after a level published to the next one (or to the curve's end)
    holding a month whose level is hidden, zeros included.

    Between two levels published, the curve gives the stretch's exits as a whole; with
    a hidden level in between they are 1 to ``min_cell - 1`` up to that month
    (:func:`level_steps`). A month's count shown there (a 0, or the exits of the month
    that closes the stretch) would split that small whole: exits 1, 1, 0, 0, 1 with the
    zeros shown and the level hidden say that one person left in each other month.

    Examples
    --------
    Levels published at months 0, 1 and 4, hidden at 2, 3, 5 and 6:

    >>> level_blocks(np.array([True, True, False, False, True, False, False])).tolist()
    [False, False, True, True, True, True, True]
    """
    steps = np.asarray(steps, dtype=bool)
    if steps.size == 0:
        return steps.copy()
    # the stretch of each month: the levels published before it (a month published
    # closes its stretch)
    stretch = np.cumsum(np.r_[0, steps[:-1].astype(np.int64)])
    return (np.bincount(stretch, weights=~steps) > 0)[stretch]


def published_bands(table, min_cell: int | None = None):
    """A curve of declared seniority bands (Turnbull's, its rows the bands' ends, with
    each band's ``mass`` and its people in ``events``) as the report publishes it: with
    a ``min_cell``, a level only where the people in the bands since the last level
    published number none or ``min_cell`` or more (:func:`level_steps`) and so do those
    beyond it (the level is their share), and a band's mass and people only between
    two levels published (else the next level plus its mass gives the hidden one back).
    Reference rows, and any other table, as they are.

    Examples
    --------
    32 users: 3 in the band ending at 3 months, 9 in the next, 15 in the next, 5 beyond.
    The level at 3 months would be 3 people's step, and the mass at 6 months with the
    level at 6 would give it back:

    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"time": [0.0, 3, 6, 12], "survival": [1, 0.91, 0.63, 0.16],
    ...                   "mass": [0, 0.09, 0.28, 0.47], "events": [0, 3, 9, 15],
    ...                   "n": 32, "curve": "pilot", "reference": False})
    >>> out = published_bands(Table("b", f, "t", figure="km_curve"), 5).data
    >>> out["survival"].tolist(), out["mass"].tolist()
    ([1.0, nan, 0.63, 0.16], [0.0, nan, nan, 0.47])
    """
    data = table.data
    if (min_cell is None or table.figure != "km_curve"
            or not {"time", "mass", "events", "n"} <= set(data.columns)):
        return table
    ours = (~data["reference"].eq(True)).to_numpy() if "reference" in data else np.ones(
        len(data), dtype=bool)
    rows = data[ours].sort_values("time")
    events = np.nan_to_num(rows["events"].to_numpy(dtype=float))
    beyond = rows["n"].to_numpy(dtype=float) - np.cumsum(events)
    by_class, left = _band_classes(table, rows["time"].to_numpy(dtype=float))
    shown = level_steps(rows, min_cell, by_class) & _enough(beyond, min_cell)
    if left is not None:  # a weighted level: each class's people beyond it and gone too,
        # unless everyone is on one side (the level is then 100 % or 0 % in every class)
        inside = (beyond > 0.5) & (beyond < rows["n"].to_numpy(dtype=float) - 0.5)
        gone = np.cumsum(by_class, axis=0)
        shown &= ~inside | (_enough(left, min_cell) & _enough(gone, min_cell)).all(axis=1)
    # the mass of a band between two levels shown is their difference: shown too
    between = shown & np.r_[True, shown[:-1]]
    hide = pd.Series(False, index=data.index)
    levels = {c: hide.copy() for c in _LEVELS if c in data}
    for mask in levels.values():
        mask[rows.index[~shown]] = True
    masses = {c: hide.copy() for c in ("mass", "events")}
    for mask in masses.values():
        mask[rows.index[~between]] = True
    cells = {c: mask.to_numpy() for c, mask in {**levels, **masses}.items()}
    out = blank_cells(data, cells)
    notes = list(table.notes) + (["report.curve_levels"] if not shown.all() else [])
    return replace(table, data=out, notes=notes)


def class_months(table, months: int) -> np.ndarray | None:
    """A weighted curve's exits by weighting class (``Table.class_events``) added up
    month by month as :func:`monthly_curve` counts them: (months x classes), or None for
    an unweighted curve (or anything but a table)."""
    events = getattr(table, "class_events", None)
    if events is None or len(events) == 0 or months == 0:
        return None
    codes, _ = pd.factorize(events["class"], sort=True)
    month = np.minimum(_months(events["time"].to_numpy(dtype=float), 1.0), months - 1)
    out = np.zeros((months, int(codes.max()) + 1))
    np.add.at(out, (month, codes), events["events"].to_numpy(dtype=float))
    return out


def _enough(people: np.ndarray, min_cell: int) -> np.ndarray:
    """Whether counts of people are none or ``min_cell`` or more."""
    return (people < 0.5) | (people > min_cell - 0.5)


def _band_classes(table, times: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A weighted band curve's people by weighting class (``Table.class_events``, an
    open band at an infinite time): those whose band ends at each of ``times``, and
    those beyond each (times x classes); None, None when it is not weighted."""
    events = getattr(table, "class_events", None)
    if events is None or len(events) == 0:
        return None, None
    codes, _ = pd.factorize(events["class"], sort=True)
    at = np.searchsorted(times, events["time"].to_numpy(dtype=float))
    found = (at < len(times)) & (times[np.minimum(at, len(times) - 1)] ==
                                 events["time"].to_numpy(dtype=float))
    counts = events["events"].to_numpy(dtype=float)
    ending = np.zeros((len(times), int(codes.max()) + 1))
    np.add.at(ending, (at[found], codes[found]), counts[found])
    total = np.bincount(codes, weights=counts, minlength=ending.shape[1])
    return ending, total - np.cumsum(ending, axis=0)


def level_steps(curve: pd.DataFrame, min_cell: int = 5,
                by_class: np.ndarray | None = None) -> np.ndarray:
    """The months of a monthly curve (:func:`monthly_curve`) whose level may be
    published: month 0 (everyone there), then, month by month, each month where the
    exits since the last month kept number 0 (the level has not moved) or ``min_cell``
    or more. Between two levels kept, and from the start to any of them, the curve
    thus falls by the exits of ``min_cell`` people or more, or not at all.

    Parameters
    ----------
    curve : DataFrame
        ``events``: exits of each month (people, unweighted), one row per month.
    min_cell : int
        Smallest number of exits a step of the published curve may rest on.
    by_class : numpy.ndarray, optional
        A weighted curve's exits of each month by weighting class (months x classes,
        :func:`class_months`): a level is kept only where each class's exits since the
        last level kept are none or ``min_cell`` or more too (the weights are known, so
        a step of 4 women and 1 man gives his exit away).

    Returns
    -------
    numpy.ndarray of bool
        True where the level and its band are published.

    Examples
    --------
    Exits 0, 2, 3, 1, 0, 6 in months 0 to 5: levels at months 0 and 2 (2 + 3 exits) and
    5 (1 + 0 + 6); month 4's level would be one exit's step.

    >>> level_steps(pd.DataFrame({"events": [0, 2, 3, 1, 0, 6]})).tolist()
    [True, False, True, False, False, True]
    """
    exits = np.nan_to_num(pd.to_numeric(curve["events"], errors="coerce")
                          .to_numpy(dtype=float))
    parts = (np.zeros((len(exits), 0)) if by_class is None
             else np.asarray(by_class, dtype=float))
    kept = np.zeros(len(exits), dtype=bool)
    since, apart = 0.0, np.zeros(parts.shape[1])
    for month, count in enumerate(exits):  # a loop over one curve's months
        since += count
        apart += parts[month]
        if (since < 0.5 or since > min_cell - 0.5) and (
                (apart < 0.5) | (apart > min_cell - 0.5)).all():
            kept[month], since, apart = True, 0.0, np.zeros(parts.shape[1])
    return kept


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
    >>> protected_counts(c).drop(columns="hidden_cells")
       time  at_risk  events  censored  survival
    0   0.0       40       0         0     1.000
    1   1.0       40       0         0     1.000
    2   2.0     <NA>    <NA>         0     0.975
    3   3.0       19       0      <NA>     0.975
    """
    counts = [c for c in _COUNTS if c in curve]
    if len(curve) == 0 or not counts:
        return curve
    whole_row = hidden_rows(curve, "at_risk", min_cell=min_cell)  # hidden row by row later
    values = curve[counts].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    at_risk = pd.to_numeric(curve["at_risk"], errors="coerce").astype(float).to_numpy()
    # everyone, before the first day's exits: a count published elsewhere (the users
    # of a log), read first as the count of a month before month 0
    start = at_risk[0] + np.nansum(values[0])
    forced = np.isin(curve["time"].to_numpy(dtype=float), np.asarray(given, dtype=float))
    anchors = _anchors(np.r_[start, at_risk], np.r_[False, whole_row], np.r_[True, forced],
                       min_cell)
    # the stretch of each month: the first count given at or after it; after the last,
    # everyone left (0 given)
    later = anchors[anchors > 0]
    stretch = np.searchsorted(later, np.arange(1, len(curve) + 1), side="left")
    published = np.r_[start, at_risk][anchors]
    totals = published - np.r_[published[1:], 0.0]
    hidden = hidden_parts(values.ravel(), np.repeat(stretch, len(counts)), totals,
                          np.repeat(whole_row, len(counts)), min_cell).reshape(values.shape)
    kept = np.zeros(len(curve) + 1, dtype=bool)
    kept[anchors] = True
    cells = {"at_risk": ~kept[1:] & ~whole_row}
    cells.update({c: hidden[:, j] & ~whole_row for j, c in enumerate(counts)})
    return blank_cells(curve, cells)


def _anchors(at_risk: np.ndarray, whole_row: np.ndarray, forced: np.ndarray,
             min_cell: int) -> np.ndarray:
    """The months whose followed count is given: the first (everyone), then each month
    not hidden whose count differs from the last given by 0 or ``min_cell`` or more, or
    is published elsewhere (``forced``); a loop over the months of one curve."""
    anchors, last = [0], at_risk[0]
    for month in range(1, len(at_risk)):
        gone = last - at_risk[month]
        if not whole_row[month] and (forced[month] or gone < 0.5 or gone > min_cell - 0.5):
            anchors.append(month)
            last = at_risk[month]
    return np.asarray(anchors, dtype=np.int64)


def _months(times: np.ndarray, step: float) -> np.ndarray:
    """The month of each time: ``k`` for a time in ``(k - 1, k]``, 0 for a time of 0
    (the stays ended on their first day)."""
    return np.maximum(np.ceil(times / step - _TOLERANCE).astype(np.int64), 0)


def monthly_curve(curve: pd.DataFrame, step: float = 1.0) -> pd.DataFrame:
    """A curve at event times resampled on whole months (``step``).

    Every row says how things stand at the end of month ``k`` (month 0: the first day),
    with one convention throughout, so that the counts add up: the people followed at
    month ``k - 1``, less the exits and censorings of month ``k``, are those followed
    at month ``k``, and the level at ``k`` has taken in exactly the exits of months
    0 to ``k``.

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
        ``time`` = k; ``at_risk`` = people still followed at the end of month k (stays
        of more than k months); ``events`` and ``censored`` = stays ended or censored
        in month k, i.e. in (k - 1, k] (month 0: same-day stays); the levels as they
        stand at ``k`` (1 and no interval before the first exit).

    Examples
    --------
    >>> c = pd.DataFrame({"time": [0.0, 0.4, 1.7, 1.9], "at_risk": [10, 8, 6, 3],
    ...                   "events": [2, 1, 1, 1], "censored": [0, 1, 2, 2],
    ...                   "survival": [0.8, 0.7, 0.583, 0.389], "method": "KM"})
    >>> monthly_curve(c)[["time", "at_risk", "events", "censored", "survival"]]
       time  at_risk  events  censored  survival
    0   0.0        8         2         0     0.800
    1   1.0        6         1         1     0.700
    2   2.0        0         2         4     0.389
    """
    curve = curve.sort_values("time", kind="stable").reset_index(drop=True)
    times = curve["time"].to_numpy(dtype=float)
    if len(times) == 0:
        return curve
    month = _months(times, step)
    grid = np.arange(int(month[-1]) + 1)
    out = {"time": grid * step}
    # followed at the end of month k: the at-risk count of the first row of a later
    # month (stays of more than k months), none past the last
    later = np.searchsorted(month, grid, side="right")
    at_risk = curve["at_risk"].to_numpy()
    out["at_risk"] = np.where(later < len(times), at_risk[np.minimum(later, len(times) - 1)], 0)
    for column in _COUNTS:
        if column in curve:
            out[column] = np.bincount(month, weights=curve[column].to_numpy(dtype=float),
                                      minlength=len(grid))
    # the levels at k: the last row of month k or before (none before the first time)
    last = later - 1
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


def _curve_months(curve, min_cell: int | None) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The monthly curve of a curve table (or of its data) and the months whose level
    is published (all of them without ``min_cell``); None for anything but a curve."""
    if curve is None:
        return None
    data = getattr(curve, "data", curve)
    if not ({"time", "at_risk", "events"} <= set(data.columns)) or len(data) == 0:
        return None
    monthly = monthly_curve(data)
    steps = (np.ones(len(monthly), dtype=bool) if min_cell is None
             else level_steps(monthly, min_cell, class_months(curve, len(monthly))))
    return monthly, steps


def _published_month(values, steps: np.ndarray) -> np.ndarray:
    """Whether each month (a float, NaN: none) is one whose level is published; a
    month past the curve's end stands as its last month (nobody left after it)."""
    values = np.asarray(values, dtype=float)
    whole = np.isfinite(values) & (np.abs(values - np.round(values)) < 1e-6)
    index = np.clip(np.nan_to_num(np.round(values), nan=0.0), 0, len(steps) - 1)
    return whole & steps[index.astype(np.int64)]


def published_horizons(table, curve, min_cell: int | None = None):
    """A curve's horizons table (``<name>_horizons``: ``time``, ``at_risk``,
    ``estimate`` and its interval) as the published curve gives it: the people still
    followed are the curve's count at that month (stays of more than that many
    months), and the share still there and its interval only where the curve
    publishes its level (:func:`level_steps`), so that neither the difference between
    a horizon and the curve's levels nor between two horizons is one or two people's
    exits. ``curve``: the analysis's ``<name>_curve`` table. Any other table as it is.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> exact = pd.DataFrame({"time": [2.5, 4.5, 5.0], "at_risk": [20, 19, 18],
    ...                       "events": [1, 0, 6], "censored": [0, 1, 12],
    ...                       "survival": [0.95, 0.95, 0.633]})
    >>> h = pd.DataFrame({"time": [3.0, 6.0], "at_risk": [19.0, 0.0],
    ...                   "estimate": [0.95, 0.633]})
    >>> out = published_horizons(Table("x_horizons", h, "t"), Table("x_curve", exact, "t"), 5)
    >>> out.data["estimate"].tolist()
    [nan, 0.633]
    """
    read = _curve_months(curve, min_cell)
    frame = table.data
    if read is None or not table.key.endswith("_horizons") or "time" not in frame:
        return table
    monthly, steps = read
    times = frame["time"].to_numpy(dtype=float)
    hidden = ~_published_month(times, steps)
    out = frame.copy()
    cells = {}
    if "at_risk" in out:
        # the counts the published curve gives (protected: no difference between two
        # of them is one or two people), so that the horizons give no other
        counts = protected_counts(monthly, min_cell) if min_cell is not None else monthly
        grid = pd.to_numeric(counts["at_risk"], errors="coerce").to_numpy(dtype=float)
        index = np.clip(np.round(times), 0, len(grid) - 1).astype(np.int64)
        followed = np.where(times > len(grid) - 1, 0.0, grid[index])
        cells["at_risk"] = np.isnan(followed)
        out["at_risk"] = np.nan_to_num(followed).astype(out["at_risk"].dtype)
    levels = [c for c in ("estimate", "se", "ci_low", "ci_high") if c in out]
    cells.update({c: hidden & out[c].notna().to_numpy() for c in levels})
    out = blank_cells(out, cells)
    notes = table.notes
    if (hidden & frame[levels].notna().any(axis=1).to_numpy()).any():
        notes = [*notes, "report.curve_levels"]
    return replace(table, data=out, notes=notes)


def published_quantiles(table, curve=None, min_cell: int | None = None):
    """A retention table's quantiles (``probability``, ``estimate`` and its interval, in
    months) as the month in which they fall, as the monthly curve shows them: the first
    month whose level is at or below the threshold is the exact quantile rounded up,
    so no exit time (8.34 months: one company's) is printed;
    any other table as it is. With the analysis's ``curve`` and a ``min_cell``, a month
    whose level the published curve does not give (:func:`level_steps`) is not given
    either: it would say in which month of a step too small to publish the curve passed
    the threshold.

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
    # + 0.0: a quantile of 0 months is 0, not -0
    rounded = frame.assign(**{c: np.ceil(frame[c].astype(float) - _TOLERANCE) + 0.0
                              for c in months})
    notes = [*table.notes, "report.quantiles_in_months"]
    read = _curve_months(curve, min_cell)
    if read is not None and min_cell is not None:
        steps = read[1]
        hidden = {c: rounded[c].notna().to_numpy() & ~_published_month(rounded[c], steps)
                  for c in months}
        rounded = blank_cells(rounded, hidden)
        if any(mask.any() for mask in hidden.values()):
            notes.append("report.curve_levels")
    return replace(table, data=rounded, notes=notes)
