"""Retention as survival analysis: Kaplan–Meier, quantiles of duration, retention at
horizons and log-rank comparisons, for right-censored durations (people still coming).

Every function aggregates to distinct times first (``np.unique`` + ``np.bincount``), so
the cost grows with the number of distinct durations, not with the number of people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, check_columns, check_option
from surveys.errors import SurveyError

__all__ = ["kaplan_meier", "survival_quantiles", "retention_at", "logrank"]

ConfType = Literal["log", "log-log", "plain"]
CONF_TYPES = ("log", "log-log", "plain")
KM_COLUMNS = ["time", "at_risk", "events", "censored", "survival", "se", "ci_low", "ci_high"]


# ----------------------------------------------------------------------------- inputs
def _column_or_array(frame, value, name: str, n: int | None = None):
    """``value`` is a column name of ``frame`` or an array-like; return a 1-d numpy array."""
    if frame is not None and isinstance(value, str):
        check_columns(frame, [value])
        return frame[value].to_numpy()
    if isinstance(value, str):
        raise SurveyError(f"{name}={value!r} is a column name but no data= was given; pass data=.")
    array = np.asarray(value.to_numpy() if isinstance(value, pd.Series | pd.Index) else value)
    if array.ndim != 1 or (n is not None and len(array) != n):
        raise SurveyError(f"{name} must be one value per duration ({n}), got shape {array.shape}.")
    return array


def _floats(array, name: str) -> np.ndarray:
    """Float copy of ``array``; pandas NA (nullable Int64/Float64 columns) becomes NaN."""
    try:
        return pd.Series(array).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise SurveyError(f"{name} must be numbers; got values such as {array[:3]!r}.") from None


def _durations(durations, observed, weights, data=None):
    """Check and return (time, event, weight) as float, float(0/1), float arrays."""
    frame = None if data is None else as_frame(data)
    time = _floats(_column_or_array(frame, durations, "durations"), "durations")
    n = len(time)
    if n == 0:
        raise SurveyError("No durations to analyse: the input is empty.")
    event = (np.ones(n) if observed is None
             else _column_or_array(frame, observed, "observed", n))
    if pd.isna(pd.Series(event)).any():
        raise SurveyError("observed has missing values; say for each duration whether it ended.")
    event = np.asarray(event).astype(float)
    weight = None if weights is None else _floats(
        _column_or_array(frame, weights, "weights", n), "weights")
    if np.isnan(time).any():
        raise SurveyError("durations has missing values; drop those rows first.")
    if (time < 0).any():
        raise SurveyError(f"durations must be >= 0; found {time.min()}.")
    if not ((event == 0) | (event == 1)).all():
        raise SurveyError("observed must be true/false (1/0) for every duration.")
    if weight is not None and (np.isnan(weight).any() or (weight < 0).any()):
        raise SurveyError("weights must be non-negative numbers without missing values.")
    return time, event, weight


def _groups(by, data, n):
    """Return (labels, codes, name) for the ``by`` argument (None -> one group)."""
    if by is None:
        return [None], np.zeros(n, dtype=np.intp), None
    name = by if isinstance(by, str) else getattr(by, "name", None) or "group"
    values = _column_or_array(None if data is None else as_frame(data), by, "by", n)
    codes, labels = pd.factorize(pd.Series(values), sort=True)
    if (codes < 0).any():
        raise SurveyError(f"by={name!r} has missing values; drop or recode them first.")
    return list(labels), codes, name


# ----------------------------------------------------------------------------- Kaplan–Meier
def _distinct(values: np.ndarray):
    """Sorted distinct values and each value's position among them.

    Whole numbers in a small range are counted directly; other values are hashed
    (``pd.factorize``, linear time) and only the distinct values sorted: both faster
    than ``np.unique``, which sorts every row.
    """
    if len(values) > 1000 and values.min() >= 0 and values.max() < 4 * len(values):
        whole = values.astype(np.int64)
        if (whole == values).all():   # whole numbers (days, months): count, no hashing
            present = np.bincount(whole) > 0
            rank = np.cumsum(present) - 1
            return np.flatnonzero(present).astype(values.dtype), rank[whole]
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return uniques[order], rank[codes]


def _km_counts(time, event, weight):
    """Weighted at-risk, events and censored at each distinct time, times sorted."""
    times, index = _distinct(time)
    total = np.bincount(index, weights=weight, minlength=len(times)).astype(float)
    events = np.bincount(index, weights=event if weight is None else weight * event,
                         minlength=len(times))
    at_risk = np.cumsum(total[::-1])[::-1]
    return times, at_risk, events, total - events


def _confint(survival, log_se, conf_type: str, level: float):
    """Pointwise CI as R ``survival:::survfit_confint`` (log_se = SE of -log S)."""
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            half = z * log_se * survival
            low, high = survival - half, survival + half
        elif conf_type == "log":
            s = np.where(survival == 0, np.nan, survival)
            low, high = s * np.exp(-z * log_se), s * np.exp(z * log_se)
        else:  # log-log
            s = np.where((survival == 0) | (survival == 1), np.nan, survival)
            shift = z * log_se / np.log(s)
            low = np.exp(-np.exp(np.log(-np.log(s)) - shift))
            high = np.exp(-np.exp(np.log(-np.log(s)) + shift))
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def _km_table(time, event, weight, conf_type: str, level: float) -> pd.DataFrame:
    """One group's Kaplan–Meier table (vectorised cumulative products)."""
    times, at_risk, events, censored = _km_counts(time, event, weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - np.where(at_risk > 0, events / at_risk, 0.0))
        term = np.where(events > 0, events / (at_risk * (at_risk - events)), 0.0)
    log_se = np.sqrt(np.cumsum(term))          # Greenwood SE of the cumulative hazard
    with np.errstate(invalid="ignore"):
        se = log_se * survival                  # SE of the survival (0 * inf -> NaN as R)
    low, high = _confint(survival, log_se, conf_type, level)
    return pd.DataFrame({"time": times, "at_risk": at_risk, "events": events,
                         "censored": censored, "survival": survival, "se": se,
                         "ci_low": low, "ci_high": high})


def kaplan_meier(
    durations,
    observed=None,
    *,
    weights=None,
    by=None,
    data=None,
    level: float = 0.95,
    conf_type: ConfType = "log",
) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share still staying, with Greenwood confidence bands.

    Parameters
    ----------
    durations : array-like or column name
        Time from start to the end of follow-up (>= 0), e.g. months of attendance.
    observed : array-like or column name, optional
        True where the stay ended (event), False where the person is still there
        (right-censored). Default: every stay ended.
    weights : array-like or column name, optional
        Case weights (R ``survfit(weights=)``): counts are weighted sums.
    by : array-like or column name, optional
        Groups; one curve per group, the group in a column named after ``by``.
    data : Survey or DataFrame, optional
        When given, ``durations``, ``observed``, ``weights`` and ``by`` are column names.
    level : float
        Confidence level of the pointwise intervals.
    conf_type : {"log", "log-log", "plain"}
        Scale of the interval, as R ``survfit(conf.type=)``; "log" is R's default.

    Returns
    -------
    DataFrame
        One row per distinct time (event or censoring) per group: the ``by`` column,
        ``time``, ``at_risk``, ``events``, ``censored`` (weighted counts), ``survival``,
        ``se`` (Greenwood standard error *of the survival*, R's
        ``summary(fit)$std.err``), ``ci_low``, ``ci_high`` (clipped to [0, 1]; NaN
        where R gives NA: survival 0, or survival 1 on the log-log scale), ``method``.

    Notes
    -----
    Checked against R ``survival::survfit`` (``summary(fit, censored=TRUE)``) to 1e-8 on
    the data in ``tests/fixtures/survival`` (ties, censoring, weights, groups, all three
    CI types). R stores the Greenwood SE of the cumulative hazard in ``fit$std.err``;
    ``se`` here is that value times the survival. With non-integer weights R switches to
    a robust variance unless ``robust=FALSE``; this function always uses Greenwood's.

    Examples
    --------
    >>> kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1])[["time", "at_risk", "events", "survival"]]
       time  at_risk  events  survival
    0   1.0      4.0     1.0      0.75
    1   2.0      3.0     1.0      0.50
    2   3.0      1.0     1.0      0.00
    """
    check_option("conf_type", conf_type, CONF_TYPES)
    time, event, weight = _durations(durations, observed, weights, data)
    labels, codes, name = _groups(by, data, len(time))
    tables = []
    for code, label in enumerate(labels):
        keep = slice(None) if len(labels) == 1 else codes == code
        table = _km_table(time[keep], event[keep], None if weight is None else weight[keep],
                          conf_type, level)
        if name is not None:
            table.insert(0, name, label)
        tables.append(table)
    result = pd.concat(tables, ignore_index=True)
    result["method"] = f"Kaplan-Meier, Greenwood SE, {conf_type} CI"
    return result


# ----------------------------------------------------------------------------- quantiles
def _findq(x, y, probs, tol):
    """R ``survival:::findq``: first x where the curve 1 - S reaches p, midpoint on flats."""
    probs = np.asarray(probs, dtype=float)
    if np.all(np.isnan(y)) or np.nanmax(y) < probs.min():
        return np.full(len(probs), np.nan)
    xmax = x[-1]
    y = np.fmax.accumulate(y)   # first crossing even where a CI curve turns back up
    keep = ~pd.Series(y).duplicated().to_numpy()
    x, y = x[keep], y[keep]
    index = np.arange(len(y))
    valid = ~np.isnan(y)

    def step(offset):
        nodes, positions = y[valid] + offset, index[valid]
        at = np.searchsorted(nodes, probs, side="left")
        inside = (probs >= nodes[0]) & (probs <= nodes[-1])
        return np.where(inside, positions[np.minimum(at, len(nodes) - 1)], -1)

    first, second = step(tol), step(-tol)
    quant = np.where((first >= 0) & (second >= 0),
                     (x[np.maximum(first, 0)] + x[np.maximum(second, 0)]) / 2, np.nan)
    quant[probs == 0] = x[0]
    if not np.isnan(y[-1]):
        last = (np.abs(probs - y[-1]) < tol) & (first >= 0)
        quant[last] = (x[np.maximum(first, 0)][last] + xmax) / 2
    return quant


def survival_quantiles(
    durations,
    observed=None,
    *,
    probs: Sequence[float] = (0.25, 0.5, 0.75),
    weights=None,
    by=None,
    data=None,
    level: float = 0.95,
    conf_type: ConfType = "log",
) -> pd.DataFrame:
    """Quantiles of duration (the median by default among them) with Brookmeyer–Crowley CIs.

    Parameters
    ----------
    durations : array-like, column name, or a table returned by :func:`kaplan_meier`
        Durations (as :func:`kaplan_meier`), or an already computed Kaplan–Meier table.
    observed, weights, by, data, level, conf_type
        As :func:`kaplan_meier` (ignored when ``durations`` is a Kaplan–Meier table).
    probs : sequence of float
        Probabilities of leaving: 0.5 is the median duration, 0.25 the time by which a
        quarter have left.

    Returns
    -------
    DataFrame
        One row per group and probability: the ``by`` column, ``probability``,
        ``estimate`` (the duration), ``ci_low``, ``ci_high`` (NaN where the curve or its
        confidence band never reaches the level), ``method``.

    Notes
    -----
    Same rule as R ``quantile(survfit(...), probs)`` and the median of ``print(fit)``:
    the first time the curve falls to ``1 - p`` or below; where it is exactly ``1 - p``
    over an interval, the midpoint of that interval. The interval is where the lower
    and upper confidence curves cross ``1 - p`` (Brookmeyer & Crowley, 1982). Checked
    against R ``survival`` 3.5 on the fixtures. A confidence curve can turn back up
    (e.g. after a late event with few at risk); the first crossing is kept, as R's
    ``print(fit)`` does, whereas R's ``quantile()`` then sorts the curve and may report
    a later time.

    Examples
    --------
    >>> survival_quantiles([1, 2, 3, 4], probs=[0.5])[["probability", "estimate"]]
       probability  estimate
    0          0.5       2.5
    """
    if isinstance(durations, pd.DataFrame) and "survival" in durations.columns:
        fit = durations
    else:
        fit = kaplan_meier(durations, observed, weights=weights, by=by, data=data,
                           level=level, conf_type=conf_type)
    probs = np.asarray(probs, dtype=float)
    if np.isnan(probs).any() or (probs < 0).any() or (probs > 1).any():
        raise SurveyError(f"probs must be between 0 and 1, got {probs.tolist()}.")
    by_cols = [c for c in fit.columns if c not in KM_COLUMNS + ["method"]]
    groups = fit.groupby(by_cols, sort=False, observed=True) if by_cols else [((), fit)]
    rows = []
    tol = np.sqrt(np.finfo(float).eps)
    for key, table in groups:
        x = np.concatenate([[0.0], table["time"].to_numpy(float)])
        curves = [np.concatenate([[0.0], 1 - table[c].to_numpy(float)])
                  for c in ("survival", "ci_low", "ci_high")]
        est, low, high = (_findq(x, y, probs, tol) for y in curves)
        part = pd.DataFrame({"probability": probs, "estimate": est, "ci_low": low,
                             "ci_high": high})
        for col, value in zip(by_cols, key if isinstance(key, tuple) else (key,)):
            part.insert(by_cols.index(col), col, value)
        rows.append(part)
    result = pd.concat(rows, ignore_index=True)
    result["method"] = "Kaplan-Meier quantile, Brookmeyer-Crowley CI"
    return result


# ----------------------------------------------------------------------------- horizons
def retention_at(
    durations,
    observed=None,
    *,
    horizons: Sequence[float] = (3, 6, 12, 24),
    weights=None,
    by=None,
    data=None,
    level: float = 0.95,
    conf_type: ConfType = "log",
) -> pd.DataFrame:
    """Share still staying at chosen horizons (3, 6, 12 and 24 months by default).

    Parameters
    ----------
    durations : array-like, column name, or a table returned by :func:`kaplan_meier`
        As :func:`survival_quantiles`.
    observed, weights, by, data, level, conf_type
        As :func:`kaplan_meier`.
    horizons : sequence of float
        Times at which to read the curve, in the unit of the durations.

    Returns
    -------
    DataFrame
        One row per group and horizon: the ``by`` column, ``time`` (the horizon),
        ``at_risk`` (weighted number still followed at that time), ``estimate``
        (survival), ``se``, ``ci_low``, ``ci_high``, ``method``. Before the first time the
        survival is 1 with se 0; after the last follow-up time the row is NaN unless the
        curve already reached 0 (R's ``summary(fit, times=)`` drops such rows).

    Notes
    -----
    The curve is read as a right-continuous step function, as R
    ``summary(survfit(...), times=)``; checked against it on the fixtures.

    Examples
    --------
    >>> retention_at([1, 2, 3, 4], horizons=[2.5])[["time", "at_risk", "estimate"]]
       time  at_risk  estimate
    0   2.5      2.0       0.5
    """
    if isinstance(durations, pd.DataFrame) and "survival" in durations.columns:
        fit = durations
    else:
        fit = kaplan_meier(durations, observed, weights=weights, by=by, data=data,
                           level=level, conf_type=conf_type)
    horizons = np.asarray(horizons, dtype=float)
    by_cols = [c for c in fit.columns if c not in KM_COLUMNS + ["method"]]
    groups = fit.groupby(by_cols, sort=False, observed=True) if by_cols else [((), fit)]
    parts = []
    for key, table in groups:
        part = _read_curve(table, horizons)
        for i, col in enumerate(by_cols):
            part.insert(i, col, key[i] if isinstance(key, tuple) else key)
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    result["method"] = fit["method"].iloc[0] if "method" in fit else "Kaplan-Meier"
    return result


def _read_curve(table: pd.DataFrame, horizons: np.ndarray) -> pd.DataFrame:
    """Step-function read of one Kaplan–Meier table at ``horizons``."""
    times = table["time"].to_numpy(float)
    row = np.searchsorted(times, horizons, side="right") - 1
    total = table["at_risk"].to_numpy(float)
    at_risk = np.append(total, 0.0)[np.searchsorted(times, horizons, side="left")]
    out = {"time": horizons, "at_risk": at_risk}
    for column, before in (("survival", 1.0), ("se", 0.0), ("ci_low", 1.0), ("ci_high", 1.0)):
        values = table[column].to_numpy(float)
        out[column] = np.where(row >= 0, values[np.maximum(row, 0)], before)
    last_survival = table["survival"].to_numpy(float)[-1]
    beyond = (horizons > times[-1]) & (last_survival > 0)
    for column in ("survival", "se", "ci_low", "ci_high"):
        out[column] = np.where(beyond, np.nan, out[column])
    return pd.DataFrame(out).rename(columns={"survival": "estimate"})


# ----------------------------------------------------------------------------- log-rank
def _logrank_parts(time, event, group_codes, n_groups, rho, gamma):
    """Observed, expected and variance matrix of the weighted log-rank statistic."""
    times, index = _distinct(time)
    cell = index * n_groups + group_codes
    size = len(times) * n_groups
    total = np.bincount(cell, minlength=size).reshape(len(times), n_groups).astype(float)
    dead = np.bincount(cell, weights=event, minlength=size).reshape(len(times), n_groups)
    risk = np.cumsum(total[::-1], axis=0)[::-1]
    n, d = risk.sum(axis=1), dead.sum(axis=1)
    keep = d > 0
    risk, dead, n, d = risk[keep], dead[keep], n[keep], d[keep]
    km = np.cumprod(1 - d / n)
    left = np.concatenate([[1.0], km[:-1]])       # S(t-) of the pooled data
    w = left**rho * (1 - left) ** gamma
    observed = (w[:, None] * dead).sum(axis=0)
    share = risk / n[:, None]
    expected = (w[:, None] * d[:, None] * share).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, w**2 * d * (n - d) / (n - 1), 0.0)
    var = np.einsum("t,tj,jk->jk", factor, share, np.eye(n_groups)) - np.einsum(
        "t,tj,tk->jk", factor, share, share)
    return observed, expected, var


def logrank(
    durations,
    observed=None,
    groups=None,
    *,
    data=None,
    rho: float = 0.0,
    gamma: float = 0.0,
    detail: bool = False,
) -> pd.DataFrame:
    """Log-rank test (and Fleming–Harrington weighted versions) comparing retention curves.

    Parameters
    ----------
    durations, observed : array-like or column names
        As :func:`kaplan_meier`.
    groups : array-like or column name
        The group of each duration (two or more groups).
    data : Survey or DataFrame, optional
        When given, the other arguments are column names.
    rho, gamma : float
        Fleming–Harrington weights ``S(t-)**rho * (1 - S(t-))**gamma`` with ``S`` the
        pooled Kaplan–Meier curve: ``rho=0, gamma=0`` is the log-rank test, ``rho=1``
        R's Peto–Peto (Wilcoxon-type) test that weighs early differences.
    detail : bool
        False: one row. True: one row per group with its ``n``, ``observed`` and
        ``expected`` (weighted) events, the test columns repeated on each row.

    Returns
    -------
    DataFrame
        ``statistic`` (chi-square), ``df`` (groups with expected events - 1),
        ``p_value``, ``method``; with ``detail=True`` also ``group``, ``n``,
        ``observed``, ``expected``.

    Notes
    -----
    Equal to R ``survival::survdiff(..., rho=)`` (rho 0 and 1, checked on the fixtures)
    and to lifelines ``multivariate_logrank_test(weightings="fleming-harrington", p=rho,
    q=gamma)`` for the other weights.

    Examples
    --------
    >>> logrank([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], ["a", "b", "a", "b", "a", "b"])
       statistic  df   p_value    method
    0   0.484876   1  0.486222  log-rank
    """
    time, event, _ = _durations(durations, observed, None, data)
    if groups is None:
        raise SurveyError("logrank needs groups: the group of each duration.")
    labels, codes, _name = _groups(groups, data, len(time))
    if len(labels) < 2:
        raise SurveyError("logrank needs at least two groups; only one was found.")
    obs, exp, var = _logrank_parts(time, event, codes, len(labels), rho, gamma)
    used = exp > 0
    diff = (obs - exp)[used][1:]
    sub = var[np.ix_(used, used)][1:, 1:]
    statistic = float(diff @ np.linalg.solve(sub, diff)) if used.sum() >= 2 else 0.0
    df = int(used.sum() - 1)
    p_value = float(stats.chi2.sf(statistic, df)) if df > 0 else np.nan
    method = ("log-rank" if rho == 0 and gamma == 0
              else f"Fleming-Harrington log-rank (rho={rho:g}, gamma={gamma:g})")
    test = {"statistic": statistic, "df": df, "p_value": p_value, "method": method}
    if not detail:
        return pd.DataFrame([test])
    table = pd.DataFrame({"group": labels, "n": np.bincount(codes, minlength=len(labels)),
                          "observed": obs, "expected": exp})
    return table.assign(**test)
