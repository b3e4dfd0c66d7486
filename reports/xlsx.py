"""The XLSX workbook: a contents sheet, then one sheet per table, machine numbers.

The file is reproducible: the same tables give the same bytes (the zip entries and the
document properties carry a fixed date instead of the time of saving).

Each table sheet has a bold header row (the column names) and the table's values as
numbers, dates and text that a spreadsheet can compute with; a hidden (suppressed)
value is an empty cell. Text cells arrive already neutralised by
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from reports.safe_output import neutralise

__all__ = ["Sheet", "sheet_names", "excel_value", "write_workbook"]

_MAX_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_WIDTH_RANGE = (8, 48)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_EPOCH = b"2000-01-01T00:00:00Z"


@dataclass
class Sheet:
    """One table to write: its wished sheet name, its title and its (safe) data."""

    name: str
    title: str
    data: pd.DataFrame


def sheet_names(wished: Sequence[str]) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters) for ``wished``, in order.

    Examples
    --------
    >>> sheet_names(["a/b", "x" * 40, "x" * 40, "'q'"])
    ['a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2', 'q']
    """
    used: set[str] = set()
    names = []
    for raw in wished:
        base = _FORBIDDEN.sub("_", str(raw)).strip("'") or "table"
        name, number = base[:_MAX_NAME], 1
        while name.casefold() in used:
            number += 1
            suffix = f"~{number}"
            name = base[: _MAX_NAME - len(suffix)] + suffix
        used.add(name.casefold())
        names.append(name)
    return names


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


def _width(frame: pd.DataFrame, column) -> float:
    """A readable column width from the header and the first values."""
    sample = frame[column].head(200).astype(str).str.len()
    longest = max(len(str(column)), int(sample.max()) if len(sample) else 0)
    return float(min(max(longest + 2, _WIDTH_RANGE[0]), _WIDTH_RANGE[1]))


def _write_table(ws, frame: pd.DataFrame) -> None:
    """Header row (bold, frozen) then the values, row by row."""
    ws.append([excel_value(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=False)
    for row in frame.itertuples(index=False, name=None):
        ws.append([excel_value(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = _width(frame, column)
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


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
        Two headers for the contents listing: sheet, title.
    notes : sequence of str
        Lines written under the listing (suppression rule...).

    Returns
    -------
    Path
    """
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
    for name, sheet in zip(names[1:], sheets):
        contents.append([excel_value(name), excel_value(sheet.title)])
        _write_table(wb.create_sheet(name), sheet.data)
    contents.append([])
    for note in notes:
        contents.append([excel_value(note)])
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(path).write_bytes(_reproducible(buffer.getvalue()))
    return path


def _reproducible(data: bytes) -> bytes:
    """The same workbook bytes for the same tables: fixed zip entry dates and document
    dates (openpyxl stamps both with the time of saving)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + _EPOCH + m.group(2), content)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
