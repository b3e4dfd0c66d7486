"""Review of session 13's readers (rob13): cases the id order, footer and fast-route
mending rules got wrong.

A short row at the end of the file whose id runs on after a gap is no piece of a cut
row: glued to the row above, or excluded, it lost a respondent. A respondent below a
``Total`` line was set aside as part of the footer. A line ended by a carriage return
alone, in a body of CRLF lines with a quoted line break, misplaced a mended row on the
fast route. Each file is read on both routes (the fast one refused as in
tests/surveys/test_fast_mending.py) and must read the same.
"""

from __future__ import annotations

import pandas as pd

import surveys
from surveys._row_keys import id_fits
from surveys._text import TextSource

AMBIGUOUS = "cannot be joined unambiguously"


def _body(raw: bytes, width: int, exact: bool = False, strings: str = "object"):
    """The body of ``raw`` (one header line) as the reader reads it, or on the exact route."""
    source = TextSource(raw, "f.csv")
    if exact:
        source._try_fast = lambda *args: None
    return source.body(1, width, strings)


def _cells(frame: pd.DataFrame) -> list[list]:
    """The cells as text, missing ones None."""
    return [[None if pd.isna(v) else str(v) for v in row]
            for row in frame.astype(object).to_numpy().tolist()]


def _both(raw: bytes, width: int, strings: str = "object"):
    """Read ``raw`` on both routes, assert they agree; the fast route's body."""
    fast, exact = _body(raw, width, False, strings), _body(raw, width, True, strings)
    assert _cells(fast.data) == _cells(exact.data)
    assert fast.rows.tolist() == exact.rows.tolist()
    assert fast.excluded == exact.excluded
    assert [str(n) for n in fast.notes] == [str(n) for n in exact.notes]
    return fast


def _services(ids: list[int], short: dict[int, str]) -> bytes:
    """A ``id;service;teletravail`` export, the rows of ``short`` (id -> line) cut short."""
    rows = [short.get(k, f"{k};Service{k % 5};oui") for k in ids]
    return ("id;service;teletravail\n" + "\n".join(rows) + "\n").encode()


def test_two_short_rows_at_the_end_are_not_glued():
    """Ids 1..50 then ``51;Service1`` and ``90;Service0`` (trailing fields dropped): 90 is
    not joined into 51's service; both rows are set aside as ambiguous."""
    raw = _services(list(range(1, 52)) + [90], {51: "51;Service1", 90: "90;Service0"})
    body = _both(raw, 3)
    assert not any("\n" in (cell or "") for row in _cells(body.data) for cell in row)
    assert [e["row"] for e in body.excluded] == [51, 52]
    assert all(AMBIGUOUS in e["reason"] for e in body.excluded)


def test_short_last_row_after_a_gap_in_the_ids_is_padded():
    """Ids 1..100 then a short last row ``140`` below a full row: a respondent after a gap
    in the ids (no piece: joined to a full row it would be too long), padded."""
    raw = _services(list(range(1, 101)) + [140], {140: "140;Service0"})
    body = _both(raw, 3)
    assert body.excluded == []
    assert _cells(body.data)[-1] == ["140", "Service0", None]


def test_short_last_row_after_a_gap_is_a_respondent_of_the_survey(tmp_path):
    """Read as an agent survey, the last agent (short row, id after a gap) is kept."""
    rows = [f"{k};{30 + k % 20};ok;{k % 9}" for k in range(1, 41)] + ["95;41"]
    path = tmp_path / "agents.csv"
    path.write_text("id;age;comment;km\n" + "\n".join(rows) + "\n", encoding="utf-8")
    survey = surveys.read(path, "agent", mapping={"id": "respondent_id", "age": "age",
                                                  "comment": "comment", "km": "commute_km"})
    assert len(survey.data) == 41 and survey.excluded.empty
    assert survey.data["age"].tolist()[-1] == 41


def test_id_fits_calls_a_far_id_at_the_end_doubtful():
    """At the end of the file an id running on further than the ids' steps is doubtful
    (None); one below the last id is out of order (False); a near one fits."""
    verdict = id_fits(range(6), ["1", "2", "3", "4", "5", "6"], {6: "90", 7: "0"})
    assert verdict == {6: None, 7: False}
    assert id_fits(range(6), ["1", "2", "3", "4", "5", "6"], {6: "7"}) == {6: True}


def test_cut_comment_at_the_end_is_still_set_aside():
    """``9;39;trop loin de`` / ``2016;35`` at the end (5 columns): 2016 is no respondent,
    both pieces are set aside (as the session's rule wants)."""
    rows = [f"{i};{30 + i};ok;{i};a" for i in range(1, 9)] + ["9;39;trop loin de", "2016;35"]
    body = _both(("id;age;comment;km;x\n" + "\n".join(rows) + "\n").encode(), 5)
    assert [e["row"] for e in body.excluded] == [9, 10]
    assert "2016" not in [row[0] for row in _cells(body.data)]


def test_respondent_below_a_total_line_is_kept():
    """``Total;8`` then a short row ``9;39`` whose id runs on: the total stands among the
    rows (set aside as before 58d8147), respondent 9 is padded, not taken for a footer."""
    rows = [f"{i};{30 + i};ok;{i}" for i in range(1, 9)] + ["Total;8", "9;39"]
    body = _both(("id;age;comment;km\n" + "\n".join(rows) + "\n").encode(), 4)
    assert _cells(body.data)[-1] == ["9", "39", None, None]
    assert [e["row"] for e in body.excluded] == [9]
    assert "footer" not in body.excluded[0]["reason"]


def test_footer_of_two_lines_is_still_set_aside():
    """``Total;8`` and ``Moyenne;4,2`` below the rows (no respondent below): a footer."""
    rows = [f"{i};{30 + i};ok;{i}" for i in range(1, 8)] + ["8;38", "Total;8", "Moyenne;4,2"]
    body = _both(("id;age;comment;km\n" + "\n".join(rows) + "\n").encode(), 4)
    assert [e["row"] for e in body.excluded] == [9, 10]
    assert all("footer" in e["reason"] for e in body.excluded)
    assert _cells(body.data)[-1] == ["8", "38", None, None]


def _mixed_line_ends() -> bytes:
    """3000 CRLF rows; row 2500 holds a quoted line feed, row 2600 is short, and row 2801
    ends with a carriage return alone (the two line-count errors cancel out)."""
    rows = [f"{k},nom{k},x" for k in range(1, 3001)]
    rows[2499] = '2500,"deux\nlignes",x'
    rows[2599] = "2600,nom2600"
    body = ("\r\n".join(rows[:2800]) + "\r\n" + rows[2800] + "\r" + "\r\n".join(rows[2801:])
            + "\r\n")
    return ("id,name,when\r\n" + body).encode()


def test_lone_carriage_return_does_not_misplace_a_mended_row():
    """The short row 2600 stays between rows 2599 and 2601 on the fast route."""
    body = _both(_mixed_line_ends(), 3)
    assert [row[0] for row in _cells(body.data)[2597:2601]] == ["2598", "2599", "2600", "2601"]


def test_lone_carriage_return_categorical_reads_as_exact():
    """The same file read into categoricals gives the exact route's rows."""
    body = _both(_mixed_line_ends(), 3, strings="category")
    assert body.data.iloc[2599, 0] == "2600"


def test_footer_with_a_year_below_is_still_set_aside():
    """``Total;8`` then ``2024;LimeSurvey`` (a number far beyond the ids): still a footer,
    no respondent 2024 invented."""
    rows = [f"{i};{30 + i};ok;{i}" for i in range(1, 8)] + ["8;38", "Total;8", "2024;LimeSurvey"]
    body = _both(("id;age;comment;km\n" + "\n".join(rows) + "\n").encode(), 4)
    assert "2024" not in [row[0] for row in _cells(body.data)]
    assert [e["row"] for e in body.excluded] == [9, 10]


def test_comment_piece_starting_like_a_total_is_joined():
    """A last comment cut before ``Total 100 %`` with text beside it (``;8;a``): a piece
    of the row, joined back (km and the last answer kept), not a footer."""
    rows = [f"{i};{30 + i};ok;{i};a" for i in range(1, 8)] + ["8;38;Points forts : accueil",
                                                              "Total 100 %;8;a"]
    body = _both(("id;age;comment;km;x\n" + "\n".join(rows) + "\n").encode(), 5)
    assert _cells(body.data)[-1] == ["8", "38", "Points forts : accueil\nTotal 100 %", "8", "a"]
    assert "footer" not in body.excluded[0]["reason"]
