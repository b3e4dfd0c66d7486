"""How tables read in the HTML: a group's label once, whole interval bounds whole."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Evaluation, Table
from reports import render


def _profile_html(tmp_path) -> str:
    frame = pd.DataFrame({
        "variable": ["gender", "gender", "age", "years"],
        "category": ["F", "M", None, None],
        "statistic": ["share", "share", "mean", "median"],
        "n": [40, 40, 40, 40],
        "estimate": [0.6, 0.4, 43.2, 33.0],
        "ci_low": [0.45, 0.25, 41.0, 33.0],
        "ci_high": [0.74, 0.55, 45.4, 37.0],
    })
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table("agents", frame, "tables.profile",
                                             count_column="n",
                                             share_columns=["estimate", "ci_low", "ci_high"]))
    return render(evaluation, tmp_path, lang="en")[0].read_text(encoding="utf-8")


def test_group_label_shown_once(tmp_path):
    """A variable's label is shown on its first row; later rows keep it hidden for copying."""
    html = _profile_html(tmp_path)
    assert html.count('<th scope="row" class="text short repeat"><span class="vh">Gender</span></th>') == 1
    assert html.count('<th scope="row" class="text short">Gender</th>') == 1
    # the statistic's name is not a column of a profile on the page (review 12)
    assert '<td class="text short">Share</td>' not in html


def test_whole_bounds_written_whole(tmp_path):
    """A median's interval of whole numbers has no decimals; a mean's keeps them."""
    html = _profile_html(tmp_path)
    assert ">33\u00a0to 37<" in html and ">41.0\u00a0to 45.4<" in html


def test_comparison_source_named_as_population(tmp_path):
    """A baseline comparison's pilot source is shown as the population it describes, in
    the HTML table and in the workbook (the CSV keeps the source's name)."""
    from openpyxl import load_workbook

    from analysis import evaluate
    from surveys import demo, read_pilot

    evaluation = evaluate(read_pilot(demo(tmp_path / "pilot")))
    render(evaluation, tmp_path / "out", lang="fr")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="baselines-comparisons"'):]
    table = table[table.index("<table"):table.index("</table>")]
    assert ">Agents<" in table and ">agents<" not in table
    book = load_workbook(tmp_path / "out" / "tables.xlsx")
    listed = {title: name for name, title, *_ in book["Sommaire"].iter_rows(min_row=4,
                                                                           values_only=True)}
    sheet = book[listed["Le pilote face aux références"]]
    headings = [c.value for c in sheet[1]]
    sources = {row[headings.index("Source")] for row in sheet.iter_rows(min_row=2,
                                                                        values_only=True)}
    assert sources == {"Agents", "Entreprises", "Usagers des tiers-lieux", "Lieux"}
    machine = (tmp_path / "out" / "csv" / "baselines_comparisons.csv").read_text(encoding="utf-8")
    assert ",agents," in machine


def test_breakdown_heads_its_rows_with_the_variable(tmp_path):
    """A profile by group comes variable by variable: the variable is the first column and
    heads its rows once, the group under it."""
    frame = pd.DataFrame({
        "manager": ["no", "yes", "no", "yes"],
        "variable": ["gender", "gender", "age", "age"],
        "category": ["F", "F", None, None],
        "statistic": ["share", "share", "mean", "mean"],
        "n": [40, 30, 40, 30],
        "estimate": [0.6, 0.5, 43.2, 41.0],
    })
    evaluation = Evaluation("Pilote", min_cell=5)
    evaluation.section("profiles").add(Table("agents_by_manager", frame, "tables.profile",
                                             count_column="n", share_columns=["estimate"]))
    html = render(evaluation, tmp_path, lang="en")[0].read_text(encoding="utf-8")
    headers = html[html.index("<thead>"):html.index("</thead>")]
    assert headers.index(">Variable<") < headers.index(">Manager<")
    assert html.count('<span class="vh">Gender</span>') == 1
