"""Identifier columns the text reader leaves as Arrow strings (values all distinct).

A CSV column whose first records are all distinct is not dictionary-encoded: its ids
are stripped, hashed and checked for duplicates row by row. These tests check that this
route gives what the categorical route gives (the same pseudonyms, the same duplicates,
the same blanks) on files long enough to take it.
"""

from __future__ import annotations

import pandas as pd

import surveys
from surveys._readers import read_raw

N = 60  # more than the reader's sample of distinct values (20)


def _write(tmp_path, ids: list[str], name: str = "agents.csv"):
    """An agent CSV with the given ids and one answer per row."""
    lines = ["Identifiant;Âge"] + [f"{i};{30 + k % 20}" for k, i in enumerate(ids)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ids(n: int = N) -> list[str]:
    return [f"A{k:04d}" for k in range(n)]


def test_distinct_column_stays_arrow_strings(tmp_path):
    """The reader leaves an all-distinct column as string[pyarrow], not a categorical."""
    raw = read_raw(_write(tmp_path, _ids()), strings="category")
    assert str(raw.data["Identifiant"].dtype) == "string"
    assert isinstance(raw.data["Âge"].dtype, pd.CategoricalDtype)


def test_pseudonyms_match_the_categorical_route(tmp_path):
    """The same ids give the same pseudonyms read from a long CSV or a DataFrame."""
    ids = _ids()
    from_csv = surveys.read(_write(tmp_path, ids), "agent", salt="k").data["respondent_id"]
    frame = pd.DataFrame({"Identifiant": ids, "Âge": [str(30 + k % 20) for k in range(N)]})
    from_frame = surveys.read(frame, "agent", salt="k").data["respondent_id"]
    assert from_csv.tolist() == from_frame.tolist()
    assert from_csv.str.fullmatch("[0-9a-f]{16}").all()


def test_duplicate_after_the_sample_is_excluded(tmp_path):
    """An id repeated far below the sampled records is still a duplicate, named by row."""
    ids = _ids() + ["A0003"]
    survey = surveys.read(_write(tmp_path, ids), "agent", salt="k")
    assert len(survey.data) == N
    assert survey.excluded["row"].tolist() == [N + 1]
    assert survey.excluded["reason"].tolist() == ["duplicate respondent"]
    detail = survey.problems.loc[survey.problems["row"] == N + 1, "reason"].tolist()
    assert detail == ["same respondent_id as row 4"]


def test_spaces_and_whole_floats_are_the_same_id(tmp_path):
    """' A0001 ' and '12.0' read as 'A0001' and '12': duplicates of those ids."""
    ids = _ids() + [" A0001 ", "12", "12.0"]
    survey = surveys.read(_write(tmp_path, ids), "agent", salt="k")
    assert survey.excluded["row"].tolist() == [N + 1, N + 3]
    assert len(survey.data) + len(survey.excluded) == N + 3


def test_blank_id_is_missing_not_hashed(tmp_path):
    """A blank id (spaces only) stays missing: no pseudonym, no duplicate of another blank."""
    ids = _ids()
    ids[30] = "  "
    ids[40] = ""
    survey = surveys.read(_write(tmp_path, ids), "agent", salt="k")
    ids_out = survey.data["respondent_id"]
    assert len(survey.data) == N
    assert ids_out.isna().sum() == 2
    assert ids_out.dropna().is_unique


def test_unhashed_ids_are_strings(tmp_path):
    """An id that is not hashed (a place) keeps its stripped text, as string[pyarrow]."""
    lines = ["place_id;type"] + [f" P{k:03d} ;coworking" for k in range(N)]
    path = tmp_path / "places.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = surveys.read(path, "places").data
    assert str(data["place_id"].dtype) == "string"
    assert data["place_id"].tolist()[:2] == ["P000", "P001"]


def test_blank_arrow_strings_are_blank_as_python_says():
    """Arrow strings are blank exactly where Python's strip leaves nothing."""
    from surveys._columns import blank_mask

    values = ["a", " ", "", None, "\u00a0", "\t\n", " b ", "\u2009\u3000", "\u200b", "x\u00a0"]
    expected = [v is None or not v.strip() for v in values]
    assert blank_mask(pd.Series(values, dtype="string[pyarrow]")).tolist() == expected
