"""The demo report for screen readers, phones and paper (editorial review 11, items 15-17):
headings in order, figures named by their heading and caption, rows labelled by a row
header, figures and wide tables readable on a phone, a way back to the contents, and a
print layout without blank pages before tall figures."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

LANGS = ["fr", "en"]
#: Elements without an end tag.
_VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "source"}


class _Node:
    """An element of the page: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node] = []
        self.content: list[_Node | str] = []   # text and children, in order

    def text(self) -> str:
        """The element's text, its children's included, spaces collapsed."""
        pieces: list[str] = []

        def walk(node):
            for part in node.content:
                if isinstance(part, str):
                    pieces.append(part)
                else:
                    walk(part)
        walk(self)
        return " ".join("".join(pieces).split())

    def iter(self, tag: str | None = None):
        """The element and every element under it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Tree(HTMLParser):
    """The page as a tree of :class:`_Node` (the report's markup is well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = _Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.current.content.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.current.content.append(node)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.content.append(data)


def _parse(path: Path) -> _Node:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    return tree.root


@pytest.fixture(scope="module", params=LANGS)
def page(request, demo_reports) -> _Node:
    """The demo report in French and in English, parsed."""
    return _parse(demo_reports[request.param])


def _headings(root: _Node) -> list[tuple[int, str]]:
    return [(int(n.tag[1]), n.text()) for n in root.iter()
            if len(n.tag) == 2 and n.tag[0] == "h" and n.tag[1] in "123456"]


def test_no_heading_skips_a_level(page):
    """From the title (h1) on, each heading is at most one level below the one before
    (the methods appendix's sub-heads were h4 right under its h2)."""
    headings = _headings(page)
    assert headings[0][0] == 1
    skips = [(a, b) for a, b in zip(headings, headings[1:]) if b[0] > a[0] + 1]
    assert skips == []


def test_heading_check_finds_a_skipped_level():
    """The heading walk sees an h4 right under an h2 (the page as it was)."""
    tree = _Tree()
    tree.feed("<h1>T</h1><h2>Annexe</h2><h4>Estimateurs</h4>")
    headings = _headings(tree.root)
    assert [(a, b) for a, b in zip(headings, headings[1:]) if b[0] > a[0] + 1] != []


def test_appendix_sub_heads_are_h3_and_its_tables_below_them(page):
    """The appendix's sub-heads are h3 and the technical tables under them h4."""
    appendix = next(n for n in page.iter("section") if n.attrs.get("id") == "methods")
    levels = [level for level, _ in _headings(appendix)]
    assert levels[0] == 2 and 4 not in levels[:2]
    assert levels.count(3) >= 5


def test_ids_are_unique(page):
    """No two elements of the page, SVG figures included, share an id."""
    ids = [n.attrs["id"] for n in page.iter() if "id" in n.attrs]
    assert len(ids) > 50
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_each_figure_is_an_image_named_by_its_heading_and_caption(page):
    """Every figure's SVG has role="img" and aria-labelledby naming its table's heading
    and its own caption, both in the page and with words in them; a figure with every
    bar hidden is its line of text, a paragraph, not an image."""
    by_id = {n.attrs["id"]: n for n in page.iter() if "id" in n.attrs}
    figures = [n for n in page.iter("figure") if n.has_class("chart")]
    assert len(figures) >= 5
    drawn = [f for f in figures if next(f.iter("svg"), None) is not None]
    assert len(drawn) >= 5
    for figure in figures:
        if figure not in drawn:
            note = next(p for p in figure.iter("p") if p.has_class("chart-note"))
            assert len(note.text()) > 20
            continue
        svg = next(figure.iter("svg"))
        caption = next(figure.iter("figcaption"))
        assert svg.attrs.get("role") == "img"
        names = svg.attrs.get("aria-labelledby", "").split()
        assert caption.attrs.get("id") in names
        assert all(name in by_id for name in names), names
        heading = by_id[names[0]]
        assert heading.tag in {"h3", "h4"}
        assert len(" ".join(by_id[name].text() for name in names)) > 10


def _data_tables(page: _Node) -> list[_Node]:
    return [n for n in page.iter("table") if n.has_class("data")]


def test_label_columns_are_row_headers(page):
    """In a table whose first column is a label, each body row starts with a
    ``th scope="row"``; a table whose first column is a number keeps a td there."""
    with_labels = 0
    for table in _data_tables(page):
        first_header = next(table.iter("thead")).children[0].children[0]
        label = not first_header.has_class("num")
        for row in next(table.iter("tbody")).children:
            cells = row.children
            assert (cells[0].tag, cells[0].attrs.get("scope")) == \
                (("th", "row") if label else ("td", None)), table.attrs
            assert all(cell.tag == "td" for cell in cells[1:])
        with_labels += label
    assert with_labels >= 20


def _open(chromium, report: Path, width: int, media: str = "screen"):
    """The report in a new offline page ``width`` pixels wide."""
    context = chromium.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.emulate_media(media=media)
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    page.errors = errors
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_row_headers_look_like_the_cells_they_were(chromium, demo_reports, lang):
    """A row header is drawn like the text cells of its row: same weight, alignment,
    border and padding (only screen readers tell it apart)."""
    page = _open(chromium, demo_reports[lang], 1280)
    try:
        differences = page.evaluate("""() => {
            const keys = ['fontWeight', 'textAlign', 'borderBottomWidth', 'borderBottomColor',
                          'paddingTop', 'paddingBottom', 'verticalAlign', 'fontSize'];
            return [...document.querySelectorAll('table.data tbody th[scope=row]')]
              .map(th => [th, th.parentElement.querySelector('td:not(.num)')])
              .filter(([th, td]) => td)
              .flatMap(([th, td]) => { const a = getComputedStyle(th), b = getComputedStyle(td);
                  return keys.filter(k => a[k] !== b[k]).map(k => k + ': ' + a[k] + ' / ' + b[k]); });
        }""")
    finally:
        page.context.close()
    assert sorted(set(differences)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_phone_figures_keep_a_readable_width_in_a_scrolling_box(chromium, demo_reports, lang):
    """At 390 pixels every figure keeps at least 560 pixels of width (its labels
    readable) inside a box that fits the screen and scrolls sideways; the page itself
    does not scroll sideways."""
    page = _open(chromium, demo_reports[lang], 390)
    try:
        boxes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].map(svg => {
            const box = svg.closest('.chart-scroll'); const r = box.getBoundingClientRect();
            return [svg.getBoundingClientRect().width, getComputedStyle(box).overflowX,
                    r.left >= 0 && r.right <= document.documentElement.clientWidth,
                    box.scrollWidth > box.clientWidth]; })""")
        page_width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        page.context.close()
    assert boxes
    assert [b for b in boxes if b[0] < 560 or b[1:] != ["auto", True, True]] == []
    assert page_width <= 390


def test_wide_figures_fit_a_desktop_screen(chromium, demo_reports):
    """At 1280 pixels no figure scrolls: the phone's minimum width is for phones only."""
    page = _open(chromium, demo_reports["fr"], 1280)
    try:
        scrolling = page.evaluate("""() => [...document.querySelectorAll('.chart-scroll')]
            .filter(b => b.scrollWidth > b.clientWidth + 1).length""")
    finally:
        page.context.close()
    assert scrolling == 0


@pytest.mark.parametrize("lang", LANGS)
def test_phone_wide_table_keeps_its_row_labels_in_view(chromium, demo_reports, lang):
    """At 390 pixels, a wide table scrolled sideways keeps its row headers at the left
    edge of its box while its numbers move under them."""
    page = _open(chromium, demo_reports[lang], 390)
    try:
        moves = page.evaluate("""() => {
            const wrap = document.querySelector('#profiles-agents ~ .table-wrap');
            const row = wrap.querySelector('tbody tr');
            const where = () => [row.querySelector('th').getBoundingClientRect().left,
                                 row.querySelector('td:last-child').getBoundingClientRect().left];
            const before = where(); wrap.scrollLeft = 200; const after = where();
            return [wrap.scrollWidth > wrap.clientWidth, after[0] - before[0],
                    before[1] - after[1], wrap.scrollLeft]; }""")
    finally:
        page.context.close()
    # the numbers move by the whole scroll (the profile's reader columns make the table
    # narrower than 200 px more than the screen: it scrolls as far as it goes)
    assert moves[0] and abs(moves[1]) < 0.5 and moves[3] > 40
    assert abs(moves[2] - moves[3]) < 0.5


def test_each_section_ends_with_a_link_back_to_the_contents(page):
    """Every section ends with « ↑ » and the contents heading, linking to the contents."""
    contents = next(n for n in page.iter("nav") if n.attrs.get("id") == "contents")
    title = next(contents.iter("h2")).text()
    sections = [n for n in page.iter("section") if n.has_class("block")]
    assert len(sections) >= 5
    for section in sections:
        last = section.children[-1]
        link = next(last.iter("a"))
        assert last.has_class("to-contents") and link.attrs["href"] == "#contents"
        assert link.text() == f"↑ {title}"


@pytest.mark.parametrize("lang", LANGS)
def test_back_links_stay_off_paper(chromium, demo_reports, lang):
    """The links back to the contents are shown on screen and not printed."""
    shown = {}
    for media in ("screen", "print"):
        page = _open(chromium, demo_reports[lang], 1280, media)
        try:
            shown[media] = page.evaluate("""() => [...document.querySelectorAll('.to-contents')]
                .map(p => getComputedStyle(p).display !== 'none')""")
        finally:
            page.context.close()
    assert shown["screen"] and all(shown["screen"]) and not any(shown["print"])


def test_print_figures_fit_a_page_with_their_section_title(chromium, demo_reports):
    """On paper no figure is taller than 19 cm (the comparison with the references was
    33 cm and left a blank page before it), and none is stretched wider than drawn."""
    page = _open(chromium, demo_reports["fr"], 700, "print")
    try:
        sizes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].map(s => {
            const r = s.getBoundingClientRect(); const v = s.viewBox.baseVal;
            return [r.height, Math.abs(r.width / r.height - v.width / v.height)]; })""")
    finally:
        page.context.close()
    assert max(h for h, _ in sizes) <= 19 / 2.54 * 96 + 0.5
    assert max(ratio for _, ratio in sizes) < 0.01


def test_print_glossary_breaks_between_entries_in_two_columns(chromium, demo_reports):
    """On paper the glossary may break between its entries (a term stays with its
    definition) and its terms' column is at most 14rem wide, whatever its longest term."""
    page = _open(chromium, demo_reports["fr"], 700, "print")
    try:
        style = page.evaluate("""() => { const g = document.querySelector('#glossary');
            const dt = g.querySelector('dt'), dd = g.querySelector('dd');
            const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
            return [getComputedStyle(g).breakInside, getComputedStyle(dt).breakInside,
                    getComputedStyle(dd).breakInside, dt.getBoundingClientRect().width / rem,
                    dd.getBoundingClientRect().left > dt.getBoundingClientRect().right]; }""")
    finally:
        page.context.close()
    assert style[:3] == ["auto", "avoid", "avoid"]
    assert 8 <= style[3] <= 14.01 and style[4]


@pytest.mark.parametrize("width", [390, 1280])
def test_page_logs_no_console_error(chromium, demo_reports, width):
    """The page, with its sticky labels and scroll-linked shadows, logs no error."""
    page = _open(chromium, demo_reports["fr"], width)
    try:
        errors = list(page.errors)
    finally:
        page.context.close()
    assert errors == []
