"""Shortcuts taken for speed in the people's sections give the numbers of the direct routes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import analysis
from analysis.baselines import condition_mask
from analysis.before_after import before_after
from analysis.comparison import COMPARISON_COLUMNS, compare_baseline
from analysis.estimation import mean, proportion
from analysis.impact import _few_cells
from analysis.likert import likert
from analysis.profile import profile


@pytest.fixture
def raked(rng) -> pd.DataFrame:
    """600 answers to two items (9: don't know, some missing), raked on gender."""
    n = 600
    data = pd.DataFrame({"gender": pd.Categorical(rng.choice(["F", "M"], n, p=[0.4, 0.6])),
                         "team": pd.Categorical(rng.choice(["x", "y", "z"], n)),
                         "q1": rng.integers(1, 6, n).astype(float),
                         "q2": rng.integers(1, 6, n).astype(float)})
    data.loc[rng.choice(n, 40, replace=False), "q1"] = 9
    data.loc[rng.choice(n, 30, replace=False), "q2"] = np.nan
    weights = analysis.rake(data, {"gender": {"F": 0.5, "M": 0.5}})
    data["w"] = weights.to_numpy()
    data.attrs["calibration"] = weights.attrs["calibration"]
    return data


def test_weighted_likert_is_exactly_the_estimation_core(raked):
    """Raked likert rows by group are exactly analysis.mean / analysis.proportion's rows."""
    out = likert(raked, ["q1", "q2"], by="team", weights="w", dont_know=[9])
    for item in ("q1", "q2"):
        valid = raked.assign(v=raked[item].where(raked[item] != 9))
        top = valid.assign(top=pd.Categorical(valid["v"].ge(4).where(valid["v"].notna()),
                                              categories=[False, True]))
        expected = {"mean": mean(valid, "v", by="team", weights="w"),
                    "top2": proportion(top, "top", by="team", weights="w")}
        expected["top2"] = expected["top2"][expected["top2"]["category"] == True]  # noqa: E712
        for statistic, rows in expected.items():
            got = out[(out["item"] == item) & (out["statistic"] == statistic)]
            for column in ("estimate", "se", "ci_low", "ci_high"):
                assert got[column].tolist() == rows[column].tolist(), (item, statistic, column)


def test_likert_by_plain_bool_column_keeps_its_dtype():
    """A numpy bool by column stays bool in the output, with groupby's groups and counts."""
    data = pd.DataFrame({"flag": [True, False, True, True, False, True],
                         "sat": [1, 2, 4, 5, 5, 3]})
    out = likert(data, "sat", by="flag", scale=[1, 2, 3, 4, 5])
    means = out[out["statistic"] == "mean"]
    assert means["flag"].dtype == bool
    assert means["flag"].tolist() == [False, True]
    assert means["n"].tolist() == data.groupby("flag")["sat"].size().tolist()


def test_kruskal_with_a_huge_tie_is_scipys_number(rng):
    """With one value shared by 240,000 rows (sum of t**3 beyond 2**53), H and p are scipy's."""
    n = 300_000
    data = pd.DataFrame({"group": rng.choice(["a", "b", "c"], n),
                         "x": np.where(rng.random(n) < 0.8, 5.0, rng.integers(0, 40, n))})
    row = profile(data, ["x"], by="group").iloc[0]
    expected = stats.kruskal(*[data.loc[data["group"] == g, "x"]
                               for g in pd.unique(data["group"])])
    assert row["test_statistic"] == expected.statistic
    assert row["p_value"] == expected.pvalue


def test_waves_are_paired_on_ids_whatever_their_order():
    """Pairs follow the ids (shuffled rows, ids missing or in one wave only), not the rows."""
    pre = pd.DataFrame({"respondent_id": ["a", "b", "c", None, "e"], "sat": [1, 2, 3, 4, 5]})
    post = pd.DataFrame({"respondent_id": ["e", None, "c", "a", "z"], "sat": [5, 1, 5, 4, 2]})
    data = pd.concat([pre.assign(wave="pre"), post.assign(wave="post")], ignore_index=True)
    out = before_after(data, "sat", scale=[1, 2, 3, 4, 5])
    pairs = pre.dropna().merge(post.dropna(), on="respondent_id", suffixes=("_pre", "_post"))
    wilcoxon = out[out["test"] == "wilcoxon"].iloc[0]
    assert wilcoxon["n"] == len(pairs) == 3
    assert wilcoxon["estimate"] == (pairs["sat_post"] - pairs["sat_pre"]).mean()
    assert "3 respondents matched" in wilcoxon["method"]


@pytest.mark.parametrize("condition", ["{is: true}", "{is: false}", "{equals: 1}",
                                       "{equals: '1'}", "{in: [true, false]}", "{equals: 2}"])
def test_boolean_condition_equals_condition_on_objects(condition):
    """A condition on a boolean column gives the mask it gives on the same values as objects."""
    values = pd.Series(pd.array([True, False, None, True, False], dtype="boolean"))
    expected = condition_mask(values.astype(object), condition)
    pd.testing.assert_series_equal(condition_mask(values, condition), expected)


def test_comparisons_of_nothing_are_separate_empty_tables():
    """A source answering no indicator gives an empty table; changing one leaves the next."""
    data = pd.DataFrame({"age": [30, 40]})
    first = compare_baseline(data, "aquitaine-2016", kind="agent")
    first.loc[0, "indicator"] = "changed"
    second = compare_baseline(data, "aquitaine-2016", kind="agent")
    assert len(second) == 0
    assert list(second.columns) == COMPARISON_COLUMNS
    assert second["n"].dtype == np.int64 and second["estimate"].dtype == np.float64


def test_few_values_per_column_but_many_cells_are_not_few_cells():
    """Columns with few values each whose rows are nearly all distinct are not few cells."""
    values = np.arange(4000)
    base = np.column_stack([values % 16, values // 16 % 16, values // 256]).astype(float)
    assert not _few_cells(base)
    assert _few_cells(np.repeat(base[:10], 400, axis=0))
