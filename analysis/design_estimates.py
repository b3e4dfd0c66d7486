"""Estimates of one column on a design prepared once: shares, means, SDs and quantiles.

:func:`share_rows`, :func:`mean_rows`, :func:`quantile_rows` and :func:`sd_rows` compute
the columns of :func:`analysis.proportion`, :func:`analysis.mean` and
:func:`analysis.quantile` (all but the ``by`` keys) from a :class:`~analysis._design.Design`
and ``by`` groups built once (``make_design``, ``group_codes``), so that callers describing
many columns (:func:`analysis.profile`) build them once. Everything is aggregate-first:
rows are reduced with ``np.bincount`` to (stratum, calibration cell, group, category or
value) cells, and the Taylor-linearised variances come from those cells (see
:mod:`analysis._design`). The reference checks are those of :mod:`analysis.estimation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._calibration import calibration_shift
from analysis._design import (
    Design,
    Groups,
    calibrated_variance,
    domain_df,
    stratum_variance,
    t_quantile,
)
from analysis.intervals import proportion_ci
from surveys.errors import SurveyError

__all__ = ["share_rows", "mean_rows", "quantile_rows", "sd_rows", "numeric_values"]


def _cell_sums(index: np.ndarray, size: int, weights: np.ndarray, ones: bool = False):
    """Counts, sums of weights and sums of squared weights per cell index (``ones``:
    every weight is 1, so both sums are the counts)."""
    count = np.bincount(index, minlength=size).astype(float)
    if ones:
        return count, count.copy(), count.copy()
    total = np.bincount(index, weights=weights, minlength=size)
    square = np.bincount(index, weights=weights**2, minlength=size)
    return count, total, square


def _subset(mask: np.ndarray | None, *arrays: np.ndarray) -> list[np.ndarray]:
    """``arrays`` restricted to the rows of ``mask`` (the arrays themselves, not copies,
    when ``mask`` is None: every row kept)."""
    return list(arrays) if mask is None else [a[mask] for a in arrays]


def _kept(mask: np.ndarray) -> np.ndarray | None:
    """``mask``, or None when it keeps every row (nothing to subset)."""
    return None if mask.all() else mask


def _cell_index(outer: np.ndarray | None, outer_size: int, inner: np.ndarray) -> np.ndarray:
    """``outer * outer_size + inner`` as a new int64 array; ``outer`` None stands for
    zeros (a single stratum): a copy of ``inner``."""
    if outer is None:
        return inner.astype(np.int64)
    index = outer * np.int64(outer_size)
    index += inner
    return index


def _kish(n, total, square):
    with np.errstate(divide="ignore", invalid="ignore"):
        return n * square / total**2, total**2 / square


def share_rows(design: Design, groups: Groups, answer: np.ndarray, k: int, *,
               ci: str = "auto", level: float = 0.95) -> dict[str, np.ndarray]:
    """The columns of :func:`analysis.proportion` but the keys, on a prepared design.

    For callers that estimate many columns on one design (:func:`analysis.profile`):
    ``answer`` holds each row's category code (-1 when missing) out of ``k``. Returns one
    array per column, one value per (group, category), groups major, plus ``group`` (the
    row of ``groups.keys``).
    """
    table = _proportion_table(design, groups, answer, k)
    method = ci if ci != "auto" else ("wilson" if design.simple else "logit")
    intervals = proportion_ci(
        table["estimate"],
        table["n"],
        method=method,
        level=level,
        se=table["se"],
        df=table.pop("df"),
        n_effective=None if design.simple else table["n_effective"],
    )
    table.update({name: intervals[name].to_numpy() for name in intervals.columns})
    table["group"] = np.repeat(np.arange(groups.count), k)
    return table


def _proportion_table(design: Design, groups: Groups, answer: np.ndarray,
                      k: int) -> dict[str, np.ndarray]:
    """Estimates, SEs and base statistics per (group, category), from stratum cells:
    one array per column, one value per (group, category)."""
    h, g = design.n_strata, groups.count
    stratum, codes, answers, weights = _subset(
        _kept(groups.codes >= 0), design.stratum, groups.codes, answer, design.weights)
    # (stratum * g + group) * (k + 1) + answer + 1, in place
    index = _cell_index(stratum if h > 1 else None, g, codes)
    index *= k + 1
    index += answers
    index += 1
    count, total, square = (
        a.reshape(h, g, k + 1) for a in _cell_sums(index, h * g * (k + 1), weights,
                                                        design.unit_weights)
    )
    missing = count[:, :, 0].sum(axis=0)
    count, total, square = count[:, :, 1:], total[:, :, 1:], square[:, :, 1:]
    base_total, base_square = total.sum(axis=2), square.sum(axis=2)  # (h, g)
    weighted_n = base_total.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = total.sum(axis=0) / weighted_n[:, None]  # (g, k)
        inflow = (total - p * base_total[:, :, None]) / weighted_n[:, None]
        squares = (square * (1 - p) ** 2 + (base_square[:, :, None] - square) * p**2)
        squares = squares / weighted_n[:, None] ** 2
    if design.calibration is None:
        se = np.sqrt(stratum_variance(design, inflow, squares))
    else:
        se = _calibrated_proportion_se(design, groups, answer, p, weighted_n)
    n = count.sum(axis=(0, 2))
    deff, n_eff = _kish(n, weighted_n, base_square.sum(axis=0))
    per_group = {"n": n, "weighted_n": weighted_n, "deff": deff, "n_effective": n_eff,
                 "missing": missing, "df": domain_df(count.sum(axis=2))}
    table = {key: np.repeat(value, k) for key, value in per_group.items()}
    table["count"] = count.sum(axis=0).ravel()
    table["estimate"] = p.ravel()
    table["se"] = se.ravel()
    for column in ("n", "count", "missing"):
        table[column] = table[column].astype(np.int64)
    return table


def _calibrated_proportion_se(design: Design, groups: Groups, answer, p, weighted_n):
    """Standard errors of the shares ``p`` (groups x categories) after calibration.

    The influence value of respondent ``i`` for (group, category) is ``w_i u_i`` with
    ``u_i = (1[answer = category] - p) / weighted_n`` in the group's base, 0 elsewhere;
    ``u`` is constant within (stratum, calibration cell, group, answer) cells, so
    everything comes from the counts and weight sums of those cells.
    """
    h, a, g, k = design.n_strata, design.n_cells, groups.count, p.shape[1]
    stratum, cell, codes, answers, weights = _subset(
        _kept((groups.codes >= 0) & (answer >= 0)), design.stratum, design.cell, groups.codes,
        answer, design.weights)
    # ((stratum * a + cell) * g + group) * k + answer, in place
    index = _cell_index(stratum if h > 1 else None, a, cell)
    index *= g
    index += codes
    index *= k
    index += answers
    count, total, square = (
        s.reshape(h, a, g, k) for s in _cell_sums(index, h * a * g * k, weights,
                                                      design.unit_weights)
    )
    base_square = np.broadcast_to(square.sum(axis=3, keepdims=True), square.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = weighted_n[:, None]
        yes, no = (1 - p) / size, -p / size
        weighted = total * yes + (total.sum(axis=3, keepdims=True) - total) * no
        unweighted = (count * yes + (count.sum(axis=3, keepdims=True) - count) * no).sum(axis=0)
        shift = calibration_shift(design, unweighted, weighted)
        inside = square * (yes + shift) ** 2 + (base_square - square) * (no + shift) ** 2
        variance = calibrated_variance(design, weighted, shift, base_square, inside.sum(axis=1))
    return np.sqrt(variance)


def numeric_values(series: pd.Series, column: str) -> np.ndarray:
    """Values of ``series`` as floats (NaN for missing); Likert categories become numbers."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        if not pd.api.types.is_numeric_dtype(categories.dtype):
            raise SurveyError(
                f"Column '{column}' is categorical with non-numeric categories; "
                "use analysis.proportion for it."
            )
        codes = series.cat.codes.to_numpy()
        values = categories.to_numpy(dtype=float)[np.maximum(codes, 0)]
        return np.where(codes < 0, np.nan, values)
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    raise SurveyError(
        f"Column '{column}' is not numeric (dtype {series.dtype}); mean and quantile need numbers."
    )


def mean_rows(design: Design, groups: Groups, x: np.ndarray, *,
              level: float = 0.95) -> dict[str, np.ndarray]:
    """The columns of :func:`analysis.mean` but the keys, on a prepared design: one value per
    group (a row of ``groups.keys``), from the values ``x`` (NaN when missing).

    For callers that estimate many columns on one design (:func:`analysis.profile`).
    """
    h, g = design.n_strata, groups.count
    has_group = groups.codes >= 0
    absent = np.isnan(x)
    kept = _kept(has_group & ~absent)
    # every weight 1 (unweighted): sums of weights are counts, products by w are skipped
    ones = design.unit_weights and design.calibration is None
    code, w, xb = _subset(kept, groups.codes, design.weights, x)
    (stratum,) = _subset(kept, design.stratum) if h > 1 else (None,)
    cell = _cell_index(stratum, g, code)  # stratum * g + group
    count = np.bincount(cell, minlength=h * g).astype(float).reshape(h, g)
    weighted_n = (count if ones else np.bincount(cell, weights=w, minlength=h * g).reshape(
        h, g)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.bincount(code, weights=xb if ones else w * xb, minlength=g) / weighted_n
        # z = w (x - mean) / weighted_n and u = (x - mean) / weighted_n, each group's
        # scalars taken as such when there is one group (the same values)
        centre, size = (estimate[0], weighted_n[0]) if g == 1 else (estimate[code],
                                                                    weighted_n[code])
        u = xb - centre
        z = u if ones else w * u
        z /= size
    inflow = np.bincount(cell, weights=z, minlength=h * g).reshape(h, g)
    squares = np.bincount(cell, weights=np.square(z, out=z), minlength=h * g).reshape(h, g)
    squared = w if ones else w**2
    if design.calibration is None:
        se = np.sqrt(stratum_variance(design, inflow, squares))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            u /= size
        se = _calibrated_mean_se(design, kept, stratum, cell, code, w, squared, u, g)
    se = np.where(np.isnan(estimate), np.nan, se)   # a group without values: no se, not 0
    df = domain_df(count)
    half = t_quantile(level, df) * se
    n = count.sum(axis=0)
    deff, n_eff = _kish(n, weighted_n, n.copy() if ones else np.bincount(
        code, weights=squared, minlength=g))
    missing = np.bincount(groups.codes[has_group & absent], minlength=g)
    table = {"n": n.astype(np.int64), "estimate": estimate, "se": se,
             "ci_low": estimate - half, "ci_high": estimate + half,
             "method": np.full(g, "t", dtype=object), "weighted_n": weighted_n, "deff": deff,
             "n_effective": n_eff, "missing": missing.astype(np.int64)}
    return table


def sd_rows(design: Design, groups: Groups, x: np.ndarray, means: dict[str, np.ndarray],
            cells: dict[str, np.ndarray]) -> np.ndarray:
    """Weighted standard deviation per group with ``n - 1`` scaling, as R ``svyvar`` on
    the design subset to the answers: ``sqrt(sum w (x - mean)² / sum w * n / (n - 1))``,
    NaN below two answers.

    ``means`` are :func:`mean_rows`'s and ``cells`` :func:`quantile_rows`'s on the same
    design, groups and values ``x``. Both sums are blocked, then pairwise
    (:func:`_accurate_sums`: about 1e-15 relative, whatever the number of rows): over the
    (group, distinct value) cells when every weight is 1 (their sums of weights are then
    exact counts), else over the rows.
    """
    estimate, n, g = means["estimate"], means["n"], groups.count
    if design.unit_weights:
        code, total = cells["code"], cells["total"]
        terms = total * np.square(cells["x"] - estimate[code])
    else:
        kept = _kept((groups.codes >= 0) & ~np.isnan(x))
        code, total, xb = _subset(kept, groups.codes, design.weights, x)
        terms = total * np.square(xb - estimate[code])
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (_accurate_sums(code, terms, g) / _accurate_sums(code, total, g)
                    * n / (n - 1))
    return np.where(n > 1, np.sqrt(np.maximum(variance, 0.0)), np.nan)


#: Rows per block of :func:`_accurate_sums`.
_BLOCK = 1024


def _accurate_sums(code: np.ndarray, values: np.ndarray, g: int) -> np.ndarray:
    """Sums of ``values`` per group code, with the rounding of a pairwise sum rather
    than of ``np.bincount``'s running sum (whose error grows with the rows): sums per
    block of 1,024 rows and group, then a pairwise sum of the blocks of each group."""
    blocks = -(-code.size // _BLOCK)
    if blocks <= 1:
        return np.bincount(code, weights=values, minlength=g)
    key = np.arange(code.size) // _BLOCK * g
    key += code
    parts = np.bincount(key, weights=values, minlength=blocks * g).reshape(blocks, g)
    return np.ascontiguousarray(parts.T).sum(axis=1)


def _calibrated_mean_se(design: Design, kept, stratum, place, code, w, squared, u,
                        g: int) -> np.ndarray:
    """Standard errors of the group means after calibration, from the base rows
    (``kept``: None for every row) with their strata, ``place`` (stratum * g + group),
    group codes, weights, squared weights and ``u_i = (x_i - mean) / weighted_n``."""
    h, a = design.n_strata, design.n_cells
    (cell,) = _subset(kept, design.cell)
    index = _cell_index(stratum if h > 1 else None, a, cell)
    index *= g
    index += code                                   # (stratum * a + cell) * g + group
    weighted = np.bincount(index, weights=w * u, minlength=h * a * g).reshape(h, a, g)
    base_square = np.bincount(index, weights=squared, minlength=h * a * g).reshape(h, a, g)
    unweighted = np.bincount(_cell_index(cell, g, code), weights=u,
                             minlength=a * g).reshape(a, g)
    shift = calibration_shift(design, unweighted, weighted)
    residual = u + shift[cell, code]
    residual *= w
    inside = np.bincount(place, weights=np.square(residual, out=residual), minlength=h * g)
    variance = calibrated_variance(design, weighted, shift, base_square, inside.reshape(h, g))
    return np.sqrt(variance)


def quantile_rows(design: Design, groups: Groups, x: np.ndarray, q=(0.25, 0.5, 0.75), *,
                  level: float = 0.95) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The columns of :func:`analysis.quantile` but the keys, on a prepared design, and the value
    cells they were computed from.

    For callers that estimate many columns on one design (:func:`analysis.profile`).
    ``x`` holds the values (NaN when missing). Returns the columns (one value per group and
    probability, groups major, plus ``group``: the row of ``groups.keys``) and the cells
    (group ``code``, distinct value ``x``, ``stratum`` place, rows ``count``, weights
    ``total`` and ``square``), sorted by group, value and place, of the rows with a value
    and a group.
    """
    probabilities = np.atleast_1d(np.asarray(q, dtype=float))
    if probabilities.ndim != 1 or not ((probabilities >= 0) & (probabilities <= 1)).all():
        raise SurveyError(f"q={q!r}: quantile probabilities must be numbers between 0 and 1.")
    has_group = groups.codes >= 0
    absent = np.isnan(x)
    kept = _kept(has_group & ~absent)
    code, xb, w, place = _subset(kept, groups.codes, x, design.weights, design.stratum)
    if design.calibration is not None:
        (cell,) = _subset(kept, design.cell)
        place = _cell_index(place, design.n_cells, cell)
    ones = design.unit_weights
    squared = w if ones else w**2
    cells = _value_cells(code, xb, place, w, design.n_strata * design.n_cells, squared, ones)
    bounds = np.searchsorted(cells["code"], np.arange(groups.count + 1))
    rows = []
    for g in range(groups.count):
        part = slice(bounds[g], bounds[g + 1])
        group_cells = {key: value[part] for key, value in cells.items()}
        rows.extend(_group_quantiles(design, group_cells, probabilities, level))
    estimates = np.array(rows, dtype=float).reshape(-1, 5)
    summary = _base_summary(groups.count, code, w, squared, ones)
    summary["missing"] = np.bincount(groups.codes[has_group & absent], minlength=groups.count)
    repeat = len(probabilities)
    table = {"q": estimates[:, 0], **{name: np.repeat(summary[name], repeat) for name in ("n",)},
             **{name: estimates[:, i] for i, name in enumerate(("estimate", "se", "ci_low",
                                                                "ci_high"), start=1)},
             "method": np.full(len(estimates), "woodruff", dtype=object),
             **{name: np.repeat(summary[name], repeat)
                for name in ("weighted_n", "deff", "n_effective", "missing")},
             "group": np.repeat(np.arange(groups.count), repeat)}
    return table, cells


def _base_summary(count: int, code, w, squared, ones: bool = False) -> dict[str, np.ndarray]:
    """Per group: unweighted n, sum of weights and Kish statistics of the base, from the
    base rows' group codes, weights and squared weights (``ones``: every weight is 1)."""
    n = np.bincount(code, minlength=count)
    total = n.astype(float) if ones else np.bincount(code, weights=w, minlength=count)
    square = total if ones else np.bincount(code, weights=squared, minlength=count)
    deff, n_eff = _kish(n, total, square)
    return {"n": n.astype(np.int64), "weighted_n": total, "deff": deff, "n_effective": n_eff}


def _distinct(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(x, return_inverse=True)`` for values without NaN: hashed, then only
    the distinct values sorted."""
    codes, uniques = pd.factorize(x)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return uniques[order], rank[codes]


def _value_cells(code, x, stratum, w, n_strata, squared,
                 ones: bool = False) -> dict[str, np.ndarray]:
    """Cells (group, distinct value, stratum) sorted in that order, with weight sums.

    With a calibration, ``stratum`` is the (stratum, calibration cell) place of each row.
    ``squared`` holds the squared weights; ``ones``: every weight is 1 (the sums of
    weights are then the counts).
    """
    values, value_code = _distinct(x)
    key = code * values.size
    key += value_code
    if n_strata > 1:
        key *= n_strata
        key += stratum
    span = int(key.max()) + 1 if key.size else 0
    if span <= max(4 * key.size, 1 << 16):
        # the same sorted distinct keys and sums as np.unique and its inverse, without
        # sorting: sums over the dense keys, then the keys present
        count = np.bincount(key, minlength=span)
        present = count > 0
        keys = np.flatnonzero(present)
        count = count[present].astype(float)
        sums = (lambda weights: np.bincount(key, weights=weights, minlength=span)[present])
    else:
        keys, inverse = np.unique(key, return_inverse=True)
        inverse = inverse.ravel()
        count = np.bincount(inverse, minlength=keys.size).astype(float)
        sums = (lambda weights: np.bincount(inverse, weights=weights, minlength=keys.size))
    rest = keys // n_strata
    return {
        "code": rest // max(values.size, 1), "x": values[rest % max(values.size, 1)],
        "stratum": keys % n_strata, "count": count,
        "total": count.copy() if ones else sums(w),
        "square": count.copy() if ones else sums(squared),
    }


#: Shares this close to ``q`` count as reaching it exactly (equal non-integer weights).
_TIE = 1e-12


def _quantile_rule(values: np.ndarray, cumulative: np.ndarray, p: float) -> float:
    """R ``qrule_math``: the smallest value whose cumulative weight share reaches ``p``.

    Shares within ``1e-12`` of ``p`` count as equal, so equal weights give the same
    quantile whatever their scale. R compares the floating-point sums as they are, so
    where a share reaches ``p`` exactly in arithmetic but lands a hair below it in
    floating point, R takes the next value and this rule the exact one (review 11:
    raked weights whose cumulative share is 0.75 to 1e-16).
    """
    share = cumulative / cumulative[-1]
    below = int(np.searchsorted(share, p + _TIE, side="right")) - 1
    if below < 0:
        return float(values[0])
    if abs(p - share[below]) <= _TIE:
        return float(values[below])
    return float(values[min(below + 1, values.size - 1)])


def _group_quantiles(design: Design, cells: dict, probabilities, level) -> list[tuple]:
    """Quantiles and Woodruff intervals of one group from its value cells."""
    if cells["x"].size == 0:
        return [(p, np.nan, np.nan, np.nan, np.nan) for p in probabilities]
    distinct = np.ones(cells["x"].size, dtype=bool)
    distinct[1:] = cells["x"][1:] != cells["x"][:-1]
    starts = np.flatnonzero(distinct)
    values = cells["x"][starts]
    cumulative = np.cumsum(np.add.reduceat(cells["total"], starts))
    places = design.n_strata * design.n_cells
    place = cells["stratum"]
    sums = {key: np.bincount(place, weights=cells[key], minlength=places)
            for key in ("count", "total", "square")}
    weighted_n = sums["total"].sum()
    count_h = sums["count"].reshape(design.n_strata, -1).sum(axis=1)
    t = float(t_quantile(level, count_h.sum() - (count_h > 0).sum()))
    rows = []
    for p in probabilities:
        estimate = _quantile_rule(values, cumulative, p)
        below = cells["x"] <= estimate
        yes = {key: np.bincount(place, weights=cells[key] * below, minlength=places)
               for key in (("total", "square") if design.calibration is None else sums)}
        share = yes["total"].sum() / weighted_n
        half = t * np.sqrt(_share_variance(design, sums, yes, share, weighted_n))
        low = values[0] if share - half < 0 else _quantile_rule(values, cumulative, share - half)
        high = values[-1] if share + half > 1 else _quantile_rule(values, cumulative, share + half)
        rows.append((p, estimate, (high - low) / (2 * t), low, high))
    return rows


def _share_variance(design: Design, sums: dict, yes: dict, share: float, weighted_n: float):
    """Variance of the share of a group's base at or below a value, from the per-place
    (stratum, calibration cell) rows, weights and squared weights of the base (``sums``)
    and of the rows at or below (``yes``)."""
    h, a = design.n_strata, design.n_cells
    inflow = (yes["total"] - share * sums["total"]) / weighted_n
    if design.calibration is None:
        squares = (yes["square"] * (1 - share) ** 2
                   + (sums["square"] - yes["square"]) * share**2) / weighted_n**2
        return float(stratum_variance(design, inflow, squares))
    above, below = -share / weighted_n, (1 - share) / weighted_n
    unweighted = yes["count"] * below + (sums["count"] - yes["count"]) * above
    unweighted = unweighted.reshape(h, a, 1).sum(axis=0)
    shift = calibration_shift(design, unweighted, inflow.reshape(h, a, 1))[:, 0]
    inside = (yes["square"].reshape(h, a) * (below + shift) ** 2
              + (sums["square"] - yes["square"]).reshape(h, a) * (above + shift) ** 2)
    variance = calibrated_variance(design, inflow.reshape(h, a, 1), shift[:, None],
                                   sums["square"].reshape(h, a, 1), inside.sum(axis=1)[:, None])
    return float(variance[0])
