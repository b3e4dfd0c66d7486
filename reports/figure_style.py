"""The look every figure of the report shares.

Matplotlib settings (fonts, grid, SVG written with text kept as text and a fixed hash
salt), the ink, marker, dash and hatch styles that keep figures readable in
greyscale, a pyplot-free figure of a given size, and axes whose numbers are written in
the report's language (``2,5``, ``250 000``, month names), with as many decimals as
the ticks need and no more. The figures themselves are :mod:`reports.figures`.
"""

from __future__ import annotations

from typing import Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, FuncFormatter

from reports.formatting import format_month, format_number

__all__ = ["STYLE", "INK", "MARKERS", "DASHES", "HATCHES", "plain", "new_figure",
           "LocaleFormatter", "percent_axis", "number_axis", "month_axis"]

Lang = Literal["fr", "en"]

#: Matplotlib settings of every figure (fonts, grid, deterministic SVG output).
STYLE = {
    "svg.hashsalt": "bilan",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "hatch.linewidth": 0.6,
    "hatch.color": "#333333",
    "text.usetex": False,
}
#: Colour of lines, edges and written values.
INK = "#222222"
#: Markers, dash patterns and hatches that tell series apart in greyscale.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
DASHES = ["-", "--", "-.", ":"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]


def plain(text) -> str:
    """Make a label safe from mathtext: a ``$`` is shown, never parsed."""
    return str(text).replace("$", r"\$")


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure of ``width`` x ``height`` inches."""
    return Figure(figsize=(width, height), layout="constrained")


class LocaleFormatter(Formatter):
    """Tick labels with the language's separators and decimal mark, as many decimals
    as the ticks need and no more (``0``, ``2,5``, ``250 000`` in French).

    Examples
    --------
    >>> f = LocaleFormatter("fr")
    >>> f.format_ticks([0, 2.5, 5, 7.5])
    ['0,0', '2,5', '5,0', '7,5']
    >>> LocaleFormatter("en", absolute=True).format_ticks([-40, 0, 40])
    ['40', '0', '40']
    """

    def __init__(self, lang: Lang, *, absolute: bool = False):
        self.lang, self.absolute, self.decimals = lang, absolute, None

    def set_locs(self, locs) -> None:
        """Choose the fewest decimals (0 to 4) that write every tick exactly."""
        super().set_locs(locs)
        values = np.asarray(locs, float)
        values = values[np.isfinite(values)]
        self.decimals = next((d for d in range(5) if np.allclose(
            values * 10**d, np.round(values * 10**d), rtol=0, atol=1e-6)), 4)

    def __call__(self, x, pos=None) -> str:
        value = abs(x) if self.absolute else x
        decimals = self.decimals
        if decimals is None:  # called outside a tick run
            decimals = 0 if float(value).is_integer() else None
        return format_number(value + 0.0, self.lang, decimals)


def percent_axis(axis, lang: Lang, absolute: bool = False) -> None:
    """Tick labels in percent points (absolute values for diverging bars)."""
    axis.set_major_formatter(LocaleFormatter(lang, absolute=absolute))


def number_axis(axis, lang: Lang) -> None:
    """Tick labels with the language's separators (``250 000`` / ``250,000``)."""
    axis.set_major_formatter(LocaleFormatter(lang))


def month_axis(axis, lang: Lang, months: int) -> None:
    """Month ticks (at most about eight) named in the report's language."""
    axis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // 8))))
    axis.set_major_formatter(FuncFormatter(
        lambda v, _: format_month(mdates.num2date(v).replace(tzinfo=None), lang, short=True)))

