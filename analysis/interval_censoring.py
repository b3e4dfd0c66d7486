"""Retention from durations known only as bands: Turnbull's nonparametric MLE, its
bootstrap confidence intervals, and the actuarial life table.

Bands are half-open, ``(lower, upper]``: "6 months to 1 year" is (6, 12] months, and a
neighbouring band (3, 6] shares the bound 6 without overlapping it. An exact duration
is ``lower == upper``; a person still attending after ``lower`` months is
``(lower, inf)``. Everything is computed on the distinct (lower, upper) pairs with their
counts, so a million answers in five bands cost as much as a hundred.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, check_columns, check_option
from analysis.retention import _distinct, _floats
from surveys.codebook import codebook
from surveys.errors import SurveyError

__all__ = ["turnbull", "life_table", "bands_to_intervals", "default_bands"]

def default_bands() -> dict[str, tuple[float, float]]:
    """The codebook's duration bands in months, (lower, upper]; the last one is open.

    Examples
    --------
    >>> default_bands()["6-12m"]
    (6.0, 12.0)
    """
    variable = codebook("thirdplace").variables["attendance_band"]
    return {str(k): (float(a), float(b)) for k, (a, b) in variable.bands.items()}


def bands_to_intervals(
    series, bands: Mapping[str, tuple[float, float]] | None = None, *, observed=None
) -> pd.DataFrame:
    """Turn duration-band codes into (lower, upper] intervals in months.

    Parameters
    ----------
    series : array-like
        Band codes, e.g. the ``attendance_band`` column (``"<3m"`` ... ``">2y"``).
    bands : mapping, optional
        code -> (lower, upper); default the codebook's bands. Users may declare others.
    observed : array-like of bool, optional
        False for people still attending: their stay is only known to exceed the lower
        bound, so the interval becomes (lower, inf).

    Returns
    -------
    DataFrame
        ``lower`` and ``upper`` (float), on the index of ``series``; NaN where the band
        is missing.

    Examples
    --------
    >>> bands_to_intervals(["<3m", "6-12m", ">2y"])
       lower  upper
    0    0.0    3.0
    1    6.0   12.0
    2   24.0    inf
    """
    bands = default_bands() if bands is None else dict(bands)
    series = pd.Series(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        lower, upper = _category_bounds(series, bands)
        values = series
    else:
        values = series.astype(object)
        known = values.isna() | values.isin(list(bands))
        if not known.all():
            _unknown_bands(values[~known].unique(), bands)
        lower = values.map({k: v[0] for k, v in bands.items()}).astype(float)
        upper = values.map({k: v[1] for k, v in bands.items()}).astype(float)
    if observed is not None:
        still = ~np.asarray(pd.Series(observed, index=values.index).fillna(True), dtype=bool)
        upper[still & lower.notna().to_numpy()] = np.inf
    return pd.DataFrame({"lower": lower, "upper": upper})


def _unknown_bands(codes, bands: dict) -> None:
    bad = sorted(map(str, codes))
    raise SurveyError(f"Unknown duration band(s) {bad}; declared bands: {list(bands)}.")


def _category_bounds(series: pd.Series, bands: dict) -> tuple[pd.Series, pd.Series]:
    """Lower and upper bounds of a categorical column, looked up once per category."""
    categories = pd.Series(series.cat.categories.astype(object))
    codes = series.cat.codes.to_numpy()
    unknown = ~categories.isin(list(bands)).to_numpy()
    used = np.zeros(len(categories) + 1, dtype=bool)
    used[codes] = True                                  # the last slot: missing (-1)
    if (unknown & used[:-1]).any():
        _unknown_bands(categories[unknown & used[:-1]], bands)
    bounds = []
    for side in (0, 1):
        per_category = categories.map({k: v[side] for k, v in bands.items()}).astype(float)
        values = np.append(per_category.to_numpy(), np.nan)[codes]
        bounds.append(pd.Series(values, index=series.index, name=series.name))
    return bounds[0], bounds[1]


# ----------------------------------------------------------------------------- inputs
def _intervals(lower, upper, weights, data):
    """Validated float arrays (lower, upper, weight)."""
    frame = None if data is None else as_frame(data)
    arrays = []
    for name, value in (("lower", lower), ("upper", upper), ("weights", weights)):
        if value is None:
            arrays.append(None)
        elif isinstance(value, str):
            if frame is None:
                raise SurveyError(f"{name}={value!r} is a column name but no data= was given.")
            check_columns(frame, [value])
            arrays.append(_floats(frame[value], name))
        else:
            arrays.append(_floats(np.asarray(value), name))
    lo, hi, w = arrays
    w = np.ones(len(lo)) if w is None else w
    if not (len(lo) == len(hi) == len(w)) or len(lo) == 0:
        raise SurveyError("lower, upper (and weights) must be non-empty and of one length.")
    if np.isnan(lo).any() or np.isnan(hi).any():
        raise SurveyError("lower/upper have missing values; drop unanswered bands first.")
    if (lo < 0).any() or (hi < lo).any() or np.isinf(lo).any():
        raise SurveyError("Each interval needs 0 <= lower <= upper and a finite lower bound.")
    if np.isnan(w).any() or (w < 0).any():
        raise SurveyError("weights must be non-negative numbers without missing values.")
    return lo, hi, w


# ----------------------------------------------------------------------------- Turnbull
def _turnbull_intervals(lo, hi):
    """Innermost intervals: a left end immediately followed by a right end.

    Sort order at equal values: an exact time's left end (closed), then right ends, then
    open left ends -- so (a, 6] and (6, b] do not meet and an exact 6 lies in (a, 6].
    """
    exact = lo == hi
    values = np.concatenate([lo, hi])
    kinds = np.concatenate([np.where(exact, 0, 2), np.ones(len(hi), dtype=int)])
    order = np.lexsort((kinds, values))
    values, kinds = values[order], kinds[order]
    starts = np.flatnonzero((kinds[:-1] != 1) & (kinds[1:] == 1))
    left, right = values[starts], values[starts + 1]
    left_kind = kinds[starts]
    _, unique = np.unique(np.column_stack([left, right, left_kind]), axis=0, return_index=True)
    unique = np.sort(unique)
    return left[unique], right[unique], left_kind[unique]


def _membership(lo, hi, left, right, left_kind):
    """Boolean matrix: Turnbull interval j lies inside observation i."""
    obs_kind = np.where(lo == hi, 0, 2)[:, None]
    starts_inside = (left[None, :] > lo[:, None]) | (
        (left[None, :] == lo[:, None]) & (left_kind[None, :] >= obs_kind))
    return starts_inside & (right[None, :] <= hi[:, None])


def _em(member, counts, tol, max_iter):
    """Self-consistency (EM) accelerated by SQUAREM, for many count vectors at once.

    ``counts`` has one row per data set (the data, or bootstrap resamples). Each step
    takes two EM steps, extrapolates along them (Varadhan & Roland's SQUAREM, scheme 3),
    clips negative masses to 0 and takes one more EM step; rows where that lowers the
    likelihood keep the plain EM result. It stops when the Kuhn–Tucker conditions of the
    NPMLE hold to ``tol``: the EM multiplier (the likelihood gradient divided by n) is
    within ``tol`` of 1 wherever there is mass, and at most ``1 + tol`` where there is
    none. Masses EM is shrinking to 0 (below 1e-9 with a multiplier under 1 - 1e-6) are
    set to 0, since EM alone only approaches 0 geometrically.
    """
    counts = np.atleast_2d(counts)
    a = member.astype(float)
    result = np.tile(a.sum(axis=0) / a.sum(), (counts.shape[0], 1))
    active = np.arange(counts.shape[0])   # rows not converged yet
    for iteration in range(1, max_iter + 1):
        mass, done = _squarem_step(a, counts[active], result[active], tol)
        result[active] = mass
        active = active[~done]
        if active.size == 0:
            return result, iteration
    raise SurveyError(
        f"Turnbull's EM did not converge to {tol:g} in {max_iter} iterations; raise "
        "max_iter or loosen tol.")


def _squarem_step(a, counts, mass, tol):
    """One SQUAREM step for each row; returns (mass, converged) -- converged rows unchanged."""
    total = counts.sum(axis=1, keepdims=True)

    def step(m):
        new = m * _gradient(a, counts, m, total)
        return new / new.sum(axis=1, keepdims=True)

    gradient = _gradient(a, counts, mass, total)
    mass = np.where((mass < 1e-9) & (gradient < 1 - 1e-6), 0.0, mass)
    off = np.where(mass > 0, np.abs(gradient - 1), np.maximum(gradient - 1, 0))
    done = off.max(axis=1) < tol
    revive = (mass == 0) & (gradient > 1 + tol)
    mass = np.where(revive, 1e-6, mass)          # a mass wrongly set to 0 comes back
    mass /= mass.sum(axis=1, keepdims=True)
    first = step(mass)
    second = step(first)
    r, v = first - mass, second - 2 * first + mass
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = -np.sqrt((r**2).sum(axis=1, keepdims=True) / (v**2).sum(axis=1, keepdims=True))
    alpha = np.where(np.isfinite(alpha), np.minimum(alpha, -1.0), -1.0)
    jump = np.clip(mass - 2 * alpha * r + alpha**2 * v, 0, None)
    jump = step(jump / jump.sum(axis=1, keepdims=True))
    better = _loglik(a, counts, jump) >= _loglik(a, counts, second)
    new = np.where(better[:, None], jump, second)
    return np.where(done[:, None], mass, new), done


def _loglik(a, counts, mass):
    """Log-likelihood of each row of ``mass`` (-inf where an answer gets no mass)."""
    with np.errstate(divide="ignore"):
        return (counts * np.log(np.where(counts > 0, mass @ a.T, 1.0))).sum(axis=1)


def _gradient(a, counts, mass, total):
    """EM multiplier: sum_i c_i A_ij / (A p)_i / N, equal to 1 on the support at the MLE."""
    denom = mass @ a.T
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(counts > 0, counts / denom, 0.0)
    return (ratio @ a) / total


def _aggregate(lo, hi, w):
    """Distinct (lower, upper) pairs (sorted), their weighted counts, each row's pair."""
    lows, low_code = _distinct(lo)
    highs, high_code = _distinct(hi)
    keys, pair = _distinct(low_code.astype(np.int64) * len(highs) + high_code)
    counts = np.bincount(pair, weights=w, minlength=len(keys))
    return lows[keys // len(highs)], highs[keys % len(highs)], counts, pair


def _bootstrap_counts(pair, w, n_pairs, n_boot, seed):
    """Weighted count of each distinct pair in ``n_boot`` multinomial resamples.

    Rows are grouped into cells of equal (pair, weight); one multinomial draw over the
    cells per resample replaces resampling rows one by one.
    """
    weights, weight_code = _distinct(w)
    keys, inverse = _distinct(pair.astype(np.int64) * len(weights) + weight_code)
    cells = np.column_stack([keys // len(weights), weights[keys % len(weights)]])
    rows = np.bincount(inverse)
    draws = np.random.default_rng(seed).multinomial(int(rows.sum()), rows / rows.sum(),
                                                    size=n_boot)
    counts = np.zeros((n_pairs, n_boot))
    np.add.at(counts, cells[:, 0].astype(np.intp), (draws * cells[:, 1]).T)
    return counts.T


def turnbull(
    lower,
    upper,
    *,
    weights=None,
    data=None,
    n_boot: int = 0,
    seed: int | None = None,
    level: float = 0.95,
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> pd.DataFrame:
    """Turnbull's nonparametric MLE of retention from durations known as intervals.

    Parameters
    ----------
    lower, upper : array-like or column names
        Each duration lies in the half-open interval (lower, upper]; ``lower == upper``
        is an exact duration, ``upper = inf`` a stay still going on after ``lower``. Use
        :func:`bands_to_intervals` to turn band codes into intervals.
    weights : array-like or column name, optional
        Case weights.
    data : Survey or DataFrame, optional
        When given, ``lower``, ``upper`` and ``weights`` are column names.
    n_boot : int
        Bootstrap resamples for percentile confidence intervals (0: none). Resampling
        draws multinomial counts of the distinct answers, not rows.
    seed : int, optional
        Seed of the bootstrap.
    level : float
        Confidence level of the bootstrap intervals.
    tol, max_iter : float, int
        The (SQUAREM-accelerated) EM stops when the Kuhn–Tucker conditions of the
        NPMLE hold to ``tol``; it raises :class:`SurveyError` after ``max_iter`` steps.

    Returns
    -------
    DataFrame
        One row per distinct bound of the Turnbull intervals, where the estimate is
        determined: ``time``, ``survival`` (share whose stay exceeds ``time``), ``se``,
        ``ci_low``, ``ci_high`` (bootstrap; NaN without ``n_boot``), and the Turnbull
        interval that ends at ``time`` -- ``lower``, ``upper``, ``mass`` (its estimated
        probability; mass 0 and NaN bounds on rows that only start an interval) --
        then ``n`` (weighted answers) and ``method``. Between bounds the curve is not
        determined (the mass may lie anywhere inside its interval).

    Notes
    -----
    Checked against R ``survival::survfit(Surv(l, r, type = "interval2"))``, which
    uses the same (l, r] convention, to 1e-8 at every bound (the R script in
    ``tests/fixtures/survival`` tightens R's hard-coded 5e-5 EM stop). lifelines'
    ``fit_interval_censoring`` treats intervals as closed, which moves mass onto bounds
    shared by two bands; give it bounds nudged up by a tiny amount to agree.

    Examples
    --------
    >>> turnbull([0, 3, 3, 6], [3, 6, np.inf, np.inf])[["time", "survival", "mass"]]
       time  survival  mass
    0   0.0     1.000  0.000
    1   3.0     0.750  0.250
    2   6.0     0.375  0.375
    3   inf     0.000  0.375
    """
    if int(n_boot) != n_boot or n_boot < 0:
        raise SurveyError(f"n_boot must be a whole number >= 0, got {n_boot!r}.")
    lo, hi, w = _intervals(lower, upper, weights, data)
    plo, phi, counts, pair = _aggregate(lo, hi, w)
    left, right, left_kind = _turnbull_intervals(plo, phi)
    member = _membership(plo, phi, left, right, left_kind)
    mass, _ = _em(member, counts, tol, max_iter)
    table = _bound_table(left, right, mass[0])
    table["se"] = table["ci_low"] = table["ci_high"] = np.nan
    if n_boot:
        boot_counts = _bootstrap_counts(pair, w, len(plo), int(n_boot), seed)
        boot, _ = _em(member, boot_counts, tol, max_iter)
        curves = _bound_survival(left, right, boot)
        alpha = (1 - level) / 2
        table["se"] = curves.std(axis=0, ddof=1)
        table["ci_low"] = np.quantile(curves, alpha, axis=0)
        table["ci_high"] = np.quantile(curves, 1 - alpha, axis=0)
    table["n"] = w.sum()
    table["method"] = "Turnbull NPMLE" + (f", percentile bootstrap ({n_boot})" if n_boot else "")
    return table[["time", "survival", "se", "ci_low", "ci_high", "lower", "upper", "mass",
                  "n", "method"]]


def _bound_survival(left, right, mass):
    """Survival at every distinct bound, for each row of ``mass``."""
    times = np.unique(np.concatenate([left, right]))
    ends = np.searchsorted(times, right)
    ended = np.zeros((mass.shape[0], len(times)))
    ended[:, ends] = mass            # one Turnbull interval ends at each such bound
    survival = 1 - np.cumsum(ended, axis=1)
    survival[np.abs(survival) < 1e-12] = 0.0  # rounding left by summing the masses to 1
    return np.clip(survival, 0, 1)


def _bound_table(left, right, mass) -> pd.DataFrame:
    """Survival at every distinct bound of the Turnbull intervals, and their masses."""
    times = np.unique(np.concatenate([left, right]))
    ends = np.searchsorted(times, right)
    ended = np.zeros(len(times))
    lower = np.full(len(times), np.nan)
    upper = np.full(len(times), np.nan)
    ended[ends], lower[ends], upper[ends] = mass, left, right
    return pd.DataFrame({"time": times, "survival": _bound_survival(left, right, mass[None])[0],
                         "lower": lower, "upper": upper, "mass": ended})


# ----------------------------------------------------------------------------- life table
def life_table(
    lower,
    upper,
    observed=None,
    *,
    weights=None,
    data=None,
    level: float = 0.95,
    conf_type: Literal["log", "plain"] = "plain",
) -> pd.DataFrame:
    """Actuarial life table for answers in fixed bands (lower, upper].

    Parameters
    ----------
    lower, upper : array-like or column names
        The band of each answer (see :func:`bands_to_intervals`, without ``observed``).
    observed : array-like or column name of bool, optional
        True when the stay ended within the band (a former user), False when the
        person is still there (withdrawn alive during the band). Default: all ended.
    weights, data, level
        As :func:`turnbull`.
    conf_type : {"plain", "log"}
        Scale of the Greenwood confidence interval.

    Returns
    -------
    DataFrame
        One row per band: ``lower``, ``upper``, ``entering`` (still there at the start
        of the band), ``events``, ``censored``, ``at_risk`` (entering - censored / 2),
        ``hazard`` (events / at_risk, the conditional probability of leaving during
        the band), ``survival`` (at the end of the band), ``se``, ``ci_low``,
        ``ci_high``, ``method``.

    Notes
    -----
    The classical actuarial (Cutler–Ederer) estimator: people withdrawn during a band
    count as at risk for half of it; Greenwood's variance
    ``S**2 * sum(q / (at_risk * (1 - q)))``. R ``survival`` has no life table; the
    test checks a table computed by hand. Bands must not overlap.

    Examples
    --------
    >>> life_table([0, 0, 3, 3], [3, 3, 6, 6], [True, False, True, True])[
    ...     ["lower", "upper", "entering", "at_risk", "survival"]]
       lower  upper  entering  at_risk  survival
    0    0.0    3.0       4.0      3.5  0.714286
    1    3.0    6.0       2.0      2.0  0.000000
    """
    check_option("conf_type", conf_type, ("plain", "log"))
    frame = None if data is None else as_frame(data)
    lo, hi, w = _intervals(lower, upper, weights, data)
    if observed is None:
        event = np.ones(len(lo))
    elif isinstance(observed, str):
        check_columns(frame, [observed])
        event = frame[observed].to_numpy(dtype=float)
    else:
        event = np.asarray(observed, dtype=float)
    band_lower, band_upper, total, index = _aggregate(lo, hi, w)
    if (band_lower[1:] < band_upper[:-1]).any():
        listed = list(zip(band_lower.tolist(), band_upper.tolist()))
        raise SurveyError(f"life_table needs bands that do not overlap; got {listed}.")
    events = np.bincount(index, weights=w * event, minlength=len(total))
    censored = total - events
    entering = np.cumsum(total[::-1])[::-1]
    at_risk = entering - censored / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, events / at_risk, 0.0)
        survival = np.cumprod(1 - hazard)
        log_se = np.sqrt(np.cumsum(np.where(events > 0, hazard / (at_risk - events), 0.0)))
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(invalid="ignore", over="ignore"):
        se = survival * log_se
        if conf_type == "plain":
            low, high = survival - z * se, survival + z * se
        else:
            low, high = survival * np.exp(-z * log_se), survival * np.exp(z * log_se)
    return pd.DataFrame({
        "lower": band_lower, "upper": band_upper, "entering": entering, "events": events,
        "censored": censored, "at_risk": at_risk, "hazard": hazard, "survival": survival,
        "se": se, "ci_low": np.clip(low, 0, 1), "ci_high": np.clip(high, 0, 1),
        "method": f"actuarial life table, Greenwood SE, {conf_type} CI"})
