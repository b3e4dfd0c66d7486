"""The survey design behind every estimate: weights, strata and population sizes.

A design is one-stage: each respondent is its own primary sampling unit, sampled
within an optional stratum, with an optional sampling weight and an optional
population size (finite population correction). This is R ``survey``'s
``svydesign(ids=~1, strata=~s, weights=~w, fpc=~N, data=d)``.

Estimators here work aggregate-first: rows are reduced to cells (stratum x group x
category) holding a count, a sum of weights and a sum of squared weights, and the
Taylor-linearised variances are computed from those cells, so the cost of everything
after one ``np.bincount`` grows with the number of cells, not of respondents.

Variance of a domain estimate with influence values ``z_i`` (zero outside the
domain), as R's ``svyrecvar`` for a one-stage stratified design::

    V = sum_h (1 - n_h / N_h) * n_h / (n_h - 1) * (sum_i z_i**2 - (sum_i z_i)**2 / n_h)

where ``n_h`` counts *every* sampled row of stratum ``h`` (domains are estimated on
the full design, never by subsetting it). A stratum with a single row contributes
nothing (R's ``options(survey.lonely.psu = "certainty")``).

Weights calibrated by :func:`analysis.rake` or :func:`analysis.poststratify` carry a
:class:`~analysis._calibration.Calibration` (the design's ``postStrata``, one or several
steps); the influence values are then replaced by their residuals on the calibration
cells before the formula above, as R's ``svyrecvar`` does (see
:func:`analysis._calibration.calibration_shift` and :func:`calibrated_variance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analysis._calibration import Calibration, carried_calibration
from analysis._data import check_columns
from surveys.errors import SurveyError

__all__ = [
    "Calibration",
    "calibrated_variance",
    "Design",
    "Groups",
    "make_design",
    "group_codes",
    "factor_codes",
    "stratum_variance",
    "domain_df",
    "check_level",
    "t_quantile",
    "weight_values",
]

#: Above this many dense cells, groups are compressed with ``np.unique`` instead.
_DENSE_LIMIT = 20_000_000


@dataclass(frozen=True)
class Design:
    """A one-stage (stratified) design reduced to arrays.

    Attributes
    ----------
    weights : float array, one per row (1 when the data are unweighted).
    stratum : int array of stratum codes in ``0 .. n_strata - 1``.
    n_strata : number of strata (1 when unstratified).
    size : rows sampled in each stratum (``n_h``), float array of ``n_strata``.
    scale : variance factor ``(1 - f_h) * n_h / (n_h - 1)`` per stratum (0 for a lonely row).
    simple : True for simple random sampling with equal weights and no population size.
    calibration : the :class:`Calibration` of the weights, or None (fixed weights).
    cell : calibration cell of each row (zeros without calibration): the joint cell of
        every step of the calibration's chain (:class:`~analysis._calibration.Projection`).
    n_cells : number of calibration cells (1 without calibration).
    unit_weights : True when every weight is exactly 1.
    """

    weights: np.ndarray
    stratum: np.ndarray
    n_strata: int
    size: np.ndarray
    scale: np.ndarray
    simple: bool
    calibration: Calibration | None = None

    @property
    def cell(self) -> np.ndarray:
        """Calibration cell of each row (all 0 without calibration)."""
        if self.calibration is None:
            return np.zeros(self.weights.size, dtype=np.int64)
        return self.calibration.projection.cell

    @property
    def n_cells(self) -> int:
        """Number of calibration cells (1 without calibration)."""
        return 1 if self.calibration is None else self.calibration.projection.n_cells

    @cached_property
    def unit_weights(self) -> bool:
        """True when every weight is exactly 1 (sums of weights are then counts)."""
        return bool(np.all(self.weights == 1.0))

    @cached_property
    def cell_totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows per calibration cell, and sums of weights and of squared weights per
        (stratum, calibration cell)."""
        h, a = self.n_strata, self.n_cells
        index = self.stratum * a + self.cell
        count = np.bincount(self.cell, minlength=a).astype(float)
        total = np.bincount(index, weights=self.weights, minlength=h * a).reshape(h, a)
        square = np.bincount(index, weights=self.weights**2, minlength=h * a).reshape(h, a)
        return count, total, square


@dataclass(frozen=True)
class Groups:
    """Row codes of the ``by`` groups (-1: a ``by`` value is missing) and one key row per group."""

    codes: np.ndarray
    keys: pd.DataFrame

    @property
    def count(self) -> int:
        """Number of groups."""
        return len(self.keys)


def check_level(level: float) -> None:
    """Raise :class:`SurveyError` unless ``0 < level < 1``."""
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise SurveyError(
            f"level={level!r} is not a confidence level; give a number between 0 and 1, e.g. 0.95."
        )


def t_quantile(level: float, df) -> np.ndarray:
    """Two-sided critical value ``qt(1 - (1 - level) / 2, df)``; ``df`` below 1 is raised to 1."""
    from scipy import stats

    df = np.maximum(np.asarray(df, dtype=float), 1.0)
    return stats.t.ppf(1 - (1 - level) / 2, df)


def factor_codes(series: pd.Series) -> tuple[np.ndarray, pd.Index | np.ndarray]:
    """Integer codes (-1 for missing) and the ordered categories of ``series``.

    Categoricals keep every category (unused ones too); booleans are ``[False, True]``;
    anything else gets its sorted distinct values.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64), series.cat.categories
    if pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        codes = np.where(np.isnan(values), -1, values).astype(np.int64)
        return codes, np.array([False, True], dtype=object)
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int64), uniques


def _key_column(series: pd.Series, categories, codes: np.ndarray):
    """Values of a ``by`` key column for the given category codes, keeping the dtype."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(codes, dtype=series.dtype)
    if pd.api.types.is_bool_dtype(series.dtype):
        return pd.array(categories[codes].astype(bool), dtype="boolean")
    return pd.Series(categories).take(codes).reset_index(drop=True).array


def group_codes(frame: pd.DataFrame, by: list) -> Groups:
    """Code the rows by the combination of the ``by`` columns (observed combinations only)."""
    if not by:
        return Groups(np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1)))
    factors = [factor_codes(frame[column]) for column in by]
    dims = tuple(max(len(categories), 1) for _, categories in factors)
    if len(factors) == 1:
        flat = factors[0][0]
        valid = flat >= 0
    else:
        valid = np.logical_and.reduce([codes >= 0 for codes, _ in factors])
        flat = np.ravel_multi_index(tuple(np.where(valid, c, 0) for c, _ in factors), dims)
    total = int(np.prod(dims, dtype=np.float64))
    if total <= _DENSE_LIMIT:
        present = np.bincount(flat[valid], minlength=total) > 0
        observed = np.flatnonzero(present)
        if present.all():
            # one column: its codes are already -1 where missing
            codes = flat if len(factors) == 1 else np.where(valid, flat, -1)
        else:
            codes = np.where(valid, (np.cumsum(present) - 1)[flat], -1)
    else:
        observed, inverse = np.unique(flat[valid], return_inverse=True)
        codes = np.full(len(frame), -1, dtype=np.int64)
        codes[valid] = inverse
    parts = np.unravel_index(observed, dims)
    keys = pd.DataFrame(
        {
            column: _key_column(frame[column], categories, part)
            for column, (_, categories), part in zip(by, factors, parts)
        }
    )
    return Groups(codes.astype(np.int64, copy=False), keys)


def weight_values(frame: pd.DataFrame, weights) -> np.ndarray | None:
    """The weights as floats (a column name, a Series or an array), checked."""
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(frame, [weights], "weights column")
        name, values = f"weights column '{weights}'", frame[weights]
    else:
        name, values = "weights", weights
        if isinstance(values, pd.Series) and not values.index.equals(frame.index):
            values = values.reindex(frame.index)
    try:
        array = np.asarray(pd.Series(values).to_numpy(dtype=float, na_value=np.nan), dtype=float)
    except (TypeError, ValueError) as error:
        raise SurveyError(f"The {name} must be numbers ({error}).") from None
    if array.shape != (len(frame),):
        raise SurveyError(f"The {name} have {array.size} values for {len(frame)} rows.")
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        raise SurveyError(
            f"The {name} hold {int(bad.sum())} missing, infinite or negative values "
            f"(first at row {int(np.flatnonzero(bad)[0])}); every respondent needs a weight >= 0."
        )
    if not array.any():
        raise SurveyError(f"The {name} are all zero.")
    return array


def _strata(frame: pd.DataFrame, strata) -> tuple[np.ndarray, int]:
    """Stratum codes and the number of strata."""
    if strata is None:
        return np.zeros(len(frame), dtype=np.int64), 1
    check_columns(frame, [strata], "strata column")
    codes, categories = factor_codes(frame[strata])
    if (codes < 0).any():
        raise SurveyError(
            f"The strata column '{strata}' is missing for {int((codes < 0).sum())} respondents; "
            "every respondent needs a stratum."
        )
    present = np.bincount(codes, minlength=len(categories)) > 0
    lookup = np.cumsum(present) - 1
    return lookup[codes].astype(np.int64), int(present.sum())


def _population(frame, population, stratum, n_strata, size) -> np.ndarray | None:
    """Population size ``N_h`` per stratum, or None."""
    if population is None:
        return None
    if isinstance(population, str):
        check_columns(frame, [population], "population column")
        values = pd.to_numeric(frame[population], errors="coerce").to_numpy(dtype=float)
        if np.isnan(values).any():
            raise SurveyError(f"The population column '{population}' has missing values.")
        low = np.full(n_strata, np.inf)
        high = np.full(n_strata, -np.inf)
        np.minimum.at(low, stratum, values)
        np.maximum.at(high, stratum, values)
        if (high > low).any():
            raise SurveyError(
                f"The population column '{population}' varies within a stratum; "
                "it must hold the population size of each respondent's stratum."
            )
        sizes, what = low, f"population column '{population}'"
    else:
        if n_strata > 1:
            raise SurveyError(
                "population= is a single number but the design is stratified; give the name "
                "of a column holding each stratum's population size."
            )
        sizes, what = np.array([float(population)]), "population"
    if (sizes < size).any():
        raise SurveyError(
            f"The {what} ({sizes[sizes < size][0]:g}) is smaller than the number of "
            f"respondents sampled ({size[sizes < size][0]:g}); give the population size."
        )
    return sizes


def _calibration(frame: pd.DataFrame, weights, given, calibration) -> Calibration | None:
    """The calibration to use: explicit, found on the weights (or the frame), or None.

    Found automatically in ``attrs["calibration"]`` of the weights (a Series) or of the
    frame, and only when the weights are exactly the calibrated weights of the same
    rows: weights changed after calibrating are plain weights.
    """
    if calibration is False:
        return None
    if calibration is None:
        return carried_calibration(frame, weights, given)
    if not isinstance(calibration, Calibration):
        raise SurveyError(
            f"calibration={calibration!r} is not a calibration; give the "
            "weights.attrs['calibration'] of weights returned by rake() or poststratify(), "
            "False to treat the weights as fixed, or None to find it on the weights."
        )
    if not calibration.fits(frame.index, calibration.weights if given is None else given):
        raise SurveyError(
            f"The {calibration!r} was made on other rows or other weights than the data "
            f"({len(frame)} rows) and weights given; pass the weights rake() or "
            "poststratify() returned, on the same rows (estimate subgroups with by=)."
        )
    return calibration


def make_design(
    frame: pd.DataFrame, *, weights=None, strata=None, population=None, calibration=None
) -> Design:
    """Build the :class:`Design` of ``frame`` (see the module docstring).

    Without ``weights`` but with ``population``, each respondent weighs ``N_h / n_h``
    (as R's ``svydesign`` with ``fpc`` only). ``calibration`` is a :class:`Calibration`,
    False (fixed weights) or None (the one the weights carry, if any: see
    :func:`_calibration`).
    """
    stratum, n_strata = _strata(frame, strata)
    if strata is None:  # every row in the one stratum
        size = np.array([float(len(frame))])
    else:
        size = np.bincount(stratum, minlength=n_strata).astype(float)
    sizes = _population(frame, population, stratum, n_strata, size)
    given = weight_values(frame, weights)
    calibrated = _calibration(frame, weights, given, calibration)
    if given is None and calibrated is not None:
        given = calibrated.weights
    if given is None:
        given = np.ones(len(frame)) if sizes is None else (sizes / size)[stratum]
    factor = np.ones(n_strata) if sizes is None else (sizes - size) / sizes
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(size > 1, factor * size / (size - 1), 0.0)
    if (factor < 1e-7).all():
        scale = np.zeros(n_strata)
    equal = given.size == 0 or bool(np.ptp(given) <= 1e-12 * np.max(given))
    simple = equal and n_strata == 1 and sizes is None and calibrated is None
    return Design(given, stratum, n_strata, size, scale, simple, calibrated)


def stratum_variance(design: Design, total: np.ndarray, square: np.ndarray) -> np.ndarray:
    """Taylor variance from per-stratum sums of influence values and of their squares.

    ``total`` and ``square`` have the strata on their first axis; returns the variance
    with that axis summed out (never negative).
    """
    shape = (design.n_strata,) + (1,) * (total.ndim - 1)
    scale = design.scale.reshape(shape)
    size = design.size.reshape(shape)
    variance = (scale * (square - total**2 / size)).sum(axis=0)
    return np.maximum(variance, 0.0)


def domain_df(counts: np.ndarray) -> np.ndarray:
    """Design degrees of freedom per domain from counts shaped (strata, domains...).

    Respondents in the domain minus strata represented in it, as R's ``degf`` on the
    domain's subset of the design.
    """
    return counts.sum(axis=0) - (counts > 0).sum(axis=0)


def calibrated_variance(design: Design, weighted, shift, base_square, inside) -> np.ndarray:
    """Taylor variance of the calibration residuals ``w_i (u_i + b[cell_i])``.

    Parameters
    ----------
    design : Design
        With a :class:`Calibration`.
    weighted : ndarray (strata, cells, columns...)
        Sums of ``w u`` per stratum and calibration cell.
    shift : ndarray (cells, columns...)
        ``b`` from :func:`analysis._calibration.calibration_shift`.
    base_square : ndarray (strata, cells, columns...)
        Sums of ``w²`` over the rows where ``u`` may be non-zero (the base of the
        estimate's domain).
    inside : ndarray (strata, columns...)
        Sums of ``w² (u + b)²`` over those rows.

    Returns
    -------
    ndarray (columns...)
        The variance, as R ``svyrecvar`` on a design whose ``postStrata`` hold the
        calibration, through :func:`stratum_variance`. Rows outside the base have
        ``u = 0`` but a residual ``w_i b[cell_i]``: the per-cell sums of weights carry
        them. Squares are summed as squares (no cancellation when the calibration
        explains the variable, e.g. the share of a margin's category, R's ~1e-17).
    """
    h, a = design.n_strata, design.n_cells
    columns = shift.shape[1:]
    _, total, total_sq = design.cell_totals
    shift = shift.reshape(a, -1)
    outside = total_sq[:, :, None] - base_square.reshape(h, a, -1)
    inflow = weighted.reshape(h, a, -1).sum(axis=1) + total @ shift
    squares = inside.reshape(h, -1) + np.einsum("haj,aj->hj", outside, shift**2)
    return stratum_variance(design, inflow, squares).reshape(columns)
