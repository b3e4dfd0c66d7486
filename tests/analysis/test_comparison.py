"""compare_baseline: each test against statsmodels/scipy called directly on the same counts."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import proportion as smp
from statsmodels.stats.multitest import multipletests

from analysis.comparison import COMPARISON_COLUMNS, compare_baseline
from surveys.errors import SurveyError

BANDS = ["<3m", "3-6m", "6-12m", "1-2y", ">2y"]
# Aquitaine's published shares for BANDS, in that order (sum 0.99).
AQUITAINE = np.array([0.14, 0.17, 0.23, 0.32, 0.13])


def _agents(men: int, women: int, **extra) -> pd.DataFrame:
    """Agents with the given gender counts (plus extra columns)."""
    gender = pd.Categorical(["M"] * men + ["F"] * women, categories=["F", "M", "X"])
    return pd.DataFrame({"gender": gender, **extra})


def _users(counts, **extra) -> pd.DataFrame:
    """Third-place users with the given counts per attendance band."""
    band = np.repeat(BANDS, counts)
    return pd.DataFrame({"attendance_band": pd.Categorical(band, categories=BANDS,
                                                           ordered=True), **extra})


def _row(table, indicator):
    return table.set_index("indicator").loc[indicator]


def test_columns():
    """The result has the documented columns in order."""
    table = compare_baseline(_agents(14, 26), "bva-2015", kind="agent")
    assert list(table.columns) == COMPARISON_COLUMNS


def test_two_sample_matches_statsmodels():
    """With a base n, the score test and Newcombe interval equal statsmodels' on the same counts."""
    row = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent"), "man")
    direct = smp.test_proportions_2indep(14, 40, 0.69 * 469, 469, method="score")
    low, high = smp.confint_proportions_2indep(14, 40, 0.69 * 469, 469, method="newcomb")
    assert row["test"] == "two_sample_score"
    assert row["statistic"] == pytest.approx(direct.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(direct.pvalue, rel=1e-12)
    assert (row["difference_ci_low"], row["difference_ci_high"]) == pytest.approx((low, high))
    assert row["difference"] == pytest.approx(14 / 40 - 0.69)
    assert row["baseline_n"] == 469


def test_pilot_interval_is_wilson():
    """The pilot's unweighted interval is statsmodels' Wilson interval."""
    row = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent"), "man")
    low, high = smp.proportion_confint(14, 40, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-10)


def test_cohen_h():
    """The effect size of a share is Cohen's h."""
    row = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent"), "man")
    expected = 2 * np.arcsin(np.sqrt(0.35)) - 2 * np.arcsin(np.sqrt(0.69))
    assert row["effect_size"] == pytest.approx(expected)
    assert row["effect_size_name"] == "cohen_h"


def test_one_sample_score_matches_statsmodels():
    """Without base n, the one-sample score test equals proportions_ztest with the null variance."""
    status = pd.Categorical(["freelancer"] * 30 + ["employee"] * 20,
                            categories=["freelancer", "entrepreneur", "employee"])
    table = compare_baseline(pd.DataFrame({"status": status}), "popplace-2017", kind="thirdplace")
    row = _row(table, "freelancer")
    statistic, p_value = smp.proportions_ztest(30, 50, value=0.53, prop_var=0.53)
    assert row["test"] == "one_sample_score"
    assert row["statistic"] == pytest.approx(statistic)
    assert row["p_value"] == pytest.approx(p_value)
    assert np.isnan(row["baseline_n"])


def test_one_sample_difference_interval_shifts_pilot_interval():
    """Against a fixed figure the difference interval is the pilot's interval minus it."""
    status = pd.Categorical(["freelancer"] * 30 + ["employee"] * 20)
    row = _row(compare_baseline(pd.DataFrame({"status": status}), "popplace-2017",
                                kind="thirdplace"), "freelancer")
    assert row["difference_ci_low"] == pytest.approx(row["ci_low"] - 0.53)
    assert row["difference_ci_high"] == pytest.approx(row["ci_high"] - 0.53)


def test_exact_binomial_for_small_expected_counts():
    """When n(1 - p0) < 5 the one-sample test is scipy's exact binomial test."""
    boosts = pd.array([True] * 10 + [False] * 2, dtype="boolean")
    table = compare_baseline(pd.DataFrame({"boosts_local_economy": boosts}),
                             "aquitaine-2016", kind="thirdplace", min_n=5)
    row = _row(table, "boosts_local_economy")
    assert row["test"] == "one_sample_exact_binomial"
    assert row["p_value"] == pytest.approx(stats.binomtest(10, 12, 0.94).pvalue)


def test_goodness_of_fit_renormalises_with_note():
    """Bands summing to 99 % are renormalised for the test (the chi-square equals scipy's
    on those shares) and shown as published."""
    counts = np.array([10, 12, 20, 30, 28])
    table = compare_baseline(_users(counts), "aquitaine-2016", kind="thirdplace")
    bands = table[table["distribution"] == "attendance_seniority"]
    expected = AQUITAINE / AQUITAINE.sum()
    direct = stats.chisquare(counts, expected * counts.sum())
    assert (bands["test"] == "chi2_gof").all()
    assert bands["statistic"].iloc[0] == pytest.approx(direct.statistic)
    assert bands["p_value"].iloc[0] == pytest.approx(direct.pvalue)
    assert bands["df"].iloc[0] == 4
    by_band = dict(zip(bands["indicator"], bands["baseline"]))
    assert by_band["seniority_1_2y"] == 0.32  # shown as published; renormalised for the test
    assert bands["note"].str.contains("renormalised").all()


def test_goodness_of_fit_cramers_v():
    """A distribution's effect size is Cramér's V = sqrt(chi2 / (n (k - 1)))."""
    counts = np.array([10, 12, 20, 30, 28])
    bands = compare_baseline(_users(counts), "aquitaine-2016", kind="thirdplace")
    bands = bands[bands["distribution"].notna()]
    chi2 = stats.chisquare(counts, AQUITAINE / AQUITAINE.sum() * counts.sum()).statistic
    assert bands["effect_size"].iloc[0] == pytest.approx(np.sqrt(chi2 / (100 * 4)))
    assert (bands["effect_size_name"] == "cramers_v").all()


def test_seniority_is_described_as_cross_section():
    """The compared text says Aquitaine's bands are the seniority of current users."""
    bands = compare_baseline(_users([10, 12, 20, 30, 28]), "aquitaine-2016", kind="thirdplace")
    assert bands["compared"].str.contains("cross-section").all()
    assert bands["compared"].str.contains("not completed stays").all()


def _exact_multinomial_p(counts, shares):
    """Exact goodness-of-fit p-value by enumerating every table with the same total."""
    n, k = int(sum(counts)), len(counts)
    expected = np.asarray(shares) * n
    observed = ((np.asarray(counts) - expected) ** 2 / expected).sum()
    p = 0.0
    for cut in itertools.combinations(range(n + k - 1), k - 1):
        table = np.diff([-1, *cut, n + k - 1]) - 1
        chi2 = ((table - expected) ** 2 / expected).sum()
        if chi2 >= observed - 1e-9:
            p += stats.multinomial.pmf(table, n, shares)
    return p


def test_monte_carlo_for_small_expected_counts():
    """With expected counts below 5 the Monte-Carlo p-value approaches the exact multinomial one."""
    counts = [0, 1, 2, 1, 6]
    bands = compare_baseline(_users(counts), "aquitaine-2016", kind="thirdplace", min_n=5)
    bands = bands[bands["distribution"].notna()]
    exact = _exact_multinomial_p(counts, AQUITAINE / AQUITAINE.sum())
    assert (bands["test"] == "chi2_gof_monte_carlo").all()
    assert bands["p_value"].iloc[0] == pytest.approx(exact, abs=0.015)


def test_distribution_counts_once_in_adjustment():
    """Holm adjusts over the distinct tests: the five bands are one test."""
    data = _users([10, 12, 20, 30, 28],
                  travel_minutes=np.r_[np.full(70, 10.0), np.full(30, 40.0)])
    table = compare_baseline(data, "aquitaine-2016", kind="thirdplace")
    tests = table.drop_duplicates(subset=["distribution", "p_value"])
    p = tests["p_value"].to_numpy()
    assert len(p) == 2
    assert tests["p_adjusted"].to_numpy() == pytest.approx(multipletests(p, method="holm")[1])
    bands = table[table["distribution"].notna()]
    assert bands["p_adjusted"].nunique() == 1


def _bva_agents(rng):
    """Agents answering four BVA indicators, with clearly different p-values."""
    n = 60
    return pd.DataFrame({
        "gender": pd.Categorical(np.where(np.arange(n) < 25, "M", "F"), categories=["F", "M"]),
        "manager": pd.array(np.arange(n) < 20, dtype="boolean"),
        "sector": pd.Categorical(np.where(np.arange(n) < 47, "private", "public")),
        "commute_minutes": np.where(np.arange(n) < 30, 75.0, 20.0),
    })


def test_holm_matches_multipletests(rng):
    """adjust='holm' equals statsmodels multipletests(method='holm') over the rows."""
    table = compare_baseline(_bva_agents(rng), "bva-2015", kind="agent")
    assert table["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(table["p_value"], method="holm")[1])


def test_bh_matches_multipletests(rng):
    """adjust='fdr_bh' equals multipletests(method='fdr_bh') and is never above Holm."""
    holm = compare_baseline(_bva_agents(rng), "bva-2015", kind="agent")
    bh = compare_baseline(_bva_agents(rng), "bva-2015", kind="agent", adjust="fdr_bh")
    assert bh["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(bh["p_value"], method="fdr_bh")[1])
    assert (bh["p_adjusted"] <= holm["p_adjusted"] + 1e-15).all()


def test_adjust_none_keeps_p_values(rng):
    """adjust='none' copies the raw p-values."""
    table = compare_baseline(_bva_agents(rng), "bva-2015", kind="agent", adjust="none")
    assert table["p_adjusted"].tolist() == table["p_value"].tolist()


def test_unknown_adjust_is_refused():
    """An unknown adjustment lists the allowed ones."""
    with pytest.raises(SurveyError, match="'holm', 'fdr_bh', 'none'"):
        compare_baseline(_agents(3, 3), "bva-2015", kind="agent", adjust="bonferroni")


def test_verdict_lower():
    """A clearly lower share reads 'plus bas que la référence nationale'."""
    row = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent"), "man")
    assert row["verdict_fr"] == "plus bas que la référence nationale"
    assert row["verdict_en"] == "lower than the national reference"
    assert row["verdict"] == row["verdict_en"]


def test_verdict_higher():
    """A clearly higher share reads 'plus élevé que la référence nationale'."""
    row = _row(compare_baseline(_agents(38, 2), "bva-2015", kind="agent"), "man_all")
    assert row["verdict_fr"] == "plus élevé que la référence nationale"
    assert row["verdict_en"] == "higher than the national reference"


def test_verdict_no_difference():
    """A share close to the figure reads 'pas de différence détectable'."""
    row = _row(compare_baseline(_agents(28, 12), "bva-2015", kind="agent"), "man")
    assert row["verdict_fr"] == "pas de différence détectable"
    assert row["verdict_en"] == "no detectable difference"


def test_verdict_too_few():
    """Under min_n answers the verdict refuses to conclude, whatever the p-value."""
    row = _row(compare_baseline(_agents(9, 0), "bva-2015", kind="agent"), "man_all")
    assert row["p_value"] < 0.05
    assert row["verdict_fr"] == "trop peu de réponses pour conclure"
    assert row["verdict_en"] == "too few answers to conclude"


def test_regional_source_says_regional():
    """A regional source's verdict says 'référence régionale'."""
    status = pd.Categorical(["freelancer"] * 5 + ["employee"] * 45)
    row = _row(compare_baseline(pd.DataFrame({"status": status}), "popplace-2017",
                                kind="thirdplace"), "freelancer")
    assert row["verdict_fr"] == "plus bas que la référence régionale"


def test_weighted_uses_effective_n(rng):
    """Weighted, the pilot enters the two-sample test with its weighted share and Kish n."""
    data = _agents(20, 30, w=rng.uniform(0.5, 3, 50))
    row = _row(compare_baseline(data, "bva-2015", kind="agent", weights="w"), "man")
    w, men = data["w"].to_numpy(), (data["gender"] == "M").to_numpy()
    share = w[men].sum() / w.sum()
    n_eff = w.sum() ** 2 / (w**2).sum()
    direct = smp.test_proportions_2indep(share * n_eff, n_eff, 0.69 * 469, 469, method="score")
    assert row["estimate"] == pytest.approx(share)
    assert row["statistic"] == pytest.approx(direct.statistic)
    assert row["p_value"] == pytest.approx(direct.pvalue)
    assert "effective n" in row["note"]


def test_missing_answers_excluded_and_counted():
    """Missing answers leave the base and are counted in n_missing."""
    minutes = np.r_[np.full(12, 75.0), np.full(20, 30.0), np.full(8, np.nan)]
    row = _row(compare_baseline(pd.DataFrame({"commute_minutes": minutes}), "bva-2015",
                                kind="agent"), "commute_over_1h")
    assert (row["n"], row["n_missing"]) == (32, 8)
    assert row["estimate"] == pytest.approx(12 / 32)


def test_mean_is_one_sample_t():
    """A published mean is tested with scipy's one-sample t-test; Cohen's d uses the SD."""
    age = pd.array([25, 31, 38, 44, 29, 35, 41, 52, 33, 27, 46, 39], dtype="Int64")
    row = _row(compare_baseline(pd.DataFrame({"age": age}), "popplace-2017",
                                kind="thirdplace"), "age_mean")
    values = np.asarray(age, dtype=float)
    direct = stats.ttest_1samp(values, 35)
    assert row["test"] == "one_sample_t"
    assert row["statistic"] == pytest.approx(direct.statistic)
    assert row["p_value"] == pytest.approx(direct.pvalue)
    assert row["df"] == 11
    assert row["effect_size"] == pytest.approx((values.mean() - 35) / values.std(ddof=1))


def test_absent_variables_are_skipped():
    """Indicators whose variable is not in the data are listed in attrs['skipped']."""
    table = compare_baseline(_agents(14, 26), "bva-2015", kind="agent")
    assert set(table["indicator"]) == {"man", "man_all"}
    skipped = " ".join(table.attrs["skipped"])
    assert "manager" in skipped and "commute_minutes" in skipped


def test_unknown_source_lists_ids():
    """A source id not in the catalogue is a SurveyError listing the ids."""
    with pytest.raises(SurveyError, match="bva-2015.*popplace-2017"):
        compare_baseline(_agents(3, 3), "insee-2020", kind="agent")


def test_kind_is_required_for_a_frame():
    """A DataFrame without kind is refused with a hint."""
    with pytest.raises(SurveyError, match="kind="):
        compare_baseline(_agents(3, 3), "bva-2015")


def test_kind_is_read_from_survey():
    """A Survey-like object brings its own kind."""
    survey = SimpleNamespace(data=_agents(14, 26), kind="agent")
    assert set(compare_baseline(survey, "bva-2015")["indicator"]) == {"man", "man_all"}


def test_subset_restricts_to_public_sector():
    """Citica's women share is computed among public-sector agents when sector is known."""
    data = _agents(10, 10, sector=pd.Categorical(["public"] * 5 + ["private"] * 5
                                                 + ["public"] * 10 + ["private"] * 0))
    row = _row(compare_baseline(data, "citica-2017", kind="agent"), "woman")
    assert row["n"] == 15
    assert row["estimate"] == pytest.approx(10 / 15)


def test_subset_absent_compares_everyone_with_note():
    """Without a sector column every agent is compared and the note says so."""
    row = _row(compare_baseline(_agents(10, 30), "citica-2017", kind="agent"), "woman")
    assert row["n"] == 40
    assert "'sector' is not in the data" in row["note"]


def test_user_catalogue(tmp_path):
    """A user's source passed through baselines= is compared like a shipped one."""
    from analysis.baselines import baselines

    path = tmp_path / "mine.csv"
    path.write_text("source_id,indicator,value,base_n,kind,variable,condition\n"
                    "my-2020,men,0.5,200,agent,gender,{equals: M}\n", encoding="utf-8")
    table = compare_baseline(_agents(14, 26), "my-2020", kind="agent",
                             baselines=baselines(extra=path))
    direct = smp.test_proportions_2indep(14, 40, 100, 200, method="score")
    assert table["p_value"].iloc[0] == pytest.approx(direct.pvalue)
    assert table["verdict_fr"].iloc[0] in ("pas de différence détectable",
                                           "plus bas que la référence")


def test_user_source_file_path(tmp_path):
    """baselines= also takes a user file path, added to the shipped catalogue."""
    path = tmp_path / "mine.yaml"
    path.write_text("sources:\n  - source_id: my-2021\n    year: 2021\n    indicators:\n"
                    "      - {indicator: men, value: 0.5, kind: agent, variable: gender,"
                    " condition: {equals: M}}\n", encoding="utf-8")
    table = compare_baseline(_agents(14, 26), "my-2021", kind="agent", baselines=path)
    statistic, p_value = smp.proportions_ztest(14, 40, value=0.5, prop_var=0.5)
    assert table["p_value"].iloc[0] == pytest.approx(p_value)


def test_weighted_distribution_is_rao_scott(rng):
    """Weighted, the goodness of fit is R's svygofchisq (checked against R in
    test_design_goodness_of_fit.py): Pearson's statistic on the weighted totals, its
    p-value from the design's eigenvalues; it used to be a chi-square on the shares times
    one effective n, which overstated the evidence (review 11)."""
    from analysis._design import make_design
    from analysis.design_tests import goodness_of_fit

    counts = np.array([15, 18, 25, 30, 22])
    data = _users(counts, w=rng.uniform(0.5, 2.5, counts.sum()))
    bands = compare_baseline(data, "aquitaine-2016", kind="thirdplace", weights="w")
    bands = bands[bands["distribution"].notna()]
    w = data["w"].to_numpy()
    totals = np.array([w[(data["attendance_band"] == b).to_numpy()].sum() for b in BANDS])
    expected = AQUITAINE / AQUITAINE.sum()
    direct = stats.chisquare(totals, expected * totals.sum())
    codes = data["attendance_band"].map({b: i for i, b in enumerate(BANDS)}).to_numpy()
    fit = goodness_of_fit(make_design(data, weights="w"), codes.astype(np.int64), expected)
    assert (bands["test"] == "rao_scott_gof").all()
    assert bands["statistic"].iloc[0] == pytest.approx(direct.statistic)
    assert bands["p_value"].iloc[0] == pytest.approx(fit["p_value"], rel=1e-12)
    assert bands.set_index("indicator").loc["seniority_under_3m", "estimate"] == \
        pytest.approx(totals[0] / totals.sum())


def test_other_kind_answers_nothing():
    """A survey kind the source does not cover gives no row and says why."""
    table = compare_baseline(_agents(3, 3), "aquitaine-2016", kind="agent")
    assert table.empty
    assert "no indicator of 'aquitaine-2016'" in table.attrs["skipped"][0]


def test_unknown_kind_is_refused():
    """A misspelt kind lists the allowed kinds."""
    with pytest.raises(SurveyError, match="'agent', 'company'"):
        compare_baseline(_agents(3, 3), "bva-2015", kind="agents")


def test_count_is_the_answers_in_the_category():
    """``count``: the unweighted answers in a share's category (weights do not change
    it), in each category of a distribution; a mean's count is its n."""
    rng = np.random.default_rng(7)
    weighted = _agents(14, 26, w=rng.uniform(0.5, 2.0, 40))
    for weights in (None, "w"):
        row = _row(compare_baseline(weighted, "bva-2015", kind="agent", weights=weights), "man")
        assert row["count"] == 14 and row["n"] == 40
    bands = compare_baseline(_users([10, 12, 20, 30, 28]), "aquitaine-2016", kind="thirdplace")
    bands = bands[bands["distribution"] == "attendance_seniority"]
    assert bands["count"].tolist() == [10, 12, 20, 30, 28]
    km = _row(compare_baseline(_agents(3, 3, commute_km=np.arange(6.0)), "citica-2017",
                               kind="agent"), "commute_km_mean")
    assert km["count"] == km["n"] == 6


def test_population_raises_the_tests_n_as_the_interval_is_narrowed():
    """With a population (40 answers of 100 agents), the pilot's interval carries the
    finite population correction, and so does its test: statsmodels' score test on
    n = 40 / (1 - 40/100), the variance factor of R's svydesign(fpc = ~N)."""
    row = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent", population=100),
               "man")
    plain = _row(compare_baseline(_agents(14, 26), "bva-2015", kind="agent"), "man")
    n_test = 40 / (1 - 40 / 100)
    direct = smp.test_proportions_2indep(14 / 40 * n_test, n_test, 0.69 * 469, 469,
                                         method="score")
    assert row["p_value"] == pytest.approx(direct.pvalue, rel=1e-9)
    assert row["p_value"] < plain["p_value"]
    assert row["se"] == pytest.approx(plain["se"] * np.sqrt(1 - 40 / 100), rel=1e-9)
    assert "raised by the finite population correction" in row["note"]
    assert "66.7" not in row["note"]  # the test's n is not written (privacy review 11)
    distribution = compare_baseline(_agents(14, 26, telework_wish=pd.Categorical(
        ["occasionally"] * 20 + ["no"] * 20,
        categories=["no", "occasionally", "daily", "fixed_days"])), "randstad-2016",
        kind="agent", population=100)
    wish = distribution[distribution["distribution"] == "telework_wish"]
    # a distribution of a known population is R's svygofchisq: Pearson's statistic on the
    # estimated totals (each answer weighs N / n = 2.5), its p-value from the design
    totals = np.array([20, 0, 0, 20]) * 100 / 40  # occasionally, daily, fixed, no
    shares = wish.set_index("indicator")["baseline"]
    expected = np.array([shares["wish_occasionally"], shares["wish_daily"],
                         shares["wish_fixed_days"], shares["wish_none"]])
    gof = stats.chisquare(totals, expected / expected.sum() * totals.sum())
    assert (wish["test"] == "rao_scott_gof").all()
    assert wish["statistic"].iloc[0] == pytest.approx(gof.statistic, rel=1e-9)
