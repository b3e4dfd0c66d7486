"""User mistakes in a user's own codebook and baseline files, in French and English
(session 12): each message raised through the public function, its French text (as the
``bilan`` command prints it) and its English text unchanged; plus the count-aware plural
of the raking error and the wording of ``nothing_left`` for one or several columns."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import surveys
from analysis.baselines import baselines, load_baselines, parse_condition
from analysis.weighting import rake
from surveys.codebook import codebook, load_codebook
from surveys.errors import CodebookError, SurveyError
from surveys.notes import Note


def _raised(call, *args, error=SurveyError, **kwargs) -> Note:
    """The Note a call raises (failing the test when the error is not a Note)."""
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    [note] = info.value.args
    assert isinstance(note, Note), repr(note)
    return note


def _check(note: Note, english: str, french: str) -> None:
    """The note's English text (also ``str(error)``) and French text, exactly."""
    assert str(note) == english
    assert note.in_language("en") == english
    assert note.in_language("fr") == french


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- codebooks ------------------------------------------------------------------------

BOOK = """\
kind: agent
variables:
  respondent_id: {type: id, label: Identifiant}
  mood: MOOD
"""


def _book(tmp_path, mood: str, head: str = BOOK):
    return _write(tmp_path, "mine.yaml", head.replace("MOOD", mood))


def test_codebook_not_found(tmp_path):
    """A codebook file that does not exist."""
    path = tmp_path / "absent.yaml"
    note = _raised(load_codebook, path, error=CodebookError)
    _check(note, f"{path}: codebook file not found.",
           f"{path} : fichier de dictionnaire des codes introuvable.")


def test_codebook_not_yaml(tmp_path):
    """A codebook that is not YAML names the file in both languages."""
    note = _raised(load_codebook, _write(tmp_path, "mine.yaml", "kind: [agent\n"),
                   error=CodebookError)
    assert str(note).startswith("mine.yaml: not valid YAML (")
    assert note.in_language("fr").startswith("mine.yaml : YAML invalide (")


def test_codebook_not_a_mapping(tmp_path):
    """A codebook whose top level is a list."""
    note = _raised(load_codebook, _write(tmp_path, "mine.yaml", "- a\n- b\n"),
                   error=CodebookError)
    _check(note, "mine.yaml: a codebook must be a YAML mapping.",
           "mine.yaml : un dictionnaire des codes doit être une table YAML (clé: valeur).")


def test_codebook_without_kind(tmp_path):
    """A codebook without its kind (and none given)."""
    note = _raised(load_codebook, _write(tmp_path, "mine.yaml", "variables: {}\n"),
                   error=CodebookError)
    _check(note, "mine.yaml: no 'kind' key; add e.g. kind: agent.",
           "mine.yaml : pas de clé 'kind' ; ajoutez par exemple kind: agent.")


def test_codebook_without_variables(tmp_path):
    """A codebook with an empty variables mapping."""
    note = _raised(load_codebook, _write(tmp_path, "mine.yaml", "kind: agent\nvariables: {}\n"),
                   error=CodebookError)
    _check(note, "mine.yaml: 'variables' must be a mapping of variable names.",
           "mine.yaml : 'variables' doit être une table dont les clés sont les noms des "
           "variables.")


def test_codebook_variable_not_mapping(tmp_path):
    """A variable written as plain text instead of a mapping."""
    note = _raised(load_codebook, _book(tmp_path, "categorical"), error=CodebookError)
    _check(note, "mine.yaml: variables.mood: must be a mapping with at least 'type' and "
                 "'label'.",
           "mine.yaml : variables.mood : doit être une table avec au moins 'type' et 'label'.")


def test_codebook_unknown_key_suggests(tmp_path):
    """A misspelt variable key, with its suggestion in each language."""
    note = _raised(load_codebook, _book(tmp_path, "{type: text, label: M, alias: [x]}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood: unknown key 'alias' (did you mean 'aliases'?).",
           "mine.yaml : variables.mood : clé inconnue 'alias' (vouliez-vous dire "
           "'aliases' ?).")


def test_codebook_bad_type(tmp_path):
    """An unknown variable type lists the types."""
    note = _raised(load_codebook, _book(tmp_path, "{type: mod, label: M}"),
                   error=CodebookError)
    assert str(note).startswith("mine.yaml: variables.mood.type: 'mod' is not one of "
                                "categorical, ordinal,")
    assert note.in_language("fr").startswith("mine.yaml : variables.mood.type : 'mod' "
                                             "n'est pas l'un des types categorical,")


def test_codebook_unknown_scale(tmp_path):
    """A Likert item on a scale that is not defined."""
    note = _raised(load_codebook, _book(tmp_path, "{type: likert, label: M, scale: joy}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.scale: unknown scale 'joy'.",
           "mine.yaml : variables.mood.scale : échelle 'joy' inconnue.")


def test_codebook_codes_not_mapping(tmp_path):
    """Codes written as a list instead of a mapping."""
    note = _raised(load_codebook, _book(tmp_path, "{type: categorical, label: M, codes: [a]}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.codes: must be a mapping code -> "
                 "{fr, en, aliases}.",
           "mine.yaml : variables.mood.codes : doit être une table code -> {fr, en, aliases}.")


def test_codebook_ordinal_without_codes(tmp_path):
    """An ordinal variable without codes."""
    note = _raised(load_codebook, _book(tmp_path, "{type: ordinal, label: M}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.codes: a ordinal variable needs its codes.",
           "mine.yaml : variables.mood.codes : une variable de type ordinal a besoin de "
           "ses codes.")


def test_codebook_label_in_one_language(tmp_path):
    """A label mapping without its English version."""
    note = _raised(load_codebook, _book(tmp_path, "{type: text, label: {fr: Humeur}}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.label: needs French and English labels "
                 "({fr: ..., en: ...}).",
           "mine.yaml : variables.mood.label : il faut un libellé en français et en anglais "
           "({fr: ..., en: ...}).")


def test_codebook_bad_range(tmp_path):
    """A range that is not two ordered numbers."""
    note = _raised(load_codebook, _book(tmp_path, "{type: integer, label: M, range: [5, 1]}"),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.range: must be [low, high] numbers, got [5, 1].",
           "mine.yaml : variables.mood.range : doit être [bas, haut], deux nombres ; "
           "reçu [5, 1].")


BANDS = ("{type: duration_band, label: M, codes: {short: S, long: L}, "
         "bands: {short: [0, 3], long: BAND}}")


def test_codebook_bands_not_matching_codes(tmp_path):
    """Bands that do not follow the codes."""
    note = _raised(load_codebook, _book(tmp_path, BANDS.replace(", long: BAND", "")),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.bands: give (lower, upper] months for each code, "
                 "in order.",
           "mine.yaml : variables.mood.bands : donnez les bornes (basse, haute] en mois de "
           "chaque code, dans l'ordre.")


def test_codebook_band_bounds(tmp_path):
    """A band whose lower bound is above its upper bound."""
    note = _raised(load_codebook, _book(tmp_path, BANDS.replace("BAND", "[9, 3]")),
                   error=CodebookError)
    _check(note, "mine.yaml: variables.mood.bands.long: needs 0 <= lower < upper, got [9, 3].",
           "mine.yaml : variables.mood.bands.long : il faut 0 <= borne basse < borne haute ; "
           "reçu [9, 3].")


def test_codebook_band_not_numbers(tmp_path):
    """A band that is not two numbers is the same user mistake (no bare ValueError)."""
    note = _raised(load_codebook, _book(tmp_path, BANDS.replace("BAND", "[a, b]")),
                   error=CodebookError)
    assert note.key == "codebook_band_bounds" and "['a', 'b']" in str(note)


def test_codebook_key_not_a_variable(tmp_path):
    """A key naming no variable."""
    text = BOOK.replace("  mood: MOOD\n", "") + "key: rid\n"
    note = _raised(load_codebook, _write(tmp_path, "mine.yaml", text), error=CodebookError)
    _check(note, "mine.yaml: key names 'rid', which is not a variable.",
           "mine.yaml : key nomme 'rid', qui n'est pas une variable.")


def test_codebook_error_survives_pickling(tmp_path):
    """A codebook error keeps its French text through pickling (a forked lane)."""
    note = _raised(load_codebook, _book(tmp_path, "{type: mod, label: M}"),
                   error=CodebookError)
    again = pickle.loads(pickle.dumps(CodebookError(note))).args[0]
    assert again.in_language("fr") == note.in_language("fr")


# -- baselines ------------------------------------------------------------------------

def test_baselines_unknown_source():
    """An unknown source id, with the suggestion in French."""
    note = _raised(baselines, "bva-2051")
    assert str(note).startswith("No baseline source 'bva-2051' (did you mean 'bva-2015'?); "
                                "the sources are: ")
    assert note.in_language("fr").startswith(
        "Aucune source de référence 'bva-2051' (vouliez-vous dire 'bva-2015' ?) ; les sources "
        "sont : ")


def test_baselines_no_file_given():
    """An empty list of baseline files."""
    _check(_raised(load_baselines, []),
           "No baseline file given: pass a path to a .yaml or .csv file.",
           "Aucun fichier de références donné : indiquez le chemin d'un fichier .yaml ou .csv.")


def test_baselines_missing_file(tmp_path):
    """A baseline file that does not exist."""
    path = tmp_path / "nowhere.yaml"
    _check(_raised(load_baselines, path), f"Baseline file '{path}' does not exist.",
           f"Le fichier de références '{path}' n'existe pas.")


def test_baselines_wrong_suffix(tmp_path):
    """A baseline file that is neither YAML nor CSV."""
    note = _raised(load_baselines, _write(tmp_path, "mine.txt", "x"))
    _check(note, "mine.txt: baseline files must be .yaml, .yml or .csv, got '.txt'.",
           "mine.txt : un fichier de références doit être en .yaml, .yml ou .csv, et non "
           "'.txt'.")


def test_baselines_not_yaml(tmp_path):
    """A YAML baseline file that does not parse."""
    note = _raised(load_baselines, _write(tmp_path, "mine.yaml", "sources: [a\n"))
    assert str(note).startswith("mine.yaml: not valid YAML (")
    assert note.in_language("fr").startswith("mine.yaml : YAML invalide (")


def test_baselines_without_sources(tmp_path):
    """A YAML file without the sources list."""
    _check(_raised(load_baselines, _write(tmp_path, "mine.yaml", "indicators: []\n")),
           "mine.yaml: expected a top-level key 'sources' holding a list.",
           "mine.yaml : il faut une clé 'sources' au premier niveau, contenant une liste.")


def test_baselines_source_without_id(tmp_path):
    """A source without its id is named by its position."""
    _check(_raised(load_baselines, _write(tmp_path, "mine.yaml", "sources:\n  - year: 2019\n")),
           "mine.yaml, source 1: missing key 'source_id'.",
           "mine.yaml, source de référence n° 1 : clé 'source_id' manquante.")


def test_baselines_source_without_indicators(tmp_path):
    """A source with no indicators."""
    text = "sources:\n  - source_id: my-2019\n    indicators: []\n"
    _check(_raised(load_baselines, _write(tmp_path, "mine.yaml", text)),
           "mine.yaml, source 'my-2019': key 'indicators' must be a non-empty list.",
           "mine.yaml, source de référence 'my-2019' : la clé 'indicators' doit être une "
           "liste non vide.")


def test_baselines_indicator_not_mapping(tmp_path):
    """An indicator written as plain text."""
    text = "sources:\n  - source_id: my-2019\n    indicators: [woman]\n"
    _check(_raised(load_baselines, _write(tmp_path, "mine.yaml", text)),
           "mine.yaml, source 'my-2019', indicator 1: expected a mapping of keys to values.",
           "mine.yaml, source de référence 'my-2019', indicateur 1 : il faut une table de "
           "clés et de valeurs (clé: valeur).")


def test_baselines_yaml_unknown_key(tmp_path):
    """A misspelt indicator key: the place, the key and the suggestion in French."""
    text = ("sources:\n  - source_id: my-2019\n    indicators:\n"
            "      - {indicator: woman, value: 0.4, varible: gender}\n")
    note = _raised(load_baselines, _write(tmp_path, "mine.yaml", text))
    assert str(note).startswith("mine.yaml, source 'my-2019', indicator 'woman': unknown key "
                                "'varible' (did you mean 'variable'?); allowed: ")
    assert note.in_language("fr").startswith(
        "mine.yaml, source de référence 'my-2019', indicateur 'woman' : clé inconnue 'varible' "
        "(vouliez-vous dire 'variable' ?) ; possibles : ")


def _csv(tmp_path, header: str, row: str):
    return _write(tmp_path, "mine.csv", f"{header}\n{row}\n")


def test_baselines_csv_unknown_column(tmp_path):
    """An unknown CSV column is called a column (colonne) in both languages."""
    note = _raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,valeur",
                                        "my,woman,0.4,1"))
    assert str(note).startswith("mine.csv: unknown column 'valeur' (did you mean 'value'?)")
    assert note.in_language("fr").startswith(
        "mine.csv : colonne inconnue 'valeur' (vouliez-vous dire 'value' ?) ; possibles : ")


def test_baselines_csv_required_column(tmp_path):
    """A CSV file without its value column."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator", "my,woman")),
           "mine.csv: required column 'value' is missing.",
           "mine.csv : la colonne obligatoire 'value' manque.")


def test_baselines_csv_not_readable(tmp_path):
    """A CSV file in another encoding than UTF-8."""
    path = tmp_path / "mine.csv"
    path.write_bytes("source_id,indicator,value\nmy,évolution,0.4\n".encode("cp1252"))
    note = _raised(load_baselines, path)
    assert str(note).startswith("mine.csv: not a readable CSV file (")
    assert note.in_language("fr").startswith("mine.csv : ce n'est pas un fichier CSV lisible (")


def test_baselines_csv_missing_indicator(tmp_path):
    """A row without its indicator id: the row is "ligne" in French."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value", "my,,0.4")),
           "mine.csv, row 1: missing key 'indicator'.",
           "mine.csv, ligne 1 : clé 'indicator' manquante.")


def test_baselines_csv_missing_value(tmp_path):
    """A row without its value."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value", "my,woman,")),
           "mine.csv, row 1: missing key 'value'.",
           "mine.csv, ligne 1 : clé 'value' manquante.")


def test_baselines_value_not_a_number(tmp_path):
    """A value that is not a number."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value", "my,woman,lots")),
           "mine.csv, row 1, key 'value': 'lots' is not a number.",
           "mine.csv, ligne 1, clé 'value' : 'lots' n'est pas un nombre.")


def test_baselines_share_outside(tmp_path):
    """A share written as a percentage."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value", "my,woman,40")),
           "mine.csv, row 1, key 'value': 40 is a share outside [0, 1]; write shares as "
           "fractions (0.69, not 69) or give a 'unit' such as count or eur.",
           "mine.csv, ligne 1, clé 'value' : 40 est une part hors de [0, 1] ; écrivez les "
           "parts en fractions (0.69, et non 69) ou donnez une unité ('unit') comme count ou "
           "eur.")


def test_baselines_testable_not_a_flag(tmp_path):
    """A testable cell that is neither true nor false."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,testable",
                                        "my,woman,0.4,maybe")),
           "mine.csv, row 1, key 'testable': 'maybe' is not true or false.",
           "mine.csv, ligne 1, clé 'testable' : 'maybe' n'est ni true ni false.")


def test_baselines_bad_kind(tmp_path):
    """An unknown survey kind, with its suggestion."""
    note = _raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,kind,variable",
                                        "my,woman,0.4,agnet,gender"))
    _check(note, "mine.csv, row 1, key 'kind': 'agnet' is not a survey kind (did you mean "
                 "'agent'?); use one of agent, company, thirdplace, attendance, places.",
           "mine.csv, ligne 1, clé 'kind' : 'agnet' n'est pas un type d'enquête "
           "(vouliez-vous dire 'agent' ?) ; utilisez l'un de agent, company, thirdplace, "
           "attendance, places.")


def test_baselines_kind_without_variable(tmp_path):
    """A kind given without a variable."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,kind",
                                        "my,woman,0.4,agent")),
           "mine.csv, row 1: give both 'kind' and 'variable', or neither.",
           "mine.csv, ligne 1 : donnez à la fois 'kind' et 'variable', ou aucun des deux.")


def test_baselines_condition_without_kind(tmp_path):
    """A condition without the kind and variable it applies to."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,condition",
                                        "my,woman,0.4,{equals: F}")),
           "mine.csv, row 1: 'condition' needs 'kind' and 'variable'.",
           "mine.csv, ligne 1 : 'condition' demande 'kind' et 'variable'.")


def test_baselines_share_without_condition(tmp_path):
    """A share a survey answers needs its condition: the nested message in French too."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,kind,variable",
                                        "my,woman,0.4,agent,gender")),
           "mine.csv, row 1: a share needs a 'condition' saying which answers count",
           "mine.csv, ligne 1 : une part demande une condition ('condition') disant quelles "
           "réponses comptent")


def test_baselines_condition_cell_not_yaml(tmp_path):
    """A condition cell that does not parse names its row and column."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,kind,variable,"
                                                  "condition",
                                        "my,woman,0.4,agent,gender,\"{equals: [F}\"")),
           "mine.csv, row 1, column 'condition': '{equals: [F}' is not valid YAML; write e.g. "
           "{equals: M}.",
           "mine.csv, ligne 1, colonne 'condition' : '{equals: [F}' n'est pas du YAML valide ; "
           "écrivez par exemple {equals: M}.")


def test_baselines_subset_not_mapping(tmp_path):
    """A subset that is not a mapping of a variable to a condition."""
    _check(_raised(load_baselines, _csv(tmp_path, "source_id,indicator,value,kind,variable,"
                                                  "condition,subset",
                                        "my,woman,0.4,agent,gender,{equals: F},[public]")),
           "mine.csv, row 1: subset ['public'] must map a variable to a condition, e.g. "
           "{sector: {equals: public}}",
           "mine.csv, ligne 1 : le sous-ensemble (subset) ['public'] doit associer une "
           "variable à une condition, par exemple {sector: {equals: public}}")


def test_baselines_duplicate_indicator(tmp_path):
    """An indicator given twice in a user's file."""
    path = _write(tmp_path, "mine.csv", "source_id,indicator,value\nmy,woman,0.4\nmy,woman,0.5\n")
    _check(_raised(load_baselines, path),
           "the catalogue: indicator 'woman' of source 'my' appears twice; give each "
           "indicator a distinct id.",
           "le catalogue : l'indicateur 'woman' de la source 'my' figure deux fois ; donnez "
           "à chaque indicateur un identifiant distinct.")


def test_baselines_duplicate_of_the_shipped_catalogue(tmp_path):
    """A user indicator that repeats one of the shipped catalogue."""
    path = _write(tmp_path, "mine.csv", "source_id,indicator,value\nbva-2015,man,0.4\n")
    note = _raised(baselines, extra=path)
    assert str(note).startswith("user baselines: indicator 'man' of source 'bva-2015'")
    assert note.in_language("fr").startswith("références ajoutées : l'indicateur 'man' de la "
                                             "source 'bva-2015' figure deux fois")


@pytest.mark.parametrize("condition, english, french", [
    ("{equals: [F}", None, "condition '{equals: [F}' : YAML invalide : "),
    ({"equals": "F", "in": ["a"]},
     "condition {'equals': 'F', 'in': ['a']} must be one operator and its value, e.g. "
     "{equals: M}; operators: equals, greater_than, less_than, in, is, band.",
     "la condition {'equals': 'F', 'in': ['a']} doit être un opérateur et sa valeur, par "
     "exemple {equals: M} ; opérateurs : equals, greater_than, less_than, in, is, band."),
    ("{greater: 3}",
     "condition operator 'greater' is unknown (did you mean 'greater_than'?); use one of "
     "equals, greater_than, less_than, in, is, band.",
     "opérateur de condition 'greater' inconnu (vouliez-vous dire 'greater_than' ?) ; "
     "utilisez l'un de equals, greater_than, less_than, in, is, band."),
    ("{less_than: few}", "condition less_than: 'few' needs a number.",
     "condition less_than : 'few' demande un nombre."),
    ("{in: a}", "condition in: 'a' needs a list, e.g. {in: [a, b]}.",
     "condition in : 'a' demande une liste, par exemple {in: [a, b]}."),
    ("{is: maybe}", "condition is: 'maybe' needs true or false.",
     "condition is : 'maybe' demande true ou false."),
])
def test_condition_mistakes(condition, english, french):
    """Each malformed condition, in English (unchanged) and French."""
    note = _raised(parse_condition, condition)
    if english is None:
        assert str(note).startswith("condition '{equals: [F}' is not valid YAML: ")
        assert note.in_language("fr").startswith(french)
    else:
        _check(note, english, french)


def test_baselines_error_in_french_on_the_command_line(tmp_path, capsys):
    """bilan baselines prints an unknown source in French by default, English with --lang en."""
    from reports.cli import main

    codes = []
    for extra in ([], ["--lang", "en"]):
        try:
            codes.append(main(["baselines", "--source", "bva-2051", *extra]))
        except SystemExit as exit_:
            codes.append(exit_.code)
    err = capsys.readouterr().err
    assert codes == [2, 2]
    assert "bilan : Aucune source de référence 'bva-2051' (vouliez-vous dire 'bva-2015' ?)" in err
    assert "bilan: No baseline source 'bva-2051' (did you mean 'bva-2015'?)" in err


# -- the two French defects -----------------------------------------------------------

def test_raking_plural_for_one_respondent():
    """One respondent without a value: singular in French (and English unchanged)."""
    frame = pd.DataFrame({"gender": pd.Categorical(["F", "M", None, "F"])})
    note = _raised(rake, frame, {"gender": {"F": 0.5, "M": 0.5}})
    assert str(note).startswith("1 respondent with no value for ")
    assert note.in_language("fr").startswith("1 répondant sans valeur pour ")


def test_raking_plural_for_several_respondents():
    """Two respondents without a value: plural in French."""
    frame = pd.DataFrame({"gender": pd.Categorical(["F", None, None, "M"])})
    note = _raised(rake, frame, {"gender": {"F": 0.5, "M": 0.5}})
    assert note.in_language("fr").startswith("2 répondants sans valeur pour ")


def test_nothing_left_names_one_key_column():
    """A survey keyed by one column: "the key column" / "la colonne clé"."""
    frame = pd.DataFrame({"id": ["a", "b"], "Sexe": ["zzz", None]})
    note = _raised(surveys.read, frame, "agent")
    assert str(note).endswith("; check the rows and the key column 'id'.")
    assert note.in_language("fr").endswith(" ; vérifiez les lignes et la colonne clé 'id'.")


def test_nothing_left_names_several_columns_in_the_plural():
    """A check-in log (no key, three required columns): the columns in the plural."""
    frame = pd.DataFrame({"lieu": ["TL1"] * 2, "badge": ["B1", "B2"], "heure": [None, None]})
    note = _raised(surveys.read, frame, "attendance",
                   mapping={"lieu": "place_id", "badge": "user_id", "heure": "timestamp"})
    assert str(note).endswith("; check the rows and the required columns 'lieu', 'badge', "
                              "'heure'.")
    assert note.in_language("fr").endswith(" ; vérifiez les lignes et les colonnes "
                                           "obligatoires 'lieu', 'badge', 'heure'.")
    assert "colonne clé" not in note.in_language("fr")


def test_shipped_codebook_still_reads():
    """The shipped codebooks read as before (the bilingual places do not break them)."""
    assert codebook("agent").variables["gender"].codes["F"]["fr"] == "Femme"
