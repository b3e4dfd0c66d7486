"""Fixtures of the analysis tests: R reference tables, the demo pilot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveys


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """The demo pilot's folder (read only: tests that change it work on a copy)."""
    return surveys.demo(tmp_path_factory.mktemp("demo")).parent


@pytest.fixture(scope="session")
def read_reference():
    """Read a reference.csv that R wrote (one row per design, variable, group, category,
    statistic): blank cells stay text in key columns, numbers in the value columns."""

    def read(path: Path) -> pd.DataFrame:
        reference = pd.read_csv(path, keep_default_na=False)
        for column in ("estimate", "se", "ci_low", "ci_high", "q"):
            reference[column] = pd.to_numeric(reference[column].replace("", np.nan))
        return reference

    return read


def _reference_rows(reference, design, variable, statistic, by):
    """The rows of one design, variable and statistic, by group or overall."""
    rows = reference[(reference.design == design) & (reference.variable == variable)
                     & (reference.statistic == statistic)]
    rows = rows[rows.group != ""] if by else rows[rows.group == ""]
    assert len(rows) > 0
    return rows


def _merged(ours, rows, by, on):
    """Our table joined to the reference rows on the group and the ``on`` columns; every
    reference row must find its estimate."""
    ours = ours.assign(group=ours["group"].astype(str) if by else "")
    if "category" in ours:
        ours = ours.assign(category=ours["category"].astype(str))
    merged = rows.merge(ours, on=["group", *on], suffixes=("_r", ""), how="left")
    assert len(merged) == len(rows) and merged["estimate"].notna().all()
    return merged


@pytest.fixture(scope="session")
def match():
    """``match.rows(reference, design, variable, statistic, by)`` and
    ``match.merge(ours, rows, by, on)``: pair our estimates with R's reference rows."""
    from types import SimpleNamespace

    return SimpleNamespace(rows=_reference_rows, merge=_merged)


@pytest.fixture(scope="session")
def calibration_data() -> pd.DataFrame:
    """The 200 respondents tests/fixtures/calibration/make_reference.R wrote, typed as
    Survey.data would be (the data of the calibration tests)."""
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "calibration"
    data = pd.read_csv(folder / "data.csv")
    data["answer"] = pd.Categorical(data["answer"], categories=["a", "b", "c", "d"])
    return data
