"""Design-based survival curves: R ``survey``'s ``svykm(Surv(time, status) ~ 1, design,
se = TRUE)`` on the one-stage designs of :mod:`analysis._design`.

The curve is ``exp(-H(t))``, with ``H`` the cumulative hazard of the weighted totals
``H(t) = sum over event times t_j <= t of D_j / Y_j`` (``D_j`` the weighted events at
``t_j``, ``Y_j`` the weighted number still followed). Its variance is the Taylor
(delta-method) variance of ``H``: respondent ``i`` has the influence value ``w_i u_i(t)``
with::

    u_i(t) = sum over event times t_j <= t of (dN_ij / Y_j - D_j * 1[t_i >= t_j] / Y_j**2)

i.e. ``-C(t)`` while ``i`` is still followed at ``t`` and ``a_i = e_i / Y(t_i) - C(t_i)``
afterwards (``C(t) = sum_{t_j <= t} D_j / Y_j**2``, ``e_i`` whether ``i``'s stay ended).
``u`` is a constant before and after each respondent's own time, so the sums the
variance needs per event time (per stratum and calibration cell) are cumulative sums
over the event times, never an (respondents x times) matrix. Those sums go through the
project's variance engine (:func:`analysis._design.stratum_variance`, and for raked or
post-stratified weights :func:`analysis._calibration.calibration_shift` with
:func:`analysis._design.calibrated_variance`), as the ``svytotal`` of R's
``survey:::km.stderr`` does with the event and at-risk indicator columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis._calibration import calibration_shift
from analysis._data import as_frame, check_columns
from analysis._design import (
    Design,
    calibrated_variance,
    check_level,
    make_design,
    stratum_variance,
)
from surveys.errors import SurveyError

__all__ = ["design_kaplan_meier"]

METHOD = "design-based survival exp(-H) (R svykm), Taylor SE, log CI"


def _values(frame: pd.DataFrame, value, name: str) -> np.ndarray:
    """A column of ``frame`` (by name) or an array-like of one value per row, as floats
    (pandas NA and booleans become NaN and 0/1)."""
    if isinstance(value, str):
        check_columns(frame, [value], f"{name} column")
        value = frame[value]
    elif isinstance(value, pd.Series) and not value.index.equals(frame.index):
        value = value.reindex(frame.index)
    try:
        array = pd.Series(np.asarray(value) if not isinstance(value, pd.Series) else value)
        array = array.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise SurveyError(f"{name} must be numbers (or true/false for observed).") from None
    if array.shape != (len(frame),):
        raise SurveyError(f"{name} has {array.size} values for {len(frame)} rows; give one "
                          "value per respondent (NaN where there is no duration).")
    return array


def _follow_up(frame: pd.DataFrame, durations, observed) -> tuple[np.ndarray, np.ndarray]:
    """Durations (NaN: outside the curve's domain) and 0/1 events, checked."""
    time = _values(frame, durations, "durations")
    inside = ~np.isnan(time)
    if not inside.any():
        raise SurveyError("No durations to analyse: every duration is missing.")
    if (time[inside] < 0).any():
        raise SurveyError(f"durations must be >= 0; found {np.nanmin(time)}.")
    event = np.ones(len(frame)) if observed is None else _values(frame, observed, "observed")
    if np.isnan(event[inside]).any():
        raise SurveyError("observed has missing values where a duration is given; say for "
                          "each duration whether the stay ended.")
    if not np.isin(event[inside], (0.0, 1.0)).all():
        raise SurveyError("observed must be true/false (1/0) for every duration.")
    return time, np.where(inside, event, 0.0)


def _curve_counts(time: np.ndarray, event: np.ndarray, weights: np.ndarray) -> dict:
    """Distinct times of the domain, unweighted counts, and the weighted hazard.

    Returns ``times``, ``index`` (each row's distinct time, -1 outside the domain),
    ``at_risk``, ``events``, ``censored`` (respondents), ``counted`` (events with a
    non-zero weight: R's ``keep``), ``Y`` (weighted at risk per distinct time), ``D``
    (weighted events), ``rank`` (event times up to each distinct time) and ``K``.
    """
    inside = ~np.isnan(time)
    times, position = np.unique(time[inside], return_inverse=True)
    index = np.full(time.size, -1, dtype=np.int64)
    index[inside] = position.ravel()
    m = times.size
    rows = np.bincount(position, minlength=m).astype(float)
    ended = np.bincount(position, weights=event[inside], minlength=m)
    counted = event * (weights > 0)
    Y = np.cumsum(np.bincount(position, weights=weights[inside], minlength=m)[::-1])[::-1]
    D = np.bincount(position, weights=(weights * counted)[inside], minlength=m)
    rank = np.cumsum(D > 0)
    return {"times": times, "index": index, "at_risk": np.cumsum(rows[::-1])[::-1],
            "events": ended, "censored": rows - ended, "counted": counted, "Y": Y, "D": D,
            "rank": rank, "K": int(rank[-1]) if m else 0}


def _by_rank(values: np.ndarray, rank: np.ndarray, h: int, a: int, place: np.ndarray,
             k: int) -> np.ndarray:
    """Sums of ``values`` per (stratum * a + cell, rank), shaped (h, a, k + 1)."""
    key = place * (k + 1) + rank
    return np.bincount(key, weights=values, minlength=h * a * (k + 1)).reshape(h, a, k + 1)


def _later(sums: np.ndarray) -> np.ndarray:
    """``sum over r > j`` of ``sums[..., r]`` for ``j = 1 .. K`` (reverse cumulative sums,
    each a sum of its own terms: no difference of two large sums)."""
    tail = np.cumsum(sums[:, :, :0:-1], axis=2)[:, :, ::-1]    # r >= j for j = 1 .. K
    return np.concatenate([tail[:, :, 1:], np.zeros(sums.shape[:2] + (1,))], axis=2)


def _log_variance(design: Design, counts: dict) -> np.ndarray:
    """Variance of ``H`` at each event time (R's ``varlog``), from cumulative sums over
    the event times per stratum and calibration cell (see the module docstring)."""
    k = counts["K"]
    if k == 0:   # no event: the curve stays at 1, without variance
        return np.zeros(0)
    event_time = counts["D"] > 0
    D, Y = counts["D"][event_time], counts["Y"][event_time]
    C = np.concatenate([[0.0], np.cumsum(D / Y**2)])            # C_0 = 0, ..., C_K
    index, w = counts["index"], design.weights
    rank = np.where(index >= 0, counts["rank"][np.maximum(index, 0)], 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(counts["counted"] > 0, 1.0 / counts["Y"][np.maximum(index, 0)], 0.0)
    a_i = own - C[rank]            # u_i(t_j) for every event time t_j >= t_i (0 outside)
    h, a = design.n_strata, design.n_cells
    place = design.stratum * a + design.cell
    sums = {name: _by_rank(values, rank, h, a, place, k) for name, values in (
        ("count", np.ones_like(w)), ("w", w), ("w2", w**2), ("wa", w * a_i), ("a", a_i),
        ("w2a", w**2 * a_i), ("w2a2", (w * a_i) ** 2))}
    # done: rows whose time is at or before t_j (rank <= j); followed: rank > j
    done = {name: np.cumsum(s, axis=2)[:, :, 1:] for name, s in sums.items()}
    followed = {name: _later(sums[name]) for name in ("count", "w", "w2")}
    c = C[1:]
    weighted = done["wa"] - c * followed["w"]                  # sums of w u (h, a, K)
    if design.calibration is None:
        squares = (done["w2a2"] + c**2 * followed["w2"]).sum(axis=1)
        return stratum_variance(design, weighted.sum(axis=1), squares)
    unweighted = (done["a"] - c * followed["count"]).sum(axis=0)  # sums of u (a, K)
    shift = calibration_shift(design, unweighted, weighted)
    inside = (done["w2a2"] + 2 * shift * done["w2a"] + shift**2 * done["w2"]
              + (shift - c) ** 2 * followed["w2"]).sum(axis=1)
    _, _, total_square = design.cell_totals
    base = np.broadcast_to(total_square[:, :, None], weighted.shape)
    return calibrated_variance(design, weighted, shift, base, inside)


def design_kaplan_meier(
    data,
    durations,
    observed=None,
    *,
    weights=None,
    strata=None,
    population=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share still staying over time, estimated on the survey design (R ``svykm``).

    Parameters
    ----------
    data : Survey or DataFrame
        The respondents: every row belongs to the design (its stratum and calibration
        cell), also those without a duration.
    durations : column name or array-like
        Time from start to end of follow-up (>= 0), one per row; NaN for a respondent
        outside the curve (e.g. no start date): kept in the design, as R's domains.
    observed : column name or array-like, optional
        True where the stay ended, False where it is still going (right-censored).
        Default: every stay ended.
    weights : column name or array-like, optional
        Sampling weights; weights returned by :func:`analysis.rake` or
        :func:`analysis.poststratify` carry their calibration, and the standard errors
        account for it (R's ``rake()``/``postStratify()`` designs).
    strata : column name, optional
        Stratum of each respondent.
    population : number or column name, optional
        Population size (or each stratum's, a column) for the finite population
        correction; without weights each respondent then weighs ``N_h / n_h``.
    level : float
        Confidence level of the pointwise intervals.

    Returns
    -------
    DataFrame
        One row per distinct time (event or censoring) of the respondents with a
        duration, the columns of :func:`analysis.kaplan_meier`: ``time``, ``at_risk``,
        ``events``, ``censored`` (*unweighted* numbers of respondents, so that small-cell
        rules apply to people, not weights), ``survival`` (``exp(-H)``, ``H`` the
        cumulative hazard of the weighted totals), ``se`` (standard error of the
        survival, ``survival * sqrt(varlog)``), ``ci_low``, ``ci_high``
        (``exp(log(survival) -/+ z sqrt(varlog))``, the upper bound capped at 1),
        ``method``.

    Raises
    ------
    SurveyError
        Missing or negative durations only, a missing ``observed`` where a duration is
        given, or a design problem (see :func:`analysis.proportion`).

    Notes
    -----
    ``varlog`` is R's ``survey:::km.stderr``: the delta-method variance of ``H`` from
    the design covariance of the totals of the event and at-risk indicators (computed
    here from cumulative sums over the event times, not from that covariance matrix).
    Checked against R ``survey`` 4.x ``svykm(Surv(time, status) ~ 1, design, se =
    TRUE)`` and ``confint()`` to rtol 1e-10 on a weighted design, a stratified design
    with finite population correction and two raked designs
    (``tests/fixtures/design_survival``). R has one row per event, tied events in turn;
    the row here is R's last row at that time. ``exp(-H)`` is not the product-limit
    curve of :func:`analysis.kaplan_meier` (the two agree to first order).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"months": [1, 2, 2, 3, 4, 5], "ended": [1, 1, 0, 1, 0, 1],
    ...                       "w": [1.0, 2.0, 1.0, 1.5, 1.0, 2.0]})
    >>> curve = design_kaplan_meier(frame, "months", "ended", weights="w")
    >>> curve[["time", "at_risk", "events", "survival", "se"]].round(4)  # as R svykm
       time  at_risk  events  survival      se
    0   1.0      6.0     1.0    0.8890  0.1116
    1   2.0      5.0     1.0    0.6809  0.1813
    2   3.0      3.0     1.0    0.4879  0.1997
    3   4.0      2.0     0.0    0.4879  0.1997
    4   5.0      1.0     1.0    0.1795  0.0735
    """
    check_level(level)
    frame = as_frame(data)
    time, event = _follow_up(frame, durations, observed)
    design = make_design(frame, weights=weights, strata=strata, population=population)
    counts = _curve_counts(time, event, design.weights)
    D, Y = counts["D"], counts["Y"]
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.concatenate([[0.0], np.cumsum(D[D > 0] / Y[D > 0])])
    varlog = np.concatenate([[0.0], _log_variance(design, counts)])
    rank = counts["rank"]
    survival, sd = np.exp(-hazard[rank]), np.sqrt(varlog[rank])
    z = stats.norm.ppf(1 - (1 - level) / 2)
    return pd.DataFrame({
        "time": counts["times"], "at_risk": counts["at_risk"], "events": counts["events"],
        "censored": counts["censored"], "survival": survival, "se": survival * sd,
        "ci_low": survival * np.exp(-z * sd),
        "ci_high": np.minimum(survival * np.exp(z * sd), 1.0), "method": METHOD,
    })
