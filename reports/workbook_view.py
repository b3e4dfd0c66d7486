"""A table as the workbook shows it: the report's columns, in the report's language.

The XLSX workbook is what a reader pastes into a slide or a note, so each of its
sheets holds the table the HTML report shows, not the machine table (which the CSV
files keep, complete): the same columns (the confidence interval as its two bounds),
headings and labels from the message catalogue, the plain-language verdict of a
baseline comparison, and every row (the HTML shows the first ones only). A profile
keeps here what the page leaves to the files (:func:`reports.table_layouts.profile_rows`):
its statistic column, each category's count, and the rows of a number's spread and
quartiles, beside its share and mean rows. Numbers stay
numbers a spreadsheet can compute with: a share stays a fraction, marked to be shown
as a percentage, and a hidden (suppressed) value is an empty cell.

Every number is stored as the page shows it and carries the matching number format:
the page writes each cell with :func:`reports.formatting.format_value` (three
significant figures, counts whole, shares as whole percentages) and a confidence
interval with :func:`reports.cell_wording.interval` (both bounds with the same
decimals); the workbook rounds the value the same way and gives the cell a format with
as many decimals, so what a reader pastes is what the page says and no further digit
is published. A p-value keeps its exact value (its format writes "< 0,001"). Dates
are dates formatted as the page writes them (``janvier 2015``, or ``2015`` for a
place's year), in the report's language whatever the spreadsheet's.

A cohort table (``analysis.cohorts``: one row per month of arrival and month since)
is laid out as the page lays it out, as a grid (:mod:`reports.table_layouts`), but in
full: a retention triangle, one row per month of arrival (a date written as the page
writes a month), its new users, then its share at every month since arrival the table
reaches (``M+0``, ``M+1``...), each one of the table's shares rounded as the page
rounds it; a hidden share, and one the log cannot tell yet, is an empty cell, and the
sheet's notes say why. The CSV file keeps the long table.

Labels, and the numbers as the page writes them, are worked out once per distinct
cell value (and the row context a label depends on), never once per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reports.baseline_notes import FPC_MARK, fpc_notes, fpc_verdicts, holm_families, is_catalogue
from reports.cell_wording import column_headers, impact_unit, quantile_label
from reports.formatting import format_value
from reports.presentation import (INTERVALS, Prepared, cell_label, filled_columns,
                                  given_fractions, localised,
                                  named_populations, share_mask, shown_columns, verdict_key)
from reports.i18n import Catalogue
from reports.suppression import KEPT_ON_HIDDEN, SUPPRESSED, numeric_columns
from reports.table_layouts import (by_place, cohort_triangle, design_columns, is_cohort_table,
                                   is_design_table, named_sources)

__all__ = ["WorkbookTable", "workbook_table", "page_numbers", "rounded_p_values",
           "title_population", "BOUNDS", "SCORES"]

#: Row values a text cell's label depends on (see ``reports.presentation.cell_label``).
_CONTEXT = ("variable", "parameter", "measure", "kind")
#: Columns holding p-values, stored and shown with three decimals (four under 0.05).
_P_VALUES = frozenset({"p_value", "p_adjusted"})
#: Number format of a p-value, by language: "< 0,001" below 0.001 (not 1,36E-18), four
#: decimals below 0.05 (0,0496 is not read as 0,050, above the threshold), else three.
P_FORMAT = {"fr": '[<0.001]"< 0,001";[<0.05]0.0000;0.000',
            "en": '[<0.001]"< 0.001";[<0.05]0.0000;0.000'}
#: A net promoter score's cells, written signed and whole as the page writes them.
SCORES = frozenset({"estimate", "ci_low", "ci_high"})
SCORE_FORMAT = '+#,##0;"−"#,##0;0'
#: Excel's locale tag of the report's language: month names as the page writes them
#: whatever the language of the spreadsheet that opens the file.
_LOCALE = {"fr": "[$-40C]", "en": "[$-809]"}
#: Date formats as the page writes dates (``formatting.format_date``/``format_month``).
_DATE_FORMATS = {"day": "d mmmm yyyy", "month": "mmmm yyyy", "year": "yyyy"}
#: Columns whose first-of-the-month dates the page writes as months.
_MONTH_COLUMNS = frozenset({"period", "month", "first_visit", "cohort"})
#: Interval bounds: written as the page writes the interval, both with the same decimals.
BOUNDS = {"ci_low": "ci_high", "ci_high": "ci_low",
           "population_ci_low": "population_ci_high", "population_ci_high": "population_ci_low"}


@dataclass
class WorkbookTable:
    """One sheet's content.

    Attributes
    ----------
    data : DataFrame
        Headings in the report's language; numbers as numbers, text as labels, empty
        (NaN or None) where a value is hidden or missing.
    percent : dict
        Heading -> boolean array over the rows: the cells holding a share (a fraction
        to show as a percentage). Headings without shares are absent.
    formats : dict
        Heading -> number format: of the whole column as a string (a p-value: three
        decimals, and "< 0,001" below that, the value staying the exact number; a date
        column: as the page writes its dates), or of each cell as an array over the
        rows (``None``: no number there) for numbers shown with the page's decimals.
    title : str
        The table's title, naming the population it is about (``Recommandation (Net
        Promoter Score) — Agents``) unless it already does (``Profil des agents``), as
        the page names a table shown away from its population's tables.
    population : str
        The population the title adds ("" when it adds none), for the sheet's name.
    notes : list of str
        Notes the sheet's own layout needs (a cohort triangle's: what ``M+1`` means,
        why the cells at the bottom right are empty), beside the table's own notes.
    """

    data: pd.DataFrame
    percent: dict[str, np.ndarray]
    formats: dict[str, str | np.ndarray] = field(default_factory=dict)
    title: str = ""
    population: str = ""
    notes: list[str] = field(default_factory=list)


def _shown(frame: pd.DataFrame, lang: str) -> list[str]:
    """The HTML's columns (a column empty on every row left out, as on the page), with
    its merged interval given back as two bounds; the catalogue of references keeps its
    note, which the page writes under each figure's label."""
    columns = filled_columns(frame, shown_columns(frame, lang))
    if is_catalogue(frame) and frame["note"].notna().any():
        columns.append("note")
    if "unit" in frame.columns and "unit" not in columns:  # numbers carry no unit here
        label = f"label_{lang}" if f"label_{lang}" in columns else "indicator"
        columns.insert(columns.index(label) + 1 if label in columns else 0, "unit")
    for name, bounds in INTERVALS.items():  # the population's: the cards' interval
        if name in columns:
            at = columns.index(name)
            columns[at: at + 1] = list(bounds)
    return columns


def _labels(frame: pd.DataFrame, column: str, cat: Catalogue) -> pd.Series:
    """Labels of a text column, each distinct (value, context) labelled once; a value
    that is not text (a boolean, a number in a text column) is written as it is."""
    context = [c for c in _CONTEXT if c in frame.columns and c != column]
    keys = frame[[column, *context]].astype(object)
    if not len(keys):
        return pd.Series([], index=frame.index, dtype=object)
    grouped = keys.groupby(list(keys.columns), dropna=False, sort=False)
    codes = grouped.ngroup().to_numpy()  # numbered in order of first appearance
    distinct = keys.iloc[np.unique(codes, return_index=True)[1]]  # each one's first row
    names = list(distinct.columns)
    labelled = np.empty(len(distinct), dtype=object)
    labelled[:] = [  # rows as dicts: the very objects iterrows gives (all text columns)
        cell_label(row, column, row[column], cat) if isinstance(row[column], str)
        else (None if _missing(row[column]) else row[column])
        for row in (dict(zip(names, values)) for values in distinct.to_numpy(dtype=object))
    ]
    return pd.Series(labelled[codes], index=frame.index, dtype=object)


def _with_units(labels: pd.Series, codes: pd.Series, cat: Catalogue) -> pd.Series:
    """Impact indicators' labels with the unit the page writes after them
    (:func:`reports.cell_wording.impact_unit`): ``Dépense d'énergie évitée (€)``."""
    out = labels.copy()
    for position, (label, code) in enumerate(zip(labels, codes)):   # eight indicators
        cell = {"text": label}
        impact_unit(cell, code, cat)
        out.iloc[position] = cell["text"]
    return out


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def workbook_table(prepared: Prepared, cat: Catalogue,
                   populations: dict[str, str] | None = None,
                   places: dict[str, str] | None = None,
                   sizes: dict[str, float] | None = None) -> WorkbookTable:
    """The sheet of one prepared table, in the catalogue's language.

    Parameters
    ----------
    prepared : Prepared
        A table after suppression, free of private columns (``reports.render.prepare``).
    cat : Catalogue
        Messages of the report's language.
    populations : dict, optional
        The pilot's source names -> the populations they describe (a baseline
        comparison's ``source`` and the data-quality and design tables' sources are
        shown as their populations, as in the HTML).
    places : dict, optional
        Place id -> name: a place is shown by its name, as in the HTML.
    sizes : dict, optional
        The pilot's source names -> their population sizes
        (:func:`reports.baseline_notes.population_sizes`): a comparison's clear verdict
        resting on the finite population correction is marked, as on the page, and the
        sheet's notes say what the mark means. A comparison's notes also say how many
        tests its Holm families hold, masked ones included.

    Returns
    -------
    WorkbookTable

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> frame = pd.DataFrame({"variable": ["gender", "gender"], "category": ["F", "M"],
    ...                       "n": [40, 40], "estimate": [0.65, 0.35],
    ...                       "ci_low": [0.5, 0.2], "ci_high": [0.78, 0.5],
    ...                       "method": ["logit", "logit"]})
    >>> table = Table("gender", frame, "t", share_columns=["estimate", "ci_low", "ci_high"])
    >>> view = workbook_table(Prepared("profiles", table, frame, "p"), catalogue("fr"))
    >>> view.data.columns.tolist()
    ['Variable', 'Modalité', 'Effectif', 'Estimation', 'Borne basse', 'Borne haute']
    >>> view.data.iloc[0, :2].tolist(), view.percent["Estimation"].tolist()
    (['Genre', 'Femmes'], [True, True])
    """
    table = prepared.table
    frame = named_populations(localised(prepared.data, cat.lang), populations or {})
    frame = given_fractions(table, frame.reset_index(drop=True))
    if is_cohort_table(frame):      # a retention triangle, as the page's grid
        return _cohort_view(frame, cat, *_title(table.key, table.title_key, cat, populations))
    columns = _shown(frame, cat.lang)
    design = is_design_table(frame)
    if design:
        columns = design_columns(columns)
    frame, columns = named_sources(frame, columns, populations or {})
    yearly = "year" in by_place(frame, columns)[1]  # the page writes each period's year
    if places and "place_id" in frame.columns and "name" not in columns:
        # a place by its name, as on the page; beside its own name column it keeps its
        # code (the page writes both), as in the CSV file
        frame = frame.assign(place_id=frame["place_id"].map(
            lambda v: places.get(v, v) if isinstance(v, str) else v))
    numeric = set(numeric_columns(frame))
    hidden = (frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
              if SUPPRESSED in frame.columns else np.zeros(len(frame), dtype=bool))
    shares = share_mask(table, frame)
    share_columns = set(table.share_columns)
    out: dict[str, pd.Series] = {}
    percent: dict[str, np.ndarray] = {}
    formats: dict[str, str] = {}
    headings = _headings(columns, cat, column_headers(columns, cat))
    for column, heading in zip(columns, headings):
        if column == "verdict":
            values = pd.Series([cat.text(verdict_key(row)) for _, row in frame.iterrows()],
                               index=frame.index, dtype=object)
        elif column == "probability" and column in numeric:  # 0.5 as "Median"
            values = pd.Series([quantile_label(p, cat) for p in frame[column]],
                               index=frame.index, dtype=object)
        elif column in numeric:
            keep = column in KEPT_ON_HIDDEN  # a hidden row's labels, a published figure
            values = frame[column].where(~hidden) if hidden.any() and not keep else frame[column]
            if column == "population_size" and design:
                values = values.astype(object).where(values.notna(), cat.text("report.not_given"))
            if column == "estimate" and "probability" in frame.columns:  # as the page words it
                values = values.astype(object).where(values.notna() | hidden,
                                                     cat.text("report.not_reached"))
            share = shares & values.notna().to_numpy() if column in share_columns \
                else np.zeros(len(frame), dtype=bool)
            if share.any():
                percent[heading] = share
            if column in _P_VALUES:  # to the decimals the format writes, as the page
                values = rounded_p_values(values)
                formats[heading] = P_FORMAT[cat.lang]
            elif "promoters" in frame.columns and column in SCORES:  # +7, as the page
                values = pd.to_numeric(values, errors="coerce").round(0) + 0.0
                formats[heading] = np.where(values.notna(), SCORE_FORMAT, None)
            else:       # as the page writes it: rounded alike, a format with its decimals
                partner = BOUNDS.get(column)
                other = (frame[partner].where(~hidden) if hidden.any() else frame[partner]) \
                    if partner in frame.columns else None
                values, formats[heading] = page_numbers(values, column, share, other)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            values = frame[column]
            formats[heading] = _LOCALE[cat.lang] + _DATE_FORMATS[_date_kind(values, column,
                                                                            yearly)]
        else:
            values = _labels(frame, column, cat)
            if column == "indicator" and "per_teleworker" in frame.columns:
                values = _with_units(values, frame[column], cat)   # as the page: (€)
        out[heading] = values
    title, population = _title(table.key, table.title_key, cat, populations)
    notes = _no_exit_notes(frame, hidden, cat)
    if "verdict" in columns:
        notes += _verdict_notes(prepared.data, frame, out[headings[columns.index("verdict")]],
                                sizes or {}, populations or {}, cat)
    return WorkbookTable(pd.DataFrame(out, index=frame.index), percent, formats, title,
                         population, notes)


def _verdict_notes(data: pd.DataFrame, frame: pd.DataFrame, verdicts: pd.Series,
                   sizes: dict[str, float], populations: dict[str, str],
                   cat: Catalogue) -> list[str]:
    """A comparison sheet's notes on its verdicts: the clear verdicts resting on the
    finite population correction marked in place (``verdicts``, the sheet's column), with
    their footnote, and the Holm families that count masked tests (as on the page,
    :mod:`reports.baseline_notes`)."""
    marked = fpc_verdicts(data, sizes)
    notes = []
    if marked.any():
        at = np.flatnonzero(marked)
        verdicts.iloc[at] = [f"{v} {FPC_MARK}" for v in verdicts.iloc[at]]
        notes += fpc_notes(data, marked, sizes, populations, cat)
    return notes + holm_families(frame, cat)


def _no_exit_notes(frame: pd.DataFrame, hidden: np.ndarray, cat: Catalogue) -> list[str]:
    """The note for a horizon before anyone left: the sheet keeps its numbers (100 %,
    bounds 100 % and 100 %, which read as a fault), where the page writes "aucun départ"
    (:func:`reports.cell_wording.no_exit_yet`)."""
    if not {"estimate", "ci_low", "ci_high"} <= set(frame.columns):
        return []
    whole = frame[["estimate", "ci_low", "ci_high"]].apply(pd.to_numeric, errors="coerce")
    found = whole.eq(1.0).all(axis=1).to_numpy() & ~hidden
    return [cat.text("report.no_exit_yet_sheet_note")] if found.any() else []


def _title(key: str, title_key: str, cat: Catalogue,
           populations: dict[str, str] | None) -> tuple[str, str]:
    """A sheet's title, naming its population where it does not already, and that
    population ("" for none): see :func:`title_population`."""
    title = cat.text(title_key)
    population = title_population(key, title, populations or {})
    if population:
        title = cat.text("report.title_population", title=title, population=population)
    return title, population


def _cohort_view(frame: pd.DataFrame, cat: Catalogue, title: str,
                 population: str) -> WorkbookTable:
    """A cohort table as a retention triangle (:func:`reports.table_layouts.cohort_triangle`):
    the month of arrival (written as the page writes a month), its new users, then one
    column per month since arrival the table reaches (``M+0``, ``M+1``...), each share
    the table's, rounded as the page rounds it, and empty where the table hides it or
    the log cannot tell it yet."""
    users, shares, hidden = cohort_triangle(frame)
    names = [cat.text("report.cohort_month"), cat.text("report.cohort_users"),
             *(cat.text("report.cohort_since", months=k) for k in shares.columns)]
    month, size, *since = _headings(["cohort", "users", *shares.columns], cat, names)
    arrivals = pd.Series(shares.index.to_numpy())
    formats: dict[str, str | np.ndarray] = {}
    if pd.api.types.is_datetime64_any_dtype(arrivals):
        formats[month] = _LOCALE[cat.lang] + _DATE_FORMATS[_date_kind(arrivals, "cohort",
                                                                        False)]
    counts, formats[size] = page_numbers(pd.Series(users.to_numpy(dtype=float)), "users")
    flat = pd.Series(shares.to_numpy(dtype=float).ravel())   # every share at once
    given = flat.notna().to_numpy()
    rounded, share_formats = page_numbers(flat, "share", given)
    grid = rounded.to_numpy(dtype=float).reshape(shares.shape)
    cells = share_formats.reshape(shares.shape)
    given = given.reshape(shares.shape)
    data = pd.concat([pd.DataFrame({month: arrivals, size: counts}),
                      pd.DataFrame(grid, columns=since)], axis=1)
    percent = {h: given[:, j] for j, h in enumerate(since) if given[:, j].any()}
    formats.update({h: cells[:, j] for j, h in enumerate(since)})
    notes = [cat.text("report.cohort_note"), cat.text("report.cohort_since_note")]
    if (shares.isna() & ~hidden).to_numpy().any():
        notes.append(cat.text("report.cohort_not_observed_cells"))
    return WorkbookTable(data, percent, formats, title, population, notes)


def title_population(key: str, title: str, populations: dict[str, str]) -> str:
    """The population a table's title should name: the one its key is about
    (``agents_nps`` -> ``Agents``); "" when the table is about several sources or none,
    or when its title already names a population (a word of four letters or more of
    one, ``Profil des usagers`` for ``Usagers des tiers-lieux``).

    Two sources of one kind (``Agents (a15)``, ``Agents (a16)``) are always named:
    their tables' titles are otherwise alike.

    Examples
    --------
    >>> people = {"agents": "Agents", "users": "Usagers des tiers-lieux"}
    >>> title_population("agents_nps", "Recommandation (Net Promoter Score)", people)
    'Agents'
    >>> title_population("users_items_by_status", "Profil des usagers, par statut", people)
    ''
    >>> title_population("comparisons", "Le pilote face aux références", people)
    ''
    """
    names = [n for n in populations if key == n or key.startswith(f"{n}_")]
    if not names:
        return ""
    source = max(names, key=len)
    population = populations[source]
    if population.endswith(f"({source})"):
        return population
    words = {w.casefold() for label in populations.values()
             for w in re.findall(r"[\w-]{4,}", label)}
    said = set(re.findall(r"[\w-]+", title.casefold()))
    return "" if words & said else population


def _date_kind(values: pd.Series, column: str, yearly: bool) -> str:
    """How the page writes a date column: ``"year"`` (a place's yearly periods, see
    :func:`reports.table_layouts.by_place`), ``"month"`` (first days of months in a
    period-like column, as :func:`reports.formatting.format_value`) or ``"day"``."""
    if yearly and column == "period":
        return "year"
    days = values.dropna()
    monthly = column in _MONTH_COLUMNS and len(days) and bool((days.dt.day == 1).all())
    return "month" if monthly else "day"


def rounded_p_values(values: pd.Series) -> pd.Series:
    """P-values with the decimals the page writes: four under 0.05, else three; under
    0.001 (written "< 0,001"), one significant digit rather than a misleading 0.

    Examples
    --------
    >>> rounded_p_values(pd.Series([0.0123456, 0.61773, 4.26e-19, None])).tolist()
    [0.0123, 0.618, 4e-19, nan]
    """
    number = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 10.0 ** np.floor(np.log10(np.where(number > 0, number, 1.0)))
    tiny = np.round(number / scale) * scale
    return pd.Series(np.where(number < 0.001, tiny, np.where(
        number < 0.05, np.round(number, 4), np.round(number, 3))), index=values.index)


def page_numbers(values: pd.Series, column: str, share: np.ndarray | None = None,
                 other: pd.Series | None = None) -> tuple[pd.Series, np.ndarray]:
    """A numeric column's values as the page writes them, and each cell's number format.

    Parameters
    ----------
    values : Series
        The column (numbers, and text or empty cells where the page writes words).
    column : str
        Its name: the page's rules depend on it (counts whole, years without a
        thousands separator, a given figure with its own decimals).
    share : array of bool, optional
        The cells holding a share (a fraction written as a percentage).
    other : Series, optional
        The other bound of an interval (``values`` being one bound): outside shares,
        both are written with the interval's decimals, as the page writes it.

    Returns
    -------
    values : Series
        Each number rounded as the page rounds it (a share to its shown percentage,
        still a fraction); text and empty cells unchanged.
    formats : ndarray
        Each cell's number format (``None`` where there is no number): as many
        decimals as the page writes, a thousands separator where the page has one.

    Notes
    -----
    The page's rules, applied to whole columns: :func:`reports.formatting.format_value`
    (a share as a whole percentage, one decimal for a standard error; a whole number
    without decimals, a year without a thousands separator; else
    :func:`reports.formatting.auto_decimals`, trailing zeros of a small value dropped)
    and :func:`reports.cell_wording.interval` (both bounds with the decimals of the
    larger, none when both are whole). A value within a hair of a rounding tie, and a
    figure given with its own decimals (``value``), is written by the page's own
    function, which rounds the exact binary value. The tests compare the results with
    the page's text for many values.

    Examples
    --------
    >>> values, formats = page_numbers(pd.Series([3.9496, 1234.5, 2.0, None]), "estimate")
    >>> values.tolist()[:3], formats.tolist()
    ([3.95, 1234.0, 2.0], ['#,##0.00', '#,##0', '#,##0', None])
    >>> values, formats = page_numbers(pd.Series([0.4567]), "estimate", np.array([True]))
    >>> values.tolist(), formats.tolist()
    ([0.46], ['#,##0%'])
    >>> low, formats = page_numbers(pd.Series([8.7]), "ci_low", other=pd.Series([12.34]))
    >>> low.tolist(), formats.tolist()
    ([8.7], ['#,##0.0'])
    """
    share = np.zeros(len(values), dtype=bool) if share is None else np.asarray(share, bool)
    number = _numbers(values)
    if format_value(0.8444, column, "en") == "0.8444":  # a figure given: as given
        codes, distinct = _distinct(pd.DataFrame({"v": number, "s": share}))
        written = [_written(row, column) for row in distinct]
        shown = np.array([w[0] for w in written] + [np.nan])[codes]
        formats = np.array([w[1] for w in written] + [None], dtype=object)[codes]
    else:
        bound = other is not None and column in BOUNDS
        shown, formats = _rounded(number, share, column,
                                  _numbers(other) if bound else None)
    present = ~np.isnan(shown)
    out = values.astype(object) if values.dtype == object else values.astype(float)
    out[present] = shown[present]
    return out, formats


def _auto_decimals(size: np.ndarray) -> np.ndarray:
    """:func:`reports.formatting.auto_decimals` of each (non-negative) value."""
    with np.errstate(divide="ignore", invalid="ignore"):
        small = 1 - np.floor(np.log10(np.where(size > 0, size, 1.0)))
    return np.select([(size >= 100) | (size == 0) | ~np.isfinite(size), size >= 10,
                      size >= 0.01], [0, 1, 2], small).astype(int)


def _rounded(number: np.ndarray, share: np.ndarray, column: str,
             other: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Each number as the page rounds it, and its format (see :func:`page_numbers`)."""
    present = ~np.isnan(number)
    whole = present & (number == np.floor(np.where(present, number, 0)))
    if other is None:
        digits = np.where(whole, 0, _auto_decimals(np.abs(number)))
        stripped = ~whole & (digits > 2)    # auto decimals: 0.0010 is written 0.001
    else:                                   # an interval: the decimals of the larger bound
        both = ~np.isnan(other)
        widest = np.where(both, np.fmax(np.abs(number), np.abs(other)), np.abs(number))
        all_whole = whole & (~both | (other == np.floor(np.where(both, other, 0))))
        digits = np.where(all_whole, 0, _auto_decimals(widest))
        stripped = np.zeros(len(number), dtype=bool)
    digits = np.where(share, 1 if column == "se" else 0, digits)
    stripped &= ~share
    scaled = np.where(share, number * 100, number)
    with np.errstate(invalid="ignore"):
        raised = scaled * 10.0 ** digits
        units = np.rint(raised)
        near = 1e-9 * np.fmax(1, np.abs(raised))
        tie = present & (np.abs(raised - np.floor(raised) - 0.5) < near)
    for at in np.flatnonzero(tie):          # the page's own rounding of the binary value
        units[at] = round(float(f"{scaled[at]:.{digits[at]}f}") * 10.0 ** digits[at])
    for _ in range(int(digits[stripped].max(initial=0))):   # trailing zeros dropped
        zero = stripped & (digits > 0) & (np.fmod(units, 10) == 0)
        units, digits = np.where(zero, units / 10, units), np.where(zero, digits - 1, digits)
    shown = units / 10.0 ** (digits + 2 * share) + 0.0     # -0.0 written 0
    year = format_value(2015.0, column, "en") == "2015"
    kinds = np.where(~present, -1, np.where(share, 1000 + digits, digits + 100 * (year & whole)))
    formats = np.full(len(number), None, dtype=object)
    for kind in np.unique(kinds[kinds >= 0]):
        places = kind % 100
        tail = "." + "0" * places if places else ""
        code = ("#,##0" + tail + "%") if kind >= 1000 else \
            ("0" if kind >= 100 else "#,##0" + tail)
        formats[kinds == kind] = code
    return np.where(present, shown, np.nan), formats


def _numbers(values: pd.Series) -> np.ndarray:
    """The finite numbers of a column as floats, NaN elsewhere (text, booleans, empty)."""
    if values.dtype != object:
        number = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        real = values.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                          and not isinstance(v, (bool, np.bool_)))
        number = pd.to_numeric(values.where(real), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)
    number[~np.isfinite(number)] = np.nan
    return number


def _distinct(keys: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """Each row's code among the distinct rows with a number (``-1``: none), and those."""
    codes = np.full(len(keys), -1)
    filled = keys["v"].notna().to_numpy()
    if not filled.any():
        return codes, []
    grouped = keys[filled].groupby(list(keys.columns), dropna=False, sort=False)
    codes[filled] = grouped.ngroup().to_numpy()
    first = np.unique(codes[filled], return_index=True)[1]
    return codes, list(keys[filled].iloc[first].itertuples(index=False, name=None))


def _written(key: tuple, column: str) -> tuple[float, str]:
    """A number as the page writes it (read back from the page's text) and its format."""
    value, share = key
    text = format_value(value, column, "en", share=bool(share))
    percent = text.endswith("%")
    plain = text.replace(",", "").replace("\u2212", "-").rstrip("%")
    decimals = len(plain.partition(".")[2])
    shown = float(plain + "e-2") if percent else float(plain)
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    return shown + 0.0, code + ("%" if percent else "")


def _headings(columns: list[str], cat: Catalogue,
              names: list[str] | None = None) -> list[str]:
    """Column headings in the catalogue's language (``names``: as the page names them),
    made unique (a spreadsheet header naming two columns alike would be ambiguous)."""
    seen: dict[str, int] = {}
    headings = []
    for i, column in enumerate(columns):
        heading = names[i] if names else cat.column(column)
        seen[heading] = seen.get(heading, 0) + 1
        headings.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return headings
