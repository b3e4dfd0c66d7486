"""The HTML report: page context built from the prepared tables, rendered by jinja2.

The environment escapes everything by default (``autoescape``): answers, labels and
codes are text, never markup. The only markup inserted as is are the figures' SVG
documents, which matplotlib writes with their text escaped. The page needs nothing
from the network: CSS is inline, figures are inline SVG, there is no script.

This module formats and arranges; it computes no statistic. A baseline verdict is a
choice of sentence from the sign of the difference and the (adjusted) p-value that
``analysis.compare_baseline`` returned.

Which columns a table shows and how its cells read in the report's language is decided
in :mod:`reports.presentation`, shared with the XLSX workbook; this module groups the
rows of each table and assembles the page. How a cell reads in words (intervals,
quartiles, horizons, units) is :mod:`reports.cell_wording`; tables of places laid out
one block per place, and cohort tables one line per month of arrival, are
:mod:`reports.table_layouts`; the summary's key figures are :mod:`reports.key_figures`;
the methods appendix's lists (reading guide, glossary, methods, baseline sources) are
:mod:`reports.methods_appendix`.
A table with nothing to show on the page is named in one line of its section, not
given an empty heading; so are the tables of which nothing is published (one line for
all of a section's, with the reason). The notes on the columns of a table whose rows are
only in the files fold away under its figure (a closed ``<details>``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from reports.baseline_notes import (catalogue_notes, comparison_notes, is_catalogue,
                                    population_sizes)
from reports.cell_wording import (column_headers, distribution_verdict, estimated_totals,
                                  impact_unit, is_distribution_test, quantile_cells,
                                  table_cell, no_exit_yet, unobserved, with_units)
from reports.figure_captions import SCROLL_HINT, figure_caption, left_out_unsaid
from reports.formatting import format_value, signed_scores
from reports.i18n import Catalogue
from reports.impact_notes import impact_assumptions, impact_parameters, is_impact_table
from reports.key_figures import summary_cards, tally
from reports.key_messages import key_messages
from reports.methods_appendix import baseline_sources, glossary, methods_used, reading_guide
from reports.pilot_glance import glance_cards
from reports.presentation import (INTERVALS, Prepared, cell_label, filled_columns, is_comparison,
                                  given_fractions, localised, named_populations, p_values_where_tested,
                                  page_filter, pilot_kinds, pilot_populations, share_mask,
                                  shown_columns, table_kind)
from reports.suppression import SUPPRESSED, numeric_columns
from reports.table_layouts import (by_place, cohort_grid, design_cells, design_columns,
                                   design_notes, growth_notes, is_cohort_table,
                                   is_design_table, is_profile_table, named_sources,
                                   place_cell, place_names, profile_columns, profile_headers,
                                   profile_medians, profile_note, profile_rows,
                                   source_files, curve_stops, label_columns,
                                   p_values_hidden_elsewhere)
from reports.version import bilan_version
from reports.workbook_view import title_population

__all__ = ["MAX_ROWS", "environment", "page", "page_draft"]

#: Rows of a table shown in the HTML (the CSV and XLSX hold every row): a table of at
#: most this many rows is shown whole; a longer one is cut between two of its groups.
MAX_ROWS = 60
#: Rows of a table the page lays out compactly (a cohort grid, places one block each).
_COMPACT_ROWS = 75
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
                places: dict[str, str] | None = None,
                drawing: frozenset[str] = frozenset(),
                files: dict[str, str] | None = None,
                sizes: dict[str, float] | None = None) -> dict:
    """Headers, formatted rows and notes of one table for the template.

    ``places`` maps a place's id to its name (:func:`place_names`): a table that
    gives places by id shows their names; a cohort table is shown as a grid.
    ``drawing`` holds the stems of the tables whose figure is still being drawn.
    ``files`` maps a source to its file (:func:`source_files`), shown beside the
    source in the survey design table. A column empty on every row is left out, and
    a p-value only shows on the rows a test is about (:func:`p_values_where_tested`).
    ``sizes`` maps a source to its population size (:func:`population_sizes`): a clear
    verdict resting on the finite population correction is marked, with its footnote;
    a comparison table says how many tests its Holm families hold, masked ones
    included, and the catalogue of references gives each figure's note under its label
    (:mod:`reports.baseline_notes`).
    """
    table = prepared.table
    frame = named_populations(localised(prepared.data, cat.lang), populations or {})
    if is_cohort_table(frame):
        return _cohort_view(prepared, frame, cat, drawing)
    frame = given_fractions(table, frame)
    frame = p_values_where_tested(frame)
    columns = filled_columns(frame, shown_columns(frame, cat.lang))
    design = is_design_table(frame)
    if design:
        columns = design_columns(columns)
    elif prepared.section == "quality":
        frame, columns = named_sources(frame, columns, populations or {})
    numeric = set(numeric_columns(frame))
    frame, shares, filtered = _filtered(table, frame, share_mask(table, frame))
    frame, columns, folded = by_place(frame, columns)
    if is_distribution_test(frame, columns):
        columns = [*columns, "verdict"]
    profile = is_profile_table(frame, columns)
    gone: list[str] = []
    if profile:     # a variable hidden in every row: named in one line, not rows of dashes
        shown_rows, gone = _published_variables(frame)
        full_rows = frame
        if shown_rows.any():   # else the whole table is withheld, in one sentence
            frame, shares = frame[shown_rows], shares[shown_rows]
        else:
            gone = []
    full = frame
    if profile:     # the reader's columns: the full table's own cells, picked
        picked, medians = profile_rows(frame)
        frame, shares = frame.iloc[picked], shares[picked]
    if table.html_rows is not None:
        limit = table.html_rows
    elif folded is not None and len(frame) <= _COMPACT_ROWS:
        limit = len(frame)  # one compact block per place: every place is shown
    else:
        limit = _row_limit(frame, columns)
    shown = frame.head(limit)
    if profile:
        columns = profile_columns(columns, medians[:limit])
        rows = _view_rows(shown, [c for c in columns if c != "median"], shares, table,
                          numeric, folded, places or {}, cat)
        if "median" in columns:
            at = columns.index("median")
            for row, median in zip(rows, profile_medians(full, medians[:limit], numeric,
                                                          cat)):
                row.insert(at, median)
    else:
        rows = _view_rows(shown, columns, shares, table, numeric, folded, places or {}, cat)
    notes = [cat.text(note) for note in table.notes]
    if is_comparison(frame):
        notes += comparison_notes(rows, columns, full, shown, prepared.data, sizes or {},
                                  populations or {}, cat)
    elif is_catalogue(frame):
        catalogue_notes(rows, columns, shown, cat)
    if design:
        design_cells(rows, columns, shown, populations or {}, files or {}, cat)
        notes += design_notes(frame, columns, cat)
    notes += growth_notes(frame, places or {}, cat)
    if "probability" in columns:
        notes += quantile_cells(rows, columns, shown["probability"].tolist(),
                                prepared.section, cat,
                                whole_months="report.quantiles_in_months" in table.notes)
    if {"at_risk", "estimate"} <= set(columns):
        notes += unobserved(rows, columns, shown["at_risk"].tolist(), cat)
        notes += no_exit_yet(rows, columns, shown, cat)
    leading = [c not in INTERVALS and c not in numeric and c != "verdict" for c in columns]
    _mark_repeats(rows, leading)
    notes[:0] = p_values_hidden_elsewhere(rows, columns, shown, cat)
    if 0 < limit < len(frame):
        notes.append(_OwnNote(cat.text("report.rows_shown", shown=limit, total=len(frame))))
    elif limit == 0:
        notes.append(_OwnNote(cat.text("report.rows_in_files", total=len(frame))))
    if filtered and "report.likert_top2_only" not in table.notes:   # said once: that
        notes.append(_OwnNote(cat.text("report.rows_filtered")))  # note names the rows
    if profile:
        notes += profile_note(full, cat)
    if gone:
        first = full_rows.drop_duplicates("variable").set_index("variable", drop=False)
        notes.append(_OwnNote(cat.text("report.variables_hidden", names=cat.text(
            "report.list_separator").join(cell_label(first.loc[v], "variable", v, cat)
                                          for v in gone))))
    numeric_flags = [c in INTERVALS or c == "median" or (c in numeric and c != "probability")
                     for c in columns]
    headers = column_headers(columns, cat)
    if profile:
        headers = profile_headers(columns, headers, shown["statistic"], cat)
    notes, details = _notes_of_files_only(table, notes, limit == 0 and bool(table.figure), cat)
    if table.figure == "km_curve":
        notes[:0] = [_OwnNote(n) for n in curve_stops(prepared.data, cat)]
    view = _view(prepared, full, headers, numeric_flags, rows, notes, cat, drawing)
    view["details"] = [] if view["withheld"] else details
    # on a phone, every label column of a row stays in view (not only the row header)
    view["labels"] = label_columns(leading, rows) if not numeric_flags[0] else 0
    return view


def _notes_of_files_only(table, notes: list[str], files_only: bool,
                         cat: Catalogue) -> tuple[list[str], list[str]]:
    """The notes shown under a table, and those folded away in a closed ``<details>``:
    a table whose rows are only in the files (its figure is on the page) keeps under
    its figure the notes about its own rows and, for a curve, the analysis' sentences
    about the data (where the curve starts); the definitions of its columns, which the
    reader cannot see, go in the ``<details>`` (the workbook's sheet has them too:
    editorial review 12b, item 8).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> t = Table("c", pd.DataFrame(), "t", notes=["report.curve_counts"], figure="km_curve")
    >>> cat = catalogue("en")
    >>> shown, folded = _notes_of_files_only(t, [cat.text("report.curve_counts"),
    ...                                          _OwnNote("own")], True, cat)
    >>> shown, [n[:15] for n in folded]
    (['own'], ['One row per mon'])
    """
    if not files_only:
        return notes, []
    kept = {cat.text(n) for n in table.notes if table.figure == "km_curve" and not cat.has(n)}
    folded = [n for n in notes if not isinstance(n, _OwnNote) and n not in kept]
    return [n for n in notes if isinstance(n, _OwnNote) or n in kept], folded


def _published_variables(frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The rows of a profile table's variables that have a published row, and the
    variables hidden in every row (every group): the page names those in one line
    instead of printing screens of "—*" (editorial review 12b); the files keep them.

    Examples
    --------
    >>> f = pd.DataFrame({"variable": ["a", "a", "b", "b"],
    ...                   "suppressed": [True, True, False, True]})
    >>> keep, gone = _published_variables(f)
    >>> keep.tolist(), gone
    ([False, False, True, True], ['a'])
    """
    if SUPPRESSED not in frame.columns or "variable" not in frame.columns:
        return np.ones(len(frame), dtype=bool), []
    hidden = frame[SUPPRESSED].fillna(False).astype(bool)
    variables = frame["variable"].astype(object)
    whole = hidden.groupby(variables, sort=False).all()
    gone = [v for v, all_hidden in whole.items() if all_hidden]
    return (~variables.isin(gone)).to_numpy(), gone


def _cohort_view(prepared: Prepared, frame: pd.DataFrame, cat: Catalogue,
                 drawing: frozenset[str] = frozenset()) -> dict:
    """A cohort table as a grid, one line per month of arrival
    (:mod:`reports.table_layouts`); its long form stays in the files."""
    headers, numeric_flags, rows, notes = cohort_grid(frame, cat)
    html_rows = prepared.table.html_rows
    limit = _COMPACT_ROWS if html_rows is None else html_rows
    if 0 < limit < len(rows):
        notes.append(cat.text("report.rows_shown", shown=limit, total=len(rows)))
    elif limit == 0:
        notes = [cat.text("report.rows_in_files", total=len(frame))]
    return _view(prepared, frame, headers, numeric_flags, rows[:limit],
                 [cat.text(note) for note in prepared.table.notes] + notes, cat, drawing)


def _row_limit(frame: pd.DataFrame, columns: list[str]) -> int:
    """How many rows of a table the page shows: all of them up to :data:`MAX_ROWS`;
    a longer table is cut where its first column's group ends (between two variables,
    two studies), never inside one, else after :data:`MAX_ROWS` rows.

    Examples
    --------
    >>> f = pd.DataFrame({"variable": ["a"] * 40 + ["b"] * 30, "n": range(70)})
    >>> _row_limit(f, ["variable", "n"]), _row_limit(f.head(60), ["variable", "n"])
    (40, 60)
    """
    if len(frame) <= MAX_ROWS:
        return len(frame)
    lead = columns[0] if columns else None
    if lead not in frame.columns:
        return MAX_ROWS
    codes = pd.factorize(frame[lead].astype(object), use_na_sentinel=False)[0]
    starts = np.flatnonzero(codes[1:] != codes[:-1]) + 1  # first row of each later group
    starts = starts[starts <= MAX_ROWS]
    return int(starts[-1]) if len(starts) else MAX_ROWS


def _empty_or_hidden(frame: pd.DataFrame, table) -> pd.Series:
    """The rows hidden, or resting on nobody (a category no one chose: its 0 % says
    nothing), of a table; a table of nothing else is withheld whole."""
    out = frame[SUPPRESSED].fillna(False).astype(bool)
    if table.count_column and table.count_column in frame.columns:
        out |= pd.to_numeric(frame[table.count_column], errors="coerce").eq(0)
    return out


class _Pending:
    """The figure of a table, still being drawn: put in when the page is written."""


class _OwnNote(str):
    """A note about its own table's rows ("the 15 rows of this table are in the
    workbook"): said under each table, even right after the same words."""


def _said_once(views: list[dict], keys: list[str]) -> None:
    """Drop, in place, the notes a table shares with the table just above it about the
    same population (the first word of the table's key: ``agents``, ``companies``),
    in one section: a curve, its horizons and its median each explained how hidden
    levels are chosen, three times within a screen (six times in a section). A note
    about the table's own rows (:class:`_OwnNote`) stays.

    Examples
    --------
    >>> views = [{"notes": ["a", "b"]}, {"notes": ["a", _OwnNote("b"), "c"]},
    ...          {"notes": ["a"]}]
    >>> _said_once(views, ["users_curve", "users_median", "agents_curve"])
    >>> [v["notes"] for v in views]
    [['a', 'b'], ['b', 'c'], ['a']]
    >>> views = [{"notes": ["a"]}, {"notes": ["a"]}]
    >>> _said_once(views, ["by_type_zone", "by_place_year"])
    >>> [v["notes"] for v in views]
    [['a'], ['a']]
    """
    above, population = set(), None
    for view, key in zip(views, keys):
        # a key naming no population ("by_type_zone", "by_place_year": attendance) is
        # its own: each attendance table keeps the definitions of its columns
        own = key.split("_")[0] if not key.startswith("by_") else key
        notes = view["notes"]
        if own == population:
            view["notes"] = [n for n in notes if isinstance(n, _OwnNote) or n not in above]
        # a note folded away under a figure (its table in the files) is said there too
        above, population = set(notes) | set(view.get("details", ())), own


def _withheld_why(views: list[dict], cat: Catalogue, min_cell: int) -> str:
    """Why the tables of a section named in its one line of tables withheld whole are
    not printed: one sentence for all of them (editorial review 12b, item 7: headings
    with nothing under them), and where the rows of those that have some publishable
    ones are.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> views = [{"title": "By manager", "withheld_key": "report.withheld"},
    ...          {"title": "By service", "withheld_key": "report.withheld_shown"}]
    >>> _withheld_why(views, catalogue("en"), 5)[:43]
    "None of these tables' figures is published:"
    >>> _withheld_why(views[:1], catalogue("en"), 5)[:42]
    "None of this table's figures is published:"
    """
    if not views:
        return ""
    if len(views) == 1:
        return cat.text(views[0]["withheld_key"], min_cell=min_cell)
    text = cat.text("report.withheld_many", min_cell=min_cell)
    shown = [v["title"] for v in views if v["withheld_key"] == "report.withheld_shown"]
    if shown:
        text += " " + cat.text("report.withheld_many_shown",
                               names=cat.text("report.list_separator").join(shown))
    return text


def _view(prepared: Prepared, frame: pd.DataFrame, headers: list[str],
          numeric_flags: list[bool], rows: list[list[dict]], notes: list[str],
          cat: Catalogue, drawing: frozenset[str] = frozenset()) -> dict:
    """The template's view of one table from its formatted rows. A table whose every
    row is hidden is ``withheld``: one sentence says why, instead of a table of dashes.
    A figure still being drawn (its stem in ``drawing``) is :class:`_Pending`."""
    _classes(rows)
    hidden = bool(frame[SUPPRESSED].any()) if SUPPRESSED in frame.columns else False
    # the footnote of "—*" only under a table showing one (not under a figure whose table
    # is in the files, nor under rows whose hidden ones are cut off)
    starred = any(cell["hidden"] and cell["mark"] == "*" for row in rows for cell in row)
    table = prepared.table
    withheld = hidden and len(frame) > 0 and bool(_empty_or_hidden(frame, table).all())
    # a figure with nothing drawn is its sentence (reports.figures.to_svg): no caption
    text_only = (prepared.figure_svg or "").startswith('<p class="chart-note">')
    if withheld:
        figure = None
    elif prepared.figure_svg:
        figure = Markup(prepared.figure_svg)
    else:
        figure = _Pending() if prepared.stem in drawing else None
    return {
        "id": f"{prepared.section}-{table.key}",
        "key": table.key,
        "title": cat.text(table.title_key),
        "headers": headers,
        "numeric": numeric_flags,
        "narrow": len(headers) <= _NARROW,
        "rows": [] if withheld else rows,
        "hidden": starred and not withheld,
        # a curve keeps its last published level over hidden months (its note says so):
        # only bars and points are left undrawn
        "figure_hidden": (hidden and not withheld and not text_only
                          and left_out_unsaid(table.figure, prepared.data)),
        "withheld": withheld,
        # the page's rows all hidden, but the files keep others (a group's means)
        "withheld_key": ("report.withheld_shown" if withheld and SUPPRESSED in prepared.data
                         and not bool(_empty_or_hidden(prepared.data, table).all())
                         else "report.withheld"),
        "total": format_value(len(prepared.data), "n", cat.lang),
        "notes": [cat.text(note) for note in table.notes] if withheld else notes,
        "figure": figure,
        # on a phone, a figure of long labels left of its points opens on the labels
        "scroll_hint": table.figure in SCROLL_HINT,
        "caption": "" if text_only else figure_caption(prepared, cat),
        "files": prepared.files,
        "details": [],
        "labels": 0,
    }


def _filtered(table, frame: pd.DataFrame, shares: np.ndarray):
    """The rows the page shows (:func:`reports.presentation.page_filter`: the table's
    ``html_filter``, a satisfaction table's mean and share satisfied), their share mask,
    and whether some rows were left to the files."""
    shown = np.ones(len(frame), dtype=bool)
    for column, values in page_filter(table, frame).items():
        if column in frame.columns:
            shown &= frame[column].isin(values).to_numpy()
    return frame[shown], shares[shown], not shown.all()


def _view_rows(frame: pd.DataFrame, columns: list[str], shares: np.ndarray, table,
               numeric: set, folded: list[str] | None, places: dict[str, str],
               cat: Catalogue) -> list[list[dict]]:
    """The formatted cells of the rows shown: shares as percentages, a comparison's
    other values with their units, a place's cell with its name and attributes, a
    distribution test's verdict, an impact indicator with its unit."""
    share_columns = set(table.share_columns)
    if {"ci_low", "ci_high"} & share_columns:
        share_columns.add("ci")
    comparison = is_comparison(frame)
    rows = []
    for position, row in enumerate(_rows(frame)):
        share = bool(shares[position])
        cells = [table_cell(row, c, share and c in share_columns, numeric, cat)
                 for c in columns]
        if comparison and not share:
            with_units(cells, row, columns, cat)
        if "place_id" in columns:
            cells[columns.index("place_id")] = place_cell(row, folded or [], places, cat)
        if columns[-1] == "verdict" and not comparison:  # a distribution test
            cells[-1] = distribution_verdict(row, cat)
        if "per_teleworker" in columns and "indicator" in columns:
            impact_unit(cells[columns.index("indicator")], row["indicator"], cat)
            estimated_totals(cells, row, columns, cat)  # 321 000 km, not 321 217
        signed_scores(cells, row, columns, cat.lang)  # a net promoter score: +7, as its card
        _unmark_labels(cells, columns, numeric)
        rows.append(cells)
    if "count" in columns and "statistic" in columns:  # a profile's statistics, by name
        _blank_counts(rows, columns.index("count"), shares)
    return rows


def _unmark_labels(cells: list[dict], columns: list[str], numeric: set) -> None:
    """Empty, in place, the hidden mark of a label cell: hiding a row hides its numbers
    (and the text written from them: a verdict, a note, a method), never what names it;
    a label left empty (the category of a number variable) is empty by nature, and a
    "—*" there read as a hidden category (editorial review 13, item 5).

    Examples
    --------
    >>> cells = [{"text": "Âge", "num": False, "hidden": False},
    ...          {"text": "—", "num": False, "hidden": True},
    ...          {"text": "—", "num": True, "hidden": True}]
    >>> _unmark_labels(cells, ["variable", "category", "mean"], {"mean"})
    >>> [(c["text"], c["hidden"]) for c in cells]
    [('Âge', False), ('', False), ('—', True)]
    """
    for column, cell in zip(columns, cells):
        if cell["hidden"] and not cell["num"] and column not in numeric \
                and column not in INTERVALS and not column.startswith(_DERIVED_TEXT):
            cell.update(text="", hidden=False, short=True)


#: Text columns written from a row's numbers, hidden with them (reports.suppression).
_DERIVED_TEXT = ("verdict", "note", "method")


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


def _name_populations(views: list[dict], keys: list[str], populations: dict[str, str],
                      cat: Catalogue) -> None:
    """In a section about several populations, each table's title names its own
    (``Recommandation — Agents``), as the workbook's sheets do, unless the title says it
    already: three alike headings of companies, agents and users told a reader arriving
    from a link nothing (editorial review 13, item 7). ``keys`` are the section's
    tables.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> people = {"agents": "Agents", "users": "Usagers"}
    >>> views = [{"key": "agents_nps", "title": "Recommandation"},
    ...          {"key": "users_nps", "title": "Recommandation"}]
    >>> _name_populations(views, ["agents_nps", "users_nps"], people, catalogue("fr"))
    >>> [v["title"] for v in views]
    ['Recommandation — Agents', 'Recommandation — Usagers']
    >>> alone = [{"key": "agents_nps", "title": "Recommandation"}]   # one population
    >>> _name_populations(alone, ["agents_nps", "agents_alpha"], people, catalogue("fr"))
    >>> alone[0]["title"]
    'Recommandation'
    """
    about = {max((n for n in populations if k == n or k.startswith(f"{n}_")), key=len,
                 default="") for k in keys}
    if len(about - {""}) < 2:
        return
    for view in views:
        population = title_population(view["key"], view["title"], populations)
        if population:
            view["title"] = cat.text("report.title_population", title=view["title"],
                                     population=population)


def _technical(prepared: Prepared) -> bool:
    """A table for specialists (scale consistency, model parameters): the appendix."""
    return any(prepared.section == section and prepared.table.key.endswith(suffix)
               for section, suffix in _TECHNICAL)


def _classes(rows: list[list[dict]]) -> None:
    """Give every cell its CSS classes (``cls``) and the keys the template reads, once
    in Python rather than per cell in the template.

    Examples
    --------
    >>> rows = [[{"text": "3", "num": True, "hidden": False, "repeat": True}]]
    >>> _classes(rows); rows[0][0]["cls"], rows[0][0]["detail"], rows[0][0]["mark"]
    ('num repeat', '', '*')
    """
    for row in rows:
        for cell in row:
            detail = cell.setdefault("detail", "")
            cell.setdefault("mark", "*")    # a hidden cell's footnote mark
            cell.setdefault("sup", "")      # a shown cell's footnote mark
            flags = [("hidden", cell["hidden"]), ("wide", cell.get("wide")),
                     ("short", cell.get("short")), ("words", cell.get("words")),
                     ("repeat", cell.setdefault("repeat", False)),
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


def page(evaluation, prepared: list[Prepared], cat: Catalogue, min_cell: int,
         populations: dict[str, str] | None = None, glance: list[dict] | None = None) -> str:
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
    glance : list of dict, optional
        :func:`reports.pilot_glance.glance_cards` of ``prepared``, when the caller has
        them already (the workbook's first sheet).

    Returns
    -------
    str
    """
    return page_draft(evaluation, prepared, cat, min_cell, populations, glance)()


def page_draft(evaluation, prepared: list[Prepared], cat: Catalogue, min_cell: int,
               populations: dict[str, str] | None = None, glance: list[dict] | None = None,
               drawing: frozenset[str] = frozenset()) -> Callable[[], str]:
    """Everything of the page but the figures still being drawn, built now; returns the
    function that writes the page once they are drawn.

    Parameters
    ----------
    evaluation, prepared, cat, min_cell, populations, glance
        As in :func:`page`.
    drawing : frozenset of str
        Stems of the tables whose figure is being drawn meanwhile: their
        ``Prepared.figure_svg`` is read when the returned function is called.

    Returns
    -------
    callable
        Takes no argument and returns the document, the same text as :func:`page`
        gives once every figure is in its ``Prepared.figure_svg``.

    Notes
    -----
    The tables' rows are formatted (most of the page's time) while the figures are
    drawn in another process (:mod:`reports.figure_process`); only the template is
    rendered after them. A figure that comes back empty (no figure) would move its
    table to the one-line list of tables shown elsewhere: the page is then built
    again from the start, as :func:`page` builds it.

    Examples
    --------
    >>> from analysis.evaluation_model import Evaluation, Table
    >>> from reports.i18n import catalogue
    >>> ev = Evaluation("Pilote")
    >>> frame = pd.DataFrame({"indicator": ["km"], "estimate": [12.0]})
    >>> _ = ev.section("impact").add(Table("commute", frame, "t", figure="impact_bars"))
    >>> item = Prepared("impact", ev.sections["impact"].tables["commute"], frame, "i")
    >>> finish = page_draft(ev, [item], catalogue("en"), 5, drawing=frozenset({"i"}))
    >>> item.figure_svg = "<svg>drawn later</svg>"
    >>> "<svg>drawn later</svg>" in finish()
    True
    """
    filled = {p.section for p in prepared}
    order = [s for s in evaluation.sections if s != "methods" and s in filled]
    if "methods" in filled:
        order.append("methods")
    sections = []
    if populations is None:
        populations = pilot_populations(prepared, cat)
    places = place_names(prepared)
    kinds = pilot_kinds(prepared)
    files = source_files(prepared)
    sizes = population_sizes(prepared)
    assumptions = impact_assumptions(impact_parameters(prepared), cat)
    technical, pending = [], []
    for key in order:
        views, moved, elsewhere, shown, withheld, at = [], [], [], [], [], 0
        for item in (p for p in prepared if p.section == key and len(p.data)):
            # a source's variables labelled by its own codebook (sat_overall: the place)
            view = _table_view(item, cat.for_kind(table_kind(item.table.key, kinds)),
                               populations, places, drawing, files, sizes)
            if is_impact_table(item.data) and not view["withheld"]:
                view["notes"][:0] = assumptions    # the model's, under its figures
            if isinstance(view["figure"], _Pending):
                pending.append((view, item))
            if key != "methods" and _technical(item):
                _name_population(view, item.table.key, populations, cat)
                moved.append(view)
            elif not view["rows"] and view["figure"] is None and not view["withheld"]:
                elsewhere.append(view)  # nothing to show on the page: named in one line
            elif view["withheld"]:
                # nothing published: named in one line, where the first such table was
                at = len(views) if not withheld else at
                withheld.append(view)
            else:
                views.append(view)
                shown.append(item.table.key)
        _said_once(views, shown)
        _name_populations(views, [p.table.key for p in prepared
                                  if p.section == key and len(p.data)],
                          populations, cat)
        technical += moved
        if not views and not moved and not elsewhere and not withheld:
            continue
        sections.append({"key": key, "title": cat.text(f"sections.{key}"),
                         "intro": cat.text(f"section_intro.{key}"),
                         "notes": [cat.text(n) for n in evaluation.sections[key].notes],
                         "tables": views, "moved": moved, "elsewhere": elsewhere,
                         "withheld": withheld, "withheld_at": at if withheld else -1,
                         "withheld_why": _withheld_why(withheld, cat, min_cell)})
    body = [s for s in sections if s["key"] != "methods"]
    appendix = next((s for s in sections if s["key"] == "methods"), None)
    cards = summary_cards(prepared, cat, populations)
    if glance is None:
        glance = glance_cards(prepared, cat, populations)
    context = {
        "lang": cat.lang,
        "cat": cat,
        "title": evaluation.pilot_name,
        "sections": body,
        "appendix": appendix,
        "cards": cards,
        "glance": glance,
        "tally": tally(cards, cat),
        "essentials": key_messages(prepared, cat, populations, cards),
        "reading": reading_guide(cat, min_cell),
        "covered": ", ".join(s["title"] for s in body),
        "methods_used": methods_used(prepared, cat),
        "sources": baseline_sources(prepared, cat),
        "glossary": glossary([sections, cards, glance], cat),
        "technical": technical,
        "min_cell": min_cell,
        "min_text": max(min_cell, 10),
        "version": bilan_version(),
    }

    def finish() -> str:
        drawn = [item.figure_svg for _, item in pending]
        if not all(drawn):  # a table without its figure: laid out anew
            return page_draft(evaluation, prepared, cat, min_cell, populations, glance)()
        for (view, _), svg in zip(pending, drawn):
            view["figure"] = Markup(svg)
            if svg.startswith('<p class="chart-note">'):   # nothing drawn: no caption
                view["caption"], view["figure_hidden"] = "", False
        return _template().render(context)

    return finish
