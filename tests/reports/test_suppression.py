"""Small-cell suppression: primary, secondary, what a hidden row loses, and in the outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.suppression import SUPPRESSED, hidden_rows, suppress, suppress_table


def _breakdown() -> pd.DataFrame:
    """Managers by department: department 14 has 3 respondents; 'all' is the total."""
    return pd.DataFrame({
        "department": ["14", "50", "61", "76", "all"],
        "n": [3, 24, 34, 12, 73],
        "estimate": [0.667, 0.25, 0.32, 0.5, 0.33],
        "se": [0.27, 0.09, 0.08, 0.14, 0.055],
        "ci_low": [0.21, 0.12, 0.19, 0.25, 0.23],
        "ci_high": [0.94, 0.45, 0.49, 0.75, 0.45],
        "method": ["wilson"] * 5,
    })


def test_small_cell_and_a_sibling_hidden_in_breakdown_with_total():
    """A group of 3 inside a breakdown with a total: it and its smallest sibling are hidden."""
    out = suppress(_breakdown(), "n", group_columns=["department"],
                   total_row={"department": "all"})
    assert out[SUPPRESSED].tolist() == [True, False, False, True, False]
    assert out.loc[out["department"] == "76", "estimate"].isna().all()
    assert out.loc[out["department"] == "all", "n"].tolist() == [73]


def test_hidden_row_loses_every_number_but_keeps_its_label():
    """Estimate, interval, standard error and count are all hidden, the label stays; the
    interval's method goes too (chosen from the value: beta at 0 %, privacy review 12)."""
    out = suppress(_breakdown(), "n", group_columns=["department"],
                   total_row={"department": "all"})
    row = out.iloc[0]
    assert row["department"] == "14" and row["method"] is None
    assert out.iloc[1]["method"] == "wilson"
    assert all(pd.isna(row[c]) for c in ["n", "estimate", "se", "ci_low", "ci_high"])


def test_nothing_hidden_when_every_cell_is_large_enough():
    """Secondary suppression only follows a primary one."""
    frame = _breakdown().assign(n=[8, 24, 34, 12, 78])
    out = suppress(frame, "n", group_columns=["department"], total_row={"department": "all"})
    assert not out[SUPPRESSED].any()
    pd.testing.assert_frame_equal(out.drop(columns=SUPPRESSED), frame)


def test_two_hidden_cells_need_no_extra_sibling():
    """With two small cells hidden, neither can be recovered from the total alone."""
    frame = _breakdown().assign(n=[3, 24, 34, 4, 65])
    mask = hidden_rows(frame, "n", group_columns=["department"],
                       total_row={"department": "all"})
    assert mask.tolist() == [True, False, False, True, False]


def test_lone_cell_hides_the_total():
    """A breakdown with one cell: the total equals it, so the total is hidden too."""
    frame = pd.DataFrame({"service": ["RH", "all"], "n": [3, 3], "estimate": [0.3, 0.3]})
    mask = hidden_rows(frame, "n", group_columns=["service"], total_row={"service": "all"})
    assert mask.tolist() == [True, True]


def test_secondary_suppression_works_within_each_partition():
    """Siblings are the rows sharing every other key: each category is its own group."""
    frame = pd.DataFrame({
        "category": ["yes", "yes", "yes", "no", "no", "no"],
        "department": ["14", "50", "61"] * 2,
        "n": [2, 20, 30, 9, 11, 40],
        "estimate": [0.1, 0.4, 0.6, 0.9, 0.6, 0.4],
    })
    mask = hidden_rows(frame, "n", group_columns=["department"])
    assert mask.tolist() == [True, True, False, False, False, False]


def test_two_breakdown_dimensions_protect_each_other():
    """A cell hidden across departments gets a partner within its category too."""
    frame = pd.DataFrame({
        "category": ["yes", "yes", "no", "no"],
        "department": ["14", "50", "14", "50"],
        "n": [2, 20, 30, 40],
        "estimate": [0.1, 0.4, 0.6, 0.9],
    })
    mask = hidden_rows(frame, "n", group_columns=["department", "category"])
    assert mask.tolist() == [True, True, True, True]


def test_free_text_tables_use_at_least_ten():
    """A table derived from free text hides rows under 10 even when min_cell is 5."""
    table = Table("themes", pd.DataFrame({"theme": ["a", "b"], "n": [7, 12]}), "t",
                  count_column="n", free_text=True)
    assert suppress_table(table, 5)[SUPPRESSED].tolist() == [True, False]


def test_table_not_about_people_is_unchanged():
    """Without a count column (a parameter list), nothing is hidden or added."""
    frame = pd.DataFrame({"parameter": ["km"], "value": [2.0]})
    pd.testing.assert_frame_equal(suppress(frame, None), frame)


def test_boolean_flag_of_a_hidden_row_is_hidden():
    """A derived flag (little_used) describes the same few people: it is hidden too."""
    frame = pd.DataFrame({"place_id": ["p1", "p2", "p3"], "users": [3, 20, 30],
                          "little_used": [True, True, False]})
    out = suppress(frame, "users", group_columns=["place_id"])
    assert out["little_used"].isna().tolist() == [True, True, False]
    assert out["users"].isna().tolist() == [True, True, False]


def test_outputs_show_suppressed_values_as_empty_and_dash(tmp_path):
    """CSV holds an empty value; the HTML shows a dash and the footnote."""
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table(
        "dept", _breakdown(), "tables.profile.agent.by_department", count_column="n",
        group_columns=["department"], total_row={"department": "all"},
        share_columns=["estimate", "ci_low", "ci_high"]))
    render(evaluation, tmp_path)
    csv = pd.read_csv(tmp_path / "csv" / "profiles_dept.csv", dtype={"department": str})
    assert csv.loc[csv["department"] == "14", ["n", "estimate", "ci_low"]].isna().all(axis=None)
    assert csv.loc[csv["department"] == "61", "n"].item() == 34
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('class="num hidden"') == 2 * 3  # two rows x (n, estimate, interval)
    assert "Masqué car moins de 5 répondants" in html
    assert "67\u202f%" not in html and "50\u202f%" not in html  # hidden shares are nowhere
    assert "32\u202f%" in html


@pytest.mark.parametrize("min_cell, hidden", [(5, [True, False, False, True, False]),
                                              (13, [True, False, False, True, False]),
                                              (25, [True, True, False, True, False])])
def test_threshold_follows_min_cell(min_cell, hidden):
    """Raising min_cell hides more cells (and their siblings)."""
    mask = hidden_rows(_breakdown(), "n", group_columns=["department"],
                       total_row={"department": "all"}, min_cell=min_cell)
    assert mask.tolist() == hidden


def test_figure_does_not_draw_a_hidden_item(tmp_path):
    """A Likert item answered by 3 people is neither printed nor drawn."""
    likert = pd.DataFrame({
        "item": ["sat_overall"] * 2 + ["sat_stress"] * 2,
        "statistic": ["top2", "bottom2"] * 2, "n": [40, 40, 3, 3],
        "estimate": [0.7, 0.1, 0.123456, 0.654321],
        "ci_low": [0.5, 0.03, 0.01, 0.2], "ci_high": [0.8, 0.2, 0.5, 0.9],
    })
    table = Table("likert", likert, "t", count_column="n", figure="likert_bars",
                  share_columns=["estimate", "ci_low", "ci_high"])
    data = suppress_table(table, 5)
    from reports.figures import draw
    fig = draw("likert_bars", data)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "Satisfaction globale à l'égard du télétravail"]
    assert np.isclose([p.get_width() for p in fig.axes[0].containers[2]], [70]).all()


def test_empty_cell_is_published():
    """A zero count rests on nobody: it stays, and it does not hide its siblings."""
    from reports.suppression import suppress

    frame = pd.DataFrame({"gender": ["F", "M", "X"], "count": [250, 346, 0],
                          "estimate": [0.42, 0.58, 0.0]})
    out = suppress(frame, "count", group_columns=["gender"], min_cell=5)
    assert out["suppressed"].tolist() == [False, False, False]
    assert out["estimate"].tolist() == [0.42, 0.58, 0.0]


def test_an_empty_sibling_does_not_protect_a_hidden_cell():
    """Among 8 managers (7 women, 1 man, 0 other), hiding the empty 'other' beside the
    man would give him away (8 - 7 - 0): the smallest non-empty sibling goes instead
    (and with every non-empty row hidden, the table is withheld whole, its empty row too:
    review 10b)."""
    frame = pd.DataFrame({"manager": "yes", "gender": ["F", "M", "X"], "count": [7, 1, 0],
                          "n": 8})
    out = suppress(frame, "count", group_columns=["gender"], min_cell=5)
    assert out["suppressed"].tolist()[:2] == [True, True]
    assert out["suppressed"].tolist() == [True, True, True]


def test_an_empty_row_stays_beside_a_published_one():
    """An empty row is withheld only with a table of nothing else: beside a published
    row it stays (the 0 says nothing)."""
    frame = pd.DataFrame({"gender": ["F", "M", "X"], "count": [7, 1, 0], "n": 8})
    frame = pd.concat([frame, frame.assign(count=[20, 12, 0], n=32)], ignore_index=True)
    frame["dept"] = ["a"] * 3 + ["b"] * 3
    out = suppress(frame, "count", group_columns=["gender"], min_cell=5)
    assert not out.loc[5, "suppressed"]


def test_hidden_comparison_loses_its_verdict():
    """A hidden comparison's verdict ("lower than the reference") goes with its numbers."""
    frame = pd.DataFrame({"indicator": ["a", "b"], "cell_count": [3, 20],
                          "estimate": [0.06, 0.4], "verdict": ["plus bas", "plus élevé"],
                          "verdict_en": ["lower", "higher"]})
    out = suppress(frame, "cell_count", min_cell=5)
    assert out["verdict"].tolist() == [None, "plus élevé"]
    assert out["verdict_en"].tolist() == [None, "higher"]


def test_hidden_row_keeps_its_number_labels():
    """A hidden month of a curve or cohort keeps its month (it names the row), and loses
    its counts and shares."""
    frame = pd.DataFrame({"period_index": [1, 12], "time": [1.0, 12.0], "users": [18, 18],
                          "cell_count": [9, 2], "share": [0.5, 0.11]})
    out = suppress(frame, "cell_count", min_cell=5)
    assert out["period_index"].tolist() == [1, 12] and out["time"].tolist() == [1.0, 12.0]
    assert out["share"].isna().tolist() == [False, True]


def test_a_category_too_small_in_all_groups_is_hidden_in_each_zeros_included():
    """The one agent of a department: hidden in every group of a breakdown, and so are
    the zeros that would say which group they belong to."""
    frame = pd.DataFrame({"variable": "department", "manager": ["no", "no", "yes", "yes"],
                          "category": ["Calvados", "Manche", "Calvados", "Manche"],
                          "count": [30, 0, 7, 1]})
    out = suppress(frame, "count", group_columns=["category", "manager"], min_cell=5)
    manche = out[out["category"] == "Manche"]
    assert manche["suppressed"].all()


def test_hidden_comparison_keeps_the_references_published_figure():
    """The reference's published share and base n are not about the pilot's people: a
    hidden comparison still shows them."""
    frame = pd.DataFrame({"indicator": ["a"], "cell_count": [3], "estimate": [0.06],
                          "baseline": [0.36], "baseline_n": [1267.0]})
    out = suppress(frame, "cell_count", min_cell=5)
    assert out["estimate"].isna().all()
    assert out[["baseline", "baseline_n"]].values.tolist() == [[0.36, 1267.0]]


def test_group_test_name_goes_with_a_withheld_test():
    """The name of a test between groups is chosen from the data (Fisher's for an
    observed 2 x 2, "none" when one value was observed): where the test is withheld,
    on a hidden row or beside one, its name goes on every row of the variable; another
    variable's test keeps it (privacy review 12, finding 5)."""
    frame = pd.DataFrame({
        "group": ["a", "b", "a", "b"], "variable": ["sector", "sector", "age", "age"],
        "n": [3, 20, 12, 20], "estimate": [0.5, 0.4, 41.0, 43.0],
        "test": ["fisher_exact", "fisher_exact", "kruskal", "kruskal"],
        "p_value": [0.2, 0.2, 0.6, 0.6]})
    out = suppress(frame, "n", group_columns=["group"])
    assert out["test"].tolist() == [None, None, "kruskal", "kruskal"]
    assert out["p_value"].isna().tolist() == [True, True, False, False]
