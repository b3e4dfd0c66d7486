"""analysis.evaluate on a pilot whose source gives strata: the stratified standard errors
reach the evaluation's tables, and the data-quality notes say what ignores the strata."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
import surveys
from analysis import evaluate
from surveys.errors import SurveyError

PILOT = """\
[pilot]
name = "Strates"
min_cell = 3

[sources.agents]
kind = "agent"
path = "agents.csv"
strata = "{strata}"

[baselines]
compare = ["citica-2017"]
"""
ITEMS = ["sat_overall", "sat_balance"]  # codebook order, as the evaluation lists them

#: Left out of the profiles by the evaluation: they have their own section.
SATISFACTION = ["sat_overall", "sat_balance", "sat_autonomy", "sat_manager", "sat_equipment",
                "recommend"]


def _answers(rng: np.random.Generator, n: int = 90) -> pd.DataFrame:
    """Agents in three departments of unequal size, with Likert, NPS and baseline answers."""
    department = rng.choice(["Calvados", "Manche", "Orne"], n, p=[0.5, 0.3, 0.2])
    frame = pd.DataFrame({
        "respondent_id": [f"A{i}" for i in range(n)],
        "department": department,
        "gender": rng.choice(["F", "M"], n, p=[0.6, 0.4]),
        "sector": rng.choice(["public", "private"], n, p=[0.7, 0.3]),
        "service": rng.choice(["RH", "Routes"], n),
        "commute_km": np.round(rng.exponential(20, n), 1),
        "commute_minutes": np.round(rng.exponential(25, n), 0),
        "telework_days": rng.integers(1, 4, n),
        "recommend": rng.integers(0, 11, n),
    })
    shift = pd.Series(department).map({"Calvados": 0, "Manche": 1, "Orne": 2}).to_numpy()
    for item in ITEMS:  # answers that depend on the stratum, so the strata matter
        frame[item] = np.clip(rng.integers(1, 4, n) + shift, 1, 5)
    return frame


@pytest.fixture(scope="module")
def pilot_dir(tmp_path_factory):
    """A pilot folder with one agent source stratified by department."""
    folder = tmp_path_factory.mktemp("strata")
    _answers(np.random.default_rng(20161023)).to_csv(folder / "agents.csv", index=False)
    (folder / "pilot.toml").write_text(PILOT.format(strata="department"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def evaluation(pilot_dir):
    """The evaluation of the stratified pilot."""
    return evaluate(surveys.read_pilot(pilot_dir / "pilot.toml"))


@pytest.fixture(scope="module")
def data(pilot_dir):
    """The agents as the evaluation reads them."""
    return surveys.read_pilot(pilot_dir / "pilot.toml").read("agents").data


def _table(evaluation, section: str, key: str) -> pd.DataFrame:
    return evaluation.sections[section].tables[key].data


def test_likert_table_has_the_stratified_standard_errors(evaluation, data):
    """The satisfaction table equals analysis.likert on the stratified design, not the plain one."""
    table = _table(evaluation, "satisfaction", "agents_items")
    stratified = analysis.likert(data, ITEMS, strata="department")
    plain = analysis.likert(data, ITEMS)
    assert table["item"].tolist() == stratified["item"].tolist()
    np.testing.assert_allclose(table["se"], stratified["se"], rtol=1e-12)
    assert not np.allclose(table["se"], plain["se"], rtol=1e-3)
    assert table["method"].str.startswith("stratified;").all()


def test_likert_breakdown_is_stratified(evaluation, data):
    """The breakdown by service has the domain SEs of the stratified design."""
    table = _table(evaluation, "satisfaction", "agents_items_by_service")
    expected = analysis.likert(data, ITEMS, by="service", strata="department")
    np.testing.assert_allclose(table["se"], expected["se"], rtol=1e-12)
    assert table["method"].str.startswith("stratified;").all()


def test_nps_table_has_the_stratified_standard_error(evaluation, data):
    """The NPS row equals analysis.nps on the stratified design."""
    table = _table(evaluation, "satisfaction", "agents_nps")
    expected = analysis.nps(data, "recommend", strata="department")
    np.testing.assert_allclose(table[["estimate", "se", "ci_low", "ci_high"]].to_numpy(float),
                               expected[["estimate", "se", "ci_low", "ci_high"]].to_numpy(float),
                               rtol=1e-12)
    assert table["method"].iloc[0].startswith("stratified; Taylor linearisation")


def test_baseline_table_has_the_stratified_standard_errors(evaluation, data):
    """The citica-2017 comparisons equal analysis.compare_baseline on the stratified design."""
    table = _table(evaluation, "baselines", "comparisons")
    expected = analysis.compare_baseline(data, "citica-2017", kind="agent", strata="department")
    np.testing.assert_allclose(table["se"].to_numpy(float), expected["se"].to_numpy(float),
                               rtol=1e-12)
    plain = analysis.compare_baseline(data, "citica-2017", kind="agent")
    assert not np.allclose(table["se"].to_numpy(float), plain["se"].to_numpy(float), rtol=1e-3)


def test_profile_table_has_the_stratified_standard_errors(evaluation, pilot_dir):
    """The profile of the agents equals analysis.profile on the stratified design (the
    satisfaction items and recommendation left to their own section)."""
    table = _table(evaluation, "profiles", "agents")
    survey = surveys.read_pilot(pilot_dir / "pilot.toml").read("agents")
    expected = analysis.profile(survey, strata="department", exclude=SATISFACTION)
    plain = analysis.profile(survey, exclude=SATISFACTION)
    shares = (table["statistic"] == "share").to_numpy()
    assert table[["variable", "category"]].astype(str).values.tolist() == \
        expected[["variable", "category"]].astype(str).values.tolist()
    np.testing.assert_allclose(table["se"].to_numpy(float)[shares],
                               expected["se"].to_numpy(float)[shares], rtol=1e-12)
    assert not np.allclose(table["se"].to_numpy(float)[shares],
                           plain["se"].to_numpy(float)[shares], rtol=1e-3, equal_nan=True)


def test_quality_notes_say_what_ignores_the_strata(evaluation):
    """No 'not used yet' note; one note, in both languages, names what ignores the strata."""
    notes = evaluation.sections["quality"].tables["summary"].notes
    keys = [getattr(note, "key", None) for note in notes]
    assert "strata_unused" not in keys and keys.count("strata_partial") == 1
    note = notes[keys.index("strata_partial")]
    assert note.startswith("agents.csv: strata = 'department' are used for the profiles")
    assert "commute impact ignore them" in note
    assert "l'impact sur les trajets n'en tiennent pas compte" in note.in_language("fr")


def test_absent_strata_column_names_pilot_source_and_column(pilot_dir, tmp_path):
    """strata naming no column of the source: a SurveyError naming the pilot file, the
    source and the column, before any table is computed."""
    (tmp_path / "agents.csv").write_bytes((pilot_dir / "agents.csv").read_bytes())
    (tmp_path / "pilot.toml").write_text(PILOT.format(strata="departement"), encoding="utf-8")
    with pytest.raises(SurveyError, match=r"pilot\.toml: \[sources\.agents\] strata = "
                                          r"'departement': no such column in agents\.csv"):
        evaluate(surveys.read_pilot(tmp_path / "pilot.toml"))


def test_population_total_with_strata_gives_no_fpc(pilot_dir, tmp_path):
    """One population total on a stratified source: profiles carry no finite population
    correction (it needs each stratum's size) and the quality notes say so."""
    (tmp_path / "agents.csv").write_bytes((pilot_dir / "agents.csv").read_bytes())
    text = PILOT.format(strata="department").replace('strata =', 'population = 400\nstrata =')
    (tmp_path / "pilot.toml").write_text(text, encoding="utf-8")
    pilot = surveys.read_pilot(tmp_path / "pilot.toml")
    evaluation = evaluate(pilot)
    table = _table(evaluation, "profiles", "agents")
    expected = analysis.profile(pilot.read("agents"), strata="department",
                                exclude=SATISFACTION)
    np.testing.assert_allclose(table["se"].to_numpy(float), expected["se"].to_numpy(float),
                               rtol=1e-12, equal_nan=True)
    notes = evaluation.sections["quality"].tables["summary"].notes
    assert "population_total_with_strata" in [getattr(note, "key", None) for note in notes]
