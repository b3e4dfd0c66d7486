"""Benchmark: retention -- check-ins to Kaplan–Meier, KM and log-rank, Turnbull on bands.

Three rows, each run against its peers on the same data in the same run, results checked
equal before any time is printed:

(a) check-ins -> one duration per user -> Kaplan–Meier, on ten million check-ins of
    300,000 users (pseudonymous 16-character ids, as Python strings, then as a pandas
    Categorical): ``analysis.retention_from_checkins`` + ``analysis.kaplan_meier``
    against DuckDB (SQL aggregation) + lifelines, and pandas ``groupby`` + lifelines;
(b) Kaplan–Meier and log-rank on one million durations (days, two groups):
    ``analysis.kaplan_meier`` / ``analysis.logrank`` against lifelines
    (``KaplanMeierFitter``, ``logrank_test``), statsmodels (``SurvfuncRight``,
    ``survdiff``) and R ``survival`` (``survfit``, ``survdiff``; time measured inside R
    with ``system.time``, reading the CSV not counted);
(c) Turnbull on 100,000 banded answers (five half-open bands, 40 % still attending):
    ``analysis.turnbull`` against lifelines ``KaplanMeierFitter().fit_interval_censoring``
    (lower bounds nudged up by 1e-6 so its closed intervals behave as half-open ones) and
    R ``survfit(Surv(l, r, type = "interval2"))``.

Usage::

    python benchmarks/retention.py            # 10M check-ins, 1M durations, 100k answers
    python benchmarks/retention.py --quick    # 1M, 200k, 20k: under a minute
    python benchmarks/retention.py --smoke    # 20k, 5k, 2k: the checks, seconds
"""

from __future__ import annotations

import subprocess
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import kaplan_meier, logrank, retention_from_checkins, turnbull

from _timing import arguments, checked, pick, r_has, timed  # noqa: E402  (benchmarks/ on sys.path)

BANDS = [(0.0, 3.0), (3.0, 6.0), (6.0, 12.0), (12.0, 24.0), (24.0, np.inf)]


# ----------------------------------------------------------------------------- data
def build_checkins(n: int, users: int, seed: int = 2016) -> pd.DataFrame:
    """n check-ins of ``users`` users at 60 places over three years."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"{x:016x}" for x in rng.integers(0, 2**63, users)], dtype=object)
    who = rng.integers(0, users, n)
    start = rng.integers(0, 3 * 365 * 86400, users)
    span = rng.exponential(200 * 86400, users)
    seconds = (start[who] + rng.random(n) * span[who]).astype("int64")
    return pd.DataFrame({
        "place_id": pd.Categorical.from_codes(rng.integers(0, 60, n),
                                              [f"p{i:02d}" for i in range(60)]),
        "user_id": ids[who],
        "timestamp": pd.Timestamp("2014-01-01") + pd.to_timedelta(seconds, "s")})


def build_durations(n: int, seed: int = 2017) -> pd.DataFrame:
    """n durations in whole days, two groups, about 35 % still running."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    stay = rng.exponential(np.where(group == 1, 300.0, 250.0))
    follow = rng.uniform(0, 1500, n)
    return pd.DataFrame({"time": np.floor(np.minimum(stay, follow)),
                         "status": (stay <= follow).astype(int), "group": group})


def build_bands(n: int, seed: int = 2018) -> pd.DataFrame:
    """n banded answers; still-attending users only known to exceed the band's lower bound."""
    rng = np.random.default_rng(seed)
    band = rng.choice(5, n, p=[0.14, 0.17, 0.23, 0.32, 0.14])
    lower = np.array([BANDS[b][0] for b in band])
    upper = np.array([BANDS[b][1] for b in band])
    upper[rng.random(n) < 0.4] = np.inf
    return pd.DataFrame({"lower": lower, "upper": upper})


# ----------------------------------------------------------------------------- (a)
def ours_checkins(log):
    durations = retention_from_checkins(log, inactivity_days=60)
    return durations, kaplan_meier(durations["duration_days"], durations["observed"])


def _lifelines_km(days, observed):
    from lifelines import KaplanMeierFitter

    return KaplanMeierFitter().fit(days, observed)


def duckdb_checkins(log):
    import duckdb

    con = duckdb.connect()
    con.register("log", log)
    users = con.execute("""
        WITH u AS (SELECT user_id, min(timestamp) AS first_visit, max(timestamp) AS last_visit,
                          count(*) AS visits, arg_min(place_id, timestamp) AS place_id
                   FROM log GROUP BY user_id),
             a AS (SELECT max(timestamp) AS as_of FROM log)
        SELECT user_id, place_id, visits,
               (a.as_of - last_visit) > INTERVAL 60 DAY AS observed,
               epoch(CASE WHEN (a.as_of - last_visit) > INTERVAL 60 DAY THEN last_visit
                          ELSE a.as_of END - first_visit) / 86400.0 AS duration_days
        FROM u, a ORDER BY user_id""").df()
    return users, _lifelines_km(users["duration_days"], users["observed"])


def pandas_checkins(log):
    grouped = log.groupby("user_id", sort=True, observed=True)["timestamp"]
    users = grouped.agg(["min", "max", "size"])
    as_of = log["timestamp"].max()
    observed = (as_of - users["max"]) > pd.Timedelta(days=60)
    end = users["max"].where(observed, as_of)
    days = (end - users["min"]) / pd.Timedelta(days=1)
    return days, _lifelines_km(days, observed)


def run_checkins(n, users, categorical=False):
    log = build_checkins(n, users)
    if categorical:
        log["user_id"] = log["user_id"].astype("category")
    t_ours, (durations, fit) = timed(lambda: ours_checkins(log), 2)
    tracemalloc.start()
    ours_checkins(log)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    t_duck, (duck, duck_fit) = timed(lambda: duckdb_checkins(log), 2)
    t_pd, (pd_days, pd_fit) = timed(lambda: pandas_checkins(log), 2)
    # checks: same users, durations, censoring, first place, and the same curve
    durations = durations.sort_values("user_id", ignore_index=True)  # ours: log order
    np.testing.assert_array_equal(durations["user_id"].astype(str), duck["user_id"].astype(str))
    np.testing.assert_allclose(durations["duration_days"], duck["duration_days"], atol=1e-6)
    np.testing.assert_array_equal(durations["observed"], duck["observed"])
    np.testing.assert_array_equal(durations["visits"], duck["visits"])
    # first place: DuckDB's arg_min picks any row among tied first timestamps; where the
    # two differ, the log must hold a check-in of that user at that place at that time
    differ = np.flatnonzero(durations["place_id"].astype(str).to_numpy()
                            != duck["place_id"].astype(str).to_numpy())
    assert len(differ) < 0.001 * len(duck), len(differ)
    ties = log[log["user_id"].isin(duck["user_id"].iloc[differ])]
    for i in differ:
        rows = ties[(ties["user_id"] == duck["user_id"].iloc[i])
                    & (ties["timestamp"] == durations["first_visit"].iloc[i])]
        assert {durations["place_id"].iloc[i], duck["place_id"].iloc[i]} <= set(rows["place_id"])
    np.testing.assert_allclose(durations["duration_days"], pd_days.to_numpy(), atol=1e-9)
    for other in (duck_fit, pd_fit):
        curve = other.survival_function_.iloc[:, 0]
        np.testing.assert_allclose(fit["survival"], curve.reindex(fit["time"]).to_numpy(),
                                   atol=1e-9)
    kind = "categorical ids" if categorical else "string ids"
    return [("check-ins -> durations -> KM", f"{n:,} check-ins, {users:,} users, {kind}",
             t_ours, {"duckdb + lifelines": t_duck, "pandas groupby + lifelines": t_pd},
             f"peak {peak:.0f} MiB (tracemalloc)")]


# ----------------------------------------------------------------------------- (b), (c) R
R_SCRIPT = r"""
suppressMessages(library(survival))
args <- commandArgs(TRUE)
d <- read.csv(args[1]); b <- read.csv(args[2])
t_km <- system.time(f <- survfit(Surv(time, status) ~ 1, data = d))[["elapsed"]]
t_lr <- system.time(s <- survdiff(Surv(time, status) ~ group, data = d))[["elapsed"]]
t_tb <- system.time(g <- survfit(Surv(lower, upper, type = "interval2") ~ 1,
                                 data = b))[["elapsed"]]
bounds <- c(3, 6, 12, 24)
write.csv(data.frame(time = f$time, surv = f$surv, se = f$std.err * f$surv),
          file.path(args[3], "km.csv"), row.names = FALSE)
write.csv(data.frame(bound = bounds, surv = stepfun(g$time, c(1, g$surv))(bounds)),
          file.path(args[3], "turnbull.csv"), row.names = FALSE)
write.csv(data.frame(km = t_km, logrank = t_lr, turnbull = t_tb, chisq = s$chisq),
          file.path(args[3], "times.csv"), row.names = FALSE)
"""


def run_r(durations, bands):
    """R survival via Rscript: times measured inside R, results read back for checking."""
    if not r_has("survival"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        durations.to_csv(folder / "d.csv", index=False)
        bands.to_csv(folder / "b.csv", index=False)
        (folder / "bench.R").write_text(R_SCRIPT)
        subprocess.run(["Rscript", str(folder / "bench.R"), str(folder / "d.csv"),
                        str(folder / "b.csv"), str(folder)], check=True, capture_output=True)
        return {name: pd.read_csv(folder / f"{name}.csv")
                for name in ("km", "turnbull", "times")}


# ----------------------------------------------------------------------------- (b)
def run_durations(n, r):
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff

    data = build_durations(n)
    t, e, g = data["time"].to_numpy(), data["status"].to_numpy(), data["group"].to_numpy()
    t_km, fit = timed(lambda: kaplan_meier(t, e))
    t_ll, ll = timed(lambda: KaplanMeierFitter().fit(t, e))
    t_sm, sm = timed(lambda: SurvfuncRight(t, e))
    curve = fit.set_index("time")
    np.testing.assert_allclose(curve["survival"], ll.survival_function_.iloc[:, 0]
                               .reindex(curve.index).to_numpy(), atol=1e-9)
    np.testing.assert_allclose(curve.loc[sm.surv_times, "survival"], sm.surv_prob, atol=1e-9)
    np.testing.assert_allclose(curve.loc[sm.surv_times, "se"], sm.surv_prob_se, rtol=1e-6)
    t_lr, test = timed(lambda: logrank(t, e, g))
    a, b = g == 0, g == 1
    t_lll, ll_test = timed(lambda: logrank_test(t[a], t[b], e[a], e[b]))
    t_smd, sm_test = timed(lambda: survdiff(t, e, g))
    statistic = test["statistic"].iloc[0]
    np.testing.assert_allclose(statistic, ll_test.test_statistic, rtol=1e-8)
    np.testing.assert_allclose(statistic, sm_test[0], rtol=1e-8)
    peers_km = {"lifelines KaplanMeierFitter": t_ll, "statsmodels SurvfuncRight": t_sm}
    peers_lr = {"lifelines logrank_test": t_lll, "statsmodels survdiff": t_smd}
    if r is not None:
        np.testing.assert_allclose(curve.loc[r["km"]["time"], "survival"], r["km"]["surv"],
                                   atol=1e-9)
        np.testing.assert_allclose(curve.loc[r["km"]["time"], "se"], r["km"]["se"],
                                   rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(statistic, r["times"]["chisq"].iloc[0], rtol=1e-8)
        peers_km["R survfit"] = r["times"]["km"].iloc[0]
        peers_lr["R survdiff"] = r["times"]["logrank"].iloc[0]
    size = f"{n:,} durations, {len(fit):,} distinct"
    return [("Kaplan-Meier (with Greenwood SE, CI)", size, t_km, peers_km, ""),
            ("log-rank, 2 groups", size, t_lr, peers_lr, "")]


# ----------------------------------------------------------------------------- (c)
def run_turnbull(bands, r):
    from lifelines import KaplanMeierFitter

    lower, upper = bands["lower"].to_numpy(), bands["upper"].to_numpy()
    t_ours, fit = timed(lambda: turnbull(lower, upper))
    nudged = np.where(lower < upper, lower + 1e-6, lower)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # lifelines warns the API is experimental
        t_ll, ll = timed(lambda: KaplanMeierFitter().fit_interval_censoring(nudged, upper))
    ours = fit.set_index("time")["survival"]
    bounds = np.array([3.0, 6.0, 12.0, 24.0])
    theirs = ll.survival_function_["NPMLE_estimate_upper"].reindex(bounds + 1e-6).to_numpy()
    diff_ll = np.max(np.abs(ours.loc[bounds].to_numpy() - theirs))
    assert diff_ll < 1e-4, diff_ll          # lifelines' own EM tolerance
    peers = {"lifelines fit_interval_censoring": t_ll}
    note = f"max |diff| lifelines {diff_ll:.1e}"
    t_boot, _ = timed(lambda: turnbull(lower, upper, n_boot=200, seed=1), 1)
    if r is not None:
        diff_r = np.max(np.abs(ours.loc[bounds].to_numpy() - r["turnbull"]["surv"].to_numpy()))
        assert diff_r < 1e-3, diff_r        # R stops its EM at a 5e-5 change
        peers["R survfit interval2"] = r["times"]["turnbull"].iloc[0]
        note += f", R {diff_r:.1e}"
    return [("Turnbull NPMLE", f"{len(bands):,} banded answers", t_ours, peers, note),
            ("Turnbull + 200 bootstrap resamples", f"{len(bands):,} banded answers", t_boot,
             {}, "")]


def main() -> None:
    args = arguments(__doc__, "smaller data, under a minute")
    sizes = pick(args, (10_000_000, 300_000, 1_000_000, 100_000),
                 (1_000_000, 60_000, 200_000, 20_000), (20_000, 1_000, 5_000, 2_000))
    durations, bands = build_durations(sizes[2]), build_bands(sizes[3])
    r = run_r(durations, bands)
    rows = (run_checkins(sizes[0], sizes[1]) + run_checkins(sizes[0], sizes[1], True)
            + run_durations(sizes[2], r) + run_turnbull(bands, r))
    print(f"{'task':40} {'size':38} {'bilan s':>9}  peers (s, ratio peer/bilan)")
    for task, size, ours, peers, note in rows:
        others = "; ".join(f"{name} {t:.3f} ({t / ours:.1f}x)" for name, t in peers.items())
        print(f"{task:40} {size:38} {ours:9.3f}  {others} {note}")
    if r is None:
        print("R survival not found: skipped")
    checked("retention", "check-ins -> KM (duckdb + lifelines, pandas + lifelines; string and "
            "categorical ids), KM and log-rank (lifelines, statsmodels"
            + (", R survival" if r is not None else "") + "), Turnbull (lifelines"
            + (", R survival" if r is not None else "") + ")")


if __name__ == "__main__":
    main()
