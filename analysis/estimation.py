"""Design-based estimates: proportions, means and quantiles, overall or by group.

Each function takes a ``Survey`` or a DataFrame, the column to summarise and the
design (``weights``, ``strata``, ``population``), and returns a tidy DataFrame with
one row per estimate. Subgroup (``by``) estimates are domain estimates on the full
design, as R ``survey``'s ``svyby``: their standard errors account for the group
size being random. Weights returned by :func:`analysis.rake` or
:func:`analysis.poststratify` carry their calibration, and the standard errors are
then those of R's calibrated design (see ``calibration=``).

The arithmetic on a prepared design is in :mod:`analysis.design_estimates`; this module
checks the user's arguments, builds the design and the ``by`` groups, and labels the rows.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis._data import as_frame, as_list, check_columns, check_option
from analysis._calibration import Calibration
from analysis._design import check_level, factor_codes, group_codes, make_design
from analysis.design_estimates import mean_rows, numeric_values, quantile_rows, share_rows
from analysis.intervals import CI_METHODS
from surveys.errors import SurveyError

__all__ = ["proportion", "mean", "quantile", "design_effect", "effective_n"]

CI = Literal["auto", "wilson", "clopper-pearson", "logit", "beta"]


def design_effect(weights) -> float:
    """Kish design effect of unequal weights, ``n * sum(w²) / sum(w)²``.

    Parameters
    ----------
    weights : array-like
        Non-negative weights (missing values are ignored).

    Returns
    -------
    float
        1 for equal weights; larger the more the weights vary.

    Examples
    --------
    >>> design_effect([1, 1, 2, 4])
    1.375
    """
    w = _weight_array(weights)
    return float(w.size * np.sum(w**2) / np.sum(w) ** 2)


def effective_n(weights) -> float:
    """Kish effective sample size, ``sum(w)² / sum(w²)``.

    Examples
    --------
    >>> effective_n([1, 1, 2, 4])
    2.909090909090909
    """
    w = _weight_array(weights)
    return float(np.sum(w) ** 2 / np.sum(w**2))


def _weight_array(weights) -> np.ndarray:
    w = np.asarray(pd.Series(weights).to_numpy(dtype=float, na_value=np.nan), dtype=float)
    w = w[~np.isnan(w)]
    if w.size == 0 or (w < 0).any() or not w.any():
        raise SurveyError("Weights must be non-negative numbers, not all zero or missing.")
    return w


def _prepare(data, column, by, weights, strata, population, level, calibration):
    """Common checks: the frame, the design and the ``by`` groups."""
    frame = as_frame(data)
    check_level(level)
    by = as_list(by)
    check_columns(frame, [column, *by])
    if column in by:
        raise SurveyError(f"Column '{column}' is both the variable and a by= column.")
    design = make_design(frame, weights=weights, strata=strata, population=population,
                         calibration=calibration)
    return frame, design, group_codes(frame, by)


def proportion(
    data,
    column: str,
    *,
    by=None,
    weights=None,
    strata: str | None = None,
    population=None,
    ci: CI = "auto",
    level: float = 0.95,
    calibration: Calibration | Literal[False] | None = None,
) -> pd.DataFrame:
    """Share of respondents in each category of ``column``, with a confidence interval.

    Parameters
    ----------
    data : Survey or DataFrame
    column : str
        A categorical, boolean or other discrete column. Every category of a
        Categorical is reported, unused ones as 0 with an interval.
    by : str or list of str, optional
        Columns defining groups; estimates are domain estimates on the full design.
    weights : str, Series or array, optional
        Sampling (or calibrated) weights; a column name or values aligned with the rows.
    strata : str, optional
        Column of strata (stratified one-stage design).
    population : float or str, optional
        Population size (unstratified) or a column of each respondent's stratum
        population size: the finite population correction. Without ``weights``,
        respondents weigh ``N_h / n_h``.
    ci : {"auto", "wilson", "clopper-pearson", "logit", "beta"}
        Interval method; ``"auto"`` is Wilson for equally weighted simple random
        samples (no strata, no population size) and logit otherwise.
    level : float
        Confidence level.
    calibration : Calibration, False or None
        What the weights were calibrated to. By default (None) the one recorded by
        :func:`analysis.rake` / :func:`analysis.poststratify` in the
        ``attrs["calibration"]`` of the weights they returned, or of the data (e.g. a
        frame holding those weights as a column), provided the weights and rows are
        unchanged; weights changed since, or a subset of the rows, are plain weights.
        With a calibration the standard errors are those of R's ``rake()`` /
        ``postStratify()`` design, smaller than with fixed weights; weights calibrated
        in several steps (e.g. post-stratified, then raked) account for every step, as
        R's ``rake(postStratify(design, ...), ...)``. ``False`` treats
        the weights as fixed design weights (R ``svydesign(weights = ~w)``).

    Returns
    -------
    DataFrame
        One row per group and category: the ``by`` columns, ``category``, ``n``
        (respondents with an answer in the group: the base), ``count`` (respondents in
        the category), ``estimate`` (weighted share, a fraction), ``se`` (Taylor
        linearised), ``ci_low``, ``ci_high``, ``method`` (interval used),
        ``weighted_n`` (sum of weights in the base), ``deff`` (Kish design effect of
        the weights in the base), ``n_effective`` (Kish effective size), ``missing``
        (respondents of the group without an answer, excluded from the base).

    Notes
    -----
    Estimates and standard errors equal R ``survey`` 4.1 ``svymean`` / ``svyby`` on
    ``svydesign(ids = ~1, strata, weights, fpc)``; ``"logit"`` and ``"beta"`` equal
    ``svyciprop`` on the design subset to the base, whose degrees of freedom (base
    respondents minus strata) the t quantiles use. ``"wilson"`` and
    ``"clopper-pearson"`` use the plain binomial formulas on ``n`` (on the Kish
    ``n_effective`` when weights vary); they ignore strata and population size.
    Unweighted, the standard error is ``sqrt(p (1 - p) / (n - 1))`` as in R.
    ``"logit"`` is undefined at 0 % and 100 %: those rows use ``"beta"`` and say so
    in ``method``. Each respondent is its own sampling unit; a stratum with a single
    respondent adds no variance (R's ``options(survey.lonely.psu = "certainty")``);
    degrees of freedom below 1 (a group of one) are raised to 1. Rows whose ``by``
    value is missing belong to no group but stay in the design. Checked against R
    (``tests/fixtures/survey/make_reference.R``: weights only, fpc, strata + fpc, a
    lonely stratum, domains). With calibrated weights the influence values are
    replaced by their calibration residuals as R's ``svyrecvar`` does with a design's
    ``postStrata``; checked against R's ``rake()`` (2 and 3 margins, with and without
    strata and fpc) and ``postStratify()`` designs to 1e-10
    (``tests/fixtures/calibration/make_reference.R``), and against designs calibrated
    in two or three steps (``make_chain_reference.R`` there).

    Examples
    --------
    >>> df = pd.DataFrame({"answer": ["yes"] * 6 + ["no"] * 4})
    >>> proportion(df, "answer")[["category", "n", "count", "estimate", "ci_low", "ci_high"]]
      category   n  count  estimate    ci_low   ci_high
    0       no  10      4       0.4  0.168180  0.687326
    1      yes  10      6       0.6  0.312674  0.831820
    """
    check_option("ci", ci, ("auto", *CI_METHODS))
    frame, design, groups = _prepare(data, column, by, weights, strata, population, level,
                                     calibration)
    answer, categories = factor_codes(frame[column])
    table = share_rows(design, groups, answer, len(categories), ci=ci, level=level)
    keys = groups.keys.take(table.pop("group")).reset_index(drop=True)
    category = pd.Series(np.tile(np.asarray(categories, dtype=object), groups.count))
    if isinstance(categories, pd.Index) and isinstance(frame[column].dtype, pd.CategoricalDtype):
        category = pd.Series(pd.Categorical(category, dtype=frame[column].dtype))
    columns = ["category", "n", "count", "estimate", "se", "ci_low", "ci_high", "method",
               "weighted_n", "deff", "n_effective", "missing"]
    if set(keys.columns) & set(columns):      # a by column named like an output column
        out = pd.concat([keys, pd.DataFrame({"category": category}), pd.DataFrame(table)],
                        axis=1)
        return out[list(groups.keys.columns) + columns]
    parts = {**{name: keys[name] for name in keys.columns}, "category": category, **table}
    return pd.DataFrame({name: parts[name] for name in [*keys.columns, *columns]})


def mean(
    data,
    column: str,
    *,
    by=None,
    weights=None,
    strata: str | None = None,
    population=None,
    level: float = 0.95,
    calibration: Calibration | Literal[False] | None = None,
) -> pd.DataFrame:
    """Weighted mean of a numeric column, with a Taylor-linearised confidence interval.

    Parameters
    ----------
    data : Survey or DataFrame
    column : str
        A numeric, boolean or numeric-coded (Likert) categorical column.
    by, weights, strata, population, level, calibration
        As in :func:`proportion`.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``n`` (respondents with a value),
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``method`` (``"t"``),
        ``weighted_n``, ``deff``, ``n_effective`` (Kish), ``missing``. A group without
        any value has NaN ``estimate``, ``se`` and interval (R's ``svyby(na.rm = TRUE)``
        reports 0 and 0 there: tests/fixtures/edge12).

    Notes
    -----
    Estimate and standard error equal R ``survey`` 4.1 ``svymean`` / ``svyby``; the
    interval is ``estimate ± qt(df) * se`` with the design degrees of freedom of the
    base (respondents with a value minus strata), i.e. ``confint(svymean(~x, sub),
    df = degf(sub))`` on ``sub``, the design subset to the base. Checked against R
    (``tests/fixtures/survey/make_reference.R``); with calibrated weights, against
    R's ``rake()`` and ``postStratify()`` designs, alone or chained
    (``tests/fixtures/calibration/make_reference.R``, ``make_chain_reference.R``).

    Examples
    --------
    >>> df = pd.DataFrame({"km": [2.0, 4.0, 6.0, None], "w": [1.0, 1.0, 2.0, 1.0]})
    >>> mean(df, "km", weights="w")[["n", "estimate", "se", "missing"]]
       n  estimate        se  missing
    0  3       4.5  1.136515        1
    """
    frame, design, groups = _prepare(data, column, by, weights, strata, population, level,
                                     calibration)
    table = mean_rows(design, groups, numeric_values(frame[column], column), level=level)
    return pd.concat([groups.keys.reset_index(drop=True), pd.DataFrame(table)], axis=1)


def quantile(
    data,
    column: str,
    *,
    q=(0.25, 0.5, 0.75),
    by=None,
    weights=None,
    strata: str | None = None,
    population=None,
    level: float = 0.95,
    calibration: Calibration | Literal[False] | None = None,
) -> pd.DataFrame:
    """Weighted quantiles (median and quartiles by default) with Woodruff intervals.

    Parameters
    ----------
    data : Survey or DataFrame
    column : str
        A numeric (or numeric-coded categorical) column.
    q : float or sequence of float
        Probabilities in [0, 1].
    by, weights, strata, population, level, calibration
        As in :func:`proportion`.

    Returns
    -------
    DataFrame
        One row per group and probability: the ``by`` columns, ``q``, ``n``,
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``method`` (``"woodruff"``),
        ``weighted_n``, ``deff``, ``n_effective``, ``missing``.

    Notes
    -----
    As R ``survey`` 4.1 ``svyquantile`` with its defaults ``qrule = "math"`` and
    ``interval.type = "mean"``: the estimate is the smallest value whose weighted
    cumulative share reaches ``q``; the interval is Woodruff's: a t interval (design
    degrees of freedom of the base) for the share of values at or below the estimate,
    mapped back through the same quantile rule; ``se`` is the interval's width over
    ``2 * qt``. Two documented departures from R: when the lower (upper) share bound
    falls below 0 (above 1), R returns NaN and we return the smallest (largest)
    value; when ``q`` is below the weight share of the smallest value, R's ``qs``
    returns the *second* smallest value and we return the smallest. Checked against
    R (``tests/fixtures/survey/make_reference.R``); with calibrated weights the share's
    standard error is that of R's calibrated design, checked against ``svyquantile``
    on ``rake()`` / ``postStratify()`` designs, alone or chained
    (``tests/fixtures/calibration``).

    Examples
    --------
    >>> df = pd.DataFrame({"minutes": [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]})
    >>> quantile(df, "minutes", q=0.5)[["q", "n", "estimate", "ci_low", "ci_high"]]
         q   n  estimate  ci_low  ci_high
    0  0.5  10      50.0    20.0     90.0
    """
    frame, design, groups = _prepare(data, column, by, weights, strata, population, level,
                                     calibration)
    x = numeric_values(frame[column], column)
    table, _ = quantile_rows(design, groups, x, q, level=level)
    keys = groups.keys.take(table.pop("group")).reset_index(drop=True)
    return pd.concat([keys, pd.DataFrame(table)], axis=1)
