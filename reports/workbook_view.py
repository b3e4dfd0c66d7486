"""A table as the workbook shows it: the report's columns, in the report's language.

The XLSX workbook is what a reader pastes into a slide or a note, so each of its
sheets holds the table the HTML report shows, not the machine table (which the CSV
files keep, complete): the same columns (the confidence interval as its two bounds),
headings and labels from the message catalogue, the plain-language verdict of a
baseline comparison, and every row (the HTML shows the first ones only). Numbers stay
numbers a spreadsheet can compute with: a share stays a fraction, marked to be shown
as a percentage, and a hidden (suppressed) value is an empty cell.

Labels are looked up once per distinct cell value (and the row context a label
depends on), never once per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reports.cell_wording import column_headers, quantile_label
from reports.presentation import (Prepared, cell_label, filled_columns, localised,
                                  named_populations, share_mask, shown_columns, verdict_key)
from reports.i18n import Catalogue
from reports.suppression import KEPT_ON_HIDDEN, SUPPRESSED, numeric_columns
from reports.table_layouts import design_columns, is_design_table, named_sources

__all__ = ["WorkbookTable", "workbook_table"]

#: Row values a text cell's label depends on (see ``reports.presentation.cell_label``).
_CONTEXT = ("variable", "parameter", "measure", "kind")
#: Columns holding p-values, shown with three decimals (the cell keeps the exact value).
_P_VALUES = frozenset({"p_value", "p_adjusted"})
#: Number format of a p-value, by language: "< 0,001" below 0.001 (not 1,36E-18), four
#: decimals below 0.05 (0,0496 is not read as 0,050, above the threshold), else three.
P_FORMAT = {"fr": '[<0.001]"< 0,001";[<0.05]0.0000;0.000',
            "en": '[<0.001]"< 0.001";[<0.05]0.0000;0.000'}


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
        Heading -> number format of the whole column (a p-value: three decimals, and
        "< 0,001" below that), the value staying the exact number.
    """

    data: pd.DataFrame
    percent: dict[str, np.ndarray]
    formats: dict[str, str] = field(default_factory=dict)


def _shown(frame: pd.DataFrame, lang: str) -> list[str]:
    """The HTML's columns (a column empty on every row left out, as on the page), with
    its merged interval given back as two bounds."""
    columns = filled_columns(frame, shown_columns(frame, lang))
    if "unit" in frame.columns and "unit" not in columns:  # numbers carry no unit here
        label = f"label_{lang}" if f"label_{lang}" in columns else "indicator"
        columns.insert(columns.index(label) + 1 if label in columns else 0, "unit")
    if "ci" in columns:
        at = columns.index("ci")
        columns[at: at + 1] = ["ci_low", "ci_high"]
    bounds = ["population_ci_low", "population_ci_high"]
    if "population_estimate" in columns and set(bounds) <= set(frame.columns):
        at = columns.index("population_estimate") + 1  # the cards' interval, for a slide
        columns[at:at] = bounds
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


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def workbook_table(prepared: Prepared, cat: Catalogue,
                   populations: dict[str, str] | None = None,
                   places: dict[str, str] | None = None) -> WorkbookTable:
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
    frame = frame.reset_index(drop=True)
    columns = _shown(frame, cat.lang)
    design = is_design_table(frame)
    if design:
        columns = design_columns(columns)
    frame, columns = named_sources(frame, columns, populations or {})
    if places and "place_id" in frame.columns:  # a place by its name, as on the page
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
            if column in share_columns and shares.any():
                percent[heading] = shares & values.notna().to_numpy()
            if column in _P_VALUES:
                formats[heading] = P_FORMAT[cat.lang]
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            values = frame[column]
        else:
            values = _labels(frame, column, cat)
        out[heading] = values
    return WorkbookTable(pd.DataFrame(out, index=frame.index), percent, formats)


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
