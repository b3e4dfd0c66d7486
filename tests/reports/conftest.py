"""Evaluations built by hand from tables shaped like the analysis contract's outputs.

They let the report be tested without the statistics: every DataFrame below has the
columns DESIGN.md promises (proportion, compare_baseline, kaplan_meier, likert, nps,
commute_impact, attendance_summary).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table

matplotlib.use("Agg")

#: Debian's Chromium, for the tests that open the report in a browser.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> dict[str, Path]:
    """The demo pilot's report in French (``bilan demo``) and in English (``bilan report
    --lang en``), written once for the session: read them, do not change them."""
    from reports.cli import main

    out = tmp_path_factory.mktemp("demo_reports")
    assert main(["demo", "--out", str(out)]) == 0
    assert main(["report", str(out / "pilot.toml"), "--out", str(out / "en"),
                 "--lang", "en"]) == 0
    return {"fr": out / "report" / "report.html", "en": out / "en" / "report.html"}


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session; open pages in ``new_context(offline=True)``.
    Skips where Debian's chromium (``.ci/run`` installs it) or playwright is missing."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(chromium):
    """A function opening a report in the browser, offline, at a width (and a media):
    ``open_page(path, 390)``; the pages' contexts are closed after the test."""
    contexts = []

    def open_(path, width: int, media: str = "screen"):
        context = chromium.new_context(offline=True, viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.emulate_media(media=media)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def sideways(open_page):
    """A function scrolling one table of a report sideways on a phone (390 px): how far
    it scrolled, and how far each cell of its first row moved
    (``sideways(path, "#profiles-agents", 150)``)."""

    def scroll(path, table: str, by: int) -> tuple[float, list[float]]:
        page = open_page(path, 390)
        return page.evaluate("""([table, by]) => {
            const wrap = document.querySelector(table + ' ~ .table-wrap');
            const row = wrap.querySelector('tbody tr');
            const where = () => [...row.children].map(c => c.getBoundingClientRect().left);
            const before = where(); wrap.scrollLeft = by; const after = where();
            return [wrap.scrollLeft, before.map((x, i) => x - after[i])]; }""", [table, by])

    return scroll


def _quality() -> list[Table]:
    sources = pd.DataFrame({"source": ["agents.csv", "places.csv"], "kind": ["agent", "places"],
                            "rows": [64, 12], "kept": [61, 12], "excluded": [3, 0]})
    problems = pd.DataFrame({"column": ["age", "telework_days"],
                             "reason": ["outside 15–90", "outside 0–5"],
                             "action": ["set_missing", "set_missing"], "count": [2, 1]})
    return [Table("sources", sources, "tables.quality"),
            Table("problems", problems, "Problèmes relevés, par colonne")]


def _profiles() -> list[Table]:
    gender = pd.DataFrame({
        "gender": ["F", "M", "X"], "n": [40, 18, 3], "estimate": [0.656, 0.295, 0.049],
        "se": [0.06, 0.058, 0.027], "ci_low": [0.53, 0.195, 0.017], "ci_high": [0.76, 0.42, 0.135],
        "method": ["wilson"] * 3,
    })
    by_dept = pd.DataFrame({
        "department": ["14", "50", "61", "all"], "n": [3, 24, 34, 61],
        "estimate": [0.667, 0.25, 0.32, 0.31], "ci_low": [0.21, 0.12, 0.19, 0.2],
        "ci_high": [0.94, 0.45, 0.49, 0.43], "method": ["wilson"] * 4,
    })
    age = pd.DataFrame({"n": [61], "estimate": [43.2], "se": [1.1], "ci_low": [41.0],
                        "ci_high": [45.4], "method": ["taylor"]})
    return [
        Table("gender", gender, "tables.profile.agent", count_column="n",
              group_columns=["gender"], share_columns=["estimate", "se", "ci_low", "ci_high"]),
        Table("manager_by_department", by_dept, "tables.profile.agent.by_department",
              count_column="n", group_columns=["department"], total_row={"department": "all"},
              share_columns=["estimate", "ci_low", "ci_high"]),
        Table("age", age, "Âge moyen (années)", count_column="n"),
    ]


def _baselines() -> list[Table]:
    comparisons = pd.DataFrame({
        "source_id": ["bva-2015", "bva-2015", "bva-2015", "citica-2017", "citica-2017"],
        "source": ["agents"] * 5,
        "indicator": ["manager", "man", "commute_over_1h", "woman", "commute_km_mean"],
        "label_fr": ["Encadrant", "Homme", "Trajet de plus d'une heure", "Femme",
                     "Distance domicile-travail moyenne"],
        "label_en": ["Manager", "Man", "Commute over one hour", "Woman",
                     "Mean home-work distance"],
        "unit": ["share"] * 4 + ["km"],
        "n": [61, 61, 58, 61, 61], "estimate": [0.31, 0.295, 0.52, 0.656, 49.5],
        "ci_low": [0.2, 0.195, 0.39, 0.53, 41.0], "ci_high": [0.43, 0.42, 0.64, 0.76, 58.0],
        "baseline": [0.57, 0.69, 0.44, 0.65, 50.0], "baseline_n": [469, 469, 469, np.nan, np.nan],
        "difference": [-0.26, -0.395, 0.08, 0.006, -0.5],
        "test": ["two_sample_score"] * 3 + ["one_sample_score", "one_sample_t"],
        "p_value": [0.0001, 1e-8, 0.22, 0.92, 0.9], "p_adjusted": [0.0003, 4e-8, 0.44, 0.92, 0.92],
        "effect_size": [-0.53, -0.8, 0.16, 0.01, -0.02],
        "verdict": ["plus bas", "plus bas", "proche", "proche", "proche"],
    })
    return [Table("comparisons", comparisons, "tables.baselines", count_column="n",
                  figure="baseline_dots", share_rows={"unit": ["share"]},
                  share_columns=["estimate", "ci_low", "ci_high", "baseline", "difference"])]


def _methods() -> list[Table]:
    sources = pd.DataFrame({
        "source_id": ["bva-2015", "bva-2015", "citica-2017"],
        "indicator": ["manager", "manager_all", "woman"],
        "label_fr": ["Encadrant", "Encadrant (ensemble)", "Femme"],
        "label_en": ["Manager", "Manager (all respondents)", "Woman"],
        "value": [0.57, 0.32, 0.65], "unit": ["share"] * 3,
        "base_n": [469, 1267, 800], "year": [2015, 2015, 2017],
        "publisher": ["BVA", "BVA", "Citica"],
    })
    return [Table("sources", sources, "tables.methods.sources", share_columns=["value"])]


def _retention() -> list[Table]:
    time = np.array([1, 2, 3, 5, 6, 8, 11, 13, 15, 18, 21, 24], dtype=float)
    at_risk = np.array([60, 57, 53, 48, 44, 39, 33, 26, 19, 12, 7, 4])
    surv = np.cumprod(1 - np.r_[3, 4, 3, 4, 3, 5, 4, 4, 3, 3, 2, 1] / at_risk)
    km = pd.DataFrame({"curve": "kaplan_meier", "time": time, "at_risk": at_risk,
                       "events": [3, 4, 3, 4, 3, 5, 4, 4, 3, 3, 2, 1], "survival": surv,
                       "se": 0.05, "ci_low": surv - 0.09, "ci_high": np.minimum(surv + 0.08, 1),
                       "reference": False})
    ref = pd.DataFrame({"curve": "aquitaine-2016", "time": [3.0, 6.0, 12.0, 24.0],
                        "survival": [0.86, 0.69, 0.45, 0.13], "reference": True})
    return [Table("km", pd.concat([km, ref], ignore_index=True), "tables.retention.agent.curve",
                  count_column="at_risk", figure="km_curve",
                  share_columns=["survival", "se", "ci_low", "ci_high"])]


def _satisfaction() -> list[Table]:
    items = ["sat_overall", "sat_balance", "sat_autonomy", "sat_stress"]
    rows = []
    for i, item in enumerate(items):
        top, bottom = 0.72 - 0.1 * i, 0.08 + 0.05 * i
        rows += [(item, "mean", 60, 3.9 - 0.2 * i, 0.1, 3.7 - 0.2 * i, 4.1 - 0.2 * i),
                 (item, "top2", 60, top, 0.05, top - 0.1, top + 0.1),
                 (item, "bottom2", 60, bottom, 0.03, bottom - 0.05, bottom + 0.06)]
    likert = pd.DataFrame(rows, columns=["item", "statistic", "n", "estimate", "se",
                                         "ci_low", "ci_high"])
    nps = pd.DataFrame({"n": [58], "promoters": [0.45], "passives": [0.33], "detractors": [0.22],
                        "estimate": [23.0], "se": [9.0], "ci_low": [5.0], "ci_high": [41.0]})
    return [
        Table("likert", likert, "tables.satisfaction.agent", count_column="n",
              figure="likert_bars", share_columns=["estimate", "se", "ci_low", "ci_high"],
              share_rows={"statistic": ["top2", "bottom2", "net"]}),
        Table("nps", nps, "tables.satisfaction.nps", count_column="n",
              share_columns=["promoters", "passives", "detractors"]),
    ]


def _impact() -> list[Table]:
    impact = pd.DataFrame({
        "indicator": ["trips", "km", "hours", "energy_eur", "maintenance_eur", "time_value_eur",
                      "co2_kg"],
        "per_teleworker": [174.0, 4524.0, 60.9, 3818.0, 995.3, 1291.0, 3.2],
        "estimate": [10614.0, 275964.0, 3715.0, 232914.0, 60712.0, 78758.0, 193.2],
        "ci_low": [9100.0, 230000.0, 3200.0, 195000.0, 50600.0, 67000.0, 161.0],
        "ci_high": [12100.0, 320000.0, 4200.0, 270000.0, 70400.0, 90000.0, 224.0],
    })
    return [Table("commute", impact, "tables.impact.commute", figure="impact_bars")]


def _attendance() -> list[Table]:
    periods = pd.date_range("2016-01-01", periods=6, freq="MS")
    places = [("p1", "coworking", "urban"), ("p2", "fablab", "rural"), ("p3", "hybrid", "rural")]
    rows = []
    for k, (place, kind, zone) in enumerate(places):
        for t, period in enumerate(periods):
            users = 4 + 3 * t + 5 * k
            rows.append((period, place, 3 * users, users, 2, users - 2, 0.2 + 0.05 * t,
                         users < 8, kind, zone))
    frame = pd.DataFrame(rows, columns=["period", "place_id", "visits", "users", "new_users",
                                        "returning_users", "occupancy", "little_used", "type",
                                        "zone"])
    return [Table("monthly", frame, "tables.attendance.by_type_zone", count_column="users",
                  group_columns=["place_id"], figure="attendance_series",
                  share_columns=["occupancy"])]


def make_evaluation(sections=None, *, name: str = "Télétravail au Conseil départemental") -> Evaluation:
    """A full evaluation (or only the listed sections), as ``analysis.evaluate`` would build."""
    builders = {"quality": _quality, "profiles": _profiles, "baselines": _baselines,
                "retention": _retention, "satisfaction": _satisfaction, "impact": _impact,
                "attendance": _attendance, "methods": _methods}
    evaluation = Evaluation(name, lang="fr", min_cell=5)
    for key in sections or builders:
        section = evaluation.section(key)
        for table in builders[key]():
            section.add(table)
    return evaluation


@pytest.fixture
def build():
    """The evaluation builder: ``build(["profiles"])`` -> an evaluation with that section."""
    return make_evaluation


@pytest.fixture
def evaluation() -> Evaluation:
    """Every section, realistic tables."""
    return make_evaluation()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close any pyplot figure a test opened (ours are built without pyplot)."""
    yield
    plt.close("all")
