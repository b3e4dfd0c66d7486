"""The demo report in a real browser: opens from a file, offline, without console errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    """The demo pilot's French report, written by the bilan command."""
    from reports.cli import main

    out = tmp_path_factory.mktemp("browser")
    assert main(["demo", "--out", str(out)]) == 0
    html = sorted((out / "report").glob("*.html"))
    assert len(html) == 1
    return html[0]


def test_report_opens_offline_without_console_errors(demo_report, tmp_path):
    """Chromium, networking disabled, shows every section heading and logs no error."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            console, requests = [], []
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(demo_report.as_uri())
            page.wait_for_load_state("load")
            headings = page.locator("h2")
            assert headings.count() >= 5
            for i in range(headings.count()):
                heading = headings.nth(i)
                heading.scroll_into_view_if_needed()
                assert heading.is_visible(), heading.inner_text()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        finally:
            browser.close()
    assert [c for c in console if c[0] in ("error", "pageerror")] == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert (tmp_path / "report.png").stat().st_size > 10_000


def _measure(demo_report: Path, script: str):
    """Evaluate ``script`` in the demo report shown 1280 pixels wide."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(offline=True,
                                       viewport={"width": 1280, "height": 900}).new_page()
            page.goto(demo_report.as_uri())
            page.wait_for_load_state("load")
            return page.evaluate(script)
        finally:
            browser.close()


#: Which tables overflow the page, by the id of their heading.
_OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => { let h = w.previousElementSibling;
                while (h && h.tagName !== 'H3') { h = h.previousElementSibling; }
                return h ? h.id : '?'; })"""


def test_profile_tables_fit_the_page_width(demo_report):
    """No profile table needs a horizontal scroll bar on a 1280-pixel screen (the
    headings of numeric columns wrap instead)."""
    assert _measure(demo_report, f"() => ({_OVERFLOWING})('#profiles .table-wrap')") == []


def test_key_figures_line_up_in_a_row_of_cards(demo_report):
    """Within a row of cards, every value starts at the same height, whatever the
    length of the indicator's label above it."""
    rows = _measure(demo_report, """() => {
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
