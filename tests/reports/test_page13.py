"""Editorial review 12b, layout items (session 13): a p-value withheld for figures not
on the page has its own mark; satisfaction tables print a question's mean and share
satisfied; tables with nothing published are named in one line; the notes of a table
left to the files fold away; a curve hidden after some months says so; on a phone the
label columns stay in view, the back link does not cover text and the comparison figure
says where its points are; in print a key figure keeps its unit on its line."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from reports.html import _withheld_why
from reports.i18n import catalogue
from reports.table_layouts import curve_stops, label_columns
from reports.table_layouts import p_values_hidden_elsewhere as hidden_elsewhere

LANGS = ["fr", "en"]


def _page(demo_reports, lang: str) -> str:
    return demo_reports[lang].read_text(encoding="utf-8")


def _block(page: str, anchor: str) -> str:
    """The page's markup from an element's id to the next table heading or section end."""
    start = page.index(f'id="{anchor}"')
    ends = [i for i in (page.find("<h3", start + 1), page.find("</section>", start))
            if i >= 0]
    return page[start:min(ends)]


def _text(markup: str) -> str:
    """The text of ``markup``, tags removed, every run of spaces (no-break ones too) one."""
    return _plain(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _cell(text: str, hidden: bool) -> dict:
    return {"text": text, "hidden": hidden}


# --- p-values withheld for figures left to the files (item 4) ----------------------

def test_p_value_hidden_beside_published_figures_gets_its_own_mark():
    """A variable whose cells on the page are all published has its hidden p-value
    marked with a dagger, and the note explaining it is returned."""
    frame = pd.DataFrame({"variable": ["age", "age"]})
    rows = [[_cell("37", False), _cell("—", True)], [_cell("36", False), _cell("—", True)]]
    notes = hidden_elsewhere(rows, ["estimate", "p_adjusted"], frame, catalogue("fr"))
    assert [row[1].get("mark") for row in rows] == ["\u2020", "\u2020"]
    assert notes == ["\u2020 " + catalogue("fr").text("report.test_hidden_elsewhere")]


def test_p_value_hidden_beside_a_hidden_cell_keeps_the_star():
    """Where a cell of the variable is hidden on the page, its "—*" explains the test:
    no dagger, no note."""
    frame = pd.DataFrame({"variable": ["sex", "sex"]})
    rows = [[_cell("—", True), _cell("—", True)], [_cell("40 %", False), _cell("—", True)]]
    assert hidden_elsewhere(rows, ["estimate", "p_adjusted"], frame,
                                  catalogue("en")) == []
    assert all("mark" not in cell for row in rows for cell in row)


@pytest.mark.parametrize("lang", LANGS)
def test_demo_status_profile_explains_its_hidden_p_values(demo_reports, lang):
    """The users' profile by status (every age and travel-time figure published, their
    test withheld for hidden quartiles) marks its p-values "—†" with the note, and no
    longer prints the "*" footnote with no "—*" in view."""
    block = _block(_page(demo_reports, lang), "profiles-users_by_status")
    cat = catalogue(lang)
    assert "<sup>\u2020</sup>" in block
    assert _plain(cat.text("report.test_hidden_elsewhere")) in _text(block)
    assert "<sup>*</sup>" not in block
    assert _plain(cat.text("report.suppressed_note", min_cell=5)) not in _text(block)


# --- satisfaction tables: mean and share satisfied (item 6) ------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_agents_satisfaction_table_prints_mean_and_satisfied_only(demo_reports, lang):
    """The agents' satisfaction table prints two rows per question (mean, satisfied),
    says the other rows are in the files, and the workbook's CSV keeps all four."""
    cat = catalogue(lang)
    block = _block(_page(demo_reports, lang), "satisfaction-agents_items")
    table = block[block.index("<tbody>"):block.index("</tbody>")]
    assert table.count("<tr>") == 10   # 5 questions x (mean, satisfied)
    for statistic in ("bottom2", "net"):
        assert cat.value("statistic", statistic) not in _text(table)
    assert _plain(cat.text("report.rows_filtered")) in _text(block)
    csv = pd.read_csv(demo_reports[lang].parent / "csv" / "satisfaction_agents_items.csv")
    assert set(csv["statistic"]) == {"mean", "top2", "bottom2", "net"}


@pytest.mark.parametrize("lang", LANGS)
def test_users_satisfaction_table_keeps_its_published_balances(demo_reports, lang):
    """The users' satisfaction table, whose dissatisfied shares and balances are all
    published, keeps its four rows per question (3 questions) and no "main rows" note."""
    block = _block(_page(demo_reports, lang), "satisfaction-users_items")
    table = block[block.index("<tbody>"):block.index("</tbody>")]
    assert table.count("<tr>") == 12
    assert _plain(catalogue(lang).text("report.rows_filtered")) not in _text(block)


# --- tables with nothing published: one line (item 7) ------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_withheld_satisfaction_tables_are_named_in_one_line(demo_reports, lang):
    """The agents' satisfaction by manager and by service (nothing published) have no
    heading: one line of the section names both, with the reason and where the
    publishable rows are; their anchors stay."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    section = page[page.index('<section class="block" id="satisfaction"'):]
    section = section[:section.index("</section>")]
    assert '<h3 id="satisfaction-agents_items_by_manager"' not in section
    assert '<h3 id="satisfaction-agents_items_by_service"' not in section
    (line,) = re.findall(r'<p class="withheld gathered">(.*?)</p>', section)
    text = _text(line)
    assert text.startswith(_plain(cat.text("report.withheld_list")))
    assert _plain(cat.text("tables.satisfaction.by_manager")) in text
    assert 'id="satisfaction-agents_items_by_manager"' in line
    assert _plain(cat.text("report.withheld_many", min_cell=5)) in text


@pytest.mark.parametrize("lang", LANGS)
def test_last_wave_note_is_not_repeated_for_a_withheld_table(demo_reports, lang):
    """The "last survey wave" note is said once in the satisfaction section (under the
    agents' table), not again for a table of which nothing is printed."""
    page = _page(demo_reports, lang)
    section = page[page.index('<section class="block" id="satisfaction"'):]
    section = section[:section.index("</section>")]
    assert _text(section).count(_plain(catalogue(lang).text("report.last_wave"))) == 1


def test_one_withheld_table_keeps_its_own_sentence():
    """One withheld table is explained by its own sentence; several by the plural one,
    naming those whose publishable rows are in the files."""
    cat = catalogue("fr")
    one = [{"title": "A", "withheld_key": "report.withheld"}]
    two = one + [{"title": "B", "withheld_key": "report.withheld_shown"}]
    assert _withheld_why(one, cat, 5) == cat.text("report.withheld", min_cell=5)
    assert _withheld_why(two, cat, 5) == (
        cat.text("report.withheld_many", min_cell=5) + " "
        + cat.text("report.withheld_many_shown", names="B"))


# --- retention: notes of tables in the files, curves that stop (item 8) ------------

def test_curve_hidden_while_people_are_followed_says_where_it_stops():
    """A curve published to month 4 and hidden after, while people are still followed,
    gets one sentence naming month 4."""
    frame = pd.DataFrame({"time": [0.0, 4.0, 5.0, 12.0], "at_risk": [27, 27, None, 6],
                          "survival": [1.0, 1.0, None, None]})
    assert curve_stops(frame, catalogue("fr")) == [
        catalogue("fr").text("report.curve_stops", months="4")]


def test_curve_published_to_its_last_follow_up_says_nothing():
    """A curve hidden only where nobody is followed any more needs no sentence."""
    frame = pd.DataFrame({"time": [0.0, 4.0, 5.0], "at_risk": [27, 3, 0],
                          "survival": [1.0, 0.8, None]})
    assert curve_stops(frame, catalogue("en")) == []


@pytest.mark.parametrize("lang", LANGS)
def test_demo_curve_notes_fold_away_when_the_table_is_in_the_files(demo_reports, lang):
    """Under the companies' curve (its 15 rows in the workbook only): the sentence saying
    the curve stops after 4 months, the column notes inside a closed <details>, and no
    "*" footnote."""
    cat = catalogue(lang)
    block = _block(_page(demo_reports, lang), "retention-companies_stays_curve")
    details = block[block.index("<details"):block.index("</details>")]
    outside = block.replace(details, "")
    assert "<details open" not in block
    assert _plain(cat.text("report.curve_counts")) in _text(details)
    assert _plain(cat.text("report.curve_counts")) not in _text(outside)
    assert _plain(cat.text("report.curve_stops", months="4")) in _text(outside)
    assert _plain(cat.text("report.suppressed_note", min_cell=5)) not in _text(block)


# --- phone and print (items 12, 13, 14) --------------------------------------------

def test_label_columns_counts_two_or_three_leading_labels():
    """Two or three label columns before the numbers stay in view; one, or four, not."""
    assert [label_columns(flags) for flags in ([True, True, False], [True, True, True, False],
                                               [True, False], [True] * 4 + [False],
                                               [True, True])] == [2, 3, 0, 0, 0]


@pytest.mark.parametrize("lang", LANGS)
def test_phone_profile_keeps_variable_and_category_in_view(sideways, demo_reports, lang):
    """At 390 pixels, the agents' profile scrolled sideways keeps both its variable and
    its category columns where they were while the numbers move under them."""
    scrolled, shifts = sideways(demo_reports[lang], "#profiles-agents", 150)
    assert scrolled > 40
    assert [abs(s) < 0.5 for s in shifts[:2]] == [True, True]
    assert abs(shifts[-1] - scrolled) < 0.5


@pytest.mark.parametrize("lang", LANGS)
def test_phone_words_in_a_number_column_keep_to_one_line(open_page, demo_reports, lang):
    """At 390 pixels, "sans marge d'erreur" in an interval column is one line, not three."""
    page = open_page(demo_reports[lang], 390)
    try:
        heights = page.evaluate("""() => [...document.querySelectorAll('td.num.words')].map(c => {
            const s = getComputedStyle(c); const range = document.createRange();
            range.selectNodeContents(c);
            return range.getClientRects().length; })""")
    finally:
        page.context.close()
    assert heights and max(heights) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_phone_back_link_does_not_float_over_the_text(open_page, demo_reports, lang):
    """At 390 pixels the link back to the contents ends its section instead of floating
    over the text."""
    page = open_page(demo_reports[lang], 390)
    try:
        positions = page.evaluate("""() => [...document.querySelectorAll('.to-contents')]
            .map(e => getComputedStyle(e).position)""")
    finally:
        page.context.close()
    assert positions and set(positions) == {"static"}


@pytest.mark.parametrize("lang", LANGS)
def test_phone_comparison_figure_says_where_its_points_are(open_page, demo_reports, lang):
    """At 390 pixels a line above the comparison figure (labels left, points off the
    screen to the right) says to scroll it; at 1280 pixels, where it fits, no line."""
    shown = {}
    for width in (390, 1280):
        page = open_page(demo_reports[lang], width)
        try:
            shown[width] = page.evaluate("""() => {
                const hint = document.querySelector('#baselines-comparisons ~ p.phone-hint');
                return hint && hint.nextElementSibling.matches('figure.chart')
                    ? hint.getBoundingClientRect().height > 0 : null; }""")
        finally:
            page.context.close()
    assert shown == {390: True, 1280: False}
    assert _page(demo_reports, lang).count('class="note phone-hint"') == 1


@pytest.mark.parametrize("lang", LANGS)
def test_print_key_figures_keep_their_unit_on_their_line(open_page, demo_reports, lang):
    """Printed, every value of the pilot at a glance ("62,0 t de CO₂") is one line and
    stays inside its card."""
    page = open_page(demo_reports[lang], 688, media="print")  # A4 less margins
    try:
        wrapped = page.evaluate("""() => [...document.querySelectorAll('.cards .value')]
            .filter(v => { const s = getComputedStyle(v);
                           const line = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
                           const card = v.closest('.card').getBoundingClientRect();
                           const range = document.createRange(); range.selectNodeContents(v);
                           const text = range.getBoundingClientRect();
                           return v.getBoundingClientRect().height > 1.5 * line
                               || text.right > card.right; })
            .map(v => v.textContent)""")
    finally:
        page.context.close()
    assert wrapped == []
