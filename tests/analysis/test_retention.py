"""Kaplan–Meier, quantiles, horizons and log-rank against R survival 3.5 and lifelines.

Reference values: tests/fixtures/survival/make_reference.R (run once with Rscript); the
data it reads, km.csv, is shipped beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.retention import kaplan_meier, logrank, retention_at, survival_quantiles
from surveys.errors import SurveyError

CASES = {  # case in the R script -> keyword arguments here
    "plain_fit": {},
    "groups": {"by": "group"},
    "weights": {"weights": "weight"},
    "fweights": {"weights": "fweight"},
}
KM_COLS = ["time", "at_risk", "events", "censored", "survival", "se", "ci_low", "ci_high"]
CONF_TYPES = ["log", "log-log", "plain"]


@pytest.fixture
def km(fixtures):
    """The shipped right-censored data: integer months with ties and zeros, 3 groups."""
    return pd.read_csv(fixtures / "survival" / "km.csv")


def _ref(fixtures, name, case, conf_type):
    table = pd.read_csv(fixtures / "survival" / name)
    return table[(table["case"] == case) & (table["conf_type"] == conf_type)]


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("case", list(CASES))
def test_kaplan_meier_equals_r_survfit(km, fixtures, case, conf_type):
    """Every column equals R summary(survfit(...), censored=TRUE) to 1e-8."""
    # R: summary(survfit(Surv(time, status) ~ <1|group>, data = km, [weights = ...],
    #                    conf.type = conf_type, [robust = FALSE]), censored = TRUE)
    ref = _ref(fixtures, "ref_km.csv", case, conf_type)
    fit = kaplan_meier("time", "status", data=km, conf_type=conf_type, **CASES[case])
    assert len(fit) == len(ref)
    np.testing.assert_allclose(fit[KM_COLS].to_numpy(float), ref[KM_COLS].to_numpy(float),
                               rtol=0, atol=1e-8)
    if case == "groups":
        assert fit["group"].tolist() == ref["group"].tolist()


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("case", list(CASES))
def test_quantiles_equal_r_quantile(km, fixtures, case, conf_type):
    """Quantiles 0.1-0.75 and their CIs equal R quantile(fit) where the CI curves are monotone."""
    ref = _ref(fixtures, "ref_km_quantiles.csv", case, conf_type)
    medians = _ref(fixtures, "ref_km_medians.csv", case, conf_type)
    monotone = medians["group"].where(medians["monotone"]).dropna().tolist()
    result = survival_quantiles("time", "status", data=km, conf_type=conf_type,
                                probs=[0.1, 0.25, 0.5, 0.75], **CASES[case])
    if case == "groups":
        result = result.merge(ref, on=["group", "probability"], suffixes=("", "_r"))
        result = result[result["group"].isin(monotone)]
        assert len(result) == 4 * len(monotone)
    else:
        result = result.join(ref.reset_index(drop=True), rsuffix="_r")
    for col in ("estimate", "ci_low", "ci_high"):
        np.testing.assert_allclose(result[col], result[col + "_r"], atol=1e-10)


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("case", list(CASES))
def test_median_equals_r_print(km, fixtures, case, conf_type):
    """Median and its 0.95LCL/UCL equal R print(fit) (summary(fit)$table), every curve."""
    ref = _ref(fixtures, "ref_km_medians.csv", case, conf_type).reset_index(drop=True)
    result = survival_quantiles("time", "status", data=km, conf_type=conf_type, probs=[0.5],
                                **CASES[case])
    for col in ("estimate", "ci_low", "ci_high"):
        np.testing.assert_allclose(result[col], ref[col], atol=1e-10)


def test_median_on_a_flat_curve_takes_the_midpoint(fixtures):
    """Where S is exactly 1 - p over an interval, the quantile is its midpoint, as R."""
    ref = pd.read_csv(fixtures / "survival" / "ref_flat_quantiles.csv")
    result = survival_quantiles(np.arange(1.0, 9.0), probs=ref["probability"])
    for col in ("estimate", "ci_low", "ci_high"):
        np.testing.assert_allclose(result[col], ref[col], atol=1e-12)


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("case", list(CASES))
def test_retention_at_equals_r_summary_times(km, fixtures, case, conf_type):
    """Survival, SE, CI and number at risk at horizons equal R summary(fit, times=)."""
    ref = _ref(fixtures, "ref_km_horizons.csv", case, conf_type)
    result = retention_at("time", "status", data=km, conf_type=conf_type,
                          horizons=[0, 0.5, 3, 6, 12, 24], **CASES[case])
    if "group" not in result:
        result.insert(0, "group", np.nan)
    merged = ref.merge(result, on=["group", "time"], how="left", suffixes=("_r", ""))
    assert len(merged) == len(ref)
    for col in ("at_risk", "estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[col], merged[col + "_r"], atol=1e-10)


def test_retention_at_beyond_follow_up_is_missing():
    """A horizon after the last time is NaN while the curve has not reached 0."""
    result = retention_at([1, 2, 3], [1, 0, 0], horizons=[0.5, 3, 10])
    assert result["estimate"].iloc[0] == 1.0
    assert result["estimate"].iloc[1] == pytest.approx(2 / 3)
    assert np.isnan(result["estimate"].iloc[2])


def test_retention_at_accepts_a_fitted_table():
    """retention_at on a kaplan_meier table equals retention_at on the durations."""
    fit = kaplan_meier([1, 2, 2, 5, 7], [1, 0, 1, 1, 0])
    a = retention_at(fit, horizons=[2, 6])
    b = retention_at([1, 2, 2, 5, 7], [1, 0, 1, 1, 0], horizons=[2, 6])
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("rho", [0, 1])
def test_logrank_equals_r_survdiff(km, fixtures, rho):
    """Chi-square, df, p-value, observed and expected equal R survdiff(rho=)."""
    ref = pd.read_csv(fixtures / "survival" / "ref_logrank.csv")
    ref = ref[ref["rho"] == rho].reset_index(drop=True)
    result = logrank("time", "status", "group", data=km, rho=rho, detail=True)
    for col in ("n", "observed", "expected", "statistic", "df", "p_value"):
        np.testing.assert_allclose(result[col].to_numpy(float), ref[col], rtol=1e-10)


@pytest.mark.parametrize("rho, gamma", [(0.5, 1.0), (0.0, 1.0), (1.0, 1.0)])
def test_fleming_harrington_equals_lifelines(km, rho, gamma):
    """Fleming–Harrington weights equal lifelines multivariate_logrank_test."""
    from lifelines.statistics import multivariate_logrank_test

    # lifelines fails on zero durations with these weights; the test only uses ranks
    shifted = km["time"] + 1
    ref = multivariate_logrank_test(shifted, km["group"], km["status"],
                                    weightings="fleming-harrington", p=rho, q=gamma)
    result = logrank(shifted, km["status"], km["group"], rho=rho, gamma=gamma)
    assert result["statistic"].iloc[0] == pytest.approx(ref.test_statistic, rel=1e-10)
    assert result["p_value"].iloc[0] == pytest.approx(ref.p_value, rel=1e-8)


def test_logrank_needs_two_groups():
    """A single group is a user error with a clear message."""
    with pytest.raises(SurveyError, match="two groups"):
        logrank([1, 2, 3], [1, 1, 1], ["a", "a", "a"])


def test_ties_count_together():
    """Three stays ending at the same time form one row with three events."""
    fit = kaplan_meier([2, 2, 2, 4], [1, 1, 1, 0])
    assert fit["events"].tolist() == [3.0, 0.0]
    assert fit["survival"].tolist() == [0.25, 0.25]


def test_single_subject():
    """One person who left: one row, survival 0, no interval."""
    fit = kaplan_meier([5], [1])
    assert fit[["time", "at_risk", "events", "survival"]].to_numpy().tolist() == [[5, 1, 1, 0]]
    assert np.isnan(fit["ci_low"].iloc[0]) and np.isnan(fit["se"].iloc[0])


def test_all_censored_keeps_survival_at_one():
    """Nobody left: survival 1 with se 0 everywhere, log CI (1, 1)."""
    fit = kaplan_meier([1, 3, 3, 8], [0, 0, 0, 0])
    assert (fit["survival"] == 1).all() and (fit["se"] == 0).all()
    assert (fit["ci_low"] == 1).all() and (fit["ci_high"] == 1).all()


def test_all_censored_log_log_interval_is_missing():
    """On the log-log scale R gives NA where the survival is 1; so do we."""
    fit = kaplan_meier([1, 3], [0, 0], conf_type="log-log")
    assert fit["ci_low"].isna().all()


def test_no_censoring_is_the_empirical_survival():
    """Without censoring, KM is one minus the empirical distribution function."""
    times = np.array([3.0, 1, 4, 1, 5, 9, 2, 6])
    fit = kaplan_meier(times)
    expected = [np.mean(times > t) for t in fit["time"]]
    np.testing.assert_allclose(fit["survival"], expected, atol=1e-15)


def test_zero_durations_are_events_at_time_zero():
    """Stays of length 0 drop the curve at time 0, as R (which keeps time 0)."""
    fit = kaplan_meier([0, 0, 1, 2], [1, 0, 1, 1])
    assert fit["time"].iloc[0] == 0.0
    assert fit["survival"].iloc[0] == pytest.approx(0.75)


def test_integer_weights_equal_repeated_rows():
    """A weight of 2 is the same as the row appearing twice."""
    weighted = kaplan_meier([1, 2, 3, 4], [1, 0, 1, 1], weights=[2, 1, 3, 1])
    repeated = kaplan_meier([1, 1, 2, 3, 3, 3, 4], [1, 1, 0, 1, 1, 1, 1])
    pd.testing.assert_frame_equal(weighted, repeated)


def test_by_rows_equal_each_group_alone(km):
    """The rows of a by= fit equal the fit of the group alone."""
    by = kaplan_meier("time", "status", data=km, by="group")
    alone = kaplan_meier("time", "status", data=km[km["group"] == "b"])
    part = by[by["group"] == "b"].drop(columns="group").reset_index(drop=True)
    pd.testing.assert_frame_equal(part, alone)


def test_unknown_conf_type_lists_the_choices():
    """A wrong conf_type raises a SurveyError naming the allowed values."""
    with pytest.raises(SurveyError, match="log-log"):
        kaplan_meier([1, 2], conf_type="logit")


def test_negative_durations_are_refused():
    """Durations below zero are a data error."""
    with pytest.raises(SurveyError, match=">= 0"):
        kaplan_meier([-1, 2], [1, 1])


def test_missing_column_is_named(km):
    """A misspelt column name is reported with a suggestion."""
    with pytest.raises(SurveyError, match="statu"):
        kaplan_meier("time", "statu", data=km)


@pytest.mark.parametrize("offset", [0.0, 0.25])
def test_distinct_times_equal_numpy_unique(rng, offset):
    """Both routes to distinct times (counting whole numbers, hashing others) equal np.unique."""
    from analysis.retention import _distinct

    values = rng.integers(0, 500, 5000).astype(float) + offset
    times, index = _distinct(values)
    ref_times, ref_index = np.unique(values, return_inverse=True)
    np.testing.assert_array_equal(times, ref_times)
    np.testing.assert_array_equal(index, ref_index)


def test_kaplan_meier_on_many_rows_equals_statsmodels(rng):
    """5,000 whole-day durations: survival and Greenwood SE equal statsmodels SurvfuncRight."""
    from statsmodels.duration.survfunc import SurvfuncRight

    time = np.floor(rng.exponential(100, 5000))
    event = (rng.random(5000) < 0.6).astype(int)
    fit = kaplan_meier(time, event).set_index("time")
    ref = SurvfuncRight(time, event)
    np.testing.assert_allclose(fit.loc[ref.surv_times, "survival"], ref.surv_prob, atol=1e-12)
    np.testing.assert_allclose(fit.loc[ref.surv_times, "se"], ref.surv_prob_se, rtol=1e-9)


def test_nullable_integer_durations_are_read():
    """Durations in a nullable Int64 column work; a missing one is a clear error."""
    data = pd.DataFrame({"months": pd.array([1, 2, 2, 3], dtype="Int64"),
                         "left": pd.array([True, True, False, True], dtype="boolean")})
    fit = kaplan_meier("months", "left", data=data)
    assert fit["survival"].tolist() == pytest.approx([0.75, 0.5, 0.0])
    data.loc[0, "months"] = pd.NA
    with pytest.raises(SurveyError, match="missing"):
        kaplan_meier("months", "left", data=data)


def test_empty_input_is_refused():
    """No durations at all is a clear user error, not an empty table."""
    with pytest.raises(SurveyError, match="empty"):
        kaplan_meier([])
