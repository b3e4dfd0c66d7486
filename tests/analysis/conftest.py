"""Fixtures of the analysis tests: R reference tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


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
