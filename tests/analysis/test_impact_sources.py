"""The sources of the impact model's parameters are sources: they say where a value comes
from, never what the analyst should do with it (that is in the docstrings)."""

from __future__ import annotations

import re

import pytest

from analysis.impact import impact_parameters


@pytest.mark.parametrize("parameter", impact_parameters()["parameter"].tolist())
def test_parameter_source_holds_no_instruction(parameter):
    """No source asks the reader to check, override or pass a value (``name=...``)."""
    table = impact_parameters().set_index("parameter")
    source = table.loc[parameter, "source"]
    assert not re.search(r"\boverride\b|\bcheck\b|=\.\.\.|\w+=", source), source


def test_emission_factor_source_names_ademe_and_its_value():
    """The CO2 emission factor's source names ADEME's Base Carbone and the value used."""
    source = impact_parameters().set_index("parameter").loc["co2_kg_per_km", "source"]
    assert "ADEME Base Carbone" in source and "0.193 kg CO2e/km" in source
