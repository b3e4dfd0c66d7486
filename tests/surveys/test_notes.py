"""Reader notes: English text for code, French text for French reports."""

from __future__ import annotations

import pickle
import string

import pytest

from surveys.notes import MESSAGES, Note


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_have_the_same_placeholders(key):
    """The French and English templates of a note use the same placeholders."""
    assert set(MESSAGES[key]) == {"en", "fr"}
    assert _fields(MESSAGES[key]["fr"]) == _fields(MESSAGES[key]["en"])
    assert MESSAGES[key]["fr"] != MESSAGES[key]["en"]


def test_note_is_its_english_text():
    """A note compares, prints and searches as its English text."""
    note = Note("unmapped", file="a.csv", count=2, shown="'x', 'y'")
    assert note == "a.csv: 2 column(s) matched no variable and were not kept: 'x', 'y'."
    assert "matched no variable" in note and note.startswith("a.csv")


def test_note_in_french():
    """in_language('fr') gives the French template with the same values."""
    note = Note("sheet", file="b.xlsx", sheet="'Entreprises'")
    assert note.in_language("fr") == "b.xlsx : feuille 'Entreprises' lue."
    assert note.in_language("en") == str(note)


def test_note_survives_pickling():
    """A pickled note comes back with its key and values (surveys cached on disk)."""
    note = Note("cp1252", file="c.csv", line=3)
    back = pickle.loads(pickle.dumps(note))
    assert back == note and back.key == "cp1252" and back.in_language("fr") == note.in_language("fr")


def test_unknown_key_is_refused():
    """A note needs a known message key."""
    with pytest.raises(KeyError):
        Note("no-such-note", file="x")
