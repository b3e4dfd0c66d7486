"""Tables of an evaluation: adding them, gathering those computed apart, and the three
tables of a set of stays (curve, horizons, quantiles) that every source's retention
shares. Used by :mod:`analysis.evaluate` and :mod:`analysis._log_lanes`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._weight_classes import weight_classes
from analysis.design_survival import design_kaplan_meier
from analysis.evaluation_model import Evaluation, Table
from analysis.retention import kaplan_meier, retention_at, survival_quantiles

__all__ = ["HORIZONS", "DESIGN_QUANTILE", "new_part", "merge", "add", "survival_tables",
           "exits_by_class"]

#: Months at which every retention curve is read.
HORIZONS = (3, 6, 12, 24)


def new_part(pilot) -> Evaluation:
    """An empty evaluation of the pilot: the report's, or one that tables computed in
    the background go into before they join it."""
    return Evaluation(pilot.name, lang=pilot.lang, min_cell=pilot.min_cell)


def merge(evaluation: Evaluation, part: Evaluation) -> None:
    """Append the tables of ``part`` to ``evaluation``, section by section."""
    for key, section in part.sections.items():
        for table in section.tables.values():
            evaluation.section(key).add(table)



def add(evaluation: Evaluation, section: str, key: str, data, title: str, **settings) -> None:
    """Add a non-empty table to a section (the section exists only once it has a table)."""
    if data is None or len(data) == 0:
        return
    evaluation.section(section).add(Table(key, data.reset_index(drop=True), title, **settings))


def exits_by_class(design: dict, times: np.ndarray, ended: np.ndarray) -> pd.DataFrame | None:
    """The exits (``ended`` at ``times``, one per respondent of ``design["data"]``) of
    each weighting class, counted at each time (``time``, ``class``, ``events``); None
    when the respondents all weigh the same (:func:`analysis._weight_classes.weight_classes`)."""
    classes = weight_classes(design["data"], design.get("weights"), design.get("strata"),
                             design.get("population"))
    if classes is None:
        return None
    out = np.isfinite(times) & (np.nan_to_num(ended) > 0)
    exits = pd.DataFrame({"time": times[out], "class": classes[out]})
    return exits.value_counts(sort=False).rename("events").reset_index()


#: Method of the quantiles read from a design-based curve.
DESIGN_QUANTILE = "design-based survival quantile (R svykm), CI where the band crosses"


def survival_tables(evaluation: Evaluation, key: str, durations, observed, title: str,
                    notes: list | None = None, design: dict | None = None) -> None:
    """The curve, the horizons and the quantiles of one set of stays. With a ``design``
    (see :func:`_survival_design`) the curve is R's ``svykm`` on it, and the horizons and
    quantiles are read from that curve (``at_risk``: respondents, unweighted)."""
    if len(durations) == 0:
        return
    if design is None:
        curve = kaplan_meier(durations, observed)
        horizons = retention_at(durations, observed, horizons=HORIZONS)
        quantiles = survival_quantiles(durations, observed)
    else:
        arguments = {name: value for name, value in design.items() if name != "data"}
        curve = design_kaplan_meier(design["data"], np.asarray(durations, dtype=float),
                                    np.asarray(observed, dtype=float), **arguments)
        horizons = retention_at(curve, horizons=HORIZONS)
        # read where the curve and its band cross, as R's quantile(svykm, ci = TRUE)
        quantiles = survival_quantiles(curve).assign(method=DESIGN_QUANTILE)
    add(evaluation, "retention", f"{key}_curve", curve, title + ".curve",
        count_column="at_risk", figure="km_curve", html_rows=0,
        share_columns=["survival", "se", "ci_low", "ci_high"], notes=notes or [],
        class_events=None if design is None else exits_by_class(
            design, np.asarray(durations, dtype=float), np.asarray(observed, dtype=float)))
    add(evaluation, "retention", f"{key}_horizons", horizons, title + ".horizons",
        count_column="at_risk" if "at_risk" in curve else None,
        share_columns=["estimate", "ci_low", "ci_high"])
    add(evaluation, "retention", f"{key}_median", quantiles,
        title + ".quantiles", count_column=None)
