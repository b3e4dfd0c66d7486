"""A stratified design with each stratum's population size (population= a column) in
analysis.profile, likert, nps and compare_baseline, against R survey 4.1
(tests/fixtures/stratum_fpc/make_reference.R).

R: svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data) ("strata_fpc") or with
weights = ~w as well ("strata_weights_fpc"); each estimate is svymean on the design
subset to the domain, its interval confint(., df = degf(sub)) for means and
svyciprop(method = "logit") for shares.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "stratum_fpc"
DESIGNS = {"strata_fpc": {"strata": "stratum", "population": "N"},
           "strata_weights_fpc": {"weights": "w", "strata": "stratum", "population": "N"}}
COLUMNS = ["estimate", "se", "ci_low", "ci_high"]
RTOL = 1e-10


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The answers R read, typed as Survey.data has them."""
    frame = pd.read_csv(FOLDER / "data.csv")
    frame["sat_a"] = pd.Categorical(frame["sat_a"], categories=[1, 2, 3, 4, 5], ordered=True)
    for column in ("gender", "sector", "g", "stratum"):
        frame[column] = pd.Categorical(frame[column])
    frame["recommend"] = frame["recommend"].astype("Int64")
    frame["age"] = frame["age"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's estimates, SEs and intervals (blank group: everyone)."""
    return pd.read_csv(FOLDER / "reference.csv", keep_default_na=False)


def _expected(reference, design, what, by, **keys) -> pd.DataFrame:
    mask = (reference["design"] == design) & (reference["what"] == what)
    mask &= (reference["group"] == "") == (by is None)
    for key, value in keys.items():
        mask &= reference[key] == value
    return reference[mask].reset_index(drop=True)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("by", [None, "g"])
def test_profile_shares_match_r(data, reference, design, by):
    """profile's shares of gender (logit intervals) with per-stratum fpc equal R's."""
    out = analysis.profile(data, ["gender", "age"], by=by, **DESIGNS[design])
    out = out[out["variable"] == "gender"].reset_index(drop=True)
    expected = _expected(reference, design, "profile", by, variable="gender")
    keys = ["category"] if by is None else [by, "category"]
    assert out[keys].astype(str).agg("/".join, axis=1).tolist() == \
        expected[(["statistic"] if by is None else ["group", "statistic"])].agg(
            "/".join, axis=1).tolist()
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("by", [None, "g"])
def test_profile_mean_matches_r(data, reference, design, by):
    """profile's mean age, its SE and t interval with per-stratum fpc equal R's."""
    out = analysis.profile(data, ["gender", "age"], by=by, **DESIGNS[design])
    out = out[(out["variable"] == "age") & (out["statistic"] == "mean")]
    expected = _expected(reference, design, "profile", by, variable="age")
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("by", [None, "g"])
def test_likert_matches_r(data, reference, design, by):
    """Mean, top2, bottom2 and net of a Likert item with per-stratum fpc equal R's."""
    out = analysis.likert(data, "sat_a", by=by, **DESIGNS[design])
    expected = _expected(reference, design, "likert", by)
    assert out["statistic"].tolist() == expected["statistic"].tolist()
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("by", [None, "g"])
def test_nps_matches_r(data, reference, design, by):
    """The NPS (x100), its SE and t interval with per-stratum fpc equal R's."""
    out = analysis.nps(data, "recommend", by=by, **DESIGNS[design])
    expected = _expected(reference, design, "nps", by)
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_compare_baseline_matches_r(data, reference, design):
    """citica-2017: share of women and mean commute among public agents, domain
    estimates with per-stratum fpc, equal R's."""
    out = analysis.compare_baseline(data, "citica-2017", kind="agent", **DESIGNS[design])
    expected = _expected(reference, design, "compare_baseline", None)
    out = out.set_index("indicator").loc[expected["variable"]]
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


def test_fixture_correction_matters(data):
    """The fixture's sampling fractions are large: the fpc SEs are well below the plain
    stratified ones, so the comparisons above could not pass without the correction."""
    with_fpc = analysis.likert(data, "sat_a", strata="stratum", population="N")["se"]
    without = analysis.likert(data, "sat_a", strata="stratum")["se"]
    assert (with_fpc.to_numpy() < 0.8 * without.to_numpy()).all()


def test_likert_method_is_that_of_the_stratified_design(data):
    """The correction does not change the method text (the report translates it)."""
    out = analysis.likert(data, "sat_a", strata="stratum", population="N")
    assert out["method"].unique().tolist() == ["stratified; Taylor linearisation; t interval",
                                               "stratified; Taylor linearisation; logit interval"]


def test_likert_with_a_population_total_goes_through_the_core(data):
    """A population number alone uses the estimation core with the correction."""
    out = analysis.likert(data, "sat_a", population=400)
    core = analysis.mean(data.assign(v=data["sat_a"].astype(float)), "v", population=400)
    np.testing.assert_allclose(out.loc[0, COLUMNS].to_numpy(float),
                               core.loc[0, COLUMNS].to_numpy(float), rtol=1e-12)
    assert out.loc[0, "method"] == "finite population; Taylor linearisation; t interval"


def test_likert_distribution_takes_the_population(data):
    """likert_distribution's shares equal analysis.proportion with the same population."""
    out = analysis.likert_distribution(data, "sat_a", strata="stratum", population="N")
    core = analysis.proportion(data, "sat_a", strata="stratum", population="N")
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), core[COLUMNS].to_numpy(float),
                               rtol=1e-12)


def test_profile_does_not_describe_the_population_column(data):
    """The population column is part of the design, not a variable of the profile."""
    frame = data[["stratum", "N", "gender", "age"]]
    out = analysis.profile(frame, strata="stratum", population="N")
    assert "N" not in set(out["variable"])
    assert {"gender", "age"} <= set(out["variable"])


@pytest.mark.parametrize("call", [
    lambda d: analysis.likert(d, "sat_a", strata="stratum", population="N_x"),
    lambda d: analysis.nps(d, "recommend", strata="stratum", population="N_x"),
    lambda d: analysis.compare_baseline(d, "citica-2017", kind="agent", strata="stratum",
                                        population="N_x"),
], ids=["likert", "nps", "compare_baseline"])
def test_absent_population_column_is_named(data, call):
    """An absent population column raises a SurveyError naming it."""
    with pytest.raises(SurveyError, match="N_x"):
        call(data)


def test_population_varying_within_a_stratum_is_refused(data):
    """Sizes that differ inside one stratum are refused by the estimation core."""
    bad = data.assign(N=data["N"] + np.arange(len(data)) % 2)
    with pytest.raises(SurveyError, match="varies within a stratum"):
        analysis.nps(bad, "recommend", strata="stratum", population="N")
