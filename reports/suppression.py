"""Small-cell suppression: no published figure rests on fewer than ``min_cell`` people.

Primary suppression hides every row whose respondent count is below ``min_cell`` (at
least 10 for tables derived from free text) but above zero: an empty cell rests on
nobody. Secondary suppression then makes sure a
hidden row cannot be worked out from what is left: within a breakdown group (rows that
differ only in one of the table's ``group_columns``), when exactly one cell is hidden
the smallest visible sibling is hidden too; when the hidden cell has no sibling, the
group's total row is hidden instead. The two steps repeat until nothing changes, so a
cell hidden by one breakdown is protected in the others too.

A hidden row keeps its labels (the key columns) but loses every number: all numeric
columns (and boolean flags that are not breakdown columns) become missing, not only the count, since an estimate, its interval and its
standard error all describe the same few people. The returned table carries a boolean
``suppressed`` column so that a reader can tell a hidden value from one that could not
be estimated.

A row kept can still hold counts of parts of its people (the month's 12 users: 9 new,
3 returning). Those sub-counts (a table's ``subcount_columns``) are hidden cell by cell
(:func:`hidden_parts`): a part of fewer than ``min_cell`` people, and then, as long as
the row's count minus its visible parts is between 1 and ``min_cell - 1`` or is a lone
hidden part, the smallest visible part too, so that the hidden ones cannot be worked
out by difference (9 = 12 - 3 is hidden with the 3). The row itself stays published and
unflagged. Sums of a sub-count that another table publishes (a year's new users, from
the table by place and year) are protected the same way (``subcount_margins``).

A row's count of "no opinion" answers (``nonsubstantive``: "ne sait pas", outside the
row's ``n``) is an answer too: under ``min_cell`` it is hidden, cell by cell, with the
row's count of people who did not answer (else the group's size minus both would give
it back), and with as many sibling rows' counts as keep it from being worked out from
the whole table's. Counts of people who did not answer are otherwise published: they
say nothing of anyone's answer, and are the group's size minus its answers anyway. So
is the sum of the two (the group's size minus ``n``): where no one left the question
blank, it is the "no opinion" count, which is then read as an absence of opinion,
not protected further (hiding ``n`` would not do: the row's shares give it back).

Where part of a distribution is hidden (a share of a question, a quartile of a
variable, in its group), its spread is hidden too: the mean's standard error and
interval and the standard deviation. On a 1-5 scale, n, the mean and its standard error
give the sum of the scores and of their squares, and with one visible share the count
of every score follows. Where a share is hidden, the mean itself is hidden too (with the
smallest sibling group's, in a breakdown): n times the mean is the sum of the scores,
and for a group of 5 a mean of 4.2 beside hidden shares leaves two sets of answers
(privacy review 12).

A company source's magnitudes (a department's mean number of eligible employees: with
n, its total) follow the p % dominance rule of business statistics: they are hidden
when the group's total minus its two largest values is under 10 % of the largest
(:func:`_dominance_cells`), with as many sibling groups' means as make the hidden
groups together (the whole's total minus the published groups') pass the rule too; the
margin, and each group's total and two largest values, come from ``analysis.profile``
in private ``dominance`` columns, left out of the output.

A test between a breakdown's groups (its statistic, degrees of freedom and p-values,
repeated on each row of the variable) is hidden on every row of a variable whose table
has a hidden row or a hidden count: a test is a known function of its table, and its
exact value usually fits only one of the tables that add up to the published margins.

A period's growth (its users over the previous period's) is hidden when the previous
period is: it would give that period's users back.

A value that is one respondent's own (a quartile, or a bound of its interval: the
largest company's size) comes with a column ``<column>_beyond`` counting the
respondents at or beyond it on its nearer tail: the value is hidden, cell by cell, when
they are fewer than ``min_cell`` (the row stays), and the ``_beyond`` columns are not
published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "SUPPRESSED",
    "HIDDEN_CELLS",
    "KEPT_ON_HIDDEN",
    "FREE_TEXT_MIN_CELL",
    "BEYOND",
    "key_columns",
    "numeric_columns",
    "hidden_rows",
    "hidden_parts",
    "blank_cells",
    "suppress",
    "suppress_table",
]

#: Name of the boolean column flagging the hidden rows of a suppressed table.
SUPPRESSED = "suppressed"
#: Column naming, row by row, the cells hidden in a row otherwise published (comma-
#: separated column names; empty or missing when none): the page marks them as hidden.
HIDDEN_CELLS = "hidden_cells"
#: Smallest cell for anything derived from free-text answers.
FREE_TEXT_MIN_CELL = 10
#: Suffix of a column counting the respondents at or beyond another column's value on
#: its nearer tail (``ci_high_beyond``), as ``analysis._cell_counts.BEYOND`` writes it.
BEYOND = "_beyond"
#: Column counting a row's "no opinion" answers ("ne sait pas"), outside its ``n``.
NO_OPINION = "nonsubstantive"
#: Column of a company profile giving each numeric row's group's p % rule margin (its
#: total minus its two largest values, over the largest), as ``analysis.profile.DOMINANCE``
#: writes it: read by :func:`_dominance_cells`, never published.
DOMINANCE = "dominance"
#: Columns of a company profile beside :data:`DOMINANCE`: each numeric row's group's
#: total, largest and second largest value, as ``analysis.profile.DOMINANCE_PARTS``
#: writes them (for the p % rule on a union of groups): never published.
DOMINANCE_PARTS = ("dominance_total", "dominance_largest", "dominance_second")
#: The p % rule's margin of the squares, as ``analysis.profile.DOMINANCE_SPREAD`` writes
#: it: read by :func:`_dominance_cells` for the spread, never published.
DOMINANCE_SPREAD = "dominance_spread"
#: The p % rule's p: a business magnitude is published only if its group's total minus
#: its two largest contributions is at least this share of the largest.
DOMINANCE_P = 0.10
#: A distribution's magnitude figures, hidden together by the dominance rule.
_MAGNITUDES = ("mean", "sd", "q1", "median", "q3", "min", "max")
#: Columns counting a row's people who gave no answer at all (published: they say
#: nothing of anyone's answer, and are the group's size minus its answers anyway).
NO_ANSWER = ("missing", "n_missing")
#: A test between the groups of a breakdown, repeated on each row of its variable.
_TEST_COLUMNS = ("test_statistic", "df", "df_denominator", "p_value", "p_adjusted",
                 "effect_size")
#: Cells whose hiding leaves the variable's test able to give them back.
_TESTED_CELLS = ("n", "count", "estimate", "se", "ci_low", "ci_high")
#: Text columns that describe a row rather than identify it (never breakdown keys).
_DESCRIPTIVE = frozenset({"method", "test", "verdict", "note", "notes", "label", "unit",
                          HIDDEN_CELLS})


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


def _hidden_subcounts(data: pd.DataFrame, count_column: str, columns: Sequence[str],
                      rows: np.ndarray, min_cell: int,
                      margins: Mapping[str, Sequence[str]] | None = None,
                      ) -> dict[str, np.ndarray]:
    """The cells of ``columns`` (parts of ``count_column``'s people) to hide in the
    rows kept (``~rows``): :func:`hidden_parts` with one group per row, and for each
    column of ``margins`` with the groups of rows whose sum is published elsewhere,
    until neither hides more."""
    columns = list(columns)
    if not columns or not len(data):
        return {}
    values = np.column_stack([pd.to_numeric(data[c], errors="coerce").astype(float)
                              .to_numpy() for c in columns])
    totals = pd.to_numeric(data[count_column], errors="coerce").astype(float).to_numpy()
    totals = np.where(rows, np.nan, totals)  # a hidden row's count is not published
    groups = np.repeat(np.arange(len(data)), len(columns))
    sums = {}
    for column, keys in (margins or {}).items():
        gid = _margin_groups(data, keys)
        j = columns.index(column)
        sums[j] = gid, np.bincount(gid, weights=np.nan_to_num(values[:, j]))
    # a cell protects another of its margin group only if its row has another part
    # that is not empty (else it is the row's count minus zeros)
    parts = (values > 0).sum(axis=1, keepdims=True) - (values > 0)
    hidden = np.repeat(rows, len(columns)).reshape(values.shape)
    before = -1
    while hidden.sum() != before:
        before = hidden.sum()
        hidden = hidden_parts(values.ravel(), groups, totals, hidden.ravel(), min_cell,
                              empty_protects=True).reshape(values.shape)
        for j, (gid, total) in sums.items():
            hidden[:, j] = hidden_parts(values[:, j], gid, total, hidden[:, j], min_cell,
                                        prefer=parts[:, j] > 0)
    cells = {c: hidden[:, j] & ~rows for j, c in enumerate(columns)}
    return {c: mask for c, mask in cells.items() if mask.any()}


def _no_opinion_cells(data: pd.DataFrame, rows: np.ndarray, group_columns: Sequence[str],
                      total_row: Mapping | None, min_cell: int) -> dict[str, np.ndarray]:
    """The cells of :data:`NO_OPINION` to hide in the rows kept (``~rows``), and with
    each the row's :data:`NO_ANSWER` counts.

    A count of "no opinion" answers of fewer than ``min_cell`` people is hidden; the
    sibling rows of a breakdown add up to the whole table's count, published in the
    table without the breakdown, so :func:`hidden_parts` hides as many siblings' counts
    as it takes for the hidden ones not to be worked out by difference (a hidden row's
    small count is protected too). The row's count of people who did not answer is
    hidden with it: the group's size minus its answers and its non-answers would give
    it back."""
    if NO_OPINION not in data or not len(data):
        return {}
    values = pd.to_numeric(data[NO_OPINION], errors="coerce").astype(float).to_numpy()
    hidden = (values > 0) & (values < min_cell)
    keys, total_row = key_columns(data), dict(total_row or {})
    groupings = []
    for column in group_columns:
        gid, cell = _siblings(data, keys, column, total_row)
        gid = np.where(cell, gid, gid.max() + 1 + np.arange(len(data)))  # a total: alone
        groupings.append((gid, np.bincount(gid, weights=np.nan_to_num(values))))
    before = -1
    while hidden.sum() != before:
        before = hidden.sum()
        for gid, totals in groupings:
            # a hidden row's count is not shown: hiding it to protect others costs nothing
            hidden = hidden_parts(values, gid, totals, hidden, min_cell, prefer=rows)
    hidden &= ~rows
    if not hidden.any():
        return {}
    return {column: hidden for column in (NO_OPINION, *NO_ANSWER) if column in data}


def _untested_cells(out: pd.DataFrame, hidden: np.ndarray) -> dict[str, np.ndarray]:
    """The test columns to hide on the rows still published: every row of a variable
    (``variable``) whose table by group has a hidden row or any hidden figure (a count,
    a share, a mean's spread, a quartile or one of its bounds).

    A test between groups is a known function of the whole table: among the tables that
    fit the published margins, usually only one gives the published p-value or
    statistic (a Fisher test's p gave back a hidden 6 + 1 split, a Rao-Scott statistic
    the 7 women and 1 man among 8 managers). So a variable's test is published only
    when every cell of its table is.
    """
    tests = [c for c in _TEST_COLUMNS if c in out.columns]
    if "variable" not in out.columns or not tests:
        return {}
    touched = hidden.copy()
    if HIDDEN_CELLS in out.columns:
        # any hidden figure of the variable counts, a quartile or a bound hidden by its
        # tail too: a rank test's statistic with the published levels gave back whole
        # hidden distributions of 2 to 4 companies (privacy review 11)
        pattern = "(?:^|,)(?:" + "|".join(_TESTED_CELLS) + ")(?:,|$)"
        touched |= out[HIDDEN_CELLS].fillna("").astype(str).str.contains(pattern).to_numpy()
    if not touched.any():
        return {}
    rows = out["variable"].isin(out.loc[touched, "variable"].unique()).to_numpy() & ~hidden
    return {column: rows & out[column].notna().to_numpy() for column in tests}


def _untold_tests(out: pd.DataFrame, withheld: np.ndarray) -> pd.DataFrame:
    """Blank the ``test`` name on the rows of a variable whose test is withheld (hidden
    rows included): the name is chosen from the data (Fisher's test for a 2 x 2 table
    observed, "none: fewer than two categories" when everybody gave one answer), so on a
    wholly hidden variable it said which hidden values exist (privacy review 12)."""
    if "test" not in out.columns or "variable" not in out.columns or not withheld.any():
        return out
    rows = out["variable"].isin(out.loc[withheld, "variable"].unique()).to_numpy()
    out = out.copy()
    out["test"] = out["test"].astype(object)
    out.loc[rows, "test"] = None
    return out


#: Statistics that are shares of a question's or variable's answers.
_SHARES = ("top2", "bottom2", "net", "share")


#: The ends of the satisfaction scale whose means :func:`_share_mean_cells` protects.
_SCALE = (1, 5)


def _share_mean_cells(out: pd.DataFrame, hidden: np.ndarray,
                      group_columns: Sequence[str] = (),
                      min_cell: int = 5) -> dict[str, np.ndarray]:
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
    blank every overall mean of the demo and protect nothing). The means of a
    breakdown's groups add up, over their n, to the whole table's: a lone hidden mean
    among its siblings takes the smallest sibling's with it.
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
    if not touched.any() or not means.any():
        return {}
    keys = key_columns(out)
    units = _group_ids(out, [c for c in keys if c not in ("statistic", "category")])
    size = int(units.max()) + 1
    counts = (np.nan_to_num(pd.to_numeric(out["n"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan), nan=np.inf) if "n" in out.columns
        else np.ones(len(out)))
    small = counts < 2 * min_cell   # the mean's own n (a hidden row's is blank: inf)
    mean = pd.to_numeric(out["estimate"], errors="coerce").to_numpy(dtype=float,
                                                                    na_value=np.nan)
    with np.errstate(invalid="ignore"):   # points short of every answer at an end
        short = np.fmin(counts * (_SCALE[1] - mean), counts * (mean - _SCALE[0]))
    small |= short < 2 * min_cell
    mask = (np.bincount(units[touched], minlength=size) > 0)[units] & means & ~hidden & small
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


def _union_margin(total: np.ndarray, largest: np.ndarray, second: np.ndarray,
                  members: np.ndarray) -> float:
    """The p % rule's margin of the union of the ``members`` groups (rows of the
    per-group ``total``, ``largest`` and ``second``): its total minus its two largest
    contributions, over the largest; the two largest of a union are among its groups'
    two largest. NaN where the largest is 0 (nothing to protect)."""
    tops = np.sort(np.concatenate([largest[members], second[members]]))[::-1]
    tops = np.nan_to_num(np.r_[tops, 0.0, 0.0])
    if not tops[0] > 0:
        return np.nan
    return float((np.nansum(total[members]) - tops[0] - tops[1]) / tops[0])


def _dominance_cells(data: pd.DataFrame, out: pd.DataFrame, hidden: np.ndarray,
                     group_columns: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """The magnitude cells of ``out`` to hide by the dominance rule (companies' sizes): a
    group's mean, standard deviation and quartiles (their estimate and interval; not its
    ``n``) where its largest contributor dominates its total, by the p % rule; read on
    ``data``, the table before its hidden rows were blanked.

    Five firms of a department, one of 400 eligible employees and four under 10: the
    mean (84.4) times n gives the total 422, and the public size bands put the large
    firm between 386 and 418 (privacy review 12). Statistical offices protect business
    magnitudes by a sensitivity rule rather than a count (Hundepool et al., *Statistical
    Disclosure Control*, Wiley 2012, section 4.2): the p % rule, preferred there to the
    (n, k) dominance rule since it states what the rule is for, hides a total when the
    second largest contributor, who knows its own value, could estimate the largest to
    within p %: ``total - x1 - x2 < p * x1``. Here p = 10 % (:data:`DOMINANCE_P`), on
    the margin ``analysis.profile`` writes in :data:`DOMINANCE`.

    Secondary suppression: a mean is a total over a published n, and the groups' totals
    add up to the whole table's (published without the breakdown); so the whole's total
    minus the published groups' gives the hidden groups' total together (their union),
    which must pass the p % rule too. Two departments with one large firm each, hidden
    for their own dominance, hide each other, but their union is dominated by the two
    firms: each one, knowing its own size, put the other's within 5 % (second review 12,
    finding B). So, in a breakdown, while the union of a variable's hidden means (hidden
    for dominance or as small rows) fails the rule, the sibling group's mean that gives
    the union the largest margin is hidden too (and its standard deviation), until the
    union passes or every group's mean is hidden. The largest margin rather than the
    largest or smallest total: a sibling with a large total that is itself one large
    firm adds a new dominant contributor, and each sibling taken costs the same cells,
    so the one that most dilutes the large contributors protects them with the fewest
    groups (a sibling of total 0 protects nothing). The groups' totals and their two
    largest values come from ``analysis.profile``'s private :data:`DOMINANCE_PARTS`.
    """
    if DOMINANCE not in data.columns or not {"statistic", "variable"} <= set(data.columns):
        return {}

    def values(column: str) -> np.ndarray:
        return pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float,
                                                                     na_value=np.nan)

    margin = values(DOMINANCE)
    total, largest, second = (values(column) for column in DOMINANCE_PARTS)
    statistic = data["statistic"].astype(str).to_numpy()
    means = statistic == "mean"
    spread = _dominated_spread(data, out, hidden, values, statistic)
    magnitude = np.isin(statistic, _MAGNITUDES) & ~hidden
    dominated = magnitude & (margin < DOMINANCE_P)   # NaN (nothing to protect): False
    if not (dominated.any() or (hidden & means).any()):
        return spread
    private = {DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD}
    keys = [c for c in key_columns(data) if c not in private]
    units = _group_ids(data, [c for c in keys if c not in ("statistic", "category")])
    size = int(units.max()) + 1
    mask = (np.bincount(units[dominated], minlength=size) > 0)[units] & magnitude
    off = (mask | hidden) & means   # the means a reader does not see
    siblings = [_group_ids(data, [c for c in keys if c != column])
                for column in group_columns if column != "category"]
    changed = bool(siblings)
    while changed:   # a mean hidden in one breakdown changes the unions of the others
        changed = False
        for gid in siblings:
            for group in np.unique(gid[off]):   # a handful of groups: a loop is fine
                members = np.flatnonzero(off & (gid == group))
                candidates = np.flatnonzero(means & ~off & (gid == group))
                while candidates.size and _union_margin(
                        total, largest, second, members) < DOMINANCE_P:
                    gains = [_union_margin(total, largest, second, np.r_[members, c])
                             for c in candidates]
                    best = candidates[int(np.argmax(np.nan_to_num(gains, nan=np.inf)))]
                    off[best] = changed = True
                    members = np.r_[members, best]
                    candidates = candidates[candidates != best]
    # a sibling taken for its mean loses its standard deviation too (with n and the
    # whole's, it would give the sum of squares back)
    taken = (np.bincount(units[off & ~hidden], minlength=size) > 0)[units]
    mask |= taken & np.isin(statistic, ("mean", "sd")) & ~hidden
    return {column: (mask | spread.get(column, False)) & out[column].notna().to_numpy()
            for column in ("estimate", "se", "ci_low", "ci_high") if column in out.columns}


def _dominated_spread(data: pd.DataFrame, out: pd.DataFrame, hidden: np.ndarray, values,
                      statistic: np.ndarray) -> dict[str, np.ndarray]:
    """The spread cells to hide where the p % rule fails on the squares: a standard
    deviation (and a mean's standard error and interval, which give it with n) gives
    the sum of squares, nearly all of it one large firm's. The overall SD of 27
    companies with the public size bands placed a 400-employee firm within 2 %
    (privacy review 12c); the whole's spread follows from its groups' with their means
    and n, so the variable's spread goes in every group and in the whole.
    """
    if DOMINANCE_SPREAD not in data.columns:
        return {}
    crowded = np.isin(statistic, ("mean", "sd")) & ~hidden & (
        values(DOMINANCE_SPREAD) < DOMINANCE_P)   # NaN (nothing to protect): False
    if not crowded.any():
        return {}
    variables = data["variable"].astype(object).to_numpy()
    rows = np.isin(variables, pd.unique(variables[crowded])) & ~hidden
    sd, mean = rows & (statistic == "sd"), rows & (statistic == "mean")
    return {column: (sd | (mean if column != "estimate" else False))
            & out[column].notna().to_numpy()
            for column in ("estimate", "se", "ci_low", "ci_high") if column in out.columns}


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


#: Private columns of the two attendance tables (``analysis._log_lanes`` writes them):
#: the fewest users of a month, and of a place-year, of the row's type, zone and year.
#: Read by :func:`_series_partner`, never published.
SERIES_MONTH_USERS = "series_month_users"
SERIES_PLACE_USERS = "series_place_users"


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


def _extreme_values(data: pd.DataFrame, rows: np.ndarray, min_cell: int) -> dict[str, np.ndarray]:
    """The cells of each column with a ``<column>_beyond`` companion, in the rows kept
    (``~rows``), whose value has fewer than ``min_cell`` respondents at or beyond it (a
    missing tail count: no constraint)."""
    cells = {}
    for column in data.columns:
        if f"{column}{BEYOND}" in data.columns:
            tails = pd.to_numeric(data[f"{column}{BEYOND}"], errors="coerce").astype(float)
            cells[column] = (tails.to_numpy() < min_cell) & ~rows
    return cells


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


def suppress(
    data: pd.DataFrame,
    count_column: str | None,
    *,
    group_columns: Sequence[str] = (),
    total_row: Mapping[str, object] | None = None,
    min_cell: int = 5,
    subcount_columns: Sequence[str] = (),
    subcount_margins: Mapping[str, Sequence[str]] | None = None,
    count_margins: Sequence[str] = (),
) -> pd.DataFrame:
    """Return a copy of ``data`` safe to publish, with a ``suppressed`` flag column.

    Parameters
    ----------
    data, count_column, group_columns, total_row, min_cell
        As in :func:`hidden_rows`. With ``count_column=None`` (a table not about
        people) the table is returned unchanged.
    subcount_columns : sequence of str
        Columns counting disjoint parts of the row's ``count_column`` people
        (``new_users`` and ``returning_users`` of ``users``): in the rows kept, their
        cells are hidden one by one as :func:`hidden_parts` says (the row is not
        flagged ``suppressed``: its other figures rest on the whole count).
    subcount_margins : mapping, optional
        Sub-count column -> the columns whose groups of rows have its sum published
        elsewhere (``{"new_users": ["type", "zone", "period:Y"]}``: each year's new
        users of a type and zone, from the table by place and year); ``"column:Y"``
        groups a date column by year (any pandas frequency). A hidden cell cannot be
        worked out from those sums either.
    count_margins : sequence of str
        Columns whose groups of rows have their total published elsewhere (a type and
        zone's months, from the yearly table by place): in each group, the hidden rows
        add up to none or ``min_cell`` people and are never alone (:func:`hidden_parts`
        on the rows' counts), the rows hidden so protected among their siblings too;
        so in the whole table, whose total is published as well (:func:`_margin_rows`).

    Returns
    -------
    pandas.DataFrame
        The same rows and columns, numeric values missing on hidden rows (integer
        columns become nullable ``Int64``), plus ``suppressed`` (bool); a value with a
        ``<column>_beyond`` tail count under ``min_cell`` is missing too, and the
        ``_beyond`` columns are left out; so are a company profile's private
        ``dominance`` columns (:data:`DOMINANCE_PARTS` too), once its dominated
        magnitudes are hidden (:func:`_dominance_cells`). A mean beside a hidden share
        of the same answers is hidden (:func:`_share_mean_cells`).

    Examples
    --------
    >>> frame = pd.DataFrame({"dept": ["A", "B", "C"], "n": [3, 20, 30],
    ...                       "estimate": [0.2, 0.5, 0.6]})
    >>> suppress(frame, "n", group_columns=["dept"])
      dept     n  estimate  suppressed
    0    A  <NA>       NaN        True
    1    B  <NA>       NaN        True
    2    C    30       0.6       False

    A row of 12 users of whom 3 are returning publishes its 12, not the 3 nor the 9:

    >>> month = pd.DataFrame({"users": [12, 30], "new_users": [9, 20],
    ...                       "returning_users": [3, 10]})
    >>> suppress(month, "users", subcount_columns=["new_users", "returning_users"])
       users  new_users  returning_users               hidden_cells  suppressed
    0     12       <NA>             <NA>  new_users,returning_users       False
    1     30         20               10                                  False
    """
    if count_column is None:
        return data.copy()
    hidden = hidden_rows(
        data, count_column, group_columns=group_columns, total_row=total_row,
        min_cell=min_cell,
    )
    if count_margins:
        hidden = _margin_rows(data, count_column, count_margins, hidden, group_columns,
                              total_row, min_cell)
    # the attendance tables' private series minima: read above, never published
    data = data.drop(columns=[SERIES_MONTH_USERS, SERIES_PLACE_USERS], errors="ignore")
    counts = pd.to_numeric(data[count_column], errors="coerce").to_numpy(dtype=float)
    if hidden.any() and (hidden | (counts == 0)).all():
        # a table of hidden rows and empty categories is withheld whole: the empty rows'
        # n would still give the hidden groups' sizes (46 - 38 = 8 managers)
        hidden = np.ones(len(data), dtype=bool)
    out = _blank(data, hidden, keep=list(group_columns) + list(total_row or {}))
    out = blank_cells(out, _hidden_subcounts(data, count_column, subcount_columns, hidden,
                                             min_cell, subcount_margins))
    out = blank_cells(out, _no_opinion_cells(data, hidden, group_columns, total_row,
                                             min_cell))
    extremes = _extreme_values(data, hidden, min_cell)
    out = blank_cells(out, extremes).drop(columns=[f"{c}{BEYOND}" for c in extremes])
    out = blank_cells(out, _dominance_cells(data, out, hidden, group_columns))
    out = out.drop(columns=[DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD],
                   errors="ignore")   # private
    out = blank_cells(out, _share_mean_cells(out, hidden, group_columns, min_cell))
    untested = _untested_cells(out, hidden)
    out = blank_cells(out, untested)
    if any(column in out.columns for column in _TEST_COLUMNS):   # a table with group tests
        out = _untold_tests(out, hidden | np.logical_or.reduce(
            [np.zeros(len(out), dtype=bool), *untested.values()]))
    out = blank_cells(out, _second_moment_cells(out, hidden, group_columns))
    out = blank_cells(out, _growth_cells(out, hidden))
    out[SUPPRESSED] = hidden
    return out


def suppress_table(table, min_cell: int = 5) -> pd.DataFrame:
    """Suppress an ``analysis.Table`` with its own settings.

    Tables derived from free text use at least :data:`FREE_TEXT_MIN_CELL`.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> t = Table("words", pd.DataFrame({"word": ["a", "b"], "n": [7, 12]}),
    ...           "tables.words", count_column="n", free_text=True)
    >>> suppress_table(t, 5)["suppressed"].tolist()
    [True, False]
    """
    floor = max(min_cell, FREE_TEXT_MIN_CELL) if table.free_text else min_cell
    return suppress(
        table.data, table.count_column, group_columns=table.group_columns,
        total_row=table.total_row, min_cell=floor,
        subcount_columns=table.subcount_columns, subcount_margins=table.subcount_margins,
        count_margins=getattr(table, "count_margins", ()),
    )
