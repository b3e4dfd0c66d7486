"""Pilot files (TOML): loading, reading the sources, and errors naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

import surveys
from surveys.errors import PilotFileError

GOOD = """\
[pilot]
name = "Essai"
lang = "en"
min_cell = 3
salt = "sel"

[sources.agents]
kind = "agent"
path = "data/agents.csv"
population = 40

[sources.agents.mapping]
"N°" = "respondent_id"
"Genre" = "gender"

[sources.agents.recode.gender]
"1" = "F"
"2" = "M"

[sources.users]
kind = "thirdplace"
path = "users.csv"
population = "stratum_population"
strata = "place_id"

[sources.users.mapping]
"Effectif" = "stratum_population"

[sources.checkins]
kind = "attendance"
path = "badges.csv"

[sources.checkins.mapping]
"lieu" = "place_id"
"badge" = "user_id"
"quand" = "timestamp"

[weighting.agents]
gender = { F = 26, M = 14 }

[baselines]
compare = ["bva-2015", "citica-2017"]
files = ["mes_references.csv"]
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    """A pilot folder with three small sources and a user baseline file."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "agents.csv").write_text("N°;Genre\nA1;1\nA2;2\n", encoding="utf-8")
    (tmp_path / "users.csv").write_text("id;Statut;Lieu;Effectif\nU1;Étudiant;P1;12\n"
                                        "A1;Salarié;P2;30\n", encoding="utf-8")
    (tmp_path / "badges.csv").write_text("lieu;badge;quand\nP1;U1;01/03/2016 10:00\n"
                                         "P2;A1;02/03/2016 11:00\n", encoding="utf-8")
    (tmp_path / "mes_references.csv").write_text("indicator,value\nx,0.5\n", encoding="utf-8")
    return tmp_path


def _pilot(folder: Path, text: str) -> Path:
    path = folder / "pilot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pilot_fields(folder):
    """The [pilot] table gives name, lang, min_cell and salt."""
    pilot = surveys.read_pilot(_pilot(folder, GOOD))
    assert (pilot.name, pilot.lang, pilot.min_cell, pilot.salt) == ("Essai", "en", 3, "sel")
    assert isinstance(pilot, surveys.Pilot)


def test_sources_resolved_relative_to_pilot(folder):
    """Source paths are resolved relative to the pilot file."""
    pilot = surveys.read_pilot(_pilot(folder, GOOD))
    assert pilot.sources["agents"].path == (folder / "data" / "agents.csv").resolve()
    assert list(pilot.sources) == ["agents", "users", "checkins"]


def test_source_spec_contents(folder):
    """Mapping, recode, population and strata are carried on each SourceSpec."""
    spec = surveys.read_pilot(_pilot(folder, GOOD)).sources
    assert spec["agents"].mapping == {"N°": "respondent_id", "Genre": "gender"}
    assert spec["agents"].recode == {"gender": {"1": "F", "2": "M"}}
    assert spec["agents"].population == 40.0
    assert (spec["users"].population, spec["users"].strata) == ("stratum_population",
                                                                 "place_id")


def test_weighting_and_baselines(folder):
    """Raking margins and baselines (ids and resolved user files) are loaded."""
    pilot = surveys.read_pilot(_pilot(folder, GOOD))
    assert pilot.weighting == {"agents": {"gender": {"F": 26, "M": 14}}}
    assert pilot.baselines["compare"] == ["bva-2015", "citica-2017"]
    assert pilot.baselines["files"] == [(folder / "mes_references.csv").resolve()]


def test_defaults(folder):
    """lang defaults to fr, min_cell to 5, salt to None."""
    pilot = surveys.read_pilot(_pilot(folder, '[sources.a]\nkind = "agent"\n'
                                              'path = "data/agents.csv"\n'))
    assert (pilot.lang, pilot.min_cell, pilot.salt, pilot.name) == ("fr", 5, None, "pilot")


def test_read_source_with_mapping_recode_population(folder):
    """pilot.read applies mapping, recode, population and name."""
    survey = surveys.read_pilot(_pilot(folder, GOOD)).read("agents")
    assert survey.data["gender"].tolist() == ["F", "M"]
    assert (survey.population, survey.name) == (40.0, "agents")


def test_read_is_cached(folder):
    """Reading a source twice returns the same Survey."""
    pilot = surveys.read_pilot(_pilot(folder, GOOD))
    assert pilot.read("users") is pilot.read("users")


def test_surveys_share_the_salt(folder):
    """Every source is read with the pilot's salt, so ids join across files."""
    found = surveys.read_pilot(_pilot(folder, GOOD)).surveys()
    assert set(found) == {"agents", "users", "checkins"}
    users = set(found["users"].data["respondent_id"])
    assert set(found["checkins"].data["user_id"]) == users
    assert set(found["agents"].data["respondent_id"]) & users


def test_unknown_source_name(folder):
    """Reading an unknown source names the sources and suggests one."""
    with pytest.raises(PilotFileError, match="Did you mean 'users'"):
        surveys.read_pilot(_pilot(folder, GOOD)).read("user")


def test_missing_kind(folder):
    """A source without kind names the file, the table and the kinds."""
    text = GOOD.replace('kind = "agent"\n', "", 1)
    with pytest.raises(PilotFileError, match=r"pilot\.toml: \[sources\.agents\] has no 'kind'; "
                                             r"add kind = \"agent\" \(one of agent, company"):
        surveys.read_pilot(_pilot(folder, text))


def test_unknown_kind(folder):
    """A wrong kind is named with a suggestion."""
    text = GOOD.replace('kind = "agent"', 'kind = "agents"', 1)
    with pytest.raises(PilotFileError, match="kind = 'agents'.*Did you mean 'agent'"):
        surveys.read_pilot(_pilot(folder, text))


def test_unknown_key_suggests(folder):
    """A misspelt key gets a difflib suggestion."""
    text = GOOD.replace("population = 40", "populaton = 40")
    with pytest.raises(PilotFileError, match=r"\[sources\.agents\] unknown key 'populaton'; "
                                             r"did you mean 'population'"):
        surveys.read_pilot(_pilot(folder, text))


def test_unknown_top_level_table(folder):
    """An unknown top-level table is named."""
    with pytest.raises(PilotFileError, match="unknown key 'baseline'; did you mean 'baselines'"):
        surveys.read_pilot(_pilot(folder, GOOD.replace("[baselines]", "[baseline]")))


def test_bad_lang(folder):
    """lang must be fr or en."""
    with pytest.raises(PilotFileError, match=r"\[pilot\] lang = 'de'"):
        surveys.read_pilot(_pilot(folder, GOOD.replace('lang = "en"', 'lang = "de"')))


@pytest.mark.parametrize("value", ["0", "-2", "2.5", '"five"'])
def test_bad_min_cell(folder, value):
    """min_cell must be a whole number of at least 1."""
    with pytest.raises(PilotFileError, match=r"\[pilot\] min_cell"):
        surveys.read_pilot(_pilot(folder, GOOD.replace("min_cell = 3", f"min_cell = {value}")))


def test_missing_source_file_names_both_files(folder):
    """A source file that does not exist names the pilot file and the missing file."""
    text = GOOD.replace('path = "users.csv"', 'path = "absent.csv"')
    with pytest.raises(PilotFileError, match=r"pilot\.toml: \[sources\.users\] path = "
                                             r"'absent\.csv': file .*absent\.csv does not exist"):
        surveys.read_pilot(_pilot(folder, text))


def test_missing_baseline_file(folder):
    """A baseline file that does not exist is named."""
    text = GOOD.replace("mes_references.csv", "nope.csv")
    with pytest.raises(PilotFileError, match=r"\[baselines\] files = 'nope\.csv'"):
        surveys.read_pilot(_pilot(folder, text))


def test_weighting_unknown_source(folder):
    """Margins for a source that does not exist are an error."""
    with pytest.raises(PilotFileError, match=r"\[weighting\.agent\] names no source"):
        surveys.read_pilot(_pilot(folder, GOOD.replace("[weighting.agents]", "[weighting.agent]")))


def test_bad_margins(folder):
    """Margins must map categories to non-negative numbers."""
    text = GOOD.replace("gender = { F = 26, M = 14 }", 'gender = { F = "many" }')
    with pytest.raises(PilotFileError, match=r"\[weighting\.agents\] gender"):
        surveys.read_pilot(_pilot(folder, text))


def test_invalid_toml(folder):
    """Unparseable TOML names the file."""
    with pytest.raises(PilotFileError, match=r"pilot\.toml: not valid TOML"):
        surveys.read_pilot(_pilot(folder, "[pilot\nname = 1"))


def test_missing_pilot_file(tmp_path):
    """A pilot file that does not exist is a PilotFileError."""
    with pytest.raises(PilotFileError, match="pilot file not found"):
        surveys.read_pilot(tmp_path / "nope.toml")


def test_no_sources(folder):
    """A pilot file without sources is an error naming the table."""
    with pytest.raises(PilotFileError, match=r"no \[sources\] table"):
        surveys.read_pilot(_pilot(folder, '[pilot]\nname = "x"\n'))


def test_bad_population(folder):
    """population must be positive (or a column name)."""
    with pytest.raises(PilotFileError, match=r"\[sources\.agents\] population = -4"):
        surveys.read_pilot(_pilot(folder, GOOD.replace("population = 40", "population = -4")))


def test_demo_pilot_reads(tmp_path):
    """The demo pilot's every source reads through the pilot file."""
    from surveys.demo import demo
    pilot = surveys.read_pilot(demo(tmp_path))
    found = pilot.surveys()
    assert set(found) == set(pilot.sources)
    for survey in found.values():
        assert len(survey) + len(survey.excluded) == survey.n_rows


def test_source_with_own_codebook(folder):
    """A source may name its own codebook file, resolved relative to the pilot file."""
    (folder / "mine.yaml").write_text(
        "kind: agent\nkey: [rid]\nrequired: [rid]\nvariables:\n"
        "  rid: {type: id, hash: true, label: {fr: Id, en: Id}, aliases: ['N°']}\n"
        "  genre:\n    type: categorical\n    label: {fr: Genre, en: Gender}\n"
        "    codes:\n      f: {fr: Femme, en: Woman}\n      h: {fr: Homme, en: Man}\n",
        encoding="utf-8")
    text = ('[sources.agents]\nkind = "agent"\npath = "data/agents.csv"\ncodebook = "mine.yaml"\n'
            '[sources.agents.recode.genre]\n"1" = "f"\n"2" = "h"\n')
    survey = surveys.read_pilot(_pilot(folder, text)).read("agents")
    assert survey.data["genre"].tolist() == ["f", "h"]


def test_weights_column_is_refused(folder):
    """weights = '<column>' in a source: a clear error naming the key, not a silent ignore."""
    text = GOOD.replace('strata = "place_id"', 'strata = "place_id"\nweights = "poids"')
    with pytest.raises(surveys.PilotFileError, match=r"weights = 'poids'.*\[weighting\.users\]"):
        surveys.read_pilot(_pilot(folder, text))


def test_per_stratum_population_is_read_and_not_noted_as_unused(folder):
    """A per-stratum population column, mapped, survives reading as a number column and
    adds no 'not used' note; strata add no note either."""
    survey = surveys.read_pilot(_pilot(folder, GOOD)).read("users")
    keys = [getattr(n, "key", "") for n in survey.notes]
    assert survey.data["stratum_population"].tolist() == [12.0, 30.0]
    assert "population_column_unused" not in keys
    assert not [key for key in keys if key.startswith("strata")]


def test_strata_column_absent_names_pilot_source_and_column(folder):
    """strata naming a column the source does not have: error naming all three."""
    pilot = surveys.read_pilot(_pilot(folder, GOOD.replace('"place_id"', '"place"')))
    with pytest.raises(surveys.PilotFileError,
                       match=r"pilot\.toml: \[sources\.users\] strata = 'place': no such "
                             r"column in users\.csv.*Did you mean 'place_id'\?"):
        pilot.read("users")


def test_strata_column_with_a_gap_is_an_error(folder):
    """A respondent without a stratum: error naming the source, column and count."""
    (folder / "users.csv").write_text("id;Statut;Lieu;Effectif\nU1;Étudiant;P1;12\n"
                                      "A1;Salarié;;30\n", encoding="utf-8")
    pilot = surveys.read_pilot(_pilot(folder, GOOD))
    with pytest.raises(surveys.PilotFileError,
                       match=r"\[sources\.users\] strata = 'place_id': 1 respondent of "
                             r"users\.csv without a stratum"):
        pilot.read("users")


def test_population_total_with_strata_is_noted(folder):
    """One population total with strata: noted (FR/EN) that no FPC is applied."""
    text = GOOD.replace('population = "stratum_population"', "population = 120")
    survey = surveys.read_pilot(_pilot(folder, text)).read("users")
    notes = [n for n in survey.notes if getattr(n, "key", "") == "population_total_with_strata"]
    assert notes[0] == ("users.csv: population = 120 is one total but the design is stratified "
                        "by 'place_id': the finite population correction, which needs each "
                        "stratum's size, is not applied.")
    assert "n'est pas appliquée" in notes[0].in_language("fr")


def test_strata_on_a_check_in_log_are_noted_as_unused(folder):
    """strata on a source with no survey estimate (a check-in log): noted, FR and EN."""
    text = GOOD.replace('kind = "attendance"', 'kind = "attendance"\nstrata = "place_id"')
    survey = surveys.read_pilot(_pilot(folder, text)).read("checkins")
    notes = [n for n in survey.notes if getattr(n, "key", "") == "strata_not_survey"]
    assert notes[0] == ("badges.csv: strata = 'place_id' is not used: no survey estimate is "
                        "made on a source of kind 'attendance'.")
    assert "aucune estimation d'enquête" in notes[0].in_language("fr")
