"""Confidence intervals for proportions that stay inside [0, 1], including at 0 % and 100 %.

Four methods, vectorised over arrays of estimates:

- ``"wilson"``: Wilson's score interval on ``n`` (the plain binomial formula);
- ``"clopper-pearson"``: the exact binomial interval on ``n``;
- ``"logit"``: a Wald interval on the logit scale using the design standard error
  and a t quantile on the design degrees of freedom, as R ``survey``'s
  ``svyciprop(method = "logit")``;
- ``"beta"``: Korn and Graubard's interval, a Clopper-Pearson interval on the
  design-effective sample size adjusted for the design degrees of freedom, as
  ``svyciprop(method = "beta")``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis._data import check_option
from analysis._design import check_level

__all__ = ["proportion_ci", "CI_METHODS"]

#: Interval methods for proportions.
CI_METHODS = ("wilson", "clopper-pearson", "logit", "beta")

Method = Literal["wilson", "clopper-pearson", "logit", "beta"]


def proportion_ci(
    estimate,
    n,
    *,
    method: Method = "wilson",
    level: float = 0.95,
    se=None,
    df=None,
    n_effective=None,
) -> pd.DataFrame:
    """Confidence intervals for proportions.

    Parameters
    ----------
    estimate : array-like
        Proportions (fractions in [0, 1]); NaN gives a NaN interval.
    n : array-like
        Unweighted number of respondents each proportion rests on.
    method : {"wilson", "clopper-pearson", "logit", "beta"}
        Interval method (see the module docstring).
    level : float
        Confidence level.
    se : array-like, optional
        Design standard error of each estimate (needed by ``"logit"`` and ``"beta"``).
    df : array-like, optional
        Design degrees of freedom (needed by ``"logit"`` and ``"beta"``); values below 1
        are raised to 1.
    n_effective : array-like, optional
        Kish effective sample size. ``"wilson"`` and ``"clopper-pearson"`` use it in place
        of ``n`` when given (weighted data); ``"beta"`` uses it where the design effective
        size ``p(1 - p) / se**2`` is undefined (p = 0 or 1).

    Returns
    -------
    DataFrame
        One row per estimate: ``ci_low``, ``ci_high``, ``method`` (the method actually
        used: ``"logit"`` falls back to ``"beta"`` at 0 % and 100 %, where the logit is
        infinite).

    Notes
    -----
    Wilson: ``(x + z²/2) / (n + z²) ± z / (n + z²) * sqrt(x (n - x) / n + z²/4)`` with
    ``x = estimate * n``. Checked against R ``binom::binom.wilson`` values and, for the
    design-based methods, against R ``survey`` 4.1 ``svyciprop`` (fixtures in
    ``tests/fixtures/survey``). ``"beta"`` at p = 0 (p = 1) is the Clopper-Pearson
    interval of 0 (all) out of ``n_effective`` (df-adjusted), where R returns NaN;
    with a zero standard error and 0 < p < 1 (a fully enumerated population) the
    interval is the point ``[p, p]``.

    Examples
    --------
    >>> proportion_ci([0.25, 0.0], [20, 20])
        ci_low   ci_high  method
    0  0.111862  0.468701  wilson
    1  0.000000  0.161125  wilson
    """
    check_option("method", method, CI_METHODS)
    check_level(level)
    p = np.atleast_1d(np.asarray(estimate, dtype=float))
    size = np.broadcast_to(np.asarray(n, dtype=float), p.shape)
    used = np.full(p.shape, method, dtype=object)
    if method in ("wilson", "clopper-pearson"):
        if n_effective is not None:
            size = np.broadcast_to(np.asarray(n_effective, dtype=float), p.shape)
        compute = _wilson if method == "wilson" else _clopper_pearson
        low, high = compute(p, size, level)
    else:
        if se is None or df is None:
            raise TypeError(f"method={method!r} needs the design se and df.")
        se = np.broadcast_to(np.asarray(se, dtype=float), p.shape)
        df = np.broadcast_to(np.asarray(df, dtype=float), p.shape)
        fallback = size if n_effective is None else np.broadcast_to(
            np.asarray(n_effective, dtype=float), p.shape
        )
        low, high = _korn_graubard(p, size, se, df, fallback, level)
        if method == "logit":
            inside = (p > 0) & (p < 1)
            logit_low, logit_high = _logit(p[inside], se[inside], df[inside], level)
            low[inside], high[inside] = logit_low, logit_high
            used[~inside & ~np.isnan(p)] = "beta"
    return pd.DataFrame(
        {"ci_low": np.clip(low, 0.0, 1.0), "ci_high": np.clip(high, 0.0, 1.0), "method": used}
    )


def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _wilson(p, n, level):
    z = _z(level)
    x = p * n
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (x + z**2 / 2) / (n + z**2)
        half = z / (n + z**2) * np.sqrt(np.maximum(x * (n - x) / n, 0.0) + z**2 / 4)
    low, high = centre - half, centre + half
    return np.where(p <= 0, 0.0, low), np.where(p >= 1, 1.0, high)


def _clopper_pearson(p, n, level):
    alpha = 1 - level
    x = p * n
    with np.errstate(divide="ignore", invalid="ignore"):
        low = stats.beta.ppf(alpha / 2, np.where(p > 0, x, 1.0), n - x + 1)
        high = stats.beta.ppf(1 - alpha / 2, x + 1, np.where(p < 1, n - x, 1.0))
    bad = np.isnan(p) | ~(n > 0)
    low = np.where(bad, np.nan, np.where(p <= 0, 0.0, low))
    high = np.where(bad, np.nan, np.where(p >= 1, 1.0, high))
    return low, high


def _logit(p, se, df, level):
    """``expit(logit(p) ± qt(df) * se / (p (1 - p)))``, as ``svyciprop(method="logit")``."""
    from analysis._design import t_quantile

    half = t_quantile(level, df) * se / (p * (1 - p))
    centre = special.logit(p)
    return special.expit(centre - half), special.expit(centre + half)


def _korn_graubard(p, n, se, df, fallback, level):
    """Korn-Graubard interval (R ``svyciprop(method = "beta")``), defined at 0 and 1."""
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        design_n = p * (1 - p) / se**2
        defined = (p > 0) & (p < 1) & (se > 0)
        size = np.where(defined, design_n, fallback)
        ratio = stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)
    ratio = np.where((n - 1 >= 1) & (df >= 1), ratio, 1.0)
    size = size * ratio**2
    low, high = _clopper_pearson(p, size, level)
    point = (p > 0) & (p < 1) & (se == 0)
    return np.where(point, p, low), np.where(point, p, high)
