"""Exclusion and problem reasons in French (surveys.reason_text), and the nothing_left
error that lists them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import surveys
from surveys import reason_text
from surveys.errors import SurveyError
from surveys.reason_text import FIXED, reason_in_language, reasons_in_language

ROOT = Path(__file__).resolve().parents[2]

#: Every reason the package writes, one example per way of writing it, with where it
#: is written (found with ``grep -rn "reason\|no_test\|give(" surveys/ analysis/``).
EXAMPLES = [
    # surveys/_text.py (+ surveys/_csv_records.py stray_reason): rows set aside
    "malformed row: 2 fields where the header has 5",
    "malformed row: 7 fields where the header has 5 (unescaped quote inside a quoted field)",
    "malformed row: 4 fields where the header has 22 (a quote opening a cell is never closed "
    "(it would swallow the 76 lines below))",
    "malformed row: 9 fields where the header has 5 (a quote opening a cell is closed only 3 "
    "line(s) below (it would merge the rows in between))",
    "malformed row: 3 fields where the header has 9 (perhaps the end of a row cut by a line "
    "break inside a cell: not padded)",
    "malformed row: 2 fields where the header has 9 (perhaps a piece of a row cut by a line "
    "break inside a cell, but the pieces cannot be joined unambiguously)",
    "piece of row 12 (cut by a line break inside a cell), joined to it",
    # surveys/_text.py: cells blanked
    "a quote opening a cell is never closed (it would swallow the 2 lines below); read as an "
    "ordinary character, the cell cannot be read reliably",
    "a quote opening a cell is closed only 1 line(s) below (it would merge the rows in "
    "between); read as an ordinary character, the cell cannot be read reliably",
    "malformed CSV quoting (an unescaped \" inside a quoted field); the cell cannot be read "
    "reliably",
    # surveys/_tools.py: survey tools' unfinished answers
    "unsubmitted response (empty submitdate)",
    "unfinished response (Finished = 0)",
    "survey preview (Status = Survey Preview)",
    "survey preview",
    # surveys/_validate.py exclude_rows: rows set aside, and the problem's detail
    "empty row", "the row is empty",
    "missing timestamp", "missing place_id", "missing user_id", "missing respondent_id",
    "missing company_id", "missing opened",
    "no usable timestamp; the row cannot be used",
    "total row", "a total or summary row, not a respondent",
    "no usable answer", "no answer could be used",
    "duplicate respondent", "duplicate place", "same respondent_id + wave as row 3",
    # surveys/_validate.py: a cell's value
    "'Inconnu' is not one of the answers of gender (F, M, X)",
    "'abc' is not a number",
    "2.5 is not a whole number",
    "200 is outside 15–90",
    "'32/13/2020' is not a date",
    "'Peut-être' is not a yes/no answer",
    "'Télétravail' is not one of the options of barriers (management, equipment)",
    "'zz' is neither a yes/no answer nor the option's label",
    "holds personal data (an e-mail address, a phone number or an IP address), not kept as "
    "an answer of service",
    # analysis/design_tests.py, analysis/profile.py: no test between groups (``test``)
    "none: fewer than two categories or groups",
    "none: the table is too sparse for a design-based test",
    "none: fewer than two groups",
    "none: no variation within groups",
    "none: fewer than two groups or no variation",
]

#: Words of the English reasons that a French text must not hold.
ENGLISH = re.compile(r"\b(row|rows|field|fields|header|missing|duplicate|quote|empty|answer|"
                     r"number|whole|outside|is not|none|groups|usable|cell|personal|"
                     r"response|preview|total row|same|perhaps|piece|line break|joined)\b")


def _is_french(english: str, french: str) -> bool:
    """A French text: not the English one, and none of its English words."""
    return french != english and not ENGLISH.search(french)


@pytest.mark.parametrize("english", EXAMPLES)
def test_every_reason_has_a_french_form(english):
    """Each reason the package writes reads in French, without an English word left."""
    french = reason_in_language(english, "fr")
    assert _is_french(english, french), french


def test_reason_values_are_kept_and_numbers_written_the_french_way():
    """Values keep their text; numbers get a decimal comma and grouped thousands."""
    assert reason_in_language("2.5 is outside 0–1", "fr") == "2,5 n'est pas entre 0 et 1"
    assert (reason_in_language("'Inconnu' is not one of the answers of gender (F, M, X)", "fr")
            == "'Inconnu' ne fait pas partie des réponses prévues pour gender (F, M, X)")
    assert (reason_in_language("same respondent_id as row 12345", "fr")
            == "même respondent_id que la ligne de données 12\u202f345")


def test_malformed_row_says_why_in_french():
    """A malformed row's bracketed cause is translated too, singular for one field."""
    english = ("malformed row: 1 fields where the header has 22 (a quote opening a cell is "
               "never closed (it would swallow the 76 lines below))")
    assert reason_in_language(english, "fr") == (
        "ligne mal formée : 1 champ au lieu des 22 de l'en-tête (un guillemet ouvrant une "
        "cellule n'est jamais fermé (il engloberait les 76 lignes suivantes))")


def test_unknown_reason_is_returned_unchanged():
    """A reason no rule knows (a user's own) is given back as it is, in any language."""
    assert reason_in_language("my own reason: 3", "fr") == "my own reason: 3"
    assert reason_in_language("my own reason: 3", "en") == "my own reason: 3"


def test_english_keeps_reasons_built_with_values():
    """In English a reason built with values is the data's text; fixed ones read plainly."""
    assert reason_in_language("'abc' is not a number", "en") == "'abc' is not a number"
    assert reason_in_language("total row", "en") == "total or summary row, not a respondent"


def test_literal_reasons_in_the_source_are_known():
    """Every literal reason of the source (a survey tool's exclusion, a missing test)
    has a French form: a new one added without one fails here."""
    found = set()
    for folder in ("surveys", "analysis"):
        for path in (ROOT / folder).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r'no_test\("([^"{]+)"\)', text))
            found |= set(re.findall(r'_exclude\([^()]*?, "([^"{]+)"\)', text))
            for reason, detail in re.findall(r'verdicts\.give\([^,]+, "([^"{]+)", "([^"{]*)"',
                                             text):
                found |= {reason, detail}
    found.discard("")
    assert len(found) >= 10
    assert [r for r in sorted(found) if not _is_french(r, reason_in_language(r, "fr"))] == []


def test_series_variant_matches_the_text_one_and_keeps_missing(monkeypatch):
    """The Series variant gives each value's translation, on the same index, missing
    values kept, and translates each distinct reason once."""
    calls = []
    real = reason_text.reason_in_language
    monkeypatch.setattr(reason_text, "reason_in_language",
                        lambda text, lang: calls.append(text) or real(text, lang))
    values = pd.Series(["empty row", None, "'x' is not a date", "empty row"] * 50,
                       index=range(10, 210), name="reason")
    out = reasons_in_language(values, "fr")
    assert out.index.equals(values.index) and out.name == "reason"
    assert out.iloc[:4].tolist() == ["ligne vide", None, "'x' n'est pas une date", "ligne vide"]
    assert sorted(calls) == ["'x' is not a date", "empty row"]


def _messy_agents(folder: Path) -> Path:
    """An agents CSV with a short row, a stray quote, a total row, a duplicate, an empty
    row and values of every kind that cannot be read."""
    lines = ["id;Sexe;Age;Encadrant;Jours;Lieu;Debut;Direction;Reco",
             "a1;F;40;Oui;2;Domicile;01/02/2016;Routes;8",
             "a2;Inconnu;abc;Peut-être;2,5;Plage;pas de date;jean@x.fr;12",
             "a3;M;200;Non;1;Domicile;01/02/2016;Routes;5",
             "a4;M;30",
             "a1;F;40;Oui;2;Domicile;01/02/2016;Routes;8",
             ";;;;;;;;",
             'a5;"M;30;Non;1;Domicile;01/02/2016;Routes;5',
             "a6;F;50;Oui;1;Domicile;01/02/2016;Routes;5",
             "Total;;;;;;;;"]
    path = folder / "agents.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_AGENT_MAPPING = {"id": "respondent_id", "Sexe": "gender", "Age": "age", "Encadrant": "manager",
                  "Jours": "telework_days", "Lieu": "telework_place", "Debut": "telework_start",
                  "Direction": "service", "Reco": "recommend"}


def test_reasons_of_a_messy_file_all_read_in_french(tmp_path):
    """Every reason reading a messy file gives (rows set aside, cells blanked) reads in
    French: the reasons as the package writes them, not as this test guesses them."""
    survey = surveys.read(_messy_agents(tmp_path), "agent", mapping=_AGENT_MAPPING,
                          recode={"telework_place": {"Domicile": "home"}})
    reasons = set(survey.excluded["reason"]) | set(survey.problems["reason"]) - {""}
    assert len(reasons) >= 8, reasons
    assert [r for r in sorted(reasons) if not _is_french(r, reason_in_language(r, "fr"))] == []


def test_nothing_left_lists_its_reasons_in_french():
    """A check-in log with no usable row: the error's French text gives the reasons in
    French with their counts, its English text is unchanged."""
    frame = pd.DataFrame({"lieu": ["TL1"] * 3, "badge": ["B1", "B2", "B3"],
                          "heure": [None, None, None]})
    with pytest.raises(SurveyError) as error:
        surveys.read(frame, "attendance",
                     mapping={"lieu": "place_id", "badge": "user_id", "heure": "timestamp"})
    note = error.value.args[0]
    assert "(missing timestamp: 3)" in str(note)
    assert "(horodatage manquant : 3)" in note.in_language("fr")


def test_nothing_left_separates_reasons_the_french_way():
    """Several reasons are joined by " ; " in French, each count grouped by thousands."""
    reasons = pd.Series(["missing timestamp"] * 1234 + ["total row"])
    shown = surveys.survey._reason_counts(reasons)
    assert shown["fr"] == ("horodatage manquant : 1\u202f234 ; ligne de total ou de synthèse, "
                           "pas un répondant : 1")
    assert shown["en"] == "missing timestamp: 1234; total row: 1"
