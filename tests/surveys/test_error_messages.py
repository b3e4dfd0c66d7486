"""User mistakes found while reading are bilingual: English as raised, French on demand."""

from __future__ import annotations

import pandas as pd
import pytest

import surveys
from surveys.errors import SurveyError
from surveys.notes import Note


def _error(call) -> SurveyError:
    with pytest.raises(SurveyError) as caught:
        call()
    return caught.value


def _french(error: SurveyError) -> str:
    message = error.args[0]
    assert isinstance(message, Note), f"not a bilingual message: {message!r}"
    return message.in_language("fr")


def test_missing_file(tmp_path):
    """A missing file is named in both languages."""
    error = _error(lambda: surveys.read(tmp_path / "absent.csv", "agent"))
    assert str(error).endswith("absent.csv: no such file.")
    assert _french(error).endswith("absent.csv : fichier introuvable.")


def test_binary_file_names_its_format_in_french(tmp_path):
    """A picture saved as .csv is named as a picture, in French too."""
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    error = _error(lambda: surveys.read(path, "agent"))
    assert "this is a PNG image, not a text table" in str(error)
    assert "c'est une image PNG, pas un tableau texte" in _french(error)


def test_mapping_typo_suggests_in_each_language():
    """A mapping onto a mistyped variable suggests the close name, in each language."""
    frame = pd.DataFrame({"id": ["1"], "Sexe": ["F"]})
    error = _error(lambda: surveys.read(frame, "agent", mapping={"Sexe": "gendre"}))
    assert "Did you mean 'gender'?" in str(error)
    assert "n'est pas une variable" in _french(error)
    assert "Vouliez-vous dire 'gender' ?" in _french(error)


def test_absent_column_lists_the_columns():
    """A mapping naming an absent column lists the file's columns in French."""
    frame = pd.DataFrame({"id": ["1"], "Sexe": ["F"]})
    error = _error(lambda: surveys.read(frame, "agent", mapping={"Genre": "gender"}))
    assert "Les colonnes sont : 'id', 'Sexe'." in _french(error)


def test_required_column_uses_the_french_label(tmp_path):
    """A required column absent is described by its French label in French."""
    frame = pd.DataFrame({"lieu": ["TL1"], "badge": ["B1"]})
    error = _error(lambda: surveys.read(frame, "attendance"))
    label = surveys.codebook("attendance").variables
    missing = next(name for name in ("place_id", "user_id", "timestamp")
                   if f"'{name}'" in str(error))
    assert f"({label[missing].label['en']})" in str(error)
    assert f"({label[missing].label['fr']})" in _french(error)
    assert "colonne obligatoire" in _french(error)


def test_unknown_kind_in_french():
    """An unknown kind of source is reported in French with a suggestion."""
    error = _error(lambda: surveys.read(pd.DataFrame({"a": [1]}), "agents"))
    assert "Type de source 'agents' inconnu" in _french(error)
    assert "Vouliez-vous dire 'agent' ?" in _french(error)


def test_nothing_left_in_french():
    """A file without data rows says so in French."""
    frame = pd.DataFrame({"id": pd.Series([], dtype=object), "Sexe": pd.Series([], dtype=object)})
    error = _error(lambda: surveys.read(frame, "agent"))
    assert "plus rien à analyser" in _french(error)
    assert "le fichier n'a aucune ligne de données" in _french(error)


def _pilot(tmp_path, text: str):
    path = tmp_path / "pilote.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pilot_unknown_key_in_french(tmp_path):
    """A mistyped key of the pilot file is named, with the close key, in French."""
    path = _pilot(tmp_path, '[pilot]\nname = "x"\nlangue = "fr"\n[sources.a]\nkind = "agent"\n')
    error = _error(lambda: surveys.read_pilot(path))
    assert "unknown key 'langue'" in str(error)
    assert _french(error).startswith("pilote.toml : [pilot] clé inconnue 'langue' ; ")


def test_pilot_missing_data_file_in_french(tmp_path):
    """A source whose file does not exist says so in French, relative path included."""
    path = _pilot(tmp_path, '[sources.agents]\nkind = "agent"\npath = "agents.csv"\n')
    error = _error(lambda: surveys.read_pilot(path))
    assert "does not exist (paths are relative to the pilot file)" in str(error)
    assert "n'existe pas (les chemins sont relatifs au fichier de pilote)" in _french(error)


def test_pilot_bad_kind_in_french(tmp_path):
    """A wrong kind gets the close kind suggested, in French."""
    (tmp_path / "a.csv").write_text("id\n1\n", encoding="utf-8")
    path = _pilot(tmp_path, '[sources.agents]\nkind = "agnet"\npath = "a.csv"\n')
    error = _error(lambda: surveys.read_pilot(path))
    assert "kind = 'agnet' n'est pas l'un de" in _french(error)
    assert "Vouliez-vous dire 'agent' ?" in _french(error)


def test_pilot_invalid_toml_in_french(tmp_path):
    """A file that is not TOML is reported in French."""
    path = _pilot(tmp_path, "[sources\nkind = \n")
    error = _error(lambda: surveys.read_pilot(path))
    assert _french(error).startswith("pilote.toml : TOML invalide (")
