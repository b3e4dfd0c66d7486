"""How tables read in the HTML: a group's label once, whole interval bounds whole."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Evaluation, Table
from reports import render


def _profile_html(tmp_path) -> str:
    frame = pd.DataFrame({
        "variable": ["gender", "gender", "age", "age"],
        "category": ["F", "M", None, None],
        "statistic": ["share", "share", "mean", "q1"],
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
    assert html.count('<td class="text short repeat"><span class="vh">Gender</span></td>') == 1
    assert html.count('<td class="text short">Gender</td>') == 1
    assert html.count('<td class="text short">Share</td>') == 2  # not a group: shown


def test_whole_bounds_written_whole(tmp_path):
    """A quartile's interval of whole numbers has no decimals; a mean's keeps them."""
    html = _profile_html(tmp_path)
    assert ">33 – 37<" in html and ">41.0 – 45.4<" in html
