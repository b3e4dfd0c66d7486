"""Benchmark of analysis.likert: 1 million respondents x 20 items (1-5, some 9 = don't
know) by 50 groups, against the time pandas takes to read those answers from CSV and
against a naive pandas groupby/value_counts computation of the same figures.

    python benchmarks/likert.py           # 1,000,000 respondents
    python benchmarks/likert.py --quick   # 200,000 respondents (under a minute)
    python benchmarks/likert.py --smoke   # 2,000 respondents: the checks, seconds
"""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

import analysis

from _timing import arguments, checked, pick, timed  # noqa: E402  (benchmarks/ on sys.path)

ITEMS = [f"sat_{i:02d}" for i in range(1, 21)]
SCALE = [1, 2, 3, 4, 5]


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    """Answers 1-5 (item-specific distributions), ~4% "don't know" (9), 50 groups."""
    rng = np.random.default_rng(seed)
    data = {"group": rng.integers(0, 50, n).astype(np.int16)}
    for j, item in enumerate(ITEMS):
        p = np.array([1, 2, 3, 4, 3], dtype=float) + 0.1 * j * np.array([0, 0, 0, 1, 2])
        p = np.append(0.96 * p / p.sum(), 0.04)
        data[item] = rng.choice(np.array([1, 2, 3, 4, 5, 9], dtype=np.int8), n, p=p)
    return pd.DataFrame(data)


def naive(data: pd.DataFrame) -> pd.DataFrame:
    """Same shares/means with plain pandas: one groupby/value_counts per item."""
    rows = []
    for item in ITEMS:
        counts = data.groupby("group")[item].value_counts().unstack(fill_value=0)
        counts = counts.reindex(columns=SCALE, fill_value=0)  # drops the 9s
        n = counts.sum(axis=1)
        top = counts[[4, 5]].sum(axis=1) / n
        bottom = counts[[1, 2]].sum(axis=1) / n
        mean = (counts * np.array(SCALE)).sum(axis=1) / n
        for statistic, values in (("mean", mean), ("top2", top), ("bottom2", bottom),
                                  ("net", top - bottom)):
            rows.append(pd.DataFrame({"group": values.index, "item": item,
                                      "statistic": statistic, "estimate": values.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def naive_weighted_top2(data: pd.DataFrame) -> pd.DataFrame:
    """Weighted top-2-box shares with plain pandas (substantive answers only)."""
    rows = []
    for item in ITEMS:
        valid = data[data[item] != 9]
        hit = valid["w"].where(valid[item] >= 4, 0.0)
        share = hit.groupby(valid["group"]).sum() / valid.groupby("group")["w"].sum()
        rows.append(pd.DataFrame({"group": share.index, "item": item, "estimate": share.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def main() -> None:
    args = arguments(__doc__, "200,000 respondents")
    n = pick(args, 1_000_000, 200_000, 2_000)
    print(f"likert benchmark: {n:,} respondents x {len(ITEMS)} items x 50 groups")
    data = make_data(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        data.to_csv(path, index=False)
        size = path.stat().st_size / 2**20
        t_read, read = timed(lambda: pd.read_csv(path))
        t_arrow, _ = timed(lambda: pd.read_csv(path, engine="pyarrow"))
    assert read.shape == data.shape

    run = lambda: analysis.likert(data, ITEMS, by="group", dont_know=[9], scale=SCALE)  # noqa: E731
    t_ours, ours = timed(run)
    t_naive, reference = timed(lambda: naive(data), repeat=1)

    merged = ours.merge(reference, on=["group", "item", "statistic"], suffixes=("", "_naive"))
    assert len(merged) == len(ours) == len(reference) == 50 * len(ITEMS) * 4
    np.testing.assert_allclose(merged["estimate"], merged["estimate_naive"], rtol=0, atol=1e-12)

    weighted = data.assign(w=np.random.default_rng(1).uniform(0.5, 2.0, n))
    t_weighted, ours_w = timed(lambda: analysis.likert(weighted, ITEMS, by="group", weights="w",
                                                       dont_know=[9], scale=SCALE), repeat=1)
    check = ours_w[ours_w["statistic"] == "top2"].merge(naive_weighted_top2(weighted),
                                                         on=["group", "item"], suffixes=("", "_naive"))
    assert len(check) == 50 * len(ITEMS)
    np.testing.assert_allclose(check["estimate"], check["estimate_naive"], rtol=0, atol=1e-12)

    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    print(f"  CSV file                         {size:8.1f} MiB")
    print(f"  pandas.read_csv (C engine)       {t_read:8.3f} s")
    print(f"  pandas.read_csv (pyarrow engine) {t_arrow:8.3f} s")
    print(f"  analysis.likert                  {t_ours:8.3f} s   peak {peak:.0f} MiB (tracemalloc)")
    print(f"  naive pandas groupby/value_counts{t_naive:8.3f} s")
    print(f"  analysis.likert, weighted        {t_weighted:8.3f} s   (80 estimation-core calls)")
    print(f"  likert / read_csv (C)            {t_ours / t_read:8.3f}")
    print(f"  likert / read_csv (pyarrow)      {t_ours / t_arrow:8.3f}")
    print(f"  naive / likert                   {t_naive / t_ours:8.1f}x")
    checked("likert", f"{len(merged)} estimates against the naive pandas computation, "
            f"{len(check)} weighted top2 against naive weighted shares (atol 1e-12)")


if __name__ == "__main__":
    main()
