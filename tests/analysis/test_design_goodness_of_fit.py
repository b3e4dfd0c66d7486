"""goodness_of_fit (Rao–Scott, as R survey's svygofchisq) against R on four designs.

tests/fixtures/goodness_of_fit/make_reference.R writes the 231 answers it tests
(data.csv: the respondents of ../profile/calibrated_data.csv who answered) and R survey
4.1.1's svygofchisq(~answer, p = c(.40, .35, .25), design) on: fixed weights; strata
with weights and fpc; raked on sex and age band from svydesign(fpc = ~300); the same
raking without fpc.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import rake
from analysis._design import make_design
from analysis.design_tests import goodness_of_fit

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "goodness_of_fit"
EXPECTED = np.array([0.40, 0.35, 0.25])
SEX = {"F": 156, "M": 135, "X": 9}
AGE = {"<35": 90, "35-49": 120, "50+": 90}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    data = pd.read_csv(FOLDER / "data.csv")
    for column in ("stratum", "sex", "ageband"):
        data[column] = data[column].astype("category")
    return data


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(FOLDER / "reference.csv").set_index("design")


def _design(data: pd.DataFrame, name: str):
    if name == "weights":
        return make_design(data, weights="w")
    if name == "strata_fpc":
        return make_design(data, weights="w", strata="stratum", population="N")
    weights = rake(data, {"sex": SEX, "ageband": AGE}, tol=1e-13)
    return make_design(data.assign(rw=weights.to_numpy()), weights="rw",
                       population=300 if name == "rake_fpc" else None,
                       calibration=weights.attrs["calibration"])


@pytest.mark.parametrize("name", ["weights", "strata_fpc", "rake_fpc", "rake"])
def test_equals_svygofchisq(data, reference, name):
    """Statistic, Satterthwaite scale and df, and p-value equal R's."""
    codes = data["answer"].map({"a": 0, "b": 1, "c": 2}).to_numpy()
    got = goodness_of_fit(_design(data, name), codes, EXPECTED)
    expected = reference.loc[name]
    np.testing.assert_allclose([got["statistic"], got["scale"], got["df"], got["p_value"]],
                               expected[["statistic", "scale", "df", "p_value"]].to_numpy(float),
                               rtol=1e-8)


def test_fixture_tells_the_designs_apart(reference):
    """The four designs give four different p-values (the test above can tell them)."""
    assert reference["p_value"].round(6).nunique() == 4


def test_order_of_categories_does_not_matter(data):
    """Listing the categories in another order gives the same test. (R survey 4.1.1's
    svygofchisq does not: it splits the expected shares with split(), which sorts the
    levels, so unsorted levels pair each category with another's share in the
    eigenvalues; on the demo's Randstad distribution, p = 4.2e-17 with its levels in
    the codebook's order and 7.47e-21, this function's value, with them sorted.)"""
    codes = data["answer"].map({"a": 0, "b": 1, "c": 2}).to_numpy()
    design = _design(data, "rake_fpc")
    first = goodness_of_fit(design, codes, EXPECTED)
    order = np.array([2, 0, 1])                 # c, a, b
    recoded = np.argsort(order)[codes]
    second = goodness_of_fit(design, recoded, EXPECTED[order])
    assert second["p_value"] == pytest.approx(first["p_value"], rel=1e-12)
    assert second["df"] == pytest.approx(first["df"], rel=1e-12)
