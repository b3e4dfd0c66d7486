"""The core count rule of small-cell suppression: which rows to hide, and what a hidden
row loses.

Primary suppression hides every row whose respondent count is below ``min_cell`` but
above zero (:func:`hidden_rows`); secondary suppression hides, in each breakdown group,
a sibling beside a lone hidden cell (or the group's total row), until nothing changes.
:func:`hidden_parts` does the same for disjoint parts of a published total (sub-counts of
a row, rows of a margin). A hidden row keeps its labels and loses every number
(:func:`_blank`); a hidden cell of a kept row is blanked and named in
:data:`HIDDEN_CELLS` (:func:`blank_cells`). The rules are described as a whole in
:mod:`reports.suppression`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "SUPPRESSED",
    "HIDDEN_CELLS",
    "KEPT_ON_HIDDEN",
    "key_columns",
    "numeric_columns",
    "hidden_rows",
    "hidden_parts",
    "blank_cells",
]


#: Name of the boolean column flagging the hidden rows of a suppressed table.
SUPPRESSED = "suppressed"

#: Column naming, row by row, the cells hidden in a row otherwise published (comma-
#: separated column names; empty or missing when none): the page marks them as hidden.
HIDDEN_CELLS = "hidden_cells"

#: Text columns that describe a row rather than identify it (never breakdown keys).
_DESCRIPTIVE = frozenset({"method", "test", "verdict", "note", "notes", "label", "unit",
                          HIDDEN_CELLS})

#: Numeric columns that name a row (a month of a curve, months since arrival, a
#: quantile's level, a band's bounds): kept on a hidden row, as its text labels are.
_NUMBER_LABELS = frozenset({"time", "period_index", "probability", "lower", "upper"})

#: A reference's published figure and base n, shown beside a hidden pilot figure.
_PUBLISHED = frozenset({"baseline", "baseline_n"})

#: Numeric columns a hidden row keeps (its labels, a reference's published figure).
KEPT_ON_HIDDEN = _NUMBER_LABELS | _PUBLISHED

#: Text columns that say what the numbers say (a comparison's verdict), or were written
#: from them (an analysis note: "tested on n = 205.5" gave a hidden split back, privacy
#: review 11): hidden with them.
_DERIVED_TEXT = frozenset({"verdict", "verdict_fr", "verdict_en", "note", "note_fr",
                           # an interval's method is chosen from the value ("beta" at 0 %
                           # and 100 %, logit between): it told hidden shares of 0 %
                           # apart from the others (privacy review 12, finding 5)
                           "method"})


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding numbers (booleans are labels, not numbers).

    Examples
    --------
    >>> numeric_columns(pd.DataFrame({"a": ["x"], "n": [3], "b": [True], "e": [0.5]}))
    ['n', 'e']
    """
    return [
        column for column, dtype in frame.dtypes.items()
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    ]


def key_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that identify a row: the non-numeric ones, minus descriptive text.

    Examples
    --------
    >>> frame = pd.DataFrame({"dept": ["A"], "method": ["wilson"], "n": [3]})
    >>> key_columns(frame)
    ['dept']
    """
    numeric = set(numeric_columns(frame))
    return [c for c in frame.columns if c not in numeric and c not in _DESCRIPTIVE]


def _group_ids(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Integer id of each row's group over ``columns`` (all zeros without columns)."""
    if not columns:
        return np.zeros(len(frame), dtype=np.int64)
    grouped = frame.groupby(columns, dropna=False, sort=False, observed=True)
    return grouped.ngroup().to_numpy()


def _protect(gid: np.ndarray, cell: np.ndarray, counts: np.ndarray,
             hidden: np.ndarray) -> bool:
    """One pass of secondary suppression over the groups ``gid``; True if it hid more.

    In each group holding exactly one hidden cell, hide its smallest visible cell that
    is not empty; when there is none, hide the group's total rows (``~cell``).
    """
    size = int(gid.max()) + 1 if len(gid) else 0
    lone_hidden = np.bincount(gid[cell & hidden], minlength=size) == 1
    # an empty cell protects nothing: everyone can tell it is empty (a 0 shown elsewhere,
    # or "nobody" in a category), so hiding it beside the small one gives that one away
    useful = cell & ~hidden & (counts != 0)
    visible = np.bincount(gid[useful], minlength=size)
    candidates = np.flatnonzero(useful & lone_hidden[gid])
    before = hidden.sum()
    if candidates.size:
        order = np.lexsort((candidates, counts[candidates], gid[candidates]))
        ranked = candidates[order]
        first = np.r_[True, gid[ranked][1:] != gid[ranked][:-1]]
        hidden[ranked[first]] = True
    orphan = lone_hidden & (visible == 0)
    hidden |= ~cell & orphan[gid]
    return hidden.sum() > before


def _siblings(data: pd.DataFrame, keys: list[str], column: str,
              total_row: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """The groups of rows that differ only in ``column`` (an id per row), and which rows
    are cells rather than the group's total row."""
    gid = _group_ids(data, [c for c in keys if c != column])
    cell = np.ones(len(data), dtype=bool)
    if column in total_row:
        cell = (data[column] != total_row[column]).to_numpy(dtype=bool)
    return gid, cell


def _small_margin(gid: np.ndarray, cell: np.ndarray, counts: np.ndarray,
                  min_cell: int) -> np.ndarray:
    """Rows of the groups whose cells add up to fewer than ``min_cell`` people: every
    cell of such a group is hidden, its empty cells too. The one agent of a department,
    hidden in the profile, is otherwise found in the breakdown by service as the only
    non-zero cell of that department's row (the zeros place them)."""
    size = int(gid.max()) + 1 if len(gid) else 0
    sums = np.bincount(gid[cell], weights=np.nan_to_num(counts[cell]), minlength=size)
    return ((sums > 0) & (sums < min_cell))[gid]


def hidden_rows(
    data: pd.DataFrame,
    count_column: str,
    *,
    group_columns: Sequence[str] = (),
    total_row: Mapping[str, object] | None = None,
    min_cell: int = 5,
    hidden: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the rows to hide, primary and secondary suppression together.

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy table.
    count_column : str
        The column counting the respondents each row rests on.
    group_columns : sequence of str
        Columns defining the cells of a breakdown; siblings are rows that share every
        other key column (:func:`key_columns`).
    total_row : mapping, optional
        Group column -> the value its total rows carry (``{"department": "all"}``).
    min_cell : int
        Rows resting on fewer respondents are hidden.
    hidden : numpy.ndarray of bool, optional
        Rows to hide whatever their count (hidden for another reason), protected alike.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> frame = pd.DataFrame({"dept": ["A", "B", "C", "all"], "n": [3, 20, 30, 53]})
    >>> hidden_rows(frame, "n", group_columns=["dept"], total_row={"dept": "all"})
    array([ True,  True, False, False])
    """
    counts = pd.to_numeric(data[count_column], errors="coerce").astype(float).to_numpy()
    # A zero count rests on nobody: publishing it reveals no one, and hiding it would
    # cascade into hiding large siblings. NaN counts compare False: nothing to protect.
    small = (counts > 0) & (counts < min_cell)
    hidden = small if hidden is None else small | np.asarray(hidden, dtype=bool)
    keys = key_columns(data)
    total_row = dict(total_row or {})
    groupings = [_siblings(data, keys, column, total_row) for column in group_columns]
    for gid, cell in groupings:  # a category with too few people in all the groups
        hidden |= _small_margin(gid, cell, counts, min_cell)
    protected = np.nan_to_num(counts, nan=np.inf)
    changed = bool(groupings)
    while changed:
        changed = False
        for gid, cell in groupings:
            changed |= _protect(gid, cell, protected, hidden)
    return hidden


def hidden_parts(values: np.ndarray, groups: np.ndarray, totals: np.ndarray,
                 hidden: np.ndarray | None = None, min_cell: int = 5, *,
                 empty_protects: bool = False,
                 prefer: np.ndarray | None = None) -> np.ndarray:
    """Cells to hide among disjoint parts of published totals.

    A cell is hidden when it counts fewer than ``min_cell`` people (an empty cell rests
    on nobody and stays). Then, group by group, what the hidden cells add up to is known
    by difference (the group's total minus its visible cells): as long as that rest is
    between 1 and ``min_cell - 1`` people, or is the value of a lone hidden cell, the
    group's smallest visible non-empty cell is hidden too. Hiding every non-empty cell
    leaves the total itself, which the caller publishes only when it is empty or rests
    on ``min_cell`` people or more.

    Parameters
    ----------
    values : numpy.ndarray
        The cells' counts (NaN: not a count, never hidden here).
    groups : numpy.ndarray of int
        The group of each cell (``0 .. n_groups - 1``).
    totals : numpy.ndarray
        The total of each group, as published or recoverable (NaN: unknown, so the
        group's cells need only be large enough themselves).
    hidden : numpy.ndarray of bool, optional
        Cells hidden already (those of a hidden row, or hidden for another total):
        they count as hidden parts.
    min_cell : int
        Smallest number of people a published figure may rest on.
    empty_protects : bool
        Whether hiding an empty cell protects the others (the returning users of a
        month whose new users are hidden: shown as 0, they give the new ones away).
        Where readers can tell an empty cell anyway (a flat survival curve shows that
        nobody left), it does not: False.
    prefer : numpy.ndarray of bool, optional
        Cells to hide first when protecting others (among them, the smallest).

    Returns
    -------
    numpy.ndarray of bool
        ``hidden`` with the cells hidden here.

    Examples
    --------
    12 users, 9 new and 3 returning: the 3 is hidden, and the 9 with it (12 - 9 = 3).

    >>> hidden_parts(np.array([9, 3, 20, 10]), np.array([0, 0, 1, 1]),
    ...              np.array([12, 30]))
    array([ True,  True, False, False])
    """
    values = np.asarray(values, dtype=float)
    groups = np.asarray(groups, dtype=np.int64)
    totals = np.asarray(totals, dtype=float)
    out = (np.zeros(len(values), dtype=bool) if hidden is None
           else np.array(hidden, dtype=bool, copy=True))
    out |= (values > 0) & (values < min_cell)
    size = len(totals)
    counted = np.nan_to_num(values)
    pool = ~np.isnan(values) & ((values > 0) | empty_protects)
    later = np.zeros(len(values), dtype=bool) if prefer is None else ~np.asarray(prefer, bool)
    while True:  # each pass hides one more cell in every group still short
        shown = ~out
        rest = totals - np.bincount(groups[shown], weights=counted[shown], minlength=size)
        lone = np.bincount(groups[out & ~np.isnan(values)], minlength=size) == 1
        # whole people; NaN (an unknown total) compares False
        short = (rest > 0.5) & ((rest < min_cell - 0.5) | lone)
        candidates = np.flatnonzero(shown & pool & short[groups])
        if candidates.size == 0:
            return out
        order = np.lexsort((candidates, values[candidates], later[candidates],
                            groups[candidates]))
        ranked = candidates[order]
        first = np.r_[True, groups[ranked][1:] != groups[ranked][:-1]]
        out[ranked[first]] = True


def _margin_groups(data: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Group id of each row over ``keys``; ``"period:Y"`` groups a date column by the
    pandas frequency after the colon (the year of a month)."""
    columns = {}
    for key in keys:
        name, _, freq = str(key).partition(":")
        column = data[name]
        columns[key] = column.dt.to_period(freq) if freq else column
    frame = pd.DataFrame(columns, index=data.index)
    return _group_ids(frame, list(frame.columns))


def blank_cells(frame: pd.DataFrame, cells: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """A copy of ``frame`` with the ``cells`` (column -> boolean mask of rows) missing,
    each row's hidden columns named in :data:`HIDDEN_CELLS`; an integer column becomes
    nullable ``Int64``.

    Examples
    --------
    >>> out = blank_cells(pd.DataFrame({"n": [3, 9]}), {"n": np.array([True, False])})
    >>> out["n"].tolist(), out["hidden_cells"].tolist()
    ([<NA>, 9], ['n', ''])
    """
    out = frame.copy()
    marks = (out[HIDDEN_CELLS].fillna("").astype(str) if HIDDEN_CELLS in out
             else pd.Series("", index=out.index, dtype=object))
    marked = False
    for column, mask in cells.items():
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            continue
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")
        out.loc[mask, column] = pd.NA if out[column].dtype == "Int64" else np.nan
        joined = (marks + "," + column).str.lstrip(",")
        marks = marks.where(~mask, joined)
        marked = True
    if marked:
        out[HIDDEN_CELLS] = marks
    return out


def _blank(frame: pd.DataFrame, hidden: np.ndarray, keep: Sequence[str] = ()) -> pd.DataFrame:
    """Set every numeric column, every boolean one not in ``keep`` and every verdict and
    analysis note of the ``hidden`` rows to missing (a flag such as ``little_used`` or a verdict such as
    "higher than the reference" is derived from the same few people)."""
    out = frame.copy()
    if not hidden.any():
        return out
    for column in _DERIVED_TEXT.intersection(out.columns):  # "higher than the reference"
        out[column] = out[column].astype(object)
        out.loc[hidden, column] = None
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]) and column not in keep:
            out[column] = out[column].astype("boolean")
            out.loc[hidden, column] = pd.NA
    for column in numeric_columns(out):
        if column in _NUMBER_LABELS or column in _PUBLISHED:  # not about the pilot's people
            continue
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")
        out.loc[hidden, column] = pd.NA if out[column].dtype == "Int64" else np.nan
    return out
