"""Suppression of shares resting on few people in or out of their category, and of
quantile bounds that are one respondent's value (review 8, items 2 and 3)."""

from __future__ import annotations

import html as html_module

import numpy as np
import pandas as pd

from analysis._cell_counts import BEYOND as ANALYSIS_BEYOND
from analysis._cell_counts import likert_cells
from analysis.likert import likert
from reports.suppression import BEYOND, SUPPRESSED, suppress


def _quartiles() -> pd.DataFrame:
    """Two quartile rows: the first's upper bound is the second-largest value."""
    return pd.DataFrame({"variable": "size", "statistic": ["q1", "q3"], "n": [27, 27],
                         "count": [6.0, 6.0], "estimate": [5.0, 38.0], "se": [1.9, 37.2],
                         "ci_low": [4.0, 19.0], "ci_high": [12.0, 172.0],
                         "estimate_beyond": [7.0, 7.0], "ci_low_beyond": [4.0, 8.0],
                         "ci_high_beyond": [12.0, 2.0], "se_beyond": [4.0, 2.0]})


def test_suffix_is_the_analysis_one():
    """The report reads the tail columns under the suffix the analysis writes."""
    assert BEYOND == ANALYSIS_BEYOND


def test_extreme_bound_is_hidden_and_row_kept():
    """A bound with 2 values at or beyond it is hidden; its row stays published and
    unflagged, with its estimate."""
    out = suppress(_quartiles(), "count")
    assert np.isnan(out.loc[1, "ci_high"]) and out.loc[1, "estimate"] == 38.0
    assert out.loc[1, "ci_low"] == 19.0 and not out.loc[1, SUPPRESSED]


def test_standard_error_goes_with_a_hidden_bound():
    """The standard error of a quantile whose bound is hidden is hidden too (the bound
    is the other bound plus twice t times the se)."""
    out = suppress(_quartiles(), "count")
    assert np.isnan(out.loc[1, "se"]) and np.isnan(out.loc[0, "se"])


def test_tails_at_min_cell_are_kept():
    """A value with exactly min_cell values at or beyond it is published."""
    frame = _quartiles().assign(ci_high_beyond=[5.0, 5.0], se_beyond=[5.0, 5.0],
                                ci_low_beyond=[5.0, 8.0])
    out = suppress(frame, "count")
    assert out["ci_high"].tolist() == [12.0, 172.0] and out["ci_low"].tolist() == [4.0, 19.0]


def test_missing_tail_sets_no_constraint():
    """A row without a tail count (a mean) keeps its values."""
    frame = _quartiles().assign(ci_high_beyond=[np.nan, np.nan], se_beyond=np.nan)
    assert suppress(frame, "count")["ci_high"].tolist() == [12.0, 172.0]


def test_tail_columns_are_not_published():
    """The tail counts (a hidden bound's 2 would say it is the second largest) are left
    out of the published table."""
    out = suppress(_quartiles(), "count")
    assert not [c for c in out.columns if c.endswith(BEYOND)]


def test_hidden_row_with_tails_stays_flagged():
    """A quartile row hidden for its count (n/4 under min_cell) stays wholly hidden and
    flagged, its tail columns dropped too."""
    out = suppress(_quartiles().assign(count=[3.0, 6.0]), "count")
    assert out[SUPPRESSED].tolist() == [True, False]
    assert out.loc[0, ["estimate", "ci_low", "ci_high"]].isna().all()


def test_hidden_group_share_hides_its_sibling():
    """When the 8 managers' top-2 share (3 of them) is hidden, the other group's share is
    hidden too: with the overall share and the groups' weights it would give it away."""
    data = pd.DataFrame({"manager": [True] * 8 + [False] * 30,
                         "sat": [5, 5, 4, 3, 3, 3, 2, 3] + [5] * 15 + [3] * 10 + [1] * 5})
    table = likert(data, "sat", by="manager", scale=[1, 2, 3, 4, 5])
    table["cell_count"] = likert_cells(table, table, ["manager"])
    out = suppress(table, "cell_count", group_columns=["manager"])
    top2 = out[out["statistic"] == "top2"].set_index("manager")[SUPPRESSED]
    assert top2[True] and top2[False]
    means = out[out["statistic"] == "mean"][SUPPRESSED]
    assert not means.any()


def _csv(demo_reports, name: str) -> pd.DataFrame:
    return pd.read_csv(demo_reports["fr"].parent / "csv" / f"{name}.csv")


def _published(demo_reports) -> dict:
    """The demo's tables as the report publishes them, with the small-cell rule's
    bookkeeping (``cell_count``), which the CSV files leave out."""
    import surveys
    from analysis import evaluate
    from reports.render import prepare

    pilot = surveys.read_pilot(demo_reports["fr"].parent.parent / "pilot.toml")
    return {item.stem: item.data for item in prepare(evaluate(pilot), min_cell=5,
                                                      figures=False)}


def test_demo_managers_satisfaction_shares_are_hidden(demo_reports):
    """The demo's 8 managers: 'Relation avec l'encadrement' satisfied (3 of them) is not
    published, nor their weighted mean (7 women and 1 man, whose weights are known: it
    would give his answer), nor the non-managers' (the overall mean minus theirs would)."""
    table = _csv(demo_reports, "satisfaction_agents_items_by_manager")
    managers = table[table["manager"].astype(str) == "True"].set_index(["item", "statistic"])
    assert np.isnan(managers.loc[("sat_manager", "top2"), "estimate"])
    assert np.isnan(managers.loc[("sat_manager", "mean"), "estimate"])
    others = table[table["manager"].astype(str) == "False"].set_index(["item", "statistic"])
    assert np.isnan(others.loc[("sat_manager", "mean"), "estimate"])


def test_demo_profile_share_pointing_to_one_agent_is_hidden(demo_reports):
    """'Éducation · Calvados · 6 of 7' (pointing to the seventh agent) is not published."""
    table = _csv(demo_reports, "profiles_agents_by_service")
    row = table[(table["service"] == "Éducation") & (table["variable"] == "department")
                & (table["category"] == "Calvados")].iloc[0]
    assert row[SUPPRESSED] and np.isnan(row["estimate"])


def test_demo_visible_shares_rest_on_five_people_each_side(demo_reports):
    """No share published in the demo's profile and satisfaction CSVs rests on 1 to 4
    people in or out of its category."""
    names = ["profiles_agents", "profiles_agents_by_manager", "profiles_agents_by_service",
             "profiles_companies", "profiles_companies_by_department",
             "satisfaction_agents_items", "satisfaction_agents_items_by_service",
             "satisfaction_companies_items_by_department", "satisfaction_agents_nps"]
    published = _published(demo_reports)
    for name in names:
        table = published[name]
        shown = table[~table[SUPPRESSED].astype(bool)]
        assert not ((shown["cell_count"] > 0) & (shown["cell_count"] < 5)).any(), name
        assert "cell_count" not in _csv(demo_reports, name).columns
        if "count" in shown and "statistic" in shown:
            shares = shown[shown["statistic"] == "share"]
            rest = shares["n"] - shares["count"]
            assert not ((rest > 0) & (rest < 5)).any(), name


def test_demo_quartile_bounds_are_not_extreme_values(demo_reports):
    """The companies' third quartile of eligible employees keeps its estimate (38) but not
    its upper bound (172, the second-largest company), in the CSV and the page."""
    table = _csv(demo_reports, "profiles_companies")
    row = table[(table["variable"] == "eligible_employees") & (table["statistic"] == "q3")]
    assert row["estimate"].iloc[0] == 38 and np.isnan(row["ci_high"].iloc[0])
    assert not [c for c in table.columns if c.endswith(BEYOND)]
    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    assert "19 – 172" not in page and "7 – 155" not in page
