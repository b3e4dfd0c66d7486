"""The pilot file's ``[impact]`` table: the evaluator's own commute-impact parameters."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import surveys
from analysis import evaluate
from surveys.errors import PilotFileError, SurveyError


def _pilot(demo_dir, tmp_path, impact: str):
    """The demo pilot with an ``[impact]`` table added."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder)
    path = folder / "pilot.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[impact]\n" + impact + "\n",
                    encoding="utf-8")
    return path


def test_pilot_reads_the_impact_table(demo_dir, tmp_path):
    """[impact] values are kept on the Pilot as floats."""
    pilot = surveys.read_pilot(_pilot(demo_dir, tmp_path, "co2_kg_per_km = 0.1"))
    assert pilot.impact == {"co2_kg_per_km": 0.1}


def test_evaluation_uses_the_pilot_parameters(demo_dir, tmp_path):
    """CO2 avoided is the km avoided times the pilot's factor; the parameter table says
    the value came from the user."""
    evaluation = evaluate(surveys.read_pilot(_pilot(demo_dir, tmp_path, "co2_kg_per_km = 0.1")))
    tables = evaluation.sections["impact"].tables
    commute = tables["agents_commute"].data.set_index("indicator")
    assert np.isclose(commute.loc["co2_kg", "estimate"], 0.1 * commute.loc["km", "estimate"],
                      rtol=1e-12)
    parameters = tables["parameters"].data.set_index("parameter")
    assert parameters.loc["co2_kg_per_km", "value"] == 0.1
    assert parameters.loc["co2_kg_per_km", "source"] == "override"
    assert parameters.loc["commute_km", "source"] != "override"


def test_unknown_parameter_names_the_file_and_the_table(demo_dir, tmp_path):
    """A misspelt parameter stops the evaluation with the pilot file, [impact] and the
    parameters there are, in French."""
    pilot = surveys.read_pilot(_pilot(demo_dir, tmp_path, "co2_per_km = 0.1"))
    said = []
    with pytest.raises(SurveyError) as caught:
        evaluate(pilot, progress=said.append)
    assert said == []  # checked before any source is read
    french = caught.value.args[0].in_language("fr")
    assert "pilot.toml : [impact]" in french and "'co2_per_km'" in french
    assert "co2_kg_per_km" in french


@pytest.mark.parametrize("value", ['"beaucoup"', "-1", "true", "nan"])
def test_impact_value_must_be_a_number_at_least_zero(demo_dir, tmp_path, value):
    """A value that is no number at least 0 is refused when the pilot file is read."""
    with pytest.raises(PilotFileError, match=r"\[impact\] co2_kg_per_km"):
        surveys.read_pilot(_pilot(demo_dir, tmp_path, f"co2_kg_per_km = {value}"))
