"""Comparing answers between groups: rank tests with effect sizes, proportional-odds model.

- :func:`compare_groups`: Mann–Whitney U (two groups) or Kruskal–Wallis H (more), with
  the rank-biserial correlation or epsilon-squared as effect size;
- :func:`ordinal_model`: a proportional-odds (cumulative logit) model for adjusted
  comparisons, reported as odds ratios with intervals.

Neither takes survey weights: rank tests and ``OrderedModel`` are unweighted.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis._data import as_frame, as_list, check_columns, check_option
from surveys.errors import DataQualityWarning, SurveyError

__all__ = ["compare_groups", "ordinal_model"]


def compare_groups(data, items: str | Sequence[str], by: str) -> pd.DataFrame:
    """Rank test of each item between the groups of ``by``, with an effect size.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        The answers.
    items : str or list of str
        Ordinal or numeric columns (Likert items, 0-10 scores...). Ordered
        Categoricals are compared on their order; missing answers are left out.
    by : str
        The grouping column. Its categories (or sorted values) fix the group order.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``item``, ``n`` (answers compared), ``groups`` (groups with
        answers), ``statistic`` (U of the first group, or H), ``df`` (NaN for U,
        groups - 1 for H), ``p_value``, ``effect_size`` and ``method`` (which test,
        which effect size, and for two groups which group is first).

    Notes
    -----
    Two groups: ``scipy.stats.mannwhitneyu`` (two-sided, scipy's default method),
    rank-biserial correlation ``r = 2 U1 / (n1 n2) - 1`` (positive when the first
    group answers higher). More groups: ``scipy.stats.kruskal`` (tie-corrected),
    ``epsilon² = H / ((n² - 1) / (n + 1)) = H / (n - 1)`` (Tomczak & Tomczak 2014).
    When every answer is the same the p-value is NaN (and H too), as R's
    ``wilcox.test`` / ``kruskal.test`` give NA. Checked against scipy
    (tests/analysis/test_group_comparison.py) and against R with a group of one and
    identical answers (tests/fixtures/edge12/make_reference.R).

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2, 2, 3, 4, 4, 5, 5], "role": list("aaaabbbb")})
    >>> out = compare_groups(df, "sat", "role")
    >>> out[["item", "n", "groups", "statistic", "effect_size"]]
      item  n  groups  statistic  effect_size
    0  sat  8       2        0.0         -1.0
    """
    frame = as_frame(data)
    items = as_list(items)
    check_columns(frame, [*items, by])
    groups = _group_order(frame[by])
    return pd.DataFrame([_rank_test(frame, item, by, groups) for item in items])


def _group_order(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    return sorted(series.dropna().unique())


def _ranked_values(series: pd.Series, name: str) -> pd.Series:
    """Ordered Categoricals become their codes (order kept); others must be numeric."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        if not series.cat.ordered:
            raise SurveyError(f"Column '{name}' is an unordered category; rank tests need an order.")
        return series.cat.codes.where(series.notna()).astype(float)
    numbers = pd.to_numeric(series, errors="coerce")
    if (numbers.isna() & series.notna()).any():
        raise SurveyError(f"Column '{name}' is not numeric or ordinal; rank tests need an order.")
    return numbers.astype(float)


def _rank_test(frame: pd.DataFrame, item: str, by: str, groups: list) -> dict:
    values = _ranked_values(frame[item], item)
    samples = [values[_is(frame[by], g)].dropna().to_numpy() for g in groups]
    kept = [(g, s) for g, s in zip(groups, samples) if len(s)]
    row = {"item": item, "n": sum(len(s) for _, s in kept), "groups": len(kept)}
    if len(kept) < 2:
        nan = {"statistic": np.nan, "df": np.nan, "p_value": np.nan, "effect_size": np.nan}
        return row | nan | {"method": f"no test: fewer than 2 groups of '{by}' have answers"}
    if len(kept) == 2:
        return row | _mann_whitney(kept, by)
    return row | _kruskal_wallis(kept, row["n"])


def _is(series: pd.Series, value) -> np.ndarray:
    """Boolean mask of ``series == value``, missing values (also nullable NA) False."""
    return (series == value).fillna(False).to_numpy(dtype=bool)


def _mann_whitney(kept: list, by: str) -> dict:
    (g1, x), (g2, y) = kept
    result = stats.mannwhitneyu(x, y, alternative="two-sided")
    effect = 2 * result.statistic / (len(x) * len(y)) - 1
    method = (
        f"Mann–Whitney U (two-sided) of {by} = {g1!r} vs {g2!r}; effect size: "
        f"rank-biserial r, positive when {g1!r} answers higher"
    )
    p_value = float(result.pvalue)
    if np.ptp(np.concatenate([x, y])) == 0:   # as R's wilcox.test (and Kruskal-Wallis here)
        p_value = np.nan
        method = f"{method}; p-value undefined, every answer is the same"
    return {"statistic": float(result.statistic), "df": np.nan, "p_value": p_value,
            "effect_size": float(effect), "method": method}


def _kruskal_wallis(kept: list, n: int) -> dict:
    samples = [s for _, s in kept]
    if np.ptp(np.concatenate(samples)) == 0:
        return {"statistic": np.nan, "df": len(kept) - 1, "p_value": np.nan, "effect_size": np.nan,
                "method": "Kruskal–Wallis H: undefined, every answer is the same"}
    result = stats.kruskal(*samples)
    return {"statistic": float(result.statistic), "df": len(kept) - 1,
            "p_value": float(result.pvalue), "effect_size": float(result.statistic / (n - 1)),
            "method": "Kruskal–Wallis H (tie-corrected); effect size: epsilon squared"}


# --- proportional odds ----------------------------------------------------------


def ordinal_model(
    data,
    column: str,
    predictors: str | Sequence[str],
    *,
    distr: Literal["logit", "probit"] = "logit",
    level: float = 0.95,
) -> pd.DataFrame:
    """Proportional-odds model of an ordinal answer, as odds ratios with intervals.

    Parameters
    ----------
    data : surveys.Survey or pandas.DataFrame
        The answers.
    column : str
        The ordinal outcome (a Likert item: ordered Categorical, or numbers).
    predictors : str or list of str
        Explanatory columns. Categorical, boolean and text columns become indicator
        terms against their first category (named ``column[category]``); numeric
        columns enter as they are (one term per unit).
    distr : {"logit", "probit"}
        Link; odds ratios only have their meaning with ``"logit"``.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term``, ``reference`` (the baseline category, None for
        a numeric predictor), ``n`` (complete cases used), ``estimate`` (odds ratio
        ``exp(beta)``: above 1, higher answers are more likely), ``se`` (standard error
        of ``beta``, the log odds ratio), ``ci_low``, ``ci_high`` (``exp(beta +- z se)``),
        ``p_value`` (Wald) and ``method``.

    Warns
    -----
    DataQualityWarning
        When the optimiser did not converge.

    Notes
    -----
    statsmodels ``OrderedModel(endog, exog, distr="logit")`` fitted by BFGS on the
    complete cases; no survey weights. Checked against a direct ``OrderedModel`` fit
    (tests/analysis/test_group_comparison.py).

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2, 2, 3, 3, 4, 2, 3, 4, 4, 5, 5],
    ...                    "role": list("aaaaaabbbbbb")})
    >>> ordinal_model(df, "sat", "role")[["term", "reference", "n"]]
          term reference   n
    0  role[b]         a  12
    """
    frame = as_frame(data)
    predictors = as_list(predictors)
    check_columns(frame, [column, *predictors])
    check_option("distr", distr, ["logit", "probit"])
    if not 0 < level < 1:
        raise SurveyError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")
    used = frame[[column, *predictors]].dropna()
    endog = _ordered_outcome(used[column], column)
    exog, references = _design_matrix(used, predictors)
    fitted = _fit(endog, exog, distr)
    return _odds_ratios(fitted, exog.columns, references, len(used), distr, level)


def _ordered_outcome(series: pd.Series, name: str) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype) and series.cat.ordered:
        series = series.cat.remove_unused_categories()
    else:
        series = pd.Series(pd.Categorical(series, categories=sorted(series.unique()), ordered=True),
                           index=series.index)
    if len(series.cat.categories) < 2:
        raise SurveyError(f"Column '{name}' has fewer than 2 distinct answers; nothing to model.")
    return series


def _design_matrix(used: pd.DataFrame, predictors: list) -> tuple[pd.DataFrame, dict]:
    """Indicator columns for categories (first category = reference), numbers as is."""
    parts, references = [], {}
    for name in predictors:
        series = used[name]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            categorical = series.astype("category") if not isinstance(series.dtype, pd.CategoricalDtype) else series
            categorical = categorical.cat.remove_unused_categories()
            categories = list(categorical.cat.categories)
            for category in categories[1:]:
                term = f"{name}[{category}]"
                parts.append((categorical == category).astype(float).rename(term))
                references[term] = categories[0]
        else:
            parts.append(series.astype(float).rename(name))
            references[name] = None
    if not parts:
        raise SurveyError(f"Predictors {predictors} have a single category each; nothing to compare.")
    return pd.concat(parts, axis=1), references


def _fit(endog: pd.Series, exog: pd.DataFrame, distr: str):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = OrderedModel(endog, exog, distr=distr).fit(method="bfgs", disp=False, maxiter=1000)
    if not fitted.mle_retvals.get("converged", True) or caught:
        message = "; ".join(str(w.message) for w in caught) or "the optimiser did not converge"
        warnings.warn(f"Proportional-odds model: {message}. Check for empty or perfectly "
                      "separated categories.", DataQualityWarning, stacklevel=3)
    return fitted


def _odds_ratios(fitted, terms, references: dict, n: int, distr: str, level: float) -> pd.DataFrame:
    z = stats.norm.ppf(0.5 + level / 2)
    beta = fitted.params[list(terms)].to_numpy()
    se = fitted.bse[list(terms)].to_numpy()
    link = "cumulative logit" if distr == "logit" else "cumulative probit"
    return pd.DataFrame(
        {
            "term": list(terms),
            "reference": [references[t] for t in terms],
            "n": n,
            "estimate": np.exp(beta),
            "se": se,
            "ci_low": np.exp(beta - z * se),
            "ci_high": np.exp(beta + z * se),
            "p_value": fitted.pvalues[list(terms)].to_numpy(),
            "method": f"proportional-odds ({link}) model, statsmodels OrderedModel; odds ratio "
            "exp(beta) > 1: higher answers more likely; Wald interval",
        }
    )
