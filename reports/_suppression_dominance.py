"""The p % dominance rule for a company source's magnitudes (eligible employees).

A group's mean times its n is its total; where one large firm makes nearly all of it
(or of the sum of squares, which the standard deviation gives), the figures that give
it back are hidden (:func:`_dominance_cells`, :func:`_dominated_spread`), with as many
sibling groups' as make the hidden groups' union pass the rule too. The margins come
from ``analysis.profile``'s private columns. The rules are described as a whole in
:mod:`reports.suppression`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.profile import DOMINANCE, DOMINANCE_PARTS, DOMINANCE_SPREAD
from reports._suppression_rows import _group_ids, key_columns

__all__ = ["DOMINANCE", "DOMINANCE_PARTS", "DOMINANCE_SPREAD", "DOMINANCE_P",
           "DOMINANCE_SPREAD_P"]


#: The p % rule's p: a business magnitude is published only if its group's total minus
#: its two largest contributions is at least this share of the largest.
DOMINANCE_P = 0.10
#: The same rule on the squares (a standard deviation gives their sum): to keep the
#: largest value uncertain by p, the other squares must reach (1 + p)^2 - 1 of its
#: square, since sqrt(x1^2 + rest) >= (1 + p) x1 (privacy review 13: at 10 % the overall
#: SD still placed a 400-employee firm within 2 %).
DOMINANCE_SPREAD_P = (1 + DOMINANCE_P) ** 2 - 1

#: A distribution's magnitude figures, hidden together by the dominance rule.
_MAGNITUDES = ("mean", "sd", "q1", "median", "q3", "min", "max")


def _union_margin(total: np.ndarray, largest: np.ndarray, second: np.ndarray,
                  members: np.ndarray) -> float:
    """The p % rule's margin of the union of the ``members`` groups (rows of the
    per-group ``total``, ``largest`` and ``second``): its total minus its two largest
    contributions, over the largest; the two largest of a union are among its groups'
    two largest. NaN where the largest is 0 (nothing to protect)."""
    tops = np.sort(np.concatenate([largest[members], second[members]]))[::-1]
    tops = np.nan_to_num(np.r_[tops, 0.0, 0.0])
    if not tops[0] > 0:
        return np.nan
    return float((np.nansum(total[members]) - tops[0] - tops[1]) / tops[0])


def _dominance_cells(data: pd.DataFrame, out: pd.DataFrame, hidden: np.ndarray,
                     group_columns: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """The magnitude cells of ``out`` to hide by the dominance rule (companies' sizes): a
    group's mean, standard deviation and quartiles (their estimate and interval; not its
    ``n``) where its largest contributor dominates its total, by the p % rule; read on
    ``data``, the table before its hidden rows were blanked.

    Five firms of a department, one of 400 eligible employees and four under 10: the
    mean (84.4) times n gives the total 422, and the public size bands put the large
    firm between 386 and 418 (privacy review 12). Statistical offices protect business
    magnitudes by a sensitivity rule rather than a count (Hundepool et al., *Statistical
    Disclosure Control*, Wiley 2012, section 4.2): the p % rule, preferred there to the
    (n, k) dominance rule since it states what the rule is for, hides a total when the
    second largest contributor, who knows its own value, could estimate the largest to
    within p %: ``total - x1 - x2 < p * x1``. Here p = 10 % (:data:`DOMINANCE_P`), on
    the margin ``analysis.profile`` writes in :data:`DOMINANCE`.

    Secondary suppression: a mean is a total over a published n, and the groups' totals
    add up to the whole table's (published without the breakdown); so the whole's total
    minus the published groups' gives the hidden groups' total together (their union),
    which must pass the p % rule too. Two departments with one large firm each, hidden
    for their own dominance, hide each other, but their union is dominated by the two
    firms: each one, knowing its own size, put the other's within 5 % (second review 12,
    finding B). So, in a breakdown, while the union of a variable's hidden means (hidden
    for dominance or as small rows) fails the rule, the sibling group's mean that gives
    the union the largest margin is hidden too (and its standard deviation), until the
    union passes or every group's mean is hidden. The largest margin rather than the
    largest or smallest total: a sibling with a large total that is itself one large
    firm adds a new dominant contributor, and each sibling taken costs the same cells,
    so the one that most dilutes the large contributors protects them with the fewest
    groups (a sibling of total 0 protects nothing). The groups' totals and their two
    largest values come from ``analysis.profile``'s private :data:`DOMINANCE_PARTS`.
    """
    if DOMINANCE not in data.columns or not {"statistic", "variable"} <= set(data.columns):
        return {}

    def values(column: str) -> np.ndarray:
        return pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float,
                                                                     na_value=np.nan)

    margin = values(DOMINANCE)
    total, largest, second = (values(column) for column in DOMINANCE_PARTS)
    statistic = data["statistic"].astype(str).to_numpy()
    means = statistic == "mean"
    spread = _dominated_spread(data, out, hidden, values, statistic)
    magnitude = np.isin(statistic, _MAGNITUDES) & ~hidden
    dominated = magnitude & (margin < DOMINANCE_P)   # NaN (nothing to protect): False
    if not (dominated.any() or (hidden & means).any()):
        return spread
    private = {DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD}
    keys = [c for c in key_columns(data) if c not in private]
    units = _group_ids(data, [c for c in keys if c not in ("statistic", "category")])
    size = int(units.max()) + 1
    mask = (np.bincount(units[dominated], minlength=size) > 0)[units] & magnitude
    off = (mask | hidden) & means   # the means a reader does not see
    siblings = [_group_ids(data, [c for c in keys if c != column])
                for column in group_columns if column != "category"]
    changed = bool(siblings)
    while changed:   # a mean hidden in one breakdown changes the unions of the others
        changed = False
        for gid in siblings:
            for group in np.unique(gid[off]):   # a handful of groups: a loop is fine
                members = np.flatnonzero(off & (gid == group))
                candidates = np.flatnonzero(means & ~off & (gid == group))
                while candidates.size and _union_margin(
                        total, largest, second, members) < DOMINANCE_P:
                    gains = [_union_margin(total, largest, second, np.r_[members, c])
                             for c in candidates]
                    best = candidates[int(np.argmax(np.nan_to_num(gains, nan=np.inf)))]
                    off[best] = changed = True
                    members = np.r_[members, best]
                    candidates = candidates[candidates != best]
    # a sibling taken for its mean loses its standard deviation too (with n and the
    # whole's, it would give the sum of squares back)
    taken = (np.bincount(units[off & ~hidden], minlength=size) > 0)[units]
    mask |= taken & np.isin(statistic, ("mean", "sd")) & ~hidden
    return {column: (mask | spread.get(column, False)) & out[column].notna().to_numpy()
            for column in ("estimate", "se", "ci_low", "ci_high") if column in out.columns}


def _dominated_spread(data: pd.DataFrame, out: pd.DataFrame, hidden: np.ndarray, values,
                      statistic: np.ndarray) -> dict[str, np.ndarray]:
    """The spread cells to hide where the p % rule fails on the squares: a standard
    deviation (and a mean's standard error and interval, which give it with n) gives
    the sum of squares, nearly all of it one large firm's. The overall SD of 27
    companies with the public size bands placed a 400-employee firm within 2 %
    (privacy review 12c); the whole's spread follows from its groups' with their means
    and n, so the variable's spread goes in every group and in the whole.
    """
    if DOMINANCE_SPREAD not in data.columns:
        return {}
    crowded = np.isin(statistic, ("mean", "sd")) & ~hidden & (
        values(DOMINANCE_SPREAD) < DOMINANCE_SPREAD_P)   # NaN (nothing to protect): False
    if not crowded.any():
        return {}
    variables = data["variable"].astype(object).to_numpy()
    rows = np.isin(variables, pd.unique(variables[crowded])) & ~hidden
    sd, mean = rows & (statistic == "sd"), rows & (statistic == "mean")
    return {column: (sd | (mean if column != "estimate" else False))
            & out[column].notna().to_numpy()
            for column in ("estimate", "se", "ci_low", "ci_high") if column in out.columns}
