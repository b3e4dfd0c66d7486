"""rao_scott / design_wald / profile(by=) on raked and post-stratified weights, against R.

tests/fixtures/profile/make_calibrated_reference.R builds seven calibrated designs (rake()
with 1 to 3 margins, postStratify() on one or two variables; weights only, strata, strata
and fpc) on the 240 respondents of calibrated_data.csv and writes R survey 4.1.1's
svychisq(statistic = "F") and regTermTest(svyglm()) results on each, and on the same
calibrated weights taken as fixed design weights. Here the weights come from analysis.rake /
analysis.poststratify and carry their calibration.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import poststratify, rake
from analysis.profile import design_wald, profile, rao_scott
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "profile"
SEX = {"F": 5200, "M": 4500, "X": 300}
AGE = {"<35": 3000, "35-49": 4000, "50+": 3000}
REGION = {"north": 4500, "south": 5500}
CROSS = {("F", "north"): 2300, ("M", "north"): 2000, ("X", "north"): 200,
         ("F", "south"): 2900, ("M", "south"): 2500, ("X", "south"): 100}
TIGHT = 1e-13  # R: rake(control = list(maxit = 1000, epsilon = 1e-13))
# The designs of make_calibrated_reference.R: how bilan builds the weights, and the design
# of the base R design (None: weights only; "strata"; "strata_fpc": strata and fpc = ~N).
DESIGNS = {
    "rake2_weights": (lambda d: rake(d, {"sex": SEX, "ageband": AGE}, weights="w", tol=TIGHT),
                      None),
    "rake2_strata": (lambda d: rake(d, {"sex": SEX, "region": REGION}, weights="w",
                                    tol=TIGHT), "strata"),
    "rake3_strata_fpc": (lambda d: rake(d, {"sex": SEX, "ageband": AGE, "region": REGION},
                                        weights="w", tol=TIGHT), "strata_fpc"),
    "rake1_weights": (lambda d: rake(d, {"ageband": AGE}, weights="w", tol=TIGHT), None),
    "ps_weights": (lambda d: poststratify(d, "sex", SEX, weights="w"), None),
    "ps_strata_fpc": (lambda d: poststratify(d, "ageband", AGE, weights="w"), "strata_fpc"),
    "ps2_strata": (lambda d: poststratify(d, ["sex", "region"], CROSS, weights="w"),
                   "strata"),
}
UNSTRATIFIED = [name for name, (_, base) in DESIGNS.items() if base is None]
RTOL = 1e-9
VALUES = ["test_statistic", "df", "df_denominator", "p_value"]
TESTS = {"rao_scott_f": rao_scott, "design_wald_f": design_wald}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The 240 respondents make_calibrated_reference.R wrote, categories as Survey.data."""
    data = pd.read_csv(FOLDER / "calibrated_data.csv", keep_default_na=False, na_values=[""])
    for column in ("stratum", "sex", "ageband", "region", "group"):
        data[column] = data[column].astype("category")
    data["answer"] = pd.Categorical(data["answer"], categories=["a", "b", "c"])
    return data


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's results: one row per design, kind (calibrated/fixed), test, variable and by."""
    return pd.read_csv(FOLDER / "calibrated_reference.csv")


@pytest.fixture(scope="module")
def weights(data) -> dict:
    """Each design's calibrated weights (a Series carrying its calibration)."""
    return {name: make(data) for name, (make, _) in DESIGNS.items()}


def _arguments(data, name) -> dict:
    base = DESIGNS[name][1]
    if base is None:
        return {}
    arguments = {"strata": data["stratum"]}
    if base == "strata_fpc":
        arguments["population"] = data["N"]
    return arguments


def _check(reference, name, kind, compute) -> int:
    """Compare ``compute(test, variable, by)`` with R's rows of one design and kind."""
    rows = reference[(reference.design == name) & (reference.kind == kind)]
    assert len(rows) == 8
    for ref in rows.itertuples():
        got = compute(ref.test, ref.variable, ref.by)
        assert got["test"] == ref.test
        np.testing.assert_allclose(
            [got[key] for key in VALUES],
            [ref.statistic, ref.df, ref.df_denominator, ref.p_value], rtol=RTOL, atol=1e-15,
            err_msg=f"{name} {kind} {ref.test} {ref.variable} ~ {ref.by}")
    return len(rows)


@pytest.mark.parametrize("name", DESIGNS)
def test_weights_equal_r(data, weights, name):
    """The calibrated weights equal weights(rake(...)) / weights(postStratify(...)) in R."""
    expected = pd.read_csv(FOLDER / "calibrated_weights.csv")[name]
    np.testing.assert_allclose(weights[name], expected, rtol=1e-10)


@pytest.mark.parametrize("name", DESIGNS)
def test_tests_equal_r_on_calibrated_design(data, reference, weights, name):
    """rao_scott / design_wald equal svychisq / regTermTest on R's calibrated design."""
    arguments = _arguments(data, name)
    _check(reference, name, "calibrated", lambda test, variable, by: TESTS[test](
        data[variable], data[by], weights[name], **arguments))


@pytest.mark.parametrize("name", DESIGNS)
def test_calibration_false_equals_r_fixed_weights(data, reference, weights, name):
    """calibration=False treats the calibrated weights as fixed: R's svydesign(weights=~cw)."""
    arguments = _arguments(data, name)
    _check(reference, name, "fixed", lambda test, variable, by: TESTS[test](
        data[variable], data[by], weights[name], calibration=False, **arguments))


@pytest.mark.parametrize("name", ["rake3_strata_fpc", "ps2_strata"])
def test_plain_weights_are_fixed(data, reference, weights, name):
    """The same weights as a plain array (no calibration attached) give the fixed answers."""
    arguments = _arguments(data, name)
    plain = weights[name].to_numpy()
    _check(reference, name, "fixed", lambda test, variable, by: TESTS[test](
        data[variable], data[by], plain, **arguments))


@pytest.mark.parametrize("name", DESIGNS)
def test_explicit_calibration_equals_found_one(data, reference, weights, name):
    """Passing calibration= with plain weights equals finding it on the weights."""
    arguments = _arguments(data, name)
    found = weights[name].attrs["calibration"]
    plain = weights[name].to_numpy()
    _check(reference, name, "calibrated", lambda test, variable, by: TESTS[test](
        data[variable], data[by], plain, calibration=found, **arguments))


def test_fixtures_tell_calibrated_from_fixed(reference):
    """R's calibrated and fixed statistics differ, so the tests above can tell them apart
    (except where the post-stratum itself is tested, which R's projection leaves as is)."""
    calibrated = reference[reference.kind == "calibrated"].reset_index(drop=True)
    fixed = reference[reference.kind == "fixed"].reset_index(drop=True)
    assert (calibrated[["design", "test", "variable", "by"]]
            .equals(fixed[["design", "test", "variable", "by"]]))
    change = np.abs(calibrated["statistic"] / fixed["statistic"] - 1)
    on_post_stratum = ((calibrated["design"] == "ps_weights")
                       & ((calibrated["variable"] == "sex") | (calibrated["by"] == "sex")))
    assert (change[~on_post_stratum] > 1e-4).all()
    assert on_post_stratum.sum() == 2


@pytest.mark.parametrize("name", UNSTRATIFIED)
def test_profile_by_uses_calibration_of_weights(data, reference, weights, name):
    """profile(by=) with rake()/poststratify() weights gives R's calibrated-design tests."""
    _check(reference, name, "calibrated", lambda test, variable, by: profile(
        data, [variable], by=by, weights=weights[name]).iloc[0])


@pytest.mark.parametrize("name", UNSTRATIFIED)
def test_profile_finds_calibration_on_frame(data, reference, weights, name):
    """A weight column with the calibration in frame.attrs (as analysis.evaluate) is used."""
    frame = data.assign(cw=weights[name].to_numpy())
    frame.attrs["calibration"] = weights[name].attrs["calibration"]
    _check(reference, name, "calibrated", lambda test, variable, by: profile(
        frame, [variable], by=by, weights="cw").iloc[0])


@pytest.mark.parametrize("name", UNSTRATIFIED)
def test_profile_calibration_false_is_fixed(data, reference, weights, name):
    """profile(..., calibration=False) gives R's tests with the weights as fixed."""
    _check(reference, name, "fixed", lambda test, variable, by: profile(
        data, [variable], by=by, weights=weights[name], calibration=False).iloc[0])


def test_profile_estimates_use_the_same_calibration(data, weights):
    """profile's shares carry the calibrated SEs of analysis.proportion with those weights."""
    from analysis import proportion

    table = profile(data, ["answer"], by="group", weights=weights["rake2_weights"])
    expected = proportion(data, "answer", by="group", weights=weights["rake2_weights"])
    fixed = proportion(data, "answer", by="group", weights=weights["rake2_weights"],
                       calibration=False)
    np.testing.assert_allclose(table["se"], expected["se"], rtol=1e-12)
    assert not np.allclose(table["se"], fixed["se"], rtol=1e-6)


def test_old_fixture_unchanged_with_calibration_false():
    """On the original profile fixture (fixed weights) calibration=False gives R's values."""
    data = pd.read_csv(FOLDER / "data.csv", keep_default_na=False, na_values=[""])
    reference = pd.read_csv(FOLDER / "reference.csv")
    for ref in reference.itertuples():
        got = TESTS[ref.test](data[ref.variable], data[ref.by], data["w"], calibration=False)
        np.testing.assert_allclose([got[key] for key in VALUES],
                                   [ref.statistic, ref.df, ref.df_denominator, ref.p_value],
                                   rtol=1e-9)
    assert len(reference) == 10


def test_calibration_of_other_rows_is_refused(data, weights):
    """A calibration made on other rows raises a SurveyError naming what to pass."""
    found = weights["rake2_weights"].attrs["calibration"]
    half = data.iloc[:120]
    with pytest.raises(SurveyError, match="other rows"):
        rao_scott(half["answer"], half["group"], half["w"], calibration=found)
