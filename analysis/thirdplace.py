"""Third-place user indicators: short trips, local economy, who the users are.

The three figures the regional studies publish about third-place users (seed 002):
the share travelling under 20 minutes (90 % in Nouvelle-Aquitaine, 2016), the share
who think third places boost the local economy (94 %), and the users' status mix
(Pop Place, Hauts-de-France 2017: 53 % freelancers, 14 % individual entrepreneurs).
Estimates come from :func:`analysis.proportion`; comparisons with the published
figures from :func:`analysis.compare_baseline`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis._data import as_frame, check_columns
from analysis.comparison import compare_baseline
from analysis.estimation import proportion
from surveys.errors import SurveyError

__all__ = ["thirdplace_indicators", "thirdplace_comparison", "THIRDPLACE_SOURCES"]

#: Catalogue sources with third-place user figures.
THIRDPLACE_SOURCES = ("aquitaine-2016", "popplace-2017")

_COLUMNS = ["indicator", "category", "n", "estimate", "se", "ci_low", "ci_high", "method"]


def thirdplace_indicators(
    survey,
    *,
    weights=None,
    travel_under: float = 20,
    level: float = 0.95,
) -> pd.DataFrame:
    """Shares of third-place users travelling briefly, backing the local economy, by status.

    Parameters
    ----------
    survey : Survey or DataFrame
        Third-place users (kind ``thirdplace``) with ``travel_minutes``,
        ``boosts_local_economy`` and ``status`` (those present are used; at least one
        is required).
    weights : str or array-like, optional
        Sampling or calibrated weights (a column name or values), as in
        :func:`analysis.proportion`.
    travel_under : float
        Threshold in minutes: users with ``travel_minutes < travel_under`` travel
        "under 20 minutes" (strictly less, as the Nouvelle-Aquitaine wording).
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per estimate: ``indicator`` (``travel_under_20min``,
        ``boosts_local_economy``, ``status``), ``category`` (the status code; empty for
        the two yes/no shares), ``n`` (answers in the base), ``estimate`` (a share),
        ``se``, ``ci_low``, ``ci_high``, ``method`` (the interval, from
        :func:`analysis.proportion`: Wilson unweighted, logit weighted).

    Raises
    ------
    SurveyError
        None of the three columns is present.

    Notes
    -----
    Missing answers are left out of each base. With another threshold the travel
    indicator is named after it (``travel_under_30min``), so it is not mistaken for
    the published 20-minute figure. The intervals are those of
    :func:`analysis.proportion` (checked there against R ``survey``); the test suite
    checks the shares and the Wilson interval against statsmodels.

    Examples
    --------
    >>> data = pd.DataFrame({"travel_minutes": [5.0, 15.0, 25.0, 10.0],
    ...     "boosts_local_economy": pd.array([True, True, False, True], dtype="boolean")})
    >>> thirdplace_indicators(data)[["indicator", "n", "estimate"]]
                  indicator  n  estimate
    0    travel_under_20min  4      0.75
    1  boosts_local_economy  4      0.75
    """
    frame = as_frame(survey)
    present = [c for c in ("travel_minutes", "boosts_local_economy", "status")
               if c in frame.columns]
    if not present:
        check_columns(frame, ["travel_minutes"])  # raises, suggesting a close name
    parts = []
    if "travel_minutes" in frame.columns:
        minutes = pd.to_numeric(frame["travel_minutes"], errors="coerce")
        name = f"travel_under_{travel_under:g}min"
        parts.append(_yes_share(frame, minutes < travel_under, minutes.isna(), name,
                                weights, level))
    if "boosts_local_economy" in frame.columns:
        answer = frame["boosts_local_economy"].astype("boolean")
        parts.append(_yes_share(frame, answer.fillna(False), answer.isna(),
                                "boosts_local_economy", weights, level))
    if "status" in frame.columns:
        mix = proportion(frame, "status", weights=weights, level=level)
        parts.append(mix.assign(indicator="status", category=mix["category"].astype(str)))
    return pd.concat([part[_COLUMNS] for part in parts], ignore_index=True)


def thirdplace_comparison(
    survey,
    *,
    sources: Sequence[str] = THIRDPLACE_SOURCES,
    weights=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Compare third-place users with the Nouvelle-Aquitaine and Pop Place figures.

    Parameters
    ----------
    survey : Survey or DataFrame
        Third-place users (kind ``thirdplace``).
    sources : sequence of str
        Catalogue source ids (default ``aquitaine-2016`` and ``popplace-2017``).
    weights : str or array-like, optional
        Passed to :func:`analysis.compare_baseline`.
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``source_id`` then the columns of :func:`analysis.compare_baseline`, one row
        per indicator of each source the survey can answer (travel under 20 minutes,
        local economy, seniority bands, status, gender, age...).

    Notes
    -----
    One :func:`analysis.compare_baseline` call per source: multiplicity is adjusted
    within each source, not across them.

    Examples
    --------
    >>> data = pd.DataFrame({"travel_minutes": [5.0, 15.0, 25.0, 10.0] * 5})
    >>> table = thirdplace_comparison(data, sources=["aquitaine-2016"])
    >>> table[["source_id", "indicator", "n", "estimate", "baseline"]]
            source_id           indicator   n  estimate  baseline
    0  aquitaine-2016  travel_under_20min  20      0.75       0.9
    """
    if isinstance(sources, str):
        sources = [sources]
    if not sources:
        raise SurveyError("sources= is empty; name at least one catalogue source id.")
    tables = []
    for source_id in sources:
        table = compare_baseline(survey, source_id, kind="thirdplace", weights=weights,
                                 level=level)
        tables.append(table.assign(source_id=source_id)[["source_id", *table.columns]])
    return pd.concat(tables, ignore_index=True)


def _yes_share(frame: pd.DataFrame, yes: pd.Series, missing: pd.Series, name: str,
               weights, level: float) -> pd.DataFrame:
    """Share of "yes" among the answered rows, through :func:`analysis.proportion`."""
    coded = pd.Series(pd.Categorical(yes.map({True: "yes", False: "no"}).astype(object),
                                     categories=["no", "yes"]), index=frame.index)
    coded[missing.to_numpy(dtype=bool)] = None
    answers = pd.DataFrame({"_answer": coded}, index=frame.index)
    if isinstance(weights, str):
        check_columns(frame, [weights])
        answers[weights] = frame[weights]
    table = proportion(answers, "_answer", weights=weights, level=level)
    row = table[table["category"] == "yes"]
    return row.assign(indicator=name, category=None)
