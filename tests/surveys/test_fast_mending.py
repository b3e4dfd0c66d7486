"""Rows of the wrong width keep the fast (Arrow) route and give the exact route's result.

Each file is read twice: as the reader reads it, and with the fast route refused
(``TextSource._try_fast`` returning None, so that the Python ``csv`` route reads it);
the data, row numbers, excluded rows with their reasons, problems and notes must be
equal, and the first reading must have come from Arrow where the odd rows can be placed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import surveys
import surveys._body_bytes as body_bytes
import surveys._text as text_module
from surveys._row_mending import MAX_TEXTS, Decline, LineRecords, odd_lines, splice
from surveys._text import TextSource

HEADER = "id,name,when\n"


def _rows(n: int, first: int = 1) -> list[str]:
    """``n`` full rows with identifiers ``first..``: ``7,nom7,05/01/2015 08:07``."""
    return [f"{k},nom{k % 13},05/01/2015 08:{k % 60:02d}" for k in range(first, first + n)]


def _file(lines: list[str], newline: str = "\n", end: str = "\n") -> bytes:
    """The header and ``lines`` joined with ``newline``."""
    return (HEADER + "\n".join(lines) + end).replace("\n", newline).encode("utf-8")


def _read(raw: bytes, exact: bool, width: int = 3, strings: str = "object", **options):
    """The body of ``raw`` as the reader reads it, or with the fast route refused."""
    source = TextSource(raw, "f.csv")
    if exact:
        source._try_fast = lambda *args: None
    return source.body(1, width, strings, **options)


def _values(frame: pd.DataFrame, skip: tuple = ()) -> list[list]:
    """The cells as text, missing ones None: the routes' dtypes differ (Arrow reads a
    whole-number column as integers; the exact route reads the columns it would skip)."""
    cells = frame.drop(columns=list(skip)).astype(object)
    return [[None if pd.isna(v) else str(v) for v in row] for row in cells.to_numpy().tolist()]


def _same(raw: bytes, width: int = 3, strings: str = "object", **options):
    """Read ``raw`` both ways, assert every part of the result is equal; the fast body."""
    fast = _read(raw, False, width, strings, **options)
    exact = _read(raw, True, width, strings, **options)
    assert exact.route == "exact" and not exact.arrow
    skip = options.get("skip", ())
    assert _values(fast.data, skip) == _values(exact.data, skip)
    assert fast.rows.tolist() == exact.rows.tolist()
    assert fast.n_rows == exact.n_rows
    assert fast.excluded == exact.excluded
    assert fast.problems == exact.problems
    assert [str(n) for n in fast.notes] == [str(n) for n in exact.notes]
    return fast


MIDDLE = _rows(10) + ["11,nom11"] + _rows(10, 12)
CASES = {
    "padded-middle": _file(MIDDLE),
    "padded-first": _file(["1,nom1"] + _rows(20, 2)),
    "padded-last": _file(_rows(20) + ["21,nom21"]),
    "padded-last-no-newline": _file(_rows(20) + ["21,nom21"], end=""),
    "cut-row-joined": _file(_rows(10) + ["11,Très bien", "merci,05/01/2015 09:00"]
                            + _rows(10, 12)),
    "one-field-excluded": _file(_rows(10) + ["suite"] + _rows(10, 11)),
    "long-row-excluded": _file(_rows(10) + ["11,nom,05/01/2015 09:00,extra"] + _rows(10, 12)),
    "long-row-trimmed": _file(_rows(10) + ["11,nom,05/01/2015 09:00,,"] + _rows(10, 12)),
    "crlf": _file(MIDDLE, "\r\n"),
    "cr": _file(MIDDLE, "\r"),
    "quoted-body": _file(['1,"nom, un",x'] + _rows(10, 2) + ['12,"a ""b"""']
                         + _rows(5, 13)),
    "quoted-body-multiline": _file(['1,"deux\nlignes",x'] + _rows(10, 2) + ["12,nom"]
                                   + _rows(5, 13)),
    "blank-line-near": _file(_rows(5) + [""] + ["6,nom6"] + _rows(5, 7)),
    "same-text-twice": _file(_rows(5) + ["6,nom"] + _rows(5, 7) + ["6,nom"] + _rows(3, 12)),
    "prefix-of-full-rows": _file(_rows(5) + ["3,nom3"] + _rows(10, 3)),
    "several-kinds": _file(["0,nom0"] + _rows(10) + ["11,Très bien", "merci,x", "seul"]
                           + _rows(10, 12) + ["22,a,b,c", "23,nom,x,,", "24,nom24"]),
    "many-excluded-one-text": _file(sum(([f"{k},nom{k},x", "seul"] for k in range(1, 25)), [])),
    "footer-total": _file(_rows(20) + ["Total,20"]),
    "mixed-line-ends": _file(_rows(5) + ["6,nom6"] + _rows(5, 7)).replace(b"\n3,", b"\r3,"),
    "many-distinct": _file(_rows(5) + [f"{k},nom" for k in range(6, 8 + MAX_TEXTS)]
                           + _rows(5, 8 + MAX_TEXTS)),
}
#: The cases whose odd rows cannot be placed: read by the exact route.
DECLINED = {"quoted-body-multiline", "mixed-line-ends", "many-distinct"}


@pytest.mark.parametrize("strings", ["object", "arrow", "category"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_route_gives_the_exact_result(case, strings):
    """Each file with rows of the wrong width reads as the exact route reads it."""
    body = _same(CASES[case], strings=strings)
    assert body.arrow is (case not in DECLINED)


def test_padded_row_keeps_its_number():
    """A padded row stays in its place with its record number, read by Arrow."""
    body = _same(CASES["padded-middle"])
    assert body.arrow and body.route == "exact"
    assert body.rows.tolist() == list(range(1, 22))
    assert body.data.iloc[10].tolist() == ["11", "nom11", None]


def test_rejoined_row_holds_the_line_break():
    """The two pieces of a cut row are one row on the fast route, the piece excluded."""
    body = _same(CASES["cut-row-joined"])
    assert body.arrow and body.data.iloc[10, 1] == "Très bien\nmerci"
    assert body.excluded == [{"row": 12, "reason": "piece of row 11 (cut by a line break "
                                                   "inside a cell), joined to it"}]


@pytest.mark.parametrize("strings", ["object", "category"])
def test_one_column_file_with_long_rows(strings):
    """A one-column file: a row with empty extra fields is cut, one with text excluded."""
    raw = "mot\nalpha\nbeta,gamma\ndelta,,\nepsilon\n".encode()
    body = _same(raw, width=1, strings=strings)
    assert body.arrow and body.rows.tolist() == [1, 3, 4]
    assert _values(body.data) == [["alpha"], ["delta"], ["epsilon"]]


def test_clean_file_stays_on_the_plain_fast_route():
    """A file whose rows all have the header's width is read as before (route fast)."""
    body = _read(_file(_rows(30)), False)
    assert body.route == "fast" and body.arrow and body.excluded == [] and body.notes == []


def _big(positions: dict[int, str], n: int = 160_000) -> list[str]:
    """``n`` log rows (some 5 MB: a head of 2 MB, two halves), a few replaced."""
    lines = [f"TL{k % 500},B{(k * 7919) % 100_000},05/01/2015 08:{k % 60:02d}"
             for k in range(n)]
    for at, line in positions.items():
        lines[at] = line
    return lines


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_both_halves_keep_their_row_numbers(monkeypatch, newline):
    """Odd rows in each half of a two-thread parse (and at both ends) land at their rows."""
    cuts = []
    monkeypatch.setattr(text_module, "halves",
                        lambda *a: cuts.append(body_bytes.halves(*a)) or cuts[-1])
    lines = _big({0: "TL1,B5", 40_000: "TL2,B7", 120_000: "TL3,B9,05/01/2015 08:00,,",
                  120_002: "TL3,B9,x,y", 159_999: "TL4,B11"})
    raw = ("lieu,badge,horodatage\n" + "\n".join(lines) + "\n").replace("\n", newline).encode()
    body = _same(raw, strings="category")
    assert body.arrow and len(cuts[0]) == 2
    assert body.n_rows == 160_000 and len(body.data) == 159_999
    assert body.excluded == [{"row": 120_003,
                              "reason": "malformed row: 4 fields where the header has 3"}]
    assert body.rows[[0, 40_000, 120_002, 159_998]].tolist() == [1, 40_001, 120_004, 160_000]
    assert body.data.iloc[[0, 40_000, 159_998], 1].tolist() == ["B5", "B7", "B11"]


def test_integer_column_value_that_is_no_number_reads_as_text():
    """A mended row whose whole-number column holds text: the column is read as text."""
    lines = [f"{k},{k % 90},x{k % 3}" for k in range(1, 40)] + ["40,douze"] + [
        f"{k},{k % 90},x" for k in range(41, 50)]
    raw = ("id,age,g\n" + "\n".join(lines) + "\n").encode()
    body = _same(raw, strings="category", integers=(1,))
    assert body.arrow and body.data[1].iloc[39] == "douze"


def test_integer_column_keeps_whole_numbers_when_mended():
    """A padded row in a file with a whole-number column keeps the column's integers."""
    lines = [f"{k},{k % 90},x{k % 3}" for k in range(1, 40)] + ["40,12"]
    raw = ("id,age,g\n" + "\n".join(lines) + "\n").encode()
    body = _same(raw, strings="category", integers=(1,))
    assert body.arrow and list(body.data[1].cat.categories)[:3] == [1, 2, 3]


def test_skipped_column_stays_empty_when_mended():
    """A column the tool's conventions drop stays an all-missing placeholder."""
    body = _same(CASES["several-kinds"], strings="category", skip=(2,))
    assert body.arrow and body.data[2].isna().all()


def test_cp1252_file_is_mended_on_the_fast_route():
    """A cp1252 file (decoded whole, re-encoded for Arrow) gives the exact result."""
    raw = "id;nom;quand\n1;Élodie;x\n2;Zoé\n3;André;y\n".encode("cp1252")
    body = _same(raw)
    assert body.arrow and body.data.iloc[1].tolist() == ["2", "Zoé", None]


@pytest.mark.parametrize("strings", ["object", "category"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_big_utf8_file_names_the_file_lines(newline, strings):
    """Lines named in the notes count the header, in a file read through its head only."""
    lines = _big({100_000: "TL2,B7"})
    raw = ("\n\nlieu,badge,horodatage\n" + "\n".join(lines) + "\n").replace(
        "\n", newline).encode()
    body = _same(raw, strings=strings)
    assert body.arrow and "(file line 100004)" in str(body.notes[0])


def _log_survey(tmp_path, lines: list[str], name: str = "log.csv"):
    """The check-in log of ``lines`` read as a Survey."""
    path = tmp_path / name
    path.write_text("lieu,badge,horodatage\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return surveys.read(path, "attendance", salt="k", mapping={
        "lieu": "place_id", "badge": "user_id", "horodatage": "timestamp"})


LOG_ODD = {500: "TL2,B7", 501: "TL5,B8,32/13/2015 08:00", 700: "TL9"}


def test_attendance_log_survey_is_the_exact_one(tmp_path, monkeypatch):
    """A check-in log with short rows: the Survey's values, excluded rows, problems and
    notes equal the exact route's. (The categories of the user ids may differ: on
    either route an excluded row's id is an unused category only when the raw column
    was encoded before the rows were excluded, which the fast route does not do for
    ids that look distinct; a file of full rows shows the same.)"""
    fast = _log_survey(tmp_path, _big(LOG_ODD, n=3000))
    monkeypatch.setattr(TextSource, "_try_fast", lambda self, *args: None)
    exact = _log_survey(tmp_path, _big(LOG_ODD, n=3000))
    assert_frame_equal(fast.data.drop(columns="user_id"), exact.data.drop(columns="user_id"),
                       check_exact=True)
    ids, exact_ids = fast.data["user_id"], exact.data["user_id"]
    assert ids.astype(object).equals(exact_ids.astype(object))
    assert set(ids.cat.categories) <= set(exact_ids.cat.categories)
    assert_frame_equal(fast.excluded, exact.excluded, check_exact=True)
    assert_frame_equal(fast.problems, exact.problems, check_exact=True)
    assert_frame_equal(fast.nonsubstantive, exact.nonsubstantive, check_exact=True)
    assert fast.n_rows == exact.n_rows == 3000
    assert [str(n) for n in fast.notes] == [str(n) for n in exact.notes]
    assert fast.excluded["row"].tolist() == [501, 502, 701]


def test_attendance_log_mended_is_the_log_written_whole(tmp_path):
    """The log with a short row reads, dtypes and categories included, as the same log
    whose row was written with its empty field (both on the fast route)."""
    mended = _log_survey(tmp_path, _big({500: "TL2,B7"}, n=3000), "short.csv")
    whole = _log_survey(tmp_path, _big({500: "TL2,B7,"}, n=3000), "whole.csv")
    assert_frame_equal(mended.data, whole.data, check_exact=True)
    assert_frame_equal(mended.excluded, whole.excluded, check_exact=True)
    assert "1 row shorter than the header" in str(mended.notes[-1])


def test_fast_route_is_taken_for_the_log(tmp_path, monkeypatch):
    """With the exact route refused, a log with a short row still reads (by Arrow)."""
    path = tmp_path / "log.csv"
    path.write_text("lieu,badge,horodatage\n" + "\n".join(_big({10: "TL2,B7"}, n=500)) + "\n",
                    encoding="utf-8")

    def refuse(*args, **kwargs):
        raise AssertionError("the exact route was taken")

    monkeypatch.setattr(TextSource, "_exact", refuse)
    log = surveys.read(path, "attendance", salt="k", mapping={
        "lieu": "place_id", "badge": "user_id", "horodatage": "timestamp"})
    assert log.n_rows == 500 and 11 in log.excluded["row"].tolist()


KINDS = st.sampled_from(["full", "full", "full", "short", "piece", "one", "long-empty",
                         "long", "blank"])


def _line(kind: str, k: int, keyed: bool) -> str:
    """One line of a generated file: identifiers ``k`` (keyed) or words."""
    key = str(k) if keyed else f"mot{'abc'[k % 3]}"
    return {"full": f"{key},v{k % 4},w", "short": f"{key},v", "piece": "suite,w",
            "one": "seul", "long-empty": f"{key},v,w,,", "long": f"{key},v,w,z",
            "blank": ""}[kind]


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(KINDS, min_size=1, max_size=40), keyed=st.booleans(),
       newline=st.sampled_from(["\n", "\r\n"]), strings=st.sampled_from(["object", "category"]))
def test_generated_files_read_as_on_the_exact_route(kinds, keyed, newline, strings):
    """Any mix of full, short, cut, long and blank rows reads as on the exact route."""
    lines = [_line(kind, k, keyed) for k, kind in enumerate(kinds)]
    raw = ("id,a,b\n" + "\n".join(lines) + "\n").replace("\n", newline).encode()
    if raw.rstrip(b"\r\n") == b"id,a,b":
        return  # no body
    _same(raw, strings=strings)


def test_odd_lines_ignores_a_text_inside_longer_lines():
    """A short row's text that starts full rows is found at its own line only."""
    body = b"3,a,x\n3,a\n3,a,y\n"
    assert odd_lines(body, 0, len(body) - 1, ["3,a"], 3) == [(6, 1)]


def test_odd_lines_declines_a_line_end_inside_quotes():
    """A quoted field holding a line end makes lines and records differ: declined."""
    body = b'1,"a\nb",x\n2,c\n3,d,y'
    with pytest.raises(Decline):
        odd_lines(body, 0, len(body), ["2,c"], 3)


def test_odd_lines_declines_a_row_not_found():
    """A row the parser found but no line matches (another line end) is declined."""
    body = b"1,a,x\n2,c\r3,d,y\n"
    with pytest.raises(Decline):
        odd_lines(body, 0, len(body) - 1, ["2,c"], 3)


def test_line_records_walk_both_ways():
    """Records far from the known lines are found walking down or up, and cached."""
    body = "".join(f"{k},v\n" for k in range(100)).encode()
    records = LineRecords(body, 0, len(body) - 1, ",", 100, {90: body.index(b"90,v")})
    assert [records[k][0] for k in (89, 3, 99, 50)] == ["89", "3", "99", "50"]


def test_splice_keeps_the_type_of_a_dictionary_column():
    """Values put into a dictionary column keep its type and their places."""
    column = pa.chunked_array([pa.array(["a", "b", "a"]).dictionary_encode()])
    values = pa.array(["z", None]).dictionary_encode()
    out = splice(column, [1, 3], values)
    assert out.type == column.type and out.to_pylist() == ["a", "z", "b", "a", None]


def test_rows_numbers_skip_the_excluded():
    """The rows kept are numbered as records, the excluded ones left out."""
    body = _same(CASES["several-kinds"])
    expected = [r for r in range(1, body.n_rows + 1)
                if r not in {e["row"] for e in body.excluded}]
    assert body.rows.tolist() == expected
    assert np.all(np.diff(body.rows) > 0)
