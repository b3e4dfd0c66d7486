"""Calibrated weights as R ``survey`` keeps them: the ``postStrata`` of a design.

:func:`analysis.rake` and :func:`analysis.poststratify` record what they calibrated the
weights to in a :class:`Calibration`, which keeps the calibration of its starting weights
when they had one (a chain, as R's ``rake(postStratify(design, ...), ...)`` appends to
``design$postStrata``). :func:`calibration_shift` replaces the influence values of an
estimate by their calibration residuals, applying each step of the chain in turn, the
earliest first, as R's ``svyrecvar`` does; :func:`analysis._design.calibrated_variance`
takes the variance of those residuals.

Everything works on cells: within the joint cell of every step's cells, the weights of
each step are a fixed multiple of the final weights, so the residual of ``w_i u_i`` is
``w_i (u_i + b[cell_i])`` with one ``b`` per joint cell, found from per-cell sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from analysis._design import Design

__all__ = ["Calibration", "Projection", "carried_calibration", "calibration_shift"]

#: Passes over the margins when projecting on a raking (R ``svyrecvar``: ``1:10``).
_RAKING_PASSES = 10


class Calibration(dict):
    """What :func:`analysis.rake` or :func:`analysis.poststratify` calibrated weights to.

    It travels in the ``attrs["calibration"]`` of the weights those functions return,
    and plays the part of the ``postStrata`` of an R ``survey`` design: estimates made
    with those weights get standard errors that account for the calibration. When the
    starting weights were themselves calibrated (post-stratified, then raked), the new
    calibration keeps the earlier one (``previous``), as R's ``rake()`` and
    ``postStratify()`` append to the design's ``postStrata``, and the standard errors
    account for every step.

    As a mapping it holds only a summary (``method``, ``columns``, ``rows``, ``cells``,
    and ``after``: the summary of the previous step, when there is one), so that pandas
    can write ``attrs`` holding it (e.g. to Parquet, as JSON); the arrays are
    attributes. Treat it as read-only.

    Attributes
    ----------
    method : ``"rake"`` or ``"poststratify"``.
    columns : the calibration variables.
    index : the rows the weights were calibrated on.
    weights : the calibrated weights, one per row.
    cell : the calibration cell of each row (rake: the cross-classification of the
        margins; poststratify: the post-stratum), in ``0 .. n_cells - 1``.
    margins : rake: for each margin, its category in each cell; poststratify: one
        entry, the cell itself.
    steps : rake: for each margin and cell, the weights after that margin's step of the
        last pass over the final weights (R's ``attr(margin, "weights")``, 1 once
        converged); poststratify: ones.
    previous : the calibration of the starting weights, or None (they were design
        weights).
    """

    def __init__(self, method: str, columns, index: pd.Index, weights: np.ndarray,
                 cell: np.ndarray, margins: tuple, steps: np.ndarray,
                 previous: Calibration | None = None) -> None:
        super().__init__(method=method, columns=list(columns), rows=len(index),
                         cells=int(margins[0].size))
        if previous is not None:
            self["after"] = dict(previous)
        self.method, self.columns, self.index = method, tuple(columns), index
        self.weights, self.cell, self.margins, self.steps = weights, cell, margins, steps
        self.previous = previous

    @property
    def n_cells(self) -> int:
        """Number of calibration cells."""
        return int(self.margins[0].size)

    @property
    def chain(self) -> tuple[Calibration, ...]:
        """Every calibration the weights went through, the earliest first (this one last)."""
        return (self,) if self.previous is None else (*self.previous.chain, self)

    @cached_property
    def projection(self) -> Projection:
        """The chain as R's ``svyrecvar`` applies it, on the joint cells of its steps."""
        return _projection(self.chain)

    def fits(self, index: pd.Index, weights: np.ndarray | None) -> bool:
        """True when ``weights`` on rows ``index`` are exactly the calibrated weights."""
        return (
            weights is not None
            and len(index) == len(self.index)
            and index.equals(self.index)
            and np.array_equal(weights, self.weights)
        )

    def __deepcopy__(self, memo) -> Calibration:
        # Read-only: pandas copies ``attrs`` deeply on every operation; sharing is safe.
        return self

    def __repr__(self) -> str:
        after = "" if self.previous is None else f", after={self.previous!r}"
        return (
            f"Calibration(method={self.method!r}, columns={list(self.columns)}, "
            f"rows={len(self.index)}, cells={self.n_cells}{after})"
        )


@dataclass(frozen=True)
class Projection:
    """A chain of calibrations on its joint cells, for :func:`calibration_shift`.

    Attributes
    ----------
    cell : joint cell of each row: the combination of its cells in every step (the
        calibration's own cells when there is one step).
    n_cells : number of joint cells.
    stages : one ``(method, margins, ratios)`` per step, the earliest first: for each
        margin (poststratify: one, the post-stratum), its category in each joint cell,
        and ``ratios`` (margins x joint cells), the weights after that margin's step
        over the final weights (R's ``psw / w``).
    """

    cell: np.ndarray
    n_cells: int
    stages: tuple


def _projection(chain: tuple[Calibration, ...]) -> Projection:
    """The :class:`Projection` of ``chain`` (earliest first).

    Each step multiplies the weights by a factor per cell of that step, so within a
    joint cell every step's weights are a fixed multiple of the final weights: the
    ratio of their sums over the cell.
    """
    last = chain[-1]
    if len(chain) == 1:
        return Projection(last.cell, last.n_cells, ((last.method, last.margins, last.steps),))
    cell, size = chain[0].cell, chain[0].n_cells
    for step in chain[1:]:   # observed (joint, step) combinations, renumbered each time
        key = cell * np.int64(step.n_cells) + step.cell
        if size * step.n_cells <= max(4 * key.size, 1 << 16):
            present = np.bincount(key, minlength=size * step.n_cells) > 0
            cell, size = (np.cumsum(present) - 1)[key], int(present.sum())
        else:
            _, cell = np.unique(key, return_inverse=True)
            cell = cell.ravel()
            size = int(cell.max()) + 1
    first = np.empty(size, dtype=np.int64)
    first[cell] = np.arange(cell.size)    # a row of each joint cell (any: all alike)
    final = np.bincount(cell, weights=last.weights, minlength=size)
    stages = []
    for step in chain:
        own = step.cell[first]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.bincount(cell, weights=step.weights, minlength=size) / final
        ratio = np.where(final > 0, ratio, 1.0)
        stages.append((step.method, tuple(margin[own] for margin in step.margins),
                       step.steps[:, own] * ratio))
    return Projection(cell, size, tuple(stages))


def carried_calibration(frame: pd.DataFrame, weights, given) -> Calibration | None:
    """The calibration in ``attrs["calibration"]`` of ``weights`` (a Series) or of
    ``frame``, when the weight values ``given`` are exactly its weights on the frame's
    rows; else None."""
    for found in (getattr(weights, "attrs", {}).get("calibration"),
                  frame.attrs.get("calibration")):
        if isinstance(found, Calibration) and found.fits(frame.index, given):
            return found
    return None


def _project(projection: Projection, count, weight, unweighted, weighted) -> np.ndarray:
    """Per joint cell and column, the value ``b`` such that the calibration residual of
    an influence value ``w_i u_i`` is ``w_i (u_i + b[cell_i])``.

    ``count`` and ``weight`` are the rows and the sum of (final) weights of each joint
    cell; ``unweighted`` and ``weighted`` the sums of ``u`` and of ``w u`` (cells x
    columns). The steps are applied in turn, the earliest first, each to the residuals
    the previous ones left, as R's ``svyrecvar`` loops over a design's ``postStrata``
    (:func:`_poststratify_stage`, :func:`_raking_stage`).
    """
    shift = np.zeros_like(unweighted)
    for method, margins, ratios in projection.stages:
        if method == "poststratify":
            shift = _poststratify_stage(margins[0], ratios[0], weight, weighted, shift)
        else:
            shift = _raking_stage(margins, ratios, count, unweighted, shift)
    return shift


def _poststratify_stage(cell, ratio, weight, weighted, shift) -> np.ndarray:
    """``b`` after a post-stratification: R's ``x - psw * rowsum(x * oldw / psw, cell) /
    sum(oldw by cell)``, i.e. the residual minus ``psw`` times the sum of the residuals
    over the sum of ``psw`` in each post-stratum (``psw = ratio * w``, ``oldw / psw``
    constant within a post-stratum). One step alone: the weighted cell mean of ``u``."""
    strata = int(cell.max()) + 1
    residual = np.zeros((strata,) + weighted.shape[1:])
    np.add.at(residual, cell, weighted + weight[:, None] * shift)
    size = np.bincount(cell, weights=ratio * weight, minlength=strata)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(size[:, None] > 0, residual / size[:, None], 0.0)
    return shift - ratio[:, None] * means[cell]


def _raking_stage(margins, ratios, count, unweighted, shift) -> np.ndarray:
    """``b`` after a raking: R's ten passes over the margins of ``x <- x - psw *
    ave(x / psw, margin)``, an *unweighted* mean within each margin category of ``x /
    psw``, with ``psw`` the weights after that margin's step (``ratios`` times the final
    weights)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_RAKING_PASSES):
            for categories, step in zip(margins, ratios):
                members = categories[None, :] == np.arange(categories.max() + 1)[:, None]
                ratio = step[:, None]
                sums = members @ ((unweighted + count[:, None] * shift) / ratio)
                means = sums / (members @ count)[:, None]
                shift = shift - ratio * np.where(np.isfinite(means), means, 0.0)[categories]
    return shift


def calibration_shift(design: Design, unweighted, weighted) -> np.ndarray:
    """Per calibration (joint) cell and column, the ``b`` making ``w_i (u_i + b[cell_i])``
    the calibration residual of the influence value ``w_i u_i`` (see :func:`_project`).

    ``unweighted`` holds the sums of ``u`` per cell (cells, columns...), ``weighted``
    the sums of ``w u`` per stratum and cell (strata, cells, columns...).
    """
    a = design.n_cells
    count, total, _ = design.cell_totals
    shift = _project(design.calibration.projection, count, total.sum(axis=0),
                     unweighted.reshape(a, -1), weighted.sum(axis=0).reshape(a, -1))
    return shift.reshape(unweighted.shape)
