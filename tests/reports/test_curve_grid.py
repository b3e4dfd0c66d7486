"""Survival curves published month by month (reports/curve_grid.py): no step at one
person's event time, the same curve at each month's end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import kaplan_meier
from analysis.evaluation_model import Table
from reports.curve_grid import monthly_curve, published_curve


@pytest.fixture()
def stays(rng):
    durations = np.round(rng.exponential(7.0, 300), 3)
    durations[:20] = 0.0  # same-day stays
    observed = rng.random(300) < 0.7
    return durations, observed


def test_survival_at_each_month_is_lifelines(stays):
    """The level at month k is the Kaplan–Meier survival at k (lifelines)."""
    lifelines = pytest.importorskip("lifelines")
    durations, observed = stays
    grid = monthly_curve(kaplan_meier(durations, observed))
    fitter = lifelines.KaplanMeierFitter().fit(durations, observed)
    expected = fitter.survival_function_at_times(grid["time"].to_numpy()).to_numpy()
    np.testing.assert_allclose(grid["survival"].to_numpy(float), expected, rtol=1e-12)


def test_counts_are_the_stays_of_each_month(stays):
    """Still followed at month k: stays of more than k months; events and censored: stays
    ending in (k - 1, k], same-day stays in month 0."""
    durations, observed = stays
    grid = monthly_curve(kaplan_meier(durations, observed))
    month = np.ceil(durations).astype(int)
    for k, row in grid.set_index(grid["time"].astype(int)).iterrows():
        assert row["at_risk"] == (durations > k).sum()
        assert row["events"] == (observed & (month == k)).sum()
        assert row["censored"] == (~observed & (month == k)).sum()
    assert grid["events"].sum() == observed.sum()


def test_no_published_time_is_an_event_time(stays):
    """Every published time is a whole month; the exact curve keeps its event times."""
    durations, observed = stays
    table = Table("agents_stays_curve", kaplan_meier(durations, observed), "t",
                  count_column="at_risk", figure="km_curve")
    published = published_curve(table)
    assert (published.data["time"] == np.round(published.data["time"])).all()
    assert published.data.columns.tolist() == table.data.columns.tolist()
    assert not (table.data["time"] == np.round(table.data["time"])).all()


def test_other_tables_are_published_as_they_are():
    """A Turnbull curve (no events column) or a table without a curve is unchanged."""
    bands = pd.DataFrame({"time": [0.0, 3.0], "survival": [1.0, 0.8], "mass": [0.0, 0.2]})
    table = Table("users_bands_curve", bands, "t", figure="km_curve")
    assert published_curve(table) is table
    other = Table("x", pd.DataFrame({"n": [1]}), "t")
    assert published_curve(other) is other
