"""Review 10, items 1-3: a test between groups and a period's growth can give hidden
cells back, so they are hidden with them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.suppression import HIDDEN_CELLS, suppress

_TESTS = ["test_statistic", "p_value", "p_adjusted"]


def _by_status() -> pd.DataFrame:
    """Users by status: 'still' has a cell of 1 (hidden), 'gender' none."""
    rows = []
    for variable, counts in [("still", {"a": (50, 1), "b": (30, 6)}),
                             ("gender", {"a": (26, 25), "b": (18, 18)})]:
        for status, (yes, no) in counts.items():
            for category, count in [("yes", yes), ("no", no)]:
                rows.append({"status": status, "variable": variable, "category": category,
                             "statistic": "share", "n": yes + no, "count": count,
                             "estimate": count / (yes + no), "test_statistic": 4.2,
                             "p_value": 0.0184, "p_adjusted": 0.0368, "cell_count": count})
    return pd.DataFrame(rows)


def test_a_hidden_cell_hides_its_variables_test_on_every_row():
    """The status with 1 'no' is hidden; the test of 'still' goes from the rows kept too."""
    out = suppress(_by_status(), "cell_count", group_columns=["status"])
    still = out[out["variable"] == "still"]
    assert still["suppressed"].any() and not still["suppressed"].all()
    assert still[_TESTS].isna().all().all()
    kept = still[~still["suppressed"]]
    assert kept[HIDDEN_CELLS].str.contains("p_value").all()


def test_a_hidden_bound_hides_the_test():
    """A quartile's upper bound hidden by its tail (its estimate shown) hides the test."""
    frame = pd.DataFrame({"status": ["a", "a", "b", "b"], "variable": "days",
                          "category": None, "statistic": ["mean", "q3", "mean", "q3"],
                          "n": 40, "estimate": [1.8, 2.0, 1.9, 3.0],
                          "ci_low": [1.5, 2.0, 1.6, 2.0], "ci_high": [2.1, 3.0, 2.2, 3.0],
                          "estimate_beyond": [40, 9, 40, 9], "ci_high_beyond": [40, 3, 40, 9],
                          "test_statistic": 0.38, "p_value": 0.539, "p_adjusted": 1.0,
                          "cell_count": 40})
    out = suppress(frame, "cell_count", group_columns=["status"])
    assert np.isnan(out.loc[1, "ci_high"]) and out.loc[1, "estimate"] == 2.0
    assert out["p_value"].isna().all()


def test_a_table_without_hidden_cells_keeps_its_test():
    """Gender, with every cell of 18 or more, keeps its statistic and p-values."""
    out = suppress(_by_status(), "cell_count", group_columns=["status"])
    gender = out[out["variable"] == "gender"]
    assert not gender["suppressed"].any()
    assert (gender["p_value"] == 0.0184).all()


def test_a_hidden_quartile_hides_the_test_too():
    """A quartile hidden by its tail hides the variable's test on every row (since
    privacy review 11: a rank test's statistic with the published levels gave back
    whole hidden distributions of a few companies)."""
    frame = pd.DataFrame({"status": ["a", "a", "b", "b"], "variable": "age",
                          "category": None, "statistic": ["mean", "q3", "mean", "q3"],
                          "n": 40, "estimate": [41.0, 50.0, 44.0, 52.0],
                          "estimate_beyond": [40, 2, 40, 12], "test_statistic": 1.3,
                          "p_value": 0.26, "p_adjusted": 0.5, "cell_count": 40})
    out = suppress(frame, "cell_count", group_columns=["status"])
    assert np.isnan(out.loc[1, "estimate"])
    assert out["p_value"].isna().all() and out["test_statistic"].isna().all()


def _months() -> pd.DataFrame:
    period = pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01"] * 2)
    users = [2, 5, 9, 20, 22, 30]
    zone = ["rural"] * 3 + ["urban"] * 3
    frame = pd.DataFrame({"period": period, "type": "coworking", "zone": zone, "users": users})
    previous = frame.groupby("zone")["users"].shift(1)
    return frame.assign(growth=frame["users"] / previous - 1)


def test_growth_after_a_hidden_period_is_hidden():
    """January's 2 users are hidden; February's +150 % would give them back (5 / 2.5)."""
    out = suppress(_months(), "users")
    rural = out[out["zone"] == "rural"].reset_index(drop=True)
    assert rural.loc[0, "suppressed"]
    assert np.isnan(rural.loc[1, "growth"]) and "growth" in rural.loc[1, HIDDEN_CELLS]
    assert rural.loc[2, "growth"] == 9 / 5 - 1


def test_growth_of_a_series_without_hidden_periods_stays():
    """The urban series, every month published, keeps its growth (no breakdown here, so
    no sibling of the hidden rural month is hidden with it)."""
    out = suppress(_months(), "users")
    assert not out.loc[out["zone"] == "urban", "suppressed"].any()
    urban = out[out["zone"] == "urban"].reset_index(drop=True)
    assert urban.loc[1, "growth"] == 22 / 20 - 1
    assert urban.loc[2, "growth"] == 30 / 22 - 1


def test_demo_publishes_no_test_beside_a_hidden_cell(demo_reports):
    """In every CSV of the demo report, a variable with a hidden row publishes no test."""
    folder = demo_reports["fr"].parent / "csv"
    checked = 0
    for path in sorted(folder.glob("profiles_*_by_*.csv")):
        table = pd.read_csv(path)
        hidden = table.groupby("variable")["suppressed"].transform("any")
        assert table.loc[hidden, _TESTS].isna().all().all(), path.name
        checked += int(hidden.any())
    assert checked >= 3


def test_demo_growth_never_follows_a_hidden_month(demo_reports):
    """The monthly table by type and zone has no growth after a hidden month."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "attendance_by_type_zone.csv",
                        parse_dates=["period"]).sort_values(["type", "zone", "period"])
    before = table.groupby(["type", "zone"])["suppressed"].shift(1)
    after_hidden = (before == True).to_numpy()  # noqa: E712 (object column with NaN)
    assert after_hidden.any()
    assert table.loc[after_hidden, "growth"].isna().all()


def _likert_by_status() -> pd.DataFrame:
    """An item by status: 'a' has 3 dissatisfied (hidden), 'b' and 'c' none hidden."""
    rows = []
    for status, n, top, bottom in [("a", 37, 25, 3), ("b", 40, 20, 10), ("c", 45, 30, 8)]:
        rows += [{"status": status, "item": "sat", "statistic": "mean", "n": n,
                  "estimate": 3.8, "se": 0.15, "ci_low": 3.5, "ci_high": 4.1, "cell_count": n},
                 {"status": status, "item": "sat", "statistic": "top2", "n": n,
                  "estimate": top / n, "se": 0.07, "ci_low": 0.5, "ci_high": 0.8,
                  "cell_count": min(top, n - top)},
                 {"status": status, "item": "sat", "statistic": "bottom2", "n": n,
                  "estimate": bottom / n, "se": 0.04, "ci_low": 0.02, "ci_high": 0.2,
                  "cell_count": min(bottom, n - bottom)}]
    return pd.DataFrame(rows)


def test_a_hidden_share_hides_its_means_spread():
    """Status 'a' hides its 3 dissatisfied: its mean stays, but not the mean's standard
    error and interval (with n and the mean they give the scores' squares)."""
    out = suppress(_likert_by_status(), "cell_count", group_columns=["status"])
    mean_a = out[(out["status"] == "a") & (out["statistic"] == "mean")].iloc[0]
    assert mean_a["estimate"] == 3.8
    assert np.isnan(mean_a["se"]) and np.isnan(mean_a["ci_low"])
    assert "se" in mean_a[HIDDEN_CELLS]


def test_a_lone_hidden_spread_takes_a_siblings():
    """The whole's spread is the sum of its groups': a single group's hidden spread (its
    quartile hidden by its tail) would come back, so the smallest sibling's goes too;
    the third keeps its own."""
    rows = []
    for dept, n, beyond in [("a", 30, 3), ("b", 20, 12), ("c", 40, 15)]:
        rows += [{"dept": dept, "variable": "days", "category": None, "statistic": stat,
                  "n": n, "estimate": value, "estimate_beyond": tail, "se": se,
                  "cell_count": n}
                 for stat, value, tail, se in [("mean", 2.0, n, 0.2), ("sd", 1.0, n, np.nan),
                                               ("q3", 3.0, beyond, np.nan)]]
    out = suppress(pd.DataFrame(rows), "cell_count", group_columns=["dept"])
    means = out[out["statistic"] == "mean"].set_index("dept")
    assert np.isnan(means.loc["a", "se"]) and np.isnan(means.loc["b", "se"])
    assert means.loc["c", "se"] == 0.2


def test_no_hidden_share_keeps_every_spread():
    """A table without a hidden share keeps every mean's standard error."""
    table = _likert_by_status()
    table.loc[table["status"] == "a", "cell_count"] = [37, 12, 9]
    out = suppress(table, "cell_count", group_columns=["status"])
    assert (out.loc[out["statistic"] == "mean", "se"] == 0.15).all()


def test_a_hidden_quartile_hides_the_standard_deviation():
    """A variable whose third quartile is hidden by its tail keeps its mean but not its
    standard deviation nor the mean's standard error."""
    frame = pd.DataFrame({"variable": "days", "category": None,
                          "statistic": ["mean", "sd", "q3"], "n": 15,
                          "estimate": [1.8, 1.0, 2.0], "estimate_beyond": [15, 15, 3],
                          "se": [0.26, np.nan, np.nan], "cell_count": 15})
    out = suppress(frame, "cell_count").set_index("statistic")
    assert out.loc["mean", "estimate"] == 1.8
    assert np.isnan(out.loc["sd", "estimate"]) and np.isnan(out.loc["mean", "se"])


def test_a_lone_hidden_month_of_a_published_year_takes_another():
    """A year's total is published elsewhere (by place and year): the year minus the
    months shown would give a lone hidden month back, so the smallest other month goes
    too, until the hidden months hold at least min_cell people."""
    period = pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01", "2015-04-01"])
    frame = pd.DataFrame({"period": period, "type": "fablab", "zone": "urban",
                          "users": [3, 9, 1, 12]})
    plain = suppress(frame, "users")
    assert plain["suppressed"].tolist() == [True, False, True, False]
    out = suppress(frame, "users", count_margins=["type", "zone", "period:Y"])
    assert out["suppressed"].tolist() == [True, True, True, False]  # 3 + 1: only 4
    frame.loc[2, "users"] = 6                                        # now a lone 3
    out = suppress(frame, "users", count_margins=["type", "zone", "period:Y"])
    assert out["suppressed"].tolist() == [True, False, True, False]


def test_demo_no_lone_hidden_month_in_a_year(demo_reports):
    """In the monthly table by type and zone, no year of a type and zone hides exactly one
    month (its year, published by place, would give that month back)."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "attendance_by_type_zone.csv",
                        parse_dates=["period"])
    year = table["period"].dt.year
    hidden = table.groupby(["type", "zone", year])["suppressed"].sum()
    assert hidden.max() >= 2
    assert not (hidden == 1).any()
