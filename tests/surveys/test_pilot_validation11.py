"""Pilot-file validation (review 11): non-finite numbers, a BOM, raking margins checked
against the codebook and the data, baseline ids and impact names, path mistakes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis import rake
from analysis._respondent_frames import respondents
from surveys.errors import PilotFileError, SurveyError
from surveys.pilot import check_margins

AGENTS = "N°;Genre;Encadrant\n1;F;Oui\n2;F;Non\n3;M;Oui\n4;Femme;non\n5;H;Oui\n"

HEAD = """\
[pilot]
name = "Essai"
lang = "{lang}"

[sources.agents]
kind = "agent"
path = "agents.csv"
{source}

[sources.agents.mapping]
"N°" = "respondent_id"
"Genre" = "gender"
"Encadrant" = "manager"
"""


#: The start of the agents' raking margins.
W = "[weighting.agents]\n"


def _pilot(folder: Path, extra: str = "", source: str = "", lang: str = "fr") -> Path:
    """A small agents pilot in ``folder``, with ``extra`` tables after the source."""
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    path = folder / "pilot.toml"
    path.write_text(HEAD.format(lang=lang, source=source) + extra, encoding="utf-8")
    return path


def _french(error: pytest.ExceptionInfo) -> str:
    return error.value.args[0].in_language("fr")


# -- 1. non-finite and absurd numbers -------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_population_not_finite_refused(tmp_path, value):
    """A population of inf or nan is refused, naming the source, the key and the value."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(_pilot(tmp_path, source=f"population = {value}"))
    assert f"[sources.agents] population = {value} ;" in _french(caught)
    assert "fini" in _french(caught)


def test_population_finite_kept(tmp_path):
    """A finite positive population is kept as a float."""
    pilot = surveys.read_pilot(_pilot(tmp_path, source="population = 1e4"))
    assert pilot.sources["agents"].population == 10_000.0


def test_min_cell_absurdly_large_refused(tmp_path):
    """min_cell = 10^20 is refused, with the largest value allowed."""
    path = _pilot(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'lang = "fr"', 'lang = "fr"\nmin_cell = 100000000000000000000'), encoding="utf-8")
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(path)
    assert "min_cell = 100000000000000000000" in _french(caught)
    assert "au plus 1\u202f000\u202f000" in _french(caught)


def test_min_cell_at_the_bound_accepted(tmp_path):
    """min_cell = 1 000 000 (the bound) is accepted."""
    path = _pilot(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'lang = "fr"', 'lang = "fr"\nmin_cell = 1_000_000'), encoding="utf-8")
    assert surveys.read_pilot(path).min_cell == 1_000_000


def test_impact_nan_refused(tmp_path):
    """An [impact] value of nan is refused."""
    with pytest.raises(PilotFileError, match=r"\[impact\] commute_km = nan"):
        surveys.read_pilot(_pilot(tmp_path, "[impact]\ncommute_km = nan\n"))


@pytest.mark.parametrize("value", ["nan", "inf", "1.5", "0"])
def test_little_used_outside_zero_one_refused(tmp_path, value):
    """[attendance] little_used must lie in (0, 1]: nan, inf, 1.5 and 0 are refused."""
    with pytest.raises(PilotFileError, match=r"\[attendance\] little_used"):
        surveys.read_pilot(_pilot(tmp_path, f"[attendance]\nlittle_used = {value}\n"))


def test_margin_infinite_refused(tmp_path):
    """A margin value of inf names the margin, the category and the value."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = inf, M = 1 }\n"))
    assert "[weighting.agents] gender : F = inf n'est pas un nombre fini" in _french(caught)


# -- 2. a byte-order mark -------------------------------------------------------------

def test_pilot_with_bom_is_read(tmp_path):
    """A pilot file saved as "UTF-8 with BOM" is read like one without."""
    path = _pilot(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pilot = surveys.read_pilot(path)
    assert pilot.name == "Essai" and list(pilot.sources) == ["agents"]


# -- 3. zero margins and shares -------------------------------------------------------

def test_zero_margin_with_respondents_refused(tmp_path):
    """M = 0 while two agents are men is refused, naming the key and the count."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 1.0, M = 0 }\n"))
    with pytest.raises(PilotFileError) as caught:
        pilot.check_weighting("agents")
    text = _french(caught)
    assert text.startswith("pilot.toml : [weighting.agents] : gender : M = 0")
    assert "pour 2 répondants" in text


def test_zero_margin_without_respondents_accepted(tmp_path):
    """A margin of 0 for a category nobody is in (X) is accepted."""
    pilot = surveys.read_pilot(_pilot(
        tmp_path, W + "gender = { F = 0.6, M = 0.4, X = 0 }\n"))
    pilot.check_weighting("agents")
    assert pilot.weighting["agents"]["gender"]["X"] == 0


def test_shares_not_summing_to_one_refused(tmp_path):
    """Shares 0.65 + 0.55 are refused with their sum."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 0.65, M = 0.55 }\n"))
    assert "gender : les parts 0.65 + 0.55 ont pour somme 1.2, et non 1" in _french(caught)


def test_rounded_shares_made_exact(tmp_path):
    """Shares off 1 by at most 0.02 (rounding) are scaled to sum to exactly 1."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 0.66, M = 0.33 }\n"))
    margin = pilot.weighting["agents"]["gender"]
    assert sum(margin.values()) == pytest.approx(1, abs=1e-12)
    assert margin["F"] == pytest.approx(0.66 / 0.99)


def test_totals_kept_as_given(tmp_path):
    """Totals (counts, a value above 1) are kept unchanged, whatever their sum."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 26, M = 15 }\n"))
    assert pilot.weighting["agents"]["gender"] == {"F": 26, "M": 15}


def test_zero_margin_refused_by_the_evaluation(tmp_path):
    """The evaluation's raking refuses the zero margin too, in the pilot file's words."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 1.0, M = 0 }\n"))
    with pytest.raises(PilotFileError, match=r"\[weighting\.agents\]: gender: M = 0"):
        respondents(pilot.read("agents"), pilot.weighting["agents"], "pilot.toml", "agents")


# -- 4. margins against the codebook and the data; baselines; impact --------------------

def test_margin_labels_mapped_to_codes(tmp_path):
    """Margin keys written as labels (Femme, Homme) stand for their codes (F, M)."""
    pilot = surveys.read_pilot(_pilot(
        tmp_path, W + "gender = { Femme = 0.65, Homme = 0.35 }\n"))
    assert pilot.weighting["agents"]["gender"] == {"F": 0.65, "M": 0.35}
    pilot.check_weighting("agents")


def test_boolean_margin_labels_mapped(tmp_path):
    """Oui/Non keys of a yes/no margin become true/false, which the raking matches."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "manager = { Oui = 0.2, Non = 0.8 }\n"))
    assert pilot.weighting["agents"]["manager"] == {"true": 0.2, "false": 0.8}
    frame = respondents(pilot.read("agents"), pilot.weighting["agents"], "pilot.toml", "agents")
    assert frame.groupby("manager")["weight"].sum().to_dict() == pytest.approx(
        {False: 0.8 * 5, True: 0.2 * 5})


def test_boolean_margin_unknown_key_says_true_false(tmp_path):
    """A yes/no margin key that is neither tells the user to write true and false."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(_pilot(tmp_path, W + "manager = { \"Peut-être\" = 1 }\n"))
    assert "écrivez true et false" in _french(caught)


def test_margin_unknown_category_lists_codes(tmp_path):
    """An unknown margin key is refused with the codes and their labels."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 0.5, Q = 0.5 }\n"))
    text = _french(caught)
    assert "[weighting.agents] gender : modalité 'Q' inconnue." in text
    assert "F (Femme), M (Homme), X (Autre)" in text


def test_margin_key_given_twice_refused(tmp_path):
    """Two keys for one code (F and Femme) are refused."""
    with pytest.raises(PilotFileError, match="'F' and 'Femme' both stand for category 'F'"):
        surveys.read_pilot(_pilot(tmp_path, W + "gender = { F = 0.5, Femme = 0.5 }\n"))


def test_margin_unknown_column_suggests_variable(tmp_path):
    """A margin on 'genre' (the French header) suggests the variable gender."""
    pilot = surveys.read_pilot(_pilot(tmp_path, W + "genre = { F = 0.5, M = 0.5 }\n"))
    with pytest.raises(PilotFileError) as caught:
        pilot.check_weighting("agents")
    text = _french(caught)
    assert "pas de colonne 'genre' dans agents.csv" in text
    assert "Vouliez-vous dire 'gender' ?" in text


def test_margin_blank_values_counted(tmp_path):
    """Respondents without a value under a margin are counted."""
    path = _pilot(tmp_path, W + "gender = { F = 0.5, M = 0.5 }\n")
    (tmp_path / "agents.csv").write_text(AGENTS + "6;;Oui\n", encoding="utf-8")
    with pytest.raises(PilotFileError, match="1 respondent with no value for 'gender'"):
        surveys.read_pilot(path).check_weighting("agents")


def test_margin_category_without_respondents_refused(tmp_path):
    """A positive margin for a category nobody is in (X) is refused by validation."""
    pilot = surveys.read_pilot(_pilot(
        tmp_path, W + "gender = { F = 0.5, M = 0.4, X = 0.1 }\n"))
    with pytest.raises(PilotFileError, match="No respondent is in margin category 'X'"):
        pilot.check_weighting("agents")


def test_unknown_baseline_id(tmp_path):
    """An unknown baseline id is a pilot-file mistake listing the known ids."""
    pilot = surveys.read_pilot(_pilot(tmp_path, '[baselines]\ncompare = ["bva-2051"]\n'))
    [note] = pilot.check(baselines=["bva-2015", "citica-2017"])
    assert note.in_language("fr") == (
        "pilot.toml : [baselines] compare : aucune source de référence nommée 'bva-2051'. "
        "Vouliez-vous dire 'bva-2015' ? Les sources sont : bva-2015, citica-2017.")


def test_unknown_impact_name_suggests(tmp_path):
    """An unknown [impact] name suggests the close parameter."""
    pilot = surveys.read_pilot(_pilot(tmp_path, "[impact]\nco2_kg_per_kmm = 0.1\n"))
    [note] = pilot.check(impact=["commute_km", "co2_kg_per_km"])
    assert "[impact] co2_kg_per_kmm" in note and "Did you mean 'co2_kg_per_km'?" in note


def test_known_names_give_no_problem(tmp_path):
    """Known baseline ids and impact names give no problem."""
    pilot = surveys.read_pilot(_pilot(
        tmp_path, '[baselines]\ncompare = ["bva-2015"]\n[impact]\ncommute_km = 20\n'))
    assert pilot.check(baselines=["bva-2015"], impact=["commute_km"]) == []


# -- 5. plain values in the messages --------------------------------------------------

def test_rake_message_has_no_numpy_repr():
    """An integer category missing from a margin is written 28, not np.int64(28)."""
    frame = pd.DataFrame({"age": pd.array([28, 30], dtype="Int64")})
    with pytest.raises(SurveyError) as caught:
        rake(frame, {"age": {"30": 1.0}})
    assert "age = 28 have" in str(caught.value) and "np." not in str(caught.value)


def test_rake_boolean_message_says_false():
    """A yes/no category missing from a margin is written false, not np.False_."""
    frame = pd.DataFrame({"manager": pd.array([True, False], dtype="boolean")})
    with pytest.raises(SurveyError) as caught:
        rake(frame, {"manager": {"true": 1.0}})
    assert "manager = false" in str(caught.value) and "np." not in str(caught.value)


def test_check_margins_plain_integer_value():
    """check_margins writes an integer category plainly too."""
    frame = pd.DataFrame({"age": pd.array(np.array([28, 30]), dtype="Int64")})
    with pytest.raises(PilotFileError, match=r"age = 28 have no margin value; add 28 "):
        check_margins(frame, {"age": {"30": 1.0}}, "pilot.toml", "agents")


# -- 6. path mistakes -----------------------------------------------------------------

def _path_error(tmp_path, value: str) -> str:
    """The French message of a pilot file whose agents' path is ``value`` (TOML text)."""
    path = _pilot(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('path = "agents.csv"',
                                                             f"path = {value}"),
                    encoding="utf-8")
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(path)
    return _french(caught)


def test_path_is_a_folder(tmp_path):
    """path = "." says it is a folder, not that it does not exist."""
    assert "est un dossier, pas un fichier" in _path_error(tmp_path, '"."')


def test_path_not_a_string(tmp_path):
    """path = 3 says the value must be a file name in quotes, not that the key is missing."""
    assert ("[sources.agents] path = 3 doit être un nom de fichier entre guillemets"
            in _path_error(tmp_path, "3"))


def test_pilot_path_is_a_folder(tmp_path):
    """A folder given as the pilot file says it is a folder, not that it is missing."""
    with pytest.raises(PilotFileError) as caught:
        surveys.read_pilot(tmp_path)
    assert _french(caught) == f"{tmp_path} : c'est un dossier, pas un fichier."


def test_population_beyond_float_refused(tmp_path):
    """An integer population too large for a float is refused, not a traceback."""
    with pytest.raises(PilotFileError, match=r"\[sources\.agents\] population = 1000"):
        surveys.read_pilot(_pilot(tmp_path, source="population = 1" + "0" * 400))
