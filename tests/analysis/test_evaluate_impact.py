"""The report's commute impact on raked agents: weighted like every other estimate of
them, and resting on the fewest people of a weighting class."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis import commute_impact, evaluate, rake
from reports import render


def _pilot(demo_dir, tmp_path, margin: str):
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gender = { F = 0.65, M = 0.35 }", margin), encoding="utf-8")
    return surveys.read_pilot(path)


@pytest.fixture(scope="module")
def demo_impact(demo_dir):
    """The demo's agents' impact table and its first-wave respondents."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    table = evaluate(pilot).sections["impact"].tables["agents_commute"].data
    agents = pilot.read("agents").data
    return table.set_index("indicator"), agents[agents["wave"] == "pre"]


def test_demo_population_total_uses_the_raking_weights(demo_impact):
    """The population's km are 60 x the agents' mean raked on gender (65 % women), as
    analysis.commute_impact gives it on the same weights."""
    table, agents = demo_impact
    raked = rake(agents, {"gender": {"F": 0.65, "M": 0.35}})
    frame = agents.assign(w=raked.to_numpy())
    frame.attrs["calibration"] = raked.attrs["calibration"]
    expected = commute_impact(frame, population=60, weights="w", n_boot=10).set_index(
        "indicator")
    assert table.loc["km", "population_estimate"] == pytest.approx(
        expected.loc["km", "population_estimate"], rel=1e-12)
    assert table.loc["km", "population_ci_high"] == pytest.approx(
        expected.loc["km", "population_ci_high"], rel=1e-12)


def test_demo_respondents_total_is_their_own_sum(demo_impact):
    """The respondents' total stays the 46 agents' own km, unweighted."""
    table, agents = demo_impact
    unweighted = commute_impact(agents, n_boot=10).set_index("indicator")
    assert table.loc["km", "estimate"] == unweighted.loc["km", "estimate"]
    assert table.loc["km", "per_teleworker"] != pytest.approx(
        unweighted.loc["km", "per_teleworker"])


def test_demo_impact_rests_on_the_fewest_class(demo_impact):
    """Every row rests on the fewer of the 27 women and 19 men (the weighting classes)."""
    table, agents = demo_impact
    fewest = int(agents["gender"].value_counts().loc[["F", "M"]].min())
    assert fewest == 19
    assert (table["cell_count"] == fewest).all()


def test_a_class_of_one_hides_the_impact(demo_dir, tmp_path):
    """Raked on department, the one agent of the Manche is a class of their own: the
    weighted totals beside the unweighted ones would give their km, so the report hides
    the impact table's figures (CSV values empty)."""
    pilot = _pilot(demo_dir, tmp_path,
                   "department = { Calvados = 0.6, Orne = 0.3, Manche = 0.1 }")
    evaluation = evaluate(pilot)
    table = evaluation.sections["impact"].tables["agents_commute"].data
    assert (table["cell_count"] == 1).all()
    render(evaluation, tmp_path / "out", min_cell=5)
    written = pd.read_csv(tmp_path / "out" / "csv" / "impact_agents_commute.csv")
    assert written["suppressed"].all()
    assert written[["per_teleworker", "estimate", "population_estimate"]].isna().all().all()


def test_unweighted_agents_rest_on_all_respondents(demo_dir, tmp_path):
    """Without raking margins, the impact rests on every respondent (one class)."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[weighting.agents]")
    path.write_text(text[:start] + text[text.index("[baselines]"):], encoding="utf-8")
    table = evaluate(surveys.read_pilot(path)).sections["impact"].tables["agents_commute"].data
    assert (table["cell_count"] == table["n"]).all()
    assert np.isfinite(table["population_se"]).all()


def test_notes_name_the_weighting_and_the_doubtful_costs(demo_dir):
    """The demo's impact table says its means are weighted and that the model's energy and
    CO2 costs are the published, doubtful ones."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    notes = evaluate(pilot).sections["impact"].tables["agents_commute"].notes
    assert {"report.impact_energy_cost", "report.impact_co2_cost"} <= set(notes)
    population = next(n for n in notes if getattr(n, "key", None) == "impact_population")
    assert "moyenne pondérée par télétravailleur multipliée par les 60 personnes" in \
        population.in_language("fr")
    assert "(46 répondants)" in population.in_language("fr")


def test_a_population_smaller_than_the_respondents_is_said(demo_dir, tmp_path):
    """A population of 40 for 46 respondents is not extrapolated to, and the impact table
    says why instead of dropping the column silently (review 10b, item 8)."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8").replace("population = 60", "population = 40")
    path.write_text(text, encoding="utf-8")
    table = evaluate(surveys.read_pilot(path)).sections["impact"].tables["agents_commute"]
    assert "population_estimate" not in table.data.columns
    keys = [getattr(n, "key", n) for n in table.notes]
    assert "impact_population_small" in keys and "report.impact_weighted_mean" in keys


def test_a_cost_given_in_the_pilot_file_drops_its_note(demo_dir, tmp_path):
    """A pilot file giving its own energy cost per km no longer gets the note doubting the
    model's; the CO2 cost's note stays."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n[impact]\nenergy_eur_per_km = 0.12\n", encoding="utf-8")
    notes = evaluate(surveys.read_pilot(path)).sections["impact"].tables["agents_commute"].notes
    assert "report.impact_energy_cost" not in notes
    assert "report.impact_co2_cost" in notes


def test_a_one_person_class_with_no_one_in_the_category_hides_the_share(demo_dir, tmp_path):
    """Raked on department, the one agent of the Manche is a weighting class: the share
    of men among agents (0 of that class) would say that person is a woman, so the
    comparison with the reference hides it, as the profile does (review 10b, item 4)."""
    pilot = _pilot(demo_dir, tmp_path,
                   "department = { Calvados = 0.76, Orne = 0.22, Manche = 0.02 }")
    table = evaluate(pilot).sections["baselines"].tables["comparisons"].data
    men = table[(table["indicator"] == "man") & (table["source"] == "agents")]
    assert len(men) == 1 and men["cell_count"].iloc[0] == 1
