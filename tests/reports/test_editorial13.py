"""Editorial review 13 (/tmp/ed13/review.md): the demo report read by a funder and an HR
director after session 13's page changes.

Item 1: on a phone, a table whose rows are labelled by three columns kept 70 of 358 pixels
for its numbers, so no number was ever seen whole ("9,8 à 42,8" for "39,8 à 42,8").
Item 2: the line naming wholly hidden tables said no figure was published, then that the
publishable rows of one of them were in the workbook. Item 3: the Holm note did not say
which column it explains. Item 4: the print showed closed "notes" summaries that paper
cannot open.
"""

from __future__ import annotations

import html
import re

import pytest

from reports.i18n import catalogue

LANGS = ["fr", "en"]


def _page(demo_reports, lang: str) -> str:
    return demo_reports[lang].read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\xa0", " ").replace(
        "\u202f", " ")


# JavaScript: for each table whose label columns stay in view, the pixels left to the
# right of them in its scrolling box, and its widest number cell
_ROOM = """() => [...document.querySelectorAll('table.data.labels-2, table.data.labels-3')]
    .map(t => {
        const wrap = t.closest('.table-wrap');
        const labels = t.classList.contains('labels-3') ? 3 : 2;
        const row = t.tBodies[0].rows[0];
        const edge = row.cells[labels - 1].getBoundingClientRect().right
                     - wrap.getBoundingClientRect().left;
        let widest = 0;
        for (const r of t.tBodies[0].rows)
            for (let i = labels; i < r.cells.length; i++)
                widest = Math.max(widest, r.cells[i].getBoundingClientRect().width);
        return [labels, Math.round(wrap.clientWidth - edge), Math.round(widest)]; })"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [390, 360])
def test_phone_label_columns_leave_room_for_a_whole_number_cell(open_page, demo_reports,
                                                                 lang, width):
    """On a phone, beside the label columns kept in view, every table leaves room for its
    widest number cell (three 6-rem columns left 70 of 358 pixels at 390)."""
    page = open_page(demo_reports[lang], width)
    try:
        room = page.evaluate(_ROOM)
    finally:
        page.context.close()
    assert any(labels == 3 for labels, _, _ in room)
    assert [(left, widest) for _, left, widest in room if left < widest] == []


@pytest.mark.parametrize("lang", LANGS)
def test_phone_three_label_columns_stay_in_view(sideways, demo_reports, lang):
    """The agents' profile by service scrolled sideways still keeps its three label
    columns where they were (narrower, not dropped)."""
    scrolled, moved = sideways(demo_reports[lang], "#profiles-agents_by_service", 100)
    assert scrolled > 40
    assert [abs(s) < 0.5 for s in moved[:3]] == [True, True, True]


@pytest.mark.parametrize("lang,quoted", [("fr", "« {} »"), ("en", "“{}”")])
def test_withheld_line_quotes_the_table_whose_rows_are_in_the_files(demo_reports, lang,
                                                                    quoted):
    """The line naming the wholly hidden satisfaction tables gives the one with rows in the
    workbook as an exception, its title in quotes (it ran into the sentence unquoted,
    after "no figure of these tables is published")."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    (line,) = re.findall(r'<p class="withheld gathered">(.*?)</p>', page[
        page.index('<section class="block" id="satisfaction"'):])
    text = _text(line)
    title = cat.text("tables.satisfaction.by_service")
    assert quoted.format(title) in text
    assert text.index(_text(cat.text("report.withheld_many", min_cell=5))) < text.index(
        quoted.format(title))


@pytest.mark.parametrize("lang", LANGS)
def test_holm_note_names_the_column_it_explains(demo_reports, lang):
    """The note on Holm's families opens with the "p ajustée" column it explains."""
    cat = catalogue(lang)
    page = _page(demo_reports, lang)
    notes = [_text(n) for n in re.findall(r'<p class="note">(.*?)</p>', page)
             if "Holm" in n]
    assert len(notes) == 1
    assert notes[0].startswith(_text(cat.text("columns.p_adjusted")) + ":") or \
        notes[0].startswith(_text(cat.text("columns.p_adjusted")) + " :")
    assert "(" + "BVA, 2015, Agents" in notes[0]


@pytest.mark.parametrize("lang", LANGS)
def test_print_leaves_out_closed_column_notes(open_page, demo_reports, lang):
    """On paper the closed "notes on this table's columns" cannot be opened: the print
    leaves them out; the screen keeps them."""
    shown = {}
    for media in ("screen", "print"):
        page = open_page(demo_reports[lang], 1280, media)
        try:
            shown[media] = page.evaluate("""() => [...document.querySelectorAll('details.notes')]
                .map(d => d.getBoundingClientRect().height > 0)""")
        finally:
            page.context.close()
    assert shown["screen"] and all(shown["screen"])
    assert len(shown["print"]) == len(shown["screen"]) and not any(shown["print"])
