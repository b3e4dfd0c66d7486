"""Tests of analysis.compare_groups (against scipy) and analysis.ordinal_model (against a
direct statsmodels OrderedModel fit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel

import analysis
from surveys.errors import SurveyError


@pytest.fixture
def answers(rng) -> pd.DataFrame:
    """240 Likert answers, three roles, agents slightly more satisfied."""
    role = rng.choice(["agent", "manager", "other"], 240)
    sat = np.clip(np.round(3 + 0.6 * (role == "agent") + rng.normal(0, 1.1, 240)), 1, 5)
    days = rng.integers(0, 6, 240)
    return pd.DataFrame({"sat": sat, "role": role, "days": days})


def test_mann_whitney_equals_scipy(answers):
    """Two groups: U and p equal scipy.stats.mannwhitneyu(first, second)."""
    two = answers[answers["role"] != "other"]
    row = analysis.compare_groups(two, "sat", "role").iloc[0]
    x, y = (two.loc[two["role"] == g, "sat"] for g in ("agent", "manager"))
    expected = stats.mannwhitneyu(x, y, alternative="two-sided")
    assert row["statistic"] == pytest.approx(expected.statistic, abs=1e-12)
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert row["n"] == len(two) and row["groups"] == 2


def test_rank_biserial_from_u(answers):
    """r = 2 U / (n1 n2) - 1, positive because agents (first) answer higher."""
    two = answers[answers["role"] != "other"]
    row = analysis.compare_groups(two, "sat", "role").iloc[0]
    n1, n2 = (two["role"] == "agent").sum(), (two["role"] == "manager").sum()
    assert row["effect_size"] == pytest.approx(2 * row["statistic"] / (n1 * n2) - 1)
    assert row["effect_size"] > 0 and "'agent'" in row["method"]


def test_rank_biserial_extremes():
    """Every answer of group b above group a: r = -1 (a first), U = 0."""
    data = pd.DataFrame({"sat": [1, 1, 2, 4, 5, 5], "g": list("aaabbb")})
    row = analysis.compare_groups(data, "sat", "g").iloc[0]
    assert row["statistic"] == 0 and row["effect_size"] == -1


def test_kruskal_wallis_equals_scipy(answers):
    """Three groups: H and p equal scipy.stats.kruskal; df = 2."""
    row = analysis.compare_groups(answers, "sat", "role").iloc[0]
    samples = [answers.loc[answers["role"] == g, "sat"] for g in ("agent", "manager", "other")]
    expected = stats.kruskal(*samples)
    assert row["statistic"] == pytest.approx(expected.statistic, abs=1e-12)
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert row["df"] == 2


def test_epsilon_squared(answers):
    """epsilon² = H / (n - 1)."""
    row = analysis.compare_groups(answers, "sat", "role").iloc[0]
    assert row["effect_size"] == pytest.approx(row["statistic"] / (len(answers) - 1), abs=1e-14)


def test_ordered_categorical_item_is_ranked_by_order(answers):
    """An ordered Categorical item gives the same test as its numbers."""
    cat = answers.assign(sat=pd.Categorical(answers["sat"], categories=[1.0, 2.0, 3.0, 4.0, 5.0],
                                            ordered=True))
    a = analysis.compare_groups(cat, "sat", "role")
    b = analysis.compare_groups(answers, "sat", "role")
    assert a["statistic"].iloc[0] == pytest.approx(b["statistic"].iloc[0])


def test_one_row_per_item(answers):
    """Several items: one row each, in order."""
    out = analysis.compare_groups(answers.assign(sat2=answers["sat"][::-1].to_numpy()),
                                  ["sat", "sat2"], "role")
    assert out["item"].tolist() == ["sat", "sat2"]


def test_identical_answers_give_nan_without_warning():
    """Every answer the same: Kruskal-Wallis undefined, NaN and a method note."""
    data = pd.DataFrame({"sat": [3] * 9, "g": list("aaabbbccc")})
    row = analysis.compare_groups(data, "sat", "g").iloc[0]
    assert np.isnan(row["statistic"]) and "undefined" in row["method"]


def test_single_group_gives_no_test():
    """One group with answers: no test, NaN."""
    data = pd.DataFrame({"sat": [3, 4, np.nan], "g": ["a", "a", "b"]})
    row = analysis.compare_groups(data, "sat", "g").iloc[0]
    assert row["groups"] == 1 and np.isnan(row["p_value"])


def test_ordinal_model_equals_orderedmodel(answers):
    """Odds ratios, SEs and p-values equal a direct OrderedModel fit (logit, bfgs)."""
    out = analysis.ordinal_model(answers, "sat", ["role", "days"]).set_index("term")
    exog = pd.DataFrame({"role[manager]": (answers["role"] == "manager") * 1.0,
                         "role[other]": (answers["role"] == "other") * 1.0,
                         "days": answers["days"] * 1.0})
    endog = pd.Categorical(answers["sat"], ordered=True)
    fit = OrderedModel(endog, exog, distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
    for term in exog.columns:
        assert out.loc[term, "estimate"] == pytest.approx(np.exp(fit.params[term]), rel=1e-6)
        assert out.loc[term, "se"] == pytest.approx(fit.bse[term], rel=1e-5)
        assert out.loc[term, "p_value"] == pytest.approx(fit.pvalues[term], rel=1e-4)


def test_ordinal_model_interval_is_exp_wald(answers):
    """ci = exp(beta +- 1.96 se) around the odds ratio."""
    row = analysis.ordinal_model(answers, "sat", "role").iloc[0]
    beta = np.log(row["estimate"])
    assert row["ci_low"] == pytest.approx(np.exp(beta - 1.959963984540054 * row["se"]))
    assert row["ci_high"] == pytest.approx(np.exp(beta + 1.959963984540054 * row["se"]))


def test_ordinal_model_reference_and_direction(answers):
    """Managers are the less satisfied group: OR < 1 against the reference 'agent'."""
    out = analysis.ordinal_model(answers, "sat", "role").set_index("term")
    assert out.loc["role[manager]", "reference"] == "agent"
    assert out.loc["role[manager]", "estimate"] < 1


def test_ordinal_model_unknown_predictor_raises(answers):
    """A misspelt predictor is named with a suggestion."""
    with pytest.raises(SurveyError, match="role"):
        analysis.ordinal_model(answers, "sat", "rol")


def test_nullable_boolean_groups(answers):
    """A nullable boolean by column (manager) with <NA> rows: those rows are left out."""
    manager = pd.array((answers["role"] == "manager").tolist(), dtype="boolean")
    manager[:5] = pd.NA
    data = answers.assign(manager=manager)
    row = analysis.compare_groups(data, "sat", "manager").iloc[0]
    kept = data.iloc[5:]
    x, y = (kept.loc[kept["manager"] == g, "sat"] for g in (False, True))
    assert row["n"] == len(kept)
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(x, y).pvalue, rel=1e-12)


def test_ordinal_model_boolean_predictor(answers):
    """A boolean predictor becomes the term manager[True] against False."""
    data = answers.assign(manager=pd.array((answers["role"] == "manager").tolist(), dtype="boolean"))
    row = analysis.ordinal_model(data, "sat", "manager").iloc[0]
    assert row["term"] == "manager[True]" and row["reference"] == False  # noqa: E712


def test_ordinal_model_categorical_outcome_equals_numeric(answers):
    """An ordered Categorical outcome with a missing answer fits like its numbers."""
    cat = answers.assign(sat=pd.Categorical(answers["sat"], categories=[1.0, 2.0, 3.0, 4.0, 5.0],
                                            ordered=True))
    cat.loc[0, "sat"] = np.nan
    a = analysis.ordinal_model(cat, "sat", "role")
    b = analysis.ordinal_model(answers.iloc[1:], "sat", "role")
    assert a["n"].iloc[0] == len(answers) - 1
    np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-6)
