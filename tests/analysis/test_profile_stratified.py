"""profile(strata=...) against R survey 4.1.1 on stratified designs.

tests/fixtures/profile/make_stratified_reference.R draws 300 respondents in four strata
(one of 20-odd rows), writes them to stratified_data.csv and, for three designs
(strata + weights; strata + weights + fpc; strata only), R's shares (svymean / svyby, logit
intervals), means (svymean / svyby, t intervals), SDs (svyvar), quartiles (svyquantile) and
tests between groups (svychisq(statistic = "F"), regTermTest(svyglm())) to
stratified_reference.csv. R is not needed to run these tests.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import profile, proportion
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "profile"
RTOL = 1e-10
#: The designs of make_stratified_reference.R as profile() arguments.
DESIGNS = {
    "strata_weights": {"weights": "w", "strata": "stratum"},
    "strata_weights_fpc": {"weights": "w", "strata": "stratum", "population": "N"},
    "strata_only": {"strata": "stratum"},
}
VARIABLES = ["answer", "flag", "x"]
ESTIMATES = ["estimate", "se", "ci_low", "ci_high"]
TESTS = ["test_statistic", "df", "df_denominator", "p_value"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The respondents R wrote, typed as Survey.data (categoricals, nullable boolean)."""
    data = pd.read_csv(FOLDER / "stratified_data.csv", keep_default_na=False, na_values=[""])
    data["stratum"] = data["stratum"].astype("category")
    data["group"] = data["group"].astype("category")
    data["answer"] = pd.Categorical(data["answer"], categories=["a", "b", "c"])
    data["flag"] = data["flag"].astype("boolean")     # read as True / False / NaN
    return data


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's rows: design, variable, group ('' overall), category, statistic, values."""
    reference = pd.read_csv(FOLDER / "stratified_reference.csv", keep_default_na=False)
    for column in ESTIMATES + TESTS:
        reference[column] = pd.to_numeric(reference[column].replace("", np.nan))
    return reference


def _rows(data, design: str) -> pd.DataFrame:
    """profile() overall and by group on one design, keyed like the reference."""
    overall = profile(data, VARIABLES, **DESIGNS[design]).assign(group="")
    by = profile(data, VARIABLES, by="group", **DESIGNS[design])
    table = pd.concat([overall, by.assign(group=by["group"].astype(str))], ignore_index=True)
    table["category"] = table["category"].map(
        lambda c: "" if pd.isna(c) else str(c).upper() if isinstance(c, (bool, np.bool_))
        else str(c))
    return table.set_index(["variable", "group", "category", "statistic"])


def _expected(reference, design: str, statistics) -> pd.DataFrame:
    rows = reference[(reference["design"] == design) & reference["statistic"].isin(statistics)]
    return rows.set_index(["variable", "group", "category", "statistic"])


@pytest.mark.parametrize("design", DESIGNS)
def test_shares_equal_r(data, reference, design):
    """Shares, SEs and logit intervals equal svymean / svyby and svyciprop's formula."""
    expected = _expected(reference, design, ["share"])
    got = _rows(data, design).loc[expected.index]
    assert len(expected) == (3 + 2) * 4  # 3 + 2 categories, overall and 3 groups
    np.testing.assert_allclose(got[ESTIMATES].to_numpy(dtype=float),
                               expected[ESTIMATES].to_numpy(dtype=float), rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_means_equal_r(data, reference, design):
    """Means, SEs and t intervals (df of the base) equal svymean / svyby and confint."""
    expected = _expected(reference, design, ["mean"])
    got = _rows(data, design).loc[expected.index]
    assert len(expected) == 4
    np.testing.assert_allclose(got[ESTIMATES].to_numpy(dtype=float),
                               expected[ESTIMATES].to_numpy(dtype=float), rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_sd_equals_r(data, reference, design):
    """Standard deviations equal sqrt(svyvar) on the answers, overall and by group."""
    expected = _expected(reference, design, ["sd"])
    got = _rows(data, design).loc[expected.index]
    assert len(expected) == 4
    np.testing.assert_allclose(got["estimate"].to_numpy(dtype=float),
                               expected["estimate"].to_numpy(dtype=float), rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_quartiles_equal_r(data, reference, design):
    """Quartiles and their Woodruff intervals equal svyquantile(ci = TRUE) on the design."""
    expected = _expected(reference, design, ["q1", "median", "q3"])
    got = _rows(data, design).loc[expected.index]
    assert len(expected) == 12
    np.testing.assert_allclose(got[ESTIMATES].to_numpy(dtype=float),
                               expected[ESTIMATES].to_numpy(dtype=float), rtol=RTOL)


@pytest.mark.parametrize("design", ["strata_weights", "strata_only"])
def test_tests_equal_r(data, reference, design):
    """Rao–Scott and Wald tests between groups equal svychisq / regTermTest with strata."""
    table = profile(data, VARIABLES, by="group", **DESIGNS[design])
    got = table.drop_duplicates("variable").set_index("variable")
    expected = reference[(reference["design"] == design)
                         & reference["statistic"].str.endswith("_f")].set_index("variable")
    assert len(expected) == 3
    assert (got.loc[expected.index, "test"] == expected["statistic"]).all()
    np.testing.assert_allclose(got.loc[expected.index, TESTS].to_numpy(dtype=float),
                               expected[TESTS].to_numpy(dtype=float), rtol=RTOL)


def test_tests_use_the_population(data, reference):
    """With population=, the tests are R's on the estimates' own design, with fpc (since
    session 11; they used to leave it out, unlike the intervals beside them)."""
    table = profile(data, VARIABLES, by="group", **DESIGNS["strata_weights_fpc"])
    got = table.drop_duplicates("variable").set_index("variable")[TESTS]
    tests = reference[reference["statistic"].str.endswith("_f")]
    without = tests[tests["design"] == "strata_weights"].set_index("variable")[TESTS]
    with_fpc = tests[tests["design"] == "strata_weights_fpc"].set_index("variable")[TESTS]
    assert len(with_fpc) == 3
    np.testing.assert_allclose(got.loc[with_fpc.index].to_numpy(dtype=float),
                               with_fpc.to_numpy(dtype=float), rtol=RTOL)
    assert not np.allclose(got.loc[without.index, "test_statistic"],
                           without["test_statistic"], rtol=1e-3)


def test_fixture_strata_matter(reference):
    """R's stratified and unstratified-looking results differ: the checks above can fail."""
    shares = reference[reference["statistic"] == "share"]
    with_weights = shares[shares["design"] == "strata_weights"]["se"].to_numpy()
    with_fpc = shares[shares["design"] == "strata_weights_fpc"]["se"].to_numpy()
    assert (with_fpc < with_weights).all()


def test_strata_change_standard_errors(data):
    """Given strata, the shares' SEs differ from those of the unstratified design."""
    stratified = profile(data, ["answer"], weights="w", strata="stratum")
    plain = profile(data, ["answer"], weights="w")
    assert np.allclose(stratified["estimate"], plain["estimate"], rtol=1e-14)
    assert not np.allclose(stratified["se"], plain["se"], rtol=1e-4)


def test_stratified_shares_equal_proportion(data):
    """profile's stratified share rows equal analysis.proportion with the same strata."""
    table = profile(data, ["answer"], by="group", weights="w", strata="stratum",
                    population="N")
    direct = proportion(data, "answer", by="group", weights="w", strata="stratum",
                        population="N")
    pd.testing.assert_frame_equal(
        table[["group", "category"] + ESTIMATES + ["n", "count", "method"]],
        direct[["group", "category"] + ESTIMATES + ["n", "count", "method"]])


def test_unweighted_strata_use_design_based_tests(data):
    """Strata without weights give the design-based tests, not chi-square / Kruskal–Wallis."""
    table = profile(data, ["answer", "x"], by="group", strata="stratum")
    assert set(table["test"]) == {"rao_scott_f", "design_wald_f"}


def test_unknown_strata_column_suggests(data):
    """A misspelt strata column is a SurveyError naming the close column."""
    with pytest.raises(SurveyError, match="stratum"):
        profile(data, ["answer"], strata="stratun")


def test_missing_stratum_is_refused(data):
    """A respondent without a stratum is a SurveyError saying how many."""
    broken = data.assign(stratum=data["stratum"].where(data.index != 3))
    with pytest.raises(SurveyError, match="missing for 1 respondents"):
        profile(broken, ["answer"], strata="stratum")


def test_single_population_with_strata_is_refused(data):
    """A single population number on a stratified design asks for a per-stratum column."""
    with pytest.raises(SurveyError, match="stratum's population size"):
        profile(data, ["answer"], strata="stratum", population=2000)


def test_strata_keyword_follows_weights():
    """``strata`` is a keyword of profile, right after ``weights`` (the pilot passes it)."""
    names = list(inspect.signature(profile).parameters)
    assert names[names.index("weights") + 1] == "strata"
    assert inspect.signature(profile).parameters["strata"].kind is inspect.Parameter.KEYWORD_ONLY
