"""Commute impact: hand-checked CGET arithmetic, fallbacks, bootstrap and scale-up."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t

from analysis.impact import IMPACT_INDICATORS, commute_impact, impact_parameters
from surveys.errors import SurveyError


@pytest.fixture
def three() -> pd.DataFrame:
    """Three respondents with every input given."""
    return pd.DataFrame(
        {
            "commute_km": [10.0, 40.0, 26.0],
            "commute_minutes": [15.0, 45.0, 30.0],
            "telework_days": pd.array([1, 3, 2], dtype="Int64"),
        }
    )


def _by_indicator(out: pd.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(out["indicator"], out[column]))


def test_totals_by_hand(three):
    """Yearly totals of the three respondents, worked out by hand from the CGET parameters."""
    # days/year = telework_days x 217.5 / 5 -> 43.5, 130.5, 87; trips = 2 x days
    # trips 87 + 261 + 174; km 87x10 + 261x40 + 174x26 = 870 + 10440 + 4524
    # hours 87x15/60 + 261x45/60 + 174x30/60 = 21.75 + 195.75 + 87
    expected = {
        "trips": 522.0,
        "km": 15834.0,
        "hours": 304.5,
        "energy_eur": 15834 * 0.844,  # 13363.896
        "maintenance_eur": 15834 * 0.22,  # 3483.48
        "time_value_eur": 304.5 * 21.2,  # 6455.4
        "co2_kg": 15834 * 0.193,  # 3055.962
        "co2_cost_eur": 15834 * 0.0007,  # 11.0838
    }
    got = _by_indicator(commute_impact(three, n_boot=10), "estimate")
    assert got == pytest.approx(expected)


def test_per_teleworker_is_the_mean(three):
    """per_teleworker is the respondents' mean: 15834 km / 3 = 5278 km."""
    out = commute_impact(three, n_boot=10)
    assert _by_indicator(out, "per_teleworker")["km"] == pytest.approx(5278.0)
    assert _by_indicator(out, "per_teleworker")["hours"] == pytest.approx(101.5)


def test_rows_and_columns(three):
    """One row per indicator, in order, with the contract's columns and n = 3."""
    out = commute_impact(three, n_boot=10)
    assert out["indicator"].tolist() == IMPACT_INDICATORS
    for column in ("per_teleworker", "estimate", "se", "ci_low", "ci_high", "n",
                   "fallback", "method", "note"):
        assert column in out.columns
    assert (out["n"] == 3).all()
    assert (out["fallback"] == 0).all()


def test_scenario_reproduces_the_cget_simulator():
    """Scenario per teleworker: 87 days x 2 trips x 26 km = 4,524 km, and so on."""
    out = commute_impact(None, teleworkers=1000)
    per = _by_indicator(out, "per_teleworker")
    assert per["trips"] == pytest.approx(87 * 2)
    assert per["km"] == pytest.approx(4524.0)
    assert per["energy_eur"] == pytest.approx(4524 * 0.844)  # 3818.256 EUR
    assert per["maintenance_eur"] == pytest.approx(4524 * 0.22)  # 995.28 EUR
    assert per["hours"] == pytest.approx(87 * 2 * 21 / 60)  # 60.9 h
    assert per["time_value_eur"] == pytest.approx(60.9 * 21.2)  # 1291.08 EUR
    assert per["co2_cost_eur"] == pytest.approx(4524 * 0.0007)
    assert _by_indicator(out, "estimate")["km"] == pytest.approx(4_524_000.0)


def test_scenario_override():
    """The Citica public-sector teleworker (50 km a trip) avoids 87 x 2 x 50 = 8,700 km."""
    out = commute_impact(None, teleworkers=1, commute_km=50)
    assert _by_indicator(out, "per_teleworker")["km"] == pytest.approx(8700.0)


def test_scenario_needs_teleworkers():
    """survey=None without teleworkers= is a SurveyError."""
    with pytest.raises(SurveyError, match="teleworkers"):
        commute_impact(None)


def test_missing_values_fall_back_and_are_counted(three):
    """A missing km uses 26 km, a missing telework_days 2 days a week; fallback counts them."""
    gaps = three.copy()
    gaps.loc[0, "commute_km"] = np.nan
    gaps.loc[1, "telework_days"] = pd.NA
    out = commute_impact(gaps, n_boot=10)
    fallback = _by_indicator(out, "fallback")
    assert fallback["km"] == 2 and fallback["trips"] == 1 and fallback["hours"] == 1
    # respondent 1: 87 trips x 26 km; respondent 2: 174 trips x 40 km; respondent 3: 4524
    assert _by_indicator(out, "estimate")["km"] == pytest.approx(87 * 26 + 174 * 40 + 4524)
    note = _by_indicator(out, "note")["km"]
    assert "1 missing commute_km" in note and "1 missing telework_days" in note


def test_override_emission_factor(three):
    """co2_kg_per_km overrides the ADEME factor: 15834 km x 0.1 = 1583.4 kg."""
    out = commute_impact(three, n_boot=10, co2_kg_per_km=0.1)
    assert _by_indicator(out, "estimate")["co2_kg"] == pytest.approx(1583.4)


def test_unknown_override_lists_allowed_keys(three):
    """An unknown parameter name raises a SurveyError listing the allowed keys."""
    with pytest.raises(SurveyError, match="co2_kg_per_km"):
        commute_impact(three, km_per_trip=30)


def test_missing_column_is_named(three):
    """A survey without commute_km is a SurveyError naming the column."""
    with pytest.raises(SurveyError, match="commute_km"):
        commute_impact(three.drop(columns="commute_km"))


def test_bootstrap_same_seed_same_numbers(rng):
    """Two runs with the same seed give identical intervals."""
    data = _random_agents(rng, 60)
    first = commute_impact(data, n_boot=500, seed=7)
    second = commute_impact(data, n_boot=500, seed=7)
    pd.testing.assert_frame_equal(first, second)


def test_bootstrap_other_seed_other_numbers(rng):
    """A different seed gives different interval bounds."""
    data = _random_agents(rng, 60)
    first = commute_impact(data, n_boot=500, seed=7)
    other = commute_impact(data, n_boot=500, seed=8)
    assert not np.allclose(first["ci_low"], other["ci_low"])


def test_bootstrap_se_matches_theory(rng):
    """The bootstrap SE of a total is close to sqrt(n) x the population SD of the values."""
    data = _random_agents(rng, 200)
    out = commute_impact(data, n_boot=4000, seed=1)
    km = 2 * data["telework_days"].to_numpy(float) * 43.5 * data["commute_km"].to_numpy()
    theory = np.sqrt(len(km)) * km.std(ddof=0)
    assert _by_indicator(out, "se")["km"] == pytest.approx(theory, rel=0.05)
    row = out.set_index("indicator").loc["km"]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_bootstrap_over_few_cells_matches_theory(rng):
    """With 600 respondents in 4 distinct cells (multinomial route) the SE is still right."""
    cells = pd.DataFrame({"commute_km": [5.0, 20.0, 45.0, 80.0],
                          "commute_minutes": [10.0, 25.0, 40.0, 70.0],
                          "telework_days": pd.array([1, 2, 2, 3], dtype="Int64")})
    data = cells.iloc[rng.integers(0, 4, 600)].reset_index(drop=True)
    out = commute_impact(data, n_boot=4000, seed=3)
    hours = data["telework_days"].to_numpy(float) * 87 * data["commute_minutes"] / 60
    theory = np.sqrt(len(hours)) * hours.std(ddof=0)
    assert _by_indicator(out, "se")["hours"] == pytest.approx(theory, rel=0.05)
    assert _by_indicator(out, "se")["time_value_eur"] == pytest.approx(21.2 * theory, rel=0.05)


def test_population_scale_up(three):
    """With 300 teleworkers, the population total is 300 x the mean, and its interval
    300 x the mean's t interval with the finite population correction (3 of 300)."""
    out = commute_impact(three, population=300, n_boot=200).set_index("indicator")
    km = np.array([870.0, 10440.0, 4524.0])
    se = np.sqrt((1 - 3 / 300) * km.var(ddof=1) / 3)
    half = t.ppf(0.975, 2) * se
    assert out.loc["km", "population_estimate"] == pytest.approx(300 * 5278.0)
    assert out.loc["km", "population_se"] == pytest.approx(300 * se)
    assert out.loc["km", "population_ci_low"] == pytest.approx(300 * (5278.0 - half))
    assert out.loc["km", "population_ci_high"] == pytest.approx(300 * (5278.0 + half))


def test_population_smaller_than_the_respondents_has_no_correction(three):
    """A population smaller than the respondents scales the mean but corrects nothing."""
    out = commute_impact(three, population=2, n_boot=10).set_index("indicator")
    km = np.array([870.0, 10440.0, 4524.0])
    assert out.loc["km", "population_se"] == pytest.approx(2 * km.std(ddof=1) / np.sqrt(3))


def _design_reference(fixtures, design: str):
    from analysis import rake

    data = pd.read_csv(fixtures / "impact" / "data.csv")
    margins = {"gender": {"F": 0.62, "M": 0.38}}
    if design == "rake_gender_manager":
        margins["manager"] = {"yes": 0.2, "no": 0.8}
    weights = None
    if design != "fpc":
        raked = rake(data, margins)
        data["w"] = raked.to_numpy()
        data.attrs["calibration"] = raked.attrs["calibration"]
        weights = "w"
    reference = pd.read_csv(fixtures / "impact" / "reference.csv")
    return data, weights, reference[reference["design"] == design].set_index("indicator")


@pytest.mark.parametrize("design", ["fpc", "rake_gender", "rake_gender_manager"])
def test_population_totals_equal_r_svytotal(fixtures, design):
    """Population totals, SEs and intervals equal R's svytotal on the same design (equal
    weights with fpc, raked on one or two margins), to 1e-9."""
    data, weights, expected = _design_reference(fixtures, design)
    out = commute_impact(data, population=130, weights=weights, n_boot=10)
    out = out.set_index("indicator").loc[expected.index]
    got = out[["population_estimate", "population_se", "population_ci_low",
               "population_ci_high"]].to_numpy()
    np.testing.assert_allclose(got, expected[["estimate", "se", "ci_low", "ci_high"]],
                               rtol=1e-9)


def test_weighted_mean_per_teleworker_and_respondents_total(fixtures):
    """With weights, the mean per teleworker is the weighted one; the respondents' total
    stays their own sum, and the money lines stay multiples of the km."""
    data, weights, _ = _design_reference(fixtures, "rake_gender")
    weighted = commute_impact(data, population=130, weights=weights, n_boot=10)
    plain = commute_impact(data, population=130, n_boot=10)
    weighted, plain = weighted.set_index("indicator"), plain.set_index("indicator")
    assert weighted.loc["km", "estimate"] == plain.loc["km", "estimate"]
    assert weighted.loc["km", "per_teleworker"] != pytest.approx(plain.loc["km", "per_teleworker"])
    assert weighted.loc["km", "per_teleworker"] * 130 == pytest.approx(
        weighted.loc["km", "population_estimate"])
    assert weighted.loc["energy_eur", "population_ci_high"] == pytest.approx(
        0.844 * weighted.loc["km", "population_ci_high"])


def test_unknown_weights_column(three):
    """A weights column that does not exist is named in the error."""
    with pytest.raises(SurveyError, match="poids|weight"):
        commute_impact(three, population=30, weights="poids", n_boot=10)


def test_population_from_the_survey(three):
    """A Survey's .population is used when population= is not given."""
    survey = SimpleNamespace(data=three, population=30.0)
    out = commute_impact(survey, n_boot=10).set_index("indicator")
    assert out.loc["trips", "population_estimate"] == pytest.approx(30 * 174.0)


def test_no_population_no_scale_up(three):
    """Without a population, no population columns are added."""
    assert "population_estimate" not in commute_impact(three, n_boot=10).columns


def test_parameters_table():
    """The parameter table lists the CGET values with units and a source each."""
    table = impact_parameters().set_index("parameter")
    assert table.loc["energy_eur_per_km", "value"] == 0.844
    assert table.loc["labour_eur_per_hour", "value"] == 21.2
    days = table.loc["working_days_per_year", "value"] * 2 / 5
    assert days == pytest.approx(87.0)
    assert table["source"].str.len().gt(10).all()
    assert "ADEME" in table.loc["co2_kg_per_km", "source"]


def test_unknown_parameter_set():
    """An unknown parameter set name is a SurveyError listing 'cget-model'."""
    with pytest.raises(SurveyError, match="cget-model"):
        impact_parameters("idate-2030")


def _random_agents(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commute_km": rng.gamma(2.0, 15.0, n).round(1),
            "commute_minutes": rng.gamma(3.0, 10.0, n).round(),
            "telework_days": pd.array(rng.integers(1, 4, n), dtype="Int64"),
        }
    )


@pytest.mark.parametrize("chunk", [1, 500, 10**9])
def test_bootstrap_draws_do_not_depend_on_the_chunks(rng, monkeypatch, chunk):
    """Replicates drawn one at a time, a few at a time or all at once give the same
    intervals: one stream of draws, summed respondent by respondent in the same order."""
    from analysis import impact

    data = _random_agents(rng, 300)
    expected = commute_impact(data, n_boot=400, seed=11)
    monkeypatch.setattr(impact, "_CHUNK", chunk)
    pd.testing.assert_frame_equal(commute_impact(data, n_boot=400, seed=11), expected,
                                  check_exact=True)


def test_few_cells_never_misses_a_few_cell_sample(rng):
    """The hashed pre-check says 'may be few' whenever the rows have at most n/20
    distinct cells, with 0.0 and -0.0 and NaN among the values."""
    from analysis.impact import _few_cells

    values = np.array([0.0, -0.0, np.nan, 1.5, 2.0, 87.0])
    for n in (20, 60, 200, 1000):
        for kinds in (1, 2, 3, 6):
            base = rng.choice(values[:kinds], size=(n, 3))
            cells = len(np.unique(base, axis=0))
            if 20 * cells <= n:
                assert _few_cells(base)
    assert not _few_cells(np.column_stack([np.arange(100.0)] * 3))
