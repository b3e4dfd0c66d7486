"""Means and spreads of small or partly hidden distributions.

Where a share of a question's answers is hidden in a group, the group's mean can give
it back: n times the mean is the sum of the scores (:func:`_share_mean_cells`), and the
mean's standard error or the standard deviation the sum of their squares
(:func:`_second_moment_cells`). On a whole-number variable of a few values (0 to 5
days of telework), a small group's mean and spread, or a mean close to an end of the
range, give its answers back with no share hidden (:func:`_integer_mean_cells`). The
rules are described as a whole in :mod:`reports.suppression`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.profile import INTEGER_RANGE
from reports._suppression_rows import HIDDEN_CELLS, _group_ids, _protect, key_columns

__all__ = ["INTEGER_RANGE"]


#: Statistics that are shares of a question's or variable's answers.
_SHARES = ("top2", "bottom2", "net", "share")

#: The ends of the satisfaction scale whose means :func:`_share_mean_cells` protects.
_SCALE = (1, 5)


def _share_mean_cells(out: pd.DataFrame, hidden: np.ndarray,
                      group_columns: Sequence[str] = (),
                      min_cell: int = 5,
                      cells: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The means to hide where a share of the same answers is hidden: a question's (or
    variable's) mean, with its standard error and interval, in each group where its top-2,
    bottom-2 or net share is hidden (the row, or its estimate).

    On a scale of a few values, the mean times n is the sum of the scores: for a group
    of 5, a mean of 4.2 leaves 5 possible sets of answers, and a hidden bottom-2 share
    (1 to 4 people dissatisfied) 2, "(1, 5, 5, 5, 5) or (2, 4, 5, 5, 5)": one of the
    five is dissatisfied (privacy review 12). The answers that fit a mean multiply
    with n and with the mean's distance from the scale's ends: the rule covers groups of
    fewer than ``2 * min_cell`` answers (the reviewer's threshold), and larger groups
    whose scores lie within ``2 * min_cell`` points in all of either end of the 1-5
    scale (12 answers averaging 4.75 are three points short of all 5s: eleven 5s and one
    2 beside a hidden dissatisfied share, second review 12). A larger group with its
    mean away from the ends keeps it beside a hidden share (36 agents: hiding it would
    blank every overall mean of the demo and protect nothing). Nor may the mean, with
    the shares published beside it, rule out some of the counts a hidden share may
    stand for (:func:`_narrowed`; ``cells``: the rows' counts before suppression, telling
    the shares hidden for resting on few people): 30 answers averaging 3.97 are far
    from 1 and 5, but with 15 of them satisfied (a published top-2) and 1 to 4
    dissatisfied (a hidden bottom-2) they add up to at most 119 (one 2, fourteen 3s,
    fifteen 5s), which 3.97 is (privacy review 12c, finding 3). A question's mean in a
    group of fewer than ``2 * min_cell`` answers is hidden even with every share
    published: they are then 0 % or 100 %, and the mean gives the split of the answers
    within a side (7 firms all satisfied averaging 4.71: five 5s and two 4s). The means
    of a breakdown's groups add up, over their n, to the whole table's: a lone hidden
    mean among its siblings takes the smallest sibling's with it.
    """
    if "statistic" not in out.columns or not ({"item", "variable"} & set(out.columns)):
        return {}
    statistic = out["statistic"].astype(str).to_numpy()
    shares = np.isin(statistic, _SHARES)
    touched = shares & hidden
    if HIDDEN_CELLS in out.columns:
        touched |= shares & out[HIDDEN_CELLS].fillna("").astype(str).str.contains(
            "(?:^|,)estimate(?:,|$)").to_numpy()
    means = statistic == "mean"
    ends = np.isin(statistic, _ENDS)
    if not (touched.any() or ends.any()) or not means.any():
        return {}
    keys = key_columns(out)
    units, size, counts = _units(out)
    small = counts < 2 * min_cell   # the mean's own n (a hidden row's is blank: inf)
    mean = pd.to_numeric(out["estimate"], errors="coerce").to_numpy(dtype=float,
                                                                    na_value=np.nan)
    with np.errstate(invalid="ignore"):   # points short of every answer at an end
        short = np.fmin(counts * (_SCALE[1] - mean), counts * (mean - _SCALE[0]))
    small |= short < 2 * min_cell
    # a mean that rules out some of the counts a hidden share may stand for
    n = np.full(size, np.nan)
    n[units[means]] = np.where(np.isinf(counts[means]), np.nan, counts[means])
    total = np.full(size, np.nan)
    total[units[means]] = n[units[means]] * mean[means]
    few = None if cells is None else (cells > 0) & (cells < min_cell)
    small |= _narrowed(out, statistic, units, n, total, hidden | touched, min_cell,
                       few)[units]
    mask = (np.bincount(units[touched], minlength=size) > 0)[units] & means & ~hidden & small
    # in a group of fewer than 2 x min_cell answers, a share is published only at 0 % or
    # 100 % (both sides rest on min_cell people otherwise): beside a top-2 of 100 %, the
    # mean gives how many answered 4 and how many 5 (7 firms averaging 4.71: two 4s)
    scale = (np.bincount(units[ends], minlength=size) > 0)[units]
    mask |= scale & means & ~hidden & (counts < 2 * min_cell)
    for column in group_columns:   # secondary: no lone hidden mean among siblings
        if column == "category":
            continue
        gid = _group_ids(out, [c for c in keys if c != column])
        lone = mask | (hidden & means)
        while _protect(gid, means, counts, lone):
            pass
        mask |= lone & ~hidden
    return {column: mask & out[column].notna().to_numpy()
            for column in ("estimate", "se", "ci_low", "ci_high") if column in out.columns}


#: The shares of a 1-5 scale's ends: ``bottom2`` counts the answers 1 and 2, ``top2``
#: the answers 4 and 5.
_ENDS = ("bottom2", "top2")


def _count_ranges(out: pd.DataFrame, statistic: np.ndarray, units: np.ndarray,
                  n: np.ndarray, hidden: np.ndarray, few: np.ndarray, name: str,
                  min_cell: int) -> tuple[np.ndarray, np.ndarray]:
    """The counts of answers the share ``name`` can stand for in each unit, as two
    intervals (``low[branch, unit]``, ``high[branch, unit]``; empty where low > high).

    A published share is its count (its estimate times n); a share hidden for resting
    on few people (``few``) stands for 1 to ``min_cell - 1`` people, or leaves that few
    out (its complement); a share hidden beside another, or a unit without the share,
    allows 0 to n.
    """
    size = len(n)
    low = np.zeros((2, size))
    high = np.vstack([n, n])
    estimate = pd.to_numeric(out["estimate"], errors="coerce").to_numpy(dtype=float,
                                                                        na_value=np.nan)
    rows = statistic == name
    shown = rows & ~hidden & ~np.isnan(estimate)
    at = units[shown]
    low[:, at] = high[:, at] = np.rint(estimate[shown] * n[at])
    at = units[rows & hidden & few]
    low[0, at], high[0, at] = 1, np.fmin(min_cell - 1, n[at] - 1)
    low[1, at], high[1, at] = np.fmax(n[at] - min_cell + 1, 1), n[at] - 1
    return low, high


def _fits(n: np.ndarray, total: np.ndarray, value: np.ndarray, low: np.ndarray,
          high: np.ndarray, top: bool) -> np.ndarray:
    """Whether ``value`` answers at one end (1-2, or with ``top`` 4-5) fit n answers
    adding up to ``total`` with a count at the other end between ``low`` and ``high``.

    With b answers of 1-2, t of 4-5 and the others 3, the sum can be anything from
    ``3n - 2b + t`` to ``3n - b + 2t`` (one answer moved one step at a time), with
    ``b + t <= n``.
    """
    slack = 1e-6   # an unweighted total is a whole number, up to the float's error
    if top:   # value = t: the b that fit
        least = np.ceil((3 * n + value - total) / 2 - slack)
        most = np.floor(3 * n + 2 * value - total + slack)
    else:     # value = b: the t that fit
        least = np.ceil((total - 3 * n + value) / 2 - slack)
        most = np.floor(total - 3 * n + 2 * value + slack)
    least = np.fmax(least, low)
    most = np.fmin(np.fmin(most, high), n - value)
    return least <= most


def _narrowed(out: pd.DataFrame, statistic: np.ndarray, units: np.ndarray,
              n: np.ndarray, total: np.ndarray, hidden: np.ndarray,
              min_cell: int, few: np.ndarray | None = None) -> np.ndarray:
    """Each unit (a question in a group) whose mean rules out some of the counts its
    hidden top-2 or bottom-2 share may stand for (:func:`_count_ranges`), given the
    other share, published or hidden (:func:`_fits`).

    A share hidden for resting on few people (the rows ``few``, by the table's own
    count before suppression; None: every hidden row) stands for 1 to ``min_cell - 1``
    people (or all but that few): a mean that leaves only some of those counts
    possible tells more than the table hides. Telling a few from all but a few is no
    more than the mean says anyway; within either, every count must still fit. A share
    hidden only to protect a sibling's may stand for any count: a reader who takes it
    for 1 to 4 people reads a wrong one, and the mean stays.

    Examples
    --------
    30 answers averaging 3.97 (a sum of 119), 15 of them satisfied (published): only 1
    of 1 to 4 dissatisfied fits (one 2, fourteen 3s, fifteen 5s); averaging 3.80
    (114), every count from 1 to 4 does.

    >>> out = pd.DataFrame({"statistic": ["mean", "top2", "bottom2"],
    ...                     "estimate": [3.97, 0.5, np.nan]})
    >>> hidden = np.array([False, False, True])
    >>> args = out, out["statistic"].to_numpy(), np.zeros(3, dtype=int), np.array([30.0])
    >>> _narrowed(*args, np.array([119.0]), hidden, 5).tolist()
    [True]
    >>> _narrowed(*args, np.array([114.0]), hidden, 5).tolist()
    [False]
    """
    few = hidden if few is None else hidden & few
    ranges = {name: _count_ranges(out, statistic, units, n, hidden, few, name, min_cell)
              for name in _ENDS}
    narrowed = np.zeros(len(n), dtype=bool)
    for name in _ENDS:
        has = np.zeros(len(n), dtype=bool)
        has[units[(statistic == name) & few]] = True
        if not has.any():
            continue
        (low, high), (other_low, other_high) = ranges[name], ranges[_ENDS[name == _ENDS[0]]]
        for branch in (0, 1):
            fit = np.zeros(len(n), dtype=int)
            size = np.where(has, np.fmax(high[branch] - low[branch] + 1, 0), 0)
            for step in range(int(np.nanmax(size, initial=0))):   # a handful of counts
                value = low[branch] + step
                fits = np.zeros(len(n), dtype=bool)
                for other in (0, 1):
                    fits |= _fits(n, total, value, other_low[other], other_high[other],
                                  top=name == "top2")
                fit += (step < size) & fits
            narrowed |= has & (fit > 0) & (fit < size)
    return narrowed


def _second_moment_cells(out: pd.DataFrame, hidden: np.ndarray,
                         group_columns: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """The spread cells to hide where part of a distribution is hidden: a mean's standard
    error and interval, and a standard deviation, in each question or variable (in its
    group) with a hidden row or a hidden estimate (a share, a quartile).

    On a scale of a few values (1-5), n, the mean and its standard error give the sum of
    the scores and of their squares, and with one visible share the count of every
    score follows: review 10b recovered 7 of 8 hidden "dissatisfied" counts of users by
    status that way, from the workbook's rounded figures too. Without the spread, the
    mean and a share leave the hidden count open. The spread of the whole (the table
    without a breakdown) is the sum of its groups': in a breakdown, a lone group whose
    spread is hidden takes its smallest sibling's with it.
    """
    if "statistic" not in out.columns or not ({"item", "variable"} & set(out.columns)):
        return {}
    touched = hidden.copy()
    if HIDDEN_CELLS in out.columns:
        touched |= out[HIDDEN_CELLS].fillna("").astype(str).str.contains(
            "(?:^|,)estimate(?:,|$)").to_numpy()
    if not touched.any():
        return {}
    units = _group_ids(out, [c for c in key_columns(out) if c not in ("statistic", "category")])
    size = int(units.max()) + 1
    rows = (np.bincount(units[touched], minlength=size) > 0)[units] & ~hidden
    statistic = out["statistic"].astype(str).to_numpy()
    spread_rows = np.isin(statistic, ("mean", "sd")) & ~hidden
    counts = np.nan_to_num(pd.to_numeric(out["n"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan), nan=np.inf) if "n" in out.columns else np.ones(len(out))
    keys = key_columns(out)
    for column in group_columns:   # secondary: no lone hidden spread among siblings
        gid = _group_ids(out, [c for c in keys if c != column])
        mask = rows & spread_rows
        while _protect(gid, spread_rows, counts, mask):
            pass
        rows |= mask
    spread = {"se": rows & np.isin(statistic, ("mean", "sd")),
              "ci_low": rows & np.isin(statistic, ("mean", "sd")),
              "ci_high": rows & np.isin(statistic, ("mean", "sd")),
              "estimate": rows & (statistic == "sd")}
    return {column: mask & out[column].notna().to_numpy()
            for column, mask in spread.items() if column in out.columns}


#: Most values a whole-number variable's range may hold for its means to be protected
#: as a scale's: 0-10 (a recommendation) holds 11.
_FEW_VALUES = 11


def _integer_mean_cells(out: pd.DataFrame, hidden: np.ndarray,
                        group_columns: Sequence[str] = (),
                        min_cell: int = 5) -> dict[str, np.ndarray]:
    """The means and spreads to hide of a whole-number variable whose range holds at
    most 11 values (:data:`INTEGER_RANGE`, written by ``analysis.profile`` from the
    codebook: ``telework_days``, 0-5): the mean, its standard error and interval, and
    the standard deviation, in a group of fewer than ``2 * min_cell`` answers, or with
    the mean within ``2 * min_cell`` points in all of either end of the variable's own
    range (``min(n * (high - mean), n * (mean - low))``); and, in any group, the
    standard deviation with the mean's standard error and interval where the answers'
    squared distances to the median add up to less than ``2 * min_cell`` (``(n - 1) *
    sd ** 2 + n * (mean - median) ** 2``, at least the count of answers off the median:
    they are bunched on one value but for a few, whose values the mean then gives).

    n times the mean is the sum of the answers, and the standard deviation the sum of
    their squares: 9 agents averaging 1.22 days of telework with an SD of 0.67 are eight
    at 1 day and one at 3, or (0, five 1s, three 2s), which a third quartile of 1 rules
    out; 12 agents averaging 4.92 days on 0-5 are eleven at 5 and one at 4 (60 - 1),
    whatever else the table shows (privacy review 12c, finding 4). The rule is the one
    :func:`_share_mean_cells` applies to a satisfaction scale beside its shares, on the
    variable's own range; a profile has no share rows of such a variable. The quartiles
    keep their own rule (the people beyond them). The means of a breakdown's groups add
    up, over their n, to the whole table's: a lone hidden mean among its siblings takes
    the smallest sibling's with it (and its spread).

    Examples
    --------
    >>> out = pd.DataFrame({"dept": ["A", "A", "B", "B", "C", "C"],
    ...                     "variable": "days", "statistic": ["mean", "sd"] * 3,
    ...                     "n": [9, 9, 40, 40, 60, 60],
    ...                     "estimate": [1.22, 0.67, 2.0, 1.1, 2.5, 1.3],
    ...                     "range_low": 0.0, "range_high": 5.0})
    >>> cells = _integer_mean_cells(out, np.zeros(6, dtype=bool), ["dept"])
    >>> cells["estimate"].tolist()
    [True, True, True, True, False, False]
    """
    if not {*INTEGER_RANGE, "statistic", "variable"} <= set(out.columns):
        return {}
    # a variable's range, on its hidden rows too (blanked with the rest of the row)
    ends = out[list(INTEGER_RANGE)].apply(pd.to_numeric, errors="coerce").groupby(
        out["variable"].astype(str).to_numpy()).transform("max")
    low, high = (ends[c].to_numpy(dtype=float, na_value=np.nan) for c in INTEGER_RANGE)
    statistic = out["statistic"].astype(str).to_numpy()
    means = statistic == "mean"
    with np.errstate(invalid="ignore"):
        few = high - low + 1 <= _FEW_VALUES
    rows = few & ~hidden & np.isin(statistic, ("mean", "sd"))
    if not rows.any():
        return {}
    keys = key_columns(out)
    units, size, counts = _units(out)
    estimate = pd.to_numeric(out["estimate"], errors="coerce").to_numpy(dtype=float,
                                                                        na_value=np.nan)
    mean = np.full(size, np.nan)
    mean[units[means]] = estimate[means]
    mean = mean[units]
    with np.errstate(invalid="ignore"):   # points short of every answer at an end
        short = np.fmin(counts * (high - mean), counts * (mean - low))
    unit = np.zeros(size, dtype=bool)
    unit[units[rows & ((counts < 2 * min_cell) | (short < 2 * min_cell))]] = True
    mask = unit[units] & means & ~hidden & few
    for column in group_columns:   # secondary: no lone hidden mean among siblings
        if column == "category":
            continue
        gid = _group_ids(out, [c for c in keys if c != column])
        lone = mask | (hidden & means & few)
        while _protect(gid, means & few, counts, lone):
            pass
        mask |= lone & ~hidden & means
    unit[units[mask]] = True
    cells = unit[units] & rows
    # answers bunched on one value but a few (eleven agents, SD 0.65 about 1.27 days:
    # nine at 1, one at 2, one at 3, privacy review 13b): their squared distances to the
    # median, (n - 1) sd^2 + n (mean - median)^2, at least the count of answers off it,
    # under 2 * min_cell - the standard deviation, and the mean's interval that gives
    # it, go (with the median hidden, the distances to the mean: smaller)
    sds, medians = statistic == "sd", statistic == "median"
    spread, middle = np.full(size, np.nan), np.full(size, np.nan)
    spread[units[sds]] = estimate[sds]
    middle[units[medians]] = estimate[medians]
    with np.errstate(invalid="ignore"):
        off = (counts - 1) * spread[units] ** 2 + np.nan_to_num(
            counts * (mean - middle[units]) ** 2)
        tight = (off < 2 * min_cell) & rows
    out_cells = {}
    for column in ("estimate", "se", "ci_low", "ci_high"):
        if column in out.columns:
            loose = tight & (sds if column == "estimate" else means)
            out_cells[column] = (cells | loose) & out[column].notna().to_numpy()
    return out_cells


def _units(out: pd.DataFrame) -> tuple[np.ndarray, int, np.ndarray]:
    """Each row's unit (a variable in a group: the rows that differ only by statistic or
    category), the number of units, and each row's count (a hidden row's, blank: inf)."""
    keys = key_columns(out)
    units = _group_ids(out, [c for c in keys if c not in ("statistic", "category")])
    counts = (np.nan_to_num(pd.to_numeric(out["n"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan), nan=np.inf) if "n" in out.columns
        else np.ones(len(out)))
    return units, int(units.max()) + 1, counts
