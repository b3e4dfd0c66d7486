"""Validation and accounting: problems cell by cell, excluded rows, strict mode, invariant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
import surveys.survey as survey_module
from surveys._raw import RawTable
from surveys.errors import SurveyError


def _agents(**columns):
    base = {"id": ["a1", "a2", "a3"], "Sexe": ["F", "M", "F"], "Encadrant": ["Oui", "Non", "Non"]}
    base.update(columns)
    return pd.DataFrame(base)


def _problem(survey, column):
    return survey.problems[survey.problems["column"] == column]


def test_out_of_range_set_missing():
    """7 telework days: the cell is blanked, the respondent kept, one problem recorded."""
    survey = surveys.read(_agents(**{"Jours de télétravail": ["2", "7", "1"]}), "agent")
    assert survey.data["telework_days"].isna().tolist() == [False, True, False]
    assert len(survey) == 3
    row = _problem(survey, "Jours de télétravail").iloc[0]
    assert (row["row"], row["value"], row["reason"], row["action"]) == (
        2, "7", "7 is outside 0–5", "set_missing")


def test_not_a_number():
    """A non-numeric age is a problem naming the value."""
    survey = surveys.read(_agents(Age=["40", "quarante", "50"]), "agent")
    assert _problem(survey, "Age")["reason"].tolist() == ["'quarante' is not a number"]
    assert survey.data["age"].tolist()[1] is pd.NA


def test_not_a_whole_number():
    """An integer variable rejects 2.5."""
    survey = surveys.read(_agents(Age=["40", "41,5", "50"]), "agent")
    assert _problem(survey, "Age")["reason"].tolist() == ["41.5 is not a whole number"]


def test_decimal_comma_numbers():
    """Numbers with decimal commas and no-break-space thousands parse."""
    survey = surveys.read(_agents(**{"Distance (km)": ["12,5", "1.5", "3"]}), "agent")
    assert survey.data["commute_km"].tolist() == [12.5, 1.5, 3.0]
    places = surveys.read(pd.DataFrame({"id": ["p1"], "Capacité": ["1\u00a0200"]}), "places")
    assert places.data["capacity"].tolist() == [1200.0]


def test_unknown_code_reason_lists_codes():
    """An unknown gender blanks the cell; the reason lists the codes."""
    survey = surveys.read(_agents(Sexe=["F", "Z", "M"]), "agent")
    reason = _problem(survey, "Sexe")["reason"].iloc[0]
    assert reason == "'Z' is not one of the answers of gender (F, M, X)"
    assert pd.isna(survey.data["gender"].iloc[1])


def test_dates_day_first():
    """dd/mm/yyyy dates are read day first; a bad date is a problem."""
    survey = surveys.read(_agents(**{"Date de début": ["01/02/2016", "2016-03-15", "31/02/2016"]}),
                          "agent")
    assert survey.data["telework_start"].tolist()[:2] == [pd.Timestamp("2016-02-01"),
                                                          pd.Timestamp("2016-03-15")]
    assert _problem(survey, "Date de début")["reason"].tolist() == ["'31/02/2016' is not a date"]


def test_month_variable():
    """A month variable is the first day of the month, from a date or mm/yyyy."""
    frame = pd.DataFrame({"id": ["1", "2"], "Première venue": ["03/2016", "17/05/2015"]})
    survey = surveys.read(frame, "thirdplace")
    assert survey.data["first_visit"].tolist() == [pd.Timestamp("2016-03-01"),
                                                   pd.Timestamp("2015-05-01")]


def test_duration_band_from_months():
    """A number of months given for a band falls in its (lower, upper] band."""
    frame = pd.DataFrame({"id": ["1", "2", "3"], "Ancienneté": ["3", "6 mois à 1 an", "30"]})
    survey = surveys.read(frame, "thirdplace")
    assert survey.data["attendance_band"].tolist() == ["<3m", "6-12m", ">2y"]
    assert survey.data["attendance_band"].cat.ordered


def test_column_dtypes():
    """Typed columns follow the data conventions."""
    frame = _agents(Age=["40", "50", ""], Encadrant=["Oui", "Non", ""],
                    **{"Satisfaction globale": ["Très satisfait", "2", "NSP"],
                       "Distance (km)": ["3,5", "", "10"],
                       "Date de début": ["01/01/2016", "", ""], "Commentaire": ["bien", "", None]})
    data = surveys.read(frame, "agent").data
    assert data["gender"].dtype == pd.CategoricalDtype(["F", "M", "X"], ordered=False)
    assert data["sat_overall"].dtype == pd.CategoricalDtype([1, 2, 3, 4, 5], ordered=True)
    assert data["age"].dtype == "Int64" and data["manager"].dtype == "boolean"
    assert data["commute_km"].dtype == "float64"
    assert data["telework_start"].dtype == "datetime64[ns]"
    assert data["comment"].tolist() == ["bien", None, None]
    assert isinstance(data.index, pd.RangeIndex)


def test_nonsubstantive_not_a_scale_point():
    """NSP is NaN in data and recorded in nonsubstantive, with no problem."""
    frame = _agents(**{"Satisfaction globale": ["Très satisfait", "NSP", "Sans objet"]})
    survey = surveys.read(frame, "agent")
    assert survey.data["sat_overall"].isna().tolist() == [False, True, True]
    assert survey.nonsubstantive["sat_overall"].tolist()[1:] == ["dont_know", "not_applicable"]
    assert pd.isna(survey.nonsubstantive["sat_overall"].iloc[0])
    assert survey.problems.empty


def test_duplicate_respondent_excluded():
    """A second row with the same id is excluded; the first is kept."""
    frame = pd.DataFrame({"id": ["a", "b", "a"], "Sexe": ["F", "M", "M"]})
    survey = surveys.read(frame, "agent")
    assert survey.data["gender"].tolist() == ["F", "M"]
    assert survey.excluded.to_dict("records") == [{"row": 3, "reason": "duplicate respondent"}]
    problem = survey.problems.iloc[0]
    assert (problem["action"], problem["column"]) == ("excluded_row", "id")
    assert "row 1" in problem["reason"]


def test_same_agent_in_two_waves_kept():
    """For agents the key is respondent_id + wave: pre and post rows are both kept."""
    frame = pd.DataFrame({"id": ["a", "a"], "Vague": ["pre", "post"], "Sexe": ["F", "F"]})
    survey = surveys.read(frame, "agent")
    assert len(survey) == 2 and survey.excluded.empty
    assert survey.data["respondent_id"].nunique() == 1


def test_empty_row_excluded():
    """A row with every cell empty is excluded as an empty row."""
    frame = pd.DataFrame({"id": ["a", "", None], "Sexe": ["F", "  ", None]})
    survey = surveys.read(frame, "agent")
    assert survey.excluded["reason"].tolist() == ["empty row", "empty row"]
    assert survey.excluded["row"].tolist() == [2, 3]


def test_row_without_usable_answer_excluded():
    """A row with an id but no usable answer is excluded."""
    frame = pd.DataFrame({"id": ["a", "b"], "Sexe": ["F", "zzz"]})
    survey = surveys.read(frame, "agent")
    assert survey.excluded.to_dict("records") == [{"row": 2, "reason": "no usable answer"}]
    assert "set_missing" not in survey.problems["action"].tolist()


def test_attendance_row_missing_timestamp_excluded():
    """A check-in without a usable timestamp cannot be used."""
    frame = pd.DataFrame({"Lieu": ["P1", "P1"], "Badge": ["u1", "u2"],
                          "Horodatage": ["01/03/2016 09:00", "hier"]})
    survey = surveys.read(frame, "attendance")
    assert len(survey) == 1
    assert survey.excluded["reason"].tolist() == ["missing timestamp"]


def _raw(data, rows, n_rows, excluded=None, value_labels=None):
    return RawTable(data=data, rows=np.asarray(rows), path="enquete.csv", format="csv",
                    n_rows=n_rows, value_labels=value_labels or {},
                    excluded=excluded if excluded is not None else
                    pd.DataFrame({"row": pd.Series([], dtype="int64"),
                                  "reason": pd.Series([], dtype=object)}))


def test_rows_come_from_the_reader(monkeypatch):
    """Problem rows are the reader's 1-based source rows, not positions."""
    data = pd.DataFrame({"id": ["a", "b"], "Jours": ["1", "9"], "Sexe": ["F", "M"]})
    excluded = pd.DataFrame({"row": [2, 3], "reason": ["unsubmitted", "unsubmitted"]})
    monkeypatch.setattr(survey_module, "read_raw", lambda source, sheet=None, integers=None: _raw(
        data, [1, 4], 4, excluded))
    survey = surveys.read("ignored.csv", "agent", mapping={"Jours": "telework_days"})
    assert survey.problems["row"].tolist() == [4]
    assert survey.excluded["row"].tolist() == [2, 3]
    assert len(survey) + len(survey.excluded) == 4


def test_reader_value_labels_used(monkeypatch):
    """Value labels from the RawTable are used to type the column."""
    data = pd.DataFrame({"id": [1.0, 2.0], "q1": [1.0, 2.0]})
    monkeypatch.setattr(survey_module, "read_raw", lambda source, sheet=None, integers=None: _raw(
        data, [1, 2], 2, value_labels={"q1": {1.0: "Femme", 2.0: "Homme"}}))
    survey = surveys.read("x.sav", "agent", mapping={"q1": "gender"})
    assert survey.data["gender"].tolist() == ["F", "M"]


def test_strict_raises_listing_problems():
    """strict=True raises SurveyError naming the row, column and reason."""
    frame = _agents(**{"Jours de télétravail": ["2", "7", "1"]})
    with pytest.raises(SurveyError, match=r"row 2, column 'Jours de télétravail': 7 is outside"):
        surveys.read(frame, "agent", strict=True)


def test_strict_truncates_long_lists():
    """Strict mode lists the first 20 problems and counts the rest."""
    frame = pd.DataFrame({"id": [str(i) for i in range(30)], "Sexe": ["F"] * 30,
                          "Age": ["999"] * 30})
    with pytest.raises(SurveyError, match=r"30 problem\(s\).*and 10 more"):
        surveys.read(frame, "agent", strict=True)


def test_strict_passes_clean_data():
    """strict=True returns the survey when nothing was set missing or excluded."""
    assert len(surveys.read(_agents(), "agent", strict=True)) == 3


def test_unknown_kind_names_source(tmp_path):
    """An unknown kind raises SurveyError naming the file."""
    path = tmp_path / "agents.csv"
    path.write_text("id;Sexe\n1;F\n", encoding="utf-8")
    with pytest.raises(SurveyError, match=r"agents\.csv: Unknown kind 'agnets'"):
        surveys.read(path, "agnets")


@pytest.mark.parametrize("absent", ["place_id", "user_id", "timestamp"])
def test_attendance_required_columns(tmp_path, absent):
    """A missing required attendance column names the file and the column."""
    columns = {"place_id": "lieu", "user_id": "badge", "timestamp": "horodatage"}
    kept = [c for k, c in columns.items() if k != absent]
    path = tmp_path / "badges.csv"
    path.write_text(";".join(kept) + "\n" + ";".join(["x"] * len(kept)) + "\n", encoding="utf-8")
    mapping = {c: k for k, c in columns.items() if k != absent}
    with pytest.raises(SurveyError, match=rf"badges\.csv: required column '{absent}'"):
        surveys.read(path, "attendance", mapping=mapping)


def test_required_id_absent():
    """A survey without any respondent id column is a whole-file error."""
    with pytest.raises(SurveyError, match="required column 'respondent_id'"):
        surveys.read(pd.DataFrame({"Sexe": ["F"]}), "agent")


def test_nothing_left_to_analyse():
    """When every row is excluded, SurveyError says so and names the source."""
    frame = pd.DataFrame({"id": ["a", "b"], "Sexe": ["zzz", None]})
    with pytest.raises(SurveyError, match=r"<DataFrame>: nothing left to analyse.*column 'id'"):
        surveys.read(frame, "agent")


def test_mapping_absent_column_suggests():
    """A mapping naming an absent column raises with a close-match suggestion."""
    with pytest.raises(SurveyError, match=r"'Sex'.*Did you mean 'Sexe'"):
        surveys.read(_agents(), "agent", mapping={"Sex": "gender"})


def test_mapping_to_unknown_variable():
    """A mapping onto a name that is not in the codebook raises with a suggestion."""
    with pytest.raises(SurveyError, match="Did you mean 'gender'"):
        surveys.read(_agents(), "agent", mapping={"Sexe": "gendre"})


def test_recode_unknown_variable():
    """A recode naming an unknown variable raises."""
    with pytest.raises(SurveyError, match="recode names 'sexe'"):
        surveys.read(_agents(), "agent", recode={"sexe": {"1": "F"}})


def test_unmapped_columns_named_in_one_note():
    """Columns matching no variable are dropped and named in one note."""
    survey = surveys.read(_agents(Foo=["1", "2", "3"], Bar=["x", "y", "z"]), "agent")
    notes = [n for n in survey.notes if "matching no variable" in n]
    assert len(notes) == 1 and "'Foo'" in notes[0] and "'Bar'" in notes[0]
    assert "Foo" not in survey.data.columns


def test_headers_matched_loosely():
    """Aliases match regardless of case, accents, punctuation and spaces."""
    frame = pd.DataFrame({" ID ": ["1"], "SEXE": ["F"], "jours_de_teletravail": ["2"]})
    data = surveys.read(frame, "agent").data
    assert data["gender"].tolist() == ["F"] and data["telework_days"].tolist() == [2]


def test_user_mapping_and_recode():
    """A user mapping and recode (LimeSurvey codes) type the answers."""
    frame = pd.DataFrame({"id": ["1", "2", "3"], "Q1": ["A1", "A2", "A9"]})
    survey = surveys.read(frame, "thirdplace", mapping={"Q1": "status"},
                          recode={"status": {"A1": "freelancer", "A2": "student",
                                             "A9": "dont_know"}})
    assert survey.data["status"].tolist()[:2] == ["freelancer", "student"]
    assert survey.nonsubstantive["status"].tolist()[2] == "dont_know"


def test_extra_sat_item():
    """Any column mapped to a sat_* name is read on the 5-point scale."""
    frame = _agents(Parking=["Très satisfait", "Pas du tout satisfait", "NSP"])
    data = surveys.read(frame, "agent", mapping={"Parking": "sat_parking"}).data
    assert data["sat_parking"].tolist()[:2] == [5, 1]
    assert data["sat_parking"].cat.ordered


def test_multiselect_one_cell():
    """A one-cell multiselect becomes one nullable boolean column per option."""
    frame = pd.DataFrame({"SIRET": ["1", "2", "3"], "Freins": ["Coût; Sécurité;", "", "IT"],
                          "Secteur": ["Privé", "Public", "Privé"]})
    data = surveys.read(frame, "company").data
    assert data["barriers__cost"].tolist() == [True, pd.NA, False]
    assert data["barriers__equipment"].tolist() == [False, pd.NA, True]
    assert data["barriers__cost"].dtype == "boolean"


def test_multiselect_option_columns():
    """Per-option columns (LimeSurvey Y/empty) map as <variable>__<code>."""
    frame = pd.DataFrame({"SIRET": ["1", "2", "3"], "F[SQ1]": ["Y", "", ""],
                          "F[SQ2]": ["Y", "Y", ""], "Sect": ["public", "private", "public"]})
    data = surveys.read(frame, "company", mapping={"F[SQ1]": "barriers__cost",
                                                   "F[SQ2]": "barriers__security",
                                                   "Sect": "sector"}).data
    assert data["barriers__cost"].tolist() == [True, False, pd.NA]
    assert data["barriers__security"].tolist() == [True, True, pd.NA]
    assert data["barriers__legal"].isna().all()


def test_multiselect_unknown_option_in_mapping():
    """Mapping onto an option the codebook lacks raises naming the options."""
    frame = pd.DataFrame({"SIRET": ["1"], "F1": ["Y"]})
    with pytest.raises(SurveyError, match="'weather' is not an option of barriers"):
        surveys.read(frame, "company", mapping={"F1": "barriers__weather"})


@st.composite
def _frames(draw):
    n = draw(st.integers(1, 25))
    ids = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "", None]), min_size=n, max_size=n))
    genders = draw(st.lists(st.sampled_from(["F", "Homme", "zzz", "NSP", "", None]),
                            min_size=n, max_size=n))
    days = draw(st.lists(st.sampled_from(["1", "3,0", "9", "abc", "", None]), min_size=n,
                         max_size=n))
    return pd.DataFrame({"id": ids, "Sexe": genders, "Jours de télétravail": days})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_every_row_accounted_for(frame):
    """Kept rows + excluded rows = data rows, whatever blanks, duplicates and bad values."""
    try:
        survey = surveys.read(frame, "agent")
    except SurveyError as exc:
        assert "nothing left to analyse" in str(exc)
        return
    assert len(survey.data) + len(survey.excluded) == len(frame)
    assert set(survey.excluded["row"]) <= set(range(1, len(frame) + 1))
    assert survey.excluded["row"].is_unique
    kept_ids = survey.data["respondent_id"].dropna()
    assert kept_ids.is_unique


def test_limesurvey_code_and_text_headers():
    """'code. question text' headers match on the code part."""
    frame = pd.DataFrame({"id. Response ID": ["1"], "Sexe. Vous êtes ?": ["Femme"]})
    assert surveys.read(frame, "agent").data["gender"].tolist() == ["F"]


def test_option_columns_named_canonically():
    """Columns already named <variable>__<code> are recognised without a mapping."""
    frame = pd.DataFrame({"company_id": ["1", "2"], "barriers__cost": ["1", "0"],
                          "barriers__legal": ["0", "1"]})
    data = surveys.read(frame, "company").data
    assert data["barriers__cost"].tolist() == [True, False]
    assert data["barriers__legal"].tolist() == [False, True]


def test_two_columns_mapped_to_one_variable():
    """Mapping two source columns onto one variable is an error naming both."""
    frame = _agents(Genre=["F", "M", "F"])
    with pytest.raises(SurveyError, match="'Sexe' and 'Genre' are both mapped to 'gender'"):
        surveys.read(frame, "agent", mapping={"Sexe": "gender", "Genre": "gender"})


def test_excluded_rows_drop_their_cell_problems():
    """A duplicate row's bad cells are not reported: the row itself is excluded."""
    frame = pd.DataFrame({"id": ["a", "a"], "Sexe": ["F", "zzz"], "Age": ["30", "40"]})
    survey = surveys.read(frame, "agent")
    assert survey.problems["action"].tolist() == ["excluded_row"]


def test_option_columns_holding_option_text():
    """SurveyMonkey-style option columns (the option text when selected) read as selected."""
    frame = pd.DataFrame({"SIRET": ["1", "2", "3"],
                          "Freins - Coût": ["Coût", None, None],
                          "Freins - Autre": ["Météo", "Météo", None],
                          "Secteur": ["Privé", "Public", "Privé"]})
    data = surveys.read(frame, "company", mapping={"Freins - Coût": "barriers__cost",
                                                   "Freins - Autre": "barriers__other"}).data
    assert data["barriers__cost"].tolist() == [True, False, pd.NA]
    assert data["barriers__other"].tolist() == [True, True, pd.NA]


@settings(max_examples=40, deadline=None)
@given(_frames(), st.lists(st.booleans(), min_size=25, max_size=25))
def test_reader_exclusions_accounted_for(frame, set_aside):
    """With rows the reader set aside, kept + excluded still equals the file's data rows."""
    from unittest import mock
    n_total = len(frame) + sum(set_aside[: len(frame)])
    aside = np.flatnonzero(set_aside[: len(frame)])
    rows_aside = aside + np.arange(1, len(aside) + 1)  # interleave set-aside rows
    kept_rows = np.setdiff1d(np.arange(1, n_total + 1), rows_aside)
    excluded = pd.DataFrame({"row": rows_aside.astype("int64"),
                             "reason": ["unsubmitted"] * len(rows_aside)})
    raw = _raw(frame, kept_rows, n_total, excluded)
    with mock.patch.object(survey_module, "read_raw", lambda source, sheet=None, integers=None: raw):
        try:
            survey = surveys.read("file.csv", "agent")
        except SurveyError as exc:
            assert "nothing left to analyse" in str(exc)
            return
    assert len(survey.data) + len(survey.excluded) == n_total
    assert set(rows_aside) <= set(survey.excluded["row"])
    assert survey.excluded["row"].is_unique
