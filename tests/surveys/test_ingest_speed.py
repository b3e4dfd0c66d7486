"""The fast paths of the text reader and of validation give what the slow paths give.

Each fast path (quotes checked on bytes, the body parsed in two halves, columns a tool
drops left unconverted, blank cells found with Arrow, ASCII folding, reasons kept as
codes) is compared with the plain Python way of getting the same answer.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
import surveys._text as text_module
import surveys._tools as tools_module
from surveys._readers import read_raw
from surveys import _body_bytes as body_bytes
from surveys._body_bytes import quote_verdict
from surveys._columns import blank_mask
from surveys._tools import dropped_columns
from surveys._values import fold_many, fold_value


def strict_clean(text: str) -> bool:
    """Python's strict csv reader parses ``text`` and finds no empty record."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return False
    return all(len(r) > 0 for r in records)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet='a,"\n\r ', min_size=1, max_size=30))
def test_quote_verdict_agrees_with_strict_csv(text):
    """Whenever the byte check gives a verdict, Python's strict csv reader agrees."""
    data = text.encode()
    verdict = quote_verdict(data, 0, len(data), ",")
    if verdict is not None:
        assert verdict == strict_clean(text)


@pytest.mark.parametrize("text, expected", [
    ('a,"b,c"\nd,"e ""f"""\n', True),
    ('a,"b\n\nc"\nd,e', True),        # a blank line inside quotes is data
    ('a,"b"\n\nd,e', False),          # a blank line outside quotes is a record of no field
    ('a,"b"x\nd,e', False),           # text after a closing quote
    ('a,"b\nd,e', False),             # a quoted field never closed
    ('a,"b"\r\n\r\nd,e', False),      # a blank CRLF line
    ('a, "b"\nd,e', None),            # a quote inside an unquoted field: csv decides
])
def test_quote_verdict_examples(text, expected):
    """Clean quoting, blank lines in and out of quotes and malformed quotes are told apart."""
    data = text.encode()
    assert quote_verdict(data, 0, len(data), ",") is expected


def quoted_csv(n: int) -> str:
    """A comma CSV whose quoted comments hold commas, doubled quotes and line ends."""
    lines = ["id,service,comment"]
    for i in range(n):
        comment = f'"line {i}\nnext, ""quoted"" {i % 7}"' if i % 3 == 0 else f"plain {i % 5}"
        lines.append(f"A{i},S{i % 4},{comment}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("strings", ["category", "object"])
def test_body_parsed_in_halves_equals_one_piece(tmp_path, monkeypatch, strings):
    """Cutting the body in two at a line end outside quotes gives the same table."""
    path = tmp_path / "q.csv"
    path.write_text(quoted_csv(3001), encoding="utf-8")
    whole = read_raw(path, strings=strings)
    cuts = []
    original = text_module.halves

    def recorded(*args):
        cuts.append(original(*args))
        return cuts[-1]

    monkeypatch.setattr(body_bytes, "_SPLIT_BYTES", 64)
    monkeypatch.setattr(text_module, "halves", recorded)
    halves = read_raw(path, strings=strings)
    pd.testing.assert_frame_equal(halves.data, whole.data)
    assert halves.rows.tolist() == whole.rows.tolist()
    assert strings == "object" or len(cuts[-1]) == 2


def test_halves_never_cut_inside_a_quoted_field():
    """The cut falls on a line end with an even number of quotes before it."""
    data = quoted_csv(400).encode()
    start = data.index(b"\n") + 1
    for mid_shift in range(0, 2000, 37):
        spans = body_bytes.halves(data[: len(data) - mid_shift], start,
                                   len(data) - mid_shift - 1, True)
        if len(spans) == 2:
            assert data.count(b'"', start, spans[1][0]) % 2 == 0


LIMESURVEY = ("id,submitdate,lastpage,startlanguage,seed,ipaddr,Q1,COMMENT\n"
              "1,2016-01-02 10:00:00,3,fr,123,192.0.2.1,A1,\"bien, merci\"\n"
              "2,,2,fr,456,192.0.2.2,A2,\n"
              "3,2016-01-03 11:00:00,3,fr,789,192.0.2.3,,\"rien\"\n")


def test_dropped_columns_are_the_ones_the_tool_drops(tmp_path):
    """The columns left unconverted are exactly the LimeSurvey system and IP columns."""
    names = LIMESURVEY.splitlines()[0].split(",")
    assert [names[i] for i in dropped_columns("limesurvey", names)] == [
        "lastpage", "startlanguage", "seed", "ipaddr"]


def test_skipped_columns_give_the_same_table(tmp_path, monkeypatch):
    """Reading without converting the dropped columns gives the table converting them gives."""
    path = tmp_path / "ls.csv"
    path.write_text(LIMESURVEY * 1 + "".join(
        f"{i},2016-01-04 09:00:00,3,fr,{i},192.0.2.9,A1,x\n" for i in range(4, 400)),
        encoding="utf-8")
    lean = read_raw(path, strings="category")
    monkeypatch.setattr("surveys._readers.dropped_columns", lambda tool, names: [])
    full = read_raw(path, strings="category")
    pd.testing.assert_frame_equal(lean.data, full.data)
    assert lean.notes == full.notes
    pd.testing.assert_frame_equal(lean.excluded, full.excluded)


def test_bad_byte_in_a_skipped_column_still_decodes_the_file_as_cp1252(tmp_path):
    """A cp1252 byte in a dropped column sends the file to cp1252 decoding, as before."""
    path = tmp_path / "ls.csv"
    body = LIMESURVEY.replace("192.0.2.2", "192.0.2.2é").encode("cp1252")
    path.write_bytes(body)
    raw = read_raw(path, strings="category")
    assert any("decoded as cp1252" in note for note in raw.notes)
    assert "ipaddr" not in raw.data.columns


@pytest.mark.parametrize("values", [
    pd.Index(["a", " ", "\u3000\u00a0", "", "\tb "]),
    pd.Index(["a", " ", ""], dtype="string[pyarrow]"),
    np.array([1.0, " ", "x", None], dtype=object),
])
def test_blank_values_follow_python_strip(values):
    """Blank cells are the missing ones and those whose ``str(value).strip()`` is empty."""
    expected = [v is None or str(v).strip() == "" for v in values]
    assert blank_mask(pd.Series(values)).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aZ `'\t\n\r\f-0", max_size=8), min_size=64, max_size=90))
def test_ascii_folding_matches_fold_value(texts):
    """The ASCII shortcut of fold_many folds as fold_value does, one string at a time."""
    assert fold_many(texts) == [fold_value(t) for t in texts]


def test_redacted_comment_read_from_csv(tmp_path):
    """A free-text column read as categories is redacted, missing texts stay None."""
    path = tmp_path / "agents.csv"
    path.write_text("Identifiant;Sexe;Commentaire\nA1;F;écrire à a.b@example.org\n"
                    "A2;M;\nA3;F;écrire à a.b@example.org\n", encoding="utf-8")
    data = surveys.read(path, "agent", mapping={"Commentaire": "comment"}, salt="s").data
    assert data["comment"].tolist() == ["écrire à [e-mail]", None, "écrire à [e-mail]"]
    assert data["comment"].dtype == object


def test_all_missing_comment_is_none(tmp_path):
    """A free-text column with no answer is a column of None."""
    path = tmp_path / "agents.csv"
    path.write_text("Identifiant;Sexe;Commentaire\nA1;F;\nA2;M; \n", encoding="utf-8")
    data = surveys.read(path, "agent", mapping={"Commentaire": "comment"}, salt="s").data
    assert data["comment"].tolist() == [None, None]


def test_duplicate_and_empty_rows_reasons(tmp_path):
    """Duplicates name the first row, empty rows are told apart, each with its problem."""
    path = tmp_path / "agents.csv"
    path.write_text("Identifiant;Sexe\nA1;F\nA1;M\n;\nA2;F\nA1;F\n", encoding="utf-8")
    survey = surveys.read(path, "agent", salt="s")
    assert survey.excluded.to_dict("list") == {
        "row": [2, 3, 5], "reason": ["duplicate respondent", "empty row", "duplicate respondent"]}
    problems = survey.problems[survey.problems["action"] == "excluded_row"]
    assert problems["reason"].tolist() == ["same respondent_id as row 1", "the row is empty",
                                           "same respondent_id as row 1"]
    assert problems["column"].tolist() == ["Identifiant", "", "Identifiant"]


def test_apply_tool_drops_what_dropped_columns_names():
    """apply_tool drops what dropped_columns announces, with one note per group."""
    frame = pd.DataFrame({"id": ["1"], "submitdate": ["x"], "lastpage": ["2"], "ipaddr": ["ip"]})
    data, _, _, notes = tools_module.apply_tool("limesurvey", frame, np.array([1]), "f.csv")
    assert list(data.columns) == ["id", "submitdate"]
    assert len(notes) == 2
