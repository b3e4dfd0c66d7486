"""`bilan validate` (review 11): what `bilan report` would refuse or write around is an
error of validate (baseline ids, [impact] names, raking margins against the data)."""

from __future__ import annotations

from pathlib import Path

from reports.cli import main

AGENTS = "N°;Genre\n1;F\n2;F\n3;M\n"

PILOT = """\
[pilot]
name = "Essai"

[sources.agents]
kind = "agent"
path = "agents.csv"

[sources.agents.mapping]
"N°" = "respondent_id"
"Genre" = "gender"
"""


def _pilot(folder: Path, extra: str = "") -> Path:
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    path = folder / "pilot.toml"
    path.write_text(PILOT + extra, encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_clean_small_pilot(capsys, tmp_path):
    """A pilot with known ids and fitting margins validates with exit 0."""
    path = _pilot(tmp_path, '[weighting.agents]\ngender = { Femme = 0.6, Homme = 0.4 }\n'
                            '[baselines]\ncompare = ["bva-2015"]\n[impact]\ncommute_km = 20\n')
    code, out, err = _run(capsys, "validate", str(path))
    assert code == 0, out + err
    assert "ERREUR" not in out


def test_validate_unknown_baseline_id(capsys, tmp_path):
    """An unknown baseline id: exit 1, a French sentence naming it and the known ids."""
    path = _pilot(tmp_path, '[baselines]\ncompare = ["bva-2051"]\n')
    code, out, err = _run(capsys, "validate", str(path))
    assert code == 1
    assert ("ERREUR - pilot.toml : [baselines] compare : aucune source de référence nommée "
            "'bva-2051'. Vouliez-vous dire 'bva-2015' ?") in out
    assert "No baseline source" not in out
    assert "1 erreur dans le fichier du pilote." in err


def test_validate_unknown_impact_name(capsys, tmp_path):
    """A mistyped [impact] name: exit 1, the close name suggested."""
    path = _pilot(tmp_path, "[impact]\nco2_kg_per_kmm = 0.1\n")
    code, out, _ = _run(capsys, "validate", str(path), "--lang", "en")
    assert code == 1
    assert "[impact] co2_kg_per_kmm is not a parameter" in out
    assert "Did you mean 'co2_kg_per_km'?" in out


def test_validate_zero_margin(capsys, tmp_path):
    """A margin of 0 for a category with respondents: exit 1, after the source's summary."""
    path = _pilot(tmp_path, "[weighting.agents]\ngender = { F = 1.0, M = 0 }\n")
    code, out, _ = _run(capsys, "validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("agents (agent, agents.csv) : 3 lignes lues")
    assert lines[-1].startswith("agents : ERREUR - pilot.toml : [weighting.agents] : gender : "
                                "M = 0, mais gender vaut M pour 1 répondant ;")


def test_validate_margin_column_absent(capsys, tmp_path):
    """A margin on a column the data lacks: exit 1, the variable suggested."""
    path = _pilot(tmp_path, "[weighting.agents]\ngenre = { F = 0.5, M = 0.5 }\n")
    code, out, _ = _run(capsys, "validate", str(path))
    assert code == 1
    assert "pas de colonne 'genre' dans agents.csv une fois lu. Vouliez-vous dire 'gender' ?" in out


def test_validate_pilot_with_bom(capsys, tmp_path):
    """A pilot file saved with a byte-order mark validates."""
    path = _pilot(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = _run(capsys, "validate", str(path))
    assert code == 0, err
    assert "3 lignes lues" in out


def test_validate_population_inf(capsys, tmp_path):
    """population = inf: exit 2, one sentence naming the key, no traceback."""
    path = _pilot(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'path = "agents.csv"', 'path = "agents.csv"\npopulation = inf'), encoding="utf-8")
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    assert err.strip() == ("bilan : pilot.toml : [sources.agents] population = inf ; donnez un "
                           "nombre positif et fini ou le nom d'une colonne de tailles par strate.")
