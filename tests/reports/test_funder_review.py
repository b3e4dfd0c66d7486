"""The report after the funder's second reading: each survival figure captioned for what
it draws, no heading left without content, no instruction to the analyst, key figures
that say what they measure, baseline groups that name their population."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import baselines
from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.formatting import NNBSP
from reports.i18n import catalogue
from reports.render import prepare


def _html(tmp_path, *tables: tuple[str, Table], lang: str = "fr",
          quality: pd.DataFrame | None = None) -> str:
    evaluation = Evaluation("Pilote", min_cell=5)
    if quality is not None:
        evaluation.section("quality").add(Table("summary", quality, "tables.quality"))
    for section, table in tables:
        evaluation.section(section).add(table)
    return render(evaluation, tmp_path, lang=lang)[0].read_text(encoding="utf-8")


def _captions(page: str) -> list[str]:
    return [htmllib.unescape(c) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page)]


def _turnbull(reference: bool = True) -> Table:
    """A curve shaped like the evaluation's banded-seniority table (Turnbull, no bounds)."""
    curve = pd.DataFrame({"time": [0.0, 3.0, 6.0, 12.0], "survival": [1.0, 0.85, 0.69, 0.42],
                          "ci_low": np.nan, "ci_high": np.nan, "mass": [0.0, 0.15, 0.16, 0.27],
                          "n": 601.0, "method": "Turnbull NPMLE", "curve": "pilot",
                          "reference": False})
    if reference:
        curve = pd.concat([curve, pd.DataFrame({
            "time": [0.0, 3.0, 6.0], "survival": [1.0, 0.86, 0.69], "curve": "aquitaine-2016",
            "reference": True})], ignore_index=True)
    return Table("users_bands_curve", curve, "tables.retention.bands", count_column="n",
                 figure="km_curve", share_columns=["survival", "mass"])


def _kaplan_meier() -> Table:
    curve = pd.DataFrame({"time": [1.0, 2.0, 4.0], "at_risk": [40, 36, 30],
                          "events": [4, 6, 3], "survival": [0.9, 0.75, 0.675],
                          "ci_low": [0.8, 0.6, 0.5], "ci_high": [0.96, 0.86, 0.8]})
    return Table("agents_stays_curve", curve, "tables.retention.agent.curve",
                 count_column="at_risk", figure="km_curve",
                 share_columns=["survival", "ci_low", "ci_high"])


def test_turnbull_figure_does_not_promise_a_confidence_band(tmp_path):
    """The Turnbull curve's caption says how it was estimated and that it has no band."""
    (caption,) = _captions(_html(tmp_path, ("retention", _turnbull(reference=False))))
    assert caption == catalogue("fr").text("figures.km_curve.caption_bands")
    assert "bande" not in caption and "Turnbull" in caption


def test_turnbull_caption_names_the_dashed_reference_curve(tmp_path):
    """With a reference curve drawn, the caption says the dashed curve is the reference."""
    (caption,) = _captions(_html(tmp_path, ("retention", _turnbull()), lang="en"))
    assert caption.endswith(catalogue("en").text("figures.km_curve.caption_reference"))
    assert "band is" not in caption


def test_kaplan_meier_figure_keeps_its_band_caption(tmp_path):
    """A Kaplan–Meier curve with confidence bounds keeps the caption naming its band."""
    (caption,) = _captions(_html(tmp_path, ("retention", _kaplan_meier())))
    assert caption == catalogue("fr").text("figures.km_curve.caption")


def _cohorts() -> Table:
    """A long table kept off the page (``html_rows=0``) with no figure."""
    frame = pd.DataFrame({"cohort": pd.to_datetime(["2015-01-01"] * 3 + ["2015-02-01"] * 3),
                          "period_index": [0, 1, 2] * 2, "users": [18] * 3 + [30] * 3,
                          "active": [18, 9, 9, 30, 17, 11]})
    frame["share"] = frame["active"] / frame["users"]
    return Table("checkins_cohorts", frame, "tables.retention.cohorts", count_column="users",
                 share_columns=["share"], html_rows=0)


def test_table_without_rows_or_figure_on_the_page_gets_no_empty_heading(tmp_path):
    """A table whose rows are all left to the files shows no heading of its own."""
    page = _html(tmp_path, ("retention", _kaplan_meier()), ("retention", _cohorts()))
    assert 'id="retention-checkins_cohorts"' not in page


def test_table_left_to_the_files_is_named_in_one_sentence(tmp_path):
    """The section says in one line where that table is: title, rows and file."""
    page = _html(tmp_path, ("retention", _kaplan_meier()), ("retention", _cohorts()))
    (note,) = re.findall(r'<p class="note elsewhere">(.*?)</p>', page)
    cat = catalogue("fr")
    assert htmllib.unescape(note) == (
        f"{cat.text('report.files_only')} {cat.text('tables.retention.cohorts')} (6 lignes, "
        "<code>csv/retention_checkins_cohorts.csv</code>)")


def _tiny_groups() -> Table:
    frame = pd.DataFrame({"service": ["A", "B"], "n": [3, 4], "estimate": [0.5, 0.25]})
    return Table("agents_by_service", frame, "tables.profile.agent.by_service",
                 count_column="n", group_columns=["service"], share_columns=["estimate"])


def test_table_with_every_row_hidden_says_why_instead_of_dashes(tmp_path):
    """Every group under the minimum cell size: one sentence, no table of dashes."""
    page = _html(tmp_path, ("profiles", _tiny_groups()))
    block = page[page.index('id="profiles-agents_by_service"'):page.index("</section>",
                                                                        page.index('id="profiles'))]
    assert "<table" not in block
    assert htmllib.unescape(catalogue("fr").text("report.withheld", min_cell=5)) in \
        htmllib.unescape(block)


def test_table_with_no_rows_is_left_out(tmp_path):
    """A table without a single row is not shown at all, heading included."""
    empty = Table("empty", pd.DataFrame({"service": [], "n": [], "estimate": []}),
                  "tables.profile.agent.by_service", count_column="n")
    page = _html(tmp_path, ("profiles", _tiny_groups()), ("profiles", empty))
    assert 'id="profiles-empty"' not in page


@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory) -> dict[str, str]:
    """The demo pilot's report, in French and in English."""
    import surveys
    from analysis import evaluate
    folder = tmp_path_factory.mktemp("demo")
    evaluation = evaluate(surveys.read_pilot(surveys.demo(folder / "pilot")))
    return {lang: render(evaluation, folder / lang, lang=lang)[0].read_text(encoding="utf-8")
            for lang in ("fr", "en")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_gives_the_reader_no_instruction_meant_for_the_analyst(demo_pages, lang):
    """No parameter's source tells the reader to override a value (co2_kg_per_km=...)."""
    page = htmllib.unescape(demo_pages[lang])
    assert "co2_kg_per_km" not in page
    assert not re.search(r"vérifier la valeur|override with|=\.\.\.", page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_report_has_no_heading_without_content(demo_pages, lang):
    """Every table heading of the demo report is followed by a table, a figure or a
    sentence saying why there is none."""
    page = demo_pages[lang]
    blocks = re.split(r'(?=<h3 id=")', page)[1:]
    for block in blocks:
        block = re.split(r"<h3 |<h2|</section>", block[4:])[0]
        assert "<table" in block or "<figure" in block or 'class="withheld"' in block, block[:80]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_cohorts_are_shown_as_a_grid(demo_pages, lang):
    """The demo's cohort table is on the page, one line per month of arrival."""
    page = demo_pages[lang]
    start = page.index('id="retention-checkins_cohorts"')
    block = page[start:page.index("</table>", start)]
    assert block.count("<tr>") == 24 + 1  # 24 months of arrival and the heading row


def _comparisons(source_id: str, indicator: str) -> pd.DataFrame:
    return pd.DataFrame({"source_id": [source_id], "source": ["staff"],
                         "indicator": [indicator], "label_fr": ["Homme (ensemble)"],
                         "label_en": ["Man (all)"], "unit": ["share"], "n": [46],
                         "estimate": [0.35], "ci_low": [0.22], "ci_high": [0.5],
                         "baseline": [0.51], "p_adjusted": [0.2]})


def _cards(tmp_path, frame: pd.DataFrame, lang: str) -> list[str]:
    table = Table("comparisons", frame, "tables.baselines", count_column="n",
                  share_columns=["estimate", "ci_low", "ci_high", "baseline"])
    page = _html(tmp_path, ("baselines", table), lang=lang)
    return [htmllib.unescape(t) for t in re.findall(r'<p class="indicator">(.*?)</p>', page)]


@pytest.mark.parametrize("lang, label", [
    ("fr", "Part d'hommes (référence\u00a0: ensemble des salariés interrogés)"),
    ("en", "Share of men (reference: all employees surveyed)")])
def test_key_figure_says_what_it_measures_and_against_whom(tmp_path, lang, label):
    """BVA's man_all card reads as a share of men against all employees, not "Homme (ensemble)"."""
    assert _cards(tmp_path, _comparisons("bva-2015", "man_all"), lang) == [label]


def test_key_figure_of_a_users_own_source_keeps_its_label(tmp_path):
    """An indicator the catalogue does not know is labelled as its table says."""
    assert _cards(tmp_path, _comparisons("my-study", "man_all"), "fr") == ["Homme (ensemble)"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_comparable_indicator_has_a_key_figure_label(lang):
    """Each shipped indicator that compare_baseline can answer has a key-figure label."""
    catalogue_rows = baselines()
    comparable = catalogue_rows[catalogue_rows["variable"].notna()]
    cat = catalogue(lang)
    missing = [f"{s}.{i}" for s, i in zip(comparable["source_id"], comparable["indicator"])
               if not cat.has(f"key_figures.{s}.{i}")]
    assert missing == []


def _two_populations() -> Evaluation:
    comparisons = pd.DataFrame({
        "source_id": ["aquitaine-2016"] * 3, "source": ["users", "places", "places"],
        "indicator": ["travel_under_20min", "type_coworking", "zone_rural"],
        "label_fr": ["Trajet court", "Coworking", "Rural"],
        "label_en": ["Short trip", "Coworking", "Rural"], "unit": ["share"] * 3,
        "n": [60, 20, 20], "estimate": [0.8, 0.6, 0.3], "ci_low": [0.7, 0.4, 0.15],
        "ci_high": [0.88, 0.78, 0.5], "baseline": [0.9, 0.7, 0.4], "p_adjusted": [0.1] * 3})
    quality = pd.DataFrame({"source": ["users", "places"], "kind": ["thirdplace", "places"],
                            "measure": ["rows_read"] * 2, "n": [60, 20]})
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("quality").add(Table("summary", quality, "tables.quality"))
    evaluation.section("baselines").add(Table(
        "comparisons", comparisons, "tables.baselines", count_column="n",
        figure="baseline_dots", share_columns=["estimate", "ci_low", "ci_high", "baseline"]))
    return evaluation


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_baseline_figure_groups_name_their_population(lang):
    """Under one study, the users' and the places' rows come under headings naming them."""
    (item,) = [p for p in prepare(_two_populations(), lang=lang) if p.table.figure]
    cat = catalogue(lang)
    study = cat.value("source", "aquitaine-2016")
    for kind in ("thirdplace", "places"):
        assert f"{study} — {cat.value('kind', kind)}" in htmllib.unescape(item.figure_svg)


def test_report_modules_import_on_their_own():
    """Each module split from the HTML page imports alone (no circular import)."""
    for module in ("reports.cell_wording", "reports.table_layouts", "reports.key_figures",
                   "reports.figure_style", "reports.html"):
        done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr


def _cohort_grid_page(tmp_path, lang: str = "fr") -> str:
    """Three cohorts, the last one too recent for month 3, the second too small."""
    frame = pd.DataFrame({
        "cohort": pd.to_datetime(["2015-01-01"] * 4 + ["2015-02-01"] * 3 + ["2015-03-01"] * 2),
        "period_index": [0, 1, 2, 3, 0, 1, 2, 0, 1],
        "users": [18] * 4 + [3] * 3 + [30] * 2,
        "active": [18, 9, 8, 4, 3, 1, 1, 30, 12]})
    frame["share"] = frame["active"] / frame["users"]
    table = Table("checkins_cohorts", frame, "tables.retention.cohorts", count_column="users",
                  share_columns=["share"])
    page = _html(tmp_path, ("retention", table), lang=lang)
    start = page.index('id="retention-checkins_cohorts"')
    return page[start:page.index("</section>", start)]


def _grid_cells(block: str) -> list[list[str]]:
    body = block[block.index("<tbody>"):block.index("</tbody>")]
    return [[htmllib.unescape(re.sub(r"<[^>]+>", "", cell))
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]  # th: a row's label
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_cohort_table_reads_as_one_line_per_month_of_arrival(tmp_path):
    """Each cohort is one line: its month, its size, its share 1 and 3 months later."""
    cells = _grid_cells(_cohort_grid_page(tmp_path, lang="en"))
    assert cells[0] == ["January 2015", "18", "50%", "22%"]
    assert len(cells) == 3


def test_cohort_grid_hides_a_small_cohort_whole(tmp_path):
    """A cohort under the minimum cell size shows dashes, not its shares."""
    cells = _grid_cells(_cohort_grid_page(tmp_path))
    assert cells[1] == ["février 2015", "—*", "—*", "—*"]


def test_cohort_grid_says_when_a_month_is_not_observed_yet(tmp_path):
    """A cohort too recent for a horizon reads "not observed", with the note explaining it."""
    block = _cohort_grid_page(tmp_path)
    assert _grid_cells(block)[2] == ["mars 2015", "30", f"40{NNBSP}%", "non observée"]
    assert htmllib.unescape(catalogue("fr").text("report.not_observed_note")) in \
        htmllib.unescape(block)


def test_cohort_grid_headings_name_the_months_after_arrival(tmp_path):
    """The headings say what each column is: month of arrival, new users, months later."""
    block = _cohort_grid_page(tmp_path, lang="en")
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', block)
    assert headers == ["Month of arrival", "New users", "1 month later", "3 months later"]
