"""Weighting margins a user gets wrong are reported in English and in French."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import poststratify, rake
from surveys.errors import SurveyError
from surveys.notes import Note


def _french(call) -> tuple[str, str]:
    with pytest.raises(SurveyError) as caught:
        call()
    message = caught.value.args[0]
    assert isinstance(message, Note)
    return str(caught.value), message.in_language("fr")


@pytest.fixture
def frame():
    return pd.DataFrame({"gender": ["F", "F", "M", "X"], "age": ["<30", "30+", "30+", "<30"]})


def test_unknown_category(frame):
    """A category of the data missing from a margin is named, in each language."""
    en, fr = _french(lambda: rake(frame, {"gender": {"F": 0.6, "M": 0.4}}))
    assert "Respondents with gender = 'X' have no margin value" in en
    assert "Des répondants ont gender = 'X', modalité absente du calage (marge)" in fr


def test_totals_differ(frame):
    """Margins with different population totals are reported in French."""
    _, fr = _french(lambda: rake(frame, {"gender": {"F": 60, "M": 30, "X": 10},
                                         "age": {"<30": 50, "30+": 40}}))
    assert fr.startswith("Les marges n'ont pas le même total de population")


def test_empty_category_in_totals(frame):
    """A post-stratification cell without respondents names the cell, in French."""
    _, fr = _french(lambda: poststratify(frame, ["gender"], {"F": 5, "M": 3, "X": 1, "Y": 2}))
    assert "Aucun répondant dans la modalité 'Y' de ['gender'] (calage, totaux)" in fr


def test_negative_margin(frame):
    """A negative target is refused in French."""
    _, fr = _french(lambda: rake(frame, {"gender": {"F": -1, "M": 1, "X": 1}}))
    assert "les valeurs doivent être des nombres >= 0" in fr
