"""Weighted figures rest on each weighting class (analysis/_weight_classes.py and its use in
analysis/evaluate.py): review 9, items 1 and 2 (the one male manager's answers worked out
from the managers' weighted means, the weights being known from the published margins)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis._cell_counts import CELL_COUNT
from analysis._weight_classes import CLASS, fewest_by_class, weight_classes
from analysis.evaluate import _respondents, evaluate
from analysis.weighting import rake


@pytest.fixture(scope="module")
def demo(demo_dir):
    """The demo pilot's evaluation and the agents' first-wave respondents (raked)."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    agents = _respondents(pilot.read("agents"), pilot.weighting["agents"], "pilot.toml", "agents")
    return evaluate(pilot), agents


def test_raked_weights_make_one_class_per_margin_cell():
    """Raking on gender: one weight, so one class, per gender."""
    frame = pd.DataFrame({"gender": ["F"] * 6 + ["M"] * 2})
    weights = rake(frame, {"gender": {"F": 0.5, "M": 0.5}})
    classes = weight_classes(frame.assign(w=weights), "w")
    assert classes.tolist() == [0] * 6 + [1] * 2


def test_equal_weights_make_no_class():
    """Unweighted (or equally weighted) answers: no class to count."""
    frame = pd.DataFrame({"w": [2.0, 2.0, 2.0]})
    assert weight_classes(frame, "w") is None and weight_classes(frame) is None


def test_stratum_sizes_make_classes():
    """A stratified design with each stratum's population: N_h / n_h per stratum."""
    frame = pd.DataFrame({"s": ["a", "a", "b"], "N": [10, 10, 30]})
    assert weight_classes(frame, strata="s", population="N").tolist() == [0, 0, 1]


def test_fewest_ignores_a_class_with_nobody():
    """A class absent from a group (0) does not count; none at all: no constraint."""
    table = pd.DataFrame({"g": ["x", "y", "z"]})
    classed = pd.DataFrame({"g": ["x", "x", "y"], CLASS: [0, 1, 0], "c": [6, 0, 0]})
    out = fewest_by_class(table, classed, lambda t: t["c"].to_numpy(), ["g"])
    assert out.tolist() == [6.0, np.inf, np.inf]


def _managers(agents: pd.DataFrame) -> pd.Series:
    """Agents per gender among the managers."""
    return agents.loc[agents["manager"].astype(bool), "gender"].value_counts()


def test_lone_class_member_hides_the_groups_weighted_figures(demo):
    """1 man among the 8 managers: no weighted figure of the managers is published."""
    evaluation, agents = demo
    assert _managers(agents).min() < 5  # the demo's case
    table = evaluation.sections["profiles"].tables["agents_by_manager"].data
    managers = table[table["manager"].astype(bool) & (table["statistic"] != "share")]
    assert len(managers) and (managers[CELL_COUNT] < 5).all()


def test_weighted_share_hides_the_classes_it_combines(demo):
    """The weighted share of managers among all agents combines 7 women and 1 man:
    hidden in the profile and in the comparisons with BVA."""
    evaluation, _ = demo
    profile = evaluation.sections["profiles"].tables["agents"].data
    managers = profile[(profile["variable"] == "manager")]
    assert (managers[CELL_COUNT] < 5).all()
    comparisons = evaluation.sections["baselines"].tables["comparisons"].data
    rows = comparisons[comparisons["indicator"].isin(["manager", "manager_all"])]
    assert len(rows) == 2 and (rows[CELL_COUNT] < 5).all()


def test_satisfaction_by_group_rests_on_each_class(demo):
    """The managers' weighted satisfaction means rest on their 1 man."""
    evaluation, _ = demo
    table = evaluation.sections["satisfaction"].tables["agents_items_by_manager"].data
    means = table[table["manager"].astype(bool) & (table["statistic"] == "mean")]
    assert len(means) and (means[CELL_COUNT] == 1).all()


def test_unweighted_source_is_not_affected(demo):
    """The third-place users are not weighted: their profile's counts are the plain ones."""
    evaluation, _ = demo
    table = evaluation.sections["profiles"].tables["users"].data
    shares = table[(table["statistic"] == "share") & (table["count"] > 0)]
    expected = np.minimum(shares["count"], shares["n"] - shares["count"])
    expected = np.where(expected == 0, shares["n"], expected)
    assert (shares[CELL_COUNT].to_numpy() == expected).all()
