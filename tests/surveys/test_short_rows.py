"""Rows shorter than the header (robustness review 12): padded when they start with an
identifier like the other rows', joined back when they are the pieces of one row cut by
a line break inside an unquoted cell, excluded with their reason otherwise.

The promise tested throughout: every data line is kept or listed as excluded, and the
second half of a cut comment never becomes a respondent of its own.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
from surveys._csv_records import key_shapes, mend_short_rows
from surveys._readers import read_raw

AGENT_MAPPING = {"id": "respondent_id", "age": "age", "comment": "comment"}


def write(path, text: str):
    """Write ``text`` (UTF-8) to ``path``; return the path."""
    path.write_bytes(text.encode("utf-8"))
    return path


def _note(raw, key: str):
    """The note of ``raw`` with message ``key`` (None when absent)."""
    return next((n for n in raw.notes if n.key == key), None)


# --- padding -------------------------------------------------------------------------------

PADDED = "id;age;comment;x\n1;30;ok;a\n2;40\n3;50;bien;c\n"


def test_short_row_with_an_identifier_is_padded(tmp_path):
    """A row cut short after its id and age is kept, its missing fields empty."""
    raw = read_raw(write(tmp_path / "p.csv", PADDED))
    assert raw.rows.tolist() == [1, 2, 3] and raw.excluded.empty
    assert raw.data.iloc[1].tolist() == ["2", "40", None, None]


def test_padded_rows_note_names_the_line(tmp_path):
    """The note counts the padded rows and names their line in the file (header = 1)."""
    note = _note(read_raw(write(tmp_path / "p.csv", PADDED)), "rows_padded")
    assert (note.values["count"], note.values["lines"]) == (1, "3")
    assert "ligne 3 du fichier" in note.in_language("fr")


def test_padded_row_matches_pandas(tmp_path, realdata):
    """A real SurveyMonkey export with a row's last three fields dropped: the padded row
    holds what pandas' read_csv (which pads short rows) reads, and no row is lost."""
    lines = (realdata / "surveymonkey" / "fivethirtyeight_StarWars.csv").read_bytes().split(
        b"\n")
    # data row 5 ends before its last three fields (income, quoted, education, region)
    lines[6] = lines[6][: lines[6].rindex(b',"')]
    path = tmp_path / "sw.csv"
    path.write_bytes(b"\n".join(lines))
    lines = [line for line in lines if line.strip()]
    raw = read_raw(path)
    expected = pd.read_csv(path, skiprows=[1], dtype=str, keep_default_na=False,
                           encoding="cp1252").iloc[4]
    got = raw.data.iloc[list(raw.rows).index(5)]
    assert raw.n_rows == len(lines) - 2 and len(raw.data) == raw.n_rows
    assert [v or "" for v in got.tolist()[-10:]] == expected.tolist()[-10:]
    assert got.tolist()[-3:] == [None, None, None]


def test_one_field_row_is_not_padded(tmp_path):
    """A row of one field may end the row above (its comment cut): excluded, not padded."""
    raw = read_raw(write(tmp_path / "t.csv", "id;age;comment\n1;30;ok\n2;40;Très bien\n7\n"
                                              "3;50;ok\n"))
    assert raw.rows.tolist() == [1, 2, 4]
    assert raw.excluded["row"].tolist() == [3]
    assert "perhaps the end of a row cut by a line break" in raw.excluded["reason"].iloc[0]


def test_short_row_without_identifier_shape_is_not_padded(tmp_path):
    """When the first column holds free text (no identifier shape), nothing is padded."""
    text = "comment;age;x\nbien;30;a\nTrès bien;40\nok;50;c\nsuper;60;d\n"
    raw = read_raw(write(tmp_path / "f.csv", text))
    assert raw.rows.tolist() == [1, 3, 4] and raw.excluded["row"].tolist() == [2]
    assert _note(raw, "rows_padded") is None


def test_padding_works_on_the_categorical_route(tmp_path):
    """``strings="category"`` (what surveys.read uses) gives the same padded values."""
    raw = read_raw(write(tmp_path / "p.csv", PADDED), strings="category")
    assert raw.data["age"].astype(object).tolist() == ["30", "40", "50"]
    assert raw.data["comment"].isna().tolist() == [False, True, False]


def test_many_trimmed_rows_in_a_big_file_are_padded(tmp_path):
    """An export that drops empty trailing fields: every such row of a big file kept."""
    rows = [f"{i};{20 + i % 50};{'ok;x' if i % 7 else ''}".rstrip(";") for i in range(1, 5001)]
    raw = read_raw(write(tmp_path / "big.csv", "id;age;comment;x\n" + "\n".join(rows) + "\n"))
    assert raw.n_rows == 5000 and len(raw.data) == 5000 and raw.excluded.empty
    assert raw.data["comment"].isna().sum() == len(range(7, 5001, 7))
    assert _note(raw, "rows_padded").values["count"] == len(range(7, 5001, 7))


# --- joining the pieces of a row --------------------------------------------------------------

SPLIT = "id;age;comment;x\n1;30;ok;a\n2;40;Très bien\nmerci;b\n3;50;ok;c\n"


def test_split_row_is_joined_with_a_line_break(tmp_path):
    """A comment cut by a line break: its two pieces make one row, the break kept."""
    raw = read_raw(write(tmp_path / "s.csv", SPLIT))
    assert raw.rows.tolist() == [1, 2, 4]
    assert raw.data.iloc[1].tolist() == ["2", "40", "Très bien\nmerci", "b"]


def test_split_row_piece_is_listed_as_excluded(tmp_path):
    """The second piece is listed as excluded, naming the row it was joined to."""
    raw = read_raw(write(tmp_path / "s.csv", SPLIT))
    assert raw.excluded.to_dict("records") == [
        {"row": 3, "reason": "piece of row 2 (cut by a line break inside a cell), joined to it"}]
    assert len(raw.data) + len(raw.excluded) == raw.n_rows == 4


def test_rejoined_rows_note_names_the_first_line(tmp_path):
    """The note counts the rows joined back and names the line where each starts."""
    note = _note(read_raw(write(tmp_path / "s.csv", SPLIT)), "rows_rejoined")
    assert (note.values["count"], note.values["lines"]) == (1, "3")
    assert "recollée" in note.in_language("fr")


def test_rejoined_row_is_not_called_malformed(tmp_path):
    """A row joined back is not counted among the malformed rows set aside: a file whose
    only flaw is a cut comment gets the rejoined note, not the malformed one."""
    raw = read_raw(write(tmp_path / "s.csv", SPLIT))
    assert _note(raw, "malformed") is None


def test_malformed_note_counts_only_rows_set_aside(tmp_path):
    """Beside a joined piece, a one-field row set aside is counted once in the note."""
    raw = read_raw(write(tmp_path / "s.csv", SPLIT + "zzz\n"))
    assert _note(raw, "malformed").values["rows"] == 1
    assert len(raw.excluded) == 2


def test_row_cut_over_three_lines_is_joined(tmp_path):
    """A comment holding two line breaks: three pieces, one row."""
    text = "id;age;comment;x\n1;30;ok;a\n2;40;Très bien\nmerci\nà bientôt;b\n3;50;ok;c\n"
    raw = read_raw(write(tmp_path / "s3.csv", text))
    assert raw.data["comment"].tolist() == ["ok", "Très bien\nmerci\nà bientôt", "ok"]
    assert raw.excluded["row"].tolist() == [3, 4]


def test_split_comment_is_no_fake_respondent(tmp_path):
    """Read as an agent survey, the comment's second half adds no respondent."""
    text = "id;comment;age\n1;ok;30\n2;Très bien\nmerci beaucoup;40\n3;ok;50\n"
    survey = surveys.read(write(tmp_path / "a.csv", text), "agent", mapping=AGENT_MAPPING)
    assert survey.data["age"].tolist() == [30, 40, 50]
    assert survey.data["comment"].tolist()[1] == "Très bien\nmerci beaucoup"
    assert len(survey.data) + len(survey.excluded) == survey.n_rows == 4


def test_real_export_row_cut_in_a_cell_is_joined(tmp_path, realdata):
    """A Google Forms export with a name cut by a line break: the row read as before."""
    source = realdata / "googleforms" / "googleforms_export_kobo-transfer_Kobo_Test.csv"
    before = read_raw(source)
    text = source.read_text(encoding="utf-8").replace("testing3", "test\ning3")
    raw = read_raw(write(tmp_path / "gf.csv", text))
    assert raw.rows.tolist() == [1, 2, 3, 5, 6]
    got = raw.data.drop(columns="Tell me your name!")
    pd.testing.assert_frame_equal(got, before.data.drop(columns="Tell me your name!"))
    assert raw.data["Tell me your name!"].tolist()[2] == "test\ning3"


def test_numeric_continuation_stays_excluded(tmp_path):
    """A cut comment whose second piece starts with a number like an id ("ouvert le\\n12")
    is not padded into respondent 12: both pieces are excluded as ambiguous."""
    text = "id;age;comment;x\n1;30;ok;a\n2;40;ouvert le\n12;b\n3;50;ok;c\n"
    raw = read_raw(write(tmp_path / "n.csv", text))
    assert raw.rows.tolist() == [1, 4]
    assert raw.excluded["row"].tolist() == [2, 3]
    assert all("cannot be joined unambiguously" in r for r in raw.excluded["reason"])


def test_two_short_rows_making_one_row_are_ambiguous(tmp_path):
    """Two short rows that together have the header's width are neither padded nor
    joined: either reading could be right."""
    raw = read_raw(write(tmp_path / "amb.csv", "id;age;x\n1;30;a\n2;40\n3;50\n4;60;c\n"))
    assert raw.rows.tolist() == [1, 4]
    assert raw.excluded["row"].tolist() == [2, 3]
    assert _note(raw, "rows_padded") is None and _note(raw, "rows_rejoined") is None


def test_pieces_not_making_the_width_stay_excluded(tmp_path):
    """Pieces of a row that do not add up to the header's width are not joined."""
    text = "id;age;comment;x;y\n1;30;ok;a;b\n2;40;Très bien\nmerci;b\n3;50;ok;c;d\n"
    raw = read_raw(write(tmp_path / "w.csv", text))
    assert raw.rows.tolist() == [1, 4] and raw.excluded["row"].tolist() == [2, 3]


def test_join_without_identifier_shape_when_unique(tmp_path):
    """With free text in the first column, two pieces making exactly one row are joined."""
    text = "comment;age;x\nbien;30;a\nTrès bien;40;b\nok;50;c\nsuper;60\nmerci;d\n"
    raw = read_raw(write(tmp_path / "u.csv", text))
    assert raw.rows.tolist() == [1, 2, 3, 4]
    assert raw.data.iloc[3].tolist() == ["super", "60\nmerci", "d"]


def test_join_without_identifier_shape_refused_when_ambiguous(tmp_path):
    """A one-field piece after a complete pair could end it or start the next: refused."""
    text = "comment;age;x\nbien;30;a\nsuper;60\nmerci;d\nencore\nok;50;c\n"
    raw = read_raw(write(tmp_path / "v.csv", text))
    assert raw.rows.tolist() == [1, 5] and raw.excluded["row"].tolist() == [2, 3, 4]


def test_stray_quote_short_row_keeps_its_reason(tmp_path):
    """A short row read again because of a stray quote is not padded: its reason stays."""
    text = 'id;age;comment;x\n1;30;ok;a\n2;"Très bien\n3;50;ok;c\n'
    raw = read_raw(write(tmp_path / "q.csv", text))
    assert raw.excluded["row"].tolist() == [2]
    assert "quote opening a cell is never closed" in raw.excluded["reason"].iloc[0]


# --- the pieces -------------------------------------------------------------------------------

def test_key_shapes_of_identifiers():
    """Numbers and prefixed codes give their shapes; free text gives none."""
    assert key_shapes(pa.array(["12", "7", "A-3", None])) == frozenset({"9", "a-9"})
    assert key_shapes(pa.array(["Très bien", "merci", "ok"])) is None


def test_mend_short_rows_decides_each_record():
    """Padded, joined and excluded records, on records given directly."""
    records = {1: ["2", "b"], 2: ["3", "Très bien"], 3: ["merci", "z"]}
    mended = mend_short_rows(records, [1, 2, 3], 3, frozenset({"9"}))
    assert mended.rows == {1: ["2", "b", ""], 2: ["3", "Très bien\nmerci", "z"]}
    assert mended.joined == [2] and list(mended.excluded) == [3]


_cell = st.text(alphabet="abé 19", min_size=1, max_size=4)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(1, 99), st.lists(_cell, min_size=0, max_size=3)),
                     min_size=1, max_size=12))
def test_every_line_is_kept_or_excluded(tmp_path, rows):
    """Rows of any width from one field to the header's: every data line is a row, kept
    (possibly padded) or excluded, and a joined row's pieces are the excluded ones."""
    lines = [";".join([str(key)] + cells) for key, cells in rows]
    raw = read_raw(write(tmp_path / "h.csv", "id;a;b;c\n" + "\n".join(lines) + "\n"))
    assert raw.n_rows == len(lines)
    assert len(raw.data) + len(raw.excluded) == len(lines)
    assert sorted(raw.rows.tolist() + raw.excluded["row"].tolist()) == list(
        range(1, len(lines) + 1))


@pytest.mark.parametrize("fields", [1, 2, 3])
def test_full_width_file_is_unchanged(tmp_path, fields):
    """A file with no short row reads as before: no note, nothing excluded."""
    header = ";".join(f"c{i}" for i in range(fields + 1))
    body = "\n".join(";".join([str(r)] + ["v"] * fields) for r in range(1, 30))
    raw = read_raw(write(tmp_path / "ok.csv", header + "\n" + body + "\n"))
    assert raw.n_rows == 29 and raw.excluded.empty
    assert _note(raw, "rows_padded") is None and _note(raw, "rows_rejoined") is None


def test_identifier_cut_by_a_line_break_is_not_joined(tmp_path):
    """A one-field piece shaped like an id, then pieces making the width: joining would
    put a line break inside the id, refused."""
    text = "id;age;x\n1;30;a\n2;40;ok\n12\nmerci;b\nbien;c\n3;50;c\n"
    raw = read_raw(write(tmp_path / "i.csv", text))
    assert raw.rows.tolist() == [1, 2, 6] and raw.excluded["row"].tolist() == [3, 4, 5]
    assert all("cannot be joined unambiguously" in r for r in raw.excluded["reason"])


def test_run_starting_with_one_field_is_not_joined(tmp_path):
    """Without identifier shapes, a run whose first piece has one field could end the row
    above: it is not joined."""
    text = "comment;age;x\nbien;30;a\nsuper;60;d\nmerci\nx;y\nok;50;c\n"
    raw = read_raw(write(tmp_path / "o.csv", text))
    assert raw.rows.tolist() == [1, 2, 5] and raw.excluded["row"].tolist() == [3, 4]
