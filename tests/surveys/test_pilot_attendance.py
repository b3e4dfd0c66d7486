"""The pilot file's [attendance] table: which days a third place counts as open, and
the occupancy below which it is called little used."""

from __future__ import annotations

import pytest

import surveys
from surveys.errors import PilotFileError

BASE = """\
[pilot]
name = "Essai"

[sources.checkins]
kind = "attendance"
path = "badges.csv"
"""


def _read(tmp_path, extra: str = ""):
    (tmp_path / "badges.csv").write_text("place_id;user_id;timestamp\nP1;U1;2016-03-01 10:00\n",
                                         encoding="utf-8")
    path = tmp_path / "pilot.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    return surveys.read_pilot(path)


def test_defaults(tmp_path):
    """Without [attendance], calendar days and a 20 % threshold."""
    assert _read(tmp_path).attendance == {"open_days": "all", "little_used": 0.2}


def test_settings_read(tmp_path):
    """open_days and little_used are read as given."""
    pilot = _read(tmp_path, '\n[attendance]\nopen_days = "weekdays"\nlittle_used = 0.1\n')
    assert pilot.attendance == {"open_days": "weekdays", "little_used": 0.1}


@pytest.mark.parametrize("line, words", [
    ('open_days = "weekend"', "open_days"),
    ("little_used = 20", "little_used"),
    ("little_used = 0", "little_used"),
    ('seuil = 0.1', "seuil"),
])
def test_bad_settings_name_the_key(tmp_path, line, words):
    """A wrong value or an unknown key stops with the file and the key named."""
    with pytest.raises(PilotFileError, match=words) as error:
        _read(tmp_path, f"\n[attendance]\n{line}\n")
    assert "pilot.toml" in str(error.value)
