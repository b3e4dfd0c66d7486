"""analysis.evaluate on the demo pilot with strata and a per-stratum population column
(population = "stratum_population"): the profiles, Likert (each wave), NPS (each wave)
and baseline tables carry the finite population correction of each stratum, and the
quality notes say so."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import analysis
import surveys
from analysis import evaluate

#: Agents per direction in the council (each at least the rows of the two waves).
SIZES = {"Solidarités": "60", "Ressources": "20", "Routes": "18", "Éducation": "20"}
DESIGN = {"strata": "service", "population": "stratum_population"}
COLUMNS = ["estimate", "se", "ci_low", "ci_high"]
ITEMS = ["sat_overall", "sat_balance", "sat_autonomy", "sat_manager", "sat_equipment"]


@pytest.fixture(scope="module")
def pilot_path(tmp_path_factory):
    """The demo pilot, its agents stratified by direction with each direction's size in a
    new source column mapped to stratum_population (no raking, for direct comparisons)."""
    folder = tmp_path_factory.mktemp("fpc")
    path = surveys.demo(folder)
    csv = folder / "agents_cd14.csv"
    frame = pd.read_csv(csv, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    # the demo's blank line (set aside by the reader) gets no size either
    frame["Effectif de la direction"] = frame["Direction"].map(SIZES).fillna("")
    assert (frame["Effectif de la direction"] == "").sum() == (frame["Direction"] == "").sum()
    frame.to_csv(csv, sep=";", encoding="cp1252", index=False)
    text = path.read_text(encoding="utf-8")
    text, found = re.subn(r'(path = "agents_cd14\.csv"\n)population = \d+\n',
                          r'\1population = "stratum_population"\nstrata = "service"\n', text)
    text, mapped = re.subn(r'("Commentaire" = "comment"\n)',
                           r'\1"Effectif de la direction" = "stratum_population"\n', text)
    text, unraked = re.subn(r"\[weighting\.agents\]\n(#[^\n]*\n)*gender = [^\n]*\n", "", text)
    assert (found, mapped, unraked) == (1, 1, 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pilot(pilot_path):
    return surveys.read_pilot(pilot_path)


@pytest.fixture(scope="module")
def evaluation(pilot):
    return evaluate(pilot)


@pytest.fixture(scope="module")
def first_wave(pilot) -> pd.DataFrame:
    """One row per agent (their first wave), as the evaluation's profiles use."""
    data = pilot.read("agents").data
    order = data.assign(_order=data["wave"].cat.codes).sort_values("_order", kind="stable")
    return order.drop_duplicates("respondent_id").drop(columns=["_order", "wave"]).sort_index()


@pytest.fixture(scope="module")
def last_wave(pilot) -> pd.DataFrame:
    """The answers of the last wave ("post"), as the evaluation's satisfaction uses."""
    data = pilot.read("agents").data
    return data[data["wave"] == "post"].drop(columns=["wave"])


def _table(evaluation, section: str, key: str) -> pd.DataFrame:
    return evaluation.sections[section].tables[key].data


def test_population_column_reaches_the_data(pilot):
    """The size column survives reading, one size per direction."""
    data = pilot.read("agents").data
    sizes = data.groupby("service", observed=True)["stratum_population"].unique()
    assert {k: v.tolist() for k, v in sizes.items()} == \
        {k: [float(v)] for k, v in SIZES.items()}


def test_profile_shares_carry_the_fpc(evaluation, first_wave):
    """The profile's shares of gender equal analysis.proportion with strata and population,
    and differ from the shares without the correction."""
    table = _table(evaluation, "profiles", "agents")
    rows = table[table["variable"] == "gender"]
    expected = analysis.proportion(first_wave, "gender", **DESIGN)
    plain = analysis.proportion(first_wave, "gender", strata="service")
    assert rows["category"].astype(str).tolist() == expected["category"].astype(str).tolist()
    np.testing.assert_allclose(rows[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=1e-12)
    used = plain["se"].to_numpy() > 0  # an unused category (X) has no error either way
    assert used.sum() == 2
    assert (rows["se"].to_numpy()[used] < 0.9 * plain["se"].to_numpy()[used]).all()


def test_profile_mean_carries_the_fpc(evaluation, first_wave):
    """The profile's mean commute equals analysis.mean with strata and population."""
    table = _table(evaluation, "profiles", "agents")
    row = table[(table["variable"] == "commute_km") & (table["statistic"] == "mean")]
    expected = analysis.mean(first_wave, "commute_km", **DESIGN)
    np.testing.assert_allclose(row[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=1e-12)


def test_profile_does_not_describe_the_sizes(evaluation):
    """stratum_population is part of the design, not a row of the profile."""
    for key in ("agents", "agents_by_manager", "agents_by_service"):
        assert "stratum_population" not in set(_table(evaluation, "profiles", key)["variable"])


def test_likert_table_carries_the_fpc(evaluation, last_wave):
    """The satisfaction items (last wave) equal analysis.likert with strata and population."""
    table = _table(evaluation, "satisfaction", "agents_items")
    expected = analysis.likert(last_wave, ITEMS, **DESIGN)
    plain = analysis.likert(last_wave, ITEMS, strata="service")
    np.testing.assert_allclose(table[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=1e-12)
    assert not np.allclose(table["se"], plain["se"], rtol=1e-3)


def _wave(pilot, wave: str) -> pd.DataFrame:
    data = pilot.read("agents").data
    return data[data["wave"] == wave].drop(columns=["wave"])


def test_likert_by_wave_carries_each_waves_fpc(evaluation, pilot):
    """The items by wave are each wave's answers on the stratified design with each
    stratum's population (each wave a sample of the strata); the last wave's rows are
    the items table's."""
    table = _table(evaluation, "satisfaction", "agents_items_by_wave")
    for wave in ("pre", "post"):
        rows = table[table["wave"] == wave]
        expected = analysis.likert(_wave(pilot, wave), ITEMS, **DESIGN)
        np.testing.assert_allclose(rows[COLUMNS].to_numpy(float),
                                   expected[COLUMNS].to_numpy(float), rtol=1e-12)
    items = _table(evaluation, "satisfaction", "agents_items")
    post = table[table["wave"] == "post"]
    np.testing.assert_allclose(post[COLUMNS].to_numpy(float), items[COLUMNS].to_numpy(float),
                               rtol=1e-12)
    pooled = analysis.likert(pilot.read("agents"), ITEMS, by="wave", strata=DESIGN["strata"])
    assert not np.allclose(table["se"].to_numpy(float), pooled["se"].to_numpy(float))


def test_nps_by_wave_carries_each_waves_fpc(evaluation, pilot):
    """The NPS of each wave equals analysis.nps of that wave's answers with the strata
    and each stratum's population."""
    table = _table(evaluation, "satisfaction", "agents_nps")
    for wave in ("pre", "post"):
        expected = analysis.nps(_wave(pilot, wave), "recommend", **DESIGN)
        np.testing.assert_allclose(table[table["wave"] == wave][COLUMNS].to_numpy(float),
                                   expected[COLUMNS].to_numpy(float), rtol=1e-12)


def test_baseline_comparisons_carry_the_fpc(evaluation, first_wave):
    """The agents' citica-2017 rows equal analysis.compare_baseline with strata and
    population."""
    table = _table(evaluation, "baselines", "comparisons")
    rows = table[(table["source_id"] == "citica-2017") & (table["source"] == "agents")]
    expected = analysis.compare_baseline(first_wave, "citica-2017", kind="agent", **DESIGN)
    assert rows["indicator"].tolist() == expected["indicator"].tolist()
    np.testing.assert_allclose(rows[COLUMNS].to_numpy(float), expected[COLUMNS].to_numpy(float),
                               rtol=1e-12)


def test_quality_notes_say_the_fpc_is_applied(evaluation):
    """No 'not used' note; one note, FR and EN, says where the correction is applied."""
    notes = evaluation.sections["quality"].tables["summary"].notes
    keys = [getattr(note, "key", None) for note in notes]
    assert "population_column_unused" not in keys
    assert keys.count("population_per_stratum") == 1
    note = notes[keys.index("population_per_stratum")]
    assert note.startswith("agents_cd14.csv: population = 'stratum_population' gives each "
                           "stratum's size")
    assert "correction pour population finie" in note.in_language("fr")
