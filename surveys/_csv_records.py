"""Delimited text walked line by line: the lines above the header, and records read
with Python's ``csv`` module, stray quotes found.

:func:`read_records` is the exact route of :mod:`surveys._text`: strict parsing first,
a lax re-read of a record that breaks it, and a stray quote at the start of a cell
(``"Très bien``) that never closes, or closes only across lines that look like rows,
read as an ordinary character so that it swallows no row. :func:`leading_blank` and
:data:`SEP_HINT` find the empty lines and Excel's ``sep=;`` line above a header.
"""

from __future__ import annotations

import csv
import io
import re

__all__ = ["split_lines", "leading_blank", "SEP_HINT", "swallows_rows", "unquoted",
           "read_records", "stray_reason"]

csv.field_size_limit(2**31 - 1)  # a long comment is one field


def split_lines(text: str) -> list[str]:
    """Lines with their line endings (``\\n``, ``\\r\\n`` or ``\\r``)."""
    return io.StringIO(text, newline="").readlines()


#: Excel's delimiter hint, a first line such as ``sep=;``.
SEP_HINT = re.compile(r"sep=([,;\t|])[ \t]*(?:\r\n|\r|\n)?")
#: A line holding nothing but white space and separators (``;;;``, ``,,,``).
BLANK_LINE = re.compile(r"[\s,;|]*")


def leading_blank(lines: list[str]) -> int:
    """How many of the first ``lines`` are empty or hold only separators and white space.

    Examples
    --------
    >>> leading_blank(["\\n", ";;;\\r\\n", "id;age\\n", "\\n"])
    2
    """
    count = 0
    while count < len(lines) and BLANK_LINE.fullmatch(lines[count]):
        count += 1
    return count


LINE_END = re.compile(r"\r\n|\r|\n")


def swallows_rows(record: list[str], delimiter: str, width: int) -> bool:
    """Whether a record read over several lines looks like a stray quote swallowing
    rows: a line of one of its fields (after the first) holds ``width - 1`` delimiters
    or more, as a row does (:func:`surveys._body_bytes.swallowing_quote`, on the
    fields). With fewer than two columns nothing looks like a row.

    Examples
    --------
    >>> swallows_rows(["1", "début\\n2;40;ok\\n3;50;fin"], ";", 3)
    True
    >>> swallows_rows(["1", "Très bien.\\nMerci ; à bientôt", "x"], ";", 3)
    False
    """
    if width < 2:
        return False
    for value in record:
        if "\n" in value or "\r" in value:
            if any(part.count(delimiter) >= width - 1 for part in LINE_END.split(value)[1:]):
                return True
    return False


def unquoted(value: str) -> str:
    '''A field read with its quotes as characters, unquoted when it is a well-formed
    quoted field (``"a ""b"" c"`` -> ``a "b" c``); any other field as it is.

    Examples
    --------
    >>> unquoted('"a ""b"" c"'), unquoted('"Très bien')
    ('a "b" c', '"Très bien')
    '''
    inner = value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in inner.replace('""', ""):
        return inner.replace('""', '"')
    return value


def read_records(lines: list[str], delimiter: str,
                 width: int = 0) -> tuple[list[list[str]], list[int], list[int], list[tuple]]:
    """Parse lines into records: strict first, lax re-read of a record that breaks strict.

    With ``width`` (the header's), a record read over several lines that is malformed
    (its quoted field runs to the end of the data, or is followed by text), has another
    width, or spans lines that look like rows (:func:`swallows_rows`), is read again from
    its first line alone with the quote as an ordinary character: a stray quote
    swallows no row.

    Parameters
    ----------
    lines : list of str
        The lines, with their line ends (:func:`split_lines`).
    delimiter : str
        The field delimiter.
    width : int
        The header's number of fields; 0 reads the lines as they come (the header).

    Returns
    -------
    records : list of list of str
    starts : list of int
        The index of each record's first line.
    malformed : list of int
        The records whose quoting was malformed (a stray quote's included).
    stray : list of tuple
        For each record read again from its own line: its index, the number of lines
        the quote would have swallowed and whether it was never closed.

    Examples
    --------
    >>> lines = split_lines('1;"Très bien\\n2;ok\\n3;ok\\n')
    >>> records, _, _, stray = read_records(lines, ";", 2)
    >>> records, stray
    ([['1', '"Très bien'], ['2', 'ok'], ['3', 'ok']], [(0, 2, True)])
    """
    pos = 0

    def feed():
        nonlocal pos
        while pos < len(lines):
            pos += 1
            yield lines[pos - 1]

    strict = csv.reader(feed(), delimiter=delimiter, strict=True)
    lax = csv.reader(feed(), delimiter=delimiter, strict=False)
    records, starts, malformed, stray = [], [], [], []
    while pos < len(lines):
        start = pos
        broken = False
        try:
            record = next(strict)
        except StopIteration:
            break
        except csv.Error:
            pos = start
            record = next(lax)
            broken = True
        if width and pos - start > 1:
            unclosed = broken and pos == len(lines)
            # a quoted line end is kept only in a well-formed record of the header's
            # width whose lines do not look like rows
            if broken or len(record) != width or swallows_rows(record, delimiter, width):
                stray.append((len(records), pos - start - 1, unclosed))
                pos = start + 1
                # readers that ran to the end of the lines are spent: fresh ones
                strict = csv.reader(feed(), delimiter=delimiter, strict=True)
                lax = csv.reader(feed(), delimiter=delimiter, strict=False)
                record = [unquoted(value) for value in next(
                    csv.reader([lines[start]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])]
                broken = True
        if broken:
            malformed.append(len(records))
        records.append(record)
        starts.append(start)
    return records, starts, malformed, stray


def stray_reason(lines: int, unclosed: bool) -> str:
    """Why a row was read again from its own line (:func:`read_records`).

    Examples
    --------
    >>> stray_reason(3, True)
    'a quote opening a cell is never closed (it would swallow the 3 lines below)'
    """
    if unclosed:
        return f"a quote opening a cell is never closed (it would swallow the {lines} lines below)"
    return (f"a quote opening a cell is closed only {lines} line(s) below (it would merge "
            "the rows in between)")
