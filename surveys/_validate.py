"""Typing and validation: from source columns to the typed columns of ``Survey.data``.

Each column is typed aggregate-first: factorised once, its distinct values matched or
parsed, and the result spread back to the rows. A value that cannot be used blanks
its cell and adds one row to the problems; rows that cannot be used at all (empty, a
duplicate respondent, nothing usable) are excluded, each with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from surveys._parse import (has_offset, parse_dates, parse_fixed_dates, parse_numbers,
                            serial_text_dates, short_year_dates)
from surveys._raw import EXCLUDED_COLUMNS, PROBLEM_COLUMNS
from surveys._columns import (arrow_text, as_categorical, as_text, blank_rows, categorical,
                              distinct, spread, strip_text, stripped, stripped_codes)
from surveys._values import (_missing_table, match_booleans, match_codes, match_multiselect,
                             prepare)
from surveys.codebook import Codebook, Variable
from surveys.pseudonym import EMAIL, IP_ADDRESS, PHONE

__all__ = ["Typed", "type_column", "type_options", "exclude_rows", "problem_frame"]

#: A date with a four-digit year no usual layout read (``10/16/2015``, month first): the
#: column mixes layouts, its two-digit years are not read in an order guessed without it.
_LONG_YEAR_LEFT = r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}(?:\D|$)"
_MONTH_ONLY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{4})\s*$|^\s*(\d{4})[/.\-](\d{1,2})\s*$")
#: A non-substantive spelling (folded) that a fixed-width date could fold to.
_DATE_LIKE = re.compile(r"[\d/.\-: t]+")


@dataclass
class Typed:
    """Typed columns of one variable, its non-substantive answers and its problems."""

    columns: dict
    nonsub: pd.Categorical | None = None
    problems: list = field(default_factory=list)
    #: keys of :data:`surveys.notes.MESSAGES` to note about this column (``file`` and
    #: ``column`` are the only values they take)
    notes: list = field(default_factory=list)


def problem_frame(rows, column: str, values, reasons, action: str = "set_missing") -> pd.DataFrame:
    """Problems as a DataFrame with the columns of ``Survey.problems``."""
    rows = np.asarray(rows, dtype="int64")
    return pd.DataFrame({"row": rows, "column": np.full(len(rows), column, dtype=object),
                         "value": np.asarray(values, dtype=object),
                         "reason": np.asarray(reasons, dtype=object),
                         "action": np.full(len(rows), action, dtype=object)},
                        columns=PROBLEM_COLUMNS)


def _reasons(bad: np.ndarray, texts: list, what: str) -> np.ndarray:
    """Reason (``"'x' <what>"``) per distinct value, written only where the value is bad."""
    out = np.full(len(texts), "", dtype=object)
    for i in np.flatnonzero(bad):
        out[i] = f"{texts[i]!r} {what}"
    return out


def _no_code(prepared) -> np.ndarray:
    """True per distinct value that is no non-substantive answer (its code is None)."""
    return np.asarray(np.equal(prepared.missing, None), dtype=bool)


def _range_text(lo: float, hi: float) -> str:
    return f"{as_text(float(lo))}\u2013{as_text(float(hi))}"


def _reading_order(text: str) -> tuple[str, str]:
    """Alphabetical order as a French reader expects it: accents and case aside
    (Éducation before Ressources), the text itself to break ties.

    Examples
    --------
    >>> sorted(["Solidarités", "Éducation", "Routes"], key=_reading_order)
    ['Éducation', 'Routes', 'Solidarités']
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.casefold(), text


def _personal(text: str) -> bool:
    """Whether an answer holds an e-mail address, a phone number or an IP address (the
    patterns :func:`surveys.pseudonym.redact` removes from free text).

    Examples
    --------
    >>> _personal("jean.dupont@calvados.fr"), _personal("Marie 06 12 34 56 78")
    (True, True)
    >>> _personal("Routes"), _personal("Ressources humaines")
    (False, False)
    """
    return any(pattern.search(text) for pattern in (EMAIL, PHONE, IP_ADDRESS))


def _coded(prepared, var: Variable):
    """Category index per distinct value (-1 = missing), bad flags, reasons."""
    if not var.codes:  # an open list (department, service...): the answers are the categories
        texts = [None if (b or m is not None) else t.strip()
                 for t, b, m in zip(prepared.text, prepared.blank, prepared.missing)]
        # an e-mail address or a phone number typed as the answer is no category label:
        # a label is published, even where its figures are hidden
        bad = np.array([t is not None and _personal(t) for t in texts], dtype=bool)
        reasons = np.full(len(texts), "", dtype=object)
        reasons[bad] = (f"holds personal data (an e-mail address, a phone number or an IP "
                        f"address), not kept as an answer of {var.name}")
        texts = [None if b else t for t, b in zip(texts, bad)]
        categories = sorted({t for t in texts if t}, key=_reading_order)
        where = {c: i for i, c in enumerate(categories)}
        index = np.array([where.get(t, -1) for t in texts], dtype="int64")
        return index, bad, reasons, categories
    codes, bad = match_codes(prepared, var)
    if var.type == "duration_band" and bad.any():
        codes, bad = _months_to_band(prepared, var, codes, bad)
    categories = list(var.codes)
    where = {c: i for i, c in enumerate(categories)}
    index = np.array([where.get(c, -1) if c is not None else -1 for c in codes], dtype="int64")
    shown = ", ".join(as_text(c) for c in categories)
    reasons = _reasons(bad, prepared.text, f"is not one of the answers of {var.name} ({shown})")
    return index, bad, reasons, categories


def _months_to_band(prepared, var: Variable, codes, bad):
    """A number of months given instead of a band falls in its (lower, upper] band."""
    months, not_number = parse_numbers(pd.Series([prepared.text[i] for i in np.flatnonzero(bad)],
                                                 dtype=object))
    for j, i in enumerate(np.flatnonzero(bad)):
        m = months.iloc[j]
        for code, (lo, hi) in var.bands.items():
            if not not_number.iloc[j] and lo < m <= hi:
                codes[i], bad[i] = code, False
    return codes, bad


def _numeric(prepared, var: Variable):
    """Number per distinct value, bad flags and reasons (not a number, not whole, range)."""
    usable = ~prepared.blank & _no_code(prepared)
    texts = pd.Series([r if isinstance(r, (int, float, np.number)) and not isinstance(r, bool)
                       else t for r, t in zip(prepared.raw, prepared.text)], dtype=object)
    values, not_number = parse_numbers(texts)
    values = values.to_numpy(dtype="float64").copy()
    bad = not_number.to_numpy() & usable
    reasons = _reasons(bad, prepared.text, "is not a number")
    if var.type == "integer":
        frac = usable & ~bad & ~np.isnan(values) & (values != np.round(values))
        reasons[frac] = [f"{as_text(v)} is not a whole number" for v in values[frac]]
        bad |= frac
    if var.range is not None:
        lo, hi = var.range
        out = usable & ~bad & ~np.isnan(values) & ((values < lo) | (values > hi))
        reasons[out] = [f"{as_text(v)} is outside {_range_text(lo, hi)}" for v in values[out]]
        bad |= out
    values[bad | ~usable] = np.nan
    return values, bad, reasons


def _unusual_dates(texts: list, values: np.ndarray, bad: np.ndarray,
                   usable: np.ndarray, order: str | None = None) -> list[str]:
    """Read, in place, the distinct values no usual layout read when the column as a
    whole says how: day/month/two-digit year (or month first) when no value of the
    column is written otherwise (none read, none a date with a four-digit year left
    unread, as ``10/16/2015``), Excel serial days written as text when every number
    of the column is a plausible one (two-digit years reading both ways in the file's
    ``order``, if given). Returns the keys of the notes to give.

    Examples
    --------
    >>> values = np.full(2, np.datetime64("NaT", "ns"))
    >>> bad, usable = np.ones(2, bool), np.ones(2, bool)
    >>> _unusual_dates(["16/10/15", "1/2/16"], values, bad, usable), bad.tolist()
    (['dates_day_first_yy'], [False, False])
    >>> bad = np.ones(2, bool)
    >>> _unusual_dates(["10/16/2015", "05/01/16"], values, bad, usable), bad.tolist()
    ([], [True, True])
    """
    notes: list[str] = []
    todo = np.flatnonzero(bad & usable)
    if not len(todo):
        return notes
    text = pd.Series([texts[i] for i in todo], dtype=object)
    # the whole column is in the two-digit-year layout
    if not (usable & ~bad).any() and not text.astype(str).str.match(_LONG_YEAR_LEFT).any():
        short, found = short_year_dates(text, order)
        read = short.notna().to_numpy()
        if found is not None and read.any():
            values[todo[read]] = short[read].to_numpy(dtype="datetime64[ns]")
            bad[todo[read]] = False
            notes.append(f"dates_{found}_yy")
    left = bad[todo]
    serial, number = serial_text_dates(text)
    read = serial.notna().to_numpy() & left
    # a number out of the range (an age, a postcode...) says the column holds no serials
    if read.any() and not (number.to_numpy() & left & ~read).any():
        values[todo[read]] = serial[read].to_numpy(dtype="datetime64[ns]")
        bad[todo[read]] = False
        notes.append("dates_excel_serial")
    return notes


def _dates(prepared, var: Variable, order: str | None = None):
    """Datetime per distinct value, bad flags, reasons and the keys of the notes to
    give about the column (unusual layouts read, in the file's ``order``)."""
    usable = ~prepared.blank & _no_code(prepared)
    if pd.api.types.infer_dtype(prepared.raw, skipna=False) == "string":  # all str
        source = pd.Series(prepared.text, dtype=object)
    else:
        source = pd.Series([r if not isinstance(r, str) else t
                            for r, t in zip(prepared.raw, prepared.text)], dtype=object)
    parsed, not_date = parse_dates(source)
    values = parsed.to_numpy(dtype="datetime64[ns]").copy()
    bad = not_date.to_numpy().copy()
    notes = _unusual_dates(prepared.text, values, bad, usable, order) if bad.any() else []
    if var.type == "month":
        for i in np.flatnonzero(bad):
            found = _MONTH_ONLY.match(str(prepared.text[i]))
            if found:
                month, year = (found.group(1), found.group(2)) if found.group(1) else (
                    found.group(4), found.group(3))
                if 1 <= int(month) <= 12:
                    values[i], bad[i] = np.datetime64(f"{int(year):04d}-{int(month):02d}-01"), False
        values = values.astype("datetime64[M]").astype("datetime64[ns]")
    bad &= usable
    values[bad | ~usable] = np.datetime64("NaT", "ns")
    return values, bad, _reasons(bad, prepared.text, "is not a date"), notes


def _fixed_dates(raw: pd.Series, var: Variable, source: str) -> Typed | None:
    """A date column typed straight from its Arrow strings, when every value is written
    in a fixed-width layout (:func:`~surveys._parse.parse_fixed_dates`); None otherwise.

    A column the reader left as Arrow strings is parsed row by row (no dictionary of a
    million time stamps), a categorical through its categories. Every value being a
    valid date, there is no problem and no non-substantive answer (unless one of those
    is spelled as a date: then the general path decides), and each datetime is the one
    :func:`_dates` gives: the result is that of the general path, at a fraction of
    its cost (no Python string per distinct value).
    """
    # a value folds to a spelling as it is, its ``T`` lower-cased
    spellings = [key.replace("t", "T") for key in _missing_table(var) if _DATE_LIKE.fullmatch(key)]
    if any(parse_fixed_dates(pa.array([key], pa.string())) is not None for key in spellings):
        return None
    text = arrow_text(raw)
    if text is not None:
        column = parse_fixed_dates(text)
    elif isinstance(raw.dtype, pd.CategoricalDtype) and len(raw.cat.categories):
        categories = raw.cat.categories
        if not isinstance(categories.dtype, pd.StringDtype) and pd.api.types.infer_dtype(
                categories, skipna=False) != "string":  # numbers, bytes...: the general path
            return None
        try:
            arr = (pa.array(categories.array) if isinstance(categories.dtype, pd.StringDtype)
                   else pa.array(categories.to_numpy(dtype=object), type=pa.string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # categories that are not all strings
            return None
        per_value = parse_fixed_dates(arr)
        column = None if per_value is None else spread(
            per_value, np.asarray(raw.cat.codes), np.datetime64("NaT", "ns"))
    else:
        return None
    if column is None:
        return None
    if var.type == "month":
        column = column.astype("datetime64[M]").astype("datetime64[ns]")
    return Typed({var.name: column}, None, [problem_frame([], source, [], [])])


def _masked(flags: np.ndarray, codes: np.ndarray, dtype: str) -> pd.api.extensions.ExtensionArray:
    """Nullable boolean/Int64 array from per-value numbers (NaN = missing)."""
    flags = np.asarray(flags, dtype="float64")
    mask = codes < 0
    if not len(flags):
        values = np.zeros(len(codes), dtype=bool if dtype == "boolean" else "int64")
        return (pd.arrays.BooleanArray(values, mask) if dtype == "boolean"
                else pd.arrays.IntegerArray(values, mask))
    unknown = np.isnan(flags)
    mask = spread(unknown, codes, True)  # missing rows and unknown values
    per_value = np.where(unknown, 0, flags).astype(bool if dtype == "boolean" else "int64")
    values = spread(per_value, codes, 0)
    if dtype == "boolean":
        return pd.arrays.BooleanArray(values, mask)
    return pd.arrays.IntegerArray(values, mask)


def type_column(raw: pd.Series, var: Variable, rows: np.ndarray, source: str, *,
                recode: dict | None = None, labels: dict | None = None,
                date_order: str | None = None) -> Typed:
    """Type one source column as the codebook variable ``var``.

    Parameters
    ----------
    raw : Series
        The source column.
    var : Variable
        Its codebook variable.
    rows : ndarray of int
        1-based source row of each cell (for the problems).
    source : str
        Source column name (for the problems).
    recode, labels : dict, optional
        User recode and file value labels for this column.
    date_order : {"day_first", "month_first"}, optional
        The file's order (:mod:`surveys._date_order`) for two-digit years read both ways.

    Returns
    -------
    Typed
        ``columns`` maps the canonical name(s) to typed arrays; ``nonsub`` holds the
        non-substantive code per row (or None); ``problems`` one DataFrame.
    """
    if var.type in ("date", "month") and not recode and not labels:
        fast = _fixed_dates(raw, var, source)
        if fast is not None:
            return fast
    text = arrow_text(raw)
    if text is not None:  # values the reader found all distinct, as Arrow strings
        if var.type == "id" and not recode and not labels:
            return Typed({var.name: strip_text(text)})  # hashed row by row: no encoding
        raw = as_categorical(raw)
    if var.type in ("id", "text") and not recode and not labels:
        lean = stripped_codes(raw)
        if lean is None:
            return Typed({var.name: stripped(raw)})
        codes, values = lean
        # an id stays categorical until pseudonymised (hashed once per value), a text
        # until redacted (once per distinct text): ``read`` makes them strings
        return Typed({var.name: categorical(codes, values)})
    # an unused category is harmless, except in an open list, whose answers are the categories
    open_list = var.type in ("categorical", "ordinal", "likert", "duration_band") and not var.codes
    codes, uniques = distinct(raw, used_only=open_list or var.type in ("id", "text"))
    prepared = prepare(uniques, var, recode=recode, labels=labels)
    notes: list[str] = []
    if var.type in ("id", "text"):
        values = np.array([None if b else t.strip() for t, b in zip(prepared.text, prepared.blank)],
                          dtype=object)
        return Typed({var.name: spread(values, codes, None)})
    if var.type in ("categorical", "ordinal", "likert", "duration_band"):
        index, bad, reasons, categories = _coded(prepared, var)
        width = np.int8 if len(categories) < 127 else np.int32
        column = pd.Categorical.from_codes(spread(index.astype(width), codes, -1),
                                           categories=categories, ordered=var.ordered)
    elif var.type == "boolean":
        flags, bad = match_booleans(prepared)
        reasons = _reasons(bad, prepared.text, "is not a yes/no answer")
        column = _masked(np.array([np.nan if f is None else float(f) for f in flags]), codes,
                         "boolean")
    elif var.type in ("integer", "number"):
        numbers, bad, reasons = _numeric(prepared, var)
        column = (_masked(numbers, codes, "Int64") if var.type == "integer"
                  else spread(numbers, codes, np.nan).astype("float64", copy=False))
    elif var.type in ("date", "month"):
        stamps, bad, reasons, notes = _dates(prepared, var, date_order)
        column = spread(stamps, codes, np.datetime64("NaT", "ns")).astype("datetime64[ns]",
                                                                           copy=False)
        if has_offset(prepared.raw):
            notes.append("utc_offset_dropped")
    elif var.type == "multiselect":
        return _multiselect_cell(raw, var, rows, source, codes, prepared)
    else:  # pragma: no cover - the codebook loader rejects other types
        raise AssertionError(var.type)
    return Typed({var.name: column}, _nonsub(prepared, codes),
                 [_problems(bad, reasons, prepared, codes, rows, source)], notes)


def _nonsub(prepared, codes) -> pd.Categorical | None:
    """Non-substantive code per row (a categorical: no Python object per row, missing
    where the answer was substantive), or None when the column holds no such answer."""
    if _no_code(prepared).all():
        return None
    labels = list(dict.fromkeys(m for m in prepared.missing if m is not None))
    where = {m: i for i, m in enumerate(labels)}
    per_value = np.array([-1 if m is None else where[m] for m in prepared.missing], dtype=np.int8)
    return pd.Categorical.from_codes(spread(per_value, codes, -1), categories=labels)


def _problems(bad, reasons, prepared, codes, rows, source) -> pd.DataFrame:
    """One problem per cell whose distinct value was bad."""
    if not np.any(bad):
        return problem_frame([], source, [], [])
    bad_rows = spread(np.asarray(bad, dtype=bool), codes, False)
    if not bad_rows.any():
        return problem_frame([], source, [], [])
    shown = np.array([as_text(v) for v in prepared.raw], dtype=object)
    idx = codes[bad_rows]
    return problem_frame(rows[bad_rows], source, shown[idx], np.asarray(reasons, dtype=object)[idx])


def _multiselect_cell(raw, var, rows, source, codes, prepared) -> Typed:
    """A multiselect answered in one cell (``"Coût; Sécurité"``)."""
    selected, bad, unknown = match_multiselect(prepared, var)
    answered = ~prepared.blank & ~bad & _no_code(prepared)
    columns = {}
    for j, option in enumerate(var.codes):
        flags = np.where(answered, selected[:, j].astype("float64"), np.nan)
        columns[f"{var.name}__{option}"] = _masked(flags, codes, "boolean")
    reasons = [f"{u!r} is not one of the options of {var.name} ({', '.join(var.codes)})"
               for u in unknown]
    return Typed(columns, _nonsub(prepared, codes),
                 [_problems(bad, reasons, prepared, codes, rows, source)])


def _option_flags(prepared, var: Variable) -> tuple[np.ndarray, np.ndarray]:
    """Selected or not per distinct value of one option column.

    Yes/no spellings first (LimeSurvey ``Y``/empty, ``1``/``0``); then a cell holding
    an option's label counts as selected, as does the one text a column holds when it
    holds only one (SurveyMonkey writes the option text in the column when selected).
    """
    values, bad = match_booleans(prepared)
    if bad.any():
        labels, _ = match_codes(prepared, var)
        values = np.where(bad & (labels != None), True, values)  # noqa: E711
        bad = bad & (labels == None)  # noqa: E711
    if bad.sum() == 1 and not any(v is True for v in values):
        values = np.where(bad, True, values)
        bad = np.zeros_like(bad)
    return values, bad


def type_options(frame: pd.DataFrame, var: Variable, options: dict, rows: np.ndarray) -> Typed:
    """A multiselect answered in one column per option (``barriers__cost`` ...).

    Each option column holds a yes/no answer; LimeSurvey's ``Y``/empty reads as
    selected/not selected. A row whose option columns are all empty did not answer
    (missing, not "nothing selected"). Options without a column are missing.
    """
    flags = {}
    problems = []
    for code, source in options.items():
        codes, uniques = distinct(frame[source])
        prepared = prepare(uniques, var)
        values, bad = _option_flags(prepared, var)
        reasons = _reasons(bad, prepared.text, "is neither a yes/no answer nor the option's label")
        problems.append(_problems(bad, reasons, prepared, codes, rows, source))
        per_value = np.array([np.nan if v is None else float(v) for v in values])
        flags[code] = spread(per_value, codes, np.nan)
    answered = np.zeros(len(frame), dtype=bool)
    for values in flags.values():
        answered |= values == 1
    columns = {}
    for code in var.codes:
        values = flags.get(code, np.full(len(frame), np.nan))
        values = np.where(answered, np.nan_to_num(values, nan=0.0), np.nan)
        if code not in flags:
            values = np.full(len(frame), np.nan)
        mask = np.isnan(values)
        columns[f"{var.name}__{code}"] = pd.arrays.BooleanArray(
            np.where(mask, 0, values).astype(bool), mask)
    return Typed(columns, None, problems)


def _any_known(frame: pd.DataFrame, columns: list) -> np.ndarray:
    """True where at least one of ``columns`` holds a value (column by column: no copy)."""
    known = np.zeros(len(frame), dtype=bool)
    for name in columns:
        known |= frame[name].notna().to_numpy()
    return known


class _Verdicts:
    """Why each row is excluded, kept as a small integer code per row (0: kept) with
    the reason, problem detail and source column of each code: no text per row."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int16)
        self.labels: list[tuple] = [(None, None, "")]
        self.details: dict[int, str] = {}  # row position -> detail (duplicates)

    def free(self) -> np.ndarray:
        """True where no reason was given yet."""
        return self.code == 0

    def give(self, mask: np.ndarray, reason: str, detail: str, column: str = "") -> None:
        """Give ``reason`` to the rows under ``mask``."""
        if mask.any():
            self.code[mask] = len(self.labels)
            self.labels.append((reason, detail, column))

    def table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Excluded rows: mask, reasons, details and columns (object arrays)."""
        out = self.code != 0
        where = np.flatnonzero(out)
        codes = self.code[where]
        reason, detail, column = (np.array([None] + [lab[k] for lab in self.labels[1:]],
                                           dtype=object)[codes] for k in range(3))
        if self.details:
            at = np.searchsorted(where, np.fromiter(self.details, dtype=np.int64))
            detail[at] = list(self.details.values())
        return out, reason, detail, column


def exclude_rows(raw: pd.DataFrame, data: pd.DataFrame, nonsub: pd.DataFrame, book: Codebook,
                 rows: np.ndarray, sources: dict,
                 answers: list) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Decide which rows cannot be used at all.

    A row is excluded when every source cell is empty; for ``attendance`` and
    ``places`` when a required value is missing; for the other kinds when none of the
    ``answers`` columns (everything but identifiers) holds a usable value; and when
    it repeats the key of an earlier kept row.

    Returns
    -------
    keep : ndarray of bool
    excluded : DataFrame (``row``, ``reason``)
    problems : DataFrame, one ``excluded_row`` problem per excluded row
    """
    n = len(raw)
    verdicts = _Verdicts(n)
    verdicts.give(blank_rows(raw), "empty row", "the row is empty")
    if book.kind in ("attendance", "places"):
        for name in book.required:
            lacking = data[name].isna().to_numpy() & verdicts.free()
            verdicts.give(lacking, f"missing {name}", f"no usable {name}; the row cannot be used",
                          sources.get(name, name))
    else:
        totals, column = _total_rows(raw, book, sources)
        verdicts.give(totals & verdicts.free(), "total row",
                      "a total or summary row, not a respondent", column)
        usable = _any_known(data, answers) if answers else np.ones(n, bool)
        usable |= _any_known(nonsub, list(nonsub.columns))
        verdicts.give(~usable & verdicts.free(), "no usable answer", "no answer could be used")
    _duplicates(data, book, rows, sources, verdicts)
    out, reason, detail, column = verdicts.table()
    excluded = pd.DataFrame({"row": rows[out].astype("int64"), "reason": reason},
                            columns=EXCLUDED_COLUMNS)
    values = np.full(int(out.sum()), "", dtype=object)
    problems = problem_frame(rows[out], "", values, detail, "excluded_row")
    problems["column"] = column
    return ~out, excluded, problems


#: What a spreadsheet's total or summary row says in its first or identifier cell.
_TOTAL_WORDS = frozenset({"total", "totaux", "total général", "total general", "grand total",
                          "sous-total", "sous total", "ensemble", "somme", "sum", "totals"})
#: Rows looked at, from each end of the file: a total row sits at the bottom (or top).
_TOTAL_ROWS = 3


def _total_rows(raw: pd.DataFrame, book: Codebook, sources: dict) -> tuple[np.ndarray, str]:
    """The first and last rows whose identifier cell (or the first cell) says "Total",
    "Ensemble"…: a spreadsheet's summary row, not a respondent (it would be counted as
    one, with the sums as its answers). Only a few rows at each end are looked at."""
    n = len(raw)
    found = np.zeros(n, dtype=bool)
    names = [sources[name] for name, variable in book.variables.items()
             if variable.type == "id" and name in sources and sources[name] in raw.columns]
    columns = list(dict.fromkeys(names + list(raw.columns[:1])))
    ends = np.unique(np.r_[np.arange(min(_TOTAL_ROWS, n)), np.arange(max(n - _TOTAL_ROWS, 0), n)])
    for column in columns:
        cells = raw[column].iloc[ends].astype(object)
        words = cells.map(lambda v: str(v).strip().casefold() if isinstance(v, str) else "")
        found[ends[words.isin(_TOTAL_WORDS).to_numpy()]] = True
    return found, columns[0] if columns else ""


def _key_integers(columns: list[pd.Series], rows: np.ndarray) -> np.ndarray:
    """One integer per distinct key over the masked ``rows``: the key itself when it is
    one column of hashed identifiers (no table of a million distinct values), otherwise
    the columns' codes combined (a categorical factorised on its codes)."""
    if len(columns) == 1 and isinstance(columns[0].dtype, pd.UInt64Dtype):
        return columns[0].array[rows].to_numpy(dtype=np.uint64)  # no missing among ``rows``
    combined = np.zeros(int(rows.sum()), dtype="int64")
    for column in columns:
        values = (column.array if isinstance(column.dtype, pd.api.extensions.ExtensionDtype)
                  else column.to_numpy())
        codes, uniques = pd.factorize(values[rows], use_na_sentinel=True)
        combined = combined * (len(uniques) + 1) + (codes + 1)
    return combined


def _duplicates(data, book, rows, sources, verdicts: _Verdicts) -> None:
    """Later rows with the key of an earlier kept row are duplicates (first one kept)."""
    key = [k for k in book.key if k in data.columns]
    if not key or book.kind == "attendance":
        return
    id_col = key[0]
    candidates = verdicts.free() & data[id_col].notna().to_numpy()
    combined = _key_integers([data[name] for name in key], candidates)
    ordered = np.sort(combined)  # the usual case, no duplicate, settled by a sort
    if not (ordered[1:] == ordered[:-1]).any():
        return
    dup = pd.Series(combined).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first_pos = pd.Series(np.flatnonzero(candidates)).groupby(combined).transform("min").to_numpy()
    where = np.flatnonzero(candidates)[dup]
    label = "respondent" if book.kind != "places" else "place"
    mask = np.zeros(len(candidates), dtype=bool)
    mask[where] = True
    verdicts.give(mask, f"duplicate {label}", "", sources.get(id_col, id_col))
    verdicts.details.update(zip(where.tolist(), [f"same {' + '.join(key)} as row {r}"
                                                 for r in rows[first_pos[dup]]]))
