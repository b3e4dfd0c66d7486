"""Stratified designs in analysis.likert, analysis.nps and analysis.compare_baseline,
against R survey 4.1 (tests/fixtures/likert_strata/make_reference.R).

R: d <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data) ("strata_weights") or
svydesign(ids = ~1, strata = ~stratum, data) ("strata"); each estimate is svymean on the
design subset to the domain (a group's substantive answers), its interval
confint(., df = degf(sub)) for means and svyciprop(method = "logit") for shares.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "likert_strata"
DESIGNS = {"strata_weights": {"weights": "w", "strata": "stratum"},
           "strata": {"strata": "stratum"}}
COLUMNS = ["estimate", "se", "ci_low", "ci_high"]
RTOL = 1e-10


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The answers R read: Likert items as ordered 1-5 categoricals, as Survey.data has them."""
    frame = pd.read_csv(FOLDER / "data.csv")
    for item in ("sat_a", "sat_b"):
        frame[item] = pd.Categorical(frame[item], categories=[1, 2, 3, 4, 5], ordered=True)
    for column in ("gender", "sector", "g"):
        frame[column] = pd.Categorical(frame[column])
    frame["recommend"] = frame["recommend"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's estimates, SEs and intervals (blank group: everyone)."""
    return pd.read_csv(FOLDER / "reference.csv", keep_default_na=False)


def _expected(reference, design, what, **keys) -> pd.DataFrame:
    mask = (reference["design"] == design) & (reference["what"] == what)
    for key, value in keys.items():
        mask &= reference[key] == value
    return reference[mask].reset_index(drop=True)


@pytest.mark.parametrize("design", DESIGNS)
def test_likert_overall_matches_r(data, reference, design):
    """Mean, top2, bottom2 and net of two items on the stratified design equal R's."""
    out = analysis.likert(data, ["sat_a", "sat_b"], **DESIGNS[design])
    expected = _expected(reference, design, "likert", group="")
    assert out[["item", "statistic"]].values.tolist() == \
        expected[["variable", "statistic"]].values.tolist()
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_likert_by_group_matches_r(data, reference, design):
    """Domain estimates by group on the full stratified design equal R's subsets."""
    out = analysis.likert(data, ["sat_a", "sat_b"], by="g", **DESIGNS[design])
    expected = _expected(reference, design, "likert")
    expected = expected[expected["group"] != ""].reset_index(drop=True)
    assert out[["g", "item", "statistic"]].astype(str).values.tolist() == \
        expected[["group", "variable", "statistic"]].values.tolist()
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


def test_likert_counts_are_unchanged_by_strata(data):
    """n, nonsubstantive and missing do not depend on the design."""
    plain = analysis.likert(data, ["sat_a", "sat_b"])
    stratified = analysis.likert(data, ["sat_a", "sat_b"], strata="stratum")
    columns = ["item", "statistic", "n", "nonsubstantive", "missing"]
    pd.testing.assert_frame_equal(plain[columns], stratified[columns])


def test_likert_stratified_method_says_so(data):
    """The method names the stratified design, weighted or not."""
    alone = analysis.likert(data, "sat_a", strata="stratum")["method"].unique().tolist()
    both = analysis.likert(data, "sat_a", weights="w", strata="stratum")["method"].iloc[1]
    assert alone == ["stratified; Taylor linearisation; t interval",
                     "stratified; Taylor linearisation; logit interval"]
    assert both == "weighted, stratified; Taylor linearisation; logit interval"


def test_likert_strata_column_also_a_by_column(data):
    """A breakdown by the strata themselves works (the column is used once)."""
    out = analysis.likert(data, "sat_a", by="stratum", strata="stratum")
    assert sorted(out["stratum"].unique()) == ["centre", "north", "south"]
    assert out["se"].notna().all()


def test_likert_missing_strata_column_is_named(data):
    """An absent strata column raises a SurveyError naming it."""
    with pytest.raises(SurveyError, match="stratum_x"):
        analysis.likert(data, "sat_a", strata="stratum_x")


def test_likert_distribution_takes_strata(data):
    """likert_distribution's shares equal analysis.proportion on the stratified design."""
    out = analysis.likert_distribution(data, "sat_a", weights="w", strata="stratum")
    core = analysis.proportion(data, "sat_a", weights="w", strata="stratum")
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), core[COLUMNS].to_numpy(float),
                               rtol=1e-12)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("by", [None, "g"])
def test_nps_matches_r(data, reference, design, by):
    """The NPS (x100), its SE and t interval on the stratified design equal R's."""
    out = analysis.nps(data, "recommend", by=by, **DESIGNS[design])
    expected = _expected(reference, design, "nps")
    expected = expected[(expected["group"] == "") == (by is None)].reset_index(drop=True)
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


def test_nps_stratified_shares_are_unweighted_counts(data):
    """Without weights, the shares of a stratified NPS are those of the plain NPS."""
    plain = analysis.nps(data, "recommend")
    stratified = analysis.nps(data, "recommend", strata="stratum")
    columns = ["n", "promoters", "passives", "detractors", "estimate"]
    pd.testing.assert_frame_equal(plain[columns], stratified[columns])
    assert stratified["method"].iloc[0].startswith("stratified; Taylor linearisation")


@pytest.mark.parametrize("design", DESIGNS)
def test_compare_baseline_matches_r(data, reference, design):
    """citica-2017: share of women and mean commute among public agents (a subset) and
    among everyone, as domain estimates on the stratified design, equal R's."""
    out = analysis.compare_baseline(data, "citica-2017", kind="agent", **DESIGNS[design])
    expected = _expected(reference, design, "compare_baseline")
    assert out["indicator"].tolist() == expected["variable"].tolist()
    np.testing.assert_allclose(out[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=RTOL)


def test_compare_baseline_stratified_note_in_both_languages(data):
    """A stratified share says what the strata change, in note and note_fr."""
    out = analysis.compare_baseline(data, "citica-2017", kind="agent", strata="stratum")
    row = out.set_index("indicator").loc["woman"]
    assert "stratified by 'stratum'" in row["note"]
    assert "stratifié par « stratum »" in row["note_fr"]


def test_compare_baseline_strata_with_missing_values(data):
    """A respondent without a stratum is a SurveyError naming the column."""
    broken = data.assign(stratum=data["stratum"].where(data.index > 0))
    with pytest.raises(SurveyError, match="'stratum' is missing for 1 respondents"):
        analysis.compare_baseline(broken, "citica-2017", kind="agent", strata="stratum")
