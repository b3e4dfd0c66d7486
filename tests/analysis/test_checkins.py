"""Durations from check-in logs and dates, cohort tables, seniority cross-sections.

Expected rows are computed by hand in the comments (2016 is a leap year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.checkins import (
    DAYS_PER_MONTH,
    cohorts,
    compare_seniority,
    durations_from_dates,
    retention_from_checkins,
    seniority_bands,
)
from surveys.errors import DataQualityWarning, SurveyError


def _log(rows):
    frame = pd.DataFrame(rows, columns=["user_id", "place_id", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame


@pytest.fixture
def log():
    """Five users; the log ends on 2016-06-20 (u3's last visit)."""
    return _log([
        ("u1", "A", "2016-01-01"), ("u1", "A", "2016-01-15"), ("u1", "B", "2016-03-01"),
        ("u2", "B", "2016-02-10"),
        ("u3", "A", "2016-01-20"), ("u3", "A", "2016-06-20"),
        ("u4", "C", "2016-05-01"), ("u4", "A", "2016-04-25"),   # out of order in the log
        ("u5", "B", "2016-04-21"),
    ])


def test_checkins_give_one_row_per_user_with_censoring(log):
    """Hand-computed rows: who left, who is still coming, and for how long."""
    result = retention_from_checkins(log, inactivity_days=60).sort_values("user_id")
    # u1: last 03-01 is 111 days before 06-20 -> left; stayed 01-01 -> 03-01 = 60 days
    # u2: one visit, 131 days before -> left after 0 days
    # u3: still coming; followed 01-20 -> 06-20 = 152 days
    # u4: last 05-01, 50 days before -> still coming; first visit 04-25 at A -> 56 days
    # u5: last visit exactly 60 days before: not *more* than 60 -> still coming, 60 days
    assert result["user_id"].tolist() == ["u1", "u2", "u3", "u4", "u5"]
    assert result["place_id"].tolist() == ["A", "B", "A", "A", "B"]
    assert result["visits"].tolist() == [3, 1, 2, 2, 1]
    assert result["duration_days"].tolist() == [60.0, 0.0, 152.0, 56.0, 60.0]
    assert result["observed"].tolist() == [True, True, False, False, False]
    assert result["first_visit"].iloc[3] == pd.Timestamp("2016-04-25")
    assert result["last_visit"].iloc[0] == pd.Timestamp("2016-03-01")
    np.testing.assert_allclose(result["duration_months"], result["duration_days"] / 30.4375)


def test_checkins_as_of_ignores_later_visits(log):
    """With as_of 2016-03-31, later check-ins are ignored and censoring is re-judged."""
    result = retention_from_checkins(log, inactivity_days=60, as_of="2016-03-31")
    result = result.sort_values("user_id")
    # u1: last 03-01 (30 days) -> still coming, 01-01 -> 03-31 = 90 days
    # u2: last 02-10 (50 days) -> still coming, 50 days
    # u3: only the 01-20 visit counts (70 days) -> left after 0 days
    assert result["user_id"].tolist() == ["u1", "u2", "u3"]
    assert result["duration_days"].tolist() == [90.0, 50.0, 0.0]
    assert result["observed"].tolist() == [False, False, True]
    assert result["visits"].tolist() == [3, 1, 1]   # u1: 01-01, 01-15, 03-01


def test_checkins_missing_column_is_named(log):
    """A log without timestamp is refused with the column named."""
    with pytest.raises(SurveyError, match="timestamp"):
        retention_from_checkins(log.drop(columns="timestamp"))


def test_cohorts_by_hand():
    """Monthly cohorts on a tiny log, counted by hand."""
    events = _log([
        ("a", "p", "2016-01-03"), ("a", "p", "2016-01-20"), ("a", "p", "2016-03-05"),
        ("b", "p", "2016-01-15"),
        ("c", "p", "2016-02-01"), ("c", "p", "2016-03-31"),
    ])
    result = cohorts(events)
    # January cohort {a, b}: both in Jan, nobody in Feb, a in Mar; February cohort {c}
    expected = pd.DataFrame({
        "cohort": pd.to_datetime(["2016-01-01"] * 3 + ["2016-02-01"] * 2),
        "period_index": [0, 1, 2, 0, 1], "users": [2, 2, 2, 1, 1],
        "active": [2, 0, 1, 1, 1], "share": [1.0, 0.0, 0.5, 1.0, 1.0]})
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)


def test_cohorts_by_quarter():
    """Other periods work the same way: quarters here."""
    events = _log([("a", "p", "2016-01-03"), ("a", "p", "2016-05-01"),
                   ("b", "p", "2016-04-15")])
    result = cohorts(events, period="Q")
    assert result["active"].tolist() == [1, 1, 1]
    assert result["period_index"].tolist() == [0, 1, 0]


@pytest.mark.parametrize("period", ["D", "W", "M", "Q", "Y"])
def test_period_ordinals_equal_pandas(rng, period):
    """The fast numpy period numbering equals pandas Period ordinals."""
    from analysis.checkins import _period_ordinals

    stamps = rng.integers(0, 2 * 10**18, 10_000)
    ordinal, last = _period_ordinals(stamps, pd.Timestamp("2020-02-29"), period)
    index = pd.PeriodIndex(pd.DatetimeIndex(stamps.view("M8[ns]")), freq=period)
    np.testing.assert_array_equal(ordinal, index.asi8)
    assert last == pd.Period("2020-02-29", freq=period).ordinal


def test_cohorts_bad_period_is_explained():
    """An unknown period alias raises a SurveyError naming the aliases."""
    with pytest.raises(SurveyError, match="period alias"):
        cohorts(_log([("a", "p", "2016-01-03")]), period="fortnight")


def test_durations_from_dates():
    """Ended stays are events; missing or future end dates are still running."""
    result = durations_from_dates(
        pd.to_datetime(["2016-01-01", "2016-03-01", "2016-02-01", "2017-01-01"]),
        pd.to_datetime(["2016-07-01", None, "2016-12-31", None]), as_of="2016-09-01")
    days = np.array([182, 184, 213, np.nan])   # Jan 1 -> Jul 1; Mar 1 -> Sep 1; Feb 1 -> Sep 1
    np.testing.assert_allclose(result["duration_months"], days / DAYS_PER_MONTH)
    assert result["observed"].tolist() == [True, False, False, False]


def test_durations_from_dates_refuses_end_before_start():
    """An end date before its start date is a data error."""
    with pytest.raises(SurveyError, match="before their start"):
        durations_from_dates(pd.to_datetime(["2016-05-01"]), pd.to_datetime(["2016-01-01"]))


def test_seniority_of_active_users_by_hand(log):
    """Users active on 2016-06-20 and how long they have been coming, in bands."""
    result = seniority_bands(log, inactivity_days=60)
    # active: u3 (152 days = 4.99 months: 3-6m), u4 (56 days: <3m), u5 (60 days: <3m)
    assert result["band"].tolist() == ["<3m", "3-6m", "6-12m", "1-2y", ">2y"]
    assert result["count"].tolist() == [2, 1, 0, 0, 0]
    assert (result["n"] == 3).all()
    np.testing.assert_allclose(result["estimate"], [2 / 3, 1 / 3, 0, 0, 0])
    assert (result["ci_low"] <= result["estimate"]).all()


def test_seniority_from_company_dates():
    """Companies active at a date (joined, not yet left) by seniority band."""
    companies = pd.DataFrame({
        "joined": pd.to_datetime(["2015-01-01", "2016-05-01", "2014-01-01", "2016-08-01",
                                  "2013-06-01"]),
        "left": pd.to_datetime([None, None, "2015-06-01", None, "2016-12-01"])})
    result = seniority_bands(companies, start="joined", end="left", at="2016-06-30")
    # 546 days (1-2y), 60 days (<3m), left before, not yet joined, 1125 days (>2y)
    assert result["count"].tolist() == [1, 0, 0, 1, 1]


def test_compare_seniority_uses_renormalised_aquitaine_shares():
    """Chi-square goodness of fit against 14/17/23/32/13 % rescaled from 99 % to 100 %."""
    table = pd.DataFrame({"band": ["<3m", "3-6m", "6-12m", "1-2y", ">2y"],
                          "count": [20, 10, 30, 25, 15], "n": 100})
    result = compare_seniority(table)
    expected = 100 * np.array([0.14, 0.17, 0.23, 0.32, 0.13]) / 0.99
    ref = stats.chisquare([20, 10, 30, 25, 15], expected)
    assert result["statistic"].iloc[0] == pytest.approx(ref.statistic, rel=1e-12)
    assert result["p_value"].iloc[0] == pytest.approx(ref.pvalue, rel=1e-12)
    assert result["df"].iloc[0] == 4
    assert "99 %" in result["note"].iloc[0]
    assert result["effect_size"].iloc[0] == pytest.approx(np.sqrt(ref.statistic / 100))


def test_compare_seniority_refuses_other_bands():
    """A table in other bands cannot be compared with the published ones."""
    table = pd.DataFrame({"band": ["short", "long"], "count": [1, 2], "n": 3})
    with pytest.raises(SurveyError, match="published bands"):
        compare_seniority(table)


def test_checkins_without_user_are_left_out_with_a_warning(log):
    """Rows without a user id are dropped and counted in a DataQualityWarning."""
    from surveys.errors import DataQualityWarning

    broken = log.copy()
    broken.loc[0, "user_id"] = None
    with pytest.warns(DataQualityWarning, match="1 check-ins"):
        result = retention_from_checkins(broken)
    assert result.set_index("user_id").loc["u1", "visits"] == 2


@pytest.mark.parametrize("function", ["retention_from_checkins", "cohorts"])
def test_as_of_before_every_checkin_is_a_clear_error(function):
    """as_of before the first check-in: a SurveyError naming as_of and the log's start."""
    import analysis
    from surveys.errors import SurveyError

    events = pd.DataFrame({"user_id": ["a", "b"], "place_id": ["p", "p"],
                           "timestamp": pd.to_datetime(["2016-03-01", "2016-04-01"])})
    with pytest.raises(SurveyError, match="as_of=2015-01-01.*2016-03-01"):
        getattr(analysis, function)(events, as_of="2015-01-01")


def _random_log(rng, n: int = 4000, users: int = 300) -> pd.DataFrame:
    """A log in time order over two years, user and place ids as strings."""
    stamps = np.sort(pd.Timestamp("2015-01-01").value
                     + rng.integers(0, 730 * 86_400, n) * 10**9).view("M8[ns]")
    return pd.DataFrame({"place_id": rng.choice(["A", "B", "C"], n),
                         "user_id": np.array([f"u{i:03d}" for i in range(users)],
                                             dtype=object)[rng.integers(0, users, n)],
                         "timestamp": stamps})


@pytest.mark.parametrize("categories", ["as_read", "shuffled_with_unused"])
def test_categorical_user_ids_give_the_string_ids_table(rng, categories):
    """Categorical ids give the table of the same ids as strings, users in order of
    first appearance: categories in that order (as read) or not, some unused."""
    log = _random_log(rng)
    categories = (list(pd.unique(log["user_id"])) if categories == "as_read"
                  else ["zz-unused"] + sorted(set(log["user_id"]), reverse=True))
    as_cat = log.assign(user_id=pd.Categorical(log["user_id"], categories=categories))
    expected = retention_from_checkins(log)
    pd.testing.assert_frame_equal(retention_from_checkins(as_cat), expected)
    assert expected["user_id"].tolist() == list(pd.unique(log["user_id"]))


def test_categorical_user_ids_with_a_missing_id(rng):
    """A missing categorical id is left out with a warning, as a missing string id."""
    log = _random_log(rng, 500, 40)
    log.loc[3, "user_id"] = None
    as_cat = log.assign(user_id=log["user_id"].astype("category"))
    with pytest.warns(DataQualityWarning):
        expected = retention_from_checkins(log)
    with pytest.warns(DataQualityWarning):
        got = retention_from_checkins(as_cat)
    pd.testing.assert_frame_equal(got, expected)


def test_log_out_of_time_order_gives_the_same_users(rng):
    """Shuffled rows give each user the same first and last visit, visits and duration
    as the log in time order (the in-order shortcut is not taken)."""
    log = _random_log(rng).astype({"user_id": "category"})
    shuffled = log.iloc[rng.permutation(len(log))].reset_index(drop=True)
    columns = ["first_visit", "last_visit", "visits", "duration_days", "observed"]
    ordered = retention_from_checkins(log).set_index("user_id").sort_index()[columns]
    got = retention_from_checkins(shuffled).set_index("user_id").sort_index()[columns]
    pd.testing.assert_frame_equal(got, ordered)


@pytest.mark.parametrize("categories", ["as_read", "sorted"])
def test_work_in_small_chunks_gives_the_same_tables(rng, monkeypatch, categories):
    """Chunks of 7 rows (first rows, time order, days, cohort cells) change no table,
    categories in order of first appearance (as read) or not."""
    from analysis import checkins

    log = _random_log(rng)
    order = pd.unique(log["user_id"]) if categories == "as_read" else None
    log["user_id"] = pd.Categorical(log["user_id"], categories=order)
    expected = {"stays": retention_from_checkins(log), "bands": seniority_bands(log),
                **{period: cohorts(log, period) for period in ("D", "M", "Q", "Y")}}
    monkeypatch.setattr(checkins, "_CHUNK", 7)
    got = {"stays": retention_from_checkins(log), "bands": seniority_bands(log),
           **{period: cohorts(log, period) for period in ("D", "M", "Q", "Y")}}
    for name, table in expected.items():
        pd.testing.assert_frame_equal(got[name], table, check_exact=True)


def test_dates_given_as_strings_or_datetimes_agree():
    """durations_from_dates gives the same table for datetime columns and date strings."""
    start = pd.Series(["2016-01-01", "2016-03-01", None])
    end = pd.Series(["2016-07-01", None, None])
    as_dates = durations_from_dates(pd.to_datetime(start), pd.to_datetime(end),
                                    as_of="2016-09-01")
    pd.testing.assert_frame_equal(durations_from_dates(start, end, as_of="2016-09-01"),
                                  as_dates)


def test_first_rows_of_codes_in_order_of_appearance(rng, monkeypatch):
    """Codes first appearing as 0, 1, 2... (as read): each code's first row is found in
    one pass, chunk by chunk (chunks of 3 here); other codes are left to the search."""
    from analysis import checkins

    monkeypatch.setattr(checkins, "_CHUNK", 3)
    codes = np.maximum.accumulate(rng.integers(0, 3, 200)).cumsum() // 40
    codes = np.where(rng.random(200) < 0.3, codes // 2, codes).astype(np.int32)
    codes[[5, 77]] = -1                                        # missing ids
    n_codes = int(codes.max()) + 1
    expected = [int(np.flatnonzero(codes == code)[0]) for code in range(n_codes)]
    assert checkins._rows_in_order(codes, n_codes).tolist() == expected
    assert checkins._rows_in_order(codes, n_codes + 1) is None          # a code unused
    assert checkins._rows_in_order(np.array([0, 2, 1], dtype=np.int32), 3) is None
