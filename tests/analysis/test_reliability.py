"""Tests of analysis.cronbach_alpha against R psych::alpha fixtures and degenerate cases.

Reference values: tests/fixtures/psych/make_reference.R (psych 2.2.9), e.g.
``psych::alpha(na.omit(x))$total$raw_alpha``, ``$feldt``, ``$alpha.drop``,
``$item.stats$r.drop``, on complete cases.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import analysis
from surveys.errors import DataQualityWarning, SurveyError

CASES = [("bfi_agree", "raw"), ("bfi_agree", "A1_reversed"), ("synthetic", "raw"), ("small", "raw")]


def _reference(fixtures, dataset: str, variant: str) -> pd.DataFrame:
    ref = pd.read_csv(fixtures / "psych" / "reference_alpha.csv", dtype={"value": float})
    return ref[(ref["dataset"] == dataset) & (ref["variant"] == variant)]


def _ours(fixtures, dataset: str, variant: str, level: float = 0.95) -> pd.DataFrame:
    data = pd.read_csv(fixtures / "psych" / f"{dataset}.csv")
    reverse = ["A1"] if variant == "A1_reversed" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # bfi's raw A1 is reverse-keyed
        return analysis.cronbach_alpha(data, list(data.columns), reverse=reverse, level=level)


def _value(ref: pd.DataFrame, statistic: str, item=None) -> float:
    rows = ref[ref["statistic"] == statistic]
    rows = rows[rows["item"].isna()] if item is None else rows[rows["item"] == item]
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize(("dataset", "variant"), CASES)
def test_alpha_equals_psych(fixtures, dataset, variant):
    """alpha and n equal psych::alpha's raw_alpha on complete cases."""
    ref, ours = _reference(fixtures, dataset, variant), _ours(fixtures, dataset, variant)
    scale = ours[ours["statistic"] == "alpha"].iloc[0]
    assert scale["estimate"] == pytest.approx(_value(ref, "raw_alpha"), abs=1e-8)
    assert scale["n"] == _value(ref, "n")


@pytest.mark.parametrize(("dataset", "variant"), CASES)
def test_feldt_interval_equals_psych(fixtures, dataset, variant):
    """The 95% interval equals psych's printed Feldt bounds."""
    ref, ours = _reference(fixtures, dataset, variant), _ours(fixtures, dataset, variant)
    scale = ours[ours["statistic"] == "alpha"].iloc[0]
    assert scale["ci_low"] == pytest.approx(_value(ref, "feldt_lower"), abs=1e-8)
    assert scale["ci_high"] == pytest.approx(_value(ref, "feldt_upper"), abs=1e-8)


@pytest.mark.parametrize(("dataset", "variant"), CASES)
def test_feldt_interval_at_90_equals_psych(fixtures, dataset, variant):
    """level=0.90 equals psych's alpha.ci(p.val = .10)."""
    ref, ours = _reference(fixtures, dataset, variant), _ours(fixtures, dataset, variant, 0.90)
    scale = ours[ours["statistic"] == "alpha"].iloc[0]
    assert scale["ci_low"] == pytest.approx(_value(ref, "feldt_lower_90"), abs=1e-8)
    assert scale["ci_high"] == pytest.approx(_value(ref, "feldt_upper_90"), abs=1e-8)


@pytest.mark.parametrize(("dataset", "variant"), CASES)
def test_item_statistics_equal_psych(fixtures, dataset, variant):
    """alpha_if_deleted = alpha.drop raw_alpha and item_total_r = item.stats r.drop."""
    ref, ours = _reference(fixtures, dataset, variant), _ours(fixtures, dataset, variant)
    items = ours[ours["statistic"] == "item"].set_index("item")
    assert len(items) == ref["item"].dropna().nunique()
    for item, row in items.iterrows():
        assert row["alpha_if_deleted"] == pytest.approx(_value(ref, "alpha_drop", item), abs=1e-8)
        assert row["item_total_r"] == pytest.approx(_value(ref, "r_drop", item), abs=1e-8)


def test_negative_item_warns_and_is_flagged(fixtures):
    """bfi's A1 correlates negatively with the rest: DataQualityWarning and a flag."""
    data = pd.read_csv(fixtures / "psych" / "bfi_agree.csv")
    with pytest.warns(DataQualityWarning, match="A1"):
        out = analysis.cronbach_alpha(data, list(data.columns))
    flagged = out.loc[out["reversed_suspect"], "item"].tolist()
    assert flagged == ["A1"]


def test_reversed_item_is_no_longer_suspect(fixtures):
    """With reverse=["A1"] nothing is flagged and A1 is marked reversed."""
    data = pd.read_csv(fixtures / "psych" / "bfi_agree.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = analysis.cronbach_alpha(data, list(data.columns), reverse=["A1"])
    assert not out["reversed_suspect"].any()
    assert out.loc[out["reversed"], "item"].tolist() == ["A1"]


def test_reverse_uses_the_scale_bounds():
    """On a 1-5 Categorical scale, reversing q2 is 6 - x, even if 1 is unused."""
    cats = pd.CategoricalDtype([1, 2, 3, 4, 5], ordered=True)
    data = pd.DataFrame({"q1": [2, 3, 4, 5], "q2": [4, 3, 2, 2], "q3": [2, 4, 4, 5]}).astype(cats)
    out = analysis.cronbach_alpha(data, ["q1", "q2", "q3"], reverse=["q2"])
    by_hand = pd.DataFrame({"q1": [2, 3, 4, 5], "q2": [2, 3, 4, 4], "q3": [2, 4, 4, 5]})
    expected = analysis.cronbach_alpha(by_hand, ["q1", "q2", "q3"])
    assert out["estimate"].iloc[0] == pytest.approx(expected["estimate"].iloc[0], abs=1e-12)


def test_all_answers_identical_gives_nan_with_note():
    """Every answer the same: alpha NaN, a note, and no warning leaks."""
    data = pd.DataFrame({"q1": [3] * 5, "q2": [3] * 5, "q3": [3] * 5})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = analysis.cronbach_alpha(data, ["q1", "q2", "q3"])
    assert np.isnan(out["estimate"].iloc[0]) and np.isnan(out["ci_low"].iloc[0])
    assert "does not vary" in out["note"].iloc[0]
    assert out["item_total_r"].isna().all() and not out["reversed_suspect"].any()


def test_single_respondent_gives_nan_with_note():
    """One complete case: alpha undefined, n = 1, no warning."""
    data = pd.DataFrame({"q1": [3, np.nan], "q2": [4, 2], "q3": [2, 5]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = analysis.cronbach_alpha(data, ["q1", "q2", "q3"])
    assert out["n"].iloc[0] == 1 and np.isnan(out["estimate"].iloc[0])
    assert "1 complete case" in out["note"].iloc[0]


def test_complete_cases_only():
    """A row with a missing answer is dropped from every statistic."""
    data = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 1], "q2": [4, 4, 3, 5, 2, np.nan],
                         "q3": [3, 5, 2, 4, 3, 5]})
    out = analysis.cronbach_alpha(data, ["q1", "q2", "q3"])
    alone = analysis.cronbach_alpha(data.iloc[:5], ["q1", "q2", "q3"])
    assert out["n"].iloc[0] == 5
    pd.testing.assert_frame_equal(out, alone)


def test_layout_scale_row_then_items():
    """First row is the scale (item None), then one row per item in order."""
    data = pd.DataFrame({"q1": [1, 2, 3, 4], "q2": [2, 2, 3, 5]})
    out = analysis.cronbach_alpha(data, ["q1", "q2"])
    assert out["statistic"].tolist() == ["alpha", "item", "item"]
    assert out["item"].tolist() == [None, "q1", "q2"]


def test_fewer_than_two_items_raise():
    """One item is no scale."""
    with pytest.raises(SurveyError, match="at least 2"):
        analysis.cronbach_alpha(pd.DataFrame({"q1": [1, 2]}), ["q1"])


def test_text_answer_raises():
    """A leftover "don't know" text code must be set missing first."""
    with pytest.raises(SurveyError, match="'q2'"):
        analysis.cronbach_alpha(pd.DataFrame({"q1": [1, 2], "q2": [1, "NSP"]}), ["q1", "q2"])


def test_contract_alpha_column():
    """The result carries the contract's ``alpha`` column, equal to ``estimate``."""
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 4, 1], "c": [1, 3, 3, 4, 5, 2]})
    out = analysis.cronbach_alpha(frame, ["a", "b", "c"])
    scale = out[out["statistic"] == "alpha"].iloc[0]
    assert {"alpha", "ci_low", "ci_high", "n"} <= set(out.columns)
    assert scale["alpha"] == scale["estimate"]
