"""Who took part: a "Table 1" of every variable, in tidy form, with tests between groups.

``profile(survey, by="wave")`` gives, for each categorical, boolean, ordinal or Likert
variable, one row per category (weighted share with its interval, the unweighted share
beside it), for each numeric variable its mean, standard deviation, median and quartiles,
and, when ``by`` is given, one test of difference per variable with p-values adjusted for
the number of variables tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis._adjust import adjust_pvalues
from analysis._data import as_frame, as_list, check_columns, check_option
from analysis._design import (
    Calibration,
    Design,
    Groups,
    check_level,
    factor_codes,
    group_codes,
    make_design,
)
from analysis._group_tests import _categorical_test, _Comparison, _comparison, _numeric_test
from analysis.design_tests import design_wald, rao_scott  # noqa: F401  (documented here)
from analysis.design_estimates import mean_rows, numeric_values, quantile_rows, sd_rows, share_rows
from surveys.errors import SurveyError

__all__ = ["profile", "PROFILE_COLUMNS", "DOMINANCE", "DOMINANCE_PARTS", "DOMINANCE_SPREAD",
           "INTEGER_RANGE"]

#: Columns of :func:`profile` after the ``by`` columns.
PROFILE_COLUMNS = [
    "variable", "category", "statistic", "n", "count", "estimate", "se", "ci_low",
    "ci_high", "unweighted_share", "method", "missing", "test", "test_statistic", "df",
    "df_denominator", "p_value", "p_adjusted",
]
#: Column of a company source's profile (``survey.kind == "company"``) giving, on each
#: numeric row, what its group's other contributors add up to beside the two largest,
#: over the largest: the p % rule's margin (:func:`_margin`). Private: the report's
#: suppression reads it and drops it (``reports.suppression``).
DOMINANCE = "dominance"
#: Columns of a company source's profile beside :data:`DOMINANCE`, on each numeric row:
#: its group's total (absolute values, unweighted), largest and second largest value.
#: The report tests the p % rule on a union of groups with them (the two largest of a
#: union are among its groups' two largest). Private, as :data:`DOMINANCE`.
DOMINANCE_PARTS = ("dominance_total", "dominance_largest", "dominance_second")
#: The p % rule's margin of the squares (:func:`_margin` of the squared values), on each
#: numeric row of a company source: the spread (a standard deviation, or a mean's
#: standard error with n) gives the sum of squares, which one large firm dominates more
#: than the total (privacy review 12c: the overall SD placed a 400-employee firm within
#: 2 %). Private, as :data:`DOMINANCE`.
DOMINANCE_SPREAD = "dominance_spread"
#: Columns of a profile of a Survey, on each row of a codebook ``integer`` variable with a
#: ``range`` (``telework_days``, 0-5): the range's low and high ends. On a range of a few
#: whole numbers, a small group's mean and standard deviation, or a mean close to an
#: end, give the group's answers back (9 agents averaging 1.22 days, SD 0.67: eight 1s
#: and one 3; privacy review 12c, finding 4): the report's suppression reads them and
#: drops them. Private, as :data:`DOMINANCE`; missing on the other rows.
INTEGER_RANGE = ("range_low", "range_high")
#: Sources whose numeric variables are business magnitudes (a firm's employees).
_MAGNITUDE_KINDS = ("company",)
Adjust = Literal["holm", "fdr_bh", "none"]
_ADJUST = ("holm", "fdr_bh", "none")
_CATEGORICAL_TYPES = {"categorical", "ordinal", "likert", "duration_band", "boolean"}
_NUMERIC_TYPES = {"integer", "number"}
_SKIPPED_TYPES = {"id", "text", "date", "month"}
_QUARTILES = {0.25: "q1", 0.5: "median", 0.75: "q3"}
#: ``method`` of a share the calibration margins give (a category no respondent gave).
CALIBRATION_MARGIN = "calibration_margin"


def profile(
    survey,
    variables=None,
    by=None,
    *,
    weights=None,
    strata: str | None = None,
    population=None,
    level: float = 0.95,
    adjust: Adjust = "holm",
    calibration: Calibration | Literal[False] | None = None,
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """Describe every variable (shares, or mean/SD/median/quartiles), optionally by group.

    Parameters
    ----------
    survey : Survey or DataFrame
    variables : str or list of str, optional
        Variables to describe. By default every variable of the codebook that is not an
        identifier, free text, date or personal data (a Survey), or every categorical,
        boolean and numeric column whose name does not end in ``_id`` (a DataFrame).
        Identifier and text columns are skipped even when listed.
    by : str or list of str, optional
        Grouping columns; a test of difference between the groups is added per variable.
    weights : str or array-like, optional
        Sampling or calibration weights (column name or values).
    strata : str, optional
        Column of the design's strata (stratified one-stage design, R
        ``svydesign(ids = ~1, strata = ~s, weights = ~w)``): every estimate and every
        test between groups accounts for them. The strata column is still described
        when it is one of the variables.
    population : float or str, optional
        Size of the surveyed population (a number), or, with ``strata``, a column of each
        respondent's stratum population size: estimates then carry the finite population
        correction, as :func:`analysis.proportion` and :func:`analysis.mean`, and so do
        the design-based tests (weights or strata); the unweighted tests (chi-square,
        Fisher, Kruskal–Wallis) do not, which makes them conservative. A population
        column is not described.
    level : float
        Confidence level of the intervals.
    adjust : {"holm", "fdr_bh", "none"}
        Multiplicity adjustment of the tests across variables.
    calibration : Calibration, False or None
        As in :func:`analysis.proportion`: by default the calibration recorded by
        :func:`analysis.rake` / :func:`analysis.poststratify` on the weights (or on the
        data), used by the estimates and by the weighted tests; ``False`` treats the
        weights as fixed.
    exclude : sequence of str
        Variables left out of the default selection (``analysis.evaluate`` leaves the
        satisfaction items to their own section).

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``variable``, ``category`` (missing for numeric rows),
        ``statistic`` (``share`` for a category; ``mean``, ``sd``, ``median``, ``q1``,
        ``q3`` for a number), ``n`` (answers in the group), ``count`` (answers in the
        category), ``estimate`` (weighted when weighted), ``se``, ``ci_low``,
        ``ci_high`` (missing for ``sd``), ``unweighted_share``, ``method`` (of the
        interval; ``calibration_margin`` for a category of a calibration variable that
        no respondent gave: its share is 0, given by the margins, with ``ci_low`` =
        ``ci_high`` = 0), ``missing`` (missing answers in the group), and the variable's test
        repeated on its rows: ``test``, ``test_statistic``, ``df``, ``df_denominator``,
        ``p_value``, ``p_adjusted``. ``result.attrs["skipped"]`` lists variables left
        out and why. For a Survey whose codebook has ``integer`` variables with a
        ``range``, two more columns (:data:`INTEGER_RANGE`): ``range_low`` and
        ``range_high``, the range's ends on those variables' rows (missing elsewhere).
        For a company source (``survey.kind == "company"``), a last
        column ``dominance`` (:data:`DOMINANCE`): on each numeric row, the group's
        total minus its two largest values, over the largest (absolute values,
        unweighted; missing where the largest is 0 or on category rows), then
        ``dominance_total``, ``dominance_largest`` and ``dominance_second``
        (:data:`DOMINANCE_PARTS`): the group's total of absolute values, its largest and
        its second largest value (0 without one; missing on category rows). They are
        for the report's dominance rule and are never published.

    Notes
    -----
    Tests between ``by`` groups (rows with a missing value in the variable or in any
    ``by`` column are left out; with several ``by`` columns a group is a combination,
    labelled ``"a / b"``):

    - unweighted categorical: Pearson's chi-square without continuity correction
      (``scipy.stats.chi2_contingency``); when an expected count is below 5, Fisher's
      exact test for a 2 x 2 table, and for larger tables Fisher's test with a
      Monte-Carlo p-value (scipy ``fisher_exact`` with ``MonteCarloMethod``, 9,999
      tables with the observed margins, seeded, so the result is reproducible);
    - unweighted numeric: Kruskal–Wallis (``scipy.stats.kruskal``), chosen over ANOVA
      because pilot groups are small and commutes, ages and counts are skewed; it
      compares distributions through ranks, not means;
    - weighted (or stratified) categorical: Rao–Scott second-order corrected Pearson
      statistic, as R ``svychisq(~var + by, design, statistic = "F")``
      (:func:`rao_scott`);
    - weighted (or stratified) numeric: design-based Wald F test that the group means
      are equal, as R ``regTermTest(svyglm(var ~ by, design), ~by)``
      (:func:`design_wald`).

    The design-based tests use the estimates' own design: the weights, the strata and
    ``population``, as R's ``svychisq`` / ``regTermTest`` on ``svydesign(ids = ~1,
    strata, weights, fpc)`` (``tests/fixtures/profile/make_fpc_tests_reference.R``: a
    raked design with and without ``fpc``). Intervals and tests then answer the same
    question, about the pilot's population: two groups whose intervals are far apart
    are not called alike by a test that ignores the correction. With calibrated weights (a
    calibration found as in :func:`analysis.proportion`) they use the covariance of R's
    ``rake()`` / ``postStratify()`` design. Both were checked against R survey 4.1
    (``tests/fixtures/profile/make_reference.R``; calibrated designs, with and without
    strata: ``make_calibrated_reference.R``). With ``strata``, every estimate (shares and
    their logit intervals, means, SDs, quartiles) and both tests were checked against R
    to 1e-10 (``make_stratified_reference.R``: strata with weights, with weights and
    ``fpc``, and alone). The SD is ``sqrt(svyvar)`` on the design subset to the answers:
    R's ``svyvar(na.rm = TRUE)`` counts the missing answers in its ``n / (n - 1)``.

    Every variable is estimated on one design and one coding of the ``by`` groups;
    Kruskal–Wallis is computed from the (group, distinct value) cells the quartiles
    use, with the numbers of ``scipy.stats.kruskal``.

    Examples
    --------
    >>> data = pd.DataFrame({"gender": pd.Categorical(list("FFMFM")),
    ...                      "age": [30, 41, 35, 52, 28]})
    >>> table = profile(data)
    >>> table[["variable", "category", "statistic", "n", "estimate"]]
      variable category statistic  n  estimate
    0   gender        F     share  5       0.6
    1   gender        M     share  5       0.4
    2      age      NaN      mean  5      37.2
    3      age      NaN        sd  5       9.6...
    4      age      NaN        q1  5      30.0
    5      age      NaN    median  5      35.0
    6      age      NaN        q3  5      41.0
    """
    frame = as_frame(survey)
    by = as_list(by)
    check_option("adjust", adjust, _ADJUST)
    check_level(level)
    check_columns(frame, by, "by column")
    w = _weights(frame, weights)
    calibrated = _calibration(frame, weights, calibration)
    if w is None and calibrated is not None:
        w = calibrated.weights
    fixed = False if calibrated is None else calibrated
    # one design and one coding of the groups for every variable
    design = make_design(frame, weights=w, strata=strata, population=population,
                         calibration=fixed)
    kinds, skipped = _select(survey, frame, variables, by, weights, population, exclude)
    ranges = _integer_ranges(survey)
    groups = group_codes(frame, by)
    comparison = _comparison(frame, design, groups, by, strata, population,
                             design_based=w is not None or strata is not None)
    pieces = []
    for variable, kind in kinds.items():
        describe = _shares if kind == "categorical" else _numbers
        rows, group, test = describe(frame[variable], variable, design, groups, level,
                                     comparison)
        if kind == "categorical" and variable in _calibrated_columns(calibrated):
            _given_zero(rows, groups.count)
        if getattr(survey, "kind", None) in _MAGNITUDE_KINDS:
            parts = (np.full((3, groups.count), np.nan) if kind == "categorical" else
                     _contributions(frame[variable], variable, groups))
            squares = (parts if kind == "categorical" else
                       _contributions(frame[variable], variable, groups, power=2))
            rows[DOMINANCE] = _margin(*parts)[group]
            rows[DOMINANCE_SPREAD] = _margin(*squares)[group]
            rows.update({name: part[group] for name, part in zip(DOMINANCE_PARTS, parts)})
        if variable in ranges and kind == "numeric":
            rows.update({name: np.full(len(group), float(end))
                         for name, end in zip(INTEGER_RANGE, ranges[variable])})
        pieces.append((pd.DataFrame({**rows, "variable": variable, **test}), group))
    table = _assemble(pieces, groups, by, adjust)
    table.attrs["skipped"] = skipped
    return table


def _integer_ranges(survey) -> dict[str, tuple]:
    """The codebook's ``integer`` variables with a range -> (low, high) (none for a
    DataFrame)."""
    variables = getattr(getattr(survey, "codebook", None), "variables", None) or {}
    return {name: tuple(variable.range) for name, variable in variables.items()
            if variable.type == "integer" and getattr(variable, "range", None) is not None}


def _calibrated_columns(calibration: Calibration | None) -> set[str]:
    """The variables the weights were calibrated on (every step of the chain)."""
    if calibration is None:
        return set()
    return {column for step in calibration.chain for column in step.columns}


def _given_zero(rows: dict, groups: int) -> None:
    """A calibration variable's category that no respondent gave is absent from the
    margins (:func:`analysis.rake` refuses a respondent outside them): the margins put
    its share at 0 in the population and in every group, a given figure with no
    interval (``ci_low`` = ``ci_high`` = 0, ``se`` 0, ``method``
    ``"calibration_margin"``), not the 0 to 8 % a binomial interval would give a share
    merely observed at 0. Rows of a group without answers are left as they are."""
    count = np.asarray(rows["count"]).reshape(groups, -1)
    absent = np.tile(count.sum(axis=0) == 0, groups) & (np.asarray(rows["n"]) > 0)
    if not absent.any():
        return
    for column in ("se", "ci_low", "ci_high"):
        rows[column] = np.where(absent, 0.0, rows[column])
    rows["method"] = np.where(absent, CALIBRATION_MARGIN, np.asarray(rows["method"], dtype=object))


def _weights(frame: pd.DataFrame, weights) -> np.ndarray | None:
    """Weights as a float array (None when unweighted)."""
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(frame, [weights], "weights column")
        weights = frame[weights]
    values = np.asarray(weights, dtype=float)
    if values.shape != (len(frame),) or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise SurveyError("weights must be one finite, non-negative number per row.")
    return values


def _calibration(frame: pd.DataFrame, weights, calibration) -> Calibration | None:
    """The calibration of the weights (found or checked as in :func:`analysis.proportion`)."""
    if calibration is False or (weights is None and calibration is None):
        return None
    return make_design(frame, weights=weights, calibration=calibration).calibration


def _select(survey, frame, variables, by, weights, population=None,
            excluded=()) -> tuple[dict, list[str]]:
    """Variables to describe -> 'categorical' or 'numeric', plus the skipped ones (the
    ``by``, weights and population columns are part of the design, not described)."""
    exclude = set(by) | {c for c in (weights, population) if isinstance(c, str)} | set(excluded)
    codebook = getattr(survey, "codebook", None)
    types = _codebook_types(codebook, frame) if codebook is not None else {}
    names = list(types) if variables is None and types else \
        [c for c in frame.columns] if variables is None else as_list(variables)
    if variables is not None:
        check_columns(frame, names, "variable")
    kinds, skipped = {}, []
    for name in names:
        if name in exclude:
            continue
        kind = _kind(frame[name], types.get(name), name)
        if kind in ("categorical", "numeric"):
            kinds[name] = kind
        elif variables is not None or kind != "other":
            skipped.append(f"{name}: {kind} column, not described")
    return kinds, skipped


def _codebook_types(codebook, frame) -> dict:
    """Data column -> codebook type, multiselect options as booleans, pii left out."""
    types = {}
    for name, variable in getattr(codebook, "variables", {}).items():
        if getattr(variable, "pii", False):
            continue
        if variable.type == "multiselect":
            types.update({c: "boolean" for c in frame.columns if c.startswith(f"{name}__")})
        elif name in frame.columns:
            types[name] = variable.type
    return types


def _kind(series: pd.Series, codebook_type, name: str) -> str:
    """'categorical', 'numeric', or why the column is not described."""
    if codebook_type is not None:
        if codebook_type in _CATEGORICAL_TYPES:
            return "categorical"
        if codebook_type in _NUMERIC_TYPES:
            return "numeric"
        return codebook_type if codebook_type in _SKIPPED_TYPES else "other"
    if name == "id" or name.endswith("_id"):
        return "id"
    if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(series):
        return "categorical"
    if pd.api.types.is_numeric_dtype(series):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def _shares(series: pd.Series, variable, design: Design, groups: Groups, level,
            comparison: _Comparison | None):
    """One row per group and category (the columns): weighted share and unweighted
    share; the rows' groups; the test between groups."""
    answer, categories = factor_codes(series)
    k = len(categories)
    table = share_rows(design, groups, answer, k, level=level)
    category = pd.Series(np.tile(np.asarray(categories, dtype=object), groups.count))
    if isinstance(categories, pd.Index) and isinstance(series.dtype, pd.CategoricalDtype):
        category = pd.Series(pd.Categorical(category, dtype=series.dtype))
    n, count = table["n"], table["count"]
    rows = {
        "category": category, "n": n, "count": count, "estimate": table["estimate"],
        "se": table["se"], "ci_low": table["ci_low"], "ci_high": table["ci_high"],
        "method": table["method"], "missing": table["missing"], "statistic": "share",
        "unweighted_share": np.where(n > 0, count / np.where(n > 0, n, 1), np.nan)}
    test = {} if comparison is None else _categorical_test(
        comparison, answer, categories, count.reshape(groups.count, k))
    return rows, table["group"], test


def _numbers(series: pd.Series, variable, design: Design, groups: Groups, level,
             comparison: _Comparison | None):
    """Mean, SD, quartiles of a number, per group (the columns, those statistics in that
    order within each group); the rows' groups; the test between groups."""
    x = numeric_values(series, variable)
    means = mean_rows(design, groups, x, level=level)
    quarts, cells = quantile_rows(design, groups, x, tuple(_QUARTILES), level=level)
    g, q = groups.count, len(_QUARTILES)

    def stack(first, second, rest):
        return np.column_stack([first, second, np.reshape(rest, (g, q))]).ravel()

    blank = np.full(g, np.nan)
    method = np.column_stack([means["method"], np.full(g, np.nan, dtype=object),
                              np.reshape(quarts["method"], (g, q))]).ravel()
    rows = {
        "n": np.repeat(means["n"], 2 + q),
        "estimate": stack(means["estimate"], sd_rows(design, groups, x, means, cells),
                          quarts["estimate"]),
        "se": stack(means["se"], blank, quarts["se"]),
        "ci_low": stack(means["ci_low"], blank, quarts["ci_low"]),
        "ci_high": stack(means["ci_high"], blank, quarts["ci_high"]),
        "method": method, "missing": np.repeat(means["missing"], 2 + q),
        "statistic": np.tile(np.array(["mean", "sd", *_QUARTILES.values()], dtype=object), g)}
    test = {} if comparison is None else _numeric_test(comparison, x, cells)
    return rows, np.repeat(np.arange(g), 2 + q), test


def _contributions(series: pd.Series, variable, groups: Groups, power: int = 1
                   ) -> np.ndarray:
    """Each group's total, largest and second largest contribution (absolute values of
    the answers, unweighted, to ``power``: 2 for the sum of squares; 0 where a group has
    fewer answers): an array of 3 rows, one column per group.

    Examples
    --------
    >>> from analysis._design import group_codes
    >>> s = pd.Series([3, 5, 6, 8, 400, 20, 30, 25])
    >>> g = group_codes(pd.DataFrame({"d": list("AAAAABBB")}), ["d"])
    >>> _contributions(s, "x", g).tolist()
    [[422.0, 75.0], [400.0, 30.0], [8.0, 25.0]]
    """
    x = np.abs(numeric_values(series, variable)) ** power
    keep = np.isfinite(x) & (groups.codes >= 0)
    codes, values = groups.codes[keep], x[keep]
    g = groups.count
    order = np.lexsort((-values, codes))
    codes, values = codes[order], values[order]
    first = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if codes.size else \
        np.array([], dtype=np.int64)
    largest, second = np.zeros(g), np.zeros(g)
    largest[codes[first]] = values[first]
    after = first + 1
    after = after[after < codes.size]
    after = after[codes[after] == codes[after - 1]]
    second[codes[after]] = values[after]
    total = np.bincount(codes, weights=values, minlength=g)
    return np.vstack([total, largest, second])


def _margin(total: np.ndarray, largest: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The p % rule's margin of each group: ``(total - x1 - x2) / x1``, with ``x1`` and
    ``x2`` the two largest contributions to the group's total (:func:`_contributions`),
    NaN where the largest is 0 (nothing to protect) or the group has no answer.

    A statistical office publishes a magnitude (a total, hence a mean with its n) only
    when the second largest contributor, who knows its own value, cannot estimate the
    largest one to within p %: total minus the two largest at least p % of the largest
    (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, section 4.2,
    sensitivity rules). ``reports.suppression`` compares this margin with p.

    Examples
    --------
    One firm of 400 eligible employees and four of 3 to 8: (422 - 400 - 8) / 400.

    >>> _margin(np.array([422.0, 75.0]), np.array([400.0, 30.0]),
    ...         np.array([8.0, 25.0])).round(3).tolist()
    [0.035, 0.667]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(largest > 0, (total - largest - second) / largest, np.nan)


def _assemble(pieces, groups: Groups, by, adjust) -> pd.DataFrame:
    """Stack the variables' rows with their groups' ``by`` values, adjust the p-values
    across variables, order the columns."""
    columns = by + PROFILE_COLUMNS
    if any(DOMINANCE in rows for rows, _ in pieces):
        columns = columns + [DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD]
    if any(INTEGER_RANGE[0] in rows for rows, _ in pieces):
        columns = columns + list(INTEGER_RANGE)
    if not pieces:
        return pd.DataFrame(columns=columns)
    table = pd.concat([rows for rows, _ in pieces], ignore_index=True)
    if by:
        keys = groups.keys.take(np.concatenate([group for _, group in pieces]))
        keys = keys.reset_index(drop=True)
        table = pd.concat([keys, table], axis=1)
    for column in ("category", "count", "unweighted_share", "test", "test_statistic",
                   "df", "df_denominator", "p_value"):
        if column not in table:
            table[column] = np.nan
    table["p_adjusted"] = _adjusted(table, adjust)
    return table[columns]


def _adjusted(table: pd.DataFrame, adjust: str) -> np.ndarray:
    """Adjusted p-values, one test per variable."""
    tests = table.drop_duplicates("variable").set_index("variable")["p_value"].dropna()
    if tests.empty:
        return np.full(len(table), np.nan)
    values = tests.to_numpy() if adjust == "none" else \
        adjust_pvalues(tests.to_numpy(), adjust)
    return table["variable"].map(pd.Series(values, index=tests.index)).to_numpy(dtype=float)
