"""How the HTML reads for a funder: whom a key figure is about, Oui/Non categories,
counts only where they add something."""

from __future__ import annotations

import re

import pandas as pd

from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.i18n import catalogue
from reports.render import prepare
from reports.workbook_view import workbook_table


def _comparisons() -> pd.DataFrame:
    return pd.DataFrame({
        "source_id": ["bva-2015", "bva-2015", "citica-2017"],
        "source": ["firms", "staff", "staff"],
        "indicator": ["small_company", "manager", "woman"],
        "label_fr": ["Petite entreprise", "Encadrant", "Femme"],
        "label_en": ["Small company", "Manager", "Woman"],
        "unit": ["share"] * 3,
        "n": [27, 46, 46],
        "estimate": [0.37, 0.19, 0.65],
        "ci_low": [0.2, 0.1, 0.5], "ci_high": [0.55, 0.34, 0.77],
        "baseline": [0.2, 0.57, 0.65],
        "statistic": [2.1, -4.2, 0.0],
        "p_adjusted": [0.03, 0.001, 0.9],
    })


def _summary_html(tmp_path, quality: pd.DataFrame | None, lang: str = "fr") -> str:
    evaluation = Evaluation("Pilote", min_cell=5)
    if quality is not None:
        evaluation.section("quality").add(Table("summary", quality, "tables.quality"))
    evaluation.section("baselines").add(Table(
        "comparisons", _comparisons(), "tables.baselines", count_column="n",
        share_columns=["estimate", "ci_low", "ci_high", "baseline"],
        share_rows={"unit": ["share"]}))
    html = render(evaluation, tmp_path, lang=lang)[0].read_text(encoding="utf-8")
    return html[html.index('id="summary"'):html.index("</section>", html.index('id="summary"'))]


def _kinds(**kinds) -> pd.DataFrame:
    return pd.DataFrame({"source": list(kinds), "kind": list(kinds.values()),
                         "measure": ["rows_read"] * len(kinds), "n": [50] * len(kinds)})


def test_key_figures_name_the_pilot_population_of_each_study(tmp_path):
    """Within a study, cards come under the pilot population they are about, in order."""
    summary = _summary_html(tmp_path, _kinds(firms="company", staff="agent"))
    bva = summary[summary.index("BVA, 2015"):summary.index("Citica, 2017")]
    assert re.findall(r'<p class="population">([^<]*)</p>', bva) == [
        "Population du pilote\u00a0: Entreprises", "Population du pilote\u00a0: Agents"]
    assert bva.index("Entreprises") < bva.index("moins de 10 salariés") < bva.index(
        "Agents") < bva.index("Part d&#39;encadrants")


def test_each_study_repeats_its_population(tmp_path):
    """A second study about the same population names it again under its own heading."""
    summary = _summary_html(tmp_path, _kinds(firms="company", staff="agent"))
    citica = summary[summary.index("Citica, 2017"):]
    assert re.findall(r'<p class="population">([^<]*)</p>', citica) == [
        "Population du pilote\u00a0: Agents"]


def test_population_labels_are_in_the_report_language(tmp_path):
    """The English report says "Pilot population: Companies"."""
    summary = _summary_html(tmp_path, _kinds(firms="company", staff="agent"), lang="en")
    assert '<p class="population">Pilot population: Companies</p>' in summary


def test_source_of_unknown_kind_is_named_as_written_and_escaped(tmp_path):
    """Without a data-quality table, the pilot's source name is shown, escaped."""
    evaluation_sources = _comparisons()
    evaluation_sources["source"] = ["<b>firms</b>", "staff", "staff"]
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("baselines").add(Table(
        "comparisons", evaluation_sources, "tables.baselines", count_column="n",
        share_columns=["estimate", "ci_low", "ci_high", "baseline"]))
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    assert "Population du pilote\u00a0: &lt;b&gt;firms&lt;/b&gt;" in html
    assert "<b>firms" not in html


def _profile() -> pd.DataFrame:
    return pd.DataFrame({
        "variable": ["manager", "manager", "sat_manager", "age", "age"],
        "category": [False, True, 1, None, None],
        "statistic": ["share", "share", "share", "mean", "q1"],
        "n": [46, 46, 45, 46, 46],
        "count": [38, 8, 10, 46, 46],
        "estimate": [0.81, 0.19, 0.22, 43.2, 33.0],
        "ci_low": [0.75, 0.14, 0.17, 41.9, 33.0],
        "ci_high": [0.86, 0.25, 0.29, 44.6, 37.0],
    })


def _profile_evaluation() -> Evaluation:
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table(
        "agents", _profile(), "tables.profile", count_column="count",
        share_columns=["estimate", "ci_low", "ci_high"], share_rows={"statistic": ["share"]}))
    return evaluation


def _cells(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [re.findall(r"<t[dh][^>]*>(?:<span class=\"vh\">)?([^<]*)", row)  # th: a row's label
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_boolean_categories_read_non_and_oui(tmp_path):
    """A boolean category is capitalised like other labels; a code 1 stays a code."""
    html = render(_profile_evaluation(), tmp_path)[0].read_text(encoding="utf-8")
    assert [row[1] for row in _cells(html)[:3]] == ["Non", "Oui", "1"]


def test_boolean_categories_read_no_and_yes_in_english(tmp_path):
    """The English report says No and Yes."""
    html = render(_profile_evaluation(), tmp_path, lang="en")[0].read_text(encoding="utf-8")
    assert [row[1] for row in _cells(html)[:2]] == ["No", "Yes"]


def test_boolean_labels_leave_the_csv_unchanged(tmp_path):
    """The machine table keeps the booleans as written by the analysis."""
    render(_profile_evaluation(), tmp_path)
    csv = pd.read_csv(tmp_path / "csv" / "profiles_agents.csv", dtype=str)
    assert csv["category"].tolist()[:2] == ["False", "True"]


def test_workbook_shows_the_same_boolean_labels():
    """The XLSX view labels a boolean category as the HTML does."""
    evaluation = _profile_evaluation()
    view = workbook_table(prepare(evaluation, figures=False)[0], catalogue("fr"))
    assert view.data["Modalité"].tolist()[:3] == ["Non", "Oui", 1]


def test_boolean_group_column_reads_oui(tmp_path):
    """A boolean ``by`` column (agents who manage or not) is labelled too."""
    frame = pd.DataFrame({"manager": pd.array([True, False], dtype="boolean"),
                          "n": [20, 26], "estimate": [0.4, 0.5]})
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table("by_manager", frame, "tables.profile",
                                             count_column="n"))
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    assert [row[0] for row in _cells(html)] == ["Oui", "Non"]


def test_count_left_to_the_files_on_a_profile(tmp_path):
    """A profile's page shows the base ``n`` of each share or mean, not the ``Nombre``
    of each category (review 12: the reader's columns; the CSV keeps it), nor the
    quartile's row."""
    html = render(_profile_evaluation(), tmp_path)[0].read_text(encoding="utf-8")
    head = html[html.index("<thead>"):html.index("</thead>")]
    assert ">Nombre<" not in head and ">Effectif<" in head
    assert [row[2] for row in _cells(html)] == ["46", "46", "45", "46"]


def test_count_kept_in_the_data(tmp_path):
    """The CSV keeps the count of every row."""
    render(_profile_evaluation(), tmp_path)
    csv = pd.read_csv(tmp_path / "csv" / "profiles_agents.csv")
    assert csv["count"].tolist() == [38, 8, 10, 46, 46]


def _comparison_table(tmp_path) -> tuple[list[str], list[list[str]]]:
    """Headings and cell texts of a rendered comparison table with a km row."""
    evaluation = Evaluation("Pilote", min_cell=5)
    comparisons = _comparisons().assign(unit=["share", "km", "share"])
    evaluation.section("baselines").add(Table(
        "comparisons", comparisons, "tables.baselines", count_column="n",
        share_columns=["estimate", "ci_low", "ci_high", "baseline"],
        share_rows={"unit": ["share"]}))
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    table = html[html.index('id="baselines"'):]
    return re.findall(r"<th[^>]*>([^<]*)</th>", table), _cells(table)


def test_comparison_n_is_never_blanked(tmp_path):
    """A comparison's ``n`` stays on every row, its test ``statistic`` being a number."""
    headings, cells = _comparison_table(tmp_path)
    position = headings.index("Effectif")
    assert [row[position] for row in cells] == ["27", "46", "46"]


def test_comparison_values_carry_their_unit(tmp_path):
    """Without a unit column, a comparison's non-share values are written with their unit."""
    headings, cells = _comparison_table(tmp_path)
    assert "Unité" not in headings
    estimates = [row[headings.index("Estimation")] for row in cells]
    assert estimates[1].endswith("\u00a0km") and estimates[0].endswith("%")


def _before_after(tests: list[str]) -> Evaluation:
    frame = pd.DataFrame({"item": ["sat_overall"] * len(tests), "test": tests,
                          "n": [34] * len(tests), "estimate": [0.79, 0.24][:len(tests)],
                          "p_value": [0.0005, 0.057][:len(tests)]})
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("satisfaction").add(Table("before_after", frame,
                                                 "tables.satisfaction.before_after",
                                                 count_column="n"))
    return evaluation


def test_test_column_shown_when_it_tells_rows_apart(tmp_path):
    """Two tests of one question: each row names its test, so its estimate can be read."""
    html = render(_before_after(["wilcoxon", "mcnemar"]), tmp_path)[0].read_text(encoding="utf-8")
    assert re.findall(r"<th[^>]*>([^<]*)</th>", html)[:2] == ["Question", "Test"]
    assert [row[1] for row in _cells(html)] == ["Test de Wilcoxon (rangs signés)",
                                                "Test de McNemar"]


def test_test_column_hidden_when_rows_are_distinct(tmp_path):
    """One test per question: the test stays in the appendix, not in the table."""
    html = render(_before_after(["wilcoxon"]), tmp_path)[0].read_text(encoding="utf-8")
    assert "Test" not in re.findall(r"<th[^>]*>([^<]*)</th>", html)


def test_workbook_shows_the_test_column_too():
    """The XLSX sheet has the columns the HTML shows, the test labelled alike."""
    prepared = prepare(_before_after(["wilcoxon", "mcnemar"]), figures=False)[0]
    view = workbook_table(prepared, catalogue("en"))
    assert view.data["Test"].tolist() == ["Wilcoxon signed-rank test", "McNemar test"]
