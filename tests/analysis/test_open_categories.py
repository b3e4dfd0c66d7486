"""Open lists (service, department, field) in analysis.evaluate: a label given by fewer
than min_cell respondents (every wave, distinct people) is folded into one "Other"
category before any table is built (privacy review 12, finding 3)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

import surveys
from analysis import evaluate

NAME = "Cabinet du Président (Claire Dupuis)"
OTHER = "Other (fewer than 5 answers each)"
#: Solidarités agents (both waves in the demo) moved to the planted services.
CABINET = ["CD14-100005"]
MISSION_B = ["CD14-100002", "CD14-100003", "CD14-100007"]  # 3 people, 6 answers
MISSION_A_PRE, MISSION_A_POST = ["CD14-100008", "CD14-100009", "CD14-100011"], \
    ["CD14-100019", "CD14-100021"]  # 5 people, 3 in one wave and 2 in the other


def _agents(folder):
    return pd.read_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", dtype=str,
                       keep_default_na=False)


def planted(demo_dir, folder, margins: str = ""):
    """A copy of the demo whose agents file has the planted services."""
    for path in demo_dir.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    agents = _agents(folder)
    who, wave = agents["N° agent"], agents["Vague"]
    chosen = CABINET + MISSION_B + MISSION_A_PRE + MISSION_A_POST
    assert set(agents.loc[who.isin(chosen), "Direction"]) == {"Solidarités"}
    assert (who.isin(chosen).groupby(who).sum() == 2).loc[chosen].all()  # both waves
    agents.loc[who.isin(CABINET), "Direction"] = NAME
    agents.loc[who.isin(MISSION_B), "Direction"] = "Mission B"
    agents.loc[who.isin(MISSION_A_PRE) & (wave == "Avant"), "Direction"] = "Mission A"
    agents.loc[who.isin(MISSION_A_POST) & (wave == "Après"), "Direction"] = "Mission A"
    agents.to_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", index=False)
    if margins:
        text = (folder / "pilot.toml").read_text(encoding="utf-8")
        text = re.sub(r"(\[weighting\.agents\]\n(#.*\n)*)", r"\1" + margins + "\n", text)
        (folder / "pilot.toml").write_text(text, encoding="utf-8")
    return folder / "pilot.toml"


@pytest.fixture(scope="module")
def evaluation(demo_dir, tmp_path_factory):
    """The evaluation of the demo with the planted services."""
    return evaluate(surveys.read_pilot(planted(demo_dir, tmp_path_factory.mktemp("open"))))


def _texts(evaluation) -> set[str]:
    """Every text cell of every table of the evaluation, and every note."""
    found = set()
    for _, table in evaluation.tables():
        frame = table.data
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]) or \
                    isinstance(frame[column].dtype, pd.CategoricalDtype):
                found.update(str(v) for v in frame[column].dropna().unique())
        found.update(str(note) for note in table.notes)
    found.update(str(note) for section in evaluation.sections.values() for note in section.notes)
    return found


def test_rare_label_in_no_table(evaluation):
    """A service typed with a name by one agent is in no table, cell or note."""
    texts = _texts(evaluation)
    assert texts and not [t for t in texts if "Dupuis" in t or "Cabinet" in t]


def test_folded_group_counted(evaluation):
    """The folded agents still count: the profile's "Other" service has its 4 people."""
    frame = evaluation.sections["profiles"].tables["agents"].data
    row = frame[(frame["variable"] == "service") & (frame["category"].astype(str) == OTHER)
                & (frame["statistic"] == "share")]
    assert row["count"].tolist() == [4] and row["n"].tolist() == [46]


def test_distinct_people_over_waves_decide(evaluation):
    """A label of 5 people (3 in one wave, 2 in the other) stays; one of 3 people in 6
    answers is folded."""
    texts = _texts(evaluation)
    assert "Mission A" in texts and "Mission B" not in texts


def test_survey_read_keeps_raw_labels(demo_dir, tmp_path):
    """surveys.read (a notebook user's Survey.data) keeps the raw values; the evaluation
    of the same pilot folds them."""
    pilot = surveys.read_pilot(planted(demo_dir, tmp_path))
    raw = set(pilot.read("agents").data["service"].cat.categories)
    ev = evaluate(pilot)
    frame = ev.sections["profiles"].tables["agents_by_service"].data
    assert NAME in raw and NAME not in set(frame["service"].astype(str))
    assert OTHER in set(frame["service"].astype(str))


def test_raking_margins_folded(demo_dir, tmp_path):
    """Raking on service: the rare services' margins are summed into "Other", and the
    design table (the pilot's margins) names no rare service."""
    margins = ('service = { "Éducation" = 0.15, "Ressources" = 0.17, "Routes" = 0.15, '
               '"Solidarités" = 0.33, "Mission A" = 0.1, "Mission B" = 0.06, '
               f'"{NAME}" = 0.04 }}')
    ev = evaluate(surveys.read_pilot(planted(demo_dir, tmp_path, margins)))
    design = ev.sections["methods"].tables["design"].data
    service = design[design["variable"] == "service"].set_index("category")["margin"]
    assert NAME not in service.index and "Mission B" not in service.index
    assert service[OTHER] == pytest.approx(0.10)


def test_folded_strata_sizes_summed(tmp_path):
    """A stratified source whose rare strata are folded: the folded stratum's population
    is the sum of its strata's sizes."""
    from analysis._open_labels import fold_rare

    frame = pd.DataFrame({"id": [f"a{i}" for i in range(9)],
                          "Service": ["RH"] * 5 + ["Cabinet", "Mission", "Mission", "Mission"],
                          "Population de la strate": [50] * 5 + [3, 20, 20, 20]})
    survey = surveys.read(frame, "agent", population="stratum_population")
    folded, labels = fold_rare(survey, 5, strata="service")
    sizes = folded.data.groupby("service", observed=True)["stratum_population"].unique()
    assert labels == {"service": ["Cabinet", "Mission"]}
    assert sizes[OTHER].tolist() == [23] and sizes["RH"].tolist() == [50]
