"""The reference catalogue: national and regional figures a pilot is compared with.

The catalogue ships as ``analysis/data/baselines.yaml`` (every figure of the seed
documents, see ``shared/BASELINES.md``). Users add their own sources with a YAML file of
the same shape or a CSV file with one row per indicator, named in the pilot file.

An indicator that a survey can answer declares how: the survey ``kind``, the
``variable`` and a ``condition`` on it (a share), or no condition (a mean of the
variable). Conditions are written as one-key mappings::

    {equals: M}  {greater_than: 60}  {less_than: 20}  {in: [a, b]}  {is: true}  {band: 6-12m}

In the tidy catalogue (and in a user's CSV file) a condition is that mapping written in
YAML flow style, e.g. ``{equals: M}``.

Texts come in two languages. An indicator's label is ``label_fr`` and ``label_en``. The
``publisher``, ``population`` and ``note`` are written as given (English in the shipped
catalogue), each with an optional French version ``publisher_fr``, ``population_fr`` and
``note_fr``; reports show the French version in French and the plain key in English.
A file that gives only one of the two is read as it is: the missing version is the text
given, so a user who writes ``population: salariés du Calvados`` sees it in both reports.
A source's ``publisher``/``population`` (and their ``_fr`` versions) are inherited by its
indicators as a pair: an indicator that sets either of the two inherits neither.
"""

from __future__ import annotations

import functools

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from surveys._yaml import safe_load
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = [
    "baselines",
    "load_baselines",
    "parse_condition",
    "condition_mask",
    "CATALOGUE_COLUMNS",
    "CONDITION_OPERATORS",
]

#: Columns of the tidy catalogue, in order.
CATALOGUE_COLUMNS = [
    "source_id", "indicator", "label_fr", "label_en", "value", "unit", "population",
    "population_fr", "base_n", "year", "publisher", "publisher_fr", "seed_file",
    "distribution", "kind", "variable", "condition", "subset", "note", "note_fr", "testable",
]
#: Operators a condition may use.
CONDITION_OPERATORS = ("equals", "greater_than", "less_than", "in", "is", "band")
_KINDS = ("agent", "company", "thirdplace", "attendance", "places")
_SOURCE_KEYS = {"source_id", "publisher", "publisher_fr", "year", "seed_file", "population",
                "population_fr", "base_n", "indicators", "note", "note_fr"}
_INDICATOR_KEYS = set(CATALOGUE_COLUMNS) - {"source_id"}
_INHERITED = ("publisher", "publisher_fr", "year", "seed_file", "population",
              "population_fr", "base_n")
#: Texts given as written (``<name>``) with an optional French version (``<name>_fr``).
_TRANSLATED = ("publisher", "population", "note")


def baselines(source: str | None = None, *, extra=None) -> pd.DataFrame:
    """Return the reference catalogue as a tidy DataFrame, one row per figure.

    Parameters
    ----------
    source : str, optional
        Keep only this source id (e.g. ``"bva-2015"``).
    extra : path or list of paths, optional
        User sources (YAML or CSV files, see :func:`load_baselines`) added to the
        shipped catalogue. A (source_id, indicator) pair may not appear twice.

    Returns
    -------
    DataFrame
        Columns ``source_id``, ``indicator``, ``label_fr``, ``label_en``, ``value``
        (shares as fractions), ``unit`` (``share``, ``count``, ``eur``, ``km``...),
        ``population`` (who the figure describes), ``population_fr`` (the same in
        French), ``base_n`` (respondents behind it, NaN where unpublished), ``year``,
        ``publisher``, ``publisher_fr``, ``seed_file``, ``distribution`` (id shared by
        the categories of one distribution), ``kind``, ``variable``, ``condition``,
        ``subset`` (how a survey answers it; missing when it cannot), ``note``,
        ``note_fr``, ``testable`` (False where the reference measures another thing
        than a survey can: a share of employees against a pilot's share of companies,
        compared but not tested; True by default). ``population``, ``publisher`` and
        ``note`` are English in the
        shipped catalogue; a ``_fr`` column falls back to its plain column (and the
        reverse) when a file gives only one of them.

    Raises
    ------
    SurveyError
        When ``source`` is not in the catalogue (the message lists the ids) or a user
        file is malformed (the message names the file and the row or key).

    Examples
    --------
    >>> table = baselines("bva-2015")
    >>> table.loc[table["indicator"] == "man", ["value", "base_n", "condition"]]
       value  base_n    condition
    6   0.69   469.0  {equals: M}
    """
    table = _shipped()
    if extra is not None:
        table = _combine(table, load_baselines(extra))
    if source is None:
        return table.reset_index(drop=True)
    known = list(dict.fromkeys(table["source_id"]))
    if source not in known:
        raise SurveyError(Note("baseline_unknown_source", source=f"'{source}'",
                               hint=_suggest(source, known), known=", ".join(known)))
    return table[table["source_id"] == source].reset_index(drop=True)


def load_baselines(paths) -> pd.DataFrame:
    """Read user baseline sources from YAML or CSV files into catalogue rows.

    Parameters
    ----------
    paths : path or list of paths
        ``.yaml``/``.yml`` files shaped like the shipped catalogue (a ``sources`` list,
        each with ``source_id`` and ``indicators``), or ``.csv`` files with one row per
        indicator and the catalogue's columns (``source_id``, ``indicator`` and
        ``value`` required; conditions in YAML flow style such as ``{equals: M}``).
        Texts: ``label_fr``/``label_en``, and ``publisher``, ``population``, ``note``
        as written, each with an optional French version ``publisher_fr``,
        ``population_fr``, ``note_fr``; a text given in one version only is used
        for both.

    Returns
    -------
    DataFrame
        The catalogue columns (see :func:`baselines`).

    Raises
    ------
    SurveyError
        Naming the file and the source/indicator (YAML) or the row and column (CSV).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = path.write_text("source_id,indicator,value,kind,variable,condition\\n"
    ...                     "my-2020,woman,0.4,agent,gender,{equals: F}\\n")
    >>> load_baselines(path)[["source_id", "indicator", "value", "condition"]]
      source_id indicator  value    condition
    0   my-2020     woman    0.4  {equals: F}

    A population given in one language only is used for both:

    >>> _ = path.write_text("source_id,indicator,value,population\\n"
    ...                     "my-2020,woman,0.4,agents du Calvados\\n")
    >>> load_baselines(path).loc[0, ["population", "population_fr"]].tolist()
    ['agents du Calvados', 'agents du Calvados']
    """
    frames = []
    for path in _as_paths(paths):
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            frames.append(_rows_frame(_yaml_rows(path)))
        elif suffix == ".csv":
            frames.append(_rows_frame(_csv_rows(path)))
        else:
            raise SurveyError(Note("baseline_suffix", file=path.name, suffix=f"'{suffix}'"))
    table = frames[0]
    for frame in frames[1:]:
        table = _combine(table, frame)
    return table


def parse_condition(condition) -> tuple[str, object] | None:
    """Return ``(operator, value)`` from a condition mapping or its YAML text.

    Examples
    --------
    >>> parse_condition("{greater_than: 60}")
    ('greater_than', 60)
    >>> parse_condition({"in": ["a", "b"]})
    ('in', ['a', 'b'])
    >>> parse_condition(None) is None
    True
    """
    if condition is None or (isinstance(condition, float) and math.isnan(condition)):
        return None
    if isinstance(condition, str):
        if not condition.strip():
            return None
        try:
            condition = safe_load(condition)
        except yaml.YAMLError as exc:
            raise SurveyError(Note("condition_not_yaml", condition=repr(condition),
                                   reason=str(exc))) from None
    if not isinstance(condition, Mapping) or len(condition) != 1:
        raise SurveyError(Note("condition_one_operator", condition=repr(condition),
                               operators=", ".join(CONDITION_OPERATORS)))
    (operator, value), = condition.items()
    if operator not in CONDITION_OPERATORS:
        raise SurveyError(Note("condition_unknown_operator", operator=f"'{operator}'",
                               hint=_suggest(operator, CONDITION_OPERATORS),
                               operators=", ".join(CONDITION_OPERATORS)))
    if operator in ("greater_than", "less_than") and not _is_number(value):
        raise SurveyError(Note("condition_needs_number", operator=operator, value=repr(value)))
    if operator == "in" and not isinstance(value, list):
        raise SurveyError(Note("condition_needs_list", value=repr(value)))
    if operator == "is" and not isinstance(value, bool):
        raise SurveyError(Note("condition_needs_bool", value=repr(value)))
    return operator, value


def condition_mask(values: pd.Series, condition) -> pd.Series:
    """Evaluate a condition on a column: 1.0 where it holds, 0.0 where not, NaN if missing.

    Examples
    --------
    >>> s = pd.Series([70.0, 30.0, None])
    >>> condition_mask(s, "{greater_than: 60}").tolist()
    [1.0, 0.0, nan]
    """
    operator, target = parse_condition(condition)
    missing = values.isna().to_numpy()
    if operator in ("greater_than", "less_than"):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            hit = numbers > target if operator == "greater_than" else numbers < target
    elif isinstance(values.dtype, pd.CategoricalDtype):             # once per category
        targets = target if operator == "in" else [target]
        categories = pd.Series(values.cat.categories.astype(object))
        chosen = np.append(categories.isin(_equivalents(targets)).to_numpy(), False)
        hit = chosen[values.cat.codes.to_numpy()]                   # -1 (missing): False
    elif pd.api.types.is_bool_dtype(values.dtype):                  # once per value
        targets = target if operator == "in" else [target]
        chosen = pd.Series([False, True], dtype=object).isin(_equivalents(targets)).to_numpy()
        hit = chosen[values.to_numpy(dtype=np.int8, na_value=0)]   # missing: set below
    else:
        targets = target if operator == "in" else [target]
        objects = values.astype(object).where(~missing, None)
        hit = objects.isin(_equivalents(targets)).to_numpy()
    return pd.Series(np.where(missing, np.nan, hit.astype(float)), index=values.index)


def _equivalents(targets: Iterable) -> list:
    """Targets plus their string and numeric spellings (codes may be '1' or 1)."""
    out: list = []
    for target in targets:
        out.append(target)
        if isinstance(target, bool):
            continue
        out.append(str(target))
        if _is_number(target):
            out.append(float(target))
    return out


def _shipped() -> pd.DataFrame:
    """The catalogue shipped in analysis/data/baselines.yaml, validated (a fresh copy)."""
    return _shipped_once().copy()


@functools.lru_cache(maxsize=1)
def _shipped_once() -> pd.DataFrame:
    """Parse and validate the shipped catalogue once per process."""
    path = Path(str(resources.files("analysis") / "data" / "baselines.yaml"))
    return _rows_frame(_yaml_rows(path))


def _as_paths(paths) -> list[Path]:
    """One path or several -> a non-empty list of existing paths."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise SurveyError(Note("baseline_no_file"))
    out = []
    for item in items:
        path = Path(item)
        if not path.is_file():
            raise SurveyError(Note("baseline_missing_file", path=f"'{path}'"))
        out.append(path)
    return out


def _yaml_rows(path: Path) -> list[dict]:
    """Catalogue rows from a YAML file (sources with inherited fields)."""
    try:
        document = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SurveyError(Note("yaml_invalid", file=path.name, reason=str(exc))) from None
    if not isinstance(document, Mapping) or not isinstance(document.get("sources"), list):
        raise SurveyError(Note("baseline_no_sources", file=path.name))
    rows = []
    for number, source in enumerate(document["sources"], start=1):
        where = Note("baseline_at_source_number", file=path.name, number=number)
        if not isinstance(source, Mapping) or "source_id" not in source:
            raise SurveyError(Note("baseline_missing_key", at=where, key="'source_id'"))
        where = Note("baseline_at_source", file=path.name, source=f"'{source['source_id']}'")
        _check_keys(source, _SOURCE_KEYS, where)
        indicators = source.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            raise SurveyError(Note("baseline_indicators_list", at=where))
        for position, item in enumerate(indicators, start=1):
            label = item.get("indicator", position) if isinstance(item, Mapping) else position
            place = Note("baseline_at_indicator", at=where, indicator=repr(label))
            if not isinstance(item, Mapping):
                raise SurveyError(Note("baseline_not_mapping", at=place))
            _check_keys(item, _INDICATOR_KEYS, place)
            row = {key: source.get(key) for key in _INHERITED}
            for name in _TRANSLATED:  # a text and its French version go together
                if name in item or f"{name}_fr" in item:
                    row[name] = row[f"{name}_fr"] = None
            row.update(item)
            row["source_id"] = source["source_id"]
            rows.append(_clean_row(row, place))
    return rows


def _csv_rows(path: Path) -> list[dict]:
    """Catalogue rows from a CSV file, one indicator a row."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SurveyError(Note("baseline_not_csv", file=path.name, reason=str(exc))) from None
    _check_keys(dict.fromkeys(frame.columns), set(CATALOGUE_COLUMNS), path.name,
                Note("baseline_word_column"))
    for required in ("source_id", "indicator", "value"):
        if required not in frame.columns:
            raise SurveyError(Note("baseline_required_column", file=path.name,
                                   column=f"'{required}'"))
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        place = Note("baseline_at_row", file=path.name, number=number)
        row = {key: (None if value == "" else value) for key, value in record.items()}
        for key in ("condition", "subset"):
            row[key] = _yaml_cell(row.get(key), Note("baseline_at_column", at=place,
                                                      column=f"'{key}'"))
        rows.append(_clean_row(row, place))
    return rows


def _text(value) -> str | None:
    """A text cell on one line (runs of spaces, tabs and line ends as one space; no-break
    spaces are kept); None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = re.sub(r"[ \t\r\n]+", " ", str(value)).strip()
    return text or None


def _yaml_cell(text, place: Note):
    """Parse a YAML flow mapping written in a CSV cell (None stays None)."""
    if text is None:
        return None
    try:
        return safe_load(text)
    except yaml.YAMLError:
        raise SurveyError(Note("baseline_cell_not_yaml", at=place, text=repr(text))) from None


def _clean_row(row: dict, place: Note) -> dict:
    """Check one indicator's fields and give them their catalogue types."""
    for key in ("source_id", "indicator"):
        if not row.get(key):
            raise SurveyError(Note("baseline_missing_key", at=place, key=f"'{key}'"))
    out = {column: row.get(column) for column in CATALOGUE_COLUMNS}
    out["source_id"], out["indicator"] = str(row["source_id"]), str(row["indicator"])
    out["label_fr"] = str(row.get("label_fr") or out["indicator"])
    out["label_en"] = str(row.get("label_en") or out["label_fr"])
    out["unit"] = str(row.get("unit") or "share")
    out["value"] = _number(row.get("value"), place, "value", required=True)
    out["base_n"] = _number(row.get("base_n"), place, "base_n")
    out["year"] = _number(row.get("year"), place, "year")
    if out["unit"] == "share" and not 0 <= out["value"] <= 1:
        raise SurveyError(Note("baseline_share_outside", at=place, value=row["value"]))
    for name in _TRANSLATED:
        given, french = (_text(row.get(key)) for key in (name, f"{name}_fr"))
        out[name], out[f"{name}_fr"] = given or french, french or given
    out["testable"] = _flag(row.get("testable"), place, "testable")
    _check_answer(out, row, place)
    return out


def _flag(value, place: Note, key: str) -> bool:
    """A yes/no key (YAML boolean, or true/false in a CSV cell); True when not given."""
    if value is None or value is True or value is False:
        return value is not False
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise SurveyError(Note("baseline_not_flag", at=place, key=f"'{key}'", value=repr(value)))


def _check_answer(out: dict, row: dict, place: Note) -> None:
    """Validate kind/variable/condition/subset and write them in canonical text form."""
    if out["kind"] is not None and out["kind"] not in _KINDS:
        raise SurveyError(Note("baseline_bad_kind", at=place, kind=f"'{out['kind']}'",
                               hint=_suggest(out["kind"], _KINDS), kinds=", ".join(_KINDS)))
    if (out["kind"] is None) != (out["variable"] is None):
        raise SurveyError(Note("baseline_kind_and_variable", at=place))
    for key in ("condition", "subset"):
        if row.get(key) is not None and out["kind"] is None:
            raise SurveyError(Note("baseline_needs_kind", at=place, key=f"'{key}'"))
    try:
        parsed = parse_condition(row.get("condition"))
        out["condition"] = None if parsed is None else _flow({parsed[0]: parsed[1]})
        if parsed is None and out["unit"] == "share" and out["kind"] is not None:
            raise SurveyError(Note("baseline_share_condition"))
        out["subset"] = _subset_text(row.get("subset"))
    except SurveyError as exc:
        message = exc.args[0] if len(exc.args) == 1 else str(exc)
        raise SurveyError(Note("in_file", file=place, message=message)) from None


def _subset_text(subset) -> str | None:
    """Validate a subset (variable -> condition) and write it in YAML flow style."""
    if subset is None:
        return None
    if not isinstance(subset, Mapping) or not subset:
        raise SurveyError(Note("baseline_subset", subset=repr(subset)))
    parsed = {}
    for variable, condition in subset.items():
        operator, value = parse_condition(condition)
        parsed[str(variable)] = {operator: value}
    return _flow(parsed)


def _flow(mapping: Mapping) -> str:
    """A mapping as one line of YAML flow style."""
    return yaml.safe_dump(dict(mapping), default_flow_style=True, allow_unicode=True,
                          sort_keys=False, width=10_000).strip()


def _number(value, place: Note, key: str, *, required: bool = False) -> float:
    """A float from a YAML/CSV value, NaN when empty (unless required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise SurveyError(Note("baseline_missing_key", at=place, key=f"'{key}'"))
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SurveyError(Note("baseline_not_number", at=place, key=f"'{key}'",
                               value=repr(value))) from None
    if math.isnan(number) and required:
        raise SurveyError(Note("baseline_missing_key", at=place, key=f"'{key}'"))
    return number


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_keys(mapping: Mapping, allowed: set, place: Note | str,
                what: Note | None = None) -> None:
    """Raise on the first unknown key (``what``: the word "key" by default, or
    "column"), suggesting the closest allowed one."""
    for key in mapping:
        if key not in allowed:
            raise SurveyError(Note("baseline_unknown_key", at=place,
                                   what=what or Note("baseline_word_key"), key=f"'{key}'",
                                   hint=_suggest(str(key), sorted(allowed)),
                                   allowed=", ".join(sorted(allowed))))


def _suggest(value: str, known: Iterable) -> Note | str:
    """A bilingual " (did you mean 'x'?)" hint, or ``""``."""
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
    return Note("paren_did_you_mean", name=f"'{close[0]}'") if close else ""


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> the typed catalogue frame; a (source_id, indicator) pair appears once."""
    frame = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    for column in ("value", "base_n", "year"):
        frame[column] = frame[column].astype(float)
    text = [c for c in CATALOGUE_COLUMNS if c not in ("value", "base_n", "year")]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    _check_unique(frame, Note("baseline_catalogue"))
    return frame


def _check_unique(frame: pd.DataFrame, where: Note) -> None:
    duplicated = frame.duplicated(["source_id", "indicator"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise SurveyError(Note("baseline_twice", at=where, indicator=f"'{first['indicator']}'",
                               source=f"'{first['source_id']}'"))


def _combine(table: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Append user rows to the catalogue, refusing duplicate indicators."""
    both = pd.concat([table, extra], ignore_index=True)
    _check_unique(both, Note("baseline_user_files"))
    return both
