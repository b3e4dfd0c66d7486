"""What the page says under a table's figure: its caption, and whether it leaves out
a hidden value without saying so on the figure itself.

A caption says what the figure draws (a survival curve: with its confidence band, or
how it was estimated without one; a dashed reference curve). The sentence that hidden
bars and points are not drawn stands only under a figure that leaves one out unsaid:
curves hold their last published level, Likert bars and reference dots count what they
leave out on the figure (editorial review 13).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.i18n import Catalogue
from reports.presentation import Prepared

__all__ = ["SCROLL_HINT", "figure_caption", "left_out_unsaid"]


def left_out_unsaid(figure: str | None, data: pd.DataFrame) -> bool:
    """Whether a table's figure leaves out a hidden value without saying so itself: its
    caption then says that hidden bars and points are not drawn. A curve keeps its last
    published level over hidden months (its note says so); Likert bars and reference
    dots count the rows they leave out on the figure; a series or bars leave out only
    their hidden values, if any (editorial review 13, item 9: the sentence stood under
    figures that left nothing out).

    Examples
    --------
    >>> rows = pd.DataFrame({"period": [1, 2], "visits": [40.0, 52.0], "users": [None, 9.0]})
    >>> left_out_unsaid("attendance_series", rows)
    False
    >>> left_out_unsaid("attendance_series", rows.assign(visits=[40.0, None]))
    True
    >>> left_out_unsaid("baseline_dots", pd.DataFrame({"estimate": [None]}))
    False
    """
    if figure in _SAID_ON_FIGURE:
        return False
    drawn = {"attendance_series": "visits" if "visits" in data.columns else "users",
             "impact_bars": "estimate"}.get(figure or "")
    if drawn is None or drawn not in data.columns:
        return True
    return bool(data[drawn].isna().any())


#: Figures that leave no hidden value out unsaid: a curve holds its last published
#: level (its note says so); Likert bars and reference dots count what they leave out.
_SAID_ON_FIGURE = frozenset({"km_curve", "likert_bars", "baseline_dots"})


#: Figures whose labels run left of their points, wider than a phone: on a narrow
#: screen the page says the points are further right (editorial review 12b, item 14).
SCROLL_HINT = frozenset({"baseline_dots"})


def figure_caption(prepared: Prepared, cat: Catalogue) -> str:
    """The caption of a table's figure, saying what the figure draws.

    A survival figure says whether it has a confidence band: a Kaplan–Meier curve has
    one; Turnbull's curve from duration bands has none, and says how it was estimated
    instead (as does a curve whose band was hidden). A dashed reference curve is named.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"time": [0.0, 3.0], "survival": [1.0, 0.8], "ci_low": [None, None],
    ...                   "ci_high": [None, None], "method": "Turnbull NPMLE"})
    >>> item = Prepared("retention", Table("b", f, "t", figure="km_curve"), f, "r")
    >>> figure_caption(item, catalogue("en"))[:46]
    'Share of users attending for longer than the t'
    """
    figure = prepared.table.figure
    if not figure or (figure == "likert_bars" and not _likert_drawn(prepared.data)):
        return ""   # a Likert figure of hidden items is only the sentence saying so
    if figure != "km_curve":
        return cat.text(f"figures.{figure}.caption")
    data = prepared.data
    bounds = [data[c].to_numpy(float) for c in ("ci_low", "ci_high") if c in data.columns]
    if len(bounds) == 2 and all(np.isfinite(b).any() for b in bounds):
        text = cat.text("figures.km_curve.caption")
    elif "method" in data.columns and data["method"].astype(str).str.startswith("Turnbull").any():
        text = cat.text("figures.km_curve.caption_bands")
    else:
        text = cat.text("figures.km_curve.caption_plain")
    if "reference" in data.columns and data["reference"].eq(True).any():
        text = f"{text} {cat.text('figures.km_curve.caption_reference')}"
    return text


def _likert_drawn(data: pd.DataFrame) -> bool:
    """Whether the Likert figure draws a bar: an item whose shares are all published
    (:func:`reports.figures.likert_bars` leaves out an item with a hidden share)."""
    if "item" not in data.columns or "estimate" not in data.columns:
        return True
    rows = data if "category" in data.columns else \
        data[data["statistic"].isin(["bottom2", "top2"])] if "statistic" in data.columns \
        else data
    hidden = rows["estimate"].isna().groupby(rows["item"].astype(str)).any()
    return bool(len(hidden)) and not bool(hidden.all())
