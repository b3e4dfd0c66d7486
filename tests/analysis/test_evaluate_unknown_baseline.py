"""An unknown baseline id in the pilot file stops the evaluation with one sentence naming
the key and the known ids (it used to put an English note into a French report)."""

from __future__ import annotations

import shutil

import pytest

import analysis
import surveys
from surveys.errors import SurveyError


def test_unknown_baseline_id_is_the_pilot_files_mistake(demo_dir, tmp_path):
    """compare = ["bva-2051"] raises a SurveyError suggesting bva-2015."""
    folder = tmp_path / "pilot"
    shutil.copytree(demo_dir, folder, ignore=shutil.ignore_patterns("report"))
    toml = folder / "pilot.toml"
    text = toml.read_text(encoding="utf-8")
    assert '"bva-2015"' in text
    toml.write_text(text.replace('"bva-2015"', '"bva-2051"', 1), encoding="utf-8")
    with pytest.raises(SurveyError, match="bva-2051.*bva-2015"):
        analysis.evaluate(surveys.read_pilot(toml))
