"""Rendering's shortcuts give what the plain paths gave: the SVG without the figure's
empty layout pass, the page formatted while its figures are drawn, and mixed
percentage columns in the workbook's fast path."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from openpyxl import load_workbook

from reports import figures, xlsx
from reports.figure_process import draw_all
from reports.figures import draw, to_svg
from reports.html import page, page_draft
from reports.i18n import catalogue
from reports.presentation import pilot_populations
from reports.render import _figure_data, prepare
from reports.xlsx import Sheet, write_workbook


@pytest.fixture
def prepared(evaluation):
    """The hand-built evaluation's tables, suppressed, figures not drawn."""
    return prepare(evaluation, figures=False)


def _jobs(prepared) -> list:
    return [(item.stem, item.table.figure, _figure_data(item.table, item.data))
            for item in prepared if item.table.figure]


def test_svg_is_the_same_without_the_layout_shortcut(prepared, monkeypatch):
    """Every figure kind: the SVG text equals the one saved with matplotlib's own layout pass."""
    jobs = _jobs(prepared)
    assert {kind for _, kind, _ in jobs} >= {"likert_bars", "km_curve", "impact_bars"}
    for lang in ("fr", "en"):
        fast = {stem: to_svg(draw(kind, data, lang=lang), stem) for stem, kind, data in jobs}
        with monkeypatch.context() as patch:
            patch.setattr(figures, "_layout_only_pass", lambda fig: contextlib.nullcontext())
            plain = {stem: to_svg(draw(kind, data, lang=lang), stem) for stem, kind, data in jobs}
        assert fast == plain


def test_layout_pass_draws_no_artist(monkeypatch):
    """Saving a figure draws its axes once (the layout pass only lays them out)."""
    calls = []
    real = Axes.draw
    monkeypatch.setattr(Axes, "draw",
                        lambda self, renderer: calls.append(1) or real(self, renderer))
    fig = draw("impact_bars", pd.DataFrame({"indicator": ["km"], "estimate": [3.0]}))
    to_svg(fig)
    assert len(calls) == len(fig.axes) == 1
    with monkeypatch.context() as patch:
        patch.setattr(figures, "_layout_only_pass", lambda fig: contextlib.nullcontext())
        to_svg(fig)
    assert len(calls) == 3  # matplotlib's own: a layout pass that draws, then the drawing


def test_layout_shortcut_leaves_the_figure_as_it_was():
    """After saving, the figure has no drawing method of its own left behind."""
    fig = draw("impact_bars", pd.DataFrame({"indicator": ["km"], "estimate": [3.0]}))
    to_svg(fig)
    assert "draw" not in vars(fig)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_draft_gives_the_page(evaluation, prepared, lang):
    """A page formatted before its figures are drawn is the page formatted after."""
    cat = catalogue(lang)
    populations = pilot_populations(prepared, cat)
    drawing = frozenset(item.stem for item in prepared if item.table.figure)
    finish = page_draft(evaluation, prepared, cat, 5, populations, drawing=drawing)
    svgs = draw_all(_jobs(prepared), lang)
    for item in prepared:
        item.figure_svg = svgs.get(item.stem)
    text = finish()
    assert text == page(evaluation, prepared, cat, 5, populations)
    # each drawing whole, after its <svg> tag (where the page names the figure)
    assert all(svg.split(">", 1)[1] in text for svg in svgs.values())


def test_page_draft_without_its_figure_is_laid_out_anew(evaluation, prepared):
    """A figure that comes back empty: the page is the one built without it."""
    cat = catalogue("en")
    drawing = frozenset(item.stem for item in prepared if item.table.figure)
    finish = page_draft(evaluation, prepared, cat, 5, drawing=drawing)
    assert finish() == page(evaluation, prepared, cat, 5)


def _mixed_sheet(n: int = 40) -> Sheet:
    """An estimate column holding shares and means, some hidden, some shown as a %."""
    estimate = np.linspace(0.05, 40.0, n)
    estimate[::7] = np.nan
    shares = (np.arange(n) % 3 != 0) & ~np.isnan(estimate)
    frame = pd.DataFrame({"variable": [f"v{i % 4}" for i in range(n)], "n": np.arange(n),
                          "estimate": estimate, "when": pd.date_range("2020-01-01", periods=n)})
    return Sheet("t", "T", frame, {"estimate": shares})


def _cells(path) -> list:
    sheet = load_workbook(path)["t"]
    return [(c.coordinate, c.value, c.data_type, c.number_format)
            for row in sheet.iter_rows() for c in row if c.value is not None or c.has_style]


def test_mixed_percent_column_is_written_as_openpyxl_writes_it(tmp_path, monkeypatch):
    """A column mixing shares and means: fast path, cells and formats as openpyxl's."""
    returned = []
    real = xlsx._write_table
    monkeypatch.setattr(xlsx, "_write_table",
                        lambda *a: returned.append(real(*a)) or returned[-1])
    sheet = _mixed_sheet()
    write_workbook(tmp_path / "fast.xlsx", [sheet], contents_title="C",
                   contents_headers=["sheet", "title"])
    assert returned[-1] is not None  # the rows were spliced in, not written by openpyxl

    def refuse(*args, **kwargs):
        raise TypeError("openpyxl writes every row")

    monkeypatch.setattr(xlsx, "_rows_xml", refuse)
    write_workbook(tmp_path / "slow.xlsx", [sheet], contents_title="C",
                   contents_headers=["sheet", "title"])
    assert returned[-1] is None
    fast, slow = _cells(tmp_path / "fast.xlsx"), _cells(tmp_path / "slow.xlsx")
    assert fast == slow
    percent = sum(fmt == xlsx.PERCENT_FORMAT for *_, fmt in fast)
    assert percent == int(sheet.percent["estimate"].sum())
