"""The report's key messages ("L'essentiel"): written from published cells only."""

from __future__ import annotations

import pandas as pd

from analysis.evaluation_model import Table
from reports.i18n import catalogue
from reports.key_messages import key_messages
from reports.presentation import Prepared
from surveys.notes import Note


def _before_after(rows: list[dict]) -> Prepared:
    frame = pd.DataFrame(rows)
    return Prepared("satisfaction", Table("agents_before_after", frame, "t"), frame, "x")


def _row(item, estimate, p, hidden=False):
    return {"item": item, "test": "wilcoxon", "n": 30, "estimate": None if hidden else estimate,
            "p_value": None if hidden else p, "suppressed": hidden}


def _places(occupancy: list[float], flags: list[bool]) -> Prepared:
    frame = pd.DataFrame({"period": pd.to_datetime(["2016-01-01"] * len(occupancy)),
                          "place_id": [f"p{i}" for i in range(len(occupancy))],
                          "occupancy": occupancy, "little_used": flags,
                          "suppressed": [False] * len(occupancy)})
    note = Note("occupancy_rule", days={"en": "days", "fr": "jours"},
                threshold={"en": "20", "fr": "20"})
    table = Table("by_place_year", frame, "t", notes=[note])
    return Prepared("attendance", table, frame, "y")


def test_a_clear_rise_is_named_with_its_change():
    """An item whose paired test is clear is named, with its mean change."""
    item = _before_after([_row("sat_overall", 0.79, 0.0005), _row("sat_equipment", 0.09, 0.77)])
    text = key_messages([item], catalogue("fr"), {"agents": "Agents"}, [])[0]
    assert "nettement progressé" in text and "+0,79" in text
    assert "quipement" not in text          # no clear change: not named


def test_a_hidden_row_is_never_named():
    """A hidden paired test (suppressed) gives no name and no figure."""
    item = _before_after([_row("sat_autonomy", 0.5, 0.001, hidden=True),
                          _row("sat_equipment", 0.09, 0.77)])
    text = key_messages([item], catalogue("fr"), {"agents": "Agents"}, [])[0]
    assert "Autonomie" not in text
    assert "pas d'évolution nette" in text and "1 question publiée" in text


def test_a_fall_is_said_as_a_fall():
    """A clear fall is written with a minus sign and the word for falling."""
    item = _before_after([_row("sat_manager", -0.6, 0.01)])
    text = key_messages([item], catalogue("en"), {"agents": "Agents"}, [])[0]
    assert "fell clearly" in text and "\u22120.60" in text


def test_every_place_little_used():
    """Every place under the threshold: one sentence with the range of occupancy."""
    text = key_messages([_places([0.02, 0.09], [True, True])], catalogue("en"), {}, [])[0]
    assert text.startswith("Third places: in 2016, all 2 places are little used")
    assert "20% occupancy threshold (2%\u00a0to 9% depending" in text


def test_some_places_little_used():
    """Some places under the threshold: how many of how many."""
    text = key_messages([_places([0.05, 0.3, 0.4], [True, False, False])],
                        catalogue("fr"), {}, [])[0]
    assert "1 lieu sur 3" in text


def test_comparisons_name_clear_differences_and_count_the_rest():
    """Clear differences counted, two at most named (review 12b); hidden ones left out."""
    cards = [{"source": "BVA", "populations": [{"name": "Agents", "label": "", "cards": [
        {"indicator": f"Indicateur {i}", "tone": tone}
        for i, tone in enumerate(["higher"] * 5 + ["similar"] * 2 + ["too_few"])]}]}]
    text = key_messages([], catalogue("fr"), {}, cards)[0]
    assert ("nettement au-dessus pour 5 indicateurs, dont «\u00a0Indicateur 0\u00a0», "
            "«\u00a0Indicateur 1\u00a0»\u00a0;") in text
    assert "Indicateur 2" not in text
    assert "sans écart net pour 2 indicateurs" in text
    assert "Indicateur 7" not in text


def test_nothing_to_say_gives_no_sentence():
    """A pilot without comparisons, waves or places has no key message."""
    assert key_messages([], catalogue("fr"), {}, []) == []


def test_hidden_places_are_said_not_counted():
    """A place whose row is hidden is left out of the count, and the sentence says so."""
    item = _places([0.02, 0.09, float("nan")], [True, True, None])
    item.data["suppressed"] = [False, False, True]
    text = key_messages([item], catalogue("fr"), {}, [])[0]
    assert "les 2 lieux sont peu utilisés" in text
    assert text.endswith("\u00a0; autres lieux, masqués (secret statistique)\u00a0: 1.")


def test_differences_clear_beyond_the_population_are_named_first():
    """A difference clear only for the finite population itself (its test used the finite
    population correction) is named after one clear beyond it (fact-check 13, finding 1)."""
    cards = [{"source": "BVA", "populations": [{"name": "Agents", "label": "", "cards": [
        {"indicator": "Indicateur fini", "tone": "lower", "finite": True},
        {"indicator": "Indicateur net", "tone": "lower"},
        {"indicator": "Indicateur fini 2", "tone": "lower", "finite": True}]}]}]
    text = key_messages([], catalogue("fr"), {}, cards)[0]
    assert "Indicateur net" in text and "Indicateur fini 2" not in text
    assert text.index("Indicateur net") < text.index("Indicateur fini")


def test_demo_card_of_a_finite_population_verdict_has_its_note(demo_reports):
    """The key figure of a clear verdict tested with the finite population correction
    carries the table's footnote, as its row does."""
    page = demo_reports["fr"].read_text(encoding="utf-8")
    start = page.index('class="card-note"')
    notes = page[start:page.index("<h2", start)]   # the key figures' notes only
    assert "Écart net pour les 60 personnes" in notes
