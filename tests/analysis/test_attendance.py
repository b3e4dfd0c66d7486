"""Attendance summaries on a small check-in log whose answers were worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.attendance import attendance_by, attendance_growth, attendance_summary
from surveys.errors import DataQualityWarning, SurveyError

WINDOW = {"start": "2016-01-01", "end": "2016-03-31"}


@pytest.fixture
def places() -> pd.DataFrame:
    """Three places: 'a' open all along, 'b' opened mid-February, 'c' never visited."""
    return pd.DataFrame(
        {
            "place_id": ["a", "b", "c"],
            "name": ["La Ruche", "Le Lab", "La Gare"],
            "type": ["coworking", "fablab", "hybrid"],
            "zone": ["urban", "rural", "periurban"],
            "department": ["59", "62", "62"],
            "capacity": [2.0, 1.0, 4.0],
            "opened": pd.to_datetime(["2016-01-01", "2016-02-15", "2015-06-01"]),
        }
    )


@pytest.fixture
def events() -> pd.DataFrame:
    """Check-ins: 'a' has none in February; u1 comes twice on 4 January."""
    rows = [
        ("a", "u1", "2016-01-04 09:00"),
        ("a", "u1", "2016-01-04 14:00"),
        ("a", "u2", "2016-01-05 10:00"),
        ("a", "u1", "2016-03-01 09:00"),
        ("a", "u3", "2016-03-02 09:00"),
        ("b", "u2", "2016-02-20 09:00"),
        ("b", "u2", "2016-03-10 09:00"),
        ("b", "u4", "2016-03-10 11:00"),
    ]
    frame = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame


def _row(out: pd.DataFrame, place: str, month: str) -> pd.Series:
    hit = out[(out["place_id"] == place) & (out["period"] == pd.Timestamp(month))]
    assert len(hit) == 1
    return hit.iloc[0]


def test_rows_cover_every_place_from_opening(events, places):
    """Each place has one row per month from its opening (or the window start) to March."""
    out = attendance_summary(events, places, **WINDOW)
    got = sorted(zip(out["place_id"], out["period"].dt.month))
    assert got == [("a", 1), ("a", 2), ("a", 3), ("b", 2), ("b", 3),
                   ("c", 1), ("c", 2), ("c", 3)]


def test_counts_for_a_month_with_visits(events, places):
    """January at 'a': 3 visits, 2 users both new, 2 user-days (u1 came twice the same day)."""
    row = _row(attendance_summary(events, places, **WINDOW), "a", "2016-01-01")
    assert (row["visits"], row["users"], row["new_users"], row["returning_users"],
            row["user_days"], row["open_days"]) == (3, 2, 2, 0, 2, 31)
    assert row["occupancy"] == pytest.approx(2 / (2 * 31))


def test_month_without_visits_is_a_zero_row(events, places):
    """February at 'a' (no check-ins) is kept with zeros, occupancy 0 and growth -100 %."""
    row = _row(attendance_summary(events, places, **WINDOW), "a", "2016-02-01")
    assert (row["visits"], row["users"], row["user_days"], row["open_days"]) == (0, 0, 0, 29)
    assert row["occupancy"] == 0.0
    assert bool(row["little_used"]) is True
    assert row["growth"] == pytest.approx(-1.0)


def test_returning_and_new_users_across_months(events, places):
    """March at 'a': u1 returns (first came in January), u3 is new; growth after 0 is NaN."""
    row = _row(attendance_summary(events, places, **WINDOW), "a", "2016-03-01")
    assert (row["users"], row["new_users"], row["returning_users"]) == (2, 1, 1)
    assert np.isnan(row["growth"])


def test_place_opened_mid_month_counts_days_since_opening(events, places):
    """'b' opened on 15 February 2016: 15 open days in February, occupancy 1 / (1 x 15)."""
    row = _row(attendance_summary(events, places, **WINDOW), "b", "2016-02-01")
    assert row["open_days"] == 15
    assert row["occupancy"] == pytest.approx(1 / 15)


def test_growth_between_months(events, places):
    """'a' goes from 2 users in January to 1 in February (both whole months): -50 %."""
    extra = pd.DataFrame({"place_id": ["a"], "user_id": ["u9"],
                          "timestamp": pd.to_datetime(["2016-02-03 09:00"])})
    out = attendance_summary(pd.concat([events, extra], ignore_index=True), places, **WINDOW)
    assert _row(out, "a", "2016-02-01")["growth"] == pytest.approx(-0.5)


def test_no_growth_from_a_month_the_place_was_not_open_throughout(events, places):
    """'b' opened on 15 February: its 1 user then and 2 in March are no +100 %."""
    row = _row(attendance_summary(events, places, **WINDOW), "b", "2016-03-01")
    assert (row["users"], row["new_users"], row["returning_users"]) == (2, 1, 1)
    assert np.isnan(row["growth"])


def test_place_without_visits_has_zero_rows(events, places):
    """'c' was never visited: three rows of zeros, occupancy 0, flagged little used."""
    rows = attendance_summary(events, places, **WINDOW).query("place_id == 'c'")
    assert rows["visits"].tolist() == [0, 0, 0]
    assert rows["open_days"].tolist() == [31, 29, 31]
    assert rows["little_used"].tolist() == [True, True, True]


def test_registry_attributes_are_joined(events, places):
    """Each row carries its place's name, type, zone and department from the registry."""
    row = _row(attendance_summary(events, places, **WINDOW), "b", "2016-03-01")
    assert (row["name"], row["type"], row["zone"], row["department"]) == (
        "Le Lab", "fablab", "rural", "62")


def test_little_used_threshold_is_configurable(events, places):
    """At a 5 % threshold, 'a' in January (3.2 %) is little used, 'b' in February (6.7 %) not."""
    out = attendance_summary(events, places, little_used=0.05, **WINDOW)
    assert bool(_row(out, "a", "2016-01-01")["little_used"]) is True
    assert bool(_row(out, "b", "2016-02-01")["little_used"]) is False


def test_weekdays_only(events, places):
    """Open Monday to Friday: January 2016 has 21 weekdays, 15-29 February 2016 has 11."""
    out = attendance_summary(events, places, open_days="weekdays", **WINDOW)
    assert _row(out, "a", "2016-01-01")["open_days"] == 21
    assert _row(out, "b", "2016-02-01")["open_days"] == 11


def test_quarterly_periods(events, places):
    """By quarter, 'a' has 5 visits, 3 distinct users and 4 user-days over 91 open days."""
    out = attendance_summary(events, places, freq="Q", **WINDOW)
    row = _row(out, "a", "2016-01-01")
    assert (row["visits"], row["users"], row["new_users"], row["user_days"],
            row["open_days"]) == (5, 3, 3, 4, 91)


def test_default_window_is_whole_periods_of_the_log(events, places):
    """Without start/end the window is January-March 2016 (the log's first and last months)."""
    out = attendance_summary(events, places)
    assert out["period"].min() == pd.Timestamp("2016-01-01")
    assert out["period"].max() == pd.Timestamp("2016-03-01")


def test_unknown_place_is_warned_and_noted(events, places):
    """A check-in at a place missing from the registry is left out with a warning and a note."""
    extra = pd.DataFrame({"place_id": ["zz"], "user_id": ["u9"],
                          "timestamp": pd.to_datetime(["2016-01-10"])})
    with pytest.warns(DataQualityWarning, match="zz"):
        out = attendance_summary(pd.concat([events, extra]), places, **WINDOW)
    assert any("1 check-in whose place code is missing from the places file ('zz')" in note
               for note in out.attrs["notes"])
    assert out["visits"].sum() == len(events)


def test_missing_user_is_warned(events, places):
    """A check-in without a user id is left out with a DataQualityWarning."""
    broken = events.copy()
    broken.loc[0, "user_id"] = None
    with pytest.warns(DataQualityWarning, match="check-in without a place, a user or a time"):
        out = attendance_summary(broken, places, **WINDOW)
    assert out["visits"].sum() == len(events) - 1


def test_checkin_before_opening_is_warned(events, places):
    """A check-in at 'b' before its opening starts its rows in January, with 0 open days."""
    early = pd.DataFrame({"place_id": ["b"], "user_id": ["u5"],
                          "timestamp": pd.to_datetime(["2016-01-20"])})
    with pytest.warns(DataQualityWarning, match="check-ins before their opening"):
        out = attendance_summary(pd.concat([events, early]), places, **WINDOW)
    row = _row(out, "b", "2016-01-01")
    assert (row["visits"], row["open_days"]) == (1, 0)
    assert np.isnan(row["occupancy"]) and pd.isna(row["little_used"])


def test_duplicate_registry_rows_raise(events, places):
    """A place listed twice in the registry is a SurveyError naming it."""
    with pytest.raises(SurveyError, match="'a'"):
        attendance_summary(events, pd.concat([places, places.iloc[[0]]]), **WINDOW)


def test_unknown_freq_raises(events, places):
    """freq must be one of M, Q, Y."""
    with pytest.raises(SurveyError, match="'M'"):
        attendance_summary(events, places, freq="D")


def test_categorical_ids_give_the_same_table(events, places):
    """place_id and user_id as categoricals (as surveys.read may give) change nothing."""
    as_cat = events.astype({"place_id": "category", "user_id": "category"})
    pd.testing.assert_frame_equal(attendance_summary(as_cat, places, **WINDOW),
                                  attendance_summary(events, places, **WINDOW))


def test_matches_a_plain_groupby(rng):
    """On a random log, counts equal a straightforward pandas groupby computation."""
    n = 5_000
    log = pd.DataFrame({
        "place_id": rng.choice(["p1", "p2", "p3"], n),
        "user_id": rng.choice([f"u{i}" for i in range(300)], n),
        "timestamp": pd.Timestamp("2016-01-01")
        + pd.to_timedelta(rng.integers(0, 366 * 24 * 60, n), unit="min"),
    })
    registry = pd.DataFrame({"place_id": ["p1", "p2", "p3"], "capacity": [5.0, 6.0, 7.0]})
    ours = attendance_summary(log, registry).set_index(["place_id", "period"])
    log["period"] = log["timestamp"].dt.to_period("M").dt.to_timestamp()
    log["day"] = log["timestamp"].dt.normalize()
    first = log.groupby(["place_id", "user_id"])["period"].transform("min")
    grouped = log.assign(new=log["user_id"].where(first == log["period"])).groupby(
        ["place_id", "period"])
    expected = pd.DataFrame({
        "visits": grouped.size(),
        "users": grouped["user_id"].nunique(),
        "new_users": grouped["new"].nunique(),
        "user_days": log.groupby(["place_id", "period"])[["user_id", "day"]]
        .apply(lambda g: len(g.drop_duplicates())),
    })
    got = ours.loc[expected.index, ["visits", "users", "new_users", "user_days"]]
    assert (got.to_numpy() == expected.to_numpy()).all()


def test_attendance_by_type(events, places):
    """Totals by zone in March: occupancy is total user-days over total seat-days."""
    out = attendance_by(attendance_summary(events, places, **WINDOW), by=())
    march = out[out["period"] == pd.Timestamp("2016-03-01")].iloc[0]
    assert (march["places"], march["visits"], march["users"], march["user_days"]) == (3, 4, 4, 4)
    assert march["occupancy"] == pytest.approx(4 / ((2 + 1 + 4) * 31))
    assert march["little_used_places"] == 3


def test_attendance_by_keeps_groups(events, places):
    """Grouping by type gives one row per type and period with places open."""
    out = attendance_by(attendance_summary(events, places, **WINDOW), by="type")
    assert len(out) == 8
    assert set(out["type"]) == {"coworking", "fablab", "hybrid"}


def _yearly_log() -> tuple[pd.DataFrame, pd.DataFrame]:
    """'a' has 2 users in 2014, some in 2015, 8 in 2016; 'b' opened in July 2015."""
    users = {2014: 2, 2015: 3, 2016: 8}
    rows = [("a", f"u{year}-{i}", f"{year}-06-01") for year, k in users.items()
            for i in range(k)]
    rows += [("b", "v1", "2015-08-01"), ("b", "v1", "2016-08-01"), ("b", "v2", "2016-09-01")]
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    events["timestamp"] = pd.to_datetime(events["timestamp"])
    places = pd.DataFrame({"place_id": ["a", "b"], "type": ["coworking", "coworking"],
                           "capacity": [10.0, 5.0],
                           "opened": pd.to_datetime(["2010-01-01", "2015-07-01"])})
    return events, places


def test_cagr_between_first_and_last_full_year():
    """'a': 2 users in 2014 and 8 in 2016 give (8/2)^(1/2) - 1 = 100 % a year."""
    events, places = _yearly_log()
    out = attendance_growth(events, places, start="2014-01-01", end="2016-12-31")
    a = out.set_index("place_id").loc["a"]
    assert (a["first_year"], a["last_year"], a["first_value"], a["last_value"]) == (
        2014, 2016, 2, 8)
    assert a["estimate"] == pytest.approx(1.0)


def test_cagr_needs_two_full_years():
    """'b' opened in July 2015, so 2016 is its only full year: no growth rate."""
    events, places = _yearly_log()
    out = attendance_growth(events, places, start="2014-01-01", end="2016-12-31")
    b = out.set_index("place_id").loc["b"]
    assert (b["first_year"], b["last_year"]) == (2016, 2016)
    assert np.isnan(b["estimate"])


def test_partial_years_of_the_log_are_not_full():
    """With the log starting in June 2014, the first full year is 2015 (3 users -> 8)."""
    events, places = _yearly_log()
    out = attendance_growth(events, places, start="2014-06-01", end="2016-12-31")
    a = out.set_index("place_id").loc["a"]
    assert a["first_year"] == 2015
    assert a["estimate"] == pytest.approx(8 / 3 - 1)


def test_network_growth_counts_distinct_users():
    """Network-wide, v1 (at 'b' in 2015 and 2016) counts once a year: 2016 has 8 + 2 users."""
    events, places = _yearly_log()
    out = attendance_growth(events, places, by=None, start="2014-01-01", end="2016-12-31")
    assert (out["first_value"].iloc[0], out["last_value"].iloc[0]) == (2, 10)
    assert out["estimate"].iloc[0] == pytest.approx(np.sqrt(10 / 2) - 1)


def test_group_growth_sums_places():
    """Per type, coworking places sum to 2 users in 2014 ('b' not open) and 8 + 2 in 2016."""
    events, places = _yearly_log()
    out = attendance_growth(events, places, by="type", start="2014-01-01", end="2016-12-31")
    row = out.set_index("type").loc["coworking"]
    assert (row["first_value"], row["last_value"]) == (2, 10)


def test_default_growth_window_is_whole_months():
    """A log from 2 January 2014 to 30 December 2016 covers 2014-2016 as full years."""
    events, places = _yearly_log()
    edges = pd.DataFrame({"place_id": ["a", "a"], "user_id": ["w", "w"],
                          "timestamp": pd.to_datetime(["2014-01-02", "2016-12-30"])})
    out = attendance_growth(pd.concat([events, edges]), places)
    a = out.set_index("place_id").loc["a"]
    assert (a["first_year"], a["last_year"], a["first_value"], a["last_value"]) == (
        2014, 2016, 3, 9)


def _random_log(rng, n: int = 6000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random log of two and a half years at four places, and their registry."""
    log = pd.DataFrame({
        "place_id": rng.choice(["p1", "p2", "p3", "p4"], n),
        "user_id": rng.choice([f"u{i}" for i in range(250)], n),
        "timestamp": pd.Timestamp("2014-07-01")
        + pd.to_timedelta(rng.integers(0, 900 * 24 * 60, n), unit="min"),
    })
    registry = pd.DataFrame({"place_id": ["p1", "p2", "p3", "p4"],
                             "capacity": [5.0, 6.0, 7.0, 8.0],
                             "opened": pd.to_datetime(["2014-01-01", "2014-06-10", None,
                                                       "2014-02-01"])})
    return log, registry


def test_work_in_small_chunks_gives_the_same_tables(rng, monkeypatch):
    """Chunks of 7 keys or check-ins (keys, repeats, cells, visits, users) change no
    table, whole-log or inside a window."""
    from analysis import _checkin_log

    log, registry = _random_log(rng)
    calls = [{"freq": "M"}, {"freq": "Y"}, {"freq": "Q", "start": "2015-02-10",
                                             "end": "2016-05-31"}]
    expected = [attendance_summary(log, registry, **call) for call in calls]
    monkeypatch.setattr(_checkin_log, "_CHUNK", 7)
    for call, table in zip(calls, expected):
        pd.testing.assert_frame_equal(attendance_summary(log, registry, **call), table,
                                      check_exact=True)


@pytest.mark.parametrize("measure", ["users", "visits", "user_days"])
def test_network_growth_with_few_categorical_users(rng, measure):
    """Categorical ids with few users (8-bit codes) give the network growth of string
    ids: the (user, day) keys are 64-bit whatever the codes."""
    log, registry = _random_log(rng)
    log = log[log["user_id"].isin([f"u{i}" for i in range(100)])]
    as_cat = log.astype({"user_id": "category", "place_id": "category"})
    pd.testing.assert_frame_equal(
        attendance_growth(as_cat, registry, by=None, measure=measure, start="2014-07-01"),
        attendance_growth(log, registry, by=None, measure=measure, start="2014-07-01"))


def test_growth_window_counts_left_out_checkins():
    """The default growth window starts with the first timestamp even when that
    check-in is left out (unknown place), in the report tables as in the public call."""
    from analysis.attendance import _report_tables

    places = pd.DataFrame({"place_id": ["a"], "capacity": [3.0],
                           "opened": pd.to_datetime(["2013-01-01"])})
    events = pd.DataFrame({"place_id": ["zz", "a", "a", "a"],
                           "user_id": ["u1", "u1", "u2", "u2"],
                           "timestamp": pd.to_datetime(["2014-01-20", "2014-02-03",
                                                        "2015-06-01", "2016-12-30"])})
    with pytest.warns(DataQualityWarning):
        expected = attendance_growth(events, places)
    with pytest.warns(DataQualityWarning):
        growth = _report_tables(events, places)[2]
    pd.testing.assert_frame_equal(growth, expected)
    assert expected.loc[0, "first_year"] == 2014     # January 2014 is in the window


def test_many_places_and_periods_without_day_table(rng, monkeypatch):
    """400 places x 100 months counted event by event (no places x days table) give the
    table of the day table: (place, period) cells past 16 bits are counted right."""
    from analysis import _checkin_log

    ids = [f"p{i:03d}" for i in range(400)]
    registry = pd.DataFrame({"place_id": ids, "capacity": 4.0})
    log = pd.DataFrame({"place_id": rng.choice(ids, 3000),
                        "user_id": rng.choice([f"u{i}" for i in range(90)], 3000),
                        "timestamp": pd.Timestamp("2008-01-01")
                        + pd.to_timedelta(rng.integers(0, 3040, 3000), unit="D")})
    expected = attendance_summary(log, registry, start="2008-01-01", end="2016-04-30")
    monkeypatch.setattr(_checkin_log, "_DENSE_VISITS", 0)
    got = attendance_summary(log, registry, start="2008-01-01", end="2016-04-30")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["visits"].sum() == 3000
