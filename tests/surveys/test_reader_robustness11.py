"""Robustness review 11 of the file readers: empty lines above the header, stray quotes
that would swallow rows, time stamps with a UTC offset, personal data typed as an
answer, Excel's ``sep=;`` line.

The promise tested throughout: every data line of a file is either kept or listed as
excluded with its reason; nothing disappears silently.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surveys
from surveys._body_bytes import swallowing_quote
from surveys._parse import parse_dates
from surveys._readers import read_raw
from surveys._text import TextSource
from surveys.demo import demo
from surveys.errors import SurveyError
from surveys.pilot_draft import draft_pilot

AGENT_MAPPING = {"id": "respondent_id", "age": "age", "comment": "comment"}


def write(path, text: str, encoding: str = "utf-8"):
    """Write ``text`` to ``path`` in ``encoding``; return the path."""
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def demo_agents(tmp_path_factory):
    """The demo pilot's agents file: its lines (header first) and encoding."""
    folder = demo(tmp_path_factory.mktemp("demo11"))
    raw = (folder.parent / "agents_cd14.csv").read_bytes()
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252"), "cp1252"
    return text.splitlines(), encoding


def _agents_with(tmp_path, demo_agents, edits: dict[int, str]):
    """The demo agents file with the comment of some data rows (1-based) replaced."""
    lines, encoding = demo_agents
    out = list(lines)
    for row, comment in edits.items():
        cells = out[row].split(";")
        cells[-1] = comment
        out[row] = ";".join(cells)
    return write(tmp_path / "agents.csv", "\n".join(out) + "\n", encoding), len(lines) - 1


def _agents_pilot(path):
    """Read the demo agents file as the demo pilot maps it."""
    return surveys.read(path, "agent", mapping={"N° agent": "respondent_id",
                                                "Commentaire": "comment", "Âge": "age"})


# --- finding 1: empty lines above the header ---------------------------------------------

def test_blank_line_above_header_is_skipped(tmp_path):
    """A blank first line is skipped: the header is the first line holding something."""
    raw = read_raw(write(tmp_path / "x.csv", "\nid;age\n1;30\n2;40\n"))
    assert list(raw.data.columns) == ["id", "age"] and raw.n_rows == 2


def test_blank_lines_above_header_get_a_note_naming_file_and_count(tmp_path):
    """The note says how many lines were skipped, in which file, and where the header is."""
    raw = read_raw(write(tmp_path / "x.csv", "\r\n  \r\nid;age\r\n1;30\r\n"))
    note = next(n for n in raw.notes if n.key == "blank_lines_before_header")
    assert (note.values["file"], note.values["count"], note.values["line"]) == ("x.csv", 2, 3)
    assert "2 lignes vides" in note.in_language("fr")


def test_separator_only_line_above_header_is_skipped(tmp_path):
    """A first line of only separators (``;;;``) is no header; the comma header below is."""
    raw = read_raw(write(tmp_path / "x.csv", ";;;\nid,nom,age\nA,B,3\n"))
    assert list(raw.data.columns) == ["id", "nom", "age"]
    assert raw.data["nom"].tolist() == ["B"]


def test_read_survey_with_blank_first_line(tmp_path):
    """surveys.read of a file with a blank first line types its rows as usual."""
    path = write(tmp_path / "x.csv", "\n\nid;age\n1;30\n2;40\n")
    survey = surveys.read(path, "agent", mapping={"id": "respondent_id"})
    assert survey.data["age"].tolist() == [30, 40]


def test_big_file_with_blank_line_above_header_reads_every_row(tmp_path):
    """A file bigger than the decoded head (fast route, two halves) skips the blank line too."""
    body = "".join(f"TL{i % 50},B{i},05/01/2015 08:{i % 60:02d}\n" for i in range(160_000))
    raw = read_raw(write(tmp_path / "log.csv", "\n,,\nlieu,badge,horodatage\n" + body),
                   strings="category")
    assert raw.n_rows == 160_000 and raw.data["badge"].iloc[-1] == "B159999"


def test_blank_rows_above_a_sheet_header_are_skipped(tmp_path):
    """An .xlsx whose first rows are empty: the header is the first row holding something."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"] = "id", "age"
    sheet.append(["1", 30])
    sheet.append(["2", 40])
    book.save(tmp_path / "b.xlsx")
    raw = read_raw(tmp_path / "b.xlsx")
    assert list(raw.data.columns) == ["id", "age"] and raw.n_rows == 2
    assert any(n.key == "blank_rows_before_header" and n.values["line"] == 3 for n in raw.notes)


def test_only_blank_lines_is_no_header(tmp_path):
    """A file of blank and separator-only lines is refused as having no header."""
    with pytest.raises(SurveyError, match="x.csv"):
        read_raw(write(tmp_path / "x.csv", "\n;;;\n\n"))


def test_init_drafts_a_file_with_blank_first_line(tmp_path):
    """`bilan init` (draft_pilot) drafts a file whose first line is blank."""
    path = write(tmp_path / "lieux.csv", "\nIdentifiant;Nom;Capacité (postes)\nTL1;Caen;12\n")
    draft = draft_pilot([path], tmp_path / "pilot.toml")
    assert '"Identifiant" = "place_id"' in draft.text


# --- findings 5 and 6: stray quotes ------------------------------------------------------

def test_unclosed_quote_keeps_every_row(tmp_path, demo_agents):
    """A comment opening a quote never closed: every data line kept or excluded."""
    path, lines = _agents_with(tmp_path, demo_agents, {4: '"Très bien'})
    survey = _agents_pilot(path)
    assert survey.n_rows == lines
    assert len(survey.data) + len(survey.excluded) == lines


def test_unclosed_quote_note_names_file_and_line(tmp_path, demo_agents):
    """The note names the file and the line where the quote opened (header = line 1)."""
    path, _ = _agents_with(tmp_path, demo_agents, {4: '"Très bien'})
    note = next(n for n in _agents_pilot(path).notes if n.key == "quote_unclosed")
    assert (note.values["file"], note.values["line"], note.values["row"]) == ("agents.csv", 5, 4)
    assert "guillemet ouvert" in note.in_language("fr") and "jamais" in note.in_language("fr")


def test_unclosed_quote_cell_is_blanked_and_reported(tmp_path, demo_agents):
    """The cell holding the stray quote is blanked, with a problem saying why."""
    path, _ = _agents_with(tmp_path, demo_agents, {4: '"Très bien'})
    survey = _agents_pilot(path)
    problem = survey.problems[survey.problems["column"] == "Commentaire"]
    assert problem["row"].tolist() == [4]
    assert "never closed" in problem["reason"].iloc[0]


def test_quote_pair_across_rows_keeps_every_row(tmp_path, demo_agents):
    """Two stray quotes ten rows apart merge no row: each line kept or excluded."""
    path, lines = _agents_with(tmp_path, demo_agents, {10: '"Domicile', 20: 'Domicile"'})
    survey = _agents_pilot(path)
    assert survey.n_rows == lines and len(survey.data) + len(survey.excluded) == lines


def test_quote_pair_across_rows_note_names_the_opening_line(tmp_path, demo_agents):
    """The note names the line where the quote that closes too far down opened."""
    path, _ = _agents_with(tmp_path, demo_agents, {10: '"Domicile', 20: 'Domicile"'})
    note = next(n for n in _agents_pilot(path).notes if n.key == "quote_across_rows")
    assert (note.values["line"], note.values["row"]) == (11, 10)
    assert "la ligne 11 du fichier" in note.in_language("fr")


def test_legitimate_multiline_comment_is_one_row(tmp_path):
    """A quoted comment over three lines (no row-like line inside) stays one cell of one row."""
    text = 'id;age;comment\n1;30;"Très bien.\nMerci ; à bientôt\nJ."\n2;40;ok\n'
    raw = read_raw(write(tmp_path / "q.csv", text), strings="category")
    assert raw.n_rows == 2
    assert raw.data["comment"].tolist() == ["Très bien.\nMerci ; à bientôt\nJ.", "ok"]
    assert not any(n.key == "quote_unclosed" for n in raw.notes)


def test_legitimate_multiline_comment_in_first_column_is_one_row(tmp_path):
    """A multi-line quoted field followed by the row's other cells is not taken for rows."""
    text = 'comment;id;age\n"Bien\nvraiment";1;30\n"ok";2;40\n'
    raw = read_raw(write(tmp_path / "q.csv", text))
    assert raw.data["comment"].tolist() == ["Bien\nvraiment", "ok"]


def _log(n: int, stray: dict[int, str]) -> tuple[str, int]:
    """A check-in log of ``n`` rows, some badges (0-based row -> badge) replaced."""
    rows = [f"TL{i % 40},{stray.get(i, f'B{i % 997}')},05/01/2015 08:{i % 60:02d}"
            for i in range(n)]
    return "lieu,badge,horodatage\n" + "\n".join(rows) + "\n", n


@pytest.mark.parametrize("stray", [{150_000: '"B10806'},
                                   {150_000: '"B10806', 150_010: 'B10806"'},
                                   {150_000: '"B10806', 150_010: '"B10807'}],
                         ids=["unclosed", "pair_closing", "pair_opening"])
def test_stray_quote_in_big_log_loses_no_row(tmp_path, stray):
    """A stray quote in a log big enough for the fast route (two halves) loses no row."""
    text, n = _log(200_000, stray)
    survey = surveys.read(write(tmp_path / "log.csv", text), "attendance",
                          mapping={"lieu": "place_id", "badge": "user_id",
                                   "horodatage": "timestamp"})
    assert survey.n_rows == n and len(survey.data) + len(survey.excluded) == n
    assert any(note.key in ("quote_unclosed", "quote_across_rows") for note in survey.notes)


def _no_exact_route(monkeypatch):
    """Make the exact (Python ``csv``) route fail, to show the fast route was taken."""
    def refuse(*args, **kwargs):
        raise AssertionError("the exact route was taken")
    monkeypatch.setattr(TextSource, "_exact", refuse)


def test_clean_quoted_log_keeps_the_fast_route(tmp_path, monkeypatch):
    """A log whose quotes are all well-formed is read by Arrow, with no stray-quote note."""
    _no_exact_route(monkeypatch)
    rows = "".join(f'TL{i % 40},"B{i % 997}",05/01/2015 08:{i % 60:02d}\n' for i in range(1000))
    raw = read_raw(write(tmp_path / "log.csv", "lieu,badge,horodatage\n" + rows))
    assert raw.n_rows == 1000 and not any(n.key == "quote_unclosed" for n in raw.notes)


def test_legitimate_multiline_comments_keep_the_fast_route(tmp_path, monkeypatch):
    """Quoted multi-line comments with no row-like line are read by Arrow (no re-read)."""
    _no_exact_route(monkeypatch)
    rows = "".join(f'{i};"Très bien.\nMerci ; à bientôt";{i % 5}\n' for i in range(500))
    raw = read_raw(write(tmp_path / "c.csv", "id;comment;x\n" + rows), strings="category")
    assert raw.n_rows == 500 and raw.data["comment"].iloc[-1] == "Très bien.\nMerci ; à bientôt"


def test_swallowing_quote_finds_the_opening_quote():
    """On the bytes: the offset of the quote whose field spans row-like lines."""
    body = b'1;30;ok\n2;40;"debut\n3;50;ok\n4;60;fin"\n'
    assert swallowing_quote(body, 0, len(body), ";", 3) == body.index(b'"')


_cell = st.text(alphabet="abcXYZ 019é", max_size=5)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.tuples(_cell, st.sampled_from(["", "", "", '"'])),
                              min_size=3, max_size=3), min_size=1, max_size=14),
       delimiter=st.sampled_from([",", ";"]))
def test_data_lines_equal_kept_plus_excluded(tmp_path, rows, delimiter):
    """Cells typed with a stray opening quote (``"Très bien``), anywhere, any number: every
    data line of the file is a row, kept or excluded.

    (A quote opening a cell and another one closing the same column's cell on the next
    line is well-formed CSV, a quoted line end: no reader can tell it from a
    two-line comment, so the generated quotes are openings followed by text.)
    """
    lines = []
    for row in rows:
        cells = ['"' + (c or "x") if q == '"' else c for c, q in row]
        lines.append(delimiter.join(cells))
    path = write(tmp_path / "prop.csv", delimiter.join(["a", "b", "c"]) + "\n"
                 + "\n".join(lines) + "\n")
    raw = read_raw(path)
    assert raw.n_rows == len(lines)
    assert len(raw.data) + len(raw.excluded) == len(lines)


# --- finding 13: UTC offsets -------------------------------------------------------------

def test_offset_keeps_local_clock_time():
    """2015-01-01T00:30:00+01:00 stays at 00:30 on 1 January (not 23:30 the day before)."""
    values, bad = parse_dates(pd.Series(["2015-01-01T00:30:00+01:00", "2015-06-30 23:45:00-0500",
                                         "2016-03-01T10:22:00Z"]))
    assert values.tolist() == [pd.Timestamp("2015-01-01 00:30"), pd.Timestamp("2015-06-30 23:45"),
                               pd.Timestamp("2016-03-01 10:22")]
    assert not bad.any()


def test_timezone_aware_column_keeps_local_clock_time():
    """A timezone-aware column (Parquet, DataFrame) keeps its local clock time."""
    stamps = pd.Series(pd.to_datetime(["2015-01-01 00:30", "2015-07-01 01:15"])
                       .tz_localize("Europe/Paris"))
    values, _ = parse_dates(stamps)
    assert values.tolist() == [pd.Timestamp("2015-01-01 00:30"), pd.Timestamp("2015-07-01 01:15")]


def test_aware_datetime_objects_keep_local_clock_time():
    """Timezone-aware datetime objects (a spreadsheet's) keep their local clock time."""
    paris = dt.timezone(dt.timedelta(hours=1))
    values, _ = parse_dates(pd.Series([dt.datetime(2015, 1, 1, 0, 30, tzinfo=paris)], dtype=object))
    assert values.tolist() == [pd.Timestamp("2015-01-01 00:30")]


def test_offset_stamps_in_a_csv_log_stay_on_their_day_with_a_note(tmp_path):
    """A log with +01:00 stamps: check-ins stay on their day; a note names file and column."""
    path = write(tmp_path / "log.csv", "lieu,badge,horodatage\nTL1,B1,2015-01-01T00:30:00+01:00\n"
                 "TL1,B2,2015-01-01T09:00:00+01:00\n")
    survey = surveys.read(path, "attendance", mapping={"lieu": "place_id", "badge": "user_id",
                                                       "horodatage": "timestamp"})
    assert survey.data["timestamp"].dt.year.tolist() == [2015, 2015]
    note = next(n for n in survey.notes if n.key == "utc_offset_dropped")
    assert (note.values["file"], note.values["column"]) == ("log.csv", "'horodatage'")
    assert "heure locale" in note.in_language("fr")


def test_no_offset_note_without_offsets(tmp_path):
    """Stamps without an offset give no offset note."""
    path = write(tmp_path / "log.csv", "lieu,badge,horodatage\nTL1,B1,2015-01-01T00:30:00\n")
    survey = surveys.read(path, "attendance", mapping={"lieu": "place_id", "badge": "user_id",
                                                       "horodatage": "timestamp"})
    assert not any(n.key == "utc_offset_dropped" for n in survey.notes)


# --- finding 9: personal data typed as an answer -----------------------------------------

def _services() -> pd.DataFrame:
    return pd.DataFrame({"id": ["1", "2", "3", "4"], "Âge": ["30", "40", "50", "60"],
                         "Direction": ["Routes", "jean.dupont@calvados.fr",
                                       "Marie Curie 06 12 34 56 78", "10.0.0.12"]})


def test_email_or_phone_is_no_category_label():
    """An e-mail, a phone number or an IP typed as the service is not a category."""
    survey = surveys.read(_services(), "agent")
    assert list(survey.data["service"].cat.categories) == ["Routes"]
    assert survey.data["service"].isna().tolist() == [False, True, True, True]


def test_personal_answer_is_a_problem_without_the_value():
    """Each such cell is a problem saying why; the problem shows no address or number."""
    survey = surveys.read(_services(), "agent")
    problems = survey.problems[survey.problems["column"] == "Direction"]
    assert problems["row"].tolist() == [2, 3, 4]
    assert problems["reason"].str.contains("personal data").all()
    shown = " ".join(problems["value"])
    assert "calvados" not in shown and "06 12" not in shown and "10.0.0" not in shown


# --- finding 20: Excel's sep= line -------------------------------------------------------

def test_excel_sep_line_gives_delimiter_and_is_skipped(tmp_path):
    """A first line ``sep=;`` sets the delimiter and is skipped, with a note."""
    raw = read_raw(write(tmp_path / "x.csv", "sep=;\r\nN° agent;Sexe\r\nA1;Femme\r\n"))
    assert list(raw.data.columns) == ["N° agent", "Sexe"] and raw.n_rows == 1
    assert any(n.key == "excel_sep_line" for n in raw.notes)


def test_excel_sep_line_overrides_the_sniffer(tmp_path):
    """``sep=,`` wins even where the lines below have as many semicolons as commas."""
    raw = read_raw(write(tmp_path / "x.csv", "sep=,\na;b,c\n1;2,3\n"))
    assert list(raw.data.columns) == ["a;b", "c"]
