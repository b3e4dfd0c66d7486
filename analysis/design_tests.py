"""Tests that two groups differ under a survey design: Rao–Scott's corrected chi-square
for a categorical variable and the design-based Wald F test for a numeric one, with
weights, strata, a finite population and, when the weights were raked or
post-stratified, their calibration (as R's ``svychisq`` and ``regTermTest`` on a
calibrated design).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._calibration import Calibration, calibration_shift
from analysis._design import Design, make_design

__all__ = ["rao_scott", "design_wald"]


def no_test(reason: str) -> dict:
    """The test columns of a variable that could not be tested, and why."""
    return {"test": reason, "test_statistic": np.nan, "df": np.nan,
            "df_denominator": np.nan, "p_value": np.nan}


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
    keep = values.notna().to_numpy() & groups.notna().to_numpy()
    rows, columns = (_sorted_codes(series, keep) for series in (values, groups))
    return table_test(design, rows, columns)


def _sorted_codes(series: pd.Series, keep: np.ndarray) -> np.ndarray:
    """Codes of the kept rows' values in sorted order (``pd.factorize(sort=True)``), -1
    on the other rows."""
    codes = np.full(len(series), -1, dtype=np.int64)
    codes[keep] = pd.factorize(series[keep], sort=True)[0]
    return codes


def table_test(design: Design, rows: np.ndarray, columns: np.ndarray) -> dict:
    """:func:`rao_scott` on a prepared design, from integer codes.

    ``rows`` and ``columns`` hold each row's code in the table (-1: missing), numbered
    ``0 .. r - 1`` and ``0 .. c - 1`` in the order of the sorted values, every code used
    by a row where both are known (as ``pd.factorize(sort=True)`` numbers them). For
    callers that test many variables on one design (:func:`analysis.profile`).
    """
    total_rows = len(rows)
    nu = total_rows - design.n_strata
    keep = (rows >= 0) & (columns >= 0)
    r_codes, c_codes = rows[keep], columns[keep]
    nr = int(r_codes.max()) + 1 if r_codes.size else 0
    nc = int(c_codes.max()) + 1 if c_codes.size else 0
    if nr < 2 or nc < 2:
        return no_test("none: fewer than two categories or groups")
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
        return no_test("none: the table is too sparse for a design-based test")
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
    return means_test(design, x, _sorted_codes(groups, np.isfinite(x) & groups.notna().to_numpy()))


def means_test(design: Design, x: np.ndarray, codes: np.ndarray) -> dict:
    """:func:`design_wald` on a prepared design, from the values ``x`` (NaN: missing)
    and group codes (-1: missing) numbered ``0 .. k - 1`` in the order of the sorted
    groups, every code used by a row with a value. For callers that test many variables
    on one design (:func:`analysis.profile`)."""
    keep = np.isfinite(x) & (codes >= 0)
    codes = codes[keep]
    k, n = (int(codes.max()) + 1 if codes.size else 0), int(keep.sum())
    stratum = design.stratum[keep]
    # R: degf(design) + 1 - coefficients, degf = rows minus strata with a weighted row
    ddf = n - int(np.count_nonzero(np.bincount(stratum, minlength=design.n_strata))) - (k - 1)
    if k < 2 or n <= k or ddf < 1:
        return no_test("none: fewer than two groups")
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
        return no_test("none: no variation within groups")
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


def goodness_of_fit(design: Design, codes: np.ndarray, expected: np.ndarray) -> dict:
    """Rao–Scott goodness of fit of a weighted distribution to given shares, as R
    survey's ``svygofchisq(~x, p, design)``.

    The statistic is Pearson's on the estimated totals ``T`` (``sum (T - E)^2 / E``,
    ``E = p T.sum()``); its p-value comes from the eigenvalues ``lambda`` of the
    covariance of ``(T - E) / sqrt(E)`` (delta method on the design's covariance of the
    totals, calibration and finite population correction included), with
    Satterthwaite's approximation of a weighted sum of chi-squares (R ``pchisqsum``):
    ``statistic / scale`` on ``df`` degrees of freedom, ``scale = mean(l) *
    mean(l^2) / mean(l)^2`` and ``df = k / (mean(l^2) / mean(l)^2)``.

    Parameters
    ----------
    design : Design
        The design (:func:`analysis._design.make_design`).
    codes : ndarray of int
        Each row's category ``0 .. k - 1``, -1 where the row is not compared (it stays
        in the design with no influence, a domain as R's ``subset``).
    expected : ndarray
        The published shares of the ``k`` categories (summing to 1).

    Returns
    -------
    dict
        ``statistic``, ``scale``, ``df``, ``p_value`` and ``total`` (the estimated
        total of the rows compared, the statistic's scale: Cramér's V is
        ``sqrt(statistic / (total * (k - 1)))``).

    Notes
    -----
    Checked against R survey 4.1.1's ``svygofchisq`` on weighted, stratified with fpc,
    raked and raked-with-fpc designs (``tests/fixtures/goodness_of_fit``), with the
    categories in alphabetical order: R splits the expected shares with ``split()``,
    which sorts the levels, so with unsorted levels it pairs each category with another
    category's share in the eigenvalues (its statistic stays right, its p-value does
    not). Here the order of the categories does not matter.
    """
    k = len(expected)
    keep = codes >= 0
    w = design.weights[keep]
    totals = np.bincount(codes[keep], weights=w, minlength=k)
    size = totals.sum()
    wanted = np.asarray(expected, dtype=float) * size
    statistic = float(np.sum((totals - wanted) ** 2 / wanted))
    a = design.n_cells
    unit = (design.stratum[keep] * a + design.cell[keep]) * k + codes[keep]
    count, total, square = (np.bincount(unit, weights=x, minlength=design.n_strata * a * k)
                            for x in (None, w, w**2))
    present = np.flatnonzero(count)
    place, category = np.divmod(present, k)
    covariance = _covariance(design, place // a, place % a, np.eye(k)[category],
                             count[present], total[present], square[present])
    # the gradient of (T_k - p_k N) / sqrt(p_k N) in the totals T (N = sum T)
    root = np.sqrt(wanted)
    gradient = (np.eye(k) - np.asarray(expected)[:, None]) / root[:, None] \
        - ((totals - wanted) * np.asarray(expected) / (2 * wanted * root))[:, None]
    lam = np.linalg.eigvalsh(gradient @ covariance @ gradient.T)
    mean, spread = lam.mean(), np.mean(lam**2) / lam.mean() ** 2
    scale, df = mean * spread, k / spread
    return {"statistic": statistic, "scale": float(scale), "df": float(df),
            "p_value": float(stats.chi2.sf(statistic / scale, df)), "total": float(size)}


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
