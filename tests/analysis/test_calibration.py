"""Standard errors after raking / post-stratification against R survey 4.1 (fixtures/calibration).

make_reference.R builds six calibrated designs on the 200 respondents of data.csv and
writes R's estimates, standard errors and intervals; here the same weights come from
analysis.rake / analysis.poststratify and travel to proportion / mean / quantile.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import Calibration, mean, poststratify, proportion, quantile, rake
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "calibration"
SEX = {"F": 5200, "M": 4500, "X": 300}
AGE = {"<35": 3000, "35-49": 4000, "50+": 3000}
REGION = {"north": 4500, "south": 5500}
CROSS = {("F", "north"): 2300, ("M", "north"): 2000, ("X", "north"): 200,
         ("F", "south"): 2900, ("M", "south"): 2500, ("X", "south"): 100}
TIGHT = 1e-13  # R: rake(control = list(maxit = 1000, epsilon = 1e-13))
# The designs of make_reference.R: how bilan builds the weights, and the design arguments.
#   rake2_weights     rake(svydesign(ids=~1, weights=~w), list(~sex, ~ageband), ...)
#   rake3_strata_fpc  rake(svydesign(ids=~1, strata=~stratum, weights=~w, fpc=~N),
#                          list(~sex, ~ageband, ~region), ...)
#   rake2_srs         rake(svydesign(ids=~1), list(~sex, ~region), ...)
#   rake1_weights     rake(svydesign(ids=~1, weights=~w), list(~ageband), ...)
#   ps_weights        postStratify(svydesign(ids=~1, weights=~w), ~sex, ...)
#   ps_strata_fpc     postStratify(svydesign(ids=~1, strata=~stratum, weights=~w, fpc=~N),
#                                  ~ageband, ...)
#   ps2_strata        postStratify(svydesign(ids=~1, strata=~stratum, weights=~w),
#                                  ~sex + region, ...)
DESIGNS = {
    "rake2_weights": (lambda d: rake(d, {"sex": SEX, "ageband": AGE}, weights="w", tol=TIGHT),
                      {}),
    "rake3_strata_fpc": (lambda d: rake(d, {"sex": SEX, "ageband": AGE, "region": REGION},
                                        weights="w", tol=TIGHT),
                         {"strata": "stratum", "population": "N"}),
    "rake2_srs": (lambda d: rake(d, {"sex": SEX, "region": REGION}, tol=TIGHT), {}),
    "rake1_weights": (lambda d: rake(d, {"ageband": AGE}, weights="w", tol=TIGHT), {}),
    "ps_weights": (lambda d: poststratify(d, "sex", SEX, weights="w"), {}),
    "ps_strata_fpc": (lambda d: poststratify(d, "ageband", AGE, weights="w"),
                      {"strata": "stratum", "population": "N"}),
    "ps2_strata": (lambda d: poststratify(d, ["sex", "region"], CROSS, weights="w"),
                   {"strata": "stratum"}),
}
RTOL = 1e-10


@pytest.fixture(scope="module")
def data(calibration_data) -> pd.DataFrame:
    """The 200 respondents of tests/fixtures/calibration/make_reference.R."""
    return calibration_data


@pytest.fixture(scope="module")
def reference(read_reference) -> pd.DataFrame:
    """R's values (reference.csv: one row per design, variable, group, category, statistic)."""
    return read_reference(FOLDER / "reference.csv")


def _design(data, name):
    make, arguments = DESIGNS[name]
    return make(data), arguments


@pytest.mark.parametrize("name", DESIGNS)
def test_calibrated_weights_equal_r(data, name):
    """rake / poststratify weights equal weights(rake(...)) / weights(postStratify(...))."""
    weights, _ = _design(data, name)
    expected = pd.read_csv(FOLDER / "weights.csv")[name]
    np.testing.assert_allclose(weights, expected, rtol=RTOL)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_proportion_equals_svymean_on_calibrated_design(data, reference, name, by, match):
    """Shares and SEs of every category equal svymean / svyby on R's calibrated design."""
    weights, arguments = _design(data, name)
    ours = proportion(data, "answer", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "answer", "mean", by), by, ["category"])
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("name", DESIGNS)
def test_share_of_a_calibration_variable_equals_r(data, reference, name, match):
    """svymean(~sex): SE ~0 overall (R ~1e-17) when sex is calibrated; svyby's domain SEs."""
    weights, arguments = _design(data, name)
    overall = match.merge(proportion(data, "sex", weights=weights, **arguments),
                          match.rows(reference, name, "sex", "mean", False), False, ["category"])
    np.testing.assert_allclose(overall["se"], overall["se_r"], rtol=RTOL, atol=1e-12)
    domains = match.merge(proportion(data, "sex", by="group", weights=weights, **arguments),
                          match.rows(reference, name, "sex", "mean", True), True, ["category"])
    np.testing.assert_allclose(domains["se"], domains["se_r"], rtol=RTOL)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_logit_interval_equals_svyciprop_on_calibrated_design(data, reference, name, by, match):
    """Logit intervals equal R's (svyglm to convergence) on the calibrated design subset."""
    weights, arguments = _design(data, name)
    ours = proportion(data, "answer", by=by, weights=weights, ci="logit", **arguments)
    rows = match.rows(reference, name, "answer", "logit", by).drop(columns="estimate")
    merged = match.merge(ours, rows, by, ["category"])
    np.testing.assert_allclose(merged["ci_low"], merged["ci_low_r"], rtol=RTOL)
    np.testing.assert_allclose(merged["ci_high"], merged["ci_high_r"], rtol=RTOL)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_mean_equals_svymean_on_calibrated_design(data, reference, name, by, match):
    """Means, SEs and t intervals equal svymean / svyby / confint on the calibrated design."""
    weights, arguments = _design(data, name)
    ours = mean(data, "x", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "x", "mean", by), by, [])
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], rtol=RTOL)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_quantile_equals_svyquantile_on_calibrated_design(data, reference, name, by, match):
    """Quartiles and Woodruff intervals equal svyquantile on the calibrated design subset."""
    weights, arguments = _design(data, name)
    ours = quantile(data, "y", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "y", "quantile", by), by, ["q"])
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_calibration_false_equals_the_weights_as_fixed(data, reference, name, match):
    """calibration=False gives svydesign(weights = ~calibrated weights)'s SEs."""
    weights, arguments = _design(data, name)
    ours = proportion(data, "answer", by="group", weights=weights, calibration=False,
                      **arguments)
    merged = match.merge(ours, match.rows(reference, name, "answer", "mean_fixed", True), True,
                         ["category"])
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-14)
    ours = mean(data, "x", by="group", weights=weights, calibration=False, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "x", "mean_fixed", True), True, [])
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL)


def test_raking_makes_the_margin_related_ses_smaller(data):
    """The calibrated SEs of a share and a mean related to the margins are below the fixed ones."""
    weights, arguments = _design(data, "rake3_strata_fpc")
    for function, column in ((proportion, "answer"), (mean, "x")):
        calibrated = function(data, column, weights=weights, **arguments)["se"]
        fixed = function(data, column, weights=weights, calibration=False, **arguments)["se"]
        assert (calibrated.iloc[:1] < fixed.iloc[:1]).all()


def test_rake_records_its_calibration(data):
    """rake's weights carry a Calibration of its margins, converged steps equal to 1."""
    weights = rake(data, {"sex": SEX, "ageband": AGE}, weights="w", tol=TIGHT)
    calibration = weights.attrs["calibration"]
    assert isinstance(calibration, Calibration)
    assert (calibration.method, calibration.columns, calibration.n_cells) == (
        "rake", ("sex", "ageband"), 9)
    np.testing.assert_allclose(calibration.steps, 1.0, rtol=1e-10)
    assert np.array_equal(calibration.weights, weights.to_numpy())


def test_poststratify_records_its_calibration(data):
    """poststratify's weights carry a Calibration with one cell per post-stratum."""
    calibration = poststratify(data, ["sex", "region"], CROSS, weights="w").attrs["calibration"]
    assert (calibration.method, calibration.columns, calibration.n_cells) == (
        "poststratify", ("sex", "region"), 6)


def test_changed_weights_are_plain_weights(data):
    """Weights changed after raking (here doubled) are taken as fixed weights."""
    weights, _ = _design(data, "rake2_weights")
    doubled = weights * 2
    assert doubled.attrs["calibration"] is weights.attrs["calibration"]
    ours = proportion(data, "answer", weights=doubled)
    fixed = proportion(data, "answer", weights=doubled.to_numpy())
    pd.testing.assert_frame_equal(ours, fixed)


def test_subset_of_the_rows_uses_plain_weights(data):
    """On a subset of the calibrated rows the weights are fixed weights (use by= instead)."""
    weights, _ = _design(data, "rake2_weights")
    part = data[data["group"] == "g1"]
    ours = mean(part, "x", weights=weights)
    fixed = mean(part, "x", weights=weights, calibration=False)
    pd.testing.assert_frame_equal(ours, fixed)


def test_explicit_calibration_with_a_weights_column(data):
    """calibration= applies a recorded calibration to weights given as a column name."""
    weights, _ = _design(data, "ps_weights")
    frame = data.assign(cw=weights.to_numpy())
    ours = proportion(frame, "answer", by="group", weights="cw",
                      calibration=weights.attrs["calibration"])
    pd.testing.assert_frame_equal(ours, proportion(data, "answer", by="group", weights=weights))


def test_frame_attrs_calibration_is_used_for_a_weights_column(data):
    """A frame whose attrs hold the calibration of its weights column gets calibrated SEs."""
    weights, _ = _design(data, "rake2_srs")
    frame = data.assign(cw=weights.to_numpy())
    frame.attrs["calibration"] = weights.attrs["calibration"]
    pd.testing.assert_frame_equal(mean(frame, "x", weights="cw"),
                                  mean(data, "x", weights=weights))


def test_frame_attrs_calibration_is_used_for_weight_values(data):
    """The frame's calibration also applies to its calibrated weights given as values."""
    weights, _ = _design(data, "ps2_strata")
    frame = data.copy()
    frame.attrs["calibration"] = weights.attrs["calibration"]
    pd.testing.assert_frame_equal(
        proportion(frame, "answer", weights=weights.to_numpy(), strata="stratum"),
        proportion(data, "answer", weights=weights, strata="stratum"))


def test_one_margin_rake_differs_from_poststratify(data):
    """Same weights, but rake() keeps R's raking projection: SEs differ from postStratify's."""
    raked = rake(data, {"ageband": AGE}, weights="w", tol=TIGHT)
    post = poststratify(data, "ageband", AGE, weights="w")
    np.testing.assert_allclose(raked, post, rtol=1e-12)
    assert not np.allclose(mean(data, "x", weights=raked)["se"],
                           mean(data, "x", weights=post)["se"], rtol=1e-6)


def test_explicit_calibration_without_weights_uses_its_weights(data):
    """calibration= alone weights the data by the calibrated weights."""
    weights, _ = _design(data, "rake2_weights")
    ours = mean(data, "x", by="group", calibration=weights.attrs["calibration"])
    pd.testing.assert_frame_equal(ours, mean(data, "x", by="group", weights=weights))


def test_explicit_calibration_on_other_rows_is_an_error(data):
    """A calibration recorded on other rows raises a SurveyError naming the rows."""
    weights, _ = _design(data, "rake2_weights")
    with pytest.raises(SurveyError, match="other rows"):
        proportion(data.iloc[:50], "answer", calibration=weights.attrs["calibration"])


def test_calibration_of_the_wrong_type_is_an_error(data):
    """calibration= must be a Calibration, False or None."""
    with pytest.raises(SurveyError, match="is not a calibration"):
        mean(data, "x", weights="w", calibration="rake")


def test_calibration_survives_parquet_as_a_summary(data, tmp_path):
    """Weights written to Parquet keep a JSON summary; read back they are plain weights."""
    weights, _ = _design(data, "rake2_weights")
    weights.to_frame().to_parquet(tmp_path / "w.parquet")
    back = pd.read_parquet(tmp_path / "w.parquet")
    assert back.attrs["calibration"] == {"method": "rake", "columns": ["sex", "ageband"],
                                         "rows": 200, "cells": 9}
    pd.testing.assert_frame_equal(mean(data, "x", weights=back["weight"]),
                                  mean(data, "x", weights=weights, calibration=False))
