"""No English reaches a French user: why rows were set aside and cells blanked, in
`bilan validate`, its errors, and the report's data-quality table (page and workbook)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports.cli import main
from reports.i18n import catalogue
from reports.presentation import cell_label

#: An agents file with a short row, a stray quote, a duplicate, an empty row, a total
#: row, and values of every kind that cannot be read.
AGENTS = "\n".join([
    "id;Sexe;Age;Encadrant;Jours;Lieu;Debut;Direction;Reco",
    *(f"a{i};{'FM'[i % 2]};{30 + i};Oui;2;Domicile;01/02/2016;Routes;{i % 11}"
      for i in range(1, 21)),
    "b1;Inconnu;abc;Oui;2;Domicile;01/02/2016;Routes;5",
    "b6;F;40;Peut-être;2,5;Plage;pas de date;jean@x.fr;12",
    "b2;M;200;Non;1;Domicile;01/02/2016;Routes;5",
    "b3;M;30",
    "a1;M;31;Oui;2;Domicile;01/02/2016;Routes;1",
    ";;;;;;;;",
    'b4;"M;30;Non;1;Domicile;01/02/2016;Routes;5',
    "b5;F;50;Oui;1;Domicile;01/02/2016;Routes;5",
    "Total;;;;;;;;",
]) + "\n"

PILOT = """\
[pilot]
name = "Essai"

[sources.agents]
kind = "agent"
path = "agents.csv"

[sources.agents.mapping]
"id" = "respondent_id"
"Sexe" = "gender"
"Age" = "age"
"Encadrant" = "manager"
"Jours" = "telework_days"
"Lieu" = "telework_place"
"Debut" = "telework_start"
"Direction" = "service"
"Reco" = "recommend"

[sources.agents.recode.telework_place]
"Domicile" = "home"
"""

LOG = "\n".join(["lieu,badge,heure", "TL1,B1,", "TL1,B2,", ",B3,01/02/2016 10:00"]) + "\n"

LOG_PILOT = """\
[pilot]
name = "Essai"

[sources.checkins]
kind = "attendance"
path = "log.csv"

[sources.checkins.mapping]
"lieu" = "place_id"
"badge" = "user_id"
"heure" = "timestamp"
"""

#: Fragments of the English reasons (surveys/_text.py, surveys/_validate.py).
ENGLISH = re.compile(r"malformed row|fields where|is not a|is not one of|is outside|"
                     r"holds personal data|the row is empty|total or summary|same \S+ as row|"
                     r"missing timestamp|missing place_id|a quote opening|line break")


@pytest.fixture(autouse=True)
def _no_language_variable(monkeypatch):
    """The command's language must not depend on the tester's environment."""
    monkeypatch.delenv("BILAN_LANG", raising=False)


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    """A pilot whose one source is the messy agents file."""
    folder = tmp_path_factory.mktemp("messy")
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    (folder / "pilot.toml").write_text(PILOT, encoding="utf-8")
    return folder / "pilot.toml"


@pytest.fixture(scope="module")
def french_report(messy, tmp_path_factory) -> Path:
    """The French report of the messy pilot (its folder)."""
    out = tmp_path_factory.mktemp("report")
    assert main(["report", str(messy), "--out", str(out)]) == 0
    return out


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


class _Text(HTMLParser):
    """The text a reader sees on a page (no script or style)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def test_validate_writes_exclusion_reasons_in_french(capsys, messy):
    """validate in French: a malformed row's reason is French, values kept."""
    _, out, _ = _run(capsys, "validate", str(messy))
    assert "écartées : 1 × ligne mal formée : 3 champs au lieu des 9 de l'en-tête" in out
    assert "écartées : 1 × ligne de total ou de synthèse, pas un répondant" in out


def test_validate_writes_problem_reasons_in_french(capsys, messy):
    """validate in French names why each column's cells were blanked, in French."""
    _, out, _ = _run(capsys, "validate", str(messy))
    assert "motifs : 'abc' n'est pas un nombre ; 200 n'est pas entre 15 et 90" in out
    assert "'Inconnu' ne fait pas partie des réponses prévues pour gender (F, M, X)" in out
    assert "2,5 n'est pas un nombre entier" in out


def test_validate_in_french_has_no_english_reason(capsys, messy):
    """No English reason fragment is left anywhere in French validate output."""
    _, out, err = _run(capsys, "validate", str(messy))
    assert ENGLISH.findall(out + err) == []


def test_validate_in_english_keeps_the_data_reasons(capsys, messy):
    """validate --lang en writes the reasons as the data holds them."""
    _, out, _ = _run(capsys, "validate", str(messy), "--lang", "en")
    assert "malformed row: 3 fields where the header has 9" in out
    assert "reasons: 'abc' is not a number; 200 is outside 15–90" in out


def test_validate_lists_at_most_three_reasons_a_column(capsys, tmp_path):
    """A column with many distinct bad values names the commonest three, then "…"."""
    rows = [f"a{i};F;{v}" for i, v in enumerate(["x", "y", "z", "w", "x", "20", "30"])]
    (tmp_path / "agents.csv").write_text("id;Sexe;Age\n" + "\n".join(rows) + "\n",
                                         encoding="utf-8")
    (tmp_path / "pilot.toml").write_text(
        '[pilot]\nname = "Essai"\n[sources.agents]\nkind = "agent"\npath = "agents.csv"\n'
        '[sources.agents.mapping]\n"id" = "respondent_id"\n"Sexe" = "gender"\n'
        '"Age" = "age"\n', encoding="utf-8")
    _, out, _ = _run(capsys, "validate", str(tmp_path / "pilot.toml"))
    line = next(x for x in out.splitlines() if "motifs" in x)
    assert line.startswith("    motifs : 'x' n'est pas un nombre ; ") and line.endswith(" …")
    assert line.count(" ; ") == 2


def test_nothing_left_error_is_french(capsys, tmp_path):
    """A log with no usable row: its reasons and counts in French, its columns as the
    file names them."""
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    (tmp_path / "pilot.toml").write_text(LOG_PILOT, encoding="utf-8")
    code, out, _ = _run(capsys, "validate", str(tmp_path / "pilot.toml"))
    assert code == 1
    assert ("aucune ligne utilisable (horodatage manquant : 2 ; identifiant du lieu "
            "manquant : 1) ; vérifiez les lignes et les colonnes obligatoires 'lieu', 'badge', "
            "'heure'") in out


def test_nothing_left_error_of_report_is_french(capsys, tmp_path):
    """bilan report stops on the same source with the same French sentence (exit 2)."""
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    (tmp_path / "pilot.toml").write_text(LOG_PILOT, encoding="utf-8")
    code, _, err = _run(capsys, "report", str(tmp_path / "pilot.toml"), "--out",
                        str(tmp_path / "out"))
    assert code == 2
    assert "(horodatage manquant : 2 ; identifiant du lieu manquant : 1)" in err
    assert ENGLISH.findall(err) == []


def test_report_quality_table_is_french_on_the_page(french_report):
    """The page's data-quality table gives a malformed row's reason in French."""
    text = _page_text(french_report / "report.html")
    assert "ligne mal formée\u00a0: 3 champs au lieu des 9 de l'en-tête" in text
    assert ENGLISH.findall(text) == []


def test_report_quality_table_is_french_in_the_workbook(french_report):
    """The workbook's data-quality sheet gives the reasons in French."""
    book = openpyxl.load_workbook(french_report / "tables.xlsx", read_only=True)
    cells = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    assert any(v.startswith("ligne mal formée\u00a0: 3 champs") for v in cells)
    assert [v for v in cells if ENGLISH.search(v)] == []


def test_quality_csv_keeps_the_data_reasons(french_report):
    """The CSV files are the machine tables: the same English reasons in every language."""
    table = pd.read_csv(french_report / "csv" / "quality_summary.csv")
    assert table["detail"].str.startswith("malformed row: 3 fields where the header has 9").any()
    assert "total row" in set(table["detail"])


def test_problem_columns_are_not_read_as_reasons():
    """A quality row of problems names a source column: written as it is."""
    row = pd.Series({"measure": "problems", "detail": "empty row"})
    assert cell_label(row, "detail", "empty row", catalogue("fr")) == "empty row"


def test_untested_comparison_reads_in_french():
    """A comparison between groups that could not be tested says why in French."""
    row = pd.Series({"test": "none: fewer than two groups"})
    assert (cell_label(row, "test", "none: fewer than two groups", catalogue("fr"))
            == "aucun test\u00a0: moins de deux groupes")
    assert cell_label(row, "test", "fisher_exact", catalogue("fr")) != "fisher_exact"
