"""The version that runs: ``bilan --version`` and the report's footer name it."""

from __future__ import annotations

from importlib import metadata

import pandas as pd
import pytest

from analysis.evaluation_model import Evaluation, Table
from reports.cli import main
from reports.render import render
from reports.version import bilan_version


def test_version_is_the_installed_one():
    """The version is the installed package's."""
    assert bilan_version() == metadata.version("bilan")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_version_option(capsys, monkeypatch, lang):
    """`bilan --version` prints "bilan <version>" and exits 0, in either language."""
    monkeypatch.setenv("BILAN_LANG", lang)
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"bilan {bilan_version()}"


@pytest.mark.parametrize("lang, words", [("fr", "Produit avec bilan"),
                                         ("en", "Produced with bilan")])
def test_report_footer_names_the_version(tmp_path, lang, words):
    """The report's footer says which version of bilan produced it."""
    evaluation = Evaluation("Pilote")
    evaluation.section("profiles").add(Table(
        "gender", pd.DataFrame({"gender": ["F", "M"], "n": [12, 30]}), "tables.gender",
        count_column="n"))
    html = render(evaluation, tmp_path, lang=lang)[0].read_text(encoding="utf-8")
    footer = html[html.index("<footer>"):html.index("</footer>")]
    assert f"{words} {bilan_version()}." in footer
