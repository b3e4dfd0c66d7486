"""bilan init: a draft pilot file from the exports; user errors exit 2 naming the file."""

from __future__ import annotations

import tomllib

import pytest

from reports.cli import main
from surveys import demo

#: The demo's exports and the kinds its own pilot file gives them.
DEMO_KINDS = {"agents_cd14.csv": "agent", "entreprises_cci.xlsx": "company",
              "tiers_lieux_limesurvey.csv": "thirdplace", "badges_tiers_lieux.csv": "attendance",
              "lieux.csv": "places"}


@pytest.fixture(autouse=True)
def _no_language_variable(monkeypatch):
    """The command's language must not depend on the tester's environment."""
    monkeypatch.delenv("BILAN_LANG", raising=False)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The demo's folder: its five exports (and its own pilot.toml, not used here)."""
    return demo(tmp_path_factory.mktemp("init")).parent


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _init(capsys, exports, out, *options):
    return _run(capsys, "init", *[exports / f for f in DEMO_KINDS], "--out", out, *options)


def test_init_writes_a_draft_of_every_source(capsys, exports, tmp_path):
    """init writes one source per export, each of the kind the demo pilot gives it."""
    code, _, _ = _init(capsys, exports, tmp_path / "pilote.toml")
    assert code == 0
    doc = tomllib.loads((tmp_path / "pilote.toml").read_text(encoding="utf-8"))
    kinds = {spec["path"].rsplit("/", 1)[-1]: spec["kind"] for spec in doc["sources"].values()}
    assert kinds == DEMO_KINDS


def test_init_prints_a_summary_and_the_next_step(capsys, exports, tmp_path):
    """init says, per source, the kind, the columns recognised and left, the values to
    recode, then the next command."""
    out_path = tmp_path / "pilote.toml"
    _, out, _ = _init(capsys, exports, out_path)
    assert ("tiers_lieux_limesurvey (tiers_lieux_limesurvey.csv) : type thirdplace ; 9 colonne(s) "
            "reconnue(s), 9 à compléter ou à ignorer ; 3 variable(s) à recoder.") in out
    assert f"puis lancez : bilan validate {out_path}" in out


def test_init_then_validate_exits_0(capsys, exports, tmp_path):
    """The draft of the demo's exports passes bilan validate as it is."""
    _init(capsys, exports, tmp_path / "pilote.toml")
    code, out, _ = _run(capsys, "validate", tmp_path / "pilote.toml")
    assert code == 0
    assert "lieux (places, lieux.csv) : 20 lignes lues, 20 gardées" in out


def test_init_compares_the_baselines_of_the_kinds_present(capsys, exports, tmp_path):
    """[baselines] compare lists the shipped references that fit the kinds drafted."""
    _init(capsys, exports, tmp_path / "all.toml")
    _run(capsys, "init", exports / "lieux.csv", "--out", tmp_path / "places.toml")
    compare = [tomllib.loads((tmp_path / f).read_text(encoding="utf-8"))["baselines"]["compare"]
               for f in ("all.toml", "places.toml")]
    assert compare == [["bva-2015", "citica-2017", "randstad-2016", "aquitaine-2016",
                        "popplace-2017"], ["aquitaine-2016"]]


def test_init_name_and_english(capsys, exports, tmp_path):
    """--name and --lang en set the pilot's name and language, and the messages' language."""
    code, out, _ = _run(capsys, "init", exports / "lieux.csv", "--out", tmp_path / "p.toml",
                        "--name", 'Tiers-lieux "Orne"', "--lang", "en")
    assert code == 0
    pilot = tomllib.loads((tmp_path / "p.toml").read_text(encoding="utf-8"))["pilot"]
    assert (pilot["name"], pilot["lang"]) == ('Tiers-lieux "Orne"', "en")
    assert "lieux (lieux.csv): kind places; 8 column(s) recognised" in out


def test_init_flags_an_uncertain_kind(capsys, tmp_path):
    """A source whose kind is a guess is flagged in the summary."""
    path = tmp_path / "form.csv"
    path.write_text("Timestamp,Question\n2024-01-01,a\n", encoding="utf-8")
    code, out, _ = _run(capsys, "init", path, "--out", tmp_path / "p.toml")
    assert code == 0
    assert "(À VÉRIFIER)" in out and "obligatoire, sans colonne : place_id, user_id" in out


def test_init_missing_file_exits_2_naming_it(capsys, tmp_path):
    """A missing export: exit 2, one message naming it, nothing written."""
    code, _, err = _run(capsys, "init", tmp_path / "absent.csv", "--out", tmp_path / "p.toml")
    assert code == 2
    assert "absent.csv" in err and "introuvable" in err
    assert not (tmp_path / "p.toml").exists()


def test_init_unsupported_file_exits_2_naming_it(capsys, tmp_path):
    """An export of an unsupported type: exit 2, the message names it."""
    path = tmp_path / "survey.lss"
    path.write_text("<document/>", encoding="utf-8")
    code, _, err = _run(capsys, "init", path, "--out", tmp_path / "p.toml")
    assert (code, "survey.lss" in err) == (2, True)


def test_init_existing_output_exits_2_without_force(capsys, exports, tmp_path):
    """An existing pilot file is not replaced: exit 2, one sentence naming it and --force."""
    out_path = tmp_path / "pilote.toml"
    out_path.write_text("# mine\n", encoding="utf-8")
    code, _, err = _run(capsys, "init", exports / "lieux.csv", "--out", out_path)
    assert code == 2
    assert f"{out_path} existe déjà" in err and "--force" in err
    assert out_path.read_text(encoding="utf-8") == "# mine\n"


def test_init_force_replaces_the_output(capsys, exports, tmp_path):
    """--force replaces an existing pilot file."""
    out_path = tmp_path / "pilote.toml"
    out_path.write_text("# mine\n", encoding="utf-8")
    code, _, _ = _run(capsys, "init", exports / "lieux.csv", "--out", out_path, "--force")
    assert code == 0
    assert "[sources.lieux]" in out_path.read_text(encoding="utf-8")


def test_init_output_folder_exits_2(capsys, exports, tmp_path):
    """--out naming a folder: exit 2 with a message naming it."""
    code, _, err = _run(capsys, "init", exports / "lieux.csv", "--out", tmp_path, "--force")
    assert code == 2 and str(tmp_path) in err


def test_init_help_has_a_french_example(capsys):
    """init --help ends with an example, in French by default."""
    with pytest.raises(SystemExit) as stop:
        main(["init", "--help"])
    assert stop.value.code == 0
    assert "exemple : bilan init agents.csv" in capsys.readouterr().out
