"""The comparison CSV's ``verdict`` column is English in every report's files, the
French sentence staying in ``verdict_fr`` (review 10, item 12); the page still words
each verdict in its own language."""

from __future__ import annotations

import pandas as pd


def _comparisons(page) -> pd.DataFrame:
    """The report's baselines_comparisons.csv."""
    return pd.read_csv(page.parent / "csv" / "baselines_comparisons.csv")


def test_english_report_verdicts_are_english(demo_reports):
    """In the English report's CSV, every verdict is the English one, none French."""
    table = _comparisons(demo_reports["en"]).fillna({"verdict": "", "verdict_en": ""})
    assert table["verdict"].tolist() == table["verdict_en"].tolist()
    assert not table["verdict"].str.contains("pas de test|référence|différence").any()
    assert table["verdict"].str.startswith("not tested: the reference measures").sum() == 2


def test_french_report_keeps_french_verdicts_beside(demo_reports):
    """The French report's CSV has the same ``verdict`` and the French in ``verdict_fr``."""
    french = _comparisons(demo_reports["fr"])
    english = _comparisons(demo_reports["en"])
    assert french["verdict"].equals(english["verdict"])
    assert french["verdict_fr"].str.startswith("pas de test : la référence mesure").sum() == 2


def test_french_page_words_the_untested_verdict_in_french(demo_reports):
    """The French page's comparison still reads its verdict in French."""
    text = demo_reports["fr"].read_text(encoding="utf-8")
    assert "Comparaison descriptive, sans test" in text
    assert "not tested" not in text and "no detectable difference" not in text
