"""Readability of the report, review 7b: the design table, p-values where a test is made,
empty columns, growth notes, the glossary and how many rows a table shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from analysis.evaluation_model import Table
from reports import html as report_html
from reports.html import MAX_ROWS
from reports.i18n import catalogue
from reports.methods_appendix import glossary
from reports.presentation import Prepared, filled_columns, p_values_where_tested
from reports.table_layouts import growth_notes


class _Table(HTMLParser):
    """The headers and cells of the first ``table.data`` of a piece of page: each cell's
    own text and, apart, the text of its ``detail`` line."""

    def __init__(self):
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[dict]] = []
        self._cell: dict | None = None
        self._in_detail = False
        self._in_header = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self._done:
            return
        if tag == "th" and dict(attrs).get("scope") != "row":
            self._in_header = True
            self.headers.append("")
        elif tag == "tr" and not self._in_header:
            self.rows.append([])
        elif tag in ("td", "th"):  # th scope="row": a row's label, a cell like the others
            self._cell = {"text": "", "detail": "", "hidden_text": ""}
            self.rows[-1].append(self._cell)
        elif tag == "span" and self._cell is not None:
            self._in_detail = "detail" in classes.split() or "vh" in classes.split()

    def handle_endtag(self, tag):
        if tag == "th" and self._in_header:
            self._in_header = False
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "span":
            self._in_detail = False
        elif tag == "table":
            self._done = True
            self.rows = [row for row in self.rows if row]

    def handle_data(self, data):
        if self._done:
            return
        if self._in_header:
            self.headers[-1] += data
        elif self._cell is not None:
            self._cell["detail" if self._in_detail else "text"] += data


def _section(page: str, table_id: str) -> str:
    """The piece of page from a table's heading to the next heading."""
    start = page.index(f'<h3 id="{table_id}">')
    end = re.compile(r"<h3 |<h4|</section>").search(page, start + 5)
    return page[start:end.start() if end else len(page)]


def _table(page: str, table_id: str) -> _Table:
    parser = _Table()
    parser.feed(_section(page, table_id))
    return parser


def _column(table: _Table, header: str) -> list[dict]:
    at = table.headers.index(header)
    return [row[at] for row in table.rows]


@pytest.fixture(scope="module")
def pages(demo_reports) -> dict[str, str]:
    """The demo report's HTML, in French and in English."""
    return {lang: path.read_text(encoding="utf-8") for lang, path in demo_reports.items()}


# --------------------------------------------------------------------- N10: the design table

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_design_table_names_each_source_as_its_population(pages, lang):
    """The design table's Source reads as the population (Agents), not the pilot's name."""
    cat = catalogue(lang)
    table = _table(pages[lang], "methods-design")
    cells = _column(table, cat.column("source"))
    shown = [c["text"] or c["detail"] for c in cells]
    kinds = [cat.value("kind", k) for k in ("company", "agent", "agent", "thirdplace")]
    assert [c["text"] for c in cells if c["text"]] == [kinds[0], kinds[1], kinds[3]]
    assert not {"companies", "agents", "users"} & {s.strip() for s in shown}


def test_design_table_gives_each_source_its_file(pages):
    """Beside each source, the file it was read from."""
    cells = _column(_table(pages["fr"], "methods-design"), catalogue("fr").column("source"))
    assert [c["detail"] for c in cells if c["text"]] == [
        "entreprises_cci.xlsx", "agents_cd14.csv", "tiers_lieux_limesurvey.csv"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_design_table_says_when_the_population_size_is_not_given(pages, lang):
    """A population size the pilot file does not give reads "non donnée" / "not given"."""
    cat = catalogue(lang)
    table = _table(pages[lang], "methods-design")
    sizes = [c["text"] or c["detail"] for c in _column(table, cat.column("population_size"))]
    assert sizes == [cat.text("report.not_given"), "60", "60", cat.text("report.not_given")]


def test_design_table_has_no_always_empty_strata_column(pages):
    """No source has strata in the demo: no "Strates" column, nor a repeated kind column."""
    cat = catalogue("fr")
    headers = _table(pages["fr"], "methods-design").headers
    assert cat.column("strata") not in headers and cat.column("kind") not in headers
    assert cat.column("population_size") in headers


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_design_table_says_no_source_has_strata(pages, lang):
    """The strata the title names are said to be none, in a note under the table."""
    section = _section(pages[lang], "methods-design").replace("&#39;", "'")
    assert f'<p class="note">{catalogue(lang).text("report.no_strata")}</p>' in section


def _view(frame: pd.DataFrame, section: str = "methods", key: str = "design",
          lang: str = "fr", **options) -> dict:
    """The page's view of one hand-made table."""
    table = Table(key, frame, "t", **options)
    return report_html._table_view(Prepared(section, table, frame, key), catalogue(lang))


def test_strata_column_is_shown_when_a_source_has_strata():
    """A source with strata keeps the column: only a column empty on every row goes."""
    frame = pd.DataFrame({"source": ["agents", "users"], "kind": ["agent", "thirdplace"],
                          "n": [46, 601], "population_size": [60.0, np.nan],
                          "strata": ["service", None]})
    with_strata, without = _view(frame), _view(frame.assign(strata=None))
    assert catalogue("fr").column("strata") in with_strata["headers"]
    assert catalogue("fr").column("strata") not in without["headers"]
    assert catalogue("fr").text("report.no_strata") not in with_strata["notes"]
    assert catalogue("fr").text("report.no_strata") in without["notes"]


# ------------------------------------------------------------ N9: sources of the references

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_reference_sources_list_only_reference_studies(pages, lang):
    """The appendix's list of reference sources has no row for the pilot's own sources."""
    page = pages[lang]
    start = page.index('<table class="data sources">')
    parser = _Table()
    parser.feed(page[start:])
    names = [row[0]["text"] for row in parser.rows]
    assert len(names) >= 5
    assert not {"companies", "agents", "users", "checkins"} & set(names)
    assert all(row[1]["text"].strip() for row in parser.rows)  # each has its publisher


# ------------------------------------------------------- Finding 28: p-values and empty columns

def test_standard_deviation_rows_carry_no_p_value(tmp_path):
    """In a breakdown, the p-value is on the mean's row and not on the spread's. (Built
    here: since review 11 the demo publishes no test of a numeric variable, each having a
    hidden quartile or bound.)"""
    from analysis.evaluation_model import Evaluation, Table
    from reports.render import render

    frame = pd.DataFrame({"department": ["Calvados"] * 2 + ["Orne"] * 2,
                          "variable": "age", "category": None,
                          "statistic": ["mean", "sd"] * 2, "n": 40,
                          "estimate": [41.0, 9.5, 44.0, 8.7],
                          "ci_low": [38.0, None, 41.0, None],
                          "ci_high": [44.0, None, 47.0, None],
                          "test": "kruskal", "test_statistic": 1.3, "df": 1.0,
                          "p_value": 0.254, "p_adjusted": 0.508})
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table("companies_by_department", frame,
                                             "tables.profile.company.by_department",
                                             count_column="n"))
    page = render(evaluation, tmp_path, lang="fr")[0].read_text(encoding="utf-8")
    cat = catalogue("fr")
    table = _table(page, "profiles-companies_by_department")
    # the page shows each group's mean (review 12: the spreads are in the workbook),
    # with the test's p-value on it
    means = [c["text"] for c in _column(table, cat.text("report.profile_mean"))]
    p_values = [c["text"] for c in _column(table, cat.column("p_adjusted"))]
    assert means == ["41", "44"] and "9,5" not in page
    assert len(p_values) == 2 and all(re.fullmatch(r"[\d,<\s]+", p) for p in p_values)


def test_p_values_of_a_spread_are_emptied_in_the_page_only():
    """p_value and p_adjusted are emptied on standard deviation and quartile rows (the
    variable's test is written once, on the mean's row); shares unchanged."""
    frame = pd.DataFrame({"statistic": ["share", "mean", "sd", "median", "q3"],
                          "p_value": [0.2, 0.3, 0.3, 0.3, 0.3],
                          "p_adjusted": [0.4, 0.6, 0.6, 0.6, 0.6]})
    out = p_values_where_tested(frame)
    assert out["p_adjusted"].isna().tolist() == [False, False, True, True, True]
    assert out["p_value"].isna().tolist() == [False, False, True, True, True]
    assert frame["p_adjusted"].notna().all()  # the table itself is not changed


@pytest.mark.parametrize("table_id", ["profiles-agents", "profiles-companies", "profiles-users"])
def test_single_group_profile_has_no_p_value_column(pages, table_id):
    """A profile of one group tests nothing: it has no "p ajustée" column."""
    assert catalogue("fr").column("p_adjusted") not in _table(pages["fr"], table_id).headers


def test_breakdown_keeps_its_p_value_column(pages):
    """A profile by group, where groups are tested, keeps its "p ajustée" column."""
    headers = _table(pages["fr"], "profiles-users_by_status").headers
    assert catalogue("fr").column("p_adjusted") in headers


def test_turnbull_table_has_no_empty_interval_column(pages):
    """Turnbull's curve has no confidence interval: no column that is always empty."""
    headers = _table(pages["fr"], "retention-users_bands_curve").headers
    assert catalogue("fr").column("ci") not in headers
    assert catalogue("fr").column("mass") in headers


def test_estimate_worded_when_missing_is_kept(pages):
    """A quantile table whose estimates are all "not reached" keeps its estimate column."""
    cat = catalogue("fr")
    table = _table(pages["fr"], "retention-agents_stays_median")
    estimates = [c["text"] for c in _column(table, cat.column("estimate"))]
    assert estimates == [cat.text("report.not_reached")] * 3


def test_filled_columns_keeps_a_column_with_one_value():
    """A column with a single value somewhere is kept; an all-empty one (blank text too) is not."""
    frame = pd.DataFrame({"a": [None, 1.0], "b": [np.nan, np.nan], "c": ["", " "],
                          "d": [None, "x"]})
    assert filled_columns(frame, ["a", "b", "c", "d"]) == ["a", "d"]


# ------------------------------------------------------------------ N14: the growth table

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_growth_table_says_first_full_year(pages, lang):
    """The growth table's first year is headed as the first full year."""
    headers = _table(pages[lang], "attendance-growth").headers
    assert catalogue(lang).column("first_year") in headers
    assert catalogue(lang).column("first_year") in ("Première année complète", "First full year")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_growth_table_names_the_places_it_leaves_out(pages, lang):
    """Argentan (no full year) and L'Aigle (one full year) are named under the table."""
    section = _section(pages[lang], "attendance-growth").replace("&#39;", "'")
    notes = re.findall(r'<p class="note">(.*?)</p>', section)
    cat = catalogue(lang)
    absent = cat.text("report.growth_no_year", places="Coworking d'Argentan")
    single = cat.text("report.growth_one_year", places="Coworking de L'Aigle, "
                      "Coworking de Lisieux, Coworking de Vire")
    assert absent in notes and single in notes
    assert cat.text("report.growth_full_years") in notes


def test_growth_notes_only_name_places_that_need_it():
    """Where every place has two full years, the note gives only the rule."""
    frame = pd.DataFrame({"place_id": ["P1"], "first_year": [2015], "last_year": [2017]})
    cat = catalogue("fr")
    assert growth_notes(frame, {"P1": "Hub"}, cat) == [cat.text("report.growth_full_years")]
    assert growth_notes(frame.rename(columns={"first_year": "year"}), {}, cat) == []


# ----------------------------------------------------------------- Finding 25: the glossary

_TERMS = ("ci", "net", "nps", "turnbull", "mass", "user_days", "returning", "occupancy",
          "reversed", "margin", "effect_size")


def _glossary(page: str) -> dict[str, str]:
    block = page[page.index('id="glossary"'):]
    block = block[:block.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block)
    return {term.replace("&#39;", "'"): text for term, text in pairs}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glossary_explains_the_report_jargon(pages, lang):
    """The appendix's glossary explains each term the report uses, one sentence each."""
    cat = catalogue(lang)
    glossary = _glossary(pages[lang])
    assert list(glossary) == [cat.text(f"glossary.{k}.term") for k in _TERMS]
    for text in glossary.values():
        assert text.endswith(".") and text.count(". ") == 0


def test_reading_guide_links_to_the_glossary(pages):
    """The summary's reading guide points to the glossary, which is in the appendix."""
    page = pages["fr"]
    assert '<a href="#glossary">' in page[:page.index('id="methods"')]
    assert page.index('id="glossary"') > page.index('id="methods"')


def test_glossary_terms_are_the_labels_the_tables_use():
    """Each glossary term is found by the heading the tables show (a renamed column
    would otherwise drop it silently)."""
    for lang in ("fr", "en"):
        cat = catalogue(lang)
        for key, column in (("mass", "mass"), ("user_days", "user_days"),
                            ("returning", "returning_users"), ("occupancy", "occupancy"),
                            ("reversed", "reversed_suspect")):
            assert cat.text(f"glossary.{key}.match") == cat.column(column)
        assert cat.text("glossary.margin.match").casefold() == cat.column("margin").casefold()
        assert cat.value("statistic", "net").startswith(cat.text("glossary.net.match"))


def test_glossary_leaves_out_terms_the_page_does_not_use():
    """A page without check-in tables has no user-days or occupancy in its glossary."""
    cat = catalogue("fr")
    parts = [{"headers": ["Estimation", cat.column("mass")], "notes": ["IC 95\u00a0% : 1 – 2"]}]
    terms = [entry["term"] for entry in glossary(parts, cat)]
    assert terms == [cat.text("glossary.ci.term"), cat.text("glossary.mass.term")]


# ------------------------------------------------------------- Finding 30: rows of a table

def test_comparisons_table_shows_every_row(pages, demo_reports):
    """The 40 comparisons are all on the page: each key-figure card has its row."""
    csv = pd.read_csv(demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv")
    table = _table(pages["fr"], "baselines-comparisons")
    assert len(table.rows) == len(csv) == 40
    assert "premières lignes" not in _section(pages["fr"], "baselines-comparisons")


def test_card_row_of_the_companies_profile_is_shown(pages):
    """The glance card "poursuivent le télétravail" (74 %) has its row in the profile."""
    cat = catalogue("fr")
    card = re.search(r"poursuivent le télétravail après le pilote</p>\s*"
                     r'<p class="value">([^<]+)</p>', pages["fr"]).group(1)
    table = _table(pages["fr"], "profiles-companies")
    estimates = [c["text"] for c in _column(table, cat.text("report.profile_estimate"))]
    assert card == "74\u202f%" and card in estimates
    assert "premières lignes" not in _section(pages["fr"], "profiles-companies")


def test_long_table_is_cut_between_two_variables(pages, demo_reports):
    """A table longer than the page's limit stops at the end of a variable, not inside it."""
    from reports.table_layouts import profile_rows

    csv = pd.read_csv(demo_reports["fr"].parent / "csv" / "profiles_users_by_status.csv")
    rows = csv.iloc[profile_rows(csv)[0]]   # a profile's page rows: shares and means
    section = _section(pages["fr"], "profiles-users_by_status")
    shown = int(re.search(rf"(\d+) premières lignes sur {len(rows)}", section).group(1))
    assert 0 < shown <= MAX_ROWS
    assert rows["variable"].iloc[shown - 1] != rows["variable"].iloc[shown]


def test_row_limit_shows_short_tables_whole():
    """Up to MAX_ROWS rows a table is whole; past it, cut at the last group boundary."""
    short = pd.DataFrame({"variable": ["a"] * MAX_ROWS, "n": range(MAX_ROWS)})
    assert report_html._row_limit(short, ["variable", "n"]) == MAX_ROWS
    long = pd.DataFrame({"variable": ["a"] * 10 + ["b"] * MAX_ROWS, "n": range(MAX_ROWS + 10)})
    assert report_html._row_limit(long, ["variable", "n"]) == 10
    one = pd.DataFrame({"variable": ["a"] * (MAX_ROWS + 5), "n": range(MAX_ROWS + 5)})
    assert report_html._row_limit(one, ["variable", "n"]) == MAX_ROWS


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_quality_table_names_each_source_as_its_population(pages, lang):
    """The data-quality table's Source reads as the population (Agents), its file beside
    it, without the kind column that said the same (review finding 22)."""
    cat = catalogue(lang)
    table = _table(pages[lang], "quality-summary")
    assert cat.column("kind") not in table.headers
    sources = {c["text"] for c in _column(table, cat.column("source")) if c["text"]}
    assert cat.value("kind", "agent") in sources and cat.value("kind", "company") in sources
    assert not {"companies", "agents", "users", "checkins", "places"} & sources
