"""compare_baseline on raked weights: the pilot's figures are those of R's calibrated
design (tests/fixtures/calibration/make_reference.R, R survey 4.1: svymean on
rake(svydesign(ids = ~1, weights = ~w), list(~sex, ~ageband), ...)), its tests rest on
the n those figures imply, and a share the raking fixes is tested against the
reference's sample alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import proportion as smp

from analysis import compare_baseline, rake
from analysis.baselines import baselines

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "calibration"
SEX = {"F": 5200, "M": 4500, "X": 300}
AGE = {"<35": 3000, "35-49": 4000, "50+": 3000}
TIGHT = 1e-13  # R: rake(control = list(maxit = 1000, epsilon = 1e-13))
RTOL = 1e-9
CATALOGUE = """source_id,indicator,value,unit,base_n,kind,variable,condition
my-2024,answer_a,0.25,share,300,agent,answer,{equals: a}
my-2024,x_mean,20,km,,agent,x,
my-2024,men,0.40,share,500,agent,sex,{equals: M}
my-2024,women,0.50,share,,agent,sex,{equals: F}
"""


@pytest.fixture(scope="module")
def raked(calibration_data) -> pd.DataFrame:
    """The 200 respondents with R's rake2_weights weights, carrying their calibration."""
    data = calibration_data.copy()
    data["sex"] = data["sex"].astype("category")
    weights = rake(data, {"sex": SEX, "ageband": AGE}, weights="w", tol=TIGHT)
    data["weight"] = weights.to_numpy()
    data.attrs["calibration"] = weights.attrs["calibration"]
    return data


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """R's estimates on the rake2_weights design (calibrated, and weights taken as fixed)."""
    table = pd.read_csv(FOLDER / "reference.csv", keep_default_na=False, na_values=[""])
    return table[(table["design"] == "rake2_weights") & (table["group"].isna())]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "mine.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    return baselines(extra=path)


@pytest.fixture(scope="module")
def table(raked, catalogue) -> pd.DataFrame:
    return compare_baseline(raked, "my-2024", kind="agent", weights="weight",
                            baselines=catalogue).set_index("indicator")


def _r(reference, variable, statistic, category=None) -> pd.Series:
    rows = reference[(reference["variable"] == variable)
                     & (reference["statistic"] == statistic)]
    if category is not None:
        rows = rows[rows["category"] == category]
    return rows.iloc[0]


def test_share_equals_r_on_the_calibrated_design(table, reference):
    """A share the raking does not fix: estimate and standard error of R's rake()."""
    r = _r(reference, "answer", "mean", "a")
    assert table.loc["answer_a", "estimate"] == pytest.approx(r["estimate"], rel=RTOL)
    assert table.loc["answer_a", "se"] == pytest.approx(r["se"], rel=RTOL)


def test_mean_equals_r_on_the_calibrated_design(table, reference):
    """A mean: estimate, standard error and interval of R's rake() (svymean, confint)."""
    r = _r(reference, "x", "mean")
    row = table.loc["x_mean"]
    for column in ("estimate", "se", "ci_low", "ci_high"):
        assert row[column] == pytest.approx(r[column], rel=RTOL)


def test_share_test_rests_on_the_n_the_calibrated_interval_implies(table, reference, raked):
    """The score test's n is Kish's effective n times (fixed-weights se / calibrated se)^2,
    both standard errors R's (mean_fixed: the weights taken as design weights)."""
    calibrated = _r(reference, "answer", "mean", "a")["se"]
    fixed = _r(reference, "answer", "mean_fixed", "a")["se"]
    w = raked.loc[raked["answer"].notna(), "weight"].to_numpy()
    n_test = w.sum() ** 2 / (w ** 2).sum() * (fixed / calibrated) ** 2
    p = table.loc["answer_a", "estimate"]
    direct = smp.test_proportions_2indep(p * n_test, n_test, 0.25 * 300, 300, method="score")
    assert table.loc["answer_a", "p_value"] == pytest.approx(direct.pvalue, rel=1e-7)
    assert "adjusted for the raking" in table.loc["answer_a", "note"]


def test_a_raking_margin_has_no_sampling_error(table, reference):
    """The share of men is the margin (0.45): R's standard error is 0 (to rounding)."""
    r = _r(reference, "sex", "mean", "M")
    row = table.loc["men"]
    assert row["estimate"] == pytest.approx(r["estimate"], rel=RTOL)
    assert abs(r["se"]) < 1e-12 and row["se"] == pytest.approx(0, abs=1e-12)
    assert row["ci_low"] == pytest.approx(0.45, rel=1e-12)
    assert row["ci_high"] == pytest.approx(0.45, rel=1e-12)


def test_a_raking_margin_is_tested_against_the_reference_sample(table):
    """Men 45 % (exact) against 40 % of 500: the score test of 200 of 500 against 0.45,
    and 0.45 minus the reference's Wilson interval."""
    row = table.loc["men"]
    p = row["estimate"]  # 0.45 to rounding
    z = (0.40 - p) / np.sqrt(p * (1 - p) / 500)
    assert row["test"] == "reference_score"
    assert row["statistic"] == pytest.approx(-z, rel=1e-12)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)
    centre = (200 + 1.959964 ** 2 / 2) / (500 + 1.959964 ** 2)
    half = 1.959964 / (500 + 1.959964 ** 2) * np.sqrt(200 * 300 / 500 + 1.959964 ** 2 / 4)
    assert row["difference_ci_low"] == pytest.approx(p - (centre + half), rel=1e-5)
    assert row["difference_ci_high"] == pytest.approx(p - (centre - half), rel=1e-5)
    assert "reference's sample alone" in row["note"]


def test_a_raking_margin_without_reference_n_is_not_tested(table):
    """Women 52 % (exact) against a published 50 % without n: nothing to test, said so."""
    row = table.loc["women"]
    assert row["test"] == "none" and np.isnan(row["p_value"])
    assert row["verdict_en"].startswith("not tested")
    assert row["verdict_fr"].startswith("pas de test")


def test_weights_taken_as_fixed_with_calibration_false(raked, catalogue):
    """calibration=False: the weights are taken as design weights, and the share of men
    has a sampling error again (tested as any share)."""
    table = compare_baseline(raked, "my-2024", kind="agent", weights="weight",
                             baselines=catalogue, calibration=False).set_index("indicator")
    assert table.loc["men", "se"] > 0.01
    assert table.loc["men", "test"] == "two_sample_score"
    assert "adjusted for the raking" not in table.loc["answer_a", "note"]
