"""Multiplicity adjustment equals statsmodels' multipletests."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from analysis._adjust import adjust_pvalues
from surveys.errors import SurveyError


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_equals_statsmodels(rng, method):
    """Holm and Benjamini–Hochberg give statsmodels' numbers, ties included."""
    p = np.r_[rng.uniform(size=30) ** 3, 0.02, 0.02, 1.0]
    assert np.allclose(adjust_pvalues(p, method), multipletests(p, method=method)[1], rtol=1e-14)


def test_missing_stay_missing():
    """A missing p-value is neither counted nor filled."""
    out = adjust_pvalues([0.01, np.nan, 0.04], "holm")
    assert np.isnan(out[1])
    assert np.allclose(out[[0, 2]], multipletests([0.01, 0.04], method="holm")[1])


def test_none_and_unknown():
    """'none' returns the p-values; an unknown method names the allowed ones."""
    assert np.array_equal(adjust_pvalues([0.2, 0.01], "none"), [0.2, 0.01])
    with pytest.raises(SurveyError, match="holm"):
        adjust_pvalues([0.1], "bonferroni")
