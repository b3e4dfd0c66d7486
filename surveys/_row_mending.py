"""Rows of another width than the header's in a body Arrow has read: found on the
bytes, set aside or mended as the exact route does, and put back into the columns.

Arrow's parser hands each row of the wrong width to an invalid-row handler, with its
text but without its place (the row number is unknown when the parser runs in
threads). The fast route of :mod:`surveys._text` keeps its table and finds those rows
on the bytes instead (:func:`odd_lines`): the lines whose text is exactly one such
row's. That holds only where every line is one record, which :func:`odd_lines`
checks by counting the line ends. The records the mending rules look at (the odd
rows and their neighbours, the first rows of the body) are read from their own lines
with Python's ``csv`` module (:class:`LineRecords`), as the exact route reads them;
:func:`set_aside` is the exact route's own decision for each odd row, and
:func:`splice` puts the kept ones back among the Arrow rows, at their places;
:func:`odd_rows` does it all for :mod:`surveys._text`.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from surveys._csv_records import malformed_reason, mend_records, stray_reason

__all__ = ["Decline", "set_aside", "odd_lines", "LineRecords", "splice", "OddRows", "odd_rows"]

#: Most distinct texts of odd rows looked for: each is one search through the body's
#: bytes (0.05-0.5 s on a 300 MB log, the shorter texts the slower), against some
#: 30 s for the exact route on that log; more distinct odd rows than this go there.
MAX_TEXTS = 8
#: Most odd rows mended on the fast route: each one put back cuts the columns' chunks
#: (two more per column); beyond this, the exact route.
MAX_ROWS = 1000
#: A value the parser reads into a whole-number (int16) column (``_text._INTEGER``).
_PLAIN_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,3})")
#: Most rows set aside whose numbers are shifted in place (more: one ``np.delete``).
_SHIFTED = 16


class Decline(Exception):
    """The odd rows cannot be placed with certainty: the caller takes the exact route."""


def set_aside(records, odd: list[int], width: int, swallowed: dict | None = None,
              bad_quote: frozenset | set = frozenset()) -> tuple[list[dict], list[int]]:
    """The exact route's first decision on each record of another width than ``width``.

    A record longer than the header whose extra fields are all empty is cut to the
    header's width (kept); a shorter one, well read, is left to the mending rules
    (returned in ``short``); any other is excluded with its reason and becomes None.

    Parameters
    ----------
    records : sequence of list of str
        The body's records by index, changed in place.
    odd : list of int
        Sorted indices of the records of another width (none empty).
    width : int
        The header's number of fields.
    swallowed : dict, optional
        Index -> (lines, unclosed) for the records read again from their own line
        (a stray quote, :func:`surveys._csv_records.read_records`).
    bad_quote : set of int, optional
        Indices of the records whose quoting was malformed.

    Returns
    -------
    excluded : list of dict
        ``row`` (1-based record number) and ``reason`` of each excluded record.
    short : list of int
        Indices of the short records for :func:`surveys._csv_records.mend_records`.

    Examples
    --------
    >>> records = [["1", "a", "x"], ["2", "b"], ["3", "c", "z", ""], ["4", "d", "y", "!"]]
    >>> set_aside(records, [1, 2, 3], 3)
    ([{'row': 4, 'reason': 'malformed row: 4 fields where the header has 3'}], [1])
    >>> records[2], records[3]
    (['3', 'c', 'z'], None)
    """
    swallowed = swallowed or {}
    excluded, short = [], []
    for i in odd:
        rec = records[i]
        if len(rec) > width and not any(rec[width:]):
            records[i] = rec[:width]
            continue
        if len(rec) < width and i not in swallowed and i not in bad_quote:
            short.append(i)
            continue
        reason = malformed_reason(
            len(rec), width, f" ({stray_reason(*swallowed[i])})" if i in swallowed else
            " (unescaped quote inside a quoted field)" if i in bad_quote else "")
        excluded.append({"row": i + 1, "reason": reason})
        records[i] = None
    return excluded, short


def _line_end(data, start: int, end: int) -> bytes:
    """The byte that ends the body's lines: a line feed, or a carriage return when the
    body has no line feed (old Mac files)."""
    return b"\n" if data.find(b"\n", start, end) >= 0 or data.find(b"\r", start, end) < 0 else b"\r"


def odd_lines(data, start: int, end: int, texts: list[str],
              records: int) -> list[tuple[int, int]]:
    """The byte offsets (sorted) of the lines of ``data[start:end]`` whose text is one of
    ``texts``, the rows Arrow's parser found of the wrong width, and each line's index.

    Raises :class:`Decline` unless every line is one record (the line ends, counted,
    make ``records`` lines: no line end inside a quoted field, none that Arrow sees and
    the count misses, as a carriage return alone in a body of line feeds) and exactly
    ``len(texts)`` lines were found: then the lines found are those rows (a line reads
    as its text does, wherever it stands).

    Parameters
    ----------
    data : bytes-like
        The body's UTF-8 bytes (``find``/``count`` as on bytes).
    start, end : int
        The body's span (no trailing line end).
    texts : list of str
        Each odd row's text as the parser gave it (without its line end).
    records : int
        Rows of the parsed table plus the odd rows.

    Returns
    -------
    list of tuple
        ``(offset, line)`` of each odd row, in the body's order (``line`` 0-based).

    Examples
    --------
    >>> body = b"id;v\\n1;a\\n2\\n3;c\\n2"
    >>> odd_lines(body, 5, len(body), ["2", "2"], 4)
    [(9, 1), (15, 3)]
    """
    counts = Counter(texts)
    if len(counts) > MAX_TEXTS or len(texts) > MAX_ROWS:
        raise Decline(f"{len(texts)} odd rows, {len(counts)} distinct")
    eol = _line_end(data, start, end)
    if eol == b"\n" and data.find(b"\r", start, end) >= 0 and (
            data.count(b"\r", start, end) != data.count(b"\r\n", start, end)):
        # a carriage return alone ends a line for the parser, not for the count: with a
        # line end inside a quoted field the two errors could cancel out
        raise Decline("a carriage return alone ends some lines")
    first = data.find(eol, start, end)
    # the first line's ending stands for all (a line ending otherwise is not found)
    ending = b"\r\n" if eol == b"\n" and first > start and data[first - 1] == 13 else eol
    found: set[int] = set()
    for text in counts:
        token = text.encode("utf-8")
        if not token or eol in token:
            raise Decline("an empty odd row, or one holding a line end")
        size = len(token)
        if data[start:start + size] == token and (start + size == end or data[start + size]
                                                  in (10, 13)):
            found.add(start)
        if end - size > start and data[end - size:end] == token and data[end - size - 1] == eol[0]:
            found.add(end - size)
        pattern = eol + token + ending
        at = data.find(pattern, start, end)
        while at >= 0:
            found.add(at + 1)
            at = data.find(pattern, at + len(pattern) - 1, end)
    if len(found) != len(texts):
        raise Decline(f"{len(found)} lines found for {len(texts)} odd rows")
    offsets = sorted(found)
    lines, line, last = [], 0, start
    for offset in offsets:
        line += data.count(eol, last, offset)
        lines.append(line)
        last = offset
    if line + data.count(eol, last, end) + 1 != records:
        raise Decline("lines and records differ (a line end inside a quoted field?)")
    return list(zip(offsets, lines))


class LineRecords:
    """The body's records by index, each read from its own line with Python's ``csv``
    (as the exact route reads a one-line record): a sequence for
    :func:`surveys._csv_records.mend_records`, which looks at a few of them.

    Every line must be one record (:func:`odd_lines` checked it). A line is found by
    walking the line ends from the nearest line whose place is known (the body's
    first, the odd rows', those already read). A record assigned replaces the line's.

    Parameters
    ----------
    data : bytes-like
        The body's UTF-8 bytes.
    start, end : int
        The body's span.
    delimiter : str
        The field delimiter.
    n : int
        Records of the body.
    known : dict of int to int
        Record index -> byte offset of its line, besides the first.

    Examples
    --------
    >>> body = b"1;a\\r\\n2\\r\\n3;c"
    >>> records = LineRecords(body, 0, len(body), ";", 3, {})
    >>> records[2], records[1], len(records)
    (['3', 'c'], ['2'], 3)
    """

    def __init__(self, data, start: int, end: int, delimiter: str, n: int,
                 known: dict[int, int]) -> None:
        self._data, self._start, self._end = data, start, end
        self._delimiter = delimiter
        self._n = n
        self._eol = _line_end(data, start, end)
        self._at = {0: start, **known}
        self._keys = sorted(self._at)
        self._set: dict[int, list[str] | None] = {}

    def __len__(self) -> int:
        return self._n

    def __setitem__(self, i: int, record: list[str] | None) -> None:
        self._set[i] = record

    def __getitem__(self, i: int) -> list[str] | None:
        if not 0 <= i < self._n:
            raise IndexError(i)
        if i in self._set:
            return self._set[i]
        offset = self._offset(i)
        stop = self._data.find(self._eol, offset, self._end)
        stop = self._end if stop < 0 else stop
        raw = self._data[offset:stop]
        if self._eol == b"\n" and raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = bytes(raw).decode("utf-8")
            return next(csv.reader([line], delimiter=self._delimiter, strict=True), [])
        except (UnicodeDecodeError, csv.Error) as err:
            raise Decline(f"line of record {i + 1} not read as the exact route reads it") from err

    def _offset(self, i: int) -> int:
        """Byte offset of record ``i``'s line, walked to from the nearest known line."""
        if i in self._at:
            return self._at[i]
        k = bisect.bisect_left(self._keys, i)
        below = self._keys[k - 1]
        above = self._keys[k] if k < len(self._keys) else None
        data, eol, lo = self._data, self._eol, self._start
        if above is not None and above - i < i - below:
            offset, line = self._at[above], above
            while line > i:  # the line end above ``offset`` closes the line before
                cut = data.rfind(eol, lo, offset - 1)
                offset, line = (cut + 1 if cut >= 0 else lo), line - 1
        else:
            offset, line = self._at[below], below
            while line < i:
                offset, line = data.find(eol, offset, self._end) + 1, line + 1
        self._at[i] = offset
        bisect.insort(self._keys, i)
        return offset


def splice(column: pa.ChunkedArray, at: list[int], values: pa.Array) -> pa.ChunkedArray:
    """``column`` with ``values[k]`` put before its row ``at[k]`` (``at`` sorted; the
    column's length puts a value at the end). No copy of the column: its chunks are
    sliced around the places.

    Examples
    --------
    >>> column = pa.chunked_array([["a", "b"], ["c"]])
    >>> splice(column, [0, 2, 3], pa.array(["x", "y", "z"])).to_pylist()
    ['x', 'a', 'b', 'y', 'c', 'z']
    """
    pieces, previous = [], 0
    for k, place in enumerate(at):
        if place > previous:
            pieces.extend(column.slice(previous, place - previous).chunks)
        pieces.append(values.slice(k, 1))
        previous = place
    pieces.extend(column.slice(previous).chunks)
    return pa.chunked_array([p for p in pieces if len(p)] or [values.slice(0, 0)],
                            type=column.type)


@dataclass
class OddRows:
    """Rows of the wrong width in a body Arrow read, as the exact route decides them:
    the kept ones (``records``) go before the table rows ``at``; ``rows`` are the record
    numbers (1-based) of the body's kept rows, ``n`` the records in all, ``excluded``
    and ``notes`` the exact route's."""

    at: list[int]
    records: list[list[str]]
    rows: np.ndarray
    n: int
    excluded: list[dict]
    notes: list

    def values(self, i: int, kind: pa.DataType) -> pa.Array:
        """Column ``i`` of the kept records as an Arrow array of type ``kind`` (an empty
        field missing, as Arrow reads it). Raises ValueError for a value an integer
        column cannot hold as the parser reads it (a plain whole number).

        Examples
        --------
        >>> odd = OddRows([1], [["7", ""]], np.arange(1, 4), 3, [], [])
        >>> odd.values(0, pa.int16()).to_pylist(), odd.values(1, pa.string()).to_pylist()
        ([7], [None])
        """
        cells = [r[i] if i < len(r) and r[i] != "" else None for r in self.records]
        if pa.types.is_dictionary(kind):
            return pa.array(cells, type=kind.value_type).dictionary_encode().cast(kind)
        if pa.types.is_integer(kind):
            if not all(c is None or _PLAIN_INTEGER.fullmatch(c) for c in cells):
                raise ValueError("not a plain whole number")
            return pa.array([None if c is None else int(c) for c in cells], type=kind)
        return pa.array(cells, type=kind)


def _kept_numbers(n: int, removed: list[int]) -> np.ndarray:
    """Record numbers 1..n without the (sorted, 0-based) ``removed`` ones: one array,
    shifted below each gap, when they are few."""
    if len(removed) > _SHIFTED:
        return np.delete(np.arange(1, n + 1, dtype=np.int64), removed)
    rows = np.arange(1, n - len(removed) + 1, dtype=np.int64)
    for k, i in enumerate(removed):
        rows[i - k:] += 1
    return rows


def odd_rows(data, start: int, end: int, delimiter: str, width: int, texts: list[str],
             parsed: int, name: str, header_lines: Callable[[], int]) -> OddRows | None:
    """The rows of another width than ``width`` that Arrow skipped, decided as the exact
    route decides them: found on the bytes (:func:`odd_lines`), read from their lines,
    cut, set aside (:func:`set_aside`) or mended
    (:func:`surveys._csv_records.mend_records`, which reads the lines around them).

    Parameters
    ----------
    data : bytes-like
        The body's UTF-8 bytes.
    start, end : int
        The body's span (no trailing line end).
    delimiter : str
        The field delimiter.
    width : int
        The header's number of fields.
    texts : list of str
        The odd rows' texts, as Arrow's invalid-row handler gave them.
    parsed : int
        Rows of Arrow's table.
    name : str
        The file's name (for the notes).
    header_lines : callable
        Gives the number of lines above the body (called only when a note names lines).

    Returns
    -------
    OddRows or None
        None when the odd rows cannot be placed with certainty (a line end inside a
        quoted field, other line ends, too many of them, a line the ``csv`` module
        refuses): the exact route.

    Examples
    --------
    >>> body = b"1;a;x\\n2;b\\n3;c;y;z\\n4;d;w"
    >>> odd = odd_rows(body, 0, len(body), ";", 3, ["2;b", "3;c;y;z"], 2, "f.csv", lambda: 1)
    >>> odd.at, odd.records, odd.rows.tolist()
    ([1], [['2', 'b', '']], [1, 2, 4])
    >>> odd.excluded[0]["row"], odd.excluded[0]["reason"]
    (3, 'malformed row: 4 fields where the header has 3')
    """
    n = parsed + len(texts)
    try:
        placed = odd_lines(data, start, end, texts, n)
        records = LineRecords(data, start, end, delimiter, n,
                              {line: offset for offset, line in placed})
        odd = [line for _, line in placed]
        for i in odd:
            records[i] = records[i]  # read now: a line the csv module refuses declines here
        excluded, short = set_aside(records, odd, width)
        notes: list = []
        if short:
            above = header_lines()
            mend_records(records, short, width, excluded, notes,
                         {i: above + i + 1 for i in short}, name)
    except Decline:
        return None
    kept = [(i, k) for k, i in enumerate(odd) if records[i] is not None]
    # a kept record goes before the table row that followed it: its index less the odd
    # records above it (none of them in the table)
    return OddRows([i - k for i, k in kept], [records[i] for i, _ in kept],
                   _kept_numbers(n, [i for i in odd if records[i] is None]), n, excluded, notes)
