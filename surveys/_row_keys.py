"""What the first column of a delimited file's rows says, for mending short rows.

:func:`key_shapes` finds the shapes of a file's identifiers (``12``, ``A-12``, a time
stamp) in the full rows' first fields; :func:`id_fits` tells, among short records shaped
like one, those that cannot be one where they stand: out of the identifiers' order, or
not their fixed width (a cut comment's second piece starting with a number, ``trop loin
de`` / ``2016;35``). :func:`footer_rows` finds a total or an export's stamp below the
rows (``Total;8``, ``Exporté le 12/03/2024``), which joined to the last row would end
its last cell. :mod:`surveys._csv_records` decides with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["key_shapes", "id_fits", "footer_rows", "FOOTER", "FOOTER_REASON"]

#: Most shapes an identifier column may take (``9``; ``a9``; a time stamp's ``9/9/9 9:9``).
_MAX_SHAPES = 3


def _shapes(values: pa.Array) -> pa.Array:
    """Each value's shape: a run of letters ``a``, of digits ``9``, of white space one
    space, any other character as it is (``"TL-12"`` -> ``"a-9"``)."""
    shape = pc.replace_substring_regex(values, r"\pL+", "a")
    shape = pc.replace_substring_regex(shape, r"[0-9]+", "9")
    return pc.replace_substring_regex(shape, r"\s+", " ")


def key_shapes(first: pa.Array) -> frozenset[str] | None:
    """The shapes of a file's first column when it holds identifiers: every value (of
    the full rows) written in one of a few shapes, each with a digit (``12``,
    ``A-12``, ``2015-10-16 08:30``), empty values left out (a row of empty fields);
    None when the column says nothing (free text, random tokens, too few rows).

    Examples
    --------
    >>> sorted(key_shapes(pa.array(["12", "7", "A-3", None, ""])))
    ['9', 'a-9']
    >>> key_shapes(pa.array(["Très bien", "ok 3"])) is None
    True
    """
    first = first.drop_null()
    first = first.filter(pc.not_equal(pc.utf8_trim_whitespace(first), ""))  # says nothing
    if len(first) < 2:
        return None
    shapes = set(pc.unique(_shapes(first)).to_pylist())
    if len(shapes) > _MAX_SHAPES or not all("9" in shape for shape in shapes):
        return None
    return frozenset(shapes)


#: Fewest full rows whose whole-number identifiers, running up or down, make an order.
_SEQUENCE_MIN = 5
#: At an end of the file, an identifier further from its neighbour than this many times
#: the largest step of the full rows' identifiers (per row) is out of the sequence.
_STEP_SLACK = 10
#: Fewest full rows, and digits, for identifiers of one fixed width (``3292879998``,
#: ``E01234``) to rule out a value of another width.
_FIXED_MIN, _FIXED_DIGITS = 8, 3


#: The shape of a code holding one number: ``12``, ``E12``, ``TL-12``, ``12b``.
_ONE_NUMBER = re.compile(r"a?[-_]?9[-_]?a?")


def _digit_shapes(values: pa.Array) -> pa.Array:
    """Each value's shape with its digits counted (``"E01234"`` -> ``"a99999"``)."""
    shape = pc.replace_substring_regex(values, r"\pL+", "a")
    shape = pc.replace_substring_regex(shape, r"[0-9]", "9")
    return pc.replace_substring_regex(shape, r"\s+", " ")


def _in_order(positions: np.ndarray, firsts: pa.Array,
              candidates: Mapping[int, str]) -> dict[int, bool | None] | None:
    """Whether each candidate continues the full rows' whole-number identifiers where it
    stands (above the next one, below the one before, or the reverse): True, False, or
    None for one at an end of the file that runs on but further than the ids' steps
    (:func:`_between`: an id after a gap, or a number that is no id). None when the ids
    are not whole numbers running strictly up or down."""
    if len(firsts) < _SEQUENCE_MIN or not pc.all(
            pc.match_substring_regex(firsts, r"^[0-9]{1,18}$")).as_py():
        return None
    ids = pc.cast(firsts, pa.int64()).to_numpy()
    steps = np.diff(ids)
    sign = 1 if (steps > 0).all() else -1 if (steps < 0).all() else 0
    if not sign:
        return None
    rate = max(1.0, float(np.max(np.abs(steps) / np.diff(positions)))) * _STEP_SLACK
    ordered = sign * ids
    index = np.array(sorted(candidates), dtype=np.int64)
    texts = pa.array([candidates[i] for i in index.tolist()], type=pa.string())
    whole = np.asarray(pc.match_substring_regex(texts, r"^[0-9]{1,18}$"), dtype=bool)
    values = np.zeros(len(index), dtype=np.int64)
    values[whole] = sign * pc.cast(texts.filter(pa.array(whole)), pa.int64()).to_numpy()
    # the full rows around each candidate: the one above (``k - 1``), the one below
    k = np.searchsorted(positions, index)
    low = (k > 0, positions[np.maximum(k - 1, 0)], ordered[np.maximum(k - 1, 0)])
    top = np.minimum(k, len(positions) - 1)
    high = (k < len(positions), positions[top], ordered[top])
    fits, far = _between(whole, values, index, low, high, rate)
    # several candidates between the same two full rows: each above those before it (a
    # running maximum of their ranks, each gap's offset above the previous gap's)
    rank = np.unique(values, return_inverse=True)[1].reshape(-1) + 1
    rank = np.where(fits | far, rank, 0)
    size = len(index) + 1
    gap = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1
    before = np.r_[-1, np.maximum.accumulate(gap * size + rank)[:-1]] - gap * size
    runs_on = rank > before
    fits &= runs_on
    far &= runs_on
    return {i: None if f else bool(t) for i, t, f in zip(index.tolist(), fits.tolist(),
                                                          far.tolist())}


def _between(whole, values, index, low, high, rate) -> tuple[np.ndarray, np.ndarray]:
    """Candidates (whole numbers, ``values`` signed to run up) above ``low`` and below
    ``high`` (each: whether there is one, its row, its id); at an end of the file (one
    of them missing), within ``rate`` steps per row of the one there is. Returns those,
    and those at an end that run on further (doubtful: an id after a gap, or a number)."""
    (has_low, low_at, low_id), (has_high, high_at, high_id) = low, high
    fits = whole & (~has_low | (values > low_id)) & (~has_high | (values < high_id))
    edge = has_low != has_high
    near_id, near_at = np.where(has_low, low_id, high_id), np.where(has_low, low_at, high_at)
    far = edge & (np.abs(values - near_id) > rate * np.abs(index - near_at))
    return fits & ~far, fits & far


def _fixed_width(firsts: pa.Array, candidates: Mapping[int, str]) -> dict[int, bool] | None:
    """Whether each candidate has the digits of the full rows' identifiers of its shape
    when those are codes of one number (``3292879998``, ``E01234``, not a time stamp)
    all written with one number of digits (3 or more); None when none is."""
    if len(firsts) < _FIXED_MIN:
        return None
    table = pa.table({"shape": _shapes(firsts), "digits": _digit_shapes(firsts)})
    pairs = table.group_by(["shape", "digits"]).aggregate([]).to_pydict()
    seen: dict[str, list[str]] = {}
    for shape, digits in zip(pairs["shape"], pairs["digits"]):
        seen.setdefault(shape, []).append(digits)
    # one run of digits (a number, a code ``E01234``): a time stamp's hours vary in width
    fixed = {shape: d[0] for shape, d in seen.items()
             if len(d) == 1 and d[0].count("9") >= _FIXED_DIGITS and shape.count("9") == 1
             and _ONE_NUMBER.fullmatch(shape)}
    if not fixed:
        return None
    index = sorted(candidates)
    values = pa.array([candidates[i] for i in index], type=pa.string())
    return {i: fixed.get(shape, digits) == digits for i, shape, digits in zip(
        index, _shapes(values).to_pylist(), _digit_shapes(values).to_pylist())}


def id_fits(positions, firsts,
            candidates: Mapping[int, str]) -> dict[int, bool | None] | None:
    """Whether each candidate's first field can be an identifier where it stands, as the
    full rows' identifiers tell: between its neighbours' when they run in order (whole
    numbers strictly up or down, five rows or more; at an end of the file, within a few
    of their steps), else of their number of digits when they all have the same one
    (three or more, eight rows or more). A cut comment's second piece that starts with a
    number (``trop loin de`` / ``2016;35``) is no row of its own then. At an end of the
    file a whole number running on but further than a few steps is doubtful (None): an
    id after a gap (``90`` after ``50``) reads like ``2016`` there.

    Parameters
    ----------
    positions : array of int
        Sorted indices of the full rows sampled (:func:`mend_records`).
    firsts : pyarrow.Array or list of str
        Their first fields (the identifiers), empty ones left out.
    candidates : mapping of int to str
        Index -> first field of the short records shaped like an identifier.

    Returns
    -------
    dict of int to bool or None
        True, False, or None (doubtful) for each candidate; None instead of a dict when
        the full rows' identifiers say nothing (no order, no fixed width).

    Examples
    --------
    >>> id_fits([0, 1, 2, 4, 5, 6], ["1", "2", "3", "4", "5", "6"], {3: "2016", 7: "7"})
    {3: False, 7: True}
    >>> id_fits(range(6), ["1", "2", "3", "4", "5", "6"], {6: "90", 7: "0"})
    {6: None, 7: False}
    >>> id_fits(range(8), ["3292879998", "3292880712", "3292879538", "3292881055",
    ...                    "3292878112", "3292883372", "3292876990", "3292884601"], {9: "2016"})
    {9: False}
    """
    positions = np.asarray(positions, dtype=np.int64)
    firsts = pa.array(firsts, type=pa.string()) if not isinstance(firsts, pa.Array) else firsts
    if not candidates:
        return None
    verdict = _in_order(positions, firsts, candidates)
    return verdict if verdict is not None else _fixed_width(firsts, candidates)


#: Why a line below the rows is set aside (:func:`footer_rows`).
FOOTER_REASON = "a footer line below the rows (a total or the export's date), not a respondent"
#: A footer's first field: a total word alone or with its figure, or an export's stamp.
FOOTER = re.compile(
    r"(?:(?:sous[- ]?|grand )?totaux?|totals?|total g[ée]n[ée]ral|ensemble|somme|sum)"
    r"\s*[:=]?[\s\d.,%]*"
    r"|(?:export(?:[ée]e?s?|ed)?|extrait|extraction|extracted|g[ée]n[ée]r[ée]e?s?|generated"
    r"|cr[ée]{2}e?s?|created|imprim[ée]e?s?|printed|date d'export(?:ation)?)\b.*\d.*",
    re.IGNORECASE | re.DOTALL)
#: A total's first field (the first branch of :data:`FOOTER`): its other fields hold
#: figures only (``Total;8;;42``), or it is a piece of a comment (``Total 100 %;8;a``).
_TOTAL = re.compile(r"(?:(?:sous[- ]?|grand )?totaux?|totals?|total g[ée]n[ée]ral|ensemble"
                    r"|somme|sum)\s*[:=]?[\s\d.,%]*", re.IGNORECASE)
_FIGURES = re.compile(r"[\s\d.,%:;+\-/€$]*")
#: Records from the end of the body looked at for a footer.
_FOOTER_LINES = 6


def _footer(record: list[str]) -> bool:
    """Whether a record reads as a footer line: a stamp, or a total with figures only."""
    first = record[0].strip()
    if not FOOTER.fullmatch(first):
        return False
    return not _TOTAL.fullmatch(first) or all(_FIGURES.fullmatch(v) for v in record[1:])


def footer_rows(records: list, short: list[int], width: int) -> list[int]:
    """The short records at the end of the body that are a footer, not a row's piece:
    from the first whose first field is a total (``Total``, ``Total : 42``, ``Ensemble``)
    with figures only in its other fields, or an export's stamp holding a figure
    (``Exporté le 12/03/2024``, ``Generated on 2024-03-12``) down to the end, no full
    row below it, among the last few records. Joined to the last row (its width made
    up), it would end its last cell. A comment's piece starting like a total
    (``Total 100 %;8;a``: text beside it) is no footer.

    Examples
    --------
    >>> records = [["1", "a", "x"], ["2", "b"], ["Total", "2"], []]
    >>> footer_rows(records, [1, 2], 3)
    [2]
    >>> footer_rows([["1", "a", "x"], ["2", "b"], ["totalement", "2"]], [1, 2], 3)
    []
    >>> footer_rows([["1", "a", "x"], ["2", "b"], ["Total 100 %", "a"]], [1, 2], 3)
    []
    """
    n = len(records)
    tail = [i for i in short[-_FOOTER_LINES:] if i >= n - _FOOTER_LINES]
    for k, i in enumerate(tail):
        if _footer(records[i]):
            if any(records[j] is not None and len(records[j]) == width for j in range(i, n)):
                return []
            return tail[k:]
    return []
