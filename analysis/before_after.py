"""Before/after comparison of satisfaction across two survey waves.

When the same respondents answered both waves (matched on their pseudonymous id),
the comparison is paired: Wilcoxon signed-rank on the answers and McNemar on the
top-2-box. Otherwise the waves are compared as independent groups: Mann–Whitney on
the answers and a chi-square (or Fisher) test on the top-2-box. ``method`` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._cell_counts import CELL_COUNT, share_cells
from analysis._data import as_frame, as_list, check_columns, check_option
from analysis.likert import _code_item, _level_values, _scale_levels
from surveys.errors import SurveyError

__all__ = ["before_after"]

Pairing = Literal["auto", "paired", "independent"]


def before_after(
    data,
    items: str | Sequence[str],
    *,
    wave: str = "wave",
    id: str = "respondent_id",  # noqa: A002 (the column's canonical name)
    pre: object = "pre",
    post: object = "post",
    pairing: Pairing = "auto",
    scale: Sequence | None = None,
) -> pd.DataFrame:
    """Compare Likert items before and after, paired when respondents can be matched.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        Both waves stacked, one row per respondent and wave.
    items : str or list of str
        Likert items (ordered Categoricals or numbers on one scale).
    wave : str
        Column telling the wave; ``pre`` and ``post`` are its two values.
    id : str
        Pseudonymous respondent id used to match the waves.
    pairing : {"auto", "paired", "independent"}
        ``"auto"``: paired when at least one id is in both waves, else independent.
    scale : list, optional
        The ordered levels (see :func:`analysis.likert`); the top-2-box is its two
        highest levels.

    Returns
    -------
    pandas.DataFrame
        Two rows per item: ``item``, ``test`` (``wilcoxon`` and ``mcnemar`` when
        paired, ``mann_whitney`` and ``chi_square`` or ``fisher`` when independent),
        ``n`` (pairs, or answers in both waves), ``estimate`` (post - pre: difference
        of means for the rank test, of top-2-box shares for the other), ``statistic``,
        ``p_value``, ``effect_size``, ``method`` (paired or independent, how many
        respondents were matched, and the effect size used) and ``cell_count``: the
        fewest people any figure of the row rests on, for the report's small-cell rule
        (Wilcoxon: the fewer of the pairs whose answer went up and down, counting only a
        direction someone moved in, since ``n``, the mean change, the rank sums and the
        p-value give back how the pairs moved; Mann-Whitney: ``n``; McNemar: the fewer of
        the pairs that moved into and out of the top-2-box, counting only a direction
        someone moved in, since ``n``, the estimate and the statistic give both away;
        the independent test: the fewest of
        each wave's top-2-box answers and other answers, a box nobody is in aside).
        A paired row rests on the item's unmatched answers too: no more than the
        answers of both waves without a partner, when there are some (see Notes).

    Notes
    -----
    Paired: ``scipy.stats.wilcoxon(post, pre)`` (zero differences dropped, scipy's
    default method) with the matched-pairs rank-biserial correlation
    ``(T+ - T-) / (T+ + T-)``; ``statsmodels`` ``mcnemar(table, exact=True)`` on the
    2x2 table of top-2-box before/after with Cohen's g ``c / (b + c) - 0.5`` (``c``
    pairs moved into the top-2-box, ``b`` out of it). Independent:
    ``scipy.stats.mannwhitneyu(post, pre)`` with the rank-biserial correlation, and
    ``scipy.stats.chi2_contingency`` (Yates) on the top-2-box, or
    ``scipy.stats.fisher_exact`` when an expected count is below 5, with Cohen's h.
    Checked against scipy and statsmodels (tests/analysis/test_before_after.py).
    Unweighted.

    The tables by wave publish each wave's ``n`` and mean over everyone who answered
    it; the paired change is over the pairs only. So ``n_pre * mean_pre - n_post *
    mean_post + n * estimate`` is the sum of the unmatched pre answers minus that of
    the unmatched post answers (the top-2-box shares and McNemar's estimate give the
    same in counts): one person's answer when a single agent answered one wave only
    (review 13-1). The paired rows' ``cell_count`` is therefore at most the item's
    unmatched answers, both waves together (``n_pre - n + n_post - n``, when not 0),
    so the report hides the paired estimate and test when 1 to ``min_cell - 1``
    answers are left out of the pairs: the one figure that ties the waves goes,
    rather than each wave's description (the items table, its breakdowns and the
    report's opening cards repeat the last wave's). Only their signed sum comes back,
    never one wave's part: it rests on all of them, as a mean does. Kept for every
    design: where the waves are raked their means are not sums, but the rule costs
    little (tests/reports/test_before_after_unmatched13.py).

    Examples
    --------
    >>> df = pd.DataFrame({"respondent_id": list("abcdeabcde"),
    ...                    "wave": ["pre"] * 5 + ["post"] * 5,
    ...                    "sat": [2, 3, 3, 4, 2, 4, 4, 3, 5, 4]})
    >>> out = before_after(df, "sat", scale=[1, 2, 3, 4, 5])
    >>> out[["item", "test", "n", "estimate"]]
      item      test  n  estimate
    0  sat  wilcoxon  5       1.2
    1  sat   mcnemar  5       0.6
    """
    frame = as_frame(data)
    items = as_list(items)
    check_option("pairing", pairing, ["auto", "paired", "independent"])
    check_columns(frame, [*items, wave] + ([id] if pairing == "paired" else []))
    levels = _scale_levels(frame, items, scale, None)
    before, after = _waves(frame, wave, pre, post)
    matched = _matched(before, after, id, pairing)
    rows = []
    for item in items:
        pre_values = _values(data, before, item, levels)
        post_values = _values(data, after, item, levels)
        if matched is not None:
            rows += _paired_rows(item, pre_values, post_values, matched, levels, id)
        else:
            rows += _independent_rows(item, pre_values, post_values, levels, pairing)
    return pd.DataFrame(rows)


def _waves(frame: pd.DataFrame, wave: str, pre, post) -> tuple[pd.DataFrame, pd.DataFrame]:
    before, after = frame[frame[wave] == pre], frame[frame[wave] == post]
    if before.empty or after.empty:
        seen = list(pd.unique(frame[wave].dropna()))
        raise SurveyError(
            f"Column '{wave}' needs rows for both {pre!r} and {post!r}; it holds {seen}. "
            "Pass pre=... and post=... with the values used."
        )
    return before, after


def _matched(before, after, id: str, pairing: str):  # noqa: A002
    """(pre row positions, post row positions) of matched ids, or None (independent)."""
    if pairing == "independent" or (pairing == "auto" and id not in before.columns):
        return None
    # every id coded once over both waves (-1: no id)
    codes, ids = pd.factorize(pd.concat([before[id], after[id]], ignore_index=True))
    pre, post = codes[:len(before)], codes[len(before):]
    for name, part, code in (("pre", before, pre), ("post", after, post)):
        if (np.bincount(code[code >= 0], minlength=1) > 1).any():    # an id twice in a wave
            duplicated = part[id].dropna().duplicated()
            raise SurveyError(f"Column '{id}' repeats {part[id].dropna()[duplicated].iloc[0]!r} "
                              f"within the {name} wave; each respondent must answer a wave once.")
    post_row = np.full(len(ids) + 1, -1)        # the post row of each id; the last: no id
    post_row[post[post >= 0]] = np.flatnonzero(post >= 0)
    partner = post_row[pre]
    pre_pos = np.flatnonzero(partner >= 0)      # matched pre rows, in their order
    if len(pre_pos) == 0:
        if pairing == "paired":
            raise SurveyError(f"No '{id}' appears in both waves; use pairing='independent'.")
        return None
    unmatched = len(before) + len(after) - 2 * len(pre_pos)
    return pre_pos, partner[pre_pos], len(pre_pos), unmatched


def _values(data, part: pd.DataFrame, item: str, levels: list) -> np.ndarray:
    """Scale values (NaN when not substantive) of one wave's answers (their recorded
    non-substantive answers are looked up by row label)."""
    code = _code_item(part[item], item, levels, None, getattr(data, "nonsubstantive", None))
    k, values = len(levels), _level_values(levels)
    return np.where(code < k, values[np.minimum(code, k - 1)], np.nan)


def _paired_rows(item, pre_values, post_values, matched, levels, id) -> list[dict]:  # noqa: A002
    pre_pos, post_pos, n_matched, unmatched = matched
    x, y = pre_values[pre_pos], post_values[post_pos]
    both = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[both], y[both]
    how = (f"paired: {n_matched} respondents matched on '{id}' across waves "
           f"({unmatched} answers without a match left out)")
    top = _level_values(levels)[-2]
    alone = _unmatched_cells(pre_values, post_values, len(x))
    return [_fewest(_wilcoxon(item, x, y, how), alone),
            _fewest(_mcnemar(item, x >= top, y >= top, how), alone)]


def _unmatched_cells(pre_values: np.ndarray, post_values: np.ndarray, pairs: int) -> float:
    """The answers to the item of either wave outside its ``pairs`` (infinite when there
    are none): the by-wave sums less the pairs' change give back their signed sum, the
    unmatched pre answers' less the post ones' (review 13-1)."""
    outside = (np.count_nonzero(~np.isnan(pre_values))
               + np.count_nonzero(~np.isnan(post_values)) - 2 * pairs)
    return float(outside) if outside else np.inf


def _fewest(row: dict, cells: float) -> dict:
    """``row`` with its cell count no more than ``cells``."""
    return row | {CELL_COUNT: float(min(row[CELL_COUNT], cells))}


def _wilcoxon(item, x, y, how) -> dict:
    diff = y - x
    nonzero = diff[diff != 0]
    up, down = int((nonzero > 0).sum()), int((nonzero < 0).sum())
    # n, the mean change, the rank sums and the p-value give back how each pair moved
    # when few moved one way (review 10c): the row rests on the fewer of those who
    # moved up and those who moved down, as McNemar's
    row = {"item": item, "test": "wilcoxon", "n": len(diff),
           CELL_COUNT: float(share_cells(up, up + down)) if up + down else float(len(diff)),
           "estimate": float(diff.mean()) if len(diff) else np.nan}
    if len(nonzero) == 0:
        return row | {"statistic": np.nan, "p_value": np.nan, "effect_size": np.nan,
                      "method": f"Wilcoxon signed-rank: undefined, no answer changed; {how}"}
    result = stats.wilcoxon(y, x)
    ranks = stats.rankdata(np.abs(nonzero))
    plus, minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    return row | {"statistic": float(result.statistic), "p_value": float(result.pvalue),
                  "effect_size": float((plus - minus) / (plus + minus)),
                  "method": f"Wilcoxon signed-rank (post - pre); statistic: the smaller rank "
                  f"sum (scipy; R's V is the sum of positive ranks); effect size: "
                  f"matched-pairs rank-biserial r; {how}"}


def _mcnemar(item, before_top, after_top, how) -> dict:
    from statsmodels.stats.contingency_tables import mcnemar

    table = np.array([[np.sum(before_top & after_top), np.sum(before_top & ~after_top)],
                      [np.sum(~before_top & after_top), np.sum(~before_top & ~after_top)]])
    n = int(table.sum())
    b, c = table[0, 1], table[1, 0]
    row = {"item": item, "test": "mcnemar", "n": n,
           "estimate": (c - b) / n if n else np.nan,
           # b and c follow from n, the estimate (c - b) / n and the statistic min(b, c)
           CELL_COUNT: float(share_cells(c, b + c)) if b + c else float(n)}
    if b + c == 0:
        return row | {"statistic": np.nan, "p_value": np.nan, "effect_size": np.nan,
                      "method": f"McNemar on top-2-box: undefined, no pair changed box; {how}"}
    result = mcnemar(table, exact=True)
    return row | {"statistic": float(result.statistic), "p_value": float(result.pvalue),
                  "effect_size": float(c / (b + c) - 0.5),
                  "method": f"McNemar exact (binomial) on top-2-box; effect size: Cohen's g; {how}"}


def _independent_rows(item, pre_values, post_values, levels, pairing) -> list[dict]:
    x, y = pre_values[~np.isnan(pre_values)], post_values[~np.isnan(post_values)]
    how = ("independent groups: waves compared as separate samples"
           + (" (no respondent matched across waves)" if pairing == "auto" else ""))
    top = _level_values(levels)[-2]
    return [_mann_whitney(item, x, y, how), _two_shares(item, x >= top, y >= top, how)]


def _mann_whitney(item, x, y, how) -> dict:
    row = {"item": item, "test": "mann_whitney", "n": len(x) + len(y),
           CELL_COUNT: float(len(x) + len(y)),
           "estimate": float(y.mean() - x.mean()) if len(x) and len(y) else np.nan}
    if not (len(x) and len(y)):
        return row | {"statistic": np.nan, "p_value": np.nan, "effect_size": np.nan,
                      "method": f"Mann–Whitney U: undefined, a wave has no answer; {how}"}
    result = stats.mannwhitneyu(y, x, alternative="two-sided")
    return row | {"statistic": float(result.statistic), "p_value": float(result.pvalue),
                  "effect_size": float(2 * result.statistic / (len(x) * len(y)) - 1),
                  "method": f"Mann–Whitney U (post vs pre, two-sided); effect size: "
                  f"rank-biserial r; {how}"}


def _two_shares(item, before_top, after_top, how) -> dict:
    table = np.array([[after_top.sum(), (~after_top).sum()],
                      [before_top.sum(), (~before_top).sum()]])
    n1, n0 = table[0].sum(), table[1].sum()
    waves = share_cells(table[:, 0], table.sum(axis=1))  # each wave's top-2-box share
    row = {"item": item, "n": int(n0 + n1),
           CELL_COUNT: float(waves[waves > 0].min()) if (waves > 0).any() else 0.0}
    if not (n0 and n1) or table.sum(axis=0).min() == 0:
        return row | {"test": "chi_square", "estimate": _share_gap(table), "statistic": np.nan,
                      "p_value": np.nan, "effect_size": np.nan,
                      "method": f"top-2-box: no test, a wave or a box is empty; {how}"}
    p1, p0 = table[0, 0] / n1, table[1, 0] / n0
    h = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p0))
    expected = stats.contingency.expected_freq(table)
    if expected.min() < 5:
        result = stats.fisher_exact(table)
        test, text = "fisher", "Fisher's exact test"
    else:
        result = stats.chi2_contingency(table, correction=True)
        test, text = "chi_square", "chi-square test (Yates)"
    return row | {"test": test, "estimate": float(p1 - p0), "statistic": float(result.statistic),
                  "p_value": float(result.pvalue), "effect_size": float(h),
                  "method": f"{text} on top-2-box (post vs pre); effect size: Cohen's h; {how}"}


def _share_gap(table: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(table[0, 0] / table[0].sum() - table[1, 0] / table[1].sum())
