"""The people each published share or quantile of an evaluation rests on
(analysis/_cell_counts.py and its use in analysis/evaluate.py): review 8, items 2 and 3."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis._cell_counts import (BEYOND, CELL_COUNT, likert_cells, nps_cells, profile_cells,
                                   quantile_tails, share_cells)
from analysis.evaluate import evaluate
from analysis.likert import likert
from analysis.nps import nps


@pytest.fixture(scope="module")
def demo(demo_dir):
    """The demo pilot's evaluation and its sources, computed once."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    return evaluate(pilot), pilot


def test_share_rests_on_the_fewer_side():
    """A share rests on the fewer of those in its category and those not: 3 of 8 on 3,
    45 of 46 on the 1 left out."""
    assert share_cells([3, 45, 6], [8, 46, 7]).tolist() == [3.0, 1.0, 1.0]


def test_share_of_nobody_or_everybody_rests_on_the_group():
    """0 % or 100 % of a group rests on the group (hidden when the group is small), and a
    share of no one at all on nobody."""
    assert share_cells([0, 8, 3, 0], [8, 8, 3, 0]).tolist() == [8.0, 8.0, 3.0, 0.0]


def test_profile_category_rests_on_its_complement():
    """In a profile, 6 of a service's 7 agents in one department rest on the seventh;
    an empty category on nobody (as its count); a mean or a quartile on its count."""
    table = pd.DataFrame({"statistic": ["share", "share", "share", "mean", "q1"],
                          "n": [7, 7, 7, 7, 24], "count": [6, 1, 0, 7, 6]})
    assert profile_cells(table).tolist() == [1.0, 1.0, 0.0, 7.0, 6.0]


def _weighted_answers() -> pd.DataFrame:
    """Ten answers whose weights make the weighted shares differ from the counts."""
    return pd.DataFrame({
        "group": ["a"] * 6 + ["b"] * 4,
        "sat": pd.Categorical([5, 4, 4, 2, 1, 3, 5, 5, 1, 4], categories=[1, 2, 3, 4, 5],
                              ordered=True),
        "w": [1.0, 1.0, 1.0, 5.0, 5.0, 1.0, 2.0, 2.0, 2.0, 2.0]})


def test_likert_cells_count_respondents_not_weights():
    """A weighted top-2 share rests on the respondents who gave 4 or 5 (3 of group a's 6:
    3), not on its weighted share times n."""
    data = _weighted_answers()
    table = likert(data, "sat", by="group", weights="w")
    cells = likert_cells(table, likert(data, "sat", by="group"), ["group"])
    got = dict(zip(zip(table["group"], table["statistic"]), cells))
    # group a: 3 in 4-5, 2 in 1-2 of 6; group b: 3 in 4-5, 1 in 1-2 of 4
    assert got == {("a", "mean"): 6, ("a", "top2"): 3, ("a", "bottom2"): 2, ("a", "net"): 2,
                   ("b", "mean"): 4, ("b", "top2"): 1, ("b", "bottom2"): 1, ("b", "net"): 1}


def test_likert_net_rests_on_the_fewer_of_its_two_shares():
    """The net score (top-2 minus bottom-2) is hidden with either share: with nobody
    dissatisfied it gives the satisfied share away, so it rests on the satisfied."""
    data = pd.DataFrame({"sat": [5, 5, 5, 3, 3, 3, 3, 3, 3, 3]})
    table = likert(data, "sat", scale=[1, 2, 3, 4, 5])
    cells = dict(zip(table["statistic"], likert_cells(table, table)))
    assert (cells["top2"], cells["bottom2"], cells["net"]) == (3, 10, 3)


def test_nps_rests_on_its_smallest_class():
    """An NPS row rests on the fewest people any of its three shares rests on: 2
    detractors of 12 hide the row."""
    data = pd.DataFrame({"recommend": [10] * 6 + [8] * 4 + [2, 5], "w": np.arange(1.0, 13)})
    table = nps(data, "recommend", weights="w")
    assert nps_cells(table, nps(data, "recommend")).tolist() == [2.0]


def test_quantile_bound_at_the_largest_value_has_a_tail_of_one():
    """The largest company's size as a quartile's upper bound has 1 value at or beyond
    it; a bound with 6 values below it has 6."""
    data = pd.DataFrame({"size": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 172]})
    table = pd.DataFrame({"variable": "size", "statistic": ["q3"], "estimate": [9.0],
                          "ci_low": [6.0], "ci_high": [172.0]})
    tails = quantile_tails(table, data)
    assert tails.loc[0, ["estimate" + BEYOND, "ci_low" + BEYOND, "ci_high" + BEYOND]
                     ].tolist() == [4.0, 6.0, 1.0]


def test_quantile_tail_counts_ties():
    """Values tied with the bound count as at or beyond it: 3 days a week given by 8 of
    10 companies rests on 8 (at or below) and 8 (at or above), the fewer being 8."""
    data = pd.DataFrame({"days": [1.0, 2.0] + [3.0] * 8})
    table = pd.DataFrame({"variable": "days", "statistic": ["median"], "estimate": [3.0],
                          "ci_low": [2.0], "ci_high": [3.0]})
    tails = quantile_tails(table, data)
    assert tails.loc[0].tolist() == [8.0, 2.0, 8.0, 2.0]


def test_quantile_tails_are_counted_within_the_rows_group():
    """A department's median bound is counted among that department's answers only."""
    data = pd.DataFrame({"dept": ["A"] * 5 + ["B"] * 5,
                         "size": [1.0, 2, 3, 4, 50, 10, 20, 30, 40, 60]})
    table = pd.DataFrame({"dept": ["A", "B"], "variable": "size", "statistic": "median",
                          "estimate": [3.0, 30.0], "ci_low": [2.0, 20.0],
                          "ci_high": [50.0, 40.0]})
    tails = quantile_tails(table, data, "dept")
    assert tails["ci_high" + BEYOND].tolist() == [1.0, 2.0]


def test_quantile_se_gets_the_fewer_of_its_bounds():
    """A quantile's standard error is its interval's width over a t quantile: it is
    hidden with either bound, so it gets the smaller tail; other rows get none."""
    data = pd.DataFrame({"x": np.arange(1.0, 21)})
    table = pd.DataFrame({"variable": "x", "statistic": ["mean", "q1"],
                          "estimate": [10.5, 5.0], "ci_low": [8.0, 2.0],
                          "ci_high": [13.0, 9.0]})
    tails = quantile_tails(table, data)
    assert tails.loc[1, "se" + BEYOND] == 2.0
    assert tails.loc[0].isna().all()


def test_demo_profiles_count_the_complement(demo):
    """In the demo, every profile table's count column is ``cell_count``, and a share's
    cell count is the fewer of its count and the rest of its group; the agents' are
    raked, so theirs can be fewer still (each weighting class: test_weight_classes)."""
    evaluation, _ = demo
    for table in evaluation.sections["profiles"].tables.values():
        assert table.count_column == CELL_COUNT
        shares = table.data[table.data["statistic"] == "share"]
        count, n = shares["count"], shares["n"]
        expected = np.where((count > 0) & (count < n), np.minimum(count, n - count), count)
        if table.key.startswith("agents"):
            assert (shares[CELL_COUNT].to_numpy() <= expected).all(), table.key
        else:
            assert shares[CELL_COUNT].tolist() == expected.tolist(), table.key


def test_demo_satisfaction_cells_are_the_respondents_of_each_share(demo):
    """The companies' satisfaction by department rests on the companies that answered 4
    or 5 (or 1 or 2), counted from the data, whatever the weights."""
    evaluation, pilot = demo
    table = evaluation.sections["satisfaction"].tables["companies_items_by_department"]
    data = pilot.read("companies").data
    rows = table.data[table.data["statistic"].isin(["top2", "bottom2"])]
    for _, row in rows.iterrows():
        answers = data.loc[data["department"] == row["department"], row["item"]].dropna()
        levels = [4, 5] if row["statistic"] == "top2" else [1, 2]
        hits = int(answers.isin(levels).sum())
        rest = len(answers) - hits
        expected = min(hits, rest) if hits and rest else len(answers)
        assert row[CELL_COUNT] == expected, (row["department"], row["item"])


def test_demo_satisfaction_and_nps_tables_use_cell_counts(demo):
    """Every satisfaction table of shares (items, breakdowns, NPS) names ``cell_count``
    as its count column."""
    evaluation, _ = demo
    tables = evaluation.sections["satisfaction"].tables
    keys = [k for k in tables if k.endswith(("_items", "_nps")) or "_items_by_" in k]
    assert keys and all(tables[k].count_column == CELL_COUNT for k in keys)


def test_demo_waves_are_not_siblings(demo):
    """The satisfaction by wave has no breakdown siblings: a wave is not a part of a
    published total, so a hidden share of one wave hides nothing in the other."""
    evaluation, _ = demo
    assert evaluation.sections["satisfaction"].tables["agents_items_by_wave"].group_columns == []


def test_demo_quartile_bound_of_a_large_company_counts_those_as_large(demo):
    """The companies' third quartile of eligible employees has one of the largest
    companies' size (172, the second largest) as its upper bound: its tail counts the
    companies at least as large, fewer than 5."""
    evaluation, pilot = demo
    data = evaluation.sections["profiles"].tables["companies"].data
    row = data[(data["variable"] == "eligible_employees") & (data["statistic"] == "q3")].iloc[0]
    sizes = pilot.read("companies").data["eligible_employees"].dropna()
    assert row["ci_high" + BEYOND] == (sizes >= row["ci_high"]).sum()
    assert row["ci_high" + BEYOND] < 5
