"""Read one sheet of an ``.xlsx``/``.xlsm`` workbook into rows of Python values, fast.

:func:`read_sheet` reads with calamine (python-calamine, a Rust reader: 26 MB sheet of
37,800 x 15 cells in 0.6 s against 2.8 s for openpyxl) and gives each cell the value
openpyxl (``read_only=True, data_only=True``) gives, so that everything downstream
sees the same rows:

* empty cells are None (calamine gives ``""``);
* whole numbers are ``int`` (calamine gives every number as ``float``);
* date-formatted cells are ``datetime.datetime`` (calamine gives ``datetime.date``
  for a whole day), times of day ``datetime.time``, durations ``datetime.timedelta``;
* formulas give their cached value, booleans ``bool``, text ``str``.

A scan of the sheet's XML (:func:`_inspect`, about 0.1 s on that sheet) finds the
cells calamine reads otherwise and puts openpyxl's values in their place: error cells
(``#N/A``), ISO-dated cells, date-formatted numbers out of calamine's range. Sheets
with rarer differences (``_xHHHH_`` escapes, numbers written ``1.0``, a number format
the two readers classify differently) are read by openpyxl, as is a workbook calamine
cannot open (the error message is then openpyxl's, as before).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import unescape

import numpy as np

from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["read_sheet"]

#: A cell typed error (``#N/A``: calamine gives "") or ISO date (``t="d"``).
_TYPED_CELL = re.compile(rb"""t=(?:"[ed]"|'[ed]')""")
#: An ``_xHHHH_`` escape: calamine decodes it, openpyxl keeps the text as written.
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
#: The start of a cell's tag, a cell reference (``r="AB12"``) and a cell's value.
_CELL_START = re.compile(rb"<c\s")
_CELL_REF = re.compile(rb"""\sr=["']([A-Z]{1,3})(\d+)["']""")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
#: Numbers to look at: openpyxl may type them otherwise (``1.0``, ``1E3``: float; 16
#: digits or more: exact int) or, date-formatted, calamine may read them otherwise
#: (negative, 7 digits or more, a time rounding up to 24:00).
_SUSPECT = re.compile(rb"<v>([-+][^<]*|\d*\.0*|[\d.]*[eE][^<]*|\d{7,}[^<]*|\d*\.99999999[^<]*)</v>")
#: A cell's style index, and a cell type other than number.
_STYLE = re.compile(rb"""\ss=["'](\d+)["']""")
_TEXT_TYPE = re.compile(rb"""\st=["'](?!n["'])""")
#: Day serials openpyxl reads as dates (to 9999-12-31), milliseconds in a day.
_LAST_DAY = 2958466
_MS_PER_DAY = 86_400_000
#: How both readers take the built-in number formats (ids below 164) that are not numbers.
_BUILTIN_KINDS = {**{i: "date" for i in (*range(14, 23), 45, 47)}, 46: "duration"}
#: Whole numbers below this are ints: Excel and openpyxl write them without ".0" or
#: an exponent, and openpyxl reads them as int.
_INT_LIMIT = 1e16
#: openpyxl's tests for date and duration number formats (``openpyxl.styles.numbers``),
#: copied to keep openpyxl's import (0.1 s) off the fast path; tests check they agree.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_TOKEN = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def read_sheet(path: Path, sheet: str | int | None) -> tuple[list[tuple], str]:
    """All rows of one sheet as tuples of cell values, and the sheet's name.

    Parameters
    ----------
    path : Path
        An ``.xlsx`` or ``.xlsm`` workbook.
    sheet : str, int or None
        Sheet name, 0-based position, or None for the first sheet.

    Returns
    -------
    rows : list of tuple
        One tuple per row from row 1 (empty rows included), values from column A:
        None, ``str``, ``int``, ``float``, ``bool``, ``datetime.datetime``,
        ``datetime.time`` or ``datetime.timedelta``, as openpyxl gives them.
    name : str
        The name of the sheet read.

    Raises
    ------
    SurveyError
        An unreadable workbook, or no such sheet (the message names the file and lists
        the sheets).

    Notes
    -----
    Checked cell by cell against openpyxl 3.1 (the reader this replaced, kept as
    ``_openpyxl_rows``) in ``tests/surveys/test_spreadsheet.py``. One difference
    remains: a date-time or duration whose day fraction lies within float error of
    half a millisecond may come out 1 ms apart (calamine and openpyxl round it
    differently). Typed or computed in whole seconds or milliseconds, as Excel stores
    them, no value differs (tested on 10,000).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> book = openpyxl.Workbook()
    >>> book.active.append(["age", 31, 2.5, None, "x"])
    >>> path = Path(tempfile.mkdtemp()) / "s.xlsx"
    >>> book.save(path)
    >>> read_sheet(path, None)
    ([('age', 31, 2.5, None, 'x')], 'Sheet')
    """
    try:
        import python_calamine
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # not installed, or a workbook calamine cannot open
        return _openpyxl_rows(path, sheet)
    with book:
        chosen = _choose_sheet(path, list(book.sheet_names), sheet)
        # the XML scan runs while calamine parses the sheet (its parse releases the GIL)
        with ThreadPoolExecutor(max_workers=1) as pool:
            inspected = pool.submit(_inspect, path, chosen)
            try:
                values = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
            except Exception:  # a sheet calamine cannot parse: openpyxl says what is wrong
                values = None
            except BaseException as err:  # a panic of the Rust reader, an interrupt
                # a sheet the scan sends to openpyxl was never given to calamine before
                if isinstance(err, (KeyboardInterrupt, SystemExit)) or (
                        inspected.result() is not None):
                    raise
                values = None
            typed = inspected.result()
        if typed is None or values is None:
            return _openpyxl_rows(path, sheet)
    rows = _as_openpyxl(values)
    if not _patch(rows, typed):
        return _openpyxl_rows(path, sheet)
    return rows, chosen


#: A formula cell saved without its computed value (``<f>A2/10</f></c>``): scripts that
#: write workbooks (openpyxl, some R and Python exports) store formulas only.
_UNCOMPUTED = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>")


def uncomputed_formulas(path: Path, sheet: str) -> int:
    """How many formula cells of ``sheet`` have no computed value (read as empty).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> book = openpyxl.Workbook()
    >>> book.active.append(["n", "half"])
    >>> book.active.append([4, "=A2/2"])
    >>> path = Path(tempfile.mkdtemp()) / "f.xlsx"
    >>> book.save(path)
    >>> uncomputed_formulas(path, "Sheet")
    1
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _parts(archive, sheet)
            if parts is None:
                return 0
            return len(_UNCOMPUTED.findall(archive.read(parts["sheet"])))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return 0


def _choose_sheet(path: Path, names: list[str], sheet: str | int | None) -> str:
    """The name of the requested sheet; a SurveyError listing the sheets if absent."""
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
        return names[sheet]
    if sheet in names:
        return sheet
    raise SurveyError(Note("no_sheet", file=path, sheet=repr(sheet),
                           sheets=", ".join(repr(n) for n in names)))


def _as_openpyxl(values: list[list]) -> list[tuple]:
    """Calamine's rows with the cell types openpyxl gives, column by column."""
    if not values:
        return []
    width = max(map(len, values))
    if min(map(len, values)) < width:
        values = [list(row) + [""] * (width - len(row)) for row in values]
    # a 2-D array's transpose lists the columns three times faster than zip(*values)
    columns = np.array(values, dtype=object).T.tolist()
    for j, column in enumerate(columns):
        kinds = set(map(type, column))
        if kinds <= {str}:
            if "" in column:
                columns[j] = [None if v == "" else v for v in column]
        elif "" in column or not kinds <= {str, bool, dt.datetime, dt.time, dt.timedelta}:
            columns[j] = [_openpyxl_value(v) for v in column]
    return list(zip(*columns))


def _openpyxl_value(value: object) -> object:
    """One calamine value as openpyxl types it (see the module docstring)."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() and -_INT_LIMIT < value < _INT_LIMIT else value
    if kind is str:
        return None if value == "" else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _inspect(path: Path, sheet: str) -> dict[tuple[int, int], object] | None:
    """openpyxl's values for the cells of ``sheet`` calamine reads otherwise, by
    (row, column) from 0; None when openpyxl must read the whole sheet.

    Patched cells: errors (``#N/A``; calamine gives ""), ISO-dated cells (``t="d"``),
    and date-formatted numbers outside calamine's range (negative, past 9999-12-31,
    or a time of day rounding up to 24:00). openpyxl reads the sheet when it has
    ``_xHHHH_`` escapes, numbers written ``1.0``/``1E3``/with 16 digits or more, a
    custom number format the two readers classify differently (date, duration or
    number), or a layout this check does not follow.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _parts(archive, sheet)
            if parts is None:
                return None
            sheet_xml = archive.read(parts["sheet"])
            strings = archive.read(parts["strings"]) if "strings" in parts else b""
            styles = archive.read(parts["styles"]) if "styles" in parts else b""
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return None
    if _ESCAPE.search(sheet_xml) or _ESCAPE.search(strings) or b"x005F_" in strings:
        return None
    kinds, disputed = _style_kinds(styles)
    if 0 in disputed or any(  # a cell without ``s=`` has style 0
            re.search(rb"""\ss=["']%d["']""" % index, sheet_xml) for index in disputed):
        return None
    cells = _date_edges(sheet_xml, kinds, parts["date1904"] == "1")
    typed = _typed_cells(sheet_xml)
    return None if cells is None or typed is None else {**cells, **typed}


def _date_edges(sheet_xml: bytes, kinds: dict[int, str],
                date1904: bool) -> dict[tuple[int, int], object] | None:
    """openpyxl's values for date-formatted numbers out of calamine's range; None
    when openpyxl must read the sheet (a number openpyxl types differently, or a cell
    this scan cannot place)."""
    found: dict[tuple[int, int], object] = {}
    for match in _SUSPECT.finditer(sheet_xml):
        text = match.group(1)
        try:
            value = float(text)
        except ValueError:
            continue
        if _odd_number(text, value):
            return None
        if not kinds or (0 <= value < _LAST_DAY and round(value % 1 * _MS_PER_DAY) < _MS_PER_DAY):
            continue
        tag = _cell_tag(sheet_xml, match.start())
        ref = None if tag is None else _CELL_REF.search(tag)
        if ref is None:
            return None
        style = _STYLE.search(tag)
        kind = kinds.get(int(style.group(1)) if style else 0)
        if kind is not None and not _TEXT_TYPE.search(tag):
            found[_key(ref)] = _openpyxl_date(value, kind, date1904)
    return found


def _openpyxl_date(value: float, kind: str, date1904: bool) -> object:
    """A date-formatted number as openpyxl reads it (``"#VALUE!"`` out of range)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    try:
        return from_excel(value, epoch, timedelta=kind == "duration")
    except (OverflowError, ValueError):
        return "#VALUE!"


def _typed_cells(sheet_xml: bytes) -> dict[tuple[int, int], object] | None:
    """openpyxl's values of the error and ISO-date cells; None if one has no reference."""
    found: dict[tuple[int, int], object] = {}
    for match in _TYPED_CELL.finditer(sheet_xml):
        start = sheet_xml.rfind(b"<", 0, match.start())
        tag_end = sheet_xml.find(b">", match.end())
        if start < 0 or not _CELL_START.match(sheet_xml, start) or (
                b">" in sheet_xml[start:match.start()]):
            continue  # not an attribute of a cell (text that looks like one)
        ref = _CELL_REF.search(sheet_xml, start, tag_end)
        if ref is None:
            return None
        if sheet_xml[tag_end - 1:tag_end] == b"/":
            found[_key(ref)] = None
            continue
        value = _VALUE.search(sheet_xml, tag_end, sheet_xml.find(b"</c>", tag_end))
        text = unescape(value.group(1).decode()) if value else ""
        if not text:
            found[_key(ref)] = None
        elif match.group(0)[3:4] == b"e":
            found[_key(ref)] = text
        else:
            from openpyxl.utils.datetime import from_ISO8601
            found[_key(ref)] = from_ISO8601(text)
    return found


def _cell_tag(sheet_xml: bytes, value_at: int) -> bytes | None:
    """The start tag of the cell whose ``<v>`` is at ``value_at``; None if unsure."""
    start = sheet_xml.rfind(b"<c", 0, value_at)
    end = sheet_xml.find(b">", start)
    if start < 0 or not _CELL_START.match(sheet_xml, start) or end > value_at or (
            sheet_xml[end - 1] == 47):
        return None  # 47 is "/": a cell without a value
    return sheet_xml[start:end + 1]


def _key(ref: re.Match) -> tuple[int, int]:
    """(row, column) from 0 of a cell reference such as ``AB12``."""
    column = 0
    for letter in ref.group(1).decode():
        column = column * 26 + ord(letter) - 64
    return int(ref.group(2)) - 1, column - 1


def _patch(rows: list[tuple], cells: dict[tuple[int, int], object]) -> bool:
    """Put the cells' values in ``rows``; False if one lies outside them."""
    for (i, j), value in cells.items():
        if i >= len(rows) or j >= len(rows[i]):
            return False
        row = list(rows[i])
        row[j] = value
        rows[i] = tuple(row)
    return True


def _odd_number(text: bytes, value: float) -> bool:
    """True for a cell number openpyxl types otherwise than calamine + ``int()``."""
    if b"." in text or b"e" in text or b"E" in text:  # openpyxl: float
        return value.is_integer() and abs(value) < _INT_LIMIT
    return abs(value) >= _INT_LIMIT or int(text) != value  # openpyxl: an exact int


def _parts(archive: zipfile.ZipFile, sheet: str) -> dict[str, str] | None:
    """Zip paths of the sheet, shared strings and styles parts, and the workbook's
    ``date1904`` flag ("1" or ""); None if the sheet's part is not found."""
    book = _target(archive, "_rels/.rels", "officeDocument", PurePosixPath("/"))
    if book is None:
        return None
    base = PurePosixPath("/" + book).parent
    rels = f"{base.as_posix().lstrip('/')}/_rels/{PurePosixPath(book).name}.rels".lstrip("/")
    sheet_id, date1904 = None, ""
    for element in ET.fromstring(archive.read(book)).iter():
        name = _local(element.tag)
        if name == "sheet" and element.get("name") == sheet:
            sheet_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        elif name == "workbookPr" and element.get("date1904", "").lower() in ("1", "true"):
            date1904 = "1"
    found = {"sheet": _target(archive, rels, None, base, sheet_id),
             "strings": _target(archive, rels, "sharedStrings", base),
             "styles": _target(archive, rels, "styles", base), "date1904": date1904}
    if found["sheet"] is None:
        return None
    return {key: value for key, value in found.items() if value is not None}


def _target(archive: zipfile.ZipFile, rels: str, kind: str | None, base: PurePosixPath,
            rel_id: str | None = None) -> str | None:
    """The zip path a relationship points to, by its type's last word or by its id."""
    for element in ET.fromstring(archive.read(rels)).iter():
        if _local(element.tag) != "Relationship":
            continue
        if (kind is not None and element.get("Type", "").endswith("/" + kind)) or (
                rel_id is not None and element.get("Id") == rel_id):
            target = element.get("Target", "")
            full = PurePosixPath(target) if target.startswith("/") else base / target
            return _normalise(full)
    return None


def _normalise(path: PurePosixPath) -> str:
    """A zip member name from an absolute part path, ``..`` resolved."""
    parts: list[str] = []
    for piece in path.parts[1:]:
        if piece == "..":
            parts = parts[:-1]
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _local(tag: str) -> str:
    """An XML name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _style_kinds(styles: bytes) -> tuple[dict[int, str], set[int]]:
    """Cell formats openpyxl reads as dates or durations (index -> "date"/"duration"),
    and the indices of those openpyxl and calamine read as different kinds.

    Only custom formats can differ: both readers take the built-in ones (ids below 164)
    as dates for 14-22, 45 and 47 and as a duration for 46.
    """
    if not styles:
        return {}, set()
    root = ET.fromstring(styles)
    custom = {int(e.get("numFmtId", -1)): e.get("formatCode", "")
              for e in root.iter() if _local(e.tag) == "numFmt"}
    formats = next((e for e in root if _local(e.tag) == "cellXfs"), None)
    xfs = [] if formats is None else [e for e in formats if _local(e.tag) == "xf"]
    kinds, disputed = {}, set()
    for index, xf in enumerate(xfs):
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number)
        ours = _BUILTIN_KINDS.get(number, "number") if code is None else _openpyxl_kind(code)
        if code is not None and _calamine_kind(code) != ours:
            disputed.add(index)
        if ours != "number":
            kinds[index] = ours
    return kinds, disputed


def _openpyxl_kind(code: str) -> str:
    """How openpyxl reads numbers under this format: "date", "duration" or "number"."""
    first = code.split(";")[0]
    if not _DATE_TOKEN.search(_STRIP.sub("", first)):
        return "number"
    return "duration" if _DURATION.search(first) else "date"


def _calamine_kind(code: str) -> str:
    """How calamine reads numbers under this format (its ``detect_custom_number_format``)."""
    escaped = quoted = hms = ampm = False
    brackets, previous = 0, " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif char == ";":
            return "number"
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return "duration"
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not ampm and brackets == 0:
            ampm = True
        elif char in "pm/PM" and ampm and brackets == 0:
            return "date"
        elif char in "dmhysDMHYS" and not ampm and brackets == 0:
            return "date"
        elif not (hms and char.lower() == previous.lower()):
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return "number"


def _openpyxl_rows(path: Path, sheet: str | int | None) -> tuple[list[tuple], str]:
    """The rows as openpyxl reads them (the reference, and the fallback)."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a corrupt file
        raise SurveyError(Note("not_readable_xlsx", file=path,
                               reason=f"{type(err).__name__}: {err}")) from err
    try:
        chosen = _choose_sheet(path, book.sheetnames, sheet)
        ws = book[chosen]
        ws.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = list(ws.iter_rows(values_only=True))
    finally:
        book.close()
    return rows, chosen
