"""Shortcuts of the readers (session 7) give what the plain way gives.

Blank lines of a quoted CSV left to Arrow's parser, a mapped file's bytes counted in
place, non-substantive answers held as categoricals while rows are sifted, the
personal values to redact matched before being filtered, identifiers made strings by
one Arrow take, a workbook's XML scanned while calamine parses it: each is compared
with the answer the slower way gives (and the blocks' dictionaries joined into one
categorical).
"""

from __future__ import annotations

import mmap
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surveys
import surveys._text as text_module
from surveys import _body_bytes as body_bytes
from surveys._body_bytes import quote_verdict
from surveys._columns import _encode
from surveys._readers import _MappedBytes, read_raw
from surveys._text import TextSource
from surveys.pseudonym import _word_set
from surveys.survey import _id_strings
from surveys import _spreadsheet as sp


def _quoted_with_blank(n: int) -> str:
    """A comma CSV with quoted comments (commas, line ends inside) and one blank line
    outside the quotes, two thirds of the way down."""
    lines = ["id,service,comment"]
    for i in range(n):
        comment = f'"note {i}, with ""quotes""\nand a line end"' if i % 4 == 0 else f"plain {i}"
        lines.append(f"A{i},S{i % 3},{comment}")
    lines.insert(2 * n // 3, "")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quote_verdict_can_leave_blank_lines_out(newline):
    """Without the blank-line check the verdict is True where only a blank line was wrong."""
    data = _quoted_with_blank(30).replace("\n", newline).encode()
    start = data.index(newline.encode()) + len(newline)
    assert quote_verdict(data, start, len(data), ",") is False
    assert quote_verdict(data, start, len(data), ",", blank_lines=False) is True


@pytest.mark.parametrize("n, strings",
                         [(300, "object"), (300, "category"), (160_000, "category")],
                         ids=["small-object", "small-category", "halves-category"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_blank_line_is_an_empty_row_as_on_the_exact_route(monkeypatch, n, newline,
                                                                  strings):
    """A quoted CSV's blank line, read by Arrow (in halves too), is the exact route's empty row."""
    cuts = []
    monkeypatch.setattr(text_module, "halves",
                        lambda *a: cuts.append(body_bytes.halves(*a)) or cuts[-1])
    text = _quoted_with_blank(n).replace("\n", newline)
    source = TextSource(text.encode(), "q.csv")
    body = source.body(1, 3, strings)
    assert body.route == "fast"  # no longer sent to the Python csv route
    if strings == "category":  # a big body with line feeds was parsed in two halves
        assert [len(c) for c in cuts] == [2 if n > 1000 and "\n" in newline else 1]
    exact = TextSource(text.encode(), "q.csv")
    expected = exact._exact(exact.text[exact._offset(1):].rstrip("\r\n"), 3)
    got = body.data.astype(object)
    got = got.where(got.notna(), None)
    assert body.n_rows == expected.n_rows == n + 1
    pd.testing.assert_frame_equal(got, expected.data)
    assert body.rows.tolist() == expected.rows.tolist()
    assert body.data.iloc[2 * n // 3 - 1].isna().all()


@pytest.mark.parametrize("strings", ["object", "arrow", "category"])
def test_quoted_blank_line_read_raw_accounts_every_row(tmp_path, strings):
    """read_raw of a quoted CSV with a blank line: every row numbered, the blank one empty."""
    path = tmp_path / "q.csv"
    path.write_text(_quoted_with_blank(90), encoding="utf-8")
    raw = read_raw(path, strings=strings)
    assert raw.n_rows == 91 and raw.rows.tolist() == list(range(1, 92))
    assert raw.data.iloc[59].isna().all()
    assert raw.data["id"].iloc[60] == "A59"


@pytest.mark.parametrize("sub, start, end", [
    (b'"', 0, None), (b"\n", 5, 70_000), (b'"', -500, None), (b"\n", 0, -3),
    (b'"', 100, 50), (b"\n\n", 0, None), (b'""', 10, 90_000),
])
def test_mapped_count_is_bytes_count(tmp_path, sub, start, end):
    """Counting in a mapped file gives bytes.count, whatever the bounds or the pattern."""
    data = _quoted_with_blank(3000).encode()
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    with open(path, "rb") as file:
        mapped = _MappedBytes(file.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            assert mapped.count(sub, start, end) == data.count(sub, start, end)
        finally:
            mapped.close()


def test_encoded_blocks_keep_their_values():
    """Blocks with dictionaries of their own and nulls become one categorical of their values."""
    blocks = [["b", None, "a"], ["c", "a"], [None], ["a", "d", "b"]]
    column = pa.chunked_array([pa.array(b, pa.string()).dictionary_encode() for b in blocks])
    out = _encode(column)
    expected = [v for b in blocks for v in b]
    assert [None if pd.isna(v) else v for v in out.astype(object)] == expected
    assert out.codes.dtype == np.int8


def test_word_set_filters_apply_after_matching():
    """Values matched first are still left out when holding a space or under 3 characters."""
    values = ["Ab C", " Tok123 ", "xy", None, "zz9"]
    found = _word_set(values, split=False, within={"ab c", "tok123", "xy", "other"})
    assert found == {"tok123"}


def test_nonsubstantive_is_objects_with_nan():
    """Non-substantive answers come out as object columns: the code, NaN elsewhere."""
    frame = pd.DataFrame({"id": ["1", "2", "3", "4"],
                          "Satisfaction globale": ["NSP", "4", "NSP", None],
                          "Sexe": ["F", "M", "F", None]})
    survey = surveys.read(frame, "agent", salt="k")
    nonsub = survey.nonsubstantive
    assert list(nonsub.columns) == ["sat_overall"]
    assert nonsub["sat_overall"].dtype == object
    values = nonsub["sat_overall"].tolist()
    assert values[0] == values[2] == "dont_know"
    assert all(isinstance(v, float) and np.isnan(v) for v in values[1:2] + values[3:])


@pytest.mark.parametrize("categories", [
    pd.Index(["TL2", "TL1"], dtype=object),
    pd.Index(pd.array(["TL2", "TL1"], dtype="string[pyarrow]")),
    pd.Index([12, 7]),
], ids=["objects", "arrow", "integers"])
def test_id_strings_as_astype(categories):
    """A categorical identifier becomes what ``astype("string[pyarrow]")`` gives, NA included."""
    codes = np.array([0, -1, 1, 1, 0], dtype=np.int8)
    column = pd.Series(pd.Categorical.from_codes(codes, categories=categories), name="place_id")
    expected = column.astype(pd.StringDtype("pyarrow"))
    pd.testing.assert_series_equal(_id_strings(column), expected, check_exact=True)


class _Panic(BaseException):
    """What a panic of the Rust reader raises (pyo3's PanicException is no Exception)."""


def _panicking_workbook(monkeypatch):
    """calamine's sheets panic when parsed."""
    import python_calamine

    class Sheet:
        def to_python(self, **_):
            raise _Panic("calamine panicked")

    real = python_calamine.CalamineWorkbook.from_path

    class Book:
        def __init__(self, path):
            self._book = real(path)
            self.sheet_names = self._book.sheet_names

        def get_sheet_by_name(self, name):
            return Sheet()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._book.close()

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", Book)


def _workbook(path, cell):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "note"])
    book.active.append(["A1", cell])
    book.save(path)
    return path


def test_sheet_for_openpyxl_never_meets_a_calamine_panic(tmp_path, monkeypatch):
    """A sheet the scan sends to openpyxl (an _xHHHH_ escape) survives calamine panicking."""
    path = _workbook(tmp_path / "e.xlsx", "a_x0041_b")
    expected = sp._openpyxl_rows(path, None)
    _panicking_workbook(monkeypatch)
    assert sp.read_sheet(path, None) == expected


def test_calamine_panic_on_a_sheet_it_reads_is_raised(tmp_path, monkeypatch):
    """A panic of calamine on a sheet it would have read is not hidden."""
    path = _workbook(tmp_path / "p.xlsx", "plain")
    _panicking_workbook(monkeypatch)
    with pytest.raises(_Panic):
        sp.read_sheet(path, None)


def _reference_words(values, split, within):
    """_word_set in plain Python (ASCII text: Python and Arrow trim and lower alike)."""
    found = set()
    for value in values:
        if value is None:
            continue
        text = value.strip().lower()
        parts = re.split(r"[\s,;]+", text) if split else (
            [] if " " in text else [text])
        found |= {p for p in parts if len(p) >= 3 and (within is None or p in within)}
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="aBc1 ,;", max_size=9)), max_size=12),
       st.booleans(), st.one_of(st.none(), st.sets(st.text(alphabet="abc1 ", max_size=6))))
def test_word_set_as_plain_python(values, split, within):
    """The words kept are those a plain Python pass keeps, with or without ``within``."""
    assert _word_set(values, split=split, within=within) == _reference_words(values, split,
                                                                                 within)


def test_open_categories_in_a_french_readers_order():
    """The answers of an open list (services) are ordered as a French reader expects:
    accents and case aside, Éducation before Ressources."""
    import surveys

    frame = pd.DataFrame({"id": ["a", "b", "c", "d"],
                          "Direction": ["Solidarités", "Éducation", "Routes", "Ressources"]})
    survey = surveys.read(frame, "agent", mapping={"id": "respondent_id",
                                                   "Direction": "service"})
    assert survey.data["service"].cat.categories.tolist() == [
        "Éducation", "Ressources", "Routes", "Solidarités"]
