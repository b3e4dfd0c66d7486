"""Editorial review 12: intervals in words, estimated totals to three significant
figures, profile tables in the reader's columns (the full table in the files)."""

from __future__ import annotations

import csv
import html
import re

import numpy as np
import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.cell_wording import estimated_totals, interval
from reports.formatting import MINUS, NNBSP, format_interval, format_significant
from reports.i18n import catalogue
from reports.presentation import Prepared
from reports.suppression import HIDDEN_CELLS, SUPPRESSED
from reports.table_layouts import is_profile_table, profile_columns, profile_rows

NBSP = "\u00a0"
FR, EN = catalogue("fr"), catalogue("en")
#: A number, a space or percent sign, a dash, a number: an interval written with a dash.
_DASHED = re.compile(r"\d[\u202f%]*\s–\s[−+]?\d")


def _text(path) -> str:
    """The page's text without tags, figures or styles, entities decoded."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(svg|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _rows(path, table_id: str) -> tuple[list[str], list[list[str]]]:
    """Headers and body cells (row headers included) of the table with ``id``."""
    page = path.read_text(encoding="utf-8")
    start = page.index(f'id="{table_id}"')
    table = page[page.index("<table", start):page.index("</table>", start)]

    def cells(part: str) -> list[str]:
        return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", part, re.S)]

    head = cells(table[table.index("<thead"):table.index("</thead>")])
    body = table[table.index("<tbody"):]
    return head, [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


# --- 1. intervals: one helper, a word between the bounds --------------------------------

def test_french_share_interval_writes_the_percent_sign_once():
    """French: 55 à 74 %, the percent sign after the upper bound only."""
    assert format_interval(0.55, 0.74, "fr", share=True) == f"55{NBSP}à 74{NNBSP}%"


def test_english_share_interval_reads_to():
    """English: 55% to 74%, a percent sign on each bound."""
    assert format_interval(0.55, 0.74, "en", share=True) == f"55%{NBSP}to 74%"


def test_negative_bounds_cannot_read_as_a_subtraction():
    """−0,12 à 0,30 / −0.12 to 0.30: the true minus, and a word between the bounds."""
    assert format_interval(-0.1234, 0.3, "fr") == f"{MINUS}0,12{NBSP}à 0,30"
    assert format_interval(-0.1234, 0.3, "en") == f"{MINUS}0.12{NBSP}to 0.30"


def test_signed_scores_between_two_negative_bounds():
    """A net promoter score's interval below zero: −27 à −2."""
    assert format_interval(-27.2, -1.6, "fr", signed=True) == f"{MINUS}27{NBSP}à {MINUS}2"


def test_unit_written_once_after_the_upper_bound():
    """The unit follows the upper bound only: 5 à 6 mois."""
    assert format_interval(5.0, 6.0, "fr", unit="mois") == f"5{NBSP}à 6{NBSP}mois"


def test_missing_bound_gives_no_interval():
    """Without both bounds the helper writes nothing (one bound is said in words)."""
    assert format_interval(np.nan, 3.0, "fr") == "" and format_interval(1.0, None, "en") == ""


def test_table_cell_interval_is_the_helper():
    """The table cells' interval is the helper's text, in both languages."""
    for cat in (FR, EN):
        assert interval(41.0, 45.4, False, cat) == format_interval(41.0, 45.4, cat.lang)
        assert interval(0.2, 0.43, True, cat) == format_interval(0.2, 0.43, cat.lang,
                                                                 share=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_page_writes_no_interval_with_a_dash(demo_reports, lang):
    """No interval of the demo report is written with a dash (the cards, the tables,
    the key messages)."""
    found = _DASHED.findall(_text(demo_reports[lang]))
    assert found == []


def test_demo_cards_and_sentences_read_a_in_french(demo_reports):
    """French cards and key messages: IC 95 % : 55 à 74 %, de 2 à 9 % selon le lieu."""
    text = _text(demo_reports["fr"])
    assert re.search(rf"IC{NBSP}95{NBSP}%{NBSP}: \d+{NBSP}à \d+{NNBSP}%", text)
    assert re.search(rf"de \d+{NBSP}à \d+{NNBSP}% selon le lieu", text)
    assert re.search(rf"IC{NBSP}95{NBSP}%{NBSP}: {MINUS}\d+{NBSP}à \+\d+", text)  # a score


def test_demo_english_cards_read_to(demo_reports):
    """English cards: 95% CI: 55% to 74%."""
    assert re.search(rf"95%{NBSP}CI: \d+%{NBSP}to \d+%", _text(demo_reports["en"]))


# --- 2. estimated totals to three significant figures -----------------------------------

def test_significant_figures_of_a_total():
    """321 217 km reads 321 000; 6 706 h reads 6 710; 62,0 t keeps its decimal."""
    assert format_significant(321217.4, "fr") == f"321{NNBSP}000"
    assert format_significant(6706.2, "en") == "6,710"
    assert format_significant(61.995, "fr") == "62,0"


def test_interval_bounds_rounded_where_the_larger_ends():
    """Both bounds are rounded at the place of the larger one's third figure."""
    assert format_interval(953.2, 1234.5, "en", significant=3) == f"950{NBSP}to 1,230"


def test_impact_cells_rounded_and_hidden_cells_left():
    """The impact table's estimates and interval are rounded; a hidden cell stays."""
    cells = [{"text": "5,354", "hidden": False}, {"text": "—*", "hidden": True},
             {"text": "", "hidden": False}]
    row = {"per_teleworker": 5353.6, "population_estimate": 321217.4,
           "population_ci_low": 275736.2, "population_ci_high": 366699.1}
    estimated_totals(cells, row, ["per_teleworker", "population_estimate", "population_ci"], EN)
    assert [c["text"] for c in cells] == ["5,350", "—*", f"276,000{NBSP}to 367,000"]


def _csv_row(demo_reports, name: str, column: str, value: str) -> dict:
    path = demo_reports["fr"].parent / "csv" / name
    with open(path, encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r[column] == value)


def test_demo_impact_total_rounded_on_the_page_and_precise_in_the_csv(demo_reports):
    """The page writes the kilometres avoided to three significant figures; the CSV file
    keeps the table's own precision (whole kilometres), from which the page's number
    is the rounding."""
    km = _csv_row(demo_reports, "impact_agents_commute.csv", "indicator", "km")
    total = float(km["population_estimate"])
    assert total % 1000 != 0    # the file is not rounded to the page's figures
    low, high = float(km["population_ci_low"]), float(km["population_ci_high"])
    head, rows = _rows(demo_reports["en"], "impact-agents_commute")
    row = next(r for r in rows if r[0] == "Kilometres avoided")
    shown = [c.replace(NBSP, " ") for c in row]
    assert f"{float(f'{total:.3g}'):,.0f}" in shown
    place = -(len(str(int(high))) - 3)
    assert f"{round(low, place):,.0f} to {round(high, place):,.0f}" in shown


def test_demo_impact_card_rounded(demo_reports):
    """The kilometres card: three significant figures, its interval likewise."""
    km = _csv_row(demo_reports, "impact_agents_commute.csv", "indicator", "km")
    total = float(km["population_estimate"])
    text = _text(demo_reports["fr"])
    value = f"{float(f'{total:.3g}'):,.0f}".replace(",", NNBSP)
    assert f"{value}{NBSP}km" in text
    bounds = rf"\d+{NNBSP}000{NBSP}à \d+{NNBSP}000{NBSP}km"
    assert re.search(rf"IC{NBSP}95{NBSP}%{NBSP}: {bounds}", text)


def test_workbook_glance_keeps_the_tables_precision(demo_reports):
    """The workbook's opening sheet keeps the kilometres to the unit, as the tables."""
    from openpyxl import load_workbook

    km = _csv_row(demo_reports, "impact_agents_commute.csv", "indicator", "km")
    book = load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    sheet = book[FR.text("glance.title")]
    values = [row[1] for row in sheet.iter_rows(values_only=True)
              if isinstance(row[0], str) and "kilomètres" in row[0]]
    assert values == [round(float(km["population_estimate"]))]


# --- 3. profiles: the reader's columns on the page --------------------------------------

def _profile(by: list | None = None) -> pd.DataFrame:
    """A profile of one share variable and one number (mean, sd, quartiles)."""
    stats = ["mean", "sd", "q1", "median", "q3"]
    rows = [("gender", "F", "share", 0.6), ("gender", "M", "share", 0.4)]
    rows += [("age", None, s, v) for s, v in zip(stats, [43.2, 9.4, 33.0, 44.0, 52.0])]
    frame = pd.DataFrame(rows, columns=["variable", "category", "statistic", "estimate"])
    frame["n"], frame["count"] = 40, [24, 16, None, None, None, None, None]
    frame["ci_low"] = [0.45, 0.25, 41.0, np.nan, 31.0, 41.0, 50.0]
    frame["ci_high"] = [0.74, 0.55, 45.4, np.nan, 37.0, 47.0, 54.0]
    return frame[["variable", "category", "statistic", "n", "count", "estimate", "ci_low",
                  "ci_high"]]


def test_profile_rows_pair_each_mean_with_its_own_median():
    """In a table by group whose rows are not in group order, each group's mean gets
    its own group's median, matched by group and variable."""
    frame = pd.DataFrame({"service": ["a", "b", "a", "b", "b", "a"],
                          "variable": ["age"] * 6,
                          "statistic": ["mean", "mean", "sd", "sd", "median", "median"]})
    shown, median = profile_rows(frame)
    assert shown.tolist() == [0, 1] and median.tolist() == [5, 4]


def test_a_median_without_a_mean_is_shown_itself():
    """A number with a median but no mean shows its median's row."""
    frame = pd.DataFrame({"variable": ["days", "days", "days"],
                          "statistic": ["q1", "median", "q3"]})
    shown, median = profile_rows(frame)
    assert shown.tolist() == [1] and median.tolist() == [-1]


def test_satisfaction_tables_are_not_profiles():
    """A Likert table (item, top2...) keeps its own layout."""
    frame = pd.DataFrame({"item": ["sat"], "statistic": ["top2"], "estimate": [0.5]})
    assert not is_profile_table(frame, ["item", "statistic", "estimate"])


def test_profile_columns_drop_statistic_and_count():
    """The page's columns: n, the share or mean, the median, the interval."""
    assert profile_columns(["variable", "category", "statistic", "n", "count", "estimate",
                            "ci"]) == ["variable", "category", "n", "estimate", "median", "ci"]


def _view(frame: pd.DataFrame, cat=EN) -> dict:
    from reports.html import _table_view

    table = Table("agents", frame, "tables.profile", count_column="n",
                  share_columns=["estimate", "ci_low", "ci_high"],
                  share_rows={"statistic": ["share"]})
    return _table_view(Prepared("profiles", table, frame, "profiles_agents"), cat)


def test_profile_view_reader_columns_and_note():
    """One row per category and per number; the median beside the mean; the note says
    the full table is in the workbook."""
    view = _view(_profile())
    assert view["headers"] == ["Variable", "Category", EN.column("n"), "Share or mean",
                               "Median", "Confidence interval"]
    texts = [[c["text"].replace(NBSP, " ") for c in row] for row in view["rows"]]
    assert texts[2][2:] == ["40", "43.2", "44", "41.0 to 45.4"]
    assert len(texts) == 3
    assert any("full table" in note and "XLSX" in note for note in view["notes"])


def test_french_profile_note_comes_from_the_catalogue():
    """The French page says where the full table is, in French."""
    notes = _view(_profile(), FR)["notes"]
    assert FR.text("report.profile_full_table") in notes
    assert "classeur XLSX" in FR.text("report.profile_full_table")


def test_hidden_median_stays_hidden_beside_a_published_mean():
    """A median the suppression hid (on the full table) is the hidden mark on the page."""
    frame = _profile()
    frame[SUPPRESSED] = False
    frame[HIDDEN_CELLS] = ["", "", "", "", "", "estimate,ci_low,ci_high", ""]
    frame.loc[5, ["estimate", "ci_low", "ci_high"]] = np.nan
    view = _view(frame)
    median = view["rows"][2][view["headers"].index("Median")]
    assert median["hidden"] and median["text"] == EN.text("report.suppressed_mark")


def test_hidden_row_stays_hidden_in_the_reader_layout():
    """A suppressed mean's row shows the hidden mark in each number cell (its variable
    keeps a published row: a variable hidden in every row is named, not printed)."""
    frame = _profile()
    frame[SUPPRESSED] = [False, False, True, True, True, True, True]
    frame.loc[2:, ["estimate", "ci_low", "ci_high"]] = np.nan
    frame = pd.concat([frame, frame.iloc[2:].assign(
        variable="weight", estimate=70.0, ci_low=60.0, ci_high=80.0, **{SUPPRESSED: False})],
        ignore_index=True)
    frame.loc[frame.index[-5:], SUPPRESSED] = [True, False, False, False, False]
    frame.loc[frame.index[-5], ["estimate", "ci_low", "ci_high"]] = np.nan
    view = _view(frame)
    row = view["rows"][2]
    assert row[0]["text"] != "" and [c["hidden"] for c in row[2:]][:2] == [True, True]
    assert any(note.startswith("Hidden in full") and ": Age (years);" in note
               for note in view["notes"])


def test_workbook_keeps_every_profile_row(tmp_path):
    """The workbook's sheet keeps the spread, quartiles and counts the page leaves out."""
    from openpyxl import load_workbook

    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table(
        "agents", _profile(), "tables.profile", count_column="n",
        share_columns=["estimate", "ci_low", "ci_high"], share_rows={"statistic": ["share"]}))
    paths = render(evaluation, tmp_path, lang="en")
    page = paths[0].read_text(encoding="utf-8")
    assert ">Standard deviation<" not in page and ">1st quartile<" not in page
    book = load_workbook(next(p for p in paths if p.suffix == ".xlsx"), read_only=True)
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert {"Standard deviation", "1st quartile", "Median", 24} <= cells


def test_demo_profile_shows_reader_columns_in_both_languages(demo_reports):
    """The demo's agents' profile: no statistic column, the median beside the mean, and
    the note under the table in each language."""
    for lang, cat in (("fr", FR), ("en", EN)):
        head, rows = _rows(demo_reports[lang], "profiles-agents")
        assert cat.text("report.profile_median") in head
        assert cat.column("statistic") not in head and cat.column("count") not in head
        assert all(cat.text("report.median") not in row for row in rows)
        assert cat.text("report.profile_full_table") in _text(demo_reports[lang])


def test_demo_profile_median_cells_are_the_full_tables(demo_reports):
    """Each median shown is the full table's median row, as the workbook sheet has it."""
    km = _csv_row(demo_reports, "profiles_agents.csv", "statistic", "median")
    head, rows = _rows(demo_reports["en"], "profiles-agents")
    label = next(r for r in rows if r[head.index("Median")])
    assert label[head.index("Median")] == f"{float(km['estimate']):g}"


# --- 4. figures on a phone: the scroll box says there is more ------------------------------

def _edges(chromium, path, width: int, scroll: int | None) -> list[list]:
    """For each figure: whether its box scrolls, and the opacity of its left and right
    edge shadows once the box is scrolled to ``scroll`` pixels (None: not scrolled)."""
    context = chromium.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        if scroll is not None:
            page.evaluate("""(left) => document.querySelectorAll('figure.chart .chart-scroll')
                .forEach(box => { box.scrollLeft = left; })""", scroll)
        page.wait_for_timeout(150)   # scroll-driven styles are updated on the next frame
        return page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
            const box = f.querySelector('.chart-scroll');
            const shadow = (where) => { const s = getComputedStyle(f, where);
                return s.content === 'none' ? null : Number(s.opacity); };
            return [box.scrollWidth > box.clientWidth, shadow('::before'), shadow('::after')];
        })""")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_phone_figure_shows_a_shadow_where_more_of_it_lies(chromium, demo_reports, lang):
    """At 390 px every drawn figure scrolls in its box: unscrolled, a shadow on the right
    edge only; midway, on both; at the end, on the left only. A figure that is only its
    line of text (every bar hidden) wraps instead, and shows no shadow."""
    start = _edges(chromium, demo_reports[lang], 390, None)
    middle = _edges(chromium, demo_reports[lang], 390, 150)
    end = _edges(chromium, demo_reports[lang], 390, 100000)
    drawn = [i for i, (scrolls, _, _) in enumerate(start) if scrolls]
    assert len(drawn) >= 5 and len(start) - len(drawn) == 2   # the demo's two text lines
    assert {(start[i][1], start[i][2]) for i in drawn} == {(0, 1)}
    assert {(middle[i][1], middle[i][2]) for i in drawn} == {(1, 1)}
    assert {(end[i][1], end[i][2]) for i in drawn} == {(1, 0)}
    assert {(left, right) for i, (_, left, right) in enumerate(end) if i not in drawn} == {
        (0, 0)}


def test_wide_screen_figures_have_no_edge_shadows(chromium, demo_reports):
    """At 1280 px the figures fit: their boxes do not scroll and draw no shadow."""
    edges = _edges(chromium, demo_reports["fr"], 1280, None)
    assert edges and all(row == [False, None, None] for row in edges)


# --- 5. a note said once for a run of tables about the same population ---------------------

def test_note_is_not_repeated_under_the_next_table_of_its_population(demo_reports):
    """The curve, horizons and median of one population explained the hidden levels three
    times within a screen: the explanation now comes once per population's run, and a
    table's own row counts stay under each table."""
    text = demo_reports["fr"].read_text(encoding="utf-8")
    section = text[text.index('<section class="block" id="retention">'):]
    section = section[:section.index("</section>")]
    rule = "donnés seulement aux mois où les départs depuis la dernière part donnée"
    assert section.count(rule) == 3        # companies, agents, badge users: once each
    assert section.count("Les 15 lignes de ce tableau figurent") == 2


def test_a_raking_margin_interval_says_it_has_no_margin_of_error(demo_reports):
    """The agents' share of women is a raking margin: its interval cell says it has no
    margin of error instead of "65 à 65 %" (editorial review 12)."""
    head, rows = _rows(demo_reports["fr"], "profiles-agents")
    women = next(r for r in rows if r[head.index("Modalité")] == "Femmes")
    assert women[head.index("Intervalle de confiance")] == "sans marge d'erreur"
    assert " à 65\u00a0%" not in demo_reports["fr"].read_text(encoding="utf-8")


def test_a_variable_hidden_in_every_group_is_named_not_printed(demo_reports):
    """By service, the agents' manager role is hidden in every group: its rows of dashes
    are not printed, one line under the table names it (editorial review 12b)."""
    head, rows = _rows(demo_reports["fr"], "profiles-agents_by_service")
    assert not any(r[head.index("Variable")] == "Encadrant" for r in rows)
    text = demo_reports["fr"].read_text(encoding="utf-8")
    block = text[text.index('id="profiles-agents_by_service"'):]
    block = block[:block.index("<h3")]
    assert "Entièrement masqués (secret statistique), donc non repris ici\u00a0: Encadrant" in block
