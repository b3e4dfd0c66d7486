"""Chained calibrations (post-stratify then rake, rake then rake, ...) against R survey 4.1.

make_chain_reference.R builds six designs on the 200 respondents of
fixtures/calibration/data.csv whose weights were calibrated in two or three steps, and
writes R's svymean / svytotal / svyby / svyquantile results (chain_reference.csv) and
svychisq / regTermTest (chain_tests.csv): R keeps every step in the
design's postStrata and projects the influence values on each in turn. Here the same
weights come from analysis.poststratify / analysis.rake given the weights of the
previous step, whose calibration the new one keeps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import Calibration, mean, poststratify, proportion, quantile, rake
from analysis._calibration import calibration_shift
from analysis._design import calibrated_variance, factor_codes, group_codes, make_design
from analysis.design_tests import design_wald, rao_scott
from analysis.profile import profile

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "calibration"
SEX = {"F": 5200, "M": 4500, "X": 300}
AGE = {"<35": 3000, "35-49": 4000, "50+": 3000}
REGION = {"north": 4500, "south": 5500}
TIGHT = 1e-13  # R: rake(control = list(maxit = 1000, epsilon = 1e-13))
STRATA_FPC = {"strata": "stratum", "population": "N"}


def _ps_rake(d):
    return rake(d, {"ageband": AGE, "region": REGION},
                weights=poststratify(d, "sex", SEX, weights="w"), tol=TIGHT)


def _rake_rake(d, weights="w", first=None):
    first = rake(d, first or {"sex": SEX, "ageband": AGE}, weights=weights, tol=TIGHT)
    return rake(d, {"region": REGION, "ageband": AGE}, weights=first, tol=TIGHT)


# The designs of make_chain_reference.R: how bilan builds the weights, and the design
# arguments of the base R design.
#   ps_rake_weights       rake(postStratify(svydesign(weights=~w), ~sex), list(~ageband, ~region))
#   ps_rake_strata_fpc    the same on svydesign(strata=~stratum, weights=~w, fpc=~N)
#   rake_rake_weights     rake(rake(svydesign(weights=~w), list(~sex, ~ageband)),
#                              list(~region, ~ageband))
#   rake_rake_srs         rake(rake(svydesign(ids=~1), list(~sex)), list(~region, ~ageband))
#   rake_ps_strata        postStratify(rake(svydesign(strata=~stratum, weights=~w),
#                                           list(~sex, ~ageband)), ~region)
#   ps_rake_rake_weights  rake(rake(postStratify(svydesign(weights=~w), ~region), list(~sex)),
#                              list(~ageband))
DESIGNS = {
    "ps_rake_weights": (_ps_rake, {}),
    "ps_rake_strata_fpc": (_ps_rake, STRATA_FPC),
    "rake_rake_weights": (_rake_rake, {}),
    "rake_rake_srs": (lambda d: _rake_rake(d, None, {"sex": SEX}), {}),
    "rake_ps_strata": (lambda d: poststratify(
        d, "region", REGION,
        weights=rake(d, {"sex": SEX, "ageband": AGE}, weights="w", tol=TIGHT)),
        {"strata": "stratum"}),
    "ps_rake_rake_weights": (lambda d: rake(d, {"ageband": AGE}, tol=TIGHT, weights=rake(
        d, {"sex": SEX}, tol=TIGHT, weights=poststratify(d, "region", REGION, weights="w"))),
        {}),
}
RTOL = 1e-10


@pytest.fixture(scope="module")
def data(calibration_data) -> pd.DataFrame:
    """The 200 respondents of tests/fixtures/calibration/make_reference.R."""
    return calibration_data


@pytest.fixture(scope="module")
def reference(read_reference) -> pd.DataFrame:
    """R's values (chain_reference.csv: one row per design, variable, group, category,
    statistic)."""
    return read_reference(FOLDER / "chain_reference.csv")


@pytest.fixture(scope="module")
def designs(data) -> dict:
    """Each design's chained weights (a Series carrying its calibration) and arguments."""
    return {name: (make(data), arguments) for name, (make, arguments) in DESIGNS.items()}


def _totals(data, column, by, weights, arguments) -> pd.DataFrame:
    """Weighted totals (of each category, or of a number) per group and their SEs from the
    calibration residuals (calibration_shift / calibrated_variance), as R's svytotal."""
    design = make_design(data, weights=weights, **arguments)
    groups = group_codes(data, [by] if by else [])
    if not pd.api.types.is_numeric_dtype(data[column].dtype):
        codes, categories = factor_codes(data[column])
        values = (codes[:, None] == np.arange(len(categories))).astype(float)
    else:
        categories = [""]
        values = data[column].to_numpy(dtype=float)[:, None]
    values = np.where(np.isnan(values), 0.0, values)                 # na.rm: no residual
    u = values[:, None, :] * (groups.codes[:, None] == np.arange(groups.count))[:, :, None]
    h, a, w = design.n_strata, design.n_cells, design.weights
    place = design.stratum * a + design.cell
    weighted = np.stack([np.bincount(place, weights=w * column, minlength=h * a)
                         for column in u.reshape(len(data), -1).T], axis=-1).reshape(h, a, -1)
    unweighted = np.stack([np.bincount(design.cell, weights=column, minlength=a)
                           for column in u.reshape(len(data), -1).T], axis=-1)
    shift = calibration_shift(design, unweighted, weighted)
    _, _, square = design.cell_totals
    residual = w[:, None] * (u.reshape(len(data), -1) + shift[design.cell])
    inside = np.stack([np.bincount(design.stratum, weights=column**2, minlength=h)
                       for column in residual.T], axis=-1)
    variance = calibrated_variance(design, weighted, shift,
                                   np.broadcast_to(square[:, :, None], weighted.shape), inside)
    keys = groups.keys.astype(str).reset_index(drop=True)
    return pd.DataFrame({
        "group": np.repeat(keys[by].to_numpy() if by else "", len(categories)),
        "category": np.tile(np.asarray(categories, dtype=str), groups.count),
        "estimate": (w[:, None] * u.reshape(len(data), -1)).sum(axis=0),
        "se": np.sqrt(variance),
    })


@pytest.mark.parametrize("name", DESIGNS)
def test_chained_weights_equal_r(designs, name):
    """The final weights equal weights() of R's chained design."""
    expected = pd.read_csv(FOLDER / "chain_weights.csv")[name]
    np.testing.assert_allclose(designs[name][0], expected, rtol=RTOL)


@pytest.mark.parametrize("name", DESIGNS)
def test_chain_keeps_every_step(designs, name):
    """The calibration holds one step per R postStrata entry, the earliest first."""
    steps = designs[name][0].attrs["calibration"].chain
    expected = [part.replace("ps", "poststratify") for part in name.split("_")
                if part in ("ps", "rake")]
    assert [step.method for step in steps] == expected


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_proportion_equals_svymean_on_chained_design(data, reference, designs, name, by, match):
    """Shares and SEs equal svymean / svyby on R's design calibrated in several steps."""
    weights, arguments = designs[name]
    ours = proportion(data, "answer", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "answer", "mean", by), by, ["category"])
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_share_calibrated_in_a_step_equals_r(data, reference, designs, name, by, match):
    """svymean(~sex) / svyby: sex is calibrated in one step (or none), the SEs still match."""
    weights, arguments = designs[name]
    ours = proportion(data, "sex", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "sex", "mean", by), by, ["category"])
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_mean_equals_svymean_on_chained_design(data, reference, designs, name, by, match):
    """Means, SEs and t intervals equal svymean / svyby / confint on the chained design."""
    weights, arguments = designs[name]
    ours = mean(data, "x", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "x", "mean", by), by, [])
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], rtol=RTOL)


@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_quantile_equals_svyquantile_on_chained_design(data, reference, designs, name, by, match):
    """Quartiles and Woodruff intervals equal svyquantile on the chained design subset."""
    weights, arguments = designs[name]
    ours = quantile(data, "y", by=by, weights=weights, **arguments)
    merged = match.merge(ours, match.rows(reference, name, "y", "quantile", by), by, ["q"])
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], rtol=RTOL)


@pytest.mark.parametrize("variable", ["answer", "sex", "x"])
@pytest.mark.parametrize("by", [None, "group"])
@pytest.mark.parametrize("name", DESIGNS)
def test_total_residuals_equal_svytotal(data, reference, designs, name, by, variable, match):
    """Totals' SEs from the chained calibration residuals equal svytotal / svyby(svytotal)."""
    weights, arguments = designs[name]
    ours = _totals(data, variable, by, weights, arguments)
    merged = match.merge(ours, match.rows(reference, name, variable, "total", by), by, ["category"])
    np.testing.assert_allclose(merged["estimate"], merged["estimate_r"], rtol=RTOL)
    np.testing.assert_allclose(merged["se"], merged["se_r"], rtol=RTOL, atol=1e-9)


@pytest.mark.parametrize("name", DESIGNS)
def test_tests_equal_r_on_chained_design(data, designs, name):
    """rao_scott / design_wald equal svychisq / regTermTest on R's chained design."""
    weights, arguments = designs[name]
    arguments = {key: data[column] for key, column in arguments.items()}
    answer = data["answer"].cat.remove_unused_categories()
    tests = pd.read_csv(FOLDER / "chain_tests.csv")
    rows = tests[tests.design == name]
    assert len(rows) == 5
    for ref in rows.itertuples():
        values = answer if ref.variable == "answer" else data[ref.variable]
        test = rao_scott if ref.test == "rao_scott_f" else design_wald
        got = test(values, data[ref.by], weights, **arguments)
        np.testing.assert_allclose(
            [got[key] for key in ("test_statistic", "df", "df_denominator", "p_value")],
            [ref.statistic, ref.df, ref.df_denominator, ref.p_value], rtol=RTOL,
            err_msg=f"{name} {ref.test} {ref.variable} ~ {ref.by}")


def test_chained_ses_differ_from_the_last_step_alone(data, designs):
    """Starting weights given as plain numbers are design weights: other SEs than the chain."""
    weights, _ = designs["ps_rake_weights"]
    start = poststratify(data, "sex", SEX, weights="w").to_numpy()
    alone = rake(data, {"ageband": AGE, "region": REGION}, weights=start, tol=TIGHT)
    assert alone.attrs["calibration"].previous is None
    np.testing.assert_array_equal(alone, weights)
    chained = proportion(data, "answer", weights=weights)["se"].iloc[:3]
    single = proportion(data, "answer", weights=alone)["se"].iloc[:3]
    assert not np.allclose(chained, single, rtol=1e-6)


def test_chain_is_dropped_when_a_zero_target_zeroes_weights(data):
    """A later step that sets positive weights to 0 keeps no chain (design weights, as before)."""
    first = rake(data, {"sex": SEX}, weights="w", tol=TIGHT)
    zeroed = poststratify(data, "region", {"north": 4500, "south": 0}, weights=first)
    assert zeroed.attrs["calibration"].previous is None
    kept = poststratify(data, "region", REGION, weights=first)
    assert kept.attrs["calibration"].previous is first.attrs["calibration"]


def test_chain_summary_names_the_earlier_step(designs):
    """The calibration's summary (what Parquet keeps) has the previous step under 'after'."""
    calibration = designs["ps_rake_weights"][0].attrs["calibration"]
    assert isinstance(calibration.previous, Calibration)
    assert calibration == {"method": "rake", "columns": ["ageband", "region"], "rows": 200,
                           "cells": 6, "after": {"method": "poststratify", "columns": ["sex"],
                                                 "rows": 200, "cells": 3}}


def test_chain_survives_parquet_as_a_summary(designs, tmp_path):
    """Chained weights written to Parquet keep the nested summary of every step."""
    weights = designs["ps_rake_rake_weights"][0]
    weights.to_frame().to_parquet(tmp_path / "w.parquet")
    back = pd.read_parquet(tmp_path / "w.parquet").attrs["calibration"]
    assert back["after"]["after"] == {"method": "poststratify", "columns": ["region"],
                                      "rows": 200, "cells": 2}


def test_profile_on_chained_weights_equals_proportion_and_mean(data, designs):
    """profile() computes its shares and means with the chained calibration too."""
    weights, arguments = designs["rake_ps_strata"]
    frame = data.assign(sex=data["sex"].astype("category"))
    table = profile(frame, ["answer", "x"], weights=weights, **arguments)
    shares = table[(table.variable == "answer") & (table.statistic == "share")]
    np.testing.assert_array_equal(
        shares["se"].to_numpy(),
        proportion(data, "answer", weights=weights, **arguments)["se"].to_numpy())
    means = table[(table.variable == "x") & (table.statistic == "mean")]
    np.testing.assert_array_equal(
        means["se"].to_numpy(), mean(data, "x", weights=weights, **arguments)["se"].to_numpy())


@pytest.mark.parametrize("cells", [5, 1000])
def test_joint_cells_are_the_observed_combinations(rng, cells):
    """The chain's joint cells are the observed combinations of its steps' cells (dense
    coding for few cells, sorting when the cross-table is large)."""
    index = pd.RangeIndex(300)
    codes = [rng.integers(0, cells, 300) for _ in range(3)]
    chain = None
    for code in codes:
        chain = Calibration("poststratify", ["c"], index, rng.uniform(1, 2, 300), code,
                            (np.arange(cells),), np.ones((1, cells)), chain)
    projection = chain.projection
    pairs = pd.DataFrame(dict(enumerate(codes)))
    assert projection.n_cells == len(pairs.drop_duplicates())
    assert (pairs.groupby(projection.cell).nunique() == 1).all().all()
    for (_, margins, _), code in zip(projection.stages, codes):
        np.testing.assert_array_equal(margins[0][projection.cell], code)


def test_chain_found_on_the_frame_for_a_weights_column(data, designs):
    """A weights column whose calibration is in frame.attrs (as analysis.evaluate) is chained."""
    first = poststratify(data, "sex", SEX, weights="w")
    frame = data.assign(cw=first.to_numpy())
    frame.attrs["calibration"] = first.attrs["calibration"]
    weights = rake(frame, {"ageband": AGE, "region": REGION}, weights="cw", tol=TIGHT)
    assert weights.attrs["calibration"].previous is first.attrs["calibration"]
    pd.testing.assert_frame_equal(
        mean(data, "x", by="group", weights=weights),
        mean(data, "x", by="group", weights=designs["ps_rake_weights"][0]))
