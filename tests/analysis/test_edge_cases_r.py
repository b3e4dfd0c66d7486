"""Edge cases of the public analysis functions against R (tests/fixtures/edge12).

make_reference.R (R 4.2, survey 4.1, survival 3.5, psych 2.2) wrote the small data sets
(*.csv) and R's values (reference.json: one entry per case; ``{"error": ...}`` where R
stopped, ``null`` where R returned NA). Each test names the R call it is checked
against. Where R returns NA or stops and bilan gives a value, the test pins bilan's
documented behaviour and says why (R can be wrong: ``svykm`` on an all-censored sample).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "edge12"
RTOL = 1e-8
LONELY = {"weights": "w", "strata": "s", "population": "N"}


def _numbers(values) -> np.ndarray:
    """R's values as floats; JSON null (R's NA) becomes NaN."""
    return np.atleast_1d(np.array(values, dtype=float))


def _close(ours, theirs, rtol: float = RTOL, atol: float = 1e-12) -> None:
    np.testing.assert_allclose(np.atleast_1d(np.asarray(ours, dtype=float)), _numbers(theirs),
                               rtol=rtol, atol=atol, equal_nan=True)


@pytest.fixture(scope="module")
def ref() -> dict:
    """R's values, by case name."""
    return json.loads((FOLDER / "reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def design_data() -> pd.DataFrame:
    """12 respondents: stratum C holds one; category 'd' unused; k, xc constant; wh 1e12 ratio."""
    data = pd.read_csv(FOLDER / "design.csv")
    data["ans"] = pd.Categorical(data["ans"], categories=["a", "b", "c", "d"])
    data["k"] = pd.Categorical(data["k"], categories=["a", "b"])
    return data


@pytest.fixture(scope="module")
def likert_data() -> pd.DataFrame:
    """sat_a: levels 1, 2 unused and one missing answer; sat_b: everyone 3; rec: all 10."""
    data = pd.read_csv(FOLDER / "likert.csv")
    for item in ("sat_a", "sat_b"):
        data[item] = pd.Categorical(data[item], categories=[1, 2, 3, 4, 5], ordered=True)
    for column in ("rec", "rec2"):
        data[column] = data[column].astype("Int64")
    return data


@pytest.fixture(scope="module")
def group_data() -> pd.DataFrame:
    """8 respondents; grp has a group of one (c), grp2 too (b); category 'r' unused."""
    data = pd.read_csv(FOLDER / "groups.csv")
    data["cat"] = pd.Categorical(data["cat"], categories=["p", "q", "r"])
    data["sat"] = pd.Categorical(data["sat"], categories=[1, 2, 3, 4, 5], ordered=True)
    data["same"] = pd.Categorical(data["same"], categories=[1, 2, 3, 4, 5], ordered=True)
    return data


def _case(name: str) -> pd.DataFrame:
    """The rows of one case of a CSV holding several (km, logrank, turnbull)."""
    table = pd.read_csv(FOLDER / f"{name.split(':')[0]}.csv")
    return table[table["case"] == name.split(":")[1]].reset_index(drop=True)


# ------------------------------------------------------------------ lonely stratum
def test_lonely_stratum_shares_match_r(design_data, ref):
    """Shares, SEs and logit intervals with a one-respondent stratum equal svymean /
    svyciprop under survey.lonely.psu = "certainty"."""
    ours = analysis.proportion(design_data, "ans", **LONELY)
    r = ref["lonely_share"]
    _close(ours["estimate"], r["estimate"])
    _close(ours["se"], r["se"])
    _close(ours["ci_low"].iloc[:3], r["ci_low"][:3])
    _close(ours["ci_high"].iloc[:3], r["ci_high"][:3])


def test_unused_category_gets_a_beta_interval_where_r_gives_na(design_data, ref):
    """Category 'd' (nobody): 0, se 0 as R; svyciprop gives NA, we give the documented
    Clopper-Pearson bound on the effective size (intervals.proportion_ci Notes)."""
    row = analysis.proportion(design_data, "ans", **LONELY).iloc[3]
    assert np.isnan(ref["lonely_share"]["beta_high"][3] or np.nan)
    assert (row["estimate"], row["se"], row["ci_low"], row["method"]) == (0.0, 0.0, 0.0, "beta")
    assert 0 < row["ci_high"] < 1


def test_lonely_stratum_mean_matches_r(design_data, ref):
    """Mean, SE and t interval equal svymean + confint(df = degf) with certainty."""
    ours = analysis.mean(design_data, "x", **LONELY).iloc[0]
    r = ref["lonely_mean"]
    _close([ours["estimate"], ours["se"], ours["ci_low"], ours["ci_high"]],
           [r["estimate"], r["se"], r["ci_low"], r["ci_high"]])


def test_lonely_stratum_rule_is_certainty(design_data, ref):
    """The SE is R's under "certainty" (and "remove"), not "adjust" or "average"; R's
    default "fail" stops."""
    se = analysis.mean(design_data, "x", **LONELY)["se"].iloc[0]
    assert "only one PSU" in ref["lonely_rule_fail"]["error"]
    _close(se, ref["lonely_rule_remove"]["se"])
    assert abs(se - ref["lonely_rule_adjust"]["se"]) > 1e-3
    assert abs(se - ref["lonely_rule_average"]["se"]) > 1e-3


def test_lonely_stratum_domain_means_match_r(design_data, ref):
    """Domain means and SEs equal svyby(~x, ~g, design, svymean)."""
    ours = analysis.mean(design_data, "x", by="g", **LONELY)
    r = ref["lonely_mean_by"]
    assert ours["g"].tolist() == r["group"]
    _close(ours["estimate"], r["estimate"])
    _close(ours["se"], r["se"])


def test_domain_without_values_has_nan_mean_where_r_says_zero(design_data, ref):
    """A group whose members all lack a value: svyby(na.rm = TRUE) reports mean 0 and SE
    0 (0/0 taken as 0); ours are NaN (no mean exists), the other group equals R's."""
    data = design_data.iloc[:4].copy()
    data.loc[data["g"] == "g1", "x"] = np.nan
    ours = analysis.mean(data, "x", by="g", weights="w")
    r = ref["empty_domain_mean"]
    assert r["estimate"][0] == 0 and r["se"][0] == 0
    assert ours[["estimate", "se", "ci_low", "ci_high"]].iloc[0].isna().all()
    _close(ours[["estimate", "se"]].iloc[1], [r["estimate"][1], r["se"][1]])


def test_lonely_stratum_quantiles_match_r_inside_the_range(design_data, ref):
    """Quartiles equal svyquantile; the median's interval and SE too."""
    ours = analysis.quantile(design_data, "x", **LONELY)
    r = ref["lonely_quantile"]
    _close(ours["estimate"], r["estimate"])
    _close([ours["ci_low"][1], ours["ci_high"][1], ours["se"][1]],
           [r["ci_low"][1], r["ci_high"][1], r["se"][1]])


def test_quantile_bound_past_the_data_is_the_extreme_value_where_r_gives_na(design_data, ref):
    """Woodruff share bound below 0 / above 1: R NA, we the smallest / largest value
    (the departure documented in analysis.quantile)."""
    ours = analysis.quantile(design_data, "x", **LONELY)
    r = ref["lonely_quantile"]
    assert r["ci_low"][0] is None and r["ci_high"][2] is None
    assert ours["ci_low"][0] == design_data["x"].min()
    assert ours["ci_high"][2] == design_data["x"].max()


# ------------------------------------------------------------------ identical answers
def test_constant_share_has_zero_se_as_r(design_data, ref):
    """Everyone in one category: 1 and 0 with se 0, as svymean."""
    ours = analysis.proportion(design_data, "k", weights="w")
    _close(ours["estimate"], ref["const_share"]["estimate"])
    _close(ours["se"], ref["const_share"]["se"])


def test_constant_share_interval_where_r_gives_na(design_data, ref):
    """svyciprop (logit and beta) returns NA at 100 %; ours is a beta interval that
    reaches 1 and is not a point."""
    ours = analysis.proportion(design_data, "k", weights="w").iloc[0]
    assert all(v is None for v in ref["const_share"]["beta_low"] + ref["const_share"]["ci_low"])
    assert ours["method"] == "beta" and ours["ci_high"] == 1.0 and 0.5 < ours["ci_low"] < 1


def test_constant_share_unweighted_wilson_matches_prop_test(design_data, ref):
    """Unweighted 12 of 12: the Wilson interval equals prop.test(12, 12, correct = FALSE)."""
    ours = analysis.proportion(design_data, "k").iloc[0]
    _close([ours["ci_low"], ours["ci_high"]],
           [ref["const_wilson"]["ci_low"], ref["const_wilson"]["ci_high"]])


def test_constant_mean_is_a_point_interval_as_r(design_data, ref):
    """Every value 5: mean 5, se 0, interval [5, 5], as svymean + confint."""
    ours = analysis.mean(design_data, "xc", weights="w").iloc[0]
    r = ref["const_mean"]
    _close([ours["estimate"], ours["se"], ours["ci_low"], ours["ci_high"]],
           [r["estimate"], r["se"], r["ci_low"], r["ci_high"]])


def test_constant_quantiles_match_r(design_data, ref):
    """Every value 5: quartiles 5 with interval [5, 5] and se 0, as svyquantile."""
    ours = analysis.quantile(design_data, "xc", weights="w")
    r = ref["const_quantile"]
    for column in ("estimate", "ci_low", "ci_high", "se"):
        _close(ours[column], r[column])


# ------------------------------------------------------------------ huge weight ratio
def test_huge_weight_ratio_shares_match_r(design_data, ref):
    """Weights from 1e-6 to 1e6: shares, SEs and logit intervals equal R's."""
    ours = analysis.proportion(design_data, "ans", weights="wh")
    r = ref["huge_share"]
    _close(ours["estimate"], r["estimate"])
    _close(ours["se"], r["se"], rtol=1e-7)
    _close(ours["ci_low"].iloc[:3], r["ci_low"][:3], rtol=1e-6)
    _close(ours["ci_high"].iloc[:3], r["ci_high"][:3], rtol=1e-6)


def test_huge_weight_ratio_mean_matches_r(design_data, ref):
    """Weights from 1e-6 to 1e6: mean, SE and interval equal svymean."""
    ours = analysis.mean(design_data, "x", weights="wh").iloc[0]
    r = ref["huge_mean"]
    _close([ours["estimate"], ours["se"], ours["ci_low"], ours["ci_high"]],
           [r["estimate"], r["se"], r["ci_low"], r["ci_high"]])


def test_huge_weight_ratio_quantile_estimates_match_r(design_data, ref):
    """Weights from 1e-6 to 1e6: the quartiles equal svyquantile's."""
    ours = analysis.quantile(design_data, "x", weights="wh")
    _close(ours["estimate"], ref["huge_quantile"]["estimate"])
    assert ours["ci_low"].iloc[2] == ref["huge_quantile"]["ci_low"][2]


# ------------------------------------------------------------------ calibration
def test_rake_with_an_empty_cross_cell_matches_r(design_data, ref):
    """Raking on s and g with no respondent in (C, g1): weights and SEs equal rake()."""
    weights = analysis.rake(design_data, {"s": {"A": 70, "B": 40, "C": 10},
                                          "g": {"g1": 55, "g2": 65}}, weights="w", tol=1e-13)
    _close(weights, ref["rake_empty_cell_weights"], rtol=1e-10)
    shares = analysis.proportion(design_data, "ans", weights=weights)
    _close(shares["estimate"], ref["rake_empty_cell_share"]["estimate"])
    _close(shares["se"], ref["rake_empty_cell_share"]["se"])
    mean = analysis.mean(design_data, "x", weights=weights).iloc[0]
    r = ref["rake_empty_cell_mean"]
    _close([mean["estimate"], mean["se"], mean["ci_low"], mean["ci_high"]],
           [r["estimate"], r["se"], r["ci_low"], r["ci_high"]])


def test_rake_to_a_category_nobody_is_in_raises_as_r(design_data, ref):
    """A margin category with a positive total and no respondent: R stops, we raise a
    SurveyError naming the category."""
    assert "absent from sample" in ref["rake_absent_category"]["error"]
    with pytest.raises(SurveyError, match="'d'"):
        analysis.rake(design_data, {"ans": {"a": 40, "b": 40, "c": 20, "d": 20}}, weights="w")


def test_poststratify_with_an_empty_cell_raises_as_r(design_data, ref):
    """A post-stratum (C, g1) with a positive total and no respondent: R stops, we raise."""
    assert "absent from sample" in ref["poststratify_empty_cell"]["error"]
    totals = {("A", "g1"): 30, ("A", "g2"): 40, ("B", "g1"): 20, ("B", "g2"): 20,
              ("C", "g1"): 5, ("C", "g2"): 5}
    with pytest.raises(SurveyError, match="'C', 'g1'"):
        analysis.poststratify(design_data, ["s", "g"], totals, weights="w")


def test_rake_with_a_zero_total_for_an_empty_category_matches_r(design_data, ref):
    """A category nobody is in with a total of 0: weights and the mean's SE equal rake()."""
    weights = analysis.rake(design_data, {"ans": {"a": 50, "b": 40, "c": 30, "d": 0}},
                            weights="w")
    _close(weights, ref["rake_zero_category"]["weights"])
    mean = analysis.mean(design_data, "x", weights=weights).iloc[0]
    _close([mean["estimate"], mean["se"]],
           [ref["rake_zero_category"]["estimate"], ref["rake_zero_category"]["se"]])


def test_poststratify_with_a_zero_total_for_an_empty_cell_matches_r(design_data, ref):
    """Post-stratum (C, g1) empty with a total of 0: weights and SE equal postStratify()."""
    totals = {("A", "g1"): 30, ("A", "g2"): 40, ("B", "g1"): 20, ("B", "g2"): 20,
              ("C", "g1"): 0, ("C", "g2"): 5}
    weights = analysis.poststratify(design_data, ["s", "g"], totals, weights="w")
    _close(weights, ref["poststratify_zero_cell"]["weights"])
    mean = analysis.mean(design_data, "x", weights=weights).iloc[0]
    _close([mean["estimate"], mean["se"]],
           [ref["poststratify_zero_cell"]["estimate"], ref["poststratify_zero_cell"]["se"]])


# ------------------------------------------------------------------ Likert and NPS
def _likert_row(table, item, statistic):
    return table[(table["item"] == item) & (table["statistic"] == statistic)].iloc[0]


@pytest.mark.parametrize("item", ["sat_a", "sat_b"])
def test_weighted_likert_edge_items_match_r(likert_data, ref, item):
    """Unused levels (sat_a) and one answer for all (sat_b): mean, top2, bottom2, net
    and their SEs equal svymean on the domain of answers; intervals where R has them
    (the net's upper bound is clipped to 1, as documented)."""
    table = analysis.likert(likert_data, [item], weights="w", strata="s")
    for statistic, r in ref[f"likert_weighted_{item}"].items():
        row = _likert_row(table, item, statistic)
        _close([row["estimate"], row["se"]], [r["estimate"], r["se"]])
        if r["ci_low"] is not None:
            _close(row["ci_low"], r["ci_low"])
            _close(row["ci_high"], min(r["ci_high"], 1.0) if statistic == "net" else r["ci_high"])


def test_unweighted_likert_with_a_missing_answer_matches_svymean(likert_data, ref):
    """Unweighted mean of sat_a (one missing): svymean(na.rm = TRUE) on the equal-weight
    design and a t interval on 6 df -- not t.test, whose variance uses n - 1 = 6."""
    row = _likert_row(analysis.likert(likert_data, ["sat_a"]), "sat_a", "mean")
    r = ref["likert_unweighted_sat_a"]
    _close([row["estimate"], row["se"]], [r["mean"], r["mean_se"]])
    _close([row["ci_low"], row["ci_high"]], r["mean_svy_ci"])


def test_unweighted_likert_shares_match_prop_test(likert_data, ref):
    """Top-2 (6 of 7) and bottom-2 (0 of 7) Wilson intervals equal prop.test(correct = FALSE)."""
    table = analysis.likert(likert_data, ["sat_a"])
    r = ref["likert_unweighted_sat_a"]
    top, bottom = _likert_row(table, "sat_a", "top2"), _likert_row(table, "sat_a", "bottom2")
    _close([top["ci_low"], top["ci_high"]], r["top2_ci"])
    _close([bottom["ci_low"], bottom["ci_high"]], r["bottom2_ci"])


def test_unweighted_constant_likert_item_where_t_test_stops(likert_data, ref):
    """Everyone answers 3: t.test stops ("data are essentially constant"); we give 3
    with the point interval [3, 3], and the top-2 Wilson interval of prop.test(0, 8)."""
    table = analysis.likert(likert_data, ["sat_b"])
    r = ref["likert_unweighted_sat_b"]
    assert "constant" in r["mean_ci"]["error"]
    mean = _likert_row(table, "sat_b", "mean")
    assert (mean["estimate"], mean["se"], mean["ci_low"], mean["ci_high"]) == (3, 0, 3, 3)
    top = _likert_row(table, "sat_b", "top2")
    _close([top["ci_low"], top["ci_high"]], r["top2_ci"])


def test_likert_distribution_with_unused_levels_matches_r(likert_data, ref):
    """Every level of sat_a, unused ones as 0 with se 0: shares, SEs and logit intervals
    equal svymean / svyciprop on the domain."""
    table = analysis.likert_distribution(likert_data, ["sat_a"], weights="w", strata="s")
    r = ref["likert_distribution_sat_a"]
    assert table["category"].astype(str).tolist() == r["category"]
    _close(table["estimate"], r["estimate"])
    _close(table["se"], r["se"])
    _close(table["ci_low"].iloc[2:], r["ci_low"][2:])
    _close(table["ci_high"].iloc[2:], r["ci_high"][2:])


@pytest.mark.parametrize("column, case", [("rec", "nps_all_promoters"),
                                          ("rec2", "nps_no_promoter")])
def test_weighted_nps_edge_cases_match_r(likert_data, ref, column, case):
    """All promoters (100, se 0, [100, 100]) and no promoter: score, SE and interval
    equal svymean of +100 / 0 / -100 on the stratified design."""
    row = analysis.nps(likert_data, column, weights="w", strata="s").iloc[0]
    r = ref[case]
    _close([row["estimate"], row["se"], row["ci_low"], row["ci_high"]],
           [r["estimate"], r["se"], r["ci_low"], r["ci_high"]])


# ------------------------------------------------------------------ Cronbach's alpha
@pytest.fixture(scope="module")
def alpha_data() -> pd.DataFrame:
    """i1, i2; i3 constant; i4 with one missing value."""
    return pd.read_csv(FOLDER / "alpha.csv")


def test_alpha_of_two_items_matches_psych(alpha_data, ref):
    """Two items: alpha, Feldt interval and r.drop equal psych::alpha."""
    ours = analysis.cronbach_alpha(alpha_data, ["i1", "i2"])
    r = ref["alpha_two_items"]
    _close(ours[["alpha", "ci_low", "ci_high"]].iloc[0], [r["alpha"], r["ci_low"], r["ci_high"]])
    _close(ours["item_total_r"].iloc[1:], r["item_total_r"])


def test_alpha_if_deleted_of_two_items_is_nan_not_psychs_correlation(alpha_data, ref):
    """Dropping one of two items leaves one item, whose alpha is undefined (k / (k - 1));
    psych reports the inter-item correlation there, we NaN."""
    ours = analysis.cronbach_alpha(alpha_data, ["i1", "i2"])
    assert ours["alpha_if_deleted"].iloc[1:].isna().all()
    _close(ref["alpha_two_items"]["alpha_if_deleted"], ref["alpha_two_items"]["item_total_r"])


def test_alpha_keeps_a_constant_item_that_psych_deletes(alpha_data, ref):
    """psych::alpha drops a constant item (delete = TRUE; with delete = FALSE it stops);
    we keep it: alpha = 3/2 (1 - sum var / var total) = 3/4 of the two-item alpha, and
    the alpha without it equals psych's."""
    ours = analysis.cronbach_alpha(alpha_data, ["i1", "i2", "i3"])
    assert "error" in ref["alpha_constant_item_kept"]
    assert ref["alpha_constant_item"]["items"] == ["i1", "i2"]
    _close(ours["alpha"].iloc[0], 0.75 * ref["alpha_constant_item"]["alpha"])
    _close(ours["alpha_if_deleted"].iloc[3], ref["alpha_constant_item"]["alpha"])
    assert np.isnan(ours["item_total_r"].iloc[3])


def test_alpha_with_missing_values_matches_psych_on_complete_cases(alpha_data, ref):
    """A missing value: alpha, Feldt interval, alpha.drop and r.drop equal psych::alpha
    on na.omit(data), not psych's pairwise default (documented in cronbach_alpha)."""
    ours = analysis.cronbach_alpha(alpha_data, ["i1", "i2", "i4"])
    r = ref["alpha_missing_complete"]
    _close(ours[["alpha", "ci_low", "ci_high"]].iloc[0], [r["alpha"], r["ci_low"], r["ci_high"]])
    _close(ours["alpha_if_deleted"].iloc[1:], r["alpha_if_deleted"])
    _close(ours["item_total_r"].iloc[1:], r["item_total_r"])
    # psych's pairwise default differs, and gives an r.drop above 1 on this data
    assert abs(ours["alpha"].iloc[0] - ref["alpha_missing_pairwise"]["alpha"]) > 0.01
    assert max(ref["alpha_missing_pairwise"]["item_total_r"]) > 1


def test_alpha_of_constant_items_is_nan_with_a_note(alpha_data, ref):
    """Every item constant: psych stops; we give NaN and say why."""
    ours = analysis.cronbach_alpha(alpha_data.assign(i5=3), ["i3", "i5"])
    assert "error" in ref["alpha_all_constant"]
    assert np.isnan(ours["alpha"].iloc[0]) and "does not vary" in ours["note"].iloc[0]


# ------------------------------------------------------------------ Kaplan-Meier
KM_CASES = ["all_censored", "same_time", "tie_event_censor", "single_event",
            "single_censored", "never_half"]


@pytest.mark.parametrize("case", KM_CASES)
@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_kaplan_meier_edge_cases_match_survfit(ref, case, conf_type):
    """Counts, survival, Greenwood SE and interval equal summary(survfit(...),
    censored = TRUE), NA where R gives NA (survival 0, or 1 on the log-log scale)."""
    data = _case(f"km:{case}")
    ours = analysis.kaplan_meier(data["time"], data["status"], conf_type=conf_type)
    r = ref[f"km_{case}_{conf_type}"]
    for column in ("time", "at_risk", "events", "survival", "se", "ci_low", "ci_high"):
        _close(ours[column], r[column])


@pytest.mark.parametrize("case", KM_CASES)
def test_survival_quantiles_edge_cases_match_r(ref, case):
    """Quartiles and Brookmeyer-Crowley bounds equal quantile(survfit(...)), NA where
    the curve (or a bound) never reaches the level, e.g. no median when 80 % stay."""
    data = _case(f"km:{case}")
    ours = analysis.survival_quantiles(data["time"], data["status"])
    r = ref[f"quantiles_{case}"]
    for column in ("estimate", "ci_low", "ci_high"):
        _close(ours[column], r[column])


@pytest.mark.parametrize("case", ["same_time", "tie_event_censor", "never_half", "lonely"])
def test_design_kaplan_meier_edge_cases_match_svykm(ref, case):
    """Survival and sqrt(varlog) equal svykm(se = TRUE) at R's event times (R lists tied
    events one by one: its last row per time is the curve's value)."""
    if case == "lonely":
        data = pd.read_csv(FOLDER / "svykm.csv")
        ours = analysis.design_kaplan_meier(data, "time", "status", weights="w", strata="s")
    else:
        ours = analysis.design_kaplan_meier(_case(f"km:{case}"), "time", "status")
    r = pd.DataFrame({k: _numbers(v) for k, v in ref[f"svykm_{case}"].items()})
    r = r.groupby("time").last()
    mine = ours.set_index("time").loc[r.index]
    _close(mine["survival"], r["survival"])
    _close(mine["se"] / mine["survival"], r["se"], atol=1e-8)


def test_design_kaplan_meier_all_censored_where_svykm_fails(ref):
    """Nobody leaves: R's svykm stops ("subscript out of bounds"); the curve is 1 with
    se 0, as survfit's."""
    assert "subscript" in ref["svykm_all_censored"]["error"]
    ours = analysis.design_kaplan_meier(_case("km:all_censored"), "time", "status")
    assert (ours["survival"] == 1).all() and (ours["se"] == 0).all()


def test_design_kaplan_meier_single_respondent_where_r_refuses_the_design(ref):
    """One respondent: R's svydesign refuses one PSU; we give exp(-1) with se 0, the
    lonely-stratum rule (certainty)."""
    assert "one primary sampling unit" in ref["svykm_single_event"]["error"]
    ours = analysis.design_kaplan_meier(_case("km:single_event"), "time", "status")
    _close([ours["survival"].iloc[0], ours["se"].iloc[0]], [np.exp(-1), 0.0])


# ------------------------------------------------------------------ log-rank
@pytest.mark.parametrize("case", ["one_event", "no_event", "empty_level", "group_of_one"])
def test_logrank_edge_cases_match_survdiff(ref, case):
    """Statistic, df and p-value equal survdiff (df as print.survdiff: groups with
    expected events, minus 1; no event at all gives chisq 0 on -1 df, p NA)."""
    data = _case(f"logrank:{case}")
    groups = data["group"]
    if case == "empty_level":
        groups = pd.Categorical(groups, categories=["a", "b", "c"])
    ours = analysis.logrank(data["time"], data["status"], groups).iloc[0]
    r = ref[f"logrank_{case}"]
    _close([ours["statistic"], ours["df"], ours["p_value"]],
           [r["statistic"], r["df"], r["p_value"]])


def test_logrank_with_one_group_raises():
    """A single group: a SurveyError saying two groups are needed."""
    with pytest.raises(SurveyError, match="two groups"):
        analysis.logrank([1, 2, 3], [1, 0, 1], ["a", "a", "a"])


# ------------------------------------------------------------------ Turnbull
@pytest.mark.parametrize("case", ["identical", "open_ended", "open_mixed", "single"])
def test_turnbull_edge_cases_match_r(ref, case):
    """Identical, open-ended (upper = Inf: right-censored) and single intervals: the
    curve read at the finite bounds equals survfit(Surv(l, u, type = "interval2"))."""
    data = _case(f"turnbull:{case}")
    upper = data["upper"].fillna(np.inf)
    ours = analysis.turnbull(data["lower"], upper)
    r = ref[f"turnbull_{case}"]
    times = ours["time"].to_numpy()
    at = [ours["survival"].iloc[np.searchsorted(times, t, side="right") - 1]
          if t >= times[0] else 1.0 for t in r["time"]]
    _close(at, r["survival"])


# ------------------------------------------------------------------ group comparisons
def test_kruskal_with_a_group_of_one_matches_r(group_data, ref):
    """compare_groups: H, df and p equal kruskal.test with a one-answer group."""
    row = analysis.compare_groups(group_data, "sat", "grp").iloc[0]
    r = ref["kruskal_group_of_one"]
    _close([row["statistic"], row["df"], row["p_value"]], [r["statistic"], r["df"], r["p_value"]])


def test_kruskal_with_identical_answers_is_nan_as_r(group_data, ref):
    """Every answer the same: kruskal.test gives NaN; so do we, with a note."""
    row = analysis.compare_groups(group_data, "same", "grp").iloc[0]
    assert ref["kruskal_all_same"]["p_value"] is None
    assert np.isnan(row["statistic"]) and np.isnan(row["p_value"])


def test_mann_whitney_with_a_group_of_one_matches_r(group_data, ref):
    """compare_groups: U and p equal wilcox.test (normal, continuity-corrected: ties)."""
    row = analysis.compare_groups(group_data, "sat", "grp2").iloc[0]
    r = ref["wilcoxon_group_of_one"]
    _close([row["statistic"], row["p_value"]], [r["statistic"], r["p_value"]])


def test_mann_whitney_with_identical_answers_has_no_p_value_as_r(group_data, ref):
    """Every answer the same: wilcox.test gives W = 3.5 and p NA; so do we (scipy's p
    of 1 is replaced), as Kruskal-Wallis does, with a note."""
    row = analysis.compare_groups(group_data, "same", "grp2").iloc[0]
    r = ref["wilcoxon_all_same"]
    assert r["p_value"] is None
    _close(row["statistic"], r["statistic"])
    assert np.isnan(row["p_value"]) and "undefined" in row["method"]


def _test_of(table, variable):
    return table[table["variable"] == variable].iloc[0]


def test_profile_fisher_with_a_zero_row_and_a_group_of_one_matches_r(group_data, ref):
    """Unweighted cat by grp2: chisq.test gives NaN on the table with the unused
    category; we drop it and use Fisher's exact test, p equal to fisher.test (with or
    without the zero row)."""
    row = _test_of(analysis.profile(group_data, ["cat"], by="grp2"), "cat")
    assert ref["chisq_zero_row"]["statistic"] is None
    assert row["test"] == "fisher_exact"
    _close(row["p_value"], ref["fisher_zero_row_2groups"]["p_value"])
    _close(row["p_value"], ref["fisher_2x2"]["p_value"])


def test_profile_monte_carlo_fisher_with_a_zero_row_is_near_r_exact(group_data, ref):
    """cat by grp (2 x 3 once the zero row is dropped): the Monte-Carlo p is within its
    sampling error of fisher.test's exact p."""
    row = _test_of(analysis.profile(group_data, ["cat"], by="grp"), "cat")
    assert row["test"] == "fisher_monte_carlo"
    assert abs(row["p_value"] - ref["fisher_zero_row_3groups"]["p_value"]) < 0.02


def test_profile_kruskal_with_a_group_of_one_matches_r(group_data, ref):
    """Unweighted x by grp2 (a group of one): kruskal.test's H, df and p."""
    row = _test_of(analysis.profile(group_data, ["x"], by="grp2"), "x")
    r = ref["kruskal_x_group_of_one"]
    _close([row["test_statistic"], row["df"], row["p_value"]],
           [r["statistic"], r["df"], r["p_value"]])


def test_rao_scott_with_an_unused_category_matches_r_without_it(group_data, ref):
    """Weighted cat by grp2: svychisq gives NaN with the empty level kept; ours equals
    svychisq once the level is dropped (F, df, ddf, p)."""
    row = _test_of(analysis.profile(group_data, ["cat"], by="grp2", weights="w"), "cat")
    assert ref["rao_scott_zero_row"]["statistic"] is None
    r = ref["rao_scott_dropped_row"]
    _close([row["test_statistic"], row["df"], row["df_denominator"], row["p_value"]],
           [r["statistic"], r["df"], r["df_denominator"], r["p_value"]])


def test_rao_scott_with_a_group_of_one_matches_r(group_data, ref):
    """Weighted cat by grp (a group of one): svychisq(statistic = "F")."""
    row = _test_of(analysis.profile(group_data, ["cat"], by="grp", weights="w"), "cat")
    r = ref["rao_scott_3groups"]
    _close([row["test_statistic"], row["df"], row["df_denominator"], row["p_value"]],
           [r["statistic"], r["df"], r["df_denominator"], r["p_value"]])


@pytest.mark.parametrize("by, case", [("grp2", "wald_group_of_one"), ("grp", "wald_3groups")])
def test_design_wald_with_a_group_of_one_matches_r(group_data, ref, by, case):
    """Weighted x by a grouping with a group of one: regTermTest(svyglm(x ~ g), ~g)."""
    row = _test_of(analysis.profile(group_data, ["x"], by=by, weights="w"), "x")
    r = ref[case]
    _close([row["test_statistic"], row["df"], row["df_denominator"], row["p_value"]],
           [r["statistic"], r["df"], r["df_denominator"], r["p_value"]])


# ------------------------------------------------------------------ before / after
@pytest.fixture(scope="module")
def waves() -> pd.DataFrame:
    """Five respondents in two waves: sat unchanged for all, sat2 changed for one."""
    return pd.read_csv(FOLDER / "before_after.csv")


def test_wilcoxon_with_all_differences_zero_is_nan_as_r(waves, ref):
    """Every difference 0: wilcox.test(paired) gives p NA; we NaN with a note."""
    row = analysis.before_after(waves, "sat", scale=[1, 2, 3, 4, 5]).iloc[0]
    assert ref["wilcoxon_paired_all_zero"]["p_value"] is None
    assert row["test"] == "wilcoxon" and np.isnan(row["p_value"]) and "undefined" in row["method"]


def test_wilcoxon_with_one_nonzero_difference_matches_r(waves, ref):
    """One difference: p equals wilcox.test(paired)'s 1 (R's V is T+ = 1; scipy's
    statistic, min(T+, T-), is 0)."""
    row = analysis.before_after(waves, "sat2", scale=[1, 2, 3, 4, 5]).iloc[0]
    _close(row["p_value"], ref["wilcoxon_paired_one_nonzero"]["p_value"])
    assert row["statistic"] == 0 and ref["wilcoxon_paired_one_nonzero"]["statistic"] == 1


def test_mcnemar_without_discordant_pairs_is_nan_as_r(waves, ref):
    """Nobody moves in or out of the top-2-box: mcnemar.test gives NaN; so do we."""
    row = analysis.before_after(waves, "sat", scale=[1, 2, 3, 4, 5]).iloc[1]
    assert ref["mcnemar_no_discordant"]["statistic"] is None
    assert row["test"] == "mcnemar" and np.isnan(row["p_value"])


def test_independent_identical_waves_match_r(waves, ref):
    """Two waves with the same answers, unpaired: Mann-Whitney U and p, and Fisher's p,
    equal wilcox.test and fisher.test."""
    table = analysis.before_after(waves, "sat", scale=[1, 2, 3, 4, 5], pairing="independent")
    r = ref["mann_whitney_identical_waves"]
    _close(table[["statistic", "p_value"]].iloc[0], [r["statistic"], r["p_value"]])
    _close(table["p_value"].iloc[1], ref["fisher_identical_waves"]["p_value"])
