"""bilan init's draft pilot file holds no respondent's answer: off-list values are quoted
only when shaped like codes, others counted (privacy review 12, finding 6); a free-text
column that the aliases match to an open list is not mapped silently (finding 3)."""

from __future__ import annotations

import tomllib

from surveys.pilot_draft import draft_pilot

AGENTS = """N° agent;Sexe;Encadrant;Direction;Satisfaction globale
1;A1;Oui;RH;4
2;A2;Oui, de Paul Girard;RH;Très bien – Jeanne
3;A1;Non;Routes;Autre : chez ma mère, Bayeux
4;A2;Non;Routes;5
"""


def _draft(tmp_path, name: str, text: str, lang: str = "fr"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return draft_pilot([path], tmp_path / "pilote.toml", name="Essai", lang=lang)


def test_answers_not_copied_codes_quoted(tmp_path):
    """Answers typed with names are not in the draft, counted instead; codes (A1, A2)
    are quoted as recode lines."""
    text = _draft(tmp_path, "agents.csv", AGENTS).text
    for answer in ("Paul Girard", "Jeanne", "Bayeux"):
        assert answer not in text
    assert '# "A1" = ""' in text and '# "A2" = ""' in text
    assert "1 valeur hors liste non recopiée ici" in text  # manager
    assert "2 valeurs hors liste non recopiées ici" in text  # sat_overall
    assert "bilan validate les montre" in text


def test_answers_not_copied_in_english(tmp_path):
    """The English draft counts the answers it does not copy the same way."""
    text = _draft(tmp_path, "agents.csv", AGENTS, lang="en").text
    assert "Paul Girard" not in text and "1 value off the list not copied here" in text


def test_free_text_column_not_mapped(tmp_path):
    """A free-text "Métier" column (every answer different), which the aliases match to
    the users' open list ``field``, is mapped to nothing with a comment saying why."""
    jobs = ["Sage-femme libérale, cabinet Julie Moreau", "Maire adjoint de Vire",
            "Graphiste", "Comptable chez Dupont SA", "Architecte DPLG", "Traductrice",
            "Développeur web", "Consultant RH", "Menuisier", "Journaliste pigiste",
            "Photographe", "Infirmière libérale"]
    rows = [f"{i};A1;A2;{30 + i};{job}" for i, job in enumerate(jobs, 1)]
    text = _draft(tmp_path, "usagers.csv", "id;STATUT;SEXE;AGE;Métier\n" + "\n".join(rows)
                  + "\n").text
    mapping = tomllib.loads(text)["sources"]["usagers"]["mapping"]
    assert mapping["STATUT"] == "status" and mapping["Métier"] == ""
    assert "TEXTE LIBRE ? 12 valeurs différentes pour 12 réponses" in text
    assert "Julie Moreau" not in text
