"""Reader residuals of session 13: a cut comment whose second piece starts with a number
(no fake respondent), a footer below the rows (set aside, not glued to the last row),
and two-digit-year date columns of one file read in the file's order.
"""

from __future__ import annotations

import random

import pandas as pd

import surveys
from surveys._row_keys import FOOTER_REASON, footer_rows, id_fits
from surveys._readers import read_raw

AGENT_MAPPING = {"id": "respondent_id", "age": "age", "comment": "comment",
                 "km": "commute_km", "sat": "sat_overall"}
STARWARS = ("surveymonkey", "fivethirtyeight_StarWars.csv")


def write(path, text: str):
    """Write ``text`` (UTF-8) to ``path``; return the path."""
    path.write_bytes(text.encode("utf-8"))
    return path


def agents(cut: str, n: int = 8) -> str:
    """An agent export (``id;age;comment;km;x``) of ``n`` full rows, row 3 replaced by
    the lines ``cut``."""
    rows = [f"{i};{30 + i};ok;{i};a" for i in range(1, n + 1)]
    rows[2] = cut
    return "id;age;comment;km;x\n" + "\n".join(rows) + "\n"


def starwars_lines(realdata) -> list[bytes]:
    """The SurveyMonkey export's lines (two header lines, then one per respondent)."""
    return realdata.joinpath(*STARWARS).read_bytes().split(b"\n")


# --- 1. a cut comment's second piece starting with a number ---------------------------------

def test_numeric_piece_below_the_width_is_no_respondent(tmp_path):
    """``trop loin de`` / ``2016;35`` (the file drops empty trailing fields): 2016 is out of
    the ids' order, so it is no respondent; the two pieces are set aside as ambiguous."""
    raw = read_raw(write(tmp_path / "a.csv", agents("3;33;trop loin de\n2016;35")))
    assert "2016" not in raw.data["id"].tolist()
    assert raw.data["id"].tolist() == ["1", "2", "4", "5", "6", "7", "8"]
    assert raw.excluded["row"].tolist() == [3, 4]
    assert all("cannot be joined unambiguously" in r for r in raw.excluded["reason"])


def test_numeric_piece_making_the_width_is_joined(tmp_path):
    """The same cut where the pieces make the header's width: joined back into row 3."""
    raw = read_raw(write(tmp_path / "a.csv", agents("3;33;trop loin de\n2016;35;a")))
    assert raw.data["id"].tolist() == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert raw.data.iloc[2].tolist() == ["3", "33", "trop loin de\n2016", "35", "a"]
    assert raw.excluded["reason"].tolist() == [
        "piece of row 3 (cut by a line break inside a cell), joined to it"]


def _agent_file(cut: str) -> str:
    """An agent survey's export (``id;age;comment;km;sat``), agent 4's line replaced by
    ``cut``."""
    rows = [f"{i};{30 + i};ok;{i};{1 + i % 5}" for i in range(1, 9)]
    rows[3] = cut
    return "id;age;comment;km;sat\n" + "\n".join(rows) + "\n"


def test_numeric_piece_is_no_respondent_of_an_agent_survey(tmp_path):
    """Read as an agent survey, a comment cut before ``2016`` (pieces short of the width)
    adds no respondent: agent 4's pieces are set aside, every line accounted for."""
    text = _agent_file("4;34;habite trop loin depuis\n2016;12")
    survey = surveys.read(write(tmp_path / "s.csv", text), "agent", mapping=AGENT_MAPPING)
    assert len(survey.data) == 7 and 12 not in survey.data["age"].tolist()
    assert sorted(survey.excluded["row"].tolist()) == [4, 5]
    assert len(survey.data) + len(survey.excluded) == survey.n_rows == 9


def test_numeric_piece_of_an_agent_survey_is_joined(tmp_path):
    """The pieces making the width: agent 4 keeps the whole comment and their answers."""
    text = _agent_file("4;34;habite trop loin depuis\n2016;12;3")
    survey = surveys.read(write(tmp_path / "s.csv", text), "agent", mapping=AGENT_MAPPING)
    assert len(survey.data) == 8
    assert survey.data["comment"].tolist()[3] == "habite trop loin depuis\n2016"
    assert survey.data["commute_km"].tolist()[3] == 12.0


def test_real_short_row_in_the_order_is_still_padded(tmp_path):
    """A short row whose id continues the order (6 between 5 and 7) is padded as before,
    beside a cut comment set aside."""
    text = agents("3;33;trop loin de\n2016;35").replace("\n6;36;ok;6;a\n", "\n6;36\n")
    raw = read_raw(write(tmp_path / "p.csv", text))
    assert raw.data["id"].tolist() == ["1", "2", "4", "5", "6", "7", "8"]
    assert raw.data.iloc[4].tolist() == ["6", "36", None, None, None]


def test_real_short_last_row_is_still_padded(tmp_path):
    """At the end of the file (no id below), a short row one step after the last id is
    padded; a piece jumping far beyond the ids' steps is not."""
    text = agents("3;33;ok;3;a") + "9;39\n"
    raw = read_raw(write(tmp_path / "e.csv", text))
    assert raw.data["id"].tolist()[-1] == "9" and raw.excluded.empty
    far = read_raw(write(tmp_path / "f.csv", agents("3;33;ok;3;a") + "9;39;trop loin de\n"
                                                                     "2016;35\n"))
    assert far.data["id"].tolist() == [str(i) for i in range(1, 9)]
    assert far.excluded["row"].tolist() == [9, 10]


def test_ids_in_no_order_keep_the_old_reading(tmp_path):
    """Ids of varying width in no order say nothing: a short row shaped like an id is
    padded, as before (a real short row is not lost)."""
    ids = [7, 2, 11, 5, 1, 9, 3, 12]
    text = "id;age;x\n" + "\n".join(f"{i};{30 + i};a" for i in ids[:4]) + "\n40;31\n" + \
        "\n".join(f"{i};{30 + i};a" for i in ids[4:]) + "\n"
    raw = read_raw(write(tmp_path / "o.csv", text))
    assert "40" in raw.data["id"].tolist() and raw.excluded.empty


def test_real_export_cut_age_piece_is_no_respondent(tmp_path, realdata):
    """A SurveyMonkey export (ids of ten digits, running down) whose row 1 is cut inside
    its age (``18-`` / ``29``) and drops its last field: ``29`` is no respondent, the
    two pieces are set aside, every other row reads as before."""
    lines = starwars_lines(realdata)
    assert lines[2].endswith(b",18-29,,High school degree,South Atlantic")
    lines[2] = lines[2].replace(b",18-29,,High school degree,South Atlantic",
                                b",18-\n29,,High school degree")
    path = tmp_path / "sw.csv"
    path.write_bytes(b"\n".join(lines))
    before = read_raw(realdata.joinpath(*STARWARS))
    raw = read_raw(path)
    assert "29" not in raw.data.iloc[:, 0].tolist()
    assert raw.excluded["row"].tolist() == [1, 2]
    assert raw.n_rows == before.n_rows + 1
    pd.testing.assert_frame_equal(raw.data.reset_index(drop=True),
                                  before.data.iloc[1:].reset_index(drop=True))


def test_real_export_in_no_order_uses_the_ids_width(tmp_path, realdata):
    """The same export with its rows shuffled (ids in no order): the ids' fixed width
    (ten digits) still tells ``29`` from an id, and a row cut exactly is joined."""
    lines = [line for line in starwars_lines(realdata) if line.strip()]
    body = lines[2:]
    random.Random(13).shuffle(body)
    k = next(i for i, line in enumerate(body) if line.endswith(b",18-29,,High school degree,"
                                                                b"South Atlantic"))
    original = body[k]
    body[k] = original.replace(b",18-29,", b",18-\n29,")
    path = tmp_path / "sw.csv"
    path.write_bytes(b"\n".join(lines[:2] + body) + b"\n")
    raw = read_raw(path)
    assert "29" not in raw.data.iloc[:, 0].tolist()
    assert raw.excluded["reason"].tolist() == [
        f"piece of row {k + 1} (cut by a line break inside a cell), joined to it"]
    assert "18-\n29" in raw.data.iloc[k].tolist()


def test_id_fits_follows_the_order_and_the_width():
    """Out of the ids' order, or not their width, a number is no id; within, it is."""
    assert id_fits(range(6), ["10", "11", "12", "14", "15", "16"], {3: "13", 4: "40"}) == {
        3: True, 4: False}
    codes = [f"E0{n}" for n in (1234, 4411, 2213, 9001, 3312, 7777, 1010, 5150)]
    assert id_fits(range(8), codes, {9: "E3", 10: "E02222"}) == {9: False, 10: True}
    assert id_fits(range(3), ["1", "2", "3"], {5: "2016"}) is None


def test_id_fits_needs_each_id_above_those_before_it():
    """Between the same two full rows, short rows' ids must run on too: 4 and 6 do, a 5
    after the 6 does not."""
    assert id_fits([0, 1, 2, 6, 7, 8], ["1", "2", "3", "7", "8", "9"],
                   {3: "4", 4: "6", 5: "5"}) == {3: True, 4: True, 5: False}


# --- 2. a footer below the rows ---------------------------------------------------------------

LIME = ("id;submitdate;age;comment;km\n"
        + "\n".join(f"{i};2024-03-1{i % 10};{30 + i};ok;{i}" for i in range(1, 8)) + "\n")


def test_total_footer_is_not_glued_to_the_last_row(tmp_path):
    """A last row without its trailing field and a ``Total;8`` line below: the total is
    set aside with its reason, the last row padded (not ``ok\\nTotal``, km 8)."""
    raw = read_raw(write(tmp_path / "t.csv", LIME + "8;2024-03-18;38;ok\nTotal;8\n"))
    assert raw.data.iloc[-1].tolist() == ["8", "2024-03-18", "38", "ok", None]
    assert raw.excluded.to_dict("records") == [{"row": 9, "reason": FOOTER_REASON}]


def test_export_stamp_footer_is_set_aside(tmp_path):
    """``Exporté le 12/03/2024 10:05;LimeSurvey`` below the rows: set aside as a footer."""
    raw = read_raw(write(tmp_path / "x.csv",
                         LIME + "8;2024-03-18;38;ok\nExporté le 12/03/2024 10:05;LimeSurvey\n"))
    assert raw.data["id"].tolist()[-1] == "8" and raw.data["comment"].tolist()[-1] == "ok"
    assert raw.excluded["reason"].tolist() == [FOOTER_REASON]


def test_comment_ending_in_a_footer_word_is_still_joined(tmp_path):
    """A last comment cut before ``totalement`` is a piece, not a footer: joined back."""
    raw = read_raw(write(tmp_path / "c.csv", LIME + "8;2024-03-18;38;je suis\ntotalement ok;8\n"))
    assert raw.data["comment"].tolist()[-1] == "je suis\ntotalement ok"


def test_real_export_total_line_is_set_aside(tmp_path, realdata):
    """The SurveyMonkey export with its last row missing its region and a ``Total,1186``
    line below: the total is set aside, the last row padded, no row changed."""
    lines = [line for line in starwars_lines(realdata) if line.strip()]
    assert lines[-1].endswith(b",Graduate degree,Pacific")
    lines[-1] = lines[-1][: -len(b",Pacific")]
    path = tmp_path / "sw.csv"
    path.write_bytes(b"\n".join(lines + [b"Total,1186"]) + b"\n")
    before = read_raw(realdata.joinpath(*STARWARS))
    raw = read_raw(path)
    assert raw.excluded.to_dict("records") == [{"row": len(lines) - 1, "reason": FOOTER_REASON}]
    assert raw.data.iloc[-1].tolist()[-2:] == ["Graduate degree", None]
    pd.testing.assert_frame_equal(raw.data.iloc[:-1], before.data.iloc[:-1])


def test_footer_is_excluded_from_a_survey(tmp_path):
    """Read as an agent survey, the footer is listed among the excluded rows, the last
    agent kept with their comment intact."""
    text = _agent_file("4;34;ok;4;5").replace("8;38;ok;8;4\n", "8;38;bien\nTotal;8\n")
    survey = surveys.read(write(tmp_path / "f.csv", text), "agent", mapping=AGENT_MAPPING)
    assert survey.data["comment"].tolist()[-1] == "bien" and len(survey.data) == 8
    assert FOOTER_REASON in survey.excluded["reason"].tolist()


def test_footer_rows_needs_a_footer_word_at_the_end():
    """Only the last records, from a footer word down, with no full row below."""
    records = [["1", "a", "x"], ["Total", "2"], ["3", "c", "z"], ["4", "d"]]
    assert footer_rows(records, [1, 3], 3) == []
    assert footer_rows([["1", "a", "x"], ["2", "b"], ["Total : 2"], ["source"]], [1, 2, 3],
                       3) == [2, 3]


# --- 3. two-digit-year date columns of one file -----------------------------------------------

def _dated(start: list[str], end: list[str]) -> pd.DataFrame:
    """Agents with a telework start and end written as text."""
    return pd.DataFrame({"id": [f"a{i}" for i in range(len(start))],
                         "Début du télétravail": start, "Fin du télétravail": end})


def _note_keys(survey) -> list[str]:
    """The keys of the survey's notes."""
    return [getattr(note, "key", "") for note in survey.notes]


BOTH_WAYS = ["05/01/16", "06/02/16", "01/03/16", "07/04/16"]


def test_ambiguous_column_follows_a_month_first_column(tmp_path):
    """A start column showing month first (10/16/15): the end column, whose values read
    both ways, is read month first too (05/01/16 is 1 May 2016, not 5 January)."""
    path = tmp_path / "d.csv"
    _dated(["10/16/15", "01/05/16", "03/02/16", "02/03/16"], BOTH_WAYS).to_csv(
        path, sep=";", index=False)
    survey = surveys.read(path, "agent")
    assert survey.data["telework_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2016-05-01", "2016-06-02", "2016-01-03", "2016-07-04"]
    assert "dates_month_first_file_yy" in _note_keys(survey)
    assert "dates_day_first_assumed_yy" not in _note_keys(survey)


def test_ambiguous_column_follows_a_day_first_column(tmp_path):
    """A start column showing day first (16/10/15): the end column is read day first, its
    note naming the start column rather than the French default."""
    path = tmp_path / "d.csv"
    _dated(["16/10/15", "01/05/16", "03/02/16", "02/03/16"], BOTH_WAYS).to_csv(
        path, sep=";", index=False)
    survey = surveys.read(path, "agent")
    assert survey.data["telework_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2016-01-05", "2016-02-06", "2016-03-01", "2016-04-07"]
    note = next(n for n in survey.notes if n.key == "dates_day_first_file_yy")
    assert note.values["source"] == "'Début du télétravail'"
    assert "Début du télétravail" in note.in_language("fr")


def test_columns_showing_both_orders_get_a_note(tmp_path):
    """One column day first, the other month first: each keeps its own order and one
    note says the file holds both."""
    path = tmp_path / "d.csv"
    _dated(["16/10/15", "01/05/16"], ["10/16/15", "01/05/16"]).to_csv(path, sep=";",
                                                                      index=False)
    survey = surveys.read(path, "agent")
    assert survey.data["telework_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2015-10-16", "2016-05-01"]
    assert survey.data["telework_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2015-10-16", "2016-01-05"]
    note = next(n for n in survey.notes if n.key == "dates_orders_differ")
    assert (note.values["day"], note.values["month"]) == ("'Début du télétravail'",
                                                           "'Fin du télétravail'")
    assert "Vérifiez" in note.in_language("fr")


def test_lone_ambiguous_column_is_still_read_day_first(tmp_path):
    """No other column showing an order: the French default stands, with its note."""
    path = tmp_path / "d.csv"
    _dated(["2015-10-16"] * 4, BOTH_WAYS).to_csv(path, sep=";", index=False)
    survey = surveys.read(path, "agent")
    assert survey.data["telework_end"].dt.strftime("%Y-%m-%d").tolist()[0] == "2016-01-05"
    assert "dates_day_first_assumed_yy" in _note_keys(survey)


def test_short_year_dates_follow_the_given_order():
    """short_year_dates: values reading both ways follow the file's order; a column's
    own order wins over it."""
    from surveys._parse import short_year_dates

    values, order = short_year_dates(pd.Series(["05/01/16"]), order="month_first")
    assert (str(values[0]), order) == ("2016-05-01 00:00:00", "month_first_file")
    values, order = short_year_dates(pd.Series(["16/10/15", "05/01/16"]), order="month_first")
    assert (str(values[1]), order) == ("2016-01-05 00:00:00", "day_first")


def test_footer_reason_reads_in_french():
    """The footer's reason has a French text (a French report's quality table)."""
    from surveys.reason_text import reason_in_language

    assert reason_in_language(FOOTER_REASON, "fr").startswith("ligne de pied de fichier")


def test_a_footer_alone_is_not_a_malformed_row(tmp_path):
    """A file whose only set-aside line is its footer gets no "malformed rows" note."""
    raw = read_raw(write(tmp_path / "t.csv", LIME + "Total;7\n"))
    assert raw.excluded["reason"].tolist() == [FOOTER_REASON]
    assert not [note for note in raw.notes if getattr(note, "key", "") == "malformed"
                or "malformed" in str(note)]
