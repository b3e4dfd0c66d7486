"""The bilan command: every user error is one clear message and exit code 2, never a traceback."""

from __future__ import annotations

import shutil

import pytest

from reports.cli import main
from surveys import demo


@pytest.fixture(autouse=True)
def _no_language_variable(monkeypatch):
    """The command's language must not depend on the tester's environment."""
    monkeypatch.delenv("BILAN_LANG", raising=False)


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    """The demo pilot file."""
    return demo(tmp_path_factory.mktemp("cli"))


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize("command", ["demo", "validate", "report", "baselines"])
def test_help_has_an_example(capsys, monkeypatch, command):
    """Each command's --help ends with an example (English with BILAN_LANG=en)."""
    monkeypatch.setenv("BILAN_LANG", "en")
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert f"example: bilan {command}" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["demo", "validate", "report", "baselines"])
def test_help_has_a_french_example_by_default(capsys, command):
    """Each command's --help ends with an example, in French by default."""
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert f"exemple : bilan {command}" in capsys.readouterr().out


def test_validate_prints_the_quality_summary(capsys, pilot):
    """validate reads every source and says what was kept and excluded, and why."""
    code, out, _ = _run(capsys, "validate", str(pilot), "--lang", "en")
    assert code == 0
    assert "agents (agent, agents_cd14.csv): 87 rows read, 85 kept, 2 excluded" in out
    assert "excluded: 1 x duplicate respondent" in out
    assert "questionnaire started but not submitted" in out


def test_validate_prints_the_quality_summary_in_french(capsys, pilot):
    """validate on a French pilot speaks French: counts, exclusion reasons in words."""
    code, out, _ = _run(capsys, "validate", str(pilot))
    assert code == 0
    assert "agents (agent, agents_cd14.csv) : 87 lignes lues, 85 gardées, 2 écartées" in out
    assert "écartées : 1 × réponse en double (même répondant)" in out
    assert "questionnaire commencé mais non envoyé" in out


def test_validate_missing_pilot(capsys, tmp_path):
    """A pilot file that does not exist: exit 2, the message names it."""
    code, _, err = _run(capsys, "validate", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "nope.toml" in err


def test_validate_unusable_source(capsys, pilot, tmp_path):
    """A source missing a required column makes validate exit 1, naming file and column."""
    folder = tmp_path / "pilot"
    shutil.copytree(pilot.parent, folder)
    (folder / "badges_tiers_lieux.csv").write_text("lieu,badge\nTL101,B1\n", encoding="utf-8")
    code, out, _ = _run(capsys, "validate", str(folder / "pilot.toml"), "--lang", "en")
    assert code == 1
    assert "checkins: UNUSABLE" in out
    assert "badges_tiers_lieux.csv" in out and "horodatage" in out


def test_validate_prints_sources_in_the_pilot_order(capsys, pilot, tmp_path):
    """The check-in log is read in a second thread; its summary (here: unusable) still
    comes at its place in the pilot file, between the ones read in turn."""
    folder = tmp_path / "pilot"
    shutil.copytree(pilot.parent, folder)
    (folder / "badges_tiers_lieux.csv").write_text("lieu,badge\nTL101,B1\n", encoding="utf-8")
    (folder / "agents_cd14.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    code, out, err = _run(capsys, "validate", str(folder / "pilot.toml"), "--lang", "en")
    assert code == 1
    starts = [line.split(":")[0].split(" (")[0] for line in out.splitlines()
              if not line.startswith(" ")]
    assert starts == ["agents", "companies", "users", "checkins", "places"]
    assert "agents: UNUSABLE" in out and "checkins: UNUSABLE" in out
    assert "2" in err


def test_report_rejects_min_cell_zero(capsys, pilot, tmp_path):
    """--min-cell 0 is a user error."""
    code, _, err = _run(capsys, "report", str(pilot), "--out", str(tmp_path), "--min-cell", "0")
    assert code == 2
    assert "--min-cell" in err


def test_report_on_broken_toml(capsys, tmp_path):
    """A pilot file that is not valid TOML: exit 2, the message names the file."""
    bad = tmp_path / "broken.toml"
    bad.write_text("[pilot\nname = 'x'\n", encoding="utf-8")
    code, _, err = _run(capsys, "report", str(bad), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "broken.toml" in err


def test_report_on_unknown_kind(capsys, tmp_path):
    """An unknown source kind: exit 2, the message names the key and the allowed kinds."""
    (tmp_path / "a.csv").write_text("id\n1\n", encoding="utf-8")
    bad = tmp_path / "pilot.toml"
    bad.write_text('[pilot]\nname = "x"\n[sources.a]\nkind = "agnet"\npath = "a.csv"\n',
                   encoding="utf-8")
    code, _, err = _run(capsys, "report", str(bad), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "pilot.toml" in err and "agnet" in err and "agent" in err


def test_baselines_lists_a_source(capsys):
    """baselines --source shows that source's figures."""
    code, out, _ = _run(capsys, "baselines", "--source", "bva-2015", "--lang", "en")
    assert code == 0
    assert "bva-2015" in out and "0.57" in out and "1267" in out


def test_baselines_lists_a_source_in_french(capsys):
    """baselines in French writes decimal commas and French headings and units."""
    code, out, _ = _run(capsys, "baselines", "--source", "bva-2015")
    assert code == 0
    assert "bva-2015" in out and "0,57" in out and "1267" in out
    assert "Libellé" in out and " part " in out and " share " not in out


def test_baselines_unknown_source(capsys):
    """An unknown source id: exit 2, the message lists the known ids."""
    code, _, err = _run(capsys, "baselines", "--source", "bva-2051")
    assert code == 2
    assert "bva-2015" in err


def test_no_command_prints_help(capsys):
    """bilan alone prints the help and exits 2."""
    code, out, _ = _run(capsys)
    assert code == 2
    assert "validate" in out


def test_baselines_in_french_and_english(capsys):
    """baselines shows labels and populations in the language asked (French by default)."""
    _, french, _ = _run(capsys, "baselines", "--source", "bva-2015")
    _, english, _ = _run(capsys, "baselines", "--source", "bva-2015", "--lang", "en")
    assert "télétravailleurs (France)" in french and "teleworkers (France)" not in french
    assert "teleworkers (France)" in english and "Manager (all respondents)" in english
