"""Benchmark: weighted proportions and means by 20 groups, and raking on three margins.

Runs bilan (``analysis.proportion``, ``analysis.mean``, ``analysis.rake``) and its peers
on the same data in the same run: samplics (``TaylorEstimator``, domain estimates),
weightipy (rim weighting) and R ``survey`` 4.x (``svyby(..., svymean)``, ``rake``) via
``Rscript`` when it is installed (R's time is measured inside R with ``system.time``;
reading the CSV is reported apart). Results are checked equal (estimates and standard
errors to 1e-6 relative, raked weights to 1e-6) before any time is printed.

Usage::

    python benchmarks/estimation.py            # 100,000 and 1,000,000 rows
    python benchmarks/estimation.py --quick    # 20,000 and 100,000 rows, under a minute
    python benchmarks/estimation.py --smoke    # 1,000 and 2,000 rows: the checks, seconds
"""

from __future__ import annotations

import subprocess
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import mean, proportion, rake

from _timing import arguments, checked, pick, r_has, timed  # noqa: E402  (benchmarks/ on sys.path)

GROUPS = 20
CATEGORIES = list("abcde")
MARGINS = {
    "sex": {"F": 0.52, "M": 0.46, "X": 0.02},
    "age": {"18-29": 0.18, "30-39": 0.22, "40-49": 0.24, "50-59": 0.22, "60+": 0.14},
    "region": {f"r{i}": share for i, share in enumerate([0.3, 0.2, 0.15, 0.15, 0.1, 0.1])},
}


def build(n: int, seed: int = 2016) -> pd.DataFrame:
    """n weighted rows: 20 groups, a 5-category answer, a number, 3 margin variables."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({
        "g": pd.Categorical.from_codes(rng.integers(0, GROUPS, n),
                                       [f"g{i:02d}" for i in range(GROUPS)]),
        "c": pd.Categorical.from_codes(rng.choice(5, n, p=[0.4, 0.25, 0.15, 0.12, 0.08]),
                                       CATEGORIES),
        "x": rng.gamma(2.0, 12.0, n).round(2),
        "w": rng.lognormal(0.0, 0.6, n).round(6),
    })
    for column, margin in MARGINS.items():
        skew = rng.dirichlet(np.full(len(margin), 8.0))
        data[column] = pd.Categorical.from_codes(rng.choice(len(margin), n, p=skew), list(margin))
    return data


def peak_memory(function) -> float:
    """Peak traced allocation of one run, in MiB."""
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def ours(data: pd.DataFrame) -> dict:
    """bilan's three tasks."""
    tasks = {
        "proportion by group": lambda: proportion(data, "c", by="g", weights="w", ci="logit"),
        "mean by group": lambda: mean(data, "x", by="g", weights="w"),
        "rake 3 margins": lambda: rake(data, MARGINS, tol=1e-10),
    }
    out = {}
    for task, function in tasks.items():
        seconds, result = timed(function)
        out[task] = (seconds, result, peak_memory(function))
    return out


def samplics_tasks(data: pd.DataFrame) -> dict:
    """samplics TaylorEstimator, domain = group (each row its own PSU)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

        def run(parameter, column):
            estimator = TaylorEstimator(parameter)
            estimator.estimate(y=data[column].astype(str) if column == "c" else data[column],
                               samp_weight=data["w"], domain=data["g"].astype(str))
            return estimator

        out = {}
        for task, parameter, column in (("proportion by group", PopParam.prop, "c"),
                                        ("mean by group", PopParam.mean, "x")):
            seconds, result = timed(lambda: run(parameter, column), repeat=1)
            out[task] = (seconds, result)
    return out


def weightipy_task(data: pd.DataFrame) -> dict:
    """weightipy rim weighting on the same three margins (targets in percent)."""
    import weightipy

    targets = {c: {k: 100 * v for k, v in m.items()} for c, m in MARGINS.items()}
    frame = data[list(MARGINS)].astype(str)

    def run():
        scheme = weightipy.scheme_from_dict(
            targets, rim_params={"convcrit": 1e-12, "max_iterations": 1000})
        return weightipy.weight(frame, scheme)

    seconds, result = timed(run, repeat=1)
    return {"rake 3 margins": (seconds, result)}


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
read <- system.time(d <- read.csv(args[1], stringsAsFactors = TRUE))[["elapsed"]]
design <- system.time(des <- svydesign(ids = ~1, weights = ~w, data = d))[["elapsed"]]
tp <- system.time(p <- svyby(~c, ~g, des, svymean))[["elapsed"]]
tm <- system.time(m <- svyby(~x, ~g, des, svymean))[["elapsed"]]
des1 <- suppressWarnings(svydesign(ids = ~1, data = d))
pops <- list(
  data.frame(sex = c("F", "M", "X"), Freq = c(0.52, 0.46, 0.02) * nrow(d)),
  data.frame(age = c("18-29", "30-39", "40-49", "50-59", "60+"),
             Freq = c(0.18, 0.22, 0.24, 0.22, 0.14) * nrow(d)),
  data.frame(region = paste0("r", 0:5), Freq = c(0.3, 0.2, 0.15, 0.15, 0.1, 0.1) * nrow(d)))
tr <- system.time(r <- rake(des1, list(~sex, ~age, ~region), pops,
                            control = list(maxit = 1000, epsilon = 1e-12)))[["elapsed"]]
options(digits = 15)
write.csv(as.data.frame(p), file.path(args[2], "prop.csv"), row.names = FALSE)
write.csv(as.data.frame(m), file.path(args[2], "mean.csv"), row.names = FALSE)
write.csv(data.frame(w = weights(r)), file.path(args[2], "rake.csv"), row.names = FALSE)
write.csv(data.frame(read = read, design = design, prop = tp, mean = tm, rake = tr),
          file.path(args[2], "times.csv"), row.names = FALSE)
"""


def r_tasks(data: pd.DataFrame) -> dict | None:
    """R survey via Rscript: times measured inside R, results read back for checking."""
    if not r_has("survey"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data.to_csv(folder / "data.csv", index=False)
        (folder / "bench.R").write_text(R_SCRIPT)
        subprocess.run(["Rscript", str(folder / "bench.R"), str(folder / "data.csv"), str(folder)],
                       check=True, capture_output=True)
        times = pd.read_csv(folder / "times.csv").iloc[0]
        prop = pd.read_csv(folder / "prop.csv")
        means = pd.read_csv(folder / "mean.csv")
        weights = pd.read_csv(folder / "rake.csv")["w"]
    return {
        "read": times["read"], "design": times["design"],
        "proportion by group": (times["prop"], prop),
        "mean by group": (times["mean"], means),
        "rake 3 margins": (times["rake"], weights),
    }


def check(mine: dict, samplics: dict, weightipy: dict, r: dict | None) -> None:
    """Assert that every peer's numbers equal ours (1e-6 relative)."""
    prop = mine["proportion by group"][1]
    means = mine["mean by group"][1]
    raked = mine["rake 3 margins"][1]
    est = samplics["proportion by group"][1]
    pairs = [(str(g), str(c)) for g, c in zip(prop["g"], prop["category"])]
    np.testing.assert_allclose(prop["estimate"], [est.point_est[g][c] for g, c in pairs], rtol=1e-6)
    np.testing.assert_allclose(prop["se"], [est.stderror[g][c] for g, c in pairs], rtol=1e-6)
    est = samplics["mean by group"][1]
    groups = [str(g) for g in means["g"]]
    np.testing.assert_allclose(means["estimate"], [est.point_est[g] for g in groups], rtol=1e-6)
    np.testing.assert_allclose(means["se"], [est.stderror[g] for g in groups], rtol=1e-6)
    theirs = weightipy["rake 3 margins"][1].to_numpy()
    np.testing.assert_allclose(raked / raked.mean(), theirs / theirs.mean(), rtol=1e-6)
    if r is None:
        return
    r_prop = r["proportion by group"][1].set_index("g")
    for c in CATEGORIES:
        rows = prop[prop["category"] == c].set_index("g")
        theirs = r_prop.loc[rows.index.astype(str)]
        np.testing.assert_allclose(rows["estimate"], theirs[f"c{c}"], rtol=1e-6)
        np.testing.assert_allclose(rows["se"], theirs[f"se.c{c}"], rtol=1e-6)
    r_mean = r["mean by group"][1]
    np.testing.assert_allclose(means["estimate"], r_mean["x"], rtol=1e-6)
    np.testing.assert_allclose(means["se"], r_mean["se"], rtol=1e-6)
    np.testing.assert_allclose(raked, r["rake 3 margins"][1], rtol=1e-6)


def report(n: int, mine: dict, peers: dict[str, dict]) -> list[dict]:
    """Rows of (rows, task, tool, seconds, ratio to bilan)."""
    rows = []
    for task, (seconds, _, memory) in mine.items():
        rows.append({"rows": n, "task": task, "tool": "bilan", "seconds": seconds,
                     "x slower than bilan": 1.0, "peak MiB": memory})
        for tool, results in peers.items():
            if results and task in results:
                peer = results[task][0]
                rows.append({"rows": n, "task": task, "tool": tool, "seconds": peer,
                             "x slower than bilan": peer / seconds, "peak MiB": np.nan})
    return rows


def main() -> None:
    args = arguments(__doc__, "smaller sizes, under a minute")
    sizes = pick(args, [100_000, 1_000_000], [20_000, 100_000], [1_000, 2_000])
    rows = []
    for n in sizes:
        data = build(n)
        mine = ours(data)
        samplics = samplics_tasks(data)
        weightipy = weightipy_task(data)
        r = r_tasks(data)
        check(mine, samplics, weightipy, r)
        rows += report(n, mine, {"samplics": samplics, "weightipy": weightipy, "R survey": r})
        if r is not None:
            print(f"{n:>9,} rows: R read.csv {r['read']:.2f} s, svydesign {r['design']:.2f} s "
                  "(not included in R's task times)")
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 120, "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    cells = table[table.tool == "bilan"].pivot(index="task", columns="rows", values="seconds")
    growth = cells[sizes[-1]] / cells[sizes[0]]
    print(f"\nbilan time growth for {sizes[-1] // sizes[0]}x the rows (same cells):")
    print(growth.to_string(float_format="{:.2f}".format))
    peers = "samplics, weightipy" + (", R survey" if r is not None else " (R survey not found)")
    checked("estimation", f"{len(sizes)} sizes x 3 tasks, {peers} (1e-6)")


if __name__ == "__main__":
    main()
