"""Benchmark: monthly attendance summary of a check-in log, ours vs a DuckDB SQL query.

Ten million check-ins across 500 places by about 50,000 users over two years (the
default), summarised per place and month: visits, distinct users, new and returning
users, user-days. Both run on the same pandas DataFrame (object string ids, datetime64
timestamps) in the same process; the results must be equal.

Usage: python benchmarks/attendance.py [--quick | --smoke]
"""

from __future__ import annotations

import time
import tracemalloc

import duckdb
import numpy as np
import pandas as pd

from analysis.attendance import attendance_summary

from _timing import arguments, checked, pick  # noqa: E402  (benchmarks/ is on sys.path)

#: The straightforward query: one GROUP BY per measure, joined.
SQL_JOINS = """
WITH e AS (
    SELECT place_id, user_id,
           date_trunc('month', timestamp) AS period,
           CAST(timestamp AS DATE) AS day
    FROM events
),
firsts AS (
    SELECT place_id, user_id, min(period) AS period FROM e GROUP BY place_id, user_id
),
new_users AS (
    SELECT place_id, period, count(*) AS new_users FROM firsts GROUP BY place_id, period
),
counts AS (
    SELECT place_id, period, count(*) AS visits, count(DISTINCT user_id) AS users
    FROM e GROUP BY place_id, period
),
user_days AS (
    SELECT place_id, period, count(*) AS user_days
    FROM (SELECT DISTINCT place_id, user_id, day FROM e) AS d
    JOIN (SELECT DISTINCT day, date_trunc('month', day) AS period FROM e) AS m USING (day)
    GROUP BY place_id, period
)
SELECT c.place_id, c.period, c.visits, c.users,
       coalesce(n.new_users, 0) AS new_users,
       c.users - coalesce(n.new_users, 0) AS returning_users,
       u.user_days
FROM counts AS c
JOIN user_days AS u USING (place_id, period)
LEFT JOIN new_users AS n USING (place_id, period)
ORDER BY c.place_id, c.period
"""

#: An aggregate-first query: distinct user-days, then user-months, then place-months.
SQL_LAYERED = """
WITH d AS (
    SELECT place_id, user_id, CAST(timestamp AS DATE) AS day, count(*) AS visits
    FROM events GROUP BY ALL
),
pu AS (
    SELECT place_id, user_id, date_trunc('month', day) AS period,
           sum(visits) AS visits, count(*) AS user_days
    FROM d GROUP BY ALL
),
f AS (
    SELECT *, period = min(period) OVER (PARTITION BY place_id, user_id) AS is_new FROM pu
)
SELECT place_id, period, sum(visits) AS visits, count(*) AS users,
       count(*) FILTER (WHERE is_new) AS new_users,
       count(*) FILTER (WHERE NOT is_new) AS returning_users,
       sum(user_days) AS user_days
FROM f GROUP BY ALL ORDER BY place_id, period
"""

COLUMNS = ["visits", "users", "new_users", "returning_users", "user_days"]


def make_log(n_events: int, n_places: int, n_users: int, seed: int = 0):
    """A synthetic log: users mostly go to their home place, after it opened, 2015-2016."""
    rng = np.random.default_rng(seed)
    place_ids = np.array([f"TL{i:04d}" for i in range(n_places)], dtype=object)
    user_ids = np.array([f"user-{i:06d}" for i in range(n_users)], dtype=object)
    home = rng.integers(0, n_places, n_users)
    user = rng.integers(0, n_users, n_events)
    wander = rng.random(n_events) < 0.1
    place = np.where(wander, rng.integers(0, n_places, n_events), home[user])
    opened = np.datetime64("2013-01-01") + rng.integers(0, 1_250, n_places)
    first = np.maximum((opened - np.datetime64("2015-01-01")).astype("int64"), 0) * 86_400
    span = 730 * 86_400 - first[place]
    seconds = first[place] + (rng.random(n_events) * span).astype("int64")
    stamps = np.datetime64("2015-01-01T00:00:00", "s") + seconds
    events = pd.DataFrame({
        "place_id": place_ids[place],
        "user_id": user_ids[user],
        "timestamp": stamps.astype("datetime64[ns]"),
    })
    places = pd.DataFrame({
        "place_id": place_ids,
        "name": [f"Tiers-lieu {i}" for i in range(n_places)],
        "type": rng.choice(["coworking", "fablab", "hybrid"], n_places),
        "zone": rng.choice(["urban", "periurban", "rural"], n_places),
        "capacity": rng.integers(5, 60, n_places).astype(float),
        "opened": opened.astype("datetime64[ns]"),
    })
    return events, places


def interleaved(repeats: int, contenders: dict) -> tuple[dict, dict]:
    """Best time and last result of each contender, runs interleaved (the machine is shared)."""
    times = {name: [] for name in contenders}
    results = {}
    for _ in range(repeats):
        for name, func in contenders.items():
            start = time.perf_counter()
            results[name] = func()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}, results


def check_equal(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    theirs = theirs.assign(period=pd.to_datetime(theirs["period"]).astype("datetime64[ns]"))
    visited = ours[ours["visits"] > 0].sort_values(["place_id", "period"])
    assert len(visited) == len(theirs), (len(visited), len(theirs))
    assert (visited["place_id"].to_numpy() == theirs["place_id"].to_numpy()).all()
    assert (visited["period"].to_numpy() == theirs["period"].to_numpy()).all()
    for column in COLUMNS:
        np.testing.assert_array_equal(visited[column].to_numpy(),
                                      theirs[column].to_numpy().astype("int64"), column)
    empty = ours[ours["visits"] == 0]
    assert (empty[COLUMNS].to_numpy() == 0).all()


def main() -> None:
    args = arguments(__doc__, "one million check-ins")
    n_events, n_places, n_users, repeats = pick(
        args, (10_000_000, 500, 50_000, 3), (1_000_000, 100, 10_000, 3), (8_000, 40, 400, 1))
    events, places = make_log(n_events, n_places, n_users)
    print(f"{n_events:,} check-ins, {n_places} places, {n_users:,} users, 24 months")

    con = duckdb.connect()
    con.register("events", events)
    times, results = interleaved(repeats, {
        "ours": lambda: attendance_summary(events, places, freq="M"),
        "duckdb_joins": lambda: con.execute(SQL_JOINS).df(),
        "duckdb_layered": lambda: con.execute(SQL_LAYERED).df(),
    })
    ours = results["ours"]
    check_equal(ours, results["duckdb_joins"])
    check_equal(ours, results["duckdb_layered"])
    if args.smoke:  # its data are chosen to hold open place-months without visits
        assert (ours["visits"] == 0).any(), "no place-month without visits: a check unused"
    checked("attendance", f"{len(ours):,} place-months, duckdb (joined and layered queries)")

    tracemalloc.start()
    attendance_summary(events, places, freq="M")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    duck = min(times["duckdb_joins"], times["duckdb_layered"])
    print(f"rows: ours {len(ours):,} (incl. zero rows), duckdb "
          f"{len(results['duckdb_joins']):,}; results equal (both queries)")
    print(f"best of {repeats}, interleaved:")
    print(f"  bilan attendance_summary : {times['ours']:7.2f} s  (peak Python-tracked "
          f"memory {peak / 2**20:,.0f} MiB)")
    print(f"  duckdb, joined GROUP BYs : {times['duckdb_joins']:7.2f} s  "
          f"(duckdb {duckdb.__version__}, {threads} threads)")
    print(f"  duckdb, layered GROUP BYs: {times['duckdb_layered']:7.2f} s")
    print(f"  ratio ours / best duckdb : {times['ours'] / duck:7.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
