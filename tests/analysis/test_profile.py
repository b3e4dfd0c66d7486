"""profile(): hand counts, scipy tests unweighted, R survey's svychisq/regTermTest weighted."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis.estimation import proportion
from analysis.profile import PROFILE_COLUMNS, profile
from surveys.errors import SurveyError


FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "profile"


@pytest.fixture(scope="module")
def reference_data():
    """The data and results R wrote (tests/fixtures/profile/make_reference.R)."""
    folder = FOLDER
    data = pd.read_csv(folder / "data.csv", keep_default_na=False, na_values=[""])
    for column in ("group", "wave", "gender", "status", "band"):
        data[column] = data[column].astype("category")
    return data, pd.read_csv(folder / "reference.csv"), pd.read_csv(folder / "fisher.csv")


def _small() -> pd.DataFrame:
    """Eight respondents in two groups, with one missing gender and one missing age."""
    return pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(8)],
        "group": pd.Categorical(list("aaaabbbb")),
        "gender": pd.Categorical(["F", "F", "M", None, "M", "M", "M", "F"],
                                 categories=["F", "M", "X"]),
        "manager": pd.array([True, False, False, True, True, True, False, True], dtype="boolean"),
        "age": pd.array([30, 41, 35, None, 52, 28, 33, 47], dtype="Int64"),
        "comment": ["ok", None, "bien", None, None, "x", None, None],
        "w": [1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0, 2.0],
    })


def _pick(table, **keys):
    mask = np.ones(len(table), dtype=bool)
    for column, value in keys.items():
        mask &= (table[column] == value).to_numpy()
    assert mask.sum() == 1, keys
    return table[mask].iloc[0]


def test_columns_with_by():
    """The by columns come first, then the documented columns."""
    table = profile(_small(), ["gender"], by="group")
    assert list(table.columns) == ["group"] + PROFILE_COLUMNS


def test_category_counts_by_hand():
    """Shares by group equal hand counts; the missing gender leaves the base and is counted."""
    table = profile(_small(), ["gender"], by="group")
    row = _pick(table, group="a", category="F")
    assert (row["n"], row["count"], row["missing"]) == (3, 2, 1)
    assert row["estimate"] == pytest.approx(2 / 3)
    assert row["unweighted_share"] == pytest.approx(2 / 3)
    row = _pick(table, group="b", category="M")
    assert (row["n"], row["count"], row["estimate"]) == (4, 3, 0.75)


def test_weighted_share_beside_unweighted():
    """Weighted, the estimate is the weighted share and unweighted_share the plain one."""
    table = profile(_small(), ["manager"], by="group", weights="w")
    row = _pick(table, group="b", category=True)
    assert row["estimate"] == pytest.approx((3 + 1 + 2) / (3 + 1 + 1 + 2))
    assert row["unweighted_share"] == pytest.approx(3 / 4)


def test_share_rows_equal_proportion():
    """Each share row equals analysis.proportion on the same design (one route, two calls)."""
    data = _small()
    table = profile(data, ["gender"], by="group", weights="w")
    direct = proportion(data, "gender", by="group", weights="w")
    for _, expected in direct.iterrows():
        row = _pick(table, group=expected["group"], category=expected["category"])
        assert row[["estimate", "se", "ci_low", "ci_high"]].to_numpy(dtype=float) == \
            pytest.approx(expected[["estimate", "se", "ci_low", "ci_high"]].to_numpy(dtype=float))


def test_numeric_statistics_by_hand():
    """Mean, SD (n - 1), median and quartiles of a number equal numpy's on the answers."""
    table = profile(_small(), ["age"], by="group")
    ages = np.array([52, 28, 33, 47], dtype=float)
    rows = table[table["group"] == "b"].set_index("statistic")
    assert rows.loc["mean", "estimate"] == pytest.approx(ages.mean())
    assert rows.loc["sd", "estimate"] == pytest.approx(ages.std(ddof=1))
    # smallest value whose cumulative share reaches q (R svyquantile qrule "math")
    assert rows.loc[["q1", "median", "q3"], "estimate"].tolist() == [28.0, 33.0, 47.0]
    assert (rows["n"] == 4).all()
    group_a = table[(table["group"] == "a") & (table["statistic"] == "mean")].iloc[0]
    assert (group_a["n"], group_a["missing"]) == (3, 1)


def test_weighted_sd():
    """The weighted SD is sqrt(sum w (x - m)^2 / sum w * n / (n - 1)), as R svyvar."""
    data = _small()
    row = _pick(profile(data, ["age"], weights="w"), statistic="sd")
    keep = data["age"].notna().to_numpy()
    x, w = data["age"].to_numpy(dtype=float, na_value=np.nan)[keep], data["w"].to_numpy()[keep]
    m = np.average(x, weights=w)
    assert row["estimate"] == pytest.approx(np.sqrt(np.sum(w * (x - m) ** 2) / w.sum() * 7 / 6))


def test_default_variables_skip_id_and_text():
    """By default id, text and weight columns are not described, and are listed as skipped."""
    table = profile(_small(), by="group", weights="w")
    assert set(table["variable"]) == {"gender", "manager", "age"}
    skipped = " ".join(table.attrs["skipped"])
    assert "respondent_id" in skipped and "comment" in skipped


def test_listed_id_is_still_skipped():
    """An identifier listed explicitly is skipped, not described."""
    table = profile(_small(), ["respondent_id", "gender"])
    assert set(table["variable"]) == {"gender"}


def test_codebook_selects_variables():
    """With a Survey, the codebook decides: pii and text left out, multiselect options described."""
    data = pd.DataFrame({
        "gender": pd.Categorical(list("FMFM")),
        "email": ["a@b", "c@d", "e@f", "g@h"],
        "barriers__management": pd.array([True, False, True, True], dtype="boolean"),
        "size": [3, 40, 12, 7],
    })
    variables = {
        "gender": SimpleNamespace(type="categorical", pii=False),
        "email": SimpleNamespace(type="text", pii=True),
        "barriers": SimpleNamespace(type="multiselect", pii=False),
        "size": SimpleNamespace(type="integer", pii=False),
    }
    survey = SimpleNamespace(data=data, codebook=SimpleNamespace(variables=variables))
    table = profile(survey)
    assert list(dict.fromkeys(table["variable"])) == ["gender", "barriers__management", "size"]


def test_unknown_variable_suggests():
    """A misspelt variable is a SurveyError suggesting the close name."""
    with pytest.raises(SurveyError, match="gender"):
        profile(_small(), ["gendre"])


def _two_groups(rng, n=200):
    group = rng.choice(["a", "b", "c"], n)
    answer = np.where(rng.random(n) < np.where(group == "a", 0.7, 0.4), "yes", "no")
    return pd.DataFrame({"group": pd.Categorical(group), "answer": pd.Categorical(answer),
                         "minutes": rng.gamma(2, 15, n) + np.where(group == "a", 8, 0)})


def test_unweighted_chi_square_matches_scipy(rng):
    """With large expected counts the test is scipy's chi-square without correction."""
    data = _two_groups(rng)
    row = profile(data, ["answer"], by="group").iloc[0]
    chi2, p, dof, _ = stats.chi2_contingency(pd.crosstab(data["answer"], data["group"]),
                                             correction=False)
    assert row["test"] == "chi2"
    assert (row["test_statistic"], row["df"], row["p_value"]) == pytest.approx((chi2, dof, p))


def test_fisher_for_small_two_by_two():
    """A 2 x 2 table with an expected count below 5 uses scipy's Fisher exact test."""
    data = pd.DataFrame({"group": pd.Categorical(list("aaaaabbbbb")),
                         "answer": pd.Categorical(list("yyyynynnnn"))})
    row = profile(data, ["answer"], by="group").iloc[0]
    table = pd.crosstab(data["answer"], data["group"]).to_numpy()
    assert row["test"] == "fisher_exact"
    assert row["p_value"] == pytest.approx(stats.fisher_exact(table).pvalue)


def test_monte_carlo_fisher_close_to_r(reference_data):
    """A small 3 x 3 table gets a Monte-Carlo Fisher p-value close to R's exact fisher.test."""
    fisher = reference_data[2]
    data = pd.DataFrame({"variable": np.repeat(fisher["variable"], fisher["count"]),
                         "group": np.repeat(fisher["group"], fisher["count"])})
    data = data.astype("category")
    first = profile(data, ["variable"], by="group").iloc[0]
    again = profile(data, ["variable"], by="group").iloc[0]
    assert first["test"] == "fisher_monte_carlo"
    assert first["p_value"] == again["p_value"]
    assert first["p_value"] == pytest.approx(fisher["p_exact"].iloc[0], abs=0.01)


def test_kruskal_wallis_matches_scipy(rng):
    """An unweighted numeric variable is tested with scipy's Kruskal–Wallis."""
    data = _two_groups(rng)
    row = profile(data, ["minutes"], by="group").iloc[0]
    expected = stats.kruskal(*[data.loc[data["group"] == g, "minutes"] for g in "abc"])
    assert row["test"] == "kruskal_wallis"
    assert (row["test_statistic"], row["p_value"]) == pytest.approx(
        (expected.statistic, expected.pvalue))


def test_rao_scott_matches_r(reference_data):
    """Weighted categorical tests equal R svychisq(statistic = "F") to 1e-9 (missing answers included)."""
    data, reference, _ = reference_data
    checked = 0
    for ref in reference[reference["test"] == "rao_scott_f"].itertuples():
        # R: svychisq(~variable + by, svydesign(ids = ~1, weights = ~w, data), statistic = "F")
        row = profile(data, [ref.variable], by=ref.by, weights="w").iloc[0]
        assert row["test"] == "rao_scott_f"
        got = row[["test_statistic", "df", "df_denominator", "p_value"]].to_numpy(dtype=float)
        assert got == pytest.approx([ref.statistic, ref.df, ref.df_denominator, ref.p_value],
                                    rel=1e-9, abs=1e-12)
        checked += 1
    assert checked == 6


def test_design_wald_matches_r(reference_data):
    """Weighted numeric tests equal R regTermTest(svyglm(x ~ by), ~by) to 1e-9."""
    data, reference, _ = reference_data
    checked = 0
    for ref in reference[reference["test"] == "design_wald_f"].itertuples():
        row = profile(data, [ref.variable], by=ref.by, weights="w").iloc[0]
        assert row["test"] == "design_wald_f"
        got = row[["test_statistic", "df", "df_denominator", "p_value"]].to_numpy(dtype=float)
        assert got == pytest.approx([ref.statistic, ref.df, ref.df_denominator, ref.p_value],
                                    rel=1e-9, abs=1e-12)
        checked += 1
    assert checked == 4


def _tests(table):
    return table.drop_duplicates("variable").set_index("variable")


def test_p_adjusted_is_holm_across_variables(reference_data):
    """p_adjusted is Holm's adjustment over the variables' p-values."""
    data = reference_data[0]
    tests = _tests(profile(data, ["gender", "status", "band", "minutes", "age"], by="group",
                           weights="w"))
    assert tests["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(tests["p_value"].to_numpy(), method="holm")[1])


def test_p_adjusted_monotone(reference_data):
    """Adjusted p-values are never below the raw ones, keep their order, and BH <= Holm."""
    data = reference_data[0]
    variables = ["gender", "status", "band", "minutes", "age"]
    holm = _tests(profile(data, variables, by="group", weights="w"))
    bh = _tests(profile(data, variables, by="group", weights="w", adjust="fdr_bh"))
    assert (holm["p_adjusted"] >= holm["p_value"] - 1e-15).all()
    order = holm["p_value"].sort_values().index
    assert holm.loc[order, "p_adjusted"].is_monotonic_increasing
    assert (bh["p_adjusted"] <= holm["p_adjusted"] + 1e-15).all()
    assert (holm["p_adjusted"] <= 1).all()


def test_test_repeated_on_every_row_of_a_variable(rng):
    """A variable's test is repeated on each of its category rows, one value per variable."""
    table = profile(_two_groups(rng), ["answer"], by="group")
    assert table["p_value"].nunique() == 1 and len(table) == 6


def test_no_by_no_test():
    """Without by there is no test: the test columns are missing."""
    table = profile(_small(), ["gender"])
    assert table["p_value"].isna().all() and table["test"].isna().all()


def test_unknown_adjust():
    """An unknown adjustment lists the allowed values."""
    with pytest.raises(SurveyError, match="'holm', 'fdr_bh', 'none'"):
        profile(_small(), ["gender"], by="group", adjust="bonferroni")


def test_population_gives_the_finite_population_correction():
    """With population=, profile rows equal analysis.proportion/mean with the same fpc."""
    import analysis

    frame = pd.DataFrame({"gender": pd.Categorical(list("FFMFMFFMFM" * 2)),
                          "age": np.arange(20, 40, dtype=float)})
    table = profile(frame, ["gender", "age"], population=40)
    shares = analysis.proportion(frame, "gender", population=40)
    means = analysis.mean(frame, "age", population=40)
    got = table[table["statistic"] == "share"].set_index("category")["se"]
    assert np.allclose(got.loc[["F", "M"]].to_numpy(), shares.set_index("category")["se"].loc[["F", "M"]].to_numpy())
    got_mean = table[table["statistic"] == "mean"]["se"].iloc[0]
    assert np.isclose(got_mean, means["se"].iloc[0])
    assert got_mean < analysis.mean(frame, "age")["se"].iloc[0]


def _ties(rng, n=3000):
    """Numbers with many ties in four groups, a few missing, groups in no sorted order."""
    group = rng.choice(["d", "b", "a", "c"], n)
    minutes = np.round(rng.gamma(2, 5, n)) + np.where(group == "a", 2, 0)
    minutes[rng.choice(n, 40, replace=False)] = np.nan
    return pd.DataFrame({"group": group, "minutes": minutes})


def test_kruskal_from_cells_is_scipys_number(rng):
    """Kruskal–Wallis from the value cells gives exactly scipy's statistic and p-value."""
    data = _ties(rng)
    row = profile(data, ["minutes"], by="group").iloc[0]
    kept = data.dropna()
    expected = stats.kruskal(*[kept.loc[kept["group"] == g, "minutes"]
                               for g in pd.unique(kept["group"])])
    assert row["test"] == "kruskal_wallis"
    assert row["test_statistic"] == expected.statistic
    assert row["p_value"] == expected.pvalue


def test_numeric_rows_equal_mean_and_quantile(rng):
    """Mean and quartile rows equal analysis.mean / analysis.quantile on the same design."""
    import analysis

    data = _ties(rng).assign(w=rng.uniform(0.5, 2, 3000), s=rng.choice(["x", "y"], 3000))
    table = profile(data, ["minutes"], by="group", weights="w", strata="s")
    means = analysis.mean(data, "minutes", by="group", weights="w", strata="s")
    quarts = analysis.quantile(data, "minutes", by="group", weights="w", strata="s")
    columns = ["n", "estimate", "se", "ci_low", "ci_high", "method", "missing"]
    got = table[table["statistic"] == "mean"].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[["group"] + columns], means[["group"] + columns])
    got = table[table["statistic"].isin(["q1", "median", "q3"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[["group"] + columns], quarts[["group"] + columns])


def test_sd_accurate_on_large_offsets(rng):
    """The SD of 300,000 values near 1e6 matches numpy's two-pass std to 1e-11."""
    x = 1e6 + rng.normal(0, 1, 300_000)
    row = _pick(profile(pd.DataFrame({"x": x}), ["x"]), statistic="sd")
    assert row["estimate"] == pytest.approx(np.std(x, ddof=1), rel=1e-11)


def test_two_by_columns_leave_out_missing_groups():
    """With two by columns, rows missing either by value belong to no group and no test."""
    data = pd.DataFrame({
        "zone": pd.Categorical(list("uuuurrrruuuurrrr") + [None] * 4),
        "manager": pd.array([True, False] * 8 + [True] * 4, dtype="boolean"),
        "answer": pd.Categorical(list("yynnyyynnynynyyy") + ["n"] * 4)})
    table = profile(data, ["answer"], by=["zone", "manager"])
    alone = profile(data.dropna().reset_index(drop=True), ["answer"], by=["zone", "manager"])
    assert len(table) == 8
    assert table["p_value"].iloc[0] == alone["p_value"].iloc[0]


def test_weighted_sd_accurate_on_large_offsets(rng):
    """A weighted SD of 300,000 values near 1e6 matches the two-pass formula to 1e-11."""
    x, w = 1e6 + rng.normal(0, 1, 300_000), rng.uniform(0.5, 2.0, 300_000)
    row = _pick(profile(pd.DataFrame({"x": x, "w": w}), ["x"], weights="w"), statistic="sd")
    m = np.average(x, weights=w)
    expected = np.sqrt(np.sum(w * (x - m) ** 2) / w.sum() * x.size / (x.size - 1))
    assert row["estimate"] == pytest.approx(expected, rel=1e-11)


@pytest.mark.parametrize("n", [400, 18])
def test_unweighted_test_equals_direct_route(rng, n):
    """The chi-square / Monte-Carlo Fisher test built from the share counts equals the
    test on the crosstab of the rows (categories and groups in no sorted order, an unused
    category, missing values)."""
    from analysis._group_tests import _independence

    data = pd.DataFrame({
        "group": pd.Categorical(rng.choice(["z", "a", "m"], n), categories=["z", "m", "a"]),
        "answer": pd.Categorical(rng.choice(["yes", "no", "maybe"], n),
                                 categories=["yes", "unused", "no", "maybe"])})
    data.loc[data.index[:3], "answer"] = None
    data.loc[data.index[3:5], "group"] = None
    row = profile(data, ["answer"], by="group").iloc[0]
    kept = data.dropna()
    expected = _independence(kept["answer"], kept["group"])
    assert row["test"] == expected["test"] == ("chi2" if n == 400 else "fisher_monte_carlo")
    assert row["p_value"] == expected["p_value"]
    np.testing.assert_equal(row["test_statistic"], expected["test_statistic"])  # NaN: Fisher


def test_exclude_leaves_variables_out_of_the_default_selection():
    """``exclude`` drops variables from the default selection; the others are as before."""
    frame = pd.DataFrame({"gender": pd.Categorical(["F", "M", "F", "M"]),
                          "sat_overall": [1.0, 4.0, 5.0, 3.0], "age": [30.0, 40.0, 50.0, 60.0]})
    full = profile(frame)
    kept = profile(frame, exclude=["sat_overall"])
    assert "sat_overall" in set(full["variable"]) and "sat_overall" not in set(kept["variable"])
    pd.testing.assert_frame_equal(kept.reset_index(drop=True),
                                  full[full["variable"] != "sat_overall"].reset_index(drop=True),
                                  check_exact=True)
