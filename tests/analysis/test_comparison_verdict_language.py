"""The ``verdict`` column of a baseline comparison is a machine column: English, the
same in every report's files, with the French sentence in ``verdict_fr`` (review 10,
item 12: the English report's CSV read "pas de test : la référence mesure autre chose")."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import compare_baseline

_FRENCH_WORDS = ("pas ", "plus ", "trop ", "référence", "é")


def _agents(men: int, women: int) -> pd.DataFrame:
    """Agents with the given gender counts."""
    return pd.DataFrame({"gender": pd.Categorical(["M"] * men + ["F"] * women,
                                                  categories=["F", "M", "X"])})


def _companies() -> pd.DataFrame:
    """27 companies, 10 of them with fewer than 10 employees (the demo's counts)."""
    return pd.DataFrame({"size_band": ["<10"] * 10 + ["10-49"] * 17})


def test_untested_reference_verdict_is_english():
    """A reference measuring another thing reads 'not tested: ...' in ``verdict``."""
    table = compare_baseline(_companies(), "bva-2015", kind="company")
    row = table.set_index("indicator").loc["small_company"]
    assert row["test"] == "descriptive"
    assert row["verdict"] == "not tested: the reference measures another thing (see its note)"
    assert row["verdict_fr"] == "pas de test : la référence mesure autre chose (voir sa note)"


@pytest.mark.parametrize(("men", "women", "start"), [
    (14, 26, "lower than"), (38, 2, "higher than"), (27, 13, "no detectable difference"),
    (2, 3, "too few answers"),
])
def test_every_verdict_is_the_english_one(men, women, start):
    """Lower, higher, no difference, too few: ``verdict`` is ``verdict_en`` on each row."""
    table = compare_baseline(_agents(men, women), "bva-2015", kind="agent")
    assert table["verdict"].tolist() == table["verdict_en"].tolist()
    assert table["verdict"].str.startswith(start).any()


def test_no_french_in_the_verdict_column():
    """No French word or accent in ``verdict``, while ``verdict_fr`` keeps the French."""
    table = pd.concat([compare_baseline(_companies(), "bva-2015", kind="company"),
                       compare_baseline(_agents(14, 26), "bva-2015", kind="agent"),
                       compare_baseline(_agents(2, 3), "bva-2015", kind="agent")])
    for word in _FRENCH_WORDS:
        assert not table["verdict"].str.contains(word, regex=False).any(), word
    assert table["verdict_fr"].str.contains("é", regex=False).any()
