"""Matching source answers to codebook codes: labels, booleans, multiselect cells.

Everything here works on the *distinct* values of a column: callers factorise the
column once (:func:`surveys._columns.distinct`), match the few distinct answers, and
map the result back to the rows (:func:`surveys._columns.spread`). A million rows
holding twenty distinct answers cost twenty matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from surveys._columns import as_text

if TYPE_CHECKING:  # pragma: no cover
    from surveys.codebook import Variable

__all__ = ["fold_name", "fold_value", "fold_many", "Prepared", "prepare", "match_codes",
           "match_booleans", "match_multiselect", "TRUE_WORDS", "FALSE_WORDS"]

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
