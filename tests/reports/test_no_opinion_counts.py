"""Counts of "no opinion" answers ("ne sait pas") and the before/after tests: no
published count rests on 1 to 4 people (reports/suppression.py, analysis/before_after.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.suppression import HIDDEN_CELLS, suppress

MIN_CELL = 5


def _by_manager() -> pd.DataFrame:
    """Two items answered by managers and others; 3 managers said "don't know" to a."""
    return pd.DataFrame({"manager": [True, True, False, False], "item": ["a", "b", "a", "b"],
                         "n": [20, 20, 30, 30], "nonsubstantive": [3, 0, 7, 6],
                         "missing": [0, 1, 2, 0]})


def test_small_no_opinion_count_is_hidden_with_the_missing_count():
    """3 "don't know" answers are hidden, and the row's missing count with them."""
    out = suppress(_by_manager().iloc[[0, 1]], "n")
    assert pd.isna(out.loc[0, "nonsubstantive"]) and pd.isna(out.loc[0, "missing"])
    assert out.loc[0, HIDDEN_CELLS] == "nonsubstantive,missing"
    assert out.loc[1, "missing"] == 1 and out.loc[1, "nonsubstantive"] == 0


def test_sibling_no_opinion_count_is_hidden_too():
    """The others' 7 would give the managers' 3 away from the whole table's 10."""
    out = suppress(_by_manager(), "n", group_columns=["manager"])
    assert out["nonsubstantive"].isna().tolist() == [True, False, True, False]
    assert not out["suppressed"].any()


def test_hidden_row_small_count_is_protected():
    """Two groups hidden for their 3 and 4 answers (2 and 0 "don't know"): the 2 would
    be the whole table's 17 minus the 6 and 9 shown, so the 6 is hidden too."""
    data = pd.DataFrame({"group": ["x", "y", "z", "w"], "n": [3, 4, 30, 40],
                         "nonsubstantive": [2, 0, 6, 9], "missing": [0, 0, 0, 0]})
    out = suppress(data, "n", group_columns=["group"])
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out["nonsubstantive"].isna().tolist() == [True, True, True, False]


def test_protection_uses_a_hidden_row_first():
    """A hidden row's count (7, not shown anyway) protects the 2 before a shown one does."""
    data = pd.DataFrame({"group": ["x", "y", "z", "w"], "n": [3, 4, 30, 40],
                         "nonsubstantive": [2, 7, 6, 9], "missing": [0, 0, 0, 0]})
    out = suppress(data, "n", group_columns=["group"])
    assert out["nonsubstantive"].tolist()[2:] == [6, 9]


def test_large_no_opinion_counts_stay():
    """Counts of none or of 5 and more are published, as the missing counts are."""
    data = pd.DataFrame({"item": ["a", "b"], "n": [30, 30], "nonsubstantive": [0, 5],
                         "missing": [2, 1]})
    out = suppress(data, "n")
    assert out["nonsubstantive"].tolist() == [0, 5] and out["missing"].tolist() == [2, 1]


def _csv(report, name: str) -> pd.DataFrame:
    return pd.read_csv(report.parent / "csv" / f"{name}.csv")


def test_demo_report_publishes_no_small_no_opinion_count(demo_reports):
    """No satisfaction table of the demo report prints 1–4 "don't know" answers."""
    folder = demo_reports["fr"].parent / "csv"
    tables = sorted(folder.glob("satisfaction_*items*.csv"))
    assert tables
    for path in tables:
        counts = pd.read_csv(path)["nonsubstantive"]
        assert not counts.between(1, MIN_CELL - 1).any(), path.name


def test_demo_report_hides_mcnemar_rows_on_few_movers(demo_reports):
    """A McNemar row is published only when its pairs moved by none or 5+ each way."""
    table = _csv(demo_reports["fr"], "satisfaction_agents_before_after")
    mcnemar = table[table["test"] == "mcnemar"]
    shown = mcnemar[~mcnemar["suppressed"]]
    n, estimate, low = shown["n"], shown["estimate"], shown["statistic"]
    high = np.rint(estimate * n) + low  # c - b = estimate * n, min(b, c) = statistic
    assert ((low == 0) | (low >= MIN_CELL)).all() and (high >= MIN_CELL).all()
    assert mcnemar["suppressed"].any()  # the demo's items move by 2 to 4 agents


def test_quality_table_hides_small_no_opinion_counts(demo_reports):
    """The data-quality table's "don't know" count of a question is published only when
    every wave's count is none or at least min_cell (a wave's 1–4 would be the total
    minus the other wave's count, which the tables by wave publish)."""
    from surveys import read_pilot

    pilot = read_pilot(demo_reports["fr"].parent.parent / "pilot.toml")
    table = _csv(demo_reports["fr"], "quality_summary")
    rows = table[table["measure"] == "nonsubstantive"]
    assert len(rows)
    for _, row in rows.iterrows():
        survey = pilot.read(row["source"])
        said = survey.nonsubstantive[row["detail"]].notna()
        waves = (said.groupby(survey.data["wave"], observed=True).sum() if "wave" in survey.data
                 else pd.Series([said.sum()]))
        safe = ((waves == 0) | (waves >= MIN_CELL)).all()
        assert pd.notna(row["n"]) == safe, (row["source"], row["detail"])
        if safe:
            assert row["n"] == said.sum()
    assert rows["n"].isna().any() and rows["n"].notna().any()  # the demo has both
