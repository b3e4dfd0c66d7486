"""surveys._spreadsheet: calamine reads a sheet and gives exactly what openpyxl gave.

The reference is ``_openpyxl_rows``, the openpyxl reader this module replaced (kept as
the fallback). Most tests also forbid the fallback, to prove calamine did the reading.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import surveys
from surveys import _readers
from surveys import _spreadsheet as sp
from surveys.demo import demo
from surveys.errors import SurveyError

REALDATA_SHEETS = [
    ("googleforms/googleforms_GoogleDemoForm_Responses.xlsx", None),
    ("kobo_odk/kobo_xlsform_aH9W426ag7puvCtFiSUgSz.xlsx", "survey"),
    ("kobo_odk/kobo_export_Quest_Test_-_latest_version_-_False_-_2024-03-19-11-27-50.xlsx", 0),
    ("kobo_odk/kobo_export_Quest_Test_-_latest_version_-_False_-_2024-03-19-11-27-50.xlsx",
     "character_selection"),
    ("kobo_odk/kobo_export_Quest_Test_-_latest_version_-_False_-_2024-03-19-11-27-50.xlsx",
     "character_tasks"),
]
#: Number formats whose reading (date, duration, number) the two readers may disagree on.
FORMATS = ["dd/mm/yyyy", "yyyy-mm-dd hh:mm:ss", "h:mm AM/PM", "[h]:mm:ss", "[mm]:ss", "mm:ss.0",
           "0.00", "General", "@", "0%", "[Red]0.00", '0.0 "d"', "#,##0 \\j\\o\\u\\r\\s", "0_d",
           '"Y: "0.00"m";@', "[$-404]e", "B2yyyy", "am", "a", "#,##0*y", '0"x"*d', "*-yyyy-mm-dd",
           "[hhh]:mm", "[h]:mm;[=0]\\-", "[>=100][Magenta][s].00", "[$€-2]\\ #,##0.00",
           "[DBNum1]General", '"a"_m', "ha/p\\\\m"]


def _book(path: Path, rows: list[list], *, sheet: str = "Data", formats: dict | None = None,
          before: tuple[str, ...] = (), epoch=None) -> Path:
    """Write ``rows`` into sheet ``sheet`` (after empty sheets ``before``) with openpyxl."""
    book = openpyxl.Workbook()
    book.active.title = before[0] if before else sheet
    for name in before[1:] + ((sheet,) if before else ()):
        book.create_sheet(name)
    if epoch is not None:
        book.epoch = epoch
    ws = book[sheet]
    for row in rows:
        ws.append(row)
    for ref, code in (formats or {}).items():
        ws[ref].number_format = code
    book.save(path)
    return path


def _raw_book(path: Path, cells: str) -> Path:
    """A workbook whose one sheet has exactly the ``<sheetData>`` XML ``cells`` (style 1 is
    a date format), for what openpyxl cannot write: cached formula results, error cells."""
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active["A1"].number_format = "dd/mm/yyyy"
    book.save(path.with_suffix(".tmp"))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r"<sheetData>.*</sheetData>|<sheetData\s*/>", f"<sheetData>{cells}</sheetData>",
                   sheet, flags=re.S)
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<dimension[^>]*/>", "", sheet).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


def _reference(path: Path, sheet=None) -> tuple[list[tuple], str]:
    """What the openpyxl reader gives."""
    return sp._openpyxl_rows(path, sheet)


def _grid(rows: list[tuple]) -> list[list]:
    """Rows as the XLSX reader uses them: blanks None, trailing blank rows and columns cut."""
    def blank(v):
        return v is None or (isinstance(v, str) and not v.strip())
    rows = [list(r) for r in rows]
    while rows and all(blank(v) for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if not blank(v)), default=0) for r in rows),
                default=0)
    return [[None if blank(v) else v for v in r[:width] + [None] * (width - len(r[:width]))]
            for r in rows]


def _typed(grid: list[list]) -> list[list]:
    """Each value with its type, so that 3 and 3.0 or a date and a datetime differ."""
    return [[(type(v).__name__, v) for v in row] for row in grid]


@pytest.fixture
def fast(monkeypatch):
    """read_sheet with the openpyxl fallback forbidden: calamine must do the reading."""
    reference = sp._openpyxl_rows

    def forbidden(path, sheet):
        raise AssertionError(f"{path}: fell back to openpyxl")

    monkeypatch.setattr(sp, "_openpyxl_rows", forbidden)

    def read(path: Path, sheet=None) -> list[list]:
        rows, name = sp.read_sheet(path, sheet)
        expected, expected_name = reference(path, sheet)
        assert name == expected_name
        assert _typed(_grid(rows)) == _typed(_grid(expected))
        return _grid(rows)
    return read


def _same_with_fallback(path: Path, sheet=None) -> list[list]:
    """read_sheet (whichever reader it chose) equals openpyxl, types included."""
    rows, name = sp.read_sheet(path, sheet)
    expected, expected_name = _reference(path, sheet)
    assert name == expected_name
    assert _typed(_grid(rows)) == _typed(_grid(expected))
    return _grid(rows)


def _calamine_reading(code: str, tmp_path: Path) -> str:
    """How the installed calamine reads a number under format ``code``."""
    path = _book(tmp_path / "f.xlsx", [[40000.25]], formats={"A1": code})
    value = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data") \
        .to_python()[0][0]
    return {dt.timedelta: "duration", float: "number"}.get(type(value), "date")


def test_real_dates_are_datetimes(tmp_path, fast):
    """Date-formatted cells give datetime.datetime, even for a whole day, as openpyxl does."""
    path = _book(tmp_path / "d.xlsx", [["when"], [dt.date(2015, 9, 5)],
                                       [dt.datetime(2016, 1, 2, 13, 45, 10)]])
    grid = fast(path)
    assert grid[1:] == [[dt.datetime(2015, 9, 5)], [dt.datetime(2016, 1, 2, 13, 45, 10)]]


def test_dates_as_text_stay_text(tmp_path, fast):
    """Dates typed as text stay the same strings."""
    path = _book(tmp_path / "d.xlsx", [["when"], ["05/09/2015"], ["2015-09-05 10:00"]])
    assert fast(path)[1:] == [["05/09/2015"], ["2015-09-05 10:00"]]


def test_numbers_as_text_stay_text(tmp_path, fast):
    """Numbers stored as text keep their text (leading zeros, decimal comma)."""
    path = _book(tmp_path / "n.xlsx", [["code", "km"], ["01234", "12,5"], ["12", "3"]])
    assert fast(path)[1:] == [["01234", "12,5"], ["12", "3"]]


def test_whole_numbers_are_ints(tmp_path, fast):
    """Whole numbers are int and the others float, as openpyxl gives them."""
    path = _book(tmp_path / "n.xlsx", [["n"], [3], [2.5], [-0.0], [44306184100047], [1e17]])
    grid = fast(path)
    assert [type(row[0]) for row in grid[1:]] == [int, float, int, int, float]


def test_empty_rows_and_columns_keep_their_place(tmp_path, fast):
    """A table starting at C3 with an empty row inside keeps every row and column in place."""
    book = openpyxl.Workbook()
    ws = book.active
    ws["C3"], ws["D3"], ws["C4"], ws["D6"] = "id", "age", "a", 31
    book.save(tmp_path / "e.xlsx")
    grid = fast(tmp_path / "e.xlsx")
    assert len(grid) == 6 and grid[2] == [None, None, "id", "age"] and grid[4] == [None] * 4


def test_merged_header_keeps_value_in_first_cell(tmp_path, fast):
    """A merged header cell holds its value in its first cell only."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Satisfaction", None, None, "Age"])
    ws.append(["globale", "encadrant", "équipement", None])
    ws.append([4, 5, 3, 31])
    ws.merge_cells("A1:C1")
    ws.merge_cells("D1:D2")
    book.save(tmp_path / "m.xlsx")
    assert fast(tmp_path / "m.xlsx")[0] == ["Satisfaction", None, None, "Age"]


def test_blank_header_cells_are_none(tmp_path, fast):
    """Empty and blank-text header cells both come out as None."""
    path = _book(tmp_path / "h.xlsx", [["a", None, "  ", "d"], [1, 2, 3, 4]])
    assert fast(path)[0] == ["a", None, None, "d"]


def test_named_sheet_among_several(tmp_path, fast):
    """The sheet named is read, not the first one."""
    path = _book(tmp_path / "s.xlsx", [["x"], [1]], sheet="Entreprises", before=("Notes", "Autre"))
    assert fast(path, "Entreprises") == [["x"], [1]]


def test_sheet_by_position(tmp_path, fast):
    """A 0-based position picks the sheet."""
    path = _book(tmp_path / "s.xlsx", [["x"], [1]], sheet="Entreprises", before=("Notes",))
    assert fast(path, 1) == [["x"], [1]]


def test_missing_sheet_names_file_and_sheets(tmp_path):
    """A missing sheet raises the openpyxl reader's message: the file, the sheet, the sheets."""
    path = _book(tmp_path / "s.xlsx", [["x"]], sheet="Entreprises", before=("Notes",))
    with pytest.raises(SurveyError) as new:
        sp.read_sheet(path, "Companies")
    with pytest.raises(SurveyError) as old:
        _reference(path, "Companies")
    assert str(new.value) == str(old.value)
    assert str(path) in str(new.value) and "'Companies'" in str(new.value)
    assert "'Notes', 'Entreprises'" in str(new.value)


def test_formulas_give_cached_values(tmp_path, fast):
    """Formulas give their cached number, text or boolean; none cached gives None."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>f</t></is></c></row>'
             '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f>'
             '<v>ab</v></c><c r="C2" t="b"><f>TRUE()</f><v>1</v></c><c r="D2"><f>A2*2</f></c>'
             '<c r="E2"><f>1/3</f><v>0.33333333333333331</v></c></row>')
    grid = fast(_raw_book(tmp_path / "f.xlsx", cells))
    assert grid[1] == [2, "ab", True, None, 1 / 3]


def test_booleans(tmp_path, fast):
    """Boolean cells give bool."""
    path = _book(tmp_path / "b.xlsx", [["ok"], [True], [False], [None], [True]])
    assert fast(path)[1:] == [[True], [False], [None], [True]]


def test_very_long_text(tmp_path, fast):
    """A comment of 32,767 characters (Excel's maximum) with line breaks comes out whole."""
    text = ("Très long commentaire ; « guillemets » & <balises>\n" * 700)[:32_767]
    path = _book(tmp_path / "t.xlsx", [["comment"], [text]])
    assert fast(path)[1] == [text]


def test_leading_apostrophe(tmp_path, fast):
    """Excel's quote prefix is not part of the text; a typed apostrophe is kept."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["code", "note"])
    ws.append(["00123", "'lead"])
    ws["A2"].quotePrefix = True
    book.save(tmp_path / "q.xlsx")
    assert fast(tmp_path / "q.xlsx")[1] == ["00123", "'lead"]


def test_error_cells_keep_their_code(tmp_path, fast):
    """Error cells give openpyxl's strings (#N/A, #DIV/0!), not empty cells."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             '<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
             '<c r="C2" t="e"/><c r="D2" t="inlineStr"><is><t>t="e"</t></is></c>'
             '<c t="e" s="0" r="E2"><v>#REF!</v></c></row>')
    assert fast(_raw_book(tmp_path / "e.xlsx", cells))[1] == [
        "#N/A", "#DIV/0!", None, 't="e"', "#REF!"]


def test_iso_date_cells(tmp_path, fast):
    """ISO-dated cells (t="d") give what openpyxl gives: a date, or a datetime."""
    cells = ('<row r="1"><c r="A1" t="d"><v>2015-03-04</v></c>'
             '<c r="B1" t="d"><v>2015-03-04T05:06:07</v></c></row>')
    assert fast(_raw_book(tmp_path / "d.xlsx", cells)) == [
        [dt.date(2015, 3, 4), dt.datetime(2015, 3, 4, 5, 6, 7)]]


def test_1900_leap_year_serials(tmp_path, fast):
    """Serials around Excel's phantom 1900-02-29 read as openpyxl reads them."""
    serials = [1, 2, 59, 59.5, 60, 60.5, 61]
    path = _book(tmp_path / "l.xlsx", [[v] for v in serials],
                 formats={f"A{i}": "yyyy-mm-dd hh:mm" for i in range(1, 8)})
    grid = fast(path)
    assert grid[0] == [dt.datetime(1900, 1, 1)] and grid[-1] == [dt.datetime(1900, 3, 1)]


def test_1904_date_system(tmp_path, fast):
    """A workbook in the 1904 date system reads as openpyxl reads it."""
    path = _book(tmp_path / "m.xlsx", [[0], [1], [40000.75], [-1]], epoch=CALENDAR_MAC_1904,
                 formats={f"A{i}": "yyyy-mm-dd hh:mm" for i in range(1, 5)})
    assert fast(path)[2] == [dt.datetime(2013, 7, 7, 18, 0)]


def test_dates_out_of_calamine_range(tmp_path, fast):
    """Negative serials, serials past 9999 and times rounding to 24:00 read as openpyxl."""
    serials = [-1, -0.5, 2958466, 1e7, 0.9999999999, 0.5]
    path = _book(tmp_path / "o.xlsx", [[v] for v in serials],
                 formats={f"A{i}": "dd/mm/yyyy hh:mm:ss" for i in range(1, 7)})
    grid = fast(path)
    assert grid[2] == ["#VALUE!"] and grid[1] == [dt.datetime(1899, 12, 29, 12, 0)]


def test_negative_numbers_are_not_dates(tmp_path, fast):
    """Negative plain numbers beside date columns stay numbers."""
    path = _book(tmp_path / "n.xlsx", [["d", "x"], [dt.date(2015, 1, 1), -3], [None, -2.5]])
    assert fast(path)[1:] == [[dt.datetime(2015, 1, 1), -3], [None, -2.5]]


def test_times_and_durations(tmp_path, fast):
    """Times of day give datetime.time and [h]:mm durations datetime.timedelta."""
    path = _book(tmp_path / "t.xlsx", [[0.5, 1.75], [0.25, 30.5]],
                 formats={"A1": "hh:mm", "A2": "hh:mm:ss", "B1": "[h]:mm", "B2": "[h]:mm:ss"})
    assert fast(path) == [[dt.time(12, 0), dt.timedelta(days=1.75)],
                          [dt.time(6, 0), dt.timedelta(days=30.5)]]


def test_whole_second_and_millisecond_datetimes(tmp_path, rng, fast):
    """5,000 date-times in whole seconds or milliseconds read exactly as openpyxl reads them."""
    days = rng.integers(1, 80_000, size=5_000).astype(float)
    seconds = days + rng.integers(0, 86_400, size=5_000) / 86_400
    millis = days + rng.integers(0, 86_400_000, size=5_000) / 86_400_000
    rows = [[float(s), float(m)] for s, m in zip(seconds, millis)]
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows():
        for cell in cells:
            cell.number_format = "yyyy-mm-dd hh:mm:ss.000"
    book.save(path)
    assert len(fast(path)) == 5_000


def test_escaped_characters_read_by_openpyxl(tmp_path):
    """Text with _x000D_ escapes (kept as written by openpyxl) is read by openpyxl."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>ligne 1_x000D_\nligne 2</t></is></c></row>')
    path = _raw_book(tmp_path / "x.xlsx", cells)
    assert sp._inspect(path, "Data") is None
    assert _same_with_fallback(path) == [["ligne 1_x000D_\nligne 2"]]


@pytest.mark.parametrize("written, value", [("1.0", 1.0), ("1E3", 1000.0),
                                            ("12345678901234567", 12345678901234567)])
def test_numbers_openpyxl_types_otherwise(tmp_path, written, value):
    """Numbers written 1.0, 1E3 or with 17 digits keep openpyxl's type and exact value."""
    path = _raw_book(tmp_path / "n.xlsx", f'<row r="1"><c r="A1"><v>{written}</v></c></row>')
    assert sp._inspect(path, "Data") is None
    grid = _same_with_fallback(path)
    assert grid == [[value]] and type(grid[0][0]) is type(value)


def test_disputed_format_read_by_openpyxl(tmp_path):
    """A format openpyxl calls a date but calamine a number is read by openpyxl."""
    path = _book(tmp_path / "f.xlsx", [[40000]], formats={"A1": "#,##0*y"})
    assert _same_with_fallback(path) == [[dt.datetime(2009, 7, 6)]]


def test_calamine_kind_matches_calamine(tmp_path):
    """The copy of calamine's format test agrees with the installed calamine."""
    assert {c: sp._calamine_kind(c) for c in FORMATS} == {
        c: _calamine_reading(c, tmp_path) for c in FORMATS}


def test_openpyxl_kind_matches_openpyxl():
    """The copy of openpyxl's format tests agrees with openpyxl."""
    def theirs(code):
        if not is_date_format(code):
            return "number"
        return "duration" if is_timedelta_format(code) else "date"
    codes = FORMATS + list(BUILTIN_FORMATS.values())
    assert {c: sp._openpyxl_kind(c) for c in codes} == {c: theirs(c) for c in codes}


def test_builtin_formats_read_alike():
    """openpyxl's built-in formats are dates or durations exactly where calamine's are."""
    assert {i: sp._openpyxl_kind(code) for i, code in BUILTIN_FORMATS.items()
            if sp._openpyxl_kind(code) != "number"} == sp._BUILTIN_KINDS


@pytest.mark.parametrize("content", [b"id;age\n1;31\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)])
def test_unreadable_workbook_message(tmp_path, content):
    """A text file or an encrypted (OLE) file named .xlsx gives openpyxl's clear message."""
    path = tmp_path / "faux.xlsx"
    path.write_bytes(content)
    with pytest.raises(SurveyError, match=r"faux\.xlsx: not a readable \.xlsx workbook"):
        sp.read_sheet(path, None)


def test_empty_sheet_message(tmp_path):
    """An empty sheet still says which sheet is empty."""
    path = _book(tmp_path / "v.xlsx", [], sheet="Vide")
    with pytest.raises(SurveyError, match=r"sheet 'Vide' is empty"):
        _readers.read_raw(path)


@pytest.fixture(scope="module")
def demo_pilot(tmp_path_factory) -> Path:
    """The demo pilot at 20 times its size (540 companies in the XLSX source)."""
    return demo(tmp_path_factory.mktemp("demo"), scale=20)


def _assert_same_survey(new, old) -> None:
    """Two Surveys with the same data, dtypes, problems, excluded rows and notes."""
    pd.testing.assert_frame_equal(new.data, old.data, check_exact=True)
    pd.testing.assert_frame_equal(new.excluded, old.excluded, check_exact=True)
    assert list(new.data.dtypes) == list(old.data.dtypes)
    assert new.notes == old.notes
    if isinstance(new.problems, pd.DataFrame):
        pd.testing.assert_frame_equal(new.problems, old.problems, check_exact=True)
    else:
        assert new.problems == old.problems


def test_demo_companies_read_identically(demo_pilot, monkeypatch):
    """surveys.read gives the same Survey for the demo companies with either reader."""
    new = surveys.read_pilot(demo_pilot).read("companies")
    monkeypatch.setattr(_readers, "read_sheet", sp._openpyxl_rows)
    old = surveys.read_pilot(demo_pilot).read("companies")
    assert len(new) == 540
    _assert_same_survey(new, old)


@pytest.mark.parametrize("name, sheet", REALDATA_SHEETS)
def test_realdata_sheets_read_identically(realdata, fast, name, sheet):
    """Each sheet of the real Kobo and Google Forms exports reads as openpyxl reads it."""
    assert fast(realdata / name, sheet)


@pytest.mark.parametrize("name, sheet", REALDATA_SHEETS)
def test_realdata_raw_tables_identical(realdata, monkeypatch, name, sheet):
    """read_raw gives the same table, notes and format for each real export sheet."""
    new = _readers.read_raw(realdata / name, sheet=sheet)
    monkeypatch.setattr(_readers, "read_sheet", sp._openpyxl_rows)
    old = _readers.read_raw(realdata / name, sheet=sheet)
    pd.testing.assert_frame_equal(new.data, old.data, check_exact=True)
    assert (new.notes, new.problems, new.format) == (old.notes, old.problems, old.format)
