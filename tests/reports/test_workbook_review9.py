"""Review 9 (items 8–10): the workbook's numbers, dates, places and titles as the page
shows them, so that what a reader pastes into a slide is what the page says."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import evaluate
from analysis.evaluation_model import Table
from reports.cell_wording import interval
from reports.formatting import format_value
from reports.i18n import catalogue
from reports.presentation import Prepared, pilot_populations
from reports.render import prepare
from reports.workbook_view import P_FORMAT, page_numbers, workbook_table
from reports.xlsx import Sheet, numbered_name, write_workbook
from surveys import read_pilot


@pytest.fixture(scope="module")
def books(demo_reports):
    """The demo's workbooks, French and English, as openpyxl reads them."""
    return {lang: load_workbook(path.parent / "tables.xlsx")
            for lang, path in demo_reports.items()}


@pytest.fixture(scope="module")
def demo_sheets(demo_reports):
    """The demo's tables as workbook sheets (French), with the pilot's populations."""
    evaluation = evaluate(read_pilot(demo_reports["fr"].parent.parent / "pilot.toml"))
    prepared = prepare(evaluation, figures=False)
    cat = catalogue("fr")
    populations = pilot_populations(prepared, cat)
    return [workbook_table(item, cat, populations) for item in prepared]


def _tables(book, lang: str = "fr"):
    """The table sheets: every sheet but the contents and the glance."""
    skip = {catalogue(lang).text("report.contents"), catalogue(lang).text("glance.title")}
    return [ws for ws in book.worksheets if ws.title not in skip]


def _numbers(ws):
    return [c for row in ws.iter_rows(min_row=2) for c in row
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]


def _sheet(book, title: str):
    """The sheet listed with ``title`` on the contents sheet."""
    listed = {t: name for name, t, *_ in book.worksheets[0].iter_rows(min_row=4,
                                                                     values_only=True)}
    return book[listed[title]]


def _decimals(code: str) -> int:
    """Digits after the decimal mark that a plain number format shows (2 more for %)."""
    digits = len(code.partition(".")[2].rstrip("%"))
    return digits + 2 if code.endswith("%") else digits


def test_no_number_of_a_table_sheet_is_in_the_general_format(books):
    """Every number of every table sheet carries a number format (none in General)."""
    for lang, book in books.items():
        general = [(ws.title, c.coordinate) for ws in _tables(book, lang)
                   for c in _numbers(ws) if c.number_format == "General"]
        assert not general, (lang, general[:5])


def test_glance_numbers_carry_the_page_format(books):
    """The glance sheet's figures carry a number format too (1 234, 61,2, 65 %)."""
    sheet = books["fr"][catalogue("fr").text("glance.title")]
    numbers = _numbers(sheet)
    assert numbers and all(c.number_format != "General" for c in numbers)


def test_contents_lists_every_title_once(books):
    """The contents sheet's titles are all different: each says its population."""
    for book in books.values():
        titles = [t for _, t, *_ in book.worksheets[0].iter_rows(min_row=4, values_only=True)
                  if t]  # the notes under the listing have no title
        assert len(set(titles)) == len(titles), sorted(t for t in titles
                                                       if titles.count(t) > 1)


def test_no_number_holds_more_digits_than_it_shows(books):
    """A number is stored rounded to the decimals its format shows (p-values excepted)."""
    for ws in _tables(books["fr"]):
        for cell in _numbers(ws):
            if cell.number_format == P_FORMAT["fr"]:
                continue
            digits = _decimals(cell.number_format)
            assert float(f"{cell.value:.{digits}f}") == cell.value, \
                (ws.title, cell.coordinate, cell.value, cell.number_format)


def test_mean_commute_distance_reads_as_on_the_page(books, demo_reports):
    """The pilot's mean home-work distance is 49.5 with one decimal, as the page's 49,5 km."""
    sheet = _sheet(books["fr"], "Le pilote face aux références")
    rows = list(sheet.iter_rows(values_only=False))
    unit = [c.value for c in rows[0]].index("Unité")
    estimate = [c.value for c in rows[0]].index("Estimation")
    km = [row[estimate] for row in rows[1:] if row[unit].value == "km"]
    assert km and {c.number_format for c in km} == {"#,##0.0"}
    page = demo_reports["fr"].read_text(encoding="utf-8")
    for cell in km:
        assert f"{cell.value:.1f}".replace(".", ",") + "\u00a0km" in page


def test_shares_are_whole_percentages_as_on_the_page(books):
    """A share is a fraction rounded to a whole percentage, formatted # ##0 %."""
    sheet = _sheet(books["fr"], "Profil des agents")
    shares = [c for c in _numbers(sheet) if c.number_format.endswith("%")]
    assert shares and {c.number_format for c in shares} == {"#,##0%"}
    assert all(float(round(c.value * 100, 9)).is_integer() for c in shares)


def test_counts_stay_integers_with_a_thousands_separator(books):
    """A count is an integer cell formatted #,##0 (1 234, as the page writes it)."""
    sheet = _sheet(books["fr"], "Sources lues, lignes gardées et écartées")
    counts = _numbers(sheet)
    assert counts and all(isinstance(c.value, int) for c in counts)
    assert {c.number_format for c in counts} == {"#,##0"}


@pytest.mark.parametrize("lang, tag", [("fr", "[$-40C]"), ("en", "[$-809]")])
def test_a_month_cell_has_a_month_date_format(books, lang, tag):
    """A monthly period is a date shown as the page's month (janvier 2015), in its language."""
    title = catalogue(lang).text("tables.attendance.by_type_zone")
    cell = _sheet(books[lang], title)["A2"]
    assert cell.is_date and cell.value.day == 1
    assert cell.number_format == tag + "mmmm yyyy"


def test_a_yearly_period_is_shown_as_its_year(books):
    """A place's yearly period is a date shown as its year (2015), as on the page."""
    sheet = _sheet(books["fr"], "Fréquentation annuelle par lieu")
    cells = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value is not None]
    assert cells and all(c.is_date and c.value.month == 1 for c in cells)
    assert {c.number_format for c in cells} == {"[$-40C]yyyy"}


def test_attendance_by_place_keeps_the_place_code_beside_its_name(books):
    """The yearly table by place gives the place's code (TL101) beside its name, as the CSV."""
    sheet = _sheet(books["fr"], "Fréquentation annuelle par lieu")
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = {row[header.index("Lieu")] for row in rows}
    names = {row[header.index("Nom")] for row in rows}
    assert all(re.fullmatch(r"TL\d+", code) for code in codes)
    assert not codes & names


def test_every_demo_sheet_title_is_unique(demo_sheets):
    """The demo's sheet titles are all different: a repeated title names its population."""
    titles = [view.title for view in demo_sheets]
    assert len(set(titles)) == len(titles), sorted(t for t in titles if titles.count(t) > 1)
    nps = [t for t in titles if t.startswith("Recommandation")]
    assert nps == ["Recommandation (score net, de −100 à +100) — Entreprises",
                   "Recommandation (score net, de −100 à +100) — Agents",
                   "Recommandation (score net, de −100 à +100) — Usagers des tiers-lieux"]


def test_demo_sheet_names_name_the_population_and_fit(demo_sheets):
    """Numbered sheet names with their population: at most 31 characters, all different."""
    names = [numbered_name(i, view.title.rsplit(" — ", 1)[0] if view.population
                           else view.title, view.population)
             for i, view in enumerate(demo_sheets, start=1)]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert sum(name.endswith("(Agents)") for name in names) >= 2


def test_interval_bounds_share_the_interval_decimals():
    """Both bounds of an interval take the decimals the page writes the interval with."""
    low = pd.Series([8.7, 0.5])
    high = pd.Series([12.34, 0.75])
    values, formats = page_numbers(low, "ci_low", other=high)
    assert values.tolist() == [8.7, 0.5] and formats.tolist() == ["#,##0.0", "#,##0.00"]
    values, formats = page_numbers(high, "ci_high", other=low)
    assert values.tolist() == [12.3, 0.75] and formats.tolist() == ["#,##0.0", "#,##0.00"]


def test_a_year_column_has_no_thousands_separator():
    """A year (2015) is written without a thousands separator; a count of 2015 with one."""
    _, years = page_numbers(pd.Series([2015, 2016]), "year")
    _, counts = page_numbers(pd.Series([2015]), "n")
    assert years.tolist() == ["0", "0"] and counts.tolist() == ["#,##0"]


def test_worded_cells_stay_words_and_numbers_are_rounded():
    """In a column mixing words and numbers, the words stay and the numbers are rounded."""
    values, formats = page_numbers(pd.Series(["non atteinte", 8.3456, None], dtype=object),
                                   "estimate")
    assert values.tolist() == ["non atteinte", 8.35, None]
    assert formats.tolist() == [None, "#,##0.00", None]


def test_profile_sheet_rounds_as_the_page_and_keeps_p_values():
    """A profile sheet: shares to whole percentages, a mean to one decimal, p to the four
    decimals its format writes under 0.05 (review 10)."""
    frame = pd.DataFrame({"variable": ["gender", "gender", "age"], "category": ["F", "M", None],
                          "statistic": ["share", "share", "mean"], "n": [40, 40, 40],
                          "estimate": [0.6543, 0.3457, 43.216], "ci_low": [0.5, 0.2, 41.04],
                          "ci_high": [0.78, 0.5, 45.45], "p_value": [0.01234, None, None]})
    table = Table("agents", frame, "tables.profile",
                  share_columns=["estimate", "ci_low", "ci_high"],
                  share_rows={"statistic": ["share"]})
    view = workbook_table(Prepared("profiles", table, frame, "p"), catalogue("fr"))
    assert view.data["Estimation"].tolist() == [0.65, 0.35, 43.2]
    assert view.formats["Estimation"].tolist() == ["#,##0%", "#,##0%", "#,##0.0"]
    assert view.data["Borne haute"].tolist()[2] == 45.5  # 41,0 – 45,5 on the page
    assert view.data["p"].tolist()[0] == 0.0123


def _page_text(value: float, code: str) -> str:
    """What a spreadsheet shows for ``value`` in the number format ``code`` (English)."""
    if code == "0":                     # a year, as the page writes it
        return str(int(value))
    percent = code.endswith("%")
    digits = len(code.partition(".")[2].rstrip("%"))
    grouped = "," if code.startswith("#,##0") else ""
    text = f"{abs(value) * (100 if percent else 1):{grouped}.{digits}f}"
    negative = value < 0 and float(text.replace(",", "")) != 0
    return ("\u2212" if negative else "") + text + ("%" if percent else "")


@pytest.mark.parametrize("column", ["estimate", "n", "year", "se", "value"])
def test_numbers_read_as_the_page_writes_them(column):
    """Over many magnitudes and rounding ties, each cell shows the page's very text."""
    rng = np.random.default_rng(9)
    values = np.concatenate([
        rng.normal(size=400) * 10.0 ** rng.integers(-4, 7, size=400),
        rng.integers(-3000, 3000, size=50).astype(float),
        [0.125, 2.675, 0.285, 0.145, 0.575, 1.005, 99.95, 9.995, 0.0010, 0.00125, -0.004,
         0.5, 0.005, 2015.0, 0.8444, 217.5],
    ])
    for share in (False, True):
        mask = np.full(len(values), share)
        shown, codes = page_numbers(pd.Series(values), column, mask)
        for value, stored, code in zip(values, shown, codes):
            page = format_value(value, column, "en", share=share)
            assert _page_text(stored, code) == page, (value, stored, code, page)


def test_interval_bounds_read_as_the_page_writes_the_interval():
    """Both bounds, as the page writes the interval they make (decimals of the larger)."""
    rng = np.random.default_rng(3)
    low = rng.normal(size=300) * 10.0 ** rng.integers(-2, 5, size=300)
    high = low + np.abs(rng.normal(size=300)) * 10.0 ** rng.integers(-2, 5, size=300)
    low[::7], high[::11] = np.round(low[::7]), np.nan
    cat = catalogue("en")
    shown_low, low_codes = page_numbers(pd.Series(low), "ci_low", other=pd.Series(high))
    shown_high, high_codes = page_numbers(pd.Series(high), "ci_high", other=pd.Series(low))
    for i in range(len(low)):
        page = interval(low[i], high[i], False, cat)
        assert page.startswith(_page_text(shown_low[i], low_codes[i])), (low[i], high[i], page)
        if not np.isnan(high[i]):
            assert page.endswith(" " + _page_text(shown_high[i], high_codes[i])), page


def test_cell_formats_are_written_alike_by_both_paths(tmp_path, monkeypatch):
    """A column with a format per cell: the fast path writes what openpyxl writes."""
    from reports import xlsx

    n = 40
    values = np.where(np.arange(n) % 3 == 0, 0.25, 12.5)
    codes = np.array(["#,##0%" if v < 1 else "#,##0.0" for v in values], dtype=object)
    codes[::5] = None
    sheet = Sheet("t", "T", pd.DataFrame({"v": values, "n": np.arange(n)}),
                  formats={"v": codes, "n": np.full(n, "#,##0", dtype=object)})
    write_workbook(tmp_path / "fast.xlsx", [sheet], contents_title="C",
                   contents_headers=["sheet", "title"])

    def refuse(*args, **kwargs):
        raise TypeError("openpyxl writes every row")

    monkeypatch.setattr(xlsx, "_rows_xml", refuse)
    write_workbook(tmp_path / "slow.xlsx", [sheet], contents_title="C",
                   contents_headers=["sheet", "title"])
    cells = [[(c.coordinate, c.value, c.number_format) for row in
              load_workbook(tmp_path / name)["t"].iter_rows() for c in row]
             for name in ("fast.xlsx", "slow.xlsx")]
    assert cells[0] == cells[1]
    assert [f for _, _, f in cells[0][2::2]] == [c or "General" for c in codes]
