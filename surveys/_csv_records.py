"""Delimited text walked line by line: the lines above the header, and records read
with Python's ``csv`` module, stray quotes found, rows shorter than the header mended.

:func:`read_records` is the exact route of :mod:`surveys._text`: strict parsing first,
a lax re-read of a record that breaks it, and a stray quote at the start of a cell
(``"Très bien``) that never closes, or closes only across lines that look like rows,
read as an ordinary character so that it swallows no row. :func:`leading_blank` and
:data:`SEP_HINT` find the empty lines and Excel's ``sep=;`` line above a header.
:func:`mend_short_rows` pads a row shorter than the header when it starts with an
identifier like the other rows' (an export that drops empty trailing fields), and joins
back the pieces of a row cut by a line break inside an unquoted cell. What the first
column says (identifier shapes, their order or width; a footer below the rows) is
:mod:`surveys._row_keys`'s.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from surveys._row_keys import FOOTER, FOOTER_REASON, _shapes, footer_rows, id_fits, key_shapes
from surveys.notes import Note

__all__ = ["split_lines", "leading_blank", "SEP_HINT", "swallows_rows", "unquoted",
           "read_records", "stray_reason", "key_shapes", "Mended", "mend_short_rows",
           "malformed_reason", "mend_records", "id_fits", "footer_rows", "FOOTER", "FOOTER_REASON"]

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


#: Why a short row is not padded: it may be the end of a row above.
TAIL = " (perhaps the end of a row cut by a line break inside a cell: not padded)"
#: Why short rows that may be the pieces of one row are not joined.
AMBIGUOUS = (" (perhaps a piece of a row cut by a line break inside a cell, but the pieces "
             "cannot be joined unambiguously)")


def malformed_reason(fields: int, width: int, why: str = "") -> str:
    """Why a row of another width than the header's is excluded.

    Examples
    --------
    >>> malformed_reason(2, 3)
    'malformed row: 2 fields where the header has 3'
    """
    return f"malformed row: {fields} fields where the header has {width}{why}"


@dataclass
class Mended:
    """What :func:`mend_short_rows` decided: ``rows`` maps a record's index to the
    record it becomes (padded, or joined with the pieces below it); ``joined`` lists
    the indices of the joined ones; ``excluded`` maps every other short record to the
    reason it is excluded."""

    rows: dict = field(default_factory=dict)
    joined: list = field(default_factory=list)
    excluded: dict = field(default_factory=dict)


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive indices grouped (``[3, 4, 9]`` -> ``[[3, 4], [9]]``)."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _joined(pieces: list[list[str]]) -> list[str]:
    """The pieces of one row as one record: each piece's first field continues the
    field before it, after a line break."""
    record = list(pieces[0])
    for piece in pieces[1:]:
        record[-1] = record[-1] + "\n" + piece[0]
        record.extend(piece[1:])
    return record


def _width(lengths: list[int]) -> int:
    """Fields of the pieces of one row joined (each joint merges two fields)."""
    return sum(lengths) - len(lengths) + 1


def _chains(run: list[int], keys: list[bool] | None) -> list[list[int]]:
    """The run's records grouped into candidate rows: with identifiers known, a group
    starts at each record whose first field looks like one (a leading group without
    one holds pieces of a row above); without, the whole run is one group."""
    if keys is None:
        return [run]
    groups: list[list[int]] = []
    for i, key in zip(run, keys):
        if key or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _greedy(run: list[int], lengths: dict, width: int) -> list[list[int]] | None:
    """A run of short records cut into rows of ``width`` fields, reading down; None
    when the cut fails or is not the only one (a one-field piece after a complete row
    could end it or start the next; a run starting with one could end the row above)."""
    if lengths[run[0]] == 1:
        return None
    rows, current = [], []
    for i in run:
        if not current and rows and lengths[i] == 1:
            return None
        current.append(i)
        total = _width([lengths[j] for j in current])
        if total == width:
            rows.append(current)
            current = []
        elif total > width:
            return None
    return rows if not current else None


def mend_short_rows(records: Mapping[int, list[str]], short: list[int], width: int,
                    shapes: frozenset[str] | None,
                    starts: frozenset[str] = frozenset(), *,
                    fits: Mapping[int, bool] | None = None) -> Mended:
    """Decide what becomes of the records shorter than the header.

    A short record whose first field has one of the identifier ``shapes`` (those of
    the full rows' first fields, :func:`key_shapes`) is padded with empty fields, unless
    it and the short record above it could be the two pieces of one row (their fields
    joined make the header's width), or it has one field only (it could end the row
    above). Short records below it whose first field is no identifier are its pieces
    (a line break inside an unquoted cell): joined back when they make the header's
    width exactly, the identifier not cut. Without identifier shapes, nothing is padded,
    and a run of short records is joined only when it cuts into rows of the header's
    width in one way, and does not start with a one-field record (the end of the row
    above?), nor when a piece below the first starts with a value the full rows' first
    column holds (``starts``: ``M`` in a column of ``F`` and ``M`` starts a row of its
    own; two rows each cut short are not one). A padded record directly above short
    records of more than one field, the first shaped like an identifier, that are set
    aside is set aside too (they may be the rest of its row). A record shaped like an
    identifier that cannot be one where it stands (``fits``: out of the identifiers'
    order, or not their width, :func:`id_fits`) is a piece like any other: a comment's
    second half starting with a number is joined to its row, or set aside, never padded
    into a respondent. One that is only doubtful (at an end of the file, further from
    the ids than their steps: ``fits`` None) is a row of its own below a full row, and
    below a row cut short is set aside with it (the rest of it, or a respondent after
    a gap in the ids: neither glued nor padded). Every other short record stays
    excluded, with its reason. Only the short records are looked at, one by one (they
    are few).

    Parameters
    ----------
    records : mapping of int to list of str
        The records of the body by index (at least the short ones).
    short : list of int
        Sorted indices of the short records to decide (one field or more).
    width : int
        The header's number of fields.
    shapes : frozenset of str or None
        The identifier shapes of the file (:func:`key_shapes`).
    starts : frozenset of str, optional
        Values of the full rows' first column (a sample), used when ``shapes`` is None.
    fits : mapping of int to bool or None, optional
        False for a short record whose first field is shaped like an identifier but
        cannot be one where it stands, None for a doubtful one (:func:`id_fits`); a
        record left out can.

    Returns
    -------
    Mended

    Examples
    --------
    >>> records = [["1", "a", "x"], ["2", "b"], ["3", "Très bien"], ["merci", "z"]]
    >>> mended = mend_short_rows(records, [1, 2, 3], 3, frozenset({"9"}))
    >>> mended.rows, mended.joined, list(mended.excluded)
    ({1: ['2', 'b', ''], 2: ['3', 'Très bien\\nmerci', 'z']}, [2], [3])
    """
    lengths = {i: len(records[i]) for i in short}
    keys = None
    doubtful: set[int] = set()
    if shapes is not None:
        firsts = pa.array([records[i][0] for i in short], type=pa.string())
        keys = dict(zip(short, (shape in shapes for shape in _shapes(firsts).to_pylist())))
        if fits:
            doubtful = {i for i, key in keys.items() if key and i in fits and fits[i] is None}
            keys = {i: key and fits.get(i, True) is not False for i, key in keys.items()}
    mended = Mended()
    for run in _runs(short):
        if keys is None:
            rows = _greedy(run, lengths, width)
            if rows is not None and any(records[i][0] in starts for row in rows
                                        for i in row[1:]):
                rows = None  # a piece starting like a row: two short rows, not one
            if rows is None:
                why = AMBIGUOUS if len(run) > 1 else TAIL
                mended.excluded.update({i: malformed_reason(lengths[i], width, why)
                                        for i in run})
                continue
            groups = rows
        else:
            groups = _chains(run, [keys[i] for i in run])
        previous: list[int] = []
        for group in groups:
            if (group[0] in doubtful and len(group) == 1 and previous and keys[previous[0]]
                    and previous[0] not in mended.joined):
                # far beyond the ids below a row cut short: the rest of that row, or a
                # row of its own after a gap in the ids; neither is read (never glued)
                for i in previous:
                    mended.rows.pop(i, None)
                mended.excluded.update({i: malformed_reason(lengths[i], width, AMBIGUOUS)
                                        for i in previous + group})
                previous = group
                continue
            _decide(group, previous, records, lengths, width, keys, mended)
            if (keys is not None and previous and group[0] in mended.excluded
                    and keys[group[0]] and _width([lengths[i] for i in group]) > 1
                    and previous[0] in mended.rows and previous[0] not in mended.joined):
                # the fields set aside may be the rest of the padded row above them (a
                # lone field would only end its last cell: the padding stands)
                del mended.rows[previous[0]]
                mended.excluded[previous[0]] = malformed_reason(lengths[previous[0]],
                                                                width, AMBIGUOUS)
            previous = group
    return mended


def _decide(group: list[int], previous: list[int], records: Mapping, lengths: dict,
            width: int, keys: dict | None, mended: Mended) -> None:
    """Pad, join or exclude one group of short records (:func:`mend_short_rows`)."""
    head = group[0]
    total = _width([lengths[i] for i in group])

    def exclude(indices, why):
        mended.excluded.update({i: malformed_reason(lengths[i], width, why) for i in indices})

    if keys is not None and not keys[head]:  # pieces of a row above that is not short
        exclude(group, TAIL)
    elif len(group) > 1:
        if total == width and lengths[head] > 1:  # an identifier holds no line break
            mended.rows[head] = _joined([records[i] for i in group])
            mended.joined.append(head)
            mended.excluded.update({i: f"piece of row {head + 1} (cut by a line break inside "
                                       "a cell), joined to it" for i in group[1:]})
        else:
            exclude(group, AMBIGUOUS)
    elif lengths[head] == 1:
        exclude(group, TAIL)
    elif previous and _width([lengths[i] for i in previous] + [lengths[head]]) == width:
        # the group above and this row could be one row: neither is read
        for i in previous:
            mended.rows.pop(i, None)
        if previous[0] in mended.joined:
            mended.joined.remove(previous[0])
        exclude(previous + group, AMBIGUOUS)
    else:
        mended.rows[head] = records[head] + [""] * (width - lengths[head])


def _listed(lines: list[int], shown: int = 8) -> str:
    """Line numbers for a note: the first ``shown`` of them, then an ellipsis.

    Examples
    --------
    >>> _listed([4, 9]), _listed(list(range(1, 12)), 3)
    ('4, 9', '1, 2, 3, …')
    """
    return ", ".join(map(str, lines[:shown])) + (", …" if len(lines) > shown else "")


#: Records looked at for the identifier shapes: the first ones, and those around (at
#: most ``_NEAR_ROWS``) short records, their neighbours.
_HEAD_SAMPLE, _NEAR, _NEAR_ROWS = 2000, 20, 1000


def _first_fields(records: list, short: list[int], width: int) -> tuple[np.ndarray, pa.Array]:
    """The indices and first fields of the full records at the head of the body and
    around short ones (a bounded sample: no pass over every record of a big body)."""
    n = len(records)
    picked = np.zeros(n, dtype=bool)
    picked[:_HEAD_SAMPLE] = True
    around = np.asarray(short, dtype=np.int64)
    if len(around) > _NEAR_ROWS:  # spread over the body
        around = around[np.linspace(0, len(around) - 1, _NEAR_ROWS).astype(np.int64)]
    near = (around[:, None] + np.arange(-_NEAR, _NEAR + 1)).ravel()
    picked[near[(near >= 0) & (near < n)]] = True
    full = [j for j in np.flatnonzero(picked).tolist()
            if records[j] is not None and len(records[j]) == width]
    return (np.asarray(full, dtype=np.int64),
            pa.array([records[j][0] for j in full], type=pa.string()))


def _fits(records, short: list[int], positions: np.ndarray, firsts: pa.Array,
          shapes: frozenset[str]) -> dict | None:
    """:func:`id_fits` for the short records whose first field has one of the ids'
    ``shapes``, against the full rows sampled (``positions``, ``firsts``)."""
    said = pc.not_equal(pc.utf8_trim_whitespace(firsts), "")  # an empty id says nothing
    candidates = {i: records[i][0] for i, shape in zip(short, _shapes(pa.array(
        [records[i][0] for i in short], type=pa.string())).to_pylist()) if shape in shapes}
    return id_fits(positions[np.asarray(said.to_numpy(zero_copy_only=False), dtype=bool)],
                   firsts.filter(said), candidates)


def _respondent_below(records, footers: list[int], width: int) -> bool:
    """Whether a record below a footer's first line starts like a respondent's row: its
    first field shaped like the ids and, where they tell, fitting their order or width
    (``Total;8`` then ``9;39``: the total stands among the rows, no footer; a number far
    beyond the ids, as ``2024``, is no respondent there)."""
    positions, firsts = _first_fields(records, footers, width)
    shapes = key_shapes(firsts)
    if shapes is None:
        return False
    below = footers[1:]
    keyed = [i for i, shape in zip(below, _shapes(pa.array(
        [records[i][0] for i in below], type=pa.string())).to_pylist()) if shape in shapes]
    if not keyed:
        return False
    fits = _fits(records, keyed, positions, firsts, shapes)
    return any(fits is None or fits.get(i) is True for i in keyed)  # a doubtful one: no


def mend_records(records: list, short: list[int], width: int, excluded: list, notes: list,
                 lines: dict, name: str) -> None:
    """Mend the body's short records in place (:func:`mend_short_rows`).

    The identifier shapes are those of the first fields of the full records at the
    head of the body and around each short one, and their order or width tells which
    short records can start a row (:func:`id_fits`); a footer below the rows (a total,
    an export's date: :func:`footer_rows`) is set aside first, with its reason, unless a
    record below its first line starts like a respondent's row. A padded
    or joined record replaces the short one, the others become None and are appended
    to ``excluded``, and a note for each kind names the lines.

    Parameters
    ----------
    records : list
        The body's records (None for one already set aside), changed in place.
    short : list of int
        Sorted indices of the records shorter than the header.
    width : int
        The header's number of fields.
    excluded : list of dict
        Excluded rows (``row``, ``reason``), extended in place.
    notes : list
        Notes, extended in place (``rows_padded``, ``rows_rejoined``).
    lines : dict
        Index -> line of the file where the record starts (for the notes).
    name : str
        The file name (for the notes).

    Examples
    --------
    >>> records, excluded, notes = [["1", "a", "x"], ["2", "b"], ["3", "c", "z"]], [], []
    >>> mend_records(records, [1], 3, excluded, notes, {1: 3}, "f.csv")
    >>> records[1], excluded, notes[0].values["lines"]
    (['2', 'b', ''], [], '3')
    """
    footers = footer_rows(records, short, width)
    if len(footers) > 1 and _respondent_below(records, footers, width):
        footers = []  # a total line among the rows: the usual rules decide
    for i in footers:
        excluded.append({"row": i + 1, "reason": FOOTER_REASON})
        records[i] = None
    short = short[: len(short) - len(footers)]  # the footers end the list
    if not short:
        return
    positions, firsts = _first_fields(records, short, width)
    shapes = key_shapes(firsts)
    fits = None if shapes is None else _fits(records, short, positions, firsts, shapes)
    mended = mend_short_rows(records, short, width, shapes,
                             frozenset(pc.unique(firsts.drop_null()).to_pylist()), fits=fits)
    for i, why in mended.excluded.items():
        excluded.append({"row": i + 1, "reason": why})
        records[i] = None
    for i, record in mended.rows.items():
        records[i] = record
    padded = [i for i in sorted(mended.rows) if i not in mended.joined]
    for key, which in (("rows_padded", padded), ("rows_rejoined", sorted(mended.joined))):
        if which:
            notes.append(Note(key, file=name, count=len(which),
                              lines=_listed([lines[i] for i in which])))
