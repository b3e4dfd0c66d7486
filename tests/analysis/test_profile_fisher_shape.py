"""Review 10b, item 3: a table for which scipy's Monte-Carlo Fisher test returns a
one-element array (R's fisher.test gives p = 1 for it) no longer crashes the report."""

from __future__ import annotations

import numpy as np

from analysis._group_tests import _independence_table


def test_table_with_an_array_p_value():
    """The 4 x 3 table of review 10b gives a float p of 1, as R's fisher.test does
    (``fisher.test(matrix(c(0,2,1,1,1,3,0,0,0,1,0,0), nrow = 4))$p.value`` is 1)."""
    table = np.array([[0, 1, 0], [2, 3, 1], [1, 0, 0], [1, 0, 0]])
    out = _independence_table(table)
    assert out["test"] == "fisher_monte_carlo"
    assert isinstance(out["p_value"], float) and out["p_value"] == 1.0
