"""The demo report on a phone (390 pixels wide) and a small tablet (800 pixels): the page
never scrolls sideways, a wide table scrolls in its own box with a visible cue, the
key-figure cards stack and the figures fit the screen."""

from __future__ import annotations

import pytest

WIDTHS = [390, 800]
LANGS = ["fr", "en"]


@pytest.fixture(params=[(lang, width) for lang in LANGS for width in WIDTHS],
                ids=lambda p: f"{p[0]}-{p[1]}px")
def page(request, chromium, demo_reports):
    """The report opened offline in a viewport ``width`` pixels wide."""
    lang, width = request.param
    context = chromium.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_reports[lang].as_uri())
    page.wait_for_load_state("load")
    yield page
    context.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


#: For every table wider than the screen or running past its right edge: the heading
#: above it and whether an ancestor inside the screen scrolls it horizontally.
_WIDE_TABLES = """() => {
    const screen = document.documentElement.clientWidth;
    const scroller = (table) => {
        for (let box = table.parentElement; box; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (['auto', 'scroll'].includes(style.overflowX)) {
                const r = box.getBoundingClientRect();
                return r.left >= -0.5 && r.right <= screen + 0.5
                    && box.scrollWidth > box.clientWidth ? box : null;
            }
        }
        return null;
    };
    return [...document.querySelectorAll('table')]
        .filter(t => { const r = t.getBoundingClientRect();
                       return r.width > screen + 0.5 || r.right > screen + 0.5; })
        .map(t => { let h = t.closest('.table-wrap') || t;
                    h = h.previousElementSibling;
                    while (h && h.tagName !== 'H3') { h = h.previousElementSibling; }
                    return [h ? h.id : '?', scroller(t) !== null]; });
}"""


def test_page_never_scrolls_sideways(page):
    """The document is no wider than the screen: nothing pushes the page sideways."""
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
                                     document.body.scrollWidth,
                                     document.documentElement.clientWidth]""")
    assert max(widths[:2]) <= widths[2], widths


def test_wide_tables_scroll_inside_their_own_box(page):
    """Every table wider than the screen sits in a box that scrolls it horizontally and
    itself fits the screen."""
    tables = page.evaluate(_WIDE_TABLES)
    assert [heading for heading, scrolls in tables if not scrolls] == []


def _edges(page, box) -> tuple[bytes, bytes]:
    """Screenshots of the left and right edges (12 pixels) of ``box``'s top 200 pixels."""
    r = box.evaluate("""w => { const r = w.getBoundingClientRect();
        return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }""")
    clip = {"y": r["y"], "width": 12, "height": min(200, r["height"])}
    return (page.screenshot(full_page=True, clip={**clip, "x": r["x"]}),
            page.screenshot(full_page=True, clip={**clip, "x": r["x"] + r["width"] - 12}))


def test_a_scrolling_table_shows_a_cue(page):
    """A table box that scrolls sideways shades the edge beyond which there is more to
    see: its right edge at first, its left edge once scrolled to the end."""
    boxes = page.locator(".table-wrap").evaluate_all(
        "ws => ws.map((w, i) => w.scrollWidth > w.clientWidth + 1 ? i : -1)"
        ".filter(i => i >= 0)")
    assert boxes
    for index in boxes[:3]:
        box = page.locator(".table-wrap").nth(index)
        shown = {}
        for end in ("start", "end"):
            box.evaluate(f"w => {{ w.scrollLeft = {'0' if end == 'start' else 'w.scrollWidth'}; }}")
            with_cue = _edges(page, box)
            box.evaluate("w => { w.style.background = 'none'; }")
            without = _edges(page, box)
            box.evaluate("w => { w.style.background = ''; }")
            shown[end] = [a != b for a, b in zip(with_cue, without)]
        assert shown == {"start": [False, True], "end": [True, False]}, index


def _card_boxes(page, selector: str) -> list[list[float]]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; })""",
                         selector)


def test_key_figure_cards_fit_the_screen(page):
    """Every key-figure card fits the screen; on a phone the comparisons stack in one
    column and the pilot's own short figures go two a row."""
    width = page.viewport_size["width"]
    compared = _card_boxes(page, ".cards:not(.glance) .card")
    glance = _card_boxes(page, ".cards.glance .card")
    assert len(compared) > 5 and len(glance) > 5
    assert all(left >= 0 and right <= width for left, right in compared + glance)
    if width < 500:
        assert len({round(left) for left, _ in compared}) == 1
        assert len({round(left) for left, _ in glance}) == 2


def test_glance_figures_keep_to_one_line(page):
    """Each figure of the pilot at a glance (``242 974 km``) stays on one line of its
    card: checked to fail with the values set at 2.4rem."""
    wrapped = page.evaluate("""() => [...document.querySelectorAll('.cards.glance .value')]
        .filter(v => { const s = getComputedStyle(v);
                       const line = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
                       return v.getBoundingClientRect().height > 1.5 * line; })
        .map(v => v.textContent)""")
    assert wrapped == []


def test_figures_scale_to_the_screen(page):
    """Every inline SVG figure is drawn within the screen's width or, on a phone, keeps a
    readable width in a box that fits the screen and scrolls it sideways (review 11,
    item 15: at 390 pixels the labels were 4 pixels tall)."""
    figures = page.evaluate("""() => [...document.querySelectorAll('figure svg')].map(s => {
        const box = s.closest('.chart-scroll') || s;
        return [s.getBoundingClientRect().right, box.getBoundingClientRect().right,
                getComputedStyle(box).overflowX]; })""")
    width = page.viewport_size["width"]
    assert figures
    assert [f for f in figures if f[0] > width and (f[1] > width or f[2] != "auto")] == []
