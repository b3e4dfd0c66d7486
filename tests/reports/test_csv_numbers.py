"""The CSV files hold the report's figures at the precision the report publishes them
(review 10c: fifteen digits gave away weighting classes and pairs' moves)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import surveys
from analysis import evaluate


def _decimals(values: pd.Series) -> int:
    """The most decimals any value of a column has."""
    text = values.dropna().map(lambda v: repr(float(v)))
    return int(text.str.partition(".")[2].str.rstrip("0").str.len().max())


def test_weighted_means_have_the_pages_decimals(demo_reports):
    """The agents' weighted means (raked on gender) have two decimals, as on the page,
    and their shares whole percentages: no longer enough to solve for each class."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "satisfaction_agents_items.csv")
    means = table.loc[table["statistic"] == "mean", "estimate"]
    shares = table.loc[table["statistic"] == "top2", "estimate"]
    assert len(means.dropna()) and _decimals(means) <= 2
    assert len(shares.dropna()) and _decimals(shares) <= 2


def test_counts_and_labels_kept_whole(demo_reports):
    """Counts stay whole and a curve's months stay as they are."""
    curve = pd.read_csv(demo_reports["fr"].parent / "csv" / "retention_checkins_users_curve.csv")
    assert (curve["time"] == np.arange(len(curve))).all()
    at_risk = curve["at_risk"].dropna()
    assert (at_risk == at_risk.round()).all()


def test_the_analysis_keeps_every_digit(tmp_path):
    """The Python API (analysis.evaluate) still returns full precision."""
    evaluation = evaluate(surveys.read_pilot(surveys.demo(tmp_path)))
    items = evaluation.sections["satisfaction"].tables["agents_items"].data
    means = items.loc[items["statistic"] == "mean", "estimate"]
    assert _decimals(means) > 2


def test_paired_rank_sums_left_out(demo_reports):
    """The Wilcoxon rows of the before/after CSV carry no rank sum (with n, the mean
    change and p it gave back how each pair moved), nor the small-cell bookkeeping; their
    p-value and effect size stay."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" /
                        "satisfaction_agents_before_after.csv")
    ranked = table[(table["test"] == "wilcoxon") & ~table["suppressed"]]
    assert len(ranked) and ranked["statistic"].isna().all()
    assert ranked["p_value"].notna().all() and ranked["effect_size"].notna().all()
    assert "cell_count" not in table.columns
