"""The HTML page read with a funder's eye: one block per place instead of a 17-column
table, quantiles in words, a tally of the verdicts, a reading guide, narrow tables, print."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table
from reports import render


def _yearly() -> pd.DataFrame:
    """Yearly attendance by place, shaped like ``attendance_summary(freq="Y")``."""
    return pd.DataFrame({
        "period": pd.to_datetime(["2015-01-01", "2016-01-01", "2016-01-01",
                                  "2015-01-01", "2016-01-01"]),
        "place_id": ["P1", "P1", "P2", "P3", "P3"],
        "name": ["Hub d'Alençon", "Hub d'Alençon", "Fablab <Caen>", "Tiers-lieu rural",
                 "Tiers-lieu rural"],
        "type": ["coworking", "coworking", "fablab", "hybrid", "hybrid"],
        "zone": ["urban", "urban", "rural", "periurban", "periurban"],
        "department": ["Orne"] * 5,
        "governance": ["association"] * 5,
        "capacity": [26.0, 26.0, 12.0, 8.0, 8.0],
        "visits": [153, 198, 348, 41, 4321],
        "users": [35, 50, 68, 3, 57],
        "new_users": [35, 40, 68, 3, 54],
        "returning_users": [0, 10, 0, 0, 3],
        "occupancy": [0.016, 0.0204, 0.04, 0.002, 0.03],
        "growth": [None, 0.4286, None, None, None],
    })


def _html(tmp_path, *tables: tuple[str, Table], lang: str = "fr") -> str:
    evaluation = Evaluation("Pilote", min_cell=5)
    for section, table in tables:
        evaluation.section(section).add(table)
    return render(evaluation, tmp_path, lang=lang)[0].read_text(encoding="utf-8")


def _table(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</table>", start)]


def _places_html(tmp_path, lang: str = "fr") -> str:
    table = Table("by_place_year", _yearly(), "tables.attendance.by_place",
                  count_column="users", share_columns=["occupancy", "growth"])
    return _table(_html(tmp_path, ("attendance", table), lang=lang),
                  "attendance-by_place_year")


def test_place_table_names_each_place_once_with_its_attributes(tmp_path):
    """A place's name heads its block once; its id, type, zone, governance and seats are
    written under the name instead of in five repeated columns."""
    table = _places_html(tmp_path)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers[:2] == ["Lieu", "Année"]
    assert not {"Type de lieu", "Zone", "Gouvernance", "Places assises", "Nom"} & set(headers)
    details = re.findall(r'<span class="detail">([^<]*)</span>', table)
    assert details[0] == "P1 · Coworking · Urbaine · Orne · Association · 26 places"
    assert len(details) == 3  # one per place: the second year of P1 repeats it hidden


def test_place_table_writes_a_yearly_period_as_its_year(tmp_path):
    """A yearly table reads 2015, 2016, not "Janvier 2015"."""
    table = _places_html(tmp_path)
    assert "Janvier" not in table
    assert re.findall(r">(201[56])<", table) == ["2015", "2016", "2016", "2015", "2016"]


def test_place_table_keeps_every_published_figure(tmp_path):
    """Every visit count of the rows shown is still on the page, escaped names too."""
    table = _places_html(tmp_path, lang="en")
    for visits in ("153", "198", "348", "4,321"):
        assert f">{visits}<" in table
    assert "Fablab &lt;Caen&gt;" in table
    assert "43%" in table


def test_place_table_hides_a_small_place_year(tmp_path):
    """A place-year resting on fewer than min_cell users shows no count of it, and the
    secondary suppression of its sibling holds too."""
    table = _places_html(tmp_path)
    row = table[table.index("Tiers-lieu rural"):]
    row = row[:row.index("</tr>")]
    assert ">41<" not in row and ">3<" not in row
    assert "—" in row and "<sup>*</sup>" in row


def test_place_ids_elsewhere_read_as_place_names(tmp_path):
    """A table giving places only by id (growth) shows each place's name, id below."""
    yearly = Table("by_place_year", _yearly(), "tables.attendance.by_place",
                   count_column="users", share_columns=["occupancy", "growth"])
    growth = Table("growth", pd.DataFrame({
        "place_id": ["P1"], "first_year": [2015], "last_year": [2016], "first_value": [35],
        "last_value": [50], "estimate": [0.4286]}), "tables.attendance.growth",
        count_column="last_value", share_columns=["estimate"])
    table = _table(_html(tmp_path, ("attendance", yearly), ("attendance", growth)),
                   "attendance-growth")
    assert "Hub d&#39;Alençon<span class=\"detail\">P1</span>" in table


def _quantiles(hidden: bool = False) -> Table:
    frame = pd.DataFrame({"probability": [0.25, 0.5, 0.75], "estimate": [0.99, 4.86, None],
                          "ci_low": [0.59, 4.34, 8.34], "ci_high": [1.31, 5.39, None],
                          "method": ["Kaplan-Meier quantile"] * 3})
    return Table("users_median", frame, "tables.retention.checkins.quantiles")


def test_quantiles_are_named_and_an_unreached_one_says_so(tmp_path):
    """0.25/0.5/0.75 read as quartiles and median; a missing quantile reads "not
    reached", an open interval "9 or more" (8.34 months, published as the month it
    falls in), with a note saying why."""
    html = _html(tmp_path, ("retention", _quantiles()), lang="en")
    table = _table(html, "retention-users_median")
    assert re.findall(r"<t[dh][^>]*>(1st quartile|Median|3rd quartile)</t[dh]>", table) == [
        "1st quartile", "Median", "3rd quartile"]
    assert ">not reached<" in table and ">9 or more<" in table
    assert "0.50" not in table and "0.25" not in table
    notes = html[html.index("</table>", html.index('id="retention-users_median"')):]
    assert "&#34;Not reached&#34;" in notes[:2000]
    assert "Durations in whole months, rounded up" in notes[:2000]
    assert "Durations in months." not in notes[:2000]  # said once


def test_a_reached_quantile_table_has_no_not_reached_note(tmp_path):
    """Without a missing quantile, the "not reached" note is not written."""
    frame = _quantiles().data.assign(estimate=[0.99, 4.86, 11.0], ci_high=[1.31, 5.39, 13.4])
    html = _html(tmp_path, ("retention", Table("users_median", frame,
                                              "tables.retention.checkins.quantiles")))
    assert "Non atteinte" not in html and "non atteinte" not in html
    assert "Durées en mois entiers, arrondies au mois supérieur" in html
    assert "Durées en mois." not in html


def _comparisons() -> pd.DataFrame:
    return pd.DataFrame({
        "source_id": ["bva-2015"] * 4, "source": ["staff"] * 4,
        "indicator": ["a", "b", "c", "d"], "label_en": ["A", "B", "C", "D"],
        "unit": ["share"] * 4, "n": [46, 46, 46, 3],
        "estimate": [0.6, 0.2, 0.4, 0.5], "ci_low": [0.5, 0.1, 0.3, 0.2],
        "ci_high": [0.7, 0.3, 0.5, 0.8], "baseline": [0.4, 0.5, 0.41, 0.4],
        "p_adjusted": [0.01, 0.001, 0.8, 0.5],
    })


def test_summary_counts_the_verdicts_in_one_sentence(tmp_path):
    """The summary opens with how many comparisons came out higher, lower, similar, and
    how many rest on too few answers."""
    table = Table("comparisons", _comparisons(), "tables.baselines", count_column="n",
                  share_columns=["estimate", "ci_low", "ci_high", "baseline"])
    html = _html(tmp_path, ("baselines", table), lang="en")
    tally = re.search(r'<p class="tally">([^<]*)</p>', html).group(1)
    assert tally == ("4 comparisons with a reference: 1 clearly higher, 1 clearly lower, "
                     "1 with no clear difference, 1 hidden (statistical confidentiality).")
    assert html.index('class="tally"') < html.index('class="card')


def test_summary_explains_the_columns_a_reader_meets(tmp_path):
    """A reading guide in the summary names the columns as their headings do and says
    what the dash of a hidden figure means, with the threshold in force."""
    html = _html(tmp_path, ("retention", _quantiles()))
    guide = html[html.index('class="reading"'):html.index("</dl>")]
    assert re.findall(r"<dt>([^<]*)</dt>", guide) == [
        "Effectif", "Estimation", "Intervalle de confiance", "p ajustée", "—*"]
    assert "moins de 5 personnes" in guide


def test_a_table_of_few_columns_is_as_wide_as_its_content(tmp_path):
    """A four-column table is not stretched across the page; a wide one is."""
    html = _html(tmp_path, ("retention", _quantiles()))
    assert re.search(r'<table class="data narrow">', _table(html, "retention-users_median"))
    wide = _places_html(tmp_path)
    assert "narrow" not in wide[:wide.index("<thead>")]


def test_print_styles_repeat_headers_and_start_sections_on_a_new_page(tmp_path):
    """The print style sheet starts each section on a page, repeats table headings on
    every page and lets no table scroll (cut) off the paper."""
    html = _html(tmp_path, ("retention", _quantiles()))
    style = html[html.index("@media print"):html.index("</style>")]
    assert "section.block { break-before: page; }" in style
    assert "thead { display: table-header-group; }" in style
    assert ".table-wrap { overflow: visible; }" in style


@pytest.mark.parametrize("media", ["screen", "print"])
def test_no_demo_table_is_wider_than_the_page(chromium, demo_reports, media):
    """On a 1280-pixel screen and on A4 paper (about 700 CSS pixels between the
    margins), no table of the demo report is wider than its box (none scrolls or is cut);
    the yearly attendance by place had 17 columns and scrolled on both."""
    width = 1280 if media == "screen" else 700
    page = chromium.new_context(offline=True,
                                viewport={"width": width, "height": 900}).new_page()
    try:
        page.emulate_media(media=media)
        page.goto(demo_reports["fr"].as_uri())
        page.wait_for_load_state("load")
        wide = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
            .filter(w => w.firstElementChild.offsetWidth > w.clientWidth + 1)
            .map(w => w.previousElementSibling ? w.previousElementSibling.id : '?')""")
    finally:
        page.context.close()
    assert wide == []


def _alpha() -> Table:
    frame = pd.DataFrame({"item": [None, "sat_overall"], "statistic": ["alpha", "item"],
                          "n": [69, 69], "estimate": [0.82, None], "alpha": [0.82, None],
                          "ci_low": [0.74, None], "ci_high": [0.88, None],
                          "alpha_if_deleted": [None, 0.77]})
    return Table("agents_alpha", frame, "tables.satisfaction.alpha", count_column="n")


def _likert() -> Table:
    frame = pd.DataFrame({"item": ["sat_overall"], "statistic": ["top2"], "n": [44],
                          "estimate": [0.43], "ci_low": [0.36], "ci_high": [0.51]})
    return Table("agents_items", frame, "tables.satisfaction.agent", count_column="n",
                 share_columns=["estimate", "ci_low", "ci_high"])


def test_scale_consistency_goes_to_the_appendix_with_a_link(tmp_path):
    """Cronbach's alpha leaves the satisfaction section for the appendix's technical
    tables, named with its population; the section links to it."""
    quality = Table("summary", pd.DataFrame({"source": ["agents"], "kind": ["agent"],
                                             "measure": ["rows_read"], "n": [80]}),
                    "tables.quality")
    html = _html(tmp_path, ("quality", quality), ("satisfaction", _likert()),
                 ("satisfaction", _alpha()), lang="en")
    section = html[html.index('id="satisfaction"'):html.index('id="methods"')]
    appendix = html[html.index('id="methods"'):]
    assert 'id="satisfaction-agents_alpha"' not in section
    assert 'href="#satisfaction-agents_alpha"' in section
    assert 'id="satisfaction-agents_alpha"' in appendix
    assert appendix.index("Technical tables") < appendix.index('id="satisfaction-agents_alpha"')
    assert "(Cronbach&#39;s alpha) — Agents</h4>" in appendix  # under "Technical tables" (h3)
    assert ">0.82<" in appendix  # the figures move with the table


def test_a_section_of_technical_tables_only_keeps_its_pointer(tmp_path):
    """A section whose only table is technical keeps its heading and the link."""
    html = _html(tmp_path, ("satisfaction", _alpha()))
    assert 'id="satisfaction"' in html and 'href="#satisfaction-agents_alpha"' in html
    assert html.count('id="satisfaction-agents_alpha"') == 1


def test_impact_money_and_co2_rows_name_their_unit(tmp_path):
    """Euros and kilograms of CO2 are said in the indicator's label; trips are not."""
    frame = pd.DataFrame({"indicator": ["trips", "energy_eur", "co2_kg"], "n": [46] * 3,
                          "per_teleworker": [117.0, 4458.0, 1019.0],
                          "estimate": [5394.0, 205070.0, 46894.0],
                          "ci_low": [4698.0, 153682.0, 35143.0],
                          "ci_high": [6177.0, 266404.0, 60920.0]})
    html = _html(tmp_path, ("impact", Table("agents_commute", frame, "tables.impact.commute",
                                            count_column="n")))
    table = _table(html, "impact-agents_commute")
    labels = re.findall(r'<t[dh](?: scope="row")? class="text[^"]*">([^<]*)</t[dh]>', table)
    assert labels == ["Trajets évités", "Dépense d&#39;énergie évitée (€)",
                      "CO₂ évité (kg de CO₂)"]


def test_growth_estimate_is_named_for_what_it_is(tmp_path):
    """A growth table's estimate column says it is the average yearly change in users."""
    growth = Table("growth", pd.DataFrame({
        "place_id": ["P1"], "first_year": [2015], "last_year": [2016], "first_value": [35],
        "last_value": [50], "estimate": [0.4286]}), "tables.attendance.growth",
        count_column="last_value", share_columns=["estimate"])
    table = _table(_html(tmp_path, ("attendance", growth)), "attendance-growth")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers[-1] == "Évolution annuelle moyenne des usagers"
    assert "Estimation" not in headers


def test_a_horizon_nobody_reached_says_not_observed(tmp_path):
    """At 24 months with nobody followed that long, the estimate reads "not observed"
    with a note, instead of a blank cell."""
    frame = pd.DataFrame({"time": [12.0, 24.0], "at_risk": [43.0, 0.0],
                          "estimate": [0.93, None], "ci_low": [0.87, None],
                          "ci_high": [1.0, None]})
    html = _html(tmp_path, ("retention", Table("agents_horizons", frame,
                                              "tables.retention.agent.horizons")), lang="en")
    table = _table(html, "retention-agents_horizons")
    assert table.count(">not observed<") == 1
    assert "no participant has been followed that long yet" in html


def test_a_distribution_test_gets_a_verdict_in_words(tmp_path):
    """A test of the pilot's distribution against a reference (p-value only) ends with a
    verdict, as the key figures do."""
    frame = pd.DataFrame({"source_id": ["aquitaine-2016", "popplace-2017"], "n": [353, 353],
                          "statistic": [147.3, 3.1], "df": [4, 4], "p_value": [7.6e-31, 0.54],
                          "effect_size": [0.65, 0.05]})
    html = _html(tmp_path, ("retention", Table("seniority_test", frame,
                                              "tables.retention.seniority_test",
                                              count_column="n")), lang="en")
    table = _table(html, "retention-seniority_test")
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)[-1] == "Verdict"
    verdicts = re.findall(r'<td class="text wide">([^<]*)</td>', table)
    assert verdicts == ["Clearly different from the reference distribution",
                        "No clear difference from the reference"]
