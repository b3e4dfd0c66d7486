"""Personal data never reaches Survey.data: pii columns dropped, free text redacted."""

from __future__ import annotations

import pandas as pd
import pytest

import surveys

PII_VALUES = [
    "claire.martin@orne.fr", "j.dupont@example.com", "Claire", "Martin", "Jean-Luc", "Dupont",
    "192.168.12.7", "10.0.0.254", "tok_9f8e7d6c", "tok_a1b2c3d4", "06 11 22 33 44",
    "+33 2 31 45 67 89", "1 85 05 14 123 456 78",
]


def _messy_file(tmp_path):
    frame = pd.DataFrame({
        "Identifiant": ["R1", "R2"],
        "Prénom": ["Claire", "Jean-Luc"],
        "Nom": ["Martin", "Dupont"],
        "Adresse e-mail": ["claire.martin@orne.fr", "j.dupont@example.com"],
        "Adresse IP": ["192.168.12.7", "10.0.0.254"],
        "token": ["tok_9f8e7d6c", "tok_a1b2c3d4"],
        "Téléphone": ["06 11 22 33 44", "+33 2 31 45 67 89"],
        "Numéro de sécurité sociale": ["1 85 05 14 123 456 78", ""],
        "Sexe": ["Femme", "Homme"],
        "Satisfaction globale": ["Très satisfait", "NSP"],
        "Commentaire": [
            "Claire Martin (claire.martin@orne.fr, 06 11 22 33 44) : très bien",
            "Connexion depuis 10.0.0.254 avec le jeton tok_a1b2c3d4, rappeler Dupont au "
            "+33 2 31 45 67 89",
        ],
    })
    path = tmp_path / "agents.csv"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")
    return path


def _cells(survey):
    frames = [survey.data.astype(object), survey.nonsubstantive.astype(object)]
    return [str(v) for f in frames for v in f.to_numpy().ravel()]


@pytest.fixture
def survey(tmp_path):
    """The messy agent file, read with a salt."""
    return surveys.read(_messy_file(tmp_path), "agent", salt="pii-test")


@pytest.mark.parametrize("value", PII_VALUES)
def test_no_pii_value_in_any_cell(survey, value):
    """No personal value appears, even as a substring, in any cell of data."""
    assert not [c for c in _cells(survey) if value.lower() in c.lower()]


def test_no_pii_in_column_names(survey):
    """No personal value or pii variable is a column name."""
    names = " ".join(survey.data.columns).lower()
    assert not [v for v in PII_VALUES if v.lower() in names]
    assert not {"email", "first_name", "last_name", "phone", "ip_address", "token"} & set(
        survey.data.columns)


def test_pii_columns_named_in_note(survey):
    """The dropped personal-data columns are named in a note."""
    note = next(n for n in survey.notes if "personal data not kept" in n)
    for column in ("Prénom", "Nom", "Adresse e-mail", "Adresse IP", "token", "Téléphone"):
        assert repr(column) in note


def test_comment_kept_but_redacted(survey):
    """The comment survives with placeholders instead of personal data."""
    assert survey.data["comment"].tolist() == [
        "[nom] [nom] ([e-mail], [téléphone]) : très bien",
        "Connexion depuis [IP] avec le jeton [identifiant], rappeler [nom] au [téléphone]",
    ]


def test_answers_still_typed(survey):
    """Redaction does not disturb the answers themselves."""
    assert survey.data["gender"].tolist() == ["F", "M"]
    assert survey.nonsubstantive["sat_overall"].tolist()[1] == "dont_know"


def test_raw_ids_replaced(survey):
    """Respondent ids are pseudonymised, not the source ids."""
    assert not {"R1", "R2"} & set(survey.data["respondent_id"])


def test_email_in_wrong_column_not_in_problems():
    """An e-mail typed into a coded column is redacted in the problems too."""
    frame = pd.DataFrame({"id": ["1"], "Sexe": ["moi@exemple.fr"], "Age": ["30"]})
    problems = surveys.read(frame, "agent").problems
    assert problems["value"].tolist() == ["[e-mail]"]
    assert "moi@exemple.fr" not in " ".join(problems["reason"])
