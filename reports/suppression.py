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
(privacy review 12); so is a mean that, with the shares published beside it, rules out
some of the counts a hidden share may stand for (30 answers averaging 3.97 with 15
satisfied: exactly one dissatisfied, privacy review 12c).

On a whole-number variable whose range holds at most 11 values (``telework_days``,
0-5), a group's mean and spread give its answers back with no share beside them: 9
agents averaging 1.22 days, SD 0.67, are eight at 1 and one at 3 (privacy review 12c,
finding 4). Its mean (with the mean's standard error and interval) and standard
deviation are hidden in a group of fewer than ``2 * min_cell`` answers, and in any
group whose answers lie within ``2 * min_cell`` points in all of either end of the
variable's own range (12 averaging 4.92 on 0-5: eleven 5s and one 4), with the
smallest sibling group's in a breakdown; the range comes from ``analysis.profile`` in
private columns (:data:`INTEGER_RANGE`).

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
period is: it would give that period's users back; a place's growth, when the table by
place and year hides its first or last year. The check-in cohorts' sizes add up to
the log's users, which the report publishes: a cohort hidden alone takes the smallest
other cohort with it, so that no hidden cohort's size comes back by difference. In the
attendance tables, a place-year hidden alone takes a partner (the check-ins total would
give it back); a place type's year, or a whole year, of fewer than ``min_cell`` users is
hidden as one block, months with nobody included; and a month with nobody between two
hidden months of a series is hidden too (hidden months between zeros were one person's
calendar).

A value that is one respondent's own (a quartile, or a bound of its interval: the
largest company's size) comes with a column ``<column>_beyond`` counting the
respondents at or beyond it on its nearer tail: the value is hidden, cell by cell, when
they are fewer than ``min_cell`` (the row stays), and the ``_beyond`` columns are not
published.

The rules live in small modules, one concept each, and :func:`suppress` applies them in
turn: the count rule and what a hidden row loses (:mod:`reports._suppression_rows`),
cells of the rows kept (sub-counts, "no opinion" counts, one respondent's values, tests:
:mod:`reports._suppression_parts`), means and spreads of small or partly hidden
distributions (:mod:`reports._suppression_means`), the p % rule of company magnitudes
(:mod:`reports._suppression_dominance`), and the attendance tables' margins
(:mod:`reports._suppression_attendance`). The columns analysis writes for these rules
only (:data:`PRIVATE_COLUMNS`, and the ``_beyond`` tail counts) are read, then left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reports._suppression_attendance import (COHORT_USERS, SERIES_MONTH_USERS,
                                             SERIES_PLACE_USERS, SERIES_USERS, YEAR_USERS,
                                             PLACE_YEARS, _cohort_rows, _growth_cells,
                                             _growth_rows, _margin_rows)
from reports._suppression_dominance import (DOMINANCE, DOMINANCE_P, DOMINANCE_PARTS,
                                            DOMINANCE_SPREAD, _dominance_cells)
from reports._suppression_means import (INTEGER_RANGE, _integer_mean_cells,
                                        _second_moment_cells, _share_mean_cells)
from reports._suppression_parts import (BEYOND, NO_ANSWER, NO_OPINION, _TEST_COLUMNS,
                                        _extreme_values, _hidden_subcounts,
                                        _no_opinion_cells, _untested_cells, _untold_tests)
from reports._suppression_rows import (HIDDEN_CELLS, KEPT_ON_HIDDEN, SUPPRESSED, _blank,
                                       blank_cells, hidden_parts, hidden_rows,
                                       key_columns, numeric_columns)

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
    "PRIVATE_COLUMNS",
    "NO_OPINION",
    "NO_ANSWER",
    "DOMINANCE",
    "DOMINANCE_PARTS",
    "DOMINANCE_SPREAD",
    "DOMINANCE_P",
    "SERIES_MONTH_USERS",
    "SERIES_PLACE_USERS",
    "COHORT_USERS",
]

#: Smallest cell for anything derived from free-text answers.
FREE_TEXT_MIN_CELL = 10
#: Columns analysis writes for the suppression only (a company profile's p % rule
#: margins and parts, the attendance tables' series minima and distinct users of a
#: series or a year, the check-in cohorts' sizes, a whole-number variable's range): read by the rules, never published. A
#: value's tail count (``<column>_beyond``, :data:`BEYOND`) is left out too.
PRIVATE_COLUMNS = frozenset({DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD,
                             SERIES_MONTH_USERS, SERIES_PLACE_USERS, SERIES_USERS,
                             YEAR_USERS, COHORT_USERS, *INTEGER_RANGE})


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
        of the same answers is hidden (:func:`_share_mean_cells`), and so is a small
        group's or a near-end mean of a few whole numbers, with its spread
        (:func:`_integer_mean_cells`; the private range columns are left out).

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
    hidden = _cohort_rows(data, hidden, min_cell)
    hidden = _growth_rows(data, hidden, min_cell)
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
    out = blank_cells(out, extremes)
    out = blank_cells(out, _dominance_cells(data, out, hidden, group_columns))
    out = blank_cells(out, _share_mean_cells(out, hidden, group_columns, min_cell, counts))
    out = blank_cells(out, _integer_mean_cells(out, hidden, group_columns, min_cell))
    untested = _untested_cells(out, hidden)
    out = blank_cells(out, untested)
    if any(column in out.columns for column in _TEST_COLUMNS):   # a table with group tests
        out = _untold_tests(out, hidden | np.logical_or.reduce(
            [np.zeros(len(out), dtype=bool), *untested.values()]))
    out = blank_cells(out, _second_moment_cells(out, hidden, group_columns))
    out = blank_cells(out, _growth_cells(out, hidden))
    out = out.drop(columns=[c for c in out.columns if c in PRIVATE_COLUMNS
                            or (c.endswith(BEYOND) and c[:-len(BEYOND)] in out.columns)])
    out.attrs.pop(PLACE_YEARS, None)   # the growth rule's copy of the place-years table
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
