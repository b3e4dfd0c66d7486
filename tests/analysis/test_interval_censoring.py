"""Turnbull NPMLE, bootstrap, life table and bands, against R survival 3.5 and by hand.

Reference values: tests/fixtures/survival/make_reference.R (R survfit with
Surv(l, r, type = "interval2"), EM stop tightened to 1e-13) on banded.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.interval_censoring import bands_to_intervals, default_bands, life_table, turnbull
from analysis.retention import kaplan_meier
from surveys.errors import SurveyError


@pytest.fixture
def banded(fixtures):
    """Banded answers: half-open bands, right-censored users, 4 exact, 3 odd intervals."""
    return pd.read_csv(fixtures / "survival" / "banded.csv")


def _at(result, times):
    return result.set_index("time")["survival"].reindex(times).to_numpy()


def test_turnbull_equals_r_interval2(banded, fixtures):
    """Survival at every bound equals R survfit(Surv(l, r, type='interval2')) to 1e-8."""
    ref = pd.read_csv(fixtures / "survival" / "ref_turnbull.csv")
    result = turnbull("lower", "upper", data=banded)
    shared = ref[ref["time"].isin(result["time"])]
    assert len(shared) >= 8
    np.testing.assert_allclose(_at(result, shared["time"]), shared["survival"], atol=1e-8)


def test_turnbull_on_pure_bands_equals_r(banded, fixtures):
    """The survey case (five bands, still-attending users) equals R at every bound."""
    ref = pd.read_csv(fixtures / "survival" / "ref_turnbull_bands.csv")
    result = turnbull("lower", "upper", data=banded.iloc[7:])
    assert result["time"].tolist() == ref["time"].tolist() + [np.inf]
    np.testing.assert_allclose(result["survival"].iloc[:-1], ref["survival"], atol=1e-8)


def test_bands_are_half_open_not_closed():
    """(0, 3] and (3, 6] share the bound 3 without piling mass on it."""
    result = turnbull([0, 3], [3, 6])
    assert _at(result, [3.0])[0] == pytest.approx(0.5)
    assert result["mass"].tolist() == pytest.approx([0.0, 0.5, 0.5])


def test_exact_durations_give_kaplan_meier():
    """Exact times plus right-censoring (upper = inf) reproduce Kaplan–Meier."""
    time = np.array([1.0, 2, 2, 3, 5, 5, 8, 9])
    event = np.array([1, 1, 0, 1, 0, 1, 1, 0])
    upper = np.where(event == 1, time, np.inf)
    result = turnbull(time, upper)
    km = kaplan_meier(time, event)
    events = km[km["events"] > 0]
    np.testing.assert_allclose(_at(result, events["time"]), events["survival"], atol=1e-9)


def test_exact_time_on_a_band_bound_belongs_to_the_lower_band():
    """An exact 6 lies in (3, 6], not in (6, 12]: it competes with the lower band only."""
    result = turnbull([6, 6, 3], [6, 12, 6])
    assert _at(result, [6.0])[0] == pytest.approx(1 / 3)


def test_repeated_answers_cost_nothing_and_change_nothing(banded):
    """A thousand copies of the data give the same curve (aggregation to distinct pairs)."""
    small = turnbull("lower", "upper", data=banded)
    big = turnbull(np.tile(banded["lower"], 1000), np.tile(banded["upper"], 1000))
    np.testing.assert_allclose(big["survival"], small["survival"], atol=1e-9)
    assert big["n"].iloc[0] == 1000 * len(banded)


def test_integer_weights_equal_repeated_rows():
    """A weight of 3 is the same as three identical answers."""
    weighted = turnbull([0, 3, 3], [3, 6, np.inf], weights=[1, 3, 2])
    repeated = turnbull([0, 3, 3, 3, 3, 3], [3, 6, 6, 6, np.inf, np.inf])
    pd.testing.assert_frame_equal(weighted, repeated)


def test_bootstrap_is_reproducible_and_brackets_the_estimate(banded):
    """Same seed, same intervals; each interval contains the estimate."""
    a = turnbull("lower", "upper", data=banded, n_boot=200, seed=3)
    b = turnbull("lower", "upper", data=banded, n_boot=200, seed=3)
    pd.testing.assert_frame_equal(a, b)
    inner = a.iloc[1:-1]
    assert ((inner["ci_low"] <= inner["survival"] + 1e-12)
            & (inner["survival"] <= inner["ci_high"] + 1e-12)).all()
    assert (inner["ci_high"] - inner["ci_low"] > 0.05).all()


def test_bootstrap_se_matches_greenwood_on_exact_data(rng):
    """With exact times the bootstrap SE is close to Greenwood's (within 15 %)."""
    time = np.round(rng.exponential(10, 400))
    event = rng.random(400) < 0.7
    result = turnbull(time, np.where(event, time, np.inf), n_boot=1000, seed=1)
    km = kaplan_meier(time, event)
    at = km[(km["events"] > 0) & (km["survival"].between(0.3, 0.8))]
    boot = result.set_index("time").loc[at["time"], "se"].to_numpy()
    np.testing.assert_allclose(boot, at["se"], rtol=0.15)


def test_no_bootstrap_leaves_intervals_missing():
    """Without n_boot the interval columns are NaN (not made up)."""
    result = turnbull([0, 3], [3, 6])
    assert result[["se", "ci_low", "ci_high"]].isna().all().all()


def test_turnbull_refuses_reversed_intervals():
    """upper < lower is a user error naming the rule."""
    with pytest.raises(SurveyError, match="lower <= upper"):
        turnbull([5, 1], [3, 2])


def test_bands_to_intervals_uses_codebook_bounds():
    """Band codes map to the codebook's (lower, upper] months."""
    result = bands_to_intervals(pd.Series(["<3m", "1-2y", None, ">2y"]))
    assert result["lower"].tolist()[:2] == [0.0, 12.0]
    assert result["upper"].tolist()[:2] == [3.0, 24.0]
    assert result.iloc[2].isna().all()
    assert result["upper"].iloc[3] == np.inf
    assert default_bands()["3-6m"] == (3.0, 6.0)


def test_bands_to_intervals_censors_people_still_attending():
    """Still attending in (6, 12]: the stay is only known to exceed 6 months."""
    result = bands_to_intervals(["6-12m", "6-12m"], observed=[True, False])
    assert result["upper"].tolist() == [12.0, np.inf]


def test_bands_to_intervals_accepts_user_bands():
    """Users may declare their own bands."""
    result = bands_to_intervals(["short", "long"], {"short": (0, 1), "long": (1, np.inf)})
    assert result.to_numpy().tolist() == [[0.0, 1.0], [1.0, np.inf]]


def test_unknown_band_is_named():
    """A code that is not a declared band is reported with the declared ones."""
    with pytest.raises(SurveyError, match="weird"):
        bands_to_intervals(["<3m", "weird"])


def test_life_table_by_hand():
    """Actuarial table equal to a hand computation (Cutler–Ederer, Greenwood)."""
    lower = [0, 0, 0, 0, 3, 3, 3, 6, 6, 6]
    upper = [3, 3, 3, 3, 6, 6, 6, 12, 12, 12]
    observed = [1, 1, 0, 0, 1, 0, 0, 1, 1, 0]
    table = life_table(lower, upper, observed)
    # band (0,3]: 10 enter, 2 leave, 2 withdrawn -> at risk 9, q = 2/9
    # band (3,6]: 6 enter, 1 leaves, 2 withdrawn -> at risk 5, q = 1/5
    # band (6,12]: 3 enter, 2 leave, 1 withdrawn -> at risk 2.5, q = 0.8
    assert table["entering"].tolist() == [10, 6, 3]
    assert table["at_risk"].tolist() == [9, 5, 2.5]
    s = np.cumprod([1 - 2 / 9, 1 - 1 / 5, 1 - 0.8])
    np.testing.assert_allclose(table["survival"], s, atol=1e-15)
    greenwood = np.cumsum([2 / (9 * 7), 1 / (5 * 4), 2 / (2.5 * 0.5)])
    np.testing.assert_allclose(table["se"], s * np.sqrt(greenwood), atol=1e-15)
    np.testing.assert_allclose(table["ci_low"], np.clip(s - 1.959964 * table["se"], 0, 1),
                               atol=1e-6)


def test_life_table_refuses_overlapping_bands():
    """Overlapping bands make an actuarial table meaningless: refused."""
    with pytest.raises(SurveyError, match="overlap"):
        life_table([0, 2], [3, 6])


def test_turnbull_equals_lifelines_given_half_open_bounds(banded):
    """lifelines (closed intervals) agrees once lower bounds are nudged up; not before."""
    import warnings

    from lifelines import KaplanMeierFitter

    pure = banded.iloc[7:]
    lower, upper = pure["lower"].to_numpy(), pure["upper"].to_numpy()
    ours = turnbull(lower, upper).set_index("time")["survival"]
    bounds = np.array([3.0, 6.0, 12.0, 24.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # lifelines: "experimental" warnings
        nudged = KaplanMeierFitter().fit_interval_censoring(
            np.where(lower < upper, lower + 1e-6, lower), upper)
        closed = KaplanMeierFitter().fit_interval_censoring(lower, upper)
    theirs = nudged.survival_function_["NPMLE_estimate_upper"].reindex(bounds + 1e-6)
    np.testing.assert_allclose(ours.loc[bounds], theirs, atol=1e-4)
    as_closed = closed.survival_function_["NPMLE_estimate_lower"].reindex(bounds)
    assert np.max(np.abs(ours.loc[bounds].to_numpy() - as_closed.to_numpy())) > 0.01


@pytest.mark.parametrize("rows", ["all", "bands"])
def test_weighted_turnbull_equals_r(banded, fixtures, rows):
    """Case weights that are not whole numbers (a raked survey's) equal R
    survfit(Surv(l, r, type='interval2'), weights = w) at every bound, to 1e-8."""
    ref = pd.read_csv(fixtures / "survival" / "ref_turnbull_weighted.csv")
    ref = ref[ref["rows"] == rows]
    data = banded if rows == "all" else banded.iloc[7:]
    data = data.assign(w=0.5 + (np.arange(1, len(data) + 1) % 7) / 3)
    result = turnbull("lower", "upper", weights="w", data=data)
    unweighted = turnbull("lower", "upper", data=data)
    shared = ref[ref["time"].isin(result["time"])]
    assert len(shared) >= 5
    np.testing.assert_allclose(_at(result, shared["time"]), shared["survival"], atol=1e-8)
    assert np.abs(_at(unweighted, shared["time"]) - shared["survival"].to_numpy()).max() > 1e-3
    assert result["n"].iloc[0] == pytest.approx(data["w"].sum())
