"""Figures read right: locale numbers, labelled axes, greyscale-distinct styles, nothing
cut or hidden under a legend, hidden cells never drawn, the same bytes every run."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.container import BarContainer
from matplotlib.colors import to_rgb
from matplotlib.text import Text

from reports.figures import draw, to_svg
from reports.formatting import NNBSP
from reports.i18n import catalogue

KINDS = ["likert_bars", "km_curve", "baseline_dots", "attendance_series", "impact_bars"]


def _tables(evaluation) -> dict[str, pd.DataFrame]:
    """The data of each figure kind in the hand-built evaluation (shares only for dots)."""
    found = {}
    for section in evaluation.sections.values():
        for table in section.tables.values():
            if table.figure:
                data = table.data
                if table.figure == "baseline_dots":
                    data = data[data["unit"] == "share"]
                found[table.figure] = data
    return found


def _drawn(kind: str, data: pd.DataFrame, lang: str = "fr"):
    """The figure, laid out as it will be written (tick labels computed)."""
    fig = draw(kind, data, lang=lang)
    FigureCanvasAgg(fig).draw()
    return fig


def _luminance(colour) -> float:
    """Greyscale value (0 black, 1 white) as PIL's convert("L") computes it."""
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _texts(fig) -> list[Text]:
    """Every text drawn: figure texts and legends, axis labels, titles, the tick labels
    within the view, and texts written on the axes."""
    texts = list(fig.texts) + [t for legend in fig.legends for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [ax.xaxis.label, ax.yaxis.label, ax.title, *ax.texts]
        for ticks, labels, (low, high) in (
                (ax.get_xticks(), ax.get_xticklabels(), sorted(ax.get_xlim())),
                (ax.get_yticks(), ax.get_yticklabels(), sorted(ax.get_ylim()))):
            texts += [t for v, t in zip(ticks, labels) if low - 1e-9 <= v <= high + 1e-9]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    if fig._supxlabel is not None:
        texts.append(fig._supxlabel)
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _short_curve(n: int = 12) -> pd.DataFrame:
    """A Kaplan–Meier table over less than two months (ticks need decimals)."""
    survival = np.linspace(0.95, 0.5, n)
    return pd.DataFrame({"time": np.linspace(0.1, 1.8, n), "survival": survival,
                         "ci_low": survival - 0.08, "ci_high": np.minimum(survival + 0.05, 1)})


def test_french_ticks_use_a_decimal_comma():
    """Fractional tick labels read 0,3 in French and 0.3 in English."""
    fr = [t.get_text() for t in _drawn("km_curve", _short_curve()).axes[0].get_xticklabels()]
    en = [t.get_text() for t in _drawn("km_curve", _short_curve(), "en").axes[0].get_xticklabels()]
    assert "0,3" in fr and not any("." in t for t in fr)
    assert "0.3" in en and not any("," in t for t in en)


def test_french_thousands_use_a_narrow_space(evaluation):
    """Large tick values read 250 000 in French, with a narrow no-break space."""
    fig = _drawn("impact_bars", _tables(evaluation)["impact_bars"])
    labels = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert f"250{NNBSP}000" in labels


def test_likert_totals_written_as_french_percentages(evaluation):
    """Each bar carries its dissatisfied and satisfied shares, ``72 %`` in French."""
    fig = _drawn("likert_bars", _tables(evaluation)["likert_bars"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:4] == [f"{v}{NNBSP}%" for v in (8, 13, 18, 23)]
    assert texts[4:] == [f"{v}{NNBSP}%" for v in (72, 62, 52, 42)]


def test_likert_totals_written_as_english_percentages(evaluation):
    """In English the percent sign follows the number without a space."""
    fig = _drawn("likert_bars", _tables(evaluation)["likert_bars"], "en")
    assert [t.get_text() for t in fig.axes[0].texts][4:] == ["72%", "62%", "52%", "42%"]


def test_likert_axis_is_symmetric_about_zero(evaluation):
    """Zero sits in the middle, so the two sides compare at a glance."""
    low, high = _drawn("likert_bars", _tables(evaluation)["likert_bars"]).axes[0].get_xlim()
    assert low == -high and high >= 72 + 8


def test_likert_totals_stay_inside_the_axes(evaluation):
    """The written shares are within the axis limits, so none is cut off."""
    ax = _drawn("likert_bars", _tables(evaluation)["likert_bars"]).axes[0]
    low, high = ax.get_xlim()
    assert all(low < t.get_position()[0] < high for t in ax.texts)


def test_likert_hidden_item_has_no_bar_and_no_total(evaluation):
    """An item with a hidden share is neither drawn nor written."""
    data = _tables(evaluation)["likert_bars"].copy()
    data.loc[(data["item"] == "sat_stress") & (data["statistic"] == "top2"), "estimate"] = np.nan
    ax = _drawn("likert_bars", data).axes[0]
    assert len(ax.containers[0]) == 3 and len(ax.texts) == 6
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert catalogue("fr").value("item", "sat_stress") not in labels


@pytest.mark.parametrize("kind", ["likert_bars", "baseline_dots", "attendance_series"])
def test_figure_legend_does_not_cover_the_plot(kind, evaluation):
    """A figure-level legend lies wholly outside every axes."""
    fig = _drawn(kind, _tables(evaluation)[kind])
    renderer = fig.canvas.get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)


def test_km_legend_covers_no_point_of_a_curve(evaluation):
    """The in-axes legend of the survival curves sits where no drawn point is."""
    fig = _drawn("km_curve", _tables(evaluation)["km_curve"])
    ax = fig.axes[0]
    box = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    for line in ax.lines:
        points = ax.transData.transform(np.c_[line.get_xdata(), line.get_ydata()])
        assert not box.count_contains(points)


def test_km_band_named_only_when_drawn():
    """A Turnbull curve without bounds gets no band and no band entry in the legend."""
    data = pd.DataFrame({"curve": "pilot", "time": [0.0, 3.0, 6.0], "survival": [1.0, 0.8, 0.6],
                         "ci_low": np.nan, "ci_high": np.nan, "reference": False})
    ax = _drawn("km_curve", data, "en").axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert "Confidence interval" not in [t.get_text() for t in ax.get_legend().get_texts()]


def test_km_reference_distinct_without_colour(evaluation):
    """Reference and estimate differ by dash, marker and marker fill, not only colour."""
    ax = _drawn("km_curve", _tables(evaluation)["km_curve"]).axes[0]
    estimate, reference = ax.lines
    assert estimate.get_linestyle() != reference.get_linestyle()
    assert estimate.get_marker() != reference.get_marker()
    assert to_rgb(reference.get_markerfacecolor()) == (1.0, 1.0, 1.0)
    assert _luminance(estimate.get_markerfacecolor()) < 0.5
    assert reference.get_zorder() > estimate.get_zorder()  # drawn over where curves meet


def test_km_markers_at_evenly_spaced_times():
    """A long curve is marked at six evenly spaced times, not at its (clustered) rows."""
    time = np.r_[1.0, 2.0, np.linspace(10, 11, 20)]
    data = pd.DataFrame({"time": time, "survival": np.linspace(0.98, 0.6, len(time))})
    line = _drawn("km_curve", data).axes[0].lines[0]
    marks = np.asarray(line.get_xdata())[line.get_markevery()]
    assert len(marks) == 6 and np.allclose(np.diff(marks), 11 / 6)


def test_km_marker_points_lie_on_the_steps():
    """The points added for markers carry the survival of the step they fall on."""
    time = np.r_[1.0, 2.0, np.linspace(10, 11, 20)]
    survival = np.linspace(0.98, 0.6, len(time))
    line = _drawn("km_curve", pd.DataFrame({"time": time, "survival": survival})).axes[0].lines[0]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    step = np.r_[100.0, survival * 100][np.searchsorted(time, x, side="right")]
    assert np.allclose(y, step)


def test_baseline_dots_grouped_under_each_study(evaluation):
    """Rows come under a bold heading naming their study, in table order."""
    ax = _drawn("baseline_dots", _tables(evaluation)["baseline_dots"]).axes[0]
    ticks = sorted(ax.yaxis.get_major_ticks(), key=lambda t: -t.get_loc())
    labels = [t.label1.get_text() for t in ticks]
    assert labels == ["BVA, 2015", "Part d'encadrants (référence\u00a0: télétravailleurs)",
                      "Part d'hommes (référence\u00a0: télétravailleurs)",
                      "Part à plus d'une heure de trajet du travail (référence\u00a0: "
                      "télétravailleurs)", "Citica, 2017",
                      "Part de femmes (référence\u00a0: télétravailleurs de la fonction "
                      "publique)"]
    bold = [t.label1.get_text() for t in ticks if t.label1.get_fontweight() == "bold"]
    assert bold == ["BVA, 2015", "Citica, 2017"]


def test_baseline_dots_at_0_and_100_are_not_clipped():
    """A share of 0 % or 100 % is drawn whole, inside the axis limits."""
    data = pd.DataFrame({"indicator": ["a", "b"], "estimate": [0.0, 1.0], "ci_low": [0.0, 0.9],
                         "ci_high": [0.1, 1.0], "baseline": [0.05, 0.95]})
    low, high = _drawn("baseline_dots", data).axes[0].get_xlim()
    assert low < 0 - 1 and high > 100 + 1


def test_baseline_reference_is_an_open_diamond_under_the_dot(evaluation):
    """The reference diamond is open and drawn below the pilot dot; the pilot leads the legend."""
    fig = _drawn("baseline_dots", _tables(evaluation)["baseline_dots"])
    dots, reference = fig.axes[0].lines[0], fig.axes[0].lines[-1]
    assert reference.get_marker() == "D" and reference.get_markerfacecolor() == "none"
    assert reference.get_zorder() < dots.get_zorder()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Pilote (et intervalle de confiance)", "Référence"]


def test_baseline_labels_do_not_overlap(evaluation):
    """The indicator labels and headings, one per line, never overlap."""
    fig = _drawn("baseline_dots", _tables(evaluation)["baseline_dots"])
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in fig.axes[0].get_yticklabels()),
                   key=lambda b: b.y0)
    assert all(a.y1 <= b.y0 + 0.5 for a, b in zip(boxes, boxes[1:]))


def test_impact_values_written_after_the_whiskers(evaluation):
    """Each estimate is written in French format, to three significant figures as the
    page writes totals (10 614 reads 10 600), to the right of its interval."""
    fig = _drawn("impact_bars", _tables(evaluation)["impact_bars"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [f"10{NNBSP}600"]
    assert ax.texts[0].get_position()[0] > 12100
    assert [t.get_text() for t in fig.axes[-1].texts] == ["193"]


def test_impact_bars_light_so_whiskers_show():
    """Bars are a light fill without hatching; whiskers are dark."""
    data = pd.DataFrame({"indicator": ["km"], "estimate": [100.0], "ci_low": [80.0],
                         "ci_high": [120.0]})
    ax = _drawn("impact_bars", data).axes[0]
    bar = ax.patches[0]
    assert _luminance(bar.get_facecolor()) > 0.7 and not bar.get_hatch()
    bars = next(c for c in ax.containers if isinstance(c, BarContainer))
    whisker = bars.errorbar.lines[2][0]
    assert _luminance(whisker.get_color()[0]) < 0.3


def test_attendance_hidden_period_breaks_the_line():
    """A hidden period is a gap in its line, not bridged by the neighbours."""
    periods = pd.date_range("2016-01-01", periods=4, freq="MS")
    data = pd.DataFrame({"period": periods, "type": "coworking", "zone": "urban",
                         "visits": [10.0, np.nan, 30.0, 40.0]})
    line = _drawn("attendance_series", data).axes[0].lines[0]
    y = np.asarray(line.get_ydata(), float)
    assert len(y) == 4 and np.isnan(y[1]) and np.allclose(y[[0, 2, 3]], [10, 30, 40])


def test_attendance_types_differ_without_colour(evaluation):
    """Each type of place has its own dash pattern and marker."""
    fig = _drawn("attendance_series", _tables(evaluation)["attendance_series"])
    styles = {(h.get_linestyle(), h.get_marker()) for h in fig.legends[0].legend_handles}
    assert len(styles) == len(fig.legends[0].legend_handles) == 3


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_labels_its_axes_in_the_language(kind, lang, evaluation):
    """Each figure's axis labels come from the catalogue of the report's language."""
    fig = _drawn(kind, _tables(evaluation)[kind], lang)
    texts = {ax.get_xlabel() for ax in fig.axes} | {ax.get_ylabel() for ax in fig.axes}
    if fig._supxlabel is not None:
        texts.add(fig._supxlabel.get_text())
    cat = catalogue(lang)
    expected = {v for k, v in cat.messages.items()
                if k.startswith(f"figures.{kind}.") and k.endswith(("xlabel", "ylabel"))}
    assert expected and all(any(e in t for t in texts) for e in expected)


@pytest.mark.parametrize("kind", KINDS)
def test_no_text_runs_off_the_figure(kind, evaluation):
    """Every text (labels, ticks, legends, written values) lies inside the figure."""
    fig = _drawn(kind, _tables(evaluation)[kind])
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        assert (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1
                and box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1), text.get_text()


@pytest.mark.parametrize("kind", KINDS)
def test_figures_fit_a_report_column(kind, evaluation):
    """Each figure is 7.5 in wide (720 CSS px), so it fits a 900 px column unscaled."""
    fig = draw(kind, _tables(evaluation)[kind])
    assert fig.get_figwidth() == 7.5 and fig.get_figheight() <= 12
    assert 'width="540pt"' in to_svg(fig)[:300]


@pytest.mark.parametrize("kind", KINDS)
def test_all_hidden_table_draws_without_warning(kind, evaluation):
    """A table whose values are all hidden draws an empty figure, warning-free."""
    data = _tables(evaluation)[kind].copy()
    numeric = [c for c in ("estimate", "survival", "visits", "ci_low", "ci_high", "baseline")
               if c in data.columns]
    data[numeric] = np.nan
    fig = _drawn(kind, data)
    data_lines = [line for ax in fig.axes for line in ax.lines
                  if line.get_transform() == ax.transData]   # not the zero line of the bars
    assert not any(np.isfinite(line.get_xydata()).all(axis=1).any() for line in data_lines)
    assert not any(len(c) for ax in fig.axes for c in ax.containers if kind != "baseline_dots")


_CHILD = """
import hashlib, sys
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[1])
from conftest import make_evaluation
from test_figures_review import KINDS, _tables
from reports.figures import draw, to_svg
tables = _tables(make_evaluation())
for kind in KINDS:
    print(kind, hashlib.sha256(to_svg(draw(kind, tables[kind]), kind).encode()).hexdigest())
"""


def test_svg_same_bytes_in_a_new_process(evaluation):
    """Every figure's SVG is the same bytes in this process and in a fresh one."""
    tables = _tables(evaluation)
    here = {kind: hashlib.sha256(to_svg(draw(kind, tables[kind]), kind).encode()).hexdigest()
            for kind in KINDS}
    folder = str(__import__("pathlib").Path(__file__).parent)
    done = subprocess.run([sys.executable, "-c", _CHILD, folder], capture_output=True,
                          text=True, check=True)
    there = dict(line.split() for line in done.stdout.strip().splitlines())
    assert there == here


def test_turnbull_curve_says_it_is_seniority():
    """The declared-seniority curve (Turnbull, its table has ``mass``) is labelled as
    the share coming for longer, not the share still attending."""
    from reports.figures import draw

    bands = pd.DataFrame({"time": [0.0, 3.0, 6.0], "survival": [1.0, 0.85, 0.6],
                          "mass": [0.0, 0.15, 0.25]})
    assert draw("km_curve", bands, lang="fr").axes[0].get_ylabel() == \
        "Part des usagers venant depuis plus longtemps (%)"
    plain = bands.drop(columns="mass")
    assert draw("km_curve", plain, lang="fr").axes[0].get_ylabel() == "Part encore présente (%)"
