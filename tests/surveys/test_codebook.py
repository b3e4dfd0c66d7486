"""Codebooks: shipped content, API and errors on malformed YAML."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import surveys
from surveys._values import fold_name
from surveys.codebook import KINDS, TYPES, Codebook, load_codebook
from surveys.errors import CodebookError, SurveyError

MINIMUM = {
    "agent": ["respondent_id", "gender", "age", "manager", "sector", "department", "service",
              "commute_km", "commute_minutes", "telework_days", "telework_place",
              "telework_start", "telework_end", "wave", "recommend", "comment", "email"],
    "company": ["company_id", "company_name", "department", "sector", "size_band", "joined",
                "left", "eligible_employees", "teleworkers", "telework_days", "barriers",
                "recommend", "continue_after"],
    "thirdplace": ["respondent_id", "place_id", "status", "field", "gender", "age",
                   "travel_minutes", "attendance_band", "first_visit", "still_attending",
                   "visits_per_month", "boosts_local_economy", "recommend", "comment", "email"],
    "attendance": ["place_id", "user_id", "timestamp"],
    "places": ["place_id", "name", "type", "governance", "zone", "capacity", "opened",
               "department"],
}
CODES = {
    ("agent", "gender"): ["F", "M", "X"],
    ("agent", "sector"): ["public", "private"],
    ("agent", "wave"): ["pre", "post"],
    ("agent", "telework_place"): ["home", "third_place", "other"],
    ("company", "size_band"): ["<10", "10-49", "50-249", "250+"],
    ("thirdplace", "status"): ["freelancer", "entrepreneur", "employee", "public_agent",
                               "student", "jobseeker", "other"],
    ("thirdplace", "attendance_band"): ["<3m", "3-6m", "6-12m", "1-2y", ">2y"],
    ("places", "type"): ["coworking", "fablab", "hybrid", "telecentre", "other"],
    ("places", "governance"): ["association", "private_company", "local_authority",
                               "private_group", "public_private"],
    ("places", "zone"): ["urban", "periurban", "rural"],
}
TYPES_EXPECTED = {
    ("agent", "age"): "integer", ("agent", "manager"): "boolean", ("agent", "recommend"): "integer",
    ("agent", "telework_days"): "integer", ("agent", "commute_km"): "number",
    ("agent", "telework_start"): "date", ("agent", "comment"): "text",
    ("agent", "respondent_id"): "id", ("company", "barriers"): "multiselect",
    ("company", "size_band"): "ordinal", ("company", "continue_after"): "boolean",
    ("thirdplace", "attendance_band"): "duration_band", ("thirdplace", "first_visit"): "month",
    ("places", "capacity"): "number", ("places", "opened"): "date",
}


@pytest.mark.parametrize("kind", KINDS)
def test_minimum_variables_present(kind):
    """Every kind has at least the canonical variables of DESIGN.md."""
    book = surveys.codebook(kind)
    assert set(MINIMUM[kind]) <= set(book.variables)


@pytest.mark.parametrize(("kind", "name"), sorted(CODES))
def test_codes_in_contract_order(kind, name):
    """Coded variables carry the contract's codes, in order."""
    assert list(surveys.codebook(kind).variables[name].codes) == CODES[(kind, name)]


@pytest.mark.parametrize(("kind", "name"), sorted(TYPES_EXPECTED))
def test_variable_types(kind, name):
    """Variables have the type the data conventions rely on."""
    assert surveys.codebook(kind).variables[name].type == TYPES_EXPECTED[(kind, name)]


@pytest.mark.parametrize("kind", KINDS)
def test_every_label_is_bilingual(kind):
    """Every variable, code and missing code has non-empty French and English labels."""
    for var in surveys.codebook(kind).variables.values():
        assert var.type in TYPES
        labelled = [var.label, *var.codes.values(), *var.missing.values()]
        assert all(lab["fr"].strip() and lab["en"].strip() for lab in labelled), var.name


@pytest.mark.parametrize("kind", KINDS)
def test_aliases_are_unambiguous(kind):
    """No folded header alias is claimed by two variables of one codebook."""
    owner: dict[str, str] = {}
    for name, var in surveys.codebook(kind).variables.items():
        for alias in (name, *var.aliases):
            key = fold_name(alias)
            assert owner.setdefault(key, name) == name, (alias, owner[key], name)


@pytest.mark.parametrize("kind", ["agent", "thirdplace", "company", "attendance"])
def test_person_level_kinds_know_identifying_columns(kind):
    """Identifying variables are declared pii so mapped columns are recognised and dropped."""
    book = surveys.codebook(kind)
    for name in ("email", "first_name", "last_name", "phone", "ip_address", "token"):
        assert book.variables[name].pii, name


def test_company_name_is_pii():
    """A company's name identifies its contact: pii."""
    assert surveys.codebook("company").variables["company_name"].pii


def test_hashed_identifiers():
    """respondent_id, user_id and company_id are hashed; place_id is not."""
    assert surveys.codebook("agent").variables["respondent_id"].hash
    assert surveys.codebook("attendance").variables["user_id"].hash
    assert surveys.codebook("company").variables["company_id"].hash
    assert not surveys.codebook("attendance").variables["place_id"].hash


def test_keys():
    """The agent key is respondent_id + wave; places are keyed on place_id."""
    assert surveys.codebook("agent").key == ["respondent_id", "wave"]
    assert surveys.codebook("places").key == ["place_id"]
    assert surveys.codebook("attendance").required == ["place_id", "user_id", "timestamp"]


def test_likert_items_share_one_scale():
    """Every sat_* item has codes 1..5 with the same labels, and likert_items lists them."""
    for kind in ("agent", "company", "thirdplace"):
        book = surveys.codebook(kind)
        items = book.likert_items()
        assert len(items) >= 3 and all(i.startswith("sat_") for i in items)
        for item in items:
            var = book.variables[item]
            assert list(var.codes) == [1, 2, 3, 4, 5]
            assert var.codes[1] == {"fr": "Très insatisfait", "en": "Very dissatisfied"}
            assert var.codes[5] == {"fr": "Très satisfait", "en": "Very satisfied"}
            assert var.ordered


def test_likert_missing_codes():
    """Likert items accept dont_know and not_applicable, labelled in both languages."""
    var = surveys.codebook("agent").variables["sat_overall"]
    assert var.missing["dont_know"] == {"fr": "Ne sait pas", "en": "Don't know"}
    assert "not_applicable" in var.missing
    assert "NSP" in var.code_aliases["dont_know"]
    assert "Sans objet" in var.code_aliases["not_applicable"]


def test_duration_bands():
    """attendance_band bounds are the contract's (lower, upper] months."""
    bands = surveys.codebook("thirdplace").variables["attendance_band"].bands
    assert bands == {"<3m": (0, 3), "3-6m": (3, 6), "6-12m": (6, 12), "1-2y": (12, 24),
                     ">2y": (24, math.inf)}


def test_ranges():
    """Numeric variables carry their valid range."""
    book = surveys.codebook("agent")
    assert book.variables["telework_days"].range == (0, 5)
    assert book.variables["recommend"].range == (0, 10)


def test_codebook_is_cached():
    """codebook(kind) returns the same object each time."""
    assert surveys.codebook("agent") is surveys.codebook("agent")


def test_unknown_kind_lists_kinds():
    """An unknown kind raises SurveyError naming the kinds and a suggestion."""
    with pytest.raises(SurveyError, match="agent, company, thirdplace, attendance, places") as info:
        surveys.codebook("agnet")
    assert "Did you mean 'agent'" in str(info.value)


def test_resolve_extra_sat_item():
    """Any sat_* name resolves to a Likert variable on the standard scale."""
    var = surveys.codebook("agent").resolve("sat_parking")
    assert var.type == "likert" and list(var.codes) == [1, 2, 3, 4, 5]
    assert surveys.codebook("agent").resolve("nothing") is None


def _write(tmp_path, text, name="mine.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_type_names_file_and_key(tmp_path):
    """A wrong type raises CodebookError naming the file and the variable key."""
    path = _write(tmp_path, "kind: agent\nvariables:\n  respondent_id:\n    type: id\n"
                            "    label: {fr: Id, en: Id}\n  mood:\n    type: categorial\n"
                            "    label: {fr: Humeur, en: Mood}\n")
    with pytest.raises(CodebookError, match=r"mine\.yaml: variables\.mood\.type"):
        load_codebook(path)


def test_missing_label_names_file_and_key(tmp_path):
    """A variable without French/English labels raises CodebookError naming it."""
    path = _write(tmp_path, "kind: agent\nvariables:\n  mood:\n    type: text\n    label: {fr: x}\n")
    with pytest.raises(CodebookError, match=r"mine\.yaml: variables\.mood\.label"):
        load_codebook(path)


def test_unknown_variable_key_suggests(tmp_path):
    """A misspelt key inside a variable gets a suggestion."""
    path = _write(tmp_path, "kind: agent\nvariables:\n  mood:\n    type: text\n"
                            "    label: {fr: x, en: x}\n    alias: [Humeur]\n")
    with pytest.raises(CodebookError, match="did you mean 'aliases'"):
        load_codebook(path)


def test_invalid_yaml_names_file(tmp_path):
    """Unparseable YAML raises CodebookError naming the file."""
    path = _write(tmp_path, "kind: agent\nvariables: [unclosed\n")
    with pytest.raises(CodebookError, match=r"mine\.yaml: not valid YAML"):
        load_codebook(path)


def test_key_naming_unknown_variable(tmp_path):
    """A key naming no variable raises CodebookError."""
    path = _write(tmp_path, "kind: agent\nkey: [rid]\nvariables:\n  mood:\n    type: text\n"
                            "    label: {fr: x, en: x}\n")
    with pytest.raises(CodebookError, match="key names 'rid'"):
        load_codebook(path)


def test_user_codebook_used_by_read(tmp_path):
    """read(..., codebook=path) types the data with the user's own codebook."""
    path = _write(tmp_path, (
        "kind: agent\nkey: [rid]\nrequired: [rid]\nvariables:\n"
        "  rid: {type: id, hash: true, label: {fr: Id, en: Id}, aliases: [Ident]}\n"
        "  mood:\n    type: ordinal\n    label: {fr: Humeur, en: Mood}\n"
        "    codes:\n      low: {fr: Basse, en: Low}\n      high: {fr: Haute, en: High}\n"))
    frame = pd.DataFrame({"Ident": ["1", "2"], "mood": ["Haute", "low"]})
    survey = surveys.read(frame, "agent", codebook=path)
    assert isinstance(survey.codebook, Codebook)
    assert survey.data["mood"].tolist() == ["high", "low"]
    assert survey.data["mood"].cat.ordered
