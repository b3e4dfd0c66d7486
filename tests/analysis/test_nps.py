"""Tests of analysis.nps: shares, score, adjusted-Wald interval, cut-offs, groups, weights."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.estimation import mean
from surveys.errors import SurveyError

#: 5 promoters (9-10), 2 passives (7-8), 3 detractors (0-6).
TEN = [10, 9, 8, 7, 6, 0, 10, 9, 9, 3]


def test_shares_and_score_hand_computed():
    """Shares are 5/10, 2/10, 3/10 and the NPS is 100 * (0.5 - 0.3) = 20."""
    row = analysis.nps(pd.DataFrame({"r": TEN}), "r").iloc[0]
    assert row["n"] == 10
    assert (row["promoters"], row["passives"], row["detractors"]) == (0.5, 0.2, 0.3)
    assert row["estimate"] == pytest.approx(20.0, abs=1e-12)


def test_standard_error_is_trinomial():
    """se = 100 * sqrt((0.5 + 0.3 - 0.2**2) / 10) = 100 * sqrt(0.076)."""
    row = analysis.nps(pd.DataFrame({"r": TEN}), "r").iloc[0]
    assert row["se"] == pytest.approx(100 * math.sqrt(0.076), abs=1e-10)


def test_adjusted_wald_interval_hand_computed():
    """n' = 13, p' = 5.75/13, d' = 3.75/13, nps' = 2/13, var' = (9.5/13 - 4/169)/13."""
    row = analysis.nps(pd.DataFrame({"r": TEN}), "r").iloc[0]
    se_adj = math.sqrt(119.5 / 2197)  # = (123.5/169 - 4/169) / 13
    z = 1.959963984540054
    assert row["ci_low"] == pytest.approx(100 * (2 / 13 - z * se_adj), abs=1e-9)
    assert row["ci_high"] == pytest.approx(100 * (2 / 13 + z * se_adj), abs=1e-9)
    assert row["ci_low"] == pytest.approx(-30.32599443550416, abs=1e-9)


def test_method_prints_default_cutoffs():
    """The method text names the interval and the default cut-offs."""
    method = analysis.nps(pd.DataFrame({"r": TEN}), "r")["method"].iloc[0]
    assert method == "adjusted Wald; promoters 9–10, passives 7–8, detractors 0–6"


def test_custom_cutoffs_reclassify_and_are_printed():
    """cutoffs=(5, 7): 6 becomes a passive, 8 a promoter; the text says so."""
    row = analysis.nps(pd.DataFrame({"r": TEN}), "r", cutoffs=(5, 7)).iloc[0]
    assert (row["promoters"], row["passives"], row["detractors"]) == (0.6, 0.2, 0.2)
    assert row["estimate"] == pytest.approx(40.0)
    assert "promoters 8–10, passives 6–7, detractors 0–5" in row["method"]


def test_missing_answers_are_left_out():
    """NaN answers (missing or don't know) do not count in n."""
    data = pd.DataFrame({"r": pd.array(TEN + [None, None], dtype="Int64")})
    row = analysis.nps(data, "r").iloc[0]
    assert row["n"] == 10 and row["estimate"] == pytest.approx(20.0)


def test_by_groups_equal_each_group_alone():
    """A group's row in by= equals the NPS of that group computed alone."""
    data = pd.DataFrame({"r": TEN * 2, "g": ["a"] * 10 + ["b"] * 7 + ["a"] * 3})
    grouped = analysis.nps(data, "r", by="g").set_index("g")
    for group in ["a", "b"]:
        alone = analysis.nps(data[data["g"] == group], "r").iloc[0]
        pd.testing.assert_series_equal(
            grouped.loc[group, ["n", "estimate", "se", "ci_low", "ci_high"]].astype(float),
            alone[["n", "estimate", "se", "ci_low", "ci_high"]].astype(float),
            check_names=False,
        )


def test_group_without_answers_has_n_zero_and_nan():
    """A group whose answers are all missing gives n = 0 and NaN, without warnings."""
    data = pd.DataFrame({"r": [10.0, 9.0, np.nan], "g": ["a", "a", "b"]})
    row = analysis.nps(data, "r", by="g").set_index("g").loc["b"]
    assert row["n"] == 0
    assert np.isnan(row[["estimate", "se", "ci_low", "ci_high", "promoters"]].astype(float)).all()


def test_interval_stays_within_bounds():
    """All promoters: the interval is clipped to at most 100."""
    row = analysis.nps(pd.DataFrame({"r": [10] * 40}), "r").iloc[0]
    assert row["estimate"] == 100.0 and row["ci_high"] <= 100.0 and row["ci_low"] < 100.0


def test_weighted_matches_estimation_core():
    """Weighted NPS and SE equal 100 x analysis.mean of the +1/0/-1 score."""
    rng = np.random.default_rng(3)
    data = pd.DataFrame({"r": rng.integers(0, 11, 300), "w": rng.uniform(0.5, 3, 300)})
    score = pd.DataFrame({"s": np.select([data["r"] >= 9, data["r"] <= 6], [1.0, -1.0], 0.0),
                          "w": data["w"]})
    core = mean(score, "s", weights="w").iloc[0]
    row = analysis.nps(data, "r", weights="w").iloc[0]
    assert row["estimate"] == pytest.approx(100 * core["estimate"], abs=1e-10)
    assert row["se"] == pytest.approx(100 * core["se"], abs=1e-10)
    promoters = data.loc[data["r"] >= 9, "w"].sum() / data["w"].sum()
    assert row["promoters"] == pytest.approx(promoters, abs=1e-12)
    detractors = data.loc[data["r"] <= 6, "w"].sum() / data["w"].sum()
    assert row["detractors"] == pytest.approx(detractors, abs=1e-12)
    assert row["method"].startswith("weighted")


def test_out_of_range_answer_raises():
    """An 11 is not a 0-10 answer: SurveyError naming the column."""
    with pytest.raises(SurveyError, match="'r'"):
        analysis.nps(pd.DataFrame({"r": [10, 11]}), "r")


def test_bad_cutoffs_raise():
    """Cut-offs must be increasing and below 10."""
    with pytest.raises(SurveyError, match="cutoffs"):
        analysis.nps(pd.DataFrame({"r": TEN}), "r", cutoffs=(8, 6))
