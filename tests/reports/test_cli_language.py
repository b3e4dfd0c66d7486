"""The bilan command speaks French first: --lang, then the pilot's lang, then BILAN_LANG."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys

import pytest

import analysis
from reports import cli
from reports.cli import default_lang, main
from surveys import demo
from surveys.errors import SurveyError
from surveys.notes import Note

#: English fragments the command writes in English mode; none may appear in French mode.
ENGLISH = ["reading ", "computing ", "writing ", "Open ", "in a browser", "CSV tables",
           "rows read", " kept", "excluded", "problem(s)", "problems in", "note:", "UNUSABLE",
           "unusable", "interrupted", "bilan: ", "error:", "usage:", "must be at least"]


@pytest.fixture(autouse=True)
def _no_language_variable(monkeypatch):
    """The command's language must not depend on the tester's environment."""
    monkeypatch.delenv("BILAN_LANG", raising=False)


def _demo_run(folder, environment: dict[str, str], *argv: str) -> tuple[int, str, str]:
    """``bilan demo`` into ``folder`` with ``environment`` set: (code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("BILAN_LANG", raising=False)
        for name, value in environment.items():
            patch.setenv(name, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["demo", "--out", str(folder), *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def french_demo(tmp_path_factory):
    """``bilan demo`` with no language given."""
    return _demo_run(tmp_path_factory.mktemp("demo_fr"), {})


@pytest.fixture(scope="module")
def english_demo(tmp_path_factory):
    """``bilan demo`` with BILAN_LANG=en."""
    return _demo_run(tmp_path_factory.mktemp("demo_en"), {"BILAN_LANG": "en"})


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """The demo pilot file (its [pilot] lang is "fr")."""
    return demo(tmp_path_factory.mktemp("pilot"))


@pytest.fixture(scope="module")
def english_pilot(pilot, tmp_path_factory):
    """A copy of the demo pilot whose file says lang = "en"."""
    folder = tmp_path_factory.mktemp("english_pilot") / "pilot"
    shutil.copytree(pilot.parent, folder)
    path = folder / "pilot.toml"
    text = path.read_text(encoding="utf-8")
    assert 'lang = "fr"' in text
    path.write_text(text.replace('lang = "fr"', 'lang = "en"', 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def broken_pilot(pilot, tmp_path_factory):
    """A copy of the demo pilot whose check-in export lacks the required columns."""
    folder = tmp_path_factory.mktemp("broken") / "pilot"
    shutil.copytree(pilot.parent, folder)
    (folder / "badges_tiers_lieux.csv").write_text("lieu,badge\nTL101,B1\n", encoding="utf-8")
    return folder / "pilot.toml"


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _english_left(text: str) -> list[str]:
    return [fragment for fragment in ENGLISH if fragment in text]


# -- choosing the language ---------------------------------------------------------------

def test_default_language_is_french():
    """With no BILAN_LANG, the command speaks French."""
    assert default_lang() == "fr"


@pytest.mark.parametrize("value", ["en", "EN", "en_GB.UTF-8"])
def test_bilan_lang_selects_english(monkeypatch, value):
    """BILAN_LANG=en (any case, with a region) selects English."""
    monkeypatch.setenv("BILAN_LANG", value)
    assert default_lang() == "en"


def test_unknown_bilan_lang_falls_back_to_french(monkeypatch):
    """A language bilan does not speak (de) leaves French."""
    monkeypatch.setenv("BILAN_LANG", "de")
    assert default_lang() == "fr"


def test_locale_alone_does_not_switch_to_english(monkeypatch):
    """An English system locale does not make the command English (servers often have one)."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_lang() == "fr"


# -- help and usage errors ---------------------------------------------------------------

def _help(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_is_french_by_default(capsys):
    """bilan --help describes the commands in French."""
    text = _help(capsys)
    assert "utilisation : bilan" in text and "commandes" in text
    assert "écrire le rapport d'évaluation" in text and "afficher cette aide" in text
    assert "usage:" not in text and "show this help" not in text


def test_top_level_help_is_english_with_bilan_lang(capsys, monkeypatch):
    """BILAN_LANG=en gives the English help."""
    monkeypatch.setenv("BILAN_LANG", "en")
    text = _help(capsys)
    assert "usage: bilan" in text and "write the evaluation report" in text
    assert "utilisation" not in text and "écrire" not in text


def test_lang_on_the_command_line_chooses_the_help_language(capsys, monkeypatch):
    """report --lang en --help is English, --lang fr --help French, whatever BILAN_LANG says."""
    english = _help(capsys, "report", "--lang", "en")
    monkeypatch.setenv("BILAN_LANG", "en")
    french = _help(capsys, "report", "--lang=fr")
    assert "folder to write the report into" in english and "dossier" not in english
    assert "dossier où écrire le rapport" in french and "folder" not in french


def test_no_command_prints_the_french_help(capsys):
    """bilan alone prints the French help and exits 2."""
    code, out, _ = _run(capsys)
    assert code == 2
    assert "utilisation : bilan" in out and "lister les chiffres de référence" in out


def test_usage_error_frame_is_french(capsys):
    """A missing --out: argparse's sentence inside a French frame, exit 2."""
    with pytest.raises(SystemExit) as stop:
        main(["report", "pilot.toml"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "bilan report : erreur :" in err and "--out" in err
    assert "utilisation : bilan report" in err


def test_usage_error_frame_is_english_with_bilan_lang(capsys, monkeypatch):
    """The same mistake with BILAN_LANG=en: argparse's usual English frame."""
    monkeypatch.setenv("BILAN_LANG", "en")
    with pytest.raises(SystemExit) as stop:
        main(["report", "pilot.toml"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "bilan report: error:" in err and "usage: bilan report" in err


# -- demo --------------------------------------------------------------------------------

def test_demo_progress_is_french(french_demo):
    """bilan demo shows its progress in French, with a decimal comma in the times."""
    code, _, err = french_demo
    assert code == 0
    assert "écriture du pilote de démonstration dans" in err
    assert "lecture : agents_cd14.csv (agent)" in err
    assert "calcul : Profil des participants" in err
    assert "écriture du rapport dans" in err
    assert "[   0,0 s]" in err


def test_demo_leaves_no_english_line_in_french(french_demo):
    """No English progress, summary or closing line in French mode."""
    _, out, err = french_demo
    assert _english_left(out + err) == []


def test_demo_closing_lines_are_french(french_demo):
    """The written files, then 'Ouvrez ... dans un navigateur.'."""
    _, out, err = french_demo
    assert "tableaux CSV)" in out
    assert "Ouvrez " in err and "report.html dans un navigateur." in err


def test_demo_in_english_with_bilan_lang(english_demo):
    """BILAN_LANG=en: every line of bilan demo as before, in English."""
    code, out, err = english_demo
    assert code == 0
    for line in ("writing the demo pilot into", "reading agents_cd14.csv (agent)",
                 "computing profiles", "computing attendance", "writing the report into"):
        assert line in err
    assert "CSV tables)" in out and "in a browser." in err
    assert "écriture" not in err and "calcul" not in err and "[   0.0 s]" in err


def test_demo_report_follows_the_command_language(french_demo, english_demo, tmp_path):
    """The demo's report is written in the command's language."""
    french_html = next(line for line in french_demo[1].splitlines() if line.endswith(".html"))
    english_html = next(line for line in english_demo[1].splitlines() if line.endswith(".html"))
    with open(french_html, encoding="utf-8") as handle:
        assert 'lang="fr"' in handle.read()
    with open(english_html, encoding="utf-8") as handle:
        assert 'lang="en"' in handle.read()


# -- report ------------------------------------------------------------------------------

def test_report_speaks_the_pilot_language(capsys, english_pilot, tmp_path):
    """A pilot file saying lang = "en" makes report English without --lang."""
    code, out, err = _run(capsys, "report", str(english_pilot), "--out", str(tmp_path))
    assert code == 0
    assert "computing profiles" in err and "in a browser." in err and "CSV tables" in out


def test_report_on_a_french_pilot_is_french_even_with_bilan_lang(capsys, monkeypatch, pilot,
                                                                 tmp_path):
    """The pilot's lang wins over BILAN_LANG, so report and messages agree."""
    monkeypatch.setenv("BILAN_LANG", "en")
    code, out, err = _run(capsys, "report", str(pilot), "--out", str(tmp_path))
    assert code == 0
    assert "calcul : Satisfaction" in err and "tableaux CSV" in out
    assert _english_left(out + err) == []


def test_report_lang_option_wins_over_the_pilot(capsys, english_pilot, tmp_path):
    """--lang fr on an English pilot: French messages."""
    code, out, err = _run(capsys, "report", str(english_pilot), "--out", str(tmp_path),
                          "--lang", "fr")
    assert code == 0
    assert "écriture du rapport dans" in err
    assert _english_left(out + err) == []


def test_report_user_error_in_french(capsys, pilot, tmp_path):
    """--min-cell 0: a French sentence in a French frame, exit 2."""
    code, _, err = _run(capsys, "report", str(pilot), "--out", str(tmp_path), "--min-cell", "0")
    assert code == 2
    assert err == "bilan : --min-cell doit valoir au moins 1 (reçu : 0).\n"


def test_report_user_error_in_english(capsys, pilot, tmp_path):
    """--min-cell 0 with --lang en: the English sentence, exit 2."""
    code, _, err = _run(capsys, "report", str(pilot), "--out", str(tmp_path), "--min-cell", "0",
                        "--lang", "en")
    assert code == 2
    assert err == "bilan: --min-cell must be at least 1, got 0.\n"


# -- validate ----------------------------------------------------------------------------

def test_validate_notes_are_in_french(capsys, pilot):
    """Reading notes (Note objects) are shown in French on a French pilot."""
    _, out, _ = _run(capsys, "validate", str(pilot))
    assert "note : agents_cd14.csv : colonnes séparées par des points-virgules." in out
    assert "semicolon" not in out


def test_validate_notes_are_in_english(capsys, pilot):
    """The same notes in English with --lang en."""
    _, out, _ = _run(capsys, "validate", str(pilot), "--lang", "en")
    assert "note: agents_cd14.csv: semicolon-delimited." in out


def test_validate_row_problems_are_not_shown_as_a_blank_column(capsys, pilot):
    """A problem of a whole row (an empty row) is counted as such, not as column ''."""
    _, french, _ = _run(capsys, "validate", str(pilot))
    _, english, _ = _run(capsys, "validate", str(pilot), "--lang", "en")
    assert "problèmes portant sur des lignes entières : 1" in french and "«  »" not in french
    assert "problems with whole rows: 1" in english and "column ''" not in english


def test_validate_leaves_no_english_line_in_french(capsys, pilot):
    """validate on a French pilot: summary, progress and notes all French."""
    _, out, err = _run(capsys, "validate", str(pilot))
    assert "lecture : lieux.csv (places)" in err
    assert _english_left(out + err) == []


def test_unusable_source_in_french(capsys, broken_pilot):
    """An unusable source: 'INUTILISABLE' and the count line in French, exit 1."""
    code, out, err = _run(capsys, "validate", str(broken_pilot))
    assert code == 1
    assert "checkins : INUTILISABLE - " in out and "badges_tiers_lieux.csv" in out
    assert "1 source inutilisable." in err
    assert _english_left(out + err) == []


def test_unusable_source_in_english(capsys, broken_pilot):
    """The same source with --lang en: 'UNUSABLE' and '1 source unusable.'."""
    code, out, err = _run(capsys, "validate", str(broken_pilot), "--lang", "en")
    assert code == 1
    assert "checkins: UNUSABLE - " in out and "1 source unusable." in err


def test_unreadable_pilot_error_frame_follows_bilan_lang(capsys, monkeypatch, tmp_path):
    """Before a pilot is read, the error frame is French, or English with BILAN_LANG=en."""
    missing = str(tmp_path / "nope.toml")
    code, _, french = _run(capsys, "validate", missing)
    monkeypatch.setenv("BILAN_LANG", "en")
    _, _, english = _run(capsys, "validate", missing)
    assert code == 2
    assert french.startswith("bilan : ") and "nope.toml" in french
    assert english.startswith("bilan: ") and "nope.toml" in english


# -- baselines, notes as errors, interruptions -------------------------------------------

def test_baselines_english_with_bilan_lang(capsys, monkeypatch):
    """baselines with BILAN_LANG=en: English labels, machine headings, decimal point."""
    monkeypatch.setenv("BILAN_LANG", "en")
    code, out, _ = _run(capsys, "baselines", "--source", "bva-2015")
    assert code == 0
    assert "source_id" in out and "teleworkers (France)" in out and "0.57" in out


def test_baselines_error_frame_in_both_languages(capsys):
    """An unknown source: the library's sentence in a French or English frame."""
    code, _, french = _run(capsys, "baselines", "--source", "bva-2051")
    _, _, english = _run(capsys, "baselines", "--source", "bva-2051", "--lang", "en")
    assert code == 2
    assert french.startswith("bilan : ") and "bva-2015" in french
    assert english.startswith("bilan: ") and "bva-2015" in english


def _raise_note(*args, **kwargs):
    raise SurveyError(Note("bom", file="x.csv"))


@pytest.mark.parametrize("lang, expected", [
    ("fr", "bilan : x.csv : indicateur d'ordre des octets UTF-8 (BOM) retiré.\n"),
    ("en", "bilan: x.csv: UTF-8 byte-order mark removed.\n"),
])
def test_an_error_that_is_a_note_is_shown_in_the_command_language(capsys, monkeypatch, lang,
                                                                   expected):
    """A SurveyError whose message is a Note is written in the command's language."""
    monkeypatch.setattr(analysis, "baselines", _raise_note)
    code, _, err = _run(capsys, "baselines", "--lang", lang)
    assert code == 2 and err == expected


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize("lang, expected", [("fr", "bilan : interrompu.\n"),
                                            ("en", "bilan: interrupted.\n")])
def test_interruption_in_both_languages(capsys, monkeypatch, lang, expected):
    """Ctrl-C: one line in the command's language, exit 130."""
    monkeypatch.setattr(analysis, "baselines", _interrupt)
    code, _, err = _run(capsys, "baselines", "--lang", lang)
    assert code == 130 and err == expected


@pytest.mark.parametrize("lang, message, expected", [
    ("fr", "computing profiles", "calcul : Profil des participants"),
    ("fr", "reading a.csv (agent)", "lecture : a.csv (agent)"),
    ("en", "computing profiles", "computing profiles"),
    ("fr", "something new", "something new"),
])
def test_evaluate_progress_messages_are_translated(capsys, lang, message, expected):
    """The English messages of analysis.evaluate are shown in the command's language."""
    cli._Progress(cli._Voice(lang))(message)
    assert capsys.readouterr().err.endswith(f"s] {expected}\n")


def test_closed_pipe_is_not_a_traceback(tmp_path):
    """`bilan baselines | head`: the reader leaves early; no traceback, exit code 1."""
    environment = dict(os.environ)
    environment.pop("BILAN_LANG", None)
    with subprocess.Popen([sys.executable, "-m", "reports.cli", "baselines"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment) as child:
        child.stdout.close()  # before the child has written anything: it starts in ~1 s
        err = child.stderr.read().decode()
        code = child.wait(timeout=120)
    assert code == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_argparse_errors_are_french_in_a_french_command(tmp_path, capsys):
    """A missing --out or a misspelt command: argparse's own English message is given
    in French too ("arguments obligatoires manquants : --out"), exit code 2."""
    from reports.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["report", str(tmp_path / "p.toml"), "--lang", "fr"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "arguments obligatoires manquants : --out" in err
    assert "the following arguments" not in err
