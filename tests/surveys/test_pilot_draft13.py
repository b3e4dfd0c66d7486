"""bilan init: a lone word found in a single row of a coded column (« jeanne ») is taken
for a first name and counted, never copied into the draft pilot file; codes (words of the
codebooks, words shared by several rows, codes with a digit or an underscore) are still
quoted as recode lines."""

from __future__ import annotations

from surveys.pilot_draft import draft_pilot

HEADER = "N° agent;Sexe;Encadrant;Direction;Satisfaction globale\n"


def _draft(tmp_path, genders: list[str]) -> str:
    """The draft of an agents' export whose gender column holds ``genders``."""
    rows = [f"{i};{g};Oui;RH;4" for i, g in enumerate(genders, 1)]
    path = tmp_path / "agents.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return draft_pilot([path], tmp_path / "pilote.toml", name="Essai", lang="fr").text


def test_a_lone_lowercase_first_name_is_not_copied(tmp_path):
    """« jeanne », typed once in a coded column, is counted, not quoted."""
    text = _draft(tmp_path, ["F", "M", "jeanne", "F"])
    assert "jeanne" not in text.lower()
    assert "1 valeur hors liste non recopiée ici" in text


def test_a_lone_capitalised_or_hyphenated_name_is_not_copied(tmp_path):
    """« Jeanne » and « jean-pierre », each once, are counted, not quoted."""
    text = _draft(tmp_path, ["F", "Jeanne", "jean-pierre", "M"])
    assert "jeanne" not in text.lower() and "jean-pierre" not in text
    assert "2 valeurs hors liste non recopiées ici" in text


def test_codes_found_once_are_still_quoted(tmp_path):
    """Codes found in a single row each: a word of the codebooks (cadre, oui), codes with
    an underscore or a digit (agent_b, cat_a, 2, A1) are quoted as recode lines."""
    codes = ["cadre", "oui", "agent_b", "cat_a", "2", "A1"]
    text = _draft(tmp_path, ["F", *codes])
    for code in codes:
        assert f'# "{code}" = ""' in text, code
    assert "non recopiée" not in text


def test_a_lone_word_shared_by_several_rows_is_quoted(tmp_path):
    """A word no codebook uses but that several respondents gave (« contractuel » three
    times) is a code, quoted."""
    text = _draft(tmp_path, ["F", "contractuel", "M", "contractuel", "contractuel"])
    assert '# "contractuel" = ""' in text and "non recopiée" not in text


def test_a_lowercase_full_name_is_not_copied(tmp_path):
    """« jeanne girard », typed once, is counted, not quoted (privacy review 13, finding 6);
    « non cadre » (words of the codebooks) still is."""
    text = _draft(tmp_path, ["F", "jeanne girard", "non cadre", "M"])
    assert "girard" not in text.lower()
    assert '# "non cadre" = ""' in text


def test_a_login_found_once_is_not_copied(tmp_path):
    """« jeanne_girard », typed once, is counted, not quoted (privacy review 13b, finding 3);
    « cat_a » (one word of three letters) still is."""
    text = _draft(tmp_path, ["F", "jeanne_girard", "cat_a", "M"])
    assert "girard" not in text.lower()
    assert '# "cat_a" = ""' in text
