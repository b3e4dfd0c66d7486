"""``reports.render``: an evaluation written as an HTML report, an XLSX workbook and CSVs.

Every table goes through the same gate before anything is written: columns holding free
text, personal data or people's identifiers are dropped, small cells are suppressed
(primary and secondary), and text that a spreadsheet could run as a formula is
neutralised. Figures are drawn from the suppressed tables, so a hidden value is neither
printed nor drawn. Sections absent from the evaluation, and sections without tables,
are left out.

The HTML and the CSV files are the same bytes for the same input: nothing in them
depends on the clock, the machine or a random id.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from reports.curve_grid import (published_bands, published_curve, published_horizons,
                                published_quantiles)
from reports.figure_process import start_drawing
from reports.html import page_draft
from reports.i18n import catalogue, check_lang
from reports.pilot_glance import glance_cards
from reports.presentation import (Prepared, named_populations, pilot_kinds,
                                  pilot_populations, share_mask, table_kind)
from reports.safe_output import drop_private, make_safe, neutralise_frame
from reports.suppression import SUPPRESSED, suppress_table
from reports.table_layouts import place_names
from reports.csv_numbers import published_numbers
from reports.baseline_notes import population_sizes
from reports.workbook_view import SCORE_FORMAT, page_numbers, workbook_table
from reports.xlsx import Sheet, numbered_name, write_workbook
from surveys.errors import SurveyError

__all__ = ["REPORT_NAME", "WORKBOOK_NAME", "prepare", "render"]

#: File names of the report and the workbook inside ``out_dir``.
REPORT_NAME = "report.html"
WORKBOOK_NAME = "tables.xlsx"
_CSV_DIR = "csv"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _stem(section: str, key: str, used: set[str]) -> str:
    """A file-name stem ``<section>_<table>``, safe on every system and unique."""
    base = _UNSAFE.sub("-", f"{section}_{key}").strip("-").lower() or "table"
    stem, number = base, 1
    while stem in used:
        number += 1
        stem = f"{base}-{number}"
    used.add(stem)
    return stem


def _figure_data(table, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a figure draws: for baseline dots, only rows holding shares."""
    if table.figure == "baseline_dots" and table.share_rows:
        return frame[share_mask(table, frame)]
    return frame


def prepare(evaluation, *, min_cell: int = 5, lang: str = "fr",
            figures: bool = True) -> list[Prepared]:
    """Every table of ``evaluation`` made safe to publish, with its figure drawn.

    Parameters
    ----------
    evaluation : analysis.Evaluation
    min_cell : int
        Suppression threshold; the larger of this and ``evaluation.min_cell`` is used.
    lang : {"fr", "en"}
        Language of the figure texts.
    figures : bool
        Draw the figures (as SVG text in ``Prepared.figure_svg``).

    Returns
    -------
    list of Prepared
        In display order, ``methods`` last; each ``data`` is suppressed and free of
        private columns, but its text is not yet neutralised (that is done on writing).
    """
    floor = max(int(min_cell), int(evaluation.min_cell))
    used: set[str] = set()
    prepared, appendix = [], []
    for key, section in evaluation.sections.items():
        for table in section.tables.values():
            # a curve of people's stays at each month's end, not at each one's exit,
            # its steps each of enough exits; its horizons and quantiles as it gives them
            curve = _sibling(section, table, "_curve")
            table = published_curve(table, floor)
            table = published_bands(table, floor)
            table = published_horizons(table, curve, floor)
            table = published_quantiles(table, curve, floor)
            frame = drop_private(suppress_table(table, floor), evaluation.allow_private)
            item = Prepared(key, table, frame, _stem(key, table.key, used))
            (appendix if key == "methods" else prepared).append(item)
    prepared += appendix
    if figures:
        _draw_figures(prepared, lang)()
    return prepared


def _sibling(section, table, suffix: str):
    """The table of the same set of stays with the key ending in ``suffix`` (the
    ``<name>_curve`` beside ``<name>_horizons`` and ``<name>_median``), or None."""
    for own in ("_curve", "_horizons", "_median"):
        if table.key.endswith(own):
            return section.tables.get(table.key[: -len(own)] + suffix)
    return None


def _draw_figures(prepared: list[Prepared], lang: str, *, fork: bool | None = False):
    """Start drawing each table's figure; return the function that puts each SVG into
    its table's ``figure_svg`` (waiting for the drawing). A comparison's pilot sources
    are named as the populations they describe, so that its groups say whom they are
    about. With ``fork`` (None: where it pays) the figures are drawn in a second
    process meanwhile (:mod:`reports.figure_process`)."""
    populations = pilot_populations(prepared, catalogue(lang))
    drawn = [item for item in prepared if item.table.figure]
    kinds = pilot_kinds(prepared)
    # drawn from the published precision too: a point's position in the SVG would
    # otherwise give its figure to eight digits (review 10d)
    jobs = [(item.stem, item.table.figure,
             _of_kind(named_populations(_figure_data(item.table, published_numbers(item)),
                                        populations),
                      table_kind(item.table.key, kinds)))
            for item in drawn]
    svgs = start_drawing(jobs, lang, fork=fork)

    def finish() -> None:
        texts = svgs()
        for item in drawn:
            item.figure_svg = texts[item.stem]

    return finish


def _of_kind(frame: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """The figure's data, told the kind of source it is about (its labels' codebook);
    a shallow copy, so that the published table itself is left as it is."""
    frame = frame.copy(deep=False)
    frame.attrs["source_kind"] = kind
    return frame


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Machine-format CSV (RFC 4180): UTF-8, CRLF line ends, so that a CR or LF inside
    a text cell is quoted; ISO dates; empty for missing."""
    frame.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8",
                 date_format="%Y-%m-%d")
    return path


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and restore its state on exit.

    Drawing and writing allocate hundreds of thousands of containers (matplotlib
    artists, cell texts): every 700 of them trigger a collection, and up to every
    hundredth of those is a full one, walking every live object of the process
    (pandas, scipy, matplotlib, the evaluation); together about a sixth of the
    rendering time. Objects freed by reference counting are freed as usual; the
    cycles made meanwhile (the figures) are collected once, at the first allocation
    after the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sheet(item: Prepared, cat, floor: int, number: int, populations: dict,
           kinds: dict, places: dict | None = None, sizes: dict | None = None) -> Sheet:
    """The workbook sheet of one table: the report's table in the report's language
    (:mod:`reports.workbook_view`), text made formula-safe, its notes for the contents;
    ``sizes`` (population sizes) mark the verdicts a finite-population test gave."""
    view = workbook_table(item, cat.for_kind(table_kind(item.table.key, kinds)), populations,
                          places, sizes)
    notes = [cat.text(note) for note in item.table.notes] + view.notes
    if SUPPRESSED in item.data.columns and item.data[SUPPRESSED].fillna(False).any():
        notes.append(cat.text("report.suppressed_note", min_cell=floor))
    # the title names the table's population where it does not already (view.title)
    name = numbered_name(number, cat.text(item.table.title_key), view.population)
    return Sheet(name, view.title, neutralise_frame(view.data), view.percent, notes,
                 view.formats)


def _check(evaluation, min_cell) -> None:
    """Raise :class:`SurveyError` for a wrong argument."""
    if not hasattr(evaluation, "sections"):
        raise SurveyError(
            f"render() needs an analysis.Evaluation, got {type(evaluation).__name__}; "
            "build one with analysis.evaluate(pilot)."
        )
    if int(min_cell) < 1:
        raise SurveyError(f"min_cell must be at least 1, got {min_cell}.")


def render(evaluation, out_dir, *, lang: Literal["fr", "en"] = "fr",
           min_cell: int = 5) -> list[Path]:
    """Write the evaluation's report (HTML), workbook (XLSX) and tables (CSV).

    Parameters
    ----------
    evaluation : analysis.Evaluation
        What ``analysis.evaluate(pilot)`` returned.
    out_dir : str or Path
        Folder to write into (created if needed): ``report.html``, ``tables.xlsx``
        and ``csv/<section>_<table>.csv``.
    lang : {"fr", "en"}
        Language of every heading, label, verdict and figure text, and number format
        of the HTML. The XLSX sheets are the report's tables in that language, with
        numbers a spreadsheet can compute with; the CSV files are the machine tables.
    min_cell : int
        No published cell, bar or point rests on fewer respondents (the larger of this
        and the evaluation's own ``min_cell`` is used; 10 at least for tables derived
        from free text).

    Returns
    -------
    list of Path
        The files written: the HTML report, the workbook, then one CSV per table.

    Notes
    -----
    No statistic is computed here: tables are published as ``analysis`` returned
    them, minus suppressed values and private columns.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.evaluation_model import Evaluation, Table
    >>> ev = Evaluation("Pilote")
    >>> _ = ev.section("profiles").add(Table(
    ...     "gender", pd.DataFrame({"gender": ["F", "M"], "n": [12, 3]}),
    ...     "Genre", count_column="n"))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in render(ev, folder)]
    ['report.html', 'tables.xlsx', 'profiles_gender.csv']
    """
    check_lang(lang)
    _check(evaluation, min_cell)
    floor = max(int(min_cell), int(evaluation.min_cell))
    with _collector_paused():
        return _render(evaluation, Path(out_dir), lang, floor)


def _glance_sheet(cards: list[dict], cat) -> Sheet | None:
    """The pilot at a glance as the workbook's first sheet: the report's opening cards,
    one per row, as the page writes them (ready to paste into a slide)."""
    if not cards:
        return None
    columns = [cat.column(c) for c in ("indicator", "value", "unit", "detail")]
    data = pd.DataFrame([[c["indicator"], c["number"], c["unit"], c["detail"]] for c in cards],
                        columns=columns)
    title = cat.text("glance.title")
    percent = {columns[1]: np.array([c["share"] for c in cards])}
    # the figures as the page writes them, with as many decimals (not General)
    data[columns[1]], formats = page_numbers(data[columns[1]], "value", percent[columns[1]])
    signed = np.array([bool(c.get("signed")) for c in cards])  # a score: +7, as the card
    formats = np.where(signed, SCORE_FORMAT, formats)
    return Sheet(title, title, neutralise_frame(data), percent,
                 formats={columns[1]: formats})


def _render(evaluation, out: Path, lang: str, floor: int) -> list[Path]:
    """:func:`render` once its arguments are checked."""
    (out / _CSV_DIR).mkdir(parents=True, exist_ok=True)
    cat = catalogue(lang)
    prepared = prepare(evaluation, min_cell=floor, lang=lang, figures=False)
    # the figures are drawn (in a second process where it pays) while the files are
    # written and the page's tables formatted; the page is finished once they are drawn
    figures = _draw_figures(prepared, lang, fork=None)
    try:
        csv_paths, sheets = [], []
        populations, kinds = pilot_populations(prepared, cat), pilot_kinds(prepared)
        places, sizes = place_names(prepared), population_sizes(prepared)
        for item in prepared:
            # the small-cell rule's bookkeeping (the fewest people a row rests on) is not a
            # figure of the report: with a test's statistic it gave pairs' moves back
            published = published_numbers(item).drop(columns=["cell_count"], errors="ignore")
            safe = make_safe(published, evaluation.allow_private)
            csv_paths.append(_write_csv(safe, out / _CSV_DIR / f"{item.stem}.csv"))
            item.files = [f"{_CSV_DIR}/{item.stem}.csv"]
            sheets.append(_sheet(item, cat, floor, len(sheets) + 1, populations, kinds, places,
                                 sizes))
        glance = glance_cards(prepared, cat, populations)
        first = _glance_sheet(glance, cat)
        xlsx_path = write_workbook(
            out / WORKBOOK_NAME, ([first] if first else []) + sheets, contents_title=cat.text("report.contents"),
            contents_headers=[cat.column("table"), cat.column("title"), cat.column("note")],
            notes=[cat.text("report.workbook_intro"),
                   cat.text("report.workbook_note", min_cell=floor, column=SUPPRESSED),
                   cat.text("report.privacy", min_cell=floor)],
        )
        drawing = frozenset(item.stem for item in prepared if item.table.figure)
        draft = page_draft(evaluation, prepared, cat, floor, populations, glance,
                           drawing=drawing)
    finally:  # the drawing process ends here, whatever happened meanwhile
        figures()
    html_path = out / REPORT_NAME
    html_path.write_text(draft(), encoding="utf-8")
    return [html_path, xlsx_path, *csv_paths]
