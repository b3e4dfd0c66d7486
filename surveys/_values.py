"""Matching source answers to codebook codes: labels, booleans, multiselect cells.

Everything here works on the *distinct* values of a column: callers factorise the
column once (:func:`distinct`), match the few distinct answers, and map the result
back to the rows with :func:`spread`. A million rows holding twenty distinct answers
cost twenty matches.
"""

from __future__ import annotations

import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:  # pragma: no cover
    from surveys.codebook import Variable

__all__ = ["fold_name", "fold_value", "fold_many", "distinct", "spread", "stripped", "blank_mask", "Prepared",
           "stripped_codes", "strip_text", "text_values", "categorical", "categorical_frame", "arrow_text",
           "as_categorical",
           "prepare",
           "match_codes", "match_booleans", "match_multiselect", "TRUE_WORDS", "FALSE_WORDS"]

#: Answers read as True / False for boolean variables (folded spelling).
TRUE_WORDS = ("oui", "o", "vrai", "v", "yes", "y", "1", "true", "t", "x", "checked",
              "selected", "coche", "selectionne", "ok")
FALSE_WORDS = ("non", "n", "faux", "f", "no", "0", "false", "not selected", "non coche",
               "non selectionne", "pas selectionne", "unchecked", "not checked")
_TRANSLATIONS = {"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u00a0": " ",
                 "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-"}
_APOSTROPHES = str.maketrans(_TRANSLATIONS)
#: Any character :data:`_TRANSLATIONS` replaces (an RE2 character class).
_TRANSLATED = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _TRANSLATIONS) + "]"
#: ASCII text the white-space folding changes: a tab, line end or form feed (RE2's
#: ``\s``), or two spaces in a row.
_ASCII_SPACING = r"[\t\n\f\r]|  "
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_CODE = re.compile(r"^\s*(\d{1,2})\s*(?:[-=:.)]|\s)\s*\D")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_value(text: str) -> str:
    """An answer folded for matching: lower case, no accents, single spaces.

    Examples
    --------
    >>> fold_value("  Très   SATISFAIT ")
    'tres satisfait'
    >>> fold_value("Don\u2019t know")
    "don't know"
    """
    text = _strip_accents(str(text).translate(_APOSTROPHES)).lower()
    return _SPACES.sub(" ", text).strip()


def fold_many(texts: list[str]) -> list[str]:
    """:func:`fold_value` over many strings at once (Arrow kernels for long lists).

    Examples
    --------
    >>> fold_many(["  Très   SATISFAIT ", "Don’t know"])
    ['tres satisfait', "don't know"]
    """
    if len(texts) < 64:
        return [fold_value(t) for t in texts]
    arr = pa.array(texts, type=pa.string())
    if pc.all(pc.string_is_ascii(arr)).as_py():  # no accent, no Unicode space or quote
        if pc.any(pc.match_substring(arr, "`")).as_py():
            arr = pc.replace_substring(arr, "`", "'")
        arr = pc.ascii_lower(arr)
        if pc.any(pc.match_substring_regex(arr, _ASCII_SPACING)).as_py():
            arr = pc.replace_substring_regex(arr, r"[\s\p{Z}]+", " ")
        return pc.utf8_trim_whitespace(arr).to_pylist()
    if pc.any(pc.match_substring_regex(arr, _TRANSLATED)).as_py():
        for old, new in _TRANSLATIONS.items():
            arr = pc.replace_substring(arr, old, new)
    arr = pc.utf8_normalize(arr, form="NFKD")
    arr = pc.replace_substring_regex(arr, r"\p{Mn}+", "")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, r"[\s\p{Z}]+", " ")
    return pc.utf8_trim_whitespace(arr).to_pylist()


def fold_name(text: str) -> str:
    """A column header folded for matching: letters and digits only.

    Examples
    --------
    >>> fold_name("Jours de télétravail / semaine")
    'joursdeteletravailsemaine'
    """
    return _NOT_ALNUM.sub("", fold_value(text))


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
        blank = pc.equal(pc.utf8_trim_whitespace(text), "")
        return np.asarray(pc.fill_null(blank, True), dtype=bool)
    missing = series.isna().to_numpy()
    if isinstance(series.dtype, pd.CategoricalDtype):  # blank categories, read through the codes
        codes, categories = _used_categories(series)
        if not len(categories):
            return missing
        if isinstance(categories.dtype, pd.StringDtype):  # no Python string per category
            arr = pa.array(categories.array)
            blank = np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True))
        else:
            blank = blank_mask(pd.Series(categories.to_numpy(dtype=object), dtype=object))
        return missing | blank[np.where(codes < 0, 0, codes)]
    if series.dtype != object or missing.all():
        return missing
    try:
        arr = pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.isna(stripped(series))
    empty = pc.equal(pc.utf8_trim_whitespace(arr), "")
    return np.asarray(pc.fill_null(empty, True)) | missing


_WHOLE_FLOAT = r"^(-?\d+)\.0$"


def strip_text(text: pa.Array) -> pd.arrays.ArrowStringArray:
    """Arrow strings stripped (:func:`_strip_arrow`) as a ``string[pyarrow]`` array.

    Examples
    --------
    >>> strip_text(pa.array([" a ", "12.0", " ", None])).tolist()
    ['a', '12', <NA>, <NA>]
    """
    return pd.arrays.ArrowStringArray(_strip_arrow(text, keep_same=False).cast(pa.large_string()))


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


def distinct(series: pd.Series) -> tuple[np.ndarray, list]:
    """Row codes (-1 for missing) and the distinct non-missing values of a column.

    A categorical column gives its own codes and categories (its unused categories
    dropped), without hashing its rows again; Arrow strings are dictionary-encoded.
    """
    series = as_categorical(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, categories = _used_categories(series)
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
    try:  # the public constructor re-checks that the categories are distinct (0.2 s a 1M)
        dtype = pd.CategoricalDtype._from_fastpath(index, False)
        return super(pd.Categorical, pd.Categorical)._simple_new(codes, dtype)
    except (AttributeError, TypeError):  # pragma: no cover - private pandas API moved
        return pd.Categorical.from_codes(codes, categories=index)


def _encode(column: pa.ChunkedArray) -> pd.Categorical:
    """One Arrow string (or dictionary, one per chunk) column as a pandas Categorical."""
    if pa.types.is_dictionary(column.type):  # one dictionary for all chunks, then their codes
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


def categorical_frame(columns: list[pa.ChunkedArray], *, keep_text: bool = False) -> pd.DataFrame:
    """A DataFrame of categoricals (columns ``0..k-1``) from Arrow string columns (or
    dictionary columns whose chunks have dictionaries of their own).

    The columns are encoded in parallel threads (Arrow releases the GIL) and each Arrow
    column is released as soon as it is encoded, to keep the peak memory low. With
    ``keep_text``, the plain string columns (those the reader found all distinct) stay
    ``string[pyarrow]``: they are encoded later only if their typing needs it.
    """
    columns = list(columns)
    n = len(columns[0]) if columns else 0
    out: dict[int, pd.api.extensions.ExtensionArray] = {}
    workers = max(1, min(len(columns), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_text_column if keep_text and not pa.types.is_dictionary(
            column.type) else _encode, column): i for i, column in enumerate(columns)}
        columns.clear()
        for future in as_completed(futures):
            out[futures[future]] = future.result()
    return pd.DataFrame({i: out[i] for i in range(len(out))}, index=pd.RangeIndex(n))


def spread(per_value: np.ndarray, codes: np.ndarray, fill: Any) -> np.ndarray:
    """Map one result per distinct value back onto the rows (``fill`` where missing)."""
    per_value = np.asarray(per_value)
    if len(per_value) == 0:
        return np.full(len(codes), fill, dtype=object if per_value.dtype == object else None)
    missing = codes < 0
    out = per_value[np.where(missing, 0, codes)]  # a new array (fancy indexing)
    out[missing] = fill
    return out


@dataclass
class Prepared:
    """Distinct answers after recode, value labels and non-substantive codes.

    Attributes
    ----------
    text : list of str
        The answer to type (recoded, or the value label) per distinct value.
    raw : list
        The distinct source values, as read.
    missing : ndarray of object
        Non-substantive code (``dont_know``...) per distinct value, or None.
    blank : ndarray of bool
        True where the value is empty (after stripping) or recoded to nothing.
    """

    text: list
    raw: list
    missing: np.ndarray
    blank: np.ndarray


def _missing_table(var: Variable) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, labels in var.missing.items():
        for spelling in (code, labels["fr"], labels["en"], *var.code_aliases.get(code, ())):
            table[fold_value(spelling)] = code
    return table


def prepare(uniques: list, var: Variable, *, recode: dict | None = None,
            labels: dict | None = None) -> Prepared:
    """Apply a user recode, then SPSS/Stata value labels, then spot non-substantive answers.

    Parameters
    ----------
    uniques : list
        Distinct non-missing values of the column.
    var : Variable
        The codebook variable.
    recode : dict, optional
        Source value -> code, from the user (applied first, matched case-insensitively).
    labels : dict, optional
        Code -> label from the file's metadata; the label is tried before the code.

    Returns
    -------
    Prepared
    """
    folded_recode = {fold_value(as_text(k)): v for k, v in (recode or {}).items()}
    missing_table = _missing_table(var)
    codes_table = _code_table(var) if var.codes else {}
    texts = [u if type(u) is str else as_text(u) for u in uniques]
    keys = fold_many(texts)
    if folded_recode or labels:
        for i, value in enumerate(uniques):
            if keys[i] in folded_recode:
                target = folded_recode[keys[i]]
                texts[i] = "" if target is None else as_text(target)
                keys[i] = fold_value(texts[i])
            elif labels and _label_of(labels, value) is not None:
                label = _label_of(labels, value)
                if fold_value(label) in missing_table or fold_value(label) in codes_table:
                    texts[i], keys[i] = label, fold_value(label)
    folded = np.empty(len(keys), dtype=object)
    folded[:] = keys
    missing = np.full(len(keys), None, dtype=object)
    spelled = np.flatnonzero(pd.Series(folded, dtype=object).isin(list(missing_table)).to_numpy())
    for i in spelled:  # a non-substantive spelling (few), unless it is also a code's
        missing[i] = None if keys[i] in codes_table else missing_table[keys[i]]
    return Prepared(texts, list(uniques), missing, np.asarray(folded == "", dtype=bool))


def _label_of(labels: dict, value: Any) -> str | None:
    if value in labels:
        return str(labels[value])
    text = as_text(value)
    for code, label in labels.items():
        if as_text(code) == text:
            return str(label)
    return None


def _code_table(var: Variable) -> dict[str, Any]:
    """Folded spelling (code, French and English labels, aliases) -> code."""
    table: dict[str, Any] = {}
    for code, labels in var.codes.items():
        spellings = (as_text(code), labels["fr"], labels["en"], *var.code_aliases.get(code, ()))
        for spelling in spellings:
            table.setdefault(fold_value(spelling), code)
    return table


def _loose_table(table: dict[str, Any]) -> dict[str, Any]:
    """The same table keyed on letters and digits only, without ambiguous keys."""
    loose: dict[str, Any] = {}
    clashes = set()
    for key, code in table.items():
        short = _NOT_ALNUM.sub("", key)
        if short in loose and loose[short] != code:
            clashes.add(short)
        loose.setdefault(short, code)
    for short in clashes | {""}:
        loose.pop(short, None)
    return loose


def match_codes(prepared: Prepared, var: Variable) -> tuple[np.ndarray, np.ndarray]:
    """Code per distinct answer (or None) and whether the answer matched nothing.

    A value matches a code, its French or English label or an alias, regardless of
    case, accents and spacing; failing that, regardless of punctuation (when that is
    unambiguous); failing that, a leading number followed by a label (``"5 - Très
    satisfait"``) matches the code of that number.

    Examples
    --------
    >>> from surveys.codebook import codebook
    >>> var = codebook("agent").variables["gender"]
    >>> p = prepare(["Femme", " homme", "X", "dunno", "NSP"], var)
    >>> codes, bad = match_codes(p, var)
    >>> list(codes), bad.tolist(), list(p.missing)
    (['F', 'M', 'X', None, None], [False, False, False, True, False], [None, None, None, None, 'dont_know'])
    """
    table = _code_table(var)
    loose = _loose_table(table)
    by_text = {fold_value(as_text(c)): c for c in var.codes}
    codes, bad = [], []
    for text, miss, empty in zip(prepared.text, prepared.missing, prepared.blank):
        key = fold_value(text)
        code = table.get(key)
        if code is None:
            code = loose.get(_NOT_ALNUM.sub("", key))
        if code is None:
            lead = _LEADING_CODE.match(key)
            code = by_text.get(lead.group(1)) if lead else None
        codes.append(code)
        bad.append(code is None and miss is None and not empty)
    return np.array(codes, dtype=object), np.array(bad, dtype=bool)


def match_booleans(prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """True/False (or None) per distinct answer and whether it matched nothing.

    Examples
    --------
    >>> from surveys.codebook import codebook
    >>> var = codebook("agent").variables["manager"]
    >>> values, bad = match_booleans(prepare(["Oui", "NON", "Vrai", "no", "peut-être"], var))
    >>> list(values), bad.tolist()
    ([True, False, True, False, None], [False, False, False, False, True])
    """
    table = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}
    values, bad = [], []
    for text, miss, empty in zip(prepared.text, prepared.missing, prepared.blank):
        key = fold_value(text)
        value = table.get(key)
        values.append(value)
        bad.append(value is None and miss is None and not empty)
    return np.array(values, dtype=object), np.array(bad, dtype=bool)


def _split_cell(text: str) -> list[str]:
    for sep in (";", "|", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text.strip()]


def match_multiselect(prepared: Prepared, var: Variable) -> tuple[np.ndarray, np.ndarray, list]:
    """Selected options per distinct cell of a one-column multiselect answer.

    A cell is first matched whole (an option label may contain a comma), then split
    on ``;``, ``|`` or ``,`` (a trailing separator is tolerated).

    Returns
    -------
    selected : ndarray of bool, shape (n distinct, n options)
    bad : ndarray of bool
        The cell holds a part that is no option (the whole cell is set missing).
    unknown : list of str
        The first unmatched part per distinct cell ("" where none).

    Examples
    --------
    >>> from surveys.codebook import codebook
    >>> var = codebook("company").variables["barriers"]
    >>> sel, bad, _ = match_multiselect(prepare(["Coût; Sécurité;", "IT"], var), var)
    >>> [[c for c, on in zip(var.codes, row) if on] for row in sel]
    [['security', 'cost'], ['equipment']]
    """
    table = _code_table(var)
    loose = _loose_table(table)
    options = list(var.codes)
    selected = np.zeros((len(prepared.text), len(options)), dtype=bool)
    bad = np.zeros(len(prepared.text), dtype=bool)
    unknown = [""] * len(prepared.text)
    for i, (text, miss, empty) in enumerate(zip(prepared.text, prepared.missing, prepared.blank)):
        if empty or miss is not None:
            continue
        whole = table.get(fold_value(text))
        parts = [text] if whole is not None else _split_cell(text)
        for part in parts:
            key = fold_value(part)
            code = table.get(key, loose.get(_NOT_ALNUM.sub("", key)))
            if code is None:
                bad[i], unknown[i] = True, part
                break
            selected[i, options.index(code)] = True
        if bad[i]:
            selected[i] = False
    return selected, bad, unknown
