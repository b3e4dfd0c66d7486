"""Who took part: a "Table 1" of every variable, in tidy form, with tests between groups.

``profile(survey, by="wave")`` gives, for each categorical, boolean, ordinal or Likert
variable, one row per category (weighted share with its interval, the unweighted share
beside it), for each numeric variable its mean, standard deviation, median and quartiles,
and, when ``by`` is given, one test of difference per variable with p-values adjusted for
the number of variables tested.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._adjust import adjust_pvalues
from analysis._data import as_frame, as_list, check_columns, check_option
from analysis._design import Calibration, make_design
from analysis.design_tests import design_wald, no_test, rao_scott
from analysis.estimation import mean, proportion, quantile
from surveys.errors import SurveyError

__all__ = ["profile", "PROFILE_COLUMNS"]

#: Columns of :func:`profile` after the ``by`` columns.
PROFILE_COLUMNS = [
    "variable", "category", "statistic", "n", "count", "estimate", "se", "ci_low",
    "ci_high", "unweighted_share", "method", "missing", "test", "test_statistic", "df",
    "df_denominator", "p_value", "p_adjusted",
]
Adjust = Literal["holm", "fdr_bh", "none"]
_ADJUST = ("holm", "fdr_bh", "none")
_CATEGORICAL_TYPES = {"categorical", "ordinal", "likert", "duration_band", "boolean"}
_NUMERIC_TYPES = {"integer", "number"}
_SKIPPED_TYPES = {"id", "text", "date", "month"}
_QUARTILES = {0.25: "q1", 0.5: "median", 0.75: "q3"}
#: Fisher's exact test (2 x 2) or its Monte-Carlo version (larger tables) replaces the
#: chi-square when an expected count is below this.
_MIN_EXPECTED = 5
_RESAMPLES = 9_999
_SEED = 20161021


def profile(
    survey,
    variables=None,
    by=None,
    *,
    weights=None,
    population=None,
    level: float = 0.95,
    adjust: Adjust = "holm",
    calibration: Calibration | Literal[False] | None = None,
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
    population : float, optional
        Size of the surveyed population: estimates then carry the finite population
        correction, as :func:`analysis.proportion` and :func:`analysis.mean` (the tests
        of difference do not use it).
    level : float
        Confidence level of the intervals.
    adjust : {"holm", "fdr_bh", "none"}
        Multiplicity adjustment of the tests across variables.
    calibration : Calibration, False or None
        As in :func:`analysis.proportion`: by default the calibration recorded by
        :func:`analysis.rake` / :func:`analysis.poststratify` on the weights (or on the
        data), used by the estimates and by the weighted tests; ``False`` treats the
        weights as fixed.

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``variable``, ``category`` (missing for numeric rows),
        ``statistic`` (``share`` for a category; ``mean``, ``sd``, ``median``, ``q1``,
        ``q3`` for a number), ``n`` (answers in the group), ``count`` (answers in the
        category), ``estimate`` (weighted when weighted), ``se``, ``ci_low``,
        ``ci_high`` (missing for ``sd``), ``unweighted_share``, ``method`` (of the
        interval), ``missing`` (missing answers in the group), and the variable's test
        repeated on its rows: ``test``, ``test_statistic``, ``df``, ``df_denominator``,
        ``p_value``, ``p_adjusted``. ``result.attrs["skipped"]`` lists variables left
        out and why.

    Notes
    -----
    Tests between ``by`` groups (rows with a missing value in the variable or in ``by``
    are left out):

    - unweighted categorical: Pearson's chi-square without continuity correction
      (``scipy.stats.chi2_contingency``); when an expected count is below 5, Fisher's
      exact test for a 2 x 2 table, and for larger tables Fisher's test with a
      Monte-Carlo p-value (scipy ``fisher_exact`` with ``MonteCarloMethod``, 9,999
      tables with the observed margins, seeded, so the result is reproducible);
    - unweighted numeric: Kruskal–Wallis (``scipy.stats.kruskal``), chosen over ANOVA
      because pilot groups are small and commutes, ages and counts are skewed; it
      compares distributions through ranks, not means;
    - weighted categorical: Rao–Scott second-order corrected Pearson statistic, as R
      ``svychisq(~var + by, design, statistic = "F")`` (:func:`rao_scott`);
    - weighted numeric: design-based Wald F test that the group means are equal, as R
      ``regTermTest(svyglm(var ~ by, design), ~by)`` (:func:`design_wald`).

    With calibrated weights (a calibration found as in :func:`analysis.proportion`) the
    weighted tests use the covariance of R's ``rake()`` / ``postStratify()`` design.
    Both weighted tests were checked against R survey 4.1
    (``tests/fixtures/profile/make_reference.R``; calibrated designs, with and without
    strata: ``make_calibrated_reference.R``).

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
    check_columns(frame, by, "by column")
    w = _weights(frame, weights)
    calibrated = _calibration(frame, weights, calibration)
    if w is None and calibrated is not None:
        w = calibrated.weights
    fixed = False if calibrated is None else calibrated
    kinds, skipped = _select(survey, frame, variables, by, weights)
    pieces = []
    for variable, kind in kinds.items():
        rows = (_shares if kind == "categorical" else _numbers)(frame, variable, by, w, level,
                                                                population, fixed)
        test = _test(frame, variable, kind, by, w, fixed) if by else {}
        pieces.append(rows.assign(variable=variable, **test))
    table = _assemble(pieces, by, adjust)
    table.attrs["skipped"] = skipped
    return table


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


def _select(survey, frame, variables, by, weights) -> tuple[dict, list[str]]:
    """Variables to describe -> 'categorical' or 'numeric', plus the skipped ones."""
    exclude = set(by) | ({weights} if isinstance(weights, str) else set())
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


def _shares(frame, variable, by, w, level, population=None,
            calibration: Calibration | Literal[False] = False) -> pd.DataFrame:
    """One row per group and category: weighted share and unweighted share."""
    table = proportion(frame, variable, by=by or None, weights=w, level=level,
                       population=population, calibration=calibration)
    table["statistic"] = "share"
    table["unweighted_share"] = np.where(table["n"] > 0, table["count"] / table["n"].where(
        table["n"] > 0, 1), np.nan)
    return table


def _numbers(frame, variable, by, w, level, population=None,
             calibration: Calibration | Literal[False] = False) -> pd.DataFrame:
    """Mean, SD, quartiles of a number, per group."""
    means = mean(frame, variable, by=by or None, weights=w, level=level,
                 population=population, calibration=calibration)
    sds = means.drop(columns=["estimate", "se", "ci_low", "ci_high", "method"]).assign(
        estimate=_group_sd(frame, variable, by, w, means[by]), statistic="sd")
    quarts = quantile(frame, variable, q=tuple(_QUARTILES), by=by or None, weights=w,
                      level=level, population=population, calibration=calibration)
    quarts["statistic"] = quarts.pop("q").map(_QUARTILES)
    out = pd.concat([means.assign(statistic="mean"), sds, quarts], ignore_index=True)
    order = {s: i for i, s in enumerate(["mean", "sd", "q1", "median", "q3"])}
    keys = by + ["_order"]
    return (out.assign(_order=out["statistic"].map(order))
            .sort_values(keys, kind="stable").drop(columns="_order").reset_index(drop=True))


def _group_sd(frame, variable, by, w, groups: pd.DataFrame) -> np.ndarray:
    """Weighted standard deviation per group, n - 1 scaling as R ``svyvar``, in the order
    of the ``groups`` rows (the ``by`` columns of the means)."""
    x = pd.to_numeric(frame[variable], errors="coerce").astype(float).to_numpy()
    weights = np.ones(len(frame)) if w is None else w
    finite = np.isfinite(x)
    x, weights = x[finite], weights[finite]
    if by:
        # group sums over integer group codes (rows in order, as over the labels)
        key, group_of_row = _group_codes(frame, by, finite, groups)
        keep = key >= 0
        x, weights, key = x[keep], weights[keep], key[keep]
    cells = pd.DataFrame({"w": weights, "wx": weights * x, "wxx": weights * x ** 2,
                          "one": 1.0})
    sums = cells.groupby(key, sort=True).sum() if by else cells.sum().to_frame().T
    m = sums["wx"] / sums["w"]
    var = (sums["wxx"] / sums["w"] - m**2) * sums["one"] / (sums["one"] - 1)
    sd = np.sqrt(var.clip(lower=0)).where(sums["one"] > 1)
    if not by:
        return sd.to_numpy()
    return sd.reindex(group_of_row).to_numpy(dtype=float)


def _group_codes(frame, by, rows, groups: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One integer code per kept row for its combination of ``by`` values (-1 where one
    is missing), and the code of each row of ``groups``."""
    key = np.zeros(int(rows.sum()), dtype=np.int64)
    wanted = np.zeros(len(groups), dtype=np.int64)
    for column in by:
        codes, labels = pd.factorize(frame[column])
        labels = pd.Index(np.asarray(pd.Series(labels).astype(object)))
        size = len(labels)
        codes = codes[rows]
        key = np.where((key >= 0) & (codes >= 0), key * size + codes, -1)
        found = labels.get_indexer(groups[column].astype(object))
        wanted = np.where((wanted >= 0) & (found >= 0), wanted * size + found, -1)
    return key, wanted


def _test(frame, variable, kind, by, w,
          calibration: Calibration | Literal[False] = False) -> dict:
    """The test of difference between by groups for one variable."""
    groups = frame[by].astype(str).agg(" / ".join, axis=1) if len(by) > 1 else frame[by[0]]
    keep = groups.notna().to_numpy() & frame[variable].notna().to_numpy()
    if kind == "categorical":
        if w is None:
            return _independence(frame[variable][keep], groups[keep])
        return rao_scott(frame[variable], groups, w, calibration=calibration)
    if w is None:
        return _kruskal(frame[variable][keep], groups[keep])
    return design_wald(frame[variable], groups, w, calibration=calibration)


def _independence(values: pd.Series, groups: pd.Series) -> dict:
    """Chi-square, or Fisher (exact 2 x 2, Monte-Carlo larger) for small expected counts."""
    table = _crosstab(values, groups)
    if min(table.shape) < 2:
        return no_test("none: fewer than two categories or groups")
    chi2, p, dof, expected = stats.chi2_contingency(table, correction=False)
    if (expected >= _MIN_EXPECTED).all():
        return {"test": "chi2", "test_statistic": float(chi2), "df": float(dof),
                "df_denominator": np.nan, "p_value": float(p)}
    if table.shape == (2, 2):
        return {"test": "fisher_exact", "test_statistic": np.nan, "df": np.nan,
                "df_denominator": np.nan, "p_value": float(stats.fisher_exact(table).pvalue)}
    method = stats.MonteCarloMethod(n_resamples=_RESAMPLES, rng=np.random.default_rng(_SEED))
    result = stats.fisher_exact(table, method=method)
    return {"test": "fisher_monte_carlo", "test_statistic": np.nan, "df": np.nan,
            "df_denominator": np.nan, "p_value": float(result.pvalue)}


def _crosstab(rows: pd.Series, columns: pd.Series) -> np.ndarray:
    """Counts of the (row, column) pairs of two Series without missing values, their
    values sorted as objects: ``pd.crosstab(rows.astype(object).to_numpy(),
    columns.astype(object).to_numpy()).to_numpy()``."""
    row_codes, n_rows = _sorted_codes(rows)
    column_codes, n_columns = _sorted_codes(columns)
    counts = np.bincount(row_codes * n_columns + column_codes, minlength=n_rows * n_columns)
    return counts.reshape(n_rows, n_columns)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of the values in the order of their sorted object values, and their number.

    Categorical and boolean codes are taken as they are stored; only the distinct values
    are turned into objects and sorted.
    """
    codes, uniques = pd.factorize(values)
    rank, labels = pd.factorize(np.asarray(pd.Series(uniques).astype(object)), sort=True)
    return rank[codes], len(labels)


def _kruskal(values: pd.Series, groups: pd.Series) -> dict:
    """Kruskal–Wallis test across the groups."""
    x = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    codes, _ = pd.factorize(groups)
    samples = [x[codes == g] for g in range(codes.max() + 1)]
    samples = [s for s in samples if len(s)]
    if len(samples) < 2 or np.ptp(x) == 0:
        return no_test("none: fewer than two groups or no variation")
    result = stats.kruskal(*samples)
    return {"test": "kruskal_wallis", "test_statistic": float(result.statistic),
            "df": float(len(samples) - 1), "df_denominator": np.nan,
            "p_value": float(result.pvalue)}


def _assemble(pieces, by, adjust) -> pd.DataFrame:
    """Stack the variables' rows, adjust the p-values across variables, order columns."""
    columns = by + PROFILE_COLUMNS
    if not pieces:
        return pd.DataFrame(columns=columns)
    table = pd.concat(pieces, ignore_index=True)
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
