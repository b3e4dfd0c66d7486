"""Tests of analysis.before_after: paired (Wilcoxon, McNemar) and independent waves,
against scipy and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

import analysis
from surveys.errors import SurveyError

SCALE = [1, 2, 3, 4, 5]


@pytest.fixture
def waves(rng) -> pd.DataFrame:
    """60 respondents answering before and after; satisfaction rises a little."""
    ids = [f"id{i:03d}" for i in range(60)]
    before = rng.integers(1, 6, 60)
    after = np.clip(before + rng.choice([-1, 0, 0, 1, 1, 2], 60), 1, 5)
    return pd.DataFrame({"respondent_id": ids * 2, "wave": ["pre"] * 60 + ["post"] * 60,
                         "sat": np.concatenate([before, after]).astype(float)})


def _pairs(waves):
    pre = waves[waves["wave"] == "pre"].set_index("respondent_id")["sat"]
    post = waves[waves["wave"] == "post"].set_index("respondent_id")["sat"]
    common = pre.index.intersection(post.index)
    return pre[common].to_numpy(), post[common].to_numpy()


def test_wilcoxon_equals_scipy(waves):
    """Paired: the statistic and p equal scipy.stats.wilcoxon(post, pre)."""
    row = analysis.before_after(waves, "sat", scale=SCALE).set_index("test").loc["wilcoxon"]
    x, y = _pairs(waves)
    expected = stats.wilcoxon(y, x)
    assert row["statistic"] == pytest.approx(expected.statistic)
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-10)
    assert row["n"] == 60 and row["estimate"] == pytest.approx(np.mean(y - x))


def test_matched_pairs_rank_biserial(waves):
    """effect_size = (T+ - T-) / (T+ + T-) over the non-zero differences."""
    row = analysis.before_after(waves, "sat", scale=SCALE).set_index("test").loc["wilcoxon"]
    x, y = _pairs(waves)
    d = (y - x)[y != x]
    ranks = stats.rankdata(np.abs(d))
    assert row["effect_size"] == pytest.approx((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())


def test_mcnemar_equals_statsmodels(waves):
    """Paired top-2-box: statistic and p equal statsmodels mcnemar(exact=True)."""
    row = analysis.before_after(waves, "sat", scale=SCALE).set_index("test").loc["mcnemar"]
    x, y = _pairs(waves)
    a, b = x >= 4, y >= 4
    table = [[np.sum(a & b), np.sum(a & ~b)], [np.sum(~a & b), np.sum(~a & ~b)]]
    expected = mcnemar(table, exact=True)
    assert row["statistic"] == expected.statistic
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert row["estimate"] == pytest.approx(b.mean() - a.mean())


def test_method_says_paired_and_how_many(waves):
    """method names the pairing, the id column and the matched count."""
    out = analysis.before_after(waves.iloc[:-5], "sat", scale=SCALE)
    assert out["method"].str.contains("paired: 55 respondents matched on 'respondent_id'").all()
    assert out["method"].str.contains("5 answers without a match").all()


def test_unmatched_waves_are_independent(waves):
    """No id in both waves: Mann-Whitney equal to scipy, and method says independent."""
    data = waves.assign(respondent_id=[f"x{i}" for i in range(len(waves))])
    out = analysis.before_after(data, "sat", scale=SCALE).set_index("test")
    pre, post = (data.loc[data["wave"] == w, "sat"] for w in ("pre", "post"))
    expected = stats.mannwhitneyu(post, pre, alternative="two-sided")
    assert out.loc["mann_whitney", "p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert out["method"].str.contains("independent groups").all()
    assert out.loc["mann_whitney", "n"] == 120


def test_independent_top2_chi_square_equals_scipy(waves):
    """pairing='independent': the top-2-box test is scipy's chi2_contingency (Yates)."""
    out = analysis.before_after(waves, "sat", scale=SCALE, pairing="independent").set_index("test")
    pre, post = (waves.loc[waves["wave"] == w, "sat"] >= 4 for w in ("pre", "post"))
    table = [[post.sum(), (~post).sum()], [pre.sum(), (~pre).sum()]]
    expected = stats.chi2_contingency(table, correction=True)
    assert out.loc["chi_square", "statistic"] == pytest.approx(expected.statistic)
    assert out.loc["chi_square", "p_value"] == pytest.approx(expected.pvalue)
    assert out.loc["chi_square", "estimate"] == pytest.approx(post.mean() - pre.mean())


def test_small_independent_waves_use_fisher():
    """An expected count below 5 switches the top-2-box test to Fisher's exact test."""
    data = pd.DataFrame({"wave": ["pre"] * 4 + ["post"] * 4, "sat": [1, 2, 2, 4, 4, 5, 5, 3]})
    out = analysis.before_after(data, "sat", scale=SCALE, pairing="independent").set_index("test")
    expected = stats.fisher_exact([[3, 1], [1, 3]])
    assert out.loc["fisher", "p_value"] == pytest.approx(expected.pvalue)


def test_missing_id_column_falls_back_to_independent():
    """Without an id column, auto compares the waves as independent groups."""
    data = pd.DataFrame({"wave": ["pre"] * 4 + ["post"] * 4, "sat": [1, 2, 2, 4, 4, 5, 5, 3]})
    out = analysis.before_after(data, "sat", scale=SCALE)
    assert set(out["test"]) == {"mann_whitney", "fisher"}


def test_no_change_gives_nan_without_warning():
    """Nobody changed answer: the paired tests are undefined, no warning leaks."""
    data = pd.DataFrame({"respondent_id": list("abcabc"), "wave": ["pre"] * 3 + ["post"] * 3,
                         "sat": [2, 4, 5, 2, 4, 5]})
    out = analysis.before_after(data, "sat", scale=SCALE)
    assert out["p_value"].isna().all() and (out["estimate"] == 0).all()


def test_dont_know_answers_drop_the_pair():
    """A pair where one answer is missing (don't know) is left out."""
    data = pd.DataFrame({"respondent_id": list("abcdabcd"), "wave": ["pre"] * 4 + ["post"] * 4,
                         "sat": [1, 2, 3, 4, 2, np.nan, 4, 5]})
    out = analysis.before_after(data, "sat", scale=SCALE)
    assert (out["n"] == 3).all()


def test_paired_without_matches_raises(waves):
    """pairing='paired' with no id in both waves is a SurveyError."""
    data = waves.assign(respondent_id=[f"x{i}" for i in range(len(waves))])
    with pytest.raises(SurveyError, match="pairing='independent'"):
        analysis.before_after(data, "sat", scale=SCALE, pairing="paired")


def test_duplicate_respondent_in_a_wave_raises(waves):
    """The same id twice in one wave cannot be paired."""
    data = pd.concat([waves, waves.iloc[[0]]])
    with pytest.raises(SurveyError, match="id000"):
        analysis.before_after(data, "sat", scale=SCALE)


def test_missing_wave_value_raises(waves):
    """pre/post values absent from the wave column are named."""
    with pytest.raises(SurveyError, match="'avant'"):
        analysis.before_after(waves, "sat", scale=SCALE, pre="avant")


def _moves(up: int, down: int, stay: int) -> pd.DataFrame:
    """Pairs: ``up`` moved into the top-2-box (2 -> 5), ``down`` out of it (5 -> 2),
    ``stay`` stayed in it (4 -> 4)."""
    pre = [2] * up + [5] * down + [4] * stay
    post = [5] * up + [2] * down + [4] * stay
    ids = [f"r{i}" for i in range(len(pre))]
    return pd.DataFrame({"respondent_id": ids * 2, "wave": ["pre"] * len(pre) + ["post"] * len(pre),
                         "sat": pre + post})


def test_mcnemar_cell_count_is_the_fewer_movers():
    """McNemar's row rests on the fewer of the pairs that moved in and out (11 and 3: 3)."""
    out = analysis.before_after(_moves(11, 3, 20), "sat", scale=SCALE).set_index("test")
    assert out.loc["mcnemar", "cell_count"] == 3


def test_wilcoxon_cell_count_is_the_fewer_movers():
    """The rank test's row rests on the fewer of the pairs whose answer went up and down
    (11 and 3: 3): its n, mean change, rank sums and p give back how they moved
    (review 10c); nobody moving down leaves those who moved up; nobody moving, all."""
    out = analysis.before_after(_moves(11, 3, 20), "sat", scale=SCALE).set_index("test")
    assert out.loc["wilcoxon", "cell_count"] == 3
    up = analysis.before_after(_moves(8, 0, 20), "sat", scale=SCALE).set_index("test")
    assert up.loc["wilcoxon", "cell_count"] == 8
    still = analysis.before_after(_moves(0, 0, 20), "sat", scale=SCALE).set_index("test")
    assert still.loc["wilcoxon", "cell_count"] == 20


def test_mcnemar_cell_count_counts_only_a_direction_someone_moved_in():
    """Nobody moving out leaves the 8 who moved in; nobody moving at all, every pair."""
    moved = analysis.before_after(_moves(8, 0, 20), "sat", scale=SCALE).set_index("test")
    still = analysis.before_after(_moves(0, 0, 20), "sat", scale=SCALE).set_index("test")
    assert moved.loc["mcnemar", "cell_count"] == 8
    assert still.loc["mcnemar", "cell_count"] == 20


def test_independent_cell_count_is_the_fewest_of_either_wave_box():
    """Independent waves: each wave's top-2-box and other answers; the fewest (2 of pre)."""
    data = pd.DataFrame({"wave": ["pre"] * 10 + ["post"] * 12,
                         "sat": [5, 5] + [2] * 8 + [5] * 6 + [1] * 6})
    out = analysis.before_after(data, "sat", scale=SCALE, pairing="independent")
    assert out.set_index("test").loc[out["test"].iloc[1], "cell_count"] == 2
    assert out["cell_count"].iloc[0] == 22
