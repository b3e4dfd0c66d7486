"""analysis.evaluate on pilot files: sections present, and pilots with several sources of a kind."""

from __future__ import annotations

import shutil

import numpy as np

import pytest

import surveys
from analysis import evaluate


def test_two_agent_sources(demo_dir, tmp_path):
    """Two agent sources each get their own tables; shared tables appear once."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    text = (folder / "pilot.toml").read_text(encoding="utf-8")
    start = text.index("[sources.agents]")
    end = text.index("[sources.companies]")
    second = text[start:end].replace("[sources.agents", "[sources.agents_bis")
    (folder / "pilot.toml").write_text(text[:end] + second + text[end:], encoding="utf-8")
    evaluation = evaluate(surveys.read_pilot(folder / "pilot.toml"))
    impact = evaluation.sections["impact"].tables
    assert {"agents_commute", "agents_bis_commute", "parameters"} <= set(impact)
    profiles = evaluation.sections["profiles"].tables
    assert {"agents", "agents_bis"} <= set(profiles)


def test_sections_follow_the_data(demo_dir, tmp_path):
    """A pilot with only a places registry and a check-in log has no survey sections."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    text = (folder / "pilot.toml").read_text(encoding="utf-8")
    keep = text[:text.index("[sources.agents]")] + text[text.index("[sources.checkins]"):]
    keep = keep[:keep.index("[weighting.agents]")] + keep[keep.index("[baselines]"):]
    (folder / "pilot.toml").write_text(keep, encoding="utf-8")
    evaluation = evaluate(surveys.read_pilot(folder / "pilot.toml"))
    assert "satisfaction" not in evaluation.sections
    assert "impact" not in evaluation.sections
    assert {"quality", "retention", "attendance", "methods"} <= set(evaluation.sections)


def test_raked_profile_uses_the_calibration(demo_dir):
    """The demo rakes agents on gender: the profile's gender shares are the margins with
    zero standard error (as R's rake()), and the age mean's SE is the calibrated one."""
    from analysis import mean
    from analysis._respondent_frames import WEIGHT
    from analysis.evaluate import _population, _respondents

    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    agents = evaluate(pilot).sections["profiles"].tables["agents"]
    assert "report.calibrated_margins" in agents.notes  # the reader is told why SE = 0
    table = agents.data
    gender = table[(table["variable"] == "gender") & table["category"].isin(["F", "M"])]
    assert gender["estimate"].tolist() == pytest.approx([0.65, 0.35], abs=1e-9)
    assert gender["se"].abs().max() < 1e-9
    frame = _respondents(pilot.read("agents"), pilot.weighting["agents"], pilot.path.name,
                         "agents")
    population = _population(pilot.read("agents"), frame)  # 60 agents: fpc
    calibrated = mean(frame, "age", weights=WEIGHT, population=population)
    fixed = mean(frame, "age", weights=WEIGHT, population=population, calibration=False)
    age = table[(table["variable"] == "age") & (table["statistic"] == "mean")]
    assert age["se"].iloc[0] == pytest.approx(calibrated["se"].iloc[0], rel=1e-12)
    assert age["se"].iloc[0] != pytest.approx(fixed["se"].iloc[0], rel=1e-6)


def test_margin_that_misses_a_category_names_the_pilot(demo_dir, tmp_path):
    """A raking margin without a category of the data names the pilot file and source."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gender = { F = 0.65, M = 0.35 }", "gender = { F = 1.0 }"),
                    encoding="utf-8")
    with pytest.raises(surveys.SurveyError) as caught:
        evaluate(surveys.read_pilot(path))
    assert str(caught.value).startswith("pilot.toml: [weighting.agents]: Respondents with gender")
    assert caught.value.args[0].in_language("fr").startswith(
        "pilot.toml : [weighting.agents] : Des répondants ont gender = 'M'")


def test_population_total_reaches_satisfaction_and_baselines(demo_dir):
    """The demo's 60 agents (46 answered): the satisfaction items (last wave, raked), the
    items and NPS by wave (each wave raked, a sample of the 60) and the baseline
    comparisons (first answers) carry the finite population correction, as the profiles
    do."""
    from analysis import likert, nps
    from analysis._respondent_frames import WEIGHT
    from analysis.evaluate import _as_survey, _respondents

    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    evaluation = evaluate(pilot)
    survey = pilot.read("agents")
    frame = _respondents(survey, pilot.weighting["agents"], pilot.path.name, "agents")
    post = _respondents(survey, pilot.weighting["agents"], pilot.path.name, "agents",
                        wave="post")
    items = [c for c in survey.data.columns if c.startswith("sat_")]
    table = evaluation.sections["satisfaction"].tables["agents_items"].data
    respondents = _as_survey(survey, frame)
    last = _as_survey(survey, post)
    corrected = likert(last, items, weights=WEIGHT, population=60)
    uncorrected = likert(last, items, weights=WEIGHT)
    np.testing.assert_allclose(table["se"].to_numpy(float), corrected["se"].to_numpy(float),
                               rtol=1e-12)
    assert (table["se"].to_numpy(float) < uncorrected["se"].to_numpy(float)).all()
    by_wave = evaluation.sections["satisfaction"].tables["agents_items_by_wave"].data
    pre = _respondents(survey, pilot.weighting["agents"], pilot.path.name, "agents", wave="pre")
    first = likert(_as_survey(survey, pre), items, weights=WEIGHT, population=60)
    columns = ["n", "estimate", "se", "ci_low", "ci_high"]
    for wave, expected in (("pre", first), ("post", corrected)):  # each wave a sample of 60
        rows = by_wave[by_wave["wave"] == wave].reset_index(drop=True)
        np.testing.assert_allclose(rows[columns].to_numpy(float),
                                   expected[columns].to_numpy(float), rtol=1e-12)
    nps_table = evaluation.sections["satisfaction"].tables["agents_nps"].data
    for wave, frame in (("pre", pre), ("post", post)):
        expected = nps(_as_survey(survey, frame), "recommend", weights=WEIGHT, population=60)
        row = nps_table[nps_table["wave"] == wave]
        np.testing.assert_allclose(row[["n", "estimate", "se"]].to_numpy(float),
                                   expected[["n", "estimate", "se"]].to_numpy(float), rtol=1e-12)
    comparisons = evaluation.sections["baselines"].tables["comparisons"].data
    rows = comparisons[(comparisons["source_id"] == "citica-2017")
                       & (comparisons["source"] == "agents")]
    from analysis import compare_baseline
    direct = compare_baseline(respondents, "citica-2017", weights=WEIGHT, population=60)
    np.testing.assert_allclose(rows["se"].to_numpy(float), direct["se"].to_numpy(float),
                               rtol=1e-12)


def test_checkin_curve_says_why_it_starts_below_one(demo_dir):
    """The check-in curve's note gives the share of one-day users, its drop at month 0."""
    evaluation = evaluate(surveys.read_pilot(demo_dir / "pilot.toml"))
    table = evaluation.sections["retention"].tables["checkins_users_curve"]
    first = table.data.iloc[0]
    assert first["time"] == 0 and first["survival"] < 1
    notes = [n for n in table.notes if getattr(n, "key", None) == "checkins_one_day"]
    assert len(notes) == 1
    share_at_zero = first["events"] / first["at_risk"]
    assert f"{round(100 * share_at_zero)} %" in notes[0].in_language("fr")


def test_respondents_without_an_id_are_each_one_respondent():
    """Over two waves, an agent is counted once, but rows without an id are not merged."""
    import pandas as pd

    from analysis.evaluate import _respondents

    frame = pd.DataFrame({
        "respondent_id": pd.array(["a", "a", None, None, "b"], dtype="string[pyarrow]"),
        "wave": pd.Categorical(["pre", "post", "pre", "post", "post"], categories=["pre", "post"]),
        "age": [30, 31, 40, 50, 60]})
    survey = type("S", (), {"data": frame})()
    out = _respondents(survey, None, "pilot.toml", "agents")
    assert sorted(out["age"].tolist()) == [30, 40, 50, 60]


def test_satisfaction_describes_the_last_wave(demo_dir):
    """With two waves, the agents' satisfaction items are the 'post' answers only, raked
    on the pilot's margins, and say so in a note; the profile keeps the first answers."""
    from analysis import likert, rake

    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    evaluation = evaluate(pilot)
    data = pilot.read("agents").data
    post = data[data["wave"] == "post"].drop(columns=["wave"])
    weights = rake(post, pilot.weighting["agents"])
    items = [c for c in data.columns if c.startswith("sat_")]
    expected = likert(post.assign(w=weights.to_numpy()), items, weights="w")
    table = evaluation.sections["satisfaction"].tables["agents_items"]
    assert "report.last_wave" in table.notes
    assert table.data["n"].tolist() == expected["n"].tolist()
    np.testing.assert_allclose(table.data["estimate"].to_numpy(float),
                               expected["estimate"].to_numpy(float), rtol=1e-12)
    profile = evaluation.sections["profiles"].tables["agents"].data
    assert profile["n"].max() == data["respondent_id"].nunique()


def test_satisfaction_asked_only_before_describes_the_first_wave(demo_dir, tmp_path):
    """When the last wave left every satisfaction question blank, the items describe the
    first wave's answers, and the note says so (not an empty table of n = 0)."""
    import pandas as pd

    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    csv = folder / "agents_cd14.csv"
    frame = pd.read_csv(csv, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    items = ["Satisfaction globale", "Équilibre vie pro / vie perso", "Autonomie",
             "Relation avec l'encadrant", "Équipement"]
    frame.loc[frame["Vague"] == "Après", items] = ""
    frame.to_csv(csv, sep=";", encoding="cp1252", index=False)
    pilot = surveys.read_pilot(folder / "pilot.toml")
    table = evaluate(pilot).sections["satisfaction"].tables["agents_items"]
    data = pilot.read("agents").data
    before = data[data["wave"] == "pre"]
    assert table.notes == ["report.earlier_wave"]
    overall = table.data[table.data["item"] == "sat_overall"]
    assert overall["n"].iloc[0] == before["sat_overall"].notna().sum() > 0
