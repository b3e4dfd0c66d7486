"""The workbook's sheets: the report's table, in the report's language, numbers kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import evaluate
from analysis.evaluation_model import Table
from reports.html import MAX_ROWS
from reports.presentation import Prepared
from reports.i18n import catalogue
from reports.render import prepare
from reports.suppression import SUPPRESSED
from reports.table_layouts import is_cohort_table
from reports.workbook_view import P_FORMAT, workbook_table
from surveys import demo, read_pilot


def _profile(**extra) -> Prepared:
    frame = pd.DataFrame({
        "variable": ["gender", "gender", "age"],
        "category": ["F", "M", None],
        "statistic": ["share", "share", "mean"],
        "n": [40, 40, 40],
        "estimate": [0.65, 0.35, 43.2],
        "se": [0.07, 0.07, 1.1],
        "ci_low": [0.5, 0.2, 41.0],
        "ci_high": [0.78, 0.5, 45.4],
        "method": ["logit", "logit", "t"],
        **extra,
    })
    table = Table("agents", frame, "tables.profile", share_columns=["estimate", "ci_low", "ci_high"])
    return Prepared("profiles", table, frame, "profiles_agents")


def test_headings_in_the_report_language():
    """Headings come from the catalogue, in French and in English."""
    fr = workbook_table(_profile(), catalogue("fr")).data.columns.tolist()
    en = workbook_table(_profile(), catalogue("en")).data.columns.tolist()
    assert fr[:3] == ["Variable", "Modalité", "Statistique"]
    assert "Estimation" in fr and "Estimate" in en


def test_interval_given_as_two_numeric_bounds():
    """The interval the HTML merges into one text is two number columns here."""
    data = workbook_table(_profile(), catalogue("fr")).data
    assert data["Borne basse"].tolist() == [0.5, 0.2, 41.0]
    assert data["Borne haute"].tolist() == [0.78, 0.5, 45.4]


def test_detail_columns_left_to_the_csv():
    """Standard errors and method codes, hidden in the HTML, are not in the sheet."""
    data = workbook_table(_profile(), catalogue("fr")).data
    assert not {"Erreur type", "se", "method", "Méthode"} & set(data.columns)


def test_shares_marked_per_row():
    """Share rows are marked as percentages; a mean in the same column is not."""
    view = workbook_table(_profile(), catalogue("fr"))
    assert view.percent["Estimation"].tolist() == [True, True, False]
    assert view.data["Estimation"].tolist() == [0.65, 0.35, 43.2]


def test_category_labelled_by_its_variable():
    """A category code is labelled as a code of the row's variable, variable names too."""
    data = workbook_table(_profile(), catalogue("fr")).data
    assert data["Variable"].tolist()[0] == "Genre"
    assert data["Modalité"].tolist()[:2] == [catalogue("fr").value("gender", "F"),
                                             catalogue("fr").value("gender", "M")]
    assert data["Modalité"].tolist()[2] is None


def test_suppressed_cells_are_empty():
    """A hidden row has empty numbers, never the value."""
    view = workbook_table(_profile(**{SUPPRESSED: [False, True, False]}), catalogue("fr"))
    row = view.data.iloc[1]
    assert np.isnan(row["Estimation"]) and np.isnan(row["Effectif"])
    assert not view.percent["Estimation"][1]
    assert view.data["Estimation"].iloc[0] == 0.65


def test_every_row_kept():
    """The sheet holds every row, not only the rows the HTML shows."""
    n = MAX_ROWS * 3
    frame = pd.DataFrame({"time": np.arange(n, dtype=float), "estimate": np.linspace(1, 0.5, n),
                          "n": np.arange(n, 0, -1)})
    table = Table("curve", frame, "t", share_columns=["estimate"])
    data = workbook_table(Prepared("retention", table, frame, "c"), catalogue("fr")).data
    assert len(data) == n


def test_verdict_in_words():
    """A baseline comparison carries its plain-language verdict in the report's language."""
    frame = pd.DataFrame({"indicator": ["manager"], "estimate": [0.6], "baseline": [0.3],
                          "p_adjusted": [0.001], "n": [40]})
    table = Table("comparisons", frame, "t", share_columns=["estimate", "baseline"])
    prepared = Prepared("baselines", table, frame, "b")
    fr = workbook_table(prepared, catalogue("fr")).data
    en = workbook_table(prepared, catalogue("en")).data
    assert fr.iloc[0, -1] == catalogue("fr").text("verdict.higher")
    assert en.iloc[0, -1] == catalogue("en").text("verdict.higher")


@pytest.fixture(scope="module")
def demo_views(tmp_path_factory):
    """Every table of the demo evaluation as workbook sheets, in both languages."""
    evaluation = evaluate(read_pilot(demo(tmp_path_factory.mktemp("wb") / "pilot")))
    prepared = prepare(evaluation, figures=False)
    return prepared, {lang: [workbook_table(p, catalogue(lang)) for p in prepared]
                      for lang in ("fr", "en")}


def test_demo_headings_all_labelled(demo_views):
    """No sheet of the demo shows a machine column name as its heading in French."""
    prepared, views = demo_views
    for item, view in zip(prepared, views["fr"]):
        machine = [c for c in view.data.columns if "_" in c]
        assert not machine, (item.stem, machine)


def test_demo_rows_and_numbers_kept(demo_views):
    """Each sheet has the table's rows, and its number columns hold the table's numbers
    (a quantile the curve never reached is worded "non atteinte", as on the page; a
    cohort table is a triangle: a row per cohort, a column per month since arrival)."""
    prepared, views = demo_views
    for item, view in zip(prepared, views["fr"]):
        if is_cohort_table(item.data):  # tests/reports/test_workbook_cohorts.py
            cells = (item.data["cohort"].nunique(), 2 + item.data["period_index"].nunique())
            assert view.data.shape == cells, item.stem
            continue
        assert len(view.data) == len(item.data), item.stem
        if "estimate" in item.data.columns and "Estimation" in view.data.columns:
            column = view.data["Estimation"]
            worded = column.map(lambda v: isinstance(v, str))
            assert set(column[worded]) <= {catalogue("fr").text("report.not_reached")}
            assert item.data["estimate"][worded.to_numpy()].isna().all(), item.stem
            shown = pd.to_numeric(column.where(~worded)).to_numpy(dtype=float)
            given = pd.to_numeric(item.data["estimate"]).to_numpy(dtype=float)
            hidden = (item.data[SUPPRESSED].to_numpy(dtype=bool)
                      if SUPPRESSED in item.data.columns else np.zeros(len(given), bool))
            # rounded as the page shows them: within half a unit of the last digit shown
            codes = np.asarray(view.formats["Estimation"], dtype=object)[~hidden]
            digits = np.array([len(c.partition(".")[2].rstrip("%")) + 2 * c.endswith("%")
                               if isinstance(c, str) else 0 for c in codes])
            gap = np.abs(shown[~hidden] - given[~hidden])
            assert (gap[~np.isnan(gap)] <= 0.5 * 10.0 ** -digits[~np.isnan(gap)] + 1e-12).all()
            assert np.isnan(shown[hidden]).all()


def test_demo_french_sheets_carry_no_english_labels(demo_views):
    """No text cell of a French sheet is an English catalogue label (codes, verdicts)."""
    prepared, views = demo_views
    en, fr = catalogue("en"), catalogue("fr")
    english = {text for key, text in en.messages.items()
               if key.startswith(("values.", "verdict.")) and isinstance(text, str)
               and fr.messages.get(key) not in (None, text)}
    for item, view in zip(prepared, views["fr"]):
        cells = set(view.data.select_dtypes(include="object").stack().astype(str))
        assert not cells & english, (item.stem, sorted(cells & english)[:5])


def test_workbook_formats_shares_cell_by_cell(tmp_path):
    """In the workbook, a share shows as a percentage and a mean in the same column does not."""
    from openpyxl import load_workbook

    from analysis.evaluation_model import Evaluation
    from reports import render

    prepared = _profile()
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(prepared.table)
    render(evaluation, tmp_path, lang="fr")
    sheet = load_workbook(tmp_path / "tables.xlsx").worksheets[1]
    headings = [c.value for c in sheet[1]]
    column = headings.index("Estimation") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3, 4)]
    assert [c.value for c in cells] == [0.65, 0.35, 43.2]
    assert [c.number_format for c in cells] == ["#,##0%", "#,##0%", "#,##0.0"]


def test_workbook_long_uniform_table_keeps_formats(tmp_path):
    """A long table whose share column is uniform is written fast, every cell a percentage."""
    from openpyxl import load_workbook

    from analysis.evaluation_model import Evaluation
    from reports import render

    n = 500
    frame = pd.DataFrame({"time": np.arange(n, dtype=float), "n": np.arange(n, 0, -1) + 10,
                          "estimate": np.linspace(1, 0.5, n)})
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("retention").add(Table("curve", frame, "t", count_column="n",
                                              share_columns=["estimate"]))
    render(evaluation, tmp_path, lang="fr")
    sheet = load_workbook(tmp_path / "tables.xlsx").worksheets[1]
    column = [c.value for c in sheet[1]].index("Estimation") + 1
    formats = {sheet.cell(row=r, column=column).number_format for r in range(2, n + 2)}
    assert formats == {"#,##0%"}
    assert sheet.cell(row=n + 1, column=column).value == pytest.approx(0.5)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_p_values_get_a_readable_number_format(lang):
    """A p-value column is shown "< 0,001" below 0.001 (not 1,5E-19), with four decimals
    below 0.05 (0.0496 is not shown 0.050) and three above; the cell holds the number
    with the decimals the format writes (review 10: full precision helped invert a test),
    so 1.5e-19 is stored with one significant digit (2e-19, not 0) and reads "< 0,001"."""
    prepared = _profile(p_value=[1.5e-19, 0.0496, 0.62])
    view = workbook_table(prepared, catalogue(lang))
    heading = catalogue(lang).column("p_value")
    assert view.formats[heading] == P_FORMAT[lang]
    assert view.data[heading].tolist() == [2e-19, 0.0496, 0.62]


def test_p_value_format_reaches_every_cell_of_the_sheet(tmp_path):
    """The workbook's p-value cells carry the format (fast path), the values exact."""
    from openpyxl import load_workbook

    from reports.xlsx import Sheet, write_workbook

    data = pd.DataFrame({"p": [1.5e-19, np.nan, 0.0496, 0.62], "n": [1, 2, 3, 4]})
    path = write_workbook(tmp_path / "t.xlsx", [Sheet("s", "s", data, formats={"p": "0.000"})],
                          contents_title="c", contents_headers=["a", "b", "c"])
    sheet = load_workbook(path)["s"]
    cells = [sheet.cell(row=r, column=1) for r in (2, 4, 5)]
    assert [c.value for c in cells] == [1.5e-19, 0.0496, 0.62]
    assert {c.number_format for c in cells} == {"0.000"}
    assert sheet.cell(row=2, column=2).number_format == "General"


def _sheet_rows(demo_reports, prefix: str, lang: str = "fr") -> list[tuple]:
    """The rows of the demo workbook's sheet whose title starts with ``prefix``."""
    from openpyxl import load_workbook

    book = load_workbook(demo_reports[lang].parent / "tables.xlsx", read_only=True)
    listed = book.worksheets[0].iter_rows(min_row=4, values_only=True)  # name, title
    sheet = next(book[name] for name, title, *_ in listed
                 if isinstance(title, str) and title.startswith(prefix))
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_quality_and_design_sheets_name_sources_as_the_page_does(demo_reports):
    """The data-quality and survey-design sheets name each source as its population,
    without the kind column, and say "non donnée" for a population size not given."""
    cat = catalogue("fr")
    for prefix in ("Sources lues", "Plan d'enquête"):
        header, *rows = _sheet_rows(demo_reports, prefix)
        sources = {row[header.index(cat.column("source"))] for row in rows}
        assert cat.value("kind", "agent") in sources
        assert not {"agents", "companies", "users"} & sources
        assert cat.column("kind") not in header
    header, *rows = _sheet_rows(demo_reports, "Plan d'enquête")
    sizes = [row[header.index(cat.column("population_size"))] for row in rows]
    assert cat.text("report.not_given") in sizes and 60 in sizes


def test_quantile_sheets_name_the_quartiles(demo_reports):
    """A quantile table's level reads "Médiane", not 0.5; an estimate the curve never
    reached reads "non atteinte", as on the page."""
    cat = catalogue("fr")
    header, *rows = _sheet_rows(demo_reports, "Durée d'engagement")
    levels = [row[header.index(cat.column("probability"))] for row in rows]
    assert levels == [cat.text("report.quartile_1"), cat.text("report.median"),
                      cat.text("report.quartile_3")]
    estimates = {row[header.index(cat.column("estimate"))] for row in rows}
    assert None not in estimates


def test_hidden_comparisons_keep_the_published_reference_figure(demo_reports):
    """A masked comparison row still shows the reference's published share (a public
    figure): 64 % for Randstad's wish to telework, on the page and in the workbook."""
    cat = catalogue("fr")
    header, *rows = _sheet_rows(demo_reports, "Le pilote face")
    baseline = header.index(cat.column("baseline"))
    estimate = header.index(cat.column("estimate"))
    masked = [row for row in rows if row[estimate] is None and row[baseline] is not None]
    assert 0.64 in {row[baseline] for row in masked}


def test_growth_sheet_names_the_places(demo_reports):
    """The growth sheet gives each place by its name, as the page does."""
    cat = catalogue("fr")
    header, *rows = _sheet_rows(demo_reports, "Évolution de la")
    places = [row[header.index(cat.column("place_id"))] for row in rows]
    assert all(not str(place).startswith("TL") for place in places)


def test_masked_cohort_rows_keep_their_month(demo_reports):
    """A masked cohort cell keeps its "months since arrival", so the reader sees which
    month is hidden (review 7b, N15): in the triangle, the column heading names it and
    every row names its month of arrival."""
    cat = catalogue("fr")
    header, *rows = _sheet_rows(demo_reports, "Usagers encore actifs, par")
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "retention_checkins_cohorts.csv")
    masked = table.loc[table[SUPPRESSED], "period_index"].unique()
    assert len(masked) and all(cat.text("report.cohort_since", months=int(k)) in header
                               for k in masked)
    assert all(row[0] is not None for row in rows)


def test_impact_sheet_gives_the_population_interval(demo_reports):
    """The impact sheet holds the whole-population interval the report's cards give."""
    cat = catalogue("fr")
    header, *rows = _sheet_rows(demo_reports, "Déplacements évités")
    assert cat.column("population_ci_low") in header
    assert cat.column("population_ci_high") in header
