"""How a source column is held while it is typed: Arrow strings, categoricals, distinct values.

The text reader gives each column as a pandas categorical (dictionary-encoded by
Arrow) or, when its values look all distinct, as ``string[pyarrow]``; spreadsheets and
statistics files give plain columns. The helpers here read any of these without a
Python string per cell: the distinct values of a column (:func:`distinct`) and their
mapping back to the rows (:func:`spread`), blank cells, stripped identifiers, and the
building of categoricals from Arrow dictionaries.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["as_text", "arrow_text", "as_categorical", "text_values", "stripped", "blank_mask",
           "blank_rows",
           "strip_text", "stripped_codes", "distinct", "categorical", "categorical_frame",
           "spread"]


def as_text(value: Any) -> str:
    """A cell as text; integral floats lose their ``.0`` (xlsx and SPSS give floats)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


def arrow_text(values) -> pa.Array | None:
    """The Arrow strings behind a ``string[pyarrow]`` column, or None for any other column.

    The text reader leaves a column whose values look all distinct (an identifier, a
    time stamp, free text) as Arrow strings: encoding a million distinct values costs
    more than the few kernels most columns of that kind need.

    Examples
    --------
    >>> arrow_text(pd.Series(["a", None], dtype="string[pyarrow]")).to_pylist()
    ['a', None]
    >>> arrow_text(pd.Series(["a"])) is None
    True
    """
    array = values.array if isinstance(values, pd.Series) else values
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return None
    arr = pa.array(array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def as_categorical(series: pd.Series) -> pd.Series:
    """A ``string[pyarrow]`` column dictionary-encoded as a categorical (any other column
    is returned as it is): what the typing of answers works on.

    Examples
    --------
    >>> as_categorical(pd.Series(["b", "a", "b"], dtype="string[pyarrow]")).cat.codes.tolist()
    [0, 1, 0]
    """
    text = arrow_text(series)
    if text is None:
        return series
    return pd.Series(_encode(pa.chunked_array([text])), index=series.index, name=series.name)


def text_values(series: pd.Series) -> pa.Array:
    """The values of a column as Arrow strings, with no Python string each where the
    column already holds Arrow strings (rows) or is a categorical (its categories).

    Examples
    --------
    >>> text_values(pd.Series(["b", "a", "b"], dtype="category")).to_pylist()
    ['a', 'b']
    >>> text_values(pd.Series([12, None])).to_pylist()
    ['12', None]
    """
    text = arrow_text(series)
    if text is not None:
        return text.cast(pa.string())
    values = series
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        if isinstance(categories.dtype, pd.StringDtype):
            arr = pa.array(categories.array)
            return (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).cast(
                pa.string())
        values = pd.Series(categories.to_numpy(dtype=object), dtype=object)
    try:
        return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or mixed objects
        return pa.array([None if pd.isna(v) else as_text(v) for v in values], type=pa.string())


def stripped(series: pd.Series) -> np.ndarray:
    """Cells as stripped strings, None where missing or blank (vectorised with Arrow).

    Whole floats lose their ``.0`` so a spreadsheet's ``12.0`` reads as ``"12"``.

    Examples
    --------
    >>> stripped(pd.Series([" a ", "", None, 12.0])).tolist()
    ['a', None, None, '12']
    """
    if pd.api.types.is_float_dtype(series):
        known = series.dropna()
        if (known == np.round(known)).all():
            series = series.astype("Int64")
    values = series.to_numpy(dtype=object)
    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: one conversion per value
        codes, uniques = distinct(series)
        per = np.array([as_text(u).strip() or None for u in uniques], dtype=object)
        return spread(per, codes, None)
    arr = pc.utf8_trim_whitespace(arr)
    arr = pc.replace_substring_regex(arr, r"^(-?\d+)\.0$", r"\1")
    out = arr.to_numpy(zero_copy_only=False).astype(object)
    out[np.asarray(pc.fill_null(pc.equal(arr, ""), True))] = None
    return out


def blank_mask(series: pd.Series) -> np.ndarray:
    """True where a cell is missing or only white space (vectorised with Arrow).

    Examples
    --------
    >>> blank_mask(pd.Series(["a", " ", None, 3])).tolist()
    [False, True, True, False]
    """
    text = arrow_text(series)
    if text is not None:  # Arrow strings: one kernel over the rows, no Python string
        blank = pc.or_(pc.equal(text, ""), pc.utf8_is_space(text))  # no stripped copy
        return np.asarray(pc.fill_null(blank, True), dtype=bool)
    if isinstance(series.dtype, pd.CategoricalDtype):  # blank categories, read through the codes
        codes, categories = np.asarray(series.cat.codes), series.cat.categories
        if not len(categories):
            return np.asarray(codes) < 0
        if isinstance(categories.dtype, pd.StringDtype):  # no Python string per category
            arr = pa.array(categories.array)
            blank = np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True))
        else:
            blank = blank_mask(pd.Series(categories.to_numpy(dtype=object), dtype=object))
        # code -1 (missing) reads the True appended last: one gather, no other array
        return np.append(blank, True)[codes]
    missing = series.isna().to_numpy()
    if series.dtype != object or missing.all():
        return missing
    try:
        arr = pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.isna(stripped(series))
    empty = pc.equal(pc.utf8_trim_whitespace(arr), "")
    return np.asarray(pc.fill_null(empty, True)) | missing


def blank_rows(frame: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """True where every cell of a row (of the positions ``rows``, default all) is missing
    or only white space.

    Columns are checked one after the other on the rows still blank so far: after the
    first well-filled column almost no row is left to check.

    Examples
    --------
    >>> blank_rows(pd.DataFrame({"a": ["x", " ", None], "b": [None, "", "y"]})).tolist()
    [False, True, False]
    """
    rows = None if rows is None else np.asarray(rows)
    blank = np.ones(len(frame) if rows is None else len(rows), dtype=bool)
    todo = None  # positions still blank; None while every row is (no array of them all)
    for name in frame.columns:
        column = frame[name]
        if todo is None:
            blank = np.require(blank_mask(column if rows is None else column.iloc[rows]),
                               dtype=bool, requirements="W")
        else:
            blank[todo] = blank_mask(column.iloc[todo if rows is None else rows[todo]])
        todo = np.flatnonzero(blank)
        if not len(todo):
            break
    return blank


_WHOLE_FLOAT = r"^(-?\d+)\.0$"


def strip_text(text: pa.Array) -> pd.arrays.ArrowStringArray:
    """Arrow strings stripped (:func:`_strip_arrow`) as a ``string[pyarrow]`` array.

    Examples
    --------
    >>> strip_text(pa.array([" a ", "12.0", " ", None])).tolist()
    ['a', '12', <NA>, <NA>]
    """
    if _already_stripped(text):  # the usual case, found on the bytes: the values as they are
        return pd.arrays.ArrowStringArray(text.cast(pa.large_string()))
    return pd.arrays.ArrowStringArray(_strip_arrow(text, keep_same=False).cast(pa.large_string()))


#: Rows looked at per step by :func:`_already_stripped` (temporaries kept in cache).
_STRIP_STEP = 1 << 16


def _already_stripped(text: pa.Array) -> bool:
    """Whether :func:`_strip_arrow` would leave every value of ``text`` as it is: each
    starts and ends with a printable ASCII character other than a space, none is empty,
    none ends with ``.0``. Read on the first and last bytes of each value, with no
    trimmed copy of the strings. False when unsure.

    Examples
    --------
    >>> _already_stripped(pa.array(["B12", None])), _already_stripped(pa.array(["B12 "]))
    (True, False)
    """
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return False
    n = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64 if pa.types.is_large_string(
        text.type) else np.int32)[text.offset: text.offset + n + 1] if n else np.zeros(1, np.int64)
    data = text.buffers()[2] if n else None
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    valid = None if text.null_count == 0 else np.asarray(
        text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    for lo in range(0, n, _STRIP_STEP):
        hi = min(lo + _STRIP_STEP, n)
        starts, ends = offsets[lo:hi], offsets[lo + 1: hi + 1]
        if valid is not None:
            keep = valid[lo:hi]
            starts, ends = starts[keep], ends[keep]
        if not len(starts):
            continue
        if (ends <= starts).any():
            return False
        first, last = data[starts], data[ends - 1]
        if ((first < 33) | (first > 126) | (last < 33) | (last > 126)).any():
            return False
        zero = np.flatnonzero((last == 48) & (ends - starts >= 2))
        if len(zero) and (data[ends[zero] - 2] == 46).any():  # a ".0" ending
            return False
    return True


def _strip_arrow(arr: pa.Array, *, keep_same: bool = True) -> pa.Array:
    """Strings stripped, whole numbers without ``.0``, empty strings as nulls.

    With ``keep_same``, the array itself is returned (no copy) when nothing needs
    changing, which costs a comparison of every length (skipped for row values).
    """
    trimmed = pc.utf8_trim_whitespace(arr)
    if keep_same and pc.all(pc.equal(trimmed, arr)).as_py() is not False:
        trimmed = arr
    if pc.any(pc.ends_with(trimmed, ".0")).as_py() and pc.any(
            pc.match_substring_regex(trimmed, _WHOLE_FLOAT)).as_py():
        trimmed = pc.replace_substring_regex(trimmed, _WHOLE_FLOAT, r"\1")
    empty = pc.equal(trimmed, "")
    if pc.any(empty).as_py():
        trimmed = pc.if_else(empty, pa.scalar(None, trimmed.type), trimmed)
    return trimmed


def stripped_codes(series: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """Row codes (-1 missing or blank) and the distinct stripped values, for a categorical
    column of strings (what the text reader gives); None for any other column.

    Works on the categories only: a million distinct identifiers cost Arrow kernels, not
    a million Python strings.

    Examples
    --------
    >>> codes, values = stripped_codes(pd.Series([" a", "a", None, " "], dtype="category"))
    >>> codes.tolist(), values.to_pylist()
    ([0, 0, -1, -1], ['a'])
    """
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return None
    codes, categories = _used_categories(series)
    try:
        if isinstance(categories.dtype, pd.StringDtype):
            arr = pa.array(categories.array)
        else:
            arr = pa.array(categories.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # categories that are not all strings
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    clean = _strip_arrow(arr)
    if clean is arr and arr.null_count == 0:
        return codes, clean  # nothing to strip: the categories stay distinct
    encoded = pc.dictionary_encode(clean)
    renumber = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    codes = np.where(codes < 0, -1, renumber[np.where(codes < 0, 0, codes)])
    return codes, encoded.dictionary


def distinct(series: pd.Series, *, used_only: bool = True) -> tuple[np.ndarray, list]:
    """Row codes (-1 for missing) and the distinct non-missing values of a column.

    A categorical column gives its own codes and categories, without hashing its rows
    again; its unused categories are dropped unless ``used_only`` is false (which saves
    a pass over the rows when an unused value does no harm). Arrow strings are
    dictionary-encoded.
    """
    series = as_categorical(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, categories = (_used_categories(series) if used_only else
                             (np.asarray(series.cat.codes), series.cat.categories))
        if isinstance(categories.dtype, pd.StringDtype):  # Arrow strings: converted in C
            return codes, categories.array.to_numpy(dtype=object).tolist()
        return codes, list(categories)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes), list(uniques)


def _used_categories(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes and categories of a categorical column, renumbered if some categories are unused."""
    codes = np.asarray(series.cat.codes)
    categories = series.cat.categories
    used = np.zeros(len(categories) + 1, dtype=bool)
    used[codes] = True  # code -1 (missing) marks the extra last slot
    used = used[:-1]
    if used.all():
        return codes, categories
    renumber = np.cumsum(used) - 1
    return np.where(codes < 0, -1, renumber[np.where(codes < 0, 0, codes)]), categories[used]


#: More categories than this are kept as Arrow strings (no Python string each).
_ARROW_CATEGORIES = 1 << 16


def categorical(codes: np.ndarray, categories: pa.Array) -> pd.Categorical:
    """A pandas Categorical from Arrow dictionary parts, with no check of the categories.

    ``categories`` must hold distinct strings (an Arrow dictionary does). Few categories
    become an ``object`` index of Python strings; when the categories are more than half
    the rows (identifiers, free text) or more than :data:`_ARROW_CATEGORIES` (the ids of
    a check-in log), a ``string[pyarrow]`` index (no Python object each).
    """
    codes = np.asarray(codes).astype(_code_type(len(categories)).to_pandas_dtype(), copy=False)
    if 2 * len(categories) > max(len(codes), 1) or len(categories) > _ARROW_CATEGORIES:
        index = pd.Index(pd.arrays.ArrowStringArray(categories.cast(pa.large_string())))
    else:
        index = pd.Index(categories.to_pylist(), dtype=object)
    return _from_codes(codes, index)


def _from_codes(codes: np.ndarray, index: pd.Index) -> pd.Categorical:
    """``pd.Categorical.from_codes`` for categories known distinct and codes known valid."""
    try:  # the public constructor re-checks that the categories are distinct (0.2 s a 1M)
        dtype = pd.CategoricalDtype._from_fastpath(index, False)
        return super(pd.Categorical, pd.Categorical)._simple_new(codes, dtype)
    except (AttributeError, TypeError):  # pragma: no cover - private pandas API moved
        return pd.Categorical.from_codes(codes, categories=index)


def _unified(column: pa.ChunkedArray) -> pd.Categorical | None:
    """A dictionary column (one dictionary per chunk, as the CSV parser gives its blocks)
    as a Categorical, or None for one that does not fit this way (empty, or a dictionary
    with a null).

    The chunks' dictionaries are encoded together, which gives the categories of Arrow's
    ``unify_dictionaries`` (first appearance over the chunks' dictionaries, in order) and
    each chunk's map to them; the codes are then written chunk by chunk straight into
    one array of the final width: no transposed copy of the indices, no cast, no
    concatenation (three passes over the rows, each into new memory, saved).
    """
    chunks = [chunk for chunk in column.chunks if len(chunk)]
    if not chunks or any(chunk.dictionary.null_count for chunk in chunks):
        return None
    together = pa.concat_arrays([chunk.dictionary for chunk in chunks])
    encoded = pc.dictionary_encode(together)
    dictionary = encoded.dictionary
    width = _code_type(len(dictionary)).to_pandas_dtype()
    where = np.asarray(encoded.indices.to_numpy(zero_copy_only=False)).astype(width)
    codes = np.empty(len(column), dtype=width)
    row = done = 0
    for chunk in chunks:
        n, k = len(chunk), len(chunk.dictionary)
        out = codes[row: row + n]
        indices = chunk.indices
        if k:
            index = np.frombuffer(indices.buffers()[1], dtype=indices.type.to_pandas_dtype())
            np.take(where[done: done + k], index[indices.offset: indices.offset + n], out=out,
                    mode="clip")  # a null's index may be anything: set below
        if indices.null_count:
            out[~np.asarray(indices.is_valid().to_numpy(zero_copy_only=False), dtype=bool)] = -1
        row, done = row + n, done + k
    return categorical(codes, dictionary)


def _encode(column: pa.ChunkedArray) -> pd.Categorical:
    """One Arrow string (or dictionary, one per chunk) column as a pandas Categorical."""
    if pa.types.is_dictionary(column.type):  # one dictionary for all chunks, then their codes
        unified = _unified(column)
        if unified is not None:
            return unified
        encoded = pa.table({"x": column}).unify_dictionaries().column(0)
    else:
        encoded = pc.dictionary_encode(column)
    if encoded.num_chunks == 0:
        return categorical(np.zeros(0, np.int32), pa.array([], pa.string()))
    dictionary = encoded.chunk(0).dictionary
    width = _code_type(len(dictionary))
    indices = [pc.fill_null(chunk.indices.cast(width), -1) for chunk in encoded.chunks]
    del encoded  # the int32 indices go as soon as narrowed (peak memory)
    codes = pa.chunked_array(indices, type=width).to_numpy()
    del indices
    pa.default_memory_pool().release_unused()
    return categorical(codes, dictionary)


def _code_type(n: int) -> pa.DataType:
    """The narrowest integer type pandas uses for the codes of ``n`` categories."""
    return pa.int8() if n < 127 else pa.int16() if n < 32767 else pa.int32()


def _text_column(column: pa.ChunkedArray) -> pd.arrays.ArrowStringArray:
    """An Arrow string column as a pandas ``string[pyarrow]`` array (no encoding), in one
    contiguous chunk: the kernels run later over it (strip, hash, row filters) are slower
    over the parser's hundreds of blocks than the copy."""
    return pd.arrays.ArrowStringArray(column.cast(pa.large_string()).combine_chunks())


#: Widest span of whole numbers (largest minus smallest) kept as categories of every
#: value in between; a wider column gets the categories of its distinct values only.
_DENSE_SPAN = 1 << 12


def _integer_categories(column: pa.ChunkedArray) -> pd.Categorical:
    """An Arrow column of whole numbers as a categorical of integers (missing where null).

    The code of a number is its distance to the smallest one, so no value is hashed;
    the categories are every whole number from the smallest to the largest (some may be
    unused, which the typing of numbers does not mind).
    """
    column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if column.null_count == len(column):
        return pd.Categorical.from_codes(np.full(len(column), -1, np.int8), categories=[])
    low, high = (int(v) for v in pc.min_max(column).values())
    if high - low > _DENSE_SPAN:
        return _encode(pa.chunked_array([column.cast(pa.string())]))
    width = _code_type(high - low + 1).to_pandas_dtype()
    values = np.asarray(pc.fill_null(column, low).to_numpy(zero_copy_only=False))
    codes = (values - low).astype(width, copy=False)
    if column.null_count:
        codes[np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = -1
    return _from_codes(codes, pd.Index(np.arange(low, high + 1, dtype=np.int64)))


def _column(column: pa.ChunkedArray, keep_text: bool):
    """The pandas array of one Arrow column of the text reader: see :func:`categorical_frame`."""
    if pa.types.is_integer(column.type):
        return _integer_categories(column)
    if keep_text and not pa.types.is_dictionary(column.type):
        return _text_column(column)
    return _encode(column)


def categorical_frame(columns: list[pa.ChunkedArray], *, keep_text: bool = False) -> pd.DataFrame:
    """A DataFrame of categoricals (columns ``0..k-1``) from Arrow string columns (or
    dictionary columns whose chunks have dictionaries of their own).

    The columns are encoded in parallel threads (Arrow releases the GIL) and each Arrow
    column is released as soon as it is encoded, to keep the peak memory low. With
    ``keep_text``, the plain string columns (those the reader found all distinct) stay
    ``string[pyarrow]``: they are encoded later only if their typing needs it. Integer
    columns (whole-number answers the reader parsed as such) become categoricals of
    integers (:func:`_integer_categories`).
    """
    columns = list(columns)
    n = len(columns[0]) if columns else 0
    out: dict[int, pd.api.extensions.ExtensionArray] = {}
    workers = max(1, min(len(columns), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_column, column, keep_text): i for i, column in enumerate(columns)}
        columns.clear()
        for future in as_completed(futures):
            out[futures[future]] = future.result()
    # the arrays are new and ours alone: no copy (a pass over every row saved)
    return pd.DataFrame({i: out[i] for i in range(len(out))}, index=pd.RangeIndex(n), copy=False)


def spread(per_value: np.ndarray, codes: np.ndarray, fill: Any) -> np.ndarray:
    """Map one result per distinct value back onto the rows (``fill`` where missing)."""
    per_value = np.asarray(per_value)
    if len(per_value) == 0:
        return np.full(len(codes), fill, dtype=object if per_value.dtype == object else None)
    # the fill goes last, where code -1 points: one pass over the rows, no mask
    with_fill = np.empty(len(per_value) + 1, dtype=per_value.dtype)
    with_fill[:-1] = per_value
    with_fill[-1] = fill
    return with_fill[codes]
