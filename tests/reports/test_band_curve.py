"""A curve of declared seniority bands publishes no level, mass or count resting on 1 to
4 users (reports/curve_grid.published_bands)."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Table
from reports.curve_grid import published_bands

MIN_CELL = 5


def _bands(events: list[int], n: int) -> Table:
    """A pilot's band curve (levels from the counts) beside a reference curve."""
    times = [0.0, 3.0, 6.0, 12.0, 24.0][: len(events)]
    left = n - pd.Series(events).cumsum()
    pilot = pd.DataFrame({"time": times, "survival": left / n, "mass": pd.Series(events) / n,
                          "events": events, "n": n, "curve": "pilot", "reference": False})
    reference = pd.DataFrame({"time": times, "survival": [1.0, 0.9, 0.7, 0.4, 0.1][: len(events)],
                              "curve": "aquitaine-2016", "reference": True})
    return Table("users_bands_curve", pd.concat([pilot, reference], ignore_index=True),
                 "tables.retention.bands", count_column="n", figure="km_curve")


def test_small_band_hides_its_level_and_the_next_mass():
    """3 users in the first band: its level, its mass and the next band's mass go."""
    out = published_bands(_bands([0, 3, 20, 30, 10], 70), MIN_CELL).data
    pilot = out[out["curve"] == "pilot"]
    assert pilot["survival"].isna().tolist() == [False, True, False, False, False]
    assert pilot["mass"].isna().tolist() == [False, True, True, False, False]
    assert pilot["events"].isna().tolist() == [False, True, True, False, False]


def test_level_with_few_users_beyond_is_hidden():
    """A level that is the share of the 2 users beyond it is hidden."""
    out = published_bands(_bands([0, 20, 20, 28], 70), MIN_CELL).data
    pilot = out[out["curve"] == "pilot"]
    assert pilot["survival"].isna().tolist() == [False, False, False, True]


def test_reference_rows_are_kept():
    """The published reference curve is not the pilot's people: left as it is."""
    table = _bands([0, 3, 20, 30, 10], 70)
    out = published_bands(table, MIN_CELL).data
    reference = out["curve"] == "aquitaine-2016"
    pd.testing.assert_frame_equal(out.loc[reference, ["time", "survival"]],
                                  table.data.loc[reference, ["time", "survival"]])


def test_large_bands_are_published_whole():
    """Bands of 5 users or more: every level and mass as estimated."""
    table = _bands([0, 10, 20, 30, 5], 70)
    out = published_bands(table, MIN_CELL)
    assert out.data["survival"].notna().all() and "report.curve_levels" not in out.notes
