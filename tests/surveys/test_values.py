"""Matching answers to codes: labels in French/English, booleans, gender, Likert, multiselect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import surveys
from surveys._values import (fold_name, fold_value, match_booleans, match_codes,
                             match_multiselect, prepare)


def _codes(kind, name, values, **kw):
    var = surveys.codebook(kind).variables[name]
    prepared = prepare(values, var, **kw)
    codes, bad = match_codes(prepared, var)
    return list(codes), bad.tolist(), list(prepared.missing)


def test_fold_value_ignores_case_accents_spaces():
    """Folding removes case, accents, repeated and no-break spaces."""
    assert fold_value("  TRÈS\u00a0 Satisfait ") == fold_value("tres satisfait")


def test_fold_name_ignores_punctuation():
    """Header folding keeps letters and digits only."""
    assert fold_name("Jours de télétravail / semaine") == fold_name("JOURS_DE_TELETRAVAIL_SEMAINE")


@pytest.mark.parametrize(("value", "code"), [
    ("Femme", "F"), ("femme", "F"), ("FEMALE", "F"), ("f", "F"), ("Féminin", "F"),
    ("Homme", "M"), ("homme", "M"), ("H", "M"), ("Male", "M"), ("m", "M"),
    ("X", "X"), ("Autre", "X"), ("Non-binaire", "X"),
])
def test_gender_spellings(value, code):
    """Gender from F/M/X, Femme/Homme, Female/Male and H, in any case."""
    assert _codes("agent", "gender", [value])[0] == [code]


@pytest.mark.parametrize(("value", "code"), [
    ("Très satisfait", 5), ("tres SATISFAIT", 5), ("Very satisfied", 5), ("5", 5),
    ("Très insatisfait", 1), ("Very dissatisfied", 1), ("Plutôt satisfait", 4),
    ("Tout à fait d'accord", 5), ("Pas du tout d\u2019accord", 1), ("Strongly agree", 5),
    ("Ni satisfait ni insatisfait", 3), ("5 - Très satisfait", 5), ("2", 2),
])
def test_likert_labels(value, code):
    """Likert answers as codes, French/English labels or agreement wording."""
    assert _codes("agent", "sat_overall", [value])[0] == [code]


@pytest.mark.parametrize(("value", "missing"), [
    ("NSP", "dont_know"), ("Ne sait pas", "dont_know"), ("Don't know", "dont_know"),
    ("je ne sais pas", "dont_know"), ("N/A", "not_applicable"),
    ("Non concerné", "not_applicable"), ("Sans objet", "not_applicable"),
    ("not_applicable", "not_applicable"), ("Prefer not to say", "refused"),
])
def test_nonsubstantive_answers(value, missing):
    """Don't know / not applicable are non-substantive, not codes and not bad."""
    codes, bad, miss = _codes("agent", "sat_overall", [value])
    assert codes == [None] and bad == [False] and miss == [missing]


def test_unknown_value_is_bad():
    """A value matching nothing is flagged bad."""
    assert _codes("agent", "gender", ["dunno"])[1] == [True]


def test_blank_is_not_bad():
    """An empty or blank answer is missing, not a problem."""
    var = surveys.codebook("agent").variables["gender"]
    prepared = prepare(["", "   "], var)
    assert prepared.blank.tolist() == [True, True]
    assert match_codes(prepared, var)[1].tolist() == [False, False]


def test_punctuation_insensitive_fallback():
    """'10 49' matches the code '10-49' when no other code folds the same."""
    assert _codes("company", "size_band", ["10 - 49", "Moins de 10 salariés", "250 +"])[0] == [
        "10-49", "<10", "250+"]


@pytest.mark.parametrize(("value", "expected"), [
    ("Oui", True), ("NON", False), ("Vrai", True), ("faux", False), ("Yes", True), ("no", False),
    ("1", True), ("0", False), ("True", True), ("FALSE", False), ("Y", True), (1.0, True),
    (0, False), (True, True),
])
def test_booleans(value, expected):
    """Booleans from Oui/Non, Vrai/Faux, Yes/No, 1/0, True/False, Y."""
    var = surveys.codebook("agent").variables["manager"]
    values, bad = match_booleans(prepare([value], var))
    assert values.tolist() == [expected] and bad.tolist() == [False]


def test_boolean_unknown_is_bad():
    """'peut-être' is not a yes/no answer."""
    var = surveys.codebook("agent").variables["manager"]
    assert match_booleans(prepare(["peut-être"], var))[1].tolist() == [True]


def test_recode_applied_first():
    """A user recode maps source values to codes before matching."""
    codes, bad, _ = _codes("agent", "gender", ["1", "2", "9"],
                           recode={"1": "F", "2": "M", "9": "dont_know"})
    assert codes == ["F", "M", None] and bad == [False, False, False]


def test_recode_to_missing_code():
    """A recode to a non-substantive code records it as such."""
    _, _, miss = _codes("agent", "sat_overall", ["A9"], recode={"A9": "dont_know"})
    assert miss == ["dont_know"]


def test_value_labels_tried_before_codes():
    """SPSS/Stata value labels are used before the raw code."""
    codes, bad, _ = _codes("agent", "gender", [1.0, 2.0], labels={1.0: "Femme", 2.0: "Homme"})
    assert codes == ["F", "M"] and bad == [False, False]


def test_value_label_nonsubstantive():
    """A value label such as 'Ne sait pas' makes the code non-substantive."""
    _, _, miss = _codes("agent", "sat_overall", [9.0], labels={9.0: "Ne sait pas", 1.0: "Très insatisfait"})
    assert miss == ["dont_know"]


def test_raw_code_when_label_matches_nothing():
    """A value label that matches no code falls back to the raw value."""
    codes, _, _ = _codes("agent", "sat_overall", [4.0], labels={4.0: "quatre"})
    assert codes == [4]


def _selected(values):
    var = surveys.codebook("company").variables["barriers"]
    sel, bad, unknown = match_multiselect(prepare(values, var), var)
    names = [[c for c, on in zip(var.codes, row) if on] for row in sel]
    return names, bad.tolist(), unknown


@pytest.mark.parametrize("cell", ["Coût;Sécurité", "Coût; Sécurité;", "cost, security",
                                  "Coût, Sécurité des données", "Sécurité | Coût"])
def test_multiselect_separators(cell):
    """One-cell multiselect split on ';', ',', ', ' or '|', trailing separator tolerated."""
    names, bad, _ = _selected([cell])
    assert names == [["security", "cost"]] and bad == [False]


def test_multiselect_unknown_option():
    """A part that is no option flags the cell and names the part."""
    names, bad, unknown = _selected(["Coût; Météo"])
    assert names == [[]] and bad == [True] and unknown == ["Météo"]


def test_multiselect_single_option_label():
    """A cell holding one option label selects that option."""
    assert _selected(["Réticence managériale"])[0] == [["management"]]


def test_matching_runs_on_distinct_values():
    """prepare returns one entry per distinct value given."""
    var = surveys.codebook("agent").variables["gender"]
    uniques = pd.unique(pd.Series(["F", "M"] * 1000))
    assert len(prepare(list(uniques), var).text) == 2
    assert np.array_equal(prepare(list(uniques), var).blank, [False, False])


def test_fold_many_matches_fold_value():
    """The Arrow path of fold_many folds exactly like fold_value (codebook spellings and traps)."""
    from surveys._values import fold_many
    spellings = ["  Très\u00a0\u202fSATISFAIT ", "Don\u2019t know", "Ça\tva\n", "ŒUVRE", "Ärger",
                 "Non concernée", "  ", "", "10 \u2013 49", "Ne\u2009sait pas", "naïve café"]
    for kind in ("agent", "company", "thirdplace", "places"):
        for var in surveys.codebook(kind).variables.values():
            spellings += [var.label["fr"], var.label["en"], *var.aliases]
            for code, labels in var.codes.items():
                spellings += [labels["fr"], labels["en"], *var.code_aliases.get(code, ())]
    assert len(spellings) > 64
    assert fold_many(spellings) == [fold_value(s) for s in spellings]


def test_many_categories_stay_arrow_strings():
    """Past 65,536 categories (the ids of a check-in log) the categories are Arrow strings,
    with the same values, and no Python string is made for each."""
    from surveys._columns import categorical

    n_categories = (1 << 16) + 1
    names = pa.array([f"B{i}" for i in range(n_categories)])
    codes = np.tile(np.arange(n_categories), 3)  # fewer categories than half the rows
    column = categorical(codes, names)
    assert isinstance(column.categories.dtype, pd.StringDtype)
    assert column[n_categories + 5] == "B5" and len(column) == 3 * n_categories
    few = categorical(np.array([0, 1, 0, 1]), pa.array(["x", "y"]))
    assert few.categories.dtype == object
