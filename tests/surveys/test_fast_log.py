"""The quick routes of a check-in log's reading give what the general routes give.

A log's time stamps written in a fixed-width layout are parsed from their Arrow bytes
(:func:`surveys._parse.parse_fixed_dates`), its short badge ids factorised on their
bytes (:func:`surveys.pseudonym._short_codes`), the parser's per-block dictionaries
unified by one encoding (:func:`surveys._columns._unified`) and ids already clean left
as they are (:func:`surveys._columns._already_stripped`). Each falls back on the
general route when unsure; these tests read the same files with the quick routes on
and off (each switched off by making it decline) and compare the whole Survey.
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
import surveys._columns as columns_module
import surveys._validate as validate_module
import surveys.pseudonym as pseudonym_module
from surveys._columns import _already_stripped, _strip_arrow, _unified
from surveys._parse import parse_dates, parse_fixed_dates
from surveys._validate import type_column
from surveys.codebook import Variable
from surveys.pseudonym import _short_codes
from surveys.survey import read_raw

N = 300  # rows of a small log: more than the reader's sample of distinct values (20)
START = np.datetime64("2015-01-05T08:00:00")


def _stamps(n: int, step_seconds: int, layout: str) -> list[str]:
    """``n`` increasing time stamps ``step_seconds`` apart, written with ``layout``."""
    times = pd.Series(START + np.arange(n) * np.timedelta64(step_seconds, "s"))
    return times.dt.strftime(layout).tolist()


def _log(tmp_path, stamps: list[str], badges: list[str] | None = None,
         places: list[str] | None = None, name: str = "log.csv"):
    """A check-in CSV (lieu, badge, horodatage); badges repeat, as people come back."""
    n = len(stamps)
    badges = badges if badges is not None else [f"B{k % 37}" for k in range(n)]
    places = places if places is not None else [f"TL{k % 7}" for k in range(n)]
    path = tmp_path / name
    rows = ["lieu,badge,horodatage"] + [f"{p},{b},{s}" for p, b, s in zip(places, badges, stamps)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def spy(monkeypatch):
    """Records whether each date column took the quick route (True) or not (False)."""
    taken: list[bool] = []
    quick = validate_module._fixed_dates

    def recording(*args):
        out = quick(*args)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(validate_module, "_fixed_dates", recording)
    return taken


def _general(monkeypatch, source, kind: str = "attendance", **options):
    """The Survey read with every quick route declining (the general routes only)."""
    with monkeypatch.context() as patch:
        patch.setattr(validate_module, "_fixed_dates", lambda *args: None)
        patch.setattr(pseudonym_module, "_short_codes", lambda text: None)
        patch.setattr(columns_module, "_already_stripped", lambda text: False)
        patch.setattr(columns_module, "_unified", lambda column: None)
        return surveys.read(source, kind, salt="k", **options)


def _assert_same(quick, general) -> None:
    """Data (dtypes included), problems, excluded rows, notes and summary all equal."""
    assert_frame_equal(quick.data, general.data, check_exact=True)
    assert_frame_equal(quick.problems, general.problems, check_exact=True)
    assert_frame_equal(quick.excluded, general.excluded, check_exact=True)
    assert_frame_equal(quick.nonsubstantive, general.nonsubstantive, check_exact=True)
    assert_frame_equal(quick.summary(), general.summary(), check_exact=True)
    assert [str(n) for n in quick.notes] == [str(n) for n in general.notes]


def _compare(tmp_path, monkeypatch, stamps, **log):
    path = _log(tmp_path, stamps, **log)
    quick = surveys.read(path, "attendance", salt="k")
    _assert_same(quick, _general(monkeypatch, path))
    return quick


def test_minute_stamps_repeated_take_the_quick_route(tmp_path, monkeypatch, spy):
    """Minute stamps shared by several check-ins (a categorical) parse quickly, as before."""
    stamps = [s for s in _stamps(N // 3, 60, "%d/%m/%Y %H:%M") for _ in range(3)]
    quick = _compare(tmp_path, monkeypatch, stamps)
    assert spy == [True]
    assert quick.data["timestamp"].iloc[0] == pd.Timestamp("2015-01-05 08:00")


def test_second_stamps_all_distinct_take_the_quick_route(tmp_path, monkeypatch, spy):
    """Stamps to the second (left as Arrow strings by the reader) parse row by row, as before."""
    path = _log(tmp_path, _stamps(N, 7, "%d/%m/%Y %H:%M:%S"))
    assert str(read_raw(path).data["horodatage"].dtype) == "string"
    _assert_same(surveys.read(path, "attendance", salt="k"), _general(monkeypatch, path))
    assert spy == [True]


@pytest.mark.parametrize("layout", ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                                    "%d.%m.%Y %H:%M", "%d-%m-%YT%H:%M:%S", "%d/%m/%Y"])
def test_other_fixed_layouts_match(tmp_path, monkeypatch, spy, layout):
    """ISO stamps and other fixed-width day-first layouts give the general route's values."""
    _compare(tmp_path, monkeypatch, _stamps(N, 3607, layout))
    assert spy == [True]


def test_mixed_fixed_layouts_match(tmp_path, monkeypatch, spy):
    """Day-first and ISO stamps mixed in one column: each read as the general route reads it."""
    day_first, iso = _stamps(N, 61, "%d/%m/%Y %H:%M"), _stamps(N, 61, "%Y-%m-%d %H:%M:%S")
    _compare(tmp_path, monkeypatch, [iso[k] if k % 3 else day_first[k] for k in range(N)])
    assert spy == [True]


def test_unpadded_layout_falls_back(tmp_path, monkeypatch, spy):
    """A stamp without its leading zeros (5/1/2015 8:01) sends the column to the general route."""
    stamps = _stamps(N, 61, "%d/%m/%Y %H:%M")
    stamps[5] = "5/1/2015 8:01"
    quick = _compare(tmp_path, monkeypatch, stamps)
    assert spy == [False]
    assert quick.data["timestamp"].iloc[5] == pd.Timestamp("2015-01-05 08:01")


@pytest.mark.parametrize("bad, problem", [
    ("31/02/2015 08:00", True), ("05/01/2015 24:00", True), ("hier", True),
    ("01/13/2015 10:00", True), ("2015-02-30 10:00", True),
    (" 05/01/2015 08:01", False),  # white space: stripped by the general route, no problem
    ("01/01/2300 10:00", False),  # beyond 2261: the general route decides, as before
])
def test_bad_stamp_falls_back_with_its_problem(tmp_path, monkeypatch, spy, bad, problem):
    """A stamp that is no date in a fixed layout: the general route, its row excluded as before."""
    stamps = _stamps(N, 61, "%d/%m/%Y %H:%M")
    stamps[10] = bad
    quick = _compare(tmp_path, monkeypatch, stamps)
    assert spy == [False]
    assert quick.excluded["row"].tolist() == ([11] if problem else [])  # a stamp is required


def test_empty_cells_match(tmp_path, monkeypatch, spy):
    """Empty stamps, badges and places: the same rows excluded, the stamps still quick."""
    stamps = _stamps(N, 61, "%d/%m/%Y %H:%M:%S")
    badges = [f"B{k % 37}" for k in range(N)]
    places = [f"TL{k % 7}" for k in range(N)]
    stamps[3] = stamps[40] = ""
    badges[7] = badges[41] = ""
    places[9] = ""
    places[50] = badges[50] = stamps[50] = ""
    quick = _compare(tmp_path, monkeypatch, stamps, badges=badges, places=places)
    assert spy == [True]
    assert len(quick.excluded) == 6


def test_nonsubstantive_answer_falls_back(tmp_path, monkeypatch, spy):
    """A "don't know" among the stamps is no date: the general route records it as before."""
    stamps = _stamps(N, 61, "%d/%m/%Y %H:%M")
    stamps[12] = "NSP"
    _compare(tmp_path, monkeypatch, stamps)
    assert spy == [False]


def test_badges_to_strip_match(tmp_path, monkeypatch):
    """Badges with spaces around, a '.0' or blank: stripped as before, the same pseudonyms."""
    badges = [f"B{k % 37}" for k in range(N)]
    badges[1], badges[2], badges[3] = " B1 ", "12.0", "B\u00a07"
    quick = _compare(tmp_path, monkeypatch, _stamps(N, 61, "%d/%m/%Y %H:%M"), badges=badges)
    assert quick.data["user_id"].iloc[1] == quick.data["user_id"].iloc[38]  # " B1 " is B1


def test_long_badges_match(tmp_path, monkeypatch):
    """Badge ids longer than 8 bytes (hashed row by row as before) give the same Survey."""
    badges = [f"Badge-é{k % 41:05d}" for k in range(N)]
    assert _short_codes(pa.array(badges)) is None
    _compare(tmp_path, monkeypatch, _stamps(N, 61, "%d/%m/%Y %H:%M"), badges=badges)


def test_multi_block_log_matches(tmp_path, monkeypatch, spy):
    """A log of several parse blocks read in two halves (chunked dictionaries) matches."""
    n = 200_000  # about 6 MB: parsed in blocks of 1 MB, in two threads
    rng = np.random.default_rng(5)
    stamps = [s for s in _stamps(n // 4, 60, "%d/%m/%Y %H:%M") for _ in range(4)]
    badges = [f"B{k}" for k in rng.integers(0, 30_000, n)]
    places = [f"TL{k}" for k in rng.integers(0, 300, n)]
    quick = _compare(tmp_path, monkeypatch, stamps, badges=badges, places=places)
    assert spy == [True]
    assert quick.data["user_id"].nunique() == len(set(badges))


def test_survey_dates_match(tmp_path, monkeypatch, spy):
    """A survey's date columns (telework start and end) read quickly give the same Survey."""
    start = _stamps(N, 86_400, "%d/%m/%Y")
    end = _stamps(N, 86_400 * 3, "%Y-%m-%d")
    rows = ["N° agent;Sexe;Date de début;Date de fin"] + [
        f"A{k:04d};{'F' if k % 2 else 'M'};{s};{e}" for k, (s, e) in enumerate(zip(start, end))]
    path = tmp_path / "agents.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _assert_same(surveys.read(path, "agent", salt="k"), _general(monkeypatch, path, "agent"))
    assert spy == [True, True]


def _typed_pair(var: Variable, values: list):
    """type_column on Arrow strings (quick) and on plain objects (general route)."""
    rows = np.arange(1, len(values) + 1)
    arrow = pd.Series(pd.array(values, dtype="string[pyarrow]"))
    plain = pd.Series(values, dtype=object)
    return type_column(arrow, var, rows, "c"), type_column(plain, var, rows, "c")


def test_month_variable_matches():
    """A month variable read quickly is the first day of each month, as on the general route."""
    var = Variable("first_visit", "month", {"fr": "", "en": ""})
    quick, general = _typed_pair(var, ["17/05/2015", None, "2016-03-31 10:00"])
    assert quick.columns["first_visit"].tolist() == general.columns["first_visit"].tolist()
    assert quick.columns["first_visit"][0] == np.datetime64("2015-05-01", "ns")


def test_missing_code_spelled_as_a_date_falls_back():
    """A codebook whose "unknown" is spelled 01/01/1900: that value stays non-substantive."""
    var = Variable("day", "date", {"fr": "", "en": ""},
                   missing={"unknown": {"fr": "01/01/1900", "en": "01/01/1900"}})
    quick, general = _typed_pair(var, ["05/01/2015", "01/01/1900"])
    pd.testing.assert_series_equal(pd.Series(quick.nonsub), pd.Series(general.nonsub))
    assert quick.nonsub[1] == "unknown"
    assert np.isnat(quick.columns["day"][1])


def test_parse_fixed_dates_known_values():
    """Each fixed layout gives its date and time; a null stays NaT."""
    out = parse_fixed_dates(pa.array(["05/01/2015 08:01", "2016-03-01T10:22:09", None,
                                      "29/02/2016", "1999-12-31 23:59"]))
    assert out.dtype == np.dtype("datetime64[ns]")
    assert [str(v) for v in out] == ["2015-01-05T08:01:00.000000000",
                                     "2016-03-01T10:22:09.000000000", "NaT",
                                     "2016-02-29T00:00:00.000000000",
                                     "1999-12-31T23:59:00.000000000"]


@pytest.mark.parametrize("value", ["29/02/2015", "31/04/2016 10:00", "05/01/2015 08:60",
                                   "5/01/2015", "05/01/15", "2016-03-01T10:22:00Z",
                                   "2016/03/01", "05/01/2015 08:01 ", "01/01/1600", "01/01/2262"])
def test_parse_fixed_dates_declines(value):
    """An invalid date, another layout, white space or a year out of range: None."""
    assert parse_fixed_dates(pa.array(["05/01/2015", value])) is None


_DIGITS = st.text(alphabet="0123456789", min_size=2, max_size=2)


@st.composite
def _layout_texts(draw):
    """Strings in a fixed layout with random digits (many no valid date)."""
    year = draw(st.sampled_from(["1677", "1678", "1999", "2015", "2261", "2262", "0000"]))
    day, month, hour, minute, second = (draw(_DIGITS) for _ in range(5))
    sep = draw(st.sampled_from(["/", ".", "-"]))
    date = draw(st.sampled_from([f"{day}{sep}{month}{sep}{year}", f"{year}-{month}-{day}"]))
    clock = draw(st.sampled_from(["", f" {hour}:{minute}", f"T{hour}:{minute}:{second}"]))
    return date + clock


@settings(max_examples=300, deadline=None)
@given(st.lists(_layout_texts(), min_size=1, max_size=6))
def test_parse_fixed_dates_agrees_with_parse_dates(texts):
    """Whenever the quick parser accepts values, parse_dates gives them the same datetimes."""
    quick = parse_fixed_dates(pa.array(texts))
    values, bad = parse_dates(pd.Series(texts, dtype=object))
    if quick is not None:
        assert not bad.any()
        assert quick.tolist() == values.to_numpy(dtype="datetime64[ns]").tolist()
    for text in texts:  # one by one: accepted exactly when parse_dates reads a date in range
        one = parse_fixed_dates(pa.array([text]))
        value, wrong = parse_dates(pd.Series([text], dtype=object))
        if one is not None:
            assert not wrong[0] and one[0] == value.to_numpy(dtype="datetime64[ns]")[0]


_SHORT = st.one_of(st.none(), st.text(alphabet="aB1é €.-", max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(_SHORT, min_size=1, max_size=30), st.booleans())
def test_short_codes_match_factorize(values, large):
    """Ids of up to 8 bytes: codes and distinct ids of pandas' factorisation, in order."""
    text = pa.array(values, type=pa.large_string() if large else pa.string())
    found = _short_codes(text)
    if any(v is not None and len(v.encode("utf-8")) > 8 for v in values):
        assert found is None  # longer ids: hashed row by row instead
        return
    codes, uniques = found
    expected_codes, expected = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.to_pylist() == list(expected)


def test_short_codes_sliced_array():
    """An Arrow slice (an offset into its buffers) is read from its own first value."""
    text = pa.array(["zz", "B1", None, "B22", "B1", "B333333"]).slice(1, 4)
    codes, uniques = _short_codes(text)
    assert codes.tolist() == [0, -1, 1, 0]
    assert uniques.to_pylist() == ["B1", "B22"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "dé", " x", ""])),
                         max_size=6), min_size=1, max_size=5))
def test_unified_matches_unify_dictionaries(blocks):
    """Per-block dictionaries give Arrow's unified categories and codes."""
    dictionary = pa.dictionary(pa.int32(), pa.string())
    column = pa.chunked_array([pa.array(b, pa.string()).dictionary_encode() for b in blocks],
                              type=dictionary)
    quick = _unified(column)
    if quick is None:
        assert sum(len(b) for b in blocks) == 0
        return
    unified = pa.table({"x": column}).unify_dictionaries().column(0)
    codes = [i if i is not None else -1 for c in unified.chunks for i in c.indices.to_pylist()]
    assert list(quick.categories) == unified.chunk(0).dictionary.to_pylist()
    assert np.asarray(quick.codes).tolist() == codes


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="a1.0 \t\u00a0é\x1f-", max_size=4)),
                max_size=8))
def test_already_stripped_only_when_nothing_changes(values):
    """When the byte check says the ids are clean, stripping them changes nothing."""
    text = pa.array(values, type=pa.large_string())
    if _already_stripped(text):
        assert _strip_arrow(text, keep_same=False).to_pylist() == values
    if any(v is not None and (v != v.strip() or v == "") for v in values):
        assert not _already_stripped(text)


def test_pseudonyms_of_short_ids_are_the_keyed_hashes():
    """Factorised on bytes or hashed row by row, a log's ids get the same pseudonyms."""
    ids = pd.Series(pd.array(["B1", "B22", None, "B1", "C3"], dtype="string[pyarrow]"))
    quick = pseudonym_module.hash_clean(ids, "k", categorical=True)
    general = pseudonym_module.pseudonyms(pseudonym_module.keyed_hashes(ids, "k"),
                                          categorical=True)
    assert_frame_equal(quick.to_frame(), general.to_frame(), check_exact=True)
    assert quick.iloc[0] == pseudonym_module.hash_many([b"B1"], "k")[0]


def test_categories_not_all_text_fall_back():
    """A categorical of bytes (no text) is left to the general route, which refuses it."""
    var = Variable("day", "date", {"fr": "", "en": ""})
    column = pd.Series(pd.Categorical([b"05/01/2015", b"05/01/2015"]))
    assert validate_module._fixed_dates(column, var, "c") is None
    assert type_column(column, var, np.arange(1, 3), "c").problems[0]["row"].tolist() == [1, 2]
