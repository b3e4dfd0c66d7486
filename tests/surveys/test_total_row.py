"""A spreadsheet's total row ("TOTAL" under the companies) is excluded with its reason,
not counted as one more respondent (robustness review 11, finding 15)."""

from __future__ import annotations

import pandas as pd

import surveys

MAPPING = {"SIRET": "company_id", "Télétravailleurs": "teleworkers", "Secteur": "sector"}


def _read(tmp_path, ids: list[str]) -> surveys.Survey:
    path = tmp_path / "entreprises.csv"
    pd.DataFrame({"SIRET": ids, "Télétravailleurs": range(1, len(ids) + 1),
                  "Secteur": ["public"] * len(ids)}).to_csv(path, index=False, sep=";")
    return surveys.read(path, "company", mapping=MAPPING)


def test_total_row_at_the_bottom_is_excluded(tmp_path):
    """'TOTAL' in the identifier cell of the last row: excluded as a total row."""
    survey = _read(tmp_path, ["111", "222", "333", "TOTAL"])
    assert len(survey) == 3
    assert survey.excluded["reason"].tolist() == ["total row"]


def test_total_words_in_french_and_any_case(tmp_path):
    """'Total général' and ' ensemble ' are summary rows too."""
    survey = _read(tmp_path, ["111", "222", "Total général", " ensemble "])
    assert len(survey) == 2 and (survey.excluded["reason"] == "total row").all()


def test_a_respondent_named_like_a_word_in_the_middle_is_kept(tmp_path):
    """Only rows near the ends are looked at: a middle row is never taken for a total."""
    ids = [str(i) for i in range(10)]
    ids[5] = "Total"
    survey = _read(tmp_path, ids)
    assert len(survey) == 10 and survey.excluded.empty
