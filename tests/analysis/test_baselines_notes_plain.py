"""The reference catalogue's notes are read by people: no code name in them."""

from __future__ import annotations

import re

from analysis import baselines


def test_reference_notes_name_no_variable_or_indicator_code():
    """A note says "the pilot's commute time", never commute_minutes or small_company."""
    catalogue = baselines()
    codes = set(catalogue["indicator"]) | set(catalogue["variable"].dropna())
    for column in ("note", "note_fr"):
        words = set(re.findall(r"[a-z0-9_]+", " ".join(catalogue[column].dropna())))
        assert not {w for w in words & codes if "_" in w}, column
