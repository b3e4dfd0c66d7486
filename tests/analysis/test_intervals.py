"""Proportion intervals: Wilson, Clopper-Pearson, logit, Korn-Graubard, at the edges too."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis import proportion_ci
from surveys.errors import SurveyError

COUNTS = np.array([0, 1, 3, 10, 19, 20])
N = 20


@pytest.mark.parametrize(("method", "statsmodels_name"),
                         [("wilson", "wilson"), ("clopper-pearson", "beta")])
def test_binomial_intervals_equal_statsmodels(method, statsmodels_name):
    """Wilson and Clopper-Pearson equal statsmodels' proportion_confint, 0 and n included."""
    out = proportion_ci(COUNTS / N, N, method=method)
    low, high = proportion_confint(COUNTS, N, alpha=0.05, method=statsmodels_name)
    np.testing.assert_allclose(out["ci_low"], low, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(out["ci_high"], high, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson", "logit", "beta"])
def test_bounds_stay_within_zero_one(method):
    """Every method gives finite bounds in [0, 1] around the estimate, at 0 % and 100 % too."""
    p = COUNTS / N
    se = np.sqrt(p * (1 - p) / (N - 1))
    out = proportion_ci(p, N, method=method, se=se, df=N - 1)
    assert np.isfinite(out[["ci_low", "ci_high"]].to_numpy()).all()
    assert ((out["ci_low"] >= 0) & (out["ci_low"] <= p) & (out["ci_high"] >= p)
            & (out["ci_high"] <= 1)).all()


def test_logit_matches_the_formula():
    """Logit: expit(logit(p) ± qt(0.975, df) * se / (p (1 - p)))."""
    p, se, df = 0.3, 0.08, 12
    out = proportion_ci(p, 40, method="logit", se=se, df=df).iloc[0]
    half = stats.t.ppf(0.975, df) * se / (p * (1 - p))
    centre = np.log(p / (1 - p))
    expected = 1 / (1 + np.exp(-(centre + np.array([-half, half]))))
    assert [out["ci_low"], out["ci_high"]] == pytest.approx(expected, rel=1e-12)


def test_logit_falls_back_to_beta_at_the_edges():
    """At 0 % and 100 % the logit is infinite: those rows use "beta" and say so."""
    out = proportion_ci([0.0, 0.5, 1.0], 20, method="logit", se=[0.0, 0.1, 0.0], df=19)
    assert out["method"].tolist() == ["beta", "logit", "beta"]
    beta = proportion_ci([0.0, 1.0], 20, method="beta", se=[0.0, 0.0], df=19)
    assert out.loc[[0, 2], "ci_high"].tolist() == pytest.approx(beta["ci_high"].tolist())


def test_beta_at_zero_is_clopper_pearson_on_n_effective():
    """Korn-Graubard at 0 %: Clopper-Pearson of 0 out of n_effective (df-adjusted)."""
    out = proportion_ci(0.0, 30, method="beta", se=0.0, df=29, n_effective=30).iloc[0]
    assert out["ci_low"] == 0.0
    assert out["ci_high"] == pytest.approx(proportion_confint(0, 30, method="beta")[1], rel=1e-12)
    adjusted = proportion_ci(0.0, 30, method="beta", se=0.0, df=5, n_effective=30).iloc[0]
    ratio = (stats.t.ppf(0.025, 29) / stats.t.ppf(0.025, 5)) ** 2
    assert adjusted["ci_high"] == pytest.approx(stats.beta.ppf(0.975, 1, 30 * ratio), rel=1e-12)


def test_beta_matches_korn_graubard_formula():
    """Beta: qbeta on n_eff = p (1 - p) / se² scaled by (qt(n - 1) / qt(df))²."""
    p, se, n, df = 0.2, 0.05, 50, 10
    out = proportion_ci(p, n, method="beta", se=se, df=df).iloc[0]
    n_eff = p * (1 - p) / se**2 * (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, df)) ** 2
    assert out["ci_low"] == pytest.approx(stats.beta.ppf(0.025, n_eff * p, n_eff * (1 - p) + 1))
    assert out["ci_high"] == pytest.approx(stats.beta.ppf(0.975, n_eff * p + 1, n_eff * (1 - p)))


def test_zero_se_inside_gives_a_point():
    """A fully enumerated population (se 0, 0 < p < 1) gives the point [p, p]."""
    for method in ("logit", "beta"):
        out = proportion_ci(0.4, 10, method=method, se=0.0, df=9).iloc[0]
        assert (out["ci_low"], out["ci_high"]) == (0.4, 0.4)


def test_wilson_uses_n_effective_when_given():
    """Weighted Wilson runs on the effective sample size."""
    weighted = proportion_ci(0.3, 100, method="wilson", n_effective=40)
    plain = proportion_ci(0.3, 40, method="wilson")
    assert weighted[["ci_low", "ci_high"]].to_numpy() == pytest.approx(
        plain[["ci_low", "ci_high"]].to_numpy())


def test_higher_level_is_wider():
    """A 99 % interval contains the 90 % one."""
    wide = proportion_ci(0.3, 50, level=0.99).iloc[0]
    narrow = proportion_ci(0.3, 50, level=0.90).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] and wide["ci_high"] > narrow["ci_high"]


def test_missing_estimate_gives_missing_bounds():
    """NaN in, NaN out, without a warning."""
    for method in ("wilson", "clopper-pearson", "logit", "beta"):
        out = proportion_ci([np.nan], [0], method=method, se=[np.nan], df=[0])
        assert out[["ci_low", "ci_high"]].isna().all().all()


def test_unknown_method_lists_the_options():
    """An unknown method raises SurveyError listing the allowed ones."""
    with pytest.raises(SurveyError, match="'clopper-pearson'"):
        proportion_ci(0.5, 10, method="agresti")


def test_design_methods_need_se_and_df():
    """logit and beta without the design se and df are a programming error."""
    with pytest.raises(TypeError, match="se and df"):
        proportion_ci(0.5, 10, method="logit")
