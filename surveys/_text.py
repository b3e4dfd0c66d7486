"""Delimited text files (CSV, TSV, TXT): encoding, delimiter, records, all kept as strings.

Empty lines above the header (or lines of separators only) are skipped, and Excel's
``sep=;`` first line gives the delimiter; each with a note.

Two routes give the same table:

* the **fast route** hands the bytes to ``pyarrow.csv`` (multi-threaded C++), used
  when the quoting is clean (a body with quote characters is first checked on its
  bytes, or by a strict ``csv`` pass) and, with one column, there is no blank line.
  The rows of another width than the header's, which Arrow skips, are found on the
  bytes and decided as the exact route decides them, then put back at their places
  (:mod:`surveys._row_mending`); when they cannot be placed with certainty (a line
  end inside a quoted field, more than a few distinct ones) the exact route reads
  the file;
* the **exact route** walks the records with Python's ``csv`` module in strict mode,
  so that blank lines stay rows, a row of the wrong width is set aside with its number,
  and a malformed quoted field (an unescaped ``"``) is found and reported instead of
  being silently mis-read. A stray quote at the start of a cell (``"Très bien``) that
  never closes, or closes only across lines that look like rows, is read as an ordinary
  character: it swallows no row (the fast route hands such a body over, found on the
  bytes). A row shorter than the header is padded with empty fields when it starts
  with an identifier like the other rows', and the pieces of a row cut by a line break
  inside an unquoted cell are joined back (:func:`~surveys._csv_records.mend_short_rows`);
  any other short row is set aside with its reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from surveys._body_bytes import (halves, has_blank_line, quote_verdict, swallowing_quote,
                                 valid_utf8)
from surveys._columns import categorical_frame
from surveys._csv_records import (SEP_HINT, leading_blank, mend_records, read_records,
                                  split_lines, stray_reason, swallows_rows)
from surveys._row_mending import OddRows, odd_rows, set_aside, splice
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["TextSource", "decode", "sniff_delimiter"]

csv.field_size_limit(2**31 - 1)

DELIMITERS = [",", ";", "\t", "|"]
_ARROW_STRING = pd.StringDtype("pyarrow")
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
#: Type of the columns read as whole numbers, and the text they may hold.
_INTEGER = pa.int16()
_PLAIN_INTEGERS = re.compile(r"-?(?:0|[1-9]\d{0,3})(?:\n-?(?:0|[1-9]\d{0,3}))*")
#: Parse block size of the CSV reader (bytes).
_BLOCK = 1 << 20
#: A column whose first (at least) this many values are all distinct is read as strings.
_UNIQUE_SAMPLE = 20
#: Data records of the head sampled for that; when at least ``_MOSTLY_SAMPLE`` values
#: are there, a column is read as strings when ``_MOSTLY_DISTINCT`` of them are distinct.
_SAMPLE_RECORDS = 2000
_MOSTLY_SAMPLE = 1000
_MOSTLY_DISTINCT = 0.8
#: Delimiter -> key of its note in :data:`surveys.notes.MESSAGES`.
_DELIMITER_NOTES = {",": "delimited_comma", ";": "delimited_semicolon", "\t": "delimited_tab",
                    "|": "delimited_pipe"}
#: Head of the file decoded and parsed in Python to find the header and the delimiter.
_HEAD_BYTES = 2_000_000
#: Records of the head returned for header/tool detection.
_HEAD_RECORDS = 6
#: First bytes -> key of the format's name in :data:`surveys.notes.MESSAGES`.
_MAGIC = {
    b"\x89PNG": "kind_png",
    b"%PDF": "kind_pdf",
    b"PK\x03\x04": "kind_zip",
    b"GIF8": "kind_gif",
    b"\xff\xd8\xff": "kind_jpeg",
    b"\xd0\xcf\x11\xe0": "kind_ole",
    b"$FL2": "kind_sav",
    b"PAR1": "kind_parquet",
}


def _binary_kind(raw: bytes) -> Note | None:
    """Name of a binary format recognised from the first bytes, or None for text."""
    for magic, key in _MAGIC.items():
        if raw.startswith(magic):
            return Note(key)
    if b"\x00" in raw[:8192]:
        return Note("kind_binary")
    return None


def decode(raw: bytes, name: str) -> tuple[str, str, int, list[str]]:
    """Decode file bytes: UTF-8 (BOM stripped), UTF-16 with BOM, else cp1252, else latin-1.

    Returns the text, the encoding used, the length of the BOM in bytes and notes.
    Raises :class:`SurveyError` for binary content.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        return text, "utf-16", 2, [Note("utf16", file=name)]
    kind = _binary_kind(raw)
    if kind is not None:
        raise SurveyError(Note("not_a_table", file=name, kind=kind))
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        try:
            text = raw[bom:].decode("cp1252")
            return text, "cp1252", bom, [Note("cp1252", file=name, line=line)]
        except UnicodeDecodeError:
            text = raw[bom:].decode("latin-1")
            return text, "latin-1", bom, [Note("latin1", file=name, line=line)]
    notes = [Note("bom", file=name)] if bom else []
    return text, "utf-8", bom, notes


def _decode_head(raw: bytes, name: str) -> tuple[str, str, int, list[str], bool]:
    """Decode the head of a big UTF-8 file only (the rest is checked by pyarrow).

    Returns the head text, encoding, BOM length, notes and whether the text is complete.
    Small files, and files whose head is not UTF-8, are decoded whole by :func:`decode`.
    """
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    if len(raw) <= bom + _HEAD_BYTES or _binary_kind(raw) is not None or not bom and raw.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return (*decode(raw, name), True)
    head = raw[bom: bom + _HEAD_BYTES]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 3:
            return (*decode(raw, name), True)
        text = head[: err.start].decode("utf-8")  # a character cut at the end of the head
    notes = [Note("bom", file=name)] if bom else []
    return text, "utf-8", bom, notes, False


def _missing_column(n: int) -> pd.Categorical:
    """A placeholder column of ``n`` missing values (a column to be dropped)."""
    return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=[])


def _looks_unique(sample: list[list[str]], i: int) -> bool:
    """Whether column ``i`` of the first data records holds only, or mostly, distinct
    values (an identifier, a time stamp to the second, free text): parsing it into
    per-block dictionaries would cost more than it saves."""
    values = [r[i] for r in sample if i < len(r) and r[i] != ""]
    distinct = len(set(values))
    if len(values) >= _MOSTLY_SAMPLE:
        return distinct >= _MOSTLY_DISTINCT * len(values)
    return len(values) >= _UNIQUE_SAMPLE and distinct == len(values)


def _whole_numbers(sample: list[list[str]], i: int) -> bool:
    """Whether the first values of column ``i`` are all plain whole numbers that fit
    :data:`_INTEGER` (no sign but ``-``, no leading zero, no space or separator)."""
    values = [r[i] for r in sample if i < len(r) and r[i] != ""]
    return bool(values) and _PLAIN_INTEGERS.fullmatch("\n".join(values)) is not None


def sniff_delimiter(head: str, suffix: str = "") -> str:
    """Pick the delimiter among ``, ; TAB |`` giving the most consistent field counts.

    Each candidate parses the first lines; the winner has the largest share of lines
    whose width equals the header's, then the widest header. A ``.tsv`` file prefers TAB.
    """
    sample = head[: head.rfind("\n") + 1] if "\n" in head else head
    lines = split_lines(sample)[:30] or [head]
    best, best_score = ",", (-1.0, 0, 0)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not counts or counts[0] < 2:
            continue
        share = float(np.mean([c == counts[0] for c in counts]))
        score = (share, int(delim == "\t" and suffix == ".tsv"), counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


@dataclass
class _Body:
    """Data rows read from the text: positional columns of str/None plus accounting."""

    data: pd.DataFrame
    rows: np.ndarray
    n_rows: int
    excluded: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    route: str = "fast"
    notes: list = field(default_factory=list)
    #: whether Arrow read the data (already strings, Arrow strings or categoricals as
    #: asked); ``route`` is "exact" too when rows of the wrong width were mended
    arrow: bool = False


class TextSource:
    """A decoded delimited text file: its head records and a way to read its body.

    Parameters
    ----------
    raw : bytes
        The file's bytes.
    name : str
        File name used in messages.
    suffix : str
        Lower-case extension (``.csv``, ``.tsv``, ``.txt``), a hint for the delimiter.
    """

    def __init__(self, raw: bytes, name: str, suffix: str = ".csv") -> None:
        self.name = name
        self.raw = raw
        self._utf8: bytes | None = None
        head, self.encoding, self.bom, self.notes, complete = _decode_head(raw, name)
        self._text = head if complete else None
        self._head_text = head
        if re.search(r"\S", head) is None and (complete or re.search(r"\S", self.text) is None):
            raise SurveyError(Note("no_header", file=name))
        # a file decoded whole is looked at through its head only, as a big UTF-8 one
        cut = complete and len(head) > _HEAD_BYTES
        looked_at = head[:_HEAD_BYTES] if cut else head
        lines = split_lines(looked_at)
        if (cut or not complete) and lines:
            lines = lines[:-1]  # the last line of a cut head may be incomplete
        blank = lead = leading_blank(lines)
        hint = SEP_HINT.fullmatch(lines[lead]) if lead < len(lines) else None
        if hint:  # Excel's "sep=;" line: the delimiter, then the header
            lead += 1
            lead += leading_blank(lines[lead:])
            blank = lead - 1
        if lead and lead == len(lines):
            raise SurveyError(Note("no_header", file=name))
        #: characters of the lines above the header (skipped: the header is the first
        #: line holding something)
        self._lead = sum(len(line) for line in lines[:lead])
        self.delimiter = hint.group(1) if hint else sniff_delimiter(looked_at[self._lead:],
                                                                    suffix)
        lines = lines[lead:]
        self._head_lines = lines
        self._head_records, self._head_starts, _, _ = read_records(lines[:200], self.delimiter)
        if self.delimiter != ",":
            self.notes.append(Note(_DELIMITER_NOTES[self.delimiter], file=name))
        if hint:
            self.notes.append(Note("excel_sep_line", file=name,
                                   line=repr(f"sep={hint.group(1)}")))
        if blank:
            self.notes.append(Note("blank_lines_before_header", file=name, count=blank,
                                   line=lead + 1))

    @property
    def text(self) -> str:
        """The whole decoded text (decoded on first use for a big UTF-8 file)."""
        if self._text is None:
            self._text, encoding, _, notes = decode(self.raw, self.name)
            if encoding != self.encoding:
                self.encoding = encoding
                self.notes += notes
        return self._text

    def head(self) -> list[list[str]]:
        """The first records (header candidates), as lists of strings."""
        return self._head_records[:_HEAD_RECORDS]

    def _sample(self) -> list[list[str]]:
        """Up to ``_SAMPLE_RECORDS`` data records from the head (to choose column types)."""
        if len(self._head_starts) <= self._n_header:
            return []
        first = self._head_starts[self._n_header]
        lines = self._head_lines[first: first + _SAMPLE_RECORDS]
        try:
            return list(csv.reader(lines, delimiter=self.delimiter))
        except csv.Error:  # a malformed quote: the first records will do
            return self._head_records[self._n_header:]

    def _offset(self, n_header: int) -> int:
        """Character offset in ``text`` of the first record after ``n_header`` records."""
        if n_header >= len(self._head_starts):
            return len(self._head_text) if self._text is not None else len(self.text)
        start_line = self._head_starts[n_header]
        return self._lead + sum(len(line) for line in self._head_lines[:start_line])

    def _single_byte_offset(self, offset: int) -> int:
        """``offset`` (characters of the UTF-8 head) as an offset in ``text`` once the
        whole file had to be decoded as cp1252 or latin-1 (one character per byte): an
        accented header takes more characters there than in the head.
        """
        return len(self._head_text[:offset].encode("utf-8"))

    def body(self, n_header: int, width: int, strings: str = "object",
             skip: tuple = (), integers: tuple = ()) -> _Body:
        """Read the records after the ``n_header`` header records into ``width`` columns.

        ``strings="object"`` gives Python strings and None; ``"arrow"`` gives
        ``string[pyarrow]`` columns (pd.NA for empty), much cheaper for big files;
        ``"category"`` gives pandas categoricals (dictionary-encoded by Arrow, no Python
        object per cell), the cheapest in time and memory.
        """
        self._strings = strings
        self._n_header = n_header
        self._skip = {i for i in skip if 0 <= i < width}
        self._integers = {i for i in integers if 0 <= i < width}
        self._paired = False  # set when the quotes are found to open and close fields
        body = self._body(n_header, width)
        if strings == "arrow" and not body.arrow:
            body.data = body.data.astype(_ARROW_STRING)
        elif strings == "category" and not body.arrow:
            columns = [pa.chunked_array([pa.array(body.data[c].to_numpy(dtype=object),
                                                  type=pa.string(), from_pandas=True)])
                       for c in body.data.columns]
            body.data = categorical_frame(columns)
        return body

    def _body(self, n_header: int, width: int) -> _Body:
        """The body as object columns (exact route) or as arrow-read columns (fast)."""
        offset = self._offset(n_header)
        self._body_offset = offset
        span = self._body_bytes(offset)
        if span is None:
            empty = pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
            return _Body(empty, np.arange(1, 1, dtype=np.int64), 0, route="empty")
        body = self._try_fast(*span, width)
        if body is None and self._text is None:
            encoding = self.encoding
            if self.text is not None and self.encoding != encoding:  # UTF-8 broke further down
                offset = self._body_offset = self._single_byte_offset(offset)
                body = self._try_fast(*self._body_bytes(offset), width)
        self._utf8 = None
        if body is not None:
            return body
        return self._exact(self.text[offset:].rstrip("\r\n"), width, offset)

    def _try_fast(self, start: int, end: int, width: int) -> _Body | None:
        """The fast route, if the body has no blank line and its quoting is clean."""
        data = self._utf8
        self._paired = False
        quoted = data.find(b'"', start, end) >= 0
        # with two columns or more, Arrow reads a blank line as a row of missing values,
        # as the exact route does; with one column it would be no row: a scan is needed
        if (not quoted and width == 1 and has_blank_line(data, start, end)) or (
            quoted and not self._clean_quoting(start, end, width)
        ):
            return None
        del data
        return self._fast(start, end, width, self._strings, quoted)

    def _clean_quoting(self, start: int, end: int, width: int) -> bool:
        """Whether a strict ``csv`` pass would find only records of ``width`` fields.

        A malformed quote sends the file to the exact route, which reports it. The
        quotes are checked on the bytes (:func:`quote_verdict`); a row of another width
        is left to the parser's invalid-row handler, and a blank line outside quotes to
        the parser too, which reads it as the exact route does: a row of missing values
        (two columns or more). A quote the
        byte check cannot place (a literal ``"`` inside an unquoted field) and a
        one-column file (where a blank line is a valid row) take the ``csv`` pass.
        """
        if width > 1:  # Arrow reads a blank line as a row of missing values: no check
            verdict = quote_verdict(self._utf8, start, end, self.delimiter, blank_lines=False)
            if verdict is not None:
                self._paired = verdict
                return verdict
        return self._strict_pass(start, end, width)

    def _swallowed(self, start: int, end: int, width: int, records: int) -> bool:
        """Whether the body, read by Arrow into ``records`` rows with its quotes paired,
        has a stray quote swallowing rows (:func:`swallowing_quote`): looked for only
        when some quoted field holds a line end (fewer rows than lines), so that a
        clean body costs one count of its line feeds."""
        if not self._paired or self._utf8.count(b"\n", start, end) + 1 == records:
            return False
        return swallowing_quote(self._utf8, start, end, self.delimiter, width) is not None

    def _strict_pass(self, start: int, end: int, width: int) -> bool:
        """Python's strict ``csv`` reader over the body: every record of ``width`` fields."""
        try:
            text = self._utf8[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return False
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        line = 0
        try:
            for record in reader:
                many_lines = reader.line_num - line > 1
                if len(record) != width or (
                        many_lines and swallows_rows(record, self.delimiter, width)):
                    return False
                line = reader.line_num
        except csv.Error:
            return False
        return True

    def _body_bytes(self, offset: int) -> tuple[int, int] | None:
        """Keep the body's UTF-8 bytes in ``_utf8``; return their [start, end) span.

        Trailing newlines are cut. For a UTF-8 file the bytes are the file's own (no
        copy). None if there is no body.
        """
        if self.encoding == "utf-8":
            self._utf8 = self.raw
            start = self.bom + len(self._head_text[:offset].encode("utf-8"))
        else:
            self._utf8, start = self.text[offset:].encode("utf-8"), 0
        end = len(self._utf8)
        while end > start and self._utf8[end - 1] in (10, 13):
            end -= 1
        return (start, end) if end > start else None

    def _options(self, width: int, quoted: bool, types: dict, invalid: list) -> tuple:
        """pyarrow CSV options for the body: columns ``c0..c<width-1>``, those of ``types``
        converted (every cell a string or null), the others parsed only; the text of
        each row of another width is appended to ``invalid`` (the row skipped)."""

        def on_invalid(row) -> str:
            invalid.append(row.text)  # the row number is unknown when parsing in threads
            return "skip"

        return (
            pcsv.ReadOptions(column_names=[f"c{i}" for i in range(width)], block_size=_BLOCK),
            pcsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=quoted,
                              ignore_empty_lines=False, invalid_row_handler=on_invalid),
            pcsv.ConvertOptions(column_types=types, strings_can_be_null=True, null_values=[""],
                                include_columns=list(types)),
        )

    def _fast(
        self, start: int, end: int, width: int, strings: str, quoted: bool = False
    ) -> _Body | None:
        """pyarrow route; rows of the wrong width mended as the exact route does
        (:meth:`_odd_rows`), or None when they cannot be placed (the exact route decides)."""
        if strings == "category":
            return self._fast_categorical(start, end, width, quoted)
        names = [f"c{i}" for i in range(width)]
        # pandas' string[pyarrow] stores large_string: reading it directly avoids a cast
        string = pa.large_string() if strings == "arrow" else pa.string()
        invalid: list[str] = []
        read, parse, convert = self._options(width, quoted, {n: string for n in names}, invalid)
        buffer = pa.py_buffer(self._utf8).slice(start, end - start)
        try:
            table = pcsv.read_csv(buffer, read_options=read, parse_options=parse,
                                  convert_options=convert)
        except pa.ArrowInvalid:
            return None
        if self._swallowed(start, end, width, table.num_rows + len(invalid)):
            return None
        odd = self._odd_rows(start, end, width, invalid, table.num_rows) if invalid else None
        if invalid and odd is None:
            return None
        del buffer
        self.raw = self._utf8 = b""  # the table holds the values: free the bytes (peak memory)
        if odd is not None:
            table = pa.table([splice(table.column(k), odd.at, odd.values(k, string))
                              for k in range(width)], names=names)
        mapper = {string: _ARROW_STRING}.get if strings == "arrow" else None
        frame = table.to_pandas(split_blocks=True, self_destruct=True, types_mapper=mapper)
        del table
        frame.columns = range(width)
        return self._fast_body(frame, odd)

    def _fast_categorical(self, start: int, end: int, width: int, quoted: bool) -> _Body | None:
        """pyarrow route giving categoricals; rows of the wrong width mended as the exact
        route does (:meth:`_odd_rows`), or None when they cannot be placed.

        The body is parsed block by block, each block's columns dictionary-encoded by the
        parser, so the file is never held as strings whole (peak memory); a column whose
        first values are all distinct (an identifier, free text) stays Arrow strings
        (``string[pyarrow]``), encoded later only if its typing needs it. A big body is
        cut in two at a line end and the halves parsed in two threads (pyarrow releases
        the GIL). The columns in ``skip`` (ones the survey tool's conventions drop) are
        parsed but not converted: all-missing placeholders.
        """
        sample = self._sample()
        kept = [i for i in range(width) if i not in self._skip] or list(range(width))
        whole = {i for i in self._integers if i in kept and _whole_numbers(sample, i)}
        types = {f"c{i}": _INTEGER if i in whole else
                 pa.large_string() if _looks_unique(sample, i) else _DICTIONARY for i in kept}
        if len(kept) < width and not valid_utf8(self._utf8, start, end):
            return None  # as if converting a skipped column had failed: decoded otherwise
        invalid: list[str] = []
        read, parse, convert = self._options(width, quoted, types, invalid)
        buffer = pa.py_buffer(self._utf8)

        def blocks(span: tuple[int, int]) -> list[list]:
            columns: list[list] = [[] for _ in kept]
            reader = pcsv.open_csv(pa.BufferReader(buffer.slice(span[0], span[1] - span[0])),
                                   read_options=read, parse_options=parse,
                                   convert_options=convert)
            for batch in reader:
                for i, chunk in enumerate(batch.columns):
                    columns[i].append(chunk)
                del batch
            return columns

        # quotes give the line ends inside quoted fields only when each opens or closes one
        spans = halves(self._utf8, start, end, quoted) if self._paired or not quoted else [
            (start, end)]
        try:
            if len(spans) == 1:
                parts = [blocks(spans[0])]
            else:
                with ThreadPoolExecutor(max_workers=2) as pool:
                    parts = list(pool.map(blocks, spans))
        except pa.ArrowInvalid:
            if whole:  # a value further down is no plain whole number: read them as text
                self._integers = set()
                return self._fast_categorical(start, end, width, quoted)
            return None
        parsed = sum(len(c) for part in parts for c in part[0])
        if self._paired and self._swallowed(start, end, width, parsed + len(invalid)):
            return None
        odd = self._odd_rows(start, end, width, invalid, parsed) if invalid else None
        if invalid and odd is None:
            return None
        if odd is not None:
            try:
                values = [odd.values(i, types[f"c{i}"]) for i in kept]
            except ValueError:  # a mended value is no plain whole number: read them as text
                self._integers = set()
                return self._fast_categorical(start, end, width, quoted)
        del buffer
        self.raw = self._utf8 = b""  # the blocks hold the values: free the bytes (peak memory)
        pa.default_memory_pool().release_unused()
        columns = [pa.chunked_array([c for part in parts for c in part[k]], type=types[f"c{i}"])
                   for k, i in enumerate(kept)]
        del parts
        if odd is not None:
            columns = [splice(column, odd.at, value) for column, value in zip(columns, values)]
        frame = categorical_frame(columns, keep_text=True)
        del columns
        pa.default_memory_pool().release_unused()  # hand the parse buffers back (peak RSS)
        n = len(frame)
        if len(kept) < width:
            frame.columns = kept
            for i in sorted(self._skip):
                frame.insert(i, i, _missing_column(n))
        return self._fast_body(frame, odd)

    def _fast_body(self, frame: pd.DataFrame, odd: OddRows | None) -> _Body:
        """The body read by Arrow, with the accounting of its mended rows if any."""
        if odd is None:
            n = len(frame)
            return _Body(frame, np.arange(1, n + 1, dtype=np.int64), n, route="fast",
                         arrow=True)
        return _Body(frame, odd.rows, odd.n, odd.excluded, [], route="exact", notes=odd.notes,
                     arrow=True)

    def _odd_rows(self, start: int, end: int, width: int, texts: list[str],
                  parsed: int) -> OddRows | None:
        """The rows of another width than ``width`` that Arrow skipped (``texts``, besides
        ``parsed`` rows read), decided as the exact route decides them
        (:func:`~surveys._row_mending.odd_rows`); None when they cannot be placed with
        certainty: the exact route."""

        def header_lines() -> int:  # the lines above the body, for the notes
            text = self._text if self._text is not None else self._head_text
            return len(split_lines(text[:self._body_offset]))

        return odd_rows(self._utf8, start, end, self.delimiter, width, texts, parsed,
                        self.name, header_lines)

    def _exact(self, body_text: str, width: int, offset: int = 0) -> _Body:
        """Python ``csv`` route: every record accounted for, malformed ones reported.

        A stray quote (a quoted field that never closes, or closes only across lines
        that look like rows) is read as an ordinary character: its row is read from
        its own line, the cell blanked and reported, and a note names the line. A row
        shorter than the header is padded, joined with the pieces below it, or set aside
        (:func:`~surveys._csv_records.mend_records`); a note names the lines mended.
        """
        records, starts, malformed, stray = read_records(split_lines(body_text), self.delimiter,
                                                         width)
        n = len(records)
        lengths = np.fromiter(map(len, records), dtype=np.int64, count=n)
        bad_quote = set(malformed)
        swallowed = {i: (lines, unclosed) for i, lines, unclosed in stray}
        # rows of another width: cut, set aside, or left to the mending (short, read well)
        odd = np.flatnonzero((lengths != width) & (lengths != 0)).tolist()
        excluded, short = set_aside(records, odd, width, swallowed, bad_quote)
        notes = []
        above = len(split_lines(self.text[:offset])) if stray or short else 0  # header lines
        if short:
            mend_records(records, short, width, excluded, notes,
                         {i: above + starts[i] + 1 for i in short}, self.name)
        keep = [i for i in range(n) if records[i] is not None]
        table = [records[i] if records[i] else [""] * width for i in keep]
        frame = pd.DataFrame(table, columns=range(width), dtype=object) if table else (
            pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
        )
        frame = frame.where(frame != "", None)
        rows = np.asarray(keep, dtype=np.int64) + 1
        problems = self._quote_problems(frame, rows, sorted(bad_quote), swallowed)
        if stray:
            for key, unclosed in (("quote_unclosed", True), ("quote_across_rows", False)):
                found = [i for i, _, never in stray if never is unclosed]
                if found:
                    notes.append(Note(key, file=self.name, count=len(found),
                                      line=above + starts[found[0]] + 1, row=found[0] + 1))
        return _Body(frame, rows, n, excluded, problems, route="exact", notes=notes)

    def _quote_problems(self, frame: pd.DataFrame, rows: np.ndarray, bad: list[int],
                        swallowed: dict | None = None) -> list[dict]:
        """Blank the cells of a malformed-quoting row that hold a stray quote; report each."""
        problems = []
        swallowed = swallowed or {}
        position = {r: k for k, r in enumerate(rows.tolist())}
        for i in bad:
            k = position.get(i + 1)
            if k is None:
                continue
            values = frame.iloc[k]
            hit = values.map(lambda v: isinstance(v, str) and '"' in v)
            reason = (f"{stray_reason(*swallowed[i])}; read as an ordinary character, the cell "
                      "cannot be read reliably" if i in swallowed else
                      "malformed CSV quoting (an unescaped \" inside a quoted field); the cell "
                      "cannot be read reliably")
            for col in values.index[hit.to_numpy()]:
                problems.append({"row": i + 1, "column": col, "value": values[col],
                                 "reason": reason, "action": "set_missing"})
                frame.iat[k, frame.columns.get_loc(col)] = None
        return problems
