"""Readers review 12 (rob12b): short rows mended and two-digit years read only when the
reading is the only one.

Two rows each cut short are not one row cut by a line break, a padded row whose rest
may lie in records set aside below it is not kept with empty answers, and 15-10-16
written year first is not read as 15 October 2016.
"""

from __future__ import annotations

import pandas as pd

import surveys
from surveys._parse import short_year_dates
from surveys._readers import read_raw

AGENT_MAPPING = {"id": "respondent_id", "age": "age", "comment": "comment",
                 "days": "telework_days", "sex": "gender"}


def write(path, text: str):
    """Write ``text`` (UTF-8) to ``path``; return the path."""
    path.write_bytes(text.encode("utf-8"))
    return path


#: Gender first (no identifier shape), then rows 3 and 4 each cut short after the age.
TWO_SHORT = "sex;id;age;comment;days\nF;1;30;ok;2\nM;2;40;bien;3\nF;3;34\nM;4;40\nF;5;22;c;1\n"


def test_two_short_rows_starting_like_rows_are_not_joined(tmp_path):
    """Two rows cut short, each starting with a value of the first column (F, M), are not
    joined into one row (respondent 4's id read as a comment): both are excluded."""
    raw = read_raw(write(tmp_path / "s.csv", TWO_SHORT))
    assert raw.rows.tolist() == [1, 2, 5] and raw.excluded["row"].tolist() == [3, 4]


def test_two_short_rows_are_called_malformed_not_joined(tmp_path):
    """Their reason says the pieces cannot be joined, not that one was joined."""
    raw = read_raw(write(tmp_path / "s.csv", TWO_SHORT))
    assert all("cannot be joined" in r for r in raw.excluded["reason"])


#: Respondent 2's comment holds two line breaks, the middle piece a bare number.
CUT_THREE = ("id;age;comment;days;sex\n1;30;ok;2;F\n2;40;arrive en\n2016\nmerci;3;M\n"
             "3;22;c;1;F\n4;50;d;2;M\n")


def test_row_whose_rest_is_set_aside_is_not_padded(tmp_path):
    """A row cut by line breaks whose middle piece (``2016``) looks like an identifier is
    not padded with empty answers (its days and sex lie in the pieces set aside)."""
    raw = read_raw(write(tmp_path / "c.csv", CUT_THREE))
    assert raw.rows.tolist() == [1, 5, 6] and raw.excluded["row"].tolist() == [2, 3, 4]


def test_row_whose_rest_is_set_aside_gets_no_padded_note(tmp_path):
    """Read as an agent survey, no note claims a row was kept with empty trailing fields."""
    survey = surveys.read(write(tmp_path / "c.csv", CUT_THREE), "agent",
                          mapping=AGENT_MAPPING, salt="s")
    assert len(survey) == 3 and not [n for n in survey.notes if n.key == "rows_padded"]


# --- two-digit years: year/month/day is not read as day/month/year ---------------------------

#: yy-mm-dd over 2015-2016, 14 different days: 15-10-16 is 16 October 2015.
YEAR_FIRST = [f"{15 + i % 2}-{1 + i % 12:02d}-{1 + i:02d}" for i in range(14)]


def test_year_month_day_column_is_not_read_day_first():
    """A column of 15-10-16 style values whose last part takes 14 values (days, not
    years) is left unread rather than read as 15 October 2016."""
    values, order = short_year_dates(pd.Series(YEAR_FIRST))
    assert order is None and values.isna().all()


def test_year_month_day_values_are_listed_as_problems(tmp_path):
    """Read in a survey, every such value is a problem naming it, none a wrong date."""
    body = "".join(f"{i + 1};{v};30\n" for i, v in enumerate(YEAR_FIRST))
    path = write(tmp_path / "y.csv", "id;debut;age\n" + body)
    survey = surveys.read(path, "agent", mapping={"id": "respondent_id",
                                                  "debut": "telework_start", "age": "age"},
                          salt="s")
    assert survey.data["telework_start"].isna().all()
    assert sorted(survey.problems["value"]) == sorted(YEAR_FIRST)



# --- bilan init: a name written Prénom NOM is no code ----------------------------------------

def test_draft_does_not_quote_a_name_with_an_upper_case_surname(tmp_path):
    """An off-list answer "Jean GIRARD" (a surname written in capitals, the French way)
    is counted in the draft pilot file, never copied there."""
    from surveys.pilot_draft import draft_pilot

    text = ("N° agent;Sexe;Encadrant;Direction;Satisfaction globale\n1;A1;Oui;RH;4\n"
            "2;A2;Jean GIRARD;RH;5\n3;A1;Non;Routes;3\n")
    path = write(tmp_path / "agents.csv", text)
    draft = draft_pilot([path], tmp_path / "pilote.toml", name="Essai", lang="fr").text
    assert "GIRARD" not in draft and "1 valeur hors liste non recopiée ici" in draft


# --- a row of empty fields does not hide the identifiers --------------------------------------

def test_row_of_empty_fields_does_not_stop_padding(tmp_path):
    """A row of empty fields (``;;;``, kept as a blank answer) beside identifiers like
    CD14-100001: a row cut short after its id and age is still padded, not excluded."""
    text = ("id;age;comment;x\nCD14-1;30;ok;a\n;;;\nCD14-2;40\nCD14-3;50;bien;c\n")
    raw = read_raw(write(tmp_path / "e.csv", text))
    assert 3 in raw.rows.tolist() and raw.excluded.empty


# --- two-digit years beside an unread four-digit one -------------------------------------------

def test_two_digit_year_not_guessed_beside_an_unread_us_date(tmp_path):
    """10/16/2015 (month first, not read) beside 05/01/16: the column is not wholly
    d/m/yy, so 05/01/16 is not read as 5 January 2016 (it may be 1 May): a problem."""
    path = write(tmp_path / "u.csv", "id;debut;age\n1;10/16/2015;30\n2;05/01/16;40\n")
    survey = surveys.read(path, "agent", mapping={"id": "respondent_id",
                                                  "debut": "telework_start", "age": "age"},
                          salt="s")
    assert survey.data["telework_start"].isna().all()
    assert survey.problems["value"].tolist() == ["10/16/2015", "05/01/16"]
