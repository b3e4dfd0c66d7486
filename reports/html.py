"""The HTML report: page context built from the prepared tables, rendered by jinja2.

The environment escapes everything by default (``autoescape``): answers, labels and
codes are text, never markup. The only markup inserted as is are the figures' SVG
documents, which matplotlib writes with their text escaped. The page needs nothing
from the network: CSS is inline, figures are inline SVG, there is no script.

This module formats and arranges; it computes no statistic. A baseline verdict is a
choice of sentence from the sign of the difference and the (adjusted) p-value that
``analysis.compare_baseline`` returned.

Texts arrive in the analysis' language and are shown in the report's: codes and names
through the message catalogue (``values.<column>.<code>``); a baseline's ``publisher``,
``population`` and ``note`` from their French column ``<name>_fr``, which the analysis
carries next to them (``analysis.baselines`` and ``analysis.compare_baseline``); the sources of
the impact model's parameters from ``impact.parameter_source.<parameter>``, used only
when the analysis wrote the text the English catalogue holds (an override or another
parameter set is shown as written).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from reports.formatting import auto_decimals, format_number, format_value, is_missing
from reports.i18n import Catalogue, catalogue
from reports.suppression import SUPPRESSED, numeric_columns

__all__ = ["MAX_ROWS", "Prepared", "environment", "share_mask", "verdict_key", "named_populations",
           "page"]

#: Rows of a table shown in the HTML (the CSV and XLSX hold every row).
MAX_ROWS = 25
#: Statistics that are never shares, whatever a table's share columns say.
_NOT_SHARES = ["mean", "sd", "q1", "median", "q3", "min", "max", "alpha", "sum", "total"]
#: Text cells up to this length are kept on one line.
_SHORT = 16
#: Threshold on the (adjusted) p-value for calling a difference clear.
_CLEAR = 0.05
#: Columns kept out of HTML tables (in CSV/XLSX and, for methods, in the appendix).
_HIDDEN = {"se", "df", "method", "test", "verdict", SUPPRESSED, "reference"}
_SOURCE = ("source_id", "source")
#: Columns left out of the HTML only: bookkeeping, analysis-language text, detail bounds.
_DETAIL = {"unweighted_share", "missing", "n_missing", "nonsubstantive", "test_statistic",
           "df_denominator", "compared", "distribution", "seed_file", "note", "fallback",
           "difference_ci_low", "difference_ci_high", "population_ci_low",
           "population_ci_high", "label_fr", "label_en", "verdict_fr", "verdict_en"}
_BASE_N = ("baseline_n", "base_n")
#: Baseline texts given as written, with a French version in ``<name>_fr``.
_TRANSLATED = ("publisher", "population", "note", "compared")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Prepared:
    """A table ready to publish: suppressed, stripped of private columns."""

    section: str
    table: object  # analysis.Table
    data: pd.DataFrame
    stem: str
    figure_svg: str | None = None
    files: list[str] = field(default_factory=list)


def environment() -> jinja2.Environment:
    """The jinja2 environment of the report: autoescape on, strict undefined names.

    Examples
    --------
    >>> environment().from_string("{{ x }}").render(x="<b>")
    '&lt;b&gt;'
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    """The report's template, compiled once per process."""
    return environment().get_template("report.html.j2")


def share_mask(table, frame: pd.DataFrame) -> np.ndarray:
    """Rows whose ``share_columns`` hold shares (all rows unless ``share_rows`` says).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"statistic": ["mean", "top2"], "estimate": [3.9, 0.6]})
    >>> t = Table("l", f, "t", share_columns=["estimate"], share_rows={"statistic": ["top2"]})
    >>> share_mask(t, f).tolist()
    [False, True]

    Without ``share_rows``, rows whose ``statistic`` names a mean, a spread or a
    quantile are never shown as percentages.
    """
    mask = np.ones(len(frame), dtype=bool)
    for column, values in (table.share_rows or {}).items():
        if column in frame.columns:
            mask &= frame[column].isin(values).to_numpy(dtype=bool)
    if table.share_rows is None and "statistic" in frame.columns:
        mask &= ~frame["statistic"].isin(_NOT_SHARES).to_numpy(dtype=bool)
    return mask


def verdict_key(row: pd.Series) -> str:
    """Catalogue key of the plain-language verdict of one baseline comparison row.

    Examples
    --------
    >>> verdict_key(pd.Series({"estimate": 0.6, "baseline": 0.4, "p_adjusted": 0.01}))
    'verdict.higher'
    >>> verdict_key(pd.Series({"estimate": 0.41, "baseline": 0.4, "p_adjusted": 0.7}))
    'verdict.similar'
    """
    if bool(row.get(SUPPRESSED, False)) or is_missing(row.get("estimate")):
        return "verdict.too_few"
    p_value = row.get("p_adjusted")
    if is_missing(p_value):
        p_value = row.get("p_value")
    if is_missing(p_value) or is_missing(row.get("baseline")):
        return "verdict.untested"
    if float(p_value) >= _CLEAR:
        return "verdict.similar"
    above = float(row["estimate"]) > float(row["baseline"])
    return "verdict.higher" if above else "verdict.lower"


def _is_comparison(frame: pd.DataFrame) -> bool:
    """A table of baseline comparisons (one row per indicator against a reference)."""
    return {"indicator", "estimate", "baseline"} <= set(frame.columns)


def _columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """Columns shown in the HTML: ``ci_low``/``ci_high`` merged into ``ci``, the
    ``label_<lang>`` column in place of ``indicator``, detail columns left to the CSV."""
    numeric = set(numeric_columns(frame))
    hidden = set(_HIDDEN) | _DETAIL
    if "p_adjusted" in frame.columns:
        hidden |= {"p_value", "effect_size", "effect_size_name"}
    if _is_comparison(frame):
        hidden |= {"difference", "unit"}  # the unit goes with the numbers (49,5 km)
    shown = [c for c in frame.columns
             if c not in hidden and not (c == "statistic" and c in numeric)]
    label = f"label_{lang}"
    if label in frame.columns and "indicator" in shown:
        shown[shown.index("indicator")] = label
    if "test" in frame.columns and _identifies(frame, shown, numeric):
        keys = [c for c in shown if c not in numeric]
        shown.insert(shown.index(keys[-1]) + 1, "test")
    if {"ci_low", "ci_high"} <= set(shown):
        shown[shown.index("ci_low")] = "ci"
        shown.remove("ci_high")
    if _is_comparison(frame):
        shown.append("verdict")
    return _variable_first(frame, shown, numeric)


def _variable_first(frame: pd.DataFrame, shown: list[str], numeric: set) -> list[str]:
    """A breakdown's ``variable`` (or ``item``) column moved before its group columns
    when the rows come variable by variable, so that each variable heads its rows once.

    Examples
    --------
    >>> f = pd.DataFrame({"manager": ["no", "yes", "no"], "variable": ["sex", "sex", "age"],
    ...                   "n": [3, 4, 5]})
    >>> _variable_first(f, ["manager", "variable", "n"], {"n"})
    ['variable', 'manager', 'n']
    """
    for lead in ("variable", "item"):
        if lead not in shown:
            continue
        at = shown.index(lead)
        if at == 0 or any(c in numeric for c in shown[:at]):
            return shown
        codes = pd.factorize(frame[lead])[0]
        runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1])) if len(codes) else 0
        if runs == len(set(codes.tolist())):  # each variable's rows are together
            return [lead] + shown[:at] + shown[at + 1:]
        return shown
    return shown


def _identifies(frame: pd.DataFrame, shown: list[str], numeric: set) -> bool:
    """True when the ``test`` column tells apart rows the shown text columns do not (two
    tests of one item, each with its own estimate): the HTML then shows it.

    Examples
    --------
    >>> f = pd.DataFrame({"item": ["a", "a"], "test": ["wilcoxon", "mcnemar"], "n": [3, 3]})
    >>> _identifies(f, ["item", "n"], {"n"}), _identifies(f.head(1), ["item", "n"], {"n"})
    (True, False)
    """
    keys = [c for c in shown if c not in numeric]
    if not keys:
        return False
    return bool(frame.duplicated(keys).any()) and not frame.duplicated([*keys, "test"]).any()


def _interval(low, high, share: bool, cat: Catalogue) -> str:
    """``41.0 – 45.4`` (both bounds with the same decimals), ``33 – 37`` (whole bounds)
    or ``20 % – 43 %``.

    Examples
    --------
    >>> _interval(41.0, 45.4, False, catalogue("en")), _interval(33.0, 37.0, False, catalogue("en"))
    ('41.0 – 45.4', '33 – 37')
    """
    if is_missing(low) and is_missing(high):
        return ""
    if share:
        return (f"{format_value(low, 'ci_low', cat.lang, share=True)} – "
                f"{format_value(high, 'ci_high', cat.lang, share=True)}")
    bounds = [abs(float(v)) for v in (low, high) if not is_missing(v)]
    # whole bounds (a quartile of whole numbers) are written whole, as the estimate is
    whole = all(math.isfinite(v) and v.is_integer() for v in bounds)
    digits = 0 if whole else auto_decimals(max(bounds))
    return f"{format_number(low, cat.lang, digits)} – {format_number(high, cat.lang, digits)}"


def _cell(row, column: str, share: bool, numeric: set, cat: Catalogue) -> dict:
    """One formatted cell: text, whether it is a number, whether it was hidden."""
    hidden = bool(row.get(SUPPRESSED, False))
    if column == "verdict":
        return {"text": cat.text(verdict_key(row)), "num": False, "hidden": False,
                "wide": True}
    if column == "ci" or column in numeric:
        if hidden:
            return {"text": cat.text("report.suppressed_mark"), "num": True, "hidden": True}
        if column == "ci":
            text = _interval(row["ci_low"], row["ci_high"], share, cat)
        else:
            text = format_value(row[column], column, cat.lang, share=share)
        return {"text": text, "num": True, "hidden": False}
    value = row[column]
    if is_missing(value) and hidden:
        return {"text": cat.text("report.suppressed_mark"), "num": False, "hidden": True}
    if is_missing(value):
        text = ""
    elif isinstance(value, str):
        text = _label(row, column, value, cat)
    else:
        text = format_value(value, column, cat.lang)
    return {"text": text, "num": False, "hidden": False, "short": len(text) <= _SHORT}


def _label(row: pd.Series, column: str, value: str, cat: Catalogue) -> str:
    """The label of a text cell; a ``category`` is labelled as a code of its ``variable``,
    a ``variable`` named ``<name>__<option>`` as the option of a multiple choice."""
    if column == "category" and isinstance(row.get("variable"), str):
        variable = row["variable"]
        label = cat.value(variable.split("__", 1)[0], value)
        if label != value or "__" in variable:
            return label
    if column in ("variable", "item") and "__" in value:
        name, option = value.split("__", 1)
        return cat.text("report.option", variable=cat.value(column, name),
                        option=cat.value(name, option))
    if column == "source_id":
        return cat.value("source", value)
    if column == "test":
        return cat.value("method", value)
    if column == "source" and isinstance(row.get("parameter"), str):
        return _parameter_source(row["parameter"], value, cat)
    if column == "detail" and row.get("measure") == "nonsubstantive":
        return cat.value("variable", value)
    return cat.value(column, value)


def _parameter_source(parameter: str, text: str, cat: Catalogue) -> str:
    """Where an impact parameter comes from, in the report's language.

    The catalogue's ``impact.parameter_source.<parameter>`` replaces the analysis' text
    only when that text is the one the English catalogue holds; an ``override`` is named
    as such, and any other text (a user's own parameter set) is shown as written.

    Examples
    --------
    >>> en = catalogue("en").text("impact.parameter_source.commute_km")
    >>> _parameter_source("commute_km", en, catalogue("fr"))[-57:]
    '26 km par trajet (valeur retenue quand la réponse manque)'
    >>> _parameter_source("commute_km", "override", catalogue("fr"))
    "Valeur donnée par l'utilisateur"
    >>> _parameter_source("commute_km", "my survey, 2024", catalogue("fr"))
    'my survey, 2024'
    """
    key = f"impact.parameter_source.{parameter}"
    if cat.has(key) and text == catalogue("en").text(key):
        return cat.text(key)
    if text == "override":
        return cat.text("impact.override")
    return text


def _localised(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``publisher``, ``population``, ``note`` and ``compared`` in ``lang``; ``<name>_fr``
    columns dropped; booleans of the shown text columns as labels (``Oui``, ``Non``).

    French takes ``<name>_fr``, else the text as given (a user's own text); English
    takes ``<name>``, else ``<name>_fr``. A boolean category or group (``manager``
    true or false) reads as the catalogue's ``values.boolean.true``/``false``, as
    other categories read as their labels; numbers and hidden columns are unchanged.

    Examples
    --------
    >>> f = pd.DataFrame({"population": ["teleworkers (France)", "agents du Calvados"],
    ...                   "population_fr": ["télétravailleurs (France)", None]})
    >>> _localised(f, "fr")["population"].tolist()
    ['télétravailleurs (France)', 'agents du Calvados']
    >>> g = pd.DataFrame({"population": [None], "population_fr": ["agents"]})
    >>> _localised(g, "en").columns.tolist(), _localised(g, "en")["population"].tolist()
    (['population'], ['agents'])
    >>> _localised(pd.DataFrame({"category": [False, "F", 1]}), "fr")["category"].tolist()
    ['Non', 'F', 1]
    """
    frame = _boolean_labels(frame, lang)
    names = [n for n in _TRANSLATED if n in frame.columns or f"{n}_fr" in frame.columns]
    if not names:
        return frame
    frame = frame.copy()
    empty = pd.Series(None, index=frame.index, dtype=object)
    for name in names:
        french_name = f"{name}_fr"
        position = min(frame.columns.get_loc(c) for c in (name, french_name)
                       if c in frame.columns)
        given = frame.pop(name) if name in frame.columns else empty
        french = frame.pop(french_name) if french_name in frame.columns else empty
        given, french = given.astype(object), french.astype(object)
        if lang == "fr":
            text = french.where(french.notna(), given)
        else:
            text = given.where(given.notna(), french)
        frame.insert(min(position, len(frame.columns)), name, text)
    return frame


def _boolean_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with the booleans of its shown, non-numeric columns replaced by their
    labels; a copy only when some column changes.

    A value is a boolean by its type (``True``, never the code ``1``, which compares
    equal to it).
    """
    cat = catalogue(lang)
    labels = (cat.text("values.boolean.false"), cat.text("values.boolean.true"))
    numeric = set(numeric_columns(frame))
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if (column in numeric or column in _HIDDEN or column in _DETAIL
                or pd.api.types.is_datetime64_any_dtype(values.dtype)):
            continue
        values = values.astype(object)
        mask = values.map(type).isin((bool, np.bool_)).to_numpy(dtype=bool)
        if mask.any():
            text = values.to_numpy(copy=True)
            text[mask] = [labels[bool(v)] for v in text[mask]]
            changed[column] = pd.Series(text, index=frame.index, dtype=object)
    if not changed:
        return frame
    frame = frame.copy()
    for column, text in changed.items():
        frame[column] = text
    return frame


def _rows(frame: pd.DataFrame):
    """The rows of ``frame`` as ``{column: value}``, the values ``iterrows`` would give,
    without building a Series per row."""
    values = frame.values
    if values.dtype.kind in "mM":   # a Series of dates gives Timestamps, not datetime64
        return (row.to_dict() for _, row in frame.iterrows())
    columns = list(frame.columns)
    return (dict(zip(columns, row)) for row in values)


def named_populations(frame: pd.DataFrame, populations: dict[str, str]) -> pd.DataFrame:
    """A baseline comparison's ``source`` (the pilot's source name) as the population it
    describes (:func:`_populations`); other tables unchanged.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["m"], "estimate": [.2], "baseline": [.3],
    ...                   "source": ["agents"]})
    >>> named_populations(f, {"agents": "Agents"})["source"].tolist()
    ['Agents']
    """
    if not populations or "source" not in frame.columns or not _is_comparison(frame):
        return frame
    named = frame["source"].map(lambda v: populations.get(v, v) if isinstance(v, str) else v)
    return frame.assign(source=named)


def _table_view(prepared: Prepared, cat: Catalogue,
                populations: dict[str, str] | None = None) -> dict:
    """Headers, formatted rows and notes of one table for the template."""
    table = prepared.table
    frame = named_populations(_localised(prepared.data, cat.lang), populations or {})
    columns = _columns(frame, cat.lang)
    numeric = set(numeric_columns(frame))
    shares = share_mask(table, frame)
    share_columns = set(table.share_columns)
    if {"ci_low", "ci_high"} & share_columns:
        share_columns.add("ci")
    limit = MAX_ROWS if table.html_rows is None else table.html_rows
    shown = np.ones(len(frame), dtype=bool)
    for column, values in (table.html_filter or {}).items():
        if column in frame.columns:
            shown &= frame[column].isin(values).to_numpy()
    filtered = not shown.all()
    frame, shares = frame[shown], shares[shown]
    rows = []
    for position, row in enumerate(_rows(frame.head(limit))):
        rows.append([_cell(row, c, bool(shares[position]) and c in share_columns, numeric, cat)
                     for c in columns])
        if _is_comparison(frame) and not shares[position]:
            _with_units(rows[-1], row, columns, cat)
    if "count" in columns and "statistic" in columns:  # a profile's statistics, by name
        _blank_counts(rows, columns.index("count"), shares)
    _mark_repeats(rows, [c != "ci" and c not in numeric and c != "verdict" for c in columns])
    hidden = bool(frame[SUPPRESSED].any()) if SUPPRESSED in frame.columns else False
    notes = [cat.text(note) for note in table.notes]
    if 0 < limit < len(frame):
        notes.append(cat.text("report.rows_shown", shown=limit, total=len(frame)))
    elif limit == 0:
        notes.append(cat.text("report.rows_in_files", total=len(frame)))
    if filtered:
        notes.append(cat.text("report.rows_filtered"))
    return {
        "id": f"{prepared.section}-{table.key}",
        "title": cat.text(table.title_key),
        "headers": [cat.column(c) for c in columns],
        "numeric": [c == "ci" or c in numeric for c in columns],
        "rows": rows,
        "hidden": hidden,
        "notes": notes,
        "figure": Markup(prepared.figure_svg) if prepared.figure_svg else None,
        "caption": cat.text(f"figures.{table.figure}.caption") if table.figure else "",
        "files": prepared.files,
    }


def _blank_counts(rows: list[list[dict]], position: int, shares: np.ndarray) -> None:
    """Empty the count cell (column ``position``) of the rows that are not shares: on a
    mean, a spread or a quantile the count repeats ``n`` and says nothing new. The data
    (CSV, XLSX) keep it.

    Examples
    --------
    >>> rows = [[{"text": "12", "num": True, "hidden": False}] for _ in range(2)]
    >>> _blank_counts(rows, 0, np.array([True, False]))
    >>> [r[0]["text"] for r in rows]
    ['12', '']
    """
    for row, share in zip(rows, shares):
        if not share:
            row[position] = {"text": "", "num": True, "hidden": False}


def _with_units(cells: list[dict], row, columns: list[str], cat: Catalogue) -> None:
    """A comparison's pilot and reference values written with their unit (``49,5 km``),
    as the key figures are, since the table shows no unit column."""
    for column in ("estimate", "baseline"):
        if column in columns and not cells[columns.index(column)].get("hidden"):
            cells[columns.index(column)]["text"] = _figure_text(row[column], row, False, cat)


def _mark_repeats(rows: list[list[dict]], leading: list[bool]) -> None:
    """Mark a cell of the leading text columns that repeats the cell above it while every
    cell to its left does too (``repeat``): the page shows each group's label once, as a
    printed table does; the text stays in the page for copying and screen readers.

    Only columns whose groups are contiguous are grouped (a year column in a table
    sorted by place is not: a blank would read as "same as above" across places).

    Examples
    --------
    >>> rows = [[{"text": t} for t in r] for r in (["Genre", "F"], ["Genre", "M"], ["Âge", ""])]
    >>> _mark_repeats(rows, [True, True])
    >>> [[bool(c.get("repeat")) for c in r] for r in rows]
    [[False, False], [True, False], [False, False]]
    >>> rows = [[{"text": t} for t in r] for r in (["2015", "A"], ["2015", "B"], ["2016", "A"],
    ...                                            ["2015", "C"])]
    >>> _mark_repeats(rows, [True, True])
    >>> any(c.get("repeat") for r in rows for c in r)
    False
    """
    width = next((j for j, lead in enumerate(leading) if not lead), len(leading))
    width = min(width, len(leading) - 1)  # the last column always shows its value
    for j in range(width):  # keep only the leading columns whose groups are contiguous
        keys = [tuple(cell["text"] for cell in row[: j + 1]) for row in rows]
        runs = 1 + sum(a != b for a, b in zip(keys, keys[1:]))
        if keys and runs != len(set(keys)):
            width = j
            break
    for i in range(len(rows) - 1, 0, -1):
        for j in range(width):
            above, cell = rows[i - 1][j], rows[i][j]
            if not cell["text"] or cell["text"] != above["text"] or cell.get("hidden"):
                break
            cell["repeat"] = True


def _indicator(row: pd.Series, cat: Catalogue) -> str:
    """The indicator's label: the table's ``label_<lang>``, else the catalogue's."""
    label = row.get(f"label_{cat.lang}")
    return str(label) if isinstance(label, str) and label else cat.value("indicator", row["indicator"])


def _figure_text(value, row: pd.Series, share: bool, cat: Catalogue) -> str:
    """A key figure with its unit (``45 %``, ``49,5 km``)."""
    text = format_value(value, "estimate", cat.lang, share=share)
    unit = row.get("unit")
    if share or not isinstance(unit, str) or not text:
        return text
    return f"{text}\u00a0{cat.text(f'units.{unit}')}" if cat.has(f"units.{unit}") else text


def _card(row: pd.Series, share: bool, cat: Catalogue) -> dict:
    """One key figure: the pilot's value, the reference's, and the verdict."""
    key = verdict_key(row)
    hidden = key == "verdict.too_few"
    against = ""
    if not is_missing(row["baseline"]):
        against = cat.text("report.key_against",
                           baseline=_figure_text(row["baseline"], row, share, cat))
    return {
        "indicator": _indicator(row, cat),
        "pilot": cat.text("report.suppressed_mark") if hidden
        else _figure_text(row["estimate"], row, share, cat),
        "against": against,
        "verdict": cat.text(key),
        "tone": key.split(".")[1],
    }


def _populations(prepared: list[Prepared], cat: Catalogue) -> dict[str, str]:
    """The pilot's source names -> the population they describe (``agents`` ->
    ``Agents``), from the kinds the data-quality table gives each source.

    Two sources of one kind are told apart by their names; a source of unknown kind
    is named as written.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["a15", "a16", "shops"], "kind": ["agent", "agent", "company"]})
    >>> _populations([Prepared("quality", Table("s", f, "t"), f, "q")], catalogue("fr"))
    {'a15': 'Agents (a15)', 'a16': 'Agents (a16)', 'shops': 'Entreprises'}
    """
    kinds: dict[str, str] = {}
    for item in prepared:
        frame = item.data
        if item.section != "quality" or not {"source", "kind"} <= set(frame.columns):
            continue
        pairs = frame[["source", "kind"]].dropna().astype(str).drop_duplicates()
        for name, kind in zip(pairs["source"], pairs["kind"]):
            kinds.setdefault(name, kind)
    labels = {name: cat.value("kind", kind) for name, kind in kinds.items()}
    shared = pd.Series(labels, dtype=object).duplicated(keep=False) if labels else {}
    return {name: f"{label} ({name})" if shared[name] else label
            for name, label in labels.items()}


def _summary_cards(prepared: list[Prepared], cat: Catalogue) -> list[dict]:
    """Key figures grouped by reference source, then by the pilot's population each is
    about (its ``source``): one card per baseline comparison."""
    populations = _populations(prepared, cat)
    groups: dict[str, dict] = {}
    for item in prepared:
        frame = item.data
        if item.section != "baselines" or not _is_comparison(frame):
            continue
        shares = share_mask(item.table, frame)
        share = "estimate" in item.table.share_columns
        study = "source_id" if "source_id" in frame.columns else _first(frame, _SOURCE)
        pilot = "source" if study == "source_id" else None
        for position, (_, row) in enumerate(frame.iterrows()):
            name = str(row[study]) if study else ""
            group = groups.setdefault(name, {"source": cat.value("source", name) if name else "",
                                             "populations": {}})
            own = row[pilot] if pilot else None
            own = "" if is_missing(own) else str(own)
            label = populations.get(own, own)
            population = group["populations"].setdefault(own, {
                "label": cat.text("report.key_population", population=label) if label else "",
                "cards": []})
            population["cards"].append(_card(row, share and bool(shares[position]), cat))
    return [{"source": g["source"], "populations": list(g["populations"].values())}
            for g in groups.values()]


def _methods_used(prepared: list[Prepared], cat: Catalogue) -> list[str]:
    """Distinct ``method`` and ``test`` values of every table, labelled, in order."""
    seen: dict[str, str] = {}
    for item in prepared:
        for column in ("method", "test"):
            if column in item.data.columns:
                for value in pd.unique(item.data[column].dropna().astype(str)):
                    if value.startswith("none"):  # "none: too few groups" is not a method
                        continue
                    # the method's name, without the counts some methods append after ";"
                    name = value.split("; paired:")[0].split(" (")[0] if ";" in value else value
                    seen.setdefault(name, cat.value("method", name))
    return list(dict.fromkeys(seen.values()))


def _first(frame: pd.DataFrame, names) -> str | None:
    """The first of ``names`` that is a column of ``frame``."""
    return next((c for c in names if c in frame.columns), None)


def _year(value) -> str:
    """A year as written (``2015``), never with a thousands separator."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value))
    return str(value)


def _sources(prepared: list[Prepared], cat: Catalogue) -> list[dict]:
    """Every baseline source used: name, publisher, year and base n, from the tables."""
    found: dict[str, dict] = {}
    for item in prepared:
        # the sources' base n are public: read before suppression
        frame = _localised(item.table.data, cat.lang)
        source = _first(frame, _SOURCE)
        if item.section not in ("baselines", "methods") or source is None:
            continue
        base_n, year = _first(frame, _BASE_N), _first(frame, ("year",))
        publisher = _first(frame, ("publisher",))
        for name, rows in frame.groupby(source, sort=False):
            entry = found.setdefault(str(name), {"name": cat.value("source", name),
                                                 "publisher": "", "year": "", "base_n": []})
            if publisher and rows[publisher].notna().any():
                entry["publisher"] = str(rows[publisher].dropna().iloc[0])
            if year and rows[year].notna().any():
                entry["year"] = _year(rows[year].dropna().mode().iloc[0])
            if base_n:
                for value in pd.unique(rows[base_n].dropna()):
                    text = format_value(value, "baseline_n", cat.lang)
                    if text not in entry["base_n"]:
                        entry["base_n"].append(text)
    return list(found.values())


def page(evaluation, prepared: list[Prepared], cat: Catalogue, min_cell: int) -> str:
    """The whole HTML document as text.

    Parameters
    ----------
    evaluation : analysis.Evaluation
    prepared : list of Prepared
        The evaluation's tables after suppression, in display order.
    cat : Catalogue
        Messages of the report's language.
    min_cell : int
        The suppression threshold in force.

    Returns
    -------
    str
    """
    filled = {p.section for p in prepared}
    order = [s for s in evaluation.sections if s != "methods" and s in filled]
    if "methods" in filled:
        order.append("methods")
    sections = []
    populations = _populations(prepared, cat)
    for key in order:
        views = [_table_view(p, cat, populations) for p in prepared if p.section == key]
        sections.append({"key": key, "title": cat.text(f"sections.{key}"),
                         "intro": cat.text(f"section_intro.{key}"),
                         "notes": [cat.text(n) for n in evaluation.sections[key].notes],
                         "tables": views})
    body = [s for s in sections if s["key"] != "methods"]
    appendix = next((s for s in sections if s["key"] == "methods"), None)
    context = {
        "lang": cat.lang,
        "cat": cat,
        "title": evaluation.pilot_name,
        "sections": body,
        "appendix": appendix,
        "cards": _summary_cards(prepared, cat),
        "covered": ", ".join(s["title"] for s in body),
        "methods_used": _methods_used(prepared, cat),
        "sources": _sources(prepared, cat),
        "min_cell": min_cell,
        "min_text": max(min_cell, 10),
    }
    return _template().render(context)
