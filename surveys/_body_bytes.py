"""Checks on the bytes of a CSV body, made with numpy before any parse.

The fast route of :mod:`surveys._text` hands the body to Arrow's parser only when it
is safe: no blank line (one column), quotes that Python's strict ``csv`` reader would
accept, valid UTF-8. These functions answer such questions on the raw bytes (the
quote, delimiter and line-end characters are ASCII, so they never occur inside a UTF-8
multi-byte character), and cut a big body in two halves at a line end outside quotes
so that two threads can parse it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["has_blank_line", "quote_verdict", "swallowing_quote", "halves", "valid_utf8"]

#: Bytes scanned at a time when looking for blank lines.
_CHUNK = 1 << 24


def has_blank_line(data: bytes, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` holds an empty line (LF, CRLF or CR line endings).

    Scans in chunks with numpy: ``bytes.find(b"\\n\\n")`` is slow on text where every
    line ends in ``\\n``.
    """
    if data.find(b"\n", start, end) < 0:
        return data.find(b"\r\r", start, end) >= 0
    for lo in range(start, end, _CHUNK):
        hi = min(end, lo + _CHUNK + 2)
        chunk = np.frombuffer(data, dtype=np.uint8, count=hi - lo, offset=lo)
        newlines = np.flatnonzero(chunk == 10)
        gaps = np.diff(newlines)
        if (gaps == 1).any() or ((gaps == 2) & (chunk[newlines[1:] - 1] == 13)).any():
            return True
    return False


def _positions(view: np.ndarray, byte: int) -> np.ndarray:
    """Positions of one byte value in ``view`` (scanned in chunks: no file-sized mask)."""
    found = [np.flatnonzero(view[lo: lo + _CHUNK] == byte) + lo
             for lo in range(0, len(view), _CHUNK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def quote_verdict(data: bytes, start: int, end: int, delimiter: str, *,
                  blank_lines: bool = True) -> bool | None:
    """What Python's strict ``csv`` reader would say of the quoting of ``data[start:end]``,
    found on the bytes with numpy (the quote, delimiter and line ends are ASCII bytes,
    which never occur inside a UTF-8 multi-byte character).

    The quotes alternate opening and closing. When every opening quote starts a field
    (after a delimiter, a line end, the start, or a closing quote: ``""`` inside a quoted
    field) and every closing quote ends one (before a delimiter, a line end, a quote or
    the end), the ``csv`` state machine is in a quoted field exactly between an opening
    and its closing quote. Then the quoting is clean unless the last field never closes
    or a blank line stands outside the quotes (a record with no field).

    Returns True (clean), False (the ``csv`` pass fails) or None when a quote cannot be
    placed this way (a literal ``"`` inside an unquoted field, before any misplaced
    closing quote): the caller runs ``csv``.

    With ``blank_lines=False`` the blank lines are not looked for (a pass over every
    line end saved): for a caller whose parser reads a blank line as ``csv`` does, as
    Arrow's does in a table of two columns or more (a row of missing values).
    """
    view = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    n = len(view)
    quotes = _positions(view, 34)
    if not len(quotes):
        return None
    ends = np.array([ord(delimiter), 10, 13], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    opens_field = np.isin(view[np.maximum(opening - 1, 0)], ends) | (opening == 0)
    opens_field[1:] |= closing[: len(opening) - 1] == opening[1:] - 1  # "" inside a field
    after = closing + 1
    closes_field = (after >= n) | np.isin(view[np.minimum(after, n - 1)], np.append(ends, 34))
    if not (opens_field.all() and closes_field.all()):
        # the first misplaced quote decides: up to it the csv reader was where the quotes
        # say; a closing quote followed by text is an error, an opening one inside an
        # unquoted field a literal quote (only csv can follow from there)
        first_open = 2 * np.argmin(opens_field) if not opens_field.all() else len(quotes)
        first_close = 2 * np.argmin(closes_field) + 1 if not closes_field.all() else len(quotes)
        return False if first_close < first_open else None
    if len(quotes) % 2:
        return False  # a quoted field runs to the end of the data
    if not blank_lines:
        return True
    blank = [np.zeros(1, dtype=np.int64)] if view[0] in (10, 13) else []
    line_feeds = _positions(view, 10)
    next_byte = view[np.minimum(line_feeds + 1, n - 1)]
    blank.append(line_feeds[(line_feeds + 1 < n) & ((next_byte == 10) | (next_byte == 13))])
    if data.find(b"\r", start, end) >= 0:
        returns = _positions(view, 13)
        blank.append(returns[(returns + 1 < n) & (view[np.minimum(returns + 1, n - 1)] == 13)])
    blank = np.concatenate(blank)
    outside = np.searchsorted(quotes, blank) % 2 == 0
    return not outside.any()


def swallowing_quote(data: bytes, start: int, end: int, delimiter: str, width: int) -> int | None:
    """The first quoted field of ``data[start:end]`` that looks like a stray quote
    swallowing rows: after one of its line ends, the text up to the next line end (or
    to the field's closing quote) holds ``width - 1`` delimiters or more, as a row does.

    For a body whose quotes each open or close a field (:func:`quote_verdict` said
    True). A legitimate multi-line comment rarely has a whole row's worth of delimiters
    on one of its lines; a quote typed at the start of a cell and closed by another one
    a few rows further down always does. Returns the position of the field's opening
    quote (an offset in ``data``), or None. With fewer than two columns nothing looks
    like a row: None.

    Examples
    --------
    >>> body = b'1;"a\\n2;ok;x\\n3;ok";x\\n'
    >>> swallowing_quote(body, 0, len(body), ";", 3)
    2
    >>> body = b'1;"line one\\nline two";x\\n'
    >>> swallowing_quote(body, 0, len(body), ";", 3) is None
    True
    """
    if width < 2:
        return None
    view = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    quotes = _positions(view, 34)
    if len(quotes) < 2:
        return None
    opening, closing = quotes[0::2], quotes[1::2][: len(quotes) // 2]
    opening = opening[: len(closing)]
    # an escaped quote ("") closes a span and opens the next one: one field
    joined = opening[1:] == closing[:-1] + 1
    first = opening[np.concatenate(([True], ~joined))]
    last = closing[np.concatenate((~joined, [True]))]
    line_end = 10 if data.find(b"\n", start, end) >= 0 else 13
    ends = _positions(view, line_end)
    if not len(ends):
        return None
    lo, hi = np.searchsorted(ends, first), np.searchsorted(ends, last)
    needed = width - 1
    mark = ord(delimiter).to_bytes(1, "little")
    for k in np.flatnonzero(hi > lo).tolist():  # the multi-line fields only
        for j in range(int(lo[k]), int(hi[k])):
            stop = int(ends[j + 1]) if j + 1 < hi[k] else int(last[k])
            if data.count(mark, start + int(ends[j]) + 1, start + stop) >= needed:
                return start + int(first[k])
    return None


#: Bodies smaller than this are parsed in one piece.
_SPLIT_BYTES = 1 << 22


def halves(data: bytes, start: int, end: int, quoted: bool) -> list[tuple[int, int]]:
    """``[start, end)`` cut in two at a line end near the middle, for two parsers.

    The cut is a line feed (with its carriage return) between two non-empty lines, outside any
    quoted field (an even number of quotes before it: the quoting was found clean, each
    quote opening or closing a field); the line end itself is left out, so that each
    half parses to the rows the whole gives. One span when the body is small or no
    such line end is near the middle.
    """
    if end - start < _SPLIT_BYTES:
        return [(start, end)]
    pos = data.find(b"\n", (start + end) // 2, end)
    quotes = data.count(b'"', start, pos) if quoted and pos >= 0 else 0
    for _ in range(64):
        if pos < 0 or pos + 1 >= end:
            break
        before = pos - 1 if data[pos - 1] == 13 else pos
        if (quotes % 2 == 0 and data[before - 1] not in (10, 13)
                and data[pos + 1] not in (10, 13)):
            return [(start, before), (pos + 1, end)]
        nxt = data.find(b"\n", pos + 1, end)
        if quoted and nxt >= 0:
            quotes += data.count(b'"', pos, nxt)
        pos = nxt
    return [(start, end)]


def valid_utf8(data: bytes, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` is valid UTF-8 (checked by Arrow, no decoded copy)."""
    offsets = pa.py_buffer(np.array([0, end - start], dtype=np.int64))
    value = pa.py_buffer(data).slice(start, end - start)
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, value]).cast(
            pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True
