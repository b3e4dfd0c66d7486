"""Third-place user indicators: shares by hand, intervals against statsmodels, baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.thirdplace import thirdplace_comparison, thirdplace_indicators
from surveys.errors import SurveyError

STATUS = ["freelancer", "entrepreneur", "employee", "public_agent", "student",
          "jobseeker", "other"]


@pytest.fixture
def users() -> pd.DataFrame:
    """Ten users: 7 travel under 20 minutes (one at exactly 20), 8 of 9 answers say yes."""
    return pd.DataFrame(
        {
            "travel_minutes": [5.0, 10, 12, 15, 18, 19, 3, 20, 35, 60],
            "boosts_local_economy": pd.array(
                [True, True, True, True, True, True, True, True, False, None],
                dtype="boolean"),
            "status": pd.Categorical(
                ["freelancer"] * 5 + ["entrepreneur"] * 2 + ["employee"] * 2 + [None],
                categories=STATUS),
            "weight": [1.0, 1, 1, 1, 1, 2, 2, 2, 2, 2],
        }
    )


def _row(out: pd.DataFrame, indicator: str, category=None) -> pd.Series:
    hit = out[out["indicator"] == indicator]
    if category is not None:
        hit = hit[hit["category"] == category]
    assert len(hit) == 1
    return hit.iloc[0]


def test_travel_share_by_hand(users):
    """7 of 10 users travel strictly under 20 minutes (20 minutes is not under)."""
    row = _row(thirdplace_indicators(users), "travel_under_20min")
    assert (row["n"], row["estimate"]) == (10, pytest.approx(0.7))


def test_travel_interval_is_wilson(users):
    """The unweighted interval is Wilson's, as statsmodels proportion_confint(7, 10)."""
    row = _row(thirdplace_indicators(users), "travel_under_20min")
    low, high = proportion_confint(7, 10, alpha=0.05, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_other_threshold_is_named(users):
    """A 30-minute threshold gives travel_under_30min: 8 of 10."""
    row = _row(thirdplace_indicators(users, travel_under=30), "travel_under_30min")
    assert row["estimate"] == pytest.approx(0.8)


def test_local_economy_leaves_missing_out(users):
    """8 of the 9 users who answered think the place boosts the local economy."""
    row = _row(thirdplace_indicators(users), "boosts_local_economy")
    assert (row["n"], row["estimate"]) == (9, pytest.approx(8 / 9))
    assert pd.isna(row["category"])


def test_status_mix(users):
    """Status shares of the 9 answers: 5/9 freelancers, 2/9 entrepreneurs, 0 students."""
    out = thirdplace_indicators(users)
    mix = out[out["indicator"] == "status"].set_index("category")["estimate"]
    assert list(mix.index) == STATUS
    assert mix["freelancer"] == pytest.approx(5 / 9)
    assert mix["entrepreneur"] == pytest.approx(2 / 9)
    assert mix["student"] == 0.0
    assert mix.sum() == pytest.approx(1.0)


def test_weighted_share(users):
    """Weighted, under-20 users weigh 1+1+1+1+1+2+2 = 9 of a total weight of 15."""
    row = _row(thirdplace_indicators(users, weights="weight"), "travel_under_20min")
    assert row["estimate"] == pytest.approx(9 / 15)


def test_only_present_columns(users):
    """A survey with only status gives status rows only."""
    out = thirdplace_indicators(users[["status"]])
    assert set(out["indicator"]) == {"status"}


def test_no_usable_column_raises():
    """Without travel_minutes, boosts_local_economy or status it is a SurveyError."""
    with pytest.raises(SurveyError, match="travel_minutes"):
        thirdplace_indicators(pd.DataFrame({"travel_minute": [3.0]}))


def test_comparison_with_both_sources(users):
    """The comparison has Nouvelle-Aquitaine's 90 % and 94 % and Pop Place's 53 % freelancers."""
    table = thirdplace_comparison(users).set_index(["source_id", "indicator"])
    assert table.loc[("aquitaine-2016", "travel_under_20min"), "baseline"] == pytest.approx(0.9)
    assert table.loc[("aquitaine-2016", "boosts_local_economy"), "baseline"] == pytest.approx(0.94)
    assert table.loc[("popplace-2017", "freelancer"), "baseline"] == pytest.approx(0.53)


def test_comparison_uses_the_same_estimates(users):
    """compare_baseline's pilot shares equal thirdplace_indicators' (two routes, one number)."""
    ours = thirdplace_indicators(users)
    table = thirdplace_comparison(users).set_index(["source_id", "indicator"])
    assert table.loc[("aquitaine-2016", "travel_under_20min"), "estimate"] == pytest.approx(
        _row(ours, "travel_under_20min")["estimate"])
    assert table.loc[("aquitaine-2016", "boosts_local_economy"), "estimate"] == pytest.approx(
        _row(ours, "boosts_local_economy")["estimate"])
    assert table.loc[("popplace-2017", "freelancer"), "estimate"] == pytest.approx(
        _row(ours, "status", "freelancer")["estimate"])


def test_comparison_needs_a_source(users):
    """An empty list of sources is a SurveyError."""
    with pytest.raises(SurveyError, match="sources"):
        thirdplace_comparison(users, sources=[])


def test_columns_are_tidy(users):
    """Columns come from the shared vocabulary, shares lie in [0, 1]."""
    out = thirdplace_indicators(users)
    assert list(out.columns) == ["indicator", "category", "n", "estimate", "se", "ci_low",
                                 "ci_high", "method"]
    assert np.all((out["ci_low"] >= 0) & (out["ci_high"] <= 1))
