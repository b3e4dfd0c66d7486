"""profile(by=)'s design-based tests on a raked design with a finite population, against R.

tests/fixtures/profile/make_fpc_tests_reference.R rakes the 240 respondents of
calibrated_data.csv (a population of 300) on sex and age band, from
svydesign(ids = ~1, fpc = ~N) and from the same design without fpc, and writes R survey
4.1.1's svychisq(statistic = "F") and regTermTest(svyglm()) results on each. profile()
given the raked weights and population=300 uses the first (its estimates' own design);
without population, the second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import profile, rake

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "profile"
SEX = {"F": 156, "M": 135, "X": 9}
AGE = {"<35": 90, "35-49": 120, "50+": 90}
POPULATION = 300
COLUMNS = ["test_statistic", "df", "df_denominator", "p_value"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """The respondents, categories as Survey.data."""
    data = pd.read_csv(FOLDER / "calibrated_data.csv", keep_default_na=False, na_values=[""])
    for column in ("sex", "ageband", "region", "group"):
        data[column] = data[column].astype("category")
    data["answer"] = pd.Categorical(data["answer"], categories=["a", "b", "c"])
    return data.drop(columns=["stratum", "N", "w"])


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's tests: one row per design (fpc, no_fpc), test, variable and by."""
    return pd.read_csv(FOLDER / "fpc_tests_reference.csv")


def _row(data, variable, by, population):
    weights = rake(data, {"sex": SEX, "ageband": AGE}, tol=1e-13)
    table = profile(data, [variable], by=by, weights=weights, population=population)
    return table.iloc[0]


@pytest.mark.parametrize("design,population", [("fpc", POPULATION), ("no_fpc", None)])
def test_profile_tests_equal_r(data, reference, design, population):
    """Every test equals R's on the design with (or without) the population's correction."""
    rows = reference[reference["design"] == design]
    assert len(rows) == 6
    for ref in rows.itertuples():
        got = _row(data, ref.variable, ref.by, population)
        expected = [ref.statistic, ref.df, ref.df_denominator, ref.p_value]
        np.testing.assert_allclose([float(got[c]) for c in COLUMNS], expected,
                                   rtol=1e-8, err_msg=f"{ref.variable} by {ref.by}")


def test_correction_changes_the_tests(reference):
    """The fixtures tell the designs apart (the tests above cannot pass on the wrong one)."""
    fpc = reference[reference["design"] == "fpc"].reset_index(drop=True)
    plain = reference[reference["design"] == "no_fpc"].reset_index(drop=True)
    assert (fpc["statistic"] / plain["statistic"] > 2).all()
