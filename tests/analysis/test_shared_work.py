"""Work shared or shortened for speed gives the tables the public functions give."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import _checkin_log, attendance, checkins, profile, reliability
from analysis.baselines import condition_mask
from analysis._group_tests import _crosstab
from surveys.errors import SurveyError


@pytest.fixture
def places() -> pd.DataFrame:
    """Four places, one opened during the log, one without capacity."""
    return pd.DataFrame({
        "place_id": ["a", "b", "c", "d"], "type": ["coworking", "fablab", "coworking", "hybrid"],
        "zone": ["urban", "rural", "rural", "urban"], "capacity": [5.0, 3.0, np.nan, 8.0],
        "opened": pd.to_datetime(["2014-01-01", "2015-06-15", None, "2014-03-01"])})


@pytest.fixture
def log(rng) -> pd.DataFrame:
    """3,000 check-ins of 200 users over three years, a few at an unknown place."""
    n = 3000
    users = np.array([f"u{i:03d}" for i in range(200)], dtype=object)
    stamps = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365 * 24, n), "h")
    return pd.DataFrame({"place_id": rng.choice(["a", "b", "c", "d", "zz"], n,
                                                p=[0.3, 0.3, 0.2, 0.19, 0.01]),
                         "user_id": users[rng.integers(0, 200, n)], "timestamp": stamps})


def _quiet(compute):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute()


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


def test_attendance_report_tables_equal_public_functions(log, places):
    """One coding of the log gives the monthly, yearly and growth tables of the public calls."""
    monthly, yearly, growth = _quiet(lambda: attendance._report_tables(log, places))
    _same(monthly, _quiet(lambda: attendance.attendance_summary(log, places, freq="M")))
    _same(yearly, _quiet(lambda: attendance.attendance_summary(log, places, freq="Y")))
    _same(growth, _quiet(lambda: attendance.attendance_growth(log, places)))


def test_attendance_without_day_table(log, places, monkeypatch):
    """Visits counted event by event (no places x days table) give the same summary."""
    expected = _quiet(lambda: attendance.attendance_summary(log, places, freq="Q"))
    monkeypatch.setattr(_checkin_log, "_DENSE_VISITS", 0)
    _same(_quiet(lambda: attendance.attendance_summary(log, places, freq="Q")), expected)


def test_attendance_window_equals_cut_log(log, places):
    """A window inside the log counts what the log cut to that window counts."""
    window = {"start": "2014-07-01", "end": "2015-12-31"}
    inside = log[(log["timestamp"] >= "2014-07-01") & (log["timestamp"] < "2016-01-01")]
    for freq in ("M", "Y"):
        got = _quiet(lambda: attendance.attendance_summary(log, places, freq=freq, **window))
        expected = _quiet(lambda: attendance.attendance_summary(inside, places, freq=freq,
                                                                **window))
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert any("outside the window" in note for note in got.attrs["notes"])


def test_checkin_report_tables_equal_public_functions(log):
    """One check of the log gives retention_from_checkins, seniority_bands and cohorts."""
    stays, seniority, cohorts = checkins._report_tables(log)
    _same(stays, checkins.retention_from_checkins(log))
    _same(seniority, checkins.seniority_bands(log))
    _same(cohorts, checkins.cohorts(log))


@pytest.mark.parametrize("setting", [{"_DENSE_COHORTS": 0}, {"_COHORT_CELLS": 0}])
def test_cohorts_counting_routes_agree(log, monkeypatch, setting):
    """The cohort table is the same whichever way the (user, period) pairs are counted."""
    expected = {period: checkins.cohorts(log, period) for period in ("M", "W", "Q")}
    for name, value in setting.items():
        monkeypatch.setattr(checkins, name, value)
    for period, table in expected.items():
        _same(checkins.cohorts(log, period), table)


@pytest.mark.parametrize("unit", ["D", "M", "Y"])
def test_calendar_table_equals_numpy(rng, unit, monkeypatch):
    """Periods through a table of days equal numpy's conversion, before 1970 too."""
    stamps = rng.integers(-10**18 // 2, 10**18 // 2, 5000)
    stamps[:50] = rng.integers(-86_400 * 10**9, 86_400 * 10**9, 50)   # around 1970-01-01
    expected = stamps.view("M8[ns]").astype(f"M8[{unit}]").view("i8")
    np.testing.assert_array_equal(checkins._calendar(stamps, unit), expected)
    monkeypatch.setattr(checkins, "_CALENDAR_DAYS", 0)
    np.testing.assert_array_equal(checkins._calendar(stamps, unit), expected)


def test_crosstab_equals_pandas(rng):
    """Counts of categorical, boolean and string pairs equal pd.crosstab on object values."""
    n = 500
    columns = [
        pd.Series(pd.Categorical(rng.choice(["M", "F", "X"], n), categories=["X", "M", "F"])),
        pd.Series(pd.array(rng.random(n) < 0.3, dtype="boolean")),
        pd.Series(pd.Categorical(rng.integers(1, 6, n), categories=[5, 4, 3, 2, 1],
                                 ordered=True)),
        pd.Series(rng.choice(["b / x", "a / y", "c / x"], n)),
    ]
    for rows in columns:
        for cols in columns:
            expected = pd.crosstab(rows.astype(object).to_numpy(),
                                   cols.astype(object).to_numpy()).to_numpy()
            np.testing.assert_array_equal(_crosstab(rows, cols), expected)


def test_alpha_items_with_unused_text_category():
    """A non-numeric category nobody chose does not stop the items being read as numbers."""
    item = pd.Categorical([1, 2, None, 5], categories=[1, 2, 3, 4, 5, "dont_know"])
    values = reliability._numeric(pd.DataFrame({"a": item}), ["a"])
    np.testing.assert_array_equal(values[:, 0], [1.0, 2.0, np.nan, 5.0])


def test_alpha_items_with_chosen_text_category():
    """A non-numeric category that was chosen is named in the error."""
    item = pd.Categorical([1, "dont_know", 5], categories=[1, 5, "dont_know"])
    with pytest.raises(SurveyError, match="'dont_know', not a number"):
        reliability._numeric(pd.DataFrame({"a": item}), ["a"])


@pytest.mark.parametrize("condition", ["{in: [a, b]}", "{equals: c}", "{in: [1, '3']}",
                                       "{is: true}", "{equals: 2}"])
def test_condition_on_categories_equals_condition_on_values(rng, condition):
    """A condition evaluated once per category equals it evaluated on every value."""
    for categories in (["a", "b", "c"], [1, 2, 3], [True, False]):
        chosen = rng.integers(0, len(categories), 60)
        values = pd.Series(pd.Categorical([categories[i] for i in chosen],
                                          categories=categories + ["unused"]))
        values.iloc[[3, 7]] = np.nan
        got = condition_mask(values, condition)
        expected = condition_mask(values.astype(object), condition)
        pd.testing.assert_series_equal(got, expected, check_exact=True)


def test_group_sd_equals_sd_of_each_group(rng):
    """The standard deviations by group equal those of each group described alone."""
    n = 300
    data = pd.DataFrame({"km": np.where(rng.random(n) < 0.1, np.nan, rng.exponential(20, n)),
                         "zone": pd.Categorical(rng.choice(["rural", "urban", None], n)),
                         "manager": pd.array(rng.random(n) < 0.4, dtype="boolean"),
                         "w": rng.uniform(0.5, 2.0, n)})
    table = profile(data, "km", by=["zone", "manager"], weights="w")
    sds = table[table["statistic"] == "sd"]
    assert len(sds) == 4
    for _, row in sds.iterrows():
        alone = data[(data["zone"] == row["zone"]) & (data["manager"] == row["manager"])]
        expected = profile(alone.reset_index(drop=True), "km", weights="w")
        assert row["estimate"] == pytest.approx(
            expected.loc[expected["statistic"] == "sd", "estimate"].iloc[0], rel=1e-12)
