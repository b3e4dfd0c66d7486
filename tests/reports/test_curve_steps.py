"""Published survival curves whose steps each rest on enough exits, and whose monthly
counts add up (reports/curve_grid.py): no level, horizon or quantile gives away the
exit of one to four people, and "still followed" at month k - 1, less the month's
exits and censorings, is "still followed" at month k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import kaplan_meier, retention_at, survival_quantiles
from analysis.design_survival import design_kaplan_meier
from analysis.evaluation_model import Table
from reports.curve_grid import (level_steps, monthly_curve, published_curve,
                                published_horizons, published_quantiles)
from reports.i18n import catalogue
from reports.suppression import SUPPRESSED, suppress_table

MIN_CELL = 5
SEEDS = range(40)


def _stays(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random stays: some whole months long (exits on a month's boundary), some
    same-day, few or many people, few or many exits."""
    rng = np.random.default_rng(seed)
    size = int(rng.choice([12, 30, 80, 300]))
    durations = rng.exponential(rng.uniform(3, 15), size)
    whole = rng.random(size) < 0.3
    durations[whole] = np.round(durations[whole])  # 16.0 months: 487 days
    durations[rng.random(size) < 0.08] = 0.0
    observed = rng.random(size) < rng.uniform(0.1, 0.9)
    return durations, observed


def _curve(seed: int) -> Table:
    durations, observed = _stays(seed)
    return Table("x_curve", kaplan_meier(durations, observed), "t", count_column="at_risk",
                 figure="km_curve")


def _exits_between(durations, observed, after: float, upto: float) -> int:
    """Exits the exact curve takes in between two months' ends (month 0 = day 0)."""
    low = -np.inf if after < 0 else after
    return int((observed & (durations > low) & (durations <= upto)).sum())


def _published_levels(table: Table) -> pd.DataFrame:
    """The months whose level the report publishes, after suppression."""
    out = suppress_table(published_curve(table, MIN_CELL), MIN_CELL)
    return out[out["survival"].notna()]


@pytest.mark.parametrize("seed", SEEDS)
def test_each_published_step_rests_on_min_cell_exits_or_none(seed):
    """Between two published levels (and from the start, at 100 %, to the first) the
    exact curve takes in no exit or at least min_cell, and the level moves only then."""
    durations, observed = _stays(seed)
    levels = _published_levels(_curve(seed))
    months = [-1.0, *levels["time"]]
    values = [1.0, *levels["survival"]]
    for (before, after), (old, new) in zip(zip(months, months[1:]), zip(values, values[1:])):
        exits = _exits_between(durations, observed, before, after)
        assert exits == 0 or exits >= MIN_CELL, (before, after, exits)
        if exits == 0:
            assert new == old


@pytest.mark.parametrize("seed", SEEDS)
def test_no_level_ratio_reads_as_a_few_exits(seed):
    """No ratio of two published levels (nor of one to the start) is (n - d) / n for
    d = 1..4 exits, n the people followed at the step's first exit or at the month
    before it: 26/27 no longer says that one company out of the 27 then followed left.
    (A fall to 0 says that all those left went: the step's exits, min_cell or more.)"""
    durations, _ = _stays(seed)
    table = _curve(seed)
    exact = table.data
    levels = _published_levels(table)
    months = [-1.0, *levels["time"]]
    values = [1.0, *levels["survival"]]
    d = np.arange(1, MIN_CELL)[None, :]
    for (before, after), (old, new) in zip(zip(months, months[1:]), zip(values, values[1:])):
        if new in (old, 0.0):
            continue
        inside = (exact["time"] > before + 1e-9) & (exact["time"] <= after + 1e-9) & \
            (exact["events"] > 0)
        first = exact.loc[inside, "at_risk"].iloc[0]
        followed = (durations > before).sum() if before >= 0 else len(durations)
        n = np.array([[first], [followed]], dtype=float)
        assert not np.isclose((n - d) / n, new / old, rtol=0, atol=1e-12).any()


def test_a_lone_exit_step_would_be_read():
    """The check above finds the reviewer's reading on the old, per-month levels: the
    companies' 26/27 (one exit out of 27 at month 5)."""
    durations = np.r_[4.6, np.full(26, 13.0)]
    observed = np.r_[True, np.zeros(26, bool)]
    grid = monthly_curve(kaplan_meier(durations, observed))
    ratio = grid["survival"].iloc[5] / grid["survival"].iloc[4]
    assert np.isclose(ratio, 26 / 27, rtol=0, atol=1e-12)
    published = published_curve(Table("c_curve", kaplan_meier(durations, observed), "t",
                                       figure="km_curve"), MIN_CELL).data
    assert (published["survival"].dropna() == 1.0).all()


@pytest.mark.parametrize("seed", range(12))
def test_weighted_curve_steps_rest_on_people_not_weights(seed):
    """A design-based curve (raking weights, as the agents'): its steps too rest on at
    least min_cell respondents' exits, however their weights differ."""
    durations, observed = _stays(seed)
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"w": rng.choice([1.105, 1.444], len(durations))})
    curve = design_kaplan_meier(data, durations, observed.astype(float), weights="w")
    levels = _published_levels(Table("a_curve", curve, "t", count_column="at_risk",
                                     figure="km_curve"))
    months = [-1.0, *levels["time"]]
    for before, after in zip(months, months[1:]):
        exits = _exits_between(durations, observed, before, after)
        assert exits == 0 or exits >= MIN_CELL


@pytest.mark.parametrize("seed", SEEDS)
def test_monthly_counts_add_up(seed):
    """Followed at month k - 1, less the exits and censorings of month k, are the
    followed of month k, stays of whole months included; at month 0, everyone less
    the same-day ones."""
    durations, observed = _stays(seed)
    grid = monthly_curve(kaplan_meier(durations, observed))
    followed = np.r_[len(durations), grid["at_risk"].to_numpy(float)]
    gone = grid[["events", "censored"]].to_numpy(float).sum(axis=1)
    np.testing.assert_array_equal(followed[:-1] - gone, followed[1:])
    assert followed[-1] == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_level_at_each_month_takes_in_that_months_exits(seed):
    """The level at month k is the Kaplan–Meier survival with the exits of months 0
    to k, the same exits the rows count (lifelines' survival at k)."""
    lifelines = pytest.importorskip("lifelines")
    durations, observed = _stays(seed)
    grid = monthly_curve(kaplan_meier(durations, observed))
    fitter = lifelines.KaplanMeierFitter().fit(durations, observed)
    expected = fitter.survival_function_at_times(grid["time"].to_numpy()).to_numpy()
    np.testing.assert_allclose(grid["survival"].to_numpy(float), expected, rtol=1e-12)
    exits = np.cumsum(grid["events"].to_numpy(float))
    assert (exits == [observed[durations <= k].sum() for k in grid["time"]]).all()


def test_month_of_a_whole_month_stay():
    """A stay of exactly 16 months ends in month 16: it leaves the followed count of
    month 16 and is one of its exits (the users' curve: 56 - 5 - 13 = 38)."""
    curve = pd.DataFrame({"time": [15.5, 16.0, 16.5], "at_risk": [3, 2, 1],
                          "events": [1, 1, 0], "censored": [0, 0, 1],
                          "survival": [2 / 3, 1 / 3, 1 / 3]})
    grid = monthly_curve(curve).set_index("time")
    assert grid.loc[15.0, "at_risk"] == 3 and grid.loc[16.0, "at_risk"] == 1
    assert grid.loc[16.0, "events"] == 2 and grid.loc[16.0, "survival"] == 1 / 3


def test_level_steps_wait_for_enough_exits():
    """Exits 2 then 3 give one step of 5; a lone exit after them is never published,
    not even at the curve's end."""
    steps = level_steps(pd.DataFrame({"events": [0, 2, 3, 0, 1, 0]}), MIN_CELL)
    assert steps.tolist() == [True, False, True, True, False, False]


@pytest.mark.parametrize("seed", SEEDS)
def test_horizons_publish_only_what_the_curve_publishes(seed):
    """A horizon's share is the published curve's level at that month or is hidden,
    and its followed count is the published curve's (hidden where the curve hides it):
    neither tells more than the curve."""
    curve = _curve(seed)
    monthly = published_curve(curve, MIN_CELL).data.set_index("time")
    full = monthly_curve(curve.data).set_index("time")
    horizons = Table("x_horizons", retention_at(curve.data, horizons=(3, 6, 12, 24)), "t")
    out = published_horizons(horizons, curve, MIN_CELL).data
    for _, row in out.iterrows():
        month = min(row["time"], full.index.max())
        if not np.isnan(row["estimate"]):
            assert row["estimate"] == monthly.loc[month, "survival"]
        given = (pd.to_numeric(monthly["at_risk"]).loc[row["time"]]
                 if row["time"] in full.index else 0.0)
        assert (np.isnan(row["at_risk"]) and np.isnan(given)) or row["at_risk"] == given


@pytest.mark.parametrize("seed", SEEDS)
def test_quantiles_fall_on_published_levels(seed):
    """A published quantile or bound is a month whose level the curve publishes (else
    it would say in which month of a hidden step the threshold was crossed)."""
    durations, observed = _stays(seed)
    curve = _curve(seed)
    table = Table("x_median", survival_quantiles(durations, observed), "t")
    out = published_quantiles(table, curve, MIN_CELL).data
    steps = level_steps(monthly_curve(curve.data), MIN_CELL)
    for column in ("estimate", "ci_low", "ci_high"):
        for month in out[column].dropna():
            assert month == round(month) and steps[min(int(month), len(steps) - 1)]


def test_exact_quantiles_without_a_curve_are_only_rounded():
    """Without its curve a quantiles table is rounded up to months, nothing hidden."""
    frame = pd.DataFrame({"probability": [0.5], "estimate": [4.2], "ci_low": [3.1],
                          "ci_high": [6.0]})
    out = published_quantiles(Table("x_median", frame, "t")).data
    assert out[["estimate", "ci_low", "ci_high"]].iloc[0].tolist() == [5.0, 4.0, 6.0]


def test_hidden_levels_carry_a_note_in_both_languages():
    """A curve with levels hidden says why, in French and English."""
    table = published_curve(_curve(3), MIN_CELL)
    assert "report.curve_levels" in table.notes
    assert "Part encore présente" in catalogue("fr").text("report.curve_levels")
    assert "Share still attending" in catalogue("en").text("report.curve_levels")


# --- the demo report -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_reports):
    """The demo's published CSVs and its evaluation's exact curves."""
    import surveys
    from analysis import evaluate

    folder = demo_reports["fr"].parent / "csv"
    evaluation = evaluate(surveys.read_pilot(demo_reports["fr"].parents[1] / "pilot.toml"))
    return folder, evaluation.sections["retention"].tables


NAMES = ("companies_stays", "agents_stays", "checkins_users")


@pytest.mark.parametrize("name", NAMES)
def test_demo_steps_rest_on_five_exits(demo, name):
    """In the demo's CSV, each published step of the three curves rests on at least 5
    exits of the exact curve, or on none."""
    folder, tables = demo
    exact = tables[f"{name}_curve"].data
    published = pd.read_csv(folder / f"retention_{name}_curve.csv")
    levels = published[published["survival"].notna()]
    months = [-1.0, *levels["time"]]
    for before, after in zip(months, months[1:]):
        low = -np.inf if before < 0 else before + 1e-9
        rows = (exact["time"] > low) & (exact["time"] <= after + 1e-9)
        exits = exact.loc[rows, "events"].sum()
        assert exits == 0 or exits >= MIN_CELL, (name, before, after, exits)


def test_demo_company_and_agent_curves_publish_no_lone_exit(demo):
    """The companies' 26/27 and the agents' single raking weights are gone: with four
    exits each, the curves publish no level below 100 % and no quantile."""
    folder, _ = demo
    for name in ("companies_stays", "agents_stays"):
        curve = pd.read_csv(folder / f"retention_{name}_curve.csv")
        assert (curve["survival"].dropna() == 1.0).all()
        median = pd.read_csv(folder / f"retention_{name}_median.csv")
        assert median[["estimate", "ci_low", "ci_high"]].isna().all().all()


def test_demo_users_counts_add_up(demo):
    """The users' curve: where a month and the one before are both shown, followed
    before less exits and censorings is followed after (month 14: 83 - 6 - 9 = 68; month
    16's counts are hidden with the hidden level of month 15, privacy review 12)."""
    folder, _ = demo
    curve = pd.read_csv(folder / "retention_checkins_users_curve.csv").set_index("time")
    followed = curve["at_risk"]
    gone = curve["events"] + curve["censored"]
    check = (followed.shift(1) - gone - followed).dropna()
    assert len(check) > 10 and (check == 0).all()
    assert (followed.loc[13.0], curve.loc[14.0, "events"], curve.loc[14.0, "censored"],
            followed.loc[14.0]) == (83, 6, 9, 68)


@pytest.mark.parametrize("name", NAMES)
def test_demo_horizons_match_the_curve(demo, name):
    """Each published horizon (share and followed) is the curve's at that month."""
    folder, _ = demo
    curve = pd.read_csv(folder / f"retention_{name}_curve.csv").set_index("time")
    horizons = pd.read_csv(folder / f"retention_{name}_horizons.csv")
    for _, row in horizons[~horizons[SUPPRESSED]].iterrows():
        month = min(row["time"], curve.index.max())
        if not np.isnan(row["estimate"]):
            assert row["estimate"] == curve.loc[month, "survival"]
        if row["time"] in curve.index and not np.isnan(curve.loc[row["time"], "at_risk"]):
            assert row["at_risk"] == curve.loc[row["time"], "at_risk"]


def test_demo_cards_read_the_published_horizons(demo_reports):
    """A staying card shows the longest horizon observed, or nothing when that share is
    hidden (the companies' 12 months rest on 4 exits): not a shorter horizon before
    the exits, which would read as if no company had left. The log's card still counts
    its 1 026 users."""
    import html as html_module

    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    assert "Entreprises\u00a0: toujours dans le pilote après" not in page
    assert "1\u202f026 usagers" in page


def test_hidden_horizon_shares_are_marked_on_the_page(demo_reports):
    """A horizon share the curve does not publish reads "—*" on the page (a hidden
    cell, not an empty one), and the CSV names it in ``hidden_cells``."""
    import html as html_module
    import re

    from reports.i18n import catalogue

    page = demo_reports["fr"].read_text(encoding="utf-8")
    block = page[page.index('id="retention-companies_stays_horizons"'):]
    block = block[:block.index("</table>")]
    rows = [[html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", block, flags=re.S)]
    twelve = next(row for row in rows if row and row[0] == "12")
    mark = catalogue("fr").text("report.suppressed_mark")
    assert twelve[2].startswith(mark) and twelve[3].startswith(mark)
    csv = pd.read_csv(demo_reports["fr"].parent / "csv"
                      / "retention_companies_stays_horizons.csv").set_index("time")
    assert "estimate" in csv.loc[12.0, "hidden_cells"].split(",")


@pytest.mark.parametrize("name", NAMES)
def test_demo_followed_counts_never_differ_by_a_few_people(demo, name):
    """Across the curve and its horizons table, two published counts of people still
    followed never differ by 1 to 4: 46 then 44 agents would say that 2 left (review)."""
    folder, _ = demo
    curve = pd.read_csv(folder / f"retention_{name}_curve.csv")[["time", "at_risk"]]
    horizons = pd.read_csv(folder / f"retention_{name}_horizons.csv")[["time", "at_risk"]]
    counts = pd.concat([curve, horizons]).dropna().drop_duplicates().sort_values("time")
    assert counts.groupby("time")["at_risk"].nunique().max() == 1  # one count per month
    steps = -counts["at_risk"].diff().dropna()
    assert not ((steps > 0) & (steps < 5)).any(), steps[(steps > 0) & (steps < 5)]
