"""analysis.compare_baseline writes what it compared and its notes in both languages:
``compared``/``note`` in English, ``compared_fr``/``note_fr`` in French, from one list of
sentences, with the catalogue's French texts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import compare_baseline
from analysis.baselines import baselines


def _agents(women: int, men: int, **columns) -> pd.DataFrame:
    gender = pd.Categorical(["F"] * women + ["M"] * men, categories=["F", "M", "X"])
    return pd.DataFrame({"gender": gender, **columns})


def _row(table: pd.DataFrame, indicator: str) -> pd.Series:
    return table.set_index("indicator").loc[indicator]


def _catalogue(source_id: str, indicator: str) -> pd.Series:
    table = baselines()
    return table[(table["source_id"] == source_id) & (table["indicator"] == indicator)].iloc[0]


def test_subset_note_in_french_with_the_catalogue_note_fr():
    """A share compared in a subset: the French note says so in French and quotes note_fr."""
    sector = pd.Categorical(["public"] * 30 + ["private"] * 10)
    row = _row(compare_baseline(_agents(25, 15, sector=sector), "citica-2017", kind="agent"),
               "woman")
    catalogue = _catalogue("citica-2017", "woman")
    assert row["note_fr"] == ("comparé parmi les répondants dont sector est égal à public ; "
                              + catalogue["note_fr"].rstrip("."))
    assert row["note"] == ("compared among respondents with sector equal to public; "
                           + catalogue["note"].rstrip("."))


def test_absent_subset_note_names_the_french_population():
    """Without the subset's variable, the French note names the catalogue's population_fr."""
    row = _row(compare_baseline(_agents(10, 30), "citica-2017", kind="agent"), "woman")
    population_fr = _catalogue("citica-2017", "woman")["population_fr"]
    assert row["note_fr"].startswith("« sector » n'est pas dans les données : tous les "
                                     f"répondants sont comparés (population de référence : "
                                     f"{population_fr})")


def test_weighted_note_names_kish_without_its_number():
    """The note says the test uses Kish's effective n, in both languages, without writing
    it (with the rounded share and the class sizes it gave a hidden split back)."""
    data = _agents(20, 20, w=np.r_[np.ones(20), np.full(20, 3.0)])
    row = _row(compare_baseline(data, "bva-2015", kind="agent", weights="w"), "man")
    assert row["note"].endswith("weighted; tested on Kish's effective n")
    assert row["note_fr"].endswith("pondéré ; test sur la taille effective de Kish")


def test_renormalised_distribution_note_in_french():
    """A distribution whose published shares do not sum to 1 says so in French."""
    bands = pd.Categorical(np.repeat(["<3m", "3-6m", "6-12m", "1-2y", ">2y"], [10, 12, 20, 30, 28]),
                           categories=["<3m", "3-6m", "6-12m", "1-2y", ">2y"], ordered=True)
    table = compare_baseline(pd.DataFrame({"attendance_band": bands}), "aquitaine-2016",
                             kind="thirdplace")
    seniority = table[table["distribution"] == "attendance_seniority"]
    assert seniority["note_fr"].str.endswith(
        "les parts publiées totalisent 0,990 ; ramenées à 1 pour le test").all()


def test_compared_in_french():
    """compared_fr says what is compared in French, with the French label and population."""
    row = _row(compare_baseline(_agents(25, 15), "bva-2015", kind="agent"), "man")
    catalogue = _catalogue("bva-2015", "man")
    assert row["compared"] == (f"share of agents with gender equal to M ({catalogue['label_en']})"
                               f" vs {catalogue['population']}")
    assert row["compared_fr"] == (f"part des agents dont gender est égal à M "
                                  f"({catalogue['label_fr']}) comparée à : "
                                  f"{catalogue['population_fr']}")


def test_user_note_without_french_is_used_for_both(tmp_path):
    """A user's source whose note has no French version: note_fr holds it as written."""
    path = tmp_path / "mine.csv"
    path.write_text("source_id,indicator,value,kind,variable,condition,note\n"
                    "mine,woman,0.5,agent,gender,{equals: F},Enquête interne 2020\n",
                    encoding="utf-8")
    row = _row(compare_baseline(_agents(20, 20), "mine", kind="agent", baselines=path), "woman")
    assert row["note"] == row["note_fr"] == "Enquête interne 2020"
