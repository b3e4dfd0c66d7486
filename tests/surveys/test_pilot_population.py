"""population = "<column>" in a pilot file: each stratum's population size, read as a
canonical variable (stratum_population) and checked when the source is read; every
mistake is a PilotFileError naming the pilot file, the source and the column, in English
and French."""

from __future__ import annotations

from pathlib import Path

import pytest

import surveys
from surveys.errors import PilotFileError

PILOT = """\
[pilot]
name = "Strates"

[sources.agents]
kind = "agent"
path = "agents.csv"
population = "stratum_population"
strata = "service"

[sources.agents.mapping]
"id" = "respondent_id"
"Direction" = "service"
"Effectif" = "stratum_population"
"""
ROWS = "id;Direction;Effectif\nA1;RH;10\nA2;RH;10\nA3;Routes;5\nA4;Routes;5\n"


def _folder(tmp_path: Path, rows: str = ROWS, pilot: str = PILOT) -> Path:
    (tmp_path / "agents.csv").write_text(rows, encoding="utf-8")
    path = tmp_path / "pilot.toml"
    path.write_text(pilot, encoding="utf-8")
    return path


def _read(path: Path):
    return surveys.read_pilot(path).read("agents")


def test_population_column_is_kept_as_a_number(tmp_path):
    """The mapped column reaches Survey.data as floats, with no 'not used' note."""
    survey = _read(_folder(tmp_path))
    assert survey.data["stratum_population"].tolist() == [10.0, 10.0, 5.0, 5.0]
    assert survey.population == "stratum_population"
    assert "population_column_unused" not in [getattr(n, "key", "") for n in survey.notes]


def test_population_variable_is_in_every_people_codebook():
    """agent, company and thirdplace codebooks have stratum_population (a number, FR/EN
    labels, no aliases)."""
    for kind in ("agent", "company", "thirdplace"):
        variable = surveys.codebook(kind).variables["stratum_population"]
        assert (variable.type, variable.aliases) == ("number", ())
        assert variable.label == {"fr": "Population de la strate", "en": "Stratum population"}


def test_unmapped_size_column_is_not_picked_up(tmp_path):
    """A column named like a size ('Effectif') is not taken for the population unless
    mapped: it is dropped like any unmatched column."""
    pilot = PILOT.replace('"Effectif" = "stratum_population"\n', "")
    survey = surveys.read_pilot(_folder(tmp_path, pilot=pilot.replace(
        'population = "stratum_population"\n', ""))).read("agents")
    assert "stratum_population" not in survey.data.columns


def test_absent_population_column_names_pilot_source_and_column(tmp_path):
    """population naming a column the source does not have once read: error naming the
    pilot file, the source, the column, and how to map it (FR and EN)."""
    path = _folder(tmp_path, pilot=PILOT.replace('"Effectif" = "stratum_population"\n', ""))
    with pytest.raises(PilotFileError,
                       match=r"pilot\.toml: \[sources\.agents\] population = "
                             r"'stratum_population': no such column in agents\.csv once read"
                             r".*\[sources\.agents\.mapping\]") as error:
        _read(path)
    assert "pas de telle colonne dans agents.csv" in error.value.args[0].in_language("fr")


def test_population_column_without_strata_is_an_error(tmp_path):
    """Sizes per stratum without strata: error saying to add strata or give a number."""
    path = _folder(tmp_path, pilot=PILOT.replace('strata = "service"\n', ""))
    with pytest.raises(PilotFileError,
                       match=r"\[sources\.agents\] population = 'stratum_population': a "
                             r"column of per-stratum population sizes needs the strata") as error:
        _read(path)
    assert "demande les strates" in error.value.args[0].in_language("fr")


@pytest.mark.parametrize("size", ["", "0", "-3", "beaucoup"])
def test_missing_or_non_positive_size_is_an_error(tmp_path, size):
    """A respondent without a positive size (blank, zero, negative, not a number): error
    naming the pilot file, source, column, count and first row."""
    rows = ROWS.replace("A3;Routes;5", f"A3;Routes;{size}")
    with pytest.raises(PilotFileError,
                       match=r"pilot\.toml: \[sources\.agents\] population = "
                             r"'stratum_population': 1 respondent of agents\.csv without a "
                             r"positive population size \(first at data row 3") as error:
        _read(_folder(tmp_path, rows=rows))
    assert "sans taille de population positive" in error.value.args[0].in_language("fr")


def test_size_varying_within_a_stratum_is_an_error(tmp_path):
    """Two sizes inside one stratum: error naming the stratum and both sizes."""
    rows = ROWS.replace("A2;RH;10", "A2;RH;12")
    with pytest.raises(PilotFileError,
                       match=r"population = 'stratum_population': the population size varies "
                             r"within stratum 'RH' of agents\.csv \(from 10 to 12\)") as error:
        _read(_folder(tmp_path, rows=rows))
    assert "varie au sein de la strate 'RH'" in error.value.args[0].in_language("fr")


def test_size_below_the_respondents_is_an_error(tmp_path):
    """A stratum with more respondents than its population: error naming both numbers."""
    rows = ROWS.replace("Routes;5", "Routes;1")
    with pytest.raises(PilotFileError,
                       match=r"population = 'stratum_population': stratum 'Routes' of "
                             r"agents\.csv has a population of 1 but 2 respondents") as error:
        _read(_folder(tmp_path, rows=rows))
    assert "a une population de 1 mais 2 répondants" in error.value.args[0].in_language("fr")


def test_population_column_on_a_check_in_log_is_noted_as_unused(tmp_path):
    """A population column on a source with no survey estimate: noted, FR and EN."""
    (tmp_path / "badges.csv").write_text("lieu;badge;quand\nP1;U1;01/03/2016 10:00\n",
                                         encoding="utf-8")
    path = tmp_path / "pilot.toml"
    path.write_text('[sources.log]\nkind = "attendance"\npath = "badges.csv"\n'
                    'population = "taille"\n[sources.log.mapping]\n"lieu" = "place_id"\n'
                    '"badge" = "user_id"\n"quand" = "timestamp"\n', encoding="utf-8")
    survey = surveys.read_pilot(path).read("log")
    notes = [n for n in survey.notes if getattr(n, "key", "") == "population_column_unused"]
    assert notes[0] == ("badges.csv: population = 'taille' (sizes per stratum) is not used: no "
                        "survey estimate is made on a source of kind 'attendance'.")
    assert "n'est pas utilisée" in notes[0].in_language("fr")


WAVES_PILOT = PILOT + '"Vague" = "wave"\n'


def test_two_waves_count_each_respondent_once(tmp_path):
    """Two waves of the same two agents per stratum fit strata of two: a respondent is
    counted once, as the evaluation counts them."""
    rows = "id;Direction;Effectif;Vague\n" + "".join(
        f"{i};{s};2;{w}\n" for w in ("Avant", "Après")
        for i, s in (("A1", "RH"), ("A2", "RH"), ("A3", "Routes"), ("A4", "Routes")))
    survey = _read(_folder(tmp_path, rows, WAVES_PILOT))
    assert len(survey) == 8


def test_two_waves_still_refuse_a_stratum_too_small(tmp_path):
    """Three distinct agents in a stratum of two is still refused, over two waves."""
    rows = ("id;Direction;Effectif;Vague\nA1;RH;2;Avant\nA2;RH;2;Avant\nA5;RH;2;Après\n"
            "A3;Routes;2;Avant\nA1;RH;2;Après\n")
    with pytest.raises(PilotFileError, match="RH"):
        _read(_folder(tmp_path, rows, WAVES_PILOT))
