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
#: A place's attributes, written once under its name when a table repeats them per row.
_PLACE = ("type", "zone", "department", "governance", "capacity")
#: Quantile tables: probability -> catalogue key of its name.
_QUARTILES = {0.25: "report.quartile_1", 0.5: "report.median", 0.75: "report.quartile_3"}
#: Tables of at most this many columns are as wide as their content, not the page.
_NARROW = 5
#: Tables for specialists, shown in the methods appendix: (section, key suffix).
_TECHNICAL = (("satisfaction", "alpha"), ("impact", "parameters"))
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
    >>> _interval(8.34, None, False, en)
    '8.34 or more'
    """
    if is_missing(low) and is_missing(high):
        return ""
    if is_missing(low) or is_missing(high):  # a bound not reached: written in words
        bound = high if is_missing(low) else low
        text = (format_value(bound, "ci_low", cat.lang, share=True) if share
                else format_number(bound, cat.lang, auto_decimals(abs(float(bound)))))
        key = "report.interval_to" if is_missing(low) else "report.interval_from"
        return cat.text(key, bound=text)
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
                populations: dict[str, str] | None = None,
                places: dict[str, str] | None = None) -> dict:
    """Headers, formatted rows and notes of one table for the template.

    ``places`` maps a place's id to its name (:func:`_place_names`): a table that
    gives places by id shows their names.
    """
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
    frame, columns, folded = _by_place(frame, columns)
    tested = _distribution_test(frame, columns)
    if tested:
        columns = [*columns, "verdict"]
    if folded is not None and table.html_rows is None and len(frame) <= 3 * MAX_ROWS:
        limit = len(frame)  # one compact block per place: every place is shown
    rows = []
    comparison = is_comparison(frame)
    for position, row in enumerate(_rows(frame.head(limit))):
        rows.append([_cell(row, c, bool(shares[position]) and c in share_columns, numeric, cat)
                     for c in columns])
        if comparison and not shares[position]:
            _with_units(rows[-1], row, columns, cat)
        if "place_id" in columns:
            rows[-1][columns.index("place_id")] = _place_cell(row, folded or [], places or {},
                                                              cat)
        if tested:
            rows[-1][-1] = _test_verdict(row, cat)
        if "per_teleworker" in columns and "indicator" in columns:
            _impact_unit(rows[-1][columns.index("indicator")], row["indicator"], cat)
    if "count" in columns and "statistic" in columns:  # a profile's statistics, by name
        _blank_counts(rows, columns.index("count"), shares)
    notes = [cat.text(note) for note in table.notes]
    if "probability" in columns:
        notes += _quantile_cells(rows, columns, frame["probability"].head(limit).tolist(),
                                 prepared.section, cat)
    if {"at_risk", "estimate"} <= set(columns):
        notes += _unobserved(rows, columns, frame["at_risk"].head(limit).tolist(), cat)
    _mark_repeats(rows, [c != "ci" and c not in numeric and c != "verdict" for c in columns])
    _classes(rows)
    hidden = bool(frame[SUPPRESSED].any()) if SUPPRESSED in frame.columns else False
    if 0 < limit < len(frame):
        notes.append(cat.text("report.rows_shown", shown=limit, total=len(frame)))
    elif limit == 0:
        notes.append(cat.text("report.rows_in_files", total=len(frame)))
    if filtered:
        notes.append(cat.text("report.rows_filtered"))
    return {
        "id": f"{prepared.section}-{table.key}",
        "title": cat.text(table.title_key),
        "headers": _headers(columns, cat),
        "numeric": [c == "ci" or (c in numeric and c != "probability") for c in columns],
        "narrow": len(columns) <= _NARROW,
        "rows": rows,
        "hidden": hidden,
        "notes": notes,
        "figure": Markup(prepared.figure_svg) if prepared.figure_svg else None,
        "caption": cat.text(f"figures.{table.figure}.caption") if table.figure else "",
        "files": prepared.files,
    }


def _distribution_test(frame: pd.DataFrame, columns: list[str]) -> bool:
    """A test of the pilot's distribution against a reference (a p-value per reference
    source, no estimate to compare): its rows get a verdict in words."""
    return ({"source_id", "p_value"} <= set(frame.columns) and "verdict" not in columns
            and not {"estimate", "baseline"} & set(frame.columns))


def _test_verdict(row, cat: Catalogue) -> dict:
    """The verdict of a distribution test, chosen from its p-value as a comparison's is.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> _test_verdict({"p_value": 1e-30}, catalogue("en"))["text"]
    'Clearly different from the reference distribution'
    """
    p_value = row.get("p_adjusted")
    if is_missing(p_value):
        p_value = row.get("p_value")
    if bool(row.get(SUPPRESSED, False)) or is_missing(p_value):
        key = "verdict.too_few" if bool(row.get(SUPPRESSED, False)) else "verdict.untested"
    else:
        key = "report.test_different" if float(p_value) < 0.05 else "verdict.similar"
    return {"text": cat.text(key), "num": False, "hidden": False, "wide": True}


def _unobserved(rows: list[list[dict]], columns: list[str], at_risk: list,
                cat: Catalogue) -> list[str]:
    """A horizon no one was followed to (nobody at risk) says so instead of a blank
    estimate; returns the note that explains it.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> rows = [[{"text": "0", "num": True, "hidden": False},
    ...          {"text": "", "num": True, "hidden": False}]]
    >>> _unobserved(rows, ["at_risk", "estimate"], [0.0], catalogue("en"))[0][:14]
    '"Not observed"'
    >>> rows[0][1]["text"]
    'not observed'
    """
    at = columns.index("estimate")
    found = False
    for row, count in zip(rows, at_risk):
        cell = row[at]
        if not cell["text"] and not cell.get("hidden") and not is_missing(count) \
                and float(count) == 0:
            cell["text"] = cat.text("report.not_observed")
            found = True
    return [cat.text("report.not_observed_note")] if found else []


def _headers(columns: list[str], cat: Catalogue) -> list[str]:
    """Column headings; a growth table's estimate is named for what it is.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> _headers(["place_id", "first_value", "last_value", "estimate"], catalogue("en"))[-1]
    'Average yearly change in users'
    """
    headers = [cat.column(c) for c in columns]
    if {"first_value", "last_value", "estimate"} <= set(columns):
        headers[columns.index("estimate")] = cat.text("report.growth_estimate")
    return headers


def _impact_unit(cell: dict, code, cat: Catalogue) -> None:
    """An impact indicator counted in euros or kilograms of CO2 says so in its label
    (``Dépense d'énergie évitée (€)``); trips, kilometres and hours name themselves.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cell = {"text": "Energy"}
    >>> _impact_unit(cell, "energy_eur", catalogue("en")); cell["text"]
    'Energy (€)'
    """
    code = str(code)
    unit = "eur" if code.endswith("_eur") else "co2_kg" if code == "co2_kg" else None
    if unit and cell.get("text") and cat.has(f"units.{unit}"):
        cell["text"] = f"{cell['text']} ({cat.text(f'units.{unit}')})"
        cell["short"] = False


def _name_population(view: dict, key: str, populations: dict[str, str],
                     cat: Catalogue) -> None:
    """A table moved away from its section names the population it is about, read
    from its key (``agents_alpha`` -> ``Agents``), as its section's context did.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> view = {"title": "Scale consistency"}
    >>> _name_population(view, "agents_alpha", {"agents": "Agents"}, catalogue("en"))
    >>> view["title"]
    'Scale consistency — Agents'
    """
    source = key.rsplit("_", 1)[0] if "_" in key else ""
    if source in populations:
        view["title"] = cat.text("report.title_population", title=view["title"],
                                 population=populations[source])


def _technical(prepared: Prepared) -> bool:
    """A table for specialists (scale consistency, model parameters): the appendix."""
    return any(prepared.section == section and prepared.table.key.endswith(suffix)
               for section, suffix in _TECHNICAL)


def _by_place(frame: pd.DataFrame, columns: list[str]):
    """A table of places laid out one block per place: the place first, its name and
    the attributes it repeats on every row (type, zone, department, governance, seats)
    folded into its cell, a yearly ``period`` written as its year.

    Returns ``(frame, columns, folded)``; ``folded`` is None when the table is not one
    row per place and period (the frame and columns are then unchanged), else the
    attribute columns the place's cell writes. Every value stays on the page.

    Examples
    --------
    >>> f = pd.DataFrame({"period": pd.to_datetime(["2015-01-01", "2016-01-01"]),
    ...                   "place_id": ["P1", "P1"], "name": ["Hub", "Hub"],
    ...                   "zone": ["rural", "rural"], "visits": [3, 4]})
    >>> g, columns, folded = _by_place(f, ["period", "place_id", "name", "zone", "visits"])
    >>> columns, folded, g["year"].tolist()
    (['place_id', 'year', 'visits'], ['zone'], ['2015', '2016'])
    """
    if "place_id" not in columns or len(frame) == 0:
        return frame, columns, None
    ids = frame["place_id"]
    constant = [c for c in ("name", *_PLACE) if c in columns
                and (frame.groupby(ids, sort=False, observed=True)[c].nunique() <= 1).all()]
    if "name" not in constant or ids.duplicated().sum() == 0:
        return frame, columns, None
    columns = ["place_id"] + [c for c in columns if c not in constant and c != "place_id"]
    period = frame["period"] if "period" in frame.columns else None
    if (period is not None and pd.api.types.is_datetime64_any_dtype(period.dtype)
            and period.notna().all() and period.nunique() > 1
            and ((period.dt.month == 1) & (period.dt.day == 1)).all()):
        frame = frame.assign(year=period.dt.year.astype(str))
        columns = [("year" if c == "period" else c) for c in columns]
    return frame, columns, [c for c in constant if c != "name"]


def _place_names(prepared: list[Prepared]) -> dict[str, str]:
    """Place id -> name, from the tables that give both (places are not people).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"place_id": ["P1", "P2"], "name": ["Hub", None]})
    >>> _place_names([Prepared("attendance", Table("y", f, "t"), f, "a")])
    {'P1': 'Hub'}
    """
    names: dict[str, str] = {}
    for item in prepared:
        frame = item.data
        if {"place_id", "name"} <= set(frame.columns):
            pairs = frame[["place_id", "name"]].dropna().astype(str).drop_duplicates("place_id")
            for place, name in zip(pairs["place_id"], pairs["name"]):
                names.setdefault(place, name)
    return names


def _place_cell(row, folded: list[str], places: dict[str, str], cat: Catalogue) -> dict:
    """A place's cell: its name, then its id and the ``folded`` attributes on a second
    line (``TL101 · Coworking · Urbaine · Orne · 26 places``).

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cell = _place_cell({"place_id": "P1", "name": "Hub", "zone": "rural", "capacity": 12.0},
    ...                    ["zone", "capacity"], {}, catalogue("fr"))
    >>> cell["text"], cell["detail"]
    ('Hub', 'P1 · Rurale · 12 places')
    """
    place = row["place_id"]
    if is_missing(place):
        return {"text": "", "num": False, "hidden": False}
    name = row.get("name")
    name = str(name) if isinstance(name, str) and name else places.get(str(place), "")
    parts = [str(place)] if name else []
    for column in folded:
        value = row.get(column)
        if is_missing(value):
            continue
        if column == "capacity":
            parts.append(cat.text("report.seats", seats=format_value(value, column, cat.lang)))
        else:
            parts.append(cell_label(row, column, value, cat) if isinstance(value, str)
                         else format_value(value, column, cat.lang))
    return {"text": name or str(place), "detail": " · ".join(parts), "num": False,
            "hidden": False}


def _quantile_cells(rows: list[list[dict]], columns: list[str], probabilities: list,
                    section: str, cat: Catalogue) -> list[str]:
    """A quantile table in words: ``0.5`` as the median, a quantile the curve never
    reached (its estimate missing on a shown row) as "not reached". Returns the notes
    that explain them.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> rows = [[{"text": "0,50", "num": True, "hidden": False},
    ...          {"text": "", "num": True, "hidden": False}]]
    >>> notes = _quantile_cells(rows, ["probability", "estimate"], [0.5], "retention",
    ...                         catalogue("en"))
    >>> [c["text"] for c in rows[0]], len(notes)
    (['Median', 'not reached'], 2)
    """
    at = columns.index("probability")
    reached = True
    for row, probability in zip(rows, probabilities):
        cell = row[at]
        number = None if is_missing(probability) else round(float(probability), 6)
        if not cell.get("hidden") and number in _QUARTILES:
            row[at] = {**cell, "text": cat.text(_QUARTILES[number]), "num": False,
                       "short": True}
        if "estimate" in columns:
            estimate = row[columns.index("estimate")]
            if not estimate["text"] and not estimate.get("hidden"):
                estimate["text"] = cat.text("report.not_reached")
                reached = False
    notes = [] if reached else [cat.text("report.not_reached_note")]
    if section == "retention":
        notes.append(cat.text("report.durations_in_months"))
    return notes


def _classes(rows: list[list[dict]]) -> None:
    """Give every cell its CSS classes (``cls``) and the keys the template reads, once
    in Python rather than per cell in the template.

    Examples
    --------
    >>> rows = [[{"text": "3", "num": True, "hidden": False, "repeat": True}]]
    >>> _classes(rows); rows[0][0]["cls"], rows[0][0]["detail"]
    ('num repeat', '')
    """
    for row in rows:
        for cell in row:
            detail = cell.setdefault("detail", "")
            flags = [("hidden", cell["hidden"]), ("wide", cell.get("wide")),
                     ("short", cell.get("short")), ("repeat", cell.setdefault("repeat", False)),
                     ("place", detail)]
            cell["cls"] = " ".join(["num" if cell["num"] else "text",
                                    *(name for name, on in flags if on)])


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


def _tally(cards: list[dict], cat: Catalogue) -> str:
    """One sentence counting the key figures by verdict, for a reader in a hurry.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cards = [{"populations": [{"cards": [{"tone": t} for t in
    ...           ("higher", "lower", "similar", "similar", "too_few")]}]}]
    >>> _tally(cards, catalogue("en"))
    '5 comparisons with a reference: 1 clearly higher, 1 clearly lower, 2 with no clear difference, 1 with too few answers to conclude.'
    """
    tones = [card["tone"] for group in cards for population in group["populations"]
             for card in population["cards"]]
    if not tones:
        return ""
    parts = [cat.text(f"report.tally_{tone}", count=tones.count(tone))
             for tone in ("higher", "lower", "similar", "untested", "too_few")
             if tone in tones]
    return cat.text("report.tally", total=len(tones),
                    parts=cat.text("report.tally_separator").join(parts))


def _reading(cat: Catalogue, min_cell: int) -> list[dict]:
    """How to read the tables: each column a reader meets, named as its heading, with a
    plain-language explanation."""
    terms = [(cat.column(c), f"report.reading_{c}")
             for c in ("n", "estimate", "ci", "p_adjusted")]
    terms.append((cat.text("report.suppressed_mark") + "*", "report.reading_suppressed"))
    return [{"term": term, "text": cat.text(key, min_cell=min_cell)} for term, key in terms]


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
    places = _place_names(prepared)
    technical = []
    for key in order:
        views, moved = [], []
        for item in (p for p in prepared if p.section == key):
            view = _table_view(item, cat, populations, places)
            if key != "methods" and _technical(item):
                _name_population(view, item.table.key, populations, cat)
                moved.append(view)
            else:
                views.append(view)
        technical += moved
        if not views and not moved:
            continue
        sections.append({"key": key, "title": cat.text(f"sections.{key}"),
                         "intro": cat.text(f"section_intro.{key}"),
                         "notes": [cat.text(n) for n in evaluation.sections[key].notes],
                         "tables": views, "moved": moved})
    body = [s for s in sections if s["key"] != "methods"]
    appendix = next((s for s in sections if s["key"] == "methods"), None)
    cards = _summary_cards(prepared, cat, populations)
    context = {
        "lang": cat.lang,
        "cat": cat,
        "title": evaluation.pilot_name,
        "sections": body,
        "appendix": appendix,
        "cards": cards,
        "tally": _tally(cards, cat),
        "reading": _reading(cat, min_cell),
        "covered": ", ".join(s["title"] for s in body),
        "methods_used": _methods_used(prepared, cat),
        "sources": _sources(prepared, cat),
        "technical": technical,
        "min_cell": min_cell,
        "min_text": max(min_cell, 10),
    }
    return _template().render(context)
