"""Open lists' labels that differ only by case or spacing (session 13): counted together
before the rare ones are folded, published once in their commonest spelling."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import surveys
from analysis import evaluate
from analysis._open_labels import (fold_margins, fold_rare, merge_spellings, open_columns,
                                   rare_labels)

OTHER = "Other (fewer than 5 answers each)"
#: Solidarités agents present in both waves of the demo (as in test_open_categories).
THREE, TWO = ["CD14-100002", "CD14-100003", "CD14-100007"], ["CD14-100005", "CD14-100008"]


def _agents(services: list[str], waves: list[str] | None = None, ids=None) -> surveys.Survey:
    """An agent survey with these services (one row each)."""
    frame = pd.DataFrame({"id": ids or [f"a{i}" for i in range(len(services))],
                          "Service": services})
    if waves is not None:
        frame["Vague"] = waves
    return surveys.read(frame, "agent")


def test_merge_keeps_the_commonest_spelling():
    """Three spellings of one label become one category named after the commonest."""
    values = pd.Series(["rh", "RH", "RH", " R H", "Routes", None], dtype="category")
    merged = merge_spellings(values)
    assert merged.tolist()[:3] == ["RH", "RH", "RH"] and merged.tolist()[4:5] == ["Routes"]
    assert merged.tolist()[3] == " R H"  # another label: its inner space is a letter apart
    assert pd.isna(merged.tolist()[5])


def test_merge_tie_goes_to_the_first_category():
    """Two spellings given as often: the one first in the categories' order is kept."""
    values = pd.Series(["ressources  humaines", "Ressources humaines"], dtype="category")
    assert list(merge_spellings(values).cat.categories) == ["Ressources humaines"]


def test_spellings_counted_together_are_not_folded():
    """3 "Ressources humaines" and 2 "ressources  humaines": one label of 5 people,
    published once, nothing folded into Other."""
    survey = _agents(["Ressources humaines"] * 3 + ["ressources  humaines"] * 2 + ["DSI"] * 5)
    folded, labels = fold_rare(survey, 5)
    assert labels == {}
    assert folded.data["service"].value_counts().to_dict() == {"DSI": 5,
                                                               "Ressources humaines": 5}
    assert list(survey.data["service"].cat.categories) == [
        "DSI", "ressources  humaines", "Ressources humaines"]  # surveys.read keeps them


def test_rare_label_folds_every_spelling():
    """A label rare even with its spellings together: each spelling is folded and listed
    (with the label's count) for the operator."""
    survey = _agents(["Cabinet", "cabinet ", "CABINET"] + ["DSI"] * 5)
    folded, labels = fold_rare(survey, 5)
    assert labels == {"service": ["CABINET", "Cabinet", "cabinet"]}
    assert folded.data["service"].value_counts().to_dict() == {"DSI": 5, OTHER: 3}
    assert rare_labels(survey, 5)["n"].tolist() == [3, 3, 3]


def test_spellings_of_one_person_over_waves_count_once():
    """A person writing "RH" in one wave and "rh" in the other counts once: 3 people in
    6 answers stay a rare label."""
    ids = [f"a{i}" for i in range(3)] * 2 + [f"b{i}" for i in range(5)] * 2
    services = ["RH"] * 3 + ["rh"] * 3 + ["DSI"] * 10
    waves = ["Avant"] * 3 + ["Après"] * 3 + ["Avant"] * 5 + ["Après"] * 5
    survey = _agents(services, waves, ids)
    assert rare_labels(survey, 5).set_index("label")["n"].to_dict() == {"RH": 3, "rh": 3}
    assert fold_rare(survey, 5)[1] == {"service": ["RH", "rh"]}


def test_margins_of_every_folded_spelling_are_summed():
    """Raking margins given for two spellings of a folded label go to Other together."""
    survey = _agents(["Cabinet", "cabinet"] + ["DSI"] * 5)
    _, labels = fold_rare(survey, 5)
    margins = fold_margins({"service": {"DSI": 0.8, "Cabinet": 0.1, "cabinet": 0.1}}, labels, 5)
    assert margins["service"] == {"DSI": 0.8, OTHER: pytest.approx(0.2)}


def test_demo_has_no_spelling_to_merge(demo_dir):
    """The demo's open lists hold no two spellings of a label: its report is unchanged."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    for name in ("agents", "companies"):
        survey = pilot.read(name)
        for column in open_columns(survey):
            assert merge_spellings(survey.data[column]) is survey.data[column]


@pytest.fixture(scope="module")
def spelled(demo_dir, tmp_path_factory):
    """The demo's evaluation with 3 agents in "Ressources humaines" and 2 in
    "ressources  humaines" (both waves each)."""
    folder = tmp_path_factory.mktemp("spelled")
    for path in demo_dir.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    agents = pd.read_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", dtype=str,
                         keep_default_na=False)
    who = agents["N° agent"]
    assert set(agents.loc[who.isin(THREE + TWO), "Direction"]) == {"Solidarités"}
    agents.loc[who.isin(THREE), "Direction"] = "Ressources humaines"
    agents.loc[who.isin(TWO), "Direction"] = "ressources  humaines"
    agents.to_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", index=False)
    return evaluate(surveys.read_pilot(folder / "pilot.toml"))


def test_demo_spellings_published_as_one_label(spelled):
    """In the demo's profile (one wave), the two spellings are one service of 5 agents, in
    the commonest spelling, and no service is folded."""
    frame = spelled.sections["profiles"].tables["agents"].data
    service = frame[(frame["variable"] == "service") & (frame["statistic"] == "share")]
    categories = service["category"].astype(str).tolist()
    assert "Ressources humaines" in categories and "ressources  humaines" not in categories
    assert OTHER not in categories
    assert service.loc[service["category"].astype(str) == "Ressources humaines",
                       "count"].tolist() == [5]
