"""reports.render end to end: files written, same bytes, escaping, sections, appendix."""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import load_workbook

from analysis.evaluation_model import Evaluation, Table
from reports import render

ATTACKS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">']


def test_writes_html_workbook_and_one_csv_per_table(tmp_path, evaluation):
    """report.html, tables.xlsx, then one CSV per table, all on disk."""
    paths = render(evaluation, tmp_path)
    n_tables = sum(len(s.tables) for s in evaluation.sections.values())
    assert [p.name for p in paths[:2]] == ["report.html", "tables.xlsx"]
    assert len(paths) == 2 + n_tables and all(p.is_file() for p in paths)
    assert {p.suffix for p in paths[2:]} == {".csv"}


def test_same_input_gives_same_bytes(tmp_path, evaluation, build):
    """Two runs into two folders: the HTML, the workbook and every CSV are byte-identical."""
    first = render(evaluation, tmp_path / "a")
    second = render(build(), tmp_path / "b")
    assert len(first) == len(second) == 2 + 12
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.name


def _hostile() -> Evaluation:
    """Answers and labels that try to inject markup into the report."""
    frame = pd.DataFrame({"service": ATTACKS, "n": [12, 15], "estimate": [0.4, 0.6]})
    evaluation = Evaluation(ATTACKS[0], min_cell=5)
    section = evaluation.section("profiles")
    section.notes.append(ATTACKS[1])
    section.add(Table("service", frame, ATTACKS[1], count_column="n", notes=[ATTACKS[0]],
                      figure=None))
    likert = pd.DataFrame({"item": ATTACKS, "statistic": ["top2", "top2"], "n": [20, 20],
                           "estimate": [0.5, 0.6]})
    evaluation.section("satisfaction").add(
        Table("likert", likert, "t", count_column="n", figure="likert_bars"))
    return evaluation


def test_markup_in_answers_and_labels_is_escaped(tmp_path):
    """<script> and <img onerror> come out as text, in tables, titles, notes and figures."""
    html = render(_hostile(), tmp_path)[0].read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert html.count("&lt;script&gt;") >= 4  # title, heading, cell, note, figure label


def test_report_is_self_contained(tmp_path, evaluation):
    """No script, no external stylesheet, font or image; figures are inline SVG."""
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"\b(src|href)=\"(https?:)?//", html)
    assert not re.search(r"url\((?!#)", html)
    assert html.count("<svg") == 5


def test_element_ids_are_unique_and_every_reference_resolves(tmp_path, evaluation):
    """Five inline figures share one page: no duplicate id, no dangling url(#...)."""
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'(?:url\(#|href="#)([^")]+)', html)) <= set(ids)


def test_absent_sections_are_left_out(tmp_path, build):
    """An evaluation with profiles only shows no retention, attendance... heading."""
    evaluation = build(["profiles"])
    evaluation.section("attendance")  # present but empty: left out too
    html = render(evaluation, tmp_path)[0].read_text(encoding="utf-8")
    assert 'id="profiles"' in html
    for key, title in [("retention", "Durée de participation"), ("attendance", "Fréquentation"),
                       ("satisfaction", "<h2>Satisfaction"), ("baselines", "Comparaison")]:
        assert f'id="{key}"' not in html and title not in html, key


def test_summary_comes_first_with_verdicts(tmp_path, evaluation):
    """The summary precedes the sections and gives a verdict per comparison."""
    html = render(evaluation, tmp_path, lang="en")[0].read_text(encoding="utf-8")
    assert html.index('id="summary"') < html.index('id="quality"') < html.index('id="methods"')
    summary = html[html.index('id="summary"'):html.index('id="quality"')]
    assert summary.count("Clearly lower than the reference") == 2
    assert summary.count("No clear difference from the reference") == 3
    assert summary.index("BVA, 2015") < summary.index("vs 57%") < summary.index("Citica")
    assert "49.5\u00a0km" in summary and "vs 50\u00a0km" in summary


def test_methods_appendix_lists_every_source_with_year_and_base_n(tmp_path, evaluation):
    """Sources come from the baselines tables: publisher, year and each base n."""
    html = render(evaluation, tmp_path, lang="en")[0].read_text(encoding="utf-8")
    appendix = html[html.index('id="methods"'):]
    bva = re.search(r"<tr><th scope=\"row\">BVA, 2015</th><td>BVA</td><td class=\"num\">2015</td>"
                    r"<td class=\"num\">([^<]*)</td></tr>", appendix)
    assert bva and bva.group(1) == "469; 1,267"  # English list separator
    assert "Citica, 2017" in appendix and "800" in appendix
    assert "fewer than 5 respondents (10 for anything derived from free text)" in appendix
    assert "Wilson interval" in appendix  # the methods the tables say they used


def test_workbook_has_a_sheet_per_table_with_bold_header(tmp_path, evaluation):
    """Contents sheet first, then one sheet per table: names ≤ 31, unique, header bold."""
    render(evaluation, tmp_path)
    book = load_workbook(tmp_path / "tables.xlsx")
    names = book.sheetnames
    assert names[0] == "Sommaire" and len(names) == 1 + 12
    assert len(set(n.casefold() for n in names)) == len(names)
    assert all(len(n) <= 31 for n in names)
    listed = {title: name for name, title, *_ in book["Sommaire"].iter_rows(min_row=4,
                                                                           values_only=True)}
    sheet = book[listed["Le pilote face aux références"]]  # named by its number and title
    assert sheet.title == "06 Le pilote face aux…"
    # the report's table, headings in the report's language
    assert [c.value for c in sheet[1]][:3] == ["Étude de référence", "Source", "Libellé"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["F1"].value == "Estimation"
    assert sheet["F2"].value == 0.31 and sheet["F2"].data_type == "n"
    assert sheet["F2"].number_format == "#,##0%"  # a share, shown as a percentage
    contents = book["Sommaire"]
    assert contents["A4"].hyperlink.location == f"'{names[1]}'!A1"


def test_evaluation_min_cell_is_a_floor(tmp_path, build):
    """A pilot asking for 20 is not lowered by the default min_cell=5."""
    evaluation = build(["profiles"])
    evaluation.min_cell = 20
    render(evaluation, tmp_path)
    gender = pd.read_csv(tmp_path / "csv" / "profiles_gender.csv")
    assert gender["suppressed"].tolist() == [False, True, True]


def test_indicators_are_labelled_in_the_report_language(tmp_path, build):
    """The comparison table's label_fr / label_en replaces the indicator id."""
    fr = render(build(["baselines"]), tmp_path / "fr")[0].read_text(encoding="utf-8")
    en = render(build(["baselines"]), tmp_path / "en", lang="en")[0].read_text(encoding="utf-8")
    assert "Distance domicile-travail moyenne" in fr and "Mean home-work distance" not in fr
    assert "Mean home-work distance" in en and "Distance domicile-travail moyenne" not in en
    assert "commute_km_mean" not in fr.split('id="summary"')[1].split("<svg")[0]


def test_means_are_not_shown_as_percentages(tmp_path):
    """Without share_rows, a mean row of a table with share columns stays a number."""
    frame = pd.DataFrame({"variable": ["gender", "age"], "category": ["F", None],
                          "statistic": ["share", "mean"], "n": [40, 40],
                          "estimate": [0.65, 43.23], "ci_low": [0.5, 40.44],
                          "ci_high": [0.77, 46.0]})
    evaluation = Evaluation("Pilote")
    evaluation.section("profiles").add(Table(
        "agents", frame, "tables.profile.agent", count_column="n",
        share_columns=["estimate", "ci_low", "ci_high"]))
    html = render(evaluation, tmp_path, lang="en")[0].read_text(encoding="utf-8")
    assert ">65%<" in html and ">50%\u00a0to 77%<" in html
    assert ">43.2<" in html and ">40.4\u00a0to 46.0<" in html
