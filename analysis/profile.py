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
from analysis._design import Calibration, Design, calibration_shift, make_design
from analysis.estimation import mean, proportion, quantile
from surveys.errors import SurveyError

__all__ = ["profile", "rao_scott", "design_wald", "PROFILE_COLUMNS"]

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


def _no_test(reason: str) -> dict:
    return {"test": reason, "test_statistic": np.nan, "df": np.nan,
            "df_denominator": np.nan, "p_value": np.nan}


def _independence(values: pd.Series, groups: pd.Series) -> dict:
    """Chi-square, or Fisher (exact 2 x 2, Monte-Carlo larger) for small expected counts."""
    table = _crosstab(values, groups)
    if min(table.shape) < 2:
        return _no_test("none: fewer than two categories or groups")
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
        return _no_test("none: fewer than two groups or no variation")
    result = stats.kruskal(*samples)
    return {"test": "kruskal_wallis", "test_statistic": float(result.statistic),
            "df": float(len(samples) - 1), "df_denominator": np.nan,
            "p_value": float(result.pvalue)}


def rao_scott(values: pd.Series, groups: pd.Series, weights, *, strata=None,
              population=None, calibration: Calibration | Literal[False] | None = None) -> dict:
    """Rao–Scott corrected chi-square (F version) for a two-way table under weights.

    As R survey's ``svychisq(~values + groups, design, statistic = "F")`` with ``design``
    ``svydesign(ids = ~1, strata, weights = ~w, fpc)``, or that design after ``rake()`` /
    ``postStratify()``: the Pearson statistic of the weighted table scaled to the number
    of rows ``N``, divided by the mean generalised design effect ``tr(Delta)``, referred
    to an F distribution with ``d0 = tr(Delta)^2 / tr(Delta^2)`` and ``d0 * (N - H)``
    degrees of freedom (``H`` strata). As in R, rows with a missing answer stay in the
    design with a zero influence: ``N``, the design degrees of freedom and the stratum
    sizes of the variance count every row, while the cell shares use the rows where both
    are known.

    Parameters
    ----------
    values, groups : Series
        The two classifications, on the same rows (missing values allowed).
    weights : Series or array
        One weight per row; a Series returned by :func:`analysis.rake` or
        :func:`analysis.poststratify` carries its calibration.
    strata : array-like, optional
        Stratum of each row.
    population : float or array-like, optional
        Population size (one number, unstratified) or each row's stratum population
        size: the finite population correction.
    calibration : Calibration, False or None
        As in :func:`analysis.proportion`: by default the calibration the weights carry
        (the covariance of the cell shares is then that of R's calibrated design);
        ``False`` treats the weights as fixed.

    Returns
    -------
    dict
        ``test`` (``"rao_scott_f"``), ``test_statistic``, ``df``, ``df_denominator``,
        ``p_value``.

    Examples
    --------
    >>> v = pd.Series(list("aabbaabbab"))
    >>> g = pd.Series(list("xxxxxyyyyy"))
    >>> result = rao_scott(v, g, np.ones(10))
    >>> round(result["test_statistic"], 6), round(result["df"], 6)
    (0.4, 1.0)
    """
    design = _test_design(values, weights, strata, population, calibration)
    total_rows = len(values)
    nu = total_rows - design.n_strata
    keep = values.notna().to_numpy() & groups.notna().to_numpy()
    r_codes, r_levels = pd.factorize(values[keep], sort=True)
    c_codes, c_levels = pd.factorize(groups[keep], sort=True)
    nr, nc = len(r_levels), len(c_levels)
    if nr < 2 or nc < 2:
        return _no_test("none: fewer than two categories or groups")
    k = nr * nc
    cell = r_codes + nr * c_codes                       # rows vary fastest, as R
    wk = design.weights[keep]
    p = np.bincount(cell, weights=wk, minlength=k) / wk.sum()
    # influence of the cell shares: (e_cell - p) w_i / W on the rows where both are
    # known (zero on the others, which stay in the design as in R); constant within
    # (stratum, calibration cell, table cell) units, so those are summed first
    a = design.n_cells
    unit = (design.stratum[keep] * a + design.cell[keep]) * k + cell
    count, total, square = (np.bincount(unit, weights=x, minlength=design.n_strata * a * k)
                            for x in (None, wk, wk**2))
    present = np.flatnonzero(count)
    place, table_cell = np.divmod(present, k)
    u = (np.eye(k)[table_cell] - p) / wk.sum()
    V = _covariance(design, place // a, place % a, u, count[present], total[present],
                    square[present])
    C = _interaction_contrasts(nr, nc)
    inv_p = np.where(p > 0, 1 / np.where(p > 0, p, 1), 0.0)
    denom = C.T @ (inv_p[:, None] * C) / total_rows
    numer = C.T @ (inv_p[:, None] * V * inv_p[None, :]) @ C
    try:
        delta = np.linalg.solve(denom, numer)
    except np.linalg.LinAlgError:
        # Empty cells make the contrast matrix singular (R's svychisq then relies on
        # a generalised inverse too): the pseudo-inverse keeps the estimable part.
        delta = np.linalg.pinv(denom) @ numer
    trace, trace2 = np.trace(delta), np.trace(delta @ delta)
    if not np.isfinite(trace) or trace <= 0 or trace2 <= 0:
        return _no_test("none: the table is too sparse for a design-based test")
    d0 = trace**2 / trace2
    table = (p * total_rows).reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total_rows
    pearson = np.sum((table - expected) ** 2 / np.where(expected > 0, expected, np.inf))
    statistic = pearson / trace
    return {"test": "rao_scott_f", "test_statistic": float(statistic), "df": float(d0),
            "df_denominator": float(d0 * nu),
            "p_value": float(stats.f.sf(statistic, d0, d0 * nu))}


def _interaction_contrasts(nr: int, nc: int) -> np.ndarray:
    """Interaction columns of the saturated r x c model, orthogonal to the main effects."""
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    main = np.column_stack([np.ones(nr * nc)] + [rows == i for i in range(1, nr)]
                           + [cols == j for j in range(1, nc)]).astype(float)
    inter = np.column_stack([(rows == i) & (cols == j) for j in range(1, nc)
                             for i in range(1, nr)]).astype(float)
    coef, *_ = np.linalg.lstsq(main, inter, rcond=None)
    return inter - main @ coef


def design_wald(values: pd.Series, groups: pd.Series, weights, *, strata=None,
                population=None,
                calibration: Calibration | Literal[False] | None = None) -> dict:
    """Design-based Wald F test that the weighted group means are equal.

    As R ``regTermTest(svyglm(x ~ g, design), ~g)`` with ``design``
    ``svydesign(ids = ~1, strata, weights = ~w, fpc)``, or that design after ``rake()`` /
    ``postStratify()``: weighted least squares on group indicators, a linearised
    (sandwich) covariance of the coefficients (of their calibration residuals when the
    weights are calibrated), ``F = b' V^-1 b / (k - 1)`` on ``k - 1`` and
    ``n - H - (k - 1)`` degrees of freedom, ``n`` the rows where both are known and ``H``
    the strata among them; as in R, rows with a missing answer keep a zero score in the
    design, so the stratum sizes of the variance count every row.

    Parameters
    ----------
    values : Series
        Numbers (missing allowed).
    groups : Series
        Group of each row (missing allowed).
    weights, strata, population, calibration
        As in :func:`rao_scott`.

    Returns
    -------
    dict
        ``test`` (``"design_wald_f"``), ``test_statistic``, ``df``, ``df_denominator``,
        ``p_value``.

    Examples
    --------
    >>> x = pd.Series([1.0, 2.0, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0])
    >>> g = pd.Series(list("aaaabbbb"))
    >>> result = design_wald(x, g, np.ones(8))
    >>> result["df"], result["df_denominator"], round(result["test_statistic"], 6)
    (1.0, 6.0, 35.0)
    """
    design = _test_design(values, weights, strata, population, calibration)
    x = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    keep = np.isfinite(x) & groups.notna().to_numpy()
    codes, levels = pd.factorize(groups[keep], sort=True)
    k, n = len(levels), int(keep.sum())
    stratum = design.stratum[keep]
    # R: degf(design) + 1 - coefficients, degf = rows minus strata with a weighted row
    ddf = n - int(np.count_nonzero(np.bincount(stratum, minlength=design.n_strata))) - (k - 1)
    if k < 2 or n <= k or ddf < 1:
        return _no_test("none: fewer than two groups")
    w, x = design.weights[keep], x[keep]
    sw = np.bincount(codes, weights=w, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.bincount(codes, weights=w * x, minlength=k) / sw
        # influence of the group means: w_i (x_i - mean_g) / W_g in column g
        u = (x - means[codes]) / sw[codes]
    V = _means_covariance(design, stratum, design.cell[keep], codes, k, w, u)
    # contrasts with the first group (R's coefficients; the F statistic does not
    # depend on which contrasts are tested)
    contrasts = np.column_stack([-np.ones(k - 1), np.eye(k - 1)])
    cov = contrasts @ V @ contrasts.T
    contrast = means[1:] - means[0]
    if not np.all(np.isfinite(cov)) or np.linalg.matrix_rank(cov) < k - 1:
        return _no_test("none: no variation within groups")
    statistic = contrast @ np.linalg.solve(cov, contrast) / (k - 1)
    return {"test": "design_wald_f", "test_statistic": float(statistic),
            "df": float(k - 1), "df_denominator": float(ddf),
            "p_value": float(stats.f.sf(statistic, k - 1, ddf))}


def _test_design(values: pd.Series, weights, strata, population, calibration) -> Design:
    """The design of a test on the rows of ``values`` (see :func:`analysis.proportion`)."""
    frame = pd.DataFrame(index=values.index)
    if strata is not None:
        frame["stratum"] = np.asarray(strata)
    if population is not None and np.ndim(population) > 0:
        frame["population"] = np.asarray(population, dtype=float)
        population = "population"
    return make_design(frame, weights=weights, strata=None if strata is None else "stratum",
                       population=population, calibration=calibration)


def _column_sums(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sums of each column of ``values`` (rows x columns) per ``index`` (size x columns)."""
    return np.column_stack([np.bincount(index, weights=column, minlength=size)
                            for column in values.T]).reshape(size, values.shape[1])


def _means_covariance(design: Design, stratum, cell, codes, k: int, w, u) -> np.ndarray:
    """Covariance matrix of ``k`` group means whose influence values are ``w_i u_i`` in
    the column of the row's group (``codes``) and 0 elsewhere: :func:`_covariance`
    without a rows x groups matrix. With calibration shifts ``b`` (cells x groups), the
    residual of row ``i`` is ``d_i = b[cell_i] + u_i e_{group_i}``; products are summed
    per (stratum, calibration cell, group), the own-group squares row by row.
    """
    h, a = design.n_strata, design.n_cells
    own = stratum * k + codes
    if design.calibration is None:
        residual = u
    else:
        index = (stratum * a + cell) * k + codes
        unweighted = np.bincount(cell * k + codes, weights=u, minlength=a * k).reshape(a, k)
        weighted = np.bincount(index, weights=w * u, minlength=h * a * k).reshape(h, a, k)
        shift = calibration_shift(design, unweighted, weighted)
        residual = u + shift[cell, codes]
    first = np.bincount(own, weights=w * residual, minlength=h * k).reshape(h, k)
    squared = w**2
    inside = np.bincount(own, weights=squared * residual**2, minlength=h * k).reshape(h, k)
    if design.calibration is None:
        second = np.zeros((h, k, k))
    else:
        _, cell_total, cell_square = design.cell_totals
        group_total = np.bincount(index, weights=w, minlength=h * a * k).reshape(h, a, k)
        group_square = np.bincount(index, weights=squared, minlength=h * a * k).reshape(h, a, k)
        cross = np.bincount(index, weights=squared * residual,
                            minlength=h * a * k).reshape(h, a, k)
        # rows outside a group carry its shift b; rows of another group j (or of none)
        first += np.einsum("haj,aj->hj", cell_total[:, :, None] - group_total, shift)
        inside += np.einsum("haj,aj->hj", cell_square[:, :, None] - group_square, shift**2)
        mixed = np.einsum("haj,al->hjl", cross, shift)
        others = (cell_square[:, :, None, None] - group_square[:, :, :, None]
                  - group_square[:, :, None, :])
        second = mixed + mixed.transpose(0, 2, 1) + np.einsum("hajl,aj,al->hjl", others,
                                                              shift, shift)
    diagonal = np.arange(k)
    second[:, diagonal, diagonal] = inside
    centred = second - first[:, :, None] * first[:, None, :] / design.size[:, None, None]
    return np.einsum("h,hjk->jk", design.scale, centred)


def _covariance(design: Design, stratum, cell, u, count, total, square) -> np.ndarray:
    """Covariance matrix of the estimates whose influence values are ``w_i u_i``.

    ``u`` (units x columns) is constant within each unit (a row, or rows sharing a
    stratum, calibration cell and ``u``), which has its ``stratum``, calibration
    ``cell``, rows ``count``, sum of weights ``total`` and of squared weights ``square``;
    every other row of the design has ``u = 0``. With a calibration, influence values
    are replaced by their calibration residuals ``w_i (u_i + b[cell_i])``
    (:func:`analysis._design.calibration_shift`: rows outside the units have a residual
    too), then, as R ``svyrecvar`` for a one-stage stratified design::

        V = sum_h scale_h * (sum_i z_i z_i' - (sum_i z_i)(sum_i z_i)' / n_h)

    (:func:`analysis._design.calibrated_variance` gives the diagonal; the tests need the
    whole matrix). Products are summed as products of residuals (no cancellation).
    """
    h, a, columns = design.n_strata, design.n_cells, u.shape[1]
    if design.calibration is None:
        shift = np.zeros((1, columns))
        outside_total = outside_square = np.zeros((h, 1))
        residual = u
    else:
        place = stratum * a + cell
        unweighted = _column_sums(cell, u * count[:, None], a)
        weighted = _column_sums(place, u * total[:, None], h * a).reshape(h, a, columns)
        shift = calibration_shift(design, unweighted, weighted)
        _, cell_total, cell_square = design.cell_totals
        outside_total = cell_total - np.bincount(place, weights=total,
                                                 minlength=h * a).reshape(h, a)
        outside_square = cell_square - np.bincount(place, weights=square,
                                                   minlength=h * a).reshape(h, a)
        residual = u + shift[cell]
    first = _column_sums(stratum, residual * total[:, None], h) + outside_total @ shift
    second = np.einsum("ha,aj,ak->hjk", outside_square, shift, shift)
    order = np.argsort(stratum, kind="stable")
    bounds = np.searchsorted(stratum[order], np.arange(h + 1))
    for s in range(h):
        rows = order[bounds[s]:bounds[s + 1]]
        part = residual[rows]
        second[s] += (part * square[rows, None]).T @ part
    centred = second - first[:, :, None] * first[:, None, :] / design.size[:, None, None]
    return np.einsum("h,hjk->jk", design.scale, centred)


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
