"""A label of an open list given by fewer than min_cell respondents (a service typed with
a name) is published nowhere: not in the HTML, a CSV or the workbook; the folded group
is shown in the report's language; bilan validate lists the labels for the operator
(privacy review 12, finding 3)."""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd
import pytest

from reports.cli import main

NAME = "Cabinet du Président (Claire Dupuis)"
#: An agent of Solidarités with answers in both waves of the demo.
AGENT = "CD14-100005"


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """The demo with one agent's service typed as a name (both waves)."""
    folder = tmp_path_factory.mktemp("open_labels")
    assert main(["demo", "--out", str(folder / "demo")]) == 0
    for path in (folder / "demo").iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    agents = pd.read_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", dtype=str,
                         keep_default_na=False)
    mine = agents["N° agent"] == AGENT
    assert mine.sum() == 2 and set(agents.loc[mine, "Direction"]) == {"Solidarités"}
    agents.loc[mine, "Direction"] = NAME
    agents.to_csv(folder / "agents_cd14.csv", sep=";", encoding="cp1252", index=False)
    return folder / "pilot.toml"


@pytest.fixture(scope="module")
def report(pilot):
    """The French report of that pilot."""
    out = pilot.parent / "report"
    assert main(["report", str(pilot), "--out", str(out)]) == 0
    return out


def _published(folder) -> dict[str, str]:
    """Every file written, as text: the HTML, each CSV, each member of the workbook."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in folder.rglob("*")
             if path.suffix in (".html", ".csv")}
    with zipfile.ZipFile(folder / "tables.xlsx") as book:
        texts.update({f"xlsx:{member}": book.read(member).decode("utf-8", "replace")
                      for member in book.namelist()})
    return texts


def test_name_in_no_output(report):
    """The name typed as a service is in no HTML, CSV or XLSX file."""
    texts = _published(report)
    assert any(name.endswith(".csv") for name in texts) and "report.html" in texts
    assert [name for name, text in texts.items() if "Dupuis" in text] == []


def test_folded_group_labelled_in_french(report):
    """The folded group is in the page under its French label, in the CSV in English."""
    html = (report / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(report / "csv" / "profiles_agents_by_service.csv")
    assert "Autres (moins de 5 réponses par libellé)" in html
    assert "Other (fewer than 5 answers each)" in set(table["service"])


def test_english_label(pilot, tmp_path):
    """The English report writes the folded group as "Other (fewer than 5 answers
    each)" and its data-quality note counts the value folded without quoting it."""
    assert main(["report", str(pilot), "--out", str(tmp_path), "--lang", "en"]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Other (fewer than 5 answers each)" in html
    assert "1 value of “Service” given by fewer than 5" in html and "Dupuis" not in html


def test_min_cell_option_folds_more(pilot, tmp_path):
    """``--min-cell 8`` folds the services of 7 agents (Éducation, Routes) as well."""
    assert main(["report", str(pilot), "--out", str(tmp_path), "--min-cell", "8"]) == 0
    table = pd.read_csv(tmp_path / "csv" / "profiles_agents_by_service.csv")
    assert set(table["service"]) == {"Ressources", "Solidarités",
                                     "Other (fewer than 8 answers each)"}


def test_validate_lists_rare_labels(pilot, capsys):
    """bilan validate (the operator's console) names the rare label, its count and where
    to recode it."""
    main(["validate", str(pilot)])
    out = capsys.readouterr().out
    assert f"'{NAME}' (1)" in out and "[sources.agents.recode.service]" in out
    assert "'Manche' (1)" in out


def test_demo_department_folded(demo_reports):
    """In the demo, the agents' department given by one agent (Manche) is not a row of
    the agents' tables; the folded group is."""
    folder = demo_reports["fr"].parent / "csv"
    agents = pd.concat([pd.read_csv(path) for path in folder.glob("*agents*.csv")])
    labels = set(agents.astype(str).stack())
    assert "Manche" not in labels and "Other (fewer than 5 answers each)" in labels
