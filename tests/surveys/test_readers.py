"""Readers: every file format and export trap, on small files written to tmp_path."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import read
from surveys._parse import parse_dates, parse_numbers
from surveys._readers import read_raw
from surveys._text import TextSource
from surveys.errors import SurveyError


def write(path, text: str, encoding: str = "utf-8", newline: str = "\n"):
    """Write text with the given encoding and line ending; return the path."""
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


FRENCH = (
    "Identifiant;Sexe;Âge;Service;Distance (km);Début\n"
    "A1;Femme;34;Télétravail à domicile;12,5;01/03/2016\n"
    "A2;Homme;51;Ressources humaines;3,25;15/09/2016\n"
)


# --- encodings -------------------------------------------------------------------------

def test_cp1252_french_accents_are_decoded(tmp_path):
    """A cp1252 French Excel CSV decodes its accents in names and values."""
    raw = read_raw(write(tmp_path / "agents.csv", FRENCH, "cp1252"))
    assert list(raw.data.columns) == ["Identifiant", "Sexe", "Âge", "Service", "Distance (km)", "Début"]
    assert raw.data["Service"].tolist() == ["Télétravail à domicile", "Ressources humaines"]


def test_cp1252_fallback_is_noted(tmp_path):
    """Falling back to cp1252 leaves a note naming the file and the encoding."""
    raw = read_raw(write(tmp_path / "agents.csv", FRENCH, "cp1252"))
    assert any("agents.csv" in n and "cp1252" in n for n in raw.notes)



def test_cp1252_byte_far_down_after_accented_header(tmp_path):
    """A UTF-8 file with an accented header and one cp1252 byte past the decoded head
    keeps every row: the header does not leak into the body as a malformed row."""
    rows = "".join(f"A{i};{20 + i % 40};Orne\n" for i in range(150_000))  # > 2 MB
    path = tmp_path / "mixed.csv"
    path.write_bytes(("Identifiant;Âgé;Département\n" + rows).encode("utf-8")
                     + "Zé;34;Orne\nZz;x;Orne;extra\n".encode("cp1252"))
    raw = read_raw(path)
    assert raw.n_rows == 150_002
    assert len(raw.data) == 150_001 and raw.data.iloc[-1].tolist()[0] == "Zé"
    assert raw.excluded["row"].tolist() == [150_002]  # the bad-width last row

def test_semicolon_and_decimal_comma_kept_as_strings(tmp_path):
    """A `;` file is split on `;` and decimal commas stay as text for validation."""
    raw = read_raw(write(tmp_path / "agents.csv", FRENCH, "cp1252"))
    assert raw.data["Distance (km)"].tolist() == ["12,5", "3,25"]
    assert raw.data["Âge"].tolist() == ["34", "51"]


def test_undecodable_bytes_do_not_raise(tmp_path):
    """Bytes invalid in both UTF-8 and cp1252 decode as latin-1 with a note."""
    path = tmp_path / "odd.csv"
    path.write_bytes(b"a,b\nx\x81y,2\n")
    raw = read_raw(path)
    assert raw.data["a"].tolist() == ["x\x81y"]
    assert any("latin-1" in n for n in raw.notes)


def test_utf8_bom_is_stripped(tmp_path):
    """The UTF-8 byte-order mark does not stick to the first column name."""
    raw = read_raw(write(tmp_path / "bom.csv", "\ufeffid,age\n1,30\n"))
    assert list(raw.data.columns) == ["id", "age"]
    assert any("byte-order mark" in n for n in raw.notes)


def test_utf16_excel_unicode_text(tmp_path):
    """Excel's 'Unicode text' (UTF-16 with BOM, TAB) is read."""
    path = tmp_path / "export.txt"
    path.write_bytes("nom\tâge\nÉlise\t30\n".encode("utf-16"))
    raw = read_raw(path)
    assert raw.data.to_dict("list") == {"nom": ["Élise"], "âge": ["30"]}


# --- delimiters and line endings -------------------------------------------------------

@pytest.mark.parametrize("delimiter", ["\t", "|", ";", ","])
def test_delimiter_is_detected(tmp_path, delimiter):
    """TAB, pipe, semicolon and comma files split into the right columns."""
    text = delimiter.join(["id", "note", "ville"]) + "\n" + delimiter.join(["1", "3.5", "Caen"]) + "\n"
    raw = read_raw(write(tmp_path / "x.txt", text))
    assert raw.data.to_dict("list") == {"id": ["1"], "note": ["3.5"], "ville": ["Caen"]}


def test_tsv_extension_prefers_tab(tmp_path):
    """A .tsv whose first column holds commas (Eurostat style) is split on TAB."""
    text = "freq,unit,geo\tTIME\t2017\nA,PC,FR\t1\t2\nA,PC,DE\t3\t4\n"
    raw = read_raw(write(tmp_path / "euro.tsv", text))
    assert list(raw.data.columns) == ["freq,unit,geo", "TIME", "2017"]


def test_crlf_line_endings_leave_no_carriage_return(tmp_path):
    """CRLF files give the same values as LF files, without stray \\r."""
    raw = read_raw(write(tmp_path / "crlf.csv", "a,b\n1,2\n3,4", newline="\r\n"))
    assert raw.data.to_dict("list") == {"a": ["1", "3"], "b": ["2", "4"]}


def test_blank_middle_line_is_a_data_row(tmp_path):
    """A blank line inside the data is an empty data row with its own number."""
    raw = read_raw(write(tmp_path / "gap.csv", "a,b\n1,2\n\n3,4\n"))
    assert raw.n_rows == 3
    assert raw.rows.tolist() == [1, 2, 3]
    assert raw.data.iloc[1].isna().all()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("strings", ["object", "arrow", "category"])
def test_blank_line_in_a_long_file_is_a_data_row(tmp_path, newline, strings):
    """A blank line deep in a long file (LF, CRLF or CR) is an empty row, whatever the strings."""
    lines = ["id,n"] + [f"A{k},{k % 7}" for k in range(300)]
    lines.insert(200, "")
    raw = read_raw(write(tmp_path / "gap.csv", "\n".join(lines) + "\n", newline=newline),
                   strings=strings)
    assert raw.n_rows == 301
    assert raw.data.iloc[199].isna().all()
    assert raw.data.iloc[200].tolist() == ["A199", "3"]


def test_trailing_blank_lines_are_not_rows(tmp_path):
    """Blank lines at the end of the file are not data rows."""
    raw = read_raw(write(tmp_path / "tail.csv", "a,b\n1,2\n3,4\n\n\n", newline="\r\n"))
    assert raw.n_rows == 2


def test_empty_cells_are_none(tmp_path):
    """Empty cells are None in object mode."""
    raw = read_raw(write(tmp_path / "e.csv", "a,b\n1,\n,2\n"))
    assert raw.data.to_dict("list") == {"a": ["1", None], "b": [None, "2"]}


def test_header_only_file_has_no_rows(tmp_path):
    """A header without data gives zero rows, not an error."""
    raw = read_raw(write(tmp_path / "h.csv", "a;b\n"))
    assert (raw.n_rows, list(raw.data.columns)) == (0, ["a", "b"])


def test_quoted_newline_stays_in_its_cell(tmp_path):
    """A quoted multi-line comment is one cell of one row."""
    raw = read_raw(write(tmp_path / "q.csv", 'id,comment\n1,"line one\nline two"\n2,ok\n'))
    assert raw.data["comment"].tolist() == ["line one\nline two", "ok"]
    assert raw.rows.tolist() == [1, 2]


# --- names ------------------------------------------------------------------------------

def test_duplicate_names_get_suffixes(tmp_path):
    """Duplicate column names become name, name.1, name.2 with a note."""
    raw = read_raw(write(tmp_path / "d.csv", "q,q,q\n1,2,3\n"))
    assert list(raw.data.columns) == ["q", "q.1", "q.2"]
    assert any("duplicate" in n for n in raw.notes)


def test_empty_header_cells_are_named_by_position(tmp_path):
    """An empty header cell becomes unnamed_<position>."""
    raw = read_raw(write(tmp_path / "u.csv", "a,,c\n1,2,3\n"))
    assert list(raw.data.columns) == ["a", "unnamed_2", "c"]


# --- malformed rows ---------------------------------------------------------------------

def test_row_with_wrong_field_count_is_excluded_with_reason(tmp_path):
    """A row with more fields than the header is set aside, named by its row number."""
    raw = read_raw(write(tmp_path / "m.csv", "a,b\n1,2\n3,4,5\n6,7\n"))
    assert raw.rows.tolist() == [1, 3]
    assert raw.excluded["row"].tolist() == [2]
    assert "3 fields where the header has 2" in raw.excluded["reason"].iloc[0]


def test_unescaped_quote_is_reported_not_kept(tmp_path):
    """An unescaped quote inside a quoted field is reported and its cell blanked."""
    text = 'id,answer,other\n1,"<span style=""x"">ok</span>",a\n2,"<span style="x">bad</span>",b\n'
    raw = read_raw(write(tmp_path / "bad.csv", text))
    assert raw.data["answer"].tolist() == ['<span style="x">ok</span>', None]
    assert [(p["row"], p["column"], p["action"]) for p in raw.problems] == [(2, "answer", "set_missing")]


# --- spreadsheets and binary formats ----------------------------------------------------

@pytest.fixture
def workbook(tmp_path):
    """An xlsx with a cover sheet and a 'Réponses' sheet holding dates."""
    path = tmp_path / "agents.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"info": ["cover"]}).to_excel(writer, sheet_name="Notice", index=False)
        pd.DataFrame({"id": ["A1", "A2"], "debut": [dt.datetime(2016, 3, 1), dt.datetime(2016, 9, 15)],
                      "age": [34, 51]}).to_excel(writer, sheet_name="Réponses", index=False)
    return path


def test_xlsx_named_sheet(workbook):
    """The named sheet is read, with dates as datetimes."""
    raw = read_raw(workbook, sheet="Réponses")
    assert raw.format == "xlsx"
    assert raw.data["debut"].tolist() == [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-09-15")]
    assert raw.data["age"].tolist() == [34, 51]


def test_xlsx_first_sheet_by_default(workbook):
    """Without sheet=, the first sheet is read."""
    assert list(read_raw(workbook).data.columns) == ["info"]


def test_xlsx_missing_sheet_lists_sheets(workbook):
    """A missing sheet raises SurveyError naming the file and listing the sheets."""
    with pytest.raises(SurveyError, match=r"agents\.xlsx.*'Feuil1'.*'Notice', 'Réponses'"):
        read_raw(workbook, sheet="Feuil1")


def test_sav_value_labels_and_user_missing(tmp_path):
    """SPSS codes stay codes, labels go to value_labels, user-missing codes become NaN."""
    path = tmp_path / "agents.sav"
    frame = pd.DataFrame({"sexe": [1.0, 2.0, 9.0, 1.0], "age": [30.0, 99.0, 45.0, 98.0]})
    pyreadstat.write_sav(frame, path, variable_value_labels={"sexe": {1: "Femme", 2: "Homme", 9: "NSP"}},
                         missing_ranges={"sexe": [9], "age": [{"lo": 98, "hi": 99}]})
    raw = read_raw(path)
    assert raw.data["sexe"].tolist()[:2] == [1.0, 2.0] and np.isnan(raw.data["sexe"][2])
    assert raw.data["age"].isna().tolist() == [False, True, False, True]
    assert raw.value_labels["sexe"] == {1: "Femme", 2: "Homme", 9: "NSP"}
    assert any("3 user-missing" in n for n in raw.notes)


def test_dta_value_labels_and_user_missing(tmp_path):
    """Stata value labels are kept and extended missing (.a) becomes NaN."""
    path = tmp_path / "agents.dta"
    frame = pd.DataFrame({"sexe": [1.0, 2.0, "a"], "age": [30.0, 40.0, 45.0]})
    pyreadstat.write_dta(frame, path, variable_value_labels={"sexe": {1: "Femme", 2: "Homme"}},
                         missing_user_values={"sexe": ["a"]})
    raw = read_raw(path)
    assert raw.format == "dta"
    assert raw.data["sexe"].dtype == "float64" and raw.data["sexe"].isna().tolist() == [False, False, True]
    assert raw.value_labels["sexe"] == {1: "Femme", 2: "Homme"}


def test_parquet(tmp_path):
    """Parquet keeps its native types."""
    path = tmp_path / "p.parquet"
    pd.DataFrame({"id": ["a", "b"], "age": [30, 40]}).to_parquet(path)
    raw = read_raw(path)
    assert (raw.format, raw.n_rows, raw.data["age"].tolist()) == ("parquet", 2, [30, 40])


def test_dataframe_is_copied(tmp_path):
    """A DataFrame source is copied, so the caller's frame is never modified."""
    frame = pd.DataFrame({"a": [1, 2]})
    raw = read_raw(frame)
    raw.data.loc[0, "a"] = 99
    assert frame["a"].tolist() == [1, 2] and raw.format == "dataframe"


# --- survey tools -----------------------------------------------------------------------

LIMESURVEY = (
    '"id";"submitdate";"lastpage";"startlanguage";"seed";"token";"ipaddr";"Q1[SQ001]";"Q2"\n'
    '"1";"2016-03-01 10:22:00";"3";"fr";"123";"tok1";"10.0.0.1";"Y";"4"\n'
    '"2";"";"1";"fr";"456";"tok2";"10.0.0.2";"";""\n'
    '"3";"2016-03-02 11:00:00";"3";"fr";"789";"tok3";"10.0.0.3";"";"5"\n'
)


def test_limesurvey_unsubmitted_rows_are_excluded(tmp_path):
    """A LimeSurvey row with an empty submitdate is set aside with its reason."""
    raw = read_raw(write(tmp_path / "ls.csv", LIMESURVEY, newline="\r\n"))
    assert raw.format == "limesurvey"
    assert (raw.n_rows, raw.rows.tolist()) == (3, [1, 3])
    assert raw.excluded.to_dict("list") == {"row": [2], "reason": ["unsubmitted response (empty submitdate)"]}


def test_limesurvey_system_and_personal_columns_dropped(tmp_path):
    """System columns and token/ipaddr are dropped; id, submitdate and Q1[SQ001] stay."""
    raw = read_raw(write(tmp_path / "ls.csv", LIMESURVEY))
    assert list(raw.data.columns) == ["id", "submitdate", "Q1[SQ001]", "Q2"]
    assert any("token" in n and "ipaddr" in n for n in raw.notes)


QUALTRICS = (
    "StartDate,EndDate,Status,IPAddress,Finished,ResponseId,RecipientEmail,Q1\n"
    "Start Date,End Date,Response Type,IP Address,Finished,Response ID,Email,How satisfied?\n"
    '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}",'
    '"{""ImportId"":""ipAddress""}","{""ImportId"":""finished""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}"\n'
    "2017-07-18 08:28:09,2017-07-18 08:28:48,0,1.2.3.4,1,R_1,a@b.fr,4\n"
    "2017-07-18 09:00:00,2017-07-18 09:01:00,1,1.2.3.5,1,R_2,,5\n"
    "2017-07-18 10:00:00,2017-07-18 10:01:00,0,1.2.3.6,0,R_3,,\n"
    "2017-07-18 11:00:00,2017-07-18 11:01:00,0,1.2.3.7,1,R_4,,2\n"
)


def test_qualtrics_three_header_rows_consumed(tmp_path):
    """The Qualtrics label and ImportId rows are headers; the first data row is row 1."""
    raw = read_raw(write(tmp_path / "qx.csv", QUALTRICS))
    assert raw.format == "qualtrics" and raw.n_rows == 4
    assert raw.data["ResponseId"].tolist() == ["R_1", "R_4"]
    assert raw.rows.tolist() == [1, 4]


def test_qualtrics_preview_and_unfinished_excluded(tmp_path):
    """Preview (Status 1) and unfinished (Finished 0) responses are set aside."""
    raw = read_raw(write(tmp_path / "qx.csv", QUALTRICS))
    assert raw.excluded["row"].tolist() == [2, 3]
    assert raw.excluded["reason"].str.contains("preview").tolist() == [True, False]


def test_qualtrics_personal_columns_dropped(tmp_path):
    """IP address and recipient e-mail never reach the table."""
    raw = read_raw(write(tmp_path / "qx.csv", QUALTRICS))
    assert "IPAddress" not in raw.data.columns and "RecipientEmail" not in raw.data.columns
    assert not raw.data.isin(["a@b.fr", "1.2.3.4"]).any().any()


def test_qualtrics_system_columns_dropped(tmp_path):
    """Qualtrics' StartDate/EndDate (the response's, not the telework's) are dropped, so
    they cannot be taken for telework_start/telework_end by their 'Start date' alias."""
    raw = read_raw(write(tmp_path / "qx.csv", QUALTRICS))
    assert "StartDate" not in raw.data.columns and "EndDate" not in raw.data.columns
    assert any("StartDate" in n and "EndDate" in n for n in raw.notes)
    survey = read(tmp_path / "qx.csv", kind="agent")
    assert "telework_start" not in survey.data and "telework_end" not in survey.data


def test_google_forms_timestamp_noted(tmp_path):
    """A French Google Forms export keeps its Horodateur column and is noted."""
    raw = read_raw(write(tmp_path / "g.csv", "Horodateur,Votre âge\n29/07/2026 09:00:00,34\n"))
    assert raw.format == "googleforms" and list(raw.data.columns) == ["Horodateur", "Votre âge"]


def test_surveymonkey_two_header_rows_combined(tmp_path):
    """SurveyMonkey question/option rows become unique 'Question - Option' names."""
    text = ("Respondent ID,IP Address,Which films?,,Favourite?\n"
            ",,Episode I,Episode II,Response\n"
            "1,1.2.3.4,Episode I,,Episode II\n")
    raw = read_raw(write(tmp_path / "sm.csv", text))
    assert list(raw.data.columns) == ["Respondent ID", "Which films? - Episode I",
                                      "Which films? - Episode II", "Favourite?"]
    assert raw.n_rows == 1


def test_kobo_hxl_row_consumed_and_meta_dropped(tmp_path):
    """A Kobo HXL hashtag row is a header row; meta columns are dropped."""
    text = ('"age";"_id";"_uuid";"_submission_time";"_index"\n'
            '"#age";"";"";"";""\n'
            '"34";"1";"u-1";"2017-10-23T09:41:19";"1"\n')
    raw = read_raw(write(tmp_path / "kobo.csv", text))
    assert raw.format == "kobo" and raw.n_rows == 1
    assert list(raw.data.columns) == ["age", "_id"]


# --- whole-file errors ------------------------------------------------------------------

def test_missing_file(tmp_path):
    """A missing file raises SurveyError naming it."""
    with pytest.raises(SurveyError, match="nothere.csv: no such file"):
        read_raw(tmp_path / "nothere.csv")


def test_directory(tmp_path):
    """A directory raises SurveyError naming it."""
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(SurveyError, match="folder.csv: is a directory"):
        read_raw(tmp_path / "folder.csv")


def test_zero_byte_file(tmp_path):
    """A 0-byte file raises SurveyError naming it."""
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SurveyError, match="empty.csv: the file is empty"):
        read_raw(tmp_path / "empty.csv")


def test_blank_file_has_no_header(tmp_path):
    """A file of blank lines raises SurveyError (no header row)."""
    with pytest.raises(SurveyError, match="blank.csv: the file is empty"):
        read_raw(write(tmp_path / "blank.csv", "\n\n  \n"))


def test_png_renamed_csv(tmp_path):
    """A PNG renamed .csv raises SurveyError saying what it is."""
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SurveyError, match="photo.csv: this is a PNG image"):
        read_raw(tmp_path / "photo.csv")


def test_unsupported_extension_lists_supported(tmp_path):
    """An unknown extension raises SurveyError listing the supported ones."""
    (tmp_path / "data.json").write_text("{}")
    supported = r"\.csv.*\.xlsx.*\.sav.*\.dta.*\.parquet"
    with pytest.raises(SurveyError, match=rf"data.json: unsupported .*'.json'.*{supported}"):
        read_raw(tmp_path / "data.json")


def test_corrupt_xlsx(tmp_path):
    """A text file renamed .xlsx raises SurveyError naming it."""
    write(tmp_path / "fake.xlsx", "a,b\n1,2\n")
    with pytest.raises(SurveyError, match="fake.xlsx: not a readable .xlsx"):
        read_raw(tmp_path / "fake.xlsx")


def test_corrupt_sav(tmp_path):
    """A text file renamed .sav raises SurveyError naming it."""
    write(tmp_path / "fake.sav", "a,b\n1,2\n")
    with pytest.raises(SurveyError, match="fake.sav: not a readable .sav"):
        read_raw(tmp_path / "fake.sav")


def test_strings_option_checked(tmp_path):
    """An unknown strings= option is refused with the allowed values."""
    with pytest.raises(SurveyError, match="'object', 'arrow'"):
        read_raw(write(tmp_path / "a.csv", "a\n1\n"), strings="numpy")


# --- the two routes agree ---------------------------------------------------------------

QUOTED = (
    'id;comment;x;y;z;w\n'
    '1;"two\nlines";"say ""hi""";a"b;"";""\n'
    '2;"semi;colon";;"";"é";"\n\nblank lines inside"\n'
)


@pytest.mark.parametrize("text", [FRENCH + "A3;Femme;;Finances;0,5;01/01/2017\n", QUOTED],
                         ids=["plain", "quoted"])
def test_fast_and_exact_routes_agree(text):
    """The pyarrow route and the Python csv route give the same table."""
    source = TextSource(text.encode("utf-8"), "x.csv")
    fast = source.body(1, 6)
    exact = source._exact(source.text[source._offset(1):].rstrip("\r\n"), 6)
    assert fast.route == "fast" and exact.route == "exact"
    pd.testing.assert_frame_equal(fast.data, exact.data)


def test_arrow_strings_hold_the_same_values(tmp_path):
    """strings='arrow' gives string[pyarrow] columns with the same values."""
    path = write(tmp_path / "agents.csv", FRENCH + "A3;;40;;;\n", "cp1252")
    obj, arrow = read_raw(path), read_raw(path, strings="arrow")
    assert str(arrow.data["Sexe"].dtype) == "string"
    assert arrow.data.astype(object).where(arrow.data.notna(), None).equals(obj.data)


# --- parsing helpers --------------------------------------------------------------------

def test_parse_numbers_french_forms():
    """Decimal commas and NBSP / narrow-NBSP / space thousands separators parse."""
    values, bad = parse_numbers(pd.Series(["3,5", "1\u00a0234,5", "1\u202f234", "1 234", "12", "x", None]))
    np.testing.assert_array_equal(values[:5], [3.5, 1234.5, 1234.0, 1234.0, 12.0])
    assert bad.tolist() == [False] * 5 + [True, False]


def test_parse_dates_day_first_and_iso():
    """dd/mm/yyyy (day first), ISO with Z, and Google's pm CET form parse."""
    values, bad = parse_dates(pd.Series(["01/03/2016", "01/03/2016 10:22", "2016-03-01T10:22:00Z",
                                         "2023/11/13 4:20:37 pm CET", "13/13/2016"]))
    assert values[:4].tolist() == [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-03-01 10:22"),
                                   pd.Timestamp("2016-03-01 10:22"), pd.Timestamp("2023-11-13 16:20:37")]
    assert bad.tolist() == [False, False, False, False, True]


def test_parse_dates_excel_serial():
    """Excel serial day numbers become dates."""
    values, _ = parse_dates(pd.Series([42430.0, 42430.5]))
    assert values.tolist() == [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-03-01 12:00")]


# --- accounting property ----------------------------------------------------------------

_cell = st.text(alphabet="abcXYZ019,;\" é", max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(st.just(None), st.lists(_cell, min_size=3, max_size=3)),
                     min_size=0, max_size=12),
       delimiter=st.sampled_from([",", ";"]))
def test_every_row_is_accounted_for(tmp_path, rows, delimiter):
    """Kept + excluded rows = data rows, and row numbers are 1..n_rows without duplicates."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    for row in rows:
        if row is None:
            out.write("\n")
        else:
            writer.writerow(row)
    path = tmp_path / "prop.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    raw = read_raw(path)
    numbers = sorted(raw.rows.tolist() + raw.excluded["row"].tolist())
    while rows and rows[-1] is None:  # trailing blank lines are not rows
        rows = rows[:-1]
    assert raw.n_rows == len(rows)
    assert len(raw.data) + len(raw.excluded) == raw.n_rows
    assert numbers == list(range(1, raw.n_rows + 1))


# --- big files: only the head is decoded in Python -----------------------------------------

def test_big_file_with_cp1252_far_down_falls_back(tmp_path):
    """A >2 MB file whose first non-UTF-8 byte is near the end is still decoded as cp1252."""
    body = "".join(f"A{i};Caen;{i % 90},5\n" for i in range(200_000))
    raw = read_raw(write(tmp_path / "big.csv", "id;ville;km\n" + body + "Z;Hérouville;1,5\n", "cp1252"))
    assert raw.n_rows == 200_001
    assert raw.data["ville"].iloc[-1] == "Hérouville"
    assert any("cp1252" in n for n in raw.notes)


def test_big_utf8_file_with_accents_everywhere(tmp_path):
    """A >2 MB UTF-8 file with accents on every line keeps them, with no encoding note."""
    body = "".join(f"A{i};Évreux;é{i}\n" for i in range(200_000))
    raw = read_raw(write(tmp_path / "big.csv", "id;ville;x\n" + body))
    assert raw.n_rows == 200_000
    assert raw.data["x"].iloc[-1] == "é199999" and raw.data["ville"].iloc[0] == "Évreux"
    assert not any("cp1252" in n for n in raw.notes)


def test_malformed_cell_in_dropped_personal_column_is_not_reported(tmp_path):
    """A malformed cell in a dropped column (ipaddr) does not leak its value into problems."""
    text = ('"id","submitdate","lastpage","ipaddr","Q1"\n'
            '"1","2016-03-01","2","10.0.0."1"","ok"\n')
    raw = read_raw(write(tmp_path / "ls.csv", text))
    assert "ipaddr" not in raw.data.columns
    assert raw.problems == []
