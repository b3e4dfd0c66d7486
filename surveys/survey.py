"""The :class:`Survey` and :func:`read`: one source file, mapped, typed and accounted for.

``read`` runs one path for every format: the reader turns the file into a
:class:`~surveys._raw.RawTable`; columns are mapped onto the codebook (the user's
mapping first, then the codebook's aliases); personal-data columns are dropped;
each variable is typed and validated; identifiers are pseudonymised. Every row of the
file ends up either in ``Survey.data`` or in ``Survey.excluded``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from surveys import _readers
from surveys._date_order import follow_file_order
from surveys._raw import EXCLUDED_COLUMNS, PROBLEM_COLUMNS, RawTable
from surveys._validate import exclude_rows, type_column, type_options
from surveys._columns import arrow_text, text_values
from surveys._values import fold_name
from surveys.codebook import Codebook, Variable, codebook as shipped_codebook, load_codebook
from surveys.errors import SurveyError
from surveys.notes import Note
from surveys.pseudonym import DEFAULT_SALT, hash_clean, keyed_hashes, pseudonyms, redact
from surveys.reason_text import reasons_in_language

__all__ = ["Survey", "read"]

#: Problems listed in a strict-mode error before "... and N more".
_STRICT_SHOWN = 20
#: Codebook types whose answers are often whole numbers (a text reader may parse them so).
_WHOLE_NUMBER_TYPES = ("integer", "number", "likert")
#: The dtype of identifiers in ``Survey.data`` (a check-in log's excepted: categorical).
_ID_STRINGS = pd.StringDtype("pyarrow")
#: Personal-data variables whose values are names to remove from free text.
_NAME_VARIABLES = ("first_name", "last_name", "company_name")


@dataclass
class Survey:
    """One source, typed on its codebook, with every problem and excluded row.

    Attributes
    ----------
    data : DataFrame
        One row per kept respondent or event (RangeIndex), canonical columns typed
        as the codebook says: categoricals (ordered for ordinal, Likert and duration
        bands), nullable ``boolean`` and ``Int64``, float64, datetime64[ns], one
        boolean column per multiselect option, pseudonymised identifiers.
    kind : str
        Kind of source (``agent``, ``company``, ``thirdplace``, ``attendance``, ``places``).
    codebook : Codebook
    source : str
        File name (or ``"<DataFrame>"``).
    problems : DataFrame
        ``row`` (1-based data row in the source), ``column`` (source column),
        ``value``, ``reason``, ``action`` (``set_missing`` or ``excluded_row``).
    excluded : DataFrame
        ``row``, ``reason``: the rows not kept.
    notes : list of str
    nonsubstantive : DataFrame
        Same index as ``data``; one column per variable that received "don't know" /
        "not applicable" / "refused" answers: the code, NaN elsewhere.
    population : float, str or None
        Size of the surveyed population (finite population correction), or the name
        of a column of per-stratum sizes; from the pilot file.
    name : str or None
        Name of the source in the pilot file.
    n_rows : int
        Data rows in the source file.

    Examples
    --------
    >>> s = read(pd.DataFrame({"id": ["a", "b"], "Sexe": ["Femme", "H"]}), "agent")
    >>> len(s), list(s.data["gender"])
    (2, ['F', 'M'])
    """

    data: pd.DataFrame
    kind: str
    codebook: Codebook
    source: str
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS))
    notes: list = field(default_factory=list)
    nonsubstantive: pd.DataFrame = field(default_factory=pd.DataFrame)
    population: float | str | None = None
    name: str | None = None
    n_rows: int = 0

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        return (f"Survey({label}kind={self.kind!r}, source={self.source!r}, rows={len(self)}, "
                f"excluded={len(self.excluded)}, problems={len(self.problems)})")

    def summary(self) -> pd.DataFrame:
        """Data-quality summary: rows read, kept, excluded by reason, problems by column.

        Returns
        -------
        DataFrame
            ``measure`` (``rows_read``, ``rows_kept``, ``rows_excluded``, ``problems``,
            ``nonsubstantive``), ``detail`` (the exclusion reason, the source column
            of the problems, or the variable with "don't know" / "not applicable"
            answers; ``""`` for totals) and ``n``.

        Examples
        --------
        >>> frame = pd.DataFrame({"id": ["a", "a", "b"], "Sexe": ["F", "F", "NSP"],
        ...                       "Âge": ["40", "41", "200"]})
        >>> read(frame, "agent").summary()
                  measure                detail  n
        0       rows_read                        3
        1       rows_kept                        2
        2   rows_excluded                        1
        3   rows_excluded  duplicate respondent  1
        4        problems                   Âge  1
        5  nonsubstantive                gender  1
        """
        head = [("rows_read", "", self.n_rows), ("rows_kept", "", len(self.data)),
                ("rows_excluded", "", len(self.excluded))]
        by_reason = self.excluded.groupby("reason", sort=True).size()
        cells = self.problems[self.problems["action"] == "set_missing"]
        by_column = cells.groupby("column", sort=True).size()
        nonsub = self.nonsubstantive.notna().sum() if self.nonsubstantive.shape[1] else {}
        body = ([("rows_excluded", r, int(n)) for r, n in by_reason.items()]
                + [("problems", c, int(n)) for c, n in by_column.items()]
                + [("nonsubstantive", v, int(n)) for v, n in dict(nonsub).items() if n])
        return pd.DataFrame(head + body, columns=["measure", "detail", "n"])


def read(source, kind: str, *, mapping: dict | None = None, recode: dict | None = None,
         codebook: Codebook | str | Path | None = None, sheet: str | int | None = None,
         strict: bool = False, salt: str | None = None,
         population: float | str | None = None, name: str | None = None) -> Survey:
    """Read a survey file (or DataFrame) onto a codebook.

    Parameters
    ----------
    source : str, Path or DataFrame
        ``.csv .tsv .txt .xlsx .sav .dta .parquet`` file, or a DataFrame.
    kind : str
        ``agent``, ``company``, ``thirdplace``, ``attendance`` or ``places``.
    mapping : dict, optional
        Source column -> canonical name (``"Sexe": "gender"``); a multiselect answered
        in one column per option maps each to ``<variable>__<code>``; any canonical
        name starting with ``sat_`` is read on the 5-point satisfaction scale. Columns
        not mapped here are matched on the codebook's aliases; the rest are dropped.
    recode : dict, optional
        Canonical name -> {source value: code}, applied before anything else.
    codebook : Codebook or path, optional
        A codebook of your own (YAML) instead of the shipped one.
    sheet : str or int, optional
        Spreadsheet sheet.
    strict : bool
        Raise :class:`SurveyError` when anything was set missing or excluded.
    salt : str, optional
        Key of the pseudonymisation hash (the pilot's ``salt``).
    population : float or str, optional
        Population size (or a column of per-stratum sizes), kept on the Survey.
    name : str, optional
        Name of the source in the pilot file.

    Returns
    -------
    Survey

    Raises
    ------
    SurveyError
        Unreadable file, unknown kind, a mapping naming an absent column, a required
        column absent, nothing left to analyse, or (``strict``) any problem.

    Notes
    -----
    Every column is typed aggregate-first (its distinct values are matched or
    parsed once and mapped back), so cost grows with distinct answers, not rows;
    identifiers are hashed once per distinct value. Invariant, tested with
    hypothesis: ``len(data) + len(excluded)`` equals the data rows of the file.
    The pseudonyms are checked against a pure-Python SipHash-2-4 in the tests.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["1", "2", "3"], "Sexe": ["Femme", "homme", "?"],
    ...                       "Jours de télétravail": ["2", "7", "1"]})
    >>> s = read(frame, "agent", salt="k")
    >>> s.data[["gender", "telework_days"]]
      gender  telework_days
    0      F              2
    1      M           <NA>
    2    NaN              1
    >>> s.problems[["row", "column", "reason"]].to_string(index=False)
    ' row               column          reason\\n   2 Jours de télétravail 7 is outside 0–5'
    """
    where = _source_name(source)
    book = _resolve_codebook(kind, codebook, where)
    raw = read_raw(source, sheet=sheet,
                   integers=_whole_number_columns(book, mapping or {}, recode or {}))
    where = raw.path
    columns, options, variables, notes = _map_columns([str(c) for c in raw.data.columns], book,
                                                      mapping or {}, where)
    recode = _check_recode(recode or {}, book, where)
    names = _pii_values(raw, columns, variables)
    dropped = [(col, var) for var, col in columns.items() if variables[var].pii]
    if dropped:
        shown = ", ".join(f"{c!r} ({v})" for c, v in dropped)
        notes.append(Note("pii_not_kept", file=where, shown=shown))
    columns = {v: c for v, c in columns.items() if not variables[v].pii}
    data, nonsub, cell_problems = _type_all(raw, columns, options, variables, recode, names)
    if book.kind != "attendance":  # duplicates are found on the keyed hashes
        _hash_identifiers(data, variables, salt)
    survey = _account(raw, book, data, nonsub, cell_problems, columns, options, variables, where)
    notes = list(raw.notes) + notes
    del raw, data, nonsub  # the source values are no longer needed (peak memory)
    _pseudonymise(survey, variables, salt, notes)
    survey.notes = notes
    survey.population, survey.name = population, name
    if strict:
        _raise_strict(survey)
    return survey


def read_raw(source, sheet: str | int | None = None, integers=None) -> RawTable:
    """The reader :func:`read` uses: text columns as categoricals (no Python string per
    cell; validation works on the distinct values), whole-number answers as integers
    where ``integers`` (header -> column names) says they may be."""
    return _readers.read_raw(source, sheet=sheet, strings="category", integers=integers)


def _whole_number_columns(book: Codebook, mapping: dict, recode: dict):
    """A hint for the text reader: the columns of a header that hold variables answered
    with whole numbers (counts, ages, Likert points, 0-10 scores), which it may parse
    as integers straight away. Which columns they are is decided again, with its
    errors, once the file is read."""

    def pick(names: list[str]) -> set[str]:
        try:
            columns, _, variables, _ = _map_columns(names, book, mapping, "")
        except SurveyError:
            return set()
        return {col for var, col in columns.items()
                if variables[var].type in _WHOLE_NUMBER_TYPES and var not in recode
                and not variables[var].pii}

    return pick


def _source_name(source) -> str:
    if isinstance(source, pd.DataFrame):
        return "<DataFrame>"
    return Path(str(source)).name


def _resolve_codebook(kind: str, book, where: str) -> Codebook:
    if isinstance(book, Codebook):
        return book
    if book is not None:
        return load_codebook(book, kind=kind)
    try:
        return shipped_codebook(kind)
    except SurveyError as exc:
        raise SurveyError(Note("in_file", file=where, message=exc.args[0])) from None


def _target(book: Codebook, target: str, column: str, where: str) -> tuple[str, str | None]:
    """Check a mapping target: ``(variable, option code or None)``."""
    base, _, code = str(target).partition("__")
    var = book.resolve(base)
    if var is None:
        raise SurveyError(Note("mapping_not_variable", file=where, column=repr(column),
                               target=repr(target), name=repr(base), kind=book.kind,
                               hint=book.hint(base)))
    if code and (var.type != "multiselect" or code not in var.codes):
        known = ", ".join(map(str, var.codes)) or "none"
        raise SurveyError(Note("mapping_not_option", file=where, column=repr(column),
                               target=repr(target), code=repr(code), name=base, options=known))
    return base, code or None


def _find_column(columns: list[str], wanted: str, where: str) -> str:
    if wanted in columns:
        return wanted
    folded = [c for c in columns if fold_name(c) == fold_name(wanted)]
    if len(folded) == 1:
        return folded[0]
    close = difflib.get_close_matches(wanted, columns, n=1, cutoff=0.5)
    hint = Note("did_you_mean", name=repr(close[0])) if close else ""
    shown = ", ".join(repr(c[:40]) for c in columns[:20]) + (" ..." if len(columns) > 20 else "")
    raise SurveyError(Note("mapping_absent_column", file=where, column=repr(wanted), hint=hint,
                           shown=shown))


def _map_columns(source_cols: list[str], book: Codebook, mapping: dict, where: str):
    """Source columns for each variable: the user's mapping first, then aliases.

    Returns ``columns`` (variable -> source column), ``options`` (multiselect ->
    {code: source column}), ``variables`` (name -> Variable, extra ``sat_*`` included)
    and notes.
    """
    columns: dict[str, str] = {}
    options: dict[str, dict] = {}
    variables: dict[str, Variable] = {}
    used: set[str] = set()
    for wanted, target in mapping.items():
        col = _find_column(source_cols, str(wanted), where)
        used.add(col)
        if target is None or target == "":
            continue
        base, code = _target(book, target, col, where)
        variables[base] = book.resolve(base)
        if code is not None:
            options.setdefault(base, {})[code] = col
        elif base in columns:
            raise SurveyError(Note("mapped_twice", file=where, first=repr(columns[base]),
                                   second=repr(col), name=repr(base)))
        else:
            columns[base] = col
    for col in source_cols:
        if col in used:
            continue
        base, code = _alias(book, col)
        if base is None or (code is None and base in columns) or base in options and code is None:
            continue
        variables[base] = book.resolve(base)
        if code is not None:
            options.setdefault(base, {}).setdefault(code, col)
        else:
            columns[base] = col
        used.add(col)
    for base in [b for b in options if b in columns]:
        del options[base]  # a one-cell answer wins over stray option columns
    _check_required(book, set(columns) | set(options), source_cols, where)
    order = [n for n in book.variables if n in variables]
    variables = {n: variables[n] for n in order + [n for n in variables if n not in order]}
    unmapped = [c for c in source_cols if c not in set(columns.values())
                and not any(c in o.values() for o in options.values())]
    notes = []
    if unmapped:
        shown = ", ".join(repr(c[:40]) for c in unmapped)
        notes.append(Note("unmapped", file=where, count=len(unmapped), shown=shown))
    return columns, options, variables, notes


def _alias(book: Codebook, column: str) -> tuple[str | None, str | None]:
    """The variable (and option) a source header stands for, from the codebook aliases."""
    candidates = [column]
    if ". " in column:  # LimeSurvey "code. question text" headings
        candidates.append(column.split(". ", 1)[0])
    for text in candidates:
        name = book.alias_index.get(fold_name(text))
        if name is not None:
            return name, None
        base, sep, code = text.partition("__")
        var = book.variables.get(base)
        if sep and var is not None and var.type == "multiselect" and code in var.codes:
            return base, code
    if column.startswith("sat_") and column.isidentifier():
        return column, None
    return None, None


def _check_required(book: Codebook, found: set, source_cols: list, where: str) -> None:
    for name in book.required:
        if name not in found:
            var = book.variables[name]
            shown = ", ".join(repr(c[:40]) for c in source_cols[:20])
            raise SurveyError(Note("required_missing", file=where, name=repr(name),
                                   label=dict(var.label),
                                   kind=repr(book.kind), shown=shown))


def _check_recode(recode: dict, book: Codebook, where: str) -> dict:
    for name in recode:
        if book.resolve(name) is None:
            raise SurveyError(Note("recode_not_variable", file=where, name=repr(name),
                                   kind=book.kind, hint=book.hint(name)))
        if not isinstance(recode[name], dict):
            raise SurveyError(Note("recode_not_mapping", file=where, name=repr(name)))
    return recode


def _pii_values(raw: RawTable, columns: dict, variables: dict) -> tuple[pa.ChunkedArray | None,
                                                                         pa.ChunkedArray | None]:
    """The values of the personal-data columns, to redact from free text, as Arrow strings.

    Returns names (from name columns, redacted word by word) and other identifying
    values (tokens, e-mails, IP addresses... redacted where they appear whole); None
    for a group without a column, or when there is no free text to redact them from.
    A million e-mail addresses stay Arrow strings: :func:`redact` keeps only those
    that occur in the free text.
    """
    names: list[pa.Array] = []
    others: list[pa.Array] = []
    if not any(variables[v].type == "text" and not variables[v].pii for v in columns):
        return None, None
    for var, col in columns.items():
        if variables[var].pii:
            (names if var in _NAME_VARIABLES else others).append(text_values(raw.data[col]))
    return tuple(pa.chunked_array(group, type=pa.string()) if group else None
                 for group in (names, others))


def _type_all(raw: RawTable, columns: dict, options: dict, variables: dict, recode: dict,
              names: tuple) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Type every mapped variable; returns data, non-substantive answers, problems."""
    typed_columns: dict[str, object] = {}
    nonsub: dict[str, pd.Categorical] = {}
    problems: list = []

    def typed_column(name: str, date_order: str | None = None):
        col = columns[name]
        return type_column(raw.data[col], variables[name], raw.rows, col,
                           recode=recode.get(name), labels=raw.value_labels.get(col),
                           date_order=date_order)

    every = {name: type_options(raw.data, variables[name], options[name], raw.rows)
             if name in options else typed_column(name)
             for name in _ordered(variables, columns, options)}
    # two-digit-year dates that read both ways follow the order another column shows
    dates = {n: t for n, t in every.items()
             if n not in options and variables[n].type in ("date", "month")}
    ordered = follow_file_order(dates, typed_column, columns, raw.path)
    every.update(dates)
    for name in list(every):
        typed, var = every.pop(name), variables[name]  # each freed once redacted (peak memory)
        for out, values in typed.columns.items():
            if var.type == "text" and not var.pii:
                values = _redacted(values, names)
            typed_columns[out] = values
        if typed.nonsub is not None and (np.asarray(typed.nonsub.codes) >= 0).any():
            nonsub[name] = typed.nonsub
        problems.extend(typed.problems)
        raw.notes.extend(Note(key, file=raw.path, column=repr(columns.get(name, name)))
                         for key in typed.notes)
    raw.notes.extend(ordered)
    data = pd.DataFrame(typed_columns, index=pd.RangeIndex(len(raw.data)), copy=False)
    del typed_columns
    pa.default_memory_pool().release_unused()  # Arrow's temporaries back to the system
    if not nonsub:
        empty = pd.DataFrame({}, index=data.index)
        return data, empty.where(empty.notna(), np.nan), problems
    # categoricals while the rows are sifted; objects (NaN elsewhere) once kept: _account
    return data, pd.DataFrame(nonsub, index=data.index, copy=False), problems


def _redacted(values, names: tuple) -> np.ndarray:
    """Free text with personal data removed, as strings (None where missing); a
    categorical column is redacted once per distinct text."""
    if isinstance(values, pd.Categorical):
        if not (np.asarray(values.codes) >= 0).any():
            return np.full(len(values), None, dtype=object)
        return redact(pd.Series(values), *names).to_numpy(dtype=object)
    return redact(pd.Series(values, dtype=object), *names).to_numpy(dtype=object)


def _ordered(variables: dict, columns: dict, options: dict) -> list[str]:
    mapped = set(columns) | set(options)
    return [n for n in variables if n in mapped]


def _account(raw, book, data, nonsub, cell_problems, columns, options, variables,
             where) -> Survey:
    """Exclude unusable rows and assemble the Survey (problems sorted by row)."""
    answers = [c for c in data.columns
               if c.split("__")[0] not in book.key and variables[c.split("__")[0]].type != "id"]
    sources = dict(columns)
    keep, excluded, row_problems = exclude_rows(raw.data, data, nonsub, book, raw.rows, sources,
                                                answers)
    cells = pd.concat([p for p in cell_problems if len(p)] or [row_problems.iloc[:0]],
                      ignore_index=True)
    cells = cells[~cells["row"].isin(excluded["row"])]
    reader = pd.DataFrame(raw.problems, columns=PROBLEM_COLUMNS)
    parts = [p for p in (reader, cells, row_problems) if len(p)]
    problems = (pd.concat(parts, ignore_index=True) if parts
                else pd.DataFrame(columns=PROBLEM_COLUMNS))
    problems = problems.astype({"row": "int64"}).sort_values(["row", "column"], kind="stable")
    problems = problems.reset_index(drop=True)
    if len(problems):  # an e-mail typed into the wrong column must not leak through here
        problems["value"] = redact(problems["value"].astype(object))
        problems["reason"] = redact(problems["reason"].astype(object))
    parts = [p for p in (raw.excluded, excluded) if len(p)]
    all_excluded = (pd.concat(parts, ignore_index=True) if parts
                    else pd.DataFrame({"row": pd.Series([], dtype="int64"),
                                       "reason": pd.Series([], dtype=object)}))
    all_excluded = all_excluded.sort_values("row", kind="stable").reset_index(drop=True)
    if not keep.all():
        data = data.loc[keep].reset_index(drop=True)
        nonsub = nonsub.loc[keep].reset_index(drop=True)
    if nonsub.shape[1]:
        nonsub = nonsub.loc[:, nonsub.notna().any(axis=0)].astype(object)
    if len(data) == 0:
        shown = _reason_counts(all_excluded["reason"]) or Note("no_data_rows")
        if book.key:  # the columns as the file names them
            key = Note("nothing_left_key", key=repr(columns.get(book.key[0], book.key[0])))
        else:
            key = Note("nothing_left_required",
                       key=", ".join(repr(columns.get(name, name)) for name in book.required))
        raise SurveyError(Note("nothing_left", file=where, reasons=shown, key=key))
    return Survey(data=data, kind=book.kind, codebook=book, source=where, problems=problems,
                  excluded=all_excluded, nonsubstantive=nonsub, n_rows=int(raw.n_rows))


def _reason_counts(reasons: pd.Series) -> dict[str, str] | None:
    """Why the rows were set aside, each reason with its count, in English and in
    French (a :class:`Note`'s ``{"en": ..., "fr": ...}`` value); None when no row was.

    Examples
    --------
    >>> shown = _reason_counts(pd.Series(["missing timestamp"] * 7232))
    >>> shown["en"]
    'missing timestamp: 7232'
    >>> shown["fr"] == "horodatage manquant : 7\u202f232"
    True
    """
    counts = reasons.value_counts()
    if not len(counts):
        return None
    french = reasons_in_language(counts.index.to_series(), "fr")
    return {"en": "; ".join(f"{r}: {n}" for r, n in counts.items()),
            "fr": " ; ".join(f"{text} : " + f"{n:,}".replace(",", "\u202f")
                             for text, n in zip(french, counts.to_numpy()))}


def _hash_identifiers(data: pd.DataFrame, variables: dict, salt: str | None) -> None:
    """Replace the identifiers to pseudonymise by their keyed 64-bit hashes, in place.

    A column of a million distinct ids is hashed row by row with no dictionary of its
    values; the duplicate check then compares integers.
    """
    for name, var in variables.items():
        if var.hash and name in data.columns:
            data[name] = keyed_hashes(data[name], salt)


def _pseudonymise(survey: Survey, variables: dict, salt: str | None, notes: list) -> None:
    """Write the identifiers' pseudonyms; other ids become ``string[pyarrow]`` too.

    Survey ids arrive as keyed hashes (:func:`_hash_identifiers`); a check-in log's
    ids are hashed here, once per distinct id.
    """
    hashed = [n for n, v in variables.items() if v.hash and n in survey.data.columns]
    # A check-in log repeats a few thousand ids over millions of rows: its ids stay
    # categorical (the same strings, stored once), which every analysis of the log uses.
    log = survey.kind == "attendance"
    for name in hashed:
        column = survey.data[name]
        survey.data[name] = (hash_clean(column, salt, categorical=True) if log
                             else pseudonyms(column))
    for name, var in variables.items():  # an id not hashed (place_id) kept categorical so far
        column = survey.data.get(name)
        if var.type != "id" or column is None or name in hashed:
            continue
        if log and not isinstance(column.dtype, pd.CategoricalDtype):
            survey.data[name] = column.astype("category")
        elif not log and arrow_text(column) is None:  # strings, as the pseudonyms are
            survey.data[name] = _id_strings(column)
    if hashed and salt is None:
        notes.append(Note("default_salt", file=survey.source, columns=", ".join(hashed),
                          salt=repr(DEFAULT_SALT)))


def _id_strings(column: pd.Series) -> pd.Series:
    """An identifier column as ``string[pyarrow]``; a categorical of strings by one Arrow
    take of its categories (``astype`` makes a Python string per row first)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if isinstance(categories.dtype, pd.StringDtype) or (
                categories.dtype == object and pd.api.types.infer_dtype(categories) == "string"):
            codes = np.asarray(column.cat.codes)
            taken = text_values(column).cast(pa.large_string()).take(
                pa.array(codes, mask=codes < 0))
            return pd.Series(pd.arrays.ArrowStringArray(taken), index=column.index,
                             name=column.name)
    return column.astype(_ID_STRINGS)


def _raise_strict(survey: Survey) -> None:
    problems, excluded = survey.problems, survey.excluded
    if not len(problems) and not len(excluded):
        return
    lines = [f"row {r.row}, column {r.column!r}: {r.reason}" if r.column else
             f"row {r.row}: {r.reason}" for r in problems.head(_STRICT_SHOWN).itertuples()]
    listed = set(problems["row"]) if len(problems) else set()
    lines += [f"row {r.row}: excluded ({r.reason})" for r in excluded.itertuples()
              if r.row not in listed][: max(0, _STRICT_SHOWN - len(lines))]
    total = len(problems) + int((~excluded["row"].isin(listed)).sum())
    more = f"; ... and {total - len(lines)} more" if total > len(lines) else ""
    raise SurveyError(f"{survey.source}: {total} problem(s) found (strict mode): "
                      + "; ".join(lines) + more + ".")
