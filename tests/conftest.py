"""Shared fixtures: a seeded random generator, the shared real-data folder, figure clean-up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Real third-party exports live beside the project, never inside it (not ours to redistribute).
REALDATA = ROOT.parent / "shared" / "realdata"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so every random test is reproducible."""
    return np.random.default_rng(20161021)


@pytest.fixture
def realdata() -> Path:
    """The folder of real survey exports; skips the test where ../shared is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent (a fresh clone): real-export tests skipped")
    return REALDATA


@pytest.fixture
def fixtures() -> Path:
    """Folder of reference values (R output) and small files the tests ship."""
    return FIXTURES
