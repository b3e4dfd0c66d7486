"""References that measure another thing than the pilot (``testable: false`` in the
catalogue: BVA's share of employees in small companies against a pilot's share of
companies) are compared but not tested (review 9, item 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import baselines, compare_baseline
from analysis.baselines import load_baselines
from surveys.errors import SurveyError

MEAN_SOURCE = """
sources:
  - source_id: other-2020
    publisher: Other
    year: 2020
    base_n: 300
    indicators:
      - indicator: mean_age
        value: 44
        unit: years
        kind: agent
        variable: age
        testable: false
"""


def test_shipped_small_company_shares_are_not_testable():
    """The two BVA small-company indicators are flagged; the others are testable."""
    table = baselines("bva-2015").set_index("indicator")
    assert not table.loc["small_company", "testable"]
    assert not table.loc["small_company_all", "testable"]
    assert table.drop(index=["small_company", "small_company_all"])["testable"].all()


def test_share_is_compared_without_a_test():
    """37 % of 27 companies against BVA's 20 % of employees: difference, no p-value."""
    data = pd.DataFrame({"size_band": ["<10"] * 10 + ["10-49"] * 17})
    out = compare_baseline(data, "bva-2015", kind="company").set_index("indicator")
    row = out.loc["small_company"]
    assert row["test"] == "descriptive" and np.isnan(row["p_value"])
    assert row["difference"] == pytest.approx(10 / 27 - 0.20)
    assert row["verdict_en"].startswith("not tested: the reference measures another thing")


def test_mean_is_compared_without_a_test(tmp_path):
    """A user's mean flagged testable: false gets no t-test."""
    path = tmp_path / "other.yaml"
    path.write_text(MEAN_SOURCE, encoding="utf-8")
    data = pd.DataFrame({"age": [30.0, 40, 50, 60, 45]})
    out = compare_baseline(data, "other-2020", kind="agent", baselines=load_baselines(path))
    assert out["test"].iloc[0] == "descriptive" and np.isnan(out["p_value"].iloc[0])
    assert out["estimate"].iloc[0] == pytest.approx(45.0)


def test_testable_must_be_true_or_false(tmp_path):
    """A CSV catalogue's testable cell that is neither true nor false is named."""
    path = tmp_path / "bad.csv"
    path.write_text("source_id,indicator,value,testable\nx,y,0.3,maybe\n", encoding="utf-8")
    with pytest.raises(SurveyError, match="testable"):
        load_baselines(path)
