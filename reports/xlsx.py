"""The XLSX workbook: a contents sheet, then one sheet per table, numbers as numbers.

The file is reproducible: the same tables give the same bytes (the zip entries and the
document properties carry a fixed date instead of the time of saving).

Long tables (a survival curve has one row per distinct time) are written fast: openpyxl
writes each sheet's header and first data row, which fixes the styles, and the other
rows are serialised column by column, each distinct value formatted once, in the same
cell XML openpyxl would write (inline strings, ``%.16g`` numbers, dates as serial
days), each cell with the style of its number format, then spliced into the sheet when
the file is made reproducible.

Each table sheet has a bold header row (the headings it is given) and the table's
values as numbers, dates and text that a spreadsheet can compute with. Number formats
are given cell by cell (a column may mix shares, means and counts): the format the
sheet gives a cell (:class:`Sheet` ``formats``), else a whole percentage for a share,
else none; a date takes its column's format (``yyyy-mm-dd`` by default). Values are
written as given: rounding them as shown is the caller's (``reports.workbook_view``).
A hidden (suppressed) value is an empty cell.
The contents sheet links each sheet's name to its sheet. Text cells arrive already neutralised by
``reports.safe_output`` (no cell can start a formula); characters that the XLSX format
cannot hold (control characters) are removed. Sheet names are at most 31 characters,
without the characters Excel forbids, and unique in the workbook.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.utils.datetime import to_excel

from reports.safe_output import neutralise

__all__ = ["MAX_ROWS", "Sheet", "sheet_names", "numbered_name", "excel_value",
           "write_workbook"]

_MAX_NAME = 31
#: Number format of a share: a fraction shown as a whole percentage, as the page does.
PERCENT_FORMAT = "#,##0%"
#: Number format of a date, unless the sheet gives its own.
_DATE_FORMAT = "yyyy-mm-dd"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_WIDTH_RANGE = (8, 48)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_EPOCH = b"2000-01-01T00:00:00Z"
#: Most data rows a sheet can hold (Excel's limit is 1,048,576 rows with the header).
MAX_ROWS = 1_048_575
_FAST_LEVEL = 1                  # zlib level of large sheets (6 for the rest)
_LARGE = 8 * 2**20


@dataclass
class Sheet:
    """One table to write: its wished sheet name, its title and its (safe) data.

    ``percent`` maps a column to a boolean array over the rows: the cells holding a
    share, shown as a percentage (the value stays the fraction). ``notes`` are listed
    beside the title on the contents sheet. ``formats`` maps a column to the number
    format of all its cells (a string: a p-value's, a date column's) or to one per row
    (an array, ``None`` where the cell takes none): it comes before ``percent``.
    """

    name: str
    title: str
    data: pd.DataFrame
    percent: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    formats: dict = field(default_factory=dict)


def sheet_names(wished: Sequence[str]) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters) for ``wished``, in order.

    Examples
    --------
    >>> sheet_names(["a/b", "x" * 40, "x" * 40, "'q'"])
    ['a b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2', 'q']
    """
    used: set[str] = set()
    names = []
    for raw in wished:
        base = re.sub(r"\s+", " ", _FORBIDDEN.sub(" ", str(raw))).strip("' ") or "table"
        name, number = base[:_MAX_NAME], 1
        while name.casefold() in used:
            number += 1
            suffix = f"~{number}"
            name = base[: _MAX_NAME - len(suffix)] + suffix
        used.add(name.casefold())
        names.append(name)
    return names


def numbered_name(number: int, title: str, population: str = "") -> str:
    """A sheet's name: its number in the workbook, its title and the population it is
    about (in brackets, its first word when long), the title cut at a word (``…``) to
    fit Excel's 31 characters.

    Examples
    --------
    >>> numbered_name(3, "Profil des agents")
    '03 Profil des agents'
    >>> numbered_name(24, "Recommandation (Net Promoter Score)")
    '24 Recommandation (Net…'
    >>> numbered_name(24, "Recommandation (Net Promoter Score)", "Agents")
    '24 Recommandation… (Agents)'
    >>> numbered_name(24, "Recommandation (Net Promoter Score)", "Entreprises")
    '24 Recommandation (Entreprises)'
    >>> numbered_name(34, "Cohérence de l'échelle", "Usagers des tiers-lieux")
    '34 Cohérence de… (Usagers)'
    """
    short = (population if len(population) <= 12 else (population.split() or [""])[0])[:12]
    tail = f" ({short})" if short else ""
    name = f"{number:02d} {title}"
    if len(name) + len(tail) <= _MAX_NAME:
        return name + tail
    room = _MAX_NAME - len(tail)
    least = len(f"{number:02d} ") + 4
    cut = _word_cut(name, room - 1)             # the ellipsis takes one character
    if len(cut) >= least:
        return cut + "…" + tail
    cut = _word_cut(name, room)                 # a whole first word, no room for "…"
    return (cut if len(cut) >= least else name[: room - 1] + "…") + tail


def _word_cut(text: str, size: int) -> str:
    """``text`` cut to at most ``size`` characters at the end of a word."""
    if len(text) <= size or text[size] == " ":
        return text[:size].rstrip(" ,:;(–-")
    return text[:size].rsplit(" ", 1)[0].rstrip(" ,:;(–-")


def excel_value(value):
    """A cell value openpyxl writes as a number, date, boolean, text or empty cell.

    Examples
    --------
    >>> excel_value(np.int64(3)), excel_value(float("nan")), excel_value(pd.NA)
    (3, None, None)
    >>> excel_value("=1+1")
    "'=1+1"
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (datetime, np.datetime64)):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, pd.Period):
        return value.to_timestamp().to_pydatetime()
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return neutralise(text)


def _width(name, sample: pd.Series) -> float:
    """A readable column width from the header ``name`` and the column's first values.

    The values are measured as ``sample.astype(str)`` writes them; for text and plain
    numbers that is ``str(value)``, taken here without building a pandas string column.

    Examples
    --------
    >>> _width("n", pd.Series([1.5, None, 12345678.0])), _width("x" * 60, pd.Series([1]))
    (12.0, 48.0)
    """
    if sample.dtype in (object, np.float64) or sample.dtype.kind in "biu":
        lengths = [len(str(value)) for value in sample.tolist()]
    else:                                   # dates, nullable and other extension types
        lengths = sample.astype(str).str.len().tolist()
    longest = max([len(str(name)), *lengths])
    return float(min(max(longest + 2, _WIDTH_RANGE[0]), _WIDTH_RANGE[1]))


def _cell_tail(value, dated: bool) -> str | None:
    """The cell XML after ``<c r="..."`` for one value (``None``: no cell), as openpyxl
    writes it; raises ``TypeError`` for a value the fast path does not handle."""
    value = excel_value(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return f' t="b"><v>{safe_string(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f' t="n"><v>{safe_string(value)}</v></c>'
    if isinstance(value, datetime):
        if not dated:
            raise TypeError("a date in a column that is not of a date type")
        return f' t="n"><v>{safe_string(to_excel(value))}</v></c>'
    if value == "":
        return ' t="inlineStr"/>'
    if value in ERROR_CODES:
        return f' t="e"><v>{escape(value)}</v></c>'
    space = ' xml:space="preserve"' if value.strip() and value != value.strip() else ""
    return f' t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _column_cells(column: pd.Series, letter: str, rows: np.ndarray,
                  styles: np.ndarray | None, dated: bool = False) -> np.ndarray:
    """The ``<c>`` elements of one column, one string per row ('' for no cell).

    Each distinct value is formatted once, then joined to the cell references with
    array additions; a missing value gives no cell, except in a date column (``dated``),
    whose cells all carry the date style (as openpyxl writes them). ``styles`` gives
    each row's style id (``None``: none; all ``None`` when not given): a column mixing
    percentages, numbers with different decimals and text marks each cell with its own.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if column.dtype == object and any(isinstance(v, (bool, np.bool_)) for v in uniques):
        # True == 1 for hashing: keep mixed booleans and numbers apart, value by value
        codes, uniques = np.arange(len(column)), column.tolist()
    if column.dtype.kind in "fiu":      # numbers: formatted as openpyxl does, no checks
        tails = [f' t="n"><v>{v:.16g}</v></c>' if math.isfinite(v) else None
                 for v in np.asarray(uniques).tolist()]
    else:
        tails = [_cell_tail(v, dated) for v in uniques]
    out = np.full(len(codes), "", dtype=object)
    if styles is None:
        marks = [('"', None)]
    else:
        style_codes, ids = pd.factorize(pd.Series(styles, dtype=object), use_na_sentinel=True)
        marks = [(f'" s="{style}"', style_codes == k) for k, style in enumerate(ids)]
        marks.append(('"', style_codes == -1))
    for mark, part in marks:
        empty = mark + "/>" if dated else None
        ends = np.array([None if t is None else mark + t for t in tails] + [empty],
                        dtype=object)
        chosen = ends[codes]            # code -1 (missing) takes the last entry
        present = np.not_equal(chosen, None)
        if part is not None:
            present &= part
        out[present] = (f'<c r="{letter}' + rows[present]) + chosen[present]
    return out


def _rows_xml(frame: pd.DataFrame, first_row: int, styles: list[np.ndarray | None],
              dated: list[bool]) -> str:
    """``<row>`` elements for ``frame``, its first row numbered ``first_row``: column
    ``j``'s cells carry the style ids ``styles[j]`` (one per row, ``None`` for none);
    ``dated[j]`` for a date column."""
    numbers = np.arange(first_row, first_row + len(frame)).astype(str).astype(object)
    grid = np.empty((len(frame), frame.shape[1] + 2), dtype=object)
    grid[:, 0] = '<row r="' + numbers + '">'
    for j, (_, column) in enumerate(frame.items()):
        grid[:, j + 1] = _column_cells(column, get_column_letter(j + 1), numbers, styles[j],
                                       dated[j])
    grid[:, -1] = "</row>"
    return "".join(grid.ravel().tolist())


def _cell_formats(frame: pd.DataFrame, percent: dict, formats: dict,
                  dated: list[bool]) -> list[np.ndarray]:
    """Each column's number format, row by row (``None``: none). A date column's cells
    all take its format (``yyyy-mm-dd`` unless ``formats`` gives one); elsewhere a
    format given for the cell (``formats[column]`` an array) comes first, then the
    column's (a string), then the percentage of a share (``percent``)."""
    out = []
    for column, date in zip(frame.columns, dated):
        given = formats.get(column)
        if date:
            out.append(np.full(len(frame), given if isinstance(given, str) else _DATE_FORMAT,
                               dtype=object))
            continue
        cells = np.full(len(frame), None, dtype=object)
        if column in percent:
            cells[np.asarray(percent[column], dtype=bool)] = PERCENT_FORMAT
        if isinstance(given, str):
            cells[:] = given
        elif given is not None:
            chosen = np.asarray(given, dtype=object)
            cells = np.where(np.not_equal(chosen, None), chosen, cells)
        out.append(cells)
    return out


def _style_ids(ws, formats: np.ndarray, known: dict) -> np.ndarray:
    """The workbook's style id of each number format (``None`` stays ``None``), as
    openpyxl gives a cell whose number format is set: registered here, since the fast
    path writes such cells without openpyxl. ``known`` caches them per format."""
    def style(code):
        if code not in known:
            cell = Cell(ws)
            cell.number_format = code
            known[code] = cell.style_id
        return known[code]
    codes, distinct = pd.factorize(pd.Series(formats, dtype=object), use_na_sentinel=True)
    ids = np.array([style(code) for code in distinct] + [None], dtype=object)
    return ids[codes]


def _write_table(ws, frame: pd.DataFrame, percent: dict | None = None,
                 formats: dict | None = None) -> str | None:
    """Header row (bold, frozen) and the first data row with openpyxl; returns the XML
    of the other rows (``None`` when openpyxl wrote them all) to splice in on saving.

    Every cell takes its number format (:func:`_cell_formats`): the fast path writes
    each with the style openpyxl gives that format (an empty cell is then no cell,
    except in a date column, as openpyxl writes them). A value the fast path does not
    write sends the table to openpyxl."""
    dated = [pd.api.types.is_datetime64_any_dtype(dtype) for dtype in frame.dtypes]
    cell_formats = _cell_formats(frame, percent or {}, formats or {}, dated)
    ws.append([excel_value(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=False)
    for row in frame.iloc[:1].itertuples(index=False, name=None):
        ws.append([excel_value(v) for v in row])
    for index, (column, sample) in enumerate(frame.head(200).items(), start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = _width(column, sample)
        if len(frame) and cell_formats[index - 1][0] is not None:
            ws.cell(row=2, column=index).number_format = cell_formats[index - 1][0]
    ws.freeze_panes = "A2"
    rest = frame.iloc[1:]
    if rest.empty:
        return None
    known: dict = {}
    styles = [_style_ids(ws, cells[1:], known) for cells in cell_formats]
    try:
        return _rows_xml(rest, 3, styles, dated)
    except TypeError:              # a value the fast path does not write: openpyxl does
        for row in rest.itertuples(index=False, name=None):
            ws.append([excel_value(v) for v in row])
        for j, cells in enumerate(cell_formats):
            for position, (cell,) in enumerate(ws.iter_rows(min_row=3, min_col=j + 1,
                                                            max_col=j + 1), start=1):
                if cells[position] is not None and (dated[j] or cell.value is not None):
                    cell.number_format = cells[position]
        return None


def write_workbook(path: Path, sheets: Sequence[Sheet], *, contents_title: str,
                   contents_headers: Sequence[str], notes: Sequence[str] = ()) -> Path:
    """Write the workbook: a contents sheet listing every table, then one sheet each.

    Parameters
    ----------
    path : Path
        Where to write the ``.xlsx`` file.
    sheets : sequence of Sheet
        Tables in display order; their data must already be safe to publish.
    contents_title : str
        Name and heading of the first sheet (from the message catalogue).
    contents_headers : sequence of str
        Headers of the contents listing: sheet, title (and, when given, notes). Each
        sheet's name links to its sheet.
    notes : sequence of str
        Lines written under the listing (suppression rule...).

    Returns
    -------
    Path

    Notes
    -----
    A table longer than a sheet can hold (:data:`MAX_ROWS` rows under the header) is
    continued on further sheets, titled ``(2)``, ``(3)``...: every row is in the file.
    """
    sheets = _split_long(sheets)
    names = sheet_names([contents_title] + [s.name for s in sheets])
    wb = Workbook()
    contents = wb.active
    contents.title = names[0]
    contents.append([excel_value(contents_title)])
    contents["A1"].font = _TITLE
    contents.append([])
    contents.append([excel_value(h) for h in contents_headers])
    for cell in contents[3]:
        cell.font = _BOLD
    more = {}
    for number, (name, sheet) in enumerate(zip(names[1:], sheets), start=2):
        listed = [excel_value(name), excel_value(sheet.title)]
        if len(contents_headers) > 2 and sheet.notes:
            listed.append(excel_value(" ".join(sheet.notes)))
        contents.append(listed)
        link = contents.cell(row=contents.max_row, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(name)}!A1")
        link.style = "Hyperlink"
        rows_xml = _write_table(wb.create_sheet(name), sheet.data, sheet.percent, sheet.formats)
        if rows_xml is not None:        # openpyxl saves the k-th sheet as sheet<k>.xml
            last = len(sheet.data) + 1
            ref = f"A1:{get_column_letter(max(sheet.data.shape[1], 1))}{last}"
            more[f"xl/worksheets/sheet{number}.xml"] = (rows_xml, ref)
    contents.append([])
    for note in notes:
        contents.append([excel_value(note)])
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 80
    contents.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).write_bytes(_reproducible(buffer.getvalue(), more))
    return path


def _split_long(sheets: Sequence[Sheet]) -> list[Sheet]:
    """Sheets of at most :data:`MAX_ROWS` rows, a longer table continued on the next ones."""
    out = []
    for sheet in sheets:
        if len(sheet.data) <= MAX_ROWS:
            out.append(sheet)
            continue
        for part, start in enumerate(range(0, len(sheet.data), MAX_ROWS), start=1):
            suffix = "" if part == 1 else f" ({part})"
            part_rows = slice(start, start + MAX_ROWS)
            out.append(Sheet(f"{sheet.name}{suffix}", f"{sheet.title}{suffix}",
                             sheet.data.iloc[part_rows],
                             {c: np.asarray(m)[part_rows] for c, m in sheet.percent.items()},
                             sheet.notes,
                             {c: f if isinstance(f, str) else np.asarray(f, dtype=object)[part_rows]
                              for c, f in sheet.formats.items()}))
    return out


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _reproducible(data: bytes, more: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The same workbook bytes for the same tables: fixed zip entry dates and document
    dates (openpyxl stamps both with the time of saving). ``more`` maps a sheet's entry
    to the XML of its rows after the first data row and its full dimension reference,
    spliced in here."""
    more = more or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + _EPOCH + m.group(2), content)
            if info.filename in more:
                rows_xml, ref = more[info.filename]
                head, tail = content.rsplit(b"</sheetData>", 1)
                head = _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), head, count=1)
                content = b"".join([head, rows_xml.encode("utf-8"), b"</sheetData>", tail])
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            level = _FAST_LEVEL if len(content) > _LARGE else 6
            target.writestr(entry, content, compresslevel=level)
    return out.getvalue()
