"""Figures of the report, drawn with matplotlib (seaborn's palettes) from the tables analysis returned.

Each function takes a tidy table (already suppressed: hidden rows hold missing values and
are simply not drawn) and returns a :class:`matplotlib.figure.Figure` built without
pyplot, so no global figure state is kept. Every text comes from the message catalogue;
shares are drawn as percentages, and every number (ticks, written values) is in the
report language's format (``2,5``, ``250 000``, ``45 %`` in French). Figures stay
readable in greyscale: dissatisfied segments are hatched, lines carry markers and dash
patterns, reference values are open markers on dashed lines, not only a colour. Every
figure is 7.5 inches (720 CSS pixels) wide, so all read at one scale in the report's
column; legends sit outside the plotting area or where no point is drawn.

The style every figure shares (settings, ink, markers, locale axes) is
:mod:`reports.figure_style`. :func:`to_svg` writes a figure as SVG text that is the
same bytes for the same input (fixed ``svg.hashsalt``, no date in the metadata, text
kept as text).

Expected columns, by figure kind:

- ``likert_bars``: ``item`` plus either ``category`` (scale points) and ``estimate``
  (share of answers), or ``statistic`` (``top2``, ``bottom2``) and ``estimate`` as
  ``analysis.likert`` returns them.
- ``km_curve``: ``time``, ``survival``, optional ``ci_low``/``ci_high``, optional
  ``curve`` (one curve per value) and ``reference`` (bool: a reference curve).
- ``baseline_dots``: ``indicator``, ``estimate``, ``ci_low``, ``ci_high``, ``baseline``,
  optional ``source_id`` (study) and ``source`` (the pilot's population), which group rows.
- ``attendance_series``: ``period``, ``visits`` (or ``users``), ``type``, ``zone`` and,
  when there are several rows per period, type and zone, ``place_id``.
- ``impact_bars``: ``indicator``, ``estimate``, optional ``ci_low``/``ci_high``.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from collections.abc import Iterator
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports.figure_style import (DASHES, HATCHES, INK, MARKERS, STYLE, month_axis,
                                  new_figure, number_axis, percent_axis, plain)
from reports.formatting import format_number, format_percent, format_significant
from reports.cell_wording import indicator_label
from reports.i18n import catalogue
from surveys.errors import SurveyError

__all__ = [
    "STYLE",
    "likert_bars",
    "km_curve",
    "baseline_dots",
    "attendance_series",
    "impact_bars",
    "draw",
    "to_svg",
]

Lang = Literal["fr", "en"]

_UNITS = {"trips": "trips", "km": "km", "hours": "hours", "co2_kg": "co2_kg"}


#: Seaborn's qualitative palettes used here (``seaborn.palettes.SEABORN_PALETTES``),
#: copied so that drawing needs no seaborn import (about a second at start-up).
_QUALITATIVE = {
    "dark": ["#001C7F", "#B1400D", "#12711C", "#8C0800", "#591E71",
             "#592F0D", "#A23582", "#3C3C3C", "#B8850A", "#006374"],
    "colorblind": ["#0173B2", "#DE8F05", "#029E73", "#D55E00", "#CC78BC",
                   "#CA9161", "#FBAFE4", "#949494", "#ECE133", "#56B4E9"],
}


def _palette(name: str, n_colors: int) -> list[tuple[float, float, float]]:
    """``seaborn.color_palette(name, n_colors)``, the same RGB values, without seaborn.

    A qualitative palette (``dark``, ``colorblind``) is cycled; a matplotlib colormap
    (``RdBu``, ``Greys``) is sampled at ``n_colors`` evenly spaced inner points, as
    seaborn's ``mpl_palette`` does.

    Examples
    --------
    >>> _palette("dark", 2)[0]
    (0.0, 0.10980392156862745, 0.4980392156862745)
    >>> len(_palette("dark", 12)), _palette("dark", 12)[10] == _palette("dark", 1)[0]
    (12, True)
    """
    if name in _QUALITATIVE:
        colours = _QUALITATIVE[name]
        chosen = [colours[i % len(colours)] for i in range(n_colors)]
    else:
        bins = np.linspace(0, 1, int(n_colors) + 2)[1:-1]
        chosen = list(map(tuple, mpl.colormaps[name](bins)[:, :3]))
    return [to_rgb(colour) for colour in chosen]


def _likert_segments(data: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Shares (in %) per item and segment, negative segments first (innermost last).

    Returns a frame indexed by item with one column per segment, and the segment
    kinds (``neg``, ``neu``, ``pos``) in column order. Every item of ``data`` has its
    row, in the order of ``data``: an item whose shares are all hidden (missing) keeps a
    row of missing values, so that it is counted among the items left out.

    Examples
    --------
    >>> data = pd.DataFrame({"item": ["a", "a", "b", "b"],
    ...                      "statistic": ["top2", "bottom2"] * 2,
    ...                      "estimate": [0.5, 0.2, None, None]})
    >>> shares, kinds = _likert_segments(data)
    >>> shares.index.tolist(), shares.isna().all(axis=1).tolist(), kinds
    (['a', 'b'], [False, True], ['neg', 'neu', 'pos'])
    """
    if "category" in data.columns:
        wide = data.pivot_table(index="item", columns="category", values="estimate",
                                aggfunc="first", sort=False, observed=True, dropna=False)
        wide = wide.reindex(_items(data))
        points = sorted(wide.columns)
        middle = len(points) / 2
        kinds = ["neg" if i + 0.5 < middle else "pos" if i + 0.5 > middle else "neu"
                 for i in range(len(points))]
        return wide[points] * 100, kinds
    rows = data[data["statistic"].isin(["bottom2", "top2"])]
    wide = rows.pivot_table(index="item", columns="statistic", values="estimate",
                            aggfunc="first", sort=False, observed=True, dropna=False)
    wide = wide.reindex(index=_items(rows), columns=["bottom2", "top2"])
    wide.insert(1, "neutral", 1 - wide["bottom2"] - wide["top2"])
    return wide * 100, ["neg", "neu", "pos"]


def _items(data: pd.DataFrame) -> list:
    """The items of a Likert table, each once, in their order (a categorical column's
    values present, not its unused categories)."""
    return list(dict.fromkeys(data["item"].tolist()))


def likert_bars(data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """Diverging stacked bars: dissatisfied to the left of zero, satisfied to the right.

    The neutral segment (if any) straddles zero, and the axis is symmetric about it so
    that the two sides compare at a glance. The share of dissatisfied answers is written
    at the left end of each bar, the share of satisfied ones at the right end (``45 %``
    in French). Items with a hidden value are left out (those wholly hidden too), and a
    line under the bars says how many; when none can be drawn, the figure is that line
    alone, with no empty axes. The containers of the axes are,
    in order, the segments from the most negative to the most positive; their bar
    widths are the shares in percent. The legend is above the bars.
    """
    cat = catalogue(lang).for_kind(data.attrs.get("source_kind"))  # its codebook's labels
    shares, kinds = _likert_segments(data)
    left_out = int(shares.isna().any(axis=1).sum())
    shares = shares.dropna(how="any")
    if shares.empty and left_out:  # nothing to draw: the line saying why, no empty axes
        return _left_out_only(cat.text("figures.likert_bars.none_drawn"))
    fig = new_figure(7.5, 1.25 + 0.42 * max(len(shares), 1) + (0.3 if left_out else 0))
    ax = fig.add_subplot()
    negative = shares.iloc[:, [k == "neg" for k in kinds]].sum(axis=1).to_numpy()
    positive = shares.iloc[:, [k == "pos" for k in kinds]].sum(axis=1).to_numpy()
    neutral = shares.iloc[:, [k == "neu" for k in kinds]].sum(axis=1).to_numpy()
    y = np.arange(len(shares))[::-1]
    colours = _palette("RdBu", len(kinds))
    start = -neutral / 2 - negative
    names = _likert_names(cat, kinds, shares.columns)
    for i, (column, kind) in enumerate(zip(shares.columns, kinds)):
        width = shares[column].to_numpy()
        ax.barh(y, width, left=start, color=colours[i], edgecolor=INK, linewidth=0.4,
                hatch=("xx" if i == 0 and kinds.count("neg") > 1 else "//") if kind == "neg" else "",
                label=plain(names[i]), height=0.62)
        start = start + width
    _likert_totals(ax, y, -neutral / 2 - negative, negative, neutral / 2 + positive, positive, lang)
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(y, [plain(cat.value("item", item)) for item in shares.index])
    ax.set_ylim(-0.6, len(shares) - 0.4)
    _likert_limits(ax, np.r_[neutral / 2 + negative, neutral / 2 + positive])
    ax.set_xlabel(cat.text("figures.likert_bars.xlabel"))
    percent_axis(ax.xaxis, lang, absolute=True)
    fig.legend(loc="outside upper center", ncol=len(kinds), frameon=False, fontsize=8)
    if left_out:  # said on the figure, so that a missing question is not read as absent
        _left_out_line(fig, cat.text("figures.likert_bars.left_out", count=left_out))
    return fig


def _left_out_only(text: str) -> Figure:
    """A figure with nothing left to draw: the line saying why, no empty axes."""
    fig = new_figure(7.5, 0.45)
    fig.text(0.01, 0.5, plain(text), fontsize=7.5, color=INK, ha="left", va="center")
    return fig


def _left_out_line(fig: Figure, text: str) -> None:
    """Say under the plot how many rows were left out (hidden values), in a strip the
    layout leaves free under the axis label, so that a missing row is not read as
    absent. The figure was made 0.3 inch taller for it."""
    strip = 0.28 / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, strip, 1, 1 - strip))
    fig.text(0.01, 0.005, plain(text), fontsize=7.5, color=INK, ha="left", va="bottom")


def _likert_names(cat, kinds: list[str], columns) -> list[str]:
    """Legend names of the segments: three groups, or the five scale points."""
    if len(kinds) == 3:
        return [cat.text(f"figures.likert_bars.{k}") for k in ("negative", "neutral", "positive")]
    names = list(cat.messages.get("figures.likert_bars.points", []))
    return names if len(names) == len(kinds) else [str(c) for c in columns]


def _likert_totals(ax, y, left, negative, right, positive, lang: Lang) -> None:
    """The dissatisfied share left of each bar, the satisfied share right of it."""
    gap = 1.0
    for ends, shares, side in ((left, negative, "right"), (right, positive, "left")):
        sign = -1 if side == "right" else 1
        for end, share, row in zip(ends, shares, y):
            ax.text(end + sign * gap, row, format_percent(share / 100, lang), ha=side,
                    va="center", fontsize=7.5, color=INK)


def _likert_limits(ax, extents: np.ndarray) -> None:
    """A symmetric axis about zero with room for the totals; ticks every 20 or 25 %."""
    reach = float(np.nanmax(extents)) if len(extents) else 50.0
    limit = min(np.ceil((reach + 11) / 10) * 10, 115.0)
    ax.set_xlim(-limit, limit)
    step = 25 if limit > 80 else 20
    ticks = np.arange(-100, 101, step)
    ax.set_xticks(ticks[np.abs(ticks) <= min(limit, 100)])


def _curve_names(data: pd.DataFrame) -> list:
    """The distinct curves of a survival table, in order of appearance."""
    if "curve" not in data.columns:
        return [None]
    return list(pd.unique(data["curve"].dropna()))


#: A curve with more rows than this is thinned for drawing (see :func:`_thin_steps`).
_MAX_DRAWN = 2000
_GRID = 1000


def _thin_steps(rows: pd.DataFrame, columns: list[str], keep: np.ndarray) -> np.ndarray:
    """Which rows of a long step curve (sorted by time) change the picture.

    Each drawn column is cut into ``_GRID`` equal bins over its range; a row is kept
    when one of its values falls in another bin than the previous row's; the last row
    and the rows marked in ``keep`` are kept too. A dropped
    row lies in the same bins as a kept row before it, so the drawn curve moves by
    less than 1/1000 of an axis, and a curve with one row per distinct time (hundreds
    of thousands for a check-in log) is drawn with a few thousand points. The table
    itself is not changed.
    """
    if len(rows) <= _MAX_DRAWN:
        return np.ones(len(rows), bool)
    keys = []
    for column in columns:
        values = rows[column].to_numpy(float)
        finite = values[np.isfinite(values)]
        low, span = (finite.min(), np.ptp(finite) or 1.0) if len(finite) else (0.0, 1.0)
        keys.append(np.nan_to_num(np.floor((values - low) / span * _GRID), nan=-1.0))
    moved = (np.diff(np.vstack(keys), axis=1) != 0).any(axis=0)
    kept = np.r_[True, moved] | keep
    kept[-1] = True
    return kept


def km_curve(data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """Step curves of the share still attending, with confidence bands.

    One step line per ``curve`` (Kaplan–Meier, Turnbull...), each starting at 100 % at
    time 0, with its confidence band when the table has one (the legend names a band
    only when one is drawn). Reference curves (``reference`` True, e.g.
    Nouvelle-Aquitaine 2016) are dashed, in the reference colour, with open square
    markers at their published points and no band, and drawn over the estimates so
    that they stay visible where the curves meet. Lines are in ``ax.lines`` in curve
    order, their y data the survival in percent. A curve of up to eight rows is marked
    at each row; a longer one at six evenly spaced times (points added on its steps,
    which do not move it), not at arbitrary rows that would read as censoring marks.
    A curve of more than 2,000 rows is drawn from the rows that move it by at least
    1/1000 of an axis (:func:`_thin_steps`).
    """
    cat = catalogue(lang)
    fig = new_figure(7.5, 4.0)
    ax = fig.add_subplot()
    colours = _palette("dark", 8)
    names = _curve_names(data)
    estimates = [n for n in names if not _is_reference(data, n)]
    banded = False
    for i, name in enumerate(names):
        rows = data if name is None else data[data["curve"] == name]
        rows = rows.dropna(subset=["time", "survival"]).sort_values("time")
        kept = _thin_steps(rows, [c for c in ("time", "survival", "ci_low", "ci_high")
                                  if c in rows.columns], np.zeros(len(rows), bool))
        rows = rows[kept]
        label = plain(cat.value("curve", name) if name is not None
                      else cat.text("figures.km_curve.estimate"))
        time, surv = rows["time"].to_numpy(float), rows["survival"].to_numpy(float) * 100
        if name is not None and name not in estimates:
            ax.plot(time, surv, linestyle="--", marker="s", color=_REFERENCE, label=label,
                    drawstyle="steps-post", markersize=4.5, markerfacecolor="white",
                    linewidth=1.3, zorder=3)
            continue
        k = estimates.index(name)
        if len(time) and time[0] > 0:
            time, surv = np.r_[0.0, time], np.r_[100.0, surv]
        time, surv, marks = _step_marks(time, surv, k, len(estimates))
        ax.plot(time, surv, drawstyle="steps-post", color=colours[k % 8],
                linestyle=DASHES[k % 4], marker=MARKERS[k % 8], markevery=marks,
                markersize=4, linewidth=1.6, label=label, zorder=2)
        banded |= _band(ax, rows, colours[k % 8], HATCHES[(k + 1) % 8],
                        None if banded else plain(cat.text("figures.km_curve.band")))
    ax.set_ylim(0, 102)
    _hidden_tail(ax, data, estimates, cat)
    ax.set_xlim(left=0)
    times = pd.to_numeric(data["time"], errors="coerce").dropna().to_numpy(float)
    monthly = bool(len(times)) and bool(np.all(times == np.round(times)))  # a month grid
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10], integer=monthly))
    number_axis(ax.xaxis, lang)
    number_axis(ax.yaxis, lang)
    ax.set_xlabel(cat.text("figures.km_curve.xlabel_bands" if "mass" in data.columns
                           else "figures.km_curve.xlabel"))
    # Turnbull's curve of declared seniority (its table has the bands' ``mass``): the
    # share coming for longer than the time shown, not a share still attending
    ax.set_ylabel(cat.text("figures.km_curve.ylabel_bands" if "mass" in data.columns
                           else "figures.km_curve.ylabel"))
    if ax.get_legend_handles_labels()[0]:  # on a white ground: readable over a hidden span
        ax.legend(frameon=True, facecolor="white", edgecolor="none", framealpha=0.95,
                  fontsize=8)
    return fig


def _hidden_tail(ax, data: pd.DataFrame, estimates: list, cat) -> None:
    """Where the published curve hides its level from some month to its end (fewer
    than min_cell exits behind a step), the axis still runs to the last month and that
    span is shaded and named in the legend, so that the line's end does not read as
    the end of the follow-up."""
    if "time" not in data.columns or not len(data):
        return
    rows = data if "curve" not in data.columns else data[data["curve"].isin(estimates)]
    shown = rows.dropna(subset=["survival"])
    end = float(pd.to_numeric(rows["time"], errors="coerce").max())
    last = float(shown["time"].max()) if len(shown) else 0.0
    if not end > last:
        return
    ax.axvspan(last, end, facecolor="#eeeeee", hatch="..", edgecolor="#bbbbbb", linewidth=0,
               zorder=0, label=plain(cat.text("figures.km_curve.hidden")))
    ax.set_xlim(0, end)


#: Colour of reference values (Nouvelle-Aquitaine curve, baseline diamonds).
_REFERENCE = "#b2182b"


def _is_reference(data: pd.DataFrame, name) -> bool:
    """True when the curve ``name`` is flagged as a reference."""
    if name is None or "reference" not in data.columns:
        return False
    return bool(data.loc[data["curve"] == name, "reference"].eq(True).any())


def _step_marks(time: np.ndarray, surv: np.ndarray, k: int,
                curves: int) -> tuple[np.ndarray, np.ndarray, list[int] | None]:
    """Where to put a step curve's markers: every point of a short curve, else six
    points added at evenly spaced times (offset for the ``k``-th of ``curves`` curves so
    that markers of several curves do not coincide), each on the step it falls on.

    Examples
    --------
    >>> t, s, m = _step_marks(np.arange(12.0), 100 - np.arange(12.0), 0, 1)
    >>> m, [float(t[i]) for i in m][:2], [float(s[i]) for i in m][:2]
    ([1, 4, 7, 10, 13, 16], [0.9166666666666666, 2.75], [100.0, 98.0])
    """
    if len(time) <= 8:
        return time, surv, None
    span = time[-1] - time[0]
    marks = time[0] + span * (np.arange(6) + (k + 1) / (curves + 1)) / 6
    at = np.searchsorted(time, marks, side="right")
    values = surv[np.maximum(at - 1, 0)]
    return (np.insert(time, at, marks), np.insert(surv, at, values),
            (at + np.arange(len(marks))).tolist())


def _band(ax, rows: pd.DataFrame, colour, hatch: str, label: str | None) -> bool:
    """The confidence band of one curve, if the table has finite bounds for it."""
    if not {"ci_low", "ci_high"} <= set(rows.columns):
        return False
    low = rows["ci_low"].to_numpy(float) * 100
    high = rows["ci_high"].to_numpy(float) * 100
    if not np.isfinite(low).any() or not np.isfinite(high).any():
        return False
    ax.fill_between(rows["time"].to_numpy(float), low, high, step="post", color=colour,
                    alpha=0.18, hatch=hatch, linewidth=0, label=label, zorder=1)
    return True


def baseline_dots(data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """The pilot's share with its interval (dot and bar) against the reference (diamond).

    Indicators are labelled as their key figure and table row are
    (:func:`reports.cell_wording.indicator_label`).
    When the table holds several reference studies (``source_id``), their rows are
    grouped under the study's name in bold, so that two indicators of one name (the
    share of men in BVA and in Pop Place) are told apart; when it compares several of
    the pilot's populations (``source``, named by :func:`reports.render.prepare`), the
    heading names the population too. Rows whose pilot value is hidden are left out (a
    reference alone compares nothing), and a line under the plot says how many; when
    none is left, the figure is that line alone. ``ax.lines[0]`` holds the pilot dots; the reference diamonds
    (open, in the reference colour, drawn under the dots so that both show where they
    meet) are the last line; values are in percent, on an axis from 0 to 100 with room
    for a dot at either end. The legend is above the plot.
    """
    cat = catalogue(lang)
    drawn = data["estimate"].notna()
    left_out = int((~drawn & data["baseline"].notna()).sum())
    rows = data.loc[drawn].reset_index(drop=True)
    if rows.empty and left_out:
        return _left_out_only(cat.text("figures.baseline_dots.none_drawn"))
    y, headers = _dot_rows(rows, cat)
    fig = new_figure(7.5, 1.0 + 0.27 * (len(rows) + len(headers)) + (0.3 if left_out else 0))
    ax = fig.add_subplot()
    est = rows["estimate"].to_numpy(float) * 100
    err = np.vstack([est - rows["ci_low"].to_numpy(float) * 100,
                     rows["ci_high"].to_numpy(float) * 100 - est])
    err = np.maximum(err, 0)  # an exact figure's bounds may pass it by a rounding error
    ax.errorbar(est, y, xerr=err, fmt="o", color=INK, ecolor=INK, capsize=2.5,
                markersize=5, elinewidth=1.1, zorder=3,
                label=plain(cat.text("figures.baseline_dots.pilot")))
    ax.plot(rows["baseline"].to_numpy(float) * 100, y, linestyle="none", marker="D",
            markerfacecolor="none", markeredgecolor=_REFERENCE, markeredgewidth=1.4,
            markersize=7, zorder=2, label=plain(cat.text("figures.baseline_dots.baseline")))
    names = [indicator_label(row, cat) for row in rows.to_dict("records")]  # a few rows
    ax.set_yticks(np.r_[y, list(headers)], [plain(v) for v in names] + list(headers.values()))
    for tick in ax.yaxis.get_major_ticks()[len(y):]:
        tick.label1.set_fontweight("bold")
        tick.tick1line.set_visible(False)
    ax.set_ylim(-0.6, len(rows) + len(headers) - 0.4)
    ax.set_xlim(-3, 103)
    ax.set_xticks(np.arange(0, 101, 20))
    ax.set_xlabel(cat.text("figures.baseline_dots.xlabel"))
    percent_axis(ax.xaxis, lang)
    handles, labels = ax.get_legend_handles_labels()   # the pilot first
    fig.legend(handles[::-1], labels[::-1], loc="outside upper center", ncol=2, frameon=False)
    if left_out:
        _left_out_line(fig, cat.text("figures.baseline_dots.left_out", count=left_out))
    return fig


def _dot_rows(rows: pd.DataFrame, cat) -> tuple[np.ndarray, dict[float, str]]:
    """The y position of each row (top to bottom), and the group headings by position.

    Rows are grouped by study (``source_id``) and, when the table compares several of
    the pilot's populations (``source``: the third-place users, the places...), by
    population too: each run of rows of one group is preceded by a heading line naming
    the study and, then, the population (``Nouvelle-Aquitaine, 2016 — Lieux``). With a
    single group there are no headings.

    Examples
    --------
    >>> r = pd.DataFrame({"source_id": ["bva-2015", "bva-2015", "citica-2017"]})
    >>> y, h = _dot_rows(r, catalogue("en"))
    >>> y.tolist(), h
    ([3.0, 2.0, 0.0], {4.0: 'BVA, 2015', 1.0: 'Citica, 2017'})
    >>> r = pd.DataFrame({"source_id": ["aquitaine-2016"] * 2, "source": ["Users", "Places"]})
    >>> sorted(_dot_rows(r, catalogue("en"))[1].values())
    ['Nouvelle-Aquitaine, 2016 — Places', 'Nouvelle-Aquitaine, 2016 — Users']
    """
    if "source_id" not in rows.columns:
        return np.arange(len(rows), dtype=float)[::-1], {}
    studies = rows["source_id"].astype(object)
    names = studies.map(lambda v: plain(cat.value("source", v)))
    if "source" in rows.columns and rows["source"].nunique() > 1:
        populations = rows["source"].astype(object)
        names = names.where(populations.isna(), names + " — " + populations.map(plain))
    if names.nunique() < 2:
        return np.arange(len(rows), dtype=float)[::-1], {}
    starts = (names != names.shift()).to_numpy()
    slots = np.arange(len(rows)) + np.cumsum(starts)   # one heading line per run
    top = float(len(rows) + starts.sum() - 1)
    headers = {float(top - slot + 1): name
               for slot, name, start in zip(slots, names, starts) if start}
    return top - slots.astype(float), headers


def attendance_series(data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """Visits per period: one panel per zone, one line style per type of place.

    With one row per period, type and zone, one line per type; with several (one row
    per place), one thin line per place, styled by its type. Nothing is summed. A
    hidden (suppressed) period breaks its line instead of being bridged, so that no
    value is drawn where the table shows none. The period axis is named once, under
    the panels.
    """
    cat = catalogue(lang)
    value = "visits" if "visits" in data.columns else "users"
    zones = [z for z in pd.unique(data["zone"].dropna())] or [None]
    types = list(pd.unique(data["type"].dropna()))
    per_place = data.duplicated(["period", "type", "zone"]).any() and "place_id" in data
    periods = np.sort(pd.unique(data["period"].dropna()))
    fig = new_figure(7.5, 3.4)
    axes = fig.subplots(1, len(zones), sharex=True, sharey=True, squeeze=False)[0]
    colours = _palette("colorblind", max(len(types), 1))
    for ax, zone in zip(axes, zones):
        panel = data if zone is None else data[data["zone"] == zone]
        for i, kind in enumerate(types):
            rows = panel[panel["type"] == kind]
            if rows[value].isna().all():
                continue
            lines = rows.groupby("place_id", sort=True) if per_place else [(kind, rows)]
            for j, (_, line) in enumerate(lines):
                series = line.groupby("period")[value].first().reindex(periods)
                ax.plot(series.index, series.to_numpy(float), color=colours[i],
                        linestyle=DASHES[i % 4], marker=MARKERS[i % 8],
                        markersize=3 if per_place else 4, linewidth=0.8 if per_place else 1.4,
                        label=plain(cat.value("type", kind)) if j == 0 else None)
        ax.set_title(plain(cat.value("zone", zone)) if zone is not None else "", fontsize=9)
        month_axis(ax.xaxis, lang, data["period"].nunique())
        number_axis(ax.yaxis, lang)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    fig.supxlabel(cat.text("figures.attendance_series.xlabel"), fontsize=9)
    axes[0].set_ylabel(cat.text("figures.attendance_series.ylabel"))
    axes[0].set_ylim(bottom=0)
    legend = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(label, handle)
    if legend:
        fig.legend(list(legend.values()), list(legend), loc="outside upper center",
                   ncol=max(len(types), 1), frameon=False)
    return fig


def _unit(indicator: str) -> str:
    """Unit key of an impact indicator (``energy_eur`` -> ``eur``)."""
    return "eur" if str(indicator).endswith("_eur") else _UNITS.get(str(indicator), "")


def impact_bars(data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """Yearly totals avoided, one panel per unit (trips, km, hours, euros, CO2): for the
    whole population when the table extrapolates to it (``population_estimate``), as the
    report's cards do, else for the respondents.

    Each panel's containers hold one bar per indicator, widths the estimates, with the
    confidence interval as a whisker. The bars are one light grey with a dark edge (the
    panels, not a colour or a hatch, tell the units apart), so that the dark whiskers
    show over them; each estimate is written after its bar in the report's number
    format, to three significant figures as the page writes totals (an estimate, not a
    count: ``321 000``), so that a bar too short to see (170 € beside 205 000 €) still
    reads.
    """
    cat = catalogue(lang)
    rows = data.dropna(subset=["estimate"]).reset_index(drop=True)
    whole = _population_totals(rows)
    if whole is not None:  # extrapolated to the population, as the report's cards are
        rows = whole
    units = list(pd.unique(rows["indicator"].map(_unit)))
    sizes = [int((rows["indicator"].map(_unit) == u).sum()) for u in units] or [1]
    fig = new_figure(7.5, 0.5 + 0.34 * sum(sizes) + 0.62 * len(sizes))
    axes = fig.subplots(len(sizes), 1, squeeze=False, height_ratios=sizes)[:, 0]
    for ax, unit in zip(axes, units):
        part = rows[rows["indicator"].map(_unit) == unit]
        y = np.arange(len(part))[::-1]
        est = part["estimate"].to_numpy(float)
        high = est
        err = None
        if {"ci_low", "ci_high"} <= set(part.columns):
            err = np.vstack([est - part["ci_low"].to_numpy(float),
                             part["ci_high"].to_numpy(float) - est])
            err = np.where(np.isnan(err), 0, np.maximum(err, 0))
            high = est + err[1]
        ax.barh(y, est, xerr=err, color=_BAR, edgecolor=INK, linewidth=0.6, height=0.6,
                capsize=3, error_kw={"ecolor": INK, "linewidth": 1.0})
        right = float(np.nanmax(high)) if len(high) else 1.0
        for row, value, end in zip(y, est, high):
            ax.text(end + right * 0.015, row, format_significant(value, lang), va="center",
                    ha="left", fontsize=8, color=INK)
        ax.set_yticks(y, [plain(cat.value("indicator", v)) for v in part["indicator"]])
        ax.set_ylim(-0.6, len(part) - 0.4)
        unit_text = cat.text(f"units.{unit}") if unit else ""
        label = cat.text("figures.impact_bars.xlabel" if whole is None
                         else "figures.impact_bars.xlabel_population")
        ax.set_xlabel(plain(f"{label} ({unit_text})" if unit_text else label), fontsize=8)
        ax.set_xlim(0, (right or 1.0) * 1.2)
        number_axis(ax.xaxis, lang)
    return fig


def _population_totals(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The impact rows with their population totals (``population_estimate`` and its
    interval) as ``estimate``, ``ci_low`` and ``ci_high``; None when a population total
    is missing (no population given)."""
    names = ["population_estimate", "population_ci_low", "population_ci_high"]
    if not set(names) <= set(rows.columns) or rows["population_estimate"].isna().any():
        return None
    return rows.assign(estimate=rows[names[0]], ci_low=rows[names[1]], ci_high=rows[names[2]])


#: Fill of single-series bars: light enough for a dark whisker and text to show on it.
_BAR = "#c6cbd6"


#: Columns each figure kind needs.
_NEEDS = {
    "likert_bars": ["item", "estimate"],
    "km_curve": ["time", "survival"],
    "baseline_dots": ["indicator", "estimate", "ci_low", "ci_high", "baseline"],
    "attendance_series": ["period", "type", "zone"],
    "impact_bars": ["indicator", "estimate"],
}

_DRAWERS = {
    "likert_bars": likert_bars,
    "km_curve": km_curve,
    "baseline_dots": baseline_dots,
    "attendance_series": attendance_series,
    "impact_bars": impact_bars,
}


def draw(kind: str, data: pd.DataFrame, *, lang: Lang = "fr") -> Figure:
    """Draw the figure ``kind`` (a key of the figure functions above) from ``data``.

    Examples
    --------
    >>> fig = draw("impact_bars", pd.DataFrame({"indicator": ["km"], "estimate": [120.0]}))
    >>> [float(p.get_width()) for p in fig.axes[0].patches]
    [120.0]
    """
    if kind not in _DRAWERS:
        listed = ", ".join(repr(k) for k in _DRAWERS)
        raise SurveyError(f"figure={kind!r} is not a figure kind; use one of {listed}.")
    missing = [c for c in _NEEDS[kind] if c not in data.columns]
    if missing:
        raise SurveyError(
            f"The {kind} figure needs the column(s) {', '.join(missing)}; the table has "
            f"{', '.join(map(str, data.columns))}."
        )
    with mpl.rc_context(STYLE):
        return _DRAWERS[kind](data, lang=lang)


def to_svg(fig: Figure, salt: str = "bilan") -> str:
    """The figure as an ``<svg>`` element (no XML prologue), the same bytes every run;
    a figure with nothing left to draw but its line of text (every bar hidden) as that
    line in an HTML paragraph (``<p class="chart-note">``), which wraps on a phone where
    an image of it would be cut or shrunk.

    Element ids are renumbered from ``salt`` and the ones nothing refers to are
    dropped, so several figures can share one HTML page. The figure keeps its size
    (no tight cropping, which cost a third layout pass): the constrained layout
    already keeps every text inside it, and all figures share one width.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    salt : str
        Seed of the SVG element ids; give each figure of a page its own so ids are
        unique in the page.

    Examples
    --------
    >>> fig = draw("impact_bars", pd.DataFrame({"indicator": ["km"], "estimate": [1.0]}))
    >>> to_svg(fig, "a") == to_svg(fig, "a"), to_svg(fig).startswith("<svg")
    (True, True)
    >>> to_svg(_left_out_only("2 questions <hidden>"))
    '<p class="chart-note">2 questions &lt;hidden&gt;</p>'
    """
    if not fig.axes and fig.texts:
        return ('<p class="chart-note">' + html.escape(" ".join(t.get_text() for t in fig.texts))
                + "</p>")
    buffer = io.StringIO()
    with mpl.rc_context({**STYLE, "svg.hashsalt": salt}), _layout_only_pass(fig):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = _renumber_ids(text, salt)
    used = set(re.findall(r'(?:url\(#|href="#)([^")]+)', text))
    return re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", text)


def _drawing_disabled(renderer) -> bool:
    """True for a renderer whose drawing methods are switched off (matplotlib's
    ``_draw_disabled``, which puts no-op ``draw_*`` methods on the instance; a
    ``MixedModeRenderer`` forwards them to the SVG renderer it wraps)."""
    target = getattr(renderer, "_renderer", renderer)
    return "draw_path" in vars(target)


@contextlib.contextmanager
def _layout_only_pass(fig: Figure) -> Iterator[None]:
    """Within ``savefig``, let the layout pass lay the figure out without drawing it.

    Saving a figure with a layout engine draws it twice: once with drawing switched
    off, only for the constrained layout that ``Figure.draw`` runs first, then for
    real. The first pass also walks every artist (ticks, texts, lines) for nothing
    (about a fifth of the saving time): here it runs what ``Figure.draw`` runs before
    the artists (``_get_draw_artists``, which applies the axes' aspect, then the
    layout engine) and stops. The real pass is matplotlib's own, so the SVG is the
    same text (checked on every figure of the demo pilot and a large pilot, and by
    the tests). A draw whose drawing is on is matplotlib's own in any case.
    """
    def draw(renderer):
        if not _drawing_disabled(renderer) or not hasattr(fig, "_get_draw_artists"):
            return type(fig).draw(fig, renderer)  # matplotlib's own draw
        fig._get_draw_artists(renderer)
        engine = fig.get_layout_engine()
        if fig.axes and engine is not None:
            try:
                engine.execute(fig)
            except ValueError:  # as Figure.draw: a layout that cannot be made is skipped
                pass
        return None

    fig.draw = draw
    try:
        yield
    finally:
        del fig.draw


def _renumber_ids(text: str, salt: str) -> str:
    """Replace matplotlib's hashed element ids by ``<salt>-<k>`` in order of appearance.

    The hashes are taken over unrounded layout floats, whose last bits can vary with
    what was drawn before in the same process; the numbering depends only on the
    document's structure, and the salt keeps ids unique across the figures of a page.
    """
    hashed = re.findall(r'id="([A-Za-z][0-9a-f]{10})"', text)
    order = {old: f"{salt}-{k}" for k, old in enumerate(dict.fromkeys(hashed))}
    if not order:
        return text
    pattern = re.compile(r"(?<=[#\"])(" + "|".join(map(re.escape, order)) + r")(?=[\")])")
    return pattern.sub(lambda m: order[m.group(1)], text)
