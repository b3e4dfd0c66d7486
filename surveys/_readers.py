"""Read any supported source into a :class:`surveys._raw.RawTable`.

:func:`read_raw` is the one entry point: it checks the path, dispatches on the file
extension (``.csv .tsv .txt`` text, ``.xlsx`` spreadsheets, ``.sav`` SPSS, ``.dta``
Stata, ``.parquet``) or takes a DataFrame, recognises survey-tool exports
(LimeSurvey, Qualtrics, SurveyMonkey, KoboToolbox, Google Forms) and accounts for
every data row: kept in ``data`` or set aside in ``excluded`` with its reason.
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Callable, Literal

import numpy as np
import pandas as pd

from surveys._raw import EXCLUDED_COLUMNS, RawTable
from surveys._row_keys import FOOTER_REASON
from surveys._spreadsheet import read_sheet, uncomputed_formulas
from surveys._text import TextSource
from surveys._tools import apply_tool, clean_names, detect_layout, dropped_columns
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["read_raw", "SUPPORTED_EXTENSIONS"]

SUPPORTED_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".sav", ".zsav", ".dta", ".parquet")
_TEXT = {".csv", ".tsv", ".txt"}
#: Seconds from the SPSS epoch (1582-10-14) to the Unix epoch (1970-01-01).
_SPSS_TO_UNIX = 12_219_379_200
#: SPSS date formats pyreadstat leaves as seconds since 1582-10-14.
_SPSS_SECONDS_FORMATS = ("QYR", "MOYR", "WKYR")


def read_raw(
    source, *, sheet: str | int | None = None,
    strings: Literal["object", "arrow", "category"] = "object",
    integers: Callable[[list[str]], set[str]] | None = None,
) -> RawTable:
    """Read a survey file (or a DataFrame) into a :class:`RawTable`, keeping every value.

    Parameters
    ----------
    source : str, Path or DataFrame
        A ``.csv``/``.tsv``/``.txt`` (encoding and delimiter detected), ``.xlsx``,
        ``.sav``, ``.dta`` or ``.parquet`` file, or a DataFrame (copied).
    sheet : str or int, optional
        Spreadsheet sheet name or 0-based position; default the first sheet.
    strings : {"object", "arrow", "category"}
        Text formats only: ``"object"`` gives Python ``str`` cells and None for empty
        ones; ``"arrow"`` gives ``string[pyarrow]`` columns (``pd.NA`` for empty),
        several times cheaper in time and memory on big files; ``"category"`` gives
        pandas categoricals (NaN for empty; categories of ``string[pyarrow]`` dtype when
        most values are distinct), the leanest in memory (what :func:`surveys.read` uses);
        on the fast route, a column whose first values are all distinct stays
        ``string[pyarrow]``.
    integers : callable, optional
        Text formats, ``strings="category"``: given the header's column names, the
        columns that may be parsed as whole numbers when their first values are plain
        integers (a categorical of integers); if any later value is not one, the column
        is read as text after all.

    Returns
    -------
    RawTable
        ``data`` (text formats: every cell a string or None), ``rows`` (1-based source
        row of each kept row), ``n_rows``, ``excluded`` (``row``, ``reason``),
        ``value_labels``, ``notes``, ``problems``, ``format`` (the tool when one was
        recognised).

    Raises
    ------
    SurveyError
        Missing file, a directory, an empty or binary file, an unsupported extension, a
        missing sheet; the message names the file.

    Examples
    --------
    >>> raw = read_raw(pd.DataFrame({"age": [31, 45]}))
    >>> raw.format, raw.n_rows, raw.rows.tolist()
    ('dataframe', 2, [1, 2])
    """
    if strings not in ("object", "arrow", "category"):
        raise SurveyError(f"strings={strings!r} is not allowed; use one of: 'object', 'arrow', "
                          "'category'.")
    if isinstance(source, pd.DataFrame):
        data = source.copy()
        data.columns, notes = clean_names([str(c).strip() for c in data.columns], "<DataFrame>")
        data = data.reset_index(drop=True)
        n = len(data)
        return RawTable(data, np.arange(1, n + 1, dtype=np.int64), "<DataFrame>", "dataframe", n,
                        notes=notes)
    path = _check_path(source)
    suffix = path.suffix.lower()
    if suffix in _TEXT:
        return _read_text(path, suffix, strings, integers if strings == "category" else None)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".sav", ".zsav", ".dta"):
        return _read_stat(path, suffix)
    return _read_parquet(path)


def _check_path(source) -> Path:
    """The source as a Path to an existing, non-empty file of a supported type."""
    if not isinstance(source, (str, Path)):
        raise SurveyError(f"cannot read {type(source).__name__!r}: give a file path or a DataFrame.")
    path = Path(source)
    if not path.exists():
        raise SurveyError(Note("no_such_file", file=path))
    if path.is_dir():
        raise SurveyError(Note("is_directory", file=path))
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise SurveyError(Note("unsupported_type", file=path,
                               suffix=repr(path.suffix or "(no extension)"),
                               supported=", ".join(SUPPORTED_EXTENSIONS)))
    if path.stat().st_size == 0:
        raise SurveyError(Note("empty_file", file=path))
    return path


def _excluded_frame(records: list[dict], parts: list[pd.DataFrame] = ()) -> pd.DataFrame:
    """Excluded rows as a DataFrame sorted by row: the reader's records (a malformed
    line...) and the survey tool's frames (unsubmitted responses...)."""
    if not records and not any(len(part) for part in parts):
        return pd.DataFrame({"row": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=object)})
    pieces = [pd.DataFrame(records, columns=EXCLUDED_COLUMNS)] if records else []
    pieces += [part for part in parts if len(part)]
    frame = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    frame = frame.astype({"row": "int64"})
    return frame.sort_values("row", kind="stable").reset_index(drop=True)


def _assemble(data, rows, n_rows, layout, name, fmt, notes, excluded, problems) -> RawTable:
    """Name the columns, apply the tool, build the RawTable."""
    names, more = clean_names(list(layout.names) + [""] * (data.shape[1] - len(layout.names)), name)
    notes = notes + layout.notes + more
    data.columns = names[: data.shape[1]]
    for problem in problems:
        if isinstance(problem["column"], (int, np.integer)):
            problem["column"] = names[problem["column"]]
    data, rows, tool_excluded, more = apply_tool(layout.tool, data, rows, name)
    notes += more
    # a problem in a dropped (system or personal-data) column must not carry its value out
    problems = [p for p in problems if p["column"] in data.columns]
    fmt = layout.tool if layout.tool != "csv" else fmt
    _reindex(data)
    return RawTable(
        data=data, rows=np.asarray(rows, dtype=np.int64), path=name,
        format=fmt, n_rows=int(n_rows), excluded=_excluded_frame(excluded, tool_excluded),
        notes=notes, problems=problems,
    )


def _reindex(data: pd.DataFrame) -> None:
    """Give ``data`` a default RangeIndex in place (no copy of the values)."""
    index = data.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        data.index = pd.RangeIndex(len(data))


def _read_text(path: Path, suffix: str, strings: str, integers=None) -> RawTable:
    """CSV/TSV/TXT: decode, sniff, detect the tool, read the body as strings (and the
    columns ``integers`` names, when whole numbers, as integers)."""
    try:
        source = TextSource(_file_bytes(path), path.name, suffix)
    except OSError as err:
        raise SurveyError(Note("cannot_read", file=path, reason=err.strerror)) from err
    layout = detect_layout(source.head(), path.name)
    width = max([len(layout.names)] + [len(r) for r in source.head()[: layout.n_header]])
    names, _ = clean_names(list(layout.names) + [""] * (width - len(layout.names)), path.name)
    whole = integers(names[:width]) if integers is not None else set()
    body = source.body(layout.n_header, width, strings,
                       skip=tuple(dropped_columns(layout.tool, names[:width])),
                       integers=tuple(i for i, n in enumerate(names[:width]) if n in whole))
    notes = list(source.notes) + body.notes
    # a piece of a row cut by a line break, joined back to its row, is not set aside:
    # the ``rows_rejoined`` note says so; a footer line (a total) is no malformed row
    set_aside = [e for e in body.excluded
                 if not e["reason"].endswith(", joined to it") and e["reason"] != FOOTER_REASON]
    if body.route == "exact" and (set_aside or body.problems):
        notes.append(Note("malformed", file=path.name, rows=len(set_aside),
                          cells=len(body.problems)))
    return _assemble(body.data, body.rows, body.n_rows, layout, path.name, "csv", notes,
                     body.excluded, body.problems)


#: Files at least this big are mapped into memory rather than copied.
_MAP_BYTES = 1 << 23
#: Bytes of a mapped file compared at a time when counting one byte value.
_COUNT_BYTES = 1 << 22


class _MappedBytes(mmap.mmap):
    """A file mapped into memory that reads like ``bytes`` where the text reader needs
    it: no copy of a big file (the parser reads the pages from the system's cache)."""

    def startswith(self, prefix) -> bool:
        prefixes = prefix if isinstance(prefix, tuple) else (prefix,)
        return any(self[: len(p)] == p for p in prefixes)

    def count(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        lo, hi, _ = slice(start, end).indices(len(self))
        if len(sub) != 1 or hi <= lo:
            return memoryview(self)[start:end].tobytes().count(sub)
        # one byte (a quote, a line feed): counted in place, no copy of the span
        view = np.frombuffer(self, dtype=np.uint8, count=hi - lo, offset=lo)
        return sum(int(np.count_nonzero(view[at: at + _COUNT_BYTES] == sub[0]))
                   for at in range(0, hi - lo, _COUNT_BYTES))

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return memoryview(self).tobytes().decode(encoding, errors)


def _file_bytes(path: Path):
    """The bytes of a text file: mapped into memory when big, read otherwise."""
    if path.stat().st_size >= _MAP_BYTES:
        try:
            with open(path, "rb") as file:
                return _MappedBytes(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file the system cannot map: read it
            pass
    return path.read_bytes()


def _is_blank(value) -> bool:
    """A spreadsheet cell with nothing in it (``pd.factorize`` gives an empty cell's
    None as NaN)."""
    return value is None or (isinstance(value, float) and value != value) or (
        isinstance(value, str) and not value.strip())


def _blank_cells(column: pd.Series) -> np.ndarray:
    """True where a spreadsheet column's cell is empty or white space; each distinct
    value is looked at once (a sheet of a million cells holds few distinct answers)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)  # None is a value here
    per_value = np.fromiter((_is_blank(v) for v in uniques), dtype=bool, count=len(uniques))
    return per_value[codes]


def _read_xlsx(path: Path, sheet) -> RawTable:
    """XLSX: one sheet, native cell types, the same tool detection as text."""
    rows, chosen = read_sheet(path, sheet)
    cells = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
    blank = np.column_stack([_blank_cells(cells[c]) for c in cells.columns]) if cells.size else (
        np.ones((len(cells), 0), dtype=bool))
    filled_rows = np.flatnonzero(~blank.all(axis=1)) if blank.shape[1] else np.zeros(0, int)
    if not len(filled_rows):
        raise SurveyError(Note("sheet_empty", file=path, sheet=repr(chosen)))
    height = filled_rows[-1] + 1  # trailing empty rows are no rows
    top = int(filled_rows[0])  # nor are empty rows above the header
    width = np.flatnonzero(~blank[top:height].all(axis=0))[-1] + 1
    cells = cells.iloc[top:height, :width].where(~blank[top:height, :width], None)
    head = [list(r) for r in cells.iloc[:6].itertuples(index=False, name=None)]
    layout = detect_layout(head, path.name)
    data = cells.iloc[layout.n_header:].reset_index(drop=True).infer_objects()
    data.columns = range(width)
    notes = [Note("sheet", file=path.name, sheet=repr(chosen))]
    if blank[top + layout.n_header:height, :width].all(axis=0).any():
        # a column with a header and no value: formulas saved without their results?
        uncomputed = uncomputed_formulas(path, chosen)
        if uncomputed:
            notes.append(Note("formulas_uncomputed", file=path.name, sheet=repr(chosen),
                              count=uncomputed))
    if top:
        notes.append(Note("blank_rows_before_header", file=path.name, count=top, line=top + 1))
    n = len(data)
    return _assemble(data, np.arange(1, n + 1, dtype=np.int64), n, layout, path.name, "xlsx",
                     notes, [], [])


def _user_missing_mask(values: pd.Series, ranges: list[dict], discrete: list) -> np.ndarray:
    """True where a value is one of the declared user-missing codes or ranges."""
    mask = np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(values):
        num = values.to_numpy(dtype="float64", na_value=np.nan)
        for r in ranges:
            mask |= (num >= r["lo"]) & (num <= r["hi"])
    else:
        for r in ranges:
            discrete = list(discrete) + [r["lo"], r["hi"]]
    if discrete:
        mask |= values.isin(discrete).to_numpy()
    return mask


def _without(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """Blank the masked cells; a Stata column left holding only numbers becomes float."""
    if pd.api.types.is_numeric_dtype(values):
        return values.where(~mask, np.nan)
    values = values.where(~mask, None)
    rest = values.dropna()
    if len(rest) and rest.map(lambda v: isinstance(v, (int, float, np.number))).all():
        return pd.to_numeric(values.where(values.notna(), np.nan)).astype("float64")
    return values


def _read_stat(path: Path, suffix: str) -> RawTable:
    """SPSS/Stata via pyreadstat: codes kept, value labels aside, user-missing -> NaN."""
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    try:
        data, meta = reader(str(path), user_missing=True)
    except Exception as err:  # pyreadstat.ReadstatError and friends
        raise SurveyError(Note("not_readable", file=path, format=suffix, reason=err)) from err
    kind = suffix[1:].upper()
    notes = [Note("stat_file_encoding", file=path.name, format=kind, encoding=meta.file_encoding)
             if meta.file_encoding else Note("stat_file", file=path.name, format=kind)]
    counts = {}
    for col in data.columns:
        ranges = (meta.missing_ranges or {}).get(col, [])
        discrete = (meta.missing_user_values or {}).get(col, [])
        if not ranges and not discrete:
            continue
        mask = _user_missing_mask(data[col], ranges, discrete)
        if mask.any():
            data[col] = _without(data[col], mask)
            counts[col] = int(mask.sum())
    if counts:
        shown = ", ".join(f"{c} ({k})" for c, k in counts.items())
        notes.append(Note("user_missing", file=path.name, count=sum(counts.values()), shown=shown))
    for col, fmt in (meta.original_variable_types or {}).items():
        if str(fmt).upper().startswith(_SPSS_SECONDS_FORMATS) and pd.api.types.is_numeric_dtype(data[col]):
            data[col] = pd.to_datetime(data[col] - _SPSS_TO_UNIX, unit="s", errors="coerce")
            notes.append(Note("spss_dates", file=path.name, column=str(col), format=str(fmt)))
    labels = {c: dict(v) for c, v in (meta.variable_value_labels or {}).items()}
    n = len(data)
    names, more = clean_names([str(c) for c in data.columns], path.name)
    data.columns = names
    fmt = "dta" if suffix == ".dta" else "sav"
    return RawTable(data, np.arange(1, n + 1, dtype=np.int64), path.name, fmt, n,
                    value_labels=labels, notes=notes + more)


def _read_parquet(path: Path) -> RawTable:
    """Parquet via pyarrow."""
    try:
        data = pd.read_parquet(path, engine="pyarrow")
    except Exception as err:  # pyarrow.ArrowInvalid and OSError for a corrupt file
        raise SurveyError(Note("not_readable", file=path, format="Parquet", reason=err)) from err
    data = data.reset_index(drop=True)
    names, notes = clean_names([str(c).strip() for c in data.columns], path.name)
    data.columns = names
    n = len(data)
    return RawTable(data, np.arange(1, n + 1, dtype=np.int64), path.name, "parquet", n, notes=notes)
