"""Readers on the real third-party exports in ../shared/realdata (counts from FORMATS.md §9).

The files are not ours to redistribute: they are read where they are and these tests
skip (through the ``realdata`` fixture) in a fresh clone without ../shared.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from surveys._readers import read_raw
from surveys.errors import SurveyError

ALL_FILES = [
    "googleforms/googleforms_GoogleDemoForm_Responses.xlsx",
    "googleforms/googleforms_export_kobo-transfer_Kobo_Test.csv",
    "kobo_odk/kobo_export_Quest_Test_-_latest_version_-_False_-_2024-03-19-11-27-50.xlsx",
    "kobo_odk/kobo_xlsform_aH9W426ag7puvCtFiSUgSz.xlsx",
    "limesurvey/biodiv_first_fullanswers_codetext.csv",
    "limesurvey/limonaid_survey_998192_R_data_file.csv",
    "qualtrics/QualtricsTools_No_Basis_for_Evaluation_Insights.csv",
    "qualtrics/qualtRics_sample.csv",
    "qualtrics/qualtRics_sample_legacy.csv",
    "spss/sample_missing.sav",
    "spss/simple_alltypes.sav",
    "surveymonkey/fivethirtyeight_StarWars.csv",
    "telework/eurostat_isoc_r_broad_h_page_tabular.tsv",
]
KOBO = "kobo_odk/kobo_export_Quest_Test_-_latest_version_-_False_-_2024-03-19-11-27-50.xlsx"


def accounted(raw) -> bool:
    """Kept + excluded rows are exactly the rows 1..n_rows."""
    numbers = sorted(raw.rows.tolist() + raw.excluded["row"].tolist())
    return numbers == list(range(1, raw.n_rows + 1))


def test_every_saved_file_is_listed(realdata):
    """The list above covers every data file in the folder (a new file must be added)."""
    found = {str(p.relative_to(realdata)) for p in realdata.rglob("*")
             if p.is_file() and p.suffix not in (".md", ".lss")}
    assert found == set(ALL_FILES)


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_file_reads_and_accounts_for_every_row(realdata, name):
    """Every saved export loads, with unique names and every row kept or excluded."""
    raw = read_raw(realdata / name)
    assert raw.data.columns.is_unique
    assert len(raw.data) == len(raw.rows)
    assert accounted(raw)


def test_lss_structure_file_is_refused_clearly(realdata):
    """A LimeSurvey .lss structure file is not a data table: a SurveyError names it."""
    with pytest.raises(SurveyError, match=r"citric_survey_DBVersion641\.lss: unsupported"):
        read_raw(realdata / "limesurvey/citric_survey_DBVersion641.lss")


# --- Qualtrics --------------------------------------------------------------------------

def test_qualtrics_sample_three_header_rows(realdata):
    """sample.csv: 3 header rows consumed, 1 data row (row 1), IP and location dropped,
    and the response's own dates, progress, duration, channel and language."""
    raw = read_raw(realdata / "qualtrics/qualtRics_sample.csv")
    assert (raw.format, raw.n_rows, raw.rows.tolist()) == ("qualtrics", 1, [1])
    assert raw.data["ResponseId"].tolist() == ["R_2YPOQ602ER1jkf1"]
    assert raw.data.shape[1] == 20 - 6 - 7
    assert list(raw.data.columns[:3]) == ["Status", "Finished", "ResponseId"]
    assert not {"IPAddress", "LocationLatitude", "LocationLongitude"} & set(raw.data.columns)
    assert any("3 header rows" in n for n in raw.notes)


def test_qualtrics_legacy_two_header_rows_and_bom(realdata):
    """Legacy export: BOM stripped, 2 header rows, V1.. named from row 2, trailing column."""
    raw = read_raw(realdata / "qualtrics/qualtRics_sample_legacy.csv")
    assert (raw.n_rows, len(raw.data)) == (1, 1)
    assert raw.data.columns[0] == "ResponseID"
    assert raw.data["Q2"].tolist() == ["Hello World!"]
    assert "unnamed_16" in raw.data.columns
    assert "IPAddress" not in raw.data.columns


def test_qualtrics_insights_python_dict_import_ids(realdata):
    """Insights export: the {'ImportId': ...} row is a header; 15 rows x 49 columns, of
    which 6 personal-data and 4 system columns are dropped."""
    raw = read_raw(realdata / "qualtrics/QualtricsTools_No_Basis_for_Evaluation_Insights.csv")
    assert (raw.format, raw.n_rows, len(raw.data)) == ("qualtrics", 15, 15)
    assert raw.data.shape[1] == 49 - 6 - 4
    assert not {"ResponseSet", "StartDate", "EndDate", "LocationAccuracy"} & set(raw.data)
    assert "Q2_-1" in raw.data.columns
    assert raw.data["ResponseID"].iloc[0] == "R_ebopwASnJ6p0KSp"


# --- LimeSurvey -------------------------------------------------------------------------

def test_limonaid_unsubmitted_rows_excluded(realdata):
    """limonaid R export: 7 data rows, the 5 with an empty 'Date submitted' excluded."""
    raw = read_raw(realdata / "limesurvey/limonaid_survey_998192_R_data_file.csv")
    assert (raw.format, raw.n_rows) == ("limesurvey", 7)
    assert raw.rows.tolist() == [1, 7]
    assert raw.excluded["row"].tolist() == [2, 3, 4, 5, 6]
    assert set(raw.excluded["reason"]) == {"unsubmitted response (empty submitdate)"}


def test_limonaid_bom_stripped_and_system_columns_dropped(realdata):
    """'Response ID' has no BOM; 5 system + 20 timing columns of the 71 are dropped."""
    raw = read_raw(realdata / "limesurvey/limonaid_survey_998192_R_data_file.csv")
    assert raw.data.columns[:2].tolist() == ["Response ID", "Date submitted"]
    assert raw.data.shape[1] == 71 - 25
    assert not any(c.startswith(("Question time", "Group time")) for c in raw.data.columns)
    assert raw.data["Response ID"].tolist() == ["1", "9"]


def test_biodiv_codes_duplicates_and_ip_dropped(realdata):
    """biodiv: 1396 columns, codes kept, duplicates made unique, IP column dropped."""
    raw = read_raw(realdata / "limesurvey/biodiv_first_fullanswers_codetext.csv")
    assert raw.format == "limesurvey"
    assert raw.data.shape[1] == 1396 - 7  # 6 system columns and ipaddr
    assert "geochemicalPara[SQ1]" in raw.data.columns
    assert {"climateChangeCQ", "climateChangeCQ.1"} <= set(raw.data.columns)
    assert "ipaddr" not in raw.data.columns
    assert not raw.data.isin(["10.35.12.178", "141.56.60.33"]).any().any()


def test_biodiv_malformed_rows_reported(realdata):
    """biodiv: 3 data rows; rows 2 and 3 (unescaped quotes) are reported, row 1 is clean."""
    raw = read_raw(realdata / "limesurvey/biodiv_first_fullanswers_codetext.csv")
    assert (raw.n_rows, raw.rows.tolist()) == (3, [1, 2, 3])
    assert {p["row"] for p in raw.problems} == {2, 3}
    assert all("malformed CSV quoting" in p["reason"] for p in raw.problems)
    assert raw.data.loc[0, "geochemicalPara[SQ1]"].startswith('<div><span style="color:')


# --- SurveyMonkey, Google, Kobo, Eurostat -----------------------------------------------

def test_starwars_rows_names_and_encoding(realdata):
    """StarWars: 1186 rows, 38 unique composite names, cp1252 fallback noted."""
    raw = read_raw(realdata / "surveymonkey/fivethirtyeight_StarWars.csv")
    assert (raw.format, raw.n_rows, len(raw.data)) == ("surveymonkey", 1186, 1186)
    assert raw.data.shape[1] == 38 and raw.data.columns.is_unique
    assert any("cp1252" in n for n in raw.notes)
    assert "Do you consider yourself to be a fan of the Expanded Universe?Œæ" in raw.data.columns
    assert raw.data["RespondentID"].iloc[-1] is not None


def test_google_csv_crlf_without_final_newline(realdata):
    """Google CSV: 5 rows x 4, no carriage return left, last cell of the last line intact."""
    raw = read_raw(realdata / "googleforms/googleforms_export_kobo-transfer_Kobo_Test.csv")
    assert (raw.format, raw.data.shape) == ("googleforms", (5, 4))
    assert raw.data["Select all that apply"].iloc[-1] == "Monday;Tuesday"
    assert not raw.data.map(lambda v: "\r" in v if isinstance(v, str) else False).any().any()


def test_google_xlsx_timestamps_are_datetimes(realdata):
    """Google xlsx: 3 rows, the Timestamp column holds datetimes."""
    raw = read_raw(realdata / "googleforms/googleforms_GoogleDemoForm_Responses.xlsx")
    assert (raw.format, raw.n_rows) == ("googleforms", 3)
    assert raw.data["Timestamp"].iloc[0] == pd.Timestamp("2024-01-17 18:07:45.597")


def test_kobo_xlsx_meta_columns_dropped(realdata):
    """Kobo xlsx: 4 rows; _uuid/_submission_time/_index... dropped, _id kept."""
    raw = read_raw(realdata / KOBO)
    assert (raw.format, raw.n_rows) == ("kobo", 4)
    assert list(raw.data.columns) == ["start", "end", "Quest_name", "Quest_starting_date", "_id", "$edited"]


def test_kobo_repeat_sheet_by_name(realdata):
    """Kobo repeat sheet read by name: 8 rows, its _submission__ meta dropped."""
    raw = read_raw(realdata / KOBO, sheet="character_tasks")
    assert (raw.format, raw.n_rows) == ("kobo", 8)
    assert not any(c.startswith(("_submission__", "_parent")) for c in raw.data.columns)


def test_kobo_xlsform_survey_sheet(realdata):
    """The XLSForm's survey sheet: 18 rows x 5, 'required' kept as the string 'false'."""
    raw = read_raw(realdata / "kobo_odk/kobo_xlsform_aH9W426ag7puvCtFiSUgSz.xlsx")
    assert raw.data.shape == (18, 5)
    assert raw.data.loc[2, "required"] == "false"


def test_eurostat_tsv_tab_delimited(realdata):
    """Eurostat TSV: TAB-delimited (not comma), 355 rows x 6, flags kept in the text."""
    raw = read_raw(realdata / "telework/eurostat_isoc_r_broad_h_page_tabular.tsv")
    assert raw.data.shape == (355, 6)
    assert raw.data.columns[0] == "freq,unit,geo\\TIME_PERIOD"
    assert raw.data["2017"].iloc[0] == ": "
    assert any("TAB" in n for n in raw.notes)


# --- SPSS -------------------------------------------------------------------------------

def test_sample_missing_user_missing_become_nan(realdata):
    """sample_missing.sav: the 5 user-missing codes are NaN and counted; labels present."""
    raw = read_raw(realdata / "spss/sample_missing.sav")
    assert raw.data.shape == (7, 7)
    assert raw.data["mynum"].isna().tolist() == [False] * 5 + [True, True]  # -1 and 2500
    assert raw.data["myord"].isna().tolist() == [False] * 5 + [True, True]  # -1 and -3
    assert raw.data["mylabl"].isna().tolist() == [False] * 5 + [True, True]  # -1 and sysmis
    assert raw.value_labels["mylabl"] == {-1.0: "undetermined", 1.0: "Male", 2.0: "Female"}
    assert any("5 user-missing" in n for n in raw.notes)


def test_simple_alltypes_ranges_and_quarter_dates(realdata):
    """simple_alltypes.sav: range -999..0 and 999 missing on z; QYR8 read as dates."""
    raw = read_raw(realdata / "spss/simple_alltypes.sav")
    assert raw.data.shape == (6, 12)
    np.testing.assert_allclose(raw.data["z"].to_numpy(), [np.nan, np.nan, 1.234, np.nan, 3.14159, np.nan])
    assert raw.data["x"].isna().tolist() == [False, False, False, False, True, False]
    assert raw.data["quarter"].tolist()[::4] == [pd.Timestamp("2014-10-01"), pd.Timestamp("2015-01-01")]
    assert raw.data["y"].iloc[3] == dt.date(1776, 7, 4)  # before 1677: kept as a date object
    assert raw.value_labels["x"] == {1.0: "red", 2.0: "green", 3.0: "blue"}
