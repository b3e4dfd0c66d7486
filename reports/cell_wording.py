"""How the cells of a report table read: numbers, intervals and results in words.

A cell of the HTML page is a dict: its ``text``, whether it is a number (``num``), and
whether it was hidden by suppression (``hidden``), with optional layout flags (``wide``,
``short``, ``repeat``, ``detail``). This module writes them in the report's language:
confidence intervals (``41,0 à 45,4``, a bound not reached in words), quantiles by
their names (the median, the first and third quartiles) and a quantile the curve never
reached as "not reached", a horizon no one was followed to as "not observed", the
verdict of a distribution test, and the unit that goes with a value (``49,5 km``,
``(€)`` after an indicator counted in euros). Each function that adds words the reader
may not expect returns the note that explains them.

Nothing here computes a statistic: a verdict is a choice of sentence from a p-value
that ``analysis`` returned.
"""

from __future__ import annotations

import math

import pandas as pd

from reports.formatting import (auto_decimals, format_change, format_interval, format_number,
                                 format_percent, format_signed, format_significant, format_value,
                                 given_decimals, is_missing)
from reports.i18n import Catalogue
from reports.presentation import INTERVALS, cell_label, verdict_key
from reports.suppression import HIDDEN_CELLS, KEPT_ON_HIDDEN, SUPPRESSED

__all__ = ["interval", "table_cell", "indicator_label", "quantile_label", "is_distribution_test",
           "distribution_verdict", "unobserved", "no_exit_yet", "quantile_cells", "column_headers",
           "impact_unit", "with_units", "figure_text", "estimated_totals"]

#: Text cells up to this length are kept on one line.
_SHORT = 16
#: Quantile tables: probability -> catalogue key of its name.
_QUARTILES = {0.25: "report.quartile_1", 0.5: "report.median", 0.75: "report.quartile_3"}


def interval(low, high, share: bool, cat: Catalogue) -> str:
    """A confidence interval's cell: both bounds by :func:`reports.formatting.format_interval`
    (``41.0 to 45.4``, ``33 to 37``, ``20% to 43%``; ``20 à 43 %``), a bound not reached
    in words (``8.34 or more``). A share whose interval is that share alone (a raking
    margin, or a census: given, not estimated) says so rather than ``65 % to 65 %``.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> en = catalogue("en")
    >>> [interval(*bounds, False, en).replace("\\u00a0", " ")
    ...  for bounds in ((41.0, 45.4), (33.0, 37.0), (-0.1234, 0.3))]
    ['41.0 to 45.4', '33 to 37', '−0.12 to 0.30']
    >>> interval(8.34, None, False, en), interval(9.0, None, False, en)
    ('8.34 or more', '9 or more')
    >>> interval(0.65, 0.65 + 1e-16, True, en), interval(0.65, 0.65, True, catalogue("fr"))
    ('no margin of error', "sans marge d'erreur")
    """
    if is_missing(low) and is_missing(high):
        return ""
    if share and not (is_missing(low) or is_missing(high)) and math.isclose(
            float(low), float(high), rel_tol=1e-9, abs_tol=1e-12):
        return cat.text("report.interval_exact")
    if is_missing(low) or is_missing(high):  # a bound not reached: written in words
        bound = high if is_missing(low) else low
        whole = math.isfinite(float(bound)) and float(bound).is_integer()
        text = (format_value(bound, "ci_low", cat.lang, share=True) if share
                else format_number(bound, cat.lang,
                                   0 if whole else auto_decimals(abs(float(bound)))))
        key = "report.interval_to" if is_missing(low) else "report.interval_from"
        return cat.text(key, bound=text)
    return format_interval(low, high, cat.lang, share=share)


def _hidden_cell(row, column: str) -> bool:
    """Whether suppression hid this one cell of a row otherwise published (an interval
    when either bound is hidden)."""
    marks = row.get(HIDDEN_CELLS)
    if not isinstance(marks, str) or not marks:
        return False
    hidden = set(marks.split(","))
    return column in hidden or bool(set(INTERVALS.get(column, ())) & hidden)


def table_cell(row, column: str, share: bool, numeric: set, cat: Catalogue) -> dict:
    """One formatted cell: text, whether it is a number, whether it was hidden (a hidden
    row keeps its labels and a reference's published figure: :data:`KEPT_ON_HIDDEN`)."""
    hidden = (bool(row.get(SUPPRESSED, False)) and column not in KEPT_ON_HIDDEN) or \
        _hidden_cell(row, column)
    if column == "verdict":
        return {"text": cat.text(verdict_key(row)), "num": False, "hidden": False,
                "wide": True}
    if column in INTERVALS or column in numeric:
        if hidden:
            return {"text": cat.text("report.suppressed_mark"), "num": True, "hidden": True}
        if column in INTERVALS:
            low, high = INTERVALS[column]
            text = interval(row[low], row[high], share, cat)
        else:
            text = format_value(row[column], column, cat.lang, share=share)
        text = _changes(row, column, share, cat) or text
        if share and column == "estimate" and "baseline" in row:   # as its key figure:
            text = figure_text(row[column], row, True, cat, like=row["baseline"])  # 45,0 %
        # words in a column of numbers ("sans marge d'erreur") may wrap, numbers may not
        return {"text": text, "num": True, "hidden": False,
                "words": " " in text and not any(c.isdigit() for c in text)}
    value = row[column]
    if is_missing(value) and hidden:
        return {"text": cat.text("report.suppressed_mark"), "num": False, "hidden": True}
    if is_missing(value):
        text = ""
    elif column == f"label_{cat.lang}":   # a comparison named as its key figure is
        text = indicator_label(row, cat)
    elif isinstance(value, str):
        text = cell_label(row, column, value, cat)
    else:
        text = format_value(value, column, cat.lang)
    return {"text": text, "num": False, "hidden": False, "short": len(text) <= _SHORT}


#: Tests whose estimate is a difference of two shares (after − before), in points.
_SHARE_DIFFERENCES = frozenset({"mcnemar", "chi_square", "chi2", "fisher", "fisher_exact"})
#: Tests whose estimate is a change of mean score (after − before), signed.
_SCORE_DIFFERENCES = frozenset({"wilcoxon", "mann_whitney"})


def _changes(row, column: str, share: bool, cat: Catalogue) -> str:
    """A change written as one: a growth with its sign (``+146 %``, a funder reads 146 %
    as a level), a difference of two shares in points with its sign (a balance of
    satisfied minus dissatisfied, a paired test's change: ``+57 points``, ``+51 à +63
    points``), a change of mean score with its sign (``+0,79``); "" for any other cell.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> fr = catalogue("fr")
    >>> _changes({"growth": 1.4615}, "growth", True, fr).replace("\u202f", " ")
    '+146 %'
    >>> row = {"item": "sat_overall", "statistic": "net", "estimate": 0.571, "ci_low": 0.51,
    ...        "ci_high": 0.63}
    >>> [_changes(row, c, True, fr).replace("\u00a0", " ") for c in ("estimate", "ci")]
    ['+57 points', '+51 à +63 points']
    >>> row = {"item": "sat_overall", "test": "mcnemar", "estimate": 0.0}
    >>> _changes(row, "estimate", True, catalogue("en")).replace("\u00a0", " ")
    '0 points'
    >>> _changes({**row, "test": "wilcoxon", "estimate": 0.79}, "estimate", False, fr)
    '+0,79'
    """
    if column == "growth" and share or (column == "estimate" and share and
                                        "first_value" in row and "last_value" in row):
        return format_change(row[column], cat.lang)
    if "item" not in row:   # a satisfaction question's row (a profile repeats its test)
        return ""
    test = row.get("test")
    if column == "estimate" and not share and isinstance(test, str) and \
            test in _SCORE_DIFFERENCES and not is_missing(row.get("estimate")):
        return format_signed(row["estimate"], cat.lang, 2)
    points = row.get("statistic") == "net" or (isinstance(test, str) and
                                                test in _SHARE_DIFFERENCES)
    if not (share and points and column in ("estimate", "ci")):
        return ""
    if column == "estimate":
        if is_missing(row.get("estimate")):
            return ""
        value = round(float(row["estimate"]) * 100)
        return cat.text("report.points", value=format_signed(value, cat.lang), count=abs(value))
    low, high = row.get("ci_low"), row.get("ci_high")
    if is_missing(low) or is_missing(high):
        return ""
    bounds = format_interval(float(low) * 100, float(high) * 100, cat.lang, signed=True)
    return cat.text("report.points_interval", interval=bounds)


def indicator_label(row, cat: Catalogue) -> str:
    """What a reference comparison measures, one wording for its key figure, its table
    row and its dot: the catalogue's ``key_figures.<source_id>.<indicator>`` (``Part
    d'hommes (référence : télétravailleurs)``), which says what the number is and, when
    a study gives two references, against whom; else the table's ``label_<lang>`` (a
    user's own source), else the indicator's label.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> row = {"source_id": "bva-2015", "indicator": "man_all", "label_en": "Man (all)"}
    >>> indicator_label(row, catalogue("en"))
    'Share of men (reference: all employees surveyed)'
    >>> indicator_label({**row, "source_id": "my-study"}, catalogue("en"))
    'Man (all)'
    """
    key = f"key_figures.{row.get('source_id')}.{row.get('indicator')}"
    if cat.has(key):
        return cat.text(key)
    label = row.get(f"label_{cat.lang}")
    if isinstance(label, str) and label:
        return label
    return cat.value("indicator", row.get("indicator"))


def is_distribution_test(frame: pd.DataFrame, columns: list[str]) -> bool:
    """A test of the pilot's distribution against a reference (a p-value per reference
    source, no estimate to compare): its rows get a verdict in words."""
    return ({"source_id", "p_value"} <= set(frame.columns) and "verdict" not in columns
            and not {"estimate", "baseline"} & set(frame.columns))


def distribution_verdict(row, cat: Catalogue) -> dict:
    """The verdict of a distribution test, chosen from its p-value as a comparison's is.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> distribution_verdict({"p_value": 1e-30}, catalogue("en"))["text"]
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


def unobserved(rows: list[list[dict]], columns: list[str], at_risk: list,
               cat: Catalogue) -> list[str]:
    """A horizon no one was followed to (nobody at risk) says so instead of a blank
    estimate; returns the note that explains it.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> rows = [[{"text": "0", "num": True, "hidden": False},
    ...          {"text": "", "num": True, "hidden": False}]]
    >>> unobserved(rows, ["at_risk", "estimate"], [0.0], catalogue("en"))[0][:14]
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


def no_exit_yet(rows: list[list[dict]], columns: list[str], frame: pd.DataFrame,
                cat: Catalogue) -> list[str]:
    """A horizon before anyone left (100 %, no uncertainty: ``100 à 100 %``, which reads
    as a fault) writes its interval in words; returns the note that explains it.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> frame = pd.DataFrame({"estimate": [1.0, 0.8], "ci_low": [1.0, 0.7],
    ...                       "ci_high": [1.0, 0.9]})
    >>> rows = [[{"text": "100%"}, {"text": "100% to 100%"}],
    ...         [{"text": "80%"}, {"text": "70% to 90%"}]]
    >>> note = no_exit_yet(rows, ["estimate", "ci"], frame, catalogue("en"))
    >>> rows[0][1]["text"], rows[1][1]["text"]
    ('no one had left', '70% to 90%')
    """
    if "ci" not in columns or not {"estimate", "ci_low", "ci_high"} <= set(frame.columns):
        return []
    at = columns.index("ci")
    whole = frame[["estimate", "ci_low", "ci_high"]].apply(pd.to_numeric, errors="coerce")
    found = whole.eq(1.0).all(axis=1).to_numpy()
    for row, full in zip(rows, found):
        if full and not row[at].get("hidden"):
            row[at]["text"] = cat.text("report.no_exit_yet")
    return [cat.text("report.no_exit_yet_note")] if found.any() else []


def quantile_label(probability, cat: Catalogue):
    """A quartile's level in words (0.5 -> "Median"); another level as its number.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> quantile_label(0.25, catalogue("fr")), quantile_label(0.9, catalogue("fr"))
    ('1er quartile', 0.9)
    """
    if is_missing(probability):
        return None
    number = round(float(probability), 6)
    return cat.text(_QUARTILES[number]) if number in _QUARTILES else float(probability)


def quantile_cells(rows: list[list[dict]], columns: list[str], probabilities: list,
                   section: str, cat: Catalogue, whole_months: bool = False) -> list[str]:
    """A quantile table in words: ``0.5`` as the median, a quantile the curve never
    reached (its estimate missing on a shown row) as "not reached". Returns the notes
    that explain them (durations in months, unless ``whole_months``: the table's own
    note says they are whole months already).

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> rows = [[{"text": "0,50", "num": True, "hidden": False},
    ...          {"text": "", "num": True, "hidden": False}]]
    >>> notes = quantile_cells(rows, ["probability", "estimate"], [0.5], "retention",
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
    if section == "retention" and not whole_months:
        notes.append(cat.text("report.durations_in_months"))
    return notes


def column_headers(columns: list[str], cat: Catalogue) -> list[str]:
    """Column headings; a growth table's estimate is named for what it is.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> column_headers(["place_id", "first_value", "last_value", "estimate"], catalogue("en"))[-1]
    'Average yearly change in users'
    >>> column_headers(["time", "survival", "mass", "events"], catalogue("en"))
    ['Seniority (months)', 'Share coming for longer', 'Mass', 'Users in the band']
    """
    headers = [cat.column(c) for c in columns]
    if {"first_value", "last_value", "estimate"} <= set(columns):
        headers[columns.index("estimate")] = cat.text("report.growth_estimate")
    if "mass" in columns:   # declared seniority (Turnbull): nobody left, nobody departed
        for column in ("time", "survival", "events"):
            if column in columns:
                headers[columns.index(column)] = cat.text(f"report.bands_{column}")
    return headers


def impact_unit(cell: dict, code, cat: Catalogue) -> None:
    """An impact indicator counted in euros or kilograms of CO2 says so in its label
    (``Dépense d'énergie évitée (€)``); trips, kilometres and hours name themselves.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cell = {"text": "Energy"}
    >>> impact_unit(cell, "energy_eur", catalogue("en")); cell["text"]
    'Energy (€)'
    """
    code = str(code)
    unit = "eur" if code.endswith("_eur") else "co2_kg" if code == "co2_kg" else None
    if unit and cell.get("text") and cat.has(f"units.{unit}"):
        cell["text"] = f"{cell['text']} ({cat.text(f'units.{unit}')})"
        cell["short"] = False


#: Significant figures of an estimated total (kilometres, hours, euros, CO2 avoided).
_FIGURES = 3
#: An impact table's estimates (:func:`analysis.commute_impact`): totals and means per
#: teleworker, written to :data:`_FIGURES` significant figures, as are their intervals.
_TOTALS = ("per_teleworker", "estimate", "population_estimate")


def estimated_totals(cells: list[dict], row, columns: list[str], cat: Catalogue) -> None:
    """An impact table's estimates and intervals to three significant figures
    (``321 000``, ``276 000 à 367 000``): kilometres, hours and euros avoided are
    estimates from a sample, not counts, and their last digits mean nothing. Hidden
    and empty cells are left as they are; the workbook and CSV keep the table's
    precision.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cells = [{"text": "321,217", "hidden": False}, {"text": "", "hidden": False}]
    >>> row = {"population_estimate": 321217.4, "population_ci_low": 275736.2,
    ...        "population_ci_high": 366699.1}
    >>> estimated_totals(cells, row, ["population_estimate", "population_ci"], catalogue("en"))
    >>> [cell["text"].replace("\\u00a0", " ") for cell in cells]
    ['321,000', '276,000 to 367,000']
    """
    for position, column in enumerate(columns):
        cell = cells[position]
        if cell.get("hidden"):
            continue
        if column in _TOTALS and not is_missing(row.get(column)):
            cell["text"] = format_significant(row[column], cat.lang, _FIGURES)
        elif column in INTERVALS:
            low, high = (row.get(bound) for bound in INTERVALS[column])
            if not (is_missing(low) or is_missing(high)):
                cell["text"] = format_interval(low, high, cat.lang, significant=_FIGURES)


def with_units(cells: list[dict], row, columns: list[str], cat: Catalogue) -> None:
    """A comparison's pilot and reference values written with their unit (``49,5 km``),
    as the key figures are, since the table shows no unit column; its interval too
    (``42,9 à 56,0 km``), as the cards write theirs.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> row = {"unit": "km", "estimate": 49.5, "baseline": 26.0, "ci_low": 42.9,
    ...        "ci_high": 56.0}
    >>> cells = [{"text": ""}, {"text": ""}, {"text": "42,9 à 56,0"}]
    >>> with_units(cells, row, ["estimate", "ci", "baseline"], catalogue("fr"))
    >>> [cell["text"].replace("\u00a0", " ") for cell in cells]
    ['49,5 km', '42,9 à 56,0 km', '26 km']
    """
    for column in ("estimate", "baseline"):
        if column in columns and not cells[columns.index(column)].get("hidden"):
            cells[columns.index(column)]["text"] = figure_text(row[column], row, False, cat)
    unit = row.get("unit")
    if "ci" in columns and isinstance(unit, str) and cat.has(f"units.{unit}"):
        cell = cells[columns.index("ci")]
        low, high = row.get("ci_low"), row.get("ci_high")
        if not cell.get("hidden") and not (is_missing(low) or is_missing(high)):
            cell["text"] = format_interval(low, high, cat.lang, unit=cat.text(f"units.{unit}"))


def figure_text(value, row: pd.Series, share: bool, cat: Catalogue,
                column: str = "estimate", like=None) -> str:
    """A key figure with its unit (``45 %``, ``49,5 km``); a reference's (``column``
    ``"baseline"``) with the decimals it was published with (``45,5 %``), and a pilot's
    share set beside it (``like``: that reference) with as many (``45,0 %`` against
    ``45,5 %``, not ``45 %``).

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> en = catalogue("en")
    >>> figure_text(0.45, {}, True, en, like=0.455), figure_text(0.45, {}, True, en, like=0.2)
    ('45.0%', '45%')
    """
    text = format_value(value, column, cat.lang, share=share)
    if share and column == "estimate" and text and not is_missing(like):
        places = given_decimals(float(like) * 100, 2)
        text = format_percent(value, cat.lang, places) if places else text
    unit = row.get("unit")
    if share or not isinstance(unit, str) or not text:
        return text
    return f"{text}\u00a0{cat.text(f'units.{unit}')}" if cat.has(f"units.{unit}") else text

