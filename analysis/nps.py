"""Net Promoter Score: promoters minus detractors on a 0-10 "would you recommend" item.

Answers are classed once (detractor, passive, promoter, missing) and counted per group
with one ``bincount``; the score and its adjusted-Wald interval come from those counts.
Weighted or stratified data go through the design-based mean of the +1/0/-1 score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, as_list, check_columns
from analysis.likert import _group_ids
from surveys.errors import SurveyError

__all__ = ["nps"]

#: Classes of answers, in the order of the count columns.
_CLASSES = ["detractors", "passives", "promoters"]


def nps(
    data,
    column: str,
    *,
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
    strata: str | None = None,
    population=None,
    cutoffs: tuple[int, int] = (6, 8),
    level: float = 0.95,
) -> pd.DataFrame:
    """Net Promoter Score (-100...100) with shares of promoters, passives, detractors.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        The answers.
    column : str
        The 0-10 likelihood-to-recommend item (e.g. ``recommend``); missing and
        "don't know" answers (NaN) are left out of ``n``.
    by : str or list of str, optional
        Grouping columns; rows with a missing group are left out.
    weights : str, optional
        Column of survey weights: shares are weighted and the score's standard error
        and interval come from :func:`analysis.mean` of the score +100/0/-100.
    strata : str, optional
        Column of the design's strata (every respondent needs one): the score's
        standard error and interval come from :func:`analysis.mean` on the stratified
        design, R ``svydesign(ids = ~1, strata = ~s, weights = ~w)`` (equal weights
        when ``weights`` is not given).
    population : float or str, optional
        Size of the surveyed population (a number), or, with ``strata``, a column of each
        respondent's stratum population size (R ``svydesign(..., fpc = ~N)``): the
        score's standard error and interval then carry the finite population correction.
    cutoffs : (int, int)
        Highest detractor answer and highest passive answer: ``(6, 8)`` gives
        detractors 0-6, passives 7-8, promoters 9-10.
    level : float
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``n`` (valid answers), ``promoters``,
        ``passives``, ``detractors`` (shares in [0, 1]), ``estimate`` (NPS on
        -100...100), ``se`` (standard error of the estimate, same scale), ``ci_low``,
        ``ci_high`` and ``method`` (the interval and the cut-offs used).

    Notes
    -----
    Unweighted interval: the adjusted Wald interval recommended by MeasuringU
    (J. Lewis and J. Sauro, "Confidence intervals for Net Promoter Scores", 2021,
    https://measuringu.com/nps-confidence-intervals/, after B. Rocks, *The American
    Statistician* 70(4), 2016): add 3 to ``n`` and 3/4 to the promoter and detractor
    counts, ``p' = (promoters + 0.75) / (n + 3)``, ``d' = (detractors + 0.75) / (n + 3)``,
    ``nps' = p' - d'``, ``se' = sqrt((p' + d' - nps'**2) / (n + 3))`` and the interval
    ``nps' +- z se'`` (times 100, clipped to [-100, 100]). ``estimate`` is the observed
    score and ``se`` its plain trinomial standard error ``sqrt((p + d - (p - d)**2) / n)``.
    Weighted or stratified, the score is the design-based mean of +1 (promoter), 0,
    -1 (detractor) with its Taylor-linearised standard error and t interval on the
    design degrees of freedom (:func:`analysis.mean`), times 100 and clipped to
    [-100, 100]. Checked against hand-computed values (tests/analysis/test_nps.py);
    stratified, weighted or not, against R ``survey`` 4.1 ``svymean`` on the domain to
    1e-10 (tests/fixtures/likert_strata/make_reference.R); with a per-stratum population
    size, against ``svymean`` on ``svydesign(..., fpc = ~N)`` to 1e-10
    (tests/fixtures/stratum_fpc/make_reference.R).

    Examples
    --------
    >>> df = pd.DataFrame({"recommend": [10, 9, 8, 7, 6, 0, 10, 9, 9, 3]})
    >>> out = nps(df, "recommend")
    >>> out[["n", "promoters", "passives", "detractors", "estimate"]]
        n  promoters  passives  detractors  estimate
    0  10        0.5       0.2         0.3      20.0
    >>> out["method"].iloc[0]
    'adjusted Wald; promoters 9–10, passives 7–8, detractors 0–6'
    """
    frame = as_frame(data)
    by = as_list(by)
    sizes = [population] if isinstance(population, str) else []
    check_columns(frame, [column, *by, *as_list(weights), *as_list(strata), *sizes])
    low, high = _check_cutoffs(cutoffs)
    if not 0 < level < 1:
        raise SurveyError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")
    classes = _classes(frame[column], column, low, high)
    group_ids, keys = _group_ids(frame, by)
    counts = _counts(classes, group_ids, len(keys), None)
    bands = f"promoters {high + 1}–10, passives {low + 1}–{high}, detractors 0–{low}"
    if weights is None and strata is None and population is None:
        table = _unweighted(counts, level)
        method = f"adjusted Wald; {bands}"
    else:
        w = None if weights is None else _weights(frame, weights)
        totals = counts if w is None else _counts(classes, group_ids, len(keys), w)
        table, core = _weighted(frame, by, (weights, strata, population), classes, totals,
                                level)
        method = f"{core}; {bands}"
    out = keys[by].copy() if by else pd.DataFrame(index=range(len(keys)))
    out["n"] = counts[:, :3].sum(axis=1)
    for name, values in table.items():
        out[name] = values
    out["method"] = method
    return out


def _check_cutoffs(cutoffs) -> tuple[int, int]:
    try:
        low, high = (int(c) for c in cutoffs)
    except (TypeError, ValueError) as err:
        raise SurveyError(f"cutoffs={cutoffs!r} must be two integers, e.g. (6, 8).") from err
    if not 0 <= low < high < 10:
        raise SurveyError(
            f"cutoffs={cutoffs!r}: need 0 <= highest detractor < highest passive < 10, "
            "e.g. (6, 8) for detractors 0-6, passives 7-8, promoters 9-10."
        )
    return low, high


def _classes(series: pd.Series, column: str, low: int, high: int) -> np.ndarray:
    """0 detractor, 1 passive, 2 promoter, 3 missing; one int8 per answer."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(values) & series.notna().to_numpy()
    bad |= ~np.isnan(values) & ((values < 0) | (values > 10))
    if bad.any():
        raise SurveyError(
            f"Column '{column}' holds {series[bad].iloc[0]!r}; an NPS item takes 0 to 10. "
            "Set other answers to missing first."
        )
    classes = np.full(len(values), 3, dtype=np.int8)
    classes[values <= low] = 0
    classes[(values > low) & (values <= high)] = 1
    classes[values > high] = 2
    return classes


def _weights(frame: pd.DataFrame, weights: str) -> np.ndarray:
    values = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any():
        raise SurveyError(f"Weight column '{weights}' has missing or negative values.")
    return values


def _counts(classes, group_ids, n_groups: int, weights) -> np.ndarray:
    """(groups, 4) counts (or weight totals) of each class, from one bincount."""
    keep = group_ids >= 0
    cells = group_ids[keep].astype(np.int64) * 4 + classes[keep]
    w = None if weights is None else weights[keep]
    return np.bincount(cells, weights=w, minlength=n_groups * 4).reshape(n_groups, 4)


def _unweighted(counts: np.ndarray, level: float) -> dict:
    z = stats.norm.ppf(0.5 + level / 2)
    detractors, passives, promoters = counts[:, 0], counts[:, 1], counts[:, 2]
    n = counts[:, :3].sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p, d = promoters / n, detractors / n
        score = p - d
        se = np.sqrt(np.maximum(p + d - score**2, 0) / n)
        n_adj = n + 3
        p_adj, d_adj = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
        score_adj = p_adj - d_adj
        se_adj = np.sqrt((p_adj + d_adj - score_adj**2) / n_adj)
        passive = passives / n
    empty = n == 0
    low = np.where(empty, np.nan, np.clip(score_adj - z * se_adj, -1, 1))
    high = np.where(empty, np.nan, np.clip(score_adj + z * se_adj, -1, 1))
    return _table(p, passive, d, score, se, low, high)


def _table(p, passive, d, score, se, low, high) -> dict:
    return {
        "promoters": p,
        "passives": passive,
        "detractors": d,
        "estimate": 100 * score,
        "se": 100 * se,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
    }


def _weighted(frame, by, design, classes, totals, level) -> tuple[dict, str]:
    """Weighted shares from weight totals (counts when unweighted); the score's SE and
    CI from analysis.mean on the design (weights, strata, population). Returns the
    columns and the method text."""
    from analysis.estimation import mean

    weights, strata, population = design
    sizes = [population] if isinstance(population, str) else []
    work = frame[list(dict.fromkeys(by + as_list(weights) + as_list(strata) + sizes))].copy()
    work["score"] = np.array([-1.0, 0.0, 1.0, np.nan])[classes]
    rows = mean(work, "score", by=by or None, weights=weights, strata=strata,
                population=population, level=level)
    if by:
        rows = _group_ids(work, by)[1].merge(rows, on=by, how="left")
    total = totals[:, :3].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        d, passive, p = (totals[:, j] / total for j in range(3))
    est = rows[["estimate", "se", "ci_low", "ci_high"]].to_numpy(dtype=float)
    low, high = np.clip(est[:, 2], -1, 1), np.clip(est[:, 3], -1, 1)
    kind = ", ".join(name for name, given in (("weighted", weights), ("stratified", strata))
                     if given is not None) or "finite population"
    core = f"{kind}; Taylor linearisation; t interval"
    return _table(p, passive, d, est[:, 0], est[:, 1], low, high), core
