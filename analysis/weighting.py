"""Weights calibrated to known population figures: raking, post-stratification, trimming.

All three work aggregate-first: respondents are reduced to the cells of the
calibration variables (at most a few hundred), the adjustment factors are found on
the cells, and each respondent's weight is its starting weight times its cell's
factor. Nothing iterates over respondents.

The weights :func:`rake` and :func:`poststratify` return record what they were
calibrated to (a :class:`~analysis._calibration.Calibration` in ``weights.attrs["calibration"]``,
the ``postStrata`` of an R ``survey`` design): :func:`analysis.proportion`,
:func:`analysis.mean` and :func:`analysis.quantile` given those weights compute the
standard errors of the calibrated design, as R's ``rake()`` / ``postStratify()`` designs
do, smaller than those of the same weights taken as fixed. Starting from weights that
were calibrated already, the new calibration keeps the earlier one (a chain, as R's
``rake(postStratify(design, ...), ...)``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis._data import as_frame, as_list, check_columns
from analysis._calibration import Calibration, carried_calibration
from analysis._design import group_codes, weight_values
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["rake", "poststratify", "trim_weights", "ConvergenceError", "Calibration"]

#: Margins whose values sum to 1 within this are shares, not totals.
_SHARE_TOLERANCE = 1e-6


#: French names of what is calibrated, for the messages.
_WHAT_FR = {"margin": "marge", "totals": "totaux"}


class ConvergenceError(SurveyError):
    """Raking did not meet its margins within ``max_iter`` passes; the message says what to check."""


def _normal(value) -> str:
    """A margin key or data value as text compared without regard to case or spaces."""
    return str(value).strip().casefold()


def _plain(value) -> str:
    """A data value written plainly for a message: ``'F'``, ``28``, ``true`` (not
    ``np.int64(28)`` or ``np.False_``)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _cell_targets(frame: pd.DataFrame, columns: list, targets: Mapping, what: str):
    """Cell code of each row (index into ``targets``) and the target values.

    Raises :class:`SurveyError` when a respondent has no value or a value absent from
    ``targets``, or a positive target has no respondent.
    """
    check_columns(frame, columns, f"{what} column")
    if not isinstance(targets, Mapping) or not targets:
        raise SurveyError(Note("margin_not_mapping", what={"en": what, "fr": _WHAT_FR.get(what, what)},
                               columns=columns, given=repr(targets)))
    keys = list(targets)
    values = np.array([targets[key] for key in keys], dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise SurveyError(Note("margin_negative", what={"en": what, "fr": _WHAT_FR.get(what, what)}, columns=columns,
                               given=dict(targets)))
    groups = group_codes(frame, columns)
    if (groups.codes < 0).any():
        raise SurveyError(Note("margin_missing_values", count=int((groups.codes < 0).sum()),
                               columns=columns, what={"en": what, "fr": _WHAT_FR.get(what, what)}))
    wanted = {
        (_normal(key),) if len(columns) == 1 else tuple(_normal(k) for k in as_list(key)): i
        for i, key in enumerate(keys)
    }
    lookup = []
    for row in groups.keys.itertuples(index=False):
        position = wanted.get(tuple(_normal(value) for value in row))
        if position is None:
            shown = (_plain(row[0]) if len(columns) == 1
                     else "(" + ", ".join(map(_plain, row)) + ")")
            named = columns[0] if len(columns) == 1 else columns
            raise SurveyError(Note("margin_unknown_category", column=named, value=shown,
                                   what={"en": what, "fr": _WHAT_FR.get(what, what)},
                                   known=", ".join(map(str, keys))))
        lookup.append(position)
    codes = np.asarray(lookup, dtype=np.int64)[groups.codes]
    empty = (np.bincount(codes, minlength=len(keys)) == 0) & (values > 0)
    if empty.any():
        raise SurveyError(Note("margin_empty_category", what={"en": what, "fr": _WHAT_FR.get(what, what)}, columns=columns,
                               value=repr(keys[int(np.flatnonzero(empty)[0])])))
    return codes, values


def _scale_shares(sums: dict, start_total: float) -> tuple[float, dict]:
    """The common population total, and which margins are shares to scale to it."""
    shares = {name: abs(total - 1) <= _SHARE_TOLERANCE for name, total in sums.items()}
    totals = {name: total for name, total in sums.items() if not shares[name]}
    if totals:
        reference = next(iter(totals.values()))
        off = {n: t for n, t in totals.items() if abs(t - reference) > 1e-6 * reference}
        if off:
            raise SurveyError(Note("margins_totals_differ", totals=totals))
        return reference, shares
    return start_total, shares


def rake(
    data,
    margins: Mapping,
    *,
    weights=None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> pd.Series:
    """Calibrate weights to known margins by iterative proportional fitting.

    Parameters
    ----------
    data : Survey or DataFrame
    margins : mapping
        Column name -> {category: population total or share}. Shares (summing to 1)
        are scaled to the population total of the other margins, or to the sum of the
        starting weights when every margin is given as shares.
    weights : str, Series or array, optional
        Starting (design) weights; 1 for everyone when omitted.
    tol : float
        Largest allowed gap between a fitted margin and its target, as a fraction of
        the population total.
    max_iter : int
        Maximum number of passes over the margins.

    Returns
    -------
    Series
        Calibrated weights, indexed like the data, named ``"weight"``. Their
        ``attrs["calibration"]`` records the raking, so that estimates made with these
        weights (unchanged, on the same rows) have the standard errors of R's ``rake()``
        design; pass ``calibration=False`` to the estimators to treat them as fixed.

    Raises
    ------
    SurveyError
        A margin column does not exist; margins give different population totals; a
        category of a margin has no respondent; a respondent's category (or a missing
        value) is absent from the margins.
    ConvergenceError
        The margins were not met after ``max_iter`` passes.

    Notes
    -----
    The respondents are reduced to the cells of the cross-table of the margin
    variables; the fitting runs on those cells. Converges to R ``survey``'s
    ``rake()`` weights (``tests/fixtures/survey/make_reference.R``, checked to 1e-6).
    The recorded calibration holds, per margin, the weights after that margin's step
    in the last pass (R keeps the same ``postStrata``); standard errors computed with
    it equal R's on the raked design (``tests/fixtures/calibration``), whose variance
    projects the influence values on the margins by R's ten passes of unweighted
    means. Starting weights that were themselves calibrated (unchanged weights returned
    by :func:`rake` or :func:`poststratify`, on the same rows) are chained: the
    calibration keeps the earlier one and the standard errors account for both, as
    R's ``rake(postStratify(design, ...), ...)`` or ``rake(rake(design, ...), ...)``
    (``tests/fixtures/calibration/make_chain_reference.R``, to 1e-10). The chain is
    dropped (the starting weights count as design weights) when a target of 0 zeroes
    weights that were positive.

    Examples
    --------
    >>> df = pd.DataFrame({"gender": ["F", "F", "M", "M", "M"], "manager": [1, 0, 1, 0, 0]})
    >>> weights = rake(df, {"gender": {"F": 0.5, "M": 0.5}, "manager": {1: 2, 0: 3}})
    >>> weights.round(4).tolist()
    [1.2056, 1.2944, 0.7944, 0.8528, 0.8528]
    >>> weights.attrs["calibration"]
    Calibration(method='rake', columns=['gender', 'manager'], rows=5, cells=4)
    """
    frame = as_frame(data)
    if not isinstance(margins, Mapping) or not margins:
        raise SurveyError("margins must map at least one column to {category: total or share}.")
    start = weight_values(frame, weights)
    previous = carried_calibration(frame, weights, start)
    start = np.ones(len(frame)) if start is None else start
    columns = list(margins)
    coded = [_cell_targets(frame, [column], margins[column], "margin") for column in columns]
    total, shares = _scale_shares(
        {column: values.sum() for column, (_, values) in zip(columns, coded)}, start.sum()
    )
    targets = [values * total if shares[c] else values for c, (_, values) in zip(columns, coded)]
    dims = tuple(len(values) for values in targets)
    index = np.ravel_multi_index(tuple(codes for codes, _ in coded), dims)
    table = np.bincount(index, weights=start, minlength=int(np.prod(dims))).reshape(dims)
    factor, steps = _fit(table, targets, columns, tol, max_iter, total)
    factor = factor.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(factor > 0, np.stack([s.ravel() for s in steps]) / factor, 1.0)
    weights = pd.Series(start * factor[index], index=frame.index, name="weight")
    cells = np.arange(factor.size)
    weights.attrs["calibration"] = Calibration(
        "rake", tuple(columns), frame.index, weights.to_numpy(copy=True), index,
        tuple(np.unravel_index(cells, dims)), steps, _chained(previous, start, weights),
    )
    return weights


def _fit(table, targets, columns, tol, max_iter, total) -> tuple[np.ndarray, list]:
    """Cell factors making ``table``'s margins equal ``targets`` (iterative fitting), and
    the factors after each margin's step of the last pass."""
    factor = np.ones(table.shape)
    axes = range(table.ndim)
    for _ in range(max_iter):
        steps = []
        for axis, target in zip(axes, targets):
            others = tuple(a for a in axes if a != axis)
            fitted = (table * factor).sum(axis=others)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(fitted > 0, target / fitted, 1.0)
            factor = factor * ratio.reshape([-1 if a == axis else 1 for a in axes])
            steps.append(factor)
        gaps = [
            np.max(np.abs((table * factor).sum(axis=tuple(a for a in axes if a != axis)) - target))
            for axis, target in zip(axes, targets)
        ]
        if max(gaps) <= tol * total:
            return factor, steps
    worst = columns[int(np.argmax(gaps))]
    raise ConvergenceError(
        f"Raking did not converge in {max_iter} iterations: margin '{worst}' is still off by "
        f"{max(gaps) / total:.2g} of the total. Check that the margins can be met together "
        "(a combination of categories with no respondent can make them impossible); merge "
        "small categories, or raise max_iter or tol."
    )


def poststratify(data, columns, totals, *, weights=None) -> pd.Series:
    """Post-stratify weights so each cell's weights sum to its known population total.

    Parameters
    ----------
    data : Survey or DataFrame
    columns : str or list of str
        The post-stratification variable(s).
    totals : mapping or DataFrame
        {category: total} for one column, {(category, category, ...): total} for
        several, or a DataFrame with the columns and a ``total`` column. Shares (summing
        to 1) are scaled to the sum of the starting weights.
    weights : str, Series or array, optional
        Starting weights (1 for everyone when omitted).

    Returns
    -------
    Series
        Post-stratified weights, indexed like the data, named ``"weight"``. Their
        ``attrs["calibration"]`` records the post-strata, so that estimates made with
        these weights (unchanged, on the same rows) have the standard errors of R's
        ``postStratify()`` design.

    Notes
    -----
    ``w_i * N_c / sum_{j in c} w_j`` for respondent ``i`` in cell ``c``: R ``survey``'s
    ``postStratify()`` weights (checked in ``tests/fixtures/survey``) and standard
    errors (``tests/fixtures/calibration``). Calibrated starting weights are chained as
    in :func:`rake` (R's ``postStratify(rake(design, ...), ...)``).

    Examples
    --------
    >>> df = pd.DataFrame({"gender": ["F", "M", "M", "M"]})
    >>> poststratify(df, "gender", {"F": 20, "M": 20}).tolist()
    [20.0, 6.666666666666667, 6.666666666666667, 6.666666666666667]
    """
    frame = as_frame(data)
    columns = as_list(columns)
    if isinstance(totals, pd.DataFrame):
        check_columns(totals, [*columns, "total"], "totals column")
        keys = totals[columns].itertuples(index=False, name=None)
        totals = dict(zip((k[0] if len(columns) == 1 else k for k in keys), totals["total"]))
    if not isinstance(totals, Mapping) or not totals:
        raise SurveyError("totals must map each category to its population total (or share).")
    start = weight_values(frame, weights)
    previous = carried_calibration(frame, weights, start)
    start = np.ones(len(frame)) if start is None else start
    codes, values = _cell_targets(frame, columns, totals, "totals")
    if abs(values.sum() - 1) <= _SHARE_TOLERANCE:
        values = values * start.sum()
    sums = np.bincount(codes, weights=start, minlength=len(values))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(sums > 0, values / sums, 0.0)
    if ((sums == 0) & (values > 0)).any():
        raise SurveyError(f"A totals cell of {columns} has respondents whose weights are all zero.")
    weights = pd.Series(start * factor[codes], index=frame.index, name="weight")
    cells = np.arange(values.size)
    weights.attrs["calibration"] = Calibration(
        "poststratify", tuple(columns), frame.index, weights.to_numpy(copy=True), codes, (cells,),
        np.ones((1, values.size)), _chained(previous, start, weights),
    )
    return weights


def _chained(previous: Calibration | None, start: np.ndarray,
             weights: pd.Series) -> Calibration | None:
    """The calibration of the starting weights to keep in the new one's chain: None
    when there is none, or when the new weights are 0 where the starting weights were
    not (a zero target: the residuals of the earlier step could not be carried)."""
    if previous is None or ((weights.to_numpy() > 0) | (start == 0)).all():
        return previous
    return None


def trim_weights(
    weights,
    *,
    lower: float | None = None,
    upper: float | None = None,
    relative: bool = False,
    max_iter: int = 100,
):
    """Cap weights at bounds and spread the excess over the others, keeping the total.

    Parameters
    ----------
    weights : Series or array-like
        Weights (non-negative, no missing value).
    lower, upper : float, optional
        Bounds; with ``relative=True`` they are multiples of the mean weight (e.g.
        ``upper=5``: no weight above five times the mean).
    relative : bool
        Read the bounds as multiples of the mean weight.
    max_iter : int
        Passes of cap-and-redistribute (each pass may push other weights past a bound).

    Returns
    -------
    Series or ndarray
        Trimmed weights (a Series with the same index when given a Series), summing to
        the same total, all within the bounds.

    Raises
    ------
    SurveyError
        Bounds that cannot hold the total (``upper * n < total`` or ``lower * n > total``)
        or ``lower > upper``.

    Notes
    -----
    Each pass clips the weights to the bounds and rescales the weights strictly inside
    them so the total is unchanged; it stops when nothing moves (checked by the tests:
    bounds hold and the total is kept).

    Examples
    --------
    >>> trim_weights([1.0, 1.0, 1.0, 5.0], upper=3.0).round(4).tolist()
    [1.6667, 1.6667, 1.6667, 3.0]
    """
    series = weights if isinstance(weights, pd.Series) else None
    w = np.asarray(pd.Series(weights).to_numpy(dtype=float, na_value=np.nan), dtype=float)
    if np.isnan(w).any() or (w < 0).any() or not w.any():
        raise SurveyError("trim_weights needs non-negative weights, not all zero, none missing.")
    total, n = w.sum(), w.size
    low = -np.inf if lower is None else lower * (total / n if relative else 1.0)
    high = np.inf if upper is None else upper * (total / n if relative else 1.0)
    if low > high or high * n < total * (1 - 1e-12) or low * n > total * (1 + 1e-12):
        raise SurveyError(
            f"Weights summing to {total:g} over {n} respondents cannot all lie within "
            f"[{low:g}, {high:g}]; widen the bounds."
        )
    for _ in range(max_iter):
        clipped = np.clip(w, low, high)
        free = (clipped > low) & (clipped < high)
        excess = total - clipped.sum()
        if abs(excess) <= 1e-12 * total and np.array_equal(clipped, w):
            break
        if free.any() and clipped[free].sum() > 0:
            clipped[free] *= 1 + excess / clipped[free].sum()
        w = clipped
    w = np.clip(w, low, high)
    return pd.Series(w, index=series.index, name=series.name) if series is not None else w
