"""The pilot at a glance: the summary's opening cards (reports/pilot_glance.py)."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table
from reports.i18n import catalogue
from reports.pilot_glance import glance_cards
from reports.presentation import Prepared
from reports.render import prepare

FR, EN = catalogue("fr"), catalogue("en")
NBSP, NNBSP = "\u00a0", "\u202f"


def _item(section: str, key: str, frame: pd.DataFrame) -> Prepared:
    return Prepared(section, Table(key, frame, "t"), frame, f"{section}_{key}")


def _quality(*sources: tuple[str, str, int, int]) -> Prepared:
    rows = []
    for name, kind, read, kept in sources:
        rows += [(name, kind, "rows_read", None, read), (name, kind, "rows_kept", None, kept),
                 (name, kind, "rows_excluded", None, read - kept)]
    frame = pd.DataFrame(rows, columns=["source", "kind", "measure", "detail", "n"])
    return _item("quality", "summary", frame)


def _likert(n, top2, *, waves=None, suppressed=False) -> pd.DataFrame:
    frame = pd.DataFrame({"item": "sat_overall", "statistic": ["mean", "top2"], "n": n,
                          "estimate": [3.5, top2], "ci_low": [3.2, top2 - 0.1],
                          "ci_high": [3.8, top2 + 0.1], "suppressed": suppressed})
    if suppressed:
        frame[["n", "estimate", "ci_low", "ci_high"]] = np.nan
    if waves is None:
        return frame
    return pd.concat([frame.assign(wave=w, estimate=[3.0, s], ci_low=[2.7, s - 0.1],
                                   ci_high=[3.3, s + 0.1]) for w, s in waves],
                     ignore_index=True)


def _cards(items, cat=EN, populations=None) -> dict[str, dict]:
    cards = glance_cards(items, cat, populations or {"ag": "Agents", "co": "Companies"})
    return {card["indicator"]: card for card in cards}


def test_no_quality_table_gives_no_card():
    """Without the data-quality table the sources are unknown: no card at all."""
    frame = _likert(40, 0.6)
    assert glance_cards([_item("satisfaction", "ag_items", frame)], EN, {}) == []


def test_answers_kept_of_read_per_population():
    """One participation card per people source, in the pilot file's order."""
    cards = glance_cards([_quality(("ag", "agent", 90, 85), ("co", "company", 27, 27),
                                   ("pl", "places", 20, 20))], EN,
                         {"ag": "Agents", "co": "Companies"})
    assert [(c["indicator"], c["value"], c["detail"]) for c in cards] == [
        ("Agents: answers kept", "85", "of 90 read"),
        ("Companies: answers kept", "27", "of 27 read")]


def test_satisfaction_after_the_pilot_with_the_first_wave_beside_it():
    """With waves, the card shows the satisfaction table's share (the last wave's) and
    names the first wave's from the table by wave."""
    by_wave = _likert(30, 0.0, waves=[("pre", 0.43), ("post", 0.61)])
    items = [_quality(("ag", "agent", 90, 85)),
             _item("satisfaction", "ag_items", _likert(30, 0.64)),
             _item("satisfaction", "ag_items_by_wave", by_wave)]
    card = _cards(items)["Agents: satisfied or very satisfied with telework"]
    assert card["value"] == "64%"
    assert card["detail"] == f"95%{NBSP}CI: 54%{NBSP}to 74% · 30{NBSP}respondents · before: 43%"


def test_satisfaction_of_the_first_wave_names_no_earlier_wave():
    """When the satisfaction table describes the first wave (the last left it blank), the
    card gives no 'before' figure beside it."""
    by_wave = _likert(30, 0.0, waves=[("pre", 0.43), ("post", 0.5)])
    frame = _likert(30, 0.43)
    items = [_quality(("ag", "agent", 90, 85)),
             Prepared("satisfaction", Table("ag_items", frame, "t",
                                            notes=["report.earlier_wave"]), frame, "s"),
             _item("satisfaction", "ag_items_by_wave", by_wave)]
    card = _cards(items)["Agents: satisfied or very satisfied with telework"]
    assert card["value"] == "43%" and "before" not in card["detail"]


def test_suppressed_satisfaction_gives_no_card():
    """A share hidden in its table (too few answers) is not shown at a glance either."""
    items = [_quality(("co", "company", 4, 4)),
             _item("satisfaction", "co_items", _likert(4, 0.5, suppressed=True))]
    assert not any("satisfied" in name for name in _cards(items))


def test_net_promoter_score_is_signed_with_its_interval():
    """NPS reads +34 / −15, its interval 'from … to …'."""
    nps = pd.DataFrame({"wave": ["pre", "post"], "n": [46, 39], "estimate": [-15.2, 25.6],
                        "ci_low": [-37.4, 4.5], "ci_high": [8.9, 43.1],
                        "suppressed": [False, False]})
    items = [_quality(("ag", "agent", 90, 85)), _item("satisfaction", "ag_nps", nps)]
    card = _cards(items, FR, {"ag": "Agents"})[
        f"Agents{NBSP}: recommandation (score net, de −100 à +100)"]
    assert card["value"] == "+26"
    assert card["detail"] == (f"IC{NBSP}95{NBSP}%{NBSP}: +4{NBSP}à +43 · 39{NBSP}répondants · "
                              f"avant{NBSP}:{NBSP}−15")


def test_retention_falls_back_to_the_longest_horizon_observed():
    """Nobody followed 12 months: the card reads the share still there at 6 months."""
    horizons = pd.DataFrame({"time": [3.0, 6.0, 12.0], "at_risk": [40.0, 20.0, 0.0],
                             "estimate": [0.95, 0.81, np.nan], "ci_low": [0.9, 0.7, np.nan],
                             "ci_high": [0.99, 0.9, np.nan], "suppressed": False})
    items = [_quality(("co", "company", 27, 27)),
             _item("retention", "co_stays_horizons", horizons)]
    card = _cards(items)["Companies: still in the pilot after 6 months"]
    assert card["value"] == "81%"


def test_companies_that_keep_teleworking():
    """The companies' profile gives the share that keep teleworking after the pilot; a
    hidden share gives no card."""
    profile = pd.DataFrame({"variable": ["sector", "continue_after", "continue_after"],
                            "category": ["public", False, True], "statistic": "share",
                            "n": 27, "estimate": [0.3, 0.26, 0.74], "ci_low": [0.2, 0.13, 0.55],
                            "ci_high": [0.5, 0.45, 0.87], "suppressed": False})
    items = [_quality(("co", "company", 27, 27)), _item("profiles", "co", profile)]
    card = _cards(items)["Companies: keep teleworking after the pilot"]
    assert (card["value"], card["detail"]) == (
        "74%", f"95%{NBSP}CI: 55%{NBSP}to 87% · 27{NBSP}respondents")
    hidden = profile.assign(suppressed=[False, True, True], estimate=[0.3, np.nan, np.nan])
    items[1] = _item("profiles", "co", hidden)
    assert "Companies: keep teleworking after the pilot" not in _cards(items)


def test_impact_in_tonnes_of_co2_and_whole_kilometres():
    """Kilometres and tonnes to three significant figures (estimates, not counts); CO2
    from a tonne up is written in tonnes, interval too."""
    impact = pd.DataFrame({"indicator": ["trips", "km", "co2_kg"], "n": 46,
                           "estimate": [5394.0, 242973.6, 46893.9],
                           "ci_low": [4698.0, 182087.3, 35142.8],
                           "ci_high": [6177.0, 315645.1, 60919.5], "suppressed": False})
    items = [_quality(("ag", "agent", 90, 85)), _item("impact", "ag_commute", impact)]
    cards = _cards(items)
    km = cards["Agents: commuting kilometres avoided per year"]
    co2 = cards["Agents: CO₂ avoided per year"]
    assert km["value"] == f"243,000{NBSP}km"
    assert km["detail"] == f"95%{NBSP}CI: 182,000{NBSP}to 316,000{NBSP}km · 46{NBSP}respondents"
    assert co2["value"] == f"46.9{NBSP}t of CO₂"
    assert co2["detail"] == f"95%{NBSP}CI: 35.1{NBSP}to 60.9{NBSP}t of CO₂ · 46{NBSP}respondents"


def test_impact_of_the_whole_population_where_the_pilot_gives_its_size():
    """With a population estimate, the cards show the pilot's total (and its interval),
    not the respondents' sum, and say it is extrapolated."""
    impact = pd.DataFrame({"indicator": ["km", "co2_kg"], "n": 46,
                           "estimate": [242973.6, 46893.9], "ci_low": [182087.3, 35142.8],
                           "ci_high": [315645.1, 60919.5],
                           "population_estimate": [316922.1, 61166.0],
                           "population_ci_low": [237505.2, 45838.5],
                           "population_ci_high": [411711.0, 79460.2], "suppressed": False})
    items = [_quality(("ag", "agent", 90, 85)), _item("impact", "ag_commute", impact)]
    cards = _cards(items, FR)
    km = cards["Agents\u00a0: kilomètres de trajet évités par an"]
    assert km["value"] == f"317{NNBSP}000{NBSP}km"
    assert km["detail"] == (f"IC{NBSP}95{NBSP}%{NBSP}: 238{NNBSP}000{NBSP}à 412{NNBSP}000{NBSP}km · "
                            f"extrapolé à tous (46{NBSP}répondants)")
    co2 = cards["Agents\u00a0: CO₂ évité par an"]
    assert co2["value"] == f"61,2{NBSP}t de CO₂"


def test_impact_card_names_the_population_it_is_extrapolated_to():
    """The card says how many people the total is extrapolated to (60 agents, from 46
    respondents), read as the population estimate over the mean per person (review 9)."""
    impact = pd.DataFrame({"indicator": ["km"], "n": 46, "estimate": [242973.6],
                           "per_teleworker": [316922.1 / 60], "ci_low": [182087.3],
                           "ci_high": [315645.1], "population_estimate": [316922.1],
                           "population_ci_low": [237505.2], "population_ci_high": [411711.0],
                           "suppressed": False})
    items = [_quality(("ag", "agent", 90, 85)), _item("impact", "ag_commute", impact)]
    km = _cards(items, FR)["Agents\u00a0: kilomètres de trajet évités par an"]
    assert km["detail"].endswith(f"extrapolé à 60{NBSP}personnes (46{NBSP}répondants)")


def test_check_ins_with_users_and_places():
    """The log's card counts check-ins, the users they come from and the places."""
    curve = pd.DataFrame({"time": [0.0, 1.0], "at_risk": [1026.0, 856.0],
                          "survival": [0.8, 0.7], "suppressed": False})
    median = pd.DataFrame({"probability": [0.25, 0.5, 0.75], "estimate": [1.0, 4.86, np.nan],
                           "ci_low": [0.6, 4.34, 10.2], "ci_high": [1.3, 5.39, np.nan]})
    items = [_quality(("log", "attendance", 7232, 7232), ("pl", "places", 20, 20)),
             _item("retention", "log_users_curve", curve),
             _item("retention", "log_users_median", median)]
    cards = _cards(items, FR)
    visits = cards["Passages enregistrés dans les tiers-lieux"]
    assert visits["value"] == f"7{NNBSP}232"
    assert visits["detail"] == f"1{NNBSP}026 usagers · 20 lieux"
    median_card = cards[f"Usagers des tiers-lieux{NBSP}: durée médiane de fréquentation (badges)"]
    assert median_card["value"] == f"4,9{NBSP}mois"
    assert median_card["detail"] == f"IC{NBSP}95{NBSP}%{NBSP}: 4,3{NBSP}à 5,4{NBSP}mois"


@pytest.fixture(scope="module")
def demo_prepared(demo_reports):
    """The demo pilot's evaluation, suppressed as the report publishes it."""
    import surveys
    from analysis import evaluate

    pilot = demo_reports["fr"].parents[1] / "pilot.toml"
    return prepare(evaluate(surveys.read_pilot(pilot)), figures=False)


def test_demo_cards_are_the_published_figures(demo_prepared):
    """On the demo pilot, each card's value is the one its published table holds."""
    from reports.presentation import pilot_populations

    tables = {(p.section, p.table.key): p.data for p in demo_prepared}
    cards = {c["indicator"]: c for c in glance_cards(
        demo_prepared, EN, pilot_populations(demo_prepared, EN))}
    quality = tables[("quality", "summary")]
    kept = quality[(quality["source"] == "users") & (quality["measure"] == "rows_kept")]
    assert cards["Third-place users: answers kept"]["value"] == f"{int(kept['n'].iloc[0]):,}"
    items = tables[("satisfaction", "users_items")]
    top2 = items[(items["item"] == "sat_overall") & (items["statistic"] == "top2")]
    share = f"{top2['estimate'].iloc[0] * 100:.0f}%"
    assert cards["Third-place users: satisfied or very satisfied with the place"]["value"] == share
    nps = tables[("satisfaction", "users_nps")]["estimate"].iloc[0]
    assert cards["Third-place users: recommendation (net score, −100 to +100)"]["value"] \
        == f"{nps:+.0f}"
    # the agents' score after the pilot rests on 4 detractors: hidden, and no card shows
    # the score before the pilot in its place
    agents = tables[("satisfaction", "agents_nps")]
    assert agents.loc[agents["wave"] == "post", "estimate"].isna().all()
    assert "Agents: recommendation (net score, −100 to +100)" not in cards
    impact = tables[("impact", "agents_commute")]
    km = impact[impact["indicator"] == "km"]["population_estimate"].iloc[0]
    assert cards["Agents: commuting kilometres avoided per year"]["value"] == \
        f"{float(f'{km:.3g}'):,.0f}\u00a0km"  # three significant figures: 321,000 km


def test_report_opens_with_the_glance(demo_reports):
    """The French report shows 'Le pilote en bref' before the comparisons, with cards."""
    page = demo_reports["fr"].read_text(encoding="utf-8")
    glance = page.index("Le pilote en bref")
    comparisons = page.index(">Comparaison avec les références</h3>")  # the summary's
    assert glance < comparisons < page.index("BVA, 2015")
    block = page[glance:comparisons]
    values = [html.unescape(v) for v in re.findall(r'<p class="value">(.*?)</p>', block)]
    assert len(values) >= 10 and all(values)


def test_glance_on_an_evaluation_without_quality_table():
    """A hand-built evaluation with no data-quality table renders without glance cards."""
    from reports.html import page

    evaluation = Evaluation("Pilote", lang="fr", min_cell=5)
    frame = pd.DataFrame({"gender": ["F", "M"], "n": [12, 8], "estimate": [0.6, 0.4]})
    evaluation.section("profiles").add(Table("gender", frame, "tables.gender", "n"))
    text = page(evaluation, prepare(evaluation, figures=False), FR, 5)
    assert "Le pilote en bref" not in text


def test_workbook_opens_with_the_glance_as_numbers(demo_reports):
    """The workbook's first table is the glance: numbers a spreadsheet can use (shares
    as percentages), the same figures as the page, and no cell that starts a formula."""
    from openpyxl import load_workbook

    book = load_workbook(demo_reports["fr"].parent / "tables.xlsx")
    assert book.sheetnames[1] == "Le pilote en bref"
    rows = list(book["Le pilote en bref"].iter_rows())
    assert [c.value for c in rows[0]] == ["Indicateur", "Valeur", "Unité", "Détail"]
    by_name = {row[0].value: row for row in rows[1:]}
    satisfied = by_name[f"Usagers des tiers-lieux{NBSP}: satisfaits ou très satisfaits du lieu"][1]
    assert satisfied.data_type == "n" and satisfied.number_format == "#,##0%"
    page = demo_reports["fr"].read_text(encoding="utf-8")
    assert f"{satisfied.value * 100:.0f}{NNBSP}%" in page
    nps = by_name[f"Usagers des tiers-lieux{NBSP}: recommandation (score net, de −100 à +100)"][1]
    assert nps.data_type == "n" and f"+{nps.value:.0f}</p>" in page
    texts = [c.value for row in rows for c in row if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
