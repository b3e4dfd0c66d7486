"""Design-based proportions, means and quantiles against R survey 4.1 (fixtures/survey)."""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import design_effect, effective_n, mean, proportion, quantile
from surveys.errors import SurveyError

# The designs of make_reference.R, as bilan arguments:
#   srs                  svydesign(ids = ~1, data = d)
#   weights              svydesign(ids = ~1, weights = ~w, data = d)
#   fpc                  svydesign(ids = ~1, fpc = ~Ntot, data = d)           (Ntot = 2000)
#   fpc_weights          svydesign(ids = ~1, weights = ~w, fpc = ~Ntot, data = d)
#   strata_fpc           svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~N, data = d)
#   strata_fpc_noweights svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data = d)
#   strata_weights       svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d)
#   lonely               svydesign(ids = ~1, strata = ~stratum_lonely, weights = ~w, data = d)
#                        (stratum "D" holds one respondent;
#                        options(survey.lonely.psu = "certainty"))
DESIGNS = {
    "srs": {},
    "weights": {"weights": "w"},
    "fpc": {"population": 2000},
    "fpc_weights": {"weights": "w", "population": 2000},
    "strata_fpc": {"weights": "w", "strata": "stratum", "population": "N"},
    "strata_fpc_noweights": {"strata": "stratum", "population": "N"},
    "strata_weights": {"weights": "w", "strata": "stratum"},
    "lonely": {"weights": "w", "strata": "stratum_lonely"},
}
RTOL = 1e-8


FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "survey"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The 150 respondents make_reference.R wrote, typed as Survey.data would be."""
    data = pd.read_csv(FOLDER / "survey.csv")
    data["answer"] = pd.Categorical(data["answer"], categories=["a", "b", "c", "d"])
    data["flag"] = data["flag"].astype("boolean")
    return data


@pytest.fixture(scope="module")
def reference(read_reference) -> pd.DataFrame:
    """R's values (reference.csv: one row per design, variable, group, category, statistic)."""
    return read_reference(FOLDER / "reference.csv")


def _rows(reference, design, variable, statistic, overall):
    rows = reference[(reference.design == design) & (reference.variable == variable)
                     & (reference.statistic == statistic)]
    rows = rows[rows.group == ""] if overall else rows[rows.group != ""]
    assert len(rows) > 0
    return rows


def _category(variable, text):
    return (text == "TRUE") if variable == "flag" else text


def _merge_proportions(ours, rows, variable, by):
    ours = ours.assign(key=ours["category"].astype(object).astype(str))
    rows = rows.assign(key=rows["category"].map(lambda c: str(_category(variable, c))))
    on = ["key"] + (["group"] if by else [])
    merged = rows.merge(ours, on=on, suffixes=("_r", ""), how="left")
    assert len(merged) == len(rows) and merged["estimate"].notna().all()
    return merged


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("variable", ["answer", "flag"])
def test_proportion_equals_svymean(data, reference, design, variable):
    """Shares and SEs equal svymean(~v, design, na.rm = TRUE) for every design."""
    rows = _rows(reference, design, variable, "mean", overall=True)
    ours = proportion(data, variable, **DESIGNS[design])
    merged = _merge_proportions(ours, rows, variable, False)
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("variable", ["answer", "flag"])
def test_proportion_by_equals_svyby(data, reference, design, variable):
    """Domain shares and SEs equal svyby(~v, ~group, design, svymean, na.rm = TRUE)."""
    rows = _rows(reference, design, variable, "mean", overall=False)
    ours = proportion(data, variable, by="group", **DESIGNS[design])
    merged = _merge_proportions(ours, rows, variable, True)
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("method", ["logit", "beta", "logit90"])
def test_proportion_intervals_equal_svyciprop(data, reference, design, method):
    """Logit and Korn-Graubard bounds equal svyciprop on the design subset to the base."""
    level = 0.90 if method == "logit90" else 0.95
    for variable in ("answer", "flag"):
        rows = reference[(reference.design == design) & (reference.variable == variable)
                         & (reference.statistic == method)]
        overall = proportion(data, variable, ci=method[:5], level=level, **DESIGNS[design])
        by = proportion(data, variable, by="group", ci=method[:5], level=level, **DESIGNS[design])
        ours = pd.concat([overall.assign(group=""), by.astype({"group": str})])
        merged = _merge_proportions(ours, rows, variable, True)
        assert (merged["method"] == method[:5]).all()
        np.testing.assert_allclose(merged["ci_low"], merged["ci_low_r"], rtol=RTOL)
        np.testing.assert_allclose(merged["ci_high"], merged["ci_high_r"], rtol=RTOL)


def test_logit_interval_near_svyciprop_itself(data, reference):
    """svyciprop's own logit bounds (glm stopped at its 1e-8 deviance tolerance) agree to 1e-6."""
    rows = reference[reference.statistic == "logit_svyciprop"]
    for design, kwargs in DESIGNS.items():
        ours = proportion(data, "answer", by="group", ci="logit", **kwargs).astype({"group": str})
        part = rows[(rows.design == design) & (rows.variable == "answer") & (rows.group != "")]
        merged = _merge_proportions(ours, part, "answer", True)
        np.testing.assert_allclose(merged["ci_low"], merged["ci_low_r"], rtol=1e-6)
        np.testing.assert_allclose(merged["ci_high"], merged["ci_high_r"], rtol=1e-6)


@pytest.mark.parametrize("design", DESIGNS)
def test_mean_equals_svymean_and_confint(data, reference, design):
    """Means, SEs and t intervals equal svymean/svyby and confint(df = degf) of R."""
    rows = reference[(reference.design == design) & (reference.variable == "x")]
    overall = mean(data, "x", **DESIGNS[design]).assign(group="")
    by = mean(data, "x", by="group", **DESIGNS[design]).astype({"group": str})
    merged = rows.merge(pd.concat([overall, by]), on="group", suffixes=("_r", ""))
    assert len(merged) == len(rows) == 6
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], rtol=RTOL, atol=1e-12)


def _quantile_table(data, design, variable):
    overall = quantile(data, variable, **DESIGNS[design]).assign(group="")
    by = quantile(data, variable, by="group", **DESIGNS[design]).astype({"group": str})
    return pd.concat([overall, by])


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("variable", ["y", "days"])
def test_quantile_equals_svyquantile(data, reference, design, variable):
    """Quantiles and Woodruff bounds equal svyquantile (qrule "math", interval "mean")."""
    rows = reference[(reference.design == design) & (reference.variable == variable)
                     & (reference.statistic == "quantile")]
    merged = rows.merge(_quantile_table(data, design, variable), on=["group", "q"],
                        suffixes=("_r", ""))
    assert len(merged) == len(rows) > 0
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL)
    defined = merged["ci_low_r"].notna() & merged["ci_high_r"].notna()
    for column in ("ci_low", "ci_high", "se"):
        np.testing.assert_allclose(merged.loc[defined, column],
                                   merged.loc[defined, f"{column}_r"], rtol=RTOL)


def test_quantile_bound_beyond_range_is_the_extreme_value(data, reference):
    """Where R's Woodruff bound is NaN (share bound past 1), ours is the group's largest value."""
    rows = reference[(reference.statistic == "quantile") & reference.ci_high.isna()]
    assert len(rows) > 0
    for row in rows.itertuples():
        ours = _quantile_table(data, row.design, row.variable)
        ours = ours[(ours.group == row.group) & (ours.q == row.q)].iloc[0]
        members = data if row.group == "" else data[data.group == row.group]
        values = members[row.variable]
        assert ours["ci_high"] == values.max()
        assert np.isfinite(ours["se"])


def test_quantile_equals_r_default_rule_where_rules_agree(data, reference):
    """Against R's unmodified qrule_math: equal wherever R's fallback quirk does not apply."""
    fixed = reference[reference.statistic == "quantile"].reset_index(drop=True)
    default = reference[reference.statistic == "quantile_r"].reset_index(drop=True)
    same = np.isclose(fixed["estimate"], default["estimate"]) & np.isclose(
        fixed["ci_low"], default["ci_low"], equal_nan=True)
    assert same.sum() > 0.9 * len(same)
    rows = default[same & default.ci_high.notna()]
    for (design, variable), part in rows.groupby(["design", "variable"]):
        merged = part.merge(_quantile_table(data, design, variable), on=["group", "q"],
                            suffixes=("_r", ""))
        assert len(merged) == len(part)
        np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL)
        np.testing.assert_allclose(merged["ci_low"], merged["ci_low_r"], rtol=RTOL)


def test_subgroup_alone_equals_its_row_of_by(data):
    """A domain flagged by its own indicator equals the same row of by= (full design both ways)."""
    kwargs = DESIGNS["strata_fpc"]
    flagged = data.assign(in_g2=data["group"] == "g2")
    alone = proportion(flagged, "answer", by="in_g2", **kwargs)
    alone = alone[alone["in_g2"]].reset_index(drop=True)
    row = proportion(data, "answer", by="group", **kwargs)
    row = row[row["group"] == "g2"].reset_index(drop=True)
    columns = ["n", "count", "estimate", "se", "ci_low", "ci_high", "missing", "deff"]
    pd.testing.assert_frame_equal(alone[columns], row[columns], rtol=1e-12)


def test_mean_subgroup_alone_equals_its_row_of_by(data):
    """The same two routes agree for means."""
    flagged = data.assign(in_g3=data["group"] == "g3")
    alone = mean(flagged, "x", by="in_g3", **DESIGNS["strata_weights"])
    alone = alone[alone["in_g3"]].reset_index(drop=True)
    row = mean(data, "x", by="group", **DESIGNS["strata_weights"])
    row = row[row["group"] == "g3"].reset_index(drop=True)
    columns = ["n", "estimate", "se", "ci_low", "ci_high", "missing"]
    pd.testing.assert_frame_equal(alone[columns], row[columns], rtol=1e-12)


def test_proportion_columns_follow_the_contract(data):
    """Columns: by, category, n, count, estimate, se, ci_low, ci_high, method and base stats."""
    out = proportion(data, "answer", by="group", weights="w")
    assert list(out.columns) == [
        "group", "category", "n", "count", "estimate", "se", "ci_low", "ci_high", "method",
        "weighted_n", "deff", "n_effective", "missing"]
    assert len(out) == 5 * 4


def test_unused_category_is_zero_with_an_interval(data):
    """The never-used level 'd' is reported as 0 with a finite interval [0, upper]."""
    for ci in ("auto", "wilson", "clopper-pearson", "logit", "beta"):
        out = proportion(data, "answer", weights="w", ci=ci).set_index("category")
        row = out.loc["d"]
        assert (row["count"], row["estimate"], row["se"], row["ci_low"]) == (0, 0.0, 0.0, 0.0)
        assert 0 < row["ci_high"] < 0.1


def test_auto_is_wilson_unweighted_and_logit_weighted(data):
    """ci="auto": Wilson without a design, logit with weights (beta where p is 0)."""
    assert set(proportion(data, "answer")["method"]) == {"wilson"}
    weighted = proportion(data, "answer", weights="w").set_index("category")["method"]
    assert weighted.to_dict() == {"a": "logit", "b": "logit", "c": "logit", "d": "beta"}


def test_wilson_unweighted_uses_the_binomial_n(data):
    """Unweighted Wilson bounds are the textbook formula on the count and the base n."""
    from statsmodels.stats.proportion import proportion_confint

    out = proportion(data, "answer")
    low, high = proportion_confint(out["count"], out["n"], alpha=0.05, method="wilson")
    np.testing.assert_allclose(out["ci_low"], low, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(out["ci_high"], high, rtol=1e-10)


def test_unweighted_se_is_binomial_with_n_minus_one():
    """Unweighted, the SE is sqrt(p (1 - p) / (n - 1)), as R's svymean."""
    df = pd.DataFrame({"v": ["x"] * 3 + ["y"] * 7})
    out = proportion(df, "v").set_index("category")
    assert out.loc["x", "se"] == pytest.approx(np.sqrt(0.3 * 0.7 / 9), rel=1e-12)


def test_one_category_only():
    """A column with a single answer gives one row at 100 % with a proper interval."""
    df = pd.DataFrame({"v": ["yes"] * 12, "w": np.linspace(1, 3, 12)})
    for kwargs in ({}, {"weights": "w"}):
        out = proportion(df, "v", **kwargs)
        assert len(out) == 1
        row = out.iloc[0]
        assert (row["estimate"], row["se"], row["ci_high"]) == (1.0, 0.0, 1.0)
        assert 0.6 < row["ci_low"] < 1.0


def test_hundred_percent_interval_is_clopper_pearson_unweighted_beta():
    """At 100 %, "beta" on unweighted data is the exact interval of n out of n."""
    from statsmodels.stats.proportion import proportion_confint

    df = pd.DataFrame({"v": pd.Categorical(["a"] * 15, categories=["a", "b"])})
    out = proportion(df, "v", ci="beta").set_index("category")
    low, high = proportion_confint(15, 15, alpha=0.05, method="beta")
    assert out.loc["a", ["ci_low", "ci_high"]].tolist() == pytest.approx([low, 1.0])
    assert out.loc["b", ["ci_low", "ci_high"]].tolist() == pytest.approx([0.0, 1 - low])


def test_group_of_one(data):
    """A group with one respondent: 100 % / 0 %, SE 0, finite bounds within [0, 1]."""
    out = proportion(data, "answer", by="group", weights="w")
    solo = out[out["group"] == "g5"]
    assert solo["n"].tolist() == [1] * 4
    assert sorted(solo["estimate"].tolist()) == [0.0, 0.0, 0.0, 1.0]
    assert (solo["se"] == 0).all()
    assert solo[["ci_low", "ci_high"]].notna().all().all()
    assert ((solo["ci_low"] >= 0) & (solo["ci_high"] <= 1)).all()
    m = mean(data, "x", by="group", weights="w").set_index("group").loc["g5"]
    assert (m["n"], m["se"]) == (1, 0.0)


def test_equal_weights_equal_unweighted(data):
    """Weights all equal (any value) give the unweighted estimates, SEs and Wilson bounds."""
    scaled = data.assign(same=3.7)
    columns = ["category", "n", "count", "estimate", "se", "ci_low", "ci_high", "method"]
    pd.testing.assert_frame_equal(proportion(scaled, "answer", by="group", weights="same")[columns],
                                  proportion(data, "answer", by="group")[columns], rtol=1e-12)
    a, b = mean(scaled, "x", weights="same"), mean(data, "x")
    np.testing.assert_allclose(a[["estimate", "se", "ci_low", "ci_high", "deff"]],
                               b[["estimate", "se", "ci_low", "ci_high", "deff"]], rtol=1e-12)


def test_missing_answers_are_excluded_and_counted(data):
    """Respondents without an answer are out of the base and counted in `missing`."""
    out = proportion(data, "answer", by="group")
    for group, rows in out.groupby("group", observed=True):
        members = data[data["group"] == group]
        assert rows["missing"].iloc[0] == members["answer"].isna().sum()
        assert rows["n"].iloc[0] == members["answer"].notna().sum()
        assert rows["estimate"].sum() == pytest.approx(1.0)
    assert mean(data, "x")["missing"].iloc[0] == data["x"].isna().sum() == 6


def test_boolean_categories_are_false_and_true(data):
    """A boolean column gives categories False and True."""
    out = proportion(data, "flag", weights="w")
    assert out["category"].tolist() == [False, True]
    assert out["n"].iloc[0] == data["flag"].notna().sum()


def test_kish_design_effect_and_effective_n(data):
    """deff and n_effective of the base follow Kish's formulas on the base weights."""
    out = proportion(data, "answer", weights="w").iloc[0]
    w = data.loc[data["answer"].notna(), "w"]
    assert out["deff"] == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2, rel=1e-12)
    assert out["n_effective"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    assert out["weighted_n"] == pytest.approx(w.sum(), rel=1e-12)
    assert design_effect(w) == pytest.approx(out["deff"], rel=1e-12)
    assert effective_n(w) == pytest.approx(out["n_effective"], rel=1e-12)


def test_design_effect_of_equal_weights_is_one():
    """Equal weights: deff 1 and effective n = n."""
    assert design_effect([2.0] * 8) == pytest.approx(1.0)
    assert effective_n([2.0] * 8) == pytest.approx(8.0)


def test_accepts_a_survey_object(data):
    """Anything with a .data DataFrame (a Survey) is accepted."""
    survey = types.SimpleNamespace(data=data)
    pd.testing.assert_frame_equal(proportion(survey, "answer"), proportion(data, "answer"))


def test_weights_may_be_a_series(data):
    """Weights given as a Series aligned with the rows equal the column route."""
    pd.testing.assert_frame_equal(proportion(data, "answer", weights=data["w"]),
                                  proportion(data, "answer", weights="w"))


def test_mean_of_likert_categories():
    """An ordered Categorical with numeric categories is averaged on its values."""
    df = pd.DataFrame({"sat": pd.Categorical([1, 2, 5, None], categories=[1, 2, 3, 4, 5],
                                             ordered=True)})
    out = mean(df, "sat").iloc[0]
    assert (out["estimate"], out["n"], out["missing"]) == (pytest.approx(8 / 3), 3, 1)


def test_mean_of_text_is_an_error():
    """A text column is refused with a message pointing to proportion."""
    with pytest.raises(SurveyError, match="use analysis.proportion"):
        mean(pd.DataFrame({"v": pd.Categorical(["a", "b"])}), "v")


def test_unknown_column_suggests_the_close_one(data):
    """A misspelt column raises SurveyError naming the close one."""
    with pytest.raises(SurveyError, match="Did you mean 'answer'"):
        proportion(data, "answr")


def test_unknown_ci_lists_the_options(data):
    """An unknown interval method lists the allowed ones."""
    with pytest.raises(SurveyError, match="'wilson'"):
        proportion(data, "answer", ci="normal")


def test_level_outside_zero_one_is_an_error(data):
    """level must be a fraction."""
    with pytest.raises(SurveyError, match="level=95"):
        mean(data, "x", level=95)


def test_population_smaller_than_sample_is_an_error(data):
    """A population below the number of respondents is refused."""
    with pytest.raises(SurveyError, match="smaller than the number of respondents"):
        proportion(data, "answer", population=100)


def test_single_population_with_strata_is_an_error(data):
    """A single population number with strata asks for a column."""
    with pytest.raises(SurveyError, match="column holding each stratum"):
        proportion(data, "answer", strata="stratum", population=2000)


def test_population_varying_within_stratum_is_an_error(data):
    """The population column must be constant within a stratum."""
    with pytest.raises(SurveyError, match="varies within a stratum"):
        mean(data.assign(N=data["N"] + np.arange(len(data))), "x", strata="stratum",
             population="N")


def test_negative_weights_are_an_error(data):
    """Negative or missing weights are refused, naming the column."""
    with pytest.raises(SurveyError, match="weights column 'w'"):
        mean(data.assign(w=-data["w"]), "x", weights="w")


def test_quantile_probabilities_must_be_fractions(data):
    """q outside [0, 1] is refused."""
    with pytest.raises(SurveyError, match="between 0 and 1"):
        quantile(data, "y", q=50)


def test_no_warning_on_degenerate_input():
    """Empty bases and 0 % / 100 % rows compute without any warning (filterwarnings=error)."""
    df = pd.DataFrame({"v": pd.Categorical(["a", None, None], categories=["a", "b"]),
                       "g": ["x", "y", "y"], "w": [1.0, 2.0, 3.0]})
    out = proportion(df, "v", by="g", weights="w", ci="logit")
    assert out.loc[out["g"] == "y", "n"].tolist() == [0, 0]
    assert out.loc[out["g"] == "y", "missing"].tolist() == [2, 2]
    assert quantile(df.assign(x=[1.0, None, None]), "x", by="g")["n"].tolist() == [1] * 3 + [0] * 3


def test_missing_by_value_leaves_the_groups_not_the_design(data):
    """Respondents without a group are in no group but still count in the design (n_h)."""
    holed = data.assign(group=data["group"].where(data.index >= 10))
    out = proportion(holed, "answer", by="group", strata="stratum", weights="w")
    assert out.groupby("group")["n"].first().sum() == holed.loc[holed["group"].notna(),
                                                                  "answer"].notna().sum()
    flagged = holed.assign(in_g1=holed["group"] == "g1")
    alone = proportion(flagged, "answer", by="in_g1", strata="stratum", weights="w")
    np.testing.assert_allclose(alone.loc[alone["in_g1"], "se"].to_numpy(),
                               out.loc[out["group"] == "g1", "se"].to_numpy(), rtol=1e-12)


def test_numeric_column_categories_are_its_sorted_values():
    """An integer column's categories are its distinct values in order."""
    df = pd.DataFrame({"days": pd.array([3, 1, 1, None, 5], dtype="Int64")})
    out = proportion(df, "days")
    assert out["category"].tolist() == [1, 3, 5]
    assert out["count"].tolist() == [2, 1, 1] and out["missing"].iloc[0] == 1


def test_mean_of_a_boolean_equals_the_share_of_true(data):
    """Two routes: mean() of a boolean and proportion() of its True category agree."""
    kwargs = DESIGNS["strata_fpc"]
    share = proportion(data, "flag", by="group", **kwargs)
    share = share[share["category"] == True].reset_index(drop=True)  # noqa: E712
    average = mean(data, "flag", by="group", **kwargs)
    np.testing.assert_allclose(average[["estimate", "se"]], share[["estimate", "se"]], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    answers=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=40),
    seed=st.integers(0, 2**16),
    ci=st.sampled_from(["auto", "wilson", "clopper-pearson", "logit", "beta"]),
)
def test_intervals_always_bracket_the_estimate(answers, seed, ci):
    """Any data, any method: finite bounds in [0, 1] around each defined estimate."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "v": pd.Categorical(answers, categories=["a", "b", "c"]),
        "g": rng.choice(["x", "y"], len(answers)),
        "s": rng.choice(["s1", "s2"], len(answers)),
        "w": rng.uniform(0.5, 3.0, len(answers)),
    })
    out = proportion(df, "v", by="g", weights="w", strata="s", ci=ci)
    defined = out[out["n"] > 0]
    assert np.isfinite(defined[["estimate", "se", "ci_low", "ci_high"]].to_numpy()).all()
    assert (defined["ci_low"] >= 0).all() and (defined["ci_high"] <= 1).all()
    assert (defined["ci_low"] <= defined["estimate"] + 1e-12).all()
    assert (defined["ci_high"] >= defined["estimate"] - 1e-12).all()


def test_unit_weights_equal_unweighted(rng):
    """Weights that are all 1 give exactly the unweighted estimates and SEs."""
    from analysis import mean, proportion, quantile

    df = pd.DataFrame({"a": rng.choice(["x", "y", "z"], 500), "v": rng.gamma(2, 3, 500),
                       "g": rng.choice(["p", "q"], 500), "one": 1.0})
    for function, column in ((proportion, "a"), (mean, "v"), (quantile, "v")):
        plain = function(df, column, by="g")
        ones = function(df, column, by="g", weights="one")
        pd.testing.assert_frame_equal(ones[["estimate", "se"]], plain[["estimate", "se"]])


def test_distinct_equals_numpy_unique(rng):
    """The hashed distinct values and codes equal np.unique(return_inverse=True)."""
    from analysis.design_estimates import _distinct

    x = np.round(rng.normal(0, 3, 10_000), 1)
    values, codes = _distinct(x)
    expected, inverse = np.unique(x, return_inverse=True)
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(codes, inverse.ravel())


def test_accurate_sums_close_to_exact(rng):
    """Blocked group sums of 200,000 values are within 1e-14 of math.fsum per group."""
    import math

    from analysis.design_estimates import _accurate_sums

    code = rng.integers(0, 3, 200_000)
    values = rng.gamma(2, 1e5, 200_000)
    got = _accurate_sums(code, values, 3)
    for g in range(3):
        exact = math.fsum(values[code == g])
        assert abs(got[g] - exact) <= 1e-14 * exact
