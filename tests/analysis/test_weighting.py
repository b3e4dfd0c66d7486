"""Raking, post-stratification and trimming against R survey 4.1 (fixtures/survey/weights.csv)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import ConvergenceError, poststratify, rake, trim_weights
from surveys.errors import SurveyError

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "survey"
# The population margins of make_reference.R
SEX = {"F": 5200, "M": 4500, "X": 300}
AGE = {"<35": 3000, "35-49": 4000, "50+": 3000}
REGION = {"north": 4500, "south": 5500}
CROSS = {("F", "north"): 2300, ("M", "north"): 2000, ("X", "north"): 200,
         ("F", "south"): 2900, ("M", "south"): 2500, ("X", "south"): 100}


def _shares(margin):
    total = sum(margin.values())
    return {key: value / total for key, value in margin.items()}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The 150 respondents of make_reference.R."""
    return pd.read_csv(FOLDER / "survey.csv")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's calibrated weights, one row per respondent."""
    return pd.read_csv(FOLDER / "weights.csv")


def test_rake_equals_r_rake(data, reference):
    """Three margins given as totals: R rake(design, list(~sex, ~ageband, ~region), ...)."""
    weights = rake(data, {"sex": SEX, "ageband": AGE, "region": REGION}, weights="w")
    np.testing.assert_allclose(weights, reference["raked"], rtol=1e-6)
    assert weights.index.equals(data.index)


def test_rake_shares_scale_to_the_input_weights(data, reference):
    """Margins given as shares are scaled to the sum of the starting weights."""
    margins = {"sex": _shares(SEX), "ageband": _shares(AGE), "region": _shares(REGION)}
    weights = rake(data, margins, weights="w")
    np.testing.assert_allclose(weights, reference["raked_shares"], rtol=1e-6)
    assert weights.sum() == pytest.approx(data["w"].sum(), rel=1e-10)


def test_rake_without_weights_starts_from_one(data, reference):
    """Unweighted start, two margins: R rake on svydesign(ids = ~1, data = d)."""
    weights = rake(data, {"sex": SEX, "region": REGION})
    np.testing.assert_allclose(weights, reference["raked_srs"], rtol=1e-6)


def test_rake_meets_every_margin(data):
    """After raking each margin's weighted totals equal the targets."""
    weights = rake(data, {"sex": SEX, "ageband": AGE, "region": REGION}, weights="w")
    for column, margin in (("sex", SEX), ("ageband", AGE), ("region", REGION)):
        totals = weights.groupby(data[column]).sum()
        assert totals.to_dict() == pytest.approx(margin, rel=1e-9)


def test_rake_shares_mixed_with_totals_use_the_totals(data):
    """A share margin next to a totals margin is scaled to that population total."""
    weights = rake(data, {"sex": _shares(SEX), "region": REGION}, weights="w")
    assert weights.groupby(data["sex"]).sum().to_dict() == pytest.approx(SEX, rel=1e-9)


def test_rake_matches_keys_without_regard_to_case(data):
    """Margin keys match the data's values ignoring case and spaces."""
    upper = {key.upper(): value for key, value in REGION.items()}
    pd.testing.assert_series_equal(rake(data, {"region": upper}), rake(data, {"region": REGION}))


def test_poststratify_equals_r(data, reference):
    """postStratify(design, ~sex, pop) weights."""
    weights = poststratify(data, "sex", SEX, weights="w")
    np.testing.assert_allclose(weights, reference["poststratified"], rtol=1e-12)


def test_poststratify_on_two_columns_equals_r(data, reference):
    """postStratify(design, ~sex + region, pop) weights, totals given by tuples."""
    weights = poststratify(data, ["sex", "region"], CROSS, weights="w")
    np.testing.assert_allclose(weights, reference["poststratified_cross"], rtol=1e-12)


def test_poststratify_accepts_a_totals_frame(data):
    """A DataFrame of the columns plus `total` is the same as the mapping."""
    frame = pd.DataFrame([(s, r, t) for (s, r), t in CROSS.items()],
                         columns=["sex", "region", "total"])
    pd.testing.assert_series_equal(poststratify(data, ["sex", "region"], frame, weights="w"),
                                   poststratify(data, ["sex", "region"], CROSS, weights="w"))


def test_inconsistent_margins_are_an_error(data):
    """Margins whose totals differ are refused with both totals shown."""
    with pytest.raises(SurveyError, match="same population total"):
        rake(data, {"sex": SEX, "region": {"north": 4500, "south": 6000}})


def test_margin_category_without_respondent_is_an_error(data):
    """A margin category nobody is in is refused, naming it."""
    with pytest.raises(SurveyError, match="No respondent is in margin category 'Z'"):
        rake(data, {"sex": {**SEX, "Z": 10}, "region": {"north": 4505, "south": 5505}})


def test_respondent_category_absent_from_margins_is_an_error(data):
    """A respondent whose category is missing from the margins is refused, naming it."""
    with pytest.raises(SurveyError, match="sex = 'X' have no margin value"):
        rake(data, {"sex": {"F": 5200, "M": 4800}})


def test_missing_value_in_a_margin_column_is_an_error(data):
    """Respondents without a value for a raking variable are refused."""
    holed = data.assign(sex=data["sex"].where(data.index != 3))
    with pytest.raises(SurveyError, match="1 respondent with no value"):
        rake(holed, {"sex": SEX})


def test_unknown_margin_column_suggests_one(data):
    """A misspelt margin column raises SurveyError with a suggestion."""
    with pytest.raises(SurveyError, match="Did you mean 'region'"):
        rake(data, {"regoin": REGION})


def test_impossible_margins_raise_convergence_error():
    """Margins the cells cannot meet together raise ConvergenceError naming what to check."""
    df = pd.DataFrame({"sex": ["F"] * 5 + ["M"] * 5, "age": ["young"] * 5 + ["old"] * 5})
    with pytest.raises(ConvergenceError, match="Check that the margins can be met") as error:
        rake(df, {"sex": {"F": 50, "M": 50}, "age": {"young": 30, "old": 70}}, max_iter=50)
    assert isinstance(error.value, SurveyError)


def test_trim_keeps_bounds_and_total(rng):
    """Trimmed weights lie within the bounds and keep the total."""
    weights = pd.Series(rng.lognormal(0, 1, 500), index=np.arange(500) + 10)
    trimmed = trim_weights(weights, lower=0.3, upper=4.0)
    assert trimmed.index.equals(weights.index)
    assert trimmed.sum() == pytest.approx(weights.sum(), rel=1e-12)
    assert trimmed.min() >= 0.3 - 1e-12 and trimmed.max() <= 4.0 + 1e-12
    inside = (weights > 0.3) & (weights < 4.0) & (trimmed > 0.3) & (trimmed < 4.0)
    ratio = trimmed[inside] / weights[inside]
    assert ratio.max() == pytest.approx(ratio.min(), rel=1e-9)


def test_trim_relative_bounds_are_multiples_of_the_mean():
    """relative=True reads the bounds as multiples of the mean weight."""
    trimmed = trim_weights(np.array([1.0, 1.0, 1.0, 1.0, 16.0]), upper=2.0, relative=True)
    assert trimmed.max() == pytest.approx(2.0 * 20 / 5)
    assert trimmed.sum() == pytest.approx(20.0)


def test_trim_impossible_bounds_are_an_error():
    """Bounds that cannot hold the total are refused."""
    with pytest.raises(SurveyError, match="widen the bounds"):
        trim_weights([1.0, 2.0, 3.0], upper=1.5)
