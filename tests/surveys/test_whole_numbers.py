"""Whole-number answers parsed as integers by the text reader, and the text they fall back to.

``surveys.read`` tells the reader which columns hold variables answered with whole
numbers (ages, counts, Likert points, 0-10 scores). The reader parses them as integers
when the first records hold plain whole numbers, and as text when any value further
down is something else. These tests check that both routes give what the DataFrame
route gives (the same data, the same problems with the cell's own text).
"""

from __future__ import annotations

import pandas as pd
import pytest

import surveys
from surveys._readers import read_raw
from surveys.errors import SurveyError

N = 2100  # more records than the reader samples (2000) to choose a column's type
MAPPING = {"Identifiant": "respondent_id", "Âge": "age", "Département": "department",
           "Satisfaction": "sat_overall", "Recommandation": "recommend"}


def _rows(n: int = N) -> list[list[str]]:
    return [[f"A{k:04d}", str(25 + k % 30), ["14", "50", "61"][k % 3], str(1 + k % 5),
             str(k % 11)] for k in range(n)]


def _write(tmp_path, rows: list[list[str]]):
    path = tmp_path / "agents.csv"
    lines = [";".join(MAPPING)] + [";".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _from_frame(rows: list[list[str]]) -> surveys.Survey:
    return surveys.read(pd.DataFrame(rows, columns=list(MAPPING)), "agent", mapping=MAPPING,
                        salt="k")


def _same(a: surveys.Survey, b: surveys.Survey) -> None:
    pd.testing.assert_frame_equal(a.data, b.data)
    pd.testing.assert_frame_equal(a.problems, b.problems)
    pd.testing.assert_frame_equal(a.excluded, b.excluded)


def test_hinted_columns_are_read_as_integers(tmp_path):
    """Columns of whole-number variables come out of the reader as categoricals of
    integers (every number from the smallest to the largest), others as text."""
    path = _write(tmp_path, _rows())
    raw = read_raw(path, strings="category",
                   integers=lambda names: {"Âge", "Satisfaction", "Recommandation"})
    satisfaction = raw.data["Satisfaction"]
    assert satisfaction.cat.categories.tolist() == [1, 2, 3, 4, 5]
    assert satisfaction.head(3).tolist() == [1, 2, 3]
    assert raw.data["Âge"].cat.categories.tolist() == list(range(25, 55))
    assert raw.data["Département"].cat.categories.dtype == object  # text: "14", "50", "61"


def test_integer_route_gives_the_dataframe_result(tmp_path):
    """surveys.read of the CSV equals surveys.read of the same cells as a DataFrame."""
    rows = _rows()
    rows[10][1] = ""  # a missing age
    rows[20][4] = "12"  # a score outside 0-10: a problem
    _same(surveys.read(_write(tmp_path, rows), "agent", mapping=MAPPING, salt="k"),
          _from_frame(rows))


@pytest.mark.parametrize("late,problem", [("abc", True), ("12,5", True), ("40000", True),
                                          ("031", False), (" 31", False), ("NSP", False)])
def test_a_late_value_that_is_no_plain_integer_falls_back_to_text(tmp_path, late, problem):
    """A value below the sampled records that is not a plain integer: read as text, with
    the same data, problems (the cell's own text) and non-answers as the DataFrame route."""
    rows = _rows()
    rows[-3][1] = late  # below the sample: the column was chosen to be read as integers
    csv = surveys.read(_write(tmp_path, rows), "agent", mapping=MAPPING, salt="k")
    _same(csv, _from_frame(rows))
    pd.testing.assert_frame_equal(csv.nonsubstantive, _from_frame(rows).nonsubstantive)
    assert (late in csv.problems["value"].tolist()) is problem


def test_the_fallback_is_taken(tmp_path, monkeypatch):
    """The late value makes the integer parse fail, and the reader reads the text."""
    from surveys import _text

    calls = []
    original = _text.TextSource._fast_categorical

    def recorded(self, *args):
        calls.append(set(self._integers))
        return original(self, *args)

    monkeypatch.setattr(_text.TextSource, "_fast_categorical", recorded)
    rows = _rows()
    rows[-3][1] = "abc"
    surveys.read(_write(tmp_path, rows), "agent", mapping=MAPPING, salt="k")
    assert calls[0] and calls[1] == set()


def test_mapping_errors_still_named_after_the_hint(tmp_path):
    """A mapping to an absent column still raises the usual error, naming the column."""
    with pytest.raises(SurveyError, match="Ancienneté"):
        surveys.read(_write(tmp_path, _rows()), "agent",
                     mapping={**MAPPING, "Ancienneté": "seniority_months"}, salt="k")


def test_widely_spread_numbers_give_the_dataframe_result(tmp_path):
    """Numbers too far apart for a category per value in between (25 ... 9000) are typed
    as the DataFrame route types them, 9000 reported out of range."""
    rows = _rows()
    rows[20][1] = "9000"
    csv = surveys.read(_write(tmp_path, rows), "agent", mapping=MAPPING, salt="k")
    _same(csv, _from_frame(rows))
    assert "9000" in csv.problems["value"].tolist()
