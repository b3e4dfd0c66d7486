"""The check-in log's seniority against the published distribution only when the log
is long enough to show every band (analysis/_log_lanes.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis._evaluation_tables import new_part
from surveys import Survey, codebook
from analysis._log_lanes import checkin_retention


def _log(days: int, rng) -> Survey:
    """A log of 200 users over ``days`` days, some coming from the first to the last."""
    users = rng.integers(0, 200, 4000)
    start = pd.Timestamp("2014-01-06 08:00")
    offsets = np.sort(rng.integers(0, days, 4000))
    offsets[:2], users[:2] = [0, days - 1], [7, 7]  # one user spans the whole log
    data = pd.DataFrame({"place_id": "P1", "user_id": [f"u{u}" for u in users],
                         "timestamp": start + pd.to_timedelta(offsets, unit="D")})
    return Survey(data, "attendance", codebook("attendance"), "log.csv")


def _tables(survey) -> dict:
    part = new_part(SimpleNamespace(name="p", lang="fr", min_cell=5))
    checkin_retention(part, {"log": survey})
    return part.sections["retention"].tables


def test_log_shorter_than_the_longest_band_is_not_compared(rng):
    """A log of 700 days (under 24 months) shows no user over 2 years: no test, a note."""
    tables = _tables(_log(700, rng))
    assert "log_seniority_test" not in tables
    notes = tables["log_seniority"].notes
    assert "report.seniority_window" in notes and "report.seniority_from_log" in notes


def test_log_covering_every_band_is_compared(rng):
    """A log of 800 days (over 24 months) is compared with the published bands."""
    tables = _tables(_log(800, rng))
    assert len(tables["log_seniority_test"].data) == 1
    assert tables["log_seniority"].notes == ["report.seniority_from_log"]
