"""The weighted net score's interval stays within [-1, 1], as the unweighted one does."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import likert, mean


def _data() -> pd.DataFrame:
    """Eight answers, seven satisfied: a net score near +1 with a wide interval."""
    answers = [5, 5, 4, 5, 4, 5, 5, 2]
    return pd.DataFrame({
        "sat_overall": pd.Categorical(answers, categories=[1, 2, 3, 4, 5], ordered=True),
        "w": [1.0, 1.2, 0.8, 1.1, 0.9, 1.0, 1.3, 0.7]})


def test_weighted_net_interval_is_clipped():
    """The +1/0/-1 mean's t interval passes +1; the net score's is clipped to it."""
    data = _data()
    score = data["sat_overall"].astype(int).map(lambda v: 1 if v >= 4 else (-1 if v <= 2 else 0))
    raw = mean(data.assign(score=score), "score", weights="w")
    assert float(raw["ci_high"].iloc[0]) > 1    # the unclipped interval (R's svymean)
    net = likert(data, ["sat_overall"], weights="w").query("statistic == 'net'")
    assert float(net["ci_high"].iloc[0]) == 1.0
    assert np.isclose(float(net["ci_low"].iloc[0]), float(raw["ci_low"].iloc[0]))
    assert np.isclose(float(net["estimate"].iloc[0]), float(raw["estimate"].iloc[0]))
