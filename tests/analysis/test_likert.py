"""Tests of analysis.likert / likert_distribution: hand-computed values, shared levels,
non-substantive answers, degenerate groups, and agreement with the estimation core."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import analysis
from analysis.estimation import mean, proportion
from surveys.errors import SurveyError

SCALE = [1, 2, 3, 4, 5]


def _rows(out: pd.DataFrame, **keys) -> pd.Series:
    """The estimate of each statistic for the rows matching ``keys``."""
    mask = np.logical_and.reduce([out[k] == v for k, v in keys.items()]) if keys else slice(None)
    return out[mask].set_index("statistic")


@pytest.fixture
def one_item() -> pd.DataFrame:
    """Answers 1, 2, 4, 5, 5, one "don't know" (9) and one missing answer."""
    return pd.DataFrame({"sat": [1, 2, 4, 5, 5, 9, np.nan]})


def test_estimates_hand_computed(one_item):
    """mean 17/5, top2 3/5, bottom2 2/5, net 1/5 on the 5 substantive answers."""
    out = _rows(analysis.likert(one_item, "sat", dont_know=[9], scale=SCALE))
    assert out.loc["mean", "estimate"] == pytest.approx(3.4, abs=1e-12)
    assert out.loc["top2", "estimate"] == pytest.approx(0.6, abs=1e-12)
    assert out.loc["bottom2", "estimate"] == pytest.approx(0.4, abs=1e-12)
    assert out.loc["net", "estimate"] == pytest.approx(0.2, abs=1e-12)


def test_counts_keep_dont_know_apart(one_item):
    """n = 5 substantive answers; the 9 is non-substantive, the NaN missing."""
    out = analysis.likert(one_item, "sat", dont_know=[9], scale=SCALE)
    assert (out["n"] == 5).all()
    assert (out["nonsubstantive"] == 1).all()
    assert (out["missing"] == 1).all()


def test_standard_errors_hand_computed(one_item):
    """Domain SEs on N = 7 rows, n = 5 answers: var = 7/6 * (13.2/25, .24/5, .96/5)."""
    out = _rows(analysis.likert(one_item, "sat", dont_know=[9], scale=SCALE))
    assert out.loc["mean", "se"] == pytest.approx(math.sqrt(7 / 6 * 13.2 / 25), abs=1e-12)
    assert out.loc["top2", "se"] == pytest.approx(math.sqrt(7 / 6 * 0.24 / 5), abs=1e-12)
    assert out.loc["net", "se"] == pytest.approx(math.sqrt(7 / 6 * 0.96 / 5), abs=1e-12)


def test_standard_errors_textbook_without_missing():
    """No group, no missing answer (N = n): se(mean) = s / sqrt(n), se(net) per the
    multinomial variance (p_t + p_b - (p_t - p_b)**2) / (n - 1)."""
    data = pd.DataFrame({"sat": [1, 2, 4, 5, 5, 3]})
    out = _rows(analysis.likert(data, "sat", scale=SCALE))
    x = np.array([1, 2, 4, 5, 5, 3])
    assert out.loc["mean", "se"] == pytest.approx(x.std(ddof=1) / math.sqrt(6), abs=1e-12)
    assert out.loc["net", "se"] == pytest.approx(math.sqrt((0.5 + 1 / 3 - (1 / 6) ** 2) / 5), abs=1e-12)


def test_mean_interval_is_t_on_n_minus_1(one_item):
    """mean +- qt(.975, 4) * se."""
    from scipy import stats

    out = _rows(analysis.likert(one_item, "sat", dont_know=[9], scale=SCALE)).loc["mean"]
    half = stats.t.ppf(0.975, 4) * out["se"]
    assert out["ci_low"] == pytest.approx(3.4 - half) and out["ci_high"] == pytest.approx(3.4 + half)


def test_share_interval_is_wilson(one_item):
    """top2's interval equals statsmodels' Wilson interval for 3 of 5."""
    out = _rows(analysis.likert(one_item, "sat", dont_know=[9], scale=SCALE))
    low, high = proportion_confint(3, 5, alpha=0.05, method="wilson")
    assert out.loc["top2", "ci_low"] == pytest.approx(low, abs=1e-12)
    assert out.loc["top2", "ci_high"] == pytest.approx(high, abs=1e-12)


def test_text_dont_know_code_is_counted_apart():
    """A "NSP" code in a text column is non-substantive, never a scale point."""
    data = pd.DataFrame({"sat": [1, 5, "NSP", 4, "NSP"]})
    out = _rows(analysis.likert(data, "sat", dont_know=["NSP"], scale=SCALE))
    assert out.loc["top2", "estimate"] == pytest.approx(2 / 3)
    assert out.loc["top2", "n"] == 3 and out.loc["top2", "nonsubstantive"] == 2


def test_survey_nonsubstantive_is_counted():
    """With a Survey, don't-know answers come from Survey.nonsubstantive."""
    data = pd.DataFrame({"sat": pd.Categorical([5, None, 4, None], categories=SCALE, ordered=True)})
    nonsub = pd.DataFrame({"sat": [np.nan, "dont_know", np.nan, np.nan]})
    survey = SimpleNamespace(data=data, nonsubstantive=nonsub)
    out = analysis.likert(survey, "sat")
    assert (out["n"] == 2).all() and (out["nonsubstantive"] == 1).all() and (out["missing"] == 1).all()


def test_unused_lowest_level_in_a_group_keeps_the_scale():
    """Group b never answers 1: its bottom2 is the share of 1-2 (i.e. of 2), not of 2-3."""
    data = pd.DataFrame({"sat": [1, 2, 3, 5, 2, 3, 3, 4], "g": list("aaaabbbb")})
    out = analysis.likert(data, "sat", by="g")
    b = _rows(out, g="b")
    assert b.loc["bottom2", "estimate"] == pytest.approx(1 / 4)
    assert b.loc["top2", "estimate"] == pytest.approx(1 / 4)


def test_unused_top_level_everywhere_still_counts_with_scale():
    """Nobody answers 5, but scale=1..5 makes top2 the share of 4-5 (not 3-4)."""
    data = pd.DataFrame({"sat": [1, 2, 3, 4, 3]})
    out = _rows(analysis.likert(data, "sat", scale=SCALE))
    assert out.loc["top2", "estimate"] == pytest.approx(1 / 5)


def test_items_share_one_set_of_levels():
    """An item using only 2-4 is scored on the levels of the scale the items share."""
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 3, 4, 4, 3]})
    out = analysis.likert(data, ["a", "b"])
    b = _rows(out, item="b")
    assert b.loc["top2", "estimate"] == pytest.approx(2 / 5)  # the two 4s; no 5
    assert b.loc["bottom2", "estimate"] == pytest.approx(1 / 5)  # the one 2; no 1


def test_ordered_categorical_items_use_their_categories():
    """Ordered Categorical items (Survey.data) use their categories as the scale."""
    data = pd.DataFrame({"sat": pd.Categorical([4, 4, 3], categories=SCALE, ordered=True)})
    out = _rows(analysis.likert(data, "sat"))
    assert out.loc["top2", "estimate"] == 2 / 3 and out.loc["bottom2", "estimate"] == 0


def test_only_dont_know_gives_n_zero_and_nan():
    """A group answering only "don't know": n = 0, NaN estimates, no warning."""
    data = pd.DataFrame({"sat": [4, 5, 9, 9], "g": ["a", "a", "b", "b"]})
    b = _rows(analysis.likert(data, "sat", by="g", dont_know=[9], scale=SCALE), g="b")
    assert (b["n"] == 0).all() and (b["nonsubstantive"] == 2).all()
    assert b[["estimate", "se", "ci_low", "ci_high"]].isna().all().all()


def test_all_answers_identical():
    """Every answer 4: mean 4 with se 0, top2 1, bottom2 0, net 1."""
    out = _rows(analysis.likert(pd.DataFrame({"sat": [4] * 6}), "sat", scale=SCALE))
    assert out.loc["mean", "estimate"] == 4 and out.loc["mean", "se"] == 0
    assert (out.loc["top2", "estimate"], out.loc["bottom2", "estimate"]) == (1, 0)
    assert out.loc["net", "estimate"] == 1 and out.loc["top2", "ci_high"] == 1


def test_single_respondent():
    """One answer: estimates defined, standard errors NaN, no warning."""
    out = _rows(analysis.likert(pd.DataFrame({"sat": [2]}), "sat", scale=SCALE))
    assert out.loc["mean", "estimate"] == 2 and out.loc["bottom2", "estimate"] == 1
    assert out["se"].isna().all() and (out["n"] == 1).all()


def test_by_row_equals_group_alone(rng):
    """A group's estimates, n and share intervals in by= equal the group analysed alone."""
    data = pd.DataFrame({"sat": rng.integers(1, 6, 300), "g": rng.choice(["x", "y", "z"], 300)})
    grouped = _rows(analysis.likert(data, "sat", by="g"), g="y")
    alone = _rows(analysis.likert(data[data["g"] == "y"], "sat", scale=SCALE))
    pd.testing.assert_frame_equal(grouped[["n", "estimate"]], alone[["n", "estimate"]])
    shares = ["top2", "bottom2"]
    pd.testing.assert_frame_equal(grouped.loc[shares, ["ci_low", "ci_high"]],
                                  alone.loc[shares, ["ci_low", "ci_high"]])


def test_unweighted_equals_estimation_core(rng):
    """Unweighted by= rows equal analysis.mean / analysis.proportion by= on the same
    data (domains of the full sample, missing answers included)."""
    data = pd.DataFrame({"sat": rng.integers(1, 6, 200).astype(float),
                         "g": rng.choice(["a", "b"], 200)})
    data.loc[:15, "sat"] = np.nan
    out = analysis.likert(data, "sat", by="g", scale=SCALE)
    flags = data.assign(
        top=pd.Categorical(data["sat"].ge(4).where(data["sat"].notna()), categories=[False, True]),
        net=(data["sat"] >= 4) * 1.0 - (data["sat"] <= 2) * 1.0 + data["sat"] * 0)
    top = proportion(flags, "top", by="g")
    cores = {"mean": mean(data, "sat", by="g"), "top2": top[top["category"] == True],  # noqa: E712
             "net": mean(flags, "net", by="g")}
    for stat, core in cores.items():
        mine = out[out["statistic"] == stat].reset_index(drop=True)
        for column in ("n", "estimate", "se", "ci_low", "ci_high"):
            np.testing.assert_allclose(mine[column], core[column].to_numpy(dtype=float),
                                       rtol=0, atol=1e-12, err_msg=f"{stat} {column}")


def test_weighted_equals_estimation_core(rng):
    """Weighted rows come from analysis.mean / analysis.proportion on the full design."""
    data = pd.DataFrame({"sat": rng.integers(1, 6, 400).astype(float),
                         "g": rng.choice(["a", "b"], 400), "w": rng.uniform(0.2, 4, 400)})
    data.loc[:20, "sat"] = 9
    out = _rows(analysis.likert(data, "sat", by="g", weights="w", dont_know=[9]), g="b")
    valid = data.assign(sat=data["sat"].where(data["sat"] != 9))
    core_mean = mean(valid, "sat", by="g", weights="w").set_index("g").loc["b"]
    flag = valid.assign(top=pd.Categorical(valid["sat"].ge(4).where(valid["sat"].notna()),
                                           categories=[False, True]))
    top = proportion(flag, "top", by="g", weights="w")
    core_top = top[(top["g"] == "b") & (top["category"] == True)].iloc[0]  # noqa: E712
    for stat, core in (("mean", core_mean), ("top2", core_top)):
        for column in ("estimate", "se", "ci_low", "ci_high"):
            assert out.loc[stat, column] == pytest.approx(core[column], abs=1e-10), (stat, column)
    assert out.loc["mean", "n"] == valid[valid["g"] == "b"]["sat"].notna().sum()


def test_weighted_net_is_mean_of_score(rng):
    """Weighted net = weighted top2 - weighted bottom2 (a linearised mean of +1/0/-1)."""
    data = pd.DataFrame({"sat": rng.integers(1, 6, 300), "w": rng.uniform(0.2, 4, 300)})
    out = _rows(analysis.likert(data, "sat", weights="w"))
    w, x = data["w"], data["sat"]
    expected = (w * (x >= 4)).sum() / w.sum() - (w * (x <= 2)).sum() / w.sum()
    assert out.loc["net", "estimate"] == pytest.approx(expected, abs=1e-12)
    assert out.loc["net", "estimate"] == pytest.approx(
        out.loc["top2", "estimate"] - out.loc["bottom2", "estimate"], abs=1e-12)


def test_matches_naive_pandas_counts(rng):
    """Shares per group and item equal a plain pandas value_counts computation."""
    data = pd.DataFrame({f"q{i}": rng.choice([1, 2, 3, 4, 5, 9], 500) for i in range(3)})
    data["g"] = rng.integers(0, 7, 500)
    out = analysis.likert(data, ["q0", "q1", "q2"], by="g", dont_know=[9])
    long = data.melt(id_vars="g", var_name="item", value_name="v").query("v != 9")
    naive = long.assign(top=long["v"] >= 4).groupby(["g", "item"])["top"].mean()
    mine = out[out["statistic"] == "top2"].set_index(["g", "item"])["estimate"]
    pd.testing.assert_series_equal(mine.sort_index(), naive.sort_index(), check_names=False)


def test_output_columns():
    """Columns: by, item, statistic, n, estimate, se, ci_low, ci_high, method, counts."""
    data = pd.DataFrame({"sat": [1, 2, 4, 5], "g": list("aabb")})
    assert list(analysis.likert(data, "sat", by="g").columns) == [
        "g", "item", "statistic", "n", "estimate", "se", "ci_low", "ci_high", "method",
        "nonsubstantive", "missing"]


def test_value_off_the_scale_raises():
    """A 9 not declared as don't know is off a 1-5 scale: SurveyError naming the column."""
    with pytest.raises(SurveyError, match="'sat'.*dont_know"):
        analysis.likert(pd.DataFrame({"sat": [1, 9]}), "sat", scale=SCALE)


def test_too_few_levels_raise():
    """A 3-level scale has no disjoint top-2 and bottom-2 boxes."""
    with pytest.raises(SurveyError, match="at least 4"):
        analysis.likert(pd.DataFrame({"sat": [1, 2, 3]}), "sat")


def test_unknown_column_suggests_name():
    """A misspelt item names the close column."""
    with pytest.raises(SurveyError, match="sat_work"):
        analysis.likert(pd.DataFrame({"sat_work": [1, 2, 3, 4]}), "sat_wrok")


def test_distribution_reports_every_level():
    """likert_distribution gives all 5 levels per group, unused ones at 0."""
    data = pd.DataFrame({"sat": [1, 2, 9, 2], "g": ["a", "a", "b", "b"]})
    out = analysis.likert_distribution(data, "sat", by="g", dont_know=[9], scale=SCALE)
    b = out[out["g"] == "b"].set_index("category")
    assert len(out) == 10 and list(b.index) == SCALE
    assert b.loc[2, "estimate"] == 1 and b.loc[1, "estimate"] == 0 and b.loc[2, "n"] == 1


def test_distribution_counts_dont_know_apart():
    """likert_distribution splits non-substantive answers from missing ones."""
    data = pd.DataFrame({"sat": [1, 9, np.nan, 2]})
    out = analysis.likert_distribution(data, "sat", dont_know=[9], scale=SCALE)
    assert (out["nonsubstantive"] == 1).all() and (out["missing"] == 1).all()
    assert (out["n"] == 2).all()


def test_fast_integer_path_equals_general_path(rng):
    """Integer-coded answers give the same rows as the same answers as text."""
    data = pd.DataFrame({"q": rng.choice([1, 2, 3, 4, 5, 9], 300), "g": rng.integers(0, 4, 300)})
    as_text = data.assign(q=data["q"].astype(str))
    fast = analysis.likert(data, "q", by="g", dont_know=[9], scale=SCALE)
    slow = analysis.likert(as_text, "q", by="g", dont_know=["9"], scale=[str(v) for v in SCALE])
    pd.testing.assert_frame_equal(fast, slow)


def test_fractional_answer_raises():
    """2.5 is not a level of a 1-5 scale."""
    with pytest.raises(SurveyError, match="2.5"):
        analysis.likert(pd.DataFrame({"sat": [1.0, 2.5, np.nan]}), "sat", scale=SCALE)


def test_nullable_integer_items():
    """Int64 items with <NA> (as surveys.read gives integers) work like floats with NaN."""
    data = pd.DataFrame({"sat": pd.array([1, 2, 4, 5, 5, 9, None], dtype="Int64")})
    out = _rows(analysis.likert(data, "sat", dont_know=[9], scale=SCALE))
    assert out.loc["mean", "estimate"] == pytest.approx(3.4)
    assert (out["nonsubstantive"] == 1).all() and (out["missing"] == 1).all()


def test_survey_from_surveys_read():
    """A Survey read from answers with "NSP" counts it as non-substantive, not a scale point."""
    import surveys

    raw = pd.DataFrame({"respondent_id": ["a", "b", "c", "d"], "sat_balance": ["5", "NSP", "4", "1"]})
    survey = surveys.read(raw, "agent")
    out = _rows(analysis.likert(survey, "sat_balance"))
    assert (out["n"] == 3).all() and (out["nonsubstantive"] == 1).all()
    assert out.loc["top2", "estimate"] == pytest.approx(2 / 3)


def test_equal_weights_match_unweighted_estimates_and_se(rng):
    """Weights all 1: the weighted route gives the unweighted estimates and SEs."""
    data = pd.DataFrame({"sat": rng.integers(1, 6, 150), "g": rng.choice(["a", "b"], 150)})
    plain = analysis.likert(data, "sat", by="g")
    weighted = analysis.likert(data.assign(w=1.0), "sat", by="g", weights="w")
    for column in ("n", "estimate", "se"):
        np.testing.assert_allclose(weighted[column], plain[column], rtol=0, atol=1e-12)


def test_weighted_method_is_each_cells_own():
    """Weighted: a share of 0 % gets the beta interval and says so on its own row only;
    the other group's shares, strictly between 0 and 1, say logit (the first group's
    text was written on every row: privacy review 12, finding 5)."""
    data = pd.DataFrame({"g": ["a"] * 6 + ["b"] * 6,
                         "sat": [4, 5, 5, 4, 3, 4, 1, 2, 5, 4, 3, 1],
                         "w": [1.0, 2.0, 1.5, 1.0, 2.0, 1.0] * 2})
    out = analysis.likert(data, "sat", by="g", weights="w").set_index(["g", "statistic"])
    assert out.loc[("a", "bottom2"), "estimate"] == 0
    assert out.loc[("a", "bottom2"), "method"].endswith("beta interval")
    assert out.loc[("b", "bottom2"), "method"].endswith("logit interval")
    assert out.loc[("a", "top2"), "method"].endswith("logit interval")
