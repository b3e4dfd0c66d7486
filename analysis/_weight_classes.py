"""A weighted figure rests on each of its weighting classes, for the report's small-cell
rule.

Raking on a margin (or a stratified design's ``N_h / n_h``) gives every respondent of a
class the same weight, and the report publishes what makes the weights known: the
margins, the population and each class's count. A weighted share of a group is then a
known combination of its classes' counts, and a weighted mean of their sums. Among 60
agents raked on gender (women 39/27, men 21/19), a share of 18.694 % of managers can
only be 7 women and 1 man; the 8 managers' weighted mean scores then give the one male
manager's answers, since the 7 women's sums and his must be whole numbers. So a
weighted figure is published only when, class by class, it rests on enough people:
each cell count of :mod:`analysis._cell_counts` is also counted within each class
present, and the fewest is kept (a class with nobody in the group is not there).
Unweighted figures (one class) are not affected.

Examples
--------
>>> frame = pd.DataFrame({"w": [1.5, 1.5, 0.8, 1.5]})
>>> weight_classes(frame, "w").tolist()
[1, 1, 0, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis._design import make_design

__all__ = ["CLASS", "weight_classes", "with_classes", "fewest_by_class"]

#: Column of a respondent's weighting class (added to a copy of the data).
CLASS = "_weight_class"
#: Weights equal to this many significant digits are one class.
_DIGITS = 10


def weight_classes(frame: pd.DataFrame, weights: str | None = None, strata: str | None = None,
                   population=None) -> np.ndarray | None:
    """Each respondent's weighting class (codes of the distinct weights the design gives,
    in increasing order of weight), or None when every respondent weighs the same.

    Parameters
    ----------
    frame : pandas.DataFrame
        The respondents.
    weights, strata, population
        As for the estimates (:func:`analysis._design.make_design`): raked weights, or
        a stratified design's ``N_h / n_h``.
    """
    if weights is None and (strata is None or population is None):
        return None
    values = make_design(frame, weights=weights, strata=strata, population=population).weights
    rounded = np.round(values / values.max(), _DIGITS) if len(values) else values
    classes, codes = np.unique(rounded, return_inverse=True)
    return codes.astype(np.int64) if len(classes) > 1 else None


def with_classes(frame: pd.DataFrame, classes: np.ndarray) -> pd.DataFrame:
    """A copy of ``frame`` with its respondents' classes in :data:`CLASS`."""
    return frame.assign(**{CLASS: classes})


def fewest_by_class(table: pd.DataFrame, classed: pd.DataFrame, cells: Callable,
                    keys: Sequence[str]) -> np.ndarray:
    """For each row of ``table``, the fewest people its figure rests on in any class.

    Parameters
    ----------
    table : pandas.DataFrame
        The published table.
    classed : pandas.DataFrame
        The same statistics, unweighted, with :data:`CLASS` among their ``by`` columns.
    cells : callable
        ``cells(classed)``: the cell count of each of its rows
        (:mod:`analysis._cell_counts`); 0 where a class has nobody (left out).
    keys : sequence of str
        The columns matching a row of ``table`` with its classes' rows.

    Returns
    -------
    numpy.ndarray
        One count per row of ``table`` (inf where no class has anyone).

    Examples
    --------
    >>> table = pd.DataFrame({"item": ["a", "b"]})
    >>> classed = pd.DataFrame({"item": ["a", "a", "b", "b"], CLASS: [0, 1, 0, 1],
    ...                         "cell": [7, 1, 9, 0]})
    >>> fewest_by_class(table, classed, lambda t: t["cell"].to_numpy(), ["item"]).tolist()
    [1.0, 9.0]
    """
    keys = list(keys)
    per = np.asarray(cells(classed), dtype=float)
    per = np.where(per > 0, per, np.inf)
    if not keys:
        return np.full(len(table), per.min(initial=np.inf))
    # rows are matched on their keys as text (a numeric row's missing category too)
    smallest = pd.Series(per).groupby(_labels(classed, keys), sort=False).min()
    found = smallest.reindex(_labels(table, keys)).to_numpy(dtype=float)
    return np.where(np.isnan(found), np.inf, found)


def _labels(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One text label per row from its ``keys`` (a missing value as empty)."""
    parts = [frame[key].astype(object).where(frame[key].notna(), "").astype(str).to_numpy()
             for key in keys]
    labels = parts[0]
    for part in parts[1:]:
        labels = np.char.add(np.char.add(labels.astype(str), "\x1f"), part.astype(str))
    return labels
