"""The HTML report: page context built from the prepared tables, rendered by jinja2.

The environment escapes everything by default (``autoescape``): answers, labels and
codes are text, never markup. The only markup inserted as is are the figures' SVG
documents, which matplotlib writes with their text escaped. The page needs nothing
from the network: CSS is inline, figures are inline SVG, there is no script.

This module formats and arranges; it computes no statistic. A baseline verdict is a
choice of sentence from the sign of the difference and the (adjusted) p-value that
``analysis.compare_baseline`` returned.

Which columns a table shows and how its cells read in the report's language is decided
in :mod:`reports.presentation`, shared with the XLSX workbook; this module formats the
numbers for the page, groups rows and lays out the key figures.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from reports.formatting import auto_decimals, format_number, format_value, is_missing
from reports.i18n import Catalogue
from reports.presentation import (Prepared, cell_label, is_comparison, localised,
                                  named_populations, pilot_populations, share_mask,
                                  shown_columns, verdict_key)
from reports.suppression import SUPPRESSED, numeric_columns

__all__ = ["MAX_ROWS", "environment", "page"]

#: Rows of a table shown in the HTML (the CSV and XLSX hold every row).
MAX_ROWS = 25
#: Text cells up to this length are kept on one line.
_SHORT = 16
_SOURCE = ("source_id", "source")
_BASE_N = ("baseline_n", "base_n")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


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


def _interval(low, high, share: bool, cat: Catalogue) -> str:
    """``41.0 – 45.4`` (both bounds with the same decimals), ``33 – 37`` (whole bounds)
    or ``20 % – 43 %``.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> en = catalogue("en")
    >>> _interval(41.0, 45.4, False, en), _interval(33.0, 37.0, False, en)
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
        text = cell_label(row, column, value, cat)
    else:
        text = format_value(value, column, cat.lang)
    return {"text": text, "num": False, "hidden": False, "short": len(text) <= _SHORT}


def _rows(frame: pd.DataFrame):
    """The rows of ``frame`` as ``{column: value}``, the values ``iterrows`` would give,
    without building a Series per row."""
    values = frame.values
    if values.dtype.kind in "mM":   # a Series of dates gives Timestamps, not datetime64
        return (row.to_dict() for _, row in frame.iterrows())
    columns = list(frame.columns)
    return (dict(zip(columns, row)) for row in values)


def _table_view(prepared: Prepared, cat: Catalogue,
                populations: dict[str, str] | None = None) -> dict:
    """Headers, formatted rows and notes of one table for the template."""
    table = prepared.table
    frame = named_populations(localised(prepared.data, cat.lang), populations or {})
    columns = shown_columns(frame, cat.lang)
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
    comparison = is_comparison(frame)
    for position, row in enumerate(_rows(frame.head(limit))):
        rows.append([_cell(row, c, bool(shares[position]) and c in share_columns, numeric, cat)
                     for c in columns])
        if comparison and not shares[position]:
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


def _summary_cards(prepared: list[Prepared], cat: Catalogue,
                   populations: dict[str, str]) -> list[dict]:
    """Key figures grouped by reference source, then by the pilot's population each is
    about (its ``source``): one card per baseline comparison."""
    groups: dict[str, dict] = {}
    for item in prepared:
        frame = item.data
        if item.section != "baselines" or not is_comparison(frame):
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
        frame = localised(item.table.data, cat.lang)
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


def page(evaluation, prepared: list[Prepared], cat: Catalogue, min_cell: int,
         populations: dict[str, str] | None = None) -> str:
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
    populations : dict, optional
        :func:`reports.presentation.pilot_populations` of ``prepared``, when the caller
        has it already.

    Returns
    -------
    str
    """
    filled = {p.section for p in prepared}
    order = [s for s in evaluation.sections if s != "methods" and s in filled]
    if "methods" in filled:
        order.append("methods")
    sections = []
    if populations is None:
        populations = pilot_populations(prepared, cat)
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
        "cards": _summary_cards(prepared, cat, populations),
        "covered": ", ".join(s["title"] for s in body),
        "methods_used": _methods_used(prepared, cat),
        "sources": _sources(prepared, cat),
        "min_cell": min_cell,
        "min_text": max(min_cell, 10),
    }
    return _template().render(context)
