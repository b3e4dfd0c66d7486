"""Editorial review 13, the items left to the reports code: headings of a section about
several populations name theirs (item 7); a hidden row's empty label cell is no hidden
mark (item 5); a by-group satisfaction table says once that its rows are picked (item 8);
a figure's caption says hidden bars and points are not drawn only where some were left
out unsaid (item 9). Read on the demo pilot's report, in French and in English."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from reports.i18n import catalogue

LANGS = ["fr", "en"]


def _page(demo_reports, lang: str) -> str:
    return demo_reports[lang].read_text(encoding="utf-8")


def _table(page: str, table_id: str) -> str:
    """The page from a table's heading to the next heading of its level or above."""
    start = page.index(f' id="{table_id}"')
    end = re.search(r"<h[1-3][ >]", page[start:])
    return page[start:start + end.start()] if end else page[start:]


def _heading(page: str, table_id: str) -> str:
    match = re.search(rf'<h[34] id="{re.escape(table_id)}">([^<]*)</h[34]>', page)
    assert match, table_id
    return html.unescape(match.group(1))


@pytest.mark.parametrize("lang", LANGS)
def test_recommendation_headings_are_told_apart(demo_reports, lang):
    """The three net-score headings of the satisfaction section differ from one another."""
    page = _page(demo_reports, lang)
    titles = [_heading(page, f"satisfaction-{who}_nps") for who in ("companies", "agents", "users")]
    assert len(set(titles)) == 3, titles


@pytest.mark.parametrize("lang", LANGS)
def test_satisfaction_headings_name_their_population(demo_reports, lang):
    """Each satisfaction table's heading ends with the population it is about."""
    page = _page(demo_reports, lang)
    names = {"fr": {"companies": "Entreprises", "agents": "Agents",
                    "users": "Usagers des tiers-lieux"},
             "en": {"companies": "Companies", "agents": "Agents",
                    "users": "Third-place users"}}[lang]
    keys = {"companies": ["companies_items_by_department", "companies_nps"],
            "agents": ["agents_items_by_wave", "agents_nps"],
            "users": ["users_items_by_status", "users_nps"]}
    for who, tables in keys.items():
        for key in tables:
            assert _heading(page, f"satisfaction-{key}").endswith(f" — {names[who]}"), key


@pytest.mark.parametrize("lang", LANGS)
def test_heading_naming_its_population_already_is_left_alone(demo_reports, lang):
    """A profile heading that says its population (« Profil des agents ») gets no suffix."""
    page = _page(demo_reports, lang)
    assert " — " not in _heading(page, "profiles-agents_by_service")


@pytest.mark.parametrize("lang", LANGS)
def test_hidden_row_leaves_an_empty_label_cell_empty(demo_reports, lang):
    """Profile by service: the Category cell of a hidden number row carries no "—*"."""
    page = _page(demo_reports, lang)
    rows = re.findall(r"<tr>.*?</tr>", _table(page, "profiles-agents_by_service"))
    hidden = [r for r in rows if "<sup>*</sup>" in r]
    categories = []
    for row in hidden:
        cells = re.findall(r'<t[dh][^>]*class="([^"]*)"[^>]*>(.*?)</t[dh]>', row)
        categories.append(cells[2][1])    # variable, service, category, n...
        assert "hidden" not in cells[2][0].split() and "<sup>" not in cells[2][1], row
    assert "" in categories    # the demo hides the service rows of some number variables


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_cell_on_the_page_is_a_hidden_mark(demo_reports, lang):
    """No text (label) cell anywhere on the page is marked hidden."""
    page = _page(demo_reports, lang)
    assert not re.search(r'class="text(?: [a-z]+)* hidden', page)


@pytest.mark.parametrize("lang", LANGS)
def test_by_group_satisfaction_tables_say_their_picked_rows_once(demo_reports, lang):
    """Under a by-group satisfaction table, the "only the main rows" line is not added to
    the note that already says the means and other rows are in the files."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    top2, filtered = cat.text("report.likert_top2_only"), cat.text("report.rows_filtered")
    tables = ["companies_items_by_department", "agents_items_by_wave", "users_items_by_status"]
    for key in tables:
        part = html.unescape(_table(page, f"satisfaction-{key}"))
        assert top2 in part, key
        assert filtered not in part, key


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_figure_caption_does_not_repeat_what_the_figure_says(demo_reports, lang):
    """The comparison figure counts its undrawn rows itself: its caption adds no
    "hidden bars and points are not drawn"."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    caption = re.search(r'<figcaption id="baselines-comparisons-caption">(.*?)</figcaption>',
                        page, re.S)
    assert caption
    assert cat.text("report.figure_suppressed") not in html.unescape(caption.group(1))


@pytest.mark.parametrize("lang", LANGS)
def test_series_caption_says_hidden_points_only_where_months_are_missing(demo_reports, lang):
    """The monthly attendance figure's caption says hidden points are not drawn exactly
    when its table's file has a missing (hidden) month."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    data = pd.read_csv(demo_reports[lang].parent / "csv" / "attendance_by_type_zone.csv")
    caption = re.search(r'<figcaption id="attendance-by_type_zone-caption">(.*?)</figcaption>',
                        page, re.S)
    assert caption
    said = cat.text("report.figure_suppressed") in html.unescape(caption.group(1))
    assert said == bool(data["visits"].isna().any())
