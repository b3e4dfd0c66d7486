"""Unusual date layouts (robustness review 12): day/month/two-digit year (``16/10/15``,
or month first, decided per column) and Excel serial day numbers saved as text
(``42293``), read when the column as a whole says how, each with a note; anything
ambiguous stays a problem as before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl.utils.datetime import from_excel

import surveys
from surveys._parse import SERIAL_RANGE, serial_text_dates, short_year_dates

MAPPING = {"id": "respondent_id", "debut": "telework_start", "fin": "telework_end",
           "age": "age"}


def _read(tmp_path, rows: list[str], header: str = "id;debut;age"):
    """An agent survey read from ``header`` and ``rows`` (semicolon-delimited)."""
    path = tmp_path / "agents.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    columns = header.split(";")
    return surveys.read(path, "agent", mapping={k: v for k, v in MAPPING.items() if k in columns})


def _stamps(survey, column: str = "telework_start") -> list[str]:
    return [str(v) for v in survey.data[column]]


def _date_notes(survey) -> list:
    return [n for n in survey.notes if n.key.startswith("dates_")]


# --- two-digit years ------------------------------------------------------------------------

def test_day_first_two_digit_years_match_strptime():
    """d/m/yy values read as datetime.strptime(..., "%d/%m/%y") reads them."""
    values = ["16/10/15", "1/2/16", "31/12/99", "29/02/68", "05.01.69", "7-3-00"]
    got, order = short_year_dates(pd.Series(values))
    expected = [dt.datetime.strptime(v.replace(".", "/").replace("-", "/"), "%d/%m/%y")
                for v in values]
    assert order == "day_first" and got.tolist() == [pd.Timestamp(e) for e in expected]


def test_month_first_column_is_detected():
    """A value whose second part is above 12 makes the whole column month first."""
    got, order = short_year_dates(pd.Series(["10/16/15", "05/01/16"]))
    assert order == "month_first"
    assert got.tolist() == [pd.Timestamp("2015-10-16"), pd.Timestamp("2016-05-01")]


def test_both_orders_possible_reads_day_first():
    """When every value reads both ways, day first is assumed (French exports)."""
    got, order = short_year_dates(pd.Series(["05/01/16", "01/10/15"]))
    assert order == "day_first_assumed" and got.tolist()[0] == pd.Timestamp("2016-01-05")


def test_two_digit_year_with_time():
    """A time after the two-digit year is read too."""
    got, _ = short_year_dates(pd.Series(["16/10/15 08:30", "16/10/15 08:30:05"]))
    assert got.tolist() == [pd.Timestamp("2015-10-16 08:30"), pd.Timestamp("2015-10-16 08:30:05")]


def test_two_digit_years_read_in_a_survey_with_a_note(tmp_path):
    """A French export's 16/10/15 column is read day first, with one note naming it."""
    survey = _read(tmp_path, ["1;16/10/15;30", "2;05/01/16;40", "3;;50"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "2016-01-05 00:00:00", "NaT"]
    assert survey.problems.empty
    assert [(n.key, n.values["column"]) for n in _date_notes(survey)] == [
        ("dates_day_first_yy", "'debut'")]


def test_month_first_note_in_french(tmp_path):
    """A month-first column is noted, in French too, naming the column and the layout."""
    survey = _read(tmp_path, ["1;10/16/15;30", "2;05/01/16;40"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "2016-05-01 00:00:00"]
    note, = _date_notes(survey)
    assert note.key == "dates_month_first_yy"
    assert "'debut'" in note.in_language("fr") and "mois/jour/année" in note.in_language("fr")


def test_assumed_day_first_is_said(tmp_path):
    """Values readable both ways are read day first and the note says so."""
    survey = _read(tmp_path, ["1;05/01/16;30", "2;01/10/15;40"])
    assert _stamps(survey)[0] == "2016-01-05 00:00:00"
    assert [n.key for n in _date_notes(survey)] == ["dates_day_first_assumed_yy"]


def test_conflicting_orders_stay_problems(tmp_path):
    """16/10/15 and 10/16/15 in one column: neither order holds, both stay problems."""
    survey = _read(tmp_path, ["1;16/10/15;30", "2;10/16/15;40"])
    assert _stamps(survey) == ["NaT", "NaT"] and not _date_notes(survey)
    assert survey.problems["value"].tolist() == ["16/10/15", "10/16/15"]


def test_two_digit_year_among_four_digit_years_stays_a_problem(tmp_path):
    """A column not wholly in d/m/yy (16/10/2015 beside 05/01/16) reads no short year."""
    survey = _read(tmp_path, ["1;16/10/2015;30", "2;05/01/16;40"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "NaT"] and not _date_notes(survey)
    assert survey.problems["reason"].tolist() == ["'05/01/16' is not a date"]


def test_impossible_short_date_stays_a_problem(tmp_path):
    """31/02/15 is no date: it stays a problem while the column's other values are read."""
    survey = _read(tmp_path, ["1;16/10/15;30", "2;31/02/15;40"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "NaT"]
    assert survey.problems["value"].tolist() == ["31/02/15"]


# --- Excel serial days ----------------------------------------------------------------------

def test_serials_match_openpyxl():
    """Serial days as text give openpyxl's from_excel datetimes (1900 system)."""
    values = ["42293", "32874", "45000.75", "42293,354166667", str(SERIAL_RANGE[1])]
    got, number = serial_text_dates(pd.Series(values))
    expected = [pd.Timestamp(from_excel(float(v.replace(",", ".")))).round("s") for v in values]
    assert number.all() and got.tolist() == expected
    assert got.tolist()[-1] == pd.Timestamp("2100-12-31")


def test_serial_column_read_with_a_note(tmp_path):
    """A date column of serials beside written dates is read, with one note."""
    survey = _read(tmp_path, ["1;42293;30", "2;42293,5;40", "3;16/10/2015;50"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "2015-10-16 12:00:00",
                               "2015-10-16 00:00:00"]
    assert survey.problems.empty
    note, = _date_notes(survey)
    assert note.key == "dates_excel_serial" and "Excel" in note.in_language("fr")


def test_serials_beside_an_implausible_number_stay_problems(tmp_path):
    """A number out of the serial range (12) says the column holds no serials."""
    survey = _read(tmp_path, ["1;42293;30", "2;12;40"])
    assert _stamps(survey) == ["NaT", "NaT"] and not _date_notes(survey)
    assert survey.problems["value"].tolist() == ["42293", "12"]


@pytest.mark.parametrize("value", ["32873", "73416", "123456"])
def test_serial_out_of_range_stays_a_problem(tmp_path, value):
    """A serial before 1990 or after 2100 is not read as a date."""
    survey = _read(tmp_path, [f"1;{value};30"])
    assert _stamps(survey) == ["NaT"] and survey.problems["value"].tolist() == [value]


def test_one_note_per_column(tmp_path):
    """Two date columns in unusual layouts: one note each, naming its column."""
    survey = _read(tmp_path, ["1;16/10/15;42400;30", "2;05/01/16;42500;40"],
                   header="id;debut;fin;age")
    assert sorted((n.key, n.values["column"]) for n in _date_notes(survey)) == [
        ("dates_day_first_yy", "'debut'"), ("dates_excel_serial", "'fin'")]
    assert _stamps(survey, "telework_end") == ["2016-01-31 00:00:00", "2016-05-10 00:00:00"]


def test_usual_layouts_give_no_note(tmp_path):
    """A column written dd/mm/yyyy reads as before, with no note."""
    survey = _read(tmp_path, ["1;16/10/2015;30", "2;05/01/2016;40"])
    assert _stamps(survey) == ["2015-10-16 00:00:00", "2016-01-05 00:00:00"]
    assert not _date_notes(survey) and survey.problems.empty
