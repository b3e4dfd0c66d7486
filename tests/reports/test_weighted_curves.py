"""A weighted curve's levels rest on each weighting class's exits (reports/curve_grid.py,
``Table.class_events``): with known weights, a step of 4 women's and 1 man's exits gives
his exit away."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.evaluation_model import Table
from reports.curve_grid import class_months, level_steps, published_bands, published_curve

MIN_CELL = 5


def test_level_needs_enough_exits_in_every_class():
    """5 exits (4 + 1), then 6 (5 + 1): not yet; 13 (8 + 5): a level."""
    monthly = pd.DataFrame({"events": [0, 5, 1, 7]})
    by_class = np.array([[0, 0], [4, 1], [1, 0], [3, 4]])
    assert level_steps(monthly, MIN_CELL, by_class).tolist() == [True, False, False, True]
    assert level_steps(monthly, MIN_CELL).tolist() == [True, True, False, True]


def test_class_months_add_exits_up_by_month():
    """Exits at 0.5 and 0.9 months fall in month 1, at 2.0 in month 2."""
    table = Table("x_curve", pd.DataFrame({"time": [0.0]}), "t", class_events=pd.DataFrame(
        {"time": [0.5, 0.9, 2.0, 0.9], "class": [0, 0, 1, 1], "events": [2, 1, 3, 1]}))
    assert class_months(table, 3).tolist() == [[0, 0], [3, 1], [0, 3]]
    assert class_months(Table("y", pd.DataFrame({"a": [1]}), "t"), 3) is None


def _curve(class_events: pd.DataFrame | None) -> Table:
    """12 stays: 5 exits at month 1, then 5 at month 2, 2 followed on."""
    data = pd.DataFrame({"time": [1.0, 2.0, 3.0], "at_risk": [12, 7, 2],
                         "events": [5, 5, 0], "censored": [0, 0, 2],
                         "survival": [7 / 12, 2 / 12, 2 / 12]})
    return Table("a_stays_curve", data, "t", count_column="at_risk", figure="km_curve",
                 class_events=class_events)


def test_weighted_curve_hides_a_level_resting_on_one_class_member():
    """Month 1's exits are 4 women and 1 man: its level is hidden, month 2's (9 + 1 ...
    then 5 + 0 since) is not either until each class has 0 or 5."""
    plain = published_curve(_curve(None), MIN_CELL).data
    assert plain["survival"].notna().tolist() == [True, True, True, True]
    classes = pd.DataFrame({"time": [1.0, 1.0, 2.0], "class": [0, 1, 0], "events": [4, 1, 5]})
    weighted = published_curve(_curve(classes), MIN_CELL).data
    assert weighted["survival"].notna().tolist() == [True, False, False, False]


def test_weighted_band_curve_counts_each_class():
    """Bands of 10 women and 2 men: the level at 3 months (6 women gone; 4 women and the
    2 men beyond it) is hidden, since it says both men stay longer, and so is the last:
    its step from the first level holds the 2 men's exits (a rule that errs on the safe
    side, as everyone has gone by then)."""
    data = pd.DataFrame({"time": [0.0, 3.0, 6.0], "survival": [1.0, 0.5, 0.0],
                         "mass": [0.0, 0.5, 0.5], "events": [0, 6, 6], "n": 12,
                         "curve": "pilot", "reference": False})
    classes = pd.DataFrame({"time": [3.0, 6.0, 6.0], "class": [0, 0, 1],
                            "events": [6, 4, 2]})
    table = Table("u_bands_curve", data, "t", count_column="n", figure="km_curve",
                  class_events=classes)
    out = published_bands(table, MIN_CELL).data
    assert out["survival"].notna().tolist() == [True, False, False]
    unweighted = published_bands(Table("u_bands_curve", data, "t", count_column="n",
                                       figure="km_curve"), MIN_CELL).data
    assert unweighted["survival"].notna().tolist() == [True, True, True]


def test_demo_agents_curve_carries_its_exits_by_class(demo_reports):
    """The demo's agents are raked on gender: their curve carries its exits by gender,
    adding up to the curve's exits month by month (the unraked companies' does not)."""
    from analysis import evaluate
    from reports.curve_grid import monthly_curve
    from surveys import read_pilot

    pilot = read_pilot(demo_reports["fr"].parent.parent / "pilot.toml")
    tables = evaluate(pilot).sections["retention"].tables
    table = tables["agents_stays_curve"]
    assert table.class_events is not None and table.class_events["class"].nunique() == 2
    monthly = monthly_curve(table.data)
    months = class_months(table, len(monthly))
    assert months.sum(axis=1).tolist() == monthly["events"].astype(float).tolist()
    assert tables["companies_stays_curve"].class_events is None
