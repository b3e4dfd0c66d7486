"""Likert items: mean, top-2-box, bottom-2-box and net score per item, aggregate-first.

Every answer is first coded once as a small integer (a scale level, "non-substantive"
or "missing"), then counted per (group, item, code) cell with one ``bincount``; every
statistic of the unweighted path is derived from those cell counts, so the cost grows
with the number of cells, not of respondents. Weighted estimates go through the
estimation core (the arithmetic of :func:`analysis.mean` and :func:`analysis.proportion`,
on one design built once for every item), and so do stratified ones (``strata=``: a
stratified one-stage design, weighted or not).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, as_list, check_columns
from analysis._design import Groups, group_codes, make_design
from analysis.design_estimates import mean_rows, share_rows
from surveys.errors import SurveyError

__all__ = ["likert", "likert_distribution"]

#: Order of the statistics within one (group, item).
STATISTICS = ["mean", "top2", "bottom2", "net"]

#: ``method`` text of each statistic on unweighted data.
UNWEIGHTED_METHODS = [
    "unweighted mean; t interval",
    "unweighted share; Wilson interval",
    "unweighted share; Wilson interval",
    "unweighted difference of shares; multinomial SE, t interval",
]


def likert(
    data,
    items: str | Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
    strata: str | None = None,
    population=None,
    dont_know: Sequence | None = None,
    level: float = 0.95,
    scale: Sequence | None = None,
) -> pd.DataFrame:
    """Mean, top-2-box, bottom-2-box and net score of Likert items, with intervals.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        The answers. With a Survey, "don't know" / "not applicable" answers are read
        from ``Survey.nonsubstantive``.
    items : str or list of str
        The Likert items; they must share one scale.
    by : str or list of str, optional
        Grouping columns; rows with a missing group are left out.
    weights : str, optional
        Column of survey weights; estimates then come from :func:`analysis.mean` and
        :func:`analysis.proportion` (Taylor-linearised standard errors).
    strata : str, optional
        Column of the design's strata (every respondent needs one): a stratified
        one-stage design, R ``svydesign(ids = ~1, strata = ~s, weights = ~w)``; the
        estimates then come from :func:`analysis.mean` / :func:`analysis.proportion`
        (equal weights when ``weights`` is not given).
    population : float or str, optional
        Size of the surveyed population (a number), or, with ``strata``, a column of each
        respondent's stratum population size (R ``svydesign(..., fpc = ~N)``): the
        estimates then carry the finite population correction and come from
        :func:`analysis.mean` / :func:`analysis.proportion`.
    dont_know : list, optional
        Codes found in the item columns that mean "don't know" / "not applicable"
        (e.g. ``[9]`` or ``["NSP"]``); they are counted apart, never as a scale point.
    level : float
        Confidence level of the intervals.
    scale : list, optional
        The ordered levels of the scale (e.g. ``[1, 2, 3, 4, 5]``). By default the
        categories of ordered Categorical items, else the sorted substantive values
        seen in any item. Every item and group uses this one set of levels.

    Returns
    -------
    pandas.DataFrame
        One row per group, item and statistic: the ``by`` columns, ``item``,
        ``statistic`` (``mean``, ``top2``, ``bottom2``, ``net``), ``n`` (substantive
        answers), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``method``,
        ``nonsubstantive`` (don't know / not applicable answers in the group) and
        ``missing`` (no answer at all). ``top2``/``bottom2`` are shares of the two
        highest/lowest levels among substantive answers; ``net`` = top2 - bottom2.

    Raises
    ------
    SurveyError
        A column is missing, the items do not share a scale, a value is outside the
        scale, or the scale has fewer than 4 levels.

    Notes
    -----
    Everything is computed from the counts of (group, item, level) cells. Unweighted,
    the conventions are those of :func:`analysis.mean` / :func:`analysis.proportion`
    on equal weights (R ``survey``: ``svyby`` / ``svymean(na.rm = TRUE)`` on
    ``svydesign(ids = ~1)``): each group is a domain of the whole sample of ``N``
    rows, so with ``n`` substantive answers in the group, the mean (of the levels'
    numeric values, or of their ranks 1..k when they are not numbers) has
    ``var = N / (N - 1) * sum((x - mean)**2) / n**2`` and a t interval on ``n - 1``
    degrees of freedom; top2/bottom2 have ``var = N / (N - 1) * p (1 - p) / n`` and the
    Wilson interval on ``n``; the net score, a difference of two shares of one
    multinomial, has ``var = N / (N - 1) * (p_t + p_b - (p_t - p_b)**2) / n`` (the
    variance of the mean of a +1/0/-1 score) and a t interval clipped to [-1, 1].
    Without groups or missing answers ``N = n`` and these are the textbook
    ``s**2 / n`` and ``p (1 - p) / (n - 1)``. Weighted, the mean and net come from
    :func:`analysis.mean` (of the value and of the +1/0/-1 score) and top2/bottom2
    from :func:`analysis.proportion` (logit interval), the net's interval clipped to
    [-1, 1] as without weights; stratified estimates, weighted
    or not, come from the same functions (``method`` then starts with ``stratified``
    or ``weighted, stratified``). Checked against hand-computed values and, both routes, against
    :func:`analysis.mean` / :func:`analysis.proportion` (tests/analysis/test_likert.py);
    stratified, weighted or not, overall and by group, against R ``survey`` 4.1
    ``svymean`` and ``svyciprop(method = "logit")`` on the domain to 1e-10
    (tests/fixtures/likert_strata/make_reference.R, tests/analysis/test_likert_strata.py);
    stratified with a per-stratum population size (``fpc``), against R ``svymean`` to
    1e-10 (tests/fixtures/stratum_fpc/make_reference.R, tests/analysis/test_stratum_fpc.py).

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2, 4, 5, 5, 9]})
    >>> out = likert(df, "sat", dont_know=[9], scale=[1, 2, 3, 4, 5])
    >>> out[["item", "statistic", "n", "estimate", "nonsubstantive"]]
      item statistic  n  estimate  nonsubstantive
    0  sat      mean  5       3.4               1
    1  sat      top2  5       0.6               1
    2  sat   bottom2  5       0.4               1
    3  sat       net  5       0.2               1
    """
    frame = as_frame(data)
    items, by = as_list(items), as_list(by)
    check_columns(frame, items + by + _design_columns([], weights, strata, population))
    _check_level(level)
    levels = _scale_levels(frame, items, scale, dont_know)
    codes = _coded_items(data, frame, items, levels, dont_know)
    group_ids, keys = _group_ids(frame, by)
    counts = _cell_counts(codes, group_ids, len(keys), len(levels))
    if weights is None and strata is None and population is None:
        table = _unweighted_statistics(counts, _level_values(levels), level, len(frame))
        methods = UNWEIGHTED_METHODS
    else:
        design = {"weights": weights, "strata": strata, "population": population}
        table, methods = _weighted_statistics(frame, Groups(group_ids, keys), design, codes,
                                              levels, level)
    return _assemble(table, methods, counts, items, by, keys)


def likert_distribution(
    data,
    items: str | Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
    strata: str | None = None,
    population=None,
    dont_know: Sequence | None = None,
    level: float = 0.95,
    scale: Sequence | None = None,
) -> pd.DataFrame:
    """Share of each scale level per item, from :func:`analysis.proportion`.

    The items are first recoded onto the one shared scale (non-substantive answers
    set apart), so every level appears for every item and group, used or not.

    Parameters
    ----------
    data, items, by, weights, strata, population, dont_know, level, scale
        As in :func:`likert`.

    Returns
    -------
    pandas.DataFrame
        ``item`` followed by the columns :func:`analysis.proportion` returns (one row
        per group and level: the ``by`` columns, ``category``, ``n``, ``count``,
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``method``...), with ``missing``
        split into ``nonsubstantive`` (don't know / not applicable) and ``missing``
        (no answer).

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2, 4, 5, 5]})
    >>> out = likert_distribution(df, "sat", scale=[1, 2, 3, 4, 5])
    >>> len(out)
    5
    """
    from analysis.estimation import proportion

    frame = as_frame(data)
    items, by = as_list(items), as_list(by)
    check_columns(frame, items + by + _design_columns([], weights, strata, population))
    levels = _scale_levels(frame, items, scale, dont_know)
    codes = _coded_items(data, frame, items, levels, dont_know)
    group_ids, keys = _group_ids(frame, by)
    counts = _cell_counts(codes, group_ids, len(keys), len(levels))
    parts = []
    for j, (item, code) in enumerate(zip(items, codes)):
        work = _recoded(frame, _design_columns(by, weights, strata, population), code, levels)
        part = proportion(work, "value", by=by or None, weights=weights, strata=strata,
                          population=population, level=level)
        apart = keys.assign(nonsubstantive=counts[j, :, len(levels)])
        part = part.merge(apart, on=by, how="left") if by else part.assign(
            nonsubstantive=int(apart["nonsubstantive"].iloc[0]))
        part["missing"] = part["missing"] - part["nonsubstantive"]
        parts.append(part.assign(item=item))
    out = pd.concat(parts, ignore_index=True)
    return out[["item", *[c for c in out.columns if c != "item"]]]


# --- scale and coding -------------------------------------------------------------


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise SurveyError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")


def _scale_levels(frame: pd.DataFrame, items: list, scale, dont_know) -> list:
    """The one ordered set of levels the items share."""
    if scale is not None:
        levels = list(scale)
    else:
        levels = _levels_from_data(frame, items, dont_know)
    if len(levels) < 4:
        raise SurveyError(
            f"Likert items {items} have {len(levels)} scale levels ({levels}); top-2 and "
            "bottom-2 boxes need at least 4. Pass the full scale with scale=[...]."
        )
    return levels


def _levels_from_data(frame: pd.DataFrame, items: list, dont_know) -> list:
    categorical = [isinstance(frame[i].dtype, pd.CategoricalDtype) for i in items]
    if all(categorical):
        first = list(frame[items[0]].cat.categories)
        for item in items[1:]:
            if list(frame[item].cat.categories) != first:
                raise SurveyError(
                    f"Likert items '{items[0]}' and '{item}' have different levels "
                    f"({first} vs {list(frame[item].cat.categories)}); pass scale=[...]."
                )
        return first
    seen = pd.unique(pd.concat([frame[i].dropna() for i in items], ignore_index=True))
    seen = [v for v in seen if v not in set(as_list(dont_know))]
    try:
        return sorted(seen)
    except TypeError as err:
        raise SurveyError(
            f"Likert items {items} mix values that cannot be ordered; pass scale=[...]."
        ) from err


def _level_values(levels: list) -> np.ndarray:
    """Numeric value of each level for the mean: the level itself, else its rank."""
    try:
        return np.asarray(levels, dtype=float)
    except (TypeError, ValueError):
        return np.arange(1, len(levels) + 1, dtype=float)


def _coded_items(data, frame: pd.DataFrame, items: list, levels: list, dont_know) -> list:
    """One int8 array per item: 0..k-1 levels, k non-substantive, k+1 missing."""
    nonsub = getattr(data, "nonsubstantive", None)
    return [_code_item(frame[i], i, levels, dont_know, nonsub) for i in items]


def _code_item(series: pd.Series, name, levels: list, dont_know, nonsub) -> np.ndarray:
    k = len(levels)
    codes = _integer_codes(series, levels, dont_know)
    if codes is None:
        codes = _level_codes(series, levels)
        unknown = codes < 0
        flagged = np.zeros(len(series), dtype=bool)
        if dont_know:
            flagged |= series.isin(list(dont_know)).to_numpy()
        codes[unknown] = k + 1
        codes[unknown & flagged] = k
        stray = unknown & ~flagged & series.notna().to_numpy()
    else:
        stray = codes < 0
    if stray.any():
        value = series[stray].iloc[0]
        raise SurveyError(
            f"Column '{name}' holds {value!r}, which is not on the scale {levels}; "
            "declare it with dont_know=[...] or pass the right scale=[...]."
        )
    if isinstance(nonsub, pd.DataFrame) and name in nonsub.columns:
        # only a missing answer can be a recorded "don't know": look those rows up
        missing = np.flatnonzero(codes == k + 1)
        flagged = nonsub[name].reindex(series.index[missing]).notna().to_numpy()
        codes[missing[flagged]] = k
    return codes


def _integer_codes(series: pd.Series, levels: list, dont_know) -> np.ndarray | None:
    """Fast path for whole-number answers: one lookup-table take per item.

    Codes 0..k-1 for levels, k for ``dont_know`` codes, k+1 for missing, -1 for
    anything else. Returns None when the answers or codes are not small integers.
    """
    kinds = {np.asarray(v).dtype.kind for v in [*levels, *as_list(dont_know)]}
    if not kinds <= {"i", "u"} or series.dtype.kind not in "iuf":
        return None
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):  # Int64, Float64
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = series.to_numpy()
    missing = np.isnan(values) if values.dtype.kind == "f" else None
    if missing is not None:
        filled = np.where(missing, levels[0], values)
        if not np.array_equal(filled, np.floor(filled)):
            return None
        values = filled.astype(np.int64)
    known = np.asarray([*levels, *as_list(dont_know)], dtype=np.int64)
    lo = min(int(values.min(initial=known.min())), int(known.min()))
    hi = max(int(values.max(initial=known.max())), int(known.max()))
    if hi - lo > 100_000:
        return None
    lookup = np.full(hi - lo + 1, -1, dtype=np.int8)
    lookup[np.asarray(as_list(dont_know), dtype=np.int64) - lo] = len(levels)
    lookup[np.asarray(levels, dtype=np.int64) - lo] = np.arange(len(levels))
    codes = lookup[values.astype(np.int64, copy=False) - lo]
    if missing is not None:
        codes[missing] = len(levels) + 1
    return codes


def _level_codes(series: pd.Series, levels: list) -> np.ndarray:
    """Position of each answer in ``levels`` (-1 when not a level), as int8."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        lookup = pd.Categorical(list(series.cat.categories), categories=levels).codes
        lookup = np.append(lookup, -1).astype(np.int8)  # code -1 (NaN) takes the last
        return lookup[series.cat.codes.to_numpy()]
    return pd.Categorical(series, categories=levels).codes.astype(np.int8)


def _design_columns(by: list, weights, strata, population=None) -> list:
    """The by, weight, strata and population columns (a population number is not a
    column), each once."""
    sizes = [population] if isinstance(population, str) else []
    return list(dict.fromkeys(by + as_list(weights) + as_list(strata) + sizes))


def _recoded(frame: pd.DataFrame, columns: list, code: np.ndarray, levels: list) -> pd.DataFrame:
    """The by/design ``columns`` plus the item as a Categorical on the shared scale."""
    values = pd.Categorical.from_codes(np.where(code < len(levels), code, -1), categories=levels)
    work = frame[columns].copy()
    work["value"] = values
    return work


# --- aggregation ----------------------------------------------------------------


def _group_ids(frame: pd.DataFrame, by: list) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number per row (-1: missing group) and the group keys as a DataFrame.

    The groups of ``frame.groupby(by, observed=True, sort=True)``, coded as the
    estimation core codes them (:func:`analysis._design.group_codes`); a plain ``bool``
    key column keeps its dtype, as in the groupby's keys.
    """
    if not by:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=[0])
    groups = group_codes(frame, by)
    plain = {column: bool for column in by if frame[column].dtype == bool}
    return groups.codes, groups.keys.astype(plain) if plain else groups.keys


def _cell_counts(codes: list, group_ids: np.ndarray, n_groups: int, k: int) -> np.ndarray:
    """Counts per (item, group, code): shape (items, groups, k + 2)."""
    keep = group_ids >= 0
    base = group_ids[keep].astype(np.int64) * (k + 2)
    size = n_groups * (k + 2)
    cells = [np.bincount(base + code[keep], minlength=size) for code in codes]
    return np.stack(cells).reshape(len(codes), n_groups, k + 2)


# --- statistics -----------------------------------------------------------------


def _unweighted_statistics(counts: np.ndarray, values: np.ndarray, level: float,
                           size: int) -> np.ndarray:
    """Array (items, groups, statistic, [estimate, se, ci_low, ci_high]) from counts.

    ``size`` is the number of rows of the data: each group is a domain of that sample.
    """
    k = len(values)
    cells = counts[..., :k].astype(float)
    n = cells.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = size / (size - 1) if size > 1 else np.nan
        t = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
        z = stats.norm.ppf(0.5 + level / 2)
        out = np.stack(
            [
                _mean_rows(cells, n, values, t, factor),
                _share_rows(cells[..., -2:].sum(axis=-1), n, z, factor),
                _share_rows(cells[..., :2].sum(axis=-1), n, z, factor),
                _net_rows(cells, n, t, factor),
            ],
            axis=2,
        )
    return out


def _mean_rows(cells, n, values, t, factor) -> np.ndarray:
    """Mean, its domain SE and a t interval on n - 1 degrees of freedom."""
    mean = (cells * values).sum(axis=-1) / n
    squares = (cells * (values - mean[..., None]) ** 2).sum(axis=-1)
    se = np.sqrt(factor * squares / n**2)
    return np.stack([mean, se, mean - t * se, mean + t * se], axis=-1)


def _share_rows(hits, n, z, factor) -> np.ndarray:
    """Share, its domain SE and the Wilson score interval on n."""
    p = hits / n
    se = np.sqrt(factor * p * (1 - p) / n)
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    low = np.where(p == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(p == 1, 1.0, np.clip(centre + half, 0, 1))
    return np.stack([p, se, low, high], axis=-1)


def _net_rows(cells, n, t, factor) -> np.ndarray:
    """top2 - bottom2: a difference of two shares of one multinomial, t interval."""
    top, bottom = cells[..., -2:].sum(axis=-1) / n, cells[..., :2].sum(axis=-1) / n
    net = top - bottom
    se = np.sqrt(factor * np.maximum(top + bottom - net**2, 0) / n)
    return np.stack([net, se, np.clip(net - t * se, -1, 1), np.clip(net + t * se, -1, 1)], axis=-1)


def _weighted_statistics(frame, groups: Groups, design: dict, codes, levels, level):
    """Same array as the unweighted path, each cell from the estimation core.

    ``design`` holds the ``weights`` and ``strata`` columns and the ``population`` (any
    may be None). The design and the groups are built once for every item; each item's
    mean and net score are :func:`analysis.mean`'s rows (of the value and of the
    +1/0/-1 score), its top2 and bottom2 the "True" rows of :func:`analysis.proportion`
    on a False/True flag, computed by the same functions on the same design.
    Returns the array and the ``method`` text of each cell (items x groups x
    statistics): a share's interval is logit, or beta where the share is 0 % or 100 %,
    so the text is each cell's own, not the first group's for all (privacy review 12:
    it called most cells "beta", and said of a hidden cell whether it was 0 %).
    """
    core = make_design(frame, **design)
    k, values = len(levels), _level_values(levels)
    per_item, methods = [], []
    for code in codes:
        substantive = code < k
        top = np.where(substantive, code >= k - 2, -1)      # flag codes, -1: no answer
        bottom = np.where(substantive, code <= 1, -1)
        parts = [
            mean_rows(core, groups, np.where(substantive, values[np.minimum(code, k - 1)],
                                             np.nan), level=level),
            _true_rows(share_rows(core, groups, top, 2, level=level)),
            _true_rows(share_rows(core, groups, bottom, 2, level=level)),
            _clipped_net(mean_rows(core, groups, np.where(substantive, top - bottom, np.nan),
                                   level=level)),
        ]
        per_item.append(np.stack([np.column_stack([p[c] for c in _ESTIMATES]) for p in parts],
                                 axis=1))
        named = {m: _method_of(m, design) for p in parts for m in pd.unique(p["method"])}
        methods.append(np.stack([pd.Series(p["method"]).map(named).to_numpy(dtype=object)
                                 for p in parts], axis=1))
    return np.stack(per_item), np.stack(methods)


def _clipped_net(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The net score's rows with its interval clipped to [-1, 1], as without weights
    (a t interval of a +1/0/-1 mean can pass +100 points; R's ``svymean`` does not clip)."""
    return {**table, "ci_low": np.clip(table["ci_low"], -1, 1),
            "ci_high": np.clip(table["ci_high"], -1, 1)}


def _true_rows(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The "True" category's rows (one per group) of a share table on a False/True flag."""
    return {name: values[1::2] for name, values in table.items()}


_ESTIMATES = ["estimate", "se", "ci_low", "ci_high"]


def _method_of(interval: str, design: dict) -> str:
    """``weighted``, ``stratified`` or ``weighted, stratified``, then how."""
    kind = ", ".join(name for name, key in (("weighted", "weights"), ("stratified", "strata"))
                     if design[key] is not None) or "finite population"
    return f"{kind}; Taylor linearisation; {interval} interval"


# --- output ---------------------------------------------------------------------


def _assemble(table, methods, counts, items, by, keys) -> pd.DataFrame:
    """Long tidy rows: group-major, then item, then statistic."""
    n_items, n_groups, n_stats = table.shape[:3]
    k = counts.shape[-1] - 2
    flat = table.transpose(1, 0, 2, 3).reshape(-1, 4)
    per_cell = counts.transpose(1, 0, 2)  # (groups, items, codes)
    rows = np.repeat(np.arange(n_groups), n_items * n_stats)
    out = keys.iloc[rows][by].reset_index(drop=True) if by else pd.DataFrame(index=range(len(flat)))
    out["item"] = np.tile(np.repeat(np.asarray(items, dtype=object), n_stats), n_groups)
    out["statistic"] = np.tile(STATISTICS, n_groups * n_items)
    out["n"] = np.repeat(per_cell[..., :k].sum(axis=-1).reshape(-1), n_stats)
    for j, column in enumerate(_ESTIMATES):
        out[column] = flat[:, j]
    if isinstance(methods, np.ndarray):   # each cell's own (items x groups x statistics)
        out["method"] = methods.transpose(1, 0, 2).reshape(-1)
    else:                                  # one per statistic
        out["method"] = np.tile(np.asarray(methods, dtype=object), n_groups * n_items)
    out["nonsubstantive"] = np.repeat(per_cell[..., k].reshape(-1), n_stats)
    out["missing"] = np.repeat(per_cell[..., k + 1].reshape(-1), n_stats)
    return out
