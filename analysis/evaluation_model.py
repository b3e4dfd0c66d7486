"""The evaluation container: sections of tidy tables that ``reports.render`` presents.

An :class:`Evaluation` is what ``analysis.evaluate(pilot)`` returns and what
``reports.render`` takes. It holds no statistics of its own: every number lives in the
tidy DataFrames of its :class:`Table` objects, exactly as the analysis functions
returned them. The few extra fields tell the report how to present a table (its title in
the message catalogue, which column counts respondents for small-cell suppression, which
columns define the cells of a breakdown, which figure to draw). Sections whose data is
absent are simply not added: the report leaves them out instead of showing them empty.

This module imports only the standard library and pandas, so that ``analysis`` stays
free of matplotlib and jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from surveys.errors import SurveyError

__all__ = ["Evaluation", "Section", "Table", "SECTION_KEYS", "FIGURE_KINDS"]

#: Section keys, in the order the report shows them (``methods`` always last).
SECTION_KEYS = (
    "quality",
    "profiles",
    "baselines",
    "retention",
    "satisfaction",
    "impact",
    "attendance",
    "methods",
)

#: Figure kinds ``reports.figures`` knows how to draw.
FIGURE_KINDS = (
    "likert_bars",
    "km_curve",
    "baseline_dots",
    "attendance_series",
    "impact_bars",
)

SectionKey = Literal[
    "quality", "profiles", "baselines", "retention", "satisfaction", "impact",
    "attendance", "methods",
]


def _check_choice(name: str, value, allowed) -> None:
    """Raise :class:`SurveyError` when ``value`` is not one of ``allowed``."""
    if value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise SurveyError(f"{name}={value!r} is not allowed; use one of {listed}.")


@dataclass
class Table:
    """One tidy table of an evaluation, with what the report needs to present it.

    Parameters
    ----------
    key : str
        Identifier, unique within its section (used in file and sheet names).
    data : pandas.DataFrame
        The tidy table as an analysis function returned it (no rounding, shares as
        fractions in [0, 1]).
    title_key : str
        Message-catalogue key of the table's title (``reports/locales/*.yaml``); a text
        that is not a key is shown as given.
    count_column : str or None
        Column holding the number of respondents each row rests on (``"n"``,
        ``"users"``, ``"at_risk"``...), used by small-cell suppression; ``None`` when the
        table is not about people (a parameter list, the baseline catalogue).
    group_columns : list of str
        Columns whose values define the cells of a breakdown (``["department"]``).
        Rows that differ only in one of these columns are siblings for secondary
        suppression.
    total_row : dict or None
        Marks the total rows of a breakdown: group column -> value that the total row
        carries in it (``{"department": "all"}``).
    figure : str or None
        Figure kind to draw from this table (one of :data:`FIGURE_KINDS`) or ``None``.
    notes : list of str
        Message keys or plain text shown under the table.
    share_columns : list of str
        Columns holding shares (fractions) shown as percentages in the HTML.
    share_rows : dict or None
        Restricts ``share_columns`` to the rows whose column value is listed, e.g.
        ``{"statistic": ["top2", "bottom2", "net"]}`` for a Likert table whose means are
        not shares.
    free_text : bool
        True when the table is derived from free-text answers: suppression then uses a
        minimum cell of at least 10.
    html_rows : int or None
        Most rows the HTML report shows (None: the report's default). ``0`` shows only
        the figure, for long tables such as a survival curve with one row per distinct
        time; the XLSX workbook and the CSV file always hold every row.
    html_filter : dict or None
        Rows the HTML report shows, by column value (``{"statistic": ["top2"]}`` shows
        only the top-2-box rows of a Likert breakdown); the files keep every row.
    subcount_columns : list of str
        Columns counting disjoint parts of the people of ``count_column`` in the same
        row (``["new_users", "returning_users"]`` of ``users``). Suppression hides such
        a cell when it counts fewer than ``min_cell`` people, and with it whatever
        would give it away as the row's count minus the other parts.
    subcount_margins : dict or None
        Sub-count column -> columns whose groups of rows have its sum published in
        another table (``{"new_users": ["type", "zone", "period:Y"]}``; ``"period:Y"``
        groups a date column by year): no hidden cell can be worked out from them.
    count_margins : list of str
        Columns whose groups of rows have their total published in another table
        (``["type", "zone", "period:Y"]``: a type and zone's months add up to the year
        the table by place and year gives): the rows hidden in a group must add up to
        none or ``min_cell`` people, and never be a lone row, so that the year minus the
        months shown gives no hidden month back.
    class_events : DataFrame or None
        A weighted curve's exits by weighting class (``time``, ``class``, ``events``:
        people, unweighted): its weights are known, so a level is published only where
        every class's exits since the last level published number none or
        ``min_cell`` or more (:mod:`analysis._weight_classes`).

    Examples
    --------
    >>> t = Table("gender", pd.DataFrame({"gender": ["F", "M"], "n": [12, 8]}),
    ...           "tables.gender", count_column="n")
    >>> t.key, t.count_column, t.figure
    ('gender', 'n', None)
    """

    key: str
    data: pd.DataFrame
    title_key: str
    count_column: str | None = None
    group_columns: list[str] = field(default_factory=list)
    total_row: dict[str, Any] | None = None
    figure: str | None = None
    notes: list[str] = field(default_factory=list)
    share_columns: list[str] = field(default_factory=list)
    share_rows: dict[str, list] | None = None
    free_text: bool = False
    html_rows: int | None = None
    html_filter: dict[str, list] | None = None
    subcount_columns: list[str] = field(default_factory=list)
    subcount_margins: dict[str, list[str]] | None = None
    count_margins: list[str] = field(default_factory=list)
    class_events: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.data, pd.DataFrame):
            raise SurveyError(
                f"Table '{self.key}': data must be a pandas DataFrame, "
                f"got {type(self.data).__name__}."
            )
        if self.figure is not None:
            _check_choice(f"Table '{self.key}' figure", self.figure, FIGURE_KINDS)
        named = [self.count_column] if self.count_column else []
        named += list(self.group_columns) + list(self.total_row or {})
        margins = self.subcount_margins or {}
        named += list(self.subcount_columns) + list(margins)
        named += [str(k).partition(":")[0] for keys in margins.values() for k in keys]
        named += [str(k).partition(":")[0] for k in self.count_margins]
        missing = [c for c in named if c not in self.data.columns]
        if missing:
            raise SurveyError(
                f"Table '{self.key}': column '{missing[0]}' is named in its settings "
                f"but absent from its data (columns: {', '.join(map(str, self.data.columns))})."
            )
        stray = [c for c in self.subcount_margins or {} if c not in self.subcount_columns]
        if stray:
            raise SurveyError(
                f"Table '{self.key}': subcount_margins names '{stray[0]}', which is not "
                "one of its subcount_columns; add it there too."
            )


@dataclass
class Section:
    """A section of the report: an ordered set of tables under one heading.

    Parameters
    ----------
    key : str
        One of :data:`SECTION_KEYS`; the heading comes from the message catalogue.
    tables : dict
        Table key -> :class:`Table`, in display order.
    notes : list of str
        Message keys or plain text shown under the section heading.

    Examples
    --------
    >>> s = Section("profiles")
    >>> s.add(Table("gender", pd.DataFrame({"n": [3]}), "tables.gender", "n")).key
    'gender'
    >>> list(s.tables)
    ['gender']
    """

    key: SectionKey
    tables: dict[str, Table] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_choice("Section key", self.key, SECTION_KEYS)

    def add(self, table: Table) -> Table:
        """Append ``table`` (its key must be new in this section) and return it."""
        if table.key in self.tables:
            raise SurveyError(f"Section '{self.key}' already has a table '{table.key}'.")
        self.tables[table.key] = table
        return table


@dataclass
class Evaluation:
    """Everything the report shows about one pilot, keyed by section.

    Parameters
    ----------
    pilot_name : str
        The pilot's name (from the pilot file), shown as the report's title.
    lang : {"fr", "en"}
        Language the pilot file asks for (``reports.render`` may override it).
    min_cell : int
        Smallest number of respondents any published figure may rest on.
    sections : dict
        Section key -> :class:`Section`, in display order; absent sections are omitted.
    allow_private : list of str
        Free-text or personal-data columns the pilot file explicitly allows in outputs
        (empty by default: such columns never reach a report).

    Examples
    --------
    >>> ev = Evaluation("Pilote", lang="fr", min_cell=5)
    >>> ev.section("profiles").key
    'profiles'
    >>> list(ev.sections)
    ['profiles']
    """

    pilot_name: str
    lang: Literal["fr", "en"] = "fr"
    min_cell: int = 5
    sections: dict[str, Section] = field(default_factory=dict)
    allow_private: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_choice("lang", self.lang, ("fr", "en"))
        if int(self.min_cell) < 1:
            raise SurveyError(f"min_cell must be at least 1, got {self.min_cell}.")

    def section(self, key: SectionKey) -> Section:
        """Return the section ``key``, adding an empty one at the end if absent."""
        if key not in self.sections:
            self.sections[key] = Section(key)
        return self.sections[key]

    def tables(self):
        """Yield ``(section, table)`` pairs in display order."""
        for section in self.sections.values():
            for table in section.tables.values():
                yield section, table
