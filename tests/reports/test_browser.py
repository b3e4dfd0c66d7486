"""The demo report in a real browser: opens from a file, offline, without console errors."""

from __future__ import annotations

import pytest

from pathlib import Path


def _open(chromium):
    """A new offline page, 1280 pixels wide."""
    return chromium.new_context(offline=True, viewport={"width": 1280, "height": 900}).new_page()


def test_report_opens_offline_without_console_errors(chromium, demo_reports, tmp_path):
    """Chromium, networking disabled, shows every section heading and logs no error."""
    page = _open(chromium)
    console, requests = [], []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_reports["fr"].as_uri())
    page.wait_for_load_state("load")
    headings = page.locator("h2")
    assert headings.count() >= 5
    for i in range(headings.count()):
        heading = headings.nth(i)
        heading.scroll_into_view_if_needed()
        assert heading.is_visible(), heading.inner_text()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    page.context.close()
    assert [c for c in console if c[0] in ("error", "pageerror")] == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert (tmp_path / "report.png").stat().st_size > 10_000


def _measure(chromium, report: Path, script: str):
    """Evaluate ``script`` in ``report`` shown 1280 pixels wide."""
    page = _open(chromium)
    try:
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        return page.evaluate(script)
    finally:
        page.context.close()


#: Which tables overflow the page, by the id of their heading.
_OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => { let h = w.previousElementSibling;
                while (h && h.tagName !== 'H3') { h = h.previousElementSibling; }
                return h ? h.id : '?'; })"""


def test_profile_tables_fit_the_page_width(chromium, demo_reports):
    """No profile table needs a horizontal scroll bar on a 1280-pixel screen (the
    headings of numeric columns wrap instead)."""
    assert _measure(chromium, demo_reports["fr"],
                    f"() => ({_OVERFLOWING})('#profiles .table-wrap')") == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_key_figures_line_up_in_a_row_of_cards(chromium, demo_reports, lang):
    """Within a row of cards, every value starts at the same height, whatever the
    length of the indicator's label above it or of the details below, in each language."""
    rows = _measure(chromium, demo_reports[lang], """() => {
        const tops = {};
        for (const card of document.querySelectorAll('.card')) {
            const row = Math.round(card.getBoundingClientRect().top);
            const value = Math.round(card.querySelector('.value').getBoundingClientRect().top);
            (tops[row] = tops[row] || []).push(value);
        }
        return Object.values(tops);
    }""")
    assert len(rows) > 5
    assert [r for r in rows if max(r) - min(r) > 1] == []
