"""Third-place seniority from bands follows the raking of its source (Turnbull with the
raked weights, checked against R in test_interval_censoring), its count stays the
respondents'."""

from __future__ import annotations

import shutil

import numpy as np

import surveys
from analysis import evaluate
from analysis._respondent_frames import WEIGHT
from analysis.evaluate import _respondents
from analysis.interval_censoring import bands_to_intervals, turnbull


def test_raked_third_place_bands(demo_dir, tmp_path):
    """Users raked on gender: the bands curve is Turnbull with the raked weights."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[baselines]", "[weighting.users]\ngender = { F = 0.3, M = 0.7 }\n\n"
                        "[baselines]", 1)
    path.write_text(text, encoding="utf-8")
    pilot = surveys.read_pilot(path)
    curve = evaluate(pilot).sections["retention"].tables["users_bands_curve"]
    table = curve.data
    pilot_rows = table[table["curve"] == "pilot"]
    frame = _respondents(pilot.read("users"), pilot.weighting["users"], path.name, "users")
    # the people by weighting class (gender), for the small-cell rule: every user once
    assert curve.class_events["class"].nunique() == 2
    assert curve.class_events["events"].sum() == pilot_rows["n"].iloc[0]
    bounds = bands_to_intervals(frame["attendance_band"]).dropna(subset=["lower"])
    expected = turnbull(bounds["lower"], bounds["upper"],
                        weights=frame.loc[bounds.index, WEIGHT].to_numpy(float))
    expected = expected[np.isfinite(expected["time"])]
    np.testing.assert_allclose(pilot_rows["survival"], expected["survival"], rtol=1e-12)
    plain = turnbull(bounds["lower"], bounds["upper"])
    assert np.abs(plain[np.isfinite(plain["time"])]["survival"].to_numpy()
                  - pilot_rows["survival"].to_numpy()).max() > 1e-3  # the weights matter
    assert (pilot_rows["n"] == len(bounds)).all()
    assert set(pilot_rows["method"]) == {"Turnbull NPMLE, raked weights"}


def test_unweighted_bands_unchanged(demo_dir):
    """Without margins the curve stays the plain Turnbull estimate."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    table = evaluate(pilot).sections["retention"].tables["users_bands_curve"].data
    pilot_rows = table[table["curve"] == "pilot"]
    assert set(pilot_rows["method"]) == {"Turnbull NPMLE"}


def test_bands_curve_counts_each_bands_people(demo_dir):
    """``events``: the users (unweighted) whose declared band ends at each time; with
    those of the open band they add up to the curve's n."""
    pilot = surveys.read_pilot(demo_dir / "pilot.toml")
    table = evaluate(pilot).sections["retention"].tables["users_bands_curve"].data
    rows = table[table["curve"] == "pilot"]
    frame = pilot.read("users").data
    bounds = bands_to_intervals(frame["attendance_band"]).dropna(subset=["lower"])
    for time, events in zip(rows["time"], rows["events"]):
        assert events == (bounds["upper"] == time).sum()
    assert rows["events"].sum() + np.isinf(bounds["upper"]).sum() == rows["n"].iloc[0]
